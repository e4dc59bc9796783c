"""Fields for time and money (PITFALLS.md: pendulum in Peewee).

`UTCDateTimeField` refuses naive datetimes and stores fixed-width UTC text, so text order is time
order on every backend; it returns pendulum DateTimes in UTC.
`MoneyField` stores a Decimal as an integer of 1/10,000 units: exact, and SUM() works in SQL.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pendulum
from peewee import BigIntegerField, CharField, DateField

_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
MONEY_SCALE = Decimal("10000")


def to_db_time(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"refusing a naive datetime {value!r}: store times are UTC")
    return pendulum.instance(value).in_timezone("UTC").strftime(_FORMAT)


def from_db_time(value: str) -> pendulum.DateTime:
    parsed = datetime.strptime(value, _FORMAT)
    return pendulum.instance(parsed.replace(tzinfo=pendulum.UTC))


class UTCDateTimeField(CharField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 27)
        super().__init__(*args, **kwargs)

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):  # already converted (e.g. a keyset cursor)
            return value
        return to_db_time(value)

    def python_value(self, value: Any) -> pendulum.DateTime | None:
        if value is None:
            return None
        if isinstance(value, datetime):  # already converted (an aggregate over this field)
            return pendulum.instance(value).in_timezone("UTC")
        return from_db_time(value)


class MoneyField(BigIntegerField):
    """A Decimal amount; its currency lives in a sibling CharField."""

    def db_value(self, value: Any) -> int | None:
        if value is None:
            return None
        scaled = (Decimal(value) * MONEY_SCALE).to_integral_value(rounding=ROUND_HALF_EVEN)
        return int(scaled)

    def python_value(self, value: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / MONEY_SCALE).quantize(Decimal("0.0001"))


class EnumField(CharField):
    """Stores a StrEnum's value; returns the enum member."""

    def __init__(self, enum: Any, *args: Any, **kwargs: Any) -> None:
        self.enum = enum
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return self.enum(value).value

    def python_value(self, value: Any) -> Any:
        if value is None:
            return None
        return self.enum(value)


class DayField(DateField):
    """A calendar day (no time, no zone), stored as ISO text; accepts pendulum Dates too.

    sqlite3's adapters match exact types, so a pendulum `Date` in a plain DateField fails to bind.
    """

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            return date.fromisoformat(value).isoformat()
        if isinstance(value, datetime):
            raise ValueError(f"a day field takes a date, not a datetime: {value!r}")
        return date(value.year, value.month, value.day).isoformat()

    def python_value(self, value: Any) -> date | None:
        if value is None:
            return None
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value))
