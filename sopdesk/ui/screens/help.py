"""`?`: every binding of the current screen, with what it does."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from sopdesk.i18n import _
from sopdesk.ui.widgets.table import SopTable


def collect_bindings(screen: Screen) -> list[tuple[str, str, str, str]]:
    """(where, keys, description, tooltip) for the app, the screen and every widget on it."""
    seen: set[tuple[str, str]] = set()
    rows: list[tuple[str, str, str, str]] = []

    def add(where: str, node: DOMNode) -> None:
        for key, binding in node._bindings:
            if binding.system or not binding.description:
                continue
            ident = (binding.id or binding.action, key)
            if ident in seen:
                continue
            seen.add(ident)
            display = node.app.get_key_display(binding)
            rows.append((where, display, binding.description, binding.tooltip))

    add(_("Everywhere"), screen.app)
    add(_("This screen"), screen)
    for widget in screen.query("*"):
        if widget._bindings and type(widget).BINDINGS:
            where = widget.border_title or widget.id or type(widget).__name__
            add(Text.from_markup(where).plain if isinstance(where, str) else str(where), widget)
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding(
            "escape,q,question_mark",
            "dismiss",
            _("Close"),
            id="help.close",
            tooltip=_("Close the help"),
        ),
    ]

    def __init__(self, rows: list[tuple[str, str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(_("Keys on this screen"), classes="dialog-title")
            table = SopTable(id="help-table")
            table.add_column(_("Where"), width=18)
            table.add_column(_("Key"), width=14)
            table.add_column(_("Does"), width=22)
            table.add_column(_("Details"))
            for where, key, description, tooltip in self.rows:
                table.add_row(
                    Text(where),
                    Text(key, style="bold"),
                    Text(description),
                    Text(tooltip, style="dim"),
                )
            yield table
            yield Static(_("Esc closes · ctrl+p opens the command palette"), classes="dialog-hint")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
