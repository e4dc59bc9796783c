"""Money: ISO 4217 exponents, half-up rounding per currency, line and quote totals, tiers."""

from __future__ import annotations

from decimal import Decimal

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sopdesk.sop import money
from sopdesk.sop.quotes import Tier, tier_price

CLDR_DIFFERS_FROM_ISO = frozenset(
    {"AFN", "ALL", "COP", "HUF", "IDR", "IQD", "IRR", "KPW", "LAK", "LBP", "MGA", "MMK", "SOS",
     "SYP", "YER"}
)  # fmt: skip
"""Currencies where babel (CLDR) gives other digits than ISO 4217's minor unit."""


def test_exponents_are_iso_4217() -> None:
    assert money.exponent("JPY") == 0
    assert money.exponent("KRW") == 0
    assert money.exponent("USD") == 2
    assert money.exponent("eur") == 2
    assert money.exponent("KWD") == 3
    assert money.exponent("BHD") == 3
    assert money.exponent("CLF") == 4


def test_the_table_names_real_currencies_and_agrees_with_babel_where_cldr_follows_iso() -> None:
    from babel.numbers import get_currency_precision

    codes = {c.alpha_3 for c in pycountry.currencies}
    assert set(money.EXPONENTS) <= codes
    assert set(money.COMMON_CURRENCIES) <= codes
    for code in sorted(codes):
        if code in CLDR_DIFFERS_FROM_ISO or (code.startswith("X") and code not in money.EXPONENTS):
            continue
        assert money.exponent(code) == get_currency_precision(code), code


def test_jpy_has_no_decimals() -> None:
    assert money.round_money(Decimal("1234.5"), "JPY") == Decimal("1235")
    assert money.line_total(Decimal(3), Decimal("33.5"), "JPY") == Decimal("101")
    assert money.format_money(Decimal("1234567.4"), "JPY") == "JPY 1,234,567"
    assert str(money.quantum("JPY")) == "1"


def test_kwd_has_three_decimals() -> None:
    assert money.round_money(Decimal("1.0005"), "KWD") == Decimal("1.001")
    assert money.format_money(Decimal("1234.5"), "KWD") == "KWD 1,234.500"
    assert money.line_total(Decimal(7), Decimal("0.1235"), "KWD") == Decimal("0.865")


def test_rounding_is_half_up_not_bankers() -> None:
    assert money.round_money(Decimal("0.125"), "USD") == Decimal("0.13")
    assert money.round_money(Decimal("0.135"), "USD") == Decimal("0.14")
    assert money.round_money(Decimal("2.5"), "JPY") == Decimal("3")
    assert money.round_money(Decimal("-0.125"), "USD") == Decimal("-0.13")


def test_line_totals_round_once_and_the_total_is_the_sum_of_rounded_lines() -> None:
    totals = money.quote_totals(
        [(Decimal(3), Decimal("0.335")), (Decimal(3), Decimal("0.335"))], "USD"
    )
    assert totals.lines == (Decimal("1.01"), Decimal("1.01"))
    assert totals.total == Decimal("2.02")  # not round(2.01) from the unrounded 2.010
    big = money.quote_totals([(600, Decimal("25.80")), (400, Decimal("12.80"))], "USD")
    assert big.total == Decimal("20600.00")
    assert big.currency == "USD"


def test_text_amounts_are_read_and_floats_refused() -> None:
    assert money.to_decimal("1,234.50") == Decimal("1234.50")
    with pytest.raises(money.MoneyError):
        money.to_decimal(1.5)  # type: ignore[arg-type]
    with pytest.raises(money.MoneyError):
        money.to_decimal("twelve")
    with pytest.raises(money.MoneyError):
        money.to_decimal("NaN")
    with pytest.raises(money.MoneyError):
        money.normalise_currency("US")


def test_percent_of_rounds_to_the_currency() -> None:
    assert money.percent_of(Decimal("20600.00"), 30, "USD") == Decimal("6180.00")
    assert money.percent_of(Decimal("1001"), 30, "JPY") == Decimal("300")


def test_quantity_tiers() -> None:
    tiers = [
        Tier(500, Decimal("25.80"), "USD"),
        Tier(100, Decimal("28.50"), "USD"),
        Tier(1000, Decimal("23.90"), "USD"),
    ]
    assert tier_price(tiers, 499).unit_price == Decimal("28.50")
    assert tier_price(tiers, 500).unit_price == Decimal("25.80")
    assert tier_price(tiers, 5000).min_qty == 1000
    under = tier_price(tiers, 20)
    assert under.unit_price == Decimal("28.50") and under.below_moq
    assert not tier_price(tiers, 100).below_moq
    assert tier_price([], 10) is None


@given(
    st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False),
    st.sampled_from(["USD", "JPY", "KWD", "EUR", "CLF"]),
)
def test_rounding_lands_on_the_currency_grid_within_half_a_unit(
    amount: Decimal, currency: str
) -> None:
    rounded = money.round_money(amount, currency)
    assert rounded == rounded.quantize(money.quantum(currency))
    assert abs(rounded - amount) <= money.quantum(currency) / 2
