"""Deadlines are counted in working time of an agency's calendar: 8 working hours a day."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.core.national_holidays import national_calendar
from motcua.core.workdays import (
    DEFAULT_OFFICE_HOURS,
    MINUTES_PER_DAY,
    Calendar,
    OfficeHours,
    Session,
    WorkingTime,
    YearlyDays,
    add_working_days,
    add_working_hours,
    add_working_time,
    describe_remaining,
    forward_deadline,
    is_working_instant,
    iter_non_working_days,
    iter_working_overrides,
    next_working_instant,
    working_time_between,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def _days(first: date, last: date, name: str) -> dict[date, str]:
    return {first + timedelta(days=i): name for i in range((last - first).days + 1)}


# The Government's 2026 schedule, entered by an administrator as overrides of the national calendar.
OFFICIAL_2026_OFF = {
    date(2026, 1, 2): "Tết Dương lịch (nghỉ thêm)",
    **_days(date(2026, 2, 14), date(2026, 2, 22), "Nghỉ Tết Nguyên Đán"),
    date(2026, 4, 27): "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)",
    **_days(date(2026, 8, 29), date(2026, 9, 2), "Nghỉ lễ Quốc khánh"),
}
OFFICIAL_2026_WORKED = {
    date(2026, 1, 10): "Làm bù cho ngày 02/01/2026",
    date(2026, 8, 22): "Làm bù cho ngày 31/08/2026",
}

NATIONAL = national_calendar()
VN_2026 = national_calendar(days_off=OFFICIAL_2026_OFF, days_worked=OFFICIAL_2026_WORKED)
WEEKENDS_ONLY = Calendar(holidays={})

SUMMER_HOURS = OfficeHours((Session(time(7, 0), time(11, 0)), Session(time(13, 0), time(17, 0))))
CONTINUOUS_HOURS = OfficeHours((Session(time(8, 0), time(12, 0)), Session(time(12, 0), time(16, 0))))


def seasonal_hours(d: date) -> OfficeHours:
    """Summer hours May–September, continuous hours in December, the default otherwise."""
    if 5 <= d.month <= 9:
        return SUMMER_HOURS
    return CONTINUOUS_HOURS if d.month == 12 else DEFAULT_OFFICE_HOURS


SEASONAL = national_calendar(office_hours=seasonal_hours)

# ---------------------------------------------------------------------------------------------------------
# Strategies: instants from 2024 to 2027, often on a session edge, in Vietnam's zone or in UTC.

EDGES = [time(0, 0), time(7, 0), time(7, 30), time(11, 0), time(11, 30), time(12, 0), time(13, 0),
         time(13, 30), time(16, 0), time(17, 0), time(17, 30), time(23, 59)]


@st.composite
def instants(draw: st.DrawFn, whole_minutes: bool = False) -> datetime:
    day = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)))
    if draw(st.booleans()):
        clock = draw(st.sampled_from(EDGES))
        t = datetime.combine(day, clock, tzinfo=VN) + timedelta(minutes=draw(st.integers(-1, 1)))
    else:
        t = datetime.combine(day, draw(st.times()), tzinfo=VN)
    if whole_minutes:
        t = t.replace(second=0, microsecond=0)
    return t.astimezone(UTC) if draw(st.booleans()) else t


amounts = st.integers(min_value=0, max_value=200 * MINUTES_PER_DAY).map(WorkingTime)
calendars = st.sampled_from([VN_2026, SEASONAL])
PROPERTY = settings(max_examples=200, deadline=None)


def inside_office_hours(t: datetime, cal: Calendar) -> bool:
    """On a working day and within [session start, session end], ends included."""
    local = t.astimezone(cal.zone)
    return cal.is_working_day(local.date()) and any(
        s.start <= local.time() <= s.end for s in cal.hours_on(local.date()).sessions
    )


def working_minutes_from(start: datetime, cal: Calendar) -> Iterator[datetime]:
    """Reference: every working minute at or after a whole-minute ``start``, one by one."""
    day = start.astimezone(cal.zone).date()
    while True:
        if cal.is_working_day(day):
            for session in cal.hours_on(day).sessions:
                minute = datetime.combine(day, session.start, tzinfo=cal.zone)
                end = datetime.combine(day, session.end, tzinfo=cal.zone)
                while minute < end:
                    if minute >= start:
                        yield minute
                    minute += timedelta(minutes=1)
        day += timedelta(days=1)


# ---------------------------------------------------------------------------------------------------------
# Properties


@PROPERTY
@given(cal=calendars, start=instants(), amount=amounts)
def test_adding_then_measuring_returns_the_amount(cal, start, amount):
    due = add_working_time(start, amount, cal)
    assert working_time_between(start, due, cal) == amount
    assert working_time_between(next_working_instant(start, cal), due, cal) == amount


@PROPERTY
@given(cal=calendars, start=instants(), amount=amounts)
def test_a_due_instant_is_always_inside_office_hours_in_the_calendars_zone(cal, start, amount):
    due = add_working_time(start, amount, cal)
    assert due.tzinfo is cal.zone
    assert due >= start
    assert inside_office_hours(due, cal)


@PROPERTY
@given(cal=calendars, start=instants(), amount=amounts.filter(bool))
def test_time_that_runs_out_at_a_session_end_is_due_then_not_at_the_next_opening(cal, start, amount):
    local = add_working_time(start, amount, cal).astimezone(cal.zone)
    assert any(s.start < local.time() <= s.end for s in cal.hours_on(local.date()).sessions)


@PROPERTY
@given(cal=calendars, start=instants(), a=amounts, b=amounts)
def test_more_working_time_is_never_due_earlier(cal, start, a, b):
    a, b = min(a, b), max(a, b)
    assert add_working_time(start, a, cal) <= add_working_time(start, b, cal)
    if a < b:
        assert add_working_time(start, a, cal) < add_working_time(start, b, cal)


@PROPERTY
@given(cal=calendars, start=instants(), a=amounts, b=amounts.filter(bool))
def test_adding_in_two_steps_is_adding_the_sum(cal, start, a, b):
    assert add_working_time(add_working_time(start, a, cal), b, cal) == add_working_time(start, a + b, cal)


@PROPERTY
@given(cal=calendars, a=instants(whole_minutes=True), b=instants(whole_minutes=True),
       c=instants(whole_minutes=True))
def test_working_time_between_is_additive_and_antisymmetric(cal, a, b, c):
    a_to_b, b_to_c = working_time_between(a, b, cal), working_time_between(b, c, cal)
    assert a_to_b + b_to_c == working_time_between(a, c, cal)
    assert working_time_between(b, a, cal) == -a_to_b


@PROPERTY
@given(cal=calendars, start=instants(whole_minutes=True),
       amount=st.integers(min_value=1, max_value=5 * MINUTES_PER_DAY).map(WorkingTime))
def test_adding_agrees_with_counting_working_minutes_one_by_one(cal, start, amount):
    minutes = working_minutes_from(start, cal)
    for _ in range(amount.minutes - 1):
        next(minutes)
    assert add_working_time(start, amount, cal) == next(minutes) + timedelta(minutes=1)


@PROPERTY
@given(cal=calendars, start=instants(whole_minutes=True), length=st.integers(0, 8 * 24 * 60))
def test_measuring_agrees_with_counting_working_minutes_one_by_one(cal, start, length):
    end = start + timedelta(minutes=length)
    counted = 0
    for minute in working_minutes_from(start, cal):
        if minute >= end:
            break
        counted += 1
    assert working_time_between(start, end, cal) == WorkingTime(counted)


@PROPERTY
@given(start=instants(whole_minutes=True), amount=amounts, offset=st.integers(0, 300))
def test_a_day_off_added_in_the_path_delays_the_due_by_exactly_the_working_time_lost(start, amount, offset):
    day_off = start.astimezone(VN).date() + timedelta(days=offset)
    with_day_off = national_calendar(days_off={day_off: "Nghỉ đột xuất"})
    due = add_working_time(start, amount, NATIONAL)
    new_due = add_working_time(start, amount, with_day_off)

    day_begins = datetime.combine(day_off, time(), tzinfo=VN)
    lost_from, lost_until = max(start, day_begins), min(new_due, day_begins + timedelta(days=1))
    lost = working_time_between(lost_from, lost_until, NATIONAL) if lost_from < lost_until else WorkingTime(0)
    assert working_time_between(due, new_due, NATIONAL) == lost
    assert working_time_between(start, new_due, with_day_off) == amount
    assert new_due.astimezone(VN).date() != day_off
    if day_off > due.astimezone(VN).date() or not NATIONAL.is_working_day(day_off):
        assert new_due == due


@PROPERTY
@given(start=instants(), amount=amounts, weeks=st.integers(0, 40))
def test_a_saturday_worked_brings_the_due_forward_or_leaves_it(start, amount, weeks):
    day = start.astimezone(VN).date()
    saturday = day + timedelta(days=(5 - day.weekday()) % 7 + 7 * weeks)
    assume(not NATIONAL.is_working_day(saturday))
    with_saturday = national_calendar(days_worked={saturday: "Làm bù"})
    new_due = add_working_time(start, amount, with_saturday)
    assert new_due <= add_working_time(start, amount, NATIONAL)
    assert working_time_between(start, new_due, with_saturday) == amount


# ---------------------------------------------------------------------------------------------------------
# The holiday weeks of 2024–2027, and years where a Chinese calendar would put Tết elsewhere


@pytest.mark.parametrize(
    ("calendar", "received", "amount", "due"),
    [
        # Tết Bính Ngọ 2026: off 14/02–22/02.
        (VN_2026, at(2026, 2, 13, 10), WorkingTime.days(3), at(2026, 2, 25, 10)),
        (VN_2026, at(2026, 2, 13, 16), WorkingTime.hours(2), at(2026, 2, 23, 8)),
        # Tết Dương lịch 2026: off 01–04/01, Saturday 10/01 worked.
        (VN_2026, at(2025, 12, 31, 10), WorkingTime.days(1), at(2026, 1, 5, 10)),
        (NATIONAL, at(2025, 12, 31, 10), WorkingTime.days(1), at(2026, 1, 2, 10)),
        (VN_2026, at(2026, 1, 9, 10), WorkingTime.days(1), at(2026, 1, 10, 10)),
        # Giỗ Tổ on Sunday 26/04/2026, compensated on Monday 27/04; then 30/4–1/5.
        (VN_2026, at(2026, 4, 24, 16), WorkingTime.days(1), at(2026, 4, 28, 16)),
        (VN_2026, at(2026, 4, 29, 17), WorkingTime.hours(1), at(2026, 5, 4, 8)),
        # Quốc khánh 2026: off 29/08–02/09, Saturday 22/08 worked.
        (VN_2026, at(2026, 8, 21, 15), WorkingTime.days(1), at(2026, 8, 22, 15)),
        (VN_2026, at(2026, 8, 28, 10), WorkingTime.days(1), at(2026, 9, 3, 10)),
        # Tết Giáp Thìn 2024: off 08/02–14/02.
        (NATIONAL, at(2024, 2, 7, 14), WorkingTime.days(1), at(2024, 2, 15, 14)),
        # 30/4 2024: Monday 29/04 off, Saturday 04/05 worked; Quốc khánh 02–03/09.
        (NATIONAL, at(2024, 4, 26, 10), WorkingTime.days(3), at(2024, 5, 4, 10)),
        (NATIONAL, at(2024, 8, 30, 10), WorkingTime.days(1), at(2024, 9, 4, 10)),
        # Tết Ất Tỵ 2025: off 27/01–01/02; 30/4–2/5 with Saturday 26/04 worked; Quốc khánh 01–02/09.
        (NATIONAL, at(2025, 1, 24, 9), WorkingTime.days(2), at(2025, 2, 4, 9)),
        (NATIONAL, at(2025, 4, 25, 9), WorkingTime.days(1), at(2025, 4, 26, 9)),
        (NATIONAL, at(2025, 4, 29, 9), WorkingTime.days(1), at(2025, 5, 5, 9)),
        (NATIONAL, at(2025, 8, 29, 9), WorkingTime.days(1), at(2025, 9, 3, 9)),
        # Tết Đinh Mùi 2027 (Saturday 06/02): off 04/02–10/02; 1/5 on Saturday, compensated on 03/05.
        (NATIONAL, at(2027, 2, 3, 16), WorkingTime.hours(4), at(2027, 2, 11, 10)),
        (NATIONAL, at(2027, 4, 29, 10), WorkingTime.days(1), at(2027, 5, 4, 10)),
        # Tết 2030 is Saturday 02/02 at UTC+7 (03/02 at UTC+8): off 31/01–06/02.
        (NATIONAL, at(2030, 1, 30, 10), WorkingTime.days(1), at(2030, 2, 7, 10)),
        # Tết 1985 is 21/01 at UTC+7 (20/02 at UTC+8): off 20/01–23/01.
        (NATIONAL, at(1985, 1, 18, 10), WorkingTime.days(1), at(1985, 1, 24, 10)),
        (NATIONAL, at(1985, 2, 19, 10), WorkingTime.days(1), at(1985, 2, 20, 10)),
        # Tết 2007 is Saturday 17/02 at UTC+7 (18/02 at UTC+8): off 16/02–21/02.
        (NATIONAL, at(2007, 2, 15, 10), WorkingTime.days(1), at(2007, 2, 22, 10)),
    ],
)
def test_holiday_weeks(calendar, received, amount, due):
    assert add_working_time(received, amount, calendar) == due
    assert working_time_between(received, due, calendar) == amount


def test_the_2026_schedule_lists_its_days_off_and_make_up_saturdays():
    days_off = dict(iter_non_working_days(2026, VN_2026))
    assert date(2026, 1, 2) in days_off
    assert date(2026, 2, 14) in days_off  # a Saturday, but named
    assert date(2026, 1, 3) not in days_off  # an ordinary Saturday is not listed
    assert days_off[date(2026, 4, 27)] == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert dict(iter_working_overrides(2026, VN_2026)) == OFFICIAL_2026_WORKED


def test_a_cancelled_holiday_is_neither_listed_nor_off():
    calendar = national_calendar(days_worked={date(2026, 4, 30): "Trực, làm việc bình thường"})
    assert date(2026, 4, 30) not in dict(iter_non_working_days(2026, calendar))
    assert date(2026, 4, 30) not in calendar.holidays
    assert add_working_days(at(2026, 4, 29, 10), 1, calendar) == at(2026, 4, 30, 10)


def test_190_working_days_cross_the_year_and_measure_back():
    due = add_working_days(at(2026, 6, 1, 9), 190, VN_2026)
    assert due.year == 2027
    assert working_time_between(at(2026, 6, 1, 9), due, VN_2026) == WorkingTime.days(190)


# ---------------------------------------------------------------------------------------------------------
# Adding: office hours, session ends, instants outside office hours


@pytest.mark.parametrize(
    ("start", "amount", "due"),
    [
        (at(2026, 3, 2, 7, 30), WorkingTime.hours(8), at(2026, 3, 2, 17, 30)),  # a full Monday ends at 17:30
        (at(2026, 3, 2, 7, 30), WorkingTime.hours(4), at(2026, 3, 2, 11, 30)),  # the morning ends at 11:30
        (at(2026, 3, 2, 7, 30), WorkingTime(4 * 60 + 1), at(2026, 3, 2, 13, 31)),
        (at(2026, 3, 2, 10, 0), WorkingTime.days(1), at(2026, 3, 3, 10, 0)),
        (at(2026, 3, 2, 18, 0), WorkingTime.hours(1), at(2026, 3, 3, 8, 30)),  # after closing: from tomorrow
        (at(2026, 3, 2, 6, 0), WorkingTime.hours(1), at(2026, 3, 2, 8, 30)),  # before opening
        (at(2026, 3, 2, 12, 0), WorkingTime.hours(1), at(2026, 3, 2, 14, 30)),  # at lunch
        (at(2026, 3, 6, 16, 0), WorkingTime.hours(2), at(2026, 3, 9, 8, 0)),  # Friday → Monday
        (at(2026, 3, 7, 10, 0), WorkingTime.days(1), at(2026, 3, 9, 17, 30)),  # received on Saturday
        (at(2026, 3, 7, 10, 0), WorkingTime.days(2), at(2026, 3, 10, 17, 30)),
        (at(2026, 3, 2, 7, 30), WorkingTime.days(5), at(2026, 3, 6, 17, 30)),  # Monday to Friday evening
        (at(2026, 3, 2, 12, 0), WorkingTime(0), at(2026, 3, 2, 13, 30)),  # nothing to add: next opening
        (at(2026, 3, 2, 10, 15), WorkingTime(0), at(2026, 3, 2, 10, 15)),
        (at(2026, 3, 2, 17, 30), WorkingTime(0), at(2026, 3, 3, 7, 30)),
    ],
)
def test_adding_working_time_on_ordinary_days(start, amount, due):
    assert add_working_time(start, amount, WEEKENDS_ONLY) == due


def test_seconds_of_the_start_are_kept():
    start = at(2026, 3, 2, 11, 29) + timedelta(seconds=30)
    due = add_working_time(start, WorkingTime(1), WEEKENDS_ONLY)
    assert due == at(2026, 3, 2, 13, 30) + timedelta(seconds=30)
    assert working_time_between(start, due, WEEKENDS_ONLY) == WorkingTime(1)


def test_days_and_hours_helpers_add_the_same_as_working_time():
    start = at(2026, 3, 2, 9)
    assert add_working_days(start, 2, VN_2026) == add_working_time(start, WorkingTime.days(2), VN_2026)
    assert add_working_hours(start, 12, VN_2026) == add_working_time(start, WorkingTime.hours(12), VN_2026)
    assert add_working_hours(start, 16, VN_2026) == add_working_days(start, 2, VN_2026)


def test_an_instant_in_another_zone_is_counted_on_the_calendars_clock():
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
    due = add_working_time(start, WorkingTime.hours(1), WEEKENDS_ONLY)
    assert due == at(2026, 3, 2, 9, 0)
    assert due.tzinfo is VN


def test_adding_a_negative_amount_is_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_time(at(2026, 3, 2, 9), WorkingTime(-1), WEEKENDS_ONLY)


@pytest.mark.parametrize(
    "call",
    [
        lambda t: add_working_time(t, WorkingTime(1), WEEKENDS_ONLY),
        lambda t: add_working_days(t, 1, WEEKENDS_ONLY),
        lambda t: working_time_between(t, t, WEEKENDS_ONLY),
        lambda t: next_working_instant(t, WEEKENDS_ONLY),
        lambda t: is_working_instant(t, WEEKENDS_ONLY),
        lambda t: forward_deadline(t, WEEKENDS_ONLY),
        lambda t: describe_remaining(t, t, WEEKENDS_ONLY),
    ],
)
def test_naive_datetimes_are_refused(call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call(datetime(2026, 3, 2, 9, 0))


@pytest.mark.parametrize(
    ("t", "working"),
    [
        (at(2026, 3, 2, 7, 29), False),
        (at(2026, 3, 2, 7, 30), True),
        (at(2026, 3, 2, 11, 29), True),
        (at(2026, 3, 2, 11, 30), False),
        (at(2026, 3, 2, 17, 29), True),
        (at(2026, 3, 2, 17, 30), False),
        (at(2026, 3, 7, 9, 0), False),  # Saturday
        (at(2026, 2, 17, 9, 0), False),  # Tết
    ],
)
def test_an_instant_is_working_from_a_session_start_up_to_its_end(t, working):
    assert is_working_instant(t, VN_2026) is working


# ---------------------------------------------------------------------------------------------------------
# Measuring and describing


def test_working_time_between_counts_only_office_hours():
    assert working_time_between(at(2026, 3, 2, 7), at(2026, 3, 2, 12), WEEKENDS_ONLY) == WorkingTime.hours(4)
    assert working_time_between(at(2026, 3, 6, 16), at(2026, 3, 9, 9), WEEKENDS_ONLY) == WorkingTime(180)
    assert working_time_between(at(2026, 3, 9, 9), at(2026, 3, 6, 16), WEEKENDS_ONLY) == WorkingTime(-180)
    assert working_time_between(at(2026, 3, 7), at(2026, 3, 8, 23), WEEKENDS_ONLY) == WorkingTime(0)


@pytest.mark.parametrize(
    ("now", "due", "text"),
    [
        (at(2026, 3, 2, 8), at(2026, 3, 4, 11), "còn 2 ngày 3 giờ"),
        (at(2026, 3, 2, 8), at(2026, 3, 2, 8, 45), "còn 45 phút"),
        (at(2026, 3, 6, 17), at(2026, 3, 5, 11), "quá 1 ngày 4 giờ"),
        (at(2026, 3, 2, 8), at(2026, 3, 2, 8), "đến hạn"),
        (at(2026, 3, 7, 10), at(2026, 3, 6, 17, 30), "quá hạn"),  # due Friday 17:30, seen on Saturday
        (at(2026, 3, 9, 8), at(2026, 3, 6, 17, 30), "quá 30 phút"),
        (at(2026, 3, 2, 8), at(2026, 3, 4, 11, 59), "còn 2 ngày 3 giờ"),   # minutes dropped from one hour on
        (at(2026, 3, 6, 17, 29), at(2026, 3, 5, 11), "quá 1 ngày 4 giờ"),
    ],
)
def test_remaining_time_is_described_in_vietnamese(now, due, text):
    assert describe_remaining(now, due, WEEKENDS_ONLY) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (WorkingTime.days(2) + WorkingTime.hours(3), "2 ngày 3 giờ"),
        (WorkingTime.days(1), "1 ngày"),
        (WorkingTime(3 * 60 + 15), "3 giờ 15 phút"),
        (WorkingTime(45), "45 phút"),
        (WorkingTime(0), "0 phút"),
        (WorkingTime(MINUTES_PER_DAY + 5), "1 ngày 5 phút"),
        (-(WorkingTime.days(1) + WorkingTime.hours(4)), "-1 ngày 4 giờ"),
    ],
)
def test_working_time_reads_in_vietnamese(amount, text):
    assert str(amount) == text


def test_working_time_is_minutes_with_8_hours_a_day():
    amount = WorkingTime(-(2 * MINUTES_PER_DAY + 3 * 60 + 15))
    assert (amount.whole_days, amount.rest_hours, amount.rest_minutes, amount.is_negative) == (2, 3, 15, True)
    assert WorkingTime.days(3) == WorkingTime(1440) == WorkingTime.hours(24)
    assert WorkingTime.hours(1) < WorkingTime.days(1)
    assert WorkingTime.days(1) - WorkingTime.hours(8) == WorkingTime(0)
    assert -WorkingTime(5) == WorkingTime(-5)
    assert abs(WorkingTime(-5)) == WorkingTime(5)
    assert not WorkingTime(0)
    with pytest.raises(TypeError):
        WorkingTime(1.5)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------
# Forwarding a paper dossier: same day before 15:00, else during the next working day


@pytest.mark.parametrize(
    ("received", "forward_by"),
    [
        (at(2026, 3, 2, 14, 59), at(2026, 3, 2, 17, 30)),
        (at(2026, 3, 2, 7, 0), at(2026, 3, 2, 17, 30)),
        (at(2026, 3, 2, 15, 0), at(2026, 3, 3, 17, 30)),
        (at(2026, 3, 6, 16, 0), at(2026, 3, 9, 17, 30)),  # Friday afternoon → Monday
        (at(2026, 3, 7, 9, 0), at(2026, 3, 9, 17, 30)),  # Saturday → Monday
        (at(2026, 2, 13, 16, 0), at(2026, 2, 23, 17, 30)),  # the eve of the Tết break → after it
        (at(2026, 2, 13, 9, 0), at(2026, 2, 13, 17, 30)),
        (at(2026, 4, 29, 15, 30), at(2026, 5, 4, 17, 30)),  # the eve of 30/4–1/5
        (at(2026, 8, 21, 16, 0), at(2026, 8, 22, 17, 30)),  # a make-up Saturday is a working day
    ],
)
def test_a_paper_dossier_is_forwarded_the_same_day_before_15h_else_the_next_working_day(received, forward_by):
    assert forward_deadline(received, VN_2026) == forward_by


def test_the_forwarding_cutoff_is_a_parameter_and_never_precedes_closing():
    received = at(2026, 3, 2, 15, 30)
    assert forward_deadline(received, WEEKENDS_ONLY, cutoff=time(16, 0)) == at(2026, 3, 2, 17, 30)
    early_office = Calendar(holidays={}, office_hours=OfficeHours((Session(time(6), time(14)),)))
    assert forward_deadline(at(2026, 3, 2, 14, 30), early_office) == at(2026, 3, 3, 14, 0)


# ---------------------------------------------------------------------------------------------------------
# Office hours and calendars


@pytest.mark.parametrize(
    ("sessions", "message"),
    [
        ((Session(time(7, 30), time(11, 30)), Session(time(11, 0), time(15, 0))), "overlap"),
        ((Session(time(13, 30), time(17, 30)), Session(time(7, 30), time(11, 30))), "order"),
        ((Session(time(7, 30), time(11, 30)), Session(time(13, 30), time(17, 0))), "8 hours"),
        ((), "at least one"),
    ],
)
def test_office_hours_must_be_ordered_separate_sessions_of_8_hours(sessions, message):
    with pytest.raises(ValueError, match=message):
        OfficeHours(sessions)


def test_a_session_must_end_after_it_starts_on_whole_minutes():
    with pytest.raises(ValueError, match="end after"):
        Session(time(11, 30), time(7, 30))
    with pytest.raises(ValueError, match="whole minutes"):
        Session(time(7, 30, 15), time(11, 30))


def test_an_explicit_working_day_wins_over_weekend_and_holiday():
    saturday, holiday = date(2026, 3, 7), date(2026, 3, 10)
    calendar = Calendar(holidays={saturday: "Nghỉ", holiday: "Nghỉ"}, working_days={saturday: "Làm bù"})
    assert calendar.is_working_day(saturday)
    assert calendar.day_name(saturday) == "Làm bù"
    assert not calendar.is_working_day(holiday)
    assert calendar.day_name(holiday) == "Nghỉ"
    assert calendar.day_name(date(2026, 3, 11)) is None


def test_a_weekend_must_leave_a_working_weekday():
    with pytest.raises(ValueError, match="at least one"):
        Calendar(holidays={}, weekend=frozenset(range(7)))
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6"):
        Calendar(holidays={}, weekend=frozenset({7}))


def test_office_hours_can_change_with_the_date():
    assert SEASONAL.hours_on(date(2026, 6, 1)) is SUMMER_HOURS
    # Thursday 30/04 and Friday 01/05 are holidays; 16:00 Wednesday 29/04 + 3 h → summer Monday 04/05 08:30.
    assert add_working_hours(at(2026, 4, 29, 16), 3, SEASONAL) == at(2026, 5, 4, 8, 30)
    bad = Calendar(holidays={}, office_hours=lambda d: "07:30-17:30")  # type: ignore[arg-type, return-value]
    with pytest.raises(TypeError, match="OfficeHours"):
        bad.hours_on(date(2026, 3, 2))


def test_yearly_days_are_computed_once_per_year_and_only_when_asked():
    asked: list[int] = []

    def source(year: int) -> dict[date, str]:
        asked.append(year)
        return {date(year, 1, 1): "Tết Dương lịch", date(year + 1, 1, 1): "ignored: another year"}

    days = YearlyDays(source, years=range(2025, 2027))
    assert asked == []
    assert date(2026, 1, 1) in days and days[date(2026, 1, 1)] == "Tết Dương lịch"
    assert date(2026, 1, 2) not in days and "2026-01-01" not in days
    assert asked == [2026]
    assert sorted(days) == [date(2025, 1, 1), date(2026, 1, 1)] and len(days) == 2
    assert asked == [2026, 2025]
