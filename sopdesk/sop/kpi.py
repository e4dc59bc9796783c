"""The SOP's six KPIs ("running and measuring it"), their targets, and the periods they are counted in.

Pure: the services count rows with SQL aggregates and hand the counts here; every rule about what
counts — a 24-hour reply, an effective follow-up, a repeat buyer, a period's bounds — lives in this
module and is written out in `docs/kpis.md`.

The KPI targets come from the playbook (`sop/playbook.py`, `[kpi.*]` and the reply clock) through
`specs_from_playbook()`; `KPI_SPECS` are the SOP's own values, used when no playbook is given. The
definition of an effective follow-up is not in the playbook yet: it is set here.

Periods are whole local days in the rep's zone: a week runs Monday 00:00 to Sunday 24:00 *where the
rep sits*, whatever the customer's zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Protocol

import pendulum

from sopdesk.i18n import N_

# --- the definitions --------------------------------------------------------------------------

REPLY_WINDOW = timedelta(hours=24)
"""An inquiry counts as replied in time when its first reply came within this of receipt."""

EFFECTIVE_FOLLOW_UP = N_(
    "the buyer answered after our first reply: an inbound touch logged after first_reply_at"
)
"""What makes an inquiry an effective follow-up (until the playbook defines it)."""

RATIO_PLACES = Decimal("0.0001")
MONEY_PLACES = Decimal("0.01")


class Kpi(StrEnum):
    """The six KPIs of the SOP; the first comes with its median reply time."""

    REPLY_RATE_24H = "reply_rate_24h"
    FIRST_REPLY_MEDIAN = "first_reply_median"
    FOLLOWUP_CONVERSION = "followup_conversion"
    SAMPLE_TO_ORDER = "sample_to_order"
    AVERAGE_ORDER_VALUE = "average_order_value"
    REPURCHASE_RATE = "repurchase_rate"
    NEW_CUSTOMERS = "new_customers"


class Unit(StrEnum):
    RATIO = "ratio"
    """A fraction 0…1, shown as a percentage."""
    SECONDS = "seconds"
    MONEY = "money"
    """In the report currency."""
    COUNT = "count"


@dataclass(frozen=True)
class KpiSpec:
    kpi: Kpi
    title: str
    """English UI name (GLOSSARY.md); translate with `_()` when shown."""
    unit: Unit
    higher_is_better: bool
    target: Decimal | None
    """None: the SOP sets no number; the trend is what the team watches."""
    strict: bool = False
    """True: the value must beat the target (the SOP's "> 95 %"), not merely reach it."""


KPI_SPECS: dict[Kpi, KpiSpec] = {
    spec.kpi: spec
    for spec in (
        KpiSpec(
            Kpi.REPLY_RATE_24H,
            N_("24-hour reply rate"),
            Unit.RATIO,
            higher_is_better=True,
            target=Decimal("0.95"),
            strict=True,
        ),
        # SOP 2.1: ideally 5 minutes, never later than one hour.
        KpiSpec(
            Kpi.FIRST_REPLY_MEDIAN,
            N_("Median first reply"),
            Unit.SECONDS,
            higher_is_better=False,
            target=Decimal(3600),
        ),
        KpiSpec(
            Kpi.FOLLOWUP_CONVERSION,
            N_("Inquiry → effective follow-up"),
            Unit.RATIO,
            higher_is_better=True,
            target=None,
        ),
        KpiSpec(
            Kpi.SAMPLE_TO_ORDER,
            N_("Sample → order"),
            Unit.RATIO,
            higher_is_better=True,
            target=None,
        ),
        KpiSpec(
            Kpi.AVERAGE_ORDER_VALUE,
            N_("Average order value"),
            Unit.MONEY,
            higher_is_better=True,
            target=None,
        ),
        KpiSpec(
            Kpi.REPURCHASE_RATE,
            N_("Repurchase rate"),
            Unit.RATIO,
            higher_is_better=True,
            target=None,
        ),
        KpiSpec(
            Kpi.NEW_CUSTOMERS,
            N_("New customers"),
            Unit.COUNT,
            higher_is_better=True,
            target=None,
        ),
    )
}
"""The KPIs in report order, with the SOP's own targets (the playbook's override them)."""


class PlaybookKpi(Protocol):
    """What `specs_from_playbook` reads of a playbook KPI (sop.playbook.KpiTarget)."""

    @property
    def title(self) -> str: ...
    @property
    def target(self) -> Decimal | None: ...
    @property
    def higher_is_better(self) -> bool: ...


def specs_from_playbook(
    kpis: Mapping[str, PlaybookKpi], reply_due: timedelta | None = None
) -> dict[Kpi, KpiSpec]:
    """The specs with the playbook's targets and directions. The median reply time's target is
    the reply clock's "never later than" (`reply.due_minutes`); the reply rate stays strict
    ("> 95 %"), every other target is met by reaching it."""
    specs = dict(KPI_SPECS)
    for kpi, spec in KPI_SPECS.items():
        found = kpis.get(kpi.value)
        if found is not None:
            specs[kpi] = replace(
                spec,
                title=found.title,
                target=found.target,
                higher_is_better=found.higher_is_better,
            )
    if reply_due is not None:
        specs[Kpi.FIRST_REPLY_MEDIAN] = replace(
            specs[Kpi.FIRST_REPLY_MEDIAN], target=Decimal(int(reply_due.total_seconds()))
        )
    return specs


# --- the formulas -----------------------------------------------------------------------------


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator to four places; None when there is nothing to divide by."""
    if denominator <= 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        RATIO_PLACES, rounding=ROUND_HALF_UP
    )


class ReplyOutcome(StrEnum):
    MET = "met"
    """First reply within 24 hours."""
    MISSED = "missed"
    """Replied later than 24 hours, or not replied and the 24 hours are over."""
    PENDING = "pending"
    """Not replied yet and still inside its 24 hours: not counted either way yet."""


def reply_outcome(
    received_at: datetime, first_reply_at: datetime | None, now: datetime
) -> ReplyOutcome:
    """Whether an inquiry met the 24-hour reply target, as of `now`."""
    if first_reply_at is not None:
        return (
            ReplyOutcome.MET
            if first_reply_at - received_at <= REPLY_WINDOW
            else ReplyOutcome.MISSED
        )
    return ReplyOutcome.PENDING if now - received_at < REPLY_WINDOW else ReplyOutcome.MISSED


def reply_rate_24h(met: int, missed: int) -> Decimal | None:
    """Met ÷ (met + missed): pending inquiries are left out until they are decided."""
    return ratio(met, met + missed)


def response_seconds(received_at: datetime, first_reply_at: datetime) -> int:
    """Seconds from receipt to first reply; never negative (clock skew in imported mail)."""
    return max(int((first_reply_at - received_at).total_seconds()), 0)


def median_offsets(count: int) -> tuple[int, ...]:
    """The 0-based positions, in sorted order, whose mean is the median of `count` values."""
    if count <= 0:
        return ()
    if count % 2:
        return (count // 2,)
    return (count // 2 - 1, count // 2)


def median(values: Sequence[int | Decimal]) -> Decimal | None:
    """The median; for an even count the mean of the two middle values. None for no values."""
    ordered = sorted(Decimal(v) for v in values)
    picks = [ordered[i] for i in median_offsets(len(ordered))]
    if not picks:
        return None
    return sum(picks, Decimal(0)) / len(picks)


def is_effective(first_reply_at: datetime | None, inbound_at: Iterable[datetime]) -> bool:
    """An inquiry became an effective follow-up when the buyer answered after our first reply."""
    if first_reply_at is None:
        return False
    return any(at > first_reply_at for at in inbound_at)


@dataclass(frozen=True)
class CurrencyAverage:
    currency: str
    orders: int
    total: Decimal
    average: Decimal
    converted_total: Decimal | None
    """The total in the report currency; None when config has no rate for this currency."""


@dataclass(frozen=True)
class OrderValue:
    """Average order value: per currency, and all orders converted to the report currency."""

    currency: str
    """The report currency."""
    average: Decimal | None
    """Converted average over the orders whose currency has a rate; None without such orders."""
    orders: int
    """Orders counted in the converted average."""
    per_currency: tuple[CurrencyAverage, ...]
    missing_rates: tuple[str, ...]
    """Currencies seen in the period without a rate in config: left out of the converted average."""


def convert(
    amount: Decimal, currency: str, report_currency: str, rates: Mapping[str, Decimal]
) -> Decimal | None:
    """`amount` in the report currency. `rates[c]` is how many report-currency units 1 c buys."""
    if currency.upper() == report_currency.upper():
        return amount
    rate = rates.get(currency.upper())
    if rate is None:
        return None
    return amount * rate


def average_order_value(
    totals: Mapping[str, tuple[Decimal, int]],
    report_currency: str,
    rates: Mapping[str, Decimal],
) -> OrderValue:
    """From {currency: (sum of order totals, number of orders)} to averages per currency and overall."""
    per_currency: list[CurrencyAverage] = []
    converted_sum = Decimal(0)
    converted_orders = 0
    missing: list[str] = []
    for currency in sorted(totals):
        total, count = totals[currency]
        if count <= 0:
            continue
        converted = convert(total, currency, report_currency, rates)
        if converted is None:
            missing.append(currency)
        else:
            converted_sum += converted
            converted_orders += count
        per_currency.append(
            CurrencyAverage(
                currency=currency,
                orders=count,
                total=total,
                average=(total / count).quantize(MONEY_PLACES, rounding=ROUND_HALF_UP),
                converted_total=(
                    converted.quantize(MONEY_PLACES, rounding=ROUND_HALF_UP)
                    if converted is not None
                    else None
                ),
            )
        )
    average = (
        (converted_sum / converted_orders).quantize(MONEY_PLACES, rounding=ROUND_HALF_UP)
        if converted_orders
        else None
    )
    return OrderValue(
        currency=report_currency.upper(),
        average=average,
        orders=converted_orders,
        per_currency=tuple(per_currency),
        missing_rates=tuple(missing),
    )


def meets_target(spec: KpiSpec, value: Decimal | None) -> bool | None:
    """True/False against the spec's target; None without a target or a value."""
    if spec.target is None or value is None:
        return None
    if spec.higher_is_better:
        return value > spec.target if spec.strict else value >= spec.target
    return value < spec.target if spec.strict else value <= spec.target


class Trend(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


def trend(spec: KpiSpec, value: Decimal | None, previous: Decimal | None) -> Trend | None:
    """Better, worse or the same as the previous period, in the KPI's own sense of better."""
    if value is None or previous is None:
        return None
    if value == previous:
        return Trend.SAME
    up = value > previous
    return Trend.BETTER if up == spec.higher_is_better else Trend.WORSE


def delta(value: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """value − previous in the KPI's unit (percentage points ×0.01 for ratios)."""
    if value is None or previous is None:
        return None
    return value - previous


@dataclass(frozen=True)
class KpiValue:
    """One KPI for one period: the value, what it was computed from, the target and the trend."""

    kpi: Kpi
    value: Decimal | None
    numerator: Decimal | None
    denominator: int | None
    previous: Decimal | None
    detail: OrderValue | None = None
    spec_override: KpiSpec | None = None
    """The spec the report used (the playbook's targets); None: KPI_SPECS."""

    @property
    def spec(self) -> KpiSpec:
        return self.spec_override or KPI_SPECS[self.kpi]

    @property
    def target(self) -> Decimal | None:
        return self.spec.target

    @property
    def meets_target(self) -> bool | None:
        return meets_target(self.spec, self.value)

    @property
    def trend(self) -> Trend | None:
        return trend(self.spec, self.value, self.previous)

    @property
    def delta(self) -> Decimal | None:
        return delta(self.value, self.previous)


# --- periods ------------------------------------------------------------------------------------


class PeriodKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    """Whole local days `first_day` … `last_day` (inclusive) in `zone` (the rep's)."""

    kind: PeriodKind
    first_day: date
    last_day: date
    zone: str

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(
                f"a period cannot end ({self.last_day}) before it starts ({self.first_day})"
            )

    @property
    def start(self) -> pendulum.DateTime:
        """The first instant, in UTC."""
        return _local_midnight(self.first_day, self.zone)

    @property
    def end(self) -> pendulum.DateTime:
        """The instant after the last day ends, in UTC (exclusive bound)."""
        return _local_midnight(self.last_day + timedelta(days=1), self.zone)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end

    def previous(self) -> Period:
        """The period to compare with: the same stretch one week, month or quarter earlier."""
        return previous_period(self)

    @property
    def label(self) -> str:
        if self.first_day == self.last_day:
            return self.first_day.isoformat()
        return f"{self.first_day.isoformat()} – {self.last_day.isoformat()}"


def _local_midnight(day: date, zone: str) -> pendulum.DateTime:
    local = pendulum.datetime(day.year, day.month, day.day, tz=zone)
    return local.in_timezone("UTC")


def local_today(now: datetime, zone: str) -> date:
    """Today's date where `zone` is (a plain `date`)."""
    local = pendulum.instance(now).in_timezone(zone)
    return date(local.year, local.month, local.day)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    """The first of the month `months` away from `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def period_to_date(kind: PeriodKind, now: datetime, zone: str) -> Period:
    """This day, week (from Monday), month or quarter so far, in the rep's zone, today included."""
    today = local_today(now, zone)
    if kind is PeriodKind.DAY:
        first = today
    elif kind is PeriodKind.WEEK:
        first = today - timedelta(days=today.weekday())
    elif kind is PeriodKind.MONTH:
        first = _month_start(today)
    elif kind is PeriodKind.QUARTER:
        first = _quarter_start(today)
    else:
        raise ValueError("a custom period needs its dates: use custom_period()")
    return Period(kind, first, today, zone)


def yesterday(now: datetime, zone: str) -> Period:
    day = local_today(now, zone) - timedelta(days=1)
    return Period(PeriodKind.DAY, day, day, zone)


def last_days(now: datetime, zone: str, days: int) -> Period:
    """The `days` local days ending today."""
    today = local_today(now, zone)
    return Period(PeriodKind.CUSTOM, today - timedelta(days=days - 1), today, zone)


def custom_period(first_day: date, last_day: date, zone: str) -> Period:
    """Dates as the user typed them (inclusive). A whole calendar month or quarter is recognised,
    so its previous period is the previous month or quarter rather than the same number of days."""
    if first_day == _month_start(first_day) and last_day == _month_end(first_day):
        kind = PeriodKind.MONTH
    elif first_day == _quarter_start(first_day) and last_day == _month_end(
        _add_months(first_day, 2)
    ):
        kind = PeriodKind.QUARTER
    elif first_day == last_day:
        kind = PeriodKind.DAY
    else:
        kind = PeriodKind.CUSTOM
    return Period(kind, first_day, last_day, zone)


def previous_period(period: Period) -> Period:
    """The comparison period.

    Day: the day before. Week: seven days earlier. Month / quarter: the same days into the previous
    month / quarter (so "this month so far" is compared with the same part of last month), capped
    at its end. Custom: the same number of days just before.
    """
    first, last, zone = period.first_day, period.last_day, period.zone
    if period.kind in (PeriodKind.DAY, PeriodKind.WEEK, PeriodKind.CUSTOM):
        shift = timedelta(days=7) if period.kind is PeriodKind.WEEK else timedelta(days=period.days)
        return Period(period.kind, first - shift, last - shift, zone)
    months = 1 if period.kind is PeriodKind.MONTH else 3
    start = _add_months(first, -months)
    end_of_previous = first - timedelta(days=1)
    full = last == _month_end(_add_months(first, months - 1))
    if full:
        return Period(period.kind, start, end_of_previous, zone)
    return Period(period.kind, start, min(start + (last - first), end_of_previous), zone)
