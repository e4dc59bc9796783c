"""Holiday greetings: the customer's public holidays, a task a few days before, for the
customers worth greeting; run twice, nothing doubles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pendulum

from sopdesk.services import greetings, sales_tasks
from sopdesk.sop.stages import Potential, Stage
from sopdesk.store import db
from sopdesk.store.models import Customer, Task


def test_upcoming_holidays_are_the_greeted_ones_once_each() -> None:
    uae = greetings.upcoming("AE", date(2026, 11, 27), 10)
    assert [(h.day, h.name) for h in uae] == [(date(2026, 12, 2), "National Day")]
    germany = greetings.upcoming("de", date(2026, 12, 20), 10)
    assert [h.name for h in germany] == ["Christmas Day"]  # not also "Second Day of Christmas"
    saudi = greetings.upcoming("SA", date(2026, 3, 1), 30)
    assert [h.name for h in saudi] == ["Eid al-Fitr"]  # four days off, one greeting
    assert greetings.upcoming("", date(2026, 1, 1)) == []
    assert greetings.upcoming("ZZ", date(2026, 1, 1)) == []
    assert greetings.next_holiday("US", date(2026, 11, 20)).name == "Thanksgiving Day"


def test_who_gets_greetings() -> None:
    assert greetings.wants_greetings(Stage.LOYAL, None)
    assert greetings.wants_greetings(Stage.DORMANT, Potential.C)
    assert greetings.wants_greetings(Stage.NEGOTIATION, Potential.A)
    assert not greetings.wants_greetings(Stage.NEGOTIATION, Potential.B)
    assert not greetings.wants_greetings(Stage.LEAD, Potential.A)
    assert not greetings.wants_greetings(Stage.LOST, Potential.A)


def test_a_greeting_task_a_few_days_before(store: Path, frozen_clock: pendulum.DateTime) -> None:
    with db.database.connection_context():
        loyal = Customer.create(
            number=1, company="Gulf Star", country="AE", stage=Stage.LOYAL,
            stage_since=frozen_clock,
        )  # fmt: skip
        lead = Customer.create(
            number=2, company="New One", country="AE", stage=Stage.LEAD, stage_since=frozen_clock
        )
    zone = "Asia/Shanghai"
    early = frozen_clock.subtract(days=5)  # 22 Nov: National Day (2 Dec) is too far off
    assert greetings.refresh(early, zone) == (0, 0)
    created, _closed = greetings.refresh(frozen_clock, zone)  # 27 Nov: 29 Nov is the day
    assert created == 0  # 29 Nov is more than a day ahead
    on_time = frozen_clock.add(days=2)
    assert greetings.refresh(on_time, zone)[0] == 1
    assert greetings.refresh(on_time, zone) == (0, 0)
    (task,) = sales_tasks.open_reminders(loyal.id, [sales_tasks.RULE_HOLIDAY])
    assert "National Day on Wed 2 Dec" in task.title
    local = task.due_at.in_timezone("Asia/Dubai")
    assert date(2026, 11, 29) <= local.date() < date(2026, 12, 2) and local.hour == 9
    assert sales_tasks.open_reminders(lead.id) == []
    # later, a new holiday adds its own task and keeps the first
    assert greetings.refresh(pendulum.datetime(2026, 12, 30, 4, tz="UTC"), zone)[0] == 1
    with db.database.connection_context():
        keys = sorted(t.rule_key for t in Task.select().where(Task.customer == loyal.id))
    assert [k.split("|")[2][:10] for k in keys] == ["2026-12-02", "2027-01-01"]
