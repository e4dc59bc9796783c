"""Who is working: the rep behind this login, created on first use from the settings.

A deactivated rep (one who left, `sopdesk rep deactivate`) is refused: `InactiveRepError` says why.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sopdesk.config import Settings
from sopdesk.i18n import _
from sopdesk.sop.stages import RepRole
from sopdesk.store.db import database
from sopdesk.store.models import Rep


@dataclass(frozen=True)
class RepSession:
    rep_id: int
    login: str
    name: str
    timezone: str
    role: RepRole = RepRole.REP

    @property
    def is_manager(self) -> bool:
        return self.role is RepRole.MANAGER


class InactiveRepError(Exception):
    """The rep behind this login was deactivated by a manager; the message says how to undo it."""


def current_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "rep"


def _refuse_inactive(login: str, rep: Rep) -> None:
    """InactiveRepError when a manager deactivated `rep`: the workbench's and every command's
    one line."""
    if rep.deactivated_at is not None:
        raise InactiveRepError(
            _("{login} was deactivated on {day} and cannot open sopdesk; a manager can undo "
              "it with: sopdesk rep activate {login}").format(
                login=login, day=rep.deactivated_at.format("YYYY-MM-DD")
            )
        )  # fmt: skip


def known_session(login: str | None = None) -> RepSession | None:
    """The rep behind `login` (default: this login) as far as the database knows them: None for
    a login it has never met (nothing is created); InactiveRepError for one a manager
    deactivated. What a CLI command acts as (commands/common.py `current_rep`)."""
    login = login or current_login()
    with database.connection_context():
        rep = Rep.get_or_none(Rep.login == login)
    if rep is None:
        return None
    _refuse_inactive(login, rep)
    return RepSession(
        rep_id=rep.id, login=login, name=rep.name, timezone=rep.timezone or "UTC", role=rep.role
    )


def open_session(settings: Settings, login: str | None = None) -> RepSession:
    login = login or current_login()
    with database.connection_context(), database.atomic():
        rep, created = Rep.get_or_create(
            login=login,
            defaults={
                "name": settings.rep.name or login,
                "title": settings.rep.title,
                "email": settings.rep.email,
                "whatsapp": settings.rep.whatsapp,
                "timezone": settings.rep.timezone,
            },
        )
        _refuse_inactive(login, rep)
        if created and Rep.select().count() == 1:
            # Whoever opens a new database first runs it: a team's first login is its manager
            # (`sopdesk rep set LOGIN --role manager|rep` changes it).
            rep.role = RepRole.MANAGER
            rep.save()
        own = login == current_login()  # a manager working as another rep changes nothing
        if own and not created and settings.rep.name and rep.name != settings.rep.name:
            rep.name = settings.rep.name
            rep.timezone = settings.rep.timezone
            rep.save()
    return RepSession(
        rep_id=rep.id, login=login, name=rep.name, timezone=settings.rep.timezone, role=rep.role
    )


def is_empty() -> bool:
    from sopdesk.store.models import Inquiry

    with database.connection_context():
        return not Inquiry.select().exists()


def update_rep(session: RepSession, settings: Settings) -> RepSession:
    """Store what the rep entered in the setup on their Rep row."""
    with database.connection_context(), database.atomic():
        rep = Rep.get_by_id(session.rep_id)
        rep.name = settings.rep.name or rep.login
        rep.timezone = settings.rep.timezone
        rep.save()
    return RepSession(
        rep_id=rep.id,
        login=rep.login,
        name=rep.name,
        timezone=settings.rep.timezone,
        role=rep.role,
    )
