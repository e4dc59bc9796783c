"""Full-text search over customers: company, names, e-mails, phones, notes and message texts.

The only SQLite-specific SQL of the store lives here (FTS5, PITFALLS.md). One index row per
customer document (the customer card, each contact, each inquiry); a query returns customer ids by
rank. User input never reaches FTS syntax raw: it becomes quoted prefix terms.
"""

from __future__ import annotations

import re

from peewee import Database, SqliteDatabase

from sopdesk.store.db import database

TABLE = "search_index"


def create_index(db: Database) -> None:
    db.execute_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
        "customer_id UNINDEXED, doc UNINDEXED, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )


def _available(db: Database) -> bool:
    return isinstance(db, SqliteDatabase)


def _customer_docs(customer_id: int) -> list[tuple[str, str]]:
    from sopdesk.store.models import Contact, Customer, Inquiry

    customer = Customer.get_by_id(customer_id)
    docs = [
        (
            "customer",
            " ".join(
                [
                    customer.code,
                    customer.company,
                    customer.name,
                    customer.email_domain,
                    customer.website,
                    customer.notes,
                    customer.tags,
                ]
            ),
        )
    ]
    for contact in Contact.select().where(Contact.customer == customer_id):
        docs.append(
            (
                f"contact:{contact.id}",
                " ".join([contact.name, contact.email, contact.phone, contact.whatsapp]),
            )
        )
    for inquiry in Inquiry.select(Inquiry.id, Inquiry.subject, Inquiry.body).where(
        Inquiry.customer == customer_id
    ):
        docs.append((f"inquiry:{inquiry.id}", f"{inquiry.subject} {inquiry.body}"))
    return docs


def index_customer(customer_id: int, db: Database | None = None) -> None:
    """Re-index one customer's documents (call after any write that changes them)."""
    db = db or database.obj
    if not _available(db):
        return
    db.execute_sql(f"DELETE FROM {TABLE} WHERE customer_id = ?", (customer_id,))
    rows = _customer_docs(customer_id)
    for doc, body in rows:
        db.execute_sql(
            f"INSERT INTO {TABLE} (customer_id, doc, body) VALUES (?, ?, ?)",
            (customer_id, doc, body),
        )


def rebuild(db: Database | None = None) -> None:
    db = db or database.obj
    if not _available(db):
        return
    db.execute_sql(f"DELETE FROM {TABLE}")
    db.execute_sql(
        f"INSERT INTO {TABLE} (customer_id, doc, body) "
        "SELECT id, 'customer', 'C-' || printf('%05d', number) || ' ' || company || ' ' || name "
        "|| ' ' || email_domain || ' ' || website || ' ' || notes || ' ' || tags FROM customer"
    )
    db.execute_sql(
        f"INSERT INTO {TABLE} (customer_id, doc, body) "
        "SELECT customer_id, 'contact:' || id, name || ' ' || email || ' ' || phone || ' ' "
        "|| whatsapp FROM contact"
    )
    db.execute_sql(
        f"INSERT INTO {TABLE} (customer_id, doc, body) "
        "SELECT customer_id, 'inquiry:' || id, subject || ' ' || body FROM inquiry"
    )


_TOKEN = re.compile(r"\w[\w.@+-]*", re.UNICODE)


def fts_query(text: str) -> str | None:
    """Turn what the user typed into a safe FTS5 query: every word a quoted prefix term."""
    terms = [t.replace('"', "") for t in _TOKEN.findall(text)]
    terms = [t for t in terms if t]
    if not terms:
        return None
    return " AND ".join(f'"{t}"*' for t in terms[:8])


def search_customer_ids(text: str, limit: int = 50) -> list[int]:
    """Customer ids matching every word typed, best first."""
    db = database.obj
    query = fts_query(text)
    if query is None:
        return []
    if not _available(db):
        return _search_like(text, limit)
    cursor = db.execute_sql(
        f"SELECT customer_id FROM {TABLE} WHERE {TABLE} MATCH ? "
        "GROUP BY customer_id ORDER BY MIN(rank) LIMIT ?",
        (query, limit),
    )
    return [int(row[0]) for row in cursor.fetchall()]


def _search_like(text: str, limit: int) -> list[int]:
    from sopdesk.store.models import Contact, Customer

    pattern = f"%{text.strip()}%"
    ids = [
        c.id
        for c in Customer.select(Customer.id)
        .where(
            Customer.company.contains(text.strip())
            | Customer.name.contains(text.strip())
            | Customer.notes.contains(text.strip())
        )
        .limit(limit)
    ]
    if len(ids) < limit:
        for contact in (
            Contact.select(Contact.customer)
            .where(Contact.name**pattern | Contact.email**pattern)
            .limit(limit - len(ids))
        ):
            if contact.customer_id not in ids:
                ids.append(contact.customer_id)
    return ids
