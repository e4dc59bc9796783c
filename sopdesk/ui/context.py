"""What the app knows about this run: settings, the rep, the database, demo or not."""

from __future__ import annotations

from dataclasses import dataclass

from sopdesk.config import Settings
from sopdesk.services.session import RepSession


@dataclass
class AppContext:
    settings: Settings
    session: RepSession
    db_label: str
    db_target: str = ""
    """The database path or URL, for the change watcher."""
    demo: bool = False
    first_run: bool = False
    config_path: str | None = None
    """Where the setup screen saves; None: do not save (demo, tests)."""

    @property
    def rep_zone(self) -> str:
        return self.settings.rep.timezone
