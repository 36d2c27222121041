"""A stored calendar: overrides win over national rules, office hours change by date, CSV import is
all-or-nothing and idempotent, and the operator commands print what the issue asks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from motcua.core import calendars, services, workdays
from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent, CalendarOverride, OfficeHoursPolicy
from tests.factories import CalendarFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


def test_national_rules_apply_without_a_stored_calendar(db):
    cal = calendars.load_calendar(None)
    assert not cal.is_working_day(dt.date(2026, 2, 17))  # Tết
    assert not cal.is_working_day(dt.date(2026, 4, 27))  # Giỗ Tổ compensation day
    assert cal.is_working_day(dt.date(2026, 4, 28))


def test_overrides_add_days_off_remove_holidays_and_add_make_up_days(db):
    calendar = CalendarFactory()
    CalendarOverride.objects.create(calendar=calendar, date=dt.date(2026, 1, 2), kind="holiday", name="Nghỉ hoán đổi")
    CalendarOverride.objects.create(calendar=calendar, date=dt.date(2026, 1, 10), kind="working_day", name="Làm bù")
    # Ngày Văn hóa Việt Nam is not yet law in the reference: an agency can keep working on it.
    CalendarOverride.objects.create(calendar=calendar, date=dt.date(2026, 11, 24), kind="working_day",
                                    name="Làm việc bình thường")
    cal = calendars.load_calendar(calendar.pk)
    assert not cal.is_working_day(dt.date(2026, 1, 2))
    assert cal.is_working_day(dt.date(2026, 1, 10))  # a Saturday
    assert cal.is_working_day(dt.date(2026, 11, 24))
    # Wed 31 Dec 16:00 + 1 working day: Thu 1 and Fri 2 off, then the weekend — due Mon 5 Jan 16:00.
    assert workdays.add_working_days(at("2025-12-31 16:00"), 1, cal) == at("2026-01-05 16:00")
    # Fri 9 Jan 16:00 + 1 working day: Saturday 10 is worked — due Sat 10 Jan 16:00.
    assert workdays.add_working_days(at("2026-01-09 16:00"), 1, cal) == at("2026-01-10 16:00")


def test_office_hours_change_from_their_effective_date(db):
    calendar = CalendarFactory()
    OfficeHoursPolicy.objects.create(calendar=calendar, effective_from=dt.date(2026, 6, 1),
                                     morning_start=dt.time(7, 0), morning_end=dt.time(11, 30),
                                     afternoon_start=dt.time(13, 30), afternoon_end=dt.time(17, 0),
                                     receipt_cutoff=dt.time(16, 0))
    rules = calendars.load_rules(calendar.pk)
    assert rules.calendar.hours_on(dt.date(2026, 5, 29)) == workdays.DEFAULT_OFFICE_HOURS
    assert rules.calendar.hours_on(dt.date(2026, 6, 1)).sessions[0].start == dt.time(7, 0)
    assert rules.receipt_cutoff(dt.date(2026, 5, 29)) == dt.time(15, 0)
    assert rules.receipt_cutoff(dt.date(2026, 6, 2)) == dt.time(16, 0)


def test_office_hours_that_are_not_eight_hours_are_refused_with_a_message(db):
    policy = OfficeHoursPolicy(calendar=CalendarFactory(), effective_from=dt.date(2026, 1, 1),
                               afternoon_end=dt.time(17, 0))
    with pytest.raises(Exception, match="8 giờ"):
        policy.full_clean()


GOOD_CSV = (
    "date,kind,name,source\n"
    "2027-02-05,holiday,Nghỉ Tết Đinh Mùi,Thông báo 2027\n"
    "06/02/2027,nghỉ,Nghỉ Tết Đinh Mùi,Thông báo 2027\n"
    "2027-01-30,working_day,Làm bù,Thông báo 2027\n"
).encode()


def test_csv_import_writes_all_rows_and_a_second_import_changes_nothing(db):
    calendar = CalendarFactory()
    assert services.import_calendar_overrides(actor=None, calendar=calendar, data=GOOD_CSV) == \
        services.ImportResult(created=3, updated=0, unchanged=0)
    events = AuditEvent.objects.count()
    assert services.import_calendar_overrides(actor=None, calendar=calendar, data=GOOD_CSV) == \
        services.ImportResult(created=0, updated=0, unchanged=3)
    assert AuditEvent.objects.count() == events
    assert CalendarOverride.objects.get(calendar=calendar, date=dt.date(2027, 2, 6)).kind == "holiday"


@pytest.mark.parametrize(("data", "problem"), [
    ("date,kind,name\n2027-02-31,holiday,Sai ngày\n".encode(), "dòng 2, cột date"),
    ("date,kind,name\n2027-02-05,holiday,Tết\n2027-02-06,nghi-le,Tết\n".encode(), "dòng 3, cột kind"),
    ("date,name\n2027-02-05,Tết\n".encode(), "dòng 1, cột kind: thiếu cột"),
    ("date,kind,name\n2027-02-05,holiday,Tết\n2027-02-05,holiday,Tết\n".encode(), "đã có ở dòng 2"),
    ("date,kind,name\n2027-02-05,holiday,Tết Đinh Mùi\n".encode("utf-16"), "UTF-8"),
    ("date,kind,name\n2101-01-01,holiday,Xa quá\n".encode(), "1900–2100"),
    (b"date,kind,name\n" + b"2027-02-05,holiday," + b"x" * 1_000_000 + b"\n", "tệp quá lớn"),
])
def test_a_bad_csv_is_refused_whole_with_its_line_and_column(db, data, problem):
    calendar = CalendarFactory()
    with pytest.raises(DomainError) as refused:
        services.import_calendar_overrides(actor=None, calendar=calendar, data=data)
    assert problem in refused.value.message
    assert not CalendarOverride.objects.filter(calendar=calendar).exists()


def test_a_good_row_is_not_written_when_another_row_is_bad(db):
    calendar = CalendarFactory()
    data = "date,kind,name\n2027-02-05,holiday,Tết\n2027-02-06,??,Tết\n".encode()
    with pytest.raises(DomainError):
        services.import_calendar_overrides(actor=None, calendar=calendar, data=data)
    assert not CalendarOverride.objects.exists()


def test_import_is_forbidden_without_the_calendar_permission(db, django_user_model):
    user = django_user_model.objects.create_user("khongquyen")
    with pytest.raises(DomainError) as refused:
        services.import_calendar_overrides(actor=user, calendar=CalendarFactory(), data=GOOD_CSV)
    assert refused.value.code == "forbidden"
    assert not CalendarOverride.objects.exists()


def test_workdays_due_command_prints_iso_8601(db, capsys):
    call_command("workdays", "due", "--start", "2026-04-24 09:00", "--days", "3")
    assert capsys.readouterr().out.strip() == "2026-05-04T09:00:00+07:00"


def test_workdays_due_command_refuses_a_zero_amount(db):
    with pytest.raises(CommandError, match="lớn hơn 0"):
        call_command("workdays", "due", "--start", "2026-04-24 09:00")


@pytest.mark.parametrize("year", [1900, 1985, 2026, 2100])
def test_holidays_list_prints_one_iso_day_per_line_for_any_year(db, capsys, year):
    call_command("holidays", "list", str(year))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{year}-01-01 Tết Dương lịch"
    assert any("Tết Nguyên Đán" in line for line in lines)
    assert all(dt.date.fromisoformat(line.split(" ", 1)[0]).year == year for line in lines)


def test_holidays_list_of_1985_uses_the_vietnamese_lunar_calendar(db, capsys):
    call_command("holidays", "list", "1985")
    assert "1985-01-21 Tết Nguyên Đán" in capsys.readouterr().out.splitlines()  # Chinese calendar: 20/2


def test_holidays_import_command_from_a_file(db, tmp_path, capsys):
    path = tmp_path / "lich.csv"
    path.write_bytes(GOOD_CSV)
    call_command("holidays", "import", str(path), "--calendar", "Lịch tỉnh")
    assert "thêm 3" in capsys.readouterr().out
    bad = tmp_path / "sai.csv"
    bad.write_bytes(b"date,kind,name\nkhong-phai-ngay,holiday,x\n")
    with pytest.raises(CommandError):
        call_command("holidays", "import", str(bad), "--calendar", "Lịch tỉnh")
    assert CalendarOverride.objects.count() == 3


def test_the_national_make_up_saturday_is_a_working_day_without_any_override(db):
    cal = calendars.load_calendar(None)
    assert cal.is_working_day(dt.date(2026, 8, 22))  # worked in exchange for Monday 31/8
    assert not cal.is_working_day(dt.date(2026, 8, 31))
