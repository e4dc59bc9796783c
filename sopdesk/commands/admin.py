"""`sopdesk backup`, `sopdesk restore`, `sopdesk init --team`: the data's safety on a shared server."""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

import click

from sopdesk.commands.base import Path as PathType
from sopdesk.commands.base import command
from sopdesk.commands.common import db_target, fail, is_file_target, open_store, safe, sqlite_path
from sopdesk.i18n import N_, _


def _file_db(ctx: click.Context, option: str | None) -> Path:
    target = db_target(ctx, option)
    if not is_file_target(target):
        fail(
            _(
                "backups of a PostgreSQL database are made with pg_dump, e.g.\n"
                "  pg_dump --format=custom --file sopdesk.dump 'postgresql://…'\n"
                "and restored with pg_restore (see docs/team.md)"
            )
        )
    return sqlite_path(target)


@command(
    help=N_(
        "Make a consistent copy of the database, even while others are writing to it.\n\n"
        "DESTINATION is a file or a folder; default: backups/ beside the database, with the date."
    )
)
@click.argument("destination", required=False, type=click.Path(path_type=Path))
@click.option("--db", "db_option", help=N_("The database to copy (default: yours)."))
@click.pass_context
def backup(ctx: click.Context, destination: Path | None, db_option: str | None) -> None:
    from sopdesk.store.backup import BackupError
    from sopdesk.store.backup import backup as make_backup

    path = _file_db(ctx, db_option)
    try:
        copy = make_backup(path, destination)
    except BackupError as exc:
        fail(safe(str(exc)))
    click.echo(_("backup written: {path}").format(path=safe(str(copy))))


@command(
    help=N_(
        "Replace the database with a backup, after checking the backup's integrity.\n\n"
        "The current database is copied to backups/ first. Close every sopdesk session on this "
        "database before restoring."
    )
)
@click.argument("source", type=PathType(exists=True, dir_okay=False, path_type=Path))
@click.option("--db", "db_option", help=N_("The database to replace (default: yours)."))
@click.option("--yes", is_flag=True, help=N_("Do not ask before replacing."))
@click.pass_context
def restore(ctx: click.Context, source: Path, db_option: str | None, yes: bool) -> None:
    from sopdesk.store.backup import BackupError
    from sopdesk.store.backup import restore as do_restore

    path = _file_db(ctx, db_option)
    question = _("Replace {path} with {source}? Every sopdesk session on it must be closed")
    if not yes and not click.confirm(
        question.format(path=safe(str(path)), source=safe(str(source))), default=False
    ):
        fail(_("nothing was replaced"))
    try:
        kept = do_restore(source, path)
    except BackupError as exc:
        fail(safe(str(exc)))
    click.echo(
        _("restored {path} from {source}").format(path=safe(str(path)), source=safe(str(source)))
    )
    if kept is not None:
        click.echo(_("the database it replaced is kept at {path}").format(path=safe(str(kept))))


@command(
    "init",
    help=N_(
        "Create the database now: private (0600 in a 0700 folder), or for a team with --team "
        "GROUP.\n\n"
        "A team database lives in a folder owned by GROUP with the setgid bit (2770), the file is "
        "0660, so every member can read and write it and SQLite's -wal/-shm files follow. Every "
        "member points at it with --db or SOPDESK_DB. See docs/team.md."
    ),
)
@click.option(
    "--team", "group", metavar="GROUP", help=N_("Share the database with this Unix group.")
)
@click.option("--db", "db_option", help=N_("Where the database goes (default: yours)."))
@click.pass_context
def init(ctx: click.Context, group: str | None, db_option: str | None) -> None:
    from sopdesk.store import db

    target = db_target(ctx, db_option)
    if db.is_postgres_url(target):
        if group is not None:
            fail(
                _(
                    "--team shares a SQLite file; on PostgreSQL give each rep a login role "
                    "instead (docs/team.md)"
                ),
                2,
            )
        open_store(target, must_exist=False)
        click.echo(_("database ready on PostgreSQL"))
        return
    path = _file_db(ctx, db_option)
    if group is None:
        open_store(str(path), must_exist=False)
        click.echo(_("database ready: {path} (private to you)").format(path=safe(str(path))))
        return
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        fail(
            _("there is no group {group!r} on this machine (create it with groupadd)").format(
                group=group
            ),
            2,
        )
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
        fail(
            _("cannot give {folder} to group {group}: {error} (are you a member of it?)").format(
                folder=safe(str(folder)), group=group, error=exc
            )
        )
    open_store(str(path), must_exist=False)
    mode = stat.S_IMODE(path.stat().st_mode)
    click.echo(
        _("team database ready: {path} (group {group}, mode {mode})").format(
            path=safe(str(path)), group=group, mode=f"{mode:o}"
        )
    )
    click.echo(_("every member runs: export SOPDESK_DB={path}").format(path=safe(str(path))))
