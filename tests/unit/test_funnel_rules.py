from decimal import Decimal

from sopdesk.sop.funnel import conversion, funnel_steps, percent, reached_from_highest
from sopdesk.sop.playbook import shipped
from sopdesk.sop.stages import Stage, next_stage, skips_stages

SOP_TARGETS = {
    Stage.LEAD: Decimal("0.60"),
    Stage.INTENT: Decimal("0.30"),
    Stage.NEGOTIATION: Decimal("0.50"),
    Stage.ORDER: Decimal("0.90"),
}


def test_the_shipped_playbook_carries_the_sops_targets() -> None:
    assert shipped().funnel_targets() == SOP_TARGETS


def test_a_customer_who_skipped_a_stage_still_counts_as_having_reached_it() -> None:
    # 5 stopped at lead, 3 at intent, 2 jumped lead → negotiation, 1 reached loyal.
    reached = reached_from_highest({0: 5, 1: 3, 2: 2, 4: 1})
    assert reached == {
        Stage.LEAD: 11,
        Stage.INTENT: 6,
        Stage.NEGOTIATION: 3,
        Stage.ORDER: 1,
        Stage.LOYAL: 1,
    }


def test_funnel_steps_compare_with_target() -> None:
    reached = {
        Stage.LEAD: 10,
        Stage.INTENT: 7,
        Stage.NEGOTIATION: 2,
        Stage.ORDER: 1,
        Stage.LOYAL: 1,
    }
    steps = funnel_steps({Stage.LEAD: 3}, reached, SOP_TARGETS)
    lead, intent, negotiation, order, loyal = steps
    assert lead.conversion == Decimal("0.7000") and not lead.below_target
    assert intent.conversion == Decimal("0.2857") and intent.below_target
    assert negotiation.conversion == Decimal("0.5000") and not negotiation.below_target
    assert order.conversion == Decimal("1.0000")
    assert loyal.conversion is None and loyal.target is None
    assert lead.current == 3 and intent.current == 0


def test_no_customers_means_no_conversion_not_zero() -> None:
    assert conversion(0, 0) is None
    assert percent(None) == "—"
    assert percent(Decimal("0.2857")) == "29%"


def test_stage_order_and_skips() -> None:
    assert next_stage(Stage.LEAD) is Stage.INTENT
    assert next_stage(Stage.LOYAL) is None
    assert next_stage(Stage.LOST) is None
    assert skips_stages(Stage.LEAD, Stage.NEGOTIATION)
    assert not skips_stages(Stage.LEAD, Stage.INTENT)
    assert not skips_stages(Stage.NEGOTIATION, Stage.LOST)
    assert not skips_stages(None, Stage.ORDER)


def test_funnel_steps_compare_with_the_targets_they_are_given() -> None:
    reached = {Stage.LEAD: 10, Stage.INTENT: 7, Stage.NEGOTIATION: 2, Stage.ORDER: 1}
    team = {**SOP_TARGETS, Stage.LEAD: Decimal("0.75"), Stage.INTENT: Decimal("0.25")}
    lead, intent, *_rest = funnel_steps({}, reached, team)
    assert lead.target == Decimal("0.75") and lead.below_target  # 70 % < 75 %
    assert intent.target == Decimal("0.25") and not intent.below_target  # 28.57 % ≥ 25 %
    no_targets = funnel_steps({}, reached, {})
    assert all(step.target is None and not step.below_target for step in no_targets)
