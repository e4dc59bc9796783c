"""`sopdesk db copy`: move a team's data to PostgreSQL (or back) and verify the row counts."""

from __future__ import annotations

import click

from sopdesk.commands.common import fail


@click.group("db")
def db_group() -> None:
    """The database itself: move it to another one."""


@db_group.command("copy")
@click.option("--from", "source", required=True, metavar="PATH|URL", help="The database to copy.")
@click.option("--to", "target", required=True, metavar="URL|PATH", help="A new, empty database.")
def copy(source: str, target: str) -> None:
    """Copy every table from --from to --to (e.g. sqlite:///team.db to postgresql://…) and
    compare the row counts of every table. The target must be empty; the source is not changed.

    \b
    Stop every sopdesk session and cron import on the source first, so nothing is written
    while it is copied. Then point everyone at the new one: export SOPDESK_DB=postgresql://…
    """
    from sopdesk.commands.common import is_file_target, sqlite_path
    from sopdesk.store import db
    from sopdesk.store.copy import CopyError, copy_database

    if source == target:
        fail("--from and --to are the same database", 2)
    if is_file_target(source) and not sqlite_path(source).exists():
        fail(f"no database at {source}")
    if is_file_target(target) and sqlite_path(target).exists():
        fail(f"{target} exists; copy into a new file or an empty PostgreSQL database")

    def shown(table: str, rows: int) -> None:
        click.echo(f"  {table:<16} {rows:>9} rows", err=True)

    try:
        counts = copy_database(source, target, shown)
    except (CopyError, db.DatabaseError) as exc:
        fail(str(exc))
    total = sum(c.target for c in counts)
    click.echo(f"copied {total} rows in {len(counts)} tables; every table's row count matches")
