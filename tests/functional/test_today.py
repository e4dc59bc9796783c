"""The Today queue driven with keys: tick, snooze, skip, walk with ".", jump with Enter — and a
buying signal accepted with g on the customer pane."""

from __future__ import annotations

import pendulum

from sopdesk import clock, locations
from sopdesk.sop.stages import Channel, Stage
from sopdesk.store import db
from sopdesk.store.models import Customer, Inquiry, Task
from sopdesk.ui.screens.today_dialogs import SkipScreen, SnoozeScreen
from sopdesk.ui.widgets.customer import CustomerPane
from sopdesk.ui.widgets.inbox import InboxPane
from sopdesk.ui.widgets.table import SopTable
from sopdesk.ui.widgets.today import TodayPane
from tests.timeline_words import stage_reasons

from .conftest import settle

SECTIONS = ["inquiry", "overdue", "today", "routine", "stale", "background"]


def _today(app) -> TodayPane:
    return app.screen.query_one(TodayPane)


async def _go_to(pilot, key_prefix: str = "task:", section: str | None = None) -> int:
    """Put the Today cursor on the first open item matching; returns its row."""
    await pilot.press("1")
    pane = _today(pilot.app)
    index = next(
        i
        for i, item in enumerate(pane.items)
        if item.key.startswith(key_prefix)
        and not item.done
        and (section is None or item.section == section)
    )
    pane.query_one(SopTable).move_cursor(row=index)
    await pilot.pause()
    return index


def _task(key: str) -> Task:
    with db.database.connection_context():
        return Task.get_by_id(int(key.split(":")[1]))


async def test_the_queue_runs_in_the_sops_order_and_shows_carry_overs(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        pane = _today(demo_app)
        sections = [item.section for item in pane.items]
        assert sections == sorted(sections, key=SECTIONS.index)
        assert sections[0] == "inquiry"  # unanswered inquiries lead
        assert {"overdue", "today", "routine"} <= set(sections)
        table = pane.query_one(SopTable)
        overdue_row = sections.index("overdue")
        assert table.get_row_at(overdue_row)[2].plain.startswith("overdue since ")
        assert table.get_row_at(overdue_row)[1].plain == "Overdue"
        assert "overdue" in str(pane.border_subtitle)


async def test_space_ticks_with_the_time_and_moves_to_the_next_item(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        row = await _go_to(pilot, section="overdue")
        pane = _today(demo_app)
        item = pane.items[row]
        following = next(i for i in pane.items[row + 1 :] if not i.done)
        await pilot.press("space")
        await settle(pilot)
        assert _task(item.key).done_at == clock.now()
        assert pane.current() is not None and pane.current().key == following.key
        ticked = next(i for i in pane.items if i.key == item.key)
        assert ticked.done


async def test_z_snoozes_for_an_hour(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        row = await _go_to(pilot, section="overdue")
        item = _today(demo_app).items[row]
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(demo_app.screen, SnoozeScreen)
        await pilot.press("1")
        await settle(pilot)
        assert _task(item.key).snoozed_until == clock.now().add(hours=1)
        again = next(i for i in _today(demo_app).items if i.key == item.key)
        assert not again.overdue and again.section == "today"


async def test_z_snoozes_to_a_typed_date_and_the_item_leaves_today(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        row = await _go_to(pilot, section="today")
        item = _today(demo_app).items[row]
        await pilot.press("z")
        await pilot.pause()
        await pilot.click("#snooze-date")
        await pilot.press(*"2026-12-03 10:00", "enter")
        await settle(pilot)
        expected = pendulum.datetime(2026, 12, 3, 10, tz="Asia/Shanghai")
        assert _task(item.key).snoozed_until == expected
        assert item.key not in [i.key for i in _today(demo_app).items]


async def test_a_bad_date_is_explained_and_escape_keeps_the_item(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        row = await _go_to(pilot, section="today")
        item = _today(demo_app).items[row]
        await pilot.press("z")
        await pilot.pause()
        await pilot.click("#snooze-date")
        await pilot.press(*"someday", "enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, SnoozeScreen)
        assert "someday" in str(demo_app.screen.query_one("#snooze-error").render())
        await pilot.press("escape")
        await settle(pilot)
        assert _task(item.key).snoozed_until is None


async def test_s_skips_with_a_reason(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        row = await _go_to(pilot, section="today")
        item = _today(demo_app).items[row]
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(demo_app.screen, SkipScreen)
        await pilot.press("enter")  # no reason yet: refused
        await pilot.pause()
        assert isinstance(demo_app.screen, SkipScreen)
        await pilot.press(*"customer phoned us", "enter")
        await settle(pilot)
        assert _task(item.key).skipped_reason == "customer phoned us"
        assert item.key not in [i.key for i in _today(demo_app).items]


async def test_routine_items_and_inquiries_are_not_snoozed(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        await _go_to(pilot, key_prefix="routine:")
        await pilot.press("z")
        await pilot.pause()
        assert type(demo_app.screen).__name__ == "WorkbenchScreen"
        await _go_to(pilot, key_prefix="inquiry:")
        await pilot.press("s")
        await pilot.pause()
        assert type(demo_app.screen).__name__ == "WorkbenchScreen"
        messages = [n.message for n in demo_app._notifications]
        assert any("morning routine" in m for m in messages)
        assert any("reply clock" in m for m in messages)


async def test_the_next_key_walks_the_open_items(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        pane = _today(demo_app)
        table = pane.query_one(SopTable)
        open_rows = [i for i, item in enumerate(pane.items) if not item.done]
        seen = []
        for _ in range(4):
            await pilot.press("full_stop")
            await pilot.pause()
            seen.append(table.cursor_row)
        assert seen == open_rows[1:5]
        await settle(pilot)
        item = pane.current()
        customer = demo_app.screen.query_one(CustomerPane)
        if item is not None and item.customer_id is not None:
            assert customer.customer_id == item.customer_id


async def test_enter_on_an_inquiry_opens_its_draft(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        row = await _go_to(pilot, key_prefix="inquiry:")
        item = _today(demo_app).items[row]
        await pilot.press("enter")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "DraftScreen"
        assert demo_app.screen.inquiry_id == item.inquiry_id


async def test_enter_on_an_answered_inquiry_shows_it_in_the_inbox(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        pane = _today(demo_app)
        row = next(i for i, it in enumerate(pane.items) if it.section == "inquiry" and it.done)
        pane.query_one(SopTable).move_cursor(row=row)
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        inbox = demo_app.screen.query_one(InboxPane)
        assert demo_app.screen.active == "inbox"
        assert inbox.current() is not None
        assert inbox.current().inquiry_id == pane.items[row].inquiry_id


async def test_enter_on_a_background_check_opens_it(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await _go_to(pilot, section="background")
        await pilot.press("enter")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "BackgroundScreen"


async def test_g_accepts_a_buying_signal(demo_app) -> None:
    now = clock.now()
    with db.database.connection_context():
        customer = Customer.create(
            number=9001,
            company="Hamburg Leuchten GmbH",
            country="DE",
            timezone="Europe/Berlin",
            stage=Stage.INTENT,
            stage_since=now.subtract(days=3),
        )
        Inquiry.create(
            customer=customer,
            channel=Channel.EMAIL,
            received_at=now.subtract(days=2),
            first_reply_at=now.subtract(days=2).add(minutes=4),
            subject="LED panel 60x60",
            body="Please quote 600 pcs LED panel 60x60, 40W, 4000K.",
        )
        Inquiry.create(
            customer=customer,
            channel=Channel.EMAIL,
            received_at=now.subtract(days=1),
            subject="Re: LED panel 60x60",
            body="Thanks. Could you send a sample to Hamburg? And what are your payment terms?",
        )
    async with demo_app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        demo_app.screen.show_customer(customer.id)
        await settle(pilot)
        timeline = str(demo_app.screen.query_one("#customer-timeline").render())
        assert "◆ asks about payment terms, asks for samples" in timeline
        panel = str(demo_app.screen.query_one("#customer-playbook").render())
        assert "Buying signal" in panel and "g: move to Negotiation" in panel
        await pilot.press("3", "g")
        await settle(pilot)
        with db.database.connection_context():
            assert Customer.get_by_id(customer.id).stage is Stage.NEGOTIATION
        reason = stage_reasons(customer.id)[0]  # the newest, worded when read
        assert "payment terms" in reason or "samples" in reason
        panel = str(demo_app.screen.query_one("#customer-playbook").render())
        assert "Negotiation guidance" in panel and "T/T 30% deposit" in panel


async def test_a_broken_team_playbook_is_reported_at_start(demo_store) -> None:
    from sopdesk import config
    from sopdesk.app_factory import make_app

    team = locations.config_dir() / "playbook.toml"
    team.parent.mkdir(parents=True, exist_ok=True)
    team.write_text('[stages.lead]\nstale_after_days = "soon"\n', "utf-8")
    app = make_app(demo_store, config.demo_settings(), demo=True, login="demo")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("playbook.toml:2" in m and "shipped" in m for m in messages)


async def test_the_morning_routine_shows_the_numbers_and_enter_opens_them(demo_app) -> None:
    from sopdesk.ui.widgets.today import TodayPane

    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        today = demo_app.screen.query_one(TodayPane)
        by_key = {item.key: item for item in today.items}
        store = by_key["routine:store_data"]
        assert "exposure" in store.why and ("▲" in store.why or "▼" in store.why)
        assert "RFQs to quote" in by_key["routine:rfq_market"].why
        assert "zero-effect" in by_key["routine:zero_effect"].why
        await pilot.press("1")
        table = today.query_one("#today-table")
        table.move_cursor(row=[i.key for i in today.items].index("routine:zero_effect"))
        await pilot.press("enter")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "ReportsScreen"
        from textual.widgets import TabbedContent

        assert demo_app.screen.query_one(TabbedContent).active == "products"
