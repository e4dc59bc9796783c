"""Another process writes; the open workbench shows it within a couple of seconds, no key pressed."""

from __future__ import annotations

import subprocess
import sys

import pendulum

from sopdesk.ui.widgets.inbox import InboxPane

from .conftest import settle


async def test_an_inquiry_written_by_another_process_appears_without_a_keypress(
    demo_app, demo_store
) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        inbox = demo_app.screen.query_one(InboxPane)
        selected = inbox.current()
        before = inbox.page.total
        received = pendulum.datetime(2026, 11, 27, 3, 59, tz="UTC").isoformat()
        code = (
            "import sys, pendulum\n"
            "from sopdesk.store import db\n"
            "from sopdesk.services.capture import InquiryInput, capture\n"
            "from sopdesk.sop.stages import Channel\n"
            f"db.init(sys.argv[1])\n"
            f"capture(InquiryInput(channel=Channel.EMAIL, received_at=pendulum.parse({received!r}),"
            " buyer_name='Olga', email='olga@teammate-import.example', company='Import Test',"
            " message='Written by another process'))\n"
        )
        subprocess.run([sys.executable, "-c", code, str(demo_store)], check=True)
        for _ in range(40):
            await pilot.pause(0.1)
            if inbox.page.total == before + 1:
                break
        await settle(pilot)
        assert inbox.page.total == before + 1
        assert any(r.buyer_name == "Olga" for r in inbox.page.rows)
        # The rep's place is kept.
        assert inbox.current().inquiry_id == selected.inquiry_id


async def test_another_process_writing_does_not_rerun_the_today_engine(
    demo_app, demo_store, monkeypatch
) -> None:
    """The writer planned its own follow-ups; every other open workbench only re-reads Today
    (at scale the engine costs half a second of CPU per run)."""
    from sopdesk.services import playbook_tasks, sales_tasks
    from sopdesk.ui.widgets.today import TodayPane

    runs: list[str] = []
    real_playbook, real_sales = playbook_tasks.refresh, sales_tasks.refresh
    monkeypatch.setattr(
        playbook_tasks, "refresh", lambda *a, **k: runs.append("playbook") or real_playbook(*a, **k)
    )
    monkeypatch.setattr(
        sales_tasks, "refresh", lambda *a, **k: runs.append("sales") or real_sales(*a, **k)
    )
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert runs == ["playbook", "sales"]  # on opening
        today = demo_app.screen.query_one(TodayPane)
        before = [item.key for item in today.items]
        code = (
            "import sys\n"
            "from sopdesk.store import db\n"
            "from sopdesk.store.models import Task\n"
            "db.init(sys.argv[1])\n"
            "t = Task.select().where(Task.done_at.is_null()).order_by(Task.due_at).first()\n"
            "t.title = 'Renamed by a teammate'; t.save()\n"
        )
        subprocess.run([sys.executable, "-c", code, str(demo_store)], check=True)
        for _ in range(40):
            await pilot.pause(0.1)
            if any("Renamed by a teammate" in item.title for item in today.items):
                break
        await settle(pilot)
        assert any("Renamed by a teammate" in item.title for item in today.items)
        assert [item.key for item in today.items] == before
        assert runs == ["playbook", "sales"]
        # The rep's own write still runs it.
        demo_app.screen.action_reload()
        await settle(pilot)
        assert runs == ["playbook", "sales", "playbook", "sales"]
