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

from sopdesk.commands.common import db_target, fail

TUNNEL = "ssh -N -L {port}:127.0.0.1:{port} {user}@{server}   then open http://127.0.0.1:{port}"


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


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--db", "db_option", help="The database (default: yours).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, db_option: str | None) -> None:
    """Serve the workbench to a web browser (one sopdesk process per tab).

    There is no login page: anyone who can open the address works as you. Keep the default
    loopback address and reach it from your own computer through an SSH tunnel:

    \b
        ssh -N -L 8000:127.0.0.1:8000 you@server
        then open http://127.0.0.1:8000
    """
    try:
        from textual_serve.server import Server
    except ImportError:
        fail("sopdesk serve needs textual-serve: pip install textual-serve")
    from sopdesk.services.session import current_login

    target = db_target(ctx, db_option)
    rep = (ctx.find_root().obj or {}).get("rep")
    if not is_loopback(host):
        click.echo(
            f"sopdesk: WARNING: serving on {host}:{port}, which is not a loopback address.\n"
            "  The page has no login: anyone who can reach it works as you, on your data.\n"
            "  Prefer the default --host 127.0.0.1 and an SSH tunnel from your computer:\n    "
            + TUNNEL.format(port=port, user=current_login(), server="<this server>"),
            err=True,
        )
    click.echo(f"sopdesk in the browser: http://{host}:{port}  (Ctrl+C stops it)", err=True)
    server = Server(app_command(target, rep), host=host, port=port, title="sopdesk")
    server.serve()
