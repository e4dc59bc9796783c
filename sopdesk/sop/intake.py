"""Rules for taking an inquiry in: free-mail domains, company names, received times, countries.

Pure functions only (no store, no I/O): the capture service and the importers use them to link a
new inquiry to the right customer and to read what the rep pasted or a file held.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

import pendulum

from sopdesk.i18n import _
from sopdesk.sop.countries import country_code, fold
from sopdesk.sop.stages import Channel

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text safe to store: NUL removed, lone surrogates (undecodable bytes) as U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    return _SURROGATE.sub("\ufffd", text)


def one_line(text: str) -> str:
    """A name or a header value on one line, runs of whitespace as one space."""
    return " ".join(clean_text(text).split())


# --- e-mail domains ---------------------------------------------------------------------------


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    """A table written as text (compact, and the formatter leaves it alone)."""
    return tuple(w.strip() for w in text.split(sep) if w.strip())


FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    _words(
        """
    gmail.com googlemail.com msn.com aol.com aim.com icloud.com me.com mac.com ymail.com
    rocketmail.com protonmail.com protonmail.ch proton.me pm.me zoho.com zohomail.com tutanota.com
    tuta.io fastmail.com hushmail.com mail.com email.com usa.com inbox.com lycos.com
    rediffmail.com rediff.com web.de t-online.de freenet.de arcor.de orange.fr wanadoo.fr free.fr
    laposte.net sfr.fr libero.it virgilio.it tiscali.it alice.it seznam.cz wp.pl o2.pl onet.pl
    interia.pl mail.ru bk.ru inbox.ru list.ru rambler.ru ukr.net i.ua abv.bg naver.com daum.net
    hanmail.net nate.com bol.com.br uol.com.br terra.com.br comcast.net verizon.net att.net
    sbcglobal.net bellsouth.net cox.net shaw.ca rogers.com sympatico.ca bigpond.com
    optusnet.com.au btinternet.com sky.com ntlworld.com virginmedia.com talktalk.net eircom.net
    telenet.be skynet.be home.nl ziggo.nl kpnmail.nl bluewin.ch walla.co.il emirates.net.ae
    qq.com vip.qq.com foxmail.com 163.com vip.163.com 126.com vip.126.com yeah.net 188.com
    sina.com sina.cn vip.sina.com sohu.com aliyun.com 139.com 189.cn wo.cn 21cn.com tom.com 263.net
    """
    )
)
"""Mailboxes anyone can open: a domain here never links two people to one customer."""

FREE_MAIL_FAMILIES: frozenset[str] = frozenset(
    {"yahoo", "hotmail", "outlook", "live", "windowslive", "yandex", "gmx"}
)
"""Providers with a domain per country (yahoo.co.uk, hotmail.fr, yandex.com.tr, gmx.de …)."""

_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "ne", "or", "ac"})


def email_domain(address: str) -> str | None:
    """The lower-case domain of an e-mail address, or None when it is not one."""
    text = address.strip().strip("<>").strip()
    if text.count("@") < 1:
        return None
    local, _sep, domain = text.rpartition("@")
    domain = domain.strip().rstrip(".").lower()
    if not local or not domain or "." not in domain or any(c.isspace() for c in domain):
        return None
    if domain.startswith(".") or ".." in domain:
        return None
    return domain


def is_free_mail(domain: str | None) -> bool:
    """True for public mailbox providers (gmail.com, qq.com, hotmail.co.uk …); None counts as free."""
    if not domain:
        return True
    domain = domain.strip().rstrip(".").lower()
    if domain in FREE_MAIL_DOMAINS:
        return True
    family, _sep, suffix = domain.partition(".")
    if family not in FREE_MAIL_FAMILIES:
        return False
    labels = suffix.split(".")
    if len(labels) == 1:  # hotmail.fr, yahoo.com, gmx.net
        return 2 <= len(labels[0]) <= 3 and labels[0].isalpha()
    # yahoo.co.uk, hotmail.com.br — not live.acme.com
    return len(labels) == 2 and labels[0] in _SECOND_LEVEL and len(labels[1]) == 2


# --- company names ---------------------------------------------------------------------------

_LEGAL_SUFFIXES: tuple[tuple[str, ...], ...] = tuple(
    tuple(suffix.split())
    for suffix in _words(
        """
    co ltd|co limited|company limited|pty ltd|pvt ltd|private limited|sp z o o|sp z oo|spolka z o o|
    s de rl de cv|s a de c v|sa de cv|s r l|s a|s l|s p a|s a s|s a r l|b v|n v|gmbh co kg|
    gmbh and co kg|co kg|ltda|ltd|limited|llc|l l c|inc|incorporated|corp|corporation|co|company|
    gmbh|ag|kg|ohg|ug|sa|sl|slu|srl|sarl|sas|spa|bv|nv|plc|llp|lp|pty|pte|pvt|oy|oyj|ab|as|asa|
    aps|kft|zrt|sro|doo|ooo|oao|zao|pjsc|jsc|tic|ltd sti|sti|bhd|sdn bhd|tbk|cv|fze|fzco|fzc|
    fz llc|wll|est|trading est|group
    """,
        "|",
    )
)
_SUFFIXES_BY_LAST_TOKEN: dict[str, list[tuple[str, ...]]] = {}
for _suffix in sorted(set(_LEGAL_SUFFIXES), key=len, reverse=True):
    _SUFFIXES_BY_LAST_TOKEN.setdefault(_suffix[-1], []).append(_suffix)
_CJK_SUFFIXES = _words("股份有限公司 有限责任公司 有限公司 集团公司 集团 公司 商行 工厂 厂")
_LEGAL_PREFIXES = frozenset({"the", "pt", "cv", "ooo", "oao", "zao", "ms"})
_DOTTED_ABBREVIATION = re.compile(r"\b((?:\w\.){2,})")


@lru_cache(maxsize=65536)
def normalise_company(name: str) -> str:
    """A company name reduced for matching: "ACME Trading Co., Ltd." and "acme trading" agree.

    Casefolded, punctuation removed, "&" read as "and", legal suffixes (Ltd, LLC, GmbH, S.A.,
    Co., 有限公司 …) stripped from the end. A name that is only a suffix is kept as it is.
    """
    text = fold(name).replace("&", " and ")
    text = _DOTTED_ABBREVIATION.sub(lambda m: m.group(1).replace(".", ""), text)
    tokens = re.sub(r"[^\w]+", " ", text).split()
    changed = True
    while changed and tokens:
        changed = False
        last = tokens[-1]
        for suffix in _CJK_SUFFIXES:
            if not last.endswith(suffix):
                continue
            if len(last) > len(suffix):
                tokens[-1] = last = last[: -len(suffix)]
            elif len(tokens) > 1:  # "深圳光明 有限公司"
                tokens.pop()
                last = tokens[-1]
            else:
                continue
            changed = True
        for suffix_tokens in _SUFFIXES_BY_LAST_TOKEN.get(last, ()):
            n = len(suffix_tokens)
            if len(tokens) > n and tuple(tokens[-n:]) == suffix_tokens:
                tokens = tokens[:-n]
                changed = True
                break
    if tokens[:2] == ["m", "s"] and len(tokens) > 2:  # "M/s. Sharma Traders" (India)
        tokens = tokens[2:]
    while len(tokens) > 1 and tokens[0] in _LEGAL_PREFIXES:
        tokens = tokens[1:]
    return " ".join(tokens)


# --- received time ----------------------------------------------------------------------------

FUTURE_TOLERANCE_MINUTES = 5
"""A received time up to this far ahead of now is taken as now (clocks differ a little)."""

_AGO = re.compile(
    r"^(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?"
    r"|w|weeks?|秒|分钟|分|小时|个小时|天|周)\s*(?:ago|前|之前|以前)$"
)
_UNIT_SECONDS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1, "秒": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "分钟": 60, "分": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600, "小时": 3600, "个小时": 3600,
    "d": 86400, "day": 86400, "days": 86400, "天": 86400,
    "w": 604800, "week": 604800, "weeks": 604800, "周": 604800,
}  # fmt: skip
_CLOCK = r"(?P<hour>\d{1,2})[:：](?P<minute>\d{2})(?:[:：](?P<second>\d{2})(?:\.\d{1,6})?)?\s*(?P<ampm>am|pm)?"
_CLOCK_ONLY = re.compile(rf"^(?:(?P<day>today|yesterday|今天|昨天)\s*)?{_CLOCK}$")
_YMD = re.compile(
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    rf"(?:(?:\s+|t|\s*日\s*){_CLOCK})?$"
)
_SLASHED = re.compile(
    r"^(?P<a>\d{1,2})\s*[/.-]\s*(?P<b>\d{1,2})\s*[/.-]\s*(?P<y>\d{4}|\d{2})"
    rf"(?:\s+{_CLOCK})?$"
)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _local(now: pendulum.DateTime, zone: str) -> pendulum.DateTime:
    return pendulum.instance(now).in_timezone(zone)


def _hour(match: re.Match[str]) -> tuple[int, int, int]:
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            message = _("{value} is not a time")
            raise ValueError(message.format(value=f"{hour}{match['ampm']}"))
        hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(_("{value!r} is not a time of day").format(value=match.group(0)))
    return hour, minute, second


def _at(zone: str, y: int, m: int, d: int, hms: tuple[int, int, int]) -> pendulum.DateTime:
    try:
        return pendulum.datetime(y, m, d, *hms, tz=zone)
    except ValueError as exc:
        raise ValueError(_("{date} is not a date").format(date=f"{y:04d}-{m:02d}-{d:02d}")) from exc


def slashed_date_order(text: str) -> str | None:
    """ "DMY" or "MDY" when a d/m/y-looking value can only be read one way; None otherwise."""
    match = _SLASHED.match(_clean(text))
    if not match:
        return None
    a, b = int(match["a"]), int(match["b"])
    if a > 12 >= b:
        return "DMY"
    if b > 12 >= a:
        return "MDY"
    return None


def _check_not_future(at: pendulum.DateTime, now: pendulum.DateTime) -> pendulum.DateTime:
    if at > now.add(minutes=FUTURE_TOLERANCE_MINUTES):
        raise ValueError(_("{at} is in the future").format(at=at.to_datetime_string()))
    return min(at, now).in_timezone("UTC")


def parse_received_time(
    text: str, now: datetime, rep_zone: str, date_order: str | None = None
) -> pendulum.DateTime:
    """When an inquiry arrived, from what the rep typed or a file held; aware, in UTC.

    Accepts "" or "now"; "14:05" (today in the rep's zone, yesterday if that is still ahead);
    "yesterday 14:05"; "10 min ago", "2h ago", "3 hours ago", "10分钟前"; "2026-11-26 09:30"
    (the rep's zone), "2026/11/26", "2026年11月26日 09:30"; ISO 8601 with an offset or Z; an
    RFC 2822 date. Day-first or month-first dates ("26/11/2026") need `date_order` ("DMY" or
    "MDY") unless the value can only be read one way. Raises ValueError saying what is wrong.
    """
    now_utc = pendulum.instance(now).in_timezone("UTC")
    raw = text
    text = _clean(text)
    if text in ("", "now", "just now", "刚刚", "现在"):
        return now_utc
    text = re.sub(r"^(?:an?|one)\s+", "1 ", text)
    if match := _AGO.match(text):
        seconds = float(match["n"]) * _UNIT_SECONDS[match["unit"]]
        if seconds > 366 * 86400:
            raise ValueError(_("{value!r} is more than a year ago").format(value=raw.strip()))
        return now_utc.subtract(seconds=int(seconds))
    local_now = _local(now_utc, rep_zone)
    if match := _CLOCK_ONLY.match(text):
        hms = _hour(match)
        at = _at(rep_zone, local_now.year, local_now.month, local_now.day, hms)
        if match["day"] in ("yesterday", "昨天") or (match["day"] is None and at > local_now):
            yesterday = local_now.subtract(days=1)
            at = _at(rep_zone, yesterday.year, yesterday.month, yesterday.day, hms)
        return _check_not_future(at, now_utc)
    if match := _YMD.match(text):
        hms = _hour(match) if match["hour"] else (0, 0, 0)
        at = _at(rep_zone, int(match["y"]), int(match["m"]), int(match["d"]), hms)
        return _check_not_future(at, now_utc)
    if match := _SLASHED.match(text):
        a, b = int(match["a"]), int(match["b"])
        order = date_order or slashed_date_order(text)
        if order is None:
            message = _("{value!r}: day and month could be either way round; write 2026-11-26")
            raise ValueError(message.format(value=raw.strip()))
        day, month = (a, b) if order == "DMY" else (b, a)
        year = int(match["y"])
        year += 2000 if year < 100 else 0
        hms = _hour(match) if match["hour"] else (0, 0, 0)
        return _check_not_future(_at(rep_zone, year, month, day, hms), now_utc)
    parsed = _parse_iso(text) or _parse_rfc2822(raw)
    if parsed is not None:
        return _check_not_future(parsed, now_utc)
    message = _("cannot read {value!r} as a time: use 14:05, 10 min ago or 2026-11-26 09:30")
    raise ValueError(message.format(value=raw.strip()[:40]))


def _parse_iso(text: str) -> pendulum.DateTime | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}t\d{2}:\d{2}", text) or not re.search(
        r"(z|[+-]\d{2}:?\d{2})$", text
    ):
        return None
    try:
        value = datetime.fromisoformat(text.upper())
    except ValueError:
        return None
    return pendulum.instance(value).in_timezone("UTC") if value.tzinfo else None


def _parse_rfc2822(text: str) -> pendulum.DateTime | None:
    from email.utils import parsedate_to_datetime

    try:
        value = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if value is None or value.tzinfo is None:
        return None
    return pendulum.instance(value).in_timezone("UTC")


# --- channels ---------------------------------------------------------------------------------

_CHANNEL_WORDS: dict[str, Channel] = {
    "site inquiry": Channel.SITE_INQUIRY, "site": Channel.SITE_INQUIRY,
    "inquiry": Channel.SITE_INQUIRY, "enquiry": Channel.SITE_INQUIRY,
    "alibaba": Channel.SITE_INQUIRY, "message center": Channel.SITE_INQUIRY,
    "站内信": Channel.SITE_INQUIRY, "询盘": Channel.SITE_INQUIRY,
    "trademanager": Channel.TRADEMANAGER, "trade manager": Channel.TRADEMANAGER,
    "tm": Channel.TRADEMANAGER, "tm咨询": Channel.TRADEMANAGER, "旺旺": Channel.TRADEMANAGER,
    "rfq": Channel.RFQ, "email": Channel.EMAIL, "e mail": Channel.EMAIL, "mail": Channel.EMAIL,
    "邮件": Channel.EMAIL, "邮箱": Channel.EMAIL, "whatsapp": Channel.WHATSAPP,
    "wa": Channel.WHATSAPP, "wechat": Channel.WECHAT, "weixin": Channel.WECHAT,
    "微信": Channel.WECHAT, "phone": Channel.PHONE, "call": Channel.PHONE,
    "telephone": Channel.PHONE, "电话": Channel.PHONE, "other": Channel.OTHER,
    "其他": Channel.OTHER, "其它": Channel.OTHER,
}  # fmt: skip


def parse_channel(text: str) -> Channel:
    """A Channel from its value or a common word for it ("TM", "站内信", "e-mail")."""
    key = re.sub(r"[\s_\-/]+", " ", _clean(text)).strip()
    try:
        return Channel(key.replace(" ", "_"))
    except ValueError:
        pass
    if key in _CHANNEL_WORDS:
        return _CHANNEL_WORDS[key]
    raise ValueError(_("unknown channel {value!r}").format(value=text.strip()[:30]))


# --- dedupe -----------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def content_hash(
    channel: str,
    sender: str,
    company: str,
    subject: str,
    message: str,
    received_at: datetime | None,
    extra: Iterable[str] = (),
) -> str:
    """A fingerprint for an inquiry without a Message-ID: the same paste or row twice agrees.

    Whitespace and case do not count; the received time counts to the minute when it is known
    (pass None when the source had no time, so a re-import on another day still agrees).
    """
    minute = ""
    if received_at is not None:
        minute = pendulum.instance(received_at).in_timezone("UTC").strftime("%Y-%m-%dT%H:%M")
    parts = [channel, sender, company, subject, message, minute, *extra]
    digest = hashlib.sha256("\x1f".join(_squash(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()


__all__ = [
    "FREE_MAIL_DOMAINS",
    "clean_text",
    "content_hash",
    "country_code",
    "email_domain",
    "is_free_mail",
    "normalise_company",
    "one_line",
    "parse_channel",
    "parse_received_time",
    "slashed_date_order",
]
