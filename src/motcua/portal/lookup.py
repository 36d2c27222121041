"""The public look-up of a dossier: its code plus a second factor only the applicant knows (the last four
digits of their phone number or citizen ID / tax code), answered in plain Vietnamese with no staff names and
no personal data. A wrong code and a wrong factor get the same answer, so the look-up cannot tell anyone
which codes exist."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from motcua.dossiers import routing
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import State

PUBLIC_LABELS = {
    State.SUBMITTED: gettext_noop("Đã nộp trực tuyến, đang chờ bộ phận một cửa kiểm tra"),
    State.RECEIVED: gettext_noop("Đã tiếp nhận"),
    State.IN_PROGRESS: gettext_noop("Đang giải quyết"),
    State.AWAITING_SUPPLEMENT: gettext_noop("Cần bổ sung hồ sơ"),
    State.RESOLVED: gettext_noop("Đã giải quyết xong, kết quả đang được chuyển về bộ phận một cửa"),
    State.RETURNED: gettext_noop("Đã trả kết quả"),
    State.NOT_RECEIVED: gettext_noop("Không được tiếp nhận"),
    State.REJECTED: gettext_noop("Bị từ chối giải quyết"),
    State.WITHDRAWN: gettext_noop("Đã rút hồ sơ"),
    State.STOPPED: gettext_noop("Đã dừng xử lý"),
}
READY_LABEL = gettext_noop("Đã có kết quả: mời đến nhận tại bộ phận một cửa")
MAX_CODE = 64
# Only what the answer reads, in plain SQL: the look-up is the busiest public read, and compiling an ORM query
# cost more than running it. The current step and its place are read by key, when there is one.
_FIND = ("SELECT d.id, d.code, d.state, d.applicant_phone, d.applicant_id_number, d.applicant_tax_code, "
         "d.submitted_at, d.received_at, d.due_at, d.result_ready_at, d.returned_at, d.current_step_id, "
         "d.current_division_id, d.current_unit_id, d.current_other_agency_id, "
         "p.name AS procedure_name, a.name AS agency_name "
         "FROM dossiers_dossier d JOIN catalog_procedure p ON p.id = d.procedure_id "
         "JOIN org_agency a ON a.id = d.agency_id WHERE d.code = %s")


@dataclass(frozen=True)
class PublicStatus:
    code: str
    procedure: str
    agency: str
    state: str
    status: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    current_step: str | None
    supplement_reason: str
    supplement_items: list[dict[str, str]]
    result_ready: bool
    returned_at: dt.datetime | None


def _factors(dossier: Dossier) -> list[str]:
    values = (dossier.applicant_phone, dossier.applicant_id_number, dossier.applicant_tax_code.split("-")[0])
    return [value[-4:] for value in values if len(value) >= 4]


def find(code: str, check: str) -> PublicStatus | None:
    """The dossier's public status, or None — the same None for an unknown code and for a wrong factor. Both
    paths compare the factor in constant time against the same number of values."""
    code = code.strip().upper()[:MAX_CODE]
    check = check.strip()
    dossier = next(iter(Dossier.objects.raw(_FIND, [code])), None) if code and not code.startswith("~") else None
    candidates = _factors(dossier) if dossier is not None else []
    candidates += ["\0\0\0\0"] * (3 - len(candidates))
    matched = False
    for value in candidates:
        matched |= hmac.compare_digest(value.encode(), check.encode())
    if dossier is None or not matched or len(check) != 4 or not check.isdigit():
        return None
    return status_of(dossier, procedure=dossier.procedure_name, agency=dossier.agency_name)


def status_of(d: Dossier, *, procedure: str | None = None, agency: str | None = None) -> PublicStatus:
    """What the applicant is told of their dossier (the look-up, and their own account's pages); the procedure's
    and agency's names when the caller already read them."""
    ready = d.state == State.RESOLVED and d.result_ready_at is not None
    step = None
    if d.current_step is not None:
        place = d.current_other_agency or d.current_division or d.current_unit
        label = routing.place_label(str(place) if place else None, d.current_step.role)
        step = f"{d.current_step.name} — {label}" if label else d.current_step.name
    supplement = d.supplements.filter(provided_at__isnull=True).order_by("-number").first() \
        if d.state == State.AWAITING_SUPPLEMENT else None
    return PublicStatus(
        code=d.code, procedure=procedure or d.procedure.name, agency=agency or d.agency.name, state=d.state,
        status=READY_LABEL if ready else PUBLIC_LABELS[State(d.state)], submitted_at=d.submitted_at,
        received_at=d.received_at, due_at=d.due_at, current_step=step,
        supplement_reason=supplement.reason if supplement else "",
        supplement_items=list(supplement.items) if supplement else [], result_ready=ready or d.state == State.RETURNED,
        returned_at=d.returned_at,
    )
