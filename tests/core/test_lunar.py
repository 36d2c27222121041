"""The Vietnamese lunar calendar decides Tết and Giỗ Tổ, hence which days are working days."""

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.lunar import LunarDate, lunar_to_solar, solar_to_lunar

FIRST_TET = date(1900, 1, 31)
LAST_DAY = date(2100, 12, 31)


@pytest.mark.parametrize(
    ("year", "tet", "gio_to"),
    [
        (2025, date(2025, 1, 29), date(2025, 4, 7)),
        (2026, date(2026, 2, 17), date(2026, 4, 26)),
        (2027, date(2027, 2, 6), date(2027, 4, 16)),
        (2028, date(2028, 1, 26), date(2028, 4, 4)),
        (2029, date(2029, 2, 13), date(2029, 4, 23)),
        (2030, date(2030, 2, 2), date(2030, 4, 12)),
    ],
)
def test_tet_and_gio_to_match_the_legal_reference(year, tet, gio_to):
    assert lunar_to_solar(1, 1, year) == tet
    assert lunar_to_solar(10, 3, year) == gio_to
    assert solar_to_lunar(tet) == LunarDate(1, 1, year)
    assert solar_to_lunar(gio_to) == LunarDate(10, 3, year)


@pytest.mark.parametrize(
    ("year", "tet_at_utc7", "new_year_at_utc8"),
    [
        (1968, date(1968, 1, 29), date(1968, 1, 30)),
        (1985, date(1985, 1, 21), date(1985, 2, 20)),
        (2007, date(2007, 2, 17), date(2007, 2, 18)),
        (2030, date(2030, 2, 2), date(2030, 2, 3)),
        (2053, date(2053, 2, 18), date(2053, 2, 19)),
    ],
)
def test_tet_is_computed_at_utc7_and_differs_from_a_utc8_calendar(year, tet_at_utc7, new_year_at_utc8):
    assert lunar_to_solar(1, 1, year) == tet_at_utc7
    assert lunar_to_solar(1, 1, year, tz=8.0) == new_year_at_utc8
    assert solar_to_lunar(tet_at_utc7) == LunarDate(1, 1, year)
    assert solar_to_lunar(tet_at_utc7, tz=8.0) != LunarDate(1, 1, year)
    assert solar_to_lunar(new_year_at_utc8, tz=8.0) == LunarDate(1, 1, year)


@pytest.mark.parametrize(
    ("first_day", "lunar"),
    [
        (date(2020, 5, 23), LunarDate(1, 4, 2020, leap=True)),
        (date(2023, 3, 22), LunarDate(1, 2, 2023, leap=True)),
        (date(2025, 7, 25), LunarDate(1, 6, 2025, leap=True)),
        (date(2033, 12, 22), LunarDate(1, 11, 2033, leap=True)),
    ],
)
def test_leap_months_are_the_first_month_without_a_major_solar_term(first_day, lunar):
    assert solar_to_lunar(first_day) == lunar
    assert lunar_to_solar(lunar.day, lunar.month, lunar.year, leap=True) == first_day
    assert solar_to_lunar(first_day - timedelta(days=1)).leap is False


def test_a_month_whose_new_moon_strays_from_the_mean_still_starts_on_the_new_moon_day():
    # The mean new moon puts 2054-05-07 in the next month; the published algorithm said "day 0" here.
    assert solar_to_lunar(date(2054, 5, 7)) == LunarDate(30, 3, 2054)
    assert solar_to_lunar(date(2054, 5, 8)) == LunarDate(1, 4, 2054)


@settings(max_examples=200, deadline=None)
@given(d=st.dates(min_value=FIRST_TET, max_value=LAST_DAY), tz=st.sampled_from([7.0, 8.0]))
def test_solar_to_lunar_and_back_returns_the_same_day(d, tz):
    lunar = solar_to_lunar(d, tz=tz)
    assert lunar_to_solar(lunar.day, lunar.month, lunar.year, lunar.leap, tz=tz) == d


def test_every_day_from_1900_to_2100_follows_the_day_before():
    """Days count up; a month has 29 or 30 days; a leap month repeats the month before it."""
    previous = solar_to_lunar(FIRST_TET)
    assert previous == LunarDate(1, 1, 1900)
    d = FIRST_TET
    while d < LAST_DAY:
        d += timedelta(days=1)
        lunar = solar_to_lunar(d)
        if lunar.day != 1:
            assert lunar == LunarDate(previous.day + 1, previous.month, previous.year, previous.leap), d
        else:
            assert previous.day in (29, 30), d
            if lunar.leap:
                assert (lunar.month, lunar.year, previous.leap) == (previous.month, previous.year, False), d
            elif lunar.month == 1:
                assert (previous.month, lunar.year) == (12, previous.year + 1), d
            else:
                assert (lunar.month, lunar.year) == (previous.month + 1, previous.year), d
        previous = lunar


def _package_day(year: int, name: str) -> list[date]:
    package_days = holidays.Vietnam(years=year, language="vi")
    return [d for d, names in package_days.items() if name in names.split("; ")]


def test_tet_agrees_with_the_holidays_package_for_every_year_from_1901_to_2100():
    disagreements = [
        (year, _package_day(year, "Tết Nguyên Đán"), lunar_to_solar(1, 1, year))
        for year in range(1901, 2101)
        if _package_day(year, "Tết Nguyên Đán") != [lunar_to_solar(1, 1, year)]
    ]
    assert disagreements == []


def test_gio_to_agrees_with_the_holidays_package_for_every_year_it_is_a_holiday():
    disagreements = [
        (year, _package_day(year, "Ngày Giỗ Tổ Hùng Vương"), lunar_to_solar(10, 3, year))
        for year in range(2007, 2101)
        if _package_day(year, "Ngày Giỗ Tổ Hùng Vương") != [lunar_to_solar(10, 3, year)]
    ]
    assert disagreements == []


@pytest.mark.parametrize(
    ("day", "month", "year", "leap", "message"),
    [
        (1, 4, 2026, True, "no leap month"),
        (1, 5, 2025, True, "no leap month 5"),
        (30, 12, 2025, False, "only 29 days"),
        (0, 1, 2026, False, "lunar day"),
        (31, 1, 2026, False, "lunar day"),
        (1, 13, 2026, False, "lunar month"),
        (1, 1, 1700, False, "1800–2199"),
        (1, 1, 2300, False, "1800–2199"),
    ],
)
def test_a_lunar_day_that_does_not_exist_is_refused(day, month, year, leap, message):
    with pytest.raises(ValueError, match=message):
        lunar_to_solar(day, month, year, leap)


def test_the_last_day_of_a_lunar_year_is_the_eve_of_tet():
    assert lunar_to_solar(29, 12, 2025) == date(2026, 2, 16) == lunar_to_solar(1, 1, 2026) - timedelta(days=1)
