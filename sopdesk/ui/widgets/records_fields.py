"""A customer field edited in place: its label, an Input with the stored text, and the reason when
the value is refused. Enter (or leaving the field) asks the screen to save it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from sopdesk.ui import text as safe


class FieldEditor(Horizontal):
    """One editable field. `value` is the text as stored; the Input shows it untouched (an Input
    shows plain text, never markup; control characters are made visible when it is filled)."""

    @dataclass
    class Edited(Message):
        editor: FieldEditor
        field: str
        value: str

    def __init__(self, field: str, label: str, value: str, hint: str = "") -> None:
        super().__init__(classes="record-field", id=f"field-{field}")
        self.field = field
        self.label = label
        self.value = value
        self.hint = hint

    def compose(self) -> ComposeResult:
        yield Static(Content(self.label), classes="record-label")
        yield Input(
            safe.display(self.value, single_line=True),
            placeholder=self.hint,
            classes="record-input",
        )
        yield Static(classes="record-error error")

    def set_value(self, value: str) -> None:
        self.value = value
        self.query_one(Input).value = safe.display(value, single_line=True)
        self.show_error("")

    def show_error(self, message: str) -> None:
        error = self.query_one(".record-error", Static)
        error.update(safe.content(message, single_line=True, limit=200))
        error.display = bool(message)
        self.set_class(bool(message), "invalid")

    def _changed(self) -> bool:
        return self.query_one(Input).value != safe.display(self.value, single_line=True)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._changed():
            self.post_message(self.Edited(self, self.field, event.value))

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        if self._changed():
            self.post_message(self.Edited(self, self.field, event.value))
