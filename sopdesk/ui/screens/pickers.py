"""Fuzzy pickers: another template (`t`) and a snippet to insert (`i`) on the draft screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from sopdesk.i18n import _
from sopdesk.ui import text as safe

T = TypeVar("T")


@dataclass(frozen=True)
class Choice(Generic[T]):
    label: str
    """Searched and shown (untrusted parts are made safe when shown)."""
    detail: str
    value: T


class FuzzyPicker(ModalScreen[T | None]):
    """Type to filter, arrows to move, Enter to take, Esc to leave."""

    BINDINGS = [
        Binding(
            "escape", "cancel", _("Cancel"), id="picker.cancel", tooltip=_("Close without choosing")
        ),
        Binding(
            "down",
            "move(1)",
            _("Down"),
            show=False,
            id="picker.down",
            tooltip=_("Next choice"),
            priority=True,
        ),
        Binding(
            "up",
            "move(-1)",
            _("Up"),
            show=False,
            id="picker.up",
            tooltip=_("Previous choice"),
            priority=True,
        ),
    ]

    def __init__(self, title: str, choices: list[Choice[T]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.shown: list[Choice[T]] = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog"):
            yield Static(safe.content(self.title_text), classes="dialog-title")
            yield Input(placeholder=_("type to filter"), id="picker-filter")
            yield OptionList(id="picker-options", markup=False)
            yield Static(_("Enter takes · Esc closes"), classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-filter", Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        if query.strip():
            matcher = Matcher(query)
            scored = [(matcher.match(f"{c.label} {c.detail}"), c) for c in self.choices]
            self.shown = [c for score, c in sorted(scored, key=lambda x: -x[0]) if score > 0]
        else:
            self.shown = list(self.choices)
        for choice in self.shown:
            label = safe.display(choice.label, single_line=True, limit=90)
            detail = safe.display(choice.detail, single_line=True, limit=90)
            options.add_option(Option(f"{label}\n  {detail}" if detail else label))
        if self.shown:
            options.highlighted = 0

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _take_highlighted(self) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is not None and self.shown:
            self.dismiss(self.shown[options.highlighted].value)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index].value)

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if not self.shown:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self.shown) - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
