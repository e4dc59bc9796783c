"""The funnel pane's numbers, from SQL aggregates over customers and the stage history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from peewee import Case, fn

from sopdesk.services.scope import where_owned
from sopdesk.services.views import FunnelView
from sopdesk.sop.funnel import funnel_steps, reached_from_highest
from sopdesk.sop.playbook import Playbook, effective
from sopdesk.sop.stages import FUNNEL, Stage
from sopdesk.store.db import database
from sopdesk.store.models import Customer, StageChange


def current_counts(owner_id: int | None = None) -> dict[Stage, int]:
    query = Customer.active().select(Customer.stage, fn.COUNT(Customer.id))
    rows = where_owned(query, Customer.owner, owner_id).group_by(Customer.stage).tuples()
    return {Stage(stage): int(n) for stage, n in rows}


def highest_rank_counts(owner_id: int | None = None) -> dict[int, int]:
    """How many customers have each funnel rank as the highest they ever reached."""
    rank = Case(
        StageChange.to_stage,
        [(stage.value, i) for i, stage in enumerate(FUNNEL)],
        None,
    )
    joined = (
        StageChange.select(StageChange.customer, fn.MAX(rank).alias("top"))
        .join(Customer, on=(StageChange.customer == Customer.id))
        .where(Customer.merged_into.is_null())
    )
    per_customer = (
        where_owned(joined, Customer.owner, owner_id)
        .group_by(StageChange.customer)
        .alias("per_customer")
    )
    top = per_customer.c.top
    rows = (
        StageChange.select(top, fn.COUNT(1))
        .from_(per_customer)
        .where(top.is_null(False))
        .group_by(top)
        .tuples()
    )
    return {int(r): int(n) for r, n in cast(Iterable[tuple[int, int]], rows)}


def funnel_view(owner_id: int | None = None, playbook: Playbook | None = None) -> FunnelView:
    """The funnel of the team, or of one rep (`owner_id`: theirs and unassigned customers), each
    step beside the target of the playbook in effect (the team's file over the shipped one)."""
    targets = (playbook or effective()).funnel_targets()
    with database.connection_context():
        current = current_counts(owner_id)
        highest = highest_rank_counts(owner_id)
    steps = funnel_steps(current, reached_from_highest(highest), targets)
    return FunnelView(
        steps=tuple(steps),
        lost=current.get(Stage.LOST, 0),
        dormant=current.get(Stage.DORMANT, 0),
    )
