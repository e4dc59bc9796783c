from __future__ import annotations

from peewee import BooleanField, CharField, ForeignKeyField, TextField

from sopdesk.sop.stages import ActivityKind, Direction, TaskKind
from sopdesk.store.fields import EnumField, UTCDateTimeField
from sopdesk.store.models.base import BaseModel
from sopdesk.store.models.customers import Customer
from sopdesk.store.models.inquiries import Inquiry
from sopdesk.store.models.reps import Rep


class Activity(BaseModel):
    """A touch: every contact, in or out, with its exact text. The customer's timeline."""

    customer = ForeignKeyField(Customer, backref="activities", on_delete="CASCADE")
    customer_id: int
    inquiry = ForeignKeyField(Inquiry, null=True, backref="activities", on_delete="SET NULL")
    inquiry_id: int | None
    kind = EnumField(ActivityKind)
    direction = EnumField(Direction, default=Direction.NONE)
    at = UTCDateTimeField()
    subject = TextField(default="")
    text = TextField(default="")
    auto = BooleanField(default=False)
    """An auto-reply: does not count as a reply for Alibaba's scoring."""
    by = ForeignKeyField(Rep, null=True, on_delete="SET NULL")
    by_id: int | None

    class Meta:
        indexes = ((("customer", "at"), False),)


class Task(BaseModel):
    """A follow-up: something to do for a customer at a time. Today's queue."""

    customer = ForeignKeyField(Customer, null=True, backref="tasks", on_delete="CASCADE")
    customer_id: int | None
    inquiry = ForeignKeyField(Inquiry, null=True, on_delete="SET NULL")
    inquiry_id: int | None
    owner = ForeignKeyField(Rep, null=True, on_delete="SET NULL")
    owner_id: int | None
    kind = EnumField(TaskKind, default=TaskKind.FOLLOW_UP)
    title = TextField()
    why = TextField(default="")
    due_at = UTCDateTimeField()
    done_at = UTCDateTimeField(null=True)
    snoozed_until = UTCDateTimeField(null=True)
    skipped_reason = TextField(null=True)
    source = CharField(default="manual")
    """"manual" or the id of the cadence rule that made it."""
    rule_key = CharField(null=True, unique=True, max_length=160)
    """For tasks a playbook rule made: rule id, subject and slot ("quote_follow_up|q12|2d").
    Unique, so re-running the cadence engine never creates a task twice."""

    class Meta:
        indexes = ((("done_at", "due_at"), False),)

    @classmethod
    def open(cls):
        return cls.select().where(cls.done_at.is_null(), cls.skipped_reason.is_null())


class ChecklistTick(BaseModel):
    """A morning-routine item ticked off on a given day (the rep's local day)."""

    day = CharField(max_length=10)
    item_id = CharField(max_length=64)
    done_at = UTCDateTimeField()
    by = ForeignKeyField(Rep, null=True, on_delete="SET NULL")
    by_id: int | None

    class Meta:
        indexes = ((("day", "item_id", "by"), True),)
