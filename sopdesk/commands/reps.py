"""`sopdesk rep add|list|set|assign`: the team on a shared database and who owns which customer."""

from __future__ import annotations

import click

from sopdesk.commands.common import db_target, fail, open_store

PROFILE_OPTIONS = (
    ("name", "Full name, as customers see it."),
    ("title", "Job title for signatures and PIs."),
    ("email", "E-mail address."),
    ("whatsapp", "WhatsApp number (+86 …)."),
    ("signature", "Signature block for replies (use \\n for new lines)."),
    ("timezone", "IANA time zone, e.g. Asia/Shanghai."),
    ("language", "Interface language: en or zh_CN."),
)


def _profile_options(command):
    command = click.option(
        "--role", type=click.Choice(["rep", "manager"]), help="rep (default) or manager."
    )(command)
    for name, text in reversed(PROFILE_OPTIONS):
        command = click.option(f"--{name}", name, help=text)(command)
    return click.option("--db", "db_option", help="The database (default: yours).")(command)


def _values(options: dict[str, str | None]) -> dict[str, str]:
    values = {k: v for k, v in options.items() if v is not None}
    if "signature" in values:
        values["signature"] = values["signature"].replace("\\n", "\n")
    return values


def _me() -> str:
    from sopdesk.services.session import current_login

    return current_login()


@click.group("rep")
def rep_group() -> None:
    """The reps and managers sharing this database (a rep is the login running sopdesk)."""


@rep_group.command("add")
@click.argument("login")
@_profile_options
@click.pass_context
def add(ctx: click.Context, login: str, db_option: str | None, **options: str | None) -> None:
    """Add a rep with the Unix login LOGIN (managers only, once the team has one)."""
    from sopdesk.services import reps

    open_store(db_target(ctx, db_option))
    try:
        reps.may_change(_me(), None, role_change=True)
        rep = reps.add_rep(login, **_values(options))
    except reps.RepError as exc:
        fail(str(exc))
    click.echo(f"added {rep.login} ({rep.name}, {rep.role.value})")


@rep_group.command("set")
@click.argument("login")
@_profile_options
@click.pass_context
def set_(ctx: click.Context, login: str, db_option: str | None, **options: str | None) -> None:
    """Change LOGIN's profile: a rep may change their own; roles only a manager."""
    from sopdesk.services import reps

    values = _values(options)
    if not values:
        fail("nothing to change: give at least one option (see --help)", 2)
    open_store(db_target(ctx, db_option))
    try:
        reps.may_change(_me(), login, role_change="role" in values)
        rep = reps.update_rep(login, **values)
    except reps.RepError as exc:
        fail(str(exc))
    click.echo(f"updated {rep.login} ({rep.name}, {rep.role.value})")


@rep_group.command("list")
@click.option("--db", "db_option", help="The database (default: yours).")
@click.pass_context
def list_(ctx: click.Context, db_option: str | None) -> None:
    """Every rep: login, role, name, time zone, e-mail, and how many customers they own."""
    from sopdesk.services import reps

    open_store(db_target(ctx, db_option))
    team = reps.list_reps()
    if not team:
        click.echo("no reps yet: each login becomes one the first time it runs sopdesk")
        return
    click.echo(f"{'LOGIN':<16} {'ROLE':<8} {'CUSTOMERS':>9}  {'NAME':<24} {'TIME ZONE':<20} E-MAIL")
    for rep in team:
        click.echo(
            f"{rep.login:<16} {rep.role.value:<8} {rep.customers:>9}  {rep.name[:24]:<24} "
            f"{rep.timezone:<20} {rep.email}"
        )


@rep_group.command("assign")
@click.argument("customer")
@click.argument("login")
@click.option("--db", "db_option", help="The database (default: yours).")
@click.pass_context
def assign(ctx: click.Context, customer: str, login: str, db_option: str | None) -> None:
    """Give CUSTOMER (C-00012 or 12) to the rep LOGIN (managers only; kept on its timeline)."""
    from sopdesk.services import reps
    from sopdesk.store.db import database
    from sopdesk.store.models import Customer

    text = customer.strip().upper().removeprefix("C-")
    if not text.isdigit():
        fail(f"{customer!r} is not a customer number (write it like C-00012)", 2)
    open_store(db_target(ctx, db_option))
    with database.connection_context():
        found = Customer.by_number(int(text))
    if found is None:
        fail(f"no customer {customer}")
    me, to = reps.rep_by_login(_me()), reps.rep_by_login(login)
    if to is None:
        fail(f"no rep with the login {login} (see sopdesk rep list)")
    try:
        moved = reps.reassign_customer(found.id, to.rep_id, me.rep_id if me else None)
    except reps.RepError as exc:
        fail(str(exc))
    click.echo(
        f"{found.code}: reassigned from {moved.from_name} to {moved.to_name} "
        f"({moved.inquiries} unanswered inquiries, {moved.tasks} open follow-ups moved)"
    )
