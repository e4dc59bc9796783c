"""The product catalogue (SOP 1.5, knowledge at hand): browse, search, edit.

`P` on the workbench opens it. Type after `/` to search SKU, name, specifications, applications
and certifications; Enter or `e` edits the product under the cursor, `n` adds one, Esc goes back.
The table holds a window of at most 200 products (search to narrow); the facts of the selected
product show below it. Imports: `sopdesk import products FILE.csv|xlsx`.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from sopdesk.i18n import _
from sopdesk.services import catalog
from sopdesk.sop import money
from sopdesk.ui import text as safe
from sopdesk.ui.bindings import binding_factory
from sopdesk.ui.widgets.sales_dialogs import ProductDialog
from sopdesk.ui.widgets.table import SopTable

_binding = binding_factory("products")


class ProductsTable(SopTable):
    BINDINGS = [
        _binding("enter,e", "screen.edit", _("Edit"), "edit", _("Edit this product")),
    ]


class ProductsScreen(Screen[None]):
    BINDINGS = [
        _binding("escape", "back", _("Back"), "back", _("Back to the workbench")),
        _binding("slash", "search", _("Search"), "search", _("Search the catalogue")),
        _binding("n", "new", _("New"), "new", _("Add a product")),
        _binding("ctrl+r", "reload", _("Reload"), "reload", _("Reload the catalogue"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page: catalog.ProductPage | None = None
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Static(id="products-title")
        yield Input(placeholder=_("search: model, name, specs, application …"),
                    id="products-search")  # fmt: skip
        table = ProductsTable(id="products-table")
        table.add_sized_columns(
            (
                (_("Model"), "sku", 14),
                (_("Name"), "name", 34),
                (_("MOQ"), "moq", 10),
                (_("Lead time"), "lead", 10),
                (_("From"), "price", 14),
                (_("Certifications"), "certs", 24),
            )
        )
        yield table
        yield Static(id="products-detail", classes="pane-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(ProductsTable).focus()

    @work(thread=True, exclusive=True, group="products")
    def reload(self) -> None:
        page = catalog.list_products(self.query_text)
        self.app.call_from_thread(self.show, page)

    def show(self, page: catalog.ProductPage) -> None:
        self.page = page
        table = self.query_one(ProductsTable)
        row = table.cursor_row
        table.clear()
        for product in page.rows:
            price = (
                money.format_money(product.from_price.unit_price, product.from_price.currency)
                if product.from_price
                else "—"
            )
            table.add_row(
                safe.cell(product.sku, 14),
                safe.cell(product.name, 60),
                Text(f"{product.moq} {product.unit}" if product.moq else "—", justify="right"),
                Text(
                    _("{n} days").format(n=product.lead_time_days)
                    if product.lead_time_days
                    else "—",
                    justify="right",
                ),
                Text(price, justify="right"),
                safe.cell(product.certifications, 40),
                key=str(product.product_id),
            )
        if page.rows:
            table.move_cursor(row=min(row, len(page.rows) - 1))
        title = _("Products · {n} shown").format(n=len(page.rows))
        if page.more:
            title += " · " + _("more: search to narrow")
        if page.query:
            title += " · " + _("search: {q}").format(q=safe.display(page.query, single_line=True))
        self.query_one("#products-title", Static).update(Content(title))
        if not page.rows:
            self.query_one("#products-detail", Static).update(
                Content(
                    _(
                        "No products. Add one with n, or import a sheet:\n"
                        "  sopdesk import products FILE.csv|FILE.xlsx"
                    )
                )
            )

    def _current(self) -> catalog.ProductRow | None:
        table = self.query_one(ProductsTable)
        if self.page is None or not self.page.rows:
            return None
        return self.page.rows[min(table.cursor_row, len(self.page.rows) - 1)]

    @on(DataTable.RowHighlighted, "#products-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self._current()
        if row is not None:
            self.load_detail(row.product_id)

    @work(thread=True, exclusive=True, group="product-detail")
    def load_detail(self, product_id: int) -> None:
        detail = catalog.product(product_id)
        if detail is not None:
            self.app.call_from_thread(self.show_detail, detail)

    def show_detail(self, detail: catalog.ProductDetail) -> None:
        rows = [
            (_("Specifications"), detail.specs),
            (_("Material"), detail.material),
            (_("Process"), detail.process),
            (_("Certifications"), detail.certifications),
            (_("Packaging"), detail.packaging),
            (_("Selling points"), detail.selling_points),
            (_("Applications"), detail.applications),
            (_("HS code"), detail.hs_code),
            (
                _("Price tiers"),
                "; ".join(
                    f"{t.min_qty}+ {money.format_money(t.unit_price, t.currency)}"
                    for t in detail.tiers
                ),
            ),
            (_("Photos"), " ".join(detail.photos)),
        ]
        width = max(safe.cell_len(label) for label, _v in rows)
        parts: list[Content | str | tuple[str, str]] = [
            (safe.display(f"{detail.sku}  {detail.name}", single_line=True), "bold $accent"),
            "\n",
        ]
        for label, value in rows:
            if value:
                parts.append((safe.pad(label, width + 2), "dim"))
                parts.append(safe.display(value, single_line=True, limit=300))
                parts.append("\n")
        self.query_one("#products-detail", Static).update(Content.assemble(*parts))

    @on(Input.Changed, "#products-search")
    def _search(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.reload()

    @on(Input.Submitted, "#products-search")
    def _search_done(self) -> None:
        self.query_one(ProductsTable).focus()

    def action_search(self) -> None:
        self.query_one("#products-search", Input).focus()

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        search = self.query_one("#products-search", Input)
        if search.has_focus and search.value:
            search.value = ""
            self.query_one(ProductsTable).focus()
            return
        self.dismiss(None)

    def action_new(self) -> None:
        blank = catalog.ProductDetail(product_id=None, sku="", name="")
        self.app.push_screen(ProductDialog(blank), self._edited)

    def action_edit(self) -> None:
        row = self._current()
        if row is not None:
            self.open_editor(row.product_id)

    @work(thread=True, exclusive=True, group="product-detail")
    def open_editor(self, product_id: int) -> None:
        detail = catalog.product(product_id)
        if detail is not None:
            self.app.call_from_thread(self.app.push_screen, ProductDialog(detail), self._edited)

    def _edited(self, detail: catalog.ProductDetail | None) -> None:
        if detail is not None:
            self.save(detail)

    @work(thread=True, exclusive=True, group="product-save")
    def save(self, detail: catalog.ProductDetail) -> None:
        try:
            catalog.save_product(detail)
        except catalog.CatalogError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(
            self.notify, _("Saved {sku}").format(sku=detail.sku), markup=False, timeout=3
        )
        self.app.call_from_thread(self.reload)


__all__ = ["ProductsScreen"]
