"""Order execution (SOP stage 5): the milestones in their order, which one is next, the shipping
documents checklist, and the reminders an order asks for besides the playbook's cadences.

An order comes from an accepted PI. Its milestones, in the SOP's order:

    deposit received → production started → (weekly production updates) → inspection →
    packing photos → forwarder booked → shipped → documents sent → balance received →
    arrived → feedback received

The payment terms decide two of them: without a deposit (L/C, O/A) there is no "deposit
received", and with 100 % paid before shipment there is no balance to wait for. The next milestone
is the first one (of those that apply) after the furthest one reached; dates recorded out of
order are accepted but reported, since real orders do not always follow the book (the forwarder
is often booked before the inspection).

The weekly production updates, the arrival check and the feedback request are the playbook's
cadences (sop/cadence_rules.py). The reminders here are the steps the playbook does not plan:
book the inspection before production ends, send the documents once shipped, chase the balance
against the B/L copy. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sopdesk.i18n import N_
from sopdesk.sop.stages import OrderStatus


class Milestone(StrEnum):
    """Each milestone is named after the Order column that holds its date (without `_at`)."""

    DEPOSIT_RECEIVED = "deposit_received"
    PRODUCTION_STARTED = "production_started"
    INSPECTED = "inspected"
    PACKED = "packed"
    FORWARDER_BOOKED = "forwarder_booked"
    SHIPPED = "shipped"
    DOCUMENTS_SENT = "documents_sent"
    BALANCE_RECEIVED = "balance_received"
    ARRIVED = "arrived"
    FEEDBACK = "feedback"

    @property
    def column(self) -> str:
        """The Order field holding the milestone's date."""
        return f"{self.value}_at"


MILESTONES: tuple[Milestone, ...] = tuple(Milestone)
"""In the SOP's order."""

MILESTONE_TITLES: dict[Milestone, str] = {
    Milestone.DEPOSIT_RECEIVED: N_("Deposit received"),
    Milestone.PRODUCTION_STARTED: N_("Production started"),
    Milestone.INSPECTED: N_("Inspection"),
    Milestone.PACKED: N_("Packing photos"),
    Milestone.FORWARDER_BOOKED: N_("Forwarder booked"),
    Milestone.SHIPPED: N_("Shipped"),
    Milestone.DOCUMENTS_SENT: N_("Documents sent"),
    Milestone.BALANCE_RECEIVED: N_("Balance received"),
    Milestone.ARRIVED: N_("Arrived"),
    Milestone.FEEDBACK: N_("Feedback received"),
}
"""English source strings; translate with `_()` where shown."""

MILESTONE_TEMPLATES: dict[Milestone, str] = {
    Milestone.DEPOSIT_RECEIVED: "deposit_received",
    Milestone.PRODUCTION_STARTED: "production_update",
    Milestone.INSPECTED: "inspection_booking",
    Milestone.PACKED: "production_update",
    Milestone.SHIPPED: "shipping_notice",
    Milestone.DOCUMENTS_SENT: "documents_sent",
    Milestone.ARRIVED: "arrival_check",
    Milestone.FEEDBACK: "feedback_request",
}
"""The reply template that tells the customer about each milestone."""


def applicable(deposit_percent: Decimal | None) -> tuple[Milestone, ...]:
    """The milestones the payment terms call for (see the module docstring)."""
    skip: set[Milestone] = set()
    if deposit_percent is None or deposit_percent <= 0:
        skip.add(Milestone.DEPOSIT_RECEIVED)
    if deposit_percent is not None and deposit_percent >= 100:
        skip.add(Milestone.BALANCE_RECEIVED)
    return tuple(m for m in MILESTONES if m not in skip)


def next_milestone(
    done: Mapping[Milestone, datetime | date | None], deposit_percent: Decimal | None
) -> Milestone | None:
    """The first applicable milestone after the furthest one reached; None when the order is
    complete. A step left out on the way (no packing photos recorded before shipping) is not
    the next one any more — it can still be dated."""
    steps = applicable(deposit_percent)
    reached = [i for i, m in enumerate(steps) if done.get(m) is not None]
    start = reached[-1] + 1 if reached else 0
    return next((m for m in steps[start:] if done.get(m) is None), None)


def out_of_order(
    done: Mapping[Milestone, datetime | date | None],
) -> list[tuple[Milestone, Milestone]]:
    """(earlier milestone, later milestone) pairs whose dates run backwards, for a warning.
    The forwarder booked before the inspection is normal and not reported."""
    normal = {
        (Milestone.INSPECTED, Milestone.FORWARDER_BOOKED),
        (Milestone.PACKED, Milestone.FORWARDER_BOOKED),
    }
    found: list[tuple[Milestone, Milestone]] = []
    dated = [(m, done[m]) for m in MILESTONES if done.get(m) is not None]
    for i, (first, first_at) in enumerate(dated):
        for second, second_at in dated[i + 1 :]:
            if (first, second) in normal:
                continue
            if _day(second_at) < _day(first_at):
                found.append((first, second))
    return found


def _day(value: datetime | date | None) -> date:
    assert value is not None
    return value.date() if isinstance(value, datetime) else value


def status_for(done: Mapping[Milestone, datetime | date | None]) -> OrderStatus:
    """The order's status from its milestones (the furthest one reached)."""

    def has(*milestones: Milestone) -> bool:
        return any(done.get(m) is not None for m in milestones)

    if has(Milestone.FEEDBACK):
        return OrderStatus.COMPLETED
    if has(Milestone.ARRIVED):
        return OrderStatus.ARRIVED
    if has(Milestone.SHIPPED, Milestone.DOCUMENTS_SENT, Milestone.BALANCE_RECEIVED):
        return OrderStatus.SHIPPED
    if has(Milestone.INSPECTED, Milestone.PACKED, Milestone.FORWARDER_BOOKED):
        return OrderStatus.INSPECTED
    if has(Milestone.DEPOSIT_RECEIVED, Milestone.PRODUCTION_STARTED):
        return OrderStatus.IN_PRODUCTION
    return OrderStatus.AWAITING_DEPOSIT


# --- the shipping documents ------------------------------------------------------------------

STANDARD_DOCUMENTS: tuple[tuple[str, str], ...] = (
    ("bl", N_("B/L (or AWB) copy")),
    ("commercial_invoice", N_("Commercial invoice")),
    ("packing_list", N_("Packing list")),
    ("certificate_of_origin", N_("Certificate of origin")),
)
"""(kind, English label): the documents every export order sends (SOP 5.2)."""


@dataclass(frozen=True)
class DocumentItem:
    kind: str
    label: str
    """English source for the standard ones (translate with `_()`); as configured otherwise."""
    standard: bool
    sent_at: datetime | None


def document_kind(label: str) -> str:
    """The stored kind of a document named in the config ("Fumigation certificate" →
    "fumigation_certificate")."""
    words = "".join(ch if ch.isalnum() else " " for ch in label.casefold()).split()
    return "_".join(words)[:64] or "other"


def checklist(
    sent: Mapping[str, datetime | None], extra_documents: Sequence[str] = ()
) -> tuple[DocumentItem, ...]:
    """The standard documents, then the ones the config adds, then any other recorded kind."""
    items = [DocumentItem(k, label, True, sent.get(k)) for k, label in STANDARD_DOCUMENTS]
    seen = {k for k, _label in STANDARD_DOCUMENTS}
    for label in extra_documents:
        kind = document_kind(label)
        if kind in seen:
            continue
        seen.add(kind)
        items.append(DocumentItem(kind, label.strip(), False, sent.get(kind)))
    for kind in sorted(k for k in sent if k not in seen):
        items.append(DocumentItem(kind, kind.replace("_", " "), False, sent[kind]))
    return tuple(items)


def all_sent(items: Sequence[DocumentItem]) -> bool:
    return bool(items) and all(item.sent_at is not None for item in items)


# --- reminders the playbook does not plan ----------------------------------------------------

INSPECTION_BEFORE_END_DAYS = 5
"""Book the inspection this many days before production should end."""
DOCUMENTS_AFTER_SHIPPING_DAYS = 2
BALANCE_AFTER_DOCUMENTS_DAYS = 3


@dataclass(frozen=True)
class OrderDates:
    production_since: datetime | None
    """Production start (or the deposit when the start was not recorded)."""
    lead_time_days: int | None
    inspected_at: datetime | None
    shipped_at: datetime | None
    documents_sent_at: datetime | None
    balance_received_at: datetime | None
    deposit_percent: Decimal | None


@dataclass(frozen=True)
class Reminder:
    slot: str
    """Stable id within the order ("inspection", "documents", "balance")."""
    due: datetime
    title: str
    """English source with {order}; translate with `_()`."""
    template_id: str


def reminders(dates: OrderDates) -> tuple[Reminder, ...]:
    """The reminders still due for an order (each disappears once its milestone is dated)."""
    found: list[Reminder] = []
    if (
        dates.production_since is not None
        and dates.inspected_at is None
        and dates.shipped_at is None
    ):
        lead = dates.lead_time_days or 0
        days = max(lead - INSPECTION_BEFORE_END_DAYS, 7)
        found.append(
            Reminder(
                "inspection",
                dates.production_since + timedelta(days=days),
                N_("Book the final inspection: order {order}"),
                "inspection_booking",
            )
        )
    if dates.shipped_at is not None and dates.documents_sent_at is None:
        found.append(
            Reminder(
                "documents",
                dates.shipped_at + timedelta(days=DOCUMENTS_AFTER_SHIPPING_DAYS),
                N_("Send the shipping documents: order {order}"),
                "documents_sent",
            )
        )
    # Only T/T with a deposit has a balance "against the B/L copy"; L/C and O/A are paid on
    # their own schedule.
    deposit = dates.deposit_percent
    balance_due = deposit is not None and 0 < deposit < 100
    if balance_due and dates.balance_received_at is None:
        after = dates.documents_sent_at or dates.shipped_at
        if after is not None:
            found.append(
                Reminder(
                    "balance",
                    after + timedelta(days=BALANCE_AFTER_DOCUMENTS_DAYS),
                    N_("Balance payment due against the B/L copy: order {order}"),
                    "documents_sent",
                )
            )
    return tuple(found)


def balance_amount(total: Decimal, deposit_amount: Decimal | None) -> Decimal:
    """What is left to pay after the deposit (never below zero)."""
    return max(total - (deposit_amount or Decimal(0)), Decimal(0))


__all__ = [
    "MILESTONES",
    "MILESTONE_TEMPLATES",
    "MILESTONE_TITLES",
    "STANDARD_DOCUMENTS",
    "DocumentItem",
    "Milestone",
    "OrderDates",
    "Reminder",
    "all_sent",
    "applicable",
    "balance_amount",
    "checklist",
    "document_kind",
    "next_milestone",
    "out_of_order",
    "reminders",
    "status_for",
]
