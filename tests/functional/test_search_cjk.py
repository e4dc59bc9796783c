"""A Chinese (or Japanese) rep searches the customer sheet as they type: part of a company name,
of a contact's name or of a message finds the customer."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input
from textual.worker import WorkerCancelled

from sopdesk.sop.stages import Channel, Stage
from sopdesk.store import db, search
from sopdesk.store.models import Contact, Customer, Inquiry, Rep
from sopdesk.ui.screens.customers import CustomersScreen
from sopdesk.ui.widgets.table import SopTable
from tests.conftest import FROZEN_NOW

from .conftest import settle

SIZE = (160, 48)


async def _settle(pilot) -> None:
    """`settle`, where a newer exclusive worker may have cancelled one it waits for (a search
    typed slowly on a busy machine: the previous search's worker)."""
    for _ in range(5):
        try:
            await settle(pilot)
            return
        except WorkerCancelled:
            continue
    await settle(pilot)


async def _settle_search(pilot) -> None:
    await pilot.pause(0.3)  # the search runs after a short pause in typing
    await _settle(pilot)


def _add_customers() -> dict[str, str]:
    """Three customers the demo does not have, owned by the demo rep; their codes by name."""
    with db.database.connection_context(), db.database.atomic():
        rep = Rep.get(Rep.login == "demo")
        top = Customer.select().order_by(Customer.number.desc()).first().number
        codes = {}
        for n, (key, company) in enumerate(
            (
                ("huaqiang", "深圳市华强电子有限公司"),
                ("sakura", "株式会社サクラ電機"),
                ("quiet", "Quiet Buyer GmbH"),
            ),
            start=1,
        ):
            customer = Customer.create(
                number=top + n, company=company, stage=Stage.LEAD, stage_since=FROZEN_NOW,
                owner=rep,
            )  # fmt: skip
            if key == "huaqiang":
                Contact.create(customer=customer, name="张伟", email="zw@huaqiang.example")
            if key == "quiet":
                Inquiry.create(
                    customer=customer, channel=Channel.EMAIL, received_at=FROZEN_NOW,
                    subject="询价", body="请报LED工矿灯150W的最好价格，数量500个。",
                )  # fmt: skip
            search.index_customer(customer.id)
            codes[key] = customer.code
    return codes


async def _search(pilot, screen: CustomersScreen, *keys: str) -> list[str]:
    search_box = screen.query_one("#customers-search", Input)
    search_box.value = ""
    await pilot.press("slash")
    assert screen.focused is search_box
    await pilot.press(*keys)
    await _settle_search(pilot)
    table = screen.query_one(SopTable)
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


@pytest.mark.backends
async def test_typing_chinese_finds_part_of_a_name_or_a_message(demo_app) -> None:
    codes = _add_customers()
    async with demo_app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("c")
        await _settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CustomersScreen)

        assert await _search(pilot, screen, "华", "强") == [codes["huaqiang"]]
        assert screen.total == 1
        assert "华强" in str(screen.query_one("#customers-filter").render())
        assert await _search(pilot, screen, "伟") == [codes["huaqiang"]]  # a contact's name
        assert await _search(pilot, screen, *"最好价格") == [codes["quiet"]]  # a message
        assert await _search(pilot, screen, *"华强LED") == []
        assert await _search(pilot, screen, *"强华") == []  # the characters in the order typed

        # An input method commits a whole word at once, as a paste.
        box = screen.query_one("#customers-search", Input)
        box.value = ""
        box.post_message(events.Paste("サクラ"))
        await _settle_search(pilot)
        table = screen.query_one(SopTable)
        assert box.value == "サクラ"
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == [codes["sakura"]]
