"""`i` on the customer sheet: bring the rep's old spreadsheet in, with a preview first.

The preview is a dry run of the real import (same matching, same numbering, rolled back), so what
it shows is exactly what ctrl+s will do: created, updated, merged and rejected rows with reasons.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static

from sopdesk.i18n import N_, _
from sopdesk.services.importers.customers import (
    ImportReport,
    Outcome,
    import_customers,
    parse_mapping,
)
from sopdesk.ui import text as safe
from sopdesk.ui.widgets.table import SopTable

PREVIEW_ROWS = 500
OUTCOME_STYLE = {
    Outcome.CREATED: "green",
    Outcome.UPDATED: "",
    Outcome.MERGED: "yellow",
    Outcome.REJECTED: "bold red",
}
OUTCOME_LABEL = {
    Outcome.CREATED: N_("created"),
    Outcome.UPDATED: N_("updated"),
    Outcome.MERGED: N_("merged"),
    Outcome.REJECTED: N_("rejected"),
}


class ImportSheetScreen(ModalScreen[bool]):
    """Returns True when customers were imported."""

    BINDINGS = [
        Binding(
            "ctrl+s",
            "import_now",
            _("Import"),
            id="import_sheet.import",
            tooltip=_("Import the previewed file"),
            priority=True,
        ),
        Binding(
            "escape",
            "cancel",
            _("Cancel"),
            id="import_sheet.cancel",
            tooltip=_("Close without importing"),
        ),
    ]

    def __init__(self, rep_zone: str, rep_id: int | None) -> None:
        super().__init__()
        self.rep_zone = rep_zone
        self.rep_id = rep_id
        self.preview: ImportReport | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog"):
            yield Static(_("Import a customer sheet (.csv or .xlsx)"), classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Input(
                    placeholder=_("path of the file, then Enter for the preview"), id="import-path"
                )
            with Horizontal(classes="form-row"):
                yield Input(
                    placeholder=_(
                        "column mapping, optional: Header=field, e.g. 客户编号=ignore, Land=country"
                    ),
                    id="import-map",
                )
            yield Checkbox(_("Skip rejected rows (import the rest)"), id="import-skip-bad")
            yield Static(id="import-summary")
            table = SopTable(id="import-rows")
            table.add_column(_("Row"), width=6)
            table.add_column(_("Result"), width=10)
            table.add_column(_("Customer"), width=9)
            table.add_column(_("Name"), width=30)
            table.add_column(_("Reason or match"))
            yield table
            yield Static(
                _("Enter previews · ctrl+s imports · Esc closes; nothing is written before ctrl+s"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def _path(self) -> Path:
        return Path(self.query_one("#import-path", Input).value.strip()).expanduser()

    def _mapping(self) -> dict[str, str]:
        text = self.query_one("#import-map", Input).value
        return parse_mapping([part.strip() for part in text.split(",") if part.strip()])

    @on(Input.Submitted, "#import-path")
    @on(Input.Submitted, "#import-map")
    def _preview(self) -> None:
        path = self._path()
        if not path.is_file():
            self._summary(_("No file at {path}").format(path=path), error=True)
            return
        try:
            mapping = self._mapping()
        except ValueError as exc:
            self._summary(str(exc), error=True)
            return
        self._summary(_("Reading {path} …").format(path=path))
        self._run(path, mapping, dry_run=True, skip_bad=False)

    @work(thread=True, exclusive=True, group="import-sheet")
    def _run(self, path: Path, mapping: dict[str, str], dry_run: bool, skip_bad: bool) -> None:
        report = import_customers(
            path,
            mapping,
            dry_run=dry_run,
            skip_bad=skip_bad,
            rep_zone=self.rep_zone,
            owner_id=self.rep_id,
        )
        self.app.call_from_thread(self._show, report)

    def _summary(self, message: str, error: bool = False) -> None:
        style = "bold $error" if error else ""
        self.query_one("#import-summary", Static).update(
            Content.styled(safe.display(message), style) if style else safe.content(message)
        )

    def _show(self, report: ImportReport) -> None:
        if not report.dry_run and report.committed:
            self.dismiss(True)
            return
        self.preview = report
        if report.error:
            self._summary(report.error, error=True)
            return
        counts = _("{created} new, {updated} updated, {merged} merged, {rejected} rejected").format(
            created=report.count(Outcome.CREATED),
            updated=report.count(Outcome.UPDATED),
            merged=report.count(Outcome.MERGED),
            rejected=report.count(Outcome.REJECTED),
        )
        notes = " · ".join(report.notes[:4])
        self._summary(f"{counts}\n{notes}")
        table = self.query_one("#import-rows", SopTable)
        table.clear()
        for row in sorted(report.rows, key=lambda r: (r.outcome is not Outcome.REJECTED, r.row))[
            :PREVIEW_ROWS
        ]:
            detail = row.reason + ("; " + "; ".join(row.warnings) if row.warnings else "")
            table.add_row(
                Text(str(row.row), justify="right"),
                Text(_(OUTCOME_LABEL[row.outcome]), style=OUTCOME_STYLE[row.outcome]),
                safe.cell(row.customer_code, 9),
                safe.cell(row.name, 40),
                safe.cell(detail, 200),
            )

    def action_import_now(self) -> None:
        report = self.preview
        if report is None or report.error or report.path != self._path():
            self._summary(_("Preview the file first (Enter in the path field)."), error=True)
            return
        skip_bad = self.query_one("#import-skip-bad", Checkbox).value
        if report.rejected and not skip_bad:
            self._summary(
                _(
                    "{n} rows would be rejected: fix them in the file, or tick “Skip rejected rows”."
                ).format(n=len(report.rejected)),
                error=True,
            )
            return
        self._run(report.path, self._mapping(), dry_run=False, skip_bad=skip_bad)

    def action_cancel(self) -> None:
        self.dismiss(False)
