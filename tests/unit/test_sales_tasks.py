"""The reminders the playbook engine has no trigger for, over the demo: quote expiry, order
steps, reorder prompts, holiday greetings, expiring certificates — idempotent, and left alone by
the playbook's own refresh."""

from __future__ import annotations

from pathlib import Path

import pendulum

from sopdesk.services import playbook_tasks, sales_tasks
from sopdesk.sop.stages import QuoteStatus
from sopdesk.store import db
from sopdesk.store.models import Quote, Task

ZONE = "Asia/Shanghai"


def _open(source: str) -> list[Task]:
    with db.database.connection_context():
        return list(
            Task.select().where(
                Task.source == source, Task.done_at.is_null(), Task.skipped_reason.is_null()
            )
        )


def test_refresh_over_the_demo_is_idempotent_and_survives_the_playbook(
    demo_store: Path, frozen_clock: pendulum.DateTime
) -> None:
    later = frozen_clock.add(days=10)  # the UL certificate (valid 38 more days) is now due
    first = sales_tasks.refresh(later, ZONE)
    assert first.created > 0
    assert sales_tasks.refresh(later, ZONE).created == 0
    with db.database.connection_context():
        sent = Quote.select().where(Quote.status == QuoteStatus.SENT).count()
    assert len(_open(sales_tasks.RULE_QUOTE_EXPIRY)) == sent > 0
    reorders = _open(sales_tasks.RULE_REORDER)
    assert len(reorders) >= 3 and all("next order" in t.title for t in reorders)
    (certificate,) = _open(sales_tasks.RULE_CERTIFICATE)
    assert "UL certificate" in certificate.title and certificate.customer_id is None
    before = {t.rule_key for s in sales_tasks.RULES for t in _open(s)}
    playbook_tasks.refresh(later, ZONE)
    assert {t.rule_key for s in sales_tasks.RULES for t in _open(s)} == before
