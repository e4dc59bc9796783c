"""Product knowledge at hand (SOP 1.5): browse, search and edit the catalogue, and import it.

A product has its facts (specifications, material, process, certifications, packaging, MOQ, lead
time, selling points, applications, HS code, photo links) and its price tiers by quantity. The
products screen and the quote editor read it through this module; nothing here returns a model.

`import_products(path)` reads a .csv or .xlsx sheet with the shared sheet reader: one product per
row, matched to the catalogue by SKU (updated when it exists, created otherwise). The file is one
transaction: with any rejected row nothing is written unless `skip_bad`; a dry run does everything
and rolls back. Tiers are written in one cell as "100: 28.50; 500: 25.80" (or "100+ 28.50",
"100=28.50", one per line …) with the currency in its own column (USD when absent).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

import pendulum
from peewee import fn

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.services.importers.sheet_report import Outcome, SheetReport
from sopdesk.sop import money
from sopdesk.sop.quotes import Tier
from sopdesk.store.db import database
from sopdesk.store.models import PriceTier, Product

PAGE_SIZE = 200
MAX_TIERS = 12
MAX_TEXT = 4000
SUPPORTED = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}


class CatalogError(ValueError):
    """A product cannot be saved as given; the message says why (in the UI language)."""


# --- views -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierView:
    min_qty: int
    unit_price: Decimal
    currency: str


@dataclass(frozen=True)
class ProductRow:
    """One line of the products table."""

    product_id: int
    sku: str
    name: str
    moq: int
    unit: str
    lead_time_days: int
    certifications: str
    from_price: TierView | None
    """The best (highest-quantity) tier: "from USD 23.90"."""


@dataclass(frozen=True)
class ProductPage:
    rows: tuple[ProductRow, ...]
    query: str
    more: bool
    """More rows follow; ask again with `after` = the last row's (name, id)."""


@dataclass(frozen=True)
class ProductDetail:
    product_id: int | None
    sku: str
    name: str
    specs: str = ""
    material: str = ""
    process: str = ""
    certifications: str = ""
    packaging: str = ""
    moq: int = 0
    unit: str = "pcs"
    lead_time_days: int = 0
    selling_points: str = ""
    applications: str = ""
    hs_code: str = ""
    photos: tuple[str, ...] = ()
    tiers: tuple[TierView, ...] = ()

    @property
    def quote_tiers(self) -> tuple[Tier, ...]:
        return tuple(Tier(t.min_qty, t.unit_price, t.currency) for t in self.tiers)


TEXT_FIELDS = (
    "specs",
    "material",
    "process",
    "certifications",
    "packaging",
    "selling_points",
    "applications",
    "hs_code",
)


# --- reading ---------------------------------------------------------------------------------


def _tiers_by_product(product_ids: Sequence[int]) -> dict[int, list[TierView]]:
    found: dict[int, list[TierView]] = {}
    if not product_ids:
        return found
    rows = (
        PriceTier.select(
            PriceTier.product, PriceTier.min_qty, PriceTier.unit_price, PriceTier.currency
        )
        .where(PriceTier.product.in_(list(product_ids)))
        .order_by(PriceTier.product, PriceTier.min_qty)
        .limit(len(product_ids) * MAX_TIERS * 2)
        .tuples()
    )
    for product_id, min_qty, unit_price, currency in cast(
        Iterable[tuple[int, int, Decimal, str]], rows
    ):
        found.setdefault(product_id, []).append(TierView(min_qty, unit_price, currency))
    return found


def list_products(
    query: str = "", after: tuple[str, int] | None = None, limit: int = PAGE_SIZE
) -> ProductPage:
    """A window of the catalogue by name (keyset on (name, id)); `query` searches SKU, name,
    specifications, applications and certifications (every word must match somewhere)."""
    limit = max(1, min(limit, PAGE_SIZE))
    words = [w for w in query.split() if w][:6]
    with database.connection_context():
        select = Product.select(
            Product.id,
            Product.sku,
            Product.name,
            Product.moq,
            Product.unit,
            Product.lead_time_days,
            Product.certifications,
        )
        for word in words:
            select = select.where(
                Product.sku.contains(word)
                | Product.name.contains(word)
                | Product.specs.contains(word)
                | Product.applications.contains(word)
                | Product.certifications.contains(word)
            )
        if after is not None:
            name, ident = after
            select = select.where(
                (Product.name > name) | ((Product.name == name) & (Product.id > ident))
            )
        rows = list(select.order_by(Product.name, Product.id).limit(limit + 1))
        more = len(rows) > limit
        rows = rows[:limit]
        tiers = _tiers_by_product([r.id for r in rows])
    return ProductPage(
        rows=tuple(
            ProductRow(
                product_id=r.id,
                sku=r.sku,
                name=r.name,
                moq=r.moq,
                unit=r.unit,
                lead_time_days=r.lead_time_days,
                certifications=r.certifications,
                from_price=tiers[r.id][-1] if tiers.get(r.id) else None,
            )
            for r in rows
        ),
        query=query,
        more=more,
    )


def _detail(product: Product, tiers: Iterable[TierView]) -> ProductDetail:
    return ProductDetail(
        product_id=product.id,
        sku=product.sku,
        name=product.name,
        specs=product.specs,
        material=product.material,
        process=product.process,
        certifications=product.certifications,
        packaging=product.packaging,
        moq=product.moq,
        unit=product.unit,
        lead_time_days=product.lead_time_days,
        selling_points=product.selling_points,
        applications=product.applications,
        hs_code=product.hs_code,
        photos=tuple(line.strip() for line in (product.photos or "").splitlines() if line.strip()),
        tiers=tuple(tiers),
    )


def product(product_id: int) -> ProductDetail | None:
    with database.connection_context():
        found = Product.get_or_none(Product.id == product_id)
        if found is None:
            return None
        return _detail(found, _tiers_by_product([product_id]).get(product_id, []))


def products(product_ids: Sequence[int]) -> dict[int, ProductDetail]:
    """Several products by id, in two queries (the quote editor, the PI)."""
    ids = sorted(set(product_ids))[:PAGE_SIZE]
    if not ids:
        return {}
    with database.connection_context():
        rows = list(Product.select().where(Product.id.in_(ids)).limit(len(ids)))
        tiers = _tiers_by_product(ids)
    return {row.id: _detail(row, tiers.get(row.id, [])) for row in rows}


def by_sku(sku: str) -> ProductDetail | None:
    with database.connection_context():
        found = Product.get_or_none(fn.LOWER(Product.sku) == sku.strip().lower())
        if found is None:
            return None
        return _detail(found, _tiers_by_product([found.id]).get(found.id, []))


# --- writing ---------------------------------------------------------------------------------


def _clean(text: str, limit: int = MAX_TEXT) -> str:
    return (text or "").replace("\r\n", "\n").strip()[:limit]


def check(detail: ProductDetail) -> ProductDetail:
    """The product cleaned up, or CatalogError naming what is wrong."""
    sku = " ".join(detail.sku.split())
    name = " ".join(detail.name.split())
    if not sku:
        raise CatalogError(_("a product needs a model/SKU"))
    if len(sku) > 64:
        raise CatalogError(_("the SKU is longer than 64 characters"))
    if not name:
        raise CatalogError(_("a product needs a name"))
    if detail.moq < 0 or detail.lead_time_days < 0:
        raise CatalogError(_("MOQ and lead time cannot be negative"))
    if len(detail.tiers) > MAX_TIERS:
        raise CatalogError(_("at most {n} price tiers").format(n=MAX_TIERS))
    seen: set[int] = set()
    tiers: list[TierView] = []
    for tier in sorted(detail.tiers, key=lambda t: t.min_qty):
        if tier.min_qty < 1:
            raise CatalogError(_("a price tier's minimum quantity must be at least 1"))
        if tier.min_qty in seen:
            raise CatalogError(_("two price tiers start at {qty}").format(qty=tier.min_qty))
        if tier.unit_price < 0:
            raise CatalogError(_("a unit price cannot be negative"))
        try:
            currency = money.normalise_currency(tier.currency)
        except money.MoneyError:
            raise CatalogError(_bad_currency(tier.currency)) from None
        seen.add(tier.min_qty)
        tiers.append(TierView(tier.min_qty, money.to_decimal(tier.unit_price), currency))
    return ProductDetail(
        product_id=detail.product_id,
        sku=sku,
        name=name[:200],
        specs=_clean(detail.specs),
        material=_clean(detail.material, 255),
        process=_clean(detail.process, 255),
        certifications=_clean(detail.certifications, 255),
        packaging=_clean(detail.packaging),
        moq=detail.moq,
        unit=_clean(detail.unit, 16) or "pcs",
        lead_time_days=detail.lead_time_days,
        selling_points=_clean(detail.selling_points),
        applications=_clean(detail.applications),
        hs_code=_clean(detail.hs_code, 32),
        photos=tuple(p.strip() for p in detail.photos if p.strip())[:20],
        tiers=tuple(tiers),
    )


def _bad_currency(code: str) -> str:
    return _("{value!r} is not a three-letter currency code (USD, EUR, CNY …)").format(value=code)


def _values(detail: ProductDetail) -> dict[str, Any]:
    return {
        "sku": detail.sku,
        "name": detail.name,
        "specs": detail.specs,
        "material": detail.material,
        "process": detail.process,
        "certifications": detail.certifications,
        "packaging": detail.packaging,
        "moq": detail.moq,
        "unit": detail.unit,
        "lead_time_days": detail.lead_time_days,
        "selling_points": detail.selling_points,
        "applications": detail.applications,
        "hs_code": detail.hs_code,
        "photos": "\n".join(detail.photos),
    }


def _write(detail: ProductDetail, now: pendulum.DateTime) -> tuple[int, bool]:
    """(product id, created) inside the caller's transaction."""
    clash = Product.get_or_none(fn.LOWER(Product.sku) == detail.sku.lower())
    if detail.product_id is None:
        if clash is not None:
            raise CatalogError(_("SKU {sku} is already in the catalogue").format(sku=detail.sku))
        product_id = Product.insert(**_values(detail), created_at=now, updated_at=now).execute()
        created = True
    else:
        if clash is not None and clash.id != detail.product_id:
            raise CatalogError(_("SKU {sku} is already in the catalogue").format(sku=detail.sku))
        changed = (
            Product.update(**_values(detail), updated_at=now)
            .where(Product.id == detail.product_id)
            .execute()
        )
        if not changed:
            raise CatalogError(_("that product no longer exists"))
        product_id = detail.product_id
        created = False
        PriceTier.delete().where(PriceTier.product == product_id).execute()
    if detail.tiers:
        PriceTier.insert_many(
            [
                {
                    "product": product_id,
                    "min_qty": t.min_qty,
                    "unit_price": t.unit_price,
                    "currency": t.currency,
                    "created_at": now,
                    "updated_at": now,
                }
                for t in detail.tiers
            ]
        ).execute()
    return int(product_id), created


def save_product(detail: ProductDetail, now: pendulum.DateTime | None = None) -> int:
    """Create (product_id None) or update a product with its tiers; returns its id."""
    cleaned = check(detail)
    with database.connection_context(), database.atomic():
        product_id, _created = _write(cleaned, now or clock.now())
    return product_id


# --- tiers in one cell -----------------------------------------------------------------------

_TIER = re.compile(
    r"^\s*(?P<qty>\d[\d,\s]*?)\s*(?:\+|pcs|sets|units|以上)?\s*(?:[:=@]|\s)\s*"
    r"(?P<currency>[A-Za-z]{3}|\$|US\$)?\s*(?P<price>\d[\d,]*(?:\.\d+)?)\s*$"
)


def parse_tiers(text: str, currency: str = "USD") -> tuple[TierView, ...]:
    """'100: 28.50; 500: 25.80' → two tiers. Pairs are split by ';', '|' or new lines; each is
    quantity then price, separated by ':', '=', '@', '+' or a space; a currency code may stand
    before the price. ValueError names the pair it cannot read."""
    tiers: list[TierView] = []
    for raw in re.split(r"[;|\n]", text or ""):
        pair = raw.strip()
        if not pair:
            continue
        match = _TIER.match(pair)
        if match is None:
            raise ValueError(
                _("cannot read the price tier {pair!r} (write 100: 28.50)").format(pair=pair[:40])
            )
        qty = int(re.sub(r"[,\s]", "", match.group("qty")))
        code = match.group("currency")
        tier_currency = currency if code in (None, "$", "US$") else code.upper()
        if code in ("$", "US$"):
            tier_currency = "USD"
        try:
            price = Decimal(match.group("price").replace(",", ""))
        except InvalidOperation:
            raise ValueError(
                _("cannot read the price in {pair!r}").format(pair=pair[:40])
            ) from None
        tiers.append(TierView(qty, price, tier_currency))
    return tuple(tiers)


def format_tiers(tiers: Iterable[TierView]) -> str:
    """The inverse of parse_tiers (without currency): '100: 28.50; 500: 25.80'."""
    return "; ".join(f"{t.min_qty}: {t.unit_price}" for t in tiers)


# --- import ----------------------------------------------------------------------------------

HEADERS: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "model", "model no", "item no", "型号", "货号", "产品编号"),
    "name": ("name", "product", "product name", "title", "产品名称", "品名", "名称"),
    "specs": ("specs", "specifications", "specification", "规格", "参数"),
    "material": ("material", "材质", "材料"),
    "process": ("process", "工艺"),
    "certifications": ("certifications", "certificates", "certification", "认证"),
    "packaging": ("packaging", "packing", "包装"),
    "moq": ("moq", "minimum order", "起订量", "最小起订量"),
    "unit": ("unit", "单位"),
    "lead_time_days": ("lead time", "lead time days", "lead_time_days", "交期", "交货期"),
    "selling_points": ("selling points", "key selling points", "卖点"),
    "applications": ("applications", "application", "应用", "应用场景"),
    "hs_code": ("hs code", "hs", "海关编码"),
    "photos": ("photos", "photo", "images", "image", "pictures", "图片"),
    "tiers": ("price tiers", "tiers", "prices", "price", "阶梯价", "阶梯价格", "价格"),
    "currency": ("currency", "币种", "货币"),
}


def _header_field(cell: str) -> str | None:
    key = re.sub(r"[\s_\-/.:()\[\]*#（）：]+", " ", (cell or "").casefold()).strip()
    for name, aliases in HEADERS.items():
        if key in aliases:
            return name
    return None


@dataclass(frozen=True)
class RowResult:
    row: int
    outcome: Outcome
    sku: str = ""
    reason: str = ""


ImportReport = SheetReport[RowResult]


class _Rollback(Exception):  # noqa: N818 - control flow, not an error
    pass


def _whole(text: str, what: str) -> int:
    cleaned = text.replace(",", "").strip()
    if not cleaned:
        return 0
    match = re.fullmatch(r"(\d+)(?:\.0+)?(?:\s*(?:days?|d|天|pcs|sets|units))?", cleaned, re.I)
    if match is None:
        raise ValueError(_("{what} {value!r} is not a whole number").format(what=what, value=text))
    return int(match.group(1))


def parse_row(cells: Mapping[str, str]) -> ProductDetail:
    """One sheet row (field → text) as a product; ValueError says what is wrong."""
    currency = cells.get("currency", "").strip() or "USD"
    try:
        currency = money.normalise_currency(currency)
    except money.MoneyError:
        raise ValueError(_bad_currency(currency)) from None
    photos = tuple(p.strip() for p in re.split(r"[\n;|]", cells.get("photos", "")) if p.strip())
    detail = ProductDetail(
        product_id=None,
        sku=cells.get("sku", ""),
        name=cells.get("name", ""),
        moq=_whole(cells.get("moq", ""), _("MOQ")),
        lead_time_days=_whole(cells.get("lead_time_days", ""), _("lead time")),
        unit=cells.get("unit", "") or "pcs",
        photos=photos,
        tiers=parse_tiers(cells.get("tiers", ""), currency),
        **{name: cells.get(name, "") for name in TEXT_FIELDS},
    )
    try:
        return check(detail)
    except CatalogError as exc:
        raise ValueError(str(exc)) from None


@dataclass
class _Sheet:
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _read(path: Path) -> _Sheet:
    """The shared sheet reader (CSV or XLSX); the header is the first row naming known columns."""
    from sopdesk.services.importers.customers import SheetUnreadable, cell_text, read_table

    try:
        table = read_table(path)
    except (SheetUnreadable, OSError) as exc:
        raise ValueError(str(exc)) from None
    sheet = _Sheet(notes=list(table.notes))
    header: dict[str, int] = {}
    start = header_number = 0
    for index, (number, cells) in enumerate(table.rows[:10]):
        found: dict[str, int] = {}
        for column, cell in enumerate(cells):
            name = _header_field(cell_text(cell))
            if name is not None and name not in found:
                found[name] = column
        if len(found) > len(header):
            header, start, header_number = found, index, number
    if "sku" not in header or "name" not in header:
        raise ValueError(
            _("no header row with at least the columns SKU and Name in the first rows")
        )
    sheet.notes.append(_("header in row {n}").format(n=header_number))
    for number, cells in table.rows[start + 1 :]:
        values = {
            name: cell_text(cells[column]) if column < len(cells) else ""
            for name, column in header.items()
        }
        sheet.rows.append((number, values))
    return sheet


def import_products(
    path: Path,
    *,
    dry_run: bool = False,
    skip_bad: bool = False,
    now: pendulum.DateTime | None = None,
) -> ImportReport:
    """Import a product sheet; see the module docstring."""
    now = now or clock.now()
    kind = SUPPORTED.get(path.suffix.lower(), "")
    if not kind:
        return ImportReport(
            path, kind, error=_("unsupported file type (use .csv or .xlsx)"), dry_run=dry_run
        )
    try:
        sheet = _read(path)
    except ValueError as exc:
        return ImportReport(path, kind, error=str(exc), dry_run=dry_run)
    results: list[RowResult] = []
    committed = False
    seen: dict[str, int] = {}
    with database.connection_context():
        try:
            with database.atomic():
                for number, cells in sheet.rows:
                    sku = " ".join(cells.get("sku", "").split())
                    try:
                        detail = parse_row(cells)
                        if detail.sku.lower() in seen:
                            raise ValueError(
                                _("SKU {sku} is also in row {row}").format(
                                    sku=detail.sku, row=seen[detail.sku.lower()]
                                )
                            )
                        seen[detail.sku.lower()] = number
                        existing = Product.get_or_none(fn.LOWER(Product.sku) == detail.sku.lower())
                        if existing is not None:
                            current = _detail(
                                existing, _tiers_by_product([existing.id]).get(existing.id, [])
                            )
                            detail = merge(current, detail, cells)
                        with database.atomic():  # a savepoint: a refused row leaves no trace
                            _id, created = _write(detail, now)
                        outcome = Outcome.CREATED if created else Outcome.UPDATED
                        results.append(RowResult(number, outcome, detail.sku))
                    except (ValueError, CatalogError) as exc:
                        results.append(RowResult(number, Outcome.REJECTED, sku, str(exc)))
                rejected = any(r.outcome is Outcome.REJECTED for r in results)
                if dry_run or (rejected and not skip_bad) or not results:
                    raise _Rollback
                committed = True
        except _Rollback:
            committed = False
    return ImportReport(
        path, kind, tuple(results), tuple(sheet.notes), committed=committed, dry_run=dry_run
    )


_CELL_FOR = {"tiers": "tiers", "photos": "photos"}


def merge(current: ProductDetail, parsed: ProductDetail, cells: Mapping[str, str]) -> ProductDetail:
    """An existing product updated from a sheet row: only the cells that are filled change it
    (a sheet with just SKU, name and prices leaves the specifications alone)."""
    from dataclasses import fields, replace

    changes: dict[str, Any] = {}
    for spec in fields(ProductDetail):
        name = spec.name
        if name == "product_id":
            continue
        if cells.get(_CELL_FOR.get(name, name), "").strip():
            changes[name] = getattr(parsed, name)
    return replace(current, **changes)


__all__ = [
    "CatalogError",
    "ImportReport",
    "Outcome",
    "ProductDetail",
    "ProductPage",
    "ProductRow",
    "RowResult",
    "TierView",
    "by_sku",
    "check",
    "format_tiers",
    "import_products",
    "list_products",
    "merge",
    "parse_row",
    "parse_tiers",
    "product",
    "products",
    "save_product",
]
