"""The sopdesk App: screens, global bindings, the command palette and the theme. Nothing more."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from sopdesk import config, locations
from sopdesk.i18n import _
from sopdesk.services import live
from sopdesk.services import session as session_service
from sopdesk.ui.commands import SopCommands
from sopdesk.ui.context import AppContext
from sopdesk.ui.screens.help import HelpScreen, collect_bindings
from sopdesk.ui.screens.setup import SetupScreen
from sopdesk.ui.screens.workbench import WorkbenchScreen

STYLE_FILES = (
    "global.tcss",
    "workbench.tcss",
    "dialogs.tcss",
    "reports.tcss",
    "records.tcss",
    "sales.tcss",
)


class SopDeskApp(App[None]):
    TITLE = "sopdesk"
    CSS_PATH = [locations.styles_dir() / name for name in STYLE_FILES]
    COMMANDS = App.COMMANDS | {SopCommands}
    BINDINGS = [
        Binding("q", "quit", _("Quit"), id="app.quit", tooltip=_("Leave sopdesk")),
        Binding(
            "question_mark",
            "help",
            _("Keys"),
            id="app.help",
            tooltip=_("Show every key of this screen"),
        ),
    ]
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.theme = "textual-dark"

    def on_mount(self) -> None:
        self.watcher = live.watch(self.context.db_target)
        if self.watcher.active:
            self.set_interval(live.POLL_SECONDS, self._poll_changes)
        if self.context.settings.keymap:
            self.set_keymap(self.context.settings.keymap)
        self.push_screen(self._workbench())
        if self.context.first_run and not self.context.settings.setup_done:
            self.push_screen(
                SetupScreen(self.context.settings.rep, self.context.settings.company),
                self._setup_done,
            )

    def _workbench(self) -> WorkbenchScreen:
        status = self.context.session.name
        if self.context.demo:
            status = f"{status} · {_('demo data')}"
        status = f"{status} · {self.context.db_label}"
        return WorkbenchScreen(
            self.context.rep_zone,
            self.context.session.rep_id,
            status,
            manager=self.context.session.is_manager,
        )

    def _setup_done(self, result: tuple[config.RepSettings, config.CompanySettings] | None) -> None:
        old = self.context.settings
        rep, company = result if result is not None else (old.rep, old.company)
        settings = dataclasses.replace(old, rep=rep, company=company, setup_done=True)
        self.context.settings = settings
        if self.context.config_path:
            config.save(settings, Path(self.context.config_path))
        if result is None:
            return
        self.context.session = session_service.update_rep(self.context.session, settings)
        self.switch_screen(self._workbench())
        self.notify(_("Saved. Edit config.toml to change it later."), markup=False)

    def _poll_changes(self) -> None:
        """Another process wrote: the workbench reloads its windows, keeping the selection."""
        if not self.watcher.changed():
            return
        for screen in reversed(self.screen_stack):
            if isinstance(screen, WorkbenchScreen):
                screen.reload_after_external_change()
                break

    def on_unmount(self) -> None:
        self.watcher.close()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(collect_bindings(self.screen)))
