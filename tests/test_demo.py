"""`motcua demo` builds the seed's department and changes nothing when run again."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from motcua import demo
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core import audit
from motcua.core.models import AuditEvent, CalendarOverride
from motcua.org.access import roles_of
from motcua.org.models import Agency, Assignment, Staff


def _counts() -> tuple[int, ...]:
    return (Agency.objects.count(), Staff.objects.count(), Assignment.objects.count(),
            CalendarOverride.objects.count(), AuditEvent.objects.count(), get_user_model().objects.count(),
            Procedure.objects.count(), ProcedureVersion.objects.count())


ARTICLE_PROCEDURES = {
    "Thuyên chuyển cán bộ, công chức, viên chức ra ngoài tỉnh",
    "Chuyển xếp lương, chuyển loại công chức cấp xã",
    "Chuyển mã ngạch công chức, viên chức",
    "Bổ nhiệm ngạch cán bộ, công chức, viên chức",
    "Đề nghị hưởng chính sách thu hút nguồn nhân lực",
}


def test_demo_builds_the_seed_department_once(db, capsys):
    call_command("demo")
    department = Agency.objects.get(short_name="SNV")
    assert department.name == "Sở Nội vụ tỉnh Hà Giang"
    assert department.divisions.count() == 6 and department.units.count() == 3
    assert Staff.objects.filter(agency=department).count() == 85
    assert Agency.objects.filter(level="province", short_name="UBND").exists()
    assert department.parent.short_name == "UBND"
    # The seed's appointments this year: three division-level leaders in the affiliated units.
    appointed = Assignment.objects.filter(agency=department, start_date=dt.date(2026, 4, 1),
                                          position__code="pho_truong_don_vi")
    assert appointed.count() == 3
    # The Government's 2026 schedule is in the province calendar.
    assert CalendarOverride.objects.filter(calendar=department.calendar, date=dt.date(2026, 1, 10),
                                           kind="working_day").exists()
    # The seed's 36 procedures, the article's five among them, each simplified once (two versions).
    assert Procedure.objects.filter(agency=department).count() == 36
    assert set(Procedure.objects.values_list("name", flat=True)) >= ARTICLE_PROCEDURES
    assert ProcedureVersion.objects.count() == 72
    out = capsys.readouterr().out
    before = _counts()
    call_command("demo")
    assert _counts() == before
    assert "không thay đổi gì" in capsys.readouterr().out
    assert all(login.username in out for login in demo.DEMO_LOGINS)
    assert audit.verify().ok


def test_each_demo_login_has_its_role_and_the_demo_password(db):
    demo.load()
    for login in demo.DEMO_LOGINS:
        request = RequestFactory().post("/dang-nhap/")
        user = authenticate(request, username=login.username, password=demo.DEMO_PASSWORD)
        assert user is not None, login.username
        assert roles_of(user.staff) == {login.role}
    others = get_user_model().objects.exclude(username__in=[lg.username for lg in demo.DEMO_LOGINS])
    assert not any(u.has_usable_password() for u in others)
