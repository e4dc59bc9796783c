"""The reports screen (`m` on the workbench), driven with keys on the demo data."""

from __future__ import annotations

from textual.widgets import TabbedContent

from sopdesk.sop.kpi import Kpi, PeriodKind
from sopdesk.sop.stages import Stage
from sopdesk.store import db
from sopdesk.store.models import Product, Task
from sopdesk.ui.screens.reports import PeriodDialog, ReportsScreen, StageCustomersScreen
from sopdesk.ui.screens.workbench import WorkbenchScreen
from sopdesk.ui.widgets.customer import CustomerPane
from sopdesk.ui.widgets.reports_funnel import FunnelView
from sopdesk.ui.widgets.reports_kpi import KpiTable
from sopdesk.ui.widgets.reports_products import ZeroEffectView
from sopdesk.ui.widgets.store_data import StoreDataView
from sopdesk.ui.widgets.table import SopTable

from .conftest import settle


async def _open_reports(pilot) -> ReportsScreen:
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportsScreen)
    assert screen.data is not None
    return screen


async def test_m_opens_the_morning_meeting_with_yesterdays_store_data(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        screen = await _open_reports(pilot)
        assert screen.query_one(TabbedContent).active == "morning"
        view = screen.query_one("#morning-store", StoreDataView)
        assert view.summary is not None and view.summary.has_data
        text = str(view.render())
        for word in ("Exposure", "Clicks", "Inquiries", "TM chats", "Visitors", "7-day avg"):
            assert word in text
        assert "▲" in text or "▼" in text
        assert any(ch in text for ch in "▁▂▃▄▅▆▇█")  # the sparklines
        meeting = screen.data.morning
        assert meeting.replies.received == len(meeting.reply_lines) > 0
        replies = screen.query_one("#morning-reply-table", SopTable)
        assert replies.row_count == len(meeting.reply_lines)
        # Escape goes back to the workbench.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, WorkbenchScreen)


async def test_kpi_table_shows_every_kpi_with_target_and_trend(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        screen = await _open_reports(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "kpis"
        table = screen.query_one("#kpi-table", KpiTable)
        assert table.row_count == len(list(Kpi))
        reply = table.get_row(Kpi.REPLY_RATE_24H.value)
        assert reply[2].plain == "> 95.0%"
        assert reply[3].plain in ("on target", "below target")
        new_customers = table.get_row(Kpi.NEW_CUSTOMERS.value)
        assert new_customers[1].plain.isdigit()


async def test_period_switcher_cycles_week_month_quarter(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        screen = await _open_reports(pilot)
        assert screen.period_kind is PeriodKind.WEEK
        assert screen.data.kpis.period.kind is PeriodKind.WEEK
        await pilot.press("p")
        await settle(pilot)
        assert screen.period_kind is PeriodKind.MONTH
        assert screen.data.kpis.period.first_day.day == 1
        assert screen.data.funnel.period == screen.period
        await pilot.press("p", "p")
        await settle(pilot)
        assert screen.period_kind is PeriodKind.WEEK


async def test_custom_period_dialog_sets_the_dates(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        screen = await _open_reports(pilot)
        await pilot.press("c")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, PeriodDialog)
        dialog.query_one("#period-from").value = "2026-10-01"
        dialog.query_one("#period-to").value = "2026-10-31"
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert screen.period.first_day.isoformat() == "2026-10-01"
        assert screen.period.kind is PeriodKind.MONTH  # a whole month is recognised
        assert screen.data.kpis.previous.first_day.isoformat() == "2026-09-01"


async def test_enter_on_a_funnel_stage_lists_its_customers_and_opens_one(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        screen = await _open_reports(pilot)
        await pilot.press("3")
        await settle(pilot)
        funnel = screen.query_one(FunnelView)
        table = funnel.query_one(SopTable)
        table.focus()
        lead = next(r for r in funnel.report.rows if r.stage is Stage.LEAD)
        assert lead.entered > 0  # the demo has new leads this week
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        listing = pilot.app.screen
        assert isinstance(listing, StageCustomersScreen)
        assert len(listing.customers) == lead.entered
        chosen = listing.customers[0].customer_id
        await pilot.press("enter")
        await settle(pilot)
        workbench = pilot.app.screen
        assert isinstance(workbench, WorkbenchScreen)
        card = workbench.query_one(CustomerPane).card
        assert card is not None and card.customer_id == chosen


async def test_zero_effect_product_can_be_marked_optimised(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45), notifications=True) as pilot:
        screen = await _open_reports(pilot)
        await pilot.press("5")
        await settle(pilot)
        view = screen.query_one(ZeroEffectView)
        assert view.listing is not None
        assert view.listing.products, "the demo has a product without exposure"
        product = view.current()
        assert product is not None and product.product_id is not None
        with db.database.connection_context():
            assert Task.select().where(Task.source == f"zero_effect:{product.product_id}").exists()
        await pilot.press("o")
        await settle(pilot)  # the write …
        await settle(pilot)  # … and the reload it starts
        with db.database.connection_context():
            assert Product.get_by_id(product.product_id).optimised_at is not None
            task = Task.get(Task.source == f"zero_effect:{product.product_id}")
            assert task.done_at is not None
        assert all(p.product_id != product.product_id for p in view.listing.products)


async def test_team_and_mine_toggle(demo_app) -> None:
    async with demo_app.run_test(size=(140, 45)) as pilot:
        screen = await _open_reports(pilot)
        team = screen.data.funnel
        await pilot.press("t")
        await settle(pilot)
        assert screen.only_mine
        mine = screen.data.funnel
        # The demo has one rep owning every customer: the numbers agree.
        assert [r.now for r in mine.rows] == [r.now for r in team.rows]
