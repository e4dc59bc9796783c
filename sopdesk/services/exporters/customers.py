"""`sopdesk export customers FILE.csv|FILE.xlsx [--lang zh|en]`: the customer sheet written back.

The SOP's appendix-1 columns first (客户编号 … 备注), then the contact and background-check
columns, with Chinese or English headers and words (stages, sources, buyer types). Dates are the
rep's local dates; the next follow-up is "YYYY-MM-DD HH:mm plan". `sopdesk import customers` reads
the file back to the same customers, so export → import into an empty database → export gives the
same content. CSV is UTF-8 with a BOM (Excel then shows Chinese correctly).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sopdesk.services.records import _tuples
from sopdesk.sop import records as rules
from sopdesk.sop.stages import ActivityKind
from sopdesk.store.db import database
from sopdesk.store.models import Activity, Contact, Customer

CHUNK = 1000
"""Customers read per query."""
LANGS = ("zh", "en")
FORMATS = (".csv", ".xlsx")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    customers: int


def headers(lang: str) -> list[str]:
    return [column.zh if lang == "zh" else column.en for column in rules.SHEET_COLUMNS]


def _latest_texts(ids: list[int]) -> dict[int, str]:
    """The newest non-system touch text of each customer, whole (the sheet's latest follow-up)."""
    newest = Activity.alias()
    probe = (
        newest.select(newest.id)
        .where(newest.customer == Customer.id, newest.kind != ActivityKind.SYSTEM)
        .order_by(newest.at.desc(), newest.id.desc())
        .limit(1)
    )
    rows = _tuples(
        Activity.select(Activity.customer, Activity.subject, Activity.text).where(
            Activity.id.in_(Customer.select(probe).where(Customer.id.in_(ids)))
        )
    )
    return {int(c): (text or subject or "") for c, subject, text in rows}


def _primary_contacts(ids: list[int]) -> dict[int, Any]:
    contacts: dict[int, Any] = {}
    query: Any = (
        Contact.select()
        .where(Contact.customer.in_(ids))
        .order_by(Contact.customer, Contact.is_primary.desc(), Contact.id)
    )
    for contact in query:
        contacts.setdefault(contact.customer_id, contact)
    return contacts


def _cells(customer: Any, contact: Any, latest: str, lang: str, rep_zone: str) -> list[Any]:
    first = customer.first_contact_at
    next_at = customer.next_follow_up_at
    plan = customer.next_follow_up_plan
    if next_at is not None:
        when = next_at.in_timezone(rep_zone).format("YYYY-MM-DD HH:mm")
        plan = f"{when} {plan}".strip()
    value = customer.expected_value
    person = contact.name if contact is not None and contact.name else customer.name
    values = {
        "number": customer.code,
        "company": customer.company or customer.name,
        "country": rules.country_name(customer.country, lang),
        "source": rules.source_word(customer.source, lang),
        "first_contact": first.in_timezone(rep_zone).date() if first else None,
        "stage": rules.stage_word(customer.stage, lang),
        "latest_follow_up": latest,
        "next_follow_up": plan,
        "expected_value": (
            rules.format_money(value, customer.expected_currency) if value is not None else ""
        ),
        "notes": customer.notes,
        "contact": person if person != (customer.company or customer.name) else "",
        "email": contact.email if contact is not None else "",
        "phone": contact.phone if contact is not None else "",
        "whatsapp": contact.whatsapp if contact is not None else "",
        "website": customer.website,
        "buyer_type": rules.buyer_type_word(customer.buyer_type, lang),
        "potential": customer.potential.value if customer.potential is not None else "",
        "lost_reason": (
            rules.lost_reason_word(customer.lost_reason, lang) if customer.lost_reason else ""
        ),
        "tags": customer.tags,
    }
    return [values[column.field] for column in rules.SHEET_COLUMNS]


def sheet_rows(lang: str = "zh", rep_zone: str = "Asia/Shanghai") -> Iterator[list[Any]]:
    """Every customer (merged ones left out) as sheet cells, by customer no., in chunks."""
    after = 0
    while True:
        with database.connection_context():
            chunk = list(
                Customer.select()
                .where(Customer.merged_into.is_null(), Customer.number > after)
                .order_by(Customer.number)
                .limit(CHUNK)
            )
            if not chunk:
                return
            ids = [c.id for c in chunk]
            contacts = _primary_contacts(ids)
            latest = _latest_texts(ids)
        for customer in chunk:
            yield _cells(
                customer, contacts.get(customer.id), latest.get(customer.id, ""), lang, rep_zone
            )
        after = chunk[-1].number


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_text(lang: str = "zh", rep_zone: str = "Asia/Shanghai") -> tuple[str, int]:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers(lang))
    count = 0
    for cells in sheet_rows(lang, rep_zone):
        writer.writerow([_text(c) for c in cells])
        count += 1
    return out.getvalue(), count


def _write_xlsx(path: Path, lang: str, rep_zone: str) -> int:
    from openpyxl import Workbook  # heavy: only when an .xlsx is written
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "客户信息与跟进记录表" if lang == "zh" else "Customer sheet"
    sheet.append(headers(lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    date_column = [c.field for c in rules.SHEET_COLUMNS].index("first_contact") + 1
    count = 0
    for cells in sheet_rows(lang, rep_zone):
        sheet.append(cells)
        count += 1
        if cells[date_column - 1] is not None:
            sheet.cell(row=count + 1, column=date_column).number_format = "yyyy-mm-dd"
    for index, column in enumerate(rules.SHEET_COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = (
            28 if column.field in ("notes", "latest_follow_up", "next_follow_up", "company") else 14
        )
    book.save(path)
    return count


def export_customers(path: Path, lang: str = "zh", rep_zone: str = "Asia/Shanghai") -> ExportResult:
    """Write the sheet to `path` (.csv or .xlsx); ValueError for another suffix or language."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"unsupported file type {path.suffix or '(none)'!r}: use .csv or .xlsx")
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: use zh or en")
    if suffix == ".xlsx":
        return ExportResult(path, _write_xlsx(path, lang, rep_zone))
    text, count = csv_text(lang, rep_zone)
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    return ExportResult(path, count)
