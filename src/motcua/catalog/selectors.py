"""Reads of the catalogue shared by the public pages, the API and the benchmark."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from motcua.catalog import compliance, search_index
from motcua.catalog.models import Procedure, ProcedureVersion, SearchRevision

_lock = threading.Lock()
_cached: tuple[str, search_index.Index] | None = None


def _build_index() -> search_index.Index:
    rows = (Procedure.objects.values_list("pk", "code", "name", "name_key", "field__code", "field__name",
                                          "agency__identifier", "agency__short_name", "online_level", "status",
                                          "search_key"))
    return search_index.Index([
        search_index.Row(*values[:-1], name_words=search_index.padded(values[2]),
                         all_words=search_index.padded(values[-1]))
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


def search(*, q: str = "", field: str = "", agency: str = "", public: bool = True) -> list[search_index.Row]:
    """Procedures matching every word of ``q`` at the start of a word (marks, case, đ/Đ and punctuation
    ignored), the best first: the whole phrase in the name, then every word in the name, then the rest."""
    return index().search(q, field=field, agency=agency, public=public)


@dataclass(frozen=True)
class ProcedureDetail:
    procedure: Procedure
    version: ProcedureVersion | None
    versions: list[ProcedureVersion]


def detail(code: str, *, public: bool = True) -> ProcedureDetail | None:
    """Everything about one procedure; None when unknown, or abolished and asked for the public."""
    versions = ProcedureVersion.objects.prefetch_related(
        "documents", "fees", "legal_bases", "steps__other_agency")
    procedures = Procedure.objects.filter(code=code)
    if public:
        procedures = procedures.exclude(status=Procedure.Status.ABOLISHED)
    procedure = (procedures.select_related("field", "agency")
                 .prefetch_related(Prefetch("versions", queryset=versions.order_by("number")),
                                   Prefetch("resolving_agencies", queryset=Agency.objects.order_by("kind", "name")))
                 .first())
    if procedure is None:
        return None
    all_versions = list(procedure.versions.all())
    current = procedure.current_version()
    current = next((v for v in all_versions if current and v.pk == current.pk), None)
    return ProcedureDetail(procedure, current, all_versions)


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
