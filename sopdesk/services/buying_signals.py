"""Buying signals in a customer's recent inbound messages, and accepting one (SOP stage 4.1).

The customer's inquiries and inbound touches of the playbook's `scan_days` are scanned with the
playbook's phrase lists (sop/signals.py). For a customer in one of the `suggest_from` stages
(lead, intent) the newest message with a signal suggests moving to negotiation; accepting records
the stage change with the signal as its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pendulum
from peewee import fn

from sopdesk.i18n import _
from sopdesk.services.timeline_events import Event, buying_signal_words, event_text
from sopdesk.sop import signals as signal_rules
from sopdesk.sop.playbook import Playbook, effective
from sopdesk.sop.signals import BuyingSignal, SignalHit
from sopdesk.sop.stages import Direction, Stage
from sopdesk.store.db import database
from sopdesk.store.fields import from_db_time
from sopdesk.store.models import Activity, Customer, Inquiry

INQUIRY_LIMIT = 10
TOUCH_LIMIT = 20
EXCERPT = 50
"""Characters of context on each side of the matched words."""


class NoSignalError(ValueError):
    """Nothing to accept: no signal, or the customer is past the stages that get suggestions."""


@dataclass(frozen=True)
class InboundMessage:
    at: pendulum.DateTime
    source: str
    """"inquiry" or an ActivityKind value."""
    text: str


@dataclass(frozen=True)
class SignalSuggestion:
    customer_id: int
    from_stage: Stage
    to_stage: Stage
    signal: BuyingSignal
    matched: str
    """The customer's own words that carry the signal."""
    excerpt: str
    at: pendulum.DateTime
    source: str
    signals: frozenset[BuyingSignal]
    """Every signal found in the scanned messages."""

    def reason(self) -> str:
        """Why the stage would change, in the UI language (as the timeline words `event`)."""
        return buying_signal_words(
            self.signal, self.matched, self.source, self.at.format("YYYY-MM-DD")
        )

    def event(self) -> str:
        """What the stage change stores: the signal as an event, worded when read."""
        return event_text(
            Event.BUYING_SIGNAL,
            signal=self.signal.value,
            words=self.matched,
            source=self.source,
            day=self.at.format("YYYY-MM-DD"),
        )


def detect(text: str | None, playbook: Playbook | None = None) -> tuple[SignalHit, ...]:
    """The signals in one message, with the effective playbook's phrases."""
    return signal_rules.detect(text, (playbook or effective()).signals.rules)


def _excerpt(text: str, hit: SignalHit) -> str:
    scanned = signal_rules.strip_quoted(text[: signal_rules.SCAN_LIMIT])
    start = max(hit.start - EXCERPT, 0)
    end = min(hit.end + EXCERPT, len(scanned))
    return (
        ("…" if start else "")
        + " ".join(scanned[start:end].split())
        + ("…" if end < len(scanned) else "")
    )


def conversation_start(customer_id: int) -> pendulum.DateTime | None:
    """Our first reply to the customer: two aggregate queries (indexed by customer)."""
    first_reply = (
        Inquiry.select(fn.MIN(Inquiry.first_reply_at))
        .where(Inquiry.customer == customer_id, Inquiry.first_reply_at.is_null(False))
        .scalar()
    )
    first_out = (
        Activity.select(fn.MIN(Activity.at))
        .where(Activity.customer == customer_id, Activity.direction == Direction.OUT)
        .scalar()
    )
    # Peewee converts MIN(field) with the field's converter; raw text when it cannot tell.
    times = [
        t if isinstance(t, pendulum.DateTime) else from_db_time(t)
        for t in (first_reply, first_out)
        if t
    ]
    return min(times) if times else None


def inbound_messages(
    customer_id: int, now: pendulum.DateTime, days: int, after: pendulum.DateTime | None = None
) -> list[InboundMessage]:
    """The customer's inquiries and inbound touches of the last `days` (and after `after`),
    newest first (bounded)."""
    since = now - timedelta(days=days)
    if after is not None and after > since:
        since = after
    messages: list[InboundMessage] = []
    inquiries: list[Any] = list(
        Inquiry.select(Inquiry.received_at, Inquiry.subject, Inquiry.body)
        .where(Inquiry.customer == customer_id, Inquiry.received_at >= since)
        .order_by(Inquiry.received_at.desc())
        .limit(INQUIRY_LIMIT)
    )
    for inquiry in inquiries:
        text = f"{inquiry.subject}\n{inquiry.body}" if inquiry.subject else inquiry.body
        messages.append(InboundMessage(inquiry.received_at, "inquiry", text))
    touches: list[Any] = list(
        Activity.select(Activity.at, Activity.kind, Activity.subject, Activity.text)
        .where(
            Activity.customer == customer_id,
            Activity.direction == Direction.IN,
            Activity.at >= since,
        )
        .order_by(Activity.at.desc())
        .limit(TOUCH_LIMIT)
    )
    for touch in touches:
        text = f"{touch.subject}\n{touch.text}" if touch.subject else touch.text
        messages.append(InboundMessage(touch.at, touch.kind.value, text))
    messages.sort(key=lambda m: m.at, reverse=True)
    return messages


def scan_customer(
    customer_id: int, now: pendulum.DateTime, playbook: Playbook
) -> tuple[frozenset[BuyingSignal], tuple[InboundMessage, SignalHit] | None]:
    """The signals of the conversation so far, and the newest message that carries one.

    Only what the customer wrote after our first reply counts: an opening inquiry asking for
    "price and lead time" is how every inquiry starts, not a step towards an order.
    """
    found: set[BuyingSignal] = set()
    newest: tuple[InboundMessage, SignalHit] | None = None
    start = conversation_start(customer_id)
    if start is None:
        return frozenset(), None
    for message in inbound_messages(customer_id, now, playbook.signals.scan_days, start):
        hits = detect(message.text, playbook)
        found.update(hit.signal for hit in hits)
        best = signal_rules.strongest(hits)
        if newest is None and best is not None:
            newest = (message, best)
    return frozenset(found), newest


def recent_signals(
    customer_id: int, now: pendulum.DateTime, playbook: Playbook | None = None
) -> frozenset[BuyingSignal]:
    playbook = playbook or effective()
    with database.connection_context():
        return scan_customer(customer_id, now, playbook)[0]


def suggest_for(
    customer: Any, now: pendulum.DateTime, playbook: Playbook
) -> SignalSuggestion | None:
    policy = playbook.signals
    if customer.stage not in policy.suggest_from or customer.merged_into_id is not None:
        return None
    found, newest = scan_customer(customer.id, now, playbook)
    if newest is None:
        return None
    message, hit = newest
    return SignalSuggestion(
        customer_id=customer.id,
        from_stage=customer.stage,
        to_stage=policy.suggest_stage,
        signal=hit.signal,
        matched=hit.matched,
        excerpt=_excerpt(message.text, hit),
        at=message.at,
        source=message.source,
        signals=found,
    )


def suggestion(
    customer_id: int, now: pendulum.DateTime, playbook: Playbook | None = None
) -> SignalSuggestion | None:
    """The move the newest buying signal suggests; None when there is none to suggest."""
    playbook = playbook or effective()
    with database.connection_context():
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            return None
        return suggest_for(customer, now, playbook)


def accept(customer_id: int, rep_id: int | None, now: pendulum.DateTime) -> SignalSuggestion:
    """Move the customer to negotiation with the signal as the reason (a StageChange row).

    The suggestion is worked out again here, so a key pressed on a stale screen changes nothing
    that is no longer true. Jumping from lead over intent is what the rep accepted: it is allowed.
    """
    from sopdesk.services import records

    found = suggestion(customer_id, now)
    if found is None:
        raise NoSignalError(_("No buying signal to accept for this customer."))
    records.change_stage(
        customer_id,
        found.to_stage,
        by=rep_id,
        confirm_skip=True,
        event=found.event(),
        now=now,
    )
    return found
