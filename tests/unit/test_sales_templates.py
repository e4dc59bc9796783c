"""The quote, order and after-sales reply templates with the demo's quotes and orders."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from sopdesk import clock, config
from sopdesk.services import drafting, orders, quotes
from sopdesk.sop.orders import Milestone
from sopdesk.sop.playbook import effective
from sopdesk.sop.stages import QuoteStatus
from sopdesk.store import db
from sopdesk.store.models import Inquiry, Order, Quote

ISSUE_TEMPLATES = {
    "quote_email", "deposit_received", "production_update", "inspection_booking",
    "shipping_notice", "documents_sent", "arrival_check", "feedback_request",
    "review_case_request", "holiday_greeting", "monthly_news", "reorder_prompt",
    "closing_urgency", "closing_incentive", "closing_next_step",
}  # fmt: skip


def test_the_issue_templates_and_the_playbooks_negotiation_templates_ship() -> None:
    catalogue = drafting.Catalogue()
    assert catalogue.problems == ()
    wanted = set(ISSUE_TEMPLATES)
    for ids in effective().negotiation.templates.values():
        wanted |= set(ids)
    assert wanted <= set(catalogue.ids()), wanted - set(catalogue.ids())


def _inquiry_of(customer_id: int) -> int:
    with db.database.connection_context():
        return Inquiry.select().where(Inquiry.customer == customer_id).first().id


def _render(template: str, inquiry_id: int) -> drafting.Draft:
    return drafting.render(
        template, drafting.build_context(inquiry_id, config.demo_settings()), drafting.Catalogue()
    )


def test_the_quote_email_summarises_the_quote_and_ends_with_questions(demo_store: Path) -> None:
    with db.database.connection_context():
        row = Quote.select().where(Quote.status == QuoteStatus.SENT).first()
    view = quotes.get(row.id)
    draft = _render("quote_email", _inquiry_of(view.customer_id))
    assert view.label in draft.subject
    for line in view.lines:
        assert f"{int(line.quantity):,} {line.unit}" in draft.text
    assert (
        f"Total {view.incoterm.value} {view.port}: {view.currency} {view.total:,.2f}" in draft.text
    )
    assert "Validity: prices valid until" in draft.text
    body = draft.text.split("Best regards,")[0].rstrip()
    questions = [line for line in body.splitlines() if line.startswith("- ")]
    assert 1 <= len(questions) <= 2 and body.splitlines()[-1] == questions[-1]
    assert all("?" in question for question in questions)


def test_closing_urgency_names_the_real_validity_date(demo_store: Path) -> None:
    with db.database.connection_context():
        row = Quote.select().where(Quote.status == QuoteStatus.SENT).first()
    day = pendulum.date(row.valid_until.year, row.valid_until.month, row.valid_until.day)
    draft = _render("closing_urgency", _inquiry_of(row.customer_id))
    assert (
        f"valid until {day.format('D MMM')}, based on the current raw-material cost" in draft.text
    )


def test_order_templates_use_the_order(demo_store: Path) -> None:
    with db.database.connection_context():
        shipped = (
            Order.select()
            .where(Order.shipped_at.is_null(False), Order.arrived_at.is_null())
            .first()
        )
    inquiry = _inquiry_of(shipped.customer_id)
    notice = _render("shipping_notice", inquiry)
    assert shipped.number in notice.subject and shipped.bl_number in notice.text
    assert shipped.vessel in notice.text
    orders.add_production_update(
        shipped.id, clock.now(), "Packing done", ["https://x.example/pack.mp4"]
    )
    update = _render("production_update", inquiry)
    assert "https://x.example/pack.mp4" in update.text and "Packing done" in update.text
    assert orders.get(shipped.id).next_milestone in (
        Milestone.DOCUMENTS_SENT,
        Milestone.BALANCE_RECEIVED,
        Milestone.ARRIVED,
    )


@pytest.mark.parametrize("template", sorted(ISSUE_TEMPLATES))
def test_every_issue_template_renders_without_a_quote_or_order(
    template: str, store: Path, frozen_clock: pendulum.DateTime
) -> None:
    from sopdesk.sop.stages import Channel, Stage
    from sopdesk.store.models import Customer

    with db.database.connection_context():
        customer = Customer.create(
            number=1, company="Acme", name="Ann Lee", country="GB", stage=Stage.INTENT,
            stage_since=frozen_clock,
        )  # fmt: skip
        inquiry = Inquiry.create(
            customer=customer, channel=Channel.EMAIL, received_at=frozen_clock,
            subject="lights", body="Need lights", products="LED lights", quantity="", port="",
        )  # fmt: skip
    draft = _render(template, inquiry.id)
    assert draft.text.strip() and "None" not in draft.text
