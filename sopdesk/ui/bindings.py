"""Screen key bindings: each one has an id `<screen>.<ident>` and a tooltip (the help screen
lists them, the keymap file rebinds them by id)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.binding import Binding


def binding_factory(prefix: str) -> Callable[..., Binding]:
    """`_binding = binding_factory("orders")`, then `_binding(key, action, label, ident, tooltip)`."""

    def make(key: str, action: str, label: str, ident: str, tooltip: str, **kw: Any) -> Binding:
        return Binding(key, action, label, id=f"{prefix}.{ident}", tooltip=tooltip, **kw)

    return make
