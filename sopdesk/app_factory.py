"""Builds the app for the CLI and for every test alike: settings, language, database, rep."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sopdesk import config, i18n, locations

if TYPE_CHECKING:
    from sopdesk.ui.app import SopDeskApp


def prepare(
    db_target: str | Path,
    settings: config.Settings,
    login: str | None = None,
) -> tuple[bool, object]:
    """Language and database; returns (first_run, session)."""
    from sopdesk.services import session as session_service
    from sopdesk.store import db

    i18n.install(settings.rep.language)
    text = str(db_target)
    first_run = not db.is_url(text) and not Path(text).expanduser().exists()
    db.init(db_target)
    return first_run, session_service.open_session(settings, login)


def make_app(
    db_target: str | Path,
    settings: config.Settings | None = None,
    *,
    demo: bool = False,
    login: str | None = None,
    config_path: Path | None = None,
) -> SopDeskApp:
    """The workbench on `db_target`. The UI is imported only after the language is set."""
    settings = settings if settings is not None else config.Settings()
    first_run, session = prepare(db_target, settings, login)
    from sopdesk.ui.app import SopDeskApp
    from sopdesk.ui.context import AppContext

    context = AppContext(
        settings=settings,
        session=session,  # type: ignore[arg-type]
        db_label=str(db_target) if not demo else "demo",
        db_target=str(db_target),
        demo=demo,
        first_run=first_run,
        config_path=str(config_path) if config_path else None,
    )
    return SopDeskApp(context)


def default_db_target() -> str:
    import os

    return os.environ.get("SOPDESK_DB") or str(locations.default_db_path())
