"""Stale deals per stage, and the negotiation guidance for new and established customers."""

from __future__ import annotations

import pendulum

from sopdesk.sop import guidance, stale
from sopdesk.sop.guidance import Topic
from sopdesk.sop.playbook import shipped
from sopdesk.sop.signals import BuyingSignal
from sopdesk.sop.stages import Stage

NOW = pendulum.datetime(2026, 11, 27, 4, tz="UTC")
BOOK = shipped()


def test_each_stage_rots_after_its_own_limit() -> None:
    assert not stale.is_stale(Stage.LEAD, NOW.subtract(days=6), NOW, BOOK)
    assert stale.is_stale(Stage.LEAD, NOW.subtract(days=7), NOW, BOOK)
    assert not stale.is_stale(Stage.NEGOTIATION, NOW.subtract(days=29), NOW, BOOK)
    assert stale.is_stale(Stage.NEGOTIATION, NOW.subtract(days=31), NOW, BOOK)
    # Loyal, dormant and lost customers never rot; a missing date is not stale either.
    for stage in (Stage.LOYAL, Stage.DORMANT, Stage.LOST):
        assert not stale.is_stale(stage, NOW.subtract(days=3000), NOW, BOOK)
    assert not stale.is_stale(Stage.LEAD, None, NOW, BOOK)


def test_staleness_says_since_when_and_how_long() -> None:
    since = NOW.subtract(days=40)
    found = stale.staleness(Stage.INTENT, since, BOOK)
    assert found is not None
    assert found.limit.days == 21 and found.stale_at == since.add(days=21)
    assert found.days_in_stage(NOW) == 40
    assert stale.cutoff(Stage.INTENT, NOW, BOOK) == NOW.subtract(days=21)
    assert stale.cutoff(Stage.LOYAL, NOW, BOOK) is None
    # A stay in a stage is one task: a new stage_since makes a new slot.
    assert stale.stale_slot(Stage.INTENT, since) != stale.stale_slot(Stage.INTENT, NOW)


def test_new_customers_get_tt_30_70_and_established_ones_may_get_oa_or_lc() -> None:
    new = guidance.guidance(Stage.NEGOTIATION, 0, (), BOOK)
    assert new is not None and not new.established
    payment = new.line(Topic.PAYMENT)
    assert payment is not None and "T/T 30% deposit" in payment.text and "O/A" not in payment.text
    established = guidance.guidance(Stage.NEGOTIATION, 1, (), BOOK)
    assert established is not None and established.established
    payment = established.line(Topic.PAYMENT)
    assert payment is not None and "O/A or L/C" in payment.text


def test_guidance_covers_price_and_samples_with_their_templates() -> None:
    found = guidance.guidance(Stage.NEGOTIATION, 0, (), BOOK)
    assert found is not None
    price = found.line(Topic.PRICE)
    samples = found.line(Topic.SAMPLES)
    assert price is not None and "larger quantity" in price.text
    assert samples is not None and "freight" in samples.text and "refunded" in samples.text
    assert price.templates == ("negotiation_price",)
    assert [line.topic for line in found.lines] == [
        Topic.PRICE,
        Topic.PAYMENT,
        Topic.SAMPLES,
        Topic.FINAL_PUSH,
    ]


def test_what_the_customer_asked_about_comes_first() -> None:
    found = guidance.guidance(
        Stage.NEGOTIATION, 0, (BuyingSignal.SAMPLE_REQUEST, BuyingSignal.PAYMENT_TERMS), BOOK
    )
    assert found is not None
    assert [line.topic for line in found.lines][:2] == [Topic.PAYMENT, Topic.SAMPLES]
    assert [line.asked for line in found.lines] == [True, True, False, False]


def test_no_guidance_outside_negotiation() -> None:
    for stage in Stage:
        if stage is not Stage.NEGOTIATION:
            assert guidance.guidance(stage, 3, (), BOOK) is None
