"""A procedure version's process as the dossier walks it (pure: works on plain step descriptions).

The catalogue's steps run in order. The last step is the return of the result when it is the desk's
(every demo procedure ends so); the step before it decides: the result is approved and signed there, or,
when that step belongs to another agency (the UBND tỉnh signs), brought back from there with the result.
A step of another agency is reached by a transfer (liên thông) and left by bringing the dossier back.
"""

from __future__ import annotations

from dataclasses import dataclass

DESK = "desk_officer"
AGENCY_LEADER = "agency_leader"
LEADERS_PLACE = "Lãnh đạo cơ quan"


def place_label(place: str | None, role: str) -> str:
    """How pages, forms and the look-up name where a step is: its division, unit or other agency; the
    agency's leaders for a leader's step of no place; empty when there is nothing to name."""
    if place:
        return place
    return LEADERS_PLACE if role == AGENCY_LEADER else ""


@dataclass(frozen=True)
class PlannedStep:
    index: int
    role: str
    other_agency_id: int | None


@dataclass(frozen=True)
class Plan:
    steps: tuple[PlannedStep, ...]

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a procedure's process has at least one step")

    @property
    def return_index(self) -> int | None:
        """The final desk step that hands the result back, if the process has one."""
        last = self.steps[-1]
        return last.index if len(self.steps) > 1 and last.role == DESK and last.other_agency_id is None else None

    @property
    def decision_index(self) -> int:
        """The step whose end is the resolution (approval and signature of the result)."""
        return self.steps[-1].index - 1 if self.return_index is not None else self.steps[-1].index

    def at(self, index: int) -> PlannedStep:
        return self.steps[index]

    def is_external(self, index: int) -> bool:
        return self.steps[index].other_agency_id is not None


class RoutingError(Exception):
    """The move does not fit the process here; the message says what to do instead."""


def forward_target(plan: Plan, index: int) -> int:
    """The next step for an ordinary hand-off from step ``index``."""
    if index >= plan.decision_index:
        raise RoutingError("Đây là bước quyết định: hãy phê duyệt, ký kết quả (hoặc từ chối) thay vì chuyển tiếp.")
    target = index + 1
    if plan.is_external(target):
        raise RoutingError("Bước tiếp theo do cơ quan khác thực hiện: hãy dùng \u201cChuyển liên thông\u201d.")
    return target


def transfer_target(plan: Plan, index: int) -> int:
    """The other agency's step a transfer (liên thông) from step ``index`` goes to."""
    target = index + 1
    if target > plan.decision_index or not plan.is_external(target):
        raise RoutingError("Bước tiếp theo không phải của cơ quan khác: hãy dùng \u201cChuyển bước tiếp\u201d.")
    return target


def send_back_target(plan: Plan, index: int) -> int:
    if index == 0:
        raise RoutingError("Hồ sơ đang ở bước đầu tiên, không có bước trước để trả lại.")
    if plan.return_index is not None and index == plan.return_index:
        raise RoutingError("Kết quả đã được ký: không trả lại bước trước được.")
    target = index - 1
    if plan.is_external(target):
        raise RoutingError("Bước trước do cơ quan khác thực hiện: không trả lại được.")
    return target


def after_receive_back(plan: Plan, index: int) -> int | None:
    """Where a dossier brought back from another agency goes: the next step, or None when the other
    agency's step was the decision (the result comes back with it)."""
    if not plan.is_external(index):
        raise RoutingError("Hồ sơ không ở cơ quan liên thông.")
    return None if index == plan.decision_index else index + 1


def may_approve(plan: Plan, index: int) -> None:
    if index != plan.decision_index:
        raise RoutingError("Chỉ phê duyệt, ký kết quả ở bước quyết định của quy trình.")
    if plan.is_external(index):
        raise RoutingError("Kết quả do cơ quan liên thông ký: hãy \u201cNhận lại từ cơ quan liên thông\u201d "
                           "kèm kết quả.")
