"""The two meetings on screen: the morning meeting and the weekly review, as stacked sections."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from sopdesk import labels
from sopdesk.i18n import _
from sopdesk.services.meetings import MorningMeeting, WeeklyReview
from sopdesk.ui import text as safe
from sopdesk.ui.messages import CustomerSelected
from sopdesk.ui.widgets.reports_format import DASH, duration, money, number
from sopdesk.ui.widgets.reports_kpi import KpiTable
from sopdesk.ui.widgets.store_data import StoreDataView
from sopdesk.ui.widgets.table import SopTable


def _heading(text: str) -> Static:
    return Static(Content(text), classes="report-heading")


def _none_row(table: SopTable, text: str) -> None:
    """An empty list says so, rather than showing bare column headers."""
    if table.row_count == 0:
        cells = [Text(text, style="dim")] + [Text("") for _c in range(len(table.columns) - 1)]
        table.add_row(*cells, key="none")


class _Sections(VerticalScroll):
    """Rows keyed "customer:<id>:<n>": Enter opens that customer in the workbench."""

    DEFAULT_CSS = """
    _Sections SopTable { height: auto; max-height: 14; }
    _Sections .report-heading { text-style: bold; color: $accent; padding: 1 1 0 1; }
    _Sections .report-line { padding: 0 1; }
    """

    def __init__(self, rep_zone: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rep_zone = rep_zone

    def local(self, at) -> str:
        if at is None:
            return DASH
        return at.in_timezone(self.rep_zone).format("ddd D MMM HH:mm")

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        if key.startswith("customer:"):
            event.stop()
            self.post_message(CustomerSelected(int(key.split(":")[1])))


class MorningView(_Sections):
    def compose(self) -> ComposeResult:
        yield _heading(_("Yesterday's store data"))
        yield StoreDataView(self.rep_zone, load=False, id="morning-store")
        yield _heading(_("Replies"))
        yield Static(id="morning-replies", classes="report-line")
        replies = SopTable(id="morning-reply-table")
        replies.add_column(_("Received"), key="received")
        replies.add_column(_("Customer"), key="customer")
        replies.add_column(_("Channel"), key="channel")
        replies.add_column(_("First reply after"), key="took")
        yield replies
        yield _heading(_("Today's key follow-ups"))
        follow = SopTable(id="morning-follow-table")
        follow.add_column(_("Due"), key="due")
        follow.add_column(_("Customer"), key="customer")
        follow.add_column(_("What"), key="what")
        yield follow
        yield _heading(_("Routine"))
        yield Static(id="morning-routine", classes="report-line")

    def show(self, meeting: MorningMeeting) -> None:
        self.query_one("#morning-store", StoreDataView).show(meeting.store)
        r, b = meeting.replies, meeting.buckets
        median = duration(r.median_seconds)
        self.query_one("#morning-replies", Static).update(
            Content(
                _(
                    "{day}: {received} inquiries — {fresh} answered within {fresh_limit}, {due} "
                    "within {due_limit}, {later} later, {open} unanswered; median first reply "
                    "{median}. Unanswered now: {now}."
                ).format(
                    day=meeting.day.label,
                    received=r.received,
                    fresh=b.within_fresh,
                    fresh_limit=labels.reply_limit(b.fresh_limit),
                    due=b.within_due,
                    due_limit=labels.reply_limit(b.due_limit),
                    later=b.later,
                    open=b.unanswered,
                    median=median,
                    now=meeting.unanswered_now,
                )
            )
        )
        table = self.query_one("#morning-reply-table", SopTable)
        table.clear()
        fresh = meeting.buckets.fresh_limit.total_seconds()
        due = meeting.buckets.due_limit.total_seconds()
        for i, line in enumerate(meeting.reply_lines):
            if line.seconds is None:
                took = Text(_("unanswered"), style="bold red")
            else:
                style = "green" if line.seconds <= fresh else "" if line.seconds <= due else "red"
                took = Text(duration(line.seconds), style=style, justify="right")
            table.add_row(
                Text(self.local(line.received_at)),
                safe.cell(f"{line.customer} ({line.country})", 40),
                Text(labels.channel(line.channel)),
                took,
                key=f"customer:{line.customer_id}:{i}",
            )
        _none_row(table, _("no inquiries"))
        follow = self.query_one("#morning-follow-table", SopTable)
        follow.clear()
        for i, task in enumerate(meeting.follow_ups):
            due = Text(self.local(task.due_at), style="bold red" if task.overdue else "")
            if task.overdue:
                due.append(" " + _("overdue"), style="bold red")
            key = f"customer:{task.customer_id}:{i}" if task.customer_id else f"task:{task.task_id}"
            follow.add_row(due, safe.cell(task.customer, 30), safe.cell(task.title, 70), key=key)
        _none_row(follow, _("nothing due today"))
        quota = meeting.rfq_quota
        self.query_one("#morning-routine", Static).update(
            Content(
                _(
                    "RFQs to quote: {rfqs} (quotes this month {used} of {quota}). "
                    "Zero-effect products: {zero}. Follow-ups due today: {follow}."
                ).format(
                    rfqs=meeting.rfqs_to_quote,
                    used=quota.used,
                    quota=quota.quota,
                    zero=meeting.zero_effect_products,
                    follow=meeting.follow_ups_total,
                )
            )
        )


class WeeklyView(_Sections):
    def compose(self) -> ComposeResult:
        yield _heading(_("Orders won"))
        won = SopTable(id="weekly-won")
        for key, title in (
            ("number", _("Order no.")),
            ("customer", _("Customer")),
            ("total", _("Total")),
            ("date", _("Date")),
            ("reason", _("Why won")),
        ):
            won.add_column(title, key=key)
        yield won
        yield _heading(_("Lost"))
        lost = SopTable(id="weekly-lost")
        for key, title in (
            ("customer", _("Customer")),
            ("from", _("From stage")),
            ("reason", _("Reason")),
            ("note", _("Note")),
        ):
            lost.add_column(title, key=key)
        yield lost
        yield _heading(_("Funnel movement"))
        yield Static(id="weekly-movement", classes="report-line")
        yield _heading(_("KPI trend"))
        yield KpiTable(id="weekly-kpis")
        yield _heading(_("Stale deals"))
        stale = SopTable(id="weekly-stale")
        for key, title in (
            ("customer", _("Customer")),
            ("stage", _("Stage")),
            ("since", _("In stage since")),
            ("last", _("Last touch")),
        ):
            stale.add_column(title, key=key)
        yield stale

    def show(self, review: WeeklyReview) -> None:
        won = self.query_one("#weekly-won", SopTable)
        won.clear()
        for i, o in enumerate(review.orders):
            won.add_row(
                safe.cell(o.number, 20),
                safe.cell(o.customer, 36),
                Text(money(o.total, o.currency), justify="right"),
                Text(self.local(o.ordered_at)),
                safe.cell(o.reason or DASH, 50),
                key=f"customer:{o.customer_id}:{i}",
            )
        _none_row(won, _("no orders in this period"))
        lost = self.query_one("#weekly-lost", SopTable)
        lost.clear()
        for i, item in enumerate(review.lost):
            lost.add_row(
                safe.cell(item.customer, 36),
                Text(labels.stage(item.from_stage) if item.from_stage else DASH),
                Text(_(labels.LOST_REASON[item.reason]) if item.reason else DASH),
                safe.cell(item.note or DASH, 50),
                key=f"customer:{item.customer_id}:{i}",
            )
        _none_row(lost, _("nobody lost in this period"))
        moves = []
        for m in review.movement:
            delta = m.entered - m.entered_previous
            arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
            moves.append(f"{labels.stage(m.stage)} {number(m.entered)} ({arrow} {abs(delta)})")
        self.query_one("#weekly-movement", Static).update(
            Content(_("Moved into each stage, against the previous period: ") + " · ".join(moves))
        )
        self.query_one("#weekly-kpis", KpiTable).show(review.kpis)
        stale = self.query_one("#weekly-stale", SopTable)
        stale.clear()
        for i, deal in enumerate(review.stale):
            stale.add_row(
                safe.cell(deal.customer, 36),
                Text(labels.stage(deal.stage)),
                Text(self.local(deal.stage_since)),
                Text(self.local(deal.last_activity_at)),
                key=f"customer:{deal.customer_id}:{i}",
            )
        _none_row(stale, _("no stale deals"))
