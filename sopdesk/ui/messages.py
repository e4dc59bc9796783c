"""Messages that travel up the widget tree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class CustomerSelected(Message):
    """The rep moved onto something that belongs to a customer; the customer pane follows."""

    customer_id: int | None


class StoreChanged(Message):
    """The store changed (our write, a teammate's, an import): panes reload their window."""
