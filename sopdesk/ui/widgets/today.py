"""Pane 1: today's checklist — the morning routine and every follow-up due today or overdue."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.services import today as today_service
from sopdesk.services.views import TodayItem
from sopdesk.ui import text as safe
from sopdesk.ui.messages import CustomerSelected
from sopdesk.ui.widgets.table import SopTable


class TodayPane(Vertical):
    BINDINGS = [
        Binding(
            "space,x",
            "tick",
            _("Tick"),
            id="today.tick",
            tooltip=_("Tick the item off (again to untick)"),
        ),
        Binding(
            "enter", "open", _("Open"), id="today.open", tooltip=_("Open the customer of this item")
        ),
    ]

    def __init__(self, rep_zone: str, rep_id: int | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rep_zone = rep_zone
        self.rep_id = rep_id
        self.items: list[TodayItem] = []

    def compose(self) -> ComposeResult:
        table = SopTable(id="today-table")
        table.add_column(" ", key="done", width=3)
        table.add_column(_("Due"), key="due", width=14)
        table.add_column(_("What"), key="what")
        table.add_column(_("Customer"), key="customer", width=22)
        yield table
        yield Static(id="today-why", classes="pane-detail")

    def on_mount(self) -> None:
        self.border_title = _("1 Today")
        self.reload()

    @work(thread=True, exclusive=True, group="today")
    def reload(self) -> None:
        items = today_service.today_items(clock.now(), self.rep_zone, self.rep_id)
        self.app.call_from_thread(self.show, items)

    def _due_label(self, item: TodayItem) -> Text:
        if item.due_at is None:
            return Text(_("morning"), style="dim")
        local = item.due_at.in_timezone(self.rep_zone)
        if item.overdue:
            return Text(_("overdue {day}").format(day=local.format("ddd D MMM")), style="bold red")
        return Text(local.format("HH:mm"))

    def show(self, items: list[TodayItem]) -> None:
        table = self.query_one(SopTable)
        row = table.cursor_row
        self.items = items
        table.clear()
        for item in items:
            mark = Text("[x]" if item.done else "[ ]", style="green" if item.done else "")
            what = safe.cell(item.title, limit=80, style="dim strike" if item.done else "")
            table.add_row(
                mark, self._due_label(item), what, safe.cell(item.customer_name, 30), key=item.key
            )
        if items:
            table.move_cursor(row=min(row, len(items) - 1))
        open_count = sum(1 for i in items if not i.done)
        self.border_title = _("1 Today")
        self.border_subtitle = _("{open} open · {done} done").format(
            open=open_count, done=len(items) - open_count
        )
        self._show_why()

    def current(self) -> TodayItem | None:
        table = self.query_one(SopTable)
        if not self.items or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def _show_why(self) -> None:
        item = self.current()
        why = self.query_one("#today-why", Static)
        why.update(safe.content(item.why, single_line=True) if item else Content(""))

    @on(DataTable.RowHighlighted, "#today-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_why()
        item = self.current()
        if item is not None and item.customer_id is not None:
            self.post_message(CustomerSelected(item.customer_id))

    @on(DataTable.RowSelected, "#today-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        item = self.current()
        if item is not None and item.customer_id is not None:
            self.post_message(CustomerSelected(item.customer_id))
            self.screen.action_focus_pane("customer")  # type: ignore[attr-defined]

    def action_tick(self) -> None:
        item = self.current()
        if item is not None:
            self._tick(item.key)

    @work(thread=True, group="today-write")
    def _tick(self, key: str) -> None:
        done = today_service.toggle(key, clock.now(), self.rep_zone, self.rep_id)
        items = today_service.today_items(clock.now(), self.rep_zone, self.rep_id)
        self.app.call_from_thread(self.show, items)
        self.app.call_from_thread(
            self.notify, _("Ticked off") if done else _("Unticked"), markup=False, timeout=2
        )
