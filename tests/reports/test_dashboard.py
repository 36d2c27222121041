"""The leaders' dashboard on the known March 2026 (``tests/reports/conftest.py``): every period figure is the
report's for the same period, every live figure is the dossier list's behind its tile."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core import workdays
from motcua.dossiers import access as dossier_access
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import Queue
from motcua.org import calendars
from motcua.portal.models import Rating
from motcua.reports import dashboard, periods, selectors
from tests.dossiers.conftest import at
from tests.reports.conftest import EXPECTED_MARCH, MARCH, act

END_OF_MARCH = at(31, 16)  # Tuesday 31 March 2026, 16:00


def board(world, now=END_OF_MARCH) -> dashboard.Dashboard:
    return dashboard.dashboard(world.agency, now=now)


def month_end(start: dt.date) -> dt.date:
    return periods.next_month(start) - dt.timedelta(days=1)


def test_this_months_tiles_are_the_report_for_the_same_month(world, history):
    b = board(world)
    assert b.month == periods.Period(*MARCH)
    report = selectors.resolution(period=periods.Period(*MARCH), agency=world.agency)
    assert b.month_report.totals.as_dict() == report.totals.as_dict()
    totals = b.month_report.totals.as_dict()
    assert {k: totals[k] for k in EXPECTED_MARCH} == EXPECTED_MARCH
    assert totals["on_time_rate"] == 83.33


def test_the_month_so_far_is_the_report_from_the_first_to_today(world, history):
    b = board(world, now=at(10, 11))
    assert b.month == periods.Period(dt.date(2026, 3, 1), dt.date(2026, 3, 10))
    report = selectors.resolution(period=b.month, agency=world.agency)
    assert b.month_report.totals.as_dict() == report.totals.as_dict()
    # carried (3 March), early and rejected (6 March), online (15:00 on the 10th, the later part of today)
    assert (report.totals.resolved, report.totals.late) == (4, 0)


def test_each_month_of_the_trend_is_the_report_for_that_month(world, history):
    b = board(world)
    assert [m.start for m in b.months] == [dt.date(2025, 4, 1) + dt.timedelta(days=0)] + [
        periods.next_month(m.start) for m in b.months[:-1]]
    assert len(b.months) == 12 and b.months[-1].start == dt.date(2026, 3, 1)
    for month in b.months:
        report = selectors.resolution(period=periods.Period(month.start, min(month_end(month.start),
                                                                              dt.date(2026, 3, 31))),
                                      agency=world.agency).totals
        assert (month.received, month.resolved) == (report.received_online + report.received_direct,
                                                    report.resolved), month.start
    assert [(m.received, m.resolved) for m in b.months[-2:]] == [(1, 0), (9, 6)]


def test_the_division_rates_are_the_report_by_division_for_the_twelve_months(world, history):
    b = board(world)
    assert b.window == periods.Period(dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    report = selectors.resolution(period=b.window, agency=world.agency, group_by="division")
    assert [r.as_dict() for r in b.divisions.rows] == [r.as_dict() for r in report.rows]
    civil = next(r for r in b.divisions.rows if r.label == world.civil.name)
    assert (civil.resolved, civil.on_time_rate) == (6, 83.33)


def test_live_counts_are_the_dossier_lists_behind_the_tiles(world, history):
    b = board(world)
    # "overdue" is being handled past its appointment (resolved ones waiting to be handed over are not, nor
    # the one waiting for a supplement: the applicant's turn).
    assert b.live == dashboard.Live(overdue=1, due_soon=0, awaiting_supplement=1)
    from motcua.core import clock

    actor = dossier_access.actor_of(world.leader)
    with clock.at(END_OF_MARCH):
        overdue_list = dossier_selectors.dossier_list(actor, queue=Queue.ALL, overdue=True)
        waiting_list = dossier_selectors.dossier_list(actor, queue=Queue.ALL, state="awaiting_supplement")
    assert overdue_list.count == b.live.overdue and {r.code for r in overdue_list.rows} == {history["overdue"].code}
    assert waiting_list.count == b.live.awaiting_supplement
    assert {r.code for r in waiting_list.rows} == {history["suspended"].code}


def test_due_within_two_working_days_counts_from_now_in_working_time(world, history):
    within = Dossier.objects.get(pk=history["within"].pk)  # due Wednesday 8 April, 09:00
    assert within.due_at == at(8, 9, month=4)
    soon = board(world, now=at(7, 9, month=4))  # one working day before
    assert soon.live.due_soon == 1
    assert [d.code for d in soon.due_soon] == [within.code]
    assert board(world, now=at(3, 9, month=4)).live.due_soon == 0  # Friday: three working days before
    later = board(world, now=at(8, 10, month=4))
    assert later.live.due_soon == 0 and later.live.overdue == 2


def test_the_backlog_is_aged_in_working_days_and_adds_up_to_the_report(world, history):
    b = board(world)
    # overdue: received 2 March (21 working days); suspended: 23 March (6); within: 25 March (4).
    assert [(x.low, x.high, x.count) for x in b.backlog] == [(0, 2, 0), (3, 5, 1), (6, 10, 1), (11, 20, 0),
                                                               (21, None, 1)]
    totals = b.month_report.totals
    assert sum(x.count for x in b.backlog) == totals.in_progress + totals.awaiting_supplement


def test_backlog_buckets_match_a_count_dossier_by_dossier(world, history):
    calendar = calendars.calendar_for(world.agency)
    for now in (at(25, 9), at(25, 17, 30), at(26, 8), at(31, 16), at(3, 12, month=4), at(30, 10, month=4)):
        ages = [workdays.working_time_between(d.received_at, now, calendar).whole_days
                for d in Dossier.objects.filter(agency=world.agency, state__in=dashboard.BACKLOG_STATES)]
        expected = [sum(1 for a in ages if low <= a and (high is None or a <= high))
                    for low, high in dashboard.BACKLOG_BUCKETS]
        assert [x.count for x in dashboard.backlog(world.agency, now, calendar)] == expected, now


def test_workload_lists_each_persons_dossiers_the_most_loaded_first(world, history):
    d = Dossier.objects.get(pk=history["within"].pk)
    d = act(services.forward, world.desk, d, at(25, 10))
    d = act(services.forward, world.division_leader, d, at(25, 10, 30))
    act(services.assign, world.division_leader, d, at(25, 11), assignee_id=world.specialist.pk)
    loads = board(world).workload
    assert [(x.name, x.open, x.overdue) for x in loads] == [("Lê Minh Đạt", 1, 1), ("Vũ Ngọc Quỳnh", 1, 0)]
    # the desk's intake step of "overdue" was due on 2 March; the appraisal (56 hours) is due on 3 April
    assert [x.step_overdue for x in loads] == [1, 0]
    # nobody holds the dossier waiting for a supplement, nor the resolved ones waiting to be handed over
    assert sum(x.open for x in loads) == 2


def test_satisfaction_is_the_share_of_satisfied_ratings_in_twelve_months_of_this_agency(world, history):
    def rate(name: str, satisfied: bool, when: dt.datetime, agency_id: int | None = None) -> None:
        Rating.objects.create(dossier=history[name], agency_id=agency_id or world.agency.pk,
                              account=world.desk.user, scores={}, total=4, maximum=5, satisfied=satisfied,
                              rated_at=when)

    for name in ("early", "on_time", "late"):
        rate(name, True, at(20))
    rate("online", False, at(21))
    rate("carried", True, at(1, month=3).replace(year=2025))  # before the twelve months
    rate("rejected", False, at(20), agency_id=world.stranger.agency_id)  # another agency's
    s = board(world).satisfaction
    assert (s.rated, s.satisfied, s.rate) == (4, 3, 75.0)


def test_nothing_of_this_agency_shows_on_another_agencys_dashboard(world, history):
    other = dashboard.dashboard(world.stranger.agency, now=END_OF_MARCH)
    assert other.month_report.totals.received == 0
    assert all(m.received == m.resolved == 0 for m in other.months)
    assert other.live == dashboard.Live(0, 0, 0)
    assert other.workload == [] and other.due_soon == [] and sum(b.count for b in other.backlog) == 0


def test_windows_and_months(db):
    assert dashboard.window(dt.date(2026, 1, 20)) == periods.Period(dt.date(2025, 2, 1), dt.date(2026, 1, 20))
    assert dashboard.month_to_date(dt.date(2026, 3, 1)) == periods.Period(dt.date(2026, 3, 1), dt.date(2026, 3, 1))
    assert dashboard.month_starts(periods.Period(dt.date(2025, 11, 15), dt.date(2026, 2, 1))) == [
        dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]


@pytest.mark.parametrize("extra", [0, 6])
def test_the_dashboard_reads_a_fixed_number_of_queries(world, history, django_assert_max_num_queries, extra):
    from tests.reports.conftest import receive

    for n in range(extra):
        receive(world, at(26, 9 + n))
    with django_assert_max_num_queries(16):
        board(world)
