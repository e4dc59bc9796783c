"""Reply drafts: the catalogue, strict values, the sandbox, choosing a template."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sopdesk import config, locations
from sopdesk.services import draft_sandbox, drafting
from sopdesk.services.drafting import Catalogue, DraftError, Situation
from sopdesk.sop.stages import Channel, Stage
from sopdesk.store.db import database
from sopdesk.store.models import Inquiry

SHIPPED = locations.templates_dir() / "reply"
HEADER = "{#- id: %s\n    title: T\n    stage: lead\n    channel: %s\n    lang: en -#}\n"


def user_dir() -> Path:
    folder = locations.user_templates_dir() / "reply"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_user(name: str, body: str, channel: str = "email") -> Path:
    path = user_dir() / f"{name}.j2"
    path.write_text(HEADER % (name, channel) + body, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def template_values(template_id: str) -> drafting.TemplateValues:
    info = Catalogue().get(template_id)
    return drafting.TemplateValues(info.id, info.title, info.channel, info.lang)


def inquiry_ids() -> list[int]:
    with database.connection_context():
        return [i.id for i in Inquiry.select(Inquiry.id).order_by(Inquiry.id)]


@pytest.fixture
def demo_context(demo_store: Path) -> drafting.DraftContext:
    """An unanswered demo inquiry (a new lead)."""
    with database.connection_context():
        inquiry = Inquiry.unanswered().order_by(Inquiry.id.desc()).first()
    return drafting.build_context(inquiry.id, config.demo_settings())


@pytest.fixture
def context() -> drafting.DraftContext:
    """A hand-made context (no database): fast, for the sandbox and catalogue tests."""
    now = pendulum.datetime(2026, 11, 27, 4, 0, tz="UTC")
    tier = drafting.PriceTierValues(100, Decimal("28.50"), "USD")
    product = drafting.ProductValues(
        sku="BL-HB150",
        name="LED UFO high bay 150W",
        specs="150W, IP65",
        material="",
        process="",
        certifications="CE, UL",
        packaging="",
        moq=100,
        unit="pcs",
        lead_time_days=25,
        selling_points="DLC listed",
        applications="",
        hs_code="",
        price_tiers=(tier,),
    )
    demo = config.demo_settings()
    return drafting.DraftContext(
        inquiry_id=7,
        customer_id=3,
        rep=drafting.RepValues("Lily Chen", "Sales Manager", "lily@x.example", "+86 1", ""),
        company=drafting.CompanyValues(
            demo.company.name,
            15,
            demo.company.markets,
            demo.company.certificates,
            demo.company.website,
        ),
        customer=drafting.CustomerValues(
            code="C-00003",
            company="Brightway Electric Supply Inc.",
            name="Jason Miller",
            display_name="Brightway Electric Supply Inc.",
            country="US",
            country_name="United States",
            timezone="America/Chicago",
            website="https://brightway.example",
            email_domain="brightway.example",
            buyer_type="wholesaler",
            potential="A",
            stage="lead",
            background_check_done=False,
            platform_profile="",
            notes="",
        ),
        contact=drafting.ContactValues(
            "Jason Miller", "Purchasing Manager", "jm@brightway.example", "", ""
        ),
        inquiry=drafting.InquiryValues(
            id=7,
            channel="site_inquiry",
            received_at=now.subtract(minutes=3),
            subject="Inquiry about LED UFO high bay 150W",
            body="Please quote.",
            products="LED UFO high bay 150W",
            product="LED UFO high bay 150W",
            quantity="",
            port="",
            has_specs=True,
            missing_details=("quantity", "port"),
            answered=False,
            first_reply_at=None,
        ),
        products=(product,),
        situation=situation(),
        customer_zone="America/Chicago",
        now=now,
    )


# --- every shipped template against the demo ------------------------------------------------


def test_shipped_catalogue_has_the_issue_templates_and_no_problems() -> None:
    catalogue = Catalogue()
    assert catalogue.problems == ()
    assert {
        "first_reply_email",
        "first_reply_chat",
        "ask_details",
        "second_reply_background",
        "quote_nudge_chat",
        "no_response_day3",
        "no_response_day7",
        "first_reply_email_es",
    } <= set(catalogue.ids())
    assert all(not info.user for info in catalogue.templates())
    assert catalogue.get("first_reply_email_es").lang == "es"
    assert catalogue.get("quote_nudge_chat").channel == "chat"


def test_every_shipped_template_renders_for_every_demo_inquiry(demo_store: Path) -> None:
    catalogue = Catalogue()
    demo = config.demo_settings()
    ids = inquiry_ids()
    assert len(ids) > 20
    rendered = 0
    for inquiry_id in ids:
        context = drafting.build_context(inquiry_id, demo)
        for template_id in catalogue.ids():
            draft = drafting.render(template_id, context, catalogue)  # raises on any gap
            assert draft.text.strip()
            assert "None" not in draft.text
            assert "\n\n\n" not in draft.text
            if draft.template.channel == "email":
                assert draft.subject
                assert draft.text.rstrip().endswith(demo.company.website)
            else:
                assert draft.subject is None
            rendered += 1
    assert rendered == len(ids) * len(catalogue.ids())


def test_first_reply_follows_the_sop_text(demo_context: drafting.DraftContext) -> None:
    draft = drafting.render("first_reply_email", demo_context)
    contact = demo_context.contact.name
    assert draft.text.startswith(f"Hi {contact},\n\nThanks for your inquiry on Alibaba for ")
    assert "This is Lily Chen from Ningbo Brightlight Lighting Co., Ltd.\n" in draft.text
    assert "15 years of experience" in draft.text
    assert "Europe, North America, the Middle East and Latin America" in draft.text
    assert draft.subject and draft.subject.startswith("Re: ")


def test_ask_details_asks_only_for_what_is_missing(context: drafting.DraftContext) -> None:
    only_port = dataclasses.replace(
        context,
        inquiry=dataclasses.replace(
            context.inquiry, port="", quantity="500 pcs", missing_details=("port",)
        ),
    )
    text = drafting.render("ask_details", only_port).text
    assert "1. Your destination port" in text
    assert "2." not in text
    assert "- Quantity: 500 pcs" in text
    nothing = dataclasses.replace(
        context, inquiry=dataclasses.replace(context.inquiry, missing_details=())
    )
    assert "I have all the details I need" in drafting.render("ask_details", nothing).text


def test_spanish_template_formats_dates_and_words_in_spanish(
    context: drafting.DraftContext,
) -> None:
    draft = drafting.render("first_reply_email_es", context)
    assert draft.text.startswith(f"Hola {context.contact.name}:")
    assert "Saludos cordiales" in draft.text


# --- strict values ---------------------------------------------------------------------------


def test_an_empty_contact_name_is_named_with_its_line(context: drafting.DraftContext) -> None:
    blank = dataclasses.replace(context, contact=dataclasses.replace(context.contact, name="  "))
    with pytest.raises(DraftError) as caught:
        drafting.render("first_reply_email", blank)
    error = caught.value
    assert error.message == "customer contact name is empty — fill it in or edit the draft"
    assert error.template_id == "first_reply_email"
    assert error.lineno == line_of(SHIPPED / "first_reply_email.j2", "Hi {{ contact.name }}")
    assert str(error).startswith(f"template first_reply_email line {error.lineno}: customer")


def test_empty_settings_are_named_and_point_to_the_settings(demo_store: Path) -> None:
    context = drafting.build_context(inquiry_ids()[-1], config.Settings())
    with pytest.raises(DraftError) as caught:
        drafting.render("first_reply_chat", context)
    assert "is empty — fill it in in the settings or edit the draft" in caught.value.message
    assert caught.value.message.startswith(("your name", "our company"))


def test_missing_values_in_partials_name_the_partial(context: drafting.DraftContext) -> None:
    no_title = dataclasses.replace(context, rep=dataclasses.replace(context.rep, title=""))
    with pytest.raises(DraftError) as caught:
        drafting.render("no_response_day7", no_title)
    assert caught.value.message.startswith("your title is empty")
    assert caught.value.file is not None and caught.value.file.endswith("_signature_email.j2")
    assert caught.value.lineno == line_of(SHIPPED / "_signature_email.j2", "{{ rep.title }}")
    assert "(_signature_email.j2) line" in str(caught.value)


def test_zero_years_is_missing_not_zero(demo_store: Path) -> None:
    demo = config.demo_settings()
    no_years = dataclasses.replace(demo, company=dataclasses.replace(demo.company, years=0))
    context = drafting.build_context(inquiry_ids()[-1], no_years)
    with pytest.raises(DraftError, match="our company years of experience is empty"):
        drafting.render("first_reply_chat", context)


def test_unknown_names_and_fields_are_explained(context: drafting.DraftContext) -> None:
    write_user("typo_name", "Subject: x\n\n{{ custmer.name }}")
    write_user("typo_field", "Subject: x\n\n{{ customer.nmae }}")
    catalogue = Catalogue()
    with pytest.raises(DraftError, match="'custmer' is not a value drafts know"):
        drafting.render("typo_name", context, catalogue)
    with pytest.raises(DraftError, match="customer has no value called 'nmae'") as caught:
        drafting.render("typo_field", context, catalogue)
    assert "display_name" in caught.value.message
    assert caught.value.lineno == 8


def test_printing_a_whole_group_or_none_is_refused(context: drafting.DraftContext) -> None:
    write_user("whole", "Subject: x\n\n{{ customer }}")
    with pytest.raises(DraftError, match="customer is a group of values"):
        drafting.render("whole", context, Catalogue())


def test_filled_and_default_let_templates_handle_optional_values(
    context: drafting.DraftContext,
) -> None:
    write_user(
        "optional",
        "[{% if contact.role is filled %}R{% else %}none{% endif %}]"
        "[{{ contact.role | default('-') }}][{{ 'y' if () is filled else 'n' }}]"
        "[{% if contact.role %}R{% else %}if-false{% endif %}]"
        "[{{ 'eq' if contact.role == 'Buyer' else 'ne' }}]",
        channel="chat",
    )
    write_user("optional_typo", "{% if contact.rol %}x{% endif %}", channel="chat")
    write_user("optional_print", "{% if 1 %}{{ contact.role }}{% endif %}", channel="chat")
    no_role = dataclasses.replace(context, contact=dataclasses.replace(context.contact, role=""))
    catalogue = Catalogue()
    assert drafting.render("optional", no_role, catalogue).text == "[none][-][n][if-false][ne]"
    with pytest.raises(DraftError, match="customer contact has no value called 'rol'"):
        drafting.render("optional_typo", no_role, catalogue)
    with pytest.raises(DraftError, match="customer contact role is empty"):
        drafting.render("optional_print", no_role, catalogue)


def test_context_holds_plain_values_only(demo_context: drafting.DraftContext) -> None:
    from peewee import Model

    def walk(value: Any) -> None:
        assert not isinstance(value, Model), value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, (tuple, list)):
            for item in value:
                walk(item)

    walk(demo_context)
    assert dataclasses.fields(demo_context)
    with pytest.raises(dataclasses.FrozenInstanceError):
        demo_context.customer.name = "x"  # type: ignore[misc]


def test_build_context_is_a_bounded_number_of_queries(demo_store: Path) -> None:
    first = inquiry_ids()[0]
    real = database.obj
    calls: list[str] = []
    original = real.execute_sql

    def counting(sql: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(sql)
        return original(sql, *args, **kwargs)

    real.execute_sql = counting  # type: ignore[method-assign]
    try:
        drafting.build_context(first, config.demo_settings())
    finally:
        real.execute_sql = original  # type: ignore[method-assign]
    selects = [c for c in calls if c.lstrip().upper().startswith("SELECT")]
    assert 0 < len(selects) <= 14  # 8 for the inquiry, 6 for its quote, order and sample
    assert all("LIMIT" in c.upper() or "MAX(" in c.upper() for c in selects)


def test_unknown_inquiry_is_a_draft_error(demo_store: Path) -> None:
    with pytest.raises(DraftError, match="there is no inquiry 99999"):
        drafting.build_context(99999, config.demo_settings())


# --- the rep's own templates -------------------------------------------------------------------


def test_a_user_template_overrides_a_shipped_one_by_id(
    context: drafting.DraftContext,
) -> None:
    write_user("first_reply_email", "Subject: Hello\n\nMine, {{ contact.name }}.")
    catalogue = Catalogue()
    info = catalogue.get("first_reply_email")
    assert info.user and info.overrides_shipped
    assert info.path.parent == user_dir()
    draft = drafting.render("first_reply_email", context, catalogue)
    assert draft.subject == "Hello"
    assert draft.text == f"Mine, {context.contact.name}."
    assert len(catalogue.ids()) == len(Catalogue(user_dir=Path("/nonexistent")).ids())


def test_a_user_partial_overrides_the_shipped_signature(
    context: drafting.DraftContext,
) -> None:
    (user_dir() / "_signature_email.j2").write_text("-- {{ rep.name }} (custom)", "utf-8")
    draft = drafting.render("no_response_day3", context, Catalogue())
    assert draft.text.endswith("-- Lily Chen (custom)")


def test_a_user_template_adds_a_new_id(context: drafting.DraftContext) -> None:
    write_user("thanks_chat", "Thanks {{ contact.name }}!", channel="chat")
    catalogue = Catalogue()
    assert "thanks_chat" in catalogue.ids()
    assert drafting.render("thanks_chat", context, catalogue).text.startswith("Thanks ")


def test_a_broken_user_template_is_reported_with_its_line(
    context: drafting.DraftContext,
) -> None:
    path = write_user("broken", "Subject: x\n\nline 7\n{% if contact.name %}\nno endif\n")
    catalogue = Catalogue()  # no crash
    (problem,) = [p for p in catalogue.problems if p.path == path]
    assert problem.user and problem.lineno == 9
    assert str(problem).startswith(f"{path}:9: ")
    assert "first_reply_email" in catalogue.ids()
    with pytest.raises(DraftError) as caught:
        drafting.render("broken", context, catalogue)
    assert caught.value.lineno == 9 and caught.value.template_id == "broken"


def test_an_unknown_filter_is_reported_when_the_catalogue_loads() -> None:
    path = write_user("odd_filter", "Subject: x\n\n{{ contact.name | shout }}")
    (problem,) = [p for p in Catalogue().problems if p.path == path]
    assert "shout" in problem.message and problem.lineno == 8


def test_a_bad_header_is_reported_and_the_shipped_template_stays(
    context: drafting.DraftContext,
) -> None:
    bad = user_dir() / "first_reply_email.j2"
    bad.write_text("{# id: first_reply_email\n title: x\n stage: lead\n channel: fax\n"
                   " lang: en #}\nSubject: x\n\nbad", "utf-8")  # fmt: skip
    wrong_id = user_dir() / "other.j2"
    wrong_id.write_text(HEADER % ("another", "email") + "Subject: x\n\nx", "utf-8")
    catalogue = Catalogue()
    messages = {p.path.name: p.message for p in catalogue.problems}
    assert messages["first_reply_email.j2"] == "channel must be email or chat"
    assert "must be the file name" in messages["other.j2"]
    assert not catalogue.get("first_reply_email").user
    assert (
        "Thanks for your inquiry" in drafting.render("first_reply_email", context, catalogue).text
    )


def test_an_oversized_template_is_reported(context: drafting.DraftContext) -> None:
    write_user("huge", "Subject: x\n\n" + "x" * (draft_sandbox.MAX_TEMPLATE_BYTES + 1))
    catalogue = Catalogue()
    assert any(p.path.name == "huge.j2" and "larger than" in p.message for p in catalogue.problems)
    assert "huge" not in catalogue.ids()


def test_unknown_template_lists_the_available_ones() -> None:
    with pytest.raises(drafting.UnknownTemplateError) as caught:
        Catalogue().get("nope")
    assert "there is no template 'nope'; available: " in caught.value.message
    assert "first_reply_email" in caught.value.message


def test_email_template_needs_a_subject_line(context: drafting.DraftContext) -> None:
    write_user("no_subject", "Hi {{ contact.name }}")
    with pytest.raises(DraftError, match="must start with a 'Subject: …' line"):
        drafting.render("no_subject", context, Catalogue())


# --- the header parser -----------------------------------------------------------------------


def test_header_parser_reads_keys_and_rejects_the_rest() -> None:
    ok = drafting.parse_header(
        "{#- id: a_1\n title: Hi: there\n stage: intent\n channel: chat\n lang: pt_BR\n"
        " description: d -#}\nbody"
    )
    assert ok == {
        "id": "a_1",
        "title": "Hi: there",
        "stage": "intent",
        "channel": "chat",
        "lang": "pt_BR",
        "description": "d",
    }
    cases = {
        "Subject: x": "must start with a header comment",
        "{# id: a\n title: t\n stage: lead\n channel: email #}": "needs 'lang'",
        "{# id: a\n id: b #}": "appears twice",
        "{# id: a\n colour: red #}": "unknown header key 'colour'",
        "{# id: A-b\n title: t\n stage: lead\n channel: email\n lang: en #}": "id must be",
        "{# id: a\n title: t\n stage: won\n channel: email\n lang: en #}": "stage must be",
        "{# id: a\n just words #}": "key: value",
    }
    for source, message in cases.items():
        with pytest.raises(drafting.HeaderError) as caught:
            drafting.parse_header(source)
        assert message in caught.value.message
    with pytest.raises(drafting.HeaderError) as caught:
        drafting.parse_header("{# id: a\n\n colour: red #}")
    assert caught.value.lineno == 3


_values = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="#\n\r"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(lambda v: v and not v.endswith("-") and "#}" not in v)
)


@settings(max_examples=200, deadline=None)
@given(
    ident=st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True),
    title=_values,
    stage=st.sampled_from([s.value for s in Stage]),
    channel=st.sampled_from(["email", "chat"]),
    lang=st.sampled_from(["en", "es", "zh_CN", "pt-BR"]),
)
def test_header_round_trip(ident: str, title: str, stage: str, channel: str, lang: str) -> None:
    source = (
        f"{{#- id: {ident}\n   title: {title}\n   stage: {stage}\n   channel: {channel}\n"
        f"   lang: {lang} -#}}\nSubject: x\n"
    )
    assert drafting.parse_header(source) == {
        "id": ident,
        "title": title,
        "stage": stage,
        "channel": channel,
        "lang": lang,
    }


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_header_parser_only_ever_raises_header_errors(text: str) -> None:
    for source in (text, "{#" + text, "{# id: x\n" + text + "#}"):
        try:
            drafting.parse_header(source)
        except drafting.HeaderError as exc:
            assert exc.message


# --- the sandbox -----------------------------------------------------------------------------

ATTACKS: dict[str, tuple[str, str]] = {
    # name: (template, why it is refused)
    "class": ("{{ ''.__class__ }}", "unsafe"),
    "mro": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    "globals": ("{{ local.__globals__ }}", "unsafe"),
    "repeat": ("{{ 'x' * 10**8 }}", "a text too large"),
    "repeat_list": ("{{ ([1] * 10**7) | length }}", "a list too large"),
    "power": ("{{ 2 ** 100000 }}", "a number too large"),
    "power_chain": ("{{ (10 ** 100) ** 100 }}", "a number too large"),
    "concat_doubling": (
        "{% set a = 'x' * 1000 %}" + "{% set a = a ~ a %}" * 20 + "{{ a|length }}",
        "a text too large",
    ),
    "plus_doubling": (
        "{% set a = 'x' * 1000 %}" + "{% set a = a + a %}" * 20 + "{{ a|length }}",
        "a text too large",
    ),
    "ljust": ("{{ 'x'.ljust(100000000) }}", "str.ljust() is not allowed"),
    "center_filter": ("{{ 'x' | center(100000000) }}", "too large for a template"),
    "percent_width": ("{{ '%0100000000d' % 1 }}", "formatted text too large"),
    "percent_star": ("{{ '%*d' % (100000000, 1) }}", "formatted text too large"),
    "format_width": ("{{ '{:>100000000}'.format(1) }}", "formatted text too large"),
    "format_filter": ("{{ '%100000000s' | format('x') }}", "formatted text too large"),
    "replace_growth": (
        "{% set a = 'x' * 50000 %}{{ a.replace('x', a) | length }}",
        "a text too large",
    ),
    "big_range": ("{% for i in range(10**6) %}{% endfor %}", "a range too large"),
    "lipsum": ("{{ lipsum(1000) }}", "'lipsum' is not a value"),
    "mutation": ("{% set l = [1] %}{{ l.append(2) }}", "unsafe"),
    "model_method": ("{{ customer.delete_instance() }}", "no value called 'delete_instance'"),
    "output": (
        "{% for i in range(1000) %}{{ 'y' * 1000 }}{% endfor %}",
        "the draft is longer than",
    ),
    "recursion": ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "runs away"),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attacks_are_refused_not_run(name: str, context: drafting.DraftContext) -> None:
    source, why = ATTACKS[name]
    write_user(f"attack_{name}", source, channel="chat")
    with pytest.raises(DraftError) as caught:
        drafting.render(f"attack_{name}", context, Catalogue())
    assert why in caught.value.message
    assert caught.value.template_id == f"attack_{name}"


def test_the_soft_deadline_stops_a_runaway_loop(
    context: drafting.DraftContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(draft_sandbox, "RENDER_SECONDS", 0.05)
    loop = (
        "{% for i in range(1000) %}{% for j in range(1000) %}{{ i.real }}{% endfor %}{% endfor %}"
    )
    write_user("slow", loop, channel="chat")
    with pytest.raises(DraftError, match="takes too long"):
        drafting.render("slow", context, Catalogue())


def test_normal_template_operations_still_work(context: drafting.DraftContext) -> None:
    write_user(
        "ops",
        "{{ 'ab' * 3 }} {{ 2 ** 10 }} {{ 'a' ~ 'b' }} {{ 'x%sy' % 'Q' }} {{ '{}!'.format('hi') }} "
        "{{ 'A b'.lower().split() | join('-') }} {{ range(3) | list | length }} "
        "{{ money(12345.5 | string) }} {{ money(5000, 'EUR') }} "
        "{{ first_name('Mr. Hans Müller') }} {{ and_list(['a', 'b', 'c']) }}",
        channel="chat",
    )
    text = drafting.render("ops", context, Catalogue()).text
    assert text == ("ababab 1024 ab xQy hi! a-b 3 USD 12,345.50 EUR 5,000.00 Hans a, b and c")


# --- helpers ---------------------------------------------------------------------------------


def test_money_is_exact_and_refuses_floats() -> None:
    assert drafting.money(Decimal("23.9"), "USD") == "USD 23.90"
    assert drafting.money(1234567, "EUR") == "EUR 1,234,567.00"
    with pytest.raises(Exception, match="exact"):
        drafting.money(0.1, "USD")


def test_local_times_are_in_the_customers_zone_and_language(
    context: drafting.DraftContext,
) -> None:
    context = dataclasses.replace(context, customer_zone="America/New_York")
    at = pendulum.datetime(2026, 3, 9, 14, 0, tz="UTC")  # after the DST change: 10:00 EDT
    local = context.variables(template_values("first_reply_email"))["local"]
    assert local(at, "ddd D MMM HH:mm") == "Mon 9 Mar 10:00"
    local_es = context.variables(template_values("first_reply_email_es"))["local"]
    assert local_es(at, "dddd D MMMM") == "lunes 9 marzo"
    greeting = context.variables(template_values("first_reply_email"))["greeting"]
    assert greeting() == "Good evening"  # frozen now: 04:00 UTC is 23:00 in New York


def test_first_name_skips_honorifics() -> None:
    assert drafting.first_name("Dr. Anna Becker") == "Anna"
    assert drafting.first_name("Mr") == "Mr"
    assert drafting.first_name("José") == "José"


# --- what the buyer told us, and which product -------------------------------------------------


def test_missing_details() -> None:
    assert drafting.missing_details("LED panel 600x600", "", "500 pcs", "Hamburg") == ()
    assert drafting.missing_details("LED lights", "best price?", "", "") == (
        "specs",
        "quantity",
        "port",
    )
    assert drafting.has_specs("", "we need IP65, 4000K")
    assert drafting.has_specs("see the attached drawing")
    assert not drafting.has_specs("street lights", "please quote")


def test_products_are_matched_by_name_words_and_sku(demo_store: Path) -> None:
    with database.connection_context():
        panel = [p.sku for p in drafting.match_products("LED panel light 600x600 40W")]
        high_bay = [p.sku for p in drafting.match_products("need high bay 150w x 300")]
        by_sku = [p.sku for p in drafting.match_products("price for bl-t818 please")]
        two = [p.sku for p in drafting.match_products("LED UFO high bay 150W, LED flood light")]
        assert drafting.match_products("bananas") == []
        assert drafting.match_products("") == []
    assert panel == ["BL-PN4060"]
    assert high_bay == ["BL-HB150"]
    assert by_sku[0] == "BL-T818"
    assert set(two) >= {"BL-HB150", "BL-FL200"}


# --- choosing a template ---------------------------------------------------------------------


def situation(**changes: Any) -> Situation:
    base = Situation(
        channel=Channel.SITE_INQUIRY,
        replied=False,
        stage=Stage.LEAD,
        background_check_done=False,
        missing_details=("specs",),
        days_without_answer=None,
    )
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "first_reply_email"),
        ({"channel": Channel.EMAIL}, "first_reply_email"),
        ({"channel": Channel.RFQ}, "first_reply_email"),
        ({"channel": Channel.TRADEMANAGER}, "first_reply_chat"),
        ({"channel": Channel.WHATSAPP}, "first_reply_chat"),
        ({"replied": True}, "ask_details"),
        ({"replied": True, "missing_details": ()}, "second_reply_background"),
        ({"replied": True, "days_without_answer": 2}, "ask_details"),
        ({"replied": True, "days_without_answer": 3}, "no_response_day3"),
        ({"replied": True, "days_without_answer": 6}, "no_response_day3"),
        ({"replied": True, "days_without_answer": 7}, "no_response_day7"),
        ({"replied": True, "days_without_answer": 0, "quote_waiting": True}, "quote_nudge_chat"),
        ({"replied": True, "days_without_answer": 3, "quote_waiting": True}, "no_response_day3"),
    ],
)
def test_pick_template(changes: dict[str, Any], expected: str) -> None:
    assert drafting.pick_template(situation(**changes)) == expected


def test_pick_template_prefers_a_language_variant_when_there_is_one() -> None:
    available = Catalogue().ids()
    assert drafting.pick_template(situation(), "es", available) == "first_reply_email_es"
    assert drafting.pick_template(situation(), "fr", available) == "first_reply_email"
    chat = situation(channel=Channel.WHATSAPP)
    assert drafting.pick_template(chat, "es", available) == "first_reply_chat"


def test_demo_situations(demo_store: Path) -> None:
    demo = config.demo_settings()
    with database.connection_context():
        unanswered = [i.id for i in Inquiry.unanswered()]
    for inquiry_id in unanswered:
        context = drafting.build_context(inquiry_id, demo)
        assert not context.situation.replied
        assert drafting.pick_template(context.situation).startswith("first_reply_")
