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
from tests.timeline_words import system_touches


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


# --- editing ---------------------------------------------------------------------------------


def _paid(customer: int, product: int | None = None) -> samples.SampleView:
    return samples.record(
        samples.SampleInput(
            customer,
            product,
            paid=True,
            amount=Decimal("80"),
            refundable_on_order=True,
            freight_by="us",
            note="2 pcs, 4000K",
        )
    )


def test_a_sample_is_edited_with_its_changes_on_the_timeline(customer: int) -> None:
    from dataclasses import replace

    panel = catalog.save_product(catalog.ProductDetail(None, "PN-4060", "LED panel 600x600"))
    high_bay = catalog.save_product(catalog.ProductDetail(None, "HB-150", "LED high bay 150W"))
    made = _paid(customer, panel)
    assert made.version == 1 and made.refundable_on_order
    edited = samples.update(
        made, replace(made.to_input(), product_id=high_bay, refundable_on_order=False)
    )
    assert (edited.product_id, edited.sku) == (high_bay, "HB-150")
    assert edited.paid and edited.amount == Decimal("80") and not edited.refundable_on_order
    assert edited.version == 2
    (note,) = system_touches(customer)  # worded when read
    assert note.title == "Sample"
    assert note.text == (
        "Sample changed: product: PN-4060 LED panel 600x600 → HB-150 LED high bay 150W; "
        "refundable on the first order: yes → no"
    )
    # Saving the form unchanged writes nothing.
    assert samples.update(edited, edited.to_input()) == edited


def test_a_stale_edit_is_refused_naming_what_changed(
    customer: int, frozen_clock: pendulum.DateTime
) -> None:
    from dataclasses import replace

    made = _paid(customer)
    samples.mark_sent(made.sample_id, frozen_clock, courier="DHL", tracking="4837261950")
    with pytest.raises(samples.StaleSampleError, match="courier, tracking number, sent") as caught:
        samples.update(made, replace(made.to_input(), note="3 pcs"))
    assert caught.value.changed == ("courier", "tracking number", "sent")
    assert samples.get(made.sample_id).note == "2 pcs, 4000K"


def test_free_samples_are_freight_collect_on_an_account_and_never_refundable(
    customer: int,
) -> None:
    from dataclasses import replace

    base = samples.SampleInput(customer, None)
    with pytest.raises(samples.SampleError, match="courier account") as caught:
        samples.check(base)
    assert caught.value.field == "courier_account"
    free = samples.check(
        replace(base, amount=Decimal("5"), refundable_on_order=True, courier_account=" 96 x1 ")
    )
    assert (free.amount, free.refundable_on_order, free.courier_account) == (None, False, "96 x1")
    # We pay the freight: no account needed, and none kept.
    ours = samples.check(replace(base, freight_by="us", courier_account="96x1"))
    assert ours.courier_account == ""
    # A paid sample keeps the refund as chosen, off included.
    paid = samples.check(replace(base, paid=True, amount=Decimal("80"), courier_account="96x1"))
    assert not paid.refundable_on_order and paid.amount == Decimal("80.00")


def test_refused_values_name_their_field_and_write_nothing(customer: int) -> None:
    from dataclasses import replace

    made = _paid(customer)
    cases = {
        "amount": replace(made.to_input(), amount=None),
        "currency": replace(made.to_input(), currency="dollars"),
        "freight_by": replace(made.to_input(), freight_by="nobody"),
        "courier_account": replace(made.to_input(), freight_by="customer", courier_account=""),
    }
    for field, wrong in cases.items():
        with pytest.raises(samples.SampleError) as caught:
            samples.update(made, wrong)
        assert caught.value.field == field
    with pytest.raises(samples.SampleError, match="above zero"):
        samples.update(made, replace(made.to_input(), amount=Decimal("0")))
    with pytest.raises(samples.SampleError, match="no longer in the catalogue") as caught:
        samples.update(made, replace(made.to_input(), product_id=9999))
    assert caught.value.field == "product_id"
    assert samples.get(made.sample_id) == made
