"""What sopdesk itself writes on a customer's timeline, stored as data and put into words when read.

A system touch (`Activity` of kind SYSTEM) or a stage change's reason that sopdesk writes holds an
event: its kind and values as JSON (`event_text`), no words of any language. The timeline, the
customer card and the reports word it at read time in the reader's language (`activity_words`,
`stage_reason_words`), so a Chinese rep's entry reads in English for an English colleague and back.
A lost customer's stage change holds the lost reason's code before the rep's own words
("competitor: went with a rival"); the code is worded when read too.

Entries written before events existed are plain text and are shown exactly as stored, like
everything a rep typed: only text that parses as an event of ours is put into words. Values that
people typed or that came from a customer (a name, a port, the customer's feedback) are carried
as they are; only codes (a buyer type, a channel, a yes/no) are worded.

No store and no other service here: the services that write events (reps, quotes, samples …) and
the ones that read them (records_timeline, customers, meetings) all import it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from sopdesk import labels
from sopdesk.i18n import N_, _, ngettext, pgettext
from sopdesk.sop import money
from sopdesk.sop.signals import SIGNAL_LABELS, BuyingSignal
from sopdesk.sop.stages import ActivityKind, BuyerType, Channel, LostReason, Potential, Stage


def list_text(items: Iterable[str]) -> str:
    """Items as a list in the UI language ("a, b, c"; 「a、b、c」 in Chinese)."""
    # TRANSLATORS: separates the items of a list ("contacts, quotes, orders").
    return pgettext("list separator", ", ").join(items)


class Event(StrEnum):
    """What sopdesk itself recorded: a system touch, or (the last group) a stage change's reason.
    Each member's docstring lists its values."""

    MERGED = "merged"
    """Another customer was merged into this one: other, other_name, keep, moved {kind: n}."""
    IMPORTED = "imported"
    """The customer sheet created this customer or set its stage: file, row."""
    REASSIGNED = "reassigned"
    """A manager gave the customer to another rep: old (name, "" for nobody), new, manager,
    inquiries, tasks (how many moved with it), left (the old rep was leaving)."""
    BACKGROUND_CHECKED = "background_checked"
    """The background check was marked done: website, profile, buyer_type (code), potential
    (code or None)."""
    ORDER_CREATED = "order_created"
    """An order was made from an accepted PI: order, quote (label), total (a decimal string),
    currency, terms (the payment terms as written on the PI)."""
    QUOTE_SENT = "quote_sent"
    """A quotation was marked sent: quote (label), total, currency, incoterm, port, valid_until
    (ISO date or None), emailed (recorded by sending the quote e-mail)."""
    QUOTE_ACCEPTED = "quote_accepted"
    """The buyer accepted a quotation: quote (label)."""
    SAMPLE_CHANGED = "sample_changed"
    """A sample was edited: changes, a list of [field, before, after] (`sample_change_value`)."""
    SAMPLE_SENT = "sample_sent"
    """A sample was shipped: courier, tracking."""
    SAMPLE_FEEDBACK = "sample_feedback"
    """The customer's verdict on a sample: feedback (their words, as the rep wrote them down)."""
    # A stage change's reason:
    NEW_INQUIRY = "new_inquiry"
    """A customer made by an inquiry: channel (code)."""
    DEPOSIT_RECEIVED = "deposit_received"
    """The first paid order made an order customer: order (number)."""
    ORDERED_AGAIN = "ordered_again"
    """The second paid order made a loyal customer: order (number)."""
    BUYING_SIGNAL = "buying_signal"
    """The rep accepted a buying signal's suggestion: signal (code), words (the customer's),
    source ("inquiry" or an activity kind), day (YYYY-MM-DD)."""


_EVENT_KEY = "sopdesk_event"


def event_text(event: Event, **values: Any) -> str:
    """The stored text of an event: the event and its values, no words of any language."""
    return json.dumps({_EVENT_KEY: event.value, **values}, ensure_ascii=False, sort_keys=True)


def read_event(text: str) -> tuple[Event, dict[str, Any]] | None:
    """(event, values) of a stored event; None for text (an entry written as words)."""
    if not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    try:
        event = Event(data.pop(_EVENT_KEY, None))
    except ValueError:
        return None
    return event, data


# --- values -------------------------------------------------------------------------------------

DASH = "—"


def _text(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name)
    return str(value) if value not in (None, "") else ""


def _count(values: Mapping[str, Any], name: str) -> int:
    value = values.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def money_value(amount: Decimal | None, currency: str) -> dict[str, str] | None:
    """An amount as an event stores it (a decimal string and its currency)."""
    return {"amount": str(amount), "currency": currency} if amount is not None else None


def _money(value: Any) -> str:
    if not isinstance(value, Mapping):
        return DASH
    try:
        return money.format_money(Decimal(str(value["amount"])), str(value["currency"]))
    except (KeyError, InvalidOperation, money.MoneyError, ValueError):
        return DASH


def _amount(values: Mapping[str, Any]) -> str:
    return _money({"amount": values.get("total"), "currency": values.get("currency")})


# --- touches ------------------------------------------------------------------------------------

_MOVED: dict[str, Callable[[int], str]] = {
    "contacts": lambda n: ngettext("{n} contact", "{n} contacts", n),
    "inquiries": lambda n: ngettext("{n} inquiry", "{n} inquiries", n),
    "activities": lambda n: ngettext("{n} touch", "{n} touches", n),
    "tasks": lambda n: ngettext("{n} follow-up", "{n} follow-ups", n),
    "quotes": lambda n: ngettext("{n} quotation", "{n} quotations", n),
    "samples": lambda n: ngettext("{n} sample", "{n} samples", n),
    "orders": lambda n: ngettext("{n} order", "{n} orders", n),
    "stage_changes": lambda n: ngettext("{n} stage change", "{n} stage changes", n),
}


def _merged(values: Mapping[str, Any]) -> tuple[str, str]:
    other, keep = str(values.get("other", "")), str(values.get("keep", ""))
    name = str(values.get("other_name", ""))
    title = _("Merged {other} into {keep}").format(other=other, keep=keep)
    moved_counts = values.get("moved")
    counts = moved_counts if isinstance(moved_counts, dict) else {}
    moved = [
        words(int(counts[kind])).format(n=int(counts[kind]))
        for kind, words in _MOVED.items()
        if isinstance(counts.get(kind), int) and counts[kind]
    ]
    if moved:
        text = _("Merged {other} ({name}) into {keep}: moved {moved}.").format(
            other=other, name=name, keep=keep, moved=list_text(moved)
        )
    else:
        text = _("Merged {other} ({name}) into {keep}; it had nothing to move.").format(
            other=other, name=name, keep=keep
        )
    return title, text


def _imported(values: Mapping[str, Any]) -> tuple[str, str]:
    title = _("Imported from the customer sheet")
    text = _("Imported from the customer sheet {file}, row {row}.").format(
        file=values.get("file", ""), row=values.get("row", "")
    )
    return title, text


def _reassigned(values: Mapping[str, Any]) -> tuple[str, str]:
    # TRANSLATORS: the previous owner of a customer that had none.
    old = _text(values, "old") or _("nobody")
    new, manager = _text(values, "new"), _text(values, "manager")
    title = _("Reassigned from {old} to {new}").format(old=old, new=new)
    n, m = _count(values, "inquiries"), _count(values, "tasks")
    inquiries = ngettext("{n} unanswered inquiry", "{n} unanswered inquiries", n).format(n=n)
    tasks = ngettext("{n} open follow-up", "{n} open follow-ups", m).format(n=m)
    if values.get("left"):
        text = _("by {manager} when {old} left; {inquiries} and {tasks} moved with the customer")
    else:
        text = _("by {manager}; {inquiries} and {tasks} moved with the customer")
    return title, text.format(manager=manager, old=old, inquiries=inquiries, tasks=tasks)


def _background_checked(values: Mapping[str, Any]) -> tuple[str, str]:
    try:
        buyer = labels.buyer_type(BuyerType(_text(values, "buyer_type")))
    except ValueError:
        buyer = _text(values, "buyer_type") or DASH
    try:
        potential = labels.potential(Potential(values["potential"]))
    except (KeyError, ValueError):
        potential = DASH
    lines = [
        _("Website: {website}").format(website=_text(values, "website") or DASH),
        _("Buyer type: {type}").format(type=buyer),
        _("Potential: {potential}").format(potential=potential),
    ]
    profile = _text(values, "profile").strip()
    if profile:
        lines.append(_("Platform profile: {profile}").format(profile=profile))
    return _("Background check done"), "\n".join(lines)


def _order_created(values: Mapping[str, Any]) -> tuple[str, str]:
    order = _text(values, "order")
    text = _("Order {order} created from {quote}: {total}, {terms}").format(
        order=order,
        quote=_text(values, "quote"),
        total=_amount(values),
        terms=_text(values, "terms"),
    )
    return order, text


def _quote_sent(values: Mapping[str, Any]) -> tuple[str, str]:
    quote = _text(values, "quote")
    term = " ".join(t for t in (_text(values, "incoterm"), _text(values, "port")) if t)
    if values.get("emailed"):
        text = _("Quotation {quote} sent with the quote e-mail: {total}, {term}, valid until {day}")
    else:
        text = _("Quotation {quote} sent: {total}, {term}, valid until {day}")
    day = _text(values, "valid_until") or DASH
    return quote, text.format(quote=quote, total=_amount(values), term=term or DASH, day=day)


def _quote_accepted(values: Mapping[str, Any]) -> tuple[str, str]:
    quote = _text(values, "quote")
    return quote, _("Quotation {quote} accepted by the customer").format(quote=quote)


SAMPLE_FIELDS: dict[str, str] = {
    "product_id": N_("product"),
    "paid": N_("paid"),
    "amount": N_("amount"),
    "currency": N_("currency"),
    "refundable_on_order": N_("refundable on the first order"),
    "freight_by": N_("freight"),
    "courier": N_("courier"),
    "courier_account": N_("courier account"),
    "tracking": N_("tracking number"),
    "note": N_("what is sent"),
    "sent": N_("sent"),
    "delivered": N_("delivered"),
    "feedback": N_("feedback"),
}
"""How a sample's fields are named when one changed (translate at display time)."""


def sample_field(name: str) -> str:
    """A sample field's name in the UI language (its own name when it has no words)."""
    words = SAMPLE_FIELDS.get(name)
    return _(words) if words else name.replace("_", " ")


def _sample_value(name: str, value: Any) -> str:
    if name == "product_id":
        return str(value) if value else _("none")
    if name == "amount":
        return _money(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "freight_by":
        if value == "customer":
            return pgettext("freight", "collect")
        return _("by us")
    return str(value) if value not in (None, "") else DASH


def _sample_changed(values: Mapping[str, Any]) -> tuple[str, str]:
    changes = values.get("changes")
    parts = [
        _("{field}: {before} → {after}").format(
            field=sample_field(str(change[0])),
            before=_sample_value(str(change[0]), change[1]),
            after=_sample_value(str(change[0]), change[2]),
        )
        for change in (changes if isinstance(changes, list) else [])
        if isinstance(change, list) and len(change) == 3
    ]
    # TRANSLATORS: separates the changes of a sample ("amount: … → …; courier: … → …").
    separator = pgettext("separator between changes", "; ")
    return _("Sample"), _("Sample changed: {changes}").format(changes=separator.join(parts))


def _sample_sent(values: Mapping[str, Any]) -> tuple[str, str]:
    courier = _text(values, "courier") or _("courier")
    text = _("Sample sent by {courier} {tracking}").format(
        courier=courier, tracking=_text(values, "tracking")
    )
    return _("Sample"), text.strip()


def _sample_feedback(values: Mapping[str, Any]) -> tuple[str, str]:
    text = _("Sample feedback: {feedback}").format(feedback=_text(values, "feedback"))
    return _("Sample"), text


_TOUCHES: dict[Event, Callable[[Mapping[str, Any]], tuple[str, str]]] = {
    Event.MERGED: _merged,
    Event.IMPORTED: _imported,
    Event.REASSIGNED: _reassigned,
    Event.BACKGROUND_CHECKED: _background_checked,
    Event.ORDER_CREATED: _order_created,
    Event.QUOTE_SENT: _quote_sent,
    Event.QUOTE_ACCEPTED: _quote_accepted,
    Event.SAMPLE_CHANGED: _sample_changed,
    Event.SAMPLE_SENT: _sample_sent,
    Event.SAMPLE_FEEDBACK: _sample_feedback,
}


def activity_words(kind: str, subject: str, text: str) -> tuple[str, str]:
    """(title, text) of a touch as the reader sees it: a system event put into words in the UI
    language; anything else (a rep's touch, an entry written before events) exactly as stored."""
    if kind != ActivityKind.SYSTEM.value:
        return subject, text
    found = read_event(text)
    if found is None or found[0] not in _TOUCHES:
        return subject, text
    event, values = found
    try:
        return _TOUCHES[event](values)
    except (TypeError, ValueError, KeyError):  # values not as this version writes them
        return subject, text


# --- stage-change reasons -----------------------------------------------------------------------


def buying_signal_words(signal: BuyingSignal, words: str, source: str, day: str) -> str:
    """The reason a buying signal gives for a stage change, in the UI language."""
    return _("Buying signal: {signal} — “{words}” ({source}, {day})").format(
        signal=_(SIGNAL_LABELS[signal]), words=words, source=labels.activity(source), day=day
    )


def _new_inquiry(values: Mapping[str, Any]) -> str:
    code = _text(values, "channel")
    try:
        channel = labels.channel(Channel(code))
    except ValueError:
        channel = code
    return _("new inquiry ({channel})").format(channel=channel)


def _deposit_received(values: Mapping[str, Any]) -> str:
    return _("deposit received ({order})").format(order=_text(values, "order"))


def _ordered_again(values: Mapping[str, Any]) -> str:
    return _("second order paid ({order})").format(order=_text(values, "order"))


def _buying_signal(values: Mapping[str, Any]) -> str:
    return buying_signal_words(
        BuyingSignal(_text(values, "signal")),
        _text(values, "words"),
        _text(values, "source"),
        _text(values, "day"),
    )


_REASONS: dict[Event, Callable[[Mapping[str, Any]], str]] = {
    Event.NEW_INQUIRY: _new_inquiry,
    Event.DEPOSIT_RECEIVED: _deposit_received,
    Event.ORDERED_AGAIN: _ordered_again,
    Event.BUYING_SIGNAL: _buying_signal,
}


def lost_reason_note(reason: LostReason, why: str) -> str:
    """A lost customer's stage-change reason as stored: the reason's code, then the rep's words."""
    return f"{reason.value}: {why}" if why else reason.value


def stage_reason_words(to_stage: str, reason: str) -> str:
    """A stage change's reason as the reader sees it: an event of sopdesk's in the UI language
    ("new inquiry (E-mail)"), a lost reason's code in the UI language ("competitor: went with a
    rival" → "竞争对手：went with a rival"), the rep's words and older entries as stored."""
    found = read_event(reason)
    if found is not None:
        event, values = found
        if event not in _REASONS:
            return reason
        try:
            return _REASONS[event](values)
        except (TypeError, ValueError, KeyError):  # values not as this version writes them
            return reason
    if to_stage != Stage.LOST.value or not reason:
        return reason
    code, sep, why = reason.partition(": ")
    try:
        lost = LostReason(code)
    except ValueError:
        return reason
    label = _(labels.LOST_REASON[lost])
    if not sep:
        return label
    return _("{reason}: {why}").format(reason=label, why=why)


__all__ = [
    "SAMPLE_FIELDS",
    "Event",
    "activity_words",
    "buying_signal_words",
    "event_text",
    "list_text",
    "lost_reason_note",
    "money_value",
    "read_event",
    "sample_field",
    "stage_reason_words",
]
