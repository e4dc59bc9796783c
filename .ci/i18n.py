#!/usr/bin/env python3
"""Keep the Simplified Chinese catalogue in step with the source.

    python3 .ci/i18n.py extract   # add new strings to sopdesk.po (keeps every translation)
    python3 .ci/i18n.py compile   # build sopdesk.mo from sopdesk.po
    python3 .ci/i18n.py missing   # list strings without a translation

Strings are found by babel in `_()`, `N_()`, `ngettext()`, `pgettext()`, `npgettext()` and `NP_()`
calls under sopdesk/ (the first argument of the last three is the msgctxt: one English word, two
meanings).
"""

from __future__ import annotations

import ast
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sopdesk"
PO = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "sopdesk.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "NP_": ((1, "c"), 2),
}


def template() -> Catalog:
    catalog = Catalog(project="sopdesk", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
    ):
        catalog.add(
            message,
            None,
            [(f"sopdesk/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    for path, lineno, message in _inside_fstrings():
        if message not in catalog:
            catalog.add(message, None, [(path, lineno)])
    return catalog


_CALL = re.compile(r"""\b_\((?P<literal>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")\)""")


def _inside_fstrings() -> list[tuple[str, int, str]]:
    """`_('…')` calls inside f-strings: Python 3.11 tokenises an f-string as one string, so
    babel's extractor never sees them. A plain-text scan finds them (and the others again)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text("utf-8")
        for match in _CALL.finditer(text):
            try:
                message = ast.literal_eval(match["literal"])
            except (SyntaxError, ValueError):
                continue
            if isinstance(message, str) and message:
                lineno = text.count("\n", 0, match.start()) + 1
                found.append((f"sopdesk/{path.relative_to(PACKAGE)}", lineno, message))
    return found


def load() -> Catalog:
    if not PO.exists():
        return Catalog(locale="zh_CN", project="sopdesk", charset="utf-8")
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh_CN")


def extract() -> None:
    catalog = load()
    catalog.update(template(), no_fuzzy_matching=True)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, ignore_obsolete=True)


def compiled_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_mo() -> None:
    MO.write_bytes(compiled_bytes(load()))


def missing() -> list[str]:
    catalog = load()
    wanted = template()
    out = []
    for message in wanted:
        if not message.id:
            continue
        have = catalog.get(message.id, context=message.context)
        if (
            have is None
            or not have.string
            or have.fuzzy
            or (isinstance(have.string, tuple) and not all(have.string))
        ):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "extract":
        extract()
        compile_mo()  # the .po header changes on every extract: keep the .mo in step
    elif command == "compile":
        compile_mo()
    elif command == "missing":
        for text in missing():
            print(text)
    else:
        print(__doc__)
        sys.exit(2)
