"""Pane 2: the inbox — inquiries in SLA order, each with its reply clock."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from sopdesk import clock, labels
from sopdesk.i18n import _
from sopdesk.services import inbox as inbox_service
from sopdesk.services.views import InboxPage, InboxRow
from sopdesk.sop import geo
from sopdesk.sop.sla import ReplyState, format_duration
from sopdesk.ui import text as safe
from sopdesk.ui.messages import CustomerSelected
from sopdesk.ui.widgets.table import SopTable

STATE_STYLE = {
    ReplyState.FRESH: "bold black on green",
    ReplyState.DUE: "bold black on yellow",
    ReplyState.LATE: "bold white on red",
    ReplyState.ANSWERED: "dim",
}
TICK_SECONDS = 5
RELOAD_SECONDS = 30


class InboxPane(Vertical):
    BINDINGS = [
        Binding(
            "enter",
            "open",
            _("Open"),
            id="inbox.open",
            tooltip=_("Open the customer behind this inquiry"),
        ),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.page: InboxPage | None = None

    def compose(self) -> ComposeResult:
        table = SopTable(id="inbox-table")
        table.add_column(_("Reply"), key="state", width=10)
        table.add_column(_("Waited"), key="age", width=7)
        table.add_column(_("Channel"), key="channel", width=13)
        table.add_column(_("Customer"), key="customer", width=24)
        table.add_column(_("Local"), key="local", width=10)
        table.add_column(_("Subject"), key="subject")
        yield table
        yield Static(id="inbox-empty", classes="empty-state")

    def on_mount(self) -> None:
        self.border_title = _("2 Inbox")
        self.reload()
        self.set_interval(TICK_SECONDS, self.tick)
        self.set_interval(RELOAD_SECONDS, self.reload)

    @work(thread=True, exclusive=True, group="inbox")
    def reload(self) -> None:
        page = inbox_service.inbox_page(clock.now())
        self.app.call_from_thread(self.show, page)

    def _state_cell(self, row: InboxRow) -> Text:
        now = clock.now()
        state = row.state(now)
        return Text(f" {labels.reply_state(state)} ", style=STATE_STYLE[state])

    def _age_cell(self, row: InboxRow) -> Text:
        waited = format_duration(row.waited(clock.now()))
        return Text(waited, justify="right", style="dim" if row.first_reply_at else "")

    def _local_cell(self, row: InboxRow) -> Text:
        if not row.customer_zone:
            return Text(row.country or "—", style="dim")
        local = geo.local_time(clock.now(), row.customer_zone, row.country)
        style = "" if local.business_hours else "dim"
        return Text(f"{row.country} {local.clock}", style=style)

    def show(self, page: InboxPage) -> None:
        table = self.query_one(SopTable)
        keep = self.current()
        self.page = page
        table.clear()
        for row in page.rows:
            table.add_row(
                self._state_cell(row),
                self._age_cell(row),
                Text(labels.channel(row.channel)),
                safe.cell(f"{row.customer_code} {row.customer_name}", 40),
                self._local_cell(row),
                safe.cell(row.subject, 120),
                key=str(row.inquiry_id),
            )
        if keep is not None:
            index = next((i for i, r in enumerate(page.rows) if r.inquiry_id == keep.inquiry_id), 0)
            table.move_cursor(row=index)
        self._update_title()
        empty = self.query_one("#inbox-empty", Static)
        empty.display = not page.rows
        empty.update(
            _(
                "No inquiries yet. Paste the first one with n (new inquiry), or import a file:\n"
                "  sopdesk import inquiries FILE.eml|FILE.mbox|FILE.csv"
            )
        )

    def _update_title(self) -> None:
        page = self.page
        if page is None:
            return
        self.border_title = _("2 Inbox")
        if page.unanswered and page.oldest_unanswered_at is not None:
            oldest = format_duration(clock.now() - page.oldest_unanswered_at)
            self.border_subtitle = _("{n} unanswered · oldest {age}").format(
                n=page.unanswered, age=oldest
            )
        else:
            self.border_subtitle = _("all answered · {total} inquiries").format(total=page.total)

    def tick(self) -> None:
        """Move the clocks without a query: ages and states are computed from the rows held."""
        if self.page is None:
            return
        table = self.query_one(SopTable)
        for row in self.page.rows:
            if row.first_reply_at is not None:
                continue
            key = str(row.inquiry_id)
            table.update_cell(key, "state", self._state_cell(row))
            table.update_cell(key, "age", self._age_cell(row))
        self._update_title()

    def current(self) -> InboxRow | None:
        table = self.query_one(SopTable)
        if self.page is None or not self.page.rows or table.cursor_row >= len(self.page.rows):
            return None
        return self.page.rows[table.cursor_row]

    @on(DataTable.RowHighlighted, "#inbox-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.current()
        if row is not None:
            self.post_message(CustomerSelected(row.customer_id))

    @on(DataTable.RowSelected, "#inbox-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.current()
        if row is not None:
            self.post_message(CustomerSelected(row.customer_id))
            self.screen.action_focus_pane("customer")  # type: ignore[attr-defined]
