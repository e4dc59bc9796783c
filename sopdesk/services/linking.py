"""Which customer an inquiry belongs to: by e-mail, then company domain, then company name.

Free-mail domains (gmail.com, qq.com …) never link two people. Merged customers are followed to
the one still in use. A `CustomerLinker` lives for one capture or one batch: in a batch it reads
the company names (and the e-mails of inquiries without a contact) once, and remembers customers
the batch creates.
"""

from __future__ import annotations

from typing import Any

from peewee import fn

from sopdesk.sop.intake import email_domain, is_free_mail, normalise_company
from sopdesk.store.db import database
from sopdesk.store.models import Contact, Customer, Inquiry

# The models' implicit `id` columns, typed for mypy (the peewee stubs do not declare them).
customer_pk = Customer._meta.primary_key
contact_pk = Contact._meta.primary_key
inquiry_pk = Inquiry._meta.primary_key


def first_row(query: Any) -> tuple[Any, ...] | None:
    """The first row of a query as a plain tuple (LIMIT 1)."""
    row = query.tuples().first()
    return tuple(row) if row is not None else None


class CustomerLinker:
    """Finds the customer for an inquiry; remembers company names for the rest of a batch."""

    def __init__(self, batch: bool = False) -> None:
        self._batch = batch
        self._companies: dict[str, int] | None = None
        self._orphans: dict[str, int] | None = None

    @staticmethod
    def _live(customer_id: int | None) -> int | None:
        """Follow merges to the customer that is still in use."""
        seen: set[int] = set()
        while customer_id is not None and customer_id not in seen:
            seen.add(customer_id)
            row = first_row(Customer.select(Customer.merged_into).where(customer_pk == customer_id))
            if row is None:
                return None
            if row[0] is None:
                return customer_id
            customer_id = int(row[0])
        return customer_id

    def by_email(self, email: str) -> int | None:
        if not email:
            return None
        row = first_row(
            Contact.select(Contact.customer).where(Contact.email == email).order_by(contact_pk)
        )
        if row is not None:
            return self._live(int(row[0]))
        # Inquiries stored by other means than capture (which always records the contact) may
        # have no contact row. buyer_email has no index: one scan, or one pass per batch.
        if not self._batch:
            row = first_row(
                Inquiry.select(Inquiry.customer)
                .where(Inquiry.contact.is_null(), fn.LOWER(Inquiry.buyer_email) == email)
                .order_by(Inquiry.received_at)
            )
            return self._live(int(row[0])) if row is not None else None
        if self._orphans is None:
            query = (
                Inquiry.select(fn.LOWER(Inquiry.buyer_email), Inquiry.customer)
                .where(Inquiry.contact.is_null(), Inquiry.buyer_email != "")
                .order_by(Inquiry.received_at.desc())
            )
            # Newest first, so the oldest inquiry of an address wins.
            self._orphans = {
                address: int(customer) for address, customer in database.execute(query).fetchall()
            }
        found = self._orphans.get(email)
        return self._live(found) if found is not None else None

    def by_domain(self, email: str) -> int | None:
        domain = email_domain(email) if email else None
        if domain is None or is_free_mail(domain):
            return None
        row = first_row(
            Customer.active()
            .select(customer_pk)
            .where(Customer.email_domain == domain)
            .order_by(Customer.number)
        )
        return int(row[0]) if row is not None else None

    def by_company(self, company: str) -> int | None:
        key = normalise_company(company) if company else ""
        if not key:
            return None
        if self._companies is None:
            # No stored key to index: every company name, read raw (peewee's row objects cost
            # more than the names), newest first so the oldest customer of a name wins.
            query = (
                Customer.active()
                .select(customer_pk, Customer.company)
                .where(Customer.company != "")
                .order_by(Customer.number.desc())
            )
            self._companies = {
                normalise_company(name): int(customer_id)
                for customer_id, name in database.execute(query).fetchall()
            }
        return self._companies.get(key)

    def remember(self, company: str, customer_id: int) -> None:
        if self._companies is not None and company:
            self._companies.setdefault(normalise_company(company), customer_id)

    def find(self, email: str, company: str) -> tuple[int | None, str]:
        """(customer id or None, how it was found: "email", "domain", "company" or "new")."""
        for how, finder, value in (
            ("email", self.by_email, email),
            ("domain", self.by_domain, email),
            ("company", self.by_company, company),
        ):
            found = finder(value)
            if found is not None:
                return found, how
        return None, "new"


__all__ = ["CustomerLinker", "contact_pk", "customer_pk", "first_row", "inquiry_pk"]
