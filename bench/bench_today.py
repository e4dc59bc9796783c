"""The Today queue at scale: 20,000 customers, 100,000 inquiries, 200,000 activities.

The workbench builds Today when it opens and again on every change it hears of; with `refresh`
the cadence engine (playbook tasks) and the sales reminders (quotes, samples, orders,
certificates, greetings, reorders) run first. Their first run on a database writes every task the
playbook wants; every later run must find nothing to do quickly, because it runs all day.

    python bench/bench_today.py                      # a fresh database in a temp dir
    python bench/bench_today.py --db /tmp/scale.db   # reuse one (orders added once)

Prints the first (writing) run once, then the fastest, median and slowest of --runs timed runs of
the steady state. Budget: a steady-state refresh plus the queue in under 150 ms, so the pane keeps
up with a teammate's writes; no test asserts a time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_reports import add_orders_and_samples, timed
from bench.generate import ANCHOR, generate
from sopdesk import clock
from sopdesk.services import playbook_tasks, sales_tasks, today
from sopdesk.store import db
from sopdesk.store.models import Order

ZONE = "Asia/Shanghai"
BUDGET_MS = 150.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", type=Path, help="a database made by bench/generate.py (reused)")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args(argv)
    tmp = None
    if args.db is not None and args.db.exists():
        db.init(args.db)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="sopdesk-bench-")
        path = args.db or Path(tmp.name) / "scale.db"
        made = generate(path)
        print(f"generated {path}: {made.customers} customers, {made.inquiries} inquiries")
    clock.freeze(ANCHOR)
    now = ANCHOR
    with db.database.connection_context():
        if not Order.select().where(Order.number.startswith("SO-B-")).exists():
            orders, samples = add_orders_and_samples()
            print(f"with {orders} orders and {samples} samples")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.2f} on {os.cpu_count()} CPUs (other work inflates the medians)")

    started = time.perf_counter()
    first_playbook = playbook_tasks.refresh(now, ZONE, None)
    middle = time.perf_counter()
    first_sales = sales_tasks.refresh(now, ZONE, None, None)
    ended = time.perf_counter()
    print(f"first playbook refresh: {(middle - started) * 1000:.0f} ms ({first_playbook})")
    print(f"first sales refresh:    {(ended - middle) * 1000:.0f} ms ({first_sales})")

    print(f"{'measurement':<40} {'fastest':>9} {'median':>9} {'slowest':>9}")
    measurements = {
        "playbook refresh (steady)": lambda: playbook_tasks.refresh(now, ZONE, None),
        "sales refresh (steady)": lambda: sales_tasks.refresh(now, ZONE, None, None),
        "queue, team (no refresh)": lambda: today.today_items(now, ZONE, refresh=False),
        "queue, one rep (no refresh)": lambda: today.today_items(
            now, ZONE, refresh=False, owner_id=1
        ),
        "refresh + queue, one rep": lambda: today.today_items(now, ZONE, owner_id=1),
    }
    failed = False
    for name, fn in measurements.items():
        fastest, median, slowest = timed(fn, args.runs)
        flag = ""
        if name.startswith("refresh + queue") and median > BUDGET_MS:
            flag = "  over budget"
            failed = True
        print(f"{name:<40} {fastest:>7.1f}ms {median:>7.1f}ms {slowest:>7.1f}ms{flag}")
    if tmp is not None:
        tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
