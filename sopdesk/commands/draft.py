"""`sopdesk draft TEMPLATE_ID --inquiry ID` and `sopdesk templates`: reply drafts for scripts.

The draft goes to stdout (an e-mail's `Subject:` line first, then a blank line, then the body;
`--format json` gives the parts separately); every problem goes to stderr with exit code 1,
worded as in the workbench ("customer contact name is empty — fill it in or edit the draft").
"""

from __future__ import annotations

import json

import click

from sopdesk.commands.base import command
from sopdesk.commands.common import current_rep, db_target, fail, open_store, safe, settings_for
from sopdesk.i18n import N_, _


@command(
    help=N_(
        "Print the reply draft TEMPLATE_ID for an inquiry (see `sopdesk templates`).\n\n"
        "A missing value (the contact's name, your company's years …) is an error on stderr "
        "naming it, with exit code 1 — never a blank in the text."
    )
)
@click.argument("template_id")
@click.option("--inquiry", "inquiry_id", type=int, required=True, help=N_("The inquiry's number."))
@click.option(
    "--db", "db_option", metavar="PATH|URL", help=N_("Database (default: as for sopdesk).")
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help=N_("text: as you would paste it; json: template, subject and text apart."),
)
@click.pass_context
def draft(
    ctx: click.Context, template_id: str, inquiry_id: int, db_option: str | None, fmt: str
) -> None:
    from sopdesk.services import drafting

    catalogue = drafting.Catalogue()
    try:
        catalogue.get(template_id)
    except drafting.DraftError as exc:
        fail(safe(str(exc)))
    target = open_store(db_target(ctx, db_option))
    current_rep()  # a draft is written as the rep running it: not one who left
    settings = settings_for(target)
    try:
        context = drafting.build_context(inquiry_id, settings)
        result = drafting.render(template_id, context, catalogue)
    except drafting.DraftError as exc:
        fail(safe(str(exc)))
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


@command(
    help=N_(
        "List the reply templates: id, title, SOP stage, channel, language, and whose.\n\n"
        "Your own templates live in the config folder's templates/reply/ folder; one with a "
        "shipped id replaces the shipped one. Problems with a template file are listed on stderr."
    )
)
def templates() -> None:
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
    click.echo(_("your templates: {path}").format(path=safe(str(catalogue.user_dir))), err=True)
    for problem in catalogue.problems:
        click.echo(f"sopdesk: {safe(str(problem))}", err=True)
