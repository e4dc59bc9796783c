"""`sopdesk playbook check FILE | show`: the team's playbook (the SOP as data), checked and shown.

A team file holds only what differs from the shipped playbook; `check` merges it over the shipped
one and reports every problem as FILE:LINE: key: what is wrong (exit 1), or a short summary
(exit 0). `show` prints the playbook sopdesk runs with: the shipped file as it is, or the merged
result when a team file is in use.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sopdesk.sop import playbook


def _placeholders_help() -> str:
    lines = ["\b", "Placeholders a cadence's title and why may use, per trigger:"]
    for trigger, names in playbook.PLACEHOLDERS.items():
        lines.append(f"  {trigger.value:<15} " + " ".join("{" + n + "}" for n in sorted(names)))
    return "\n".join(lines)


@click.group("playbook")
def playbook_group() -> None:
    """The team playbook: morning routine, cadences, stale limits, targets, buying signals.

    sopdesk ships the SOP as a playbook; a team file `playbook.toml` in the config dir changes any
    part of it. A broken team file is refused at start and the shipped playbook is used.
    """


@playbook_group.command("check", epilog=_placeholders_help())
@click.argument(
    "file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE"
)
def check(file: Path) -> None:
    """Validate FILE as a team playbook (merged over the shipped one).

    Problems are printed as FILE:LINE: key: what is wrong, and the exit code is 1.
    """
    try:
        result = playbook.check_file(file)
    except playbook.PlaybookError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        count = len(exc.problems)
        click.echo(
            f"sopdesk: {file}: {count} problem{'s' if count != 1 else ''}; "
            "sopdesk would use the shipped playbook instead",
            err=True,
        )
        sys.exit(1)
    click.echo(
        f"{file}: ok — {len(result.routine)} routine items, {len(result.cadences)} cadences, "
        f"{sum(1 for r in result.stages.values() if r.stale_after)} stages with a stale limit, "
        f"{len(result.kpis)} KPIs, "
        f"{sum(len(v) for lang in result.signals.rules.phrases.values() for v in lang.values())}"
        " signal phrases"
    )


@playbook_group.command("show")
@click.option("--shipped", is_flag=True, help="Print the shipped playbook, with its comments.")
def show(shipped: bool) -> None:
    """Print the playbook in effect (the shipped one, or merged with the team file).

    Start a team file from `sopdesk playbook show --shipped`, keep only what you change, and put
    it at the path printed in the header.
    """
    override = playbook.override_path()
    if shipped:
        click.echo(playbook.shipped_text(), nl=False)
        return
    loaded = playbook.load(override)
    if loaded.warning:
        click.echo(loaded.warning, err=True)
    if len(loaded.playbook.sources) == 1:
        click.echo(f"# The shipped playbook (no team file at {override}).")
        click.echo(playbook.shipped_text(), nl=False)
        return
    import tomli_w

    click.echo("# The playbook in effect: the shipped one with the team file merged over it:")
    for source in loaded.playbook.sources:
        click.echo(f"#   {source}")
    click.echo(tomli_w.dumps(_plain(loaded.playbook.document)), nl=False)


def _plain(value: object) -> object:
    """tomli_w wants plain dicts and lists."""
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}  # type: ignore[attr-defined]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
