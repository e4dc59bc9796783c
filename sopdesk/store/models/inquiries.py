from __future__ import annotations

from peewee import BooleanField, CharField, ForeignKeyField, TextField

from sopdesk.sop.stages import Channel
from sopdesk.store.fields import EnumField, UTCDateTimeField
from sopdesk.store.models.base import BaseModel
from sopdesk.store.models.customers import Contact, Customer
from sopdesk.store.models.reps import Rep


class Inquiry(BaseModel):
    """A buyer's message that opens or reopens a conversation."""

    customer = ForeignKeyField(Customer, backref="inquiries", on_delete="CASCADE")
    customer_id: int
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL")
    contact_id: int | None
    owner = ForeignKeyField(Rep, null=True, on_delete="SET NULL")
    owner_id: int | None
    channel = EnumField(Channel)
    received_at = UTCDateTimeField()
    buyer_name = CharField(default="")
    buyer_email = CharField(default="")
    buyer_phone = CharField(default="")
    company = CharField(default="")
    country = CharField(max_length=2, default="")
    subject = TextField(default="")
    body = TextField(default="")
    products = TextField(default="")
    quantity = CharField(default="")
    port = CharField(default="")
    message_id = CharField(null=True, unique=True)
    content_hash = CharField(null=True, unique=True, max_length=64)
    first_reply_at = UTCDateTimeField(null=True)
    archived = BooleanField(default=False)
    raw_source = TextField(null=True)
    """The message as received (e-mail source), kept for audit and re-parsing."""

    class Meta:
        indexes = (
            (("first_reply_at", "received_at", "id"), False),
            (("customer", "received_at"), False),
        )

    @classmethod
    def unanswered(cls):
        return cls.select().where(cls.first_reply_at.is_null(), ~cls.archived)
