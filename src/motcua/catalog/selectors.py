"""Reads of the catalogue shared by the public pages, the API and the benchmark."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from motcua.catalog import compliance, search_index
from motcua.catalog.models import Procedure, ProcedureVersion, SearchRevision
from motcua.org import selectors as org_selectors
from motcua.org.models import Agency, Division, Unit
from motcua.org.roles import Role

_lock = threading.Lock()
_cached: tuple[str, search_index.Index] | None = None


def _build_index() -> search_index.Index:
    rows = (Procedure.objects.values_list("pk", "code", "name", "name_key", "field__code", "field__name",
                                          "agency__identifier", "agency__short_name", "online_level", "status",
                                          "search_key"))
    resolvers: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for pk, identifier, kind in (Procedure.resolving_agencies.through.objects.filter(agency__is_active=True)
                                 .values_list("procedure_id", "agency__identifier", "agency__kind")):
        resolvers[pk].add((identifier, kind))
    shared: dict[frozenset, tuple[frozenset[str], frozenset[str]]] = {}  # every commune procedure: one set

    def sets(pk: int) -> tuple[frozenset[str], frozenset[str]]:
        key = frozenset(resolvers.get(pk, ()))
        if key not in shared:
            shared[key] = (frozenset(i for i, _ in key), frozenset(k for _, k in key))
        return shared[key]

    return search_index.Index([
        search_index.Row(*values[:-1], name_words=search_index.padded(values[2]),
                         all_words=search_index.padded(values[-1]), resolvers=sets(values[0])[0],
                         resolver_kinds=sets(values[0])[1])
        for values in rows
    ])


def index() -> search_index.Index:
    """This process's search index, rebuilt when the catalogue's revision token has changed (one query)."""
    global _cached
    token = SearchRevision.objects.filter(pk=1).values_list("token", flat=True).first() or ""
    cached = _cached
    if cached is not None and cached[0] == token:
        return cached[1]
    with _lock:
        if _cached is None or _cached[0] != token:
            _cached = (token, _build_index())
        return _cached[1]


def search(*, q: str = "", field: str = "", agency: str = "", kind: str = "",
           public: bool = True) -> list[search_index.Row]:
    """Procedures matching every word of ``q`` at the start of a word (marks, case, đ/Đ and punctuation
    ignored), the best first: the whole phrase in the name, then every word in the name, then the rest.
    ``agency``: led or resolved by it; ``kind``: resolved by an agency of that kind (``commune``: cấp xã)."""
    return index().search(q, field=field, agency=agency, kind=kind, public=public)


@dataclass(frozen=True)
class ProcedureDetail:
    procedure: Procedure
    version: ProcedureVersion | None
    versions: list[ProcedureVersion]
    # Where it is resolved: the active resolving agencies (the province's order: departments, then communes…),
    # and whether they are every commune of the province (a commune-level procedure: "mọi xã, phường").
    resolvers: list[Agency]
    all_communes: bool
    # Where it is received: every one-stop desk of the province, whatever the procedure (không phụ thuộc địa
    # giới hành chính) — the service centre and its branches, communes, departments with a desk.
    receiving_points: list[Agency]

    @property
    def leading_differs(self) -> bool:
        """Whether the leading agency is worth naming apart: it is not simply the one agency that resolves it."""
        return bool(self.resolvers) and [a.pk for a in self.resolvers] != [self.procedure.agency_id]

    @property
    def receiving_groups(self) -> list[tuple[str, list[Agency]]]:
        """The receiving points by kind, in the province's order: [("Trung tâm …", [...]), ("UBND xã …", [...])]."""
        groups: dict[str, list[Agency]] = {}
        for agency in self.receiving_points:
            groups.setdefault(agency.get_kind_display(), []).append(agency)
        return list(groups.items())


def detail(code: str, *, public: bool = True) -> ProcedureDetail | None:
    """Everything about one procedure; None when unknown, or abolished and asked for the public. Each process
    step gets ``place_name``: where it is done, by name (a division kind named as the performing agency names it)."""
    versions = ProcedureVersion.objects.prefetch_related(
        "documents", "fees", "legal_bases", "steps__other_agency")
    procedures = Procedure.objects.filter(code=code)
    if public:
        procedures = procedures.exclude(status=Procedure.Status.ABOLISHED)
    procedure = (procedures.select_related("field", "agency")
                 .prefetch_related(Prefetch("versions", queryset=versions.order_by("number")),
                                   Prefetch("resolving_agencies", to_attr="active_resolvers",
                                            queryset=Agency.objects.filter(is_active=True).order_by("name")))
                 .first())
    if procedure is None:
        return None
    all_versions = list(procedure.versions.all())
    current = procedure.current_version()
    current = next((v for v in all_versions if current and v.pk == current.pk), None)
    province = list(org_selectors.province_agencies())
    rank = {a.pk: i for i, a in enumerate(province)}
    resolvers = sorted(procedure.active_resolvers, key=lambda a: (rank.get(a.pk, len(rank)), a.name))
    communes = {a.pk for a in province if a.kind == Agency.Kind.COMMUNE and a.on_system}
    all_communes = len(communes) > 1 and {a.pk for a in resolvers} == communes
    _name_places(procedure, all_versions, resolvers)
    return ProcedureDetail(procedure, current, all_versions, resolvers=resolvers, all_communes=all_communes,
                           receiving_points=[a for a in province if org_selectors.receives(a)])


DESK = "Bộ phận một cửa"


def _name_places(procedure: Procedure, versions: list[ProcedureVersion], resolvers: list[Agency]) -> None:
    """Set ``place_name`` on every step: the performing agency's division (or unit) of the step's kind — the
    partner for a liên thông step, else the leading agency when it resolves, else the first resolver that has
    one —; the one-stop desk for a desk officer's step; the kind's code when no agency has it."""
    steps = [s for v in versions for s in v.steps.all()]
    kinds = {s.division_kind for s in steps if s.division_kind}
    resolver_ids = [a.pk for a in resolvers]
    leading = procedure.agency_id if procedure.agency_id in resolver_ids else None
    candidates = set(resolver_ids) | {procedure.agency_id} | {s.other_agency_id for s in steps if s.other_agency_id}
    names: dict[tuple[int, str], str] = {}
    if kinds:
        for model, column in ((Unit, "code"), (Division, "kind")):  # a division wins over a unit of the same code
            for agency_id, kind, name in (model.objects.filter(**{f"{column}__in": kinds}, is_active=True,
                                                               agency_id__in=candidates)
                                          .order_by("-pk").values_list("agency_id", column, "name")):
                names[agency_id, kind] = name  # the oldest row of an agency last, so it wins
    order = ([leading] if leading else []) + [pk for pk in resolver_ids if pk != leading]
    for step in steps:
        kind = step.division_kind
        if step.other_agency_id:
            place = names.get((step.other_agency_id, kind), kind) if kind else ""
            step.place_name = f"{step.other_agency.name} — {place}" if place else step.other_agency.name
        elif step.role == Role.DESK_OFFICER:
            step.place_name = DESK
        elif kind:
            step.place_name = next((names[pk, kind] for pk in order if (pk, kind) in names), kind)
        else:
            step.place_name = ""


def compliance_inputs(version: ProcedureVersion) -> compliance.ComplianceInputs:
    return compliance.ComplianceInputs(
        hours_learning=version.hours_learning, hours_preparing=version.hours_preparing, visits=version.visits,
        hours_per_visit=version.hours_per_visit, other_costs=version.other_costs,
        applicants_per_year=version.applicants_per_year, fees_total=sum(f.amount for f in version.fees.all()),
        documents=len(version.documents.all()), time_limit_hours=version.time_limit_hours,
    )


@dataclass(frozen=True)
class SimplificationRecord:
    """What a version cut compared with the one it replaced (Project 30)."""

    procedure: Procedure
    before: ProcedureVersion
    after: ProcedureVersion
    result: compliance.Simplification

    @property
    def before_documents(self) -> int:
        return len(self.before.documents.all())

    @property
    def after_documents(self) -> int:
        return len(self.after.documents.all())

    @property
    def note(self) -> str:
        return self.after.change_note


def simplification(procedure: Procedure, versions: list[ProcedureVersion], current: ProcedureVersion | None,
                   value_of_hour: int) -> SimplificationRecord | None:
    """The version in force against the procedure's first version, the inventory baseline (None for a
    procedure never changed): the whole simplification achieved, which a later routine amendment does not
    erase."""
    if current is None:
        return None
    earlier = [v for v in versions if v.number < current.number]
    if not earlier:
        return None
    before = min(earlier, key=lambda v: v.number)
    result = compliance.simplification(compliance_inputs(before), compliance_inputs(current), value_of_hour)
    return SimplificationRecord(procedure, before, current, result)


def agency_simplifications(*, agency_id: int, value_of_hour: int) -> tuple[list[SimplificationRecord],
                                                                             compliance.AgencySummary]:
    """Every procedure of an agency with its record, and the sums: "36 thủ tục được đơn giản hóa, …"."""
    versions = ProcedureVersion.objects.prefetch_related("documents", "fees").order_by("number")
    procedures = (Procedure.objects.filter(agency_id=agency_id).exclude(status=Procedure.Status.ABOLISHED)
                  .select_related("field").prefetch_related(Prefetch("versions", queryset=versions)).order_by("name"))
    today = timezone.localdate()
    records = []
    for p in procedures:
        all_versions = list(p.versions.all())
        in_force = [v for v in all_versions if v.effective_from <= today]
        current = max(in_force, key=lambda v: (v.effective_from, v.number)) if in_force else None
        record = simplification(p, all_versions, current, value_of_hour)
        if record is not None:
            records.append(record)
    return records, compliance.summarise(r.result for r in records)
