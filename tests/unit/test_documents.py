"""The PI as HTML (checked structurally), PDF (opened and its text extracted) and XLSX (read
back); Chinese, Japanese and Korean print with the bundled font; product photos from files and
links are embedded (or reported); output paths that would overwrite or escape their directory are
refused."""

from __future__ import annotations

import base64
import contextlib
import io
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pendulum
import pytest

from sopdesk import config
from sopdesk.services import catalog, documents, quotes
from sopdesk.sop.stages import Incoterm, Stage
from sopdesk.store import db
from sopdesk.store.models import Contact, Customer

ZONE = "Asia/Shanghai"
BUYER = "深圳市光明照明有限公司 ООО «Ромашка» شركة النور"


class Outline(HTMLParser):
    """Tags with their ids, and the text inside elements with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: dict[str, str] = {}
        self.open_ids: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.rows = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "tr" and "pi-lines" in self.open_ids:
            self.rows += 1
        if tag not in ("img", "br", "meta"):
            self.stack.append(tag)
            ident = attributes.get("id")
            self.open_ids.append(ident or "")
            if ident:
                self.ids[ident] = ""

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()
        self.open_ids.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for ident in self.open_ids:
            if ident:
                self.ids[ident] += data


def _outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    parser.close()
    assert parser.stack == ["html"] or parser.stack == [], parser.stack
    return parser


@pytest.fixture
def pi(store: Path, frozen_clock: pendulum.DateTime, tmp_path: Path) -> documents.PiDocument:
    photo = tmp_path / "hb.png"
    from PIL import Image

    Image.new("RGB", (60, 40), (200, 120, 30)).save(photo)
    hb = catalog.save_product(
        catalog.ProductDetail(
            product_id=None,
            sku="HB-150",
            name="LED high bay 150W",
            specs="150W, IP65",
            photos=(str(photo),),
            tiers=(catalog.TierView(100, Decimal("28.50"), "USD"),),
        )
    )
    panel = catalog.save_product(
        catalog.ProductDetail(
            product_id=None,
            sku="PN-4060",
            name="LED panel <b>600</b>",
            photos=("javascript:alert(1)",),
            tiers=(catalog.TierView(200, Decimal("0.335"), "USD"),),
        )
    )
    with db.database.connection_context():
        customer = Customer.create(
            number=3, company=BUYER, country="AE", stage=Stage.NEGOTIATION,
            stage_since=frozen_clock,
        )  # fmt: skip
        Contact.create(
            customer=customer, name="Ali <script>", email="ali@x.example", is_primary=True
        )
    draft = quotes.QuoteDraft(
        customer_id=customer.id,
        inquiry_id=None,
        incoterm=Incoterm.CIF,
        port="Jebel Ali",
        lead_time="25 days after deposit",
        packing="4 pcs/carton",
        valid_until=date(2026, 12, 12),
        notes="Price based on the current aluminium cost.",
        lines=(
            *quotes.lines_for_products([hb], Decimal(600), "USD"),
            *quotes.lines_for_products([panel], Decimal(3), "USD"),
        ),
    )
    view = quotes.save(draft, rep_zone=ZONE)
    return documents.build(view.quote_id, config.demo_settings(), ZONE)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _flat(text: str) -> str:
    return re.sub(r"[\s\x00]+", "", text)  # pypdf spaces out CJK glyphs


def _pdf_images(data: bytes) -> int:
    from pypdf import PdfReader

    return sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)


def _font_warnings(warnings: tuple[str, ...]) -> list[str]:
    return [w for w in warnings if "character(s)" in w]


@pytest.fixture
def no_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the bundled fonts: what a machine without any CJK font prints."""
    monkeypatch.setattr(documents, "system_fonts", lambda chars: [])


def test_the_document_holds_the_quote(pi: documents.PiDocument) -> None:
    assert pi.label == "PI-2026-0001" and pi.trade_term == "CIF Jebel Ali"
    assert pi.port_role == "port of destination"
    assert pi.total == Decimal("17101.01") and pi.total_text == "USD 17,101.01"
    first, second = pi.lines
    assert first.photo_file.endswith("hb.png") and first.photo_src.startswith("file://")
    assert second.photo_src == "" and second.photo_file == ""  # javascript: is never a source
    assert second.photo_url == "" and second.photo_link == ""
    loaded = documents.load_photos(pi)
    assert loaded.lines[0].photo_src.startswith("data:image/png;base64,")
    assert loaded.lines[1].photo_src == "" and loaded.lines[1].picture is not None
    (warning,) = loaded.warnings  # the javascript: link, reported
    assert "line 2 (PN-4060)" in warning and "javascript:alert(1)" in warning
    assert documents.load_photos(loaded) is loaded  # read once
    assert second.unit_price_text == "0.335" and second.amount_text == "1.01"
    assert pi.bank.filled and pi.bank.swift == "BKCHCNBJ92A"
    assert pi.valid_text == "12 Dec 2026"


def test_html_is_well_formed_escaped_and_complete(pi: documents.PiDocument) -> None:
    html = documents.render_html(pi)
    outline = _outline(html)
    assert outline.ids["pi-number"] == "PI-2026-0001"
    assert outline.ids["pi-total"] == "USD 17,101.01"
    assert outline.ids["pi-valid"] == "12 Dec 2026"
    assert outline.rows == 4  # header, two lines, total
    assert BUYER in outline.ids["pi-buyer"] and "Ali <script>" in outline.ids["pi-buyer"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "LED panel <b>600</b>" in outline.ids["pi-lines"]  # text, not markup
    assert "<b>600</b>" not in html
    images = [a for tag, a in outline.tags if tag == "img"]
    (src,) = [i["src"] or "" for i in images]
    assert src.startswith("data:image/png;base64,")  # the local file, inside the page
    from PIL import Image

    with Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))) as photo:
        assert photo.size == (60, 40) and photo.getpixel((30, 20)) == (200, 120, 30)
    attributes = [value or "" for _tag, attrs in outline.tags for value in attrs.values()]
    assert not any(value.lower().startswith("javascript") for value in attributes)
    assert "javascript:alert(1)" in outline.ids["pi-lines"]  # shown as text
    for label in ("Payment", "Lead time", "Packing", "Validity", "SWIFT", "Bank"):
        assert f"<dt>{label}</dt>" in html
    assert "Prices valid until 12 Dec 2026" in outline.ids["pi-terms"]
    assert "Bank of China, Ningbo Branch" in outline.ids["pi-bank"]


def test_pdf_opens_and_its_text_reads_back(pi: documents.PiDocument, no_system_fonts: None) -> None:
    data, warnings = documents.render_pdf(pi)
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    flat = _flat(text)
    assert "PROFORMAINVOICE" in flat and "PI-2026-0001" in flat
    assert "USD17,101.01" in flat and "17,100.00" in flat and "0.3351.01" in flat
    assert "ООО«Ромашка»" in flat and "شركةالنور" in flat
    assert "Validuntil:12Dec2026" in flat and "BKCHCNBJ92A" in flat
    assert "深圳市光明照明有限公司" in flat and documents.MISSING not in text
    assert _font_warnings(warnings) == []
    assert _pdf_images(data) == 1  # hb.png; the javascript: link is text
    assert "Photo:javascript:alert(1)" in flat
    (warning,) = warnings
    assert "javascript:alert(1)" in warning


def test_chinese_japanese_and_korean_print_with_the_bundled_font(
    pi: documents.PiDocument, no_system_fonts: None
) -> None:
    seller = "宁波明亮照明科技有限公司"
    address = "浙江省宁波市鄞州区科技园路８８号（邮编：３１５０００）"
    product = "ＬＥＤ工矿灯 150W，防水等级 IP65；《质保五年》"
    japanese = "山田太郎（ヤマダ　タロウ）様・株式会社さくら"
    korean = "김민준 대표, 서울특별시"
    taiwan = "臺灣國際貿易股份有限公司"
    doc = replace(
        pi,
        seller=documents.Party("Seller", seller, (address,)),
        buyer=documents.Party("Buyer", japanese, (korean, taiwan)),
        lines=(replace(pi.lines[0], description=product), *pi.lines[1:]),
        notes="价格有效期至十二月十二日。",
        rep_name="陈丽",
    )
    data, warnings = documents.render_pdf(doc)
    text = _pdf_text(data)
    flat = _flat(text)
    for wanted in (
        seller,
        address,
        product,
        japanese,
        korean,
        taiwan,
        "价格有效期至十二月十二日。",
    ):
        assert _flat(wanted) in flat, wanted
    assert "For and on behalf of" in text and "陈丽" in flat
    # the lines after one that ends in Chinese keep their own font (an fpdf2 bug worked around)
    assert "Tradeterm:CIFJebelAli(portofdestination)Currency:USD" in flat
    assert documents.MISSING not in text and _font_warnings(warnings) == []


def test_the_bundled_fonts_cover_the_chinese_japanese_and_korean_standard_sets() -> None:
    from fontTools.ttLib import TTFont

    drawn = set(TTFont(documents.REGULAR_FONT).getBestCmap())
    drawn |= set(TTFont(documents.CJK_FONT).getBestCmap())

    def double_byte(codec: str, leads: range) -> set[int]:
        chars = set()
        for lead in leads:
            for trail in range(0xA1, 0xFF):
                with contextlib.suppress(UnicodeDecodeError):
                    text = bytes((lead, trail)).decode(codec)
                    chars.update(ord(ch) for ch in text if len(text) == 1)
        return chars

    gb2312 = double_byte("gb2312", range(0xA1, 0xF8))
    assert len(gb2312) == 7445 and gb2312 <= drawn  # all of it, symbols included
    kana = {*range(0x3041, 0x3094), *range(0x30A1, 0x30F7)}
    punctuation = {ord(ch) for ch in "，。、；：？！“”‘’（）《》〈〉【】「」『』…—～·￥"}
    assert kana <= drawn and punctuation <= drawn
    assert set(map(ord, "김민준이서연박지훈")) <= drawn
    assert documents.CJK_FONT.stat().st_size < 3_200_000


def test_a_character_no_bundled_font_has_is_named_in_the_warning(
    pi: documents.PiDocument, no_system_fonts: None
) -> None:
    rare = "㐀"  # U+3400, CJK extension A: in none of the bundled sets
    doc = replace(pi, buyer=documents.Party("Buyer", f"{rare}记贸易", ()))
    data, warnings = documents.render_pdf(doc)
    text = _pdf_text(data)
    assert documents.MISSING in text and rare not in text and "记贸易" in _flat(text)
    (warning,) = _font_warnings(warnings)
    assert "1 character(s)" in warning and rare in warning and "SOPDESK_PDF_FONT" in warning


def _one_glyph_font(path: Path, char: str) -> Path:
    """A TrueType font that draws `char` (a square) and nothing else."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    for point in ((100, 0), (100, 700), (900, 700), (900, 0)):
        (pen.lineTo if pen.points else pen.moveTo)(point)
    pen.closePath()
    square = pen.glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "rare"])
    builder.setupCharacterMap({ord(char): "rare"})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "rare": square})
    builder.setupHorizontalMetrics({".notdef": (1000, 0), "rare": (1000, 100)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Rare", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))
    return path


def test_a_character_the_bundled_fonts_lack_comes_from_sopdesk_pdf_font(
    pi: documents.PiDocument, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rare = "㐀"
    font = _one_glyph_font(tmp_path / "rare.ttf", rare)
    monkeypatch.setenv("SOPDESK_PDF_FONT", str(font))
    monkeypatch.setattr(documents, "_fc_match", lambda ch: None)
    monkeypatch.setattr(documents, "CJK_CANDIDATES", ())
    assert documents.system_fonts({rare, "𠀀"}) == [documents.FontFile(str(font), 0)]
    doc = replace(pi, buyer=documents.Party("Buyer", f"{rare}记贸易", ()))
    data, warnings = documents.render_pdf(doc)
    text = _pdf_text(data)
    assert f"{rare}记贸易" in _flat(text) and documents.MISSING not in text
    assert _font_warnings(warnings) == []


def test_a_character_the_bundled_fonts_lack_comes_from_the_system_fonts(
    pi: documents.PiDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOPDESK_PDF_FONT", raising=False)
    rare = "㐀"
    if not documents.system_fonts({rare}):
        pytest.skip("no font on this machine has U+3400 (install fonts-noto-cjk)")
    doc = replace(pi, buyer=documents.Party("Buyer", f"{rare}记贸易", ()))
    data, warnings = documents.render_pdf(doc)
    assert f"{rare}记贸易" in _flat(_pdf_text(data)) and _font_warnings(warnings) == []


def test_without_any_cjk_font_missing_characters_are_shown_and_reported(
    pi: documents.PiDocument, monkeypatch: pytest.MonkeyPatch, no_system_fonts: None
) -> None:
    monkeypatch.setattr(documents, "CJK_FONT", documents.FONT_DIR / "absent.ttf")
    data, warnings = documents.render_pdf(pi)
    text = _pdf_text(data)
    assert documents.MISSING in text and "深" not in text
    assert "Ромашка" in text  # DejaVu still draws Cyrillic
    (warning,) = _font_warnings(warnings)
    assert "10 character(s)" in warning  # distinct ones: 明 twice


def test_xlsx_reads_back_with_numbers_and_formulas(pi: documents.PiDocument) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(documents.render_xlsx(pi)))
    sheet = book["PI"]
    cells = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row}
    assert cells[(1, 1)] == "Proforma Invoice" and cells[(1, 2)] == "PI-2026-0001"
    header = next(r for (r, c), v in cells.items() if c == 1 and v == "No.")
    assert cells[(header + 1, 2)] == "HB-150"
    assert cells[(header + 1, 5)] == 600
    assert Decimal(str(cells[(header + 1, 6)])) == Decimal("25.80") or cells[(header + 1, 6)]
    assert cells[(header + 1, 7)] == f"=ROUND(E{header + 1}*F{header + 1},2)"
    assert cells[(header + 3, 7)] == f"=SUM(G{header + 1}:G{header + 2})"
    assert sheet.cell(header + 3, 7).number_format == "#,##0.00"
    assert any(v == "BKCHCNBJ92A" for v in cells.values())
    assert cells[(header, 8)] == "Photo" and cells[(header, 9)] == "Photo link"
    assert str(cells[(header + 1, 9)]).endswith("hb.png")
    assert cells[(header + 2, 9)] == "javascript:alert(1)" and cells[(header + 2, 8)] is None
    (image,) = sheet._images  # hb.png, embedded at H of its line
    assert image.anchor._from.row == header and image.anchor._from.col == 7


def test_jpy_documents_have_no_decimals(pi: documents.PiDocument) -> None:
    from openpyxl import load_workbook

    jpy = replace(pi, currency="JPY", digits=0)
    book = load_workbook(io.BytesIO(documents.render_xlsx(jpy)))
    formulas = [
        c.value for row in book["PI"].iter_rows() for c in row if str(c.value).startswith("=ROUND")
    ]
    assert formulas and all(f.endswith(",0)") for f in formulas)


def test_excel_text_never_becomes_a_formula() -> None:
    assert documents._excel_text('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert documents._excel_text("+86 139") == "'+86 139"
    assert documents._excel_text("ok\x1b") == "ok"


def test_export_writes_each_kind_and_refuses_to_overwrite(
    pi: documents.PiDocument, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = documents.export(
        pi, {"pdf": out / "pi.pdf", "xlsx": out / "pi.xlsx", "html": out / "pi.html"}
    )
    assert sorted(f.path.name for f in result.files) == ["pi.html", "pi.pdf", "pi.xlsx"]
    before = (out / "pi.pdf").read_bytes()
    with pytest.raises(documents.OutputPathError, match="exists"):
        documents.export(pi, {"pdf": out / "pi.pdf", "html": out / "new.html"})
    assert not (out / "new.html").exists()  # a refused path writes nothing at all
    assert (out / "pi.pdf").read_bytes() == before
    documents.export(pi, {"pdf": out / "pi.pdf"}, force=True)
    assert (out / "pi.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in out.iterdir()) == [
        "pi.html",
        "pi.pdf",
        "pi.xlsx",
    ]  # no temp files


def test_paths_outside_the_directory_are_refused(pi: documents.PiDocument, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in ("../evil.pdf", "sub/x.pdf", "..", "x.pdf\x00.txt", ""):
        with pytest.raises(documents.OutputPathError):
            documents.safe_output_path(out, name, "pdf")
    with pytest.raises(documents.OutputPathError, match=r"must end in \.pdf"):
        documents.safe_output_path(out, "pi.html", "pdf")
    secret = tmp_path / "secret.txt"
    secret.write_text("keep")
    (out / "link.pdf").symlink_to(secret)
    with pytest.raises(documents.OutputPathError, match="symbolic link"):
        documents.export(pi, {"pdf": out / "link.pdf"}, force=True)
    assert secret.read_text() == "keep"
    with pytest.raises(documents.OutputPathError, match=r"must end in \.html"):
        documents.export(pi, {"pdf": out / "a.pdf", "html": out / "a.pdf"})
    assert not (out / "a.pdf").exists()


def test_the_ui_export_names_files_after_the_pi(pi: documents.PiDocument, tmp_path: Path) -> None:
    result = documents.export_to_dir(pi, ["pdf", "xlsx"], tmp_path)
    assert sorted(f.path.name for f in result.files) == ["PI-2026-0001.pdf", "PI-2026-0001.xlsx"]
    with pytest.raises(documents.OutputPathError):
        documents.export_to_dir(pi, ["pdf"], tmp_path)


def test_cli_writes_the_pi(pi: documents.PiDocument, store: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sopdesk.cli import main

    runner = CliRunner()
    target = tmp_path / "cli.pdf"
    ok = runner.invoke(main, ["pi", "PI-2026-0001", "--pdf", str(target), "--db", str(store)])
    assert ok.exit_code == 0, ok.output
    assert target.read_bytes().startswith(b"%PDF")
    again = runner.invoke(main, ["pi", "PI-2026-0001", "--pdf", str(target), "--db", str(store)])
    assert again.exit_code == 1 and "exists" in again.output
    summary = runner.invoke(main, ["pi", "PI-2026-0001", "--db", str(store)])
    assert summary.exit_code == 0 and "USD 17,101.01" in summary.output
    assert runner.invoke(main, ["pi", "PI-2026-0002", "--db", str(store)]).exit_code == 1
    assert runner.invoke(main, ["pi", "nonsense", "--db", str(store)]).exit_code == 2


# --- photos from links ---------------------------------------------------------------------


def _png(size: tuple[int, int] = (50, 30), colour: tuple[int, int, int] = (20, 90, 200)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


class _Photos(BaseHTTPRequestHandler):
    """/hb.png a picture, /page.html a web page, /to-file a redirect to file:, the rest 404."""

    hits: list[str] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        if self.path == "/hb.png":
            self._answer(200, "image/png", _png())
        elif self.path == "/page.html":
            self._answer(200, "text/html", b"<html><body>not a photo</body></html>")
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/hostname")
            self.end_headers()
        else:
            self._answer(404, "text/plain", b"no such photo")

    def _answer(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def photo_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A web server on this machine for photo links; its base URL (no proxy in between)."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    _Photos.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Photos)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _with_photos(pi: documents.PiDocument, photos: list[str]) -> documents.PiDocument:
    """The PI with one line per photo, each as `build` would make it."""
    lines = []
    for no, photo in enumerate(photos, start=1):
        url, file, _problem = documents._photo_source(photo)
        lines.append(
            replace(pi.lines[0], no=no, sku=f"P-{no}", photo=photo, photo_url=url, photo_file=file)
        )
    return replace(pi, lines=tuple(lines))


def test_photo_links_are_fetched_once_and_failures_reported(
    pi: documents.PiDocument, photo_server: str, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    good, missing, page = (
        f"{photo_server}/hb.png",
        f"{photo_server}/gone.png",
        f"{photo_server}/page.html",
    )
    doc = _with_photos(pi, [good, missing, page, f"{photo_server}/to-file", good])
    result = documents.export(
        doc, {kind: tmp_path / f"pi.{kind}" for kind in ("pdf", "html", "xlsx")}
    )
    assert sorted(_Photos.hits) == ["/gone.png", "/hb.png", "/page.html", "/to-file"]  # once each
    photo_warnings = [w for w in result.warnings if "photo" in w]
    assert len(photo_warnings) == 3  # not once per kind
    by_line = {w.split(")")[0]: w for w in photo_warnings}
    assert "404" in by_line["line 2 (P-2"] and missing in by_line["line 2 (P-2"]
    assert "not a PNG, JPEG, GIF or WebP picture" in by_line["line 3 (P-3"]
    assert "redirects" in by_line["line 4 (P-4"]

    pdf = (tmp_path / "pi.pdf").read_bytes()
    assert _pdf_images(pdf) == 1  # lines 1 and 5: one picture, stored once
    flat = _flat(_pdf_text(pdf))
    assert f"Photo:{missing}" in flat and f"Photo:{page}" in flat and f"Photo:{good}" not in flat

    outline = _outline((tmp_path / "pi.html").read_text())
    # The fetched picture is in the page itself (it stands alone when e-mailed), not the link.
    sources = [a["src"] or "" for tag, a in outline.tags if tag == "img"]
    assert len(sources) == 2 and all(s.startswith("data:image/") for s in sources), sources
    assert good not in (tmp_path / "pi.html").read_text()
    links = [a["href"] for tag, a in outline.tags if tag == "a"]
    assert links == [missing, page, f"{photo_server}/to-file"]

    sheet = load_workbook(tmp_path / "pi.xlsx")["PI"]
    assert len(sheet._images) == 2


def test_a_hostile_photo_link_is_never_active(pi: documents.PiDocument, photo_server: str) -> None:
    hostile = f'{photo_server}/x.png" onerror="alert(1)"><script>alert(2)</script>'
    doc = documents.load_photos(
        _with_photos(
            pi, [hostile, "javascript:alert(1)", "JaVaScRiPt:alert(3)", "data:text/html,<b>x"]
        )
    )
    assert len(doc.warnings) == 4
    html = documents.render_html(doc)
    assert "<script>" not in html and 'onerror="' not in html
    outline = _outline(html)
    tags = outline.tags
    assert not [tag for tag, _a in tags if tag == "script"]
    assert all(not name.startswith("on") for _tag, attrs in tags for name in attrs)
    (href,) = [a["href"] or "" for tag, a in tags if tag == "a"]
    assert href.startswith(f"{photo_server}/x.png%22%20onerror=%22alert(1)%22%3E%3Cscript%3E")
    values = [(v or "").lower() for _tag, attrs in tags for v in attrs.values()]
    assert not any(v.startswith(("javascript", "data:text")) for v in values)
    assert "javascript:alert(1)" in outline.ids["pi-lines"]  # shown as text


def test_local_photo_problems_are_reported_and_the_path_printed(
    pi: documents.PiDocument, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    big = tmp_path / "big.png"
    big.write_bytes(_png((400, 400)))
    monkeypatch.setattr(documents, "MAX_PHOTO_BYTES", 1000)
    tall = tmp_path / "tall.png"
    tall.write_bytes(_png((10, 400)))
    doc = _with_photos(
        pi, [str(notes), str(tmp_path / "absent.png"), str(big), tall.as_uri(), "ftp://x/y.png"]
    )
    data, warnings = documents.render_pdf(doc)
    assert len(warnings) == 4
    joined = "\n".join(warnings)
    assert "not a PNG" in joined and "no such file" in joined and "larger than" in joined
    assert "only http(s) links and local files" in joined
    assert _pdf_images(data) == 1  # the tall one, padded to at most 1.5 times its width
    loaded = documents.load_photos(doc)
    picture = loaded.lines[3].picture
    assert picture is not None and picture.height <= picture.width * documents.PHOTO_TALLEST + 1
    assert f"Photo:{notes}" in _flat(_pdf_text(data))
