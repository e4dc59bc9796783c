"""`n` in the inbox: a new inquiry pasted from the platform, saved and linked to its customer."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from sopdesk import clock, labels
from sopdesk.i18n import _
from sopdesk.services.capture import CaptureError, CaptureResult, InquiryInput, capture
from sopdesk.sop.intake import parse_received_time
from sopdesk.sop.stages import Channel
from sopdesk.ui import text as safe
from sopdesk.ui.screens.confirm import ConfirmScreen

FORM_CHANNELS = (
    Channel.SITE_INQUIRY,
    Channel.TRADEMANAGER,
    Channel.RFQ,
    Channel.EMAIL,
    Channel.WHATSAPP,
    Channel.OTHER,
)
TEXT_FIELDS = (
    ("buyer_name", "Buyer name", "Maria Gonzalez"),
    ("company", "Company", "Iluminación Andina S.A."),
    ("email", "E-mail", "maria@andina.example"),
    ("phone", "Phone / WhatsApp", "+56 9 1234 5678"),
    ("country", "Country", "CL, Chile, 智利"),
    ("products", "Product(s)", "LED high bay 150W"),
    ("quantity", "Quantity", "500 pcs"),
    ("port", "Destination port", "San Antonio"),
    ("subject", "Subject", ""),
)


class NewInquiryScreen(ModalScreen[CaptureResult | None]):
    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            _("Save"),
            id="new_inquiry.save",
            tooltip=_("Save the inquiry and link it to its customer"),
            priority=True,
        ),
        Binding(
            "escape",
            "cancel",
            _("Cancel"),
            id="new_inquiry.cancel",
            tooltip=_("Close without saving (asks when something was typed)"),
        ),
    ]

    def __init__(self, rep_zone: str, owner_id: int | None) -> None:
        super().__init__()
        self.rep_zone = rep_zone
        self.owner_id = owner_id

    def compose(self) -> ComposeResult:
        with Vertical(id="inquiry-dialog"):
            yield Static(_("New inquiry"), classes="dialog-title")
            with VerticalScroll(id="inquiry-form"):
                with Horizontal(classes="form-row"):
                    yield Label(_("Channel"), classes="form-label")
                    yield Select(
                        [(labels.channel(c), c) for c in FORM_CHANNELS],
                        value=Channel.SITE_INQUIRY,
                        allow_blank=False,
                        id="field-channel",
                    )
                with Horizontal(classes="form-row"):
                    yield Label(_("Received"), classes="form-label")
                    yield Input(
                        placeholder=_('now, 14:05, "10 min ago", 2026-11-26 09:30'),
                        id="field-received",
                    )
                for name, label, example in TEXT_FIELDS:
                    with Horizontal(classes="form-row"):
                        yield Label(_(label), classes="form-label")
                        yield Input(placeholder=example, id=f"field-{name}")
                yield Label(_("Message"), classes="form-label")
                yield TextArea(id="field-message", soft_wrap=True)
            yield Static(id="inquiry-error", classes="error")
            yield Static(
                _("ctrl+s saves · Esc cancels · Tab moves to the next field"), classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#field-buyer_name", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#field-{name}", Input).value.strip()

    def _typed_anything(self) -> bool:
        if self.query_one("#field-message", TextArea).text.strip():
            return True
        return any(self._value(name) for name, _label, _ex in TEXT_FIELDS)

    def _show_error(self, message: str, field: str | None = None) -> None:
        self.query_one("#inquiry-error", Static).update(safe.content(message))
        if field:
            widget = self.query(f"#field-{field}")
            if widget:
                widget.first().focus()

    def action_save(self) -> None:
        try:
            received = parse_received_time(self._value("received"), clock.now(), self.rep_zone)
        except ValueError as exc:
            self._show_error(_("Received: {error}").format(error=exc), "received")
            return
        channel = self.query_one("#field-channel", Select).value
        data = InquiryInput(
            channel=Channel(channel),
            received_at=received,
            buyer_name=self._value("buyer_name"),
            company=self._value("company"),
            email=self._value("email"),
            phone=self._value("phone"),
            country=self._value("country"),
            products=self._value("products"),
            quantity=self._value("quantity"),
            port=self._value("port"),
            subject=self._value("subject"),
            message=self.query_one("#field-message", TextArea).text,
        )
        self._save(data)

    @work(thread=True, exclusive=True, group="new-inquiry")
    def _save(self, data: InquiryInput) -> None:
        try:
            result = capture(data, owner_id=self.owner_id)
        except CaptureError as exc:
            self.app.call_from_thread(self._show_error, str(exc), exc.field)
            return
        self.app.call_from_thread(self.dismiss, result)

    def action_cancel(self) -> None:
        if not self._typed_anything():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(_("Discard this inquiry? What you typed is not saved."), _("Discard")),
            answered,
        )

    @on(Button.Pressed)
    def _buttons(self, event: Button.Pressed) -> None:
        if event.button.id == "inquiry-save":
            self.action_save()


def saved_message(result: CaptureResult) -> Content:
    if result.duplicate:
        return Content(_("Already in the inbox (same message) — nothing added."))
    if result.created_customer:
        return Content(_("Inquiry saved · new customer {code}").format(code=result.customer_code))
    return Content(_("Inquiry saved · linked to {code}").format(code=result.customer_code))
