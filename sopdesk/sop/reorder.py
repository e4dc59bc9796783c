"""When will a customer order again? (SOP 5.3: predict when their stock runs out, ask in time.)

How the prediction is made:

1. Orders placed on the same day count as one order (their quantities add up).
2. With fewer than two orders there is no prediction: one date says nothing about a rhythm.
3. The mean interval is the time from the first to the last order divided by the number of gaps
   between them: orders on 1 Mar, 1 Jun and 1 Sep give (184 days) / 2 = 92 days.
4. When every order has a quantity, the last order is weighed against the earlier ones: the
   customer used up the earlier orders' goods over the span between first and last order, so a
   last order twice the usual size lasts about twice as long. The factor (last quantity ÷ mean of
   the earlier quantities) is held between 0.5 and 2, so one odd order cannot throw the date far.
   Without quantities the factor is 1.
5. The next order is due on last order + mean interval × factor.
6. The rep is asked ahead of that day, by a quarter of the interval, at least 7 and at most 45
   days, so there is time for a quotation and production before the buyer's stock runs out.

Pure: no I/O. Dates are calendar days (the rep's local day of each order).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

MIN_ORDERS = 2
FACTOR_MIN = Decimal("0.5")
FACTOR_MAX = Decimal(2)
ASK_SHARE = Decimal("0.25")
ASK_MIN_DAYS = 7
ASK_MAX_DAYS = 45


@dataclass(frozen=True)
class PastOrder:
    day: date
    quantity: Decimal | None = None
    """Total quantity of the order (any unit, as long as a customer's orders use the same);
    None when unknown."""


@dataclass(frozen=True)
class Prediction:
    next_order_on: date
    ask_on: date
    """When to ask about the next order."""
    mean_interval_days: int
    factor: Decimal
    """Quantity weighting applied to the interval (1 without quantities)."""
    orders: int
    """How many (same-day merged) orders the prediction rests on."""
    last_order_on: date


def _merged(orders: Iterable[PastOrder]) -> list[PastOrder]:
    by_day: dict[date, Decimal | None] = {}
    unknown: set[date] = set()
    for order in orders:
        if order.quantity is None or order.quantity <= 0:
            unknown.add(order.day)
        current = by_day.get(order.day, Decimal(0))
        by_day[order.day] = (current or Decimal(0)) + (order.quantity or Decimal(0))
    return [PastOrder(day, None if day in unknown else by_day[day]) for day in sorted(by_day)]


def _round_days(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def predict(orders: Iterable[PastOrder]) -> Prediction | None:
    """The next order's day, or None with fewer than two orders (see the module docstring)."""
    history = _merged(orders)
    if len(history) < MIN_ORDERS:
        return None
    first, last = history[0], history[-1]
    span = Decimal((last.day - first.day).days)
    interval = span / (len(history) - 1)
    factor = Decimal(1)
    earlier = [o.quantity for o in history[:-1]]
    if last.quantity is not None and all(q is not None for q in earlier):
        mean_earlier = sum((q for q in earlier if q is not None), Decimal(0)) / len(earlier)
        if mean_earlier > 0:
            factor = min(max(last.quantity / mean_earlier, FACTOR_MIN), FACTOR_MAX)
    days = _round_days(interval * factor)
    next_on = last.day + timedelta(days=days)
    ahead = min(max(_round_days(interval * factor * ASK_SHARE), ASK_MIN_DAYS), ASK_MAX_DAYS)
    ask_on = max(next_on - timedelta(days=ahead), last.day + timedelta(days=1))
    return Prediction(
        next_order_on=next_on,
        ask_on=ask_on,
        mean_interval_days=_round_days(interval),
        factor=factor.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        orders=len(history),
        last_order_on=last.day,
    )


__all__ = ["MIN_ORDERS", "PastOrder", "Prediction", "predict"]
