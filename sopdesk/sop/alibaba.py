"""Alibaba.com's own reply scoring, shown beside the SOP's stricter clock.

A reply counts when it comes within 24 hours of the buyer's *first* message of that US-Pacific
day (America/Los_Angeles, so the day boundary moves with US daylight saving); auto-replies do not
count. Several messages from one buyer on one Pacific day share the first message's deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import pendulum

PLATFORM_ZONE = "America/Los_Angeles"
WINDOW = timedelta(hours=24)


class AlibabaState(StrEnum):
    PENDING = "pending"  # no counting reply yet, deadline ahead
    COUNTED = "counted"  # replied within 24 h of the day's first message
    MISSED = "missed"  # no counting reply within 24 h


@dataclass(frozen=True)
class Reply:
    at: datetime
    auto: bool = False


@dataclass(frozen=True)
class AlibabaVerdict:
    pacific_day: date
    first_message_at: datetime
    deadline: datetime
    state: AlibabaState
    replied_at: datetime | None


def pacific_day(at: datetime) -> date:
    return pendulum.instance(at).in_timezone(PLATFORM_ZONE).date()


def first_message_of_day(message_at: datetime, same_buyer_messages: Iterable[datetime]) -> datetime:
    """The buyer's first message on the Pacific day of `message_at` (itself if none earlier)."""
    day = pacific_day(message_at)
    same_day = [m for m in same_buyer_messages if pacific_day(m) == day]
    return min([message_at, *same_day])


def verdict(
    message_at: datetime,
    replies: Iterable[Reply],
    now: datetime,
    same_buyer_messages: Iterable[datetime] = (),
) -> AlibabaVerdict:
    """How Alibaba scores the reply to a message that arrived at `message_at`."""
    first = first_message_of_day(message_at, same_buyer_messages)
    deadline = first + WINDOW
    counting = sorted(r.at for r in replies if not r.auto and r.at >= first)
    replied = counting[0] if counting else None
    if replied is not None and replied <= deadline:
        state = AlibabaState.COUNTED
    elif now > deadline:
        state = AlibabaState.MISSED
    else:
        state = AlibabaState.PENDING
    return AlibabaVerdict(
        pacific_day=pacific_day(first),
        first_message_at=first,
        deadline=deadline,
        state=state,
        replied_at=replied,
    )
