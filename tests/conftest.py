"""Shared fixtures: a frozen clock, a temporary home (no developer config or data), a fresh store.

Every test under tests/unit that uses a database (`store`, `demo_store`, `make_store`) runs twice:
on SQLite and on PostgreSQL (SOPDESK_TEST_PG). Elsewhere only tests marked `backends` do; a unit
test about SQLite itself (its files, PRAGMAs, WAL) is marked `sqlite_only(reason=...)`.
Fresh databases come from tests/databases.py: a copy of a template file on SQLite, a pooled
database reset between tests on PostgreSQL, both built (migrated, demo-seeded) once per process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pendulum
import pytest

from sopdesk import clock, i18n
from tests.databases import Databases

FROZEN_NOW = pendulum.datetime(2026, 11, 27, 4, 0, 0, tz="UTC")
"""Friday 27 Nov 2026, 12:00 in Shanghai."""

SHARED = Path(__file__).resolve().parents[2] / "shared"
UNIT_TESTS = Path(__file__).resolve().parent / "unit"

TEST_PG = os.environ.get("SOPDESK_TEST_PG", "")
"""A PostgreSQL server URL (.ci/start-postgres prints one). Database tests also run on PostgreSQL
then, each on a database of its own (for its duration); without it they skip there — except in CI (`CI` set), where
a missing server fails them."""

BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "backends: the database fixtures run on SQLite and on PostgreSQL (SOPDESK_TEST_PG); "
        "implied for every test under tests/unit",
    )
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): a database test about SQLite itself; it does not run on PostgreSQL",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    node = metafunc.definition
    only = node.get_closest_marker("sqlite_only")
    if only is not None:
        if not (only.args or only.kwargs.get("reason")):
            raise pytest.UsageError(f"{node.nodeid}: sqlite_only needs a reason")
        return
    if node.get_closest_marker("backends") or node.path.is_relative_to(UNIT_TESTS):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


def postgres_url() -> str:
    """The server to test on; skips (or fails in CI) when there is none."""
    if not TEST_PG:
        if os.environ.get("CI"):
            pytest.fail("SOPDESK_TEST_PG is not set: CI must run the PostgreSQL tests")
        pytest.skip("SOPDESK_TEST_PG is not set (.ci/start-postgres prints a URL)")
    return TEST_PG


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """Fresh databases, fast (tests/databases.py): one pool per test process."""
    found = Databases(tmp_path_factory.mktemp("templates"), TEST_PG, FROZEN_NOW)
    yield found
    found.close()


@pytest.fixture(scope="module")
def backend(request: pytest.FixtureRequest) -> str:
    """ "sqlite", or "postgresql" for the second run of a database test (see the module doc)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def make_store(
    databases: Databases, backend: str, tmp_path: Path
) -> Iterator[Callable[..., Path | str]]:
    """`make_store(name="store", demo=False)`: a fresh, migrated database on the test's backend
    (with the demo data at the frozen now if `demo`), not yet initialised: a SQLite file under
    tmp_path, or a PostgreSQL database's URL. Each is given back after the test."""
    made: list[Path | str] = []

    def make(name: str = "store", demo: bool = False) -> Path | str:
        if backend == "postgresql":
            postgres_url()
            made.append(databases.create_postgres(demo))
        else:
            made.append(databases.create_sqlite(tmp_path, name, demo))
        return made[-1]

    yield make
    for target in made:
        databases.release(target)


@pytest.fixture
def fresh_postgres(databases: Databases) -> Iterator[str]:
    """A new, empty (not migrated) PostgreSQL database on the test server; dropped afterwards."""
    postgres_url()
    url = databases.new_postgres()
    yield url
    databases.drop_postgres(url)


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
def store(make_store: Callable[..., Path | str]) -> Path | str:
    """A fresh, migrated, initialised database for one test: a SQLite file (its path) or a
    PostgreSQL database (its URL)."""
    from sopdesk.store import db

    target = make_store("store")
    db.init(target)
    return target


@pytest.fixture
def demo_store(make_store: Callable[..., Path | str]) -> Path | str:
    """A fresh, initialised database filled with the demo data at the frozen now: a SQLite file
    (its path) or a PostgreSQL database (its URL)."""
    from sopdesk.store import db

    target = make_store("demo", demo=True)
    db.init(target)
    return target
