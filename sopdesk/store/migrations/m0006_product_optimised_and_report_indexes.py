"""Schema version 6: `product.optimised_at` (zero-effect products, SOP 1.2) and the indexes the
reports range over (inquiries, stage changes, orders and samples by time).

Safe on a database built from the current models: the column and the indexes are only added when
missing, so a fresh database (which already has the column) runs it as a no-op for the column.
"""

from __future__ import annotations

from peewee import Database
from playhouse.migrate import SchemaMigrator, migrate

from sopdesk.store.fields import UTCDateTimeField

INDEXES: tuple[tuple[str, str, str], ...] = (
    # Covering indexes: each report aggregate reads only the index, never the wide rows.
    (
        "ix_report_inquiry_received",
        "inquiry",
        '"received_at", "archived", "first_reply_at", "customer_id", "owner_id"',
    ),
    ("ix_report_stage_change_at", "stage_change", '"at", "customer_id", "to_stage", "from_stage"'),
    (
        "ix_report_stage_change_customer",
        "stage_change",
        '"customer_id", "at", "to_stage", "from_stage"',
    ),
    ("ix_report_customer_stage", "customer", '"merged_into_id", "stage", "owner_id"'),
    ("ix_report_order_ordered", "order", '"ordered_at", "customer_id", "owner_id"'),
    ("ix_report_order_customer", "order", '"customer_id", "ordered_at"'),
    ("ix_report_sample_sent", "sample", '"sent_at", "customer_id"'),
    ("ix_report_activity_in", "activity", '"customer_id", "direction", "at"'),
    ("ix_report_rfq_posted", "rfq", '"posted_at"'),
    ("ix_report_rfq_quoted", "rfq", '"quoted_at"'),
)


def up(db: Database) -> None:
    columns = {column.name for column in db.get_columns("product")}
    if "optimised_at" not in columns:
        migrator = SchemaMigrator.from_database(db)
        migrate(migrator.add_column("product", "optimised_at", UTCDateTimeField(null=True)))
    for name, table, fields in INDEXES:
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({fields})')
