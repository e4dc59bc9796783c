"""The words the UI uses for the SOP's vocabularies, in the UI language (GLOSSARY.md)."""

from __future__ import annotations

from datetime import timedelta

from sopdesk.i18n import N_, _
from sopdesk.sop.sla import DUE_LIMIT, FRESH_LIMIT, ReplyState
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
    ReplyState.FRESH: N_("≤ {limit}"),
    ReplyState.DUE: N_("≤ {limit}"),
    ReplyState.LATE: N_("late"),
    ReplyState.ANSWERED: N_("answered"),
}
"""`{limit}`: the playbook's reply target the state is within (`reply_limit`)."""
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


def reply_state(
    value: ReplyState, fresh: timedelta = FRESH_LIMIT, due: timedelta = DUE_LIMIT
) -> str:
    """The state's word with the playbook's reply clock (`fresh`, `due`): "≤ 5 min", "≤ 1 h"…"""
    limit = fresh if value is ReplyState.FRESH else due
    return _(REPLY_STATE[value]).format(limit=reply_limit(limit))


def reply_limit(limit: timedelta) -> str:
    """A reply target as people say it: "5 min", "1 h", "1 h 30 min"."""
    minutes = max(int(limit.total_seconds() // 60), 0)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("{minutes} min").format(minutes=rest)
    if not rest:
        return _("{hours} h").format(hours=hours)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)


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
