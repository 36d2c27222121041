"""Incoming documents, their handling and the registers (pages).

Thin: every read goes through ``access.visible``/``access_document`` (a document the person may not see is
"not found", never "forbidden"), every write is one service call, and a refusal comes back as a message and
the same page with the form as it was filled. Also the download of any document's file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.contrib import messages
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core import clock
from motcua.core.errors import DomainError, ErrorCode
from motcua.core.files import Upload
from motcua.documents import registers, services, signing, states
from motcua.documents.access import NOT_FOUND, access_document, visible
from motcua.documents.forms_incoming import AssignForm, CompleteForm, DirectForm, ProgressForm, RegisterForm
from motcua.documents.models import (
    Document,
    DocumentFile,
    DocumentTask,
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
    Register,
    RegisterPrint,
    Urgency,
)
from motcua.documents.states import Direction, State, TaskRole, TaskState
from motcua.org import calendars
from motcua.org.access import can, current_assignment
from motcua.org.models import Assignment, Division, Staff
from motcua.org.pages import staff_page

PAGE_SIZE = 50
COUNT_CAP = 1000
REPLY_MONTHS = 6
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


def _staff(request: HttpRequest) -> Staff:
    return request.staff  # type: ignore[attr-defined]


def _not_found() -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, NOT_FOUND)


# --------------------------------------------------------------------------------------------------------
# The list


class Queue(StrEnum):
    DIRECT = "cho-y-kien"
    DIVISION = "phong"
    MINE = "cua-toi"
    ALL = "tat-ca"


QUEUE_LABELS = {  # translated when shown
    Queue.DIRECT: gettext_noop("Chờ cho ý kiến"),
    Queue.DIVISION: gettext_noop("Phòng được giao"),
    Queue.MINE: gettext_noop("Việc của tôi"),
    Queue.ALL: gettext_noop("Tất cả"),
}


@dataclass(frozen=True)
class Viewer:
    """Who is looking, asked once per request: the queues and actions offered follow from it."""

    staff: Staff
    division_id: int | None
    directs: bool
    leads_division: bool  # may assign the work of ``division_id``
    handles: bool

    @classmethod
    def of(cls, staff: Staff) -> Viewer:
        assignment = current_assignment(staff)
        division_id = assignment.division_id if assignment else None
        return cls(staff=staff, division_id=division_id, directs=can(staff, "documents.direct_document"),
                   leads_division=bool(division_id) and can(staff, "documents.assign_document"),
                   handles=can(staff, "documents.handle_document"))

    def queues(self) -> list[Queue]:
        offered = [Queue.DIRECT] if self.directs else []
        offered += [Queue.DIVISION] if self.leads_division else []
        offered += [Queue.MINE] if self.handles else []
        return [*offered, Queue.ALL]

    def leads(self, division_id: int) -> bool:
        return self.leads_division and self.division_id == division_id


def _queue_filter(viewer: Viewer, queue: Queue) -> Q:
    if queue is Queue.DIRECT:
        return Q(state=State.REGISTERED)
    open_tasks = DocumentTask.objects.filter(agency_id=viewer.staff.agency_id).exclude(state=TaskState.DONE)
    if queue is Queue.DIVISION:
        return Q(pk__in=open_tasks.filter(division_id=viewer.division_id).values("document_id"))
    if queue is Queue.MINE:
        return Q(pk__in=open_tasks.filter(assignee=viewer.staff).values("document_id"))
    return Q()


def _filters(request: HttpRequest) -> dict[str, str]:
    year = request.GET.get("nam", "")
    return {"year": year if re.fullmatch(r"\d{4}", year) else "", "type": request.GET.get("loai", "")[:40],
            "urgency": request.GET.get("do-khan", "") if request.GET.get("do-khan") in Urgency.values else "",
            "q": " ".join(request.GET.get("q", "").split())[:100]}


def _filtered(documents: QuerySet[Document], filters: dict[str, str]) -> QuerySet[Document]:
    if filters["year"]:
        documents = documents.filter(register__year=int(filters["year"]))
    if filters["type"]:
        documents = documents.filter(doc_type__code=filters["type"])
    if filters["urgency"]:
        documents = documents.filter(urgency=filters["urgency"])
    if q := filters["q"]:  # a plain look-up; the full-text search is its own page
        documents = documents.filter(Q(summary__icontains=q) | Q(symbol__icontains=q) | Q(sender_name__icontains=q))
    return documents


@staff_page
def incoming_list(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.of(_staff(request))
    queues = viewer.queues()
    try:
        queue = Queue(request.GET.get("ds", ""))
    except ValueError:
        queue = queues[0]
    if queue not in queues:
        queue = queues[0]
    filters = _filters(request)
    incoming = visible(viewer.staff, IncomingDocument.objects.all())
    documents = _filtered(incoming.filter(_queue_filter(viewer, queue)), filters)
    cursor = request.GET.get("sau", "")
    page = documents.filter(pk__lt=int(cursor)) if cursor.isdigit() else documents
    rows = list(page.select_related("doc_type", "register").prefetch_related(
        Prefetch("tasks", queryset=DocumentTask.objects.select_related("division", "assignee")))
        .order_by("-pk")[:PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    for document in rows:
        tasks = list(document.tasks.all())
        document.lead_task = next((t for t in tasks if t.role == TaskRole.LEAD), None)
        document.my_task = next((t for t in tasks if t.state != TaskState.DONE and (
            t.assignee_id == viewer.staff.pk or (queue is Queue.DIVISION and t.division_id == viewer.division_id))),
            None)
    counts = {q: incoming.filter(_queue_filter(viewer, q))[:COUNT_CAP].count()
              for q in queues if q is not Queue.ALL}
    query = request.GET.copy()
    query.pop("sau", None)
    years = (Register.objects.filter(agency_id=viewer.staff.agency_id, direction=Direction.INCOMING)
             .values_list("year", flat=True).distinct().order_by("-year"))
    return render(request, "documents/incoming/list.html", {
        "rows": rows, "next_cursor": rows[-1].pk if more else None, "queue": queue, "filters": filters,
        "queues": [(q, QUEUE_LABELS[q], counts.get(q)) for q in queues], "count_cap": COUNT_CAP,
        "query": query.urlencode(), "years": years, "urgencies": Urgency.choices,
        "doc_types": DocumentType.objects.filter(is_active=True).values_list("code", "name"),
        "calendar": calendars.calendar_for(viewer.staff.agency),
        "can_register": can(viewer.staff, "documents.register_incoming"),
        "can_registers": can(viewer.staff, "documents.manage_registers")
        or can(viewer.staff, "documents.view_all_documents"),
    })


# --------------------------------------------------------------------------------------------------------
# Registering


def _register_arguments(data: dict[str, Any]) -> dict[str, Any]:
    names = ("doc_type", "summary", "sender_name", "sender_identifier", "symbol", "issued_on", "signer_name",
             "signer_position", "urgency", "secrecy", "due_on", "received_at", "page_count", "confirm_duplicate")
    arguments = {name: data[name] for name in names}
    arguments["files"] = [Upload(f.name, f.file, f.size) for f in data["files"]]
    return arguments


@staff_page
@require_http_methods(["GET", "POST"])
def incoming_register(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    if not can(staff, "documents.register_incoming"):
        raise DomainError(ErrorCode.FORBIDDEN, _("Chỉ văn thư được vào sổ văn bản đến."))
    now = timezone.localtime(clock.now()).replace(second=0, microsecond=0)
    form = RegisterForm(request.POST or None, request.FILES or None, initial={"received_at": now},
                        doc_types=DocumentType.objects.filter(is_active=True).values_list("code", "name"))
    duplicates: list[Document] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                document = services.register_incoming(actor=staff, **_register_arguments(form.cleaned_data))
            except DomainError as error:
                status = error.http_status
                if error.code == ErrorCode.CONFLICT and error.details.get("field") == "confirm_duplicate":
                    duplicates = list(visible(staff).filter(pk__in=error.details.get("duplicate_of") or [])
                                      .select_related("register"))
                form.add_domain_error(error)
            else:
                messages.success(request, _("Đã vào sổ: số đến %(number)s.") % {"number": document.number})
                return redirect("documents:incoming-detail", pk=document.pk)
    lost_files = [f.name for f in request.FILES.getlist("files")]  # a browser cannot keep chosen files
    return render(request, "documents/incoming/register.html", {
        "form": form, "duplicates": duplicates, "lost_files": lost_files,
        "ask_duplicate": bool(duplicates) or bool(form.errors.get("confirm_duplicate")),
    }, status=status)


# --------------------------------------------------------------------------------------------------------
# The document and its handling


def _incoming(staff: Staff, pk: int) -> Document:
    document = access_document(staff, pk)
    if document.direction != Direction.INCOMING:
        raise _not_found()
    return document


def attach_signatures(files: list[DocumentFile]) -> list[DocumentFile]:
    """Each PDF's digital signatures, verified now (cheap at an agency's scale; nothing cached, so a
    revoked trust root shows at once); other files get none. Used by the outgoing pages too."""
    for f in files:
        f.signatures, f.signature_error = [], ""
        if f.content_type != "application/pdf":
            continue
        try:
            with f.file.open("rb") as fh:
                f.signatures = signing.verify_pdf(fh.read())
        except (signing.SigningError, OSError) as exc:
            f.signature_error = str(exc) if isinstance(exc, signing.SigningError) else _("Không đọc được tệp.")
    return files


def _division_choices(staff: Staff) -> list[tuple[int, str]]:
    return list(Division.objects.filter(agency_id=staff.agency_id, is_active=True).values_list("pk", "name"))


def _people(division_id: int) -> list[tuple[int, str]]:
    seen: dict[int, str] = {}
    for a in (Assignment.objects.current().filter(division_id=division_id, staff__is_active=True)
              .select_related("staff", "position").order_by("staff__full_name")):
        seen.setdefault(a.staff_id, f"{a.staff.full_name} — {a.position.name}")
    return list(seen.items())


def _replies(staff: Staff) -> list[tuple[int, str]]:
    since = clock.now() - dt.timedelta(days=31 * REPLY_MONTHS)
    rows = (visible(staff, OutgoingDocument.objects.filter(created_at__gte=since)).order_by("-pk")
            .values_list("pk", "symbol", "summary")[:200])
    return [(pk, f"{symbol or _('(chưa có số)')} — {summary[:90]}") for pk, symbol, summary in rows]


def _may_direct(viewer: Viewer, document: Document, tasks: list[DocumentTask]) -> bool:
    """As ``services.direct`` decides: before anyone was given the work, the leader may (re-)direct."""
    return viewer.directs and states.may_direct(document.state, [(t.role, t.state) for t in tasks])


@dataclass
class TaskActions:
    task: DocumentTask
    assign: AssignForm | None
    progress: ProgressForm | None
    complete: CompleteForm | None
    open: str = ""  # the action whose panel shows a refused form


Bound = tuple[str, int | None, Any]


def _task_actions(viewer: Viewer, tasks: list[DocumentTask], bound: Bound | None) -> list[TaskActions]:
    """The forms each open task offers this person: the division leader assigns; the assignee (or the leader)
    records progress and completes. A refused form comes back as it was filled."""
    out: list[TaskActions] = []
    replies: list[tuple[int, str]] | None = None
    for task in tasks:
        if task.state == TaskState.DONE:
            continue
        leads = viewer.leads(task.division_id)
        works = leads or task.assignee_id == viewer.staff.pk
        if not works:
            continue
        if replies is None:
            replies = _replies(viewer.staff)
        mine = bound if bound and bound[1] == task.pk else None
        actions = TaskActions(task=task, assign=None, progress=None, complete=None, open=mine[0] if mine else "")
        if leads:
            actions.assign = (mine[2] if mine and mine[0] == "assign"
                              else AssignForm(prefix=f"assign-{task.pk}", people=_people(task.division_id)))
        actions.progress = mine[2] if mine and mine[0] == "progress" else ProgressForm(prefix=f"progress-{task.pk}")
        actions.complete = (mine[2] if mine and mine[0] == "complete"
                            else CompleteForm(prefix=f"complete-{task.pk}", replies=replies))
        out.append(actions)
    return out


def _detail_page(request: HttpRequest, pk: int, *, bound: Bound | None = None, status: int = 200) -> HttpResponse:
    viewer = Viewer.of(_staff(request))
    document = _incoming(viewer.staff, pk)
    tasks = list(document.tasks.select_related("division", "assignee"))
    direct_form = None
    if _may_direct(viewer, document, tasks):
        direct_form = (bound[2] if bound and bound[0] == "direct"
                       else DirectForm(prefix="direct", divisions=_division_choices(viewer.staff)))
    return render(request, "documents/incoming/detail.html", {
        "d": document, "tasks": tasks,
        "files": attach_signatures(list(document.files.all())),
        "events": list(document.events.select_related("actor")),
        "direct_form": direct_form, "direct_open": bool(bound and bound[0] == "direct"),
        "task_actions": _task_actions(viewer, tasks, bound),
        "calendar": calendars.calendar_for(viewer.staff.agency),
    }, status=status)


@staff_page
def incoming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


ACTION_LABELS = {  # translated when shown
    "direct": gettext_noop("Cho ý kiến chỉ đạo"),
    "assign": gettext_noop("Phân công xử lý"),
    "progress": gettext_noop("Cập nhật tiến độ"),
    "complete": gettext_noop("Hoàn thành xử lý"),
}


def _run(action: str, staff: Staff, document: Document, task: DocumentTask | None, data: dict[str, Any],
         version: int | None) -> None:
    if action == "direct":
        services.direct(actor=staff, document_id=document.pk, note=data["note"],
                        lead_division_id=data["lead_division"], coordinating_ids=data["coordinating"],
                        informed_ids=data["informed"], due_on=data["due_on"], expected_version=version)
        return
    assert task is not None
    if action == "assign":
        services.assign(actor=staff, task_id=task.pk, assignee_id=data["assignee"], due_on=data["due_on"])
    elif action == "progress":
        services.record_progress(actor=staff, task_id=task.pk, note=data["note"])
    else:
        services.complete_task(actor=staff, task_id=task.pk, note=data["note"], reply_id=data["reply"])


@staff_page
@require_POST
def incoming_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    staff = _staff(request)
    document = _incoming(staff, pk)
    if action not in ACTION_LABELS:
        raise Http404
    task = None
    if action != "direct":
        task_id = request.POST.get("task", "")
        task = document.tasks.filter(pk=int(task_id)).first() if task_id.isdigit() else None
        if task is None:
            raise _not_found()
    prefix = f"{action}-{task.pk}" if task else "direct"
    form: Any
    if action == "direct":
        form = DirectForm(request.POST, prefix=prefix, divisions=_division_choices(staff))
    elif action == "assign":
        assert task is not None
        form = AssignForm(request.POST, prefix=prefix, people=_people(task.division_id))
    elif action == "progress":
        form = ProgressForm(request.POST, prefix=prefix)
    else:
        form = CompleteForm(request.POST, prefix=prefix, replies=_replies(staff))
    label = _(ACTION_LABELS[action])
    bound = (action, task.pk if task else None, form)
    version = request.POST.get("version", "")
    stale_page = action == "direct" and not version.isdigit()  # only the direction is version-checked
    if not form.is_valid() or stale_page:
        if stale_page:
            form.add_error(None, _("Thiếu phiên bản văn bản: hãy tải lại trang."))
        messages.error(request, _("%(action)s: hãy sửa các mục được đánh dấu bên dưới.") % {"action": label})
        return _detail_page(request, pk, bound=bound, status=400)
    try:
        _run(action, staff, document, task, form.cleaned_data, int(version) if version.isdigit() else None)
    except DomainError as error:
        messages.error(request, f"{label}: {error.message}")
        form.add_domain_error(error)
        return _detail_page(request, pk, bound=bound, status=error.http_status)
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": label})
    return redirect("documents:incoming-detail", pk=pk)


# --------------------------------------------------------------------------------------------------------
# Files of any document


def _safe_filename(name: str) -> str:
    """The name the file was uploaded under, without path separators or control characters."""
    cleaned = re.sub(r"[\x00-\x1f\x7f/\\]+", "_", name).strip(" .") or "tep"
    return cleaned[:150]


@staff_page
def document_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """A file of a document the person may see, under its own name (never the path it is stored at). A PDF or
    picture opens in the browser; anything else downloads."""
    document = access_document(_staff(request), pk)
    stored = DocumentFile.objects.filter(pk=file_id, document_id=document.pk).first()
    if stored is None:
        raise _not_found()
    try:
        handle = stored.file.open("rb")
    except OSError:
        raise _not_found() from None
    response = FileResponse(handle, as_attachment=stored.content_type not in INLINE_TYPES,
                            filename=_safe_filename(stored.name), content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------------------------------------
# Registers


@staff_page
def register_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    if not (can(staff, "documents.manage_registers") or can(staff, "documents.view_all_documents")):
        raise DomainError(ErrorCode.FORBIDDEN, _("Chỉ văn thư và lãnh đạo cơ quan xem được sổ đăng ký văn bản."))
    rows = Register.objects.filter(agency_id=staff.agency_id).select_related("closed_by")
    if not can(staff, "documents.view_secret_documents"):
        rows = rows.filter(secret=False)
    rows = list(rows.annotate(count=Count("documents"), first=Min("documents__number"),
                              last=Max("documents__number")).order_by("-year", "direction", "secret"))
    latest: dict[int, RegisterPrint] = {}
    for job in RegisterPrint.objects.filter(register__in=rows, month__isnull=True).order_by("-requested_at", "-id"):
        latest.setdefault(job.register_id, job)
    for r in rows:
        r.latest_print = latest.get(r.pk)
    return render(request, "documents/registers/list.html", {
        "registers": rows, "can_close": can(staff, "documents.manage_registers"), "months": range(1, 13),
        "this_month": timezone.localdate().month,
    })


@staff_page
def register_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One month of a register, laid out now (a few seconds); a whole year is printed in the background."""
    register = services.access_register(_staff(request), pk)
    month_text = request.GET.get("thang", "")
    if not (month_text.isdigit() and 1 <= int(month_text) <= 12):
        raise DomainError(ErrorCode.INVALID, _("Hãy chọn tháng cần in; sổ cả năm được in ở chế độ nền."))
    month = int(month_text)
    pdf, _rows = registers.register_pdf(register, month)
    return _pdf_response(pdf, registers.filename(register, month))


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_page
@require_http_methods(["POST"])
def register_print(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    try:
        services.request_register_print(actor=staff, register_id=pk)
    except DomainError as error:
        if error.code in {ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN}:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đang in sổ cả năm ở chế độ nền (một sổ vài nghìn văn bản mất một đến hai "
                                    "phút); tải lại trang này để lấy bản in."))
    return redirect("documents:registers")


@staff_page
def register_print_file(request: HttpRequest, pk: int, print_id: int) -> HttpResponse:
    register = services.access_register(_staff(request), pk)
    job = RegisterPrint.objects.filter(pk=print_id, register=register).exclude(file="").first()
    if job is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("Bản in chưa có hoặc không tồn tại."))
    with job.file.open("rb") as fh:
        return _pdf_response(fh.read(), registers.filename(register, job.month))


@staff_page
@require_http_methods(["GET", "POST"])
def register_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Closing is asked for on a page of its own: it cannot be undone."""
    staff = _staff(request)
    register = services.access_register(staff, pk)
    if not can(staff, "documents.manage_registers"):
        raise DomainError(ErrorCode.FORBIDDEN, _("Chỉ văn thư khóa được sổ đăng ký văn bản."))
    if request.method == "POST":
        try:
            services.close_register(actor=staff, register_id=register.pk)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã khóa %(register)s.") % {"register": register})
        return redirect("documents:registers")
    return render(request, "documents/registers/close.html", {
        "register": register, "count": register.documents.count()})


urlpatterns = [
    path("den/", incoming_list, name="incoming-list"),
    path("den/vao-so/", incoming_register, name="incoming-register"),
    path("den/<int:pk>/", incoming_detail, name="incoming-detail"),
    path("den/<int:pk>/thao-tac/<str:action>/", incoming_action, name="incoming-action"),
    path("<int:pk>/tep/<int:file_id>/", document_file, name="file"),
    path("so/", register_list, name="registers"),
    path("so/<int:pk>.pdf", register_pdf, name="register-pdf"),
    path("so/<int:pk>/in/", register_print, name="register-print"),
    path("so/<int:pk>/ban-in/<int:print_id>.pdf", register_print_file, name="register-print-file"),
    path("so/<int:pk>/khoa/", register_close, name="register-close"),
]
