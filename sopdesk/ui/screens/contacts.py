"""`C` on a customer page: every contact, edit one, or make one the primary contact."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from sopdesk.i18n import N_, _
from sopdesk.services import records
from sopdesk.services.records import ContactView
from sopdesk.ui import text as safe
from sopdesk.ui.widgets.table import SopTable

FIELDS = (
    ("name", N_("Name")),
    ("role", N_("Role")),
    ("email", N_("E-mail")),
    ("phone", N_("Phone")),
    ("whatsapp", N_("WhatsApp")),
    ("wechat", N_("WeChat")),
)


class ContactsScreen(ModalScreen[bool]):
    """Returns True when a contact changed (the customer page reloads)."""

    BINDINGS = [
        Binding(
            "p",
            "make_primary",
            _("Primary"),
            id="contacts.primary",
            tooltip=_("Make the highlighted contact the primary one"),
        ),
        Binding(
            "ctrl+s",
            "save",
            _("Save"),
            id="contacts.save",
            tooltip=_("Save the contact being edited"),
            priority=True,
        ),
        Binding(
            "escape", "close", _("Close"), id="contacts.close", tooltip=_("Stop editing, or close")
        ),
    ]

    def __init__(self, customer_id: int, contacts: tuple[ContactView, ...]) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.contacts = list(contacts)
        self.editing: ContactView | None = None
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="contacts-dialog"):
            yield Static(_("Contacts — Enter edits, p makes primary"), classes="dialog-title")
            table = SopTable(id="contacts-table")
            table.add_column("", width=2)
            for _key, label in FIELDS:
                table.add_column(_(label))
            yield table
            with Vertical(id="contact-form"):
                for key, label in FIELDS:
                    with Horizontal(classes="form-row"):
                        yield Label(_(label), classes="form-label")
                        yield Input(id=f"contact-{key}")
            yield Static(id="contacts-error", classes="error")
            yield Static(_("ctrl+s saves · Esc closes"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#contact-form").display = False
        self._fill()
        self.query_one("#contacts-table").focus()

    def _fill(self) -> None:
        table = self.query_one("#contacts-table", SopTable)
        row = table.cursor_row
        table.clear()
        for contact in self.contacts:
            table.add_row(
                Text("★" if contact.is_primary else ""),
                *(safe.cell(getattr(contact, key), 40) for key, _label in FIELDS),
                key=str(contact.contact_id),
            )
        if self.contacts:
            table.move_cursor(row=min(row, len(self.contacts) - 1))

    def _current(self) -> ContactView | None:
        table = self.query_one("#contacts-table", SopTable)
        if not self.contacts:
            return None
        return self.contacts[min(table.cursor_row, len(self.contacts) - 1)]

    @on(DataTable.RowSelected, "#contacts-table")
    def _edit(self, event: DataTable.RowSelected) -> None:
        contact = self._current()
        if contact is None:
            return
        self.editing = contact
        for key, _label in FIELDS:
            self.query_one(f"#contact-{key}", Input).value = getattr(contact, key)
        self.query_one("#contact-form").display = True
        self.query_one("#contact-name", Input).focus()

    def action_save(self) -> None:
        if self.editing is None:
            return
        values = {key: self.query_one(f"#contact-{key}", Input).value for key, _label in FIELDS}
        self._save(self.editing.contact_id, values)

    @work(thread=True, exclusive=True, group="contacts-save")
    def _save(self, contact_id: int, values: dict[str, str]) -> None:
        try:
            saved = records.save_contact(self.customer_id, contact_id, values)
        except records.RecordError as exc:
            self.app.call_from_thread(self._error, str(exc))
            return
        self.app.call_from_thread(self._saved, saved)

    def _error(self, message: str) -> None:
        self.query_one("#contacts-error", Static).update(safe.content(message, single_line=True))

    def _saved(self, saved: ContactView) -> None:
        self.changed = True
        self.contacts = [saved if c.contact_id == saved.contact_id else c for c in self.contacts]
        self.editing = None
        self.query_one("#contact-form").display = False
        self.query_one("#contacts-error", Static).update("")
        self._fill()
        self.query_one("#contacts-table").focus()

    def action_make_primary(self) -> None:
        contact = self._current()
        if contact is not None and not contact.is_primary:
            self._primary(contact.contact_id)

    @work(thread=True, exclusive=True, group="contacts-save")
    def _primary(self, contact_id: int) -> None:
        records.set_primary_contact(self.customer_id, contact_id)
        self.app.call_from_thread(self._primary_set, contact_id)

    def _primary_set(self, contact_id: int) -> None:
        from dataclasses import replace

        self.changed = True
        self.contacts = [replace(c, is_primary=c.contact_id == contact_id) for c in self.contacts]
        self._fill()

    def action_close(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.query_one("#contact-form").display = False
            self.query_one("#contacts-table").focus()
            return
        self.dismiss(self.changed)
