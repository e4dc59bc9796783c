"""Dialogs of the sales screens: a quote line, a product, an order milestone (the samples' are
in sample_dialogs.py), and the catalogue as picker choices.

Each is a ModalScreen returning its value with `dismiss()` (None when cancelled). They check what
the rep typed with the pure rules (sop/money, sop/quotes, the catalogue's `check`) and show the
reason under the form instead of closing; nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

import pendulum
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Static

from sopdesk import clock
from sopdesk.i18n import _, pgettext
from sopdesk.services import catalog
from sopdesk.services.quotes import LineDraft
from sopdesk.sop import money
from sopdesk.sop import quotes as quote_rules
from sopdesk.sop.orders import MILESTONE_TITLES, Milestone
from sopdesk.ui import text as safe
from sopdesk.ui.screens.pickers import Choice

_MOMENT = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?\s*")


def parse_moment(text: str, now: pendulum.DateTime, zone: str) -> pendulum.DateTime:
    """ "2026-11-20", "2026-11-20 14:30", "today", "now" in the rep's zone → UTC; ValueError."""
    cleaned = text.strip().lower()
    local = now.in_timezone(zone)
    if cleaned in ("", "now", "today", "今天", "现在"):
        return now
    if cleaned in ("yesterday", "昨天"):
        return local.subtract(days=1).in_timezone("UTC")
    match = _MOMENT.fullmatch(cleaned)
    if match is None:
        raise ValueError(_("write a date as 2026-11-20 (or 2026-11-20 14:30, today)"))
    year, month, day, hour, minute = match.groups()
    try:
        moment = pendulum.datetime(
            int(year), int(month), int(day), int(hour or 12), int(minute or 0), tz=zone
        )
    except ValueError as exc:
        raise ValueError(_("{text!r} is not a date").format(text=text)) from exc
    return moment.in_timezone("UTC")


def _decimal(text: str, what: str) -> Decimal:
    try:
        return money.to_decimal(text)
    except money.MoneyError:
        raise ValueError(
            _("{what}: {text!r} is not a number").format(what=what, text=text)
        ) from None


class _Form(ModalScreen):
    """A titled form; ctrl+s takes it, Esc cancels, a refused value shows its reason."""

    BINDINGS = [
        Binding(
            "ctrl+s",
            "take",
            _("Save"),
            id="sales_dialog.save",
            tooltip=_("Take what is in the form"),
            priority=True,
        ),
        Binding(
            "escape",
            "cancel",
            _("Cancel"),
            id="sales_dialog.cancel",
            tooltip=_("Close, keep nothing"),
        ),
    ]

    title_text = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="sales-dialog"):
            yield Static(safe.content(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="sales-form"):
                yield from self.fields()
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(_("ctrl+s saves · Esc cancels"), classes="dialog-hint")

    def fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        inputs = self.query(Input)
        if inputs:
            inputs.first().focus()

    def field(self, ident: str) -> str:
        return self.query_one(f"#{ident}", Input).value

    def refuse(self, message: str) -> None:
        self.query_one("#dialog-error", Static).update(safe.content(message))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_take(self) -> None:
        try:
            value = self.value()
        except (ValueError, catalog.CatalogError) as exc:
            self.refuse(str(exc))
            return
        self.dismiss(value)

    def value(self) -> object:  # pragma: no cover - every form overrides it
        raise NotImplementedError

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_take()


def _labelled(label: str, ident: str, value: str = "", placeholder: str = "") -> ComposeResult:
    yield Label(label, classes="form-label")
    yield Input(value=value, id=ident, placeholder=placeholder, classes="form-input")


def product_choices(rows: Iterable[catalog.ProductRow]) -> list[Choice[int]]:
    """Catalogue products for a FuzzyPicker: model and name, then MOQ and the best tier."""
    return [
        Choice(
            f"{row.sku}  {row.name}",
            _("MOQ {moq} {unit}").format(moq=row.moq, unit=row.unit)
            + (
                f" · {money.format_money(row.from_price.unit_price, row.from_price.currency)}+"
                if row.from_price
                else ""
            ),
            row.product_id,
        )
        for row in rows
    ]


# --- a quote line ----------------------------------------------------------------------------


class LineDialog(_Form):
    """Edit one line: description, quantity, unit, unit price (the tier price follows the
    quantity until the rep types a price of their own), photo."""

    def __init__(self, line: LineDraft, tiers: tuple[quote_rules.Tier, ...], currency: str) -> None:
        super().__init__()
        self.line = line
        self.tiers = tiers
        self.currency = currency
        self.title_text = _("Quote line {sku}").format(sku=line.sku or line.description[:40])

    def fields(self) -> ComposeResult:
        line = self.line
        yield from _labelled(_("Quantity"), "line-qty", self._qty(line.quantity))
        yield from _labelled(_("Unit"), "line-unit", line.unit)
        yield from _labelled(
            _("Unit price ({currency})").format(currency=self.currency),
            "line-price",
            str(line.unit_price),
        )
        yield Static(self._tier_hint(line.quantity), id="line-tier", classes="dialog-hint")
        yield from _labelled(_("Description"), "line-description", line.description)
        yield from _labelled(_("Photo (link or file)"), "line-photo", line.photo)

    @staticmethod
    def _qty(value: Decimal) -> str:
        normal = value.normalize()
        return str(int(normal)) if normal == normal.to_integral_value() else str(normal)

    def _tier(self, quantity: Decimal) -> quote_rules.TierPrice | None:
        return quote_rules.tier_price(
            [t for t in self.tiers if t.currency == self.currency], quantity
        )

    def _tier_hint(self, quantity: Decimal) -> str:
        found = self._tier(quantity)
        if found is None:
            return _("no price tier in {currency}: type the price").format(currency=self.currency)
        hint = _("tier {qty}+: {price}").format(
            qty=found.min_qty, price=money.format_money(found.unit_price, found.currency)
        )
        if found.below_moq:
            hint += " · " + _("below the MOQ")
        return hint

    @on(Input.Changed, "#line-qty")
    def _quantity_changed(self, event: Input.Changed) -> None:
        try:
            quantity = _decimal(event.value, _("quantity"))
        except ValueError:
            return
        old = self._tier(self.line.quantity)
        new = self._tier(quantity)
        price = self.query_one("#line-price", Input)
        if new is not None and (old is None or price.value.strip() == str(old.unit_price)):
            price.value = str(new.unit_price)
            self.line = replace(self.line, quantity=quantity)
        self.query_one("#line-tier", Static).update(self._tier_hint(quantity))

    def value(self) -> LineDraft:
        quantity = _decimal(self.field("line-qty"), _("quantity"))
        price = _decimal(self.field("line-price"), _("unit price"))
        if quantity <= 0:
            raise ValueError(_("the quantity must be above zero"))
        if price < 0:
            raise ValueError(_("a unit price cannot be negative"))
        description = self.field("line-description").strip()
        if not description:
            raise ValueError(_("every line needs a description"))
        found = self._tier(quantity)
        return replace(
            self.line,
            quantity=quantity,
            unit=self.field("line-unit").strip() or "pcs",
            unit_price=price,
            description=description,
            photo=self.field("line-photo").strip(),
            below_moq=bool(found and found.below_moq),
        )


# --- a product --------------------------------------------------------------------------------


class ProductDialog(_Form):
    """Every field of a product; the tiers as "100: 28.50; 500: 25.80" with their currency."""

    TEXT = (
        ("specs", _("Specifications")),
        ("material", _("Material")),
        ("process", _("Process")),
        ("certifications", _("Certifications")),
        ("packaging", _("Packaging")),
        ("selling_points", _("Selling points")),
        ("applications", _("Applications")),
        ("hs_code", _("HS code")),
    )

    def __init__(self, detail: catalog.ProductDetail) -> None:
        super().__init__()
        self.detail = detail
        self.title_text = (
            _("Product {sku}").format(sku=detail.sku) if detail.product_id else _("New product")
        )

    def fields(self) -> ComposeResult:
        d = self.detail
        currency = d.tiers[0].currency if d.tiers else "USD"
        yield from _labelled(_("Model / SKU"), "product-sku", d.sku)
        yield from _labelled(_("Name"), "product-name", d.name)
        for name, label in self.TEXT:
            yield from _labelled(label, f"product-{name}", getattr(d, name))
        yield from _labelled(_("MOQ"), "product-moq", str(d.moq or ""))
        yield from _labelled(_("Unit"), "product-unit", d.unit)
        yield from _labelled(_("Lead time (days)"), "product-lead", str(d.lead_time_days or ""))
        yield from _labelled(
            _("Price tiers"),
            "product-tiers",
            catalog.format_tiers(d.tiers),
            "100: 28.50; 500: 25.80",
        )
        yield from _labelled(_("Currency"), "product-currency", currency)
        yield from _labelled(
            _("Photos (links or files, separated by ;)"), "product-photos", "; ".join(d.photos)
        )

    def value(self) -> catalog.ProductDetail:
        def whole(ident: str, what: str) -> int:
            text = self.field(ident).strip()
            if not text:
                return 0
            if not text.isdigit():
                raise ValueError(_("{what} must be a whole number").format(what=what))
            return int(text)

        currency = self.field("product-currency").strip() or "USD"
        detail = catalog.ProductDetail(
            product_id=self.detail.product_id,
            sku=self.field("product-sku"),
            name=self.field("product-name"),
            moq=whole("product-moq", _("MOQ")),
            unit=self.field("product-unit"),
            lead_time_days=whole("product-lead", _("lead time")),
            photos=tuple(
                p.strip() for p in re.split(r"[;\n]", self.field("product-photos")) if p.strip()
            ),
            tiers=catalog.parse_tiers(self.field("product-tiers"), currency.upper()),
            **{name: self.field(f"product-{name}") for name, _label in self.TEXT},
        )
        return catalog.check(detail)


# --- an order milestone ----------------------------------------------------------------------

DETAIL_FIELDS: dict[Milestone, tuple[tuple[str, str], ...]] = {
    Milestone.DEPOSIT_RECEIVED: (("deposit_amount", _("Amount received")),),
    Milestone.INSPECTED: (
        ("inspected_by", _("Inspected by (customer, SGS, BV, our QC …)")),
        ("inspection_result", _("Result")),
    ),
    Milestone.SHIPPED: (
        ("vessel", _("Vessel or flight")),
        ("etd", _("ETD (2026-12-03)")),
        ("eta", _("ETA (2026-12-30)")),
        ("bl_number", _("B/L or AWB no.")),
    ),
    Milestone.FEEDBACK: (
        ("feedback_rating", _("Rating 1–5")),
        ("feedback_text", _("What the customer said")),
    ),
}
PRODUCTION_UPDATE = "production_update"


@dataclass(frozen=True)
class MilestoneInput:
    kind: str
    """A Milestone value, or "production_update"."""
    at: pendulum.DateTime | None
    details: dict[str, object]
    note: str
    links: tuple[str, ...]


class MilestoneDialog(_Form):
    """Date a milestone (empty clears it), with its details, a note and photo/video links."""

    def __init__(
        self, kind: str, rep_zone: str, current: datetime | None = None, deposit_due: str = ""
    ) -> None:
        super().__init__()
        self.kind = kind
        self.rep_zone = rep_zone
        self.current = current
        self.deposit_due = deposit_due
        if kind == PRODUCTION_UPDATE:
            self.title_text = _("Weekly production update")
        else:
            self.title_text = _(MILESTONE_TITLES[Milestone(kind)])

    def fields(self) -> ComposeResult:
        when = self.current or clock.now()
        text = pendulum.instance(when).in_timezone(self.rep_zone).format("YYYY-MM-DD HH:mm")
        yield from _labelled(_("Date (empty: not reached)"), "milestone-at", text)
        if self.kind != PRODUCTION_UPDATE:
            for name, label in DETAIL_FIELDS.get(Milestone(self.kind), ()):
                value = self.deposit_due if name == "deposit_amount" else ""
                yield from _labelled(label, f"milestone-{name}", value)
            if self.kind == Milestone.FEEDBACK.value:
                yield Checkbox(_("May be shown as a case"), id="milestone-case")
        yield from _labelled(_("Note"), "milestone-note")
        yield from _labelled(_("Photo / video links (separated by spaces)"), "milestone-links")

    def value(self) -> MilestoneInput:
        now = clock.now()
        text = self.field("milestone-at").strip()
        at = parse_moment(text, now, self.rep_zone) if text else None
        if self.kind == PRODUCTION_UPDATE and at is None:
            raise ValueError(_("a production update needs its date"))
        details: dict[str, object] = {}
        if self.kind != PRODUCTION_UPDATE:
            for name, _label in DETAIL_FIELDS.get(Milestone(self.kind), ()):
                raw = self.field(f"milestone-{name}").strip()
                if name in ("etd", "eta"):
                    details[name] = parse_moment(raw, now, self.rep_zone) if raw else None
                elif name == "feedback_rating":
                    if raw and not raw.isdigit():
                        raise ValueError(_("the rating is 1 to 5"))
                    details[name] = int(raw) if raw else None
                elif name == "deposit_amount":
                    details[name] = re.sub(r"^[A-Za-z]{3}\s*", "", raw) or None
                else:
                    details[name] = raw
            if self.kind == Milestone.FEEDBACK.value:
                details["case_permission"] = self.query_one("#milestone-case", Checkbox).value
        links = tuple(self.field("milestone-links").split())
        return MilestoneInput(self.kind, at, details, self.field("milestone-note").strip(), links)


# --- words for the sales states (labels.py has the customer's; these are the quote's and
# the order's) ---------------------------------------------------------------------------------

QUOTE_STATUS_WORDS = {
    "draft": _("draft"),
    "sent": pgettext("quote status", "sent"),
    "accepted": _("accepted"),
    "expired": _("expired"),
    "superseded": _("superseded"),
}
ORDER_STATUS_WORDS = {
    "awaiting_deposit": _("awaiting deposit"),
    "in_production": _("in production"),
    "inspected": _("inspected"),
    "shipped": _("shipped"),
    "arrived": _("arrived"),
    "completed": _("completed"),
}


def quote_status(value: str) -> str:
    return QUOTE_STATUS_WORDS.get(value, value)


def order_status(value: str) -> str:
    return ORDER_STATUS_WORDS.get(value, value)


__all__ = [
    "DETAIL_FIELDS",
    "PRODUCTION_UPDATE",
    "LineDialog",
    "MilestoneDialog",
    "MilestoneInput",
    "ProductDialog",
    "order_status",
    "parse_moment",
    "product_choices",
    "quote_status",
]
