"""Pane 3: the customer behind the selected inquiry or task, with the latest touches."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from sopdesk import clock, labels
from sopdesk.i18n import _
from sopdesk.services import customers as customer_service
from sopdesk.services.views import CustomerCard
from sopdesk.sop import geo
from sopdesk.sop.stages import Direction
from sopdesk.ui import text as safe
from sopdesk.ui.widgets.playbook_panel import PlaybookPanel, signal_mark

ARROW = {Direction.IN: "←", Direction.OUT: "→", Direction.NONE: "·"}


class CustomerPane(VerticalScroll):
    BINDINGS = [
        Binding(
            "j,down",
            "scroll_down",
            _("Down"),
            show=False,
            id="customer.down",
            tooltip=_("Scroll down"),
        ),
        Binding("k,up", "scroll_up", _("Up"), show=False, id="customer.up", tooltip=_("Scroll up")),
        Binding(
            "b",
            "background_check",
            _("Background"),
            id="customer.background",
            tooltip=_("Background check: look-ups, buyer type, potential"),
        ),
        Binding(
            "g",
            "accept_signal",
            _("Accept signal"),
            id="customer.accept_signal",
            tooltip=_("Move the customer to negotiation on the buying signal shown"),
        ),
        Binding(
            "enter",
            "open",
            _("Open"),
            id="customer.open",
            tooltip=_("Open this customer: every field, the timeline, stage and merge"),
        ),
        Binding(
            "Q",
            "new_quote",
            _("Quote"),
            id="customer.quote",
            tooltip=_("New quotation / PI for this customer"),
        ),
        Binding(
            "O",
            "orders",
            _("Orders"),
            id="customer.orders",
            tooltip=_("Orders: milestones, documents, feedback"),
        ),
        Binding(
            "S",
            "samples",
            _("Samples"),
            id="customer.samples",
            tooltip=_("Samples: record, sent, delivered, feedback"),
        ),
    ]

    def __init__(self, rep_zone: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rep_zone = rep_zone
        self.customer_id: int | None = None
        self.card: CustomerCard | None = None
        self.can_focus = True

    def compose(self) -> ComposeResult:
        yield Static(id="customer-head", classes="customer-head")
        yield Static(id="customer-fields", classes="customer-fields")
        yield PlaybookPanel(self.rep_zone, id="customer-playbook")
        yield Static(_("Latest touches"), classes="section-title")
        yield Static(id="customer-timeline", classes="timeline")

    def on_mount(self) -> None:
        self.border_title = _("3 Customer")
        self.query_one("#customer-head", Static).update(
            Content(_("Select an inquiry or a task to see its customer."))
        )

    def show_customer(self, customer_id: int | None) -> None:
        if customer_id is None or customer_id == self.customer_id:
            return
        self.customer_id = customer_id
        self.load(customer_id)

    def action_open(self) -> None:
        from sopdesk.ui.screens.customer_detail import CustomerDetailScreen

        if self.customer_id is not None:
            detail = CustomerDetailScreen(
                self.customer_id, self.rep_zone, getattr(self.screen, "rep_id", None)
            )
            self.app.push_screen(detail, lambda changed: changed and self.refresh_customer())

    def refresh_customer(self) -> None:
        if self.customer_id is not None:
            self.load(self.customer_id)

    @work(thread=True, exclusive=True, group="customer")
    def load(self, customer_id: int) -> None:
        card = customer_service.customer_card(customer_id)
        if card is not None:
            self.app.call_from_thread(self.show, card)

    def _when(self, at) -> str:
        return at.in_timezone(self.rep_zone).format("ddd D MMM HH:mm") if at else "—"

    def show(self, card: CustomerCard) -> None:
        self.card = card
        now = clock.now()
        self.border_title = Content(f"{_('3 Customer')} {card.code}")
        head = Content.assemble(
            (card.code, "bold $accent"),
            "  ",
            (safe.display(card.company or card.name, single_line=True), "bold"),
            "  ",
            (f"[{labels.stage(card.stage)}]", "reverse"),
        )
        self.query_one("#customer-head", Static).update(head)
        if card.timezone:
            local = geo.local_time(now, card.timezone, card.country)
            hours = _("business hours") if local.business_hours else _("outside business hours")
            local_text = (
                f"{local.at.format('ddd HH:mm')} {geo.utc_offset_label(local.at)} · {hours}"
            )
        else:
            local_text = _("time zone unknown")
        value = str(card.expected_value) if card.expected_value else "—"
        follow = self._when(card.next_follow_up_at)
        if card.next_follow_up_plan:
            follow += f" — {safe.display(card.next_follow_up_plan, single_line=True)}"
        rows = [
            (_("Contact"), safe.display(card.contact_name, single_line=True)),
            (_("E-mail"), safe.display(card.contact_email, single_line=True)),
            (_("Phone"), safe.display(card.contact_phone, single_line=True)),
            (_("Country"), card.country or "—"),
            (_("Local time"), local_text),
            (_("Source"), labels.channel(card.source)),
            (
                _("Buyer type"),
                f"{labels.buyer_type(card.buyer_type)}  ·  {_('Potential')} {labels.potential(card.potential)}",
            ),
            (_("Stage"), f"{labels.stage(card.stage)} {_('since')} {self._when(card.stage_since)}"),
            (_("Expected value"), value),
            (_("Next follow-up"), follow),
            (_("Background check"), _("done") if card.background_check_done else _("not done")),
        ]
        width = max(safe.cell_len(label) for label, _v in rows)
        parts: list[Content | str | tuple[str, str]] = []
        for label, val in rows:
            parts.append((safe.pad(label, width + 2), "dim"))
            parts.append(val)
            parts.append("\n")
        if card.notes:
            parts.append((safe.pad(_("Notes"), width + 2), "dim"))
            parts.append(safe.display(card.notes, single_line=True, limit=300))
        self.query_one("#customer-fields", Static).update(Content.assemble(*parts))
        self.query_one(PlaybookPanel).show_for(card.customer_id)
        timeline: list[Content | str | tuple[str, str]] = []
        for entry in card.timeline:
            timeline.append((f"{self._when(entry.at)} ", "dim"))
            timeline.append(
                (f"{ARROW[entry.direction]} {safe.pad(labels.activity(entry.kind), 9)} ", "bold")
            )
            timeline.append(safe.display(entry.summary, single_line=True, limit=160))
            timeline.append(signal_mark(entry))
            timeline.append("\n")
        if not card.timeline:
            timeline.append((_("No touches yet."), "dim"))
        self.query_one("#customer-timeline", Static).update(Content.assemble(*timeline))

    def action_accept_signal(self) -> None:
        self.query_one(PlaybookPanel).accept()

    def action_background_check(self) -> None:
        if self.customer_id is None:
            return
        from sopdesk.ui.screens.background import BackgroundScreen

        def closed(saved: bool | None) -> None:
            if saved:
                self.notify(_("Background check saved"), markup=False, timeout=3)
                self.refresh_customer()

        self.app.push_screen(
            BackgroundScreen(self.customer_id, self.screen.rep_id),  # type: ignore[attr-defined]
            closed,
        )

    def action_new_quote(self) -> None:
        from sopdesk.ui.screens.quote_editor import QuoteEditorScreen

        if self.customer_id is not None:
            editor = QuoteEditorScreen(
                self.rep_zone, getattr(self.screen, "rep_id", None), customer_id=self.customer_id
            )
            self.app.push_screen(editor, lambda changed: changed and self.refresh_customer())

    def action_orders(self) -> None:
        from sopdesk.ui.screens.orders import OrdersScreen

        if self.customer_id is not None:
            screen = OrdersScreen(
                self.customer_id, self.rep_zone, getattr(self.screen, "rep_id", None)
            )
            self.app.push_screen(screen, lambda changed: changed and self.refresh_customer())

    def action_samples(self) -> None:
        from sopdesk.ui.screens.samples import SamplesScreen

        if self.customer_id is not None:
            screen = SamplesScreen(
                self.customer_id, self.rep_zone, getattr(self.screen, "rep_id", None)
            )
            self.app.push_screen(screen, lambda changed: changed and self.refresh_customer())
