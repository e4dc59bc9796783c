"""CSV in: bytes to text (encoding detected), the delimiter sniffed, headers mapped to fields.

Generic on purpose: the inquiry importer gives its own header aliases, and later importers
(customers, store metrics) can give theirs.

Encodings: a BOM first (UTF-8, UTF-16); then strict UTF-8; then GB18030 and Windows-1252 /
Latin-1, and when both decode, charset-normalizer decides (Chinese Excel saves GBK; Western Excel
saves Windows-1252; both decode almost any bytes, so the bytes alone must tell).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from sopdesk.i18n import _

DELIMITERS = (",", ";", "\t", "|")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_GB_FAMILY = frozenset({"gb18030", "gb2312", "gbk", "hz"})


class SheetError(ValueError):
    """The file as a whole cannot be read as a table; the message says why."""


def decode(data: bytes, hints: tuple[str, ...] = ()) -> tuple[str, str]:
    """(text, encoding name). `hints` are words (e.g. Chinese headers) that favour GB18030."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", " with BOM")
            except UnicodeDecodeError as exc:
                message = _("the file starts with a BOM but is not {encoding}: {error}")
                raise SheetError(message.format(encoding=encoding, error=exc)) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    western = "cp1252"
    try:
        western_text = data.decode(western)
    except UnicodeDecodeError:
        western, western_text = "latin-1", data.decode("latin-1")
    try:
        chinese_text = data.decode("gb18030")
    except UnicodeDecodeError:
        return western_text, western
    if _looks_chinese(data, chinese_text, hints):
        return chinese_text, "gb18030"
    return western_text, western


def _looks_chinese(data: bytes, text: str, hints: tuple[str, ...]) -> bool:
    head = text[:2000]
    if any(hint in head for hint in hints):
        return True
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536], cp_isolation=["gb18030", "cp1252", "latin_1"]).best()
    if best is not None:
        return best.encoding in _GB_FAMILY
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk > 0 and cjk >= sum(1 for ch in text if ord(ch) > 127) * 0.8


def sniff_delimiter(text: str) -> str:
    """The delimiter of the first non-empty line (outside quotes), "," when none is there."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_key(text: str) -> str:
    """A header cell reduced for matching: "E-Mail *", "email" and "电子 邮箱" style variants."""
    text = unicodedata.normalize("NFKC", text).replace("\ufeff", "").replace("\u200b", "")
    text = re.sub(r"[\s_\-/.:()\[\]*#（）：]+", " ", text.casefold())
    return text.strip()


@dataclass(frozen=True)
class Sheet:
    encoding: str
    delimiter: str
    header_line: int
    columns: dict[str, int]
    """Field name → column index (the first column that maps to it)."""
    ignored: tuple[str, ...]
    """Header cells that map to no field (or to a field an earlier column already has)."""
    width: int
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    """(line number where the record starts, cells); blank records left out."""
    errors: tuple[tuple[int, str], ...] = field(default=())
    """(line number, why) for records the CSV reader could not read."""


def _records(
    text: str, delimiter: str
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    errors: list[tuple[int, str]] = []
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append((start, _("unreadable CSV record: {error}").format(error=exc)))
        else:
            if any(cell.strip() for cell in record):
                records.append((start, record))
        start = reader.line_num + 1
    return records, errors


def read_sheet(data: bytes, aliases: Mapping[str, str], hints: tuple[str, ...] = ()) -> Sheet:
    """Read a CSV whose first non-blank record is its header; `aliases` maps header keys (see
    `header_key`) to field names. Raises SheetError when no header cell is recognised."""
    if not data.strip():
        raise SheetError(_("the file is empty"))
    text, encoding = decode(data, hints)
    text = text.replace("\x00", "")
    delimiter = sniff_delimiter(text)
    records, errors = _records(text, delimiter)
    header_errors = [e for e in errors if not records or e[0] < records[0][0]]
    if not records:
        raise SheetError(header_errors[0][1] if header_errors else _("the file has no rows"))
    header_line, header = records[0]
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        name = aliases.get(header_key(cell))
        if name is None or name in columns:
            if cell.strip():
                ignored.append(cell.strip())
            continue
        columns[name] = index
    if not columns:
        raise SheetError(
            _("no recognised column headers in line {line} (is the header row missing?)").format(
                line=header_line
            )
        )
    return Sheet(
        encoding=encoding,
        delimiter=delimiter,
        header_line=header_line,
        columns=columns,
        ignored=tuple(ignored),
        width=len(header),
        rows=tuple((line, tuple(cells)) for line, cells in records[1:]),
        errors=tuple(e for e in errors if e not in header_errors),
    )
