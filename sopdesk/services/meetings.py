"""The two meetings of "running and measuring it": the daily morning meeting and the weekly review.

Morning meeting: yesterday's store data, yesterday's inquiries with their reply times, and today's
key follow-ups. Weekly review: orders won and lost with their reasons, funnel movement, the KPI
trend and the stale deals. Every list is bounded (LIMIT) and every count an aggregate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pendulum

from sopdesk.services import reports, rfqs, store_data
from sopdesk.services.reports import (
    KpiReport,
    ReplyCounts,
    fetch_all,
    fetch_one,
    owner_filter,
    seconds_between,
)
from sopdesk.services.timeline_events import stage_reason_words
from sopdesk.sop import kpi as kpi_rules
from sopdesk.sop.kpi import Period, PeriodKind
from sopdesk.sop.playbook import ReplyTargets, effective
from sopdesk.sop.stages import FUNNEL, Channel, LostReason, Stage
from sopdesk.store import dialect
from sopdesk.store.db import database
from sopdesk.store.fields import MONEY_SCALE, from_db_time, to_db_time
from sopdesk.store.models import format_customer_number

LIST_LIMIT = 50
FOLLOW_UP_LIMIT = 20


def _name(company: str | None, name: str | None, number: int | None) -> str:
    if company:
        return company
    if name:
        return name
    return format_customer_number(number) if number is not None else ""


@dataclass(frozen=True)
class ReplyLine:
    """One of yesterday's inquiries and how long its first reply took."""

    inquiry_id: int
    customer_id: int
    customer: str
    country: str
    channel: Channel
    received_at: pendulum.DateTime
    first_reply_at: pendulum.DateTime | None
    seconds: int | None
    """Seconds to the first reply; None while unanswered."""


@dataclass(frozen=True)
class ReplyBuckets:
    """Yesterday's inquiries by the playbook's reply clock (SOP stage 2.1: 5 minutes, 1 hour)."""

    within_fresh: int
    """Answered within `fresh_limit` (SOP: 5 minutes)."""
    within_due: int
    """Answered after `fresh_limit`, within `due_limit` (SOP: 1 hour)."""
    later: int
    unanswered: int
    fresh_limit: timedelta
    due_limit: timedelta


@dataclass(frozen=True)
class FollowUpLine:
    task_id: int
    customer_id: int | None
    customer: str
    title: str
    due_at: pendulum.DateTime
    overdue: bool


@dataclass(frozen=True)
class MorningMeeting:
    day: Period
    """Yesterday, in the rep's zone."""
    store: store_data.StoreDataSummary
    replies: ReplyCounts
    buckets: ReplyBuckets
    reply_lines: tuple[ReplyLine, ...]
    unanswered_now: int
    follow_ups: tuple[FollowUpLine, ...]
    follow_ups_total: int
    rfqs_to_quote: int
    rfq_quota: rfqs.QuotaStatus
    zero_effect_products: int


def _reply_buckets(period: Period, rep_id: int | None, reply: ReplyTargets) -> ReplyBuckets:
    owner_sql, owner_params = owner_filter("COALESCE(i.owner_id, c.owner_id)", rep_id)
    took = seconds_between("i.first_reply_at", "i.received_at")
    row = fetch_one(
        f"SELECT SUM(CASE WHEN i.first_reply_at IS NOT NULL AND {took} <= ? THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN i.first_reply_at IS NOT NULL AND {took} > ? AND {took} <= ? THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN i.first_reply_at IS NOT NULL AND {took} > ? THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN i.first_reply_at IS NULL THEN 1 ELSE 0 END)"
        ' FROM "inquiry" i JOIN customer c ON c.id = i.customer_id'
        " WHERE i.received_at >= ? AND i.received_at < ? AND NOT i.archived" + owner_sql,
        [
            int(reply.fresh.total_seconds()),
            int(reply.fresh.total_seconds()),
            int(reply.due.total_seconds()),
            int(reply.due.total_seconds()),
            to_db_time(period.start),
            to_db_time(period.end),
            *owner_params,
        ],
    )
    fresh, due, later, unanswered = (int(v or 0) for v in row)
    return ReplyBuckets(fresh, due, later, unanswered, reply.fresh, reply.due)


def _reply_lines(period: Period, rep_id: int | None) -> tuple[ReplyLine, ...]:
    """The period's inquiries, unanswered first, then the slowest replies first."""
    owner_sql, owner_params = owner_filter("COALESCE(i.owner_id, c.owner_id)", rep_id)
    took = dialect.greatest(seconds_between("i.first_reply_at", "i.received_at"), "0")
    rows = fetch_all(
        f"SELECT i.id, c.id, c.company, c.name, c.number, c.country, i.channel, i.received_at,"
        f" i.first_reply_at, {took} AS took FROM inquiry i JOIN customer c ON c.id = i.customer_id"
        " WHERE i.received_at >= ? AND i.received_at < ? AND NOT i.archived" + owner_sql + ""
        " ORDER BY i.first_reply_at IS NOT NULL, took DESC, i.received_at, i.id LIMIT ?",
        [to_db_time(period.start), to_db_time(period.end), *owner_params, LIST_LIMIT],
    )
    return tuple(
        ReplyLine(
            inquiry_id=int(iid),
            customer_id=int(cid),
            customer=_name(company, name, number),
            country=country or "",
            channel=Channel(channel),
            received_at=from_db_time(received),
            first_reply_at=from_db_time(replied) if replied else None,
            seconds=int(took) if took is not None else None,
        )
        for iid, cid, company, name, number, country, channel, received, replied, took in rows
    )


def _unanswered_now(rep_id: int | None) -> int:
    owner_sql, owner_params = owner_filter("COALESCE(i.owner_id, c.owner_id)", rep_id)
    row = fetch_one(
        "SELECT COUNT(*) FROM inquiry i JOIN customer c ON c.id = i.customer_id"
        " WHERE i.first_reply_at IS NULL AND NOT i.archived" + owner_sql,
        owner_params,
    )
    return int(row[0] or 0)


def _follow_ups(
    now: pendulum.DateTime, rep_zone: str, rep_id: int | None
) -> tuple[tuple[FollowUpLine, ...], int]:
    """Open follow-ups due by the end of the rep's today, overdue first; and how many in all."""
    today = kpi_rules.period_to_date(PeriodKind.DAY, now, rep_zone)
    owner_sql, owner_params = owner_filter("COALESCE(t.owner_id, c.owner_id)", rep_id)
    where = (
        " FROM task t LEFT JOIN customer c ON c.id = t.customer_id"
        " WHERE t.done_at IS NULL AND t.skipped_reason IS NULL AND t.due_at < ?"
        " AND (t.snoozed_until IS NULL OR t.snoozed_until < ?)" + owner_sql
    )
    params = [to_db_time(today.end), to_db_time(today.end), *owner_params]
    total = int(fetch_one("SELECT COUNT(*)" + where, params)[0] or 0)
    rows = fetch_all(
        "SELECT t.id, c.id, c.company, c.name, c.number, t.title, t.due_at"
        + where
        + " ORDER BY t.due_at, t.id LIMIT ?",
        [*params, FOLLOW_UP_LIMIT],
    )
    start = today.start
    lines = tuple(
        FollowUpLine(
            task_id=int(tid),
            customer_id=int(cid) if cid is not None else None,
            customer=_name(company, name, number),
            title=title,
            due_at=from_db_time(due),
            overdue=from_db_time(due) < start,
        )
        for tid, cid, company, name, number, title, due in rows
    )
    return lines, total


def morning_meeting(
    now: pendulum.DateTime,
    rep_zone: str,
    rep_id: int | None = None,
    rfq_quota: int = 20,
) -> MorningMeeting:
    """Yesterday's replies are bucketed by the effective playbook's reply clock."""
    reply = effective().reply
    day = kpi_rules.yesterday(now, rep_zone)
    summary = store_data.store_data_summary(now, rep_zone)
    zero = store_data.zero_effect_products(rep_zone)
    to_quote, quota = rfqs.routine_note(now, rep_zone, rfq_quota)
    with database.connection_context():
        replies = reports.reply_counts(day, now, rep_id)
        buckets = _reply_buckets(day, rep_id, reply)
        lines = _reply_lines(day, rep_id)
        unanswered = _unanswered_now(rep_id)
        follow_ups, total = _follow_ups(now, rep_zone, rep_id)
    return MorningMeeting(
        day=day,
        store=summary,
        replies=replies,
        buckets=buckets,
        reply_lines=lines,
        unanswered_now=unanswered,
        follow_ups=follow_ups,
        follow_ups_total=total,
        rfqs_to_quote=to_quote,
        rfq_quota=quota,
        zero_effect_products=len(zero.products),
    )


# --- the weekly review --------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderLine:
    number: str
    customer_id: int
    customer: str
    total: Decimal
    currency: str
    ordered_at: pendulum.DateTime
    reason: str
    """Why it was won, as noted on the move into the order stage (may be empty); sopdesk's own
    reasons ("deposit received (SO-2026-0012)") in the UI language, a rep's as typed."""


@dataclass(frozen=True)
class LostLine:
    customer_id: int
    customer: str
    from_stage: Stage | None
    reason: LostReason | None
    note: str
    """The stage change's reason: the lost reason in the UI language, then the rep's words."""
    at: pendulum.DateTime


@dataclass(frozen=True)
class Movement:
    stage: Stage
    entered: int
    entered_previous: int


@dataclass(frozen=True)
class StaleDeal:
    customer_id: int
    customer: str
    stage: Stage
    stage_since: pendulum.DateTime
    last_activity_at: pendulum.DateTime | None

    def days_in_stage(self, now: pendulum.DateTime) -> int:
        return max((now - self.stage_since).days, 0)


@dataclass(frozen=True)
class WeeklyReview:
    period: Period
    orders: tuple[OrderLine, ...]
    orders_total: int
    lost: tuple[LostLine, ...]
    lost_total: int
    movement: tuple[Movement, ...]
    kpis: KpiReport
    stale: tuple[StaleDeal, ...]
    stale_total: int


def _orders_won(period: Period, rep_id: int | None) -> tuple[tuple[OrderLine, ...], int]:
    owner_sql, owner_params = owner_filter("COALESCE(o.owner_id, c.owner_id)", rep_id)
    where = (
        ' FROM "order" o JOIN customer c ON c.id = o.customer_id'
        " WHERE o.ordered_at >= ? AND o.ordered_at < ?" + owner_sql
    )
    params = [to_db_time(period.start), to_db_time(period.end), *owner_params]
    total = int(fetch_one("SELECT COUNT(*)" + where, params)[0] or 0)
    rows = fetch_all(
        "SELECT o.number, c.id, c.company, c.name, c.number, o.total, o.currency, o.ordered_at,"
        " (SELECT sc.reason FROM stage_change sc WHERE sc.customer_id = c.id"
        "  AND sc.to_stage IN ('order', 'loyal') AND sc.at <= o.ordered_at"
        "  ORDER BY sc.at DESC LIMIT 1)" + where + " ORDER BY o.ordered_at DESC, o.id DESC LIMIT ?",
        [*params, LIST_LIMIT],
    )
    lines = tuple(
        OrderLine(
            number=str(number),
            customer_id=int(cid),
            customer=_name(company, name, cnumber),
            total=Decimal(int(total_units)) / MONEY_SCALE,
            currency=str(currency),
            ordered_at=from_db_time(at),
            reason=stage_reason_words(Stage.ORDER.value, reason or ""),  # reader's language
        )
        for number, cid, company, name, cnumber, total_units, currency, at, reason in rows
    )
    return lines, total


def _lost(period: Period, rep_id: int | None) -> tuple[tuple[LostLine, ...], int]:
    owner_sql, owner_params = owner_filter("c.owner_id", rep_id)
    where = (
        " FROM stage_change sc JOIN customer c ON c.id = sc.customer_id"
        " WHERE sc.to_stage = 'lost' AND sc.at >= ? AND sc.at < ? AND c.merged_into_id IS NULL"
        + owner_sql
    )
    params = [to_db_time(period.start), to_db_time(period.end), *owner_params]
    total = int(fetch_one("SELECT COUNT(*)" + where, params)[0] or 0)
    rows = fetch_all(
        "SELECT c.id, c.company, c.name, c.number, sc.from_stage, c.lost_reason, sc.reason, sc.at"
        + where
        + " ORDER BY sc.at DESC, sc.id DESC LIMIT ?",
        [*params, LIST_LIMIT],
    )
    lines = tuple(
        LostLine(
            customer_id=int(cid),
            customer=_name(company, name, number),
            from_stage=Stage(from_stage) if from_stage else None,
            reason=LostReason(reason) if reason else None,
            note=stage_reason_words(Stage.LOST.value, note or ""),  # "价格：…" for "price: …"
            at=from_db_time(at),
        )
        for cid, company, name, number, from_stage, reason, note, at in rows
    )
    return lines, total


def _stale(
    now: pendulum.DateTime, rep_id: int | None, stale_after: Mapping[Stage, timedelta]
) -> tuple[tuple[StaleDeal, ...], int]:
    owner_sql, owner_params = owner_filter("c.owner_id", rep_id)
    clauses = []
    params: list[Any] = []
    for stage, limit in stale_after.items():
        clauses.append("(c.stage = ? AND c.stage_since < ?)")
        params.extend([stage.value, to_db_time(now - limit)])
    if not clauses:
        return (), 0
    where = (
        " FROM customer c WHERE c.merged_into_id IS NULL AND (" + " OR ".join(clauses) + ")"
    ) + owner_sql
    params.extend(owner_params)
    total = int(fetch_one("SELECT COUNT(*)" + where, params)[0] or 0)
    rows = fetch_all(
        "SELECT c.id, c.company, c.name, c.number, c.stage, c.stage_since, c.last_activity_at"
        + where
        + " ORDER BY c.stage_since, c.id LIMIT ?",
        [*params, LIST_LIMIT],
    )
    deals = tuple(
        StaleDeal(
            customer_id=int(cid),
            customer=_name(company, name, number),
            stage=Stage(stage),
            stage_since=from_db_time(since),
            last_activity_at=from_db_time(last) if last else None,
        )
        for cid, company, name, number, stage, since, last in rows
    )
    return deals, total


def weekly_review(
    period: Period,
    now: pendulum.DateTime,
    rep_id: int | None = None,
    report_currency: str = "USD",
    rates: Mapping[str, Decimal] | None = None,
    stale_after: Mapping[Stage, timedelta] | None = None,
) -> WeeklyReview:
    """Stale deals: customers longer in a funnel stage than the playbook's `stale_after_days`
    (or `stale_after`, when given)."""
    if stale_after is None:
        book = effective()
        stale_after = {
            stage: limit for stage in FUNNEL if (limit := book.stale_after(stage)) is not None
        }
    kpis = reports.kpi_report(period, now, rep_id, report_currency, rates)
    previous = period.previous()
    with database.connection_context():
        orders, orders_total = _orders_won(period, rep_id)
        lost, lost_total = _lost(period, rep_id)
        entered = reports.entered_counts(period, rep_id)
        entered_before = reports.entered_counts(previous, rep_id)
        stale, stale_total = _stale(now, rep_id, stale_after)
    movement = tuple(
        Movement(stage, entered.get(stage, 0), entered_before.get(stage, 0))
        for stage in (*FUNNEL, Stage.LOST, Stage.DORMANT)
    )
    return WeeklyReview(
        period=period,
        orders=orders,
        orders_total=orders_total,
        lost=lost,
        lost_total=lost_total,
        movement=movement,
        kpis=kpis,
        stale=stale,
        stale_total=stale_total,
    )
