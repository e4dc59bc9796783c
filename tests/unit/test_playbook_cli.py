"""`sopdesk playbook check FILE` and `sopdesk playbook show`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner

from sopdesk import locations
from sopdesk.cli import main


def test_check_accepts_a_good_team_file(tmp_path: Path) -> None:
    team = tmp_path / "playbook.toml"
    team.write_text("[stages.negotiation]\nstale_after_days = 14\n", "utf-8")
    result = CliRunner().invoke(main, ["playbook", "check", str(team)])
    assert result.exit_code == 0, result.output
    assert f"{team}: ok" in result.output and "9 cadences" in result.output


def test_check_rejects_a_broken_file_with_its_line(tmp_path: Path) -> None:
    team = tmp_path / "playbook.toml"
    team.write_text('# ours\n[[cadence]]\nid = "quote_follow_up"\noffsets = ["soon"]\n', "utf-8")
    result = CliRunner().invoke(main, ["playbook", "check", str(team)])
    assert result.exit_code == 1
    assert f"{team}:4: cadence[quote_follow_up].offsets[1]:" in result.output
    assert "1 problem" in result.output


def test_check_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["playbook", "check", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2


def test_check_help_lists_the_placeholders() -> None:
    result = CliRunner().invoke(main, ["playbook", "check", "--help"])
    assert result.exit_code == 0
    assert "quote_sent      {ago} {customer} {quote} {sent}" in result.output


def test_show_prints_the_shipped_playbook_or_the_merged_one() -> None:
    result = CliRunner().invoke(main, ["playbook", "show"])
    assert result.exit_code == 0
    assert "no team file at" in result.output
    assert 'id = "store_data"' in result.output
    team = locations.config_dir() / "playbook.toml"
    team.parent.mkdir(parents=True, exist_ok=True)
    team.write_text("[stages.lead]\nstale_after_days = 2\n", "utf-8")
    result = CliRunner().invoke(main, ["playbook", "show"])
    assert result.exit_code == 0
    assert str(team) in result.output
    merged = tomllib.loads(result.output)
    assert merged["stages"]["lead"]["stale_after_days"] == 2
    assert merged["stages"]["intent"]["stale_after_days"] == 21
    assert len(merged["cadence"]) == 9


def test_show_warns_about_a_refused_team_file() -> None:
    team = locations.config_dir() / "playbook.toml"
    team.parent.mkdir(parents=True, exist_ok=True)
    team.write_text("[stages.lead\n", "utf-8")
    result = CliRunner().invoke(main, ["playbook", "show"])
    assert result.exit_code == 0
    assert "refused" in result.output and "playbook.toml:1" in result.output
    shipped = CliRunner().invoke(main, ["playbook", "show", "--shipped"])
    assert shipped.output.startswith("# The sales playbook sopdesk ships")


def test_show_and_check_print_the_values_in_effect(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["playbook", "show"])
    assert "# In effect:" in result.output
    assert "ideally within 5 min, never later than 60 min" in result.output
    assert "lead → intent 60 %" in result.output and "order → loyal 90 %" in result.output
    assert "reply_rate_24h 95 %" in result.output
    team = locations.config_dir() / "playbook.toml"
    team.parent.mkdir(parents=True, exist_ok=True)
    team.write_text(
        "[reply]\nfresh_minutes = 10\ndue_minutes = 120\n"
        "[stages.lead]\ntarget_to_next_percent = 72.5\n"
        "[kpi.reply_rate_24h]\ntarget_percent = 98\n",
        "utf-8",
    )
    result = CliRunner().invoke(main, ["playbook", "show"])
    assert result.exit_code == 0, result.output
    assert "ideally within 10 min, never later than 120 min" in result.output
    assert "lead → intent 72.5 %" in result.output and "reply_rate_24h 98 %" in result.output
    assert "first_reply_median ≤ 120 min" in result.output
    merged = tomllib.loads(result.output)  # the summary is comments: still a playbook
    assert merged["reply"] == {"fresh_minutes": 10, "due_minutes": 120}
    checked = CliRunner().invoke(main, ["playbook", "check", str(team)])
    assert checked.exit_code == 0 and "never later than 120 min" in checked.output


def test_check_rejects_a_reply_clock_upside_down(tmp_path: Path) -> None:
    team = tmp_path / "playbook.toml"
    team.write_text("[reply]\nfresh_minutes = 30\ndue_minutes = 15\n", "utf-8")
    result = CliRunner().invoke(main, ["playbook", "check", str(team)])
    assert result.exit_code == 1
    assert f"{team}:3: reply.due_minutes: should be longer than fresh_minutes (30)" in result.output
