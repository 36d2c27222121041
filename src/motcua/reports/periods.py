"""Report periods (pure): a month, quarter, half-year or year, and the data cut-off of official reporting.

Official periodic reports count data from the 15th of the last month of the previous period to the 14th
of the current period's last month (the year: 15/12 to 14/12), the pattern of NĐ 09/2019 (the article is
unverified, so the day is a setting, ``REPORT_CUTOFF_DAY``; 1 means calendar periods).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

KINDS = {"month": 1, "quarter": 3, "half": 6, "year": 12}  # months per period
COUNTS = {"month": 12, "quarter": 4, "half": 2, "year": 1}


class PeriodError(ValueError):
    """A period that does not exist; the message is Vietnamese."""


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date

    def __post_init__(self) -> None:
        if self.date_to < self.date_from:
            raise PeriodError("Ngày kết thúc phải sau ngày bắt đầu kỳ báo cáo.")

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1


def _month_start(year: int, month: int) -> dt.date:
    year += (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def standard(kind: str, year: int, number: int = 1, *, cutoff_day: int = 15) -> Period:
    """The ``number``-th period of ``kind`` in ``year``: calendar months when ``cutoff_day`` is 1, else from
    the ``cutoff_day`` of the month before the period's first month to the day before it in its last."""
    if kind not in KINDS:
        raise PeriodError("Kỳ báo cáo phải là tháng, quý, 6 tháng hoặc năm.")
    if not 1 <= number <= COUNTS[kind]:
        raise PeriodError(f"Kỳ số {number} không có: một năm có {COUNTS[kind]} kỳ loại này.")
    if not 1 <= cutoff_day <= 28:
        raise PeriodError("Ngày chốt số liệu phải từ 1 đến 28.")
    first_month = (number - 1) * KINDS[kind] + 1
    start = _month_start(year, first_month)
    after = _month_start(year, first_month + KINDS[kind])
    if cutoff_day == 1:
        return Period(start, after - dt.timedelta(days=1))
    previous = _month_start(year, first_month - 1)
    last = _month_start(year, first_month + KINDS[kind] - 1)
    return Period(previous.replace(day=cutoff_day), last.replace(day=cutoff_day - 1))


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return _month_start(day.year, day.month + 1)


def split(period: Period) -> tuple[list[tuple[dt.date, dt.date]], tuple[dt.date, dt.date] | None]:
    """The period as day ranges at its ragged ends and one range of whole months in between (first days of
    the first and last whole month), so that a report over years reads month rows and at most ~60 day rows
    per procedure."""
    first_whole = period.date_from if period.date_from.day == 1 else next_month(period.date_from)
    end_whole = next_month(period.date_to) if next_month(period.date_to) - dt.timedelta(days=1) == period.date_to \
        else month_start(period.date_to)
    if first_whole >= end_whole:
        return [(period.date_from, period.date_to)], None
    days = []
    if period.date_from < first_whole:
        days.append((period.date_from, first_whole - dt.timedelta(days=1)))
    if end_whole <= period.date_to:
        days.append((end_whole, period.date_to))
    last_whole = month_start(end_whole - dt.timedelta(days=1))
    return days, (first_whole, last_whole)
