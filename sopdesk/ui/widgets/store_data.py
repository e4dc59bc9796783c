"""Yesterday's store data against its 7- and 28-day averages, with 30-day sparklines (SOP 1.1).

Small enough to sit under the morning routine's "Review yesterday's store data" item in Today:
`StoreDataView(rep_zone)` loads itself in a worker; `show(summary)` draws a summary the caller
already has (the reports screen).
"""

from __future__ import annotations

from textual import work
from textual.content import Content
from textual.widgets import Static

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.services.store_data import StoreDataSummary, store_data_summary
from sopdesk.ui.widgets.reports_format import METRIC_LABELS, number


class StoreDataView(Static):
    """Five lines, one per figure: yesterday, the averages with ▲/▼ %, a 30-day sparkline."""

    DEFAULT_CSS = """
    StoreDataView {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, rep_zone: str, load: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rep_zone = rep_zone
        self.load = load
        self.summary: StoreDataSummary | None = None

    def on_mount(self) -> None:
        if self.load:
            self.reload()

    @work(thread=True, exclusive=True, group="store-data")
    def reload(self) -> None:
        summary = store_data_summary(clock.now(), self.rep_zone)
        self.app.call_from_thread(self.show, summary)

    def show(self, summary: StoreDataSummary) -> None:
        self.summary = summary
        self.update(render_summary(summary))


def _change(change) -> tuple[str, str]:
    if change is None:
        return ("      —", "dim")
    label = change.label().replace("new", _("new"))
    style = {"up": "green", "down": "red"}.get(change.direction.value, "dim")
    return (f"{label:>8}", style)


def render_summary(summary: StoreDataSummary) -> Content:
    name_width = max(len(_(label)) for label in METRIC_LABELS.values()) + 1
    day = summary.day.strftime("%d %b")
    header = (
        f"{_('Store data'):<{name_width}}{day:>9} "
        f"{_('7-day avg'):>17}  {_('28-day avg'):>17}  {_('last 30 days')}\n"
    )
    parts: list[Content | str | tuple[str, str]] = [(header, "dim")]
    if not summary.has_data:
        note = (
            _("No store data for {day} yet: import it with `sopdesk import metrics FILE`.").format(
                day=summary.day.isoformat()
            )
            + "\n"
        )
        parts.append((note, "yellow"))
    for m in summary.metrics:
        parts.append(f"{_(METRIC_LABELS[m.field]):<{name_width}}{number(m.yesterday):>9} ")
        for avg, ch in ((m.average_7, m.change_7), (m.average_28, m.change_28)):
            parts.append(f"{number(avg):>8} ")
            parts.append(_change(ch))
            parts.append("  ")
        parts.append((m.sparkline, "$accent"))
        parts.append("\n")
    return Content.assemble(*parts).rstrip()
