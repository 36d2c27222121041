"""Working-time arithmetic: the one place where deadlines are computed.

Time limits for dossiers and documents are set in working days or working hours of an agency's
calendar, never in calendar days, so that "3 ngày làm việc" skips weekends, Tết and the Government's
swap days, and a page can say "còn 2 ngày 3 giờ". A working day has exactly 8 working hours, whatever
the office hours are, so "1 ngày" and "8 giờ" are the same amount everywhere.

Working time is counted on the office's wall clock in the calendar's zone, in whole minutes; instants
keep their seconds, and a measure between instants that are not on whole minutes drops the
sub-minute rest (towards zero). Everything here is pure: no Django, no database, no "now".
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "DEFAULT_ZONE",
    "HOURS_PER_DAY",
    "MINUTES_PER_DAY",
    "Calendar",
    "OfficeHours",
    "Session",
    "WorkingTime",
    "YearlyDays",
    "add_working_days",
    "add_working_hours",
    "add_working_time",
    "describe_remaining",
    "forward_deadline",
    "is_working_instant",
    "iter_non_working_days",
    "iter_working_overrides",
    "next_working_instant",
    "working_time_between",
]

HOURS_PER_DAY = 8
MINUTES_PER_DAY = HOURS_PER_DAY * 60
DEFAULT_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

_US_PER_MINUTE = 60_000_000
_US_PER_DAY = MINUTES_PER_DAY * _US_PER_MINUTE  # working microseconds in one working day
_MIDNIGHT_AFTER = 24 * 60 * _US_PER_MINUTE  # microseconds of clock time in a day


def _clock_us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


# ---------------------------------------------------------------------------------------------------------
# Office hours


@dataclass(frozen=True)
class Session:
    """One stretch of office hours in a day, e.g. the morning 07:30–11:30 (wall-clock, whole minutes)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        for t in (self.start, self.end):
            if t.tzinfo is not None:
                raise ValueError("session times are wall-clock times of the calendar's zone, without tzinfo")
            if t.second or t.microsecond:
                raise ValueError(f"session times are whole minutes, not {t.isoformat()}")
        if not self.start < self.end:
            raise ValueError(f"a session must end after it starts, not {self.start:%H:%M}–{self.end:%H:%M}")

    @property
    def minutes(self) -> int:
        return (_clock_us(self.end) - _clock_us(self.start)) // _US_PER_MINUTE

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True)
class OfficeHours:
    """An agency's sessions for one day; they must add up to exactly one working day (8 hours).

    The 8-hour total is what lets "1 ngày" equal "8 giờ" on every day, so hours that do not add up
    are refused rather than silently changing what a day means.
    """

    sessions: tuple[Session, ...]
    _spans: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        sessions = tuple(self.sessions)
        object.__setattr__(self, "sessions", sessions)
        if not sessions:
            raise ValueError("office hours need at least one session")
        for earlier, later in pairwise(sessions):
            if later.start < earlier.start:
                raise ValueError(f"sessions must be in the order of the day: {later} comes before {earlier}")
            if later.start < earlier.end:
                raise ValueError(f"sessions must not overlap: {earlier} and {later}")
        if self.minutes != MINUTES_PER_DAY:
            raise ValueError(
                f"office hours must add up to {HOURS_PER_DAY} hours (one working day); "
                f"{', '.join(map(str, sessions))} add up to {self.minutes // 60} h {self.minutes % 60} min"
            )
        object.__setattr__(self, "_spans", tuple((_clock_us(s.start), _clock_us(s.end)) for s in sessions))

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)


DEFAULT_OFFICE_HOURS = OfficeHours((Session(time(7, 30), time(11, 30)), Session(time(13, 30), time(17, 30))))


# ---------------------------------------------------------------------------------------------------------
# Amounts of working time


@dataclass(frozen=True, order=True)
class WorkingTime:
    """A signed amount of working time in minutes; 1 day = 8 hours = 480 minutes."""

    minutes: int

    def __post_init__(self) -> None:
        if not isinstance(self.minutes, int) or isinstance(self.minutes, bool):
            raise TypeError(f"working time is a whole number of minutes, not {self.minutes!r}")

    @classmethod
    def days(cls, n: int) -> WorkingTime:
        return cls(n * MINUTES_PER_DAY)

    @classmethod
    def hours(cls, n: int) -> WorkingTime:
        return cls(n * 60)

    @property
    def whole_days(self) -> int:
        return abs(self.minutes) // MINUTES_PER_DAY

    @property
    def rest_hours(self) -> int:
        return abs(self.minutes) % MINUTES_PER_DAY // 60

    @property
    def rest_minutes(self) -> int:
        return abs(self.minutes) % 60

    @property
    def is_negative(self) -> bool:
        return self.minutes < 0

    def __add__(self, other: object) -> WorkingTime:
        if not isinstance(other, WorkingTime):
            return NotImplemented
        return WorkingTime(self.minutes + other.minutes)

    def __sub__(self, other: object) -> WorkingTime:
        if not isinstance(other, WorkingTime):
            return NotImplemented
        return WorkingTime(self.minutes - other.minutes)

    def __neg__(self) -> WorkingTime:
        return WorkingTime(-self.minutes)

    def __abs__(self) -> WorkingTime:
        return WorkingTime(abs(self.minutes))

    def __bool__(self) -> bool:
        return self.minutes != 0

    def __str__(self) -> str:
        """Vietnamese, as staff read it on a dossier: "2 ngày 3 giờ", "45 phút", "0 phút"."""
        units = ((self.whole_days, "ngày"), (self.rest_hours, "giờ"), (self.rest_minutes, "phút"))
        parts = [f"{value} {unit}" for value, unit in units if value]
        text = " ".join(parts) or "0 phút"
        return f"-{text}" if self.is_negative else text


# ---------------------------------------------------------------------------------------------------------
# Calendars


class YearlyDays(Mapping[date, str]):
    """A date → name mapping computed one year at a time by ``source`` and cached.

    Holidays are only known year by year (lunar dates, each year's government schedule), and a
    deadline rarely looks more than a year ahead, so nothing is computed before it is needed.
    ``years`` is the span that iteration covers; a look-up outside it still asks ``source``, which
    may refuse (``national_holidays`` raises ValueError outside 1900–2100).
    """

    def __init__(self, source: Callable[[int], Mapping[date, str]], years: range = range(1900, 2101)) -> None:
        self._source = source
        self._years = years
        self._cache: dict[int, Mapping[date, str]] = {}

    def for_year(self, year: int) -> Mapping[date, str]:
        days = self._cache.get(year)
        if days is None:
            days = MappingProxyType({d: name for d, name in self._source(year).items() if d.year == year})
            self._cache[year] = days
        return days

    def __getitem__(self, key: date) -> str:
        if not isinstance(key, date):
            raise KeyError(key)
        return self.for_year(key.year)[key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, date) and key in self.for_year(key.year)

    def __iter__(self) -> Iterator[date]:
        for year in self._years:
            yield from self.for_year(year)

    def __len__(self) -> int:
        return sum(len(self.for_year(year)) for year in self._years)


def _no_days() -> Mapping[date, str]:
    return MappingProxyType({})


def _by_year(days: Mapping[date, str]) -> dict[int, dict[date, str]]:
    grouped: dict[int, dict[date, str]] = {}
    for d, name in days.items():
        grouped.setdefault(d.year, {})[d] = name
    return grouped


@dataclass(frozen=True, eq=False)
class Calendar:
    """Which days are working days and when the office is open, for one agency.

    A date in ``working_days`` is a working day even if it is a weekend day or also listed in
    ``holidays``: that is how a make-up Saturday is worked and how an agency cancels a national
    holiday. A date in ``holidays`` is otherwise a day off, weekend or not. ``office_hours`` may be a
    function of the date for hours that change with the season or from a given date.

    A calendar is a value: it caches per-year tables, so do not mutate the mappings after building
    it; build a new calendar when the schedule changes. Compared by identity for the same reason.
    """

    holidays: Mapping[date, str]
    working_days: Mapping[date, str] = field(default_factory=_no_days)
    office_hours: OfficeHours | Callable[[date], OfficeHours] = DEFAULT_OFFICE_HOURS
    weekend: frozenset[int] = frozenset({5, 6})
    zone: ZoneInfo = DEFAULT_ZONE
    _tables: dict[int, list[int]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        weekend = frozenset(self.weekend)
        if not weekend <= set(range(7)):
            raise ValueError(f"weekend days are numbers 0 (Monday) to 6 (Sunday), not {sorted(weekend)}")
        if len(weekend) == 7:
            raise ValueError("a calendar needs at least one working weekday")
        object.__setattr__(self, "weekend", weekend)

    @classmethod
    def yearly(
        cls,
        holidays: Callable[[int], Mapping[date, str]],
        working_days: Callable[[int], Mapping[date, str]] | None = None,
        *,
        days_off: Mapping[date, str] | None = None,
        days_worked: Mapping[date, str] | None = None,
        years: range = range(1900, 2101),
        **options: Any,
    ) -> Calendar:
        """A calendar whose days come from per-year sources under an agency's overrides.

        ``days_off`` are added as non-working days (and stop being make-up days); ``days_worked``
        are added as working days (and stop being holidays), so an override always wins over the
        sources. ``options`` are the other fields (``office_hours``, ``weekend``, ``zone``).
        """
        off, worked = dict(days_off or {}), dict(days_worked or {})
        if clash := sorted(off.keys() & worked.keys()):
            raise ValueError(f"a date cannot be both a day off and a working day: {clash[0].isoformat()}")
        off_by_year, worked_by_year = _by_year(off), _by_year(worked)

        def year_off(year: int) -> dict[date, str]:
            days = {d: name for d, name in holidays(year).items() if d not in worked}
            return days | off_by_year.get(year, {})

        def year_worked(year: int) -> dict[date, str]:
            base = working_days(year) if working_days is not None else {}
            return {d: name for d, name in base.items() if d not in off} | worked_by_year.get(year, {})

        return cls(holidays=YearlyDays(year_off, years), working_days=YearlyDays(year_worked, years),
                   **options)

    def is_working_day(self, d: date) -> bool:
        if d in self.working_days:
            return True
        if d in self.holidays:
            return False
        return d.weekday() not in self.weekend

    def hours_on(self, d: date) -> OfficeHours:
        hours = self.office_hours
        if isinstance(hours, OfficeHours):
            return hours
        hours = hours(d)
        if not isinstance(hours, OfficeHours):
            raise TypeError(f"office_hours({d.isoformat()}) must return OfficeHours, not {hours!r}")
        return hours

    def day_name(self, d: date) -> str | None:
        """Why ``d`` is not an ordinary day: the make-up/working-day name if any, else the holiday name."""
        if d in self.working_days:
            return self.working_days[d]
        if d in self.holidays:
            return self.holidays[d]
        return None

    # Per-year sorted ordinals of working days make skipping many days a pair of bisections.

    def _working_ordinals(self, year: int) -> list[int]:
        table = self._tables.get(year)
        if table is None:
            first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
            table = [o for o in range(first, last + 1) if self.is_working_day(date.fromordinal(o))]
            self._tables[year] = table
        return table

    def _working_day_after(self, d: date, n: int) -> date:
        """The n-th working day strictly after ``d`` (n >= 1)."""
        year = d.year
        table = self._working_ordinals(year)
        i = bisect_right(table, d.toordinal())
        while i + n > len(table):
            n -= len(table) - i
            year += 1
            table, i = self._working_ordinals(year), 0
        return date.fromordinal(table[i + n - 1])

    def _working_days_strictly_between(self, first: date, last: date) -> int:
        lo, hi = first.toordinal() + 1, last.toordinal() - 1
        count = 0
        for year in range(first.year, last.year + 1):
            table = self._working_ordinals(year)
            count += max(0, bisect_right(table, hi) - bisect_left(table, lo))
        return count


# ---------------------------------------------------------------------------------------------------------
# Arithmetic


def _local(t: datetime, cal: Calendar) -> tuple[date, int]:
    """The calendar-zone day of ``t`` and its wall-clock microseconds since midnight."""
    if not isinstance(t, datetime):
        raise TypeError(f"expected a datetime, got {t!r}")
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"instants must be timezone-aware; got the naive datetime {t.isoformat()}")
    local = t.astimezone(cal.zone)
    return local.date(), _clock_us(local.time())


def _instant(d: date, us: int, cal: Calendar) -> datetime:
    return datetime.combine(d, time(), tzinfo=cal.zone) + timedelta(microseconds=us)


def _spans(cal: Calendar, d: date) -> tuple[tuple[int, int], ...]:
    return cal.hours_on(d)._spans


def _first_working_position(d: date, us: int, cal: Calendar) -> tuple[date, int]:
    if cal.is_working_day(d):
        for start, end in _spans(cal, d):
            if us < end:
                return d, max(us, start)
    d = cal._working_day_after(d, 1)
    return d, _spans(cal, d)[0][0]


def _worked_within_day(cal: Calendar, d: date, lo: int, hi: int) -> int:
    if not cal.is_working_day(d):
        return 0
    return sum(max(0, min(end, hi) - max(start, lo)) for start, end in _spans(cal, d))


def is_working_instant(t: datetime, cal: Calendar) -> bool:
    """Whether the office is open at ``t`` (a session's start counts, its end does not)."""
    d, us = _local(t, cal)
    return cal.is_working_day(d) and any(start <= us < end for start, end in _spans(cal, d))


def next_working_instant(t: datetime, cal: Calendar) -> datetime:
    """``t`` if the office is open then, else the start of the next session: where counting begins."""
    d, us = _local(t, cal)
    return _instant(*_first_working_position(d, us, cal), cal)


def add_working_time(start: datetime, amount: WorkingTime, cal: Calendar) -> datetime:
    """The instant at which ``amount`` of working time counted from ``start`` runs out.

    Time before the office opens does not count, so a dossier received at night starts at the next
    session. An amount that runs out exactly at the end of a session is due at that end (17:30), not
    at the next morning, because that is the last moment of the last working minute.
    """
    if not isinstance(amount, WorkingTime):
        raise TypeError(f"amount must be a WorkingTime, not {amount!r}")
    if amount.is_negative:
        raise ValueError(f"cannot add a negative working time ({amount}); deadlines only move forward")
    d, us = _first_working_position(*_local(start, cal), cal)
    remaining = amount.minutes * _US_PER_MINUTE
    for session_start, session_end in _spans(cal, d):
        if us >= session_end:
            continue
        us = max(us, session_start)
        if remaining <= session_end - us:
            return _instant(d, us + remaining, cal)
        remaining -= session_end - us
    # Every working day holds exactly one day of working time: jump over the whole days at once.
    whole_days, remaining = divmod(remaining - 1, _US_PER_DAY)
    remaining += 1
    d = cal._working_day_after(d, whole_days + 1)
    for session_start, session_end in _spans(cal, d):
        if remaining <= session_end - session_start:
            return _instant(d, session_start + remaining, cal)
        remaining -= session_end - session_start
    raise AssertionError("unreachable: office hours always add up to one working day")


def add_working_days(start: datetime, n: int, cal: Calendar) -> datetime:
    return add_working_time(start, WorkingTime.days(n), cal)


def add_working_hours(start: datetime, n: int, cal: Calendar) -> datetime:
    return add_working_time(start, WorkingTime.hours(n), cal)


def working_time_between(start: datetime, end: datetime, cal: Calendar) -> WorkingTime:
    """Working time in [start, end); negative when ``end`` is before ``start`` (time overdue)."""
    if end < start:
        return -working_time_between(end, start, cal)
    first_day, first_us = _local(start, cal)
    last_day, last_us = _local(end, cal)
    if first_day == last_day:
        total = _worked_within_day(cal, first_day, first_us, last_us)
    else:
        total = (
            _worked_within_day(cal, first_day, first_us, _MIDNIGHT_AFTER)
            + cal._working_days_strictly_between(first_day, last_day) * _US_PER_DAY
            + _worked_within_day(cal, last_day, 0, last_us)
        )
    return WorkingTime(total // _US_PER_MINUTE)


def describe_remaining(now: datetime, due: datetime, cal: Calendar) -> str:
    """What a dossier or task shows: "còn 2 ngày 3 giờ", "quá 1 ngày 4 giờ" or "đến hạn"; whole hours (cut
    towards zero) from one hour on, minutes below it ("còn 45 phút").

    Overdue time is counted in working time too. A due instant that has passed without a whole
    working minute since (e.g. due Friday 17:30, seen on Saturday) reads "quá hạn", not "đến hạn".
    """
    left = working_time_between(now, due, cal)
    if abs(left.minutes) >= 60:  # days and hours: the minutes are noise on a list of deadlines
        left = WorkingTime(int(left.minutes / 60) * 60)
    if left.minutes > 0:
        return f"còn {left}"
    if left.minutes < 0:
        return f"quá {-left}"
    return "quá hạn" if now > due else "đến hạn"


def forward_deadline(received_at: datetime, cal: Calendar, cutoff: time = time(15, 0)) -> datetime:
    """By when a paper dossier received at the desk must be forwarded to the handling division.

    The rule: received before the cutoff (15:00) on a working day → forwarded that same day;
    otherwise → during the next working day. The instant returned is the end of that working day's
    last session, i.e. the last moment forwarding is still on time. Receipt after the office has
    closed counts as after the cutoff even when the office closes before the cutoff.
    """
    d, us = _local(received_at, cal)
    same_day = cal.is_working_day(d) and us < min(_clock_us(cutoff), _spans(cal, d)[-1][1])
    if not same_day:
        d = cal._working_day_after(d, 1)
    return _instant(d, _spans(cal, d)[-1][1], cal)


def _days_of(year: int) -> Iterator[date]:
    for ordinal in range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1):
        yield date.fromordinal(ordinal)


def iter_non_working_days(year: int, cal: Calendar) -> Iterator[tuple[date, str]]:
    """The named days off of ``year`` (holidays, compensation and swap days, weekend ones too).

    Ordinary weekends are left out, and so are holidays an explicit working day overrides.
    """
    for d in _days_of(year):
        if d in cal.holidays and not cal.is_working_day(d):
            yield d, cal.holidays[d]


def iter_working_overrides(year: int, cal: Calendar) -> Iterator[tuple[date, str]]:
    """The explicit working days of ``year``: make-up Saturdays and cancelled holidays."""
    for d in _days_of(year):
        if d in cal.working_days:
            yield d, cal.working_days[d]
