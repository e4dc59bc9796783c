from __future__ import annotations

from peewee import CharField, TextField

from sopdesk.sop.stages import RepRole
from sopdesk.store.fields import EnumField
from sopdesk.store.models.base import BaseModel


class Rep(BaseModel):
    """A sales rep (or manager), identified by the login running sopdesk."""

    login = CharField(unique=True, max_length=64)
    name = CharField(default="")
    title = CharField(default="")
    email = CharField(default="")
    whatsapp = CharField(default="")
    signature = TextField(default="")
    timezone = CharField(default="Asia/Shanghai")
    language = CharField(default="")
    role = EnumField(RepRole, default=RepRole.REP)
