"""Several real sopdesk processes writing to one database at once: nothing lost, nothing doubled.

Each writer is a separate Python process (as reps in their SSH sessions and a cron import are):
it captures inquiries from a shared pool of buyers, moves customers between stages and logs
touches for a bounded time, and writes one line to its own log for every write that committed.
Afterwards every logged write is in the database exactly once, no buyer got two customers (the
linking read and the insert happen in one write transaction), every customer's stage history is
one unbroken chain (no stage change was made on a stale read), the database passes its integrity
check, and no writer ever saw "database is locked" — or any other error.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

from sopdesk.sop.stages import Stage

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 5
RUN_SECONDS = 4.0
MIN_WRITES = 10
"""Writes each writer makes even when the machine is too busy to make them in RUN_SECONDS."""
BUYERS = [f"buyer{n}@importer{n}.com" for n in range(8)]
"""Shared by every writer: the same buyer arrives from several processes at once."""
CUSTOMERS = 12
"""Customers made before the writers start; stage changes and touches go to them."""
STAGES = [Stage.LEAD, Stage.INTENT, Stage.NEGOTIATION, Stage.ORDER, Stage.LOYAL, Stage.DORMANT]


def writer(target: str, name: str, log_path: str, start_at: float, seconds: float) -> None:
    """One writer process: random writes until its time is up, one log line per committed one."""
    import pendulum

    from sopdesk.services import records
    from sopdesk.services.capture import InquiryInput, capture
    from sopdesk.sop.stages import ActivityKind, Channel, Direction, LostReason
    from sopdesk.store import db
    from sopdesk.store.models import Customer

    db.init(target)
    with db.database.connection_context():
        ids = [c.id for c in Customer.select(Customer.id).order_by(Customer.id)]
    rng = random.Random(name)
    seq = 0
    with open(log_path, "a", encoding="utf-8") as log:

        def note(**entry: Any) -> None:
            log.write(json.dumps(entry) + "\n")
            log.flush()

        time.sleep(max(0.0, start_at - time.time()))
        deadline = start_at + seconds
        # The time bounds the run; on a loaded machine each writer still makes MIN_WRITES, so
        # every process really interleaves with the others (and the check below cannot flake).
        while time.time() < deadline or seq < MIN_WRITES:
            seq += 1
            token = f"{name}-{seq}"
            op = rng.choice(("capture", "capture", "stage", "touch"))
            try:
                if op == "capture":
                    email = rng.choice(BUYERS)
                    result = capture(
                        InquiryInput(
                            channel=Channel.EMAIL,
                            received_at=pendulum.now("UTC").subtract(minutes=rng.randint(1, 600)),
                            buyer_name=email.split("@")[0],
                            email=email,
                            subject=f"inquiry {token}",
                            message=f"Please quote, reference {token}.",
                            message_id=f"{token}@writers.test",
                        )
                    )
                    note(op="capture", token=token, email=email, customer=result.customer_id)
                elif op == "stage":
                    customer_id = rng.choice(ids)
                    detail = records.customer_detail(customer_id, timeline_limit=1)
                    assert detail is not None
                    to = rng.choice([s for s in STAGES if s is not detail.stage])
                    lost = LostReason.PRICE if to is Stage.LOST else None
                    try:
                        records.change_stage(
                            customer_id, to, None, why=token, lost_reason=lost, confirm_skip=True
                        )
                    except records.RecordError as exc:
                        if "already at" not in str(exc):  # moved there by another writer
                            raise
                        note(op="stage-refused", token=token)
                        continue
                    note(op="stage", token=token, customer=customer_id, to=to.value)
                else:
                    customer_id = rng.choice(ids)
                    records.log_touch(
                        customer_id, ActivityKind.EMAIL, Direction.OUT, f"touch {token}", None
                    )
                    note(op="touch", token=token, customer=customer_id)
            except Exception as exc:  # every error fails the test, with its text
                note(op="error", token=token, error=f"{type(exc).__name__}: {exc}")


def _seed(target: str) -> None:
    from sopdesk import clock
    from sopdesk.store import db, search
    from sopdesk.store.models import Customer, StageChange

    db.init(target)
    now = clock.now()
    with db.database.connection_context(), db.database.atomic():
        for number in range(1, CUSTOMERS + 1):
            customer = Customer.create(
                number=number, company=f"Seed {number}", stage=Stage.LEAD, stage_since=now
            )
            StageChange.create(customer=customer, from_stage=None, to_stage=Stage.LEAD, at=now)
            search.index_customer(customer.id)


def _read_logs(folder: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.log")):
        entries.extend(json.loads(line) for line in path.read_text().splitlines())
    return entries


def test_several_processes_write_at_once_and_nothing_is_lost_or_doubled(
    store: str, tmp_path: Path
) -> None:
    from sopdesk.store import db
    from sopdesk.store.models import Activity, Contact, Customer, Inquiry, StageChange

    target = str(store)
    _seed(target)
    logs = tmp_path / "logs"
    logs.mkdir()
    start_at = time.time() + 1.5  # every process has imported sopdesk and opened the database
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from tests.unit.test_concurrency import writer; "
                "writer(*sys.argv[1:4], float(sys.argv[4]), float(sys.argv[5]))",
                target,
                f"w{n}",
                str(logs / f"w{n}.log"),
                repr(start_at),
                repr(RUN_SECONDS),
            ],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    entries = _read_logs(logs)

    errors = [e for e in entries if e["op"] == "error"]
    assert not errors, errors[:5]
    per_writer = Counter(e["token"].split("-")[0] for e in entries)
    assert len(per_writer) == WRITERS and min(per_writer.values()) >= MIN_WRITES, per_writer
    captures = [e for e in entries if e["op"] == "capture"]
    stages = [e for e in entries if e["op"] == "stage"]
    touches = [e for e in entries if e["op"] == "touch"]
    assert captures and stages and touches

    db.init(target)
    with db.database.connection_context():
        # Every committed capture is there exactly once, and nothing else is.
        message_ids = Counter(m for (m,) in Inquiry.select(Inquiry.message_id).tuples())
        assert message_ids == Counter(f"{e['token']}@writers.test" for e in captures)
        # One customer per buyer, whichever process saw the buyer first.
        owners: dict[str, set[int]] = defaultdict(set)
        for email, customer in Inquiry.select(Inquiry.buyer_email, Inquiry.customer).tuples():
            owners[email].add(customer)
        assert all(len(found) == 1 for found in owners.values()), owners
        assert Customer.select().count() == CUSTOMERS + len(owners)
        contacts = Counter(e for (e,) in Contact.select(Contact.email).tuples())
        assert all(contacts[email] == 1 for email in owners), contacts
        # Every touch once.
        texts = Counter(
            t for (t,) in Activity.select(Activity.text).where(Activity.text != "").tuples()
        )
        assert texts == Counter(f"touch {e['token']}" for e in touches)
        # Every stage change once, and each customer's history an unbroken chain.
        moves = StageChange.select(StageChange.reason).where(StageChange.from_stage.is_null(False))
        reasons = Counter(r for (r,) in moves.tuples())
        assert reasons == Counter(e["token"] for e in stages)
        chains: dict[int, list[tuple[Stage | None, Stage]]] = defaultdict(list)
        for customer, before, after in (
            StageChange.select(StageChange.customer, StageChange.from_stage, StageChange.to_stage)
            .where(StageChange.customer <= CUSTOMERS)
            .order_by(StageChange.id)
            .tuples()
        ):
            chains[customer].append((before, after))
        for customer, chain in chains.items():
            for (_, reached), (left, _) in pairwise(chain):
                assert left == reached, (customer, chain)
            assert Customer.get_by_id(customer).stage == chain[-1][1]
        assert _integrity_ok(target)


def _integrity_ok(target: str) -> bool:
    from sopdesk.store import db

    if not db.is_sqlite():
        return True  # PostgreSQL checks its own pages; the chains and counts above are the test
    rows = db.database.execute_sql("PRAGMA integrity_check").fetchall()
    assert rows == [("ok",)], rows
    db.database.execute_sql("INSERT INTO search_index(search_index) VALUES ('integrity-check')")
    return True
