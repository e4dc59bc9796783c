"""Money: Decimal amounts with an ISO 4217 currency, rounded the way invoices are.

Every currency has a number of minor-unit digits (its ISO 4217 exponent): two for most (USD 12.34),
none for the yen (JPY 1,235) and three for the Kuwaiti dinar (KWD 1.235). Amounts on a PI are
rounded to that exponent, half away from zero (ROUND_HALF_UP: 0.125 → 0.13), because that is what
buyers' accountants and Excel do. Each line total is rounded first and the quote total is the sum
of the rounded line totals, so the PI adds up on paper.

The exponents are ISO 4217's (List One), kept as a small table of the currencies that differ from
two: babel/CLDR disagrees with ISO for a few (it says 0 for IDR and HUF, which ISO gives 2, as
bank transfers do); a test checks the table against pycountry and babel. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DEFAULT_EXPONENT = 2

EXPONENTS: dict[str, int] = {
    # no minor unit
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "ISK": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "UYI": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    # three digits
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
    # four digits (units of account)
    "CLF": 4,
    "UYW": 4,
}
"""ISO 4217 minor-unit digits of the currencies that do not have two."""

COMMON_CURRENCIES: tuple[str, ...] = (
    "USD",
    "EUR",
    "GBP",
    "CNY",
    "JPY",
    "AUD",
    "CAD",
    "AED",
    "SAR",
    "KWD",
    "RUB",
    "BRL",
    "MXN",
    "INR",
)
"""Offered first in the quote editor; any ISO code may be typed."""

_CODE = re.compile(r"[A-Z]{3}")


class MoneyError(ValueError):
    """An amount or a currency that cannot be used; the message says which."""


def normalise_currency(code: str) -> str:
    """'usd ' → 'USD'; MoneyError for anything that is not three letters."""
    cleaned = (code or "").strip().upper()
    if not _CODE.fullmatch(cleaned):
        raise MoneyError(f"{code!r} is not a three-letter ISO 4217 currency code")
    return cleaned


def exponent(currency: str) -> int:
    """Minor-unit digits of `currency` (ISO 4217): JPY 0, USD 2, KWD 3."""
    return EXPONENTS.get(normalise_currency(currency), DEFAULT_EXPONENT)


def quantum(currency: str) -> Decimal:
    """The smallest amount of `currency`: Decimal('0.01') for USD, Decimal('1') for JPY."""
    return Decimal(1).scaleb(-exponent(currency))


def to_decimal(value: Decimal | int | str) -> Decimal:
    """An exact amount from a Decimal, an int or text ("1,234.50" is read; floats are refused)."""
    if isinstance(value, (bool, float)):
        raise MoneyError(f"money must be exact (Decimal, int or text), not {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    else:
        text = str(value).strip().replace(",", "").replace(" ", "")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"{value!r} is not an amount") from None
    if not result.is_finite():
        raise MoneyError(f"{value!r} is not an amount")
    return result


def round_money(amount: Decimal | int | str, currency: str) -> Decimal:
    """`amount` rounded half-up to the currency's minor unit: (2.5, JPY) → 3, (1.0005, KWD) →
    1.001, (0.125, USD) → 0.13."""
    return to_decimal(amount).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def line_total(
    quantity: Decimal | int | str, unit_price: Decimal | int | str, currency: str
) -> Decimal:
    """Quantity × unit price, rounded to the currency once (never the unit price first)."""
    return round_money(to_decimal(quantity) * to_decimal(unit_price), currency)


@dataclass(frozen=True)
class Totals:
    currency: str
    subtotal: Decimal
    """Sum of the rounded line totals."""
    total: Decimal
    """What the buyer pays (the subtotal; room for freight or discounts later)."""
    lines: tuple[Decimal, ...]
    """Each line's total, in line order."""


def quote_totals(
    lines: Iterable[tuple[Decimal | int | str, Decimal | int | str]], currency: str
) -> Totals:
    """Totals of (quantity, unit price) lines in `currency`."""
    code = normalise_currency(currency)
    rounded = tuple(line_total(qty, price, code) for qty, price in lines)
    subtotal = round_money(sum(rounded, Decimal(0)), code)
    return Totals(code, subtotal, subtotal, rounded)


def percent_of(amount: Decimal, percent: Decimal | int, currency: str) -> Decimal:
    """`percent` % of `amount`, rounded to the currency (a 30 % deposit)."""
    return round_money(to_decimal(amount) * to_decimal(percent) / Decimal(100), currency)


def format_money(amount: Decimal | int | str, currency: str, with_code: bool = True) -> str:
    """'USD 1,234.50', 'JPY 1,235', 'KWD 1.235' — grouped, with the currency's own digits."""
    code = normalise_currency(currency)
    value = round_money(amount, code)
    digits = exponent(code)
    text = f"{value:,.{digits}f}"
    return f"{code} {text}" if with_code else text


def format_unit_price(price: Decimal, currency: str) -> str:
    """'25.80', '0.235' — the currency's digits, more (up to 4) when the price is finer."""
    normal = price.normalize()
    places = normal.as_tuple().exponent
    finer = max(-places, 0) if isinstance(places, int) and normal != 0 else 0
    return f"{price:,.{max(exponent(currency), min(finer, 4))}f}"


def format_quantity(quantity: Decimal | int | str) -> str:
    """'1,200', '2.5' — grouped, no trailing zeros."""
    number = Decimal(str(quantity)).normalize()
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,f}"


__all__ = [
    "COMMON_CURRENCIES",
    "DEFAULT_EXPONENT",
    "EXPONENTS",
    "MoneyError",
    "Totals",
    "exponent",
    "format_money",
    "format_quantity",
    "format_unit_price",
    "line_total",
    "normalise_currency",
    "percent_of",
    "quantum",
    "quote_totals",
    "round_money",
    "to_decimal",
]
