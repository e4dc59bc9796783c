"""Countries, time zones and business hours: the customer's local time beside the rep's.

Zones per country come from the IANA `zone.tab` shipped in the tzdata package. A customer's zone is
inferred from the country only when the country has exactly one zone (the US has dozens).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from functools import lru_cache
from importlib import resources

import pendulum

BUSINESS_START = time(9, 0)
BUSINESS_END = time(18, 0)
WEEKEND = (5, 6)  # Saturday, Sunday (pendulum: Monday is 0)


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    zones: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            zones.setdefault(parts[0].upper(), []).append(parts[2])
    return {code: tuple(z) for code, z in zones.items()}


def zones_for_country(country: str) -> tuple[str, ...]:
    return _zones_by_country().get(country.upper(), ())


_PROBES = (
    pendulum.datetime(2026, 1, 15, 12, tz="UTC"),
    pendulum.datetime(2026, 7, 15, 12, tz="UTC"),
)


def _offsets(zone: str) -> tuple[object, ...]:
    return tuple(probe.in_timezone(zone).utcoffset() for probe in _PROBES)


@lru_cache(maxsize=512)
def infer_timezone(country: str | None) -> str | None:
    """The country's zone when it effectively has one; otherwise None (ask, or use the phone).

    Zones that keep the same clock all year (Europe/Berlin and Europe/Busingen) count as one; the
    first listed in zone.tab, the principal one, is returned. The US, Brazil, Russia … give None.
    """
    if not country:
        return None
    zones = zones_for_country(country)
    if not zones:
        return None
    first = _offsets(zones[0])
    if all(_offsets(zone) == first for zone in zones[1:]):
        return zones[0]
    return None


def to_local(at: datetime, zone: str) -> pendulum.DateTime:
    return pendulum.instance(at).in_timezone(zone)


@lru_cache(maxsize=256)
def weekend_days(country: str | None) -> tuple[int, ...]:
    """The country's weekend (Monday is 0): Fri–Sat in Saudi Arabia or Egypt, Sat–Sun in the UAE
    since 2022 — from the `holidays` package, which tracks such changes; Sat–Sun when unknown."""
    if not country:
        return WEEKEND
    try:
        import holidays

        return tuple(sorted(holidays.country_holidays(country.upper()).weekend))
    except (NotImplementedError, KeyError, AttributeError):
        return WEEKEND


@dataclass(frozen=True)
class LocalTime:
    """A moment as the customer lives it."""

    at: pendulum.DateTime
    zone: str
    business_hours: bool

    @property
    def clock(self) -> str:
        return self.at.format("HH:mm")

    @property
    def day(self) -> str:
        return self.at.format("ddd")


def local_time(at: datetime, zone: str, country: str | None = None) -> LocalTime:
    local = to_local(at, zone)
    return LocalTime(at=local, zone=zone, business_hours=is_business_hours(local, country))


def is_business_hours(local: pendulum.DateTime, country: str | None = None) -> bool:
    if local.day_of_week in weekend_days(country):
        return False
    return BUSINESS_START <= local.time() < BUSINESS_END


def utc_offset_label(local: pendulum.DateTime) -> str:
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")
