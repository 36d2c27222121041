"""Which days the whole country is off, and the Saturdays it works instead."""

from datetime import date, timedelta

import pytest

from motcua.core.lunar import lunar_to_solar
from motcua.core.national_holidays import national_calendar, national_holidays, national_working_days


def test_2026_holidays_come_from_the_package_in_vietnamese():
    days = national_holidays(2026)
    assert days[date(2026, 1, 1)] == "Tết Dương lịch"
    assert days[date(2026, 2, 16)] == "Giao thừa Tết Nguyên Đán"
    assert days[date(2026, 2, 17)] == "Tết Nguyên Đán"
    assert days[date(2026, 2, 20)] == "Mùng bốn Tết Nguyên Đán"
    assert days[date(2026, 4, 26)] == "Ngày Giỗ Tổ Hùng Vương"
    assert days[date(2026, 4, 27)] == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert days[date(2026, 4, 30)] == "Ngày Chiến thắng"
    assert days[date(2026, 5, 1)] == "Ngày Quốc tế Lao động"
    assert days[date(2026, 8, 31)] == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    assert days[date(2026, 9, 1)] == days[date(2026, 9, 2)] == "Quốc khánh"
    assert list(days) == sorted(days)


def test_the_package_already_counts_24_november_as_a_holiday_from_2026_which_an_override_can_cancel():
    # The legal reference says this is not yet law; an agency cancels it with a working-day override.
    assert national_holidays(2026)[date(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"
    calendar = national_calendar(days_worked={date(2026, 11, 24): "Làm việc bình thường"})
    assert calendar.is_working_day(date(2026, 11, 24))


def test_make_up_saturdays_known_to_the_package_are_named_after_the_day_off_they_pay_for():
    assert national_working_days(2026) == {date(2026, 8, 22): "Ngày làm việc bù (cho ngày nghỉ 31/08/2026)"}
    assert national_working_days(2024) == {date(2024, 5, 4): "Ngày làm việc bù (cho ngày nghỉ 29/04/2024)"}
    assert national_working_days(2019)[date(2019, 1, 5)] == "Ngày làm việc bù (cho ngày nghỉ 31/12/2018)"
    assert national_working_days(2027) == {}


def test_make_up_days_belong_to_the_year_they_are_worked_in():
    assert date(2014, 12, 27) in national_working_days(2014)
    assert all(d.year == 2015 for d in national_working_days(2015))


@pytest.mark.parametrize("year", [1900, 1901, 1985, 2007, 2024, 2025, 2026, 2030, 2100])
def test_every_year_has_new_year_tet_30_4_1_5_and_2_9(year):
    days = national_holidays(year)
    tet = lunar_to_solar(1, 1, year)
    for day in (date(year, 1, 1), tet, tet + timedelta(days=1), date(year, 4, 30), date(year, 5, 1)):
        assert day in days
    assert date(year, 9, 2) in days
    assert all(d.year == year for d in days)


def test_every_year_from_1900_to_2100_has_its_holidays():
    for year in range(1900, 2101):
        assert len(national_holidays(year)) >= 8, year


def test_1900_which_the_package_lacks_follows_labour_code_2019_with_compensation_days():
    days = national_holidays(1900)
    assert days == {
        date(1900, 1, 1): "Tết Dương lịch",
        date(1900, 1, 30): "Giao thừa Tết Nguyên Đán",
        date(1900, 1, 31): "Tết Nguyên Đán",
        date(1900, 2, 1): "Mùng hai Tết Nguyên Đán",
        date(1900, 2, 2): "Mùng ba Tết Nguyên Đán",
        date(1900, 2, 3): "Mùng bốn Tết Nguyên Đán",  # a Saturday
        date(1900, 2, 5): "Mùng bốn Tết Nguyên Đán (nghỉ bù)",
        date(1900, 4, 9): "Ngày Giỗ Tổ Hùng Vương",
        date(1900, 4, 30): "Ngày Chiến thắng",
        date(1900, 5, 1): "Ngày Quốc tế Lao động",
        date(1900, 9, 1): "Quốc khánh",  # Saturday
        date(1900, 9, 2): "Quốc khánh",  # Sunday
        date(1900, 9, 3): "Quốc khánh (nghỉ bù)",
        date(1900, 9, 4): "Quốc khánh (nghỉ bù)",
    }
    assert national_working_days(1900) == {}


@pytest.mark.parametrize("year", [1899, 2101])
def test_years_outside_1900_to_2100_are_refused(year):
    with pytest.raises(ValueError, match="1900–2100"):
        national_holidays(year)
    with pytest.raises(ValueError, match="1900–2100"):
        national_working_days(year)


def test_the_result_is_shared_and_read_only():
    assert national_holidays(2026) is national_holidays(2026)
    with pytest.raises(TypeError):
        national_holidays(2026)[date(2026, 3, 8)] = "Quốc tế Phụ nữ"  # type: ignore[index]


def test_an_agency_can_add_a_day_off_cancel_a_holiday_and_work_a_saturday():
    calendar = national_calendar(
        days_off={date(2026, 1, 2): "Tết Dương lịch (nghỉ thêm)", date(2026, 8, 22): "Nghỉ"},
        days_worked={date(2026, 1, 10): "Làm bù cho ngày 02/01/2026", date(2026, 4, 27): "Làm việc"},
    )
    assert not calendar.is_working_day(date(2026, 1, 2))
    assert calendar.day_name(date(2026, 1, 2)) == "Tết Dương lịch (nghỉ thêm)"
    assert calendar.is_working_day(date(2026, 1, 10))
    assert calendar.is_working_day(date(2026, 4, 27))
    assert not calendar.is_working_day(date(2026, 8, 22))  # the agency's day off beats a make-up day
    assert not calendar.is_working_day(date(2026, 8, 31))


def test_an_override_that_is_both_off_and_worked_is_refused():
    with pytest.raises(ValueError, match="both"):
        national_calendar(days_off={date(2026, 1, 2): "Nghỉ"}, days_worked={date(2026, 1, 2): "Làm"})
