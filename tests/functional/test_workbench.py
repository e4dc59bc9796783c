"""The four-pane workbench, driven with keys the way a rep uses it."""

from __future__ import annotations

import pendulum
import pytest

from sopdesk import clock
from sopdesk.sop.stages import Channel, Stage
from sopdesk.store import db
from sopdesk.store.models import Customer, Inquiry, Task
from sopdesk.ui.widgets.customer import CustomerPane
from sopdesk.ui.widgets.inbox import InboxPane
from sopdesk.ui.widgets.table import SopTable
from sopdesk.ui.widgets.today import TodayPane

from .conftest import settle


def _static_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


@pytest.mark.backends  # the demo on PostgreSQL too: every pane's queries run there
async def test_demo_opens_with_four_populated_panes(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = demo_app.screen
        today = screen.query_one(TodayPane)
        inbox = screen.query_one(InboxPane)
        # Today: the four morning routine items and the follow-ups due today or overdue.
        titles = [item.title for item in today.items]
        assert "Review yesterday's store data" in titles and "Quote today's RFQs" in titles
        assert any(item.overdue for item in today.items)
        assert any(item.kind != "routine" and not item.overdue for item in today.items)
        # Inbox: unanswered first, with the SLA label as text.
        assert inbox.page is not None and inbox.page.unanswered >= 7
        table = inbox.query_one(SopTable)
        first_state = table.get_row_at(0)[0].plain.strip()
        assert first_state in ("≤ 5 min", "≤ 1 h")
        assert "unanswered" in str(inbox.border_subtitle)
        answered_label = [table.get_row_at(i)[0].plain.strip() for i in range(table.row_count)]
        assert answered_label[-1] == "answered"
        # Customer: the customer behind the highlighted inquiry.
        customer = screen.query_one(CustomerPane)
        assert customer.card is not None
        assert customer.card.customer_id == inbox.page.rows[0].customer_id
        head = _static_text(demo_app, "#customer-head")
        assert customer.card.code in head
        fields = _static_text(demo_app, "#customer-fields")
        assert "Local time" in fields and "Next follow-up" in fields
        # Funnel: every stage with the SOP target.
        funnel = _static_text(demo_app, "#funnel-body")
        for word in ("Lead", "Intent", "Negotiation", "Order", "Loyal", "60%", "30%", "50%", "90%"):
            assert word in funnel


async def test_number_keys_tab_and_j_k_move_around(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = demo_app.screen
        for key, pane in (("1", "today"), ("3", "customer"), ("4", "funnel"), ("2", "inbox")):
            await pilot.press(key)
            focused = demo_app.focused
            assert focused is not None
            assert focused is screen.query_one(f"#{pane}") or focused in screen.query_one(
                f"#{pane}"
            ).query("*")
        await pilot.press("tab")
        assert screen.active == "customer"
        await pilot.press("shift+tab", "shift+tab")
        assert screen.active == "today"
        await pilot.press("2")
        table = screen.query_one("#inbox-table", SopTable)
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1


async def test_the_customer_pane_follows_the_inquiry_and_3_goes_there(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2", "j", "j", "j")
        await settle(pilot)
        inbox = demo_app.screen.query_one(InboxPane)
        row = inbox.current()
        customer = demo_app.screen.query_one(CustomerPane)
        assert customer.card is not None and customer.card.customer_id == row.customer_id
        await pilot.press("3")
        assert demo_app.screen.active == "customer"
        assert demo_app.focused is customer


async def test_ticking_an_item_sticks(demo_app, demo_store) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        today = demo_app.screen.query_one(TodayPane)
        first = today.current()
        assert first is not None and not first.done
        await pilot.press("space")
        await settle(pilot)
        ticked = next(i for i in today.items if i.key == first.key)
        assert ticked.done
        assert (
            today.query_one(SopTable)
            .get_row_at([i.key for i in today.items].index(first.key))[0]
            .plain
            == "[x]"
        )
    # A fresh start reads the tick back from the database.
    from sopdesk.services import today as today_service

    items = today_service.today_items(clock.now(), "Asia/Shanghai")
    assert any(i.key == first.key and i.done for i in items)


async def test_question_mark_lists_every_binding(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        table = demo_app.screen.query_one("#help-table", SopTable)
        rows = [
            " ".join(cell.plain for cell in table.get_row_at(i)) for i in range(table.row_count)
        ]
        text = "\n".join(rows)
        for expected in ("Quit", "Keys", "Today", "Inbox", "Customer", "Funnel", "Tick"):
            assert expected in text
        await pilot.press("escape")
        assert demo_app.screen.query("#panes")


async def test_q_quits(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not demo_app.is_running


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_narrow_terminals_show_one_pane_as_tabs(demo_app, size) -> None:
    async with demo_app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = demo_app.screen
        narrow = size[0] < 100
        assert screen.has_class("narrow") is narrow
        visible = [
            p
            for p in ("today", "inbox", "customer", "funnel")
            if screen.query_one(f"#{p}").display and screen.query_one(f"#{p}").parent.display
        ]
        if narrow:
            assert visible == ["inbox"]
            await pilot.press("4")
            visible = [
                p
                for p in ("today", "inbox", "customer", "funnel")
                if screen.query_one(f"#{p}").display and screen.query_one(f"#{p}").parent.display
            ]
            assert visible == ["funnel"]
            assert "4 Funnel" in _static_text(demo_app, "#tabstrip")
        else:
            assert len(visible) == 4


async def test_hostile_customer_text_renders_as_text(demo_app, demo_store) -> None:
    hostile = "[bold]x[/] [@click=app.quit]q[/] \x1b]0;HACKED\x07 [/] " + "y" * 5000
    with db.database.connection_context():
        customer = Customer.create(
            number=9999,
            company="[red]Evil[/] Ltd \x1b[2J",
            stage=Stage.LEAD,
            stage_since=pendulum.datetime(2026, 11, 27, 3, 59, tz="UTC"),
            timezone="Europe/Berlin",
            country="DE",
        )
        Inquiry.create(
            customer=customer,
            channel=Channel.EMAIL,
            received_at=pendulum.datetime(2026, 11, 27, 3, 59, 30, tz="UTC"),
            subject=hostile,
            body=hostile,
        )
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        inbox = demo_app.screen.query_one(InboxPane)
        table = inbox.query_one(SopTable)
        index = next(i for i, r in enumerate(inbox.page.rows) if r.customer_id == customer.id)
        row = table.get_row_at(index)
        assert "[red]Evil[/] Ltd ␛[2J" in row[3].plain
        assert row[4].plain.startswith("[bold]x[/] [@click=app.quit]q[/] ␛]0;HACKED␇ [/]")
        preview = _static_text(demo_app, "#inbox-preview")
        assert "\x1b" not in preview
        await pilot.press("2", *(["j"] * index), "3")
        await settle(pilot)
        head = _static_text(demo_app, "#customer-head")
        assert "[red]Evil[/] Ltd" in head and "\x1b" not in head
        timeline = _static_text(demo_app, "#customer-timeline")
        assert "[@click=app.quit]" in timeline and "\x1b" not in timeline
        assert demo_app.is_running


async def test_first_run_asks_for_setup_and_says_how_to_start(empty_app, tmp_path) -> None:
    async with empty_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert type(empty_app.screen).__name__ == "SetupScreen"
        await pilot.click("#setup-name")
        await pilot.press(*"Ana Wu")
        await pilot.press("tab", *"Acme Lighting", "tab")
        await pilot.press("ctrl+a", "ctrl+k", *"Europe/Madrid")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(empty_app.screen).__name__ == "WorkbenchScreen"
        saved = (tmp_path / "config.toml").read_text("utf-8")
        assert 'name = "Ana Wu"' in saved and 'timezone = "Europe/Madrid"' in saved
        assert "Acme Lighting" in saved
        empty = empty_app.screen.query_one("#inbox-empty")
        assert empty.display
        assert "sopdesk import inquiries" in str(empty.render())
        assert "Europe/Madrid" in _static_text(empty_app, "#statusbar")


async def test_setup_can_be_skipped_and_bad_zones_are_refused(empty_app, tmp_path) -> None:
    async with empty_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.click("#setup-timezone")
        await pilot.press("ctrl+a", "ctrl+k", *"Mars/Olympus", "ctrl+s")
        await pilot.pause()
        assert type(empty_app.screen).__name__ == "SetupScreen"
        assert "Mars/Olympus" in str(empty_app.screen.query_one("#setup-error").render())
        await pilot.press("escape")
        await settle(pilot)
        assert type(empty_app.screen).__name__ == "WorkbenchScreen"
        assert "setup_done = true" in (tmp_path / "config.toml").read_text("utf-8")


def test_open_tasks_exist_in_demo(demo_store) -> None:
    with db.database.connection_context():
        assert Task.open().count() > 0
