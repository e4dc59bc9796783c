"""Quotations and Proforma Invoices (SOP stage 3.1): numbers, revisions, states, prices, questions.

Numbers: a PI is numbered PI-YYYY-NNNN, NNNN counting up within the year the quote was made
(PI-2026-0012). A revision keeps the number and counts its own revision (PI-2026-0012-R2): the
buyer's reference stays the same while the old version is kept, superseded.

States and who may move them:

    draft ──send──▶ sent ──accept──▶ accepted      (an order is made from it)
      │               │ ╲──expire──▶ expired        (the validity date passed)
      │               ╰───revise──▶ superseded      (a new revision took its place)
      ╰──revise/discard──▶ superseded

A draft is edited in place; a sent or expired quote is never changed: revising it makes a new row
(revision + 1, a draft) and the old one becomes superseded. Accepted and superseded quotes are
final.

Prices come from the product's quantity tiers: the tier with the highest minimum quantity that the
ordered quantity reaches. Below the lowest tier (under the MOQ) the lowest tier's price applies and
the line is flagged.

The quote e-mail ends with one or two guiding questions chosen from what is still unknown, in the
SOP's order of importance: quantity, port, specification, timing. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sopdesk.i18n import N_, _
from sopdesk.sop.stages import Incoterm, QuoteStatus

PI_PREFIX = "PI"
DEFAULT_VALID_DAYS = 30
"""A new quote is valid this many days (the SOP's "price valid until …")."""
REMIND_BEFORE_EXPIRY_DAYS = 3
"""The Today reminder falls this many days before the validity ends."""
MAX_QUESTIONS = 2

_NUMBER = re.compile(
    r"\s*PI[-\s]?(?P<year>\d{4})[-\s]?(?P<seq>\d{1,6})(?:\s*(?:-R|R|rev\.?\s*)(?P<rev>\d{1,3}))?\s*",
    re.IGNORECASE,
)


class QuoteRuleError(ValueError):
    """A move the quote rules do not allow; the message says why, in the UI language."""


# --- numbers ---------------------------------------------------------------------------------


def format_number(year: int, seq: int) -> str:
    """PI-2026-0012."""
    return f"{PI_PREFIX}-{year}-{seq:04d}"


def format_label(year: int, seq: int, revision: int) -> str:
    """The number with its revision when there is one: PI-2026-0012, PI-2026-0012-R2."""
    base = format_number(year, seq)
    return base if revision <= 1 else f"{base}-R{revision}"


@dataclass(frozen=True)
class PiNumber:
    year: int
    seq: int
    revision: int | None
    """None: the latest revision is meant."""

    @property
    def number(self) -> str:
        return format_number(self.year, self.seq)


def parse_number(text: str) -> PiNumber:
    """'PI-2026-0012' (latest revision), 'PI-2026-0012-R2' or 'pi 2026 12 rev 2'."""
    match = _NUMBER.fullmatch(text or "")
    if match is None:
        raise QuoteRuleError(_("a PI number looks like PI-2026-0012 (or PI-2026-0012-R2)"))
    seq = int(match.group("seq"))
    rev = match.group("rev")
    if seq < 1 or (rev is not None and int(rev) < 1):
        raise QuoteRuleError(_("a PI number looks like PI-2026-0012 (or PI-2026-0012-R2)"))
    return PiNumber(int(match.group("year")), seq, int(rev) if rev is not None else None)


def next_seq(last_seq_of_year: int | None) -> int:
    """The next sequence number within a year (1 for the year's first PI)."""
    return (last_seq_of_year or 0) + 1


# --- states ----------------------------------------------------------------------------------

TRANSITIONS: dict[QuoteStatus, frozenset[QuoteStatus]] = {
    QuoteStatus.DRAFT: frozenset({QuoteStatus.SENT, QuoteStatus.SUPERSEDED}),
    QuoteStatus.SENT: frozenset(
        {QuoteStatus.ACCEPTED, QuoteStatus.EXPIRED, QuoteStatus.SUPERSEDED}
    ),
    QuoteStatus.EXPIRED: frozenset({QuoteStatus.SUPERSEDED, QuoteStatus.ACCEPTED}),
    QuoteStatus.ACCEPTED: frozenset(),
    QuoteStatus.SUPERSEDED: frozenset(),
}
"""Allowed moves. An expired quote may still be accepted: the rep decides to honour the price."""

OPEN_STATUSES = frozenset({QuoteStatus.DRAFT, QuoteStatus.SENT})
FINAL_STATUSES = frozenset({QuoteStatus.ACCEPTED, QuoteStatus.SUPERSEDED})


def can_move(from_status: QuoteStatus, to_status: QuoteStatus) -> bool:
    return to_status in TRANSITIONS[from_status]


def check_move(from_status: QuoteStatus, to_status: QuoteStatus) -> None:
    if not can_move(from_status, to_status):
        raise QuoteRuleError(
            _("a {from_status} quote cannot become {to_status}").format(
                from_status=from_status.value, to_status=to_status.value
            )
        )


def editable_in_place(status: QuoteStatus) -> bool:
    """Only a draft is changed in place; the buyer has never seen it."""
    return status is QuoteStatus.DRAFT


def can_revise(status: QuoteStatus) -> bool:
    """A sent or expired quote is revised into a new revision; accepted/superseded are final."""
    return status in (QuoteStatus.SENT, QuoteStatus.EXPIRED)


def is_past_validity(valid_until: date | None, today: date) -> bool:
    """The validity date is the last day the price holds."""
    return valid_until is not None and today > valid_until


def default_valid_until(today: date, days: int = DEFAULT_VALID_DAYS) -> date:
    return today + timedelta(days=days)


def expiry_reminder_day(
    valid_until: date, today: date, days_before: int = REMIND_BEFORE_EXPIRY_DAYS
) -> date:
    """The day the rep is reminded that the price is about to lapse: `days_before` days ahead
    of the last valid day, but never before today (a short validity is reminded at once)."""
    return max(valid_until - timedelta(days=days_before), today)


# --- prices from tiers -----------------------------------------------------------------------


@dataclass(frozen=True)
class Tier:
    min_qty: int
    unit_price: Decimal
    currency: str


@dataclass(frozen=True)
class TierPrice:
    unit_price: Decimal
    currency: str
    min_qty: int
    """The tier applied."""
    below_moq: bool
    """The quantity is under the lowest tier (the MOQ): the lowest tier's price was used."""


def tier_price(tiers: Iterable[Tier], quantity: Decimal | int) -> TierPrice | None:
    """The unit price for `quantity`: the tier with the highest minimum the quantity reaches
    (100+ 28.50, 500+ 25.80: 499 → 28.50, 500 → 25.80). None when there are no tiers."""
    ordered = sorted(tiers, key=lambda t: t.min_qty)
    if not ordered:
        return None
    qty = Decimal(quantity)
    chosen = ordered[0]
    for tier in ordered:
        if qty >= tier.min_qty:
            chosen = tier
    below = qty < ordered[0].min_qty
    return TierPrice(chosen.unit_price, chosen.currency, chosen.min_qty, below)


# --- terms -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentPreset:
    id: str
    text: str
    """The terms as printed on the PI (English: PIs are in English)."""
    deposit_percent: Decimal | None
    """Paid before production; None when no deposit is asked (L/C, O/A)."""


PAYMENT_PRESETS: tuple[PaymentPreset, ...] = (
    PaymentPreset("tt_30_70", "T/T 30% deposit, 70% against B/L copy", Decimal(30)),
    PaymentPreset("tt_100", "100% T/T before shipment", Decimal(100)),
    PaymentPreset("lc_sight", "L/C at sight", None),
    PaymentPreset("oa_30", "O/A 30 days", None),
    PaymentPreset("oa_60", "O/A 60 days", None),
)
"""The SOP's payment terms (stage 4.2): 30/70 first, firm with new customers; L/C and O/A for
established ones. Anything else is typed as custom terms."""
CUSTOM_PAYMENT = "custom"

_DEPOSIT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*%\s*(?:t/t\s*)?(?:deposit|advance|down|prepay)", re.I)
_FULL_BEFORE = re.compile(r"100\s*%\s*(?:t/t\s*)?(?:before|in advance|prepa)", re.I)


def preset_for(terms: str) -> PaymentPreset | None:
    cleaned = " ".join((terms or "").split()).lower()
    return next((p for p in PAYMENT_PRESETS if p.text.lower() == cleaned), None)


def deposit_percent(terms: str) -> Decimal | None:
    """The deposit the terms ask for: 30 for "T/T 30% deposit …", 100 for "100% T/T before
    shipment", None for L/C and O/A (and for terms that name no deposit)."""
    preset = preset_for(terms)
    if preset is not None:
        return preset.deposit_percent
    if _FULL_BEFORE.search(terms or ""):
        return Decimal(100)
    match = _DEPOSIT.search(terms or "")
    if match is None:
        return None
    value = Decimal(match.group(1))
    return value if 0 < value <= 100 else None


INCOTERMS: tuple[Incoterm, ...] = tuple(Incoterm)
"""Incoterms 2020, in the ICC's order."""
SEA_ONLY = frozenset({Incoterm.FAS, Incoterm.FOB, Incoterm.CFR, Incoterm.CIF})
"""The four rules for sea and inland waterway transport only."""
NAMES_ORIGIN = frozenset({Incoterm.EXW, Incoterm.FCA, Incoterm.FAS, Incoterm.FOB})
"""Rules whose named place is where the goods are handed over (our side)."""


def port_role(incoterm: Incoterm) -> str:
    """What the named port or place means under `incoterm` (English source for `_()`)."""
    if incoterm in SEA_ONLY:
        return N_("port of shipment") if incoterm in NAMES_ORIGIN else N_("port of destination")
    return N_("place of delivery") if incoterm in NAMES_ORIGIN else N_("place of destination")


# --- guiding questions -----------------------------------------------------------------------

QUESTION_ORDER: tuple[str, ...] = ("quantity", "port", "specs", "timing")
"""What a quote e-mail may ask about, most useful first (SOP 3.1: 1–2 professional questions)."""


@dataclass(frozen=True)
class Knowns:
    """What the buyer has told us, for choosing the questions."""

    quantity: bool
    """The buyer named a quantity (a quote at the MOQ without one does not count)."""
    port: bool
    """A destination port or place is known (or the buyer collects: EXW/FCA/FAS/FOB with a
    port of shipment we chose is still a question of where it goes)."""
    specs: bool
    """Specifications, a drawing or a picture were given."""
    timing: bool
    """The buyer said when the goods are needed."""


def guiding_questions(knowns: Knowns, limit: int = MAX_QUESTIONS) -> tuple[str, ...]:
    """The ids (from QUESTION_ORDER) of the one or two questions to end the quote e-mail with.

    Unknown things first, in order; when everything is known, timing is still worth asking
    (when to start production), so there is always at least one question."""
    missing = [q for q in QUESTION_ORDER if not getattr(knowns, q)]
    if not missing:
        missing = ["timing"]
    return tuple(missing[: max(1, min(limit, MAX_QUESTIONS))])


# --- checking a quote before it is saved or sent ---------------------------------------------


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: Decimal
    unit_price: Decimal


def problems(lines: Sequence[LineInput], valid_until: date | None, today: date) -> list[str]:
    """What stops a quote from being saved or sent, in the UI language; empty: fine."""
    found: list[str] = []
    if not lines:
        found.append(_("the quote has no lines"))
    for line in lines:
        if line.quantity <= 0:
            found.append(_("every line needs a quantity above zero"))
            break
    for line in lines:
        if line.unit_price < 0:
            found.append(_("a unit price cannot be negative"))
            break
    for line in lines:
        if not line.description.strip():
            found.append(_("every line needs a product or a description"))
            break
    if valid_until is None:
        found.append(_("the quote needs a validity date"))
    elif valid_until < today:
        found.append(_("the validity date is in the past"))
    return found


__all__ = [
    "CUSTOM_PAYMENT",
    "DEFAULT_VALID_DAYS",
    "FINAL_STATUSES",
    "INCOTERMS",
    "MAX_QUESTIONS",
    "NAMES_ORIGIN",
    "OPEN_STATUSES",
    "PAYMENT_PRESETS",
    "QUESTION_ORDER",
    "REMIND_BEFORE_EXPIRY_DAYS",
    "SEA_ONLY",
    "TRANSITIONS",
    "Knowns",
    "LineInput",
    "PaymentPreset",
    "PiNumber",
    "QuoteRuleError",
    "Tier",
    "TierPrice",
    "can_move",
    "can_revise",
    "check_move",
    "default_valid_until",
    "deposit_percent",
    "editable_in_place",
    "expiry_reminder_day",
    "format_label",
    "format_number",
    "guiding_questions",
    "is_past_validity",
    "next_seq",
    "parse_number",
    "port_role",
    "preset_for",
    "problems",
    "tier_price",
]
