"""The Django side of the working-day calendar: a stored calendar's overrides and office hours, turned
into the pure ``workdays.Calendar`` that all deadline arithmetic uses.

Precedence, strongest first: the calendar's own days (days off, make-up working days); the national
days off and make-up Saturdays (``national_holidays``, which wraps the ``holidays`` package); Saturday
and Sunday.
Each process keeps a loaded calendar and checks its revision token (one small query) before using it;
every write to a calendar's days or hours changes the token in the same transaction (signals), so an
administrator's edit applies at once on every server, and a request does not rebuild the year tables.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from motcua.core import workdays
from motcua.core.errors import DomainError, ErrorCode
from motcua.core.models import CalendarOverride, OfficeHoursPolicy, WorkCalendar, new_revision
from motcua.core.national_holidays import national_calendar

DEFAULT_CUTOFF = dt.time(15, 0)


class _HoursByDate:
    """Office hours in force on a date, from effective-dated policies (default before the first one)."""

    def __init__(self, policies: list[OfficeHoursPolicy]) -> None:
        self._starts = [p.effective_from for p in policies]
        self._hours = [p.as_office_hours() for p in policies]
        self._cutoffs = [p.receipt_cutoff for p in policies]

    def _index(self, day: dt.date) -> int | None:
        i = bisect.bisect_right(self._starts, day) - 1  # the policies are in date order
        return None if i < 0 else i

    def __call__(self, day: dt.date) -> workdays.OfficeHours:
        i = self._index(day)
        return workdays.DEFAULT_OFFICE_HOURS if i is None else self._hours[i]

    def cutoff(self, day: dt.date) -> dt.time:
        i = self._index(day)
        return DEFAULT_CUTOFF if i is None else self._cutoffs[i]


@dataclass(frozen=True)
class CalendarRules:
    """A loaded calendar and its late-receipt cut-off rule."""

    calendar: workdays.Calendar
    hours: _HoursByDate

    def receipt_cutoff(self, day: dt.date) -> dt.time:
        return self.hours.cutoff(day)


_loaded: dict[int | None, tuple[str, CalendarRules]] = {}


def load_rules(calendar_id: int | None) -> CalendarRules:
    """The calendar's rules, rebuilt only when its revision changed since this process last loaded it."""
    token = (WorkCalendar.objects.filter(pk=calendar_id).values_list("revision", flat=True).first() or ""
             if calendar_id else "national")
    cached = _loaded.get(calendar_id)
    if cached is not None and cached[0] == token:
        return cached[1]
    rules = _build_rules(calendar_id)
    _loaded[calendar_id] = (token, rules)
    return rules


def _touch(sender: type, instance: CalendarOverride | OfficeHoursPolicy, **kwargs: object) -> None:
    WorkCalendar.objects.filter(pk=instance.calendar_id).update(revision=new_revision())


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (CalendarOverride, OfficeHoursPolicy):
        post_save.connect(_touch, sender=model, dispatch_uid=f"calendar-revision-{model.__name__}")
        post_delete.connect(_touch, sender=model, dispatch_uid=f"calendar-revision-del-{model.__name__}")


def _build_rules(calendar_id: int | None) -> CalendarRules:
    overrides = list(CalendarOverride.objects.filter(calendar_id=calendar_id)) if calendar_id else []
    policies = (list(OfficeHoursPolicy.objects.filter(calendar_id=calendar_id).order_by("effective_from"))
                if calendar_id else [])
    hours = _HoursByDate(policies)
    calendar = national_calendar(
        days_off={o.date: o.name for o in overrides if o.kind == o.Kind.HOLIDAY},
        days_worked={o.date: o.name for o in overrides if o.kind == o.Kind.WORKING_DAY},
        office_hours=hours,
    )
    return CalendarRules(calendar=calendar, hours=hours)


def load_calendar(calendar_id: int | None) -> workdays.Calendar:
    return load_rules(calendar_id).calendar


def due_at(start: dt.datetime, amount: workdays.WorkingTime, cal: workdays.Calendar) -> dt.datetime:
    """The due instant for a time limit, or a refusal people understand (pages, API and CLI share it)."""
    if amount.minutes <= 0:
        raise DomainError(ErrorCode.INVALID, "Nhập số ngày hoặc số giờ làm việc lớn hơn 0.", field="days")
    if start.tzinfo is None:
        raise DomainError(ErrorCode.INVALID, "Thời điểm bắt đầu phải có múi giờ, ví dụ 2026-04-24T09:00+07:00.",
                          field="start")
    try:
        return workdays.add_working_time(start, amount, cal)
    except (ValueError, OverflowError):
        raise DomainError(ErrorCode.INVALID, "Thời điểm bắt đầu hoặc hạn tính được nằm ngoài phạm vi lịch "
                          "(năm 1900–2100).", field="start") from None


@dataclass(frozen=True)
class DayEntry:
    date: dt.date
    name: str
    working: bool


def year_entries(cal: workdays.Calendar, year: int) -> list[DayEntry]:
    """Named days off of a year and its make-up working days, in date order."""
    entries = [DayEntry(d, name, False) for d, name in workdays.iter_non_working_days(year, cal)]
    entries += [DayEntry(d, name, True) for d, name in workdays.iter_working_overrides(year, cal)]
    return sorted(entries, key=lambda e: e.date)


@dataclass(frozen=True)
class TodayStatus:
    date: dt.date
    working: bool
    name: str | None
    hours: workdays.OfficeHours


def today_status(cal: workdays.Calendar, now: dt.datetime) -> TodayStatus:
    day = now.astimezone(cal.zone).date()
    return TodayStatus(day, cal.is_working_day(day), cal.day_name(day), cal.hours_on(day))


def upcoming_days_off(cal: workdays.Calendar, start: dt.date, *, limit: int = 5, horizon: int = 400) -> list[DayEntry]:
    """The next named days off (holidays, compensation days), ordinary weekends left out."""
    out: list[DayEntry] = []
    day = start
    for _ in range(horizon):
        if not cal.is_working_day(day) and (name := cal.day_name(day)):
            out.append(DayEntry(day, name, False))
            if len(out) == limit:
                break
        day += dt.timedelta(days=1)
    return out
