"""Answering an inquiry: from the inbox to the clipboard in three keys, marked sent with one more."""

from __future__ import annotations

import base64
import stat

import pytest

from sopdesk import config, locations
from sopdesk.app_factory import make_app
from sopdesk.sop.stages import Channel
from sopdesk.store import db
from sopdesk.store.models import Activity, Inquiry, Task
from sopdesk.ui.widgets.inbox import InboxPane

from .conftest import settle


@pytest.fixture(autouse=True)
def no_multiplexer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain terminal: the copy goes out as one OSC 52 sequence."""
    monkeypatch.delenv("TMUX", raising=False)
    monkeypatch.delenv("STY", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)


def _capture_driver(app) -> list[str]:
    written: list[str] = []
    original = app._driver.write

    def write(data: str) -> None:
        written.append(data)
        original(data)

    app._driver.write = write
    return written


def _osc52_texts(written: list[str]) -> list[str]:
    texts = []
    for chunk in written:
        if chunk.startswith("\x1b]52;c;"):
            texts.append(base64.b64decode(chunk[len("\x1b]52;c;") : -1]).decode("utf-8"))
    return texts


@pytest.mark.backends  # opening a draft and marking it sent, on PostgreSQL too
async def test_three_keys_to_the_clipboard_and_one_to_mark_sent(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        written = _capture_driver(demo_app)
        inbox = demo_app.screen.query_one(InboxPane)
        row = inbox.current()
        assert row is not None and row.first_reply_at is None  # a new inquiry is selected
        # Key 1: Enter opens the draft with the fitting template rendered, the preview focused.
        await pilot.press("enter")
        await settle(pilot)
        screen = demo_app.screen
        assert type(screen).__name__ == "DraftScreen"
        assert demo_app.focused is screen.query_one("#draft-preview")
        assert screen.draft is not None and screen.draft.template.id.startswith("first_reply")
        text = screen.text
        assert "Lily Chen" in text and screen.draft.text.strip()
        # Key 2: y copies.
        await pilot.press("y")
        await settle(pilot)
        assert _osc52_texts(written) == [text]
        saved = list(locations.drafts_dir().glob("*"))
        assert len(saved) == 1 and saved[0].read_text("utf-8").rstrip("\n") == text.rstrip("\n")
        assert stat.S_IMODE(saved[0].stat().st_mode) == 0o600
        assert any("Copied" in str(n.message) for n in demo_app._notifications)
        # One more key: s marks it sent.
        await pilot.press("s")
        await settle(pilot)
        with db.database.connection_context():
            inquiry = Inquiry.get_by_id(row.inquiry_id)
            assert inquiry.first_reply_at is not None
            reply = Activity.get(Activity.inquiry == row.inquiry_id, Activity.direction == "out")
            assert reply.text in text
            assert (
                Task.select()
                .where(Task.customer == row.customer_id, Task.done_at.is_null())
                .exists()
            )
        assert screen.sent is not None
        # Escape goes back; the inquiry has left "unanswered".
        await pilot.press("escape")
        await settle(pilot)
        inbox = demo_app.screen.query_one(InboxPane)
        answered = next(r for r in inbox.page.rows if r.inquiry_id == row.inquiry_id)
        assert answered.first_reply_at is not None
        # The cursor stays on the first row, which is now the next inquiry to answer.
        nxt = inbox.current()
        assert nxt is not None and nxt.first_reply_at is None and nxt.inquiry_id != row.inquiry_id


async def test_undo_right_after_mark_sent(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        row = demo_app.screen.query_one(InboxPane).current()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        with db.database.connection_context():
            assert Inquiry.get_by_id(row.inquiry_id).first_reply_at is None
            assert (
                not Activity.select()
                .where(Activity.inquiry == row.inquiry_id, Activity.direction == "out")
                .exists()
            )


async def test_edit_then_ctrl_s_records_the_edited_text(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        row = demo_app.screen.query_one(InboxPane).current()
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        editor = demo_app.screen.query_one("#draft-editor")
        assert demo_app.focused is editor
        editor.text = "Subject: Your LED inquiry\n\nHi Khalid, price list attached. [USD] ok?"
        await pilot.press("ctrl+s")
        await settle(pilot)
        with db.database.connection_context():
            reply = Activity.get(Activity.inquiry == row.inquiry_id, Activity.direction == "out")
            assert reply.subject == "Your LED inquiry"
            assert reply.text == "Hi Khalid, price list attached. [USD] ok?"
        # Marking sent closes the editor; the preview keeps the edited text; Escape goes back.
        assert not demo_app.screen.editing
        assert "[USD] ok?" in demo_app.screen.text
        await pilot.press("escape")
        await settle(pilot)
        assert type(demo_app.screen).__name__ == "WorkbenchScreen"


async def test_t_picks_another_template_with_a_fuzzy_filter(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert type(demo_app.screen).__name__ == "FuzzyPicker"
        await pilot.press(*"day 7", "enter")
        await settle(pilot)
        assert demo_app.screen.draft.template.id == "no_response_day7"


async def test_i_inserts_an_faq_answer(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        picker = demo_app.screen
        assert type(picker).__name__ == "FuzzyPicker"
        await pilot.press(*"moq", "enter")
        await settle(pilot)
        screen = demo_app.screen
        assert screen.editing
        assert picker.shown[0].value in screen.query_one("#draft-editor").text


async def test_a_missing_value_is_named_not_blank(tmp_path, demo_store) -> None:
    settings = config.demo_settings()
    settings = config.Settings(
        rep=config.RepSettings(timezone="Asia/Shanghai"), company=settings.company, setup_done=True
    )
    app = make_app(demo_store, settings, demo=True, login="demo")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        shown = str(app.screen.query_one("#draft-preview-text").render())
        assert "cannot be filled in" in shown
        assert "rep name is empty" in shown or "your name is empty" in shown
        await pilot.press("y")  # nothing to copy: a warning, not a crash
        await settle(pilot)
        assert app.is_running


async def test_a_hostile_message_is_shown_as_text(demo_app) -> None:
    with db.database.connection_context():
        inquiry = Inquiry.select().where(Inquiry.first_reply_at.is_null()).first()
        inquiry.body = "[bold]hi[/] \x1b]0;PWNED\x07 [@click=app.quit]x[/]"
        inquiry.channel = Channel.EMAIL
        inquiry.save()
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        demo_app.screen.open_draft(inquiry.id)
        await settle(pilot)
        shown = str(demo_app.screen.query_one("#draft-message-text").render())
        assert "[bold]hi[/] ␛]0;PWNED␇ [@click=app.quit]x[/]" in shown


async def test_escape_in_the_editor_keeps_the_edit(demo_app) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"Thanks! ")
        await pilot.press("escape")
        await pilot.pause()
        screen = demo_app.screen
        assert not screen.editing and screen.text.startswith("Thanks! ")
        assert demo_app.focused is screen.query_one("#draft-preview")
        # Leaving without sending keeps the edited draft in the drafts folder.
        await pilot.press("escape")
        await settle(pilot)
        kept = list(locations.drafts_dir().glob("*"))
        assert len(kept) == 1 and kept[0].read_text("utf-8").startswith("Thanks! ")


async def test_keys_can_be_remapped_by_binding_id(demo_store) -> None:
    base = config.demo_settings()
    settings = config.Settings(
        rep=base.rep,
        company=base.company,
        setup_done=True,
        keymap={"inbox.reply": "o", "draft.copy": "c"},
    )
    app = make_app(demo_store, settings, demo=True, login="demo")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        written = _capture_driver(app)
        await pilot.press("o")
        await settle(pilot)
        assert type(app.screen).__name__ == "DraftScreen"
        await pilot.press("c")
        await settle(pilot)
        assert _osc52_texts(written) == [app.screen.text]
