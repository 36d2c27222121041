"""Staff pages of the one-stop shop: the work queues, intake at the desk, the dossier with its timeline and
the forms of the actions it allows, files and printed forms. Thin: reads come from ``selectors``, every
write is a service call, and a refusal is shown next to the field it names or at the top of the page."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core import workdays
from motcua.core.errors import DomainError
from motcua.dossiers import access, applicants, forms, performers, printing, selectors, services
from motcua.dossiers.api import file_response, form_response
from motcua.dossiers.models import FormTemplate
from motcua.dossiers.selectors import QUEUE_LABELS, Queue
from motcua.dossiers.states import ACTION_LABELS, STATE_LABELS, Action, State
from motcua.org import calendars
from motcua.org.models import Staff
from motcua.org.pages import staff_page


def _actor(request: HttpRequest):
    return access.actor_of(request.staff)  # type: ignore[attr-defined]


def _flag(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


@staff_page
def dossier_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    queues = selectors.queues_for(actor)
    try:
        queue = Queue(request.GET.get("ds", "")) if request.GET.get("ds") else selectors.default_queue(actor)
    except ValueError:
        queue = selectors.default_queue(actor)
    filters = {"state": request.GET.get("trang-thai", ""), "procedure": request.GET.get("thu-tuc", "")[:60],
               "overdue": _flag(request.GET.get("qua-han", "")), "q": request.GET.get("q", "")[:100]}
    refused = False
    try:
        page = selectors.dossier_list(actor, queue=queue, cursor=request.GET.get("sau") or None, limit=50,
                                      calendar=calendars.calendar_for(request.staff.agency), **filters)  # type: ignore[attr-defined]
    except DomainError as error:
        if error.code == "forbidden" and "view_dossier" not in actor.perms:
            raise
        messages.error(request, error.message)
        page, refused = selectors.Page(rows=[], next_cursor=None, count=0, count_capped=False), True
    query = request.GET.copy()
    query.pop("sau", None)
    return render(request, "dossiers/list.html", {
        "page": page, "queue": queue, "queues": [(q, QUEUE_LABELS[q]) for q in queues], "filters": filters,
        "states": [(s.value, STATE_LABELS[s]) for s in State], "query": query.urlencode(),
        "procedures": (selectors.receivable_procedures().values_list("code", "name")
                       if queue is Queue.ALL else []),
        "refused": refused,
        "urgent_first": queue in {Queue.MINE, Queue.DIVISION, Queue.DESK} or bool(filters["overdue"]),
        "can_receive": "receive_dossier" in actor.perms, "can_log": "view_agency_dossiers" in actor.perms,
    })


def _checklist(request: HttpRequest, version) -> tuple[list[dict[str, Any]], list[services.ComponentTick],
                                                      list[tuple[int, services.Upload]]]:
    rows, ticks, files = [], [], []
    for document in version.documents.order_by("order"):
        key = str(document.pk)
        ticked = request.method == "POST" and request.POST.get(f"doc-{key}") == "on"
        count_text = request.POST.get(f"count-{key}", "") if request.method == "POST" else ""
        count = int(count_text) if count_text.isdigit() else document.count
        rows.append({"document": document, "ticked": ticked, "count": count,
                     "missing": request.method == "POST" and document.mandatory and not ticked})
        ticks.append(services.ComponentTick(document.pk, provided=ticked, count=count))
        for upload in request.FILES.getlist(f"file-{key}") if request.method == "POST" else []:
            files.append((document.pk, services.Upload(upload.name, upload.file, upload.size)))
    return rows, ticks, files


APPLICANT_FIELDS = ("channel", "type", "name", "id_number", "birth_date", "tax_code", "representative", "address",
                    "phone", "email")


@staff_page
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    staff: Staff = request.staff  # type: ignore[attr-defined]
    actor = access.actor_of(staff)
    if "receive_dossier" not in actor.perms:
        raise DomainError("forbidden", "Chỉ cán bộ bộ phận một cửa được tiếp nhận hồ sơ.")
    procedures = selectors.receivable_procedures()
    code = request.POST.get("procedure") or request.GET.get("thu-tuc", "")
    procedure = procedures.filter(code=code).first() if code else None
    if performers.one_stop_desk(staff.agency) is None:
        messages.error(request, f"{staff.agency.name} không có bộ phận một cửa tiếp nhận hồ sơ.")
        procedure = None
    version = procedure.current_version() if procedure else None
    initial = {"type": "organisation"} if procedure and not procedure.for_individuals else {}
    form = forms.IntakeForm(request.POST or None, initial=initial)
    places = selectors.intake_places(procedure.code, staff.agency_id) if procedure is not None else None
    if places is not None:
        form.set_places(**places)
    rows, ticks, files = _checklist(request, version) if version else ([], [], [])
    if request.method == "POST" and procedure and version and form.is_valid():
        data = form.cleaned_data
        intake_in = services.Intake(
            procedure_code=procedure.code, channel=data["channel"], subject=data["subject"], sets=data["sets"],
            components=tuple(ticks), files=tuple(files), resolving_agency=data["resolving_agency"],
            applicant_commune=data["applicant_commune"], delivery_agency=data["delivery_agency"],
            applicant=applicants.Applicant(type=data["type"], name=data["name"], id_number=data["id_number"],
                                           tax_code=data["tax_code"], representative=data["representative"],
                                           birth_date=data["birth_date"], address=data["address"],
                                           phone=data["phone"], email=data["email"]))
        decision = request.POST.get("decision", "receive")
        try:
            if decision == "guide":
                missing = [services.MissingItem(r["document"].name, "Chưa nộp" if not r["ticked"] else "")
                           for r in rows if not r["ticked"] and r["document"].mandatory]
                missing += [services.MissingItem(n, why) for n, why in forms.parse_items(data["other_missing"])]
                dossier = services.guide_at_desk(actor=staff, intake=intake_in, reason=data["reason"], missing=missing)
                messages.success(request, f"Đã lập phiếu hướng dẫn bổ sung cho hồ sơ {dossier.code}.")
            elif decision == "refuse":
                dossier = services.refuse_at_desk(actor=staff, intake=intake_in, reason=data["reason"])
                messages.success(request, f"Đã lập phiếu từ chối tiếp nhận hồ sơ {dossier.code}.")
            else:
                dossier = services.receive_at_desk(actor=staff, intake=intake_in)
                messages.success(request, f"Đã tiếp nhận hồ sơ {dossier.code}; hẹn trả "
                                          f"{timezone.localtime(dossier.due_at):%H:%M ngày %d/%m/%Y}. In Giấy tiếp "
                                          "nhận và hẹn trả kết quả (Mẫu 01) ở mục “In biểu mẫu”.")
                if not workdays.is_working_instant(dossier.received_at, calendars.calendar_for(staff.agency)):
                    messages.info(request, "Hồ sơ được tiếp nhận ngoài giờ làm việc: thời hạn tính từ đầu giờ làm "
                                           "việc kế tiếp.")
            return redirect("dossier-detail", code=dossier.code)
        except DomainError as error:
            form.add_domain_error(error)
    lost_files = [upload.name for _, upload in files]  # a browser cannot keep chosen files across a refusal
    return render(request, "dossiers/intake.html", {
        "lost_files": lost_files,
        # The applicant's commune matters only where several agencies (every commune) resolve the procedure.
        "choose_commune": bool(places and len(places["resolvers"]) > 1),
        "procedures": procedures, "procedure": procedure, "version": version, "form": form, "rows": rows,
        "applicant_fields": [form[name] for name in APPLICANT_FIELDS],
        "max_mb": settings.DOSSIER_MAX_UPLOAD_BYTES // (1024 * 1024),
    }, status=400 if request.method == "POST" else 200)


@staff_page
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _detail_page(request, code)


def _detail_page(request: HttpRequest, code: str, *, bound: tuple[Action, Any] | None = None,
                 status: int = 200, lost_files: list[str] | None = None) -> HttpResponse:
    """The dossier page; after a refused action, with that action's form as the person filled it."""
    staff: Staff = request.staff  # type: ignore[attr-defined]
    actor = access.actor_of(staff)
    found = selectors.detail(actor, code, calendar=calendars.calendar_for(staff.agency))
    d = found.dossier
    forms_available = [(form, FormTemplate.Form(form).label) for form in printing.FORMS
                       if printing.available(d, form) is None]
    return render(request, "dossiers/detail.html", {
        "x": found, "d": d, "actions": _action_forms(found, bound), "printable": forms_available,
        "masked_id": applicants.mask(d.applicant_id_number), "masked_phone": applicants.mask(d.applicant_phone),
        "masked_address": applicants.mask_address(d.applicant_address),
        "max_mb": settings.DOSSIER_MAX_UPLOAD_BYTES // (1024 * 1024), "lost_files": lost_files or [],
    }, status=status)


CONFIRM = {Action.REFUSE, Action.REJECT, Action.STOP, Action.WITHDRAW, Action.RETURN_RESULT, Action.APPROVE}


def _action_forms(found: selectors.Detail, bound: tuple[Action, Any] | None = None
                  ) -> list[tuple[str, str, Any, bool, bool]]:
    """(action, label, its form, whether to ask for confirmation, whether its panel is open) for each action
    the page offers; the form of a refused action comes back as the person filled it."""
    step = found.dossier.current_step
    index = step.order - 1 if step else None
    out = []
    for action in found.actions:
        form_class = ACTION_FORMS[action][0]
        is_bound = bound is not None and bound[0] is action
        form = bound[1] if is_bound else form_class(prefix=action.value)
        if action is Action.FORWARD:
            form.fields["assignee"].widget = django_forms.Select(choices=[
                ("", "— cả phòng, chưa giao người —"), *selectors.people_for_step(found, (index or 0) + 1)])
        if action is Action.ASSIGN:
            form.fields["assignee"].widget = django_forms.Select(choices=selectors.people_for_step(found, index))
        out.append((action.value, ACTION_LABELS[action], form, action in CONFIRM, is_bound))
    return out


def _upload(file) -> services.Upload | None:
    return services.Upload(file.name, file.file, file.size) if file else None


def _result(data: dict[str, Any]) -> services.Result | None:
    if not data.get("number"):
        return None
    return services.Result(number=data["number"], signed_on=data.get("signed_on"), signer=data.get("signer") or "",
                           summary=data.get("summary") or "", file=_upload(data.get("file")))


# action → (page form, how its cleaned data becomes the service's arguments)
ACTION_FORMS: dict[Action, tuple[type, Any]] = {
    Action.RECEIVE: (forms.ReceiveForm, lambda d: {}),
    Action.REFUSE: (forms.ReasonForm, lambda d: {"reason": d["reason"]}),
    Action.REQUEST_SUPPLEMENT: (forms.SupplementForm, lambda d: {
        "reason": d["reason"], "items": [services.MissingItem(n, r) for n, r in forms.parse_items(d["items"])]}),
    Action.PROVIDE_SUPPLEMENT: (forms.ProvideForm, lambda d: {"note": d["note"]}),
    Action.ASSIGN: (forms.AssignForm, lambda d: {"assignee_id": d["assignee"], "note": d["note"]}),
    Action.FORWARD: (forms.ForwardForm, lambda d: {"assignee_id": d["assignee"], "note": d["note"]}),
    Action.SEND_BACK: (forms.ReasonForm, lambda d: {"reason": d["reason"]}),
    Action.TRANSFER_TO_AGENCY: (forms.NoteForm, lambda d: {"note": d["note"]}),
    Action.RECEIVE_BACK: (forms.ReceiveBackForm, lambda d: {"note": d["note"], "result": _result(d)}),
    Action.APOLOGIZE: (forms.ApologyForm, lambda d: {"reason": d["reason"], "new_due_at": d["new_due_at"]}),
    Action.APPROVE: (forms.ResultForm, lambda d: {"result": _result(d)}),
    Action.MARK_READY: (forms.ReceiveForm, lambda d: {}),
    Action.RETURN_RESULT: (forms.ReturnForm, lambda d: {"returned_to": d["returned_to"], "method": d["method"]}),
    Action.REJECT: (forms.ReasonForm, lambda d: {"reason": d["reason"]}),
    Action.STOP: (forms.ReasonForm, lambda d: {"reason": d["reason"]}),
    Action.WITHDRAW: (forms.ReasonForm, lambda d: {"reason": d["reason"]}),
}


@staff_page
@require_POST
def dossier_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    staff: Staff = request.staff  # type: ignore[attr-defined]
    try:
        chosen = Action(action)
    except ValueError:
        raise Http404 from None
    form_class, arguments = ACTION_FORMS[chosen]
    form = form_class(request.POST, request.FILES, prefix=chosen.value)
    version = request.POST.get("version", "")
    lost = [f.name for f in request.FILES.values()]  # a browser cannot keep chosen files across a refusal
    if not form.is_valid() or not version.isdigit():
        if not version.isdigit():
            form.add_error(None, "Thiếu phiên bản hồ sơ: hãy tải lại trang.")
        messages.error(request, f"{ACTION_LABELS[chosen]}: hãy sửa các mục được đánh dấu bên dưới.")
        return _detail_page(request, code, bound=(chosen, form), status=400, lost_files=lost)
    extra = {}
    if chosen in {Action.RECEIVE, Action.PROVIDE_SUPPLEMENT}:
        extra["files"] = [(int(k.removeprefix("file-")), services.Upload(f.name, f.file, f.size))
                          for k in request.FILES for f in request.FILES.getlist(k)
                          if k.startswith("file-") and k.removeprefix("file-").isdigit()]
        # Every listed document is set as ticked or not, so that unticking one records it as missing.
        extra["components"] = [services.ComponentTick(int(pk), provided=request.POST.get(f"doc-{pk}") == "on")
                               for pk in request.POST.getlist("listed") if pk.isdigit()]
    try:
        services.ACTIONS[chosen](actor=staff, code=code, version=int(version), **arguments(form.cleaned_data),
                                 **extra)
    except DomainError as error:
        messages.error(request, f"{ACTION_LABELS[chosen]}: {error.message}")
        form.add_domain_error(error)
        return _detail_page(request, code, bound=(chosen, form), status=error.http_status, lost_files=lost)
    messages.success(request, f"Đã thực hiện: {ACTION_LABELS[chosen]}.")
    return redirect(reverse("dossier-detail", kwargs={"code": code}))


@staff_page
@require_POST
def dossier_attach(request: HttpRequest, code: str) -> HttpResponse:
    staff: Staff = request.staff  # type: ignore[attr-defined]
    upload = request.FILES.get("file")
    document = request.POST.get("required_document_id", "")
    url = reverse("dossier-detail", kwargs={"code": code})
    if upload is None:
        messages.error(request, "Chọn tệp để đính kèm.")
        return redirect(url)
    try:
        services.attach(actor=staff, code=code, kind=request.POST.get("kind", "component"), upload=_upload(upload),
                        required_document_id=int(document) if document.isdigit() else None)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã đính kèm {upload.name}.")
    return redirect(url)


@staff_page
def dossier_file(request: HttpRequest, code: str, attachment_id: int) -> HttpResponse:
    return file_response(selectors.attachment_for(_actor(request), code, attachment_id))


@staff_page
def dossier_form(request: HttpRequest, code: str, form: str, fmt: str) -> HttpResponse:
    if form not in printing.FORMS or fmt not in {"pdf", "docx"}:
        raise Http404
    dossier = access.access_dossier(_actor(request), code)
    number = request.GET.get("lan", "")
    return form_response(printing.render(dossier, form, fmt, base_url=request.build_absolute_uri("/")[:-1],
                                         number=int(number) if number.isdigit() else None))


@staff_page
def dossier_log(request: HttpRequest) -> HttpResponse:
    """The dossier log (Mẫu 06) for a period, as PDF or DOCX."""
    staff: Staff = request.staff  # type: ignore[attr-defined]
    actor = access.actor_of(staff)
    today = timezone.localdate()
    form = forms.LogForm(request.GET or None, initial={"date_from": today.replace(day=1), "date_to": today},
                         procedures=selectors.receivable_procedures())
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            dossiers = selectors.log_dossiers(actor, data["date_from"], data["date_to"], selectors.LogFilter(
                procedure=data["procedure"], channel=data["channel"], state=data["state"], outcome=data["outcome"]))
            return form_response(printing.render_log(staff.agency, dossiers, data["date_from"], data["date_to"],
                                                     data["format"]))
        except DomainError as error:
            if error.code == "forbidden":
                raise
            form.add_domain_error(error)
    elif "view_agency_dossiers" not in actor.perms:
        raise DomainError("forbidden", "Chỉ bộ phận một cửa, lãnh đạo và người kiểm tra in sổ theo dõi hồ sơ.")
    return render(request, "dossiers/log.html", {"form": form}, status=400 if form.is_bound else 200)
