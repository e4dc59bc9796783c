"""Whose work a view shows: "mine" (a rep's own plus what nobody owns yet) or the team's.

Services that list work take `owner_id: int | None`: None is the whole team; a rep's id is what
that rep owns plus what is still unassigned (new work left to a manager, or data from before the
team existed stays visible to someone). This is the only meaning of "mine": the inbox, today,
the funnel and the customer sheet (`CustomerFilter.owner_id`) all use `owned_by`.
"""

from __future__ import annotations

from typing import Any


def owned_by(field: Any, owner_id: int | None) -> Any | None:
    """The WHERE clause for `field` (an owner foreign key), or None for the whole team."""
    if owner_id is None:
        return None
    return (field == owner_id) | field.is_null()


def where_owned(query: Any, field: Any, owner_id: int | None) -> Any:
    clause = owned_by(field, owner_id)
    return query if clause is None else query.where(clause)
