"""Reorder prediction on synthetic order histories (sop/reorder.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sopdesk.sop.reorder import PastOrder, predict


def test_no_prediction_from_fewer_than_two_orders() -> None:
    assert predict([]) is None
    assert predict([PastOrder(date(2026, 3, 1), Decimal(500))]) is None
    # two orders the same day are one order
    same_day = [PastOrder(date(2026, 3, 1), Decimal(5)), PastOrder(date(2026, 3, 1), Decimal(7))]
    assert predict(same_day) is None


def test_regular_rhythm_gives_the_mean_interval() -> None:
    history = [
        PastOrder(date(2026, 3, 1)),
        PastOrder(date(2026, 6, 1)),
        PastOrder(date(2026, 9, 1)),
    ]
    found = predict(history)
    assert found is not None
    assert found.mean_interval_days == 92  # 184 days over two gaps
    assert found.next_order_on == date(2026, 12, 2)
    assert found.factor == Decimal("1.00")
    assert found.ask_on == found.next_order_on - timedelta(days=23)  # a quarter of 92
    assert found.orders == 3 and found.last_order_on == date(2026, 9, 1)


def test_order_of_input_does_not_matter() -> None:
    a = [PastOrder(date(2026, 1, 10), Decimal(100)), PastOrder(date(2026, 4, 10), Decimal(100))]
    assert predict(a) == predict(list(reversed(a)))


def test_a_bigger_last_order_lasts_longer() -> None:
    base = [PastOrder(date(2026, 1, 1), Decimal(100)), PastOrder(date(2026, 3, 2), Decimal(100))]
    bigger = [base[0], PastOrder(date(2026, 3, 2), Decimal(150))]
    even, more = predict(base), predict(bigger)
    assert even is not None and more is not None
    assert even.next_order_on == date(2026, 3, 2) + timedelta(days=60)
    assert more.next_order_on == date(2026, 3, 2) + timedelta(days=90)
    assert more.factor == Decimal("1.50")


def test_the_quantity_factor_is_capped() -> None:
    history = [PastOrder(date(2026, 1, 1), Decimal(10)), PastOrder(date(2026, 2, 1), Decimal(1000))]
    found = predict(history)
    assert found is not None and found.factor == Decimal("2.00")
    assert found.next_order_on == date(2026, 2, 1) + timedelta(days=62)


def test_unknown_quantities_fall_back_to_the_plain_interval() -> None:
    history = [PastOrder(date(2026, 1, 1), Decimal(10)), PastOrder(date(2026, 2, 1), None)]
    found = predict(history)
    assert found is not None and found.factor == Decimal("1.00")
    assert found.next_order_on == date(2026, 3, 4)


def test_short_intervals_still_ask_a_week_ahead_but_never_before_the_last_order() -> None:
    found = predict([PastOrder(date(2026, 1, 1)), PastOrder(date(2026, 1, 5))])
    assert found is not None
    assert found.next_order_on == date(2026, 1, 9)
    assert found.ask_on == date(2026, 1, 6)  # the day after the last order


@given(
    st.lists(st.integers(min_value=0, max_value=3000), min_size=2, max_size=12, unique=True),
    st.lists(st.integers(min_value=1, max_value=10_000), min_size=12, max_size=12),
)
def test_prediction_is_after_the_last_order_and_asks_before_it(
    offsets: list[int], quantities: list[int]
) -> None:
    start = date(2020, 1, 1)
    history = [
        PastOrder(start + timedelta(days=d), Decimal(q))
        for d, q in zip(offsets, quantities, strict=False)
    ]
    found = predict(history)
    assert found is not None
    last = max(o.day for o in history)
    assert found.last_order_on == last
    assert last < found.ask_on <= found.next_order_on or found.next_order_on == last + timedelta(
        days=1
    )
    assert found.next_order_on > last
