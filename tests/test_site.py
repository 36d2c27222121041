"""Health, security settings and the staff pages, through Django's test client."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.db import DatabaseError

from motcua.core.models import AuditEvent
from motcua.org.roles import Role
from tests.conftest import PASSWORD
from tests.factories import make_staff


def test_healthz_reports_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_the_database_is_unreachable(client, db, monkeypatch):
    def unreachable(*args, **kwargs):
        raise DatabaseError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr("django.db.backends.utils.CursorWrapper.execute", unreachable)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_security_headers_are_sent(client, db):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_anonymous_visitors_see_the_public_home_and_staff_log_in_on_their_own_page(client, db):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Tìm thủ tục hành chính" in html and "Đăng nhập dành cho cán bộ" not in html
    html = client.get("/dang-nhap/").content.decode()
    assert '<html lang="vi">' in html and "Đăng nhập dành cho cán bộ" in html


def test_a_staff_page_sends_a_visitor_to_the_login_and_back(client, roles):
    desk = make_staff(role=Role.DESK_OFFICER)
    first = client.get("/danh-ba/")
    assert first.status_code == 302
    second = client.get(first["Location"])  # "/?next=/danh-ba/", the address staff pages have always used
    assert second.status_code == 302 and second["Location"] == "/dang-nhap/?next=/danh-ba/"
    page = client.get(second["Location"]).content.decode()
    assert 'name="next" value="/danh-ba/"' in page
    response = client.post("/dang-nhap/", {"username": desk.user.username, "password": PASSWORD,
                                           "next": "/danh-ba/"})
    assert response.status_code == 302 and response["Location"] == "/danh-ba/"


def test_a_login_form_posted_to_the_old_address_still_logs_in(client, roles):
    desk = make_staff(role=Role.DESK_OFFICER)
    response = client.post("/", {"username": desk.user.username, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_wrong_password_shows_a_clear_error_and_no_session(client, roles):
    desk = make_staff(role=Role.DESK_OFFICER)
    response = client.post("/dang-nhap/", {"username": desk.user.username, "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(("role", "label", "sees_admin", "sees_audit"), [
    (Role.DESK_OFFICER, "Cán bộ một cửa", False, False),
    (Role.SPECIALIST, "Chuyên viên", False, False),
    (Role.DIVISION_LEADER, "Lãnh đạo phòng", False, False),
    (Role.AGENCY_LEADER, "Lãnh đạo cơ quan", False, False),
    (Role.CLERK, "Văn thư", False, False),
    (Role.ADMINISTRATOR, "Quản trị hệ thống", True, True),
    (Role.AUDITOR, "Kiểm tra, giám sát (chỉ xem)", False, True),
])
def test_each_role_lands_on_its_home_page(client, roles, role, label, sees_admin, sees_audit):
    staff = make_staff(role=role)
    response = client.post("/dang-nhap/", {"username": staff.user.username, "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<span class="badge" data-role>{label}</span>' in html
    assert ('id="admin-h"' in html) is sees_admin
    assert ('href="/nhat-ky/"' in html) is sees_audit


def test_leaders_see_their_people(client, roles):
    leader = make_staff(role=Role.DIVISION_LEADER)
    make_staff(role=Role.SPECIALIST, agency=leader.agency, division=leader.assignments.get().division)
    client.force_login(leader.user)
    html = client.get("/").content.decode()
    assert "Cán bộ của phòng" in html and html.count("Nguyễn Văn Thử") >= 2


def test_the_due_calculator_refuses_an_empty_amount(client, roles):
    client.force_login(make_staff(role=Role.DESK_OFFICER).user)
    html = client.get("/", {"start": "2026-04-24T09:00", "days": 0, "hours": 0}).content.decode()
    assert "Nhập số ngày hoặc số giờ làm việc lớn hơn 0" in html
    html = client.get("/", {"start": "2026-04-24T09:00", "days": 3}).content.decode()
    assert "09:00 ngày 04/05/2026" in html


def test_audit_log_is_refused_to_a_specialist(client, roles):
    client.force_login(make_staff(role=Role.SPECIALIST).user)
    response = client.get("/nhat-ky/")
    assert response.status_code == 403
    assert "không có quyền" in response.content.decode()


def test_an_auditor_reads_and_verifies_only_their_agency_log(client, roles):
    auditor = make_staff(role=Role.AUDITOR)
    make_staff(role=Role.SPECIALIST, username="nguoikhac")  # another agency's events
    client.force_login(auditor.user)
    html = client.get("/nhat-ky/").content.decode()
    assert "org.staff.create" in html and "nguoikhac" not in html
    response = client.post("/nhat-ky/", follow=True)
    assert "Nhật ký toàn vẹn" in response.content.decode()
    assert AuditEvent.objects.filter(action="audit.verify", actor_username=auditor.user.username).exists()


def test_pages_need_login(client, db):
    for url in ("/danh-ba/", "/lich-lam-viec/", "/nhat-ky/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/?next=")


def test_directory_lists_only_the_own_agency(client, roles):
    me = make_staff(role=Role.CLERK)
    make_staff(role=Role.CLERK, username="nguoingoai")
    client.force_login(me.user)
    html = client.get("/danh-ba/").content.decode()
    assert me.full_name in html and "nguoingoai" not in html


def _settings_check(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "motcua.cli", "check", "--deploy", "--fail-level", "WARNING"],
                          env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, timeout=120)


def test_production_refuses_a_default_secret_or_debug(tmp_path):
    base = {"MOTCUA_ENV": "production", "ALLOWED_HOSTS": "motcua.example.gov.vn", "DATA_DIR": str(tmp_path)}
    no_secret = _settings_check(base)
    assert no_secret.returncode != 0 and "SECRET_KEY" in no_secret.stderr
    weak = _settings_check({**base, "SECRET_KEY": "change-me"})
    assert weak.returncode != 0 and "SECRET_KEY" in weak.stderr
    debug = _settings_check({**base, "SECRET_KEY": "x" * 64, "DEBUG": "true"})
    assert debug.returncode != 0 and "DEBUG" in debug.stderr


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _settings_check({"MOTCUA_ENV": "production", "ALLOWED_HOSTS": "motcua.example.gov.vn",
                              "SECRET_KEY": "k" * 20 + "Zq9-" * 12, "DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr


def test_repeated_wrong_passwords_lock_the_login_page(client, roles, settings):
    desk = make_staff(role=Role.DESK_OFFICER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/dang-nhap/", {"username": desk.user.username, "password": "sai"})
    assert response.status_code == 429 and response["Retry-After"] == "900"
    assert "Tạm khóa đăng nhập" in response.content.decode() and "15 phút" in response.content.decode()
    locked = client.post("/dang-nhap/", {"username": desk.user.username, "password": PASSWORD})
    assert locked.status_code == 429 and "_auth_user_id" not in client.session


def test_logout_ends_the_session(client, roles):
    desk = make_staff(role=Role.DESK_OFFICER)
    client.post("/dang-nhap/", {"username": desk.user.username, "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(desk.user.pk)
    response = client.post("/dang-xuat/")
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_directory_search_ignores_marks_case_and_d_with_stroke(client, roles):
    me = make_staff(role=Role.CLERK)
    division = me.assignments.get().division
    for name in ("Đặng Minh Đạt", "Nguyễn Thị Hường"):
        other = make_staff(role=Role.SPECIALIST, agency=me.agency, division=division)
        other.full_name = name
        other.save(update_fields=["full_name"])
    client.force_login(me.user)
    for query, found, absent in (("dat", "Đặng Minh Đạt", "Hường"), ("ĐẠT", "Đặng Minh Đạt", "Hường"),
                                 ("huong", "Nguyễn Thị Hường", "Đạt"), ("đặng", "Đặng Minh Đạt", "Hường")):
        html = client.get("/danh-ba/", {"q": query}).content.decode()
        assert found in html and absent not in html, query


def test_an_agency_leader_home_names_the_agency_once(client, roles):
    leader = make_staff(role=Role.AGENCY_LEADER)
    client.force_login(leader.user)
    html = client.get("/").content.decode()
    assert html.count(leader.agency.name) == 1


def test_the_due_calculator_refuses_dates_outside_the_calendar(client, roles):
    client.force_login(make_staff(role=Role.DESK_OFFICER).user)
    response = client.get("/", {"start": "2100-12-31T09:00", "days": 3650})
    assert response.status_code == 200
    assert "ngoài phạm vi lịch" in response.content.decode()


def test_an_unknown_page_gets_the_vietnamese_404(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_a_calendar_import_by_an_agency_administrator_lands_in_their_agency_log(roles):
    from motcua.core import services as core_services
    from motcua.core.models import AuditEvent
    from tests.factories import CalendarFactory

    admin = make_staff(role=Role.ADMINISTRATOR)
    calendar = CalendarFactory()
    core_services.import_calendar_overrides(actor=admin.user, calendar=calendar,
                                            data="date,kind,name\n2027-02-05,holiday,Tết\n".encode())
    event = AuditEvent.objects.get(action="calendar.override.create")
    assert event.agency_id == event.chain == admin.agency_id
