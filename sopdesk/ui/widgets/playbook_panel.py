"""In the customer pane: the buying signal that suggests negotiation (g accepts it), and for a
customer in negotiation the SOP's guidance on price, payment and samples with the templates
that fit. Also the mark the timeline puts on inbound messages that carry a signal.
"""

from __future__ import annotations

from textual import work
from textual.content import Content
from textual.widgets import Static

from sopdesk import clock, labels
from sopdesk.i18n import _
from sopdesk.services import buying_signals
from sopdesk.services import negotiation as negotiation_service
from sopdesk.services.negotiation import PlaybookPanelView
from sopdesk.services.records import RecordError
from sopdesk.services.views import TimelineEntry
from sopdesk.sop.guidance import TOPIC_LABELS
from sopdesk.sop.signals import SIGNAL_LABELS
from sopdesk.sop.stages import Direction
from sopdesk.ui import text as safe
from sopdesk.ui.messages import StoreChanged

SIGNAL_STYLE = "bold black on yellow"


def signal_mark(entry: TimelineEntry) -> Content:
    """A highlighted badge for an inbound message with a buying signal, else nothing."""
    if entry.direction is not Direction.IN:
        return Content("")
    hits = buying_signals.detect(entry.text or entry.summary)
    if not hits:
        return Content("")
    signals = sorted({hit.signal for hit in hits}, key=lambda s: list(SIGNAL_LABELS).index(s))
    names = ", ".join(_(SIGNAL_LABELS[s]) for s in signals)
    return Content.assemble("  ", (f"◆ {names}", SIGNAL_STYLE))


class PlaybookPanel(Static):
    """Hidden unless there is a signal to suggest or guidance to give."""

    DEFAULT_CSS = """
    PlaybookPanel {
        height: auto;
        padding: 0 0 1 0;
        display: none;
    }
    """

    def __init__(self, rep_zone: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rep_zone = rep_zone
        self.view: PlaybookPanelView | None = None
        self.customer_id: int | None = None

    def show_for(self, customer_id: int) -> None:
        self.customer_id = customer_id
        self.load(customer_id)

    @work(thread=True, exclusive=True, group="playbook-panel")
    def load(self, customer_id: int) -> None:
        view = negotiation_service.panel(customer_id, clock.now())
        self.app.call_from_thread(self._show, view)

    def _show(self, view: PlaybookPanelView | None) -> None:
        if view is None or view.customer_id != self.customer_id:
            return
        self.view = view
        parts: list[Content | str | tuple[str, str]] = []
        found = view.suggestion
        if found is not None:
            when = found.at.in_timezone(self.rep_zone).format("ddd D MMM")
            parts.extend(
                [
                    (" " + _("Buying signal") + " ", SIGNAL_STYLE),
                    " ",
                    (_(SIGNAL_LABELS[found.signal]), "bold"),
                    f" ({labels.activity(found.source)}, {when}): ",
                    (
                        "“" + safe.display(found.excerpt, single_line=True, limit=140) + "”",
                        "italic",
                    ),
                    "\n",
                    (
                        _("g: move to {stage} (recorded with this signal as the reason)").format(
                            stage=labels.stage(found.to_stage)
                        ),
                        "dim",
                    ),
                    "\n",
                ]
            )
        guide = view.guidance
        if guide is not None:
            who = (
                _("established customer ({n} delivered orders)")
                if guide.established
                else _("new customer ({n} delivered orders)")
            ).format(n=guide.completed_orders)
            parts.extend([(_("Negotiation guidance"), "bold $accent"), f"  · {who}\n"])
            for line in guide.lines:
                mark = "▶ " if line.asked else "  "
                parts.append((f"{mark}{_(TOPIC_LABELS[line.topic])}: ", "bold"))
                parts.append(safe.display(_(line.text), single_line=True))
                parts.append("\n")
                if line.templates:
                    names = [
                        t if t in view.known_templates else _("{id} (not written yet)").format(id=t)
                        for t in line.templates
                    ]
                    parts.append(("    " + _("templates") + ": " + ", ".join(names) + "\n", "dim"))
        self.display = bool(parts)
        self.update(Content.assemble(*parts) if parts else Content(""))

    def accept(self) -> None:
        if self.customer_id is None:
            return
        if self.view is None or self.view.suggestion is None:
            self.notify(_("No buying signal to accept here."), markup=False, timeout=3)
            return
        self._accept(self.customer_id)

    @work(thread=True, group="playbook-panel-write")
    def _accept(self, customer_id: int) -> None:
        rep_id = getattr(self.screen, "rep_id", None)
        try:
            found = buying_signals.accept(customer_id, rep_id, clock.now())
        except (buying_signals.NoSignalError, RecordError) as exc:
            self.app.call_from_thread(self.notify, str(exc), markup=False, severity="error")
            return
        message = _("Moved to {stage}: {reason}").format(
            stage=labels.stage(found.to_stage), reason=found.reason()
        )
        self.app.call_from_thread(self.notify, safe.display(message), markup=False, timeout=5)
        self.app.call_from_thread(self.post_message, StoreChanged())
