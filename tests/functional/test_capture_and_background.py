"""Issue 3 in the UI: a new inquiry from the inbox, the SLA alerts, the background check."""

from __future__ import annotations

from sopdesk import clock
from sopdesk.sop.stages import BuyerType, Potential
from sopdesk.store import db
from sopdesk.store.models import Customer, Inquiry
from sopdesk.ui.widgets.customer import CustomerPane
from sopdesk.ui.widgets.inbox import InboxPane
from tests.timeline_words import system_touches

from .conftest import settle


async def _type(pilot, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)


async def test_n_opens_the_form_and_ctrl_s_saves_a_linked_inquiry(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("2", "n")
        await pilot.pause()
        assert type(demo_app.screen).__name__ == "NewInquiryScreen"
        await _type(pilot, "#field-buyer_name", "Ana Souza")
        await _type(pilot, "#field-company", "Luz Forte Ltda")
        await _type(pilot, "#field-email", "ana@luzforte.com.br")
        await _type(pilot, "#field-country", "巴西")
        await _type(pilot, "#field-received", "3 min ago")
        await _type(pilot, "#field-message", "Precisamos de 300 luminárias [USD] para Santos")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "WorkbenchScreen"
        with db.database.connection_context():
            inquiry = Inquiry.get(Inquiry.buyer_email == "ana@luzforte.com.br")
            customer = Customer.get_by_id(inquiry.customer_id)
            assert customer.country == "BR" and customer.stage.value == "lead"
            assert inquiry.received_at == clock.now().subtract(minutes=3)
        inbox = demo_app.screen.query_one(InboxPane)
        assert inbox.current() is not None and inbox.current().inquiry_id == inquiry.id
        assert any("new customer" in str(n.message) for n in demo_app._notifications)


async def test_a_bad_field_keeps_the_form_open_and_says_why(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2", "n")
        await pilot.pause()
        await _type(pilot, "#field-received", "yesterday-ish")
        await _type(pilot, "#field-message", "hello")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "NewInquiryScreen"
        assert "Received" in str(demo_app.screen.query_one("#inquiry-error").render())
        # Escape asks before dropping what was typed.
        await pilot.press("escape")
        await pilot.pause()
        assert type(demo_app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")
        await pilot.pause()
        assert type(demo_app.screen).__name__ == "NewInquiryScreen"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert type(demo_app.screen).__name__ == "WorkbenchScreen"


async def test_crossing_five_minutes_and_one_hour_alerts_once_each(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        inbox = demo_app.screen.query_one(InboxPane)
        fresh = [r for r in inbox.page.rows if r.state(clock.now()).value == "fresh"]
        assert fresh, "the demo has inquiries under five minutes old"
        bells: list[int] = []
        demo_app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        before = len(demo_app._notifications)
        clock.advance(minutes=6)
        inbox.tick()
        await pilot.pause()
        first = [str(n.message) for n in list(demo_app._notifications)[before:]]
        assert sum("5 min without a reply" in m for m in first) == len(fresh)
        inbox.tick()  # no new crossing, no new alert
        assert len(demo_app._notifications) - before == len(fresh)
        clock.advance(hours=1)
        inbox.tick()
        await settle(pilot)
        messages = [str(n.message) for n in demo_app._notifications]
        assert sum("Over 1 h without a reply" in m for m in messages) >= len(fresh)
        assert len(bells) >= 2 * len(fresh)


async def test_background_check_is_saved_and_closes_the_check(demo_app) -> None:
    with db.database.connection_context():
        customer = (
            Customer.select()
            .where(~Customer.background_check_done)
            .order_by(Customer.number)
            .first()
        )
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        demo_app.screen.show_customer(customer.id)
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = demo_app.screen
        assert type(screen).__name__ == "BackgroundScreen"
        assert screen.view is not None and len(screen.view.links) >= 2
        screen.query_one("#bg-website").value = "https://example-buyer.test"
        screen.query_one("#bg-buyer-type").value = BuyerType.DISTRIBUTOR
        screen.query_one("#bg-potential").value = Potential.A
        screen.query_one("#bg-profile").text = "Verified, Gold buyer, 12 purchases"
        screen.query_one("#bg-done").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "WorkbenchScreen"
        with db.database.connection_context():
            saved = Customer.get_by_id(customer.id)
            assert saved.background_check_done and saved.potential is Potential.A
            assert saved.version == customer.version + 1
        assert [t.title for t in system_touches(customer.id)] == ["Background check done"]
        pane = demo_app.screen.query_one(CustomerPane)
        assert pane.card is not None and pane.card.background_check_done
