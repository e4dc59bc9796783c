"""Yesterday's store data against its averages (SOP 1.1) and the zero-effect products (SOP 1.2).

The daily figures come from `sopdesk import metrics`. Store data is at most a few dozen rows per
look (30 days); zero-effect products are summed per product in SQL over the window and only the
flagged ones come back, at most `ZERO_EFFECT_LIMIT`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pendulum

from sopdesk.i18n import _
from sopdesk.sop import metrics as rules
from sopdesk.sop.kpi import local_today
from sopdesk.sop.metrics import Change, Improvement, ZeroEffectReason
from sopdesk.sop.stages import TaskKind
from sopdesk.store.db import database
from sopdesk.store.fields import from_db_time, to_db_time
from sopdesk.store.models import Product, StoreMetrics, Task

ZERO_EFFECT_LIMIT = 500
ZERO_EFFECT_OPEN_TASKS = 10
"""At most this many "optimise product" tasks are open at once, the most-seen products first, so
the Today queue is not buried; the next ones appear as these are done."""
_task_pk = Task._meta.primary_key
_product_pk = Product._meta.primary_key

TASK_SOURCE = "zero_effect:"
"""Task.source prefix of the "optimise this product" tasks; the product id follows."""


@dataclass(frozen=True)
class MetricSummary:
    field: str
    """One of sop.metrics.METRIC_FIELDS."""
    yesterday: int | None
    average_7: Decimal | None
    average_28: Decimal | None
    change_7: Change | None
    change_28: Change | None
    last_30: tuple[int | None, ...]
    """The 30 days ending yesterday, oldest first; None for a day without data."""

    @property
    def sparkline(self) -> str:
        return rules.sparkline(self.last_30)


@dataclass(frozen=True)
class StoreDataSummary:
    day: date
    """Yesterday in the rep's zone."""
    has_data: bool
    """False when yesterday's export has not been imported yet."""
    last_day: date | None
    """The latest day with data at all."""
    metrics: tuple[MetricSummary, ...]


def store_data_summary(now: pendulum.DateTime, rep_zone: str) -> StoreDataSummary:
    """Yesterday (the rep's) against the 7- and 28-day averages before it, with 30-day sparklines."""
    yesterday = local_today(now, rep_zone) - timedelta(days=1)
    first = yesterday - timedelta(days=max(rules.SPARKLINE_DAYS, rules.LONG_WINDOW_DAYS + 1) - 1)
    with database.connection_context():
        rows = list(
            StoreMetrics.select()
            .where(StoreMetrics.day >= first, StoreMetrics.day <= yesterday)
            .order_by(StoreMetrics.day)
            .limit(64)
        )
        last_day = StoreMetrics.select(StoreMetrics.day).order_by(StoreMetrics.day.desc()).scalar()
    series: dict[str, dict[date, int]] = {f: {} for f in rules.METRIC_FIELDS}
    for row in rows:
        for f in rules.METRIC_FIELDS:
            series[f][_as_date(row.day)] = int(getattr(row, f))
    summaries = []
    for f in rules.METRIC_FIELDS:
        values = series[f]
        value = values.get(yesterday)
        avg7 = rules.trailing_average(values, yesterday, rules.SHORT_WINDOW_DAYS)
        avg28 = rules.trailing_average(values, yesterday, rules.LONG_WINDOW_DAYS)
        summaries.append(
            MetricSummary(
                field=f,
                yesterday=value,
                average_7=avg7,
                average_28=avg28,
                change_7=rules.change(value, avg7),
                change_28=rules.change(value, avg28),
                last_30=tuple(rules.daily_values(values, yesterday, rules.SPARKLINE_DAYS)),
            )
        )
    return StoreDataSummary(
        day=yesterday,
        has_data=any(_as_date(r.day) == yesterday for r in rows),
        last_day=_as_date(last_day) if last_day else None,
        metrics=tuple(summaries),
    )


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    return date.fromisoformat(str(value))


# --- zero-effect products -------------------------------------------------------------------


@dataclass(frozen=True)
class ZeroEffectProduct:
    product_id: int | None
    name: str
    exposure: int
    clicks: int
    inquiries: int
    ctr: Decimal | None
    reason: ZeroEffectReason
    improvements: tuple[Improvement, ...]
    optimised_at: pendulum.DateTime | None


@dataclass(frozen=True)
class ZeroEffectList:
    first_day: date | None
    last_day: date | None
    """The window (inclusive); None when no product data was ever imported."""
    store_ctr: Decimal | None
    products: tuple[ZeroEffectProduct, ...]


def _store_ctr(first: date, last: date) -> Decimal | None:
    """The store's click-through rate over the window: store data, else the products' total."""
    row = database.execute_sql(
        "SELECT SUM(exposure), SUM(clicks) FROM store_metrics WHERE day >= ? AND day <= ?",
        (first.isoformat(), last.isoformat()),
    ).fetchone()
    if not row or not row[0]:
        row = database.execute_sql(
            "SELECT SUM(exposure), SUM(clicks) FROM product_metrics WHERE day >= ? AND day <= ?",
            (first.isoformat(), last.isoformat()),
        ).fetchone()
    if not row or not row[0]:
        return None
    return rules.ctr(int(row[1] or 0), int(row[0]))


def zero_effect_products(
    rep_zone: str, window_days: int = rules.ZERO_EFFECT_WINDOW_DAYS
) -> ZeroEffectList:
    """Products with no effect over the window ending with the latest product data.

    A product marked optimised inside the window is left out: it gets a whole window of fresh
    data before it is judged again.
    """
    with database.connection_context():
        last_raw = database.execute_sql("SELECT MAX(day) FROM product_metrics").fetchone()[0]
        if not last_raw:
            return ZeroEffectList(None, None, None, ())
        first, last = rules.zero_effect_window(_as_date(last_raw), window_days)
        store_ctr = _store_ctr(first, last)
        window_start = pendulum.datetime(first.year, first.month, first.day, tz=rep_zone)
        threshold = store_ctr * rules.LOW_CTR_FACTOR if store_ctr is not None else Decimal(0)
        rows = database.execute_sql(
            "SELECT MAX(m.product_id), m.product_name, SUM(m.exposure), SUM(m.clicks),"
            " SUM(m.inquiries), MAX(p.optimised_at) FROM product_metrics m"
            " LEFT JOIN product p ON p.id = m.product_id"
            " WHERE m.day >= ? AND m.day <= ? GROUP BY m.product_name"
            " HAVING SUM(m.inquiries) = 0 AND (SUM(m.clicks) = 0 OR (SUM(m.exposure) >= ?"
            "  AND SUM(m.clicks) < SUM(m.exposure) * ?))"
            " AND (MAX(p.optimised_at) IS NULL OR MAX(p.optimised_at) < ?)"
            " ORDER BY SUM(m.exposure) DESC, m.product_name LIMIT ?",
            (
                first.isoformat(),
                last.isoformat(),
                rules.MIN_EXPOSURE_FOR_CTR,
                float(threshold) * 1.01,  # a little slack: the pure rule below decides
                to_db_time(window_start),
                ZERO_EFFECT_LIMIT,
            ),
        ).fetchall()
    products = []
    for product_id, name, exposure, clicks, inquiries, optimised in rows:
        totals = rules.ProductTotals(str(name), int(exposure), int(clicks), int(inquiries))
        reason = rules.zero_effect_reason(totals, store_ctr)
        if reason is None:
            continue
        products.append(
            ZeroEffectProduct(
                product_id=int(product_id) if product_id is not None else None,
                name=totals.name,
                exposure=totals.exposure,
                clicks=totals.clicks,
                inquiries=totals.inquiries,
                ctr=rules.ctr(totals.clicks, totals.exposure),
                reason=reason,
                improvements=rules.IMPROVEMENTS[reason],
                optimised_at=from_db_time(optimised) if optimised else None,
            )
        )
    return ZeroEffectList(first, last, store_ctr, tuple(products))


def _task_why(product: ZeroEffectProduct, days: int) -> str:
    improve = ", ".join(_(rules.IMPROVEMENT_LABELS[i]) for i in product.improvements)
    return _("{reason} in {days} days: improve {improve}").format(
        reason=_(rules.REASON_LABELS[product.reason]), days=days, improve=improve
    )


def sync_zero_effect_tasks(
    now: pendulum.DateTime,
    rep_zone: str,
    rep_id: int | None = None,
    window_days: int = rules.ZERO_EFFECT_WINDOW_DAYS,
) -> int:
    """Keep one open "optimise" task per zero-effect product (up to ZERO_EFFECT_OPEN_TASKS).

    A task ticked done in Today marks its product optimised; a product that is no longer
    zero-effect has its open task closed as skipped. Returns how many tasks were created.
    """
    listing = zero_effect_products(rep_zone, window_days)
    with database.connection_context(), database.atomic():
        tasks = list(
            Task.select(_task_pk, Task.source, Task.done_at, Task.skipped_reason)
            .where(Task.source.startswith(TASK_SOURCE))
            .order_by(_task_pk)
            .limit(5000)
        )
        open_by_product: dict[int, int] = {}
        for task in tasks:
            product_id = int(task.source.removeprefix(TASK_SOURCE))
            if task.done_at is not None:
                # Ticked in Today: that is the rep saying "optimised".
                Product.update(optimised_at=task.done_at).where(
                    _product_pk == product_id,
                    Product.optimised_at.is_null() | (Product.optimised_at < task.done_at),
                ).execute()
            elif task.skipped_reason is None:
                open_by_product[product_id] = task.get_id()
        flagged = {p.product_id: p for p in listing.products if p.product_id is not None}
        ticked_since = {
            int(t.source.removeprefix(TASK_SOURCE))
            for t in tasks
            if t.done_at is not None and t.done_at >= _window_start(listing, rep_zone)
        }
        for product_id, task_id in open_by_product.items():
            if product_id not in flagged:
                Task.update(
                    skipped_reason=_("no longer a zero-effect product"), updated_at=now
                ).where(_task_pk == task_id).execute()
        created = 0
        open_count = sum(1 for pid in open_by_product if pid in flagged)
        for product_id, product in flagged.items():
            if product_id in open_by_product or product_id in ticked_since:
                continue
            if open_count >= ZERO_EFFECT_OPEN_TASKS:
                break
            Task.create(
                kind=TaskKind.OTHER,
                title=_("Optimise zero-effect product: {name}").format(name=product.name),
                why=_task_why(product, window_days),
                due_at=now,
                owner=rep_id,
                source=f"{TASK_SOURCE}{product_id}",
                created_at=now,
                updated_at=now,
            )
            open_count += 1
            created += 1
    return created


def _window_start(listing: ZeroEffectList, rep_zone: str) -> pendulum.DateTime:
    if listing.first_day is None:
        return pendulum.datetime(1970, 1, 1, tz="UTC")
    d = listing.first_day
    return pendulum.datetime(d.year, d.month, d.day, tz=rep_zone).in_timezone("UTC")


def mark_optimised(product_id: int, now: pendulum.DateTime) -> None:
    """The rep improved the listing: record it and close its open task."""
    with database.connection_context(), database.atomic():
        updated = (
            Product.update(optimised_at=now, updated_at=now)
            .where(_product_pk == product_id)
            .execute()
        )
        if not updated:
            raise LookupError(f"no product with id {product_id}")
        Task.update(done_at=now, updated_at=now).where(
            Task.source == f"{TASK_SOURCE}{product_id}",
            Task.done_at.is_null(),
            Task.skipped_reason.is_null(),
        ).execute()
