"""Use cases of the one-stop shop: everything a person can do to a dossier, one function each.

Every use case is one transaction that locks the dossier, checks who may act (403), what the state table
allows (409) and that the caller saw the latest version of the dossier (409, two officers acting at once),
then writes together: the dossier, its step records, one process-control entry (``Handoff``), the deadline
ledger where time changes, the audit event and the notification request. A refusal changes nothing.

Deadlines are computed here, once, with the agency's working-day calendar, and stored; an outcome (early,
on time, late) is derived from stored instants when the dossier finishes.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files import File
from django.utils import timezone

from motcua.catalog.models import Procedure, ProcedureVersion, ProcessStep
from motcua.core import audit, clock, sequences, workdays
from motcua.core.errors import DomainError, ErrorCode
from motcua.core.files import CheckedFile, Upload, check_upload, delete_if_rolled_back, use_case
from motcua.dossiers import access, applicants, outcomes, performers, policy, routing, tallies
from motcua.dossiers.models import (
    Attachment,
    DeadlineEntry,
    Dossier,
    DossierAgency,
    DossierDocument,
    DossierStep,
    Handoff,
    OneStopRules,
    SupplementRequest,
)
from motcua.dossiers.states import Action, Channel, NotAllowed, State, next_state
from motcua.notify import services as notify
from motcua.org import calendars
from motcua.org.models import Agency, Division, Staff, Unit

ALLOWED_UPLOADS = ("pdf", "jpeg", "png", "docx", "xlsx")
PAPER_CHANNELS = {Channel.DESK, Channel.POST}
ONLINE_CHANNELS = {Channel.ONLINE, Channel.VNEID}
MAX_CODES_A_DAY = 9999
APPLICANT_PLACE = "Người nộp hồ sơ"
READ_ONLY = "Cơ quan của bạn không tham gia giải quyết hồ sơ này: bạn chỉ được xem, không thao tác."


# --------------------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class ComponentTick:
    """The desk's tick against one required document of the procedure version."""

    required_document_id: int
    provided: bool = True
    count: int | None = None


@dataclass(frozen=True)
class MissingItem:
    name: str
    reason: str = ""


@dataclass(frozen=True)
class Intake:
    procedure_code: str
    applicant: applicants.Applicant
    channel: str = Channel.DESK
    components: tuple[ComponentTick, ...] = ()
    subject: str = ""
    sets: int = 1
    files: tuple[tuple[int, Upload], ...] = ()  # (required document id, scan)
    # The province model (identifiers): who resolves it — optional where one agency resolves the procedure,
    # and for a commune procedure the applicant's commune by default —, where the result is handed back
    # (default: the receiving point) and the applicant's commune.
    resolving_agency: str = ""
    delivery_agency: str = ""
    applicant_commune: str = ""


@dataclass(frozen=True)
class Result:
    number: str
    signed_on: dt.date | None = None
    signer: str = ""
    summary: str = ""
    file: Upload | None = None


# --------------------------------------------------------------------------------------------------------
# The frame every action runs in


@dataclass
class _Act:
    """One action in progress. ``staff`` is None when the applicant acts online through their own account
    (``dossiers.online``); ``user`` is whoever is recorded in the audit log."""

    staff: Staff | None
    actor: policy.Actor | None
    dossier: Dossier
    now: dt.datetime
    action: Action
    from_state: str
    from_version: int
    user: Any = None
    _rules: calendars.CalendarRules | None = None
    _rows: list[ProcessStep] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def calendar(self) -> workdays.Calendar:
        if self._rules is None:
            self._rules = calendars.rules_for(self.dossier.agency)
        return self._rules.calendar

    @property
    def cutoff(self) -> dt.time:
        self.calendar  # noqa: B018 - loads the rules
        assert self._rules is not None
        return self._rules.receipt_cutoff(timezone.localtime(self.now).date())

    @property
    def rows(self) -> list[ProcessStep]:
        if self._rows is None:
            self._rows = process_steps(self.dossier.procedure_version)
        return self._rows

    @property
    def plan(self) -> routing.Plan:
        return performers.plan_of(self.rows)

    def performer(self, index: int) -> performers.Performer:
        places = self.extra.setdefault("places", performers.Places())
        return performer_of(self.dossier, self.rows, index, places)

    @property
    def step(self) -> DossierStep | None:
        return self.dossier.current_step


@functools.lru_cache(maxsize=512)
def _steps_of(version_id: int, created_at: dt.datetime) -> tuple[ProcessStep, ...]:
    return tuple(ProcessStep.objects.filter(version_id=version_id).select_related("other_agency")
                 .order_by("order", "pk"))


def process_steps(version: ProcedureVersion) -> list[ProcessStep]:
    """The ISO steps of a procedure version, cached per process: a version a dossier was received under is in
    force, and the catalogue never edits a version in force (a change is a new version). Keyed by the
    version's id and creation instant, so that a deleted and re-created row is never mistaken for it."""
    return list(_steps_of(version.pk, version.created_at))


def _refuse(code: str, message: str, **details: Any) -> DomainError:
    return DomainError(code, message, **details)


def performer_of(dossier: Dossier, rows: Sequence[ProcessStep], index: int,
                 places: performers.Places | None = None) -> performers.Performer:
    """Who performs step ``index`` of this dossier (its receiving, resolving, partner or delivery agency)."""
    try:
        return performers.of_dossier(dossier, rows, index, places)
    except performers.MissingPlace as exc:
        raise _refuse(ErrorCode.CONFLICT, str(exc)) from None


def _step_view(performer: performers.Performer, row: ProcessStep) -> policy.Step:
    return policy.Step(role=row.role, division_id=performer.division.pk if performer.division else None,
                       unit_id=performer.unit.pk if performer.unit else None,
                       other_agency_id=performer.external.pk if performer.external else None,
                       agency_id=performer.agency.pk)


def _begin(actor: Staff, code: str, action: Action, expected_version: int, *,
           previous_step: policy.Step | None = None) -> _Act:
    """Lock the dossier and run the gates: whether the caller may see it (404/403), the version they saw (409
    stale: someone else acted first, whatever the caller may do now), who may act (403), the state table (409)."""
    who = access.actor_of(actor)
    dossier = access.access_dossier(who, code, for_update=True)
    if who.agency_id not in access.agencies_of(dossier):  # a province reader: sees it, takes no part
        raise _refuse(ErrorCode.FORBIDDEN, READ_ONLY, action=action.value)
    step = access.step_view(dossier.current_step)
    if action is Action.RECEIVE_BACK and previous_step is None and dossier.current_step is not None:
        previous_step = access.previous_step(dossier)
    if expected_version != dossier.version:
        raise _refuse(ErrorCode.STALE, f"Hồ sơ {code} vừa được người khác cập nhật (phiên bản {dossier.version}, "
                      f"bạn đang xem phiên bản {expected_version}). Hãy tải lại trang rồi thao tác lại.",
                      current_version=dossier.version)
    reason = policy.check(action.value, who, step=step, received=dossier.is_received, previous=previous_step,
                          resolving=who.agency_id == dossier.agency_id,
                          desk=who.agency_id in (dossier.receiving_agency_id, dossier.delivery_agency_id))
    if reason:
        raise _refuse(ErrorCode.FORBIDDEN, reason, action=action.value)
    try:
        next_state(dossier.state, action, received=dossier.is_received)
    except NotAllowed as exc:
        raise _refuse(ErrorCode.INVALID_STATE, str(exc), action=action.value, state=dossier.state) from None
    return _Act(staff=actor, actor=who, user=actor.user, dossier=dossier, now=clock.now(), action=action,
                from_state=dossier.state, from_version=dossier.version,
                extra={"was_received": dossier.is_received})


def _routing(fn, *args: Any) -> Any:
    try:
        return fn(*args)
    except routing.RoutingError as exc:
        raise _refuse(ErrorCode.INVALID_STATE, str(exc)) from None


def _place_name(row: DossierStep | None, dossier: Dossier) -> str:
    """How pages name where a step is: its division, unit or other agency; the agency's leaders for a step of
    no place (the same words the lists use); with the agency's name when another agency than the resolving
    one performs it (the receiving desk, a partner, the delivery desk)."""
    if row is None:
        return dossier.agency.name
    label = routing.place_label(str(row.place) if row.place is not None else None, row.role) or dossier.agency.name
    if row.other_agency_id is None and row.agency_id != dossier.agency_id:
        return f"{label} — {row.agency.name}"
    return label


def _start_step(act: _Act, index: int, *, assignee: Staff | None = None,
                due: dt.datetime | None = None) -> DossierStep:
    """Put the dossier at step ``index`` of its process from now, with the step's own due time."""
    row = act.rows[index]
    who = act.performer(index)
    due = due or workdays.add_working_time(act.now, workdays.WorkingTime.hours(row.hours), act.calendar)
    step = DossierStep.objects.create(
        dossier=act.dossier, agency=who.agency, process_step=row, order=index + 1, name=row.name,
        role=row.role, division=who.division, unit=who.unit, other_agency=who.external, assignee=assignee,
        hours=row.hours, started_at=act.now, due_at=due)
    d = act.dossier
    d.current_step, d.current_role, d.current_due_at, d.current_assignee = step, row.role, due, assignee
    d.current_division, d.current_unit, d.current_other_agency = who.division, who.unit, who.external
    d.current_agency = who.agency
    return step


def _await_desk_check(act: _Act) -> None:
    """An online submission (or a completed one) waits in the desk's list, to be checked by the end of the
    working day, or of the next one after the cut-off — the rule provincial plans use for online filing
    (unverified as a general rule)."""
    d = act.dossier
    _clear_current(d)
    d.current_role, d.current_agency = routing.DESK, d.receiving_agency
    d.current_division = d.receiving_desk or performers.one_stop_desk(d.receiving_agency)
    d.current_due_at = workdays.forward_deadline(act.now, act.calendar, act.cutoff)


def _clear_current(dossier: Dossier) -> None:
    dossier.current_step = dossier.current_division = dossier.current_unit = dossier.current_agency = None
    dossier.current_other_agency = dossier.current_assignee = dossier.current_due_at = None
    dossier.current_role = ""


def _finish_step(act: _Act, status: str) -> DossierStep | None:
    """End the active step (its outcome against its own due time), or None when there is none."""
    step = act.dossier.current_step
    if step is None:
        return None
    step.finished_at, step.finished_by, step.status = act.now, act.staff, status
    if status != DossierStep.Status.SUSPENDED:
        step.outcome = outcomes.classify(act.now, step.due_at).value
    step.save(update_fields=["finished_at", "finished_by", "status", "outcome"])
    _clear_current(act.dossier)
    return step


def _finish_dossier(act: _Act) -> None:
    """The resolution instant and its outcome, from stored instants and facts only."""
    d = act.dossier
    d.finished_at = act.now
    d.outcome = outcomes.classify(act.now, d.due_at, supplement_requests=d.supplement_requests,
                                  supplements_allowed_on_time=d.rules.supplements_on_time,
                                  apologized=d.reappointments > 0).value


def _commit(act: _Act, *, finished: DossierStep | None = None, receiver_name: str = "", receiver_place: str = "",
            note: str = "", event: str | None = None, audit_after: dict[str, Any] | None = None,
            notify_payload: dict[str, Any] | None = None) -> Dossier:
    """Write what every action writes: the dossier (new version), the hand-off, the audit event and the
    notification request."""
    d = act.dossier
    received = act.extra.get("was_received", d.is_received)
    d.state = next_state(act.from_state, act.action, received=received, resolves=act.extra.get("resolves", False))
    d.version = act.from_version + 1
    _take_numbers(act)
    d.save()
    if not receiver_place and d.current_step is not None:
        receiver_place = _place_name(d.current_step, d)
    if not receiver_name:
        receiver_name = d.current_assignee.full_name if d.current_assignee else receiver_place
    handoff = Handoff.objects.create(
        dossier=d, agency_id=d.agency_id, seq=d.version, at=act.now, action=act.action.value,
        from_state=act.from_state, to_state=d.state, giver=act.staff,
        giver_name=act.staff.full_name if act.staff else d.applicant_name[:150],
        giver_place=_place_name(finished, d) if finished is not None else _staff_place(act),
        receiver_name=receiver_name[:150], receiver_place=receiver_place[:255], step=finished,
        step_due_at=finished.due_at if finished else None, step_outcome=finished.outcome if finished else "",
        due_at=d.due_at, note=note)
    tallies.record(d, handoff)
    audit.record(actor=act.user, action=f"dossier.{act.action.value}", target=d,
                 before={"state": act.from_state, "version": act.from_version},
                 after={"state": d.state, "version": d.version, **(audit_after or {})})
    _notify(act, event or f"dossier.{act.action.value}", note=note, **(notify_payload or {}))
    return d


# What the applicant is told of, and what the staff member a dossier is given to is told of.
APPLICANT_EVENTS = frozenset({
    "dossier.submitted", "dossier.received", "dossier.supplement_requested", "dossier.refuse",
    "dossier.not_received", "dossier.apology", "dossier.result_ready", "dossier.returned", "dossier.reject",
    "dossier.stop", "dossier.withdraw",
})
STAFF_EVENTS = frozenset({"dossier.assigned", "dossier.forwarded"})
# Events whose note is a reason the applicant is owed (what to supplement, why refused, stopped or late).
REASON_EVENTS = frozenset({"dossier.supplement_requested", "dossier.refuse", "dossier.not_received",
                           "dossier.apology", "dossier.reject", "dossier.stop", "dossier.withdraw"})


def _notify(act: _Act, event: str, *, note: str = "", **payload: Any) -> None:
    """The notification request of an action, with everything a message needs (notify knows none of our
    models): the applicant's contacts for the applicant's events, the assignee's for a hand-over; links to
    the staff page and, for an applicant with an account, to their own page."""
    d = act.dossier
    if note and event in REASON_EVENTS:
        payload.setdefault("reason", note)
    if d.applicant_account_id:
        payload.setdefault("applicant_url", f"/cong-dan/ho-so/{d.code}/")
    recipients: list[dict[str, Any]] = []
    if event in APPLICANT_EVENTS:
        recipients.append({"user_id": d.applicant_account_id, "name": d.applicant_name, "role": "applicant",
                           "email": d.applicant_email, "phone": d.applicant_phone})
    elif event in STAFF_EVENTS and d.current_assignee is not None and d.current_assignee != act.staff:
        person = d.current_assignee
        recipients.append({"user_id": person.user_id, "name": person.full_name, "role": "staff",
                           "email": person.email, "phone": person.phone})
    context = {"code": d.code, "procedure": d.procedure.name, "agency": d.agency.name, "applicant": d.applicant_name,
               "state": d.state, "due_at": d.due_at.isoformat() if d.due_at else None,
               "lookup_url": f"/tra-cuu/?ma={d.code}", "url": f"/ho-so/{d.code}/", **payload}
    notify.request(event=event, at=act.now, agency_id=d.agency_id, object_type="dossiers.dossier",
                   object_id=d.code, recipients=recipients, **context)
    online = {"dossier.submitted": "dossier.online_to_check",
              "dossier.supplement_provided": "dossier.online_supplement"}
    if event in online and (event == "dossier.submitted" or act.staff is None):
        # Something came in online: the desk's officers are told it waits for their check.
        desk = (Staff.objects.filter(agency_id=d.receiving_agency_id, is_active=True, user__is_active=True,
                                     user__groups__name=routing.DESK).distinct()
                .values_list("user_id", "full_name", "email", "phone"))
        notify.request(event=online[event], at=act.now, agency_id=d.agency_id,
                       object_type="dossiers.dossier", object_id=d.code, **context,
                       recipients=[{"user_id": u, "name": n, "email": e, "phone": p, "role": "staff"}
                                   for u, n, e, p in desk])


def _staff_place(act: _Act) -> str:
    """Where the acting person works: their division or unit, or the agency for its leaders (the applicant
    acting online: themselves)."""
    if act.actor is None:
        return APPLICANT_PLACE
    if act.actor.division_id:
        return Division.objects.filter(pk=act.actor.division_id).values_list("name", flat=True).first() or ""
    if act.actor.unit_id:
        return Unit.objects.filter(pk=act.actor.unit_id).values_list("name", flat=True).first() or ""
    return Agency.objects.filter(pk=act.actor.agency_id).values_list("name", flat=True).first() or ""


def _required_text(value: str, field_name: str, message: str, *, limit: int = 2000) -> str:
    value = (value or "").strip()
    if not value:
        raise _refuse(ErrorCode.INVALID, message, field=field_name)
    if len(value) > limit:
        raise _refuse(ErrorCode.INVALID, f"Nội dung dài quá {limit} ký tự.", field=field_name)
    return value


# --------------------------------------------------------------------------------------------------------
# Files


def _check_files(uploads: Iterable[Upload]) -> list[tuple[Upload, CheckedFile]]:
    """Every file checked before anything is written; the first bad one refuses the whole action."""
    checked = []
    for upload in uploads:
        result = check_upload(upload.name, upload.stream, upload.size, max_bytes=settings.DOSSIER_MAX_UPLOAD_BYTES,
                              allowed=ALLOWED_UPLOADS)
        if not isinstance(result, CheckedFile):
            raise _refuse(ErrorCode.INVALID, f"Tệp \u201c{upload.name}\u201d: {result.message}", field="files",
                          file=upload.name)
        checked.append((upload, result))
    return checked


def _store(dossier: Dossier, staff: Staff | None, at: dt.datetime, upload: Upload, checked: CheckedFile, kind: str,
           document: DossierDocument | None = None) -> Attachment:
    """Saved through Django's storage API (local disk, or S3-compatible storage by configuration)."""
    attachment = Attachment(dossier=dossier, agency_id=dossier.agency_id, document=document, kind=kind,
                            name=upload.name[:255], content_type=checked.content_type, size=checked.size,
                            sha256=checked.sha256, uploaded_at=at, uploaded_by=staff)
    upload.stream.seek(0)
    attachment.file.save(upload.name, File(upload.stream), save=False)
    delete_if_rolled_back(attachment.file)
    attachment.save()
    return attachment


# --------------------------------------------------------------------------------------------------------
# Intake: at the desk (received, guided to complete, or refused) and online (submitted for the desk's check)


def rules_on(day: dt.date) -> OneStopRules:
    rules = OneStopRules.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rules is None:
        raise _refuse(ErrorCode.CONFLICT, "Chưa có quy tắc thời hạn một cửa nào có hiệu lực; quản trị viên cần "
                      "khai báo trong trang quản trị.")
    return rules


@dataclass
class _Draft:
    procedure: Procedure
    version: ProcedureVersion
    documents: list[DossierDocument]
    files: list[tuple[int, Upload, CheckedFile]]
    receiving: Agency
    resolving: Agency
    delivery: Agency
    commune: Agency | None
    partners: list[Agency]
    desk: Division | None


def _agency(identifier: str, field_name: str) -> Agency:
    agency = Agency.objects.filter(identifier=identifier.strip(), is_active=True).first()
    if agency is None:
        raise _refuse(ErrorCode.INVALID, f"Không có cơ quan mã {identifier.strip()} trong tỉnh.", field=field_name)
    return agency


def _resolving_agency(procedure: Procedure, intake: Intake, receiving: Agency | None,
                      commune: Agency | None) -> Agency:
    """Who resolves the dossier: the one asked for, which must resolve the procedure; else the only resolver;
    for a procedure several agencies resolve, the applicant's commune, then the receiving point, if either
    resolves it."""
    resolvers = {a.pk: a for a in procedure.resolving_agencies.filter(is_active=True)}
    if intake.resolving_agency.strip():
        chosen = _agency(intake.resolving_agency, "resolving_agency")
        if chosen.pk not in resolvers:
            raise _refuse(ErrorCode.INVALID, f"{chosen.name} không giải quyết thủ tục “{procedure.name}”: "
                          "hãy chọn một cơ quan giải quyết thủ tục này.", field="resolving_agency")
        return chosen
    if len(resolvers) == 1:
        return next(iter(resolvers.values()))
    for candidate in (commune, receiving):
        if candidate is not None and candidate.pk in resolvers:
            return candidate
    if not resolvers:
        raise _refuse(ErrorCode.INVALID, "Thủ tục chưa có cơ quan giải quyết.", field="procedure")
    raise _refuse(ErrorCode.INVALID, "Thủ tục do nhiều cơ quan giải quyết: hãy chọn cơ quan giải quyết (với thủ "
                  "tục cấp xã: xã, phường của người nộp).", field="resolving_agency")


def _online_receiving_point(resolving: Agency) -> Agency:
    """An online dossier is checked by the resolving agency's desk, or the province's service centre when the
    agency has none."""
    if performers.one_stop_desk(resolving) is not None:
        return resolving
    centre = Agency.objects.filter(kind=Agency.Kind.SERVICE_CENTRE, is_active=True).order_by("pk").first()
    if centre is None:
        raise _refuse(ErrorCode.CONFLICT, f"{resolving.name} chưa có bộ phận một cửa để kiểm tra hồ sơ trực tuyến.")
    return centre


MISSING_MESSAGE = ("Hồ sơ thiếu giấy tờ bắt buộc: {missing}. Không tiếp nhận được: hãy lập Phiếu yêu cầu bổ sung, "
                   "hoàn thiện hồ sơ (Mẫu 02) hoặc Phiếu từ chối (Mẫu 03).")


def _prepare(intake: Intake, now: dt.datetime, *, agency_id: int | None, require_complete: bool = False,
             reason: str | None = None, reason_message: str = "") -> _Draft:
    """Check everything about an intake before anything is written. ``agency_id``: the desk's agency, which
    takes in its own procedures only; None for an applicant online, who may file any procedure that offers
    online service."""
    channel = _channel(intake.channel)
    procedure = Procedure.objects.select_related("agency").filter(code=intake.procedure_code).first()
    if procedure is None:
        raise _refuse(ErrorCode.INVALID, f"Không có thủ tục mã {intake.procedure_code}.", field="procedure")
    if agency_id is None and not procedure.offers_online:
        raise _refuse(ErrorCode.INVALID, "Thủ tục này chưa cung cấp dịch vụ công trực tuyến: hãy nộp tại bộ phận "
                      "một cửa hoặc qua bưu chính.", field="procedure")
    # Any desk of the province receives any procedure of the province (không phụ thuộc địa giới hành chính).
    receiving = Agency.objects.get(pk=agency_id) if agency_id is not None else None
    desk = performers.one_stop_desk(receiving) if receiving is not None else None
    if receiving is not None and desk is None:
        raise _refuse(ErrorCode.INVALID, f"{receiving.name} không có bộ phận một cửa tiếp nhận hồ sơ.",
                      field="procedure")
    commune = _agency(intake.applicant_commune, "applicant_commune") if intake.applicant_commune.strip() else None
    if commune is not None and commune.kind != Agency.Kind.COMMUNE:
        raise _refuse(ErrorCode.INVALID, f"{commune.name} không phải xã, phường.", field="applicant_commune")
    resolving = _resolving_agency(procedure, intake, receiving, commune)
    receiving = receiving or _online_receiving_point(resolving)
    delivery = _agency(intake.delivery_agency, "delivery_agency") if intake.delivery_agency.strip() else receiving
    if delivery.pk != receiving.pk and performers.one_stop_desk(delivery) is None:
        raise _refuse(ErrorCode.INVALID, f"{delivery.name} không có bộ phận một cửa để trả kết quả.",
                      field="delivery_agency")
    if procedure.status != Procedure.Status.ACTIVE:
        raise _refuse(ErrorCode.INVALID, f"Thủ tục đang ở trạng thái \u201c{procedure.get_status_display()}\u201d, "
                      "không nhận hồ sơ.", field="procedure")
    wanted = "online" if channel in ONLINE_CHANNELS else channel.value
    if wanted not in procedure.channels:
        raise _refuse(ErrorCode.INVALID, "Thủ tục này không nhận hồ sơ qua kênh đã chọn.", field="channel")
    version = procedure.current_version(timezone.localtime(now).date())
    if version is None:
        raise _refuse(ErrorCode.INVALID, "Thủ tục chưa có phiên bản nào có hiệu lực.", field="procedure")
    problems = applicants.problems(intake.applicant, today=timezone.localtime(now).date())
    if intake.applicant.type == "individual" and not procedure.for_individuals:
        problems["type"] = "Thủ tục này chỉ dành cho tổ chức."
    if intake.applicant.type == "organisation" and not procedure.for_organisations:
        problems["type"] = "Thủ tục này chỉ dành cho cá nhân."
    if not 1 <= intake.sets <= 20:
        problems["sets"] = "Số bộ hồ sơ từ 1 đến 20."
    if len(intake.subject) > 1000:
        problems["subject"] = "Nội dung yêu cầu dài quá 1000 ký tự."
    if reason is not None and not reason.strip():  # a guidance or a refusal needs its reason, told with the rest
        problems["reason"] = reason_message
    required = list(version.documents.order_by("order"))
    known = {r.pk for r in required}
    ticks = {t.required_document_id: t for t in intake.components}
    if unknown := sorted(set(ticks) - known) + sorted({doc for doc, _ in intake.files} - known):
        raise _refuse(ErrorCode.INVALID, "Có giấy tờ không thuộc thành phần hồ sơ của thủ tục.", field="components",
                      unknown=unknown)
    documents = []
    for r in required:
        tick = ticks.get(r.pk)
        count = tick.count if tick and tick.count is not None else r.count
        if not 0 <= count <= 99:
            raise _refuse(ErrorCode.INVALID, f"Số lượng \u201c{r.name}\u201d từ 0 đến 99.", field="components")
        documents.append(DossierDocument(required_document=r, order=r.order, name=r.name, copy_type=r.copy_type,
                                         count=count, mandatory=r.mandatory, provided=bool(tick and tick.provided)))
    # Everything wrong is told at once: the applicant's details and, when the dossier is to be received,
    # the missing documents, so that the officer does not fix them one round at a time.
    missing = missing_mandatory(documents) if require_complete else []
    if problems or missing:
        parts = ["Thông tin người nộp chưa đúng: " + " ".join(problems.values())] if problems else []
        if missing:
            parts.append(MISSING_MESSAGE.format(missing="; ".join(missing)))
        raise _refuse(ErrorCode.INVALID, " ".join(parts), fields=problems, missing=missing,
                      **({"field": "components"} if missing and not problems else {}))
    rows, places = process_steps(version), performers.Places()
    for index in range(len(rows)):  # every step has someone to perform it, or nothing is written
        try:
            performers.performer(rows, index, receiving=receiving, resolving=resolving, delivery=delivery,
                                 receiving_desk=desk, places=places)
        except performers.MissingPlace as exc:
            raise _refuse(ErrorCode.INVALID, str(exc), field="resolving_agency") from None
    checked = _check_files(upload for _, upload in intake.files)
    return _Draft(procedure, version, documents,
                  [(doc, upload, result) for (doc, upload), (_, result) in zip(intake.files, checked, strict=True)],
                  receiving=receiving, resolving=resolving, delivery=delivery, commune=commune,
                  partners=performers.partner_agencies(rows), desk=desk)


def _channel(value: str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        raise _refuse(ErrorCode.INVALID, "Kênh nộp không hợp lệ (trực tiếp, bưu chính, trực tuyến, VNeID).",
                      field="channel") from None


def missing_mandatory(documents: Iterable[DossierDocument]) -> list[str]:
    return [d.name for d in documents if d.mandatory and not d.provided]


def _create(staff: Staff | None, intake: Intake, draft: _Draft, state: State, now: dt.datetime, *,
            account: Any = None) -> Dossier:
    """The dossier's rows, under a provisional code: the real one is taken at the end of the transaction
    (``_take_numbers``), so that the agency's counter row stays locked as briefly as possible."""
    a = intake.applicant
    dossier = Dossier.objects.create(
        agency=draft.resolving, receiving_agency=draft.receiving, receiving_desk=draft.desk,
        delivery_agency=draft.delivery, applicant_commune=draft.commune, code=f"~{uuid.uuid4().hex}",
        procedure=draft.procedure, procedure_version=draft.version, applicant_account=account,
        rules=rules_on(timezone.localtime(now).date()), channel=intake.channel, state=state,
        applicant_type=a.type, applicant_name=a.name.strip(), applicant_id_number=a.id_number,
        applicant_tax_code=a.tax_code, applicant_representative=a.representative.strip(),
        applicant_birth_date=a.birth_date, applicant_address=a.address.strip(),
        applicant_phone=applicants.normalise_phone(a.phone), applicant_email=a.email.strip(),
        subject=intake.subject.strip() or draft.procedure.name, sets=intake.sets, submitted_at=now)
    partners = {a.pk for a in draft.partners}
    parties = dict.fromkeys([draft.receiving.pk, draft.resolving.pk, draft.delivery.pk, *partners])
    DossierAgency.objects.bulk_create(DossierAgency(dossier=dossier, agency_id=pk, partner=pk in partners)
                                      for pk in parties)
    for document in draft.documents:
        document.dossier, document.agency_id = dossier, dossier.agency_id
    DossierDocument.objects.bulk_create(draft.documents)  # sets their ids (PostgreSQL, SQLite ≥ 3.35)
    by_required = {document.required_document_id: document for document in draft.documents}
    for required_id, upload, checked in draft.files:
        _store(dossier, staff, now, upload, checked, Attachment.Kind.COMPONENT, by_required[required_id])
    return dossier


def _take_numbers(act: _Act) -> None:
    """The dossier code (``<receiving point identifier>-YYMMDD-NNNN``, the sequence restarting each day, gap-free
    per receiving point) and, once received, its number in the resolving agency's year's dossier log: from
    locked counter rows, last thing before the audit
    event, so that concurrent intakes queue on the counter for as short a time as possible. A transaction
    that rolls back gives its numbers back: codes stay gap-free."""
    d = act.dossier
    if d.code.startswith("~"):
        day = timezone.localtime(d.submitted_at).date()
        number = sequences.next_value(agency_id=d.receiving_agency_id, series="dossier",
                                      period=day.strftime("%y%m%d"))
        if number > MAX_CODES_A_DAY:
            raise _refuse(ErrorCode.CONFLICT, f"Đã cấp hết {MAX_CODES_A_DAY} mã hồ sơ trong ngày.")
        d.code = f"{d.receiving_agency.identifier}-{day:%y%m%d}-{number:04d}"
    if d.received_at is not None and d.log_number is None:
        d.log_number = sequences.next_value(agency_id=d.agency_id, series="dossier-log",
                                            period=str(timezone.localtime(d.received_at).year))


def _start_clock(act: _Act) -> None:
    """Receipt: the log number, the appointment counted in working time, the desk's own step."""
    d = act.dossier
    limit = workdays.WorkingTime.hours(d.procedure_version.time_limit_hours)
    d.received_at, d.received_by, d.clock_started_at = act.now, act.staff, act.now
    d.due_at = d.original_due_at = workdays.add_working_time(act.now, limit, act.calendar)
    DeadlineEntry.objects.create(dossier=d, agency_id=d.agency_id, kind=DeadlineEntry.Kind.INITIAL, at=act.now,
                                 starts_at=act.now, due_at=d.due_at, by=act.staff)
    # A paper dossier leaves the desk the same working day, or the next one when received after the cut-off.
    due = (workdays.forward_deadline(act.now, act.calendar, act.cutoff)
           if d.channel in PAPER_CHANNELS and act.rows[0].role == routing.DESK else None)
    _start_step(act, 0, assignee=act.staff if act.rows[0].role == routing.DESK else None, due=due)


def _intake(actor: Staff, intake: Intake, action: Action, state: State, *, require_complete: bool = False,
            reason: str | None = None, reason_message: str = "") -> tuple[_Act, _Draft]:
    who = access.actor_of(actor)
    if "receive_dossier" not in who.perms:
        raise _refuse(ErrorCode.FORBIDDEN, "Chỉ cán bộ bộ phận một cửa được tiếp nhận hồ sơ.")
    now = clock.now()
    draft = _prepare(intake, now, agency_id=who.agency_id, require_complete=require_complete, reason=reason,
                     reason_message=reason_message)
    dossier = _create(actor, intake, draft, state, now)
    act = _Act(staff=actor, actor=who, user=actor.user, dossier=dossier, now=now, action=action, from_state="",
               from_version=0)
    return act, draft


def _commit_intake(act: _Act, state: State, *, event: str, note: str = "", giver_place: str = "Người nộp hồ sơ",
                   receiver_name: str = "", **payload: Any) -> Dossier:
    """The first version of a new dossier: one hand-off, one audit event, one notification request."""
    d = act.dossier
    d.state, d.version = state, 1
    place = _place_name(d.current_step, d) if d.current_step else d.receiving_agency.name
    handoff = Handoff.objects.create(
        dossier=d, agency_id=d.agency_id, seq=1, at=act.now, action=act.action.value, from_state="",
        to_state=d.state, giver_name=d.applicant_name[:150], giver_place=giver_place,
        receiver_name=receiver_name or act.staff.full_name,  # type: ignore[union-attr]
        receiver_place=place, due_at=d.due_at, note=note)
    _take_numbers(act)
    d.save()
    tallies.record(d, handoff)
    audit.record(actor=act.user, action=f"dossier.intake.{event}", target=d,
                 after={"state": d.state, "code": d.code, "procedure": d.procedure.code, "channel": d.channel})
    _notify(act, f"dossier.{event}", note=note, **payload)
    return d


@use_case
def receive_at_desk(*, actor: Staff, intake: Intake) -> Dossier:
    """A complete paper (desk or post) dossier: received now; the receipt (Mẫu 01) gives the appointment."""
    if _channel(intake.channel) in ONLINE_CHANNELS:
        raise _refuse(ErrorCode.INVALID, "Hồ sơ trực tuyến được nộp rồi mới tiếp nhận (submit_online).",
                      field="channel")
    act, _ = _intake(actor, intake, Action.RECEIVE, State.RECEIVED, require_complete=True)
    _start_clock(act)
    return _commit_intake(act, State.RECEIVED, event="received", due_at=act.dossier.due_at.isoformat())


@use_case
def guide_at_desk(*, actor: Staff, intake: Intake, reason: str, missing: Sequence[MissingItem]) -> Dossier:
    """An incomplete dossier at the desk: not received; the applicant takes home one complete list of what
    is missing (Mẫu 02) and the record waits for them to come back with it."""
    act, _ = _intake(actor, intake, Action.REQUEST_SUPPLEMENT, State.AWAITING_SUPPLEMENT, reason=reason,
                     reason_message="Nêu lý do cần bổ sung, hoàn thiện.")
    reason = _required_text(reason, "reason", "Nêu lý do cần bổ sung, hoàn thiện.")
    items = _missing_items(missing)
    _supplement_request(act, reason, items, after_receipt=False)
    return _commit_intake(act, State.AWAITING_SUPPLEMENT, event="supplement_requested", note=reason,
                          items=[i["name"] for i in items])


@use_case
def refuse_at_desk(*, actor: Staff, intake: Intake, reason: str) -> Dossier:
    """A dossier the agency cannot receive (outside its competence, not eligible): Mẫu 03 with the reason."""
    act, _ = _intake(actor, intake, Action.REFUSE, State.NOT_RECEIVED, reason=reason,
                     reason_message="Nêu lý do từ chối tiếp nhận.")
    reason = _required_text(reason, "reason", "Nêu lý do từ chối tiếp nhận.")
    act.dossier.closing_reason, act.dossier.finished_at = reason, act.now
    return _commit_intake(act, State.NOT_RECEIVED, event="not_received", note=reason)


@use_case
def submit_online(*, actor: Staff, intake: Intake) -> Dossier:
    """An online submission (national portal, VNeID, the agency's portal): waits for the desk's check;
    the clock starts only when the desk receives it."""
    if _channel(intake.channel) not in ONLINE_CHANNELS:
        raise _refuse(ErrorCode.INVALID, "Nộp trực tuyến dùng kênh trực tuyến hoặc VNeID.", field="channel")
    act, _ = _intake(actor, intake, Action.SUBMIT, State.SUBMITTED)
    return _commit_submission(act)


def _commit_submission(act: _Act) -> Dossier:
    """An online submission's first version: it waits in the desk's list for its check."""
    _await_desk_check(act)
    return _commit_intake(act, State.SUBMITTED, event="submitted", giver_place="Người nộp hồ sơ trực tuyến",
                          receiver_name="Bộ phận một cửa", note="Nộp trực tuyến, chờ bộ phận một cửa kiểm tra.")


def _missing_items(missing: Sequence[MissingItem]) -> list[dict[str, str]]:
    items = [{"name": m.name.strip()[:500], "reason": m.reason.strip()[:1000]} for m in missing if m.name.strip()]
    if not items:
        raise _refuse(ErrorCode.INVALID, "Liệt kê ít nhất một giấy tờ cần bổ sung, hoàn thiện.", field="items")
    return items


def _supplement_request(act: _Act, reason: str, items: list[dict[str, str]], *, after_receipt: bool) -> None:
    d = act.dossier
    within = None
    if after_receipt:
        window_end = workdays.add_working_days(d.clock_started_at, d.rules.supplement_window_days, act.calendar)
        within = act.now <= window_end
        d.supplement_requests += 1
    number = SupplementRequest.objects.filter(dossier=d).count() + 1
    SupplementRequest.objects.create(dossier=d, agency_id=d.agency_id, number=number, requested_at=act.now,
                                     requested_by=act.staff, after_receipt=after_receipt, within_window=within,
                                     reason=reason, items=items)


# --------------------------------------------------------------------------------------------------------
# Actions on a dossier in the system


def _update_components(act: _Act, ticks: Sequence[ComponentTick], files: Sequence[tuple[int, Upload]],
                       kind: str) -> None:
    documents = {d.required_document_id: d for d in act.dossier.documents.all()}
    if unknown := sorted(({t.required_document_id for t in ticks} | {doc for doc, _ in files}) - set(documents)):
        raise _refuse(ErrorCode.INVALID, "Có giấy tờ không thuộc thành phần hồ sơ của thủ tục.", field="components",
                      unknown=unknown)
    checked = _check_files(upload for _, upload in files)
    for tick in ticks:
        document = documents[tick.required_document_id]
        document.provided = tick.provided
        if tick.count is not None:
            if not 0 <= tick.count <= 99:
                raise _refuse(ErrorCode.INVALID, f"Số lượng \u201c{document.name}\u201d từ 0 đến 99.",
                              field="components")
            document.count = tick.count
        document.save(update_fields=["provided", "count"])
    for (required_id, upload), (_, result) in zip(files, checked, strict=True):
        _store(act.dossier, act.staff, act.now, upload, result, kind, documents[required_id])


def _staff_for_step(act: _Act, staff_id: int | None, index: int) -> Staff | None:
    """The person a step is given to: active staff of the agency, in the step's division or unit, with its
    role."""
    if staff_id is None:
        return None
    row = act.rows[index]
    place = act.performer(index)
    person = Staff.objects.select_related("user", "agency").filter(pk=staff_id, agency_id=place.agency.pk,
                                                                    is_active=True).first()
    if person is None or not person.user.is_active:
        raise _refuse(ErrorCode.INVALID, f"Người được giao không phải cán bộ đang công tác của {place.agency.name}.",
                      field="assignee")
    who = access.actor_of(person)
    if row.role not in who.roles or not policy.at_place(who, _step_view(place, row)):
        raise _refuse(ErrorCode.INVALID, f"{person.full_name} không có vai trò \u201c{row.get_role_display()}\u201d "
                      f"tại {place.place_name or place.agency.name}.", field="assignee")
    return person


@use_case
def receive(*, actor: Staff, code: str, version: int, components: Sequence[ComponentTick] = (),
            files: Sequence[tuple[int, Upload]] = ()) -> Dossier:
    """The desk receives an online submission after checking it: the clock starts now."""
    act = _begin(actor, code, Action.RECEIVE, version)
    _update_components(act, components, files, Attachment.Kind.COMPONENT)
    if missing := missing_mandatory(act.dossier.documents.all()):
        raise _refuse(ErrorCode.INVALID, "Hồ sơ thiếu giấy tờ bắt buộc: " + "; ".join(missing) + ". Hãy yêu cầu "
                      "bổ sung (Mẫu 02) hoặc từ chối tiếp nhận (Mẫu 03).", field="components", missing=missing)
    _start_clock(act)
    return _commit(act, event="dossier.received", notify_payload={"due_at": act.dossier.due_at.isoformat()})


@use_case
def refuse(*, actor: Staff, code: str, version: int, reason: str) -> Dossier:
    """Refuse to receive (Mẫu 03): an online submission, or a guided dossier that cannot be completed."""
    act = _begin(actor, code, Action.REFUSE, version)
    act.dossier.closing_reason = _required_text(reason, "reason", "Nêu lý do từ chối tiếp nhận.")
    act.dossier.finished_at = act.now
    return _commit(act, receiver_name=act.dossier.applicant_name, receiver_place="Người nộp hồ sơ",
                   note=act.dossier.closing_reason, event="dossier.not_received")


@use_case
def request_supplement(*, actor: Staff, code: str, version: int, reason: str,
                       items: Sequence[MissingItem]) -> Dossier:
    """Ask the applicant, once and completely, for what is missing (Mẫu 02). After receipt the clock stops
    and restarts from zero when the dossier is complete; more requests than the rules allow are refused, and
    more than one makes the dossier late (Decision 766)."""
    act = _begin(actor, code, Action.REQUEST_SUPPLEMENT, version)
    reason = _required_text(reason, "reason", "Nêu lý do cần bổ sung, hoàn thiện.")
    listed = _missing_items(items)
    d = act.dossier
    finished = None
    if d.is_received:
        if d.supplement_requests >= d.rules.supplement_limit:
            raise _refuse(ErrorCode.INVALID_STATE, f"Hồ sơ đã được yêu cầu bổ sung {d.supplement_requests} lần, "
                          f"tối đa {d.rules.supplement_limit} lần: hãy giải quyết hoặc từ chối giải quyết.")
        finished = _finish_step(act, DossierStep.Status.SUSPENDED)
        DeadlineEntry.objects.create(dossier=d, agency_id=d.agency_id, kind=DeadlineEntry.Kind.SUSPENSION,
                                     at=act.now, previous_due_at=d.due_at, reason=reason, by=act.staff)
    _supplement_request(act, reason, listed, after_receipt=d.is_received)
    return _commit(act, finished=finished, receiver_name=d.applicant_name, receiver_place="Người nộp hồ sơ",
                   note=reason, event="dossier.supplement_requested",
                   notify_payload={"items": [i["name"] for i in listed]})


@use_case
def provide_supplement(*, actor: Staff, code: str, version: int, note: str = "",
                       components: Sequence[ComponentTick] = (), files: Sequence[tuple[int, Upload]] = ()) -> Dossier:
    """The applicant brings what was asked. Before receipt the dossier goes back to the desk's check; after,
    the time limit restarts from zero and the dossier returns to the step that asked."""
    act = _begin(actor, code, Action.PROVIDE_SUPPLEMENT, version)
    return _supplement_provided(act, note, components, files)


def _supplement_provided(act: _Act, note: str, components: Sequence[ComponentTick],
                        files: Sequence[tuple[int, Upload]]) -> Dossier:
    """What a supplement does, whoever records it (the desk, or the applicant online)."""
    d = act.dossier
    open_request = d.supplements.filter(provided_at__isnull=True).order_by("-number").first()
    if open_request is not None:
        open_request.provided_at, open_request.provided_by = act.now, act.staff
        open_request.provided_note = note.strip()[:2000]
        open_request.save(update_fields=["provided_at", "provided_by", "provided_note"])
    _update_components(act, components, files, Attachment.Kind.SUPPLEMENT)
    if d.is_received:
        previous = d.due_at
        limit = workdays.WorkingTime.hours(d.procedure_version.time_limit_hours)
        d.clock_started_at, d.due_at = act.now, workdays.add_working_time(act.now, limit, act.calendar)
        DeadlineEntry.objects.create(dossier=d, agency_id=d.agency_id, kind=DeadlineEntry.Kind.RESTART, at=act.now,
                                     starts_at=act.now, due_at=d.due_at, previous_due_at=previous,
                                     reason="Người nộp đã bổ sung đủ: thời hạn tính lại từ đầu.", by=act.staff)
        suspended = d.steps.filter(status=DossierStep.Status.SUSPENDED).order_by("-started_at", "-id").first()
        _start_step(act, suspended.order - 1 if suspended else 0, assignee=suspended.assignee if suspended else None)
    else:
        _await_desk_check(act)
    return _commit(act, note=note.strip(), event="dossier.supplement_provided",
                   receiver_name="" if d.is_received else act.staff.full_name if act.staff else "Bộ phận một cửa",
                   notify_payload={"due_at": d.due_at.isoformat() if d.due_at else None})


@use_case
def assign(*, actor: Staff, code: str, version: int, assignee_id: int, note: str = "") -> Dossier:
    """The division leader gives the dossier's current step to one of their people."""
    act = _begin(actor, code, Action.ASSIGN, version)
    step = act.step
    assert step is not None  # the policy only lets a leader of the current step's place assign
    person = _staff_for_step(act, assignee_id, step.order - 1)
    step.assignee = person
    step.save(update_fields=["assignee"])
    act.dossier.current_assignee = person
    return _commit(act, note=note.strip(), event="dossier.assigned", notify_payload={"staff_id": person.pk})


@use_case
def forward(*, actor: Staff, code: str, version: int, note: str = "", assignee_id: int | None = None) -> Dossier:
    """Hand the dossier to the next step of its process (optionally to a named person there)."""
    act = _begin(actor, code, Action.FORWARD, version)
    assert act.step is not None
    target = _routing(routing.forward_target, act.plan, act.step.order - 1)
    person = _staff_for_step(act, assignee_id, target)
    finished = _finish_step(act, DossierStep.Status.DONE)
    _start_step(act, target, assignee=person)
    return _commit(act, finished=finished, note=note.strip(), event="dossier.forwarded",
                   notify_payload={"staff_id": person.pk if person else None})


@use_case
def send_back(*, actor: Staff, code: str, version: int, reason: str) -> Dossier:
    """Return the dossier to the previous step, to the person who handled it there, with the reason."""
    act = _begin(actor, code, Action.SEND_BACK, version)
    reason = _required_text(reason, "reason", "Nêu lý do trả lại bước trước.")
    assert act.step is not None
    target = _routing(routing.send_back_target, act.plan, act.step.order - 1)
    earlier = (act.dossier.steps.filter(order=target + 1, status=DossierStep.Status.DONE)
               .select_related("finished_by").order_by("-finished_at", "-id").first())
    finished = _finish_step(act, DossierStep.Status.SENT_BACK)
    _start_step(act, target, assignee=earlier.finished_by if earlier else None)
    return _commit(act, finished=finished, note=reason, event="dossier.sent_back")


@use_case
def transfer_to_agency(*, actor: Staff, code: str, version: int, note: str = "") -> Dossier:
    """Send the dossier to another agency for its step of an inter-agency procedure (liên thông)."""
    act = _begin(actor, code, Action.TRANSFER_TO_AGENCY, version)
    assert act.step is not None
    target = _routing(routing.transfer_target, act.plan, act.step.order - 1)
    finished = _finish_step(act, DossierStep.Status.DONE)
    _start_step(act, target)
    return _commit(act, finished=finished, note=note.strip(), event="dossier.transferred")


def _apply_result(act: _Act, result: Result | None) -> None:
    if result is None:
        raise _refuse(ErrorCode.INVALID, "Nhập số, ký hiệu văn bản kết quả.", field="result_number")
    number = _required_text(result.number, "result_number", "Nhập số, ký hiệu văn bản kết quả.", limit=100)
    today = timezone.localtime(act.now).date()
    signed_on = result.signed_on or today
    if signed_on > today:
        raise _refuse(ErrorCode.INVALID, "Ngày ký kết quả không được sau hôm nay.", field="result_date")
    if act.dossier.received_at and signed_on < timezone.localtime(act.dossier.received_at).date():
        raise _refuse(ErrorCode.INVALID, "Ngày ký kết quả không được trước ngày tiếp nhận.", field="result_date")
    checked = _check_files([result.file]) if result.file is not None else []
    d = act.dossier
    d.result_number, d.result_date = number, signed_on
    d.result_signer = (result.signer.strip() or act.staff.full_name)[:150]
    d.result_summary = result.summary.strip()[:500]
    for upload, checked_file in checked:
        _store(d, act.staff, act.now, upload, checked_file, Attachment.Kind.RESULT)


def _resolve(act: _Act, result: Result | None) -> DossierStep | None:
    _apply_result(act, result)
    finished = _finish_step(act, DossierStep.Status.DONE)
    _finish_dossier(act)
    if (index := act.plan.return_index) is not None:
        _start_step(act, index)
    return finished


@use_case
def receive_back(*, actor: Staff, code: str, version: int, note: str = "", result: Result | None = None) -> Dossier:
    """The dossier comes back from the other agency; when that agency's step was the decision, with the
    signed result, which resolves the dossier."""
    act = _begin(actor, code, Action.RECEIVE_BACK, version)
    if act.step is None or act.step.other_agency_id is None:
        raise _refuse(ErrorCode.INVALID_STATE, "Hồ sơ không ở cơ quan liên thông.")
    target = _routing(routing.after_receive_back, act.plan, act.step.order - 1)
    if target is None:
        finished = _resolve(act, result)
        act.extra["resolves"] = True
    else:
        finished = _finish_step(act, DossierStep.Status.DONE)
        _start_step(act, target)
    return _commit(act, finished=finished, note=note.strip(),
                   event="dossier.resolved" if target is None else "dossier.received_back")


@use_case
def approve(*, actor: Staff, code: str, version: int, result: Result) -> Dossier:
    """The leader approves and signs the result: the dossier is resolved, its outcome fixed, and the result
    goes to the desk to be returned."""
    act = _begin(actor, code, Action.APPROVE, version)
    assert act.step is not None
    _routing(routing.may_approve, act.plan, act.step.order - 1)
    finished = _resolve(act, result)
    return _commit(act, finished=finished, event="dossier.resolved",
                   audit_after={"result_number": act.dossier.result_number, "outcome": act.dossier.outcome})


@use_case
def mark_ready(*, actor: Staff, code: str, version: int) -> Dossier:
    """The signed result has reached the desk: the applicant can be told to collect it. This ends the desk's
    step; the dossier stays in the desk's list, by its appointment, until the result is handed over."""
    act = _begin(actor, code, Action.MARK_READY, version)
    d = act.dossier
    if d.result_ready_at is not None:
        raise _refuse(ErrorCode.INVALID_STATE, "Kết quả đã được đánh dấu sẵn sàng trả từ trước.")
    d.result_ready_at = act.now
    # The desk's own step ends here; handing the result over waits for the applicant, by the appointment.
    step = d.current_step
    finished = _finish_step(act, DossierStep.Status.DONE)
    if finished is not None:
        d.current_role, d.current_division, d.current_unit = step.role, step.division, step.unit
        d.current_agency = step.agency
        d.current_due_at = d.due_at
    return _commit(act, finished=finished, receiver_name="Bộ phận một cửa (chờ người nộp đến nhận)",
                   receiver_place=_place_name(step, d) if step is not None else d.agency.name,
                   event="dossier.result_ready")


@use_case
def return_result(*, actor: Staff, code: str, version: int, returned_to: str, method: str) -> Dossier:
    """Hand the result to the applicant (or their representative): to whom, how and when."""
    act = _begin(actor, code, Action.RETURN_RESULT, version)
    d = act.dossier
    if d.result_ready_at is None:
        raise _refuse(ErrorCode.INVALID_STATE, "Kết quả chưa về bộ phận một cửa: hãy đánh dấu "
                      "\u201cKết quả đã về\u201d trước khi trả.")
    if method not in Dossier.ReturnMethod.values:
        raise _refuse(ErrorCode.INVALID, "Chọn hình thức trả kết quả: tại một cửa, bưu chính hoặc trực tuyến.",
                      field="method")
    d.returned_to = _required_text(returned_to, "returned_to", "Nhập họ tên người nhận kết quả.", limit=255)
    d.return_method, d.returned_at = method, act.now
    finished = _finish_step(act, DossierStep.Status.DONE)  # only when the process had no desk step to end
    _clear_current(d)
    return _commit(act, finished=finished, receiver_name=d.returned_to, receiver_place="Người nộp hồ sơ",
                   event="dossier.returned", notify_payload={"method": method})


def _close(act: _Act, reason: str, *, counts: bool) -> Dossier:
    d = act.dossier
    d.closing_reason = reason
    finished = _finish_step(act, DossierStep.Status.CLOSED)
    if counts:
        _finish_dossier(act)
    else:
        d.finished_at = act.now
    return _commit(act, finished=finished, receiver_name=d.applicant_name, receiver_place="Người nộp hồ sơ",
                   note=reason, event=f"dossier.{act.action.value}")


@use_case
def reject(*, actor: Staff, code: str, version: int, reason: str) -> Dossier:
    """Refuse to resolve after appraisal (Mẫu 03), with the reasons; measured against the due time."""
    act = _begin(actor, code, Action.REJECT, version)
    return _close(act, _required_text(reason, "reason", "Nêu lý do từ chối giải quyết."), counts=True)


@use_case
def stop(*, actor: Staff, code: str, version: int, reason: str) -> Dossier:
    """Stop processing (dừng xử lý), e.g. the applicant never completed the dossier."""
    act = _begin(actor, code, Action.STOP, version)
    return _close(act, _required_text(reason, "reason", "Nêu lý do dừng xử lý."), counts=True)


@use_case
def withdraw(*, actor: Staff, code: str, version: int, reason: str) -> Dossier:
    """The applicant withdraws the dossier (recorded by the desk at their written request)."""
    act = _begin(actor, code, Action.WITHDRAW, version)
    return _close(act, _required_text(reason, "reason", "Ghi lý do hoặc đơn xin rút hồ sơ."), counts=False)


@use_case
def apologize(*, actor: Staff, code: str, version: int, reason: str, new_due_at: dt.datetime) -> Dossier:
    """Apology and a new appointment (Mẫu 04) for a dossier that will be or is late. Once only; the dossier
    stays late in every statistic; the ledger records whether the notice came in time."""
    act = _begin(actor, code, Action.APOLOGIZE, version)
    d = act.dossier
    reason = _required_text(reason, "reason", "Nêu lý do chậm trễ.")
    if d.reappointments >= d.rules.reappointment_limit:
        raise _refuse(ErrorCode.INVALID_STATE, f"Hồ sơ đã được hẹn lại {d.reappointments} lần; chỉ được hẹn lại "
                      f"{d.rules.reappointment_limit} lần.")
    if new_due_at.tzinfo is None:
        raise _refuse(ErrorCode.INVALID, "Ngày hẹn mới phải có múi giờ.", field="new_due_at")
    if new_due_at <= max(d.due_at, act.now):
        raise _refuse(ErrorCode.INVALID, "Ngày hẹn mới phải sau ngày hẹn cũ và sau thời điểm hiện tại.",
                      field="new_due_at")
    if not act.calendar.is_working_day(timezone.localtime(new_due_at).date()):
        raise _refuse(ErrorCode.INVALID, "Ngày hẹn mới phải là ngày làm việc.", field="new_due_at")
    notice = workdays.working_time_between(act.now, d.due_at, act.calendar)
    in_time = notice >= workdays.WorkingTime.days(d.rules.apology_notice_days)
    DeadlineEntry.objects.create(dossier=d, agency_id=d.agency_id, kind=DeadlineEntry.Kind.REAPPOINTMENT, at=act.now,
                                 due_at=new_due_at, previous_due_at=d.due_at, reason=reason, notice_in_time=in_time,
                                 by=actor)
    d.due_at = new_due_at
    d.reappointments += 1
    return _commit(act, receiver_name=d.applicant_name, receiver_place="Người nộp hồ sơ", note=reason,
                   event="dossier.apology", notify_payload={"new_due_at": new_due_at.isoformat()},
                   audit_after={"due_at": new_due_at.isoformat(), "notice_in_time": in_time})


ACTIONS: dict[Action, Callable[..., Dossier]] = {
    Action.RECEIVE: receive, Action.REFUSE: refuse, Action.REQUEST_SUPPLEMENT: request_supplement,
    Action.PROVIDE_SUPPLEMENT: provide_supplement, Action.ASSIGN: assign, Action.FORWARD: forward,
    Action.SEND_BACK: send_back, Action.TRANSFER_TO_AGENCY: transfer_to_agency, Action.RECEIVE_BACK: receive_back,
    Action.APOLOGIZE: apologize, Action.APPROVE: approve, Action.MARK_READY: mark_ready,
    Action.RETURN_RESULT: return_result, Action.REJECT: reject, Action.STOP: stop, Action.WITHDRAW: withdraw,
}


@use_case
def attach(*, actor: Staff, code: str, kind: str, upload: Upload,
           required_document_id: int | None = None) -> Attachment:
    """Add a scan of a component (the desk, or whoever holds the dossier) or the signed result's file to an
    open dossier. Not a hand-off: the dossier's version does not change, the audit log records it."""
    who = access.actor_of(actor)
    d = access.access_dossier(who, code, for_update=True)
    if not d.is_open:
        raise _refuse(ErrorCode.INVALID_STATE, "Hồ sơ đã kết thúc, không đính kèm thêm tệp được.")
    if "receive_dossier" not in who.perms and not policy.holds(who, access.step_view(d.current_step)):
        raise _refuse(ErrorCode.FORBIDDEN, policy.NOT_YOUR_STEP)
    document = None
    if kind == Attachment.Kind.COMPONENT:
        document = d.documents.filter(required_document_id=required_document_id).first()
        if document is None:
            raise _refuse(ErrorCode.INVALID, "Chọn thành phần hồ sơ của bản scan.", field="required_document_id")
    elif kind != Attachment.Kind.RESULT:
        raise _refuse(ErrorCode.INVALID, "Loại tệp là thành phần hồ sơ hoặc kết quả.", field="kind")
    ((_, checked),) = _check_files([upload])
    now = clock.now()
    attachment = _store(d, actor, now, upload, checked, kind, document)
    audit.record(actor=actor.user, action="dossier.attach", target=d,
                 after={"attachment": attachment.pk, "kind": kind, "name": attachment.name, "sha256": checked.sha256})
    return attachment


# --------------------------------------------------------------------------------------------------------
# The applicant online, through their own account on the public portal: submit, answer a supplement
# request, withdraw. The same rows, hand-offs, audit events and notifications as the desk's actions; the
# hand-off names the applicant as giver, the audit log their account.


def _begin_as_applicant(account: Any, code: str, action: Action, expected_version: int) -> _Act:
    """Lock the dossier if ``account`` submitted it (any other reads as not found), then the version and the
    state table, as ``_begin`` does for staff."""
    dossier = (Dossier.objects.select_related("procedure_version", "agency", "rules", "current_step")
               .select_for_update(of=("self",)).filter(code=code, applicant_account=account).first())
    if dossier is None:
        raise _refuse(ErrorCode.NOT_FOUND, access.NOT_FOUND_MESSAGE, dossier=code)
    if expected_version != dossier.version:
        raise _refuse(ErrorCode.STALE, f"Hồ sơ {code} vừa được cập nhật. Hãy tải lại trang rồi thao tác lại.",
                      current_version=dossier.version)
    try:
        next_state(dossier.state, action, received=dossier.is_received)
    except NotAllowed as exc:
        raise _refuse(ErrorCode.INVALID_STATE, str(exc), action=action.value, state=dossier.state) from None
    return _Act(staff=None, actor=None, user=account, dossier=dossier, now=clock.now(), action=action,
                from_state=dossier.state, from_version=dossier.version, extra={"was_received": dossier.is_received})


@use_case
def submit_as_applicant(*, account: Any, intake: Intake) -> Dossier:
    """A citizen or organisation files a dossier online from their account: it waits for the desk's check,
    like any online submission, and the account may follow it, answer supplement requests and withdraw it."""
    if not account.is_active:
        raise _refuse(ErrorCode.FORBIDDEN, "Tài khoản chưa được kích hoạt.")
    if _channel(intake.channel) is not Channel.ONLINE:
        raise _refuse(ErrorCode.INVALID, "Hồ sơ nộp từ tài khoản dùng kênh trực tuyến.", field="channel")
    now = clock.now()
    draft = _prepare(intake, now, agency_id=None)
    dossier = _create(None, intake, draft, State.SUBMITTED, now, account=account)
    act = _Act(staff=None, actor=None, user=account, dossier=dossier, now=now, action=Action.SUBMIT,
               from_state="", from_version=0)
    return _commit_submission(act)


@use_case
def supplement_as_applicant(*, account: Any, code: str, version: int, note: str = "",
                            files: Sequence[tuple[int, Upload]] = ()) -> Dossier:
    """The applicant uploads what a supplement request asked for: each file against its document, which is
    then marked provided. The rest follows the desk's rule (``provide_supplement``)."""
    act = _begin_as_applicant(account, code, Action.PROVIDE_SUPPLEMENT, version)
    if not files:
        raise _refuse(ErrorCode.INVALID, "Tải lên ít nhất một giấy tờ được yêu cầu bổ sung.", field="files")
    # A paper the request named that is not one of the checklist's documents comes under id 0: kept with the
    # supplement, attached to no document.
    others = [upload for doc, upload in files if doc == 0]
    checked_others = _check_files(others)
    listed = [(doc, upload) for doc, upload in files if doc != 0]
    ticks = [ComponentTick(required_document_id=doc) for doc in dict(listed)]
    note = _required_text(note or "Bổ sung trực tuyến.", "note", "", limit=2000)
    for upload, checked in checked_others:
        _store(act.dossier, None, act.now, upload, checked, Attachment.Kind.SUPPLEMENT)
    return _supplement_provided(act, note, ticks, listed)


@use_case
def withdraw_as_applicant(*, account: Any, code: str, version: int, reason: str) -> Dossier:
    """The applicant withdraws their dossier online (the written request of the desk's ``withdraw``)."""
    act = _begin_as_applicant(account, code, Action.WITHDRAW, version)
    return _close(act, _required_text(reason, "reason", "Ghi lý do rút hồ sơ."), counts=False)
