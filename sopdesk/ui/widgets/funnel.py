"""Pane 4: the sales funnel — customers per stage and the actual conversion beside the target."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from sopdesk import labels
from sopdesk.i18n import _
from sopdesk.services import funnel as funnel_service
from sopdesk.services.views import FunnelView
from sopdesk.sop.funnel import percent
from sopdesk.sop.stages import Stage
from sopdesk.ui.text import cell_len, pad

BAR_WIDTH = 10


class FunnelPane(Vertical):
    owner_scope: int | None = None
    """Whose customers: a rep's id (theirs and unassigned ones) or None for the team."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.can_focus = True
        self.view: FunnelView | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="funnel-body")

    def on_mount(self) -> None:
        self.border_title = _("4 Funnel")
        self.reload()

    @work(thread=True, exclusive=True, group="funnel")
    def reload(self) -> None:
        view = funnel_service.funnel_view(self.owner_scope)
        self.app.call_from_thread(self.show, view)

    def show(self, view: FunnelView) -> None:
        self.view = view
        largest = max((s.current for s in view.steps), default=0) or 1
        names = {s.stage: labels.stage(s.stage) for s in view.steps}
        name_width = max(cell_len(n) for n in names.values()) + 1
        header = (
            f"{pad(_('Stage'), name_width)}{pad(_('now'), 4, right=True)}  {pad('', BAR_WIDTH)} "
            f"{_('next / target')}\n"
        )
        parts: list[Content | str | tuple[str, str]] = [(header, "dim")]
        for step in view.steps:
            filled = round(BAR_WIDTH * step.current / largest)
            parts.append(f"{pad(names[step.stage], name_width)}{step.current:>4}  ")
            parts.append(("█" * filled, "$accent"))
            parts.append(("░" * (BAR_WIDTH - filled), "dim"))
            if step.target is not None:
                style = "bold red" if step.below_target else "green"
                parts.append((f" {percent(step.conversion):>4}", style))
                parts.append((f" / {percent(step.target):>3}", "dim"))
                if step.below_target:
                    parts.append((" " + _("below"), "bold red"))
                elif step.conversion is not None:
                    parts.append((" " + _("ok"), "green"))
            parts.append("\n")
        parts.append(
            (
                f"{labels.stage(Stage.LOST)}: {view.lost}   "
                f"{labels.stage(Stage.DORMANT)}: {view.dormant}",
                "dim",
            )
        )
        self.query_one("#funnel-body", Static).update(Content.assemble(*parts))
