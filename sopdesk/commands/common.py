"""What every subcommand shares: which database, opening it with a clear error, failing cleanly."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `sopdesk: message` on stderr and exit (1: failed or rejected, 2: usage)."""
    click.echo(f"sopdesk: {message}", err=True)
    sys.exit(code)


def db_target(ctx: click.Context, option: str | None = None) -> str:
    """--db of the subcommand, else --db of `sopdesk`, else $SOPDESK_DB, else the default."""
    from sopdesk.app_factory import default_db_target

    parent = (ctx.find_root().obj or {}).get("db") if ctx.find_root().obj else None
    return option or parent or default_db_target()


def is_file_target(target: str) -> bool:
    from sopdesk.store.db import is_url

    return not is_url(target) or target.startswith("sqlite:///")


def sqlite_path(target: str) -> Path:
    return Path(target.removeprefix("sqlite:///")).expanduser()


def open_store(target: str, *, must_exist: bool = True) -> None:
    """Initialise the store (migrating it if needed) or exit 1 with the reason."""
    from sopdesk.store import db

    if must_exist and is_file_target(target) and not sqlite_path(target).exists():
        fail(f"no database at {target}: run `sopdesk` once to create it, or pass --db")
    try:
        db.init(target)
    except db.DatabaseError as exc:
        fail(str(exc))
