"""Schema version 5: quotations, samples and orders (issue 6).

- `quote.accepted_at`: when the buyer accepted (an order is made from it);
- `quote_line.photo` and `quote_line.position`: the photo printed on the PI, the line order;
- `sample.courier_account` (freight collect) and `sample.note` (what was sent);
- `order.payment_terms`, copied from the accepted PI: they decide deposit and balance;
- `order_event.links`: the photos and videos of a production update or of the packing;
- indexes for the bounded reads of the quote list, the expiry reminders, an order's documents
  and events, and the reorder prediction.

Safe on a database built from the current models: columns are only added when missing, indexes
only when absent. Plain `ALTER TABLE … ADD COLUMN` statements (nullable, or NOT NULL with a
default) keep SQLite from rebuilding the tables (a rebuild would cascade-delete child rows).
"""

from __future__ import annotations

from peewee import Database

COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("quote", "accepted_at", "VARCHAR(27)"),
    ("quote_line", "photo", "TEXT NOT NULL DEFAULT ''"),
    ("quote_line", "position", "INTEGER NOT NULL DEFAULT 0"),
    ("sample", "courier_account", "VARCHAR(255) NOT NULL DEFAULT ''"),
    ("sample", "note", "TEXT NOT NULL DEFAULT ''"),
    ("order", "payment_terms", "VARCHAR(255) NOT NULL DEFAULT ''"),
    ("order_event", "links", "TEXT NOT NULL DEFAULT ''"),
)

INDEXES: tuple[tuple[str, str, str], ...] = (
    ("ix_sales_quote_status_valid", "quote", '"status", "valid_until"'),
    ("ix_sales_quote_created", "quote", '"created_at", "id"'),
    ("ix_sales_quote_year_seq", "quote", '"year", "seq"'),
    ("ix_sales_quote_line_position", "quote_line", '"quote_id", "position", "id"'),
    ("ix_sales_order_document_kind", "order_document", '"order_id", "kind"'),
    ("ix_sales_order_event_at", "order_event", '"order_id", "at"'),
    ("ix_sales_order_quote", "order", '"quote_id"'),
    ("ix_sales_product_name", "product", '"name", "id"'),
)


def up(db: Database) -> None:
    for table, column, definition in COLUMNS:
        existing = {c.name for c in db.get_columns(table)}
        if column not in existing:
            db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {definition}')
    for name, table, fields in INDEXES:
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({fields})')
