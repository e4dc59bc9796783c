"""`sopdesk report daily|weekly|funnel|kpi`: the meetings and the numbers, for sharing or scripting.

Output goes to stdout as Markdown (to paste into a chat or a mail), CSV or JSON. Section and
column names are stable identifiers (English, snake_case) whatever the UI language, so scripts
keep working; Markdown headings are translated. In CSV and JSON, times are UTC ISO 8601, ratios
are fractions ("0.9512"), durations whole seconds and money exact decimals; in JSON decimals are
strings so nothing is rounded on the way.

CSV: `kpi` and `funnel` print their main table; `daily` and `weekly` print every section in the
long form `section,row,column,value` — or one section as a plain table with `--section NAME`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import click
import pendulum

from sopdesk.commands.base import command
from sopdesk.commands.common import current_rep, db_target, fail, load_settings, open_store
from sopdesk.i18n import N_, _

KINDS = ("daily", "weekly", "funnel", "kpi")
FORMATS = ("md", "csv", "json")
PERIODS = ("week", "month", "quarter", "all")


@dataclass
class Section:
    name: str
    """Stable identifier: the CSV `section` value and the JSON key."""
    title: str
    """Translated heading for Markdown."""
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    note: str = ""


@dataclass
class Document:
    kind: str
    title: str
    period: dict[str, Any]
    rep: str | None
    zone: str
    main: str
    """The section `--format csv` prints for kpi and funnel."""
    sections: list[Section] = field(default_factory=list)

    def section(self, name: str) -> Section:
        for s in self.sections:
            if s.name == name:
                return s
        raise KeyError(name)


# --- values: machine form (csv/json) and human form (md) ----------------------------------------


def _machine(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, datetime):
        return pendulum.instance(value).in_timezone("UTC").isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):  # StrEnum
        return value.value
    return value


def _csv_value(value: Any) -> str:
    v = _machine(value)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def percent(value: Decimal | None, places: str = "0.1") -> str:
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal(places), rounding=ROUND_HALF_UP)}%"


def points(value: Decimal | None) -> str:
    if value is None:
        return "—"
    pts = (value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _("{points} pt").format(points=f"{'+' if pts > 0 else ''}{pts}")


def duration(seconds: Decimal | int | None) -> str:
    from sopdesk.sop.sla import format_duration

    if seconds is None:
        return "—"
    return format_duration(timedelta(seconds=int(Decimal(seconds))))


def money(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}"


# --- building the documents ---------------------------------------------------------------------


def _period_dict(period: Any) -> dict[str, Any]:
    if period is None:
        return {"kind": "all", "from": None, "to": None, "start": None, "end": None}
    return {
        "kind": period.kind.value,
        "from": period.first_day.isoformat(),
        "to": period.last_day.isoformat(),
        "start": _machine(period.start),
        "end": _machine(period.end),
    }


def _shown(shown: int, total: int) -> str:
    """The note of a section cut short: "20 of 31 shown"; empty when every row is there."""
    return _("{shown} of {total} shown").format(shown=shown, total=total) if total > shown else ""


def kpi_sections(report: Any) -> list[Section]:
    table = Section(
        "kpis",
        _("KPIs"),
        (
            "kpi",
            "value",
            "unit",
            "numerator",
            "denominator",
            "target",
            "meets_target",
            "previous",
            "delta",
            "trend",
        ),
    )
    for v in report.values:
        spec = v.spec
        table.rows.append(
            (
                v.kpi,
                v.value,
                spec.unit,
                v.numerator,
                v.denominator,
                v.target,
                v.meets_target,
                v.previous,
                v.delta,
                v.trend,
            )
        )
    value = report.figures.order_value
    orders = Section(
        "order_value",
        _("Order value per currency"),
        ("currency", "orders", "total", "average", "converted_total", "report_currency"),
        note=(
            _("No exchange rate in config for: {codes}").format(
                codes=", ".join(value.missing_rates)
            )
            if value.missing_rates
            else ""
        ),
    )
    for c in value.per_currency:
        orders.rows.append(
            (c.currency, c.orders, c.total, c.average, c.converted_total, value.currency)
        )
    return [table, orders]


def kpi_document(report: Any, rep: str | None, zone: str) -> Document:
    doc = Document(
        "kpi",
        _("KPIs {period} (compared with {previous})").format(
            period=report.period.label, previous=report.previous.label
        ),
        _period_dict(report.period),
        rep,
        zone,
        "kpis",
    )
    doc.period["previous"] = _period_dict(report.previous)
    doc.sections = kpi_sections(report)
    return doc


def funnel_document(report: Any, rep: str | None, zone: str) -> Document:
    label = report.period.label if report.period is not None else _("all time")
    doc = Document(
        "funnel", _("Funnel {period}").format(period=label), _period_dict(report.period), rep, zone,
        "funnel",
    )  # fmt: skip
    table = Section(
        "funnel",
        _("Funnel"),
        (
            "stage",
            "now",
            "entered",
            "reached",
            "conversion",
            "target",
            "gap",
            "median_seconds_in_stage",
            "stays",
        ),
    )
    for r in report.rows:
        table.rows.append(
            (
                r.stage,
                r.now,
                r.entered,
                r.reached,
                r.conversion,
                r.target,
                r.gap,
                r.median_seconds.to_integral_value() if r.median_seconds is not None else None,
                r.stays,
            )
        )
    lost = Section(
        "lost_reasons", _("Lost, by stage and reason"), ("from_stage", "reason", "customers")
    )
    for item in report.lost_reasons:
        lost.rows.append((item.from_stage, item.reason, item.customers))
    summary = Section("summary", _("Summary"), ("name", "value"))
    summary.rows.extend(
        [
            ("cohort", report.cohort),
            ("lost_now", report.lost_now),
            ("dormant_now", report.dormant_now),
        ]
    )
    doc.sections = [table, lost, summary]
    return doc


def daily_document(meeting: Any, rep: str | None, zone: str) -> Document:
    doc = Document(
        "daily",
        _("Morning meeting — {day}").format(day=meeting.day.label),
        _period_dict(meeting.day),
        rep,
        zone,
        "store_data",
    )
    store = Section(
        "store_data",
        _("Yesterday's store data"),
        (
            "metric",
            "yesterday",
            "average_7d",
            "change_7d_percent",
            "average_28d",
            "change_28d_percent",
            "sparkline_30d",
        ),
        note="" if meeting.store.has_data else _("No store data imported for this day yet."),
    )
    for m in meeting.store.metrics:
        store.rows.append(
            (
                m.field,
                m.yesterday,
                m.average_7,
                m.change_7.percent if m.change_7 else None,
                m.average_28,
                m.change_28.percent if m.change_28 else None,
                m.sparkline,
            )
        )
    r, b = meeting.replies, meeting.buckets
    replies = Section("replies", _("Replies"), ("name", "value"))
    replies.rows.extend(
        [
            ("received", r.received),
            ("within_fresh", b.within_fresh),
            ("within_due", b.within_due),
            ("later", b.later),
            ("unanswered", b.unanswered),
            ("met_24h", r.met),
            ("missed_24h", r.missed),
            ("pending_24h", r.pending),
            (
                "median_first_reply_seconds",
                r.median_seconds.to_integral_value() if r.median_seconds is not None else None,
            ),
            ("unanswered_now", meeting.unanswered_now),
            ("fresh_limit_seconds", int(b.fresh_limit.total_seconds())),
            ("due_limit_seconds", int(b.due_limit.total_seconds())),
        ]
    )
    times = Section(
        "reply_times",
        _("Inquiries and their reply times"),
        (
            "inquiry_id",
            "customer_id",
            "customer",
            "country",
            "channel",
            "received_at",
            "first_reply_at",
            "reply_seconds",
        ),
    )
    for line in meeting.reply_lines:
        times.rows.append(
            (
                line.inquiry_id,
                line.customer_id,
                line.customer,
                line.country,
                line.channel,
                line.received_at,
                line.first_reply_at,
                line.seconds,
            )
        )
    follow = Section(
        "follow_ups",
        _("Today's key follow-ups"),
        ("task_id", "customer_id", "customer", "title", "due_at", "overdue"),
        note=_shown(len(meeting.follow_ups), meeting.follow_ups_total),
    )
    for f in meeting.follow_ups:
        follow.rows.append((f.task_id, f.customer_id, f.customer, f.title, f.due_at, f.overdue))
    routine = Section("routine", _("Routine"), ("name", "value"))
    routine.rows.extend(
        [
            ("rfqs_to_quote", meeting.rfqs_to_quote),
            ("rfq_quotes_this_month", meeting.rfq_quota.used),
            ("rfq_monthly_quota", meeting.rfq_quota.quota),
            ("zero_effect_products", meeting.zero_effect_products),
        ]
    )
    doc.sections = [store, replies, times, follow, routine]
    return doc


def weekly_document(review: Any, rep: str | None, zone: str) -> Document:
    doc = Document(
        "weekly",
        _("Weekly review {period}").format(period=review.period.label),
        _period_dict(review.period),
        rep,
        zone,
        "kpis",
    )
    doc.period["previous"] = _period_dict(review.kpis.previous)
    won = Section(
        "orders_won",
        _("Orders won"),
        ("number", "customer_id", "customer", "total", "currency", "ordered_at", "reason"),
        note=_shown(len(review.orders), review.orders_total),
    )
    for o in review.orders:
        won.rows.append(
            (o.number, o.customer_id, o.customer, o.total, o.currency, o.ordered_at, o.reason)
        )
    lost = Section(
        "lost",
        _("Lost"),
        ("customer_id", "customer", "from_stage", "reason", "note", "at"),
        note=_shown(len(review.lost), review.lost_total),
    )
    for item in review.lost:
        lost.rows.append(
            (item.customer_id, item.customer, item.from_stage, item.reason, item.note, item.at)
        )
    movement = Section(
        "movement", _("Funnel movement"), ("stage", "entered", "entered_previous", "change")
    )
    for m in review.movement:
        movement.rows.append(
            (m.stage, m.entered, m.entered_previous, m.entered - m.entered_previous)
        )
    stale = Section(
        "stale_deals",
        _("Stale deals"),
        ("customer_id", "customer", "stage", "stage_since", "last_activity_at"),
        note=_shown(len(review.stale), review.stale_total),
    )
    for s in review.stale:
        stale.rows.append((s.customer_id, s.customer, s.stage, s.stage_since, s.last_activity_at))
    doc.sections = [won, lost, movement, *kpi_sections(review.kpis), stale]
    return doc


# --- rendering ----------------------------------------------------------------------------------


def render_json(doc: Document) -> str:
    payload = {
        "report": doc.kind,
        "period": doc.period,
        "rep": doc.rep,
        "zone": doc.zone,
        "sections": {
            s.name: [
                {c: _json_value(v) for c, v in zip(s.columns, row, strict=True)} for row in s.rows
            ]
            for s in doc.sections
        },
        "notes": {s.name: s.note for s in doc.sections if s.note},
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _json_value(value: Any) -> Any:
    v = _machine(value)
    if isinstance(value, Decimal):
        return v  # a string: exact
    return v


def render_csv(doc: Document, section: str | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if section is not None or doc.kind in ("kpi", "funnel"):
        s = doc.section(section or doc.main)
        writer.writerow(s.columns)
        for row in s.rows:
            writer.writerow([_csv_value(v) for v in row])
        return out.getvalue()
    writer.writerow(("section", "row", "column", "value"))
    for s in doc.sections:
        for index, row in enumerate(s.rows, start=1):
            for column, value in zip(s.columns, row, strict=True):
                writer.writerow((s.name, index, column, _csv_value(value)))
    return out.getvalue()


def _human(column: str, value: Any, zone: str, unit: str | None = None) -> str:
    from sopdesk.sop.kpi import Unit

    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return pendulum.instance(value).in_timezone(zone).format("YYYY-MM-DD HH:mm")
    if unit is not None and column in ("value", "target", "previous", "numerator"):
        if unit == Unit.RATIO and column != "numerator":
            return percent(value)
        if unit == Unit.SECONDS:
            return duration(value)
        if unit == Unit.MONEY:
            return money(value)
    if unit == Unit.MONEY and column == "delta":
        return ("+" if value > 0 else "") + money(value)
    if unit == Unit.RATIO and column == "delta":
        return points(value)
    if unit == Unit.SECONDS and column == "delta":
        sign = "-" if value < 0 else "+"
        return sign + duration(abs(value))
    if column in ("conversion", "target"):
        return percent(value, "1")
    if column == "gap":
        return points(value)
    if column.endswith("_seconds") or column.startswith("median_seconds"):
        return duration(value)
    if column.endswith("percent"):
        return f"{'+' if value > 0 else ''}{value}%"
    if column in ("total", "average", "converted_total"):
        return money(value)
    if isinstance(value, Decimal):
        return str(value)
    text = _machine(value)
    return _md_escape(str(text))


def _md_escape(text: str) -> str:
    """Table-safe: one line, pipes escaped, control characters dropped."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(cleaned.split()).replace("|", "\\|")


def render_md(doc: Document) -> str:
    lines = [f"# {_md_escape(doc.title)}", ""]
    meta = [f"{_('Zone')}: {doc.zone}"]
    if doc.rep:
        meta.append(f"{_('Rep')}: {_md_escape(doc.rep)}")
    lines.extend([" · ".join(meta), ""])
    for s in doc.sections:
        lines.append(f"## {s.title}")
        lines.append("")
        if s.note:
            lines.extend([f"_{_md_escape(s.note)}_", ""])
        if not s.rows:
            lines.extend([_("(none)"), ""])
            continue
        lines.append("| " + " | ".join(s.columns) + " |")
        lines.append("|" + "|".join("---" for _c in s.columns) + "|")
        unit_index = s.columns.index("unit") if "unit" in s.columns else None
        for row in s.rows:
            unit = str(_machine(row[unit_index])) if unit_index is not None else None
            cells = [_human(c, v, doc.zone, unit) for c, v in zip(s.columns, row, strict=True)]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def render(doc: Document, fmt: str, section: str | None = None) -> str:
    if fmt == "json":
        return render_json(doc)
    if fmt == "csv":
        return render_csv(doc, section)
    return render_md(doc)


# --- the command --------------------------------------------------------------------------------


def _period(
    kind: str, period_name: str | None, first: date | None, last: date | None, now: Any, zone: str
) -> Any:
    from sopdesk.sop import kpi

    if first is not None or last is not None:
        if first is None:
            raise click.UsageError(_("--to needs --from"))
        last = last or kpi.local_today(now, zone)
        if last < first:
            raise click.UsageError(_("--to is before --from"))
        return kpi.custom_period(first, last, zone)
    name = period_name or {"weekly": "week", "funnel": "month", "kpi": "month"}.get(kind, "month")
    if name == "all":
        if kind != "funnel":
            raise click.UsageError(_("--period all is only for the funnel"))
        return None
    return kpi.period_to_date(kpi.PeriodKind(name), now, zone)


def _as_date(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@command(
    "report",
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
        "Print a report: the morning meeting (daily), the weekly review, the funnel or the KPIs."
        "\n\n"
        "Periods are whole days in the rep's time zone. Each KPI is compared with the previous "
        "period (the same days of the previous week, month or quarter). Formulas: docs/kpis.md."
    ),
)
@click.argument("kind", type=click.Choice(KINDS))
@click.option(
    "--from",
    "date_from",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help=N_("First day (YYYY-MM-DD, in the rep's zone). Daily: the day to review."),
)
@click.option(
    "--to",
    "date_to",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help=N_("Last day, inclusive (default: today)."),
)
@click.option(
    "--period",
    "period_name",
    type=click.Choice(PERIODS),
    help=N_(
        "This week, month or quarter so far (all: the funnel over all time). "
        "Defaults: weekly → week; funnel and kpi → month."
    ),
)
@click.option(
    "--rep", "rep_login", metavar="LOGIN", help=N_("Only this rep's inquiries and customers.")
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
    help=N_("Markdown to share, CSV or JSON for scripts."),
)  # fmt: skip
@click.option(
    "--section",
    metavar="NAME",
    help=N_("CSV only: print this one section as a plain table (e.g. reply_times, orders_won)."),
)
@click.pass_context
def report(
    ctx: click.Context,
    kind: str,
    date_from: datetime | None,
    date_to: datetime | None,
    period_name: str | None,
    rep_login: str | None,
    fmt: str,
    section: str | None,
) -> None:
    from sopdesk import clock
    from sopdesk.services import meetings, reports
    from sopdesk.store import db
    from sopdesk.store.models import Rep

    if section is not None and fmt != "csv":
        raise click.UsageError(_("--section goes with --format csv"))
    settings = load_settings()
    open_store(db_target(ctx))
    current_rep()  # refused to a rep who left; --rep may still name one (their past work)
    now = clock.now()
    zone = settings.rep.timezone
    rep_id = None
    if rep_login:
        with db.database.connection_context():
            rep = Rep.get_or_none(Rep.login == rep_login)
        if rep is None:
            fail(_("no rep with login {login!r}").format(login=rep_login))
        rep_id, zone = int(rep.get_id()), rep.timezone or zone
    rates = reports.rates_from_settings(settings.exchange_rates)
    first, last = _as_date(date_from), _as_date(date_to)
    if kind == "daily":
        if period_name is not None:
            raise click.UsageError(_("the daily report covers one day: use --from DATE"))
        day = first or last
        if first and last and first != last:
            raise click.UsageError(_("the daily report covers one day: use --from DATE"))
        if day is not None:
            # Review `day` as on the morning after it.
            now = pendulum.datetime(day.year, day.month, day.day, 9, tz=zone).add(days=1)
            now = now.in_timezone("UTC")
        meeting = meetings.morning_meeting(now, zone, rep_id, settings.rfq_monthly_quota)
        doc = daily_document(meeting, rep_login, zone)
    else:
        period = _period(kind, period_name, first, last, now, zone)
        if kind == "funnel":
            doc = funnel_document(reports.funnel_report(period, rep_id), rep_login, zone)
        elif kind == "kpi":
            kpis = reports.kpi_report(period, now, rep_id, settings.report_currency, rates)
            doc = kpi_document(kpis, rep_login, zone)
        else:
            review = meetings.weekly_review(period, now, rep_id, settings.report_currency, rates)
            doc = weekly_document(review, rep_login, zone)
    if section is not None and section not in {s.name for s in doc.sections}:
        raise click.UsageError(
            _("no section {name!r}; this report has: {names}").format(
                name=section, names=", ".join(s.name for s in doc.sections)
            )
        )
    click.echo(render(doc, fmt, section), nl=False)
