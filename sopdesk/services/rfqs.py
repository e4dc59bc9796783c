"""The RFQ log (SOP 1.4): RFQs seen in the RFQ market, the quotes sent against the monthly quota,
and what came of them.

A quote uses one unit of the month's quota (config `rfq_monthly_quota`); the month is the rep's
calendar month. "Quote today's RFQs" counts the logged RFQs still open and not yet quoted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pendulum

from sopdesk.sop.kpi import PeriodKind, period_to_date
from sopdesk.store.db import database
from sopdesk.store.fields import to_db_time
from sopdesk.store.models import Rfq

RFQ_OPEN_DAYS = 7
"""An RFQ stays open for quotes this long after it was posted (the RFQ market's usual validity)."""
RFQ_RESULTS: tuple[str, ...] = ("", "replied", "sample", "order", "no_reply", "lost")
"""What came of a quote: "" (not known yet), the buyer replied, asked for a sample, ordered,
never answered, or chose someone else."""
WINDOW_LIMIT = 300

_rfq_pk: Any = Rfq._meta.primary_key


class RfqError(ValueError):
    """The RFQ or the value given cannot be used; the message says why."""


@dataclass(frozen=True)
class RfqRow:
    rfq_id: int
    posted_at: pendulum.DateTime
    buyer_country: str
    product: str
    quantity: str
    quoted_at: pendulum.DateTime | None
    price: Decimal | None
    currency: str
    result: str


@dataclass(frozen=True)
class QuotaStatus:
    first_day: date
    last_day: date
    quota: int
    used: int

    @property
    def remaining(self) -> int:
        return max(self.quota - self.used, 0)


def log_rfq(
    posted_at: pendulum.DateTime,
    product: str,
    buyer_country: str = "",
    quantity: str = "",
    owner_id: int | None = None,
    now: pendulum.DateTime | None = None,
) -> int:
    """Record an RFQ seen in the market; returns its id."""
    if not product.strip():
        raise RfqError("an RFQ needs the product asked for")
    country = buyer_country.strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise RfqError(f"buyer country {buyer_country!r} is not a two-letter ISO code")
    stamp = now or posted_at
    with database.connection_context(), database.atomic():
        rfq = Rfq.create(
            posted_at=posted_at,
            product=product.strip(),
            buyer_country=country,
            quantity=quantity.strip(),
            owner=owner_id,
            created_at=stamp,
            updated_at=stamp,
        )
    return int(rfq.get_id())


def quote(rfq_id: int, price: Decimal, currency: str, at: pendulum.DateTime) -> None:
    """Record the quote sent for an RFQ (it counts against this month's quota)."""
    if price <= 0:
        raise RfqError("a quoted price must be positive")
    code = currency.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise RfqError(f"currency {currency!r} is not an ISO 4217 code")
    with database.connection_context(), database.atomic():
        updated = (
            Rfq.update(quoted_at=at, price=price, currency=code, updated_at=at)
            .where(_rfq_pk == rfq_id)
            .execute()
        )
    if not updated:
        raise RfqError(f"no RFQ {rfq_id}")


def record_result(rfq_id: int, result: str, at: pendulum.DateTime) -> None:
    if result not in RFQ_RESULTS:
        raise RfqError(f"result {result!r} is not one of: {', '.join(r for r in RFQ_RESULTS if r)}")
    with database.connection_context(), database.atomic():
        updated = Rfq.update(result=result, updated_at=at).where(_rfq_pk == rfq_id).execute()
    if not updated:
        raise RfqError(f"no RFQ {rfq_id}")


def window(limit: int = WINDOW_LIMIT, after: tuple[str, int] | None = None) -> list[RfqRow]:
    """The log, newest first, `limit` rows after the keyset cursor (posted_at text, id)."""
    query = Rfq.select().order_by(Rfq.posted_at.desc(), _rfq_pk.desc()).limit(limit)
    if after is not None:
        query = query.where(
            (Rfq.posted_at < after[0]) | ((Rfq.posted_at == after[0]) & (_rfq_pk < after[1]))
        )
    with database.connection_context():
        return [
            RfqRow(
                rfq_id=int(r.get_id()),
                posted_at=r.posted_at,
                buyer_country=r.buyer_country,
                product=r.product,
                quantity=r.quantity,
                quoted_at=r.quoted_at,
                price=r.price,
                currency=r.currency,
                result=r.result,
            )
            for r in query
        ]


def quota_status(now: pendulum.DateTime, rep_zone: str, quota: int) -> QuotaStatus:
    """Quotes sent this calendar month (the rep's) against the monthly quota."""
    month = period_to_date(PeriodKind.MONTH, now, rep_zone)
    with database.connection_context():
        used = (
            Rfq.select()
            .where(
                Rfq.quoted_at >= to_db_time(month.start),
                Rfq.quoted_at < to_db_time(month.end),
            )
            .count()
        )
    last = (month.first_day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return QuotaStatus(month.first_day, last, quota, int(used))


def to_quote_count(now: pendulum.DateTime) -> int:
    """RFQs logged, still open (posted in the last RFQ_OPEN_DAYS days) and not quoted yet:
    the count on the "Quote today's RFQs" routine item."""
    cutoff = to_db_time(now - timedelta(days=RFQ_OPEN_DAYS))
    with database.connection_context():
        return int(Rfq.select().where(Rfq.quoted_at.is_null(), Rfq.posted_at >= cutoff).count())


def routine_note(now: pendulum.DateTime, rep_zone: str, quota: int) -> tuple[int, QuotaStatus]:
    """(RFQs to quote, the month's quota) for the morning routine's RFQ item."""
    return to_quote_count(now), quota_status(now, rep_zone, quota)


__all__ = [
    "RFQ_RESULTS",
    "QuotaStatus",
    "RfqError",
    "RfqRow",
    "log_rfq",
    "quota_status",
    "quote",
    "record_result",
    "routine_note",
    "to_quote_count",
    "window",
]
