"""`sopdesk serve` in a real browser: headless Chromium opens the page and the workbench is drawn.

Skipped where no Chromium is installed (.ci/run installs Debian's). The browser may reach only
this machine: every other host name resolves to nothing.
"""

from __future__ import annotations

import asyncio
import base64
import io
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sopdesk.cli import main
from sopdesk.commands.serve import app_command, is_loopback

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port} after {seconds} s")


CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--window-size=1400,900",
)


class _Browser:
    """Headless Chromium driven over the DevTools protocol (one page, flat sessions)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.next_id = 0
        self.session: str | None = None

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if self.session is not None:
            message["sessionId"] = self.session
        await self.ws.send_json(message)
        while True:
            reply = await self.ws.receive_json(timeout=30)
            if reply.get("id") == self.next_id:
                assert "error" not in reply, reply
                return dict(reply.get("result", {}))

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")


async def _screenshot_when_drawn(
    url: str, profile: Path, drawn: Callable[[bytes], bool], seconds: float = 30
) -> bytes:
    """Open `url`, wait for the terminal's first bytes, then take screenshots until `drawn`
    accepts one (or `seconds` pass: the last one is returned)."""
    import aiohttp

    process = await asyncio.create_subprocess_exec(
        str(CHROMIUM),
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "--remote-debugging-port=0",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stderr is not None
        endpoint = ""
        while not endpoint:
            line = (await asyncio.wait_for(process.stderr.readline(), 30)).decode()
            assert line, "Chromium exited before it listened"
            if "DevTools listening on " in line:
                endpoint = line.split("DevTools listening on ", 1)[1].strip()
        async with aiohttp.ClientSession() as http, http.ws_connect(endpoint, max_msg_size=0) as ws:
            browser = _Browser(ws)
            target = await browser.send("Target.createTarget", url=url)
            attached = await browser.send(
                "Target.attachToTarget", targetId=target["targetId"], flatten=True
            )
            browser.session = attached["sessionId"]
            deadline = time.monotonic() + seconds
            while not await browser.evaluate(
                "document.body && document.body.classList.contains('-first-byte')"
            ):
                assert time.monotonic() < deadline, "the terminal never received a byte"
                await asyncio.sleep(0.2)
            while True:  # the panes fill in from workers after the first paint
                shot = await browser.send("Page.captureScreenshot", format="png")
                png = base64.b64decode(shot["data"])
                if drawn(png) or time.monotonic() > deadline:
                    return png
                await asyncio.sleep(0.5)
    finally:
        process.kill()
        await process.wait()


def _colours(png: bytes) -> set[tuple[int, int, int]]:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _count, colour in image.getcolors(maxcolors=1 << 20) or []}


def _drawn(png: bytes) -> bool:
    colours = _colours(png)
    return len(colours) > 200 and any(r > 150 and g < 80 and b < 80 for r, g, b in colours)


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium)")
def test_the_workbench_is_drawn_in_a_browser(demo_store: Path, tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sopdesk", "--db", str(demo_store), "serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "LOGNAME": "demo", "USER": "demo"},  # the demo data's own rep
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(port, 20)
        png = asyncio.run(
            _screenshot_when_drawn(f"http://127.0.0.1:{port}/", tmp_path / "profile", _drawn)
        )
        (tmp_path / "page.png").write_bytes(png)
        colours = _colours(png)
        # The page before the app draws is a few flat colours; the workbench has text in many
        # anti-aliased shades, the late inquiries in red and the funnel's "ok" in green.
        assert len(colours) > 200, f"{len(colours)} colours: the page looks blank"
        assert any(g > 100 and r < 80 and b < 80 for r, g, b in colours), "no green label"
        assert any(r > 150 and g < 80 and b < 80 for r, g, b in colours), "no red SLA label"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def test_a_public_address_is_warned_about_with_the_tunnel_recipe(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started: list[tuple[str, str, int]] = []

    class FakeServer:
        def __init__(self, command: str, host: str, port: int, title: str) -> None:
            started.append((command, host, port))

        def serve(self) -> None:
            pass

    monkeypatch.setattr("textual_serve.server.Server", FakeServer)
    db = tmp_path / "team.db"
    result = CliRunner().invoke(
        main, ["--db", str(db), "serve", "--host", "0.0.0.0", "--port", "8123"]
    )
    assert result.exit_code == 0, result.output
    assert "WARNING" in result.output and "ssh -N -L 8123:127.0.0.1:8123" in result.output
    assert started == [(app_command(str(db), None), "0.0.0.0", 8123)]
    quiet = CliRunner().invoke(main, ["--db", str(db), "serve"])
    assert "WARNING" not in quiet.output and started[-1][1:] == ("127.0.0.1", 8000)
    assert is_loopback("::1") and is_loopback("localhost") and not is_loopback("10.0.0.5")


def test_each_tab_runs_this_sopdesk_on_this_database_quoted() -> None:
    command = app_command("/srv/team data/sopdesk.db", "ann")
    assert command.endswith("-m sopdesk --db '/srv/team data/sopdesk.db' --rep ann")
