"""The statistics of the province: the ledger keyed by resolving agency and receiving point, the report per
resolving agency, per receiving point, per commune and for the whole province — every dossier counted once in
the province's totals, and the ledger still equal to the naive count over the dossiers."""

from __future__ import annotations

import datetime as dt
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.dossiers import tallies, tally
from motcua.dossiers.models import Dossier, Handoff, OneStopRules, Tally
from motcua.dossiers.states import Action
from motcua.org.models import Agency
from motcua.reports import naive, periods, selectors
from tests.dossiers.conftest import ORDINARY, SNV, VN, at
from tests.reports.conftest import (
    BRANCH,
    CENTRE,
    COMMUNE_A,
    COMMUNE_B,
    COMMUNE_PROC,
    EXPECTED_MARCH,
    MARCH,
)

FLOWS = ("carried_over", "received_online", "received_direct", "received", "early", "on_time", "late", "resolved",
         "rejected", "stopped", "withdrawn")
STOCKS = ("in_progress", "in_progress_within", "in_progress_overdue", "awaiting_supplement")


def figures(row: selectors.Row, *, exact_stocks: bool = True) -> dict[str, int]:
    """The counts of a row; the split of the open stock only where the naive count knows it."""
    out = {k: getattr(row, k) for k in FLOWS}
    out["open"] = row.in_progress + row.awaiting_supplement
    if exact_stocks:
        out.update({k: getattr(row, k) for k in STOCKS})
    return out


def summed(rows: list[selectors.Row]) -> dict[str, int]:
    total = selectors.Row(key="", label="")
    for row in rows:
        total.add(row)
    return figures(total)


def march(**kwargs) -> selectors.Report:
    return selectors.resolution(period=periods.Period(*MARCH), **kwargs)


def agency(identifier: str) -> Agency:
    return Agency.objects.get(identifier=identifier)


# --------------------------------------------------------------------------------------------------------
# Through the real services


def test_a_dossier_received_at_one_agency_for_another_lands_in_one_row_with_both_keys(world, province, crossings):
    d = crossings["a_for_snv"]
    keys = set(Tally.objects.filter(procedure=d.procedure, receiving_agency=province.commune_a)
               .values_list("agency__identifier", "receiving_agency__identifier", "grain"))
    assert keys == {(SNV, COMMUNE_A, "d"), (SNV, COMMUNE_A, "m"), (SNV, COMMUNE_A, "y")}
    # Nothing of it under the commune as resolving agency, nor under the department as receiving point twice.
    assert not Tally.objects.filter(agency=province.commune_a, procedure=d.procedure).exists()
    month = Tally.objects.get(agency=world.agency, receiving_agency=province.commune_a, grain="m",
                              day=dt.date(2026, 3, 1))
    assert (month.received_direct, month.resolved_early + month.resolved_on_time + month.resolved_late,
            month.open) == (1, 1, 0)
    assert tallies.verify() == []


def test_the_departments_own_figures_are_those_it_resolves_wherever_received(world, history, crossings):
    own = march(agency=world.agency).totals
    # The seed's March, plus the one received at the commune (resolved early) and the one at the branch (open).
    assert (own.received, own.received_direct, own.resolved, own.early, own.in_progress) == \
        (EXPECTED_MARCH["received"] + 2, EXPECTED_MARCH["received_direct"] + 2, EXPECTED_MARCH["resolved"] + 1,
         EXPECTED_MARCH["early"] + 1, EXPECTED_MARCH["in_progress"] + 1)
    # Read as a receiving point, the department has only what its own desk received: the seed's month.
    mine = march(agency=world.agency, side="receiving").totals.as_dict()
    assert {k: mine[k] for k in EXPECTED_MARCH} == EXPECTED_MARCH


def test_a_receiving_point_reads_what_it_received_for_whoever_resolves_it(world, province, crossings):
    centre = march(agency=province.centre)  # a service centre resolves nothing: read as a receiving point
    assert centre.side == "receiving"
    assert (centre.totals.received, centre.totals.resolved) == (1, 1)
    assert [r.label for r in centre.rows] == [f"{COMMUNE_PROC} — Chứng thực bản sao từ bản chính"]
    by_resolver = march(agency=province.centre, group_by="resolving_agency")
    assert [(r.key, r.received) for r in by_resolver.rows] == [(COMMUNE_B, 1)]
    branch = march(agency=province.branch)
    assert (branch.totals.received, branch.totals.in_progress) == (1, 1)
    # The commune, read from either side: what its desk received (for the department, for commune B) and what
    # it resolves (nothing).
    a = march(agency=province.commune_a, side="either")
    assert (a.totals.received, a.totals.resolved, a.totals.in_progress) == (2, 1, 1)
    assert march(agency=province.commune_a).totals.received == 0  # as a resolving agency: nothing
    assert march(agency=province.commune_a, side="receiving").totals.received == 2


def test_the_province_counts_each_dossier_once_whatever_the_grouping(world, history, province, crossings):
    by_resolver = march(agency=None, group_by="resolving_agency")
    by_point = march(agency=None, group_by="receiving_agency")
    plain = march(agency=None)
    total = figures(plain.totals)
    assert total["received"] == 10 + len(crossings)  # the seed's ten and five more, each once
    assert figures(by_resolver.totals) == figures(by_point.totals) == total
    assert summed(by_resolver.rows) == summed(by_point.rows) == total
    assert {r.key: r.received for r in by_resolver.rows} == {SNV: 12, COMMUNE_B: 3}
    assert {r.key: r.received for r in by_point.rows} == {SNV: 10, COMMUNE_A: 2, CENTRE: 1, COMMUNE_B: 1, BRANCH: 1}
    # Each resolving agency's own report says what its row says.
    for row in by_resolver.rows:
        assert figures(march(agency=agency(row.key), side="resolving").totals) == figures(row)


def test_per_commune_a_dossier_between_two_communes_is_in_both_rows_and_once_in_the_totals(world, province,
                                                                                         crossings):
    report = march(agency=None, group_by="commune")
    assert report.overlapping
    rows = {r.key: r for r in report.rows}
    assert set(rows) == {COMMUNE_A, COMMUNE_B}
    # Commune A: received for the department and for commune B. Commune B: the three it resolves.
    assert (rows[COMMUNE_A].received, rows[COMMUNE_A].resolved) == (2, 1)
    assert (rows[COMMUNE_B].received, rows[COMMUNE_B].resolved, rows[COMMUNE_B].in_progress) == (3, 2, 1)
    # The dossier received at A for B is in both rows; the totals hold the four dossiers a commune touches.
    assert report.totals.received == 4
    assert rows[COMMUNE_A].received + rows[COMMUNE_B].received == report.totals.received + 1


@pytest.mark.parametrize("group_by", ["resolving_agency", "receiving_agency", "commune", "procedure"])
def test_the_naive_count_agrees_on_the_province_and_on_each_side(world, history, province, crossings, group_by):
    with clock.at(at(31, 18)):
        period = periods.Period(*MARCH)
        for who in (None, world.agency, province.centre, province.branch, province.commune_a, province.commune_b):
            for side in ((None,) if who is None else selectors.SIDES):
                kwargs = {"period": period, "agency": who, "group_by": group_by, "side": side}
                ledger, counted = selectors.resolution(**kwargs), naive.resolution(**kwargs)
                assert figures(counted.totals) == figures(ledger.totals), (who, side)
                assert {r.key: figures(r) for r in counted.rows} == {r.key: figures(r) for r in ledger.rows}


def test_a_rebuild_writes_the_same_five_column_keys(world, history, province, crossings):
    before = tallies.stored()
    assert {(a, r) for a, r, *_rest in before} >= {(world.agency.pk, province.commune_a.pk),
                                                   (province.commune_b.pk, province.centre.pk),
                                                   (province.commune_b.pk, province.commune_a.pk)}
    tallies.rebuild()
    assert tallies.stored() == before and tallies.verify() == []


# --------------------------------------------------------------------------------------------------------
# The property: any dossiers between any agencies, any period


RESOLVERS = (SNV, "000.00.13.H22", COMMUNE_A, COMMUNE_B)        # the department, Sở Tư pháp, two communes
RECEIVERS = (SNV, CENTRE, BRANCH, COMMUNE_A, COMMUNE_B)
START = dt.datetime(2026, 3, 2, 8, tzinfo=VN)
TODAY = dt.datetime(2026, 9, 1, 12, tzinfo=VN)  # after every generated event: each period has ended

dossiers = st.lists(st.fixed_dictionaries({
    "resolver": st.sampled_from(RESOLVERS), "receiver": st.sampled_from(RECEIVERS),
    "procedure": st.sampled_from((ORDINARY, COMMUNE_PROC)), "channel": st.sampled_from(("desk", "online")),
    "received": st.integers(0, 24 * 90), "due": st.integers(4, 24 * 20),
    "end": st.sampled_from((None, "resolved", "rejected", "withdrawn")),
    "outcome": st.sampled_from(("early", "on_time", "late")), "after": st.integers(1, 24 * 40),
}), max_size=14)
days = st.dates(dt.date(2026, 2, 20), dt.date(2026, 7, 31))
_codes = count()


def _make(world, spec: dict) -> Dossier:
    """A dossier and its hand-offs as the services would leave them, the ledger kept by ``tallies.record``."""
    resolver, receiver = agency(spec["resolver"]), agency(spec["receiver"])
    procedure = Procedure.objects.get(code=spec["procedure"])
    received = START + dt.timedelta(hours=spec["received"])
    due = received + dt.timedelta(hours=spec["due"])
    finished = received + dt.timedelta(hours=spec["after"]) if spec["end"] else None
    state = spec["end"] or "received"
    outcome = spec["outcome"] if spec["end"] in ("resolved", "rejected") else ""
    d = Dossier(agency=resolver, receiving_agency=receiver, delivery_agency=receiver, code=f"P-{next(_codes)}",
                procedure=procedure, procedure_version=procedure.versions.first(),
                rules=OneStopRules.objects.order_by("pk").first(), channel=spec["channel"], state=state,
                applicant_type="individual", applicant_name="Trần Thị Mai", submitted_at=received,
                received_at=received, clock_started_at=received, due_at=due, original_due_at=due,
                finished_at=finished, outcome=outcome)
    d.save()
    first = Handoff.objects.create(dossier=d, agency=receiver, seq=1, at=received, action=Action.RECEIVE,
                                   to_state="received", due_at=due)
    tallies.record(d, first)
    if finished is not None:
        action = {"resolved": Action.APPROVE, "rejected": Action.REJECT, "withdrawn": Action.WITHDRAW}[state]
        last = Handoff.objects.create(dossier=d, agency=resolver, seq=2, at=finished, action=action,
                                      from_state="received", to_state=state, due_at=due)
        tallies.record(d, last)
    return d


def _expected_received(specs: list[dict], first: dt.date, last: dt.date, who=None) -> int:
    """How many of the generated dossiers were received in [first, last] (touching ``who`` if given)."""
    n = 0
    for s in specs:
        day = tally.day_of(START + dt.timedelta(hours=s["received"]))
        if first <= day <= last and (who is None or who in (s["resolver"], s["receiver"])):
            n += 1
    return n


@pytest.mark.django_db
@given(specs=dossiers, span=st.tuples(days, days))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_province_totals_are_the_sum_over_resolving_agencies_and_count_each_dossier_once(world, province, specs,
                                                                                          span):
    Handoff.objects.filter(dossier__code__startswith="P-").delete()
    Dossier.objects.filter(code__startswith="P-").delete()
    Tally.objects.all().delete()
    for spec in specs:
        _make(world, spec)
    first, last = sorted(span)
    period = periods.Period(first, last)
    with clock.at(TODAY):
        assert tallies.verify() == []  # what the actions kept is what the hand-offs give
        province_ = selectors.resolution(period=period, agency=None, group_by="resolving_agency")
        total = figures(province_.totals)
        # The province's totals are the sum over the resolving agencies, each read from its own report.
        assert summed(province_.rows) == total
        own = [selectors.resolution(period=period, agency=agency(a), side="resolving").totals for a in RESOLVERS]
        assert summed(own) == total
        # ... and over the receiving points: the same dossiers, each in exactly one row either way.
        points = selectors.resolution(period=period, agency=None, group_by="receiving_agency")
        assert summed(points.rows) == figures(points.totals) == total
        # No dossier counted twice: new receipts are the dossiers received in the period, once each.
        assert total["received_online"] + total["received_direct"] == _expected_received(specs, first, last)
        # Per commune: what each commune touched, once; the totals once per dossier however many communes.
        communes = selectors.resolution(period=period, agency=None, group_by="commune")
        for row in communes.rows:
            assert row.received_online + row.received_direct == _expected_received(specs, first, last, row.key)
        touched = [s for s in specs if {s["resolver"], s["receiver"]} & {COMMUNE_A, COMMUNE_B}]
        assert communes.totals.received_online + communes.totals.received_direct == \
            _expected_received(touched, first, last)
        # The ledger still equals the naive count, for the province and for each agency from each side.
        for group_by in ("resolving_agency", "receiving_agency", "commune"):
            ledger = selectors.resolution(period=period, agency=None, group_by=group_by)
            counted = naive.resolution(period=period, agency=None, group_by=group_by)
            assert figures(counted.totals, exact_stocks=False) == figures(ledger.totals, exact_stocks=False)
            assert {r.key: figures(r, exact_stocks=False) for r in counted.rows} == \
                {r.key: figures(r, exact_stocks=False) for r in ledger.rows}
        for identifier in (SNV, CENTRE, COMMUNE_A):
            for side in selectors.SIDES:
                ledger = selectors.resolution(period=period, agency=agency(identifier), side=side)
                counted = naive.resolution(period=period, agency=agency(identifier), side=side)
                assert figures(counted.totals, exact_stocks=False) == figures(ledger.totals, exact_stocks=False)
