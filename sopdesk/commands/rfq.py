"""`sopdesk rfq …`: the RFQ log (SOP 1.4) — RFQs seen in the market, quotes against the quota."""

from __future__ import annotations

import sys
from decimal import Decimal, InvalidOperation

import click

from sopdesk.i18n import _


def _fail(message: str) -> None:
    click.echo(f"sopdesk: {message}", err=True)
    sys.exit(1)


def _open(ctx: click.Context):
    """(settings, now) with the database open; exits 1 with a message when it cannot be."""
    from sopdesk import clock, config
    from sopdesk.app_factory import default_db_target
    from sopdesk.store import db
    from sopdesk.store.db import DatabaseError

    try:
        settings = config.load()
    except config.ConfigError as exc:
        _fail(str(exc))
    root = ctx.find_root().obj
    target = (root.get("db") if isinstance(root, dict) else None) or default_db_target()
    try:
        db.init(target)
    except DatabaseError as exc:
        _fail(str(exc))
    return settings, clock.now()


def _clean(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)


@click.group("rfq", context_settings={"help_option_names": ["-h", "--help"]})
def rfq() -> None:
    """The RFQ log: RFQs seen in the RFQ market, quotes sent against the monthly quota
    (`rfq_monthly_quota` in config) and what came of them."""


@rfq.command("add")
@click.argument("product")
@click.option("--country", default="", help="The buyer's country, ISO code (DE, US …).")
@click.option("--quantity", default="", help='As the buyer wrote it, e.g. "500 pcs".')
@click.option(
    "--posted",
    type=click.DateTime(formats=["%Y-%m-%d %H:%M", "%Y-%m-%d"]),
    help="When the RFQ was posted, in your zone (default: now).",
)
@click.pass_context
def rfq_add(ctx: click.Context, product: str, country: str, quantity: str, posted) -> None:
    """Log an RFQ for PRODUCT."""
    import pendulum

    from sopdesk.services import rfqs

    settings, now = _open(ctx)
    at = now
    if posted is not None:
        at = pendulum.instance(posted, tz=settings.rep.timezone).in_timezone("UTC")
    try:
        rfq_id = rfqs.log_rfq(at, product, country, quantity, now=now)
    except rfqs.RfqError as exc:
        _fail(str(exc))
    click.echo(_("RFQ {id} logged").format(id=rfq_id))


@rfq.command("quote")
@click.argument("rfq_id", type=int)
@click.argument("price")
@click.argument("currency", default="USD")
@click.pass_context
def rfq_quote(ctx: click.Context, rfq_id: int, price: str, currency: str) -> None:
    """Record the quote sent for RFQ_ID: PRICE (per unit) in CURRENCY."""
    from sopdesk.services import rfqs

    settings, now = _open(ctx)
    try:
        amount = Decimal(price.replace(",", ""))
    except InvalidOperation:
        _fail(_("{price!r} is not a price").format(price=price))
    try:
        rfqs.quote(rfq_id, amount, currency, now)
    except rfqs.RfqError as exc:
        _fail(str(exc))
    quota = rfqs.quota_status(now, settings.rep.timezone, settings.rfq_monthly_quota)
    click.echo(
        _("RFQ {id} quoted; {used} of {quota} quotes used this month").format(
            id=rfq_id, used=quota.used, quota=quota.quota
        )
    )


@rfq.command("result")
@click.argument("rfq_id", type=int)
@click.argument("result", type=click.Choice(["replied", "sample", "order", "no_reply", "lost"]))
@click.pass_context
def rfq_result(ctx: click.Context, rfq_id: int, result: str) -> None:
    """Record what came of the quote for RFQ_ID."""
    from sopdesk.services import rfqs

    _settings, now = _open(ctx)
    try:
        rfqs.record_result(rfq_id, result, now)
    except rfqs.RfqError as exc:
        _fail(str(exc))
    click.echo(_("RFQ {id}: {result}").format(id=rfq_id, result=result))


@rfq.command("list")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.pass_context
def rfq_list(ctx: click.Context, limit: int) -> None:
    """The latest RFQs, the open ones to quote and this month's quota."""
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
        click.echo(
            _clean(
                f"{row.rfq_id:>5}  {posted}  {row.buyer_country or '--':<2}  "
                f"{row.product[:40]:<40}  {row.quantity[:12]:<12}  {quoted:<16}  {row.result}"
            ).rstrip()
        )
