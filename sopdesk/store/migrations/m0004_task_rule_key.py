"""Schema version 4: the playbook's cadence engine and stale deals.

- `task.rule_key`, unique: each generated task carries its rule id, subject and slot, so
  re-running the engine never creates a task twice.
- Indexes for the engine's bounded reads: customers by stage and time in stage (stale deals),
  quotes by status and send time (quotes without an answer), tasks by source and customer
  (tasks made elsewhere under a rule id; the last nurture ticked).

Safe on a database built from the current models: the column is only added when missing, the
indexes only when absent. A plain `ALTER TABLE … ADD COLUMN` (nullable) keeps SQLite from
rebuilding the table.
"""

from __future__ import annotations

from peewee import Database

INDEXES: tuple[tuple[str, str, str], ...] = (
    ("ix_playbook_customer_stage_since", "customer", '"stage", "stage_since"'),
    ("ix_playbook_quote_status_sent", "quote", '"status", "sent_at"'),
    ("ix_playbook_task_source_customer", "task", '"source", "customer_id"'),
)


def up(db: Database) -> None:
    columns = {column.name for column in db.get_columns("task")}
    if "rule_key" not in columns:
        db.execute_sql('ALTER TABLE "task" ADD COLUMN "rule_key" VARCHAR(160)')
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "task_rule_key" ON "task" ("rule_key")')
    for name, table, fields in INDEXES:
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({fields})')
