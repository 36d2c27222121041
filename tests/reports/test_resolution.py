"""The resolution report read from the statistics ledger, against a month whose every dossier is known."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.reports import periods, selectors
from tests.reports.conftest import EXPECTED_MARCH, MARCH


def test_march_reads_each_dossier_in_its_column(world, history):
    report = selectors.resolution(period=periods.Period(*MARCH), agency=world.agency)
    totals = report.totals.as_dict()
    assert {k: totals[k] for k in EXPECTED_MARCH} == EXPECTED_MARCH
    assert totals["rejected"] == 1 and totals["on_time_rate"] == round(100 * 5 / 6, 2)


def test_the_balance_holds_for_every_period(world, history):
    for start, end in [MARCH, (dt.date(2026, 2, 1), dt.date(2026, 2, 28)), (dt.date(2026, 3, 10), dt.date(2026, 4, 30)),
                       (dt.date(2026, 1, 15), dt.date(2026, 3, 14)), (dt.date(2026, 3, 2), dt.date(2026, 3, 2))]:
        t = selectors.resolution(period=periods.Period(start, end), agency=world.agency).totals
        assert t.received == t.resolved + t.withdrawn + t.in_progress + t.awaiting_supplement, (start, end)


def test_february_carries_the_dossier_received_on_its_last_friday_into_march(world, history):
    feb = selectors.resolution(period=periods.Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28)), agency=world.agency)
    assert (feb.totals.received_direct, feb.totals.resolved, feb.totals.in_progress_within) == (1, 0, 1)


def test_another_agency_sees_none_of_it(world, history):
    other = selectors.resolution(period=periods.Period(*MARCH), agency=world.stranger.agency)
    assert other.totals.received == 0


def test_a_procedure_handled_by_an_affiliated_unit_is_grouped_under_the_unit(world, history):
    from motcua.catalog.models import ProcessStep
    from motcua.org.models import Unit

    unit = Unit.objects.get(agency=world.agency, code="BTG")
    ProcessStep.objects.filter(version__procedure__code="SNV.TEST.01", division_kind="CCVC").update(
        division_kind="BTG")
    report = selectors.resolution(period=periods.Period(*MARCH), agency=world.agency, group_by="division")
    assert [(r.key, r.label, r.received) for r in report.rows if r.received] == [(f"unit:{unit.pk}", unit.name, 10)]
    assert selectors.resolution(period=periods.Period(*MARCH), agency=world.agency,
                                division_id=world.civil.pk).totals.received == 0


@given(first=st.dates(dt.date(2019, 1, 1), dt.date(2031, 12, 31)), length=st.integers(0, 2500))
@settings(max_examples=300, deadline=None)
def test_a_period_is_read_as_days_months_and_years_that_cover_each_day_exactly_once(first, length):
    last = first + dt.timedelta(days=length)
    covered: list[dt.date] = []
    for grain, start, end in periods.decompose(first, last):
        day = start
        while day <= (end if grain == "d" else periods.month_end(end) if grain == "m" else dt.date(end.year, 12, 31)):
            covered.append(day)
            day += dt.timedelta(days=1)
    assert covered == [first + dt.timedelta(days=n) for n in range(length + 1)]
    assert len(periods.decompose(first, last)) <= 5


def test_a_period_not_yet_ended_is_measured_as_of_today(world, history):
    from motcua.core import clock
    from tests.dossiers.conftest import at

    # On 10 March the "overdue" dossier (due 16 March) is not overdue yet, whatever the period's end.
    with clock.at(at(10, 12)):
        t = selectors.resolution(period=periods.Period(*MARCH), agency=world.agency).totals
    assert (t.in_progress_overdue, t.in_progress_within) == (0, 3)


@pytest.mark.parametrize(("first", "last"), [(dt.date(1, 1, 1), dt.date(1, 12, 31)),
                                             (dt.date(9999, 1, 1), dt.date(9999, 12, 31))])
def test_dates_out_of_any_reasonable_range_are_refused_with_a_message(first, last):
    with pytest.raises(periods.PeriodError, match="1901–2199"):
        periods.Period(first, last)


def test_extreme_dates_get_a_message_on_the_page_the_api_and_the_log(client, world):
    client.force_login(world.leader.user)
    assert client.get("/bao-cao/?from=0001-01-01&to=0001-12-31").status_code == 400
    api = client.get("/api/v1/reports/resolution", {"from": "9999-01-01", "to": "9999-12-31"})
    assert api.status_code == 400 and "1901–2199" in api.json()["message"]
    log = client.get("/api/v1/dossiers/log", {"from": "9999-12-01", "to": "9999-12-31"})
    assert log.status_code == 400 and "1901–2199" in log.json()["message"]
