"""`sopdesk draft TEMPLATE_ID --inquiry ID` and `sopdesk templates`: reply drafts for scripts.

The draft goes to stdout (an e-mail's `Subject:` line first, then a blank line, then the body;
`--format json` gives the parts separately); every problem goes to stderr with exit code 1,
worded as in the workbench ("customer contact name is empty — fill it in or edit the draft").
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from sopdesk.i18n import _

if TYPE_CHECKING:
    from sopdesk.config import Settings


def _fail(message: str) -> NoReturn:
    click.echo(f"sopdesk: {message}", err=True)
    sys.exit(1)


def _is_demo(target: str) -> bool:
    from sopdesk.cli import _is_demo_database

    return _is_demo_database(Path(target).expanduser())


def _settings_for(target: str) -> Settings:
    """The demo database drafts as the demo's rep; any other as the rep in config.toml."""
    from sopdesk import config
    from sopdesk.store import db

    if not db.is_url(target) and _is_demo(target):
        return config.demo_settings()
    try:
        return config.load()
    except config.ConfigError as exc:
        _fail(str(exc))


def _open(ctx: click.Context, db_target: str | None) -> str:
    from sopdesk.app_factory import default_db_target
    from sopdesk.store import db
    from sopdesk.store.db import DatabaseError

    target = str(db_target or (ctx.obj or {}).get("db") or default_db_target())
    if not db.is_url(target) and not Path(target).expanduser().exists():
        _fail(_("no database at {path}: run sopdesk first, or pass --db").format(path=target))
    try:
        db.init(target)
    except DatabaseError as exc:
        _fail(str(exc))
    return target


@click.command()
@click.argument("template_id")
@click.option("--inquiry", "inquiry_id", type=int, required=True, help="The inquiry's number.")
@click.option("--db", "db_target", metavar="PATH|URL", help="Database (default: as for sopdesk).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: as you would paste it; json: template, subject and text apart.",
)
@click.pass_context
def draft(
    ctx: click.Context, template_id: str, inquiry_id: int, db_target: str | None, fmt: str
) -> None:
    """Print the reply draft TEMPLATE_ID for an inquiry (see `sopdesk templates`).

    A missing value (the contact's name, your company's years …) is an error on stderr naming
    it, with exit code 1 — never a blank in the text.
    """
    from sopdesk.services import drafting

    catalogue = drafting.Catalogue()
    try:
        catalogue.get(template_id)
    except drafting.DraftError as exc:
        _fail(str(exc))
    target = _open(ctx, db_target)
    settings = _settings_for(target)
    try:
        context = drafting.build_context(inquiry_id, settings)
        result = drafting.render(template_id, context, catalogue)
    except drafting.DraftError as exc:
        _fail(str(exc))
    if fmt == "json":
        payload = {
            "template": result.template.id,
            "inquiry": result.inquiry_id,
            "channel": result.template.channel,
            "lang": result.template.lang,
            "subject": result.subject,
            "text": result.text,
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(result.as_text())


@click.command()
def templates() -> None:
    """List the reply templates: id, title, SOP stage, channel, language, and whose.

    Your own templates live in the config dir's templates/reply/ folder; one with a shipped id
    replaces the shipped one. Problems with a template file are listed on stderr.
    """
    from sopdesk.services import drafting

    catalogue = drafting.Catalogue()
    rows = [
        (
            info.id,
            info.title,
            info.stage.value,
            info.channel,
            info.lang,
            (_("yours (replaces built-in)") if info.overrides_shipped else _("yours"))
            if info.user
            else _("built-in"),
        )
        for info in catalogue.templates()
    ]
    header = (_("id"), _("title"), _("stage"), _("channel"), _("lang"), _("from"))
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    click.echo(_("your templates: {path}").format(path=catalogue.user_dir), err=True)
    for problem in catalogue.problems:
        click.echo(f"sopdesk: {problem}", err=True)
