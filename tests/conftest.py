"""Shared fixtures: a frozen clock, a temporary home (no developer config or data), a fresh store."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from sopdesk import clock, i18n

FROZEN_NOW = pendulum.datetime(2026, 11, 27, 4, 0, 0, tz="UTC")
"""Friday 27 Nov 2026, 12:00 in Shanghai."""

SHARED = Path(__file__).resolve().parents[2] / "shared"

TEST_PG = os.environ.get("SOPDESK_TEST_PG", "")
"""A PostgreSQL server URL (.ci/start-postgres prints one). Tests marked `backends` also run on
PostgreSQL then, each in a database of its own; without it they skip there — except in CI
(`CI` set), where a missing server fails them."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "backends: the `store` runs on SQLite and on PostgreSQL (SOPDESK_TEST_PG)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store" in metafunc.fixturenames and metafunc.definition.get_closest_marker("backends"):
        metafunc.parametrize("store", ["sqlite", "postgresql"], indirect=True)


def postgres_url() -> str:
    """The server to test on; skips (or fails in CI) when there is none."""
    if not TEST_PG:
        if os.environ.get("CI"):
            pytest.fail("SOPDESK_TEST_PG is not set: CI must run the PostgreSQL tests")
        pytest.skip("SOPDESK_TEST_PG is not set (.ci/start-postgres prints a URL)")
    return TEST_PG


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server; dropped afterwards."""
    import psycopg

    server = postgres_url()
    name = f"sopdesk_t_{uuid.uuid4().hex[:12]}"
    base, _sep, _db = server.rpartition("/")
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name.split('?')[0]}"
    from sopdesk.store import db

    if db.database.obj is not None and not db.database.obj.is_closed():
        db.database.obj.close()
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """A fresh, migrated database for one test: a SQLite file (its path), or in tests marked
    `backends` also a PostgreSQL database (its URL)."""
    from sopdesk.store import db

    if getattr(request, "param", "sqlite") == "postgresql":
        url = request.getfixturevalue("fresh_postgres")
        db.init(url)
        yield url
        return
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
