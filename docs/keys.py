"""Regenerate docs/keys.md from the bindings in the code: `python3 docs/keys.py`.

Every Binding has an id (remap it in config.toml under [keymap]) and a tooltip; this lists them
per screen and pane so the documentation cannot drift from the keys.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

import sopdesk.ui


def classes() -> list[type[DOMNode]]:
    found: dict[str, type[DOMNode]] = {}
    for module_info in pkgutil.walk_packages(sopdesk.ui.__path__, "sopdesk.ui."):
        module = importlib.import_module(module_info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(obj, DOMNode)
                and obj.__module__ == module.__name__
                and "BINDINGS" in obj.__dict__
            ):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


def render() -> str:
    lines = [
        "# Keys",
        "",
        "Generated from the code by `python3 docs/keys.py`. Press `?` on any screen for the same list.",
        'Remap a key by its id in `config.toml`, e.g. `[keymap]` `"draft.copy" = "c"`.',
        "",
    ]
    for cls in classes():
        bindings = [b for b in cls.BINDINGS if isinstance(b, Binding)]
        if not bindings:
            continue
        doc = inspect.cleandoc(cls.__dict__.get("__doc__") or "").split("\n")[0]
        lines += [f"## {cls.__name__}", "", doc, "", "| key | does | id |", "|---|---|---|"]
        for b in bindings:
            keys = " / ".join(f"`{k.strip()}`" for k in b.key.split(","))
            lines.append(f"| {keys} | {b.tooltip or b.description} | `{b.id or ''}` |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    Path(__file__).with_name("keys.md").write_text(render(), encoding="utf-8")
