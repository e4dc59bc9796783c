"""Samples on the customer pane (`S`) and the company library / FAQ (`L`), driven with keys."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Checkbox, Input

from sopdesk.services import catalog, library, samples
from sopdesk.store import db
from sopdesk.ui.widgets.customer import CustomerPane
from tests.timeline_words import system_touches

from .conftest import settle


async def _fill(pilot, **values: str) -> None:
    for ident, value in values.items():
        pilot.app.screen.query_one(f"#{ident}", Input).value = value
    await pilot.pause()


async def test_record_a_sample_and_mark_it_sent(demo_app) -> None:
    async with demo_app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        customer_id = demo_app.screen.query_one(CustomerPane).customer_id
        assert customer_id is not None
        before = len(samples.for_customer(customer_id))
        await pilot.press("3", "S")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "SamplesScreen"
        await pilot.press("n")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "SampleDialog"
        # Freight collect without the courier account is refused, the form stays open.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(demo_app.screen).__name__ == "SampleDialog"
        assert "courier account" in str(demo_app.screen.query_one("#dialog-error").render())
        await _fill(pilot, **{"sample-courier": "DHL", "sample-account": "DHL-998877"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "SamplesScreen"
        found = samples.for_customer(customer_id)
        assert len(found) == before + 1
        new = found[0]
        assert (new.paid, new.freight_by, new.courier_account) == (False, "customer", "DHL-998877")
        assert new.state == samples.SampleState.PREPARING
        await pilot.press("s")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "SampleStepDialog"
        await _fill(pilot, **{"step-tracking": "1234567890"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        sent = samples.get(new.sample_id)
        assert sent is not None and sent.state == samples.SampleState.SENT
        assert (sent.courier, sent.tracking) == ("DHL", "1234567890")
        table = demo_app.screen.query_one("#samples-table")
        cells = [str(c) for c in table.get_row_at(0)]
        assert "1234567890" in " ".join(cells)
        # d: the same dialog asks when it arrived
        await pilot.press("d")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "SampleStepDialog"
        await _fill(pilot, **{"step-at": "2026-11-28"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert samples.get(new.sample_id).state == samples.SampleState.DELIVERED


async def test_a_paid_sample_needs_its_amount(demo_app) -> None:
    async with demo_app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("3", "S")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        demo_app.screen.query_one("#sample-paid", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "amount" in str(demo_app.screen.query_one("#dialog-error").render())


async def test_an_faq_answer_added_shows_in_the_draft_picker(demo_app) -> None:
    async with demo_app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "LibraryScreen"
        demo_app.screen.query_one("#library-faq").focus()
        await pilot.press("n")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "FaqDialog"
        await _fill(
            pilot,
            **{
                "faq-topic": "sample",
                "faq-question": "Can I get a free sample?",
                "faq-answer": "Yes, free; freight collect on your courier account.",
                "faq-language": "en",
            },
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "LibraryScreen"
        assert any(f.question == "Can I get a free sample?" for f in library.faqs())
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "DraftScreen"
        await pilot.press("i")
        await settle(pilot)
        picker = demo_app.screen
        assert type(picker).__name__ == "FuzzyPicker"
        assert "sample: Can I get a free sample?" in [c.label for c in picker.choices]


async def test_deleting_a_material_asks_first(demo_app) -> None:
    async with demo_app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        saved = library.save_material(library.MaterialView(None, "intro", "AAA company intro"))
        await pilot.press("L")
        await settle(pilot)
        screen = demo_app.screen
        table = screen.query_one("#library-materials")
        index = [m.material_id for m in screen.materials].index(saved.material_id)
        table.move_cursor(row=index)
        await pilot.press("x")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")  # no: nothing is thrown away
        await settle(pilot)
        assert any(m.material_id == saved.material_id for m in library.materials())
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "LibraryScreen"
        assert all(m.material_id != saved.material_id for m in library.materials())
        assert all(m.material_id != saved.material_id for m in demo_app.screen.materials)


async def test_edit_a_sample_product_from_the_picker_and_refund_off(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        customer_id = demo_app.screen.query_one(CustomerPane).customer_id
        assert customer_id is not None
        await pilot.press("3", "S")
        await settle(pilot)
        screen = demo_app.screen
        # Record a paid sample: refundable on the first order is on by default.
        await pilot.press("n")
        await settle(pilot)
        demo_app.screen.query_one("#sample-paid", Checkbox).value = True
        demo_app.screen.query_one("#sample-freight-us", Checkbox).value = True
        await _fill(pilot, **{"sample-amount": "80", "sample-note": "2 pcs, 4000K"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert demo_app.screen is screen
        made = samples.for_customer(customer_id)[0]
        assert (made.paid, made.amount, made.refundable_on_order) == (True, Decimal("80.00"), True)
        assert made.product_id is None
        # e: the same form, filled in; the product comes from the catalogue picker.
        screen.query_one("#samples-table").move_cursor(row=0)
        await pilot.press("e")
        await settle(pilot)
        dialog = demo_app.screen
        assert type(dialog).__name__ == "SampleDialog"
        assert dialog.query_one("#sample-amount", Input).value == "80.00"
        assert dialog.query_one("#sample-refundable", Checkbox).value is True
        await pilot.press("enter")  # the product button has the focus
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "FuzzyPicker"
        await pilot.press(*"high bay", "enter")
        await settle(pilot)
        assert demo_app.screen is dialog
        dialog.query_one("#sample-refundable", Checkbox).value = False
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert demo_app.screen is screen
        edited = samples.get(made.sample_id)
        high_bay = catalog.by_sku("BL-HB150")
        assert high_bay is not None and edited.product_id == high_bay.product_id
        assert edited.paid and not edited.refundable_on_order
        assert edited.version == made.version + 1
        # On screen: the row and the line under the table.
        cells = " ".join(str(c) for c in screen.query_one("#samples-table").get_row_at(0))
        assert "BL-HB150" in cells and "↺" not in cells
        detail = str(screen.query_one("#samples-detail").render())
        assert "not refundable" in detail and "BL-HB150" in detail
        # And on the customer's timeline: what changed.
        (note,) = [t for t in system_touches(customer_id) if t.text.startswith("Sample changed")]
        assert "refundable on the first order: yes → no" in note.text


async def test_editing_shows_a_refused_value_in_the_form(demo_app) -> None:
    from sopdesk.store.models import Sample

    with db.database.connection_context():
        demo_sample = Sample.select().get()
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        demo_app.screen.show_customer(demo_sample.customer_id)
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        before = demo_app.screen.rows[0]
        assert before.sample_id == demo_sample.id
        await pilot.press("e")
        await settle(pilot)
        dialog = demo_app.screen
        dialog.query_one("#sample-paid", Checkbox).value = True
        await _fill(pilot, **{"sample-amount": "lots"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert demo_app.screen is dialog
        assert "not a number" in str(dialog.query_one("#dialog-error").render())
        assert demo_app.focused is dialog.query_one("#sample-amount")
        await pilot.press("escape")
        await settle(pilot)
        assert samples.get(before.sample_id) == before
