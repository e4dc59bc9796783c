"""Stale deals: customers sitting in a stage longer than the playbook allows (sop/stale.py).

`stale_deals()` lists them for the Today pane and reports; `stale_customer_ids()` flags a window
of the customers table; `difference()` tells the task refresh which stale-deal tasks to create
and which to close (the customer moved on). One indexed range query per stage that can go stale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pendulum

from sopdesk import labels
from sopdesk.i18n import N_, _
from sopdesk.services.cadence_facts import Customers, OpenTask, chunks
from sopdesk.sop import cadence_rules as rules
from sopdesk.sop import stale as stale_rules
from sopdesk.sop.cadence_rules import CadenceTask
from sopdesk.sop.playbook import Playbook, effective
from sopdesk.sop.stages import Stage, TaskKind
from sopdesk.store.db import database
from sopdesk.store.models import Customer, Task, format_customer_number

STALE_LIMIT = 200
"""Stale customers read per stage and run (the longest-stale first)."""
OPEN_LIMIT = 2000


@dataclass(frozen=True)
class StaleDeal:
    customer_id: int
    code: str
    name: str
    stage: Stage
    stage_since: pendulum.DateTime
    days_in_stage: int
    limit_days: int


def stale_deals(
    now: pendulum.DateTime, limit: int = STALE_LIMIT, playbook: Playbook | None = None
) -> list[StaleDeal]:
    """Customers sitting in a stage longer than the playbook allows, longest first.

    One indexed range query per stage that can go stale (index on `stage`, then `stage_since`).
    """
    playbook = playbook or effective()
    deals: list[StaleDeal] = []
    with database.connection_context():
        for row in _stale_rows(now, playbook, limit):
            found = stale_rules.staleness(row.stage, row.stage_since, playbook)
            if found is None:
                continue
            deals.append(
                StaleDeal(
                    customer_id=row.id,
                    code=format_customer_number(row.number),
                    name=row.company or row.name,
                    stage=row.stage,
                    stage_since=row.stage_since,
                    days_in_stage=found.days_in_stage(now),
                    limit_days=found.limit.days,
                )
            )
    deals.sort(key=lambda d: d.stage_since)
    return deals[:limit]


def stale_customer_ids(
    now: pendulum.DateTime, customer_ids: Sequence[int], playbook: Playbook | None = None
) -> set[int]:
    """Which of these customers (a table window) are stale: one query per chunk of ids."""
    playbook = playbook or effective()
    stale: set[int] = set()
    with database.connection_context():
        for batch in chunks(customer_ids):
            for row in Customer.select(Customer.id, Customer.stage, Customer.stage_since).where(
                Customer.id.in_(batch)
            ):
                if stale_rules.is_stale(row.stage, row.stage_since, now, playbook):
                    stale.add(row.id)
    return stale


def _stale_rows(now: pendulum.DateTime, playbook: Playbook, limit: int) -> list[Any]:
    rows: list[Any] = []
    for stage in Stage:
        cut = stale_rules.cutoff(stage, now, playbook)
        if cut is None:
            continue
        rows.extend(
            Customer.select(
                Customer.id,
                Customer.number,
                Customer.company,
                Customer.name,
                Customer.country,
                Customer.timezone,
                Customer.stage,
                Customer.stage_since,
                Customer.owner,
                Customer.merged_into,
            )
            .where(
                Customer.stage == stage,
                Customer.stage_since < cut,
                Customer.merged_into.is_null(),
            )
            .order_by(Customer.stage_since)
            .limit(limit)
        )
    return rows


def _key(customer_id: int, stage: Stage, since: pendulum.DateTime) -> str:
    return rules.rule_key(
        stale_rules.RULE_ID,
        stale_rules.stale_subject(customer_id),
        stale_rules.stale_slot(stage, since),
    )


def _stale_task(row: Any, playbook: Playbook, now: pendulum.DateTime) -> CadenceTask | None:
    found = stale_rules.staleness(row.stage, row.stage_since, playbook)
    if found is None:
        return None
    name = row.company or row.name or format_customer_number(row.number)
    stage = labels.stage(row.stage)
    return CadenceTask(
        key=_key(row.id, row.stage, row.stage_since),
        rule_id=stale_rules.RULE_ID,
        kind=TaskKind.FOLLOW_UP,
        customer_id=row.id,
        inquiry_id=None,
        due_at=pendulum.instance(found.stale_at),
        title=_("Stale deal: {customer} ({stage})").format(customer=name, stage=stage),
        why=_(
            "{days} days in {stage}; the playbook allows {limit}. Plan the next step, move the "
            "stage on or mark it lost."
        ).format(days=found.days_in_stage(now), stage=stage, limit=found.limit.days),
    )


def difference(
    now: pendulum.DateTime, playbook: Playbook, customers: Customers
) -> tuple[list[CadenceTask], list[tuple[OpenTask, str]]]:
    """Stale-deal tasks to create (one per stay in a stage), and open ones whose customer moved
    on. Three queries: the stale customers per stage, which keys exist, the open tasks joined
    with their customer's stage now."""
    rows = _stale_rows(now, playbook, STALE_LIMIT)
    wanted = {_key(r.id, r.stage, r.stage_since): r for r in rows}
    existing = {
        str(row.rule_key)
        for batch in chunks(sorted(wanted))
        for row in Task.select(Task.rule_key).where(Task.rule_key.in_(batch))
    }
    creations: list[CadenceTask] = []
    for key, row in sorted(wanted.items()):
        if key in existing:
            continue
        customers.rows.setdefault(row.id, row)
        task = _stale_task(row, playbook, now)
        if task is not None:
            creations.append(task)
    open_rows: list[Any] = list(
        Task.select(
            Task.id,
            Task.rule_key,
            Task.kind,
            Task.customer,
            Customer.id,
            Customer.stage,
            Customer.stage_since,
        )
        .join(Customer, on=(Task.customer == Customer.id))
        .where(
            Task.source == stale_rules.RULE_ID,
            Task.rule_key.is_null(False),
            Task.done_at.is_null(),
            Task.skipped_reason.is_null(),
        )
        .limit(OPEN_LIMIT)
    )
    retirements: list[tuple[OpenTask, str]] = []
    for task in open_rows:
        if task.rule_key in wanted:
            continue
        stage, since = task.customer.stage, task.customer.stage_since
        still = _key(task.customer.id, stage, since) == task.rule_key and stale_rules.is_stale(
            stage, since, now, playbook
        )
        if not still:
            existing_row = OpenTask(task.id, str(task.rule_key), True, task.kind)
            retirements.append((existing_row, N_("the customer moved to another stage")))
    return creations, retirements
