"""The sopdesk App: screens, global bindings, the command palette and the theme. Nothing more."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from sopdesk import config, locations
from sopdesk.i18n import _
from sopdesk.ui.commands import SopCommands
from sopdesk.ui.context import AppContext
from sopdesk.ui.screens.help import HelpScreen, collect_bindings
from sopdesk.ui.screens.setup import SetupScreen
from sopdesk.ui.screens.workbench import WorkbenchScreen

STYLE_FILES = ("global.tcss", "workbench.tcss", "dialogs.tcss")


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
        Binding(
            "ctrl+p",
            "command_palette",
            _("Commands"),
            id="app.palette",
            tooltip=_("Open the command palette"),
        ),
    ]
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.theme = "textual-dark"

    def on_mount(self) -> None:
        if self.context.settings.keymap:
            self.set_keymap(self.context.settings.keymap)
        status = self.context.session.name
        if self.context.demo:
            status = f"{status} · {_('demo data')}"
        status = f"{status} · {self.context.db_label}"
        self.push_screen(
            WorkbenchScreen(self.context.rep_zone, self.context.session.rep_id, status)
        )
        if self.context.first_run and not self.context.settings.setup_done:
            self.push_screen(
                SetupScreen(self.context.settings.rep, self.context.settings.company),
                self._setup_done,
            )

    def _setup_done(self, result) -> None:
        settings = self.context.settings
        if result is not None:
            rep, company = result
            settings = config.Settings(
                rep=rep, company=company, setup_done=True, keymap=settings.keymap
            )
        else:
            settings = config.Settings(
                rep=settings.rep, company=settings.company, setup_done=True, keymap=settings.keymap
            )
        self.context.settings = settings
        if self.context.config_path:
            from pathlib import Path

            config.save(settings, Path(self.context.config_path))
        if result is not None:
            self.notify(_("Saved. Edit config.toml to change it later."), markup=False)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(collect_bindings(self.screen)))
