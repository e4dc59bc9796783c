"""Pilot fixtures: the workbench built by the same factory the CLI uses, on demo or empty data."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.worker import WorkerCancelled

from sopdesk import config
from sopdesk.app_factory import make_app


@pytest.fixture
def demo_app(demo_store: Path):
    """The workbench on the demo database at the frozen now, as `sopdesk demo` opens it."""
    return make_app(demo_store, config.demo_settings(), demo=True, login="demo")


@pytest.fixture
def empty_app(tmp_path: Path):
    """A first run: no database yet, no settings."""
    return make_app(
        tmp_path / "new" / "sopdesk.db",
        config.Settings(),
        config_path=tmp_path / "config.toml",
    )


async def settle(pilot) -> None:
    """Let workers finish and the screen repaint before asserting."""
    await pilot.pause()
    # An exclusive worker replaced by a newer one ends cancelled; wait for the rest.
    for _ in range(20):
        try:
            await pilot.app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            await pilot.pause()
    await pilot.pause()
