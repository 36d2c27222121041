"""The printed forms of the one-stop shop (TT 01/2018/TT-VPCP, Mẫu 01–06) as PDF and DOCX.

One Django template per form gives both outputs: WeasyPrint turns its HTML into the PDF, ``docx_html``
into a Word document an officer can still adjust before signing. Which template: the ``FormTemplate`` row
of that form in force on the date of the event the form records, so that a paper reprinted years later
looks as it did, and an administrator can add a newer circular's set (its body pasted in the row) from a
date on without touching older dossiers. The date that picks the template:

=============  ==========================================================================
receipt        the dossier's receipt (``received_at``)
supplement     the supplement request (``requested_at``)
refusal        the refusal or rejection hand-off (``finished_at`` when there is no hand-off)
apology        the apology and new appointment (the ledger entry's ``at``)
control-sheet  the last hand-off: the sheet shows the process up to it (now, if none)
log            the last day of the period
=============  ==========================================================================

Times on the forms are local to Asia/Ho_Chi_Minh. The wording is Vietnamese whatever the reader's
language: these are legal papers. Nothing here knows about HTTP: callers (the API, the staff pages) check
who may see the dossier, pass the public base URL for the receipt's QR code and send the bytes.

A template receives, besides each form's own values: ``form`` (code, number, title, circular), ``page``
(size, orientation), ``agency_name``, ``desk_name``, ``date_line`` ("Hà Giang, ngày 02 tháng 3 năm
2026"), ``code``, ``applicant`` (name, type, address, phone, email, …), ``procedure_name``, ``subject`` and
the ``dossier`` itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import Prefetch
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import get_template
from django.utils import timezone, translation

from motcua.core import clock
from motcua.core.errors import DomainError, ErrorCode
from motcua.core.pdf import pdf_from_html
from motcua.dossiers import docx_html
from motcua.dossiers.models import DeadlineEntry, Dossier, FormTemplate, Handoff, SupplementRequest
from motcua.dossiers.outcomes import OUTCOME_LABELS, ZONE, Outcome
from motcua.dossiers.states import STATE_LABELS, Action, State
from motcua.org.models import Agency, Assignment, Division, Position

__all__ = ["CONTENT_TYPES", "FORMS", "Rendered", "available", "form_date", "html", "render", "render_log",
           "template_for"]

FORMS = ("receipt", "supplement", "refusal", "apology", "control-sheet")
LOG = "log"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
DESK_NAME = "Bộ phận tiếp nhận và trả kết quả"
# Word documents are opened on officers' machines, where Times New Roman (the font of official papers, full
# Vietnamese coverage) is always present; the PDF embeds DejaVu Sans, installed with the server.
DOCX_FONT = "Times New Roman"
REFUSING = (Action.REFUSE.value, Action.REJECT.value)
FORWARDING = (Action.FORWARD.value, Action.TRANSFER_TO_AGENCY.value)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_LOCALITY = re.compile(r"\b(?:tỉnh|thành phố|xã|phường|đặc khu)\s+(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str


# --------------------------------------------------------------------------------------------------------
# Which template, which date, whether the form can be printed


def template_for(form: str, on: dt.date) -> FormTemplate:
    """The form's template in force on ``on``: the newest row that started on or before it."""
    row = FormTemplate.objects.filter(form=form, effective_from__lte=on).order_by("-effective_from").first()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"Chưa có biểu mẫu \u201c{_form_label(form)}\u201d áp dụng cho ngày "
                          f"{on:%d/%m/%Y}; quản trị viên cần khai báo trong trang quản trị.", form=form,
                          on=on.isoformat())
    return row


def available(dossier: Dossier, form: str, *, number: int | None = None) -> str | None:
    """None when ``form`` can be printed for ``dossier`` now, else why not (in Vietnamese), for pages to grey
    out a button with its reason. ``number`` picks a supplement request (default: the latest). A form not in
    ``FORMS`` raises ``DomainError`` (not_found)."""
    _check_form(form)
    if form == "receipt" and dossier.received_at is None:
        return "Hồ sơ chưa được tiếp nhận nên chưa có Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
    if form == "supplement" and _supplement(dossier, number) is None:
        return (f"Hồ sơ không có yêu cầu bổ sung lần {number}." if number is not None
                else "Hồ sơ chưa có yêu cầu bổ sung, hoàn thiện nào.")
    if form == "refusal" and dossier.state not in (State.NOT_RECEIVED, State.REJECTED):
        return "Hồ sơ không bị từ chối tiếp nhận hoặc từ chối giải quyết nên không có Phiếu từ chối."
    if form == "apology" and _reappointment(dossier) is None:
        return "Hồ sơ chưa có lần xin lỗi và hẹn lại ngày trả kết quả nào."
    return None


def form_date(dossier: Dossier, form: str, *, number: int | None = None) -> dt.datetime:
    """The instant the form records: it picks the template and dates the paper (see the module's table)."""
    _check_form(form)
    instant: dt.datetime | None
    if form == "receipt":
        instant = dossier.received_at
    elif form == "supplement":
        request = _supplement(dossier, number)
        instant = request.requested_at if request else None
    elif form == "refusal":
        handoff = _refusal(dossier)
        instant = handoff.at if handoff else dossier.finished_at
    elif form == "apology":
        entry = _reappointment(dossier)
        instant = entry.at if entry else None
    else:
        last = dossier.handoffs.order_by("-seq").first()
        instant = last.at if last else None
    return instant or clock.now()


# --------------------------------------------------------------------------------------------------------
# Rendering


def html(dossier: Dossier, form: str, *, base_url: str = "", number: int | None = None) -> str:
    """The form as HTML (what the PDF is made from), for a preview on the staff pages; refuses as ``render``."""
    _, text = _form_html(dossier, form, base_url=base_url, number=number, raster=False)
    return text


def render(dossier: Dossier, form: str, fmt: str, *, base_url: str, number: int | None = None) -> Rendered:
    """The form printed for ``dossier`` as ``fmt`` ("pdf" or "docx").

    ``base_url`` (e.g. ``https://motcua.example.gov.vn``) builds the public look-up address of the
    receipt's QR code when ``settings.PUBLIC_BASE_URL`` is empty. Refuses an unknown format (invalid), an
    unknown form (not_found), a form the dossier does not have yet (invalid_state) and a date no template
    covers (not_found).
    """
    _check_format(fmt)
    row, text = _form_html(dossier, form, base_url=base_url, number=number, raster=fmt == "docx")
    suffix = f"-lan-{number}" if form == "supplement" and number is not None else ""
    return _output(row, text, fmt, f"mau-{row.number}-{dossier.code}{suffix}")


def render_log(agency: Agency, dossiers: Iterable[Dossier], date_from: dt.date, date_to: dt.date,
               fmt: str) -> Rendered:
    """The dossier log (Mẫu 06) of ``agency`` for the period: the caller chooses the dossiers (usually those
    received in it); they are listed by their log number."""
    _check_format(fmt)
    if date_from > date_to:
        raise DomainError(ErrorCode.INVALID, "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.", field="date_from")
    row = template_for(LOG, date_to)
    with translation.override("vi"):
        rows = _log_rows(agency, dossiers)
        context = {  # the template in force at the period's end; the date line is the day it is printed
            **_frame(row, agency, min(timezone.localdate(), date_to)),
            "date_from": f"{date_from:%d/%m/%Y}", "date_to": f"{date_to:%d/%m/%Y}",
            "year": str(date_from.year) if date_from.year == date_to.year else f"{date_from.year}–{date_to.year}",
            "rows": rows, "count": len(rows),
        }
        text = _render_template(row, context)
    short = agency.short_name or agency.identifier
    return _output(row, text, fmt, f"mau-{row.number}-so-theo-doi-{short}-{date_from:%Y%m%d}-{date_to:%Y%m%d}")


DESK_FORMS = frozenset({"receipt", "supplement", "refusal"})


def _form_html(dossier: Dossier, form: str, *, base_url: str, number: int | None,
               raster: bool) -> tuple[FormTemplate, str]:
    _check_form(form)
    if reason := available(dossier, form, number=number):
        raise DomainError(ErrorCode.INVALID_STATE, reason, form=form, dossier=dossier.code)
    instant = form_date(dossier, form, number=number)
    row = template_for(form, timezone.localtime(instant, ZONE).date())
    with translation.override("vi"):  # labels (copy types, units, actions) in the papers' language
        # The desk's papers (receipt, supplement, refusal) are the receiving point's; the rest the resolving agency's.
        issuer = dossier.receiving_agency if form in DESK_FORMS else dossier.agency
        context = {**_frame(row, issuer, instant), **_dossier_context(dossier)}
        context.update(_BUILDERS[form](dossier, number=number, base_url=base_url, raster=raster))
        return row, _render_template(row, context)


def _render_template(row: FormTemplate, context: dict[str, Any]) -> str:
    if not row.body.strip():
        return get_template(row.template_name).render(context)
    try:
        return Template(row.body).render(Context(context))
    except TemplateSyntaxError as exc:
        raise DomainError(ErrorCode.CONFLICT, f"Nội dung biểu mẫu {row} có lỗi, quản trị viên cần sửa trong trang "
                          f"quản trị: {exc}", form=row.form, template_id=row.pk) from None


def _output(row: FormTemplate, text: str, fmt: str, stem: str) -> Rendered:
    filename = f"{_UNSAFE.sub('-', stem).strip('-.')}.{fmt}"
    if fmt == "pdf":
        content = pdf_from_html(text)
    else:
        document = docx_html.convert(text, page_size=row.page_size, landscape=row.landscape, font=DOCX_FONT,
                                     size=10 if row.landscape else 12)
        content = docx_html.to_bytes(document)
    return Rendered(content=content, content_type=CONTENT_TYPES[fmt], filename=filename)


def _check_format(fmt: str) -> None:
    if fmt not in CONTENT_TYPES:
        raise DomainError(ErrorCode.INVALID, f"Định dạng \u201c{fmt}\u201d không được hỗ trợ: chọn pdf hoặc docx.",
                          field="format")


def _check_form(form: str) -> None:
    if form not in FORMS:
        raise DomainError(ErrorCode.NOT_FOUND, f"Không có biểu mẫu \u201c{form}\u201d; các biểu mẫu: "
                          + ", ".join(FORMS) + ".", form=form)


def _form_label(form: str) -> str:
    try:
        return str(FormTemplate.Form(form).label)
    except ValueError:
        return form


# --------------------------------------------------------------------------------------------------------
# Words and times as the forms write them


def clock_text(instant: dt.datetime | None) -> str:
    """``09 giờ 05 phút, ngày 02/03/2026`` in Vietnam's time; empty when there is no instant."""
    if instant is None:
        return ""
    local = timezone.localtime(instant, ZONE)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def date_text(instant: dt.datetime | dt.date | None) -> str:
    if instant is None:
        return ""
    day = timezone.localtime(instant, ZONE).date() if isinstance(instant, dt.datetime) else instant
    return f"{day:%d/%m/%Y}"


def date_line(locality: str, day: dt.date) -> str:
    """``Hà Giang, ngày 02 tháng 3 năm 2026``: days below 10 and the months January and February take a
    leading zero (NĐ 30/2020/NĐ-CP); an unknown place is left as dots to be written by hand."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{locality or '…………'}, ngày {day.day:02d} tháng {month} năm {day.year}"


def locality(agency: Agency) -> str:
    """The place name of the date line, read from the agency's name or its parents' (``Sở Nội vụ tỉnh Hà
    Giang`` → ``Hà Giang``); empty when none says it."""
    seen: set[int] = set()
    current: Agency | None = agency
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        if match := _LOCALITY.search(current.name):
            return match[1].strip()
        current = current.parent
    return ""


def _frame(row: FormTemplate, agency: Agency, instant: dt.datetime | dt.date) -> dict[str, Any]:
    day = timezone.localtime(instant, ZONE).date() if isinstance(instant, dt.datetime) else instant
    desk = Division.objects.filter(agency=agency, is_one_stop_desk=True, is_active=True).order_by("pk").first()
    place = locality(agency)
    return {
        "form": {"code": row.form, "number": row.number, "title": row.title, "circular": row.circular},
        "page": {"size": row.page_size, "orientation": "landscape" if row.landscape else "portrait"},
        "agency": agency, "agency_name": agency.name, "desk_name": DESK_NAME,
        "desk_place": f"{DESK_NAME} – {desk.name}, {agency.name}" if desk else f"{DESK_NAME}, {agency.name}",
        "locality": place, "date_line": date_line(place, day), "printed_on": date_text(day),
    }


def _dossier_context(d: Dossier) -> dict[str, Any]:
    version = d.procedure_version
    return {
        "dossier": d, "code": d.code, "log_number": str(d.log_number or ""),
        "procedure_name": d.procedure.name, "procedure_code": d.procedure.code, "subject": d.subject,
        "applicant": {
            "name": d.applicant_name, "type": d.get_applicant_type_display(),
            "is_organisation": d.applicant_type == Dossier.ApplicantType.ORGANISATION,
            "representative": d.applicant_representative, "address": d.applicant_address,
            "phone": d.applicant_phone, "email": d.applicant_email, "id_number": d.applicant_id_number,
            "tax_code": d.applicant_tax_code,
        },
        "received_at": clock_text(d.received_at), "received_on": date_text(d.received_at),
        "due_at": clock_text(d.due_at), "original_due_at": clock_text(d.original_due_at),
        "time_limit": f"{version.time_limit} {version.get_time_unit_display()}",
        "state": d.get_state_display(),
    }


# --------------------------------------------------------------------------------------------------------
# Each form's own values


def _receipt(d: Dossier, *, base_url: str, raster: bool, **_: Any) -> dict[str, Any]:
    documents = [{"index": i, "name": doc.name, "copy_type": doc.get_copy_type_display(), "count": str(doc.count)}
                 for i, doc in enumerate(d.documents.filter(provided=True).order_by("order", "pk"), start=1)]
    received = timezone.localtime(d.received_at, ZONE)
    lookup = lookup_url(d.code, base_url)
    return {
        "documents": documents, "sets": str(d.sets), "log_book": str(received.year),
        "received_by": d.received_by.full_name if d.received_by else "",
        "lookup_url": lookup, "qr_data_uri": _qr(lookup, raster=raster) if lookup else "",
    }


def lookup_url(code: str, base_url: str = "") -> str:
    """The public look-up address of a dossier, or "" when no base address is known."""
    base = (settings.PUBLIC_BASE_URL or base_url or "").rstrip("/")
    return f"{base}/tra-cuu/?ma={quote(code, safe='')}" if base else ""


QR_ERROR = "m"
QR_BORDER = 2


def _qr(url: str, *, raster: bool) -> str:
    """SVG (sharp at any print size) for the PDF, PNG for Word, which cannot show SVG."""
    import segno

    code = segno.make(url, error=QR_ERROR, micro=False)
    if raster:
        return code.png_data_uri(scale=6, border=QR_BORDER)
    return code.svg_data_uri(scale=4, border=QR_BORDER)


def _supplement(d: Dossier, number: int | None) -> SupplementRequest | None:
    requests = SupplementRequest.objects.filter(dossier=d).select_related("requested_by")
    if number is not None:
        return requests.filter(number=number).first()
    return requests.order_by("-number").first()


def _supplement_context(d: Dossier, *, number: int | None, **_: Any) -> dict[str, Any]:
    request = _supplement(d, number)
    assert request is not None  # available() said so
    items = [{"index": i, "name": str(item.get("name", "")), "reason": str(item.get("reason", ""))}
             for i, item in enumerate(request.items or [], start=1) if isinstance(item, dict)]
    return {
        "request": request, "items": items, "reason": request.reason, "number": str(request.number),
        "after_receipt": request.after_receipt, "requested_at": clock_text(request.requested_at),
        "requested_by": request.requested_by.full_name,
    }


def _refusal(d: Dossier) -> Handoff | None:
    return d.handoffs.filter(action__in=REFUSING).select_related("giver").order_by("-seq").first()


def _refusal_context(d: Dossier, **_: Any) -> dict[str, Any]:
    handoff = _refusal(d)
    at_intake = d.state == State.NOT_RECEIVED
    # At intake the hand-off goes from the applicant to the officer; afterwards from the officer who refuses.
    officer = ""
    if handoff is not None:
        officer = handoff.giver.full_name if handoff.giver_id else handoff.receiver_name
    return {
        "at_intake": at_intake, "reason": d.closing_reason, "refused_at": clock_text(handoff.at if handoff else
                                                                                      d.finished_at),
        "officer": officer, "signer_title": "NGƯỜI TIẾP NHẬN HỒ SƠ" if at_intake else "NGƯỜI LẬP PHIẾU",
    }


def _reappointment(d: Dossier) -> DeadlineEntry | None:
    return d.deadlines.filter(kind=DeadlineEntry.Kind.REAPPOINTMENT).order_by("-at", "-id").first()


def _head_of(agency: Agency, day: dt.date) -> str:
    """The holder of the agency's single-holder leading post on ``day`` (Giám đốc), or "" when unknown."""
    assignment = (Assignment.objects.current(day)
                  .filter(agency=agency, division__isnull=True, unit__isnull=True,
                          position__level=Position.Level.AGENCY, position__single_holder=True)
                  .select_related("staff").order_by("position__rank", "start_date").first())
    return assignment.staff.full_name if assignment else ""


def _apology_context(d: Dossier, **_: Any) -> dict[str, Any]:
    entry = _reappointment(d)
    assert entry is not None  # available() said so
    return {
        "entry": entry, "previous_due_at": clock_text(entry.previous_due_at), "new_due_at": clock_text(entry.due_at),
        "new_due_on": date_text(entry.due_at), "reason": entry.reason, "apologized_at": clock_text(entry.at),
        "head_name": _head_of(d.agency, timezone.localtime(entry.at, ZONE).date()),
    }


def _control_sheet_context(d: Dossier, **_: Any) -> dict[str, Any]:
    rows = []
    for h in d.handoffs.order_by("seq"):
        outcome = OUTCOME_LABELS.get(Outcome(h.step_outcome)) if h.step_outcome else ""
        rows.append({
            "seq": h.seq, "action": h.get_action_display(), "giver_place": h.giver_place,
            "receiver_place": h.receiver_place, "giver_name": h.giver_name, "receiver_name": h.receiver_name,
            "at": clock_text(h.at), "outcome": outcome or "", "step_due_at": clock_text(h.step_due_at),
            "note": h.note,
        })
    return {"handoffs": rows}


_BUILDERS = {
    "receipt": _receipt, "supplement": _supplement_context, "refusal": _refusal_context,
    "apology": _apology_context, "control-sheet": _control_sheet_context,
}


# --------------------------------------------------------------------------------------------------------
# The log (Mẫu 06)


def _log_rows(agency: Agency, dossiers: Iterable[Dossier]) -> list[dict[str, Any]]:
    if hasattr(dossiers, "select_related"):  # a queryset: three queries whatever its size
        dossiers = dossiers.select_related("procedure").prefetch_related(
            Prefetch("handoffs", queryset=Handoff.objects.filter(action__in=FORWARDING).order_by("seq"),
                     to_attr="forwards"))
    items: Sequence[Dossier] = list(dossiers)
    if any(d.agency_id != agency.pk for d in items):
        raise DomainError(ErrorCode.INVALID, "Sổ theo dõi chỉ ghi hồ sơ của một cơ quan.", field="dossiers")
    items = sorted(items, key=lambda d: (d.log_number is None, d.log_number or 0, d.submitted_at, d.pk))
    rows = []
    for d in items:
        forwards = getattr(d, "forwards", None)
        if forwards is None:
            forwards = list(d.handoffs.filter(action__in=FORWARDING).order_by("seq")[:1])
        notes = []
        if d.state in (State.NOT_RECEIVED, State.REJECTED, State.WITHDRAWN, State.STOPPED):
            notes.append(STATE_LABELS[State(d.state)] + (f": {d.closing_reason}" if d.closing_reason else ""))
        if d.reappointments:
            notes.append("Đã xin lỗi, hẹn lại ngày trả kết quả")
        if d.supplement_requests:
            notes.append(f"Yêu cầu bổ sung {d.supplement_requests} lần")
        rows.append({
            "log_number": str(d.log_number or ""), "code": d.code, "applicant": d.applicant_name,
            "procedure": d.procedure.name, "received_at": clock_text(d.received_at), "due_at": clock_text(d.due_at),
            "handed_to": forwards[0].receiver_place if forwards else "",
            "finished_at": clock_text(d.finished_at),
            "outcome": OUTCOME_LABELS[Outcome(d.outcome)] if d.outcome else "",
            "returned_at": clock_text(d.returned_at), "note": "; ".join(notes),
        })
    return rows
