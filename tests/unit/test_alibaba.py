import pendulum

from sopdesk.sop.alibaba import AlibabaState, Reply, first_message_of_day, pacific_day, verdict

UTC = "UTC"


def test_the_pacific_day_boundary_decides_which_message_is_first() -> None:
    # 07:59 UTC on 27 Nov is 23:59 on 26 Nov in Los Angeles (PST, UTC-8); 08:00 UTC is the 27th.
    before = pendulum.datetime(2026, 11, 27, 7, 59, tz=UTC)
    after = pendulum.datetime(2026, 11, 27, 8, 0, tz=UTC)
    assert pacific_day(before).isoformat() == "2026-11-26"
    assert pacific_day(after).isoformat() == "2026-11-27"
    later = pendulum.datetime(2026, 11, 27, 20, 0, tz=UTC)
    assert first_message_of_day(later, [before, after]) == after


def test_boundary_moves_with_us_daylight_saving() -> None:
    # In July Los Angeles is UTC-7: the day starts at 07:00 UTC.
    assert pacific_day(pendulum.datetime(2026, 7, 1, 6, 59, tz=UTC)).isoformat() == "2026-06-30"
    assert pacific_day(pendulum.datetime(2026, 7, 1, 7, 0, tz=UTC)).isoformat() == "2026-07-01"
    # 8 March 2026: clocks spring forward at 02:00 local; 24 h after 01:00 PST is 02:00 PDT.
    first = pendulum.datetime(2026, 3, 8, 9, 0, tz=UTC)  # 01:00 PST
    v = verdict(first, [Reply(first.add(hours=24))], now=first.add(days=2))
    assert v.state is AlibabaState.COUNTED
    assert v.deadline.in_timezone("America/Los_Angeles").format("HH:mm") == "02:00"


def test_a_later_message_shares_the_first_messages_deadline() -> None:
    first = pendulum.datetime(2026, 11, 27, 9, 0, tz=UTC)
    second = first.add(hours=10)
    reply = Reply(first.add(hours=25))  # within 24 h of the second, not of the first
    v = verdict(second, [reply], now=first.add(days=3), same_buyer_messages=[first])
    assert v.first_message_at == first
    assert v.state is AlibabaState.MISSED


def test_auto_replies_do_not_count() -> None:
    first = pendulum.datetime(2026, 11, 27, 9, 0, tz=UTC)
    v = verdict(first, [Reply(first.add(minutes=1), auto=True)], now=first.add(hours=2))
    assert v.state is AlibabaState.PENDING and v.replied_at is None
    v = verdict(
        first,
        [Reply(first.add(minutes=1), auto=True), Reply(first.add(hours=23))],
        now=first.add(days=1, hours=1),
    )
    assert v.state is AlibabaState.COUNTED and v.replied_at == first.add(hours=23)


def test_exactly_24_hours_counts_one_second_more_does_not() -> None:
    first = pendulum.datetime(2026, 11, 27, 9, 0, tz=UTC)
    assert (
        verdict(first, [Reply(first.add(hours=24))], now=first.add(days=2)).state
        is AlibabaState.COUNTED
    )
    late = verdict(first, [Reply(first.add(hours=24, seconds=1))], now=first.add(days=2))
    assert late.state is AlibabaState.MISSED
