"""The life of an official document (pure): which action is allowed in which state, and where it leads.

Incoming (NĐ 30/2020 Arts 20–24): registered → directed by the agency leader (bút phê) → handled by the lead
division → completed. A document directed "for information only" is completed at once.
Outgoing (Arts 10–19): draft → reviewed by the division leader → approved by the agency leader → signed →
numbered and issued by the clerk → archived. Reviewers and approvers may send a draft back.
Handling of one division (a task): new → assigned to a specialist → in progress → done.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


def gettext_noop(text: str) -> str:
    """Marks a label for the translation catalogue (makemessages finds this name) and returns it unchanged:
    this module stays free of Django; pages translate the label when they show it."""
    return text


class Direction(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"


class State(StrEnum):
    # incoming
    REGISTERED = "registered"
    IN_HANDLING = "in_handling"
    COMPLETED = "completed"
    # outgoing
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    SIGNED = "signed"
    ISSUED = "issued"
    ARCHIVED = "archived"


class Action(StrEnum):
    REGISTER = "register"
    DIRECT = "direct"
    COMPLETE = "complete"
    DRAFT = "draft"
    SUBMIT = "submit"
    REVIEW = "review"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    SIGN = "sign"
    ISSUE = "issue"
    ARCHIVE = "archive"


class TaskState(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class TaskRole(StrEnum):
    LEAD = "lead"
    COORDINATE = "coordinate"
    INFORM = "inform"


STATE_LABELS: dict[State, str] = {
    State.REGISTERED: gettext_noop("Chờ lãnh đạo cho ý kiến"),
    State.IN_HANDLING: gettext_noop("Đang xử lý"),
    State.COMPLETED: gettext_noop("Đã xử lý xong"),
    State.DRAFT: gettext_noop("Dự thảo"),
    State.IN_REVIEW: gettext_noop("Chờ lãnh đạo phòng duyệt"),
    State.REVIEWED: gettext_noop("Chờ lãnh đạo cơ quan phê duyệt"),
    State.APPROVED: gettext_noop("Chờ ký số"),
    State.SIGNED: gettext_noop("Đã ký, chờ văn thư cấp số, phát hành"),
    State.ISSUED: gettext_noop("Đã phát hành"),
    State.ARCHIVED: gettext_noop("Đã lưu hồ sơ"),
}

ACTION_LABELS: dict[Action, str] = {
    Action.REGISTER: gettext_noop("Vào sổ văn bản đến"),
    Action.DIRECT: gettext_noop("Cho ý kiến chỉ đạo (bút phê)"),
    Action.COMPLETE: gettext_noop("Hoàn thành xử lý"),
    Action.DRAFT: gettext_noop("Tạo dự thảo"),
    Action.SUBMIT: gettext_noop("Trình lãnh đạo phòng"),
    Action.REVIEW: gettext_noop("Duyệt, trình lãnh đạo cơ quan"),
    Action.APPROVE: gettext_noop("Phê duyệt"),
    Action.SEND_BACK: gettext_noop("Trả lại dự thảo"),
    Action.SIGN: gettext_noop("Ký số"),
    Action.ISSUE: gettext_noop("Cấp số, phát hành"),
    Action.ARCHIVE: gettext_noop("Lưu hồ sơ"),
}

TASK_STATE_LABELS: dict[TaskState, str] = {
    TaskState.NEW: gettext_noop("Chờ lãnh đạo phòng phân công"),
    TaskState.ASSIGNED: gettext_noop("Đã giao chuyên viên"),
    TaskState.IN_PROGRESS: gettext_noop("Đang thực hiện"),
    TaskState.DONE: gettext_noop("Đã hoàn thành"),
}

TASK_ROLE_LABELS: dict[TaskRole, str] = {
    TaskRole.LEAD: gettext_noop("Chủ trì"),
    TaskRole.COORDINATE: gettext_noop("Phối hợp"),
    TaskRole.INFORM: gettext_noop("Để biết"),
}

# (state, action) → next state. Anything else is refused.
_TABLE: dict[tuple[State, Action], State] = {
    (State.REGISTERED, Action.DIRECT): State.IN_HANDLING,
    (State.IN_HANDLING, Action.DIRECT): State.IN_HANDLING,  # the leader re-directs
    (State.IN_HANDLING, Action.COMPLETE): State.COMPLETED,
    (State.DRAFT, Action.SUBMIT): State.IN_REVIEW,
    (State.IN_REVIEW, Action.REVIEW): State.REVIEWED,
    (State.IN_REVIEW, Action.SEND_BACK): State.DRAFT,
    (State.REVIEWED, Action.APPROVE): State.APPROVED,
    (State.REVIEWED, Action.SEND_BACK): State.DRAFT,
    (State.APPROVED, Action.SEND_BACK): State.DRAFT,
    (State.APPROVED, Action.SIGN): State.SIGNED,
    (State.SIGNED, Action.ISSUE): State.ISSUED,
    (State.ISSUED, Action.ARCHIVE): State.ARCHIVED,
}

OPEN_INCOMING = frozenset({State.REGISTERED, State.IN_HANDLING})
OPEN_OUTGOING = frozenset({State.DRAFT, State.IN_REVIEW, State.REVIEWED, State.APPROVED, State.SIGNED})
PUBLISHED = frozenset({State.ISSUED, State.ARCHIVED})


class Refused(Exception):
    """An action the state table does not allow; the message is for people."""


def apply(state: State | str, action: Action) -> State:
    try:
        return _TABLE[(State(state), action)]
    except (KeyError, ValueError):
        label = STATE_LABELS.get(state, state)  # type: ignore[call-overload]
        raise Refused(f"Không thể “{ACTION_LABELS[action]}” khi văn bản ở trạng thái “{label}”.") from None


def allowed(state: State | str) -> list[Action]:
    return [action for (s, action) in _TABLE if s == state]


def may_direct(state: State | str, tasks: Iterable[tuple[str, str]]) -> bool:
    """The leader may direct a registered document, and re-direct it until someone is given work on it: every
    task (role, state) is still new, or only "for information" (those are done at once)."""
    if state == State.REGISTERED:
        return True
    return state == State.IN_HANDLING and all(s == TaskState.NEW or r == TaskRole.INFORM for r, s in tasks)


def direct_state(has_lead: bool) -> State:
    """A direction with a lead division starts handling; one for information only completes the document."""
    return State.IN_HANDLING if has_lead else State.COMPLETED
