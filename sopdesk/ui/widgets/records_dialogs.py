"""Dialogs of the customer screens: log a touch, plan the next follow-up, change the stage,
merge a duplicate, filter the table, read a timeline item's exact text.

Each is a `ModalScreen[T]` that returns with `dismiss(value)` (None: cancelled). They never touch
the store: the screen that opened them calls the records service with what they return.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from sopdesk import clock, labels
from sopdesk.i18n import _, pgettext
from sopdesk.services.records import CustomerFilter, DuplicateCandidate
from sopdesk.services.records_timeline import list_text
from sopdesk.sop.followup import describe, parse_follow_up
from sopdesk.sop.stages import (
    ActivityKind,
    BuyerType,
    Channel,
    Direction,
    LostReason,
    Potential,
    Stage,
    skips_stages,
)
from sopdesk.ui import text as safe

TOUCH_KEYS: dict[str, tuple[ActivityKind, Direction]] = {
    "e": (ActivityKind.EMAIL, Direction.OUT),
    "w": (ActivityKind.WHATSAPP, Direction.OUT),
    "t": (ActivityKind.TM, Direction.OUT),
    "r": (ActivityKind.REPLY, Direction.OUT),
    "c": (ActivityKind.CALL, Direction.OUT),
    "m": (ActivityKind.MEETING, Direction.NONE),
    "n": (ActivityKind.NOTE, Direction.NONE),
}
"""The second key of "log a touch": l, then one of these, then the text."""


def _cancel_binding(prefix: str) -> Binding:
    return Binding(
        "escape", "cancel", _("Cancel"), id=f"{prefix}.cancel", tooltip=_("Close without saving")
    )


@dataclass(frozen=True)
class TouchInput:
    kind: ActivityKind
    direction: Direction
    text: str


class TouchDialog(ModalScreen[TouchInput | None]):
    """l → kind key → text → ctrl+s. ctrl+d turns the direction (sent / received)."""

    BINDINGS = [
        _cancel_binding("touch"),
        Binding(
            "ctrl+s",
            "save",
            _("Save"),
            id="touch.save",
            tooltip=_("Store the touch"),
            priority=True,
        ),
        Binding(
            "ctrl+d",
            "flip",
            _("In/out"),
            id="touch.direction",
            tooltip=_("Switch between sent to and received from the customer"),
            priority=True,
        ),
        *[
            Binding(
                key,
                f"kind('{key}')",
                labels.activity(kind.value),
                id=f"touch.kind_{kind.value}",
                tooltip=_("Log this kind of touch"),
            )
            for key, (kind, _direction) in TOUCH_KEYS.items()
        ],
    ]

    def __init__(self, customer_name: str) -> None:
        super().__init__()
        self.customer_name = customer_name
        self.kind: ActivityKind | None = None
        self.direction = Direction.OUT

    def compose(self) -> ComposeResult:
        with Vertical(classes="records-dialog"):
            yield Static(
                Content(
                    _("Log a touch with {name}").format(name=safe.display(self.customer_name, True))
                ),
                classes="dialog-title",
            )
            keys = "  ".join(
                f"{key} {labels.activity(kind.value)}" for key, (kind, _d) in TOUCH_KEYS.items()
            )
            yield Static(Content(_("Kind: {keys}").format(keys=keys)), id="touch-kinds")
            yield Static(id="touch-state", classes="dialog-hint")
            yield TextArea(id="touch-text", disabled=True)
            yield Static(id="touch-error", classes="error")
            yield Static(_("ctrl+s saves · ctrl+d in/out · Esc cancels"), classes="dialog-hint")

    def _show_state(self) -> None:
        if self.kind is None:
            state = _("Press a kind key.")
        else:
            arrow = {
                Direction.OUT: pgettext("touch direction", "sent"),
                Direction.IN: pgettext("touch direction", "received"),
                Direction.NONE: "·",
            }
            state = f"{labels.activity(self.kind.value)} · {arrow[self.direction]}"
        self.query_one("#touch-state", Static).update(Content(state))

    def on_mount(self) -> None:
        self._show_state()

    def action_kind(self, key: str) -> None:
        if self.kind is not None:
            return
        self.kind, self.direction = TOUCH_KEYS[key]
        area = self.query_one("#touch-text", TextArea)
        area.disabled = False
        area.focus()
        self._show_state()

    def action_flip(self) -> None:
        order = [Direction.OUT, Direction.IN, Direction.NONE]
        self.direction = order[(order.index(self.direction) + 1) % len(order)]
        self._show_state()

    def action_save(self) -> None:
        text = self.query_one("#touch-text", TextArea).text
        if self.kind is None:
            self.query_one("#touch-error", Static).update(_("Choose the kind first."))
            return
        if not text.strip():
            self.query_one("#touch-error", Static).update(_("Type what was said or written."))
            return
        self.dismiss(TouchInput(self.kind, self.direction, text))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class FollowUpInput:
    when: str
    plan: str


class FollowUpDialog(ModalScreen[FollowUpInput | None]):
    """The next follow-up in natural words, shown in the rep's and the customer's time."""

    BINDINGS = [_cancel_binding("follow_up")]

    def __init__(self, rep_zone: str, customer_zone: str | None, plan: str) -> None:
        super().__init__()
        self.rep_zone = rep_zone
        self.customer_zone = customer_zone
        self.plan = plan

    def compose(self) -> ComposeResult:
        with Vertical(classes="records-dialog"):
            yield Static(_("Next follow-up"), classes="dialog-title")
            yield Input(
                placeholder=_("+3d · tomorrow · fri 10:00 · 2026-12-03 09:30 · next week · 明天"),
                id="follow-when",
            )
            yield Static(id="follow-preview", classes="dialog-hint")
            yield Input(self.plan, placeholder=_("What to do (optional)"), id="follow-plan")
            yield Static(_("Enter saves · Esc cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#follow-when", Input).focus()

    @on(Input.Changed, "#follow-when")
    def _preview(self, event: Input.Changed) -> None:
        preview = self.query_one("#follow-preview", Static)
        if not event.value.strip():
            preview.update("")
            return
        try:
            at = parse_follow_up(event.value, clock.now(), self.rep_zone)
        except ValueError as exc:
            preview.update(safe.content(str(exc)))
            preview.set_class(True, "error")
            return
        preview.set_class(False, "error")
        preview.update(Content(describe(at, self.rep_zone, self.customer_zone)))

    @on(Input.Submitted)
    def _submit(self) -> None:
        when = self.query_one("#follow-when", Input).value
        try:
            parse_follow_up(when, clock.now(), self.rep_zone)
        except ValueError:
            self.query_one("#follow-when", Input).focus()
            return
        self.dismiss(FollowUpInput(when, self.query_one("#follow-plan", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class StageInput:
    stage: Stage
    why: str
    lost_reason: LostReason | None
    confirm_skip: bool


class StageDialog(ModalScreen[StageInput | None]):
    """Pick the stage, a lost reason from the list when lost, say why; skipping asks first."""

    BINDINGS = [_cancel_binding("stage")]

    def __init__(self, current: Stage) -> None:
        super().__init__()
        self.current = current
        self.confirming = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="records-dialog"):
            yield Static(
                Content(_("Change stage (now {stage})").format(stage=labels.stage(self.current))),
                classes="dialog-title",
            )
            yield OptionList(
                *[
                    Option(
                        Content(labels.stage(stage)), id=stage.value, disabled=stage is self.current
                    )
                    for stage in Stage
                ],
                id="stage-options",
                markup=False,
            )
            yield Static(_("Lost reason"), id="lost-label", classes="section-title")
            yield OptionList(
                *[Option(Content(_(labels.LOST_REASON[r])), id=r.value) for r in LostReason],
                id="lost-options",
                markup=False,
            )
            yield Input(placeholder=_("Why (optional)"), id="stage-why")
            yield Static(id="stage-confirm", classes="error")
            yield Static(_("Enter chooses · Esc cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        self._show_lost(False)
        options = self.query_one("#stage-options", OptionList)
        options.focus()
        index = next((i for i, s in enumerate(Stage) if s is not self.current), 0)
        options.highlighted = index

    def _show_lost(self, show: bool) -> None:
        self.query_one("#lost-label").display = show
        self.query_one("#lost-options").display = show

    def _chosen(self) -> Stage | None:
        options = self.query_one("#stage-options", OptionList)
        if options.highlighted is None:
            return None
        return Stage(options.get_option_at_index(options.highlighted).id or "")

    @on(OptionList.OptionHighlighted, "#stage-options")
    def _stage_moved(self) -> None:
        self.confirming = False
        self.query_one("#stage-confirm", Static).update("")
        self._show_lost(self._chosen() is Stage.LOST)

    @on(OptionList.OptionSelected, "#stage-options")
    def _stage_chosen(self) -> None:
        stage = self._chosen()
        if stage is Stage.LOST:
            lost = self.query_one("#lost-options", OptionList)
            lost.focus()
            if lost.highlighted is None:
                lost.highlighted = 0
            return
        self.query_one("#stage-why", Input).focus()

    @on(OptionList.OptionSelected, "#lost-options")
    def _lost_chosen(self) -> None:
        self.query_one("#stage-why", Input).focus()

    @on(Input.Submitted, "#stage-why")
    def _submit(self) -> None:
        stage = self._chosen()
        if stage is None or stage is self.current:
            return
        lost_reason = None
        if stage is Stage.LOST:
            lost = self.query_one("#lost-options", OptionList)
            if lost.highlighted is None:
                lost.focus()
                return
            lost_reason = LostReason(lost.get_option_at_index(lost.highlighted).id or "")
        skipping = skips_stages(self.current, stage)
        if skipping and not self.confirming:
            self.confirming = True
            self.query_one("#stage-confirm", Static).update(
                Content(
                    _("{a} → {b} skips stages. Press Enter again to confirm.").format(
                        a=labels.stage(self.current), b=labels.stage(stage)
                    )
                )
            )
            return
        why = self.query_one("#stage-why", Input).value
        self.dismiss(StageInput(stage, why, lost_reason, skipping))

    def action_cancel(self) -> None:
        self.dismiss(None)


class MergeDialog(ModalScreen[int | None]):
    """Duplicate candidates; Enter on one asks, y merges it into the customer on screen."""

    BINDINGS = [
        _cancel_binding("merge"),
        Binding(
            "y",
            "confirm",
            _("Yes, merge"),
            id="merge.confirm",
            tooltip=_("Merge the chosen duplicate"),
        ),
    ]

    def __init__(self, keep_code: str, candidates: list[DuplicateCandidate]) -> None:
        super().__init__()
        self.keep_code = keep_code
        self.candidates = candidates
        self.chosen: DuplicateCandidate | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="records-dialog"):
            yield Static(_("Possible duplicates"), classes="dialog-title")
            if not self.candidates:
                yield Static(
                    _(
                        "No duplicates found (same e-mail, same company domain or a near-identical name)."
                    )
                )
            yield OptionList(
                *[
                    Option(
                        safe.content(
                            f"{c.code}  {c.name}  {c.country or '—'}  {labels.stage(c.stage)}  "
                            f"({list_text(c.reasons)})",
                            single_line=True,
                        ),
                        id=str(c.customer_id),
                    )
                    for c in self.candidates
                ],
                id="merge-options",
                markup=False,
            )
            yield Static(id="merge-confirm", classes="error")
            yield Static(_("Enter chooses · y merges · Esc cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#merge-options", OptionList).focus()

    @on(OptionList.OptionSelected, "#merge-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.chosen = next(c for c in self.candidates if str(c.customer_id) == event.option.id)
        self.query_one("#merge-confirm", Static).update(
            Content(
                _(
                    "Merge {other} into {keep}? Every contact, inquiry, touch, quote and order of "
                    "{other} moves to {keep}. Press y to merge."
                ).format(other=self.chosen.code, keep=self.keep_code)
            )
        )

    def action_confirm(self) -> None:
        if self.chosen is not None:
            self.dismiss(self.chosen.customer_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _select(options: list[tuple[str, object]], value: object, ident: str) -> Select:
    return Select(
        [(Content(label), v) for label, v in options],  # type: ignore[misc]
        value=value if value is not None else Select.BLANK,
        id=ident,
        prompt=_("any"),
    )


class FilterDialog(ModalScreen[CustomerFilter | None]):
    """Stage, country, source, buyer type, potential, overdue, no next step, mine."""

    BINDINGS = [
        _cancel_binding("filter"),
        Binding(
            "ctrl+s",
            "apply",
            _("Apply"),
            id="filter.apply",
            tooltip=_("Apply the filter"),
            priority=True,
        ),
    ]

    def __init__(
        self, current: CustomerFilter, countries: list[tuple[str, int]], rep_id: int | None
    ) -> None:
        super().__init__()
        self.current = current
        self.countries = countries
        self.rep_id = rep_id

    def compose(self) -> ComposeResult:
        flt = self.current
        stage = next(iter(flt.stages)) if len(flt.stages) == 1 else None
        with VerticalScroll(classes="records-dialog"):
            yield Static(_("Filter customers"), classes="dialog-title")
            yield _select([(labels.stage(s), s) for s in Stage], stage, "filter-stage")
            yield _select(
                [(f"{code} ({n})", code) for code, n in self.countries],
                flt.country or None,
                "filter-country",
            )
            yield _select([(labels.channel(c), c) for c in Channel], flt.source, "filter-source")
            yield _select(
                [(labels.buyer_type(b), b) for b in BuyerType], flt.buyer_type, "filter-buyer"
            )
            yield _select([(p.value, p) for p in Potential], flt.potential, "filter-potential")
            with Horizontal(classes="dialog-buttons"):
                yield Checkbox(_("Follow-up overdue"), flt.overdue, id="filter-overdue")
                yield Checkbox(_("No next step"), flt.no_next_step, id="filter-none")
                yield Checkbox(_("Mine"), flt.owner_id is not None, id="filter-mine")
            yield Static(_("ctrl+s applies · Esc cancels"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#filter-stage", Select).focus()

    def _value(self, ident: str) -> object:
        value = self.query_one(ident, Select).value
        return None if value is Select.BLANK else value

    def action_apply(self) -> None:
        stage = self._value("#filter-stage")
        result = replace(
            self.current,
            stages=frozenset({stage}) if isinstance(stage, Stage) else frozenset(),
            country=str(self._value("#filter-country") or ""),
            source=self._value("#filter-source"),  # type: ignore[arg-type]
            buyer_type=self._value("#filter-buyer"),  # type: ignore[arg-type]
            potential=self._value("#filter-potential"),  # type: ignore[arg-type]
            overdue=self.query_one("#filter-overdue", Checkbox).value,
            no_next_step=self.query_one("#filter-none", Checkbox).value,
            owner_id=self.rep_id if self.query_one("#filter-mine", Checkbox).value else None,
        )
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextDialog(ModalScreen[None]):
    """A timeline item's exact text, as received or sent (never markup, controls made visible)."""

    BINDINGS = [
        Binding(
            "escape,q,enter", "close", _("Close"), id="text.close", tooltip=_("Close the text")
        ),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="records-dialog records-text"):
            yield Static(safe.content(self.title_text, single_line=True), classes="dialog-title")
            yield Static(safe.content(self.body or _("(no text)")), id="text-body")

    def action_close(self) -> None:
        self.dismiss(None)
