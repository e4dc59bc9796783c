"""The SOP's morning routine (stage 1): four checks every working morning, ticked per day."""

from __future__ import annotations

from dataclasses import dataclass

from sopdesk.i18n import N_


@dataclass(frozen=True)
class RoutineItem:
    id: str
    title: str
    """English source string; translate with `_()` when shown."""
    detail: str


MORNING_ROUTINE: tuple[RoutineItem, ...] = (
    RoutineItem(
        "store_data",
        N_("Review yesterday's store data"),
        N_("Exposure, clicks, inquiries, TM chats and visitor details."),
    ),
    RoutineItem(
        "zero_effect",
        N_("Find zero-effect products"),
        N_("No exposure, clicks or inquiries: improve title, keywords, main image, detail page."),
    ),
    RoutineItem(
        "storefront",
        N_("Check the storefront"),
        N_("Home page, categories, company video and intro look professional."),
    ),
    RoutineItem(
        "rfq_market",
        N_("Quote today's RFQs"),
        N_("Check new RFQs in the RFQ market and quote precisely."),
    ),
)

ROUTINE_IDS = frozenset(item.id for item in MORNING_ROUTINE)
