"""The morning sweep for official documents: a division's part that is overdue or due within one working day is
reminded to whoever must move it, once a day; a finished part never; nor a quiet day off."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from motcua.core import clock
from motcua.documents import reminders, services
from motcua.notify.models import Notification
from tests.documents.conftest import upload

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=VN)  # 2–6 March 2026: Monday to Friday


@pytest.fixture
def task(office):
    """Registered Monday, given to the personnel division due Tuesday, assigned to its specialist."""
    with clock.at(at(2, 9)):
        doc = services.register_incoming(actor=office.clerk, doc_type="cong-van", summary="Về việc nâng lương",
                                         sender_name="UBND tỉnh", symbol="21/UBND-NC", issued_on=dt.date(2026, 3, 2),
                                         files=[upload()])
        doc = services.direct(actor=office.director, document_id=doc.pk, note="Giao TCCB",
                              lead_division_id=office.personnel.pk, due_on=dt.date(2026, 3, 3))
        task = doc.tasks.get()
        return services.assign(actor=office.leader, task_id=task.pk, assignee_id=office.specialist.pk)


def sweep(instant: dt.datetime, capture) -> reminders.Sweep:
    with clock.at(instant), capture(execute=True):
        return reminders.send_reminders()


def sent(event: str) -> list[Notification]:
    return list(Notification.objects.filter(event=event).order_by("pk"))


def to(n: Notification) -> set[int]:
    return {r["user_id"] for r in n.recipients}


def test_an_overdue_task_is_reminded_once_a_day_to_its_specialist_and_the_division_leader(
        office, task, django_capture_on_commit_callbacks):
    result = sweep(at(3, 8), django_capture_on_commit_callbacks)  # due at the close of today: due soon
    assert (result.due_soon, result.overdue) == (1, 0)
    [soon] = sent(reminders.DUE_SOON)
    assert to(soon) == {office.specialist.user_id}
    assert soon.payload["url"] == f"/van-ban/den/{task.document_id}/" and soon.payload["remaining"].startswith("còn ")

    result = sweep(at(4, 8), django_capture_on_commit_callbacks)  # the next morning it is overdue
    assert (result.due_soon, result.overdue) == (0, 1)
    again = sweep(at(4, 10), django_capture_on_commit_callbacks)  # a second run that day adds nothing
    assert (again.due_soon, again.overdue, again.already) == (0, 0, 1)
    [overdue] = sent(reminders.OVERDUE)
    assert to(overdue) == {office.specialist.user_id, office.leader.user_id}
    assert overdue.payload["summary"] == "Về việc nâng lương" and overdue.payload["remaining"].startswith("quá ")

    sweep(at(5, 8), django_capture_on_commit_callbacks)  # and once more the day after
    assert len(sent(reminders.OVERDUE)) == 2


def test_a_completed_task_is_not_reminded(office, task, django_capture_on_commit_callbacks):
    with clock.at(at(3, 9)):
        services.complete_task(actor=office.specialist, task_id=task.pk, note="Đã trình quyết định")
    assert sweep(at(4, 8), django_capture_on_commit_callbacks) == reminders.Sweep()
    assert not Notification.objects.filter(event__startswith="document.").exists()


def test_an_undirected_document_reminds_the_agency_leaders_and_the_command_runs_both_sweeps(
        office, django_capture_on_commit_callbacks):
    with clock.at(at(2, 9)):
        services.register_incoming(actor=office.clerk, doc_type="cong-van", summary="Về việc báo cáo gấp",
                                   sender_name="Bộ Nội vụ", symbol="5/BNV", issued_on=dt.date(2026, 3, 2),
                                   due_on=dt.date(2026, 3, 2), files=[upload()])
    out = io.StringIO()
    with clock.at(at(3, 8)), django_capture_on_commit_callbacks(execute=True):
        call_command("deadline_reminders", stdout=out)
    assert "Văn bản — nhắc sắp đến hạn: 0; nhắc quá hạn: 1" in out.getvalue()
    [n] = sent(reminders.OVERDUE)
    assert to(n) == {office.director.user_id} and n.payload["action"] == "Cho ý kiến chỉ đạo"
    with clock.at(dt.datetime(2026, 3, 7, 8, tzinfo=VN)):  # a Saturday
        assert reminders.send_reminders().agencies_skipped == ["SNV"]
