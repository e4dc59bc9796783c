"""Stale deals: a customer that sits in a stage longer than the playbook allows (Pipedrive's
"rotting", per stage). The limits are the playbook's `stale_after_days`; 0 means never stale
(loyal, dormant and lost customers do not rot). Pure: no Peewee, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sopdesk.sop.playbook import Playbook
from sopdesk.sop.stages import Stage

RULE_ID = "stale_deal"
"""Task.source of the stale-deal tasks in the Today queue."""


@dataclass(frozen=True)
class Staleness:
    stage: Stage
    since: datetime
    """When the customer entered the stage."""
    limit: timedelta
    """How long the playbook allows in the stage."""
    stale_at: datetime
    """When the deal went (or goes) stale."""

    def days_in_stage(self, now: datetime) -> int:
        return max((now - self.since).days, 0)

    def is_stale(self, now: datetime) -> bool:
        return now >= self.stale_at


def staleness(stage: Stage, since: datetime | None, playbook: Playbook) -> Staleness | None:
    """How long `stage` may last from `since`; None for stages that never go stale."""
    limit = playbook.stale_after(stage)
    if limit is None or since is None:
        return None
    return Staleness(stage=stage, since=since, limit=limit, stale_at=since + limit)


def is_stale(stage: Stage, since: datetime | None, now: datetime, playbook: Playbook) -> bool:
    """For the customers table's flag: no query needed, the row has stage and stage_since."""
    found = staleness(stage, since, playbook)
    return found is not None and found.is_stale(now)


def cutoff(stage: Stage, now: datetime, playbook: Playbook) -> datetime | None:
    """Customers in `stage` since before this are stale (the service's indexed range)."""
    limit = playbook.stale_after(stage)
    return now - limit if limit is not None else None


def stale_subject(customer_id: int) -> str:
    return f"c{customer_id}"


def stale_slot(stage: Stage, since: datetime) -> str:
    """One stale-deal task per stay in a stage: a stage change starts a new one."""
    return f"{stage.value}@{since.strftime('%Y%m%dT%H%M%S')}"
