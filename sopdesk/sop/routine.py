"""The SOP's morning routine (stage 1): the checks of every working morning, ticked per day.

The items come from the playbook (shipped: store data, zero-effect products, storefront, RFQ
market; a team file may add or turn off items). `MORNING_ROUTINE` and `ROUTINE_IDS` are read from
the effective playbook each time they are looked up, so a changed team file counts at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sopdesk.sop.playbook import RoutineItem, effective

SHIPPED_IDS = ("store_data", "zero_effect", "storefront", "rfq_market")
"""The SOP's four items; their ids are stored in every ChecklistTick and never change."""


if TYPE_CHECKING:  # looked up lazily through __getattr__ below
    MORNING_ROUTINE: tuple[RoutineItem, ...]
    ROUTINE_IDS: frozenset[str]


def morning_routine() -> tuple[RoutineItem, ...]:
    return effective().routine


def routine_ids() -> frozenset[str]:
    return effective().routine_ids


def __getattr__(name: str) -> Any:
    if name == "MORNING_ROUTINE":
        return morning_routine()
    if name == "ROUTINE_IDS":
        return routine_ids()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["SHIPPED_IDS", "RoutineItem", "morning_routine", "routine_ids"]
