"""Pane 2: the inbox — inquiries in SLA order, each with its reply clock."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from sopdesk import clock, labels
from sopdesk.i18n import _
from sopdesk.services import inbox as inbox_service
from sopdesk.services.views import InboxPage, InboxRow
from sopdesk.sop import geo
from sopdesk.sop.alibaba import AlibabaState
from sopdesk.sop.sla import ReplyState, format_duration
from sopdesk.ui import text as safe
from sopdesk.ui.messages import CustomerSelected, StoreChanged
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
    owner_scope: int | None = None
    """Whose inquiries: a rep's id (theirs and unassigned ones) or None for the team."""
    BINDINGS = [
        Binding(
            "enter,r",
            "reply",
            _("Reply"),
            id="inbox.reply",
            tooltip=_("Draft the reply with the template that fits"),
        ),
        Binding(
            "n",
            "new_inquiry",
            _("New inquiry"),
            id="inbox.new",
            tooltip=_("Paste a new inquiry from the platform"),
        ),
        Binding(
            "Q",
            "new_quote",
            _("Quote"),
            id="inbox.quote",
            tooltip=_("Quotation / PI prefilled from this inquiry"),
        ),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.page: InboxPage | None = None
        self.alerted: dict[int, ReplyState] = {}
        """The state each unanswered inquiry was last seen in: alerts fire on a crossing, once."""
        self.select_after_load: int | None = None
        self.keep_row_after_load = False
        """After a reply went out: stay on the same row, which is now the next inquiry."""

    def compose(self) -> ComposeResult:
        table = SopTable(id="inbox-table")
        table.add_column(_("Reply"), key="state", width=9)
        table.add_column(_("Waited"), key="age", width=6)
        table.add_column(_("Via"), key="channel", width=4)
        table.add_column(_("Customer"), key="customer", width=20)
        table.add_column(_("Subject"), key="subject")
        yield table
        yield Static(id="inbox-preview", classes="pane-detail preview")
        yield Static(id="inbox-empty", classes="empty-state")

    def on_mount(self) -> None:
        self.border_title = _("2 Inbox")
        self.reload()
        self.set_interval(TICK_SECONDS, self.tick)
        self.set_interval(RELOAD_SECONDS, self.reload)

    @work(thread=True, exclusive=True, group="inbox")
    def reload(self) -> None:
        page = inbox_service.inbox_page(clock.now(), owner_id=self.owner_scope)
        self.app.call_from_thread(self.show, page)

    def _state_cell(self, row: InboxRow) -> Text:
        now = clock.now()
        state = row.state(now)
        label = labels.reply_state(state, row.fresh_limit, row.due_limit)
        return Text(label, style=STATE_STYLE[state])

    def _age_cell(self, row: InboxRow) -> Text:
        waited = format_duration(row.waited(clock.now()))
        return Text(waited, justify="right", style="dim" if row.first_reply_at else "")

    def show(self, page: InboxPage) -> None:
        table = self.query_one(SopTable)
        keep = self.current()
        keep_id = self.select_after_load or (keep.inquiry_id if keep else None)
        keep_row = table.cursor_row if self.keep_row_after_load else None
        self.select_after_load = None
        self.keep_row_after_load = False
        self.page = page
        now = clock.now()
        for row in page.rows:
            if row.first_reply_at is None:
                self.alerted.setdefault(row.inquiry_id, row.state(now))
        table.clear()
        for row in page.rows:
            table.add_row(
                self._state_cell(row),
                self._age_cell(row),
                Text(labels.channel_short(row.channel)),
                safe.cell(f"{row.customer_code} {row.customer_name}", 40),
                safe.cell(row.subject, 120),
                key=str(row.inquiry_id),
            )
        if keep_row is not None and page.rows:
            table.move_cursor(row=min(keep_row, len(page.rows) - 1))
        elif keep_id is not None:
            index = next((i for i, r in enumerate(page.rows) if r.inquiry_id == keep_id), 0)
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
        now = clock.now()
        crossed_hour = False
        for row in self.page.rows:
            if row.first_reply_at is not None:
                continue
            key = str(row.inquiry_id)
            table.update_cell(key, "state", self._state_cell(row))
            table.update_cell(key, "age", self._age_cell(row))
            state = row.state(now)
            before = self.alerted.get(row.inquiry_id)
            if (
                before is not None
                and state != before
                and state in (ReplyState.DUE, ReplyState.LATE)
            ):
                self._alert(row, state)
                crossed_hour = crossed_hour or state is ReplyState.LATE
            self.alerted[row.inquiry_id] = state
        self._update_title()
        if crossed_hour:
            self.reload()  # a late inquiry moves to the late segment: re-sort now

    def _alert(self, row: InboxRow, state: ReplyState) -> None:
        who = safe.display(f"{row.customer_code} {row.customer_name}", single_line=True, limit=40)
        if state is ReplyState.DUE:
            message = _("{limit} without a reply: {who}").format(
                limit=labels.reply_limit(row.fresh_limit), who=who
            )
        else:
            message = _("Over {limit} without a reply: {who}").format(
                limit=labels.reply_limit(row.due_limit), who=who
            )
        self.app.bell()
        self.notify(
            message,
            severity="warning" if state is ReplyState.DUE else "error",
            markup=False,
            timeout=10,
        )

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
            self.load_preview(row.inquiry_id)

    @work(thread=True, exclusive=True, group="inbox-preview")
    def load_preview(self, inquiry_id: int) -> None:
        found = inbox_service.preview(inquiry_id, clock.now())
        if found is not None:
            self.app.call_from_thread(self.show_preview, found)

    def show_preview(self, found: inbox_service.InquiryPreview) -> None:
        now = clock.now()
        who = " · ".join(p for p in (found.buyer_name, found.company) if p)
        if found.customer_zone:
            local = geo.local_time(now, found.customer_zone, found.country)
            hours = _("business hours") if local.business_hours else _("after hours")
            where = f"{found.country} {local.at.format('ddd HH:mm')} ({hours})"
        else:
            where = found.country or _("country unknown")
        wants = " · ".join(p for p in (found.products, found.quantity, found.port) if p)
        verdict = found.alibaba
        deadline = verdict.deadline.in_timezone(self.screen.rep_zone).format("ddd HH:mm")  # type: ignore[attr-defined]
        alibaba = {
            AlibabaState.PENDING: _("Alibaba 24h: reply by {time}").format(time=deadline),
            AlibabaState.COUNTED: _("Alibaba 24h: counted"),
            AlibabaState.MISSED: _("Alibaba 24h: missed"),
        }[verdict.state]
        line1 = safe.display(f"{who} · {where}", single_line=True, limit=200)
        line2 = safe.display(wants or found.subject, single_line=True, limit=200)
        self.query_one("#inbox-preview", Static).update(
            Content.assemble(
                line1,
                "\n",
                (alibaba + "  ", "bold" if verdict.state is AlibabaState.PENDING else "dim"),
                line2,
            )
        )

    @on(DataTable.RowSelected, "#inbox-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_reply()

    def action_reply(self) -> None:
        row = self.current()
        if row is not None:
            self.screen.open_draft(row.inquiry_id)  # type: ignore[attr-defined]

    def action_new_inquiry(self) -> None:
        from sopdesk.ui.screens.new_inquiry import NewInquiryScreen, saved_message

        screen = self.screen

        def saved(result) -> None:
            if result is None:
                return
            self.notify(str(saved_message(result)), markup=False)
            self.select_after_load = result.inquiry_id
            self.post_message(StoreChanged())

        self.app.push_screen(
            NewInquiryScreen(screen.rep_zone, screen.rep_id),  # type: ignore[attr-defined]
            saved,
        )

    def action_new_quote(self) -> None:
        from sopdesk.ui.screens.quote_editor import QuoteEditorScreen

        row = self.current()
        if row is not None:
            screen = self.screen
            editor = QuoteEditorScreen(screen.rep_zone, screen.rep_id, inquiry_id=row.inquiry_id)  # type: ignore[attr-defined]
            self.app.push_screen(
                editor, lambda changed: changed and self.post_message(StoreChanged())
            )
