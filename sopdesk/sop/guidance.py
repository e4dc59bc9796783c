"""Negotiation guidance (SOP stage 4.2–4.3) for a customer in negotiation.

Price: don't cut easily, stress value, discount only with a condition. Payment: T/T 30 % deposit,
70 % against the B/L copy, firm with new customers; O/A or L/C only for established ones
("established" = at least the playbook's `established_after_orders` delivered or completed
orders). Samples: free with freight collect, or paid and refunded on the order. Then the final
push. Topics the customer's buying signals touch come first. Pure: no Peewee, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sopdesk.i18n import N_
from sopdesk.sop.playbook import Playbook
from sopdesk.sop.signals import BuyingSignal
from sopdesk.sop.stages import Stage


class Topic(StrEnum):
    PRICE = "price"
    PAYMENT = "payment"
    SAMPLES = "samples"
    FINAL_PUSH = "final_push"


TOPIC_LABELS = {
    Topic.PRICE: N_("Price"),
    Topic.PAYMENT: N_("Payment"),
    Topic.SAMPLES: N_("Samples"),
    Topic.FINAL_PUSH: N_("Final push"),
}
"""English source strings; translate with `_()` when shown."""

_TOPIC_OF_SIGNAL = {
    BuyingSignal.BARGAINING: Topic.PRICE,
    BuyingSignal.PAYMENT_TERMS: Topic.PAYMENT,
    BuyingSignal.CONTRACT_TERMS: Topic.PAYMENT,
    BuyingSignal.SAMPLE_REQUEST: Topic.SAMPLES,
}


@dataclass(frozen=True)
class GuidanceLine:
    topic: Topic
    text: str
    """The playbook's text (English source for the shipped one; translate with `_()`)."""
    templates: tuple[str, ...]
    """Reply template ids that fit."""
    asked: bool
    """The customer's signals touch this topic."""


@dataclass(frozen=True)
class NegotiationGuidance:
    established: bool
    completed_orders: int
    lines: tuple[GuidanceLine, ...]

    def line(self, topic: Topic) -> GuidanceLine | None:
        return next((line for line in self.lines if line.topic is topic), None)


def is_established(completed_orders: int, playbook: Playbook) -> bool:
    return completed_orders >= playbook.negotiation.established_after_orders


def guidance(
    stage: Stage,
    completed_orders: int,
    signals: Iterable[BuyingSignal],
    playbook: Playbook,
) -> NegotiationGuidance | None:
    """The strategy for a customer in negotiation; None in any other stage."""
    if stage is not Stage.NEGOTIATION:
        return None
    guide = playbook.negotiation
    established = is_established(completed_orders, playbook)
    asked = {_TOPIC_OF_SIGNAL[s] for s in signals if s in _TOPIC_OF_SIGNAL}
    texts = {
        Topic.PRICE: guide.price,
        Topic.PAYMENT: guide.payment_established if established else guide.payment_new,
        Topic.SAMPLES: guide.samples,
        Topic.FINAL_PUSH: guide.final_push,
    }
    lines = [
        GuidanceLine(
            topic=topic,
            text=text,
            templates=tuple(guide.templates.get(topic.value, ())),
            asked=topic in asked,
        )
        for topic, text in texts.items()
    ]
    lines.sort(key=lambda line: not line.asked)  # stable: the SOP's order within each group
    return NegotiationGuidance(established, completed_orders, tuple(lines))
