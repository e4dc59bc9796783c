"""`sopdesk import inquiries`: .eml, .mbox and .csv files to inquiries, one transaction per file.

Every item (CSV row, message) is either imported, a duplicate (same Message-ID, or same content:
nothing is added), or rejected with its line or message number and the reason. A file with a
rejected item writes nothing unless `skip_bad`; `dry_run` runs everything (linking, numbering)
inside a transaction that is rolled back. Mail is read by `mail.py` (channel: e-mail).

CSV columns (the first non-blank row is the header; case, spaces, "_", "-" do not count; the
delimiter , ; tab or | is sniffed; the encoding (UTF-8 with or without BOM, GB18030/GBK, Latin-1 /
Windows-1252) is detected). Also in docs/import-inquiries.md:

| field | English headers | 中文表头 |
|---|---|---|
| name | name, buyer, buyer name, contact, contact name, customer name, full name (or first name + last name) | 客户姓名, 姓名, 联系人, 买家, 买家姓名, 客户 |
| company | company, company name, organisation, organization, business | 公司, 公司名称, 客户公司, 单位 |
| email | email, e-mail, email address, mail | 邮箱, 电子邮箱, 电子邮件, 邮件, 邮箱地址 |
| phone | phone, phone number, tel, telephone, mobile, whatsapp, phone/whatsapp | 电话, 手机, 联系电话, 手机号, 电话/WhatsApp |
| country | country, country/region, nation | 国家, 国家/地区, 国家地区 |
| channel | channel, source | 渠道, 来源 |
| products | product, products, product name, item | 产品, 产品名称, 商品 |
| quantity | quantity, qty, order quantity | 数量, 采购量, 采购数量 |
| port | port, destination port, destination | 目的港, 港口 |
| subject | subject, title | 主题, 标题 |
| message | message, inquiry, enquiry, content, body, text, inquiry content | 留言, 内容, 询盘内容, 消息 |
| received | time, received, received at, received time, date, datetime | 时间, 日期, 询盘时间, 收到时间, 接收时间 |
| message_id | message id, inquiry id | 询盘编号, 询盘ID |

A message (or subject) column and a column saying who the buyer is are required; other columns
are ignored (and named in the report). An empty time means the import time; the day/month order
of dates such as 05/11/2026 is decided for the whole column. Channel defaults to "other". An
unknown country or a phone number mangled by Excel (-3769) is left out with a warning, not
rejected; a bad e-mail, an unreadable or future time, an unknown channel or surplus cells reject
the row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pendulum

from sopdesk import clock
from sopdesk.i18n import N_, _
from sopdesk.services.capture import CaptureError, CaptureResult, InquiryInput, capture_many
from sopdesk.services.importers import FileReport, ItemReport, ItemStatus
from sopdesk.services.importers import mail as mail_parser
from sopdesk.services.importers.sheets import Sheet, SheetError, header_key, read_sheet
from sopdesk.sop.intake import parse_channel, parse_received_time, slashed_date_order
from sopdesk.sop.stages import Channel
from sopdesk.store.db import database

SUPPORTED = {".eml": "eml", ".mbox": "mbox", ".mbx": "mbox", ".csv": "csv"}
MAX_FILE_BYTES = 256 * 1024 * 1024
DEFAULT_CHANNEL = Channel.OTHER

_HEADERS = {
    "name": "name|buyer|buyer name|contact|contact name|contact person|customer name|full name|"
    "客户姓名|姓名|联系人|买家|买家姓名|客户",
    "first_name": "first name|firstname|given name|名",
    "last_name": "last name|lastname|surname|family name|姓",
    "company": "company|company name|organisation|organization|business|公司|公司名称|客户公司|单位",
    "email": "email|e-mail|email address|e-mail address|mail|邮箱|电子邮箱|电子邮件|邮件|邮箱地址",
    "phone": "phone|phone number|tel|telephone|mobile|whatsapp|phone/whatsapp|phone 1|"
    "电话|手机|联系电话|手机号|电话/whatsapp",
    "country": "country|country/region|nation|国家|国家/地区|国家地区",
    "channel": "channel|source|渠道|来源",
    "products": "product|products|product name|item|产品|产品名称|商品",
    "quantity": "quantity|qty|order quantity|数量|采购量|采购数量",
    "port": "port|destination port|destination|目的港|港口",
    "subject": "subject|title|主题|标题",
    "message": "message|inquiry|enquiry|content|body|text|inquiry content|留言|内容|询盘内容|消息",
    "received": "time|received|received at|received time|date|datetime|"
    "时间|日期|询盘时间|收到时间|接收时间",
    "message_id": "message id|message-id|inquiry id|询盘编号|询盘id",
}
ALIASES: dict[str, str] = {
    header_key(name): field for field, names in _HEADERS.items() for name in names.split("|")
}
_CHINESE_HINTS = ("客户", "姓名", "公司", "邮箱", "国家", "产品", "数量", "留言", "时间")
FIELD_LABELS = {
    "buyer_name": N_("Buyer"),
    "company": N_("Company"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "country": N_("Country"),
    "channel": N_("Channel"),
    "received_at": N_("Received"),
    "subject": N_("Subject"),
    "message": N_("Message"),
    "message_id": N_("Message-ID"),
    "products": N_("Products"),
    "quantity": N_("Quantity"),
    "port": N_("Port"),
}
"""The inquiry's fields as a rejected item's reason names them ("E-mail: … is not an address")."""


@dataclass(frozen=True)
class _Parsed:
    number: int
    where: str
    data: InquiryInput | None = None
    reason: str = ""
    warnings: tuple[str, ...] = ()


class _FileRejectedError(Exception):
    pass


# --- mail ---------------------------------------------------------------------------------------


def _from_mail(number: int, where: str, raw: bytes, now: pendulum.DateTime) -> _Parsed:
    parsed = mail_parser.parse_message(raw, now)
    if parsed.reason:
        return _Parsed(number, where, reason=parsed.reason, warnings=parsed.warnings)
    data = InquiryInput(
        channel=Channel.EMAIL,
        received_at=parsed.sent_at or now,
        received_at_known=parsed.sent_at is not None,
        buyer_name=parsed.sender_name,
        email=parsed.sender_email,
        subject=parsed.subject,
        message=parsed.body,
        message_id=parsed.message_id,
        raw_source=parsed.raw_source,
    )
    return _Parsed(number, where, data=data, warnings=parsed.warnings)


def _mail_items(kind: str, data: bytes, now: pendulum.DateTime) -> list[_Parsed]:
    if kind == "eml":
        return [_from_mail(1, _("message 1"), data, now)]
    messages = mail_parser.split_mbox(data)
    if messages is None:
        raise _FileRejectedError(_("not an mbox file: it does not start with a 'From ' line"))
    return [
        _from_mail(n, _("message {n} (line {line})").format(n=n, line=line), raw, now)
        for n, (line, raw) in enumerate(messages, start=1)
    ]


# --- CSV ----------------------------------------------------------------------------------------


def _date_order(sheet: Sheet) -> str | None:
    index = sheet.columns.get("received")
    if index is None:
        return None
    orders = {slashed_date_order(cells[index]) for _line, cells in sheet.rows if index < len(cells)}
    orders.discard(None)
    return orders.pop() if len(orders) == 1 else None


def _from_row(
    line: int,
    cells: tuple[str, ...],
    sheet: Sheet,
    now: pendulum.DateTime,
    rep_zone: str,
    date_order: str | None,
) -> _Parsed:
    where = _("line {n}").format(n=line)
    extra = [c for c in cells[sheet.width :] if c.strip()]
    if extra:
        reason = _("{count} fields, but the header has {width}").format(
            count=len(cells), width=sheet.width
        )
        return _Parsed(line, where, reason=reason)

    def cell(name: str) -> str:
        index = sheet.columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    try:
        channel = parse_channel(cell("channel")) if cell("channel") else DEFAULT_CHANNEL
    except ValueError as exc:
        return _Parsed(line, where, reason=_("channel: {error}").format(error=exc))
    try:
        received = parse_received_time(cell("received"), now, rep_zone, date_order)
    except ValueError as exc:
        return _Parsed(line, where, reason=_("time: {error}").format(error=exc))
    name = cell("name") or " ".join(p for p in (cell("first_name"), cell("last_name")) if p)
    data = InquiryInput(
        channel=channel,
        received_at=received,
        received_at_known=bool(cell("received")),
        buyer_name=name,
        company=cell("company"),
        email=cell("email"),
        phone=cell("phone"),
        country=cell("country"),
        products=cell("products"),
        quantity=cell("quantity"),
        port=cell("port"),
        subject=cell("subject"),
        message=cell("message"),
        message_id=cell("message_id") or None,
    )
    return _Parsed(line, where, data=data)


def _csv_items(
    data: bytes, now: pendulum.DateTime, rep_zone: str
) -> tuple[list[_Parsed], list[str]]:
    try:
        sheet = read_sheet(data, ALIASES, _CHINESE_HINTS)
    except SheetError as exc:
        raise _FileRejectedError(str(exc)) from exc
    columns = set(sheet.columns)
    if not columns & {"message", "subject"}:
        raise _FileRejectedError(
            _("no message column (message, 留言 …); see docs/import-inquiries.md")
        )
    if not columns & {"name", "first_name", "last_name", "company", "email", "phone"}:
        raise _FileRejectedError(
            _("no column saying who the buyer is (name, company, e-mail, phone)")
        )
    delimiter = {"\t": "tab"}.get(sheet.delimiter, sheet.delimiter)
    notes = [
        _("encoding {encoding}, delimiter {delimiter!r}").format(
            encoding=sheet.encoding, delimiter=delimiter
        )
    ]
    if sheet.ignored:
        notes.append(_("columns ignored: {names}").format(names=", ".join(sheet.ignored)))
    order = _date_order(sheet)
    items = [_from_row(line, cells, sheet, now, rep_zone, order) for line, cells in sheet.rows]
    items += [_Parsed(line, _("line {n}").format(n=line), reason=why) for line, why in sheet.errors]
    items.sort(key=lambda item: item.number)
    return items, notes


# --- one file, many files -----------------------------------------------------------------------


def _report(item: _Parsed, outcome: CaptureResult | CaptureError | None) -> ItemReport:
    if outcome is None or isinstance(outcome, CaptureError):
        reason = item.reason
        if isinstance(outcome, CaptureError):
            label = FIELD_LABELS.get(outcome.field)
            column = _(label) if label is not None else outcome.field
            reason = _("{column}: {error}").format(column=column, error=outcome.message)
        return ItemReport(
            item.number, item.where, ItemStatus.REJECTED, reason=reason, warnings=item.warnings
        )
    return ItemReport(
        item.number,
        item.where,
        ItemStatus.DUPLICATE if outcome.duplicate else ItemStatus.IMPORTED,
        customer_code=outcome.customer_code,
        created_customer=outcome.created_customer,
        linked_by=outcome.linked_by,
        warnings=item.warnings + outcome.warnings,
    )


def _import_one(path: Path, skip_bad: bool, owner_id: int | None, rep_zone: str,
                now: pendulum.DateTime) -> FileReport:  # fmt: skip
    kind = SUPPORTED.get(path.suffix.lower(), "")
    if not kind:
        return FileReport(path, "", error=_("unsupported file type (use .eml, .mbox or .csv)"))
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _FileRejectedError(_("the file is larger than 256 MiB"))
        data = path.read_bytes()
        if kind == "csv":
            items, notes = _csv_items(data, now, rep_zone)
        else:
            items, notes = _mail_items(kind, data, now), []
    except OSError as exc:
        return FileReport(path, kind, error=exc.strerror or str(exc))
    except _FileRejectedError as exc:
        return FileReport(path, kind, error=str(exc))
    parse_rejected = any(item.data is None for item in items)
    batch = capture_many(
        (item.data for item in items if item.data is not None),
        owner_id,
        keep_going=skip_bad,
        dry_run=parse_rejected and not skip_bad,
    )
    outcomes = iter(batch.outcomes)
    reports = [_report(item, next(outcomes) if item.data is not None else None) for item in items]
    return FileReport(
        path, kind, tuple(reports), committed=batch.committed and bool(items), notes=tuple(notes)
    )


def import_inquiries(
    paths: Iterable[Path],
    *,
    skip_bad: bool = False,
    dry_run: bool = False,
    owner_id: int | None = None,
    rep_zone: str = "Asia/Shanghai",
    now: pendulum.DateTime | None = None,
) -> Sequence[FileReport]:
    """Import each file in its own transaction, in order; never raises for what a file holds.

    A dry run imports them all the same way inside one outer transaction that is rolled back at
    the end, so its customer numbers and duplicates are what the real run would give.
    """
    now = now or clock.now()
    if not dry_run:
        return [_import_one(path, skip_bad, owner_id, rep_zone, now) for path in paths]
    with database.connection_context(), database.atomic() as outer:
        reports = [_import_one(path, skip_bad, owner_id, rep_zone, now) for path in paths]
        outer.rollback()
    return [replace(report, dry_run=True) for report in reports]


def import_file(
    path: Path,
    *,
    skip_bad: bool = False,
    dry_run: bool = False,
    owner_id: int | None = None,
    rep_zone: str = "Asia/Shanghai",
    now: pendulum.DateTime | None = None,
) -> FileReport:
    """Import one file in one transaction (see `import_inquiries`)."""
    reports = import_inquiries(
        [path], skip_bad=skip_bad, dry_run=dry_run, owner_id=owner_id, rep_zone=rep_zone, now=now
    )
    return reports[0]


__all__ = ["ALIASES", "DEFAULT_CHANNEL", "SUPPORTED", "import_file", "import_inquiries"]
