"""A rep a manager deactivated cannot work through the CLI either: every command that acts as the
rep running it refuses them with the workbench's one line and exit code; the manager's read-only
tools need no rep and still run."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from click.testing import CliRunner

import sopdesk.cli
from sopdesk.cli import main
from sopdesk.services import reps, rfqs, session
from sopdesk.services.capture import InquiryInput, capture
from sopdesk.sop.stages import Channel
from sopdesk.store.db import database
from sopdesk.store.models import Customer, Inquiry, Rfq

MAIL = (
    "From: Max <max@lights.de>\nTo: sales@example.com\nSubject: UFO high bay\n"
    "Message-ID: <m1@lights.de>\nDate: Thu, 26 Nov 2026 10:00:00 +0100\n\n"
    "Please quote 300 UFO lights.\n"
)


@pytest.fixture
def left(
    store: Path | str, monkeypatch: pytest.MonkeyPatch, frozen_clock: pendulum.DateTime
) -> str:
    """A team where ann left (deactivated by boss), with ann at the keyboard; the message the
    workbench refuses her with."""
    reps.add_rep("boss", name="Boss", role="manager")
    reps.add_rep("ann", name="Ann")
    reps.add_rep("bob", name="Bob")
    capture(
        InquiryInput(
            channel=Channel.EMAIL, received_at=frozen_clock.subtract(minutes=5), buyer_name="Jonas",
            email="jonas@lichtwerk.de", country="DE", message="Please quote 500 pcs.",
        ),
        owner_id=reps.rep_by_login("bob").rep_id,
    )  # fmt: skip
    reps.deactivate_rep("ann", "boss")
    monkeypatch.setattr(session, "current_login", lambda: "ann")
    monkeypatch.setattr(sopdesk.cli, "_run", lambda app: pytest.fail("the workbench opened"))
    workbench = CliRunner().invoke(main, ["--db", str(store)])
    assert workbench.exit_code == 1
    assert workbench.output == (
        "sopdesk: ann was deactivated on 2026-11-27 and cannot open sopdesk; a manager can undo "
        "it with: sopdesk rep activate ann\n"
    )
    return workbench.output


def _files(tmp_path: Path) -> dict[str, str]:
    files = {
        "mail": ("new.eml", MAIL),
        "sheet": ("customers.csv", "Company,Country\nLichtwerk,DE\n"),
        "metrics": ("store.csv", "日期,曝光,点击,询盘,TM咨询,访客\n2026-11-26,100,10,1,1,5\n"),
        "products": ("products.csv", "SKU,Name\nHB-150,LED high bay\n"),
    }
    paths = {}
    for key, (name, text) in files.items():
        (tmp_path / name).write_text(text, "utf-8")
        paths[key] = str(tmp_path / name)
    return paths


def test_every_command_that_acts_as_the_rep_refuses_one_who_left(
    left: str, store: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[str] = []

    class FakeServer:
        def __init__(self, command: str, host: str, port: int, title: str) -> None:
            served.append(command)

        def serve(self) -> None:
            pass

    monkeypatch.setattr("textual_serve.server.Server", FakeServer)
    files = _files(tmp_path)
    commands = [
        ["import", "inquiries", files["mail"]],
        ["import", "inquiries", "--assign", files["mail"]],
        ["import", "inquiries", "--dry-run", files["mail"]],
        ["import", "customers", files["sheet"]],
        ["import", "metrics", files["metrics"]],
        ["import", "products", files["products"]],
        ["draft", "first_reply_email", "--inquiry", "1"],
        ["pi", "PI-2026-0001"],
        ["rfq", "add", "LED high bay"],
        ["rfq", "list"],
        ["report", "daily"],
        ["report", "weekly", "--rep", "bob"],
        ["export", "customers", str(tmp_path / "out.csv")],
        ["rep", "set", "ann", "--name", "Ann Again"],
        ["rep", "add", "cho"],
        ["rep", "assign", "C-00001", "ann"],
        ["rep", "deactivate", "bob", "--yes"],
        ["rep", "activate", "ann"],
        ["serve"],
    ]
    let_through = []
    for args in commands:
        result = CliRunner().invoke(main, ["--db", str(store), *args])
        if (result.exit_code, result.output) != (1, left):
            let_through.append((args, result.exit_code, result.output))
    assert let_through == []
    # Nothing was done as her.
    assert served == [] and not (tmp_path / "out.csv").exists()
    with database.connection_context():
        assert Inquiry.select().count() == 1 and Customer.select().count() == 1
        assert not Rfq.select().exists()
    assert not reps.rep_by_login("ann").active and reps.rep_by_login("bob").active
    assert reps.rep_by_login("cho") is None and reps.rep_by_login("ann").name == "Ann"


def test_the_managers_read_only_tools_need_no_rep(
    left: str, store: Path | str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(main, ["--db", str(store), "rep", "list"])
    assert result.exit_code == 0 and "inactive since 2026-11-27" in result.output
    book = tmp_path / "playbook.toml"
    book.write_text("", "utf-8")
    result = CliRunner().invoke(main, ["--db", str(store), "playbook", "check", str(book)])
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(main, ["templates"]).exit_code == 0
    if isinstance(store, Path):  # a file database: backup, restore and db copy work on files
        backup = CliRunner().invoke(main, ["--db", str(store), "backup", str(tmp_path / "b.db")])
        assert backup.exit_code == 0, backup.output
        copied = CliRunner().invoke(
            main, ["db", "copy", "--from", str(store), "--to", str(tmp_path / "copy.db")]
        )
        assert copied.exit_code == 0, copied.output
        restored = CliRunner().invoke(
            main, ["--db", str(store), "restore", str(tmp_path / "b.db"), "--yes"]
        )
        assert restored.exit_code == 0, restored.output


def test_a_manager_still_reports_on_a_rep_who_left_and_she_works_again_once_activated(
    left: str, store: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session, "current_login", lambda: "boss")
    result = CliRunner().invoke(main, ["--db", str(store), "report", "weekly", "--rep", "ann"])
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(main, ["--db", str(store), "rep", "activate", "ann"]).exit_code == 0
    monkeypatch.setattr(session, "current_login", lambda: "ann")
    files = _files(tmp_path)
    result = CliRunner().invoke(main, ["--db", str(store), "import", "inquiries", files["mail"]])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["--db", str(store), "rfq", "add", "LED high bay"])
    assert result.exit_code == 0, result.output
    with database.connection_context():
        mine = Inquiry.get(Inquiry.message_id == "m1@lights.de")
        assert mine.owner_id == reps.rep_by_login("ann").rep_id  # the importer owns it
    assert rfqs.window(10)


def test_the_rep_a_command_acts_as(left: str) -> None:
    assert session.known_session("nobody-here") is None  # never met: nothing created
    assert reps.rep_by_login("nobody-here") is None
    bob = session.known_session("bob")
    assert bob is not None and (bob.login, bob.name) == ("bob", "Bob")
    with pytest.raises(session.InactiveRepError) as refused:
        session.known_session("ann")
    assert f"sopdesk: {refused.value}\n" == left
