"""Vietnam's national non-working days and make-up working days, one year at a time.

The ``holidays`` package is the source: it carries the Labour Code of each period, the Vietnamese
lunar dates, compensation days (nghỉ bù) and the Government's swap days (hoán đổi) it knows about.
An agency's administrator corrects and completes a year through an override table (see
``national_calendar``), because the Prime Minister decides each year's Tết and Quốc khánh days and
the package can lag behind.

For 1900, which the package does not cover, the current rules of Labour Code 2019 Art. 112 are
applied with our own lunar calendar, so that every year from 1900 to 2100 has an answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType
from typing import Any

import holidays as holidays_package

from motcua.core.lunar import lunar_to_solar
from motcua.core.workdays import Calendar

__all__ = ["FIRST_YEAR", "LAST_YEAR", "national_calendar", "national_holidays", "national_working_days"]

FIRST_YEAR = 1900
LAST_YEAR = 2100

_COMPENSATION = "{} (nghỉ bù)"
_MAKE_UP_DAY = "Ngày làm việc bù"
_SWAP_DATE_FORMAT = "%d/%m/%Y"  # how the package writes "Ngày nghỉ (thay cho ngày 22/08/2026)"


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"national holidays are known for the years {FIRST_YEAR}–{LAST_YEAR}, not {year}")


def _package_year(year: int) -> holidays_package.HolidayBase:
    return holidays_package.country_holidays("VN", years=year, language="vi")


@cache
def national_holidays(year: int) -> Mapping[date, str]:
    """The national non-working days of ``year`` with their Vietnamese names, weekends included.

    Read-only because the result is cached and shared by every caller.
    """
    _check_year(year)
    days = {d: name for d, name in _package_year(year).items() if d.year == year}
    if not days:
        days = _labour_code_2019(year)
    return MappingProxyType(dict(sorted(days.items())))


@cache
def national_working_days(year: int) -> Mapping[date, str]:
    """Weekend days of ``year`` that the Government made working days (make-up days for a swap).

    Known only where the package records the swap; empty otherwise.
    """
    _check_year(year)
    worked = sorted(d for d in getattr(_package_year(year), "weekend_workdays", ()) if d.year == year)
    return MappingProxyType({d: _make_up_day_name(d) for d in worked})


def _make_up_day_name(worked: date) -> str:
    """Name a make-up day after the day off it pays for, which may lie in a neighbouring year."""
    mark = worked.strftime(_SWAP_DATE_FORMAT)
    for year in range(max(worked.year - 1, FIRST_YEAR), min(worked.year + 1, LAST_YEAR) + 1):
        for day_off, name in national_holidays(year).items():
            if mark in name:
                return f"{_MAKE_UP_DAY} (cho ngày nghỉ {day_off.strftime(_SWAP_DATE_FORMAT)})"
    return _MAKE_UP_DAY


def _labour_code_2019(year: int) -> dict[date, str]:
    """Art. 112 of the Labour Code 2019 with Art. 111.3 compensation, for years the package lacks."""
    tet = lunar_to_solar(1, 1, year)
    days = {
        date(year, 1, 1): "Tết Dương lịch",
        tet - timedelta(days=1): "Giao thừa Tết Nguyên Đán",
        tet: "Tết Nguyên Đán",
        tet + timedelta(days=1): "Mùng hai Tết Nguyên Đán",
        tet + timedelta(days=2): "Mùng ba Tết Nguyên Đán",
        tet + timedelta(days=3): "Mùng bốn Tết Nguyên Đán",
        lunar_to_solar(10, 3, year): "Ngày Giỗ Tổ Hùng Vương",
        date(year, 4, 30): "Ngày Chiến thắng",
        date(year, 5, 1): "Ngày Quốc tế Lao động",
        date(year, 9, 1): "Quốc khánh",
        date(year, 9, 2): "Quốc khánh",
    }
    compensation: dict[date, str] = {}
    for day, name in sorted(days.items()):
        if day.weekday() < 5:
            continue
        substitute = day + timedelta(days=1)
        while substitute.weekday() >= 5 or substitute in days or substitute in compensation:
            substitute += timedelta(days=1)
        compensation[substitute] = _COMPENSATION.format(name)
    return days | compensation


def national_calendar(
    *,
    days_off: Mapping[date, str] | None = None,
    days_worked: Mapping[date, str] | None = None,
    **calendar_options: Any,
) -> Calendar:
    """The national calendar under an agency's overrides, computed lazily year by year.

    ``days_off`` adds non-working days (or replaces a national name); ``days_worked`` makes dates
    working days, which both removes a national holiday and adds a make-up Saturday. Other keyword
    arguments (``office_hours``, ``weekend``, ``zone``) go to ``Calendar``.
    """
    return Calendar.yearly(
        national_holidays,
        national_working_days,
        days_off=days_off,
        days_worked=days_worked,
        years=range(FIRST_YEAR, LAST_YEAR + 1),
        **calendar_options,
    )
