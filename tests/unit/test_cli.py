"""The `sopdesk` command line as a whole: every text translated (help pages included), the language
chosen as the workbench chooses it, and failures reported in one line with an exit code."""

from __future__ import annotations

import gettext
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from sopdesk import config
from sopdesk.cli import main
from sopdesk.commands.base import Command
from tests.marked_gettext import Marked

SHEETS = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"
METRICS = Path(__file__).resolve().parents[1] / "fixtures" / "metrics"
CJK = re.compile("[\u4e00-\u9fff]")


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def _environment(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", lang)


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """LANG asks for Chinese, and the "Chinese" catalogue marks every string it translates."""
    _environment(monkeypatch, "zh_CN.UTF-8")
    monkeypatch.setattr(gettext, "translation", lambda *args, **kwargs: Marked())


def commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from commands(sub, (*path, name))


def command_at(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


ALL = list(commands(main))


def test_every_command_translates_its_help_and_documents_every_option() -> None:
    for path in ALL:
        command = command_at(path)
        assert isinstance(command, Command), f"sopdesk {' '.join(path)}: not a translated Command"
        assert command.help, f"sopdesk {' '.join(path)} has no help"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"sopdesk {' '.join(path)} {param.opts[0]} has no help"


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize("path", ALL, ids=lambda p: " ".join(p) or "sopdesk")
def test_help_pages_go_through_gettext(path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    out = result.stdout
    command = command_at(path)
    assert "«Usage:»" in out and "«Options»:" in out
    assert f"«{command.help.split()[0]}" in out  # type: ignore[union-attr]
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            assert f"«{param.help.split()[0]}" in out, f"{param.opts[0]} help not translated"
    assert "«Show this message and exit.»" in out
    if isinstance(command, click.Group):
        listed = out.split("«Commands»:")[1].splitlines()[1:]
        assert listed and all(line.split(None, 1)[1].startswith("«") for line in listed), listed


def test_help_follows_the_language_of_the_moment() -> None:
    """The msgids stay in place: a help page shown in Chinese leaves the next one English."""
    english = run("import", "customers", "--help", env={"LANGUAGE": "en"})
    assert "Import the customer sheet FILE" in english.stdout
    assert "«" not in english.stdout


def test_indented_lines_of_a_help_text_are_shown_as_written() -> None:
    out = run("serve", "--help").stdout
    assert "      ssh -N -L 8000:127.0.0.1:8000 you@server\n      then open http" in out
    assert "\b" not in out
    assert "\n    data    " in run("--help").stdout


def test_the_cli_chooses_the_language_as_the_workbench_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(gettext, "translation", lambda *args, **kwargs: Marked())
    _environment(monkeypatch, "C.UTF-8")
    assert "«Usage:»" not in run("--help").stdout
    config.save(config.Settings(rep=config.RepSettings(language="zh_CN")))
    assert "«Usage:»" in run("--help").stdout  # rep.language wins over LANG …
    _environment(monkeypatch, "zh_CN.UTF-8")
    config.save(config.Settings(rep=config.RepSettings(language="en")))
    assert "«Usage:»" not in run("--help").stdout  # … both ways
    config.save(config.Settings())
    assert "«Usage:»" in run("--help").stdout  # and LANG counts when it is not set


@pytest.mark.usefixtures("chinese")
def test_usage_errors_and_messages_go_through_gettext(store: Path, tmp_path: Path) -> None:
    missing = run("import", "customers", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2
    assert "«Error: «Invalid value for 'FILE': ««File» " in missing.stderr
    dry = run("--db", str(store), "import", "customers", "--dry-run", str(SHEETS / "bad_rows.csv"))
    assert dry.exit_code == 1
    assert "«database: " in dry.stdout and "«would create»" in dry.stdout
    assert "«row 3»" in dry.stdout and "«Rejected:»" in dry.stderr
    summary = "«2 created, 0 updated, 0 merged, 4 rejected»"
    assert summary + "« (dry run; a real run would write nothing of this file)»" in dry.stdout
    metrics = run("--db", str(store), "import", "metrics", str(METRICS / "store_gbk.csv"))
    assert metrics.exit_code == 0, metrics.output
    assert "«5 rows» «for» " not in metrics.stdout  # whole sentences, not pieces
    assert re.search(r"«.*store_gbk\.csv \(«store data»\): «5 rows» for «5 days», ", metrics.stdout)


@pytest.mark.usefixtures("chinese")
def test_a_missing_database_is_one_translated_line_and_exit_1(tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere.db"
    for args in (
        ("report", "kpi"),
        ("pi", "PI-2026-0001"),
        ("rep", "list"),
        ("draft", "first_reply_email", "--inquiry", "1"),
    ):
        result = run("--db", str(nowhere), *args)
        assert result.exit_code == 1, args
        assert result.stdout == ""
        assert (
            result.stderr
            == f"sopdesk: «no database at {nowhere}: run sopdesk first, or pass --db»\n"
        )
        assert not nowhere.exists()


def test_a_bad_file_is_one_line_and_exit_1(store: Path, tmp_path: Path) -> None:
    garbage = tmp_path / "store.csv"
    garbage.write_bytes(b"\x00\x01\x02 not a spreadsheet \xff\xfe")
    result = run("--db", str(store), "import", "metrics", str(garbage))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"sopdesk: {garbage}: "), result.stderr


def test_a_locked_database_is_one_line_not_a_traceback(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peewee import OperationalError

    from sopdesk.services import rfqs

    def locked(*args: object, **kwargs: object) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(rfqs, "routine_note", locked)
    result = run("--db", str(store), "rfq", "list")
    assert result.exit_code == 1
    assert result.stderr == "sopdesk: database is locked\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_bug_is_still_a_traceback(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sopdesk.services import rfqs

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(rfqs, "routine_note", broken)
    result = run("--db", str(store), "rfq", "list")
    assert isinstance(result.exception, KeyError)


def test_version() -> None:
    from sopdesk import __version__

    result = run("--version")
    assert result.exit_code == 0 and result.stdout == f"sopdesk {__version__}\n"


def test_with_the_real_catalogue_help_is_chinese_throughout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`LANG=zh_CN.UTF-8 sopdesk --help` once the lead has extracted and translated the strings
    (fails until then, like test_i18n's test_every_string_has_a_chinese_translation)."""
    _environment(monkeypatch, "zh_CN.UTF-8")
    for args in ((), ("import",), ("import", "inquiries")):
        out = run(*args, "--help").stdout
        for english in ("Usage:", "Options:", "Show this message and exit."):
            assert english not in out, (args, english)
        description = out.split("\n\n")[1]
        assert CJK.search(description), (args, description)
    assert sys.modules["sopdesk.i18n"].current() == "zh_CN"
