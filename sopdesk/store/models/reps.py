from __future__ import annotations

from typing import Any

from peewee import CharField, TextField

from sopdesk.sop.stages import RepRole
from sopdesk.store.fields import EnumField, UTCDateTimeField
from sopdesk.store.models.base import BaseModel


class Rep(BaseModel):
    """A sales rep (or manager), identified by the login running sopdesk.

    A rep who left is deactivated, never deleted: their name stays on the history, the reports and
    the owner columns, but they no longer open sopdesk or receive new work (migration 7).
    """

    login = CharField(unique=True, max_length=64)
    name = CharField(default="")
    title = CharField(default="")
    email = CharField(default="")
    whatsapp = CharField(default="")
    signature = TextField(default="")
    timezone = CharField(default="Asia/Shanghai")
    language = CharField(default="")
    role = EnumField(RepRole, default=RepRole.REP)
    deactivated_at = UTCDateTimeField(null=True)
    """When a manager deactivated them; None while they work here."""

    @property
    def is_active(self) -> bool:
        return self.deactivated_at is None

    @classmethod
    def is_active_clause(cls) -> Any:
        """WHERE clause: reps who may work and receive new work."""
        return cls.deactivated_at.is_null()
