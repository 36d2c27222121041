"""The admin: the agency's administrator manages their own agency; the auditor only reads; every save is
audited; the same organisation rules hold as in the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from motcua.core.models import AuditEvent
from motcua.org.models import Assignment, Division, Staff
from motcua.org.roles import Role
from tests.factories import DivisionFactory, make_staff, position


@pytest.fixture
def admin_staff(roles):
    return make_staff(role=Role.ADMINISTRATOR)


def test_the_administrator_sees_only_their_agency(client, admin_staff):
    DivisionFactory(name="Phòng của cơ quan khác")
    client.force_login(admin_staff.user)
    html = client.get("/admin/org/division/").content.decode()
    assert admin_staff.assignments.get().division.name in html
    assert "Phòng của cơ quan khác" not in html


def test_a_division_saved_in_the_admin_is_audited(client, admin_staff):
    client.force_login(admin_staff.user)
    response = client.post("/admin/org/division/add/", {"agency": admin_staff.agency_id, "code": "CCHC",
                                                          "name": "Phòng Cải cách hành chính", "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    division = Division.objects.get(code="CCHC")
    event = AuditEvent.objects.get(action="org.division.create", object_id=str(division.pk))
    assert event.actor_username == admin_staff.user.username and event.agency_id == admin_staff.agency_id


def test_the_administrator_cannot_put_a_division_in_another_agency(client, admin_staff):
    other = DivisionFactory().agency
    client.force_login(admin_staff.user)
    response = client.post("/admin/org/division/add/", {"agency": other.pk, "code": "X", "name": "X"})
    assert response.status_code == 200  # the form again, with the error
    assert not Division.objects.filter(agency=other, code="X").exists()


def transfer_form(person, *, position_id: int, division_id: int, decision: str = "") -> dict:
    """The staff change form as the admin posts it: the current post ends 30/4, a new one starts 1/5."""
    post = person.assignments.get()
    return {
        "user": person.user_id, "agency": person.agency_id, "full_name": person.full_name, "is_active": "on",
        "assignments-TOTAL_FORMS": "2", "assignments-INITIAL_FORMS": "1", "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
        "assignments-0-id": post.pk, "assignments-0-staff": person.pk, "assignments-0-position": post.position_id,
        "assignments-0-division": post.division_id, "assignments-0-start_date": "2024-01-01",
        "assignments-0-end_date": "2026-04-30",
        "assignments-1-staff": person.pk, "assignments-1-position": position_id,
        "assignments-1-division": division_id, "assignments-1-start_date": "2026-05-01",
        "assignments-1-decision": decision,
    }


def test_the_admin_refuses_a_second_head_for_a_division(client, admin_staff):
    head = make_staff(role=Role.DIVISION_LEADER, agency=admin_staff.agency)
    division = head.assignments.get().division
    rival = make_staff(role=Role.SPECIALIST, agency=admin_staff.agency, division=division)
    client.force_login(admin_staff.user)
    form = transfer_form(rival, position_id=position("truong_phong").pk, division_id=division.pk)
    response = client.post(f"/admin/org/staff/{rival.pk}/change/", form)
    assert response.status_code == 200
    assert "đã có người giữ" in response.content.decode()
    assert rival.assignments.count() == 1 and rival.assignments.get().end_date is None


def test_the_auditor_reads_but_cannot_change(client, roles):
    auditor = make_staff(role=Role.AUDITOR)
    client.force_login(auditor.user)
    assert client.get("/admin/org/staff/").status_code == 200
    assert client.get("/admin/core/auditevent/").status_code == 200
    assert client.get("/admin/org/division/add/").status_code == 403
    staff_id = auditor.pk
    response = client.post(f"/admin/org/staff/{staff_id}/change/", {"full_name": "Đổi tên"})
    assert response.status_code == 403


def test_a_specialist_cannot_enter_the_admin(client, roles):
    client.force_login(make_staff(role=Role.SPECIALIST).user)
    assert client.get("/admin/").status_code == 302


def test_audit_events_cannot_be_added_changed_or_deleted_in_the_admin(client, admin_staff):
    client.force_login(admin_staff.user)
    event = AuditEvent.objects.filter(agency_id=admin_staff.agency_id).first()
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    assert client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_assignment_history_unchanged_when_nothing_is_posted(admin_staff):
    assert Assignment.objects.filter(staff=admin_staff).count() == 1


def test_the_admin_records_a_transfer_in_one_submission(client, admin_staff):
    person = make_staff(role=Role.SPECIALIST, agency=admin_staff.agency)
    post = person.assignments.get()
    target = DivisionFactory(agency=admin_staff.agency)
    client.force_login(admin_staff.user)
    form = transfer_form(person, position_id=post.position_id, division_id=target.pk, decision="QĐ số 7/QĐ-SNV")
    response = client.post(f"/admin/org/staff/{person.pk}/change/", form)
    assert response.status_code == 302
    assert list(person.assignments.order_by("start_date").values_list("division_id", "end_date")) == [
        (post.division_id, dt.date(2026, 4, 30)), (target.pk, None)]
    assert AuditEvent.objects.filter(action="org.assignment.create", actor_username=admin_staff.user.username).exists()


def test_an_agency_administrator_cannot_make_anyone_superuser(client, admin_staff):
    colleague = make_staff(role=Role.SPECIALIST, agency=admin_staff.agency)
    client.force_login(admin_staff.user)
    page = client.get(f"/admin/auth/user/{colleague.user_id}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    client.post(f"/admin/auth/user/{colleague.user_id}/change/", {
        "username": colleague.user.username, "is_active": "on", "is_superuser": "on",
        "groups": [Group.objects.get(name="clerk").pk], "date_joined_0": "2024-01-01", "date_joined_1": "08:00:00",
    })
    colleague.user.refresh_from_db()
    assert not colleague.user.is_superuser
    assert list(colleague.user.groups.values_list("name", flat=True)) == ["clerk"]
    event = AuditEvent.objects.filter(action="auth.user.update", object_id=str(colleague.user_id)).get()
    assert event.changes["after"]["groups"] == ["clerk"]


def test_an_agency_administrator_cannot_see_other_agencies_accounts(client, admin_staff):
    outsider = make_staff(role=Role.SPECIALIST)
    client.force_login(admin_staff.user)
    assert client.get(f"/admin/auth/user/{outsider.user_id}/change/").status_code == 302  # "does not exist"
    assert outsider.user.username not in client.get("/admin/auth/user/").content.decode()


def test_the_admin_refuses_staff_without_any_post(client, admin_staff, django_user_model):
    account = django_user_model.objects.create_user("moi")
    client.force_login(admin_staff.user)
    response = client.post("/admin/org/staff/add/", {
        "user": account.pk, "agency": admin_staff.agency_id, "full_name": "Người Mới", "is_active": "on",
        "assignments-TOTAL_FORMS": "0", "assignments-INITIAL_FORMS": "0", "assignments-MIN_NUM_FORMS": "1",
        "assignments-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 200
    assert "ít nhất một vị trí công tác" in response.content.decode()
    assert not Staff.objects.filter(user=account).exists()


def test_the_agency_administrator_cannot_change_where_the_agency_stands_in_the_province(client, admin_staff):
    from motcua.org.models import Agency
    from tests.factories import AgencyFactory

    agency = admin_staff.agency
    province = AgencyFactory(kind=Agency.Kind.PROVINCE)
    client.force_login(admin_staff.user)
    url = f"/admin/org/agency/{agency.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="kind"' not in page and 'name="served_communes"' not in page and 'name="on_system"' not in page
    response = client.post(url, {"identifier": agency.identifier, "name": agency.name, "short_name": agency.short_name,
                                 "is_active": "on", "kind": "service_centre", "parent": province.pk})
    assert response.status_code == 302, response.content.decode()[-2000:]
    agency.refresh_from_db()
    assert (agency.kind, agency.parent_id, agency.on_system) == ("department", None, True)


def test_the_deployment_sets_the_communes_a_branch_serves(client, db, django_user_model):
    from motcua.org.models import Agency
    from tests.factories import AgencyFactory

    branch = AgencyFactory(kind=Agency.Kind.BRANCH, short_name="CN")
    communes = [AgencyFactory(kind=Agency.Kind.COMMUNE, short_name="UBNDX") for _ in range(2)]
    department = AgencyFactory()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.vn", "x"))
    page = client.get(f"/admin/org/agency/{branch.pk}/change/").content.decode()
    choices = page[page.index('name="served_communes"'):]
    choices = choices[:choices.index("</select>")]
    assert all(c.name in choices for c in communes) and department.name not in choices
    response = client.post(f"/admin/org/agency/{branch.pk}/change/", {
        "identifier": branch.identifier, "name": branch.name, "short_name": branch.short_name, "kind": "branch",
        "on_system": "on", "is_active": "on", "served_communes": [c.pk for c in communes]})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert set(branch.served_communes.all()) == set(communes)
