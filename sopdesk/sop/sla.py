"""The SOP's reply clock (stage 2.1): ideally within 5 minutes, never later than one hour."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

FRESH_LIMIT = timedelta(minutes=5)
"""Reply within this and the inquiry is answered "in the golden five minutes"."""
DUE_LIMIT = timedelta(hours=1)
"""Unanswered past this, the inquiry is late."""


class ReplyState(StrEnum):
    FRESH = "fresh"  # unanswered, ≤ 5 min old
    DUE = "due"  # unanswered, ≤ 1 h old
    LATE = "late"  # unanswered, over 1 h
    ANSWERED = "answered"


def age(received_at: datetime, now: datetime) -> timedelta:
    """How long the buyer has waited; never negative (clock skew in imported mail)."""
    return max(now - received_at, timedelta(0))


def reply_state(
    received_at: datetime, first_reply_at: datetime | None, now: datetime
) -> ReplyState:
    if first_reply_at is not None:
        return ReplyState.ANSWERED
    waited = age(received_at, now)
    if waited <= FRESH_LIMIT:
        return ReplyState.FRESH
    if waited <= DUE_LIMIT:
        return ReplyState.DUE
    return ReplyState.LATE


def response_time(received_at: datetime, first_reply_at: datetime) -> timedelta:
    """From received to the first outbound reply (GLOSSARY: response_time)."""
    return max(first_reply_at - received_at, timedelta(0))


def answered_state(response: timedelta) -> ReplyState:
    """Which target an answered inquiry met: FRESH (≤ 5 min), DUE (≤ 1 h) or LATE."""
    if response <= FRESH_LIMIT:
        return ReplyState.FRESH
    if response <= DUE_LIMIT:
        return ReplyState.DUE
    return ReplyState.LATE


def next_crossing(received_at: datetime, now: datetime) -> datetime | None:
    """When an unanswered inquiry next changes state (for ticking clocks and alerts)."""
    for limit in (FRESH_LIMIT, DUE_LIMIT):
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
