"""Outgoing documents, their signatures, electronic exchange (edXML) and work files (pages).

Thin adapters: every read goes through ``access`` (what the person may see), every write is a service call,
and a refusal (``DomainError``) is shown on the page with nothing changed. A successful action redirects
(post/redirect/get); a refused one shows the page again with the form as the person filled it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import DomainError, ErrorCode
from motcua.core.files import Upload
from motcua.documents import exchange, services
from motcua.documents import forms_outgoing as forms
from motcua.documents.access import access_document, visible
from motcua.documents.models import CaseFile, Document, DocumentType
from motcua.documents.states import ACTION_LABELS, OPEN_INCOMING, OPEN_OUTGOING, PUBLISHED, Action, Direction, State
from motcua.documents.views_incoming import attach_signatures
from motcua.org.access import can, current_assignment
from motcua.org.models import Division, Staff
from motcua.org.pages import staff_page

PAGE_SIZE = 50


def _staff(request: HttpRequest) -> Staff:
    return request.staff  # type: ignore[attr-defined]


def _upload(file: Any) -> Upload:
    return Upload(name=file.name, stream=file.file, size=file.size)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _division_id(staff: Staff) -> int | None:
    assignment = current_assignment(staff)
    return assignment.division_id if assignment else None


# --------------------------------------------------------------------------------------------------------
# The list of outgoing documents, by queue


QUEUE_LABELS = {
    "mine": gettext_noop("Dự thảo của tôi"),
    "review": gettext_noop("Chờ tôi duyệt"),
    "approve": gettext_noop("Chờ phê duyệt / ký"),
    "issue": gettext_noop("Chờ cấp số, phát hành"),
    "issued": gettext_noop("Đã phát hành"),
}


def queues_for(staff: Staff) -> list[str]:
    """The queues a person's role gives, most pressing work first."""
    out = []
    if can(staff, "documents.issue_outgoing"):
        out.append("issue")
    if can(staff, "documents.approve_outgoing"):
        out.append("approve")
    if can(staff, "documents.review_outgoing"):
        out.append("review")
    if can(staff, "documents.draft_outgoing"):
        out.append("mine")
    out.append("issued")
    return out


def _queue_filter(staff: Staff, queue: str) -> Q:
    if queue == "mine":
        return Q(created_by=staff, state__in=list(OPEN_OUTGOING))
    if queue == "review":
        return Q(state=State.IN_REVIEW, drafting_division_id=_division_id(staff) or -1)
    if queue == "approve":
        return Q(state__in=[State.REVIEWED, State.APPROVED])
    if queue == "issue":
        return Q(state=State.SIGNED)
    return Q(state__in=list(PUBLISHED))


@dataclass
class ListFilters:
    q: str = ""
    doc_type: str = ""
    year: int | None = None


def outgoing_rows(staff: Staff, queue: str, filters: ListFilters,
                  after: int | None) -> tuple[list[Document], int | None]:
    """One page of a queue, newest first, keyset-paginated on the id; one query with the permission filter."""
    rows: QuerySet[Document] = visible(staff, Document.objects.filter(direction=Direction.OUTGOING))
    rows = rows.filter(_queue_filter(staff, queue))
    if filters.q:
        rows = rows.filter(Q(summary__icontains=filters.q) | Q(symbol__icontains=filters.q))
    if filters.doc_type:
        rows = rows.filter(doc_type__code=filters.doc_type)
    if filters.year:
        rows = rows.filter(issued_on__year=filters.year) if queue == "issued" else rows.filter(
            created_at__year=filters.year)
    if after:
        rows = rows.filter(pk__lt=after)
    page = list(rows.select_related("doc_type", "created_by", "drafting_division").order_by("-pk")[:PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    return page, (page[-1].pk if more else None)


@staff_page
def outgoing_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    queues = queues_for(staff)
    queue = request.GET.get("ds", "")
    if queue not in queues:
        queue = queues[0]
    year = _int(request.GET.get("nam"))
    filters = ListFilters(q=request.GET.get("q", "").strip()[:100], doc_type=request.GET.get("loai", "")[:40],
                          year=year if year and 1990 <= year <= 2999 else None)
    rows, next_cursor = outgoing_rows(staff, queue, filters, _int(request.GET.get("sau")))
    query = request.GET.copy()
    query.pop("sau", None)
    this_year = timezone.localdate().year
    return render(request, "documents/outgoing/list.html", {
        "rows": rows, "next_cursor": next_cursor, "query": query.urlencode(), "queue": queue,
        "queues": [(q, QUEUE_LABELS[q]) for q in queues], "filters": filters,
        "types": DocumentType.objects.filter(is_active=True).values_list("code", "name"),
        "years": range(this_year, this_year - 6, -1),
        "can_draft": can(staff, "documents.draft_outgoing"),
        "can_import": can(staff, "documents.exchange_documents"),
    })


# --------------------------------------------------------------------------------------------------------
# A new draft


def _reply_choices(staff: Staff, prefill: int | None) -> list[tuple[int, str]]:
    """Incoming documents still being handled that the author may see (and the one the page came from)."""
    rows = visible(staff, Document.objects.filter(direction=Direction.INCOMING))
    wanted = Q(state__in=list(OPEN_INCOMING))
    if prefill:
        wanted |= Q(pk=prefill)
    found = rows.filter(wanted).select_related("register").order_by("-pk")[:200]
    return [(d.pk, f"{_('Số đến')} {d.number}/{d.register.year if d.register else ''} — {d.symbol} — "
                   f"{d.summary[:80]}") for d in found]


@staff_page
@require_http_methods(["GET", "POST"])
def outgoing_new(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    if not can(staff, "documents.draft_outgoing"):
        raise DomainError(ErrorCode.FORBIDDEN, _("Bạn không được giao soạn văn bản đi."))
    prefill = _int(request.GET.get("tra-loi") or request.POST.get("reply_to"))
    choices = _reply_choices(staff, prefill)
    initial: dict[str, Any] = {}
    if prefill and any(pk == prefill for pk, _label in choices):
        initial["reply_to"] = prefill
        replied = Document.objects.get(pk=prefill)
        initial["summary"] = _("V/v trả lời văn bản số %(symbol)s") % {"symbol": replied.symbol}
        initial["recipients_text"] = replied.sender_name
        initial["doc_type"] = "cong-van"
    form = forms.DraftForm(request.POST or None, request.FILES or None, initial=initial, reply_choices=choices)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.create_draft(
                    actor=staff, doc_type=data["doc_type"], summary=data["summary"],
                    recipients_text=data["recipients_text"], body=data["body"],
                    file=_upload(data["file"]) if data["file"] else None,
                    attachments=[_upload(f) for f in data["attachments"]], urgency=data["urgency"],
                    secrecy=data["secrecy"], reply_to_id=data["reply_to"], copies=data["copies"])
            except DomainError as error:
                form.add_domain_error(error)
                status = error.http_status
            else:
                messages.success(request, _("Đã tạo dự thảo. Kiểm tra tệp dự thảo rồi trình lãnh đạo phòng."))
                return redirect("documents:outgoing-detail", pk=document.pk)
    lost = [f.name for f in request.FILES.values()] if request.method == "POST" else []
    return render(request, "documents/outgoing/new.html", {
        "form": form, "lost_files": lost, "max_mb": settings.DOCUMENT_MAX_UPLOAD_BYTES // (1024 * 1024),
    }, status=status)


# --------------------------------------------------------------------------------------------------------
# One outgoing document and its actions

ACTION_TEXT = {**{a.value: ACTION_LABELS[a] for a in Action}, "revise": gettext_noop("Sửa dự thảo (tải lên bản mới)")}
CONFIRM = {"sign", "issue", "send_back"}
PAGE_ACTIONS = ("submit", "revise", "review", "approve", "send_back", "sign", "issue")


def available_actions(staff: Staff, document: Document) -> list[str]:
    """What the person may do to the document now (the services decide again when it is done)."""
    state = document.state
    author = document.created_by_id == staff.pk
    division_id = _division_id(staff)
    leads = (division_id is not None and division_id == document.drafting_division_id
             and can(staff, "documents.review_outgoing"))
    approver = can(staff, "documents.approve_outgoing")
    found = []
    if state == State.DRAFT and author:
        found += ["submit", "revise"]
    if state == State.IN_REVIEW and leads:
        found += ["review", "send_back"]
    if state == State.REVIEWED and approver:
        found += ["approve", "send_back"]
    if state == State.APPROVED and approver:
        found += ["sign", "send_back"]
    if state == State.SIGNED and can(staff, "documents.issue_outgoing"):
        found.append("issue")
    return found


def _division_choices(agency_id: int) -> list[tuple[int, str]]:
    return list(Division.objects.filter(agency_id=agency_id, is_active=True).order_by("name").values_list("pk", "name"))


def _action_form(action: str, staff: Staff, data: Any = None, files: Any = None) -> Any:
    prefix = action
    if action in {"review", "approve"}:
        return forms.NoteForm(data, prefix=prefix)
    if action == "send_back":
        return forms.ReasonForm(data, prefix=prefix)
    if action == "revise":
        return forms.ReviseForm(data, files, prefix=prefix)
    if action == "sign":
        return forms.SignForm(data, prefix=prefix)
    if action == "issue":
        return forms.IssueForm(data, prefix=prefix, division_choices=_division_choices(staff.agency_id))
    if action == "submit":
        return forms.EmptyForm(data, prefix=prefix)
    raise Http404


def _run(action: str, staff: Staff, document_id: int, version: int, data: dict[str, Any]) -> Document:
    common = {"actor": staff, "document_id": document_id, "expected_version": version}
    if action == "submit":
        return services.submit(**common)
    if action == "review":
        return services.review(**common, note=data["note"])
    if action == "approve":
        return services.approve(**common, note=data["note"])
    if action == "send_back":
        return services.send_back(**common, reason=data["reason"])
    if action == "revise":
        return services.revise_draft(**common, file=_upload(data["file"]))
    if action == "sign":
        return services.sign(**common)
    if action == "issue":
        return services.issue(**common, division_ids=data["divisions"], external=data["external"])
    raise Http404


def _my_open_case_files(staff: Staff) -> list[tuple[int, str]]:
    rows = CaseFile.objects.filter(agency_id=staff.agency_id, owner=staff, status=CaseFile.Status.OPEN)
    return [(c.pk, f"{c.code} — {c.title[:80]}") for c in rows.order_by("-year", "code")[:200]]


def _detail(request: HttpRequest, pk: int, *, bound: tuple[str, Any] | None = None, status: int = 200,
            lost_files: list[str] | None = None) -> HttpResponse:
    staff = _staff(request)
    document = access_document(staff, pk)
    if document.direction != Direction.OUTGOING:
        raise DomainError(ErrorCode.NOT_FOUND, _("Không tìm thấy văn bản đi."))
    actions = []
    for action in available_actions(staff, document):
        form = bound[1] if bound and bound[0] == action else _action_form(action, staff)
        actions.append({"value": action, "label": ACTION_TEXT[action], "form": form,
                        "open": bool(bound and bound[0] == action), "confirm": action in CONFIRM})
    case_files = _my_open_case_files(staff)
    return render(request, "documents/outgoing/detail.html", {
        "d": document, "actions": actions,
        "files": attach_signatures(list(document.files.order_by("uploaded_at", "id"))),
        "events": document.events.select_related("actor").order_by("at", "id"),
        "distributions": document.distributions.select_related("division").order_by("id"),
        "filed_in": CaseFile.objects.filter(agency_id=staff.agency_id, documents=document).order_by("code"),
        "file_into": forms.FileIntoForm(case_file_choices=case_files) if case_files else None,
        "can_export": exchange.exportable(document) and (can(staff, "documents.exchange_documents")
                                                          or can(staff, "documents.issue_outgoing"))
        and document.distributions.filter(channel="edxml").exclude(recipient_identifier="").exists(),
        "lost_files": lost_files or [], "max_mb": settings.DOCUMENT_MAX_UPLOAD_BYTES // (1024 * 1024),
    }, status=status)


@staff_page
def outgoing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@staff_page
@require_POST
def outgoing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    staff = _staff(request)
    if action not in PAGE_ACTIONS:
        raise Http404
    form = _action_form(action, staff, request.POST, request.FILES)
    label = _(ACTION_TEXT[action])
    version = _int(request.POST.get("expected_version"))
    lost = [f.name for f in request.FILES.values()]
    if not form.is_valid() or version is None:
        if version is None:
            form.add_error(None, _("Thiếu phiên bản văn bản: hãy tải lại trang rồi thao tác lại."))
        messages.error(request, _("%(action)s: hãy sửa các mục được đánh dấu.") % {"action": label})
        return _detail(request, pk, bound=(action, form), status=400, lost_files=lost)
    try:
        document = _run(action, staff, pk, version, form.cleaned_data)
    except DomainError as error:
        if error.code == ErrorCode.NOT_FOUND:
            raise
        messages.error(request, f"{label}: {error.message}")
        form.add_domain_error(error)
        return _detail(request, pk, bound=(action, form), status=error.http_status, lost_files=lost)
    if action == "issue":
        messages.success(request, _("Đã cấp số và phát hành văn bản số %(symbol)s.") % {"symbol": document.symbol})
    else:
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": label})
    return redirect("documents:outgoing-detail", pk=pk)


@staff_page
def outgoing_edxml(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    data = exchange.export_package(actor=staff, document_id=pk)
    document = Document.objects.only("symbol").get(pk=pk)
    response = HttpResponse(data, content_type="application/xml")
    response["Content-Disposition"] = content_disposition_header(
        True, f"edxml-{document.symbol.replace('/', '-') or pk}.xml")
    return response


@staff_page
@require_POST
def file_into_case_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a document (incoming or outgoing) into one of my open work files; back to the document's page."""
    staff = _staff(request)
    document = access_document(staff, pk)
    form = forms.FileIntoForm(request.POST, case_file_choices=_my_open_case_files(staff))
    if not form.is_valid():
        messages.error(request, _("Hãy chọn một hồ sơ công việc đang mở của bạn."))
    else:
        try:
            case_file = services.file_document(actor=staff, case_file_id=form.cleaned_data["case_file"],
                                               document_id=document.pk)
        except DomainError as error:
            if error.code == ErrorCode.NOT_FOUND:
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã đưa văn bản vào hồ sơ %(code)s.") % {"code": case_file.code})
    return redirect(document)


# --------------------------------------------------------------------------------------------------------
# Receiving an edXML package


def _incoming_url(document: Document) -> str:
    try:
        return reverse("documents:incoming-detail", kwargs={"pk": document.pk})
    except NoReverseMatch:
        return reverse("documents:incoming-list")


@staff_page
@require_http_methods(["GET", "POST"])
def exchange_import(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    if not can(staff, "documents.exchange_documents"):
        raise DomainError(ErrorCode.FORBIDDEN, _("Chỉ văn thư được nhận văn bản liên thông điện tử."))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    ask_duplicate = False
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            package = form.cleaned_data["package"]
            try:
                document = exchange.import_package(actor=staff, data=package.read(),
                                                   confirm_duplicate=form.cleaned_data["confirm_duplicate"])
            except DomainError as error:
                status = error.http_status
                problems = list(error.details.get("problems") or [])
                ask_duplicate = error.details.get("field") == "confirm_duplicate"
                form.add_domain_error(error)
            else:
                messages.success(request, _("Đã vào sổ văn bản đến số %(number)s: %(symbol)s của %(sender)s.") % {
                    "number": document.number, "symbol": document.symbol, "sender": document.sender_name})
                return redirect(_incoming_url(document))
    return render(request, "documents/exchange/import.html", {
        "form": form, "problems": problems, "ask_duplicate": ask_duplicate,
        "max_mb": settings.DOCUMENT_MAX_UPLOAD_BYTES // (1024 * 1024), "agency": staff.agency,
    }, status=status)


# --------------------------------------------------------------------------------------------------------
# Work files


def _case_file_scope(staff: Staff) -> Q:
    """The work files a person may open (as ``services.access_case_file`` decides, in one filter)."""
    if can(staff, "documents.view_all_documents"):
        return Q(agency_id=staff.agency_id)
    scope = Q(owner=staff)
    division_id = _division_id(staff)
    if division_id and can(staff, "documents.assign_document"):
        scope |= Q(division_id=division_id)
    return Q(agency_id=staff.agency_id) & scope


@staff_page
def casefile_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    wide = can(staff, "documents.view_all_documents") or can(staff, "documents.assign_document")
    scope = request.GET.get("pham-vi", "")
    rows = CaseFile.objects.filter(_case_file_scope(staff))
    if scope != "tat-ca" or not wide:
        scope = "cua-toi"
        rows = rows.filter(owner=staff)
    year = _int(request.GET.get("nam"))
    status = request.GET.get("trang-thai", "")
    if year:
        rows = rows.filter(year=year)
    if status in CaseFile.Status.values:
        rows = rows.filter(status=status)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        rows = rows.filter(Q(code__icontains=q) | Q(title__icontains=q))
    after = _int(request.GET.get("sau"))
    if after:
        rows = rows.filter(pk__lt=after)
    page = list(rows.select_related("owner", "division").annotate(document_count=Count("documents"))
                .order_by("-pk")[:PAGE_SIZE + 1])
    next_cursor = page[PAGE_SIZE - 1].pk if len(page) > PAGE_SIZE else None
    query = request.GET.copy()
    query.pop("sau", None)
    this_year = timezone.localdate().year
    return render(request, "documents/casefiles/list.html", {
        "rows": page[:PAGE_SIZE], "next_cursor": next_cursor, "query": query.urlencode(), "scope": scope,
        "wide": wide, "year": year, "status": status, "q": q, "statuses": CaseFile.Status.choices,
        "years": range(this_year, this_year - 6, -1),
    })


@staff_page
@require_http_methods(["GET", "POST"])
def casefile_new(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    form = forms.CaseFileForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                case_file = services.open_case_file(actor=staff, code=data["code"], title=data["title"],
                                                    retention_years=data["retention_years"],
                                                    opened_on=data["opened_on"])
            except DomainError as error:
                form.add_domain_error(error)
                status = error.http_status
            else:
                messages.success(request, _("Đã mở hồ sơ %(code)s.") % {"code": case_file.code})
                return redirect("documents:casefile-detail", pk=case_file.pk)
    return render(request, "documents/casefiles/new.html", {"form": form}, status=status)


def _casefile_page(request: HttpRequest, pk: int, *, add_form: Any = None, status: int = 200) -> HttpResponse:
    staff = _staff(request)
    case_file = services.access_case_file(staff, pk)
    everything = Document.objects.filter(case_files=case_file)
    documents = list(visible(staff, everything).select_related("doc_type", "register").order_by("pk"))
    hidden = everything.count() - len(documents)
    owner = case_file.owner_id == staff.pk
    is_open = case_file.status == CaseFile.Status.OPEN
    return render(request, "documents/casefiles/detail.html", {
        "c": CaseFile.objects.select_related("owner", "division").get(pk=case_file.pk),
        "documents": documents, "hidden": hidden,
        "dossiers": case_file.dossier_links.select_related("dossier", "added_by").order_by("added_at", "id"),
        "can_close": owner and is_open,
        "can_archive": case_file.status == CaseFile.Status.CLOSED and can(staff, "documents.manage_registers"),
        "add_form": (add_form or forms.AddDossierForm()) if owner and is_open else None,
    }, status=status)


@staff_page
def casefile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _casefile_page(request, pk)


@staff_page
@require_POST
def casefile_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    staff = _staff(request)
    if action not in {"close", "archive"}:
        raise Http404
    case_file = services.access_case_file(staff, pk)
    version = _int(request.POST.get("expected_version"))
    try:
        if version != case_file.version:
            raise DomainError(ErrorCode.STALE, _("Hồ sơ vừa được người khác cập nhật; hãy tải lại trang rồi thao "
                                                 "tác lại."))
        if action == "close":
            services.close_case_file(actor=staff, case_file_id=pk)
            messages.success(request, _("Đã đóng hồ sơ %(code)s.") % {"code": case_file.code})
        else:
            case_file = services.archive_case_file(actor=staff, case_file_id=pk)
            messages.success(request, _("Đã nộp lưu hồ sơ %(code)s: số nộp lưu %(number)s/%(year)s.") % {
                "code": case_file.code, "number": case_file.archive_number,
                "year": timezone.localtime(case_file.archived_at).year})
    except DomainError as error:
        if error.code == ErrorCode.NOT_FOUND:
            raise
        messages.error(request, error.message)
        return _casefile_page(request, pk, status=error.http_status)
    return redirect("documents:casefile-detail", pk=pk)


@staff_page
@require_POST
def casefile_add_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    # The link between a work file and a one-stop dossier lives at the composition root (``motcua.models``); it
    # is imported here, when used, so that the documents app does not depend on the dossiers app when loaded.
    from motcua import casefile_dossiers

    staff = _staff(request)
    form = forms.AddDossierForm(request.POST)
    if form.is_valid():
        try:
            link = casefile_dossiers.add_dossier(actor=staff, case_file_id=pk,
                                                 dossier_code=form.cleaned_data["dossier_code"])
        except DomainError as error:
            if error.code == ErrorCode.NOT_FOUND and error.details.get("field") != "dossier_code":
                raise
            form.add_domain_error(error)
            return _casefile_page(request, pk, add_form=form,
                                  status=400 if error.code == ErrorCode.NOT_FOUND else error.http_status)
        messages.success(request, _("Đã thêm hồ sơ %(code)s vào hồ sơ công việc.") % {"code": link.dossier.code})
        return redirect("documents:casefile-detail", pk=pk)
    return _casefile_page(request, pk, add_form=form, status=400)


urlpatterns = [
    path("di/", outgoing_list, name="outgoing-list"),
    path("di/soan/", outgoing_new, name="outgoing-new"),
    path("di/<int:pk>/", outgoing_detail, name="outgoing-detail"),
    path("di/<int:pk>/thao-tac/<str:action>/", outgoing_action, name="outgoing-action"),
    path("di/<int:pk>/edxml", outgoing_edxml, name="outgoing-edxml"),
    path("<int:pk>/luu-ho-so/", file_into_case_file, name="document-file-into"),
    path("lien-thong/nhan/", exchange_import, name="exchange-import"),
    path("ho-so/", casefile_list, name="casefile-list"),
    path("ho-so/moi/", casefile_new, name="casefile-new"),
    path("ho-so/<int:pk>/", casefile_detail, name="casefile-detail"),
    path("ho-so/<int:pk>/thao-tac/<str:action>/", casefile_action, name="casefile-action"),
    path("ho-so/<int:pk>/ho-so-mot-cua/", casefile_add_dossier, name="casefile-add-dossier"),
]
