"""A customer's timeline: every inquiry, touch, quote, sample, order and stage change, newest
first, each with who and when (the rep's time and the customer's), its exact text one key away.
More items are fetched (keyset) when the cursor reaches the last one."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sopdesk import labels
from sopdesk.i18n import _
from sopdesk.services.records import Entry, TimelineItem
from sopdesk.sop.stages import Direction, Stage
from sopdesk.ui import text as safe

ARROW = {Direction.IN: "←", Direction.OUT: "→", Direction.NONE: "·"}


def kind_label(item: TimelineItem) -> str:
    if item.entry is Entry.ACTIVITY:
        return labels.activity(item.kind)
    if item.entry is Entry.INQUIRY:
        return labels.activity("inquiry")
    if item.entry is Entry.STAGE:
        return labels.activity("stage")
    return {Entry.QUOTE: _("quote"), Entry.SAMPLE: _("sample"), Entry.ORDER: _("order")}[item.entry]


def item_line(item: TimelineItem) -> str:
    """What the item is, in one line (customer text made safe by the caller)."""
    if item.entry is Entry.STAGE:
        before = labels.stage(Stage(item.title)) if item.title else "∅"
        return f"{before} → {labels.stage(Stage(item.kind))}" + (
            f" — {item.text}" if item.text else ""
        )
    if item.entry is Entry.SAMPLE:
        return f"{_('paid') if item.kind == 'paid' else _('free')} {item.title}".strip()
    summary = item.summary
    if item.amount is not None:
        summary = f"{summary} {item.amount}".strip()
    return summary


class TimelineList(OptionList):
    BINDINGS = [
        Binding(
            "j", "cursor_down", _("Down"), show=False, id="timeline.down", tooltip=_("Next item")
        ),
        Binding(
            "k", "cursor_up", _("Up"), show=False, id="timeline.up", tooltip=_("Previous item")
        ),
        Binding(
            "v,enter",
            "view",
            _("Exact text"),
            id="timeline.view",
            tooltip=_("Show the exact text of this item"),
        ),
    ]

    class MoreWanted(Message):
        """The cursor is on the last item and there are more."""

    @dataclass
    class ViewWanted(Message):
        item: TimelineItem

    def __init__(self, rep_zone: str, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.rep_zone = rep_zone
        self.customer_zone: str | None = None
        self.items: list[TimelineItem] = []
        self.has_more = False

    def _prompt(self, item: TimelineItem) -> Content:
        mine = item.at.in_timezone(self.rep_zone).format("YYYY-MM-DD HH:mm")
        theirs = ""
        if self.customer_zone and self.customer_zone != self.rep_zone:
            theirs = f" ({item.at.in_timezone(self.customer_zone).format('ddd HH:mm')})"
        who = f" {safe.display(item.by, single_line=True, limit=20)}" if item.by else ""
        return Content.assemble(
            (f"{mine}{theirs} ", "dim"),
            (f"{ARROW[item.direction]} {kind_label(item):<9}", "bold"),
            (who + " ", "italic"),
            safe.display(item_line(item), single_line=True, limit=160),
        )

    def show_items(self, items: list[TimelineItem], has_more: bool, append: bool = False) -> None:
        keep = self.highlighted if append else None
        if not append:
            self.items = []
            self.clear_options()
        self.items.extend(items)
        self.add_options(Option(self._prompt(i), id=i.key) for i in items)
        self.has_more = has_more
        if keep is not None:
            self.highlighted = keep
        elif self.items and self.highlighted is None:
            self.highlighted = 0

    def current(self) -> TimelineItem | None:
        if self.highlighted is None or self.highlighted >= len(self.items):
            return None
        return self.items[self.highlighted]

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        if self.has_more and event.option_index >= len(self.items) - 1:
            self.post_message(self.MoreWanted())

    def action_view(self) -> None:
        item = self.current()
        if item is not None:
            self.post_message(self.ViewWanted(item))
