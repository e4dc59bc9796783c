"""`sopdesk import metrics`: the platform's store-data exports, Chinese (GBK) and English, CSV and
XLSX; re-importing a day replaces it; all or nothing with every rejected row listed."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pendulum
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sopdesk.cli import main
from sopdesk.services.importers import metrics as importer
from sopdesk.services.importers.metrics import MetricsFileError, MetricsKind, StoreDay
from sopdesk.store.db import database
from sopdesk.store.models import Product, ProductMetrics, StoreMetrics, Task
from tests.marked_gettext import is_marked, marked

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "metrics"
NOW = pendulum.datetime(2026, 11, 27, 4, tz="UTC")
ZONE = "Asia/Shanghai"
TODAY = date(2026, 11, 27)


def _store_rows() -> dict[date, tuple[int, int, int, int, int]]:
    with database.connection_context():
        return {
            r.day: (r.exposure, r.clicks, r.inquiries, r.tm_chats, r.visitors)
            for r in StoreMetrics.select()
        }


def test_gbk_store_export_with_a_title_line_and_a_total_row(store) -> None:
    result = importer.import_metrics(FIXTURES / "store_gbk.csv", NOW, ZONE)
    assert result.imported and result.kind is MetricsKind.STORE
    assert result.rows == 5 and result.replaced_days == 0
    assert result.ignored_columns == ("点击率",)
    rows = _store_rows()
    assert rows[date(2026, 11, 20)] == (3120, 96, 6, 8, 140)  # "3,120" is three thousand
    assert rows[date(2026, 11, 21)] == (2980, 88, 5, 7, 131)  # 2026/11/21
    assert rows[date(2026, 11, 22)] == (3300, 101, 0, 9, 150)  # 年月日, "-" for none
    assert rows[date(2026, 11, 23)] == (3411, 105, 8, 7, 166)  # 20261123
    assert len(rows) == 5  # the 合计 row is not a day


def test_reimporting_a_day_replaces_that_day(store) -> None:
    importer.import_metrics(FIXTURES / "store_gbk.csv", NOW, ZONE)
    result = importer.import_metrics(FIXTURES / "store_en_semicolon.csv", NOW, ZONE)
    assert result.imported and result.replaced_days == 1  # 24 Nov was there already
    rows = _store_rows()
    assert rows[date(2026, 11, 24)] == (2800, 80, 4, 6, 120)
    assert rows[date(2026, 11, 25)] == (2900, 85, 5, 7, 125)
    fixed = importer.import_metrics(FIXTURES / "store_fix_gbk.csv", NOW, ZONE)
    assert fixed.replaced_days == 1
    rows = _store_rows()
    assert rows[date(2026, 11, 24)] == (2750, 81, 4, 6, 119)
    assert len(rows) == 6  # 20–25 Nov, each once
    again = importer.import_metrics(FIXTURES / "store_fix_gbk.csv", NOW, ZONE)
    assert again.replaced_days == 1 and _store_rows() == rows  # idempotent


def test_xlsx_store_export(store) -> None:
    result = importer.import_metrics(FIXTURES / "store.xlsx", NOW, ZONE)
    assert result.imported and result.days == (date(2026, 11, 25), date(2026, 11, 26))
    assert _store_rows()[date(2026, 11, 26)] == (3411, 105, 8, 7, 166)


def test_product_export_links_or_adds_products(store) -> None:
    with database.connection_context():
        Product.create(sku="1600123456789", name="LED UFO high bay 150W")
    result = importer.import_metrics(FIXTURES / "product_gbk.csv", NOW, ZONE)
    assert result.imported and result.kind is MetricsKind.PRODUCT
    assert result.rows == 6 and result.created_products == 2
    assert result.ignored_columns == ("平均停留时长",)
    with database.connection_context():
        high_bay = ProductMetrics.get(
            ProductMetrics.product_name == "LED工矿灯 150W",
            ProductMetrics.day == date(2026, 11, 25),
        )
        assert (high_bay.exposure, high_bay.clicks, high_bay.inquiries) == (610, 17, 2)
        assert high_bay.product.sku == "1600123456789"  # matched by the platform id
        assert Product.get(Product.sku == "1600123456790").name == "太阳能路灯 100W"
    again = importer.import_metrics(FIXTURES / "product_gbk.csv", NOW, ZONE)
    assert again.replaced_days == 2 and again.created_products == 0
    with database.connection_context():
        assert ProductMetrics.select().count() == 6


def test_a_product_export_without_dates_needs_the_day(store) -> None:
    with pytest.raises(MetricsFileError, match="--day"):
        importer.import_metrics(FIXTURES / "product_no_date.csv", NOW, ZONE)
    result = importer.import_metrics(
        FIXTURES / "product_no_date.csv", NOW, ZONE, date(2026, 11, 26)
    )
    assert result.imported and result.days == (date(2026, 11, 26),)


def test_one_bad_row_and_nothing_is_written(store) -> None:
    result = importer.import_metrics(FIXTURES / "store_bad_rows.csv", NOW, ZONE)
    assert not result.imported
    lines = {r.line: r.reason for r in result.rejected}
    assert set(lines) == {3, 4, 5, 6, 7, 8}
    assert "YYYY-MM-DD" in lines[3]
    assert "negative" in lines[4]
    assert "whole number" in lines[5]
    assert "line 2" in lines[6]  # 20 Nov twice
    assert "future" in lines[7]
    assert "not a number" in lines[8]
    assert _store_rows() == {}


def test_files_that_are_not_store_data(tmp_path: Path, store) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_text("name,email\nJonas,j@x.de\n")
    with pytest.raises(MetricsFileError, match="header"):
        importer.import_metrics(junk, NOW, ZONE)
    header_only = tmp_path / "empty.csv"
    header_only.write_text("日期,曝光\n")
    with pytest.raises(MetricsFileError, match="no data rows"):
        importer.import_metrics(header_only, NOW, ZONE)
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK not really")
    with pytest.raises(MetricsFileError):
        importer.import_metrics(fake, NOW, ZONE)


def test_parse_helpers() -> None:
    assert importer.parse_count("1,234") == 1234
    assert importer.parse_count(12.0) == 12
    assert importer.parse_count("—") == 0
    for bad in ("1.5", "-1", "abc", True, float("nan"), "1e99"):
        with pytest.raises(ValueError):
            importer.parse_count(bad)
    assert importer.parse_day("2026.1.5") == date(2026, 1, 5)
    with pytest.raises(ValueError):
        importer.parse_day("2026-02-30")
    with pytest.raises(ValueError):
        importer.parse_day("05/01/2026")


# --- the command ------------------------------------------------------------------------------


def test_cli_imports_and_lists_rejected_rows(store: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(
        main, ["--db", str(store), "import", "metrics", str(FIXTURES / "store_gbk.csv")]
    )
    assert ok.exit_code == 0, ok.output
    assert "5 rows for 5 days" in ok.output
    bad = runner.invoke(
        main, ["--db", str(store), "import", "metrics", str(FIXTURES / "store_bad_rows.csv")]
    )
    assert bad.exit_code == 1
    assert "nothing written, 6 rejected rows" in bad.output
    assert "line 4:" in bad.output
    wrong = runner.invoke(main, ["--db", str(store), "import", "metrics", str(FIXTURES / "x.pdf")])
    assert wrong.exit_code == 2


def test_cli_product_import_makes_zero_effect_tasks(store: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["--db", str(store), "import", "metrics", str(FIXTURES / "product_gbk.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "2 new tasks to optimise zero-effect products" in result.output
    with database.connection_context():
        titles = sorted(t.title for t in Task.select())
    # 太阳能路灯: no exposure; LED面板灯: 3 clicks in 1,590 exposures against the products'
    # own 34 / 2,720 = 1.25 % (no store data imported): far below.
    assert titles == [
        "Optimise zero-effect product: LED面板灯 600x600",
        "Optimise zero-effect product: 太阳能路灯 100W",
    ]
    dated = runner.invoke(
        main,
        ["--db", str(store), "import", "metrics", str(FIXTURES / "product_no_date.csv"),
         "--day", "2026-11-26"],
    )  # fmt: skip
    assert dated.exit_code == 0, dated.output


# --- fuzzing ------------------------------------------------------------------------------------

_cells = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(min_value=-(10**13), max_value=10**13),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(
        ["日期", "曝光", "点击", "询盘", "TM咨询", "访客", "产品名称", "合计", "-", "1,2"]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_cells, max_size=8), max_size=12))
def test_any_table_is_parsed_or_refused_never_crashes(table) -> None:
    try:
        parsed = importer.parse_metrics(table, TODAY)
    except MetricsFileError:
        return
    for row in parsed.store_days:
        assert row.day <= TODAY and min(row.exposure, row.clicks, row.visitors) >= 0
    for row in parsed.product_days:
        assert row.name and row.day <= TODAY


_days = st.lists(
    st.builds(
        StoreDay,
        day=st.dates(min_value=date(2020, 1, 1), max_value=TODAY),
        exposure=st.integers(0, 10**9),
        clicks=st.integers(0, 10**6),
        inquiries=st.integers(0, 10**4),
        tm_chats=st.integers(0, 10**4),
        visitors=st.integers(0, 10**6),
    ),
    min_size=1,
    max_size=20,
    unique_by=lambda d: d.day,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _days,
    st.sampled_from(["gbk", "utf-8", "utf-8-sig", "utf-16"]),
    st.sampled_from([",", ";", "\t"]),
)
def test_written_exports_read_back_exactly(days, encoding, delimiter) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["日期", "曝光", "点击", "询盘", "TM咨询", "访客"])
    for d in days:
        writer.writerow([d.day.isoformat(), f"{d.exposure:,}" if delimiter != "," else d.exposure,
                         d.clicks, d.inquiries, d.tm_chats, d.visitors])  # fmt: skip
    table = importer.read_csv_bytes(out.getvalue().encode(encoding))
    parsed = importer.parse_metrics(table, TODAY)
    assert parsed.rejected == ()
    assert sorted(parsed.store_days, key=lambda d: d.day) == sorted(days, key=lambda d: d.day)


def test_many_days_import_in_batches(store, tmp_path: Path) -> None:
    path = tmp_path / "year.csv"
    first = TODAY - timedelta(days=999)
    lines = ["date,exposure,clicks,inquiries"] + [
        f"{(first + timedelta(days=i)).isoformat()},{i},{i // 10},0" for i in range(1000)
    ]
    path.write_text("\n".join(lines))
    result = importer.import_metrics(path, NOW, ZONE)
    assert result.rows == 1000
    assert _store_rows()[TODAY] == (999, 99, 0, 0, 0)


def test_rejected_rows_say_why_through_gettext(store) -> None:
    with marked():
        result = importer.import_metrics(FIXTURES / "store_bad_rows.csv", NOW, ZONE)
        assert len(result.rejected) == 6
        assert all(is_marked(r.reason) for r in result.rejected), result.rejected
        assert any("«Clicks»" in r.reason or "«Exposure»" in r.reason for r in result.rejected)
