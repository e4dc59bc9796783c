"""Samples (SOP 4.2): free with freight collect (the customer's courier account) or paid
(refundable on the first order); courier and tracking; sent → delivered → feedback.

The playbook's `sample_feedback` cadence reads `Sample.sent_at`, `delivered_at` and
`feedback_at` (services/cadence_facts.py), so recording the shipment is all it takes for the
"ask for sample feedback" task to come; the sample → order KPI counts these rows (issue 7).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pendulum
from peewee import JOIN

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.sop import money
from sopdesk.sop.stages import ActivityKind, Direction
from sopdesk.store.db import database
from sopdesk.store.models import Activity, Product, Sample

LIST_LIMIT = 50


class SampleError(ValueError):
    """The sample cannot be recorded as given; the message says why."""


class SampleState(StrEnum):
    PREPARING = "preparing"
    SENT = "sent"
    DELIVERED = "delivered"
    FEEDBACK = "feedback"


@dataclass(frozen=True)
class SampleInput:
    customer_id: int
    product_id: int | None
    paid: bool = False
    amount: Decimal | None = None
    currency: str = "USD"
    refundable_on_order: bool = False
    freight_by: str = "customer"
    """"customer" (freight collect) or "us"."""
    courier: str = ""
    courier_account: str = ""
    tracking: str = ""
    note: str = ""


@dataclass(frozen=True)
class SampleView:
    sample_id: int
    customer_id: int
    product_id: int | None
    product: str
    """The product's name ("" when none was recorded)."""
    sku: str
    paid: bool
    amount: Decimal | None
    currency: str
    refundable_on_order: bool
    freight_by: str
    courier: str
    courier_account: str
    tracking: str
    note: str
    sent_at: pendulum.DateTime | None
    delivered_at: pendulum.DateTime | None
    feedback: str
    feedback_at: pendulum.DateTime | None

    @property
    def state(self) -> SampleState:
        if self.feedback_at is not None:
            return SampleState.FEEDBACK
        if self.delivered_at is not None:
            return SampleState.DELIVERED
        if self.sent_at is not None:
            return SampleState.SENT
        return SampleState.PREPARING


def _clean(data: SampleInput) -> dict[str, Any]:
    if data.freight_by not in ("customer", "us"):
        raise SampleError(_("freight is paid by the customer or by us"))
    amount = None
    try:
        currency = money.normalise_currency(data.currency)
        if data.paid:
            if data.amount is None:
                raise SampleError(_("a paid sample needs its amount"))
            amount = money.round_money(data.amount, currency)
            if amount < 0:
                raise SampleError(_("an amount cannot be negative"))
    except money.MoneyError as exc:
        raise SampleError(str(exc)) from None
    return {
        "customer": data.customer_id,
        "product": data.product_id,
        "paid": data.paid,
        "amount": amount,
        "currency": currency,
        "refundable_on_order": data.paid and data.refundable_on_order,
        "freight_by": data.freight_by,
        "courier": " ".join(data.courier.split())[:64],
        "courier_account": " ".join(data.courier_account.split())[:64],
        "tracking": " ".join(data.tracking.split())[:64],
        "note": data.note.strip()[:2000],
    }


def _view(row: Any) -> SampleView:
    product = row.product if row.product_id is not None else None
    return SampleView(
        sample_id=row.id,
        customer_id=row.customer_id,
        product_id=row.product_id,
        product=product.name if product else "",
        sku=product.sku if product else "",
        paid=row.paid,
        amount=row.amount,
        currency=row.currency,
        refundable_on_order=row.refundable_on_order,
        freight_by=row.freight_by,
        courier=row.courier,
        courier_account=row.courier_account,
        tracking=row.tracking,
        note=row.note,
        sent_at=row.sent_at,
        delivered_at=row.delivered_at,
        feedback=row.feedback,
        feedback_at=row.feedback_at,
    )


def _select() -> Any:
    return Sample.select(Sample, Product.id, Product.name, Product.sku).join(
        Product, JOIN.LEFT_OUTER, on=(Sample.product == Product.id)
    )


def get(sample_id: int) -> SampleView | None:
    with database.connection_context():
        row = _select().where(Sample.id == sample_id).first()
        return _view(row) if row is not None else None


def for_customer(customer_id: int, limit: int = LIST_LIMIT) -> list[SampleView]:
    with database.connection_context():
        rows = list(
            _select()
            .where(Sample.customer == customer_id)
            .order_by(Sample.created_at.desc(), Sample.id.desc())
            .limit(limit)
        )
    return [_view(r) for r in rows]


def latest_for(customer_id: int) -> SampleView | None:
    found = for_customer(customer_id, limit=1)
    return found[0] if found else None


def record(data: SampleInput, *, now: pendulum.DateTime | None = None) -> SampleView:
    """A new sample, not sent yet."""
    now = now or clock.now()
    values = _clean(data)
    with database.connection_context(), database.atomic():
        sample_id = Sample.insert(**values, created_at=now, updated_at=now).execute()
    found = get(int(sample_id))
    assert found is not None
    return found


def _touch(row: Any, text: str, at: datetime, rep_id: int | None) -> None:
    Activity.create(
        customer=row.customer_id,
        kind=ActivityKind.SYSTEM,
        direction=Direction.NONE,
        at=at,
        subject=_("Sample"),
        text=text,
        by=rep_id,
    )


def mark_sent(
    sample_id: int,
    at: datetime,
    courier: str = "",
    tracking: str = "",
    *,
    rep_id: int | None = None,
    now: pendulum.DateTime | None = None,
) -> SampleView:
    """Shipped: the playbook plans the feedback request from this date."""
    now = now or clock.now()
    if at.tzinfo is None:
        raise SampleError(_("the time needs a zone"))
    with database.connection_context(), database.atomic():
        row = Sample.get_or_none(Sample.id == sample_id)
        if row is None:
            raise SampleError(_("that sample no longer exists"))
        values: dict[str, Any] = {"sent_at": at, "updated_at": now}
        if courier.strip():
            values["courier"] = " ".join(courier.split())[:64]
        if tracking.strip():
            values["tracking"] = " ".join(tracking.split())[:64]
        Sample.update(**values).where(Sample.id == sample_id).execute()
        row = Sample.get_by_id(sample_id)
        _touch(row, f"Sample sent by {row.courier or 'courier'} {row.tracking}".strip(), at, rep_id)
    found = get(sample_id)
    assert found is not None
    return found


def mark_delivered(
    sample_id: int, at: datetime, *, now: pendulum.DateTime | None = None
) -> SampleView:
    now = now or clock.now()
    with database.connection_context(), database.atomic():
        row = Sample.get_or_none(Sample.id == sample_id)
        if row is None:
            raise SampleError(_("that sample no longer exists"))
        if row.sent_at is None:
            raise SampleError(_("record the shipment first"))
        if at < row.sent_at:
            raise SampleError(_("a sample cannot arrive before it was sent"))
        Sample.update(delivered_at=at, updated_at=now).where(Sample.id == sample_id).execute()
    found = get(sample_id)
    assert found is not None
    return found


def record_feedback(
    sample_id: int,
    feedback: str,
    at: datetime,
    *,
    rep_id: int | None = None,
    now: pendulum.DateTime | None = None,
) -> SampleView:
    """The customer's verdict on the sample; the feedback task closes by itself."""
    now = now or clock.now()
    text = feedback.strip()[:4000]
    if not text:
        raise SampleError(_("write down what the customer said"))
    with database.connection_context(), database.atomic():
        row = Sample.get_or_none(Sample.id == sample_id)
        if row is None:
            raise SampleError(_("that sample no longer exists"))
        Sample.update(feedback=text, feedback_at=at, updated_at=now).where(
            Sample.id == sample_id
        ).execute()
        _touch(row, f"Sample feedback: {text}", at, rep_id)
    found = get(sample_id)
    assert found is not None
    return found


__all__ = [
    "SampleError",
    "SampleInput",
    "SampleState",
    "SampleView",
    "for_customer",
    "get",
    "latest_for",
    "mark_delivered",
    "mark_sent",
    "record",
    "record_feedback",
]
