"""The playbook at work: follow-up tasks from the store's facts, and stale deals.

`refresh()` reads what happened (first replies, quotes sent without an answer, samples shipped,
orders in production, ETAs, deliveries, customers to nurture, customers sitting too long in a
stage), asks the pure cadence rules (sop/cadence_rules.py, sop/stale.py) which tasks should exist,
and writes the difference: every generated task carries a unique `rule_key` (rule | subject |
slot), so running it again creates nothing twice, and open tasks the facts no longer call for are
closed with the reason ("the customer answered"). Tasks made elsewhere under the same rule id
(the first-reply cadence when a reply is marked sent, the demo) are adopted, not duplicated.

Every query is bounded: facts come from time windows with a LIMIT, looked-up rows by id lists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pendulum

from sopdesk.i18n import _
from sopdesk.services import stale_deals
from sopdesk.services.cadence_facts import (
    WINDOWS,
    Customers,
    OpenTask,
    background_facts,
    chunks,
    first_reply_facts,
    nurture_facts,
    order_facts,
    quote_facts,
    sample_facts,
)
from sopdesk.sop import cadence_rules as rules
from sopdesk.sop.cadence_rules import CadenceTask, Clock, Fact, Plan
from sopdesk.sop.playbook import Playbook, Trigger, effective
from sopdesk.sop.stages import TaskKind
from sopdesk.store.db import database
from sopdesk.store.models import Customer, Task

OPEN_LIMIT = 2000
"""Open generated tasks looked at per run (to close the ones no longer needed)."""
ADOPT_WITHIN = timedelta(days=8)
"""A task made elsewhere (a rule id of its own, not "manual") of the same kind for the same
customer, falling due this close to the planned one, is the planned one."""


@dataclass(frozen=True)
class RefreshResult:
    created: int
    closed: int
    adopted: int


# ---------------------------------------------------------------------------------------------
# Writing the difference


def _existing_by_keys(keys: Iterable[str]) -> dict[str, OpenTask]:
    found: dict[str, OpenTask] = {}
    for batch in chunks(sorted(set(keys))):
        for row in Task.select(
            Task.id, Task.rule_key, Task.done_at, Task.skipped_reason, Task.kind
        ).where(Task.rule_key.in_(batch)):
            key = str(row.rule_key)
            found[key] = OpenTask(
                row.id, key, row.done_at is None and row.skipped_reason is None, row.kind
            )
    return found


def _open_generated() -> list[OpenTask]:
    rows = (
        Task.select(Task.id, Task.rule_key, Task.kind)
        .where(Task.rule_key.is_null(False), Task.done_at.is_null(), Task.skipped_reason.is_null())
        .order_by(Task.due_at)
        .limit(OPEN_LIMIT)
    )
    return [OpenTask(r.id, str(r.rule_key), True, r.kind) for r in rows]


def _adopt(
    creations: list[CadenceTask], claimed: set[int]
) -> tuple[list[CadenceTask], list[tuple[int, CadenceTask]]]:
    """Tasks made elsewhere for the same thing: the first-reply cadence when a reply is marked
    sent, the demo, an import. Same kind, same customer, due close by; never a "manual" task
    (the rep's own plan is not the engine's to close)."""
    if not creations:
        return [], []
    kinds = sorted({t.kind.value for t in creations})
    customer_ids = sorted({t.customer_id for t in creations})
    legacy: dict[tuple[TaskKind, int], list[Any]] = defaultdict(list)
    for batch in chunks(customer_ids):
        rows: list[Any] = list(
            Task.select(Task.id, Task.kind, Task.customer, Task.inquiry, Task.due_at)
            .where(
                Task.rule_key.is_null(),
                Task.source != "manual",
                Task.kind.in_(kinds),
                Task.customer.in_(batch),
            )
            .limit(OPEN_LIMIT)
        )
        for row in rows:
            legacy[(row.kind, row.customer_id)].append(row)
    remaining: list[CadenceTask] = []
    adopted: list[tuple[int, CadenceTask]] = []
    for task in creations:
        candidates = [
            row
            for row in legacy.get((task.kind, task.customer_id), [])
            if row.id not in claimed
            and (task.inquiry_id is None or row.inquiry_id in (None, task.inquiry_id))
            and (
                task.kind is TaskKind.BACKGROUND_CHECK
                or abs(row.due_at - task.due_at) <= ADOPT_WITHIN
            )
        ]
        if not candidates:
            remaining.append(task)
            continue
        best = min(candidates, key=lambda row: abs(row.due_at - task.due_at))
        claimed.add(best.id)
        adopted.append((best.id, task))
    return remaining, adopted


def _subject_of(key: str, trigger_of_rule: dict[str, Trigger]) -> tuple[Trigger, str] | None:
    parts = rules.split_key(key)
    if parts is None:
        return None
    trigger = trigger_of_rule.get(parts[0])
    return (trigger, parts[1]) if trigger is not None else None


def _ids_with_prefix(subjects: Iterable[str], prefix: str) -> list[int]:
    out = []
    for subject in subjects:
        if subject.startswith(prefix) and subject[len(prefix) :].isdigit():
            out.append(int(subject[len(prefix) :]))
    return sorted(set(out))


def refresh(
    now: pendulum.DateTime,
    rep_zone: str,
    rep_id: int | None = None,
    playbook: Playbook | None = None,
) -> RefreshResult:
    """Bring the generated tasks in line with the facts and the playbook. Idempotent."""
    playbook = playbook or effective()
    clock = Clock(now=now, rep_zone=rep_zone)
    by_trigger = rules.rules_by_trigger(playbook)
    trigger_of_rule = {rule.id: rule.trigger for rule in playbook.cadences}
    with database.connection_context():
        open_tasks = _open_generated()
        open_subjects: dict[Trigger, set[str]] = defaultdict(set)
        for task in open_tasks:
            found = _subject_of(task.key, trigger_of_rule)
            if found is not None:
                open_subjects[found[0]].add(found[1])
        customers = Customers()
        facts: list[Fact] = []
        if by_trigger[Trigger.FIRST_REPLY]:
            subjects = open_subjects[Trigger.FIRST_REPLY]
            facts.extend(
                first_reply_facts(
                    customers,
                    now - WINDOWS[Trigger.FIRST_REPLY],
                    _ids_with_prefix(subjects, "i"),
                )
            )
            facts.extend(background_facts(customers, _ids_with_prefix(subjects, "c")))
        if by_trigger[Trigger.QUOTE_SENT]:
            facts.extend(
                quote_facts(
                    customers,
                    now - WINDOWS[Trigger.QUOTE_SENT],
                    _ids_with_prefix(open_subjects[Trigger.QUOTE_SENT], "q"),
                )
            )
        if by_trigger[Trigger.SAMPLE_SHIPPED]:
            facts.extend(
                sample_facts(
                    customers,
                    now - WINDOWS[Trigger.SAMPLE_SHIPPED],
                    _ids_with_prefix(open_subjects[Trigger.SAMPLE_SHIPPED], "s"),
                )
            )
        if any(by_trigger[t] for t in (Trigger.PRODUCTION, Trigger.ETA, Trigger.DELIVERED)):
            order_subjects = (
                open_subjects[Trigger.PRODUCTION]
                | open_subjects[Trigger.ETA]
                | open_subjects[Trigger.DELIVERED]
            )
            facts.extend(order_facts(customers, now, _ids_with_prefix(order_subjects, "o")))
        if by_trigger[Trigger.NURTURE]:
            facts.extend(
                nurture_facts(
                    customers, now, playbook, _ids_with_prefix(open_subjects[Trigger.NURTURE], "c")
                )
            )
        plans: dict[tuple[Trigger, str], list[Plan]] = defaultdict(list)
        for fact in facts:
            for trigger, trigger_rules in by_trigger.items():
                for rule in trigger_rules:
                    made = rules.plan(rule, fact, clock)
                    if made is not None:
                        plans[(trigger, made.subject)].append(made)
        planned_keys = {t.key for group in plans.values() for p in group for t in p.tasks}
        existing = _existing_by_keys(planned_keys)
        for task in open_tasks:
            existing.setdefault(task.key, task)
        existing_by_subject: dict[tuple[Trigger, str], dict[str, OpenTask]] = defaultdict(dict)
        for key, row in existing.items():
            found = _subject_of(key, trigger_of_rule)
            if found is not None:
                existing_by_subject[found][key] = row
        creations: list[CadenceTask] = []
        retirements: list[tuple[OpenTask, str]] = []
        for group_key in sorted(set(plans) | set(existing_by_subject), key=str):
            rows = existing_by_subject.get(group_key, {})
            decision = rules.decide(
                plans.get(group_key, []), {k: r.open for k, r in rows.items()}, clock
            )
            creations.extend(decision.create)
            retirements.extend((rows[key], reason) for key, reason in decision.retire)
        stale_creations, stale_retirements = stale_deals.difference(now, playbook, customers)
        creations.extend(stale_creations)
        retirements.extend(stale_retirements)
        remaining, adopted = _adopt(creations, set())
        if not (remaining or adopted or retirements):
            closed_bg = _close_recorded_background_checks(now, write=False)
            if not closed_bg:
                return RefreshResult(0, 0, 0)
        with database.atomic():
            created = _create(remaining, customers, rep_id, now)
            for task_id, planned in adopted:
                Task.update(rule_key=planned.key, updated_at=now).where(
                    Task.id == task_id, Task.rule_key.is_null()
                ).execute()
            closed = _retire(retirements, now)
            closed += _close_recorded_background_checks(now, write=True)
    return RefreshResult(created, closed, len(adopted))


def _create(
    tasks: list[CadenceTask], customers: Customers, rep_id: int | None, now: pendulum.DateTime
) -> int:
    for task in sorted(tasks, key=lambda t: t.key):
        row = customers.rows.get(task.customer_id)
        owner = row.owner_id if row is not None and row.owner_id is not None else rep_id
        # The unique rule_key makes a concurrent second run a no-op instead of a duplicate.
        (
            Task.insert(
                customer=task.customer_id,
                inquiry=task.inquiry_id,
                owner=owner,
                kind=task.kind,
                title=task.title,
                why=task.why,
                due_at=task.due_at,
                source=task.rule_id,
                rule_key=task.key,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_ignore()
            .execute()
        )
    return len(tasks)


def _retire(retirements: list[tuple[OpenTask, str]], now: pendulum.DateTime) -> int:
    closed = 0
    for row, reason in retirements:
        if row.kind is TaskKind.BACKGROUND_CHECK:
            # The check is recorded on the customer: the task is done, not skipped.
            values: dict[Any, Any] = {Task.done_at: now}
        else:
            values = {
                Task.skipped_reason: _("Closed automatically: {reason}").format(reason=_(reason))
            }
        closed += (
            Task.update({**values, Task.updated_at: now})
            .where(Task.id == row.task_id, Task.done_at.is_null(), Task.skipped_reason.is_null())
            .execute()
        )
    return closed


def _close_recorded_background_checks(now: pendulum.DateTime, write: bool) -> int:
    """Open background-check tasks (ours or made elsewhere) of customers whose check is done."""
    done_customers = Customer.select(Customer.id).where(Customer.background_check_done)
    query = Task.select(Task.id).where(
        Task.kind == TaskKind.BACKGROUND_CHECK,
        Task.done_at.is_null(),
        Task.skipped_reason.is_null(),
        Task.customer.in_(done_customers),
    )
    ids = [t.id for t in query.limit(OPEN_LIMIT)]
    if not write or not ids:
        return len(ids)
    return Task.update(done_at=now, updated_at=now).where(Task.id.in_(ids)).execute()
