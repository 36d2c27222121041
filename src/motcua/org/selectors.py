"""Reads of the organisation shared by pages, the API and commands."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When

from motcua.core.text import fold_key
from motcua.org.access import current_assignment, roles_of
from motcua.org.models import Agency, Assignment, Division, Staff, Unit
from motcua.org.roles import Role


@dataclass(frozen=True)
class Profile:
    staff: Staff
    assignment: Assignment | None
    roles: frozenset[Role]

    @property
    def place_name(self) -> str:
        """The division or unit; empty for the agency's own leaders (the agency is named beside it)."""
        if self.assignment is None or self.assignment.place == self.staff.agency:
            return ""
        return str(self.assignment.place)


def profile(staff: Staff) -> Profile:
    return Profile(staff=staff, assignment=current_assignment(staff), roles=frozenset(roles_of(staff)))


def directory(*, agency_id: int, division_id: int | None = None, search: str = "") -> QuerySet[Staff]:
    """Active staff of one agency (or one division) with their current post, in two queries whatever the count."""
    current = Assignment.objects.current().select_related("position", "division", "unit")
    qs = Staff.objects.filter(agency_id=agency_id, is_active=True)
    if division_id is not None:
        qs = qs.filter(pk__in=Assignment.objects.current().filter(division_id=division_id).values("staff_id"))
    qs = (qs
          .prefetch_related(Prefetch("assignments", queryset=current, to_attr="current_posts"))
          .order_by("full_name"))
    if search:
        qs = qs.filter(name_key__contains=fold_key(search))
    return qs


def division_headcounts(*, agency_id: int) -> list[tuple[str, int]]:
    """Staff in post today per division and unit of an agency: what the agency leader sees first."""
    today = Assignment.objects.current().values("pk")
    leaders = (Assignment.objects.current()
               .filter(agency_id=agency_id, division__isnull=True, unit__isnull=True)
               .values("staff_id").distinct().count())
    rows: list[tuple[str, int]] = [("Lãnh đạo cơ quan", leaders)] if leaders else []
    for model in (Division, Unit):
        qs = (model.objects.filter(agency_id=agency_id, is_active=True)
              .annotate(n=Count("assignments", filter=Q(assignments__in=today), distinct=True))
              .order_by("name"))
        rows += [(place.name, place.n) for place in qs]
    return rows


def province_agencies(*, kind: str = "") -> QuerySet[Agency]:
    """The province's active agencies — its People's Committee, departments, the service centre and its branches,
    communes — in that order, then by name; one query. Each carries ``has_desk``: it has an active one-stop desk,
    so (when on the system) it receives dossiers of any procedure of the province."""
    rank = Case(*[When(kind=k, then=Value(i)) for i, k in enumerate(Agency.PROVINCE_KINDS)],
                default=Value(len(Agency.PROVINCE_KINDS)), output_field=IntegerField())
    desks = Division.objects.filter(agency=OuterRef("pk"), is_one_stop_desk=True, is_active=True)
    qs = (Agency.objects.filter(kind__in=Agency.PROVINCE_KINDS, is_active=True)
          .annotate(kind_rank=rank, has_desk=Exists(desks)).order_by("kind_rank", "name", "identifier"))
    return qs.filter(kind=kind) if kind else qs


def receives(agency: Agency) -> bool:
    """Whether an agency of ``province_agencies`` receives dossiers: on the system, with a one-stop desk."""
    return agency.on_system and bool(getattr(agency, "has_desk", False))


def resolves(agency: Agency) -> bool:
    """Whether an agency can be a dossier's resolving agency: on the system, and not a receive-only point."""
    return agency.on_system and agency.resolves
