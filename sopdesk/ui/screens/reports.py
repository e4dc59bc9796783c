"""`m` on the workbench: the meetings and the numbers — morning meeting, weekly review, the funnel
against target, the six KPIs and the zero-effect products.

Everything is computed in one worker from SQL aggregates (well under 100 ms at 100k inquiries, see
docs/performance.md) for the chosen period: this week, month or quarter so far (p cycles), or
dates typed in (c). Enter on a funnel stage lists its customers; Enter on a customer anywhere
opens it in the workbench.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Static, TabbedContent, TabPane

from sopdesk import clock, labels
from sopdesk.i18n import _, pgettext
from sopdesk.services import meetings, reports, store_data
from sopdesk.services.meetings import MorningMeeting, WeeklyReview
from sopdesk.services.reports import FunnelReport, KpiReport, StageCustomer
from sopdesk.services.store_data import ZeroEffectList
from sopdesk.sop import kpi
from sopdesk.sop.kpi import Period, PeriodKind
from sopdesk.sop.stages import Stage
from sopdesk.ui import text as safe
from sopdesk.ui.messages import CustomerSelected, StoreChanged
from sopdesk.ui.widgets.reports_funnel import FunnelView, StageChosen
from sopdesk.ui.widgets.reports_kpi import KpiTable
from sopdesk.ui.widgets.reports_meetings import MorningView, WeeklyView
from sopdesk.ui.widgets.reports_products import ZeroEffectView
from sopdesk.ui.widgets.table import SopTable

TABS = ("morning", "weekly", "funnel", "kpis", "products")
PERIOD_CYCLE = (PeriodKind.WEEK, PeriodKind.MONTH, PeriodKind.QUARTER)


@dataclass(frozen=True)
class ReportData:
    morning: MorningMeeting
    weekly: WeeklyReview
    funnel: FunnelReport
    kpis: KpiReport
    products: ZeroEffectList


class ReportsScreen(Screen):
    BINDINGS = [
        Binding(
            "escape", "close", _("Back"), id="reports.close", tooltip=_("Back to the workbench")
        ),
        Binding(
            "p",
            "next_period",
            _("Period"),
            id="reports.period",
            tooltip=_("Switch between this week, this month and this quarter"),
        ),
        Binding(
            "c",
            "custom_period",
            _("Dates"),
            id="reports.custom_period",
            tooltip=_("Choose the first and last day of the period"),
        ),
        Binding(
            "t",
            "toggle_scope",
            _("Mine/team"),
            id="reports.scope",
            tooltip=_("Only my inquiries and customers, or the whole team's"),
        ),
        Binding(
            "o",
            "mark_optimised",
            _("Optimised"),
            id="reports.optimised",
            tooltip=_("Mark the selected zero-effect product as optimised"),
        ),
        *(
            Binding(
                str(i + 1),
                f"show_tab('{tab}')",
                title,
                show=False,
                id=f"reports.tab_{tab}",
                tooltip=_("Show the {tab} tab").format(tab=title),
            )
            for i, (tab, title) in enumerate(
                zip(
                    TABS,
                    (_("Morning"), _("Weekly"), _("Funnel"), _("KPIs"), _("Products")),
                    strict=True,
                )
            )
        ),
        Binding(
            "ctrl+r",
            "reload",
            _("Reload"),
            show=False,
            id="reports.reload",
            tooltip=_("Compute every report again"),
        ),
    ]

    def __init__(
        self, rep_zone: str, rep_id: int | None, tab: str = "morning", **kwargs: object
    ) -> None:
        super().__init__(**kwargs)
        self.rep_zone = rep_zone
        self.rep_id = rep_id
        self.first_tab = tab
        self.period_kind = PeriodKind.WEEK
        self.period: Period = kpi.period_to_date(self.period_kind, clock.now(), rep_zone)
        self.only_mine = False
        self.other_rep: tuple[int, str] | None = None
        """A manager looking at one rep's reports: (rep id, name)."""
        self.changed = False
        self.synced = False
        self.data: ReportData | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="reports-header")
        with TabbedContent(id="reports-tabs", initial=self.first_tab):
            with TabPane(_("1 Morning meeting"), id="morning"):
                yield MorningView(self.rep_zone, id="morning-view")
            with TabPane(_("2 Weekly review"), id="weekly"):
                yield WeeklyView(self.rep_zone, id="weekly-view")
            with TabPane(_("3 Funnel"), id="funnel"):
                yield FunnelView(id="funnel-view")
            with TabPane(_("4 KPIs"), id="kpis"):
                yield Static(id="kpi-note", classes="report-note")
                yield KpiTable(id="kpi-table")
            with TabPane(_("5 Zero-effect products"), id="products"):
                yield ZeroEffectView(id="products-view")
        yield Footer()

    def on_mount(self) -> None:
        self._update_header()
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def _settings(self):
        return self.app.context.settings  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="reports")
    def reload(self) -> None:
        settings = self._settings()
        now = clock.now()
        rep_id = self._scope_rep()
        if not self.synced:
            store_data.sync_zero_effect_tasks(now, self.rep_zone, self.rep_id)
            self.synced = True
        rates = reports.rates_from_settings(settings.exchange_rates)
        weekly = meetings.weekly_review(self.period, now, rep_id, settings.report_currency, rates)
        data = ReportData(
            morning=meetings.morning_meeting(
                now, self.rep_zone, rep_id, settings.rfq_monthly_quota
            ),
            weekly=weekly,
            funnel=reports.funnel_report(self.period, rep_id),
            kpis=weekly.kpis,  # the same period: computed once
            products=store_data.zero_effect_products(self.rep_zone),
        )
        self.app.call_from_thread(self.show, data)

    def show(self, data: ReportData) -> None:
        self.data = data
        self.query_one(MorningView).show(data.morning)
        self.query_one(WeeklyView).show(data.weekly)
        self.query_one(FunnelView).show(data.funnel)
        self.query_one("#kpi-table", KpiTable).show(data.kpis)
        self.query_one("#kpi-note", Static).update(
            Content(
                _("{period}, compared with {previous}. Definitions: docs/kpis.md").format(
                    period=data.kpis.period.label, previous=data.kpis.previous.label
                )
            )
        )
        self.query_one(ZeroEffectView).show(data.products)
        self._update_header()

    def _update_header(self) -> None:
        scope = _("mine") if self.only_mine else _("team")
        if self.other_rep is not None:
            scope = safe.display(self.other_rep[1], single_line=True, limit=30)
        self.query_one("#reports-header", Static).update(
            Content.assemble(
                (_("Reports") + "  ", "bold $accent"),
                (self._period_name() + f" {self.period.label}  ", "bold"),
                (f"{scope} · {self.rep_zone}", "dim"),
            )
        )

    def _period_name(self) -> str:
        return {
            PeriodKind.WEEK: _("this week"),
            PeriodKind.MONTH: _("this month"),
            PeriodKind.QUARTER: _("this quarter"),
        }.get(self.period_kind, _("period"))

    # -- actions -------------------------------------------------------------------------------

    def action_close(self) -> None:
        self.app.pop_screen()
        if self.changed:
            self.app.screen.post_message(StoreChanged())

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_next_period(self) -> None:
        index = PERIOD_CYCLE.index(self.period_kind) if self.period_kind in PERIOD_CYCLE else -1
        self.period_kind = PERIOD_CYCLE[(index + 1) % len(PERIOD_CYCLE)]
        self.period = kpi.period_to_date(self.period_kind, clock.now(), self.rep_zone)
        self._update_header()
        self.reload()

    def action_custom_period(self) -> None:
        self.app.push_screen(PeriodDialog(self.period), self._custom_chosen)

    def _custom_chosen(self, days: tuple[date, date] | None) -> None:
        if days is None:
            return
        self.period = kpi.custom_period(days[0], days[1], self.rep_zone)
        self.period_kind = PeriodKind.CUSTOM
        self._update_header()
        self.reload()

    def _scope_rep(self) -> int | None:
        if self.other_rep is not None:
            return self.other_rep[0]
        return self.rep_id if self.only_mine else None

    def action_toggle_scope(self) -> None:
        session = getattr(getattr(self.app, "context", None), "session", None)
        if session is not None and session.is_manager:
            self._next_rep()
            return
        self.only_mine = not self.only_mine
        self._update_header()
        self.reload()

    @work(thread=True, exclusive=True, group="reports-scope")
    def _next_rep(self) -> None:
        """A manager: the team, then each rep in turn, then the team again."""
        from sopdesk.services import reps

        team = [(r.rep_id, r.label) for r in reps.list_reps()]
        ids = [rep_id for rep_id, _name in team]
        current = self.other_rep[0] if self.other_rep is not None else None
        if current is None:
            chosen = team[0] if team else None
        elif current in ids and ids.index(current) + 1 < len(ids):
            chosen = team[ids.index(current) + 1]
        else:
            chosen = None
        self.app.call_from_thread(self._set_other_rep, chosen)

    def _set_other_rep(self, chosen: tuple[int, str] | None) -> None:
        self.other_rep = chosen
        self.only_mine = False
        self._update_header()
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def action_mark_optimised(self) -> None:
        if self.query_one(TabbedContent).active != "products":
            self.notify(_("Go to the zero-effect products (5) first"), markup=False, timeout=3)
            return
        product = self.query_one(ZeroEffectView).current()
        if product is None or product.product_id is None:
            return
        self._mark(product.product_id, product.name)

    @work(thread=True, group="reports-write")
    def _mark(self, product_id: int, name: str) -> None:
        store_data.mark_optimised(product_id, clock.now())
        self.changed = True
        self.app.call_from_thread(
            self.notify,
            _("Marked optimised: {name}").format(name=safe.display(name, single_line=True)),
            markup=False,
            timeout=3,
        )
        self.app.call_from_thread(self.reload)

    # -- messages ------------------------------------------------------------------------------

    @on(StageChosen)
    def _stage_chosen(self, event: StageChosen) -> None:
        rep_id = self._scope_rep()
        self._load_stage(event.stage, self.period, rep_id)

    @work(thread=True, exclusive=True, group="reports-stage")
    def _load_stage(self, stage: Stage, period: Period | None, rep_id: int | None) -> None:
        customers = reports.stage_customers(stage, period, rep_id)
        title = (
            _("Customers who entered {stage} in {period}").format(
                stage=labels.stage(stage), period=period.label
            )
            if period is not None
            else _("Customers in {stage} now").format(stage=labels.stage(stage))
        )
        self.app.call_from_thread(
            self.app.push_screen, StageCustomersScreen(title, customers, self.rep_zone), self._open
        )

    @on(CustomerSelected)
    def _customer(self, event: CustomerSelected) -> None:
        event.stop()
        self._open(event.customer_id)

    def _open(self, customer_id: int | None) -> None:
        if customer_id is None:
            return
        self.action_close()
        workbench = self.app.screen
        if hasattr(workbench, "show_customer"):
            workbench.show_customer(customer_id)


class StageCustomersScreen(ModalScreen[int | None]):
    """The customers behind a funnel bar; Enter opens one in the workbench."""

    BINDINGS = [
        Binding(
            "escape",
            "dismiss_none",
            _("Close"),
            id="stage_customers.close",
            tooltip=_("Close the list"),
        ),
    ]

    def __init__(self, title: str, customers: list[StageCustomer], rep_zone: str) -> None:
        super().__init__()
        self.title_text = title
        self.customers = customers
        self.rep_zone = rep_zone

    def compose(self) -> ComposeResult:
        with Vertical(id="stage-dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            table = SopTable(id="stage-customers")
            table.add_column(_("Customer"), key="code")
            table.add_column(_("Name"), key="name")
            table.add_column(_("Country"), key="country")
            table.add_column(_("Stage now"), key="stage")
            table.add_column(pgettext("when the customer entered the stage", "Entered"), key="at")
            for c in self.customers:
                table.add_row(
                    Text(c.code),
                    safe.cell(c.name, 40),
                    Text(c.country),
                    Text(labels.stage(c.stage)),
                    Text(c.at.in_timezone(self.rep_zone).format("YYYY-MM-DD HH:mm")),
                    key=str(c.customer_id),
                )
            yield table
            yield Static(
                _("{n} customers (the latest 200 at most) · Enter opens one · Esc closes").format(
                    n=len(self.customers)
                ),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one(SopTable).focus()

    @on(DataTable.RowSelected, "#stage-customers")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.dismiss(int(event.row_key.value or 0) or None)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class PeriodDialog(ModalScreen[tuple[date, date] | None]):
    """Two dates, YYYY-MM-DD, in the rep's zone; the last one included."""

    BINDINGS = [
        Binding(
            "escape",
            "dismiss_none",
            _("Cancel"),
            id="period_dialog.cancel",
            tooltip=_("Keep the period"),
        ),
    ]

    def __init__(self, period: Period) -> None:
        super().__init__()
        self.period = period

    def compose(self) -> ComposeResult:
        with Vertical(id="period-dialog"):
            yield Static(_("Report period"), classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label(_("From"), classes="form-label")
                yield Input(self.period.first_day.isoformat(), id="period-from")
            with Horizontal(classes="form-row"):
                yield Label(_("To"), classes="form-label")
                yield Input(self.period.last_day.isoformat(), id="period-to")
            yield Static(id="period-error", classes="error")
            yield Static(_("Enter applies · Esc cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#period-from", Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        try:
            first = date.fromisoformat(self.query_one("#period-from", Input).value.strip())
            last = date.fromisoformat(self.query_one("#period-to", Input).value.strip())
        except ValueError:
            self.query_one("#period-error", Static).update(
                Content(_("Write both dates as YYYY-MM-DD"))
            )
            return
        if last < first:
            self.query_one("#period-error", Static).update(
                Content(_("The last day is before the first"))
            )
            return
        self.dismiss((first, last))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
