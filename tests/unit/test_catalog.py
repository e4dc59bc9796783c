"""The product catalogue: edit, search, and `import products` (all or nothing)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sopdesk.services import catalog
from tests.marked_gettext import is_marked, marked

HEADER = "SKU,Name,Specs,MOQ,Unit,Lead time,Price tiers,Currency,Photos\n"


def _product(sku: str = "HB-150", **kw: object) -> catalog.ProductDetail:
    values: dict[str, object] = {
        "product_id": None,
        "sku": sku,
        "name": "LED high bay 150W",
        "tiers": (catalog.TierView(100, Decimal("28.50"), "USD"),),
    }
    values.update(kw)
    return catalog.ProductDetail(**values)  # type: ignore[arg-type]


def test_save_search_and_edit(store: Path) -> None:
    first = catalog.save_product(_product(specs="150W IP65", applications="warehouses"))
    catalog.save_product(_product("PN-4060", name="LED panel 600x600", tiers=()))
    page = catalog.list_products()
    assert [r.sku for r in page.rows] == ["HB-150", "PN-4060"] and not page.more
    assert page.rows[0].from_price == catalog.TierView(100, Decimal("28.5000"), "USD")
    assert [r.sku for r in catalog.list_products("warehouses").rows] == ["HB-150"]
    assert [r.sku for r in catalog.list_products("panel 600").rows] == ["PN-4060"]
    assert catalog.list_products("nothing-like-this").rows == ()
    detail = catalog.product(first)
    assert detail is not None and detail.specs == "150W IP65"
    changed = catalog.save_product(
        catalog.ProductDetail(**{**detail.__dict__, "moq": 200, "tiers": ()})
    )
    assert changed == first
    again = catalog.product(first)
    assert again is not None and again.moq == 200 and again.tiers == ()
    with pytest.raises(catalog.CatalogError, match="already in the catalogue"):
        catalog.save_product(_product("hb-150"))


def test_keyset_pages(store: Path) -> None:
    for n in range(5):
        catalog.save_product(_product(f"SKU-{n}", name=f"Lamp {n}"))
    first = catalog.list_products(limit=2)
    assert first.more and [r.sku for r in first.rows] == ["SKU-0", "SKU-1"]
    last = first.rows[-1]
    second = catalog.list_products(after=(last.name, last.product_id), limit=2)
    assert [r.sku for r in second.rows] == ["SKU-2", "SKU-3"]


def test_bad_products_are_refused() -> None:
    with pytest.raises(catalog.CatalogError, match="SKU"):
        catalog.check(_product(""))
    with pytest.raises(catalog.CatalogError, match="two price tiers start at 100"):
        catalog.check(_product(tiers=(catalog.TierView(100, Decimal(1), "USD"),) * 2))
    with pytest.raises(catalog.CatalogError, match="negative"):
        catalog.check(_product(tiers=(catalog.TierView(100, Decimal(-1), "USD"),)))


def test_tiers_in_one_cell() -> None:
    parse = catalog.parse_tiers
    assert parse("100: 28.50; 500: 25.80") == (
        catalog.TierView(100, Decimal("28.50"), "USD"),
        catalog.TierView(500, Decimal("25.80"), "USD"),
    )
    assert parse("1,000+ EUR 7.90\n3000=7.5", "USD") == (
        catalog.TierView(1000, Decimal("7.90"), "EUR"),
        catalog.TierView(3000, Decimal("7.5"), "USD"),
    )
    assert parse("200 @ $9.80") == (catalog.TierView(200, Decimal("9.80"), "USD"),)
    assert parse("") == ()
    with pytest.raises(ValueError, match="cannot read"):
        parse("cheap")


@given(
    st.lists(
        st.tuples(st.integers(1, 10**6), st.decimals(0, 10**5, places=2)), min_size=1, max_size=6
    )
)
def test_tiers_round_trip(pairs: list[tuple[int, Decimal]]) -> None:
    tiers = tuple(catalog.TierView(q, p, "USD") for q, p in pairs)
    assert catalog.parse_tiers(catalog.format_tiers(tiers)) == tiers


@given(st.text(max_size=60))
def test_tier_parser_only_raises_value_errors(text: str) -> None:
    try:
        tiers = catalog.parse_tiers(text)
    except ValueError:
        return
    assert all(t.min_qty >= 0 and t.unit_price >= 0 and len(t.currency) == 3 for t in tiers)


def test_import_creates_updates_and_keeps_what_the_sheet_leaves_out(
    store: Path, tmp_path: Path
) -> None:
    catalog.save_product(_product(specs="150W, IP65, 5000K", moq=100))
    sheet = tmp_path / "products.csv"
    sheet.write_text(
        HEADER + 'NEW-1,New lamp 10W,"10W, IP65",100,pcs,20 days,"100: 5.50; 500: 4.90",USD,'
        "https://x.example/a.jpg\n"
        'HB-150,LED UFO high bay 150W,,,,,"100: 27.90",USD,\n',
        encoding="utf-8",
    )
    report = catalog.import_products(sheet)
    assert report.ok and report.committed
    assert [(r.row, r.outcome, r.sku) for r in report.rows] == [
        (2, catalog.Outcome.CREATED, "NEW-1"),
        (3, catalog.Outcome.UPDATED, "HB-150"),
    ]
    updated = catalog.by_sku("HB-150")
    assert updated is not None and updated.name == "LED UFO high bay 150W"
    assert updated.specs == "150W, IP65, 5000K" and updated.moq == 100  # blank cells kept
    assert updated.tiers == (catalog.TierView(100, Decimal("27.9000"), "USD"),)
    new = catalog.by_sku("new-1")
    assert (
        new is not None and new.lead_time_days == 20 and new.photos == ("https://x.example/a.jpg",)
    )
    assert catalog.import_products(sheet).count(catalog.Outcome.UPDATED) == 2  # again: no doubles


def test_import_is_all_or_nothing(store: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        HEADER + "OK-1,Fine,,10,pcs,,100: 1,USD,\nBAD-1,Broken,,lots,pcs,,,USD,\n"
        "OK-1,Twice,,,,,,,\n",
        encoding="utf-8",
    )
    report = catalog.import_products(sheet)
    assert not report.committed and [r.outcome for r in report.rejected] == [
        catalog.Outcome.REJECTED,
        catalog.Outcome.REJECTED,
    ]
    assert "MOQ 'lots' is not a whole number" in report.rejected[0].reason
    assert "also in row 2" in report.rejected[1].reason
    assert catalog.list_products().rows == ()
    skipped = catalog.import_products(sheet, skip_bad=True)
    assert skipped.committed and [r.sku for r in catalog.list_products().rows] == ["OK-1"]
    dry = catalog.import_products(sheet, dry_run=True)
    assert not dry.committed and dry.dry_run


def test_import_reads_xlsx_with_chinese_headers(store: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["产品目录 2026"])  # a title row above the header
    sheet.append(["型号", "产品名称", "起订量", "阶梯价格", "币种"])
    sheet.append(["SSL-60", "太阳能路灯 60W", 20, "20: 68; 100: 59", "USD"])
    path = tmp_path / "products.xlsx"
    book.save(path)
    report = catalog.import_products(path)
    assert report.ok and report.committed, report
    found = catalog.by_sku("SSL-60")
    assert found is not None and found.name == "太阳能路灯 60W" and found.moq == 20
    assert [t.min_qty for t in found.tiers] == [20, 100]


def test_unreadable_files_are_rejected_whole(store: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert catalog.import_products(empty).error
    no_header = tmp_path / "x.csv"
    no_header.write_text("a,b\n1,2\n", encoding="utf-8")
    assert "SKU and Name" in catalog.import_products(no_header).error
    assert "unsupported" in catalog.import_products(tmp_path / "x.txt").error


def test_import_reasons_go_through_gettext(store: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        HEADER + "OK-1,Fine,,10,pcs,,100: 1,USD,\nBAD-1,Broken,,lots,pcs,,,USD,\n"
        "OK-1,Twice,,,,,,,\nBAD-2,Tiers,,,,,100 for cheap,,\nBAD-3,Money,,,,,,US Dollars,\n",
        encoding="utf-8",
    )
    with marked():
        report = catalog.import_products(sheet)
        assert [r.row for r in report.rejected] == [3, 4, 5, 6]
        assert all(is_marked(r.reason) for r in report.rejected), report.rejected
        assert all(is_marked(n) for n in report.notes), report.notes
        assert is_marked(catalog.import_products(tmp_path / "x.txt").error)
