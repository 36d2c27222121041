"""Use cases of the organisation: staff, their posts and roles, API tokens. Each one transaction, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction
from django.utils import timezone

from motcua.core import audit
from motcua.core.errors import DomainError, ErrorCode
from motcua.org.access import ensure_can
from motcua.org.models import Agency, ApiToken, Assignment, Division, Position, Staff, Unit
from motcua.org.roles import ADMIN_SITE_ROLES, GRANTS, Role

MANAGE = "org.manage_organisation"


# --- Roles -------------------------------------------------------------------------------------------
def sync_role_groups() -> None:
    """Make each role's group hold at least the permissions ``roles.GRANTS`` gives it (idempotent)."""
    wanted = {perm for perms in GRANTS.values() for perm in perms}
    by_name: dict[str, Permission] = {}
    for perm in Permission.objects.select_related("content_type"):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    missing = sorted(wanted - set(by_name))
    if missing:
        raise RuntimeError(f"roles.GRANTS names permissions that do not exist: {missing}")
    for role, perms in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        have = set(group.permissions.values_list("pk", flat=True))
        add = [by_name[p] for p in perms if by_name[p].pk not in have]
        if add:
            group.permissions.add(*add)


def sync_role_groups_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # Receivers run in connection order, which may be before auth's own; make the permissions first.
    for app_config in django_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_role_groups()


# --- Posts ---------------------------------------------------------------------------------------------
def check_assignment(assignment: Assignment, *, pending: Iterable[Assignment] = ()) -> None:
    """Refuse a post that breaks the organisation's rules, naming the field at fault.

    ``pending`` are the staff member's other posts as an editor is about to save them (the admin edits a
    person's whole history at once): they replace their stored versions in the overlap checks.
    """
    pending = [p for p in pending if p is not assignment]
    position = assignment.position
    place_id = assignment.division_id or assignment.unit_id
    if assignment.division_id and assignment.unit_id:
        raise DomainError(ErrorCode.INVALID, "Một vị trí chỉ thuộc một phòng hoặc một đơn vị, không cả hai.",
                          field="unit")
    if position.level != Position.Level.AGENCY and not place_id:
        raise DomainError(ErrorCode.INVALID, "Cán bộ phải thuộc một phòng hoặc một đơn vị trực thuộc.",
                          field="division")
    if position.level == Position.Level.AGENCY and place_id:
        raise DomainError(ErrorCode.INVALID, "Lãnh đạo cơ quan không gắn với phòng hay đơn vị.", field="division")
    for place in (assignment.division, assignment.unit):
        if place is not None and place.agency_id != assignment.agency_id:
            raise DomainError(ErrorCode.INVALID, "Phòng/đơn vị phải thuộc cơ quan của cán bộ.", field="division")
    if assignment.end_date and assignment.end_date < assignment.start_date:
        raise DomainError(ErrorCode.INVALID, "Ngày kết thúc phải sau ngày bắt đầu.", field="end_date")
    edited = [p.pk for p in pending if p.pk] + ([assignment.pk] if assignment.pk else [])
    others = Assignment.objects.exclude(pk__in=edited).overlapping(assignment.start_date, assignment.end_date)
    same_person = others.filter(staff_id=assignment.staff_id).exists() or any(
        _overlap(p, assignment) for p in pending)
    if same_person:
        raise DomainError(ErrorCode.CONFLICT, "Cán bộ đã có một vị trí công tác trong khoảng thời gian này.",
                          field="start_date")
    if position.single_holder:
        holder = others.filter(position=position, agency_id=assignment.agency_id,
                               division_id=assignment.division_id, unit_id=assignment.unit_id).first()
        if holder is not None:
            raise DomainError(
                ErrorCode.CONFLICT,
                f"Chức vụ {position.name} tại {assignment.place} đã có người giữ ({holder.staff}) "
                "trong khoảng thời gian này.",
                field="position",
            )


def _overlap(a: Assignment, b: Assignment) -> bool:
    return (a.end_date is None or a.end_date >= b.start_date) and (b.end_date is None or b.end_date >= a.start_date)


def _lock_place(agency: Agency, division: Division | None, unit: Unit | None) -> None:
    """Serialise posts at one place so that two admins cannot both fill a single-holder post."""
    if division is not None:
        Division.objects.select_for_update().get(pk=division.pk)
    elif unit is not None:
        Unit.objects.select_for_update().get(pk=unit.pk)
    else:
        Agency.objects.select_for_update().get(pk=agency.pk)


@transaction.atomic
def assign(
    *,
    actor: Staff | None,
    staff: Staff,
    position: Position,
    start_date: dt.date,
    division: Division | None = None,
    unit: Unit | None = None,
    end_date: dt.date | None = None,
    decision: str = "",
) -> Assignment:
    """Give ``staff`` a post from ``start_date``; the post they hold then ends the day before.

    ``actor`` None means the system itself (demo data, imports run by an operator).
    """
    if actor is not None:
        ensure_can(actor, MANAGE, staff)
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    _lock_place(staff.agency, division, unit)
    open_post = (Assignment.objects.filter(staff=staff, end_date__isnull=True, start_date__lt=start_date)
                 .order_by("-start_date").first())
    if open_post is not None:
        before = audit.snapshot(open_post, ["end_date"])
        open_post.end_date = start_date - dt.timedelta(days=1)
        open_post.save(update_fields=["end_date"])
        audit.record(actor=actor and actor.user, action="org.assignment.end", target=open_post, before=before,
                     after=audit.snapshot(open_post, ["end_date"]))
    assignment = Assignment(staff=staff, agency=staff.agency, position=position, division=division, unit=unit,
                            start_date=start_date, end_date=end_date, decision=decision)
    check_assignment(assignment)
    assignment.save()
    audit.record(actor=actor and actor.user, action="org.assignment.create", target=assignment,
                 after=audit.snapshot(assignment, ["staff", "position", "division", "unit", "start_date",
                                                   "end_date", "decision"]))
    return assignment


@transaction.atomic
def set_roles(*, actor: Staff | None, staff: Staff, roles: Iterable[Role]) -> None:
    if actor is not None:
        ensure_can(actor, MANAGE, staff)
    roles = set(roles)
    user = staff.user
    before = sorted(user.groups.filter(name__in=[r.value for r in Role]).values_list("name", flat=True))
    role_groups = list(Group.objects.filter(name__in=[r.value for r in Role]))
    user.groups.remove(*[g for g in role_groups if g.name not in {r.value for r in roles}])
    user.groups.add(*[g for g in role_groups if g.name in {r.value for r in roles}])
    is_staff = bool(roles & ADMIN_SITE_ROLES)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    audit.record(actor=actor and actor.user, action="org.staff.set_roles", target=staff,
                 before={"roles": before}, after={"roles": sorted(r.value for r in roles)})


@transaction.atomic
def create_staff(
    *,
    actor: Staff | None,
    agency: Agency,
    username: str,
    full_name: str,
    position: Position,
    start_date: dt.date,
    division: Division | None = None,
    unit: Unit | None = None,
    roles: Iterable[Role] = (),
    email: str = "",
    phone: str = "",
    password: str | None = None,
    decision: str = "",
) -> Staff:
    """A new employee: login account (unusable password unless one is given), staff record, post, roles."""
    if actor is not None:
        ensure_can(actor, MANAGE, agency)
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise DomainError(ErrorCode.CONFLICT, f"Tên đăng nhập {username} đã được dùng.", field="username")
    user = user_model(username=username, email=email, first_name=full_name[:150])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    staff = Staff.objects.create(user=user, agency=agency, full_name=full_name, email=email, phone=phone)
    audit.record(actor=actor and actor.user, action="org.staff.create", target=staff,
                 after=audit.snapshot(staff, ["full_name", "email", "phone", "agency"]) | {"username": username})
    assign(actor=actor, staff=staff, position=position, division=division, unit=unit, start_date=start_date,
           decision=decision)
    set_roles(actor=actor, staff=staff, roles=roles)
    return staff


# --- API tokens --------------------------------------------------------------------------------------
def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def issue_api_token(*, user: AbstractBaseUser) -> tuple[str, ApiToken]:
    """A new bearer token for ``user`` (already authenticated by the caller). Returns it once, in clear."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=_digest(raw), prefix=raw[:8],
        expires_at=timezone.now() + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    staff = getattr(user, "staff", None)
    audit.record(actor=user, action="auth.token.issue", target=token, agency_id=staff and staff.agency_id,
                 after={"prefix": token.prefix, "expires_at": token.expires_at})
    return raw, token


def user_for_token(raw: str) -> AbstractBaseUser | None:
    """The active user a bearer token stands for, or None when unknown, expired, revoked or locked."""
    if not raw or len(raw) > 200:
        return None
    # The staff record and its agency come along: every API call asks who the caller works for.
    token = (ApiToken.objects.select_related("user", "user__staff", "user__staff__agency")
             .filter(key_hash=_digest(raw), revoked=False, expires_at__gt=timezone.now()).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # coarse, to spare a write per request
    return token.user


@transaction.atomic
def revoke_api_token(*, actor: AbstractBaseUser, token: ApiToken) -> None:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked:
        return
    token.revoked = True
    token.save(update_fields=["revoked"])
    staff = getattr(token.user, "staff", None)
    audit.record(actor=actor, action="auth.token.revoke", target=token, agency_id=staff and staff.agency_id,
                 before={"revoked": False}, after={"revoked": True})
