"""One customer's samples (SOP 4.2): free with freight collect (their courier account) or paid
(refundable on the first order); courier, tracking; sent → delivered → feedback.

`S` on the customer pane opens it. Keys: `n` records a new sample, `s` marks the one under the
cursor sent (courier + tracking), `d` delivered, `f` records the customer's feedback; Esc goes
back. The playbook plans the feedback request from the sent/delivered dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pendulum
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Static

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.services import catalog, samples
from sopdesk.services.samples import SampleError, SampleInput, SampleView
from sopdesk.sop import money
from sopdesk.ui import text as safe
from sopdesk.ui.widgets.sales_dialogs import _Form, _labelled, parse_moment
from sopdesk.ui.widgets.table import SopTable


def _binding(key: str, action: str, label: str, ident: str, tooltip: str, **kw: Any) -> Binding:
    return Binding(key, action, label, id=f"samples.{ident}", tooltip=tooltip, **kw)


@dataclass(frozen=True)
class NewSample:
    sku: str
    paid: bool
    amount: Decimal | None
    currency: str
    freight_by: str
    courier: str
    courier_account: str
    note: str


@dataclass(frozen=True)
class Shipment:
    at: pendulum.DateTime
    courier: str
    tracking: str


@dataclass(frozen=True)
class Feedback:
    at: pendulum.DateTime
    text: str


class SampleDialog(_Form):
    """A new sample: free (freight collect on the customer's courier account) or paid."""

    def __init__(self) -> None:
        super().__init__()
        self.title_text = _("New sample")

    def fields(self) -> ComposeResult:
        yield from _labelled(_("Product model (SKU, may be empty)"), "sample-sku")
        yield Checkbox(_("Paid sample (refundable on the first order)"), id="sample-paid")
        yield from _labelled(_("Amount (paid samples)"), "sample-amount")
        yield from _labelled(_("Currency"), "sample-currency", "USD")
        yield Checkbox(_("We pay the freight"), id="sample-freight-us")
        yield from _labelled(_("Courier"), "sample-courier", placeholder="DHL, FedEx, UPS …")
        yield from _labelled(_("Customer's courier account"), "sample-account")
        yield from _labelled(_("What is sent (models, quantities)"), "sample-note")

    def value(self) -> NewSample:
        paid = self.query_one("#sample-paid", Checkbox).value
        freight_us = self.query_one("#sample-freight-us", Checkbox).value
        raw = self.field("sample-amount").strip()
        amount: Decimal | None = None
        if paid:
            if not raw:
                raise ValueError(_("a paid sample needs its amount"))
            try:
                amount = money.to_decimal(raw)
            except money.MoneyError:
                raise ValueError(_("{text!r} is not a number").format(text=raw)) from None
        account = self.field("sample-account").strip()
        if not paid and not freight_us and not account:
            raise ValueError(_("freight collect needs the customer's courier account"))
        return NewSample(
            sku=self.field("sample-sku").strip(),
            paid=paid,
            amount=amount,
            currency=self.field("sample-currency").strip() or "USD",
            freight_by="us" if freight_us else "customer",
            courier=self.field("sample-courier").strip(),
            courier_account=account,
            note=self.field("sample-note").strip(),
        )


class ShipmentDialog(_Form):
    def __init__(self, rep_zone: str, sample: SampleView) -> None:
        super().__init__()
        self.rep_zone = rep_zone
        self.sample = sample
        self.title_text = _("Sample sent")

    def fields(self) -> ComposeResult:
        now = clock.now().in_timezone(self.rep_zone).format("YYYY-MM-DD HH:mm")
        yield from _labelled(_("Sent on"), "ship-at", now)
        yield from _labelled(_("Courier"), "ship-courier", self.sample.courier)
        yield from _labelled(_("Tracking number"), "ship-tracking", self.sample.tracking)

    def value(self) -> Shipment:
        at = parse_moment(self.field("ship-at"), clock.now(), self.rep_zone)
        return Shipment(at, self.field("ship-courier").strip(), self.field("ship-tracking").strip())


class DeliveredDialog(_Form):
    def __init__(self, rep_zone: str) -> None:
        super().__init__()
        self.rep_zone = rep_zone
        self.title_text = _("Sample delivered")

    def fields(self) -> ComposeResult:
        now = clock.now().in_timezone(self.rep_zone).format("YYYY-MM-DD HH:mm")
        yield from _labelled(_("Delivered on"), "delivered-at", now)

    def value(self) -> pendulum.DateTime:
        return parse_moment(self.field("delivered-at"), clock.now(), self.rep_zone)


class FeedbackDialog(_Form):
    def __init__(self, rep_zone: str) -> None:
        super().__init__()
        self.rep_zone = rep_zone
        self.title_text = _("Sample feedback")

    def fields(self) -> ComposeResult:
        now = clock.now().in_timezone(self.rep_zone).format("YYYY-MM-DD HH:mm")
        yield from _labelled(_("What the customer said"), "feedback-text")
        yield from _labelled(_("On"), "feedback-at", now)

    def value(self) -> Feedback:
        text = self.field("feedback-text").strip()
        if not text:
            raise ValueError(_("write down what the customer said"))
        return Feedback(parse_moment(self.field("feedback-at"), clock.now(), self.rep_zone), text)


class SamplesScreen(Screen[bool]):
    """Returns True when something was recorded (the customer pane reloads)."""

    BINDINGS = [
        _binding("escape", "back", _("Back"), "back", _("Back to the workbench")),
        _binding("n", "new_sample", _("New"), "new", _("Record a new sample")),
        _binding("s", "mark_sent", _("Sent"), "sent", _("Mark the sample sent: courier, tracking")),
        _binding("d", "mark_delivered", _("Delivered"), "delivered", _("Mark it delivered")),
        _binding("f", "feedback", _("Feedback"), "feedback", _("Record the customer's feedback")),
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
        for label, key, width in (
            (_("Product"), "product", 22),
            (_("Terms"), "terms", 18),
            (_("Freight"), "freight", 14),
            (_("Courier"), "courier", 10),
            (_("Tracking"), "tracking", 18),
            (_("Sent"), "sent", 12),
            (_("Delivered"), "delivered", 12),
            (_("Feedback"), "feedback", 28),
        ):
            table.add_column(label, key=key, width=width)
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

    def _day(self, at: datetime | None) -> str:
        if at is None:
            return "—"
        return pendulum.instance(at).in_timezone(self.rep_zone).format("YYYY-MM-DD")

    def show(self, rows: list[SampleView]) -> None:
        self.rows = rows
        table = self.query_one(SopTable)
        cursor = table.cursor_row
        table.clear()
        for row in rows:
            if row.paid and row.amount is not None:
                terms = _("paid {amount}").format(
                    amount=money.format_money(row.amount, row.currency)
                )
                if row.refundable_on_order:
                    terms += " ↺"
            else:
                terms = _("free")
            freight = (
                _("collect {account}").format(account=row.courier_account).strip()
                if row.freight_by == "customer"
                else _("by us")
            )
            product = f"{row.sku} {row.product}".strip() or "—"
            table.add_row(
                safe.cell(product, 40),
                Text(terms),
                safe.cell(freight, 30),
                safe.cell(row.courier or "—", 20),
                safe.cell(row.tracking or "—", 40),
                Text(self._day(row.sent_at)),
                Text(self._day(row.delivered_at)),
                safe.cell(
                    f"{self._day(row.feedback_at)} {row.feedback}" if row.feedback_at else "—", 60
                ),
                key=str(row.sample_id),
            )
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
        head = _("Samples · {n}").format(n=len(rows))
        self.query_one("#samples-head", Static).update(Content(head))
        detail = self.query_one("#samples-detail", Static)
        if not rows:
            detail.update(Content(_("No samples yet. Record one with n.")))
        else:
            detail.update(Content(_("n new · s sent · d delivered · f feedback · refundable: ↺")))

    def _current(self) -> SampleView | None:
        if not self.rows:
            return None
        return self.rows[min(self.query_one(SopTable).cursor_row, len(self.rows) - 1)]

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def action_new_sample(self) -> None:
        self.app.push_screen(SampleDialog(), self._new_taken)

    def _new_taken(self, value: NewSample | None) -> None:
        if value is not None:
            self.save_new(value)

    def _fail(self, exc: Exception) -> None:
        self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)

    def _done(self, message: str) -> None:
        self.changed = True
        self.app.call_from_thread(self.notify, message, markup=False, timeout=3)
        self.app.call_from_thread(self.reload)

    @work(thread=True, group="samples-save")
    def save_new(self, value: NewSample) -> None:
        product_id: int | None = None
        if value.sku:
            found = catalog.by_sku(value.sku)
            if found is None:
                self._fail(SampleError(_("no product with model {sku}").format(sku=value.sku)))
                return
            product_id = found.product_id
        data = SampleInput(
            customer_id=self.customer_id,
            product_id=product_id,
            paid=value.paid,
            amount=value.amount,
            currency=value.currency,
            refundable_on_order=value.paid,
            freight_by=value.freight_by,
            courier=value.courier,
            courier_account=value.courier_account,
            note=value.note,
        )
        try:
            samples.record(data)
        except SampleError as exc:
            self._fail(exc)
            return
        self._done(_("Sample recorded"))

    def action_mark_sent(self) -> None:
        row = self._current()
        if row is None:
            return
        sample_id = row.sample_id

        def taken(got: Any) -> None:
            if got is not None:
                self.save_sent(sample_id, got)

        self.app.push_screen(ShipmentDialog(self.rep_zone, row), taken)

    @work(thread=True, group="samples-save")
    def save_sent(self, sample_id: int, got: Shipment) -> None:
        try:
            samples.mark_sent(sample_id, got.at, got.courier, got.tracking, rep_id=self.rep_id)
        except SampleError as exc:
            self._fail(exc)
            return
        self._done(_("Sample marked sent"))

    def action_mark_delivered(self) -> None:
        row = self._current()
        if row is None:
            return
        sample_id = row.sample_id

        def taken(at: Any) -> None:
            if at is not None:
                self.save_delivered(sample_id, at)

        self.app.push_screen(DeliveredDialog(self.rep_zone), taken)

    @work(thread=True, group="samples-save")
    def save_delivered(self, sample_id: int, at: pendulum.DateTime) -> None:
        try:
            samples.mark_delivered(sample_id, at)
        except SampleError as exc:
            self._fail(exc)
            return
        self._done(_("Sample marked delivered"))

    def action_feedback(self) -> None:
        row = self._current()
        if row is None:
            return
        sample_id = row.sample_id

        def taken(got: Any) -> None:
            if got is not None:
                self.save_feedback(sample_id, got)

        self.app.push_screen(FeedbackDialog(self.rep_zone), taken)

    @work(thread=True, group="samples-save")
    def save_feedback(self, sample_id: int, got: Feedback) -> None:
        try:
            samples.record_feedback(sample_id, got.text, got.at, rep_id=self.rep_id)
        except SampleError as exc:
            self._fail(exc)
            return
        self._done(_("Sample feedback recorded"))


__all__ = ["SamplesScreen"]
