"""Importers: files in, one report per file, each file in one transaction.

Shared report shapes for every importer (`sopdesk import inquiries`, later customers, metrics …):
an `ItemReport` per row or message and a `FileReport` per file. A file is written all or nothing:
when any item is rejected nothing of it is written unless the caller asked to skip bad items.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class ItemStatus(StrEnum):
    IMPORTED = "imported"
    """New: written when the file's report is committed (and not a dry run)."""
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ItemReport:
    number: int
    """Line number (CSV) or message number (mail), counted from 1."""
    where: str
    """How the rep finds it in the file: "line 7", "message 2 (line 40)"."""
    status: ItemStatus
    reason: str = ""
    """Why it was rejected."""
    customer_code: str = ""
    created_customer: bool = False
    linked_by: str = ""
    """How the customer was found: "email", "domain", "company" or "new"."""
    warnings: tuple[str, ...] = ()
    """Taken, but something was guessed (e.g. no Date: import time used)."""


@dataclass(frozen=True)
class FileReport:
    path: Path
    kind: str
    """"eml", "mbox" or "csv"."""
    items: tuple[ItemReport, ...] = ()
    committed: bool = False
    """True when the file's items were written (in a dry run: would have been)."""
    dry_run: bool = False
    """Nothing was written whatever `committed` says."""
    error: str = ""
    """Set when the file as a whole was rejected (unreadable, no header …)."""
    notes: tuple[str, ...] = ()
    """What the importer found out: encoding, delimiter, ignored columns."""

    def count(self, status: ItemStatus) -> int:
        return sum(1 for item in self.items if item.status is status)

    @property
    def rejected(self) -> tuple[ItemReport, ...]:
        return tuple(item for item in self.items if item.status is ItemStatus.REJECTED)

    @property
    def ok(self) -> bool:
        """Nothing in this file was rejected."""
        return not self.error and not self.rejected


__all__ = ["FileReport", "ItemReport", "ItemStatus"]
