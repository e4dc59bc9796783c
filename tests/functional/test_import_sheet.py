"""Importing the old sheet from the UI: a preview first, nothing written before ctrl+s."""

from __future__ import annotations

from pathlib import Path

from sopdesk.store import db
from sopdesk.store.models import Customer

from .conftest import settle

SHEETS = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"


def _count() -> int:
    with db.database.connection_context():
        return Customer.select().count()


async def _open(app, pilot, path: Path, mapping: str = "") -> None:
    await pilot.press("c")
    await settle(pilot)
    await pilot.press("i")
    await pilot.pause()
    assert type(app.screen).__name__ == "ImportSheetScreen"
    app.screen.query_one("#import-path").value = str(path)
    app.screen.query_one("#import-map").value = mapping
    app.screen.query_one("#import-path").focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_preview_then_import(demo_app) -> None:
    before = _count()
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # The sheet numbers its customers C-00001…, which the demo already uses: match by name.
        await _open(demo_app, pilot, SHEETS / "appendix_zh_gbk.csv", "客户编号=ignore")
        screen = demo_app.screen
        assert screen.preview is not None and screen.preview.dry_run and screen.preview.rows
        assert _count() == before, "the preview writes nothing"
        assert screen.query_one("#import-rows").row_count == len(screen.preview.rows)
        created = sum(1 for r in screen.preview.rows if r.outcome.value == "created")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "CustomersScreen"
        assert _count() == before + created


async def test_rejected_rows_block_the_import_until_skipped(demo_app) -> None:
    before = _count()
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _open(demo_app, pilot, SHEETS / "bad_rows.csv")
        screen = demo_app.screen
        assert screen.preview.rejected
        first = screen.query_one("#import-rows").get_row_at(0)
        assert first[1].plain == "rejected"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "ImportSheetScreen"
        assert "would be rejected" in str(screen.query_one("#import-summary").render())
        assert _count() == before
        screen.query_one("#import-skip-bad").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        good = sum(1 for r in screen.preview.rows if r.outcome.value == "created")
        assert _count() == before + good


async def test_a_missing_file_is_said_plainly(demo_app, tmp_path) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _open(demo_app, pilot, tmp_path / "nope.xlsx")
        assert "No file at" in str(demo_app.screen.query_one("#import-summary").render())
