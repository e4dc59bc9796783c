"""Samples: free (freight collect) or paid (refundable); sent, delivered, feedback — and the
playbook asks for feedback from the shipment recorded here."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pendulum
import pytest

from sopdesk.services import catalog, playbook_tasks, samples
from sopdesk.sop.stages import Stage
from sopdesk.store import db
from sopdesk.store.models import Customer, Task


@pytest.fixture
def customer(store: Path, frozen_clock: pendulum.DateTime) -> int:
    with db.database.connection_context():
        return Customer.create(
            number=1, company="Acme", country="GB", stage=Stage.NEGOTIATION,
            stage_since=frozen_clock,
        ).id  # fmt: skip


def test_a_free_sample_goes_through_its_states(
    customer: int, frozen_clock: pendulum.DateTime
) -> None:
    product = catalog.save_product(catalog.ProductDetail(None, "HB-150", "LED high bay 150W"))
    made = samples.record(
        samples.SampleInput(customer, product, courier="DHL", courier_account="96x123")
    )
    assert made.state is samples.SampleState.PREPARING and made.product == "LED high bay 150W"
    sent_at = frozen_clock.subtract(days=7)
    sent = samples.mark_sent(made.sample_id, sent_at, tracking="4837261950")
    assert sent.state is samples.SampleState.SENT and sent.tracking == "4837261950"
    with pytest.raises(samples.SampleError, match="before it was sent"):
        samples.mark_delivered(made.sample_id, sent_at.subtract(days=1))
    samples.mark_delivered(made.sample_id, sent_at.add(days=3))
    playbook_tasks.refresh(frozen_clock, "Asia/Shanghai")
    with db.database.connection_context():
        asks = [t.rule_key for t in Task.select().where(Task.customer == customer)]
    assert any(k.startswith(f"sample_feedback|s{made.sample_id}|") for k in asks)
    done = samples.record_feedback(made.sample_id, "Brightness good, wants 4000K", frozen_clock)
    assert done.state is samples.SampleState.FEEDBACK
    assert samples.latest_for(customer) == done


def test_paid_samples_need_an_amount_in_the_currency(customer: int) -> None:
    with pytest.raises(samples.SampleError, match="amount"):
        samples.record(samples.SampleInput(customer, None, paid=True))
    paid = samples.record(
        samples.SampleInput(
            customer,
            None,
            paid=True,
            amount=Decimal("1234.5"),
            currency="jpy",
            refundable_on_order=True,
            freight_by="us",
        )
    )
    assert paid.amount == Decimal("1235") and paid.currency == "JPY"
    assert paid.refundable_on_order and not samples.get(paid.sample_id).product
    with pytest.raises(samples.SampleError, match="freight"):
        samples.record(samples.SampleInput(customer, None, freight_by="nobody"))
