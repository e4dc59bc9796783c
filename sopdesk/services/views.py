"""Plain, frozen values the UI and the templates get: never models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pendulum

from sopdesk.sop.funnel import FunnelStep
from sopdesk.sop.sla import DUE_LIMIT, FRESH_LIMIT, ReplyState
from sopdesk.sop.stages import ActivityKind, BuyerType, Channel, Direction, Potential, Stage


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:,.2f}"


@dataclass(frozen=True)
class InboxRow:
    inquiry_id: int
    customer_id: int
    customer_code: str
    customer_name: str
    buyer_name: str
    country: str
    customer_zone: str | None
    channel: Channel
    subject: str
    received_at: pendulum.DateTime
    first_reply_at: pendulum.DateTime | None
    fresh_limit: timedelta = FRESH_LIMIT
    """The playbook's reply clock (services/inbox.py fills in the one in effect)."""
    due_limit: timedelta = DUE_LIMIT

    def state(self, now: pendulum.DateTime) -> ReplyState:
        from sopdesk.sop.sla import reply_state

        return reply_state(
            self.received_at, self.first_reply_at, now, self.fresh_limit, self.due_limit
        )

    def waited(self, now: pendulum.DateTime) -> timedelta:
        from sopdesk.sop.sla import age, response_time

        if self.first_reply_at is not None:
            return response_time(self.received_at, self.first_reply_at)
        return age(self.received_at, now)


@dataclass(frozen=True)
class InboxPage:
    rows: tuple[InboxRow, ...]
    unanswered: int
    oldest_unanswered_at: pendulum.DateTime | None
    total: int


@dataclass(frozen=True)
class TimelineEntry:
    at: pendulum.DateTime
    kind: str
    """An ActivityKind value, "inquiry" or "stage"."""
    direction: Direction
    summary: str
    text: str
    by: str


@dataclass(frozen=True)
class CustomerCard:
    customer_id: int
    code: str
    company: str
    name: str
    contact_name: str
    contact_email: str
    contact_phone: str
    country: str
    timezone: str | None
    source: Channel
    buyer_type: BuyerType
    potential: Potential | None
    stage: Stage
    stage_since: pendulum.DateTime
    expected_value: Money | None
    next_follow_up_at: pendulum.DateTime | None
    next_follow_up_plan: str
    background_check_done: bool
    notes: str
    timeline: tuple[TimelineEntry, ...]


@dataclass(frozen=True)
class TodayItem:
    key: str
    """"routine:<id>", "task:<id>" or "inquiry:<id>": what ticking it changes."""
    kind: str
    """"routine", "inquiry" or a TaskKind value."""
    title: str
    why: str
    customer_id: int | None
    customer_name: str
    due_at: pendulum.DateTime | None
    done: bool
    overdue: bool
    section: str = "today"
    """Where it stands in the queue: inquiry, overdue, today, routine, stale, background."""
    inquiry_id: int | None = None
    snoozed_until: pendulum.DateTime | None = None

    @property
    def is_task(self) -> bool:
        """Tasks can be snoozed and skipped; the routine and inquiries cannot."""
        return self.key.startswith("task:")


@dataclass(frozen=True)
class FunnelView:
    steps: tuple[FunnelStep, ...]
    lost: int
    dormant: int


__all__ = [
    "ActivityKind",
    "CustomerCard",
    "FunnelView",
    "InboxPage",
    "InboxRow",
    "Money",
    "TimelineEntry",
    "TodayItem",
]
