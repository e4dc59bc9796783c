import pendulum

from sopdesk.sop import geo


def test_single_zone_countries_are_inferred_multi_zone_are_not() -> None:
    assert geo.infer_timezone("DE") == "Europe/Berlin"
    assert geo.infer_timezone("ae") == "Asia/Dubai"
    assert geo.infer_timezone("US") is None
    assert geo.infer_timezone("BR") is None
    assert geo.infer_timezone("") is None
    assert geo.infer_timezone("XX") is None


def test_local_time_and_business_hours() -> None:
    at = pendulum.datetime(2026, 11, 27, 4, 0, tz="UTC")  # Friday
    berlin = geo.local_time(at, "Europe/Berlin", "DE")
    assert berlin.clock == "05:00" and not berlin.business_hours
    shanghai = geo.local_time(at, "Asia/Shanghai", "CN")
    assert shanghai.clock == "12:00" and shanghai.business_hours
    # Friday is the weekend in Riyadh; Dubai moved to Saturday–Sunday in 2022.
    riyadh = geo.local_time(at.add(hours=6), "Asia/Riyadh", "SA")
    assert riyadh.clock == "13:00" and not riyadh.business_hours
    dubai = geo.local_time(at.add(hours=6), "Asia/Dubai", "AE")
    assert dubai.clock == "14:00" and dubai.business_hours
    assert geo.weekend_days("SA") == (4, 5) and geo.weekend_days("AE") == (5, 6)
    assert geo.weekend_days("") == (5, 6) and geo.weekend_days("XX") == (5, 6)


def test_offsets_follow_dst() -> None:
    summer = geo.to_local(pendulum.datetime(2026, 7, 1, 12, tz="UTC"), "America/New_York")
    winter = geo.to_local(pendulum.datetime(2026, 12, 1, 12, tz="UTC"), "America/New_York")
    assert geo.utc_offset_label(summer) == "UTC-4"
    assert geo.utc_offset_label(winter) == "UTC-5"
    assert geo.utc_offset_label(geo.to_local(summer, "Asia/Kolkata")) == "UTC+5:30"


def test_public_holidays_per_country_and_year() -> None:
    from datetime import date

    assert geo.holiday_name("DE", date(2026, 12, 25)) == "Christmas Day"
    assert geo.holiday_name("de", date(2026, 12, 26)) == "Second Day of Christmas"
    assert geo.holiday_name("DE", date(2026, 12, 24)) is None
    assert geo.holiday_name("US", date(2026, 11, 26)) == "Thanksgiving Day"
    assert geo.holiday_name("US", date(2027, 11, 25)) == "Thanksgiving Day"  # each year its own
    assert geo.holiday_name("XX", date(2026, 12, 25)) is None
    assert geo.holiday_name(None, date(2026, 12, 25)) is None
    assert date(2026, 10, 1) in geo.public_holidays("CN", 2026)
    assert all(day.year == 2026 for day in geo.public_holidays("US", 2026))
    # Cached per country and year: the same table comes back.
    assert geo.public_holidays("DE", 2026) is geo.public_holidays("de", 2026)


def test_working_days_know_weekends_holidays_and_swapped_saturdays() -> None:
    from datetime import date

    assert not geo.is_working_day(date(2026, 12, 25), "DE")  # Christmas, a Friday
    assert geo.is_working_day(date(2026, 12, 28), "DE")
    assert geo.is_working_day(date(2026, 12, 25), "XX")  # unknown: weekends only
    assert not geo.is_working_day(date(2026, 12, 26), "XX")
    assert geo.is_working_day(date(2026, 11, 27), "SA") is False  # Friday, their weekend
    assert geo.is_working_day(date(2026, 11, 29), "SA")  # Sunday
    assert geo.is_working_day(date(2026, 10, 10), "CN")  # a Saturday worked for Golden Week
    assert not geo.is_working_day(date(2026, 10, 17), "CN")


def test_a_public_holiday_is_not_business_hours() -> None:
    christmas = pendulum.datetime(2026, 12, 25, 10, tz="Europe/Berlin")
    assert not geo.local_time(christmas, "Europe/Berlin", "DE").business_hours
    assert geo.local_time(christmas.add(days=3), "Europe/Berlin", "DE").business_hours


def test_holiday_names_follow_the_ui_language_when_the_package_has_it() -> None:
    from datetime import date

    from sopdesk import i18n

    i18n.install("zh_CN")
    assert geo.holiday_name("CN", date(2026, 10, 1)) == "国庆节"
    assert geo.holiday_name("DE", date(2026, 12, 25)) == "Christmas Day"  # no Chinese names
    i18n.install("en")
    assert geo.holiday_name("CN", date(2026, 10, 1)) == "National Day"
