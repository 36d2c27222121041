"""Every change to official documents, registers and work files: one function per thing a person does.

Each runs in one transaction, checks the actor's permission and the document's state, locks the rows it
decides on, records the document's history and the audit event, and leaves side effects (text extraction,
notifications) to after the commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone

from motcua.core import audit, clock, sequences
from motcua.core.errors import DomainError, ErrorCode
from motcua.core.files import CheckedFile, Upload, check_upload, delete_if_rolled_back, use_case
from motcua.documents import edxml, numbering, states
from motcua.documents.access import access_document
from motcua.documents.models import (
    CaseFile,
    CaseFileDocument,
    Distribution,
    Document,
    DocumentEvent,
    DocumentFile,
    DocumentTask,
    DocumentType,
    Register,
    RegisterPrint,
    Secrecy,
    Urgency,
)
from motcua.documents.states import Action, Direction, State, TaskRole, TaskState
from motcua.org import calendars
from motcua.org.access import can, current_assignment, ensure_can
from motcua.org.models import Division, Staff

SCAN_KINDS = ("pdf", "jpeg", "png")
ATTACHMENT_KINDS = ("pdf", "jpeg", "png", "docx", "xlsx", "odt", "doc", "xls")
FIELD_LIMITS = {"summary": 1000, "sender_name": 255, "symbol": 60, "signer_name": 150, "note": 4000}
FIELD_LABELS = {"summary": "trích yếu", "sender_name": "cơ quan ban hành", "symbol": "số, ký hiệu",
                "signer_name": "người ký", "note": "nội dung"}


def _refuse(code: str, message: str, **details: object) -> DomainError:
    return DomainError(code, message, **details)


def _text(value: str, field: str, *, required: bool = True) -> str:
    value = " ".join((value or "").split()) if field != "note" else (value or "").strip()
    if required and not value:
        raise _refuse(ErrorCode.INVALID, f"Hãy nhập {FIELD_LABELS[field]}.", field=field)
    if len(value) > FIELD_LIMITS[field]:
        raise _refuse(ErrorCode.INVALID, f"{FIELD_LABELS[field].capitalize()} dài quá {FIELD_LIMITS[field]} ký tự.",
                      field=field)
    return value


def _choice(value: str, choices: type, field: str, label: str) -> str:
    if value not in choices.values:
        raise _refuse(ErrorCode.INVALID, f"{label} không hợp lệ.", field=field)
    return value


def _doc_type(code: str) -> DocumentType:
    try:
        return DocumentType.objects.get(code=code, is_active=True)
    except DocumentType.DoesNotExist:
        raise _refuse(ErrorCode.INVALID, "Hãy chọn loại văn bản.", field="doc_type") from None


def _ensure_version(document: Document | CaseFile, expected: int | None) -> None:
    if expected is not None and expected != document.version:
        raise _refuse(ErrorCode.STALE, "Văn bản vừa được người khác cập nhật; hãy tải lại trang rồi thao tác lại.",
                      version=document.version)


def _transition(document: Document, action: Action) -> State:
    try:
        return states.apply(document.state, action)
    except states.Refused as exc:
        raise _refuse(ErrorCode.INVALID_STATE, str(exc), state=document.state) from None


def end_of_working_day(agency_id: int, day: dt.date) -> dt.datetime:
    """A deadline given as a date ends when the agency's office closes that day."""
    from motcua.org.models import Agency

    cal = calendars.calendar_for(Agency.objects.get(pk=agency_id))
    closing = cal.hours_on(day).sessions[-1].end
    return timezone.make_aware(dt.datetime.combine(day, closing), timezone.get_default_timezone())


def _due(agency_id: int, day: dt.date | None, *, field: str = "due_on") -> dt.datetime | None:
    if day is None:
        return None
    if day < timezone.localdate(clock.now()):
        raise _refuse(ErrorCode.INVALID, "Hạn xử lý không được trước ngày hôm nay.", field=field)
    return end_of_working_day(agency_id, day)


def _event(document: Document, actor: Staff | None, action: str, *, before: str = "", note: str = "",
           at: dt.datetime | None = None) -> None:
    from motcua.documents import search

    DocumentEvent.objects.create(document=document, agency_id=document.agency_id, at=at or clock.now(),
                                 actor=actor, action=action, from_state=before, to_state=document.state, note=note)
    search.reindex(document.pk)  # every change passes here: the index never lags the document


def _audit(actor: Staff | None, action: str, document: Document | CaseFile, **after: object) -> None:
    audit.record(actor=actor.user if actor else None, action=action, target=document, after=after or None)


def _save(document: Document, *fields: str) -> None:
    document.version += 1
    document.save(update_fields=[*fields, "version"])


def _after_commit_extract(files: Sequence[DocumentFile]) -> None:
    from motcua.documents import tasks

    for f in files:
        if f.text_status == DocumentFile.TextStatus.PENDING:
            transaction.on_commit(lambda pk=f.pk: tasks.enqueue_extraction(pk))


# --------------------------------------------------------------------------------------------------------
# Files


def check_files(uploads: Iterable[Upload], allowed: tuple[str, ...]) -> list[tuple[Upload, CheckedFile]]:
    """Every file checked by content before anything is written; the first bad one refuses the whole action."""
    checked = []
    for upload in uploads:
        result = check_upload(upload.name, upload.stream, upload.size,
                              max_bytes=settings.DOCUMENT_MAX_UPLOAD_BYTES, allowed=allowed)
        if not isinstance(result, CheckedFile):
            raise _refuse(ErrorCode.INVALID, f"Tệp “{upload.name}”: {result.message}", field="files",
                          file=upload.name)
        checked.append((upload, result))
    return checked


def _store(document: Document, actor: Staff | None, kind: str, name: str, content: File, *, size: int,
           content_type: str, sha256: str, extract: bool) -> DocumentFile:
    """Saved through Django's storage API; deleted again if the transaction does not commit."""
    stored = DocumentFile(document=document, agency_id=document.agency_id, kind=kind, name=name[:255],
                          content_type=content_type, size=size, sha256=sha256, uploaded_at=clock.now(),
                          uploaded_by=actor,
                          text_status=DocumentFile.TextStatus.PENDING if extract else DocumentFile.TextStatus.NONE)
    stored.file.save(name, content, save=False)
    delete_if_rolled_back(stored.file)
    stored.save()
    return stored


def _store_upload(document: Document, actor: Staff | None, kind: str, upload: Upload,
                  checked: CheckedFile) -> DocumentFile:
    upload.stream.seek(0)
    return _store(document, actor, kind, upload.name, File(upload.stream), size=checked.size,
                  content_type=checked.content_type, sha256=checked.sha256,
                  extract=checked.kind in {"pdf", "jpeg", "png", "docx"})


def store_bytes(document: Document, actor: Staff | None, kind: str, name: str, data: bytes, content_type: str,
                *, extract: bool = False) -> DocumentFile:
    return _store(document, actor, kind, name, ContentFile(data), size=len(data), content_type=content_type,
                  sha256=hashlib.sha256(data).hexdigest(), extract=extract)


# --------------------------------------------------------------------------------------------------------
# Registers and numbers


def register_for(agency_id: int, direction: str, secret: bool, year: int) -> Register:
    register, _ = Register.objects.get_or_create(agency_id=agency_id, direction=direction, secret=secret, year=year)
    if register.closed_at is not None:
        raise _refuse(ErrorCode.INVALID_STATE, f"{register} đã khóa; không thể vào sổ thêm.", register=register.pk)
    return register


def _take_number(document: Document, on: dt.date) -> None:
    """The next number of the document's register, in this transaction: gap-free and unique under concurrency
    (the counter row is locked until commit), restarting at 1 each calendar year."""
    register = register_for(document.agency_id, document.direction, document.is_secret, on.year)
    document.register = register
    document.number = sequences.next_value(agency_id=document.agency_id,
                                           series=numbering.series(document.direction, document.is_secret),
                                           period=str(on.year))


@transaction.atomic
def close_register(*, actor: Staff, register_id: int) -> Register:
    """Close a past year's register (NĐ 30/2020: an electronic register is printed, signed and closed)."""
    register = Register.objects.select_for_update().get(pk=register_id)
    ensure_can(actor, "documents.manage_registers", register)
    if register.closed_at is not None:
        raise _refuse(ErrorCode.INVALID_STATE, f"{register} đã khóa từ trước.")
    today = timezone.localdate(clock.now())
    if register.year >= today.year and today < dt.date(register.year, 12, 31):
        raise _refuse(ErrorCode.INVALID_STATE, f"Chỉ khóa {register} từ ngày 31/12/{register.year}.")
    register.closed_at, register.closed_by = clock.now(), actor
    register.save(update_fields=["closed_at", "closed_by"])
    audit.record(actor=actor.user, action="documents.register.close", target=register,
                 after={"year": register.year, "direction": register.direction, "secret": register.secret})
    return register


def access_register(actor: Staff, register_id: int) -> Register:
    """The clerk and those who see all correspondence see the agency's registers; a secret one needs the
    secret permission (otherwise it is not found)."""
    if not (can(actor, "documents.manage_registers") or can(actor, "documents.view_all_documents")):
        raise _refuse(ErrorCode.FORBIDDEN, "Chỉ văn thư và lãnh đạo cơ quan xem được sổ đăng ký văn bản.")
    register = Register.objects.filter(pk=register_id, agency_id=actor.agency_id).first()
    if register is None or (register.secret and not can(actor, "documents.view_secret_documents")):
        raise _refuse(ErrorCode.NOT_FOUND, "Không tìm thấy sổ đăng ký văn bản.")
    return register


@transaction.atomic
def request_register_print(*, actor: Staff, register_id: int, month: int | None = None) -> RegisterPrint:
    """Print a register (or one month of it) in the background; the page offers the file when it is ready."""
    register = access_register(actor, register_id)
    if month is not None and not 1 <= month <= 12:
        raise _refuse(ErrorCode.INVALID, "Tháng từ 1 đến 12.", field="month")
    if register.prints.filter(month=month, finished_at__isnull=True, error="").exists():
        raise _refuse(ErrorCode.CONFLICT, f"{register} đang được in; hãy chờ bản in xong.")
    job = RegisterPrint.objects.create(register=register, month=month, requested_by=actor,
                                       requested_at=clock.now())
    audit.record(actor=actor.user, action="documents.register.print", target=register,
                 after={"month": month, "print": job.pk})
    from motcua.documents import tasks

    transaction.on_commit(lambda: tasks.enqueue_register_print(job.pk))
    return job


# --------------------------------------------------------------------------------------------------------
# Incoming documents


def duplicates(*, agency_id: int, sender_name: str, sender_identifier: str, symbol: str,
               issued_on: dt.date | None) -> list[Document]:
    """Incoming documents already registered from the same sender with the same number and date."""
    from motcua.core.text import fold_key

    if not symbol or issued_on is None:
        return []
    candidates = Document.objects.filter(agency_id=agency_id, direction=Direction.INCOMING, issued_on=issued_on,
                                         symbol__iexact=symbol)
    sender = fold_key(sender_name)
    return [d for d in candidates
            if (sender_identifier and d.sender_identifier == sender_identifier) or fold_key(d.sender_name) == sender]


@use_case
def register_incoming(*, actor: Staff, doc_type: str, summary: str, sender_name: str, symbol: str,
                      issued_on: dt.date | None, sender_identifier: str = "", signer_name: str = "",
                      signer_position: str = "", urgency: str = Urgency.NORMAL, secrecy: str = Secrecy.NORMAL,
                      due_on: dt.date | None = None, received_at: dt.datetime | None = None,
                      page_count: int | None = None, files: Sequence[Upload] = (), confirm_duplicate: bool = False,
                      exchange_id: str = "", package: tuple[str, bytes] | None = None) -> Document:
    """The clerk enters an incoming document in the register: the next arrival number of the year, shared by
    paper and electronic documents (secret ones in their own series)."""
    ensure_can(actor, "documents.register_incoming", actor.agency)
    now = clock.now()
    fields = {
        "summary": _text(summary, "summary"),
        "sender_name": _text(sender_name, "sender_name"),
        "symbol": _text(symbol, "symbol"),
        "signer_name": _text(signer_name, "signer_name", required=False),
        "signer_position": _text(signer_position, "signer_name", required=False),
        "urgency": _choice(urgency, Urgency, "urgency", "Độ khẩn"),
        "secrecy": _choice(secrecy, Secrecy, "secrecy", "Độ mật"),
    }
    if issued_on is None:
        raise _refuse(ErrorCode.INVALID, "Hãy nhập ngày của văn bản.", field="issued_on")
    sender_identifier = sender_identifier.strip()
    if sender_identifier and not edxml.valid_organ_id(sender_identifier):
        raise _refuse(ErrorCode.INVALID, "Mã định danh cơ quan gửi không đúng dạng (ví dụ 000.00.00.H22).",
                      field="sender_identifier")
    received_at = received_at or now
    if issued_on > timezone.localdate(received_at):
        raise _refuse(ErrorCode.INVALID, "Ngày văn bản không được sau ngày đến.", field="issued_on")
    if received_at > now + dt.timedelta(minutes=5):
        raise _refuse(ErrorCode.INVALID, "Ngày đến không được ở tương lai.", field="received_at")
    checked = check_files(files, (*SCAN_KINDS, "docx"))
    if not checked and package is None:
        raise _refuse(ErrorCode.INVALID, "Hãy đính kèm bản quét hoặc tệp điện tử của văn bản.", field="files")
    found = duplicates(agency_id=actor.agency_id, sender_name=fields["sender_name"],
                       sender_identifier=sender_identifier, symbol=fields["symbol"], issued_on=issued_on)
    if found and not confirm_duplicate:
        first = found[0]
        raise _refuse(ErrorCode.CONFLICT,
                      f"Văn bản {fields['symbol']} ngày {issued_on:%d/%m/%Y} của {fields['sender_name']} đã vào sổ "
                      f"(số đến {first.number}/{first.register.year if first.register else ''}). "
                      "Nếu đây là văn bản khác, hãy xác nhận để vào sổ.",
                      duplicate_of=[d.pk for d in found], field="confirm_duplicate")
    if fields["secrecy"] != Secrecy.NORMAL and not can(actor, "documents.view_secret_documents"):
        raise _refuse(ErrorCode.FORBIDDEN, "Bạn không được giao vào sổ văn bản mật.", field="secrecy")
    document = Document(agency_id=actor.agency_id, direction=Direction.INCOMING, state=State.REGISTERED,
                        doc_type=_doc_type(doc_type), issued_on=issued_on, sender_identifier=sender_identifier[:35],
                        received_at=received_at, registered_at=now, due_at=_due(actor.agency_id, due_on),
                        page_count=page_count, created_by=actor, created_at=now, exchange_id=exchange_id, **fields)
    _take_number(document, timezone.localdate(now))
    document.save()
    stored = [_store_upload(document, actor, DocumentFile.Kind.MAIN, upload, check) for upload, check in checked]
    if package is not None:
        stored.append(store_bytes(document, actor, DocumentFile.Kind.PACKAGE, package[0], package[1],
                                  "application/xml"))
    _event(document, actor, Action.REGISTER, note=f"Số đến {document.number}")
    _audit(actor, "documents.incoming.register", document, number=document.number, symbol=document.symbol,
           register=str(document.register), duplicate_confirmed=bool(found))
    _after_commit_extract(stored)
    return document


def _division(agency_id: int, division_id: int) -> Division:
    try:
        return Division.objects.get(pk=division_id, agency_id=agency_id, is_active=True)
    except Division.DoesNotExist:
        raise _refuse(ErrorCode.INVALID, "Phòng được giao không thuộc cơ quan.", field="divisions") from None


@transaction.atomic
def direct(*, actor: Staff, document_id: int, note: str, lead_division_id: int | None,
           coordinating_ids: Sequence[int] = (), informed_ids: Sequence[int] = (), due_on: dt.date | None = None,
           expected_version: int | None = None) -> Document:
    """The agency leader's direction (bút phê): the lead division, the co-ordinating ones, those informed, the
    deadline. Without a lead division the document is for information only and is completed at once."""
    document = access_document(actor, document_id, for_update=True)
    ensure_can(actor, "documents.direct_document", document)
    _ensure_version(document, expected_version)
    if document.direction != Direction.INCOMING:
        raise _refuse(ErrorCode.INVALID_STATE, "Chỉ cho ý kiến chỉ đạo văn bản đến.")
    before = document.state
    _transition(document, Action.DIRECT)
    chosen = ([lead_division_id] if lead_division_id else []) + list(coordinating_ids) + list(informed_ids)
    if len(set(chosen)) != len(chosen):
        raise _refuse(ErrorCode.INVALID, "Mỗi phòng chỉ nhận một vai trò (chủ trì, phối hợp hoặc để biết).",
                      field="divisions")
    if not states.may_direct(before, document.tasks.values_list("role", "state")):
        raise _refuse(ErrorCode.INVALID_STATE, "Văn bản đã được phân công xử lý; không thể chỉ đạo lại.")
    due_at = _due(document.agency_id, due_on) or document.due_at
    note = _text(note, "note", required=False)
    now = clock.now()
    document.tasks.all().delete()
    plan = ([(lead_division_id, TaskRole.LEAD)] if lead_division_id else []) + \
        [(i, TaskRole.COORDINATE) for i in coordinating_ids] + [(i, TaskRole.INFORM) for i in informed_ids]
    for division_id, role in plan:
        division = _division(document.agency_id, division_id)
        DocumentTask.objects.create(document=document, agency_id=document.agency_id, role=role, division=division,
                                    due_at=due_at if role != TaskRole.INFORM else None, created_at=now,
                                    state=TaskState.NEW if role != TaskRole.INFORM else TaskState.DONE,
                                    completed_at=None if role != TaskRole.INFORM else now)
    document.state = states.direct_state(bool(lead_division_id))
    document.direction_note, document.directed_by, document.due_at = note, actor, due_at
    if document.state == State.COMPLETED:
        document.completed_at = now
    _save(document, "state", "direction_note", "directed_by", "due_at", "completed_at")
    _event(document, actor, Action.DIRECT, before=before, note=note)
    _audit(actor, "documents.incoming.direct", document, lead=lead_division_id, coordinating=list(coordinating_ids),
           informed=list(informed_ids), due_at=due_at.isoformat() if due_at else None)
    return document


def _task(actor: Staff, task_id: int) -> DocumentTask:
    try:
        task = DocumentTask.objects.select_for_update().select_related("document").get(pk=task_id)
    except DocumentTask.DoesNotExist:
        raise _refuse(ErrorCode.NOT_FOUND, "Không tìm thấy phân công xử lý.") from None
    access_document(actor, task.document_id)
    return task


def _leads_division(actor: Staff, division_id: int) -> bool:
    assignment = current_assignment(actor)
    return bool(assignment and assignment.division_id == division_id and can(actor, "documents.assign_document"))


@transaction.atomic
def assign(*, actor: Staff, task_id: int, assignee_id: int, due_on: dt.date | None = None) -> DocumentTask:
    """The division leader gives the division's part to a specialist of the division."""
    task = _task(actor, task_id)
    if not _leads_division(actor, task.division_id):
        raise _refuse(ErrorCode.FORBIDDEN, "Chỉ lãnh đạo phòng được giao mới phân công được.")
    if task.state == TaskState.DONE:
        raise _refuse(ErrorCode.INVALID_STATE, "Phần việc này đã hoàn thành.")
    from motcua.org.models import Assignment

    if not Assignment.objects.current().filter(staff_id=assignee_id, division_id=task.division_id,
                                               staff__is_active=True).exists():
        raise _refuse(ErrorCode.INVALID, "Người được giao phải là cán bộ đang công tác tại phòng.", field="assignee")
    assignee = Staff.objects.get(pk=assignee_id)
    task.assignee, task.state = assignee, TaskState.ASSIGNED
    if due_on:
        task.due_at = _due(task.agency_id, due_on)
    task.save(update_fields=["assignee", "state", "due_at"])
    _event(task.document, actor, "assign", note=f"{task.division}: giao {assignee.full_name}")
    _audit(actor, "documents.task.assign", task.document, task=task.pk, assignee=assignee.pk)
    return task


def _works_on(actor: Staff, task: DocumentTask) -> None:
    if task.assignee_id != actor.pk and not _leads_division(actor, task.division_id):
        raise _refuse(ErrorCode.FORBIDDEN, "Chỉ người được giao hoặc lãnh đạo phòng được cập nhật phần việc này.")
    if task.state == TaskState.DONE:
        raise _refuse(ErrorCode.INVALID_STATE, "Phần việc này đã hoàn thành.")


@transaction.atomic
def record_progress(*, actor: Staff, task_id: int, note: str) -> DocumentTask:
    task = _task(actor, task_id)
    _works_on(actor, task)
    note = _text(note, "note")
    task.state, task.note = TaskState.IN_PROGRESS, note
    task.save(update_fields=["state", "note"])
    _event(task.document, actor, "progress", note=note)
    _audit(actor, "documents.task.progress", task.document, task=task.pk)
    return task


@transaction.atomic
def complete_task(*, actor: Staff, task_id: int, note: str, reply_id: int | None = None) -> DocumentTask:
    """The division's part is done; when the lead division's part is done, so is the document (optionally
    answered by an outgoing document)."""
    task = _task(actor, task_id)
    _works_on(actor, task)
    note = _text(note, "note")
    document = Document.objects.select_for_update().get(pk=task.document_id)
    now = clock.now()
    task.state, task.note, task.completed_at = TaskState.DONE, note, now
    task.save(update_fields=["state", "note", "completed_at"])
    if reply_id is not None:
        reply = access_document(actor, reply_id, for_update=True)
        if reply.direction != Direction.OUTGOING:
            raise _refuse(ErrorCode.INVALID, "Văn bản trả lời phải là văn bản đi.", field="reply")
        reply.reply_to = document
        _save(reply, "reply_to")
    _event(document, actor, "task_done", note=f"{task.division}: {note}")
    if task.role == TaskRole.LEAD:
        before = document.state
        document.state = _transition(document, Action.COMPLETE)
        document.completed_at = now
        _save(document, "state", "completed_at")
        _event(document, actor, Action.COMPLETE, before=before, note=note)
    _audit(actor, "documents.task.complete", document, task=task.pk, reply=reply_id)
    return task


# --------------------------------------------------------------------------------------------------------
# Outgoing documents


@use_case
def create_draft(*, actor: Staff, doc_type: str, summary: str, recipients_text: str = "", body: str = "",
                 file: Upload | None = None, attachments: Sequence[Upload] = (), urgency: str = Urgency.NORMAL,
                 secrecy: str = Secrecy.NORMAL, reply_to_id: int | None = None, copies: int = 1) -> Document:
    """A draft written on screen (turned into a PDF in the official layout) or uploaded as a PDF."""
    ensure_can(actor, "documents.draft_outgoing", actor.agency)
    assignment = current_assignment(actor)
    summary = _text(summary, "summary")
    urgency = _choice(urgency, Urgency, "urgency", "Độ khẩn")
    secrecy = _choice(secrecy, Secrecy, "secrecy", "Độ mật")
    if not 1 <= copies <= 999:
        raise _refuse(ErrorCode.INVALID, "Số lượng bản từ 1 đến 999.", field="copies")
    doc_type_row = _doc_type(doc_type)
    body = (body or "").strip()
    if bool(body) == bool(file):
        raise _refuse(ErrorCode.INVALID, "Hãy soạn nội dung hoặc tải lên tệp PDF của dự thảo (một trong hai).",
                      field="body")
    main = check_files([file], ("pdf",)) if file else []
    extra = check_files(attachments, ATTACHMENT_KINDS)
    reply_to = access_document(actor, reply_to_id) if reply_to_id else None
    now = clock.now()
    document = Document(agency_id=actor.agency_id, direction=Direction.OUTGOING, state=State.DRAFT,
                        doc_type=doc_type_row, summary=summary, recipients_text=recipients_text.strip()[:4000],
                        urgency=urgency, secrecy=secrecy, copies=copies, reply_to=reply_to,
                        drafting_division=assignment.division if assignment else None, created_by=actor,
                        created_at=now)
    document.save()
    stored = []
    if main:
        stored.append(_store_upload(document, actor, DocumentFile.Kind.MAIN, *main[0]))
    else:
        from motcua.documents import layout

        pdf = layout.draft_pdf(document, body)
        stored.append(store_bytes(document, actor, DocumentFile.Kind.MAIN, "du-thao.pdf", pdf, "application/pdf",
                                  extract=True))
    stored += [_store_upload(document, actor, DocumentFile.Kind.ATTACHMENT, u, c) for u, c in extra]
    _event(document, actor, Action.DRAFT)
    _audit(actor, "documents.outgoing.draft", document, summary=summary, doc_type=doc_type)
    _after_commit_extract(stored)
    return document


def _outgoing(actor: Staff, document_id: int, expected_version: int | None) -> Document:
    document = access_document(actor, document_id, for_update=True)
    if document.direction != Direction.OUTGOING:
        raise _refuse(ErrorCode.INVALID_STATE, "Đây không phải văn bản đi.")
    _ensure_version(document, expected_version)
    return document


def _step(actor: Staff, document: Document, action: Action, note: str = "") -> Document:
    before = document.state
    document.state = _transition(document, action)
    _save(document, "state")
    _event(document, actor, action, before=before, note=note)
    _audit(actor, f"documents.outgoing.{action.value}", document, state=document.state, note=note or None)
    return document


@transaction.atomic
def submit(*, actor: Staff, document_id: int, expected_version: int | None = None) -> Document:
    document = _outgoing(actor, document_id, expected_version)
    if document.created_by_id != actor.pk:
        raise _refuse(ErrorCode.FORBIDDEN, "Chỉ người soạn dự thảo được trình.")
    return _step(actor, document, Action.SUBMIT)


@transaction.atomic
def review(*, actor: Staff, document_id: int, note: str = "", expected_version: int | None = None) -> Document:
    """The leader of the drafting division checks the draft and sends it up to the agency leader."""
    document = _outgoing(actor, document_id, expected_version)
    ensure_can(actor, "documents.review_outgoing", document)
    if document.drafting_division_id is None or not _leads(actor, document.drafting_division_id):
        raise _refuse(ErrorCode.FORBIDDEN, "Chỉ lãnh đạo phòng soạn thảo được duyệt dự thảo này.")
    return _step(actor, document, Action.REVIEW, _text(note, "note", required=False))


def _leads(actor: Staff, division_id: int) -> bool:
    assignment = current_assignment(actor)
    return bool(assignment and assignment.division_id == division_id)


@transaction.atomic
def approve(*, actor: Staff, document_id: int, note: str = "", expected_version: int | None = None) -> Document:
    document = _outgoing(actor, document_id, expected_version)
    ensure_can(actor, "documents.approve_outgoing", document)
    return _step(actor, document, Action.APPROVE, _text(note, "note", required=False))


@transaction.atomic
def send_back(*, actor: Staff, document_id: int, reason: str, expected_version: int | None = None) -> Document:
    """A reviewer or approver returns the draft to its author with the reason."""
    document = _outgoing(actor, document_id, expected_version)
    reviewer = (document.state == State.IN_REVIEW and document.drafting_division_id is not None
                and can(actor, "documents.review_outgoing") and _leads(actor, document.drafting_division_id))
    if not reviewer:
        ensure_can(actor, "documents.approve_outgoing", document)
    return _step(actor, document, Action.SEND_BACK, _text(reason, "note"))


@use_case
def revise_draft(*, actor: Staff, document_id: int, file: Upload, expected_version: int | None = None) -> Document:
    """The author replaces the draft's PDF (after it was sent back); earlier versions stay in the history."""
    document = _outgoing(actor, document_id, expected_version)
    if document.created_by_id != actor.pk or document.state != State.DRAFT:
        raise _refuse(ErrorCode.INVALID_STATE, "Chỉ người soạn sửa được dự thảo khi dự thảo ở trạng thái Dự thảo.")
    (upload, checked), = check_files([file], ("pdf",))
    stored = _store_upload(document, actor, DocumentFile.Kind.MAIN, upload, checked)
    _save(document, "state")
    _event(document, actor, "revise", before=document.state, note=upload.name)
    _audit(actor, "documents.outgoing.revise", document, file=stored.sha256)
    _after_commit_extract([stored])
    return document


def main_file(document: Document) -> DocumentFile | None:
    """The latest version of the document itself: the issued and signed PDF if any, else the latest draft."""
    files = list(document.files.filter(kind__in=[DocumentFile.Kind.MAIN, DocumentFile.Kind.SIGNED])
                 .order_by("-uploaded_at", "-id"))
    signed = [f for f in files if f.kind == DocumentFile.Kind.SIGNED]
    return (signed or files or [None])[0]


def _signing_key():
    from motcua.documents import signing

    key = signing.configured_key()
    if key is None:
        raise _refuse(ErrorCode.INVALID_STATE, "Chưa cấu hình chứng thư số của cơ quan (SIGNING_CERT_FILE, "
                                               "SIGNING_KEY_FILE); không thể ký số.")
    return key


def _position(actor: Staff) -> str:
    assignment = current_assignment(actor)
    return assignment.position.name if assignment and assignment.position_id else ""


@use_case
def sign(*, actor: Staff, document_id: int, expected_version: int | None = None) -> Document:
    """The agency leader signs the approved PDF (PAdES, visible signature block)."""
    from motcua.documents import signing

    document = _outgoing(actor, document_id, expected_version)
    ensure_can(actor, "documents.approve_outgoing", document)
    _transition(document, Action.SIGN)
    source = main_file(document)
    if source is None or source.content_type != "application/pdf":
        raise _refuse(ErrorCode.INVALID_STATE, "Dự thảo chưa có tệp PDF để ký.")
    with source.file.open("rb") as fh:
        data = fh.read()
    try:
        signed = signing.sign_pdf(data, key=_signing_key(), signer_name=actor.full_name, position=_position(actor),
                                  agency_name=actor.agency.name, reason="Ký ban hành văn bản")
    except signing.SigningError as exc:
        raise _refuse(ErrorCode.INVALID, str(exc)) from None
    store_bytes(document, actor, DocumentFile.Kind.SIGNED, "van-ban-da-ky.pdf", signed, "application/pdf")
    document.signer_name, document.signer_position = actor.full_name, _position(actor)
    _save(document, "signer_name", "signer_position")
    return _step(actor, document, Action.SIGN)


@use_case
def issue(*, actor: Staff, document_id: int, division_ids: Sequence[int] = (),
          external: Sequence[tuple[str, str]] = (), expected_version: int | None = None) -> Document:
    """The clerk gives the signed document its number and symbol (next of the year), stamps them with the
    agency's signature, and sends it to the divisions and outside recipients (name, identifier)."""
    from motcua.documents import signing

    document = _outgoing(actor, document_id, expected_version)
    ensure_can(actor, "documents.issue_outgoing", document)
    _transition(document, Action.ISSUE)
    if not division_ids and not external:
        raise _refuse(ErrorCode.INVALID, "Hãy chọn ít nhất một nơi nhận.", field="recipients")
    now = clock.now()
    today = timezone.localdate(now)
    _take_number(document, today)
    division_code = document.drafting_division.code if document.drafting_division else ""
    document.symbol = numbering.symbol(document.number, type_abbreviation=document.doc_type.abbreviation,
                                       agency_short=actor.agency.short_name, division_code=division_code)
    document.issued_on, document.issued_at = today, now
    source = main_file(document)
    assert source is not None  # signed in the previous step
    with source.file.open("rb") as fh:
        data = fh.read()
    try:
        stamped = signing.sign_pdf(data, key=_signing_key(), signer_name=actor.agency.name,
                                   position=f"Số: {document.symbol}, ngày {today:%d/%m/%Y}",
                                   agency_name=actor.agency.name, reason=f"Phát hành văn bản số {document.symbol}")
    except signing.SigningError as exc:
        raise _refuse(ErrorCode.INVALID, str(exc)) from None
    store_bytes(document, actor, DocumentFile.Kind.SIGNED, f"{document.symbol.replace('/', '-')}.pdf", stamped,
                "application/pdf")
    for division_id in dict.fromkeys(division_ids):
        division = _division(document.agency_id, division_id)
        Distribution.objects.create(document=document, agency_id=document.agency_id,
                                    channel=Distribution.Channel.INTERNAL, division=division,
                                    recipient_name=division.name, sent_at=now, sent_by=actor)
    for name, identifier in external:
        name = " ".join(name.split())
        if not name:
            continue
        Distribution.objects.create(document=document, agency_id=document.agency_id,
                                    channel=Distribution.Channel.EDXML if identifier else Distribution.Channel.PAPER,
                                    recipient_name=name[:255], recipient_identifier=identifier[:35], sent_at=now,
                                    sent_by=actor)
    _save(document, "register", "number", "symbol", "issued_on", "issued_at")
    return _step(actor, document, Action.ISSUE, document.symbol)


# --------------------------------------------------------------------------------------------------------
# Work files


@transaction.atomic
def open_case_file(*, actor: Staff, code: str, title: str, retention_years: int | None = None,
                   opened_on: dt.date | None = None) -> CaseFile:
    code, title = " ".join((code or "").split()), " ".join((title or "").split())
    if not code or len(code) > 40:
        raise _refuse(ErrorCode.INVALID, "Hãy nhập số, ký hiệu hồ sơ (tối đa 40 ký tự).", field="code")
    if not title or len(title) > 500:
        raise _refuse(ErrorCode.INVALID, "Hãy nhập tiêu đề hồ sơ (tối đa 500 ký tự).", field="title")
    if retention_years is not None and not 1 <= retention_years <= 100:
        raise _refuse(ErrorCode.INVALID, "Thời hạn bảo quản từ 1 đến 100 năm, hoặc để trống (vĩnh viễn).",
                      field="retention_years")
    opened_on = opened_on or timezone.localdate(clock.now())
    if CaseFile.objects.filter(agency_id=actor.agency_id, year=opened_on.year, code=code).exists():
        raise _refuse(ErrorCode.CONFLICT, f"Năm {opened_on.year} đã có hồ sơ số {code}.", field="code")
    assignment = current_assignment(actor)
    case_file = CaseFile.objects.create(agency_id=actor.agency_id, code=code, title=title, owner=actor,
                                        division=assignment.division if assignment else None, year=opened_on.year,
                                        opened_on=opened_on, retention_years=retention_years)
    _audit(actor, "documents.casefile.open", case_file, code=code, title=title)
    return case_file


def access_case_file(actor: Staff, case_file_id: int, *, for_update: bool = False) -> CaseFile:
    """The owner, leaders of the owner's division and those who see all correspondence."""
    rows = CaseFile.objects.select_for_update() if for_update else CaseFile.objects
    try:
        case_file = rows.get(pk=case_file_id, agency_id=actor.agency_id)
    except CaseFile.DoesNotExist:
        raise _refuse(ErrorCode.NOT_FOUND, "Không tìm thấy hồ sơ công việc.") from None
    if case_file.owner_id == actor.pk or can(actor, "documents.view_all_documents"):
        return case_file
    if case_file.division_id and _leads(actor, case_file.division_id) and can(actor, "documents.assign_document"):
        return case_file
    raise _refuse(ErrorCode.NOT_FOUND, "Không tìm thấy hồ sơ công việc.")


def _own_open(actor: Staff, case_file_id: int) -> CaseFile:
    case_file = access_case_file(actor, case_file_id, for_update=True)
    if case_file.owner_id != actor.pk:
        raise _refuse(ErrorCode.FORBIDDEN, "Chỉ người lập hồ sơ được thay đổi hồ sơ.")
    if case_file.status != CaseFile.Status.OPEN:
        raise _refuse(ErrorCode.INVALID_STATE, "Hồ sơ đã đóng.")
    return case_file


@transaction.atomic
def file_document(*, actor: Staff, case_file_id: int, document_id: int) -> CaseFile:
    """Put a document the actor may see into the actor's open work file; an issued outgoing one is archived."""
    case_file = _own_open(actor, case_file_id)
    document = access_document(actor, document_id, for_update=True)
    if CaseFileDocument.objects.filter(case_file=case_file, document=document).exists():
        raise _refuse(ErrorCode.CONFLICT, "Văn bản đã có trong hồ sơ này.")
    CaseFileDocument.objects.create(case_file=case_file, document=document, added_at=clock.now(), added_by=actor)
    if document.direction == Direction.OUTGOING and document.state == State.ISSUED:
        _step(actor, document, Action.ARCHIVE, f"Hồ sơ {case_file.code}")
    _audit(actor, "documents.casefile.add", case_file, document_id=document.pk)
    return case_file


@transaction.atomic
def close_case_file(*, actor: Staff, case_file_id: int, closed_on: dt.date | None = None) -> CaseFile:
    case_file = _own_open(actor, case_file_id)
    closed_on = closed_on or timezone.localdate(clock.now())
    if closed_on < case_file.opened_on:
        raise _refuse(ErrorCode.INVALID, "Ngày đóng hồ sơ không được trước ngày mở.", field="closed_on")
    case_file.status, case_file.closed_on = CaseFile.Status.CLOSED, closed_on
    case_file.version += 1
    case_file.save(update_fields=["status", "closed_on", "version"])
    _audit(actor, "documents.casefile.close", case_file, closed_on=closed_on.isoformat())
    return case_file


@transaction.atomic
def archive_case_file(*, actor: Staff, case_file_id: int) -> CaseFile:
    """The clerk takes a closed work file into the agency archive: the next handover number of the year."""
    case_file = access_case_file(actor, case_file_id, for_update=True)
    ensure_can(actor, "documents.manage_registers", case_file)
    if case_file.status != CaseFile.Status.CLOSED:
        raise _refuse(ErrorCode.INVALID_STATE, "Chỉ nộp lưu hồ sơ đã đóng.")
    now = clock.now()
    case_file.archive_number = sequences.next_value(agency_id=case_file.agency_id, series="archive",
                                                    period=str(timezone.localdate(now).year))
    case_file.status, case_file.archived_at = CaseFile.Status.ARCHIVED, now
    case_file.version += 1
    case_file.save(update_fields=["archive_number", "status", "archived_at", "version"])
    _audit(actor, "documents.casefile.archive", case_file, archive_number=case_file.archive_number)
    return case_file
