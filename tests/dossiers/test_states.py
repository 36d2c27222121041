"""The state table, exhaustively: every state × every action × before/after receipt, against the table
written out here as the issue and the law describe it."""

from __future__ import annotations

import itertools

import pytest

from motcua.dossiers.states import (
    CLOSED,
    OPEN,
    Action,
    NotAllowed,
    State,
    allowed_actions,
    next_state,
)

S, A = State, Action
WORKING = (S.RECEIVED, S.IN_PROGRESS)

# (state, action, received) -> the state it leads to; every combination not listed must be refused.
EXPECTED: dict[tuple[State, Action, bool], State] = {
    (S.SUBMITTED, A.RECEIVE, False): S.RECEIVED,
    (S.SUBMITTED, A.REFUSE, False): S.NOT_RECEIVED,
    (S.SUBMITTED, A.REQUEST_SUPPLEMENT, False): S.AWAITING_SUPPLEMENT,
    (S.SUBMITTED, A.WITHDRAW, False): S.WITHDRAWN,
    (S.AWAITING_SUPPLEMENT, A.PROVIDE_SUPPLEMENT, False): S.SUBMITTED,
    (S.AWAITING_SUPPLEMENT, A.REFUSE, False): S.NOT_RECEIVED,
    (S.AWAITING_SUPPLEMENT, A.WITHDRAW, False): S.WITHDRAWN,
    (S.AWAITING_SUPPLEMENT, A.PROVIDE_SUPPLEMENT, True): S.IN_PROGRESS,
    (S.AWAITING_SUPPLEMENT, A.REJECT, True): S.REJECTED,
    (S.AWAITING_SUPPLEMENT, A.STOP, True): S.STOPPED,
    (S.AWAITING_SUPPLEMENT, A.WITHDRAW, True): S.WITHDRAWN,
    (S.RESOLVED, A.MARK_READY, True): S.RESOLVED,
    (S.RESOLVED, A.RETURN_RESULT, True): S.RETURNED,
}
for state in WORKING:
    EXPECTED |= {
        (state, A.REQUEST_SUPPLEMENT, True): S.AWAITING_SUPPLEMENT,
        (state, A.ASSIGN, True): state,
        (state, A.FORWARD, True): S.IN_PROGRESS,
        (state, A.TRANSFER_TO_AGENCY, True): S.IN_PROGRESS,
        (state, A.APOLOGIZE, True): state,
        (state, A.APPROVE, True): S.RESOLVED,
        (state, A.REJECT, True): S.REJECTED,
        (state, A.STOP, True): S.STOPPED,
        (state, A.WITHDRAW, True): S.WITHDRAWN,
    }
EXPECTED |= {(S.IN_PROGRESS, A.SEND_BACK, True): S.IN_PROGRESS, (S.IN_PROGRESS, A.RECEIVE_BACK, True): S.IN_PROGRESS}

# A dossier in these states has (or has not) been received, whatever the actions; the others can be both.
PHASES = {S.SUBMITTED: (False,), S.RECEIVED: (True,), S.IN_PROGRESS: (True,), S.RESOLVED: (True,),
          S.RETURNED: (True,), S.REJECTED: (True,), S.STOPPED: (True,), S.NOT_RECEIVED: (False,),
          S.AWAITING_SUPPLEMENT: (False, True), S.WITHDRAWN: (False, True)}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(State, Action)))
def test_every_state_and_action(state, action):
    for received in PHASES[state]:
        expected = EXPECTED.get((state, action, received))
        if expected is None:
            with pytest.raises(NotAllowed) as refused:
                next_state(state, action, received=received)
            assert refused.value.args[0].startswith(("Không thể", "Hồ sơ đã được tiếp nhận", "Hồ sơ chưa được"))
        else:
            assert next_state(state, action, received=received) is expected


def test_closed_states_allow_nothing():
    for state in CLOSED:
        assert allowed_actions(state) == frozenset()
    assert set(State) == OPEN | CLOSED and not OPEN & CLOSED


def test_a_refusal_names_the_action_and_the_state_in_vietnamese():
    with pytest.raises(NotAllowed, match=r"Không thể trả kết quả khi hồ sơ đang ở trạng thái .Đang giải quyết.\."):
        next_state(S.IN_PROGRESS, A.RETURN_RESULT, received=True)


def test_bringing_back_the_result_from_another_agency_resolves_the_dossier():
    assert next_state(S.IN_PROGRESS, A.RECEIVE_BACK, received=True, resolves=True) is S.RESOLVED
