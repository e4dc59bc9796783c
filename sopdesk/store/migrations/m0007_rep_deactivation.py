"""Schema version 7: `rep.deactivated_at`, so a rep who leaves is deactivated instead of deleted.

A deactivated rep keeps their name on the history, the reports and the owner columns but cannot
open sopdesk and receives no new inquiries (services/reps.py). The column is nullable, so the
plain `ALTER TABLE … ADD COLUMN` keeps SQLite from rebuilding the table and every existing rep
stays active. Safe on a database built from the current models: the column is only added when
missing. The rep table is a team (hundreds of rows at most), so no index.
"""

from __future__ import annotations

from peewee import Database


def up(db: Database) -> None:
    columns = {column.name for column in db.get_columns("rep")}
    if "deactivated_at" not in columns:
        db.execute_sql('ALTER TABLE "rep" ADD COLUMN "deactivated_at" VARCHAR(27)')
