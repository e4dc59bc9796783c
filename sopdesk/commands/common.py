"""What every subcommand shares: which database, opening it with a clear error, failing cleanly,
the settings, and file text made safe for the terminal."""

from __future__ import annotations

import re
import sys
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from sopdesk.i18n import N_, _

if TYPE_CHECKING:
    from sopdesk.config import Settings
    from sopdesk.services.session import RepSession

DB_HELP = N_("Database file or URL (default: the --db of `sopdesk`, $SOPDESK_DB, or your own).")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_DEMO_ID = 0x50D35C


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `sopdesk: message` on stderr and exit (1: failed or rejected, 2: usage)."""
    click.echo(f"sopdesk: {message}", err=True)
    sys.exit(code)


def safe(text: str) -> str:
    """File text for the terminal: control characters (ESC …) and bidi overrides made visible."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def db_target(ctx: click.Context, option: str | None = None) -> str:
    """--db of the subcommand, else --db of `sopdesk`, else $SOPDESK_DB, else the default."""
    from sopdesk.app_factory import default_db_target

    root = ctx.find_root().obj
    parent = root.get("db") if isinstance(root, dict) else None
    return option or parent or default_db_target()


def is_file_target(target: str) -> bool:
    from sopdesk.store.db import is_url

    return not is_url(target) or target.startswith("sqlite:///")


def sqlite_path(target: str) -> Path:
    return Path(target.removeprefix("sqlite:///")).expanduser()


def open_store(target: str, *, must_exist: bool = True) -> str:
    """Initialise the store (migrating it if needed) or exit 1 with the reason; returns target."""
    from sopdesk.store import db

    if must_exist and is_file_target(target) and not sqlite_path(target).exists():
        fail(_("no database at {path}: run sopdesk first, or pass --db").format(path=safe(target)))
    try:
        db.init(target)
    except db.DatabaseError as exc:
        fail(safe(str(exc)))
    return target


def current_rep() -> RepSession | None:
    """The rep a command acts as: the login running it, as the open database knows them (None
    for a login it has never met; nothing is created). A rep a manager deactivated is refused as
    the workbench refuses them: the same one line, exit 1. Every command that works as the rep
    (imports that make them owner, drafts, PIs, RFQs, reports, exports, team changes) calls it
    once the store is open; the manager's read-only tools (rep list, backup, restore, db copy,
    playbook check) need no rep."""
    from sopdesk.services import session

    try:
        return session.known_session()
    except session.InactiveRepError as exc:
        fail(safe(str(exc)))


def load_settings() -> Settings:
    """config.toml, or exit 1 saying what is wrong with it."""
    from sopdesk import config

    try:
        return config.load()
    except config.ConfigError as exc:
        fail(
            _("{error}\n(fix the file or move it away; sopdesk will start with defaults)").format(
                error=exc
            )
        )


def settings_for(target: str) -> Settings:
    """The demo database works as the demo's rep; any other as the rep in config.toml."""
    from sopdesk import config
    from sopdesk.store import db

    if not db.is_url(target) and is_demo_database(Path(target).expanduser()):
        return config.demo_settings()
    return load_settings()


def check_suffix(path: Path, suffixes: Collection[str], message: str) -> None:
    """A usage error (exit 2) unless `path` ends in one of `suffixes`. `message` is translated and
    has {path} and {suffix}, e.g. "{path}: unsupported file type {suffix!r} (use .csv or .xlsx)"."""
    if path.suffix.lower() not in suffixes:
        raise click.BadParameter(
            message.format(path=safe(str(path)), suffix=safe(path.suffix or _("(none)"))),
            param_hint="FILE",
        )


# --- the demo database ---------------------------------------------------------------------------


def mark_demo(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as con:
        con.execute(f"PRAGMA application_id = {_DEMO_ID}")
        con.execute("PRAGMA user_version = 1")


def is_demo_database(path: Path) -> bool:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            return bool(con.execute("PRAGMA application_id").fetchone()[0] == _DEMO_ID)
    except sqlite3.DatabaseError:
        return False
