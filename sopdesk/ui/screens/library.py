"""The company library (SOP 1.5) and the FAQ handbook (appendix 3).

`L` on the workbench opens it. Two tables: materials (intro, video, certificate, test report,
case …; expired ones in red, those expiring within 30 days in yellow) and FAQ answers. Tab moves
between them; `n` adds to the focused table, Enter or `e` edits, `x` deletes after a yes/no
question; Esc goes back. Both feed the draft screen's `i` snippet picker.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.services import library
from sopdesk.services.library import FaqView, LibraryError, MaterialView
from sopdesk.ui import text as safe
from sopdesk.ui.bindings import binding_factory
from sopdesk.ui.screens.confirm import ConfirmScreen
from sopdesk.ui.widgets.sales_dialogs import _Form, _labelled
from sopdesk.ui.widgets.table import SopTable

_binding = binding_factory("library")


class MaterialDialog(_Form):
    def __init__(self, material: MaterialView) -> None:
        super().__init__()
        self.material = material
        self.title_text = _("Material") if material.material_id else _("New material")

    def fields(self) -> ComposeResult:
        m = self.material
        yield from _labelled(
            _("Kind"), "material-kind", m.kind, placeholder=", ".join(library.MATERIAL_KINDS)
        )
        yield from _labelled(_("Title"), "material-title", m.title)
        yield from _labelled(_("Link or path"), "material-link", m.link)
        yield from _labelled(
            _("Valid until (YYYY-MM-DD, may be empty)"),
            "material-valid",
            m.valid_until.isoformat() if m.valid_until else "",
        )

    def value(self) -> MaterialView:
        raw = self.field("material-valid").strip()
        try:
            valid = date.fromisoformat(raw) if raw else None
        except ValueError:
            raise ValueError(_("write a date as 2026-11-20")) from None
        return library.check_material(
            MaterialView(
                self.material.material_id,
                self.field("material-kind"),
                self.field("material-title"),
                self.field("material-link"),
                valid,
            )
        )


class FaqDialog(_Form):
    def __init__(self, faq: FaqView) -> None:
        super().__init__()
        self.faq = faq
        self.title_text = _("FAQ answer") if faq.faq_id else _("New FAQ answer")

    def fields(self) -> ComposeResult:
        f = self.faq
        yield from _labelled(
            _("Topic"), "faq-topic", f.topic, placeholder=", ".join(library.FAQ_TOPICS)
        )
        yield from _labelled(_("Question"), "faq-question", f.question)
        yield from _labelled(_("Answer"), "faq-answer", f.answer)
        yield from _labelled(_("Language"), "faq-language", f.language)

    def value(self) -> FaqView:
        return library.check_faq(
            FaqView(
                self.faq.faq_id,
                self.field("faq-topic"),
                self.field("faq-question"),
                self.field("faq-answer"),
                self.field("faq-language"),
            )
        )


class LibraryTable(SopTable):
    """Either table of the library: materials or FAQ answers."""

    BINDINGS = [
        _binding("enter,e", "screen.edit", _("Edit"), "edit", _("Edit the entry under the cursor")),
        _binding("x,delete", "screen.delete", _("Delete"), "delete", _("Delete it (asks first)")),
    ]


class LibraryScreen(Screen[None]):
    """Company materials and FAQ answers; Tab moves between the two tables."""

    BINDINGS = [
        _binding("escape", "back", _("Back"), "back", _("Back to the workbench")),
        _binding("n", "new", _("New"), "new", _("Add a material or an FAQ answer")),
        _binding("ctrl+r", "reload", _("Reload"), "reload", _("Reload"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.materials: list[MaterialView] = []
        self.faqs: list[FaqView] = []

    def compose(self) -> ComposeResult:
        yield Static(_("Company library"), id="library-materials-title", classes="section-title")
        table = LibraryTable(id="library-materials")
        table.add_sized_columns(
            (
                (_("Kind"), "kind", 14),
                (_("Title"), "title", 34),
                (_("Link or path"), "link", 40),
                (_("Valid until"), "valid", 12),
            )
        )
        yield table
        yield Static(_("FAQ answers"), id="library-faq-title", classes="section-title")
        faq = LibraryTable(id="library-faq")
        faq.add_sized_columns(
            (
                (_("Topic"), "topic", 14),
                (_("Question"), "question", 34),
                (_("Answer"), "answer", 44),
                (_("Language"), "language", 8),
            )
        )
        yield faq
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#library-materials", LibraryTable).focus()

    @work(thread=True, exclusive=True, group="library")
    def reload(self) -> None:
        found = library.materials(), library.faqs()
        self.app.call_from_thread(self.show, *found)

    def show(self, materials: list[MaterialView], faqs: list[FaqView]) -> None:
        self.materials, self.faqs = materials, faqs
        today = clock.now().date()
        table = self.query_one("#library-materials", LibraryTable)
        cursor = table.cursor_row
        table.clear()
        for m in materials:
            state = m.validity(today)
            style = {"expired": "bold red", "expiring": "yellow"}.get(state, "")
            valid = m.valid_until.isoformat() if m.valid_until else "—"
            if state == "expired":
                valid += " " + _("expired")
            table.add_row(
                Text(_(library.MATERIAL_KIND_WORDS.get(m.kind, m.kind))),
                safe.cell(m.title, 80),
                safe.cell(m.link or "—", 200),
                Text(valid, style=style),
                key=str(m.material_id),
            )
        if materials:
            table.move_cursor(row=min(cursor, len(materials) - 1))
        faq_table = self.query_one("#library-faq", LibraryTable)
        cursor = faq_table.cursor_row
        faq_table.clear()
        for f in faqs:
            faq_table.add_row(
                Text(_(library.FAQ_TOPIC_WORDS.get(f.topic, f.topic))),
                safe.cell(f.question, 120),
                safe.cell(f.answer, 200),
                safe.cell(f.language, 8),
                key=str(f.faq_id),
            )
        if faqs:
            faq_table.move_cursor(row=min(cursor, len(faqs) - 1))
        self.query_one("#library-materials-title", Static).update(
            Content(_("Company library · {n}").format(n=len(materials)))
        )
        self.query_one("#library-faq-title", Static).update(
            Content(_("FAQ answers · {n}").format(n=len(faqs)))
        )

    def _on_faq(self) -> bool:
        return self.query_one("#library-faq", LibraryTable).has_focus

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_new(self) -> None:
        if self._on_faq():
            self.app.push_screen(FaqDialog(FaqView(None, "price", "", "")), self._taken)
        else:
            self.app.push_screen(MaterialDialog(MaterialView(None, "intro", "")), self._taken)

    def action_edit(self) -> None:
        if self._on_faq():
            row = self.query_one("#library-faq", LibraryTable).cursor_row
            if self.faqs:
                self.app.push_screen(FaqDialog(self.faqs[row]), self._taken)
        else:
            row = self.query_one("#library-materials", LibraryTable).cursor_row
            if self.materials:
                self.app.push_screen(MaterialDialog(self.materials[row]), self._taken)

    def _taken(self, value: MaterialView | FaqView | None) -> None:
        if value is not None:
            self.save(value)

    @work(thread=True, group="library-save")
    def save(self, value: MaterialView | FaqView) -> None:
        try:
            if isinstance(value, FaqView):
                library.save_faq(value)
            else:
                library.save_material(value)
        except LibraryError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, _("Saved"), markup=False, timeout=3)
        self.app.call_from_thread(self.reload)

    def action_delete(self) -> None:
        target: MaterialView | FaqView
        if self._on_faq():
            if not self.faqs:
                return
            target = self.faqs[self.query_one("#library-faq", LibraryTable).cursor_row]
            question = _("Delete the FAQ answer “{title}”?").format(title=target.question[:80])
        else:
            if not self.materials:
                return
            target = self.materials[self.query_one("#library-materials", LibraryTable).cursor_row]
            question = _("Delete the material “{title}”?").format(title=target.title[:80])

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(target)

        self.app.push_screen(ConfirmScreen(question, _("Delete")), answered)

    @work(thread=True, group="library-save")
    def delete(self, target: MaterialView | FaqView) -> None:
        if isinstance(target, FaqView):
            assert target.faq_id is not None
            library.delete_faq(target.faq_id)
        else:
            assert target.material_id is not None
            library.delete_material(target.material_id)
        self.app.call_from_thread(self.notify, _("Deleted"), markup=False, timeout=3)
        self.app.call_from_thread(self.reload)


__all__ = ["LibraryScreen"]
