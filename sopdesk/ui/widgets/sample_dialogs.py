"""The sample dialogs (SOP 4.2): a sample, new or edited, and its steps (sent, delivered,
feedback) in one dialog.

Like the other sales dialogs they check what the rep typed (`samples.check` is pure) and show
the reason under the form instead of closing, the field at fault focused; nothing here touches
the database — the screen hands in the catalogue to pick from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pendulum
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Label

from sopdesk import clock
from sopdesk.i18n import N_, _
from sopdesk.services import samples
from sopdesk.services.samples import SampleError, SampleInput, SampleState, SampleView
from sopdesk.sop import money
from sopdesk.ui import text as safe
from sopdesk.ui.screens.pickers import Choice, FuzzyPicker
from sopdesk.ui.widgets.sales_dialogs import _decimal, _Form, _labelled, parse_moment

NO_PRODUCT = 0
"""The picker's value for "not a catalogue product" (the note says what it is)."""
FIELD_WIDGETS = {
    "product_id": "sample-product",
    "amount": "sample-amount",
    "currency": "sample-currency",
    "courier_account": "sample-account",
    "courier": "sample-courier",
    "tracking": "sample-tracking",
    "note": "sample-note",
}
"""Which widget to focus when `samples.check` names a field."""


def product_label(sku: str, name: str) -> str:
    return f"{sku}  {name}".strip() or _("None: not in the catalogue (say what it is below)")


class SampleDialog(_Form):
    """A sample, new or edited: the product (picked from the catalogue), free with freight
    collect on the customer's courier account, or paid (an amount, refundable on the first order
    or not); courier and tracking; what is sent."""

    def __init__(
        self,
        base: SampleInput,
        products: list[Choice[int]],
        *,
        product: str = "",
        title: str = "",
    ) -> None:
        super().__init__()
        self.base = base
        self.products = products
        self.product_id = base.product_id
        self.product_text = product
        self.title_text = title or _("New sample")

    def fields(self) -> ComposeResult:
        base = self.base
        yield Label(_("Product (Enter picks from the catalogue)"), classes="form-label")
        yield Button(
            safe.content(product_label("", self.product_text), single_line=True, limit=70),
            id="sample-product",
            compact=True,
        )
        yield from _labelled(
            _("What is sent (models, quantities; a product not in the catalogue)"),
            "sample-note",
            base.note,
        )
        yield Checkbox(_("Paid sample"), base.paid, id="sample-paid", compact=True)
        with Vertical(id="sample-paid-terms"):
            with Horizontal(classes="form-row"):
                with Vertical(classes="form-col"):
                    yield from _labelled(_("Amount"), "sample-amount", self._amount_text())
                with Vertical(classes="form-col form-col-narrow"):
                    yield from _labelled(_("Currency"), "sample-currency", base.currency)
            yield Checkbox(
                _("Refundable on the first order"),
                base.refundable_on_order if base.paid else True,
                id="sample-refundable",
                compact=True,
            )
        yield Checkbox(
            _("We pay the freight (otherwise freight collect)"),
            base.freight_by == "us",
            id="sample-freight-us",
            compact=True,
        )
        with Vertical(id="sample-account-box"):
            yield from _labelled(
                _("Customer's courier account (freight collect)"),
                "sample-account",
                base.courier_account,
            )
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-col form-col-narrow"):
                yield from _labelled(_("Courier"), "sample-courier", base.courier, "DHL, FedEx …")
            with Vertical(classes="form-col"):
                yield from _labelled(_("Tracking number"), "sample-tracking", base.tracking)

    def _amount_text(self) -> str:
        """The stored amount in the currency's digits (80.00, not the column's 80.0000)."""
        amount = self.base.amount
        if amount is None:
            return ""
        try:
            return str(money.round_money(amount, self.base.currency))
        except money.MoneyError:
            return str(amount)

    def on_mount(self) -> None:
        self._show_terms()
        # After _Form's own on_mount, which focuses the first input.
        self.call_after_refresh(self.query_one("#sample-product", Button).focus)

    def _show_terms(self) -> None:
        """Paid: the amount and the refund; freight collect: the customer's account."""
        paid = self.query_one("#sample-paid", Checkbox).value
        self.query_one("#sample-paid-terms").display = paid
        collect = not self.query_one("#sample-freight-us", Checkbox).value
        self.query_one("#sample-account-box").display = collect

    @on(Checkbox.Changed)
    def _toggled(self) -> None:
        self._show_terms()

    # --- the product -----------------------------------------------------------------------

    @on(Button.Pressed, "#sample-product")
    def _pick_product(self) -> None:
        none = Choice(
            _("None: not in the catalogue"), _("say what it is under 'What is sent'"), NO_PRODUCT
        )
        self.app.push_screen(
            FuzzyPicker(_("Which product is the sample?"), [none, *self.products]),
            self._picked,
        )

    def _picked(self, value: int | None) -> None:
        if value is None:
            return
        if value == NO_PRODUCT:
            self.product_id, self.product_text = None, ""
        else:
            self.product_id = value
            chosen = next((c for c in self.products if c.value == value), None)
            self.product_text = chosen.label if chosen is not None else ""
        self.query_one("#sample-product", Button).label = safe.content(
            product_label("", self.product_text), single_line=True, limit=70
        )

    # --- taking it -------------------------------------------------------------------------

    def value(self) -> SampleInput:
        paid = self.query_one("#sample-paid", Checkbox).value
        raw = self.field("sample-amount").strip()
        amount: Decimal | None = None
        if paid and raw:
            try:
                amount = _decimal(raw, _("amount"))
            except ValueError as exc:
                raise SampleError(str(exc), "amount") from None
        data = SampleInput(
            customer_id=self.base.customer_id,
            product_id=self.product_id,
            paid=paid,
            amount=amount,
            currency=self.field("sample-currency").strip() or "USD",
            refundable_on_order=paid and self.query_one("#sample-refundable", Checkbox).value,
            freight_by="us" if self.query_one("#sample-freight-us", Checkbox).value else "customer",
            courier=self.field("sample-courier"),
            courier_account=self.field("sample-account"),
            tracking=self.field("sample-tracking"),
            note=self.field("sample-note"),
        )
        return samples.check(data)

    def action_take(self) -> None:
        try:
            value = self.value()
        except ValueError as exc:
            self.refuse(str(exc))
            ident = FIELD_WIDGETS.get(getattr(exc, "field", None) or "")
            if ident:
                self.query_one(f"#{ident}").focus()
            return
        self.dismiss(value)


# --- a step: sent, delivered, feedback -------------------------------------------------------

STEP_TITLES = {
    SampleState.SENT: N_("Sample sent"),
    SampleState.DELIVERED: N_("Sample delivered"),
    SampleState.FEEDBACK: N_("Sample feedback"),
}
STEP_DATES = {
    SampleState.SENT: N_("Sent on"),
    SampleState.DELIVERED: N_("Delivered on"),
    SampleState.FEEDBACK: N_("On"),
}


@dataclass(frozen=True)
class SampleStep:
    step: SampleState
    at: pendulum.DateTime
    courier: str = ""
    tracking: str = ""
    feedback: str = ""


class SampleStepDialog(_Form):
    """When the sample was sent (courier, tracking), delivered, or what the customer said."""

    def __init__(self, step: SampleState, rep_zone: str, sample: SampleView) -> None:
        super().__init__()
        self.step = step
        self.rep_zone = rep_zone
        self.sample = sample
        self.title_text = _(STEP_TITLES[step])

    def fields(self) -> ComposeResult:
        now = clock.now().in_timezone(self.rep_zone).format("YYYY-MM-DD HH:mm")
        if self.step is SampleState.FEEDBACK:
            yield from _labelled(_("What the customer said"), "step-feedback")
        yield from _labelled(_(STEP_DATES[self.step]), "step-at", now)
        if self.step is SampleState.SENT:
            yield from _labelled(_("Courier"), "step-courier", self.sample.courier)
            yield from _labelled(_("Tracking number"), "step-tracking", self.sample.tracking)

    def value(self) -> SampleStep:
        at = parse_moment(self.field("step-at"), clock.now(), self.rep_zone)
        if self.step is SampleState.FEEDBACK:
            text = self.field("step-feedback").strip()
            if not text:
                raise ValueError(_("write down what the customer said"))
            return SampleStep(self.step, at, feedback=text)
        if self.step is SampleState.SENT:
            courier = self.field("step-courier").strip()
            tracking = self.field("step-tracking").strip()
            return SampleStep(self.step, at, courier, tracking)
        return SampleStep(self.step, at)


__all__ = [
    "NO_PRODUCT",
    "SampleDialog",
    "SampleStep",
    "SampleStepDialog",
    "product_label",
]
