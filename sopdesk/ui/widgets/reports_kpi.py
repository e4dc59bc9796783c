"""The six KPIs as a table: value, target, on/below target, previous period and the trend."""

from __future__ import annotations

from rich.text import Text

from sopdesk.i18n import _
from sopdesk.services.reports import KpiReport
from sopdesk.sop.kpi import KPI_SPECS, Kpi, Unit
from sopdesk.ui.widgets.reports_format import (
    DASH,
    kpi_status,
    kpi_target,
    kpi_trend,
    kpi_value,
    money,
    number,
)
from sopdesk.ui.widgets.table import SopTable


class KpiTable(SopTable):
    """One row per KPI; the row key is the KPI id."""

    DEFAULT_CSS = """
    KpiTable {
        height: auto;
        max-height: 12;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.report: KpiReport | None = None

    def on_mount(self) -> None:
        self.add_column(_("KPI"), key="kpi")
        self.add_column(_("Value"), key="value")
        self.add_column(_("Target"), key="target")
        self.add_column(_("Status"), key="status")
        self.add_column(_("Previous"), key="previous")
        self.add_column(_("Trend"), key="trend")
        self.add_column(_("Counted over"), key="basis")

    def show(self, report: KpiReport) -> None:
        self.report = report
        row = self.cursor_row
        self.clear()
        currency = report.figures.order_value.currency
        for v in report.values:
            spec = v.spec
            self.add_row(
                Text(_(spec.title)),
                Text(kpi_value(v.value, v.kpi, currency), justify="right", style="bold"),
                Text(kpi_target(spec), justify="right"),
                kpi_status(v),
                Text(kpi_value(v.previous, v.kpi, currency), justify="right", style="dim"),
                kpi_trend(v),
                Text(_basis(v.kpi, v.numerator, v.denominator), style="dim"),
                key=v.kpi.value,
            )
        if report.values:
            self.move_cursor(row=min(max(row, 0), len(report.values) - 1))


def _basis(kpi: Kpi, numerator, denominator) -> str:
    unit = KPI_SPECS[kpi].unit
    if kpi is Kpi.NEW_CUSTOMERS:
        return _("first orders in the period")
    if denominator is None:
        return DASH
    if unit is Unit.SECONDS:
        return _("{n} replies").format(n=number(denominator))
    if unit is Unit.MONEY:
        return _("{n} orders, {total}").format(n=number(denominator), total=money(numerator))
    return f"{number(numerator)} / {number(denominator)}"
