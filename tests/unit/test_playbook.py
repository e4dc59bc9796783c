"""The playbook loader: the shipped SOP, a team file over it, and broken files refused with the
file, the line and what is wrong — falling back to the shipped playbook, never half-configured."""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sopdesk import locations
from sopdesk.sop import playbook, routine, sla
from sopdesk.sop.playbook import Landing, Offset, PlaybookError, Trigger
from sopdesk.sop.playbook_texts import SHIPPED_TEXTS, shipped_texts_in_toml
from sopdesk.sop.signals import BuyingSignal
from sopdesk.sop.stages import Stage, TaskKind


def _team(text: str) -> Path:
    path = locations.config_dir() / "playbook.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def _problems(text: str, tmp_path: Path) -> list[playbook.Problem]:
    path = tmp_path / "team.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(PlaybookError) as caught:
        playbook.check_file(path)
    return list(caught.value.problems)


# -- the shipped playbook is the SOP ----------------------------------------------------------


def test_the_shipped_playbook_encodes_the_sop() -> None:
    book = playbook.shipped()
    assert [item.id for item in book.routine] == list(routine.SHIPPED_IDS)
    assert book.reply.fresh == sla.FRESH_LIMIT == timedelta(minutes=5)
    assert book.reply.due == sla.DUE_LIMIT == timedelta(hours=1)
    assert book.funnel_targets() == {
        Stage.LEAD: Decimal("0.60"),
        Stage.INTENT: Decimal("0.30"),
        Stage.NEGOTIATION: Decimal("0.50"),
        Stage.ORDER: Decimal("0.90"),
    }
    assert book.kpis["reply_rate_24h"].target == Decimal("0.95")
    assert {c.trigger for c in book.cadences} == set(Trigger)
    follow_up = book.cadence("quote_follow_up")
    assert follow_up is not None
    assert [o.text for o in follow_up.offsets] == ["2d", "5d"]
    assert follow_up.land is Landing.CUSTOMER
    nurture = book.cadence("nurture")
    assert nurture is not None
    assert nurture.intervals["A"] == Offset(30, "d") and nurture.intervals["C"] == Offset(90, "d")
    assert book.stale_after(Stage.LOYAL) is None and book.stale_after(Stage.NEGOTIATION)
    assert "30%" in book.negotiation.payment_new and "B/L" in book.negotiation.payment_new
    assert "O/A" in book.negotiation.payment_established
    for signal in BuyingSignal:
        languages = set(book.signals.rules.phrases[signal])
        assert {"en", "es", "pt", "fr", "ru", "ar"} <= languages, signal


def test_the_first_reply_rules_match_the_reply_service_cadence() -> None:
    from sopdesk.sop import cadence

    book = playbook.shipped()
    check = book.cadence(cadence.RULE_BACKGROUND_CHECK)
    day3 = book.cadence(cadence.RULE_NO_RESPONSE_DAY3)
    assert check is not None and check.kind is TaskKind.BACKGROUND_CHECK
    assert day3 is not None and day3.offsets == (Offset(cadence.NO_RESPONSE_AFTER_DAYS, "d"),)


def test_every_shipped_text_is_in_the_translation_list() -> None:
    assert list(SHIPPED_TEXTS) == shipped_texts_in_toml()


def test_routine_names_read_the_effective_playbook() -> None:
    assert [i.id for i in routine.MORNING_ROUTINE] == list(routine.SHIPPED_IDS)
    _team(
        '[[routine]]\nid = "whatsapp"\ntitle = "Answer WhatsApp overnight messages"\n'
        '[[routine]]\nid = "storefront"\nenabled = false\n'
    )
    ids = [i.id for i in routine.MORNING_ROUTINE]
    assert ids == ["store_data", "zero_effect", "rfq_market", "whatsapp"]
    assert "whatsapp" in routine.ROUTINE_IDS and "storefront" not in routine.ROUTINE_IDS


# -- a team file changes parts -------------------------------------------------------------------


def test_a_team_file_overrides_part_by_part() -> None:
    _team(
        """
[stages.negotiation]
stale_after_days = 10

[[cadence]]
id = "quote_follow_up"
offsets = ["3d", "7d"]

[[cadence]]
id = "quote_call"
trigger = "quote_sent"
kind = "follow_up"
offsets = ["10d"]
title = "Call about {quote}"
why = "Quote {quote} sent {ago}; still nothing."

[[cadence]]
id = "nurture"
enabled = false

[signals.phrases.bargaining]
en = ["rebate"]
"""
    )
    loaded = playbook.load()
    assert loaded.warning is None
    book = loaded.playbook
    assert book.sources[-1] == str(locations.config_dir() / "playbook.toml")
    assert book.stale_after(Stage.NEGOTIATION) == timedelta(days=10)
    assert book.stale_after(Stage.INTENT) == playbook.shipped().stale_after(Stage.INTENT)
    follow_up = book.cadence("quote_follow_up")
    assert follow_up is not None and [o.text for o in follow_up.offsets] == ["3d", "7d"]
    assert follow_up.title == playbook.shipped().cadence("quote_follow_up").title  # type: ignore[union-attr]
    assert book.cadence("quote_call") is not None
    assert book.cadence("nurture") is None
    phrases = book.signals.rules.phrases[BuyingSignal.BARGAINING]
    assert phrases["en"] == ("rebate",)
    assert phrases["es"] == playbook.shipped().signals.rules.phrases[BuyingSignal.BARGAINING]["es"]
    assert playbook.effective().cadence("quote_call") is not None


def test_a_team_file_sets_its_own_reply_clock_funnel_and_kpi_targets() -> None:
    _team(
        """
[reply]
fresh_minutes = 10
due_minutes = 120

[stages.lead]
target_to_next_percent = 70

[stages.order]
target_to_next_percent = 85.5

[kpi.reply_rate_24h]
target_percent = 98

[kpi.sample_to_order]
target_percent = 25
"""
    )
    loaded = playbook.load()
    assert loaded.warning is None
    book = loaded.playbook
    assert book.reply.fresh == timedelta(minutes=10) and book.reply.due == timedelta(hours=2)
    targets = book.funnel_targets()
    assert targets[Stage.LEAD] == Decimal("0.70") and targets[Stage.ORDER] == Decimal("0.855")
    assert targets[Stage.INTENT] == Decimal("0.30")  # not overridden: the shipped value
    assert book.kpis["reply_rate_24h"].target == Decimal("0.98")
    assert book.kpis["sample_to_order"].target == Decimal("0.25")
    assert playbook.effective().reply.due == timedelta(hours=2)


def test_kpi_specs_follow_the_team_playbook() -> None:
    from sopdesk.services import reports
    from sopdesk.sop.kpi import Kpi

    _team("[reply]\ndue_minutes = 30\n[kpi.followup_conversion]\ntarget_percent = 45\n")
    specs = reports.playbook_specs()
    assert specs[Kpi.FIRST_REPLY_MEDIAN].target == Decimal(1800)
    assert specs[Kpi.FOLLOWUP_CONVERSION].target == Decimal("0.45")
    assert specs[Kpi.REPLY_RATE_24H].target == Decimal("0.95") and specs[Kpi.REPLY_RATE_24H].strict


def test_a_bad_reply_clock_is_refused_with_file_and_line(tmp_path: Path) -> None:
    text = "# ours\n[reply]\nfresh_minutes = 90\ndue_minutes = 45\n"
    (problem,) = _problems(text, tmp_path)
    assert str(problem).startswith(f"{tmp_path / 'team.toml'}:4: reply.due_minutes: ")
    assert "fresh_minutes (90)" in problem.message
    _team(text)
    loaded = playbook.load()
    assert loaded.playbook is playbook.shipped() and loaded.warning is not None
    assert "playbook.toml:4:" in loaded.warning
    assert playbook.effective().reply.fresh == sla.FRESH_LIMIT


def test_the_effective_playbook_follows_the_team_file_as_it_changes() -> None:
    assert playbook.effective().stale_after(Stage.LEAD) == timedelta(days=7)
    path = _team("[stages.lead]\nstale_after_days = 2\n")
    assert playbook.effective().stale_after(Stage.LEAD) == timedelta(days=2)
    path.write_text("[stages.lead]\nstale_after_days = 4\n", "utf-8")
    os.utime(path, ns=(1, 10**18))  # a new mtime, as an editor's save gives
    assert playbook.effective().stale_after(Stage.LEAD) == timedelta(days=4)
    path.unlink()
    assert playbook.effective().stale_after(Stage.LEAD) == timedelta(days=7)


# -- broken files: file, line, what is wrong; the shipped playbook is used ---------------------


BROKEN = """\
# our team's changes
[stages.negotiation]
stale_after_days = "ten"

[[cadence]]
id = "quote_follow_up"
offsets = ["2d", "5 days"]

[[cadence]]
id = "quote_call"
trigger = "quote_sent"
offsets = ["10d"]
title = "Call about {qoute}"
why = "no answer"

[kpi.reply_rate_24h]
target_percent = 120

[signals]
suggest_stage = "negotiations"
"""


def test_a_broken_team_file_names_file_line_and_problem(tmp_path: Path) -> None:
    problems = _problems(BROKEN, tmp_path)
    where = {(p.line, p.key) for p in problems}
    assert (3, "stages.negotiation.stale_after_days") in where
    assert (7, "cadence[quote_follow_up].offsets[2]") in where
    assert (13, "cadence[quote_call].title") in where
    assert (17, "kpi.reply_rate_24h.target_percent") in where
    assert (20, "signals.suggest_stage") in where
    assert all(p.file == str(tmp_path / "team.toml") for p in problems)
    messages = "\n".join(str(p) for p in problems)
    assert "'ten'" in messages and "'5 days'" in messages and "{qoute}" in messages
    assert "{quote}" in messages  # says which placeholders the trigger offers
    assert f"{tmp_path / 'team.toml'}:3: stages.negotiation.stale_after_days:" in messages


def test_a_broken_team_file_falls_back_to_the_shipped_playbook() -> None:
    _team(BROKEN)
    loaded = playbook.load()
    assert loaded.playbook is playbook.shipped()
    assert loaded.warning is not None
    assert "playbook.toml:3:" in loaded.warning and "shipped" in loaded.warning
    assert playbook.effective() is playbook.shipped()
    # Half of it is not taken either: the valid change to nothing else leaks in.
    assert playbook.effective().cadence("quote_call") is None


def test_toml_syntax_errors_carry_their_line(tmp_path: Path) -> None:
    problems = _problems("[stages.lead]\nstale_after_days = 3\n\n[reply\n", tmp_path)
    assert len(problems) == 1
    assert problems[0].line == 4 and "not valid TOML" in problems[0].message


@pytest.mark.parametrize(
    ("text", "line", "key", "words"),
    [
        ("[stages]\nlead = 3\n", 2, "stages.lead", "table"),
        ("[stages.lead]\nstale_after = 3\n", 2, "stages.lead.stale_after", "unknown key"),
        ("[reply]\nfresh_minutes = 0\n", 2, "reply.fresh_minutes", "1 to 1440"),
        ("[reply]\ndue_minutes = 1441\n", 2, "reply.due_minutes", "1 to 1440"),
        ('[reply]\ndue_minutes = "1h"\n', 2, "reply.due_minutes", "whole number"),
        ("[reply]\nfresh_minutes = 60\n", 1, "reply.due_minutes", "longer than"),
        ("\n[reply]\nfresh_minutes = 30\ndue_minutes = 20\n", 4, "reply.due_minutes", "longer"),
        ("[stages.intent]\ntarget_to_next_percent = 140\n", 2, "stages.intent", "0 to 100"),
        ("[stages.intent]\ntarget_to_next_percent = -5\n", 2, "stages.intent", "0 to 100"),
        ('[stages.lead]\ntarget_to_next_percent = "most"\n', 2, "stages.lead", "0 to 100"),
        ("[stages.loyal]\ntarget_to_next_percent = 20\n", 2, "stages.loyal", "next funnel"),
        ("[kpi.reply_rate]\ntarget_percent = 90\n", 1, "kpi.reply_rate", "unknown KPI"),
        ("[kpi.first_reply_median]\ntarget = 600\n", 1, "kpi.first_reply_median", "due_minutes"),
        ('[kpi.new_customers]\nunit = "percent"\n', 2, "kpi.new_customers.unit", "count"),
        ('[[routine]]\nid = "store_data"\ntitle = ""\n', 3, "routine[store_data].title", "text"),
        ("version = 2\n", 1, "version", "version 1"),
        (
            '[[cadence]]\nid = "x"\ntrigger = "production"\ntitle = "t"\nwhy = "w"\n',
            1,
            "cadence[x]",
            "every",
        ),
        (
            '[[cadence]]\nid = "nurture"\n[cadence.intervals]\nA = "monthly"\n',
            4,
            "cadence[nurture].intervals.A",
            "duration",
        ),
        (
            '[signals.phrases.bargaining]\nEnglish = ["x"]\n',
            2,
            "signals.phrases.bargaining.English",
            "language",
        ),
        ('[signals]\nsuggest_from = ["negotiation"]\n', 2, "signals.suggest_from", "itself"),
        (
            "[negotiation]\nestablished_after_orders = 0\n",
            2,
            "negotiation.established_after_orders",
            "1",
        ),
    ],
)
def test_each_kind_of_mistake_is_located(
    tmp_path: Path, text: str, line: int, key: str, words: str
) -> None:
    problems = _problems(text, tmp_path)
    match = [p for p in problems if p.key.startswith(key)]
    assert match, [str(p) for p in problems]
    assert match[0].line == line, str(match[0])
    assert words in match[0].message, str(match[0])


def test_key_lines_find_keys_behind_tricky_toml() -> None:
    text = """\
title = "a # not a comment [x]"
list = [
    "a = b",
    "]",
]
[[cadence]]
id = "one"
[[cadence]]
id = "two"
[cadence.intervals]
A = "30d"
"quoted key" = 1
[stages.lead]   # a comment
stale_after_days = 3
"""
    lines = playbook.key_lines(text)
    assert lines[("title",)] == 1
    assert lines[("list",)] == 2
    assert ("a = b",) not in lines
    assert lines[("cadence", 0, "id")] == 7
    assert lines[("cadence", 1, "id")] == 9
    assert lines[("cadence", 1, "intervals", "A")] == 11
    assert lines[("cadence", 1, "intervals", "quoted key")] == 12
    assert lines[("stages", "lead", "stale_after_days")] == 14


@given(st.text(max_size=400))
def test_key_lines_never_fail_on_any_text(text: str) -> None:
    lines = playbook.key_lines(text)
    assert all(1 <= n <= max(len(text.splitlines()), 1) for n in lines.values())


@given(st.integers(min_value=0, max_value=9999), st.sampled_from("mhdw"))
def test_offsets_read_back_what_they_print(amount: int, unit: str) -> None:
    offset = Offset.parse(f"{amount}{unit}")
    assert Offset.parse(offset.text) == offset == Offset(amount, unit)


@pytest.mark.parametrize("text", ["", "2", "d", "2 days", "-1d", "1y", "1.5h", "99999d"])
def test_offsets_refuse_what_they_do_not_know(text: str) -> None:
    with pytest.raises(ValueError):
        Offset.parse(text)
