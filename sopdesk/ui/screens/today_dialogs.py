"""The Today queue's two questions: snooze until when, and skip why."""

from __future__ import annotations

import pendulum
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from sopdesk import clock
from sopdesk.i18n import N_, _
from sopdesk.services import today as today_service
from sopdesk.ui import text as safe

DIALOG_CSS = """
SnoozeScreen, SkipScreen {
    align: center middle;
    background: $background 60%;
}
.today-dialog {
    width: 64;
    height: auto;
    border: round $accent;
    background: $surface;
    padding: 1 2;
}
.today-dialog OptionList {
    height: auto;
    max-height: 8;
    margin-bottom: 1;
}
.today-dialog .error {
    color: $error;
    height: auto;
}
"""


class SnoozeScreen(ModalScreen[pendulum.DateTime | None]):
    """Returns the moment (UTC) the item comes back, or None when cancelled."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [
        Binding("escape", "cancel", _("Cancel"), id="snooze.cancel", tooltip=_("Keep it as it is")),
    ]

    def __init__(self, title: str, rep_zone: str) -> None:
        super().__init__()
        self.item_title = title
        self.rep_zone = rep_zone

    def compose(self) -> ComposeResult:
        with Vertical(classes="today-dialog"):
            yield Static(_("Snooze until when?"), classes="dialog-title")
            yield Static(safe.content(self.item_title, single_line=True, limit=60))
            yield OptionList(
                Option(_("1  In one hour"), id="hour"),
                Option(_("2  Tomorrow morning (09:00)"), id="tomorrow"),
                id="snooze-choices",
                markup=False,
            )
            yield Input(
                placeholder=_('or a date: "fri 10:00", "2026-12-03", "+3d", "明天"'),
                id="snooze-date",
            )
            yield Static(id="snooze-error", classes="error")
            yield Static(
                _("1, 2 or Enter picks · Tab: type a date · Esc cancels"), classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def key_1(self) -> None:
        self._choose("hour")

    def key_2(self) -> None:
        self._choose("tomorrow")

    @on(OptionList.OptionSelected, "#snooze-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id or "")

    def _choose(self, choice: str) -> None:
        now = clock.now()
        if choice == "hour":
            self.dismiss(today_service.snooze_one_hour(now))
        elif choice == "tomorrow":
            self.dismiss(today_service.snooze_tomorrow(now, self.rep_zone))

    @on(Input.Submitted, "#snooze-date")
    def _typed(self, event: Input.Submitted) -> None:
        try:
            until = today_service.snooze_until_text(event.value, clock.now(), self.rep_zone)
        except ValueError as exc:
            self.query_one("#snooze-error", Static).update(safe.content(str(exc)))
            return
        self.dismiss(until)

    def action_cancel(self) -> None:
        self.dismiss(None)


SKIP_REASONS = (
    N_("Done outside sopdesk"),
    N_("The customer answered meanwhile"),
    N_("Not needed any more"),
    N_("Waiting for the customer's side"),
)
"""Quick reasons (English source strings; shown translated)."""


class SkipScreen(ModalScreen[str | None]):
    """Returns the reason, or None when cancelled."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [
        Binding("escape", "cancel", _("Cancel"), id="skip.cancel", tooltip=_("Do not skip it")),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.item_title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="today-dialog"):
            yield Static(_("Skip it — why?"), classes="dialog-title")
            yield Static(safe.content(self.item_title, single_line=True, limit=60))
            yield Input(placeholder=_("The reason (the weekly review reads it)"), id="skip-reason")
            yield OptionList(
                *(Option(_(reason), id=str(i)) for i, reason in enumerate(SKIP_REASONS)),
                id="skip-choices",
                markup=False,
            )
            yield Static(id="skip-error", classes="error")
            yield Static(
                _("Type a reason and press Enter, or pick one · Esc cancels"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(OptionList.OptionSelected, "#skip-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(_(SKIP_REASONS[int(event.option.id or 0)]))

    @on(Input.Submitted, "#skip-reason")
    def _typed(self, event: Input.Submitted) -> None:
        reason = " ".join(event.value.split())
        if not reason:
            self.query_one("#skip-error", Static).update(
                _("Say why, or pick a reason below (Tab).")
            )
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
