"""The customer sheet in and out: messy real-world-shaped sheets, the real re-saved CSVs, fuzzing,
and the round trip export → import into an empty database → export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pendulum
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sopdesk.services import records
from sopdesk.services.exporters.customers import csv_text, export_customers
from sopdesk.services.importers.customers import Outcome, import_customers, parse_mapping
from sopdesk.sop import records as rules
from sopdesk.sop.stages import ActivityKind, Channel, LostReason, Stage
from sopdesk.store import db
from sopdesk.store.models import Activity, Contact, Customer, StageChange
from tests.conftest import SHARED
from tests.marked_gettext import is_marked, marked

SHEETS = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"
REAL = SHARED / "data" / "real-sheets"
ZONE = "Asia/Shanghai"
DATABLIST_MAP = parse_mapping(
    [
        "First Name=first_name",
        "Last Name=last_name",
        "Phone 1=phone",
        "Phone 2=phone2",
        "Subscription Date=first_contact",
        "Customer Id=ignore",
        "Index=ignore",
        "City=ignore",
    ]
)


def customer(number: int) -> Customer:
    with db.database.connection_context():
        return Customer.get(Customer.number == number)


def local_date(at: pendulum.DateTime | None) -> str:
    assert at is not None
    return at.in_timezone(ZONE).format("YYYY-MM-DD")


# --- pure readers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("USD 12,000", "12000", "USD"),
        ("¥80000", "80000", "CNY"),
        ("￥80,000.50", "80000.50", "CNY"),
        ("12k", "12000", "USD"),
        ("€3.5k", "3500", "EUR"),
        ("1.234,56 €", "1234.56", "EUR"),
        ("$5,500.50", "5500.50", "USD"),
        ("RMB 3000", "3000", "CNY"),
        ("5万", "50000", "USD"),
        ("12 000 EUR", "12000", "EUR"),
        ("GBP1m", "1000000", "GBP"),
    ],
)
def test_money_forms(text: str, amount: str, currency: str) -> None:
    assert rules.parse_money(text) == (Decimal(amount), currency)


@pytest.mark.parametrize("text", ["lots", "1,30E+01", "12..5", "USD", "-5", "12 apples"])
def test_not_money(text: str) -> None:
    with pytest.raises(ValueError):
        rules.parse_money(text)


def test_dates_in_spreadsheet_forms() -> None:
    d = rules.parse_sheet_date
    assert (
        d("2020-08-24")
        == d("24.08.2020")
        == d("8/24/2020")
        == d("24/8/20")
        == d("Aug 24, 2020")
        == d("24-Aug-2020")
        == d(44067)
        == d("44067")
        == d(datetime(2020, 8, 24, 0, 0))
    )
    assert d("2026年3月5日").isoformat() == "2026-03-05"
    assert d("3/11/2020", rules.DMY).isoformat() == "2020-11-03"
    assert d("3/11/2020", rules.MDY).isoformat() == "2020-03-11"
    assert d(45231).isoformat() == "2023-11-01"  # an Excel serial


def test_date_order_is_decided_per_column() -> None:
    assert rules.date_order(["3/11/2020", "8/24/2020"]) == rules.DateOrder(rules.MDY, False)
    assert rules.date_order(["3/11/2020", "24/8/20"]) == rules.DateOrder(rules.DMY, False)
    assert rules.date_order(["3/11/2020", "4/5/2021"]).ambiguous
    assert rules.date_order(["24/8/20", "8/24/2020"]).conflicting
    assert not rules.date_order(["02.06.2020"]).ambiguous  # dots are day first


def test_excel_damage_in_phone_cells() -> None:
    assert "formula" in (rules.excel_damage("-3769") or "")
    assert "scientific" in (rules.excel_damage("1.39E+10") or "")
    assert rules.excel_damage("#NAME?") is not None
    assert rules.excel_damage("+1-846-706-2218") is None


def test_headers_in_chinese_and_english_with_spaces() -> None:
    assert rules.field_for_header(" 公司 / 姓名 ") == "company"
    assert rules.field_for_header("客户编号") == rules.field_for_header("Customer No.") == "number"
    assert rules.field_for_header("预计订单价值") == "expected_value"
    with pytest.raises(ValueError, match="unknown field"):
        parse_mapping(["Foo=bar"])


# --- messy sheets ----------------------------------------------------------------------------


def test_a_gbk_chinese_sheet_with_blank_rows_serial_dates_and_trailing_spaces(store: Path) -> None:
    report = import_customers(SHEETS / "appendix_zh_gbk.csv", rep_zone=ZONE)
    assert report.committed and report.ok
    assert "encoding gb18030" in report.notes
    assert [(r.row, r.outcome, r.customer_code) for r in report.rows] == [
        (3, Outcome.CREATED, "C-00001"),
        (4, Outcome.CREATED, "C-00002"),
        (6, Outcome.CREATED, "C-00003"),
        (7, Outcome.CREATED, "C-00004"),
    ]
    first = customer(1)
    assert first.company == "杭州明亮照明有限公司"  # trailing spaces gone
    assert first.country == "CN" and first.source is Channel.SITE_INQUIRY
    assert first.stage is Stage.INTENT
    assert local_date(first.first_contact_at) == "2023-11-01"  # Excel serial 45231
    assert (first.expected_value, first.expected_currency) == (Decimal("80000"), "CNY")
    assert first.notes == "老客户介绍"
    assert first.next_follow_up_plan == "催报价"
    assert first.next_follow_up_at is not None
    assert (
        first.next_follow_up_at.in_timezone(ZONE).format("YYYY-MM-DD HH:mm") == "2026-12-03 09:30"
    )
    second = customer(2)
    assert (second.country, second.timezone, second.stage) == (
        "DE",
        "Europe/Berlin",
        Stage.NEGOTIATION,
    )
    assert local_date(second.first_contact_at) == "2026-03-05"
    assert second.next_follow_up_plan == "下周跟进"
    third = customer(3)
    assert (third.country, third.expected_value) == ("AE", Decimal("12000"))
    assert local_date(third.first_contact_at) == "2026-01-08"
    lost = customer(4)
    assert lost.stage is Stage.LOST and lost.lost_reason is LostReason.OTHER
    assert (lost.expected_value, lost.expected_currency) == (Decimal("3500"), "EUR")
    assert lost.source is Channel.OTHER  # 展会: a trade show
    with db.database.connection_context():
        note = Activity.get(Activity.customer == first.id, Activity.kind == ActivityKind.NOTE)
        assert note.text == "已发报价单 FOB宁波"


def test_a_title_row_above_the_header_and_dotted_dates(store: Path) -> None:
    report = import_customers(SHEETS / "english_title_row.csv", rep_zone=ZONE)
    assert report.ok and "header in row 2" in report.notes
    assert [r.row for r in report.rows] == [3, 4, 6]
    prime = customer(12)
    assert (prime.country, prime.stage) == ("US", Stage.NEGOTIATION)
    assert local_date(prime.first_contact_at) == "2025-08-24"
    rossi = customer(13)
    assert (rossi.expected_value, rossi.expected_currency) == (Decimal("1234.56"), "EUR")
    assert rossi.notes == "price [USD] matters"
    assert rossi.next_follow_up_at is None and rossi.next_follow_up_plan == "call back on friday"
    assert local_date(customer(14).first_contact_at) == "2025-12-01"
    assert (customer(14).expected_value, customer(14).expected_currency) == (Decimal("3500"), "EUR")


def _merged_header_workbook(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"] = "客户信息与跟进记录表"
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "客户编号"
    sheet.merge_cells("A2:A3")  # a header cell merged over two rows
    sheet["B2"] = "客户"
    sheet.merge_cells("B2:C2")  # a group header over two columns
    sheet["B3"] = "公司/姓名"
    sheet["C3"] = "国家"
    sheet["D2"] = "首次接触日期"
    sheet.merge_cells("D2:D3")
    sheet["E2"] = "当前状态"
    sheet.merge_cells("E2:E3")
    sheet["F2"] = "预计订单价值"
    sheet.merge_cells("F2:F3")
    sheet.append(["C-00007", "Atlas Lighting LLC ", "USA", datetime(2026, 2, 1), "Intent", 12000])
    sheet.append([None, None, None, None, None, None])
    sheet.append([8, "Nova Energy", "巴西", 45231, "订单客户", "USD 5,000"])
    book.save(path)


def test_an_xlsx_with_merged_header_cells(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    _merged_header_workbook(path)
    report = import_customers(path, rep_zone=ZONE)
    assert report.ok, report.rows
    assert "header in row 3" in report.notes
    assert [(r.row, r.customer_code) for r in report.rows] == [(4, "C-00007"), (6, "C-00008")]
    atlas = customer(7)
    assert (atlas.company, atlas.country, atlas.stage) == ("Atlas Lighting LLC", "US", Stage.INTENT)
    assert (
        atlas.expected_value == Decimal("12000")
        and local_date(atlas.first_contact_at) == "2026-02-01"
    )
    nova = customer(8)
    assert (nova.country, nova.stage) == ("BR", Stage.ORDER)
    assert local_date(nova.first_contact_at) == "2023-11-01"


def test_all_or_nothing_with_every_rejected_row_and_its_reason(store: Path) -> None:
    report = import_customers(SHEETS / "bad_rows.csv", rep_zone=ZONE)
    assert not report.committed
    rejected = {r.row: r.reason for r in report.rejected}
    assert set(rejected) == {3, 4, 5, 6}
    assert "Sleeping Beauty" in rejected[3] and "Current status" in rejected[3]
    assert "2026-02-30" in rejected[4]
    assert "lots of money" in rejected[5]
    assert "not-an-address" in rejected[6]
    with db.database.connection_context():
        assert Customer.select().count() == 0
    skipped = import_customers(SHEETS / "bad_rows.csv", rep_zone=ZONE, skip_bad=True)
    assert skipped.committed and skipped.count(Outcome.CREATED) == 2
    with db.database.connection_context():
        assert sorted(c.number for c in Customer.select()) == [1, 6]


def test_a_dry_run_lists_what_would_happen_and_writes_nothing(
    store: Path | str, tmp_path: Path
) -> None:
    import_customers(SHEETS / "english_title_row.csv", rep_zone=ZONE)
    text = (
        "Company/Name,E-mail,Country\nPrime Lighting Co.,x@prime.example,USA\nBrand New Ltd,,DE\n"
    )
    path = tmp_path / "more.csv"
    path.write_text(text)
    report = import_customers(path, rep_zone=ZONE, dry_run=True)
    assert report.dry_run and not report.committed
    assert [(r.outcome, r.customer_code) for r in report.rows] == [
        (Outcome.MERGED, "C-00012"),  # same company name, same country
        (Outcome.CREATED, "C-00015"),
    ]
    with db.database.connection_context():
        assert Customer.select().count() == 3
        assert not Contact.select().where(Contact.email == "x@prime.example").exists()


def test_reimporting_updates_and_duplicates_merge_instead_of_doubling(
    store: Path | str, tmp_path: Path
) -> None:
    import_customers(SHEETS / "appendix_zh_gbk.csv", rep_zone=ZONE)
    again = import_customers(SHEETS / "appendix_zh_gbk.csv", rep_zone=ZONE)
    assert {r.outcome for r in again.rows} == {Outcome.UPDATED}
    path = tmp_path / "dupes.csv"
    path.write_text(
        "公司/姓名,邮箱,国家\n"
        "Müller Licht GmbH,jonas@mueller-licht.de,德国\n"
        "Mueller Licht,jonas@mueller-licht.de,Germany\n"  # same e-mail as the row above
        "Brand New Trading,ops@brandnew.example,UK\n",
        encoding="utf-8",
    )
    report = import_customers(path, rep_zone=ZONE)
    assert [(r.outcome, r.customer_code) for r in report.rows] == [
        (Outcome.MERGED, "C-00002"),
        (Outcome.MERGED, "C-00002"),
        (Outcome.CREATED, "C-00005"),
    ]
    with db.database.connection_context():
        assert Customer.select().count() == 5
        assert Contact.select().where(Contact.email == "jonas@mueller-licht.de").count() == 1


def test_a_number_that_belongs_to_another_customer_is_rejected(
    store: Path | str, tmp_path: Path
) -> None:
    import_customers(SHEETS / "appendix_zh_gbk.csv", rep_zone=ZONE)
    path = tmp_path / "clash.csv"
    path.write_text("客户编号,公司/姓名\n1,Completely Different Corp\n", encoding="utf-8")
    report = import_customers(path, rep_zone=ZONE)
    assert report.rejected and "杭州明亮照明有限公司" in report.rejected[0].reason


def test_ambiguous_dates_are_reported_and_the_order_can_be_chosen(
    store: Path | str, tmp_path: Path
) -> None:
    path = tmp_path / "ambiguous.csv"
    path.write_text("Company/Name,First contact date\nA Ltd,3/11/2020\nB Ltd,4/5/2021\n")
    report = import_customers(path, rep_zone=ZONE, dry_run=True)
    assert any("cannot be told apart" in n and "d/m/y" in n for n in report.notes)
    import_customers(path, rep_zone=ZONE, date_order="MDY")
    assert local_date(customer(1).first_contact_at) == "2020-03-11"


def test_a_file_without_known_headers_says_how_to_map(store: Path | str, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Firma,Land\nAcme,DE\n")
    report = import_customers(path)
    assert "--map" in report.error
    mapped = import_customers(path, parse_mapping(["Firma=company", "Land=country"]))
    assert mapped.ok and customer(1).country == "DE"


# --- the real re-saved sheets ----------------------------------------------------------------

REAL_FILES = [
    "datablist-customers-100.csv",
    "excel-us-mdy-customers-100.csv",
    "excel-eu-semicolon-customers-100.csv",
    "excel-dmy-2digit-year-customers-100.csv",
]


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real-sheets is not here")
def test_the_real_sheets_give_the_same_hundred_customers(store: Path) -> None:
    first = import_customers(REAL / REAL_FILES[0], DATABLIST_MAP, rep_zone=ZONE)
    assert first.committed and first.count(Outcome.CREATED) == 100
    baxter = customer(1)
    assert baxter.company == "Rasmussen Group" and baxter.name == "Sheryl Baxter"
    assert baxter.country == "CL" and local_date(baxter.first_contact_at) == "2020-08-24"
    for name in REAL_FILES[1:]:
        report = import_customers(REAL / name, DATABLIST_MAP, rep_zone=ZONE)
        assert report.committed, report.rejected
        assert report.count(Outcome.CREATED) == 0
        assert report.count(Outcome.MERGED) == 100  # every row found by its e-mail
        flagged = [w for r in report.rows for w in r.warnings if "formula" in w]
        assert len(flagged) == 5, flagged  # the five phones Excel evaluated as formulas
        if "semicolon" in name:
            assert "semicolon-separated" in report.notes
    with db.database.connection_context():
        assert Customer.select().count() == 100
        assert not Contact.select().where(Contact.phone.startswith("-")).exists()


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real-sheets is not here")
@pytest.mark.parametrize(
    ("name", "order"),
    [
        ("excel-us-mdy-customers-100.csv", "m/d/y"),
        ("excel-dmy-2digit-year-customers-100.csv", "d/m/y"),
    ],
)
def test_each_real_sheet_alone_reads_its_dates_in_the_columns_order(
    store: Path, name: str, order: str
) -> None:
    report = import_customers(REAL / name, DATABLIST_MAP, rep_zone=ZONE)
    assert report.count(Outcome.CREATED) == 100
    assert any(f"read as {order}" in note for note in report.notes)
    assert local_date(customer(1).first_contact_at) == "2020-08-24"


# --- round trip ------------------------------------------------------------------------------


def _fill(rep_id: int | None = None) -> None:
    made = records.create_customer("Atlas Lighting LLC", "Jonas Becker", "jonas@atlas.de",
                                   "+49 170 1234567", "DE", Channel.EMAIL, by=rep_id)  # fmt: skip
    detail = records.customer_detail(made.customer_id)
    assert detail is not None
    records.update_customer(
        detail,
        {"expected_value": "€3.5k", "notes": "line one\nline two, \"quoted\"", "tags": "vip, 展会",
         "website": "atlas.de", "buyer_type": "distributor", "potential": "A"},
        rep_zone=ZONE,
    )  # fmt: skip
    records.log_touch(made.customer_id, records.ActivityKind.CALL, records.Direction.OUT,
                      "Called: wants 2,000 pcs\nby March", rep_id)  # fmt: skip
    records.set_next_follow_up(made.customer_id, "2026-12-03 09:30", ZONE, rep_id, plan="send PI")
    records.change_stage(made.customer_id, records.Stage.INTENT, rep_id, "replied")
    other = records.create_customer("", "王伟", "", "", "中国", Channel.WECHAT, by=rep_id)
    records.change_stage(other.customer_id, records.Stage.LOST, rep_id, "",
                         lost_reason=LostReason.PRICE)  # fmt: skip
    records.create_customer("Müller Licht GmbH", country="", by=rep_id, allow_duplicates=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_round_trip_gives_the_same_file(
    tmp_path: Path, make_store: Callable[..., Path | str], lang: str
) -> None:
    db.init(make_store("one"))
    _fill()
    one = tmp_path / "one.csv"
    assert export_customers(one, lang, ZONE).customers == 3
    db.init(make_store("two"))
    report = import_customers(one, rep_zone=ZONE)
    assert report.committed and report.count(Outcome.CREATED) == 3
    two = tmp_path / "two.csv"
    export_customers(two, lang, ZONE)
    assert one.read_bytes() == two.read_bytes()
    assert one.read_bytes().startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(one.read_text("utf-8-sig"))))
    assert rows[0][:2] == (
        ["客户编号", "公司/姓名"] if lang == "zh" else ["Customer no.", "Company/Name"]
    )


def test_xlsx_round_trip_gives_the_same_cells(
    tmp_path: Path, make_store: Callable[..., Path | str]
) -> None:
    from openpyxl import load_workbook

    db.init(make_store("one"))
    _fill()
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    export_customers(one, "zh", ZONE)
    db.init(make_store("two"))
    assert import_customers(one, rep_zone=ZONE).committed
    export_customers(two, "zh", ZONE)

    def cells(path: Path) -> list[tuple[object, ...]]:
        return list(load_workbook(path).active.iter_rows(values_only=True))

    assert cells(one) == cells(two) and len(cells(one)) == 4


def test_round_trip_of_the_demo_database(
    demo_store: Path | str, tmp_path: Path, make_store: Callable[..., Path | str]
) -> None:
    text, count = csv_text("zh", ZONE)
    assert count > 20
    path = tmp_path / "demo.csv"
    path.write_bytes(("\ufeff" + text).encode())
    db.init(make_store("empty"))
    assert import_customers(path, rep_zone=ZONE).count(Outcome.CREATED) == count
    assert csv_text("zh", ZONE) == (text, count)


# --- the commands ----------------------------------------------------------------------------


def test_the_commands_import_and_export(
    tmp_path: Path, make_store: Callable[..., Path | str]
) -> None:
    from sopdesk.cli import main

    runner = CliRunner()
    target = str(make_store("cli"))
    dry = runner.invoke(
        main, ["--db", target, "import", "customers", "--dry-run", str(SHEETS / "bad_rows.csv")]
    )
    assert dry.exit_code == 1
    assert "would create" in dry.output and "row 3" in dry.output
    assert "Sleeping Beauty" in dry.output
    ok = runner.invoke(
        main, ["--db", target, "import", "customers", "--skip-bad", str(SHEETS / "bad_rows.csv")]
    )
    assert ok.exit_code == 0 and "2 created" in ok.output
    out = tmp_path / "sheet.xlsx"
    exported = runner.invoke(
        main, ["--db", target, "export", "customers", str(out), "--lang", "en"]
    )
    assert exported.exit_code == 0 and out.exists() and "2 customers" in exported.output
    bad = runner.invoke(main, ["--db", target, "export", "customers", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 2
    mapped = runner.invoke(
        main,
        ["--db", target, "import", "customers", "--map", "X=nope", str(SHEETS / "bad_rows.csv")],
    )
    assert mapped.exit_code == 2 and "unknown field" in mapped.output


# --- fuzzing ---------------------------------------------------------------------------------

CELLS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", " ", "-3769", "1,30E+01", "=SUM(A1)", "C-00001", "12k", "¥8万", "意向客户",
                     "3/11/2020", "45231", "美国", "a@b.co", "\x1b[2J", "[/bold]", '"', "\r\n"]),
)  # fmt: skip
HEADER = [
    "客户编号",
    "公司/姓名",
    "国家",
    "来源",
    "首次接触日期",
    "当前状态",
    "预计订单价值",
    "E-mail",
    "Phone",
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(CELLS, min_size=0, max_size=len(HEADER) + 1), max_size=8))
def test_any_sheet_is_read_or_rejected_row_by_row(
    store: Path | str, tmp_path: Path, rows: list[list[str]]
) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    path = tmp_path / "fuzz.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    report = import_customers(path, rep_zone=ZONE, dry_run=True)
    assert not report.error
    for row in report.rows:
        assert row.outcome in Outcome
        if row.outcome is Outcome.REJECTED:
            assert row.reason
        else:
            assert row.customer_code.startswith("C-")
    with db.database.connection_context():
        assert Customer.select().count() == 0  # a dry run writes nothing


def test_reasons_warnings_and_notes_go_through_gettext(store: Path, tmp_path: Path) -> None:
    with marked():
        report = import_customers(SHEETS / "bad_rows.csv", rep_zone=ZONE)
        assert {r.row for r in report.rejected} == {3, 4, 5, 6}
        assert all(is_marked(r.reason) for r in report.rejected), report.rejected
        assert report.notes and all(is_marked(n) for n in report.notes), report.notes
        sheet = tmp_path / "warned.csv"
        sheet.write_text(
            "Company/Name,Country,Source,Phone,Current status\n"
            "Odd Phone Ltd,Atlantis,pigeon post,-3769,Lost\n",
            encoding="utf-8",
        )
        warned = import_customers(sheet, rep_zone=ZONE)
        assert warned.ok and len(warned.rows[0].warnings) == 4
        assert all(is_marked(w) for w in warned.rows[0].warnings), warned.rows[0].warnings
        unreadable = import_customers(tmp_path / "customers.txt", rep_zone=ZONE)
        assert is_marked(unreadable.error)


def test_the_sheet_that_set_a_stage_is_worded_when_the_timeline_is_read(
    store: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "old customers.csv"
    sheet.write_text("Company/Name,Current status\nAtlas Lighting,Order\n", encoding="utf-8")
    with marked():
        report = import_customers(sheet, rep_zone=ZONE)
    code = report.rows[0].customer_code
    found = records.customer_window(records.CustomerFilter(text="Atlas")).rows[0]
    assert found.code == code
    with db.database.connection_context():
        change = StageChange.get(StageChange.customer == found.customer_id)
        assert change.reason == ""  # no words stored in the importer's language
    detail = records.customer_detail(found.customer_id)
    assert detail is not None
    system = next(i for i in detail.timeline.items if i.kind == ActivityKind.SYSTEM.value)
    assert system.title == "Imported from the customer sheet"
    assert system.text == "Imported from the customer sheet old customers.csv, row 2."
