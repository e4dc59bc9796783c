"""`sopdesk import …`: bring data in from files. One subcommand per kind of data.

Exit codes (as everywhere in sopdesk): 0 ok; 1 input rejected (a rejected row or message, a file
that cannot be read as its kind); 2 usage (no file, a missing or unreadable file, an unsupported
file type). With --skip-bad the rejected items are still listed, but the exit code is 0 when
everything else was imported; a file rejected as a whole still exits 1.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from sopdesk.i18n import _
from sopdesk.services.importers import FileReport, ItemReport, ItemStatus

DB_HELP = "Database file or URL (default: the --db of `sopdesk`, $SOPDESK_DB, or your own)."
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """File text for the terminal: control characters (ESC …) and bidi overrides made visible."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


@click.group("import")
def import_group() -> None:
    """Import data from files: inquiries (.eml, .mbox, .csv) …

    Each file is imported in one transaction: nothing of a file is written when any of its items
    is rejected, unless --skip-bad is given. Importing the same file again adds nothing.
    """


def _db_target(ctx: click.Context, db_option: str | None) -> str:
    from sopdesk.app_factory import default_db_target

    parent = (
        (ctx.find_root().obj or {}).get("db") if isinstance(ctx.find_root().obj, dict) else None
    )
    return db_option or parent or default_db_target()


@contextmanager
def _database(target: str, dry_run: bool) -> Iterator[str]:
    """Open (and migrate) the database; a dry run on a database that does not exist yet runs
    against a throw-away empty one, so it creates nothing."""
    from sopdesk.store import db

    if dry_run and not db.is_url(target) and not Path(target).expanduser().exists():
        with tempfile.TemporaryDirectory(prefix="sopdesk-dry-run-") as tmp:
            db.init(Path(tmp) / "empty.db")
            yield _("{target} (does not exist yet: dry run against an empty database)").format(
                target=target
            )
        return
    db.init(target)
    yield target


def _owner_id() -> int | None:
    """The rep running the import, when the workbench has already met them."""
    from sopdesk.services.session import current_login
    from sopdesk.store.db import database
    from sopdesk.store.models import Rep

    with database.connection_context():
        rep = Rep.get_or_none(Rep.login == current_login())
        return int(rep.get_id()) if rep is not None else None


def _check_files(files: Sequence[Path]) -> None:
    from sopdesk.services.importers.inquiries import SUPPORTED

    for path in files:
        if path.suffix.lower() not in SUPPORTED:
            raise click.BadParameter(
                _("{path}: unsupported file type {suffix!r} (use .eml, .mbox or .csv)").format(
                    path=safe(str(path)), suffix=safe(path.suffix or "(none)")
                ),
                param_hint="FILE",
            )


@import_group.command("inquiries")
@click.argument(
    "files",
    metavar="FILE...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
)
@click.option("--skip-bad", is_flag=True, help="Import the good items of a file with bad ones.")
@click.option("--dry-run", is_flag=True, help="Show what would happen; write nothing.")
@click.option(
    "--assign",
    is_flag=True,
    help="Give each inquiry out by the playbook's [assignment] rule (a team's cron import) "
    "instead of to the rep running the import.",
)
@click.option("--db", "db_option", envvar="SOPDESK_DB", metavar="PATH|URL", help=DB_HELP)
@click.pass_context
def import_inquiries_command(
    ctx: click.Context,
    files: tuple[Path, ...],
    skip_bad: bool,
    dry_run: bool,
    db_option: str | None,
    assign: bool = False,
) -> None:
    """Import inquiries from FILE… (.eml, .mbox or .csv; see docs/import-inquiries.md).

    Each inquiry is linked to a customer by e-mail, company domain or company name, or a new
    customer is created. Every rejected row or message is listed with its number and reason.
    """
    from sopdesk import config
    from sopdesk.services.importers.inquiries import import_inquiries
    from sopdesk.store.db import DatabaseError

    _check_files(files)
    try:
        settings = config.load()
    except config.ConfigError as exc:
        click.echo(f"sopdesk: {exc}", err=True)
        sys.exit(1)
    target = _db_target(ctx, db_option)
    try:
        with _database(target, dry_run) as label:
            owner = None if assign else _owner_id()
            reports = import_inquiries(
                files,
                skip_bad=skip_bad,
                dry_run=dry_run,
                owner_id=owner,
                rep_zone=settings.rep.timezone,
            )
    except DatabaseError as exc:
        click.echo(f"sopdesk: {exc}", err=True)
        sys.exit(1)
    click.echo(_("database: {label}").format(label=safe(label)))
    sys.exit(print_reports(reports, skip_bad=skip_bad, dry_run=dry_run))


# --- the report (shared by every `import` subcommand) -------------------------------------------


def _status(item: ItemReport, report: FileReport) -> str:
    if item.status is ItemStatus.IMPORTED and not report.committed:
        return _("not written")
    if item.status is ItemStatus.IMPORTED and report.dry_run:
        return _("would import")
    return {
        ItemStatus.IMPORTED: _("imported"),
        ItemStatus.DUPLICATE: _("duplicate"),
        ItemStatus.REJECTED: _("rejected"),
    }[item.status]


def _detail(item: ItemReport) -> str:
    if item.status is ItemStatus.REJECTED:
        return item.reason
    if item.created_customer:
        return _("new customer")
    if item.linked_by:
        return _("linked by {how}").format(how=item.linked_by)
    return ""


def _file_summary(report: FileReport, skip_bad: bool) -> str:
    counts = _("{imported} new, {duplicate} duplicate, {rejected} rejected").format(
        imported=report.count(ItemStatus.IMPORTED),
        duplicate=report.count(ItemStatus.DUPLICATE),
        rejected=report.count(ItemStatus.REJECTED),
    )
    if report.dry_run and report.rejected and not report.committed:
        return counts + _(" (dry run; a real run would write nothing of this file)")
    if report.dry_run:
        return counts + _(" (dry run: nothing written)")
    if report.rejected and not report.committed:
        return counts + _(" (nothing written: fix the rejected items or use --skip-bad)")
    if report.rejected and skip_bad:
        return counts + _(" (rejected items skipped)")
    return counts


def print_reports(reports: Sequence[FileReport], *, skip_bad: bool, dry_run: bool) -> int:
    """Print a table per file, a summary and every rejected item; return the exit code."""
    rejected: list[str] = []
    totals = dict.fromkeys(ItemStatus, 0)
    failed_files = 0
    for report in reports:
        notes = "; ".join(report.notes)
        click.echo(
            f"\n{safe(str(report.path))} ({report.kind or '?'}{'; ' + notes if notes else ''})"
        )
        if report.error:
            failed_files += 1
            click.echo("  " + _("file rejected: {reason}").format(reason=safe(report.error)))
            rejected.append(f"{safe(str(report.path))}: {safe(report.error)}")
            continue
        for item in report.items:
            totals[item.status] += 1
            code = item.customer_code
            line = f"  {item.where:<22} {_status(item, report):<12} {code:<8} {_detail(item)}"
            click.echo(safe(line.rstrip()))
            for warning in item.warnings:
                click.echo(safe(f"  {'':<22} {'':<12} {'':<8} " + _("note: ") + warning))
            if item.status is ItemStatus.REJECTED:
                rejected.append(safe(f"{report.path}: {item.where}: {item.reason}"))
        if not report.items:
            click.echo("  " + _("no inquiries in this file"))
        click.echo("  " + _file_summary(report, skip_bad))
    click.echo(
        "\n"
        + _(
            "Total: {imported} new, {duplicate} duplicate, {rejected} rejected in {files} file(s)"
        ).format(
            imported=totals[ItemStatus.IMPORTED],
            duplicate=totals[ItemStatus.DUPLICATE],
            rejected=totals[ItemStatus.REJECTED],
            files=len(reports),
        )
        + (_(" — dry run, nothing was written") if dry_run else "")
    )
    if rejected:
        click.echo(_("Rejected:"), err=True)
        for line in rejected:
            click.echo(f"  {line}", err=True)
    if failed_files or (totals[ItemStatus.REJECTED] and not skip_bad):
        return 1
    return 0


@import_group.command("metrics")
@click.argument(
    "file",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
)
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day a product export without a date column covers (YYYY-MM-DD).",
)
@click.option("--db", "db_option", envvar="SOPDESK_DB", metavar="PATH|URL", help=DB_HELP)
@click.pass_context
def import_metrics_command(
    ctx: click.Context, file: Path, day: object, db_option: str | None
) -> None:
    """Import the platform's store data export FILE (.csv or .xlsx): daily store figures
    (日期, 曝光, 点击, 询盘, TM咨询, 访客) or per-product figures (产品名称, 曝光, 点击, 询盘).

    Re-importing a day replaces that day. Nothing is written when any row is rejected; every
    rejected row is listed with its line number.
    """
    from datetime import datetime

    from sopdesk import clock, config
    from sopdesk.services import store_data
    from sopdesk.services.importers.metrics import MetricsFileError, import_metrics
    from sopdesk.store.db import DatabaseError

    if file.suffix.lower() not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise click.BadParameter(
            _("{path}: unsupported file type {suffix!r} (use .csv or .xlsx)").format(
                path=safe(str(file)), suffix=safe(file.suffix or "(none)")
            ),
            param_hint="FILE",
        )
    try:
        settings = config.load()
    except config.ConfigError as exc:
        click.echo(f"sopdesk: {exc}", err=True)
        sys.exit(1)
    zone = settings.rep.timezone
    covered = day.date() if isinstance(day, datetime) else None
    try:
        with _database(_db_target(ctx, db_option), dry_run=False) as label:
            now = clock.now()
            result = import_metrics(file, now, zone, covered)
            created_tasks = (
                store_data.sync_zero_effect_tasks(now, zone, _owner_id()) if result.imported else 0
            )
    except MetricsFileError as exc:
        click.echo(
            _("sopdesk: {path}: {error}").format(path=safe(str(file)), error=safe(str(exc))),
            err=True,
        )
        sys.exit(1)
    except DatabaseError as exc:
        click.echo(f"sopdesk: {exc}", err=True)
        sys.exit(1)
    click.echo(_("database: {label}").format(label=safe(label)))
    kind = _("store data") if result.kind == "store" else _("product data")
    span = f"{result.days[0].isoformat()} – {result.days[-1].isoformat()}" if result.days else "—"
    if result.ignored_columns:
        click.echo(
            _("ignored columns: {names}").format(names=safe(", ".join(result.ignored_columns)))
        )
    if not result.imported:
        click.echo(
            _("{path} ({kind}, {span}): nothing written, {n} rejected row(s):").format(
                path=safe(str(file)), kind=kind, span=span, n=len(result.rejected)
            ),
            err=True,
        )
        for row in result.rejected:
            click.echo(
                "  " + _("line {line}: {reason}").format(line=row.line, reason=safe(row.reason)),
                err=True,
            )
        sys.exit(1)
    click.echo(
        _(
            "{path} ({kind}): {rows} row(s) for {days} day(s), {span}; {replaced} day(s) replaced"
        ).format(
            path=safe(str(file)),
            kind=kind,
            rows=result.rows,
            days=len(result.days),
            span=span,
            replaced=result.replaced_days,
        )
    )
    if result.created_products:
        click.echo(
            _("{n} product(s) added to the catalogue from the export").format(
                n=result.created_products
            )
        )
    if created_tasks:
        click.echo(_("{n} new task(s) to optimise zero-effect products").format(n=created_tasks))


# --- customers (issue 4) ------------------------------------------------------------------------


@import_group.command("customers")
@click.argument(
    "file",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="'Header=field'",
    help="Read column Header as field (repeatable); field 'ignore' skips a column. Fields: "
    "number, company, name, first_name, last_name, contact, country, source, first_contact, "
    "stage, latest_follow_up, next_follow_up, expected_value, notes, email, phone, phone2, "
    "whatsapp, website, linkedin, buyer_type, potential, lost_reason, tags.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what would be created, updated, merged and rejected; write nothing.",
)
@click.option("--skip-bad", is_flag=True, help="Import the good rows of a sheet with bad ones.")
@click.option(
    "--date-order",
    type=click.Choice(["dmy", "mdy"], case_sensitive=False),
    help="Day/month order of dates like 3/11/2020 when the column does not tell.",
)
@click.option(
    "--currency", default="USD", show_default=True, help="Currency of amounts without one."
)
@click.option("--db", "db_option", envvar="SOPDESK_DB", metavar="PATH|URL", help=DB_HELP)
@click.pass_context
def import_customers_command(
    ctx: click.Context,
    file: Path,
    maps: tuple[str, ...],
    dry_run: bool,
    skip_bad: bool,
    date_order: str | None,
    currency: str,
    db_option: str | None,
) -> None:
    """Import the customer sheet FILE (.csv or .xlsx): the SOP's appendix-1 columns in Chinese
    or English are recognised; rows already in sopdesk are updated or merged, not doubled."""
    from sopdesk import config
    from sopdesk.services.importers import customers as sheet_import
    from sopdesk.store.db import DatabaseError

    if file.suffix.lower() not in sheet_import.SUPPORTED:
        raise click.BadParameter(
            _("{path}: unsupported file type {suffix!r} (use .csv or .xlsx)").format(
                path=safe(str(file)), suffix=safe(file.suffix or "(none)")
            ),
            param_hint="FILE",
        )
    try:
        mapping = sheet_import.parse_mapping(maps)
    except ValueError as exc:
        raise click.BadParameter(safe(str(exc)), param_hint="--map") from None
    if not re.fullmatch(r"[A-Za-z]{3}", currency):
        raise click.BadParameter(_("a three-letter ISO code such as USD"), param_hint="--currency")
    try:
        settings = config.load()
    except config.ConfigError as exc:
        click.echo(f"sopdesk: {exc}", err=True)
        sys.exit(1)
    target = _db_target(ctx, db_option)
    try:
        with _database(target, dry_run) as label:
            report = sheet_import.import_customers(
                file,
                mapping,
                dry_run=dry_run,
                skip_bad=skip_bad,
                rep_zone=settings.rep.timezone,
                owner_id=_owner_id(),
                default_currency=currency.upper(),
                date_order=date_order.upper() if date_order else None,
            )
    except DatabaseError as exc:
        click.echo(f"sopdesk: {exc}", err=True)
        sys.exit(1)
    click.echo(_("database: {label}").format(label=safe(label)))
    sys.exit(print_customer_report(report, skip_bad=skip_bad))


def print_customer_report(report, *, skip_bad: bool) -> int:  # type: ignore[no-untyped-def]
    """Every row with what happened to it, the notes, a summary; returns the exit code."""
    from sopdesk.services.importers.customers import Outcome

    words = {
        Outcome.CREATED: (_("created"), _("would create")),
        Outcome.UPDATED: (_("updated"), _("would update")),
        Outcome.MERGED: (_("merged"), _("would merge")),
        Outcome.REJECTED: (_("rejected"), _("rejected")),
    }
    notes = "; ".join(report.notes)
    click.echo(f"\n{safe(str(report.path))} ({report.kind or '?'}{'; ' + notes if notes else ''})")
    if report.error:
        click.echo(_("file rejected: {reason}").format(reason=safe(report.error)), err=True)
        return 1
    for row in report.rows:
        word = words[row.outcome][0 if report.committed else 1]
        how = row.reason if row.outcome is not Outcome.REJECTED else ""
        line = f"  {_('row')} {row.row:<6} {word:<14} {row.customer_code:<8} {row.name}"
        click.echo(safe((line + (f"  ({how})" if how else "")).rstrip()))
        for warning in row.warnings:
            click.echo(safe(f"  {'':<10} {_('note: ')}{warning}"))
        if row.outcome is Outcome.REJECTED:
            click.echo(safe(f"  {'':<10} {row.reason}"))
    summary = _(
        "{created} created, {updated} updated, {merged} merged, {rejected} rejected"
    ).format(
        created=report.count(Outcome.CREATED),
        updated=report.count(Outcome.UPDATED),
        merged=report.count(Outcome.MERGED),
        rejected=report.count(Outcome.REJECTED),
    )
    if report.dry_run:
        summary += _(" (dry run: nothing written)")
    elif report.rejected and not report.committed:
        summary += _(" (nothing written: fix the rejected rows or use --skip-bad)")
    elif report.rejected:
        summary += _(" (rejected rows skipped)")
    click.echo(summary)
    if report.rejected:
        click.echo(_("Rejected:"), err=True)
        for row in report.rejected:
            click.echo(safe(f"  {_('row')} {row.row}: {row.reason}"), err=True)
    return 1 if report.rejected and not skip_bad else 0


# --- products (issue 6) -------------------------------------------------------------------------


@import_group.command("products")
@click.argument(
    "file",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
)
@click.option(
    "--dry-run", is_flag=True, help="Show what would be created and updated; write nothing."
)
@click.option("--skip-bad", is_flag=True, help="Import the good rows of a sheet with bad ones.")
@click.option("--db", "db_option", envvar="SOPDESK_DB", metavar="PATH|URL", help=DB_HELP)
@click.pass_context
def import_products_command(
    ctx: click.Context, file: Path, dry_run: bool, skip_bad: bool, db_option: str | None
) -> None:
    """Import the product catalogue FILE (.csv or .xlsx), one product per row, matched by SKU.

    Columns (English or Chinese headers): SKU, Name, Specs, Material, Process, Certifications,
    Packaging, MOQ, Unit, Lead time, Selling points, Applications, HS code, Photos, Price tiers
    ("100: 28.50; 500: 25.80"), Currency. Nothing is written when a row is rejected, unless
    --skip-bad.
    """
    from sopdesk.services import catalog
    from sopdesk.store.db import DatabaseError

    if file.suffix.lower() not in catalog.SUPPORTED:
        raise click.BadParameter(
            _("{path}: unsupported file type {suffix!r} (use .csv or .xlsx)").format(
                path=safe(str(file)), suffix=safe(file.suffix or "(none)")
            ),
            param_hint="FILE",
        )
    target = _db_target(ctx, db_option)
    try:
        with _database(target, dry_run) as label:
            report = catalog.import_products(file, dry_run=dry_run, skip_bad=skip_bad)
    except DatabaseError as exc:
        click.echo(f"sopdesk: {exc}", err=True)
        sys.exit(1)
    click.echo(_("database: {label}").format(label=safe(label)))
    sys.exit(print_product_report(report, skip_bad=skip_bad))


def print_product_report(report, *, skip_bad: bool) -> int:  # type: ignore[no-untyped-def]
    """Every row with what happened to it, then a summary; returns the exit code."""
    from sopdesk.services.catalog import Outcome

    words = {
        Outcome.CREATED: (_("created"), _("would create")),
        Outcome.UPDATED: (_("updated"), _("would update")),
        Outcome.REJECTED: (_("rejected"), _("rejected")),
    }
    notes = "; ".join(report.notes)
    click.echo(f"\n{safe(str(report.path))} ({report.kind or '?'}{'; ' + notes if notes else ''})")
    if report.error:
        click.echo(_("file rejected: {reason}").format(reason=safe(report.error)), err=True)
        return 1
    for row in report.rows:
        word = words[row.outcome][0 if report.committed else 1]
        line = f"  {_('row')} {row.row:<6} {word:<14} {row.sku}"
        click.echo(safe(line.rstrip()))
        if row.outcome is Outcome.REJECTED:
            click.echo(safe(f"  {'':<10} {row.reason}"))
    summary = _("{created} created, {updated} updated, {rejected} rejected").format(
        created=report.count(Outcome.CREATED),
        updated=report.count(Outcome.UPDATED),
        rejected=report.count(Outcome.REJECTED),
    )
    if report.dry_run:
        summary += _(" (dry run: nothing written)")
    elif report.rejected and not report.committed:
        summary += _(" (nothing written: fix the rejected rows or use --skip-bad)")
    elif report.rejected:
        summary += _(" (rejected rows skipped)")
    click.echo(summary)
    if not report.rows:
        click.echo(_("the file has no product rows"), err=True)
        return 1
    return 1 if report.rejected and not skip_bad else 0
