"""Funnel conversion (appendix 2): how many customers reached each stage, and the share that went on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sopdesk.sop.stages import FUNNEL, Stage


@dataclass(frozen=True)
class FunnelStep:
    stage: Stage
    current: int
    """Customers in this stage now."""
    reached: int
    """Customers who ever reached this stage or a later one (from the stage history)."""
    conversion: Decimal | None
    """Share of `reached` that went on to the next stage; None when nobody reached it or last stage."""
    target: Decimal | None
    """The playbook's target conversion to the next stage (shipped: the SOP's 60/30/50/90 %)."""

    @property
    def below_target(self) -> bool:
        return (
            self.conversion is not None
            and self.target is not None
            and self.conversion < self.target
        )


def conversion(reached_this: int, reached_next: int) -> Decimal | None:
    if reached_this <= 0:
        return None
    return (Decimal(reached_next) / Decimal(reached_this)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


def reached_from_highest(highest_rank_counts: Mapping[int, int]) -> dict[Stage, int]:
    """From "how many customers have rank r as their highest funnel stage" to reached-per-stage.

    A customer whose highest stage is negotiation has reached lead, intent and negotiation, even if
    the history skipped intent.
    """
    reached: dict[Stage, int] = {}
    for rank, stage in enumerate(FUNNEL):
        reached[stage] = sum(n for r, n in highest_rank_counts.items() if r >= rank)
    return reached


def funnel_steps(
    current: Mapping[Stage, int],
    reached: Mapping[Stage, int],
    targets: Mapping[Stage, Decimal],
) -> list[FunnelStep]:
    """The funnel stage by stage; `targets` are the playbook's (`Playbook.funnel_targets()`)."""
    steps = []
    for i, stage in enumerate(FUNNEL):
        nxt = FUNNEL[i + 1] if i + 1 < len(FUNNEL) else None
        conv = conversion(reached.get(stage, 0), reached.get(nxt, 0)) if nxt is not None else None
        steps.append(
            FunnelStep(
                stage=stage,
                current=current.get(stage, 0),
                reached=reached.get(stage, 0),
                conversion=conv,
                target=targets.get(stage),
            )
        )
    return steps


def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"
