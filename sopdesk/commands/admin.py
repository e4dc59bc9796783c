"""`sopdesk backup`, `sopdesk restore`, `sopdesk init --team`: the data's safety on a shared server."""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

import click

from sopdesk.commands.common import db_target, fail, is_file_target, sqlite_path


def _file_db(ctx: click.Context, option: str | None) -> Path:
    target = db_target(ctx, option)
    if not is_file_target(target):
        fail(
            "backups of a PostgreSQL database are made with pg_dump, e.g.\n"
            "  pg_dump --format=custom --file sopdesk.dump 'postgresql://…'\n"
            "and restored with pg_restore (see docs/team.md)"
        )
    return sqlite_path(target)


@click.command()
@click.argument("destination", required=False, type=click.Path(path_type=Path))
@click.option("--db", "db_option", help="The database to copy (default: yours).")
@click.pass_context
def backup(ctx: click.Context, destination: Path | None, db_option: str | None) -> None:
    """Make a consistent copy of the database, even while others are writing to it.

    DESTINATION is a file or a folder; default: backups/ beside the database, with the date.
    """
    from sopdesk.store.backup import BackupError
    from sopdesk.store.backup import backup as make_backup

    path = _file_db(ctx, db_option)
    try:
        copy = make_backup(path, destination)
    except BackupError as exc:
        fail(str(exc))
    click.echo(f"backup written: {copy}")


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--db", "db_option", help="The database to replace (default: yours).")
@click.option("--yes", is_flag=True, help="Do not ask before replacing.")
@click.pass_context
def restore(ctx: click.Context, source: Path, db_option: str | None, yes: bool) -> None:
    """Replace the database with a backup, after checking the backup's integrity.

    The current database is copied to backups/ first. Close every sopdesk session on this
    database before restoring.
    """
    from sopdesk.store.backup import BackupError
    from sopdesk.store.backup import restore as do_restore

    path = _file_db(ctx, db_option)
    if not yes and not click.confirm(
        f"Replace {path} with {source}? Every sopdesk session on it must be closed", default=False
    ):
        fail("nothing was replaced")
    try:
        kept = do_restore(source, path)
    except BackupError as exc:
        fail(str(exc))
    click.echo(f"restored {path} from {source}")
    if kept is not None:
        click.echo(f"the database it replaced is kept at {kept}")


@click.command("init")
@click.option("--team", "group", metavar="GROUP", help="Share the database with this Unix group.")
@click.option("--db", "db_option", help="Where the database goes (default: yours).")
@click.pass_context
def init(ctx: click.Context, group: str | None, db_option: str | None) -> None:
    """Create the database now: private (0600 in a 0700 folder), or for a team with --team GROUP.

    A team database lives in a folder owned by GROUP with the setgid bit (2770), the file is 0660,
    so every member can read and write it and SQLite's -wal/-shm files follow. Every member points
    at it with --db or SOPDESK_DB. See docs/team.md.
    """
    from sopdesk.store import db

    target = db_target(ctx, db_option)
    if db.is_postgres_url(target):
        if group is not None:
            fail("--team shares a SQLite file; on PostgreSQL give each rep a login role instead "
                 "(docs/team.md)", 2)  # fmt: skip
        try:
            db.init(target)
        except db.DatabaseError as exc:
            fail(str(exc))
        click.echo("database ready on PostgreSQL")
        return
    path = _file_db(ctx, db_option)
    if group is None:
        try:
            db.init(path)
        except db.DatabaseError as exc:
            fail(str(exc))
        click.echo(f"database ready: {path} (private to you)")
        return
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        fail(f"there is no group {group!r} on this machine (create it with groupadd)", 2)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    try:
        os.chown(folder, -1, gid)
        os.chmod(folder, 0o2770)
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o660)
            os.close(fd)
        os.chown(path, -1, gid)
        os.chmod(path, 0o660)
    except PermissionError as exc:
        fail(f"cannot give {folder} to group {group}: {exc} (are you a member of it?)")
    try:
        db.init(path)
    except db.DatabaseError as exc:
        fail(str(exc))
    mode = stat.S_IMODE(path.stat().st_mode)
    click.echo(f"team database ready: {path} (group {group}, mode {mode:o})")
    click.echo(f"every member runs: export SOPDESK_DB={path}")
