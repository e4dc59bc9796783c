"""The SOP's reply clock (stage 2.1): ideally within 5 minutes, never later than one hour.

The limits a team works with come from the playbook (`[reply] fresh_minutes` / `due_minutes`,
`Playbook.reply`); every function here takes them, and `FRESH_LIMIT` / `DUE_LIMIT` are only the
SOP's own values, the defaults for callers that have no playbook (tests, the demo). Alibaba's own
24-hour rule is the platform's, not the team's, and lives apart in sop/alibaba.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

FRESH_LIMIT = timedelta(minutes=5)
"""The SOP's "golden five minutes" (the shipped playbook's `fresh_minutes`)."""
DUE_LIMIT = timedelta(hours=1)
"""The SOP's "never later than one hour" (the shipped playbook's `due_minutes`)."""


class ReplyState(StrEnum):
    FRESH = "fresh"  # unanswered, within the fresh limit (SOP: 5 min)
    DUE = "due"  # unanswered, within the due limit (SOP: 1 h)
    LATE = "late"  # unanswered, past the due limit
    ANSWERED = "answered"


def age(received_at: datetime, now: datetime) -> timedelta:
    """How long the buyer has waited; never negative (clock skew in imported mail)."""
    return max(now - received_at, timedelta(0))


def reply_state(
    received_at: datetime,
    first_reply_at: datetime | None,
    now: datetime,
    fresh: timedelta = FRESH_LIMIT,
    due: timedelta = DUE_LIMIT,
) -> ReplyState:
    if first_reply_at is not None:
        return ReplyState.ANSWERED
    waited = age(received_at, now)
    if waited <= fresh:
        return ReplyState.FRESH
    if waited <= due:
        return ReplyState.DUE
    return ReplyState.LATE


def response_time(received_at: datetime, first_reply_at: datetime) -> timedelta:
    """From received to the first outbound reply (GLOSSARY: response_time)."""
    return max(first_reply_at - received_at, timedelta(0))


def answered_state(
    response: timedelta, fresh: timedelta = FRESH_LIMIT, due: timedelta = DUE_LIMIT
) -> ReplyState:
    """Which target an answered inquiry met: FRESH (≤ fresh), DUE (≤ due) or LATE."""
    if response <= fresh:
        return ReplyState.FRESH
    if response <= due:
        return ReplyState.DUE
    return ReplyState.LATE


def next_crossing(
    received_at: datetime,
    now: datetime,
    fresh: timedelta = FRESH_LIMIT,
    due: timedelta = DUE_LIMIT,
) -> datetime | None:
    """When an unanswered inquiry next changes state (for ticking clocks and alerts)."""
    for limit in (fresh, due):
        at = received_at + limit
        if at > now:
            return at
    return None


def format_duration(delta: timedelta) -> str:
    """Compact, language-neutral: 45s, 4m, 1h05m, 3d02h."""
    seconds = int(delta.total_seconds())
    if seconds < 0:
        seconds = 0
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"
