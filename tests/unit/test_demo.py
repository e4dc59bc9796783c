"""The demo data: a believable, consistent, reproducible day of a rep (services/demo.py)."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pendulum
import phonenumbers
import pytest

from sopdesk import clock
from sopdesk.services import demo
from sopdesk.services.demo import DemoError, DemoSummary
from sopdesk.sop.sla import ReplyState, reply_state, response_time
from sopdesk.sop.stages import (
    ActivityKind,
    Direction,
    OrderStatus,
    QuoteStatus,
    Stage,
)
from sopdesk.store import db, search
from sopdesk.store.fields import MoneyField, UTCDateTimeField
from sopdesk.store.models import (
    ALL_MODELS,
    Activity,
    Contact,
    Customer,
    FaqAnswer,
    Inquiry,
    Material,
    Order,
    PriceTier,
    Product,
    ProductMetrics,
    Quote,
    QuoteLine,
    Rep,
    Rfq,
    Sample,
    StageChange,
    StoreMetrics,
    Task,
)
from tests.conftest import postgres_url
from tests.databases import Databases

NOW = pendulum.datetime(2026, 11, 27, 4, 0, tz="UTC")
"""Friday, 12:00 in Shanghai."""
REP_ZONE = "Asia/Shanghai"
DB_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


@pytest.fixture(scope="module")
def demo_db(
    databases: Databases, backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path | str, DemoSummary]]:
    """One demo database per backend for the module's read-only tests."""
    if backend == "postgresql":
        postgres_url()
        target: Path | str = databases.create_postgres()
    else:
        target = databases.create_sqlite(tmp_path_factory.mktemp("demo"), "demo")
    db.init(target)
    with clock.frozen(NOW), db.database.connection_context():
        summary = demo.seed(NOW)
    yield target, summary
    databases.release(target)


@pytest.fixture
def seeded(demo_db: tuple[Path | str, DemoSummary]) -> Iterator[DemoSummary]:
    """The module's demo database, connected (read only by convention)."""
    target, summary = demo_db
    db.init(target)
    with db.database.connection_context():
        yield summary


def _seed_fresh(
    make_store: Callable[..., Path | str], now: pendulum.DateTime, seed: int = demo.DEFAULT_SEED
) -> DemoSummary:
    db.init(make_store())
    with db.database.connection_context():
        return demo.seed(now, seed=seed)


def _today_bounds(now: pendulum.DateTime) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    start = now.in_timezone(REP_ZONE).start_of("day")
    return start.in_timezone("UTC"), start.add(days=1).in_timezone("UTC")


# -- shape and counts ----------------------------------------------------------------------------


def test_summary_counts_match_the_database(seeded: DemoSummary) -> None:
    assert seeded.customers == Customer.select().count()
    assert 38 <= seeded.customers <= 48
    assert seeded.countries == len({c.country for c in Customer.select(Customer.country)})
    assert seeded.countries >= 12
    assert seeded.inquiries == Inquiry.select().count()
    assert 60 <= seeded.inquiries <= 80
    assert seeded.unanswered == Inquiry.unanswered().count() == 7
    assert seeded.activities == Activity.select().count() >= 200
    assert seeded.tasks == Task.select().count() >= 25
    assert 4 <= seeded.quotes == Quote.select().count() <= 6
    assert seeded.orders == Order.select().count() >= 3
    assert seeded.products == Product.select().count() >= 8


def test_one_rep_owns_everything(seeded: DemoSummary) -> None:
    rep = Rep.get()
    assert Rep.select().count() == 1
    assert (rep.login, rep.name, rep.title, rep.timezone) == (
        "demo",
        "Lily Chen",
        "Sales Manager",
        "Asia/Shanghai",
    )
    for model in (Customer, Inquiry, Task, Quote, Order):
        owners = {row.owner_id for row in model.select(model.owner)}
        assert owners == {rep.id}, model.__name__


def test_every_stage_is_present_and_the_funnel_narrows(seeded: DemoSummary) -> None:
    stages = Counter(c.stage for c in Customer.select(Customer.stage))
    assert set(stages) == set(Stage)
    assert stages[Stage.LEAD] > stages[Stage.INTENT] > stages[Stage.NEGOTIATION]
    assert stages[Stage.NEGOTIATION] > stages[Stage.LOYAL]
    for customer in Customer.select():
        assert (customer.lost_reason is not None) == (customer.stage == Stage.LOST)


def test_stage_is_the_last_stage_change_of_a_history_from_lead(seeded: DemoSummary) -> None:
    for customer in Customer.select():
        changes = list(
            StageChange.select()
            .where(StageChange.customer == customer)
            .order_by(StageChange.at, StageChange.id)
        )
        assert changes, customer.company
        assert changes[0].from_stage is None
        assert changes[0].to_stage == Stage.LEAD
        assert changes[0].at == customer.first_contact_at
        for before, after in itertools.pairwise(changes):
            assert after.from_stage == before.to_stage
            assert after.at > before.at
            assert after.reason
        assert changes[-1].to_stage == customer.stage
        assert changes[-1].at == customer.stage_since
        assert changes[-1].at <= NOW


# -- customers -----------------------------------------------------------------------------------


def test_customers_look_real(seeded: DemoSummary) -> None:
    customers = list(Customer.select().order_by(Customer.number))
    assert [c.number for c in customers] == list(range(1, len(customers) + 1))
    assert customers[0].code == "C-00001"
    checked = [c for c in customers if c.stage != Stage.LEAD]
    assert sum(c.background_check_done for c in checked) >= 0.8 * len(checked)
    for c in customers:
        assert c.company and c.name and len(c.country) == 2
        pendulum.timezone(c.timezone)  # a valid IANA zone
        assert c.source is not None and c.buyer_type is not None and c.potential is not None
        assert c.first_contact_at <= c.last_activity_at <= NOW
        if c.expected_value is not None:
            assert isinstance(c.expected_value, Decimal)
            assert c.expected_currency in ("USD", "EUR")
    zones = {c.timezone for c in customers}
    assert {"America/New_York", "America/Los_Angeles", "America/Sao_Paulo"} <= zones
    assert "Europe/Moscow" in zones and "Australia/Sydney" in zones


def test_contacts_one_primary_each_with_e164_phones(seeded: DemoSummary) -> None:
    free_mail = 0
    for c in Customer.select():
        contacts = list(Contact.select().where(Contact.customer == c))
        assert sum(contact.is_primary for contact in contacts) == 1
        for contact in contacts:
            number = phonenumbers.parse(contact.phone)
            assert phonenumbers.is_valid_number(number), contact.phone
            assert contact.phone == phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.E164
            )
        primary = next(contact for contact in contacts if contact.is_primary)
        domain = primary.email.rpartition("@")[2]
        if domain in ("gmail.com", "hotmail.com", "qq.com"):
            free_mail += 1
            assert c.email_domain == ""
        else:
            assert c.email_domain == domain
    assert free_mail >= 3
    assert Contact.select().where(~Contact.is_primary).count() >= 5


def test_last_activity_and_next_follow_up_are_denormalised_correctly(seeded: DemoSummary) -> None:
    for c in Customer.select():
        touches = [a.at for a in Activity.select(Activity.at).where(Activity.customer == c)]
        received = [i.received_at for i in Inquiry.select().where(Inquiry.customer == c)]
        assert c.last_activity_at == max(touches + received)
        pending = list(Task.open().where(Task.customer == c).order_by(Task.due_at).limit(1))
        if pending:
            assert c.next_follow_up_at == pending[0].due_at
            assert c.next_follow_up_plan == pending[0].title
        else:
            assert c.next_follow_up_at is None


# -- inquiries -----------------------------------------------------------------------------------


def test_unanswered_inquiries_fill_every_reply_clock_bucket(seeded: DemoSummary) -> None:
    states = Counter(reply_state(i.received_at, i.first_reply_at, NOW) for i in Inquiry.select())
    assert states[ReplyState.FRESH] >= 2
    assert states[ReplyState.DUE] >= 2
    assert states[ReplyState.LATE] >= 3
    assert states[ReplyState.ANSWERED] >= 50


def test_inquiries_arrived_in_the_last_ten_days(seeded: DemoSummary) -> None:
    for i in Inquiry.select():
        assert NOW.subtract(days=10) <= i.received_at <= NOW.subtract(minutes=2)
    newest = Inquiry.select().order_by(Inquiry.received_at.desc()).first()
    assert newest.received_at == NOW.subtract(minutes=2)
    assert {i.channel.value for i in Inquiry.select(Inquiry.channel)} >= {
        "site_inquiry",
        "trademanager",
        "rfq",
        "email",
        "whatsapp",
    }


def test_answered_inquiries_have_their_outbound_reply(seeded: DemoSummary) -> None:
    answered = list(Inquiry.select().where(Inquiry.first_reply_at.is_null(False)))
    for i in answered:
        reply = Activity.get(Activity.inquiry == i)
        assert (reply.kind, reply.direction) == (ActivityKind.REPLY, Direction.OUT)
        assert reply.at == i.first_reply_at
        assert reply.text.strip()
        waited = response_time(i.received_at, i.first_reply_at)
        assert pendulum.duration(minutes=2) <= waited <= pendulum.duration(hours=12)
    quick = [i for i in answered if i.first_reply_at <= i.received_at.add(minutes=5)]
    assert len(quick) >= len(answered) / 4  # most within the hour, many in the golden 5 min


def test_inquiry_fields_and_languages(seeded: DemoSummary) -> None:
    inquiries = list(Inquiry.select())
    for i in inquiries:
        assert i.buyer_name and i.buyer_email and i.company and i.country
        assert i.subject and i.body and i.products
        assert re.fullmatch(r"[0-9a-f]{64}", i.content_hash)
    assert len({i.content_hash for i in inquiries}) == len(inquiries)
    detailed = [i for i in inquiries if i.quantity and i.port]
    assert len(detailed) >= len(inquiries) / 2
    bodies = "\n".join(i.body for i in inquiries)
    languages = {
        "es": r"Buenos días|Hola",
        "pt": r"Olá|Oi Lily",
        "fr": r"Bonjour",
        "de": r"Sehr geehrte|Hallo Lily",
        "ru": r"Здравствуйте",
        "ar": r"السلام|مرحباً",
    }
    for language, pattern in languages.items():
        assert re.search(pattern, bodies), language
    assert any(re.search(r"[\u4e00-\u9fff]", i.company) for i in inquiries)


def test_every_new_lead_came_with_its_first_inquiry(seeded: DemoSummary) -> None:
    for c in Customer.select().where(Customer.stage == Stage.LEAD):
        first = Inquiry.select().where(Inquiry.customer == c).order_by(Inquiry.received_at).first()
        assert first is not None, c.company
        assert first.received_at == c.first_contact_at
        assert first.company == c.company


# -- touches and follow-ups ----------------------------------------------------------------------


def test_touches_cover_every_kind_and_both_directions(seeded: DemoSummary) -> None:
    pairs = {(a.kind, a.direction) for a in Activity.select(Activity.kind, Activity.direction)}
    kinds = {kind for kind, _direction in pairs}
    assert {
        ActivityKind.EMAIL,
        ActivityKind.TM,
        ActivityKind.WHATSAPP,
        ActivityKind.CALL,
        ActivityKind.MEETING,
        ActivityKind.NOTE,
        ActivityKind.REPLY,
    } <= kinds
    assert (ActivityKind.EMAIL, Direction.IN) in pairs
    assert (ActivityKind.EMAIL, Direction.OUT) in pairs
    for a in Activity.select():
        assert a.text.strip()
        assert a.at <= NOW
        assert (a.by_id is None) == (a.direction == Direction.IN)


def test_follow_ups_around_today(seeded: DemoSummary) -> None:
    start, end = _today_bounds(NOW)
    tasks = list(Task.select())
    pending = [t for t in tasks if t.done_at is None]
    overdue = [t for t in pending if t.due_at < start]
    earlier = [t for t in pending if start <= t.due_at < NOW]
    later = [t for t in pending if NOW <= t.due_at < end]
    future = [t for t in pending if t.due_at >= end]
    done = [t for t in tasks if t.done_at is not None]
    assert len(overdue) >= 3 and len(earlier) >= 2 and len(later) >= 2 and len(future) >= 3
    assert len(done) >= 3
    for t in overdue:
        assert pendulum.duration(days=1) <= NOW - t.due_at <= pendulum.duration(days=3, hours=6)
    for t in tasks:
        assert t.title and t.why and t.kind is not None and t.source
        assert t.created_at <= NOW
    assert {"manual", "quote_nudge"} <= {t.source for t in tasks}
    assert any(re.search(r"PI-\d{4}-\d{4}", t.title) for t in pending)


# -- catalogue, deals, store data ----------------------------------------------------------------


def test_products_have_knowledge_and_price_tiers(seeded: DemoSummary) -> None:
    for p in Product.select():
        assert p.specs and p.material and p.certifications and p.packaging
        assert p.moq > 0 and p.lead_time_days > 0 and p.hs_code.startswith(("9405", "8539"))
        assert p.selling_points and p.applications
        tiers = list(PriceTier.select().where(PriceTier.product == p).order_by(PriceTier.min_qty))
        assert 2 <= len(tiers) <= 3
        assert all(isinstance(t.unit_price, Decimal) for t in tiers)
        prices = [t.unit_price for t in tiers]
        assert prices == sorted(prices, reverse=True)
    assert Material.select().where(Material.valid_until > NOW.date()).exists()
    assert {"intro", "video", "certificate", "test_report", "case"} <= {
        m.kind for m in Material.select()
    }
    topics = {f.topic for f in FaqAnswer.select()}
    assert {"price", "moq", "lead_time", "quality", "payment", "sample", "certification"} <= topics


def test_quotes_orders_and_sample(seeded: DemoSummary) -> None:
    quotes = list(Quote.select())
    assert {q.status for q in quotes} >= {
        QuoteStatus.SENT,
        QuoteStatus.ACCEPTED,
        QuoteStatus.DRAFT,
        QuoteStatus.EXPIRED,
    }
    for q in quotes:
        assert re.fullmatch(r"PI-\d{4}-\d{4}", q.number)
        assert q.payment_terms == "T/T 30% deposit, 70% against B/L copy"
        assert q.valid_until is not None and q.incoterm is not None and q.port
        assert QuoteLine.select().where(QuoteLine.quote == q).count() >= 1
        if q.status == QuoteStatus.EXPIRED:
            assert q.valid_until < NOW.date()
    for order in Order.select().where(Order.quote.is_null(False)):
        lines = QuoteLine.select().where(QuoteLine.quote == order.quote)
        assert order.total == sum(line.quantity * line.unit_price for line in lines)
    by_status = Counter(o.status for o in Order.select())
    assert by_status[OrderStatus.IN_PRODUCTION] >= 2
    assert by_status[OrderStatus.COMPLETED] >= 4
    for o in Order.select().where(Order.status == OrderStatus.IN_PRODUCTION):
        assert o.deposit_received_at is not None and o.production_started_at is not None
    shipped = Order.get(Order.status == OrderStatus.SHIPPED)
    assert shipped.vessel and shipped.bl_number and shipped.etd < NOW < shipped.eta
    for o in Order.select().where(Order.status == OrderStatus.COMPLETED):
        assert o.customer.stage == Stage.LOYAL
        assert re.fullmatch(r"SO-\d{4}-\d{4}", o.number)
    sample = Sample.get()
    assert (sample.paid, sample.freight_by, sample.courier) == (False, "customer", "DHL")
    assert sample.tracking and NOW.subtract(days=7) < sample.sent_at < NOW


def test_money_is_decimal_everywhere(seeded: DemoSummary) -> None:
    for model in ALL_MODELS:
        money = [f for f in model._meta.sorted_fields if isinstance(f, MoneyField)]
        for row in model.select():
            for f in money:
                value = getattr(row, f.name)
                assert value is None or isinstance(value, Decimal), (model.__name__, f.name)
    assert all(isinstance(line.quantity, Decimal) for line in QuoteLine.select())


def test_every_stored_time_is_utc_text(seeded: DemoSummary) -> None:
    checked = 0
    for model in ALL_MODELS:
        for f in model._meta.sorted_fields:
            if not isinstance(f, UTCDateTimeField):
                continue
            cursor = db.database.execute_sql(
                f'SELECT "{f.column_name}" FROM "{model._meta.table_name}" '
                f'WHERE "{f.column_name}" IS NOT NULL'
            )
            values = [row[0] for row in cursor.fetchall()]
            assert all(DB_TIME.match(v) for v in values), (model.__name__, f.name)
            checked += len(values)
    assert checked > 1000
    assert all(a.at.tzinfo is not None for a in Activity.select())


def test_store_data_for_the_last_thirty_days(seeded: DemoSummary) -> None:
    today = NOW.in_timezone(REP_ZONE).date()
    days = list(StoreMetrics.select().order_by(StoreMetrics.day))
    assert [d.day for d in days] == [today.subtract(days=n) for n in range(30, 0, -1)]
    for d in days:
        assert 2000 <= d.exposure <= 4000 and 60 <= d.clicks <= 150
        assert 2 <= d.inquiries <= 9 and d.tm_chats > 0 and d.visitors > 0
    totals = Counter[str]()
    for row in ProductMetrics.select():
        totals[row.product_name] += row.inquiries
    assert len(totals) >= 8
    assert any(n == 0 for n in totals.values())  # a zero-effect product
    assert Rfq.select().count() >= 3


def test_search_finds_demo_customers(seeded: DemoSummary) -> None:
    brightstone = Customer.get(Customer.company == "Brightstone Lighting Ltd")
    assert brightstone.id in search.search_customer_ids("Brightstone")
    assert brightstone.id in search.search_customer_ids("emma.clarke")


# -- reproducible, safe --------------------------------------------------------------------------


def _snapshot() -> tuple[list[object], ...]:
    return (
        [(c.number, c.company, c.stage_since) for c in Customer.select().order_by(Customer.number)],
        [(i.body, i.received_at) for i in Inquiry.select().order_by(Inquiry.id)],
        [(a.at, a.text) for a in Activity.select().order_by(Activity.id)],
        [(t.title, t.due_at) for t in Task.select().order_by(Task.id)],
    )


def test_same_now_and_seed_give_the_same_data(make_store: Callable[..., Path | str]) -> None:
    _seed_fresh(make_store, NOW)
    with db.database.connection_context():
        first = _snapshot()
    _seed_fresh(make_store, NOW)
    with db.database.connection_context():
        second = _snapshot()
    assert first == second
    _seed_fresh(make_store, NOW, seed=7)
    with db.database.connection_context():
        other = _snapshot()
    assert other[1] != first[1]


@pytest.mark.parametrize(
    "now",
    [
        pendulum.datetime(2027, 1, 3, 15, 59, tz="UTC"),  # 23:59 Sunday in Shanghai, new year
        pendulum.datetime(2026, 3, 29, 0, 30, tz="Europe/Berlin"),  # DST night, not UTC
    ],
)
def test_any_now_gives_a_consistent_demo(
    make_store: Callable[..., Path | str], now: pendulum.DateTime
) -> None:
    summary = _seed_fresh(make_store, now)
    now = now.in_timezone("UTC")
    assert summary.unanswered == 7
    with db.database.connection_context():
        for c in Customer.select():
            last = (
                StageChange.select()
                .where(StageChange.customer == c)
                .order_by(StageChange.at.desc())
            )
            assert last.first().to_stage == c.stage
        states = Counter(
            reply_state(i.received_at, i.first_reply_at, now) for i in Inquiry.select()
        )
        assert states[ReplyState.FRESH] >= 2 and states[ReplyState.LATE] >= 3
        assert max(a.at for a in Activity.select(Activity.at)) <= now
        start, _end = _today_bounds(now)
        assert Task.open().where(Task.due_at < start).exists()


def test_refuses_a_database_with_data(make_store: Callable[..., Path | str]) -> None:
    _seed_fresh(make_store, NOW)
    with db.database.connection_context():
        before = (Customer.select().count(), Activity.select().count())
        with pytest.raises(DemoError):
            demo.seed(NOW)
        assert (Customer.select().count(), Activity.select().count()) == before


def test_refuses_a_naive_now(make_store: Callable[..., Path | str]) -> None:
    db.init(make_store())
    with db.database.connection_context(), pytest.raises(ValueError):
        demo.seed(pendulum.naive(2026, 11, 27, 4))  # type: ignore[arg-type]
