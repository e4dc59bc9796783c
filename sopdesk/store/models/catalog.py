from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField, TextField

from sopdesk.store.fields import DayField, MoneyField, UTCDateTimeField
from sopdesk.store.models.base import BaseModel


class Product(BaseModel):
    """Product knowledge at hand (SOP 1.5)."""

    sku = CharField(unique=True)
    name = CharField()
    specs = TextField(default="")
    material = CharField(default="")
    process = CharField(default="")
    certifications = CharField(default="")
    packaging = TextField(default="")
    moq = IntegerField(default=0)
    unit = CharField(default="pcs")
    lead_time_days = IntegerField(default=0)
    selling_points = TextField(default="")
    applications = TextField(default="")
    hs_code = CharField(default="")
    photos = TextField(default="")
    """One link or path per line."""
    optimised_at = UTCDateTimeField(null=True)
    """When the rep last marked the listing optimised (SOP 1.2); it is not flagged zero-effect
    again until a whole window of data after this shows no effect."""


class PriceTier(BaseModel):
    product = ForeignKeyField(Product, backref="price_tiers", on_delete="CASCADE")
    product_id: int
    min_qty = IntegerField()
    unit_price = MoneyField()
    currency = CharField(max_length=3, default="USD")

    class Meta:
        indexes = ((("product", "min_qty"), True),)


class Material(BaseModel):
    """Company library: intro, factory video, certificate, test report, success case."""

    kind = CharField(max_length=32)
    title = CharField()
    link = TextField(default="")
    valid_until = DayField(null=True)


class FaqAnswer(BaseModel):
    """FAQ handbook (appendix 3)."""

    topic = CharField(max_length=32)
    question = TextField()
    answer = TextField()
    language = CharField(max_length=8, default="en")
