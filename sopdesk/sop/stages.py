"""Customer stages and the other vocabularies of the SOP (names from GLOSSARY.md)."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    LEAD = "lead"
    INTENT = "intent"
    NEGOTIATION = "negotiation"
    ORDER = "order"
    LOYAL = "loyal"
    LOST = "lost"
    DORMANT = "dormant"


FUNNEL: tuple[Stage, ...] = (
    Stage.LEAD,
    Stage.INTENT,
    Stage.NEGOTIATION,
    Stage.ORDER,
    Stage.LOYAL,
)
"""The SOP's funnel in order (appendix 2); lost and dormant stand outside it."""

# The target conversion from each stage to the next (appendix 2: 60/30/50/90 %) is the
# playbook's `[stages.*] target_to_next_percent` (Playbook.funnel_targets()), not a constant here.


def funnel_rank(stage: Stage) -> int | None:
    """0 for lead … 4 for loyal; None for lost and dormant."""
    return FUNNEL.index(stage) if stage in FUNNEL else None


def next_stage(stage: Stage) -> Stage | None:
    rank = funnel_rank(stage)
    if rank is None or rank + 1 >= len(FUNNEL):
        return None
    return FUNNEL[rank + 1]


def skips_stages(from_stage: Stage | None, to_stage: Stage) -> bool:
    """True when a move jumps over a funnel stage (lead → negotiation): the UI asks first."""
    if from_stage is None:
        return False
    a, b = funnel_rank(from_stage), funnel_rank(to_stage)
    return a is not None and b is not None and b > a + 1


class Channel(StrEnum):
    SITE_INQUIRY = "site_inquiry"
    TRADEMANAGER = "trademanager"
    RFQ = "rfq"
    EMAIL = "email"
    WHATSAPP = "whatsapp"
    WECHAT = "wechat"
    PHONE = "phone"
    OTHER = "other"


class BuyerType(StrEnum):
    UNKNOWN = "unknown"
    END_USER = "end_user"
    WHOLESALER = "wholesaler"
    RETAILER = "retailer"
    TRADER = "trader"
    DISTRIBUTOR = "distributor"


class Potential(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class LostReason(StrEnum):
    PRICE = "price"
    LEAD_TIME = "lead_time"
    QUALITY = "quality"
    COMPETITOR = "competitor"
    NO_RESPONSE = "no_response"
    OTHER = "other"


class ActivityKind(StrEnum):
    """A touch: every contact with the customer, in or out, with its exact text."""

    REPLY = "reply"
    EMAIL = "email"
    TM = "tm"
    WHATSAPP = "whatsapp"
    CALL = "call"
    MEETING = "meeting"
    NOTE = "note"
    SYSTEM = "system"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"
    NONE = "none"


class TaskKind(StrEnum):
    FOLLOW_UP = "follow_up"
    BACKGROUND_CHECK = "background_check"
    QUOTE_NUDGE = "quote_nudge"
    SAMPLE_FEEDBACK = "sample_feedback"
    PRODUCTION_UPDATE = "production_update"
    ARRIVAL_CHECK = "arrival_check"
    FEEDBACK_REQUEST = "feedback_request"
    NURTURE = "nurture"
    OTHER = "other"


class QuoteStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


class OrderStatus(StrEnum):
    AWAITING_DEPOSIT = "awaiting_deposit"
    IN_PRODUCTION = "in_production"
    INSPECTED = "inspected"
    SHIPPED = "shipped"
    ARRIVED = "arrived"
    COMPLETED = "completed"


class Incoterm(StrEnum):
    """Incoterms 2020."""

    EXW = "EXW"
    FCA = "FCA"
    FAS = "FAS"
    FOB = "FOB"
    CFR = "CFR"
    CIF = "CIF"
    CPT = "CPT"
    CIP = "CIP"
    DAP = "DAP"
    DPU = "DPU"
    DDP = "DDP"


class RepRole(StrEnum):
    REP = "rep"
    MANAGER = "manager"
