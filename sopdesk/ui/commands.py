"""The command palette (ctrl+p): panes, actions and customers by name, context-aware."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from sopdesk.i18n import _
from sopdesk.services import search as search_service
from sopdesk.ui import text as safe


class SopCommands(Provider):
    def _commands(self) -> list[tuple[str, str, object]]:
        screen = self.screen
        commands: list[tuple[str, str, object]] = []
        if hasattr(screen, "action_focus_pane"):
            for pane, title in (
                ("today", _("Go to Today")),
                ("inbox", _("Go to Inbox")),
                ("customer", _("Go to Customer")),
                ("funnel", _("Go to Funnel")),
            ):
                commands.append((title, _("Switch pane"), partial(screen.action_focus_pane, pane)))
            commands.append((_("Reload"), _("Reload every pane"), screen.action_reload))
        commands.append(
            (_("Keys"), _("Show every key binding of this screen"), self.app.action_help)
        )
        commands.append((_("Quit"), _("Leave sopdesk"), self.app.action_quit))
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)  # type: ignore[arg-type]
        if len(query.strip()) >= 2 and hasattr(self.screen, "show_customer"):
            results = search_service.find_customers(query, 8)  # an indexed lookup: ~1 ms
            for result in results:
                label = safe.display(f"{result.code} {result.name}", single_line=True)
                yield Hit(
                    0.5,
                    label,
                    partial(self.screen.show_customer, result.customer_id),
                    help=_("Open customer"),
                )
