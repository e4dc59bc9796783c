"""The customer sheet: every customer, sorted and filtered in SQL, searched as you type.

The table holds a window of at most `WINDOW` rows fetched with keyset pagination: reaching the last
row fetches the next chunk and drops the oldest, reaching the first row brings the previous chunk
back. Sorting (s next column, r reverse, or a click on a header), filtering (f, o, x) and
searching (/) reload the window from the top in a thread worker; Enter opens the customer.

Whose customers, as on the workbench (services/scope.py): a rep opens the sheet on "mine" (theirs
plus the unassigned ones) and `t` switches to the team and back; a manager opens it on the team
and `t` steps through each rep in turn. The scope shows in the title and the filter line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pendulum
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static

from sopdesk import clock, labels
from sopdesk.i18n import _
from sopdesk.services import records, stale_deals
from sopdesk.services.records import (
    Cursor,
    CustomerFilter,
    CustomerRow,
    CustomerWindow,
    Sort,
    SortKey,
)
from sopdesk.sop import geo
from sopdesk.ui import text as safe
from sopdesk.ui.bindings import binding_factory
from sopdesk.ui.screens.customer_detail import CustomerDetailScreen
from sopdesk.ui.widgets.records_dialogs import FilterDialog
from sopdesk.ui.widgets.table import SopTable

CHUNK = 150
TYPING_PAUSE = 0.15
"""Seconds of no typing before the search runs."""
WINDOW = 2 * CHUNK
"""Rows the table holds at most (two chunks)."""

COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    (SortKey.NUMBER.value, _("No."), 8),
    (SortKey.NAME.value, _("Company / name"), 26),
    (SortKey.COUNTRY.value, _("Country"), 7),
    ("local", _("Local"), 9),
    (SortKey.SOURCE.value, _("Source"), 12),
    (SortKey.FIRST_CONTACT.value, _("First contact"), 10),
    (SortKey.STAGE.value, _("Stage"), 16),
    (SortKey.LATEST.value, _("Latest follow-up"), 30),
    (SortKey.NEXT.value, _("Next follow-up"), 22),
    (SortKey.VALUE.value, _("Expected value"), 14),
    (SortKey.OWNER.value, _("Owner"), 10),
    ("notes", _("Notes"), None),
)
SORTABLE = [key for key, _label, _width in COLUMNS if key in SortKey._value2member_map_]


@dataclass
class _Chunk:
    after: Cursor | None
    """Where this chunk starts (None: at the top)."""
    rows: list[CustomerRow]
    next_after: Cursor | None


_binding = binding_factory("customers")


class CustomersScreen(Screen[None]):
    BINDINGS = [
        _binding("escape", "back", _("Back"), "back", _("Clear the search, or go back")),
        _binding("slash", "search", _("Search"), "search", _("Search as you type")),
        _binding("s", "next_sort", _("Sort"), "sort", _("Sort by the next column")),
        _binding("r", "reverse", _("Reverse"), "reverse", _("Reverse the sort order")),
        _binding("f", "filter", _("Filter"), "filter", _("Filter by stage, country, source …")),
        _binding(
            "o", "overdue", _("Overdue"), "overdue", _("Only follow-ups overdue (again: all)")
        ),
        _binding(
            "x", "clear", _("Clear"), "clear", _("Clear the filter and the search (not mine/team)")
        ),
        _binding(
            "t",
            "toggle_scope",
            _("Mine/team"),
            "scope",
            _(
                "Only my work (and unassigned), or the whole team's; a manager steps through each rep"
            ),
        ),
        _binding(
            "i",
            "import_sheet",
            _("Import"),
            "import",
            _("Import a .csv or .xlsx sheet, with a preview"),
        ),
        _binding("enter", "open", _("Open"), "open", _("Open the customer"), show=False),
        _binding(
            "ctrl+r", "reload", _("Reload"), "reload", _("Reload from the database"), show=False
        ),
    ]

    def __init__(self, rep_zone: str, rep_id: int | None, manager: bool = False) -> None:
        super().__init__()
        self.rep_zone = rep_zone
        self.rep_id = rep_id
        self.manager = manager
        team = manager or rep_id is None
        self.filter = CustomerFilter(owner_id=None if team else rep_id)
        """`owner_id` is the scope: a rep's id (theirs and unassigned) or None (the team)."""
        self.scope_label = _("team") if team else _("mine")
        self.stale: set[int] = set()
        """Customers flagged stale (the Pipedrive "rotting" idea, thresholds per stage)."""
        self.sort = Sort()
        self.chunks: list[_Chunk] = []
        self.earlier: list[Cursor | None] = []
        """Start cursors of the chunks scrolled away above the window."""
        self.total = 0
        self.loading = False
        self._typing: Timer | None = None

    @property
    def rows(self) -> list[CustomerRow]:
        return [row for chunk in self.chunks for row in chunk.rows]

    def compose(self) -> ComposeResult:
        yield Static(id="customers-title")
        yield Input(
            placeholder=_("Search company, contact, e-mail, phone, notes, messages …"),
            id="customers-search",
        )
        yield Static(id="customers-filter")
        table = SopTable(id="customers-table")
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table
        yield Static(id="customers-empty", classes="empty-state")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SopTable).focus()
        self.reload()

    # --- state shown ------------------------------------------------------------------------

    def describe_filter(self) -> str:
        flt = self.filter
        parts = []
        if flt.stages:
            parts.append(_("stage") + " " + ", ".join(labels.stage(s) for s in sorted(flt.stages)))
        if flt.country:
            parts.append(_("country") + " " + flt.country)
        if flt.source is not None:
            parts.append(_("source") + " " + labels.channel(flt.source))
        if flt.buyer_type is not None:
            parts.append(_("buyer type") + " " + labels.buyer_type(flt.buyer_type))
        if flt.potential is not None:
            parts.append(_("potential") + " " + flt.potential.value)
        if flt.overdue:
            parts.append(_("follow-up overdue"))
        if flt.no_next_step:
            parts.append(_("no next step"))
        if flt.text.strip():
            parts.append(
                _("search") + " “" + safe.display(flt.text, single_line=True, limit=40) + "”"
            )
        if flt.owner_id is None:
            return " · ".join(parts) if parts else _("all customers")
        if flt.owner_id == self.rep_id:
            scope = _("mine and unassigned")
        else:
            scope = _("{rep}'s and unassigned").format(rep=self.scope_label)
        return " · ".join([scope, *parts])

    def _show_state(self) -> None:
        label = dict((k, lbl) for k, lbl, _w in COLUMNS)[self.sort.key.value]
        arrow = "↓" if self.sort.descending else "↑"
        self.query_one("#customers-title", Static).update(
            Content.assemble(
                (_("Customers"), "bold $accent"),
                (f"  [{self.scope_label}]", "bold"),
                f"  {self.total} ",
                (_("matching"), "dim"),
                "  ·  ",
                (f"{_('sorted by')} {label} {arrow}", "dim"),
            )
        )
        self.query_one("#customers-filter", Static).update(
            Content.assemble((_("Filter: "), "dim"), (self.describe_filter(), "bold"))
        )
        table = self.query_one(SopTable)
        for key, label_text, _width in COLUMNS:
            column = table.columns.get(key)  # type: ignore[call-overload]
            if column is not None:
                mark = f" {arrow}" if key == self.sort.key.value else ""
                column.label = Text(label_text + mark)

    # --- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        self.chunks = []
        self.earlier = []
        self.load_first(self.filter, self.sort)

    def action_reload(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="customers-load")
    def load_first(self, flt: CustomerFilter, sort: Sort) -> None:
        window, total = records.first_window(flt, sort, CHUNK)
        self._mark_stale(window)
        self.app.call_from_thread(self._first_loaded, flt, sort, window, total)

    def _mark_stale(self, window: CustomerWindow) -> None:
        """In the worker: which rows of this window sit in their stage too long (playbook)."""
        ids = [row.customer_id for row in window.rows]
        self.stale |= stale_deals.stale_customer_ids(clock.now(), ids)

    def _first_loaded(
        self, flt: CustomerFilter, sort: Sort, window: CustomerWindow, total: int
    ) -> None:
        if flt != self.filter or sort != self.sort:
            return  # an older answer
        self.total = total
        self.chunks = [_Chunk(None, list(window.rows), window.next_after)]
        self.earlier = []
        self._fill(0)

    @work(thread=True, exclusive=True, group="customers-page")
    def load_chunk(
        self, flt: CustomerFilter, sort: Sort, after: Cursor | None, forward: bool
    ) -> None:
        window = records.customer_window(flt, sort, after, CHUNK)
        self._mark_stale(window)
        self.app.call_from_thread(self._chunk_loaded, flt, sort, after, window, forward)

    def _chunk_loaded(
        self,
        flt: CustomerFilter,
        sort: Sort,
        after: Cursor | None,
        window: CustomerWindow,
        forward: bool,
    ) -> None:
        self.loading = False
        if flt != self.filter or sort != self.sort or not window.rows:
            return
        chunk = _Chunk(after, list(window.rows), window.next_after)
        table = self.query_one(SopTable)
        current = self.rows[table.cursor_row] if self.rows else None
        if forward:
            self.chunks.append(chunk)
            if len(self.chunks) > 2:
                self.earlier.append(self.chunks.pop(0).after)
        else:
            self.chunks.insert(0, chunk)
            if len(self.chunks) > 2:
                self.chunks.pop()
        rows = self.rows
        index = next(
            (i for i, r in enumerate(rows) if current and r.customer_id == current.customer_id), 0
        )
        self._fill(index + (1 if forward else -1))

    def _fill(self, cursor_row: int) -> None:
        table = self.query_one(SopTable)
        table.clear()
        now = clock.now()
        for row in self.rows:
            table.add_row(*self._cells(row, now), key=str(row.customer_id))
        if self.rows:
            table.move_cursor(row=max(0, min(cursor_row, len(self.rows) - 1)))
        self._show_state()
        empty = self.query_one("#customers-empty", Static)
        empty.display = not self.rows
        if self.filter.owner_id is not None:
            hint = _(
                "No customer matches. x clears the filter, t shows the team's; or import your "
                "sheet:\n  sopdesk import customers FILE.xlsx"
            )
        else:
            hint = _(
                "No customer matches. x clears the filter; or import your sheet:\n"
                "  sopdesk import customers FILE.xlsx"
            )
        empty.update(hint)

    def _when(self, at: pendulum.DateTime | None) -> str:
        return at.in_timezone(self.rep_zone).format("YYYY-MM-DD") if at else "—"

    def _cells(self, row: CustomerRow, now: pendulum.DateTime) -> list[Text]:
        if row.timezone:
            local = geo.local_time(now, row.timezone, row.country)
            local_cell = Text(
                local.at.format("ddd HH:mm"), style="" if local.business_hours else "dim"
            )
        else:
            local_cell = Text("—", style="dim")
        follow = "—"
        overdue = False
        if row.next_follow_up_at is not None:
            follow = row.next_follow_up_at.in_timezone(self.rep_zone).format("MM-DD HH:mm")
            overdue = row.next_follow_up_at < now
            if row.next_follow_up_plan:
                follow += " " + row.next_follow_up_plan
        elif row.next_follow_up_plan:
            follow = row.next_follow_up_plan
        value = Text(str(row.expected_value) if row.expected_value else "—", justify="right")
        return [
            Text(row.code, style="bold"),
            safe.cell(row.display_name, 40),
            Text(row.country or "—"),
            local_cell,
            Text(labels.channel(row.source)),
            Text(self._when(row.first_contact_at)),
            Text(f"{labels.stage(row.stage)} · {_('stale')}", style="bold yellow")
            if row.customer_id in self.stale
            else Text(labels.stage(row.stage)),
            safe.cell(row.latest_follow_up, 80),
            safe.cell(follow, 60, style="bold red" if overdue else ""),
            value,
            safe.cell(row.owner_name, 20),
            safe.cell(row.notes, 80),
        ]

    # --- scrolling the window ---------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#customers-table")
    def _moved(self, event: DataTable.RowHighlighted) -> None:
        if self.loading or not self.chunks:
            return
        if event.cursor_row != self.query_one(SopTable).cursor_row:
            return  # a stale event from refilling the table (clear() moves the cursor to 0)
        rows = self.rows
        if event.cursor_row >= len(rows) - 1 and self.chunks[-1].next_after is not None:
            self.loading = True
            self.load_chunk(self.filter, self.sort, self.chunks[-1].next_after, True)
        elif event.cursor_row == 0 and self.earlier:
            self.loading = True
            self.load_chunk(self.filter, self.sort, self.earlier.pop(), False)

    # --- sort, filter, search ---------------------------------------------------------------

    def _resort(self, sort: Sort) -> None:
        self.sort = sort
        self.reload()

    def action_next_sort(self) -> None:
        index = (SORTABLE.index(self.sort.key.value) + 1) % len(SORTABLE)
        self._resort(Sort(SortKey(SORTABLE[index]), False))

    def action_reverse(self) -> None:
        self._resort(replace(self.sort, descending=not self.sort.descending))

    @on(DataTable.HeaderSelected, "#customers-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key in SORTABLE:
            same = key == self.sort.key.value
            self._resort(Sort(SortKey(key), not self.sort.descending if same else False))

    def action_search(self) -> None:
        self.query_one("#customers-search", Input).focus()

    @on(Input.Changed, "#customers-search")
    def _typed(self, event: Input.Changed) -> None:
        # A short pause first: a query per keystroke would queue up behind each other.
        if self._typing is not None:
            self._typing.stop()
        self._typing = self.set_timer(TYPING_PAUSE, lambda: self._search(event.value))

    def _search(self, text: str) -> None:
        self._typing = None
        if text != self.filter.text:
            self.filter = replace(self.filter, text=text)
            self.reload()

    @on(Input.Submitted, "#customers-search")
    def _search_done(self) -> None:
        self.query_one(SopTable).focus()

    def action_filter(self) -> None:
        self.open_filter()

    @work(thread=True, exclusive=True, group="customers-countries")
    def open_filter(self) -> None:
        countries = records.countries_in_use()
        self.app.call_from_thread(
            self.app.push_screen, FilterDialog(self.filter, countries, self.rep_id), self._filtered
        )

    def _filtered(self, flt: CustomerFilter | None) -> None:
        if flt is not None:
            if flt.owner_id is not None and self.filter.owner_id is not None:
                # The dialog's "Mine" box means "scoped": a manager's view of one rep stays on them.
                flt = replace(flt, owner_id=self.filter.owner_id)
            self.set_filter(flt)

    def set_filter(self, flt: CustomerFilter) -> None:
        if flt.owner_id is None:
            self.scope_label = _("team")
        elif flt.owner_id == self.rep_id:
            self.scope_label = _("mine")
        self.filter = flt
        self.reload()

    # --- mine and team ----------------------------------------------------------------------

    def action_toggle_scope(self) -> None:
        """A rep: mine ↔ team. A manager: team → each rep in turn → team (as the workbench)."""
        if not self.manager or self.rep_id is None:
            mine = self.filter.owner_id is None and self.rep_id is not None
            self._set_scope(self.rep_id if mine else None, "")
            return
        self._next_rep(self.filter.owner_id)

    @work(thread=True, exclusive=True, group="customers-scope")
    def _next_rep(self, current: int | None) -> None:
        from sopdesk.services import reps

        chosen = reps.next_in_scope(current)
        self.app.call_from_thread(
            self._set_scope,
            chosen.rep_id if chosen is not None else None,
            chosen.label if chosen is not None else "",
        )

    def _set_scope(self, owner: int | None, label: str) -> None:
        if owner is not None and owner != self.rep_id:
            self.scope_label = safe.display(label, single_line=True, limit=30)
        self.set_filter(replace(self.filter, owner_id=owner))
        self.notify(_("Showing: {scope}").format(scope=self.scope_label), timeout=3, markup=False)

    def action_overdue(self) -> None:
        self.set_filter(replace(self.filter, overdue=not self.filter.overdue))

    def action_import_sheet(self) -> None:
        from sopdesk.ui.screens.import_sheet import ImportSheetScreen

        def done(imported: bool | None) -> None:
            if imported:
                self.notify(_("Sheet imported"), markup=False, timeout=4)
                self.reload()

        self.app.push_screen(ImportSheetScreen(self.rep_zone, self.rep_id), done)

    def action_clear(self) -> None:
        self.query_one("#customers-search", Input).value = ""
        self.set_filter(CustomerFilter(owner_id=self.filter.owner_id))  # the scope stays

    def action_back(self) -> None:
        search = self.query_one("#customers-search", Input)
        if self.focused is search:
            if search.value:
                search.value = ""
            else:
                self.query_one(SopTable).focus()
            return
        self.dismiss(None)

    # --- opening ----------------------------------------------------------------------------

    def current(self) -> CustomerRow | None:
        rows = self.rows
        table = self.query_one(SopTable)
        if not rows or table.cursor_row >= len(rows):
            return None
        return rows[table.cursor_row]

    @on(DataTable.RowSelected, "#customers-table")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.current()
        if row is not None:
            screen = CustomerDetailScreen(row.customer_id, self.rep_zone, self.rep_id)
            self.app.push_screen(screen, self._detail_closed)

    def _detail_closed(self, changed: bool | None) -> None:
        if changed:
            self.reload()
