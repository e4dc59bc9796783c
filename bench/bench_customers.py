"""Timings of the customers table at scale: open, scroll (next window), sort, filter, search, and
opening one customer. Median of several runs each, in milliseconds, as a Markdown table.

    python bench/bench_customers.py [/tmp/sopdesk-bench.db] [--runs 7] [--rebuild]

The database is generated first when the path does not exist (bench/generate.py: 20,000
customers, 100,000 inquiries, 200,000 activities). The figures go to docs/performance.md. Each
measurement is what the screen asks the service for: a window of 150 rows (a chunk; the table
holds two) plus, where the screen needs it, the count (`first_window`: one search for both).
Searches in Chinese run over the generated Chinese customers and texts; "palette" rows are the
command palette's ranked lookup (`find_customers`, 8 best). `--rebuild` also times re-indexing
every customer (`search.rebuild`, what migration 8 does), once, in a transaction.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peewee import fn

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import ANCHOR, generate
from sopdesk import clock
from sopdesk.services import records
from sopdesk.services.records import CustomerFilter, Sort, SortKey
from sopdesk.services.search import find_customers
from sopdesk.sop.stages import Channel, Stage
from sopdesk.store import db, search
from sopdesk.store.models import Activity, Customer

CHUNK = 150


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm the page cache and the statement cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("path", nargs="?", type=Path, default=Path("/tmp/sopdesk-bench.db"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="also time a search index rebuild")
    args = parser.parse_args(argv)
    clock.freeze(ANCHOR)
    if not args.path.exists():
        made = generate(args.path)
        print(f"generated {args.path} in {made.seconds:.1f} s", file=sys.stderr)
    database = db.init(args.path)
    with database.connection_context():
        customers = Customer.select().count()
        activities = Activity.select().count()
        busiest = (
            Activity.select(Activity.customer)
            .group_by(Activity.customer)
            .order_by(fn.COUNT(Activity.id).desc())
            .limit(1)
            .scalar()
        )
    results: list[tuple[str, float]] = []

    def measure(name: str, fn: Callable[[], Any]) -> None:
        results.append((name, median_ms(fn, args.runs)))

    everyone = CustomerFilter()
    measure("open (first window + count)", lambda: records.first_window(everyone, Sort(), CHUNK))
    first = records.customer_window(everyone, Sort(), None, CHUNK)
    deep = first
    for _ in range(60):  # about 9,000 rows down
        deep = records.customer_window(everyone, Sort(), deep.next_after, CHUNK)
    measure(
        "scroll: next window",
        lambda: records.customer_window(everyone, Sort(), first.next_after, CHUNK),
    )
    measure(
        "scroll: next window 9,000 rows down",
        lambda: records.customer_window(everyone, Sort(), deep.next_after, CHUNK),
    )
    for key in SortKey:
        for descending in (False, True):
            sort = Sort(key, descending)
            measure(
                f"sort: {key.value} {'desc' if descending else 'asc'}",
                lambda sort=sort: records.customer_window(everyone, sort, None, CHUNK),
            )
    sort = Sort(SortKey.NEXT, False)
    window = records.customer_window(everyone, sort, None, CHUNK)
    measure(
        "sort: next_follow_up, next window",
        lambda: records.customer_window(everyone, sort, window.next_after, CHUNK),
    )
    filters = {
        "stage = negotiation": CustomerFilter(stages=frozenset({Stage.NEGOTIATION})),
        "country = DE": CustomerFilter(country="DE"),
        "source = RFQ": CustomerFilter(source=Channel.RFQ),
        "follow-up overdue": CustomerFilter(overdue=True),
        "no next step": CustomerFilter(no_next_step=True),
        "intent + DE + overdue": CustomerFilter(
            stages=frozenset({Stage.INTENT}), country="DE", overdue=True
        ),
    }
    for name, flt in filters.items():
        measure(
            f"filter: {name} (window + count)",
            lambda flt=flt: records.first_window(flt, Sort(), CHUNK),
        )
    searches = ("p", "pr", "price", "global lighting", "C-01234", "c77.example", "hamburg")
    chinese = (
        "深圳",
        "华强",
        "伟",
        "张伟",
        "最好价格",
        "工矿灯",
        "华强 LED",
        "深圳市华强电子有限公司",
    )
    for text in (*searches, *chinese):
        flt = CustomerFilter(text=text)
        found = records.first_window(flt, Sort(), CHUNK)[1]
        measure(
            f"search: {text!r} (window + count: {found:,})",
            lambda flt=flt: records.first_window(flt, Sort(), CHUNK),
        )
    for text in ("深圳", "伟", "最好价格", "price"):
        measure(f"palette: {text!r} (8 best)", lambda text=text: find_customers(text, 8))
    measure("open one customer (busiest timeline)", lambda: records.customer_detail(int(busiest)))
    if args.rebuild:
        with database.connection_context(), database.atomic():
            start = time.perf_counter()
            search.rebuild(database)
            results.append(("re-index every customer (search.rebuild, once)", _ms(start)))
    print(f"{customers:,} customers, {activities:,} activities; median of {args.runs} runs\n")
    print("| operation | ms |")
    print("|---|---:|")
    for name, ms in results:
        print(f"| {name} | {ms:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
