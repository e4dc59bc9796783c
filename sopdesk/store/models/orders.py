from __future__ import annotations

from peewee import BooleanField, CharField, ForeignKeyField, IntegerField, TextField

from sopdesk.sop.stages import OrderStatus
from sopdesk.store.fields import EnumField, MoneyField, UTCDateTimeField
from sopdesk.store.models.base import BaseModel
from sopdesk.store.models.customers import Customer
from sopdesk.store.models.reps import Rep
from sopdesk.store.models.sales import Quote


class Order(BaseModel):
    """An order from an accepted PI, with its execution milestones (SOP stage 5)."""

    number = CharField(unique=True)
    customer = ForeignKeyField(Customer, backref="orders", on_delete="CASCADE")
    customer_id: int
    quote = ForeignKeyField(Quote, null=True, on_delete="SET NULL")
    quote_id: int | None
    owner = ForeignKeyField(Rep, null=True, on_delete="SET NULL")
    owner_id: int | None
    status = EnumField(OrderStatus, default=OrderStatus.AWAITING_DEPOSIT)
    total = MoneyField()
    currency = CharField(max_length=3, default="USD")
    ordered_at = UTCDateTimeField()
    deposit_amount = MoneyField(null=True)
    deposit_received_at = UTCDateTimeField(null=True)
    production_started_at = UTCDateTimeField(null=True)
    inspected_at = UTCDateTimeField(null=True)
    inspected_by = CharField(default="")
    inspection_result = TextField(default="")
    packed_at = UTCDateTimeField(null=True)
    forwarder_booked_at = UTCDateTimeField(null=True)
    shipped_at = UTCDateTimeField(null=True)
    vessel = CharField(default="")
    etd = UTCDateTimeField(null=True)
    eta = UTCDateTimeField(null=True)
    bl_number = CharField(default="")
    documents_sent_at = UTCDateTimeField(null=True)
    balance_received_at = UTCDateTimeField(null=True)
    arrived_at = UTCDateTimeField(null=True)
    feedback_at = UTCDateTimeField(null=True)
    feedback_rating = IntegerField(null=True)
    feedback_text = TextField(default="")
    case_permission = BooleanField(default=False)
    version = IntegerField(default=1)
    payment_terms = CharField(default="")
    """Copied from the accepted PI: they decide the deposit and the balance (migration 5)."""

    class Meta:
        indexes = ((("customer", "ordered_at"), False),)


class OrderEvent(BaseModel):
    """A dated event during execution (weekly production update, inspection booking …)."""

    order = ForeignKeyField(Order, backref="events", on_delete="CASCADE")
    order_id: int
    kind = CharField(max_length=32)
    at = UTCDateTimeField()
    note = TextField(default="")
    links = TextField(default="")
    """Photos or videos shown to the customer, one link or path per line (migration 5)."""


class OrderDocument(BaseModel):
    order = ForeignKeyField(Order, backref="documents", on_delete="CASCADE")
    order_id: int
    kind = CharField(max_length=32)
    """bl, commercial_invoice, packing_list, certificate_of_origin, …"""
    sent_at = UTCDateTimeField(null=True)
