"""Taking inquiries in: validation, linking order, new customers, duplicates, batches."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pendulum
import pytest

from sopdesk.services.capture import CaptureError, InquiryInput, capture, capture_many
from sopdesk.services.search import find_customers
from sopdesk.sop.stages import Channel, Stage
from sopdesk.store.db import database
from sopdesk.store.models import Contact, Customer, Inquiry, StageChange

NOW = pendulum.datetime(2026, 11, 27, 4, 0, tz="UTC")


def inquiry(**fields: object) -> InquiryInput:
    values: dict[str, object] = {
        "channel": Channel.SITE_INQUIRY,
        "received_at": NOW.subtract(minutes=3),
        "buyer_name": "Hans Weber",
        "company": "Weber Licht GmbH",
        "email": "hans@weber-licht.de",
        "phone": "+49 30 1234567",
        "country": "Germany",
        "products": "LED panel 600x600",
        "quantity": "2000 pcs",
        "port": "Hamburg",
        "message": "Please quote 2000 panels CIF Hamburg.",
    }
    values.update(fields)
    return InquiryInput(**values)  # type: ignore[arg-type]


def make_customer(number: int, **fields: object) -> Customer:
    values: dict[str, object] = {"number": number, "stage": Stage.INTENT, "stage_since": NOW}
    values.update(fields)
    return Customer.create(**values)


def counts() -> tuple[int, int, int, int]:
    with database.connection_context():
        return (
            Customer.select().count(),
            Contact.select().count(),
            Inquiry.select().count(),
            StageChange.select().count(),
        )


@pytest.fixture
def db(store: Path) -> Iterator[None]:
    with database.connection_context():
        yield


def test_a_new_buyer_becomes_a_lead_customer(store: Path) -> None:
    result = capture(inquiry(), owner_id=None)
    assert (result.customer_code, result.created_customer, result.duplicate) == (
        "C-00001",
        True,
        False,
    )
    assert result.linked_by == "new"
    with database.connection_context():
        customer = Customer.get_by_id(result.customer_id)
        assert (customer.company, customer.name, customer.country) == (
            "Weber Licht GmbH", "Hans Weber", "DE"
        )  # fmt: skip
        assert customer.timezone == "Europe/Berlin"
        assert customer.email_domain == "weber-licht.de"
        assert customer.source is Channel.SITE_INQUIRY
        assert customer.stage is Stage.LEAD
        received = NOW.subtract(minutes=3)
        assert customer.first_contact_at == customer.stage_since == received
        assert customer.last_activity_at == received
        change = StageChange.get(StageChange.customer == customer)
        assert (change.from_stage, change.to_stage, change.at) == (None, Stage.LEAD, received)
        contact = Contact.get(Contact.customer == customer)
        assert contact.is_primary
        assert (contact.email, contact.phone) == ("hans@weber-licht.de", "+49301234567")
        stored = Inquiry.get_by_id(result.inquiry_id)
        assert stored.contact_id == contact.id
        assert (stored.products, stored.quantity, stored.port) == (
            "LED panel 600x600", "2000 pcs", "Hamburg"
        )  # fmt: skip
        assert stored.content_hash and stored.message_id is None
    assert [hit.code for hit in find_customers("Weber")] == ["C-00001"]


def test_new_customers_take_the_next_number(db: None) -> None:
    make_customer(41, company="Old One")
    result = capture(inquiry())
    assert result.customer_code == "C-00042"


def test_free_mail_never_stored_as_domain_nor_linked_by_it(db: None) -> None:
    first = capture(inquiry(email="lee@gmail.com", company="", buyer_name="Lee"))
    second = capture(inquiry(email="kim@gmail.com", company="", buyer_name="Kim", message="Hi"))
    assert first.created_customer and second.created_customer
    assert first.customer_id != second.customer_id
    assert Customer.get_by_id(first.customer_id).email_domain == ""
    # even a customer that (wrongly) holds a free-mail domain is never matched by it
    make_customer(99, company="Legacy", email_domain="qq.com")
    third = capture(inquiry(email="wang@qq.com", company="", buyer_name="Wang", message="Price?"))
    assert third.created_customer


def test_linking_order_email_then_domain_then_company(db: None) -> None:
    by_email = make_customer(1, company="Alpha")
    Contact.create(customer=by_email, email="bob@shared-office.com", is_primary=True)
    by_domain = make_customer(2, company="Beta", email_domain="acme-trading.com")
    by_company = make_customer(3, company="ACME Trading Co., Ltd.")

    same = {"company": "Acme Trading", "country": ""}
    r1 = capture(inquiry(email="Bob@Shared-Office.com", message="one", **same))
    r2 = capture(inquiry(email="new.person@acme-trading.com", message="two", **same))
    r3 = capture(inquiry(email="acme.buyer@gmail.com", message="three", **same))
    r4 = capture(inquiry(email="", phone="", buyer_name="Zed", message="four", **same))
    assert (r1.customer_id, r1.linked_by) == (by_email.id, "email")
    assert (r2.customer_id, r2.linked_by) == (by_domain.id, "domain")
    assert (r3.customer_id, r3.linked_by) == (by_company.id, "company")
    assert (r4.customer_id, r4.linked_by) == (by_company.id, "company")
    assert not any(r.created_customer for r in (r1, r2, r3, r4))
    # the new person at the known customer became another (not primary) contact
    added = Contact.get(Contact.email == "new.person@acme-trading.com")
    assert added.customer_id == by_domain.id and not added.is_primary


def test_an_earlier_inquiry_without_contact_links_by_email(db: None) -> None:
    customer = make_customer(5, company="Imported Elsewhere")
    Inquiry.create(
        customer=customer, channel=Channel.EMAIL, received_at=NOW.subtract(days=3),
        buyer_email="Old.Buyer@Example-Buyer.com", body="older",
    )  # fmt: skip
    result = capture(inquiry(email="old.buyer@example-buyer.com", company="Another Name"))
    assert (result.customer_id, result.linked_by) == (customer.id, "email")


def test_a_merged_customer_links_to_the_one_it_was_merged_into(db: None) -> None:
    kept = make_customer(1, company="Kept")
    merged = make_customer(2, company="Merged", merged_into=kept)
    Contact.create(customer=merged, email="x@merged-co.com")
    result = capture(inquiry(email="x@merged-co.com"))
    assert result.customer_id == kept.id


def test_last_activity_moves_forward_and_first_contact_backward(db: None) -> None:
    customer = make_customer(
        1, company="Weber Licht GmbH", last_activity_at=NOW.subtract(days=10),
        first_contact_at=NOW.subtract(days=20),
    )  # fmt: skip
    capture(inquiry(message="new one"))
    capture(inquiry(message="old mail", received_at=NOW.subtract(days=30)))
    customer = Customer.get_by_id(customer.id)
    assert customer.last_activity_at == NOW.subtract(minutes=3)
    assert customer.first_contact_at == NOW.subtract(days=30)
    assert customer.stage is Stage.INTENT  # an inquiry does not move an existing customer


def test_duplicates_write_nothing(store: Path) -> None:
    first = capture(inquiry(message_id="<abc@mail.example>"))
    before = counts()
    again = capture(inquiry(message_id="abc@mail.example", message="different text"))
    assert again.duplicate and again.inquiry_id == first.inquiry_id
    assert again.customer_code == first.customer_code and not again.created_customer
    # same content without a Message-ID: the content hash finds it (case and spaces aside)
    pasted = capture(inquiry(message="please QUOTE 2000 panels   CIF Hamburg."))
    assert pasted.duplicate and pasted.inquiry_id == first.inquiry_id
    assert counts() == before
    # another minute is another inquiry …
    later = capture(inquiry(received_at=NOW.subtract(minutes=1)))
    assert not later.duplicate
    # … unless the source had no time at all
    untimed = inquiry(message="no time", received_at=NOW, received_at_known=False)
    capture(untimed)
    assert capture(replace(untimed, received_at=NOW.add(days=1))).duplicate


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"message": "  ", "subject": ""}, "message"),
        ({"email": "hans@"}, "email"),
        ({"email": "two@@signs.com"}, "email"),
        ({"email": "", "phone": "", "buyer_name": "", "company": ""}, "buyer_name"),
        ({"received_at": pendulum.naive(2026, 11, 26, 9, 0)}, "received_at"),
        ({"buyer_name": "x" * 300}, "buyer_name"),
        ({"channel": "email"}, "channel"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    store: Path, fields: dict[str, object], field: str
) -> None:
    before = counts()
    with pytest.raises(CaptureError) as caught:
        capture(inquiry(**fields))
    assert caught.value.field == field and caught.value.message
    assert counts() == before


def test_subject_alone_is_enough(db: None) -> None:
    assert not capture(inquiry(message="", subject="Price for T8 tubes?")).duplicate


def test_unknown_country_and_damaged_phone_are_left_out_with_a_warning(db: None) -> None:
    result = capture(inquiry(country="Narnia", phone="-3769"))
    assert len(result.warnings) == 2
    assert "Narnia" in result.warnings[0] and "-3769" in result.warnings[1]
    customer = Customer.get_by_id(result.customer_id)
    assert customer.country == ""
    assert Contact.get(Contact.customer == customer).phone == ""


def test_zone_and_country_from_the_phone(db: None) -> None:
    us = capture(inquiry(email="a@us-buyer.com", company="US Buyer", country="USA",
                         phone="+1 212 555 0100"))  # fmt: skip
    assert Customer.get_by_id(us.customer_id).timezone == "America/New_York"
    ae = capture(inquiry(email="b@ae-buyer.ae", company="AE Buyer", country="",
                         phone="+971 50 123 4567", channel=Channel.WHATSAPP))  # fmt: skip
    customer = Customer.get_by_id(ae.customer_id)
    assert (customer.country, customer.timezone) == ("AE", "Asia/Dubai")
    assert Contact.get(Contact.customer == customer).whatsapp == "+971501234567"


def test_a_batch_is_all_or_nothing(store: Path) -> None:
    good = inquiry(email="one@buyer-one.com", company="One")
    bad = inquiry(email="not-an-address", company="Two")
    batch = capture_many([good, bad])
    assert not batch.committed and batch.rejected == 1
    assert batch.outcomes[0].customer_code == "C-00001"  # type: ignore[union-attr]
    assert isinstance(batch.outcomes[1], CaptureError)
    assert counts() == (0, 0, 0, 0)
    kept = capture_many([good, bad], keep_going=True)
    assert kept.committed and counts()[2] == 1


def test_a_dry_run_reports_real_numbers_and_writes_nothing(store: Path) -> None:
    items = [
        inquiry(email="a@first-co.com", company="First Co", message="a"),
        inquiry(email="b@first-co.com", company="First Co", message="b"),
        inquiry(email="c@second-co.com", company="Second Co", message="c"),
        inquiry(email="c@second-co.com", company="Second Co", message="c"),
    ]
    batch = capture_many(items, dry_run=True)
    codes = [(o.customer_code, o.created_customer, o.duplicate) for o in batch.outcomes]  # type: ignore[union-attr]
    assert codes == [
        ("C-00001", True, False), ("C-00001", False, False),
        ("C-00002", True, False), ("C-00002", False, True),
    ]  # fmt: skip
    assert not batch.committed
    assert counts() == (0, 0, 0, 0)


def test_a_batch_links_by_company_to_customers_it_created(store: Path) -> None:
    batch = capture_many(
        [
            inquiry(email="x@gmail.com", company="Delta Lighting Ltd", message="1"),
            inquiry(email="y@hotmail.com", company="DELTA LIGHTING", message="2"),
        ]
    )
    first, second = batch.outcomes
    assert second.customer_id == first.customer_id  # type: ignore[union-attr]
    assert second.linked_by == "company"  # type: ignore[union-attr]
