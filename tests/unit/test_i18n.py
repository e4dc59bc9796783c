"""English and Simplified Chinese ship together: every string translated, the .mo up to date."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / ".ci" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_string_has_a_chinese_translation() -> None:
    missing = _tool().missing()
    assert missing == [], f"{len(missing)} strings lack zh_CN: run .ci/i18n.py extract, translate"


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    tool = _tool()
    assert tool.MO.read_bytes() == tool.compiled_bytes(tool.load()), "run .ci/i18n.py compile"


def test_placeholders_survive_translation() -> None:
    import re

    catalog = _tool().load()
    for message in catalog:
        if not message.id or not message.string or isinstance(message.id, tuple):
            continue
        names = sorted(re.findall(r"\{(\w*)[^}]*\}", message.id))
        assert sorted(re.findall(r"\{(\w*)[^}]*\}", message.string)) == names, message.id


@pytest.mark.parametrize(
    ("lang", "expected"), [("zh_CN.UTF-8", "潜在客户"), ("en_US.UTF-8", "Lead")]
)
def test_lang_chooses_the_ui_language(lang: str, expected: str) -> None:
    code = (
        "from sopdesk import i18n, labels\n"
        "from sopdesk.sop.stages import Stage\n"
        "i18n.install('')\n"
        "print(labels.stage(Stage.LEAD))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == expected


def test_a_word_with_two_meanings_has_a_context_for_each() -> None:
    catalog = _tool().template()
    for word, contexts in (
        ("sent", ("touch direction", "quote status")),
        ("received", ("touch direction", "deposit")),
        (
            "Entered",
            ("when the customer entered the stage", "customers who entered the stage"),
        ),
    ):
        for context in contexts:
            assert catalog.get(word, context=context) is not None, (word, context)
    for word in ("received", "Entered"):
        assert catalog.get(word) is None, f"{word!r} is used without a context somewhere"


def test_a_catalogue_can_be_installed_for_tests_and_contexts_reach_it() -> None:
    from sopdesk import i18n
    from tests.marked_gettext import Marked

    i18n.install_translations(Marked(), "zh_CN")
    try:
        assert i18n.current() == "zh_CN"
        assert i18n._("Lead") == "«Lead»"
        assert i18n.pgettext("quote status", "sent") == "«sent»"
        assert i18n.npgettext("c", "{n} order", "{n} orders", 2) == "«{n} orders»"
        assert i18n.NP_("quote status", "sent") == "sent"  # marked only
    finally:
        i18n.install("en")
    assert i18n.pgettext("quote status", "sent") == "sent"
    assert i18n.npgettext("c", "{n} order", "{n} orders", 1) == "{n} order"
