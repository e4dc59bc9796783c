"""The playbook: the SOP as data the team can edit (GLOSSARY: Playbook, 销售SOP).

`playbook.toml` beside this module is the SOP as shipped. A team file (`playbook.toml` in the config
dir) changes any part of it: tables merge key by key, lists are replaced whole, and the `[[routine]]`
and `[[cadence]]` entries merge by `id`. The result is validated as a whole; every problem is
reported with the file, the line of the offending key and what is wrong. A team file with problems
is refused and the shipped playbook is used, with a warning — sopdesk never runs half-configured.

Parsing, merging and validating are pure; only `load()`/`effective()` read files.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pendulum

from sopdesk.i18n import _
from sopdesk.sop.assignment import AssignmentMode, AssignmentRules
from sopdesk.sop.kpi import KPI_SPECS, Kpi, Unit
from sopdesk.sop.signals import BuyingSignal, SignalRules
from sopdesk.sop.stages import FUNNEL, Stage, TaskKind

SHIPPED_NAME = "playbook.toml"
SUPPORTED_VERSION = 1
REPLY_MINUTES_MAX = 24 * 60
"""The reply targets are minutes from 1 to a day (Alibaba's own 24-hour rule is the platform's,
fixed in sop/alibaba.py, and not part of the playbook)."""

# ---------------------------------------------------------------------------------------------
# The typed playbook


@dataclass(frozen=True)
class ReplyTargets:
    """The team's reply clock: the inbox states, Today's due times, the morning meeting's buckets
    and the median-reply KPI all count with it (shipped: the SOP's 5 minutes and 1 hour)."""

    fresh: timedelta
    """Ideal first reply (SOP: 5 minutes)."""
    due: timedelta
    """Latest first reply (SOP: 1 hour); always longer than `fresh`."""


@dataclass(frozen=True)
class RoutineItem:
    id: str
    """Stored with every tick (ChecklistTick.item_id): stable across playbook edits."""
    title: str
    """English source string; translate with `_()` when shown."""
    detail: str


@dataclass(frozen=True)
class StageRule:
    stage: Stage
    key_actions: tuple[str, ...]
    stale_after: timedelta | None
    """A customer longer than this in the stage is a stale deal; None: never."""
    target_to_next: Decimal | None
    """Target conversion to the next funnel stage (0.60 = 60 %)."""


class Trigger(StrEnum):
    """The fact that starts a cadence."""

    FIRST_REPLY = "first_reply"
    QUOTE_SENT = "quote_sent"
    SAMPLE_SHIPPED = "sample_shipped"
    PRODUCTION = "production"
    ETA = "eta"
    DELIVERED = "delivered"
    NURTURE = "nurture"


class Landing(StrEnum):
    CUSTOMER = "customer"
    """On the customer's business day and hours, in the customer's zone."""
    REP = "rep"
    """In the rep's own working hours (internal work, like a background check)."""


PLACEHOLDERS: dict[Trigger, frozenset[str]] = {
    Trigger.FIRST_REPLY: frozenset({"customer", "ago", "sent"}),
    Trigger.QUOTE_SENT: frozenset({"customer", "quote", "ago", "sent"}),
    Trigger.SAMPLE_SHIPPED: frozenset({"customer", "product", "sent", "arrival", "ago"}),
    Trigger.PRODUCTION: frozenset({"customer", "order", "since", "week"}),
    Trigger.ETA: frozenset({"customer", "order", "eta"}),
    Trigger.DELIVERED: frozenset({"customer", "order", "arrived", "ago"}),
    Trigger.NURTURE: frozenset({"customer", "potential", "ago"}),
}
"""What each trigger's title and why may say."""

_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DURATION = re.compile(r"^\s*(\d{1,4})\s*([mhdw])\s*$")


@dataclass(frozen=True)
class Offset:
    """A cadence offset such as "2d". Days and weeks keep the local wall-clock time across DST."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Offset:
        match = _DURATION.match(text)
        if match is None:
            raise ValueError(text)
        return cls(int(match.group(1)), match.group(2))

    def add_to(self, at: pendulum.DateTime, times: int = 1) -> pendulum.DateTime:
        return at.add(**{_UNITS[self.unit]: self.amount * times})

    @property
    def text(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def delta(self) -> timedelta:
        return timedelta(**{_UNITS[self.unit]: self.amount})


@dataclass(frozen=True)
class CadenceRule:
    id: str
    """Stored as Task.source on every task the rule makes: stable across playbook edits."""
    trigger: Trigger
    kind: TaskKind
    offsets: tuple[Offset, ...]
    land: Landing
    title: str
    """A template with the trigger's placeholders, e.g. "Follow up quotation {quote}"."""
    why: str
    enabled: bool = True
    transit_days: int | None = None
    """sample_shipped: days a courier takes when the delivery date is not known."""
    every: Offset | None = None
    """production: the interval of the updates."""
    intervals: Mapping[str, Offset] = field(default_factory=lambda: MappingProxyType({}))
    """nurture: the interval per potential "A", "B", "C" and "unrated"."""


class KpiUnit(StrEnum):
    PERCENT = "percent"
    MONEY = "money"
    COUNT = "count"


@dataclass(frozen=True)
class KpiTarget:
    id: str
    title: str
    unit: KpiUnit
    target: Decimal | None
    """A share (0.95) for percent KPIs, an amount otherwise; None: no target set."""
    higher_is_better: bool


@dataclass(frozen=True)
class SignalPolicy:
    rules: SignalRules
    suggest_stage: Stage
    """Where a detected signal suggests moving the customer (negotiation)."""
    suggest_from: frozenset[Stage]
    """Only customers in these stages get the suggestion."""
    scan_days: int
    """How far back inbound messages are scanned."""


@dataclass(frozen=True)
class NegotiationGuide:
    established_after_orders: int
    price: str
    payment_new: str
    payment_established: str
    samples: str
    final_push: str
    templates: Mapping[str, tuple[str, ...]]
    """Template ids per topic: "price", "payment", "samples", "final_push"."""


@dataclass(frozen=True, eq=False)
class Playbook:
    version: int
    reply: ReplyTargets
    routine: tuple[RoutineItem, ...]
    """Enabled morning-routine items, in order."""
    stages: Mapping[Stage, StageRule]
    cadences: tuple[CadenceRule, ...]
    """Enabled cadences, in order."""
    kpis: Mapping[str, KpiTarget]
    signals: SignalPolicy
    negotiation: NegotiationGuide
    sources: tuple[str, ...]
    """The files it was built from: the shipped one, then the team file if one was used."""
    document: Mapping[str, Any]
    """The merged TOML document (for `sopdesk playbook show`)."""
    assignment: AssignmentRules = field(default_factory=AssignmentRules)
    """Who gets a new inquiry on a team (sop/assignment.py)."""

    @property
    def routine_ids(self) -> frozenset[str]:
        return frozenset(item.id for item in self.routine)

    def stale_after(self, stage: Stage) -> timedelta | None:
        rule = self.stages.get(stage)
        return rule.stale_after if rule is not None else None

    def funnel_targets(self) -> dict[Stage, Decimal]:
        """Target conversion from each funnel stage to the next (shipped: 60/30/50/90 %)."""
        return {s: r.target_to_next for s, r in self.stages.items() if r.target_to_next is not None}

    def cadence(self, rule_id: str) -> CadenceRule | None:
        return next((c for c in self.cadences if c.id == rule_id), None)

    def cadences_for(self, trigger: Trigger) -> tuple[CadenceRule, ...]:
        return tuple(c for c in self.cadences if c.trigger is trigger)


# ---------------------------------------------------------------------------------------------
# Problems, with the file and line they come from


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    key: str
    """The dotted key ("stages.negotiation.stale_after_days"; cadences by id)."""
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class PlaybookError(Exception):
    """The playbook cannot be used; `problems` says where and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


Path_ = tuple[str | int, ...]
"""A key path in a document: table names, and list positions as ints."""

_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_KEY_LINE = re.compile(rf"^\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_ARRAY_HEADER = re.compile(rf"^\s*\[\[\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*\]\]")
_TABLE_HEADER = re.compile(rf"^\s*\[\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*\]")
_TOML_LINE = re.compile(r"at line (\d+)")


def _key_parts(dotted: str) -> list[str]:
    return [p.strip().strip("\"'") for p in re.findall(_KEY_PART, dotted)]


def _bracket_change(text: str) -> int:
    """How much deeper in [ ] and { } a line leaves us, ignoring strings and comments."""
    depth = 0
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        i += 1
    return depth


def key_lines(text: str) -> dict[Path_, int]:
    """The line (1-based) where each table, array entry and key of a TOML text is written."""
    lines: dict[Path_, int] = {}
    counts: dict[Path_, int] = {}
    current: Path_ = ()
    depth = 0
    in_string = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if in_string in line:
                in_string = ""
            continue
        if depth > 0:
            depth += _bracket_change(line)
            continue
        if match := _ARRAY_HEADER.match(line):
            parts = tuple(_key_parts(match.group(1)))
            base = (*_resolve(parts[:-1], counts), parts[-1])
            counts[base] = counts.get(base, -1) + 1
            current = (*base, counts[base])
            lines[current] = number
            continue
        if match := _TABLE_HEADER.match(line):
            current = _resolve(tuple(_key_parts(match.group(1))), counts)
            lines.setdefault(current, number)
            continue
        if match := _KEY_LINE.match(line):
            path = (*current, *_key_parts(match.group(1)))
            lines.setdefault(path, number)
            rest = line[match.end() :]
            for fence in ('"""', "'''"):
                if rest.count(fence) == 1:
                    in_string = fence
            depth = max(_bracket_change(rest), 0)
    return lines


def _resolve(path: Path_, counts: Mapping[Path_, int]) -> Path_:
    """`[cadence.intervals]` after a `[[cadence]]` means the latest cadence entry's table."""
    out: list[str | int] = []
    for part in path:
        out.append(part)
        index = counts.get(tuple(out))
        if index is not None:
            out.append(index)
    return tuple(out)


@dataclass(frozen=True)
class _Source:
    name: str
    text: str
    data: Mapping[str, Any]

    @property
    def lines(self) -> dict[Path_, int]:
        return key_lines(self.text)


_ID_LISTS = ("routine", "cadence")


def _dotted(path: Path_, document: Mapping[str, Any]) -> str:
    """A readable key: list entries by id ("cadence[quote_follow_up].offsets")."""
    parts: list[str] = []
    node: Any = document
    for part in path:
        if isinstance(part, int):
            entry = node[part] if isinstance(node, list) and part < len(node) else None
            ident = entry.get("id") if isinstance(entry, dict) else None
            parts[-1] += f"[{ident}]" if isinstance(ident, str) else f"[{part + 1}]"
            node = entry
        else:
            parts.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)


def _source_path(path: Path_, merged: Mapping[str, Any], source: Mapping[str, Any]) -> Path_:
    """Translate a merged-document path into the same entry's path in one source file."""
    out: list[str | int] = []
    node_m: Any = merged
    node_s: Any = source
    for part in path:
        if isinstance(part, int):
            entry = node_m[part] if isinstance(node_m, list) and part < len(node_m) else None
            ident = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(node_s, list):
                return tuple(out)
            index = next(
                (i for i, e in enumerate(node_s) if isinstance(e, dict) and e.get("id") == ident),
                None,
            )
            if index is None:
                return tuple(out)
            out.append(index)
            node_m, node_s = entry, node_s[index]
        else:
            if not isinstance(node_s, dict) or part not in node_s:
                return tuple(out)
            out.append(part)
            node_m = node_m.get(part) if isinstance(node_m, dict) else None
            node_s = node_s[part]
    return tuple(out)


class _Checker:
    """Collects problems while building the typed playbook from the merged document."""

    def __init__(self, document: Mapping[str, Any], sources: Sequence[_Source]) -> None:
        self.document = document
        self.sources = sources
        self.problems: list[Problem] = []

    def problem(self, path: Path_, message: str) -> None:
        # The latest file that writes (part of) this key is the one to fix.
        for source in reversed(self.sources):
            within = _source_path(path, self.document, source.data)
            if within or source is self.sources[0]:
                lines = source.lines
                line = None
                for cut in range(len(within), -1, -1):
                    line = lines.get(within[:cut])
                    if line is not None:
                        break
                self.problems.append(
                    Problem(source.name, line, _dotted(path, self.document), message)
                )
                return

    # -- typed getters: each returns None (and records a problem) when the value is unusable

    def table(self, path: Path_, node: Any, required: bool = True) -> dict[str, Any] | None:
        if node is None:
            if required:
                self.problem(path, _("missing table"))
            return None
        if not isinstance(node, dict):
            self.problem(path, _("should be a table"))
            return None
        return node

    def unknown(self, path: Path_, node: Mapping[str, Any], known: set[str]) -> None:
        for key in node:
            if key not in known:
                self.problem(
                    (*path, key),
                    _("unknown key; expected one of {keys}").format(keys=", ".join(sorted(known))),
                )

    def text(self, path: Path_, value: Any, required: bool = True) -> str | None:
        if value is None:
            if required:
                self.problem(path, _("missing"))
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(path, _("should be a non-empty text, not {value!r}").format(value=value))
            return None
        return value

    def integer(self, path: Path_, value: Any, low: int, high: int) -> int | None:
        if value is None:
            self.problem(path, _("missing"))
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(
                path,
                _("should be a whole number from {low} to {high}, not {value!r}").format(
                    low=low, high=high, value=value
                ),
            )
            return None
        return value

    def boolean(self, path: Path_, value: Any, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(path, _("should be true or false, not {value!r}").format(value=value))
            return default
        return value

    def percent(self, path: Path_, value: Any) -> Decimal | None:
        if value is None:
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise InvalidOperation
            share = Decimal(str(value).strip().rstrip("%")) / 100
        except (InvalidOperation, ValueError):
            share = None
        if share is None or not 0 <= share <= 1:
            self.problem(
                path, _("should be a percentage from 0 to 100, not {value!r}").format(value=value)
            )
            return None
        return share

    def offset(self, path: Path_, value: Any) -> Offset | None:
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return Offset.parse(value)
        except ValueError:
            self.problem(
                path,
                _('should be a duration like "30m", "2h", "5d" or "1w", not {value!r}').format(
                    value=value
                ),
            )
            return None

    def texts(self, path: Path_, value: Any, required: bool = True) -> tuple[str, ...] | None:
        if value is None and not required:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(path, _("should be a list of non-empty texts"))
            return None
        return tuple(value)

    def choice(self, path: Path_, value: Any, enum: type[StrEnum]) -> Any:
        try:
            return enum(value)
        except ValueError:
            self.problem(
                path,
                _("should be one of {choices}, not {value!r}").format(
                    choices=", ".join(e.value for e in enum), value=value
                ),
            )
            return None


# ---------------------------------------------------------------------------------------------
# Merging


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """The override on top of the base: tables key by key, id lists by id, other lists whole."""
    out: dict[str, Any] = dict(base)
    for key, value in override.items():
        current = out.get(key)
        if key in _ID_LISTS and isinstance(current, list) and isinstance(value, list):
            out[key] = _merge_by_id(current, value)
        elif isinstance(current, dict) and isinstance(value, dict):
            out[key] = merge(current, value)
        else:
            out[key] = value
    return out


def _merge_by_id(base: list[Any], override: list[Any]) -> list[Any]:
    merged = list(base)
    for entry in override:
        ident = entry.get("id") if isinstance(entry, dict) else None
        index = next(
            (i for i, e in enumerate(merged) if isinstance(e, dict) and e.get("id") == ident), None
        )
        if ident is None or index is None:
            merged.append(entry)
        else:
            merged[index] = merge(merged[index], entry)
    return merged


# ---------------------------------------------------------------------------------------------
# Building and validating

_ID = re.compile(r"^[a-z][a-z0-9_.]{0,62}$")
_TOP = {
    "version",
    "reply",
    "routine",
    "stages",
    "cadence",
    "kpi",
    "signals",
    "negotiation",
    "assignment",
}


def _build_reply(c: _Checker, node: Any) -> ReplyTargets | None:
    table = c.table(("reply",), node)
    if table is None:
        return None
    c.unknown(("reply",), table, {"fresh_minutes", "due_minutes"})
    fresh = c.integer(("reply", "fresh_minutes"), table.get("fresh_minutes"), 1, REPLY_MINUTES_MAX)
    due = c.integer(("reply", "due_minutes"), table.get("due_minutes"), 1, REPLY_MINUTES_MAX)
    if fresh is None or due is None:
        return None
    if fresh >= due:
        c.problem(
            ("reply", "due_minutes"),
            _(
                "should be longer than fresh_minutes ({fresh}), not {value!r}: the ideal reply "
                "comes before the latest one"
            ).format(fresh=fresh, value=due),
        )
        return None
    return ReplyTargets(timedelta(minutes=fresh), timedelta(minutes=due))


def _build_routine(c: _Checker, node: Any) -> tuple[RoutineItem, ...]:
    if not isinstance(node, list):
        c.problem(("routine",), _("should be a list of [[routine]] entries"))
        return ()
    items: list[RoutineItem] = []
    seen: set[str] = set()
    for i, entry in enumerate(node):
        path: Path_ = ("routine", i)
        table = c.table(path, entry)
        if table is None:
            continue
        c.unknown(path, table, {"id", "title", "detail", "enabled"})
        ident = c.text((*path, "id"), table.get("id"))
        title = c.text((*path, "title"), table.get("title"))
        detail = c.text((*path, "detail"), table.get("detail"), required=False) or ""
        enabled = c.boolean((*path, "enabled"), table.get("enabled"), True)
        if ident is not None and not _ID.match(ident):
            c.problem((*path, "id"), _("ids are lower-case letters, digits, _ and ."))
            continue
        if ident is not None and ident in seen:
            c.problem((*path, "id"), _("the id {id!r} is used twice").format(id=ident))
            continue
        if ident is None or title is None:
            continue
        seen.add(ident)
        if enabled:
            items.append(RoutineItem(ident, title, detail))
    return tuple(items)


_FUNNEL_WITH_NEXT = FUNNEL[:-1]
"""The stages a funnel target (conversion to the next stage) can be set on."""


def _build_stages(c: _Checker, node: Any) -> dict[Stage, StageRule]:
    table = c.table(("stages",), node)
    if table is None:
        return {}
    c.unknown(("stages",), table, {s.value for s in Stage})
    rules: dict[Stage, StageRule] = {}
    for stage in Stage:
        path: Path_ = ("stages", stage.value)
        entry = c.table(path, table.get(stage.value))
        if entry is None:
            continue
        c.unknown(path, entry, {"key_actions", "stale_after_days", "target_to_next_percent"})
        actions = c.texts((*path, "key_actions"), entry.get("key_actions"), required=False)
        days = c.integer((*path, "stale_after_days"), entry.get("stale_after_days"), 0, 3650)
        target = c.percent((*path, "target_to_next_percent"), entry.get("target_to_next_percent"))
        if target is not None and stage not in _FUNNEL_WITH_NEXT:
            c.problem(
                (*path, "target_to_next_percent"),
                _("only {stages} lead on to a next funnel stage").format(
                    stages=", ".join(s.value for s in _FUNNEL_WITH_NEXT)
                ),
            )
            target = None
        if days is None:
            continue
        rules[stage] = StageRule(
            stage=stage,
            key_actions=actions or (),
            stale_after=timedelta(days=days) if days else None,
            target_to_next=target,
        )
    return rules


_CADENCE_KEYS = {
    "id",
    "trigger",
    "kind",
    "offsets",
    "land",
    "title",
    "why",
    "enabled",
    "transit_days",
    "every",
    "intervals",
}
_POTENTIALS = {"A", "B", "C", "unrated"}


def _check_template(c: _Checker, path: Path_, template: str, allowed: frozenset[str]) -> None:
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}
    except ValueError as exc:
        c.problem(path, _("is not a valid template: {error}").format(error=exc))
        return
    wrong = sorted(n for n in names if n not in allowed)
    if wrong:
        c.problem(
            path,
            _("unknown placeholder {names}; this trigger offers {allowed}").format(
                names=", ".join("{" + n + "}" for n in wrong),
                allowed=", ".join("{" + n + "}" for n in sorted(allowed)),
            ),
        )


def _build_cadence(c: _Checker, path: Path_, table: dict[str, Any]) -> CadenceRule | None:
    c.unknown(path, table, _CADENCE_KEYS)
    ident = c.text((*path, "id"), table.get("id"))
    if ident is not None and not _ID.match(ident):
        c.problem((*path, "id"), _("ids are lower-case letters, digits, _ and ."))
        ident = None
    trigger = c.choice((*path, "trigger"), table.get("trigger"), Trigger)
    kind = c.choice((*path, "kind"), table.get("kind", TaskKind.FOLLOW_UP.value), TaskKind)
    land = c.choice((*path, "land"), table.get("land", Landing.CUSTOMER.value), Landing)
    title = c.text((*path, "title"), table.get("title"))
    why = c.text((*path, "why"), table.get("why"))
    enabled = c.boolean((*path, "enabled"), table.get("enabled"), True)
    offsets: list[Offset] = []
    raw_offsets = table.get("offsets")
    if raw_offsets is not None:
        if not isinstance(raw_offsets, list) or not raw_offsets:
            c.problem((*path, "offsets"), _('should be a list of durations, e.g. ["2d", "5d"]'))
        else:
            for j, raw in enumerate(raw_offsets):
                offset = c.offset((*path, "offsets", j), raw)
                if offset is not None:
                    offsets.append(offset)
    every = c.offset((*path, "every"), table["every"]) if "every" in table else None
    transit = (
        c.integer((*path, "transit_days"), table["transit_days"], 0, 365)
        if "transit_days" in table
        else None
    )
    intervals: dict[str, Offset] = {}
    if "intervals" in table:
        raw_intervals = c.table((*path, "intervals"), table["intervals"])
        if raw_intervals is not None:
            c.unknown((*path, "intervals"), raw_intervals, _POTENTIALS)
            for potential, raw in raw_intervals.items():
                offset = c.offset((*path, "intervals", potential), raw)
                if offset is not None and potential in _POTENTIALS:
                    intervals[potential] = offset
    if trigger is not None:
        for key in ("title", "why"):
            value = table.get(key)
            if isinstance(value, str):
                _check_template(c, (*path, key), value, PLACEHOLDERS[trigger])
        if trigger is Trigger.PRODUCTION:
            if every is None and "every" not in table:
                c.problem(path, _('a production cadence needs every = "1w"'))
        elif trigger is Trigger.NURTURE:
            if "unrated" not in intervals and "intervals" not in table:
                c.problem(path, _('a nurture cadence needs [cadence.intervals] with "unrated"'))
            elif "unrated" not in intervals:
                c.problem((*path, "intervals"), _('needs an "unrated" interval'))
        elif raw_offsets is None:
            c.problem(path, _('this trigger needs offsets, e.g. offsets = ["2d"]'))
        if trigger is Trigger.SAMPLE_SHIPPED and "transit_days" not in table:
            c.problem(path, _("a sample_shipped cadence needs transit_days"))
    if None in (ident, trigger, kind, land, title, why):
        return None
    return CadenceRule(
        id=ident,  # type: ignore[arg-type]
        trigger=trigger,
        kind=kind,
        offsets=tuple(offsets),
        land=land,
        title=title,  # type: ignore[arg-type]
        why=why,  # type: ignore[arg-type]
        enabled=enabled,
        transit_days=transit,
        every=every,
        intervals=MappingProxyType(intervals),
    )


def _build_cadences(c: _Checker, node: Any) -> tuple[CadenceRule, ...]:
    if node is None:
        return ()
    if not isinstance(node, list):
        c.problem(("cadence",), _("should be a list of [[cadence]] entries"))
        return ()
    rules: list[CadenceRule] = []
    seen: set[str] = set()
    for i, entry in enumerate(node):
        path: Path_ = ("cadence", i)
        table = c.table(path, entry)
        if table is None:
            continue
        rule = _build_cadence(c, path, table)
        if rule is None:
            continue
        if rule.id in seen:
            c.problem((*path, "id"), _("the id {id!r} is used twice").format(id=rule.id))
            continue
        seen.add(rule.id)
        if rule.enabled:
            rules.append(rule)
    return tuple(rules)


_KPI_UNITS = {Unit.RATIO: KpiUnit.PERCENT, Unit.MONEY: KpiUnit.MONEY, Unit.COUNT: KpiUnit.COUNT}
_KPI_IDS = {
    k.value: _KPI_UNITS[spec.unit] for k, spec in KPI_SPECS.items() if spec.unit in _KPI_UNITS
}
"""The KPIs a playbook sets targets for, with the unit each is counted in. The median first reply
has no entry: its target is the reply clock's `[reply] due_minutes`."""


def _build_kpis(c: _Checker, node: Any) -> dict[str, KpiTarget]:
    table = c.table(("kpi",), node, required=False)
    if table is None:
        return {}
    kpis: dict[str, KpiTarget] = {}
    for ident, entry in table.items():
        path: Path_ = ("kpi", ident)
        if ident not in _KPI_IDS:
            hint = (
                _("its target is [reply] due_minutes")
                if ident == Kpi.FIRST_REPLY_MEDIAN.value
                else _("expected one of {ids}").format(ids=", ".join(_KPI_IDS))
            )
            c.problem(path, _("unknown KPI; {hint}").format(hint=hint))
            continue
        values = c.table(path, entry)
        if values is None:
            continue
        c.unknown(path, values, {"title", "unit", "target_percent", "target", "higher_is_better"})
        title = c.text((*path, "title"), values.get("title"))
        unit = c.choice((*path, "unit"), values.get("unit"), KpiUnit)
        if unit is not None and unit is not _KPI_IDS[ident]:
            c.problem(
                (*path, "unit"),
                _("{kpi} is counted in {unit}, not {value!r}").format(
                    kpi=ident, unit=_KPI_IDS[ident].value, value=unit.value
                ),
            )
            unit = None
        higher = c.boolean((*path, "higher_is_better"), values.get("higher_is_better"), True)
        target: Decimal | None = None
        if unit is KpiUnit.PERCENT:
            if "target" in values:
                c.problem((*path, "target"), _("percent KPIs take target_percent"))
            target = c.percent((*path, "target_percent"), values.get("target_percent"))
        elif unit is not None:
            if "target_percent" in values:
                c.problem((*path, "target_percent"), _("only percent KPIs take target_percent"))
            raw = values.get("target")
            if raw is not None:
                try:
                    if isinstance(raw, bool) or not isinstance(raw, int | str):
                        raise InvalidOperation
                    target = Decimal(str(raw))
                except InvalidOperation:
                    c.problem(
                        (*path, "target"),
                        _('should be a whole number or a decimal in quotes ("2500.00")'),
                    )
        if title is not None and unit is not None:
            kpis[ident] = KpiTarget(ident, title, unit, target, higher)
    return kpis


def _build_signals(c: _Checker, node: Any) -> SignalPolicy | None:
    table = c.table(("signals",), node)
    if table is None:
        return None
    c.unknown(
        ("signals",),
        table,
        {"suggest_stage", "suggest_from", "scan_days", "window", "negation", "phrases"},
    )
    stage = c.choice(("signals", "suggest_stage"), table.get("suggest_stage"), Stage)
    from_stages: set[Stage] = set()
    raw_from = c.texts(("signals", "suggest_from"), table.get("suggest_from"))
    for j, value in enumerate(raw_from or ()):
        member = c.choice(("signals", "suggest_from", j), value, Stage)
        if member is not None:
            from_stages.add(member)
    scan_days = c.integer(("signals", "scan_days"), table.get("scan_days"), 1, 3650)
    window = c.integer(("signals", "window"), table.get("window", 4), 1, 12)
    negation = c.table(("signals", "negation"), table.get("negation"), required=False) or {}
    c.unknown(("signals", "negation"), negation, {"before", "after", "breaks"})
    before = c.texts(("signals", "negation", "before"), negation.get("before"), required=False)
    after = c.texts(("signals", "negation", "after"), negation.get("after"), required=False)
    breaks = c.texts(("signals", "negation", "breaks"), negation.get("breaks"), required=False)
    phrases_node = c.table(("signals", "phrases"), table.get("phrases")) or {}
    c.unknown(("signals", "phrases"), phrases_node, {s.value for s in BuyingSignal})
    phrases: dict[BuyingSignal, dict[str, tuple[str, ...]]] = {}
    for signal in BuyingSignal:
        path: Path_ = ("signals", "phrases", signal.value)
        languages = c.table(path, phrases_node.get(signal.value), required=False)
        if languages is None:
            continue
        phrases[signal] = {}
        for language, values in languages.items():
            if not re.match(r"^[a-z]{2,3}(_[A-Z]{2})?$", language):
                c.problem((*path, language), _('language codes look like "en", "pt" or "zh_CN"'))
                continue
            texts = c.texts((*path, language), values)
            if texts is not None:
                phrases[signal][language] = texts
    if stage is None or scan_days is None or window is None:
        return None
    if stage in from_stages:
        c.problem(("signals", "suggest_from"), _("cannot include the suggested stage itself"))
    rules = SignalRules(
        phrases=MappingProxyType({k: MappingProxyType(v) for k, v in phrases.items()}),
        negation_before=before or (),
        negation_after=after or (),
        breaks=breaks or (),
        window=window,
    )
    return SignalPolicy(rules, stage, frozenset(from_stages), scan_days)


_GUIDE_TEXTS = ("price", "payment_new", "payment_established", "samples", "final_push")
_GUIDE_TOPICS = {"price", "payment", "samples", "final_push"}


def _build_negotiation(c: _Checker, node: Any) -> NegotiationGuide | None:
    table = c.table(("negotiation",), node)
    if table is None:
        return None
    c.unknown(("negotiation",), table, {"established_after_orders", "templates", *_GUIDE_TEXTS})
    after = c.integer(
        ("negotiation", "established_after_orders"), table.get("established_after_orders"), 1, 1000
    )
    texts = {key: c.text(("negotiation", key), table.get(key)) for key in _GUIDE_TEXTS}
    templates: dict[str, tuple[str, ...]] = {}
    raw = c.table(("negotiation", "templates"), table.get("templates"), required=False) or {}
    c.unknown(("negotiation", "templates"), raw, _GUIDE_TOPICS)
    for topic, ids in raw.items():
        values = c.texts(("negotiation", "templates", topic), ids)
        if values is not None and topic in _GUIDE_TOPICS:
            templates[topic] = values
    if after is None or any(v is None for v in texts.values()):
        return None
    return NegotiationGuide(
        established_after_orders=after,
        templates=MappingProxyType(templates),
        **texts,  # type: ignore[arg-type]
    )


def _build_assignment(c: _Checker, node: Any) -> AssignmentRules:
    path: Path_ = ("assignment",)
    table = c.table(path, node, required=False)
    if table is None:
        return AssignmentRules()
    c.unknown(path, table, {"mode", "rotation", "by_country", "by_product"})
    mode = c.choice((*path, "mode"), table.get("mode", "rules"), AssignmentMode)
    rotation = c.texts((*path, "rotation"), table.get("rotation"), required=False) or ()
    countries: dict[str, str] = {}
    raw_countries = c.table((*path, "by_country"), table.get("by_country"), required=False) or {}
    for code, login in raw_countries.items():
        if not re.fullmatch(r"[A-Za-z]{2}", code):
            c.problem((*path, "by_country", code), _("use a two-letter ISO code such as DE"))
            continue
        value = c.text((*path, "by_country", code), login)
        if value is not None:
            countries[code.upper()] = value.strip()
    words: list[tuple[str, str]] = []
    raw_words = c.table((*path, "by_product"), table.get("by_product"), required=False) or {}
    for word, login in raw_words.items():
        value = c.text((*path, "by_product", word), login)
        if value is not None and word.strip():
            words.append((word.strip().lower(), value.strip()))
    return AssignmentRules(
        mode=mode or AssignmentMode.RULES,
        by_country=MappingProxyType(countries),
        by_product=tuple(words),
        rotation=tuple(r.strip() for r in rotation),
    )


def build(document: Mapping[str, Any], sources: Sequence[_Source]) -> Playbook:
    """The typed playbook from a merged document; PlaybookError lists every problem found."""
    c = _Checker(document, sources)
    c.unknown((), document, _TOP)
    version = document.get("version")
    if version != SUPPORTED_VERSION:
        c.problem(
            ("version",),
            _("this sopdesk reads playbook version {supported}, not {value!r}").format(
                supported=SUPPORTED_VERSION, value=version
            ),
        )
    reply = _build_reply(c, document.get("reply"))
    routine = _build_routine(c, document.get("routine", []))
    stages = _build_stages(c, document.get("stages"))
    cadences = _build_cadences(c, document.get("cadence"))
    kpis = _build_kpis(c, document.get("kpi"))
    signals = _build_signals(c, document.get("signals"))
    negotiation = _build_negotiation(c, document.get("negotiation"))
    assignment = _build_assignment(c, document.get("assignment"))
    if c.problems or reply is None or signals is None or negotiation is None:
        if not c.problems:  # pragma: no cover - every None above records a problem
            c.problem((), _("incomplete playbook"))
        raise PlaybookError(c.problems)
    return Playbook(
        version=SUPPORTED_VERSION,
        reply=reply,
        routine=routine,
        stages=MappingProxyType(stages),
        cadences=cadences,
        kpis=MappingProxyType(kpis),
        signals=signals,
        negotiation=negotiation,
        sources=tuple(s.name for s in sources),
        document=MappingProxyType(dict(document)),
        assignment=assignment,
    )


def _read_toml(name: str, text: str) -> _Source:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        message = _("not valid TOML: {error}").format(error=str(exc))
        raise PlaybookError([Problem(name, line, "", message)]) from exc
    return _Source(name, text, data)


def parse(text: str, name: str, base: _Source | None = None) -> Playbook:
    """A playbook from TOML text; with `base`, the text is a team file merged over it."""
    source = _read_toml(name, text)
    if base is None:
        return build(source.data, [source])
    return build(merge(base.data, source.data), [base, source])


# ---------------------------------------------------------------------------------------------
# Loading


def shipped_text() -> str:
    return resources.files("sopdesk.sop").joinpath(SHIPPED_NAME).read_text("utf-8")


@lru_cache(maxsize=1)
def _shipped_source() -> _Source:
    return _read_toml(f"<sopdesk>/sop/{SHIPPED_NAME}", shipped_text())


@lru_cache(maxsize=1)
def shipped() -> Playbook:
    """The playbook as shipped (the SOP as written). Raises if the package itself is broken."""
    source = _shipped_source()
    return build(source.data, [source])


def override_path() -> Path:
    """Where a team puts its playbook changes."""
    from sopdesk import locations

    return locations.config_dir() / "playbook.toml"


def check_file(path: Path) -> Playbook:
    """A team file merged over the shipped playbook; PlaybookError says what is wrong."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlaybookError([Problem(str(path), None, "", str(exc))]) from exc
    return parse(text, str(path), base=_shipped_source())


@dataclass(frozen=True)
class Loaded:
    playbook: Playbook
    warning: str | None
    """Set when a team file exists but was refused; the shipped playbook is used instead."""


def load(path: Path | None = None) -> Loaded:
    """The effective playbook: the team file over the shipped one, or the shipped one alone."""
    path = path if path is not None else override_path()
    if not path.exists():
        return Loaded(shipped(), None)
    try:
        return Loaded(check_file(path), None)
    except PlaybookError as exc:
        warning = _("The team playbook was refused; using the shipped one.\n{problems}").format(
            problems=str(exc)
        )
        return Loaded(shipped(), warning)


_cache: dict[tuple[str, int, int], Loaded] = {}


def effective_loaded() -> Loaded:
    """`load()` cached until the team file changes (one stat per call)."""
    path = override_path()
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (str(path), -1, -1)
    found = _cache.get(key)
    if found is None:
        found = load(path)
        _cache.clear()
        _cache[key] = found
    return found


def effective() -> Playbook:
    return effective_loaded().playbook
