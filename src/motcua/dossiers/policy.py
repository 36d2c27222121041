"""Who may take which action on a dossier, and who may see it (pure: no Django, no database).

Permissions come from roles (``org.roles.GRANTS``); this module adds where the actor stands: the active
step of a dossier belongs to whoever holds it — the person it was assigned to, or, unassigned, anyone
with the step's role in the step's division or unit — and a division leader supervises the steps of
their division. Each check returns None when allowed, or the Vietnamese reason for refusing.
"""

from __future__ import annotations

from dataclasses import dataclass

DESK = "desk_officer"
SPECIALIST = "specialist"
DIVISION_LEADER = "division_leader"
AGENCY_LEADER = "agency_leader"
AUDITOR = "auditor"

NOT_YOUR_STEP = "Hồ sơ đang ở bước do người khác xử lý; bạn không thể thao tác ở bước này."
NO_PERMISSION = "Vai trò của bạn không được thực hiện thao tác này trên hồ sơ."


@dataclass(frozen=True)
class Actor:
    staff_id: int
    agency_id: int
    roles: frozenset[str]
    perms: frozenset[str]  # codenames of the dossiers app, e.g. "receive_dossier"
    division_id: int | None = None
    unit_id: int | None = None


@dataclass(frozen=True)
class Step:
    role: str
    division_id: int | None = None
    unit_id: int | None = None
    other_agency_id: int | None = None  # an agency off the system (transfer and receive-back)
    assignee_id: int | None = None
    agency_id: int | None = None  # the agency that performs the step (None: not known, any)


def at_place(actor: Actor, step: Step) -> bool:
    """The actor works where the step is (a step of no division or unit is the agency's own)."""
    if step.division_id is not None:
        return actor.division_id == step.division_id
    if step.unit_id is not None:
        return actor.unit_id == step.unit_id
    return True


def leads(actor: Actor, step: Step) -> bool:
    """A division (or unit) leader supervises the steps of their own division or unit."""
    placed = step.division_id is not None or step.unit_id is not None
    own = step.agency_id is None or step.agency_id == actor.agency_id
    return DIVISION_LEADER in actor.roles and placed and own and at_place(actor, step)


def holds(actor: Actor, step: Step | None) -> bool:
    """Whether the active step is the actor's to act on: a step of the actor's own agency only (the receiving
    desk, the resolving agency, a partner and the delivery desk each act on their own steps)."""
    if step is None or step.other_agency_id is not None:
        return False
    if step.agency_id is not None and step.agency_id != actor.agency_id:
        return False
    if step.role == DESK:  # the desk is shared: any desk officer there serves any applicant
        return DESK in actor.roles and at_place(actor, step)
    if leads(actor, step):
        return True
    if step.assignee_id is not None:
        return step.assignee_id == actor.staff_id
    return step.role in actor.roles and at_place(actor, step)


# What each action needs: the permission, and whether the actor must hold the active step.
_NEEDS: dict[str, tuple[str, bool]] = {
    "receive": ("receive_dossier", False),
    "refuse": ("receive_dossier", False),
    "provide_supplement": ("receive_dossier", False),
    "withdraw": ("receive_dossier", False),
    "mark_ready": ("receive_dossier", True),
    "return_result": ("receive_dossier", True),
    "forward": ("handle_dossier", True),
    "send_back": ("handle_dossier", True),
    "transfer_to_agency": ("handle_dossier", True),
    "approve": ("approve_dossier", True),
}


DESK_ACTIONS = frozenset({"receive", "refuse", "provide_supplement", "withdraw"})
OTHER_AGENCY = "Thao tác này do cơ quan khác tham gia hồ sơ thực hiện, không phải cơ quan của bạn."


def check(action: str, actor: Actor, *, step: Step | None, received: bool = True,
          previous: Step | None = None, resolving: bool = True, desk: bool = True) -> str | None:
    """None when ``actor`` may take ``action`` with the dossier's active ``step`` (``previous``: the step
    before it, for bringing a dossier back from another agency), else the reason. ``resolving``: the actor's
    agency resolves the dossier (its leaders may reject, stop and apologise); ``desk``: it is the dossier's
    receiving or delivery point (its desk takes in supplements, withdrawals and results)."""
    if (action in DESK_ACTIONS and not desk) or (action == "receive_back" and not resolving):
        return OTHER_AGENCY
    if action == "request_supplement":
        # Before receipt the desk gives the guidance; after, whoever is appraising the dossier asks.
        if not received:
            return None if "receive_dossier" in actor.perms else NO_PERMISSION
        if "handle_dossier" not in actor.perms:
            return NO_PERMISSION
        return None if holds(actor, step) else NOT_YOUR_STEP
    if action == "assign":
        if "assign_dossier" not in actor.perms:
            return NO_PERMISSION
        return None if step is not None and leads(actor, step) else \
            "Chỉ lãnh đạo phòng, đơn vị đang xử lý hồ sơ mới phân công được."
    if action == "receive_back":
        if step is None or step.other_agency_id is None:
            return None  # the state guard explains it
        if "receive_dossier" in actor.perms or ("handle_dossier" in actor.perms and holds(actor, previous)):
            return None
        return NO_PERMISSION
    if action in {"reject", "stop"}:
        if "reject_dossier" not in actor.perms:
            return NO_PERMISSION
        if (AGENCY_LEADER in actor.roles and resolving) or holds(actor, step) or \
                (step is not None and leads(actor, step)):
            return None
        return NOT_YOUR_STEP
    if action == "apologize":
        if "apologize_dossier" not in actor.perms:
            return NO_PERMISSION
        if (DESK in actor.roles and desk) or (AGENCY_LEADER in actor.roles and resolving) or \
                (step is not None and leads(actor, step)):
            return None
        return NOT_YOUR_STEP
    permission, on_step = _NEEDS[action]
    if permission not in actor.perms:
        return NO_PERMISSION
    if on_step and step is not None and not holds(actor, step):
        return NOT_YOUR_STEP
    return None


PROVINCE_VIEW = "view_province_dossiers"


def takes_part(actor: Actor, agencies: frozenset[int]) -> bool:
    """The actor's agency takes part in the dossier (receiving, resolving, partner, delivery), or the actor
    reads the whole province."""
    return PROVINCE_VIEW in actor.perms or actor.agency_id in agencies


def may_view(actor: Actor, *, agencies: frozenset[int], touched: bool) -> bool:
    """Province readers; staff of an agency taking part who see all its dossiers, or who work or worked on
    this one (``touched``)."""
    if PROVINCE_VIEW in actor.perms:
        return True
    if actor.agency_id not in agencies:
        return False
    return "view_agency_dossiers" in actor.perms or touched


def may_see_personal_data(actor: Actor, *, agencies: frozenset[int], touched: bool) -> bool:
    """Citizen ID, phone, address: to staff working on the dossier, the desks of the agencies taking part,
    and auditors (the province's auditors everywhere)."""
    if PROVINCE_VIEW in actor.perms and "view_personal_data" in actor.perms:
        return True
    if actor.agency_id not in agencies:
        return False
    return touched or "view_personal_data" in actor.perms or DESK in actor.roles
