"""What sopdesk itself writes on a timeline (reassignments, checks, quotes, samples, orders, stage
changes it makes) is stored as an event and worded when read, in the reader's language: written
by a rep whose sopdesk speaks another language (the marked fake catalogue, as zh_CN), it reads in
English, and in the other language again. Entries stored before, and a rep's words, read as
stored."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from decimal import Decimal

import pendulum
import pytest

from sopdesk import clock
from sopdesk.services import (
    background,
    buying_signals,
    catalog,
    customers,
    meetings,
    orders,
    quotes,
    records,
    reps,
    samples,
)
from sopdesk.services.capture import InquiryInput, capture
from sopdesk.services.timeline_events import Event, event_text, read_event
from sopdesk.sop.kpi import Period, PeriodKind
from sopdesk.sop.orders import Milestone
from sopdesk.sop.stages import (
    ActivityKind,
    BuyerType,
    Channel,
    Direction,
    LostReason,
    Potential,
    Stage,
)
from sopdesk.store.db import database
from sopdesk.store.models import Activity, Customer, StageChange
from tests.marked_gettext import is_marked, marked
from tests.timeline_words import stage_reasons, stored, system_touches

NOW = pendulum.datetime(2026, 11, 27, 4, tz="UTC")
LATER = NOW.add(days=1)
ZONE = "Asia/Shanghai"
MONTH = Period(PeriodKind.CUSTOM, date(2026, 11, 1), date(2026, 11, 30), ZONE)

pytestmark = pytest.mark.usefixtures("store")


def _customer(number: int = 1, stage: Stage = Stage.NEGOTIATION, **values: object) -> int:
    with database.connection_context():
        return int(
            Customer.create(
                number=number, company="Gulf Star Lighting", country="AE", stage=stage,
                stage_since=NOW.subtract(days=10), **values,
            ).id
        )  # fmt: skip


def _nothing_in_a_language(customer_id: int) -> None:
    """Written under the marked catalogue: any word that went through gettext would be «marked»;
    every system touch holds an event."""
    texts = stored(customer_id)
    assert texts and not [t for t in texts if "«" in t], texts
    with database.connection_context():
        for touch in Activity.select().where(
            Activity.customer == customer_id, Activity.kind == ActivityKind.SYSTEM
        ):
            assert read_event(touch.text) is not None, touch.text


def test_a_reassignment_reads_in_the_readers_language() -> None:
    boss = reps.add_rep("boss", name="Boss", role="manager").rep_id
    ann = reps.add_rep("ann", name="Ann").rep_id
    bob = reps.add_rep("bob", name="Bob").rep_id
    owned, unowned = _customer(1, owner=ann), _customer(2)
    with marked():
        reps.reassign_customer(owned, bob, boss)
        reps.reassign_customer(unowned, ann, boss)
        reps.deactivate_rep("bob", "boss", reassign_to="ann")
    for customer_id in (owned, unowned):
        _nothing_in_a_language(customer_id)
    left, given = system_touches(owned)  # newest first
    assert (given.title, given.text) == (
        "Reassigned from Ann to Bob",
        "by Boss; 0 unanswered inquiries and 0 open follow-ups moved with the customer",
    )
    assert (left.title, left.text) == (
        "Reassigned from Bob to Ann",
        "by Boss when Bob left; 0 unanswered inquiries and 0 open follow-ups moved with the "
        "customer",
    )
    assert system_touches(unowned)[0].title == "Reassigned from nobody to Ann"
    with marked():
        left, given = system_touches(owned)
        assert all(is_marked(t) for t in (left.title, left.text, given.title, given.text))
        assert "Ann" in given.title and "Bob" in given.title  # names stay as they are
        assert "«nobody»" in system_touches(unowned)[0].title
        assert "«0 open follow-ups»" in given.text


def test_a_new_customers_first_stage_reads_in_the_readers_language() -> None:
    inquiry = InquiryInput(
        channel=Channel.EMAIL,
        received_at=NOW.subtract(minutes=5),
        buyer_name="Jonas",
        email="jonas@lichtwerk.de",
        country="DE",
        message="Please quote 500 pcs.",
    )
    with marked():
        made = capture(inquiry)
    _nothing_in_a_language(made.customer_id)
    assert stage_reasons(made.customer_id) == ["new inquiry (E-mail)"]
    with marked():
        (reason,) = stage_reasons(made.customer_id)
        assert is_marked(reason) and "«E-mail»" in reason


def test_a_background_check_reads_in_the_readers_language() -> None:
    customer_id = _customer()
    with database.connection_context():
        version = Customer.get_by_id(customer_id).version
    with marked():
        background.save(
            customer_id, version, website="https://gulfstar.example", platform_profile="Gold buyer",
            buyer_type=BuyerType.DISTRIBUTOR, potential=Potential.A, done=True,
        )  # fmt: skip
    _nothing_in_a_language(customer_id)
    (done,) = system_touches(customer_id)
    assert done.title == "Background check done"
    assert done.text == (
        "Website: https://gulfstar.example\nBuyer type: distributor\nPotential: A\n"
        "Platform profile: Gold buyer"
    )
    card = customers.customer_card(customer_id)  # the customer pane words it the same way
    assert card is not None and card.timeline[0].summary == "Background check done"
    assert card.timeline[0].text == done.text
    with marked():
        (done,) = system_touches(customer_id)
        assert is_marked(done.title) and "«distributor»" in done.text
        assert "Gold buyer" in done.text  # the rep's words as typed
        card = customers.customer_card(customer_id)
        assert card is not None and is_marked(card.timeline[0].summary)


def _quote(customer_id: int) -> quotes.QuoteView:
    product = catalog.save_product(
        catalog.ProductDetail(
            product_id=None, sku="HB-150", name="LED high bay 150W", moq=100,
            tiers=(catalog.TierView(100, Decimal("28.50"), "USD"),),
        )
    )  # fmt: skip
    draft = quotes.QuoteDraft(
        customer_id=customer_id,
        inquiry_id=None,
        lead_time="25 days after deposit",
        valid_until=date(2026, 12, 20),
        lines=quotes.lines_for_products([product], Decimal(1000), "USD"),
    )
    return quotes.save(draft, rep_zone=ZONE)


def test_quotes_orders_and_their_stage_changes_read_in_the_readers_language() -> None:
    customer_id = _customer()
    view = _quote(customer_id)
    with marked():
        quotes.send(view.quote_id, rep_zone=ZONE)
        quotes.accept(view.quote_id, rep_zone=ZONE)
        order = orders.create_from_quote(view.quote_id, rep_zone=ZONE)
        orders.record_milestone(
            order.order_id, Milestone.DEPOSIT_RECEIVED, NOW,
            details={"deposit_amount": "8550"}, rep_zone=ZONE,
        )  # fmt: skip
    with marked(), clock.frozen(LATER):  # the repeat order, a day later
        again = quotes.save(view.to_draft(), rep_zone=ZONE)
        emailed = quotes.emailed(again.label, rep_zone=ZONE)
        assert emailed is not None
        quotes.accept(again.quote_id, rep_zone=ZONE)
        second = orders.create_from_quote(again.quote_id, rep_zone=ZONE)
        orders.record_milestone(
            second.order_id, Milestone.DEPOSIT_RECEIVED, LATER,
            details={"deposit_amount": "8550"}, rep_zone=ZONE,
        )  # fmt: skip
    _nothing_in_a_language(customer_id)
    texts = [t.text for t in reversed(system_touches(customer_id))]  # oldest first
    terms = "T/T 30% deposit, 70% against B/L copy"
    assert texts == [
        "Quotation PI-2026-0001 sent: USD 28,500.00, FOB, valid until 2026-12-20",
        "Quotation PI-2026-0001 accepted by the customer",
        f"Order SO-2026-0001 created from PI-2026-0001: USD 28,500.00, {terms}",
        "Quotation PI-2026-0002 sent with the quote e-mail: USD 28,500.00, FOB, valid until "
        "2026-12-20",
        "Quotation PI-2026-0002 accepted by the customer",
        f"Order SO-2026-0002 created from PI-2026-0002: USD 28,500.00, {terms}",
    ]
    assert (order.number, second.number) == ("SO-2026-0001", "SO-2026-0002")
    assert stage_reasons(customer_id) == [
        "second order paid (SO-2026-0002)",
        "deposit received (SO-2026-0001)",
    ]
    assert [o.reason for o in meetings.weekly_review(MONTH, LATER).orders] == [
        "second order paid (SO-2026-0002)",
        "deposit received (SO-2026-0001)",
    ]
    with marked():
        assert all(is_marked(t.text) for t in system_touches(customer_id))
        reasons = stage_reasons(customer_id)
        assert all(is_marked(r) and "SO-2026-" in r for r in reasons)
        assert all(is_marked(o.reason) for o in meetings.weekly_review(MONTH, LATER).orders)


def test_sample_notes_read_in_the_readers_language() -> None:
    customer_id = _customer()
    made = samples.record(
        samples.SampleInput(
            customer_id, None, paid=True, amount=Decimal("80"), freight_by="us", note="2 pcs"
        )
    )
    with marked():
        edited = samples.update(
            made,
            samples.SampleInput(
                customer_id, None, paid=True, amount=Decimal("95"), freight_by="customer",
                courier_account="DHL 96x123", note="2 pcs",
            ),
        )  # fmt: skip
        samples.mark_sent(edited.sample_id, NOW, courier="DHL", tracking="4837261950")
        samples.record_feedback(edited.sample_id, "Brightness good, wants 4000K", NOW.add(days=5))
    _nothing_in_a_language(customer_id)
    feedback, sent, changed = system_touches(customer_id)
    assert {feedback.title, sent.title, changed.title} == {"Sample"}
    assert changed.text == (
        "Sample changed: amount: USD 80.00 → USD 95.00; freight: by us → collect; "
        "courier account: — → DHL 96x123"
    )
    assert sent.text == "Sample sent by DHL 4837261950"
    assert feedback.text == "Sample feedback: Brightness good, wants 4000K"
    with marked():
        feedback, sent, changed = system_touches(customer_id)
        assert all(is_marked(t.text) and is_marked(t.title) for t in (feedback, sent, changed))
        assert "«freight»: «by us» → «collect»" in changed.text
        assert "Brightness good, wants 4000K" in feedback.text  # the customer's words as written


def test_an_accepted_buying_signal_reads_in_the_readers_language() -> None:
    customer_id = _customer(stage=Stage.INTENT)
    with database.connection_context():
        for direction, days, text in (
            (Direction.OUT, 2, "Our price list is attached."),
            (Direction.IN, 1, "Great. Could you send a sample to Dubai first?"),
        ):
            Activity.create(
                customer=customer_id, kind=ActivityKind.EMAIL, direction=direction,
                at=NOW.subtract(days=days), subject="Re: high bays", text=text,
            )  # fmt: skip
    with marked():
        buying_signals.accept(customer_id, None, NOW)
    _nothing_in_a_language(customer_id)
    assert stage_reasons(customer_id) == [
        "Buying signal: asks for samples — “send a sample” (e-mail, 2026-11-26)"
    ]
    assert records.stage_history(customer_id)[0].reason == stage_reasons(customer_id)[0]
    with marked():
        (reason,) = stage_reasons(customer_id)
        assert is_marked(reason) and "“send a sample”" in reason  # the customer's words


def test_a_lost_reason_in_the_weekly_review_reads_in_the_readers_language() -> None:
    customer_id = _customer()
    with marked():
        records.change_stage(
            customer_id, Stage.LOST, None, "too expensive", lost_reason=LostReason.PRICE, now=NOW
        )
    (lost,) = meetings.weekly_review(MONTH, NOW).lost
    assert lost.note == "price: too expensive" and lost.reason is LostReason.PRICE
    with marked():
        (lost,) = meetings.weekly_review(MONTH, NOW).lost
        assert lost.note == "««price»: too expensive»"


def test_entries_stored_before_and_a_reps_words_read_as_stored() -> None:
    customer_id = _customer()
    old = {
        "Reassigned from Ann to Bob": "by Boss; 1 unanswered inquiries moved with the customer",
        "Sample": "Sample sent by DHL 123",
        "PI-2026-0001": '{"not": "an event of ours"}',
        "SO-2026-0001": event_text(Event.BUYING_SIGNAL, signal="no such signal"),  # unreadable
    }
    with database.connection_context():
        for n, (subject, text) in enumerate(old.items()):
            Activity.create(
                customer=customer_id, kind=ActivityKind.SYSTEM, direction=Direction.NONE,
                at=NOW.subtract(hours=n + 1), subject=subject, text=text,
            )  # fmt: skip
        for n, reason in enumerate(["deposit received (SO-2026-0001)", "new inquiry (email)"]):
            StageChange.create(
                customer=customer_id, from_stage=Stage.LEAD, to_stage=Stage.ORDER,
                at=NOW.subtract(days=n + 1), reason=reason,
            )  # fmt: skip
    records.change_stage(customer_id, Stage.ORDER, None, "price: they paid", now=NOW)
    for language in (marked, nullcontext):  # the other language, and English
        with language():
            shown = {t.title: t.text for t in system_touches(customer_id)}
            assert shown == old
            assert stage_reasons(customer_id) == [
                "price: they paid",  # a rep's words, never worded again
                "deposit received (SO-2026-0001)",
                "new inquiry (email)",
            ]
            card = customers.customer_card(customer_id)
            assert card is not None
            assert {e.summary: e.text for e in card.timeline if e.kind == "system"} == old
