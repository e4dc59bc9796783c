"""Search in Chinese, Japanese, Korean and Thai: any part of a name or a text is found, on both
backends, with Latin prefix search and the ranking as before; no typed text breaks a query."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sopdesk.services.search import find_customers
from sopdesk.sop.stages import ActivityKind, Channel, Direction, Stage
from sopdesk.store import db, search
from sopdesk.store.models import Activity, Contact, Customer, Inquiry
from tests.conftest import FROZEN_NOW

HOSTILE = (
    '"',
    '""',
    '"深圳',
    "深圳\"' OR 1=1 --",
    "NEAR(深圳 华强, 2)",
    'NEAR("a" "b")',
    "华*",
    "*",
    "^深圳",
    "深圳 AND 华强 OR NOT 电子",
    "AND",
    "OR OR",
    "NOT",
    "body:深圳",
    "customer_id:1",
    "{body}: x",
    ":*",
    "'深':* & '圳'",
    "a & b | !c <-> d",
    "\\",
    "深\\圳",
    "(((",
    ")",
    "+-",
    "%_",
    "深" * 5000,
    "a" * 5000,
    "深圳 " * 1000,
    "😀👍🏽🇨🇳",
    "深😀圳",
    "\u202e深圳\u202c",
    "\u2066华强\u2069\u200f",
    "\u200b\u200d\ufeff",
    "\x00\x01",
    "\u3099\u309a\u0e48",
    "ｶﾞｽ",
    "㍿",
)

_SAFE_FTS = re.compile(r'(?:"[^"]+"\*?)(?: AND "[^"]+"\*?)*')


# --- the text the index holds -----------------------------------------------------------------


def test_cjk_characters_become_words_and_latin_stays_as_it_is() -> None:
    assert search.index_text("深圳市华强LED灯").split() == [*"深圳市华强", "LED", "灯"]
    assert search.index_text("サクラ電機 ありがとう").split() == list("サクラ電機ありがとう")
    assert search.index_text("삼성전자").split() == ["삼", "성", "전", "자"]
    assert search.index_text("ภาษาไทย").split() == list("ภาษาไทย")
    assert search.index_text("Müller Licht GmbH, c77.example") == "Müller Licht GmbH, c77.example"


def test_full_width_and_half_width_forms_are_normalised() -> None:
    assert search.index_text("ＬＥＤ１２０Ｗ") == "LED120W"
    assert search.index_text("ｻｸﾗ").split() == ["サ", "ク", "ラ"]
    assert search.index_text("ｶﾞｽ").split() == ["ガ", "ス"]  # the voiced mark stays on its kana
    assert search.fold("ガス") == "ガス" and search.fold("한국") == "한국"
    assert search.fold("Müller") == "Muller"


def test_postgresql_words_are_those_of_sqlite_tokenizer() -> None:
    assert search.index_text("C-00003 zhang.wei@bright.example", folded=True).split() == [
        "C", "00003", "zhang", "wei", "bright", "example",
    ]  # fmt: skip
    assert search.index_text("深圳，华强。「LED」・😀\u202eX\u200by", folded=True).split() == [
        "深", "圳", "华", "强", "LED", "X", "y",
    ]  # fmt: skip


def test_a_cjk_run_in_a_query_is_a_phrase_and_a_word_a_prefix() -> None:
    assert search.fts_query("深圳") == '"深 圳"'
    assert search.fts_query("华强 LED") == '"华 强" AND "LED"*'
    assert search.fts_query("华强LED") == '"华 强" AND "LED"*'
    assert search.fts_query("ＬＥＤ") == '"LED"*'
    assert search.ts_query("深圳 led") == "('深' <-> '圳') & 'led':*"
    assert search.ts_query("伟") == "'伟'"
    assert search.fts_query("。、😀") is None and search.ts_query("。、😀") is None


def test_a_query_is_bounded() -> None:
    query = search.fts_query("深" * 5000)
    assert query == '"' + " ".join("深" * search.RUN_CHARS) + '"'
    many = " ".join(f"w{i}" for i in range(100))
    assert search.fts_query(many) == " AND ".join(f'"w{i}"*' for i in range(search.QUERY_TERMS))


@given(st.text(max_size=200))
@settings(max_examples=400, deadline=None)
def test_any_text_becomes_quoted_terms_only(text: str) -> None:
    query = search.fts_query(text)
    if query is not None:
        assert _SAFE_FTS.fullmatch(query), query
        assert query.count(" AND ") < search.QUERY_TERMS
    tsq = search.ts_query(text)
    assert (tsq is None) == (query is None)
    if tsq is not None:
        operand = r"'[^\s'\\:&|!()<>*]+'(?::\*)?"
        term = rf"(?:{operand}|\({operand}(?: <-> {operand})+\))"
        assert re.fullmatch(rf"{term}(?: & {term})*", tsq), tsq


# --- both backends --------------------------------------------------------------------------


def _customer(number: int, company: str = "", name: str = "", **values: object) -> Customer:
    customer = Customer.create(
        number=number, company=company, name=name, stage=Stage.LEAD, stage_since=FROZEN_NOW,
        **values,
    )  # fmt: skip
    search.index_customer(customer.id)
    return customer


def _message(customer: Customer, text: str, touch: bool = False) -> None:
    if touch:
        Activity.create(
            customer=customer, kind=ActivityKind.NOTE, direction=Direction.NONE,
            at=FROZEN_NOW, text=text,
        )  # fmt: skip
    else:
        Inquiry.create(
            customer=customer, channel=Channel.EMAIL, received_at=FROZEN_NOW,
            subject="询价", body=text,
        )  # fmt: skip
    search.index_customer(customer.id)


@pytest.fixture
def people(store: Path | str) -> dict[str, int]:
    """A small mixed book of customers, indexed as the services index them."""
    with db.database.connection_context(), db.database.atomic():
        huaqiang = _customer(1, "深圳市华强电子有限公司")
        led = _customer(2, "深圳市华强LED照明有限公司")
        zhang = _customer(3, "Bright Lamps Ltd")
        Contact.create(customer=zhang, name="张伟", email="zhang.wei@bright.example")
        search.index_customer(zhang.id)
        message = _customer(4, "Quiet Buyer GmbH")
        _message(message, "请报LED工矿灯150W的最好价格，数量500个。发货到深圳仓库。")
        _message(message, "客户说深圳的工厂更便宜，深圳，深圳。", touch=True)
        sakura = _customer(5, "株式会社サクラ電機", "さとう ゆき")
        korea = _customer(6, "삼성전자 주식회사")
        thai = _customer(7, "บริษัท ไทยไลท์ จำกัด")
        muller = _customer(8, "Müller Licht GmbH", notes="wants ＵＬ listing, order Ｎｏ．１２３")
        lamps = _customer(9, "Global Lighting Co.")
    return {
        "huaqiang": huaqiang.id, "led": led.id, "zhang": zhang.id, "message": message.id,
        "sakura": sakura.id, "korea": korea.id, "thai": thai.id, "muller": muller.id,
        "lamps": lamps.id,
    }  # fmt: skip


def _found(text: str) -> set[int]:
    with db.database.connection_context():
        return set(search.search_customer_ids(text))


@pytest.mark.backends
def test_part_of_a_chinese_company_name_finds_it(people: dict[str, int]) -> None:
    both = {people["huaqiang"], people["led"]}
    assert _found("深圳") == both | {people["message"]}
    assert _found("华强") == both
    assert _found("华强电子") == {people["huaqiang"]}
    assert _found("有限公司") == both
    assert _found("强") == both
    assert _found("强华") == set()  # characters in the order typed
    assert _found("深圳 电子") == {people["huaqiang"]}  # each run anywhere


@pytest.mark.backends
def test_part_of_a_chinese_contact_name_finds_its_customer(people: dict[str, int]) -> None:
    assert _found("伟") == {people["zhang"]}
    assert _found("张伟") == {people["zhang"]}
    assert _found("伟张") == set()


@pytest.mark.backends
def test_chinese_message_texts_are_searched(people: dict[str, int]) -> None:
    assert _found("最好价格") == {people["message"]}  # an inquiry
    assert _found("工厂更便宜") == {people["message"]}  # a touch
    assert _found("询价") == {people["message"]}  # an inquiry's subject


@pytest.mark.backends
def test_japanese_korean_and_thai(people: dict[str, int]) -> None:
    assert _found("サクラ") == {people["sakura"]}
    assert _found("ｻｸﾗ") == {people["sakura"]}  # half-width katakana
    assert _found("電機") == {people["sakura"]}
    assert _found("さとう") == {people["sakura"]}
    assert _found("株式会社") == {people["sakura"]}
    assert _found("전자") == {people["korea"]}
    assert _found("삼성") == {people["korea"]}
    assert _found("성전") == {people["korea"]}  # across the syllables of a word
    assert _found("ไทยไลท์") == {people["thai"]}


@pytest.mark.backends
def test_mixed_chinese_and_latin_queries(people: dict[str, int]) -> None:
    assert _found("华强 LED") == {people["led"]}
    assert _found("华强LED") == {people["led"]}
    assert _found("led 深圳") == {people["led"], people["message"]}
    assert _found("ＬＥＤ照明") == {people["led"]}


@pytest.mark.backends
def test_latin_prefix_search_is_unchanged(people: dict[str, int]) -> None:
    assert _found("glob") == {people["lamps"]}
    assert _found("global lig") == {people["lamps"]}
    assert _found("mul") == {people["muller"]}  # diacritics folded
    assert _found("müller") == {people["muller"]}
    assert _found("zhang.wei@bright") == {people["zhang"]}
    assert _found("C-00003") == {people["zhang"]}
    assert _found("UL listing") == {people["muller"]}  # full-width in the notes
    assert _found("no 123") == {people["muller"]}


@pytest.mark.backends
def test_a_name_match_ranks_before_a_message_only_match(people: dict[str, int]) -> None:
    # The message-only customer says 深圳 five times; the companies once.
    with db.database.connection_context():
        ranked = search.search_customer_ids("深圳")
    assert set(ranked[:2]) == {people["huaqiang"], people["led"]}
    assert ranked[2:] == [people["message"]]
    with db.database.connection_context():
        assert search.search_customer_ids("LED") == [people["led"], people["message"]]
    assert [hit.customer_id for hit in find_customers("华强 LED")] == [people["led"]]
    best = find_customers("深圳", 1)
    assert [hit.customer_id for hit in best] in ([people["huaqiang"]], [people["led"]])


@pytest.mark.backends
def test_chinese_company_words_find_duplicate_candidates(people: dict[str, int]) -> None:
    with db.database.connection_context():
        assert search.customers_with_any_word(["深圳市华强电子"]) == [people["huaqiang"]]
        found = search.customers_with_any_word(["华强", "nothing"])
        assert set(found) == {people["huaqiang"], people["led"]}
        assert search.customers_with_any_word(["最好价格"]) == []  # messages are not names


@pytest.mark.backends
def test_hostile_queries_never_break_either_backend(people: dict[str, int]) -> None:
    with db.database.connection_context():
        for text in HOSTILE:
            found = search.search_customer_ids(text, 5)
            assert isinstance(found, list) and len(found) <= 5, text
            assert len(search.customers_with_any_word(text.split(), 5)) <= 5
        assert search.search_customer_ids('"深圳') == search.search_customer_ids("深圳")
        assert set(search.search_customer_ids("NEAR(深圳 华强, 2)")) == set()  # "near" is a word
        assert set(search.search_customer_ids("^深圳 OR")) == set()  # "or" is a word too
    assert _found("深圳\"'") == _found("深圳")


HOSTILE_CHARS = st.sampled_from(
    [*'"\'*^:()\\{}[]-+.@_&|!<>~%;,', "AND", "OR", "NOT", "NEAR", " ", "\u202e", "\u200d",
     *"深圳华强伟サクラ삼성ท่😀ＬＥＤａ１"]
)  # fmt: skip


@pytest.mark.backends
@given(text=st.one_of(st.text(max_size=80), st.lists(HOSTILE_CHARS, max_size=40).map("".join)))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_typed_text_returns_a_bounded_list(people: dict[str, int], text: str) -> None:
    with db.database.connection_context():
        found = search.search_customer_ids(text, 3)
    assert isinstance(found, list) and len(found) <= 3
    assert set(found) <= set(people.values())


# --- re-indexing ----------------------------------------------------------------------------


def _index_rows() -> list[tuple[int, int, str, str]]:
    cursor = db.database.execute_sql(
        f"SELECT rowid, customer_id, doc, body FROM {search.TABLE} ORDER BY rowid"
    )
    return [(int(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in cursor.fetchall()]


@pytest.mark.backends
def test_a_rebuild_holds_what_indexing_each_customer_holds(
    people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "REBUILD_CUSTOMERS", 4)
    with db.database.connection_context():
        gone = Customer.get_by_id(people["lamps"])
        gone.merged_into = people["muller"]
        gone.save()
        search.drop_customer(gone.id)
        one_by_one = _index_rows()
        steps: list[tuple[int, int]] = []
        with db.database.atomic():
            assert search.rebuild(progress=lambda done, total: steps.append((done, total))) == 9
        assert _index_rows() == one_by_one  # and the merged customer stays out
    assert steps == [(4, 9), (8, 9), (9, 9)]


@pytest.mark.backends
def test_migration_8_reindexes_what_an_older_index_held_whole(people: dict[str, int]) -> None:
    with db.database.connection_context():
        with db.database.atomic():  # the index as migration 2 wrote it: CJK runs unsplit
            db.database.execute_sql(f"DELETE FROM {search.TABLE}")
            db.database.execute_sql(
                f"INSERT INTO {search.TABLE} (rowid, customer_id, doc, body) "
                f"VALUES ({people['huaqiang'] << search.DOC_BITS}, {people['huaqiang']}, "
                "'customer', 'C-00001 深圳市华强电子有限公司')"
            )
        assert search.search_customer_ids("深圳") == []
        migration = importlib.import_module("sopdesk.store.migrations.m0008_search_cjk")
        with db.database.atomic():
            migration.up(db.database.obj)
        assert set(search.search_customer_ids("深圳")) == {
            people["huaqiang"], people["led"], people["message"],
        }  # fmt: skip
        assert search.search_customer_ids("glob") == [people["lamps"]]
