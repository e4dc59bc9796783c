"""Marking a reply sent: the touch, the first-reply time, the SOP's follow-ups — and undo."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest

from sopdesk import clock
from sopdesk.services import replies, today
from sopdesk.sop import cadence
from sopdesk.sop.stages import ActivityKind, Channel, Direction, Stage, TaskKind
from sopdesk.store.db import database
from sopdesk.store.models import Activity, Contact, Customer, Inquiry, Rep, Task

NOW = pendulum.datetime(2026, 11, 27, 4, 0, tz="UTC")  # Fri 12:00 in Shanghai, 05:00 in Berlin
TEXT = "Hi Markus,\n\nThanks for your inquiry — 价格 attached.  \n\nLily"


def make_inquiry(**customer: Any) -> tuple[int, int, int]:
    """(rep id, customer id, inquiry id): a German lead who wrote three minutes ago."""
    values: dict[str, Any] = {
        "number": 1,
        "company": "Elektro Schäfer GmbH",
        "name": "Markus Schäfer",
        "country": "DE",
        "timezone": "Europe/Berlin",
        "stage": Stage.LEAD,
        "stage_since": NOW.subtract(minutes=3),
    }
    values.update(customer)
    with database.connection_context():
        rep = Rep.create(login="lily", name="Lily Chen", timezone="Asia/Shanghai")
        row = Customer.create(**values)
        contact = Contact.create(customer=row, name="Markus Schäfer", is_primary=True)
        inquiry = Inquiry.create(
            customer=row,
            contact=contact,
            channel=Channel.SITE_INQUIRY,
            received_at=NOW.subtract(minutes=3),
            subject="Flood lights",
            products="LED flood light 200W",
        )
    return rep.id, row.id, inquiry.id


def snapshot(customer_id: int, inquiry_id: int) -> dict[str, Any]:
    with database.connection_context():
        c = Customer.get_by_id(customer_id)
        i = Inquiry.get_by_id(inquiry_id)
        return {
            "first_reply_at": i.first_reply_at,
            "last_activity_at": c.last_activity_at,
            "next_follow_up_at": c.next_follow_up_at,
            "next_follow_up_plan": c.next_follow_up_plan,
            "stage": c.stage,
            "activities": Activity.select().where(Activity.customer == customer_id).count(),
            "tasks": Task.select().where(Task.customer == customer_id).count(),
            "unanswered": Inquiry.unanswered().where(Inquiry.id == inquiry_id).exists(),
        }


def test_mark_sent_records_the_first_reply_and_plans_the_cadence(store: Path) -> None:
    rep_id, customer_id, inquiry_id = make_inquiry()
    result = replies.mark_sent(inquiry_id, TEXT, ActivityKind.REPLY, rep_id, subject="Re: x")

    assert result.first_reply and result.sent_at == NOW
    assert result.response_time == timedelta(minutes=3)
    with database.connection_context():
        inquiry = Inquiry.get_by_id(inquiry_id)
        assert inquiry.first_reply_at == NOW
        assert not Inquiry.unanswered().where(Inquiry.id == inquiry_id).exists()
        activity = Activity.get_by_id(result.activity_id)
        assert activity.text == TEXT  # exact, trailing spaces and all
        assert (activity.kind, activity.direction) == (ActivityKind.REPLY, Direction.OUT)
        assert (activity.at, activity.by_id, activity.inquiry_id) == (NOW, rep_id, inquiry_id)
        assert activity.subject == "Re: x"
        tasks = list(Task.select().where(Task.id.in_(result.task_ids)).order_by(Task.due_at))
        customer = Customer.get_by_id(customer_id)

    check, follow_up = tasks
    assert (check.kind, check.source, check.due_at) == (
        TaskKind.BACKGROUND_CHECK,
        cadence.RULE_BACKGROUND_CHECK,
        NOW,
    )
    assert check.why.startswith("first reply sent Fri 27 Nov 12:00; SOP 2.2")
    # Three days later is Monday 05:00 in Berlin: before opening, so 09:00 CET (08:00 UTC).
    assert follow_up.kind is TaskKind.FOLLOW_UP
    assert follow_up.source == cadence.RULE_NO_RESPONSE_DAY3
    assert follow_up.due_at == pendulum.datetime(2026, 11, 30, 8, 0, tz="UTC")
    assert follow_up.why == "first reply sent Fri 27 Nov 12:00; no answer yet"
    assert follow_up.owner_id == rep_id and follow_up.inquiry_id == inquiry_id
    assert customer.next_follow_up_at == follow_up.due_at
    assert customer.next_follow_up_plan == "Day-3 follow-up if no answer"
    assert customer.last_activity_at == NOW
    assert customer.stage is Stage.LEAD  # a reply does not move the stage
    assert customer.version == 2
    assert result.message() == (
        "Reply recorded; answered in 3m; follow-up planned Mon 30 Nov 16:00"
    )


def test_the_new_tasks_show_in_today(store: Path) -> None:
    rep_id, _customer_id, inquiry_id = make_inquiry()
    replies.mark_sent(inquiry_id, TEXT, ActivityKind.REPLY, rep_id)
    items = today.today_items(NOW, "Asia/Shanghai")
    tasks = [i.title for i in items if i.key.startswith("task:")]
    assert tasks == ["Background check"]  # the follow-up is Monday's
    (reply,) = [i for i in items if i.key == f"inquiry:{inquiry_id}"]
    assert reply.done and reply.why == "Answered in 3m"


def test_undo_restores_exactly_the_previous_state(store: Path) -> None:
    rep_id, customer_id, inquiry_id = make_inquiry(last_activity_at=NOW.subtract(days=2))
    before = snapshot(customer_id, inquiry_id)
    result = replies.mark_sent(inquiry_id, TEXT, ActivityKind.REPLY, rep_id)
    assert snapshot(customer_id, inquiry_id) != before
    replies.undo_sent(result)
    assert snapshot(customer_id, inquiry_id) == before
    with pytest.raises(replies.ReplyError, match="nothing to undo"):
        replies.undo_sent(result)


def test_a_later_reply_keeps_the_first_reply_time_and_plans_nothing(store: Path) -> None:
    rep_id, customer_id, inquiry_id = make_inquiry()
    first = replies.mark_sent(inquiry_id, TEXT, ActivityKind.REPLY, rep_id)
    clock.advance(hours=1)
    second = replies.mark_sent(inquiry_id, "One more thing", ActivityKind.EMAIL, rep_id)
    assert not second.first_reply and second.response_time is None
    assert second.task_ids == () and second.next_follow_up_at is None
    with database.connection_context():
        assert Inquiry.get_by_id(inquiry_id).first_reply_at == first.sent_at
        customer = Customer.get_by_id(customer_id)
        assert customer.last_activity_at == NOW.add(hours=1)
        assert customer.next_follow_up_at == first.next_follow_up_at
    replies.undo_sent(second)
    after = snapshot(customer_id, inquiry_id)
    assert after["first_reply_at"] == NOW and after["last_activity_at"] == NOW
    assert after["activities"] == 1 and after["tasks"] == 2


def test_an_earlier_planned_follow_up_stays_first(store: Path) -> None:
    tomorrow = NOW.add(days=1)
    rep_id, customer_id, inquiry_id = make_inquiry(
        next_follow_up_at=tomorrow, next_follow_up_plan="Sample feedback"
    )
    result = replies.mark_sent(inquiry_id, TEXT, ActivityKind.REPLY, rep_id)
    assert result.next_follow_up_at is None
    with database.connection_context():
        customer = Customer.get_by_id(customer_id)
    assert (customer.next_follow_up_at, customer.next_follow_up_plan) == (
        tomorrow,
        "Sample feedback",
    )


def test_a_done_background_check_is_not_planned_again(store: Path) -> None:
    rep_id, _customer_id, inquiry_id = make_inquiry(background_check_done=True)
    result = replies.mark_sent(inquiry_id, TEXT, ActivityKind.REPLY, rep_id)
    assert [p.rule for p in result.planned] == [cadence.RULE_NO_RESPONSE_DAY3]
    assert len(result.task_ids) == 1


def test_undo_leaves_what_a_teammate_changed_since(store: Path) -> None:
    rep_id, customer_id, inquiry_id = make_inquiry()
    result = replies.mark_sent(inquiry_id, TEXT, ActivityKind.REPLY, rep_id)
    later = NOW.add(days=5)
    with database.connection_context():
        Customer.update(next_follow_up_at=later, next_follow_up_plan="Call").where(
            Customer.id == customer_id
        ).execute()
    replies.undo_sent(result)
    after = snapshot(customer_id, inquiry_id)
    assert (after["next_follow_up_at"], after["next_follow_up_plan"]) == (later, "Call")
    assert after["first_reply_at"] is None and after["tasks"] == 0 and after["unanswered"]


def test_customer_without_a_zone_falls_back_to_the_countrys_principal_zone(store: Path) -> None:
    rep_id, _customer_id, inquiry_id = make_inquiry(country="US", timezone=None)
    result = replies.mark_sent(inquiry_id, TEXT, ActivityKind.REPLY, rep_id)
    follow_up = next(p for p in result.planned if p.kind is TaskKind.FOLLOW_UP)
    # America/New_York (first in zone.tab): Mon 30 Nov 09:00 EST.
    assert follow_up.due_at == pendulum.datetime(2026, 11, 30, 14, 0, tz="UTC")


def test_refusals(store: Path) -> None:
    rep_id, _customer_id, inquiry_id = make_inquiry()
    with pytest.raises(replies.ReplyError, match="empty"):
        replies.mark_sent(inquiry_id, "  \n", ActivityKind.REPLY, rep_id)
    with pytest.raises(replies.ReplyError, match="no inquiry 999"):
        replies.mark_sent(999, TEXT, ActivityKind.REPLY, rep_id)
    with database.connection_context():
        assert Activity.select().count() == 0


@pytest.mark.parametrize(
    ("channel", "template_channel", "kind"),
    [
        (Channel.TRADEMANAGER, "chat", ActivityKind.TM),
        (Channel.WHATSAPP, "chat", ActivityKind.WHATSAPP),
        (Channel.SITE_INQUIRY, "chat", ActivityKind.REPLY),
        (Channel.SITE_INQUIRY, "email", ActivityKind.REPLY),
        (Channel.RFQ, "email", ActivityKind.REPLY),
        (Channel.EMAIL, "email", ActivityKind.EMAIL),
        (Channel.TRADEMANAGER, "email", ActivityKind.REPLY),
    ],
)
def test_activity_kind_for(channel: Channel, template_channel: str, kind: ActivityKind) -> None:
    assert replies.activity_kind_for(channel, template_channel) is kind


def test_every_unanswered_demo_inquiry_can_be_answered_and_undone(demo_store: Path) -> None:
    with database.connection_context():
        unanswered = [(i.id, i.customer_id) for i in Inquiry.unanswered()]
        rep_id = Rep.get(Rep.login == "demo").id
    assert unanswered
    for inquiry_id, customer_id in unanswered:
        before = snapshot(customer_id, inquiry_id)
        result = replies.mark_sent(inquiry_id, TEXT, ActivityKind.REPLY, rep_id)
        assert result.first_reply and result.response_time is not None
        assert any(p.kind is TaskKind.FOLLOW_UP for p in result.planned)
        follow_up = next(p for p in result.planned if p.kind is TaskKind.FOLLOW_UP)
        assert follow_up.due_at > NOW.add(days=2)
        replies.undo_sent(result)
        assert snapshot(customer_id, inquiry_id) == before
