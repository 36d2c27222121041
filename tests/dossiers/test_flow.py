"""A dossier from the desk to the return of its result, step by step, with the deadlines it carries."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.models import DeadlineEntry, Dossier, DossierStep, Handoff
from motcua.notify.models import Notification
from tests.dossiers.conftest import LIAISON, at, intake


def act(fn, staff, dossier, instant, **kwargs) -> Dossier:
    with clock.at(instant):
        return fn(actor=staff, code=dossier.code, version=dossier.version, **kwargs)


def test_receiving_at_the_desk_gives_a_code_an_appointment_and_the_desk_step(world, now):
    dossier = services.receive_at_desk(actor=world.desk, intake=intake())
    assert dossier.code == "000.00.12.H22-260302-0001"
    assert dossier.state == "received" and dossier.version == 1 and dossier.log_number == 1
    # 10 working days from Monday 2 March 09:00 → Monday 16 March 09:00.
    assert dossier.due_at == at(16) and dossier.original_due_at == at(16)
    step = dossier.current_step
    assert step.order == 1 and step.assignee == world.desk and step.role == "desk_officer"
    # Received before 15:00 on paper: forwarded the same working day, by the end of it.
    assert step.due_at == at(2, 17, 30)
    assert dossier.current_division == world.desk_division
    assert list(DeadlineEntry.objects.filter(dossier=dossier).values_list("kind", flat=True)) == ["initial"]
    handoff = Handoff.objects.get(dossier=dossier)
    assert (handoff.seq, handoff.action, handoff.receiver_name) == (1, "receive", "Lê Minh Đạt")
    assert Notification.objects.filter(object_id=dossier.code, event="dossier.received").count() == 1


def test_a_paper_dossier_received_after_the_cutoff_is_forwarded_by_the_next_working_day(world):
    with clock.at(at(6, 15, 30)):  # Friday 15:30
        dossier = services.receive_at_desk(actor=world.desk, intake=intake())
    assert dossier.current_step.due_at == at(9, 17, 30)  # Monday's end


def test_codes_restart_each_day_and_log_numbers_run_through_the_year(world):
    with clock.at(at(2)):
        a = services.receive_at_desk(actor=world.desk, intake=intake())
        b = services.receive_at_desk(actor=world.desk, intake=intake())
    with clock.at(at(3)):
        c = services.receive_at_desk(actor=world.desk, intake=intake())
    assert [a.code[-11:], b.code[-11:], c.code[-11:]] == ["260302-0001", "260302-0002", "260303-0001"]
    assert [a.log_number, b.log_number, c.log_number] == [1, 2, 3]


def test_the_whole_journey_from_desk_to_return_is_early_when_finished_days_before(world, now):
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    d = act(services.forward, world.desk, d, at(2, 10))
    assert d.state == "in_progress" and d.current_division == world.civil and d.current_assignee is None
    d = act(services.forward, world.division_leader, d, at(2, 11))
    assert d.current_assignee is None and d.current_role == "specialist"
    d = act(services.assign, world.division_leader, d, at(2, 14), assignee_id=world.specialist.pk)
    assert d.current_assignee == world.specialist and d.current_step.name == "Thẩm định, dự thảo kết quả"
    d = act(services.forward, world.specialist, d, at(5, 10), note="Đủ điều kiện")
    d = act(services.forward, world.division_leader, d, at(5, 14))
    assert d.current_role == "agency_leader"
    d = act(services.approve, world.leader, d, at(6, 9),
            result=services.Result(number="123/QĐ-SNV", summary="Bổ nhiệm ngạch chuyên viên"))
    assert d.state == "resolved" and d.outcome == "early" and d.finished_at == at(6, 9)
    assert d.result_signer == "Nguyễn Văn Hùng" and d.current_role == "desk_officer"
    d = act(services.mark_ready, world.desk2, d, at(6, 10))
    d = act(services.return_result, world.desk, d, at(9, 8), returned_to="Trần Thị Mai", method="desk")
    assert d.state == "returned" and d.returned_at == at(9, 8) and d.current_step is None and not d.is_open
    steps = list(DossierStep.objects.filter(dossier=d).order_by("id"))
    assert [s.status for s in steps] == ["done"] * 6
    assert all(s.outcome in {"early", "on_time"} for s in steps)
    handoffs = list(Handoff.objects.filter(dossier=d).order_by("seq").values_list("seq", "action"))
    assert handoffs == [(1, "receive"), (2, "forward"), (3, "forward"), (4, "assign"), (5, "forward"), (6, "forward"),
                        (7, "approve"), (8, "mark_ready"), (9, "return_result")]
    assert d.version == 9


def test_an_inter_agency_dossier_goes_to_the_province_and_comes_back_with_the_result(world, now):
    d = services.receive_at_desk(actor=world.desk, intake=intake(LIAISON))
    d = act(services.forward, world.desk, d, at(2, 10), assignee_id=world.specialist.pk)
    d = act(services.forward, world.specialist, d, at(3, 10))
    with pytest.raises(DomainError) as refused:
        act(services.forward, world.leader, d, at(3, 11))
    assert refused.value.code == "invalid_state" and "liên thông" in refused.value.message
    d = act(services.transfer_to_agency, world.leader, d, at(3, 11), note="Trình UBND tỉnh")
    assert d.current_other_agency == world.province and d.current_step.name == "UBND tỉnh quyết định"
    with pytest.raises(DomainError) as refused:
        act(services.receive_back, world.desk, d, at(6, 9))
    assert refused.value.code == "invalid" and refused.value.details["field"] == "result_number"
    d = act(services.receive_back, world.desk, d, at(6, 9),
            result=services.Result(number="45/QĐ-UBND", signer="Chủ tịch UBND tỉnh"))
    assert d.state == "resolved" and d.outcome == "early" and d.result_number == "45/QĐ-UBND"
    assert d.current_step.name == "Trả kết quả"


def test_supplement_after_receipt_stops_the_clock_and_restarts_it_from_zero(world, now):
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    d = act(services.forward, world.desk, d, at(2, 10), assignee_id=None)
    d = act(services.forward, world.division_leader, d, at(2, 14), assignee_id=world.specialist.pk)
    d = act(services.request_supplement, world.specialist, d, at(4, 9), reason="Thiếu bản sao quyết định",
            items=[services.MissingItem("Quyết định tuyển dụng", "Bản sao chưa chứng thực")])
    assert d.state == "awaiting_supplement" and d.current_step is None and d.supplement_requests == 1
    assert d.supplements.get().within_window is True
    d = act(services.provide_supplement, world.desk, d, at(10, 9), note="Đã nộp bản sao chứng thực")
    assert d.state == "in_progress" and d.clock_started_at == at(10, 9)
    assert d.due_at == at(24, 9)  # 10 working days from Tuesday 10 March 09:00
    assert d.current_assignee == world.specialist and d.current_step.name == "Thẩm định, dự thảo kết quả"
    kinds = list(d.deadlines.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["initial", "suspension", "restart"]


def test_a_second_supplement_request_makes_the_dossier_late_and_a_third_is_refused(world, now):
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    for day in (3, 5):
        d = act(services.request_supplement, world.desk, d, at(day), reason="Thiếu giấy tờ",
                items=[services.MissingItem("Tờ trình")])
        d = act(services.provide_supplement, world.desk, d, at(day, 14))
    with pytest.raises(DomainError) as refused:
        act(services.request_supplement, world.desk, d, at(6), reason="Lần ba", items=[services.MissingItem("X")])
    assert refused.value.code == "invalid_state" and "tối đa 2 lần" in refused.value.message
    d = act(services.forward, world.desk, d, at(6, 10))
    d = act(services.forward, world.division_leader, d, at(6, 11))
    d = act(services.forward, world.division_leader, d, at(6, 14))
    d = act(services.forward, world.division_leader, d, at(6, 15))
    d = act(services.approve, world.leader, d, at(6, 16), result=services.Result(number="1/QĐ-SNV"))
    assert d.outcome == "late"  # finished days before its due time, but asked twice for a supplement


def test_an_apology_moves_the_appointment_once_and_the_dossier_stays_late(world, now):
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    d = act(services.apologize, world.desk, d, at(12, 9), reason="Chờ ý kiến cơ quan quản lý",
            new_due_at=at(20, 16))
    entry = d.deadlines.get(kind="reappointment")
    assert d.due_at == at(20, 16) and entry.previous_due_at == at(16) and entry.notice_in_time is True
    with pytest.raises(DomainError, match="chỉ được hẹn lại 1 lần"):
        act(services.apologize, world.desk, d, at(13), reason="Lần nữa", new_due_at=at(25))
    d = act(services.forward, world.desk, d, at(13, 10))
    for hour in (11, 13, 14):
        d = act(services.forward, world.division_leader, d, at(13, hour))
    d = act(services.approve, world.leader, d, at(13, 16), result=services.Result(number="9/QĐ-SNV"))
    assert d.outcome == "late"


def test_an_apology_given_less_than_a_working_day_before_the_due_time_is_recorded_as_late_notice(world, now):
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    d = act(services.apologize, world.leader, d, at(13, 14), reason="Chậm", new_due_at=at(18))
    assert d.deadlines.get(kind="reappointment").notice_in_time is False


def test_rejection_and_stop_measure_the_dossier_and_withdrawal_does_not(world, now):
    rejected = services.receive_at_desk(actor=world.desk, intake=intake())
    rejected = act(services.reject, world.leader, rejected, at(3), reason="Không đủ điều kiện bổ nhiệm")
    assert (rejected.state, rejected.outcome, rejected.closing_reason) == ("rejected", "early",
                                                                           "Không đủ điều kiện bổ nhiệm")
    stopped = services.receive_at_desk(actor=world.desk, intake=intake())
    stopped = act(services.stop, world.leader, stopped, at(20), reason="Người nộp không bổ sung")
    assert (stopped.state, stopped.outcome) == ("stopped", "late")
    withdrawn = services.receive_at_desk(actor=world.desk, intake=intake())
    withdrawn = act(services.withdraw, world.desk, withdrawn, at(3), reason="Đơn xin rút ngày 03/3")
    assert (withdrawn.state, withdrawn.outcome, withdrawn.finished_at) == ("withdrawn", "", at(3))
    assert DossierStep.objects.filter(dossier=withdrawn, status="active").count() == 0


def test_sending_back_returns_the_dossier_to_whoever_did_the_previous_step(world, now):
    d = services.receive_at_desk(actor=world.desk, intake=intake())
    d = act(services.forward, world.desk, d, at(2, 10))
    d = act(services.forward, world.division_leader, d, at(2, 11), assignee_id=world.specialist2.pk)
    d = act(services.forward, world.specialist2, d, at(4, 9))
    d = act(services.send_back, world.division_leader, d, at(4, 10), reason="Dự thảo thiếu căn cứ")
    assert d.current_assignee == world.specialist2 and d.current_step.order == 3
    assert DossierStep.objects.filter(dossier=d, status="sent_back").count() == 1
    assert d.handoffs.order_by("-seq").first().note == "Dự thảo thiếu căn cứ"


def test_online_submission_waits_for_the_desk_and_the_clock_starts_at_receipt(world, now):
    d = services.submit_online(actor=world.desk, intake=intake(channel="online", provided="mandatory"))
    assert d.state == "submitted" and d.received_at is None and d.due_at is None
    d = act(services.receive, world.desk2, d, at(3, 10))
    assert d.state == "received" and d.received_at == at(3, 10) and d.due_at == at(17, 10)
    # Online: the desk step has its own share (4 working hours), not the paper cut-off rule.
    assert d.current_step.due_at == at(3, 16)  # 10:00–11:30, then 13:30–16:00


def test_guidance_at_the_desk_keeps_the_dossier_unreceived_until_completed(world, now):
    d = services.guide_at_desk(actor=world.desk, intake=intake(provided="none"), reason="Thiếu giấy tờ",
                               missing=[services.MissingItem("Tờ trình đề nghị"),
                                        services.MissingItem("Quyết định tuyển dụng", "bản sao có chứng thực")])
    assert d.state == "awaiting_supplement" and d.received_at is None and d.supplement_requests == 0
    assert d.supplements.get().after_receipt is False
    ticks = [services.ComponentTick(doc.required_document_id) for doc in d.documents.all()]
    d = act(services.provide_supplement, world.desk, d, at(4), components=ticks)
    assert d.state == "submitted"
    d = act(services.receive, world.desk, d, at(4, 9, 5))
    assert d.state == "received" and d.due_at == at(18, 9, 5)


def test_a_desk_refusal_is_recorded_with_its_reason(world, now):
    d = services.refuse_at_desk(actor=world.desk, intake=intake(), reason="Không thuộc thẩm quyền của Sở")
    assert d.state == "not_received" and not d.is_open and d.closing_reason == "Không thuộc thẩm quyền của Sở"


def test_states_map_to_the_national_portal_codes(world, now):
    from motcua.dossiers.states import CHANNEL_CODES, NATIONAL_STATUS, Channel, State

    assert NATIONAL_STATUS[State.SUBMITTED] == 1 and NATIONAL_STATUS[State.RETURNED] == 10
    assert set(NATIONAL_STATUS) == set(State)
    assert set(CHANNEL_CODES) == set(Channel)


@pytest.mark.parametrize("missing_day", [dt.date(2026, 3, 2)])
def test_the_due_time_skips_weekends_and_the_provinces_days_off(world, missing_day):
    with clock.at(at(27, 9, month=8)):  # Thursday 27/8/2026: Quốc khánh 29/8–2/9 and the make-up Saturday 22/8
        d = services.receive_at_desk(actor=world.desk, intake=intake())
    # 28/8 (1), 3/9 (2), 4/9 (3), 7–11/9 (4–8), 14/9 (9), 15/9 (10) → Tuesday 15/9 09:00.
    assert d.due_at == at(15, 9, month=9)
