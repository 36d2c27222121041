"""The staff portal's boards: the office and the leaders post announcements and keep the weekly work schedule;
everyone of the agency reads them; a specialist cannot write them; another agency sees none of it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent
from motcua.org import office
from motcua.org.models import Announcement, ScheduleEntry
from tests.documents.conftest import make_office

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
THURSDAY = dt.datetime(2026, 11, 26, 9, 0, tzinfo=VN)  # ISO week 2026-W48: Monday 23/11 … Sunday 29/11


@pytest.fixture
def world(roles):
    return make_office()


def _page(client, staff, url, data=None):
    client.force_login(staff.user)
    return client.post(url, data) if data is not None else client.get(url)


def test_an_announcement_is_published_shown_pinned_first_and_gone_after_its_date(world):
    with clock.at(THURSDAY):
        older = office.publish_announcement(actor=world.clerk, title="Lịch nghỉ Tết", body="Nghỉ 9 ngày",
                                            pinned=True)
        office.publish_announcement(actor=world.director, title="Họp giao ban",
                                    expires_on=dt.date(2026, 11, 27))
        newest = office.publish_announcement(actor=world.clerk, title="  Nộp   báo cáo tháng  ")
        assert newest.title == "Nộp báo cáo tháng"
        assert [a.title for a in office.current_announcements(world.specialist)] == [
            "Lịch nghỉ Tết", "Nộp báo cáo tháng", "Họp giao ban"]
    with clock.at(THURSDAY + dt.timedelta(days=2)):  # the meeting notice showed until the end of Friday
        assert [a.title for a in office.current_announcements(world.specialist)] == [
            "Lịch nghỉ Tết", "Nộp báo cáo tháng"]
        office.edit_announcement(actor=world.clerk, announcement_id=older.pk, title="Lịch nghỉ Tết 2027",
                                 body="Nghỉ 9 ngày", pinned=False)
        office.withdraw_announcement(actor=world.clerk, announcement_id=newest.pk)
        assert [a.title for a in office.current_announcements(world.specialist)] == ["Lịch nghỉ Tết 2027"]
    actions = list(AuditEvent.objects.filter(action__startswith="org.announcement").values_list("action", flat=True))
    assert sorted(actions) == ["org.announcement.edit", "org.announcement.publish", "org.announcement.publish",
                               "org.announcement.publish", "org.announcement.withdraw"]


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"title": "   "}, "title", "Hãy nhập tiêu đề."),
    ({"title": "x" * 201}, "title", "Tiêu đề dài quá 200 ký tự."),
    ({"title": "Họp", "expires_on": dt.date(2026, 11, 25)}, "expires_on", "không được trước ngày hôm nay"),
])
def test_a_bad_announcement_is_refused_with_its_field_and_writes_nothing(world, fields, field, message):
    with clock.at(THURSDAY), pytest.raises(DomainError) as refused:
        office.publish_announcement(actor=world.clerk, **fields)
    assert refused.value.details["field"] == field and message in refused.value.message
    assert not Announcement.objects.exists()


def test_publishing_an_announcement_is_forbidden_for_a_specialist(world, client):
    with pytest.raises(DomainError) as refused:
        office.publish_announcement(actor=world.specialist, title="Thông báo")
    assert refused.value.code == "forbidden"
    mine = office.publish_announcement(actor=world.clerk, title="Thông báo")
    with pytest.raises(DomainError):
        office.withdraw_announcement(actor=world.specialist, announcement_id=mine.pk)
    assert _page(client, world.specialist, "/thong-bao-co-quan/", {"title": "Của tôi"}).status_code == 403
    html = _page(client, world.specialist, "/thong-bao-co-quan/").content.decode()
    assert "Thông báo" in html and 'name="title"' not in html and "/go/" not in html  # reads, no form
    assert _page(client, world.specialist, f"/thong-bao-co-quan/{mine.pk}/go/", {}).status_code == 403
    assert list(Announcement.objects.values_list("title", flat=True)) == ["Thông báo"]


def test_the_clerk_publishes_and_withdraws_on_the_page(world, client):
    with clock.at(THURSDAY):
        response = _page(client, world.clerk, "/thong-bao-co-quan/",
                         {"title": "Kiểm tra PCCC", "body": "Thứ Sáu", "pinned": "on", "expires_on": "2026-12-31"})
        assert response.status_code == 302
        row = Announcement.objects.get()
        assert (row.pinned, row.expires_on, row.created_by) == (True, dt.date(2026, 12, 31), world.clerk)
        refused = _page(client, world.clerk, "/thong-bao-co-quan/", {"title": "", "body": "x"}).content.decode()
        assert "Hãy nhập tiêu đề" in refused or "bắt buộc" in refused
        confirm = _page(client, world.clerk, f"/thong-bao-co-quan/{row.pk}/go/").content.decode()
        assert "Kiểm tra PCCC" in confirm and 'method="post"' in confirm
        assert Announcement.objects.exists()  # asking is not doing
        assert _page(client, world.clerk, f"/thong-bao-co-quan/{row.pk}/go/", {}).status_code == 302
    assert not Announcement.objects.exists()


def entry(world, actor=None, **fields):
    values = {"day": dt.date(2026, 11, 23), "start": dt.time(8, 0), "title": "Giao ban đầu tuần",
              "location": "Phòng họp tầng 2", "chaired_by": "Giám đốc Sở", "participants": "Lãnh đạo các phòng",
              "division_id": world.office.pk}
    values.update(fields)
    return office.add_schedule_entry(actor=actor or world.clerk, **values)


def test_the_week_is_monday_to_sunday_split_into_morning_and_afternoon(world):
    entry(world)
    entry(world, day=dt.date(2026, 11, 23), start=dt.time(14, 0), end=dt.time(16, 30), title="Làm việc với UBND")
    entry(world, day=dt.date(2026, 11, 29), start=dt.time(7, 30), title="Trực Chủ nhật", division_id=None)
    entry(world, day=dt.date(2026, 11, 30), title="Tuần sau")
    week = office.week_schedule(world.specialist, dt.date(2026, 11, 26))
    assert (week.monday, week.sunday, week.iso, week.previous, week.next) == (
        dt.date(2026, 11, 23), dt.date(2026, 11, 29), "2026-W48", "2026-W47", "2026-W49")
    assert [d.name for d in week.days] == ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy",
                                           "Chủ Nhật"]
    monday, sunday = week.days[0], week.days[6]
    assert [e.title for e in monday.morning] == ["Giao ban đầu tuần"]
    assert [e.title for e in monday.afternoon] == ["Làm việc với UBND"]
    assert [e.title for e in sunday.morning] == ["Trực Chủ nhật"] and all(d.empty for d in week.days[1:6])


@pytest.mark.parametrize(("week", "day", "monday"), [
    ("2026-W48", "", dt.date(2026, 11, 23)),
    ("2026W01", "", dt.date(2025, 12, 29)),
    ("", "2026-11-29", dt.date(2026, 11, 23)),
    ("", "", dt.date(2026, 11, 23)),
])
def test_the_week_asked_for_starts_on_its_monday(week, day, monday):
    assert office.week_start(week=week, day=day, today=dt.date(2026, 11, 26)) == monday


@pytest.mark.parametrize(("week", "day"), [("2026-W54", ""), ("tuần 48", ""), ("", "29/11/2026")])
def test_an_unreadable_week_is_refused(week, day):
    with pytest.raises(DomainError):
        office.week_start(week=week, day=day, today=dt.date(2026, 11, 26))


def test_the_office_adds_edits_and_deletes_schedule_entries_on_the_page(world, client):
    with clock.at(THURSDAY):
        response = _page(client, world.clerk, "/lich-cong-tac/?tuan=2026-W48", {
            "day": "2026-11-24", "start": "14:00", "end": "16:00", "title": "Hội nghị CCHC",
            "location": "Hội trường", "chaired_by": "Phó Giám đốc", "participants": "Các phòng",
            "division_id": str(world.personnel.pk)})
        assert response.status_code == 302 and response["Location"] == "/lich-cong-tac/?tuan=2026-W48"
        row = ScheduleEntry.objects.get()
        assert row.preparing_division == world.personnel and row.end == dt.time(16, 0)
        html = _page(client, world.specialist, "/lich-cong-tac/?ngay=2026-11-27").content.decode()
        assert "Hội nghị CCHC" in html and "Phó Giám đốc" in html and "Thứ Ba" in html
        assert "/sua/" not in html and 'name="title"' not in html  # a specialist reads only
        bad = _page(client, world.clerk, f"/lich-cong-tac/{row.pk}/sua/", {
            "day": "2026-11-24", "start": "14:00", "end": "13:00", "title": "Hội nghị CCHC"}).content.decode()
        assert "Giờ kết thúc phải sau giờ bắt đầu" in bad
        response = _page(client, world.clerk, f"/lich-cong-tac/{row.pk}/sua/", {
            "day": "2026-11-25", "start": "08:00", "title": "Hội nghị CCHC (dời lịch)", "division_id": ""})
        assert response.status_code == 302
        row.refresh_from_db()
        assert (row.day, row.start, row.end, row.preparing_division) == (dt.date(2026, 11, 25), dt.time(8), None, None)
        confirm = _page(client, world.clerk, f"/lich-cong-tac/{row.pk}/xoa/").content.decode()
        assert "Hội nghị CCHC (dời lịch)" in confirm and ScheduleEntry.objects.exists()  # asking is not doing
        assert _page(client, world.clerk, f"/lich-cong-tac/{row.pk}/xoa/", {}).status_code == 302
    assert not ScheduleEntry.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="org.schedule").count() == 3


def test_editing_the_schedule_is_forbidden_for_a_specialist(world, client):
    with pytest.raises(DomainError) as refused:
        entry(world, actor=world.specialist)
    assert refused.value.code == "forbidden"
    row = entry(world)
    for attempt in (
        lambda: office.edit_schedule_entry(actor=world.specialist, entry_id=row.pk, day=row.day, start=row.start,
                                           title="Đổi"),
        lambda: office.delete_schedule_entry(actor=world.specialist, entry_id=row.pk),
    ):
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == "forbidden"
    assert _page(client, world.specialist, f"/lich-cong-tac/{row.pk}/xoa/", {}).status_code == 403
    assert _page(client, world.specialist, "/lich-cong-tac/", {"day": "2026-11-24", "start": "09:00",
                                                               "title": "Của tôi"}).status_code == 403
    assert list(ScheduleEntry.objects.values_list("title", flat=True)) == ["Giao ban đầu tuần"]


def test_another_agency_sees_and_changes_nothing(world, client):
    with clock.at(THURSDAY):
        notice = office.publish_announcement(actor=world.clerk, title="Nội bộ Sở Nội vụ")
        row = entry(world)
        elsewhere = make_office()  # another agency with its own clerk and staff
        assert office.current_announcements(elsewhere.specialist) == []
        assert office.week_schedule(elsewhere.specialist, row.day).empty
        with pytest.raises(DomainError) as refused:
            office.delete_schedule_entry(actor=elsewhere.clerk, entry_id=row.pk)
        assert refused.value.message == "Bạn chỉ được thao tác trên dữ liệu của cơ quan mình."
        with pytest.raises(DomainError):
            entry(world, actor=elsewhere.clerk, division_id=world.office.pk)  # not a division of theirs
        for url in ("/thong-bao-co-quan/", "/lich-cong-tac/?tuan=2026-W48"):
            assert "Nội bộ Sở Nội vụ" not in _page(client, elsewhere.clerk, url).content.decode()
            assert "Giao ban đầu tuần" not in _page(client, elsewhere.clerk, url).content.decode()
        assert _page(client, elsewhere.clerk, f"/thong-bao-co-quan/{notice.pk}/sua/").status_code == 404
        assert _page(client, elsewhere.clerk, f"/lich-cong-tac/{row.pk}/xoa/", {}).status_code == 404
    assert Announcement.objects.count() == 1 and ScheduleEntry.objects.count() == 1
