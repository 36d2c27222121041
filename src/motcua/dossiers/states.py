"""The dossier's lifecycle as an explicit table (pure: no Django).

``next_state(state, action, received=…)`` answers what an action does from a state, or raises
``NotAllowed`` with a Vietnamese reason; the services never change a state any other way. ``received``
tells the two phases of a dossier apart: before receipt (an online submission, or a desk intake sent
home with guidance), the clock has not started and a supplement brings it back to the desk's check; after
receipt, a supplement suspends the clock and brings it back to processing.

Each state maps to the national public-service portal's status code and each channel to its channel
code (legal-reference.md §1: the codes are those production systems use; the official source is
unverified), so that a connector can sync without remodelling.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CHANNEL_CODES", "CLOSED", "NATIONAL_STATUS", "OPEN", "Action", "Channel", "NotAllowed", "State",
           "allowed_actions", "next_state"]


def gettext_noop(text: str) -> str:
    """Marks a label for the translation catalogue (makemessages finds this name) and returns it unchanged:
    this module stays free of Django; pages translate the label when they show it."""
    return text


class State(StrEnum):
    SUBMITTED = "submitted"                  # online submission (or re-submission) waiting for the desk's check
    RECEIVED = "received"                    # received, at the desk before the first forwarding
    IN_PROGRESS = "in_progress"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    RESOLVED = "resolved"                    # result approved and signed; with the desk until returned
    RETURNED = "returned"
    NOT_RECEIVED = "not_received"            # refused at intake (Mẫu 03 at the desk, or an online submission)
    REJECTED = "rejected"                    # refused after appraisal (Mẫu 03, with reasons)
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"                      # dừng xử lý


class Action(StrEnum):
    SUBMIT = "submit"  # an online submission enters the system; not an action on an existing dossier
    RECEIVE = "receive"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request_supplement"
    PROVIDE_SUPPLEMENT = "provide_supplement"
    ASSIGN = "assign"
    FORWARD = "forward"
    SEND_BACK = "send_back"
    TRANSFER_TO_AGENCY = "transfer_to_agency"
    RECEIVE_BACK = "receive_back"
    APOLOGIZE = "apologize"
    APPROVE = "approve"
    MARK_READY = "mark_ready"
    RETURN_RESULT = "return_result"
    REJECT = "reject"
    STOP = "stop"
    WITHDRAW = "withdraw"


class Channel(StrEnum):
    DESK = "desk"
    POST = "post"
    ONLINE = "online"
    VNEID = "vneid"


OPEN = frozenset({State.SUBMITTED, State.RECEIVED, State.IN_PROGRESS, State.AWAITING_SUPPLEMENT, State.RESOLVED})
CLOSED = frozenset(State) - OPEN
_WORKING = frozenset({State.RECEIVED, State.IN_PROGRESS})
_SAME = "same"  # the action keeps the state (a hand-off, an assignment, a new appointment)

# (action) -> {state it may start from: state it leads to}. Anything not listed is refused.
_TABLE: dict[Action, dict[State, State | str]] = {
    Action.SUBMIT: {},
    Action.RECEIVE: {State.SUBMITTED: State.RECEIVED},
    Action.REFUSE: {State.SUBMITTED: State.NOT_RECEIVED, State.AWAITING_SUPPLEMENT: State.NOT_RECEIVED},
    Action.REQUEST_SUPPLEMENT: {State.SUBMITTED: State.AWAITING_SUPPLEMENT, State.RECEIVED: State.AWAITING_SUPPLEMENT,
                                State.IN_PROGRESS: State.AWAITING_SUPPLEMENT},
    Action.PROVIDE_SUPPLEMENT: {State.AWAITING_SUPPLEMENT: _SAME},  # resolved by ``received`` below
    Action.ASSIGN: {s: _SAME for s in _WORKING},
    Action.FORWARD: {State.RECEIVED: State.IN_PROGRESS, State.IN_PROGRESS: State.IN_PROGRESS},
    Action.SEND_BACK: {State.IN_PROGRESS: State.IN_PROGRESS},
    Action.TRANSFER_TO_AGENCY: {State.RECEIVED: State.IN_PROGRESS, State.IN_PROGRESS: State.IN_PROGRESS},
    Action.RECEIVE_BACK: {State.IN_PROGRESS: State.IN_PROGRESS},  # or RESOLVED when it brings the result
    Action.APOLOGIZE: {s: _SAME for s in _WORKING},
    Action.APPROVE: {State.RECEIVED: State.RESOLVED, State.IN_PROGRESS: State.RESOLVED},
    Action.MARK_READY: {State.RESOLVED: State.RESOLVED},
    Action.RETURN_RESULT: {State.RESOLVED: State.RETURNED},
    Action.REJECT: {s: State.REJECTED for s in (*_WORKING, State.AWAITING_SUPPLEMENT)},
    Action.STOP: {s: State.STOPPED for s in (*_WORKING, State.AWAITING_SUPPLEMENT)},
    Action.WITHDRAW: {s: State.WITHDRAWN for s in (State.SUBMITTED, *_WORKING, State.AWAITING_SUPPLEMENT)},
}

STATE_LABELS: dict[State, str] = {
    State.SUBMITTED: gettext_noop("Mới nộp, chờ tiếp nhận"),
    State.RECEIVED: gettext_noop("Đã tiếp nhận"),
    State.IN_PROGRESS: gettext_noop("Đang giải quyết"),
    State.AWAITING_SUPPLEMENT: gettext_noop("Chờ bổ sung hồ sơ"),
    State.RESOLVED: gettext_noop("Đã giải quyết xong, chờ trả kết quả"),
    State.RETURNED: gettext_noop("Đã trả kết quả"),
    State.NOT_RECEIVED: gettext_noop("Không được tiếp nhận"),
    State.REJECTED: gettext_noop("Từ chối giải quyết"),
    State.WITHDRAWN: gettext_noop("Đã rút hồ sơ"),
    State.STOPPED: gettext_noop("Dừng xử lý"),
}

ACTION_LABELS: dict[Action, str] = {
    Action.SUBMIT: gettext_noop("Nộp trực tuyến"),
    Action.RECEIVE: gettext_noop("Tiếp nhận"),
    Action.REFUSE: gettext_noop("Từ chối tiếp nhận"),
    Action.REQUEST_SUPPLEMENT: gettext_noop("Yêu cầu bổ sung"),
    Action.PROVIDE_SUPPLEMENT: gettext_noop("Nhận hồ sơ bổ sung"),
    Action.ASSIGN: gettext_noop("Phân công"),
    Action.FORWARD: gettext_noop("Chuyển bước tiếp"),
    Action.SEND_BACK: gettext_noop("Trả lại bước trước"),
    Action.TRANSFER_TO_AGENCY: gettext_noop("Chuyển liên thông"),
    Action.RECEIVE_BACK: gettext_noop("Nhận lại từ cơ quan liên thông"),
    Action.APOLOGIZE: gettext_noop("Xin lỗi, hẹn lại"),
    Action.APPROVE: gettext_noop("Phê duyệt, ký kết quả"),
    Action.MARK_READY: gettext_noop("Kết quả đã về bộ phận một cửa"),
    Action.RETURN_RESULT: gettext_noop("Trả kết quả"),
    Action.REJECT: gettext_noop("Từ chối giải quyết"),
    Action.STOP: gettext_noop("Dừng xử lý"),
    Action.WITHDRAW: gettext_noop("Rút hồ sơ"),
}

# The national portal's status codes (1 Mới đăng ký … 10 Đã trả kết quả; code 6, financial obligations,
# is not a state here). A refusal after appraisal is reported as 3 like a refusal at intake, and a
# resolved dossier as 9, as production systems do (unverified).
NATIONAL_STATUS: dict[State, int] = {
    State.SUBMITTED: 1, State.RECEIVED: 2, State.NOT_RECEIVED: 3, State.REJECTED: 3, State.IN_PROGRESS: 4,
    State.AWAITING_SUPPLEMENT: 5, State.WITHDRAWN: 7, State.STOPPED: 8, State.RESOLVED: 9, State.RETURNED: 10,
}
# 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích; VNeID (NĐ 367/2025) is an online channel.
CHANNEL_CODES: dict[Channel, int] = {Channel.DESK: 1, Channel.ONLINE: 2, Channel.VNEID: 2, Channel.POST: 3}


class NotAllowed(Exception):
    """The action cannot be taken from this state; the message says why, in Vietnamese."""


# A dossier waiting for a supplement is in one of two phases: before receipt (guidance at the desk or for
# an online submission) only the desk's intake decisions apply; after receipt, the resolution's.
_BEFORE_RECEIPT_ONLY = frozenset({Action.REFUSE})
_AFTER_RECEIPT_ONLY = frozenset({Action.REJECT, Action.STOP})


def next_state(state: State | str, action: Action | str, *, received: bool, resolves: bool = False) -> State:
    """The state after ``action``, or ``NotAllowed``. ``received``: whether the dossier's clock has started;
    ``resolves``: a dossier brought back from another agency brings the signed result with it."""
    state, action = State(state), Action(action)
    target = _TABLE[action].get(state)
    if target is None:
        raise NotAllowed(f"Không thể {ACTION_LABELS[action].lower()} khi hồ sơ đang ở trạng thái "
                         f"\u201c{STATE_LABELS[state]}\u201d.")
    if received and action in _BEFORE_RECEIPT_ONLY:
        raise NotAllowed("Hồ sơ đã được tiếp nhận: không từ chối tiếp nhận được nữa, hãy từ chối giải quyết.")
    if not received and action in _AFTER_RECEIPT_ONLY:
        raise NotAllowed("Hồ sơ chưa được tiếp nhận: hãy từ chối tiếp nhận hoặc để người nộp rút hồ sơ.")
    if action is Action.PROVIDE_SUPPLEMENT:
        return State.IN_PROGRESS if received else State.SUBMITTED
    if action is Action.RECEIVE_BACK and resolves:
        return State.RESOLVED
    return state if target == _SAME else State(target)


def allowed_actions(state: State | str) -> frozenset[Action]:
    """The actions the table allows from ``state`` (who may take them is another question)."""
    state = State(state)
    return frozenset(action for action, moves in _TABLE.items() if state in moves)
