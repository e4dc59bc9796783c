"""Customer records: the customers table in windows, one customer's detail and timeline, edits,
touches, follow-ups, stage changes, duplicates and merges.

Every list is a window (keyset pagination: the sort key and the id as tie-breaker), every read a
fixed number of queries whatever the data size: a table window is two queries (rows, then the
latest touch of each row), a customer's detail three (the customer, the contacts, one UNION ALL
over the six kinds of timeline entries). Writes are short transactions; an edit carries the
version it was based on, and a stale one is refused with the fields someone else changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import pendulum
from peewee import JOIN, SQL, Case, fn

from sopdesk import clock, labels
from sopdesk.i18n import N_, _, pgettext
from sopdesk.services.records_timeline import (
    TIMELINE_WINDOW,
    Entry,
    TimelineCursor,
    TimelineItem,
    TimelinePage,
    _timeline,
    list_text,
    lost_reason_note,
    stage_reason_words,
    timeline_window,
)
from sopdesk.services.reps import shown_name_sql
from sopdesk.services.scope import owned_by
from sopdesk.services.views import Money
from sopdesk.sop import geo, intake
from sopdesk.sop import records as rules
from sopdesk.sop.followup import parse_follow_up
from sopdesk.sop.stages import (
    ActivityKind,
    BuyerType,
    Channel,
    Direction,
    LostReason,
    Potential,
    Stage,
    TaskKind,
    skips_stages,
)
from sopdesk.store import search
from sopdesk.store.db import database
from sopdesk.store.fields import to_db_time
from sopdesk.store.models import (
    Activity,
    Contact,
    Customer,
    Rep,
    StageChange,
    Task,
    format_customer_number,
)

WINDOW = 300
"""Rows in one table window: the DataTable never holds more."""
CONTACT_LIMIT = 200
SEARCH_LIMIT = 1000
"""Customers a search can match; the table shows them in the chosen order."""
LATEST_CHARS = 300
NOTES_LIMIT = 20_000
STAGE_ORDER: tuple[Stage, ...] = (
    Stage.LEAD,
    Stage.INTENT,
    Stage.NEGOTIATION,
    Stage.ORDER,
    Stage.LOYAL,
    Stage.DORMANT,
    Stage.LOST,
)
"""How the table sorts stages: the funnel, then dormant and lost."""


# --- errors ------------------------------------------------------------------------------------

FIELD_LABELS: dict[str, str] = {
    "company": N_("Company"),
    "name": N_("Name"),
    "country": N_("Country"),
    "timezone": N_("Time zone"),
    "website": N_("Website"),
    "email_domain": N_("Domain"),
    "linkedin": N_("LinkedIn"),
    "source": N_("Source"),
    "buyer_type": N_("Buyer type"),
    "potential": N_("Potential"),
    "expected_value": N_("Expected value"),
    "first_contact": N_("First contact"),
    "next_follow_up_plan": N_("Next step"),
    "next_follow_up": N_("Next follow-up"),
    "background_check_done": N_("Check done"),
    "platform_profile": N_("Platform profile"),
    "notes": N_("Notes"),
    "tags": N_("Tags"),
    "stage": N_("Stage"),
    "lost_reason": N_("Lost reason"),
    "contacts": N_("Contacts"),
    "role": N_("Role"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "whatsapp": N_("WhatsApp"),
    "wechat": N_("WeChat"),
    "kind": N_("Kind"),
    # TRANSLATORS: the text of a touch (what was said or written).
    "text": N_("Text"),
}
"""What the rep calls a field the service names by its column (errors name fields)."""


def field_label(name: str) -> str:
    """A field's name in the UI language ("email_domain" → "Domain")."""
    label = FIELD_LABELS.get(name)
    return _(label) if label is not None else name.replace("_", " ")


class RecordError(Exception):
    """A write was refused; the message says why in the rep's words (in the UI language)."""


class NotFound(RecordError):  # noqa: N818 - named for what happened
    pass


class InvalidFields(RecordError):  # noqa: N818 - named for what happened
    """Some fields cannot be stored as typed: `errors` maps each to its message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(
            # TRANSLATORS: separates the messages about several fields.
            pgettext("separator between messages", "; ").join(
                _("{field}: {error}").format(field=field_label(k), error=v)
                for k, v in self.errors.items()
            )
        )


class StaleEdit(RecordError):  # noqa: N818 - named for what happened
    """Someone saved the customer since this edit began; `fields` are the ones they changed."""

    def __init__(self, fields: Sequence[str], version: int) -> None:
        self.fields = tuple(fields)
        self.version = version
        names = list_text(field_label(f) for f in self.fields) or _("the record")
        super().__init__(_("changed by someone else meanwhile: {fields}").format(fields=names))


class StageSkip(RecordError):  # noqa: N818 - named for what happened
    """The move jumps over funnel stages; call again with `confirm_skip=True`."""

    def __init__(self, from_stage: Stage, to_stage: Stage) -> None:
        self.from_stage = from_stage
        self.to_stage = to_stage
        super().__init__(
            _("{from_stage} → {to_stage} skips stages").format(
                from_stage=labels.stage(from_stage), to_stage=labels.stage(to_stage)
            )
        )


class LostReasonRequired(RecordError):  # noqa: N818 - named for what happened
    pass


# --- the table ---------------------------------------------------------------------------------


class SortKey(StrEnum):
    NUMBER = "number"
    NAME = "name"
    COUNTRY = "country"
    SOURCE = "source"
    FIRST_CONTACT = "first_contact"
    STAGE = "stage"
    LATEST = "latest_follow_up"
    NEXT = "next_follow_up"
    VALUE = "expected_value"
    OWNER = "owner"


@dataclass(frozen=True)
class CustomerFilter:
    """What the customers table shows; the empty filter shows every customer."""

    stages: frozenset[Stage] = frozenset()
    country: str = ""
    source: Channel | None = None
    buyer_type: BuyerType | None = None
    potential: Potential | None = None
    overdue: bool = False
    """Next follow-up planned before now."""
    no_next_step: bool = False
    """No next follow-up planned (lost customers left out)."""
    owner_id: int | None = None
    text: str = ""
    """Search words: company, contacts, e-mails, phones, notes and message texts."""

    @property
    def is_empty(self) -> bool:
        return self == CustomerFilter()


@dataclass(frozen=True)
class Sort:
    key: SortKey = SortKey.NUMBER
    descending: bool = False


@dataclass(frozen=True)
class Cursor:
    """Where a window ended: the next one starts after this row."""

    segment: int
    """0: rows that have the sort value; 1: rows without it (they come last)."""
    value: Any
    customer_id: int


@dataclass(frozen=True)
class CustomerRow:
    customer_id: int
    code: str
    company: str
    name: str
    country: str
    timezone: str | None
    source: Channel
    buyer_type: BuyerType
    potential: Potential | None
    stage: Stage
    first_contact_at: pendulum.DateTime | None
    last_activity_at: pendulum.DateTime | None
    latest_follow_up: str
    """The newest touch's text (its start), the sheet's 最近跟进内容."""
    next_follow_up_at: pendulum.DateTime | None
    next_follow_up_plan: str
    expected_value: Money | None
    notes: str
    owner_name: str

    @property
    def display_name(self) -> str:
        return self.company or self.name or self.code


@dataclass(frozen=True)
class CustomerWindow:
    rows: tuple[CustomerRow, ...]
    next_after: Cursor | None
    """None when this window reaches the end."""


@dataclass(frozen=True)
class _SortSpec:
    expr: Any
    missing: Any | None = None
    """Rows for which this is true have no sort value: they come last, by id."""


def _sort_spec(key: SortKey) -> _SortSpec:
    if key is SortKey.NUMBER:
        return _SortSpec(Customer.number)
    if key is SortKey.NAME:
        # The literal '' (not a bound parameter) makes this the very expression of the index
        # ix_sheet_customer_name (migration 3), so the sort is an index scan.
        shown = Case(None, [(Customer.company != SQL("''"), Customer.company)], Customer.name)
        return _SortSpec(fn.LOWER(shown))
    if key is SortKey.COUNTRY:
        return _SortSpec(Customer.country, Customer.country == "")
    if key is SortKey.SOURCE:
        return _SortSpec(Customer.source)
    if key is SortKey.FIRST_CONTACT:
        return _SortSpec(Customer.first_contact_at, Customer.first_contact_at.is_null())
    if key is SortKey.STAGE:
        rank = Case(Customer.stage, [(s.value, i) for i, s in enumerate(STAGE_ORDER)], 99)
        return _SortSpec(rank)
    if key is SortKey.LATEST:
        return _SortSpec(Customer.last_activity_at, Customer.last_activity_at.is_null())
    if key is SortKey.NEXT:
        return _SortSpec(Customer.next_follow_up_at, Customer.next_follow_up_at.is_null())
    if key is SortKey.VALUE:
        return _SortSpec(Customer.expected_value, Customer.expected_value.is_null())
    return _SortSpec(Rep.name, Customer.owner.is_null())


def _search_ids(text: str) -> list[int] | None:
    """None: no search words; a list (maybe empty): the customers matching them."""
    if not text.strip() or search.fts_query(text) is None:
        return None
    return search.search_customer_ids(text, SEARCH_LIMIT)


def _where(flt: CustomerFilter, now: pendulum.DateTime, ids: list[int] | None) -> list[Any]:
    clauses: list[Any] = [Customer.merged_into.is_null()]
    if flt.stages:
        clauses.append(Customer.stage.in_([s.value for s in flt.stages]))
    if flt.country:
        clauses.append(Customer.country == flt.country)
    if flt.source is not None:
        clauses.append(Customer.source == flt.source)
    if flt.buyer_type is not None:
        clauses.append(Customer.buyer_type == flt.buyer_type)
    if flt.potential is not None:
        clauses.append(Customer.potential == flt.potential)
    if flt.overdue:
        clauses.append(Customer.next_follow_up_at < to_db_time(now))
    if flt.no_next_step:
        clauses.append(Customer.next_follow_up_at.is_null())
        clauses.append(Customer.stage != Stage.LOST)
    if flt.owner_id is not None:  # "mine": theirs plus unassigned, as everywhere (scope.py)
        clauses.append(owned_by(Customer.owner, flt.owner_id))
    if ids is not None:
        clauses.append(Customer.id.in_(ids))
    return clauses


_ROW_FIELDS = (
    Customer.id,
    Customer.number,
    Customer.company,
    Customer.name,
    Customer.country,
    Customer.timezone,
    Customer.source,
    Customer.buyer_type,
    Customer.potential,
    Customer.stage,
    Customer.first_contact_at,
    Customer.last_activity_at,
    Customer.next_follow_up_at,
    Customer.next_follow_up_plan,
    Customer.expected_value,
    Customer.expected_currency,
    Customer.notes,
)


def _segment_query(
    spec: _SortSpec, segment: int, descending: bool, clauses: list[Any], after: Cursor | None
) -> Any:
    query = (
        Customer.select(
            *_ROW_FIELDS, shown_name_sql().alias("owner_name"), spec.expr.alias("sort_value")
        )
        .join(Rep, JOIN.LEFT_OUTER, on=(Customer.owner == Rep.id))
        .where(*clauses)
    )
    if spec.missing is not None:
        query = query.where(spec.missing if segment else ~spec.missing)
    key = spec.expr if segment == 0 else None
    if after is not None and after.segment == segment:
        if key is None:
            query = query.where(
                Customer.id < after.customer_id if descending else Customer.id > after.customer_id
            )
        elif descending:
            query = query.where(
                (key < after.value) | ((key == after.value) & (Customer.id < after.customer_id))
            )
        else:
            query = query.where(
                (key > after.value) | ((key == after.value) & (Customer.id > after.customer_id))
            )
    order = [] if key is None else [key.desc() if descending else key.asc()]
    order.append(Customer.id.desc() if descending else Customer.id.asc())
    return query.order_by(*order)


def _latest_texts(ids: list[int]) -> dict[int, str]:
    """The newest non-system touch of each customer: one query, an index probe per customer."""
    if not ids:
        return {}
    newest = Activity.alias()
    probe = (
        newest.select(newest.id)
        .where(newest.customer == Customer.id, newest.kind != ActivityKind.SYSTEM)
        .order_by(newest.at.desc(), newest.id.desc())
        .limit(1)
    )
    rows = _tuples(
        Activity.select(
            Activity.customer,
            Activity.subject,
            fn.SUBSTR(Activity.text, 1, LATEST_CHARS).alias("start"),
        ).where(Activity.id.in_(Customer.select(probe).where(Customer.id.in_(ids))))
    )
    return {int(c): (subject or start or "") for c, subject, start in rows}


def _tuples(query: Any) -> list[tuple[Any, ...]]:
    """A query's rows as plain tuples (peewee's stubs do not type `.tuples()` rows)."""
    return [tuple(row) for row in query.tuples()]


def _money(amount: Any, currency: str) -> Money | None:
    return Money(amount, currency) if amount is not None else None


def _row(data: Mapping[str, Any], latest: str) -> CustomerRow:
    return CustomerRow(
        customer_id=data["id"],
        code=format_customer_number(data["number"]),
        company=data["company"],
        name=data["name"],
        country=data["country"],
        timezone=data["timezone"],
        source=data["source"],
        buyer_type=data["buyer_type"],
        potential=data["potential"],
        stage=data["stage"],
        first_contact_at=data["first_contact_at"],
        last_activity_at=data["last_activity_at"],
        latest_follow_up=latest,
        next_follow_up_at=data["next_follow_up_at"],
        next_follow_up_plan=data["next_follow_up_plan"],
        expected_value=_money(data["expected_value"], data["expected_currency"]),
        notes=data["notes"],
        owner_name=data["owner_name"] or "",
    )


def _window(
    flt: CustomerFilter,
    sort: Sort,
    after: Cursor | None,
    limit: int,
    now: pendulum.DateTime,
    ids: list[int] | None,
) -> CustomerWindow:
    limit = max(1, min(limit, WINDOW))
    spec = _sort_spec(sort.key)
    clauses = _where(flt, now, ids)
    found: list[dict[str, Any]] = []
    segments = (0, 1) if spec.missing is not None else (0,)
    start = after.segment if after is not None else 0
    last_segment = start
    for segment in segments:
        if segment < start or len(found) >= limit:
            continue
        query = _segment_query(spec, segment, sort.descending, clauses, after)
        batch = list(query.limit(limit - len(found)).dicts())
        found.extend(batch)
        if batch:
            last_segment = segment
    latest = _latest_texts([r["id"] for r in found])
    rows = tuple(_row(r, latest.get(r["id"], "")) for r in found)
    if len(found) < limit:
        return CustomerWindow(rows, None)
    last = found[-1]
    return CustomerWindow(rows, Cursor(last_segment, last["sort_value"], last["id"]))


def customer_window(
    flt: CustomerFilter = CustomerFilter(),
    sort: Sort = Sort(),
    after: Cursor | None = None,
    limit: int = WINDOW,
    now: pendulum.DateTime | None = None,
) -> CustomerWindow:
    """Up to `limit` customers after `after`, in `sort` order, matching `flt`."""
    now = now or clock.now()
    with database.connection_context():
        ids = _search_ids(flt.text)
        if ids is not None and not ids:
            return CustomerWindow((), None)
        return _window(flt, sort, after, limit, now, ids)


def first_window(
    flt: CustomerFilter = CustomerFilter(),
    sort: Sort = Sort(),
    limit: int = WINDOW,
    now: pendulum.DateTime | None = None,
) -> tuple[CustomerWindow, int]:
    """The first window and how many customers match, with one search for both."""
    now = now or clock.now()
    with database.connection_context():
        ids = _search_ids(flt.text)
        if ids is not None and not ids:
            return CustomerWindow((), None), 0
        pinned = replace(flt, text="")
        window = _window(pinned, sort, None, limit, now, ids)
        total = int(
            Customer.select(fn.COUNT(Customer.id)).where(*_where(pinned, now, ids)).scalar()
        )
    return window, total


def count_customers(
    flt: CustomerFilter = CustomerFilter(), now: pendulum.DateTime | None = None
) -> int:
    now = now or clock.now()
    with database.connection_context():
        ids = _search_ids(flt.text)
        if ids is not None and not ids:
            return 0
        return int(Customer.select(fn.COUNT(Customer.id)).where(*_where(flt, now, ids)).scalar())


def countries_in_use(limit: int = 300) -> list[tuple[str, int]]:
    """(ISO code, customers) for the country filter, most customers first."""
    with database.connection_context():
        rows = _tuples(
            Customer.select(Customer.country, fn.COUNT(Customer.id).alias("n"))
            .where(Customer.merged_into.is_null(), Customer.country != "")
            .group_by(Customer.country)
            .order_by(SQL("n").desc(), Customer.country)
            .limit(limit)
        )
        return [(str(code), int(n)) for code, n in rows]


# --- one customer ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactView:
    contact_id: int
    name: str
    role: str
    email: str
    phone: str
    whatsapp: str
    wechat: str
    is_primary: bool

    @property
    def whatsapp_link(self) -> str:
        number = self.whatsapp or self.phone
        return rules.whatsapp_link(number) if number.startswith("+") else ""


@dataclass(frozen=True)
class CustomerDetail:
    customer_id: int
    code: str
    company: str
    name: str
    country: str
    timezone: str | None
    website: str
    email_domain: str
    linkedin: str
    source: Channel
    buyer_type: BuyerType
    potential: Potential | None
    stage: Stage
    stage_since: pendulum.DateTime
    lost_reason: LostReason | None
    expected_value: Money | None
    first_contact_at: pendulum.DateTime | None
    last_activity_at: pendulum.DateTime | None
    next_follow_up_at: pendulum.DateTime | None
    next_follow_up_plan: str
    background_check_done: bool
    platform_profile: str
    notes: str
    tags: str
    owner_id: int | None
    owner_name: str
    merged_into_id: int | None
    version: int
    contacts: tuple[ContactView, ...] = ()
    timeline: TimelinePage = field(default_factory=lambda: TimelinePage((), None))

    @property
    def display_name(self) -> str:
        return self.company or self.name or self.code

    @property
    def primary_contact(self) -> ContactView | None:
        return next((c for c in self.contacts if c.is_primary), None) or (
            self.contacts[0] if self.contacts else None
        )


EDITABLE_FIELDS: tuple[str, ...] = (
    "company",
    "name",
    "country",
    "timezone",
    "website",
    "email_domain",
    "linkedin",
    "source",
    "buyer_type",
    "potential",
    "expected_value",
    "first_contact",
    "next_follow_up_plan",
    "background_check_done",
    "platform_profile",
    "notes",
    "tags",
)
"""Fields `update_customer` takes as text; stage and next follow-up have their own calls."""
BACKGROUND_FIELDS = (
    "website",
    "email_domain",
    "linkedin",
    "buyer_type",
    "potential",
    "platform_profile",
    "background_check_done",
)
"""The SOP's background check (2.2): company site and domain, LinkedIn, platform profile, buyer
type and purchasing potential."""


def field_text(detail: CustomerDetail, name: str, rep_zone: str = "UTC") -> str:
    """A field as the editor shows it and `update_customer` reads it back."""
    if name == "expected_value":
        value = detail.expected_value
        return rules.format_money(value.amount, value.currency) if value else ""
    if name == "first_contact":
        at = detail.first_contact_at
        return at.in_timezone(rep_zone).format("YYYY-MM-DD") if at else ""
    if name == "next_follow_up":
        at = detail.next_follow_up_at
        return at.in_timezone(rep_zone).format("YYYY-MM-DD HH:mm") if at else ""
    if name == "background_check_done":
        return "yes" if detail.background_check_done else "no"
    if name in ("source", "buyer_type", "stage", "lost_reason", "potential"):
        value = getattr(detail, name)
        return value.value if value is not None else ""
    value = getattr(detail, name)
    return "" if value is None else str(value)


def _detail_row(customer_id: int) -> Any:
    return (
        Customer.select(Customer, shown_name_sql().alias("owner_name"))
        .join(Rep, JOIN.LEFT_OUTER, on=(Customer.owner == Rep.id))
        .where(Customer.id == customer_id)
        .objects()
        .first()
    )


def _contacts(customer_id: int) -> tuple[ContactView, ...]:
    rows = (
        Contact.select()
        .where(Contact.customer == customer_id)
        .order_by(Contact.is_primary.desc(), Contact.id)
        .limit(CONTACT_LIMIT)
    )
    return tuple(
        ContactView(
            contact_id=c.id,
            name=c.name,
            role=c.role,
            email=c.email,
            phone=c.phone,
            whatsapp=c.whatsapp,
            wechat=c.wechat,
            is_primary=c.is_primary,
        )
        for c in rows
    )


def _detail(customer_id: int, timeline_limit: int) -> CustomerDetail | None:
    customer = _detail_row(customer_id)
    if customer is None:
        return None
    return CustomerDetail(
        customer_id=customer.id,
        code=format_customer_number(customer.number),
        company=customer.company,
        name=customer.name,
        country=customer.country,
        timezone=customer.timezone,
        website=customer.website,
        email_domain=customer.email_domain,
        linkedin=customer.linkedin,
        source=customer.source,
        buyer_type=customer.buyer_type,
        potential=customer.potential,
        stage=customer.stage,
        stage_since=customer.stage_since,
        lost_reason=customer.lost_reason,
        expected_value=_money(customer.expected_value, customer.expected_currency),
        first_contact_at=customer.first_contact_at,
        last_activity_at=customer.last_activity_at,
        next_follow_up_at=customer.next_follow_up_at,
        next_follow_up_plan=customer.next_follow_up_plan,
        background_check_done=customer.background_check_done,
        platform_profile=customer.platform_profile,
        notes=customer.notes,
        tags=customer.tags,
        owner_id=customer.owner_id,
        owner_name=getattr(customer, "owner_name", None) or "",
        merged_into_id=customer.merged_into_id,
        version=customer.version,
        contacts=_contacts(customer_id),
        timeline=_timeline(customer_id, None, timeline_limit),
    )


def customer_detail(
    customer_id: int, timeline_limit: int = TIMELINE_WINDOW
) -> CustomerDetail | None:
    """Every sheet and background-check field, the contacts and the newest timeline window.

    Three queries whatever the size of the timeline.
    """
    with database.connection_context():
        return _detail(customer_id, max(1, min(timeline_limit, WINDOW)))


# --- edits -------------------------------------------------------------------------------------


def _clean_field(name: str, text: str, current: CustomerDetail, rep_zone: str) -> dict[str, Any]:
    """The columns to write for one edited field; ValueError with the reason otherwise."""
    if name in ("company", "name"):
        return {name: rules.one_line(text, 255)}
    if name == "country":
        code = rules.parse_country(text)
        values: dict[str, Any] = {"country": code}
        inferred_before = geo.infer_timezone(current.country) if current.country else None
        if not current.timezone or current.timezone == inferred_before:
            values["timezone"] = geo.infer_timezone(code) if code else None
        return values
    if name == "timezone":
        return {"timezone": rules.parse_zone(text) or None}
    if name == "website":
        url = rules.normalise_website(text)
        values = {"website": url}
        domain = rules.website_domain(url) if url else ""
        if domain and not current.email_domain and not intake.is_free_mail(domain):
            values["email_domain"] = domain
        return values
    if name == "email_domain":
        value = text.strip().lower().removeprefix("@")
        if value and (intake.email_domain(f"x@{value}") != value):
            message = _("{value!r} is not a domain (write it like acme.com)")
            raise ValueError(message.format(value=text.strip()[:60]))
        return {"email_domain": value}
    if name == "linkedin":
        return {"linkedin": rules.normalise_linkedin(text)}
    if name == "source":
        return {"source": rules.parse_source(text) if text.strip() else Channel.OTHER}
    if name == "buyer_type":
        return {"buyer_type": rules.parse_buyer_type(text)}
    if name == "potential":
        return {"potential": rules.parse_potential(text)}
    if name == "expected_value":
        currency = current.expected_value.currency if current.expected_value else "USD"
        money = rules.parse_money(text, currency)
        if money is None:
            return {"expected_value": None}
        return {"expected_value": money[0], "expected_currency": money[1]}
    if name == "first_contact":
        day = rules.parse_sheet_date(text.strip()) if text.strip() else None
        if day is None:
            return {"first_contact_at": None}
        return {"first_contact_at": local_midnight(day, rep_zone)}
    if name == "next_follow_up_plan":
        return {"next_follow_up_plan": rules.one_line(text, 300)}
    if name == "background_check_done":
        return {"background_check_done": rules.parse_bool(text)}
    if name in ("platform_profile", "notes"):
        value = intake.clean_text(text).strip()
        if len(value) > NOTES_LIMIT:
            raise ValueError(rules.too_long(len(value), NOTES_LIMIT))
        return {name: value}
    if name == "tags":
        return {"tags": rules.one_line(rules.parse_tags(text), 255)}
    raise ValueError(_("{field} cannot be edited here").format(field=field_label(name)))


def local_midnight(day: Any, zone: str) -> pendulum.DateTime:
    """A calendar day in the rep's zone as the UTC instant it starts."""
    return pendulum.datetime(day.year, day.month, day.day, tz=zone).in_timezone("UTC")


def validate_changes(
    current: CustomerDetail, changes: Mapping[str, str], rep_zone: str = "UTC"
) -> dict[str, Any]:
    """Columns to write for `changes` ({field: text}); InvalidFields names every bad one."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, text in changes.items():
        if name not in EDITABLE_FIELDS:
            errors[name] = _("not an editable field")
            continue
        try:
            values.update(_clean_field(name, text, current, rep_zone))
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise InvalidFields(errors)
    return values


_SEARCHABLE = frozenset({"company", "name", "email_domain", "website", "notes", "tags"})


def _bump(customer_id: int, version: int, values: Mapping[str, Any]) -> bool:
    """Write `values` only if the customer is still at `version`; True when written."""
    written = (
        Customer.update(**values, version=Customer.version + 1, updated_at=clock.now())
        .where(Customer.id == customer_id, Customer.version == version)
        .execute()
    )
    return bool(written)


def _stale(base: CustomerDetail, rep_zone: str) -> StaleEdit:
    current = _detail(base.customer_id, 1)
    if current is None:
        raise NotFound(_("customer {code} no longer exists").format(code=base.code))
    names = (*EDITABLE_FIELDS, "stage", "lost_reason", "next_follow_up")
    changed = [
        n for n in names if field_text(current, n, rep_zone) != field_text(base, n, rep_zone)
    ]
    if current.contacts != base.contacts:
        changed.append("contacts")
    return StaleEdit(changed, current.version)


def update_customer(
    base: CustomerDetail,
    changes: Mapping[str, str],
    rep_zone: str = "UTC",
) -> CustomerDetail:
    """Store edited fields ({field: text as typed}) on the customer `base` was read as.

    InvalidFields when a value is refused (nothing is written); StaleEdit when the customer was
    saved by someone else after `base` was read (nothing is written; reload and redo).
    """
    values = validate_changes(base, changes, rep_zone)
    with database.connection_context():
        with database.atomic():
            if values and not _bump(base.customer_id, base.version, values):
                raise _stale(base, rep_zone)
            if _SEARCHABLE & set(values):
                search.index_customer(base.customer_id)
        detail = _detail(base.customer_id, TIMELINE_WINDOW)
    if detail is None:
        raise NotFound(_("customer {code} no longer exists").format(code=base.code))
    return detail


CONTACT_FIELDS = ("name", "role", "email", "phone", "whatsapp", "wechat")


def _contact_values(changes: Mapping[str, str], country: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, text in changes.items():
        try:
            if name in ("name", "role", "wechat"):
                values[name] = rules.one_line(text, 255)
            elif name == "email":
                values[name] = rules.normalise_email(text).lower() if text.strip() else ""
            elif name in ("phone", "whatsapp"):
                values[name] = rules.normalise_phone(text, country or None) if text.strip() else ""
            else:
                errors[name] = _("not a contact field")
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise InvalidFields(errors)
    return values


def save_contact(
    customer_id: int, contact_id: int | None, changes: Mapping[str, str]
) -> ContactView:
    """Create (contact_id None) or edit a contact; e-mail and phones validated (E.164).

    The first contact of a customer becomes its primary one. The customer's version moves on.
    """
    with database.connection_context():
        customer: Any = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            raise NotFound(_("no customer {id}").format(id=customer_id))
        values = _contact_values(changes, customer.country)
        contact: Any
        with database.atomic():
            if contact_id is None:
                has_primary = (
                    Contact.select()
                    .where(Contact.customer == customer_id, Contact.is_primary)
                    .exists()
                )
                contact = Contact.create(customer=customer_id, is_primary=not has_primary, **values)
            else:
                contact = Contact.get_or_none(
                    Contact.id == contact_id, Contact.customer == customer_id
                )
                if contact is None:
                    message = _("no contact {id} for customer {code}")
                    raise NotFound(message.format(id=contact_id, code=customer.code))
                for name, value in values.items():
                    setattr(contact, name, value)
                contact.save()
            domain = intake.email_domain(contact.email) if contact.email else None
            extra: dict[str, Any] = {}
            if domain and not customer.email_domain and not intake.is_free_mail(domain):
                extra["email_domain"] = domain
            Customer.update(version=Customer.version + 1, **extra).where(
                Customer.id == customer_id
            ).execute()
            search.index_customer(customer_id)
    return _contact_view(contact)


def _contact_view(contact: Contact) -> ContactView:
    return ContactView(
        contact_id=contact.id,
        name=contact.name,
        role=contact.role,
        email=contact.email,
        phone=contact.phone,
        whatsapp=contact.whatsapp,
        wechat=contact.wechat,
        is_primary=contact.is_primary,
    )


def set_primary_contact(customer_id: int, contact_id: int) -> None:
    with database.connection_context(), database.atomic():
        if (
            not Contact.select()
            .where(Contact.id == contact_id, Contact.customer == customer_id)
            .exists()
        ):
            message = _("no contact {id} for customer {code}")
            raise NotFound(message.format(id=contact_id, code=customer_id))
        Contact.update(is_primary=(Contact.id == contact_id)).where(
            Contact.customer == customer_id
        ).execute()
        Customer.update(version=Customer.version + 1).where(Customer.id == customer_id).execute()


def _rep_name(rep_id: int | None) -> str:
    if rep_id is None:
        return ""
    rep = Rep.get_or_none(Rep.id == rep_id)
    return rep.name if rep is not None else ""


# --- touches and follow-ups --------------------------------------------------------------------


def log_touch(
    customer_id: int,
    kind: ActivityKind,
    direction: Direction,
    text: str,
    by: int | None,
    at: pendulum.DateTime | None = None,
    subject: str = "",
) -> TimelineItem:
    """Store a touch with its exact text; the sheet's latest follow-up moves to it."""
    text = intake.clean_text(text).strip()
    if not text:
        raise InvalidFields({"text": _("a touch needs its text (what was said or written)")})
    if kind is ActivityKind.SYSTEM:
        raise InvalidFields({"kind": _("system entries are written by sopdesk itself")})
    at = at or clock.now()
    with database.connection_context(), database.atomic():
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            raise NotFound(_("no customer {id}").format(id=customer_id))
        activity = Activity.create(
            customer=customer_id,
            kind=kind,
            direction=direction,
            at=at,
            subject=rules.one_line(subject, 255) if subject else "",
            text=text,
            by=by,
        )
        if customer.last_activity_at is None or at > customer.last_activity_at:
            Customer.update(last_activity_at=at).where(Customer.id == customer_id).execute()
        search.index_customer(customer_id)
        who = _rep_name(by)
    return TimelineItem(
        entry=Entry.ACTIVITY,
        item_id=activity.id,
        at=at,
        kind=kind.value,
        direction=direction,
        title=activity.subject,
        text=text,
        by=who,
    )


def set_next_follow_up(
    customer_id: int,
    text: str,
    rep_zone: str,
    by: int | None,
    plan: str | None = None,
    now: pendulum.DateTime | None = None,
) -> pendulum.DateTime:
    """Plan the next follow-up from natural input ("+3d", "fri 10:00", "明天") in the rep's zone.

    The customer sheet's next follow-up moves, and the customer's one open manual follow-up task
    (Today's queue) is moved or created. Returns the moment, in UTC.
    """
    now = now or clock.now()
    try:
        due = parse_follow_up(text, now, rep_zone).in_timezone("UTC")
    except ValueError as exc:
        raise InvalidFields({"next_follow_up": str(exc)}) from None
    plan_text = rules.one_line(plan, 300) if plan is not None else None
    with database.connection_context(), database.atomic():
        customer: Any = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            raise NotFound(_("no customer {id}").format(id=customer_id))
        values: dict[str, Any] = {"next_follow_up_at": due, "version": Customer.version + 1}
        if plan_text is not None:
            values["next_follow_up_plan"] = plan_text
        Customer.update(**values).where(Customer.id == customer_id).execute()
        # The task's words are stored in the writer's language, like every task's (Today shows
        # them as written).
        title = (
            plan_text
            or customer.next_follow_up_plan
            or _("Follow up {customer}").format(customer=customer.display_name)
        )
        task = (
            Task.open()
            .where(
                Task.customer == customer_id,
                Task.kind == TaskKind.FOLLOW_UP,
                Task.source == "manual",
            )
            .order_by(Task.due_at)
            .first()
        )
        if task is None:
            Task.create(
                customer=customer_id,
                owner=by if by is not None else customer.owner_id,
                kind=TaskKind.FOLLOW_UP,
                title=title,
                why=_("next follow-up planned on the customer sheet"),
                due_at=due,
                source="manual",
            )
        else:
            task.due_at = due
            task.title = title
            task.save()
    return due


def clear_next_follow_up(customer_id: int) -> None:
    with database.connection_context(), database.atomic():
        Customer.update(next_follow_up_at=None, version=Customer.version + 1).where(
            Customer.id == customer_id
        ).execute()
        Task.update(skipped_reason=_("cleared on the customer sheet")).where(
            Task.customer == customer_id,
            Task.kind == TaskKind.FOLLOW_UP,
            Task.source == "manual",
            Task.done_at.is_null(),
            Task.skipped_reason.is_null(),
        ).execute()


# --- stages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageChangeView:
    change_id: int
    customer_id: int
    from_stage: Stage | None
    to_stage: Stage
    at: pendulum.DateTime
    by: str
    reason: str


def change_stage(
    customer_id: int,
    to_stage: Stage,
    by: int | None,
    why: str = "",
    lost_reason: LostReason | None = None,
    confirm_skip: bool = False,
    now: pendulum.DateTime | None = None,
    event: str = "",
) -> StageChangeView:
    """Move a customer to `to_stage`, stored as history (from, to, when, who, why).

    Lost needs a reason from the list (the weekly review groups by it). A move that jumps over
    funnel stages (lead → negotiation) raises StageSkip unless `confirm_skip`. A move sopdesk
    itself makes gives its reason as `event` (an `event_text`), stored instead of words and worded
    when read. The view's reason is in the UI language, as the timeline shows it.
    """
    now = now or clock.now()
    why = intake.clean_text(why).strip()
    if to_stage is Stage.LOST and lost_reason is None:
        reasons = list_text(_(labels.LOST_REASON[r]) for r in LostReason)
        raise LostReasonRequired(
            _("a lost customer needs a reason: {reasons}").format(reasons=reasons)
        )
    with database.connection_context(), database.atomic():
        customer: Any = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            raise NotFound(_("no customer {id}").format(id=customer_id))
        if customer.merged_into_id is not None:
            message = _("{code} was merged into another customer")
            raise RecordError(message.format(code=customer.code))
        from_stage = customer.stage
        if from_stage is to_stage:
            message = _("{code} is already at {stage}")
            raise RecordError(message.format(code=customer.code, stage=labels.stage(to_stage)))
        if skips_stages(from_stage, to_stage) and not confirm_skip:
            raise StageSkip(from_stage, to_stage)
        reason = event or why
        if to_stage is Stage.LOST and lost_reason is not None:
            # Stored as the reason's code, then the rep's words: "competitor: went with a rival".
            # The timeline shows the code in the reader's language (records_timeline).
            reason = lost_reason_note(lost_reason, why)
        change = StageChange.create(
            customer=customer_id,
            from_stage=from_stage,
            to_stage=to_stage,
            at=now,
            by=by,
            reason=reason,
        )
        Customer.update(
            stage=to_stage,
            stage_since=now,
            lost_reason=lost_reason if to_stage is Stage.LOST else None,
            version=Customer.version + 1,
        ).where(Customer.id == customer_id).execute()
        who = _rep_name(by)
    shown = stage_reason_words(to_stage.value, reason)
    return StageChangeView(change.id, customer_id, from_stage, to_stage, now, who, shown)


def stage_history(customer_id: int, limit: int = 100) -> list[StageChangeView]:
    """The customer's stage changes, newest first; reasons in the UI language (as the timeline
    shows them)."""
    with database.connection_context():
        rows: Any = (
            StageChange.select(StageChange, shown_name_sql().alias("who"))
            .join(Rep, JOIN.LEFT_OUTER, on=(StageChange.by == Rep.id))
            .where(StageChange.customer == customer_id)
            .order_by(StageChange.at.desc(), StageChange.id.desc())
            .limit(limit)
            .objects()
        )
        return [
            StageChangeView(
                r.id,
                customer_id,
                r.from_stage,
                r.to_stage,
                r.at,
                r.who or "",
                stage_reason_words(r.to_stage.value, r.reason),
            )
            for r in rows
        ]


# The timeline, duplicates and merges live in their own modules; the records API is this one.
from sopdesk.services.records_merge import (  # noqa: E402
    DuplicateCandidate,
    MergeResult,
    NewCustomer,
    create_customer,
    duplicate_candidates,
    find_duplicates,
    merge,
    with_timeline,
)

__all__ = [
    "BACKGROUND_FIELDS",
    "EDITABLE_FIELDS",
    "FIELD_LABELS",
    "ContactView",
    "Cursor",
    "CustomerDetail",
    "CustomerFilter",
    "CustomerRow",
    "CustomerWindow",
    "DuplicateCandidate",
    "Entry",
    "InvalidFields",
    "LostReasonRequired",
    "MergeResult",
    "NewCustomer",
    "NotFound",
    "RecordError",
    "Sort",
    "SortKey",
    "StageChangeView",
    "StageSkip",
    "StaleEdit",
    "TimelineCursor",
    "TimelineItem",
    "TimelinePage",
    "change_stage",
    "clear_next_follow_up",
    "count_customers",
    "countries_in_use",
    "create_customer",
    "customer_detail",
    "customer_window",
    "duplicate_candidates",
    "field_label",
    "field_text",
    "find_duplicates",
    "first_window",
    "log_touch",
    "merge",
    "save_contact",
    "set_next_follow_up",
    "set_primary_contact",
    "stage_history",
    "timeline_window",
    "update_customer",
    "validate_changes",
    "with_timeline",
]
