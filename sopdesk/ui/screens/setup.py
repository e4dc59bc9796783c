"""First run: a short, skippable setup for the rep's name, company and time zone."""

from __future__ import annotations

import pendulum
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from sopdesk.config import CompanySettings, RepSettings
from sopdesk.i18n import _
from sopdesk.ui import text as safe


class SetupScreen(ModalScreen[tuple[RepSettings, CompanySettings] | None]):
    BINDINGS = [
        Binding(
            "escape",
            "skip",
            _("Skip"),
            id="setup.skip",
            tooltip=_("Skip the setup; edit config.toml later"),
        ),
        Binding(
            "ctrl+s",
            "save",
            _("Save"),
            id="setup.save",
            tooltip=_("Save these settings"),
            priority=True,
        ),
    ]

    def __init__(self, rep: RepSettings, company: CompanySettings) -> None:
        super().__init__()
        self.rep = rep
        self.company = company

    def compose(self) -> ComposeResult:
        with Vertical(id="setup-dialog"):
            yield Static(_("Welcome to sopdesk"), classes="dialog-title")
            yield Static(
                _(
                    "Templates sign with your name and company, and every time is shown in your time zone beside the customer's. You can change this later in config.toml."
                ),
                classes="dialog-hint",
            )
            yield Label(_("Your name"))
            yield Input(self.rep.name, placeholder="Lily Chen", id="setup-name")
            yield Label(_("Company"))
            yield Input(
                self.company.name,
                placeholder="Ningbo Brightlight Lighting Co., Ltd.",
                id="setup-company",
            )
            yield Label(_("Your time zone (IANA, e.g. Asia/Shanghai)"))
            yield Input(self.rep.timezone, id="setup-timezone")
            yield Static(id="setup-error", classes="error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save (ctrl+s)"), id="setup-save", variant="primary")
                yield Button(_("Skip (Esc)"), id="setup-skip")

    def on_mount(self) -> None:
        self.query_one("#setup-name", Input).focus()

    @on(Button.Pressed, "#setup-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        zone = self.query_one("#setup-timezone", Input).value.strip()
        try:
            pendulum.timezone(zone)
        except Exception:
            message = _("{zone!r} is not a time zone name. Try Asia/Shanghai or Europe/Berlin.")
            self.query_one("#setup-error", Static).update(safe.content(message.format(zone=zone)))
            return
        name = self.query_one("#setup-name", Input).value.strip()
        company = self.query_one("#setup-company", Input).value.strip()
        rep = RepSettings(**{**self.rep.__dict__, "name": name, "timezone": zone})
        comp = CompanySettings(**{**self.company.__dict__, "name": company})
        self.dismiss((rep, comp))

    @on(Button.Pressed, "#setup-skip")
    def action_skip(self) -> None:
        self.dismiss(None)
