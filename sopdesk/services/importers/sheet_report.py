"""What a spreadsheet import did, row by row: the report shape the customer sheet and the product
catalogue imports share (each with its own row type)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Generic, Protocol, TypeVar


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    MERGED = "merged"
    """Customer sheet only: the row matched a customer and filled in what it lacked."""
    REJECTED = "rejected"


class _Row(Protocol):
    @property
    def outcome(self) -> Outcome: ...


RowT = TypeVar("RowT", bound=_Row)


@dataclass(frozen=True)
class SheetReport(Generic[RowT]):
    path: Path
    kind: str
    rows: tuple[RowT, ...] = ()
    notes: tuple[str, ...] = ()
    """What the importer found out: encoding, delimiter, header row, columns, date orders."""
    committed: bool = False
    """The rows were written (in a dry run: would have been)."""
    dry_run: bool = False
    error: str = ""
    """The file as a whole could not be read (no header row, not a spreadsheet …)."""

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome is outcome)

    @property
    def rejected(self) -> tuple[RowT, ...]:
        return tuple(r for r in self.rows if r.outcome is Outcome.REJECTED)

    @property
    def ok(self) -> bool:
        return not self.error and not self.rejected
