"""The Proforma Invoice as a document: HTML (from Jinja templates), PDF and XLSX.

`build(quote_id, settings)` gathers one frozen `PiDocument` — seller and buyer blocks, the lines
with their photos, the terms, the validity, the bank details from the settings — and every format
is drawn from it:

- HTML: `templates/documents/pi.html.j2` (extending `base.html.j2`, with the blocks in
  `includes/`), rendered in a sandbox with autoescaping on: a buyer called `<script>` prints as
  text. A rep's own `templates/documents/` in the config dir overrides any of those files.
- PDF: drawn with fpdf2 in DejaVu Sans (bundled under sopdesk/fonts: Latin, Cyrillic, Greek,
  Arabic — shaped right-to-left with HarfBuzz) and a CJK font from the system as a fallback
  (see sopdesk/fonts/README.md); characters no font has are printed as "�" and reported.
- XLSX: one sheet with the same blocks, quantities and prices as numbers and the amounts as
  formulas, for reps who finish the PI in Excel.

Output paths are checked (`safe_output_path`): the file is written exactly where it was named,
inside the directory it names — a name with a path in it, a symlink, or an existing file without
`force` is refused — and written to a temporary file first, so a failed export leaves nothing.
Product photos are embedded in the PDF only from local files; links are printed as links (the
PI is never the reason sopdesk goes on the network).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

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
"""Where CJK fonts live on common systems; `$SOPDESK_PDF_FONT` is tried first."""
MISSING = "\ufffd"
SUFFIXES = {"html": ".html", "pdf": ".pdf", "xlsx": ".xlsx"}
MAX_PHOTO_BYTES = 8 * 1024 * 1024


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
class PiLine:
    no: int
    sku: str
    description: str
    photo: str
    """As given: a link or a file path ("" when none)."""
    photo_src: str
    """For HTML: an http(s) link or a file:// URI of an existing file ("" when unusable)."""
    photo_file: str
    """For PDF: an existing local image file ("" otherwise)."""
    quantity: Decimal
    quantity_text: str
    unit: str
    unit_price: Decimal
    unit_price_text: str
    amount: Decimal
    amount_text: str


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


def _photo(value: str) -> tuple[str, str]:
    """(photo_src for HTML, photo_file for PDF) from a link or a path; unusable → ("", "")."""
    text = value.strip()
    if not text:
        return "", ""
    parsed = urlparse(text)
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return text, ""
    if parsed.scheme == "file":
        text = parsed.path
    elif parsed.scheme and len(parsed.scheme) > 1:  # javascript:, data:, ftp: …
        return "", ""
    path = Path(text).expanduser()
    try:
        if path.is_file() and path.stat().st_size <= MAX_PHOTO_BYTES:
            resolved = path.resolve()
            return resolved.as_uri(), str(resolved)
    except OSError:
        pass
    return "", ""


def _qty_text(quantity: Decimal) -> str:
    normal = quantity.normalize()
    if normal == normal.to_integral_value():
        return f"{int(normal):,}"
    return f"{normal:,f}"


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
    digits = money.exponent(view.currency)
    lines = []
    for no, line in enumerate(view.lines, start=1):
        src, file = _photo(line.photo)
        lines.append(
            PiLine(
                no=no,
                sku=line.sku,
                description=line.description,
                photo=line.photo,
                photo_src=src,
                photo_file=file,
                quantity=line.quantity,
                quantity_text=_qty_text(line.quantity),
                unit=line.unit,
                unit_price=line.unit_price,
                unit_price_text=_price_text(line.unit_price, digits),
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
        digits=digits,
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


def _price_text(price: Decimal, digits: int) -> str:
    """Unit prices keep the catalogue's precision when finer than the currency (USD 0.235)."""
    normal = price.normalize()
    exponent = normal.as_tuple().exponent
    places = max(-exponent, 0) if isinstance(exponent, int) and normal != 0 else 0
    return f"{price:,.{max(digits, min(places, 4))}f}"


def _country_name(code: str) -> str:
    if not code:
        return ""
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


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
    """The PI as a printable HTML page (DocumentError with the template line on failure)."""
    from jinja2 import TemplateError, TemplateSyntaxError

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
    index: int


def _cjk_index(path: str) -> int:
    """The Simplified Chinese face of a collection (Noto "… CJK SC"), else the first."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    try:
        from fontTools.ttLib import TTCollection

        collection = TTCollection(path, lazy=True)
        names = [str(font["name"].getDebugName(1) or "") for font in collection.fonts]
        collection.close()
    except Exception:  # an unreadable collection: let fpdf2 report it later
        return 0
    for wanted in (" SC", "Simplified", "SC"):
        for index, name in enumerate(names):
            if wanted in name and "Mono" not in name:
                return index
    return 0


@lru_cache(maxsize=1)
def cjk_font() -> FontFile | None:
    """A CJK fallback font from the system (or $SOPDESK_PDF_FONT), None when there is none."""
    own = os.environ.get("SOPDESK_PDF_FONT", "")
    for candidate in (own, *CJK_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return FontFile(candidate, _cjk_index(candidate))
    return None


@lru_cache(maxsize=4)
def _coverage(path: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


@dataclass
class _Glyphs:
    """Which characters the PDF can draw; the rest become MISSING and are counted."""

    cjk: FontFile | None
    need_fallback: bool = False
    missing: set[str] = field(default_factory=set)

    def clean(self, text: str) -> str:
        regular = _coverage(str(REGULAR_FONT), 0)
        fallback = _coverage(self.cjk.path, self.cjk.index) if self.cjk else frozenset()
        out = []
        for ch in text:
            code = ord(ch)
            if ch in "\n\t" or code in regular:
                out.append(ch)
            elif code in fallback:
                self.need_fallback = True
                out.append(ch)
            elif code < 32 or 0x7F <= code < 0xA0 or 0x200B <= code <= 0x200F:
                continue  # controls and invisible marks: nothing to draw
            elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
                continue  # bidi overrides: the shaping engine orders the text itself
            else:
                self.missing.add(ch)
                out.append(MISSING)
        return "".join(out)


def _texts(doc: PiDocument) -> Iterable[str]:
    yield from (doc.seller.name, *doc.seller.lines, doc.buyer.name, *doc.buyer.lines)
    yield from (doc.port, doc.payment_terms, doc.lead_time, doc.packing, doc.notes, doc.rep_name)
    for line in doc.lines:
        yield from (line.sku, line.description, line.unit, line.photo)
    bank = doc.bank
    yield from (bank.beneficiary, bank.address, bank.bank_name, bank.bank_address, bank.note)


def render_pdf(doc: PiDocument) -> tuple[bytes, tuple[str, ...]]:
    """(the PDF, warnings) — a warning when some characters had no font."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    glyphs = _Glyphs(cjk_font())
    for piece in _texts(doc):
        glyphs.clean(piece)  # a first pass decides whether the fallback font is needed

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(f"Proforma Invoice {doc.label}")
    pdf.set_creator("sopdesk")
    pdf.add_font("DejaVu", "", str(REGULAR_FONT))
    pdf.add_font("DejaVu", "B", str(BOLD_FONT))
    if glyphs.need_fallback and glyphs.cjk is not None:
        pdf.add_font("CJK", "", glyphs.cjk.path, collection_font_number=glyphs.cjk.index)
        pdf.add_font("CJK", "B", glyphs.cjk.path, collection_font_number=glyphs.cjk.index)
        pdf.set_fallback_fonts(["CJK"], exact_match=False)
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
    with_photos = any(line.photo_file for line in doc.lines)
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
            if with_photos:
                if line.photo_file:
                    row.cell(img=line.photo_file, img_fill_width=True)
                else:
                    row.cell("")
            row.cell(clean(line.sku))
            description = line.description
            if line.photo and not line.photo_file:
                description += f"\nPhoto: {line.photo}"
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
    warnings: list[str] = []
    if glyphs.missing:
        warnings.append(
            _(
                "{n} character(s) have no font and print as {mark}: {chars} — install a CJK font "
                "(e.g. fonts-noto-cjk) or set SOPDESK_PDF_FONT"
            ).format(
                n=len(glyphs.missing), mark=MISSING, chars="".join(sorted(glyphs.missing))[:20]
            )
        )
    return bytes(pdf.output()), tuple(warnings)


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
    total as formulas (rounded to the currency), so editing a quantity updates the total."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

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
    header = ["No.", "Model", "Description", "Unit", "Quantity", "Unit price", "Amount", "Photo"]
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
                _excel_text(line.photo),
            ]
        )
        row = sheet.max_row
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
    for letter, size in zip("ABCDEFGH", (14, 16, 60, 8, 12, 14, 16, 30), strict=True):
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
    if kind == "html":
        return render_html(doc).encode("utf-8"), ()
    if kind == "pdf":
        return render_pdf(doc)
    if kind == "xlsx":
        return render_xlsx(doc), ()
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
    rendered = {kind: render(doc, kind) for kind in targets}
    files: list[Exported] = []
    warnings: list[str] = []
    for kind, target in targets.items():
        data, notes = rendered[kind]
        write_file(target, data, force)
        files.append(Exported(kind, target))
        warnings.extend(notes)
    return ExportResult(tuple(files), tuple(warnings))


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
    "PiDocument",
    "PiLine",
    "build",
    "cjk_font",
    "export",
    "export_dir",
    "export_to_dir",
    "render",
    "render_html",
    "render_pdf",
    "render_xlsx",
    "safe_output_path",
    "split_output",
    "write_file",
]
