"""One customer's samples (SOP 4.2): free with freight collect (their courier account) or paid
(an amount, refundable on the first order or not); courier, tracking; sent → delivered →
feedback.

`S` on the customer pane opens it. Keys: `n` records a new sample, `e` edits the one under the
cursor (the same form, filled in; the product from a catalogue picker), `s` marks it sent
(courier + tracking), `d` delivered, `f` records the customer's feedback; Esc goes back. The
line under the table spells out the sample under the cursor. The playbook plans the feedback
request from the sent/delivered dates.
"""

from __future__ import annotations

from datetime import datetime

import pendulum
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from sopdesk.i18n import N_, _, pgettext
from sopdesk.services import catalog, samples
from sopdesk.services.samples import SampleError, SampleInput, SampleState, SampleView
from sopdesk.sop import money
from sopdesk.ui import text as safe
from sopdesk.ui.bindings import binding_factory
from sopdesk.ui.screens.pickers import Choice
from sopdesk.ui.widgets.sales_dialogs import product_choices
from sopdesk.ui.widgets.sample_dialogs import SampleDialog, SampleStep, SampleStepDialog
from sopdesk.ui.widgets.table import SopTable

STATE_WORDS = {
    SampleState.PREPARING: N_("preparing"),
    SampleState.SENT: N_("sent"),
    SampleState.DELIVERED: N_("delivered"),
    SampleState.FEEDBACK: N_("feedback"),
}
STEP_DONE = {
    SampleState.SENT: N_("Sample marked sent"),
    SampleState.DELIVERED: N_("Sample marked delivered"),
    SampleState.FEEDBACK: N_("Sample feedback recorded"),
}


_binding = binding_factory("samples")


class SamplesScreen(Screen[bool]):
    """Returns True when something was recorded (the customer pane reloads)."""

    BINDINGS = [
        _binding("escape", "back", _("Back"), "back", _("Back to the workbench")),
        _binding("n", "new_sample", _("New"), "new", _("Record a new sample")),
        _binding(
            "e",
            "edit_sample",
            _("Edit"),
            "edit",
            _("Edit the sample: product, paid or free, refund, freight, courier"),
        ),
        _binding(
            "s",
            "step('sent')",
            pgettext("sample state", "Sent"),
            "sent",
            _("Mark the sample sent: courier, tracking"),
        ),
        _binding("d", "step('delivered')", _("Delivered"), "delivered", _("Mark it delivered")),
        _binding(
            "f", "step('feedback')", _("Feedback"), "feedback", _("Record the customer's feedback")
        ),
        _binding("ctrl+r", "reload", _("Reload"), "reload", _("Reload"), show=False),
    ]

    def __init__(self, customer_id: int, rep_zone: str, rep_id: int | None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.rep_zone = rep_zone
        self.rep_id = rep_id
        self.rows: list[SampleView] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Static(id="samples-head")
        table = SopTable(id="samples-table")
        table.add_sized_columns(
            (
                (_("Product"), "product", 24),
                (_("State"), "state", 20),
                (_("Terms"), "terms", 16),
                (_("Freight"), "freight", 14),
                (_("Courier, tracking"), "tracking", 18),
                (_("Feedback"), "feedback", 24),
            )
        )
        yield table
        yield Static(id="samples-detail", classes="pane-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#samples-head", Static).update(_("Loading …"))
        self.reload()
        self.query_one(SopTable).focus()

    @work(thread=True, exclusive=True, group="samples")
    def reload(self) -> None:
        rows = samples.for_customer(self.customer_id)
        self.app.call_from_thread(self.show, rows)

    # --- showing ---------------------------------------------------------------------------

    def _day(self, at: datetime | None) -> str:
        if at is None:
            return "—"
        return pendulum.instance(at).in_timezone(self.rep_zone).format("YYYY-MM-DD")

    def _state(self, row: SampleView) -> str:
        when = {
            SampleState.SENT: row.sent_at,
            SampleState.DELIVERED: row.delivered_at,
            SampleState.FEEDBACK: row.feedback_at,
        }.get(row.state)
        word = _(STATE_WORDS[row.state])
        return f"{word} {self._day(when)}" if when is not None else word

    @staticmethod
    def _terms(row: SampleView, long: bool = False) -> str:
        if not row.paid or row.amount is None:
            return _("free")
        amount = money.format_money(row.amount, row.currency)
        if long:
            refund = (
                _("refundable on the first order")
                if row.refundable_on_order
                else _("not refundable")
            )
            return _("paid {amount}, {refund}").format(amount=amount, refund=refund)
        return _("paid {amount}").format(amount=amount) + (" ↺" if row.refundable_on_order else "")

    @staticmethod
    def _freight(row: SampleView) -> str:
        if row.freight_by != "customer":
            return _("by us")
        return _("collect {account}").format(account=row.courier_account).strip()

    def show(self, rows: list[SampleView]) -> None:
        self.rows = rows
        table = self.query_one(SopTable)
        cursor = table.cursor_row
        table.clear()
        for row in rows:
            table.add_row(
                safe.cell(f"{row.sku} {row.product}".strip() or row.note or "—", 40),
                Text(self._state(row)),
                Text(self._terms(row)),
                safe.cell(self._freight(row), 30),
                safe.cell(f"{row.courier} {row.tracking}".strip() or "—", 40),
                safe.cell(row.feedback or "—", 60),
                key=str(row.sample_id),
            )
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
        head = _("Samples · {n}").format(n=len(rows))
        self.query_one("#samples-head", Static).update(Content(head))
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#samples-detail", Static)
        row = self._current()
        if row is None:
            detail.update(Content(_("No samples yet. Record one with n.")))
            return
        product = f"{row.sku} {row.product}".strip() or _("not a catalogue product")
        lines = [
            f"{product} · {self._state(row)} · {self._terms(row, long=True)}",
            _("Freight: {freight}").format(
                freight=_("collect on the customer's account {account}").format(
                    account=row.courier_account or "—"
                )
                if row.freight_by == "customer"
                else _("paid by us")
            )
            + (f" · {row.courier} {row.tracking}".rstrip() if row.courier or row.tracking else ""),
        ]
        if row.note:
            lines.append(_("Sent: {what}").format(what=row.note))
        if row.feedback:
            lines.append(_("Feedback: {text}").format(text=row.feedback))
        lines.append(_("n new · e edit · s sent · d delivered · f feedback"))
        detail.update(safe.content("\n".join(lines), limit=1200))

    @on(DataTable.RowHighlighted, "#samples-table")
    def _highlighted(self) -> None:
        self._show_detail()

    def _current(self) -> SampleView | None:
        if not self.rows:
            return None
        return self.rows[min(self.query_one(SopTable).cursor_row, len(self.rows) - 1)]

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.dismiss(self.changed)

    # --- the sample: new or edited ------------------------------------------------------------

    def action_new_sample(self) -> None:
        self.open_form(None)

    def action_edit_sample(self) -> None:
        row = self._current()
        if row is not None:
            self.open_form(row)

    @work(thread=True, exclusive=True, group="samples-form")
    def open_form(self, row: SampleView | None) -> None:
        page = catalog.list_products(limit=catalog.PAGE_SIZE)
        self.app.call_from_thread(self._push_form, row, product_choices(page.rows))

    def _push_form(self, row: SampleView | None, products: list[Choice[int]]) -> None:
        if row is None:
            base = SampleInput(customer_id=self.customer_id, product_id=None)
            dialog = SampleDialog(base, products)
        else:
            dialog = SampleDialog(
                row.to_input(),
                products,
                product=f"{row.sku}  {row.product}".strip() if row.product_id else "",
                title=_("Edit sample"),
            )

        def taken(value: SampleInput | None) -> None:
            if value is not None:
                self.save(row, value)

        self.app.push_screen(dialog, taken)

    def _fail(self, exc: Exception) -> None:
        self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False, timeout=8)

    def _done(self, message: str) -> None:
        self.changed = True
        self.app.call_from_thread(self.notify, message, markup=False, timeout=3)
        self.app.call_from_thread(self.reload)

    @work(thread=True, group="samples-save")
    def save(self, base: SampleView | None, value: SampleInput) -> None:
        try:
            if base is None:
                samples.record(value)
            else:
                samples.update(base, value, rep_id=self.rep_id)
        except SampleError as exc:
            self._fail(exc)
            return
        self._done(_("Sample recorded") if base is None else _("Sample saved"))

    # --- its steps ------------------------------------------------------------------------------

    def action_step(self, step: str) -> None:
        row = self._current()
        if row is None:
            return
        sample_id = row.sample_id

        def taken(got: SampleStep | None) -> None:
            if got is not None:
                self.save_step(sample_id, got)

        self.app.push_screen(SampleStepDialog(SampleState(step), self.rep_zone, row), taken)

    @work(thread=True, group="samples-save")
    def save_step(self, sample_id: int, got: SampleStep) -> None:
        try:
            if got.step is SampleState.SENT:
                samples.mark_sent(sample_id, got.at, got.courier, got.tracking, rep_id=self.rep_id)
            elif got.step is SampleState.DELIVERED:
                samples.mark_delivered(sample_id, got.at)
            else:
                samples.record_feedback(sample_id, got.feedback, got.at, rep_id=self.rep_id)
        except SampleError as exc:
            self._fail(exc)
            return
        self._done(_(STEP_DONE[got.step]))


__all__ = ["SamplesScreen"]
