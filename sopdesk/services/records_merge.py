"""Duplicates and merges: the same buyer found twice (same e-mail, same company domain, a
near-identical company name) and folded into one record, keeping every touch, quote and order.

Also the creation of a customer by hand, which shows the duplicate candidates first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import pendulum

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.services.records import (
    CONTACT_LIMIT,
    CustomerDetail,
    InvalidFields,
    NotFound,
    RecordError,
    TimelinePage,
    _contact_values,
    _tuples,
)
from sopdesk.services.records_timeline import Event, event_text
from sopdesk.sop import geo, intake
from sopdesk.sop import records as rules
from sopdesk.sop.stages import ActivityKind, BuyerType, Channel, Direction, Stage
from sopdesk.store import search
from sopdesk.store.db import database
from sopdesk.store.models import (
    Activity,
    Contact,
    Customer,
    Inquiry,
    Order,
    Quote,
    Sample,
    StageChange,
    Task,
    format_customer_number,
)

NAME_MATCH = 90
"""rapidfuzz score (0–100) from which two normalised company names count as the same."""


# --- duplicates and merge ----------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateCandidate:
    customer_id: int
    code: str
    name: str
    country: str
    stage: Stage
    reasons: tuple[str, ...]
    """"e-mail a@b.com", "domain acme.com", "company name 96%" (in the UI language)."""
    score: int
    """100 for a shared e-mail; 90 for a domain; the name score otherwise."""


def _name_score(a: str, b: str) -> int:
    from rapidfuzz import fuzz

    left, right = intake.normalise_company(a), intake.normalise_company(b)
    if not left or not right:
        return 0
    return round(fuzz.token_sort_ratio(left, right))


def find_duplicates(
    company: str = "",
    emails: Iterable[str] = (),
    domain: str = "",
    exclude_id: int | None = None,
    limit: int = 10,
) -> list[DuplicateCandidate]:
    """Customers that may be the same buyer: same e-mail, same company domain (free-mail domains
    never count), or a near-identical company name. Bounded: a few indexed queries."""
    with database.connection_context():
        return _find_duplicates(company, emails, domain, exclude_id, limit)


def _find_duplicates(
    company: str, emails: Iterable[str], domain: str, exclude_id: int | None, limit: int
) -> list[DuplicateCandidate]:
    reasons: dict[int, list[str]] = {}
    scores: dict[int, int] = {}

    def note(customer_id: int, reason: str, score: int) -> None:
        if customer_id == exclude_id:
            return
        reasons.setdefault(customer_id, []).append(reason)
        scores[customer_id] = max(scores.get(customer_id, 0), score)

    wanted = sorted({e.strip().lower() for e in emails if e and e.strip()})
    if wanted:
        rows = _tuples(
            Contact.select(Contact.customer, Contact.email)
            .where(Contact.email.in_(wanted))
            .limit(100)
        )
        for customer_id, email in rows:
            note(int(customer_id), _("e-mail {email}").format(email=email), 100)
    domain = domain.strip().lower()
    if domain and not intake.is_free_mail(domain):
        rows = _tuples(
            Customer.select(Customer.id)
            .where(Customer.email_domain == domain, Customer.merged_into.is_null())
            .limit(50)
        )
        for (customer_id,) in rows:
            note(int(customer_id), _("domain {domain}").format(domain=domain), 90)
    key = intake.normalise_company(company) if company.strip() else ""
    if key:
        ids = search.customers_with_any_word(key.split(), 100)
        if ids:
            rows = _tuples(
                Customer.select(Customer.id, Customer.company, Customer.name).where(
                    Customer.id.in_(ids), Customer.merged_into.is_null()
                )
            )
            for customer_id, other_company, other_name in rows:
                score = _name_score(company, other_company or other_name)
                if score >= NAME_MATCH:
                    reason = _("company name {score}%").format(score=score)
                    note(int(customer_id), reason, score)
    if not reasons:
        return []
    found: dict[int, Any] = {
        c.id: c
        for c in Customer.select(
            Customer.id,
            Customer.number,
            Customer.company,
            Customer.name,
            Customer.country,
            Customer.stage,
            Customer.merged_into,
        ).where(Customer.id.in_(list(reasons)))
    }
    result = [
        DuplicateCandidate(
            customer_id=cid,
            code=format_customer_number(found[cid].number),
            name=found[cid].company or found[cid].name,
            country=found[cid].country,
            stage=found[cid].stage,
            reasons=tuple(dict.fromkeys(reasons[cid])),
            score=scores[cid],
        )
        for cid in reasons
        if cid in found and found[cid].merged_into_id is None
    ]
    result.sort(key=lambda d: (-d.score, d.code))
    return result[:limit]


def duplicate_candidates(customer_id: int, limit: int = 10) -> list[DuplicateCandidate]:
    """Other customers that may be this one: by its contacts' e-mails, its domain, its name."""
    with database.connection_context():
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            raise NotFound(_("no customer {id}").format(id=customer_id))
        emails = [
            str(row[0])
            for row in _tuples(
                Contact.select(Contact.email)
                .where(Contact.customer == customer_id, Contact.email != "")
                .limit(CONTACT_LIMIT)
            )
        ]
        return _find_duplicates(
            customer.company or customer.name, emails, customer.email_domain, customer_id, limit
        )


@dataclass(frozen=True)
class MergeResult:
    keep_id: int
    other_id: int
    keep_code: str
    other_code: str
    moved: dict[str, int]
    """Rows moved to the kept customer, per kind (contacts, inquiries, activities …)."""


_FILLABLE = (
    "company",
    "name",
    "country",
    "timezone",
    "website",
    "email_domain",
    "linkedin",
    "platform_profile",
    "next_follow_up_plan",
)


def _fill_from(keep: Customer, other: Customer) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in _FILLABLE:
        if not getattr(keep, name) and getattr(other, name):
            values[name] = getattr(other, name)
    if keep.source is Channel.OTHER and other.source is not Channel.OTHER:
        values["source"] = other.source
    if keep.buyer_type is BuyerType.UNKNOWN and other.buyer_type is not BuyerType.UNKNOWN:
        values["buyer_type"] = other.buyer_type
    if keep.potential is None and other.potential is not None:
        values["potential"] = other.potential
    if keep.expected_value is None and other.expected_value is not None:
        values["expected_value"] = other.expected_value
        values["expected_currency"] = other.expected_currency
    for name, pick in (
        ("first_contact_at", min),
        ("last_activity_at", max),
        ("next_follow_up_at", min),
    ):
        mine, theirs = getattr(keep, name), getattr(other, name)
        if theirs is not None:
            values[name] = theirs if mine is None else pick(mine, theirs)
    if other.notes and other.notes not in keep.notes:
        values["notes"] = f"{keep.notes}\n\n{other.code}: {other.notes}".strip()
    if other.tags:
        values["tags"] = rules.parse_tags(f"{keep.tags}, {other.tags}")
    if other.background_check_done and not keep.background_check_done:
        values["background_check_done"] = True
    return values


def merge(
    keep_id: int, other_id: int, by: int | None, now: pendulum.DateTime | None = None
) -> MergeResult:
    """Fold `other` into `keep` in one transaction: every contact, inquiry, touch, task, quote,
    sample, order and stage change moves over; blank fields of `keep` are filled from `other`;
    `other` stays as a record pointing at `keep` (`merged_into`); a system touch records it."""
    now = now or clock.now()
    if keep_id == other_id:
        raise RecordError(_("a customer cannot be merged into itself"))
    with database.connection_context(), database.atomic():
        keep: Any = Customer.get_or_none(Customer.id == keep_id)
        other: Any = Customer.get_or_none(Customer.id == other_id)
        if keep is None or other is None:
            raise NotFound(_("both customers must exist"))
        for customer in (keep, other):
            if customer.merged_into_id is not None:
                message = _("{code} was already merged into another customer")
                raise RecordError(message.format(code=customer.code))
        keep_has_primary = (
            Contact.select().where(Contact.customer == keep_id, Contact.is_primary).exists()
        )
        if keep_has_primary:
            Contact.update(is_primary=False).where(Contact.customer == other_id).execute()
        moved: dict[str, int] = {}
        for label, model in (
            ("contacts", Contact),
            ("inquiries", Inquiry),
            ("activities", Activity),
            ("tasks", Task),
            ("quotes", Quote),
            ("samples", Sample),
            ("orders", Order),
            ("stage_changes", StageChange),
        ):
            moved[label] = int(
                model.update(customer=keep_id).where(model.customer == other_id).execute()
            )
        Customer.update(merged_into=keep_id).where(Customer.merged_into == other_id).execute()
        values = _fill_from(keep, other)
        Customer.update(**values, version=Customer.version + 1).where(
            Customer.id == keep_id
        ).execute()
        Customer.update(
            merged_into=keep_id, version=Customer.version + 1, next_follow_up_at=None
        ).where(Customer.id == other_id).execute()
        Activity.create(  # words at read time, in the reader's language (records_timeline)
            customer=keep_id,
            kind=ActivityKind.SYSTEM,
            direction=Direction.NONE,
            at=now,
            subject=f"{other.code} → {keep.code}",
            text=event_text(
                Event.MERGED,
                other=other.code,
                other_name=other.display_name,
                keep=keep.code,
                moved={label: n for label, n in moved.items() if n},
            ),
            by=by,
        )
        search.drop_customer(other_id)
        search.index_customer(keep_id)
    return MergeResult(keep_id, other_id, keep.code, other.code, moved)


# --- new customers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCustomer:
    customer_id: int
    code: str
    duplicates: tuple[DuplicateCandidate, ...]


def create_customer(
    company: str,
    name: str = "",
    email: str = "",
    phone: str = "",
    country: str = "",
    source: Channel = Channel.OTHER,
    by: int | None = None,
    now: pendulum.DateTime | None = None,
    allow_duplicates: bool = False,
) -> NewCustomer:
    """A new lead (with its first stage-change row and a primary contact).

    When duplicates are found and `allow_duplicates` is false nothing is written and the result
    has `customer_id` 0 and the candidates: show them, then call again to create anyway.
    """
    now = now or clock.now()
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key, text, check in (
        ("company", company, lambda t: rules.one_line(t, 255)),
        ("name", name, lambda t: rules.one_line(t, 255)),
        ("country", country, rules.parse_country),
    ):
        try:
            values[key] = check(text)
        except ValueError as exc:
            errors[key] = str(exc)
    if not (values.get("company") or values.get("name")):
        errors["company"] = _("a company or a name is needed")
    contact: dict[str, str] = {}
    try:
        contact = _contact_values(
            {"name": name, "email": email, "phone": phone}, values.get("country", "")
        )
    except InvalidFields as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidFields(errors)
    domain = intake.email_domain(contact.get("email", "")) or ""
    if intake.is_free_mail(domain):
        domain = ""
    with database.connection_context(), database.atomic():
        duplicates = tuple(
            _find_duplicates(
                values["company"] or values["name"], [contact.get("email", "")], domain, None, 10
            )
        )
        if duplicates and not allow_duplicates:
            return NewCustomer(0, "", duplicates)
        number = Customer.next_number()
        customer = Customer.create(
            number=number,
            company=values["company"],
            name=values["name"],
            country=values["country"],
            timezone=geo.infer_timezone(values["country"]) if values["country"] else None,
            email_domain=domain,
            source=source,
            stage=Stage.LEAD,
            stage_since=now,
            first_contact_at=now,
            owner=by,
        )
        StageChange.create(
            customer=customer.id, from_stage=None, to_stage=Stage.LEAD, at=now, by=by
        )
        if any(contact.values()):
            Contact.create(customer=customer.id, is_primary=True, **contact)
        search.index_customer(customer.id)
    return NewCustomer(customer.id, customer.code, duplicates)


def with_timeline(detail: CustomerDetail, page: TimelinePage) -> CustomerDetail:
    """The detail with more of its timeline appended (the UI pages on as the rep scrolls)."""
    items = detail.timeline.items + page.items
    return replace(detail, timeline=TimelinePage(items, page.next_after))
