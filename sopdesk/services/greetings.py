"""Holiday greetings (SOP 5.3: keep the customer warm with regular contact, holiday greetings).

For each customer worth a greeting, the public holidays of their country come from the
`holidays` package; a greeting task falls a few days before (`orders.holiday_greeting_days` in
the settings, 3 by default), in the customer's business hours, with the `holiday_greeting` reply
template. Only holidays people greet each other for count (New Year, Christmas, Eid, the Spring
Festival, Diwali, a national day …, see GREETED); a holiday of several days is greeted once, on
its first day.

Who gets greetings: customers who ordered (order, loyal, dormant — nurtured after delivery by the
playbook's cadence, every 30 days for potential A and 90 for B, C and unrated), and customers in
intent or negotiation with potential A. Lost customers and merged records never.

The regular nurture cadence itself (how often, by potential) is the playbook's `nurture` rule
(services/playbook_tasks.py); this module only adds the holidays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import pendulum

from sopdesk.i18n import _
from sopdesk.services import sales_tasks
from sopdesk.sop.stages import Potential, Stage, TaskKind
from sopdesk.store.db import database
from sopdesk.store.dialect import starts_with
from sopdesk.store.models import Customer

DEFAULT_DAYS_BEFORE = 3
LOOKAHEAD_DAYS = 45
"""Holidays this far ahead are listed (for the draft's `holiday` value and the screen)."""
CUSTOMER_LIMIT = 500
GREETING_STAGES = (Stage.ORDER, Stage.LOYAL, Stage.DORMANT)
HOT_STAGES = (Stage.INTENT, Stage.NEGOTIATION)

GREETED = re.compile(
    r"new year|christmas|eid|spring festival|chinese new year|lunar new year|diwali|deepavali|"
    r"thanksgiving|independence|national day|hanukkah|easter sunday|nowruz|holi\b|"
    r"republic day|unity day|founding day|mid-autumn|vesak|songkran|tet\b",
    re.IGNORECASE,
)
"""Holiday names worth a greeting (as the `holidays` package writes them in English)."""
_TRIM = re.compile(r"\s*\((?:observed|estimated)\)|\s+holiday$|\s*\*$", re.IGNORECASE)


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    country: str


def _base_name(name: str) -> str:
    previous = None
    while previous != name:
        previous = name
        name = _TRIM.sub("", name).strip()
    return name


@lru_cache(maxsize=256)
def _country_holidays(country: str, year: int) -> tuple[tuple[date, str], ...]:
    import holidays

    try:
        found = holidays.country_holidays(country, years=year, language="en_US")
    except (NotImplementedError, KeyError, AttributeError, ValueError):
        try:
            found = holidays.country_holidays(country, years=year)
        except (NotImplementedError, KeyError, AttributeError, ValueError):
            return ()
    return tuple(sorted((day, str(name)) for day, name in found.items()))


def upcoming(country: str | None, start: date, days: int = LOOKAHEAD_DAYS) -> list[Holiday]:
    """The greeting-worthy holidays of `country` from `start` for `days` days, each once (the
    first day of a run of days with the same name), soonest first."""
    if not country or len(country) != 2:
        return []
    code = country.upper()
    end = start + timedelta(days=days)
    listed: list[tuple[date, str]] = []
    for year in range(start.year - 1, end.year + 1):
        listed.extend(_country_holidays(code, year))
    found: list[Holiday] = []
    previous: tuple[date, str] | None = None
    for day, raw in sorted(listed):
        names = [_base_name(part) for part in raw.split(";")]
        match = next(((n, m) for n in names if (m := GREETED.search(n))), None)
        if match is None:
            continue
        name, keyword = match[0], match[1].group(0).casefold()
        # Christmas Eve, Christmas Day, Second Day of Christmas: one greeting, on the first day.
        continues = (
            previous is not None and previous[1] == keyword and (day - previous[0]).days <= 1
        )
        previous = (day, keyword)
        if continues or not start <= day <= end:
            continue
        found.append(Holiday(day, name, code))
    return found


def next_holiday(country: str | None, start: date, days: int = LOOKAHEAD_DAYS) -> Holiday | None:
    found = upcoming(country, start, days)
    return found[0] if found else None


def wants_greetings(stage: Stage, potential: Potential | None) -> bool:
    return stage in GREETING_STAGES or (stage in HOT_STAGES and potential is Potential.A)


def _days_before(settings: object) -> int:
    orders = getattr(settings, "orders", None)
    days = getattr(orders, "holiday_greeting_days", DEFAULT_DAYS_BEFORE)
    return days if isinstance(days, int) and 0 <= days <= 30 else DEFAULT_DAYS_BEFORE


def plan_for(
    customer_id: int,
    now: pendulum.DateTime,
    rep_zone: str,
    rep_id: int | None = None,
    days_before: int = DEFAULT_DAYS_BEFORE,
) -> tuple[int, int]:
    """The customer's greeting task for a holiday whose greeting day has come (or comes within
    a day); greetings already made for earlier holidays stay as they are. Writes only when a
    greeting is missing (sales_tasks.sync)."""
    with database.connection_context():
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            return 0, 0
        where = sales_tasks.where_for(customer_id, rep_zone)
        today = now.in_timezone(where.zone).date()
        wanted: list[sales_tasks.Wanted] = []
        if customer.merged_into_id is None and wants_greetings(customer.stage, customer.potential):
            for holiday in upcoming(customer.country, today, days_before + 1):
                greet_on = max(holiday.day - timedelta(days=days_before), today)
                if greet_on > today + timedelta(days=1):
                    continue
                day = pendulum.date(holiday.day.year, holiday.day.month, holiday.day.day)
                wanted.append(
                    sales_tasks.Wanted(
                        slot=f"{holiday.day.isoformat()}-{_slug(holiday.name)}",
                        kind=TaskKind.NURTURE,
                        due_at=sales_tasks.due_on_day(greet_on, where),
                        title=_("Holiday greeting: {holiday} on {day}").format(
                            holiday=holiday.name, day=day.format("ddd D MMM")
                        ),
                        why=_(
                            "{holiday} is a public holiday in {country}: send a short greeting "
                            "(template holiday_greeting)."
                        ).format(holiday=holiday.name, country=holiday.country),
                    )
                )
        if not wanted:  # only add: a greeting planned earlier is not closed afterwards
            return 0, 0
        return sales_tasks.sync(
            sales_tasks.RULE_HOLIDAY,
            f"c{customer_id}",
            where,
            wanted + _kept(customer_id),
            now,
            _("no longer planned"),
            rep_id,
        )


def _kept(customer_id: int) -> list[sales_tasks.Wanted]:
    """Greetings already planned, as wanted, so a sync for a new holiday keeps them."""
    from sopdesk.store.models import Task

    prefix = f"{sales_tasks.RULE_HOLIDAY}|c{customer_id}|"
    return [
        sales_tasks.Wanted(
            slot=str(t.rule_key)[len(prefix) :],
            kind=t.kind,
            due_at=t.due_at,
            title=t.title,
            why=t.why,
        )
        for t in Task.select(Task.rule_key, Task.kind, Task.due_at, Task.title, Task.why)
        .where(starts_with(Task.rule_key, prefix))
        .limit(100)
    ]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:40] or "holiday"


def refresh(
    now: pendulum.DateTime, rep_zone: str, rep_id: int | None = None, settings: object = None
) -> tuple[int, int]:
    """Greeting tasks for every customer worth greeting (bounded), whose holiday is near."""
    days_before = _days_before(settings)
    with database.connection_context():
        rows = list(
            Customer.select(Customer.id, Customer.country)
            .where(
                Customer.merged_into.is_null(),
                Customer.country != "",
                Customer.stage.in_(list(GREETING_STAGES))
                | (Customer.stage.in_(list(HOT_STAGES)) & (Customer.potential == Potential.A)),
            )
            .order_by(Customer.last_activity_at.desc())
            .limit(CUSTOMER_LIMIT)
        )
    today = now.in_timezone(rep_zone).date()
    created = closed = 0
    for row in rows:
        if not upcoming(row.country, today - timedelta(days=1), days_before + 2):
            continue  # the common case: no holiday near, no write
        made, shut = plan_for(row.id, now, rep_zone, rep_id, days_before)
        created, closed = created + made, closed + shut
    return created, closed


__all__ = [
    "DEFAULT_DAYS_BEFORE",
    "GREETED",
    "Holiday",
    "next_holiday",
    "plan_for",
    "refresh",
    "upcoming",
    "wants_greetings",
]
