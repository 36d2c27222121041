"""The Django side of ``policy``: the acting staff member as a ``policy.Actor``, and the one way to get a
dossier someone may see (``access_dossier``), used by pages, the API and the services alike."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, OuterRef, Q, QuerySet, Value

from motcua.core.errors import DomainError, ErrorCode
from motcua.dossiers import policy
from motcua.dossiers.models import Dossier, DossierAgency, DossierStep
from motcua.org.models import Assignment, Staff
from motcua.org.roles import Role

NOT_FOUND_MESSAGE = "Không tìm thấy hồ sơ."


def actor_of(staff: Staff) -> policy.Actor:
    """Who ``staff`` is for the dossier rules: roles, permissions and current division or unit.

    Kept on the ``Staff`` object, which lives as long as one request (or one command), so that a page that
    asks several times pays once (two queries)."""
    cached = getattr(staff, "_dossier_actor", None)
    if cached is not None:
        return cached
    place = (Assignment.objects.current().filter(staff=staff).order_by("-start_date")
             .values_list("division_id", "unit_id").first()) or (None, None)
    user = staff.user
    # Roles are groups; the dossier permissions come from the groups and the user's own grants (one query).
    rows = Group.objects.filter(user=user).order_by().values_list(
        "name", "permissions__content_type__app_label", "permissions__codename").union(
        Permission.objects.filter(user=user).order_by().values_list(Value(""), "content_type__app_label",
                                                                    "codename"))
    role_names, perms = set(), set()
    for name, app, codename in rows:
        role_names.add(name)
        if app == "dossiers":
            perms.add(codename)
    if user.is_superuser:
        perms |= {p.codename for p in Permission.objects.filter(content_type__app_label="dossiers")}
    roles = frozenset(r.value for r in Role if r.value in role_names)
    actor = policy.Actor(staff_id=staff.pk, agency_id=staff.agency_id, roles=roles,
                         perms=frozenset(perms) if user.is_active else frozenset(),
                         division_id=place[0], unit_id=place[1])
    staff._dossier_actor = actor  # type: ignore[attr-defined]
    return actor


def step_view(step: DossierStep | None) -> policy.Step | None:
    if step is None:
        return None
    return policy.Step(role=step.role, division_id=step.division_id, unit_id=step.unit_id,
                       other_agency_id=step.other_agency_id, assignee_id=step.assignee_id, agency_id=step.agency_id)


def previous_step(dossier: Dossier, taken: list[DossierStep] | None = None) -> policy.Step | None:
    """The step before the active one, as it was last taken (by whom, where): from ``taken`` when the caller has
    the dossier's steps loaded, else one query."""
    step = dossier.current_step
    if step is None or step.order < 2:
        return None
    if taken is None:
        taken = list(DossierStep.objects.filter(dossier_id=dossier.pk, order=step.order - 1))
    before = [s for s in taken if s.order == step.order - 1]
    return step_view(max(before, key=lambda s: (s.started_at, s.pk))) if before else None


def _place(actor: policy.Actor, prefix: str = "") -> Q:
    """Steps at the actor's own place: their division or unit, or, for the agency's leaders, the steps of no
    place at all in their own agency."""
    if actor.division_id is not None:
        return Q(**{f"{prefix}division_id": actor.division_id})
    if actor.unit_id is not None:
        return Q(**{f"{prefix}unit_id": actor.unit_id})
    return Q(**{f"{prefix}agency_id": actor.agency_id, f"{prefix}division__isnull": True,
                f"{prefix}unit__isnull": True, f"{prefix}other_agency__isnull": True})


def touched_filter(actor: policy.Actor) -> Q:
    """Steps the actor holds or held (mirrors ``policy.holds``): given to them, finished by them, waiting
    unassigned for their role at their place, or, for a division leader, any step of their division."""
    mine = Q(assignee_id=actor.staff_id) | Q(finished_by_id=actor.staff_id)
    mine |= Q(status="active", assignee__isnull=True, role__in=actor.roles) & _place(actor)
    if policy.DIVISION_LEADER in actor.roles and (actor.division_id or actor.unit_id):
        mine |= _place(actor)
    return mine


def holds_filter(actor: policy.Actor) -> Q:
    """Open dossiers whose active step is the actor's now ("Việc của tôi"), on the dossier's copy of its active
    step: given to them, or unassigned with their role at their place (the agency's leaders: the steps of no
    place), or a step of their division when they lead it and nobody was given it."""
    mine = Q(current_assignee_id=actor.staff_id)
    if actor.roles:
        mine |= Q(current_assignee__isnull=True, current_role__in=sorted(actor.roles)) & _place(actor, "current_")
    return mine


def touched(actor: policy.Actor, dossier: Dossier) -> bool:
    """Whether the actor works or worked on this dossier (one query)."""
    if dossier.received_by_id == actor.staff_id:
        return True
    return DossierStep.objects.filter(touched_filter(actor), dossier_id=dossier.pk).exists()


def taking_part(actor: policy.Actor) -> Q:
    """Dossiers the actor's agency takes part in (receiving, resolving, partner, delivery): one indexed
    EXISTS on ``DossierAgency``."""
    return Q(Exists(DossierAgency.objects.filter(dossier_id=OuterRef("pk"), agency_id=actor.agency_id)))


def agencies_of(dossier: Dossier) -> frozenset[int]:
    """The agencies taking part in a dossier (one query, kept on the object for the request)."""
    cached = getattr(dossier, "_party_ids", None)
    prefetched = getattr(dossier, "_prefetched_objects_cache", {}).get("parties")
    if cached is None and prefetched is not None:
        cached = frozenset(party.agency_id for party in prefetched)
    if cached is None:
        cached = frozenset(DossierAgency.objects.filter(dossier_id=dossier.pk).values_list("agency_id", flat=True))
        dossier._party_ids = cached  # type: ignore[attr-defined]
    return cached


def visible_to(actor: policy.Actor, dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """The dossiers of a queryset the actor may see: the whole province for its readers; else those their
    agency takes part in, and all of them or those they touched (subqueries, so that a list stays one query)."""
    if policy.PROVINCE_VIEW in actor.perms:
        return dossiers
    dossiers = dossiers.filter(taking_part(actor))
    if "view_agency_dossiers" in actor.perms:
        return dossiers
    if "view_dossier" not in actor.perms:
        return dossiers.none()
    steps = DossierStep.objects.filter(touched_filter(actor), dossier_id=OuterRef("pk"))
    return dossiers.filter(Q(Exists(steps)) | Q(received_by_id=actor.staff_id))


def access_dossier(actor: policy.Actor, code: str, *, for_update: bool = False,
                   queryset: QuerySet[Dossier] | None = None) -> Dossier:
    """The dossier ``code`` if the actor may see it (``queryset``: with what the caller needs loaded). A dossier
    the actor's agency takes no part in reads as not found, so that a code cannot be probed across agencies."""
    if queryset is None:  # what the actions need; a few joins (PostgreSQL plans wide joins slowly)
        queryset = Dossier.objects.select_related("procedure_version", "agency", "rules", "current_step")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    dossier = queryset.filter(code=code).first()
    if dossier is None or not policy.takes_part(actor, agencies_of(dossier)):
        raise DomainError(ErrorCode.NOT_FOUND, NOT_FOUND_MESSAGE, dossier=code)
    if not policy.may_view(actor, agencies=agencies_of(dossier), touched=_touched_cheap(actor, dossier)):
        raise DomainError(ErrorCode.FORBIDDEN, "Bạn không tham gia giải quyết hồ sơ này nên không xem được.",
                          dossier=code)
    return dossier


def _touched_cheap(actor: policy.Actor, dossier: Dossier) -> bool:
    return bool({"view_agency_dossiers", policy.PROVINCE_VIEW} & actor.perms) or touched(actor, dossier)


def sees_personal_data(actor: policy.Actor, dossier: Dossier) -> bool:
    return policy.may_see_personal_data(actor, agencies=agencies_of(dossier),
                                        touched=policy.DESK in actor.roles or touched(actor, dossier))
