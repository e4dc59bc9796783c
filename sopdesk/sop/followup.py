"""When to follow up next, from what the rep types: "+3d", "fri 10:00", "next week", "明天".

Everything is read in the rep's own time zone, so "tomorrow" is the rep's tomorrow and "+1d" keeps
the wall-clock time across a daylight-saving change (pendulum's `add(days=…)`), while "+2h" is two
real hours. A day without a time means the start of the working day (09:00). A moment that is
already past is refused: a follow-up plan is always ahead.
"""

from __future__ import annotations

import re
from datetime import date, time

import pendulum

from sopdesk.i18n import _

DEFAULT_TIME = time(9, 0)
"""A day given without a time: the start of the working day."""

_WEEKDAYS: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "周一", "星期一", "礼拜一"),
        ("tue", "tues", "tuesday", "周二", "星期二", "礼拜二"),
        ("wed", "wednesday", "周三", "星期三", "礼拜三"),
        ("thu", "thur", "thurs", "thursday", "周四", "星期四", "礼拜四"),
        ("fri", "friday", "周五", "星期五", "礼拜五"),
        ("sat", "saturday", "周六", "星期六", "礼拜六"),
        ("sun", "sunday", "周日", "周天", "星期日", "星期天", "礼拜日", "礼拜天"),
    )
):
    for _name in _names:
        _WEEKDAYS[_name] = _index  # pendulum: Monday is 0

_RELATIVE = re.compile(r"^\+\s*(\d{1,4})\s*(m|min|h|d|w)$")
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})[-/](\d{1,2})$")
_CN_DATE = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]$")
_CN_DAYS_LATER = re.compile(r"^(\d{1,3})\s*天后$")
_CN_TIME = re.compile(r"^(上午|下午|晚上)?(\d{1,2})[点:：](?:(\d{1,2})分?|半)?$")

_DAY_WORDS = {
    "today": 0,
    "今天": 0,
    "tomorrow": 1,
    "tmr": 1,
    "明天": 1,
    "后天": 2,
}

EXAMPLES = '"+3d", "+2h", "tomorrow", "fri 10:00", "2026-12-03 09:30", "12-03", "next week", "明天", "下周"'


def _error(text: str, why: str = "") -> ValueError:
    """`why` is already in the UI language."""
    if why:
        message = _("cannot read {value!r} as a follow-up time ({why}); try {examples}")
    else:
        message = _("cannot read {value!r} as a follow-up time; try {examples}")
    return ValueError(message.format(value=text, why=why, examples=EXAMPLES))


def _parse_time(text: str) -> time | None:
    match = _TIME.match(text)
    if match is not None:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        meridiem = match.group(3)
        if meridiem is not None:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        if hour > 23 or minute > 59:
            return None
        return time(hour, minute)
    match = _CN_TIME.match(text)
    if match is not None:
        part, hour = match.group(1), int(match.group(2))
        minute = 30 if text.endswith("半") else int(match.group(3) or 0)
        if part in ("下午", "晚上") and hour < 12:
            hour += 12
        if hour > 23 or minute > 59:
            return None
        return time(hour, minute)
    return None


def _at(day: date, at: time, zone: str) -> pendulum.DateTime:
    """A wall-clock time on a day in `zone`; a time skipped by DST moves forward (pendulum)."""
    return pendulum.datetime(day.year, day.month, day.day, at.hour, at.minute, tz=zone)


def _split_time(text: str) -> tuple[str, time | None]:
    """ "fri 10:00" → ("fri", 10:00); "明天下午3点" → ("明天", 15:00); no time → (text, None)."""
    parts = text.rsplit(" ", 1)
    if len(parts) == 2:
        parsed = _parse_time(parts[1])
        if parsed is not None:
            return parts[0].strip(), parsed
    for word in sorted(set(_DAY_WORDS) | set(_WEEKDAYS) | {"下周"}, key=len, reverse=True):
        if text.startswith(word) and len(text) > len(word) and not text[len(word)].isascii():
            parsed = _parse_time(text[len(word) :].strip())
            if parsed is not None:
                return word, parsed
    return text, None


def _day(text: str, local: pendulum.DateTime) -> pendulum.Date | None:
    """The calendar day `text` names, seen from the rep's local now; None if it names none."""
    today = local.date()
    if text in _DAY_WORDS:
        return today.add(days=_DAY_WORDS[text])
    if text in ("next week", "下周", "下星期", "下礼拜"):
        return today.next(pendulum.MONDAY)
    if text.startswith(("next ", "下周", "下星期")):
        rest = text.removeprefix("next ").removeprefix("下星期").removeprefix("下周").strip()
        rest_day = _WEEKDAYS.get(rest) if rest else None
        if rest_day is None and rest and text.startswith(("下周", "下星期")):
            rest_day = _WEEKDAYS.get("周" + rest)
        if rest_day is not None:
            monday = today.next(pendulum.MONDAY)
            return monday.add(days=rest_day)
        return None
    if text in _WEEKDAYS:
        weekday = _WEEKDAYS[text]
        ahead = (weekday - today.day_of_week) % 7
        return today.add(days=ahead)
    match = _CN_DAYS_LATER.match(text)
    if match is not None:
        return today.add(days=int(match.group(1)))
    match = _ISO_DATE.match(text)
    if match is not None:
        return _checked_date(int(match.group(1)), int(match.group(2)), int(match.group(3)), text)
    match = _CN_DATE.match(text)
    if match is not None:
        year = int(match.group(1)) if match.group(1) else None
        return _month_day(year, int(match.group(2)), int(match.group(3)), today, text)
    match = _MONTH_DAY.match(text)
    if match is not None:
        return _month_day(None, int(match.group(1)), int(match.group(2)), today, text)
    return None


def _checked_date(year: int, month: int, day: int, text: str) -> pendulum.Date:
    try:
        return pendulum.date(year, month, day)
    except ValueError as exc:
        raise _error(text, _("no such date")) from exc


def _month_day(
    year: int | None, month: int, day: int, today: pendulum.Date, text: str
) -> pendulum.Date:
    """ "12-03" is 3 December: this year's, or next year's once this year's has passed."""
    if year is not None:
        return _checked_date(year, month, day, text)
    candidate = _checked_date(today.year, month, day, text)
    if candidate < today:
        candidate = _checked_date(today.year + 1, month, day, text)
    return candidate


def parse_follow_up(text: str, now: pendulum.DateTime, rep_zone: str) -> pendulum.DateTime:
    """The moment `text` names, in the rep's zone `rep_zone`; ValueError if unreadable or past."""
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise ValueError(_("empty follow-up time; try {examples}").format(examples=EXAMPLES))
    try:
        local = now.in_timezone(rep_zone)
    except Exception as exc:
        raise ValueError(_("{value!r} is not a time zone").format(value=rep_zone)) from exc

    match = _RELATIVE.match(cleaned)
    if match is not None:
        amount, unit = int(match.group(1)), match.group(2)
        if amount == 0:
            raise _error(text, _("a follow-up needs a time ahead"))
        if unit in ("m", "min"):
            return local.add(minutes=amount)
        if unit == "h":
            return local.add(hours=amount)
        if unit == "d":
            return local.add(days=amount)
        return local.add(weeks=amount)

    day_text, at = _split_time(cleaned)
    only_time = _parse_time(cleaned)
    if only_time is not None and day_text == cleaned:
        # "15:00": today at 15:00 if still ahead, else tomorrow.
        result = _at(local.date(), only_time, rep_zone)
        if result <= local:
            result = _at(local.date().add(days=1), only_time, rep_zone)
        return result

    day = _day(day_text, local)
    if day is None:
        raise _error(text)
    result = _at(day, at or DEFAULT_TIME, rep_zone)
    if day_text in _WEEKDAYS and result <= local:
        result = _at(day.add(days=7), at or DEFAULT_TIME, rep_zone)
    if result <= local:
        shown = result.format("YYYY-MM-DD HH:mm")
        message = _("{value!r} is {at}, already past; a follow-up must be ahead")
        raise ValueError(message.format(value=text.strip(), at=shown))
    return result


def describe(at: pendulum.DateTime, rep_zone: str, customer_zone: str | None) -> str:
    """ "Thu 3 Dec 09:30 (Asia/Shanghai) · customer Thu 3 Dec 02:30 (Europe/Berlin)"."""
    mine = at.in_timezone(rep_zone)
    text = f"{mine.format('ddd D MMM HH:mm')} ({rep_zone})"
    if customer_zone and customer_zone != rep_zone:
        theirs = at.in_timezone(customer_zone)
        text += f" · {theirs.format('ddd D MMM HH:mm')} ({customer_zone})"
    return text
