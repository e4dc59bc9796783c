"""A DataTable that moves like the rest of sopdesk: rows, arrows and j/k."""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding
from textual.widgets import DataTable

from sopdesk.i18n import _


class SopTable(DataTable):
    BINDINGS = [
        Binding("j", "cursor_down", _("Down"), show=False, id="table.down", tooltip=_("Next row")),
        Binding("k", "cursor_up", _("Up"), show=False, id="table.up", tooltip=_("Previous row")),
    ]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(*args, **kwargs)

    def add_sized_columns(self, columns: Iterable[tuple[str, str, int]]) -> None:
        """Add `(label, key, width)` columns in order."""
        for label, key, width in columns:
            self.add_column(label, key=key, width=width)
