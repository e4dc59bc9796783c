"""Countries, time zones and business hours: the customer's local time beside the rep's.

Zones per country come from the IANA `zone.tab` shipped in the tzdata package. A customer's zone is
inferred from the country only when the country has exactly one zone (the US has dozens).

Working days come from the `holidays` package: the country's weekend (Fri–Sat in Saudi Arabia), its
national public holidays (Christmas in Germany, Thanksgiving in the US, China's Golden Week) and,
where the package knows them, weekend days made working days in exchange for a bridge holiday
(China). Regional holidays (a German Land, a US state) are not counted: the customer's region is
not known. A country the package does not know has Saturday–Sunday weekends and no holidays.
Holiday tables are built once per country and year, and cached.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import pendulum

from sopdesk import i18n

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


@cache
def zone(name: str) -> Any:
    """The pendulum zone `name`, kept alive. Zones live in zoneinfo's weak cache only, so a zone
    nobody holds is read from disk again on the next conversion — thousands of times in one run of
    the cadence engine over customers in many countries. Holding each zone used here (a few
    hundred exist) makes every later `in_timezone(name)` anywhere a cache hit."""
    return pendulum.timezone(name)


def to_local(at: datetime, zone_name: str) -> pendulum.DateTime:
    return pendulum.instance(at).in_timezone(zone(zone_name))


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


_NO_HOLIDAYS: Mapping[date, str] = MappingProxyType({})


def _holiday_language(supported: tuple[str, ...], ui_language: str) -> str | None:
    """Holiday names in the UI language when the package has them, else in English (or, when it
    has no English either, in the country's own language)."""
    for language in ("zh_CN" if ui_language == "zh_CN" else "en_US", "en_US"):
        if language in supported:
            return language
    return None


@lru_cache(maxsize=512)
def _calendar(
    country: str, year: int, ui_language: str
) -> tuple[Mapping[date, str], frozenset[date]]:
    """(public holidays with their names, weekend days worked instead) of one country and year."""
    try:
        import holidays

        probe: Any = holidays.country_holidays(country)  # lazy: computes no year yet
        language = _holiday_language(tuple(probe.supported_languages), ui_language)
        table: Any = holidays.country_holidays(country, years=year, language=language)
    except (NotImplementedError, KeyError, AttributeError, ValueError):
        return _NO_HOLIDAYS, frozenset()
    names = MappingProxyType({day: str(name) for day, name in table.items() if day.year == year})
    workdays = frozenset(
        d for d in getattr(table, "weekend_workdays", ()) if isinstance(d, date) and d.year == year
    )
    return names, workdays


def public_holidays(country: str | None, year: int) -> Mapping[date, str]:
    """The country's national public holidays in `year` with their names; empty when unknown."""
    if not country:
        return _NO_HOLIDAYS
    return _calendar(country.upper(), year, i18n.current())[0]


def holiday_name(country: str | None, day: date) -> str | None:
    """The public holiday `day` is in the country, if it is one ("Christmas Day")."""
    return public_holidays(country, day.year).get(day)


def is_working_day(day: date, country: str | None = None) -> bool:
    """Not the country's weekend (unless worked in exchange for a holiday) nor a public holiday."""
    if not country:
        return day.weekday() not in WEEKEND
    names, workdays = _calendar(country.upper(), day.year, i18n.current())
    if day in workdays:
        return True
    return day.weekday() not in weekend_days(country) and day not in names


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
    """09:00–18:00 on one of the country's working days (weekends and public holidays are not)."""
    if not is_working_day(local.date(), country):
        return False
    return BUSINESS_START <= local.time() < BUSINESS_END


def utc_offset_label(local: pendulum.DateTime) -> str:
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")
