"""The funnel for a period, the meetings, store data, zero-effect products, the RFQ log and
`sopdesk report`, on hand-built data whose answers are worked out here."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pendulum
import pytest
from click.testing import CliRunner

from sopdesk.cli import main
from sopdesk.services import meetings, reports, rfqs, store_data
from sopdesk.sop import kpi
from sopdesk.sop import metrics as rules
from sopdesk.sop.kpi import PeriodKind
from sopdesk.sop.metrics import Improvement, ZeroEffectReason
from sopdesk.sop.stages import Channel, LostReason, Stage, TaskKind
from sopdesk.store.db import database
from sopdesk.store.models import (
    Customer,
    Inquiry,
    Order,
    Product,
    ProductMetrics,
    Rep,
    StageChange,
    StoreMetrics,
    Task,
)

ZONE = "Asia/Shanghai"
NOW = pendulum.datetime(2026, 11, 27, 4, tz="UTC")
WEEK = kpi.period_to_date(PeriodKind.WEEK, NOW, ZONE)  # Mon 23 – Fri 27 Nov in Shanghai


def utc(day: int, hour: int = 0, minute: int = 0, month: int = 11):
    return pendulum.datetime(2026, month, day, hour, minute, tz="UTC")


# --- the funnel ---------------------------------------------------------------------------------


LEAD, INTENT, NEGOTIATION, ORDER, LOST = (
    Stage.LEAD,
    Stage.INTENT,
    Stage.NEGOTIATION,
    Stage.ORDER,
    Stage.LOST,
)


def _history(number: int, owner: Rep, steps, lost_reason=None) -> Customer:
    """A customer and its stage changes [(stage, at), …]; the last one is its stage now."""
    customer = Customer.create(
        number=number,
        company=f"Customer {number}",
        stage=steps[-1][0],
        stage_since=steps[-1][1],
        lost_reason=lost_reason,
        owner=owner,
    )
    previous = None
    for stage, at in steps:
        StageChange.create(customer=customer, from_stage=previous, to_stage=stage, at=at)
        previous = stage
    return customer


@pytest.fixture
def funnel_data(store):
    with database.connection_context(), database.atomic():
        a = Rep.create(login="anna", timezone=ZONE)
        b = Rep.create(login="bo", timezone=ZONE)
        c1 = _history(
            1,
            a,
            [
                (LEAD, utc(23, 1)),
                (INTENT, utc(24, 1)),
                (NEGOTIATION, utc(25, 1)),
                (ORDER, utc(26, 1)),
            ],
        )
        _history(2, a, [(LEAD, utc(23, 1)), (INTENT, utc(25, 1))])
        c3 = _history(
            3, b, [(LEAD, utc(10, 1)), (INTENT, utc(24, 2)), (LOST, utc(26, 1))], LostReason.PRICE
        )
        _history(4, b, [(LEAD, utc(24, 1)), (LOST, utc(25, 1))], LostReason.NO_RESPONSE)
        _history(5, b, [(LEAD, utc(24, 3))])
        merged = _history(6, a, [(LEAD, utc(24, 1))])
        merged.merged_into = c1
        merged.save()
    return {"anna": a.id, "bo": b.id, "c1": c1.id, "c3": c3.id}


def _row(report, stage):
    return next(r for r in report.rows if r.stage is stage)


def test_funnel_for_this_week(funnel_data) -> None:
    report = reports.funnel_report(WEEK)
    # Now: C1 order, C2 intent, C3 and C4 lost, C5 lead (C6 is merged away).
    assert [r.now for r in report.rows] == [1, 1, 0, 1, 0]
    assert (report.lost_now, report.dormant_now) == (2, 0)
    # New this week (first stage change in the week): C1, C2, C4, C5 — not C3 (since 10 Nov).
    assert report.cohort == 4
    # Furthest each got: C1 order, C2 intent, C4 and C5 lead.
    assert [r.reached for r in report.rows] == [4, 2, 1, 1, 0]
    lead, intent, negotiation, order, loyal = report.rows
    assert lead.conversion == Decimal("0.5000") and lead.target == Decimal("0.60")
    assert lead.gap == Decimal("-0.1000") and lead.below_target
    assert intent.conversion == Decimal("0.5000") and not intent.below_target  # 50 % ≥ 30 %
    assert negotiation.conversion == Decimal("1.0000")
    assert order.conversion == Decimal("0.0000") and order.below_target
    assert loyal.conversion is None and loyal.target is None
    # Moves into each stage during the week.
    assert [r.entered for r in report.rows] == [4, 3, 1, 1, 0]


def test_median_time_in_each_stage_over_the_stays_that_ended_this_week(funnel_data) -> None:
    report = reports.funnel_report(WEEK)
    day = 86400
    # Lead stays ended this week: C1 1 d, C2 2 d, C4 1 d, C3 14 d 1 h.
    assert _row(report, Stage.LEAD).stays == 4
    assert _row(report, Stage.LEAD).median_seconds == kpi.median(
        [day, 2 * day, day, 14 * day + 3600]
    )
    # Intent: C1 1 d, C3 (24 Nov 02:00 → 26 Nov 01:00) 1 d 23 h.
    assert _row(report, Stage.INTENT).median_seconds == kpi.median([day, 2 * day - 3600])
    assert _row(report, Stage.NEGOTIATION).median_seconds == day
    assert _row(report, Stage.ORDER).median_seconds is None


def test_lost_reasons_per_stage(funnel_data) -> None:
    report = reports.funnel_report(WEEK)
    found = {(r.from_stage, r.reason): r.customers for r in report.lost_reasons}
    assert found == {(Stage.LEAD, LostReason.NO_RESPONSE): 1, (Stage.INTENT, LostReason.PRICE): 1}


def test_funnel_over_all_time_and_per_rep(funnel_data) -> None:
    everyone = reports.funnel_report(None)
    assert [r.reached for r in everyone.rows] == [5, 3, 1, 1, 0]  # C3 reached intent too
    bo = reports.funnel_report(WEEK, funnel_data["bo"])
    assert bo.cohort == 2  # C4, C5
    assert [r.entered for r in bo.rows] == [2, 1, 0, 0, 0]
    empty = reports.funnel_report(kpi.custom_period(date(2026, 1, 1), date(2026, 1, 31), ZONE))
    assert empty.cohort == 0 and all(r.conversion is None for r in empty.rows)


def test_stage_customers_behind_a_bar(funnel_data) -> None:
    entered = reports.stage_customers(Stage.INTENT, WEEK)
    assert [c.name for c in entered] == ["Customer 2", "Customer 3", "Customer 1"]  # latest first
    assert entered[1].stage is Stage.LOST
    now = reports.stage_customers(Stage.LOST, None)
    assert {c.name for c in now} == {"Customer 3", "Customer 4"}
    assert len(reports.stage_customers(Stage.LEAD, WEEK, limit=2)) == 2


# --- store data and zero-effect products --------------------------------------------------------


def test_sparkline_and_change_rules() -> None:
    assert rules.sparkline([0, 7, None, 14]) == "▁▅ █"  # 7 of 14 is 3.5 of 7 steps: 4
    assert rules.sparkline([5, 5]) == "▄▄"
    assert rules.sparkline([]) == ""
    assert rules.change(150, Decimal(100)).label() == "▲ 50.0%"
    assert rules.change(50, Decimal(100)).label() == "▼ 50.0%"
    assert rules.change(3, 0).label() == "▲ new"
    assert rules.change(0, 0).label() == "= 0.0%"
    assert rules.change(None, 5) is None


def test_zero_effect_rules() -> None:
    store_ctr = Decimal("0.02")
    rule = rules.zero_effect_reason
    assert rule(rules.ProductTotals("a", 0, 0, 0), store_ctr) is ZeroEffectReason.NO_EXPOSURE
    assert rule(rules.ProductTotals("b", 1000, 0, 0), store_ctr) is ZeroEffectReason.NO_CLICKS
    assert rule(rules.ProductTotals("c", 1000, 4, 0), store_ctr) is ZeroEffectReason.LOW_CTR
    assert rule(rules.ProductTotals("d", 1000, 5, 0), store_ctr) is None  # 0.5 % is a quarter
    assert rule(rules.ProductTotals("e", 100, 0, 0), store_ctr) is ZeroEffectReason.NO_CLICKS
    assert rule(rules.ProductTotals("f", 150, 1, 0), store_ctr) is None  # too little to judge
    assert rule(rules.ProductTotals("g", 0, 0, 1), store_ctr) is None  # an inquiry: effective
    assert rules.IMPROVEMENTS[ZeroEffectReason.NO_EXPOSURE] == (
        Improvement.KEYWORDS,
        Improvement.TITLE,
    )


@pytest.fixture
def store_days(store):
    """Yesterday (26 Nov in Shanghai) 200 exposure; the 7 days before 100; the 21 before those
    50, except 1 Nov, which was never imported."""
    yesterday = date(2026, 11, 26)
    with database.connection_context(), database.atomic():
        StoreMetrics.create(
            day=yesterday, exposure=200, clicks=10, inquiries=3, tm_chats=0, visitors=50
        )
        for back in range(1, 29):
            day = yesterday - timedelta(days=back)
            if day == date(2026, 11, 1):
                continue
            value = 100 if back <= 7 else 50
            StoreMetrics.create(
                day=day, exposure=value, clicks=4, inquiries=1, tm_chats=2, visitors=20
            )
    return yesterday


def test_store_data_summary_against_the_averages(store_days) -> None:
    summary = store_data.store_data_summary(NOW, ZONE)
    assert summary.day == store_days and summary.has_data
    exposure = next(m for m in summary.metrics if m.field == "exposure")
    assert exposure.yesterday == 200
    assert exposure.average_7 == Decimal("100.00")
    # 28 days before: 7 × 100 and 20 × 50 (1 Nov missing, left out) = 1700 / 27.
    assert exposure.average_28 == Decimal("62.96")
    assert exposure.change_7.label() == "▲ 100.0%"
    assert exposure.change_28.percent == Decimal("217.7")
    tm = next(m for m in summary.metrics if m.field == "tm_chats")
    assert tm.change_7.label() == "▼ 100.0%"
    assert len(exposure.last_30) == 30 and exposure.last_30[0] is None  # 28 Oct: no data
    assert exposure.sparkline[-1] == "█" and " " in exposure.sparkline


def test_store_data_summary_without_data(store) -> None:
    summary = store_data.store_data_summary(NOW, ZONE)
    assert not summary.has_data and summary.last_day is None
    assert all(m.yesterday is None and m.change_7 is None for m in summary.metrics)


@pytest.fixture
def products(store):
    """30 days of product data ending 26 Nov; the store's CTR is 2 %."""
    with database.connection_context(), database.atomic():
        ids = {
            name: Product.create(sku=name, name=name).id
            for name in ("unseen", "unclicked", "weak", "fine", "asked")
        }
        per_day = {
            "unseen": (0, 0, 0),
            "unclicked": (40, 0, 0),
            "weak": (40, 0, 0),
            "fine": (40, 2, 0),
            "asked": (10, 1, 0),
        }
        for back in range(30):
            day = date(2026, 11, 26) - timedelta(days=back)
            StoreMetrics.create(day=day, exposure=1000, clicks=20)
            for name, (exposure, clicks, inquiries) in per_day.items():
                if name == "weak" and back == 0:
                    clicks = 3  # 3 clicks in 1200 exposures: 0.25 %, far below 2 %
                if name == "asked" and back == 5:
                    inquiries = 1
                ProductMetrics.create(
                    day=day,
                    product=ids[name],
                    product_name=name,
                    exposure=exposure,
                    clicks=clicks,
                    inquiries=inquiries,
                )
    return ids


def test_zero_effect_products_over_the_window(products) -> None:
    listing = store_data.zero_effect_products(ZONE)
    assert (listing.first_day, listing.last_day) == (date(2026, 10, 28), date(2026, 11, 26))
    assert listing.store_ctr == Decimal("0.0200")
    found = {p.name: p.reason for p in listing.products}
    assert found == {
        "unseen": ZeroEffectReason.NO_EXPOSURE,
        "unclicked": ZeroEffectReason.NO_CLICKS,
        "weak": ZeroEffectReason.LOW_CTR,
    }
    weak = next(p for p in listing.products if p.name == "weak")
    assert (weak.exposure, weak.clicks, weak.ctr) == (1200, 3, Decimal("0.0025"))


def test_a_task_per_zero_effect_product_until_marked_optimised(products) -> None:
    created = store_data.sync_zero_effect_tasks(NOW, ZONE)
    assert created == 3
    assert store_data.sync_zero_effect_tasks(NOW, ZONE) == 0  # one open task each, no more
    with database.connection_context():
        tasks = {t.source: t for t in Task.select().where(Task.source.startswith("zero_effect:"))}
    unseen = tasks[f"zero_effect:{products['unseen']}"]
    assert unseen.kind is TaskKind.OTHER and "unseen" in unseen.title
    assert "keywords" in unseen.why
    # Marking a product optimised closes its task and takes it off the list.
    store_data.mark_optimised(products["unclicked"], NOW)
    listing = store_data.zero_effect_products(ZONE)
    assert {p.name for p in listing.products} == {"unseen", "weak"}
    with database.connection_context():
        assert Task.get(Task.source == f"zero_effect:{products['unclicked']}").done_at == NOW
        # Ticking the task in Today counts as "optimised" too.
        Task.update(done_at=NOW).where(Task.source == f"zero_effect:{products['weak']}").execute()
    assert store_data.sync_zero_effect_tasks(NOW, ZONE) == 0
    with database.connection_context():
        assert Product.get_by_id(products["weak"]).optimised_at == NOW
    # A product that got an inquiry is no longer zero-effect: its open task is closed as skipped.
    with database.connection_context():
        ProductMetrics.update(inquiries=1).where(
            ProductMetrics.product == products["unseen"], ProductMetrics.day == date(2026, 11, 20)
        ).execute()
    store_data.sync_zero_effect_tasks(NOW, ZONE)
    with database.connection_context():
        task = Task.get(Task.source == f"zero_effect:{products['unseen']}")
        assert task.done_at is None and task.skipped_reason


def test_no_product_data_no_zero_effect(store) -> None:
    listing = store_data.zero_effect_products(ZONE)
    assert listing.first_day is None and listing.products == ()
    assert store_data.sync_zero_effect_tasks(NOW, ZONE) == 0
    with pytest.raises(LookupError):
        store_data.mark_optimised(999, NOW)


# --- RFQs ---------------------------------------------------------------------------------------


def test_rfq_log_quote_result_and_quota(store) -> None:
    first = rfqs.log_rfq(utc(26, 2), "LED high bay 150W", "de", "500 pcs")
    second = rfqs.log_rfq(utc(27, 1), "Solar street light", "BR")
    old = rfqs.log_rfq(utc(10, 1), "LED panel", "FR")  # past the 7 days: no longer open
    assert rfqs.to_quote_count(NOW) == 2
    rfqs.quote(first, Decimal("18.50"), "usd", utc(26, 3))
    assert rfqs.to_quote_count(NOW) == 1
    rfqs.quote(old, Decimal("7"), "EUR", utc(31, 3, month=10))  # last month: not this quota
    rfqs.record_result(first, "sample", utc(27, 2))
    quota = rfqs.quota_status(NOW, ZONE, 20)
    assert (quota.used, quota.remaining) == (1, 19)
    assert (quota.first_day, quota.last_day) == (date(2026, 11, 1), date(2026, 11, 30))
    rows = rfqs.window()
    assert [r.rfq_id for r in rows] == [second, first, old]
    assert rows[1].price == Decimal("18.5000") and rows[1].currency == "USD"
    assert rows[1].result == "sample" and rows[1].buyer_country == "DE"
    assert [r.rfq_id for r in rfqs.window(after=(rows[0].posted_at.isoformat(), second))] != []
    with pytest.raises(rfqs.RfqError):
        rfqs.log_rfq(utc(26), "  ")
    with pytest.raises(rfqs.RfqError):
        rfqs.log_rfq(utc(26), "x", "Germany")
    with pytest.raises(rfqs.RfqError):
        rfqs.quote(second, Decimal("-1"), "USD", NOW)
    with pytest.raises(rfqs.RfqError):
        rfqs.record_result(second, "maybe", NOW)
    with pytest.raises(rfqs.RfqError):
        rfqs.quote(9999, Decimal("1"), "USD", NOW)


# --- the meetings -------------------------------------------------------------------------------


@pytest.fixture
def meeting_data(store_days):
    with database.connection_context(), database.atomic():
        rep = Rep.create(login="anna", timezone=ZONE)
        c = Customer.create(number=1, company="Müller [Licht] GmbH", stage=Stage.INTENT,
                            stage_since=utc(1), owner=rep)  # fmt: skip
        StageChange.create(customer=c, to_stage=Stage.LEAD, at=utc(1, 1, month=10))
        StageChange.create(customer=c, from_stage=Stage.LEAD, to_stage=Stage.INTENT, at=utc(1))
        # Yesterday in Shanghai is 25 Nov 16:00 – 26 Nov 16:00 UTC.
        for received, minutes in (
            (utc(25, 17), 4),
            (utc(26, 1), 30),
            (utc(26, 2), 90),
            (utc(26, 3), None),
        ):
            Inquiry.create(
                customer=c,
                channel=Channel.EMAIL,
                received_at=received,
                first_reply_at=received.add(minutes=minutes) if minutes else None,
            )
        Customer.create(number=2, company="Fresh Intent Ltd", stage=Stage.INTENT,
                        stage_since=utc(10), owner=rep)  # fmt: skip
        Task.create(customer=c, title="Call Jonas", due_at=utc(25, 1))  # overdue
        Task.create(customer=c, title="Send PI", due_at=utc(27, 9))  # today, Shanghai
        Task.create(customer=c, title="Next week", due_at=utc(30, 9))  # not today
        Order.create(number="SO-1", customer=c, total=Decimal("5000"), ordered_at=utc(24))
        StageChange.create(customer=c, from_stage=Stage.INTENT, to_stage=Stage.ORDER,
                           at=utc(24), reason="won on lead time")  # fmt: skip
    return rep.id


def test_morning_meeting(meeting_data) -> None:
    meeting = meetings.morning_meeting(NOW, ZONE)
    assert meeting.day.first_day == date(2026, 11, 26)
    assert meeting.store.has_data
    b = meeting.buckets
    assert (b.within_fresh, b.within_due, b.later, b.unanswered) == (1, 1, 1, 1)
    assert meeting.replies.received == 4
    assert meeting.replies.median_seconds == 1800  # 4 min, 30 min, 90 min
    assert meeting.reply_lines[0].seconds is None  # unanswered first, then the slowest
    assert [line.seconds for line in meeting.reply_lines[1:]] == [5400, 1800, 240]
    assert [f.title for f in meeting.follow_ups] == ["Call Jonas", "Send PI"]
    assert meeting.follow_ups[0].overdue and not meeting.follow_ups[1].overdue
    assert meeting.unanswered_now == 1


def test_weekly_review(meeting_data) -> None:
    review = meetings.weekly_review(WEEK, NOW)
    assert review.orders_total == 1
    assert review.orders[0].reason == "won on lead time"
    assert review.orders[0].total == Decimal("5000")
    assert review.lost_total == 0
    # The playbook lets a customer sit in intent for 21 days: since 1 Nov is stale, since
    # 10 Nov (17 days) is not yet.
    assert [d.customer for d in review.stale] == ["Müller [Licht] GmbH"]
    assert review.kpis.period == WEEK
    stricter = meetings.weekly_review(WEEK, NOW, stale_after={Stage.INTENT: timedelta(days=14)})
    assert [d.customer for d in stricter.stale] == ["Müller [Licht] GmbH", "Fresh Intent Ltd"]


# --- sopdesk report -----------------------------------------------------------------------------


def _run(db_path: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db_path), "report", *args])


def test_report_kpi_in_every_format(meeting_data, store: Path) -> None:
    result = _run(store, "kpi", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["report"] == "kpi" and data["period"]["kind"] == "month"
    rows = {row["kpi"]: row for row in data["sections"]["kpis"]}
    assert list(rows) == [k.value for k in kpi.Kpi]
    assert rows["reply_rate_24h"]["value"] == "0.7500"  # 3 of 4: the unanswered one is 25 h old
    assert rows["reply_rate_24h"]["target"] == "0.95"
    assert rows["reply_rate_24h"]["meets_target"] is False
    assert rows["new_customers"]["value"] == "1"
    result = _run(store, "kpi", "--format", "csv")
    assert result.exit_code == 0
    table = list(csv.DictReader(io.StringIO(result.output)))
    assert table[0].keys() == {
        "kpi", "value", "unit", "numerator", "denominator", "target", "meets_target",
        "previous", "delta", "trend",
    }  # fmt: skip
    assert table[0]["kpi"] == "reply_rate_24h" and table[0]["meets_target"] == "false"
    result = _run(store, "kpi")
    assert result.exit_code == 0
    assert "| reply_rate_24h | 75.0% | ratio |" in result.output


def test_report_funnel_daily_weekly(meeting_data, store: Path) -> None:
    funnel = _run(store, "funnel", "--period", "all", "--format", "csv")
    assert funnel.exit_code == 0, funnel.output
    rows = list(csv.DictReader(io.StringIO(funnel.output)))
    assert [r["stage"] for r in rows] == ["lead", "intent", "negotiation", "order", "loyal"]
    assert rows[1]["reached"] == "1" and rows[0]["conversion"] == "1"
    daily = _run(store, "daily", "--format", "csv")
    assert daily.exit_code == 0, daily.output
    long = list(csv.DictReader(io.StringIO(daily.output)))
    assert {r["section"] for r in long} >= {"store_data", "replies", "reply_times", "follow_ups"}
    received = next(r for r in long if r["section"] == "replies" and r["value"] == "4")
    assert received["row"] == "1"
    one = _run(store, "daily", "--format", "csv", "--section", "reply_times")
    assert one.output.splitlines()[0].startswith("inquiry_id,customer_id,customer")
    md = _run(store, "weekly", "--from", "2026-11-23", "--to", "2026-11-29")
    assert md.exit_code == 0, md.output
    assert "Müller [Licht] GmbH" in md.output and "won on lead time" in md.output
    as_json = json.loads(_run(store, "weekly", "--format", "json").output)
    assert as_json["sections"]["orders_won"][0]["total"] == "5000"
    assert as_json["period"]["previous"]["from"] == "2026-11-16"


def test_report_for_one_rep_and_bad_input(meeting_data, store: Path, tmp_path: Path) -> None:
    assert _run(store, "kpi", "--rep", "anna", "--format", "json").exit_code == 0
    unknown = _run(store, "kpi", "--rep", "nobody")
    assert unknown.exit_code == 1 and "nobody" in unknown.output
    assert _run(store, "kpi", "--from", "2026-11-30", "--to", "2026-11-01").exit_code == 2
    assert _run(store, "kpi", "--to", "2026-11-01").exit_code == 2
    assert _run(store, "kpi", "--from", "30/11/2026").exit_code == 2
    assert _run(store, "kpi", "--period", "all").exit_code == 2
    assert _run(store, "kpi", "--section", "kpis").exit_code == 2  # --section needs csv
    assert _run(store, "daily", "--format", "csv", "--section", "nope").exit_code == 2
    missing = CliRunner().invoke(main, ["--db", str(tmp_path / "none.db"), "report", "kpi"])
    assert missing.exit_code == 1 and "no database" in missing.output


def test_markdown_never_breaks_on_customer_text(store: Path) -> None:
    with database.connection_context():
        c = Customer.create(number=7, company="Evil | \x1b]0;HACKED\x07 Co", stage=Stage.LEAD,
                            stage_since=utc(1))  # fmt: skip
        Inquiry.create(customer=c, channel=Channel.EMAIL, received_at=utc(26, 2))
    out = _run(store, "daily").output
    line = next(line for line in out.splitlines() if "Evil" in line)
    assert "\x1b" not in out and "\\|" in line


def test_rfq_commands(store: Path) -> None:
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, ["--db", str(store), "rfq", *args])

    added = run("add", "LED high bay 150W", "--country", "de", "--quantity", "500 pcs")
    assert added.exit_code == 0 and "RFQ 1 logged" in added.output
    assert run("add", "x", "--country", "Germany").exit_code == 1
    quoted = run("quote", "1", "18.50", "usd")
    assert quoted.exit_code == 0 and "1 of 20 quotes used this month" in quoted.output
    assert run("quote", "1", "cheap").exit_code == 1
    assert run("result", "1", "sample").exit_code == 0
    assert run("result", "1", "maybe").exit_code == 2
    listing = run("list")
    assert listing.exit_code == 0
    assert "To quote: 0" in listing.output and "USD 18.50" in listing.output
    assert "LED high bay 150W" in listing.output and "sample" in listing.output
