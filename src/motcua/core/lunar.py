"""The Vietnamese lunar calendar (âm lịch), after Hồ Ngọc Đức's published algorithm.

Tết, Giỗ Tổ Hùng Vương and every other lunar holiday decide which days are working days, so the
lunar calendar is part of deadline arithmetic. Vietnam defines its lunar months by new moons and
solar terms computed at UTC+7; Chinese-calendar libraries compute at UTC+8 and get some Vietnamese
months wrong (Tết 1968, 1985, 2007, 2030, 2053). The time zone is a parameter only so that tests can
show that difference.

The rules: a month begins on the local day of a new moon; month 11 is the month that contains the
winter solstice; a lunar year with 13 months (13 new moons between two months 11) has a leap month,
the first month after month 11 in which the sun enters no new 30° sector (no major solar term). The
astronomy is the short Meeus-style series Hồ Ngọc Đức uses, good for the years 1800–2199, which is
the range accepted here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

__all__ = ["FIRST_YEAR", "LAST_YEAR", "LunarDate", "lunar_to_solar", "solar_to_lunar"]

FIRST_YEAR = 1800
LAST_YEAR = 2199

_JDN_MINUS_ORDINAL = 1_721_425  # Julian day number of a date minus its proleptic Gregorian ordinal
_SYNODIC_MONTH = 29.530588853  # mean days from one new moon to the next
_NEW_MOON_0 = 2_415_021.076998695  # Julian date of the mean new moon of 1900-01-01, number k = 0
_RAD = math.pi / 180


@dataclass(frozen=True)
class LunarDate:
    """A day of the Vietnamese lunar calendar; ``leap`` marks a day of the leap month (tháng nhuận)."""

    day: int
    month: int
    year: int
    leap: bool = False


def _jdn(d: date) -> int:
    return d.toordinal() + _JDN_MINUS_ORDINAL


def _from_jdn(jdn: int) -> date:
    return date.fromordinal(jdn - _JDN_MINUS_ORDINAL)


def _new_moon(k: int) -> float:
    """Julian date (UT) of the k-th new moon after the one of 1900-01-01."""
    t = k / 1236.85  # Julian centuries from 1900-01-01
    t2, t3 = t * t, t * t * t
    jd = 2_415_020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _RAD)
    sun_anomaly = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * _RAD
    moon_anomaly = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * _RAD
    latitude = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * _RAD
    m, mp, f = sun_anomaly, moon_anomaly, latitude
    correction = (
        (0.1734 - 0.000393 * t) * math.sin(m)
        + 0.0021 * math.sin(2 * m)
        - 0.4068 * math.sin(mp)
        + 0.0161 * math.sin(2 * mp)
        - 0.0004 * math.sin(3 * mp)
        + 0.0104 * math.sin(2 * f)
        - 0.0051 * math.sin(m + mp)
        - 0.0074 * math.sin(m - mp)
        + 0.0004 * math.sin(2 * f + m)
        - 0.0004 * math.sin(2 * f - m)
        - 0.0006 * math.sin(2 * f + mp)
        + 0.0010 * math.sin(2 * f - mp)
        + 0.0005 * math.sin(2 * mp + m)
    )
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd + correction - delta_t


def _new_moon_day(k: int, tz: float) -> int:
    """Julian day number of the local calendar day on which the k-th new moon falls."""
    return math.floor(_new_moon(k) + 0.5 + tz / 24)


def _sun_longitude(jd: float) -> float:
    """Apparent ecliptic longitude of the sun at Julian date ``jd`` (UT), in radians in [0, 2π)."""
    t = (jd - 2_451_545.0) / 36525  # Julian centuries from J2000
    t2 = t * t
    mean_anomaly = (357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2) * _RAD
    mean_longitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    center = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(mean_anomaly)
    center += (0.019993 - 0.000101 * t) * math.sin(2 * mean_anomaly) + 0.000290 * math.sin(3 * mean_anomaly)
    return ((mean_longitude + center) * _RAD) % (2 * math.pi)


def _solar_sector(jdn: int, tz: float) -> int:
    """The 30° sector (0..11) of the sun's longitude at local midnight starting day ``jdn``.

    A month contains a major solar term exactly when the sector at its first day differs from the
    sector at the first day of the next month; sector 9 begins at the winter solstice (270°).
    """
    return math.floor(_sun_longitude(jdn - 0.5 - tz / 24) / math.pi * 6)


@lru_cache(maxsize=1024)
def _month_11_start(year: int, tz: float) -> int:
    """Julian day number of the first day of the lunar month 11 that begins in Gregorian ``year``."""
    k = math.floor((_jdn(date(year, 12, 31)) - 2_415_021) / _SYNODIC_MONTH)
    start = _new_moon_day(k, tz)
    if _solar_sector(start, tz) >= 9:  # the solstice came before this new moon: month 11 began earlier
        start = _new_moon_day(k - 1, tz)
    return start


@lru_cache(maxsize=1024)
def _leap_month_offset(month_11_start: int, tz: float) -> int:
    """Months from month 11 to the leap month of a 13-month lunar year (1 means a leap month 11)."""
    k = math.floor((month_11_start - _NEW_MOON_0) / _SYNODIC_MONTH + 0.5)
    sector = _solar_sector(_new_moon_day(k + 1, tz), tz)
    for i in range(2, 15):
        previous, sector = sector, _solar_sector(_new_moon_day(k + i, tz), tz)
        if sector == previous:
            return i - 1
    return 13


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"the lunar calendar is computed for the years {FIRST_YEAR}–{LAST_YEAR}, not {year}")


def solar_to_lunar(d: date, tz: float = 7.0) -> LunarDate:
    """The lunar date of the Gregorian day ``d`` (at UTC+7 unless ``tz`` says otherwise)."""
    _check_year(d.year)
    day_number = _jdn(d)
    # The mean new moon only estimates the month; the true one can be a day either side of it
    # (2054-05-07 is a case), so step until new moon k is the last one on or before the day.
    k = math.floor((day_number - _NEW_MOON_0) / _SYNODIC_MONTH)
    while _new_moon_day(k, tz) > day_number:
        k -= 1
    while _new_moon_day(k + 1, tz) <= day_number:
        k += 1
    month_start = _new_moon_day(k, tz)
    a11 = _month_11_start(d.year, tz)
    b11 = a11
    if a11 >= month_start:  # before this year's month 11: the lunar year named after d.year
        year = d.year
        a11 = _month_11_start(d.year - 1, tz)
    else:  # in or after this year's month 11
        year = d.year + 1
        b11 = _month_11_start(d.year + 1, tz)
    months_after_11 = math.floor((month_start - a11) / 29)
    month = months_after_11 + 11
    leap = False
    if b11 - a11 > 365:  # 13 months between the two months 11
        leap_offset = _leap_month_offset(a11, tz)
        if months_after_11 >= leap_offset:
            month -= 1
            leap = months_after_11 == leap_offset
    if month > 12:
        month -= 12
    if month >= 11 and months_after_11 < 4:  # months 11 and 12 belong to the year before
        year -= 1
    return LunarDate(day=day_number - month_start + 1, month=month, year=year, leap=leap)


def lunar_to_solar(day: int, month: int, year: int, leap: bool = False, tz: float = 7.0) -> date:
    """The Gregorian date of a lunar day; ValueError for a day that does not exist.

    A lunar month has 29 or 30 days and only some years have a leap month, so "30/12" or a leap
    month can be refused for a given year.
    """
    if not FIRST_YEAR - 1 <= year <= LAST_YEAR:  # lunar year 1799 ends in January 1800
        raise ValueError(f"the lunar calendar is computed for the years {FIRST_YEAR}–{LAST_YEAR}, not {year}")
    if not 1 <= month <= 12:
        raise ValueError(f"lunar month must be 1..12, not {month}")
    if not 1 <= day <= 30:
        raise ValueError(f"lunar day must be 1..30, not {day}")
    if month < 11:
        a11, b11 = _month_11_start(year - 1, tz), _month_11_start(year, tz)
    else:
        a11, b11 = _month_11_start(year, tz), _month_11_start(year + 1, tz)
    k = math.floor(0.5 + (a11 - _NEW_MOON_0) / _SYNODIC_MONTH)
    offset = (month - 11) % 12
    if b11 - a11 > 365:
        leap_offset = _leap_month_offset(a11, tz)
        leap_month = (leap_offset - 2) % 12 or 12
        if leap and month != leap_month:
            raise ValueError(f"lunar year {year} has no leap month {month} (its leap month is {leap_month})")
        if leap or offset >= leap_offset:
            offset += 1
    elif leap:
        raise ValueError(f"lunar year {year} has no leap month")
    month_start = _new_moon_day(k + offset, tz)
    length = _new_moon_day(k + offset + 1, tz) - month_start
    if day > length:
        raise ValueError(f"lunar month {month}{' (leap)' if leap else ''} of {year} has only {length} days")
    result = _from_jdn(month_start + day - 1)
    _check_year(result.year)
    return result
