"""`sopdesk pi PI-2026-0012 [--pdf out.pdf] [--xlsx out.xlsx] [--html out.html] [--force]`.

Writes the Proforma Invoice in the formats asked for (the same documents as the workbench's
export); without any, prints the PI's summary. `PI-2026-0012` is the latest revision;
`PI-2026-0012-R2` a given one. An existing file is never overwritten without --force, and each
file is written exactly where it is named (no symlinks followed, nothing outside its directory).

Exit codes: 0 ok; 1 unknown PI, a refused output path or a failed render; 2 usage (a malformed
PI number, an option without a file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sopdesk.commands.base import command
from sopdesk.commands.common import current_rep, db_target, fail, open_store, safe, settings_for
from sopdesk.i18n import N_, _


@command(
    "pi",
    help=N_(
        "Write the Proforma Invoice PI-NUMBER as PDF, XLSX and/or HTML.\n\n"
        "PI-NUMBER is e.g. PI-2026-0012 (its latest revision) or PI-2026-0012-R2. Without "
        "--pdf/--xlsx/--html, prints its summary. Bank details and the seller's address come "
        "from the [bank] section of config.toml."
    ),
)
@click.argument("number", metavar="PI-NUMBER")
@click.option("--pdf", "pdf_path", type=click.Path(path_type=Path), help=N_("Write the PI as PDF."))
@click.option("--xlsx", "xlsx_path", type=click.Path(path_type=Path), help=N_("Write it as XLSX."))
@click.option("--html", "html_path", type=click.Path(path_type=Path), help=N_("Write it as HTML."))
@click.option("--force", is_flag=True, help=N_("Overwrite files that exist."))
@click.option(
    "--db", "db_option", metavar="PATH|URL", help=N_("Database (default: as for sopdesk).")
)
@click.pass_context
def pi(
    ctx: click.Context,
    number: str,
    pdf_path: Path | None,
    xlsx_path: Path | None,
    html_path: Path | None,
    force: bool,
    db_option: str | None,
) -> None:
    from sopdesk.services import documents, quotes
    from sopdesk.sop import quotes as quote_rules

    try:
        quote_rules.parse_number(number)
    except quote_rules.QuoteRuleError as exc:
        raise click.BadParameter(safe(str(exc)), param_hint="PI-NUMBER") from None
    target = open_store(db_target(ctx, db_option))
    current_rep()  # the PI names the rep running it: not one who left
    settings = settings_for(target)
    view = quotes.find(number)
    if view is None:
        fail(_("there is no {number} in {db}").format(number=safe(number), db=safe(target)))
    outputs = {
        kind: path
        for kind, path in (("pdf", pdf_path), ("xlsx", xlsx_path), ("html", html_path))
        if path is not None
    }
    doc = documents.build(view.quote_id, settings, settings.rep.timezone, view=view)
    if not outputs:
        _summary(doc)
        return
    try:
        result = documents.export(doc, outputs, force=force)
    except documents.DocumentError as exc:
        fail(safe(str(exc)))
    for warning in result.warnings:
        click.echo("sopdesk: " + _("warning: {text}").format(text=safe(str(warning))), err=True)
    for exported in result.files:
        click.echo(
            _("{kind}: {path}").format(kind=exported.kind.upper(), path=safe(str(exported.path)))
        )


def _summary(doc: Any) -> None:
    click.echo(safe(f"{doc.label}  {doc.status}  {doc.buyer.name}"))
    click.echo(safe(f"{doc.trade_term}  {doc.payment_terms}"))
    for line in doc.lines:
        click.echo(
            safe(
                f"  {line.no:>2}. {line.sku:<12} {line.quantity_text:>8} {line.unit:<5} "
                f"x {line.unit_price_text:>10} = {line.amount_text:>12}"
            )
        )
    click.echo(safe("  " + _("Total: {amount}").format(amount=doc.total_text)))
    if doc.valid_text:
        click.echo(_("Valid until {day}").format(day=doc.valid_text))
