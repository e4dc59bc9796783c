"""The PI as HTML (checked structurally), PDF (opened and its text extracted) and XLSX (read
back); output paths that would overwrite or escape their directory are refused."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
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


def test_the_document_holds_the_quote(pi: documents.PiDocument) -> None:
    assert pi.label == "PI-2026-0001" and pi.trade_term == "CIF Jebel Ali"
    assert pi.port_role == "port of destination"
    assert pi.total == Decimal("17101.01") and pi.total_text == "USD 17,101.01"
    first, second = pi.lines
    assert first.photo_file.endswith("hb.png") and first.photo_src.startswith("file://")
    assert second.photo_src == "" and second.photo_file == ""  # javascript: is never a source
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
    assert [i["src"] for i in images] == [pi.lines[0].photo_src]
    attributes = [value or "" for _tag, attrs in outline.tags for value in attrs.values()]
    assert not any(value.lower().startswith("javascript") for value in attributes)
    for label in ("Payment", "Lead time", "Packing", "Validity", "SWIFT", "Bank"):
        assert f"<dt>{label}</dt>" in html
    assert "Prices valid until 12 Dec 2026" in outline.ids["pi-terms"]
    assert "Bank of China, Ningbo Branch" in outline.ids["pi-bank"]


def test_pdf_opens_and_its_text_reads_back(pi: documents.PiDocument) -> None:
    from pypdf import PdfReader

    data, warnings = documents.render_pdf(pi)
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    flat = re.sub(r"[\s\x00]+", "", text)  # pypdf spaces out CJK glyphs
    assert "PROFORMAINVOICE" in flat and "PI-2026-0001" in flat
    assert "USD17,101.01" in flat and "17,100.00" in flat and "0.3351.01" in flat
    assert "ООО«Ромашка»" in flat and "شركةالنور" in flat
    assert "Validuntil:12Dec2026" in flat and "BKCHCNBJ92A" in flat
    if documents.cjk_font() is not None:
        assert "深圳市光明照明有限公司" in flat and warnings == ()
    else:
        assert documents.MISSING in text and warnings


def test_without_a_cjk_font_missing_characters_are_shown_and_reported(
    pi: documents.PiDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    monkeypatch.setattr(documents, "cjk_font", lambda: None)
    data, warnings = documents.render_pdf(pi)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert documents.MISSING in text and "深" not in text
    assert "Ромашка" in text  # DejaVu still draws Cyrillic
    (warning,) = warnings
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
