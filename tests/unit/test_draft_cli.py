"""`sopdesk draft` and `sopdesk templates` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sopdesk import config, locations
from sopdesk.cli import main
from sopdesk.store.db import database
from sopdesk.store.models import Inquiry


@pytest.fixture
def newest_lead(demo_store: Path) -> int:
    with database.connection_context():
        return int(Inquiry.unanswered().order_by(Inquiry.id.desc()).first().id)


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_draft_prints_the_rendered_email(demo_store: Path, newest_lead: int) -> None:
    config.save(config.demo_settings())
    result = run(
        "--db", str(demo_store), "draft", "first_reply_email", "--inquiry", str(newest_lead)
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Subject: ")
    assert lines[1] == ""
    assert lines[2].startswith("Hi ")
    assert "Thanks for your inquiry on Alibaba for " in result.stdout
    assert result.stdout.rstrip().endswith("https://brightlight.example")


def test_draft_json_and_its_own_db_option(demo_store: Path, newest_lead: int) -> None:
    config.save(config.demo_settings())
    result = run(
        "draft", "first_reply_chat", "--inquiry", str(newest_lead), "--db", str(demo_store),
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["template"] == "first_reply_chat" and payload["subject"] is None
    assert payload["inquiry"] == newest_lead and payload["text"].startswith("Hi ")


def test_missing_values_go_to_stderr_with_exit_1(demo_store: Path, newest_lead: int) -> None:
    # No config: the rep's name is empty.
    result = run(
        "--db", str(demo_store), "draft", "first_reply_chat", "--inquiry", str(newest_lead)
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("sopdesk: template first_reply_chat line ")
    assert "your name is empty — fill it in in the settings or edit the draft" in result.stderr


def test_unknown_template_lists_the_ids(demo_store: Path) -> None:
    result = run("--db", str(demo_store), "draft", "nope", "--inquiry", "1")
    assert result.exit_code == 1
    assert "there is no template 'nope'; available: " in result.stderr
    assert "first_reply_email" in result.stderr and "no_response_day7" in result.stderr


def test_unknown_inquiry_and_missing_database(demo_store: Path, tmp_path: Path) -> None:
    config.save(config.demo_settings())
    result = run("--db", str(demo_store), "draft", "first_reply_email", "--inquiry", "99999")
    assert result.exit_code == 1 and "there is no inquiry 99999" in result.stderr
    nowhere = tmp_path / "missing.db"
    result = run("--db", str(nowhere), "draft", "first_reply_email", "--inquiry", "1")
    assert result.exit_code == 1 and "no database at" in result.stderr
    assert not nowhere.exists()


def test_templates_lists_shipped_and_own(isolated_home: Path) -> None:
    folder = locations.user_templates_dir() / "reply"
    folder.mkdir(parents=True)
    (folder / "first_reply_chat.j2").write_text(
        "{# id: first_reply_chat\n title: Mine\n stage: lead\n channel: chat\n lang: en #}\nHi",
        "utf-8",
    )
    (folder / "broken.j2").write_text("no header", "utf-8")
    result = run("templates")
    assert result.exit_code == 0
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert "built-in" in rows["first_reply_email"]
    assert (
        "Mine" in rows["first_reply_chat"]
        and "yours (replaces built-in)" in rows["first_reply_chat"]
    )
    assert "broken" not in rows
    assert "broken.j2:1: the file must start with a header comment" in result.stderr
