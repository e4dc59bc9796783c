"""Reply drafts: a catalogue of templates, the values they may use, and strict rendering.

Templates are Jinja files under `templates/reply/` (shipped) and the rep's
`<config>/templates/reply/` (own ones; same id overrides, a new id adds). Each starts with a header
in a Jinja comment:

    {#- id: first_reply_email
        title: First reply (SOP stage 2)
        stage: lead
        channel: email
        lang: en -#}

The id is the file name without `.j2`; files starting with `_` are partials for `{% include %}`
(the rep's partials override shipped ones too). An e-mail template's first line is
`Subject: …`. Adding a template is adding one file.

Templates see plain frozen values only (draft_sandbox.Record), built by `build_context()` in a
handful of bounded queries; every empty value they print is an error naming it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pendulum
from jinja2 import (
    ChoiceLoader,
    PrefixLoader,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from peewee import fn

from sopdesk import clock, locations
from sopdesk.config import Settings
from sopdesk.i18n import _
from sopdesk.services import draft_sales
from sopdesk.services.draft_sandbox import (
    MAX_OUTPUT,
    MAX_TEMPLATE_BYTES,
    CappedFileSystemLoader,
    DraftEnvironment,
)
from sopdesk.services.draft_values import (
    CONTEXT_NAMES,
    CompanyValues,
    ContactValues,
    CustomerValues,
    DraftContext,
    InquiryValues,
    PriceTierValues,
    ProductValues,
    RepValues,
    Situation,
    TemplateValues,
    first_name,
    money,
)
from sopdesk.sop import geo
from sopdesk.sop.stages import (
    FUNNEL,
    BuyerType,
    Channel,
    Direction,
    QuoteStatus,
    Stage,
)
from sopdesk.store.db import database
from sopdesk.store.models import (
    Activity,
    Contact,
    Customer,
    Inquiry,
    PriceTier,
    Product,
    Quote,
    format_customer_number,
)

TEMPLATE_CHANNELS = ("email", "chat")
CHAT_CHANNELS = frozenset({Channel.TRADEMANAGER, Channel.WHATSAPP, Channel.WECHAT})
"""Inquiry channels answered with a short chat message rather than an e-mail."""
PRODUCT_LIMIT = 5
MAX_TEMPLATES = 500
"""Per folder; a folder with more is reported, not read."""


class DraftError(Exception):
    """A draft cannot be made; `message` says why in words a rep can act on."""

    def __init__(
        self,
        message: str,
        template_id: str | None = None,
        lineno: int | None = None,
        file: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.template_id = template_id
        self.lineno = lineno
        self.file = file

    def __str__(self) -> str:
        where = ""
        if self.template_id:
            where = _("template {id}").format(id=self.template_id)
            if self.file and not self.file.endswith(f"{self.template_id}.j2"):
                where += f" ({Path(self.file).name})"
            if self.lineno:
                where += " " + _("line {n}").format(n=self.lineno)
            where += ": "
        return where + self.message


class UnknownTemplateError(DraftError):
    pass


# --- the header ----------------------------------------------------------------------------

REQUIRED_KEYS = ("id", "title", "stage", "channel", "lang")
OPTIONAL_KEYS = ("description",)
_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
_LANG = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?")
_HEADER = re.compile(r"\{#-?(?P<body>.*?)-?#\}", re.DOTALL)
_KEY_LINE = re.compile(r"\s*(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*?)\s*")


class HeaderError(ValueError):
    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.lineno = lineno


def parse_header(source: str) -> dict[str, str]:
    """The header's keys and values; HeaderError (with a line number) for anything else."""
    match = _HEADER.match(source)
    if match is None:
        raise HeaderError(
            _("the file must start with a header comment {# id: … title: … #}"), lineno=1
        )
    values: dict[str, str] = {}
    first_line = 1
    for offset, line in enumerate(match.group("body").split("\n")):
        lineno = first_line + offset
        if not line.strip():
            continue
        found = _KEY_LINE.fullmatch(line)
        if found is None:
            raise HeaderError(_("header lines look like 'key: value'"), lineno)
        key, value = found.group("key"), found.group("value")
        if key not in REQUIRED_KEYS and key not in OPTIONAL_KEYS:
            raise HeaderError(
                _("unknown header key '{key}' (known: {keys})").format(
                    key=key, keys=", ".join(REQUIRED_KEYS + OPTIONAL_KEYS)
                ),
                lineno,
            )
        if key in values:
            raise HeaderError(_("header key '{key}' appears twice").format(key=key), lineno)
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise HeaderError(
                _("header value of '{key}' has control characters").format(key=key), lineno
            )
        values[key] = value
    for key in REQUIRED_KEYS:
        if not values.get(key):
            raise HeaderError(_("the header needs '{key}'").format(key=key), 1)
    if not _ID.fullmatch(values["id"]):
        raise HeaderError(_("id must be lower-case letters, digits and _ (at most 64)"), 1)
    if values["stage"] not in {s.value for s in Stage}:
        raise HeaderError(
            _("stage must be one of {stages}").format(stages=", ".join(s.value for s in Stage)), 1
        )
    if values["channel"] not in TEMPLATE_CHANNELS:
        raise HeaderError(_("channel must be email or chat"), 1)
    if not _LANG.fullmatch(values["lang"]):
        raise HeaderError(_("lang must be a language code such as en or es"), 1)
    if len(values["title"]) > 120:
        raise HeaderError(_("title is longer than 120 characters"), 1)
    return values


@dataclass(frozen=True)
class TemplateInfo:
    id: str
    title: str
    stage: Stage
    channel: str
    """"email" or "chat"."""
    lang: str
    path: Path
    user: bool
    """The rep's own template (in the config dir) rather than a shipped one."""
    overrides_shipped: bool = False
    description: str = ""

    @property
    def loader_name(self) -> str:
        return f"{'user' if self.user else 'shipped'}:{self.path.name}"


@dataclass(frozen=True)
class TemplateProblem:
    path: Path
    message: str
    lineno: int | None
    user: bool

    def __str__(self) -> str:
        line = f":{self.lineno}" if self.lineno else ""
        return f"{self.path}{line}: {self.message}"


# --- the catalogue -------------------------------------------------------------------------


class Catalogue:
    """Every reply template: shipped ones, overridden or extended by the rep's own (by id)."""

    def __init__(self, shipped_dir: Path | None = None, user_dir: Path | None = None) -> None:
        self.shipped_dir = shipped_dir or (locations.templates_dir() / "reply")
        self.user_dir = user_dir or (locations.user_templates_dir() / "reply")
        user_fs = CappedFileSystemLoader(str(self.user_dir))
        shipped_fs = CappedFileSystemLoader(str(self.shipped_dir))
        loader = ChoiceLoader(
            [
                PrefixLoader({"user": user_fs, "shipped": shipped_fs}, delimiter=":"),
                user_fs,
                shipped_fs,
            ]
        )
        self.env = DraftEnvironment(loader, known_names=CONTEXT_NAMES)
        self._entries: dict[str, TemplateInfo] = {}
        self.problems: tuple[TemplateProblem, ...] = ()
        self.reload()

    def reload(self) -> None:
        """Read both folders again (the UI calls this when the rep opens the template list)."""
        entries: dict[str, TemplateInfo] = {}
        problems: list[TemplateProblem] = []
        for folder, user in ((self.shipped_dir, False), (self.user_dir, True)):
            for info in self._scan(folder, user, problems):
                previous = entries.get(info.id)
                if previous is not None and not previous.user and user:
                    info = replace(info, overrides_shipped=True)
                entries[info.id] = info
        self._entries = entries
        self.problems = tuple(problems)

    def _scan(
        self, folder: Path, user: bool, problems: list[TemplateProblem]
    ) -> Iterable[TemplateInfo]:
        if not folder.is_dir():
            return []
        paths = sorted(p for p in folder.glob("*.j2") if not p.name.startswith("_"))
        if len(paths) > MAX_TEMPLATES:
            problems.append(
                TemplateProblem(
                    folder,
                    _("more than {n} templates here; none were read").format(n=MAX_TEMPLATES),
                    None,
                    user,
                )
            )
            return []
        found: list[TemplateInfo] = []
        for path in paths:
            info = self._read(path, user, problems)
            if info is not None:
                found.append(info)
        return found

    def _read(self, path: Path, user: bool, problems: list[TemplateProblem]) -> TemplateInfo | None:
        try:
            if path.stat().st_size > MAX_TEMPLATE_BYTES:
                raise HeaderError(
                    _("larger than {n} bytes").format(n=MAX_TEMPLATE_BYTES), lineno=None
                )
            source = path.read_text(encoding="utf-8")
            header = parse_header(source)
        except HeaderError as exc:
            problems.append(TemplateProblem(path, exc.message, exc.lineno, user))
            return None
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(TemplateProblem(path, str(exc), None, user))
            return None
        if header["id"] != path.stem:
            problems.append(
                TemplateProblem(
                    path,
                    _("the header's id '{id}' must be the file name ({stem})").format(
                        id=header["id"], stem=path.stem
                    ),
                    1,
                    user,
                )
            )
            return None
        try:
            # compile, not only parse: an unknown filter or test is caught here too
            self.env.compile(source, name=path.name, filename=str(path))
        except TemplateSyntaxError as exc:
            # Listed (so the rep sees it is theirs) but reported; rendering it repeats the error.
            problems.append(TemplateProblem(path, exc.message or str(exc), exc.lineno, user))
        return TemplateInfo(
            id=header["id"],
            title=header["title"],
            stage=Stage(header["stage"]),
            channel=header["channel"],
            lang=header["lang"],
            path=path,
            user=user,
            description=header.get("description", ""),
        )

    def templates(self) -> list[TemplateInfo]:
        """Sorted by the funnel stage, then channel and id."""
        order = {stage: i for i, stage in enumerate((*FUNNEL, Stage.DORMANT, Stage.LOST))}
        return sorted(self._entries.values(), key=lambda t: (order[t.stage], t.channel, t.id))

    def ids(self) -> list[str]:
        return [t.id for t in self.templates()]

    def get(self, template_id: str) -> TemplateInfo:
        info = self._entries.get(template_id)
        if info is None:
            raise UnknownTemplateError(
                _("there is no template '{id}'; available: {ids}").format(
                    id=template_id, ids=", ".join(self.ids()) or _("none")
                ),
                None,
            )
        return info

    def load(self, info: TemplateInfo) -> Template:
        try:
            return self.env.get_template(info.loader_name)
        except TemplateSyntaxError as exc:
            raise DraftError(exc.message or str(exc), info.id, exc.lineno, exc.filename) from exc
        except TemplateNotFound as exc:
            raise DraftError(
                _("template file {name} is gone").format(name=exc.name), info.id
            ) from exc
        except TemplateError as exc:
            raise DraftError(str(exc), info.id) from exc


# --- what the buyer told us ----------------------------------------------------------------

_SPEC = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:x\s*\d+|mm|cm|m\b|inch|in\b|\"|w\b|kw|v\b|a\b|mah|k\b|lm|lumens?|"
    r"kg|g\b|ml|l\b|ft|gsm|hz|pcs?/|°)|\bip\s?\d{2}\b|\b(?:drawing|datasheet|spec(?:s|ification)?s?\s*:)",
    re.IGNORECASE,
)


def has_specs(*texts: str) -> bool:
    """Whether the buyer gave specifications: a measure with a unit (600x600, 40W, 4000K, IP65)
    or a drawing/spec sheet mentioned."""
    return any(_SPEC.search(text or "") for text in texts)


def missing_details(products: str, body: str, quantity: str, port: str) -> tuple[str, ...]:
    """What the SOP's first reply asks for and the buyer has not given: specs, quantity, port."""
    missing: list[str] = []
    if not has_specs(products, body):
        missing.append("specs")
    if not quantity.strip():
        missing.append("quantity")
    if not port.strip():
        missing.append("port")
    return tuple(missing)


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_SKU_LIKE = re.compile(r"[^\W_](?:[\w./-]*[^\W_])?", re.UNICODE)
_STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "need",
        "needs",
        "want",
        "price",
        "prices",
        "quote",
        "quotation",
        "please",
        "looking",
        "pcs",
        "piece",
        "pieces",
        "about",
        "our",
        "your",
        "you",
        "from",
        "this",
        "that",
        "inquiry",
        "order",
        "sample",
        "samples",
    ]
)


def _tokens(text: str) -> list[str]:
    seen: list[str] = []
    for token in _TOKEN.findall(text.lower()):
        if len(token) >= 2 and token not in _STOPWORDS and token not in seen:
            seen.append(token)
    return seen


def match_products(text: str, limit: int = PRODUCT_LIMIT) -> list[Product]:
    """Catalogue products the buyer's words name: by SKU, or most of the name's words.

    One bounded query for candidates (at most 50), ranked here by the weighted share of the
    product name's words found in the text; a word shared by many candidates ("LED", "light")
    weighs little, so "LED panel light 600x600 40W" does not also match every 40W light.
    """
    tokens = _tokens(text)
    if not tokens:
        return []
    probe = sorted(tokens, key=len, reverse=True)[:12]
    skus = [w for w in _SKU_LIKE.findall(text.lower()) if any(c.isdigit() for c in w)][:12]
    condition = fn.LOWER(Product.sku).in_(skus) if skus else None
    for token in probe:
        term = (fn.LOWER(Product.name).contains(token)) | (fn.LOWER(Product.sku) == token)
        condition = term if condition is None else condition | term
    candidates = list(Product.select().where(condition).order_by(Product.id).limit(50))
    wanted = set(tokens)
    lowered = text.lower()
    names = {product.id: set(_tokens(product.name)) for product in candidates}
    spread: dict[str, int] = {}
    for words in names.values():
        for word in words:
            spread[word] = spread.get(word, 0) + 1
    scored: list[tuple[float, str, Product]] = []
    for product in candidates:
        sku = product.sku.lower()
        if sku and re.search(rf"(?<![\w-]){re.escape(sku)}(?![\w-])", lowered):
            scored.append((2.0, product.name, product))
            continue
        words = names[product.id]
        if not words:
            continue
        total = sum(1 / spread[w] for w in words)
        share = sum(1 / spread[w] for w in words & wanted) / total
        if share >= 0.5:
            scored.append((share, product.name, product))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [product for _score, _name, product in scored[:limit]]


# --- building the context ------------------------------------------------------------------


def _none_if_zero(value: int | None) -> int | None:
    return value if value else None


def _country_name(code: str) -> str | None:
    if not code:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return None
    return str(getattr(country, "common_name", None) or country.name)


def customer_zone(timezone: str | None, country: str | None) -> str | None:
    """The customer's zone; from the country when it has one (or, failing that, its principal
    zone, good enough for greetings and business hours)."""
    if timezone:
        return timezone
    inferred = geo.infer_timezone(country)
    if inferred:
        return inferred
    zones = geo.zones_for_country(country or "")
    return zones[0] if zones else None


def build_context(
    inquiry_id: int,
    settings: Settings,
    now: pendulum.DateTime | None = None,
    *,
    quote_id: int | None = None,
) -> DraftContext:
    """Everything a template may use for one inquiry, in a bounded number of queries (eight,
    plus at most six for the customer's quote, order and sample: draft_sales.py). `quote_id`:
    the quote the draft is about (the quote editor's), instead of the conversation's latest."""
    now = now or clock.now()
    with database.connection_context():
        inquiry = (
            Inquiry.select(Inquiry, Customer).join(Customer).where(Inquiry.id == inquiry_id).first()
        )
        if inquiry is None:
            raise DraftError(_("there is no inquiry {id}").format(id=inquiry_id))
        customer: Customer = inquiry.customer
        contact_query = Contact.select()
        if inquiry.contact_id is not None:
            contact = contact_query.where(Contact.id == inquiry.contact_id).first()
        else:
            contact = (
                contact_query.where(Contact.customer == customer.id)
                .order_by(Contact.is_primary.desc(), Contact.id)
                .first()
            )
        matched = match_products(inquiry.products or inquiry.subject)
        tiers: dict[int, list[PriceTierValues]] = {}
        if matched:
            rows = (
                PriceTier.select(
                    PriceTier.product, PriceTier.min_qty, PriceTier.unit_price, PriceTier.currency
                )
                .where(PriceTier.product.in_([p.id for p in matched]))
                .order_by(PriceTier.product, PriceTier.min_qty)
                .limit(PRODUCT_LIMIT * 20)
                .tuples()
            )
            for product_id, min_qty, unit_price, currency in cast(
                Iterable[tuple[int, int, Decimal, str]], rows
            ):
                tiers.setdefault(product_id, []).append(
                    PriceTierValues(min_qty, unit_price, currency)
                )
        last_out = (
            Activity.select(fn.MAX(Activity.at))
            .where(Activity.customer == customer.id, Activity.direction == Direction.OUT)
            .scalar()
        )
        last_in = (
            Activity.select(fn.MAX(Activity.at))
            .where(Activity.customer == customer.id, Activity.direction == Direction.IN)
            .scalar()
        )
        last_inquiry = (
            Inquiry.select(fn.MAX(Inquiry.received_at))
            .where(Inquiry.customer == customer.id)
            .scalar()
        )
        last_quote = (
            Quote.select(fn.MAX(Quote.sent_at))
            .where(Quote.customer == customer.id, Quote.status == QuoteStatus.SENT)
            .scalar()
        )
        sales = draft_sales.values(
            customer.id,
            inquiry,
            customer.country or inquiry.country,
            customer_zone(customer.timezone, customer.country or inquiry.country),
            now,
            quote_id=quote_id,
        )
    return _assemble(
        inquiry,
        customer,
        contact,
        matched,
        tiers,
        settings,
        now,
        last_out=_as_time(last_out),
        last_in=_latest(_as_time(last_in), _as_time(last_inquiry)),
        last_quote=_as_time(last_quote),
        sales=sales,
    )


def _as_time(value: Any) -> pendulum.DateTime | None:
    if value is None:
        return None
    if isinstance(value, str):
        from sopdesk.store.fields import from_db_time

        return from_db_time(value)
    return pendulum.instance(value)


def _latest(*values: pendulum.DateTime | None) -> pendulum.DateTime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _assemble(
    inquiry: Inquiry,
    customer: Customer,
    contact: Contact | None,
    matched: list[Product],
    tiers: dict[int, list[PriceTierValues]],
    settings: Settings,
    now: pendulum.DateTime,
    last_out: pendulum.DateTime | None,
    last_in: pendulum.DateTime | None,
    last_quote: pendulum.DateTime | None,
    sales: draft_sales.SalesValues | None = None,
) -> DraftContext:
    products = tuple(
        ProductValues(
            sku=p.sku,
            name=p.name,
            specs=p.specs,
            material=p.material,
            process=p.process,
            certifications=p.certifications,
            packaging=p.packaging,
            moq=_none_if_zero(p.moq),
            unit=p.unit,
            lead_time_days=_none_if_zero(p.lead_time_days),
            selling_points=p.selling_points,
            applications=p.applications,
            hs_code=p.hs_code,
            price_tiers=tuple(tiers.get(p.id, ())),
        )
        for p in matched
    )
    asked = (inquiry.products or "").strip().splitlines()
    product_words = products[0].name if products else (asked[0].strip()[:80] if asked else "")
    missing = missing_details(inquiry.products, inquiry.body, inquiry.quantity, inquiry.port)
    contact_name = (contact.name if contact else "") or inquiry.buyer_name or customer.name
    zone = customer_zone(customer.timezone, customer.country or inquiry.country)
    country = customer.country or inquiry.country
    waiting: int | None = None
    if last_out is not None and (last_in is None or last_in < last_out):
        waiting = max((now - last_out).days, 0)
    quote_waiting = last_quote is not None and (last_in is None or last_in < last_quote)
    return DraftContext(
        inquiry_id=inquiry.id,
        customer_id=customer.id,
        rep=RepValues(
            name=settings.rep.name,
            title=settings.rep.title,
            email=settings.rep.email,
            whatsapp=settings.rep.whatsapp,
            signature=settings.rep.signature,
        ),
        company=CompanyValues(
            name=settings.company.name,
            years=_none_if_zero(settings.company.years),
            markets=settings.company.markets,
            certificates=settings.company.certificates,
            website=settings.company.website,
        ),
        customer=CustomerValues(
            code=format_customer_number(customer.number),
            company=customer.company,
            name=customer.name,
            display_name=customer.company or customer.name or contact_name,
            country=country,
            country_name=_country_name(country),
            timezone=zone,
            website=customer.website,
            email_domain=customer.email_domain,
            buyer_type=(
                customer.buyer_type.value if customer.buyer_type != BuyerType.UNKNOWN else None
            ),
            potential=customer.potential.value if customer.potential else None,
            stage=customer.stage.value,
            background_check_done=customer.background_check_done,
            platform_profile=customer.platform_profile,
            notes=customer.notes,
        ),
        contact=ContactValues(
            name=contact_name,
            role=contact.role if contact else "",
            email=(contact.email if contact else "") or inquiry.buyer_email,
            phone=(contact.phone if contact else "") or inquiry.buyer_phone,
            whatsapp=contact.whatsapp if contact else "",
        ),
        inquiry=InquiryValues(
            id=inquiry.id,
            channel=inquiry.channel.value,
            received_at=inquiry.received_at,
            subject=inquiry.subject,
            body=inquiry.body,
            products=inquiry.products,
            product=product_words,
            quantity=inquiry.quantity,
            port=inquiry.port,
            has_specs="specs" not in missing,
            missing_details=missing,
            answered=inquiry.first_reply_at is not None,
            first_reply_at=inquiry.first_reply_at,
        ),
        products=products,
        situation=Situation(
            channel=inquiry.channel,
            replied=inquiry.first_reply_at is not None,
            stage=customer.stage,
            background_check_done=customer.background_check_done,
            missing_details=missing,
            days_without_answer=waiting,
            quote_waiting=quote_waiting,
        ),
        customer_zone=zone,
        now=now,
        sales=sales or draft_sales.SalesValues(),
    )


# --- choosing and rendering ----------------------------------------------------------------


def pick_template(
    situation: Situation, lang: str = "en", available: Collection[str] | None = None
) -> str:
    """The template that fits where the conversation stands (SOP stages 2–3).

    No reply yet: the SOP's first reply — short for chat channels (TM, WhatsApp, WeChat), the
    full e-mail otherwise. Replied and waiting: a chat nudge the day a quote went out, the
    no-response follow-ups from day 3 and day 7. Replied and talking: ask for what is still
    missing, else the background-informed second reply. A language variant `<id>_<lang>` is
    chosen when `available` has it.
    """
    if not situation.replied:
        chosen = "first_reply_chat" if situation.channel in CHAT_CHANNELS else "first_reply_email"
    elif (
        situation.days_without_answer is not None
        and situation.quote_waiting
        and (situation.days_without_answer < 1)
    ):
        chosen = "quote_nudge_chat"
    elif situation.days_without_answer is not None and situation.days_without_answer >= 7:
        chosen = "no_response_day7"
    elif situation.days_without_answer is not None and situation.days_without_answer >= 3:
        chosen = "no_response_day3"
    elif situation.missing_details:
        chosen = "ask_details"
    else:
        chosen = "second_reply_background"
    variant = f"{chosen}_{lang.split('_')[0]}"
    if lang != "en" and available is not None and variant in available:
        return variant
    return chosen


@dataclass(frozen=True)
class Draft:
    template: TemplateInfo
    inquiry_id: int
    text: str
    """The message body, as it will be sent."""
    subject: str | None = None
    """For e-mail templates."""

    def as_text(self) -> str:
        """Subject line (e-mail), a blank line, then the body."""
        if self.subject is None:
            return self.text
        return f"Subject: {self.subject}\n\n{self.text}"


def render(template_id: str, context: DraftContext, catalogue: Catalogue | None = None) -> Draft:
    """The draft, or DraftError naming what is missing or wrong (with the template line)."""
    catalogue = catalogue or Catalogue()
    info = catalogue.get(template_id)
    template = catalogue.load(info)
    values = TemplateValues(info.id, info.title, info.channel, info.lang)
    rendered = _render_capped(catalogue.env, template, context.variables(values), info)
    subject, body = _split_subject(rendered, info)
    return Draft(template=info, inquiry_id=context.inquiry_id, text=body, subject=subject)


def _render_capped(
    env: DraftEnvironment, template: Template, variables: dict[str, Any], info: TemplateInfo
) -> str:
    env.start_budget()
    pieces: list[str] = []
    size = 0
    try:
        for piece in template.generate(variables):
            size += len(piece)
            if size > MAX_OUTPUT:
                raise DraftError(
                    _("the draft is longer than {n} characters").format(n=MAX_OUTPUT), info.id
                )
            pieces.append(piece)
    except DraftError:
        raise
    except TemplateSyntaxError as exc:  # in an included partial
        raise DraftError(exc.message or str(exc), info.id, exc.lineno, exc.filename) from exc
    except TemplateError as exc:  # UndefinedError, SecurityError, TemplateNotFound …
        lineno, file = _template_line(exc, env)
        raise DraftError(exc.message or str(exc), info.id, lineno, file) from exc
    except (RecursionError, MemoryError) as exc:
        raise DraftError(_("the template runs away (too deep or too large)"), info.id) from exc
    except Exception as exc:  # a template must never crash the app
        lineno, file = _template_line(exc, env)
        raise DraftError(
            _("the template failed: {error}").format(error=f"{type(exc).__name__}: {exc}"),
            info.id,
            lineno,
            file,
        ) from exc
    finally:
        env.end_budget()
    return "".join(pieces)


def _template_line(exc: BaseException, env: DraftEnvironment) -> tuple[int | None, str | None]:
    """The innermost template line in the (Jinja-rewritten) traceback."""
    found: tuple[int | None, str | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (tb.tb_lineno, filename)
        tb = tb.tb_next
    return found


_SUBJECT = re.compile(r"subject:\s*(?P<subject>.*)", re.IGNORECASE)


_DOUBLE_STOP = re.compile(r"(?<=\w\.)\.(?!\.)")


def _tidy(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, no blank edges: the
    whitespace left by `{% if %}` blocks never reaches the customer. And "Co., Ltd.." (a name
    ending a sentence) loses its second full stop."""
    text = _DOUBLE_STOP.sub("", text)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    tidy: list[str] = []
    for line in lines:
        if not line and (not tidy or not tidy[-1]):
            continue
        tidy.append(line)
    while tidy and not tidy[-1]:
        tidy.pop()
    return "\n".join(tidy)


def _split_subject(rendered: str, info: TemplateInfo) -> tuple[str | None, str]:
    text = _tidy(rendered)
    if info.channel != "email":
        if not text:
            raise DraftError(_("the draft is empty"), info.id)
        return None, text
    first, _sep, rest = text.partition("\n")
    match = _SUBJECT.fullmatch(first.strip())
    if match is None:
        raise DraftError(_("an e-mail template must start with a 'Subject: …' line"), info.id, 1)
    subject = match.group("subject").strip()
    if not subject:
        raise DraftError(_("the subject is empty"), info.id, 1)
    body = rest.strip("\n")
    if not body:
        raise DraftError(_("the draft is empty"), info.id)
    return subject, body


def draft_for(
    inquiry_id: int,
    settings: Settings,
    template_id: str | None = None,
    catalogue: Catalogue | None = None,
    lang: str = "en",
) -> Draft:
    """One call for the UI and the CLI: context, template (picked when not given), render."""
    catalogue = catalogue or Catalogue()
    context = build_context(inquiry_id, settings)
    chosen = template_id or pick_template(context.situation, lang, catalogue.ids())
    return render(chosen, context, catalogue)


__all__ = [
    "Catalogue",
    "CompanyValues",
    "ContactValues",
    "CustomerValues",
    "Draft",
    "DraftContext",
    "DraftError",
    "HeaderError",
    "InquiryValues",
    "PriceTierValues",
    "ProductValues",
    "RepValues",
    "Situation",
    "TemplateInfo",
    "TemplateProblem",
    "TemplateValues",
    "UnknownTemplateError",
    "build_context",
    "customer_zone",
    "draft_for",
    "first_name",
    "has_specs",
    "match_products",
    "missing_details",
    "money",
    "parse_header",
    "pick_template",
    "render",
]
