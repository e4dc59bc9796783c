from __future__ import annotations

from typing import Any

from peewee import AutoField, Model

from sopdesk import clock
from sopdesk.store.db import database
from sopdesk.store.fields import UTCDateTimeField


class BaseModel(Model):
    id = AutoField()
    created_at = UTCDateTimeField(default=clock.now)
    updated_at = UTCDateTimeField(default=clock.now)

    class Meta:
        database = database
        legacy_table_names = False

    def save(self, *args: Any, **kwargs: Any) -> Any:
        self.updated_at = clock.now()
        return super().save(*args, **kwargs)
