"""The words the UI uses for the SOP's vocabularies, in the UI language (GLOSSARY.md)."""

from __future__ import annotations

from sopdesk.i18n import N_, _
from sopdesk.sop.sla import ReplyState
from sopdesk.sop.stages import ActivityKind, BuyerType, Channel, LostReason, Potential, Stage

STAGE = {
    Stage.LEAD: N_("Lead"),
    Stage.INTENT: N_("Intent"),
    Stage.NEGOTIATION: N_("Negotiation"),
    Stage.ORDER: N_("Order"),
    Stage.LOYAL: N_("Loyal"),
    Stage.LOST: N_("Lost"),
    Stage.DORMANT: N_("Dormant"),
}
CHANNEL = {
    Channel.SITE_INQUIRY: N_("Site inquiry"),
    Channel.TRADEMANAGER: N_("TradeManager"),
    Channel.RFQ: N_("RFQ"),
    Channel.EMAIL: N_("E-mail"),
    Channel.WHATSAPP: N_("WhatsApp"),
    Channel.WECHAT: N_("WeChat"),
    Channel.PHONE: N_("Phone"),
    Channel.OTHER: N_("Other"),
}
CHANNEL_SHORT = {
    Channel.SITE_INQUIRY: N_("Site"),
    Channel.TRADEMANAGER: N_("TM"),
    Channel.RFQ: N_("RFQ"),
    Channel.EMAIL: N_("Mail"),
    Channel.WHATSAPP: N_("WA"),
    Channel.WECHAT: N_("WeChat"),
    Channel.PHONE: N_("Phone"),
    Channel.OTHER: N_("Other"),
}
"""Short forms for narrow columns; the full name is in the customer pane and the help."""
REPLY_STATE = {
    ReplyState.FRESH: N_("≤ 5 min"),
    ReplyState.DUE: N_("≤ 1 h"),
    ReplyState.LATE: N_("late"),
    ReplyState.ANSWERED: N_("answered"),
}
BUYER_TYPE = {
    BuyerType.UNKNOWN: N_("unknown"),
    BuyerType.END_USER: N_("end user"),
    BuyerType.WHOLESALER: N_("wholesaler"),
    BuyerType.RETAILER: N_("retailer"),
    BuyerType.TRADER: N_("trader/importer"),
    BuyerType.DISTRIBUTOR: N_("distributor"),
}
LOST_REASON = {
    LostReason.PRICE: N_("price"),
    LostReason.LEAD_TIME: N_("lead time"),
    LostReason.QUALITY: N_("quality"),
    LostReason.COMPETITOR: N_("competitor"),
    LostReason.NO_RESPONSE: N_("no response"),
    LostReason.OTHER: N_("other"),
}
ACTIVITY = {
    ActivityKind.REPLY: N_("reply"),
    ActivityKind.EMAIL: N_("e-mail"),
    ActivityKind.TM: N_("TM"),
    ActivityKind.WHATSAPP: N_("WhatsApp"),
    ActivityKind.CALL: N_("call"),
    ActivityKind.MEETING: N_("meeting"),
    ActivityKind.NOTE: N_("note"),
    ActivityKind.SYSTEM: N_("system"),
    "inquiry": N_("inquiry"),
    "stage": N_("stage"),
}


def stage(value: Stage) -> str:
    return _(STAGE[value])


def channel(value: Channel) -> str:
    return _(CHANNEL[value])


def channel_short(value: Channel) -> str:
    return _(CHANNEL_SHORT[value])


def reply_state(value: ReplyState) -> str:
    return _(REPLY_STATE[value])


def buyer_type(value: BuyerType) -> str:
    return _(BUYER_TYPE[value])


def potential(value: Potential | None) -> str:
    return value.value if value is not None else "—"


def activity(kind: str) -> str:
    label = ACTIVITY.get(kind)
    if label is None:
        try:
            label = ACTIVITY[ActivityKind(kind)]
        except ValueError:
            return kind
    return _(label)
