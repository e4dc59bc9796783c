"""`sopdesk serve`: the same workbench in a browser tab (textual-serve), bound to loopback.

Every browser tab starts its own sopdesk process as the user running `serve`, and the page has no
login of its own: whoever reaches the port works as that user, on that user's data. So it binds to
127.0.0.1 by default and the way in from another machine is an SSH tunnel (docs/team.md):

    ssh -N -L 8000:127.0.0.1:8000 you@server      then open http://127.0.0.1:8000
"""

from __future__ import annotations

import ipaddress
import shlex
import sys

import click

from sopdesk.commands.base import command
from sopdesk.commands.common import (
    current_rep,
    db_target,
    fail,
    is_file_target,
    open_store,
    sqlite_path,
)
from sopdesk.i18n import N_, _

TUNNEL = N_("ssh -N -L {port}:127.0.0.1:{port} {user}@{server}   then open http://127.0.0.1:{port}")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(target: str, rep: str | None) -> str:
    """The shell command textual-serve runs for each browser tab: this sopdesk, this database."""
    words = [sys.executable, "-m", "sopdesk", "--db", target]
    if rep:
        words += ["--rep", rep]
    return shlex.join(words)


@command(
    "serve",
    help=N_(
        "Serve the workbench to a web browser (one sopdesk process per tab).\n\n"
        "There is no login page: anyone who can open the address works as you. Keep the default "
        "loopback address and reach it from your own computer through an SSH tunnel:\n\n"
        "    ssh -N -L 8000:127.0.0.1:8000 you@server\n"
        "    then open http://127.0.0.1:8000"
    ),
)
@click.option("--host", default="127.0.0.1", show_default=True, help=N_("Address to listen on."))
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help=N_("Port to listen on."),
)
@click.option("--db", "db_option", help=N_("The database (default: yours)."))
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, db_option: str | None) -> None:
    try:
        from textual_serve.server import Server
    except ImportError:
        fail(_("sopdesk serve needs textual-serve: pip install textual-serve"))
    from sopdesk.services.session import current_login

    target = db_target(ctx, db_option)
    rep = (ctx.find_root().obj or {}).get("rep")
    if not is_file_target(target) or sqlite_path(target).exists():
        # Every tab would refuse a login a manager deactivated: say it once, serve nothing.
        open_store(target)
        current_rep()
    if not is_loopback(host):
        click.echo(
            _(
                "sopdesk: WARNING: serving on {host}:{port}, which is not a loopback address.\n"
                "  The page has no login: anyone who can reach it works as you, on your data.\n"
                "  Prefer the default --host 127.0.0.1 and an SSH tunnel from your computer:\n"
                "    {tunnel}"
            ).format(
                host=host,
                port=port,
                tunnel=_(TUNNEL).format(port=port, user=current_login(), server=_("<this server>")),
            ),
            err=True,
        )
    click.echo(
        _("sopdesk in the browser: http://{host}:{port}  (Ctrl+C stops it)").format(
            host=host, port=port
        ),
        err=True,
    )
    server = Server(app_command(target, rep), host=host, port=port, title="sopdesk")
    server.serve()
