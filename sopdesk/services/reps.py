"""The team: reps and managers, their profiles, who owns what, and reassigning customers.

A rep is the login running sopdesk. Managers see everyone's work, may open sopdesk as another rep
(`sopdesk --rep LOGIN`) and give customers to another rep; a reassignment keeps its history as a
system entry on the customer's timeline ("reassigned from A to B").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pendulum
from peewee import JOIN, IntegrityError, fn

from sopdesk import clock
from sopdesk.i18n import _
from sopdesk.sop.stages import ActivityKind, Direction, RepRole
from sopdesk.store.db import database
from sopdesk.store.models import Activity, Customer, Inquiry, Rep, Task

PROFILE_FIELDS = ("name", "title", "email", "whatsapp", "signature", "timezone", "language", "role")
LOGIN = re.compile(r"^[a-z_][a-z0-9_.-]{0,63}$", re.IGNORECASE)
"""A Unix login name (what `whoami` prints)."""
LIMIT = 500
"""Reps listed at most: a team, not a call centre."""


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

    @property
    def is_manager(self) -> bool:
        return self.role is RepRole.MANAGER

    @property
    def label(self) -> str:
        return self.name or self.login


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
    )


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
        if values.get("role") is RepRole.REP and rep.role is RepRole.MANAGER:
            managers = Rep.select().where(Rep.role == RepRole.MANAGER).count()
            if managers <= 1:
                raise RepError(
                    _("{login} is the only manager; make another one first").format(login=login)
                )
        if values:
            Rep.update(**values, updated_at=clock.now()).where(Rep.id == rep.id).execute()
        rep = Rep.get_by_id(rep.id)
    return _view(rep)


def list_reps() -> list[RepView]:
    """Every rep with how many active customers they own, by login."""
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
    other = rep_by_login(other_login)
    if other is None:
        raise RepError(
            _("no rep with the login {login} (see sopdesk rep list)").format(login=other_login)
        )
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
        if by is None or by.role is not RepRole.MANAGER:
            raise RepError(_("only a manager can give a customer to another rep"))
        to = Rep.get_or_none(Rep.id == to_rep_id)
        if to is None:
            raise RepError(_("no rep {id}").format(id=to_rep_id))
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
        from_name = (old.name or old.login) if old is not None else "nobody"
        to_name = to.name or to.login
        Activity.create(  # stored words stay English, like every system entry
            customer=customer_id,
            kind=ActivityKind.SYSTEM,
            direction=Direction.NONE,
            at=now,
            subject=f"Reassigned from {from_name} to {to_name}",
            text=f"by {by.name or by.login}; {inquiries} unanswered inquiries and {tasks} open "
            "follow-ups moved with the customer",
            by=by.id,
        )
    return Reassignment(customer_id, from_name, to_name, int(inquiries), int(tasks))


def may_change(actor_login: str, target_login: str | None, role_change: bool) -> None:
    """RepError unless `actor_login` may add a rep (`target_login` None) or change a profile.

    A manager may do anything; a rep may edit their own profile but not roles; while a database
    has no manager yet (a new one), anyone may. This is a guard against mistakes, not security:
    whoever can write the database file can change it (docs/team.md).
    """
    with database.connection_context():
        has_manager = Rep.select().where(Rep.role == RepRole.MANAGER).exists()
        actor = Rep.get_or_none(Rep.login == actor_login)
    if not has_manager or (actor is not None and actor.role is RepRole.MANAGER):
        return
    if target_login is None:
        raise RepError(_("only a manager can add reps"))
    if role_change:
        raise RepError(_("only a manager can change roles"))
    if target_login != actor_login:
        raise RepError(_("only a manager can change another rep's profile"))
