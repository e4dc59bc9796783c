"""The numbers the team trusts: the funnel for a period and the six KPIs, from SQL aggregates.

Every figure here is one aggregate query (no Python loops over rows); the rules of what counts
are in `sop/kpi.py` and `sop/funnel.py` and written out in docs/kpis.md. A report for a rep counts
what is theirs: an inquiry or an order by its own owner, falling back to the customer's owner;
customer-level figures (funnel, samples, repurchase, new customers) by the customer's owner.

Time arithmetic comes from store/dialect.py (julianday() on SQLite, EXTRACT(EPOCH …) on
PostgreSQL), rounded to whole seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pendulum

from sopdesk.sop import kpi as kpi_rules
from sopdesk.sop.funnel import conversion, reached_from_highest
from sopdesk.sop.kpi import Kpi, KpiSpec, KpiValue, OrderValue, Period
from sopdesk.sop.stages import FUNNEL, LostReason, Stage
from sopdesk.store import dialect
from sopdesk.store.db import database
from sopdesk.store.fields import MONEY_SCALE, to_db_time
from sopdesk.store.models import Rep, format_customer_number

STAGE_CUSTOMERS_LIMIT = 200


def seconds_between(later: str, earlier: str) -> str:
    """SQL for the whole seconds from `earlier` to `later` (stored UTC text), on either backend."""
    return dialect.seconds_between(later, earlier)


def _rank_case(column: str) -> str:
    whens = " ".join(f"WHEN '{stage.value}' THEN {i}" for i, stage in enumerate(FUNNEL))
    return f"(CASE {column} {whens} ELSE NULL END)"


def fetch_all(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    return list(database.execute_sql(sql, tuple(params)).fetchall())


def fetch_one(sql: str, params: Sequence[Any]) -> tuple[Any, ...]:
    row = database.execute_sql(sql, tuple(params)).fetchone()
    return tuple(row) if row is not None else ()


def _int(value: Any) -> int:
    return int(value or 0)


def rep_id_for(login: str) -> int | None:
    """The id of the rep with this login, or None when there is none."""
    with database.connection_context():
        rep = Rep.get_or_none(Rep.login == login)
        return int(rep.get_id()) if rep is not None else None


def owner_filter(expression: str, rep_id: int | None) -> tuple[str, list[Any]]:
    if rep_id is None:
        return "", []
    return f" AND {expression} = ?", [rep_id]


def customer_scope(column: str, rep_id: int | None) -> tuple[str, list[Any]]:
    """Rows of active (not merged) customers, of one rep when given: a subquery the planner
    turns into a set once, so the row scan stays on its covering index (no join per row)."""
    if rep_id is None:
        return (
            f" AND {column} NOT IN (SELECT id FROM customer WHERE merged_into_id IS NOT NULL)",
            [],
        )
    return (
        f" AND {column} IN (SELECT id FROM customer WHERE owner_id = ? AND merged_into_id IS NULL)",
        [rep_id],
    )


def owned_scope(owner: str, customer: str, rep_id: int | None) -> tuple[str, list[Any]]:
    """Rows a rep owns: by their own owner, or, without one, by the customer's owner."""
    if rep_id is None:
        return "", []
    return (
        f" AND ({owner} = ? OR ({owner} IS NULL AND {customer} IN"
        " (SELECT id FROM customer WHERE owner_id = ?)))",
        [rep_id, rep_id],
    )


# --- KPIs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyCounts:
    """The inquiries received in a period, by their 24-hour outcome (sop.kpi.reply_outcome)."""

    received: int
    met: int
    missed: int
    pending: int
    replied: int
    effective: int
    median_seconds: Decimal | None


def reply_counts(period: Period, now: pendulum.DateTime, rep_id: int | None = None) -> ReplyCounts:
    """One pass over the period's inquiries (a covering index), plus one for the median."""
    start, end = to_db_time(period.start), to_db_time(period.end)
    cutoff = to_db_time(now - kpi_rules.REPLY_WINDOW)
    window = int(kpi_rules.REPLY_WINDOW.total_seconds())
    owner_sql, owner_params = owned_scope("i.owner_id", "i.customer_id", rep_id)
    took = seconds_between("i.first_reply_at", "i.received_at")
    base = (
        'FROM "inquiry" i WHERE i.received_at >= ? AND i.received_at < ? AND NOT i.archived'
        + owner_sql
    )
    params = [start, end, *owner_params]
    # Replied late = replied − replied in time, so the time arithmetic runs once per row.
    row = fetch_one(
        "SELECT COUNT(*),"
        f" SUM(CASE WHEN i.first_reply_at IS NOT NULL AND {took} <= ? THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN i.first_reply_at IS NULL AND i.received_at <= ? THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN i.first_reply_at IS NULL AND i.received_at > ? THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN i.first_reply_at IS NOT NULL THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN i.first_reply_at IS NOT NULL AND EXISTS (SELECT 1 FROM activity a"
        "  WHERE a.customer_id = i.customer_id AND a.direction = 'in'"
        "  AND a.at > i.first_reply_at) THEN 1 ELSE 0 END) " + base,
        [window, cutoff, cutoff, *params],
    )
    met, replied = _int(row[1]), _int(row[4])
    positive = dialect.greatest(took, "0")
    median = _median(f"SELECT {positive} AS v {base} AND i.first_reply_at IS NOT NULL", params)
    return ReplyCounts(
        received=_int(row[0]),
        met=met,
        missed=replied - met + _int(row[2]),
        pending=_int(row[3]),
        replied=replied,
        effective=_int(row[5]),
        median_seconds=median,
    )


def _median(values_sql: str, params: Sequence[Any]) -> Decimal | None:
    """The median of the single column `v` of `values_sql`, picked in SQL (sop.kpi.median)."""
    row = fetch_one(
        "SELECT AVG(v) FROM (SELECT v, ROW_NUMBER() OVER (ORDER BY v) AS rn,"
        f" COUNT(*) OVER () AS n FROM ({values_sql}) vals) ranked"
        " WHERE rn IN ((n + 1) / 2, (n + 2) / 2)",
        params,
    )
    if not row or row[0] is None:
        return None
    return Decimal(str(row[0]))


def sample_counts(period: Period, rep_id: int | None = None) -> tuple[int, int]:
    """(customers sent a sample in the period, of them ordered on or after that first sample)."""
    scope_sql, scope_params = customer_scope("customer_id", rep_id)
    row = fetch_one(
        'SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM "order" o'
        " WHERE o.customer_id = s.customer_id AND o.ordered_at >= s.first_sent) THEN 1 ELSE 0 END)"
        " FROM (SELECT customer_id, MIN(sent_at) AS first_sent FROM sample"
        "  WHERE sent_at >= ? AND sent_at < ?" + scope_sql + " GROUP BY customer_id) s",
        [to_db_time(period.start), to_db_time(period.end), *scope_params],
    )
    return _int(row[0]), _int(row[1])


def order_totals(period: Period, rep_id: int | None = None) -> dict[str, tuple[Decimal, int]]:
    """{currency: (sum of order totals, number of orders)} for orders placed in the period."""
    owner_sql, owner_params = owned_scope("o.owner_id", "o.customer_id", rep_id)
    rows = fetch_all(
        'SELECT o.currency, SUM(o.total), COUNT(*) FROM "order" o'
        " WHERE o.ordered_at >= ? AND o.ordered_at < ?" + owner_sql + " GROUP BY o.currency",
        [to_db_time(period.start), to_db_time(period.end), *owner_params],
    )
    return {
        str(currency).upper(): (Decimal(int(total or 0)) / MONEY_SCALE, int(n))
        for currency, total, n in rows
    }


def buyer_counts(period: Period, rep_id: int | None = None) -> tuple[int, int, int]:
    """(customers with an order before the period's end, of them with two or more, of them whose
    first order falls in the period) — one grouped pass over orders."""
    start, end = to_db_time(period.start), to_db_time(period.end)
    scope_sql, scope_params = customer_scope("o.customer_id", rep_id)
    row = fetch_one(
        "SELECT COUNT(*), SUM(CASE WHEN n >= 2 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN first_at >= ? THEN 1 ELSE 0 END) FROM ("
        ' SELECT o.customer_id, COUNT(*) AS n, MIN(o.ordered_at) AS first_at FROM "order" o'
        " WHERE o.ordered_at < ?" + scope_sql + " GROUP BY o.customer_id) buyers",
        [start, end, *scope_params],
    )
    return _int(row[0]), _int(row[1]), _int(row[2])


@dataclass(frozen=True)
class PeriodFigures:
    """Everything the KPIs of one period are computed from."""

    replies: ReplyCounts
    sampled: int
    sampled_then_ordered: int
    order_value: OrderValue
    buyers: int
    repeat_buyers: int
    new_buyers: int


def period_figures(
    period: Period,
    now: pendulum.DateTime,
    rep_id: int | None = None,
    report_currency: str = "USD",
    rates: Mapping[str, Decimal] | None = None,
) -> PeriodFigures:
    replies = reply_counts(period, now, rep_id)
    sampled, ordered = sample_counts(period, rep_id)
    value = kpi_rules.average_order_value(
        order_totals(period, rep_id), report_currency, rates or {}
    )
    buyers, repeat, new = buyer_counts(period, rep_id)
    return PeriodFigures(replies, sampled, ordered, value, buyers, repeat, new)


def _values(f: PeriodFigures) -> dict[Kpi, tuple[Decimal | None, Decimal | None, int | None]]:
    """(value, numerator, denominator) per KPI."""
    r = f.replies
    return {
        Kpi.REPLY_RATE_24H: (
            kpi_rules.reply_rate_24h(r.met, r.missed),
            Decimal(r.met),
            r.met + r.missed,
        ),
        Kpi.FIRST_REPLY_MEDIAN: (r.median_seconds, None, r.replied),
        Kpi.FOLLOWUP_CONVERSION: (
            kpi_rules.ratio(r.effective, r.received),
            Decimal(r.effective),
            r.received,
        ),
        Kpi.SAMPLE_TO_ORDER: (
            kpi_rules.ratio(f.sampled_then_ordered, f.sampled),
            Decimal(f.sampled_then_ordered),
            f.sampled,
        ),
        Kpi.AVERAGE_ORDER_VALUE: (
            f.order_value.average,
            sum(
                (c.converted_total for c in f.order_value.per_currency if c.converted_total),
                Decimal(0),
            )
            if f.order_value.orders
            else None,
            f.order_value.orders,
        ),
        Kpi.REPURCHASE_RATE: (
            kpi_rules.ratio(f.repeat_buyers, f.buyers),
            Decimal(f.repeat_buyers),
            f.buyers,
        ),
        Kpi.NEW_CUSTOMERS: (Decimal(f.new_buyers), Decimal(f.new_buyers), None),
    }


@dataclass(frozen=True)
class KpiReport:
    period: Period
    previous: Period
    rep_id: int | None
    values: tuple[KpiValue, ...]
    figures: PeriodFigures

    def get(self, kpi: Kpi) -> KpiValue:
        return next(v for v in self.values if v.kpi is kpi)


def kpi_report(
    period: Period,
    now: pendulum.DateTime,
    rep_id: int | None = None,
    report_currency: str = "USD",
    rates: Mapping[str, Decimal] | None = None,
    specs: Mapping[Kpi, KpiSpec] | None = None,
) -> KpiReport:
    """The six KPIs for `period`, each beside its target (the playbook's unless `specs` are
    given) and its value in the previous period."""
    specs = specs if specs is not None else playbook_specs()
    previous = period.previous()
    with database.connection_context():
        current = period_figures(period, now, rep_id, report_currency, rates)
        before = period_figures(previous, now, rep_id, report_currency, rates)
    now_values, prev_values = _values(current), _values(before)
    values = tuple(
        KpiValue(
            kpi=kpi,
            value=now_values[kpi][0],
            numerator=now_values[kpi][1],
            denominator=now_values[kpi][2],
            previous=prev_values[kpi][0],
            detail=current.order_value if kpi is Kpi.AVERAGE_ORDER_VALUE else None,
            spec_override=specs.get(kpi),
        )
        for kpi in kpi_rules.KPI_SPECS
    )
    return KpiReport(period, previous, rep_id, values, current)


def playbook_specs() -> dict[Kpi, KpiSpec]:
    """The KPI targets of the effective playbook (the team's file over the shipped one)."""
    from sopdesk.sop import playbook

    book = playbook.effective()
    return kpi_rules.specs_from_playbook(book.kpis, book.reply.due)


def rates_from_settings(rates: Mapping[str, str]) -> dict[str, Decimal]:
    return {code.upper(): Decimal(value) for code, value in rates.items()}


# --- the funnel ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelRow:
    stage: Stage
    now: int
    """Customers in this stage now."""
    entered: int
    """Customers who moved into this stage during the period (all time: ever)."""
    reached: int
    """Of the period's new customers (all time: of every customer), those who reached this stage
    or a later one by now."""
    conversion: Decimal | None
    """reached(next) ÷ reached(this); None for the last stage or when nobody reached this one."""
    target: Decimal | None
    median_seconds: Decimal | None
    """Median time customers spent in this stage, over the stays that ended in the period."""
    stays: int

    @property
    def gap(self) -> Decimal | None:
        """conversion − target: negative is below target."""
        if self.conversion is None or self.target is None:
            return None
        return self.conversion - self.target

    @property
    def below_target(self) -> bool:
        gap = self.gap
        return gap is not None and gap < 0


@dataclass(frozen=True)
class LostCount:
    from_stage: Stage | None
    reason: LostReason | None
    customers: int


@dataclass(frozen=True)
class FunnelReport:
    period: Period | None
    """None: all time."""
    rep_id: int | None
    rows: tuple[FunnelRow, ...]
    cohort: int
    """How many customers the conversion is counted over (the period's new customers)."""
    lost_now: int
    dormant_now: int
    lost_reasons: tuple[LostCount, ...]


def _current_counts(rep_id: int | None) -> dict[Stage, int]:
    owner_sql, owner_params = owner_filter("owner_id", rep_id)
    rows = fetch_all(
        "SELECT stage, COUNT(*) FROM customer WHERE merged_into_id IS NULL"
        + owner_sql
        + " GROUP BY stage",
        owner_params,
    )
    return {Stage(s): int(n) for s, n in rows}


def entered_counts(period: Period | None, rep_id: int | None) -> dict[Stage, int]:
    """{stage: customers who moved into it during the period} (all time: ever)."""
    where, params = _period_where("sc.at", period)
    scope_sql, scope_params = customer_scope("sc.customer_id", rep_id)
    # "+sc.to_stage": group without the (to_stage, at) index, so the scan stays on the covering
    # (at, customer_id, to_stage) one instead of reading every row from the table.
    stage = dialect.unindexed("sc.to_stage")
    rows = fetch_all(
        f"SELECT {stage}, COUNT(DISTINCT sc.customer_id) FROM stage_change sc WHERE 1 = 1"
        + where
        + scope_sql
        + f" GROUP BY {stage}",
        [*params, *scope_params],
    )
    return {Stage(s): int(n) for s, n in rows}


def _period_where(column: str, period: Period | None) -> tuple[str, list[Any]]:
    if period is None:
        return "", []
    return f" AND {column} >= ? AND {column} < ?", [
        to_db_time(period.start),
        to_db_time(period.end),
    ]


def _highest_ranks(period: Period | None, rep_id: int | None) -> dict[int, int]:
    """{highest funnel rank reached by now: customers}, over the period's new customers — those
    whose first stage change falls in the period — or over every customer for all time."""
    rank = _rank_case("h.to_stage")
    if period is None:
        scope_sql, scope_params = customer_scope("h.customer_id", rep_id)
        params: list[Any] = list(scope_params)
    else:
        start, end = to_db_time(period.start), to_db_time(period.end)
        scope_sql, scope_params = customer_scope("e.customer_id", rep_id)
        scope_sql = (
            " AND h.customer_id IN (SELECT e.customer_id FROM (SELECT DISTINCT customer_id"
            "  FROM stage_change WHERE at >= ? AND at < ?) e WHERE NOT EXISTS (SELECT 1"
            "  FROM stage_change p WHERE p.customer_id = e.customer_id AND p.at < ?)"
            + scope_sql
            + ")"
        )
        params = [start, end, start, *scope_params]
    # The grouped subquery is computed once (a correlated MAX would be re-run per reference).
    sql = (
        f"SELECT top, COUNT(*) FROM (SELECT h.customer_id, MAX({rank}) AS top"
        " FROM stage_change h WHERE 1 = 1" + scope_sql + " GROUP BY h.customer_id) tops"
        " WHERE top IS NOT NULL GROUP BY top"
    )
    return {int(r): int(n) for r, n in fetch_all(sql, params)}


def _median_stays(period: Period | None, rep_id: int | None) -> dict[Stage, tuple[Decimal, int]]:
    """{stage: (median seconds in it, stays)} over the stays that ended in the period: a stay in
    stage S runs from the customer's previous stage change to the change that leaves S."""
    where, params = _period_where("n.at", period)
    scope_sql, scope_params = customer_scope("n.customer_id", rep_id)
    # Grouped by the leaving change, so the previous change's time is looked up once per stay.
    stays = (
        f"SELECT n.from_stage AS stage, {seconds_between('n.at', 'MAX(p.at)')} AS v"
        " FROM stage_change n JOIN stage_change p"
        "  ON p.customer_id = n.customer_id AND p.at < n.at"
        " WHERE n.from_stage IS NOT NULL" + where + scope_sql + " GROUP BY n.id"
    )
    rows = fetch_all(
        "SELECT stage, AVG(v), MAX(n) FROM (SELECT stage, v,"
        " ROW_NUMBER() OVER (PARTITION BY stage ORDER BY v) AS rn,"
        " COUNT(*) OVER (PARTITION BY stage) AS n"
        f" FROM ({stays}) stays) ranked"
        " WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY stage",
        [*params, *scope_params],
    )
    return {Stage(s): (Decimal(str(avg)), int(n)) for s, avg, n in rows}


def _lost_reasons(period: Period | None, rep_id: int | None) -> tuple[LostCount, ...]:
    where, params = _period_where("sc.at", period)
    scope_sql, scope_params = customer_scope("sc.customer_id", rep_id)
    rows = fetch_all(
        "SELECT sc.from_stage, c.lost_reason, COUNT(DISTINCT sc.customer_id) FROM stage_change sc"
        " JOIN customer c ON c.id = sc.customer_id WHERE sc.to_stage = 'lost'"
        + where
        + scope_sql
        + " GROUP BY sc.from_stage, c.lost_reason ORDER BY 3 DESC, 1, 2",
        [*params, *scope_params],
    )
    return tuple(
        LostCount(
            from_stage=Stage(f) if f else None,
            reason=LostReason(r) if r else None,
            customers=int(n),
        )
        for f, r, n in rows
    )


def funnel_report(
    period: Period | None,
    rep_id: int | None = None,
    targets: Mapping[Stage, Decimal] | None = None,
) -> FunnelReport:
    """Stage counts now and for the period, conversion beside target (the playbook's unless
    `targets` are given), median time in stage, and why customers were lost from each stage."""
    if targets is None:
        from sopdesk.sop import playbook

        targets = playbook.effective().funnel_targets()
    with database.connection_context():
        now_counts = _current_counts(rep_id)
        entered = entered_counts(period, rep_id)
        highest = _highest_ranks(period, rep_id)
        stays = _median_stays(period, rep_id)
        lost = _lost_reasons(period, rep_id)
    reached = reached_from_highest(highest)
    rows = []
    for i, stage in enumerate(FUNNEL):
        nxt = FUNNEL[i + 1] if i + 1 < len(FUNNEL) else None
        median, count = stays.get(stage, (None, 0))
        rows.append(
            FunnelRow(
                stage=stage,
                now=now_counts.get(stage, 0),
                entered=entered.get(stage, 0),
                reached=reached.get(stage, 0),
                conversion=conversion(reached.get(stage, 0), reached.get(nxt, 0)) if nxt else None,
                target=targets.get(stage),
                median_seconds=median,
                stays=count,
            )
        )
    return FunnelReport(
        period=period,
        rep_id=rep_id,
        rows=tuple(rows),
        cohort=sum(highest.values()),
        lost_now=now_counts.get(Stage.LOST, 0),
        dormant_now=now_counts.get(Stage.DORMANT, 0),
        lost_reasons=lost,
    )


@dataclass(frozen=True)
class StageCustomer:
    customer_id: int
    code: str
    name: str
    country: str
    stage: Stage
    stage_since: pendulum.DateTime
    at: pendulum.DateTime
    """When the customer entered the listed stage (all time: when they entered their current one)."""


def stage_customers(
    stage: Stage,
    period: Period | None,
    rep_id: int | None = None,
    limit: int = STAGE_CUSTOMERS_LIMIT,
) -> list[StageCustomer]:
    """Who is behind a funnel bar: customers in `stage` now (all time), or those who entered it
    during the period; the most recent first, at most `limit`."""
    from sopdesk.store.fields import from_db_time

    owner_sql, owner_params = owner_filter("c.owner_id", rep_id)
    if period is None:
        sql = (
            "SELECT c.id, c.number, c.company, c.name, c.country, c.stage, c.stage_since,"
            " c.stage_since FROM customer c WHERE c.merged_into_id IS NULL AND c.stage = ?"
            + owner_sql
            + " ORDER BY c.stage_since DESC, c.id DESC LIMIT ?"
        )
        params: list[Any] = [stage.value, *owner_params, limit]
    else:
        sql = (
            "SELECT c.id, c.number, c.company, c.name, c.country, c.stage, c.stage_since,"
            " MAX(sc.at) FROM stage_change sc JOIN customer c ON c.id = sc.customer_id"
            " WHERE sc.to_stage = ? AND sc.at >= ? AND sc.at < ? AND c.merged_into_id IS NULL"
            + owner_sql
            + " GROUP BY c.id ORDER BY 8 DESC, c.id DESC LIMIT ?"
        )
        params = [
            stage.value,
            to_db_time(period.start),
            to_db_time(period.end),
            *owner_params,
            limit,
        ]
    with database.connection_context():
        rows = fetch_all(sql, params)
    return [
        StageCustomer(
            customer_id=int(cid),
            code=format_customer_number(int(number)),
            name=company or name or format_customer_number(int(number)),
            country=country or "",
            stage=Stage(current),
            stage_since=from_db_time(since),
            at=from_db_time(at),
        )
        for cid, number, company, name, country, current, since, at in rows
    ]
