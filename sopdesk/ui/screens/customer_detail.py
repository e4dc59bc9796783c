"""One customer: every sheet and background-check field editable in place, the contacts, and the
full timeline with each item's exact text one key away.

Keys (while no field is being typed in): l log a touch (then a kind key, then the text), f next
follow-up, s change stage, d duplicates and merge, a add a contact, e edit the fields, v the exact
text of the timeline item, Esc back. Every read and write runs in a thread worker that calls the
records service; a refused value shows its reason under the field.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from sopdesk import clock, labels
from sopdesk.i18n import _
from sopdesk.services import records
from sopdesk.services.records import (
    CustomerDetail,
    InvalidFields,
    RecordError,
    StaleEdit,
    TimelineItem,
)
from sopdesk.sop import geo
from sopdesk.sop.followup import describe
from sopdesk.ui import text as safe
from sopdesk.ui.bindings import binding_factory
from sopdesk.ui.screens.confirm import ConfirmScreen
from sopdesk.ui.widgets.records_dialogs import (
    FollowUpDialog,
    FollowUpInput,
    MergeDialog,
    StageDialog,
    StageInput,
    TextDialog,
    TouchDialog,
    TouchInput,
)
from sopdesk.ui.widgets.records_fields import FieldEditor
from sopdesk.ui.widgets.records_timeline import TimelineList, item_line, kind_label

SHEET_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("company", _("Company"), ""),
    ("name", _("Name"), ""),
    ("country", _("Country"), _("name or ISO code: Germany, 德国, DE")),
    ("timezone", _("Time zone"), "Europe/Berlin"),
    ("source", _("Source"), _("site inquiry, TM, RFQ, e-mail …")),
    ("first_contact", _("First contact"), "2026-03-05"),
    ("expected_value", _("Expected value"), "USD 12,000"),
    ("next_follow_up_plan", _("Next step"), _("what to do next")),
    ("tags", _("Tags"), "vip, project"),
    ("notes", _("Notes"), ""),
)
BACKGROUND_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("website", _("Website"), "acme.com"),
    ("email_domain", _("Domain"), "acme.com"),
    ("linkedin", _("LinkedIn"), "linkedin.com/company/…"),
    ("buyer_type", _("Buyer type"), _("end user, wholesaler, retailer, trader, distributor")),
    ("potential", _("Potential"), "A / B / C"),
    ("platform_profile", _("Platform profile"), _("verified, buyer level, purchase history")),
    ("background_check_done", _("Check done"), _("yes / no")),
)


def _field_label(name: str) -> str:
    """The label a field has on this screen (the service names it by its column)."""
    for field, label, _hint in (*SHEET_FIELDS, *BACKGROUND_FIELDS):
        if field == name:
            return label
    return name.replace("_", " ")


_binding = binding_factory("customer_detail")


class CustomerDetailScreen(Screen[bool]):
    """Returns True when something was changed (the screen below reloads)."""

    BINDINGS = [
        _binding("escape", "back", _("Back"), "back", _("Back to where you came from")),
        _binding(
            "l",
            "log_touch",
            _("Log touch"),
            "log",
            _("Log a touch: then a kind key, then the text"),
        ),
        _binding("f", "follow_up", _("Follow-up"), "follow_up", _("Plan the next follow-up")),
        _binding("s", "stage", _("Stage"), "stage", _("Change the stage (kept as history)")),
        _binding(
            "d", "duplicates", _("Duplicates"), "duplicates", _("Find duplicates and merge one")
        ),
        _binding("a", "add_contact", _("Contact"), "contact", _("Add a contact")),
        _binding(
            "C",
            "contacts",
            _("Contacts"),
            "contacts",
            _("Edit the contacts, choose the primary one"),
        ),
        _binding("e", "edit", _("Edit"), "edit", _("Edit the fields (Enter saves a field)")),
        _binding("t", "focus_timeline", _("Timeline"), "timeline", _("Go to the timeline")),
        _binding(
            "o",
            "reassign",
            _("Owner"),
            "owner",
            _("Managers: give this customer to another rep (kept on the timeline)"),
        ),
        _binding(
            "ctrl+r", "reload", _("Reload"), "reload", _("Reload from the database"), show=False
        ),
    ]

    def __init__(self, customer_id: int, rep_zone: str, rep_id: int | None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.rep_zone = rep_zone
        self.rep_id = rep_id
        self.detail: CustomerDetail | None = None
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Static(id="detail-head")
        with Horizontal(id="detail-body"):
            with VerticalScroll(id="detail-fields"):
                yield Static(_("Customer sheet"), classes="section-title")
                for name, label, hint in SHEET_FIELDS:
                    yield FieldEditor(name, label, "", hint)
                yield Static(id="detail-next")
                yield Static(_("Background check"), classes="section-title")
                for name, label, hint in BACKGROUND_FIELDS:
                    yield FieldEditor(name, label, "", hint)
                yield Static(_("Contacts"), classes="section-title")
                yield Static(id="detail-contacts")
                with Horizontal(id="contact-new", classes="record-field"):
                    yield Input(placeholder=_("new contact: name"), id="contact-name")
                    yield Input(placeholder=_("e-mail"), id="contact-email")
                    yield Input(placeholder=_("phone +49 …"), id="contact-phone")
                yield Static(id="contact-error", classes="error")
            with Vertical(id="detail-right"):
                yield TimelineList(self.rep_zone, id="detail-timeline")
                yield Static(id="detail-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#contact-new").display = False
        self.load()

    # --- loading --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="customer-detail")
    def load(self) -> None:
        detail = records.customer_detail(self.customer_id)
        self.app.call_from_thread(self.show, detail)

    def action_reload(self) -> None:
        self.load()

    def show(self, detail: CustomerDetail | None) -> None:
        if detail is None:
            self.query_one("#detail-head", Static).update(
                Content(_("This customer no longer exists."))
            )
            return
        self.detail = detail
        self._show_head(detail)
        for editor in self.query(FieldEditor):
            editor.set_value(records.field_text(detail, editor.field, self.rep_zone))
        next_at = detail.next_follow_up_at
        plan = (
            describe(next_at, self.rep_zone, detail.timezone)
            if next_at
            else _("none planned (press f)")
        )
        overdue = next_at is not None and next_at < clock.now()
        self.query_one("#detail-next", Static).update(
            Content.assemble(
                (f"{_('Next follow-up')}  ", "dim"),
                (plan, "bold $error" if overdue else ""),
                (f"  {_('overdue')}" if overdue else "", "bold $error"),
            )
        )
        self._show_contacts(detail)
        timeline = self.query_one(TimelineList)
        timeline.customer_zone = detail.timezone
        timeline.show_items(list(detail.timeline.items), detail.timeline.next_after is not None)
        self._show_text(timeline.current())
        if not self.focused or not isinstance(self.focused, Input):
            timeline.focus()

    def _show_head(self, detail: CustomerDetail) -> None:
        now = clock.now()
        if detail.timezone:
            local = geo.local_time(now, detail.timezone, detail.country)
            hours = _("business hours") if local.business_hours else _("outside business hours")
            local_text = (
                f"{local.at.format('ddd HH:mm')} {geo.utc_offset_label(local.at)} ({hours})"
            )
        else:
            local_text = _("time zone unknown")
        stage = labels.stage(detail.stage)
        if detail.lost_reason is not None:
            stage += f" ({_(labels.LOST_REASON[detail.lost_reason])})"
        self.query_one("#detail-head", Static).update(
            Content.assemble(
                (detail.code, "bold $accent"),
                "  ",
                (safe.display(detail.display_name, single_line=True, limit=60), "bold"),
                "  ",
                (f" {stage} ", "reverse"),
                f"  {_('since')} {detail.stage_since.in_timezone(self.rep_zone).format('YYYY-MM-DD')}",
                (f"  ·  {_('local time')} {local_text}", "dim"),
                (f"  ·  {_('owner')} {safe.display(detail.owner_name, True) or '—'}", "dim"),
            )
        )

    def _show_contacts(self, detail: CustomerDetail) -> None:
        parts: list[Content | str | tuple[str, str]] = []
        for contact in detail.contacts:
            star = "★ " if contact.is_primary else "  "
            line = "  ".join(
                v
                for v in (contact.name, contact.role, contact.email, contact.phone, contact.wechat)
                if v
            )
            parts.append((star, "bold $accent"))
            parts.append(safe.display(line, single_line=True, limit=160))
            if contact.whatsapp_link:
                parts.append((f"  {contact.whatsapp_link}", "dim"))
            parts.append("\n")
        if not detail.contacts:
            parts.append((_("No contacts yet (press a)."), "dim"))
        self.query_one("#detail-contacts", Static).update(Content.assemble(*parts))

    def _show_text(self, item: TimelineItem | None) -> None:
        panel = self.query_one("#detail-text", Static)
        if item is None:
            panel.update(Content(_("No touches yet. Press l to log one.")))
            return
        head = (
            f"{kind_label(item)} · {item.at.in_timezone(self.rep_zone).format('YYYY-MM-DD HH:mm')}"
        )
        body = item.text if item.text else item_line(item)
        panel.update(Content.assemble((head + "\n", "dim"), safe.display(body, limit=2000)))

    # --- the timeline -----------------------------------------------------------------------

    @on(TimelineList.OptionHighlighted, "#detail-timeline")
    def _timeline_moved(self) -> None:
        self._show_text(self.query_one(TimelineList).current())

    @on(TimelineList.MoreWanted)
    def _more(self) -> None:
        if self.detail is not None and self.detail.timeline.next_after is not None:
            self.load_more(self.detail.timeline.next_after)

    @work(thread=True, exclusive=True, group="customer-timeline")
    def load_more(self, after: records.TimelineCursor) -> None:
        page = records.timeline_window(self.customer_id, after)
        self.app.call_from_thread(self._append, page)

    def _append(self, page: records.TimelinePage) -> None:
        if self.detail is None:
            return
        self.detail = records.with_timeline(self.detail, page)
        self.query_one(TimelineList).show_items(
            list(page.items), page.next_after is not None, append=True
        )

    @on(TimelineList.ViewWanted)
    def _view(self, event: TimelineList.ViewWanted) -> None:
        item = event.item
        title = (
            f"{kind_label(item)} · {item.at.in_timezone(self.rep_zone).format('YYYY-MM-DD HH:mm')}"
        )
        self.app.push_screen(TextDialog(title, item.text or item_line(item)))

    def action_focus_timeline(self) -> None:
        self.query_one(TimelineList).focus()

    # --- editing in place -------------------------------------------------------------------

    def action_edit(self) -> None:
        self.query_one("#field-company Input", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(TimelineList).focus()
            return
        self.dismiss(self.changed)

    @on(FieldEditor.Edited)
    def _edited(self, event: FieldEditor.Edited) -> None:
        if self.detail is not None:
            self.save_field(self.detail, event.field, event.value)

    @work(thread=True, group="customer-save")
    def save_field(self, base: CustomerDetail, field: str, value: str) -> None:
        try:
            detail = records.update_customer(base, {field: value}, self.rep_zone)
        except InvalidFields as exc:
            self.app.call_from_thread(self._field_error, exc.errors)
            return
        except StaleEdit as exc:
            fresh = records.customer_detail(base.customer_id)
            self.app.call_from_thread(self._stale, exc, fresh, field, value)
            return
        self.app.call_from_thread(self._saved, detail)

    def _stale(self, exc: StaleEdit, fresh: CustomerDetail | None, field: str, value: str) -> None:
        """Someone saved this customer after it was opened: show their version, say what they
        changed, and offer to apply this edit on top of it (nothing of it was written yet)."""
        self.show(fresh)
        if fresh is None:
            return
        names = [_field_label(name) for name in exc.fields] or [_("the record")]
        question = _(
            "Someone else changed {fields} of this customer while you were editing; their "
            "version is shown now. Apply your {field} ({value}) on top of it?"
        ).format(
            fields=", ".join(names),
            field=_field_label(field),
            value=safe.display(value, single_line=True, limit=60) or _("empty"),
        )

        def answered(reapply: bool | None) -> None:
            if reapply and self.detail is not None:
                self.save_field(self.detail, field, value)
            else:
                self._warn(_("Your edit was not saved; their version is shown."))

        self.app.push_screen(ConfirmScreen(question, _("Apply my edit")), answered)

    def _field_error(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            editors = self.query(f"#field-{field}")
            if editors:
                editors.first(FieldEditor).show_error(message)

    def _saved(self, detail: CustomerDetail) -> None:
        self.changed = True
        focused = self.focused
        self.show(detail)
        if focused is not None and focused.is_attached:
            focused.focus()

    def _warn(self, message: str) -> None:
        self.notify(message, severity="warning", markup=False)

    # --- owner (managers) --------------------------------------------------------------------

    def action_reassign(self) -> None:
        session = getattr(getattr(self.app, "context", None), "session", None)
        if session is None or not session.is_manager:
            self._warn(_("Only a manager can give a customer to another rep."))
            return
        self._pick_owner()

    @work(thread=True, group="customer-owner")
    def _pick_owner(self) -> None:
        from sopdesk.services import reps

        team = reps.list_reps()
        self.app.call_from_thread(self._show_owner_picker, team)

    def _show_owner_picker(self, team: list) -> None:
        from sopdesk.ui.screens.pickers import Choice, FuzzyPicker

        current = self.detail.owner_id if self.detail is not None else None
        choices = [
            Choice(
                f"{rep.label} ({rep.login})",
                _("owner now") if rep.rep_id == current else rep.title,
                rep.rep_id,
            )
            for rep in team
            if rep.active  # a rep who left can't take a customer
        ]

        def chosen(rep_id: int | None) -> None:
            if rep_id is not None and rep_id != current:
                self._reassign(rep_id)

        self.app.push_screen(FuzzyPicker(_("Give this customer to"), choices), chosen)

    @work(thread=True, group="customer-save")
    def _reassign(self, rep_id: int) -> None:
        from sopdesk.services import reps

        try:
            moved = reps.reassign_customer(self.customer_id, rep_id, self.rep_id)
        except reps.RepError as exc:
            self.app.call_from_thread(self._warn, str(exc))
            return
        self.changed = True
        self.app.call_from_thread(
            self.notify,
            _("Reassigned from {old} to {new}.").format(old=moved.from_name, new=moved.to_name),
            markup=False,
        )
        self.app.call_from_thread(self.load)

    # --- contacts ---------------------------------------------------------------------------

    def action_contacts(self) -> None:
        if self.detail is None:
            return
        from sopdesk.ui.screens.contacts import ContactsScreen

        def closed(changed: bool | None) -> None:
            if changed:
                self.load()

        self.app.push_screen(ContactsScreen(self.customer_id, self.detail.contacts), closed)

    def action_add_contact(self) -> None:
        self.query_one("#contact-new").display = True
        self.query_one("#contact-name", Input).focus()

    @on(Input.Submitted, "#contact-new Input")
    def _contact_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        values = {
            "name": self.query_one("#contact-name", Input).value,
            "email": self.query_one("#contact-email", Input).value,
            "phone": self.query_one("#contact-phone", Input).value,
        }
        if any(v.strip() for v in values.values()):
            self.save_contact(values)

    @work(thread=True, group="customer-save")
    def save_contact(self, values: dict[str, str]) -> None:
        try:
            records.save_contact(self.customer_id, None, values)
        except InvalidFields as exc:
            text = "; ".join(f"{k}: {v}" for k, v in exc.errors.items())
            self.app.call_from_thread(
                self.query_one("#contact-error", Static).update, safe.content(text, True, 300)
            )
            return
        self.app.call_from_thread(self._contact_saved)

    def _contact_saved(self) -> None:
        self.changed = True
        for ident in ("#contact-name", "#contact-email", "#contact-phone"):
            self.query_one(ident, Input).value = ""
        self.query_one("#contact-error", Static).update("")
        self.query_one("#contact-new").display = False
        self.query_one(TimelineList).focus()
        self.load()

    # --- touches, follow-ups, stages, merges ------------------------------------------------

    def _customer_name(self) -> str:
        return self.detail.display_name if self.detail else ""

    def action_log_touch(self) -> None:
        self.app.push_screen(TouchDialog(self._customer_name()), self._touch_entered)

    def _touch_entered(self, touch: TouchInput | None) -> None:
        if touch is not None:
            self.log_touch(touch)

    @work(thread=True, group="customer-save")
    def log_touch(self, touch: TouchInput) -> None:
        try:
            records.log_touch(
                self.customer_id, touch.kind, touch.direction, touch.text, self.rep_id
            )
        except RecordError as exc:
            self.app.call_from_thread(self._warn, str(exc))
            return
        self.app.call_from_thread(self._written, _("Touch logged."))

    def action_follow_up(self) -> None:
        detail = self.detail
        if detail is None:
            return
        dialog = FollowUpDialog(self.rep_zone, detail.timezone, detail.next_follow_up_plan)
        self.app.push_screen(dialog, self._follow_up_entered)

    def _follow_up_entered(self, value: FollowUpInput | None) -> None:
        if value is not None:
            self.set_follow_up(value)

    @work(thread=True, group="customer-save")
    def set_follow_up(self, value: FollowUpInput) -> None:
        try:
            records.set_next_follow_up(
                self.customer_id, value.when, self.rep_zone, self.rep_id, value.plan
            )
        except RecordError as exc:
            self.app.call_from_thread(self._warn, str(exc))
            return
        self.app.call_from_thread(self._written, _("Next follow-up planned."))

    def action_stage(self) -> None:
        if self.detail is not None:
            self.app.push_screen(StageDialog(self.detail.stage), self._stage_chosen)

    def _stage_chosen(self, value: StageInput | None) -> None:
        if value is not None:
            self.change_stage(value)

    @work(thread=True, group="customer-save")
    def change_stage(self, value: StageInput) -> None:
        try:
            records.change_stage(
                self.customer_id,
                value.stage,
                self.rep_id,
                value.why,
                lost_reason=value.lost_reason,
                confirm_skip=value.confirm_skip,
            )
        except RecordError as exc:
            self.app.call_from_thread(self._warn, str(exc))
            return
        self.app.call_from_thread(self._written, _("Stage changed."))

    def action_duplicates(self) -> None:
        self.find_duplicates()

    @work(thread=True, exclusive=True, group="customer-duplicates")
    def find_duplicates(self) -> None:
        candidates = records.duplicate_candidates(self.customer_id)
        self.app.call_from_thread(self._offer_merge, candidates)

    def _offer_merge(self, candidates: list[records.DuplicateCandidate]) -> None:
        code = self.detail.code if self.detail else ""
        self.app.push_screen(MergeDialog(code, candidates), self._merge_chosen)

    def _merge_chosen(self, other_id: int | None) -> None:
        if other_id is not None:
            self.merge(other_id)

    @work(thread=True, group="customer-save")
    def merge(self, other_id: int) -> None:
        try:
            result = records.merge(self.customer_id, other_id, self.rep_id)
        except RecordError as exc:
            self.app.call_from_thread(self._warn, str(exc))
            return
        message = _("{other} merged into {keep}.").format(
            other=result.other_code, keep=result.keep_code
        )
        self.app.call_from_thread(self._written, message)

    def _written(self, message: str) -> None:
        self.changed = True
        self.notify(message, markup=False)
        self.load()
