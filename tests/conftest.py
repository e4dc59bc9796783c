"""Shared fixtures: a frozen clock, a temporary home (no developer config or data), a fresh store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from sopdesk import clock, i18n

FROZEN_NOW = pendulum.datetime(2026, 11, 27, 4, 0, 0, tz="UTC")
"""Friday 27 Nov 2026, 12:00 in Shanghai."""

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the developer's own config and data out of every test."""
    home = tmp_path / "home"
    monkeypatch.setenv("SOPDESK_HOME", str(home))
    monkeypatch.delenv("SOPDESK_DB", raising=False)
    return home


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[pendulum.DateTime]:
    with clock.frozen(FROZEN_NOW):
        yield FROZEN_NOW


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    i18n.install("en")
    yield
    i18n.install("en")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    """A fresh, migrated database for one test."""
    from sopdesk.store import db

    path = tmp_path / "store.db"
    db.init(path)
    yield path


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Path]:
    """A fresh database filled with the demo data at the frozen now."""
    from sopdesk.services import demo
    from sopdesk.store import db

    path = tmp_path / "demo.db"
    db.init(path)
    with db.database.connection_context():
        demo.seed(FROZEN_NOW)
    yield path
