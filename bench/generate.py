"""A deterministic database at scale: 20,000 customers, 100,000 inquiries, 200,000 activities.

About 15% of the customers are Chinese companies (Chinese company and contact names, most of their
messages in Chinese) and a fifth of the other customers' touches are notes in Chinese.

The same seed gives the same rows, so timings from different machines compare the same data. Rows
go in with bulk inserts (`insert_many` in batches, one transaction per table), then the search index
is rebuilt once. Other benchmarks reuse it:

    from bench.generate import generate
    generate(path, customers=20_000, inquiries=100_000, activities=200_000, seed=1)

or from the shell: `python bench/generate.py /tmp/scale.db [--customers N ...]`.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pendulum

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sopdesk.sop import geo
from sopdesk.sop.stages import (
    FUNNEL,
    ActivityKind,
    BuyerType,
    Channel,
    Direction,
    LostReason,
    Potential,
    Stage,
)
from sopdesk.store import db, search
from sopdesk.store.fields import to_db_time
from sopdesk.store.models import (
    Activity,
    Contact,
    Customer,
    Inquiry,
    Rep,
    StageChange,
)

BATCH = 400
ANCHOR = pendulum.datetime(2026, 11, 27, 4, 0, tz="UTC")
"""The generated data is placed relative to this instant (the tests' frozen now)."""

COUNTRIES = (
    "US", "DE", "GB", "FR", "IT", "ES", "NL", "PL", "AE", "SA", "IN", "BR", "MX", "CL", "AU",
    "CA", "NG", "KE", "ZA", "EG", "TR", "RU", "JP", "KR", "VN", "TH", "MY", "ID", "PH", "PK",
)  # fmt: skip
PREFIXES = (
    "Global", "Prime", "Royal", "Blue", "Green", "Star", "United", "Pacific", "Atlas", "Nova",
    "Delta", "Eagle", "Summit", "Golden", "Bright", "Metro", "Alpha", "Orion", "Vertex", "Crown",
)  # fmt: skip
CORES = (
    "Lighting", "Electric", "Trading", "Imports", "Supply", "Industries", "Solutions", "Energy",
    "Home", "Retail", "Build", "Tech", "Lamps", "Power", "Distribution", "Projects",
)  # fmt: skip
SUFFIXES = ("Ltd", "LLC", "GmbH", "S.A.", "Pty Ltd", "Co.", "Inc.", "SARL", "B.V.", "")
FIRST = (
    "James", "Maria", "Ahmed", "Anna", "Luis", "Olga", "Chen", "Priya", "Tom", "Fatima", "Jonas",
    "Sofia", "Carlos", "Emma", "Yusuf", "Hannah", "Ivan", "Aisha", "Pedro", "Mei",
)  # fmt: skip
LAST = (
    "Smith", "Müller", "Khan", "Rossi", "Garcia", "Ivanova", "Wang", "Patel", "Brown", "Haddad",
    "Schmidt", "Silva", "Lopez", "Novak", "Yilmaz", "Kowalski", "Nguyen", "Okafor", "Dubois", "Kim",
)  # fmt: skip
PRODUCTS = (
    "LED high bay 150W", "LED panel 600x600", "solar street light 100W", "LED flood light 200W",
    "LED strip 5050", "emergency exit sign", "LED tube T8 18W", "linear trunking system",
)  # fmt: skip
PHRASES = (
    "Please send your best price for {qty} pcs of {product}.",
    "Can you ship to {port} by the end of next month?",
    "We need CE and RoHS certificates before ordering.",
    "What is the MOQ and the lead time for {product}?",
    "Sent the PI for {qty} pcs, FOB Ningbo, valid 15 days.",
    "Customer asked for a sample; freight collect by DHL account.",
    "Called the buyer: they compare us with two other suppliers on price.",
    "Followed up on WhatsApp about the quotation, no answer yet.",
    "Payment terms T/T 30% deposit, 70% against B/L copy accepted.",
    "They want a factory video and the test report for the driver.",
)  # fmt: skip
PORTS = ("Hamburg", "Rotterdam", "Jebel Ali", "Santos", "Lagos", "Los Angeles", "Felixstowe")
# Chinese customers and texts (docs/performance.md measures CJK search on them), drawn from a random
# stream of their own so every other value is the same as without them.
CHINESE_CUSTOMERS = 0.15
"""Share of customers with a Chinese company and contact names (their messages mostly Chinese)."""
CN_CITIES = ("深圳", "广州", "东莞", "中山", "宁波", "义乌", "上海", "杭州", "苏州", "厦门")
CN_CORES = ("华强", "光明", "飞利", "中光", "恒通", "金源", "佳美", "鸿达", "新世纪", "万家")
CN_TRADES = ("电子", "照明", "光电", "科技", "贸易", "实业", "灯饰", "LED照明")
CN_SURNAMES = ("张", "王", "李", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙")
CN_GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "丽", "涛")
CN_PRODUCTS = (
    "LED工矿灯150W",
    "LED面板灯600x600",
    "太阳能路灯100W",
    "LED投光灯200W",
    "LED灯带5050",
)
CN_PHRASES = (
    "请报{product}的最好价格，数量{qty}个。",
    "能否在下个月底前发货到{port}？",
    "我们需要CE和RoHS证书，下单前请提供。",
    "{product}的最小起订量和交货期是多少？",
    "已发形式发票，{qty}个，FOB宁波，有效期15天。",
    "客户要样品，运费到付，用DHL账号。",
    "打电话给买家：他们在价格上和另外两家供应商比较。",
    "在微信上跟进报价，还没有回复。",
)  # fmt: skip
STAGE_WEIGHTS = (
    (Stage.LEAD, 40), (Stage.INTENT, 22), (Stage.NEGOTIATION, 12), (Stage.ORDER, 6),
    (Stage.LOYAL, 4), (Stage.LOST, 10), (Stage.DORMANT, 6),
)  # fmt: skip
ACTIVITY_KINDS = (
    ActivityKind.REPLY, ActivityKind.EMAIL, ActivityKind.TM, ActivityKind.WHATSAPP,
    ActivityKind.CALL, ActivityKind.NOTE,
)  # fmt: skip


@dataclass(frozen=True)
class Generated:
    customers: int
    inquiries: int
    activities: int
    seconds: float


def _batches(rows: Iterator[dict], size: int = BATCH) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(model: type, rows: Iterator[dict]) -> None:
    with db.database.atomic():
        for batch in _batches(rows):
            model.insert_many(batch).execute()


def _sentence(rng: random.Random) -> str:
    template = rng.choice(PHRASES)
    return template.format(
        qty=rng.choice((200, 500, 1000, 2000, 5000)),
        product=rng.choice(PRODUCTS),
        port=rng.choice(PORTS),
    )


def _chinese_name(cn: random.Random) -> str:
    given = "".join(cn.choice(CN_GIVEN) for _ in range(cn.randint(1, 2)))
    return cn.choice(CN_SURNAMES) + given


def _chinese_text(cn: random.Random, sentences: int) -> str:
    return "".join(
        cn.choice(CN_PHRASES).format(
            qty=cn.choice((200, 500, 1000, 2000, 5000)),
            product=cn.choice(CN_PRODUCTS),
            port=cn.choice(PORTS),
        )
        for _ in range(sentences)
    )


def _in_chinese(
    rows: Iterator[dict], cn: random.Random, chinese: set[int], share: float = 0.0
) -> Iterator[dict]:
    """Chinese customers (a new one is added to `chinese`), their contacts and most of their
    messages in Chinese; other customers' messages with probability `share` (reps' own notes)."""
    for row in rows:
        if "number" in row:
            if cn.random() < CHINESE_CUSTOMERS:
                chinese.add(row["number"])
                city, core, trade = cn.choice(CN_CITIES), cn.choice(CN_CORES), cn.choice(CN_TRADES)
                row["company"] = f"{city}市{core}{trade}有限公司" if row["company"] else ""
                row["name"] = _chinese_name(cn)
        elif "role" in row:
            if row["customer"] in chinese:
                row["name"] = _chinese_name(cn)
        elif cn.random() < (0.8 if row["customer"] in chinese else share):
            key = "body" if "body" in row else "text"
            row[key] = _chinese_text(cn, cn.randint(1, 3))
        yield row


def _company(rng: random.Random, index: int) -> str:
    suffix = rng.choice(SUFFIXES)
    name = f"{rng.choice(PREFIXES)} {rng.choice(CORES)} {index}"
    return f"{name} {suffix}".strip()


def _customer_rows(
    rng: random.Random, count: int, reps: list[int], plans: list[tuple[Stage, pendulum.DateTime]]
) -> Iterator[dict]:
    stages = [s for s, _w in STAGE_WEIGHTS]
    weights = [w for _s, w in STAGE_WEIGHTS]
    for number in range(1, count + 1):
        country = rng.choice(COUNTRIES)
        stage = rng.choices(stages, weights)[0]
        first = ANCHOR.subtract(minutes=rng.randint(60, 2 * 365 * 24 * 60))
        since = first.add(minutes=rng.randint(0, max(1, int((ANCHOR - first).total_minutes()))))
        plans.append((stage, since))
        company = _company(rng, number)
        domain = company.split()[0].lower() + f"{number}.example"
        follow = rng.random()
        next_at = None
        if stage not in (Stage.LOST, Stage.DORMANT) and follow < 0.8:
            next_at = ANCHOR.add(minutes=rng.randint(-14 * 24 * 60, 30 * 24 * 60))
        yield {
            "number": number,
            "company": company if rng.random() < 0.9 else "",
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "country": country,
            "timezone": geo.infer_timezone(country),
            "website": f"https://www.{domain}",
            "email_domain": domain,
            "source": rng.choice(list(Channel)),
            "buyer_type": rng.choice(list(BuyerType)),
            "potential": rng.choice([*Potential, None]),
            "stage": stage,
            "stage_since": since,
            "lost_reason": rng.choice(list(LostReason)) if stage is Stage.LOST else None,
            "expected_value": (Decimal(rng.randint(1, 400) * 500) if rng.random() < 0.7 else None),
            "expected_currency": rng.choice(("USD", "USD", "USD", "EUR", "CNY")),
            "first_contact_at": first,
            "last_activity_at": None,
            "next_follow_up_at": next_at,
            "next_follow_up_plan": _sentence(rng)[:60] if next_at else "",
            "background_check_done": rng.random() < 0.5,
            "notes": _sentence(rng) if rng.random() < 0.5 else "",
            "tags": rng.choice(("", "", "vip", "distributor", "project", "price-sensitive")),
            "owner": rng.choice(reps),
            "created_at": first,
            "updated_at": first,
        }


def _contact_rows(rng: random.Random, count: int) -> Iterator[dict]:
    for customer_id in range(1, count + 1):
        for i in range(1 if rng.random() < 0.7 else 2):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            local = f"{first}.{last}".lower().replace("ü", "u")
            yield {
                "customer": customer_id,
                "name": f"{first} {last}",
                "role": rng.choice(("Purchasing", "Owner", "Engineer", "")),
                "email": f"{local}{i}@c{customer_id}.example",
                "phone": f"+{rng.randint(1, 99)}{rng.randint(10**8, 10**9 - 1)}",
                "whatsapp": "",
                "is_primary": i == 0,
            }


def _stage_rows(plans: list[tuple[Stage, pendulum.DateTime]], reps: list[int]) -> Iterator[dict]:
    for customer_id, (stage, since) in enumerate(plans, start=1):
        in_funnel = stage in FUNNEL
        path = list(FUNNEL[: FUNNEL.index(stage) + 1]) if in_funnel else [Stage.LEAD, stage]
        previous: Stage | None = None
        for step, to_stage in enumerate(path):
            at = since.subtract(days=(len(path) - 1 - step) * 3)
            yield {
                "customer": customer_id,
                "from_stage": previous,
                "to_stage": to_stage,
                "at": at,
                "by": reps[customer_id % len(reps)],
                "reason": "",
            }
            previous = to_stage


def _inquiry_rows(rng: random.Random, count: int, customers: int) -> Iterator[dict]:
    for i in range(1, count + 1):
        # A few big accounts get a fifth of the inquiries: long timelines exist at scale.
        heavy = rng.random() < 0.2
        customer_id = rng.randint(1, min(customers, 50)) if heavy else rng.randint(1, customers)
        received = ANCHOR.subtract(minutes=rng.randint(1, 2 * 365 * 24 * 60))
        replied = received.add(minutes=rng.randint(2, 600)) if rng.random() < 0.97 else None
        product = rng.choice(PRODUCTS)
        yield {
            "customer": customer_id,
            "channel": rng.choice(
                (Channel.SITE_INQUIRY, Channel.TRADEMANAGER, Channel.RFQ, Channel.EMAIL)
            ),
            "received_at": received,
            "buyer_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "buyer_email": f"buyer{i}@c{customer_id}.example",
            "subject": f"Inquiry about {product}",
            "body": " ".join(_sentence(rng) for _ in range(rng.randint(1, 4))),
            "products": product,
            "quantity": str(rng.choice((100, 500, 1000, 3000))),
            "port": rng.choice(PORTS),
            "content_hash": f"bench-{i:08d}",
            "first_reply_at": replied,
            "created_at": received,
            "updated_at": received,
        }


def _activity_rows(
    rng: random.Random, count: int, customers: int, reps: list[int], last_at: dict[int, str]
) -> Iterator[dict]:
    for _ in range(count):
        customer_id = rng.randint(1, customers)
        at = ANCHOR.subtract(minutes=rng.randint(1, 2 * 365 * 24 * 60))
        stamp = to_db_time(at)
        if stamp > last_at.get(customer_id, ""):
            last_at[customer_id] = stamp
        kind = rng.choice(ACTIVITY_KINDS)
        yield {
            "customer": customer_id,
            "kind": kind,
            "direction": Direction.NONE
            if kind is ActivityKind.NOTE
            else rng.choice((Direction.IN, Direction.OUT)),
            "at": at,
            "text": " ".join(_sentence(rng) for _ in range(rng.randint(1, 3))),
            "by": rng.choice(reps),
            "created_at": at,
            "updated_at": at,
        }


def generate(
    path: str | Path,
    customers: int = 20_000,
    inquiries: int = 100_000,
    activities: int = 200_000,
    seed: int = 1,
) -> Generated:
    """Fill a new database at `path` (it must not exist) and leave the proxy pointing at it."""
    target = Path(path)
    if target.exists():
        raise FileExistsError(f"{target} exists; generate into a new path")
    started = time.perf_counter()
    rng = random.Random(seed)
    database = db.init(target)
    with database.connection_context():
        with database.atomic():
            reps = [
                Rep.create(
                    login=f"rep{i}", name=f"{rng.choice(FIRST)} {i}", timezone="Asia/Shanghai"
                ).id
                for i in range(1, 6)
            ]
        plans: list[tuple[Stage, pendulum.DateTime]] = []
        cn, chinese = random.Random(seed + 1000), set[int]()
        _insert(Customer, _in_chinese(_customer_rows(rng, customers, reps, plans), cn, chinese))
        _insert(Contact, _in_chinese(_contact_rows(rng, customers), cn, chinese))
        _insert(StageChange, _stage_rows(plans, reps))
        _insert(Inquiry, _in_chinese(_inquiry_rows(rng, inquiries, customers), cn, chinese))
        last_at: dict[int, str] = {}
        touches = _activity_rows(rng, activities, customers, reps, last_at)
        _insert(Activity, _in_chinese(touches, cn, chinese, share=0.2))
        with database.atomic():
            for customer_id, stamp in last_at.items():
                Customer.update(last_activity_at=stamp).where(Customer.id == customer_id).execute()
            search.rebuild(database)
        database.execute_sql("ANALYZE")
    return Generated(customers, inquiries, activities, time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("path", type=Path, help="where to write the new database")
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--inquiries", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    result = generate(args.path, args.customers, args.inquiries, args.activities, args.seed)
    print(
        f"{args.path}: {result.customers} customers, {result.inquiries} inquiries, "
        f"{result.activities} activities in {result.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
