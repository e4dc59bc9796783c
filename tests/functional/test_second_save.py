"""Two reps editing the same customer: the second save is refused, says what changed, and can be
reapplied on top of the other rep's version."""

from __future__ import annotations

from textual.widgets import Input

from sopdesk.services import records
from sopdesk.store import db
from sopdesk.store.models import Customer
from sopdesk.ui.screens.confirm import ConfirmScreen
from sopdesk.ui.screens.customer_detail import CustomerDetailScreen
from sopdesk.ui.widgets.records_fields import FieldEditor

from .conftest import settle

SIZE = (160, 48)


def _customer_id() -> int:
    with db.database.connection_context():
        return Customer.active().order_by(Customer.number).first().id


async def _open_and_type(pilot, customer_id: int, field: str, value: str) -> CustomerDetailScreen:
    screen = CustomerDetailScreen(customer_id, "Asia/Shanghai", pilot.app.context.session.rep_id)
    pilot.app.push_screen(screen)
    await settle(pilot)
    editor = screen.query_one(f"#field-{field}", FieldEditor)
    editor.query_one(Input).focus()
    editor.query_one(Input).value = value
    return screen


async def _question(pilot) -> ConfirmScreen:
    for _ in range(50):
        await settle(pilot)
        if isinstance(pilot.app.screen, ConfirmScreen):
            return pilot.app.screen
    raise AssertionError(f"no question; the screen is {pilot.app.screen!r}")


async def test_the_second_save_names_the_change_and_reapplies_on_request(demo_app) -> None:
    customer_id = _customer_id()
    async with demo_app.run_test(size=SIZE, notifications=True) as pilot:
        tags_before = records.customer_detail(customer_id).tags
        assert tags_before != "vip"
        screen = await _open_and_type(pilot, customer_id, "tags", "vip")
        # Meanwhile a teammate (another process) saves the notes of the same customer.
        theirs = records.customer_detail(customer_id)
        records.update_customer(theirs, {"notes": "Teammate: called, wants samples"})
        await pilot.press("enter")
        question = await _question(pilot)
        assert "Notes" in question.question and "vip" in question.question
        # Their version is on screen behind the question; nothing of ours was written yet.
        assert screen.detail is not None and screen.detail.notes.startswith("Teammate")
        assert records.customer_detail(customer_id).tags == tags_before
        await pilot.press("y")
        await settle(pilot)
        saved = records.customer_detail(customer_id)
        assert saved.tags == "vip" and saved.notes == "Teammate: called, wants samples"


async def test_declining_keeps_their_version(demo_app) -> None:
    customer_id = _customer_id()
    async with demo_app.run_test(size=SIZE, notifications=True) as pilot:
        await _open_and_type(pilot, customer_id, "company", "My Name For Them")
        theirs = records.customer_detail(customer_id)
        records.update_customer(theirs, {"company": "Their Name"})
        await pilot.press("enter")
        assert "Company" in (await _question(pilot)).question
        await pilot.press("n")
        await settle(pilot)
        assert records.customer_detail(customer_id).company == "Their Name"
