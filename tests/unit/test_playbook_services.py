"""The playbook against a real store: generated follow-ups (idempotent, closed when the facts
change, adopted when made elsewhere), stale deals, the Today queue, buying signals accepted as a
stage change, and the negotiation guidance from the order history."""

from __future__ import annotations

from decimal import Decimal

import pendulum
import pytest

from sopdesk.services import buying_signals, negotiation, playbook_tasks, stale_deals, today
from sopdesk.sop.stages import (
    ActivityKind,
    Channel,
    Direction,
    OrderStatus,
    Potential,
    QuoteStatus,
    Stage,
    TaskKind,
)
from sopdesk.store.db import database
from sopdesk.store.models import (
    Activity,
    ChecklistTick,
    Customer,
    Inquiry,
    Order,
    Quote,
    StageChange,
    Task,
)
from tests.timeline_words import stage_reasons

NOW = pendulum.datetime(2026, 11, 27, 4, tz="UTC")  # Friday, 12:00 in Shanghai
REP_ZONE = "Asia/Shanghai"

pytestmark = pytest.mark.usefixtures("store")


def _customer(number: int, stage: Stage = Stage.LEAD, **fields) -> Customer:
    values = {
        "number": number,
        "company": f"Buyer {number} GmbH",
        "country": "DE",
        "timezone": "Europe/Berlin",
        "stage": stage,
        "stage_since": NOW.subtract(days=1),
        **fields,
    }
    with database.connection_context():
        return Customer.create(**values)


def _inquiry(customer: Customer, received: pendulum.DateTime, body: str = "", **fields) -> Inquiry:
    with database.connection_context():
        return Inquiry.create(
            customer=customer,
            channel=Channel.EMAIL,
            received_at=received,
            subject=fields.pop("subject", "LED panels"),
            body=body,
            **fields,
        )


def _tasks(customer: Customer) -> list[Task]:
    with database.connection_context():
        return list(Task.select().where(Task.customer == customer.id).order_by(Task.due_at))


def _refresh() -> playbook_tasks.RefreshResult:
    return playbook_tasks.refresh(NOW, REP_ZONE)


# -- follow-ups from facts ----------------------------------------------------------------------


def test_a_first_reply_plans_the_check_and_the_day_3_follow_up_once() -> None:
    lead = _customer(1)
    _inquiry(lead, NOW.subtract(days=4), first_reply_at=NOW.subtract(days=4).add(minutes=3))
    first = _refresh()
    assert first.created == 2
    kinds = sorted(t.kind.value for t in _tasks(lead))
    assert kinds == ["background_check", "follow_up"]
    day3 = next(t for t in _tasks(lead) if t.kind is TaskKind.FOLLOW_UP)
    assert day3.source == "first_reply.no_response_day3"
    assert day3.rule_key and day3.rule_key.startswith("first_reply.no_response_day3|i")
    assert "no answer" in day3.why
    # Running again creates nothing.
    assert _refresh() == playbook_tasks.RefreshResult(0, 0, 0)
    assert len(_tasks(lead)) == 2


def test_an_answer_closes_the_follow_up_and_a_recorded_check_closes_the_task() -> None:
    lead = _customer(2)
    _inquiry(lead, NOW.subtract(days=4), first_reply_at=NOW.subtract(days=4).add(minutes=3))
    _refresh()
    with database.connection_context():
        Activity.create(
            customer=lead,
            kind=ActivityKind.EMAIL,
            direction=Direction.IN,
            at=NOW.subtract(hours=2),
            text="Thanks, we will check.",
        )
        Customer.update(background_check_done=True).where(Customer.id == lead.id).execute()
    result = _refresh()
    assert result.closed == 2 and result.created == 0
    tasks = {t.kind: t for t in _tasks(lead)}
    assert tasks[TaskKind.FOLLOW_UP].skipped_reason == (
        "Closed automatically: the customer answered"
    )
    assert tasks[TaskKind.BACKGROUND_CHECK].done_at == NOW
    assert _refresh().created == 0  # closed ones are not made again


def test_tasks_made_when_the_reply_was_marked_sent_are_adopted_not_doubled() -> None:
    from sopdesk import clock
    from sopdesk.services import replies

    lead = _customer(3)
    inquiry = _inquiry(lead, NOW.subtract(minutes=20))
    with clock.frozen(NOW.subtract(minutes=10)):
        sent = replies.mark_sent(inquiry.id, "Hi Jonas, thanks …", ActivityKind.EMAIL, None)
    assert len(sent.task_ids) == 2
    # The background check is due now: adopted at once.
    result = _refresh()
    assert (result.created, result.adopted) == (0, 1)
    # The day-3 follow-up is adopted when the engine would have made it, a day ahead.
    result = playbook_tasks.refresh(NOW.add(days=2, hours=12), REP_ZONE)
    assert (result.created, result.adopted) == (0, 1)
    assert len(_tasks(lead)) == 2
    assert all(t.rule_key for t in _tasks(lead))


def test_an_old_unanswered_quote_gets_its_latest_follow_up_only() -> None:
    buyer = _customer(4, Stage.INTENT)
    sent = pendulum.datetime(2026, 11, 20, 9, tz="Europe/Berlin")  # Friday a week ago
    with database.connection_context():
        Quote.create(
            year=2026, seq=12, customer=buyer, status=QuoteStatus.SENT, sent_at=sent, version=1
        )
    _refresh()
    (task,) = _tasks(buyer)
    assert task.rule_key == f"quote_follow_up|q{Quote.select().get().id}|5d"
    assert task.why == "Quote PI-2026-0012 sent 5 days ago, no answer."
    local = task.due_at.in_timezone("Europe/Berlin")
    assert (local.day_of_week, local.hour) == (2, 9)  # +5 = Wed 25th 09:00 in Berlin


def test_production_updates_and_nurturing_come_from_orders() -> None:
    making = _customer(5, Stage.ORDER)
    loyal = _customer(
        6,
        Stage.LOYAL,
        potential=Potential.A,
        last_activity_at=NOW.subtract(days=45),
    )
    with database.connection_context():
        Order.create(
            number="SO-1",
            customer=making,
            total=Decimal("1000"),
            ordered_at=NOW.subtract(days=20),
            status=OrderStatus.IN_PRODUCTION,
            production_started_at=NOW.subtract(days=15),
        )
        Order.create(
            number="SO-2",
            customer=loyal,
            total=Decimal("2000"),
            ordered_at=NOW.subtract(days=120),
            status=OrderStatus.COMPLETED,
            arrived_at=NOW.subtract(days=80),
            feedback_at=NOW.subtract(days=70),
        )
    _refresh()
    (update,) = _tasks(making)
    assert update.kind is TaskKind.PRODUCTION_UPDATE and update.rule_key.endswith("|w2")
    (keep_in_touch,) = _tasks(loyal)
    assert keep_in_touch.kind is TaskKind.NURTURE and "Potential A" in keep_in_touch.why
    # Ticked: the next one waits for a month after the tick, not for the old touch.
    today.toggle(f"task:{keep_in_touch.id}", NOW, REP_ZONE)
    assert _refresh().created == 0


def test_stale_deals_are_listed_flagged_and_cleared_by_a_stage_change() -> None:
    from sopdesk.services import records

    slow = _customer(7, Stage.NEGOTIATION, stage_since=NOW.subtract(days=40))
    fresh = _customer(8, Stage.NEGOTIATION, stage_since=NOW.subtract(days=3))
    deals = stale_deals.stale_deals(NOW)
    assert [d.customer_id for d in deals] == [slow.id]
    assert deals[0].days_in_stage == 40 and deals[0].limit_days == 30
    assert stale_deals.stale_customer_ids(NOW, [slow.id, fresh.id]) == {slow.id}
    _refresh()
    (task,) = _tasks(slow)
    assert task.source == "stale_deal" and "40 days in Negotiation" in task.why
    records.change_stage(slow.id, Stage.ORDER, by=None, why="deposit", now=NOW)
    assert _refresh().closed == 1
    (task,) = _tasks(slow)
    assert task.skipped_reason == "Closed automatically: the customer moved to another stage"


# -- the Today queue ------------------------------------------------------------------------------


def _queue() -> list:
    return today.today_items(NOW, REP_ZONE)


def test_the_queue_follows_the_sops_order() -> None:
    lead = _customer(10, stage_since=NOW.subtract(days=9))
    _inquiry(lead, NOW.subtract(minutes=80))  # unanswered, late
    old = _customer(11, Stage.INTENT)
    _inquiry(old, NOW.subtract(days=5), first_reply_at=NOW.subtract(days=5).add(minutes=4))
    with database.connection_context():
        Task.create(
            customer=old, title="Call back", due_at=NOW.add(hours=2), kind=TaskKind.FOLLOW_UP
        )
    sections = [item.section for item in _queue()]
    order = ["inquiry", "overdue", "today", "routine", "stale", "background"]
    assert sections == sorted(sections, key=order.index)
    assert set(sections) == set(order)
    overdue = next(i for i in _queue() if i.section == "overdue")
    assert overdue.overdue and overdue.due_at is not None and overdue.due_at < NOW


def test_tick_snooze_and_skip_are_recorded() -> None:
    buyer = _customer(12, Stage.INTENT)
    with database.connection_context():
        one = Task.create(customer=buyer, title="One", due_at=NOW.subtract(days=2))
        two = Task.create(customer=buyer, title="Two", due_at=NOW.subtract(hours=1))
        three = Task.create(customer=buyer, title="Three", due_at=NOW)
    assert today.toggle(f"task:{one.id}", NOW, REP_ZONE) is True
    with database.connection_context():
        assert Task.get_by_id(one.id).done_at == NOW
    until = today.snooze(f"task:{two.id}", today.snooze_tomorrow(NOW, REP_ZONE), NOW)
    assert until.in_timezone(REP_ZONE).format("ddd HH:mm") == "Sat 09:00"
    today.skip(f"task:{three.id}", "  the customer   called us ", NOW)
    keys = {i.key: i for i in _queue()}
    assert keys[f"task:{one.id}"].done
    assert f"task:{two.id}" not in keys  # back tomorrow
    assert f"task:{three.id}" not in keys
    with database.connection_context():
        assert Task.get_by_id(three.id).skipped_reason == "the customer called us"
    # An hour's snooze keeps it today, no longer overdue.
    with database.connection_context():
        four = Task.create(customer=buyer, title="Four", due_at=NOW.subtract(days=1))
    today.snooze(f"task:{four.id}", today.snooze_one_hour(NOW), NOW)
    item = next(i for i in _queue() if i.key == f"task:{four.id}")
    assert not item.overdue and item.due_at == NOW.add(hours=1) and item.section == "today"


def test_routine_and_inquiries_are_ticked_not_snoozed() -> None:
    lead = _customer(13)
    inquiry = _inquiry(lead, NOW.subtract(minutes=3))
    with pytest.raises(today.NotApplicableError):
        today.snooze("routine:store_data", NOW.add(hours=1), NOW)
    with pytest.raises(today.NotApplicableError):
        today.skip(f"inquiry:{inquiry.id}", "later", NOW)
    with pytest.raises(ValueError):
        today.skip("task:1", "   ", NOW)
    assert today.toggle("routine:store_data", NOW, REP_ZONE) is True
    with database.connection_context():
        assert ChecklistTick.get().day == "2026-11-27"
    # Ticking an inquiry records a reply made elsewhere: the clock stops now.
    assert today.toggle(f"inquiry:{inquiry.id}", NOW, REP_ZONE) is True
    with database.connection_context():
        assert Inquiry.get_by_id(inquiry.id).first_reply_at == NOW
    item = next(i for i in _queue() if i.key == f"inquiry:{inquiry.id}")
    assert item.done and item.section == "inquiry"
    with pytest.raises(today.NotApplicableError):
        today.toggle(f"inquiry:{inquiry.id}", NOW, REP_ZONE)


def test_next_walks_to_the_next_open_item_and_wraps() -> None:
    queue = _queue()  # the four routine items
    assert today.next_open_index(queue, 0) == 1
    assert today.next_open_index(queue, 3) == 0
    today.toggle("routine:zero_effect", NOW, REP_ZONE)
    queue = _queue()  # done items sink to the end of their section
    assert [i.key.split(":")[1] for i in queue] == [
        "store_data",
        "storefront",
        "rfq_market",
        "zero_effect",
    ]
    assert today.next_open_index(queue, 2) == 0  # past the ticked one, round to the start
    for key in ("store_data", "storefront", "rfq_market"):
        today.toggle(f"routine:{key}", NOW, REP_ZONE)
    assert today.next_open_index(_queue(), 0) is None


# -- buying signals and guidance ------------------------------------------------------------


def _conversation(customer: Customer, answer: str, opening: str = "Price for 500 pcs?") -> None:
    """An opening inquiry we answered, then the customer's answer as a logged inbound touch."""
    start = NOW.subtract(days=3)
    _inquiry(customer, start, body=opening, first_reply_at=start.add(minutes=4))
    with database.connection_context():
        Activity.create(
            customer=customer,
            kind=ActivityKind.EMAIL,
            direction=Direction.IN,
            at=NOW.subtract(days=2),
            subject="Re: LED panels",
            text=answer,
        )


def test_a_signal_suggests_negotiation_and_accepting_records_it() -> None:
    lead = _customer(20, Stage.INTENT)
    _conversation(lead, "Great. Could you send a sample to Hamburg first?")
    found = buying_signals.suggestion(lead.id, NOW)
    assert found is not None and found.to_stage is Stage.NEGOTIATION
    assert found.matched == "send a sample" and "Hamburg" in found.excerpt
    buying_signals.accept(lead.id, None, NOW)
    with database.connection_context():
        assert Customer.get_by_id(lead.id).stage is Stage.NEGOTIATION
        change = StageChange.get(StageChange.customer == lead.id)
    assert change.from_stage is Stage.INTENT and change.to_stage is Stage.NEGOTIATION
    (reason,) = stage_reasons(lead.id)  # as the timeline words it
    assert "asks for samples" in reason and "send a sample" in reason
    with pytest.raises(buying_signals.NoSignalError):
        buying_signals.accept(lead.id, None, NOW)


def test_no_suggestion_without_a_signal_or_past_the_stage() -> None:
    quiet = _customer(21)
    _conversation(quiet, "We are not ready for samples yet.")
    assert buying_signals.suggestion(quiet.id, NOW) is None
    ordered = _customer(22, Stage.ORDER)
    _conversation(ordered, "What is your best price for 5000 pcs?")
    assert buying_signals.suggestion(ordered.id, NOW) is None
    # The opening inquiry itself is not a signal: every inquiry asks for price and lead time.
    opening = _customer(23)
    _inquiry(opening, NOW.subtract(days=1), body="Best price and lead time for 5000 pcs?")
    assert buying_signals.suggestion(opening.id, NOW) is None
    old = _customer(24)
    start = NOW.subtract(days=95)
    _inquiry(old, start, body="Hello", first_reply_at=start.add(minutes=5))
    _inquiry(old, NOW.subtract(days=90), body="What is your best price for 5000 pcs?")
    assert buying_signals.suggestion(old.id, NOW) is None  # beyond the scan window


def test_guidance_knows_new_from_established_customers() -> None:
    new = _customer(30, Stage.NEGOTIATION)
    _conversation(new, "Can we pay by L/C?")
    view = negotiation.panel(new.id, NOW)
    assert view is not None and view.guidance is not None and view.suggestion is None
    assert not view.guidance.established
    assert view.guidance.lines[0].asked  # the payment question leads
    known = _customer(31, Stage.NEGOTIATION)
    with database.connection_context():
        Order.create(
            number="SO-9",
            customer=known,
            total=Decimal("500"),
            ordered_at=NOW.subtract(days=200),
            status=OrderStatus.COMPLETED,
            arrived_at=NOW.subtract(days=150),
        )
    view = negotiation.panel(known.id, NOW)
    assert view is not None and view.guidance is not None and view.guidance.established
    lead = _customer(32)
    view = negotiation.panel(lead.id, NOW)
    assert view is not None and view.guidance is None


# -- the team's reply clock and funnel targets reach every consumer ------------------------------


def _team(text: str) -> None:
    from sopdesk import locations

    path = locations.config_dir() / "playbook.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def test_a_team_reply_clock_moves_the_inbox_states_and_todays_due_times() -> None:
    from sopdesk import labels
    from sopdesk.services import inbox, meetings
    from sopdesk.sop.sla import ReplyState

    buyer = _customer(40)
    waiting = _inquiry(buyer, NOW.subtract(minutes=7), subject="Waiting seven minutes")
    ninety = _inquiry(buyer, NOW.subtract(minutes=90), subject="Waiting ninety minutes")
    # The SOP's clock first: 7 minutes is past the golden five, 90 minutes is late.
    rows = {r.inquiry_id: r for r in inbox.inbox_page(NOW).rows}
    assert rows[waiting.id].state(NOW) is ReplyState.DUE
    assert rows[ninety.id].state(NOW) is ReplyState.LATE
    item = next(i for i in _queue() if i.key == f"inquiry:{waiting.id}")
    assert item.due_at == NOW.subtract(minutes=7).add(hours=1)
    assert "5 min" in item.why and "1 h" in item.why

    _team("[reply]\nfresh_minutes = 10\ndue_minutes = 120\n")
    page = inbox.inbox_page(NOW)
    rows = {r.inquiry_id: r for r in page.rows}
    assert rows[waiting.id].state(NOW) is ReplyState.FRESH
    assert rows[ninety.id].state(NOW) is ReplyState.DUE
    # 90 minutes is within the team's two hours: it sorts with the inquiries still in time.
    assert [r.inquiry_id for r in page.rows] == [ninety.id, waiting.id]
    row = rows[waiting.id]
    assert labels.reply_state(row.state(NOW), row.fresh_limit, row.due_limit) == "≤ 10 min"
    queue = {i.key: i for i in _queue()}
    item = queue[f"inquiry:{waiting.id}"]
    assert item.due_at == NOW.subtract(minutes=7).add(hours=2)
    assert not item.overdue and "10 min" in item.why and "2 h" in item.why
    assert not queue[f"inquiry:{ninety.id}"].overdue  # 90 min < 2 h

    # The morning meeting buckets yesterday's replies by the same clock.
    yesterday = NOW.subtract(days=1)
    _inquiry(buyer, yesterday, first_reply_at=yesterday.add(minutes=8))
    _inquiry(buyer, yesterday.add(hours=1), first_reply_at=yesterday.add(hours=2, minutes=30))
    buckets = meetings.morning_meeting(NOW, REP_ZONE).buckets
    assert (buckets.within_fresh, buckets.within_due) == (1, 1)
    assert buckets.due_limit == pendulum.duration(hours=2)


def test_team_funnel_targets_show_in_the_funnel_pane_and_report() -> None:
    from sopdesk.services import funnel, reports

    _team(
        "[stages.lead]\ntarget_to_next_percent = 75\n[stages.negotiation]\n"
        "target_to_next_percent = 40\n"
    )
    steps = {s.stage: s for s in funnel.funnel_view().steps}
    assert steps[Stage.LEAD].target == Decimal("0.75")
    assert steps[Stage.NEGOTIATION].target == Decimal("0.40")
    assert steps[Stage.INTENT].target == Decimal("0.30")
    rows = {r.stage: r for r in reports.funnel_report(None).rows}
    assert rows[Stage.LEAD].target == Decimal("0.75")
    assert rows[Stage.NEGOTIATION].target == Decimal("0.40")
    assert rows[Stage.ORDER].target == Decimal("0.90")


def test_a_team_kpi_target_shows_in_the_kpi_report() -> None:
    from sopdesk.services import reports
    from sopdesk.sop import kpi
    from sopdesk.sop.kpi import Kpi, PeriodKind

    _team("[reply]\ndue_minutes = 30\n[kpi.reply_rate_24h]\ntarget_percent = 90\n")
    report = reports.kpi_report(kpi.period_to_date(PeriodKind.MONTH, NOW, REP_ZONE), NOW)
    values = {v.kpi: v for v in report.values}
    assert values[Kpi.REPLY_RATE_24H].target == Decimal("0.90")
    assert values[Kpi.FIRST_REPLY_MEDIAN].target == Decimal(1800)
