"""Pure intake rules: free mail, company names, received times, channels, countries, hashes."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sopdesk.sop.intake import (
    clean_text,
    content_hash,
    country_code,
    email_domain,
    is_free_mail,
    normalise_company,
    parse_channel,
    parse_received_time,
    slashed_date_order,
)
from sopdesk.sop.stages import Channel
from tests.marked_gettext import is_marked, marked

NOW = pendulum.datetime(2026, 11, 27, 4, 0, tz="UTC")  # 12:00 in Shanghai
SHANGHAI = "Asia/Shanghai"


@pytest.mark.parametrize(
    ("address", "domain"),
    [
        ("John@Acme.COM", "acme.com"),
        ("<sales@sub.acme.co.uk>", "sub.acme.co.uk"),
        ('"a@b"@acme.de', "acme.de"),
        ("no-at-sign", None),
        ("user@localhost", None),
        ("@acme.com", None),
        ("user@acme..com", None),
    ],
)
def test_email_domain(address: str, domain: str | None) -> None:
    assert email_domain(address) == domain


@pytest.mark.parametrize(
    "domain",
    ["gmail.com", "GoogleMail.com", "qq.com", "163.com", "126.com", "yahoo.co.uk", "yahoo.com.br",
     "hotmail.fr", "outlook.com", "live.com.au", "yandex.com.tr", "gmx.de", "web.de", "mail.ru",
     "icloud.com", "proton.me", "rediffmail.com", "sina.com", "foxmail.com"],
)  # fmt: skip
def test_free_mail_domains(domain: str) -> None:
    assert is_free_mail(domain)


@pytest.mark.parametrize(
    "domain", ["acme.com", "live.acme.com", "mail.abc.de", "yahoo-trading.cn", "gmailer.com"]
)
def test_company_domains_are_not_free_mail(domain: str) -> None:
    assert not is_free_mail(domain)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ACME Trading Co., Ltd.", "acme trading"),
        ("Société Générale S.A.", "SOCIETE GENERALE"),
        ("Müller GmbH & Co. KG", "Muller"),
        ("The Home Depot, Inc.", "home depot"),
        ("宁波光明照明有限公司", "宁波光明照明"),
        ("M/s. Sharma Traders Pvt. Ltd.", "Sharma Traders"),
        ("Nowak Sp. z o.o.", "nowak"),
        ("Gulf Lights FZE", "gulf lights"),
    ],
)
def test_company_names_match_without_legal_suffixes(a: str, b: str) -> None:
    assert normalise_company(a) == normalise_company(b)


def test_company_names_keep_what_tells_them_apart() -> None:
    assert normalise_company("Acme Lighting Ltd") != normalise_company("Acme Trading Ltd")
    assert normalise_company("Limited") == "limited"  # only a suffix: kept
    assert normalise_company("") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", NOW),
        ("now", NOW),
        ("11:30", pendulum.datetime(2026, 11, 27, 3, 30, tz="UTC")),
        # 14:05 in Shanghai today is still ahead of 12:00: yesterday's 14:05
        ("14:05", pendulum.datetime(2026, 11, 26, 6, 5, tz="UTC")),
        ("yesterday 9:00", pendulum.datetime(2026, 11, 26, 1, 0, tz="UTC")),
        ("昨天 14:05", pendulum.datetime(2026, 11, 26, 6, 5, tz="UTC")),
        ("3:05 pm", pendulum.datetime(2026, 11, 26, 7, 5, tz="UTC")),
        ("10 min ago", NOW.subtract(minutes=10)),
        ("2h ago", NOW.subtract(hours=2)),
        ("3 hours ago", NOW.subtract(hours=3)),
        ("an hour ago", NOW.subtract(hours=1)),
        ("10分钟前", NOW.subtract(minutes=10)),
        ("2026-11-26 09:30", pendulum.datetime(2026, 11, 26, 1, 30, tz="UTC")),
        ("2026/11/26 9:30", pendulum.datetime(2026, 11, 26, 1, 30, tz="UTC")),
        ("2026年11月26日 09:30", pendulum.datetime(2026, 11, 26, 1, 30, tz="UTC")),
        ("2026-11-26T09:30:00+01:00", pendulum.datetime(2026, 11, 26, 8, 30, tz="UTC")),
        ("2026-11-26T09:30Z", pendulum.datetime(2026, 11, 26, 9, 30, tz="UTC")),
        ("Thu, 26 Nov 2026 10:00:00 +0100", pendulum.datetime(2026, 11, 26, 9, 0, tz="UTC")),
        ("26/11/2026 14:05", pendulum.datetime(2026, 11, 26, 6, 5, tz="UTC")),
        ("11/26/2026", pendulum.datetime(2026, 11, 25, 16, 0, tz="UTC")),
        # a few minutes ahead (another clock) is taken as now
        ("2026-11-27 12:03", NOW),
    ],
)
def test_received_times(text: str, expected: pendulum.DateTime) -> None:
    got = parse_received_time(text, NOW, SHANGHAI)
    assert got == expected
    assert got.timezone_name == "UTC"


def test_clock_times_are_read_in_the_reps_zone() -> None:
    berlin = parse_received_time("11:30", NOW, "Europe/Berlin")  # 05:00 there: 11:30 is ahead
    assert berlin == pendulum.datetime(2026, 11, 26, 10, 30, tz="UTC")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("05/11/2026", "either way round"),
        ("2026-11-28 09:30", "in the future"),
        ("25:00", "not a time of day"),
        ("2026-02-30", "not a date"),
        ("soon", "cannot read 'soon'"),
        ("400 days ago", "more than a year"),
    ],
)
def test_unreadable_times_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_received_time(text, NOW, SHANGHAI)


def test_a_column_date_order_settles_ambiguous_dates() -> None:
    assert slashed_date_order("24/8/20") == "DMY"
    assert slashed_date_order("8/24/2020") == "MDY"
    assert slashed_date_order("3/11/2020") is None
    dmy = parse_received_time("3/11/2026", NOW, SHANGHAI, date_order="DMY")
    mdy = parse_received_time("3/11/2026", NOW, SHANGHAI, date_order="MDY")
    assert (dmy.month, mdy.month) == (11, 3)
    assert parse_received_time("24/8/20", NOW, SHANGHAI, date_order="DMY").year == 2020


@given(st.text(max_size=40))
def test_parse_received_time_raises_only_value_error(text: str) -> None:
    try:
        got = parse_received_time(text, NOW, SHANGHAI)
    except ValueError:
        return
    assert got.tzinfo is not None
    assert got <= NOW


@pytest.mark.parametrize(
    ("text", "channel"),
    [("site_inquiry", Channel.SITE_INQUIRY), ("Site inquiry", Channel.SITE_INQUIRY),
     ("站内信", Channel.SITE_INQUIRY), ("TM", Channel.TRADEMANAGER),
     ("Trade Manager", Channel.TRADEMANAGER), ("RFQ", Channel.RFQ), ("E-mail", Channel.EMAIL),
     ("邮件", Channel.EMAIL), ("WhatsApp", Channel.WHATSAPP), ("微信", Channel.WECHAT),
     ("other", Channel.OTHER)],
)  # fmt: skip
def test_channels(text: str, channel: Channel) -> None:
    assert parse_channel(text) is channel


def test_unknown_channel() -> None:
    with pytest.raises(ValueError, match="unknown channel"):
        parse_channel("fax")


@pytest.mark.parametrize(
    ("text", "code"),
    [("US", "US"), ("usa", "US"), ("U.S.A.", "US"), ("United States", "US"), ("UK", "GB"),
     ("Great Britain", "GB"), ("UAE", "AE"), ("Türkiye", "TR"), ("Turkey", "TR"), ("Russia", "RU"),
     ("DEU", "DE"), ("germany", "DE"), ("Deutschland", "DE"), ("Brasil", "BR"),
     ("Korea, Republic of", "KR"), ("South Korea", "KR"), ("Viet Nam", "VN"), ("Vietnam", "VN"),
     ("The Netherlands", "NL"), ("Côte d’Ivoire", "CI"), ("Hong Kong", "HK"), ("KSA", "SA"),
     ("美国", "US"), ("英国", "GB"), ("德国", "DE"), ("阿联酋", "AE"), ("巴西", "BR"),
     ("俄罗斯", "RU"), ("印度", "IN"), ("沙特阿拉伯", "SA"), ("澳大利亚", "AU"), ("墨西哥", "MX")],
)  # fmt: skip
def test_country_codes(text: str, code: str) -> None:
    assert country_code(text) == code


def test_forty_main_trading_countries_have_chinese_names() -> None:
    names = ("美国 英国 德国 法国 意大利 西班牙 荷兰 比利时 波兰 瑞典 瑞士 俄罗斯 乌克兰 土耳其 阿联酋 "
             "沙特阿拉伯 以色列 埃及 南非 尼日利亚 肯尼亚 印度 巴基斯坦 孟加拉国 日本 韩国 新加坡 "
             "马来西亚 印度尼西亚 泰国 越南 菲律宾 澳大利亚 新西兰 加拿大 墨西哥 巴西 阿根廷 智利 "
             "哥伦比亚 秘鲁 中国 香港")  # fmt: skip
    codes = [country_code(name) for name in names.split()]
    assert None not in codes
    assert len(set(codes)) == len(codes) >= 40


@pytest.mark.parametrize("text", ["", "Narnia", "Europe", "XX"])
def test_unknown_countries(text: str) -> None:
    assert country_code(text) is None


def test_content_hash_ignores_case_and_spacing_but_not_content() -> None:
    at = pendulum.datetime(2026, 11, 26, 9, 30, 12, tz="UTC")
    base = content_hash("email", "a@b.com", "Acme", "Hi", "Need  100\npcs", at)
    assert base == content_hash(
        "email", "A@B.COM", "acme", "hi", "need 100 pcs", at.add(seconds=30)
    )
    assert base != content_hash("email", "a@b.com", "Acme", "Hi", "Need 200 pcs", at)
    assert base != content_hash("email", "a@b.com", "Acme", "Hi", "Need 100 pcs", at.add(days=1))
    assert base != content_hash("email", "a@b.com", "Acme", "Hi", "Need 100 pcs", None)
    assert len(base) == 64


def test_clean_text_makes_text_storable() -> None:
    assert clean_text("a\x00b\udcfcc") == "ab\ufffdc"
    assert clean_text("\x1b[2J stays") == "\x1b[2J stays"  # storage keeps text as received


@pytest.mark.parametrize(
    "text", ["13:99", "13pm", "2026-02-30", "2026-12-25 10:00", "2 years ago", "05/06/2026", "soon"]
)
def test_why_a_time_is_unreadable_goes_through_gettext(text: str) -> None:
    with marked():
        with pytest.raises(ValueError) as caught:
            parse_received_time(text, NOW, SHANGHAI)
        assert is_marked(str(caught.value)), str(caught.value)
        with pytest.raises(ValueError) as channel:
            parse_channel("carrier pigeon")
        assert is_marked(str(channel.value))
