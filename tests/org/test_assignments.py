"""Posts and their history: the organisation's rules hold whoever writes, and nothing half-written stays."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent
from motcua.org import services
from motcua.org.models import Assignment, Staff
from motcua.org.roles import Role
from tests.factories import DivisionFactory, UnitFactory, make_staff, position


def test_a_transfer_ends_the_old_post_the_day_before_and_keeps_history(roles):
    person = make_staff(role=Role.SPECIALIST)
    new_division = DivisionFactory(agency=person.agency)
    services.assign(actor=None, staff=person, position=position("truong_phong"), division=new_division,
                    start_date=dt.date(2026, 4, 1), decision="QĐ số 112/QĐ-SNV")
    old, new = person.assignments.order_by("start_date")
    assert old.end_date == dt.date(2026, 3, 31)
    assert (new.division, new.end_date, new.decision) == (new_division, None, "QĐ số 112/QĐ-SNV")
    assert list(Assignment.objects.current(dt.date(2026, 3, 31)).filter(staff=person)) == [old]
    assert list(Assignment.objects.current(dt.date(2026, 4, 1)).filter(staff=person)) == [new]


def test_staff_without_a_division_or_unit_is_refused(roles, agency):
    with pytest.raises(DomainError, match="phải thuộc một phòng hoặc một đơn vị"):
        services.create_staff(actor=None, agency=agency, username="khongphong", full_name="Lê Thị Lạc",
                              position=position("chuyen_vien"), start_date=dt.date(2026, 1, 5))
    assert not Staff.objects.filter(user__username="khongphong").exists()


def test_a_unit_member_is_accepted(roles, agency):
    unit = UnitFactory(agency=agency)
    staff = services.create_staff(actor=None, agency=agency, username="ban", full_name="Hà Văn Ban",
                                  position=position("chuyen_vien"), unit=unit, start_date=dt.date(2026, 1, 5))
    assert staff.assignments.get().place == unit


def test_a_second_head_of_the_same_division_at_the_same_time_is_refused(roles):
    head = make_staff(role=Role.DIVISION_LEADER)
    division = head.assignments.get().division
    rival = make_staff(role=Role.SPECIALIST, agency=head.agency, division=division)
    with pytest.raises(DomainError) as refused:
        services.assign(actor=None, staff=rival, position=position("truong_phong"), division=division,
                        start_date=dt.date(2026, 5, 1))
    assert refused.value.code == "conflict"
    assert "đã có người giữ" in refused.value.message
    # Nothing half-written: the rival's own post was not closed by the refused transfer.
    assert rival.assignments.get().end_date is None


def test_the_post_can_be_filled_once_the_holder_has_left(roles):
    head = make_staff(role=Role.DIVISION_LEADER)
    division = head.assignments.get().division
    services.assign(actor=None, staff=head, position=position("chuyen_vien"), division=division,
                    start_date=dt.date(2026, 5, 1))
    successor = make_staff(role=Role.SPECIALIST, agency=head.agency, division=division)
    services.assign(actor=None, staff=successor, position=position("truong_phong"), division=division,
                    start_date=dt.date(2026, 5, 1))
    assert Assignment.objects.current(dt.date(2026, 5, 2)).get(position__code="truong_phong").staff == successor


def test_overlapping_posts_for_one_person_are_refused(roles):
    person = make_staff(role=Role.SPECIALIST)
    division = person.assignments.get().division
    with pytest.raises(DomainError, match="đã có một vị trí"):
        services.assign(actor=None, staff=person, position=position("chuyen_vien"), division=division,
                        start_date=dt.date(2023, 6, 1), end_date=dt.date(2024, 6, 1))


def test_a_division_of_another_agency_is_refused(roles):
    person = make_staff(role=Role.SPECIALIST)
    foreign = DivisionFactory()
    with pytest.raises(DomainError, match="thuộc cơ quan của cán bộ"):
        services.assign(actor=None, staff=person, position=position("chuyen_vien"), division=foreign,
                        start_date=dt.date(2026, 5, 1))


def test_assign_forbidden_for_non_administrators_and_writes_nothing(roles):
    specialist = make_staff(role=Role.SPECIALIST)
    colleague = make_staff(role=Role.SPECIALIST, agency=specialist.agency)
    before = (Assignment.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as refused:
        services.assign(actor=specialist, staff=colleague, position=position("truong_phong"),
                        division=colleague.assignments.get().division, start_date=dt.date(2026, 5, 1))
    assert refused.value.code == "forbidden"
    assert (Assignment.objects.count(), AuditEvent.objects.count()) == before


def test_an_administrator_cannot_manage_another_agency(roles):
    admin = make_staff(role=Role.ADMINISTRATOR)
    outsider = make_staff(role=Role.SPECIALIST)
    with pytest.raises(DomainError, match="cơ quan mình"):
        services.set_roles(actor=admin, staff=outsider, roles=[Role.ADMINISTRATOR])
    assert not outsider.user.groups.filter(name="administrator").exists()


def test_every_organisation_write_is_audited_with_actor_and_changes(roles):
    admin = make_staff(role=Role.ADMINISTRATOR)
    person = make_staff(role=Role.SPECIALIST, agency=admin.agency)
    services.set_roles(actor=admin, staff=person, roles=[Role.CLERK, Role.SPECIALIST])
    event = AuditEvent.objects.filter(action="org.staff.set_roles", object_id=str(person.pk)).latest("id")
    assert event.actor_username == admin.user.username
    assert event.agency_id == admin.agency_id
    assert event.changes == {"before": {"roles": ["specialist"]}, "after": {"roles": ["clerk", "specialist"]}}


def test_administrators_and_auditors_may_open_the_admin_site_others_not(roles):
    assert make_staff(role=Role.ADMINISTRATOR).user.is_staff
    assert make_staff(role=Role.AUDITOR).user.is_staff
    assert not make_staff(role=Role.DESK_OFFICER).user.is_staff
