"""One customer as the rep sees it: the card and the latest touches on a timeline."""

from __future__ import annotations

from peewee import JOIN

from sopdesk import labels
from sopdesk.services.reps import shown_name_sql
from sopdesk.services.timeline_events import activity_words, stage_reason_words
from sopdesk.services.views import CustomerCard, Money, TimelineEntry
from sopdesk.sop.stages import Direction
from sopdesk.store.db import database
from sopdesk.store.models import (
    Activity,
    Contact,
    Customer,
    Inquiry,
    Rep,
    StageChange,
    format_customer_number,
)

TIMELINE_PREVIEW = 12


def _timeline(customer_id: int, limit: int) -> list[TimelineEntry]:
    """The newest `limit` touches, inquiries and stage changes: three bounded queries."""
    entries: list[TimelineEntry] = []
    activities = (
        Activity.select(Activity, shown_name_sql().alias("by_name"))
        .join(Rep, join_type=JOIN.LEFT_OUTER, on=(Activity.by == Rep.id))
        .where(Activity.customer == customer_id)
        .order_by(Activity.at.desc(), Activity.id.desc())
        .limit(limit)
    )
    for activity in activities:
        by = getattr(activity, "by_name", None) or ""  # "(inactive)" for a rep who left
        # sopdesk's own entries in the reader's language, as on the timeline (timeline_events)
        title, text = activity_words(activity.kind.value, activity.subject, activity.text)
        entries.append(
            TimelineEntry(
                at=activity.at,
                kind=activity.kind.value,
                direction=activity.direction,
                summary=title or text.split("\n", 1)[0],
                text=text,
                by=by,
            )
        )
    for inquiry in (
        Inquiry.select(
            Inquiry.received_at, Inquiry.channel, Inquiry.subject, Inquiry.body, Inquiry.buyer_name
        )
        .where(Inquiry.customer == customer_id)
        .order_by(Inquiry.received_at.desc())
        .limit(limit)
    ):
        entries.append(
            TimelineEntry(
                at=inquiry.received_at,
                kind="inquiry",
                direction=Direction.IN,
                summary=inquiry.subject or inquiry.body.split("\n", 1)[0],
                text=inquiry.body,
                by=inquiry.buyer_name,
            )
        )
    for change in (
        StageChange.select()
        .where(StageChange.customer == customer_id)
        .order_by(StageChange.at.desc())
        .limit(limit)
    ):
        entries.append(
            TimelineEntry(
                at=change.at,
                kind="stage",
                direction=Direction.NONE,
                summary=(
                    f"{labels.stage(change.from_stage) if change.from_stage else '∅'} → "
                    f"{labels.stage(change.to_stage)}"
                ),
                text=stage_reason_words(change.to_stage.value, change.reason),
                by="",
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def customer_card(customer_id: int, timeline_limit: int = TIMELINE_PREVIEW) -> CustomerCard | None:
    with database.connection_context():
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            return None
        contact = (
            Contact.select()
            .where(Contact.customer == customer_id)
            .order_by(Contact.is_primary.desc(), Contact.id)
            .first()
        )
        timeline = _timeline(customer_id, timeline_limit)
    value = (
        Money(customer.expected_value, customer.expected_currency)
        if customer.expected_value is not None
        else None
    )
    return CustomerCard(
        customer_id=customer.id,
        code=format_customer_number(customer.number),
        company=customer.company,
        name=customer.name,
        contact_name=contact.name if contact else customer.name,
        contact_email=contact.email if contact else "",
        contact_phone=(contact.phone or contact.whatsapp) if contact else "",
        country=customer.country,
        timezone=customer.timezone,
        source=customer.source,
        buyer_type=customer.buyer_type,
        potential=customer.potential,
        stage=customer.stage,
        stage_since=customer.stage_since,
        expected_value=value,
        next_follow_up_at=customer.next_follow_up_at,
        next_follow_up_plan=customer.next_follow_up_plan,
        background_check_done=customer.background_check_done,
        notes=customer.notes,
        timeline=tuple(timeline),
    )


def first_customer_id() -> int | None:
    with database.connection_context():
        row = Customer.active().order_by(Customer.number).first()
        return row.id if row else None
