"""Customer records (services/records.py): table windows, detail, edits, stages, duplicates, merge."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pendulum
import pytest

from sopdesk.services import records
from sopdesk.services.records import (
    CustomerFilter,
    Entry,
    InvalidFields,
    LostReasonRequired,
    Sort,
    SortKey,
    StageSkip,
    StaleEdit,
)
from sopdesk.sop.stages import (
    ActivityKind,
    BuyerType,
    Channel,
    Direction,
    LostReason,
    OrderStatus,
    Potential,
    QuoteStatus,
    Stage,
    TaskKind,
)
from sopdesk.store import db, search
from sopdesk.store.models import (
    Activity,
    Contact,
    Customer,
    Inquiry,
    Order,
    Quote,
    Rep,
    Sample,
    StageChange,
    Task,
)
from tests.marked_gettext import is_marked, marked

NOW = pendulum.datetime(2026, 11, 27, 4, 0, tz="UTC")
ZONE = "Asia/Shanghai"


def make_customer(number: int, **values: Any) -> Customer:
    values.setdefault("company", f"Company {number}")
    values.setdefault("stage", Stage.LEAD)
    values.setdefault("stage_since", NOW.subtract(days=number))
    customer = Customer.create(number=number, **values)
    search.index_customer(customer.id)
    return customer


@pytest.fixture
def rep(store: Path) -> Rep:
    with db.database.connection_context():
        return Rep.create(login="lily", name="Lily Chen")


# --- the table --------------------------------------------------------------------------------


COUNTRIES = ["DE", "", "US", "FR", "DE", "BR", ""]
NAMES = ["beta", "Alpha", "gamma", "", "delta", "Beta", "epsilon"]


@pytest.fixture
def sheet(rep: Rep) -> list[int]:
    """21 customers with repeated and missing sort values, so ties and NULL segments matter."""
    ids = []
    with db.database.connection_context():
        other = Rep.create(login="max", name="Max")
        stages = list(Stage)
        for n in range(1, 22):
            ids.append(
                make_customer(
                    n,
                    company=NAMES[n % len(NAMES)],
                    name=f"Person {n:02d}",
                    country=COUNTRIES[n % len(COUNTRIES)],
                    source=list(Channel)[n % 3],
                    buyer_type=list(BuyerType)[n % 4],
                    potential=[Potential.A, None, Potential.C][n % 3],
                    stage=stages[n % len(stages)],
                    first_contact_at=NOW.subtract(days=n % 5) if n % 4 else None,
                    last_activity_at=NOW.subtract(hours=n % 6) if n % 3 else None,
                    next_follow_up_at=NOW.add(days=(n % 7) - 3) if n % 5 else None,
                    expected_value=Decimal(n % 4 * 1000) if n % 2 else None,
                    owner=[rep.id, other.id, None][n % 3],
                ).id
            )
    return ids


def _all_pages(flt: CustomerFilter, sort: Sort, limit: int) -> list[records.CustomerRow]:
    rows: list[records.CustomerRow] = []
    after = None
    for _ in range(100):
        window = records.customer_window(flt, sort, after, limit=limit, now=NOW)
        assert len(window.rows) <= limit
        rows.extend(window.rows)
        if window.next_after is None:
            return rows
        after = window.next_after
    raise AssertionError("pagination did not end")


def _expected_key(key: SortKey, row: records.CustomerRow) -> Any:
    order = records.STAGE_ORDER
    return {
        SortKey.NUMBER: row.code,
        SortKey.NAME: (row.company or row.name).lower(),
        SortKey.COUNTRY: row.country or None,
        SortKey.SOURCE: row.source.value,
        SortKey.FIRST_CONTACT: row.first_contact_at,
        SortKey.STAGE: order.index(row.stage),
        SortKey.LATEST: row.last_activity_at,
        SortKey.NEXT: row.next_follow_up_at,
        SortKey.VALUE: row.expected_value.amount if row.expected_value else None,
        SortKey.OWNER: row.owner_name or None,
    }[key]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("key", list(SortKey))
def test_every_sort_pages_through_every_customer_once_in_order(
    sheet: list[int], key: SortKey, descending: bool
) -> None:
    rows = _all_pages(CustomerFilter(), Sort(key, descending), limit=4)
    assert sorted(r.customer_id for r in rows) == sorted(sheet)
    present = [r for r in rows if _expected_key(key, r) is not None]
    missing = [r for r in rows if _expected_key(key, r) is None]
    # Rows without a value come last, whatever the direction.
    assert rows == present + missing
    pairs = [(_expected_key(key, r), r.customer_id) for r in present]
    assert pairs == sorted(pairs, reverse=descending)
    ids = [r.customer_id for r in missing]
    assert ids == sorted(ids, reverse=descending)


def test_a_window_never_holds_more_than_the_limit(sheet: list[int]) -> None:
    window = records.customer_window(CustomerFilter(), limit=10_000, now=NOW)
    assert len(window.rows) == len(sheet)
    assert records.WINDOW == 300


def _ids(flt: CustomerFilter) -> set[int]:
    rows = _all_pages(flt, Sort(), limit=50)
    assert records.count_customers(flt, now=NOW) == len(rows)
    return {r.customer_id for r in rows}


def test_filters_select_the_rows_the_sheet_would(sheet: list[int], rep: Rep) -> None:
    with db.database.connection_context():
        everyone = list(Customer.select())
    by_id = {c.id: c for c in everyone}

    def expect(predicate: Any) -> set[int]:
        return {i for i, c in by_id.items() if predicate(c)}

    assert _ids(CustomerFilter()) == set(sheet)
    assert _ids(CustomerFilter(stages=frozenset({Stage.INTENT, Stage.LOST}))) == expect(
        lambda c: c.stage in (Stage.INTENT, Stage.LOST)
    )
    assert _ids(CustomerFilter(country="DE")) == expect(lambda c: c.country == "DE")
    assert _ids(CustomerFilter(source=Channel.TRADEMANAGER)) == expect(
        lambda c: c.source is Channel.TRADEMANAGER
    )
    assert _ids(CustomerFilter(buyer_type=BuyerType.RETAILER)) == expect(
        lambda c: c.buyer_type is BuyerType.RETAILER
    )
    assert _ids(CustomerFilter(potential=Potential.A)) == expect(
        lambda c: c.potential is Potential.A
    )
    overdue = _ids(CustomerFilter(overdue=True))
    assert overdue == expect(
        lambda c: c.next_follow_up_at is not None and c.next_follow_up_at < NOW
    )
    assert overdue  # the fixture has some
    assert _ids(CustomerFilter(no_next_step=True)) == expect(
        lambda c: c.next_follow_up_at is None and c.stage is not Stage.LOST
    )
    # "Mine" is the rep's own customers plus the unassigned ones, as on the workbench (scope.py).
    mine = _ids(CustomerFilter(owner_id=rep.id))
    assert mine == expect(lambda c: c.owner_id in (rep.id, None))
    assert mine != expect(lambda c: c.owner_id == rep.id)  # the fixture has unassigned ones
    combined = CustomerFilter(country="DE", overdue=True)
    assert _ids(combined) == expect(
        lambda c: (
            c.country == "DE" and c.next_follow_up_at is not None and c.next_follow_up_at < NOW
        )
    )


def test_merged_customers_leave_the_table(sheet: list[int], rep: Rep) -> None:
    records.merge(sheet[0], sheet[1], by=rep.id, now=NOW)
    assert sheet[1] not in _ids(CustomerFilter())
    assert records.count_customers() == len(sheet) - 1


def test_search_finds_contacts_notes_and_message_texts(rep: Rep) -> None:
    with db.database.connection_context():
        a = make_customer(1, company="Müller Licht GmbH", notes="wants UL listing")
        b = make_customer(2, company="Rossi Illuminazione")
        Contact.create(
            customer=b, name="Giulia Rossi", email="giulia@rossi.it", phone="+390612345678"
        )
        search.index_customer(b.id)
        c = make_customer(3, company="Quiet Buyer")
    records.log_touch(
        c.id, ActivityKind.WHATSAPP, Direction.IN, "Need the IES files for 150W", rep.id
    )

    def found(text: str) -> set[int]:
        return {r.customer_id for r in records.customer_window(CustomerFilter(text=text)).rows}

    assert found("muller") == {a.id}  # diacritics folded
    assert found("giulia@rossi") == {b.id}
    assert found("UL listing") == {a.id}
    assert found("IES files") == {c.id}
    assert found("nothing-like-this") == set()
    assert found('[/bold] c++ "') == set()  # raw input never reaches FTS syntax
    assert records.count_customers(CustomerFilter(text="gmbh")) == 1


def test_latest_follow_up_is_the_newest_touch_text(rep: Rep) -> None:
    with db.database.connection_context():
        customer = make_customer(1)
    records.log_touch(customer.id, ActivityKind.EMAIL, Direction.OUT, "sent catalogue", rep.id,
                      at=NOW.subtract(days=2))  # fmt: skip
    records.log_touch(customer.id, ActivityKind.CALL, Direction.OUT, "called: wants 2000 pcs", rep.id,
                      at=NOW.subtract(days=1))  # fmt: skip
    (row,) = records.customer_window(now=NOW).rows
    assert row.latest_follow_up == "called: wants 2000 pcs"
    assert row.last_activity_at == NOW.subtract(days=1)


# --- one customer ----------------------------------------------------------------------------


@pytest.fixture
def busy(rep: Rep) -> int:
    """A customer with one of everything on its timeline, some at the same instant."""
    with db.database.connection_context():
        customer = make_customer(
            7, company="Atlas Lighting LLC", country="DE", timezone="Europe/Berlin", owner=rep
        )
        Contact.create(customer=customer, name="Jonas", email="jonas@atlas.de", is_primary=True)
        t = NOW.subtract(days=3)
        Inquiry.create(customer=customer, channel=Channel.EMAIL, received_at=t,
                       subject="High bay", body="We need 500 pcs", content_hash="x1")  # fmt: skip
        Activity.create(customer=customer, kind=ActivityKind.REPLY, direction=Direction.OUT,
                        at=t.add(minutes=4), text="Thanks for your inquiry", by=rep)  # fmt: skip
        Quote.create(customer=customer, year=2026, seq=12, revision=2, status=QuoteStatus.SENT,
                     sent_at=t.add(days=1), notes="FOB Ningbo", owner=rep)  # fmt: skip
        Sample.create(customer=customer, paid=True, amount=Decimal("80"), courier="DHL",
                      tracking="123", sent_at=t.add(days=1), feedback="good light")  # fmt: skip
        Order.create(customer=customer, number="SO-1", total=Decimal("12000"),
                     ordered_at=t.add(days=2), status=OrderStatus.AWAITING_DEPOSIT, owner=rep)  # fmt: skip
        StageChange.create(customer=customer, from_stage=Stage.LEAD, to_stage=Stage.INTENT,
                           at=t.add(days=2), by=rep, reason="replied with specs")  # fmt: skip
        return customer.id


def test_detail_has_every_field_contacts_and_the_merged_timeline(busy: int) -> None:
    detail = records.customer_detail(busy)
    assert detail is not None
    assert (detail.code, detail.company, detail.country) == ("C-00007", "Atlas Lighting LLC", "DE")
    assert detail.owner_name == "Lily Chen"
    assert detail.primary_contact is not None and detail.primary_contact.email == "jonas@atlas.de"
    for name in records.EDITABLE_FIELDS:
        records.field_text(detail, name, ZONE)  # every editable field can be shown
    items = detail.timeline.items
    assert [i.entry for i in items] == [
        Entry.STAGE, Entry.ORDER,  # same instant: the entry name breaks the tie
        Entry.SAMPLE, Entry.QUOTE,
        Entry.ACTIVITY, Entry.INQUIRY,
    ]  # fmt: skip
    assert [i.at for i in items] == sorted((i.at for i in items), reverse=True)
    quote = next(i for i in items if i.entry is Entry.QUOTE)
    assert quote.title == "PI-2026-0012 r2 FOB" and quote.text == "FOB Ningbo"
    sample = next(i for i in items if i.entry is Entry.SAMPLE)
    assert (sample.kind, sample.title, sample.amount.amount) == ("paid", "DHL 123", Decimal("80"))
    order = next(i for i in items if i.entry is Entry.ORDER)
    assert order.amount is not None and str(order.amount) == "USD 12,000.00"
    stage = next(i for i in items if i.entry is Entry.STAGE)
    assert (stage.title, stage.kind, stage.text, stage.by) == (
        "lead",
        "intent",
        "replied with specs",
        "Lily Chen",
    )
    inquiry = next(i for i in items if i.entry is Entry.INQUIRY)
    assert inquiry.text == "We need 500 pcs" and inquiry.direction is Direction.IN


def test_the_timeline_pages_with_a_keyset_through_ties(rep: Rep) -> None:
    with db.database.connection_context():
        customer = make_customer(1)
        same = NOW.subtract(hours=1)
        for i in range(23):
            Activity.create(customer=customer, kind=ActivityKind.NOTE, at=same if i % 2 else
                            NOW.subtract(minutes=i), text=f"note {i}")  # fmt: skip
        for _ in range(5):
            StageChange.create(customer=customer, to_stage=Stage.INTENT, at=same)
    seen = []
    after = None
    while True:
        page = records.timeline_window(customer.id, after, limit=4)
        seen.extend(page.items)
        if page.next_after is None:
            break
        after = page.next_after
    assert len(seen) == 28
    assert len({i.key for i in seen}) == 28
    keys = [(i.at, i.entry.value, i.item_id) for i in seen]
    assert keys == sorted(keys, reverse=True)


def test_opening_a_customer_costs_the_same_queries_whatever_its_timeline(
    rep: Rep, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.database.connection_context():
        small = make_customer(1)
        big = make_customer(2)
        Activity.create(customer=small, kind=ActivityKind.NOTE, at=NOW, text="one")
        Contact.create(customer=small, name="A")
        Contact.create(customer=big, name="B")
        rows = [
            {"customer": big.id, "kind": ActivityKind.NOTE, "at": NOW.subtract(minutes=i),
             "text": f"touch {i}"}
            for i in range(400)
        ]  # fmt: skip
        Activity.insert_many(rows).execute()
        for i in range(60):
            Inquiry.create(customer=big, channel=Channel.EMAIL, received_at=NOW.subtract(hours=i),
                           body=f"inq {i}", content_hash=f"h{i}")  # fmt: skip
            StageChange.create(customer=big, to_stage=Stage.INTENT, at=NOW.subtract(hours=i))
    database = db.database.obj
    calls: list[str] = []
    original = database.execute_sql

    def counting(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        calls.append(sql)
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", counting)
    small_detail = records.customer_detail(small.id)
    small_calls = len(calls)
    calls.clear()
    big_detail = records.customer_detail(big.id)
    assert small_detail is not None and big_detail is not None
    assert len(small_detail.timeline.items) == 1
    assert len(big_detail.timeline.items) == records.TIMELINE_WINDOW
    assert len(calls) == small_calls
    assert 3 <= small_calls <= 4  # customer, contacts, timeline (+ the connection's own)


# --- edits ----------------------------------------------------------------------------------


@pytest.fixture
def customer(rep: Rep) -> int:
    with db.database.connection_context():
        return make_customer(3, company="Acme", owner=rep).id


def _detail(customer_id: int) -> records.CustomerDetail:
    detail = records.customer_detail(customer_id)
    assert detail is not None
    return detail


def test_edits_are_validated_and_normalised(customer: int) -> None:
    base = _detail(customer)
    updated = records.update_customer(
        base,
        {
            "country": "德国",
            "website": "acme-lighting.de",
            "expected_value": "€3.5k",
            "potential": "a",
            "buyer_type": "批发商",
            "tags": "vip, project，vip",
            "first_contact": "2026-03-05",
            "background_check_done": "yes",
            "linkedin": "linkedin.com/company/acme",
        },
        rep_zone=ZONE,
    )
    assert updated.country == "DE" and updated.timezone == "Europe/Berlin"
    assert updated.website == "https://acme-lighting.de"
    assert updated.email_domain == "acme-lighting.de"
    assert updated.expected_value is not None
    assert (updated.expected_value.amount, updated.expected_value.currency) == (
        Decimal("3500"), "EUR"
    )  # fmt: skip
    assert updated.potential is Potential.A and updated.buyer_type is BuyerType.WHOLESALER
    assert updated.tags == "vip, project"
    assert records.field_text(updated, "first_contact", ZONE) == "2026-03-05"
    assert updated.background_check_done and updated.version == base.version + 1


def test_bad_values_are_all_reported_and_nothing_is_written(customer: int) -> None:
    base = _detail(customer)
    with pytest.raises(InvalidFields) as caught:
        records.update_customer(
            base,
            {"country": "Atlantis", "website": "not a site", "expected_value": "lots",
             "company": "Fine Name"},
        )  # fmt: skip
    assert set(caught.value.errors) == {"country", "website", "expected_value"}
    assert "Atlantis" in caught.value.errors["country"]
    assert _detail(customer).company == "Acme"


def test_a_stale_edit_names_what_the_other_editor_changed(customer: int) -> None:
    mine = _detail(customer)
    theirs = _detail(customer)
    records.update_customer(theirs, {"notes": "called them", "potential": "B"})
    with pytest.raises(StaleEdit) as caught:
        records.update_customer(mine, {"company": "Acme Ltd"})
    assert set(caught.value.fields) == {"notes", "potential"}
    assert _detail(customer).company == "Acme"  # nothing of the stale edit was written


def test_contacts_are_validated_with_e164_and_a_whatsapp_link(customer: int) -> None:
    records.update_customer(_detail(customer), {"country": "DE"})
    contact = records.save_contact(
        customer, None, {"name": "Jonas", "email": "Jonas@Acme.DE", "phone": "0170 1234567"}
    )
    assert contact.is_primary
    assert contact.email == "jonas@acme.de"
    assert contact.phone == "+491701234567"
    assert contact.whatsapp_link == "https://wa.me/491701234567"
    with pytest.raises(InvalidFields) as caught:
        records.save_contact(customer, contact.contact_id, {"email": "jonas@", "phone": "-3769"})
    assert set(caught.value.errors) == {"email", "phone"}
    second = records.save_contact(customer, None, {"name": "Anna"})
    assert not second.is_primary
    records.set_primary_contact(customer, second.contact_id)
    detail = _detail(customer)
    assert detail.primary_contact is not None and detail.primary_contact.name == "Anna"
    assert detail.email_domain == "acme.de"


# --- touches, follow-ups, stages ------------------------------------------------------------


def test_a_touch_goes_on_the_timeline_with_its_exact_text(customer: int, rep: Rep) -> None:
    text = "Called Jonas.\nHe wants [USD] prices\x1b]0;x\x07 by Friday."
    item = records.log_touch(customer, ActivityKind.CALL, Direction.OUT, text, rep.id, at=NOW)
    assert item.by == "Lily Chen"
    detail = _detail(customer)
    assert detail.timeline.items[0].text == text.strip()
    assert detail.last_activity_at == NOW
    with pytest.raises(InvalidFields):
        records.log_touch(customer, ActivityKind.NOTE, Direction.NONE, "   ", rep.id)


def test_next_follow_up_from_natural_input_moves_the_task(customer: int, rep: Rep) -> None:
    due = records.set_next_follow_up(customer, "tomorrow 10:00", ZONE, rep.id, plan="send PI")
    assert due == pendulum.datetime(2026, 11, 28, 2, 0, tz="UTC")
    later = records.set_next_follow_up(customer, "+3d", ZONE, rep.id, now=NOW)
    detail = _detail(customer)
    assert detail.next_follow_up_at == later and detail.next_follow_up_plan == "send PI"
    with db.database.connection_context():
        tasks = list(Task.open().where(Task.customer == customer))
    assert len(tasks) == 1 and tasks[0].due_at == later and tasks[0].kind is TaskKind.FOLLOW_UP
    with pytest.raises(InvalidFields, match="follow-up"):
        records.set_next_follow_up(customer, "someday", ZONE, rep.id)
    records.clear_next_follow_up(customer)
    assert _detail(customer).next_follow_up_at is None
    with db.database.connection_context():
        assert not Task.open().where(Task.customer == customer).exists()


def test_stage_changes_are_history_with_who_when_and_why(customer: int, rep: Rep) -> None:
    records.change_stage(customer, Stage.INTENT, rep.id, "asked for specs", now=NOW)
    with pytest.raises(StageSkip):
        records.change_stage(customer, Stage.ORDER, rep.id, now=NOW.add(hours=1))
    records.change_stage(customer, Stage.ORDER, rep.id, "deposit paid", confirm_skip=True,
                         now=NOW.add(hours=2))  # fmt: skip
    with pytest.raises(LostReasonRequired):
        records.change_stage(customer, Stage.LOST, rep.id, now=NOW.add(hours=3))
    records.change_stage(customer, Stage.LOST, rep.id, "went with a rival",
                         lost_reason=LostReason.COMPETITOR, now=NOW.add(hours=4))  # fmt: skip
    history = records.stage_history(customer)
    assert [(h.from_stage, h.to_stage) for h in history] == [
        (Stage.ORDER, Stage.LOST),
        (Stage.INTENT, Stage.ORDER),
        (Stage.LEAD, Stage.INTENT),
    ]
    assert history[0].reason == "competitor: went with a rival"
    assert history[0].by == "Lily Chen" and history[0].at == NOW.add(hours=4)
    detail = _detail(customer)
    assert detail.stage is Stage.LOST and detail.lost_reason is LostReason.COMPETITOR
    assert detail.stage_since == NOW.add(hours=4)
    assert detail.timeline.items[0].entry is Entry.STAGE
    records.change_stage(customer, Stage.INTENT, rep.id, "came back", now=NOW.add(hours=5))
    assert _detail(customer).lost_reason is None
    with pytest.raises(records.RecordError, match="already"):
        records.change_stage(customer, Stage.INTENT, rep.id)


# --- duplicates and merge -------------------------------------------------------------------


def test_duplicate_candidates_by_email_domain_and_name(rep: Rep) -> None:
    with db.database.connection_context():
        a = make_customer(1, company="Prime Lighting Co., Ltd.", email_domain="primelight.com")
        Contact.create(customer=a, email="buyer@primelight.com")
        b = make_customer(2, company="Other", email_domain="primelight.com")
        c = make_customer(3, company="PRIME LIGHTING CO LTD")
        d = make_customer(4, company="Gmail User", email_domain="gmail.com")
        e = make_customer(5, company="Unrelated Trading")
        Contact.create(customer=e, email="buyer@primelight.com")
        f = make_customer(6, company="Gmail Two", email_domain="gmail.com")
    found = {d.customer_id: d for d in records.duplicate_candidates(a.id)}
    assert set(found) == {b.id, c.id, e.id}
    assert found[e.id].reasons == ("e-mail buyer@primelight.com",)
    assert found[b.id].reasons == ("domain primelight.com",)
    assert found[c.id].reasons[0].startswith("company name")
    assert {x.customer_id for x in records.duplicate_candidates(d.id)} == set()  # free mail
    assert f.id not in found
    new = records.create_customer("Prime Lighting", email="x@primelight.com", by=rep.id)
    assert new.customer_id == 0 and {x.customer_id for x in new.duplicates} >= {a.id, b.id}
    forced = records.create_customer(
        "Prime Lighting", email="x@primelight.com", by=rep.id, allow_duplicates=True
    )
    assert forced.customer_id and forced.code == "C-00007"


def test_merge_moves_everything_and_records_itself(busy: int, rep: Rep) -> None:
    with db.database.connection_context():
        keep = make_customer(1, company="Atlas", country="", notes="keep notes")
        Contact.create(customer=keep, name="Primary", is_primary=True)
        Task.create(customer=busy, title="call", due_at=NOW)
        before = {
            model.__name__: model.select().where(model.customer == busy).count()
            for model in (Contact, Inquiry, Activity, Task, Quote, Sample, Order, StageChange)
        }
    result = records.merge(keep.id, busy, by=rep.id, now=NOW)
    assert result.moved == {
        "contacts": 1, "inquiries": 1, "activities": 1, "tasks": 1, "quotes": 1,
        "samples": 1, "orders": 1, "stage_changes": 1,
    }  # fmt: skip
    assert all(before[name] == 1 for name in before)
    with db.database.connection_context():
        other = Customer.get_by_id(busy)
        assert other.merged_into_id == keep.id
        for model in (Contact, Inquiry, Activity, Task, Quote, Sample, Order, StageChange):
            assert not model.select().where(model.customer == busy).exists()
        assert Contact.select().where(Contact.customer == keep.id, Contact.is_primary).count() == 1
    detail = _detail(keep.id)
    assert detail.country == "DE" and detail.timezone == "Europe/Berlin"  # blanks filled
    assert "keep notes" in detail.notes
    system = detail.timeline.items[0]
    assert system.entry is Entry.ACTIVITY and system.kind == ActivityKind.SYSTEM.value
    assert "C-00007" in system.text and system.by == "Lily Chen"
    assert len(detail.timeline.items) == 7
    assert records.customer_window(CustomerFilter(text="Atlas")).rows[0].customer_id == keep.id
    with pytest.raises(records.RecordError, match="already merged"):
        records.merge(keep.id, busy, by=rep.id)


def test_a_failed_merge_writes_nothing(
    busy: int, rep: Rep, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.database.connection_context():
        keep = make_customer(1, company="Atlas")

    def boom(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(search, "index_customer", boom)
    with pytest.raises(RuntimeError):
        records.merge(keep.id, busy, by=rep.id)
    with db.database.connection_context():
        assert Customer.get_by_id(busy).merged_into_id is None
        assert Inquiry.select().where(Inquiry.customer == busy).count() == 1
        assert not Activity.select().where(Activity.customer == keep.id).exists()


def test_windows_and_detail_on_many_rows_stay_bounded(rep: Rep) -> None:
    with db.database.connection_context():
        rows = [
            {"number": n, "company": f"Firm {n}", "stage": Stage.LEAD, "stage_since": NOW}
            for n in range(1, 801)
        ]
        for start in range(0, len(rows), 200):
            Customer.insert_many(rows[start : start + 200]).execute()
    window = records.customer_window(CustomerFilter(), Sort(SortKey.NAME))
    assert len(window.rows) == records.WINDOW and window.next_after is not None
    assert records.count_customers() == 800


# --- the rep's language -----------------------------------------------------------------------


def test_refusals_go_through_gettext(customer: int, rep: Rep) -> None:
    with marked():
        with pytest.raises(InvalidFields) as caught:
            records.update_customer(
                _detail(customer),
                {"country": "Atlantis", "website": "not a site", "tags": "x" * 300},
            )
        assert all(is_marked(message) for message in caught.value.errors.values())
        assert "«Country»" in str(caught.value) and "«Website»" in str(caught.value)
        with pytest.raises(InvalidFields) as contact:
            records.save_contact(customer, None, {"email": "jonas@", "phone": "-3769"})
        assert all(is_marked(message) for message in contact.value.errors.values())
        for call, kwargs in (
            (records.set_next_follow_up, {"text": "someday", "rep_zone": ZONE, "by": rep.id}),
            (records.change_stage, {"to_stage": Stage.LOST, "by": rep.id}),
            (records.change_stage, {"to_stage": Stage.ORDER, "by": rep.id}),
            (records.change_stage, {"to_stage": Stage.LEAD, "by": rep.id}),
            (records.log_touch, {"kind": ActivityKind.CALL, "direction": Direction.OUT,
                                 "text": " ", "by": rep.id}),
        ):  # fmt: skip
            with pytest.raises(records.RecordError) as refused:
                call(customer, **kwargs)  # type: ignore[operator]
            assert is_marked(str(refused.value)), str(refused.value)
        with pytest.raises(records.RecordError) as itself:
            records.merge(customer, customer, by=rep.id)
        assert is_marked(str(itself.value))


def test_a_stale_edit_and_duplicate_reasons_are_in_the_reps_language(customer: int) -> None:
    mine = _detail(customer)
    records.update_customer(_detail(customer), {"notes": "called them"})
    with marked():
        with pytest.raises(StaleEdit) as caught:
            records.update_customer(mine, {"company": "Acme Ltd"})
        assert is_marked(str(caught.value)) and "«Notes»" in str(caught.value)
        with db.database.connection_context():
            twin = make_customer(4, company="ACME")
        found = {d.customer_id: d for d in records.duplicate_candidates(customer)}
        assert found[twin.id].reasons and all(is_marked(r) for r in found[twin.id].reasons)


def test_a_merge_is_stored_as_data_and_worded_in_the_readers_language(busy: int, rep: Rep) -> None:
    with db.database.connection_context():
        keep = make_customer(1, company="Atlas")
    with marked():  # written by a rep whose sopdesk speaks another language …
        records.merge(keep.id, busy, by=rep.id, now=NOW)
    with db.database.connection_context():
        stored = Activity.get(Activity.customer == keep.id, Activity.kind == ActivityKind.SYSTEM)
    assert "Merged" not in stored.subject + stored.text  # no sentence frozen in the database
    assert "C-00007" in stored.subject and "C-00001" in stored.subject
    system = _detail(keep.id).timeline.items[0]  # … read in English
    assert system.title == "Merged C-00007 into C-00001"
    assert system.text == (
        "Merged C-00007 (Atlas Lighting LLC) into C-00001: moved 1 contact, 1 inquiry, 1 touch, "
        "1 quotation, 1 sample, 1 order, 1 stage change."
    )
    with marked():  # and read in the other language again
        system = _detail(keep.id).timeline.items[0]
        assert is_marked(system.title) and is_marked(system.text)
        assert "C-00007" in system.text and "«1 contact»" in system.text


def test_a_lost_reason_on_the_timeline_is_in_the_readers_language(customer: int, rep: Rep) -> None:
    records.change_stage(customer, Stage.LOST, rep.id, "went with a rival",
                         lost_reason=LostReason.COMPETITOR, confirm_skip=True, now=NOW)  # fmt: skip
    assert _detail(customer).timeline.items[0].text == "competitor: went with a rival"
    with marked():
        text = _detail(customer).timeline.items[0].text
    assert text == "««competitor»: went with a rival»"
    records.change_stage(
        customer, Stage.INTENT, rep.id, "price: they came back", now=NOW.add(hours=1)
    )
    assert _detail(customer).timeline.items[0].text == "price: they came back"  # a rep's words
