"""One customer's orders (SOP stage 5): milestones with their dates, the shipping documents
checklist, production updates, feedback — and a new order from an accepted PI.

`O` on the customer pane opens it. Keys: `n` makes the order from an accepted PI; in the
milestones table Enter dates the milestone (with its details: amount, inspector and result,
vessel/ETD/ETA/B/L, rating and feedback); in the documents table Space or Enter ticks a
document sent (or unticks it); `u` adds a weekly production update with photo/video links; Tab
moves between the tables; Esc goes back. The playbook plans the weekly updates, the arrival check
and the feedback request from these dates; the reminders of this order show below.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from sopdesk import clock
from sopdesk.i18n import _, pgettext
from sopdesk.services import orders, sales_tasks
from sopdesk.services.orders import OrderError, OrderSummary, OrderView
from sopdesk.sop import money
from sopdesk.sop.orders import MILESTONE_TITLES, Milestone
from sopdesk.ui import text as safe
from sopdesk.ui.bindings import binding_factory
from sopdesk.ui.screens.pickers import Choice, FuzzyPicker
from sopdesk.ui.widgets.sales_dialogs import (
    PRODUCTION_UPDATE,
    MilestoneDialog,
    MilestoneInput,
    order_status,
)
from sopdesk.ui.widgets.table import SopTable

_binding = binding_factory("orders")


class MilestoneTable(SopTable):
    BINDINGS = [
        _binding(
            "enter",
            "screen.date_milestone",
            _("Date it"),
            "date",
            _("Date this milestone, with its details"),
        ),
    ]


class DocumentTable(SopTable):
    BINDINGS = [
        _binding(
            "space,enter",
            "screen.toggle_document",
            _("Sent"),
            "document",
            _("Tick the document sent (or untick it)"),
        ),
    ]


class OrdersScreen(Screen[bool]):
    """Returns True when something was recorded (the customer pane reloads)."""

    BINDINGS = [
        _binding("escape", "back", _("Back"), "back", _("Back to the workbench")),
        _binding("n", "new_order", _("New order"), "new", _("Make the order from an accepted PI")),
        _binding(
            "u",
            "production_update",
            _("Update"),
            "update",
            _("Add a weekly production update (photos, videos)"),
        ),
        _binding("ctrl+r", "reload", _("Reload"), "reload", _("Reload"), show=False),
    ]

    def __init__(self, customer_id: int, rep_zone: str, rep_id: int | None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.rep_zone = rep_zone
        self.rep_id = rep_id
        self.summaries: list[OrderSummary] = []
        self.view: OrderView | None = None
        self.changed = False
        self.selected: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="orders-head")
        with Horizontal(id="orders-body"):
            with Vertical(id="orders-left"):
                table = SopTable(id="orders-table")
                table.add_sized_columns(
                    (
                        (_("Order no."), "number", 14),
                        (_("Status"), "status", 16),
                        (_("Total"), "total", 16),
                        (_("Next"), "next", 18),
                    )
                )
                yield table
                yield Static(id="orders-detail", classes="pane-detail")
            with Vertical(id="orders-right"):
                milestones = MilestoneTable(id="orders-milestones")
                milestones.add_column(_("Milestone"), key="milestone", width=22)
                milestones.add_column(_("Date"), key="date", width=18)
                milestones.add_column("", key="next", width=8)
                yield milestones
                documents = DocumentTable(id="orders-documents")
                documents.add_column(_("Document"), key="document", width=30)
                documents.add_column(_("Sent"), key="sent", width=18)
                yield documents
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#orders-head", Static).update(_("Loading …"))
        self.reload()

    def _extra_documents(self) -> list[str]:
        settings = self.app.context.settings  # type: ignore[attr-defined]
        return list(settings.orders.extra_documents)

    # --- loading -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="orders")
    def reload(self) -> None:
        summaries = orders.for_customer(self.customer_id)
        chosen = self.selected or (summaries[0].order_id if summaries else None)
        view = orders.get(chosen, self._extra_documents()) if chosen is not None else None
        reminders = sales_tasks.open_reminders(self.customer_id)
        waiting = orders.quotes_without_order(self.customer_id)
        self.app.call_from_thread(self.show, summaries, view, reminders, len(waiting))

    def show(
        self,
        summaries: list[OrderSummary],
        view: OrderView | None,
        reminders: list[sales_tasks.Reminder],
        waiting: int,
    ) -> None:
        self.summaries = summaries
        self.view = view
        self.selected = view.order_id if view else None
        table = self.query_one("#orders-table", SopTable)
        table.clear()
        for summary in summaries:
            following = summary.next_milestone
            next_step = _(MILESTONE_TITLES[following]) if following else _("done")
            table.add_row(
                safe.cell(summary.number, 20),
                Text(order_status(summary.status)),
                Text(money.format_money(summary.total, summary.currency), justify="right"),
                Text(next_step),
                key=str(summary.order_id),
            )
        if view is not None:
            index = next((i for i, s in enumerate(summaries) if s.order_id == view.order_id), 0)
            table.move_cursor(row=index)
        head = [(_("Orders"), "bold $accent")]
        if view is not None:
            head.append(("  " + safe.display(f"{view.customer_code} {view.customer_name}",
                                             single_line=True, limit=80), ""))  # fmt: skip
        if waiting:
            head.append(("  " + _("{n} accepted PI(s) without an order: press n").format(n=waiting),
                         "$warning"))  # fmt: skip
        if not summaries and not waiting:
            head.append(("  " + _("No orders yet: accept a PI in the quote editor (Q), then n."),
                         "dim"))  # fmt: skip
        self.query_one("#orders-head", Static).update(Content.assemble(*head))
        self._show_order(view, reminders)

    def _when(self, at: Any) -> str:
        return at.in_timezone(self.rep_zone).format("ddd D MMM YYYY") if at else ""

    def _show_order(self, view: OrderView | None, reminders: list[sales_tasks.Reminder]) -> None:
        milestones = self.query_one(MilestoneTable)
        documents = self.query_one(DocumentTable)
        row, doc_row = milestones.cursor_row, documents.cursor_row
        milestones.clear()
        documents.clear()
        detail = self.query_one("#orders-detail", Static)
        if view is None:
            detail.update("")
            return
        for item in view.milestones:
            style = "" if item.applies else "dim strike"
            milestones.add_row(
                Text(item.title, style=style),
                Text(self._when(item.at) or ("—" if item.applies else _("not needed"))),
                Text(_("next") if item.is_next else "", style="bold"),
                key=item.milestone.value,
            )
        milestones.move_cursor(row=min(row, len(view.milestones) - 1))
        for document in view.documents:
            label = _(document.label) if document.standard else document.label
            documents.add_row(
                safe.cell(label, 40),
                Text(self._when(document.sent_at) or "—"),
                key=document.kind,
            )
        if view.documents:
            documents.move_cursor(row=min(doc_row, len(view.documents) - 1))
        currency = view.currency
        lines: list[tuple[str, str]] = [
            (_("PI"), view.quote_label or "—"),
            (_("Payment"), view.payment_terms or "—"),
            (_("Total"), money.format_money(view.total, currency)),
            (
                _("Deposit"),
                (
                    money.format_money(view.deposit_amount, currency)
                    + " "
                    + pgettext("deposit", "received")
                )
                if view.deposit_amount is not None
                else (
                    money.format_money(view.deposit_due, currency) + " " + _("due")
                    if view.deposit_due is not None
                    else "—"
                ),
            ),
            (_("Balance"), money.format_money(view.balance, currency)),
        ]
        if view.vessel or view.bl_number:
            lines.append((_("Shipping"), f"{view.vessel} {view.bl_number}".strip()))
        if view.eta:
            lines.append((_("ETA"), self._when(view.eta)))
        if view.inspected_by:
            lines.append((_("Inspection"), f"{view.inspected_by} {view.inspection_result}".strip()))
        if view.feedback_rating is not None or view.feedback_text:
            lines.append(
                (_("Feedback"), f"{view.feedback_rating or ''} {view.feedback_text}".strip())
            )
        update = view.latest_production_update
        if update is not None:
            lines.append((_("Last update"), f"{self._when(update.at)} {update.note} "
                          + " ".join(update.links)))  # fmt: skip
        width = max(safe.cell_len(label) for label, _v in lines)
        parts: list[Content | str | tuple[str, str]] = []
        for label, value in lines:
            parts.append((safe.pad(label, width + 2), "dim"))
            parts.append(safe.display(value, single_line=True, limit=200))
            parts.append("\n")
        for warning in view.warnings:
            parts.append((f"! {warning}\n", "$warning"))
        mine = [r for r in reminders if view.number in r.title or view.number in r.why]
        for reminder in mine:
            parts.append((f"⏰ {self._when(reminder.due_at)} ", "bold"))
            parts.append(safe.display(reminder.title, single_line=True, limit=120))
            parts.append("\n")
        detail.update(Content.assemble(*parts))

    @on(DataTable.RowHighlighted, "#orders-table")
    def _order_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is None or event.row_key.value is None:
            return
        order_id = int(event.row_key.value)
        if order_id != self.selected:
            self.selected = order_id
            self.reload()

    # --- recording ---------------------------------------------------------------------------

    def action_date_milestone(self) -> None:
        view = self.view
        if view is None:
            return
        table = self.query_one(MilestoneTable)
        item = view.milestones[min(table.cursor_row, len(view.milestones) - 1)]
        due = ""
        if item.milestone is Milestone.DEPOSIT_RECEIVED and view.deposit_due is not None:
            due = str(view.deposit_due)
        dialog = MilestoneDialog(item.milestone.value, self.rep_zone, item.at, due)
        self.app.push_screen(dialog, self._record)

    def action_production_update(self) -> None:
        if self.view is not None:
            self.app.push_screen(MilestoneDialog(PRODUCTION_UPDATE, self.rep_zone), self._record)

    def _record(self, entry: MilestoneInput | None) -> None:
        if entry is not None and self.view is not None:
            self.record(self.view.order_id, self.view.version, entry)

    @work(thread=True, exclusive=True, group="orders-write")
    def record(self, order_id: int, version: int, entry: MilestoneInput) -> None:
        try:
            if entry.kind == PRODUCTION_UPDATE:
                assert entry.at is not None
                orders.add_production_update(order_id, entry.at, entry.note, entry.links)
            else:
                orders.record_milestone(
                    order_id,
                    Milestone(entry.kind),
                    entry.at,
                    details={k: v for k, v in entry.details.items()},
                    note=entry.note,
                    links=entry.links,
                    rep_id=self.rep_id,
                    rep_zone=self.rep_zone,
                    expected_version=version,
                )
        except OrderError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.changed = True
        self.app.call_from_thread(self.notify, _("Recorded"), markup=False, timeout=2)
        self.app.call_from_thread(self.reload)

    def action_toggle_document(self) -> None:
        view = self.view
        if view is None or not view.documents:
            return
        table = self.query_one(DocumentTable)
        item = view.documents[min(table.cursor_row, len(view.documents) - 1)]
        self.toggle_document(view.order_id, item.kind, item.sent_at is None)

    @work(thread=True, exclusive=True, group="orders-write")
    def toggle_document(self, order_id: int, kind: str, sent: bool) -> None:
        try:
            orders.set_document(
                order_id,
                kind,
                clock.now() if sent else None,
                extra_documents=self._extra_documents(),
                rep_zone=self.rep_zone,
            )
        except OrderError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.changed = True
        self.app.call_from_thread(self.reload)

    def action_new_order(self) -> None:
        self.pick_quote()

    @work(thread=True, exclusive=True, group="orders")
    def pick_quote(self) -> None:
        waiting = orders.quotes_without_order(self.customer_id)
        choices = [
            Choice(q.label, money.format_money(q.total, q.currency), q.quote_id) for q in waiting
        ]
        self.app.call_from_thread(self._open_picker, choices)

    def _open_picker(self, choices: list[Choice[int]]) -> None:
        if not choices:
            self.notify(
                _("No accepted PI without an order: accept one in the quote editor (ctrl+g)."),
                markup=False,
            )
            return
        self.app.push_screen(FuzzyPicker(_("Order from which PI?"), choices), self._picked)

    def _picked(self, quote_id: int | None) -> None:
        if quote_id is not None:
            self.create(quote_id)

    @work(thread=True, exclusive=True, group="orders-write")
    def create(self, quote_id: int) -> None:
        try:
            view = orders.create_from_quote(quote_id, rep_id=self.rep_id, rep_zone=self.rep_zone)
        except OrderError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.changed = True
        self.selected = view.order_id
        self.app.call_from_thread(
            self.notify, _("Order {number} created").format(number=view.number), markup=False
        )
        self.app.call_from_thread(self.reload)

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.dismiss(self.changed)


__all__ = ["OrdersScreen"]
