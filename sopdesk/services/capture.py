"""Taking an inquiry in: validate it, find (or create) its customer, store it, index it.

Linking order (issue 3): the buyer's e-mail (a contact's or an earlier inquiry's), then the
e-mail's company domain (never a free-mail domain such as gmail.com or qq.com), then the
normalised company name; otherwise a new customer (next C-number, stage lead with its stage-change
row, source = channel, first contact = received time) with the buyer as its primary contact.

Owner: the rep who typed the inquiry in (`owner_id`); otherwise the playbook's assignment rule
(sop/assignment.py: same buyer → same rep, by country or product, else round-robin, or left to a
manager), decided inside the same write transaction so two processes never both take "the next"
rep of the rotation.

A duplicate (same Message-ID, or same content hash) writes nothing and says which inquiry it
repeats. `capture` opens its own transaction; `capture_many` takes a whole file in ONE transaction
and writes all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import pendulum
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from peewee import IntegrityError
from phonenumbers import timezone as phone_timezones

from sopdesk.i18n import _
from sopdesk.services.linking import (
    CustomerLinker,
    contact_pk,
    customer_pk,
    first_row,
    inquiry_pk,
)
from sopdesk.services.timeline_events import Event, event_text
from sopdesk.sop import geo
from sopdesk.sop.assignment import Assignment, assign
from sopdesk.sop.intake import (
    clean_text,
    content_hash,
    country_code,
    email_domain,
    is_free_mail,
    one_line,
)
from sopdesk.sop.stages import Channel, RepRole, Stage
from sopdesk.store import search
from sopdesk.store.db import database
from sopdesk.store.models import (
    Contact,
    Customer,
    Inquiry,
    Rep,
    StageChange,
    format_customer_number,
)

MAX_NAME = 255
"""Longest name, company, e-mail, phone, quantity or port kept (a VARCHAR elsewhere)."""


class CaptureError(ValueError):
    """One field of an inquiry cannot be taken as it is; `field` names it for the form."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class InquiryInput:
    """What the rep pasted from the platform, or what an importer read from a file."""

    channel: Channel
    received_at: datetime
    """Aware; when the buyer sent it."""
    buyer_name: str = ""
    company: str = ""
    email: str = ""
    phone: str = ""
    """Phone or WhatsApp, as typed; stored E.164 when it can be read."""
    country: str = ""
    """ISO code, English or Chinese name; empty = unknown (then taken from the phone if it can)."""
    products: str = ""
    quantity: str = ""
    port: str = ""
    """Destination port."""
    subject: str = ""
    message: str = ""
    message_id: str | None = None
    raw_source: str | None = None
    """The message as received (e-mail source), kept for audit and re-parsing."""
    received_at_known: bool = True
    """False when the source had no time and `received_at` is the import time: the duplicate
    check then ignores the time, so importing the same file tomorrow still finds the duplicate."""


@dataclass(frozen=True)
class CaptureResult:
    inquiry_id: int
    customer_id: int
    customer_code: str
    created_customer: bool
    duplicate: bool
    linked_by: str = ""
    """How the customer was found: "email", "domain", "company", "new" ("" for a duplicate)."""
    warnings: tuple[str, ...] = ()
    """Taken, but a field was left out (an unknown country, a damaged phone number)."""


@dataclass(frozen=True)
class BatchResult:
    outcomes: tuple[CaptureResult | CaptureError, ...]
    """One per item, in order."""
    committed: bool
    """False when nothing was written (dry run, or a rejection without keep-going)."""

    @property
    def rejected(self) -> int:
        return sum(1 for o in self.outcomes if isinstance(o, CaptureError))


@dataclass(frozen=True)
class _Clean:
    data: InquiryInput
    received_at: pendulum.DateTime
    name: str
    company: str
    email: str
    phone: str
    whatsapp: str
    country: str
    zone: str | None
    message_id: str | None
    content_hash: str
    subject: str
    message: str
    extra: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


# --- validation ---------------------------------------------------------------------------------


def _short(field_name: str, value: str) -> str:
    value = one_line(value)
    if len(value) > MAX_NAME:
        raise CaptureError(field_name, _("longer than {n} characters").format(n=MAX_NAME))
    return value


def _email(value: str) -> str:
    value = _short("email", value).strip("<>").strip()
    if not value:
        return ""
    try:
        checked = validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise CaptureError(
            "email", _("{value!r} is not an e-mail address: {why}").format(value=value, why=exc)
        ) from exc
    return str(checked.normalized).lower()


def _phone(
    value: str, country: str, warnings: list[str]
) -> tuple[str, phonenumbers.PhoneNumber | None]:
    """(stored form, parsed number); E.164 when it can be read, else as typed. A value that is no
    phone number (Excel turns "+1-846-706-2218" into -3769) is dropped with a warning."""
    value = _short("phone", value)
    if not value:
        return "", None
    digits = sum(ch.isdigit() for ch in value)
    if value.lstrip().startswith("-") or "e+" in value.lower() or digits < 6:
        warnings.append(
            _("phone {value!r} is not a phone number (spreadsheet damage?): not kept").format(
                value=value
            )
        )
        return "", None
    try:
        number = phonenumbers.parse(value, country or None)
    except phonenumbers.NumberParseException:
        return value, None
    if not phonenumbers.is_possible_number(number):
        return value, None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), number


def _zone(country: str, number: phonenumbers.PhoneNumber | None) -> str | None:
    zone = geo.infer_timezone(country) if country else None
    if zone is None and number is not None and phonenumbers.is_valid_number(number):
        zones = phone_timezones.time_zones_for_number(number)
        if len(zones) == 1 and zones[0] != "Etc/Unknown":
            zone = zones[0]
    return zone


def _message_id(value: str | None) -> str | None:
    if value is None:
        return None
    value = one_line(value).strip().strip("<>").strip()
    return value[:998] or None


def _validate(data: InquiryInput) -> _Clean:
    if not isinstance(data.channel, Channel):
        raise CaptureError("channel", _("unknown channel {value!r}").format(value=data.channel))
    at = data.received_at
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise CaptureError("received_at", _("the received time needs a time zone"))
    received_at = pendulum.instance(at).in_timezone("UTC")
    subject = one_line(data.subject)
    message = clean_text(data.message).strip()
    if not subject and not message:
        raise CaptureError("message", _("the message (or a subject) is empty"))
    name, company = _short("buyer_name", data.buyer_name), _short("company", data.company)
    email = _email(data.email)
    warnings: list[str] = []
    country = country_code(data.country) or ""
    if one_line(data.country) and not country:
        warnings.append(
            _("unknown country {value!r}: left empty").format(value=one_line(data.country))
        )
    phone, number = _phone(data.phone, country, warnings)
    if not country and number is not None and phonenumbers.is_valid_number(number):
        country = phonenumbers.region_code_for_number(number) or ""
    if not (email or phone or name or company):
        raise CaptureError(
            "buyer_name", _("no buyer: give an e-mail, a phone, a name or a company")
        )
    extra = {
        "products": clean_text(data.products).strip(),
        "quantity": _short("quantity", data.quantity),
        "port": _short("port", data.port),
    }
    digest = content_hash(
        data.channel.value,
        email or phone or name,
        company,
        subject,
        message,
        received_at if data.received_at_known else None,
        extra.values(),
    )
    return _Clean(
        data=data,
        received_at=received_at,
        name=name,
        company=company,
        email=email,
        phone=phone,
        whatsapp=phone if data.channel is Channel.WHATSAPP else "",
        country=country,
        zone=_zone(country, number),
        message_id=_message_id(data.message_id),
        content_hash=digest,
        subject=subject,
        message=message,
        extra=extra,
        warnings=tuple(warnings),
    )


# --- writing ------------------------------------------------------------------------------------


def _duplicate_of(item: _Clean) -> tuple[int, int] | None:
    """(inquiry id, customer id) of the inquiry this one repeats, if any."""
    query = Inquiry.select(inquiry_pk, Inquiry.customer)
    row = None
    if item.message_id is not None:
        row = first_row(query.where(Inquiry.message_id == item.message_id))
    if row is None:
        row = first_row(query.where(Inquiry.content_hash == item.content_hash))
    return (int(row[0]), int(row[1])) if row is not None else None


def _code(customer_id: int) -> str:
    number = Customer.select(Customer.number).where(customer_pk == customer_id).scalar()
    return format_customer_number(int(number or 0))


def _new_customer(item: _Clean, owner_id: int | None) -> Customer:
    domain = email_domain(item.email) if item.email else None
    customer = Customer.create(
        number=Customer.next_number(),
        company=item.company,
        name=item.name,
        country=item.country,
        timezone=item.zone,
        email_domain=domain if domain and not is_free_mail(domain) else "",
        source=item.data.channel,
        stage=Stage.LEAD,
        stage_since=item.received_at,
        first_contact_at=item.received_at,
        last_activity_at=item.received_at,
        owner=owner_id,
    )
    StageChange.create(
        customer=customer,
        from_stage=None,
        to_stage=Stage.LEAD,
        at=item.received_at,
        by=owner_id,
        reason=event_text(Event.NEW_INQUIRY, channel=item.data.channel.value),  # worded when read
    )
    return customer


def _contact(item: _Clean, customer_id: int, primary: bool) -> int | None:
    """The buyer as a contact of the customer: found by e-mail, else added (when we know how to
    reach them)."""
    if item.email:
        found = first_row(
            Contact.select(contact_pk).where(
                Contact.customer == customer_id, Contact.email == item.email
            )
        )
        if found is not None:
            return int(found[0])
    if not (item.email or item.phone or (primary and item.name)):
        return None
    contact = Contact.create(
        customer=customer_id,
        name=item.name,
        email=item.email,
        phone=item.phone,
        whatsapp=item.whatsapp,
        is_primary=primary,
    )
    return int(contact.get_id())


def _touch(customer_id: int, at: pendulum.DateTime) -> None:
    """Refresh the denormalised last activity (and an earlier first contact, for old mail)."""
    Customer.update(last_activity_at=at).where(
        customer_pk == customer_id,
        Customer.last_activity_at.is_null() | (Customer.last_activity_at < at),
    ).execute()
    Customer.update(first_contact_at=at).where(
        customer_pk == customer_id,
        Customer.first_contact_at.is_null() | (Customer.first_contact_at > at),
    ).execute()


class _Assigner:
    """The playbook's assignment rule, with the team read once per capture or batch."""

    def __init__(self) -> None:
        self._team: tuple[dict[str, int], list[str]] | None = None
        self._last: str | None = None
        self._last_known = False

    def _reps(self) -> tuple[dict[str, int], list[str]]:
        if self._team is None:
            rows = (
                Rep.select(Rep.id, Rep.login, Rep.role)
                .where(Rep.is_active_clause())  # a rep who left receives no new work
                .order_by(Rep.id)
                .limit(1000)
            )
            ids = {r.login: int(r.id) for r in rows}
            reps = [r.login for r in rows if r.role is RepRole.REP]
            self._team = ids, reps or list(ids)  # a team of managers only: everyone takes turns
        return self._team

    def _last_in_rotation(self, ids: dict[str, int], rotation: list[str]) -> str | None:
        """Who got the newest inquiry among those taking turns (one indexed probe)."""
        if not self._last_known:
            logins = {v: k for k, v in ids.items()}
            turns = [ids[login] for login in rotation if login in ids]
            row = first_row(
                Inquiry.select(Inquiry.owner)
                .where(Inquiry.owner.in_(turns))
                .order_by(Inquiry.id.desc())
            ) if turns else None  # fmt: skip
            self._last = logins.get(int(row[0])) if row is not None else None
            self._last_known = True
        return self._last

    def owner_for(self, item: _Clean, customer_id: int | None) -> int | None:
        from sopdesk.sop.playbook import effective

        ids, default_rotation = self._reps()
        if not ids:
            return None
        logins = {v: k for k, v in ids.items()}
        buyer_owner = None
        if customer_id is not None:
            owner = Customer.select(Customer.owner).where(customer_pk == customer_id).scalar()
            buyer_owner = logins.get(int(owner)) if owner is not None else None
        text = " ".join((item.extra.get("products", ""), item.subject, item.message))
        rules = effective().assignment
        rotation = list(rules.rotation or default_rotation)
        chosen: Assignment = assign(
            rules,
            buyer_owner=buyer_owner,
            country=item.country,
            text=text,
            reps=list(ids),
            last_in_rotation=self._last_in_rotation(ids, rotation),
            default_rotation=default_rotation,
        )
        if chosen.login is None:
            return None
        if chosen.login in rotation:
            self._last = chosen.login
        return ids[chosen.login]


def _store(
    item: _Clean, owner_id: int | None, linker: CustomerLinker, assigner: _Assigner | None = None
) -> CaptureResult:
    existing = _duplicate_of(item)
    if existing is not None:
        return CaptureResult(
            inquiry_id=existing[0],
            customer_id=existing[1],
            customer_code=_code(existing[1]),
            created_customer=False,
            duplicate=True,
            warnings=item.warnings,
        )
    customer_id, how = linker.find(item.email, item.company)
    created = customer_id is None
    if owner_id is None:
        owner_id = (assigner or _Assigner()).owner_for(item, customer_id)
    if customer_id is None:
        customer = _new_customer(item, owner_id)
        customer_id = int(customer.get_id())
        linker.remember(item.company, customer_id)
    else:
        _touch(customer_id, item.received_at)
    contact_id = _contact(item, customer_id, primary=created)
    inquiry = Inquiry.create(
        customer=customer_id,
        contact=contact_id,
        owner=owner_id,
        channel=item.data.channel,
        received_at=item.received_at,
        buyer_name=item.name,
        buyer_email=item.email,
        buyer_phone=item.phone,
        company=item.company,
        country=item.country,
        subject=item.subject,
        body=item.message,
        products=item.extra["products"],
        quantity=item.extra["quantity"],
        port=item.extra["port"],
        message_id=item.message_id,
        content_hash=item.content_hash,
        raw_source=clean_text(item.data.raw_source) if item.data.raw_source else None,
    )
    return CaptureResult(
        inquiry_id=int(inquiry.get_id()),
        customer_id=customer_id,
        customer_code=_code(customer_id),
        created_customer=created,
        duplicate=False,
        linked_by=how,
        warnings=item.warnings,
    )


def capture(data: InquiryInput, owner_id: int | None = None) -> CaptureResult:
    """Store one inquiry (the "new inquiry" form). Raises CaptureError naming the bad field."""
    item = _validate(data)
    with database.connection_context(), database.atomic():
        result = _store(item, owner_id, CustomerLinker(), _Assigner())
        if not result.duplicate:
            search.index_customer(result.customer_id)
    return result


def capture_many(
    items: Iterable[InquiryInput],
    owner_id: int | None = None,
    *,
    keep_going: bool = False,
    dry_run: bool = False,
) -> BatchResult:
    """Store a batch in ONE transaction: every item is tried, so each gets its outcome.

    Nothing is written when `dry_run`, or when an item was rejected and not `keep_going` (then
    the outcomes still show what would have happened: linking and numbering are real).
    """
    outcomes: list[CaptureResult | CaptureError] = []
    linker = CustomerLinker(batch=True)
    assigner = _Assigner()
    touched: set[int] = set()
    with database.connection_context(), database.atomic() as transaction:
        for data in items:
            try:
                item = _validate(data)
                with database.atomic():  # a savepoint: a failing item leaves no trace
                    result = _store(item, owner_id, linker, assigner)
            except CaptureError as exc:
                outcomes.append(exc)
                continue
            except IntegrityError as exc:  # another writer stored the same inquiry meanwhile
                outcomes.append(CaptureError("message_id", str(exc)))
                continue
            outcomes.append(result)
            if not result.duplicate:
                touched.add(result.customer_id)
        rejected = any(isinstance(o, CaptureError) for o in outcomes)
        committed = not dry_run and not (rejected and not keep_going)
        if committed:
            for customer_id in sorted(touched):
                search.index_customer(customer_id)
        else:
            transaction.rollback()
    return BatchResult(outcomes=tuple(outcomes), committed=committed)


__all__ = [
    "BatchResult",
    "CaptureError",
    "CaptureResult",
    "InquiryInput",
    "capture",
    "capture_many",
]
