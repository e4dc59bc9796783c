"""The workbench on a team database: mine and team with `t`, a manager stepping through reps (on
the workbench and on the customer sheet), a rep who left shown as inactive, and the same workbench
on PostgreSQL refreshing itself from LISTEN/NOTIFY."""

from __future__ import annotations

from pathlib import Path

import pendulum
import psycopg
import pytest

from sopdesk import config
from sopdesk.app_factory import make_app
from sopdesk.services import records, reps
from sopdesk.services.capture import InquiryInput, capture
from sopdesk.sop.stages import Channel
from sopdesk.store import db
from sopdesk.store.copy import copy_database
from sopdesk.store.models import Customer, Rep
from sopdesk.ui.screens.customers import CustomersScreen
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


def _teammates_customer() -> int:
    """The customer of `_teammates_inquiry`, Omar's."""
    _teammates_inquiry()
    omar = reps.rep_by_login("omar")
    assert omar is not None
    with db.database.connection_context():
        return int(Customer.get(Customer.owner == omar.rep_id).id)


async def _sheet(pilot) -> CustomersScreen:
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomersScreen)
    return screen


def _shown(screen: CustomersScreen) -> tuple[str, str, set[int]]:
    title = str(screen.query_one("#customers-title").render())
    flt = str(screen.query_one("#customers-filter").render())
    return title, flt, {row.customer_id for row in screen.rows}


async def test_the_customer_sheet_opens_on_mine_for_a_rep_and_t_shows_the_team(
    demo_store: Path,
) -> None:
    teammates = _teammates_customer()
    with db.database.connection_context():
        nobodys = Customer.get(Customer.number == 2).id
        Customer.update(owner=None).where(Customer.id == nobodys).execute()
    everyone = records.count_customers()
    app = make_app(demo_store, config.demo_settings(), demo=True, login="demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _sheet(pilot)
        title, flt, shown = _shown(screen)
        assert "[mine]" in title and "mine and unassigned" in flt
        assert teammates not in shown and nobodys in shown  # unassigned work stays in sight
        assert screen.total == everyone - 1
        await pilot.press("t")
        await settle(pilot)
        title, flt, shown = _shown(screen)
        assert "[team]" in title and "all customers" in flt
        assert teammates in shown and screen.total == everyone
        await pilot.press("t", "o", "x")  # mine again; x clears the filter, not the scope
        await settle(pilot)
        title, flt, shown = _shown(screen)
        assert "[mine]" in title and teammates not in shown and screen.total == everyone - 1


async def test_a_manager_opens_the_sheet_on_the_team_and_a_rep_who_left_is_marked(
    demo_store: Path,
) -> None:
    teammates = _teammates_customer()
    with db.database.connection_context():
        Rep.create(login="boss", name="Boss", role="manager")
    reps.deactivate_rep("omar", "boss")  # left; their customer stays theirs until reassigned
    app = make_app(demo_store, config.demo_settings(), login="boss")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _sheet(pilot)
        title, flt, shown = _shown(screen)
        assert "[team]" in title and "all customers" in flt and teammates in shown
        assert screen.total == records.count_customers()
        table = screen.query_one("#customers-table")
        steps = []
        for _ in range(3):  # Lily (demo), Omar (inactive), then the team again
            await pilot.press("t")
            await settle(pilot)
            steps.append((*_shown(screen), table.get_row_at(0)[10].plain))
        assert "[Lily Chen]" in steps[0][0] and "Lily Chen's and unassigned" in steps[0][1]
        assert teammates not in steps[0][2]
        assert "[Omar (inactive)]" in steps[1][0] and steps[1][2] == {teammates}
        assert steps[1][3] == "Omar (inactive)"  # the owner column marks a rep who left
        assert "[team]" in steps[2][0] and teammates in steps[2][2]


def test_a_deactivated_rep_cannot_open_the_workbench(demo_store: Path) -> None:
    from sopdesk.services.session import InactiveRepError

    _teammates_inquiry()
    with db.database.connection_context():
        Rep.create(login="boss", name="Boss", role="manager")
    reps.deactivate_rep("omar", "boss")
    with pytest.raises(InactiveRepError, match="omar was deactivated"):
        make_app(demo_store, config.demo_settings(), login="omar")


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


async def test_a_rep_who_left_is_not_offered_as_a_new_owner(demo_store: Path) -> None:
    from sopdesk.ui.screens.pickers import FuzzyPicker

    _teammates_inquiry()
    with db.database.connection_context():
        Rep.create(login="boss", name="Boss", role="manager")
    reps.deactivate_rep("omar", "boss")
    app = make_app(demo_store, config.demo_settings(), login="boss")
    async with app.run_test(size=SIZE) as pilot:
        await _sheet(pilot)
        await pilot.press("enter")  # the first customer's page
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, FuzzyPicker)
        offered = [choice.label for choice in picker.choices]
        assert any("Lily Chen" in label for label in offered)
        assert any("Boss" in label for label in offered)
        assert not any("omar" in label or "Omar" in label for label in offered), offered
