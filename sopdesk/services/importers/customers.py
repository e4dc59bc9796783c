"""`sopdesk import customers`: the rep's old customer sheet (.csv or .xlsx) into customers.

The SOP's appendix-1 columns are recognised in Chinese and English (客户编号 Customer no., 公司/姓名
Company/Name, 国家 Country, 来源 Source, 首次接触日期 First contact date, 当前状态 Current status,
最近跟进内容 Latest follow-up, 下次跟进计划 Next follow-up plan, 预计订单价值 Expected order value,
备注 Notes) plus the contact and background-check columns `sopdesk export customers` writes;
other headers are mapped with `--map 'Header=field'` (see `sop.records.MAPPABLE_FIELDS`). The header
row is found among the first rows (a title row above it, or a merged two-row header, is fine).

Each row is created, updated (its customer no. is in the database and it is the same customer),
merged (no number, but the same e-mail, or the same company name in the same country, as an
existing customer or an earlier row) or rejected with its row number and the reason. A shared
company domain or a similar name is only reported as a possible duplicate. The whole file is one
transaction: with any rejected row nothing is written unless `skip_bad`; a dry run does everything
and rolls back, so its numbers are the real ones.

Day/month order of dates like 3/11/2020 is decided per column from all its values and reported;
Excel serial numbers, d.m.yyyy, yyyy-mm-dd, 2026年3月5日 and "Aug 24, 2020" are read. Phones that
Excel evaluated as formulas (-3769) or turned into 1.2E+10 are flagged and not stored.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pendulum

from sopdesk import clock, labels
from sopdesk.i18n import N_, _
from sopdesk.services.importers.sheet_report import Outcome, SheetReport
from sopdesk.services.importers.sheets import SheetError, decode, sniff_delimiter
from sopdesk.services.records import local_midnight
from sopdesk.services.records_merge import NAME_MATCH, _find_duplicates
from sopdesk.services.records_timeline import Event, event_text, list_text
from sopdesk.sop import geo, intake
from sopdesk.sop import records as rules
from sopdesk.sop.stages import (
    ActivityKind,
    BuyerType,
    Channel,
    Direction,
    LostReason,
    Potential,
    Stage,
)
from sopdesk.store import search
from sopdesk.store.db import database
from sopdesk.store.models import Activity, Contact, Customer, StageChange

SUPPORTED = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}
HEADER_SCAN = 10
"""Rows looked at for the header row."""
MAX_FILE_BYTES = 64 * 1024 * 1024
_CHINESE_HINTS = ("客户编号", "公司", "国家", "来源", "当前状态", "备注")
_DATE_FIELDS = ("first_contact",)


@dataclass(frozen=True)
class RowResult:
    row: int
    """The row number as the spreadsheet shows it (1 is the first line of the file)."""
    outcome: Outcome
    customer_code: str = ""
    name: str = ""
    reason: str = ""
    """Why it was rejected, or how it was matched ("e-mail a@b.com", "customer no."); in the UI
    language, like the warnings and the report's notes."""
    warnings: tuple[str, ...] = ()


ImportReport = SheetReport[RowResult]


class SheetUnreadable(ValueError):  # noqa: N818 - says what happened
    """The file cannot be read as a customer sheet."""


# --- reading a table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    kind: str
    rows: tuple[tuple[int, tuple[Any, ...]], ...]
    """(row number, cells) of every non-blank row; cells are text, or typed values from .xlsx."""
    notes: tuple[str, ...] = ()


def _blank(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_csv(data: bytes) -> Table:
    text, encoding = decode(data, _CHINESE_HINTS)
    text = text.replace("\x00", "")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, tuple[Any, ...]]] = []
    start = 1
    try:
        for record in reader:
            if not _blank(record):
                rows.append((start, tuple(record)))
            start = reader.line_num + 1
    except csv.Error as exc:
        message = _("line {line}: unreadable CSV ({error})")
        raise SheetUnreadable(message.format(line=start, error=exc)) from None
    separated = _(_SEPARATED[delimiter])
    return Table(
        "csv", tuple(rows), (_("encoding {encoding}").format(encoding=encoding), separated)
    )


_SEPARATED = {
    ",": N_("comma-separated"),
    ";": N_("semicolon-separated"),
    "\t": N_("tab-separated"),
    "|": N_("bar-separated"),
}


def read_xlsx(path: Path) -> Table:
    """The first sheet that has a recognisable header; merged cells in the header rows are filled
    from their top-left cell (a header merged over two rows still names its column)."""
    from openpyxl import load_workbook  # heavy: only when an .xlsx is imported

    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException …
        message = _("not a readable .xlsx workbook ({error})")
        raise SheetUnreadable(message.format(error=f"{type(exc).__name__}: {exc}")) from None
    best: Table | None = None
    best_score = -1
    for sheet in book.worksheets:
        values = {
            (cell.row, cell.column): cell.value
            for row in sheet.iter_rows(max_row=HEADER_SCAN + 5)
            for cell in row
        }
        for merged in sheet.merged_cells.ranges:
            top = values.get((merged.min_row, merged.min_col))
            for r in range(merged.min_row, min(merged.max_row, HEADER_SCAN + 5) + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    values[(r, c)] = top
        rows: list[tuple[int, tuple[Any, ...]]] = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number <= HEADER_SCAN + 5:
                row = tuple(values.get((number, c), v) for c, v in enumerate(row, start=1))
            if not _blank(row):
                rows.append((number, tuple(row)))
        table = Table("xlsx", tuple(rows), (_("sheet {name!r}").format(name=sheet.title),))
        score = _header_row(table, {})[2] if rows else 0
        if score > best_score:
            best, best_score = table, score
    if best is None:
        raise SheetUnreadable(_("the workbook has no sheets"))
    return best


def read_table(path: Path) -> Table:
    kind = SUPPORTED.get(path.suffix.lower())
    if kind is None:
        message = _("unsupported file type {suffix!r}: use .csv or .xlsx")
        raise SheetUnreadable(message.format(suffix=path.suffix or _("(none)")))
    if path.stat().st_size > MAX_FILE_BYTES:
        message = _("the file is larger than {n} MB")
        raise SheetUnreadable(message.format(n=MAX_FILE_BYTES // (1024 * 1024)))
    if kind == "xlsx":
        return read_xlsx(path)
    data = path.read_bytes()
    if not data.strip():
        raise SheetUnreadable(_("the file is empty"))
    try:
        return read_csv(data)
    except SheetError as exc:
        raise SheetUnreadable(str(exc)) from None


# --- the header ---------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ".0", dates as ISO, text stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return intake.clean_text(str(value)).strip()


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """`--map 'Header=field'` options as {header key: field}; ValueError names a bad one."""
    mapping: dict[str, str] = {}
    for item in items:
        header, sep, name = item.rpartition("=")
        name = name.strip().lower()
        if not sep or not header.strip():
            raise ValueError(_("--map {item!r}: write it as 'Header=field'").format(item=item))
        if name not in rules.MAPPABLE_FIELDS:
            message = _("--map {item!r}: unknown field {name!r}; one of {fields}")
            raise ValueError(
                message.format(item=item, name=name, fields=", ".join(rules.MAPPABLE_FIELDS))
            )
        mapping[rules.header_key(header)] = name
    return mapping


def _field(header: str, mapping: Mapping[str, str]) -> str | None:
    key = rules.header_key(header)
    if key in mapping:
        return mapping[key]
    return rules.field_for_header(header)


def _header_row(table: Table, mapping: Mapping[str, str]) -> tuple[int, dict[str, int], int]:
    """(index into table.rows of the header, {field: column}, how many columns it maps)."""
    best: tuple[int, dict[str, int], int] = (-1, {}, 0)
    for index, (_number, cells) in enumerate(table.rows[:HEADER_SCAN]):
        columns: dict[str, int] = {}
        for column, cell in enumerate(cells):
            name = _field(cell_text(cell), mapping) if cell_text(cell) else None
            if name and name != "ignore" and name not in columns:
                columns[name] = column
        if len(columns) > best[2]:
            best = (index, columns, len(columns))
    return best


# --- one row ------------------------------------------------------------------------------------


@dataclass
class SheetRow:
    row: int
    number: int | None = None
    company: str = ""
    name: str = ""
    contact: str = ""
    country: str = ""
    source: Channel | None = None
    first_contact: date | None = None
    stage: Stage | None = None
    latest_follow_up: str = ""
    next_follow_up: tuple[date, str | None] | None = None
    plan: str = ""
    expected_value: tuple[Decimal, str] | None = None
    notes: str = ""
    emails: list[str] = field(default_factory=list)
    phone: str = ""
    phone2: str = ""
    whatsapp: str = ""
    website: str = ""
    linkedin: str = ""
    buyer_type: BuyerType | None = None
    potential: Potential | None = None
    lost_reason: LostReason | None = None
    tags: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def display(self) -> str:
        return self.company or self.name or self.contact or (self.emails[0] if self.emails else "")


_NUMBER = re.compile(r"^[a-z]{0,4}[-\s#]?0*(\d{1,9})$", re.IGNORECASE)


def _number(text: str) -> int | None:
    if not text:
        return None
    match = _NUMBER.match(text.strip())
    if match is None:
        message = _("customer no. {value!r} is not a number like C-00042 or 42")
        raise ValueError(message.format(value=text))
    number = int(match.group(1))
    if number <= 0:
        raise ValueError(_("customer no. {value!r} must be above 0").format(value=text))
    return number


def _phone(row: SheetRow, header: str, text: str) -> str:
    if not text:
        return ""
    damage = rules.excel_damage(text)
    if damage is not None:
        message = _("{column} {value!r} not imported: {damage}")
        row.warnings.append(message.format(column=header, value=text, damage=damage))
        return ""
    try:
        return rules.normalise_phone(text, row.country or None)
    except ValueError:
        return rules.one_line(text, 255)  # kept as written: not every real number validates


def parse_row(
    number: int,
    cells: Sequence[Any],
    columns: Mapping[str, int],
    headers: Mapping[str, str],
    orders: Mapping[str, str],
    default_currency: str,
) -> SheetRow:
    """One sheet row to clean values; ValueError with the reason when the row must be rejected."""
    row = SheetRow(number)

    def raw(name: str) -> Any:
        column = columns.get(name)
        return cells[column] if column is not None and column < len(cells) else None

    def text(name: str) -> str:
        return cell_text(raw(name))

    def fail(name: str, exc: ValueError) -> ValueError:
        return ValueError(_("{column}: {error}").format(column=headers.get(name, name), error=exc))

    try:
        row.number = _number(text("number"))
    except ValueError as exc:
        raise fail("number", exc) from None
    row.company = rules.one_line(text("company"), 255)
    row.name = rules.one_line(text("name") or " ".join([text("first_name"), text("last_name")]))
    row.contact = rules.one_line(text("contact"), 255)
    country = text("country")
    if country:
        try:
            row.country = rules.parse_country(country)
        except ValueError:
            message = _("country {value!r} not recognised; kept in the notes")
            row.warnings.append(message.format(value=country))
            row.notes = f"{headers.get('country', 'country')}: {country}"  # the sheet's words
    source = text("source")
    if source:
        try:
            row.source = rules.parse_source(source)
        except ValueError:
            row.source = Channel.OTHER
            message = _("source {value!r} read as {channel}")
            row.warnings.append(message.format(value=source, channel=labels.channel(Channel.OTHER)))
    for name, parser in (
        ("stage", rules.parse_stage),
        ("buyer_type", rules.parse_buyer_type),
        ("lost_reason", rules.parse_lost_reason),
    ):
        value = text(name)
        if value:
            try:
                setattr(row, name, parser(value))
            except ValueError as exc:
                raise fail(name, exc) from None
    try:
        row.potential = rules.parse_potential(text("potential"))
    except ValueError as exc:
        raise fail("potential", exc) from None
    try:
        row.first_contact = rules.parse_sheet_date(
            raw("first_contact")
            if not isinstance(raw("first_contact"), str)
            else text("first_contact"),
            orders.get("first_contact", rules.DMY),
        )
    except ValueError as exc:
        raise fail("first_contact", exc) from None
    plan_text = text("next_follow_up")
    if plan_text or raw("next_follow_up") is not None:
        value = raw("next_follow_up")
        if isinstance(value, datetime | date):
            day = value.date() if isinstance(value, datetime) else value
            at = (
                value.strftime("%H:%M")
                if isinstance(value, datetime) and value.time() != datetime.min.time()
                else None
            )
            row.next_follow_up, row.plan = (day, at), ""
        else:
            planned, at, rest = rules.split_plan(plan_text)
            row.next_follow_up = (planned, at) if planned is not None else None
            row.plan = rules.one_line(rest, 300) if len(rest) <= 300 else rest[:300]
    try:
        row.expected_value = rules.parse_money(text("expected_value"), default_currency)
    except ValueError as exc:
        raise fail("expected_value", exc) from None
    notes = intake.clean_text(text("notes")).strip()
    row.notes = "\n".join(n for n in (notes, row.notes) if n)
    row.latest_follow_up = intake.clean_text(text("latest_follow_up")).strip()
    email = text("email")
    if email:
        try:
            row.emails.append(rules.normalise_email(email).lower())
        except ValueError as exc:
            raise fail("email", exc) from None
    row.phone = _phone(row, headers.get("phone", "phone"), text("phone"))
    row.phone2 = _phone(row, headers.get("phone2", "phone 2"), text("phone2"))
    row.whatsapp = _phone(row, headers.get("whatsapp", "WhatsApp"), text("whatsapp"))
    for name, check in (
        ("website", rules.normalise_website),
        ("linkedin", rules.normalise_linkedin),
    ):
        value = text(name)
        if value:
            try:
                setattr(row, name, check(value))
            except ValueError as exc:
                message = _("{column}: {error}; not imported")
                row.warnings.append(message.format(column=headers.get(name, name), error=exc))
    row.tags = rules.one_line(rules.parse_tags(text("tags")), 255)
    if row.stage is Stage.LOST and row.lost_reason is None:
        row.lost_reason = LostReason.OTHER
        message = _("lost without a lost reason: reason set to {reason}")
        row.warnings.append(message.format(reason=_(labels.LOST_REASON[LostReason.OTHER])))
    if not (row.company or row.name or row.contact or row.emails):
        raise ValueError(_("no company, name or e-mail: nothing says who this customer is"))
    return row


# --- writing ------------------------------------------------------------------------------------


class _Rollback(Exception):  # noqa: N818 - control flow, not an error
    pass


@dataclass
class _Batch:
    """Customers this file touched, so later rows find earlier ones."""

    by_email: dict[str, int] = field(default_factory=dict)
    by_name: dict[tuple[str, str], int] = field(default_factory=dict)
    touched: list[int] = field(default_factory=list)


def _name_key(row_name: str) -> str:
    return intake.normalise_company(row_name) if row_name else ""


def _match(row: SheetRow, batch: _Batch) -> tuple[Any, Outcome, str, list[str]]:
    """(customer or None, outcome, how, warnings) for a row."""
    warnings: list[str] = []
    if row.number is not None:
        existing: Any = Customer.get_or_none(Customer.number == row.number)
        if existing is not None:
            if existing.merged_into_id is not None:
                message = _("customer no. {number} was merged into another customer")
                raise ValueError(message.format(number=row.number))
            same = _same_customer(existing, row)
            if not same:
                message = _(
                    "customer no. {code} is {name!r} in the database, not {row_name!r} "
                    "(map the number column to 'ignore' to match by name)"
                )
                raise ValueError(
                    message.format(
                        code=existing.code, name=existing.display_name, row_name=row.display
                    )
                )
            return existing, Outcome.UPDATED, _("customer no."), warnings
        return None, Outcome.CREATED, "", warnings
    for email in row.emails:
        found = batch.by_email.get(email)
        if found is None:
            hit = (
                Contact.select(Contact.customer)
                .join(Customer, on=(Contact.customer == Customer.id))
                .where(Contact.email == email, Customer.merged_into.is_null())
                .first()
            )
            found = hit.customer_id if hit is not None else None
        if found is not None:
            how = _("e-mail {email}").format(email=email)
            return Customer.get_by_id(found), Outcome.MERGED, how, warnings
    key = _name_key(row.company or row.name)
    if key:
        found = batch.by_name.get((key, row.country))
        if found is None:
            for candidate in _find_duplicates(row.company or row.name, [], "", None, 5):
                if _name_key(candidate.name) == key and (
                    not row.country or not candidate.country or candidate.country == row.country
                ):
                    found = candidate.customer_id
                    break
        if found is not None:
            return Customer.get_by_id(found), Outcome.MERGED, _("company name"), warnings
    domain = intake.email_domain(row.emails[0]) if row.emails else None
    if (domain and not intake.is_free_mail(domain)) or key:
        for candidate in _find_duplicates(row.company or row.name, [], domain or "", None, 3):
            message = _("possible duplicate of {code} {name!r} ({reasons})")
            warnings.append(
                message.format(
                    code=candidate.code, name=candidate.name, reasons=list_text(candidate.reasons)
                )
            )
    return None, Outcome.CREATED, "", warnings


def _same_customer(existing: Customer, row: SheetRow) -> bool:
    from rapidfuzz import fuzz

    mine = _name_key(existing.company or existing.name)
    theirs = _name_key(row.company or row.name or row.contact)
    if not mine or not theirs or fuzz.token_sort_ratio(mine, theirs) >= NAME_MATCH - 30:
        return True
    if row.emails:
        return (
            Contact.select()
            .where(Contact.customer == existing.id, Contact.email.in_(row.emails))
            .exists()
        )
    return False


def _customer_values(row: SheetRow, rep_zone: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    person = row.name or row.contact
    if row.company or person:
        values["company"] = row.company or person
    if person and row.company:
        values["name"] = person
    if row.country:
        values["country"] = row.country
        zone = geo.infer_timezone(row.country)
        if zone:
            values["timezone"] = zone
    if row.source is not None:
        values["source"] = row.source
    if row.first_contact is not None:
        values["first_contact_at"] = local_midnight(row.first_contact, rep_zone)
    if row.next_follow_up is not None:
        day, at = row.next_follow_up
        hour, minute = (int(x) for x in at.split(":")) if at else (9, 0)
        values["next_follow_up_at"] = pendulum.datetime(
            day.year, day.month, day.day, hour, minute, tz=rep_zone
        ).in_timezone("UTC")
    if row.plan:
        values["next_follow_up_plan"] = row.plan
    if row.expected_value is not None:
        values["expected_value"], values["expected_currency"] = row.expected_value
    if row.notes:
        values["notes"] = row.notes
    if row.website:
        values["website"] = row.website
    if row.linkedin:
        values["linkedin"] = row.linkedin
    domain = intake.email_domain(row.emails[0]) if row.emails else None
    if not domain and row.website:
        domain = rules.website_domain(row.website)
    if domain and not intake.is_free_mail(domain):
        values["email_domain"] = domain
    if row.buyer_type is not None:
        values["buyer_type"] = row.buyer_type
    if row.potential is not None:
        values["potential"] = row.potential
    if row.tags:
        values["tags"] = row.tags
    return values


def _contact(customer_id: int, row: SheetRow, has_primary: bool) -> None:
    email = row.emails[0] if row.emails else ""
    person = row.contact or row.name
    if not (person or email or row.phone or row.whatsapp):
        return
    if (
        email
        and Contact.select().where(Contact.customer == customer_id, Contact.email == email).exists()
    ):
        return
    if (
        not email
        and person
        and Contact.select().where(Contact.customer == customer_id, Contact.name == person).exists()
    ):
        return
    Contact.create(
        customer=customer_id,
        name=person,
        email=email,
        phone=row.phone or row.phone2,
        whatsapp=row.whatsapp,
        is_primary=not has_primary,
    )


def _note(customer_id: int, row: SheetRow, by: int | None, now: pendulum.DateTime) -> None:
    if not row.latest_follow_up:
        return
    latest = (
        Activity.select(Activity.text)
        .where(Activity.customer == customer_id, Activity.kind != ActivityKind.SYSTEM)
        .order_by(Activity.at.desc(), Activity.id.desc())
        .first()
    )
    if latest is not None and latest.text == row.latest_follow_up:
        return
    Activity.create(
        customer=customer_id,
        kind=ActivityKind.NOTE,
        direction=Direction.NONE,
        at=now,
        subject="",
        text=row.latest_follow_up,
        by=by,
    )
    Customer.update(last_activity_at=now).where(Customer.id == customer_id).execute()


def _imported(
    customer_id: int, file: str, row: int, by: int | None, now: pendulum.DateTime
) -> None:
    """A system touch saying the sheet set this customer's stage (the stage change itself has no
    reason: stored words would freeze the importer's language; the timeline words this event)."""
    Activity.create(
        customer=customer_id,
        kind=ActivityKind.SYSTEM,
        direction=Direction.NONE,
        at=now,
        subject=file,
        text=event_text(Event.IMPORTED, file=file, row=row),
        by=by,
    )


def _write(
    row: SheetRow,
    batch: _Batch,
    rep_zone: str,
    owner_id: int | None,
    now: pendulum.DateTime,
    file: str = "",
) -> RowResult:
    customer, outcome, how, warnings = _match(row, batch)
    values = _customer_values(row, rep_zone)
    stage = row.stage or Stage.LEAD
    if customer is None:
        number = row.number or Customer.next_number()
        since = values.get("first_contact_at") or now
        customer = Customer.create(
            number=number,
            stage=stage,
            stage_since=since,
            lost_reason=row.lost_reason if stage is Stage.LOST else None,
            owner=owner_id,
            **values,
        )
        StageChange.create(
            customer=customer.id, from_stage=None, to_stage=stage, at=since, by=owner_id,
        )  # fmt: skip
        _imported(customer.id, file, row.row, owner_id, now)
        has_primary = False
    else:
        if outcome is Outcome.MERGED:  # fill the blanks only
            values = {k: v for k, v in values.items() if not getattr(customer, k)}
        if row.stage is not None and row.stage is not customer.stage and outcome is Outcome.UPDATED:
            StageChange.create(
                customer=customer.id, from_stage=customer.stage, to_stage=row.stage, at=now,
                by=owner_id,
            )  # fmt: skip
            _imported(customer.id, file, row.row, owner_id, now)
            values.update(stage=row.stage, stage_since=now)
        if outcome is Outcome.UPDATED and row.stage is not None:
            values["lost_reason"] = row.lost_reason if row.stage is Stage.LOST else None
        if values:
            Customer.update(**values, version=Customer.version + 1).where(
                Customer.id == customer.id
            ).execute()
        has_primary = (
            Contact.select().where(Contact.customer == customer.id, Contact.is_primary).exists()
        )
    _contact(customer.id, row, has_primary)
    _note(customer.id, row, owner_id, now)
    for email in row.emails:
        batch.by_email.setdefault(email, customer.id)
    key = _name_key(row.company or row.name)
    if key:
        batch.by_name.setdefault((key, row.country), customer.id)
    batch.touched.append(customer.id)
    return RowResult(
        row=row.row,
        outcome=outcome,
        customer_code=customer.code,
        name=row.display,
        reason=how,
        warnings=tuple(row.warnings + warnings),
    )


def import_customers(
    path: Path,
    mapping: Mapping[str, str] | None = None,
    *,
    dry_run: bool = False,
    skip_bad: bool = False,
    rep_zone: str = "Asia/Shanghai",
    owner_id: int | None = None,
    default_currency: str = "USD",
    date_order: str | None = None,
    now: pendulum.DateTime | None = None,
) -> ImportReport:
    """Import one sheet; see the module docstring. `mapping` is from `parse_mapping`."""
    now = now or clock.now()
    mapping = dict(mapping or {})
    kind = SUPPORTED.get(path.suffix.lower(), "")
    try:
        table = read_table(path)
    except (SheetUnreadable, OSError) as exc:
        return ImportReport(path, kind, error=str(exc), dry_run=dry_run)
    index, columns, found = _header_row(table, mapping)
    if found == 0:
        message = _(
            "no header row with known columns in the first rows; map them with "
            "--map 'Header=field' (fields: {fields})"
        )
        return ImportReport(
            path,
            kind,
            notes=table.notes,
            error=message.format(fields=", ".join(rules.MAPPABLE_FIELDS)),
            dry_run=dry_run,
        )
    header_number, header_cells = table.rows[index]
    headers = {name: cell_text(header_cells[col]) for name, col in columns.items()}
    notes = list(table.notes)
    notes.append(_("header in row {n}").format(n=header_number))
    mapped = {col for col in columns.values()}
    ignored = [cell_text(c) for i, c in enumerate(header_cells) if i not in mapped and cell_text(c)]
    if ignored:
        notes.append(_("ignored columns: {names}").format(names=", ".join(ignored)))
    body = table.rows[index + 1 :]
    orders: dict[str, str] = {}
    for name in _DATE_FIELDS:
        if name not in columns:
            continue
        values = [
            cells[columns[name]]
            for _n, cells in body
            if columns[name] < len(cells) and isinstance(cells[columns[name]], str)
        ]
        default = rules.MDY if (date_order or "").upper() == rules.MDY else rules.DMY
        decided = rules.date_order([v for v in values if v.strip()], default)
        orders[name] = (date_order or "").upper() or decided.order
        label = headers[name]
        if decided.conflicting and not date_order:
            message = _("column {column!r} mixes day-first and month-first dates")
            notes.append(message.format(column=label))
        elif decided.ambiguous and not date_order:
            message = _(
                "column {column!r}: day and month cannot be told apart from the values; read as "
                "{order} (use --date-order dmy|mdy to choose)"
            )
            order_text = "d/m/y" if decided.order == rules.DMY else "m/d/y"
            notes.append(message.format(column=label, order=order_text))
        elif values and any(rules.numeric_date_order(v) for v in values):
            order_text = "d/m/y" if orders[name] == rules.DMY else "m/d/y"
            message = _("column {column!r}: dates read as {order}")
            notes.append(message.format(column=label, order=order_text))
    parsed: list[SheetRow | RowResult] = []
    for number, cells in body:
        try:
            parsed.append(parse_row(number, cells, columns, headers, orders, default_currency))
        except ValueError as exc:
            parsed.append(RowResult(number, Outcome.REJECTED, reason=str(exc)))
    results: list[RowResult] = []
    committed = False
    with database.connection_context():
        try:
            with database.atomic():
                batch = _Batch()
                for item in parsed:
                    if isinstance(item, RowResult):
                        results.append(item)
                        continue
                    try:
                        with database.atomic():  # a savepoint: a refused row leaves no trace
                            results.append(_write(item, batch, rep_zone, owner_id, now, path.name))
                    except ValueError as exc:
                        results.append(RowResult(item.row, Outcome.REJECTED, name=item.display,
                                                 reason=str(exc)))  # fmt: skip
                search.index_customers(batch.touched)
                rejected = any(r.outcome is Outcome.REJECTED for r in results)
                if dry_run or (rejected and not skip_bad):
                    raise _Rollback
                committed = True
        except _Rollback:
            committed = False
    return ImportReport(
        path, kind, tuple(results), tuple(notes), committed=committed, dry_run=dry_run
    )


__all__ = [
    "SUPPORTED",
    "ImportReport",
    "Outcome",
    "RowResult",
    "Table",
    "cell_text",
    "import_customers",
    "parse_mapping",
    "read_table",
]
