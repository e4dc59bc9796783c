"""The team: reps and managers, their profiles, who owns what, and reassigning customers.

A rep is the login running sopdesk. Managers see everyone's work, may open sopdesk as another rep
(`sopdesk --rep LOGIN`) and give customers to another rep; a reassignment keeps its history as a
system entry on the customer's timeline ("reassigned from A to B", an event worded when read).

A rep who leaves is deactivated (`sopdesk rep deactivate LOGIN`), never deleted: they can no longer
open sopdesk or receive new inquiries, but their name stays on the history, the reports and the
owner columns, marked "(inactive)". Their customers, open inquiries and open follow-ups move to
another rep at once (`--reassign-to`) or later, one customer at a time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pendulum
from peewee import JOIN, Case, IntegrityError, Value, fn

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.services.cadence_facts import chunks
from sopdesk.services.timeline_events import Event, event_text
from sopdesk.sop.stages import ActivityKind, Direction, RepRole
from sopdesk.store.db import database
from sopdesk.store.models import Activity, Customer, Inquiry, Rep, Task

PROFILE_FIELDS = ("name", "title", "email", "whatsapp", "signature", "timezone", "language", "role")
LOGIN = re.compile(r"^[a-z_][a-z0-9_.-]{0,63}$", re.IGNORECASE)
"""A Unix login name (what `whoami` prints)."""
LIMIT = 500
"""Reps listed at most: a team, not a call centre."""
HISTORY_BATCH = 500
"""Timeline entries written per INSERT when a leaving rep's customers move."""


class RepError(Exception):
    """A change to the team was refused; the message says why."""


@dataclass(frozen=True)
class RepView:
    rep_id: int
    login: str
    name: str
    title: str
    email: str
    whatsapp: str
    signature: str
    timezone: str
    language: str
    role: RepRole
    customers: int = 0
    """Active customers they own."""
    deactivated_at: pendulum.DateTime | None = None
    """When a manager deactivated them (they left); None while they work here."""

    @property
    def is_manager(self) -> bool:
        return self.role is RepRole.MANAGER

    @property
    def active(self) -> bool:
        return self.deactivated_at is None

    @property
    def label(self) -> str:
        """The name shown for them: "Li Wei", or "Li Wei (inactive)" once deactivated."""
        name = self.name or self.login
        return name if self.active else inactive_name(name)


def inactive_name(name: str) -> str:
    return _("{name} (inactive)").format(name=name)


def shown_name_sql(rep: Any = Rep) -> Any:
    """The rep's name as history and owner columns show it: marked "(inactive)" once they left.

    An expression over `rep` (Rep or an alias of it, joined in the caller's query; a LEFT OUTER
    join gives NULL for nobody), so the mark costs no extra query per row.
    """
    prefix, _sep, suffix = inactive_name("\0").partition("\0")
    marked: Any = rep.name
    if prefix:
        marked = Value(prefix).concat(marked)
    if suffix:
        marked = marked.concat(suffix)
    return Case(None, [(rep.deactivated_at.is_null(), rep.name)], marked)


def _view(rep: Any, customers: int = 0) -> RepView:
    return RepView(
        rep_id=int(rep.id),
        login=rep.login,
        name=rep.name,
        title=rep.title,
        email=rep.email,
        whatsapp=rep.whatsapp,
        signature=rep.signature,
        timezone=rep.timezone,
        language=rep.language,
        role=rep.role,
        customers=customers,
        deactivated_at=rep.deactivated_at,
    )


def _active_managers() -> Any:
    return Rep.select().where(Rep.role == RepRole.MANAGER, Rep.is_active_clause())


def _clean(values: Mapping[str, str]) -> dict[str, Any]:
    """Profile values as stored; RepError names the first bad one."""
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in PROFILE_FIELDS:
            raise RepError(_("{field} is not a profile field").format(field=name))
        text = value.strip() if name != "signature" else value.replace("\r\n", "\n").strip()
        if name == "role":
            try:
                clean[name] = RepRole(text.lower())
            except ValueError:
                raise RepError(
                    _("role is rep or manager, not {value!r}").format(value=value)
                ) from None
        elif name == "timezone":
            try:
                pendulum.timezone(text)
            except Exception:
                raise RepError(
                    _("{value!r} is not a time zone (write it like Asia/Shanghai)").format(
                        value=value
                    )
                ) from None
            clean[name] = text
        elif name == "email" and text and "@" not in text:
            raise RepError(_("{value!r} is not an e-mail address").format(value=value))
        elif name == "signature":
            clean[name] = text[:2000]
        else:
            clean[name] = text[:255]
    return clean


def add_rep(login: str, **profile: str) -> RepView:
    """A new rep (or manager with role="manager"); RepError when the login is taken or bad."""
    login = login.strip()
    if not LOGIN.match(login):
        raise RepError(_("{login!r} is not a login name").format(login=login))
    values = _clean(profile)
    values.setdefault("name", login)
    with database.connection_context():
        try:
            with database.atomic():
                rep = Rep.create(login=login, **values)
        except IntegrityError:
            raise RepError(
                _("there is already a rep with the login {login}").format(login=login)
            ) from None
    return _view(rep)


def update_rep(login: str, **changes: str) -> RepView:
    values = _clean(changes)
    with database.connection_context(), database.atomic():
        rep = Rep.get_or_none(Rep.login == login)
        if rep is None:
            raise RepError(_("no rep with the login {login}").format(login=login))
        demoted = values.get("role") is RepRole.REP and _is_manager(rep)
        if demoted and _active_managers().count() <= 1:
            raise RepError(
                _("{login} is the only manager; make another one first").format(login=login)
            )
        if values:
            Rep.update(**values, updated_at=clock.now()).where(Rep.id == rep.id).execute()
        rep = Rep.get_by_id(rep.id)
    return _view(rep)


def list_reps() -> list[RepView]:
    """Every rep (deactivated ones too) with how many active customers they own, by login."""
    owned = fn.COUNT(Customer.id)
    with database.connection_context():
        rows = (
            Rep.select(Rep, owned.alias("owned"))
            .join(
                Customer,
                JOIN.LEFT_OUTER,
                on=((Customer.owner == Rep.id) & Customer.merged_into.is_null()),
            )
            .group_by(Rep.id)
            .order_by(Rep.login)
            .limit(LIMIT)
        )
        return [_view(r, int(getattr(r, "owned", 0) or 0)) for r in rows]


def next_in_scope(current: int | None) -> RepView | None:
    """A manager's `t` on the workbench and the customer sheet: from the team (None) to the first
    rep, from each rep to the next, after the last back to the team (None). The reps in turn are
    those whose role is "rep" (everyone on a team of managers only), deactivated ones too: what
    they still own stays in view, under their marked name."""
    team = list_reps()
    turns = [r for r in team if not r.is_manager] or team
    ids = [r.rep_id for r in turns]
    if current is None:
        return turns[0] if turns else None
    if current in ids and ids.index(current) + 1 < len(ids):
        return turns[ids.index(current) + 1]
    return None


def rep_by_login(login: str) -> RepView | None:
    with database.connection_context():
        rep = Rep.get_or_none(Rep.login == login)
        return _view(rep) if rep is not None else None


def rep_by_id(rep_id: int) -> RepView | None:
    with database.connection_context():
        rep = Rep.get_or_none(Rep.id == rep_id)
        return _view(rep) if rep is not None else None


def act_as(own_login: str, other_login: str) -> RepView:
    """The rep a manager opens sopdesk as (`--rep`); RepError for anyone but a manager."""
    me = rep_by_login(own_login)
    if me is None or not me.is_manager:
        raise RepError(
            _("only a manager may work as another rep; {login} is not one "
              "(a manager runs: sopdesk rep set {login} --role manager)").format(login=own_login)
        )  # fmt: skip
    if not me.active:
        raise RepError(_("{login} is deactivated").format(login=own_login))
    other = rep_by_login(other_login)
    if other is None:
        raise RepError(
            _("no rep with the login {login} (see sopdesk rep list)").format(login=other_login)
        )
    if not other.active:
        raise RepError(
            _("{login} is deactivated; their work shows in the team view "
              "(or: sopdesk rep activate {login})").format(login=other_login)
        )  # fmt: skip
    return other


@dataclass(frozen=True)
class Reassignment:
    customer_id: int
    from_name: str
    to_name: str
    inquiries: int
    """Unanswered inquiries that moved with the customer."""
    tasks: int
    """Open follow-ups that moved with the customer."""


def reassign_customer(customer_id: int, to_rep_id: int, by_rep_id: int | None) -> Reassignment:
    """Give a customer (with its unanswered inquiries and open follow-ups) to another rep.

    Only a manager may (RepError otherwise, also when `by_rep_id` is None). The change is kept on
    the timeline as a system entry naming both reps and the manager.
    """
    now = clock.now()
    with database.connection_context(), database.atomic():
        by = Rep.get_or_none(Rep.id == by_rep_id) if by_rep_id is not None else None
        if by is None or by.role is not RepRole.MANAGER or not by.is_active:
            raise RepError(_("only a manager can give a customer to another rep"))
        to = Rep.get_or_none(Rep.id == to_rep_id)
        if to is None:
            raise RepError(_("no rep {id}").format(id=to_rep_id))
        if not to.is_active:
            raise RepError(_("{rep} is deactivated").format(rep=to.name or to.login))
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            raise RepError(_("no customer {id}").format(id=customer_id))
        old = Rep.get_or_none(Rep.id == customer.owner_id) if customer.owner_id else None
        if old is not None and old.id == to.id:
            raise RepError(
                _("{customer} is already {rep}'s").format(
                    customer=customer.code, rep=to.name or to.login
                )
            )
        Customer.update(owner=to.id, version=Customer.version + 1, updated_at=now).where(
            Customer.id == customer_id
        ).execute()
        inquiries = (
            Inquiry.update(owner=to.id, updated_at=now)
            .where(Inquiry.customer == customer_id, Inquiry.first_reply_at.is_null())
            .execute()
        )
        tasks = (
            Task.update(owner=to.id, updated_at=now)
            .where(
                Task.customer == customer_id,
                Task.done_at.is_null(),
                Task.skipped_reason.is_null(),
            )
            .execute()
        )
        from_name = (old.name or old.login) if old is not None else ""
        to_name = to.name or to.login
        Activity.create(**_reassigned(customer_id, from_name, to_name, by, now, inquiries, tasks))
    return Reassignment(customer_id, from_name or _("nobody"), to_name, int(inquiries), int(tasks))


def _reassigned(
    customer_id: int,
    from_name: str,
    to_name: str,
    by: Any,
    now: pendulum.DateTime,
    inquiries: int,
    tasks: int,
    left: bool = False,
) -> dict[str, Any]:
    """The timeline entry of a reassignment: an event, worded when read (timeline_events)."""
    return {
        "customer": customer_id,
        "kind": ActivityKind.SYSTEM,
        "direction": Direction.NONE,
        "at": now,
        "subject": f"{from_name or '—'} → {to_name}",
        "text": event_text(
            Event.REASSIGNED,
            old=from_name,
            new=to_name,
            manager=by.name or by.login,
            inquiries=int(inquiries),
            tasks=int(tasks),
            left=left,
        ),
        "by": by.id,
    }


def may_change(actor_login: str, target_login: str | None, role_change: bool) -> None:
    """RepError unless `actor_login` may add a rep (`target_login` None) or change a profile.

    A manager may do anything; a rep may edit their own profile but not roles; while a database
    has no manager yet (a new one), anyone may. This is a guard against mistakes, not security:
    whoever can write the database file can change it (docs/team.md).
    """
    with database.connection_context():
        has_manager = _active_managers().exists()
        actor = Rep.get_or_none(Rep.login == actor_login)
    if not has_manager or (actor is not None and _is_manager(actor)):
        return
    if target_login is None:
        raise RepError(_("only a manager can add reps"))
    if role_change:
        raise RepError(_("only a manager can change roles"))
    if target_login != actor_login:
        raise RepError(_("only a manager can change another rep's profile"))


def _is_manager(rep: Any) -> bool:
    """An active manager: a deactivated one keeps the role on record but no rights."""
    return bool(rep.role is RepRole.MANAGER and rep.is_active)


# --- a rep who leaves --------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnedWork:
    """What a rep owns that someone must take over when they leave."""

    customers: int
    """Active (not merged) customers."""
    inquiries: int
    """Open inquiries: unanswered and not archived."""
    tasks: int
    """Open follow-ups: neither done nor skipped."""

    @property
    def anything(self) -> bool:
        return bool(self.customers or self.inquiries or self.tasks)


@dataclass(frozen=True)
class Deactivation:
    rep: RepView
    already: bool
    """They were deactivated before (only their work moved, if asked)."""
    left: OwnedWork
    """What they still own afterwards (nothing when it moved)."""
    moved: OwnedWork | None = None
    to_name: str = ""


def _open_inquiries(rep_id: int) -> tuple[Any, ...]:
    """WHERE clauses: a rep's open inquiries (unanswered, not archived)."""
    return (Inquiry.owner == rep_id, Inquiry.first_reply_at.is_null(), ~Inquiry.archived)


def _open_tasks(rep_id: int) -> tuple[Any, ...]:
    """WHERE clauses: a rep's open follow-ups (neither done nor skipped)."""
    return (Task.owner == rep_id, Task.done_at.is_null(), Task.skipped_reason.is_null())


def _owned_customers(rep_id: int) -> tuple[Any, ...]:
    return (Customer.owner == rep_id, Customer.merged_into.is_null())


def _owned(rep_id: int) -> OwnedWork:
    return OwnedWork(
        customers=Customer.select(Customer.id).where(*_owned_customers(rep_id)).count(),
        inquiries=Inquiry.select(Inquiry.id).where(*_open_inquiries(rep_id)).count(),
        tasks=Task.select(Task.id).where(*_open_tasks(rep_id)).count(),
    )


def _manager(actor_login: str, action: str) -> Any:
    actor = Rep.get_or_none(Rep.login == actor_login)
    if actor is None or not _is_manager(actor):
        raise RepError(action)
    return actor


def _leaving(login: str, actor_login: str, reassign_to: str | None) -> tuple[Any, Any, Any | None]:
    """(actor, rep, new owner) after every check, inside the caller's connection."""
    actor = _manager(actor_login, _("only a manager can deactivate a rep"))
    rep = Rep.get_or_none(Rep.login == login)
    if rep is None:
        raise RepError(
            _("no rep with the login {login} (see sopdesk rep list)").format(login=login)
        )
    if rep.is_active and rep.role is RepRole.MANAGER and _active_managers().count() <= 1:
        raise RepError(
            _("{login} is the last active manager; make another one first "
              "(sopdesk rep set LOGIN --role manager)").format(login=login)
        )  # fmt: skip
    to = None
    if reassign_to is not None:
        to = Rep.get_or_none(Rep.login == reassign_to)
        if to is None:
            raise RepError(
                _("no rep with the login {login} (see sopdesk rep list)").format(login=reassign_to)
            )
        if to.id == rep.id:
            raise RepError(_("the work of {login} cannot go to themselves").format(login=login))
        if not to.is_active:
            raise RepError(_("{login} is deactivated too").format(login=reassign_to))
    return actor, rep, to


def check_deactivation(login: str, actor_login: str, reassign_to: str | None = None) -> OwnedWork:
    """What `login` owns, or RepError when deactivating them would be refused (asked first)."""
    with database.connection_context():
        _actor, rep, _to = _leaving(login, actor_login, reassign_to)
        return _owned(rep.id)


def _per_customer(query: Any) -> dict[int, int]:
    """customer id → count, for a `SELECT customer, COUNT(…)` grouped here."""
    rows: Any = query.group_by(query.model.customer).tuples()
    return {int(customer): int(count) for customer, count in rows if customer is not None}


def _move_work(rep: Any, to: Any, by: Any, now: pendulum.DateTime) -> OwnedWork:
    """Everything open `rep` owns goes to `to`, in bulk, with a timeline entry per customer."""
    customers = [int(c.id) for c in Customer.select(Customer.id).where(*_owned_customers(rep.id))]
    inquiry_counts = _per_customer(
        Inquiry.select(Inquiry.customer, fn.COUNT(Inquiry.id)).where(*_open_inquiries(rep.id))
    )
    task_counts = _per_customer(
        Task.select(Task.customer, fn.COUNT(Task.id)).where(*_open_tasks(rep.id))
    )
    from_name, to_name = (r.name or r.login for r in (rep, to))
    entries = [
        _reassigned(
            customer_id,
            from_name,
            to_name,
            by,
            now,
            inquiry_counts.get(customer_id, 0),
            task_counts.get(customer_id, 0),
            left=True,
        )
        for customer_id in customers
    ]
    for batch in chunks(entries, HISTORY_BATCH):
        Activity.insert_many(batch).execute()
    moved_customers = (
        Customer.update(owner=to.id, version=Customer.version + 1, updated_at=now)
        .where(*_owned_customers(rep.id))
        .execute()
    )
    inquiries = (
        Inquiry.update(owner=to.id, updated_at=now).where(*_open_inquiries(rep.id)).execute()
    )
    tasks = Task.update(owner=to.id, updated_at=now).where(*_open_tasks(rep.id)).execute()
    return OwnedWork(int(moved_customers), int(inquiries), int(tasks))


def deactivate_rep(login: str, actor_login: str, reassign_to: str | None = None) -> Deactivation:
    """A rep who left: they no longer open sopdesk or receive new inquiries (managers only).

    With `reassign_to`, their customers, open inquiries and open follow-ups go to that (active)
    rep, each customer's timeline noting it; without, they keep them until a manager reassigns
    them. The last active manager cannot be deactivated. Deactivating someone already inactive
    only moves their work.
    """
    now = clock.now()
    with database.connection_context(), database.atomic():
        actor, rep, to = _leaving(login, actor_login, reassign_to)
        already = not rep.is_active
        if not already:
            Rep.update(deactivated_at=now, updated_at=now).where(Rep.id == rep.id).execute()
        moved = _move_work(rep, to, actor, now) if to is not None else None
        left = _owned(rep.id)
        rep = Rep.get_by_id(rep.id)
    return Deactivation(
        rep=_view(rep, left.customers),
        already=already,
        left=left,
        moved=moved,
        to_name=(to.name or to.login) if to is not None else "",
    )


def activate_rep(login: str, actor_login: str) -> tuple[RepView, bool]:
    """A deactivated rep works here again (managers only); (rep, whether it changed anything)."""
    now = clock.now()
    with database.connection_context(), database.atomic():
        _manager(actor_login, _("only a manager can activate a rep"))
        rep = Rep.get_or_none(Rep.login == login)
        if rep is None:
            raise RepError(
                _("no rep with the login {login} (see sopdesk rep list)").format(login=login)
            )
        changed = not rep.is_active
        if changed:
            Rep.update(deactivated_at=None, updated_at=now).where(Rep.id == rep.id).execute()
            rep = Rep.get_by_id(rep.id)
    return _view(rep), changed
