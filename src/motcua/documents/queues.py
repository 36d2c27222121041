"""What official documents wait for one person, as ``core.work.WorkItem`` for the staff home.

Who waits on what follows the handling rules of ``services``: the agency leader directs registered incoming
documents and approves and signs drafts; a division leader assigns the division's part and reviews its drafts;
a specialist handles what was given to them; the clerk issues signed documents; an author revises a draft sent
back. Each list is one query with the documents access filter inside it (a secret document reaches only those
who may see it), so the home page costs the same whatever the number of documents.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.core import clock
from motcua.core.work import WorkItem, merge
from motcua.documents.access import visibility
from motcua.documents.models import Document, DocumentEvent, DocumentTask, Urgency
from motcua.documents.states import Action, Direction, State, TaskRole, TaskState
from motcua.org.access import can, current_assignment
from motcua.org.models import Staff

URGENCY_LABELS = dict(Urgency.choices)

# Outgoing states → (permission that acts there, what to do).
_OUTGOING_STEPS: dict[State, tuple[str, str]] = {
    State.REVIEWED: ("documents.approve_outgoing", gettext_noop("Phê duyệt dự thảo")),
    State.APPROVED: ("documents.approve_outgoing", gettext_noop("Ký số, ban hành")),
    State.SIGNED: ("documents.issue_outgoing", gettext_noop("Cấp số, phát hành")),
}
_TASK_ROLE_ACTIONS = {TaskRole.LEAD: gettext_noop("Chủ trì xử lý"), TaskRole.COORDINATE: gettext_noop("Phối hợp xử lý")}


def _code(document: Document) -> str:
    if document.symbol:
        return document.symbol
    if document.number and document.direction == Direction.INCOMING:
        return _("Số đến %(number)s") % {"number": document.number}
    return ""


def _item(document: Document, action: str, due_at: dt.datetime | None) -> WorkItem:
    now = clock.now()
    return WorkItem(kind="document", title=document.summary, code=_code(document), action=action, due_at=due_at,
                    url=document.get_absolute_url(), urgency=document.urgency,
                    urgency_label=str(URGENCY_LABELS.get(document.urgency, "")) if document.urgency != Urgency.NORMAL
                    else "", overdue=due_at is not None and due_at < now)


_DOCUMENT_FIELDS = ("id", "direction", "state", "summary", "symbol", "number", "urgency", "due_at",
                    "drafting_division_id", "created_by_id")


def my_tasks(staff: Staff, *, limit: int = 50) -> list[WorkItem]:
    """The documents waiting for ``staff``, due soonest first (none last); at most ``limit``, in at most three
    queries (the post, the documents, the handling tasks), each skipped when the person's roles cannot act."""
    def may(permission: str) -> bool:
        return can(staff, permission)

    division_id = None
    if may("documents.assign_document") or may("documents.review_outgoing"):
        assignment = current_assignment(staff)
        division_id = assignment.division_id if assignment else None
    seen = visibility(staff)

    # Documents that wait on the person as a whole: to direct, review, approve, sign, issue, or revise.
    waiting = Q()
    if may("documents.direct_document"):
        waiting |= Q(direction=Direction.INCOMING, state=State.REGISTERED)
    if division_id and may("documents.review_outgoing"):
        waiting |= Q(direction=Direction.OUTGOING, state=State.IN_REVIEW, drafting_division_id=division_id)
    outgoing = [state for state, (permission, _label) in _OUTGOING_STEPS.items() if may(permission)]
    if outgoing:
        waiting |= Q(direction=Direction.OUTGOING, state__in=outgoing)
    sent_back = DocumentEvent.objects.filter(document_id=OuterRef("pk"), action=Action.SEND_BACK)
    waiting |= Q(Exists(sent_back), direction=Direction.OUTGOING, state=State.DRAFT, created_by=staff)
    documents = (Document.objects.filter(seen).filter(waiting)
                 .order_by(F("due_at").asc(nulls_last=True), "id").only(*_DOCUMENT_FIELDS)[:limit])
    items = [_item(d, _document_action(d), d.due_at) for d in documents]

    # Handling tasks: my division's to assign, and mine to do.
    tasks = Q(assignee=staff, state__in=[TaskState.ASSIGNED, TaskState.IN_PROGRESS])
    if division_id and may("documents.assign_document"):
        tasks |= Q(division_id=division_id, state=TaskState.NEW)
    rows = (DocumentTask.objects.filter(tasks, agency_id=staff.agency_id, document__in=Document.objects.filter(seen))
            .exclude(role=TaskRole.INFORM).select_related("document")
            .only("id", "role", "state", "due_at", "document_id", *(f"document__{f}" for f in _DOCUMENT_FIELDS))
            .order_by(F("due_at").asc(nulls_last=True), "id")[:limit])
    for task in rows:
        document = task.document
        if task.state == TaskState.NEW:
            action = _("Phân công xử lý (%(role)s)") % {"role": task.get_role_display().lower()}
        else:
            action = _(_TASK_ROLE_ACTIONS.get(TaskRole(task.role), gettext_noop("Xử lý")))
        items.append(_item(document, action, task.due_at))
    return merge(items, limit=limit)


def _document_action(document: Document) -> str:
    if document.direction == Direction.INCOMING:
        return _("Cho ý kiến chỉ đạo")
    if document.state == State.IN_REVIEW:
        return _("Duyệt dự thảo của phòng")
    if document.state == State.DRAFT:
        return _("Sửa dự thảo bị trả lại, trình lại")
    return _(_OUTGOING_STEPS[State(document.state)][1])
