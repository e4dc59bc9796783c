"""Quotes, products and orders in the workbench: the quote editor from a customer and from an
inquiry (add a line, see the total, save, export), the catalogue, and an order's milestones."""

from __future__ import annotations

from decimal import Decimal

from sopdesk.services import documents, quotes
from sopdesk.sop import money
from sopdesk.sop.stages import QuoteStatus
from sopdesk.store import db
from sopdesk.store.models import Order
from sopdesk.ui.screens.orders import OrdersScreen
from sopdesk.ui.screens.pickers import FuzzyPicker
from sopdesk.ui.screens.products import ProductsScreen
from sopdesk.ui.screens.quote_editor import LinesTable, QuoteEditorScreen
from sopdesk.ui.widgets.customer import CustomerPane
from sopdesk.ui.widgets.inbox import InboxPane
from sopdesk.ui.widgets.sales_dialogs import LineDialog
from tests.timeline_words import system_touches

from .conftest import settle

SIZE = (150, 45)


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_quote_from_a_customer_add_a_line_total_save_export(demo_app) -> None:
    async with demo_app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        customer_id = demo_app.screen.query_one(CustomerPane).customer_id
        assert customer_id is not None
        await pilot.press("3", "Q")
        await settle(pilot)
        editor = demo_app.screen
        assert isinstance(editor, QuoteEditorScreen)
        assert editor.draft is not None and editor.draft.customer_id == customer_id
        assert "New quotation" in _text(demo_app, "#quote-head")
        assert isinstance(demo_app.focused, LinesTable)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(demo_app.screen, FuzzyPicker)
        await pilot.press(*"high bay", "enter")
        await settle(pilot)
        assert demo_app.screen is editor
        (line,) = editor.draft.lines
        assert line.sku == "BL-HB150" and line.quantity == Decimal(100)
        total = money.format_money(line.quantity * line.unit_price, editor.draft.currency)
        assert total in _text(demo_app, "#quote-totals")
        # Enter edits the line: 600 pcs takes the 500+ tier price
        await pilot.press("enter")
        await settle(pilot)
        dialog = demo_app.screen
        assert isinstance(dialog, LineDialog)
        await pilot.press("ctrl+a", "ctrl+k", *"600")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        (line,) = editor.draft.lines
        assert line.quantity == Decimal(600)
        assert line.unit_price != Decimal("28.50")  # no longer the 100+ tier
        assert "unsaved changes" in _text(demo_app, "#quote-head")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert editor.view is not None and editor.view.status is QuoteStatus.DRAFT
        label = editor.view.label
        assert label.startswith("PI-2026-") and label in _text(demo_app, "#quote-head")
        assert "unsaved" not in _text(demo_app, "#quote-head")
        stored = quotes.get(editor.view.quote_id)
        assert stored is not None and stored.total == line.quantity * line.unit_price
        await pilot.press("ctrl+o")
        await settle(pilot)
        folder = documents.export_dir()
        for suffix in (".pdf", ".xlsx", ".html"):
            written = folder / f"{label}{suffix}"
            assert written.is_file() and written.stat().st_size > 0
        assert "PI written to" in _text(demo_app, "#quote-message")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert quotes.get(editor.view.quote_id).status is QuoteStatus.SENT
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(demo_app.screen, QuoteEditorScreen)


async def test_leaving_with_unsaved_changes_asks_first(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "Q")
        await settle(pilot)
        editor = demo_app.screen
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")  # the first product
        await settle(pilot)
        assert editor.dirty
        await pilot.press("escape")
        await settle(pilot)
        assert demo_app.screen is not editor and not isinstance(demo_app.screen, type(editor))
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert demo_app.screen is editor


async def test_quote_from_an_inquiry_is_prefilled(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        inbox = demo_app.screen.query_one(InboxPane)
        row = inbox.current()
        assert row is not None
        await pilot.press("2", "Q")
        await settle(pilot)
        editor = demo_app.screen
        assert isinstance(editor, QuoteEditorScreen)
        assert editor.draft is not None and editor.draft.inquiry_id == row.inquiry_id
        assert editor.draft.lines, "the inquiry's product is quoted"
        assert editor.draft.totals().total > 0


async def test_products_screen_lists_searches_and_shows_a_product(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        screen = demo_app.screen
        assert isinstance(screen, ProductsScreen)
        assert screen.page is not None and len(screen.page.rows) == 8
        await pilot.press("slash", *"solar")
        await settle(pilot)
        assert [r.sku for r in screen.page.rows] == ["BL-SSL60"]
        await pilot.press("enter")
        await settle(pilot)
        assert "LiFePO4" in _text(demo_app, "#products-detail")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(demo_app.screen, ProductsScreen)


async def test_orders_screen_shows_milestones_and_documents(demo_app) -> None:
    with db.database.connection_context():
        order = Order.select().where(Order.shipped_at.is_null(False)).first()
    async with demo_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        workbench = demo_app.screen
        workbench.show_customer(order.customer_id)
        await settle(pilot)
        await pilot.press("O")
        await settle(pilot)
        screen = demo_app.screen
        assert isinstance(screen, OrdersScreen)
        assert screen.view is not None and screen.view.customer_id == order.customer_id
        assert screen.query_one("#orders-milestones").row_count == 10
        assert screen.query_one("#orders-documents").row_count >= 4
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.view.latest_production_update is not None


async def test_open_a_sent_quote_and_save_a_revision(demo_app) -> None:
    from sopdesk.store.models import Quote

    with db.database.connection_context():
        sent = Quote.select().where(Quote.status == QuoteStatus.SENT).first()
    async with demo_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        demo_app.screen.show_customer(sent.customer_id)
        await settle(pilot)
        await pilot.press("Q")
        await settle(pilot)
        editor = demo_app.screen
        assert isinstance(editor, QuoteEditorScreen)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(demo_app.screen, FuzzyPicker)
        label = quotes.get(sent.id).label
        await pilot.press(*label, "enter")
        await settle(pilot)
        assert editor.view is not None and editor.view.quote_id == sent.id
        lead = editor.query_one("#quote-lead")
        lead.value = "30 days after deposit"
        await settle(pilot)
        assert editor.dirty
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert editor.view.label == f"{label}-R2" and editor.view.status is QuoteStatus.DRAFT
        assert editor.view.lead_time == "30 days after deposit"
        assert quotes.get(sent.id).status is QuoteStatus.SUPERSEDED


async def _open_quote(pilot, quote_id: int) -> QuoteEditorScreen:
    """The editor on a stored quote, as a rep gets there: the customer, Q, ctrl+l, its number."""
    app = pilot.app
    view = quotes.get(quote_id)
    assert view is not None
    app.screen.show_customer(view.customer_id)
    await settle(pilot)
    await pilot.press("Q")
    await settle(pilot)
    editor = app.screen
    assert isinstance(editor, QuoteEditorScreen)
    await pilot.press("ctrl+l")
    await settle(pilot)
    await pilot.press(*view.label, "enter")
    await settle(pilot)
    assert editor.view is not None and editor.view.quote_id == quote_id
    return editor


def _demo_draft_quote() -> int:
    from sopdesk.store.models import Quote

    with db.database.connection_context():
        return Quote.get(Quote.status == QuoteStatus.DRAFT).id


async def test_d_drafts_the_quote_email_and_marking_it_sent_sends_the_quote(demo_app) -> None:
    from sopdesk import locations

    quote_id = _demo_draft_quote()
    async with demo_app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        editor = await _open_quote(pilot, quote_id)
        view = editor.view
        assert view is not None and view.status is QuoteStatus.DRAFT
        await pilot.press("d")
        await settle(pilot)
        draft_screen = demo_app.screen
        assert type(draft_screen).__name__ == "DraftScreen"
        assert draft_screen.draft is not None
        assert draft_screen.draft.template.id == "quote_email"
        total = money.format_money(view.total, view.currency)
        assert view.label in draft_screen.text and total in draft_screen.text
        await pilot.press("y")  # copy: the draft is also kept in the drafts folder
        await settle(pilot)
        (saved,) = locations.drafts_dir().glob("*")
        assert total in saved.read_text("utf-8")
        await pilot.press("s")
        await settle(pilot)
        sent = quotes.get(quote_id)
        assert sent is not None and sent.status is QuoteStatus.SENT and sent.sent_at is not None
        (note,) = [t for t in system_touches(view.customer_id) if t.title == view.label]
        assert "sent with the quote e-mail" in note.text  # worded when read
        await pilot.press("escape")
        await settle(pilot)
        assert demo_app.screen is editor
        assert editor.view is not None and editor.view.status is QuoteStatus.SENT
        assert "[sent]" in _text(demo_app, "#quote-head")


async def test_undoing_the_quote_email_makes_the_quote_a_draft_again(demo_app) -> None:
    quote_id = _demo_draft_quote()
    async with demo_app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await _open_quote(pilot, quote_id)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert quotes.get(quote_id).status is QuoteStatus.SENT
        await pilot.press("u")
        await settle(pilot)
        undone = quotes.get(quote_id)
        assert undone.status is QuoteStatus.DRAFT and undone.sent_at is None


async def test_d_on_a_new_quote_saves_it_first(demo_app) -> None:
    async with demo_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "Q")  # a quote prefilled from the selected inquiry
        await settle(pilot)
        editor = demo_app.screen
        assert isinstance(editor, QuoteEditorScreen) and editor.view is None
        await pilot.press("d")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "DraftScreen"
        assert editor.view is not None and editor.view.status is QuoteStatus.DRAFT
        assert demo_app.screen.quote_id == editor.view.quote_id
        assert editor.view.label in demo_app.screen.text
