from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from sopdesk.sop.stages import Incoterm, QuoteStatus
from sopdesk.store.fields import DayField, EnumField, MoneyField, UTCDateTimeField
from sopdesk.store.models.base import BaseModel
from sopdesk.store.models.catalog import Product
from sopdesk.store.models.customers import Customer
from sopdesk.store.models.inquiries import Inquiry
from sopdesk.store.models.reps import Rep


def format_pi_number(year: int, seq: int) -> str:
    return f"PI-{year}-{seq:04d}"


class Quote(BaseModel):
    """A quotation; in invoice form a PI numbered PI-YYYY-NNNN. Revisions keep old versions."""

    year = IntegerField()
    seq = IntegerField()
    revision = IntegerField(default=1)
    customer = ForeignKeyField(Customer, backref="quotes", on_delete="CASCADE")
    customer_id: int
    inquiry = ForeignKeyField(Inquiry, null=True, on_delete="SET NULL")
    inquiry_id: int | None
    owner = ForeignKeyField(Rep, null=True, on_delete="SET NULL")
    owner_id: int | None
    status = EnumField(QuoteStatus, default=QuoteStatus.DRAFT)
    currency = CharField(max_length=3, default="USD")
    incoterm = EnumField(Incoterm, default=Incoterm.FOB)
    port = CharField(default="")
    payment_terms = CharField(default="")
    lead_time = CharField(default="")
    packing = TextField(default="")
    valid_until = DayField(null=True)
    notes = TextField(default="")
    sent_at = UTCDateTimeField(null=True)
    version = IntegerField(default=1)
    accepted_at = UTCDateTimeField(null=True)
    """When the buyer accepted it (migration 5)."""

    class Meta:
        indexes = (
            (("year", "seq", "revision"), True),
            (("customer", "created_at"), False),
        )

    @property
    def number(self) -> str:
        return format_pi_number(self.year, self.seq)


class QuoteLine(BaseModel):
    quote = ForeignKeyField(Quote, backref="lines", on_delete="CASCADE")
    quote_id: int
    product = ForeignKeyField(Product, null=True, on_delete="SET NULL")
    product_id: int | None
    description = TextField(default="")
    quantity = DecimalField(max_digits=14, decimal_places=3, auto_round=True)
    unit = CharField(default="pcs")
    unit_price = MoneyField()
    photo = TextField(default="")
    """A link or file path of the product photo printed on the PI (migration 5)."""
    position = IntegerField(default=0)
    """Line order on the PI (migration 5)."""


class Sample(BaseModel):
    customer = ForeignKeyField(Customer, backref="samples", on_delete="CASCADE")
    customer_id: int
    product = ForeignKeyField(Product, null=True, on_delete="SET NULL")
    product_id: int | None
    paid = BooleanField(default=False)
    amount = MoneyField(null=True)
    currency = CharField(max_length=3, default="USD")
    freight_by = CharField(default="customer")
    """"customer" (freight collect, their courier account) or "us"."""
    courier = CharField(default="")
    tracking = CharField(default="")
    sent_at = UTCDateTimeField(null=True)
    delivered_at = UTCDateTimeField(null=True)
    feedback = TextField(default="")
    feedback_at = UTCDateTimeField(null=True)
    refundable_on_order = BooleanField(default=False)
    courier_account = CharField(default="")
    """The customer's courier account number for freight-collect samples (migration 5)."""
    note = TextField(default="")
    """What was sent (models, quantities, variants) (migration 5)."""
    version = IntegerField(default=1)
    """Moves on with every write; an edit based on an older one is refused (migration 9)."""
