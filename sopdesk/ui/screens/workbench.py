"""The main screen: four panes — Today, Inbox, Customer, Funnel.

Wide terminals show all four (Today and Inbox on the left, Customer and Funnel on the right);
below 100 columns the panes become tabs: one pane fills the screen and 1–4 / Tab switch.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Static

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.ui import text as safe
from sopdesk.ui.messages import CustomerSelected, StoreChanged
from sopdesk.ui.widgets.customer import CustomerPane
from sopdesk.ui.widgets.funnel import FunnelPane
from sopdesk.ui.widgets.inbox import InboxPane
from sopdesk.ui.widgets.today import TodayPane

PANES = ("today", "inbox", "customer", "funnel")
NARROW_WIDTH = 100


class WorkbenchScreen(Screen):
    AUTO_FOCUS = "#inbox-table"
    """The inbox first: answering inquiries within five minutes is the day's first job."""
    BINDINGS = [
        Binding(
            "1",
            "focus_pane('today')",
            _("Today"),
            id="workbench.today",
            tooltip=_("Go to today's checklist"),
        ),
        Binding(
            "2",
            "focus_pane('inbox')",
            _("Inbox"),
            id="workbench.inbox",
            tooltip=_("Go to the inquiry inbox"),
        ),
        Binding(
            "3",
            "focus_pane('customer')",
            _("Customer"),
            id="workbench.customer",
            tooltip=_("Go to the customer detail"),
        ),
        Binding(
            "4",
            "focus_pane('funnel')",
            _("Funnel"),
            id="workbench.funnel",
            tooltip=_("Go to the sales funnel"),
        ),
        Binding(
            "tab",
            "cycle_pane(1)",
            _("Next pane"),
            show=False,
            id="workbench.next_pane",
            tooltip=_("Next pane"),
        ),
        Binding(
            "shift+tab",
            "cycle_pane(-1)",
            _("Previous pane"),
            show=False,
            id="workbench.previous_pane",
            tooltip=_("Previous pane"),
        ),
        Binding(
            "ctrl+r",
            "reload",
            _("Reload"),
            show=False,
            id="workbench.reload",
            tooltip=_("Reload every pane from the database"),
        ),
        Binding(
            "m",
            "open_reports",
            _("Reports"),
            id="workbench.reports",
            tooltip=_("Morning meeting, weekly review, funnel and KPIs"),
        ),
        Binding(
            "t",
            "toggle_scope",
            _("Mine/team"),
            id="workbench.scope",
            tooltip=_(
                "Only my work (and unassigned), or the whole team's; a manager steps "
                "through each rep"
            ),
        ),
        Binding(
            "c",
            "open_customers",
            _("Customers"),
            id="workbench.customers",
            tooltip=_("Open the customer sheet"),
        ),
        Binding(
            "P",
            "open_products",
            _("Products"),
            id="workbench.products",
            tooltip=_("The product catalogue: browse, search, edit"),
        ),
        Binding(
            "L",
            "open_library",
            _("Library"),
            id="workbench.library",
            tooltip=_("Company library and FAQ answers"),
        ),
    ]

    def __init__(
        self, rep_zone: str, rep_id: int | None, status: str, manager: bool = False, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.rep_zone = rep_zone
        self.rep_id = rep_id
        self.status = status
        self.active = "inbox"
        self.manager = manager
        self.scope_owner: int | None = None if manager else rep_id
        """Whose work the panes show: a rep's id (theirs and unassigned) or None (the team).
        A rep starts on their own, a manager on the team."""
        self.scope_label = _("team") if manager else _("mine")

    def compose(self) -> ComposeResult:
        yield Static(id="statusbar")
        yield Static(id="tabstrip")
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield self._scoped(
                    TodayPane(self.rep_zone, self.rep_id, id="today", classes="pane")
                )
                yield self._scoped(InboxPane(id="inbox", classes="pane"))
            with Vertical(id="right"):
                yield CustomerPane(self.rep_zone, id="customer", classes="pane")
                yield self._scoped(FunnelPane(id="funnel", classes="pane"))
        yield Footer()

    def on_mount(self) -> None:
        self._update_status()
        self.set_interval(20, self._update_status)
        self.action_focus_pane("inbox")

    def _scoped(self, pane: TodayPane | InboxPane | FunnelPane):
        pane.owner_scope = self.scope_owner
        return pane

    def action_toggle_scope(self) -> None:
        """A rep: mine ↔ team. A manager: team → each rep in turn → team."""
        if not self.manager or self.rep_id is None:
            mine = self.scope_owner is None and self.rep_id is not None
            self.scope_owner = self.rep_id if mine else None
            self.scope_label = _("mine") if mine else _("team")
            self._apply_scope()
            return
        self._next_rep(self.scope_owner)

    @work(thread=True, exclusive=True, group="workbench-scope")
    def _next_rep(self, current: int | None) -> None:
        from sopdesk.services import reps

        chosen = reps.next_in_scope(current)
        if chosen is not None:
            self.app.call_from_thread(self._set_scope, chosen.rep_id, chosen.label)
        else:
            self.app.call_from_thread(self._set_scope, None, _("team"))

    def _set_scope(self, owner: int | None, label: str) -> None:
        self.scope_owner = owner
        self.scope_label = safe.display(label, single_line=True, limit=30)
        self._apply_scope()

    def _apply_scope(self) -> None:
        for pane in (
            self.query_one(TodayPane),
            self.query_one(InboxPane),
            self.query_one(FunnelPane),
        ):
            pane.owner_scope = self.scope_owner
        self._update_status()
        self.action_reload()
        self.notify(_("Showing: {scope}").format(scope=self.scope_label), timeout=3, markup=False)

    def _update_status(self) -> None:
        now = clock.now().in_timezone(self.rep_zone)
        self.query_one("#statusbar", Static).update(
            Content.assemble(
                ("sopdesk  ", "bold $accent"),
                Content(self.status + "  "),
                (f"[{self.scope_label}]  ", "bold"),
                (now.format("ddd D MMM HH:mm") + f" ({self.rep_zone})", "dim"),
            )
        )

    def _update_tabstrip(self) -> None:
        names = {
            "today": _("1 Today"),
            "inbox": _("2 Inbox"),
            "customer": _("3 Customer"),
            "funnel": _("4 Funnel"),
        }
        parts: list[Content | str | tuple[str, str]] = []
        for pane in PANES:
            style = "reverse bold" if pane == self.active else "dim"
            parts.extend([(f" {names[pane]} ", style), " "])
        self.query_one("#tabstrip", Static).update(Content.assemble(*parts))

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "narrow")
        self._update_tabstrip()

    def _mark_active(self, pane: str) -> None:
        self.active = pane
        for name in PANES:
            self.query_one(f"#{name}").set_class(name == pane, "active")
        self.query_one("#left").set_class(pane in ("today", "inbox"), "holds-active")
        self.query_one("#right").set_class(pane in ("customer", "funnel"), "holds-active")
        self._update_tabstrip()

    def action_open_reports(self, tab: str = "morning") -> None:
        from sopdesk.ui.screens.reports import ReportsScreen

        self.app.push_screen(ReportsScreen(self.rep_zone, self.rep_id, tab))

    def action_open_customers(self) -> None:
        from sopdesk.ui.screens.customers import CustomersScreen

        self.app.push_screen(
            CustomersScreen(self.rep_zone, self.rep_id, self.manager),
            lambda _r: self.action_reload(),
        )

    def action_focus_pane(self, pane: str) -> None:
        self._mark_active(pane)
        target = self.query_one(f"#{pane}")
        focusable = target.query("SopTable").first() if target.query("SopTable") else target
        focusable.focus()

    def action_cycle_pane(self, step: int) -> None:
        index = (PANES.index(self.active) + step) % len(PANES)
        self.action_focus_pane(PANES[index])

    def on_descendant_focus(self, event) -> None:
        for name in PANES:
            pane = self.query_one(f"#{name}")
            if pane is event.widget or event.widget in pane.query("*"):
                if self.active != name:
                    self._mark_active(name)
                break

    def open_draft(self, inquiry_id: int) -> None:
        """The draft screen for an inquiry; the panes reload when the rep comes back."""
        from sopdesk.ui.screens.draft import DraftScreen

        def back(sent: object) -> None:
            if sent is not None:  # the answered inquiry leaves its place: the next one takes it
                self.query_one(InboxPane).keep_row_after_load = True
            self.action_reload()

        self.app.push_screen(
            DraftScreen(inquiry_id, self.app.context.settings, self.rep_id, self.rep_zone),  # type: ignore[attr-defined]
            back,
        )

    def show_customer(self, customer_id: int) -> None:
        self.query_one(CustomerPane).show_customer(customer_id)
        self.action_focus_pane("customer")

    @on(CustomerSelected)
    def _customer_selected(self, event: CustomerSelected) -> None:
        # Only the pane the rep is in drives the customer pane: a background reload of Today
        # must not swap the customer under an inquiry the rep is looking at.
        sender = event._sender
        active = self.query_one(f"#{self.active}")
        if sender is not None and sender is not active and sender not in active.query("*"):
            return
        self.query_one(CustomerPane).show_customer(event.customer_id)

    @on(StoreChanged)
    def action_reload(self) -> None:
        """Our own write: reload every pane, running the Today engine (the write may want
        follow-ups)."""
        self._reload_panes(engine=True)

    def reload_after_external_change(self) -> None:
        """Another process wrote: reload every pane. The writer planned its own follow-ups, so
        Today only reads (the engine's periodic run catches anything else); at 20,000 customers
        the engine costs half a second of CPU, which a busy team's stream of writes would
        otherwise cost every open workbench (bench/bench_today.py)."""
        self._reload_panes(engine=False)

    def _reload_panes(self, engine: bool) -> None:
        try:
            today, inbox = self.query_one(TodayPane), self.query_one(InboxPane)
            funnel, customer = self.query_one(FunnelPane), self.query_one(CustomerPane)
        except NoMatches:  # a live-refresh tick while the screen is being built or torn down
            return
        today.reload(refresh=engine)
        inbox.reload()
        funnel.reload()
        customer.refresh_customer()

    def action_open_products(self) -> None:
        from sopdesk.ui.screens.products import ProductsScreen

        self.app.push_screen(ProductsScreen())

    def action_open_library(self) -> None:
        from sopdesk.ui.screens.library import LibraryScreen

        self.app.push_screen(LibraryScreen())
