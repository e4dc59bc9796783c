"""Customer text is displayed as text: never markup, never terminal control."""

from hypothesis import given
from hypothesis import strategies as st

from sopdesk.ui import text as safe


def test_escape_sequences_become_visible() -> None:
    hostile = "hello\x1b]0;HACKED\x07 and \x1b[2J cleared\x9b31m"
    shown = safe.display(hostile)
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert "␛]0;HACKED" in shown
    assert "cleared" in shown


def test_markup_is_kept_literally() -> None:
    for hostile in ("[bold]x[/]", "[@click=app.quit]quit[/]", "price [USD]", "[/]", "a[b]c"):
        assert str(safe.content(hostile)) == hostile
        assert safe.cell(hostile).plain == hostile


def test_bidi_overrides_are_dropped() -> None:
    assert safe.display("abc\u202edef\u2066x") == "abcdefx"


def test_single_line_and_limit() -> None:
    assert safe.display("a\nb\tc", single_line=True) == "a b c"
    assert safe.display("x" * 5000, limit=10) == "x" * 9 + "…"


@given(st.text())
def test_no_control_character_survives(text: str) -> None:
    shown = safe.display(text)
    assert not any((ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F for ch in shown)
