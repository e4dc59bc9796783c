"""Turning untrusted text (customer messages, names, rendered drafts) into safe display text.

Two dangers (PITFALLS.md): Textual markup in plain strings, and control characters that Textual
passes straight to the terminal (ESC sequences retitle the window or clear the screen). Every
piece of customer text goes through `display()` where it becomes display text; storage keeps the
text as received. The result is wrapped in `Content` (never markup) or `rich.text.Text`.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_PICTURES = {0x1B: "␛", 0x0D: "", 0x07: "␇", 0x00: "␀", 0x7F: "␡"}


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code in _PICTURES:
        return _PICTURES[code]
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block
    return "\ufffd"


def display(text: str | None, single_line: bool = False, limit: int | None = None) -> str:
    """Control characters become visible pictures; bidi overrides are dropped; tabs become spaces."""
    if not text:
        return ""
    if single_line:
        text = " ".join(text.split())
    text = text.replace("\r\n", "\n").replace("\t", "    ")
    text = _CONTROL.sub(_picture, text)
    text = _BIDI.sub("", text)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


def content(text: str | None, single_line: bool = False, limit: int | None = None) -> Content:
    """Untrusted text as a Content that is never parsed as markup."""
    return Content(display(text, single_line=single_line, limit=limit))


def cell(text: str | None, limit: int = 60, style: str = "") -> Text:
    """Untrusted text for a DataTable cell: one line, never markup."""
    return Text(display(text, single_line=True, limit=limit), style=style, no_wrap=True)


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad by terminal cells, so Chinese labels line up with English ones."""
    gap = " " * max(width - cell_len(text), 0)
    return gap + text if right else text + gap


__all__ = ["cell", "cell_len", "content", "display", "pad"]
