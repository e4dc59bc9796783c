"""Who is working: the rep behind this login, created on first use from the settings."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sopdesk.config import Settings
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


def current_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "rep"


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
