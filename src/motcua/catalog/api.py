"""Public API of the catalogue: search and the full description of a procedure (no login needed)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from motcua.catalog import selectors
from motcua.org.api import ErrorOut

router = Router(tags=["Thủ tục hành chính"])


class ProcedureRow(Schema):
    code: str
    name: str
    field: str
    field_name: str
    agency: str
    online_level: str
    status: str


class ProcedurePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProcedureRow]


class SearchParams(Schema):
    q: str = Field("", max_length=200, description="từ khóa; không phân biệt dấu, hoa thường, đ/Đ")
    field: str = Field("", max_length=20, description="mã lĩnh vực")
    agency: str = Field("", max_length=35, description="mã định danh cơ quan chủ trì hoặc giải quyết thủ tục")
    kind: Literal["", "province", "department", "commune"] = Field(
        "", description="loại cơ quan giải quyết: department (sở, ngành), commune (UBND xã, phường: thủ tục cấp "
        "xã), province (UBND tỉnh)")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


@router.get("/procedures", auth=None, response=ProcedurePage, summary="Tìm thủ tục hành chính")
def list_procedures(request: HttpRequest, params: Query[SearchParams]):
    rows = selectors.search(q=params.q, field=params.field, agency=params.agency, kind=params.kind)
    page = rows[params.offset: params.offset + params.limit]
    return {
        "count": len(rows), "limit": params.limit, "offset": params.offset,
        "items": [{"code": r.code, "name": r.name, "field": r.field_code, "field_name": r.field_name,
                   "agency": r.agency, "online_level": r.online_level, "status": r.status} for r in page],
    }


class DocumentOut(Schema):
    id: int = Field(description="mã giấy tờ: required_document_id khi nộp hồ sơ (POST /api/v1/dossiers)")
    order: int
    name: str
    copy_type: str
    count: int
    mandatory: bool
    condition: str
    blank_form_url: str | None


class FeeOut(Schema):
    name: str
    amount: int
    legal_basis: str


class LegalBasisOut(Schema):
    number: str
    date: dt.date | None
    issuer: str
    title: str


class StepOut(Schema):
    order: int
    name: str
    role: str
    place: str | None = Field(description="nơi thực hiện, theo tên (phòng của cơ quan thực hiện, bộ phận một cửa…)")
    division_kind: str | None = Field(description="loại phòng, đơn vị thực hiện bước tại cơ quan giải quyết")
    other_agency: str | None = Field(description="mã cơ quan liên thông thực hiện bước")
    hours: int


class VersionOut(Schema):
    number: int
    effective_from: dt.date
    time_limit: int
    time_unit: str
    time_limit_hours: int
    from_complete_dossier: bool
    change_note: str
    documents: list[DocumentOut]
    fees: list[FeeOut]
    legal_bases: list[LegalBasisOut]
    steps: list[StepOut]


class AgencyRef(Schema):
    identifier: str
    name: str
    kind: str


RECEIVED_ANYWHERE = ("Nộp hồ sơ tại bất kỳ bộ phận một cửa nào của tỉnh, không phụ thuộc địa giới hành chính: Trung "
                     "tâm Phục vụ hành chính công và các chi nhánh, UBND các xã, phường, bộ phận một cửa của các sở, "
                     "ngành; hồ sơ được chuyển đến cơ quan giải quyết.")


class ReceivedAtOut(Schema):
    anywhere: bool = Field(description="true: mọi điểm tiếp nhận của tỉnh nhận hồ sơ thủ tục này")
    note: str
    points: list[AgencyRef] = Field(description="các điểm tiếp nhận (cơ quan có bộ phận một cửa); xem thêm "
                                    "GET /api/v1/agencies")


class ProcedureOut(Schema):
    code: str
    name: str
    field: str
    field_name: str
    agency: str = Field(description="mã cơ quan chủ trì (công bố, quản lý thủ tục)")
    agency_name: str
    resolving_agencies: list[AgencyRef] = Field(description="các cơ quan giải quyết; chọn một khi nộp hồ sơ")
    resolved_by_all_communes: bool = Field(description="true: thủ tục cấp xã, mọi xã, phường giải quyết")
    received_at: ReceivedAtOut
    applicant_types: list[str]
    result_type: str
    channels: list[str]
    online_level: str
    status: str
    current_version: VersionOut | None
    versions: list[int]


def _version(v) -> dict:
    return {
        "number": v.number, "effective_from": v.effective_from, "time_limit": v.time_limit, "time_unit": v.time_unit,
        "time_limit_hours": v.time_limit_hours, "from_complete_dossier": v.from_complete_dossier,
        "change_note": v.change_note,
        "documents": [{"id": d.pk, "order": d.order, "name": d.name, "copy_type": d.copy_type, "count": d.count,
                       "mandatory": d.mandatory, "condition": d.condition,
                       "blank_form_url": reverse("procedure-blank-form", args=[v.procedure.code, d.pk])
                       if d.blank_form else None} for d in v.documents.all()],
        "fees": [{"name": f.name, "amount": f.amount, "legal_basis": f.legal_basis} for f in v.fees.all()],
        "legal_bases": [{"number": lb.number, "date": lb.date, "issuer": lb.issuer, "title": lb.title}
                        for lb in v.legal_bases.all()],
        "steps": [{"order": s.order, "name": s.name, "role": s.role, "place": s.place_name or None,
                   "division_kind": s.division_kind or None,
                   "other_agency": s.other_agency.identifier if s.other_agency else None, "hours": s.hours}
                  for s in v.steps.all()],
    }


def _ref(agency) -> dict:
    return {"identifier": agency.identifier, "name": agency.name, "kind": agency.kind}


@router.get("/procedures/{code}", auth=None, response={200: ProcedureOut, 404: ErrorOut},
            summary="Chi tiết một thủ tục: hồ sơ, quy trình, nơi tiếp nhận và cơ quan giải quyết")
def get_procedure(request: HttpRequest, code: str):
    found = selectors.detail(code)
    if found is None:
        raise Http404
    p = found.procedure
    return {
        "code": p.code, "name": p.name, "field": p.field.code, "field_name": p.field.name,
        "agency": p.agency.identifier, "agency_name": p.agency.name,
        "resolving_agencies": [_ref(a) for a in found.resolvers],
        "resolved_by_all_communes": found.all_communes,
        "received_at": {"anywhere": True, "note": RECEIVED_ANYWHERE,
                        "points": [_ref(a) for a in found.receiving_points]},
        "applicant_types": p.applicant_types, "result_type": p.result_type, "channels": p.channels,
        "online_level": p.online_level, "status": p.status,
        "current_version": _version(found.version) if found.version else None,
        "versions": [v.number for v in found.versions],
    }
