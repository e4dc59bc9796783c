"""The playbook's follow-up cadences as plans: which tasks a fact calls for, when, and why.

A fact is something the store knows (a first reply went out, quote PI-2026-0012 was sent and not
answered, a sample was shipped, an order is in production …). For each cadence rule of the
playbook that the fact triggers, `plan()` returns the tasks that should exist, each with a unique
key (rule id | subject | slot) so the service can create them idempotently, and says when a fact no
longer calls for tasks ("the customer answered") so open ones can be closed.

Timing: offsets count on the customer's wall clock (two days later is the same local hour even
across a DST change), and every task then lands on the customer's next business moment in the
customer's zone (sop/cadence.py `business_moment`: 09:00–18:00 on their working days — neither their
weekend nor a public holiday of their country), or in the rep's own working hours for internal work.
A task moved past a holiday says so in its reason ("… Moved past Christmas Day, a public holiday
there."). Pure: no Peewee, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import pendulum

from sopdesk.i18n import N_, _, ngettext
from sopdesk.sop.cadence import BusinessMoment, business_moment
from sopdesk.sop.geo import infer_timezone
from sopdesk.sop.playbook import CadenceRule, Landing, Offset, Playbook, Trigger
from sopdesk.sop.stages import Potential, Stage, TaskKind

HORIZON = timedelta(days=1)
"""Tasks falling due within this much of now are created ahead (so "due today" is complete)."""

KEY_SEPARATOR = "|"


def rule_key(rule_id: str, subject: str, slot: str) -> str:
    return KEY_SEPARATOR.join((rule_id, subject, slot))


def split_key(key: str) -> tuple[str, str, str] | None:
    parts = key.split(KEY_SEPARATOR)
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2]


@dataclass(frozen=True)
class Party:
    """Who a task is for and where they live."""

    customer_id: int
    name: str
    zone: str | None
    country: str | None

    def local_zone(self, fallback: str) -> str:
        return self.zone or infer_timezone(self.country) or fallback


NEW_CUSTOMER_STAGES = frozenset({Stage.LEAD, Stage.INTENT})
"""The background check is for new customers (SOP 2.2), not for a known one's new inquiry."""


@dataclass(frozen=True)
class FirstReplyFact:
    party: Party
    inquiry_id: int | None
    """None: only the customer's background check is in question."""
    replied_at: datetime
    background_check_done: bool
    stage: Stage
    last_inbound_at: datetime | None
    """The customer's latest inbound message or touch (any inquiry, any channel)."""


@dataclass(frozen=True)
class QuoteFact:
    party: Party
    quote_id: int
    number: str
    sent_at: datetime | None
    still_sent: bool
    """Status is still "sent" (not accepted, expired or superseded)."""
    last_inbound_at: datetime | None


@dataclass(frozen=True)
class SampleFact:
    party: Party
    sample_id: int
    product: str
    sent_at: datetime | None
    delivered_at: datetime | None
    feedback_at: datetime | None


@dataclass(frozen=True)
class OrderFact:
    party: Party
    order_id: int
    number: str
    production_since: datetime | None
    """Production start, or the deposit when the start was not recorded."""
    finished_at: datetime | None
    """Production is over: inspected or packed (SOP 5.1 ends with inspection and packing)."""
    shipped_at: datetime | None
    eta: datetime | None
    arrived_at: datetime | None
    feedback_at: datetime | None


@dataclass(frozen=True)
class NurtureFact:
    party: Party
    potential: Potential | None
    last_touch_at: datetime
    """The latest of: the last touch, the delivery, the last nurture task ticked off."""
    delivered: bool
    """Has at least one delivered order (nurturing starts after delivery)."""


Fact = FirstReplyFact | QuoteFact | SampleFact | OrderFact | NurtureFact


@dataclass(frozen=True)
class CadenceTask:
    key: str
    rule_id: str
    kind: TaskKind
    customer_id: int
    inquiry_id: int | None
    due_at: pendulum.DateTime
    """UTC, already landed on a business moment."""
    title: str
    why: str


@dataclass(frozen=True)
class Plan:
    subject: str
    """What the tasks are about ("q12": quote 12); tasks of one subject replace each other."""
    tasks: tuple[CadenceTask, ...]
    closed: str | None = None
    """Why the fact no longer calls for tasks (English source, translate when stored)."""


@dataclass(frozen=True)
class Clock:
    now: pendulum.DateTime
    rep_zone: str


def ago(delta: timedelta) -> str:
    """ "2 days ago", "3 hours ago", "just now" in the UI language."""
    seconds = max(int(delta.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    if days >= 1:
        return ngettext("{n} day ago", "{n} days ago", days).format(n=days)
    hours = rest // 3600
    if hours >= 1:
        return ngettext("{n} hour ago", "{n} hours ago", hours).format(n=hours)
    minutes = rest // 60
    if minutes >= 1:
        return ngettext("{n} minute ago", "{n} minutes ago", minutes).format(n=minutes)
    return _("just now")


def _day(at: datetime, zone: str) -> str:
    return pendulum.instance(at).in_timezone(zone).format("ddd D MMM")


def land(at: datetime, rule: CadenceRule, party: Party, clock: Clock) -> BusinessMoment:
    """The first business moment at or after `at` where the rule says the task belongs, with the
    customer's public holidays it was moved past."""
    if rule.land is Landing.REP:
        return business_moment(at, clock.rep_zone, None)
    return business_moment(at, party.local_zone(clock.rep_zone), party.country)


def moved_note(moment: BusinessMoment) -> str:
    """A sentence for the task's reason when a holiday moved it ("Moved past Christmas Day…")."""
    if not moment.holidays:
        return ""
    return " " + _("Moved past {holiday}, a public holiday there.").format(
        holiday=moment.holidays[0]
    )


def _offset_from(
    base: datetime, offset: Offset, party: Party, clock: Clock, times: int = 1
) -> pendulum.DateTime:
    """`base` plus the offset on the customer's wall clock (DST keeps the local hour)."""
    local = pendulum.instance(base).in_timezone(party.local_zone(clock.rep_zone))
    return offset.add_to(local, times).in_timezone("UTC")


def _task(
    rule: CadenceRule,
    party: Party,
    subject: str,
    slot: str,
    due: BusinessMoment,
    values: Mapping[str, str],
    inquiry_id: int | None = None,
) -> CadenceTask:
    fields = {"customer": party.name, **values}
    return CadenceTask(
        key=rule_key(rule.id, subject, slot),
        rule_id=rule.id,
        kind=rule.kind,
        customer_id=party.customer_id,
        inquiry_id=inquiry_id,
        due_at=due.at,
        title=_(rule.title).format(**fields),
        why=_(rule.why).format(**fields) + moved_note(due),
    )


def _offset_tasks(
    rule: CadenceRule,
    party: Party,
    subject: str,
    base: datetime,
    clock: Clock,
    values: Mapping[str, str],
    inquiry_id: int | None = None,
) -> list[CadenceTask]:
    tasks = []
    for offset in rule.offsets:
        due = land(_offset_from(base, offset, party, clock), rule, party, clock)
        fields = {**values, "ago": ago(due.at - pendulum.instance(base))}
        tasks.append(_task(rule, party, subject, offset.text, due, fields, inquiry_id))
    return tasks


def _answered(last_inbound_at: datetime | None, since: datetime) -> bool:
    return last_inbound_at is not None and last_inbound_at > since


def plan_first_reply(rule: CadenceRule, fact: FirstReplyFact, clock: Clock) -> Plan | None:
    if rule.kind is TaskKind.BACKGROUND_CHECK:
        subject = f"c{fact.party.customer_id}"
        if fact.background_check_done:
            return Plan(subject, (), N_("the background check is recorded"))
        if fact.stage not in NEW_CUSTOMER_STAGES:
            return Plan(subject, (), N_("no longer a new customer"))
        values = {"sent": _day(fact.replied_at, clock.rep_zone)}
        tasks = _offset_tasks(rule, fact.party, subject, fact.replied_at, clock, values)
        return Plan(subject, tuple(tasks))
    if fact.inquiry_id is None:
        return None
    subject = f"i{fact.inquiry_id}"
    if _answered(fact.last_inbound_at, fact.replied_at):
        return Plan(subject, (), N_("the customer answered"))
    values = {"sent": _day(fact.replied_at, clock.rep_zone)}
    tasks = _offset_tasks(
        rule, fact.party, subject, fact.replied_at, clock, values, inquiry_id=fact.inquiry_id
    )
    return Plan(subject, tuple(tasks))


def plan_quote(rule: CadenceRule, fact: QuoteFact, clock: Clock) -> Plan:
    subject = f"q{fact.quote_id}"
    if not fact.still_sent or fact.sent_at is None:
        return Plan(subject, (), N_("the quotation is no longer open"))
    if _answered(fact.last_inbound_at, fact.sent_at):
        return Plan(subject, (), N_("the customer answered"))
    values = {"quote": fact.number, "sent": _day(fact.sent_at, clock.rep_zone)}
    return Plan(
        subject, tuple(_offset_tasks(rule, fact.party, subject, fact.sent_at, clock, values))
    )


def expected_arrival(rule: CadenceRule, fact: SampleFact) -> pendulum.DateTime | None:
    if fact.delivered_at is not None:
        return pendulum.instance(fact.delivered_at)
    if fact.sent_at is None:
        return None
    return pendulum.instance(fact.sent_at).add(days=rule.transit_days or 0)


def plan_sample(rule: CadenceRule, fact: SampleFact, clock: Clock) -> Plan:
    subject = f"s{fact.sample_id}"
    if fact.feedback_at is not None:
        return Plan(subject, (), N_("the sample feedback is recorded"))
    arrival = expected_arrival(rule, fact)
    if arrival is None or fact.sent_at is None:
        return Plan(subject, (), N_("the sample was not sent"))
    values = {
        "product": fact.product,
        "sent": _day(fact.sent_at, clock.rep_zone),
        "arrival": _day(arrival, clock.rep_zone),
    }
    return Plan(subject, tuple(_offset_tasks(rule, fact.party, subject, arrival, clock, values)))


def plan_production(rule: CadenceRule, fact: OrderFact, clock: Clock) -> Plan:
    """One update per `every` from the production start; the latest due one and the next."""
    subject = f"o{fact.order_id}"
    if fact.production_since is None or rule.every is None:
        return Plan(subject, (), N_("the order is not in production"))
    if fact.finished_at is not None or fact.shipped_at is not None or fact.arrived_at is not None:
        return Plan(subject, (), N_("production is finished"))
    since = pendulum.instance(fact.production_since)
    values = {"order": fact.number, "since": _day(since, clock.rep_zone)}
    tasks: list[CadenceTask] = []
    week = 1
    while week < 520:
        at = _offset_from(since, rule.every, fact.party, clock, times=week)
        due = land(at, rule, fact.party, clock)
        if due.at > clock.now + HORIZON:
            break
        tasks.append(
            _task(rule, fact.party, subject, f"w{week}", due, {**values, "week": str(week)})
        )
        week += 1
    return Plan(subject, tuple(tasks))


def plan_eta(rule: CadenceRule, fact: OrderFact, clock: Clock) -> Plan:
    subject = f"o{fact.order_id}"
    if fact.arrived_at is not None:
        return Plan(subject, (), N_("the arrival is recorded"))
    if fact.eta is None:
        return Plan(subject, (), N_("the order has no ETA"))
    eta = pendulum.instance(fact.eta)
    values = {"order": fact.number, "eta": _day(eta, clock.rep_zone)}
    tasks = []
    for offset in rule.offsets:
        due = land(_offset_from(eta, offset, fact.party, clock), rule, fact.party, clock)
        # A new ETA is a new arrival check: the slot carries the date.
        slot = f"{eta.format('YYYYMMDD')}+{offset.text}"
        tasks.append(_task(rule, fact.party, subject, slot, due, values))
    return Plan(subject, tuple(tasks))


def plan_delivered(rule: CadenceRule, fact: OrderFact, clock: Clock) -> Plan:
    subject = f"o{fact.order_id}"
    if fact.feedback_at is not None:
        return Plan(subject, (), N_("the feedback is recorded"))
    if fact.arrived_at is None:
        return Plan(subject, (), N_("the order has not arrived"))
    values = {"order": fact.number, "arrived": _day(fact.arrived_at, clock.rep_zone)}
    return Plan(
        subject, tuple(_offset_tasks(rule, fact.party, subject, fact.arrived_at, clock, values))
    )


def nurture_interval(rule: CadenceRule, potential: Potential | None) -> Offset | None:
    key = potential.value if potential is not None else "unrated"
    return rule.intervals.get(key) or rule.intervals.get("unrated")


def plan_nurture(rule: CadenceRule, fact: NurtureFact, clock: Clock) -> Plan:
    subject = f"c{fact.party.customer_id}"
    interval = nurture_interval(rule, fact.potential)
    if not fact.delivered or interval is None:
        return Plan(subject, (), N_("no delivered order yet"))
    base = pendulum.instance(fact.last_touch_at)
    at = _offset_from(base, interval, fact.party, clock)
    due = land(at, rule, fact.party, clock)
    values = {
        "potential": fact.potential.value if fact.potential else _("unrated"),
        "ago": ago(due.at - base),
    }
    slot = base.in_timezone("UTC").format("YYYYMMDD")
    return Plan(subject, (_task(rule, fact.party, subject, slot, due, values),))


def plan(rule: CadenceRule, fact: Fact, clock: Clock) -> Plan | None:
    """The tasks `rule` asks for on `fact`; None when the rule does not apply to this fact."""
    trigger = rule.trigger
    if trigger is Trigger.FIRST_REPLY and isinstance(fact, FirstReplyFact):
        return plan_first_reply(rule, fact, clock)
    if trigger is Trigger.QUOTE_SENT and isinstance(fact, QuoteFact):
        return plan_quote(rule, fact, clock)
    if trigger is Trigger.SAMPLE_SHIPPED and isinstance(fact, SampleFact):
        return plan_sample(rule, fact, clock)
    if isinstance(fact, OrderFact):
        if trigger is Trigger.PRODUCTION:
            return plan_production(rule, fact, clock)
        if trigger is Trigger.ETA:
            return plan_eta(rule, fact, clock)
        if trigger is Trigger.DELIVERED:
            return plan_delivered(rule, fact, clock)
    if trigger is Trigger.NURTURE and isinstance(fact, NurtureFact):
        return plan_nurture(rule, fact, clock)
    return None


@dataclass(frozen=True)
class Decision:
    """What to do with one subject's tasks, given what exists already."""

    create: tuple[CadenceTask, ...]
    retire: tuple[tuple[str, str], ...]
    """(existing open key, English reason)."""


def decide(plans: list[Plan], existing: Mapping[str, bool], clock: Clock) -> Decision:
    """Which planned tasks to create and which open ones to close, for one subject of a trigger.

    `existing` maps the keys of the subject's existing tasks (made by rules the playbook still
    has) to whether that task is still open. Of the tasks already due, only the latest is wanted:
    when the +5-day follow-up falls due, an unticked +2-day one is closed as superseded, and an
    old quote seen for the first time gets one task, not three overdue ones. Tasks falling due
    within the horizon are created ahead; later ones wait for a later run.
    """
    planned = [task for p in plans for task in p.tasks]
    closed = next((p.closed for p in plans if p.closed), None)
    due = [t for t in planned if t.due_at <= clock.now]
    latest_due = max(due, key=lambda t: (t.due_at, t.key)) if due else None
    wanted = {
        t.key: t
        for t in planned
        if t is latest_due
        or t.kind is TaskKind.BACKGROUND_CHECK
        or clock.now < t.due_at <= clock.now + HORIZON
    }
    create = tuple(t for key, t in sorted(wanted.items()) if key not in existing)
    planned_due = {t.key: t.due_at <= clock.now for t in planned}
    retire: list[tuple[str, str]] = []
    for key, is_open in sorted(existing.items()):
        if not is_open or key in wanted:
            continue
        if key in planned_due:
            if planned_due[key]:
                retire.append((key, N_("superseded by a later follow-up")))
        else:
            retire.append((key, closed or N_("no longer planned by the playbook")))
    return Decision(create, tuple(retire))


def rules_by_trigger(playbook: Playbook) -> dict[Trigger, tuple[CadenceRule, ...]]:
    return {trigger: playbook.cadences_for(trigger) for trigger in Trigger}
