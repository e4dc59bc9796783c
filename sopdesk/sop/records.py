"""The customer record's fields and the SOP's customer sheet (appendix 1), as pure rules.

What a valid e-mail, phone, country, website or money amount is; the sheet's columns in Chinese and
English; the words reps write for stages, sources, buyer types and lost reasons; the date and
money forms spreadsheets hold (Excel serial numbers, d.m.yyyy, "USD 12,000", "¥80000", "12k"), and
what Excel does to phone numbers. No store, no I/O: the records service and the sheet importer and
exporter share these.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from sopdesk.i18n import _, ngettext
from sopdesk.sop import intake
from sopdesk.sop.stages import BuyerType, Channel, LostReason, Potential, Stage

# --- the sheet's columns ----------------------------------------------------------------------


@dataclass(frozen=True)
class SheetColumn:
    field: str
    en: str
    zh: str
    aliases: tuple[str, ...] = ()


SHEET_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("number", "Customer no.", "客户编号", ("customer no", "customer number", "no.", "编号", "客户号")),
    SheetColumn("company", "Company/Name", "公司/姓名", ("company", "company name", "公司", "公司名称", "客户名称", "customer", "客户")),
    SheetColumn("country", "Country", "国家", ("国家/地区", "country/region", "地区", "region")),
    SheetColumn("source", "Source", "来源", ("客户来源", "channel", "渠道", "lead source")),
    SheetColumn("first_contact", "First contact date", "首次接触日期", ("first contact", "首次接触", "首次联系日期", "首次联系", "first contacted")),
    SheetColumn("stage", "Current status", "当前状态", ("status", "stage", "状态", "客户状态", "阶段", "current stage")),
    SheetColumn("latest_follow_up", "Latest follow-up", "最近跟进内容", ("latest follow up", "last follow-up", "last follow up", "最近跟进", "跟进内容", "跟进记录")),
    SheetColumn("next_follow_up", "Next follow-up plan", "下次跟进计划", ("next follow-up", "next follow up", "next follow up plan", "下次跟进", "next step", "跟进计划")),
    SheetColumn("expected_value", "Expected order value", "预计订单价值", ("expected value", "order value", "预计金额", "预计订单金额", "预计价值")),
    SheetColumn("notes", "Notes", "备注", ("note", "remarks", "remark", "comments", "comment")),
    SheetColumn("contact", "Contact", "联系人", ("contact name", "contact person", "姓名", "name")),
    SheetColumn("email", "E-mail", "邮箱", ("email", "e-mail address", "email address", "电子邮件", "邮件", "邮件地址", "电子邮箱")),
    SheetColumn("phone", "Phone", "电话", ("telephone", "tel", "tel.", "mobile", "手机", "电话号码", "phone number", "联系电话")),
    SheetColumn("whatsapp", "WhatsApp", "WhatsApp", ("whats app", "wa")),
    SheetColumn("website", "Website", "网站", ("web", "url", "官网", "web site", "网址")),
    SheetColumn("buyer_type", "Buyer type", "客户类型", ("customer type", "type", "类型", "买家类型")),
    SheetColumn("potential", "Potential", "采购潜力", ("purchasing potential", "潜力", "等级", "grade")),
    SheetColumn("lost_reason", "Lost reason", "流失原因", ("reason lost", "丢单原因")),
    SheetColumn("tags", "Tags", "标签", ("tag", "labels")),
)  # fmt: skip
"""Appendix 1's ten columns, then the contact and background-check fields the sheet keeps too."""

MAPPABLE_FIELDS: tuple[str, ...] = (
    *(c.field for c in SHEET_COLUMNS),
    "name",
    "first_name",
    "last_name",
    "phone2",
    "linkedin",
    "ignore",
)
"""What `--map 'Header=field'` may name."""


def header_key(text: str) -> str:
    """A header reduced for matching: "  公司 / 姓名 :" and "公司/姓名" agree."""
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip(" :*：")


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for column in SHEET_COLUMNS:
        for name in (column.en, column.zh, column.field, *column.aliases):
            index.setdefault(header_key(name), column.field)
    return index


HEADERS: dict[str, str] = _header_index()


def field_for_header(text: str) -> str | None:
    return HEADERS.get(header_key(text))


# --- words for the vocabularies ---------------------------------------------------------------

STAGE_WORDS: dict[Stage, tuple[str, str, tuple[str, ...]]] = {
    Stage.LEAD: ("Lead", "潜在客户", ("潜在", "线索", "new", "prospect", "inquiry", "询盘")),
    Stage.INTENT: ("Intent", "意向客户", ("意向", "跟进中", "following up", "interested", "qualified")),
    Stage.NEGOTIATION: ("Negotiation", "谈判客户", ("谈判", "谈判中", "报价", "样品", "sample", "quoted", "negotiating")),
    Stage.ORDER: ("Order", "订单客户", ("订单", "成交", "已下单", "下单", "won", "deal", "ordered", "customer")),
    Stage.LOYAL: ("Loyal", "忠实客户", ("忠实", "复购", "老客户", "repeat", "repeat customer")),
    Stage.LOST: ("Lost", "已流失", ("流失", "丢单", "lost deal", "closed lost")),
    Stage.DORMANT: ("Dormant", "沉睡客户", ("沉睡", "休眠", "inactive", "sleeping", "no response")),
}  # fmt: skip
BUYER_TYPE_WORDS: dict[BuyerType, tuple[str, str, tuple[str, ...]]] = {
    BuyerType.UNKNOWN: ("unknown", "未知", ("", "-", "n/a")),
    BuyerType.END_USER: ("end user", "终端用户", ("end-user", "enduser", "终端", "用户", "contractor", "工程商")),
    BuyerType.WHOLESALER: ("wholesaler", "批发商", ("wholesale", "批发")),
    BuyerType.RETAILER: ("retailer", "零售商", ("retail", "零售", "shop", "store")),
    BuyerType.TRADER: ("trader/importer", "贸易商", ("trader", "importer", "trading company", "进口商", "贸易公司")),
    BuyerType.DISTRIBUTOR: ("distributor", "分销商", ("经销商", "代理商", "dealer", "agent")),
}  # fmt: skip
LOST_REASON_WORDS: dict[LostReason, tuple[str, str, tuple[str, ...]]] = {
    LostReason.PRICE: ("price", "价格", ("too expensive", "价格高", "price too high")),
    LostReason.LEAD_TIME: ("lead time", "交期", ("delivery", "交货期", "delivery time")),
    LostReason.QUALITY: ("quality", "质量", ("品质",)),
    LostReason.COMPETITOR: ("competitor", "竞争对手", ("同行", "competition", "other supplier")),
    LostReason.NO_RESPONSE: ("no response", "无回复", ("no reply", "失联", "不回复", "silent")),
    LostReason.OTHER: ("other", "其他", ("其它",)),
}  # fmt: skip
SOURCE_ZH: dict[Channel, str] = {
    Channel.SITE_INQUIRY: "站内信",
    Channel.TRADEMANAGER: "TM咨询",
    Channel.RFQ: "RFQ",
    Channel.EMAIL: "邮件",
    Channel.WHATSAPP: "WhatsApp",
    Channel.WECHAT: "微信",
    Channel.PHONE: "电话",
    Channel.OTHER: "其他",
}
SOURCE_EN: dict[Channel, str] = {
    Channel.SITE_INQUIRY: "Site inquiry",
    Channel.TRADEMANAGER: "TradeManager",
    Channel.RFQ: "RFQ",
    Channel.EMAIL: "E-mail",
    Channel.WHATSAPP: "WhatsApp",
    Channel.WECHAT: "WeChat",
    Channel.PHONE: "Phone",
    Channel.OTHER: "Other",
}
_EXTRA_SOURCES: dict[str, Channel] = {
    "阿里巴巴": Channel.SITE_INQUIRY, "阿里": Channel.SITE_INQUIRY,
    "alibaba.com": Channel.SITE_INQUIRY, "国际站": Channel.SITE_INQUIRY,
    "阿里巴巴国际站": Channel.SITE_INQUIRY, "trade show": Channel.OTHER, "展会": Channel.OTHER,
    "exhibition": Channel.OTHER, "google": Channel.OTHER, "referral": Channel.OTHER,
    "转介绍": Channel.OTHER, "website": Channel.OTHER, "官网": Channel.OTHER,
    "linkedin": Channel.OTHER, "facebook": Channel.OTHER,
}  # fmt: skip


def _word_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().replace("_", " ").split())


def _lookup(words: dict, text: str):  # type: ignore[no-untyped-def]
    """The member `text` names, or None."""
    key = _word_key(text)
    for member, (en, zh, aliases) in words.items():
        if key in (_word_key(member.value), _word_key(en), _word_key(zh)) or key in {
            _word_key(a) for a in aliases
        }:
            return member
    return None


def parse_stage(text: str) -> Stage:
    """A stage from its name in English or Chinese ("Intent", "意向客户", "谈判")."""
    found = _lookup(STAGE_WORDS, text)
    if found is None:
        raise ValueError(
            _(
                "{value!r} is not a stage (lead, intent, negotiation, order, loyal, lost, dormant)"
            ).format(value=text.strip()[:40])
        )
    return found


def parse_buyer_type(text: str) -> BuyerType:
    found = _lookup(BUYER_TYPE_WORDS, text)
    if found is None:
        raise ValueError(
            _(
                "{value!r} is not a buyer type (end user, wholesaler, retailer, trader/importer, "
                "distributor)"
            ).format(value=text.strip()[:40])
        )
    return found


def parse_lost_reason(text: str) -> LostReason:
    found = _lookup(LOST_REASON_WORDS, text)
    if found is None:
        raise ValueError(
            _(
                "{value!r} is not a lost reason (price, lead time, quality, competitor, "
                "no response, other)"
            ).format(value=text.strip()[:40])
        )
    return found


def parse_source(text: str) -> Channel:
    """A source: a channel word ("站内信", "TM", "e-mail") or a common non-platform source."""
    key = _word_key(text)
    if key in _EXTRA_SOURCES:
        return _EXTRA_SOURCES[key]
    try:
        return intake.parse_channel(text)
    except ValueError:
        raise ValueError(_("{value!r} is not a source").format(value=text.strip()[:40])) from None


def parse_potential(text: str) -> Potential | None:
    key = _word_key(text).upper()
    if key in ("", "-", "—"):
        return None
    key = {"高": "A", "中": "B", "低": "C"}.get(key, key)
    try:
        return Potential(key)
    except ValueError:
        raise ValueError(
            _("{value!r} is not a potential (A, B or C)").format(value=text.strip()[:20])
        ) from None


def parse_bool(text: str) -> bool:
    key = _word_key(text)
    if key in ("yes", "y", "true", "1", "done", "是", "已完成", "完成", "✓", "x", "on"):
        return True
    if key in ("no", "n", "false", "0", "", "否", "未完成", "not done", "off", "-"):
        return False
    raise ValueError(_("{value!r} is not yes or no").format(value=text.strip()[:20]))


def stage_word(stage: Stage, lang: str) -> str:
    en, zh, _aliases = STAGE_WORDS[stage]
    return zh if lang == "zh" else en


def buyer_type_word(value: BuyerType, lang: str) -> str:
    en, zh, _aliases = BUYER_TYPE_WORDS[value]
    return zh if lang == "zh" else en


def lost_reason_word(value: LostReason, lang: str) -> str:
    en, zh, _aliases = LOST_REASON_WORDS[value]
    return zh if lang == "zh" else en


def source_word(value: Channel, lang: str) -> str:
    return SOURCE_ZH[value] if lang == "zh" else SOURCE_EN[value]


# --- contact fields ---------------------------------------------------------------------------


def normalise_email(text: str) -> str:
    """A deliverable-looking address, normalised (domain lower-cased); ValueError says why not."""
    from email_validator import EmailNotValidError, validate_email

    value = text.strip().strip("<>").strip()
    if not value:
        raise ValueError(_("empty e-mail address"))
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        # TRANSLATORS: {why} is email-validator's own explanation, in English.
        message = _("{value!r} is not an e-mail address: {why}")
        raise ValueError(message.format(value=value[:60], why=exc)) from None
    return str(result.normalized)


_EXCEL_ERRORS = ("#name?", "#value!", "#ref!", "#div/0!", "#n/a", "#num!", "#null!")


def excel_damage(text: str) -> str | None:
    """Why a phone cell looks damaged by Excel (evaluated as a formula, turned into 1.2E+10): a
    noun phrase, in the UI language ("a negative number: Excel read …")."""
    value = text.strip()
    if not value:
        return None
    # TRANSLATORS: the three damages are noun phrases: "{value!r} is {damage}" and
    # "{column} {value!r} not imported: {damage}" show them.
    if re.fullmatch(r"-\d+(?:[.,]\d+)?", value):
        return _(
            "a negative number: Excel read the phone number as a formula "
            "(e.g. +1-846-706-2218 → -3769)"
        )
    if re.fullmatch(r"\d+(?:[.,]\d+)?[eE][+-]?\d+", value):
        return _("scientific notation: Excel turned the number into a float and dropped digits")
    if value.casefold() in _EXCEL_ERRORS or re.fullmatch(r"#+", value):
        return _("an Excel error value ({value})").format(value=value)
    return None


def normalise_phone(text: str, region: str | None = None) -> str:
    """E.164 ("+4917012345678") from what a rep or a sheet wrote; ValueError says why not.

    A number without a country code is read in `region` (the customer's country). Only numbers
    that are valid for their country pass (not merely the right length), so a number read in the
    wrong country is refused rather than stored as a wrong E.164.
    """
    import phonenumbers

    value = text.strip()
    if not value:
        raise ValueError(_("empty phone number"))
    damage = excel_damage(value)
    if damage is not None:
        raise ValueError(_("{value!r} is {damage}").format(value=value, damage=damage))
    candidate = re.sub(r"^00", "+", re.sub(r"[\s().\-/]", "", value.split("x")[0]))
    try:
        number = phonenumbers.parse(
            candidate if candidate.startswith("+") else value, region or None
        )
    except phonenumbers.NumberParseException:
        if region:
            message = _("{value!r} is not a phone number for {region}")
        else:
            message = _("{value!r} is not a phone number (write it with +country code)")
        raise ValueError(message.format(value=value[:40], region=region)) from None
    if not phonenumbers.is_valid_number(number):
        if region and not candidate.startswith("+"):
            message = _("{value!r} is not a valid phone number in {region}; add the +country code")
        else:
            message = _("{value!r} is not a valid phone number; add the +country code")
        raise ValueError(message.format(value=value[:40], region=region))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def whatsapp_link(phone: str) -> str:
    """`https://wa.me/<digits>` for an E.164 number (WhatsApp wants digits only)."""
    digits = re.sub(r"\D", "", phone)
    return f"https://wa.me/{digits}" if digits else ""


def normalise_website(text: str) -> str:
    """A website as a URL ("acme.com" → "https://acme.com"); ValueError when it cannot be one."""
    value = text.strip()
    if not value:
        return ""
    if any(c.isspace() for c in value):
        raise ValueError(_("{value!r} is not a website: it has spaces").format(value=value[:60]))
    if not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
        value = f"https://{value}"
    parts = urlsplit(value)
    host = parts.hostname or ""
    if parts.scheme.lower() not in ("http", "https") or "." not in host:
        message = _("{value!r} is not a website (write it like acme.com)")
        raise ValueError(message.format(value=text.strip()[:60]))
    if not re.fullmatch(r"[\w.-]+", host) or host.startswith(".") or ".." in host:
        message = _("{value!r} is not a website (bad host name)")
        raise ValueError(message.format(value=text.strip()[:60]))
    return value


def normalise_linkedin(text: str) -> str:
    value = normalise_website(text)
    if value and "linkedin." not in (urlsplit(value).hostname or ""):
        raise ValueError(_("{value!r} is not a LinkedIn address").format(value=text.strip()[:60]))
    return value


def website_domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def parse_country(text: str) -> str:
    """ISO 3166-1 alpha-2 from a code, an English or Chinese name or a variant ("" for blank)."""
    if not text.strip():
        return ""
    code = intake.country_code(text)
    if code is None:
        # "Slovakia (Slovak Republic)", "Bouvet Island (Bouvetoy)", "Pitcairn Islands"
        head, _sep, rest = text.partition("(")
        for variant in (
            head,
            rest.rstrip(") "),
            re.sub(r"\s+islands?$", "", text.strip(), flags=re.I),
        ):
            if variant.strip() and variant.strip() != text.strip():
                code = intake.country_code(variant)
                if code is not None:
                    return code
        message = _("{value!r} is not a country (write a name or an ISO code)")
        raise ValueError(message.format(value=text.strip()[:40]))
    return code


def country_name(code: str, lang: str = "en") -> str:
    """The name a sheet shows for a country code (Chinese for lang "zh" where one is known)."""
    import pycountry

    if not code:
        return ""
    if lang == "zh":
        name = _chinese_names_by_code().get(code)
        if name:
            return name
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


_chinese_names: dict[str, str] = {}


def _chinese_names_by_code() -> dict[str, str]:
    """Code → Chinese name, the reverse of the Chinese names `country_code` reads (the first
    name listed for a code wins). sop/countries.py has no public reverse table yet."""
    if not _chinese_names:
        from sopdesk.sop import countries

        for name, code in getattr(countries, "_COUNTRY_ZH", {}).items():
            _chinese_names.setdefault(code, name)
    return _chinese_names


def parse_zone(text: str) -> str:
    import pendulum

    value = text.strip()
    if not value:
        return ""
    try:
        pendulum.timezone(value)
    except Exception:
        message = _("{value!r} is not a time zone (write it like Europe/Berlin)")
        raise ValueError(message.format(value=value[:40])) from None
    return value


def parse_tags(text: str) -> str:
    """ "vip, 展会；project  vip" → "vip, 展会, project"."""
    tags = [t for t in re.split(r"[,;，；、\s]+", text.strip()) if t]
    return ", ".join(dict.fromkeys(tags))


def one_line(text: str, limit: int = 300) -> str:
    value = intake.one_line(text)
    if len(value) > limit:
        raise ValueError(too_long(len(value), limit))
    return value


def too_long(length: int, limit: int) -> str:
    """Why a text of `length` characters is refused where at most `limit` fit."""
    return ngettext(
        "too long: {n} character, at most {limit}",
        "too long: {n} characters, at most {limit}",
        length,
    ).format(n=length, limit=limit)


# --- money ------------------------------------------------------------------------------------

_CURRENCY_WORDS: dict[str, str] = {
    "us$": "USD", "$": "USD", "usd": "USD", "美元": "USD", "美金": "USD",
    "€": "EUR", "eur": "EUR", "欧元": "EUR", "£": "GBP", "gbp": "GBP", "英镑": "GBP",
    "¥": "CNY", "￥": "CNY", "rmb": "CNY", "cny": "CNY", "元": "CNY", "人民币": "CNY",
    "jpy": "JPY", "円": "JPY", "aud": "AUD", "a$": "AUD", "cad": "CAD", "c$": "CAD",
    "hkd": "HKD", "hk$": "HKD", "inr": "INR", "₹": "INR", "aed": "AED", "chf": "CHF",
    "rub": "RUB", "₽": "RUB", "brl": "BRL", "r$": "BRL", "mxn": "MXN", "sgd": "SGD",
    "krw": "KRW", "₩": "KRW", "try": "TRY", "₺": "TRY", "zar": "ZAR", "sar": "SAR",
    "nzd": "NZD", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "pln": "PLN", "zł": "PLN",
}  # fmt: skip
"""¥ is read as CNY: the rep's sheet is kept in China (a JPY amount says "JPY")."""
_MULTIPLIERS = {"k": 1000, "千": 1000, "m": 1_000_000, "mn": 1_000_000, "万": 10_000, "w": 10_000}
_MONEY = re.compile(
    r"^(?P<pre>[^\d\s.,-]*)\s*(?P<num>\d[\d\s,.'\u00a0\u202f]*)\s*(?P<mult>k|千|mn|m|万|w)?\s*(?P<post>[^\d\s.,]*)$",
    re.IGNORECASE,
)


def _number(text: str) -> Decimal:
    digits = re.sub(r"[\s'\u00a0\u202f]", "", text)
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        digits = digits.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in digits:
        if re.fullmatch(r"\d{1,3}(,\d{3})+", digits):
            digits = digits.replace(",", "")
        elif digits.count(",") == 1:
            digits = digits.replace(",", ".")
        else:
            raise ValueError(_("unclear thousands and decimal separators"))
    elif digits.count(".") > 1:
        if not re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):
            raise ValueError(_("unclear thousands and decimal separators"))
        digits = digits.replace(".", "")
    try:
        return Decimal(digits)
    except InvalidOperation:
        raise ValueError(_("not a number")) from None


def parse_money(text: str, default_currency: str = "USD") -> tuple[Decimal, str] | None:
    """("USD 12,000" | "¥80000" | "12k" | "€3.5k" | "1.234,56 €" | "5万") → (amount, ISO code).

    None for a blank cell; ValueError for anything else that is not an amount.
    """
    value = unicodedata.normalize("NFKC", text).strip()
    if value in ("", "-", "—"):
        return None
    match = _MONEY.match(value)
    if match is None:
        message = _("{value!r} is not an amount (write it like USD 12,000)")
        raise ValueError(message.format(value=text.strip()[:40]))
    words = [w for w in (match["pre"], match["post"]) if w]
    currency = default_currency
    for word in words:
        code = _CURRENCY_WORDS.get(word.casefold())
        if code is None and re.fullmatch(r"[A-Za-z]{3}", word):
            code = word.upper()
        if code is None:
            message = _("{value!r}: unknown currency {currency!r}")
            raise ValueError(message.format(value=text.strip()[:40], currency=word))
        currency = code
    try:
        amount = _number(match["num"].strip())
    except ValueError as exc:
        message = _("{value!r} is not an amount ({why})")
        raise ValueError(message.format(value=text.strip()[:40], why=exc)) from None
    if match["mult"]:
        amount *= _MULTIPLIERS[match["mult"].casefold()]
    if amount.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValueError(_("{value!r} has more than 4 decimals").format(value=text.strip()[:40]))
    return amount, currency


def format_money(amount: Decimal, currency: str) -> str:
    return f"{currency} {amount:,.2f}"


# --- dates in spreadsheets --------------------------------------------------------------------

DMY = "DMY"
MDY = "MDY"
_EXCEL_EPOCH = date(1899, 12, 30)
_ISO = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ t].*)?$")
_NUMERIC = re.compile(
    r"^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}.*)?$"
)
_SERIAL = re.compile(r"^\d{1,7}(?:\.\d+)?$")
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}  # fmt: skip
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[\s-]+([a-z]+)\.?[\s,-]+(\d{4}|\d{2})$")
_MONTH_NAME_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


def excel_serial_date(serial: float) -> date:
    """An Excel (1900 system) serial day number as a date: 45231 → 2023-11-01."""
    if not 1 <= serial < 2958466:
        raise ValueError(_("{value} is not an Excel date serial").format(value=serial))
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # Excel's rule: 00–29 → 2000s, 30–99 → 1900s
        year += 2000 if year < 30 else 1900
    return year


def numeric_date_order(text: str) -> str | None:
    """DMY or MDY when "a/b/y" can only be read one way; DMY for dotted dates; else None."""
    match = _NUMERIC.match(text.strip())
    if match is None:
        return None
    a, sep, b = int(match.group(1)), match.group(2), int(match.group(3))
    if sep == ".":
        return DMY
    if a > 12 >= b:
        return DMY
    if b > 12 >= a:
        return MDY
    return None


@dataclass(frozen=True)
class DateOrder:
    """How a column writes day and month, decided from all its values at once."""

    order: str
    ambiguous: bool
    """No value decided it: the default (or the user's --date-order) was used."""
    conflicting: bool = False
    """Some values are only d/m and others only m/d: the column mixes both."""


def date_order(values: list[str], default: str = DMY) -> DateOrder:
    seen = {numeric_date_order(v) for v in values if _NUMERIC.match(v.strip())}
    decided = seen - {None}
    dotted = all(m.group(2) == "." for v in values if (m := _NUMERIC.match(v.strip())) is not None)
    if len(decided) == 2:
        return DateOrder(default, ambiguous=False, conflicting=True)
    if decided:
        return DateOrder(str(decided.pop()), ambiguous=False)
    has_numeric = any(_NUMERIC.match(v.strip()) for v in values)
    return DateOrder(default, ambiguous=has_numeric and not dotted)


def parse_sheet_date(value: object, order: str = DMY) -> date | None:
    """A date from a cell: a date/datetime, an Excel serial, ISO or 年月日, d.m.yyyy, a/b/yyyy
    (read in `order`), "24-Aug-2020" or "Aug 24, 2020". None for a blank cell."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return excel_serial_date(float(value))
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    if not text:
        return None
    try:
        if match := _ISO.match(text):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := _NUMERIC.match(text):
            a, sep, b = int(match.group(1)), match.group(2), int(match.group(3))
            year = _year(match.group(4))
            only = numeric_date_order(text)
            use = only or (DMY if sep == "." else order)
            day, month = (a, b) if use == DMY else (b, a)
            return date(year, month, day)
        if _SERIAL.match(text):
            return excel_serial_date(float(text))
        if (match := _DAY_MONTH_NAME.match(text)) and match.group(2) in _MONTHS:
            return date(_year(match.group(3)), _MONTHS[match.group(2)], int(match.group(1)))
        if (match := _MONTH_NAME_DAY.match(text)) and match.group(1) in _MONTHS:
            return date(int(match.group(3)), _MONTHS[match.group(1)], int(match.group(2)))
    except ValueError:
        raise ValueError(
            _("{value!r} is not a date").format(value=str(value).strip()[:30])
        ) from None
    message = _("{value!r} is not a date (write it like 2026-03-05)")
    raise ValueError(message.format(value=str(value).strip()[:30]))


_LEADING_WHEN = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ t](\d{1,2}:\d{2}))?(?:\s+|$)")


def split_plan(text: str) -> tuple[date | None, str | None, str]:
    """ "2026-12-03 09:30 send the quote" → (date, "09:30", "send the quote"); no date → the text."""
    value = intake.one_line(text)
    match = _LEADING_WHEN.match(value)
    if match is None:
        return None, None, value
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:
        return None, None, value
    return day, match.group(2), value[match.end() :].strip()
