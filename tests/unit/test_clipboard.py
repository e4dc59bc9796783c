"""Copying a draft: OSC 52 bytes, tmux/screen wrapping, the local tool, the private file."""

from __future__ import annotations

import base64
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sopdesk import locations
from sopdesk.services import clipboard

ESC = "\x1b"


def test_raw_osc52_bytes() -> None:
    assert clipboard.osc52_sequence("hi", env={}) == "\x1b]52;c;aGk=\x07"
    chinese = clipboard.osc52_sequence("你好 Ünïcode", env={})
    payload = chinese.removeprefix("\x1b]52;c;").removesuffix("\x07")
    assert base64.b64decode(payload).decode("utf-8") == "你好 Ünïcode"


def test_tmux_wrapping_doubles_every_escape() -> None:
    wrapped = clipboard.osc52_sequence("hi", env={"TMUX": "/tmp/tmux-0/default,1,0"})
    assert wrapped == "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"


def test_screen_wrapping_is_chunked() -> None:
    text = "x" * 500
    raw = clipboard.osc52_raw(text)
    wrapped = clipboard.osc52_sequence(text, env={"STY": "1234.pts-0.host"})
    chunks = wrapped.split(ESC + "\\")
    assert chunks[-1] == ""
    pieces = [c.removeprefix(ESC + "P") for c in chunks[:-1]]
    assert all(c.startswith(ESC + "P") for c in chunks[:-1])
    assert all(len(p) <= clipboard.SCREEN_CHUNK for p in pieces)
    assert len(pieces) == -(-len(raw) // clipboard.SCREEN_CHUNK)
    assert "".join(pieces) == raw


@given(st.text(max_size=400))
def test_wrappers_keep_the_sequence_recoverable(text: str) -> None:
    raw = clipboard.osc52_raw(text)
    tmux = clipboard.wrap_for_tmux(raw)
    inner = tmux.removeprefix(ESC + "Ptmux;").removesuffix(ESC + "\\")
    assert inner.replace(ESC + ESC, ESC) == raw
    screen = clipboard.wrap_for_screen(raw)
    parts = screen.split(ESC + "\\")
    assert parts[-1] == ""
    assert "".join(part.removeprefix(ESC + "P") for part in parts[:-1]) == raw


def fake_run(stdout: str = "", returncode: int = 0, raises: Exception | None = None) -> Any:
    calls: list[list[str]] = []

    def run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append(cmd)
        assert kwargs["timeout"] <= 2
        if raises is not None:
            raise raises
        return subprocess.CompletedProcess(cmd, returncode, stdout=stdout, stderr="")

    run.calls = calls  # type: ignore[attr-defined]
    return run


@pytest.mark.parametrize(
    ("stdout", "returncode", "expected"),
    [("on\n", 0, "on"), ("external\n", 0, "external"), ("off", 0, "off"), ("", 1, "unknown")],
)
def test_tmux_set_clipboard_state(stdout: str, returncode: int, expected: str) -> None:
    run = fake_run(stdout, returncode)
    assert clipboard.tmux_set_clipboard_state({"TMUX": "x"}, run=run) == expected
    assert run.calls == [["tmux", "show", "-gv", "set-clipboard"]]


def test_tmux_state_outside_tmux_or_without_tmux_is_unknown() -> None:
    run = fake_run("on")
    assert clipboard.tmux_set_clipboard_state({}, run=run) == "unknown"
    assert run.calls == []
    broken = fake_run(raises=FileNotFoundError("tmux"))
    assert clipboard.tmux_set_clipboard_state({"TMUX": "x"}, run=broken) == "unknown"
    slow = fake_run(raises=subprocess.TimeoutExpired("tmux", 1))
    assert clipboard.tmux_set_clipboard_state({"TMUX": "x"}, run=slow) == "unknown"


def test_copy_plan_without_a_multiplexer_uses_textual() -> None:
    plan = clipboard.copy_plan("hi", env={})
    assert plan.app_copy and plan.driver_sequences == () and plan.routes == ("osc52",)
    assert plan.hint is None


def test_copy_plan_in_tmux_with_set_clipboard_on() -> None:
    plan = clipboard.copy_plan("hi", env={"TMUX": "x"}, tmux_state="on")
    assert plan.app_copy and plan.driver_sequences == ()
    assert plan.routes == ("osc52-tmux",) and plan.hint is None


@pytest.mark.parametrize("state", ["off", "external"])
def test_copy_plan_in_tmux_with_set_clipboard_off(state: clipboard.TmuxClipboard) -> None:
    plan = clipboard.copy_plan("hi", env={"TMUX": "x"}, tmux_state=state)
    assert not plan.app_copy
    assert plan.driver_sequences == (clipboard.wrap_for_tmux("\x1b]52;c;aGk=\x07"),)
    assert plan.hint == (
        "tmux: run `tmux set -g set-clipboard on` so copies reach your own terminal"
    )


def test_copy_plan_in_tmux_when_unsure_sends_both() -> None:
    plan = clipboard.copy_plan("hi", env={"TMUX": "x"}, tmux_state="unknown")
    assert plan.app_copy and len(plan.driver_sequences) == 1 and plan.hint


def test_copy_plan_in_screen_and_for_huge_drafts() -> None:
    plan = clipboard.copy_plan("hi", env={"STY": "1.x"})
    assert not plan.app_copy and plan.routes == ("osc52-screen",)
    assert plan.driver_sequences[0].startswith("\x1bP\x1b]52;c;")
    huge = clipboard.copy_plan("x" * clipboard.OSC52_MAX_BASE64, env={})
    assert not huge.app_copy and huge.driver_sequences == () and huge.skipped_reason


@pytest.mark.parametrize(
    ("env", "platform", "tools", "expected"),
    [
        ({}, "linux", {"xclip", "wl-copy"}, None),  # a server over SSH: no display
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", {"wl-copy", "xclip"}, "wl-copy"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", {"xclip"}, None),
        ({"DISPLAY": ":0"}, "linux", {"xsel"}, "xsel"),
        ({"DISPLAY": "localhost:10.0"}, "linux", {"xclip", "xsel"}, "xclip"),  # X forwarding
        ({"DISPLAY": ":0"}, "linux", set(), None),
        ({}, "darwin", {"pbcopy"}, "pbcopy"),
        ({"SSH_CONNECTION": "1 2 3 4"}, "darwin", {"pbcopy"}, None),  # the remote Mac's board
    ],
)
def test_local_clipboard_tool(
    env: dict[str, str], platform: str, tools: set[str], expected: str | None
) -> None:
    def which(name: str) -> str | None:
        return f"/usr/bin/{name}" if name in tools else None

    assert clipboard.local_clipboard_tool(env, which=which, platform=platform) == expected


def test_copy_local_without_a_tool_does_nothing() -> None:
    assert clipboard.copy_local("hi", tool="not-a-tool") is None


def test_draft_file_is_private_and_never_overwritten(isolated_home: Path) -> None:
    first = clipboard.save_draft_file("Hello\nWorld", 42)
    second = clipboard.save_draft_file("Again", 42)
    folder = locations.drafts_dir()
    assert first.parent == folder and second.parent == folder
    assert first.name == "20261127-040000-inquiry-42.txt"
    assert second.name == "20261127-040000-inquiry-42-1.txt"
    assert first.read_text("utf-8") == "Hello\nWorld\n"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_existing_open_drafts_dir_is_made_private(isolated_home: Path) -> None:
    folder = locations.drafts_dir()
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    clipboard.save_draft_file("x", None)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_finish_copy_reports_every_route(isolated_home: Path) -> None:
    plan = clipboard.copy_plan("Hi there", env={"TMUX": "x"}, tmux_state="off")
    report = clipboard.finish_copy("Hi there", 7, plan, use_local=False)
    assert report.routes == ("osc52-tmux-passthrough", "file")
    assert report.file is not None and report.file.read_text("utf-8") == "Hi there\n"
    message = report.message()
    assert message.startswith("Copied: terminal clipboard (OSC 52 passthrough")
    assert str(report.file) in message
    assert message.endswith(
        "tmux: run `tmux set -g set-clipboard on` so copies reach your own terminal"
    )


def test_report_message_for_plain_and_local_routes(tmp_path: Path) -> None:
    report = clipboard.CopyReport(
        routes=("osc52", "local:wl-copy", "file"), file=tmp_path, hint=None
    )
    assert report.message() == (
        f"Copied: terminal clipboard (OSC 52); system clipboard (wl-copy); saved to {tmp_path}"
    )
    assert clipboard.CopyReport((), None, None).message() == "Nothing could be copied"
