"""The naive report (a GROUP BY over the dossier table, the bench's baseline) against the ledger, on the
known March 2026 of ``tests.reports.conftest``: the flows and the open stock agree for any period; the split of
the open stock is the dossiers' current one, right for a period that ends after their last action."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.reports import naive, periods, selectors
from tests.reports.conftest import EXPECTED_MARCH, MARCH

EXACT = ("carried_over", "received_online", "received_direct", "received", "early", "on_time", "late", "resolved",
         "rejected", "stopped", "withdrawn")
PERIODS = [
    MARCH,
    (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),    # the carried dossier received, still open at the end
    (dt.date(2026, 3, 10), dt.date(2026, 4, 30)),   # starts with six dossiers carried over
    (dt.date(2026, 1, 15), dt.date(2026, 3, 14)),   # the official cut-off shape, ragged at both ends
    (dt.date(2026, 3, 2), dt.date(2026, 3, 2)),     # one day: five received
    (dt.date(2026, 3, 4), dt.date(2026, 3, 6)),     # the withdrawal, the rejection, two resolutions
    (dt.date(2026, 3, 16), dt.date(2026, 3, 16)),   # the on-time resolution on its due day
    (dt.date(2026, 3, 17), dt.date(2026, 3, 23)),   # the late one; a receipt the day before its supplement
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),   # nothing at all
]


def _open(row: selectors.Row) -> int:
    return row.in_progress + row.awaiting_supplement


def _figures(row: selectors.Row) -> dict[str, int]:
    return {**{k: getattr(row, k) for k in EXACT}, "open": _open(row)}


@pytest.mark.parametrize(("start", "end"), PERIODS, ids=[f"{a}..{b}" for a, b in PERIODS])
def test_flows_and_the_open_stock_agree_with_the_ledger(world, history, start, end):
    period = periods.Period(start, end)
    for agency, group_by in ((world.agency, "procedure"), (None, "agency"), (world.agency, "field")):
        ledger = selectors.resolution(period=period, agency=agency, group_by=group_by)
        counted = naive.resolution(period=period, agency=agency, group_by=group_by)
        assert _figures(counted.totals) == _figures(ledger.totals), (start, end, group_by)
        assert {r.key: _figures(r) for r in counted.rows} == {r.key: _figures(r) for r in ledger.rows}


def test_march_reads_the_same_whole_report(world, history):
    """March ends after every dossier's last action: its current state is its state at the period end, so
    even the split of the open stock (within time, overdue, waiting for a supplement) is right."""
    counted = naive.resolution(period=periods.Period(*MARCH), agency=world.agency).totals.as_dict()
    assert {k: counted[k] for k in EXPECTED_MARCH} == EXPECTED_MARCH
    ledger = selectors.resolution(period=periods.Period(*MARCH), agency=world.agency).totals.as_dict()
    assert {k: v for k, v in counted.items() if k != "average_days"} == \
        {k: v for k, v in ledger.items() if k != "average_days"}


def test_a_past_period_end_sees_the_current_state_where_the_ledger_sees_history(world, history):
    """On 23 March the dossier asked for a supplement on the 24th was still being handled: the ledger knows,
    the dossier table only says it is waiting now. The open total is the same."""
    period = periods.Period(dt.date(2026, 3, 1), dt.date(2026, 3, 23))
    ledger = selectors.resolution(period=period, agency=world.agency).totals
    counted = naive.resolution(period=period, agency=world.agency).totals
    assert (ledger.awaiting_supplement, counted.awaiting_supplement) == (0, 1)
    assert (ledger.in_progress_within, counted.in_progress_within) == (1, 0)
    assert _open(ledger) == _open(counted) == 2


def test_the_average_time_is_not_computed(world, history):
    counted = naive.resolution(period=periods.Period(*MARCH), agency=world.agency).totals
    assert counted.resolved == 6 and counted.minutes == 0
