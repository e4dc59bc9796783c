"""`sopdesk playbook check FILE | show`: the team's playbook (the SOP as data), checked and shown.

A team file holds only what differs from the shipped playbook; `check` merges it over the shipped
one and reports every problem as FILE:LINE: key: what is wrong (exit 1), or a short summary
(exit 0). `show` prints the playbook sopdesk runs with: the shipped file as it is, or the merged
result when a team file is in use, headed by the values in effect (reply clock, funnel and KPI
targets) as TOML comments, so the output still reads as a playbook.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import click

from sopdesk.commands.base import Command, group
from sopdesk.commands.base import Path as PathType
from sopdesk.i18n import N_, _, ngettext
from sopdesk.sop import playbook
from sopdesk.sop.stages import next_stage


class _CheckCommand(Command):
    """`check --help` ends with the placeholders of every trigger, from the playbook rules."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lines = ["\b", _("Placeholders a cadence's title and why may use, per trigger:")]
        for trigger, names in playbook.PLACEHOLDERS.items():
            lines.append(f"  {trigger.value:<15} " + " ".join("{" + n + "}" for n in sorted(names)))
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text("\n".join(lines))


@group(
    "playbook",
    help=N_(
        "The team playbook: morning routine, cadences, stale limits, targets, buying signals."
        "\n\n"
        "sopdesk ships the SOP as a playbook; a team file `playbook.toml` in the config folder "
        "changes any part of it. A broken team file is refused at start and the shipped playbook "
        "is used."
    ),
)
def playbook_group() -> None:
    pass


@playbook_group.command(
    "check",
    cls=_CheckCommand,
    help=N_(
        "Validate FILE as a team playbook (merged over the shipped one).\n\n"
        "Problems are printed as FILE:LINE: key: what is wrong, and the exit code is 1."
    ),
)
@click.argument("file", type=PathType(exists=True, dir_okay=False, path_type=Path), metavar="FILE")
def check(file: Path) -> None:
    try:
        result = playbook.check_file(file)
    except playbook.PlaybookError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        count = len(exc.problems)
        problems = ngettext(
            "{path}: {n} problem; sopdesk would use the shipped playbook instead",
            "{path}: {n} problems; sopdesk would use the shipped playbook instead",
            count,
        )
        click.echo("sopdesk: " + problems.format(path=file, n=count), err=True)
        sys.exit(1)
    stale = sum(1 for r in result.stages.values() if r.stale_after)
    phrases = sum(len(v) for lang in result.signals.rules.phrases.values() for v in lang.values())
    counts = (
        ngettext("{n} routine item", "{n} routine items", len(result.routine)),
        ngettext("{n} cadence", "{n} cadences", len(result.cadences)),
        ngettext("{n} stage with a stale limit", "{n} stages with a stale limit", stale),
        ngettext("{n} KPI", "{n} KPIs", len(result.kpis)),
        ngettext("{n} signal phrase", "{n} signal phrases", phrases),
    )
    numbers = (len(result.routine), len(result.cadences), stale, len(result.kpis), phrases)
    click.echo(
        _("{path}: ok — {counts}").format(
            path=file,
            counts=_(", ").join(text.format(n=n) for text, n in zip(counts, numbers, strict=True)),
        )
    )
    for line in effective_values(result):
        click.echo(line)


@playbook_group.command(
    "show",
    help=N_(
        "Print the playbook in effect (the shipped one, or merged with the team file).\n\n"
        "Start a team file from `sopdesk playbook show --shipped`, keep only what you change, and "
        "put it at the path printed in the header."
    ),
)
@click.option("--shipped", is_flag=True, help=N_("Print the shipped playbook, with its comments."))
def show(shipped: bool) -> None:
    override = playbook.override_path()
    if shipped:
        click.echo(playbook.shipped_text(), nl=False)
        return
    loaded = playbook.load(override)
    if loaded.warning:
        click.echo(loaded.warning, err=True)
    for line in effective_values(loaded.playbook):
        click.echo(f"# {line}")
    if len(loaded.playbook.sources) == 1:
        click.echo("# " + _("The shipped playbook (no team file at {path}).").format(path=override))
        click.echo(playbook.shipped_text(), nl=False)
        return
    import tomli_w

    click.echo(
        "# " + _("The playbook in effect: the shipped one with the team file merged over it:")
    )
    for source in loaded.playbook.sources:
        click.echo(f"#   {source}")
    click.echo(tomli_w.dumps(cast(dict[str, Any], _plain(loaded.playbook.document))), nl=False)


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f} %"


def _minutes(minutes: float) -> str:
    return _("{n} min").format(n=int(minutes))


def effective_values(book: playbook.Playbook) -> list[str]:
    """The numbers sopdesk counts with, in a few lines (`sopdesk playbook show`)."""
    fresh, due = book.reply.fresh.total_seconds() / 60, book.reply.due.total_seconds() / 60
    lines = [
        _("In effect:"),
        "  "
        + _("reply clock: ideally within {fresh}, never later than {due}").format(
            fresh=_minutes(fresh), due=_minutes(due)
        ),
        "  " + _("(Alibaba's own 24-hour reply rule is the platform's and cannot be changed here)"),
    ]
    targets = book.funnel_targets()
    steps = [
        f"{stage.value} → {after.value} {_percent(share)}"
        for stage, share in targets.items()
        if (after := next_stage(stage)) is not None
    ]
    lines.append("  " + _("funnel targets: {steps}").format(steps=", ".join(steps) or "—"))
    kpis = [
        f"{ident} {_percent(k.target) if k.unit is playbook.KpiUnit.PERCENT else k.target}"
        for ident, k in book.kpis.items()
        if k.target is not None
    ]
    kpis.append(_("first_reply_median ≤ {due} (the reply clock)").format(due=_minutes(due)))
    lines.append("  " + _("KPI targets: {kpis}").format(kpis=", ".join(kpis)))
    return lines


def _plain(value: object) -> object:
    """tomli_w wants plain dicts and lists."""
    if hasattr(value, "items"):  # a dict, or tomlkit's table
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
