"""The SOP cadence after a first reply: background check now, day-3 follow-up in their hours."""

from __future__ import annotations

from datetime import timedelta

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sopdesk.sop import cadence
from sopdesk.sop.geo import BUSINESS_END, BUSINESS_START, is_working_day, weekend_days
from sopdesk.sop.stages import TaskKind


def utc(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz="UTC")


def follow_up(tasks: list[cadence.PlannedTask]) -> cadence.PlannedTask:
    (task,) = [t for t in tasks if t.rule == cadence.RULE_NO_RESPONSE_DAY3]
    return task


# --- next_business_moment ------------------------------------------------------------------


def test_a_moment_in_business_hours_stays() -> None:
    at = pendulum.datetime(2026, 11, 27, 10, 30, tz="Europe/Berlin")  # Friday
    assert cadence.next_business_moment(at, "Europe/Berlin", "DE") == at
    assert cadence.next_business_moment(at, "Europe/Berlin", "DE").timezone_name == "UTC"


def test_a_friday_in_riyadh_is_their_weekend_but_not_in_berlin_or_dubai() -> None:
    # Saudi Arabia rests Friday-Saturday, so Sunday is a working day; the UAE moved to
    # Saturday-Sunday in 2022.
    friday_riyadh = pendulum.datetime(2026, 11, 27, 10, 0, tz="Asia/Riyadh")
    assert cadence.next_business_moment(friday_riyadh, "Asia/Riyadh", "SA") == pendulum.datetime(
        2026, 11, 29, 9, 0, tz="Asia/Riyadh"
    )
    friday_dubai = pendulum.datetime(2026, 11, 27, 10, 0, tz="Asia/Dubai")
    assert cadence.next_business_moment(friday_dubai, "Asia/Dubai", "AE") == friday_dubai
    friday_berlin = pendulum.datetime(2026, 11, 27, 10, 0, tz="Europe/Berlin")
    assert cadence.next_business_moment(friday_berlin, "Europe/Berlin", "DE") == friday_berlin


def test_saturday_in_berlin_moves_to_monday_morning_but_saturday_in_riyadh_to_sunday() -> None:
    saturday = utc(2026, 11, 28, 10, 0)
    assert cadence.next_business_moment(saturday, "Europe/Berlin", "DE") == pendulum.datetime(
        2026, 11, 30, 9, 0, tz="Europe/Berlin"
    )
    assert cadence.next_business_moment(saturday, "Asia/Riyadh", "SA") == pendulum.datetime(
        2026, 11, 29, 9, 0, tz="Asia/Riyadh"
    )


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ((2026, 11, 26, 8, 59), (2026, 11, 26, 9, 0)),  # before opening: same day 09:00
        ((2026, 11, 26, 9, 0), (2026, 11, 26, 9, 0)),  # opening is inside
        ((2026, 11, 26, 17, 59), (2026, 11, 26, 17, 59)),
        ((2026, 11, 26, 18, 0), (2026, 11, 27, 9, 0)),  # closing is outside
        ((2026, 11, 27, 23, 30), (2026, 11, 30, 9, 0)),  # Friday night → Monday
        ((2026, 11, 29, 3, 0), (2026, 11, 30, 9, 0)),  # Sunday small hours → Monday
    ],
)
def test_business_hour_edges_in_berlin(
    local: tuple[int, int, int, int, int], expected: tuple[int, int, int, int, int]
) -> None:
    at = pendulum.datetime(*local, tz="Europe/Berlin")
    assert cadence.next_business_moment(at, "Europe/Berlin", "DE") == pendulum.datetime(
        *expected, tz="Europe/Berlin"
    )


ZONES = [
    ("Europe/Berlin", "DE"),
    ("Asia/Dubai", "AE"),
    ("Asia/Riyadh", "SA"),
    ("America/New_York", "US"),
    ("Australia/Sydney", "AU"),
    ("Asia/Kolkata", "IN"),
    ("America/Santiago", "CL"),
    ("Asia/Shanghai", "CN"),
]


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(
        min_value=pendulum.naive(2025, 1, 1), max_value=pendulum.naive(2028, 12, 31)
    ),
    zone=st.sampled_from(ZONES),
)
def test_next_business_moment_is_the_first_working_minute_not_before(moment, zone) -> None:
    name, country = zone
    at = pendulum.instance(moment, tz="UTC")
    result = cadence.next_business_moment(at, name, country)
    local = result.in_timezone(name)
    assert result >= at
    assert result - at < timedelta(days=12)  # the longest weekend-and-holiday run in ZONES
    assert is_working_day(local.date(), country)
    assert local.day_of_week not in weekend_days(country) or country == "CN"
    assert BUSINESS_START <= local.time() < BUSINESS_END
    assert cadence.next_business_moment(result, name, country) == result
    if result > at:  # moved: it is an opening, and nothing earlier was a business moment
        assert (local.hour, local.minute) == (BUSINESS_START.hour, BUSINESS_START.minute)
        start = at.in_timezone(name)
        day = start.date().add(days=1)
        while day < local.date():
            assert not is_working_day(day, country), day  # every day skipped was a day off
            day = day.add(days=1)
        if start.date() < local.date() and start.time() < BUSINESS_START:
            assert not is_working_day(start.date(), country)


# --- after_first_reply ---------------------------------------------------------------------


def test_background_check_is_due_at_once_only_when_not_done() -> None:
    replied = utc(2026, 11, 27, 4, 3)
    tasks = cadence.after_first_reply(replied, "Europe/Berlin", "DE", background_check_done=False)
    assert [t.rule for t in tasks] == [
        cadence.RULE_BACKGROUND_CHECK,
        cadence.RULE_NO_RESPONSE_DAY3,
    ]
    assert tasks[0].kind is TaskKind.BACKGROUND_CHECK
    assert tasks[0].due_at == replied
    assert tasks[1].kind is TaskKind.FOLLOW_UP
    assert tasks[1].template_id == "no_response_day3"

    done = cadence.after_first_reply(replied, "Europe/Berlin", "DE", background_check_done=True)
    assert [t.rule for t in done] == [cadence.RULE_NO_RESPONSE_DAY3]


def test_friday_reply_dubai_vs_berlin() -> None:
    # Friday 27 Nov 16:00 UTC: 20:00 in Dubai, 17:00 in Berlin. Three days later is Monday:
    # 20:00 in Dubai is after hours (→ Tuesday 09:00), 17:00 in Berlin is still inside.
    replied = utc(2026, 11, 27, 16, 0)
    dubai = follow_up(cadence.after_first_reply(replied, "Asia/Dubai", "AE", True))
    berlin = follow_up(cadence.after_first_reply(replied, "Europe/Berlin", "DE", True))
    assert dubai.due_at == pendulum.datetime(2026, 12, 1, 9, 0, tz="Asia/Dubai")
    assert berlin.due_at == pendulum.datetime(2026, 11, 30, 17, 0, tz="Europe/Berlin")


def test_thursday_reply_lands_on_sunday_in_riyadh_and_monday_in_berlin() -> None:
    replied = utc(2026, 11, 26, 10, 0)  # Thursday: 13:00 Riyadh, 11:00 Berlin
    riyadh = follow_up(cadence.after_first_reply(replied, "Asia/Riyadh", "SA", True))
    berlin = follow_up(cadence.after_first_reply(replied, "Europe/Berlin", "DE", True))
    assert riyadh.due_at == pendulum.datetime(2026, 11, 29, 13, 0, tz="Asia/Riyadh")  # Sunday
    assert berlin.due_at == pendulum.datetime(2026, 11, 30, 9, 0, tz="Europe/Berlin")  # Monday


def test_three_days_keep_the_local_hour_across_spring_dst() -> None:
    # Berlin goes CET → CEST on Sun 29 Mar 2026: Friday 10:00 CET is 09:00 UTC, Monday 10:00 CEST
    # is 08:00 UTC (adding 72 hours would give 11:00 local).
    replied = pendulum.datetime(2026, 3, 27, 10, 0, tz="Europe/Berlin")
    task = follow_up(cadence.after_first_reply(replied, "Europe/Berlin", "DE", True))
    assert task.due_at == utc(2026, 3, 30, 8, 0)
    assert task.due_at.timezone_name == "UTC"


def test_three_days_keep_the_local_hour_across_autumn_dst() -> None:
    replied = pendulum.datetime(2026, 10, 23, 10, 0, tz="Europe/Berlin")  # Friday, CEST
    task = follow_up(cadence.after_first_reply(replied, "Europe/Berlin", "DE", True))
    assert task.due_at == utc(2026, 10, 26, 9, 0)  # Monday 10:00 CET


def test_weekend_landing_on_a_dst_sunday_opens_at_nine_new_time() -> None:
    # New York springs forward on Sun 8 Mar 2026; the follow-up moves to Monday 09:00 EDT.
    replied = pendulum.datetime(2026, 3, 5, 15, 0, tz="America/New_York")
    task = follow_up(cadence.after_first_reply(replied, "America/New_York", "US", True))
    assert task.due_at == utc(2026, 3, 9, 13, 0)


def test_southern_hemisphere_dst_end() -> None:
    # Sydney leaves daylight time on Sun 5 Apr 2026 (+11 → +10). Three days after Thursday is
    # Easter Sunday, and Monday 6 April is Easter Monday, a public holiday: Tuesday 09:00 AEST.
    replied = pendulum.datetime(2026, 4, 2, 10, 0, tz="Australia/Sydney")  # Thursday
    task = follow_up(cadence.after_first_reply(replied, "Australia/Sydney", "AU", True))
    assert task.due_at == pendulum.datetime(2026, 4, 7, 9, 0, tz="Australia/Sydney")
    assert task.due_at == utc(2026, 4, 6, 23, 0)


# --- public holidays -------------------------------------------------------------------------


def test_christmas_in_germany_moves_to_monday_28_december() -> None:
    # Fri 25 Dec 2026 is Christmas Day, Sat 26 the Second Day of Christmas (and the weekend),
    # Sun 27 the weekend: the first working morning is Monday 28 December.
    at = pendulum.datetime(2026, 12, 25, 10, 0, tz="Europe/Berlin")
    moment = cadence.business_moment(at, "Europe/Berlin", "DE")
    assert moment.at == pendulum.datetime(2026, 12, 28, 9, 0, tz="Europe/Berlin")
    assert moment.at.timezone_name == "UTC"
    assert moment.holidays == ("Christmas Day", "Second Day of Christmas")
    # The evening before counts too: Thursday 24 December 19:00 is after hours.
    eve = pendulum.datetime(2026, 12, 24, 19, 0, tz="Europe/Berlin")
    assert cadence.next_business_moment(eve, "Europe/Berlin", "DE") == moment.at
    # Within hours on the 24th (a working day in Germany's national calendar) it stays.
    morning = pendulum.datetime(2026, 12, 24, 10, 0, tz="Europe/Berlin")
    assert cadence.business_moment(morning, "Europe/Berlin", "DE").holidays == ()


def test_thanksgiving_in_the_us_moves_to_friday() -> None:
    at = pendulum.datetime(2026, 11, 26, 11, 0, tz="America/Chicago")  # Thanksgiving Day
    moment = cadence.business_moment(at, "America/Chicago", "US")
    assert moment.at == pendulum.datetime(2026, 11, 27, 9, 0, tz="America/Chicago")
    assert moment.holidays == ("Thanksgiving Day",)
    # The same Thursday is an ordinary working day in Germany.
    berlin = pendulum.datetime(2026, 11, 26, 11, 0, tz="Europe/Berlin")
    assert cadence.next_business_moment(berlin, "Europe/Berlin", "DE") == berlin


def test_chinas_golden_week_and_its_working_saturday() -> None:
    # National Day 2026: Thu 1 to Wed 7 October off; Sat 10 October is worked in exchange.
    at = pendulum.datetime(2026, 10, 2, 10, 0, tz="Asia/Shanghai")
    moment = cadence.business_moment(at, "Asia/Shanghai", "CN")
    assert moment.at == pendulum.datetime(2026, 10, 8, 9, 0, tz="Asia/Shanghai")
    assert moment.holidays[0] == "National Day"
    saturday = pendulum.datetime(2026, 10, 10, 10, 0, tz="Asia/Shanghai")
    assert cadence.next_business_moment(saturday, "Asia/Shanghai", "CN") == saturday
    ordinary_saturday = pendulum.datetime(2026, 10, 17, 10, 0, tz="Asia/Shanghai")
    assert cadence.next_business_moment(
        ordinary_saturday, "Asia/Shanghai", "CN"
    ) == pendulum.datetime(2026, 10, 19, 9, 0, tz="Asia/Shanghai")


def test_a_country_the_holidays_package_does_not_know_has_weekends_only() -> None:
    at = pendulum.datetime(2026, 12, 25, 10, 0, tz="Europe/Berlin")  # Friday
    for country in ("XX", "", None):
        moment = cadence.business_moment(at, "Europe/Berlin", country)
        assert moment.at == at and moment.holidays == ()
    saturday = pendulum.datetime(2026, 12, 26, 10, 0, tz="Europe/Berlin")
    assert cadence.next_business_moment(saturday, "Europe/Berlin", "XX") == pendulum.datetime(
        2026, 12, 28, 9, 0, tz="Europe/Berlin"
    )


def test_a_holiday_after_a_dst_change_opens_at_nine_local_time() -> None:
    # Easter 2027 in Germany: Good Friday 26 March, the clocks go forward on Sunday 28 March,
    # Easter Monday 29 March: from Thursday evening the next opening is Tuesday 30 March,
    # 09:00 CEST = 07:00 UTC (it was 08:00 UTC before the change). Sydney's Easter Monday right
    # after its own change is in test_southern_hemisphere_dst_end.
    at = pendulum.datetime(2027, 3, 25, 18, 30, tz="Europe/Berlin")
    moment = cadence.business_moment(at, "Europe/Berlin", "DE")
    assert moment.at == utc(2027, 3, 30, 7, 0)
    assert moment.holidays == ("Good Friday", "Easter Monday")
    before = cadence.next_business_moment(utc(2027, 3, 25, 6, 0), "Europe/Berlin", "DE")
    assert before == utc(2027, 3, 25, 8, 0)  # Thursday 09:00 CET


def test_a_day_3_follow_up_due_on_christmas_lands_after_it() -> None:
    replied = pendulum.datetime(2026, 12, 22, 15, 0, tz="Europe/Berlin")  # Tuesday
    task = follow_up(cadence.after_first_reply(replied, "Europe/Berlin", "DE", True))
    assert task.due_at == pendulum.datetime(2026, 12, 28, 9, 0, tz="Europe/Berlin")
