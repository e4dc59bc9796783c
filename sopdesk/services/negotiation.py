"""What the customer pane shows from the playbook: the buying-signal suggestion and, for a
customer in negotiation, the SOP's strategy (sop/guidance.py) with the reply templates that fit.

"Established" is decided from the customer's order history: delivered or completed orders.
"""

from __future__ import annotations

from dataclasses import dataclass

import pendulum
from peewee import fn

from sopdesk.services import buying_signals
from sopdesk.services.buying_signals import SignalSuggestion
from sopdesk.sop import guidance as guidance_rules
from sopdesk.sop.guidance import NegotiationGuidance
from sopdesk.sop.playbook import effective
from sopdesk.sop.stages import OrderStatus, Stage
from sopdesk.store.db import database
from sopdesk.store.models import Customer, Order

COMPLETED = (OrderStatus.ARRIVED, OrderStatus.COMPLETED)


@dataclass(frozen=True)
class PlaybookPanelView:
    customer_id: int
    stage: Stage
    suggestion: SignalSuggestion | None
    guidance: NegotiationGuidance | None
    known_templates: frozenset[str]
    """Of the template ids the guidance names, the ones that exist (shipped or the rep's)."""


def completed_orders(customer_id: int) -> int:
    """Delivered or completed orders: one aggregate query."""
    return int(
        Order.select(fn.COUNT(Order.id))
        .where(
            Order.customer == customer_id,
            Order.status.in_([s.value for s in COMPLETED]) | Order.arrived_at.is_null(False),
        )
        .scalar()
        or 0
    )


def _existing_templates(ids: set[str]) -> frozenset[str]:
    if not ids:
        return frozenset()
    try:
        from sopdesk.services.drafting import Catalogue

        known = set(Catalogue().ids())
    except Exception:  # a broken template folder must not hide the guidance
        return frozenset()
    return frozenset(ids & known)


def panel(customer_id: int, now: pendulum.DateTime) -> PlaybookPanelView | None:
    playbook = effective()
    with database.connection_context():
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            return None
        stage = customer.stage
        suggestion = buying_signals.suggest_for(customer, now, playbook)
        guide = None
        if stage is Stage.NEGOTIATION:
            signals = buying_signals.scan_customer(customer_id, now, playbook)[0]
            guide = guidance_rules.guidance(stage, completed_orders(customer_id), signals, playbook)
    ids = {t for line in guide.lines for t in line.templates} if guide else set()
    return PlaybookPanelView(
        customer_id=customer_id,
        stage=stage,
        suggestion=suggestion,
        guidance=guide,
        known_templates=_existing_templates(ids),
    )
