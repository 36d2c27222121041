"""The staff portal's shared boards: the agency's announcements and its weekly work schedule (lịch công tác tuần).

The office (văn thư) and the agency's leaders write them (``org.publish_announcements``,
``org.manage_schedule``); every staff member of the agency reads them, and nobody sees another agency's. Each
write is one transaction that checks the permission against the row's agency, validates with a message a
person understands, and leaves an audit event.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from motcua.core import audit, clock
from motcua.core.errors import DomainError, ErrorCode
from motcua.org.access import ensure_can
from motcua.org.models import Announcement, Division, ScheduleEntry, Staff

PUBLISH = "org.publish_announcements"
MANAGE_SCHEDULE = "org.manage_schedule"
BODY_LIMIT = 10_000
PARTICIPANTS_LIMIT = 2_000
WEEKDAYS = (gettext_noop("Thứ Hai"), gettext_noop("Thứ Ba"), gettext_noop("Thứ Tư"), gettext_noop("Thứ Năm"),
            gettext_noop("Thứ Sáu"), gettext_noop("Thứ Bảy"), gettext_noop("Chủ Nhật"))
NOON = dt.time(12, 0)
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _refuse(message: str, field_name: str, code: str = ErrorCode.INVALID) -> DomainError:
    return DomainError(code, message, field=field_name)


def _line(value: str | None, *, label: str, limit: int, field_name: str, required: bool = False) -> str:
    """One line of text: spaces folded; required or not; at most ``limit`` characters."""
    text = " ".join((value or "").split())
    if required and not text:
        raise _refuse(f"Hãy nhập {label}.", field_name)
    if len(text) > limit:
        raise _refuse(f"{label.capitalize()} dài quá {limit} ký tự.", field_name)
    return text


def _block(value: str | None, *, label: str, limit: int, field_name: str) -> str:
    text = (value or "").strip().replace("\r\n", "\n")
    if len(text) > limit:
        raise _refuse(f"{label.capitalize()} dài quá {limit} ký tự.", field_name)
    return text


def _today() -> dt.date:
    return timezone.localdate(clock.now())


# --------------------------------------------------------------------------------------------------------
# Announcements


def _announcement_fields(title: str, body: str, pinned: bool, expires_on: dt.date | None) -> dict:
    fields = {"title": _line(title, label="tiêu đề", limit=200, field_name="title", required=True),
              "body": _block(body, label="nội dung", limit=BODY_LIMIT, field_name="body"),
              "pinned": bool(pinned), "expires_on": expires_on}
    if expires_on is not None and expires_on < _today():
        raise _refuse("Ngày hết hiển thị không được trước ngày hôm nay.", "expires_on")
    return fields


_ANNOUNCEMENT_AUDIT = ("title", "body", "pinned", "expires_on")


@transaction.atomic
def publish_announcement(*, actor: Staff, title: str, body: str = "", pinned: bool = False,
                         expires_on: dt.date | None = None) -> Announcement:
    """Post a notice to everyone of the actor's agency."""
    ensure_can(actor, PUBLISH, actor.agency)
    now = clock.now()
    row = Announcement.objects.create(agency_id=actor.agency_id, created_by=actor, published_at=now, updated_at=now,
                                      **_announcement_fields(title, body, pinned, expires_on))
    audit.record(actor=actor.user, action="org.announcement.publish", target=row,
                 after=audit.snapshot(row, _ANNOUNCEMENT_AUDIT))
    return row


def _locked_announcement(actor: Staff, announcement_id: int) -> Announcement:
    row = Announcement.objects.select_for_update().filter(pk=announcement_id).first()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Không tìm thấy thông báo (có thể đã được gỡ).")
    ensure_can(actor, PUBLISH, row)
    return row


@transaction.atomic
def edit_announcement(*, actor: Staff, announcement_id: int, title: str, body: str = "", pinned: bool = False,
                      expires_on: dt.date | None = None) -> Announcement:
    """Correct a notice; it keeps its place (publication time) in the list."""
    row = _locked_announcement(actor, announcement_id)
    before = audit.snapshot(row, _ANNOUNCEMENT_AUDIT)
    for name, value in _announcement_fields(title, body, pinned, expires_on).items():
        setattr(row, name, value)
    row.updated_at = clock.now()
    row.save(update_fields=[*_ANNOUNCEMENT_AUDIT, "updated_at"])
    audit.record(actor=actor.user, action="org.announcement.edit", target=row, before=before,
                 after=audit.snapshot(row, _ANNOUNCEMENT_AUDIT))
    return row


@transaction.atomic
def withdraw_announcement(*, actor: Staff, announcement_id: int) -> None:
    """Take a notice down for good; the audit log keeps what it said."""
    row = _locked_announcement(actor, announcement_id)
    audit.record(actor=actor.user, action="org.announcement.withdraw", target=row,
                 before=audit.snapshot(row, _ANNOUNCEMENT_AUDIT))
    row.delete()


def current_announcements(staff: Staff, *, limit: int | None = None) -> list[Announcement]:
    """The notices the staff member's agency shows today: pinned first, then the newest; expired ones left
    out (one query)."""
    rows = (Announcement.objects.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=_today()),
                                        agency_id=staff.agency_id)
            .select_related("created_by").order_by("-pinned", "-published_at", "-id"))
    return list(rows[:limit] if limit is not None else rows)


def expired_announcements(staff: Staff, *, limit: int = 20) -> list[Announcement]:
    """The agency's notices past their date, newest first: kept for their publishers to edit or take down."""
    return list(Announcement.objects.filter(agency_id=staff.agency_id, expires_on__lt=_today())
                .select_related("created_by").order_by("-published_at", "-id")[:limit])


def announcement_for(staff: Staff, announcement_id: int) -> Announcement:
    """One notice of the staff member's own agency (expired ones too, for its publisher to edit)."""
    row = Announcement.objects.filter(pk=announcement_id, agency_id=staff.agency_id).first()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Không tìm thấy thông báo (có thể đã được gỡ).")
    return row


# --------------------------------------------------------------------------------------------------------
# The weekly work schedule

_SCHEDULE_AUDIT = ("day", "start", "end", "title", "location", "chaired_by", "participants", "preparing_division")


def _schedule_fields(actor: Staff, *, day: dt.date | None, start: dt.time | None, end: dt.time | None, title: str,
                     location: str, chaired_by: str, participants: str, division_id: int | None) -> dict:
    if day is None:
        raise _refuse("Hãy chọn ngày.", "day")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _refuse(f"Ngày phải trong các năm {FIRST_YEAR}–{LAST_YEAR}.", "day")
    if start is None:
        raise _refuse("Hãy nhập giờ bắt đầu.", "start")
    if end is not None and end <= start:
        raise _refuse("Giờ kết thúc phải sau giờ bắt đầu.", "end")
    division = None
    if division_id is not None:
        division = Division.objects.filter(pk=division_id, agency_id=actor.agency_id, is_active=True).first()
        if division is None:
            raise _refuse("Đơn vị chuẩn bị phải là một phòng đang hoạt động của cơ quan.", "preparing_division")
    return {
        "day": day, "start": start.replace(second=0, microsecond=0),
        "end": end.replace(second=0, microsecond=0) if end else None,
        "title": _line(title, label="nội dung công việc", limit=300, field_name="title", required=True),
        "location": _line(location, label="địa điểm", limit=200, field_name="location"),
        "chaired_by": _line(chaired_by, label="lãnh đạo chủ trì", limit=150, field_name="chaired_by"),
        "participants": _block(participants, label="thành phần", limit=PARTICIPANTS_LIMIT,
                               field_name="participants"),
        "preparing_division": division,
    }


@transaction.atomic
def add_schedule_entry(*, actor: Staff, day: dt.date | None, start: dt.time | None, title: str,
                       end: dt.time | None = None, location: str = "", chaired_by: str = "", participants: str = "",
                       division_id: int | None = None) -> ScheduleEntry:
    """Put a meeting or a working visit on the agency's schedule."""
    ensure_can(actor, MANAGE_SCHEDULE, actor.agency)
    fields = _schedule_fields(actor, day=day, start=start, end=end, title=title, location=location,
                              chaired_by=chaired_by, participants=participants, division_id=division_id)
    row = ScheduleEntry.objects.create(agency_id=actor.agency_id, created_by=actor, updated_at=clock.now(), **fields)
    audit.record(actor=actor.user, action="org.schedule.add", target=row, after=audit.snapshot(row, _SCHEDULE_AUDIT))
    return row


def _locked_entry(actor: Staff, entry_id: int) -> ScheduleEntry:
    row = ScheduleEntry.objects.select_for_update().filter(pk=entry_id).first()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Không tìm thấy mục lịch công tác (có thể đã bị xóa).")
    ensure_can(actor, MANAGE_SCHEDULE, row)
    return row


@transaction.atomic
def edit_schedule_entry(*, actor: Staff, entry_id: int, day: dt.date | None, start: dt.time | None, title: str,
                        end: dt.time | None = None, location: str = "", chaired_by: str = "",
                        participants: str = "", division_id: int | None = None) -> ScheduleEntry:
    row = _locked_entry(actor, entry_id)
    before = audit.snapshot(row, _SCHEDULE_AUDIT)
    fields = _schedule_fields(actor, day=day, start=start, end=end, title=title, location=location,
                              chaired_by=chaired_by, participants=participants, division_id=division_id)
    for name, value in fields.items():
        setattr(row, name, value)
    row.updated_at = clock.now()
    row.save(update_fields=[*_SCHEDULE_AUDIT, "updated_at"])
    audit.record(actor=actor.user, action="org.schedule.edit", target=row, before=before,
                 after=audit.snapshot(row, _SCHEDULE_AUDIT))
    return row


@transaction.atomic
def delete_schedule_entry(*, actor: Staff, entry_id: int) -> None:
    row = _locked_entry(actor, entry_id)
    audit.record(actor=actor.user, action="org.schedule.delete", target=row,
                 before=audit.snapshot(row, _SCHEDULE_AUDIT))
    row.delete()


def entry_for(staff: Staff, entry_id: int) -> ScheduleEntry:
    row = ScheduleEntry.objects.filter(pk=entry_id, agency_id=staff.agency_id).first()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Không tìm thấy mục lịch công tác (có thể đã bị xóa).")
    return row


def divisions_for(staff: Staff) -> list[tuple[int, str]]:
    """The agency's active divisions, for choosing the one that prepares a meeting."""
    return list(Division.objects.filter(agency_id=staff.agency_id, is_active=True).order_by("name")
                .values_list("pk", "name"))


_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_of(day: dt.date) -> str:
    """The ISO week a date falls in, as the schedule page's address names it (``2026-W48``)."""
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def week_start(*, week: str = "", day: str = "", today: dt.date) -> dt.date:
    """The Monday of the week a page asks for: ``2026-W48`` (ISO week), or any date of it (``2026-11-26``), or
    this week. Anything unreadable is refused with a message rather than silently shown as another week."""
    if week := week.strip():
        found = _ISO_WEEK.match(week)
        try:
            if not found:
                raise ValueError(week)
            monday = dt.date.fromisocalendar(int(found[1]), int(found[2]), 1)
        except ValueError:
            raise _refuse("Tuần không hợp lệ; hãy viết dạng 2026-W48.", "tuan") from None
    elif day := day.strip():
        try:
            monday = monday_of(dt.date.fromisoformat(day))
        except ValueError:
            raise _refuse("Ngày không hợp lệ; hãy viết dạng 2026-11-26.", "ngay") from None
    else:
        monday = monday_of(today)
    if not FIRST_YEAR <= monday.year <= LAST_YEAR:
        raise _refuse(f"Chỉ xem lịch của các năm {FIRST_YEAR}–{LAST_YEAR}.", "tuan")
    return monday


@dataclass(frozen=True)
class Day:
    date: dt.date
    name: str  # "Thứ Hai" … "Chủ Nhật"
    morning: list[ScheduleEntry] = field(default_factory=list)
    afternoon: list[ScheduleEntry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.morning and not self.afternoon


@dataclass(frozen=True)
class Week:
    monday: dt.date
    days: list[Day]

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def iso(self) -> str:
        return week_of(self.monday)

    @property
    def number(self) -> int:
        return self.monday.isocalendar()[1]

    @property
    def previous(self) -> str:
        return week_of(self.monday - dt.timedelta(days=7))

    @property
    def next(self) -> str:
        return week_of(self.monday + dt.timedelta(days=7))

    @property
    def empty(self) -> bool:
        return all(d.empty for d in self.days)


def _week_rows(staff: Staff, monday: dt.date) -> QuerySet[ScheduleEntry]:
    return (ScheduleEntry.objects.filter(agency_id=staff.agency_id, day__gte=monday,
                                         day__lte=monday + dt.timedelta(days=6))
            .select_related("preparing_division").order_by("day", "start", "id"))


def week_schedule(staff: Staff, monday: dt.date) -> Week:
    """The staff member's agency's schedule of the week starting ``monday``, Monday to Sunday, each day split
    into morning (before noon) and afternoon (one query)."""
    monday = monday_of(monday)
    days = [Day(date=monday + dt.timedelta(days=i), name=WEEKDAYS[i]) for i in range(7)]
    for row in _week_rows(staff, monday):
        day = days[(row.day - monday).days]
        (day.morning if row.start < NOON else day.afternoon).append(row)
    return Week(monday=monday, days=days)
