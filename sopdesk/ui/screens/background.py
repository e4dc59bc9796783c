"""`b` on a customer: the SOP's background check (stage 2.2) — look-ups, findings, done or not."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from sopdesk import labels
from sopdesk.i18n import _
from sopdesk.services import background as background_service
from sopdesk.services.background import BackgroundView
from sopdesk.services.records import StaleEdit
from sopdesk.sop.stages import BuyerType, Potential
from sopdesk.ui import text as safe
from sopdesk.ui.widgets.table import SopTable


class BackgroundScreen(ModalScreen[bool]):
    """Returns True when something was saved."""

    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            _("Save"),
            id="background.save",
            tooltip=_("Save the findings"),
            priority=True,
        ),
        Binding(
            "escape",
            "close",
            _("Close"),
            id="background.close",
            tooltip=_("Close (unsaved findings are dropped)"),
        ),
        Binding(
            "ctrl+y",
            "copy_link",
            _("Copy link"),
            id="background.copy_link",
            tooltip=_("Copy the highlighted look-up link"),
            priority=True,
        ),
        Binding(
            "ctrl+o",
            "open_link",
            _("Open link"),
            id="background.open_link",
            tooltip=_("Open the highlighted look-up link in a browser"),
            priority=True,
        ),
    ]

    def __init__(self, customer_id: int, rep_id: int | None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.rep_id = rep_id
        self.view: BackgroundView | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="background-dialog"):
            yield Static(_("Background check"), id="background-title", classes="dialog-title")
            with VerticalScroll():
                yield Static(_("Look-ups (ctrl+y copies, ctrl+o opens)"), classes="section-title")
                links = SopTable(id="background-links", show_header=False)
                links.add_column("what", width=34)
                links.add_column("url")
                yield links
                with Horizontal(classes="form-row"):
                    yield Label(_("Website"), classes="form-label")
                    yield Input(id="bg-website")
                with Horizontal(classes="form-row"):
                    yield Label(_("Buyer type"), classes="form-label")
                    yield Select(
                        [(labels.buyer_type(b), b) for b in BuyerType],
                        allow_blank=False,
                        id="bg-buyer-type",
                    )
                with Horizontal(classes="form-row"):
                    yield Label(_("Potential"), classes="form-label")
                    yield Select(
                        [
                            (_("A — large, regular buyer"), Potential.A),
                            (_("B — medium"), Potential.B),
                            (_("C — small or unclear"), Potential.C),
                        ],
                        prompt=_("not judged yet"),
                        id="bg-potential",
                    )
                yield Label(
                    _("Platform profile: verified or not, buyer level, purchase history, reviews"),
                    classes="form-label wide",
                )
                yield TextArea(id="bg-profile", soft_wrap=True)
                yield Checkbox(_("Background check done"), id="bg-done")
            yield Static(id="background-error", classes="error")
            yield Static(_("ctrl+s saves · Esc closes"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="background")
    def load(self) -> None:
        view = background_service.load(self.customer_id)
        self.app.call_from_thread(self.show, view)

    def show(self, view: BackgroundView) -> None:
        self.view = view
        title = f"{_('Background check')} · {view.code} {view.company or view.contact_name}"
        self.query_one("#background-title", Static).update(safe.content(title, single_line=True))
        links = self.query_one("#background-links", SopTable)
        links.clear()
        for link in view.links:
            links.add_row(
                Text(_(link.title)), Text(link.url, style=f"link {link.url}"), key=link.id
            )
        self.query_one("#bg-website", Input).value = view.website
        self.query_one("#bg-buyer-type", Select).value = view.buyer_type
        potential = self.query_one("#bg-potential", Select)
        if view.potential is not None:
            potential.value = view.potential
        else:
            potential.clear()
        self.query_one("#bg-profile", TextArea).text = view.platform_profile
        self.query_one("#bg-done", Checkbox).value = view.done
        if view.website_guessed:
            self.query_one("#background-error", Static).update(
                Content(_("Website guessed from the e-mail domain — check it."))
            )
        links.focus()

    def _link(self) -> str | None:
        if self.view is None or not self.view.links:
            return None
        table = self.query_one("#background-links", SopTable)
        return self.view.links[min(table.cursor_row, len(self.view.links) - 1)].url

    def action_copy_link(self) -> None:
        url = self._link()
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(_("Link copied (OSC 52)"), markup=False, timeout=3)

    def action_open_link(self) -> None:
        url = self._link()
        if url:
            self.app.open_url(url)

    def action_save(self) -> None:
        if self.view is None:
            return
        potential = self.query_one("#bg-potential", Select).value
        self._save(
            self.view.version,
            self.query_one("#bg-website", Input).value,
            self.query_one("#bg-profile", TextArea).text,
            BuyerType(self.query_one("#bg-buyer-type", Select).value),
            Potential(potential) if potential is not Select.BLANK else None,
            self.query_one("#bg-done", Checkbox).value,
        )

    @work(thread=True, exclusive=True, group="background-save")
    def _save(self, version, website, profile, buyer_type, potential, done) -> None:
        try:
            background_service.save(
                self.customer_id,
                version,
                website=website,
                platform_profile=profile,
                buyer_type=buyer_type,
                potential=potential,
                done=done,
                rep_id=self.rep_id,
            )
        except StaleEdit as exc:
            message = _(
                "Someone else saved this customer meanwhile ({what}); close and reopen it, then apply your findings again."
            ).format(what=", ".join(exc.fields))
            self.app.call_from_thread(
                self.query_one("#background-error", Static).update, safe.content(message)
            )
            return
        self.app.call_from_thread(self.dismiss, True)

    def action_close(self) -> None:
        self.dismiss(False)

    @on(Checkbox.Changed, "#bg-done")
    def _done_changed(self, event: Checkbox.Changed) -> None:
        if not event.value or self.view is None:
            return
        missing = []
        if not self.query_one("#bg-website", Input).value.strip():
            missing.append(_("website"))
        if self.query_one("#bg-potential", Select).value is Select.BLANK:
            missing.append(_("potential"))
        if self.query_one("#bg-buyer-type", Select).value == BuyerType.UNKNOWN:
            missing.append(_("buyer type"))
        if missing:
            self.query_one("#background-error", Static).update(
                Content(_("Still open: {fields}").format(fields=", ".join(missing)))
            )
