"""Which follow-up comes next, and when (the SOP's cadence).

For now one rule set: what to plan right after the first reply (SOP stage 2.2 and stage 3).
  - a background check, due at once (SOP 2.2: "right after replying"), when it is not done yet;
  - a no-response follow-up three days later, moved into the customer's business hours
    (09:00–18:00 their time, not on their weekend nor on a public holiday of their country),
    so it lands when they read messages.
Later issues add the quote cadence (nudge the same day, follow-ups at +2 and +5 days).

Pure: no Peewee, no I/O. Times are aware; results are in UTC. Day arithmetic is done on the
customer's wall clock, so "three days later" stays at the same local hour across DST changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pendulum

from sopdesk.i18n import N_
from sopdesk.sop.geo import BUSINESS_END, BUSINESS_START, holiday_name, is_working_day
from sopdesk.sop.geo import zone as held_zone
from sopdesk.sop.stages import TaskKind

RULE_BACKGROUND_CHECK = "first_reply.background_check"
RULE_NO_RESPONSE_DAY3 = "first_reply.no_response_day3"

NO_RESPONSE_AFTER_DAYS = 3
"""The first no-response follow-up comes this many (calendar) days after the first reply."""


@dataclass(frozen=True)
class PlannedTask:
    """A follow-up the cadence asks for; the service turns it into a Task row."""

    rule: str
    """The cadence rule's id, stored as Task.source."""
    kind: TaskKind
    due_at: pendulum.DateTime
    """UTC."""
    title: str
    """English source string (marked with N_); translate with `_()` when stored or shown."""
    template_id: str | None = None
    """The reply template that fits the task, when there is one."""


SEARCH_DAYS = 40
"""How far ahead a working day is looked for: past any weekend plus the longest holiday runs
(China's Spring Festival, with weekends, is about ten days)."""


@dataclass(frozen=True)
class BusinessMoment:
    at: pendulum.DateTime
    """UTC."""
    holidays: tuple[str, ...] = ()
    """The names of the customer's public holidays skipped on the way, in order, each once."""


def business_moment(at: datetime, zone: str, country: str | None = None) -> BusinessMoment:
    """`at` itself when it falls in the customer's business hours, else 09:00 local on the next
    of their working days — not their weekend, not a public holiday of their country — with the
    holidays it was moved past. Returned in UTC."""
    local = pendulum.instance(at).in_timezone(held_zone(zone))
    if is_working_day(local.date(), country) and BUSINESS_START <= local.time() < BUSINESS_END:
        return BusinessMoment(local.in_timezone("UTC"))
    today = local.date()
    skipped: list[str] = []
    if not is_working_day(today, country) and (name := holiday_name(country, today)):
        skipped.append(name)
    day = today if local.time() < BUSINESS_START else today.add(days=1)
    for _ in range(SEARCH_DAYS):
        if is_working_day(day, country):
            break
        name = holiday_name(country, day)
        if name and name not in skipped:
            skipped.append(name)
        day = day.add(days=1)
    else:  # pragma: no cover - no country rests forty days; fall back to the first weekday
        return business_moment(at, zone, None)
    opening = pendulum.datetime(
        day.year, day.month, day.day, BUSINESS_START.hour, BUSINESS_START.minute, tz=zone
    )
    return BusinessMoment(opening.in_timezone("UTC"), tuple(skipped))


def next_business_moment(at: datetime, zone: str, country: str | None = None) -> pendulum.DateTime:
    """`at` itself when it falls in the customer's business hours, else the next 09:00 local on
    one of their working days (weekends and public holidays skipped). Returned in UTC."""
    return business_moment(at, zone, country).at


def after_first_reply(
    replied_at: datetime,
    customer_zone: str,
    country: str | None,
    background_check_done: bool,
) -> list[PlannedTask]:
    """What to plan once the first reply to an inquiry has gone out."""
    replied = pendulum.instance(replied_at).in_timezone("UTC")
    planned: list[PlannedTask] = []
    if not background_check_done:
        planned.append(
            PlannedTask(
                rule=RULE_BACKGROUND_CHECK,
                kind=TaskKind.BACKGROUND_CHECK,
                due_at=replied,
                title=N_("Background check"),
            )
        )
    later = replied.in_timezone(customer_zone).add(days=NO_RESPONSE_AFTER_DAYS)
    planned.append(
        PlannedTask(
            rule=RULE_NO_RESPONSE_DAY3,
            kind=TaskKind.FOLLOW_UP,
            due_at=next_business_moment(later, customer_zone, country),
            title=N_("Day-3 follow-up if no answer"),
            template_id="no_response_day3",
        )
    )
    return planned


__all__ = [
    "NO_RESPONSE_AFTER_DAYS",
    "RULE_BACKGROUND_CHECK",
    "RULE_NO_RESPONSE_DAY3",
    "BusinessMoment",
    "PlannedTask",
    "after_first_reply",
    "business_moment",
    "next_business_moment",
]
