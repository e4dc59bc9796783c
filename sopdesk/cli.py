"""The `sopdesk` command: opens the workbench; subcommands for demo data, imports, reports, the team.

Exit codes: 0 ok, 1 the input was rejected or something failed with a message, 2 usage.
Every text is translated: the language is chosen as the workbench chooses it, when `sopdesk`
starts and before click parses anything (sopdesk/commands/base.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sopdesk import __version__, locations
from sopdesk.commands.base import Group, choose_language, version_option
from sopdesk.commands.common import fail, is_demo_database, load_settings, mark_demo, safe
from sopdesk.i18n import N_, _, ngettext


class Sopdesk(Group):
    """The root: chooses the language first, says where things live in its help, and turns the
    failures a user can meet (a file or folder that cannot be written, a database that cannot be
    opened or is locked) into one line and exit code 1 instead of a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        choose_language()
        return super().main(*args, **kwargs)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = self.help
        if text:
            self.help = text.format(data=locations.data_dir(), config=locations.config_dir())
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = text

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            message = _expected_failure(exc)
            if message is None:
                raise
            fail(safe(message))


def _expected_failure(exc: Exception) -> str | None:
    """The message for a failure that is the world's, not sopdesk's; None for anything else."""
    from peewee import OperationalError

    from sopdesk.store.db import DatabaseError

    if isinstance(exc, OSError | DatabaseError | OperationalError):
        return str(exc) or type(exc).__name__
    return None


@click.group(
    cls=Sopdesk,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
        "sopdesk — the export sales rep's workbench: every inquiry answered in five minutes, "
        "no follow-up forgotten.\n\n"
        "Without a command, opens the workbench on your own database (created on first run, "
        "mode 0600). `sopdesk demo` opens it on demo data.\n\n"
        "Where things live:\n"
        "  data    {data}\n"
        "  config  {config}"
    ),
)
@click.option(
    "--db",
    "db_target",
    envvar="SOPDESK_DB",
    metavar="PATH|URL",
    help=N_(
        "Database file or URL. Default: $SOPDESK_DB, else sopdesk.db in the data folder "
        "(see above)."
    ),
)
@click.option(
    "--rep",
    "rep_login",
    metavar="LOGIN",
    help=N_(
        "Managers only: open the workbench as the rep LOGIN (their inbox, today and customers)."
    ),
)
@version_option(__version__)
@click.pass_context
def main(ctx: click.Context, db_target: str | None, rep_login: str | None) -> None:
    ctx.ensure_object(dict)
    ctx.obj["db"] = db_target
    ctx.obj["rep"] = rep_login
    from sopdesk.store import db as store_db

    store_db.migration_notice = _migration_notice
    if ctx.invoked_subcommand is not None:
        return
    from sopdesk.app_factory import default_db_target, make_app
    from sopdesk.services.session import InactiveRepError
    from sopdesk.store.db import DatabaseError

    settings = load_settings()
    target = db_target or default_db_target()
    if not db_target:
        locations.ensure_private_dir(locations.data_dir())
    try:
        if rep_login:
            _check_manager(target, rep_login)
        app = make_app(target, settings, login=rep_login, config_path=locations.config_file())
    except (DatabaseError, InactiveRepError) as exc:
        fail(safe(str(exc)))
    _run(app)


def _migration_notice(version: int, steps: int) -> None:
    click.echo(
        ngettext(
            "Updating the database to schema version {version} ({n} step). This can take a "
            "few seconds…",
            "Updating the database to schema version {version} ({n} steps). This can take a "
            "few seconds…",
            steps,
        ).format(version=version, n=steps),
        err=True,
    )


def _run(app: Any) -> None:
    app.run()


def _check_manager(target: str, rep_login: str) -> None:
    """`--rep` is for managers: anyone else is refused before the workbench opens."""
    from sopdesk.services import reps, session
    from sopdesk.store import db

    db.init(target)
    try:
        reps.act_as(session.current_login(), rep_login)
    except reps.RepError as exc:
        fail(f"--rep {safe(rep_login)}: {exc}")


@main.command(
    help=N_(
        "Build a demo database relative to now (about 40 customers, 70 inquiries) and open it.\n\n"
        "An existing demo database at the same path is replaced; any other file is never touched."
    ),
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("Write the demo database here (default: a fresh one in the data folder)."),
)
@click.option(
    "--no-open",
    is_flag=True,
    help=N_("Only write the demo database; do not open the workbench."),
)
@click.option(
    "--seed",
    type=int,
    default=20261127,
    show_default=True,
    help=N_("Random seed: the same seed gives the same demo."),
)
def demo(db_path: Path | None, no_open: bool, seed: int) -> None:
    from sopdesk import clock, config
    from sopdesk.app_factory import make_app
    from sopdesk.services import demo as demo_service
    from sopdesk.store import db
    from sopdesk.store.db import DatabaseError

    path = db_path or (locations.data_dir() / "demo.db")
    if path.exists():
        if not is_demo_database(path):
            fail(
                _(
                    "{path} exists and is not a sopdesk demo database; choose another --db path"
                ).format(path=safe(str(path)))
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = config.demo_settings()
    try:
        db.init(path)
    except DatabaseError as exc:
        fail(safe(str(exc)))
    with db.database.connection_context():
        summary = demo_service.seed(clock.now(), seed=seed)
    mark_demo(path)
    click.echo(
        _("demo database: {path} ({customers}, {inquiries})").format(
            path=safe(str(path)),
            customers=ngettext("{n} customer", "{n} customers", summary.customers).format(
                n=summary.customers
            ),
            inquiries=ngettext("{n} inquiry", "{n} inquiries", summary.inquiries).format(
                n=summary.inquiries
            ),
        ),
        err=no_open,
    )
    if no_open:
        return
    _run(make_app(path, settings, demo=True, login="demo"))


from sopdesk.commands.admin import backup, init, restore  # noqa: E402
from sopdesk.commands.dbcopy import db_group  # noqa: E402
from sopdesk.commands.draft import draft, templates  # noqa: E402
from sopdesk.commands.exports import export_group  # noqa: E402
from sopdesk.commands.imports import import_group  # noqa: E402
from sopdesk.commands.pi import pi  # noqa: E402
from sopdesk.commands.playbook import playbook_group  # noqa: E402
from sopdesk.commands.report import report  # noqa: E402
from sopdesk.commands.reps import rep_group  # noqa: E402
from sopdesk.commands.rfq import rfq  # noqa: E402
from sopdesk.commands.serve import serve  # noqa: E402

for _command in (
    import_group, report, draft, templates, export_group, playbook_group, rfq, backup, restore,
    init, pi, rep_group, db_group, serve,
):  # fmt: skip
    main.add_command(_command)
