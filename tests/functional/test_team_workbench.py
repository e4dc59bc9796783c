"""The workbench on a team database: mine and team with `t`, a manager stepping through reps, and
the same workbench on PostgreSQL refreshing itself from LISTEN/NOTIFY."""

from __future__ import annotations

from pathlib import Path

import pendulum
import psycopg

from sopdesk import config
from sopdesk.app_factory import make_app
from sopdesk.services import reps
from sopdesk.services.capture import InquiryInput, capture
from sopdesk.sop.stages import Channel
from sopdesk.store import db
from sopdesk.store.copy import copy_database
from sopdesk.store.models import Rep
from sopdesk.ui.widgets.funnel import FunnelPane
from sopdesk.ui.widgets.inbox import InboxPane

from .conftest import settle

SIZE = (140, 44)


def _teammates_inquiry() -> None:
    """An inquiry that belongs to another rep (typed in by them)."""
    other = reps.add_rep("omar", name="Omar").rep_id
    capture(
        InquiryInput(
            channel=Channel.EMAIL,
            received_at=pendulum.datetime(2026, 11, 27, 3, 58, tz="UTC"),
            buyer_name="Teammate's buyer",
            email="buyer@omar-customer.example",
            message="Please quote.",
        ),
        owner_id=other,
    )


def _names(inbox: InboxPane) -> set[str]:
    assert inbox.page is not None
    return {r.buyer_name for r in inbox.page.rows}


async def test_a_rep_sees_their_own_work_and_t_shows_the_team(demo_store: Path) -> None:
    _teammates_inquiry()
    app = make_app(demo_store, config.demo_settings(), demo=True, login="demo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        inbox = app.screen.query_one(InboxPane)
        assert "Teammate's buyer" not in _names(inbox)
        assert "[mine]" in str(app.screen.query_one("#statusbar").render())
        mine_total = inbox.page.total
        await pilot.press("t")
        await settle(pilot)
        assert "Teammate's buyer" in _names(inbox) and inbox.page.total == mine_total + 1
        assert "[team]" in str(app.screen.query_one("#statusbar").render())
        await pilot.press("t")
        await settle(pilot)
        assert "Teammate's buyer" not in _names(inbox)


async def test_a_manager_starts_on_the_team_and_steps_through_each_rep(demo_store: Path) -> None:
    _teammates_inquiry()
    with db.database.connection_context():
        Rep.create(login="boss", name="Boss", role="manager")
    app = make_app(demo_store, config.demo_settings(), login="boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        inbox, funnel = app.screen.query_one(InboxPane), app.screen.query_one(FunnelPane)
        team_total = inbox.page.total
        assert "Teammate's buyer" in _names(inbox)
        seen = []
        for _ in range(3):  # Lily (demo), Omar, then the team again
            await pilot.press("t")
            await settle(pilot)
            seen.append((inbox.owner_scope, inbox.page.total, funnel.owner_scope))
        demo_id, omar_id = (reps.rep_by_login(x).rep_id for x in ("demo", "omar"))
        assert [s[0] for s in seen] == [demo_id, omar_id, None]
        assert seen[1][1] == 1 and seen[0][1] == team_total - 1 and seen[2][1] == team_total
        assert [s[2] for s in seen] == [s[0] for s in seen]


async def test_the_workbench_on_postgresql_refreshes_from_notify(
    demo_store: Path, fresh_postgres: str
) -> None:
    copy_database(str(demo_store), fresh_postgres)
    app = make_app(fresh_postgres, config.demo_settings(), login="demo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.watcher.active
        inbox = app.screen.query_one(InboxPane)
        before = inbox.page.total
        assert before > 0
        with psycopg.connect(fresh_postgres, autocommit=True) as other:
            other.execute(
                "UPDATE inquiry SET archived = TRUE WHERE id = (SELECT MIN(id) FROM inquiry)"
            )
        for _ in range(60):
            await pilot.pause(0.1)
            if inbox.page.total == before - 1:
                break
        await settle(pilot)
        assert inbox.page.total == before - 1
