"""The funnel for a period: a bar per stage, conversion beside the SOP target with the gap, median
time in stage; lost reasons below. Enter on a stage asks for its customers (`StageChosen`)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Static

from sopdesk import labels
from sopdesk.i18n import _, pgettext
from sopdesk.services.reports import FunnelReport
from sopdesk.sop.stages import Stage
from sopdesk.ui.widgets.reports_format import DASH, duration, number, percent, points
from sopdesk.ui.widgets.table import SopTable

BAR_WIDTH = 24


@dataclass
class StageChosen(Message):
    """Enter on a funnel stage: list the customers behind it."""

    stage: Stage


def bar(value: int, largest: int, width: int = BAR_WIDTH) -> Text:
    filled = round(width * value / largest) if largest > 0 else 0
    if value > 0:
        filled = max(filled, 1)  # a stage with anyone in it is never an empty bar
    text = Text("█" * filled, style="bold")
    text.append("░" * (width - filled), style="dim")
    return text


class FunnelView(Vertical):
    DEFAULT_CSS = """
    FunnelView { height: auto; }
    FunnelView SopTable { height: auto; max-height: 9; }
    FunnelView .funnel-note { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.report: FunnelReport | None = None

    def compose(self) -> ComposeResult:
        table = SopTable(id="funnel-table")
        table.add_column(_("Stage"), key="stage")
        table.add_column(_("Now"), key="now")
        table.add_column(_("Reached"), key="bar")
        table.add_column("", key="reached")
        table.add_column(pgettext("customers who entered the stage", "Entered"), key="entered")
        table.add_column(_("To next"), key="conversion")
        table.add_column(_("Target"), key="target")
        table.add_column(_("Gap"), key="gap")
        table.add_column(_("Median time in stage"), key="median")
        yield table
        yield Static(id="funnel-summary", classes="funnel-note")
        yield Static(id="funnel-lost", classes="funnel-note")

    def show(self, report: FunnelReport) -> None:
        self.report = report
        table = self.query_one(SopTable)
        row = table.cursor_row
        table.clear()
        largest = max((r.reached for r in report.rows), default=0)
        for r in report.rows:
            if r.gap is None:
                gap = Text(DASH, style="dim")
            elif r.below_target:
                gap = Text(f"{points(r.gap)} " + _("below"), style="bold red")
            else:
                gap = Text(f"{points(r.gap)} " + _("on target"), style="green")
            table.add_row(
                Text(labels.stage(r.stage)),
                Text(number(r.now), justify="right"),
                bar(r.reached, largest),
                Text(number(r.reached), justify="right"),
                Text(number(r.entered), justify="right"),
                Text(percent(r.conversion, "1"), justify="right"),
                Text(percent(r.target, "1"), justify="right", style="dim"),
                gap,
                Text(duration(r.median_seconds), justify="right"),
                key=r.stage.value,
            )
        table.move_cursor(row=min(max(row, 0), len(report.rows) - 1))
        if report.period is None:
            scope = _("Reached: every customer, as far as each got (all time).")
        else:
            scope = _(
                "Reached: the {n} customers new in {period}, as far as each got by now. "
                "Entered: moves into the stage during the period."
            ).format(n=report.cohort, period=report.period.label)
        self.query_one("#funnel-summary", Static).update(
            Content(
                scope
                + "  "
                + _("Lost now: {lost} · dormant now: {dormant}").format(
                    lost=report.lost_now, dormant=report.dormant_now
                )
            )
        )
        lines = [_("Lost, by stage and reason:")]
        for item in report.lost_reasons[:12]:
            stage = labels.stage(item.from_stage) if item.from_stage else _("unknown stage")
            reason = _(labels.LOST_REASON[item.reason]) if item.reason else _("no reason given")
            lines.append(f"  {stage}: {reason} × {item.customers}")
        if not report.lost_reasons:
            lines.append("  " + _("nobody lost in this period"))
        self.query_one("#funnel-lost", Static).update(Content("\n".join(lines)))

    @on(DataTable.RowSelected, "#funnel-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(StageChosen(Stage(event.row_key.value)))
