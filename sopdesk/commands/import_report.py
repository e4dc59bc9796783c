"""One printer for what every `sopdesk import` did: inquiries, the customer sheet, the products.

The importers report in shapes of their own (an e-mail's outcome is new or duplicate, a sheet row's
created, updated or merged; an e-mail is "message 2", a row "row 3"). `Report` is what they have in
common; `from_inquiries`, `from_customers` and `from_products` make it, and `print_reports` prints
any of them the same way: a table per file, a summary per file, the rejected items on stderr.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sopdesk.commands.common import safe
from sopdesk.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from sopdesk.services import catalog
    from sopdesk.services.importers import FileReport
    from sopdesk.services.importers import customers as sheet

REJECTED = "rejected"


@dataclass(frozen=True)
class Kind:
    """What one importer's outcomes are called. Every text is a msgid, translated when printed."""

    words: Mapping[str, str]
    """Outcome → its word once done ("created"); outcomes that write nothing too ("duplicate")."""
    would: Mapping[str, str]
    """Outcome → its word in a dry run, for the outcomes that write ("would create")."""
    summary: str
    """The counts of one file, with a {placeholder} per outcome."""
    empty: str
    """Said of a file without a single item."""
    empty_fails: bool = False
    """A file without items is a failure (exit 1)."""


@dataclass(frozen=True)
class Line:
    where: str
    """How the rep finds it in the file: "line 7", "message 2 (line 40)", "row 3"."""
    outcome: str
    code: str = ""
    """The customer's code or the product's SKU."""
    detail: str = ""
    reason: str = ""
    """Why it was rejected."""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    path: Path
    kind: str
    lines: tuple[Line, ...]
    committed: bool
    dry_run: bool
    error: str = ""
    notes: tuple[str, ...] = ()

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)


INQUIRIES = Kind(
    words={"imported": N_("imported"), "duplicate": N_("duplicate"), REJECTED: N_("rejected")},
    would={"imported": N_("would import")},
    summary=N_("{imported} new, {duplicate} duplicate, {rejected} rejected"),
    empty=N_("no inquiries in this file"),
)
CUSTOMERS = Kind(
    words={
        "created": N_("created"),
        "updated": N_("updated"),
        "merged": N_("merged"),
        REJECTED: N_("rejected"),
    },
    would={
        "created": N_("would create"),
        "updated": N_("would update"),
        "merged": N_("would merge"),
    },
    summary=N_("{created} created, {updated} updated, {merged} merged, {rejected} rejected"),
    empty=N_("no customer rows in this file"),
)
PRODUCTS = Kind(
    words={"created": N_("created"), "updated": N_("updated"), REJECTED: N_("rejected")},
    would={"created": N_("would create"), "updated": N_("would update")},
    summary=N_("{created} created, {updated} updated, {rejected} rejected"),
    empty=N_("the file has no product rows"),
    empty_fails=True,
)


def _row(number: int) -> str:
    return _("row {n}").format(n=number)


def from_inquiries(report: FileReport) -> Report:
    lines = []
    for item in report.items:
        if item.created_customer:
            detail = _("new customer")
        elif item.linked_by:
            detail = _("linked by {how}").format(how=item.linked_by)
        else:
            detail = ""
        lines.append(
            Line(item.where, item.status.value, item.customer_code, detail, item.reason,
                 item.warnings)
        )  # fmt: skip
    return Report(report.path, report.kind, tuple(lines), report.committed, report.dry_run,
                  report.error, report.notes)  # fmt: skip


def from_customers(report: sheet.ImportReport) -> Report:
    lines = tuple(
        Line(_row(row.row), row.outcome.value, row.customer_code,
             row.name + (f"  ({row.reason})" if row.reason and row.outcome != REJECTED else ""),
             row.reason, row.warnings)
        for row in report.rows
    )  # fmt: skip
    return Report(report.path, report.kind, lines, report.committed, report.dry_run,
                  report.error, report.notes)  # fmt: skip


def from_products(report: catalog.ImportReport) -> Report:
    lines = tuple(
        Line(_row(row.row), row.outcome.value, row.sku, reason=row.reason) for row in report.rows
    )
    return Report(report.path, report.kind, lines, report.committed, report.dry_run,
                  report.error, report.notes)  # fmt: skip


def _word(kind: Kind, line: Line, report: Report) -> str:
    if line.outcome in kind.would:
        if report.dry_run:
            return _(kind.would[line.outcome])
        if not report.committed:
            return _("not written")
    return _(kind.words[line.outcome])


def _counts(kind: Kind, counts: Mapping[str, int]) -> str:
    return _(kind.summary).format(**{outcome: counts.get(outcome, 0) for outcome in kind.words})


def _file_summary(kind: Kind, report: Report, skip_bad: bool) -> str:
    counts = _counts(kind, Counter(line.outcome for line in report.lines))
    rejected = report.count(REJECTED)
    if report.dry_run and rejected and not skip_bad:
        return counts + _(" (dry run; a real run would write nothing of this file)")
    if report.dry_run:
        return counts + _(" (dry run: nothing written)")
    if rejected and not report.committed:
        return counts + _(" (nothing written: fix the rejected items or use --skip-bad)")
    if rejected:
        return counts + _(" (rejected items skipped)")
    return counts


def print_reports(kind: Kind, reports: Sequence[Report], *, skip_bad: bool) -> int:
    """Print a table and a summary per file (and the totals of several), then every rejected
    item on stderr; return the exit code: 1 when a file or (without --skip-bad) an item was
    rejected, else 0."""
    rejected: list[str] = []
    totals: Counter[str] = Counter()
    failed = False
    for report in reports:
        notes = "; ".join(report.notes)
        click.echo(safe(f"\n{report.path} ({report.kind or '?'}{'; ' + notes if notes else ''})"))
        if report.error:
            failed = True
            click.echo("  " + _("file rejected: {reason}").format(reason=safe(report.error)))
            rejected.append(safe(f"{report.path}: {report.error}"))
            continue
        where = max((len(line.where) for line in report.lines), default=0)
        words = [_word(kind, line, report) for line in report.lines]
        width = max((len(word) for word in words), default=0)
        for line, word in zip(report.lines, words, strict=True):
            totals[line.outcome] += 1
            detail = line.reason if line.outcome == REJECTED else line.detail
            text = f"  {line.where:<{where}}  {word:<{width}}  {line.code:<8} {detail}"
            click.echo(safe(text.rstrip()))
            for warning in line.warnings:
                click.echo(safe(f"  {'':<{where}}  " + _("note: {text}").format(text=warning)))
            if line.outcome == REJECTED:
                rejected.append(safe(f"{report.path}: {line.where}: {line.reason}"))
        if not report.lines:
            failed = failed or kind.empty_fails
            click.echo("  " + _(kind.empty))
        click.echo("  " + _file_summary(kind, report, skip_bad))
    if len(reports) > 1:
        files = ngettext("{n} file", "{n} files", len(reports)).format(n=len(reports))
        click.echo("\n" + _("Total: {counts} in {files}").format(
            counts=_counts(kind, totals), files=files))  # fmt: skip
    if rejected:
        click.echo(_("Rejected:"), err=True)
        for line_text in rejected:
            click.echo(f"  {line_text}", err=True)
    return 1 if failed or (totals[REJECTED] and not skip_bad) else 0
