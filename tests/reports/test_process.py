"""Process measurement on dossiers walked through the real services at known instants, so that every step's
working hours are known (office hours 07:30–11:30 and 13:30–17:30; March 2026 has no holiday).

The ordinary procedure's steps: 1 Tiếp nhận (4 h), 2 Phân công (4 h), 3 Thẩm định (56 h), 4 Lãnh đạo phòng
kiểm tra (4 h), 5 Phê duyệt (8 h), 6 Trả kết quả (4 h).

==========  =============================  =============================  ================================
dossier     1 Tiếp nhận                    2 Phân công                    3 Thẩm định → 4 Kiểm tra
==========  =============================  =============================  ================================
A           Mon 2 Mar 08:00–09:00 (1 h)    09:00–09:30 (0.5 h)            09:30 → Thu 12 Mar 09:30 (64 h,
                                                                          late) → 10:30 (1 h)
B           08:00–10:00 (2 h)              10:00–10:30 (0.5 h)            → Mon 9 Mar 10:30 (40 h) → sent
                                                                          back 11:30 (1 h) → Tue 10 Mar
                                                                          11:30 (8 h) → 14:30 (1 h)
C           08:00–11:00 (3 h)              11:00–14:30 (1.5 h: lunch      → Wed 4 Mar 14:30 (16 h) →
                                           does not count)                16:30 (2 h)
D           13:30–14:30 (1 h), then a
            supplement is requested
==========  =============================  =============================  ================================
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers import services
from motcua.reports import periods, process, selectors
from tests.dossiers.conftest import at
from tests.reports.conftest import act, receive

MARCH = periods.Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def forward_to(world, d, when, assignee=None):
    return act(services.forward, world.division_leader, d, when,
               **({"assignee_id": assignee.pk} if assignee else {}))


@pytest.fixture
def walks(world):
    out = {}
    for name, forwarded in (("A", at(2, 9)), ("B", at(2, 10)), ("C", at(2, 11))):
        d = receive(world, at(2, 8))
        out[name] = act(services.forward, world.desk, d, forwarded)
    a, b, c = out["A"], out["B"], out["C"]
    a = act(services.forward, world.division_leader, a, at(2, 9, 30), assignee_id=world.specialist.pk)
    b = act(services.forward, world.division_leader, b, at(2, 10, 30), assignee_id=world.specialist.pk)
    c = act(services.forward, world.division_leader, c, at(2, 14, 30), assignee_id=world.specialist.pk)
    c = act(services.forward, world.specialist, c, at(4, 14, 30))
    out["C"] = act(services.forward, world.division_leader, c, at(4, 16, 30))
    b = act(services.forward, world.specialist, b, at(9, 10, 30))
    b = act(services.send_back, world.division_leader, b, at(9, 11, 30), reason="Dự thảo chưa đúng mẫu")
    b = act(services.forward, world.specialist, b, at(10, 11, 30))
    out["B"] = act(services.forward, world.division_leader, b, at(10, 14, 30))
    a = act(services.forward, world.specialist, a, at(12, 9, 30))
    out["A"] = act(services.forward, world.division_leader, a, at(12, 10, 30))
    d = receive(world, at(2, 13, 30))
    out["D"] = act(services.request_supplement, world.desk, d, at(2, 14, 30), reason="Thiếu giấy tờ",
                   items=[services.MissingItem("Tờ trình đề nghị")])
    return out


def steps_of(report: process.ProcessReport, code: str = "SNV.TEST.01") -> dict[int, process.StepFigures]:
    figures = next(p for p in report.procedures if p.code == code)
    return {s.order: s for s in figures.steps}


def test_each_step_reads_its_passes_median_and_90th_percentile_in_working_hours(world, walks):
    steps = steps_of(process.measure(agency=world.agency, period=MARCH))
    assert sorted(steps) == [1, 2, 3, 4]  # nothing has finished the leader's approval yet
    intake, assign, appraisal, check = steps[1], steps[2], steps[3], steps[4]
    # 1, 2, 3 hours and D's 1 hour before its supplement request
    assert (intake.passes, intake.median_hours, intake.p90_hours, intake.allotted_hours) == (4, 1.5, 2.7, 4)
    # 0.5, 0.5 and C's 1.5 hours across lunch (11:00–11:30, then 13:30–14:30)
    assert (assign.passes, assign.median_hours, assign.p90_hours) == (3, 0.5, 1.3)
    # 64, 40, 8 (B again after being sent back) and 16 hours
    assert (appraisal.passes, appraisal.median_hours, appraisal.p90_hours, appraisal.allotted_hours) == (
        4, 28.0, 56.8, 56)
    assert (check.passes, check.median_hours, check.p90_hours) == (4, 1.0, 1.7)


def test_late_and_sent_back_shares_are_per_pass(world, walks):
    steps = steps_of(process.measure(agency=world.agency, period=MARCH))
    assert (steps[3].late, steps[3].late_share) == (1, 25.0)  # A's 64 hours against 56
    assert (steps[4].sent_back, steps[4].sent_back_rate) == (1, 25.0)  # B sent back once in four passes
    assert steps[1].late_share == steps[2].late_share == 0.0
    assert steps[3].sent_back_rate == 0.0


def test_the_supplement_rate_is_dossiers_asked_for_a_supplement_over_dossiers_received(world, walks):
    figures = next(p for p in process.measure(agency=world.agency, period=MARCH).procedures)
    assert (figures.received, figures.with_supplement, figures.supplement_rate) == (4, 1, 25.0)


def test_the_bottleneck_is_the_step_whose_slow_passes_overrun_its_time_most(world, walks):
    figures = next(p for p in process.measure(agency=world.agency, period=MARCH).procedures)
    assert figures.bottleneck is not None and figures.bottleneck.order == 3
    assert figures.bottleneck.pressure == round(56.8 / 56, 2)
    assert [s.order for s in figures.steps if s.bottleneck] == [3]


def test_only_steps_finished_in_the_period_count(world, walks):
    first_days = process.measure(agency=world.agency, period=periods.Period(dt.date(2026, 3, 1), dt.date(2026, 3, 5)))
    steps = steps_of(first_days)
    assert {order: s.passes for order, s in steps.items()} == {1: 4, 2: 3, 3: 1, 4: 1}
    assert steps[3].median_hours == 16.0
    later = process.measure(agency=world.agency, period=periods.Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30)))
    assert later.procedures == []


def test_another_agencys_measurement_holds_none_of_these_steps(world, walks):
    assert process.measure(agency=world.stranger.agency, period=MARCH).procedures == []


def test_divisions_are_the_report_by_division(world, walks):
    report = process.measure(agency=world.agency, period=MARCH)
    expected = selectors.resolution(period=MARCH, agency=world.agency, group_by="division")
    assert [r.as_dict() for r in report.divisions.rows] == [r.as_dict() for r in expected.rows]


def step(order, passes=10, late=0, allotted=8, p90=4.0, name="Bước"):
    return process.StepFigures(order=order, name=name, passes=passes, late=late, sent_back=0,
                               allotted_hours=allotted, median_hours=p90 / 2, p90_hours=p90)


def test_equal_overruns_are_decided_by_the_late_share():
    steps = [step(1, p90=8, allotted=4, late=1), step(2, p90=16, allotted=8, late=3), step(3, p90=1, allotted=8)]
    assert process.flag_bottleneck(steps) is steps[1]
    assert [s.bottleneck for s in steps] == [False, True, False]


def test_a_step_without_allotted_hours_can_still_be_the_bottleneck_by_lateness():
    steps = [step(1, p90=0, allotted=0, late=0), step(2, p90=3, allotted=0, late=4)]
    assert process.flag_bottleneck(steps) is steps[1]


def test_no_bottleneck_when_nothing_was_measured_or_nothing_took_time():
    assert process.flag_bottleneck([]) is None
    assert process.flag_bottleneck([step(1, passes=0, p90=0)]) is None
    assert process.flag_bottleneck([step(1, p90=0), step(2, p90=0)]) is None


def test_step_figures_from_passes():
    figures = process.step_figures(3, "Thẩm định", [(64.0, 56, "done", "late"), (40.0, 56, "sent_back", "on_time"),
                                                     (8.0, 56, "done", "early"), (16.0, 48, "done", "early")])
    assert (figures.passes, figures.late, figures.sent_back, figures.allotted_hours) == (4, 1, 1, 56)
    assert (figures.median_hours, figures.p90_hours, figures.pressure_percent) == (28.0, 56.8, 101)
    empty = process.step_figures(1, "x", [])
    assert (empty.median_hours, empty.late_share, empty.pressure) == (None, None, None)
