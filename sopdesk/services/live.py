"""Live refresh: has anyone (a teammate, an import, another window) written since we last looked?"""

from __future__ import annotations

from pathlib import Path

from sopdesk.store.watch import ChangeWatcher

POLL_SECONDS = 2.0
"""How often the open panes check; a change shows within about this long."""


def watch(target: str | Path) -> ChangeWatcher:
    return ChangeWatcher(target)


__all__ = ["POLL_SECONDS", "ChangeWatcher", "watch"]
