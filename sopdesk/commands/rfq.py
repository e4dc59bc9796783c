"""`sopdesk rfq …`: the RFQ log (SOP 1.4) — RFQs seen in the market, quotes against the quota."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import click

from sopdesk.commands.base import group
from sopdesk.commands.common import current_rep, db_target, fail, load_settings, open_store, safe
from sopdesk.i18n import N_, _

if TYPE_CHECKING:
    import pendulum

    from sopdesk.config import Settings


def _open(ctx: click.Context) -> tuple[Settings, pendulum.DateTime]:
    """(settings, now) with the database open (created if need be); exits 1 when it cannot be, or
    when a manager deactivated the rep running it."""
    from sopdesk import clock

    settings = load_settings()
    open_store(db_target(ctx), must_exist=False)
    current_rep()
    return settings, clock.now()


@group(
    "rfq",
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
        "The RFQ log: RFQs seen in the RFQ market, quotes sent against the monthly quota "
        "(`rfq_monthly_quota` in config) and what came of them."
    ),
)
def rfq() -> None:
    pass


@rfq.command("add", help=N_("Log an RFQ for PRODUCT."))
@click.argument("product")
@click.option("--country", default="", help=N_("The buyer's country, ISO code (DE, US …)."))
@click.option("--quantity", default="", help=N_('As the buyer wrote it, e.g. "500 pcs".'))
@click.option(
    "--posted",
    type=click.DateTime(formats=["%Y-%m-%d %H:%M", "%Y-%m-%d"]),
    help=N_("When the RFQ was posted, in your zone (default: now)."),
)
@click.pass_context
def rfq_add(
    ctx: click.Context, product: str, country: str, quantity: str, posted: datetime | None
) -> None:
    import pendulum

    from sopdesk.services import rfqs

    settings, now = _open(ctx)
    at = now
    if posted is not None:
        at = pendulum.instance(posted, tz=settings.rep.timezone).in_timezone("UTC")
    try:
        rfq_id = rfqs.log_rfq(at, product, country, quantity, now=now)
    except rfqs.RfqError as exc:
        fail(safe(str(exc)))
    click.echo(_("RFQ {id} logged").format(id=rfq_id))


@rfq.command("quote", help=N_("Record the quote sent for RFQ_ID: PRICE (per unit) in CURRENCY."))
@click.argument("rfq_id", type=int)
@click.argument("price")
@click.argument("currency", default="USD")
@click.pass_context
def rfq_quote(ctx: click.Context, rfq_id: int, price: str, currency: str) -> None:
    from sopdesk.services import rfqs

    settings, now = _open(ctx)
    try:
        amount = Decimal(price.replace(",", ""))
    except InvalidOperation:
        fail(_("{price!r} is not a price").format(price=safe(price)))
    try:
        rfqs.quote(rfq_id, amount, currency, now)
    except rfqs.RfqError as exc:
        fail(safe(str(exc)))
    quota = rfqs.quota_status(now, settings.rep.timezone, settings.rfq_monthly_quota)
    click.echo(
        _("RFQ {id} quoted; {used} of {quota} quotes used this month").format(
            id=rfq_id, used=quota.used, quota=quota.quota
        )
    )


@rfq.command("result", help=N_("Record what came of the quote for RFQ_ID."))
@click.argument("rfq_id", type=int)
@click.argument("result", type=click.Choice(["replied", "sample", "order", "no_reply", "lost"]))
@click.pass_context
def rfq_result(ctx: click.Context, rfq_id: int, result: str) -> None:
    from sopdesk.services import rfqs

    _settings, now = _open(ctx)
    try:
        rfqs.record_result(rfq_id, result, now)
    except rfqs.RfqError as exc:
        fail(safe(str(exc)))
    click.echo(_("RFQ {id}: {result}").format(id=rfq_id, result=result))


@rfq.command("list", help=N_("The latest RFQs, the open ones to quote and this month's quota."))
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=50,
    show_default=True,
    help=N_("How many RFQs to list."),
)
@click.pass_context
def rfq_list(ctx: click.Context, limit: int) -> None:
    from sopdesk.services import rfqs

    settings, now = _open(ctx)
    zone = settings.rep.timezone
    to_quote, quota = rfqs.routine_note(now, zone, settings.rfq_monthly_quota)
    click.echo(
        _("To quote: {n} · quotes this month: {used} of {quota} ({left} left)").format(
            n=to_quote, used=quota.used, quota=quota.quota, left=quota.remaining
        )
    )
    for row in rfqs.window(limit):
        posted = row.posted_at.in_timezone(zone).format("YYYY-MM-DD HH:mm")
        quoted = f"{row.currency} {row.price:,.2f}" if row.price is not None else _("not quoted")
        product, quantity = (" ".join(text.split()) for text in (row.product, row.quantity))
        click.echo(
            safe(
                f"{row.rfq_id:>5}  {posted}  {row.buyer_country or '--':<2}  "
                f"{product[:40]:<40}  {quantity[:12]:<12}  {quoted:<16}  {row.result}"
            ).rstrip()
        )
