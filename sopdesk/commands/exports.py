"""`sopdesk export …`: data out to files. `export customers` writes the customer sheet.

Exit codes: 0 ok; 1 the export failed with a message; 2 usage (unsupported file type).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sopdesk.commands.imports import DB_HELP, _db_target, safe
from sopdesk.i18n import _


@click.group("export")
def export_group() -> None:
    """Export data to files: the customer sheet (.csv or .xlsx) …"""


@export_group.command("customers")
@click.argument(
    "file", metavar="FILE.csv|FILE.xlsx", type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Headers and words (stages, sources) in Chinese or English.",
)
@click.option("--db", "db_option", envvar="SOPDESK_DB", metavar="PATH|URL", help=DB_HELP)
@click.pass_context
def export_customers_command(
    ctx: click.Context, file: Path, lang: str, db_option: str | None
) -> None:
    """Write every customer as the SOP's customer sheet (客户信息与跟进记录表) to FILE.

    `sopdesk import customers FILE` reads it back: the round trip keeps the content.
    """
    from sopdesk import config
    from sopdesk.services.exporters.customers import FORMATS, export_customers
    from sopdesk.store import db
    from sopdesk.store.db import DatabaseError

    if file.suffix.lower() not in FORMATS:
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
    target = _db_target(ctx, db_option)
    if not db.is_url(target) and not Path(target).expanduser().exists():
        click.echo(_("sopdesk: no database at {target}").format(target=safe(target)), err=True)
        sys.exit(1)
    try:
        db.init(target)
        result = export_customers(file, lang, settings.rep.timezone)
    except (DatabaseError, OSError, ValueError) as exc:
        click.echo(f"sopdesk: {safe(str(exc))}", err=True)
        sys.exit(1)
    click.echo(
        _("{n} customers written to {path}").format(n=result.customers, path=safe(str(file)))
    )
