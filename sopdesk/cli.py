"""The `sopdesk` command: opens the workbench; subcommands for demo data and (later) imports.

Exit codes: 0 ok, 1 the input was rejected or something failed with a message, 2 usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sopdesk import __version__, config, locations

DB_HELP = (
    "Database file or URL. Default: $SOPDESK_DB, else sopdesk.db in the user data dir "
    f"({locations.default_db_path()})."
)


def _fail(message: str) -> None:
    click.echo(f"sopdesk: {message}", err=True)
    sys.exit(1)


def _load_settings() -> config.Settings:
    try:
        return config.load()
    except config.ConfigError as exc:
        _fail(f"{exc}\n(fix the file or move it away; sopdesk will start with defaults)")
        raise  # unreachable


def _run(app) -> None:
    app.run()


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_target", envvar="SOPDESK_DB", help=DB_HELP, metavar="PATH|URL")
@click.option(
    "--rep",
    "rep_login",
    metavar="LOGIN",
    help="Managers only: open the workbench as the rep LOGIN (their inbox, today and customers).",
)
@click.version_option(__version__, prog_name="sopdesk")
@click.pass_context
def main(ctx: click.Context, db_target: str | None, rep_login: str | None) -> None:
    """sopdesk — the export sales rep's workbench: every inquiry answered in five minutes,
    no follow-up forgotten.

    Without a command, opens the workbench on your own database (created on first run, mode
    0600). `sopdesk demo` opens it on demo data.

    \b
    Where things live:
      data    {data}
      config  {config}
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db_target
    ctx.obj["rep"] = rep_login
    if ctx.invoked_subcommand is not None:
        return
    from sopdesk.app_factory import default_db_target, make_app
    from sopdesk.store.db import DatabaseError

    settings = _load_settings()
    target = db_target or default_db_target()
    if not db_target:
        locations.ensure_private_dir(locations.data_dir())
    try:
        if rep_login:
            _check_manager(target, rep_login)
        app = make_app(target, settings, login=rep_login, config_path=locations.config_file())
    except DatabaseError as exc:
        _fail(str(exc))
        return
    _run(app)


def _check_manager(target: str, rep_login: str) -> None:
    """`--rep` is for managers: anyone else is refused before the workbench opens."""
    from sopdesk.services import reps, session
    from sopdesk.store import db

    db.init(target)
    try:
        reps.act_as(session.current_login(), rep_login)
    except reps.RepError as exc:
        _fail(f"--rep {rep_login}: {exc}")


main.help = (main.help or "").format(data=locations.data_dir(), config=locations.config_dir())


@main.command()
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the demo database here (default: a fresh one in the data dir).",
)
@click.option(
    "--no-open", is_flag=True, help="Only write the demo database; do not open the workbench."
)
@click.option(
    "--seed",
    type=int,
    default=20261127,
    show_default=True,
    help="Random seed: the same seed gives the same demo.",
)
def demo(db_path: Path | None, no_open: bool, seed: int) -> None:
    """Build a demo database relative to now (about 40 customers, 70 inquiries) and open it.

    An existing demo database at the same path is replaced; any other file is never touched.
    """
    from sopdesk import clock
    from sopdesk.app_factory import make_app
    from sopdesk.services import demo as demo_service
    from sopdesk.store import db
    from sopdesk.store.db import DatabaseError

    path = db_path or (locations.data_dir() / "demo.db")
    if path.exists():
        if not _is_demo_database(path):
            _fail(f"{path} exists and is not a sopdesk demo database; choose another --db path")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = config.demo_settings()
    try:
        db.init(path)
    except DatabaseError as exc:
        _fail(str(exc))
    with db.database.connection_context():
        summary = demo_service.seed(clock.now(), seed=seed)
    _mark_demo(path)
    click.echo(
        f"demo database: {path} ({summary.customers} customers, {summary.inquiries} inquiries)",
        err=no_open,
    )
    if no_open:
        return
    _run(make_app(path, settings, demo=True, login="demo"))


DEMO_MARK = "sopdesk-demo"


def _mark_demo(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as con:
        con.execute(f"PRAGMA application_id = {0x50D35C}")
        con.execute("PRAGMA user_version = 1")


def _is_demo_database(path: Path) -> bool:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            return con.execute("PRAGMA application_id").fetchone()[0] == 0x50D35C
    except sqlite3.DatabaseError:
        return False


from sopdesk.commands.imports import import_group  # noqa: E402

main.add_command(import_group)

from sopdesk.commands.report import report  # noqa: E402

main.add_command(report)

from sopdesk.commands.draft import draft, templates  # noqa: E402

main.add_command(draft)
main.add_command(templates)

from sopdesk.commands.exports import export_group  # noqa: E402

main.add_command(export_group)

from sopdesk.commands.playbook import playbook_group  # noqa: E402

main.add_command(playbook_group)

from sopdesk.commands.rfq import rfq  # noqa: E402

main.add_command(rfq)

from sopdesk.commands.admin import backup, init, restore  # noqa: E402

main.add_command(backup)
main.add_command(restore)
main.add_command(init)

from sopdesk.commands.pi import pi  # noqa: E402

main.add_command(pi)

from sopdesk.commands.reps import rep_group  # noqa: E402

main.add_command(rep_group)

from sopdesk.commands.dbcopy import db_group  # noqa: E402

main.add_command(db_group)

from sopdesk.commands.serve import serve  # noqa: E402

main.add_command(serve)
