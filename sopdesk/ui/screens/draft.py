"""The draft screen: Enter or `r` on an inquiry opens it with the fitting template rendered.

Keys (issue 3, so documentation, muscle memory and tests agree): the rendered preview has the
focus; `y` copies, `e` edits, `t` picks another template, `i` inserts an FAQ answer or a company
material, `s` marks sent, `u` undoes the last mark-sent, Escape goes back. While editing, ctrl+y
copies and ctrl+s marks sent; Escape leaves the editor and keeps the edit.

Marking the quote e-mail sent also marks the quote it summarises sent (a draft quote; `u` takes
both back). The quote editor opens this screen on its quote with that template (`d`).
"""

from __future__ import annotations

import contextlib

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from sopdesk import clock, labels
from sopdesk.config import Settings
from sopdesk.i18n import _
from sopdesk.services import clipboard, drafting, knowledge, quotes, replies
from sopdesk.services.drafting import Draft, DraftContext, DraftError
from sopdesk.services.replies import ReplyError, SentResult
from sopdesk.sop import geo, playbook
from sopdesk.sop.sla import format_duration, reply_state
from sopdesk.sop.stages import ActivityKind
from sopdesk.ui import text as safe
from sopdesk.ui.screens.pickers import Choice, FuzzyPicker

SUBJECT_PREFIX = "Subject: "


def split_subject(text: str) -> tuple[str, str]:
    """("subject", "body") from what is in the editor: an optional first line "Subject: …"."""
    if text.startswith(SUBJECT_PREFIX):
        first, _sep, rest = text.partition("\n")
        return first[len(SUBJECT_PREFIX) :].strip(), rest.lstrip("\n")
    return "", text


class DraftScreen(Screen[SentResult | None]):
    BINDINGS = [
        Binding(
            "y", "copy", _("Copy"), id="draft.copy", tooltip=_("Copy the draft to the clipboard")
        ),
        Binding(
            "e", "edit", _("Edit"), id="draft.edit", tooltip=_("Edit the draft before copying")
        ),
        Binding(
            "t",
            "pick_template",
            _("Template"),
            id="draft.template",
            tooltip=_("Pick another template (fuzzy filter)"),
        ),
        Binding(
            "i",
            "insert",
            _("Insert"),
            id="draft.insert",
            tooltip=_("Insert an FAQ answer or a company material"),
        ),
        Binding(
            "s",
            "mark_sent",
            _("Mark sent"),
            id="draft.mark_sent",
            tooltip=_("Record the reply as sent and plan the next follow-up"),
        ),
        Binding("u", "undo", _("Undo sent"), id="draft.undo", tooltip=_("Undo the last mark-sent")),
        Binding(
            "escape",
            "back",
            _("Back"),
            id="draft.back",
            tooltip=_("Leave the editor, or go back to the workbench"),
        ),
        Binding(
            "ctrl+y",
            "copy",
            _("Copy"),
            show=False,
            id="draft.copy_editing",
            tooltip=_("Copy while editing"),
            priority=True,
        ),
        Binding(
            "ctrl+s",
            "mark_sent",
            _("Mark sent"),
            show=False,
            id="draft.mark_sent_editing",
            tooltip=_("Mark sent while editing"),
            priority=True,
        ),
    ]

    def __init__(
        self,
        inquiry_id: int,
        settings: Settings,
        rep_id: int | None,
        rep_zone: str,
        *,
        template_id: str | None = None,
        quote_id: int | None = None,
    ) -> None:
        super().__init__()
        self.inquiry_id = inquiry_id
        self.template_id = template_id
        """The template to start with (None: the one that fits the conversation)."""
        self.quote_id = quote_id
        """The quote the draft is about (None: the conversation's latest)."""
        self.quote_sent: quotes.EmailedQuote | None = None
        self.settings = settings
        self.rep_id = rep_id
        self.rep_zone = rep_zone
        self.context: DraftContext | None = None
        self.draft: Draft | None = None
        self.text = ""
        """The draft as it stands (rendered, or as edited)."""
        self.sent: SentResult | None = None
        self.editing = False
        self.catalogue = drafting.Catalogue()

    def compose(self) -> ComposeResult:
        yield Static(id="draft-head")
        yield Static(id="draft-template", classes="pane-detail")
        with Horizontal(id="draft-body"):
            with VerticalScroll(id="draft-message", classes="pane"):
                yield Static(id="draft-message-text")
            with Vertical(id="draft-right", classes="pane"):
                with VerticalScroll(id="draft-preview"):
                    yield Static(id="draft-preview-text")
                yield TextArea(id="draft-editor", soft_wrap=True, show_line_numbers=False)
        yield Static(id="draft-status", classes="pane-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#draft-message").border_title = _("Their message")
        self.query_one("#draft-right").border_title = _("Your reply")
        self.query_one("#draft-editor").display = False
        self.query_one("#draft-preview").can_focus = True
        self.query_one("#draft-preview").focus()
        self.load(self.template_id)

    # --- loading and rendering -------------------------------------------------------------

    @work(thread=True, exclusive=True, group="draft-render")
    def load(self, template_id: str | None) -> None:
        try:
            context = self.context or drafting.build_context(
                self.inquiry_id, self.settings, quote_id=self.quote_id
            )
            chosen = template_id or drafting.pick_template(
                context.situation, available=self.catalogue.ids()
            )
            draft = drafting.render(chosen, context, self.catalogue)
        except DraftError as exc:
            self.app.call_from_thread(
                self._show_error, str(exc), context if "context" in locals() else None
            )
            return
        self.app.call_from_thread(self._show, context, draft)

    def _show_head(self, context: DraftContext) -> None:
        now = clock.now()
        customer = context.customer
        parts = [f"{customer.code} {customer.display_name}", context.contact.name]
        if context.customer_zone:
            local = geo.local_time(now, context.customer_zone, customer.country)
            hours = _("business hours") if local.business_hours else _("after hours")
            parts.append(f"{customer.country} {local.at.format('ddd HH:mm')} ({hours})")
        inquiry = context.inquiry
        reply = playbook.effective().reply
        state = reply_state(
            inquiry.received_at, inquiry.first_reply_at, now, reply.fresh, reply.due
        )
        waited = format_duration((inquiry.first_reply_at or now) - inquiry.received_at)
        head = Content.assemble(
            (_("Reply to") + "  ", "bold $accent"),
            safe.display(" · ".join(p for p in parts if p), single_line=True, limit=160),
            "  ",
            (f"{labels.reply_state(state, reply.fresh, reply.due)} {waited}", "reverse"),
        )
        self.query_one("#draft-head", Static).update(head)
        message = inquiry.subject + "\n\n" + inquiry.body if inquiry.subject else inquiry.body
        self.query_one("#draft-message-text", Static).update(safe.content(message))

    def _show(self, context: DraftContext, draft: Draft) -> None:
        self.context = context
        self.draft = draft
        self._show_head(context)
        info = draft.template
        self.query_one("#draft-template", Static).update(
            safe.content(
                f"{info.title} · {info.id} · {info.channel} · {info.lang}"
                + (" · " + _("your own template") if info.user else ""),
                single_line=True,
            )
        )
        self._set_text(draft.as_text())
        self._status(_("y copies · e edits · t another template · s marks sent"))

    def _show_error(self, message: str, context: DraftContext | None) -> None:
        if context is not None:
            self.context = context
            self._show_head(context)
        self.query_one("#draft-preview-text", Static).update(
            Content.assemble(
                (_("This template cannot be filled in:") + "\n\n", "bold $error"),
                safe.display(message),
                "\n\n",
                (
                    _(
                        "Fill in the missing value, press t for another template or e to write the reply yourself."
                    ),
                    "dim",
                ),
            )
        )
        self.text = ""

    def _set_text(self, text: str) -> None:
        self.text = text
        self.query_one("#draft-preview-text", Static).update(safe.content(text))
        self.query_one("#draft-editor", TextArea).text = text

    def _status(self, message: str) -> None:
        self.query_one("#draft-status", Static).update(safe.content(message, single_line=True))

    # --- editing ---------------------------------------------------------------------------

    def action_edit(self) -> None:
        editor = self.query_one("#draft-editor", TextArea)
        editor.text = self.text
        self.editing = True
        self.query_one("#draft-preview").display = False
        editor.display = True
        editor.focus()
        self._status(_("Editing · Esc keeps the edit · ctrl+y copies · ctrl+s marks sent"))

    def _leave_editor(self) -> None:
        editor = self.query_one("#draft-editor", TextArea)
        self.editing = False
        self._set_text(editor.text)
        editor.display = False
        preview = self.query_one("#draft-preview")
        preview.display = True
        preview.focus()

    def _current_text(self) -> str:
        if self.editing:
            return self.query_one("#draft-editor", TextArea).text
        return self.text

    def action_back(self) -> None:
        if self.editing:
            self._leave_editor()
            self._status(_("Edit kept · y copies · s marks sent"))
            return
        self.dismiss(self.sent)

    def on_unmount(self) -> None:
        """Nothing typed is lost: an edited draft that was not sent is kept in the drafts dir."""
        editors = self.query("#draft-editor")
        text = editors.first(TextArea).text if self.editing and editors else self.text
        rendered = self.draft.as_text() if self.draft is not None else ""
        if self.sent is None and text.strip() and text != rendered:
            with contextlib.suppress(OSError):
                clipboard.save_draft_file(text, self.inquiry_id)

    # --- copy ------------------------------------------------------------------------------

    def action_copy(self) -> None:
        text = self._current_text()
        if not text.strip():
            self.notify(_("Nothing to copy yet"), severity="warning", markup=False)
            return
        plan = clipboard.copy_plan(text)
        if plan.app_copy:
            self.app.copy_to_clipboard(text)
        driver = self.app._driver
        for sequence in plan.driver_sequences:
            if driver is not None:
                driver.write(sequence)
        self._finish_copy(text, plan)

    @work(thread=True, group="draft-copy")
    def _finish_copy(self, text: str, plan: clipboard.CopyPlan) -> None:
        report = clipboard.finish_copy(text, self.inquiry_id, plan)
        self.app.call_from_thread(self.notify, report.message(), markup=False, timeout=6)
        self.app.call_from_thread(self._status, report.message().split("\n")[0])

    # --- templates and snippets -------------------------------------------------------------

    def action_pick_template(self) -> None:
        choices = [
            Choice(
                info.title,
                f"{info.id} · {info.stage.value} · {info.channel} · {info.lang}",
                info.id,
            )
            for info in self.catalogue.templates()
        ]

        def picked(template_id: str | None) -> None:
            if template_id:
                self.load(template_id)

        self.app.push_screen(FuzzyPicker(_("Another template"), choices), picked)

    def action_insert(self) -> None:
        self._open_snippets()

    @work(thread=True, exclusive=True, group="draft-snippets")
    def _open_snippets(self) -> None:
        found = knowledge.snippets()
        choices = [Choice(f"{s.topic}: {s.title}", s.text, s.text) for s in found]

        def picked(text: str | None) -> None:
            if not text:
                return
            if not self.editing:
                self.action_edit()
            editor = self.query_one("#draft-editor", TextArea)
            editor.insert(text + "\n")

        self.app.call_from_thread(
            self.app.push_screen,
            FuzzyPicker(_("Insert an FAQ answer or material"), choices),
            picked,
        )

    # --- mark sent and undo -----------------------------------------------------------------

    def action_mark_sent(self) -> None:
        if self.context is None:
            return
        text = self._current_text()
        subject, body = split_subject(text)
        channel = self.draft.template.channel if self.draft is not None else "email"
        kind = replies.activity_kind_for(self.context.situation.channel, channel)
        quote = self.context.sales.quote
        emailed = (
            quote.label
            if quote is not None
            and self.draft is not None
            and quotes.is_quote_email(self.draft.template.id)
            else None
        )
        self._mark_sent(body, subject, kind, emailed)

    @work(thread=True, exclusive=True, group="draft-sent")
    def _mark_sent(
        self, body: str, subject: str, kind: ActivityKind, quote_label: str | None
    ) -> None:
        try:
            result = replies.mark_sent(
                self.inquiry_id, body, kind, self.rep_id, subject=subject, rep_zone=self.rep_zone
            )
        except ReplyError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        quote_sent: quotes.EmailedQuote | None = None
        quote_problem = ""
        if quote_label is not None:
            try:
                quote_sent = quotes.emailed(quote_label, rep_id=self.rep_id, rep_zone=self.rep_zone)
            except quotes.QuoteError as exc:
                quote_problem = _("quotation {label} stays a draft: {reason}").format(
                    label=quote_label, reason=exc
                )
        self.app.call_from_thread(self._sent, result, quote_sent, quote_problem)

    def _sent(
        self,
        result: SentResult,
        quote_sent: quotes.EmailedQuote | None = None,
        quote_problem: str = "",
    ) -> None:
        self.sent = result
        self.quote_sent = quote_sent
        if quote_problem:
            self.notify(quote_problem, severity="warning", markup=False, timeout=10)
        message = result.message()
        if quote_sent is not None:
            message += " · " + _("quotation {label} marked sent").format(
                label=quote_sent.view.label
            )
        message += " · " + _("u undoes")
        self.notify(message, markup=False, timeout=8)
        self._status(message)
        if self.editing:
            self._leave_editor()

    def action_undo(self) -> None:
        if self.sent is None:
            self.notify(_("Nothing to undo"), markup=False, timeout=3)
            return
        self._undo(self.sent)

    @work(thread=True, exclusive=True, group="draft-sent")
    def _undo(self, result: SentResult) -> None:
        try:
            replies.undo_sent(result)
        except ReplyError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        if self.quote_sent is not None:
            quotes.undo_emailed(self.quote_sent, rep_zone=self.rep_zone)
        self.app.call_from_thread(self._undone)

    def _undone(self) -> None:
        self.sent = None
        self.quote_sent = None
        self.notify(_("Undone: the reply is no longer recorded"), markup=False, timeout=5)
        self._status(_("Undone · the inquiry is unanswered again"))
