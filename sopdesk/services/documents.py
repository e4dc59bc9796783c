"""The Proforma Invoice as a document: HTML (from Jinja templates), PDF and XLSX.

`build(quote_id, settings)` gathers one frozen `PiDocument` — seller and buyer blocks, the lines
with their photos, the terms, the validity, the bank details from the settings — and every format
is drawn from it:

- HTML: `templates/documents/pi.html.j2` (extending `base.html.j2`, with the blocks in
  `includes/`), rendered in a sandbox with autoescaping on: a buyer called `<script>` prints as
  text. A rep's own `templates/documents/` in the config dir overrides any of those files.
- PDF: drawn with fpdf2 in DejaVu Sans (bundled under sopdesk/fonts: Latin, Cyrillic, Greek,
  Arabic — shaped right-to-left with HarfBuzz), falling back to the bundled WenQuanYi Micro Hei
  subset for Chinese, Japanese and Korean (GB 2312, Big5, JIS X 0208, KS X 1001; see
  sopdesk/fonts/README.md). A character neither has is looked for in `$SOPDESK_PDF_FONT` and the
  system's fonts (fontconfig); one no font has prints as "�" and is reported.
- XLSX: one sheet with the same blocks, quantities and prices as numbers and the amounts as
  formulas, for reps who finish the PI in Excel; product photos are embedded as pictures.

Product photos (`load_photos`, done once per export): a local file is read, an http(s) link is
fetched (5 s, 5 MB at most); only a real PNG, JPEG, GIF or WebP picture (checked by Pillow) is
used, scaled down to a thumbnail. The HTML shows every photo it read as a data: URI (the page
stands alone) and a link it did not fetch as `<img src>`; PDF and XLSX embed the picture. Any
other scheme (`javascript:`, `data:` …) is never a source. A photo that cannot be used is printed as its link text and
reported — it never stops the export.

Output paths are checked (`safe_output_path`): the file is written exactly where it was named,
inside the directory it names — a name with a path in it, a symlink, or an existing file without
`force` is refused — and written to a temporary file first, so a failed export leaves nothing.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import pendulum

from sopdesk import locations
from sopdesk.config import Settings
from sopdesk.i18n import _
from sopdesk.services import quotes
from sopdesk.sop import money
from sopdesk.sop import quotes as quote_rules
from sopdesk.store.db import database
from sopdesk.store.models import Contact

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR_FONT = FONT_DIR / "DejaVuSans.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"
CJK_FONT = FONT_DIR / "WenQuanYiMicroHei-subset.ttf"
"""Chinese, Japanese and Korean: a subset of WenQuanYi Micro Hei (.ci/build-cjk-font.py)."""
CJK_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)
"""Where fonts with rare CJK characters live on common systems (after $SOPDESK_PDF_FONT and
fontconfig), for characters the bundled fonts lack."""
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
MAX_FONT_LOOKUPS = 16
"""At most this many missing characters are looked up with fc-match per PDF."""
MAX_SYSTEM_FONTS = 4
MISSING = "\ufffd"
SUFFIXES = {"html": ".html", "pdf": ".pdf", "xlsx": ".xlsx"}
PHOTO_TIMEOUT = 5.0
"""Seconds a photo download may take (connecting, and reading the whole picture)."""
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 50_000_000
PHOTO_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
PHOTO_SIZE = 480
"""Photos are scaled to fit this many pixels (a 22 mm PDF cell, a 70 px HTML thumbnail)."""
PHOTO_TALLEST = 1.5
"""A photo taller than this times its width is padded, so it cannot stretch a table row."""
PHOTO_FETCHERS = 6
XLSX_PHOTO_PX = 72
"""A photo in the workbook fits a square of this many pixels (its row grows to hold it)."""
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"
"""RFC 3986 reserved and unmarked characters (and %): everything else in a link is %-encoded."""


class DocumentError(Exception):
    """The document cannot be made or written; the message says why (in the UI language)."""


class OutputPathError(DocumentError):
    """The output path is refused (exists without force, outside its directory, a symlink …)."""


# --- the document ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    title: str
    name: str
    lines: tuple[str, ...]
    """Address, contact, country, e-mail, phone — whatever is known, one per line."""


@dataclass(frozen=True)
class Photo:
    """A product photo as read for the document: a thumbnail, or why there is none."""

    data: bytes = b""
    """JPEG or PNG, at most PHOTO_SIZE pixels a side; b"" when not used."""
    mime: str = ""
    width: int = 0
    height: int = 0
    problem: str = ""
    """Why the photo is not embedded ("" when it is, or when a link was not fetched)."""

    @property
    def data_uri(self) -> str:
        if not self.data:
            return ""
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass(frozen=True)
class PiLine:
    no: int
    sku: str
    description: str
    photo: str
    """As given: a link or a file path ("" when none)."""
    photo_url: str
    """An http(s) link, %-encoded where needed ("" for a file or an unusable link)."""
    photo_file: str
    """An existing local file ("" otherwise)."""
    quantity: Decimal
    quantity_text: str
    unit: str
    unit_price: Decimal
    unit_price_text: str
    amount: Decimal
    amount_text: str
    picture: Photo | None = None
    """The photo as read by `load_photos` (None before)."""

    @property
    def photo_src(self) -> str:
        """For HTML `<img src>`: the photo as read (fetched or local) as a data: URI, so the
        page stands alone when e-mailed; the link when it was not fetched; a file:// URI for a
        local file not read yet; "" when there is nothing safe to show."""
        if self.picture is not None and self.picture.problem:
            return ""
        if self.picture is not None and self.picture.data:
            return self.picture.data_uri
        if self.photo_url:
            return self.photo_url
        return Path(self.photo_file).as_uri() if self.photo_file else ""

    @property
    def photo_link(self) -> str:
        """For HTML `<a href>`: the http(s) link of a photo that is not shown, else ""."""
        return self.photo_url if self.photo_url and not self.photo_src else ""


@dataclass(frozen=True)
class Bank:
    beneficiary: str
    address: str
    bank_name: str
    bank_address: str
    account_number: str
    swift: str
    note: str

    @property
    def filled(self) -> bool:
        return bool(self.bank_name or self.account_number or self.swift)


@dataclass(frozen=True)
class PiDocument:
    quote_id: int
    number: str
    label: str
    revision: int
    status: str
    issued_on: date
    valid_until: date | None
    currency: str
    digits: int
    """The currency's minor-unit digits (JPY 0, USD 2, KWD 3)."""
    incoterm: str
    port: str
    port_role: str
    payment_terms: str
    lead_time: str
    packing: str
    notes: str
    seller: Party
    buyer: Party
    lines: tuple[PiLine, ...]
    total: Decimal
    total_text: str
    bank: Bank
    rep_name: str
    rep_title: str
    rep_email: str
    rep_whatsapp: str
    website: str
    warnings: tuple[str, ...] = field(default=())
    """What the reader should know about the document (photos that could not be used)."""
    photos_loaded: bool = False

    @property
    def issued_text(self) -> str:
        return _day_text(self.issued_on)

    @property
    def valid_text(self) -> str:
        return _day_text(self.valid_until) if self.valid_until else ""

    @property
    def trade_term(self) -> str:
        return f"{self.incoterm} {self.port}".strip()


def _day_text(day: date | None) -> str:
    if day is None:
        return ""
    return pendulum.date(day.year, day.month, day.day).format("D MMM YYYY", locale="en")


def _photo_source(value: str) -> tuple[str, str, str]:
    """(photo_url, photo_file, problem) for a photo given as a link or a path: an http(s) link
    with a host (%-encoded, so it cannot break out of an attribute), an existing local file (a
    path or a file:// URI), or why it is neither. `javascript:`, `data:`, `ftp:` … are refused."""
    text = value.strip()
    if not text:
        return "", "", ""
    try:
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        if scheme in ("http", "https"):
            if not parts.hostname:
                return "", "", _("the link has no host")
            return quote(text, safe=_URL_SAFE), "", ""
    except ValueError:  # a malformed link ("http://[::1")
        return "", "", _("the link is malformed")
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            return "", "", _("a file:// link to another machine is not read")
        text = unquote(parts.path)
    elif len(scheme) > 1:  # one letter: a Windows drive (C:\photos\x.png)
        return "", "", _("only http(s) links and local files are used as photos")
    path = Path(text).expanduser()
    try:
        if path.is_file():
            return "", str(path.resolve()), ""
    except (OSError, ValueError):  # a name too long, a NUL byte …
        pass
    return "", "", _("there is no such file")


def build(
    quote_id: int, settings: Settings, rep_zone: str = "UTC", view: quotes.QuoteView | None = None
) -> PiDocument:
    """Everything the PI shows, as plain values (DocumentError when the quote is gone)."""
    view = view or quotes.get(quote_id)
    if view is None:
        raise DocumentError(_("there is no quote {id}").format(id=quote_id))
    with database.connection_context():
        contact = (
            Contact.select()
            .where(Contact.customer == view.customer_id)
            .order_by(Contact.is_primary.desc(), Contact.id)
            .first()
        )
    country = _country_name(view.customer_country)
    buyer_lines = [
        line
        for line in (
            contact.name if contact and contact.name != view.customer_name else "",
            country,
            f"E-mail: {contact.email}" if contact and contact.email else "",
            f"Tel: {contact.phone}" if contact and contact.phone else "",
        )
        if line
    ]
    company = settings.company
    bank = settings.bank
    seller_lines = [
        line
        for line in (
            bank.address,
            f"Tel: {bank.phone}" if bank.phone else "",
            f"E-mail: {settings.rep.email}" if settings.rep.email else "",
            company.website,
        )
        if line
    ]
    lines = []
    for no, line in enumerate(view.lines, start=1):
        url, file, _problem = _photo_source(line.photo)
        lines.append(
            PiLine(
                no=no,
                sku=line.sku,
                description=line.description,
                photo=line.photo,
                photo_url=url,
                photo_file=file,
                quantity=line.quantity,
                quantity_text=money.format_quantity(line.quantity),
                unit=line.unit,
                unit_price=line.unit_price,
                unit_price_text=money.format_unit_price(line.unit_price, view.currency),
                amount=line.total,
                amount_text=money.format_money(line.total, view.currency, with_code=False),
            )
        )
    issued = (view.sent_at or view.created_at).in_timezone(rep_zone)
    return PiDocument(
        quote_id=view.quote_id,
        number=view.number,
        label=view.label,
        revision=view.revision,
        status=view.status.value,
        issued_on=date(issued.year, issued.month, issued.day),
        valid_until=view.valid_until,
        currency=view.currency,
        digits=money.exponent(view.currency),
        incoterm=view.incoterm.value,
        port=view.port,
        port_role=quote_rules.port_role(view.incoterm),
        payment_terms=view.payment_terms,
        lead_time=view.lead_time,
        packing=view.packing,
        notes=view.notes,
        seller=Party("Seller", company.name or bank.beneficiary, tuple(seller_lines)),
        buyer=Party("Buyer", view.customer_name or view.customer_code, tuple(buyer_lines)),
        lines=tuple(lines),
        total=view.total,
        total_text=money.format_money(view.total, view.currency),
        bank=Bank(
            beneficiary=bank.beneficiary or company.name,
            address=bank.address,
            bank_name=bank.bank_name,
            bank_address=bank.bank_address,
            account_number=bank.account_number,
            swift=bank.swift,
            note=bank.note,
        ),
        rep_name=settings.rep.name,
        rep_title=settings.rep.title,
        rep_email=settings.rep.email,
        rep_whatsapp=settings.rep.whatsapp,
        website=company.website,
    )


def _country_name(code: str) -> str:
    if not code:
        return ""
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


# --- photos ----------------------------------------------------------------------------------


class _PhotoError(Exception):
    """Why a photo cannot be used (the message is shown to the rep)."""


class _OnlyWebRedirects(urllib.request.HTTPRedirectHandler):
    """Follow at most 4 redirects, and only to http(s) links (urllib would follow one to ftp:
    and refuse one to file: with a raw message)."""

    max_redirections = 4

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        target = urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            fp.close()
            raise _PhotoError(_("the link redirects to something that is not a web address"))
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _megabytes() -> str:
    return f"{MAX_PHOTO_BYTES // (1024 * 1024)}"


def _download(url: str) -> bytes:
    """The body at `url`: PHOTO_TIMEOUT seconds and MAX_PHOTO_BYTES at most (_PhotoError)."""
    opener = urllib.request.build_opener(_OnlyWebRedirects)
    request = urllib.request.Request(
        url, headers={"User-Agent": "sopdesk (PI photo)", "Accept": "image/*"}
    )
    deadline = time.monotonic() + PHOTO_TIMEOUT
    too_big = _PhotoError(_("the picture is larger than {mb} MB").format(mb=_megabytes()))
    try:
        with opener.open(request, timeout=PHOTO_TIMEOUT) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > MAX_PHOTO_BYTES:
                raise too_big
            body = bytearray()
            while chunk := response.read1(64 * 1024):  # what arrived: the deadline holds
                body += chunk
                if len(body) > MAX_PHOTO_BYTES:
                    raise too_big
                if time.monotonic() > deadline:
                    raise TimeoutError
            return bytes(body)
    except urllib.error.HTTPError as exc:
        raise _PhotoError(
            _("the server answered {status} {reason}").format(status=exc.code, reason=exc.reason)
        ) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _PhotoError(
                _("no answer within {s} seconds").format(s=f"{PHOTO_TIMEOUT:g}")
            ) from None
        raise _PhotoError(_("cannot fetch it: {reason}").format(reason=exc.reason)) from None
    except TimeoutError:
        raise _PhotoError(
            _("no answer within {s} seconds").format(s=f"{PHOTO_TIMEOUT:g}")
        ) from None
    except (OSError, ValueError) as exc:  # a reset connection, a broken HTTP answer, a bad port
        raise _PhotoError(_("cannot fetch it: {reason}").format(reason=exc)) from None


def _thumbnail(data: bytes) -> Photo:
    """A real PNG, JPEG, GIF or WebP picture scaled down to PHOTO_SIZE (first frame, turned
    upright, padded when very tall), re-encoded as JPEG (a JPEG or opaque WebP photo) or PNG
    (the rest: drawings stay sharp, transparency stays); anything else is _PhotoError."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    not_a_picture = _PhotoError(_("it is not a PNG, JPEG, GIF or WebP picture"))
    try:
        with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as opened:
            if opened.width * opened.height > MAX_PHOTO_PIXELS:
                raise _PhotoError(
                    _("the picture is too large ({w}×{h} pixels)").format(
                        w=opened.width, h=opened.height
                    )
                )
            opened.draft("RGB", (PHOTO_SIZE, PHOTO_SIZE))  # JPEG: decode at a smaller size
            picture = ImageOps.exif_transpose(opened) or opened
            picture.thumbnail((PHOTO_SIZE, PHOTO_SIZE))
            clear = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
            picture = picture.convert("RGBA" if clear else "RGB")
            lossy = opened.format == "JPEG" or (opened.format == "WEBP" and not clear)
    except _PhotoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise not_a_picture from None
    except Exception:  # a broken file can make a decoder fail in any way
        raise not_a_picture from None
    if picture.height > picture.width * PHOTO_TALLEST:
        width = int(picture.height / PHOTO_TALLEST)
        background = (255, 255, 255, 0) if clear else (255, 255, 255)
        padded = Image.new(picture.mode, (width, picture.height), background)
        padded.paste(picture, ((width - picture.width) // 2, 0))
        picture = padded
    out = io.BytesIO()
    if lossy:
        picture.save(out, "JPEG", quality=85, optimize=True)
    else:
        picture.save(out, "PNG", optimize=True)
    return Photo(
        data=out.getvalue(),
        mime="image/jpeg" if lossy else "image/png",
        width=picture.width,
        height=picture.height,
    )


def _read_photo(path: str) -> Photo:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_PHOTO_BYTES + 1)
        if len(data) > MAX_PHOTO_BYTES:
            raise _PhotoError(_("the picture is larger than {mb} MB").format(mb=_megabytes()))
        return _thumbnail(data)
    except _PhotoError as exc:
        return Photo(problem=str(exc))
    except OSError as exc:
        return Photo(problem=_("cannot read it: {reason}").format(reason=exc.strerror or exc))


def _fetch_photo(url: str) -> Photo:
    try:
        return _thumbnail(_download(url))
    except _PhotoError as exc:
        return Photo(problem=str(exc))


def load_photos(doc: PiDocument, *, fetch: bool = True) -> PiDocument:
    """The document with every line's photo read (local files) and fetched (http(s) links, at
    most PHOTO_FETCHERS at a time, unless `fetch` is False); each photo that cannot be used adds
    a warning. Loading a loaded document returns it as it is."""
    if doc.photos_loaded:
        return doc
    urls = sorted({line.photo_url for line in doc.lines if line.photo_url}) if fetch else []
    fetched: dict[str, Photo] = {}
    if urls:
        with ThreadPoolExecutor(max_workers=min(PHOTO_FETCHERS, len(urls))) as pool:
            fetched = dict(zip(urls, pool.map(_fetch_photo, urls), strict=True))
    lines: list[PiLine] = []
    warnings: list[str] = []
    for line in doc.lines:
        if not line.photo.strip():
            lines.append(line)
            continue
        if line.photo_url:
            picture = fetched.get(line.photo_url, Photo())
        elif line.photo_file:
            picture = _read_photo(line.photo_file)
        else:
            picture = Photo(problem=_photo_source(line.photo)[2])
        if picture.problem:
            shown = line.photo.strip()
            shown = shown if len(shown) <= 80 else shown[:79] + "…"
            warnings.append(
                _(
                    "line {no} ({sku}): photo {photo} not embedded ({problem}), it is printed as text instead"
                ).format(no=line.no, sku=line.sku, photo=shown, problem=picture.problem)
            )
        lines.append(replace(line, picture=picture))
    return replace(doc, lines=tuple(lines), warnings=(*doc.warnings, *warnings), photos_loaded=True)


# --- HTML ------------------------------------------------------------------------------------


def _environment() -> Any:
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    loader = ChoiceLoader(
        [
            FileSystemLoader(str(locations.user_templates_dir() / "documents")),
            FileSystemLoader(str(locations.templates_dir() / "documents")),
        ]
    )
    return SandboxedEnvironment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render_html(doc: PiDocument, template: str = "pi.html.j2") -> str:
    """The PI as a printable HTML page (DocumentError with the template line on failure);
    photos are read first (`load_photos`) unless they were."""
    from jinja2 import TemplateError, TemplateSyntaxError

    doc = load_photos(doc)
    try:
        return str(_environment().get_template(template).render(pi=doc))
    except TemplateSyntaxError as exc:
        raise DocumentError(f"{exc.filename or template}:{exc.lineno}: {exc.message}") from exc
    except TemplateError as exc:
        raise DocumentError(f"{template}: {exc}") from exc


# --- PDF -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int = 0
    """The face within a collection (.ttc)."""


def _collection_index(path: str) -> int:
    """The Simplified Chinese face of a collection (Noto "… CJK SC"), else the first."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    try:
        from fontTools.ttLib import TTCollection

        collection = TTCollection(path, lazy=True)
        names = [str(font["name"].getDebugName(1) or "") for font in collection.fonts]
        collection.close()
    except Exception:  # an unreadable collection: it will cover nothing
        return 0
    for wanted in (" SC", "Simplified", "SC"):
        for index, name in enumerate(names):
            if wanted in name and "Mono" not in name:
                return index
    return 0


@lru_cache(maxsize=16)
def _coverage(path: str, index: int = 0) -> frozenset[int]:
    """The characters a font draws: outline fonts only (a colour-bitmap emoji font, a bitmap
    font or an unreadable file draws nothing here)."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, fontNumber=index, lazy=True)
    except Exception:
        return frozenset()
    try:
        if ("glyf" not in font and "CFF " not in font) or "CBDT" in font or "sbix" in font:
            return frozenset()
        return frozenset(font.getBestCmap() or {})
    except Exception:
        return frozenset()
    finally:
        font.close()


def _fc_match(ch: str) -> FontFile | None:
    """The font fontconfig picks for one character (a Chinese sans-serif face by preference),
    None without fontconfig or when it picks nothing usable."""
    program = shutil.which("fc-match")
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, "--format=%{file}\t%{index}\n", f"sans-serif:lang=zh-cn:charset={ord(ch):x}"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    path, _tab, index = (done.stdout.splitlines() or [""])[0].partition("\t")
    if not path.lower().endswith(FONT_SUFFIXES) or not index.strip().isdigit():
        return None
    return FontFile(path, int(index))


def system_fonts(chars: Iterable[str]) -> list[FontFile]:
    """Fonts on this machine for characters the bundled fonts lack, each drawing at least one
    of them: the file named by $SOPDESK_PDF_FONT, then what fontconfig (`fc-match`) picks for
    each character, then Noto Sans CJK, WenQuanYi, PingFang, Microsoft YaHei … where they
    usually are. At most MAX_SYSTEM_FONTS fonts and MAX_FONT_LOOKUPS fc-match calls."""
    left = {ord(ch) for ch in chars}
    chosen: list[FontFile] = []

    def take(font: FontFile) -> None:
        drawn = left & _coverage(font.path, font.index)
        if drawn and font not in chosen:
            chosen.append(font)
            left.difference_update(drawn)

    own = os.path.expanduser(os.environ.get("SOPDESK_PDF_FONT", "").strip())
    if own and Path(own).is_file():
        take(FontFile(own, _collection_index(own)))
    for code in sorted(left)[:MAX_FONT_LOOKUPS]:
        if not left or len(chosen) >= MAX_SYSTEM_FONTS:
            break
        if code in left and (found := _fc_match(chr(code))) is not None:
            take(found)
    for place in CJK_CANDIDATES:
        if not left or len(chosen) >= MAX_SYSTEM_FONTS:
            break
        if Path(place).is_file():
            take(FontFile(place, _collection_index(place)))
    return chosen[:MAX_SYSTEM_FONTS]


def _invisible(code: int) -> bool:
    """Controls, zero-width and bidi marks: nothing to draw (the shaping engine orders the
    text itself)."""
    return (
        code < 32
        or 0x7F <= code < 0xA0
        or 0x200B <= code <= 0x200F
        or 0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
    )


@dataclass
class _Glyphs:
    """Which characters the PDF can draw; the rest become MISSING and are counted."""

    covered: frozenset[int]
    missing: set[str] = field(default_factory=set)

    def lacking(self, texts: Iterable[str]) -> set[str]:
        """The characters of `texts` no font draws."""
        return {
            ch
            for text in texts
            for ch in text
            if ch not in "\n\t" and ord(ch) not in self.covered and not _invisible(ord(ch))
        }

    def clean(self, text: str) -> str:
        out = []
        for ch in text:
            code = ord(ch)
            if ch in "\n\t" or code in self.covered:
                out.append(ch)
            elif _invisible(code):
                continue
            else:
                self.missing.add(ch)
                out.append(MISSING)
        return "".join(out)


def _texts(doc: PiDocument) -> Iterable[str]:
    """Every piece of the document's own text the PDF prints (the labels are English)."""
    yield from (doc.seller.name, *doc.seller.lines, doc.buyer.name, *doc.buyer.lines)
    yield from (doc.label, doc.trade_term, doc.port_role, doc.currency, doc.total_text)
    yield from (doc.payment_terms, doc.lead_time, doc.packing, doc.notes)
    yield from (doc.rep_name, doc.rep_title, doc.issued_text, doc.valid_text)
    for line in doc.lines:
        yield from (line.sku, line.description, line.unit, line.photo, line.quantity_text)
        yield from (line.unit_price_text, line.amount_text)
    bank = doc.bank
    yield from (bank.beneficiary, bank.address, bank.bank_name, bank.bank_address)
    yield from (bank.account_number, bank.swift, bank.note)


@lru_cache(maxsize=1)
def _pdf_class() -> Any:
    """FPDF, selecting the font again after every line of text.

    fpdf2 (2.8.9) loses track of the font after a line that starts or ends in a fallback font
    (py-pdf/fpdf2#1772 and its kin): the next line in the same font is drawn with no font at all
    or with the fallback's glyph numbers — a Chinese buyer name followed by "Trade term: CIF …"
    printed as "l DOuMFMDs …". Restoring the font and making fpdf2 set it again costs one
    operator a line."""
    from fpdf import FPDF

    class Pdf(FPDF):
        def _render_styled_text_line(self, *args: Any, **kwargs: Any) -> Any:
            font, size, style = self.current_font, self.font_size_pt, self.font_style
            try:
                return super()._render_styled_text_line(*args, **kwargs)
            finally:
                self.current_font, self.font_size_pt, self.font_style = font, size, style
                self.current_font_is_set_on_page = False

    return Pdf


def render_pdf(doc: PiDocument) -> tuple[bytes, tuple[str, ...]]:
    """(the PDF, warnings): photos that could not be embedded (see `load_photos`), characters
    no font has (they print as MISSING)."""
    from fpdf.enums import XPos, YPos

    doc = load_photos(doc)
    bundled = [FontFile(str(CJK_FONT))] if CJK_FONT.is_file() else []
    covered = _coverage(str(REGULAR_FONT))
    for font in bundled:
        covered |= _coverage(font.path, font.index)
    lacking = _Glyphs(covered).lacking(_texts(doc))
    extra = system_fonts(lacking) if lacking else []

    pdf = _pdf_class()(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(f"Proforma Invoice {doc.label}")
    pdf.set_creator("sopdesk")
    pdf.add_font("DejaVu", "", str(REGULAR_FONT))
    pdf.add_font("DejaVu", "B", str(BOLD_FONT))
    # Fallbacks in order: the bundled CJK font, then system fonts for what it lacks. They have no
    # bold face: bold CJK text is drawn in the regular one (exact_match=False).
    fallbacks: list[str] = []
    drawn = _coverage(str(REGULAR_FONT))
    for number, font in enumerate((*bundled, *extra)):
        family = "CJK" if number == 0 and bundled else f"Fallback{number}"
        try:
            pdf.add_font(family, "", font.path, collection_font_number=font.index)
        except Exception:  # a system font fpdf2 cannot read: its characters stay missing
            continue
        fallbacks.append(family)
        drawn |= _coverage(font.path, font.index)
    if fallbacks:
        pdf.set_fallback_fonts(fallbacks, exact_match=False)
    glyphs = _Glyphs(drawn)
    with contextlib.suppress(ImportError):  # uharfbuzz: Arabic joins and runs right-to-left
        import uharfbuzz  # noqa: F401

        pdf.set_text_shaping(True)
    pdf.add_page()
    clean = glyphs.clean
    width = pdf.epw

    def write(value: str, size: float = 9, bold: bool = False, h: float = 4.6, **kw: Any) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        kw.setdefault("align", "L")
        pdf.multi_cell(width, h, clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT, **kw)

    # Header: seller left, title and numbers right.
    top = pdf.get_y()
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(
        width * 0.58, 6, clean(doc.seller.name), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
    )
    pdf.set_font("DejaVu", "", 8.5)
    for seller_line in doc.seller.lines:
        pdf.multi_cell(
            width * 0.58, 4.2, clean(seller_line), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
        )
    left_end = pdf.get_y()
    pdf.set_xy(pdf.l_margin + width * 0.6, top)
    pdf.set_font("DejaVu", "B", 15)
    pdf.cell(width * 0.4, 8, "PROFORMA INVOICE", align="R", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 9)
    for label, value in (
        ("No.", doc.label),
        ("Date", doc.issued_text),
        ("Valid until", doc.valid_text or "—"),
    ):
        pdf.set_x(pdf.l_margin + width * 0.6)
        pdf.cell(width * 0.4, 5, f"{label}: {value}", align="R", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(max(left_end, pdf.get_y()) + 4)

    # Buyer
    pdf.set_draw_color(180, 180, 180)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.ln(2)
    write("Buyer", 8, bold=True)
    write(doc.buyer.name, 10.5, bold=True, h=5.5)
    for buyer_line in doc.buyer.lines:
        write(buyer_line, 8.5, h=4.2)
    pdf.ln(2)
    write(
        f"Trade term: {doc.trade_term} ({doc.port_role})   Currency: {doc.currency}",
        8.5,
    )
    pdf.ln(2)

    # Lines
    with_photos = any(_embedded(line) for line in doc.lines)
    headings = ["No.", *(["Photo"] if with_photos else []), "Model", "Description",
                "Quantity", f"Unit price ({doc.currency})", f"Amount ({doc.currency})"]  # fmt: skip
    widths = [8, *([22] if with_photos else []), 24, 0, 20, 24, 26]
    widths[widths.index(0)] = int(width) - sum(widths)
    aligns = ["CENTER", *(["CENTER"] if with_photos else []), "LEFT", "LEFT",
              "RIGHT", "RIGHT", "RIGHT"]  # fmt: skip
    pdf.set_font("DejaVu", "", 8)
    with pdf.table(
        col_widths=tuple(widths),
        text_align=tuple(aligns),
        line_height=4.2,
        headings_style=_heading_style(),
        first_row_as_headings=True,
        width=width,
    ) as table:
        row = table.row()
        for heading in headings:
            row.cell(heading)
        for line in doc.lines:
            row = table.row()
            row.cell(str(line.no))
            picture = _embedded(line)
            if with_photos:
                if picture:
                    row.cell(img=io.BytesIO(picture), img_fill_width=True)
                else:
                    row.cell("")
            row.cell(clean(line.sku))
            description = line.description
            if line.photo.strip() and not picture:
                description += f"\nPhoto: {line.photo.strip()}"
            row.cell(clean(description))
            row.cell(clean(f"{line.quantity_text} {line.unit}"))
            row.cell(line.unit_price_text)
            row.cell(line.amount_text)
    pdf.ln(1)
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(
        width,
        7,
        clean(f"Total {doc.trade_term}: {doc.total_text}"),
        align="R",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)

    # Terms
    write("Terms", 9, bold=True)
    for label, value in (
        ("Payment", doc.payment_terms),
        ("Lead time", doc.lead_time),
        ("Packing", doc.packing),
        ("Validity", f"Prices valid until {doc.valid_text}" if doc.valid_text else ""),
        ("Notes", doc.notes),
    ):
        if value:
            write(f"{label}: {value}", 8.5, h=4.4)
    pdf.ln(2)

    # Bank
    if doc.bank.filled:
        write("Bank details", 9, bold=True)
        for label, value in (
            ("Beneficiary", doc.bank.beneficiary),
            ("Beneficiary address", doc.bank.address),
            ("Bank", doc.bank.bank_name),
            ("Bank address", doc.bank.bank_address),
            ("Account no.", doc.bank.account_number),
            ("SWIFT", doc.bank.swift),
        ):
            if value:
                write(f"{label}: {value}", 8.5, h=4.4)
        if doc.bank.note:
            write(doc.bank.note, 8, h=4.2)
        pdf.ln(2)

    # Signatures
    pdf.ln(4)
    y = pdf.get_y()
    pdf.set_font("DejaVu", "", 8.5)
    pdf.multi_cell(
        width / 2,
        4.4,
        clean(f"For and on behalf of {doc.seller.name}\n\n\n{doc.rep_name}  {doc.rep_title}"),
        new_x=XPos.RIGHT,
        new_y=YPos.TOP,
        align="L",
    )
    pdf.set_xy(pdf.l_margin + width / 2, y)
    pdf.multi_cell(
        width / 2,
        4.4,
        clean(f"Confirmed by the buyer ({doc.buyer.name})\n\n\nSignature, stamp and date"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
        align="L",
    )
    warnings = list(doc.warnings)
    if glyphs.missing:
        warnings.append(
            _(
                "{n} character(s) have no font and print as {mark}: {chars} — install a font "
                "that has them (e.g. Noto Sans CJK) or set SOPDESK_PDF_FONT to one"
            ).format(
                n=len(glyphs.missing), mark=MISSING, chars="".join(sorted(glyphs.missing))[:20]
            )
        )
    return bytes(pdf.output()), tuple(warnings)


def _embedded(line: PiLine) -> bytes:
    """The line's photo as read for embedding (b"" when there is none)."""
    return line.picture.data if line.picture is not None else b""


def _heading_style() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(235, 235, 235))


# --- XLSX ------------------------------------------------------------------------------------


def _excel_text(value: str) -> str:
    """Text that Excel shows as typed: a leading = + - @ would make it a formula."""
    value = "".join(ch for ch in value if ch in "\n\t" or ord(ch) >= 32)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def render_xlsx(doc: PiDocument) -> bytes:
    """The PI as a workbook: blocks as text, quantities and prices as numbers, amounts and the
    total as formulas (rounded to the currency), so editing a quantity updates the total; each
    photo that could be read is a picture in column H, its link or path as text in column I."""
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as SheetImage
    from openpyxl.styles import Alignment, Font

    doc = load_photos(doc)

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "PI"
    bold = Font(bold=True)
    rows: list[tuple[str, str]] = [
        ("Proforma Invoice", doc.label),
        ("Date", doc.issued_text),
        ("Valid until", doc.valid_text),
        ("Seller", doc.seller.name),
        *(("", line) for line in doc.seller.lines),
        ("Buyer", doc.buyer.name),
        *(("", line) for line in doc.buyer.lines),
        ("Trade term", doc.trade_term),
        ("Currency", doc.currency),
    ]
    for label, value in rows:
        sheet.append([_excel_text(label), _excel_text(value)])
        if label:
            sheet.cell(sheet.max_row, 1).font = bold
    sheet.append([])
    header = ["No.", "Model", "Description", "Unit", "Quantity", "Unit price", "Amount", "Photo",
              "Photo link"]  # fmt: skip
    sheet.append(header)
    header_row = sheet.max_row
    for column in range(1, len(header) + 1):
        sheet.cell(header_row, column).font = bold
    number_format = "#,##0" if doc.digits == 0 else "#,##0." + "0" * doc.digits
    for line in doc.lines:
        sheet.append(
            [
                line.no,
                _excel_text(line.sku),
                _excel_text(line.description),
                _excel_text(line.unit),
                line.quantity,
                line.unit_price,
                None,
                None,
                _excel_text(line.photo.strip()),
            ]
        )
        row = sheet.max_row
        if picture := _embedded(line):
            assert line.picture is not None
            image = SheetImage(io.BytesIO(picture))
            scale = min(XLSX_PHOTO_PX / line.picture.width, XLSX_PHOTO_PX / line.picture.height)
            image.width = max(1, round(line.picture.width * scale))
            image.height = max(1, round(line.picture.height * scale))
            sheet.add_image(image, f"H{row}")
            sheet.row_dimensions[row].height = image.height * 0.75 + 4  # pixels → points
        sheet.cell(row, 7).value = f"=ROUND(E{row}*F{row},{doc.digits})"
        sheet.cell(row, 7).number_format = number_format
        sheet.cell(row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    first, last = header_row + 1, sheet.max_row
    sheet.append(["", "", "", "", "", f"Total ({doc.currency})", None])
    total_row = sheet.max_row
    total_cell = sheet.cell(total_row, 7)
    total_cell.value = f"=SUM(G{first}:G{last})" if doc.lines else 0
    total_cell.number_format = number_format
    total_cell.font = bold
    sheet.cell(total_row, 6).font = bold
    sheet.append([])
    for label, value in (
        ("Payment terms", doc.payment_terms),
        ("Lead time", doc.lead_time),
        ("Packing", doc.packing),
        ("Validity", f"Prices valid until {doc.valid_text}" if doc.valid_text else ""),
        ("Notes", doc.notes),
        ("Beneficiary", doc.bank.beneficiary),
        ("Bank", doc.bank.bank_name),
        ("Bank address", doc.bank.bank_address),
        ("Account no.", doc.bank.account_number),
        ("SWIFT", doc.bank.swift),
    ):
        if value:
            sheet.append([label, _excel_text(value)])
            sheet.cell(sheet.max_row, 1).font = bold
    for letter, size in zip("ABCDEFGHI", (14, 16, 60, 8, 12, 14, 16, 12, 30), strict=True):
        sheet.column_dimensions[letter].width = size
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- writing files ---------------------------------------------------------------------------


def safe_output_path(directory: Path, name: str, kind: str, force: bool = False) -> Path:
    """Where `name` goes inside `directory`, or OutputPathError: a name with a directory part
    or `..`, a name without the kind's suffix, a symlink, a target that resolves outside the
    directory, or an existing file without `force`."""
    suffix = SUFFIXES[kind]
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise OutputPathError(_("{name!r} is not a plain file name").format(name=name))
    if not name.lower().endswith(suffix):
        raise OutputPathError(
            _("the {kind} file must end in {suffix}").format(kind=kind.upper(), suffix=suffix)
        )
    if not directory.is_dir():
        raise OutputPathError(_("{dir} is not a directory").format(dir=directory))
    base = directory.resolve()
    target = base / name
    if target.is_symlink():
        raise OutputPathError(
            _("{path} is a symbolic link; refusing to write through it").format(path=target)
        )
    if not target.resolve().is_relative_to(base):
        raise OutputPathError(_("{path} is outside {dir}").format(path=target, dir=base))
    if target.exists() and not force:
        raise OutputPathError(
            _("{path} exists; use --force (or confirm) to overwrite it").format(path=target)
        )
    if target.exists() and not target.is_file():
        raise OutputPathError(_("{path} is not a file").format(path=target))
    return target


def split_output(path: Path) -> tuple[Path, str]:
    """A path given on the command line as (its directory, its file name)."""
    expanded = path.expanduser()
    return (expanded.parent if str(expanded.parent) else Path(".")), expanded.name


def write_file(target: Path, data: bytes, force: bool) -> None:
    """Write through a temporary file in the same directory; without `force` an existing file
    (even one that appeared meanwhile) is never replaced."""
    fd, tmp = tempfile.mkstemp(prefix=".sopdesk-", suffix=target.suffix, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        if force:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise OutputPathError(
                    _("{path} exists; use --force (or confirm) to overwrite it").format(path=target)
                ) from None
            except OSError:  # no hard links here (some network shares): exclusive create
                with open(target, "xb") as fh:
                    fh.write(data)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@dataclass(frozen=True)
class Exported:
    kind: str
    path: Path


@dataclass(frozen=True)
class ExportResult:
    files: tuple[Exported, ...]
    warnings: tuple[str, ...]


def render(doc: PiDocument, kind: str) -> tuple[bytes, tuple[str, ...]]:
    """(the document in `kind`, warnings): the photos that could not be used, and for a PDF
    the characters no font has."""
    doc = load_photos(doc)
    if kind == "html":
        return render_html(doc).encode("utf-8"), doc.warnings
    if kind == "pdf":
        return render_pdf(doc)
    if kind == "xlsx":
        return render_xlsx(doc), doc.warnings
    raise DocumentError(_("unknown document kind {kind}").format(kind=kind))


def export(doc: PiDocument, outputs: dict[str, Path], *, force: bool = False) -> ExportResult:
    """Write the PI in each kind to its path ({"pdf": Path("out.pdf"), …}); every path is checked
    before anything is written, so a refused one writes nothing."""
    targets: dict[str, Path] = {}
    for kind, path in outputs.items():
        if kind not in SUFFIXES:
            raise DocumentError(_("unknown document kind {kind}").format(kind=kind))
        directory, name = split_output(path)
        targets[kind] = safe_output_path(directory, name, kind, force)
    doc = load_photos(doc)  # once for every kind
    rendered = {kind: render(doc, kind) for kind in targets}
    files: list[Exported] = []
    warnings: list[str] = []
    for kind, target in targets.items():
        data, notes = rendered[kind]
        write_file(target, data, force)
        files.append(Exported(kind, target))
        warnings.extend(notes)
    return ExportResult(tuple(files), tuple(dict.fromkeys(warnings)))  # photos: once


def export_dir() -> Path:
    """Where the workbench writes PIs: `documents/` in the data dir (0700)."""
    return locations.ensure_private_dir(locations.data_dir() / "documents")


def export_to_dir(
    doc: PiDocument, kinds: Iterable[str], directory: Path | None = None, force: bool = False
) -> ExportResult:
    """The UI's export: `<label>.<kind>` for each kind inside `directory` (export_dir())."""
    folder = directory or export_dir()
    return export(
        doc, {kind: folder / f"{doc.label}{SUFFIXES[kind]}" for kind in kinds}, force=force
    )


__all__ = [
    "Bank",
    "DocumentError",
    "ExportResult",
    "Exported",
    "OutputPathError",
    "Party",
    "Photo",
    "PiDocument",
    "PiLine",
    "build",
    "export",
    "export_dir",
    "export_to_dir",
    "load_photos",
    "render",
    "render_html",
    "render_pdf",
    "render_xlsx",
    "safe_output_path",
    "split_output",
    "system_fonts",
    "write_file",
]
