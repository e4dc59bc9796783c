"""Regenerate the README screenshot: `python3 docs/screenshot.py` writes docs/workbench.svg.

The demo is built at a fixed moment so the picture only changes when the workbench does.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

import pendulum

AT = pendulum.datetime(2026, 11, 27, 2, 30, tz="UTC")  # 10:30 in Shanghai


async def main(out: Path, size: tuple[int, int]) -> None:
    from sopdesk import clock, config
    from sopdesk.app_factory import make_app
    from sopdesk.services import demo
    from sopdesk.store import db

    clock.freeze(AT)
    path = Path(os.environ["SOPDESK_HOME"]) / "demo.db"
    db.init(path)
    with db.database.connection_context():
        demo.seed(AT)
    app = make_app(path, config.demo_settings(), demo=True, login="demo")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        app.save_screenshot(str(out))


if __name__ == "__main__":
    os.environ.setdefault("SOPDESK_HOME", tempfile.mkdtemp())
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("workbench.svg")
    asyncio.run(main(target, (120, 40)))
