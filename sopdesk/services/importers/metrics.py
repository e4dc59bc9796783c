"""Store data in: the platform's daily export (`sopdesk import metrics FILE.csv|xlsx`).

Two shapes, told apart by their headers:
- store data (数据概览): one row per day — 日期, 曝光, 点击, 询盘, TM咨询, 访客;
- product data: one row per product and day — 产品名称 (and 产品ID), 曝光, 点击, 询盘, with a 日期
  column or, when the export covers one day without one, the day given on the command line.
Headers are matched in Chinese as the platform writes them and in English, whatever the case and
spacing; columns we do not use (点击率, 平均停留时长 …) are ignored and named in the report.

CSV bytes are read with the inquiry importer's reader (`importers/sheets.py`): a BOM first, then
UTF-8, then GB18030 — the superset of the GBK that Chinese Excel writes — or Windows-1252, the
Chinese headers tipping the balance; the delimiter is sniffed on the header line.

All or nothing: every row is checked first; if any row is rejected nothing is written and the
rejected rows are listed with their line numbers. Re-importing a day replaces that day (all its
store figures, or all its product rows), so a corrected export can simply be imported again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

import pendulum

from sopdesk.i18n import N_, _
from sopdesk.services.importers.sheets import DELIMITERS, decode, header_key, sniff_delimiter
from sopdesk.store.db import database
from sopdesk.store.models import Product, ProductMetrics, StoreMetrics

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
HEADER_SEARCH_ROWS = 15
"""Exports often start with a title line or two ("数据概览 2026-11-01 至 2026-11-26")."""
MAX_NAME = 255


class MetricsKind(StrEnum):
    STORE = "store"
    PRODUCT = "product"


HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "day": ("日期", "统计日期", "数据日期", "时间", "date", "day", "statdate"),
    "exposure": (
        "曝光", "曝光量", "曝光次数", "曝光数", "搜索曝光", "exposure", "exposures",
        "impressions", "impression",
    ),
    "clicks": ("点击", "点击量", "点击次数", "点击数", "clicks", "click"),
    "inquiries": (
        "询盘", "询盘数", "询盘个数", "询盘量", "有效询盘", "inquiries", "inquiry", "enquiries",
    ),
    "tm_chats": (
        "tm咨询", "tm咨询数", "tm咨询量", "tm咨询人数", "旺旺咨询", "tmchats", "tmchat",
        "tm", "trademanager", "trademanagerchats",
    ),
    "visitors": ("访客", "访客数", "访客量", "访客人数", "visitors", "visitor", "uv"),
    "product": (
        "产品", "产品名称", "产品名", "商品", "商品名称", "商品标题", "产品标题", "product",
        "productname", "producttitle", "title",
    ),
    "product_id": ("产品id", "商品id", "产品编号", "productid", "sku", "itemid"),
}  # fmt: skip
"""Our field → the header spellings it answers to (normalised: lower case, no spaces or marks)."""

STORE_FIELDS = ("exposure", "clicks", "inquiries", "tm_chats", "visitors")
FIELD_LABELS = {
    "exposure": N_("Exposure"),
    "clicks": N_("Clicks"),
    "inquiries": N_("Inquiries"),
    "tm_chats": N_("TM chats"),
    "visitors": N_("Visitors"),
}
"""The figures' names in a rejected row's reason ("Clicks: 'x' is not a number")."""
PRODUCT_FIELDS = ("exposure", "clicks", "inquiries")
TOTAL_MARKERS = frozenset({"合计", "总计", "汇总", "total", "totals", "sum"})
EMPTY_NUMBER = frozenset({"", "-", "--", "—", "n/a", "na", "null"})

ENCODING_HINTS = ("日期", "曝光", "点击", "询盘", "访客", "产品", "商品")
"""Words that, when they decode, say a file is GB18030 (GBK) rather than Windows-1252."""
_STRIP = re.compile(r"[\s【】·]+")


def normalise_header(text: Any) -> str:
    """A header cell reduced for matching: the inquiry importer's `header_key`, without spaces."""
    return _STRIP.sub("", header_key("" if text is None else str(text)))


_LOOKUP = {
    normalise_header(alias): name for name, aliases in HEADER_ALIASES.items() for alias in aliases
}


class MetricsFileError(Exception):
    """The file cannot be read as store data at all (not a table, no known headers, too big)."""


@dataclass(frozen=True)
class RejectedRow:
    line: int
    """1-based line (CSV) or row (XLSX) number in the file."""
    reason: str


@dataclass(frozen=True)
class StoreDay:
    day: date
    exposure: int
    clicks: int
    inquiries: int
    tm_chats: int
    visitors: int


@dataclass(frozen=True)
class ProductDay:
    day: date
    name: str
    product_ref: str
    """The platform's product id when the export has one, else ""."""
    exposure: int
    clicks: int
    inquiries: int


@dataclass(frozen=True)
class ParsedMetrics:
    kind: MetricsKind
    store_days: tuple[StoreDay, ...] = ()
    product_days: tuple[ProductDay, ...] = ()
    rejected: tuple[RejectedRow, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    skipped_totals: int = 0

    @property
    def days(self) -> tuple[date, ...]:
        rows: Iterable[StoreDay | ProductDay] = (
            self.store_days if self.kind is MetricsKind.STORE else self.product_days
        )
        return tuple(sorted({r.day for r in rows}))


@dataclass(frozen=True)
class MetricsImportResult:
    kind: MetricsKind
    imported: bool
    """False when any row was rejected: then nothing was written."""
    days: tuple[date, ...]
    rows: int
    replaced_days: int
    """Days that already had data and were replaced."""
    created_products: int
    rejected: tuple[RejectedRow, ...]
    ignored_columns: tuple[str, ...] = field(default_factory=tuple)


# --- reading the file into a table -------------------------------------------------------------


def read_table(path: Path) -> list[list[Any]]:
    """The rows of a CSV or XLSX file (first sheet), cells as they come."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise MetricsFileError(
            _("{path} is {size} MB; store data exports are far smaller").format(
                path=path, size=size // (1024 * 1024)
            )
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if path.suffix.lower() == ".xls":
        raise MetricsFileError(_("old .xls files are not read: save the export as .xlsx or CSV"))
    return read_csv_bytes(path.read_bytes())


def read_csv_bytes(data: bytes) -> list[list[Any]]:
    """A CSV export's rows; encoding and delimiter as the inquiry importer reads them."""
    text, _encoding = decode(data, ENCODING_HINTS)
    text = text.replace("\x00", "")
    lines = text.splitlines()
    if len(lines) > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise MetricsFileError(_("more than {n} rows: split the export").format(n=MAX_ROWS))
    # A title line above the header has no delimiter: sniff the header line's, trying each.
    first_choice = sniff_delimiter("\n".join(lines[:HEADER_SEARCH_ROWS]))
    tried: list[list[list[Any]]] = []
    for delimiter in (first_choice, *(d for d in DELIMITERS if d != first_choice)):
        rows: list[list[Any]] = [
            list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
        try:
            _find_header(rows)
        except MetricsFileError:
            tried.append(rows)
            continue
        return rows
    return tried[0] if tried else []


def _read_xlsx(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook  # heavy: only when an .xlsx is imported

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # not a zip, not a workbook, encrypted …
        raise MetricsFileError(
            _("{path} is not a readable .xlsx file: {error}").format(path=path, error=exc)
        ) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for i, row in enumerate(sheet.iter_rows(values_only=True)):
            if i >= MAX_ROWS + HEADER_SEARCH_ROWS:
                raise MetricsFileError(_("more than {n} rows: split the export").format(n=MAX_ROWS))
            rows.append(list(row))
        return rows
    finally:
        book.close()


# --- parsing ------------------------------------------------------------------------------------


def _find_header(table: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int], list[str]]:
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        ignored: list[str] = []
        for col, cell in enumerate(row):
            name = _LOOKUP.get(normalise_header(cell))
            if name is not None and name not in columns:
                columns[name] = col
            elif cell not in (None, "") and str(cell).strip():
                ignored.append(str(cell).strip())
        has_metric = any(f in columns for f in STORE_FIELDS)
        if has_metric and ("day" in columns or "product" in columns):
            return index, columns, ignored
    raise MetricsFileError(
        _(
            "no header row found: expected 日期 (date) or 产品名称 (product) and at least one of "
            "曝光 (exposure), 点击 (clicks), 询盘 (inquiries), TM咨询 (TM chats), 访客 (visitors)"
        )
    )


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_day(value: Any) -> date:
    """A day from a cell: a date/datetime, or text as YYYY-MM-DD, YYYY/MM/DD, YYYY年M月D日 or
    YYYYMMDD. Raises ValueError otherwise (day-first and month-first forms are ambiguous)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip() if value is not None else ""
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    raise ValueError(_("{value!r} is not a date (write it as YYYY-MM-DD)").format(value=text))


def parse_count(value: Any) -> int:
    """A non-negative whole number from a cell ("1,234", 1234, 1234.0, "-" for none)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ValueError(_("{value!r} is not a number").format(value=value))
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("{value!r} is not a number").format(value=value))
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(",", "").replace("，", "").replace(" ", "")
        if text.lower() in EMPTY_NUMBER:
            return 0
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("{value!r} is not a number").format(value=str(value))) from None
        if not number.is_finite():
            raise ValueError(_("{value!r} is not a number").format(value=str(value)))
    if number != number.to_integral_value():
        raise ValueError(_("{value!r} is not a whole number").format(value=str(value)))
    if number < 0:
        raise ValueError(_("{value!r} is negative").format(value=str(value)))
    if number > 10**12:
        raise ValueError(_("{value!r} is implausibly large").format(value=str(value)))
    return int(number)


def _cell(row: Sequence[Any], col: int | None) -> Any:
    if col is None or col >= len(row):
        return None
    return row[col]


def _is_blank(row: Sequence[Any]) -> bool:
    return all(c is None or not str(c).strip() for c in row)


def parse_metrics(
    table: Sequence[Sequence[Any]], today: date, day: date | None = None
) -> ParsedMetrics:
    """Rows of a store-data or product-data export, checked. `today` (the rep's) bounds the
    dates; `day` is the day of a product export that has no date column."""
    header_index, columns, ignored = _find_header(table)
    kind = MetricsKind.PRODUCT if "product" in columns else MetricsKind.STORE
    if "day" not in columns and day is None:
        raise MetricsFileError(
            _("the file has no date column (日期): give the day it covers with --day YYYY-MM-DD")
        )
    fields = PRODUCT_FIELDS if kind is MetricsKind.PRODUCT else STORE_FIELDS
    rejected: list[RejectedRow] = []
    store_days: list[StoreDay] = []
    product_days: list[ProductDay] = []
    seen: dict[tuple[date, str], int] = {}
    totals = 0
    for offset, row in enumerate(table[header_index + 1 :], start=header_index + 2):
        if _is_blank(row):
            continue
        first = normalise_header(_cell(row, columns.get("day", columns.get("product"))))
        if first in TOTAL_MARKERS or (row and normalise_header(row[0]) in TOTAL_MARKERS):
            totals += 1
            continue
        try:
            row_day = parse_day(_cell(row, columns["day"])) if "day" in columns else day
            if row_day is None:
                raise ValueError(_("no date"))
            if row_day > today:
                raise ValueError(_("{day} is in the future").format(day=row_day.isoformat()))
            counts = {}
            for f in fields:
                try:
                    counts[f] = parse_count(_cell(row, columns.get(f)))
                except ValueError as exc:
                    message = _("{column}: {error}")
                    raise ValueError(message.format(column=_(FIELD_LABELS[f]), error=exc)) from None
            if kind is MetricsKind.PRODUCT:
                name = " ".join(str(_cell(row, columns["product"]) or "").split())
                ref = " ".join(str(_cell(row, columns.get("product_id")) or "").split())
                if not name:
                    raise ValueError(_("the product name is empty"))
                if len(name) > MAX_NAME or len(ref) > MAX_NAME:
                    raise ValueError(_("the product name or id is longer than 255 characters"))
                key = (row_day, name.casefold())
            else:
                key = (row_day, "")
            if key in seen:
                raise ValueError(
                    _("{day} is already on line {line}").format(
                        day=row_day.isoformat(), line=seen[key]
                    )
                    if kind is MetricsKind.STORE
                    else _("this product and day are already on line {line}").format(line=seen[key])
                )
            seen[key] = offset
        except ValueError as exc:
            rejected.append(RejectedRow(offset, str(exc)))
            continue
        if kind is MetricsKind.PRODUCT:
            product_days.append(ProductDay(row_day, name, ref, **counts))
        else:
            store_days.append(StoreDay(row_day, **counts))
    if not rejected and not store_days and not product_days:
        raise MetricsFileError(_("the file has a header but no data rows"))
    return ParsedMetrics(
        kind=kind,
        store_days=tuple(store_days),
        product_days=tuple(product_days),
        rejected=tuple(rejected),
        ignored_columns=tuple(ignored),
        skipped_totals=totals,
    )


# --- writing ------------------------------------------------------------------------------------

_product_pk: Any = Product._meta.primary_key


def _product_ids(rows: Sequence[ProductDay], now: pendulum.DateTime) -> tuple[dict[str, int], int]:
    """Link each product name to the catalogue: by platform id (as SKU), then by name; a product
    the catalogue does not have yet is added, so its listing can be marked optimised."""
    ids: dict[str, int] = {}
    created = 0
    wanted: dict[str, ProductDay] = {}
    for r in rows:
        wanted.setdefault(r.name.casefold(), r)
    refs = sorted({r.product_ref for r in wanted.values() if r.product_ref})
    by_sku: dict[str, int] = {}
    for chunk in _chunks(refs, 500):
        query: Any = Product.select(_product_pk, Product.sku).where(Product.sku.in_(chunk))
        for found, sku in query.tuples():
            by_sku[str(sku)] = int(found)
    names = sorted({r.name for r in wanted.values()})
    by_name: dict[str, int] = {}
    for chunk in _chunks(names, 500):
        query = Product.select(_product_pk, Product.name).where(Product.name.in_(chunk))
        for found, name in query.tuples():
            by_name.setdefault(str(name).casefold(), int(found))
    for key, r in wanted.items():
        pid = by_sku.get(r.product_ref) if r.product_ref else None
        if pid is None:
            pid = by_name.get(key)
        if pid is None:
            sku = r.product_ref or f"platform:{r.name}"[:MAX_NAME]
            existing = Product.get_or_none(Product.sku == sku)
            if existing is not None:
                pid = int(existing.get_id())
            else:
                pid = int(
                    Product.create(sku=sku, name=r.name, created_at=now, updated_at=now).get_id()
                )
                created += 1
        ids[key] = pid
    return ids, created


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def write_metrics(parsed: ParsedMetrics, now: pendulum.DateTime) -> MetricsImportResult:
    """Replace the file's days with its rows, in one transaction. Nothing is written when any
    row was rejected."""
    days = parsed.days
    if parsed.rejected:
        return MetricsImportResult(
            parsed.kind, False, days, 0, 0, 0, parsed.rejected, parsed.ignored_columns
        )
    created = 0
    with database.connection_context(), database.atomic():
        if parsed.kind is MetricsKind.STORE:
            replaced = StoreMetrics.select().where(StoreMetrics.day.in_(days)).count()
            StoreMetrics.delete().where(StoreMetrics.day.in_(days)).execute()
            batch = [
                {
                    "day": r.day,
                    "exposure": r.exposure,
                    "clicks": r.clicks,
                    "inquiries": r.inquiries,
                    "tm_chats": r.tm_chats,
                    "visitors": r.visitors,
                    "created_at": now,
                    "updated_at": now,
                }
                for r in parsed.store_days
            ]
            for i in range(0, len(batch), 400):
                StoreMetrics.insert_many(batch[i : i + 400]).execute()
            rows = len(batch)
        else:
            replaced = (
                ProductMetrics.select(ProductMetrics.day)
                .where(ProductMetrics.day.in_(days))
                .distinct()
                .count()
            )
            ProductMetrics.delete().where(ProductMetrics.day.in_(days)).execute()
            ids, created = _product_ids(parsed.product_days, now)
            batch = [
                {
                    "day": r.day,
                    "product": ids[r.name.casefold()],
                    "product_name": r.name,
                    "exposure": r.exposure,
                    "clicks": r.clicks,
                    "inquiries": r.inquiries,
                    "created_at": now,
                    "updated_at": now,
                }
                for r in parsed.product_days
            ]
            for i in range(0, len(batch), 400):
                ProductMetrics.insert_many(batch[i : i + 400]).execute()
            rows = len(batch)
    return MetricsImportResult(
        parsed.kind, True, days, rows, replaced, created, (), parsed.ignored_columns
    )


def import_metrics(
    path: Path, now: pendulum.DateTime, rep_zone: str, day: date | None = None
) -> MetricsImportResult:
    """Read, check and (when every row is good) store one export file."""
    today = pendulum.instance(now).in_timezone(rep_zone).date()
    table = read_table(path)
    parsed = parse_metrics(table, date(today.year, today.month, today.day), day)
    return write_metrics(parsed, now)
