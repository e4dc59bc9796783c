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
