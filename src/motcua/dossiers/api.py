"""API of the one-stop shop: intake, lists and queues, the dossier with its steps and timeline, one endpoint
per action, files and the printed forms. Thin: every write is a service call; refusals are ``DomainError``s
that the API's one handler turns into ``{"code", "message", "details"}`` with 400/403/404/409."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Body, Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import PlainSerializer

from motcua.core.errors import DomainError
from motcua.dossiers import access, applicants, printing, routing, selectors, services
from motcua.dossiers.models import Attachment, Dossier, DossierAgency
from motcua.dossiers.selectors import Queue
from motcua.dossiers.states import ACTION_LABELS, CHANNEL_CODES, NATIONAL_STATUS, STATE_LABELS, Action, Channel, State
from motcua.org import calendars
from motcua.org.access import staff_of
from motcua.org.api import ErrorOut

router = Router(tags=["Một cửa: hồ sơ"])


def _local_iso(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat()


# Instants leave the API in the agency's time (+07:00), as people read them on the forms.
Local = Annotated[dt.datetime, PlainSerializer(_local_iso, return_type=str)]
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}

StateName = Literal["submitted", "received", "in_progress", "awaiting_supplement", "resolved", "returned",
                    "not_received", "rejected", "withdrawn", "stopped"]


# --------------------------------------------------------------------------------------------------------
# Schemas


class ApplicantIn(Schema):
    type: Literal["individual", "organisation"]
    name: str = Field(max_length=255)
    id_number: str = Field("", max_length=12, description="số định danh cá nhân, 12 chữ số (cá nhân)")
    tax_code: str = Field("", max_length=14, description="mã số thuế (tổ chức)")
    representative: str = Field("", max_length=255)
    birth_date: dt.date | None = None
    address: str = Field("", max_length=500)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class ComponentIn(Schema):
    required_document_id: int
    provided: bool = True
    count: int | None = Field(None, ge=0, le=99)


class MissingIn(Schema):
    name: str = Field(min_length=1, max_length=500)
    reason: str = Field("", max_length=1000)


class IntakeIn(Schema):
    procedure: str = Field(max_length=60, description="mã thủ tục")
    channel: Literal["desk", "post", "online", "vneid"] = "desk"
    decision: Literal["receive", "guide", "refuse"] = Field(
        "receive", description="tại bộ phận một cửa: tiếp nhận, hướng dẫn bổ sung (Mẫu 02) hoặc từ chối (Mẫu 03); "
        "hồ sơ trực tuyến luôn vào trạng thái submitted chờ kiểm tra")
    applicant: ApplicantIn
    subject: str = Field("", max_length=1000)
    sets: int = Field(1, ge=1, le=20)
    components: list[ComponentIn] = Field(default_factory=list)
    reason: str = Field("", max_length=2000)
    missing: list[MissingIn] = Field(default_factory=list)
    resolving_agency: str = Field(
        "", max_length=35, description="mã định danh cơ quan giải quyết (GET /api/v1/agencies); bỏ trống khi chỉ một "
        "cơ quan giải quyết thủ tục, hoặc với thủ tục cấp xã: xã, phường của người nộp (applicant_commune)")
    delivery_point: str = Field("", max_length=35, description="mã định danh nơi trả kết quả người nộp chọn; bỏ "
                                "trống: nơi tiếp nhận")
    applicant_commune: str = Field("", max_length=35, description="mã định danh xã, phường nơi người nộp cư trú "
                                   "hoặc có trụ sở")


class ProcedureRef(Schema):
    code: str
    name: str
    version: int


class ApplicantOut(Schema):
    type: str
    name: str
    id_number: str
    tax_code: str
    representative: str
    birth_date: dt.date | None
    address: str
    phone: str
    email: str
    masked: bool = Field(description="true: thông tin cá nhân đã được che (người xem không tham gia giải quyết)")


class CurrentOut(Schema):
    step: str | None
    order: int | None
    role: str
    place: str | None
    assignee: str | None
    due_at: Local | None


class ResultOut(Schema):
    number: str
    date: dt.date | None
    signer: str
    summary: str
    ready_at: Local | None
    returned_at: Local | None
    method: str
    returned_to: str


class DocumentOut(Schema):
    required_document_id: int | None
    order: int
    name: str
    copy_type: str
    count: int
    mandatory: bool
    provided: bool


class AttachmentOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: Local
    url: str


class StepOut(Schema):
    order: int
    name: str
    role: str
    place: str | None
    assignee: str | None
    started_at: Local
    due_at: Local
    finished_at: Local | None
    finished_by: str | None
    status: str
    outcome: str


class HandoffOut(Schema):
    seq: int
    at: Local
    action: str
    action_label: str
    from_state: str
    to_state: str
    giver: str
    giver_place: str
    receiver: str
    receiver_place: str
    step_due_at: Local | None
    step_outcome: str
    note: str


class DeadlineOut(Schema):
    kind: str
    at: Local
    starts_at: Local | None
    due_at: Local | None
    previous_due_at: Local | None
    reason: str
    notice_in_time: bool | None


class SupplementOut(Schema):
    number: int
    requested_at: Local
    after_receipt: bool
    within_window: bool | None
    reason: str
    items: list[dict]
    provided_at: Local | None


class DossierOut(Schema):
    code: str
    agency: str = Field(description="tên cơ quan giải quyết")
    receiving_agency: str = Field(description="mã định danh nơi tiếp nhận (mã hồ sơ bắt đầu bằng mã này)")
    resolving_agency: str = Field(description="mã định danh cơ quan giải quyết")
    partner_agencies: list[str] = Field(description="mã định danh các cơ quan liên thông")
    delivery_point: str = Field(description="mã định danh nơi trả kết quả")
    state: StateName
    state_label: str
    national_status: int
    channel: str
    channel_code: int
    version: int = Field(description="gửi lại giá trị này khi thao tác; hồ sơ đã đổi thì thao tác bị từ chối (409)")
    procedure: ProcedureRef
    applicant: ApplicantOut
    subject: str
    sets: int
    submitted_at: Local
    received_at: Local | None
    log_number: int | None
    due_at: Local | None
    original_due_at: Local | None
    remaining: str = Field(description="ví dụ \u201ccòn 2 ngày 3 giờ\u201d, \u201cquá 1 ngày 4 giờ\u201d")
    finished_at: Local | None
    outcome: Literal["", "early", "on_time", "late"]
    supplement_requests: int
    reappointments: int
    closing_reason: str
    current: CurrentOut
    result: ResultOut
    documents: list[DocumentOut]
    attachments: list[AttachmentOut]
    steps: list[StepOut]
    timeline: list[HandoffOut]
    deadlines: list[DeadlineOut]
    supplements: list[SupplementOut]
    actions: list[str] = Field(description="thao tác người gọi có thể làm lúc này")


class IntakeOut(Schema):
    code: str
    receiving_agency: str = Field(description="mã định danh nơi tiếp nhận")
    resolving_agency: str = Field(description="mã định danh cơ quan giải quyết (đã chọn, hoặc mặc định)")
    delivery_point: str = Field(description="mã định danh nơi trả kết quả (đã chọn, hoặc nơi tiếp nhận)")
    state: StateName
    version: int
    submitted_at: Local
    received_at: Local | None
    due_at: Local | None = Field(description="hẹn trả kết quả (khi đã tiếp nhận)")
    log_number: int | None
    url: str = Field(description="địa chỉ API của hồ sơ: các bước, dòng thời gian, thao tác được làm")


class RowOut(Schema):
    code: str
    state: str
    state_label: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id: str = Field(description="đã che, ví dụ 002*******34")
    applicant_phone: str
    channel: str
    submitted_at: Local
    received_at: Local | None
    due_at: Local | None
    step_due_at: Local | None
    place: str
    assignee: str
    outcome: str
    remaining: str
    overdue: bool = Field(description="đã quá hẹn trả")
    step_overdue: bool = Field(description="bước hiện tại đã quá hạn của bước")
    reappointed: bool = Field(description="đã xin lỗi và hẹn lại: hồ sơ tính là trễ hạn")


class PageOut(Schema):
    queue: str
    count: int
    count_capped: bool = Field(description=f"true: có hơn {selectors.COUNT_CAP} hồ sơ")
    next_cursor: str | None
    items: list[RowOut]


class ListParams(Schema):
    queue: Literal["mine", "division", "desk", "handled", "all"] | None = Field(
        None, description="mine: việc của tôi; division: ở phòng tôi (lãnh đạo phòng); desk: ở bộ phận một cửa; "
        "handled: hồ sơ tôi đã tiếp nhận hoặc xử lý, kể cả đã xong; all: cả cơ quan")
    state: StateName | None = None
    procedure: str = Field("", max_length=60)
    overdue: bool | None = Field(None, description="true: đã quá hẹn trả; false: còn trong hạn")
    q: str = Field("", max_length=100, description="mã hồ sơ hoặc tên người nộp (không phân biệt dấu)")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)


# --------------------------------------------------------------------------------------------------------
# Reads


def _actor(request: HttpRequest):
    staff = staff_of(request.user)
    return staff, access.actor_of(staff)


def _attachment_url(code: str, attachment: Attachment) -> str:
    return f"/api/v1/dossiers/{code}/attachments/{attachment.pk}"


def dossier_out(detail: selectors.Detail) -> dict[str, Any]:
    d = detail.dossier
    show = detail.personal_data
    step = d.current_step
    place_object = d.current_other_agency or d.current_division or d.current_unit
    place = routing.place_label(str(place_object) if place_object else None, d.current_role) or None
    return {
        "code": d.code, "agency": d.agency.name, "receiving_agency": d.receiving_agency.identifier,
        "resolving_agency": d.agency.identifier, "partner_agencies": _partners(d),
        "delivery_point": d.delivery_agency.identifier, "state": d.state, "state_label": STATE_LABELS[State(d.state)],
        "national_status": NATIONAL_STATUS[State(d.state)], "channel": d.channel,
        "channel_code": CHANNEL_CODES[Channel(d.channel)], "version": d.version,
        "procedure": {"code": d.procedure.code, "name": d.procedure.name, "version": d.procedure_version.number},
        "applicant": {
            "type": d.applicant_type, "name": d.applicant_name,
            "id_number": d.applicant_id_number if show else applicants.mask(d.applicant_id_number),
            "tax_code": d.applicant_tax_code, "representative": d.applicant_representative,
            "birth_date": d.applicant_birth_date if show else None,
            "address": d.applicant_address if show else applicants.mask_address(d.applicant_address),
            "phone": d.applicant_phone if show else applicants.mask(d.applicant_phone),
            "email": d.applicant_email if show else applicants.mask(d.applicant_email, keep_start=2, keep_end=0),
            "masked": not show,
        },
        "subject": d.subject, "sets": d.sets, "submitted_at": d.submitted_at, "received_at": d.received_at,
        "log_number": d.log_number, "due_at": d.due_at, "original_due_at": d.original_due_at,
        "remaining": detail.remaining, "finished_at": d.finished_at, "outcome": d.outcome,
        "supplement_requests": d.supplement_requests, "reappointments": d.reappointments,
        "closing_reason": d.closing_reason,
        "current": {"step": step.name if step else None, "order": step.order if step else None,
                    "role": d.current_role, "place": place,
                    "assignee": d.current_assignee.full_name if d.current_assignee else None,
                    "due_at": d.current_due_at},
        "result": {"number": d.result_number, "date": d.result_date, "signer": d.result_signer,
                   "summary": d.result_summary, "ready_at": d.result_ready_at, "returned_at": d.returned_at,
                   "method": d.return_method, "returned_to": d.returned_to},
        "documents": list(d.documents.all()),
        "attachments": [{"id": a.pk, "kind": a.kind, "name": a.name, "content_type": a.content_type, "size": a.size,
                         "sha256": a.sha256, "uploaded_at": a.uploaded_at, "url": _attachment_url(d.code, a)}
                        for a in detail.attachments],
        "steps": [{"order": s.order, "name": s.name, "role": s.role, "place": str(s.place) if s.place else None,
                   "assignee": s.assignee.full_name if s.assignee else None, "started_at": s.started_at,
                   "due_at": s.due_at, "finished_at": s.finished_at,
                   "finished_by": s.finished_by.full_name if s.finished_by else None, "status": s.status,
                   "outcome": s.outcome} for s in detail.steps],
        "timeline": [{"seq": h.seq, "at": h.at, "action": h.action, "action_label": ACTION_LABELS[Action(h.action)],
                      "from_state": h.from_state, "to_state": h.to_state, "giver": h.giver_name,
                      "giver_place": h.giver_place, "receiver": h.receiver_name, "receiver_place": h.receiver_place,
                      "step_due_at": h.step_due_at, "step_outcome": h.step_outcome, "note": h.note}
                     for h in detail.handoffs],
        "deadlines": list(d.deadlines.all()),
        "supplements": list(d.supplements.all()),
        "actions": [a.value for a in detail.actions],
    }


def _partners(dossier: Dossier) -> list[str]:
    """The identifiers of the dossier's liên thông partners (prefetched ``parties`` when the selector did)."""
    cached = getattr(dossier, "_prefetched_objects_cache", {}).get("parties")
    if cached is not None:
        return sorted(party.agency.identifier for party in cached if party.partner)
    return list(DossierAgency.objects.filter(dossier=dossier, partner=True)
                .order_by("agency__identifier").values_list("agency__identifier", flat=True))


def _detail(request: HttpRequest, staff, actor, code: str) -> dict[str, Any]:
    return dossier_out(selectors.detail(actor, code, calendar=calendars.calendar_for(staff.agency)))


@router.get("/dossiers", response={200: PageOut, **ERRORS}, summary="Danh sách hồ sơ, hàng đợi công việc")
def list_dossiers(request: HttpRequest, params: Query[ListParams]):
    """Hàng đợi (việc của tôi, của phòng, của bộ phận một cửa) sắp xếp hồ sơ gấp nhất lên đầu; danh sách cả cơ
    quan mới nhất lên đầu. Phân trang bằng con trỏ (``next_cursor``). Thông tin cá nhân được che."""
    staff, actor = _actor(request)
    page = selectors.dossier_list(
        actor, queue=Queue(params.queue) if params.queue else None, state=params.state or "",
        procedure=params.procedure, overdue=params.overdue, q=params.q, cursor=params.cursor, limit=params.limit,
        calendar=calendars.calendar_for(staff.agency))
    queue = params.queue or selectors.default_queue(actor).value
    return api_response(request, 200, {
        "queue": queue, "count": page.count, "count_capped": page.count_capped, "next_cursor": page.next_cursor,
        "items": [_row_out(row) for row in page.rows]})


def _row_out(row: selectors.Row) -> dict[str, Any]:
    def local(value: dt.datetime | None) -> str | None:
        return _local_iso(value) if value is not None else None

    return {"code": row.code, "state": row.state, "state_label": row.state_label,
            "procedure_code": row.procedure_code, "procedure_name": row.procedure_name,
            "applicant_name": row.applicant_name, "applicant_id": row.applicant_id_masked,
            "applicant_phone": row.applicant_phone_masked, "channel": row.channel,
            "submitted_at": local(row.submitted_at), "received_at": local(row.received_at),
            "due_at": local(row.due_at), "step_due_at": local(row.step_due_at), "place": row.place,
            "assignee": row.assignee, "outcome": row.outcome, "remaining": row.remaining, "overdue": row.overdue,
            "step_overdue": row.step_overdue, "reappointed": row.reappointed}


class LogParams(Schema):
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")
    format: Literal["pdf", "docx"] = "pdf"
    procedure: str = Field("", max_length=60, description="mã thủ tục")
    channel: Literal["", "desk", "post", "online", "vneid"] = ""
    state: Literal["", StateName] = ""  # type: ignore[valid-type]
    outcome: Literal["", "early", "on_time", "late", "open"] = ""


@router.get("/dossiers/log", response={200: None, **ERRORS}, summary="Sổ theo dõi hồ sơ (Mẫu 06) của một kỳ")
def get_log(request: HttpRequest, params: Query[LogParams]):
    """Các hồ sơ cơ quan tiếp nhận từ ``from`` đến ``to`` (tối đa một năm), theo số thứ tự trong sổ; lọc
    theo thủ tục, kênh nộp, trạng thái, kết quả so với hạn (``open``: chưa giải quyết xong)."""
    staff, actor = _actor(request)
    dossiers = selectors.log_dossiers(actor, params.date_from, params.date_to, selectors.LogFilter(
        procedure=params.procedure, channel=params.channel, state=params.state, outcome=params.outcome))
    return form_response(printing.render_log(staff.agency, dossiers, params.date_from, params.date_to,
                                             params.format))


@router.get("/dossiers/{code}", response={200: DossierOut, **ERRORS}, summary="Hồ sơ: các bước, dòng thời gian")
def get_dossier(request: HttpRequest, code: str):
    staff, actor = _actor(request)
    return _detail(request, staff, actor, code)


# --------------------------------------------------------------------------------------------------------
# Intake


def _applicant(body: ApplicantIn) -> applicants.Applicant:
    return applicants.Applicant(**body.dict())


def _intake(body: IntakeIn) -> services.Intake:
    return services.Intake(
        procedure_code=body.procedure, applicant=_applicant(body.applicant), channel=body.channel,
        components=tuple(services.ComponentTick(c.required_document_id, c.provided, c.count) for c in body.components),
        subject=body.subject, sets=body.sets, resolving_agency=body.resolving_agency.strip(),
        delivery_agency=body.delivery_point.strip(), applicant_commune=body.applicant_commune.strip())


@router.post("/dossiers", response={201: IntakeOut, **ERRORS}, summary="Tiếp nhận hồ sơ (hoặc nhận hồ sơ trực tuyến)")
def post_dossier(request: HttpRequest, body: IntakeIn):
    """Tại bộ phận một cửa: ``decision=receive`` tiếp nhận (cần đủ giấy tờ bắt buộc), ``guide`` lập phiếu hướng
    dẫn bổ sung (Mẫu 02, cần ``reason`` và ``missing``), ``refuse`` từ chối tiếp nhận (Mẫu 03, cần ``reason``).
    Kênh ``online``/``vneid``: hồ sơ vào trạng thái ``submitted`` chờ bộ phận một cửa kiểm tra. Trả về mã hồ sơ
    và hẹn trả; toàn bộ hồ sơ ở ``url`` (tiêu đề ``Location``)."""
    staff, _ = _actor(request)
    intake = _intake(body)
    try:
        if body.channel in {"online", "vneid"}:
            dossier = services.submit_online(actor=staff, intake=intake)
        elif body.decision == "guide":
            dossier = services.guide_at_desk(actor=staff, intake=intake, reason=body.reason,
                                             missing=[services.MissingItem(m.name, m.reason) for m in body.missing])
        elif body.decision == "refuse":
            dossier = services.refuse_at_desk(actor=staff, intake=intake, reason=body.reason)
        else:
            dossier = services.receive_at_desk(actor=staff, intake=intake)
    except DomainError as exc:
        if exc.details.get("field") == "delivery_agency":  # the service's name for what the API calls it
            exc.details["field"] = "delivery_point"
        raise
    url = f"/api/v1/dossiers/{dossier.code}"
    response = api_response(request, 201, {
        "code": dossier.code, "receiving_agency": dossier.receiving_agency.identifier,
        "resolving_agency": dossier.agency.identifier, "delivery_point": dossier.delivery_agency.identifier,
        "state": dossier.state, "version": dossier.version,
        "submitted_at": _local_iso(dossier.submitted_at),
        "received_at": _local_iso(dossier.received_at) if dossier.received_at else None,
        "due_at": _local_iso(dossier.due_at) if dossier.due_at else None, "log_number": dossier.log_number,
        "url": url})
    response["Location"] = url
    return response


def api_response(request: HttpRequest, status: int, payload: dict[str, Any]) -> HttpResponse:
    """A JSON answer already in its schema's shape (the tests check it against the schema), so that a list of
    fifty rows is not validated field by field a second time on every request."""
    from django.http import JsonResponse

    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


# --------------------------------------------------------------------------------------------------------
# Actions: one endpoint each, so that the schema documents what each needs


class VersionIn(Schema):
    version: int = Field(ge=1, description="phiên bản hồ sơ người thao tác đang xem")


class ReasonIn(VersionIn):
    reason: str = Field(min_length=1, max_length=2000)


class NoteIn(VersionIn):
    note: str = Field("", max_length=2000)


class ReceiveIn(VersionIn):
    components: list[ComponentIn] = Field(default_factory=list)


class SupplementIn(ReasonIn):
    items: list[MissingIn] = Field(min_length=1, max_length=50)


class ProvideIn(NoteIn):
    components: list[ComponentIn] = Field(default_factory=list)


class AssignIn(NoteIn):
    assignee_id: int


class ForwardIn(NoteIn):
    assignee_id: int | None = None


class ResultIn(Schema):
    number: str = Field(min_length=1, max_length=100, description="số, ký hiệu văn bản kết quả")
    signed_on: dt.date | None = None
    signer: str = Field("", max_length=150)
    summary: str = Field("", max_length=500)


class ApproveIn(VersionIn):
    result: ResultIn


class ReceiveBackIn(NoteIn):
    result: ResultIn | None = Field(None, description="bắt buộc khi cơ quan liên thông là nơi ký kết quả")


class ApologyIn(ReasonIn):
    new_due_at: dt.datetime = Field(description="ngày giờ hẹn trả mới, có múi giờ")


class ReturnIn(VersionIn):
    returned_to: str = Field(min_length=1, max_length=255)
    method: Literal["desk", "post", "online"]


def _ticks(components: list[ComponentIn]) -> list[services.ComponentTick]:
    return [services.ComponentTick(c.required_document_id, c.provided, c.count) for c in components]


def _result(body: ResultIn | None) -> services.Result | None:
    return None if body is None else services.Result(number=body.number, signed_on=body.signed_on,
                                                     signer=body.signer, summary=body.summary)


# action → (body schema, how the body becomes the service's arguments)
ACTION_BODIES: dict[Action, tuple[type[Schema], Any]] = {
    Action.RECEIVE: (ReceiveIn, lambda b: {"components": _ticks(b.components)}),
    Action.REFUSE: (ReasonIn, lambda b: {"reason": b.reason}),
    Action.REQUEST_SUPPLEMENT: (SupplementIn, lambda b: {
        "reason": b.reason, "items": [services.MissingItem(i.name, i.reason) for i in b.items]}),
    Action.PROVIDE_SUPPLEMENT: (ProvideIn, lambda b: {"note": b.note, "components": _ticks(b.components)}),
    Action.ASSIGN: (AssignIn, lambda b: {"assignee_id": b.assignee_id, "note": b.note}),
    Action.FORWARD: (ForwardIn, lambda b: {"note": b.note, "assignee_id": b.assignee_id}),
    Action.SEND_BACK: (ReasonIn, lambda b: {"reason": b.reason}),
    Action.TRANSFER_TO_AGENCY: (NoteIn, lambda b: {"note": b.note}),
    Action.RECEIVE_BACK: (ReceiveBackIn, lambda b: {"note": b.note, "result": _result(b.result)}),
    Action.APOLOGIZE: (ApologyIn, lambda b: {"reason": b.reason, "new_due_at": b.new_due_at}),
    Action.APPROVE: (ApproveIn, lambda b: {"result": _result(b.result)}),
    Action.MARK_READY: (VersionIn, lambda b: {}),
    Action.RETURN_RESULT: (ReturnIn, lambda b: {"returned_to": b.returned_to, "method": b.method}),
    Action.REJECT: (ReasonIn, lambda b: {"reason": b.reason}),
    Action.STOP: (ReasonIn, lambda b: {"reason": b.reason}),
    Action.WITHDRAW: (ReasonIn, lambda b: {"reason": b.reason}),
}


def _register(action: Action, schema: type[Schema], arguments: Any) -> None:
    def endpoint(request, code, body):
        staff, actor = _actor(request)
        services.ACTIONS[action](actor=staff, code=code, version=body.version, **arguments(body))
        return _detail(request, staff, actor, code)

    # Real objects, not strings: this module's annotations are postponed and ``schema`` is a local name.
    endpoint.__annotations__ = {"request": HttpRequest, "code": str, "body": Body[schema]}  # type: ignore[valid-type]
    endpoint.__name__ = f"post_{action.value}"
    router.post(f"/dossiers/{{code}}/actions/{action.value}", response={200: DossierOut, **ERRORS},
                summary=f"{ACTION_LABELS[action]} ({action.value})", operation_id=f"dossier_{action.value}")(endpoint)


for _action, (_schema, _arguments) in ACTION_BODIES.items():
    _register(_action, _schema, _arguments)


# --------------------------------------------------------------------------------------------------------
# Files and forms


@router.post("/dossiers/{code}/attachments", response={201: AttachmentOut, **ERRORS},
             summary="Đính kèm bản scan thành phần hồ sơ hoặc tệp kết quả")
def post_attachment(request: HttpRequest, code: str, kind: Form[Literal["component", "result"]],
                    file: File[UploadedFile], required_document_id: Form[int | None] = None):
    """PDF, JPEG, PNG, DOCX hoặc XLSX, kiểm tra theo nội dung, tối đa ``DOSSIER_MAX_UPLOAD_BYTES``."""
    staff, _ = _actor(request)
    attachment = services.attach(actor=staff, code=code, kind=kind, required_document_id=required_document_id,
                                 upload=services.Upload(file.name or "tep", file.file, file.size))
    return Status(201, {"id": attachment.pk, "kind": attachment.kind, "name": attachment.name,
                        "content_type": attachment.content_type, "size": attachment.size,
                        "sha256": attachment.sha256, "uploaded_at": attachment.uploaded_at,
                        "url": _attachment_url(code, attachment)})


@router.get("/dossiers/{code}/attachments/{attachment_id}", response={200: None, **ERRORS},
            summary="Tải tệp của hồ sơ")
def get_attachment(request: HttpRequest, code: str, attachment_id: int):
    _, actor = _actor(request)
    return file_response(selectors.attachment_for(actor, code, attachment_id))


def file_response(attachment: Attachment) -> HttpResponse:
    from django.http import FileResponse

    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class FormParams(Schema):
    format: Literal["pdf", "docx"] = "pdf"
    number: int | None = Field(None, ge=1, description="lần yêu cầu bổ sung (Mẫu 02); mặc định lần gần nhất")


@router.get("/dossiers/{code}/forms/{form}", response={200: None, **ERRORS}, summary="In biểu mẫu (Mẫu 01–05)")
def get_form(request: HttpRequest, code: str,
             form: Literal["receipt", "supplement", "refusal", "apology", "control-sheet"],
             params: Query[FormParams]):
    _, actor = _actor(request)
    dossier: Dossier = access.access_dossier(actor, code)
    rendered = printing.render(dossier, form, params.format, base_url=request.build_absolute_uri("/")[:-1],
                               number=params.number)
    return form_response(rendered)


def form_response(rendered: printing.Rendered) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
