"""`sopdesk rep add|list|set|assign|deactivate|activate`: the team on a shared database, who owns
which customer, and a rep who leaves."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from sopdesk.commands.base import group
from sopdesk.commands.common import DB_HELP, current_rep, db_target, fail, open_store, safe
from sopdesk.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from sopdesk.services.reps import OwnedWork

PROFILE_OPTIONS = (
    ("name", N_("Full name, as customers see it.")),
    ("title", N_("Job title for signatures and PIs.")),
    ("email", N_("E-mail address.")),
    ("whatsapp", N_("WhatsApp number (+86 …).")),
    ("signature", N_("Signature block for replies (use \\n for new lines).")),
    ("timezone", N_("IANA time zone, e.g. Asia/Shanghai.")),
    ("language", N_("Interface language: en or zh_CN.")),
)


def _db_option(command: Callable[..., None]) -> Callable[..., None]:
    return click.option("--db", "db_option", help=DB_HELP)(command)


def _profile_options(command: Callable[..., None]) -> Callable[..., None]:
    command = click.option(
        "--role", type=click.Choice(["rep", "manager"]), help=N_("rep (default) or manager.")
    )(command)
    for name, text in reversed(PROFILE_OPTIONS):
        command = click.option(f"--{name}", name, help=text)(command)
    return _db_option(command)


def _values(options: dict[str, str | None]) -> dict[str, str]:
    values = {k: v for k, v in options.items() if v is not None}
    if "signature" in values:
        values["signature"] = values["signature"].replace("\\n", "\n")
    return values


def _me() -> str:
    """The login changing the team (with the store open): refused when a manager deactivated it,
    as every command that acts as the rep running it (`current_rep`)."""
    from sopdesk.services.session import current_login

    current_rep()
    return current_login()


def _who(login: str, name: str, role: str) -> str:
    return f"{safe(login)} ({safe(name)}, {role})"


@group(
    "rep",
    help=N_("The reps and managers sharing this database (a rep is the login running sopdesk)."),
)
def rep_group() -> None:
    pass


@rep_group.command(
    "add", help=N_("Add a rep with the Unix login LOGIN (managers only, once the team has one).")
)
@click.argument("login")
@_profile_options
@click.pass_context
def add(ctx: click.Context, login: str, db_option: str | None, **options: str | None) -> None:
    from sopdesk.services import reps

    open_store(db_target(ctx, db_option))
    try:
        reps.may_change(_me(), None, role_change=True)
        rep = reps.add_rep(login, **_values(options))
    except reps.RepError as exc:
        fail(safe(str(exc)))
    click.echo(_("added {rep}").format(rep=_who(rep.login, rep.name, rep.role.value)))


@rep_group.command(
    "set", help=N_("Change LOGIN's profile: a rep may change their own; roles only a manager.")
)
@click.argument("login")
@_profile_options
@click.pass_context
def set_(ctx: click.Context, login: str, db_option: str | None, **options: str | None) -> None:
    from sopdesk.services import reps

    values = _values(options)
    if not values:
        fail(_("nothing to change: give at least one option (see --help)"), 2)
    open_store(db_target(ctx, db_option))
    try:
        reps.may_change(_me(), login, role_change="role" in values)
        rep = reps.update_rep(login, **values)
    except reps.RepError as exc:
        fail(safe(str(exc)))
    click.echo(_("updated {rep}").format(rep=_who(rep.login, rep.name, rep.role.value)))


@rep_group.command(
    "list",
    help=N_(
        "Every rep: login, role, active or since when inactive, customers owned, name, time "
        "zone, e-mail."
    ),
)
@_db_option
@click.pass_context
def list_(ctx: click.Context, db_option: str | None) -> None:
    from sopdesk.services import reps

    open_store(db_target(ctx, db_option))
    team = reps.list_reps()
    if not team:
        click.echo(_("no reps yet: each login becomes one the first time it runs sopdesk"))
        return
    heads = (_("LOGIN"), _("ROLE"), _("STATUS"), _("CUSTOMERS"), _("NAME"), _("TIME ZONE"))
    click.echo("{:<16} {:<8} {:<20} {:>9}  {:<24} {:<20} ".format(*heads) + _("E-MAIL"))
    for rep in team:
        if rep.deactivated_at is None:
            status = _("active")
        else:
            status = _("inactive since {day}").format(day=rep.deactivated_at.format("YYYY-MM-DD"))
        click.echo(
            f"{safe(rep.login):<16} {rep.role.value:<8} {status:<20} {rep.customers:>9}  "
            f"{safe(rep.name[:24]):<24} {safe(rep.timezone):<20} {safe(rep.email)}"
        )


@rep_group.command(
    "assign",
    help=N_(
        "Give CUSTOMER (C-00012 or 12) to the rep LOGIN (managers only; kept on its timeline)."
    ),
)
@click.argument("customer")
@click.argument("login")
@_db_option
@click.pass_context
def assign(ctx: click.Context, customer: str, login: str, db_option: str | None) -> None:
    from sopdesk.services import reps
    from sopdesk.store.db import database
    from sopdesk.store.models import Customer

    text = customer.strip().upper().removeprefix("C-")
    if not text.isdigit():
        fail(
            _("{customer!r} is not a customer number (write it like C-00012)").format(
                customer=safe(customer)
            ),
            2,
        )
    open_store(db_target(ctx, db_option))
    with database.connection_context():
        found = Customer.by_number(int(text))
    if found is None:
        fail(_("no customer {customer}").format(customer=safe(customer)))
    me, to = reps.rep_by_login(_me()), reps.rep_by_login(login)
    if to is None:
        fail(_("no rep with the login {login} (see sopdesk rep list)").format(login=safe(login)))
    try:
        moved = reps.reassign_customer(found.id, to.rep_id, me.rep_id if me else None)
    except reps.RepError as exc:
        fail(safe(str(exc)))
    click.echo(
        _(
            "{customer}: reassigned from {old} to {new} ({inquiries} unanswered inquiries, "
            "{tasks} open follow-ups moved)"
        ).format(
            customer=found.code,
            old=safe(moved.from_name),
            new=safe(moved.to_name),
            inquiries=moved.inquiries,
            tasks=moved.tasks,
        )
    )


def _owned_text(owned: OwnedWork) -> str:
    return _("{customers}, {inquiries} and {tasks}").format(
        customers=ngettext("{n} customer", "{n} customers", owned.customers).format(
            n=owned.customers
        ),
        inquiries=ngettext("{n} open inquiry", "{n} open inquiries", owned.inquiries).format(
            n=owned.inquiries
        ),
        tasks=ngettext("{n} open follow-up", "{n} open follow-ups", owned.tasks).format(
            n=owned.tasks
        ),
    )


@rep_group.command(
    "deactivate",
    help=N_(
        "A rep who left (managers only): LOGIN can no longer open sopdesk or receive new "
        "inquiries.\n\n"
        'Their name stays on the history, the reports and the owner columns, marked "(inactive)". '
        "With --reassign-to OTHER their customers, open inquiries and open follow-ups move to "
        "OTHER (each customer's timeline notes it); without it they keep them, after a "
        "confirmation, until a manager reassigns them (sopdesk rep assign). The last active "
        "manager cannot be deactivated."
    ),
)
@click.argument("login")
@click.option(
    "--reassign-to",
    "reassign_to",
    metavar="OTHER",
    help=N_("Give LOGIN's customers, open inquiries and open follow-ups to the rep OTHER."),
)
@click.option(
    "--yes", "-y", is_flag=True, help=N_("Do not ask before leaving their work with them.")
)
@_db_option
@click.pass_context
def deactivate(
    ctx: click.Context, login: str, reassign_to: str | None, yes: bool, db_option: str | None
) -> None:
    from sopdesk.services import reps

    open_store(db_target(ctx, db_option))
    me = _me()
    shown = safe(login)
    try:
        owned = reps.check_deactivation(login, me, reassign_to)
    except reps.RepError as exc:
        fail(safe(str(exc)))
    if reassign_to is None and owned.anything and not yes:
        click.echo(
            _("{login} owns {owned}. They stay with {login}, shown as inactive, until a manager "
              "gives them to someone: sopdesk rep deactivate {login} --reassign-to OTHER, or "
              "sopdesk rep assign CUSTOMER OTHER.").format(login=shown, owned=_owned_text(owned))
        )  # fmt: skip
        if not click.confirm(_("Deactivate {login} anyway?").format(login=shown)):
            fail(_("nothing changed"))
    try:
        done = reps.deactivate_rep(login, me, reassign_to)
    except reps.RepError as exc:
        fail(safe(str(exc)))
    if done.already:
        click.echo(_("{login} was already inactive").format(login=shown))
    else:
        click.echo(
            _("deactivated {login} ({name}): no more sopdesk sessions or new inquiries").format(
                login=shown, name=safe(done.rep.name)
            )
        )
    if done.moved is not None:
        click.echo(
            _("moved {owned} to {name}").format(
                owned=_owned_text(done.moved), name=safe(done.to_name)
            )
        )
    elif done.left.anything:
        click.echo(
            _("{login} still owns {owned}").format(login=shown, owned=_owned_text(done.left))
        )


@rep_group.command(
    "activate",
    help=N_(
        "Undo a deactivation (managers only): LOGIN works here again and may receive new work."
    ),
)
@click.argument("login")
@_db_option
@click.pass_context
def activate(ctx: click.Context, login: str, db_option: str | None) -> None:
    from sopdesk.services import reps

    open_store(db_target(ctx, db_option))
    try:
        rep, changed = reps.activate_rep(login, _me())
    except reps.RepError as exc:
        fail(safe(str(exc)))
    if changed:
        click.echo(
            _("activated {login} ({name})").format(login=safe(rep.login), name=safe(rep.name))
        )
    else:
        click.echo(_("{login} is already active").format(login=safe(rep.login)))
