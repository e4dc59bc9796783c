"""The quote editor (SOP 3.1): lines from the catalogue with tier prices, currency, Incoterm and
named port, payment terms, lead time, packing, validity, notes — the totals as you type — and
the PI rendered to PDF, XLSX and HTML.

Opened with `Q` on the customer pane (a new quote for that customer) or in the inbox (a quote
prefilled from the inquiry), or on an existing quote. Keys: in the lines table `a` adds a
product (fuzzy picker), Enter edits the line, `x` removes it; anywhere ctrl+s saves (a sent quote
is saved as a new revision), ctrl+o exports the PI, ctrl+t marks it sent, ctrl+g records the
buyer's acceptance, ctrl+l opens another quotation of the customer (to revise, send or export
it); `d` (outside the form's fields) saves when needed and opens the quote e-mail draft, the
quote summarised in its body — marking that e-mail sent marks the quote sent; Esc goes back
(asking first when there are unsaved changes).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.services import catalog, documents, quotes
from sopdesk.services.quotes import LineDraft, QuoteDraft, QuoteError, QuoteView
from sopdesk.sop import money
from sopdesk.sop import quotes as quote_rules
from sopdesk.sop.stages import Incoterm, QuoteStatus
from sopdesk.ui import text as safe
from sopdesk.ui.bindings import binding_factory
from sopdesk.ui.screens.confirm import ConfirmScreen
from sopdesk.ui.screens.pickers import Choice, FuzzyPicker
from sopdesk.ui.widgets.sales_dialogs import LineDialog, product_choices, quote_status
from sopdesk.ui.widgets.table import SopTable

CUSTOM = quote_rules.CUSTOM_PAYMENT
EXPORT_KINDS = ("pdf", "xlsx", "html")
NARROW_WIDTH = 100
"""Below this the form goes under the lines, which keep the full width for the amounts."""


_binding = binding_factory("quote_editor")


class LinesTable(SopTable):
    BINDINGS = [
        _binding("a", "screen.add_line", _("Add product"), "add", _("Add a catalogue product")),
        _binding("enter", "screen.edit_line", _("Edit line"), "edit", _("Quantity, price …")),
        _binding("x,delete", "screen.remove_line", _("Remove"), "remove", _("Remove the line")),
    ]


class QuoteEditorScreen(Screen[bool]):
    """Returns True when the quote was saved or moved (the screen below reloads)."""

    BINDINGS = [
        _binding("escape", "back", _("Back"), "back", _("Back (asks when unsaved)")),
        _binding(
            "ctrl+s",
            "save",
            _("Save"),
            "save",
            _("Save; a sent quote becomes a new revision"),
            priority=True,
        ),
        _binding(
            "d",
            "draft_email",
            _("Quote e-mail"),
            "draft_email",
            _("Save if needed and draft the quote e-mail (the quote in its body)"),
        ),
        _binding(
            "ctrl+o",
            "export",
            _("Export PI"),
            "export",
            _("Write the PI as PDF, XLSX, HTML"),
            priority=True,
        ),
        _binding(
            "ctrl+t",
            "send",
            _("Mark sent"),
            "send",
            _("Record that the quote went out"),
            priority=True,
        ),
        _binding(
            "ctrl+l",
            "open_quote",
            _("Open quote"),
            "open",
            _("Open another quotation of this customer (revise, send, export)"),
            priority=True,
        ),
        _binding(
            "ctrl+g",
            "accept",
            _("Accepted"),
            "accept",
            _("The buyer accepted the PI"),
            priority=True,
        ),
    ]

    def __init__(
        self,
        rep_zone: str,
        rep_id: int | None,
        *,
        customer_id: int | None = None,
        inquiry_id: int | None = None,
        quote_id: int | None = None,
    ) -> None:
        super().__init__()
        self.rep_zone = rep_zone
        self.rep_id = rep_id
        self.customer_id = customer_id
        self.inquiry_id = inquiry_id
        self.quote_id = quote_id
        self.view: QuoteView | None = None
        self.draft: QuoteDraft | None = None
        self.dirty = False
        self.changed = False
        self.tiers: dict[int, tuple[quote_rules.Tier, ...]] = {}
        self.saved: QuoteDraft | None = None
        """The draft as last loaded or saved: what "unsaved changes" compares with."""

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="quote-head")
        with Horizontal(id="quote-body"):
            with Vertical(id="quote-lines-pane"):
                table = LinesTable(id="quote-lines")
                table.add_sized_columns(
                    (
                        (_("No."), "no", 3),
                        (_("Model"), "sku", 10),
                        (_("Description"), "description", 20),
                        (_("Quantity"), "qty", 10),
                        (_("Unit price"), "price", 10),
                        (_("Amount"), "amount", 12),
                    )
                )
                yield table
                yield Static(id="quote-totals")
                yield Static(id="quote-message", classes="dialog-hint")
            with VerticalScroll(id="quote-form"):
                yield Label(_("Currency"), classes="form-label")
                yield Input(id="quote-currency", max_length=3, classes="form-input")
                yield Label(_("Trade term (Incoterms 2020)"), classes="form-label")
                yield Select(
                    [(Text(term.value), term.value) for term in quote_rules.INCOTERMS],
                    id="quote-incoterm",
                    allow_blank=False,
                    value=Incoterm.FOB.value,
                )
                yield Label(_("Named port or place"), id="quote-port-label", classes="form-label")
                yield Input(id="quote-port", classes="form-input")
                yield Label(_("Payment terms"), classes="form-label")
                yield Select(
                    [(Text(p.text), p.id) for p in quote_rules.PAYMENT_PRESETS]
                    + [(Text(_("Custom terms")), CUSTOM)],
                    id="quote-payment",
                    allow_blank=False,
                    value=quote_rules.PAYMENT_PRESETS[0].id,
                )
                yield Input(id="quote-payment-custom", placeholder=_("custom payment terms"),
                            classes="form-input")  # fmt: skip
                yield Label(_("Lead time"), classes="form-label")
                yield Input(id="quote-lead", placeholder=_("25 days after deposit"),
                            classes="form-input")  # fmt: skip
                yield Label(_("Packing"), classes="form-label")
                yield Input(id="quote-packing", classes="form-input")
                yield Label(_("Valid until"), classes="form-label")
                yield Input(id="quote-valid", placeholder="2026-12-31", classes="form-input")
                yield Label(_("Notes"), classes="form-label")
                yield Input(id="quote-notes", classes="form-input")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#quote-head", Static).update(_("Loading …"))
        self.load()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "narrow")

    # --- loading -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="quote-editor")
    def load(self) -> None:
        now = clock.now()
        try:
            if self.quote_id is not None:
                view = quotes.get(self.quote_id)
                if view is None:
                    raise QuoteError(_("that quote no longer exists"))
                draft = view.to_draft()
            elif self.inquiry_id is not None:
                view, draft = None, quotes.draft_for_inquiry(self.inquiry_id, now, self.rep_zone)
            elif self.customer_id is not None:
                view, draft = None, quotes.draft_for_customer(self.customer_id, now, self.rep_zone)
            else:
                raise QuoteError(_("a quote needs a customer"))
            products = catalog.products([ln.product_id for ln in draft.lines if ln.product_id])
        except QuoteError as exc:
            self.app.call_from_thread(self._message, str(exc), True)
            return
        tiers = {pid: detail.quote_tiers for pid, detail in products.items()}
        self.app.call_from_thread(self._loaded, view, draft, tiers)

    def _loaded(
        self,
        view: QuoteView | None,
        draft: QuoteDraft,
        tiers: dict[int, tuple[quote_rules.Tier, ...]],
    ) -> None:
        self.view = view
        self.draft = draft
        self.saved = draft if view is not None else None
        self.customer_id = draft.customer_id
        self.tiers.update(tiers)
        self._fill_form(draft)
        self._show_lines()
        self.dirty = view is None and bool(draft.lines)
        self._show_head()
        self.query_one(LinesTable).focus()

    def _fill_form(self, draft: QuoteDraft) -> None:
        self.query_one("#quote-currency", Input).value = draft.currency
        self.query_one("#quote-incoterm", Select).value = draft.incoterm.value
        self.query_one("#quote-port", Input).value = draft.port
        preset = quote_rules.preset_for(draft.payment_terms)
        self.query_one("#quote-payment", Select).value = preset.id if preset else CUSTOM
        custom = self.query_one("#quote-payment-custom", Input)
        custom.value = "" if preset else draft.payment_terms
        custom.display = preset is None
        self.query_one("#quote-lead", Input).value = draft.lead_time
        self.query_one("#quote-packing", Input).value = draft.packing
        valid = draft.valid_until.isoformat() if draft.valid_until else ""
        self.query_one("#quote-valid", Input).value = valid
        self.query_one("#quote-notes", Input).value = draft.notes
        self._update_port_label(draft.incoterm)

    # --- showing -----------------------------------------------------------------------------

    def _show_head(self) -> None:
        view = self.view
        if view is None:
            title = _("New quotation")
            status = _("not saved")
        else:
            title = _("Quotation {label}").format(label=view.label)
            status = quote_status(view.status.value)
        who = f"{view.customer_code} {view.customer_name}" if view else ""
        parts: list[Content | str | tuple[str, str]] = [
            (title, "bold $accent"),
            "  ",
            (f"[{status}]", "reverse"),
        ]
        if who:
            parts.extend(["  ", safe.display(who, single_line=True, limit=80)])
        if self.dirty:
            parts.extend(["  ", (_("unsaved changes"), "italic $warning")])
        self.query_one("#quote-head", Static).update(Content.assemble(*parts))

    def _show_lines(self) -> None:
        draft = self.draft
        if draft is None:
            return
        table = self.query_one(LinesTable)
        row = table.cursor_row
        table.clear()
        try:
            totals = draft.totals()
        except money.MoneyError as exc:
            self._message(str(exc), True)
            return
        for index, (line, amount) in enumerate(zip(draft.lines, totals.lines, strict=True)):
            qty = f"{LineDialog._qty(line.quantity)} {line.unit}"
            table.add_row(
                Text(str(index + 1), justify="right"),
                safe.cell(line.sku, 12),
                safe.cell(line.description, 60),
                Text(
                    safe.display(qty, single_line=True),
                    justify="right",
                    style="bold yellow" if line.below_moq else "",
                ),
                Text(money.format_unit_price(line.unit_price, draft.currency), justify="right"),
                Text(money.format_money(amount, draft.currency, with_code=False), justify="right"),
                key=str(index),
            )
        if draft.lines:
            table.move_cursor(row=min(row, len(draft.lines) - 1))
        below = any(line.below_moq for line in draft.lines)
        total = Content.assemble(
            (_("Total") + " ", "bold"),
            (f"{draft.incoterm.value} {draft.port}".strip() + ": ", ""),
            (money.format_money(totals.total, draft.currency), "bold $accent"),
            (f"   {len(draft.lines)} " + _("line(s)"), "dim"),
            ("   " + _("a quantity is below the MOQ") if below else "", "$warning"),
        )
        self.query_one("#quote-totals", Static).update(total)
        if not draft.lines:
            self._message(_("No lines yet: press a to add a product from the catalogue."))

    def _message(self, text: str, error: bool = False) -> None:
        widget = self.query_one("#quote-message", Static)
        widget.update(Content.styled(safe.display(text, limit=400), "$error" if error else "dim"))

    def _touch(self) -> None:
        """Unsaved changes: the form and the lines differ from the draft last loaded or saved."""
        if self.draft is None:
            return
        try:
            current = self._form_draft()
        except ValueError:
            dirty = True
        else:
            # a new quote has something to lose once it has a line
            dirty = bool(current.lines) if self.saved is None else current != self.saved
        if dirty != self.dirty:
            self.dirty = dirty
            self._show_head()

    # --- the form ----------------------------------------------------------------------------

    def _take_form(self) -> QuoteDraft | None:
        """The form's draft, kept as the current one; None (the reason shown) when a value is bad."""
        try:
            draft = self._form_draft()
        except ValueError as exc:
            self._message(str(exc), True)
            return None
        self.draft = draft
        return draft

    def _form_draft(self) -> QuoteDraft:
        """The draft with the form's values (ValueError naming a bad one)."""
        assert self.draft is not None
        currency = self.query_one("#quote-currency", Input).value
        try:
            currency = money.normalise_currency(currency)
        except money.MoneyError as exc:
            raise ValueError(str(exc)) from None
        payment = self.query_one("#quote-payment", Select).value
        if payment == CUSTOM:
            terms = self.query_one("#quote-payment-custom", Input).value.strip()
        else:
            terms = next(p.text for p in quote_rules.PAYMENT_PRESETS if p.id == payment)
        valid_text = self.query_one("#quote-valid", Input).value.strip()
        try:
            valid = date.fromisoformat(valid_text) if valid_text else None
        except ValueError:
            raise ValueError(_("write the validity date as 2026-12-31")) from None
        return replace(
            self.draft,
            currency=currency,
            incoterm=Incoterm(str(self.query_one("#quote-incoterm", Select).value)),
            port=self.query_one("#quote-port", Input).value,
            payment_terms=terms,
            lead_time=self.query_one("#quote-lead", Input).value,
            packing=self.query_one("#quote-packing", Input).value,
            valid_until=valid,
            notes=self.query_one("#quote-notes", Input).value,
        )

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if self.draft is None or event.input.id is None or not event.input.id.startswith("quote-"):
            return
        if event.input.id == "quote-currency":
            try:
                currency = money.normalise_currency(event.value)
            except money.MoneyError:
                return
            if currency != self.draft.currency:
                self.draft = quotes.reprice(replace(self.draft, currency=currency))
                self._show_lines()
        self._touch()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "quote-incoterm" and isinstance(event.value, str):
            self._update_port_label(Incoterm(event.value))
            if self.draft is not None and self.draft.incoterm.value != event.value:
                self.draft = replace(self.draft, incoterm=Incoterm(event.value))
                self._show_lines()
        if event.select.id == "quote-payment":
            custom = self.query_one("#quote-payment-custom", Input)
            custom.display = event.value == CUSTOM
        self._touch()

    def _update_port_label(self, incoterm: Incoterm) -> None:
        role = _(quote_rules.port_role(incoterm))
        self.query_one("#quote-port-label", Label).update(
            _("Named port or place ({role})").format(role=role)
        )

    # --- lines -------------------------------------------------------------------------------

    def action_add_line(self) -> None:
        self.pick_product()

    @work(thread=True, exclusive=True, group="quote-products")
    def pick_product(self) -> None:
        page = catalog.list_products(limit=catalog.PAGE_SIZE)
        self.app.call_from_thread(self._open_picker, product_choices(page.rows))

    def _open_picker(self, choices: list[Choice[int]]) -> None:
        if not choices:
            self._message(
                _("The catalogue is empty: add products with P or sopdesk import products.")
            )
            return
        self.app.push_screen(FuzzyPicker(_("Add a product"), choices), self._picked)

    def _picked(self, product_id: int | None) -> None:
        if product_id is not None:
            self.add_product(product_id)

    @work(thread=True, exclusive=True, group="quote-products")
    def add_product(self, product_id: int) -> None:
        detail = catalog.product(product_id)
        if detail is None or self.draft is None:
            return
        line = quotes.line_from_product(detail, None, self.draft.currency)
        self.app.call_from_thread(self._add_line, line, detail.quote_tiers)

    def _add_line(self, line: LineDraft, tiers: tuple[quote_rules.Tier, ...]) -> None:
        assert self.draft is not None
        if line.product_id is not None:
            self.tiers[line.product_id] = tiers
        self.draft = replace(self.draft, lines=(*self.draft.lines, line))
        self._touch()
        self._show_lines()
        table = self.query_one(LinesTable)
        table.move_cursor(row=len(self.draft.lines) - 1)
        table.focus()
        if line.unit_price == 0:
            self._message(_("No price tier in {currency}: press Enter to type the price.").format(
                currency=self.draft.currency))  # fmt: skip
        else:
            self._message(_("Added at the MOQ with its tier price; Enter changes the quantity."))

    def _current_index(self) -> int | None:
        table = self.query_one(LinesTable)
        if self.draft is None or not self.draft.lines:
            return None
        return min(table.cursor_row, len(self.draft.lines) - 1)

    def action_edit_line(self) -> None:
        index = self._current_index()
        if index is None or self.draft is None:
            return
        line = self.draft.lines[index]
        tiers = self.tiers.get(line.product_id, ()) if line.product_id is not None else ()

        def done(result: LineDraft | None) -> None:
            if result is None or self.draft is None:
                return
            lines = list(self.draft.lines)
            lines[index] = result
            self.draft = replace(self.draft, lines=tuple(lines))
            self._touch()
            self._show_lines()

        self.app.push_screen(LineDialog(line, tiers, self.draft.currency), done)

    def action_remove_line(self) -> None:
        index = self._current_index()
        if index is None or self.draft is None:
            return
        lines = list(self.draft.lines)
        lines.pop(index)
        self.draft = replace(self.draft, lines=tuple(lines))
        self._touch()
        self._show_lines()

    # --- saving and moving -------------------------------------------------------------------

    def action_save(self) -> None:
        if self.draft is None:
            return
        draft = self._take_form()
        if draft is not None:
            self.save(draft)

    @work(thread=True, exclusive=True, group="quote-editor")
    def save(self, draft: QuoteDraft, then_email: bool = False) -> None:
        view = self.view
        try:
            saved = quotes.save(
                draft,
                view.quote_id if view else None,
                rep_id=self.rep_id,
                expected_version=view.version if view else None,
                rep_zone=self.rep_zone,
            )
        except QuoteError as exc:
            self.app.call_from_thread(self._message, str(exc), True)
            return
        self.app.call_from_thread(self._saved, saved, view, then_email)

    def _saved(self, saved: QuoteView, before: QuoteView | None, then_email: bool = False) -> None:
        self.view = saved
        self.quote_id = saved.quote_id
        self.draft = saved.to_draft()
        self.saved = self.draft
        self.dirty = False
        self.changed = True
        self._show_head()
        self._show_lines()
        if before is not None and before.quote_id != saved.quote_id:
            message = _("Saved as {label}; {old} is kept, superseded.").format(
                label=saved.label, old=before.label
            )
        else:
            message = _("Saved {label}.").format(label=saved.label)
        self._message(message)
        self.notify(message, markup=False, timeout=3)
        if then_email:
            self.open_email(saved)

    def _needs_saved(self) -> bool:
        if self.view is None or self.dirty:
            self._message(_("Save first (ctrl+s)."), True)
            return False
        return True

    def action_send(self) -> None:
        if self._needs_saved():
            self.move("send")

    def action_accept(self) -> None:
        if self._needs_saved():
            self.move("accept")

    @work(thread=True, exclusive=True, group="quote-editor")
    def move(self, how: str) -> None:
        assert self.view is not None
        try:
            if how == "send":
                moved = quotes.send(self.view.quote_id, rep_id=self.rep_id, rep_zone=self.rep_zone)
            else:
                moved = quotes.accept(
                    self.view.quote_id, rep_id=self.rep_id, rep_zone=self.rep_zone
                )
        except QuoteError as exc:
            self.app.call_from_thread(self._message, str(exc), True)
            return
        self.app.call_from_thread(self._moved, moved)

    def _moved(self, view: QuoteView) -> None:
        self.view = view
        self.changed = True
        self._show_head()
        if view.status is QuoteStatus.SENT:
            text = _("Marked sent: the chat nudge, the follow-ups and the reminder before {day} "
                     "are planned.").format(day=view.valid_until or "—")  # fmt: skip
        else:
            text = _("Accepted: create the order with O on the customer pane.")
        self._message(text)
        self.notify(text, markup=False, timeout=4)

    # --- the quote e-mail -------------------------------------------------------------------

    def action_draft_email(self) -> None:
        """Save first when there is something to save, then the draft screen."""
        if self.draft is None:
            return
        if self.view is not None and not self.dirty:
            self.open_email(self.view)
            return
        draft = self._take_form()
        if draft is not None:
            self.save(draft, then_email=True)

    @work(thread=True, exclusive=True, group="quote-email")
    def open_email(self, view: QuoteView) -> None:
        if view.status not in quote_rules.OPEN_STATUSES:
            problem = _("Quotation {label} is {status}: save a revision (ctrl+s) to e-mail it.")
            self.app.call_from_thread(
                self._message,
                problem.format(label=view.label, status=quote_status(view.status.value)),
                True,
            )
            return
        inquiry_id = quotes.inquiry_for_email(view)
        if inquiry_id is None:
            self.app.call_from_thread(
                self._message,
                _("The customer has no inquiry to answer: record one first (n in the inbox)."),
                True,
            )
            return
        self.app.call_from_thread(self._push_email, view, inquiry_id)

    def _push_email(self, view: QuoteView, inquiry_id: int) -> None:
        from sopdesk.ui.screens.draft import DraftScreen

        def back(sent: object) -> None:
            if sent is not None:
                self.changed = True
                self._message(_("The quote e-mail is recorded as sent."))
            self.load()  # the state (sent, or a draft again after an undo) as stored

        self.app.push_screen(
            DraftScreen(
                inquiry_id,
                self.app.context.settings,  # type: ignore[attr-defined]
                self.rep_id,
                self.rep_zone,
                template_id=quotes.QUOTE_EMAIL_TEMPLATE,
                quote_id=view.quote_id,
            ),
            back,
        )

    # --- another quote of the customer ------------------------------------------------------

    def action_open_quote(self) -> None:
        if self.customer_id is not None:
            self.list_quotes(self.customer_id)

    @work(thread=True, exclusive=True, group="quote-list")
    def list_quotes(self, customer_id: int) -> None:
        found = quotes.for_customer(customer_id)
        choices = [
            Choice(
                f"{q.label}  {quote_status(q.status.value)}",
                money.format_money(q.total, q.currency)
                + (f" · {q.valid_until.isoformat()}" if q.valid_until else ""),
                q.quote_id,
            )
            for q in found
        ]
        self.app.call_from_thread(self._open_quote_picker, choices)

    def _open_quote_picker(self, choices: list[Choice[int]]) -> None:
        if not choices:
            self._message(_("This customer has no saved quotation yet."))
            return

        def picked(quote_id: int | None) -> None:
            if quote_id is None:
                return
            if self.dirty:
                self._message(_("Save or undo the changes first (ctrl+s)."), True)
                return
            self.quote_id = quote_id
            self.view = None
            self.load()

        self.app.push_screen(FuzzyPicker(_("Open which quotation?"), choices), picked)

    # --- export ------------------------------------------------------------------------------

    def action_export(self, force: bool = False) -> None:
        if self._needs_saved():
            self.export(force)

    @work(thread=True, exclusive=True, group="quote-export")
    def export(self, force: bool) -> None:
        assert self.view is not None
        settings = self.app.context.settings  # type: ignore[attr-defined]
        try:
            doc = documents.build(self.view.quote_id, settings, self.rep_zone)
            result = documents.export_to_dir(doc, EXPORT_KINDS, force=force)
        except documents.OutputPathError as exc:
            self.app.call_from_thread(self._ask_overwrite, str(exc))
            return
        except documents.DocumentError as exc:
            self.app.call_from_thread(self._message, str(exc), True)
            return
        self.app.call_from_thread(self._exported, result)

    def _ask_overwrite(self, problem: str) -> None:
        if "exists" not in problem:
            self._message(problem, True)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.export(True)

        self.app.push_screen(
            ConfirmScreen(_("The PI files exist already. Overwrite them?"), _("Overwrite")),
            answered,
        )

    def _exported(self, result: documents.ExportResult) -> None:
        folder = result.files[0].path.parent if result.files else documents.export_dir()
        names = ", ".join(f.path.name for f in result.files)
        text = _("PI written to {folder}: {names}").format(folder=folder, names=names)
        for warning in result.warnings:
            text += "\n" + warning
        self._message(text)
        self.notify(safe.display(text), markup=False, timeout=6)

    # --- leaving -----------------------------------------------------------------------------

    def action_back(self) -> None:
        if not self.dirty:
            self.dismiss(self.changed)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(self.changed)

        self.app.push_screen(
            ConfirmScreen(_("Leave without saving the changes?"), _("Discard")), answered
        )


__all__ = ["QuoteEditorScreen"]
