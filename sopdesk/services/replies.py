"""Marking a reply as sent: the touch with its exact text, the inquiry's first-reply time, and the
follow-ups the SOP's cadence plans — and undoing all of it right after, if the key was a slip.

The customer's stage is left alone: a first reply does not make a lead an intent customer (the
rep moves it when the needs are understood).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pendulum

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.services.drafting import customer_zone
from sopdesk.sop import cadence
from sopdesk.sop.sla import format_duration, response_time
from sopdesk.sop.stages import ActivityKind, Channel, Direction, TaskKind
from sopdesk.store.db import database
from sopdesk.store.models import Activity, Customer, Inquiry, Rep, Task

WHEN_FORMAT = "ddd D MMM HH:mm"


class ReplyError(Exception):
    """The reply cannot be recorded (or undone); the message says why."""


@dataclass(frozen=True)
class SentResult:
    """What `mark_sent` changed, with what was there before (for `undo_sent`)."""

    inquiry_id: int
    customer_id: int
    activity_id: int
    kind: ActivityKind
    sent_at: pendulum.DateTime
    first_reply: bool
    """This reply set the inquiry's first-reply time (it leaves "unanswered")."""
    response_time: timedelta | None
    """From received to this reply, when it is the first one."""
    task_ids: tuple[int, ...]
    planned: tuple[cadence.PlannedTask, ...]
    next_follow_up_at: pendulum.DateTime | None
    """The customer's next follow-up as set by this reply (None: left as it was)."""
    rep_zone: str
    previous_last_activity_at: pendulum.DateTime | None
    previous_next_follow_up_at: pendulum.DateTime | None
    previous_next_follow_up_plan: str

    def message(self) -> str:
        """One plain line for the notification."""
        parts = [_("Reply recorded")]
        if self.response_time is not None:
            parts.append(
                _("answered in {duration}").format(duration=format_duration(self.response_time))
            )
        if self.next_follow_up_at is not None:
            when = self.next_follow_up_at.in_timezone(self.rep_zone).format(WHEN_FORMAT)
            parts.append(_("follow-up planned {when}").format(when=when))
        return "; ".join(parts)


def activity_kind_for(channel: Channel, template_channel: str) -> ActivityKind:
    """Which kind of touch a reply is: a chat draft goes out on the inquiry's chat (TM or
    WhatsApp), an e-mail draft by e-mail; anything answered in the platform's message centre
    (site inquiry, RFQ) is a platform reply."""
    if template_channel == "chat":
        if channel is Channel.TRADEMANAGER:
            return ActivityKind.TM
        if channel in (Channel.WHATSAPP, Channel.WECHAT):
            # ActivityKind has no WeChat; a WeChat message is recorded as a messenger touch.
            return ActivityKind.WHATSAPP
        return ActivityKind.REPLY
    if channel in (Channel.EMAIL, Channel.WHATSAPP, Channel.WECHAT, Channel.PHONE):
        return ActivityKind.EMAIL
    return ActivityKind.REPLY


def _rep_zone(rep_id: int | None, rep_zone: str | None) -> str:
    if rep_zone:
        return rep_zone
    if rep_id is not None:
        zone = Rep.select(Rep.timezone).where(Rep.id == rep_id).scalar()
        if zone:
            return str(zone)
    return "UTC"


def _why(planned: cadence.PlannedTask, sent: str) -> str:
    if planned.kind is TaskKind.BACKGROUND_CHECK:
        return _(
            "first reply sent {when}; SOP 2.2: check the company, its platform profile and "
            "buyer type right after replying"
        ).format(when=sent)
    return _("first reply sent {when}; no answer yet").format(when=sent)


def mark_sent(
    inquiry_id: int,
    text: str,
    channel_kind: ActivityKind,
    rep_id: int | None,
    *,
    subject: str = "",
    rep_zone: str | None = None,
) -> SentResult:
    """Record that `text` went out for this inquiry, in one IMMEDIATE transaction."""
    if not text.strip():
        raise ReplyError(_("nothing to record: the reply is empty"))
    now = clock.now()
    with database.connection_context(), database.atomic():
        inquiry = (
            Inquiry.select(Inquiry, Customer).join(Customer).where(Inquiry.id == inquiry_id).first()
        )
        if inquiry is None:
            raise ReplyError(_("there is no inquiry {id}").format(id=inquiry_id))
        customer: Customer = inquiry.customer
        zone_for_rep = _rep_zone(rep_id, rep_zone)
        activity = Activity.create(
            customer=customer.id,
            inquiry=inquiry.id,
            kind=channel_kind,
            direction=Direction.OUT,
            at=now,
            subject=subject,
            text=text,
            by=rep_id,
        )
        # Conditional: a teammate's reply recorded a moment ago keeps its first-reply time.
        first = bool(
            Inquiry.update(first_reply_at=now, updated_at=now)
            .where(Inquiry.id == inquiry.id, Inquiry.first_reply_at.is_null())
            .execute()
        )
        planned: list[cadence.PlannedTask] = []
        task_ids: list[int] = []
        if first:
            country = customer.country or inquiry.country
            zone = customer_zone(customer.timezone, country) or zone_for_rep
            planned = cadence.after_first_reply(now, zone, country, customer.background_check_done)
            existing = set(
                Task.select(Task.source)
                .where(
                    Task.inquiry == inquiry.id,
                    Task.source.in_([p.rule for p in planned]),
                    Task.done_at.is_null(),
                    Task.skipped_reason.is_null(),
                )
                .scalars()
            )
            planned = [p for p in planned if p.rule not in existing]
            sent = now.in_timezone(zone_for_rep).format(WHEN_FORMAT)
            for item in planned:
                task = Task.create(
                    customer=customer.id,
                    inquiry=inquiry.id,
                    owner=rep_id,
                    kind=item.kind,
                    title=_(item.title),
                    why=_why(item, sent),
                    due_at=item.due_at,
                    source=item.rule,
                )
                task_ids.append(task.id)
        follow_up = next((p for p in planned if p.kind is TaskKind.FOLLOW_UP), None)
        current_next = customer.next_follow_up_at
        new_next: pendulum.DateTime | None = None
        # An earlier follow-up already planned (a sample check tomorrow) stays first.
        if follow_up is not None and (
            current_next is None or current_next <= now or current_next > follow_up.due_at
        ):
            new_next = follow_up.due_at
        changes: dict[object, object] = {
            Customer.last_activity_at: (
                now
                if customer.last_activity_at is None or customer.last_activity_at < now
                else customer.last_activity_at
            ),
            Customer.version: Customer.version + 1,
            Customer.updated_at: now,
        }
        if new_next is not None and follow_up is not None:
            changes[Customer.next_follow_up_at] = new_next
            changes[Customer.next_follow_up_plan] = _(follow_up.title)
        Customer.update(changes).where(Customer.id == customer.id).execute()
    return SentResult(
        inquiry_id=inquiry.id,
        customer_id=customer.id,
        activity_id=activity.id,
        kind=channel_kind,
        sent_at=now,
        first_reply=first,
        response_time=response_time(inquiry.received_at, now) if first else None,
        task_ids=tuple(task_ids),
        planned=tuple(planned),
        next_follow_up_at=new_next,
        rep_zone=zone_for_rep,
        previous_last_activity_at=customer.last_activity_at,
        previous_next_follow_up_at=current_next,
        previous_next_follow_up_plan=customer.next_follow_up_plan,
    )


def undo_sent(result: SentResult) -> None:
    """Put back exactly what `mark_sent` changed: the touch and the tasks go, the first-reply
    time and the customer's dates return. A field someone changed since is left as they set it."""
    with database.connection_context(), database.atomic():
        if not Activity.select().where(Activity.id == result.activity_id).exists():
            raise ReplyError(_("that reply is no longer recorded; nothing to undo"))
        Activity.delete().where(Activity.id == result.activity_id).execute()
        if result.task_ids:
            Task.delete().where(Task.id.in_(list(result.task_ids))).execute()
        if result.first_reply:
            Inquiry.update(first_reply_at=None, updated_at=clock.now()).where(
                Inquiry.id == result.inquiry_id, Inquiry.first_reply_at == result.sent_at
            ).execute()
        Customer.update(last_activity_at=result.previous_last_activity_at).where(
            Customer.id == result.customer_id, Customer.last_activity_at == result.sent_at
        ).execute()
        if result.next_follow_up_at is not None:
            Customer.update(
                next_follow_up_at=result.previous_next_follow_up_at,
                next_follow_up_plan=result.previous_next_follow_up_plan,
            ).where(
                Customer.id == result.customer_id,
                Customer.next_follow_up_at == result.next_follow_up_at,
            ).execute()
        Customer.update(version=Customer.version + 1, updated_at=clock.now()).where(
            Customer.id == result.customer_id
        ).execute()


__all__ = [
    "ReplyError",
    "SentResult",
    "activity_kind_for",
    "mark_sent",
    "undo_sent",
]
