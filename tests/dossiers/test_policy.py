"""Who may act on which step (pure rules)."""

from __future__ import annotations

import pytest

from motcua.dossiers import policy
from motcua.dossiers.policy import Actor, Step

DESK_PERMS = frozenset({"view_dossier", "view_agency_dossiers", "receive_dossier", "handle_dossier",
                        "apologize_dossier"})
SPECIALIST_PERMS = frozenset({"view_dossier", "handle_dossier"})
LEADER_PERMS = frozenset({"view_dossier", "handle_dossier", "assign_dossier", "approve_dossier", "reject_dossier",
                          "apologize_dossier"})
AGENCY_PERMS = LEADER_PERMS - {"assign_dossier"} | {"view_agency_dossiers"}

desk = Actor(1, 1, frozenset({"desk_officer"}), DESK_PERMS, division_id=10)
specialist = Actor(2, 1, frozenset({"specialist"}), SPECIALIST_PERMS, division_id=20)
colleague = Actor(3, 1, frozenset({"specialist"}), SPECIALIST_PERMS, division_id=20)
outsider = Actor(4, 1, frozenset({"specialist"}), SPECIALIST_PERMS, division_id=30)
head = Actor(5, 1, frozenset({"division_leader"}), LEADER_PERMS, division_id=20)
director = Actor(6, 1, frozenset({"agency_leader"}), AGENCY_PERMS)
unit_staff = Actor(7, 1, frozenset({"specialist"}), SPECIALIST_PERMS, unit_id=40)

desk_step = Step("desk_officer", division_id=10, assignee_id=99)
appraisal = Step("specialist", division_id=20)
assigned = Step("specialist", division_id=20, assignee_id=2)
unit_step = Step("specialist", unit_id=40)
signing = Step("agency_leader")
external = Step("agency_leader", other_agency_id=77)


@pytest.mark.parametrize(("actor", "step", "allowed"), [
    (desk, desk_step, True),             # the desk is shared, whoever received it
    (specialist, desk_step, False),
    (specialist, appraisal, True),       # unassigned: anyone with the role at the place
    (colleague, appraisal, True),
    (outsider, appraisal, False),        # another division
    (specialist, assigned, True),
    (colleague, assigned, False),        # assigned to someone else
    (head, assigned, True),              # the division leader supervises the division's steps
    (head, signing, False),
    (director, signing, True),
    (director, appraisal, False),
    (unit_staff, unit_step, True),
    (specialist, unit_step, False),
    (director, external, False),         # another agency's step is held by nobody here
])
def test_who_holds_a_step(actor, step, allowed):
    assert policy.holds(actor, step) is allowed


def test_forwarding_needs_the_step():
    assert policy.check("forward", specialist, step=appraisal) is None
    assert policy.check("forward", outsider, step=appraisal) == policy.NOT_YOUR_STEP
    assert policy.check("forward", desk, step=appraisal) == policy.NOT_YOUR_STEP


def test_only_the_desk_receives_refuses_and_returns():
    for action in ("receive", "refuse", "provide_supplement", "withdraw", "return_result"):
        assert policy.check(action, desk, step=None, received=False) is None
        assert policy.check(action, director, step=None, received=False) == policy.NO_PERMISSION


def test_supplements_before_receipt_come_from_the_desk_after_from_whoever_appraises():
    assert policy.check("request_supplement", desk, step=None, received=False) is None
    assert policy.check("request_supplement", specialist, step=None, received=False) == policy.NO_PERMISSION
    assert policy.check("request_supplement", specialist, step=appraisal, received=True) is None
    assert policy.check("request_supplement", outsider, step=appraisal, received=True) == policy.NOT_YOUR_STEP


def test_assigning_is_for_the_leader_of_the_steps_division():
    assert policy.check("assign", head, step=appraisal) is None
    assert policy.check("assign", specialist, step=appraisal) == policy.NO_PERMISSION
    other_head = Actor(8, 1, frozenset({"division_leader"}), LEADER_PERMS, division_id=30)
    assert policy.check("assign", other_head, step=appraisal) is not None


def test_approval_needs_the_approval_permission_and_the_step():
    assert policy.check("approve", director, step=signing) is None
    assert policy.check("approve", specialist, step=signing) == policy.NO_PERMISSION
    assert policy.check("approve", head, step=signing) == policy.NOT_YOUR_STEP


def test_rejection_by_the_director_anywhere_or_by_the_leader_of_the_step():
    assert policy.check("reject", director, step=appraisal) is None
    assert policy.check("reject", head, step=appraisal) is None
    assert policy.check("reject", specialist, step=appraisal) == policy.NO_PERMISSION
    assert policy.check("stop", desk, step=desk_step) == policy.NO_PERMISSION


def test_bringing_back_from_another_agency_by_the_desk_or_whoever_sent_it():
    assert policy.check("receive_back", desk, step=external) is None
    assert policy.check("receive_back", director, step=external, previous=signing) is None
    assert policy.check("receive_back", specialist, step=external, previous=signing) == policy.NO_PERMISSION


def test_seeing_a_dossier_and_its_personal_data():
    assert policy.may_view(director, agencies=frozenset({1}), touched=False)
    assert not policy.may_view(specialist, agencies=frozenset({1}), touched=False)
    assert policy.may_view(specialist, agencies=frozenset({1}), touched=True)
    assert not policy.may_view(director, agencies=frozenset({2}), touched=True)
    assert not policy.may_see_personal_data(director, agencies=frozenset({1}), touched=False)
    assert policy.may_see_personal_data(specialist, agencies=frozenset({1}), touched=True)
    auditor = Actor(9, 1, frozenset({"auditor"}), frozenset({"view_dossier", "view_agency_dossiers",
                                                              "view_personal_data"}))
    assert policy.may_see_personal_data(auditor, agencies=frozenset({1}), touched=False)
    # An agency taking part in someone else's dossier (a receiving commune, a partner) sees it with its roles.
    assert policy.may_view(director, agencies=frozenset({2, 1}), touched=False)
    # Province readers see every dossier; the province auditor its personal data too, the leader not.
    leader = Actor(10, 5, frozenset({"province_leader"}), frozenset({"view_dossier", "view_province_dossiers"}))
    p_auditor = Actor(11, 5, frozenset({"province_auditor"}),
                      frozenset({"view_dossier", "view_province_dossiers", "view_personal_data"}))
    assert policy.may_view(leader, agencies=frozenset({1}), touched=False)
    assert not policy.may_see_personal_data(leader, agencies=frozenset({1}), touched=False)
    assert policy.may_see_personal_data(p_auditor, agencies=frozenset({1}), touched=False)
