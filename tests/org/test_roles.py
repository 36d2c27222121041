"""Role × action → allowed or refused, as the agency expects it (written out, not derived from the code)."""

from __future__ import annotations

import pytest

from motcua.core.errors import DomainError
from motcua.org.access import ensure_can
from motcua.org.roles import Role
from tests.factories import AgencyFactory, DivisionFactory, make_staff

D, S, DL, AL, C, AD, AU = (Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_LEADER, Role.AGENCY_LEADER, Role.CLERK,
                           Role.ADMINISTRATOR, Role.AUDITOR)
PL, PA = Role.PROVINCE_LEADER, Role.PROVINCE_AUDITOR  # read every agency's dossiers and reports; change nothing

MATRIX = {
    "org.view_staff": {D, S, DL, AL, C, AD, AU, PL, PA},
    "org.view_division_work": {DL, AL},
    "org.view_agency_work": {AL},
    "org.manage_organisation": {AD},
    "org.change_staff": {AD},
    "org.view_assignment": {AD, AU},
    "core.manage_calendar": {AD},
    "core.change_calendaroverride": {AD},
    "core.view_calendaroverride": {AD, AU},
    "core.view_auditevent": {AD, AU},
    "core.verify_audit": {AD, AU},
    "auth.change_user": {AD},
}


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("permission", sorted(MATRIX))
def test_each_role_is_allowed_exactly_its_actions(roles, role, permission):
    staff = make_staff(role=role)
    allowed = role in MATRIX[permission]
    if allowed:
        ensure_can(staff, permission, staff)
    else:
        with pytest.raises(DomainError) as refused:
            ensure_can(staff, permission, staff)
        assert refused.value.code == "forbidden"
        assert "không có quyền" in refused.value.message


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_no_role_acts_on_another_agency(roles, role):
    staff = make_staff(role=role)
    elsewhere = DivisionFactory(agency=AgencyFactory())
    for permission, allowed in MATRIX.items():
        if role in allowed:
            with pytest.raises(DomainError) as refused:
                ensure_can(staff, permission, elsewhere)
            assert refused.value.message == "Bạn chỉ được thao tác trên dữ liệu của cơ quan mình."


def test_division_scope_refuses_another_division_of_the_same_agency(roles):
    leader = make_staff(role=Role.DIVISION_LEADER)
    own = leader.assignments.get().division
    other = DivisionFactory(agency=leader.agency)
    ensure_can(leader, "org.view_division_work", own.assignments.first(), division_scope=True)
    with pytest.raises(DomainError, match="phòng mình"):
        ensure_can(leader, "org.view_division_work", other, division_scope=True)


def test_a_staff_member_with_no_role_may_do_nothing(roles):
    nobody = make_staff(role=None)
    for permission in MATRIX:
        with pytest.raises(DomainError):
            ensure_can(nobody, permission)


def test_a_deactivated_account_loses_every_permission(roles):
    admin = make_staff(role=Role.ADMINISTRATOR)
    admin.user.is_active = False
    admin.user.save()
    with pytest.raises(DomainError):
        ensure_can(admin, "org.manage_organisation")
