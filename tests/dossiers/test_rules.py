"""Pure rules: outcomes, the process's routing, the applicant's details."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.dossiers import applicants, routing
from motcua.dossiers.outcomes import Outcome, classify

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = dt.datetime(2026, 3, 16, 9, 0, tzinfo=VN)


@pytest.mark.parametrize(("finished", "expected"), [
    (dt.datetime(2026, 3, 13, 17, 0, tzinfo=VN), Outcome.EARLY),
    (dt.datetime(2026, 3, 16, 8, 0, tzinfo=VN), Outcome.ON_TIME),
    (DUE, Outcome.ON_TIME),
    (DUE + dt.timedelta(minutes=1), Outcome.LATE),
    (dt.datetime(2026, 3, 16, 1, 30, tzinfo=dt.UTC), Outcome.ON_TIME),  # 08:30 in Hà Nội: the day counts locally
])
def test_outcome_against_the_appointment(finished, expected):
    assert classify(finished, DUE) is expected


def test_a_second_supplement_or_an_apology_makes_it_late_however_early():
    early = dt.datetime(2026, 3, 3, 9, 0, tzinfo=VN)
    assert classify(early, DUE, supplement_requests=1) is Outcome.EARLY
    assert classify(early, DUE, supplement_requests=2) is Outcome.LATE
    assert classify(early, DUE, apologized=True) is Outcome.LATE


@given(st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1), timezones=st.just(VN)))
def test_late_exactly_when_after_the_due_instant(finished):
    assert (classify(finished, DUE) is Outcome.LATE) == (finished > DUE)


def plan(*steps: tuple[str, int | None]) -> routing.Plan:
    return routing.Plan(tuple(routing.PlannedStep(i, role, other) for i, (role, other) in enumerate(steps)))


ORDINARY = plan(("desk_officer", None), ("division_leader", None), ("specialist", None), ("agency_leader", None),
                ("desk_officer", None))
LIAISON = plan(("desk_officer", None), ("specialist", None), ("agency_leader", None), ("agency_leader", 7),
               ("desk_officer", None))


def test_the_decision_is_the_step_before_the_return():
    assert (ORDINARY.return_index, ORDINARY.decision_index) == (4, 3)
    assert (LIAISON.return_index, LIAISON.decision_index) == (4, 3)
    no_return = plan(("desk_officer", None), ("specialist", None))
    assert (no_return.return_index, no_return.decision_index) == (None, 1)
    short = plan(("specialist", None), ("desk_officer", None))
    assert (short.return_index, short.decision_index) == (1, 0)


def test_routing_of_an_ordinary_process():
    assert routing.forward_target(ORDINARY, 0) == 1
    with pytest.raises(routing.RoutingError, match="bước quyết định"):
        routing.forward_target(ORDINARY, 3)
    assert routing.send_back_target(ORDINARY, 2) == 1
    with pytest.raises(routing.RoutingError, match="bước đầu tiên"):
        routing.send_back_target(ORDINARY, 0)
    with pytest.raises(routing.RoutingError, match="đã được ký"):
        routing.send_back_target(ORDINARY, 4)
    routing.may_approve(ORDINARY, 3)
    with pytest.raises(routing.RoutingError):
        routing.may_approve(ORDINARY, 2)


def test_routing_through_another_agency():
    with pytest.raises(routing.RoutingError, match="Chuyển liên thông"):
        routing.forward_target(LIAISON, 2)
    assert routing.transfer_target(LIAISON, 2) == 3
    with pytest.raises(routing.RoutingError, match="không phải của cơ quan khác"):
        routing.transfer_target(LIAISON, 1)
    assert routing.after_receive_back(LIAISON, 3) is None  # the other agency decided: the result comes back
    with pytest.raises(routing.RoutingError, match="Nhận lại"):
        routing.may_approve(LIAISON, 3)


TODAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(("applicant", "fields"), [
    (applicants.Applicant("individual", "Trần Thị Mai", id_number="002190001234", birth_date=dt.date(1990, 5, 17)),
     set()),
    (applicants.Applicant("individual", "Trần Thị Mai", id_number="00219000123"), {"id_number"}),     # 11 digits
    (applicants.Applicant("individual", "Trần Thị Mai", id_number="00219000123a"), {"id_number"}),
    (applicants.Applicant("individual", "Trần Thị Mai", id_number="002190001234", birth_date=dt.date(1991, 5, 17)),
     {"id_number"}),                                                                                  # year 90 ≠ 1991
    (applicants.Applicant("individual", "Lê Văn An", id_number="002205001234", birth_date=dt.date(2005, 1, 1)),
     set()),                                                                                          # 2 = male, 2000s
    (applicants.Applicant("individual", "Lê Văn An", id_number="002005001234", birth_date=dt.date(2005, 1, 1)),
     {"id_number"}),                                                                                  # 0 = 1900s
    (applicants.Applicant("individual", "", id_number="002190001234"), {"name"}),
    (applicants.Applicant("individual", "A", id_number="002190001234", phone="12345"), {"phone"}),
    (applicants.Applicant("individual", "A", id_number="002190001234", phone="+84 912 345 678"), set()),
    (applicants.Applicant("individual", "A", id_number="002190001234", email="a@b"), {"email"}),
    (applicants.Applicant("individual", "A", id_number="002190001234", birth_date=dt.date(2027, 1, 1)),
     {"birth_date", "id_number"}),
    (applicants.Applicant("organisation", "Hội Cựu chiến binh", tax_code="0101234567", representative="Ông B"), set()),
    (applicants.Applicant("organisation", "Hội", tax_code="0101234567-001", representative="Ông B"), set()),
    (applicants.Applicant("organisation", "Hội", tax_code="123", representative=""), {"tax_code", "representative"}),
])
def test_the_applicants_details_are_checked_for_form(applicant, fields):
    assert set(applicants.problems(applicant, today=TODAY)) == fields


def test_lists_mask_personal_data():
    assert applicants.mask("002190001234") == "002*******34"
    assert applicants.mask("0912345678") == "091*****78"
    assert applicants.mask_address("Tổ 5, phường Nguyễn Trãi, Hà Giang") == "…, Hà Giang"
    assert applicants.mask("") == ""
