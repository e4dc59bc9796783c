"""Reading what sopdesk wrote on a customer's timeline the way a rep sees it (worded in the UI
language at read time), and what it stored (which must hold no words of any language)."""

from __future__ import annotations

from sopdesk.services import records
from sopdesk.services.records import Entry, TimelineItem
from sopdesk.sop.stages import ActivityKind
from sopdesk.store.db import database
from sopdesk.store.models import Activity, StageChange


def timeline(customer_id: int) -> list[TimelineItem]:
    """The customer's timeline as the reader sees it, newest first."""
    return list(records.timeline_window(customer_id, limit=300).items)


def system_touches(customer_id: int) -> list[TimelineItem]:
    """sopdesk's own touches, newest first, worded in the current language."""
    return [
        item
        for item in timeline(customer_id)
        if item.entry is Entry.ACTIVITY and item.kind == ActivityKind.SYSTEM.value
    ]


def touch(customer_id: int, activity_id: int) -> TimelineItem:
    """One touch as the timeline shows it."""
    (item,) = [
        i for i in timeline(customer_id) if i.entry is Entry.ACTIVITY and i.item_id == activity_id
    ]
    return item


def stage_reasons(customer_id: int) -> list[str]:
    """The reasons of the customer's stage changes, newest first, as the timeline shows them."""
    return [item.text for item in timeline(customer_id) if item.entry is Entry.STAGE]


def stored(customer_id: int) -> list[str]:
    """The stored subject and text of every system touch, and every stage change's reason."""
    with database.connection_context():
        touches = Activity.select(Activity.subject, Activity.text).where(
            Activity.customer == customer_id, Activity.kind == ActivityKind.SYSTEM
        )
        reasons = StageChange.select(StageChange.reason).where(StageChange.customer == customer_id)
        return (
            [t.subject for t in touches] + [t.text for t in touches] + [r.reason for r in reasons]
        )
