"""How the reports screen writes numbers: percentages, points, durations, money, changes.

Every signal colour comes with its words or its arrow (DESIGN.md: never colour alone).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from rich.text import Text

from sopdesk.i18n import N_, _
from sopdesk.sop.kpi import KPI_SPECS, Kpi, KpiSpec, KpiValue, Trend, Unit
from sopdesk.sop.metrics import Change, Direction
from sopdesk.sop.sla import format_duration

DASH = "—"

METRIC_LABELS = {
    "exposure": N_("Exposure"),
    "clicks": N_("Clicks"),
    "inquiries": N_("Inquiries"),
    "tm_chats": N_("TM chats"),
    "visitors": N_("Visitors"),
}


def percent(value: Decimal | None, places: str = "0.1") -> str:
    if value is None:
        return DASH
    return f"{(value * 100).quantize(Decimal(places), rounding=ROUND_HALF_UP)}%"


def points(value: Decimal | None) -> str:
    if value is None:
        return DASH
    pts = (value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _("{sign}{points} pt").format(sign="+" if pts > 0 else "", points=pts)


def duration(seconds: Decimal | int | None) -> str:
    if seconds is None:
        return DASH
    return format_duration(timedelta(seconds=int(Decimal(seconds))))


def money(value: Decimal | None, currency: str = "") -> str:
    if value is None:
        return DASH
    text = f"{value:,.2f}"
    return f"{currency} {text}" if currency else text


def number(value: int | Decimal | None) -> str:
    if value is None:
        return DASH
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def change(change_value: Change | None, higher_is_better: bool = True) -> Text:
    """ "▲ 12.8%" in green when that is good, "▼ 3.0%" in red when bad; arrows carry the meaning."""
    if change_value is None:
        return Text(DASH, style="dim")
    if change_value.direction is Direction.FLAT:
        return Text(change_value.label(), style="dim")
    good = (change_value.direction is Direction.UP) == higher_is_better
    label = change_value.label().replace("new", _("new"))
    return Text(label, style="green" if good else "red")


def kpi_value(value: Decimal | None, kpi: Kpi, currency: str = "") -> str:
    unit = KPI_SPECS[kpi].unit
    if unit is Unit.RATIO:
        return percent(value)
    if unit is Unit.SECONDS:
        return duration(value)
    if unit is Unit.MONEY:
        return money(value, currency)
    return number(value)


def kpi_target(spec: KpiSpec) -> str:
    """The target with its sense: "> 95.0%", "≤ 1h00m"; a dash without one."""
    if spec.target is None:
        return DASH
    sign = (">" if spec.strict else "≥") if spec.higher_is_better else ("<" if spec.strict else "≤")
    return f"{sign} {kpi_value(spec.target, spec.kpi)}"


def kpi_status(value: KpiValue) -> Text:
    met = value.meets_target
    if met is None:
        return Text(DASH, style="dim")
    return Text(_("on target"), style="green") if met else Text(_("below target"), style="bold red")


def kpi_trend(value: KpiValue) -> Text:
    trend = value.trend
    if trend is None:
        return Text(DASH, style="dim")
    unit = KPI_SPECS[value.kpi].unit
    delta = value.delta
    if unit is Unit.RATIO:
        amount = points(delta)
    elif unit is Unit.SECONDS:
        amount = ("+" if delta and delta > 0 else "-" if delta and delta < 0 else "") + duration(
            abs(delta) if delta is not None else None
        )
    elif unit is Unit.MONEY:
        amount = ("+" if delta and delta > 0 else "") + money(delta)
    else:
        amount = ("+" if delta and delta > 0 else "") + number(delta)
    if trend is Trend.SAME:
        return Text(f"= {_('same')}", style="dim")
    arrow = "▲" if (delta or 0) > 0 else "▼"
    words = _("better") if trend is Trend.BETTER else _("worse")
    return Text(f"{arrow} {amount} {words}", style="green" if trend is Trend.BETTER else "red")
