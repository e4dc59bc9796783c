"""The background-check panel of a customer (SOP 2.2): read, guess, save."""

from __future__ import annotations

from dataclasses import dataclass

import pycountry
from peewee import fn

from sopdesk import clock
from sopdesk.services.records import StaleEdit
from sopdesk.services.timeline_events import Event, event_text
from sopdesk.sop.background import SearchLink, guess_website, is_complete, search_links
from sopdesk.sop.stages import ActivityKind, BuyerType, Direction, Potential, TaskKind
from sopdesk.store import search
from sopdesk.store.db import database
from sopdesk.store.models import Activity, Contact, Customer, Task, format_customer_number


@dataclass(frozen=True)
class BackgroundView:
    customer_id: int
    code: str
    company: str
    contact_name: str
    contact_email: str
    country: str
    website: str
    website_guessed: bool
    platform_profile: str
    buyer_type: BuyerType
    potential: Potential | None
    done: bool
    version: int
    links: tuple[SearchLink, ...]


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    return country.name if country is not None else ""


def load(customer_id: int) -> BackgroundView:
    with database.connection_context():
        customer = Customer.get_by_id(customer_id)
        contact = (
            Contact.select()
            .where(Contact.customer == customer_id)
            .order_by(Contact.is_primary.desc(), Contact.id)
            .first()
        )
    email = contact.email if contact else ""
    website = guess_website(email, customer.website)
    person = contact.name if contact else customer.name
    domain = customer.email_domain or (email.rpartition("@")[2].lower() if "@" in email else "")
    return BackgroundView(
        customer_id=customer.id,
        code=format_customer_number(customer.number),
        company=customer.company,
        contact_name=person,
        contact_email=email,
        country=customer.country,
        website=website,
        website_guessed=bool(website) and not customer.website,
        platform_profile=customer.platform_profile,
        buyer_type=customer.buyer_type,
        potential=customer.potential,
        done=customer.background_check_done,
        version=customer.version,
        links=tuple(
            search_links(customer.company, person, domain, _country_name(customer.country))
        ),
    )


def save(
    customer_id: int,
    version: int,
    *,
    website: str,
    platform_profile: str,
    buyer_type: BuyerType,
    potential: Potential | None,
    done: bool,
    rep_id: int | None = None,
) -> BackgroundView:
    """Save the check; marking it done closes the customer's open background-check tasks."""
    now = clock.now()
    with database.connection_context(), database.atomic():
        customer = Customer.get_by_id(customer_id)
        if customer.version != version:
            raise StaleEdit(["customer"], customer.version)
        became_done = done and not customer.background_check_done
        updated = (
            Customer.update(
                website=website.strip(),
                platform_profile=platform_profile,
                buyer_type=buyer_type,
                potential=potential,
                background_check_done=done,
                version=Customer.version + 1,
                updated_at=now,
            )
            .where(Customer.id == customer_id, Customer.version == version)
            .execute()
        )
        if updated != 1:
            raise StaleEdit(["customer"], customer.version)
        if became_done:
            Activity.create(
                customer=customer_id,
                kind=ActivityKind.SYSTEM,
                direction=Direction.NONE,
                at=now,
                subject=website.strip(),  # the words come when it is read (timeline_events)
                text=_summary(website, platform_profile, buyer_type, potential),
                by=rep_id,
            )
            Task.update(done_at=now, updated_at=now).where(
                Task.customer == customer_id,
                Task.kind == TaskKind.BACKGROUND_CHECK,
                Task.done_at.is_null(),
            ).execute()
        search.index_customer(customer_id)
    return load(customer_id)


def _summary(website: str, profile: str, buyer_type: BuyerType, potential: Potential | None) -> str:
    """The "background check done" event: what the check found, as codes and the rep's text."""
    return event_text(
        Event.BACKGROUND_CHECKED,
        website=website.strip(),
        profile=profile.strip(),
        buyer_type=buyer_type.value,
        potential=potential.value if potential is not None else None,
    )


def suggests_done(view: BackgroundView) -> bool:
    return is_complete(view.website, view.platform_profile, view.buyer_type.value, view.potential)


def open_checks_count() -> int:
    """New customers whose background check is not done (Today shows them)."""
    with database.connection_context():
        return int(
            Customer.active()
            .select(fn.COUNT(Customer.id))
            .where(~Customer.background_check_done)
            .scalar()
            or 0
        )
