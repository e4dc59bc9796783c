"""The cadence engine's pure rules: when each follow-up falls due, on whose business day, and why.

Business days per country (Friday–Saturday weekends in the Gulf), DST (day offsets keep the local
hour), month and year ends, and which task of a subject is wanted when several fell due.
"""

from __future__ import annotations

from dataclasses import replace

import pendulum
import pytest

from sopdesk.sop import cadence_rules as rules
from sopdesk.sop.cadence_rules import (
    Clock,
    FirstReplyFact,
    NurtureFact,
    OrderFact,
    Party,
    QuoteFact,
    SampleFact,
)
from sopdesk.sop.geo import weekend_days
from sopdesk.sop.playbook import CadenceRule, shipped
from sopdesk.sop.stages import Potential, Stage, TaskKind

REP_ZONE = "Asia/Shanghai"


def _rule(rule_id: str) -> CadenceRule:
    rule = shipped().cadence(rule_id)
    assert rule is not None
    return rule


def _party(zone: str | None, country: str | None, name: str = "Acme") -> Party:
    return Party(customer_id=7, name=name, zone=zone, country=country)


def _local(at: pendulum.DateTime, zone: str) -> str:
    return at.in_timezone(zone).format("ddd YYYY-MM-DD HH:mm")


def _quote(sent: pendulum.DateTime, party: Party, inbound: pendulum.DateTime | None = None):
    return QuoteFact(
        party=party,
        quote_id=12,
        number="PI-2026-0012",
        sent_at=sent,
        still_sent=True,
        last_inbound_at=inbound,
    )


def _due(rule_id: str, fact, now: pendulum.DateTime) -> list[pendulum.DateTime]:
    plan = rules.plan(_rule(rule_id), fact, Clock(now, REP_ZONE))
    assert plan is not None and plan.closed is None
    return [t.due_at for t in plan.tasks]


# -- business days per country --------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "country", "sent_local", "expected"),
    [
        # Thursday + 2 days = Saturday: Germany rests Sat–Sun, so Monday 09:00.
        ("Europe/Berlin", "DE", (2026, 11, 26, 10), "Mon 2026-11-30 09:00"),
        # Saudi Arabia and Egypt rest Fri–Sat: Sunday is a working day.
        ("Asia/Riyadh", "SA", (2026, 11, 26, 10), "Sun 2026-11-29 09:00"),
        ("Africa/Cairo", "EG", (2026, 11, 26, 10), "Sun 2026-11-29 09:00"),
        # The Emirates moved to Sat–Sun in 2022.
        ("Asia/Dubai", "AE", (2026, 11, 26, 10), "Mon 2026-11-30 09:00"),
        # Tuesday + 2 = Thursday, a working day everywhere: same local hour.
        ("America/Sao_Paulo", "BR", (2026, 11, 24, 15, 30), "Thu 2026-11-26 15:30"),
        # Wednesday 17:45 + 2 = Friday 17:45 in Riyadh: their weekend, so Sunday 09:00.
        ("Asia/Riyadh", "SA", (2026, 11, 25, 17, 45), "Sun 2026-11-29 09:00"),
        # Evening send: +2 days is 20:00, after hours, so the next morning.
        ("Europe/Madrid", "ES", (2026, 11, 23, 20), "Thu 2026-11-26 09:00"),
    ],
)
def test_follow_ups_land_on_the_customers_business_day(
    zone: str, country: str, sent_local: tuple[int, ...], expected: str
) -> None:
    sent = pendulum.datetime(*sent_local, tz=zone)
    first, _second = _due("quote_follow_up", _quote(sent, _party(zone, country)), sent)
    assert _local(first, zone) == expected


def test_every_landing_is_inside_business_hours_on_a_working_day() -> None:
    for zone, country in (
        ("Europe/Paris", "FR"),
        ("Asia/Riyadh", "SA"),
        ("America/New_York", "US"),
    ):
        weekend = weekend_days(country)
        for hour in range(0, 24, 3):
            for day in range(16, 23):
                sent = pendulum.datetime(2026, 3, day, hour, tz=zone)
                for due in _due("quote_follow_up", _quote(sent, _party(zone, country)), sent):
                    local = due.in_timezone(zone)
                    assert local.day_of_week not in weekend, (zone, sent, local)
                    assert 9 <= local.hour < 18, (zone, sent, local)
                    assert due >= sent


def test_the_customers_zone_is_inferred_from_a_one_zone_country() -> None:
    sent = pendulum.datetime(2026, 11, 24, 10, tz="Europe/Warsaw")
    first, _ = _due("quote_follow_up", _quote(sent, _party(None, "PL")), sent)
    assert _local(first, "Europe/Warsaw") == "Thu 2026-11-26 10:00"


def test_without_any_zone_the_reps_hours_are_used() -> None:
    # The US has many zones: the rep's clock is used, with the customer's calendar (Thursday
    # 26 November is Thanksgiving, so Friday).
    sent = pendulum.datetime(2026, 11, 24, 10, tz=REP_ZONE)
    first, _ = _due("quote_follow_up", _quote(sent, _party(None, "US")), sent)
    assert _local(first, REP_ZONE) == "Fri 2026-11-27 09:00"
    first, _ = _due("quote_follow_up", _quote(sent, _party(None, "BR")), sent)
    assert _local(first, REP_ZONE) == "Thu 2026-11-26 10:00"


def test_internal_work_lands_in_the_reps_hours() -> None:
    # A first reply at 23:10 Shanghai time on a Friday: the background check waits for Monday.
    replied = pendulum.datetime(2026, 11, 27, 23, 10, tz=REP_ZONE)
    fact = FirstReplyFact(
        party=_party("America/Chicago", "US"),
        inquiry_id=3,
        replied_at=replied,
        background_check_done=False,
        stage=Stage.LEAD,
        last_inbound_at=None,
    )
    (due,) = _due("first_reply.background_check", fact, replied)
    assert _local(due, REP_ZONE) == "Mon 2026-11-30 09:00"


# -- DST and calendar edges -----------------------------------------------------------------


def test_day_offsets_keep_the_local_hour_across_the_autumn_change() -> None:
    # Berlin leaves summer time on Sun 25 Oct 2026: Fri 23 Oct 10:00 CEST + 5 days = Wed 10:00 CET.
    sent = pendulum.datetime(2026, 10, 23, 10, tz="Europe/Berlin")
    _first, second = _due("quote_follow_up", _quote(sent, _party("Europe/Berlin", "DE")), sent)
    assert _local(second, "Europe/Berlin") == "Wed 2026-10-28 10:00"
    assert second.in_timezone("UTC").hour == 9  # 08:00 UTC before the change, 09:00 after


def test_day_offsets_keep_the_local_hour_across_the_spring_change() -> None:
    # The US moves its clocks on Sun 8 Mar 2026.
    sent = pendulum.datetime(2026, 3, 6, 11, tz="America/New_York")
    first, _ = _due("quote_follow_up", _quote(sent, _party("America/New_York", "US")), sent)
    assert _local(first, "America/New_York") == "Mon 2026-03-09 09:00"
    sent = pendulum.datetime(2026, 3, 5, 11, tz="America/New_York")
    _first, second = _due("quote_follow_up", _quote(sent, _party("America/New_York", "US")), sent)
    assert _local(second, "America/New_York") == "Tue 2026-03-10 11:00"
    assert second.in_timezone("UTC").hour == 15


@pytest.mark.parametrize(
    ("sent_local", "expected"),
    [
        ((2026, 1, 30, 15), "Mon 2026-02-02 09:00"),  # Fri + 2 = Sun 1 Feb
        ((2026, 2, 26, 11), "Mon 2026-03-02 09:00"),  # Thu + 2 = Sat 28 Feb (no 29th in 2026)
        ((2028, 2, 27, 11), "Tue 2028-02-29 11:00"),  # a leap year's 29 February
        ((2026, 12, 30, 14), "Mon 2027-01-04 09:00"),  # across the year end: New Year's Day
        ((2027, 12, 29, 14), "Fri 2027-12-31 14:00"),  # New Year's Eve is worked in Germany
        ((2026, 4, 29, 16), "Mon 2026-05-04 09:00"),  # Fri 1 May is Labour Day
        ((2026, 4, 28, 16), "Thu 2026-04-30 16:00"),
    ],
)
def test_month_and_year_ends(sent_local: tuple[int, ...], expected: str) -> None:
    sent = pendulum.datetime(*sent_local, tz="Europe/Berlin")
    first, _ = _due("quote_follow_up", _quote(sent, _party("Europe/Berlin", "DE")), sent)
    assert _local(first, "Europe/Berlin") == expected


# -- what each rule asks for, and says --------------------------------------------------------


def test_a_quote_follow_up_says_why_it_exists() -> None:
    sent = pendulum.datetime(2026, 11, 24, 10, tz="Europe/Berlin")  # Tuesday
    plan = rules.plan(
        _rule("quote_follow_up"), _quote(sent, _party("Europe/Berlin", "DE")), Clock(sent, REP_ZONE)
    )
    assert plan is not None
    first = plan.tasks[0]
    assert first.why == "Quote PI-2026-0012 sent 2 days ago, no answer."
    assert first.title == "Follow up quotation PI-2026-0012"
    assert first.key == "quote_follow_up|q12|2d"
    assert first.kind is TaskKind.FOLLOW_UP and first.customer_id == 7


def test_a_follow_up_moved_past_a_public_holiday_says_so() -> None:
    # Wednesday 23 December + 2 days = Christmas Day: Germany's follow-up waits for Monday 28th,
    # the US one only for Saturday's weekend to pass (26 December is no US holiday).
    sent = pendulum.datetime(2026, 12, 23, 10, tz="Europe/Berlin")
    plan = rules.plan(
        _rule("quote_follow_up"), _quote(sent, _party("Europe/Berlin", "DE")), Clock(sent, REP_ZONE)
    )
    assert plan is not None
    first, second = plan.tasks
    assert _local(first.due_at, "Europe/Berlin") == "Mon 2026-12-28 09:00"
    assert first.why == (
        "Quote PI-2026-0012 sent 4 days ago, no answer. "
        "Moved past Christmas Day, a public holiday there."
    )
    assert _local(second.due_at, "Europe/Berlin") == "Mon 2026-12-28 10:00"  # +5 days: no move
    assert "Moved past" not in second.why
    sent_ny = pendulum.datetime(2026, 12, 23, 10, tz="America/New_York")
    first_ny, _ = rules.plan(
        _rule("quote_follow_up"),
        _quote(sent_ny, _party("America/New_York", "US")),
        Clock(sent_ny, REP_ZONE),
    ).tasks  # type: ignore[union-attr]
    assert _local(first_ny.due_at, "America/New_York") == "Mon 2026-12-28 09:00"
    assert first_ny.why.endswith("Moved past Christmas Day, a public holiday there.")


def test_a_production_update_in_golden_week_waits_for_it_to_end() -> None:
    since = pendulum.datetime(2026, 9, 24, 10, tz="Asia/Shanghai")  # Thursday
    fact = OrderFact(
        party=_party("Asia/Shanghai", "CN"),
        order_id=5,
        number="SO-2026-0005",
        production_since=since,
        finished_at=None,
        shipped_at=None,
        eta=None,
        arrived_at=None,
        feedback_at=None,
    )
    now = pendulum.datetime(2026, 10, 8, 12, tz="UTC")
    plan = rules.plan(_rule("production_update"), fact, Clock(now, REP_ZONE))
    assert plan is not None
    week_one = plan.tasks[0]
    assert _local(week_one.due_at, "Asia/Shanghai") == "Thu 2026-10-08 09:00"  # not 1 October
    assert "Moved past National Day" in week_one.why


def test_the_nudge_comes_the_same_day() -> None:
    sent = pendulum.datetime(2026, 11, 24, 10, tz="Europe/Berlin")
    (due,) = _due("quote_nudge", _quote(sent, _party("Europe/Berlin", "DE")), sent)
    assert _local(due, "Europe/Berlin") == "Tue 2026-11-24 11:00"


def test_an_answered_or_closed_quote_asks_for_nothing() -> None:
    sent = pendulum.datetime(2026, 11, 24, 10, tz="UTC")
    party = _party("Europe/Berlin", "DE")
    clock = Clock(sent.add(days=3), REP_ZONE)
    answered = rules.plan(_rule("quote_follow_up"), _quote(sent, party, sent.add(hours=5)), clock)
    assert answered is not None and not answered.tasks and answered.closed
    older_message = rules.plan(
        _rule("quote_follow_up"), _quote(sent, party, sent.subtract(hours=5)), clock
    )
    assert older_message is not None and len(older_message.tasks) == 2
    accepted = replace(_quote(sent, party), still_sent=False)
    plan = rules.plan(_rule("quote_follow_up"), accepted, clock)
    assert plan is not None and not plan.tasks and plan.closed


def test_sample_feedback_waits_for_the_arrival() -> None:
    sent = pendulum.datetime(2026, 11, 2, 10, tz="Europe/London")  # Monday
    fact = SampleFact(
        party=_party("Europe/London", "GB"),
        sample_id=4,
        product="LED panel",
        sent_at=sent,
        delivered_at=None,
        feedback_at=None,
    )
    clock = Clock(sent, REP_ZONE)
    plan = rules.plan(_rule("sample_feedback"), fact, clock)
    assert plan is not None
    # 5 courier days to Saturday, +1 day = Sunday: Monday 09:00 in London.
    assert _local(plan.tasks[0].due_at, "Europe/London") == "Mon 2026-11-09 09:00"
    assert "LED panel" in plan.tasks[0].title
    delivered = replace(fact, delivered_at=pendulum.datetime(2026, 11, 4, 14, tz="Europe/London"))
    plan = rules.plan(_rule("sample_feedback"), delivered, clock)
    assert plan is not None
    assert _local(plan.tasks[0].due_at, "Europe/London") == "Thu 2026-11-05 14:00"
    done = replace(fact, feedback_at=sent.add(days=6))
    plan = rules.plan(_rule("sample_feedback"), done, clock)
    assert plan is not None and not plan.tasks and plan.closed


def _order(**changes) -> OrderFact:
    base = OrderFact(
        party=_party("Europe/Berlin", "DE"),
        order_id=9,
        number="SO-2026-0009",
        production_since=pendulum.datetime(2026, 11, 2, 10, tz="Europe/Berlin"),
        finished_at=None,
        shipped_at=None,
        eta=None,
        arrived_at=None,
        feedback_at=None,
    )
    return replace(base, **changes)


def test_production_updates_come_weekly_until_production_ends() -> None:
    now = pendulum.datetime(2026, 11, 20, 12, tz="Europe/Berlin")
    plan = rules.plan(_rule("production_update"), _order(), Clock(now, REP_ZONE))
    assert plan is not None
    assert [t.key for t in plan.tasks] == ["production_update|o9|w1", "production_update|o9|w2"]
    assert [_local(t.due_at, "Europe/Berlin") for t in plan.tasks] == [
        "Mon 2026-11-09 10:00",
        "Mon 2026-11-16 10:00",
    ]
    assert "week 2" in plan.tasks[1].why
    finished = rules.plan(_rule("production_update"), _order(finished_at=now), Clock(now, REP_ZONE))
    assert finished is not None and not finished.tasks and finished.closed


def test_the_arrival_check_follows_the_eta() -> None:
    eta = pendulum.datetime(2026, 12, 5, 8, tz="UTC")  # a Saturday
    now = pendulum.datetime(2026, 11, 20, 12, tz="UTC")
    plan = rules.plan(_rule("arrival_check"), _order(eta=eta), Clock(now, REP_ZONE))
    assert plan is not None
    (task,) = plan.tasks
    assert _local(task.due_at, "Europe/Berlin") == "Mon 2026-12-07 09:00"
    assert task.key == "arrival_check|o9|20261205+0d"
    later = rules.plan(_rule("arrival_check"), _order(eta=eta.add(days=3)), Clock(now, REP_ZONE))
    assert later is not None and later.tasks[0].key != task.key
    arrived = rules.plan(
        _rule("arrival_check"), _order(eta=eta, arrived_at=eta), Clock(now, REP_ZONE)
    )
    assert arrived is not None and arrived.closed and not arrived.tasks


def test_feedback_is_asked_after_delivery() -> None:
    arrived = pendulum.datetime(2026, 11, 16, 10, tz="Europe/Berlin")
    plan = rules.plan(
        _rule("feedback_request"), _order(arrived_at=arrived), Clock(arrived, REP_ZONE)
    )
    assert plan is not None
    assert _local(plan.tasks[0].due_at, "Europe/Berlin") == "Thu 2026-11-19 10:00"
    done = rules.plan(
        _rule("feedback_request"),
        _order(arrived_at=arrived, feedback_at=arrived.add(days=2)),
        Clock(arrived, REP_ZONE),
    )
    assert done is not None and done.closed and not done.tasks


@pytest.mark.parametrize(
    ("potential", "expected"),
    [
        (Potential.A, "Wed 2026-12-02 10:00"),  # monthly: 30 days on
        # Quarterly: 90 days after Mon 2 Nov is Sun 31 Jan 2027, so Monday 09:00.
        (Potential.B, "Mon 2027-02-01 09:00"),
        (Potential.C, "Mon 2027-02-01 09:00"),
        (None, "Mon 2027-02-01 09:00"),
    ],
)
def test_nurturing_follows_the_potential(potential: Potential | None, expected: str) -> None:
    last = pendulum.datetime(2026, 11, 2, 10, tz="Europe/Berlin")  # Monday
    fact = NurtureFact(
        party=_party("Europe/Berlin", "DE"), potential=potential, last_touch_at=last, delivered=True
    )
    plan = rules.plan(_rule("nurture"), fact, Clock(last, REP_ZONE))
    assert plan is not None
    assert _local(plan.tasks[0].due_at, "Europe/Berlin") == expected
    assert plan.tasks[0].kind is TaskKind.NURTURE
    not_yet = rules.plan(_rule("nurture"), replace(fact, delivered=False), Clock(last, REP_ZONE))
    assert not_yet is not None and not not_yet.tasks


def test_the_background_check_is_for_new_customers_only() -> None:
    replied = pendulum.datetime(2026, 11, 25, 10, tz=REP_ZONE)
    fact = FirstReplyFact(
        party=_party("Europe/Berlin", "DE"),
        inquiry_id=3,
        replied_at=replied,
        background_check_done=False,
        stage=Stage.LEAD,
        last_inbound_at=None,
    )
    clock = Clock(replied, REP_ZONE)
    plan = rules.plan(_rule("first_reply.background_check"), fact, clock)
    assert plan is not None and plan.tasks[0].key == "first_reply.background_check|c7|0h"
    known = rules.plan(
        _rule("first_reply.background_check"), replace(fact, stage=Stage.NEGOTIATION), clock
    )
    assert known is not None and not known.tasks and known.closed
    done = rules.plan(
        _rule("first_reply.background_check"), replace(fact, background_check_done=True), clock
    )
    assert done is not None and not done.tasks
    day3 = rules.plan(_rule("first_reply.no_response_day3"), replace(fact, inquiry_id=None), clock)
    assert day3 is None


# -- which tasks are wanted ---------------------------------------------------------------------


def _quote_plans(sent: pendulum.DateTime, now: pendulum.DateTime) -> list[rules.Plan]:
    fact = _quote(sent, _party("Europe/Berlin", "DE"))
    plans = [
        rules.plan(_rule(i), fact, Clock(now, REP_ZONE)) for i in ("quote_nudge", "quote_follow_up")
    ]
    return [p for p in plans if p is not None]


def test_an_old_quote_seen_late_gets_one_task_not_three() -> None:
    sent = pendulum.datetime(2026, 11, 16, 10, tz="Europe/Berlin")  # Monday
    now = sent.add(days=7)  # the +5 days one fell on Saturday and landed on Monday 09:00
    decision = rules.decide(_quote_plans(sent, now), {}, Clock(now, REP_ZONE))
    assert [t.key for t in decision.create] == ["quote_follow_up|q12|5d"]


def test_tasks_due_within_the_horizon_are_made_ahead() -> None:
    sent = pendulum.datetime(2026, 11, 16, 10, tz="Europe/Berlin")
    now = sent.add(hours=2)  # the nudge is due; the +2 days one is not within a day yet
    decision = rules.decide(_quote_plans(sent, now), {}, Clock(now, REP_ZONE))
    assert [t.key for t in decision.create] == ["quote_nudge|q12|1h"]
    now = sent.add(days=1, hours=12)
    decision = rules.decide(
        _quote_plans(sent, now), {"quote_nudge|q12|1h": True}, Clock(now, REP_ZONE)
    )
    assert [t.key for t in decision.create] == ["quote_follow_up|q12|2d"]
    assert decision.retire == ()


def test_a_later_follow_up_supersedes_an_unticked_earlier_one() -> None:
    sent = pendulum.datetime(2026, 11, 16, 10, tz="Europe/Berlin")
    now = sent.add(days=7)
    existing = {"quote_nudge|q12|1h": False, "quote_follow_up|q12|2d": True}
    decision = rules.decide(_quote_plans(sent, now), existing, Clock(now, REP_ZONE))
    assert [t.key for t in decision.create] == ["quote_follow_up|q12|5d"]
    assert decision.retire == (("quote_follow_up|q12|2d", "superseded by a later follow-up"),)


def test_existing_tasks_are_never_made_twice_and_answered_ones_close() -> None:
    sent = pendulum.datetime(2026, 11, 16, 10, tz="Europe/Berlin")
    now = sent.add(days=3)
    existing = {"quote_follow_up|q12|2d": False}  # done already
    decision = rules.decide(_quote_plans(sent, now), existing, Clock(now, REP_ZONE))
    assert decision.create == () and decision.retire == ()
    answered = rules.plan(
        _rule("quote_follow_up"),
        _quote(sent, _party("Europe/Berlin", "DE"), inbound=sent.add(days=2, hours=1)),
        Clock(now, REP_ZONE),
    )
    assert answered is not None
    decision = rules.decide([answered], {"quote_follow_up|q12|2d": True}, Clock(now, REP_ZONE))
    assert decision.create == ()
    assert decision.retire == (("quote_follow_up|q12|2d", "the customer answered"),)


def test_rule_keys_split_back() -> None:
    assert rules.split_key(rules.rule_key("first_reply.no_response_day3", "i5", "3d")) == (
        "first_reply.no_response_day3",
        "i5",
        "3d",
    )
    assert rules.split_key("manual") is None
