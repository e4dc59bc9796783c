"""The few SQL expressions that differ between SQLite and PostgreSQL, for hand-written queries.

Services that write SQL by hand (the reports) build these pieces here instead of naming a
backend's functions themselves; placeholders are `?` on both (store/db.py translates them).
Times are stored as fixed-width UTC text ("2026-03-08T02:00:00.000000Z") on both backends.
"""

from __future__ import annotations

from typing import Any

from peewee import OP, Expression

from sopdesk.store.db import is_postgres


def seconds_between(later: str, earlier: str) -> str:
    """SQL for the whole seconds from `earlier` to `later` (two stored UTC text columns).

    SQLite: julianday() parses our text faster than strftime('%s'); rounding absorbs its
    floating-point error. PostgreSQL: the text casts to timestamptz as it is."""
    if is_postgres():
        return (
            f"ROUND(EXTRACT(EPOCH FROM (CAST({later} AS timestamptz) "
            f"- CAST({earlier} AS timestamptz))))"
        )
    return f"ROUND((julianday({later}) - julianday({earlier})) * 86400)"


def greatest(*expressions: str) -> str:
    """The largest of several values, NULL when any is NULL (SQLite's multi-argument max();
    PostgreSQL's GREATEST would skip the NULLs)."""
    return _extreme("GREATEST", "MAX", expressions)


def least(*expressions: str) -> str:
    """The smallest of several values, NULL when any is NULL."""
    return _extreme("LEAST", "MIN", expressions)


def _extreme(postgres: str, sqlite: str, expressions: tuple[str, ...]) -> str:
    listed = ", ".join(expressions)
    if not is_postgres():
        return f"{sqlite}({listed})"
    any_null = " OR ".join(f"({e}) IS NULL" for e in expressions)
    return f"(CASE WHEN {any_null} THEN NULL ELSE {postgres}({listed}) END)"


def true() -> str:
    """A boolean column's true in SQL (SQLite stores 1)."""
    return "TRUE" if is_postgres() else "1"


def false() -> str:
    return "FALSE" if is_postgres() else "0"


def unindexed(column: str) -> str:
    """`column` such that SQLite's planner will not pick an index on it (the unary-plus idiom);
    PostgreSQL plans for itself and has no unary plus on text."""
    return column if is_postgres() else f"+{column}"


def starts_with(field: Any, prefix: str) -> Any:
    """`field` begins with `prefix`, as an expression that can use the field's index.

    SQLite: LIKE is case-insensitive, so it scans the whole index; a range under the column's
    BINARY collation (byte order: every string that starts with `prefix` sorts between it and
    the prefix with its last character raised by one) is a seek. PostgreSQL: a range is only
    right under the C collation, which a team's server may not use, so LIKE stays."""
    if is_postgres() or not prefix:
        # peewee's startswith() is ILIKE; keys are case-sensitive.
        return Expression(field, OP.LIKE, field._escape_like_expr(prefix, "%s%%"))
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (field >= prefix) & (field < upper)
