"""Quotations and PIs: numbering, revisions, states, tier prices, guiding questions, and the
service that writes them (with the expiry reminder and the playbook's quote follow-ups)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sopdesk.services import catalog, playbook_tasks, quotes, sales_tasks
from sopdesk.sop import quotes as rules
from sopdesk.sop.stages import Channel, Incoterm, QuoteStatus, Stage, TaskKind
from sopdesk.store import db
from sopdesk.store.models import Activity, Customer, Inquiry, Quote, Task
from tests.timeline_words import system_touches, touch

ZONE = "Asia/Shanghai"

# --- the rules -------------------------------------------------------------------------------


def test_pi_numbers_format_and_parse() -> None:
    assert rules.format_number(2026, 12) == "PI-2026-0012"
    assert rules.format_label(2026, 12, 1) == "PI-2026-0012"
    assert rules.format_label(2026, 12, 3) == "PI-2026-0012-R3"
    assert rules.parse_number("PI-2026-0012") == rules.PiNumber(2026, 12, None)
    assert rules.parse_number(" pi-2026-0012-r2 ") == rules.PiNumber(2026, 12, 2)
    assert rules.parse_number("PI 2026 12 rev 4").revision == 4
    for bad in ("", "2026-0012", "PI-26-12", "PI-2026-0000", "PI-2026-0012-R0", "PO-2026-0012"):
        with pytest.raises(rules.QuoteRuleError):
            rules.parse_number(bad)
    assert rules.next_seq(None) == 1 and rules.next_seq(11) == 12


@given(st.integers(2000, 2200), st.integers(1, 999_999), st.integers(1, 999))
def test_pi_label_round_trips(year: int, seq: int, revision: int) -> None:
    parsed = rules.parse_number(rules.format_label(year, seq, revision))
    assert (parsed.year, parsed.seq) == (year, seq)
    assert parsed.revision == (revision if revision > 1 else None)


@given(st.text(max_size=40))
def test_parse_number_only_raises_its_own_error(text: str) -> None:
    try:
        parsed = rules.parse_number(text)
    except rules.QuoteRuleError:
        return
    assert rules.parse_number(rules.format_label(parsed.year, parsed.seq, parsed.revision or 1))


def test_state_transitions() -> None:
    assert rules.can_move(QuoteStatus.DRAFT, QuoteStatus.SENT)
    assert rules.can_move(QuoteStatus.SENT, QuoteStatus.ACCEPTED)
    assert rules.can_move(QuoteStatus.SENT, QuoteStatus.EXPIRED)
    assert rules.can_move(QuoteStatus.EXPIRED, QuoteStatus.SUPERSEDED)
    assert not rules.can_move(QuoteStatus.DRAFT, QuoteStatus.ACCEPTED)
    assert not rules.can_move(QuoteStatus.ACCEPTED, QuoteStatus.SENT)
    for final in rules.FINAL_STATUSES:
        assert not rules.TRANSITIONS[final]
    with pytest.raises(rules.QuoteRuleError, match="superseded quote cannot become sent"):
        rules.check_move(QuoteStatus.SUPERSEDED, QuoteStatus.SENT)
    assert rules.editable_in_place(QuoteStatus.DRAFT)
    assert not rules.editable_in_place(QuoteStatus.SENT)
    assert rules.can_revise(QuoteStatus.SENT) and rules.can_revise(QuoteStatus.EXPIRED)
    assert not rules.can_revise(QuoteStatus.ACCEPTED) and not rules.can_revise(QuoteStatus.DRAFT)


def test_validity_and_reminder_day() -> None:
    today = date(2026, 11, 27)
    assert rules.default_valid_until(today) == date(2026, 12, 27)
    assert not rules.is_past_validity(date(2026, 11, 27), today)
    assert rules.is_past_validity(date(2026, 11, 26), today)
    assert rules.expiry_reminder_day(date(2026, 12, 12), today) == date(2026, 12, 9)
    assert rules.expiry_reminder_day(date(2026, 11, 28), today) == today


def test_guiding_questions_come_from_what_is_unknown() -> None:
    ask = rules.guiding_questions
    nothing = rules.Knowns(quantity=False, port=False, specs=False, timing=False)
    assert ask(nothing) == ("quantity", "port")
    assert ask(rules.Knowns(quantity=True, port=False, specs=False, timing=False)) == (
        "port",
        "specs",
    )
    assert ask(rules.Knowns(quantity=True, port=True, specs=True, timing=False)) == ("timing",)
    assert ask(rules.Knowns(quantity=True, port=True, specs=True, timing=True)) == ("timing",)
    assert len(ask(nothing, limit=5)) == 2  # never more than two


def test_deposit_from_payment_terms() -> None:
    assert rules.deposit_percent("T/T 30% deposit, 70% against B/L copy") == Decimal(30)
    assert rules.deposit_percent("100% T/T before shipment") == Decimal(100)
    assert rules.deposit_percent("L/C at sight") is None
    assert rules.deposit_percent("O/A 60 days") is None
    assert rules.deposit_percent("50% deposit, balance before shipment") == Decimal(50)
    assert [p.id for p in rules.PAYMENT_PRESETS] == ["tt_30_70", "tt_100", "lc_sight", "oa_30",
                                                      "oa_60"]  # fmt: skip


def test_port_role_follows_the_incoterm() -> None:
    assert rules.port_role(Incoterm.FOB) == "port of shipment"
    assert rules.port_role(Incoterm.CIF) == "port of destination"
    assert rules.port_role(Incoterm.EXW) == "place of delivery"
    assert rules.port_role(Incoterm.DAP) == "place of destination"
    assert len(rules.INCOTERMS) == 11


def test_problems_list_what_stops_a_quote() -> None:
    today = date(2026, 11, 27)
    good = rules.LineInput("LED high bay", Decimal(100), Decimal("28.50"))
    assert rules.problems([good], date(2026, 12, 27), today) == []
    found = rules.problems([rules.LineInput("", Decimal(0), Decimal(-1))], date(2026, 11, 1), today)
    assert len(found) == 4
    assert rules.problems([], None, today) == [
        "the quote has no lines",
        "the quote needs a validity date",
    ]


# --- the service ----------------------------------------------------------------------------


@pytest.fixture
def shop(store: Path, frozen_clock: pendulum.DateTime) -> dict[str, int]:
    """One customer in Hamburg with an inquiry, and two products with USD tiers."""
    high_bay = catalog.save_product(
        catalog.ProductDetail(
            product_id=None,
            sku="HB-150",
            name="LED high bay 150W",
            specs="150W, IP65",
            moq=100,
            lead_time_days=25,
            packaging="4 pcs/carton",
            photos=("https://x.example/hb.jpg",),
            tiers=(
                catalog.TierView(100, Decimal("28.50"), "USD"),
                catalog.TierView(500, Decimal("25.80"), "USD"),
            ),
        )
    )
    panel = catalog.save_product(
        catalog.ProductDetail(
            product_id=None,
            sku="PN-4060",
            name="LED panel 600x600",
            tiers=(catalog.TierView(200, Decimal("9.80"), "USD"),),
        )
    )
    with db.database.connection_context():
        customer = Customer.create(
            number=1,
            company="Müller Licht GmbH",
            name="Jonas Müller",
            country="DE",
            stage=Stage.INTENT,
            stage_since=frozen_clock.subtract(days=3),
        )
        inquiry = Inquiry.create(
            customer=customer,
            channel=Channel.EMAIL,
            received_at=frozen_clock.subtract(days=2),
            first_reply_at=frozen_clock.subtract(days=2).add(minutes=4),
            subject="LED high bay 150W",
            body="Please quote LED high bay 150W.",
            products="LED high bay 150W",
            quantity="600 pcs",
            port="",
        )
    return {"customer": customer.id, "inquiry": inquiry.id, "high_bay": high_bay, "panel": panel}


def test_a_draft_from_an_inquiry_takes_products_quantity_and_tier_price(
    shop: dict[str, int],
) -> None:
    draft = quotes.draft_for_inquiry(shop["inquiry"], rep_zone=ZONE)
    assert draft.customer_id == shop["customer"] and draft.inquiry_id == shop["inquiry"]
    (line,) = draft.lines
    assert line.sku == "HB-150" and line.quantity == Decimal(600)
    assert line.unit_price == Decimal("25.80")  # the 500+ tier
    assert line.photo == "https://x.example/hb.jpg"
    assert draft.lead_time == "25 days after deposit"
    assert draft.valid_until == date(2026, 12, 27)
    assert draft.totals().total == Decimal("15480.00")


def test_quantity_text_is_read() -> None:
    assert quotes.parse_quantity("600 pcs") == Decimal(600)
    assert quotes.parse_quantity("1,000 units") == Decimal(1000)
    assert quotes.parse_quantity("2.000 Stück") == Decimal(2000)
    assert quotes.parse_quantity("approx. 12.5 tons") == Decimal("12.5")
    assert quotes.parse_quantity("a few") is None


def test_save_numbers_the_year_and_edits_a_draft_in_place(shop: dict[str, int]) -> None:
    draft = quotes.draft_for_inquiry(shop["inquiry"], rep_zone=ZONE)
    first = quotes.save(draft, rep_zone=ZONE)
    second = quotes.save(replace(draft, inquiry_id=None), rep_zone=ZONE)
    assert first.label == "PI-2026-0001" and second.label == "PI-2026-0002"
    assert first.status is QuoteStatus.DRAFT and first.total == Decimal("15480.00")
    line = quotes.LineDraft(shop["high_bay"], "LED high bay 150W", Decimal(99), "pcs", Decimal(0))
    more = quotes.reprice(replace(first.to_draft(), lines=(line,)))
    assert more.lines[0].unit_price == Decimal("28.50") and more.lines[0].below_moq
    edited = quotes.save(more, first.quote_id, expected_version=first.version, rep_zone=ZONE)
    assert edited.quote_id == first.quote_id and edited.revision == 1
    assert edited.total == Decimal("2821.50") and edited.version == first.version + 1
    with pytest.raises(quotes.StaleQuoteError):
        quotes.save(more, first.quote_id, expected_version=first.version, rep_zone=ZONE)


def test_bad_drafts_are_refused_with_the_reasons(shop: dict[str, int]) -> None:
    empty = quotes.draft_for_customer(shop["customer"], rep_zone=ZONE)
    with pytest.raises(quotes.QuoteError, match="no lines"):
        quotes.save(empty, rep_zone=ZONE)
    with pytest.raises(quotes.QuoteError, match="three-letter"):
        quotes.save(replace(empty, currency="US"), rep_zone=ZONE)


def test_send_plans_the_expiry_reminder_and_the_playbook_follow_ups(
    shop: dict[str, int], frozen_clock: pendulum.DateTime
) -> None:
    view = quotes.save(quotes.draft_for_inquiry(shop["inquiry"], rep_zone=ZONE), rep_zone=ZONE)
    sent = quotes.send(view.quote_id, rep_zone=ZONE)
    assert sent.status is QuoteStatus.SENT and sent.sent_at == frozen_clock
    (reminder,) = sales_tasks.open_reminders(shop["customer"])
    assert reminder.rule == sales_tasks.RULE_QUOTE_EXPIRY
    assert "PI-2026-0001" in reminder.title and "27 Dec" in reminder.title
    # three days before the validity ends, at the opening of the customer's (Berlin) day
    berlin = reminder.due_at.in_timezone("Europe/Berlin")
    assert (berlin.date(), berlin.hour) == (date(2026, 12, 24), 9)
    (note,) = system_touches(shop["customer"])  # as the timeline words it
    assert "PI-2026-0001 sent: USD 15,480.00, FOB" in note.text and note.title == "PI-2026-0001"
    # The playbook's engine reads the same record: the chat nudge comes an hour later.
    playbook_tasks.refresh(frozen_clock.add(hours=2), ZONE)
    with db.database.connection_context():
        keys = [t.rule_key for t in Task.select().where(Task.customer == shop["customer"])]
    assert f"quote_nudge|q{view.quote_id}|1h" in keys
    assert sum(1 for k in keys if k.startswith("quote_expiry|")) == 1


def test_revising_a_sent_quote_keeps_the_old_version(shop: dict[str, int]) -> None:
    view = quotes.save(quotes.draft_for_inquiry(shop["inquiry"], rep_zone=ZONE), rep_zone=ZONE)
    quotes.send(view.quote_id, rep_zone=ZONE)
    revised = quotes.revise(view.quote_id, rep_zone=ZONE)
    assert revised.label == "PI-2026-0001-R2" and revised.status is QuoteStatus.DRAFT
    assert revised.quote_id != view.quote_id
    old = quotes.get(view.quote_id)
    assert old is not None and old.status is QuoteStatus.SUPERSEDED
    assert len(old.lines) == 1 and old.total == revised.total == Decimal("15480.00")
    assert [r.label for r in revised.revisions] == ["PI-2026-0001", "PI-2026-0001-R2"]
    assert quotes.find("PI-2026-0001").quote_id == revised.quote_id
    assert quotes.find("PI-2026-0001-R1").quote_id == view.quote_id
    assert quotes.find("PI-2026-0099") is None
    # the superseded quote's reminder is closed, with the reason
    assert sales_tasks.open_reminders(shop["customer"]) == []
    with db.database.connection_context():
        closed = Task.get(Task.source == sales_tasks.RULE_QUOTE_EXPIRY)
    assert "superseded" in closed.skipped_reason
    with pytest.raises(quotes.QuoteError, match="cannot be revised"):
        quotes.revise(view.quote_id, rep_zone=ZONE)


def test_accept_expire_and_the_lapsed_batch(
    shop: dict[str, int], frozen_clock: pendulum.DateTime
) -> None:
    a = quotes.save(quotes.draft_for_inquiry(shop["inquiry"], rep_zone=ZONE), rep_zone=ZONE)
    b = quotes.save(quotes.draft_for_inquiry(shop["inquiry"], rep_zone=ZONE), rep_zone=ZONE)
    with pytest.raises(quotes.QuoteError, match="draft quote cannot become accepted"):
        quotes.accept(a.quote_id, rep_zone=ZONE)
    quotes.send(a.quote_id, rep_zone=ZONE)
    quotes.send(b.quote_id, rep_zone=ZONE)
    accepted = quotes.accept(a.quote_id, rep_zone=ZONE)
    assert accepted.status is QuoteStatus.ACCEPTED and accepted.accepted_at == frozen_clock
    later = frozen_clock.add(days=40)
    assert quotes.expire_lapsed(later, ZONE)[1] >= 1
    assert quotes.get(b.quote_id).status is QuoteStatus.EXPIRED
    assert quotes.get(a.quote_id).status is QuoteStatus.ACCEPTED
    assert sales_tasks.open_reminders(shop["customer"]) == []


def test_the_refresh_plans_reminders_for_quotes_written_elsewhere(
    shop: dict[str, int], frozen_clock: pendulum.DateTime
) -> None:
    view = quotes.save(quotes.draft_for_inquiry(shop["inquiry"], rep_zone=ZONE), rep_zone=ZONE)
    with db.database.connection_context():  # as the demo or an import would write it
        Quote.update(status=QuoteStatus.SENT, sent_at=frozen_clock).where(
            Quote.id == view.quote_id
        ).execute()
    first = sales_tasks.refresh(frozen_clock, ZONE)
    again = sales_tasks.refresh(frozen_clock, ZONE)
    assert first.created >= 1 and again.created == 0
    assert [r.rule for r in sales_tasks.open_reminders(shop["customer"])] == ["quote_expiry"]
    with db.database.connection_context():
        task = Task.get(Task.source == "quote_expiry")
    assert task.kind is TaskKind.FOLLOW_UP and task.inquiry_id == shop["inquiry"]


def test_questions_for_a_quote(shop: dict[str, int]) -> None:
    view = quotes.save(quotes.draft_for_inquiry(shop["inquiry"], rep_zone=ZONE), rep_zone=ZONE)
    assert quotes.questions_for(view, "Please quote LED high bay.", "600 pcs", "") == (
        "port",
        "specs",
    )
    assert quotes.questions_for(view, "150W IP65, needed by March", "600", "Hamburg") == ("timing",)


# --- the quote e-mail ------------------------------------------------------------------------


def test_the_quote_email_sent_marks_its_draft_quote_sent_and_undo_takes_it_back(
    shop: dict[str, int], frozen_clock: pendulum.DateTime
) -> None:
    assert quotes.is_quote_email("quote_email") and quotes.is_quote_email("quote_email_es")
    assert not quotes.is_quote_email("quote_nudge_chat")
    view = quotes.save(quotes.draft_for_inquiry(shop["inquiry"], rep_zone=ZONE), rep_zone=ZONE)
    done = quotes.emailed(view.label, rep_zone=ZONE)
    assert done is not None and done.sent_at == frozen_clock
    sent = quotes.get(view.quote_id)
    assert sent.status is QuoteStatus.SENT and sent.sent_at == frozen_clock
    assert len(sales_tasks.open_reminders(shop["customer"])) == 1
    note = touch(shop["customer"], done.note_id)
    assert note.text.startswith(f"Quotation {view.label} sent with the quote e-mail: USD 15,480.00")
    # Already sent: a second quote e-mail (a resend) leaves the quote alone.
    assert quotes.emailed(view.label, rep_zone=ZONE) is None
    # Undo: a draft again, its note and its reminder gone.
    back = quotes.undo_emailed(done, rep_zone=ZONE)
    assert back is not None and back.status is QuoteStatus.DRAFT and back.sent_at is None
    assert sales_tasks.open_reminders(shop["customer"]) == []
    with db.database.connection_context():
        assert not Activity.select().where(Activity.id == done.note_id).exists()
    # An undo that comes too late (accepted meanwhile) changes nothing.
    again = quotes.emailed(view.label, rep_zone=ZONE)
    assert again is not None
    quotes.accept(view.quote_id, rep_zone=ZONE)
    assert quotes.undo_emailed(again, rep_zone=ZONE) is None
    assert quotes.get(view.quote_id).status is QuoteStatus.ACCEPTED


def test_a_quote_that_cannot_go_out_stays_a_draft(
    shop: dict[str, int], frozen_clock: pendulum.DateTime
) -> None:
    view = quotes.save(quotes.draft_for_inquiry(shop["inquiry"], rep_zone=ZONE), rep_zone=ZONE)
    later = frozen_clock.add(days=40)  # past its validity
    with pytest.raises(quotes.QuoteError, match="valid"):
        quotes.emailed(view.label, now=later, rep_zone=ZONE)
    assert quotes.get(view.quote_id).status is QuoteStatus.DRAFT


def test_the_quote_email_answers_the_quotes_inquiry_or_the_latest(
    shop: dict[str, int], frozen_clock: pendulum.DateTime
) -> None:
    from_inquiry = quotes.save(
        quotes.draft_for_inquiry(shop["inquiry"], rep_zone=ZONE), rep_zone=ZONE
    )
    assert quotes.inquiry_for_email(from_inquiry) == shop["inquiry"]
    with db.database.connection_context():
        newer = Inquiry.create(
            customer=shop["customer"],
            channel=Channel.EMAIL,
            received_at=frozen_clock.subtract(hours=1),
            subject="Also panels",
            body="And 200 panels?",
        )
        alone = Customer.create(
            number=2, company="Nobody wrote", stage=Stage.LEAD, stage_since=frozen_clock
        )
    from_customer = quotes.save(replace(from_inquiry.to_draft(), inquiry_id=None), rep_zone=ZONE)
    assert quotes.inquiry_for_email(from_customer) == newer.id
    silent = quotes.save(replace(from_customer.to_draft(), customer_id=alone.id), rep_zone=ZONE)
    assert quotes.inquiry_for_email(silent) is None


def test_the_draft_summarises_the_quote_it_is_given(shop: dict[str, int]) -> None:
    from sopdesk import config
    from sopdesk.services import drafting

    older = quotes.save(quotes.draft_for_inquiry(shop["inquiry"], rep_zone=ZONE), rep_zone=ZONE)
    newer = quotes.save(replace(older.to_draft(), lines=older.to_draft().lines * 2), rep_zone=ZONE)
    settings = config.demo_settings()
    latest = drafting.build_context(shop["inquiry"], settings).sales.quote
    assert latest is not None and latest.label == newer.label  # the conversation's newest
    assert latest.total == "USD 30,960.00"
    chosen = drafting.build_context(shop["inquiry"], settings, quote_id=older.quote_id)
    assert chosen.sales.quote is not None and chosen.sales.quote.label == older.label
    assert chosen.sales.quote.total == "USD 15,480.00"
