"""`sopdesk import …`: bring data in from files. One subcommand per kind of data.

Exit codes (as everywhere in sopdesk): 0 ok; 1 input rejected (a rejected row or message, a file
that cannot be read as its kind); 2 usage (no file, a missing or unreadable file, an unsupported
file type). With --skip-bad the rejected items are still listed, but the exit code is 0 when
everything else was imported; a file rejected as a whole still exits 1.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from sopdesk.commands import import_report
from sopdesk.commands.base import Path as PathType
from sopdesk.commands.base import group
from sopdesk.commands.common import (
    DB_HELP,
    check_suffix,
    current_rep,
    db_target,
    fail,
    load_settings,
    open_store,
    safe,
)
from sopdesk.i18n import N_, _, ngettext

SHEETS = N_("{path}: unsupported file type {suffix!r} (use .csv or .xlsx)")
_FILE = PathType(exists=True, dir_okay=False, readable=True, path_type=Path)
_SKIP_BAD = N_("Import the good rows of a sheet with bad ones.")


@group(
    "import",
    help=N_(
        "Import data from files: inquiries (.eml, .mbox, .csv), store data, customers, "
        "products.\n\n"
        "Each file is imported in one transaction: nothing of a file is written when any of its "
        "items is rejected, unless --skip-bad is given. Importing the same file again adds nothing."
    ),
)
def import_group() -> None:
    pass


@contextmanager
def _database(target: str, dry_run: bool) -> Iterator[str]:
    """Open (and migrate) the database; a dry run on a database that does not exist yet runs
    against a throw-away empty one, so it creates nothing. A login a manager deactivated is
    refused (`current_rep`): an import works as the rep running it."""
    from sopdesk.store import db

    if dry_run and not db.is_url(target) and not Path(target).expanduser().exists():
        with tempfile.TemporaryDirectory(prefix="sopdesk-dry-run-") as tmp:
            open_store(str(Path(tmp) / "empty.db"), must_exist=False)
            yield _("{target} (does not exist yet: dry run against an empty database)").format(
                target=target
            )
        return
    label = open_store(target, must_exist=False)
    current_rep()
    yield label


def _finish(
    label: str, kind: import_report.Kind, reports: list[import_report.Report], skip_bad: bool
) -> NoReturn:
    """Say which database, print the reports and exit with their code."""
    click.echo(_("database: {label}").format(label=safe(label)))
    sys.exit(import_report.print_reports(kind, reports, skip_bad=skip_bad))


def _owner_id() -> int | None:
    """The rep running the import, when the database has already met them (a deactivated one is
    refused)."""
    rep = current_rep()
    return rep.rep_id if rep is not None else None


@import_group.command(
    "inquiries",
    help=N_(
        "Import inquiries from FILE… (.eml, .mbox or .csv; see docs/import-inquiries.md).\n\n"
        "Each inquiry is linked to a customer by e-mail, company domain or company name, or a new "
        "customer is created. Every rejected row or message is listed with its number and reason."
    ),
)
@click.argument("files", metavar="FILE...", nargs=-1, required=True, type=_FILE)
@click.option("--skip-bad", is_flag=True, help=N_("Import the good items of a file with bad ones."))
@click.option("--dry-run", is_flag=True, help=N_("Show what would happen; write nothing."))
@click.option(
    "--assign",
    is_flag=True,
    help=N_(
        "Give each inquiry out by the playbook's [assignment] rule (a team's cron import) "
        "instead of to the rep running the import."
    ),
)
@click.option("--db", "db_option", envvar="SOPDESK_DB", metavar="PATH|URL", help=DB_HELP)
@click.pass_context
def import_inquiries_command(
    ctx: click.Context,
    files: tuple[Path, ...],
    skip_bad: bool,
    dry_run: bool,
    db_option: str | None,
    assign: bool = False,
) -> None:
    from sopdesk.services.importers.inquiries import SUPPORTED, import_inquiries

    for path in files:
        check_suffix(
            path, SUPPORTED, _("{path}: unsupported file type {suffix!r} (use .eml, .mbox or .csv)")
        )
    settings = load_settings()
    with _database(db_target(ctx, db_option), dry_run) as label:
        owner = None if assign else _owner_id()
        reports = import_inquiries(
            files, skip_bad=skip_bad, dry_run=dry_run, owner_id=owner,
            rep_zone=settings.rep.timezone,
        )  # fmt: skip
    _finish(
        label,
        import_report.INQUIRIES,
        [import_report.from_inquiries(report) for report in reports],
        skip_bad,
    )


@import_group.command(
    "metrics",
    help=N_(
        "Import the platform's store data export FILE (.csv or .xlsx): daily store figures "
        "(日期, 曝光, 点击, 询盘, TM咨询, 访客) or per-product figures (产品名称, 曝光, 点击, 询盘).\n\n"
        "Re-importing a day replaces that day. Nothing is written when any row is rejected; every "
        "rejected row is listed with its line number."
    ),
)
@click.argument("file", metavar="FILE", type=_FILE)
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help=N_("The day a product export without a date column covers (YYYY-MM-DD)."),
)
@click.option("--db", "db_option", envvar="SOPDESK_DB", metavar="PATH|URL", help=DB_HELP)
@click.pass_context
def import_metrics_command(
    ctx: click.Context, file: Path, day: object, db_option: str | None
) -> None:
    from datetime import datetime

    from sopdesk import clock
    from sopdesk.services import store_data
    from sopdesk.services.importers.metrics import MetricsFileError, import_metrics

    check_suffix(file, (".csv", ".txt", ".xlsx", ".xlsm"), _(SHEETS))
    zone = load_settings().rep.timezone
    covered = day.date() if isinstance(day, datetime) else None
    with _database(db_target(ctx, db_option), dry_run=False) as label:
        now = clock.now()
        try:
            result = import_metrics(file, now, zone, covered)
        except MetricsFileError as exc:
            fail(f"{safe(str(file))}: {safe(str(exc))}")
        tasks = store_data.sync_zero_effect_tasks(now, zone, _owner_id()) if result.imported else 0
    click.echo(_("database: {label}").format(label=safe(label)))
    kind = _("store data") if result.kind == "store" else _("product data")
    span = f"{result.days[0].isoformat()} – {result.days[-1].isoformat()}" if result.days else "—"
    if result.ignored_columns:
        click.echo(
            _("ignored columns: {names}").format(names=safe(", ".join(result.ignored_columns)))
        )
    if not result.imported:
        rejected = len(result.rejected)
        click.echo(
            _("{path} ({kind}, {span}): nothing written, {rejected}:").format(
                path=safe(str(file)), kind=kind, span=span,
                rejected=ngettext("{n} rejected row", "{n} rejected rows", rejected).format(
                    n=rejected
                ),
            ),
            err=True,
        )  # fmt: skip
        for row in result.rejected:
            click.echo(
                "  " + _("line {line}: {reason}").format(line=row.line, reason=safe(row.reason)),
                err=True,
            )
        sys.exit(1)
    days, replaced = len(result.days), result.replaced_days
    click.echo(
        _("{path} ({kind}): {rows} for {days}, {span}; {replaced}").format(
            path=safe(str(file)),
            kind=kind,
            rows=ngettext("{n} row", "{n} rows", result.rows).format(n=result.rows),
            days=ngettext("{n} day", "{n} days", days).format(n=days),
            span=span,
            replaced=ngettext("{n} day replaced", "{n} days replaced", replaced).format(n=replaced),
        )
    )
    if result.created_products:
        click.echo(
            ngettext(
                "{n} product added to the catalogue from the export",
                "{n} products added to the catalogue from the export",
                result.created_products,
            ).format(n=result.created_products)
        )
    if tasks:
        click.echo(
            ngettext(
                "{n} new task to optimise zero-effect products",
                "{n} new tasks to optimise zero-effect products",
                tasks,
            ).format(n=tasks)
        )


# --- the customer sheet and the product catalogue --------------------------------------------------


@import_group.command(
    "customers",
    help=N_(
        "Import the customer sheet FILE (.csv or .xlsx): the SOP's appendix-1 columns in Chinese "
        "or English are recognised; rows already in sopdesk are updated or merged, not doubled."
    ),
)
@click.argument("file", metavar="FILE", type=_FILE)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="'Header=field'",
    help=N_(
        "Read column Header as field (repeatable); field 'ignore' skips a column. Fields: "
        "number, company, name, first_name, last_name, contact, country, source, first_contact, "
        "stage, latest_follow_up, next_follow_up, expected_value, notes, email, phone, phone2, "
        "whatsapp, website, linkedin, buyer_type, potential, lost_reason, tags."
    ),
)
@click.option(
    "--dry-run",
    is_flag=True,
    help=N_("Show what would be created, updated, merged and rejected; write nothing."),
)
@click.option("--skip-bad", is_flag=True, help=_SKIP_BAD)
@click.option(
    "--date-order",
    type=click.Choice(["dmy", "mdy"], case_sensitive=False),
    help=N_("Day/month order of dates like 3/11/2020 when the column does not tell."),
)
@click.option(
    "--currency", default="USD", show_default=True, help=N_("Currency of amounts without one.")
)
@click.option("--db", "db_option", envvar="SOPDESK_DB", metavar="PATH|URL", help=DB_HELP)
@click.pass_context
def import_customers_command(
    ctx: click.Context,
    file: Path,
    maps: tuple[str, ...],
    dry_run: bool,
    skip_bad: bool,
    date_order: str | None,
    currency: str,
    db_option: str | None,
) -> None:
    from sopdesk.services.importers import customers as sheet_import

    check_suffix(file, sheet_import.SUPPORTED, _(SHEETS))
    try:
        mapping = sheet_import.parse_mapping(maps)
    except ValueError as exc:
        raise click.BadParameter(safe(str(exc)), param_hint="--map") from None
    if not re.fullmatch(r"[A-Za-z]{3}", currency):
        raise click.BadParameter(_("a three-letter ISO code such as USD"), param_hint="--currency")
    settings = load_settings()
    with _database(db_target(ctx, db_option), dry_run) as label:
        report = sheet_import.import_customers(
            file,
            mapping,
            dry_run=dry_run,
            skip_bad=skip_bad,
            rep_zone=settings.rep.timezone,
            owner_id=_owner_id(),
            default_currency=currency.upper(),
            date_order=date_order.upper() if date_order else None,
        )
    _finish(label, import_report.CUSTOMERS, [import_report.from_customers(report)], skip_bad)


@import_group.command(
    "products",
    help=N_(
        "Import the product catalogue FILE (.csv or .xlsx), one product per row, matched by SKU."
        "\n\n"
        "Columns (English or Chinese headers): SKU, Name, Specs, Material, Process, "
        "Certifications, Packaging, MOQ, Unit, Lead time, Selling points, Applications, HS code, "
        'Photos, Price tiers ("100: 28.50; 500: 25.80"), Currency. Nothing is written when a row '
        "is rejected, unless --skip-bad."
    ),
)
@click.argument("file", metavar="FILE", type=_FILE)
@click.option(
    "--dry-run",
    is_flag=True,
    help=N_("Show what would be created and updated; write nothing."),
)
@click.option("--skip-bad", is_flag=True, help=_SKIP_BAD)
@click.option("--db", "db_option", envvar="SOPDESK_DB", metavar="PATH|URL", help=DB_HELP)
@click.pass_context
def import_products_command(
    ctx: click.Context, file: Path, dry_run: bool, skip_bad: bool, db_option: str | None
) -> None:
    from sopdesk.services import catalog

    check_suffix(file, catalog.SUPPORTED, _(SHEETS))
    with _database(db_target(ctx, db_option), dry_run) as label:
        report = catalog.import_products(file, dry_run=dry_run, skip_bad=skip_bad)
    _finish(label, import_report.PRODUCTS, [import_report.from_products(report)], skip_bad)
