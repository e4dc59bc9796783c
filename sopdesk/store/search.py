"""Full-text search over customers: company, names, e-mails, phones, notes and message texts.

The store's backend-specific search SQL lives here: SQLite's FTS5 (PITFALLS.md), and on PostgreSQL
a plain `search_index` table with a generated `tsvector` column under a GIN index, queried with
`to_tsquery('simple', …)`. The layout is the same on both. One index row per customer document
(the customer card, each contact, each inquiry, each touch's text); a query returns customer ids
by rank. User input never reaches FTS syntax raw: it becomes quoted prefix terms and phrases.

Chinese, Japanese, Korean and Thai are written without spaces between words, and both tokenizers
(unicode61, PostgreSQL's default parser) would make a whole run of such characters one word: "深圳"
would not find "深圳市华强电子有限公司". So the indexed text is prepared first (`index_text`):
NFKC-normalised (full-width "ＬＥＤ１２" is "LED12", half-width katakana are widened) and every
CJK or Thai character written as a word of its own ("深 圳 市 华 强 LED 灯"). A query's run of such
characters becomes a phrase of single characters ("深 圳"), so any part of a name or a text of one
character or more is found, in order; Latin words stay prefix terms. (A search engine's word
segmenter, jieba and the like, would miss the parts of names it does not know as words, and
character bigrams cannot find one character: "伟" of "张伟".) On PostgreSQL the text is also
folded to the words unicode61 makes (`fold`), so both backends find the same customers.

Ranking: customers with a matching card or contact (company, name, e-mail, phone, notes …) come
before customers matched only in message texts; within each group the better text match first.

Bounded on both sides: a customer's newest `MESSAGE_DOCS` inquiries and newest touches are
indexed, each cut to `MESSAGE_CHARS`, a query looks at its first `QUERY_CHARS` characters and
`QUERY_TERMS` terms, and it ranks at most `RANKED_MATCHES` matching documents, so a one-letter
prefix typed into the search box costs tens of milliseconds at 300,000 documents.

Row ids carry the owner: `customer_id << 12 | n` for the card (n = 0) and contacts, and the same
plus `MESSAGE_BLOCK` for messages. So re-indexing one customer deletes two rowid ranges (the
`customer_id` column is UNINDEXED: a WHERE on it scans the whole table, 60 ms at 20,000 customers),
and cards and contacts come before every message in rowid order — the order FTS5 returns matches —
so they are always among the ranked ones (PostgreSQL ranks the two kinds in two bounded queries).
A customer's documents come from `_documents` (on SQLite a rebuild makes the same rows with
INSERT … SELECT, which a test compares), in plain SQL over columns every schema version has, so a
migration can rebuild the index (migration 8 does, for the CJK split).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any, NamedTuple

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
QUERY_CHARS = 500
"""Characters of what was typed that a query looks at (a pasted letter is cut here)."""
QUERY_TERMS = 8
"""Words or CJK runs of a query that must all match; more are ignored."""
RUN_CHARS = 16
"""Characters of one CJK run a query matches as a phrase (a longer run: its start)."""
REBUILD_CUSTOMERS = 1000
"""Customers indexed per step of a rebuild (the unit its progress is reported in)."""
_INSERT_ROWS = 250

# Scripts written without spaces between words: each character is a word in the index.
_CJK = (
    "\u1100-\u11ff"  # Hangul jamo
    "\u2e80-\u2fdf"  # CJK and Kangxi radicals
    "\u3005-\u3007\u3021-\u3029\u3031-\u3035\u303b\u303c"  # 々〆〇, Hangzhou numerals, repeat marks
    "\u3041-\u3096\u309d-\u309f"  # hiragana
    "\u30a1-\u30fa\u30fc-\u30ff"  # katakana (not the middle dot ・, punctuation)
    "\u3105-\u312f\u3131-\u318e\u31a0-\u31bf\u31f0-\u31ff"  # bopomofo, compatibility jamo, kana
    "\u3400-\u4dbf\u4e00-\u9fff"  # CJK unified ideographs and extension A
    "\ua960-\ua97f\uac00-\ud7ff"  # Hangul syllables and jamo
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff66-\uff9d\uffa0-\uffdc"  # half-width katakana and Hangul (NFKC widens them)
    "\U0001b000-\U0001b16f"  # kana supplement and extensions
    "\U00020000-\U0003134f"  # CJK extensions B–H
)
_KANA_MARKS = "\u3099\u309a"  # combining voiced sound marks, kept with their kana
_THAI = "\u0e01-\u0e30\u0e32\u0e33\u0e40-\u0e46\u0e50-\u0e59"
_THAI_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_UNIT_PATTERN = f"[{_CJK}][{_KANA_MARKS}]*|[{_THAI}][{_THAI_MARKS}]*"
_UNIT = re.compile(_UNIT_PATTERN)
"""One character of those scripts (with its combining marks): one word in the index."""
_RUN = re.compile(f"(?:{_UNIT_PATTERN})+")
"""In a query: a run of those characters, matched as a phrase."""
_TOKEN = re.compile(r"[^\W_][\w.@+-]*", re.UNICODE)
"""In a query, between runs: a word (a prefix term), from a letter or digit on."""
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
"""The parts of a word PostgreSQL's index holds: letters and digits (as unicode61's tokens)."""
_ASCII_SPACES = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})


def _fold_char(ch: str, spaces: bool) -> str:
    """One character as PostgreSQL's index holds it (see `_Table`)."""
    kept = "".join(
        c
        for c in unicodedata.normalize("NFKD", ch)
        if not unicodedata.combining(c) or c in _KANA_MARKS
    )
    return "".join(
        c if c.isalnum() else "" if unicodedata.category(c)[0] == "M" else " " if spaces else c
        for c in unicodedata.normalize("NFC", kept)
    )


class _Table(dict[int, int | str]):
    """A `str.translate` table for NFKC-normalised text, filled on first sight of a character
    (a translate is several times faster than a regular expression over CJK text).

    `fold`: PostgreSQL's words made those of FTS5's unicode61 tokenizer: "é" is "e"
    (remove_diacritics; kana keep their voiced marks and Hangul its syllables), other marks go (a
    Thai word stays one run), and (`spaces`) every other character that is not a letter or a
    digit (punctuation, symbols, emoji, bidi and zero-width controls, "_", "@", "-") is a space.
    Its parser would otherwise read "C-00003" as "c" and "-00003", an e-mail address as one word,
    and in a C locale any non-ASCII character as a letter. `split`: every CJK or Thai character
    written as a word of its own."""

    def __init__(self, fold: bool = False, spaces: bool = False, split: bool = False) -> None:
        super().__init__()
        self.fold, self.spaces, self.split = fold, spaces, split

    def __missing__(self, code: int) -> int | str:
        text = chr(code)
        if self.fold:
            text = _fold_char(text, self.spaces)
        if self.split:
            text = "".join(f" {c} " if _UNIT.fullmatch(c) else c for c in text)
        self[code] = ord(text) if len(text) == 1 else text
        return text


_FOLD = _Table(fold=True, spaces=True)
_FOLD_QUERY = _Table(fold=True)
"""For a query: PostgreSQL's folding, but its punctuation kept to see where a word ends."""
_SPLIT = _Table(split=True)
_FOLD_AND_SPLIT = _Table(fold=True, spaces=True, split=True)


def fold(text: str) -> str:
    """Text as PostgreSQL's index holds it: NFKC-normalised, without diacritics ("Müller" is
    found by "muller", as SQLite's tokenizer does with remove_diacritics), and every character
    that is not a letter or a digit a space."""
    if text.isascii():
        return text.translate(_ASCII_SPACES)
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


def index_text(text: str, folded: bool = False) -> str:
    """What the index holds for `text`: normalised (`folded` on PostgreSQL) and every CJK or Thai
    character a word of its own ("深圳市LED灯" is "深 圳 市 LED 灯"); Latin words unchanged."""
    if text.isascii():
        return text.translate(_ASCII_SPACES) if folded else text
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_FOLD_AND_SPLIT if folded else _SPLIT)


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


Doc = tuple[int, int, str, str]
"""(rowid, customer_id, doc, body) of one index row."""


def _documents(db: Database, first: int, last: int) -> list[Doc]:
    """The index rows of the customers with ids `first`..`last` (merged ones have none), in four
    queries whatever the range: the cards, the contacts, the newest inquiries and touches."""
    cards = db.execute_sql(
        _sql(
            db,
            'SELECT id, "number", company, name, email_domain, website, notes, tags '
            "FROM customer WHERE id BETWEEN ? AND ? AND merged_into_id IS NULL",
        ),
        (first, last),
    ).fetchall()
    live = {int(row[0]) for row in cards}
    if not live:
        return []
    docs: list[Doc] = []
    for customer_id, number, *fields in cards:
        card = " ".join([f"C-{number:05d}", *(f or "" for f in fields)])
        docs.append((int(customer_id) << DOC_BITS, int(customer_id), "customer", card))
    contacts = db.execute_sql(
        _sql(
            db,
            "SELECT customer_id, id, n, name, email, phone, whatsapp FROM ("
            "  SELECT customer_id, id, name, email, phone, whatsapp, row_number() OVER ("
            "    PARTITION BY customer_id ORDER BY id) AS n"
            "  FROM contact WHERE customer_id BETWEEN ? AND ?"
            ") c WHERE n <= ?",
        ),
        (first, last, _CONTACTS),
    )
    for customer_id, contact_id, n, *fields in contacts:
        if int(customer_id) in live:
            body = " ".join(f or "" for f in fields)
            rowid = (int(customer_id) << DOC_BITS) + int(n)
            docs.append((rowid, int(customer_id), f"contact:{contact_id}", body))
    inquiries = db.execute_sql(
        _sql(
            db,
            "SELECT customer_id, id, n, substr(subject || ' ' || body, 1, ?) FROM ("
            "  SELECT customer_id, id, subject, body, row_number() OVER ("
            "    PARTITION BY customer_id ORDER BY received_at DESC, id DESC) AS n"
            "  FROM inquiry WHERE customer_id BETWEEN ? AND ?"
            ") i WHERE n <= ?",
        ),
        (MESSAGE_CHARS, first, last, MESSAGE_DOCS),
    )
    for customer_id, inquiry_id, n, body in inquiries:
        if int(customer_id) in live:
            rowid = MESSAGE_BLOCK + (int(customer_id) << DOC_BITS) + int(n)
            docs.append((rowid, int(customer_id), f"inquiry:{inquiry_id}", body or ""))
    activities = db.execute_sql(
        _sql(
            db,
            "SELECT customer_id, id, n, substr(trim(subject || ' ' || \"text\"), 1, ?) FROM ("
            '  SELECT customer_id, id, subject, "text", row_number() OVER ('
            '    PARTITION BY customer_id ORDER BY "at" DESC, id DESC) AS n'
            "  FROM activity WHERE customer_id BETWEEN ? AND ? AND kind != 'system'"
            "  AND trim(subject || \"text\") != ''"
            ") a WHERE n <= ?",
        ),
        (MESSAGE_CHARS, first, last, MESSAGE_DOCS),
    )
    for customer_id, activity_id, n, body in activities:
        if int(customer_id) in live:
            rowid = MESSAGE_BLOCK + (int(customer_id) << DOC_BITS) + MESSAGE_DOCS + int(n)
            docs.append((rowid, int(customer_id), f"activity:{activity_id}", body or ""))
    return docs


def _insert(db: Database, docs: list[Doc]) -> None:
    folded = _pg(db)
    for start in range(0, len(docs), _INSERT_ROWS):
        chunk = docs[start : start + _INSERT_ROWS]
        db.execute_sql(
            _sql(
                db,
                f"INSERT INTO {TABLE} (rowid, customer_id, doc, body) VALUES "
                + ", ".join("(?, ?, ?, ?)" for _ in chunk),
            ),
            tuple(
                v
                for rowid, customer_id, doc, body in chunk
                for v in (rowid, customer_id, doc, index_text(body, folded))
            ),
        )


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
    _insert(db, _documents(db, customer_id, customer_id))


def index_customers(customer_ids: list[int], db: Database | None = None) -> None:
    """Re-index several customers (after an import or a merge)."""
    for customer_id in dict.fromkeys(customer_ids):
        index_customer(customer_id, db)


def drop_customer(customer_id: int, db: Database | None = None) -> None:
    """Take a customer out of the index (merged into another one)."""
    db = db or database.obj
    if _available(db):
        _delete(db, customer_id)


def rebuild(db: Database | None = None, progress: Callable[[int, int], None] | None = None) -> int:
    """Index every customer again, `REBUILD_CUSTOMERS` at a time; `progress(done, total)` after
    each step. Returns how many customers it went through (merged ones get no documents).

    On SQLite each step is four INSERT … SELECT statements with `index_text` as an SQL function
    (no row passes through Python but its text); on PostgreSQL the steps are `_documents`, the
    same as indexing one customer. Either way a step reads a bounded number of rows."""
    db = db or database.obj
    if not _available(db):
        return 0
    # Emptied at once: a DELETE would take every row's words out of the index one by one.
    if _pg(db):
        # The GIN index made again at the end: faster than growing it, and no pending list of
        # new entries for every query to read through until a vacuum merges them.
        db.execute_sql(f"DROP INDEX IF EXISTS {TABLE}_tsv")
        db.execute_sql(f"TRUNCATE {TABLE}")
    else:
        db.execute_sql(f"DROP TABLE IF EXISTS {TABLE}")
        create_index(db)
    total = int(db.execute_sql("SELECT COUNT(*) FROM customer").fetchone()[0])
    if not _pg(db):
        db.connection().create_function(
            "sopdesk_index_text", 1, lambda text: index_text(text or ""), deterministic=True
        )
    done = last = 0
    while True:
        top, count = db.execute_sql(
            _sql(
                db,
                "SELECT MAX(id), COUNT(*) FROM ("
                "  SELECT id FROM customer WHERE id > ? ORDER BY id LIMIT ?) b",
            ),
            (last, REBUILD_CUSTOMERS),
        ).fetchone()
        if not count:
            break
        if _pg(db):
            _insert(db, _documents(db, last + 1, int(top)))
        else:
            _rebuild_sqlite(db, last + 1, int(top))
        done, last = done + int(count), int(top)
        if progress is not None:
            progress(done, total)
    if _pg(db):
        create_index(db)
        db.execute_sql(f"ANALYZE {TABLE}")
    else:
        # One b-tree per term instead of the segments the steps left: faster queries.
        db.execute_sql(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
    return done


_SQLITE_REBUILD = (
    # The same documents as `_documents`, which the tests compare.
    (
        "SELECT id << {bits}, id, 'customer', sopdesk_index_text('C-' || printf('%05d', number) "
        "|| ' ' || company || ' ' || name || ' ' || email_domain || ' ' || website || ' ' || notes "
        "|| ' ' || tags) FROM customer WHERE id BETWEEN ? AND ? AND merged_into_id IS NULL"
    ),
    (
        "SELECT (customer_id << {bits}) + n, customer_id, 'contact:' || id, "
        "sopdesk_index_text(name || ' ' || email || ' ' || phone || ' ' || whatsapp) FROM ("
        "  SELECT id, customer_id, name, email, phone, whatsapp, row_number() OVER ("
        "    PARTITION BY customer_id ORDER BY id) AS n FROM contact"
        "  WHERE customer_id BETWEEN ? AND ?"
        ") WHERE n <= {contacts}"
    ),
    (
        "SELECT {block} + (customer_id << {bits}) + n, customer_id, 'inquiry:' || id, "
        "sopdesk_index_text(substr(subject || ' ' || body, 1, {chars})) FROM ("
        "  SELECT id, customer_id, subject, body, row_number() OVER ("
        "    PARTITION BY customer_id ORDER BY received_at DESC, id DESC) AS n FROM inquiry"
        "  WHERE customer_id BETWEEN ? AND ?"
        ") WHERE n <= {docs}"
    ),
    (
        "SELECT {block} + (customer_id << {bits}) + {docs} + n, customer_id, 'activity:' || id, "
        "sopdesk_index_text(substr(trim(subject || ' ' || text), 1, {chars})) FROM ("
        "  SELECT id, customer_id, subject, text, row_number() OVER ("
        "    PARTITION BY customer_id ORDER BY at DESC, id DESC) AS n FROM activity"
        "  WHERE customer_id BETWEEN ? AND ? AND kind != 'system' AND trim(subject || text) != ''"
        ") WHERE n <= {docs}"
    ),
)


def _rebuild_sqlite(db: Database, first: int, last: int) -> None:
    merged = "SELECT id FROM customer WHERE id BETWEEN ? AND ? AND merged_into_id IS NOT NULL"
    for select in _SQLITE_REBUILD:
        db.execute_sql(
            f"INSERT INTO {TABLE} (rowid, customer_id, doc, body) "
            + select.format(
                bits=DOC_BITS,
                block=MESSAGE_BLOCK,
                contacts=_CONTACTS,
                chars=MESSAGE_CHARS,
                docs=MESSAGE_DOCS,
            ),
            (first, last),
        )
    for (customer_id,) in db.execute_sql(merged, (first, last)).fetchall():
        _delete(db, int(customer_id))


class _Term(NamedTuple):
    parts: tuple[str, ...]
    run: bool
    """True: CJK characters to match as a phrase; False: one word, a prefix."""


def _terms(text: str, folded: bool) -> list[_Term]:
    """What was typed as at most `QUERY_TERMS` distinct terms, normalised as the index is."""
    terms: list[_Term] = []

    def add(term: _Term) -> None:
        if term.parts and term not in terms:
            terms.append(term)

    text = text[:QUERY_CHARS]
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = text.translate(_FOLD_QUERY) if folded else text
    done = 0
    for run in [*_RUN.finditer(text), None]:
        for word in _TOKEN.findall(text[done : run.start() if run else len(text)]):
            add(_Term((word,), run=False))
        if run is not None:
            add(_Term(tuple(_UNIT.findall(run[0])[:RUN_CHARS]), run=True))
            done = run.end()
    return terms[:QUERY_TERMS]


def ts_query(text: str, prefix: bool = True, join: str = " & ") -> str | None:
    """What the user typed as a safe PostgreSQL tsquery: every word a quoted (prefix) term, or
    the phrase of its parts (`'c77' <-> 'example':*`), every CJK run a phrase of its characters
    (`'深' <-> '圳'`).

    Only letters, digits and single CJK/Thai characters reach the query, each quoted, so no
    input is tsquery syntax."""
    pieces: list[str] = []
    suffix = ":*" if prefix else ""
    for term in _terms(text, folded=True):
        if term.run:
            phrase = " <-> ".join(f"'{unit}'" for unit in term.parts)
            piece = f"({phrase})" if len(term.parts) > 1 else phrase
            if piece not in pieces:
                pieces.append(piece)
            continue
        # "c77.example", "C-01234": the word's parts in a row, as FTS5 reads the quoted word.
        parts = [f"'{part}'" for part in _WORD.findall(term.parts[0])[:RUN_CHARS]]
        if parts:
            parts[-1] += suffix
            piece = f"({' <-> '.join(parts)})" if len(parts) > 1 else parts[0]
            if piece not in pieces:
                pieces.append(piece)
    return join.join(pieces) if pieces else None


def _fts_terms(text: str, prefix: bool) -> list[str]:
    """FTS5 strings: a word is `"word"*` (or `"word"`), a CJK run the phrase `"深 圳"`."""
    out = []
    for term in _terms(text, folded=False):
        if term.run:
            out.append('"' + " ".join(term.parts) + '"')
        else:
            out.append(f'"{term.parts[0]}"' + ("*" if prefix else ""))
    return out


def fts_query(text: str) -> str | None:
    """Turn what the user typed into a safe FTS5 query: every word a quoted prefix term, every
    CJK run a quoted phrase of its characters."""
    terms = _fts_terms(text, prefix=True)
    return " AND ".join(terms) if terms else None


def _pg_rows(db: Database, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """A PostgreSQL search, never as a prepared statement: psycopg prepares a query run five
    times and the server then plans it once for any words, a plan that cannot know how rare they
    are (a search for one customer took 200 ms instead of 1 ms at 300,000 documents)."""
    cursor = db.cursor()
    cursor.execute(sql, params, prepare=False)
    return list(cursor.fetchall())


def search_customer_ids(text: str, limit: int = 50) -> list[int]:
    """Customer ids matching every word typed, best first: customers whose card or a contact
    matches before those matched only in message texts."""
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
        rows = _pg_rows(
            db,
            "SELECT customer_id FROM ("
            f"  (SELECT customer_id, 0 AS tier, ts_rank(tsv, q) AS score FROM {TABLE}, "
            "   to_tsquery('simple', %s) q WHERE tsv @@ q AND rowid < %s LIMIT %s)"
            "  UNION ALL"
            f"  (SELECT customer_id, 1 AS tier, ts_rank(tsv, q) AS score FROM {TABLE}, "
            "   to_tsquery('simple', %s) q WHERE tsv @@ q AND rowid >= %s LIMIT %s)"
            ") m GROUP BY customer_id "
            "ORDER BY MIN(tier), MAX(CASE WHEN tier = 0 THEN score END) DESC NULLS LAST, "
            "MAX(score) DESC, customer_id LIMIT %s",
            (tsq, MESSAGE_BLOCK, RANKED_MATCHES, tsq, MESSAGE_BLOCK, RANKED_MATCHES, limit),
        )
        return [int(row[0]) for row in rows]
    cursor = db.execute_sql(
        "SELECT customer_id FROM (SELECT customer_id, rowid >= ? AS tier, rank AS score "
        f"FROM {TABLE} WHERE {TABLE} MATCH ? LIMIT ?) GROUP BY customer_id "
        "ORDER BY MIN(tier), MIN(CASE WHEN tier = 0 THEN score END), MIN(score), customer_id "
        "LIMIT ?",
        (MESSAGE_BLOCK, query, RANKED_MATCHES, limit),
    )
    return [int(row[0]) for row in cursor.fetchall()]


def customers_with_any_word(words: list[str], limit: int = 100) -> list[int]:
    """Customers whose card holds any of `words` as a whole word (a CJK word: anywhere in a run):
    candidates for a name match."""
    db = database.obj
    text = " ".join(words)
    if not _available(db):
        first = _terms(text, folded=False)[:1]
        return _search_like("".join(first[0].parts), limit) if first else []
    if _pg(db):
        tsq = ts_query(text, prefix=False, join=" | ")
        if tsq is None:
            return []
        rows = _pg_rows(
            db,
            f"SELECT customer_id FROM (SELECT customer_id, doc, ts_rank(tsv, q) AS score "
            f"FROM {TABLE}, to_tsquery('simple', %s) q WHERE tsv @@ q AND rowid < %s LIMIT %s) m "
            "WHERE doc = 'customer' GROUP BY customer_id ORDER BY MAX(score) DESC, customer_id "
            "LIMIT %s",
            (tsq, MESSAGE_BLOCK, RANKED_MATCHES, limit),
        )
        return [int(row[0]) for row in rows]
    terms = _fts_terms(text, prefix=False)
    if not terms:
        return []
    cursor = db.execute_sql(
        f"SELECT customer_id FROM (SELECT customer_id, doc, rank AS score FROM {TABLE} "
        f"WHERE {TABLE} MATCH ? AND rowid < ? LIMIT ?) WHERE doc = 'customer' "
        "GROUP BY customer_id ORDER BY MIN(score) LIMIT ?",
        (" OR ".join(terms), MESSAGE_BLOCK, RANKED_MATCHES, limit),
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
