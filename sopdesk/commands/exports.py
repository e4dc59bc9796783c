"""`sopdesk export …`: data out to files. `export customers` writes the customer sheet.

Exit codes: 0 ok; 1 the export failed with a message; 2 usage (unsupported file type).
"""

from __future__ import annotations

from pathlib import Path

import click

from sopdesk.commands.base import group
from sopdesk.commands.common import (
    DB_HELP,
    check_suffix,
    current_rep,
    db_target,
    fail,
    load_settings,
    open_store,
    safe,
)
from sopdesk.i18n import N_, _, ngettext


@group("export", help=N_("Export data to files: the customer sheet (.csv or .xlsx) …"))
def export_group() -> None:
    pass


@export_group.command(
    "customers",
    help=N_(
        "Write every customer as the SOP's customer sheet (客户信息与跟进记录表) to FILE.\n\n"
        "`sopdesk import customers FILE` reads it back: the round trip keeps the content."
    ),
)
@click.argument(
    "file", metavar="FILE.csv|FILE.xlsx", type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help=N_("Headers and words (stages, sources) in Chinese or English."),
)
@click.option("--db", "db_option", envvar="SOPDESK_DB", metavar="PATH|URL", help=DB_HELP)
@click.pass_context
def export_customers_command(
    ctx: click.Context, file: Path, lang: str, db_option: str | None
) -> None:
    from sopdesk.services.exporters.customers import FORMATS, export_customers

    check_suffix(file, FORMATS, _("{path}: unsupported file type {suffix!r} (use .csv or .xlsx)"))
    settings = load_settings()
    open_store(db_target(ctx, db_option))
    current_rep()  # the customer sheet is not for a rep who left
    try:
        result = export_customers(file, lang, settings.rep.timezone)
    except (OSError, ValueError) as exc:
        fail(safe(str(exc)))
    click.echo(
        ngettext(
            "{n} customer written to {path}", "{n} customers written to {path}", result.customers
        ).format(n=result.customers, path=safe(str(file)))
    )
