"""Labels of official documents on pages (states, task roles and states, urgency, secrecy, history entries),
in the reader's language, and the remaining time of a deadline worded once by ``core.workdays``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.core import clock, workdays
from motcua.documents.models import DocumentFile, Secrecy, Urgency
from motcua.documents.states import (
    ACTION_LABELS,
    STATE_LABELS,
    TASK_ROLE_LABELS,
    TASK_STATE_LABELS,
    Action,
    State,
    TaskRole,
    TaskState,
)

register = template.Library()

# History entries that are not steps of the state table (tasks, revisions of a draft).
EVENT_LABELS: dict[str, str] = {
    "assign": gettext_noop("Phân công chuyên viên"),
    "progress": gettext_noop("Cập nhật tiến độ"),
    "task_done": gettext_noop("Hoàn thành phần việc"),
    "revise": gettext_noop("Sửa dự thảo"),
}
HIGHLIGHTED_URGENCY = frozenset({Urgency.URGENT, Urgency.VERY_URGENT, Urgency.FLASH})


@register.filter
def doc_state(value: str) -> str:
    return _(STATE_LABELS[State(value)]) if value in State._value2member_map_ else value


@register.filter
def doc_event(value: str) -> str:
    """What a line of the document's history says was done."""
    if value in Action._value2member_map_:
        return _(ACTION_LABELS[Action(value)])
    return _(EVENT_LABELS[value]) if value in EVENT_LABELS else value


@register.filter
def task_state(value: str) -> str:
    return _(TASK_STATE_LABELS[TaskState(value)]) if value in TaskState._value2member_map_ else value


@register.filter
def task_role(value: str) -> str:
    return _(TASK_ROLE_LABELS[TaskRole(value)]) if value in TaskRole._value2member_map_ else value


@register.filter
def urgency_label(value: str) -> str:
    return str(Urgency(value).label) if value in Urgency.values else value


@register.filter
def urgent(value: str) -> bool:
    """Hỏa tốc, thượng khẩn and khẩn are handled at once (NĐ 30/2020 Art 4): the lists highlight them."""
    return value in HIGHLIGHTED_URGENCY


@register.filter
def secrecy_label(value: str) -> str:
    return str(Secrecy(value).label) if value in Secrecy.values else value


@register.filter
def text_status(value: str) -> str:
    """Where the text of a file stands: it feeds the search, so a clerk wants to know when OCR is done."""
    labels = {
        DocumentFile.TextStatus.PENDING: _("Đang nhận dạng chữ (OCR)…"),
        DocumentFile.TextStatus.DONE: _("Đã trích văn bản"),
        DocumentFile.TextStatus.FAILED: _("Không nhận dạng được"),
    }
    return labels.get(value, "")


@register.filter
def overdue(item: Any) -> bool:
    """A document or a task whose deadline has passed and which is not finished."""
    due: dt.datetime | None = getattr(item, "due_at", None)
    return bool(due and getattr(item, "completed_at", None) is None and due < clock.now())


@register.filter
def remaining(due: dt.datetime | None, calendar: workdays.Calendar | None) -> str:
    """"còn 2 ngày 3 giờ" / "quá 1 ngày 4 giờ" in the agency's working time (the view passes its calendar)."""
    if due is None or calendar is None:
        return ""
    return workdays.describe_remaining(clock.now(), due, calendar)


@register.filter
def signatures_ok(reports: list[Any]) -> bool:
    return bool(reports) and all(r.ok for r in reports)


@register.filter
def signed_files(files: list[Any]) -> list[Any]:
    """The files that carry a signature, or whose signatures could not be checked."""
    return [f for f in files if getattr(f, "signatures", None) or getattr(f, "signature_error", "")]
