"""Getting a draft to the rep's own clipboard, wherever the rep sits (PITFALLS.md: clipboard over SSH).

Three routes, used together because none can confirm it worked:
  1. OSC 52, an escape sequence the rep's *own* terminal turns into a clipboard write — it travels
     through SSH. Inside tmux it reaches the outer terminal only with `set-clipboard on`, or
     wrapped in a DCS passthrough (tmux ≥ 3.3 also needs `allow-passthrough on`); inside GNU
     screen it must be wrapped in DCS chunks.
  2. A local clipboard tool (wl-copy, xclip, xsel, pbcopy) — only when there is a display on this
     machine that is the rep's (not a server's clipboard the rep never sees).
  3. Always a private file under the data dir, so nothing copied is ever lost.

The UI asks `copy_plan()` what to emit through Textual (`app.copy_to_clipboard` for the plain
sequence, the driver for a wrapped one), then `finish_copy()` does routes 2 and 3 and returns the
report it shows. Everything but `finish_copy`, `copy_local`, `save_draft_file` and
`tmux_set_clipboard_state` is pure.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sopdesk import clock, locations
from sopdesk.i18n import _

ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"
SCREEN_CHUNK = 76
"""GNU screen drops DCS strings longer than its buffer; 76 characters a chunk is the usual size."""
OSC52_MAX_BASE64 = 100_000
"""Past this many base64 bytes many terminals ignore or truncate OSC 52: the file route only."""
TOOL_TIMEOUT = 2.0

TmuxClipboard = Literal["on", "external", "off", "unknown"]


def tmux_hint() -> str:
    return _("tmux: run `tmux set -g set-clipboard on` so copies reach your own terminal")


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def osc52_raw(text: str) -> str:
    """`ESC ] 52 ; c ; <base64> BEL`: what Textual's copy_to_clipboard writes."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"{ESC}]52;c;{payload}{BEL}"


def wrap_for_tmux(sequence: str) -> str:
    """DCS passthrough: `ESC P tmux; <sequence with every ESC doubled> ESC \\`."""
    return f"{ESC}Ptmux;" + sequence.replace(ESC, ESC + ESC) + ST


def wrap_for_screen(sequence: str, chunk: int = SCREEN_CHUNK) -> str:
    """DCS passthrough for GNU screen, cut into chunks: `ESC P <chunk> ESC \\` …"""
    parts = [sequence[i : i + chunk] for i in range(0, len(sequence), chunk)]
    return "".join(f"{ESC}P{part}{ST}" for part in parts)


def multiplexer(env: Mapping[str, str] | None = None) -> Literal["tmux", "screen"] | None:
    values = _env(env)
    if values.get("TMUX"):
        return "tmux"
    if values.get("STY"):
        return "screen"
    return None


def osc52_sequence(text: str, env: Mapping[str, str] | None = None) -> str:
    """The OSC 52 sequence for `text`, wrapped for tmux ($TMUX) or GNU screen ($STY)."""
    raw = osc52_raw(text)
    kind = multiplexer(env)
    if kind == "tmux":
        return wrap_for_tmux(raw)
    if kind == "screen":
        return wrap_for_screen(raw)
    return raw


def tmux_set_clipboard_state(
    env: Mapping[str, str] | None = None,
    run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run,
) -> TmuxClipboard:
    """tmux's `set-clipboard` option: "on", "external", "off", or "unknown" (not in tmux, no
    tmux binary, a slow or failing server)."""
    if not _env(env).get("TMUX"):
        return "unknown"
    try:
        done = run(
            ["tmux", "show", "-gv", "set-clipboard"],
            capture_output=True,
            text=True,
            timeout=1.0,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    value = (done.stdout or "").strip()
    if done.returncode != 0 or value not in ("on", "external", "off"):
        return "unknown"
    return value  # type: ignore[return-value]


@dataclass(frozen=True)
class CopyPlan:
    """What the UI should emit for a copy. Both may be set: they do not conflict."""

    app_copy: bool
    """Call `app.copy_to_clipboard(text)` (the plain OSC 52 sequence)."""
    driver_sequences: tuple[str, ...]
    """Write each through the Textual driver as is (wrapped OSC 52 for tmux/screen)."""
    routes: tuple[str, ...]
    """Route names for the report: "osc52", "osc52-tmux", "osc52-screen"."""
    hint: str | None
    """Shown with the report, e.g. how to turn on tmux's set-clipboard."""
    skipped_reason: str | None = None
    """Why OSC 52 is not used at all (too long)."""


def copy_plan(
    text: str,
    env: Mapping[str, str] | None = None,
    tmux_state: TmuxClipboard | None = None,
) -> CopyPlan:
    """Decide the OSC 52 part of a copy. `tmux_state` defaults to asking tmux (inside tmux only)."""
    raw = osc52_raw(text)
    if len(raw) > OSC52_MAX_BASE64:
        return CopyPlan(
            app_copy=False,
            driver_sequences=(),
            routes=(),
            hint=None,
            skipped_reason=_("the draft is too long for a terminal clipboard copy"),
        )
    kind = multiplexer(env)
    if kind == "screen":
        return CopyPlan(False, (wrap_for_screen(raw),), ("osc52-screen",), None)
    if kind == "tmux":
        state = tmux_state if tmux_state is not None else tmux_set_clipboard_state(env)
        if state == "on":
            # tmux takes the plain sequence, fills its own buffer and forwards it outward.
            return CopyPlan(True, (), ("osc52-tmux",), None)
        # "external"/"off" drop the plain sequence; the passthrough works where tmux allows it.
        # When unsure, send both: a terminal that gets both just copies the same text twice.
        return CopyPlan(
            app_copy=state == "unknown",
            driver_sequences=(wrap_for_tmux(raw),),
            routes=("osc52-tmux-passthrough",),
            hint=tmux_hint(),
        )
    return CopyPlan(True, (), ("osc52",), None)


# --- the local system clipboard ------------------------------------------------------------

_TOOLS: dict[str, tuple[str, ...]] = {
    "wl-copy": ("wl-copy",),
    "xclip": ("xclip", "-selection", "clipboard"),
    "xsel": ("xsel", "--clipboard", "--input"),
    "pbcopy": ("pbcopy",),
}


def local_clipboard_tool(
    env: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
    platform: str | None = None,
) -> str | None:
    """The clipboard tool to use on this machine, when one exists and has a display that is the
    rep's: Wayland or X (also X forwarded over SSH), or a macOS session that is not an SSH login
    (pbcopy there fills the remote Mac's clipboard)."""
    values = _env(env)
    platform = platform or sys.platform
    if platform == "darwin":
        remote = bool(values.get("SSH_CONNECTION") or values.get("SSH_TTY"))
        return "pbcopy" if not remote and which("pbcopy") else None
    if values.get("WAYLAND_DISPLAY") and which("wl-copy"):
        return "wl-copy"
    if values.get("DISPLAY"):
        for tool in ("xclip", "xsel"):
            if which(tool):
                return tool
    return None


def copy_local(text: str, tool: str | None = None) -> str | None:
    """Copy with the local tool; returns the tool's name, or None when none is usable or it
    failed. The tools fork to keep serving the selection, so their output goes to /dev/null
    (a pipe would keep us waiting for them)."""
    tool = tool or local_clipboard_tool()
    if tool is None or tool not in _TOOLS:
        return None
    try:
        done = subprocess.run(
            list(_TOOLS[tool]),
            input=text.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TOOL_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return tool if done.returncode == 0 else None


# --- the file route ------------------------------------------------------------------------


def save_draft_file(text: str, inquiry_id: int | None, directory: Path | None = None) -> Path:
    """Write the draft to a new 0600 file in the (0700) drafts dir; returns its path."""
    folder = locations.ensure_private_dir(directory or locations.drafts_dir())
    os.chmod(folder, 0o700)
    stamp = clock.now().format("YYYYMMDD-HHmmss")
    label = f"inquiry-{inquiry_id}" if inquiry_id is not None else "draft"
    data = text if text.endswith("\n") else text + "\n"
    for attempt in range(1000):
        suffix = f"-{attempt}" if attempt else ""
        path = folder / f"{stamp}-{label}{suffix}.txt"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        return path
    raise OSError(f"cannot find a free file name in {folder}")


@dataclass(frozen=True)
class CopyReport:
    routes: tuple[str, ...]
    """Every route used: "osc52…", "local:<tool>", "file"."""
    file: Path | None
    hint: str | None

    def message(self) -> str:
        """One line for the notification (plain text: show it with markup off)."""
        parts: list[str] = []
        for route in self.routes:
            if route == "osc52":
                parts.append(_("terminal clipboard (OSC 52)"))
            elif route == "osc52-tmux":
                parts.append(_("terminal clipboard (OSC 52 through tmux)"))
            elif route == "osc52-tmux-passthrough":
                parts.append(_("terminal clipboard (OSC 52 passthrough, if tmux allows it)"))
            elif route == "osc52-screen":
                parts.append(_("terminal clipboard (OSC 52 through screen)"))
            elif route.startswith("local:"):
                parts.append(_("system clipboard ({tool})").format(tool=route[6:]))
        if self.file is not None:
            parts.append(_("saved to {path}").format(path=self.file))
        if parts:
            text = _("Copied: {routes}").format(routes="; ".join(parts))
        else:
            text = _("Nothing could be copied")
        if self.hint:
            text += "\n" + self.hint
        return text


def finish_copy(
    text: str,
    inquiry_id: int | None,
    plan: CopyPlan,
    local_tool: str | None = None,
    use_local: bool = True,
) -> CopyReport:
    """After the UI emitted the plan's sequences: the local clipboard and the file."""
    routes = list(plan.routes)
    if use_local:
        used = copy_local(text, local_tool)
        if used:
            routes.append(f"local:{used}")
    path: Path | None
    try:
        path = save_draft_file(text, inquiry_id)
        routes.append("file")
    except OSError:
        path = None
    hint = plan.hint
    if plan.skipped_reason:
        hint = plan.skipped_reason + (f"\n{hint}" if hint else "")
    return CopyReport(routes=tuple(routes), file=path, hint=hint)


__all__ = [
    "CopyPlan",
    "CopyReport",
    "copy_local",
    "copy_plan",
    "finish_copy",
    "local_clipboard_tool",
    "osc52_raw",
    "osc52_sequence",
    "save_draft_file",
    "tmux_hint",
    "tmux_set_clipboard_state",
    "wrap_for_screen",
    "wrap_for_tmux",
]
