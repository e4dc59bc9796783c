"""Full-text search over customers: company, names, e-mails, phones, notes and message texts.

The store's backend-specific search SQL lives here: SQLite's FTS5 (PITFALLS.md), and on PostgreSQL
a plain `search_index` table with a generated `tsvector` column under a GIN index, queried with
`to_tsquery('simple', …)` prefix terms. The layout is the same on both. One index row per
customer document (the customer card, each contact, each inquiry, each touch's text); a query
returns customer ids by rank. User input never reaches FTS syntax raw: it becomes quoted prefix
terms.

Bounded on both sides: a customer's newest `MESSAGE_DOCS` inquiries and newest touches are
indexed, each cut to `MESSAGE_CHARS`, and a query ranks at most `RANKED_MATCHES` matching documents,
so a one-letter prefix typed into the search box costs tens of milliseconds at 300,000 documents.

Row ids carry the owner: `customer_id << 12 | n` for the card (n = 0) and contacts, and the same
plus `MESSAGE_BLOCK` for messages. So re-indexing one customer deletes two rowid ranges (the
`customer_id` column is UNINDEXED: a WHERE on it scans the whole table, 60 ms at 20,000 customers),
and cards and contacts come before every message in rowid order — the order FTS5 returns matches —
so they are always among the ranked ones.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from peewee import Database, PostgresqlDatabase, SqliteDatabase

from sopdesk.store.db import database

TABLE = "search_index"
MESSAGE_DOCS = 50
"""Newest inquiries, and newest touches, indexed per customer."""
MESSAGE_CHARS = 2000
"""Characters of each message text indexed (the start of a message says what it is about)."""
RANKED_MATCHES = 3000
"""Matching documents ranked per query; beyond that, matches are not looked at."""
DOC_BITS = 12
"""Documents per customer in one block: the card and up to 4,095 contacts, or the messages."""
MESSAGE_BLOCK = 1 << 44
"""Message documents live above this rowid, after every card and contact."""
_CONTACTS = (1 << DOC_BITS) - 1


def create_index(db: Database) -> None:
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (rowid BIGINT PRIMARY KEY, "
            "customer_id INTEGER NOT NULL, doc TEXT NOT NULL, body TEXT NOT NULL, "
            "tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED)"
        )
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS {TABLE}_tsv ON {TABLE} USING GIN (tsv)")
        return
    db.execute_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
        "customer_id UNINDEXED, doc UNINDEXED, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )


def _available(db: Database) -> bool:
    return isinstance(db, SqliteDatabase | PostgresqlDatabase)


def _pg(db: Database) -> bool:
    return isinstance(db, PostgresqlDatabase)


def _sql(db: Database, text: str) -> str:
    """Our `?` placeholders in the driver's style (`%s` for psycopg)."""
    return text.replace("?", db.param) if db.param != "?" else text


def _customer_docs(customer_id: int) -> list[tuple[int, str, str]]:
    """(rowid, doc, body) of one customer's documents, in at most four bounded queries."""
    from sopdesk.sop.stages import ActivityKind
    from sopdesk.store.models import Activity, Contact, Customer, Inquiry

    base = customer_id << DOC_BITS
    customer = Customer.get_by_id(customer_id)
    card = " ".join(
        [
            customer.code,
            customer.company,
            customer.name,
            customer.email_domain,
            customer.website,
            customer.notes,
            customer.tags,
        ]
    )
    docs = [(base, "customer", card)]
    contacts = (
        Contact.select(Contact.id, Contact.name, Contact.email, Contact.phone, Contact.whatsapp)
        .where(Contact.customer == customer_id)
        .order_by(Contact.id)
        .limit(_CONTACTS)
    )
    for n, contact in enumerate(contacts, start=1):
        body = " ".join([contact.name, contact.email, contact.phone, contact.whatsapp])
        docs.append((base + n, f"contact:{contact.id}", body))
    message_base = MESSAGE_BLOCK + base
    inquiries = (
        Inquiry.select(Inquiry.id, Inquiry.subject, Inquiry.body)
        .where(Inquiry.customer == customer_id)
        .order_by(Inquiry.received_at.desc(), Inquiry.id.desc())
        .limit(MESSAGE_DOCS)
    )
    for n, inquiry in enumerate(inquiries, start=1):
        body = f"{inquiry.subject} {inquiry.body}"[:MESSAGE_CHARS]
        docs.append((message_base + n, f"inquiry:{inquiry.id}", body))
    activities = (
        Activity.select(Activity.id, Activity.subject, Activity.text)
        .where(Activity.customer == customer_id, Activity.kind != ActivityKind.SYSTEM)
        .order_by(Activity.at.desc(), Activity.id.desc())
        .limit(MESSAGE_DOCS)
    )
    for n, activity in enumerate(activities, start=MESSAGE_DOCS + 1):
        body = f"{activity.subject} {activity.text}".strip()[:MESSAGE_CHARS]
        if body:
            docs.append((message_base + n, f"activity:{activity.id}", body))
    return docs


def _delete(db: Database, customer_id: int) -> None:
    base = customer_id << DOC_BITS
    top = base + (1 << DOC_BITS) - 1
    db.execute_sql(
        _sql(db, f"DELETE FROM {TABLE} WHERE rowid BETWEEN ? AND ? OR rowid BETWEEN ? AND ?"),
        (base, top, MESSAGE_BLOCK + base, MESSAGE_BLOCK + top),
    )


def index_customer(customer_id: int, db: Database | None = None) -> None:
    """Re-index one customer's documents (call after any write that changes them)."""
    db = db or database.obj
    if not _available(db):
        return
    _delete(db, customer_id)
    rows = _customer_docs(customer_id)
    if _pg(db):
        rows = [(rowid, doc, fold(body)) for rowid, doc, body in rows]
    for start in range(0, len(rows), 200):
        chunk = rows[start : start + 200]
        db.execute_sql(
            _sql(
                db,
                f"INSERT INTO {TABLE} (rowid, customer_id, doc, body) VALUES "
                + ", ".join("(?, ?, ?, ?)" for _ in chunk),
            ),
            tuple(v for rowid, doc, body in chunk for v in (rowid, customer_id, doc, body)),
        )


def index_customers(customer_ids: list[int], db: Database | None = None) -> None:
    """Re-index several customers (after an import or a merge)."""
    for customer_id in dict.fromkeys(customer_ids):
        index_customer(customer_id, db)


def drop_customer(customer_id: int, db: Database | None = None) -> None:
    """Take a customer out of the index (merged into another one)."""
    db = db or database.obj
    if _available(db):
        _delete(db, customer_id)


def rebuild(db: Database | None = None) -> None:
    """Index every customer again, in five INSERT … SELECT statements."""
    db = db or database.obj
    if not _available(db):
        return
    if _pg(db):
        _rebuild_postgres(db)
        return
    db.execute_sql(f"DELETE FROM {TABLE}")
    db.execute_sql(
        f"INSERT INTO {TABLE} (rowid, customer_id, doc, body) "
        "SELECT id << ?, id, 'customer', 'C-' || printf('%05d', number) || ' ' || company || ' ' "
        "|| name || ' ' || email_domain || ' ' || website || ' ' || notes || ' ' || tags "
        "FROM customer",
        (DOC_BITS,),
    )
    db.execute_sql(
        f"INSERT INTO {TABLE} (rowid, customer_id, doc, body) "
        "SELECT (customer_id << ?) + n, customer_id, 'contact:' || id, "
        "name || ' ' || email || ' ' || phone || ' ' || whatsapp FROM ("
        "  SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY id) AS n FROM contact"
        ") WHERE n <= ?",
        (DOC_BITS, _CONTACTS),
    )
    db.execute_sql(
        f"INSERT INTO {TABLE} (rowid, customer_id, doc, body) "
        "SELECT ? + (customer_id << ?) + n, customer_id, 'inquiry:' || id, "
        "substr(subject || ' ' || body, 1, ?) FROM ("
        "  SELECT id, customer_id, subject, body, row_number() OVER ("
        "    PARTITION BY customer_id ORDER BY received_at DESC, id DESC) AS n FROM inquiry"
        ") WHERE n <= ?",
        (MESSAGE_BLOCK, DOC_BITS, MESSAGE_CHARS, MESSAGE_DOCS),
    )
    db.execute_sql(
        f"INSERT INTO {TABLE} (rowid, customer_id, doc, body) "
        "SELECT ? + (customer_id << ?) + ? + n, customer_id, 'activity:' || id, "
        "substr(trim(subject || ' ' || text), 1, ?) FROM ("
        "  SELECT id, customer_id, subject, text, row_number() OVER ("
        "    PARTITION BY customer_id ORDER BY at DESC, id DESC) AS n FROM activity"
        "  WHERE kind != 'system' AND trim(subject || text) != ''"
        ") WHERE n <= ?",
        (MESSAGE_BLOCK, DOC_BITS, MESSAGE_DOCS, MESSAGE_CHARS, MESSAGE_DOCS),
    )


def _rebuild_postgres(db: Database) -> None:
    """Every customer again, through `index_customer` (its text is folded in Python there)."""
    from sopdesk.store.models import Customer

    db.execute_sql(f"DELETE FROM {TABLE}")
    last = 0
    while True:
        ids = [
            int(c.id)
            for c in Customer.select(Customer.id)
            .where(Customer.id > last)
            .order_by(Customer.id)
            .limit(500)
        ]
        if not ids:
            return
        index_customers(ids, db)
        last = ids[-1]


def fold(text: str) -> str:
    """Text without diacritics, as PostgreSQL's index holds it: "Müller" is found by "muller"
    (SQLite's tokenizer does the same with remove_diacritics)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_TOKEN = re.compile(r"\w[\w.@+-]*", re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)


def ts_query(text: str, prefix: bool = True, join: str = " & ") -> str | None:
    """What the user typed as a safe PostgreSQL tsquery: every word part a quoted (prefix) term.

    Only letters, digits and underscores reach the query, so no input is tsquery syntax."""
    parts = [p for t in _TOKEN.findall(fold(text)) for p in _WORD.findall(t)]
    parts = list(dict.fromkeys(p for p in parts if p))[:8]
    if not parts:
        return None
    suffix = ":*" if prefix else ""
    return join.join(f"'{p}'{suffix}" for p in parts)


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
    if _pg(db):
        tsq = ts_query(text)
        if tsq is None:
            return []
        cursor = db.execute_sql(
            f"SELECT customer_id FROM (SELECT customer_id, ts_rank(tsv, q) AS score "
            f"FROM {TABLE}, to_tsquery('simple', %s) q WHERE tsv @@ q LIMIT %s) m "
            "GROUP BY customer_id ORDER BY MAX(score) DESC, customer_id LIMIT %s",
            (tsq, RANKED_MATCHES, limit),
        )
        return [int(row[0]) for row in cursor.fetchall()]
    cursor = db.execute_sql(
        f"SELECT customer_id FROM (SELECT customer_id, rank AS score FROM {TABLE} "
        f"WHERE {TABLE} MATCH ? LIMIT ?) GROUP BY customer_id ORDER BY MIN(score) LIMIT ?",
        (query, RANKED_MATCHES, limit),
    )
    return [int(row[0]) for row in cursor.fetchall()]


def customers_with_any_word(words: list[str], limit: int = 100) -> list[int]:
    """Customers whose card holds any of `words` as a whole word: candidates for a name match."""
    db = database.obj
    terms = [t.replace('"', "") for w in words for t in _TOKEN.findall(w)]
    terms = [t for t in dict.fromkeys(terms) if t][:8]
    if not terms:
        return []
    if not _available(db):
        return _search_like(terms[0], limit)
    if _pg(db):
        tsq = ts_query(" ".join(terms), prefix=False, join=" | ")
        if tsq is None:
            return []
        cursor = db.execute_sql(
            f"SELECT customer_id FROM (SELECT customer_id, doc, ts_rank(tsv, q) AS score "
            f"FROM {TABLE}, to_tsquery('simple', %s) q WHERE tsv @@ q AND rowid < %s LIMIT %s) m "
            "WHERE doc = 'customer' GROUP BY customer_id ORDER BY MAX(score) DESC, customer_id "
            "LIMIT %s",
            (tsq, MESSAGE_BLOCK, RANKED_MATCHES, limit),
        )
        return [int(row[0]) for row in cursor.fetchall()]
    query = " OR ".join(f'"{t}"' for t in terms)
    cursor = db.execute_sql(
        f"SELECT customer_id FROM (SELECT customer_id, doc, rank AS score FROM {TABLE} "
        f"WHERE {TABLE} MATCH ? AND rowid < ? LIMIT ?) WHERE doc = 'customer' "
        "GROUP BY customer_id ORDER BY MIN(score) LIMIT ?",
        (query, MESSAGE_BLOCK, RANKED_MATCHES, limit),
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
        rows: Any = (
            Contact.select(Contact.customer)
            .where(Contact.name**pattern | Contact.email**pattern)
            .limit(limit - len(ids))
            .tuples()
        )
        for (customer_id,) in rows:
            if customer_id not in ids:
                ids.append(customer_id)
    return ids
