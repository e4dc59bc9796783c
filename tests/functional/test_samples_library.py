"""Samples on the customer pane (`S`) and the company library / FAQ (`L`), driven with keys."""

from __future__ import annotations

from textual.widgets import Checkbox, Input

from sopdesk.services import library, samples
from sopdesk.ui.widgets.customer import CustomerPane

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
        assert type(demo_app.screen).__name__ == "ShipmentDialog"
        await _fill(pilot, **{"ship-tracking": "1234567890"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        sent = samples.get(new.sample_id)
        assert sent is not None and sent.state == samples.SampleState.SENT
        assert (sent.courier, sent.tracking) == ("DHL", "1234567890")
        table = demo_app.screen.query_one("#samples-table")
        cells = [str(c) for c in table.get_row_at(0)]
        assert "1234567890" in " ".join(cells)


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
