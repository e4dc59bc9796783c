from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField

from sopdesk.store.fields import DayField, MoneyField, UTCDateTimeField
from sopdesk.store.models.base import BaseModel
from sopdesk.store.models.catalog import Product
from sopdesk.store.models.reps import Rep


class StoreMetrics(BaseModel):
    """The platform's daily store data (数据概览)."""

    day = DayField(unique=True)
    exposure = IntegerField(default=0)
    clicks = IntegerField(default=0)
    inquiries = IntegerField(default=0)
    tm_chats = IntegerField(default=0)
    visitors = IntegerField(default=0)


class ProductMetrics(BaseModel):
    day = DayField()
    product = ForeignKeyField(Product, null=True, on_delete="SET NULL")
    product_id: int | None
    product_name = CharField()
    exposure = IntegerField(default=0)
    clicks = IntegerField(default=0)
    inquiries = IntegerField(default=0)

    class Meta:
        indexes = ((("day", "product_name"), True),)


class Rfq(BaseModel):
    """A request for quotation from the RFQ market, and what we did with it."""

    posted_at = UTCDateTimeField()
    buyer_country = CharField(max_length=2, default="")
    product = CharField(default="")
    quantity = CharField(default="")
    quoted_at = UTCDateTimeField(null=True)
    price = MoneyField(null=True)
    currency = CharField(max_length=3, default="USD")
    result = CharField(default="")
    owner = ForeignKeyField(Rep, null=True, on_delete="SET NULL")
    owner_id: int | None
