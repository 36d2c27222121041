"""Use cases of the catalogue: import (all or nothing, idempotent), export, new versions, status."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua.catalog import format as fmt
from motcua.catalog.models import (
    Fee,
    Field,
    LegalBasis,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    index_text,
)
from motcua.core import audit
from motcua.core.errors import DomainError, ErrorCode
from motcua.org.access import ensure_can
from motcua.org.models import Agency, Division, Staff, Unit

MANAGE = "catalog.manage_catalog"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportResult:
    procedures_created: int
    procedures_updated: int
    versions_created: int
    unchanged: int


def _refuse(problems: list[fmt.Problem] | list[str]) -> DomainError:
    texts = [str(p) for p in problems]
    return DomainError(ErrorCode.INVALID, f"Tệp có {len(texts)} lỗi, chưa ghi gì. " + "; ".join(texts[:10]),
                       problems=texts)


def parse(data: bytes, *, filename: str = "") -> tuple[dict, list[str], Callable[[str], str]]:
    """Bytes of a JSON or Excel file → the canonical document, every problem found in it (placed by path, or
    by sheet, row and column), and a function that places a later problem the same way."""
    limit = settings.CATALOG_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise _refuse([f"tệp {len(data) / 2**20:.1f} MB, vượt giới hạn {limit / 2**20:.0f} MB"])
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        from motcua.catalog import xlsx

        doc, problems, locate = xlsx.check_workbook(data)
        return doc, [str(p) for p in problems], locate
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse([f"tệp không phải văn bản UTF-8 (byte {exc.start})"]) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refuse([f"JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}"]) from None
    doc, problems = fmt.check(raw)
    return doc, [str(p) for p in problems], lambda path: path


def _version_doc(version: ProcedureVersion) -> dict[str, Any]:
    def num(value: Decimal) -> float:
        return float(value)

    return {
        "number": version.number,
        "effective_from": version.effective_from.isoformat(),
        "time_limit": version.time_limit,
        "time_unit": version.time_unit,
        "from_complete_dossier": version.from_complete_dossier,
        "change_note": version.change_note,
        "compliance": {"hours_learning": num(version.hours_learning), "hours_preparing": num(version.hours_preparing),
                       "visits": version.visits, "hours_per_visit": num(version.hours_per_visit),
                       "other_costs": version.other_costs, "applicants_per_year": version.applicants_per_year},
        "documents": [{"name": d.name, "copy_type": d.copy_type, "count": d.count, "mandatory": d.mandatory,
                       "condition": d.condition} for d in version.documents.all()],
        "fees": [{"name": f.name, "amount": f.amount, "legal_basis": f.legal_basis} for f in version.fees.all()],
        "legal_bases": [{"number": lb.number, "date": lb.date.isoformat() if lb.date else None, "issuer": lb.issuer,
                         "title": lb.title} for lb in version.legal_bases.all()],
        "steps": [{"name": s.name, "role": s.role, "division": s.division_kind or None,
                   "other_agency": s.other_agency.identifier if s.other_agency else None, "hours": s.hours}
                  for s in version.steps.all()],
    }


def _procedure_doc(p: Procedure, communes: frozenset[str] | None = None) -> dict[str, Any]:
    return {
        "code": p.code, "name": p.name, "field": p.field.code, "resolving_agency": p.agency.identifier,
        "resolved_by": _resolved_by_doc(p, _commune_identifiers() if communes is None else communes),
        "applicant_types": p.applicant_types, "result_type": p.result_type, "channels": p.channels,
        "online_level": p.online_level, "status": p.status,
    }


def _communes() -> QuerySet[Agency]:
    """The communes ``["communes"]`` stands for: every active commune of the province on the system."""
    return Agency.objects.filter(kind=Agency.Kind.COMMUNE, is_active=True, on_system=True)


def _commune_identifiers() -> frozenset[str]:
    return frozenset(_communes().values_list("identifier", flat=True))


def _resolved_by_doc(p: Procedure, communes: frozenset[str]) -> list[str]:
    """The resolving agencies as the exchange format writes them: ``["communes"]`` when they are every commune
    (of more than one), else their identifiers in order. An agency no longer active (a merged commune) resolves
    nothing and is left out, so that an exported catalogue imports again."""
    resolvers = sorted(a.identifier for a in p.resolving_agencies.all() if a.is_active)
    if len(communes) > 1 and set(resolvers) == communes:
        return [fmt.ALL_COMMUNES]
    return resolvers


def export_document(procedures: Iterable[Procedure] | None = None, *, progress: Progress | None = None) -> dict:
    """The canonical document of procedures (all by default), every version included."""
    if procedures is None:
        procedures = Procedure.objects.all()
    qs = (Procedure.objects.filter(pk__in=[p.pk for p in procedures]) if not hasattr(procedures, "query")
          else procedures)
    qs = qs.select_related("field", "agency").prefetch_related(
        "resolving_agencies", "versions__documents", "versions__fees", "versions__legal_bases",
        "versions__steps__other_agency",
    ).order_by("code")
    out, fields = [], {}
    items = list(qs)
    communes = _commune_identifiers()
    for i, p in enumerate(items, 1):
        fields[p.field.code] = {"code": p.field.code, "name": p.field.name}
        versions = sorted(p.versions.all(), key=lambda v: v.number)  # the prefetched rows, not a query each
        out.append(_procedure_doc(p, communes) | {"versions": [_version_doc(v) for v in versions]})
        if progress:
            progress(i, len(items))
    return {"format": fmt.FORMAT, "fields": sorted(fields.values(), key=lambda f: f["code"]), "procedures": out}


class _Refs:
    """The database rows a document names, looked up once."""

    def __init__(self, doc: dict) -> None:
        procs = doc["procedures"]
        identifiers = {p["resolving_agency"] for p in procs}
        identifiers |= {a for p in procs for a in p["resolved_by"] if a != fmt.ALL_COMMUNES}
        identifiers |= {s["other_agency"] for p in procs for v in p["versions"] for s in v["steps"]
                        if s["other_agency"]}
        self.agencies = {a.identifier: a for a in Agency.objects.filter(identifier__in=identifiers)}
        self.communes = list(_communes().order_by("pk"))
        self.commune_identifiers = frozenset(a.identifier for a in self.communes)
        ids = [a.pk for a in self.agencies.values()]
        self.kinds = {(d.agency_id, d.kind) for d in Division.objects.filter(agency_id__in=ids)}
        self.kinds |= {(u.agency_id, u.code) for u in Unit.objects.filter(agency_id__in=ids)}
        self.fields = {f.code: f for f in Field.objects.all()}
        self.new_fields = {f["code"] for f in doc["fields"]}
        self.existing = {p.code: p for p in Procedure.objects.filter(code__in=[p["code"] for p in procs])
                         .select_related("field", "agency").prefetch_related("resolving_agencies")}

    def resolvers(self, p: dict) -> list[Agency]:
        """The agencies that resolve the procedure ``p``: those named, every commune, or the leading agency."""
        named = p["resolved_by"] or [p["resolving_agency"]]
        if named == [fmt.ALL_COMMUNES]:
            return self.communes
        return [self.agencies[i] for i in named if i in self.agencies]


def resolver_problem(agency: Agency) -> str | None:
    """Why ``agency`` cannot resolve a procedure of the province, or None."""
    if not agency.is_active:
        return f"{agency.name} đã ngừng hoạt động, không giải quyết thủ tục"
    if agency.kind == Agency.Kind.OTHER or not agency.on_system:
        return (f"{agency.name} không làm việc trên hệ thống này nên không giải quyết hồ sơ ở đây (chỉ có thể là "
                "cơ quan liên thông của một bước)")
    if not agency.resolves:
        return (f"{agency.name} chỉ tiếp nhận hồ sơ và trả kết quả, không giải quyết thủ tục; hãy ghi cơ quan "
                "giải quyết (sở, ngành hoặc \"communes\" cho mọi xã, phường)")
    return None


def _check_references(doc: dict, refs: _Refs, actor: Staff | None, locate: Callable[[str], str]) -> list[str]:
    problems: list[str] = []

    def add(path: str, message: str) -> None:
        problems.append(str(fmt.Problem(locate(path), message)))

    for i, p in enumerate(doc["procedures"]):
        path = f"procedures[{i}]"
        agency = refs.agencies.get(p["resolving_agency"])
        if agency is None:
            add(f"{path}.resolving_agency", f"không có cơ quan mã {p['resolving_agency']}")
        elif actor is not None and agency.pk != actor.agency_id:
            add(f"{path}.resolving_agency", "chỉ được nhập thủ tục của cơ quan mình")
        for k, identifier in enumerate(p["resolved_by"]):
            if identifier == fmt.ALL_COMMUNES:
                if not refs.communes:
                    add(f"{path}.resolved_by", "tỉnh chưa có xã, phường nào đang hoạt động trên hệ thống")
            elif identifier not in refs.agencies:
                add(f"{path}.resolved_by[{k}]", f"không có cơ quan mã {identifier}")
            elif problem := resolver_problem(refs.agencies[identifier]):
                add(f"{path}.resolved_by[{k}]", problem)
        if not p["resolved_by"] and agency is not None and (problem := resolver_problem(agency)):
            add(f"{path}.resolving_agency", f"{problem}; thủ tục không ghi resolved_by nên cơ quan chủ trì là cơ "
                "quan giải quyết")
        if p["field"] not in refs.fields and p["field"] not in refs.new_fields:
            add(f"{path}.field", f"không có lĩnh vực mã {p['field']}")
        existing = refs.existing.get(p["code"])
        stored = {v.number: v for v in existing.versions.all()} if existing else {}
        for j, v in enumerate(p["versions"]):
            vpath = f"{path}.versions[{j}]"
            for k, s in enumerate(v["steps"]):
                # A division kind is checked where the file names the performer: the leading agency when it
                # resolves, or the partner; other resolving agencies are checked when a dossier goes to them.
                leads = not p["resolved_by"] or p["resolving_agency"] in p["resolved_by"] or \
                    (p["resolved_by"] == [fmt.ALL_COMMUNES] and p["resolving_agency"] in refs.commune_identifiers)
                performer = refs.agencies.get(s["other_agency"]) if s["other_agency"] else agency if leads else None
                if s["division"] and s["role"] != "desk_officer" and performer is not None and \
                        performer.on_system and (performer.pk, s["division"]) not in refs.kinds:
                    add(f"{vpath}.steps[{k}].division",
                        f"{performer.short_name} không có phòng/đơn vị mã {s['division']}")
                if s["other_agency"] and s["other_agency"] not in refs.agencies:
                    add(f"{vpath}.steps[{k}].other_agency", f"không có cơ quan mã {s['other_agency']}")
            if v["number"] in stored:
                if _version_doc(stored[v["number"]]) != v:
                    add(f"{vpath}.number", f"phiên bản {v['number']} của thủ tục {p['code']} đã có với nội dung "
                        "khác; phiên bản đã lưu không sửa được — hãy thêm phiên bản mới")
            elif stored and (problem := new_version_problem(list(stored.values()), v["number"], v["effective_from"])):
                add(f"{vpath}.{problem[0]}", problem[1])
    return problems


def new_version_problem(stored: list[ProcedureVersion], number: int, effective_from: str | dt.date | None,
                        ) -> tuple[str, str] | None:
    """Why a version added to a procedure that already has versions cannot be added, or None.

    It must come after every stored version (number and date) and take effect after today: a version
    dated in the past would change which rules dossiers already received were handled under."""
    if effective_from is None:
        return None
    day = dt.date.fromisoformat(effective_from) if isinstance(effective_from, str) else effective_from
    latest = max(stored, key=lambda v: v.number)
    if number <= latest.number:
        return "number", f"số phiên bản mới phải lớn hơn {latest.number}"
    last_date = max(v.effective_from for v in stored)
    if day <= last_date:
        return "effective_from", f"phải sau ngày áp dụng của các phiên bản đã có ({last_date:%d/%m/%Y})"
    if day <= timezone.localdate():
        return "effective_from", ("phiên bản mới phải áp dụng từ một ngày sau hôm nay; không được áp dụng hồi tố "
                                  "cho hồ sơ đã tiếp nhận")
    return None


def _create_version(procedure: Procedure, v: dict, refs: _Refs) -> ProcedureVersion:
    c = v["compliance"]
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=v["number"], effective_from=v["effective_from"], time_limit=v["time_limit"],
        time_unit=v["time_unit"], from_complete_dossier=v["from_complete_dossier"], change_note=v["change_note"],
        hours_learning=Decimal(str(c["hours_learning"])), hours_preparing=Decimal(str(c["hours_preparing"])),
        visits=c["visits"], hours_per_visit=Decimal(str(c["hours_per_visit"])), other_costs=c["other_costs"],
        applicants_per_year=c["applicants_per_year"],
    )
    RequiredDocument.objects.bulk_create([RequiredDocument(version=version, order=i, **d)
                                          for i, d in enumerate(v["documents"], 1)])
    Fee.objects.bulk_create([Fee(version=version, order=i, **f) for i, f in enumerate(v["fees"], 1)])
    LegalBasis.objects.bulk_create([LegalBasis(version=version, order=i, **lb)
                                    for i, lb in enumerate(v["legal_bases"], 1)])
    ProcessStep.objects.bulk_create([
        ProcessStep(version=version, order=i, name=s["name"], role=s["role"], hours=s["hours"],
                    division_kind=s["division"] or "",
                    other_agency=refs.agencies.get(s["other_agency"]) if s["other_agency"] else None)
        for i, s in enumerate(v["steps"], 1)])
    return version


def reindex(procedure: Procedure) -> None:
    procedure.name_key, procedure.search_key = index_text(procedure, procedure.current_version())
    Procedure.objects.filter(pk=procedure.pk).update(name_key=procedure.name_key, search_key=procedure.search_key)


def import_catalog(*, actor: Staff | None, data: bytes, filename: str = "",
                   progress: Progress | None = None) -> ImportResult:
    """Check the whole file, then write all of it or nothing. Importing the same file again changes nothing.

    ``actor`` None is the system (an operator's command line, the demo loader)."""
    if actor is not None:
        ensure_can(actor, MANAGE)
    doc, texts, locate = parse(data, filename=filename)
    if texts:
        raise _refuse(texts)
    with transaction.atomic():
        refs = _Refs(doc)
        texts = _check_references(doc, refs, actor, locate)
        if texts:
            raise _refuse(texts)
        return _write(doc, refs, actor, progress)


def _write(doc: dict, refs: _Refs, actor: Staff | None, progress: Progress | None) -> ImportResult:
    user = actor.user if actor else None
    for f in doc["fields"]:
        field = refs.fields.get(f["code"])
        if field is None:
            refs.fields[f["code"]] = Field.objects.create(**f)
            audit.record(actor=user, action="catalog.field.create", target=refs.fields[f["code"]], after=f)
        elif field.name != f["name"]:
            before = {"name": field.name}
            field.name = f["name"]
            field.save(update_fields=["name"])
            audit.record(actor=user, action="catalog.field.update", target=field, before=before, after=f)
    created = updated = versions = unchanged = 0
    total = len(doc["procedures"])
    for i, p in enumerate(doc["procedures"], 1):
        values = {
            "name": p["name"], "field": refs.fields[p["field"]], "agency": refs.agencies[p["resolving_agency"]],
            "for_individuals": "individual" in p["applicant_types"],
            "for_organisations": "organisation" in p["applicant_types"], "result_type": p["result_type"],
            "channel_desk": "desk" in p["channels"], "channel_post": "post" in p["channels"],
            "channel_online": "online" in p["channels"], "online_level": p["online_level"], "status": p["status"],
        }
        procedure = refs.existing.get(p["code"])
        resolvers = refs.resolvers(p)
        changed = False
        if procedure is None:
            procedure = Procedure.objects.create(code=p["code"], **values)
            procedure.resolving_agencies.set(resolvers)
            audit.record(actor=user, action="catalog.procedure.create", target=procedure,
                         after=_procedure_doc(procedure, refs.commune_identifiers))
            created += 1
            changed = True
        else:
            before = _procedure_doc(procedure, refs.commune_identifiers)
            for key, value in values.items():
                setattr(procedure, key, value)
            moved = {a.pk for a in procedure.resolving_agencies.all()} != {a.pk for a in resolvers}
            if moved:
                procedure.resolving_agencies.set(resolvers)  # also drops the prefetched list: read afresh below
            after = _procedure_doc(procedure, refs.commune_identifiers)
            if before != after or moved:
                procedure.save()
                audit.record(actor=user, action="catalog.procedure.update", target=procedure, before=before,
                             after=after)
                updated += 1
                changed = True
        stored = set(procedure.versions.values_list("number", flat=True))
        for v in p["versions"]:
            if v["number"] in stored:
                continue
            version = _create_version(procedure, v, refs)
            audit.record(actor=user, action="catalog.version.create", target=version, agency_id=procedure.agency_id,
                         after={"number": v["number"], "effective_from": v["effective_from"],
                                "time_limit": v["time_limit"], "time_unit": v["time_unit"]})
            versions += 1
            changed = True
        if changed:
            reindex(procedure)
        else:
            unchanged += 1
        if progress:
            progress(i, total)
    return ImportResult(created, updated, versions, unchanged)


@transaction.atomic
def set_status(*, actor: Staff, procedure: Procedure, status: str) -> Procedure:
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    ensure_can(actor, MANAGE, procedure)
    if status not in Procedure.Status.values:
        raise DomainError(ErrorCode.INVALID, "Trạng thái không hợp lệ.", field="status")
    before = {"status": procedure.status}
    procedure.status = status
    procedure.save(update_fields=["status"])
    audit.record(actor=actor.user, action="catalog.procedure.set_status", target=procedure, before=before,
                 after={"status": status})
    return procedure


@transaction.atomic
def copy_version(*, actor: Staff, version: ProcedureVersion) -> ProcedureVersion:
    """A new version from a copy of ``version``, scheduled for tomorrow, for the administrator to change."""
    procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
    ensure_can(actor, MANAGE, procedure)
    scheduled = procedure.versions.filter(effective_from__gt=timezone.localdate()).order_by("number").first()
    if scheduled is not None:
        raise DomainError(ErrorCode.CONFLICT, f"Thủ tục {procedure.code} đã có phiên bản {scheduled.number} chờ áp "
                          f"dụng từ {scheduled.effective_from:%d/%m/%Y}; hãy sửa phiên bản đó thay vì tạo thêm.")
    latest = procedure.versions.order_by("-number").first()
    if latest is not None and latest.pk != version.pk:
        raise DomainError(ErrorCode.CONFLICT, f"Chỉ sao chép được phiên bản mới nhất của thủ tục {procedure.code} "
                          f"(phiên bản {latest.number}); sao chép phiên bản {version.number} sẽ đưa quy định cũ "
                          "trở lại.")
    doc = _version_doc(version)
    doc["number"] = version.number + 1
    doc["effective_from"] = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    doc["change_note"] = ""
    refs = _Refs({"fields": [], "procedures": [_procedure_doc(procedure) | {"versions": [doc]}]})
    new = _create_version(procedure, doc, refs)
    audit.record(actor=actor.user, action="catalog.version.create", target=new, agency_id=procedure.agency_id,
                 after={"number": new.number, "copied_from": version.number, "effective_from": doc["effective_from"]})
    return new
