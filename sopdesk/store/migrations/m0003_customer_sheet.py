"""Schema version 3: the customer sheet — `customer.linkedin` (background check) and an index for
every column the customers table sorts by, so each window is an index range scan (keyset
pagination on `(column, id)`: a SQLite index on `column` is ordered by `(column, rowid)`). The
name sort is an expression index: the records service writes the very same expression.

Safe on a database built from the current models: the column is only added when missing. It is
added with one plain `ALTER TABLE … ADD COLUMN … NOT NULL DEFAULT ''`: playhouse's `add_column`
for a NOT NULL column rebuilds the table on SQLite, and dropping the old `customer` table with
foreign keys on would cascade-delete every inquiry, touch and order.
"""

from __future__ import annotations

from peewee import Database

INDEXES: tuple[tuple[str, str, str], ...] = (
    ("ix_sheet_customer_country", "customer", '"country"'),
    ("ix_sheet_customer_source", "customer", '"source"'),
    ("ix_sheet_customer_first_contact", "customer", '"first_contact_at"'),
    ("ix_sheet_customer_last_activity", "customer", '"last_activity_at"'),
    ("ix_sheet_customer_next_follow_up", "customer", '"next_follow_up_at"'),
    ("ix_sheet_customer_expected_value", "customer", '"expected_value"'),
    ("ix_sheet_customer_merged_into", "customer", '"merged_into_id"'),
    (
        "ix_sheet_customer_name",
        "customer",
        'lower(CASE WHEN ("company" != \'\') THEN "company" ELSE "name" END), "id"',
    ),
    ("ix_sheet_sample_customer", "sample", '"customer_id", "sent_at"'),
)


def up(db: Database) -> None:
    columns = {column.name for column in db.get_columns("customer")}
    if "linkedin" not in columns:
        db.execute_sql(
            'ALTER TABLE "customer" ADD COLUMN "linkedin" VARCHAR(255) NOT NULL DEFAULT \'\''
        )
    for name, table, fields in INDEXES:
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({fields})')
