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


FIRST_YEAR, LAST_YEAR = 1901, 2199  # a date outside is a typing mistake (and would overflow the arithmetic)


class PeriodError(ValueError):
    """A period that does not exist; the message is Vietnamese."""


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date

    def __post_init__(self) -> None:
        if not (self.date_from.year >= FIRST_YEAR and self.date_to.year <= LAST_YEAR):
            raise PeriodError(f"Kỳ báo cáo phải nằm trong các năm {FIRST_YEAR}–{LAST_YEAR}.")
        if self.date_to < self.date_from:
            raise PeriodError("Ngày kết thúc không được trước ngày bắt đầu kỳ báo cáo.")

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


def month_end(day: dt.date) -> dt.date:
    return next_month(day) - dt.timedelta(days=1)


EPOCH = dt.date(1900, 1, 1)  # before any dossier: "everything up to a day" starts here


def decompose(first: dt.date, last: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """[first, last] as the fewest ledger rows: ("d", a, b) days, ("m", a, b) whole months (first days),
    ("y", a, b) whole years (1 January) — days up to a month boundary, months up to a year boundary, whole
    years, then months and days again. Five years are ~5 year rows per procedure, not ~1,800 day rows."""
    out: list[tuple[str, dt.date, dt.date]] = []
    a = first
    if a <= last and a.day != 1:
        end = min(month_end(a), last)
        out.append(("d", a, end))
        a = end + dt.timedelta(days=1)
    if a <= last and a.month != 1:
        m, through = a, None
        while m.year == a.year and month_end(m) <= last:
            through, m = m, next_month(m)
        if through is not None:
            out.append(("m", a, through))
            a = m
    if a <= last and a.month == 1 and a.day == 1 and dt.date(a.year, 12, 31) <= last:
        y = a.year
        while dt.date(y + 1, 12, 31) <= last:
            y += 1
        out.append(("y", a, dt.date(y, 1, 1)))
        a = dt.date(y + 1, 1, 1)
    m, through = a, None
    while a <= last and m.day == 1 and month_end(m) <= last:
        through, m = m, next_month(m)
    if through is not None:
        out.append(("m", a, through))
        a = m
    if a <= last:
        out.append(("d", a, last))
    return out
