"""Who gets a new inquiry on a team: the playbook's `[assignment]` rule, as a pure function.

In order: the same buyer stays with the rep who already has them; then the first matching
country, then the first product word found in the inquiry; otherwise the next rep of the rotation
(round-robin after whoever got the last one). With `mode = "manager"`, a new buyer is left
unassigned for a manager to give out (a known buyer still goes to their rep). Only the reps passed
in `reps` receive work: the caller leaves out deactivated reps (services/reps.py), so a rule, a
rotation or a known buyer that names a rep who left (or a login with no rep behind it) is skipped
and the rule goes on as if they were not there; the turns continue after them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class AssignmentMode(StrEnum):
    RULES = "rules"
    """Same buyer, country, product, then round-robin."""
    MANAGER = "manager"
    """New buyers wait, unassigned, for a manager."""


class AssignedBy(StrEnum):
    SAME_BUYER = "same_buyer"
    COUNTRY = "country"
    PRODUCT = "product"
    ROUND_ROBIN = "round_robin"
    MANAGER = "manager"
    """Nobody yet: left to a manager."""


@dataclass(frozen=True)
class AssignmentRules:
    mode: AssignmentMode = AssignmentMode.RULES
    by_country: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """ISO 3166 alpha-2 code → login."""
    by_product: tuple[tuple[str, str], ...] = ()
    """(lower-case word or phrase, login), tried in order against products, subject and text."""
    rotation: tuple[str, ...] = ()
    """Logins that take turns; empty: every rep whose role is "rep"."""


@dataclass(frozen=True)
class Assignment:
    login: str | None
    by: AssignedBy


def assign(
    rules: AssignmentRules,
    *,
    buyer_owner: str | None,
    country: str,
    text: str,
    reps: Sequence[str],
    last_in_rotation: str | None,
    default_rotation: Sequence[str] | None = None,
) -> Assignment:
    """The rep (login) for a new inquiry.

    `buyer_owner`: the login owning the buyer's customer, when the buyer is known. `reps`: logins
    that may receive work (active reps only). `default_rotation`: who takes turns when the rules
    name no rotation (default: `reps`), in a stable order. `last_in_rotation`: the login that
    received the latest inquiry of the rotation; when they no longer receive work, the turn goes
    to whoever follows them.
    """
    known = set(reps)
    if buyer_owner is not None and buyer_owner in known:
        return Assignment(buyer_owner, AssignedBy.SAME_BUYER)
    if rules.mode is AssignmentMode.MANAGER:
        return Assignment(None, AssignedBy.MANAGER)
    by_country = rules.by_country.get(country.upper()) if country else None
    if by_country in known:
        return Assignment(by_country, AssignedBy.COUNTRY)
    lowered = text.lower()
    for word, login in rules.by_product:
        if word and word in lowered and login in known:
            return Assignment(login, AssignedBy.PRODUCT)
    turns = list(rules.rotation or (default_rotation if default_rotation is not None else reps))
    rotation = [login for login in turns if login in known]
    if not rotation:
        return Assignment(None, AssignedBy.MANAGER)
    if last_in_rotation in turns:
        start = turns.index(last_in_rotation)
        following = (turns[(start + step) % len(turns)] for step in range(1, len(turns) + 1))
        return Assignment(next(t for t in following if t in known), AssignedBy.ROUND_ROBIN)
    return Assignment(rotation[0], AssignedBy.ROUND_ROBIN)
