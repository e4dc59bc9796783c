"""Store data (SOP 1.1) and zero-effect products (SOP 1.2): averages, changes, sparklines, rules.

Pure: numbers in, numbers out. The services read the daily rows from the store and hand them here.

Days without an import are *unknown*, not zero: they are left out of the averages and drawn as a
blank in the sparkline, so a forgotten import does not read as a collapse in traffic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from sopdesk.i18n import N_

SHORT_WINDOW_DAYS = 7
LONG_WINDOW_DAYS = 28
SPARKLINE_DAYS = 30

ZERO_EFFECT_WINDOW_DAYS = 30
"""Zero-effect products are judged over this many days of product data (until the playbook sets it)."""
LOW_CTR_FACTOR = Decimal("0.25")
"""A product's click-through rate is "far below" the store's when under this share of it."""
MIN_EXPOSURE_FOR_CTR = 200
"""Below this exposure a product's click-through rate says nothing yet; only "no clicks" counts."""

SPARK_BARS = "▁▂▃▄▅▆▇█"
SPARK_GAP = " "
"""A day without data in a sparkline."""

METRIC_FIELDS: tuple[str, ...] = ("exposure", "clicks", "inquiries", "tm_chats", "visitors")
"""The store's daily figures, in the platform's order (曝光, 点击, 询盘, TM咨询, 访客)."""


def average(values: Sequence[int | Decimal]) -> Decimal | None:
    """Arithmetic mean to two places; None for no values."""
    if not values:
        return None
    total = sum((Decimal(v) for v in values), Decimal(0))
    return (total / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def trailing_values(series: Mapping[date, int], before: date, days: int) -> list[int]:
    """The known values of the `days` days before `before` (that day itself excluded)."""
    out = []
    for back in range(days, 0, -1):
        day = before - timedelta(days=back)
        if day in series:
            out.append(series[day])
    return out


def trailing_average(series: Mapping[date, int], before: date, days: int) -> Decimal | None:
    """Average of the known days in the `days` days before `before`; None when none is known."""
    return average(trailing_values(series, before, days))


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"


ARROWS = {Direction.UP: "▲", Direction.DOWN: "▼", Direction.FLAT: "="}


@dataclass(frozen=True)
class Change:
    """How a value compares with its baseline: direction and relative change in percent."""

    direction: Direction
    percent: Decimal | None
    """None when the baseline is zero and the value is not: a rise from nothing has no percentage."""

    @property
    def arrow(self) -> str:
        return ARROWS[self.direction]

    def label(self) -> str:
        """ "▲ 12.5%", "▼ 3.0%", "= 0.0%" or "▲ new"."""
        if self.percent is None:
            return f"{self.arrow} new"
        return f"{self.arrow} {abs(self.percent)}%"


def change(value: int | Decimal | None, baseline: Decimal | int | None) -> Change | None:
    """Relative change of `value` against `baseline` (one decimal place); None when either is unknown."""
    if value is None or baseline is None:
        return None
    v, b = Decimal(value), Decimal(baseline)
    if b == 0:
        if v == 0:
            return Change(Direction.FLAT, Decimal("0.0"))
        return Change(Direction.UP if v > 0 else Direction.DOWN, None)
    pct = ((v - b) / b * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if pct > 0:
        return Change(Direction.UP, pct)
    if pct < 0:
        return Change(Direction.DOWN, pct)
    return Change(Direction.FLAT, pct)


def sparkline(values: Sequence[int | None]) -> str:
    """One character per value, scaled from the smallest to the largest known value; None is a
    gap. All-equal values draw a flat middle line, so a steady store does not look empty or full.
    """
    known = [v for v in values if v is not None]
    low, high = min(known, default=0), max(known, default=0)
    top = len(SPARK_BARS) - 1
    chars = []
    for v in values:
        if v is None:
            chars.append(SPARK_GAP)
        elif high == low:
            chars.append(SPARK_BARS[top // 2])
        else:
            index = (Decimal(v - low) * top / (high - low)).quantize(
                Decimal("1"), rounding=ROUND_HALF_UP
            )
            chars.append(SPARK_BARS[int(index)])
    return "".join(chars)


def daily_values(series: Mapping[date, int], last: date, days: int) -> list[int | None]:
    """The `days` values ending with `last` (inclusive), None where no data was imported."""
    return [series.get(last - timedelta(days=back)) for back in range(days - 1, -1, -1)]


# --- zero-effect products -------------------------------------------------------------------


class ZeroEffectReason(StrEnum):
    NO_EXPOSURE = "no_exposure"
    """Nobody saw it: no exposure, no clicks, no inquiries."""
    NO_CLICKS = "no_clicks"
    """Seen but never clicked, and no inquiries."""
    LOW_CTR = "low_ctr"
    """Seen, clicked far less often than the store's products on average, and no inquiries."""


class Improvement(StrEnum):
    """What SOP 1.2 says to improve on a zero-effect product."""

    TITLE = "title"
    KEYWORDS = "keywords"
    MAIN_IMAGE = "main_image"
    DETAIL_PAGE = "detail_page"


IMPROVEMENT_LABELS: dict[Improvement, str] = {
    Improvement.TITLE: N_("title"),
    Improvement.KEYWORDS: N_("keywords"),
    Improvement.MAIN_IMAGE: N_("main image"),
    Improvement.DETAIL_PAGE: N_("detail page"),
}

REASON_LABELS: dict[ZeroEffectReason, str] = {
    ZeroEffectReason.NO_EXPOSURE: N_("no exposure"),
    ZeroEffectReason.NO_CLICKS: N_("exposure but no clicks"),
    ZeroEffectReason.LOW_CTR: N_("click-through rate far below the store's"),
}

IMPROVEMENTS: dict[ZeroEffectReason, tuple[Improvement, ...]] = {
    # Not found: the product does not match what buyers search for.
    ZeroEffectReason.NO_EXPOSURE: (Improvement.KEYWORDS, Improvement.TITLE),
    # Found but passed over in the results: the picture and the title sell the click.
    ZeroEffectReason.NO_CLICKS: (Improvement.MAIN_IMAGE, Improvement.TITLE),
    # Clicked rarely and never asked about: the result and the page both need work.
    ZeroEffectReason.LOW_CTR: (Improvement.MAIN_IMAGE, Improvement.TITLE, Improvement.DETAIL_PAGE),
}


@dataclass(frozen=True)
class ProductTotals:
    """One product's figures summed over the window."""

    name: str
    exposure: int
    clicks: int
    inquiries: int


def ctr(clicks: int, exposure: int) -> Decimal | None:
    """Click-through rate as a fraction (four places); None without exposure."""
    if exposure <= 0:
        return None
    return (Decimal(clicks) / Decimal(exposure)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def zero_effect_reason(
    product: ProductTotals,
    store_ctr: Decimal | None,
    low_ctr_factor: Decimal = LOW_CTR_FACTOR,
    min_exposure: int = MIN_EXPOSURE_FOR_CTR,
) -> ZeroEffectReason | None:
    """Why the product is zero-effect over the window, or None when it is not.

    A product with any inquiry is never zero-effect. Without inquiries it is when it had no
    exposure, no clicks despite exposure, or — with at least `min_exposure` to judge by — a CTR
    under `low_ctr_factor` × the store's CTR.
    """
    if product.inquiries > 0:
        return None
    if product.exposure <= 0:
        return ZeroEffectReason.NO_EXPOSURE if product.clicks <= 0 else None
    if product.clicks <= 0:
        return ZeroEffectReason.NO_CLICKS
    own = ctr(product.clicks, product.exposure)
    if (
        store_ctr is not None
        and store_ctr > 0
        and own is not None
        and product.exposure >= min_exposure
        and own < store_ctr * low_ctr_factor
    ):
        return ZeroEffectReason.LOW_CTR
    return None


def zero_effect_window(last_day: date, days: int = ZERO_EFFECT_WINDOW_DAYS) -> tuple[date, date]:
    """The window's first and last day (inclusive), ending with the last day of product data."""
    return last_day - timedelta(days=days - 1), last_day
