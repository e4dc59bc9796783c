"""Every path sopdesk reads or writes, in one place.

The rep's data and config live in the platformdirs user dirs; `SOPDESK_HOME` moves both under one
folder (tests and demo runs use it). Shipped resources (styles, templates) are found either at the
top of a source checkout / editable install or inside the wheel under `sopdesk/_data/`.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "sopdesk"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _home_override() -> Path | None:
    home = os.environ.get("SOPDESK_HOME")
    return Path(home).expanduser() if home else None


def data_dir() -> Path:
    """The rep's data: the database, saved drafts, backups."""
    home = _home_override()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME))


def config_dir() -> Path:
    """The rep's settings (`config.toml`), own templates and the team playbook."""
    home = _home_override()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME))


def config_file() -> Path:
    return config_dir() / "config.toml"


def default_db_path() -> Path:
    return data_dir() / "sopdesk.db"


def drafts_dir() -> Path:
    """Every copied draft is also written here (0600), so nothing copied is ever lost."""
    return data_dir() / "drafts"


def user_templates_dir() -> Path:
    """The rep's own reply templates; they override or add to the shipped ones."""
    return config_dir() / "templates"


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _resource_dir(name: str) -> Path:
    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    return _PACKAGE_DIR / "_data" / name


def styles_dir() -> Path:
    return _resource_dir("styles")


def templates_dir() -> Path:
    return _resource_dir("templates")


def locale_dir() -> Path:
    return _PACKAGE_DIR / "locale"
