"""The live line under each morning-routine item: yesterday's store data, zero-effect products,
RFQs to quote — so the routine says what to look at, not only what to do."""

from __future__ import annotations

import pendulum

from sopdesk.i18n import N_, _
from sopdesk.services import rfqs, store_data

LABELS = {
    "exposure": N_("exposure"),
    "clicks": N_("clicks"),
    "inquiries": N_("inquiries"),
    "tm_chats": N_("TM chats"),
    "visitors": N_("visitors"),
}


def _store_data_note(now: pendulum.DateTime, rep_zone: str) -> str:
    summary = store_data.store_data_summary(now, rep_zone)
    if not summary.has_data:
        return _("Yesterday's export is not imported yet: sopdesk import metrics FILE")
    parts = []
    for metric in summary.metrics:
        if metric.yesterday is None:
            continue
        change = f" {metric.change_7.label()}" if metric.change_7 is not None else ""
        parts.append(f"{_(LABELS.get(metric.field, metric.field))} {metric.yesterday:,}{change}")
    exposure = next((m for m in summary.metrics if m.field == "exposure"), None)
    spark = f"  {exposure.sparkline}" if exposure is not None else ""
    return _("vs 7-day avg: {values}").format(values=" · ".join(parts)) + spark


def _zero_effect_note(rep_zone: str) -> str:
    found = store_data.zero_effect_products(rep_zone)
    if not found.products:
        return _("No zero-effect products in the window.")
    names = ", ".join(p.name for p in found.products[:3])
    return _("{n} zero-effect: {names} (m → 5 lists them)").format(
        n=len(found.products), names=names
    )


def _rfq_note(now: pendulum.DateTime, rep_zone: str, quota: int) -> str:
    open_count, status = rfqs.routine_note(now, rep_zone, quota)
    return _("{n} RFQs to quote · quota {used}/{quota} used this month").format(
        n=open_count, used=status.used, quota=status.quota
    )


def routine_notes(now: pendulum.DateTime, rep_zone: str, rfq_quota: int = 20) -> dict[str, str]:
    """{routine item id: what the numbers say today}; an item whose numbers fail to load says so."""
    notes: dict[str, str] = {}
    for item_id, build in (
        ("store_data", lambda: _store_data_note(now, rep_zone)),
        ("zero_effect", lambda: _zero_effect_note(rep_zone)),
        ("rfq_market", lambda: _rfq_note(now, rep_zone, rfq_quota)),
    ):
        try:
            notes[item_id] = build()
        except Exception as exc:  # a broken import must not empty the whole Today pane
            notes[item_id] = _("could not read the numbers: {error}").format(error=exc)
    return notes
