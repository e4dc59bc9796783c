"""The Jinja environment reply templates run in: sandboxed, strict, and size-capped.

Reps edit templates, and teams share them, so a template is untrusted code (PITFALLS.md, Jinja2):
  - it sees only plain frozen values (`Record`s), never models: `{{ c.delete_instance() }}` would
    delete a row even inside the sandbox;
  - an empty or missing value is an error that names it in words ("customer contact name is
    empty — fill it in or edit the draft"), never a blank in a message to a customer;
  - values it builds are capped: `*`, `**`, `+`, `%` and `~` refuse results past `MAX_TEXT`
    characters or `MAX_ITEMS` items, integer arguments to calls and filters past `MAX_INT_ARG`,
    and `range()` past `MAX_RANGE`; only harmless methods of str/list/dict/tuple may be called;
  - the template file is capped at `MAX_TEMPLATE_BYTES` and the output at `MAX_OUTPUT`.
A hard render timeout is not possible in-process: Python cannot interrupt a thread, and a
subprocess per draft is too slow for a keystroke. The hooks above check a soft deadline
(`RENDER_SECONDS`) every few hundred operations, which stops runaway loops that touch values or
call anything; a loop over a long string that does nothing at all can still spin until done.
"""

from __future__ import annotations

import functools
import re
import threading
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, ClassVar

from jinja2 import BaseLoader, FileSystemLoader, StrictUndefined, TemplateError, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.runtime import Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing

from sopdesk.i18n import N_, _

MAX_TEMPLATE_BYTES = 64 * 1024
MAX_OUTPUT = 64 * 1024
"""Characters a draft may have; far more than any message to a buyer."""
MAX_TEXT = 100_000
"""Characters of one string a template may build."""
MAX_ITEMS = 10_000
"""Items of one list or tuple a template may build."""
MAX_INT_ARG = 1_000
"""Largest integer a template may pass to a filter whose output grows with it (widths, counts)."""
GROWING_FILTERS = frozenset({"center", "indent", "batch", "slice", "wordwrap"})
MAX_INT_BITS = 1024
MAX_RANGE = 1_000
RENDER_SECONDS = 2.0
_CHECK_EVERY = 256

SAFE_METHODS: dict[type, frozenset[str]] = {
    str: frozenset(
        {
            "capitalize",
            "casefold",
            "count",
            "endswith",
            "find",
            "isalnum",
            "isalpha",
            "isdigit",
            "islower",
            "isnumeric",
            "isspace",
            "istitle",
            "isupper",
            "join",
            "lower",
            "lstrip",
            "partition",
            "removeprefix",
            "removesuffix",
            "replace",
            "rfind",
            "rpartition",
            "rsplit",
            "rstrip",
            "split",
            "splitlines",
            "startswith",
            "strip",
            "swapcase",
            "title",
            "upper",
        }
    ),
    list: frozenset({"count", "index"}),
    tuple: frozenset({"count", "index"}),
    dict: frozenset({"get", "items", "keys", "values"}),
}
"""Methods of builtin containers a template may call; everything else (ljust, center, zfill,
encode, append …) is refused."""


# --- the values templates see ------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """Base of every value group a template sees (rep, customer, inquiry …): plain and frozen.

    `_label` names the group in error messages ("customer contact"); `_words` gives a field
    better words than its name with spaces ("years" → "years of experience").
    """

    _label: ClassVar[str] = ""
    _words: ClassVar[dict[str, str]] = {}
    _in_settings: ClassVar[bool] = False
    """The values come from the settings (config.toml), not the store."""

    def _group_words(self) -> str:
        return _(self._label)


def is_empty(value: Any) -> bool:
    """Empty strings (also whitespace only) and None are missing values."""
    return value is None or (isinstance(value, str) and not value.strip())


def field_words(record: Record, name: str) -> str:
    words = type(record)._words.get(name)
    return _(words) if words else name.replace("_", " ")


def empty_message(record: Record, name: str) -> str:
    what = f"{record._group_words()} {field_words(record, name)}"
    if record._in_settings:
        return _("{what} is empty — fill it in in the settings or edit the draft").format(what=what)
    return _("{what} is empty — fill it in or edit the draft").format(what=what)


def record_fields(record: Record) -> list[str]:
    return [f.name for f in fields(record) if not f.name.startswith("_")]


class MissingValue(StrictUndefined):
    """StrictUndefined whose error names the missing value in words."""

    __slots__ = ()
    known_names: ClassVar[tuple[str, ...]] = ()

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        name = self._undefined_name
        if self._undefined_obj is missing:
            return _("'{name}' is not a value drafts know (they know: {names})").format(
                name=name, names=", ".join(self.known_names)
            )
        obj = self._undefined_obj
        if isinstance(obj, Record):
            return _("{group} has no value called '{name}' (it has: {fields})").format(
                group=obj._group_words(), name=name, fields=", ".join(record_fields(obj))
            )
        return str(super()._undefined_message)


class EmptyValue(MissingValue):
    """A known value that is empty. Printing it (or iterating, or looking it up) is an error
    naming it, but a test is simply false: `{% if customer.website %}` reads naturally, while an
    unknown name (`{% if custmer.website %}`) still stops the draft."""

    __slots__ = ()

    def __bool__(self) -> bool:  # type: ignore[override]
        return False

    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        return False

    def __ne__(self, other: object) -> bool:  # type: ignore[override]
        return True

    __hash__ = MissingValue.__hash__  # type: ignore[assignment]


def _is_filled(value: Any) -> bool:
    """The `filled` test: defined, not an empty text, not an empty list/tuple/dict."""
    if isinstance(value, Undefined) or is_empty(value):
        return False
    return not (isinstance(value, (list, tuple, dict)) and len(value) == 0)


def _is_missing(value: Any) -> bool:
    return not _is_filled(value)


def _finalize(value: Any) -> Any:
    """Every `{{ … }}` passes here: None and whole value groups are not text for a customer."""
    if value is None:
        raise UndefinedError(_("a value in the template is empty — fill it in or edit the draft"))
    if isinstance(value, Record):
        raise UndefinedError(
            _("{group} is a group of values; print one of them ({fields})").format(
                group=value._group_words(), fields=", ".join(record_fields(value))
            )
        )
    return value


# --- caps ----------------------------------------------------------------------------------


def _too_large(what: str) -> SecurityError:
    return SecurityError(_("the template builds {what} too large for a draft").format(what=_(what)))


def _check_int(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT_ARG:
        raise SecurityError(
            _("the number {n} is too large for a template (at most {max})").format(
                n=value if value.bit_length() < 64 else "…", max=MAX_INT_ARG
            )
        )


def _check_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        _check_int(value)
        if isinstance(value, (tuple, list)) and len(value) <= 16:
            for item in value:
                _check_int(item)


def _check_size(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise _too_large(N_("a text"))
    if isinstance(value, (list, tuple)) and len(value) > MAX_ITEMS:
        raise _too_large(N_("a list"))
    return value


_WIDE_FORMAT = re.compile(r"\d{4,}")


def _check_format_string(fmt: str) -> None:
    """Refuse widths/precisions of four digits or more, and widths taken from the arguments
    (`%*s`, `{:{}}`), in %-style and {}-style formats."""
    specs = re.findall(r"%[^a-zA-Z%]*[a-zA-Z%]", fmt) + re.findall(
        r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}", fmt
    )
    for spec in specs:
        if _WIDE_FORMAT.search(spec) or "*" in spec or spec.count("{") > 1:
            raise _too_large(N_("a formatted text"))


def _check_replace(text: str, old: str, new: str, count: int = -1) -> None:
    hits = (len(text) + 1) if old == "" else text.count(old)
    if count is not None and count >= 0:
        hits = min(hits, count)
    if len(text) + hits * max(len(new) - len(old), 0) > MAX_TEXT:
        raise _too_large(N_("a text"))


def _check_join(parts: Any, sep: str = "") -> None:
    if isinstance(parts, (list, tuple)):
        total = sum(len(p) if isinstance(p, str) else 0 for p in parts)
        if total + len(sep) * len(parts) > MAX_TEXT:
            raise _too_large(N_("a text"))


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a builtin filter: no huge integer arguments, and size pre-checks where the output
    can explode (indent, replace, join, format)."""

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        values = [a for a in args if not _is_jinja_internal(a)]
        if name == "format" and values and isinstance(values[0], str):
            _check_format_string(values[0])
        if name == "replace" and len(values) >= 3 and isinstance(values[0], str):
            _check_replace(str(values[0]), str(values[1]), str(values[2]))
        if name == "join" and values:
            _check_join(list(values[0]) if isinstance(values[0], (list, tuple)) else None)
        if name == "indent" and values and isinstance(values[0], str):
            width = values[1] if len(values) > 1 else kwargs.get("width", 4)
            lines = values[0].count("\n") + 1
            if isinstance(width, int) and lines * min(abs(width), MAX_INT_ARG) > MAX_TEXT:
                raise _too_large(N_("a text"))
        if name in GROWING_FILTERS:
            _check_args(tuple(values[1:]), kwargs)
        return _check_size(func(*args, **kwargs))

    return guarded


def _is_jinja_internal(value: Any) -> bool:
    from jinja2.nodes import EvalContext
    from jinja2.runtime import Context

    return isinstance(value, (Context, EvalContext, ImmutableSandboxedEnvironment))


class _CappedCodeGenerator(CodeGenerator):
    """`a ~ b` compiles to a plain join the sandbox never sees; route it through a size check."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802 - Jinja's name
        self.write("environment.capped_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


@dataclass
class _Budget:
    deadline: float
    ticks: int = 0


class DraftEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox reply templates render in (see the module docstring)."""

    code_generator_class = _CappedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, loader: BaseLoader, known_names: tuple[str, ...] = ()) -> None:
        undefined = type("MissingValue", (MissingValue,), {"known_names": known_names})
        super().__init__(
            loader=loader,
            undefined=undefined,
            autoescape=False,
            keep_trailing_newline=True,
            finalize=_finalize,
            auto_reload=True,
        )
        self.globals.pop("lipsum", None)
        self.globals["range"] = self._range
        self.filters = {name: _guard_filter(name, f) for name, f in self.filters.items()}
        self.tests["filled"] = _is_filled
        self.tests["missing"] = _is_missing
        self._state = threading.local()

    # -- the soft deadline --
    def start_budget(self, seconds: float | None = None) -> None:
        limit = RENDER_SECONDS if seconds is None else seconds
        self._state.budget = _Budget(time.monotonic() + limit)

    def end_budget(self) -> None:
        self._state.budget = None

    def _tick(self) -> None:
        budget: _Budget | None = getattr(self._state, "budget", None)
        if budget is None:
            return
        budget.ticks += 1
        if budget.ticks % _CHECK_EVERY == 0 and time.monotonic() > budget.deadline:
            raise SecurityError(_("the template takes too long to render"))

    def _range(self, *args: int) -> Iterator[int]:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise _too_large(N_("a range"))
        for number in numbers:
            self._tick()
            yield number

    # -- strict values: empty strings and None on a Record are missing --
    def getattr(self, obj: Any, attribute: str) -> Any:
        self._tick()
        value = super().getattr(obj, attribute)
        if isinstance(obj, Record) and is_empty(value) and not isinstance(value, Undefined):
            return EmptyValue(hint=empty_message(obj, attribute), obj=obj, name=attribute)
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        self._tick()
        value = super().getitem(obj, argument)
        if (
            isinstance(obj, Record)
            and isinstance(argument, str)
            and is_empty(value)
            and not isinstance(value, Undefined)
        ):
            return EmptyValue(hint=empty_message(obj, argument), obj=obj, name=argument)
        return value

    # -- caps --
    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self._tick()
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
            if _both_ints(left, right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise _too_large(N_("a number"))
        elif operator == "**":
            if isinstance(right, int) and abs(right) > MAX_INT_BITS:
                raise _too_large(N_("a number"))
            if _both_ints(left, right) and left.bit_length() * abs(right) > MAX_INT_BITS:
                raise _too_large(N_("a number"))
        elif operator == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                _check_size_of_sum(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_format_string(left)
        return _check_size(super().call_binop(context, operator, left, right))

    def capped_concat(self, parts: tuple[Any, ...]) -> str:
        self._tick()
        texts = [str(part) for part in parts]
        if sum(len(t) for t in texts) > MAX_TEXT:
            raise _too_large(N_("a text"))
        return "".join(texts)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format_string(value.__self__)
        return wrapped

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self._tick()
        owner = getattr(__obj, "__self__", None)
        if isinstance(__obj, (types.BuiltinMethodType, types.MethodWrapperType)):
            for kind, allowed in SAFE_METHODS.items():
                if isinstance(owner, kind):
                    name = __obj.__name__
                    if name not in allowed:
                        raise SecurityError(
                            _("{kind}.{name}() is not allowed in templates").format(
                                kind=kind.__name__, name=name
                            )
                        )
                    if isinstance(owner, str) and name == "replace" and len(args) >= 2:
                        _check_replace(owner, str(args[0]), str(args[1]), *args[2:3])
                    if isinstance(owner, str) and name == "join" and args:
                        _check_join(list(args[0]) if isinstance(args[0], (list, tuple)) else None)
                    break
        return _check_size(super().call(__context, __obj, *args, **kwargs))


def _both_ints(a: Any, b: Any) -> bool:
    return (
        isinstance(a, int)
        and isinstance(b, int)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    )


def _check_repeat(seq: Any, times: Any) -> None:
    if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
        limit = MAX_TEXT if isinstance(seq, str) else MAX_ITEMS
        if len(seq) * max(times, 0) > limit:
            raise _too_large(N_("a text") if isinstance(seq, str) else N_("a list"))


def _check_size_of_sum(left: Any, right: Any) -> None:
    limit = MAX_TEXT if isinstance(left, str) else MAX_ITEMS
    if len(left) + len(right) > limit:
        raise _too_large(N_("a text") if isinstance(left, str) else N_("a list"))


class CappedFileSystemLoader(FileSystemLoader):
    """A FileSystemLoader that refuses files over MAX_TEMPLATE_BYTES."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.searchpath:
            path = Path(folder) / template
            try:
                size = path.stat().st_size
            except OSError:
                continue
            if size > MAX_TEMPLATE_BYTES:
                raise TemplateTooLargeError(template, size)
            break
        return super().get_source(environment, template)


class TemplateTooLargeError(TemplateError):
    """Not a TemplateNotFound: a loader chain must not fall back to another file silently."""

    def __init__(self, name: str, size: int) -> None:
        super().__init__(
            _("{name} is {size} bytes; templates may have at most {max}").format(
                name=name, size=size, max=MAX_TEMPLATE_BYTES
            )
        )
        self.name = name


__all__ = [
    "MAX_OUTPUT",
    "MAX_TEMPLATE_BYTES",
    "CappedFileSystemLoader",
    "DraftEnvironment",
    "EmptyValue",
    "MissingValue",
    "Record",
    "TemplateTooLargeError",
    "empty_message",
    "is_empty",
]
