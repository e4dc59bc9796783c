from __future__ import annotations

from peewee import BooleanField, CharField, ForeignKeyField, IntegerField, TextField

from sopdesk.sop.stages import BuyerType, Channel, LostReason, Potential, Stage
from sopdesk.store.fields import EnumField, MoneyField, UTCDateTimeField
from sopdesk.store.models.base import BaseModel
from sopdesk.store.models.reps import Rep


def format_customer_number(number: int) -> str:
    return f"C-{number:05d}"


class Customer(BaseModel):
    """One buying organisation (or person): a row of the SOP's customer sheet (appendix 1)."""

    number = IntegerField(unique=True)
    company = CharField(default="")
    name = CharField(default="")
    """The main person's name, also the sheet's "company/name" when there is no company."""
    country = CharField(max_length=2, default="")
    """ISO 3166-1 alpha-2."""
    timezone = CharField(null=True)
    """IANA zone of the customer; inferred from the country only when it has one zone."""
    website = CharField(default="")
    email_domain = CharField(default="", index=True)
    source = EnumField(Channel, default=Channel.OTHER)
    buyer_type = EnumField(BuyerType, default=BuyerType.UNKNOWN)
    potential = EnumField(Potential, null=True)
    stage = EnumField(Stage, default=Stage.LEAD)
    stage_since = UTCDateTimeField()
    lost_reason = EnumField(LostReason, null=True)
    expected_value = MoneyField(null=True)
    expected_currency = CharField(max_length=3, default="USD")
    first_contact_at = UTCDateTimeField(null=True)
    last_activity_at = UTCDateTimeField(null=True)
    """Denormalised from the latest touch, so the sheet sorts without a join."""
    next_follow_up_at = UTCDateTimeField(null=True)
    next_follow_up_plan = CharField(default="")
    background_check_done = BooleanField(default=False)
    platform_profile = TextField(default="")
    """Platform notes: verified or not, buyer level, purchase history, reviews."""
    linkedin = CharField(default="")
    """The buyer's LinkedIn page (background check, SOP 2.2)."""
    notes = TextField(default="")
    tags = CharField(default="")
    merged_into = ForeignKeyField("self", null=True, backref="merged", on_delete="SET NULL")
    merged_into_id: int | None
    owner = ForeignKeyField(Rep, null=True, backref="customers", on_delete="SET NULL")
    owner_id: int | None
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("owner", "stage", "number"), False),
            (("owner", "next_follow_up_at"), False),
            (("stage",), False),
        )

    @property
    def code(self) -> str:
        return format_customer_number(self.number)

    @property
    def display_name(self) -> str:
        return self.company or self.name or self.code

    @classmethod
    def active(cls):
        return cls.select().where(cls.merged_into.is_null())

    @classmethod
    def next_number(cls) -> int:
        from peewee import fn

        current = cls.select(fn.MAX(cls.number)).scalar()
        return (current or 0) + 1

    @classmethod
    def by_number(cls, number: int):
        return cls.get_or_none(cls.number == number)


class Contact(BaseModel):
    customer = ForeignKeyField(Customer, backref="contacts", on_delete="CASCADE")
    customer_id: int
    name = CharField(default="")
    role = CharField(default="")
    email = CharField(default="", index=True)
    phone = CharField(default="")
    """E.164 where it could be parsed."""
    whatsapp = CharField(default="")
    wechat = CharField(default="")
    is_primary = BooleanField(default=False)

    class Meta:
        indexes = ((("customer", "is_primary"), False),)


class StageChange(BaseModel):
    """Every stage change: the funnel and time-in-stage are counted from here."""

    customer = ForeignKeyField(Customer, backref="stage_changes", on_delete="CASCADE")
    customer_id: int
    from_stage = EnumField(Stage, null=True)
    to_stage = EnumField(Stage)
    at = UTCDateTimeField()
    by = ForeignKeyField(Rep, null=True, on_delete="SET NULL")
    by_id: int | None
    reason = TextField(default="")

    class Meta:
        indexes = (
            (("customer", "at"), False),
            (("to_stage", "at"), False),
        )


__all__ = ["Contact", "Customer", "StageChange", "format_customer_number"]
