"""Orders: the milestones in order, the next one, the documents checklist, and the reminders —
the playbook's (weekly updates, arrival) and ours (inspection, documents, balance, reorder)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pendulum
import pytest

from sopdesk.services import catalog, orders, playbook_tasks, quotes, sales_tasks
from sopdesk.sop import orders as rules
from sopdesk.sop.orders import Milestone
from sopdesk.sop.stages import Channel, OrderStatus, Stage
from sopdesk.store import db
from sopdesk.store.models import Customer, Inquiry, Order, Task

ZONE = "Asia/Shanghai"
T = pendulum.datetime(2026, 10, 1, 2, tz="UTC")

# --- the rules -------------------------------------------------------------------------------


def test_milestones_follow_the_sop_order() -> None:
    assert rules.MILESTONES == (
        Milestone.DEPOSIT_RECEIVED,
        Milestone.PRODUCTION_STARTED,
        Milestone.INSPECTED,
        Milestone.PACKED,
        Milestone.FORWARDER_BOOKED,
        Milestone.SHIPPED,
        Milestone.DOCUMENTS_SENT,
        Milestone.BALANCE_RECEIVED,
        Milestone.ARRIVED,
        Milestone.FEEDBACK,
    )
    assert Milestone.SHIPPED.column == "shipped_at"
    assert set(rules.MILESTONE_TITLES) == set(rules.MILESTONES)


def test_the_next_milestone_depends_on_the_payment_terms() -> None:
    nothing: dict[Milestone, object] = {}
    assert rules.next_milestone(nothing, Decimal(30)) is Milestone.DEPOSIT_RECEIVED
    assert rules.next_milestone(nothing, None) is Milestone.PRODUCTION_STARTED  # L/C, O/A
    done = {m: T for m in rules.MILESTONES[:7]}
    assert rules.next_milestone(done, Decimal(30)) is Milestone.BALANCE_RECEIVED
    assert rules.next_milestone(done, Decimal(100)) is Milestone.ARRIVED  # paid in full
    assert rules.next_milestone(dict.fromkeys(rules.MILESTONES, T), Decimal(30)) is None
    # a step left out on the way is not the next one once a later one is dated
    gap = {Milestone.DEPOSIT_RECEIVED: T, Milestone.SHIPPED: T}
    assert rules.next_milestone(gap, Decimal(30)) is Milestone.DOCUMENTS_SENT


def test_status_and_out_of_order_dates() -> None:
    assert rules.status_for({}) is OrderStatus.AWAITING_DEPOSIT
    assert rules.status_for({Milestone.DEPOSIT_RECEIVED: T}) is OrderStatus.IN_PRODUCTION
    assert rules.status_for({Milestone.FORWARDER_BOOKED: T}) is OrderStatus.INSPECTED
    assert rules.status_for({Milestone.SHIPPED: T}) is OrderStatus.SHIPPED
    assert rules.status_for({Milestone.ARRIVED: T}) is OrderStatus.ARRIVED
    assert rules.status_for({Milestone.FEEDBACK: T}) is OrderStatus.COMPLETED
    backwards = {Milestone.PRODUCTION_STARTED: T, Milestone.SHIPPED: T.subtract(days=2)}
    assert rules.out_of_order(backwards) == [(Milestone.PRODUCTION_STARTED, Milestone.SHIPPED)]
    usual = {Milestone.FORWARDER_BOOKED: T, Milestone.INSPECTED: T.add(days=3)}
    assert rules.out_of_order(usual) == []


def test_the_documents_checklist() -> None:
    items = rules.checklist({"bl": T, "fumigation_certificate": None}, ["Fumigation certificate"])
    assert [i.kind for i in items] == [
        "bl",
        "commercial_invoice",
        "packing_list",
        "certificate_of_origin",
        "fumigation_certificate",
    ]
    assert items[0].sent_at == T and items[-1].label == "Fumigation certificate"
    assert not rules.all_sent(items)
    assert rules.all_sent([replace(i, sent_at=T) for i in items])
    assert rules.document_kind("Form E (China–ASEAN)") == "form_e_china_asean"


def test_step_reminders() -> None:
    base = rules.OrderDates(
        production_since=T,
        lead_time_days=25,
        inspected_at=None,
        shipped_at=None,
        documents_sent_at=None,
        balance_received_at=None,
        deposit_percent=Decimal(30),
    )
    (inspection,) = rules.reminders(base)
    assert inspection.slot == "inspection" and inspection.due == T.add(days=20)
    shipped = replace(base, inspected_at=T.add(days=22), shipped_at=T.add(days=30))
    assert [r.slot for r in rules.reminders(shipped)] == ["documents", "balance"]
    sent = replace(shipped, documents_sent_at=T.add(days=31))
    (balance,) = rules.reminders(sent)
    assert balance.due == T.add(days=34)
    assert rules.reminders(replace(sent, balance_received_at=T.add(days=33))) == ()
    assert rules.reminders(replace(sent, deposit_percent=None)) == ()  # L/C: no balance chase
    short = replace(base, lead_time_days=8)
    assert rules.reminders(short)[0].due == T.add(days=7)  # never sooner than a week


def test_balance_amount() -> None:
    assert rules.balance_amount(Decimal("100.00"), Decimal("30.00")) == Decimal("70.00")
    assert rules.balance_amount(Decimal("100.00"), None) == Decimal("100.00")
    assert rules.balance_amount(Decimal("100.00"), Decimal("120.00")) == Decimal(0)


# --- the service ----------------------------------------------------------------------------


@pytest.fixture
def accepted(store: Path, frozen_clock: pendulum.DateTime) -> quotes.QuoteView:
    product = catalog.save_product(
        catalog.ProductDetail(
            product_id=None,
            sku="HB-150",
            name="LED high bay 150W",
            moq=100,
            tiers=(catalog.TierView(100, Decimal("28.50"), "USD"),),
        )
    )
    with db.database.connection_context():
        customer = Customer.create(
            number=7,
            company="Gulf Star Lighting",
            country="AE",
            stage=Stage.NEGOTIATION,
            stage_since=frozen_clock.subtract(days=10),
        )
        Inquiry.create(
            customer=customer,
            channel=Channel.EMAIL,
            received_at=frozen_clock.subtract(days=20),
            subject="high bay",
            body="b",
        )
    draft = quotes.QuoteDraft(
        customer_id=customer.id,
        inquiry_id=None,
        lead_time="25 days after deposit",
        valid_until=date(2026, 12, 20),
        lines=quotes.lines_for_products([product], Decimal(1000), "USD"),
    )
    view = quotes.save(draft, rep_zone=ZONE)
    quotes.send(view.quote_id, rep_zone=ZONE)
    return quotes.accept(view.quote_id, rep_zone=ZONE)


def test_an_order_comes_from_an_accepted_pi_once(accepted: quotes.QuoteView) -> None:
    order = orders.create_from_quote(accepted.quote_id, rep_zone=ZONE)
    assert order.number == "SO-2026-0001" and order.quote_label == accepted.label
    assert order.total == Decimal("28500.00") and order.deposit_due == Decimal("8550.00")
    assert order.next_milestone is Milestone.DEPOSIT_RECEIVED
    assert order.status == "awaiting_deposit"
    with pytest.raises(orders.OrderError, match="already has order SO-2026-0001"):
        orders.create_from_quote(accepted.quote_id, rep_zone=ZONE)


def test_a_draft_quote_makes_no_order(store: Path, accepted: quotes.QuoteView) -> None:
    other = quotes.save(replace(accepted.to_draft(), inquiry_id=None), rep_zone=ZONE)
    with pytest.raises(orders.OrderError, match="accept"):
        orders.create_from_quote(other.quote_id, rep_zone=ZONE)


def test_milestones_move_the_order_the_customer_and_the_reminders(
    accepted: quotes.QuoteView, frozen_clock: pendulum.DateTime
) -> None:
    now = frozen_clock
    order = orders.create_from_quote(accepted.quote_id, rep_zone=ZONE)
    order = orders.record_milestone(
        order.order_id,
        Milestone.DEPOSIT_RECEIVED,
        now,
        details={"deposit_amount": "8550"},
        rep_zone=ZONE,
    )
    assert order.status == "in_production" and order.deposit_amount == Decimal("8550.00")
    assert order.balance == Decimal("19950.00")
    assert order.next_milestone is Milestone.PRODUCTION_STARTED
    with db.database.connection_context():
        assert Customer.get_by_id(accepted.customer_id).stage is Stage.ORDER
    order = orders.record_milestone(
        order.order_id, Milestone.PRODUCTION_STARTED, now, rep_zone=ZONE
    )
    (inspection,) = sales_tasks.open_reminders(accepted.customer_id, [sales_tasks.RULE_ORDER_STEP])
    assert "inspection" in inspection.title.lower()
    assert inspection.due_at.in_timezone("Asia/Dubai").date() == date(2026, 12, 17)  # +20 days
    # the playbook's weekly update comes from the same record
    playbook_tasks.refresh(now.add(days=7, hours=6), ZONE)
    with db.database.connection_context():
        keys = {t.rule_key for t in Task.select().where(Task.customer == accepted.customer_id)}
    assert f"production_update|o{order.order_id}|w1" in keys
    order = orders.add_production_update(
        order.order_id, now.add(days=7), "Housings anodised", ["https://x.example/w1.mp4"]
    )
    assert order.latest_production_update.links == ("https://x.example/w1.mp4",)
    later = now.add(days=21)
    orders.record_milestone(
        order.order_id,
        Milestone.INSPECTED,
        later,
        details={"inspected_by": "SGS", "inspection_result": "AQL 2.5 passed"},
        now=later,
        rep_zone=ZONE,
    )
    shipped_at = now.add(days=24)
    order = orders.record_milestone(
        order.order_id,
        Milestone.SHIPPED,
        shipped_at,
        details={"vessel": "MSC ANNA", "bl_number": "MEDU123", "eta": shipped_at.add(days=20)},
        now=shipped_at,
        rep_zone=ZONE,
    )
    assert order.status == "shipped" and order.vessel == "MSC ANNA"
    slots = [r.title for r in sales_tasks.open_reminders(accepted.customer_id, ["order_step"])]
    assert len(slots) == 2 and "documents" in slots[0] and "Balance" in slots[1]
    for kind in ("bl", "commercial_invoice", "packing_list"):
        order = orders.set_document(order.order_id, kind, shipped_at.add(days=1), now=shipped_at)
    assert order.at(Milestone.DOCUMENTS_SENT) is None
    order = orders.set_document(
        order.order_id, "certificate_of_origin", shipped_at.add(days=2), now=shipped_at
    )
    assert order.at(Milestone.DOCUMENTS_SENT) == shipped_at.add(days=2)
    assert order.next_milestone is Milestone.BALANCE_RECEIVED
    reminders = sales_tasks.open_reminders(accepted.customer_id, ["order_step"])
    assert [r.title.split(":")[0] for r in reminders] == [
        "Balance payment due against the B/L copy"
    ]
    with pytest.raises(orders.OrderError, match="rating"):
        orders.record_milestone(
            order.order_id,
            Milestone.FEEDBACK,
            shipped_at,
            details={"feedback_rating": 9},
            now=shipped_at,
        )
    with pytest.raises(orders.OrderError, match="does not record"):
        orders.record_milestone(
            order.order_id, Milestone.ARRIVED, shipped_at, details={"vessel": "x"}, now=shipped_at
        )


def test_reorder_prompt_after_the_second_order(
    accepted: quotes.QuoteView, frozen_clock: pendulum.DateTime
) -> None:
    first = orders.create_from_quote(accepted.quote_id, rep_zone=ZONE)
    with db.database.connection_context():
        Order.update(ordered_at=frozen_clock.subtract(days=90)).where(
            Order.id == first.order_id
        ).execute()
    assert orders.reorder_prediction(accepted.customer_id, ZONE) is None
    assert sales_tasks.open_reminders(accepted.customer_id, ["reorder_prompt"]) == []
    again = quotes.save(replace(accepted.to_draft(), inquiry_id=None), rep_zone=ZONE)
    quotes.send(again.quote_id, rep_zone=ZONE)
    quotes.accept(again.quote_id, rep_zone=ZONE)
    orders.create_from_quote(again.quote_id, rep_zone=ZONE)
    prediction = orders.reorder_prediction(accepted.customer_id, ZONE)
    assert prediction is not None and prediction.mean_interval_days == 90
    assert prediction.next_order_on == date(2026, 11, 27) + timedelta(days=90)
    (task,) = sales_tasks.open_reminders(accepted.customer_id, ["reorder_prompt"])
    assert "25 Feb 2027" in task.title
    assert task.due_at.in_timezone("Asia/Dubai").date() == prediction.ask_on


def test_lead_time_days_are_read() -> None:
    assert orders.lead_time_days("25 days after deposit") == 25
    assert orders.lead_time_days("15-20 working days") == 20
    assert orders.lead_time_days("about a month") is None
