"""The documentation that is generated from the code is up to date."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_keys_md_lists_the_bindings_in_the_code() -> None:
    spec = importlib.util.spec_from_file_location("keys_doc", DOCS / "keys.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (DOCS / "keys.md").read_text("utf-8") == module.render(), "run python3 docs/keys.py"


def test_every_binding_has_an_id_and_a_tooltip() -> None:
    spec = importlib.util.spec_from_file_location("keys_doc", DOCS / "keys.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from textual.binding import Binding

    missing = [
        f"{cls.__name__}:{b.key}"
        for cls in module.classes()
        for b in cls.BINDINGS
        if isinstance(b, Binding) and (not b.id or not b.tooltip)
    ]
    assert missing == []
