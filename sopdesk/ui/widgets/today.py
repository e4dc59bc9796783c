"""Pane 1: Today — the rep's queue for the day, in the SOP's order, one key per step.

Inquiries past or near their reply target, follow-ups overdue (carried over, "overdue since
Tue"), follow-ups due today, the morning routine, stale deals, new customers whose background
check is not done. Space ticks (with the time), z snoozes, s skips with a reason, Enter jumps to
where the item is done, and . walks to the next item still to do.
"""

from __future__ import annotations

import time

import pendulum
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from sopdesk import clock
from sopdesk.i18n import N_, _
from sopdesk.services import today as today_service
from sopdesk.services.views import TodayItem
from sopdesk.sop import playbook
from sopdesk.sop.sla import format_duration
from sopdesk.ui import text as safe
from sopdesk.ui.messages import CustomerSelected, StoreChanged
from sopdesk.ui.widgets.table import SopTable

RELOAD_SECONDS = 60
"""The queue is re-read every minute (clocks and due times move)…"""
REFRESH_SECONDS = 300
"""…and the cadence engine re-run every five minutes (or at once after any change)."""
SECTION_LABELS = {
    "inquiry": N_("Reply"),
    "overdue": N_("Overdue"),
    "today": N_("Today"),
    "routine": N_("Routine"),
    "stale": N_("Stale"),
    "background": N_("Check"),
}
SECTION_STYLES = {
    "inquiry": "bold",
    "overdue": "bold red",
    "today": "",
    "routine": "dim",
    "stale": "yellow",
    "background": "cyan",
}


class TodayPane(Vertical):
    owner_scope: int | None = None
    """Whose inquiries and follow-ups: a rep's id (theirs and unassigned) or None for the team."""
    BINDINGS = [
        Binding(
            "space,x",
            "tick",
            _("Tick"),
            id="today.tick",
            tooltip=_("Tick the item off, with the time (again to untick)"),
        ),
        Binding(
            "enter",
            "open",
            _("Open"),
            id="today.open",
            tooltip=_("Go where the item is done: the inquiry, the customer, the background check"),
        ),
        Binding(
            "z",
            "snooze",
            _("Snooze"),
            id="today.snooze",
            tooltip=_("Bring the follow-up back later: in an hour, tomorrow or on a date"),
        ),
        Binding(
            "s",
            "skip",
            _("Skip"),
            id="today.skip",
            tooltip=_("Close the follow-up without doing it, with a reason"),
        ),
        Binding(
            "full_stop",
            "next",
            _("Next"),
            id="today.next",
            tooltip=_("Walk to the next item still to do"),
        ),
    ]

    def __init__(self, rep_zone: str, rep_id: int | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rep_zone = rep_zone
        self.rep_id = rep_id
        self.items: list[TodayItem] = []
        self._refreshed_at = 0.0
        self._follow_key: str | None = None
        """After a tick the cursor goes to this item (the next one to do)."""

    def compose(self) -> ComposeResult:
        table = SopTable(id="today-table")
        table.add_column(" ", key="done", width=3)
        table.add_column(_("Queue"), key="section", width=8)
        table.add_column(_("Due"), key="due", width=17)
        table.add_column(_("Customer"), key="customer", width=18)
        table.add_column(_("What"), key="what")
        yield table
        yield Static(id="today-why", classes="pane-detail")

    def on_mount(self) -> None:
        self.border_title = _("1 Today")
        self.reload()
        self.set_interval(RELOAD_SECONDS, self._tick_clock)
        warning = playbook.effective_loaded().warning
        if warning:
            self.notify(warning, severity="warning", timeout=30, markup=False)

    def _tick_clock(self) -> None:
        due = time.monotonic() - self._refreshed_at >= REFRESH_SECONDS
        self.reload(refresh=due)

    def _rfq_quota(self) -> int:
        context = getattr(self.app, "context", None)
        return context.settings.rfq_monthly_quota if context is not None else 20

    @work(thread=True, exclusive=True, group="today")
    def reload(self, refresh: bool = True) -> None:
        """Read the queue; with `refresh` (the default: mount, any change) run the engine first."""
        if refresh:
            self._refreshed_at = time.monotonic()
        items = today_service.today_items(
            clock.now(),
            self.rep_zone,
            self.rep_id,
            refresh,
            rfq_quota=self._rfq_quota(),
            owner_id=self.owner_scope,
            settings=getattr(getattr(self.app, "context", None), "settings", None),
        )
        self.app.call_from_thread(self.show, items)

    # -- drawing --------------------------------------------------------------------------------

    def _due_label(self, item: TodayItem) -> Text:
        if item.due_at is None:
            return Text(_("morning"), style="dim")
        now = clock.now()
        local = item.due_at.in_timezone(self.rep_zone)
        if item.section == "inquiry" and not item.done:
            if item.overdue:
                late = format_duration(now - item.due_at)
                return Text(_("late {late}").format(late=late), style="bold red")
            return Text(_("by {time}").format(time=local.format("HH:mm")), style="bold")
        if item.overdue:
            days = (now.in_timezone(self.rep_zone).date() - local.date()).days
            day = local.format("ddd") if days < 7 else local.format("D MMM")
            return Text(_("overdue since {day}").format(day=day), style="bold red")
        if item.snoozed_until is not None and item.snoozed_until == item.due_at:
            return Text(_("{time} snoozed").format(time=local.format("HH:mm")), style="italic")
        return Text(local.format("HH:mm"))

    def show(self, items: list[TodayItem]) -> None:
        table = self.query_one(SopTable)
        keep = self._follow_key or (self.current().key if self.current() else None)
        self._follow_key = None
        row = table.cursor_row
        self.items = items
        table.clear()
        for item in items:
            mark = Text("[x]" if item.done else "[ ]", style="green" if item.done else "")
            section = Text(
                _(SECTION_LABELS.get(item.section, item.section)),
                style="dim" if item.done else SECTION_STYLES.get(item.section, ""),
            )
            what = safe.cell(item.title, limit=80, style="dim strike" if item.done else "")
            table.add_row(
                mark,
                section,
                self._due_label(item),
                safe.cell(item.customer_name, 18),
                what,
                key=item.key,
            )
        if items:
            keys = [i.key for i in items]
            target = keys.index(keep) if keep in keys else min(row, len(items) - 1)
            table.move_cursor(row=target)
        open_count = sum(1 for i in items if not i.done)
        overdue = sum(1 for i in items if i.overdue)
        self.border_title = _("1 Today")
        subtitle = _("{open} open · {done} done").format(
            open=open_count, done=len(items) - open_count
        )
        if overdue:
            subtitle += " · " + _("{n} overdue").format(n=overdue)
        self.border_subtitle = subtitle
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

    # -- actions --------------------------------------------------------------------------------

    def action_open(self) -> None:
        item = self.current()
        if item is None:
            return
        screen = self.screen
        if item.section == "inquiry" and item.inquiry_id is not None:
            if not item.done and hasattr(screen, "open_draft"):
                screen.open_draft(item.inquiry_id)
            else:
                self._open_inquiry(item.inquiry_id)
            return
        if item.section == "background" and item.customer_id is not None:
            from sopdesk.ui.screens.background import BackgroundScreen

            def saved(changed: bool | None) -> None:
                if changed:
                    self.post_message(StoreChanged())

            self.app.push_screen(BackgroundScreen(item.customer_id, self.rep_id), saved)
            return
        if item.customer_id is not None:
            self.post_message(CustomerSelected(item.customer_id))
            screen.action_focus_pane("customer")  # type: ignore[attr-defined]
            return
        report_tab = {"routine:store_data": "morning", "routine:zero_effect": "products"}
        if item.key in report_tab and hasattr(screen, "action_open_reports"):
            screen.action_open_reports(report_tab[item.key])
            return
        self.notify(item.why or item.title, title=item.title, markup=False, timeout=6)

    def _open_inquiry(self, inquiry_id: int) -> None:
        """The inquiry in the inbox, highlighted (an answered one: its reply is there)."""
        from sopdesk.ui.widgets.inbox import InboxPane

        screen = self.screen
        inbox = screen.query_one(InboxPane)
        rows = inbox.page.rows if inbox.page is not None else ()
        index = next((i for i, r in enumerate(rows) if r.inquiry_id == inquiry_id), None)
        screen.action_focus_pane("inbox")  # type: ignore[attr-defined]
        if index is not None:
            inbox.query_one(SopTable).move_cursor(row=index)

    def action_next(self) -> None:
        table = self.query_one(SopTable)
        if not self.items:
            return
        index = today_service.next_open_index(self.items, table.cursor_row)
        if index is None:
            self.notify(_("Everything on today's list is done."), markup=False, timeout=3)
            return
        table.move_cursor(row=index)

    def action_tick(self) -> None:
        item = self.current()
        if item is None:
            return
        if item.done and item.section == "inquiry":
            self.notify(
                _("This inquiry is answered; a recorded reply stays recorded."),
                markup=False,
                timeout=3,
            )
            return
        if not item.done:
            index = today_service.next_open_index(self.items, self.items.index(item))
            follow = self.items[index] if index is not None else None
            self._follow_key = follow.key if follow is not None and follow is not item else None
        self._tick(item.key)

    @work(thread=True, group="today-write")
    def _tick(self, key: str) -> None:
        try:
            done = today_service.toggle(key, clock.now(), self.rep_zone, self.rep_id)
        except today_service.NotApplicableError as exc:
            self.app.call_from_thread(self.notify, str(exc), markup=False, timeout=4)
            return
        at = clock.now().in_timezone(self.rep_zone).format("HH:mm")
        message = _("Ticked off at {time}").format(time=at) if done else _("Unticked")
        self.app.call_from_thread(self.notify, message, markup=False, timeout=2)
        if key.startswith("inquiry:"):
            # A reply changes the inbox and the customer too.
            self.app.call_from_thread(self.post_message, StoreChanged())
            return
        items = today_service.today_items(
            clock.now(), self.rep_zone, self.rep_id, refresh=False, rfq_quota=self._rfq_quota()
        )
        self.app.call_from_thread(self.show, items)

    def _task_or_explain(self) -> TodayItem | None:
        item = self.current()
        if item is None:
            return None
        if not item.is_task:
            if item.section == "inquiry":
                message = _("The reply clock keeps running: answer it, or tick it if answered.")
            else:
                message = _("The morning routine is ticked, not snoozed or skipped.")
            self.notify(message, markup=False, timeout=4)
            return None
        if item.done:
            self.notify(_("That one is done already."), markup=False, timeout=3)
            return None
        return item

    def action_snooze(self) -> None:
        item = self._task_or_explain()
        if item is None:
            return
        from sopdesk.ui.screens.today_dialogs import SnoozeScreen

        def chosen(until: pendulum.DateTime | None) -> None:
            if until is not None:
                self._snooze(item.key, until)

        self.app.push_screen(SnoozeScreen(item.title, self.rep_zone), chosen)

    @work(thread=True, group="today-write")
    def _snooze(self, key: str, until: pendulum.DateTime) -> None:
        try:
            at = today_service.snooze(key, until, clock.now())
        except (today_service.NotApplicableError, ValueError) as exc:
            self.app.call_from_thread(self.notify, str(exc), markup=False, timeout=4)
            return
        when = at.in_timezone(self.rep_zone).format("ddd D MMM HH:mm")
        self.app.call_from_thread(
            self.notify, _("Snoozed until {when}").format(when=when), markup=False, timeout=3
        )
        items = today_service.today_items(
            clock.now(), self.rep_zone, self.rep_id, refresh=False, rfq_quota=self._rfq_quota()
        )
        self.app.call_from_thread(self.show, items)

    def action_skip(self) -> None:
        item = self._task_or_explain()
        if item is None:
            return
        from sopdesk.ui.screens.today_dialogs import SkipScreen

        def chosen(reason: str | None) -> None:
            if reason:
                self._skip(item.key, reason)

        self.app.push_screen(SkipScreen(item.title), chosen)

    @work(thread=True, group="today-write")
    def _skip(self, key: str, reason: str) -> None:
        try:
            today_service.skip(key, reason, clock.now())
        except (today_service.NotApplicableError, ValueError) as exc:
            self.app.call_from_thread(self.notify, str(exc), markup=False, timeout=4)
            return
        self.app.call_from_thread(self.notify, _("Skipped"), markup=False, timeout=2)
        items = today_service.today_items(
            clock.now(), self.rep_zone, self.rep_id, refresh=False, rfq_quota=self._rfq_quota()
        )
        self.app.call_from_thread(self.show, items)
