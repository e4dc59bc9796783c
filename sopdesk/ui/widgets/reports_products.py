"""Zero-effect products (SOP 1.2): why each is flagged and what to improve; `o` marks it optimised."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from sopdesk.i18n import _
from sopdesk.services.store_data import ZeroEffectList, ZeroEffectProduct
from sopdesk.sop.metrics import IMPROVEMENT_LABELS, REASON_LABELS
from sopdesk.ui import text as safe
from sopdesk.ui.widgets.reports_format import number, percent
from sopdesk.ui.widgets.table import SopTable


class ZeroEffectView(Vertical):
    DEFAULT_CSS = """
    ZeroEffectView { height: 1fr; }
    ZeroEffectView #zero-note { padding: 0 1; color: $text-muted; }
    ZeroEffectView SopTable { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.listing: ZeroEffectList | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="zero-note")
        table = SopTable(id="zero-table")
        table.add_column(_("Product"), key="product")
        table.add_column(_("Why"), key="why")
        table.add_column(_("Exposure"), key="exposure")
        table.add_column(_("Clicks"), key="clicks")
        table.add_column(_("CTR"), key="ctr")
        table.add_column(_("Improve"), key="improve")
        yield table

    def show(self, listing: ZeroEffectList) -> None:
        self.listing = listing
        table = self.query_one(SopTable)
        row = table.cursor_row
        table.clear()
        for i, p in enumerate(listing.products):
            improve = ", ".join(_(IMPROVEMENT_LABELS[x]) for x in p.improvements)
            table.add_row(
                safe.cell(p.name, 48),
                Text(_(REASON_LABELS[p.reason])),
                Text(number(p.exposure), justify="right"),
                Text(number(p.clicks), justify="right"),
                Text(percent(p.ctr, "0.01"), justify="right"),
                Text(improve),
                key=f"product:{p.product_id}:{i}",
            )
        if listing.products:
            table.move_cursor(row=min(max(row, 0), len(listing.products) - 1))
        if listing.first_day is None:
            note = _(
                "No product data yet: import the per-product export with `sopdesk import metrics FILE`."
            )
        else:
            note = _(
                "{n} products without inquiries in {first} – {last} (store CTR {ctr}). "
                "o marks the selected one optimised; it is judged again after a full window."
            ).format(
                n=len(listing.products),
                first=listing.first_day.isoformat(),
                last=listing.last_day.isoformat() if listing.last_day else "",
                ctr=percent(listing.store_ctr, "0.01"),
            )
        self.query_one("#zero-note", Static).update(Content(note))

    def current(self) -> ZeroEffectProduct | None:
        table = self.query_one(SopTable)
        if self.listing is None or not self.listing.products:
            return None
        index = table.cursor_row
        if 0 <= index < len(self.listing.products):
            return self.listing.products[index]
        return None
