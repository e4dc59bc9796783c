"""`sopdesk db copy`: move a team's data to PostgreSQL (or back) and verify the row counts."""

from __future__ import annotations

import click

from sopdesk.commands.base import group
from sopdesk.commands.common import fail, is_file_target, safe, sqlite_path
from sopdesk.i18n import N_, _, ngettext


@group("db", help=N_("The database itself: move it to another one."))
def db_group() -> None:
    pass


@db_group.command(
    "copy",
    help=N_(
        "Copy every table from --from to --to (e.g. sqlite:///team.db to postgresql://…) and "
        "compare the row counts of every table. The target must be empty; the source is not "
        "changed.\n\n"
        "Stop every sopdesk session and cron import on the source first, so nothing is written "
        "while it is copied. Then point everyone at the new one:\n\n"
        "    export SOPDESK_DB=postgresql://…"
    ),
)
@click.option(
    "--from", "source", required=True, metavar="PATH|URL", help=N_("The database to copy.")
)
@click.option(
    "--to", "target", required=True, metavar="URL|PATH", help=N_("A new, empty database.")
)
def copy(source: str, target: str) -> None:
    from sopdesk.store import db
    from sopdesk.store.copy import CopyError, copy_database

    if source == target:
        fail(_("--from and --to are the same database"), 2)
    if is_file_target(source) and not sqlite_path(source).exists():
        fail(_("no database at {path}").format(path=safe(source)))
    if is_file_target(target) and sqlite_path(target).exists():
        fail(
            _("{path} exists; copy into a new file or an empty PostgreSQL database").format(
                path=safe(target)
            )
        )

    def shown(table: str, rows: int) -> None:
        count = ngettext("{n} row", "{n} rows", rows).format(n=f"{rows:>9}")
        click.echo(f"  {table:<16} {count}", err=True)

    try:
        counts = copy_database(source, target, shown)
    except (CopyError, db.DatabaseError) as exc:
        fail(safe(str(exc)))
    total = sum(c.target for c in counts)
    click.echo(
        _("copied {rows} in {tables}; every table's row count matches").format(
            rows=ngettext("{n} row", "{n} rows", total).format(n=total),
            tables=ngettext("{n} table", "{n} tables", len(counts)).format(n=len(counts)),
        )
    )
