"""E-mail in: `.eml` and `.mbox` files to inquiries, robust to the mail people really send.

- Parsed with `email` and `policy.default`; when that raises on a broken message, parsed again with
  `compat32`. Headers are decoded here, not by the policy: encoded words in unknown or lying
  charsets, raw 8-bit bytes (RFC 6532 UTF-8, or Latin-1) all become text, never an exception.
- The body is the first text/plain part that is not an attachment, else the first text/html part
  turned into text (tags, scripts and styles dropped; nothing is ever fetched).
- A charset is trusted only as far as the bytes agree: the declared one, then UTF-8, then its
  usual superset (GB2312 → GB18030, ISO-8859-1 → Windows-1252 …), then a guess by
  charset-normalizer, then Latin-1 (which always decodes).
- The sender is the address in angle brackets; a display name that is itself an address is
  dropped with a warning (a spoofing shape). A message without a sender address is rejected.
- No usable Date: the import time is used and the report says so (the duplicate check then
  ignores the time, so importing the file again still finds the duplicate).
- mbox: a "From " line separates messages only when it follows a blank line (or starts the file),
  looks like a real From_ line (an address and an asctime date) and is followed by a header, so a
  body line such as "From time to time" stays in the body. ">From " lines are unescaped.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

import pendulum

from sopdesk.i18n import _
from sopdesk.sop.intake import FUTURE_TOLERANCE_MINUTES, clean_text, one_line

MAX_RAW_SOURCE = 2 * 1024 * 1024
"""Bytes of a message's source kept with its inquiry; larger sources keep their headers only."""

_CHARSET_ALIASES = {
    "ks_c_5601-1987": "cp949", "ks_c_5601": "cp949", "x-gbk": "gbk", "utf8": "utf-8",
    "unicode-1-1-utf-7": "utf-7", "iso-8859-8-i": "iso-8859-8", "x-mac-roman": "mac_roman",
    "windows-874": "cp874", "x-sjis": "cp932", "shift-jis": "cp932",
}  # fmt: skip
_SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "iso8859_1": "cp1252", "ascii": "cp1252",
    "shift_jis": "cp932", "euc_kr": "cp949", "big5": "big5hkscs", "iso8859_9": "cp1254",
    "iso8859_11": "cp874", "tis_620": "cp874",
}  # fmt: skip
_NOT_TEXT = frozenset({"unicode_escape", "raw_unicode_escape", "undefined", "idna", "punycode"})


def _codec(charset: str | None) -> str | None:
    """The Python codec for a MIME charset name, or None when unknown or not a text encoding."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    codec = info.name.replace("-", "_")
    if codec in _NOT_TEXT or not getattr(info, "_is_text_encoding", True):
        return None
    return codec


_SEVEN_BIT = ("utf_7", "iso2022", "hz", "utf_16", "utf_32")
"""Codecs whose text can be pure ASCII bytes (ISO-2022-JP has ESC sequences): try them first."""


def decode_bytes(data: bytes, charset: str | None = None, *, guess: bool = True) -> str:
    """Text from bytes in a declared (possibly wrong or unknown) charset; never raises.

    Valid UTF-8 wins over a declared single-byte charset (the commonest lie); a guess by
    charset-normalizer comes before Windows-1252 only when `guess` (too few bytes mislead it).
    """
    declared = _codec(charset)
    candidates: list[str] = []
    if declared and declared.startswith(_SEVEN_BIT):
        candidates.append(declared)
    elif data.isascii():
        return data.decode("ascii")
    candidates.append("utf-8")
    if declared in _SUPERSETS:
        candidates.append(_SUPERSETS[declared])
    if declared:
        candidates.append(declared)
    for codec in candidates:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    last_resort = [_guess(data) if guess else None, "cp1252"]
    for fallback in last_resort:
        if fallback:
            try:
                return data.decode(fallback)
            except (UnicodeDecodeError, LookupError):
                continue
    return data.decode(declared or "latin-1", errors="replace")


def _guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    return _codec(best.encoding) if best is not None else None


def decode_header_value(raw: str, hint: str | None = None) -> str:
    """A header value as text: encoded words decoded; raw 8-bit bytes read as UTF-8, else in the
    body's charset (`hint`), else guessed."""
    if any("\udc80" <= ch <= "\udcff" for ch in raw):  # raw bytes the parser kept as surrogates
        data = raw.encode("utf-8", "surrogateescape")
        raw = decode_bytes(data, hint, guess=sum(b > 127 for b in data) >= 16)
    try:
        chunks = decode_header(raw)
    except Exception:  # a broken encoded word: keep the text as it came
        return one_line(raw)
    parts = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            parts.append(decode_bytes(chunk, charset))
        else:
            parts.append(chunk)
    return one_line("".join(parts))


class _TextFromHtml(HTMLParser):
    _SKIP = frozenset({"script", "style", "head", "title", "template", "noscript"})
    _BREAK = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "blockquote", "pre", "table", "hr", "section", "article"})  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable text from HTML: tags, scripts and styles dropped, blocks on their own lines."""
    parser = _TextFromHtml()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient, but never let a page stop an import
        return re.sub(r"<[^>]*>", " ", html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@dataclass(frozen=True)
class ParsedMail:
    """What an inquiry needs from one message, or why it cannot be one."""

    sender_name: str = ""
    sender_email: str = ""
    subject: str = ""
    body: str = ""
    message_id: str | None = None
    sent_at: pendulum.DateTime | None = None
    raw_source: str = ""
    reason: str = ""
    """Set when the message cannot become an inquiry."""
    warnings: tuple[str, ...] = ()


def _raw_header(msg: Message, name: str) -> str:
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return ""


def _sender(raw: str) -> tuple[str, str]:
    """(display name, address) of a From header; the address in <…> wins."""
    if raw.count("<") == 1 and (match := re.match(r"^(.*)<([^<>]*)>[^<>]*$", raw.strip(), re.S)):
        name, address = match.group(1).strip(), match.group(2).strip()
        if len(name) >= 2 and name[0] == name[-1] == '"':
            name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        return name, address
    pairs = [p for p in getaddresses([raw]) if any(p)]
    return pairs[0] if pairs else ("", raw.strip())


def _is_attachment(part: Message) -> bool:
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    return disposition == "attachment" or bool(part.get_param("name") and disposition != "inline")


def _body(msg: Message) -> tuple[str, list[str]]:
    plain: Message | None = None
    html: Message | None = None
    for part in msg.walk():
        if part.is_multipart() or _is_attachment(part):
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = part
        elif kind == "text/html" and html is None:
            html = part
    warnings: list[str] = []
    chosen = plain or html
    if chosen is None:
        return "", [_("the message has no text part")]
    payload = chosen.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else str(payload or "").encode("utf-8", "replace")
    text = decode_bytes(data, chosen.get_content_charset())
    if chosen is html:
        text = html_to_text(text)
        warnings.append(_("HTML-only message: the text was taken from the HTML"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return clean_text(text).strip(), warnings


def _sent_at(raw: str, now: pendulum.DateTime) -> tuple[pendulum.DateTime | None, list[str]]:
    if not raw.strip():
        return None, [_("no Date header: the import time is used")]
    try:
        value: datetime | None = parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        value = None
    if value is None:
        return None, [
            _("unreadable Date {value!r}: the import time is used").format(value=one_line(raw))
        ]
    if value.tzinfo is None:  # "-0000": UTC, sender's zone unknown
        value = value.replace(tzinfo=pendulum.UTC)
    at = pendulum.instance(value).in_timezone("UTC")
    if at > now.add(minutes=FUTURE_TOLERANCE_MINUTES):
        return None, [
            _("Date {value!r} is in the future: the import time is used").format(
                value=one_line(raw)
            )
        ]
    return at, []


def _raw_source(data: bytes) -> tuple[str, list[str]]:
    warnings = []
    if len(data) > MAX_RAW_SOURCE:
        head, _sep, _rest = data.partition(b"\n\n")
        data = head[:MAX_RAW_SOURCE]
        warnings.append(_("large message: only its headers are kept as the source"))
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError:
        return data.decode("latin-1"), warnings  # every byte kept, one character each


def _extract(data: bytes, msg: Message, now: pendulum.DateTime) -> ParsedMail:
    warnings: list[str] = []
    hint = next((p.get_content_charset() for p in msg.walk() if p.get_content_charset()), None)
    name, address = _sender(_raw_header(msg, "From"))
    name = decode_header_value(name, hint)
    address = decode_header_value(address, hint)
    if "@" in name and name.strip("'\" ").lower() != address.lower():
        warnings.append(
            _("the sender's display name {name!r} is an address other than {address!r}").format(
                name=name, address=address
            )
        )
        name = ""
    elif "@" in name:
        name = ""
    subject = decode_header_value(_raw_header(msg, "Subject"), hint)
    message_id = one_line(_raw_header(msg, "Message-ID")).strip("<> ") or None
    sent_at, date_warnings = _sent_at(decode_header_value(_raw_header(msg, "Date")), now)
    body, body_warnings = _body(msg)
    raw_source, raw_warnings = _raw_source(data)
    warnings += date_warnings + body_warnings + raw_warnings
    reason = ""
    if "@" not in address:
        reason = _("no sender address in From")
    elif not subject and not body:
        reason = _("no subject and no text")
    return ParsedMail(
        sender_name=name,
        sender_email=address,
        subject=subject,
        body=body,
        message_id=message_id,
        sent_at=sent_at,
        raw_source=raw_source,
        reason=reason,
        warnings=tuple(warnings),
    )


def parse_message(data: bytes, now: pendulum.DateTime) -> ParsedMail:
    """One message's bytes to what an inquiry needs; never raises."""
    if not data.strip():
        return ParsedMail(reason=_("empty message"))
    try:
        return _extract(data, message_from_bytes(data, policy=policy.default), now)
    except Exception:
        pass
    try:
        parsed = _extract(data, message_from_bytes(data, policy=policy.compat32), now)
    except Exception as exc:
        return ParsedMail(reason=_("cannot parse the message: {error}").format(error=exc))
    return parsed


_ASCTIME = re.compile(
    rb"^From \S+\s+.*\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,?\s+.*\b\d{1,2}:\d{2}(?::\d{2})?\b.*\b\d{4}\b"
)
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")
_ESCAPED_FROM = re.compile(rb"^>(>*From )")


def split_mbox(data: bytes) -> list[tuple[int, bytes]] | None:
    """The messages of an mbox as (line number of its From_ line, bytes); None if not an mbox."""
    lines = data.splitlines(keepends=True)
    starts: list[int] = []
    for index, line in enumerate(lines):
        if not line.startswith(b"From "):
            continue
        after_blank = index == 0 or not lines[index - 1].strip()
        next_is_header = index + 1 < len(lines) and bool(_HEADER_LINE.match(lines[index + 1]))
        if after_blank and next_is_header and _ASCTIME.match(line.rstrip(b"\r\n")):
            starts.append(index)
    first_text = next((i for i, line in enumerate(lines) if line.strip()), None)
    if not starts or first_text is None or starts[0] != first_text:
        return None
    messages = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        body = [_ESCAPED_FROM.sub(rb"\1", line) for line in lines[start + 1 : end]]
        messages.append((start + 1, b"".join(body)))
    return messages
