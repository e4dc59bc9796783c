"""Importing inquiries from .eml, .mbox and .csv: our fixtures, other people's mail, fuzzing, CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pendulum
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sopdesk.commands.imports import import_group
from sopdesk.services.importers import FileReport, ItemStatus
from sopdesk.services.importers.inquiries import import_file, import_inquiries
from sopdesk.services.importers.mail import decode_bytes, html_to_text, split_mbox
from sopdesk.sop.stages import Channel
from sopdesk.store.db import database
from sopdesk.store.models import Contact, Customer, Inquiry
from tests.conftest import FROZEN_NOW, SHARED
from tests.marked_gettext import is_marked, marked

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MAIL, CSV = FIXTURES / "mail", FIXTURES / "csv"
REAL_MAIL = SHARED / "data" / "real-mail"


def inquiries() -> list[Inquiry]:
    with database.connection_context():
        return list(Inquiry.select().order_by(Inquiry.id))


def inquiry_count() -> int:
    with database.connection_context():
        return int(Inquiry.select().count())


def only(report: FileReport) -> Inquiry:
    assert report.ok and report.committed, report
    rows = inquiries()
    assert len(rows) == 1
    return rows[0]


# --- mail fixtures ------------------------------------------------------------------------------


def test_multipart_alternative_takes_the_quoted_printable_text(store: Path) -> None:
    report = import_file(MAIL / "multipart_alternative_qp_base64.eml")
    row = only(report)
    assert row.channel is Channel.EMAIL
    assert row.buyer_name == "Jürgen Müller"
    assert row.buyer_email == "j.mueller@mueller-leuchten.de"
    assert row.subject == "Anfrage: LED-Panel 600×600"
    assert "Grüße aus München." in row.body and "<p>" not in row.body
    assert row.received_at == pendulum.datetime(2026, 11, 26, 8, 15, tz="UTC")
    assert row.message_id == "20261126091500.4711@mueller-leuchten.de"
    assert row.raw_source and "Content-Transfer-Encoding: base64" in row.raw_source
    with database.connection_context():
        assert Customer.get_by_id(row.customer_id).email_domain == "mueller-leuchten.de"


def test_html_only_mail_becomes_text_without_scripts_or_styles(store: Path) -> None:
    report = import_file(MAIL / "html_only.eml")
    row = only(report)
    assert "Necesitamos 500 lámparas LED para Valencia & Madrid." in row.body
    assert "Precio FOB Ningbo, por favor." in row.body.splitlines()
    assert not any(s in row.body for s in ("alert", "color", "<", "tracker", "Inquiry"))
    assert row.buyer_name == "José María García"
    assert row.subject == "Pedido de lámparas"  # a raw Latin-1 byte in the header
    assert any("HTML" in w for w in report.items[0].warnings)


def test_gbk_mail_with_gb2312_encoded_words(store: Path) -> None:
    row = only(import_file(MAIL / "gbk_body.eml"))
    assert row.buyer_name == "王先生"
    assert row.subject == "询价：LED灯管"
    assert "请报FOB宁波价格" in row.body


def test_a_charset_that_lies_is_not_believed(store: Path) -> None:
    row = only(import_file(MAIL / "lying_charset.eml"))
    assert row.subject == "Cotação"
    assert "cotação para 300 luminárias. São Paulo." in row.body


def test_missing_date_uses_the_import_time_and_still_dedupes(store: Path) -> None:
    report = import_file(MAIL / "missing_headers.eml")
    row = only(report)
    assert row.received_at == FROZEN_NOW
    assert any("no Date" in w for w in report.items[0].warnings)
    again = import_file(MAIL / "missing_headers.eml", now=FROZEN_NOW.add(days=2))
    assert [i.status for i in again.items] == [ItemStatus.DUPLICATE]
    assert inquiry_count() == 1


def test_a_message_without_sender_is_rejected_with_a_reason(store: Path) -> None:
    report = import_file(MAIL / "no_sender.eml")
    assert [(i.where, i.status) for i in report.items] == [("message 1", ItemStatus.REJECTED)]
    assert "no sender address" in report.items[0].reason
    assert not report.committed and inquiry_count() == 0


def test_a_display_name_that_is_another_address_is_dropped(store: Path) -> None:
    report = import_file(MAIL / "display_name_address.eml")
    row = only(report)
    assert row.buyer_email == "urgent-order@mailbox.example" and row.buyer_name == ""
    assert any("purchasing@bigbuyer.com" in w for w in report.items[0].warnings)


def test_mbox_with_an_unescaped_from_line_in_a_body(store: Path) -> None:
    import mailbox

    assert len(mailbox.mbox(MAIL / "three.mbox")) == 4  # the naive reading splits the body
    data = (MAIL / "three.mbox").read_bytes()
    assert [line for line, _raw in split_mbox(data) or []] == [1, 9, 20]
    report = import_file(MAIL / "three.mbox")
    assert [i.where for i in report.items] == [
        "message 1 (line 1)", "message 2 (line 9)", "message 3 (line 20)"
    ]  # fmt: skip
    assert report.ok and report.committed
    rows = inquiries()
    assert "From our side the quantity is now 1500 pcs." in rows[1].body
    assert "\nFrom the warehouse: delivery to Felixstowe." in rows[1].body  # ">From" unescaped
    assert rows[1].customer_id == rows[0].customer_id  # same company domain
    assert report.items[1].linked_by == "domain"
    assert "100 W – IP66" in rows[2].body and rows[2].buyer_name == "Sara Al Mansouri"


@pytest.mark.parametrize(
    "body_line",
    [
        b"From someone@example.com Thu Nov 26 09:00:00 2026",  # looks real, but no header follows
        b"From time to time we order 500 pcs.",
    ],
)
def test_split_mbox_needs_blank_line_date_and_header(body_line: bytes) -> None:
    first = b"From a@b.example Thu Nov 26 08:00:00 2026\nFrom: a@b.example\n\nHello\n"
    assert len(split_mbox(first + b"\n" + body_line + b"\nnot a header\n") or []) == 1
    real = b"From c@d.example Thu Nov 26 09:00:00 2026\nFrom: c@d.example\n\nHi\n"
    assert len(split_mbox(first + real) or []) == 1  # no blank line before it: body text
    assert len(split_mbox(first + b"\n" + real) or []) == 2
    assert split_mbox(b"Hello\n" + first) is None


def test_a_file_that_is_not_an_mbox_is_rejected_as_a_whole(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "inbox.mbox"
    path.write_bytes((MAIL / "gbk_body.eml").read_bytes())
    report = import_file(path)
    assert "not an mbox" in report.error and not report.items


# --- CSV fixtures -------------------------------------------------------------------------------


def test_gbk_csv_with_chinese_headers(store: Path) -> None:
    report = import_file(CSV / "gbk_chinese_headers.csv")
    assert report.ok and report.committed
    assert "gb18030" in report.notes[0]
    rows = inquiries()
    assert [r.buyer_name for r in rows] == ["张伟", "John Carter", "Ahmed"]
    assert [r.country for r in rows] == ["CN", "US", "AE"]
    assert rows[0].company == "深圳光明贸易有限公司" and rows[0].body == "请报价，谢谢"
    assert (rows[0].products, rows[0].quantity, rows[0].port) == ("LED灯管", "5000", "深圳")
    assert rows[0].buyer_phone == "+8613800138000"
    assert rows[0].received_at == pendulum.datetime(2026, 11, 26, 1, 30, tz="UTC")
    assert {r.channel for r in rows} == {Channel.OTHER}


def test_utf8_bom_csv_with_channels(store: Path) -> None:
    report = import_file(CSV / "utf8_bom.csv")
    assert report.ok and "utf-8 with BOM" in report.notes[0]
    rows = inquiries()
    assert [r.buyer_name for r in rows] == ["Léa Dubois", "李娜"]
    assert [r.channel for r in rows] == [Channel.SITE_INQUIRY, Channel.TRADEMANAGER]
    assert rows[0].body == "Bonjour, prix pour 10 000 ampoules ?"
    with database.connection_context():
        assert Customer.get_by_id(rows[1].customer_id).email_domain == ""  # qq.com is free mail


def test_latin1_csv_is_not_read_as_chinese(store: Path) -> None:
    report = import_file(CSV / "latin1.csv")
    assert report.ok and report.committed, report
    assert "cp1252" in report.notes[0]
    rows = inquiries()
    assert [r.buyer_name for r in rows] == ["Jürgen Groß", "François Lefèvre", "João Conceição"]
    assert [r.country for r in rows] == ["DE", "FR", "BR"]


def test_semicolon_csv_with_day_first_dates(store: Path) -> None:
    report = import_file(CSV / "semicolon.csv")
    assert report.ok and "';'" in report.notes[0]
    rows = inquiries()
    assert rows[0].body == "Prijs; levertijd?"
    assert rows[0].company == "Licht & Co B.V."
    assert rows[0].received_at == pendulum.datetime(2026, 11, 25, 1, 30, tz="UTC")


def test_a_bad_row_rejects_the_file_unless_skip_bad(store: Path) -> None:
    report = import_file(CSV / "bad_rows.csv")
    rejected = {i.number: i.reason for i in report.rejected}
    assert sorted(rejected) == [3, 4, 5]
    assert "not an e-mail address" in rejected[3]
    assert "in the future" in rejected[4]
    assert "7 fields" in rejected[5]
    assert not report.committed and inquiry_count() == 0
    warned = next(i for i in report.items if i.number == 6)
    assert warned.status is ItemStatus.IMPORTED and "Narnia" in warned.warnings[0]
    skipped = import_file(CSV / "bad_rows.csv", skip_bad=True)
    assert skipped.committed and inquiry_count() == 3 == skipped.count(ItemStatus.IMPORTED)


@pytest.mark.parametrize(
    ("name", "reason"),
    [("no_header.csv", "no recognised column headers"), ("no_message_column.csv", "no message")],
)
def test_files_without_usable_headers_are_rejected(store: Path, name: str, reason: str) -> None:
    report = import_file(CSV / name)
    assert reason in report.error and not report.committed and inquiry_count() == 0


def test_dry_run_reports_and_writes_nothing(store: Path) -> None:
    report = import_file(CSV / "gbk_chinese_headers.csv", dry_run=True)
    assert [i.customer_code for i in report.items] == ["C-00001", "C-00002", "C-00003"]
    assert all(i.status is ItemStatus.IMPORTED for i in report.items)
    assert report.dry_run and report.committed  # would be written
    assert inquiry_count() == 0


def test_a_dry_run_numbers_across_files_like_the_real_run(store: Path) -> None:
    files = [CSV / "gbk_chinese_headers.csv", MAIL / "three.mbox", CSV / "gbk_chinese_headers.csv"]
    dry = import_inquiries(files, dry_run=True)
    real = import_inquiries(files)
    assert [[i.customer_code for i in r.items] for r in dry] == [
        [i.customer_code for i in r.items] for r in real
    ]
    assert [i.status for i in dry[2].items] == [ItemStatus.DUPLICATE] * 3
    assert dry[1].items[-1].customer_code == "C-00005"


def test_reimporting_adds_nothing(store: Path) -> None:
    for path in sorted(MAIL.iterdir()) + sorted(CSV.iterdir()):
        import_file(path, skip_bad=True)
    before = inquiry_count()
    with database.connection_context():
        customers = Customer.select().count()
    for path in sorted(MAIL.iterdir()) + sorted(CSV.iterdir()):
        report = import_file(path, skip_bad=True)
        assert report.count(ItemStatus.IMPORTED) == 0, path
    assert inquiry_count() == before > 10
    with database.connection_context():
        assert Customer.select().count() == customers


def test_unsupported_and_missing_files_are_reported(store: Path, tmp_path: Path) -> None:
    assert "unsupported" in import_file(tmp_path / "x.txt").error
    assert import_file(tmp_path / "missing.csv").error


# --- other people's mail ------------------------------------------------------------------------


def real_mail_files() -> list[Path]:
    if not REAL_MAIL.is_dir():
        return []
    return sorted(p for p in REAL_MAIL.iterdir() if p.suffix in (".eml", ".mbox"))


@pytest.mark.parametrize("path", real_mail_files(), ids=lambda p: p.name)
def test_real_mail_is_imported_or_rejected_with_a_reason(store: Path, path: Path) -> None:
    report = import_file(path, skip_bad=True)
    assert not report.error and report.items
    for item in report.items:
        assert item.status is not ItemStatus.REJECTED or item.reason
    imported = report.count(ItemStatus.IMPORTED)
    assert inquiry_count() == imported
    for row in inquiries():
        assert "\x00" not in row.body and row.body == row.body.strip()
    again = import_file(path, skip_bad=True)
    assert again.count(ItemStatus.IMPORTED) == 0 and inquiry_count() == imported


def test_real_mail_details() -> None:
    if not REAL_MAIL.is_dir():
        pytest.skip("../shared/data/real-mail is not here")
    mbox = split_mbox((REAL_MAIL / "cpython-mailbox_01.mbox").read_bytes())
    assert mbox is not None and len(mbox) == 1  # "From time to time" is body text
    from sopdesk.services.importers.mail import ParsedMail, parse_message

    def parsed(name: str) -> ParsedMail:
        return parse_message((REAL_MAIL / name).read_bytes(), FROZEN_NOW)

    assert parsed("mailparser-mail_test_12.eml").body.startswith("你好！我公司")  # GB2312 lie
    assert parsed("mikel-japanese_iso_2022.eml").body == "すみません。"  # ESC bytes kept to decode
    assert parsed("zbateson-m0006.eml").subject.startswith("Die Hasen und die Frösche")  # UTF-7
    assert parsed("thunderbird-sample04.eml").subject == "Алфавит"  # KOI8-R, ends in a newline
    spoof = parsed("mailparser-mail_test_19.eml")
    assert spoof.sender_email == "bob@example.com" and spoof.sender_name == ""
    comma = parsed("mailparser-mail_test_18.eml")
    assert comma.sender_email == "comma.name@example.com" and "," in comma.sender_name
    assert parsed("cpython-msg_47.eml").sent_at is None  # hour 27: import time, with a warning
    assert parsed("stalwart-thirdparty-005.eml").reason  # no From at all


# --- decoding helpers ---------------------------------------------------------------------------


def test_decode_bytes_handles_lies_and_unknown_charsets() -> None:
    assert decode_bytes("café €".encode("cp1252"), "iso-8859-1") == "café €"
    assert decode_bytes("café".encode(), "iso-8859-1") == "café"
    assert decode_bytes("中文询价".encode("gbk"), "gb2312") == "中文询价"
    assert decode_bytes("스티해".encode("cp949"), "ks_c_5601-1987") == "스티해"
    assert decode_bytes(b"abc", "no-such-charset") == "abc"
    assert decode_bytes(b"a\\u0041", "unicode_escape") == "a\\u0041"  # never a code-like codec
    assert isinstance(decode_bytes(bytes(range(256)), "x-unknown"), str)


def test_html_to_text_keeps_blocks_and_drops_active_content() -> None:
    html = "<style>x{}</style><p>One&nbsp;&amp; two</p><script>evil()</script><div>three</div>"
    assert html_to_text(html) == "One & two\n\nthree"


# --- fuzzing: nothing crashes, nothing half-imported ------------------------------------------


def check_whole(report: FileReport, before: int, skip_bad: bool = False) -> None:
    after = inquiry_count()
    for item in report.items:
        assert item.status is not ItemStatus.REJECTED or item.reason
    if report.committed:
        assert after - before == report.count(ItemStatus.IMPORTED)
    else:
        assert after == before
    if report.rejected and report.committed and not skip_bad:
        pytest.fail("a file with rejected items was written without skip_bad")


FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".eml", ".mbox", ".csv"]))
def test_random_bytes_never_crash(store: Path, tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    before = inquiry_count()
    check_whole(import_file(path), before)


HEADERS = ["name", "email", "company", "country", "message", "留言", "邮箱", "时间", "time",
           "phone", "channel", "junk", "客户姓名", "subject"]  # fmt: skip
CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["a@b-co.com", "bad@", "US", "美国", "Narnia", "10 min ago", "2026-11-26 09:30",
                     "05/11/2026", "TM", "fax", "-3769", "+86 138 0013 8000", "", '"', "\n"]),
)  # fmt: skip


@FUZZ
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    rows=st.lists(st.lists(CELLS, max_size=8), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "latin-1"]),
    skip_bad=st.booleans(),
)
def test_random_csv_is_imported_whole_or_not_at_all(
    store: Path,
    tmp_path: Path,
    header: list[str],
    rows: list[list[str]],
    delimiter: str,
    encoding: str,
    skip_bad: bool,
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    before = inquiry_count()
    check_whole(import_file(path, skip_bad=skip_bad), before, skip_bad)


@FUZZ
@given(
    parts=st.lists(
        st.tuples(st.binary(max_size=40), st.binary(max_size=40), st.binary(max_size=200)),
        min_size=1,
        max_size=4,
    ),
    charset=st.sampled_from([b"utf-8", b"gb2312", b"iso-8859-1", b"bogus", b"utf-7"]),
    encoding=st.sampled_from([b"8bit", b"base64", b"quoted-printable", b"x-uuencode"]),
)
def test_random_mailboxes_never_crash(
    store: Path,
    tmp_path: Path,
    parts: list[tuple[bytes, bytes, bytes]],
    charset: bytes,
    encoding: bytes,
) -> None:
    blob = b""
    for number, (sender, subject, body) in enumerate(parts):
        blob += (
            b"From someone@example.com Thu Nov 26 09:00:00 2026\n"
            b"From: " + sender.replace(b"\n", b" ") + b" <buyer" + str(number).encode() +
            b"@fuzz-co.com>\nSubject: " + subject.replace(b"\n", b" ") +
            b"\nContent-Type: text/plain; charset=" + charset +
            b"\nContent-Transfer-Encoding: " + encoding + b"\n\n" + body + b"\n\n"
        )  # fmt: skip
    path = tmp_path / "fuzz.mbox"
    path.write_bytes(blob)
    before = inquiry_count()
    report = import_file(path, skip_bad=True)
    check_whole(report, before, skip_bad=True)
    assert not report.error and len(report.items) >= 1


# --- the command --------------------------------------------------------------------------------


def run(db: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(import_group, ["inquiries", *args], obj={"db": str(db)}, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_cli_imports_and_reimport_adds_nothing(store: Path) -> None:
    code, out, _err = run(store, str(CSV / "gbk_chinese_headers.csv"))
    assert code == 0 and "C-00003" in out and "3 new, 0 duplicate, 0 rejected" in out
    code, out, _err = run(store, str(CSV / "gbk_chinese_headers.csv"))
    assert code == 0 and "0 new, 3 duplicate" in out
    assert inquiry_count() == 3


def test_cli_rejected_items_exit_1_and_are_listed(store: Path) -> None:
    code, out, err = run(store, str(CSV / "bad_rows.csv"))
    assert code == 1 and inquiry_count() == 0
    assert "nothing written" in out
    for line in ("line 3:", "line 4:", "line 5:"):
        assert line in err
    code, out, err = run(store, "--skip-bad", str(CSV / "bad_rows.csv"))
    assert code == 0 and inquiry_count() == 3 and "line 3:" in err


def test_cli_a_file_rejected_as_a_whole_exits_1_even_with_skip_bad(store: Path) -> None:
    code, _out, err = run(store, "--skip-bad", str(CSV / "no_header.csv"))
    assert code == 1 and "no recognised column headers" in err


def test_cli_dry_run_writes_nothing(store: Path, tmp_path: Path) -> None:
    code, out, _err = run(store, "--dry-run", str(MAIL / "three.mbox"))
    assert code == 0 and "would import" in out and "dry run" in out
    assert inquiry_count() == 0
    fresh = tmp_path / "not-yet.db"
    code, out, _err = run(fresh, "--dry-run", str(MAIL / "three.mbox"))
    assert code == 0 and "C-00002" in out and not fresh.exists()


@pytest.mark.parametrize(
    "args",
    [[], ["missing.csv"], ["--no-such-option", "x.csv"]],
)
def test_cli_usage_errors_exit_2(store: Path, args: list[str]) -> None:
    assert run(store, *args)[0] == 2


def test_cli_unsupported_type_exits_2_before_touching_the_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    db = tmp_path / "never.db"
    code, _out, err = run(db, str(path))
    assert code == 2 and "unsupported file type" in err and not db.exists()


def test_cli_takes_the_database_from_sopdesk_db(store: Path, tmp_path: Path) -> None:
    other = tmp_path / "env.db"
    result = CliRunner().invoke(
        import_group, ["inquiries", str(MAIL / "gbk_body.eml")], env={"SOPDESK_DB": str(other)}
    )
    assert result.exit_code == 0 and other.exists()


def test_cli_output_never_passes_escape_sequences(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "evil.csv"
    path.write_bytes(b"name,email,message\n\x1b]0;HACKED\x07,x@,hi\n")
    code, out, err = run(store, str(path))
    assert code == 1 and "\x1b" not in out + err and "\x07" not in out + err


def test_import_is_a_subcommand_of_sopdesk() -> None:
    from sopdesk.cli import main

    result = CliRunner().invoke(main, ["import", "inquiries", "--help"])
    assert result.exit_code == 0 and "--skip-bad" in result.stdout and "--dry-run" in result.stdout


def test_contacts_are_not_duplicated_by_reimport(store: Path) -> None:
    run(store, str(MAIL / "three.mbox"))
    run(store, str(MAIL / "three.mbox"))
    with database.connection_context():
        assert Contact.select().count() == 3


def test_reasons_and_notes_go_through_gettext(store: Path, tmp_path: Path) -> None:
    with marked():
        report = import_file(CSV / "bad_rows.csv")
        assert sorted(i.number for i in report.rejected) == [3, 4, 5]
        assert all(is_marked(i.reason) for i in report.rejected), report.rejected
        assert all(is_marked(i.where) for i in report.items)
        assert report.notes and all(is_marked(n) for n in report.notes)
        bad_channel = tmp_path / "channel.csv"
        bad_channel.write_text("name,message,channel\nJonas,Price?,carrier pigeon\n", "utf-8")
        (item,) = import_file(bad_channel).rejected
        assert is_marked(item.reason) and "«unknown channel 'carrier pigeon'»" in item.reason
        assert is_marked(import_file(tmp_path / "inquiries.txt").error)
