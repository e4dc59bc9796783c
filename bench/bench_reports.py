"""The funnel and all six KPIs at scale: 20,000 customers, 100,000 inquiries, 200,000 activities.

Budget (issue 7): the funnel and every KPI for a period in under 100 ms together, from SQL
aggregates. The data comes from `bench/generate.py` (the shared deterministic generator); this
script only adds what that generator leaves out and the KPIs need — orders for the customers in
the order and loyal stages (two for loyal ones) and samples for those past negotiation — with a
fixed seed, so every run times the same rows.

    python bench/bench_reports.py                 # a fresh database in a temp dir
    python bench/bench_reports.py --db /tmp/scale.db   # reuse one (orders added once)

Prints one line per measurement: the median and the slowest of --runs timed runs, after one
warm-up run (the first query after opening pays for reading pages from disk).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pendulum

from bench.generate import ANCHOR, generate
from sopdesk import clock
from sopdesk.services import meetings, reports, store_data
from sopdesk.sop import kpi
from sopdesk.sop.kpi import PeriodKind
from sopdesk.sop.stages import Stage
from sopdesk.store import db
from sopdesk.store.models import Customer, Order, Sample

BUDGET_MS = 100.0
BUDGET_PERIODS = ("week", "month")
"""The periods the screen opens on and the reports default to; the exit code checks these."""
ZONE = "Asia/Shanghai"
RATES = {"EUR": Decimal("1.08"), "CNY": Decimal("0.138")}


def add_orders_and_samples(seed: int = 7) -> tuple[int, int]:
    """Orders and samples for the generated customers (once per database)."""
    if Order.select().exists():
        return Order.select().count(), Sample.select().count()
    rng = random.Random(seed)
    orders: list[dict] = []
    samples: list[dict] = []
    rows = (
        Customer.select(Customer.id, Customer.stage, Customer.stage_since, Customer.owner)
        .where(Customer.stage.in_([Stage.NEGOTIATION, Stage.ORDER, Stage.LOYAL]))
        .order_by(Customer.id)
        .tuples()
    )
    for customer_id, stage, since, owner in rows:
        since = Customer.stage_since.python_value(since) if isinstance(since, str) else since
        samples.append(
            {"customer": customer_id, "sent_at": since.subtract(days=rng.randint(5, 30))}
        )
        count = {Stage.NEGOTIATION.value: 0, Stage.ORDER.value: 1, Stage.LOYAL.value: 2}[stage]
        for n in range(count):
            orders.append(
                {
                    "number": f"SO-B-{customer_id}-{n}",
                    "customer": customer_id,
                    "owner": owner,
                    "total": Decimal(rng.randint(20, 400) * 250),
                    "currency": rng.choice(("USD", "USD", "USD", "EUR", "CNY")),
                    "ordered_at": since.subtract(days=n * rng.randint(60, 200)),
                }
            )
    with db.database.atomic():
        for i in range(0, len(orders), 400):
            Order.insert_many(orders[i : i + 400]).execute()
        for i in range(0, len(samples), 400):
            Sample.insert_many(samples[i : i + 400]).execute()
    db.database.execute_sql("ANALYZE")
    return len(orders), len(samples)


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """(fastest, median, slowest) milliseconds of `runs` runs after one warm-up."""
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times), max(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", type=Path, help="a database made by bench/generate.py (reused)")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    tmp = None
    if args.db is not None and args.db.exists():
        path = args.db
        db.init(path)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="sopdesk-bench-")
        path = args.db or Path(tmp.name) / "scale.db"
        made = generate(path)
        print(f"generated {path}: {made.customers} customers, {made.inquiries} inquiries, "
              f"{made.activities} activities in {made.seconds:.1f} s")  # fmt: skip
    clock.freeze(ANCHOR)
    now = ANCHOR
    with db.database.connection_context():
        orders, samples = add_orders_and_samples()
    print(f"with {orders} orders and {samples} samples")
    periods = {
        "week": kpi.period_to_date(PeriodKind.WEEK, now, ZONE),
        "month": kpi.period_to_date(PeriodKind.MONTH, now, ZONE),
        "quarter": kpi.period_to_date(PeriodKind.QUARTER, now, ZONE),
        "year": kpi.custom_period(pendulum.date(2025, 11, 28), pendulum.date(2026, 11, 27), ZONE),
    }
    failed = False
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.2f} on {os.cpu_count()} CPUs (other work inflates the medians)")
    print(f"{'measurement':<34} {'fastest':>9} {'median':>9} {'slowest':>9}")
    for name, period in periods.items():
        results = {
            "funnel": timed(lambda p=period: reports.funnel_report(p), args.runs),
            "kpis (period + previous)": timed(
                lambda p=period: reports.kpi_report(p, now, None, "USD", RATES), args.runs
            ),
            "funnel + kpis": timed(
                lambda p=period: (
                    reports.funnel_report(p),
                    reports.kpi_report(p, now, None, "USD", RATES),
                ),
                args.runs,
            ),
            "funnel + kpis, one rep": timed(
                lambda p=period: (
                    reports.funnel_report(p, 1),
                    reports.kpi_report(p, now, 1, "USD", RATES),
                ),
                args.runs,
            ),
        }
        for what, (fastest, median, slowest) in results.items():
            flag = ""
            if what.startswith("funnel + kpis") and median > BUDGET_MS:
                flag = "  over budget"
                failed = failed or name in BUDGET_PERIODS
            print(
                f"{name + ': ' + what:<34} {fastest:>7.1f}ms {median:>7.1f}ms {slowest:>7.1f}ms{flag}"
            )
    fastest, median, slowest = timed(lambda: reports.funnel_report(None), args.runs)
    print(f"{'all time: funnel':<34} {fastest:>7.1f}ms {median:>7.1f}ms {slowest:>7.1f}ms")
    week = periods["week"]

    def screen() -> None:
        """What the reports screen computes when it opens (every tab, this week)."""
        weekly = meetings.weekly_review(week, now, None, "USD", RATES)
        meetings.morning_meeting(now, ZONE, None, 20)
        reports.funnel_report(week)
        store_data.zero_effect_products(ZONE)
        del weekly

    fastest, median, slowest = timed(screen, args.runs)
    print(
        f"{'reports screen, all tabs (week)':<34} {fastest:>7.1f}ms {median:>7.1f}ms {slowest:>7.1f}ms"
    )
    if tmp is not None:
        tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
