"""Who may do what, for which agency: the one place pages, the API and services ask.

``ensure_can`` is the gate every service passes before a write and every view before a read: the actor
must be an active staff member, hold the permission through a role, and act on a row of their own agency
(or of their own division, when the caller asks for division scope).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from motcua.core.errors import DomainError, ErrorCode
from motcua.org.models import Agency, Assignment, Staff
from motcua.org.roles import Role

FORBIDDEN_MESSAGE = "Bạn không có quyền thực hiện thao tác này."
OTHER_AGENCY_MESSAGE = "Bạn chỉ được thao tác trên dữ liệu của cơ quan mình."
OTHER_DIVISION_MESSAGE = "Bạn chỉ được thao tác trên dữ liệu của phòng mình."


def staff_of(user: AbstractBaseUser | AnonymousUser | None) -> Staff:
    """The active staff record a logged-in user acts as, or a refusal."""
    if user is None or not user.is_authenticated:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Bạn cần đăng nhập.")
    if not user.is_active:
        raise DomainError(ErrorCode.FORBIDDEN, "Tài khoản đã bị khóa.")
    try:
        staff = user.staff  # type: ignore[union-attr]
    except Staff.DoesNotExist:
        raise DomainError(ErrorCode.FORBIDDEN, "Tài khoản chưa được gắn với cán bộ của cơ quan nào.") from None
    if not staff.is_active or not staff.agency.is_active:
        raise DomainError(ErrorCode.FORBIDDEN, "Cán bộ hoặc cơ quan không còn hoạt động.")
    return staff


def agency_id_of(user: AbstractBaseUser | AnonymousUser | None) -> int | None:
    """The agency a logged-in account acts for (None for an account that is not staff of one)."""
    staff = getattr(user, "staff", None)
    return staff.agency_id if staff else None


def roles_of(staff: Staff) -> set[Role]:
    names = {group.name for group in staff.user.groups.all()}
    return {role for role in Role if role.value in names}


def current_assignment(staff: Staff) -> Assignment | None:
    return (
        Assignment.objects.current()
        .filter(staff=staff)
        .select_related("position", "division", "unit", "agency")
        .order_by("-start_date")
        .first()
    )


def can(staff: Staff, permission: str) -> bool:
    return staff.user.is_active and staff.user.has_perm(permission)


def ensure_can(actor: Staff, permission: str, target: Any = None, *, division_scope: bool = False) -> None:
    """Refuse (``forbidden``) unless ``actor`` holds ``permission`` for ``target``'s agency (and division)."""
    if not can(actor, permission):
        raise DomainError(ErrorCode.FORBIDDEN, FORBIDDEN_MESSAGE, permission=permission)
    if target is None:
        return
    agency_id = target.pk if isinstance(target, Agency) else getattr(target, "agency_id", None)
    if agency_id != actor.agency_id:
        raise DomainError(ErrorCode.FORBIDDEN, OTHER_AGENCY_MESSAGE, permission=permission)
    if division_scope:
        assignment = current_assignment(actor)
        division_id = getattr(target, "division_id", None)
        if assignment is None or assignment.division_id is None or division_id != assignment.division_id:
            raise DomainError(ErrorCode.FORBIDDEN, OTHER_DIVISION_MESSAGE, permission=permission)
