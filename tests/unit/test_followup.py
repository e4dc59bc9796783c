"""Next follow-up from natural input, read in the rep's zone (sop/followup.py)."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sopdesk.sop.followup import describe, parse_follow_up
from tests.marked_gettext import is_marked, marked

SHANGHAI = "Asia/Shanghai"
# Friday 27 Nov 2026, 12:00 in Shanghai (the frozen test clock).
NOW = pendulum.datetime(2026, 11, 27, 4, 0, tz="UTC")


def local(text: str, now: pendulum.DateTime = NOW, zone: str = SHANGHAI) -> str:
    return parse_follow_up(text, now, zone).in_timezone(zone).format("ddd YYYY-MM-DD HH:mm")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+3d", "Mon 2026-11-30 12:00"),
        ("+2h", "Fri 2026-11-27 14:00"),
        ("+1w", "Fri 2026-12-04 12:00"),
        ("+30m", "Fri 2026-11-27 12:30"),
        ("tomorrow", "Sat 2026-11-28 09:00"),
        ("Tomorrow 14:30", "Sat 2026-11-28 14:30"),
        ("tomorrow 3pm", "Sat 2026-11-28 15:00"),
        ("fri 10:00", "Fri 2026-12-04 10:00"),  # today's 10:00 is past: next Friday
        ("fri 15:00", "Fri 2026-11-27 15:00"),  # still ahead today
        ("mon", "Mon 2026-11-30 09:00"),
        ("2026-12-03 09:30", "Thu 2026-12-03 09:30"),
        ("2026-12-03", "Thu 2026-12-03 09:00"),
        ("next week", "Mon 2026-11-30 09:00"),
        ("next fri 14:00", "Fri 2026-12-04 14:00"),
        ("12-03", "Thu 2026-12-03 09:00"),
        ("01-15", "Fri 2027-01-15 09:00"),  # this year's is past: next year's
        ("15:00", "Fri 2026-11-27 15:00"),
        ("08:00", "Sat 2026-11-28 08:00"),
        ("明天", "Sat 2026-11-28 09:00"),
        ("明天下午3点", "Sat 2026-11-28 15:00"),
        ("后天", "Sun 2026-11-29 09:00"),
        ("下周", "Mon 2026-11-30 09:00"),
        ("下周三", "Wed 2026-12-02 09:00"),
        ("周一 10:00", "Mon 2026-11-30 10:00"),
        ("3天后", "Mon 2026-11-30 09:00"),
        ("12月3日", "Thu 2026-12-03 09:00"),
    ],
)
def test_forms_are_read_in_the_reps_zone(text: str, expected: str) -> None:
    assert local(text) == expected


def test_the_result_is_the_same_instant_whatever_zone_it_is_shown_in() -> None:
    at = parse_follow_up("tomorrow", NOW, SHANGHAI)
    assert at.in_timezone("UTC") == pendulum.datetime(2026, 11, 28, 1, 0, tz="UTC")
    berlin = parse_follow_up("tomorrow", NOW, "Europe/Berlin")
    assert berlin.in_timezone("UTC") == pendulum.datetime(2026, 11, 28, 8, 0, tz="UTC")


@pytest.mark.parametrize(
    "text", ["", "  ", "soon", "+3x", "2026-02-30", "25:00", "13-40", "+0d", "fri 25:00"]
)
def test_unreadable_input_says_what_would_work(text: str) -> None:
    with pytest.raises(ValueError, match=r"follow-up|empty"):
        parse_follow_up(text, NOW, SHANGHAI)


def test_a_past_moment_is_refused_with_the_moment_named() -> None:
    with pytest.raises(ValueError, match="2026-11-20 09:00, already past"):
        parse_follow_up("2026-11-20", NOW, SHANGHAI)
    with pytest.raises(ValueError, match="already past"):
        parse_follow_up("today", NOW, SHANGHAI)  # 09:00 today is gone at 12:00


def test_a_bad_zone_is_reported() -> None:
    with pytest.raises(ValueError, match="not a time zone"):
        parse_follow_up("+1d", NOW, "Mars/Olympus")


class TestDaylightSaving:
    """Europe/Berlin springs forward on 29 Mar 2026 (02:00 → 03:00) and falls back on 25 Oct."""

    BERLIN = "Europe/Berlin"
    BEFORE_SPRING = pendulum.datetime(2026, 3, 28, 10, 0, tz="Europe/Berlin")
    BEFORE_FALL = pendulum.datetime(2026, 10, 24, 10, 0, tz="Europe/Berlin")

    def test_days_keep_the_wall_clock_across_the_spring_change(self) -> None:
        at = parse_follow_up("+1d", self.BEFORE_SPRING, self.BERLIN)
        assert at.in_timezone(self.BERLIN).format("YYYY-MM-DD HH:mm") == "2026-03-29 10:00"
        assert (at - self.BEFORE_SPRING).in_hours() == 23

    def test_hours_are_real_hours_across_the_spring_change(self) -> None:
        at = parse_follow_up("+24h", self.BEFORE_SPRING, self.BERLIN)
        assert at.in_timezone(self.BERLIN).format("YYYY-MM-DD HH:mm") == "2026-03-29 11:00"

    def test_days_keep_the_wall_clock_across_the_autumn_change(self) -> None:
        at = parse_follow_up("+1d", self.BEFORE_FALL, self.BERLIN)
        assert at.in_timezone(self.BERLIN).format("YYYY-MM-DD HH:mm") == "2026-10-25 10:00"
        assert (at - self.BEFORE_FALL).in_hours() == 25

    def test_a_time_that_does_not_exist_moves_forward(self) -> None:
        at = parse_follow_up("2026-03-29 02:30", self.BEFORE_SPRING, self.BERLIN)
        assert at.in_timezone(self.BERLIN).format("HH:mm Z") == "03:30 +02:00"

    def test_next_week_is_monday_nine_in_the_new_offset(self) -> None:
        at = parse_follow_up("next week", self.BEFORE_SPRING, self.BERLIN)
        assert at.in_timezone("UTC").format("YYYY-MM-DD HH:mm") == "2026-03-30 07:00"


def test_describe_shows_both_zones() -> None:
    at = pendulum.datetime(2026, 12, 3, 1, 30, tz="UTC")
    text = describe(at, SHANGHAI, "Europe/Berlin")
    assert text == "Thu 3 Dec 09:30 (Asia/Shanghai) · Thu 3 Dec 02:30 (Europe/Berlin)"
    assert describe(at, SHANGHAI, None) == "Thu 3 Dec 09:30 (Asia/Shanghai)"


@given(st.text(max_size=30))
def test_any_input_gives_a_future_moment_or_a_value_error(text: str) -> None:
    try:
        at = parse_follow_up(text, NOW, SHANGHAI)
    except ValueError:
        return
    assert at > NOW


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["m", "h", "d", "w"]))
def test_relative_forms_always_land_ahead(amount: int, unit: str) -> None:
    assert parse_follow_up(f"+{amount}{unit}", NOW, SHANGHAI) > NOW


@pytest.mark.parametrize("text", ["", "someday", "+0d", "2026-02-30", "2026-01-05", "fri 25:00"])
def test_why_a_follow_up_time_is_refused_goes_through_gettext(text: str) -> None:
    with marked():
        with pytest.raises(ValueError) as caught:
            parse_follow_up(text, NOW, SHANGHAI)
        assert is_marked(str(caught.value)), str(caught.value)
    with marked(), pytest.raises(ValueError) as zone:
        parse_follow_up("+1d", NOW, "Mars/Olympus")
    assert is_marked(str(zone.value))
