"""The customer sheet and one customer, driven with keys on the demo data."""

from __future__ import annotations

from textual.widgets import Input, OptionList, TextArea

from sopdesk.services import records
from sopdesk.sop.stages import ActivityKind, Stage
from sopdesk.store import db
from sopdesk.store.models import Activity, Customer
from sopdesk.ui.screens.customer_detail import CustomerDetailScreen
from sopdesk.ui.screens.customers import WINDOW, CustomersScreen
from sopdesk.ui.widgets.records_dialogs import MergeDialog, StageDialog, TouchDialog
from sopdesk.ui.widgets.records_fields import FieldEditor
from sopdesk.ui.widgets.records_timeline import TimelineList
from sopdesk.ui.widgets.table import SopTable

from .conftest import settle

SIZE = (160, 48)


async def _customers(pilot) -> CustomersScreen:
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomersScreen)
    return screen


async def _open(pilot, customer_id: int) -> CustomerDetailScreen:
    screen = CustomerDetailScreen(customer_id, "Asia/Shanghai", pilot.app.context.session.rep_id)
    pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


def _a_customer(**where) -> Customer:
    with db.database.connection_context():
        query = Customer.select().where(Customer.merged_into.is_null())
        for name, value in where.items():
            query = query.where(getattr(Customer, name) == value)
        return query.order_by(Customer.number).first()


async def test_the_sheet_opens_with_a_window_and_the_filter_state(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        screen = await _customers(pilot)
        table = screen.query_one(SopTable)
        total = records.count_customers()  # the demo rep owns every demo customer
        assert screen.total == total and table.row_count == min(total, WINDOW)
        assert "mine and unassigned" in str(screen.query_one("#customers-filter").render())
        assert "[mine]" in str(screen.query_one("#customers-title").render())
        assert table.get_row_at(0)[0].plain == "C-00001"
        await pilot.press("r")  # reverse the sort
        await settle(pilot)
        assert table.get_row_at(0)[0].plain == f"C-{total:05d}"
        await pilot.press("s")  # next column: company / name
        await settle(pilot)
        assert screen.sort.key is records.SortKey.NAME
        names = [table.get_row_at(i)[1].plain.lower() for i in range(table.row_count)]
        assert names == sorted(names)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(demo_app.screen, CustomersScreen)


async def test_search_as_you_type(demo_app) -> None:
    target = _a_customer()
    word = (target.company or target.name).split()[0]
    async with demo_app.run_test(size=SIZE) as pilot:
        screen = await _customers(pilot)
        await pilot.press("slash")
        assert isinstance(screen.focused, Input)
        for ch in word[:4]:
            await pilot.press(ch)
        await pilot.pause(0.3)  # the search runs after a short pause in typing
        await settle(pilot)
        table = screen.query_one(SopTable)
        codes = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
        assert target.code in codes
        assert screen.total == len(codes) < records.count_customers()
        assert word[:4] in str(screen.query_one("#customers-filter").render())
        await pilot.press(*"zzqx")  # no customer has this
        await pilot.pause(0.3)
        await settle(pilot)
        assert table.row_count == 0 and screen.query_one("#customers-empty").display
        await pilot.press("escape")  # clears the search
        await pilot.pause(0.3)
        await settle(pilot)
        assert table.row_count == min(records.count_customers(), WINDOW)


async def test_filtering_by_overdue_and_stage(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        screen = await _customers(pilot)
        await pilot.press("o")
        await settle(pilot)
        overdue = records.count_customers(records.CustomerFilter(overdue=True))
        assert overdue > 0 and screen.total == overdue
        assert "follow-up overdue" in str(screen.query_one("#customers-filter").render())
        screen.set_filter(records.CustomerFilter(stages=frozenset({Stage.NEGOTIATION})))
        await settle(pilot)
        table = screen.query_one(SopTable)
        stages = {table.get_row_at(i)[6].plain for i in range(table.row_count)}
        assert stages == {"Negotiation"}
        await pilot.press("x")
        await settle(pilot)
        assert screen.total == records.count_customers()


async def test_enter_opens_the_customer_and_a_bad_value_shows_why(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        screen = await _customers(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = demo_app.screen
        assert isinstance(detail, CustomerDetailScreen) and detail.detail is not None
        assert detail.detail.customer_id == screen.rows[0].customer_id
        before = detail.detail.country
        editor = detail.query_one("#field-country", FieldEditor)
        editor.query_one(Input).focus()
        editor.query_one(Input).value = "Atlantis"
        await pilot.press("enter")
        await settle(pilot)
        assert editor.has_class("invalid")
        assert "Atlantis" in str(editor.query_one(".record-error").render())
        assert records.customer_detail(detail.customer_id).country == before
        editor.query_one(Input).value = "德国"
        await pilot.press("enter")
        await settle(pilot)
        assert not editor.has_class("invalid")
        saved = records.customer_detail(detail.customer_id)
        assert saved.country == "DE" and saved.version == detail.detail.version


async def test_logging_a_touch_in_three_keys_plus_the_text(demo_app) -> None:
    customer = _a_customer()
    async with demo_app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, customer.id)
        await pilot.press("l")
        assert isinstance(demo_app.screen, TouchDialog)
        await pilot.press("w")  # WhatsApp
        assert isinstance(demo_app.screen.focused, TextArea)
        await pilot.press(*"sent [USD] price")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert demo_app.screen is screen
        first = screen.query_one(TimelineList).items[0]
        assert (first.kind, first.text) == (ActivityKind.WHATSAPP.value, "sent [USD] price")
        assert "sent [USD] price" in str(screen.query_one("#detail-text").render())
        with db.database.connection_context():
            assert (
                Activity.select()
                .where(Activity.customer == customer.id, Activity.text == "sent [USD] price")
                .exists()
            )


async def test_a_stage_change_with_history(demo_app) -> None:
    customer = _a_customer(stage=Stage.LEAD)
    async with demo_app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, customer.id)
        await pilot.press("s")
        dialog = demo_app.screen
        assert isinstance(dialog, StageDialog)
        options = dialog.query_one("#stage-options", OptionList)
        options.highlighted = list(Stage).index(Stage.NEGOTIATION)  # skips intent
        await pilot.press("enter")
        await pilot.press(*"samples sent")
        await pilot.press("enter")
        await settle(pilot)
        assert "skips stages" in str(dialog.query_one("#stage-confirm").render())
        assert demo_app.screen is dialog  # asked first
        await pilot.press("enter")
        await settle(pilot)
        assert demo_app.screen is screen
        assert screen.detail.stage is Stage.NEGOTIATION
        history = records.stage_history(customer.id)
        assert (history[0].from_stage, history[0].to_stage, history[0].reason) == (
            Stage.LEAD, Stage.NEGOTIATION, "samples sent"
        )  # fmt: skip
        assert history[0].by == "Lily Chen"
        stage_items = [i for i in screen.query_one(TimelineList).items if i.entry.value == "stage"]
        assert stage_items[0].text == "samples sent"


async def test_merging_a_duplicate_after_confirmation(demo_app) -> None:
    keep = _a_customer()
    twin = records.create_customer(
        keep.company or keep.name, country=keep.country, allow_duplicates=True
    )
    async with demo_app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, keep.id)
        await pilot.press("d")
        await settle(pilot)
        dialog = demo_app.screen
        assert isinstance(dialog, MergeDialog)
        assert twin.customer_id in [c.customer_id for c in dialog.candidates]
        options = dialog.query_one(OptionList)
        options.highlighted = [c.customer_id for c in dialog.candidates].index(twin.customer_id)
        await pilot.press("enter")
        assert "Press y to merge" in str(dialog.query_one("#merge-confirm").render())
        await pilot.press("y")
        await settle(pilot)
        assert demo_app.screen is screen
        with db.database.connection_context():
            assert Customer.get_by_id(twin.customer_id).merged_into_id == keep.id
        merged = [i for i in screen.query_one(TimelineList).items if i.kind == "system"]
        assert merged and twin.code in merged[0].text


async def test_enter_on_the_customer_pane_opens_its_detail(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        pane = demo_app.screen.query_one("#customer")
        assert pane.customer_id is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(demo_app.screen, CustomerDetailScreen)
        assert demo_app.screen.customer_id == pane.customer_id


async def test_the_table_slides_its_window_instead_of_growing(tmp_path) -> None:
    from bench.generate import generate
    from sopdesk import config
    from sopdesk.app_factory import make_app

    path = tmp_path / "many.db"
    generate(path, customers=700, inquiries=50, activities=100, seed=3)
    app = make_app(path, config.demo_settings(), demo=True, login="demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _customers(pilot)
        table = screen.query_one(SopTable)
        assert table.row_count == 0  # the generated reps own them all: none is "mine"
        await pilot.press("t")  # the team's
        await settle(pilot)
        assert table.row_count == 150 and screen.total == 700
        seen: list[str] = []
        for _ in range(5):
            table.move_cursor(row=table.row_count - 1)
            await settle(pilot)
            assert table.row_count <= WINDOW
            seen.append(table.get_row_at(table.row_count - 1)[0].plain)
        assert seen == sorted(seen) and seen[-1] == "C-00700"
        assert table.row_count <= WINDOW
        table.move_cursor(row=0)  # back up: the previous chunk returns
        await settle(pilot)
        first = table.get_row_at(0)[0].plain
        assert first < screen.rows[-1].code and table.row_count <= WINDOW


async def test_stale_deals_are_flagged_in_the_sheet(demo_app) -> None:
    from sopdesk import clock
    from sopdesk.services import stale_deals

    stale = stale_deals.stale_customer_ids(clock.now(), list(range(1, 60)))
    assert stale, "the demo has stale deals"
    async with demo_app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = demo_app.screen
        table = screen.query_one("#customers-table")
        flagged = {
            row.customer_id
            for i, row in enumerate(screen.rows)
            if "stale" in table.get_row_at(i)[6].plain
        }
        assert flagged == stale & {row.customer_id for row in screen.rows}


async def test_contacts_can_be_edited_and_the_primary_one_chosen(demo_app) -> None:
    from sopdesk.store import db as store_db
    from sopdesk.store.models import Contact

    async with demo_app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter")  # C-00001 has two contacts
        await settle(pilot)
        customer_id = demo_app.screen.customer_id
        await pilot.press("C")
        await settle(pilot)
        screen = demo_app.screen
        assert type(screen).__name__ == "ContactsScreen" and len(screen.contacts) >= 2
        second = screen.contacts[1]
        await pilot.press("j", "p")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        screen.query_one("#contact-role").value = "Head of Purchasing"
        screen.query_one("#contact-email").value = "not-an-email"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "e-mail" in str(screen.query_one("#contacts-error").render()).lower()
        screen.query_one("#contact-email").value = second.email
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(screen.query_one("#contacts-error").render()) == ""
        assert screen.editing is None
        await pilot.press("escape")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "CustomerDetailScreen"
        with store_db.database.connection_context():
            primary = Contact.get(Contact.customer == customer_id, Contact.is_primary)
            assert primary.id == second.contact_id
            assert primary.role == "Head of Purchasing"


async def test_scrolling_to_the_end_of_the_timeline_loads_the_older_items(demo_app) -> None:
    """The page shows the newest TIMELINE_WINDOW items; moving onto the last loads the next."""
    import pendulum

    from sopdesk.services.records_timeline import TIMELINE_WINDOW
    from sopdesk.sop.stages import Direction

    customer = _a_customer()
    start = pendulum.datetime(2025, 1, 1, tz="UTC")
    with db.database.connection_context():
        for n in range(TIMELINE_WINDOW + 20):
            Activity.create(
                customer=customer.id, kind=ActivityKind.NOTE, direction=Direction.NONE,
                at=start.add(hours=n), subject=f"old note {n}", text=f"old note {n}",
            )  # fmt: skip
    async with demo_app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, customer.id)
        timeline = screen.query_one(TimelineList)
        first = len(timeline.items)
        assert first == TIMELINE_WINDOW and timeline.has_more
        timeline.focus()
        timeline.highlighted = first - 1  # the last item shown: the rep pressed j to it
        await settle(pilot)
        await settle(pilot)
        assert len(timeline.items) > first
        assert screen.detail is not None and len(screen.detail.timeline.items) > first
