from datetime import timedelta

import pendulum
import pytest

from sopdesk.sop.sla import (
    ReplyState,
    age,
    answered_state,
    format_duration,
    next_crossing,
    reply_state,
    response_time,
)

T0 = pendulum.datetime(2026, 11, 27, 4, 0, tz="UTC")


@pytest.mark.parametrize(
    ("waited", "state"),
    [
        (timedelta(0), ReplyState.FRESH),
        (timedelta(minutes=5), ReplyState.FRESH),
        (timedelta(minutes=5, seconds=1), ReplyState.DUE),
        (timedelta(hours=1), ReplyState.DUE),
        (timedelta(hours=1, seconds=1), ReplyState.LATE),
        (timedelta(days=9), ReplyState.LATE),
    ],
)
def test_unanswered_state_at_the_sop_limits(waited: timedelta, state: ReplyState) -> None:
    assert reply_state(T0, None, T0 + waited) is state


def test_answered_is_answered_whatever_the_age() -> None:
    assert reply_state(T0, T0.add(hours=3), T0.add(days=2)) is ReplyState.ANSWERED


def test_response_time_and_which_target_it_met() -> None:
    assert response_time(T0, T0.add(minutes=4)) == timedelta(minutes=4)
    assert answered_state(timedelta(minutes=4)) is ReplyState.FRESH
    assert answered_state(timedelta(minutes=59)) is ReplyState.DUE
    assert answered_state(timedelta(hours=2)) is ReplyState.LATE


def test_clock_skew_never_gives_negative_waits() -> None:
    assert age(T0, T0.subtract(minutes=3)) == timedelta(0)
    assert reply_state(T0, None, T0.subtract(minutes=3)) is ReplyState.FRESH


def test_next_crossing() -> None:
    assert next_crossing(T0, T0.add(minutes=1)) == T0.add(minutes=5)
    assert next_crossing(T0, T0.add(minutes=6)) == T0.add(hours=1)
    assert next_crossing(T0, T0.add(hours=2)) is None


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=42), "42s"),
        (timedelta(minutes=4, seconds=59), "4m"),
        (timedelta(hours=1, minutes=5), "1h05m"),
        (timedelta(days=3, hours=2, minutes=7), "3d02h"),
        (timedelta(seconds=-5), "0s"),
    ],
)
def test_format_duration(delta: timedelta, text: str) -> None:
    assert format_duration(delta) == text


def test_the_limits_are_the_callers_not_fixed() -> None:
    # A team playbook with 10 minutes / 2 hours: 7 minutes is still fresh, 90 minutes still due.
    ten, two_hours = timedelta(minutes=10), timedelta(hours=2)
    assert reply_state(T0, None, T0.add(minutes=7)) is ReplyState.DUE  # the SOP's 5 minutes
    assert reply_state(T0, None, T0.add(minutes=7), ten, two_hours) is ReplyState.FRESH
    assert reply_state(T0, None, T0.add(minutes=90), ten, two_hours) is ReplyState.DUE
    assert reply_state(T0, None, T0.add(hours=2, seconds=1), ten, two_hours) is ReplyState.LATE
    assert answered_state(timedelta(minutes=9), ten, two_hours) is ReplyState.FRESH
    assert answered_state(timedelta(minutes=119), ten, two_hours) is ReplyState.DUE
    assert next_crossing(T0, T0.add(minutes=1), ten, two_hours) == T0.add(minutes=10)
    assert next_crossing(T0, T0.add(minutes=11), ten, two_hours) == T0.add(hours=2)


def test_reply_limits_read_as_people_say_them() -> None:
    from sopdesk import labels

    assert labels.reply_limit(timedelta(minutes=5)) == "5 min"
    assert labels.reply_limit(timedelta(hours=1)) == "1 h"
    assert labels.reply_limit(timedelta(minutes=90)) == "1 h 30 min"
    assert labels.reply_state(ReplyState.FRESH) == "≤ 5 min"
    assert labels.reply_state(ReplyState.DUE) == "≤ 1 h"
    assert labels.reply_state(ReplyState.FRESH, timedelta(minutes=10), timedelta(hours=2)) == (
        "≤ 10 min"
    )
    assert labels.reply_state(ReplyState.DUE, timedelta(minutes=10), timedelta(hours=2)) == "≤ 2 h"
    assert labels.reply_state(ReplyState.LATE) == "late"
