"""The six KPIs on a hand-built data set whose answers are worked out here, line by line.

The rep sits in Shanghai (UTC+8); the clock is frozen at Fri 27 Nov 2026 04:00 UTC (12:00 in
Shanghai). "This week" is Mon 23 – Fri 27 Nov in Shanghai, i.e. 22 Nov 16:00 UTC – 27 Nov 16:00
UTC; the previous period is Mon 16 – Fri 20 Nov.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pendulum
import pytest

from sopdesk.services import reports
from sopdesk.sop import kpi
from sopdesk.sop.kpi import Kpi, PeriodKind, ReplyOutcome, Trend
from sopdesk.sop.stages import ActivityKind, Channel, Direction, Stage
from sopdesk.store.db import database
from sopdesk.store.models import Activity, Customer, Inquiry, Order, Rep, Sample

ZONE = "Asia/Shanghai"
NOW = pendulum.datetime(2026, 11, 27, 4, tz="UTC")


def utc(day: int, hour: int = 0, minute: int = 0, second: int = 0, month: int = 11):
    return pendulum.datetime(2026, month, day, hour, minute, second, tz="UTC")


# --- pure formulas ------------------------------------------------------------------------------


def test_ratio_and_reply_rate_leave_out_what_is_not_decided() -> None:
    assert kpi.ratio(1, 3) == Decimal("0.3333")
    assert kpi.ratio(0, 0) is None
    assert kpi.reply_rate_24h(met=19, missed=1) == Decimal("0.9500")
    assert kpi.reply_rate_24h(0, 0) is None


def test_reply_outcome_at_the_24_hour_edges() -> None:
    received = utc(20, 8)
    assert kpi.reply_outcome(received, received.add(hours=24), NOW) is ReplyOutcome.MET
    assert (
        kpi.reply_outcome(received, received.add(hours=24, seconds=1), NOW) is ReplyOutcome.MISSED
    )
    assert kpi.reply_outcome(NOW.subtract(hours=23), None, NOW) is ReplyOutcome.PENDING
    assert kpi.reply_outcome(NOW.subtract(hours=24), None, NOW) is ReplyOutcome.MISSED


def test_median_of_odd_even_and_no_values() -> None:
    assert kpi.median([600, 1800, 7200]) == 1800
    assert kpi.median([7200, 600, 93600, 1800]) == Decimal(4500)  # (1800 + 7200) / 2
    assert kpi.median([]) is None
    assert kpi.median_offsets(5) == (2,)
    assert kpi.median_offsets(4) == (1, 2)
    assert kpi.median_offsets(0) == ()


def test_effective_follow_up_needs_an_answer_after_our_first_reply() -> None:
    reply = utc(23, 3)
    assert kpi.is_effective(reply, [utc(23, 2), utc(24)])
    assert not kpi.is_effective(reply, [utc(23, 2), reply])
    assert not kpi.is_effective(None, [utc(24)])


def test_average_order_value_per_currency_and_converted() -> None:
    value = kpi.average_order_value(
        {"USD": (Decimal("10000"), 1), "EUR": (Decimal("5000"), 1), "CNY": (Decimal(7000), 1)},
        "USD",
        {"EUR": Decimal("1.10")},
    )
    # USD 10,000 + EUR 5,000 × 1.10 = 15,500 over 2 orders; CNY has no rate and is left out.
    assert value.average == Decimal("7750.00")
    assert value.orders == 2
    assert value.missing_rates == ("CNY",)
    assert [c.currency for c in value.per_currency] == ["CNY", "EUR", "USD"]
    assert value.per_currency[1].converted_total == Decimal("5500.00")
    empty = kpi.average_order_value({}, "USD", {})
    assert empty.average is None and empty.orders == 0


def test_target_and_trend_follow_the_kpis_own_sense_of_better() -> None:
    rate = kpi.KPI_SPECS[Kpi.REPLY_RATE_24H]
    assert kpi.meets_target(rate, Decimal("0.96")) is True
    assert kpi.meets_target(rate, Decimal("0.95")) is False  # the SOP says "> 95 %"
    median = kpi.KPI_SPECS[Kpi.FIRST_REPLY_MEDIAN]
    assert kpi.meets_target(median, Decimal(3600)) is True
    assert kpi.trend(median, Decimal(600), Decimal(1200)) is Trend.BETTER  # faster is better
    assert kpi.trend(rate, Decimal("0.9"), Decimal("0.95")) is Trend.WORSE
    assert kpi.trend(rate, None, Decimal("0.95")) is None


# --- periods ------------------------------------------------------------------------------------


def test_periods_are_whole_days_in_the_reps_zone() -> None:
    week = kpi.period_to_date(PeriodKind.WEEK, NOW, ZONE)
    assert (week.first_day, week.last_day) == (date(2026, 11, 23), date(2026, 11, 27))
    assert week.start == utc(22, 16)
    assert week.end == utc(27, 16)
    before = week.previous()
    assert (before.first_day, before.last_day) == (date(2026, 11, 16), date(2026, 11, 20))
    month = kpi.period_to_date(PeriodKind.MONTH, NOW, ZONE)
    assert month.previous().first_day == date(2026, 10, 1)
    assert month.previous().last_day == date(2026, 10, 27)  # the same days of last month
    quarter = kpi.period_to_date(PeriodKind.QUARTER, NOW, ZONE)
    assert quarter.first_day == date(2026, 10, 1)
    assert quarter.previous().first_day == date(2026, 7, 1)


def test_a_whole_month_typed_in_compares_with_the_whole_previous_month() -> None:
    march = kpi.custom_period(date(2026, 3, 1), date(2026, 3, 31), ZONE)
    assert march.kind is PeriodKind.MONTH
    feb = march.previous()
    assert (feb.first_day, feb.last_day) == (date(2026, 2, 1), date(2026, 2, 28))
    q1 = kpi.custom_period(date(2026, 1, 1), date(2026, 3, 31), ZONE)
    assert q1.kind is PeriodKind.QUARTER
    assert q1.previous().first_day == date(2025, 10, 1)
    assert q1.previous().last_day == date(2025, 12, 31)
    ten = kpi.custom_period(date(2026, 3, 5), date(2026, 3, 14), ZONE)
    assert ten.previous().first_day == date(2026, 2, 23)
    assert ten.previous().last_day == date(2026, 3, 4)
    with pytest.raises(ValueError):
        kpi.custom_period(date(2026, 3, 5), date(2026, 3, 4), ZONE)


def test_a_dst_change_keeps_periods_on_local_midnight() -> None:
    # Berlin leaves summer time on 25 Oct 2026: that week is 169 hours long.
    week = kpi.custom_period(date(2026, 10, 19), date(2026, 10, 25), "Europe/Berlin")
    assert week.start == pendulum.datetime(2026, 10, 18, 22, tz="UTC")
    assert week.end == pendulum.datetime(2026, 10, 25, 23, tz="UTC")


# --- the hand-built data set --------------------------------------------------------------------


def _customer(number: int, owner: Rep, zone: str = "UTC") -> Customer:
    return Customer.create(
        number=number,
        company=f"Customer {number}",
        timezone=zone,
        stage=Stage.LEAD,
        stage_since=utc(1),
        owner=owner,
    )


def _inquiry(customer: Customer, received, replied=None, owner=None, archived=False) -> Inquiry:
    return Inquiry.create(
        customer=customer,
        owner=owner,
        channel=Channel.SITE_INQUIRY,
        received_at=received,
        first_reply_at=replied,
        archived=archived,
    )


def _inbound(customer: Customer, at) -> None:
    Activity.create(customer=customer, kind=ActivityKind.EMAIL, direction=Direction.IN, at=at)


def _order(customer: Customer, number: str, at, total: str, currency: str = "USD") -> None:
    Order.create(
        number=number, customer=customer, total=Decimal(total), currency=currency, ordered_at=at
    )


@pytest.fixture
def data(store):
    """Two reps, five customers; every row commented with the KPI it feeds."""
    with database.connection_context(), database.atomic():
        a = Rep.create(login="anna", timezone=ZONE)
        b = Rep.create(login="bo", timezone=ZONE)
        c1 = _customer(1, a, "America/New_York")
        c2 = _customer(2, a)
        c3 = _customer(3, b)
        c4 = _customer(4, b)
        c5 = _customer(5, b, "America/Los_Angeles")
        # This week's inquiries (received between 22 Nov 16:00 and 27 Nov 16:00 UTC):
        i1 = _inquiry(c1, utc(23, 2), utc(23, 2, 30))  # met, 30 min
        _inbound(c1, utc(23, 1))  # before the reply: does not make it effective …
        _inbound(c1, utc(23, 5))  # … this answer after the reply does
        _inquiry(c2, utc(24, 9), utc(25, 11), owner=b)  # missed: replied after 26 h; Bo's
        _inquiry(c3, utc(25, 0))  # missed: unanswered for 52 h
        _inquiry(c3, utc(27, 1))  # pending: unanswered, only 3 h old
        _inquiry(c4, utc(26, 3), utc(26, 5))  # met, 2 h
        _inbound(c4, utc(26, 4))  # the buyer wrote while waiting: not an answer to us
        _inquiry(c2, utc(25, 8), archived=True)  # archived: not counted at all
        # The period boundary, in the customer's zone: Sun 22 Nov 23:30 in Los Angeles is
        # Mon 23 Nov 15:30 in Shanghai, so it is this week's inquiry (met, 10 min).
        _inquiry(c5, utc(23, 7, 30), utc(23, 7, 40))
        # Sun 22 Nov 23:59:59 in Shanghai: the previous week's (met, 5 min).
        _inquiry(c5, utc(22, 15, 59, 59), utc(22, 16, 4, 59))
        # Previous week: met in 2 h and answered by the buyer afterwards.
        _inquiry(c4, utc(18, 2), utc(18, 4))
        _inbound(c4, utc(19))
        # Samples this week: C1 (then orders), C1 again, C2 (no order), C3 (ordered only before).
        Sample.create(customer=c1, sent_at=utc(24, 6))
        Sample.create(customer=c1, sent_at=utc(25, 6))
        Sample.create(customer=c2, sent_at=utc(25, 6))
        Sample.create(customer=c3, sent_at=utc(24, 6))
        Sample.create(customer=c4)  # not sent yet: not counted
        # Orders.
        _order(c3, "SO-1", utc(1), "2000")  # before the week: C3's first
        _order(c4, "SO-2", utc(10, month=10), "3000")  # C4's first, in October
        _order(c4, "SO-3", utc(25, 2), "5000", "EUR")  # this week, C4's second
        _order(c1, "SO-4", utc(26, 2), "10000")  # this week, C1's first
        _order(c5, "SO-5", utc(27, 1), "7000", "CNY")  # this week, C5's first
    return {"anna": a.id, "bo": b.id, "i1": i1.id}


def _report(rep_id=None, rates=None):
    week = kpi.period_to_date(PeriodKind.WEEK, NOW, ZONE)
    return reports.kpi_report(week, NOW, rep_id, "USD", rates or {"EUR": Decimal("1.10")})


def test_the_six_kpis_this_week(data) -> None:
    report = _report()
    get = report.get
    # Reply rate: met I1, I5, I7 (3); missed I2, I3 (2); I4 pending, the archived one left out.
    assert get(Kpi.REPLY_RATE_24H).value == Decimal("0.6000")
    assert (get(Kpi.REPLY_RATE_24H).numerator, get(Kpi.REPLY_RATE_24H).denominator) == (3, 5)
    assert get(Kpi.REPLY_RATE_24H).meets_target is False
    assert report.figures.replies.pending == 1
    # Median first reply over 10 min, 30 min, 2 h, 26 h: (30 min + 2 h) / 2 = 75 min.
    assert get(Kpi.FIRST_REPLY_MEDIAN).value == kpi.median([600, 1800, 7200, 93600]) == 4500
    assert get(Kpi.FIRST_REPLY_MEDIAN).meets_target is False  # over an hour
    # Effective follow-up: only I1 was answered after our reply; 6 inquiries counted.
    assert get(Kpi.FOLLOWUP_CONVERSION).value == Decimal("0.1667")
    assert get(Kpi.FOLLOWUP_CONVERSION).denominator == 6
    # Sample → order: C1, C2, C3 were sent samples; only C1 ordered after it.
    assert get(Kpi.SAMPLE_TO_ORDER).value == Decimal("0.3333")
    # Average order value: USD 10,000 and EUR 5,000 (= USD 5,500): 7,750; CNY without a rate.
    aov = get(Kpi.AVERAGE_ORDER_VALUE)
    assert aov.value == Decimal("7750.00")
    assert aov.detail is not None and aov.detail.missing_rates == ("CNY",)
    # Repurchase: C1, C3, C4, C5 have ordered by the end of the week; C4 twice: 1/4.
    assert get(Kpi.REPURCHASE_RATE).value == Decimal("0.2500")
    # New customers: first orders this week — C1 and C5 (C4's first was in October).
    assert get(Kpi.NEW_CUSTOMERS).value == 2


def test_the_previous_week_and_the_trend(data) -> None:
    report = _report()
    get = report.get
    # "This week so far" (Mon–Fri) is compared with Mon 16 – Fri 20: only I9 (2 h, answered
    # by the buyer afterwards). I8 came on Sunday 22 Nov (Shanghai), outside both spans.
    assert (report.previous.first_day, report.previous.last_day) == (
        date(2026, 11, 16),
        date(2026, 11, 20),
    )
    assert get(Kpi.REPLY_RATE_24H).previous == Decimal("1.0000")
    assert get(Kpi.REPLY_RATE_24H).trend is Trend.WORSE
    assert get(Kpi.FIRST_REPLY_MEDIAN).previous == 7200
    assert get(Kpi.FIRST_REPLY_MEDIAN).trend is Trend.BETTER  # 75 min < 2 h
    assert get(Kpi.FOLLOWUP_CONVERSION).previous == Decimal("1.0000")
    assert get(Kpi.FOLLOWUP_CONVERSION).trend is Trend.WORSE
    # By 20 Nov: C3 and C4 had ordered once each.
    assert get(Kpi.REPURCHASE_RATE).previous == Decimal("0.0000")
    assert get(Kpi.NEW_CUSTOMERS).previous == 0
    assert get(Kpi.NEW_CUSTOMERS).trend is Trend.BETTER
    assert get(Kpi.AVERAGE_ORDER_VALUE).previous is None


def test_whole_weeks_split_at_the_reps_midnight(data) -> None:
    # Whole weeks Mon–Sun: I8 (Sun 23:59:59 in Shanghai) closes the previous week; I7, sent on
    # Sunday evening in Los Angeles, is Monday afternoon in Shanghai and opens this one.
    this_week = kpi.custom_period(date(2026, 11, 23), date(2026, 11, 29), ZONE)
    last_week = this_week.previous()
    assert (last_week.first_day, last_week.last_day) == (date(2026, 11, 16), date(2026, 11, 22))
    report = reports.kpi_report(this_week, NOW, None, "USD", {})
    assert report.get(Kpi.FIRST_REPLY_MEDIAN).previous == kpi.median([300, 7200])  # I8, I9
    assert report.get(Kpi.REPLY_RATE_24H).numerator == 3  # I1, I5, I7


def test_per_rep_counts_the_inquirys_owner_before_the_customers(data) -> None:
    anna = _report(data["anna"]).get
    # Anna: I1 only (I2 is on her customer but owned by Bo).
    assert anna(Kpi.REPLY_RATE_24H).value == Decimal("1.0000")
    assert anna(Kpi.FOLLOWUP_CONVERSION).value == Decimal("1.0000")
    # Her customers C1, C2 got samples; C1 ordered.
    assert anna(Kpi.SAMPLE_TO_ORDER).value == Decimal("0.5000")
    assert anna(Kpi.NEW_CUSTOMERS).value == 1
    bo = _report(data["bo"]).get
    # Bo: I2, I3 missed; I5, I7 met; I4 pending.
    assert bo(Kpi.REPLY_RATE_24H).value == Decimal("0.5000")
    assert bo(Kpi.REPURCHASE_RATE).value == Decimal("0.3333")  # C3, C4, C5; C4 twice


def test_rep_ids_by_login(data) -> None:
    assert reports.rep_id_for("anna") == data["anna"]
    assert reports.rep_id_for("nobody") is None


def test_no_data_gives_no_values_and_zero_new_customers(store) -> None:
    report = _report()
    for value in report.values:
        if value.kpi is Kpi.NEW_CUSTOMERS:
            assert value.value == 0
        else:
            assert value.value is None, value.kpi
        assert value.meets_target is None or value.kpi is Kpi.NEW_CUSTOMERS


def test_one_customer_one_quick_reply(store) -> None:
    with database.connection_context(), database.atomic():
        rep = Rep.create(login="solo", timezone=ZONE)
        c = _customer(1, rep)
        _inquiry(c, utc(26, 1), utc(26, 1, 4))
        _order(c, "SO-1", utc(26, 6), "1234.50")
    get = _report().get
    assert get(Kpi.REPLY_RATE_24H).value == Decimal("1.0000")
    assert get(Kpi.REPLY_RATE_24H).meets_target is True
    assert get(Kpi.FIRST_REPLY_MEDIAN).value == 240
    assert get(Kpi.FOLLOWUP_CONVERSION).value == Decimal("0.0000")
    assert get(Kpi.SAMPLE_TO_ORDER).value is None
    assert get(Kpi.AVERAGE_ORDER_VALUE).value == Decimal("1234.50")
    assert get(Kpi.REPURCHASE_RATE).value == Decimal("0.0000")
    assert get(Kpi.NEW_CUSTOMERS).value == 1


def test_sql_reply_counts_agree_with_the_pure_rule(data) -> None:
    """The SQL aggregate and sop.kpi.reply_outcome classify every inquiry the same way."""
    week = kpi.period_to_date(PeriodKind.WEEK, NOW, ZONE)
    with database.connection_context():
        rows = list(
            Inquiry.select().where(
                Inquiry.received_at >= week.start, Inquiry.received_at < week.end, ~Inquiry.archived
            )
        )
        counts = reports.reply_counts(week, NOW)
    outcomes = [kpi.reply_outcome(i.received_at, i.first_reply_at, NOW) for i in rows]
    assert counts.met == outcomes.count(ReplyOutcome.MET)
    assert counts.missed == outcomes.count(ReplyOutcome.MISSED)
    assert counts.pending == outcomes.count(ReplyOutcome.PENDING)
    seconds = [
        kpi.response_seconds(i.received_at, i.first_reply_at) for i in rows if i.first_reply_at
    ]
    assert counts.median_seconds == kpi.median(seconds)


def test_a_period_of_one_day_in_the_customers_zone_boundary(data) -> None:
    # Mon 23 Nov in Shanghai holds I1 (02:00 UTC) and I7 (07:30 UTC) — for the LA customer I7
    # was still Sunday, but periods are the rep's.
    monday = kpi.custom_period(date(2026, 11, 23), date(2026, 11, 23), ZONE)
    with database.connection_context():
        counts = reports.reply_counts(monday, NOW)
    assert counts.received == 2 and counts.met == 2
    sunday = monday.previous()
    with database.connection_context():
        assert reports.reply_counts(sunday, NOW).received == 1  # I8 at 23:59:59 Shanghai
    assert sunday.end - timedelta(seconds=1) == utc(22, 15, 59, 59)


def test_targets_come_from_the_playbook(data, isolated_home) -> None:
    from sopdesk import locations

    shipped = _report().get
    # The shipped playbook sets 60 % for the effective follow-up; 16.7 % is below it.
    assert shipped(Kpi.FOLLOWUP_CONVERSION).target == Decimal("0.60")
    assert shipped(Kpi.FOLLOWUP_CONVERSION).meets_target is False
    assert shipped(Kpi.FIRST_REPLY_MEDIAN).target == 3600  # the reply clock's "never later"
    # A team file lowers the reply-rate target: 60 % now beats "> 50 %".
    team = locations.config_dir() / "playbook.toml"
    team.parent.mkdir(parents=True, exist_ok=True)
    team.write_text("[kpi.reply_rate_24h]\ntarget_percent = 50\n", encoding="utf-8")
    get = _report().get
    assert get(Kpi.REPLY_RATE_24H).target == Decimal("0.50")
    assert get(Kpi.REPLY_RATE_24H).meets_target is True


def test_specs_from_a_playbook_mapping() -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Target:
        title: str
        target: Decimal | None
        higher_is_better: bool

    specs = kpi.specs_from_playbook(
        {"sample_to_order": Target("Sample → order", Decimal("0.4"), True)}, timedelta(minutes=30)
    )
    assert specs[Kpi.SAMPLE_TO_ORDER].target == Decimal("0.4")
    assert (
        kpi.meets_target(specs[Kpi.SAMPLE_TO_ORDER], Decimal("0.4")) is True
    )  # reaching is enough
    assert specs[Kpi.FIRST_REPLY_MEDIAN].target == 1800
    assert specs[Kpi.REPLY_RATE_24H] == kpi.KPI_SPECS[Kpi.REPLY_RATE_24H]
