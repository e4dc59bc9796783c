"""The one clock. Everything that asks "what time is it" asks here, so tests can freeze it.

`now()` is always an aware UTC pendulum DateTime. Tests call `freeze(dt)`; the app never does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pendulum

_frozen: pendulum.DateTime | None = None


def now() -> pendulum.DateTime:
    """The current instant in UTC (or the frozen one)."""
    if _frozen is not None:
        return _frozen
    return pendulum.now("UTC")


def freeze(at: pendulum.DateTime | None) -> None:
    """Stop the clock at `at` (aware); `None` lets it run again."""
    global _frozen
    if at is not None and at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = at.in_timezone("UTC") if at is not None else None


def advance(**delta: float) -> pendulum.DateTime:
    """Move a frozen clock forward, e.g. `advance(minutes=6)`."""
    if _frozen is None:
        raise RuntimeError("the clock is not frozen")
    freeze(_frozen.add(**delta))  # type: ignore[arg-type]
    return now()


@contextmanager
def frozen(at: pendulum.DateTime) -> Iterator[pendulum.DateTime]:
    previous = _frozen
    freeze(at)
    try:
        yield at
    finally:
        freeze(previous)
