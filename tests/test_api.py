"""The JSON API over real HTTP semantics: tokens, one error shape, scoping, OpenAPI."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.core.models import AuditEvent
from motcua.org.models import ApiToken
from motcua.org.roles import Role
from tests.conftest import PASSWORD
from tests.factories import make_staff


def token_for(client, staff) -> str:
    response = client.post("/api/v1/auth/token", {"username": staff.user.username, "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_a_token_opens_the_api_and_only_its_hash_is_stored(client, roles):
    desk = make_staff(role=Role.DESK_OFFICER)
    token = token_for(client, desk)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == desk.user.username
    assert body["roles"] == ["desk_officer"]
    assert body["agency"]["identifier"] == desk.agency.identifier
    assert body["position"] == "Chuyên viên"
    stored = ApiToken.objects.get(user=desk.user)
    assert token not in (stored.key_hash, stored.prefix) and stored.prefix == token[:8]
    assert AuditEvent.objects.filter(action="auth.token.issue", actor_username=desk.user.username).exists()


def test_a_wrong_password_gets_401_in_the_common_error_shape(client, roles):
    desk = make_staff(role=Role.DESK_OFFICER)
    response = client.post("/api/v1/auth/token", {"username": desk.user.username, "password": "sai-mat-khau"},
                           content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated", "message": "Tên đăng nhập hoặc mật khẩu không đúng.",
                               "details": {}}
    assert not ApiToken.objects.exists()


def test_repeated_wrong_passwords_lock_the_account_out(client, roles, settings):
    desk = make_staff(role=Role.DESK_OFFICER)
    statuses = [client.post("/api/v1/auth/token", {"username": desk.user.username, "password": "sai"},
                            content_type="application/json").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[-1] == 429
    locked = client.post("/api/v1/auth/token", {"username": desk.user.username, "password": PASSWORD},
                         content_type="application/json")
    assert locked.status_code == 429
    assert locked.json()["code"] == "rate_limited"


def test_malformed_body_gets_422_naming_the_field(client, db):
    response = client.post("/api/v1/auth/token", {"username": ""}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["message"] == "Dữ liệu gửi lên không hợp lệ."
    assert {e["field"] for e in body["details"]["errors"]} >= {"password"}


@pytest.mark.parametrize("header", [None, "Bearer khong-hop-le", "Basic abc"])
def test_no_or_bad_credentials_get_401(client, db, header):
    response = client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_an_expired_or_revoked_token_is_refused(client, roles):
    desk = make_staff(role=Role.DESK_OFFICER)
    token = token_for(client, desk)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    token = token_for(client, desk)
    ApiToken.objects.update(revoked=True)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_user_who_is_not_staff_gets_no_token(client, db, django_user_model):
    django_user_model.objects.create_user("citizen", password=PASSWORD)
    response = client.post("/api/v1/auth/token", {"username": "citizen", "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_session_login_also_opens_the_api(client, roles):
    leader = make_staff(role=Role.AGENCY_LEADER)
    client.force_login(leader.user)
    assert client.get("/api/v1/me").json()["roles"] == ["agency_leader"]


def test_due_date_uses_the_agency_calendar(client, roles):
    desk = make_staff(role=Role.DESK_OFFICER)
    token = token_for(client, desk)
    response = client.get("/api/v1/calendar/due", {"start": "2026-04-24T09:00:00+07:00", "days": 3},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    # 27/4 (compensation for Giỗ Tổ), 30/4 and 1/5 are days off.
    assert dt.datetime.fromisoformat(response.json()["due"]) == dt.datetime.fromisoformat("2026-05-04T09:00:00+07:00")


def test_due_date_without_a_time_zone_is_refused(client, roles):
    desk = make_staff(role=Role.DESK_OFFICER)
    token = token_for(client, desk)
    response = client.get("/api/v1/calendar/due", {"start": "2026-04-24T09:00:00", "days": 3},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert response.json()["details"] == {"field": "start"}


def test_year_calendar_lists_tet_and_refuses_years_out_of_range(client, roles):
    client.force_login(make_staff(role=Role.CLERK).user)
    days = client.get("/api/v1/calendar/2030").json()
    assert {"date": "2030-02-02", "name": "Tết Nguyên Đán", "working": False} in days
    assert client.get("/api/v1/calendar/1899").status_code == 422


def test_openapi_document_and_docs_are_served(client, db):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/auth/token", "/api/v1/me", "/api/v1/calendar/due", "/api/v1/agencies"} <= set(paths)
    assert "401" in paths["/api/v1/me"]["get"]["responses"]
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/agencies", "/api/v1/procedures"])
def test_the_public_lists_need_no_credentials_and_ignore_bad_ones(client, db, url):
    assert client.get(url).status_code == 200
    assert client.get(url, headers={"Authorization": "Bearer khong-hop-le"}).status_code == 200
    assert client.get(url).json()["count"] == 0


@pytest.mark.parametrize(("method", "url", "status", "code"), [
    ("get", "/api/v1/khong-co", 404, "not_found"),
    ("delete", "/api/v1/me", 405, "method_not_allowed"),
])
def test_unknown_paths_and_methods_answer_in_the_error_shape(client, db, method, url, status, code):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["message"]


def test_a_body_that_is_not_json_gets_a_vietnamese_400(client, db):
    response = client.post("/api/v1/auth/token", "{khong phai json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "details": {},
                               "message": "Nội dung gửi lên không đọc được (không phải JSON hợp lệ)."}


@pytest.mark.parametrize(("params", "field"), [
    ({"start": "2026-04-24T09:00:00+07:00"}, "days"),
    ({"start": "2100-12-31T09:00:00+07:00", "days": 3650}, "start"),
    ({"start": "0001-01-01T00:00:00+07:00", "days": 1}, "start"),
])
def test_due_dates_out_of_range_or_zero_are_refused_in_the_error_shape(client, roles, params, field):
    client.force_login(make_staff(role=Role.DESK_OFFICER).user)
    response = client.get("/api/v1/calendar/due", params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["details"] == {"field": field}


def test_interactive_docs_are_served_without_a_cdn(client, db):
    html = client.get("/api/v1/docs").content.decode()
    # nothing from another host (a bare "cdn" can occur in the page's random CSRF token)
    assert 'src="http' not in html and 'href="http' not in html and "/static/ninja/swagger-ui-bundle.js" in html
