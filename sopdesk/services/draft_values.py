"""The values reply templates see: plain frozen records (never models) and small helpers.

Each record names itself for error messages ("customer contact name is empty — fill it in or edit
the draft"): see draft_sandbox.Record. `DraftContext.variables()` is the whole vocabulary of a
template; `CONTEXT_NAMES` lists it for the "not a value drafts know" message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

import pendulum
from jinja2.exceptions import UndefinedError
from jinja2.runtime import Undefined

from sopdesk import clock
from sopdesk.i18n import N_, _
from sopdesk.services.draft_sales import SalesValues
from sopdesk.services.draft_sandbox import Record
from sopdesk.sop.stages import Channel, Stage

CONTEXT_NAMES = (
    "rep",
    "company",
    "customer",
    "contact",
    "inquiry",
    "product",
    "products",
    "template",
    "local",
    "money",
    "greeting",
    "first_name",
    "and_list",
    "quote",
    "order",
    "sample",
    "holiday",
    "reorder",
)


# --- the records --------------------------------------------------------------


@dataclass(frozen=True)
class RepValues(Record):
    _label: ClassVar[str] = N_("your")
    _in_settings: ClassVar[bool] = True
    name: str
    title: str
    email: str
    whatsapp: str
    signature: str


@dataclass(frozen=True)
class CompanyValues(Record):
    _label: ClassVar[str] = N_("our company")
    _in_settings: ClassVar[bool] = True
    _words: ClassVar[dict[str, str]] = {"years": N_("years of experience")}
    name: str
    years: int | None
    markets: str
    certificates: str
    website: str


@dataclass(frozen=True)
class CustomerValues(Record):
    _label: ClassVar[str] = N_("customer")
    _words: ClassVar[dict[str, str]] = {
        "country_name": N_("country"),
        "buyer_type": N_("buyer type"),
        "timezone": N_("time zone"),
    }
    code: str
    company: str
    name: str
    display_name: str
    country: str
    country_name: str | None
    timezone: str | None
    website: str
    email_domain: str
    buyer_type: str | None
    """end_user, wholesaler, retailer, trader, distributor; None when unknown."""
    potential: str | None
    stage: str
    background_check_done: bool
    platform_profile: str
    notes: str


@dataclass(frozen=True)
class ContactValues(Record):
    _label: ClassVar[str] = N_("customer contact")
    name: str
    role: str
    email: str
    phone: str
    whatsapp: str


@dataclass(frozen=True)
class InquiryValues(Record):
    _label: ClassVar[str] = N_("inquiry")
    _words: ClassVar[dict[str, str]] = {"product": N_("product (what the buyer asked about)")}
    id: int
    channel: str
    received_at: pendulum.DateTime
    subject: str
    body: str
    products: str
    product: str
    """What the buyer asked about, in a few words: our catalogue's name when it matched."""
    quantity: str
    port: str
    has_specs: bool
    missing_details: tuple[str, ...]
    """Of "specs", "quantity", "port": what the buyer has not told us yet (SOP 2.1)."""
    answered: bool
    first_reply_at: pendulum.DateTime | None


@dataclass(frozen=True)
class PriceTierValues(Record):
    _label: ClassVar[str] = N_("price tier")
    min_qty: int
    unit_price: Decimal
    currency: str


@dataclass(frozen=True)
class ProductValues(Record):
    _label: ClassVar[str] = N_("product")
    _words: ClassVar[dict[str, str]] = {
        "moq": N_("MOQ"),
        "lead_time_days": N_("lead time"),
        "hs_code": N_("HS code"),
    }
    sku: str
    name: str
    specs: str
    material: str
    process: str
    certifications: str
    packaging: str
    moq: int | None
    unit: str
    lead_time_days: int | None
    selling_points: str
    applications: str
    hs_code: str
    price_tiers: tuple[PriceTierValues, ...]

    def _group_words(self) -> str:
        return _("product {sku}").format(sku=self.sku)


@dataclass(frozen=True)
class TemplateValues(Record):
    _label: ClassVar[str] = N_("template")
    id: str
    title: str
    channel: str
    lang: str


@dataclass(frozen=True)
class Situation:
    """Where the conversation stands, for choosing a template (pick_template)."""

    channel: Channel
    replied: bool
    """The inquiry has its first reply."""
    stage: Stage
    background_check_done: bool
    missing_details: tuple[str, ...]
    days_without_answer: int | None
    """Whole days since our last outbound touch, when the customer has not written since."""
    quote_waiting: bool = False
    """A quote went out after the customer's last message and they have not answered."""


@dataclass(frozen=True)
class DraftContext:
    inquiry_id: int
    customer_id: int
    rep: RepValues
    company: CompanyValues
    customer: CustomerValues
    contact: ContactValues
    inquiry: InquiryValues
    products: tuple[ProductValues, ...]
    situation: Situation
    customer_zone: str | None
    now: pendulum.DateTime = field(default_factory=clock.now)
    sales: SalesValues = field(default_factory=SalesValues)
    """The customer's quote, order, sample, next holiday and next order (draft_sales.py)."""

    def variables(self, template: TemplateValues) -> dict[str, Any]:
        """The names a template sees, with helpers bound to the customer's zone and language."""
        lang = template.lang
        names: dict[str, Any] = {
            "rep": self.rep,
            "company": self.company,
            "customer": self.customer,
            "contact": self.contact,
            "inquiry": self.inquiry,
            "products": self.products,
            "template": template,
            "local": _local_helper(self.customer_zone, lang, self.now),
            "money": money,
            "greeting": _greeting_helper(self.customer_zone, lang, self.now),
            "first_name": first_name,
            "and_list": _and_list_helper(lang),
        }
        if self.products:
            names["product"] = self.products[0]
        for name in ("quote", "order", "sample", "holiday", "reorder"):
            value = getattr(self.sales, name)
            if value is not None:
                names[name] = value
        return names


# --- helpers for templates -----------------------------------------------------------------

_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "sr", "sra", "herr", "frau"}
)


def first_name(name: Any) -> str:
    """'Mr. Hans Müller' → 'Hans'. A missing name stays an error naming it."""
    if isinstance(name, Undefined):
        name._fail_with_undefined_error()
    words = [w for w in str(name).replace(",", " ").split() if w]
    while len(words) > 1 and words[0].rstrip(".").lower() in _HONORIFICS:
        words.pop(0)
    if not words:
        raise UndefinedError(_("the name is empty — fill it in or edit the draft"))
    return words[0]


def money(amount: Any, currency: Any = "USD") -> str:
    """'USD 1,234.50' from a Decimal (or int/str) amount, in the currency's digits (JPY 1,235)."""
    for value in (amount, currency):
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()
    if isinstance(amount, float):
        raise UndefinedError(_("money amounts must be exact (Decimal), not floats"))
    from sopdesk.sop import money as money_rules

    try:
        return money_rules.format_money(Decimal(str(amount)), str(currency))
    except (ArithmeticError, money_rules.MoneyError) as exc:
        raise UndefinedError(_("'{v}' is not an amount of money").format(v=amount)) from exc


def _local_helper(zone: str | None, lang: str, now: pendulum.DateTime) -> Any:
    def local(at: Any = None, fmt: str = "ddd D MMM, HH:mm") -> str:
        """A time in the customer's zone, formatted with pendulum tokens in the template's
        language; no `at` means now."""
        if isinstance(at, Undefined):
            at._fail_with_undefined_error()
        if zone is None:
            raise UndefinedError(
                _("customer time zone is empty — set it on the customer or edit the draft")
            )
        if len(fmt) > 64:
            raise UndefinedError(_("the time format is too long"))
        moment = pendulum.instance(at) if at is not None else now
        local_moment = moment.in_timezone(zone)
        try:
            return local_moment.format(fmt, locale=lang.split("_")[0])
        except (ValueError, KeyError, ImportError):
            return local_moment.format(fmt, locale="en")

    return local


_GREETINGS = {
    "en": ("Good morning", "Good afternoon", "Good evening", "Hello"),
    "es": ("Buenos días", "Buenas tardes", "Buenas noches", "Hola"),
}


def _greeting_helper(zone: str | None, lang: str, now: pendulum.DateTime) -> Any:
    def greeting() -> str:
        """Good morning/afternoon/evening by the customer's clock ("Hello" when unknown)."""
        words = _GREETINGS.get(lang.split("_")[0], _GREETINGS["en"])
        if zone is None:
            return words[3]
        hour = now.in_timezone(zone).hour
        if 5 <= hour < 12:
            return words[0]
        if 12 <= hour < 18:
            return words[1]
        return words[2]

    return greeting


_AND = {"en": "and", "es": "y", "fr": "et", "de": "und", "it": "e", "pt": "e"}


def _and_list_helper(lang: str) -> Any:
    conjunction = _AND.get(lang.split("_")[0], "and")

    def and_list(items: Any, words_for: Any = None) -> str:
        """['a', 'b', 'c'] → 'a, b and c' (in the template's language); `words_for`, a dict,
        replaces each item by its words first."""
        if isinstance(items, Undefined):
            items._fail_with_undefined_error()
        if isinstance(words_for, dict):
            items = [words_for.get(item, item) for item in items]
        words = [str(item) for item in items]
        if len(words) <= 1:
            return "".join(words)
        return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"

    return and_list
