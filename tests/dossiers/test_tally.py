"""The statistics ledger is exact by design: whatever the histories — and whatever corrections are made to
them afterwards, back-dated or not — the sums the report reads equal a brute-force count of the dossiers'
statuses, period by period.

The brute force below states the report's definitions directly (what each dossier was at the end of a day),
independently of ``tally.contributions``, which keeps changes instead.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers import tallies, tally
from motcua.dossiers.models import Tally
from motcua.dossiers.tally import ZONE, Event, Facts
from motcua.reports import periods, selectors

START = dt.datetime(2025, 12, 20, 8, tzinfo=ZONE)
OPS = ("work", "suspend", "resume", "apologize", "resolved", "rejected", "stopped", "withdrawn")


@st.composite
def histories(draw) -> Facts:
    """A dossier's life: maybe submitted online first, received, then a few actions hours or days apart,
    maybe finished."""
    channel = draw(st.sampled_from(["desk", "post", "online", "vneid"]))
    t = START + dt.timedelta(hours=draw(st.integers(0, 24 * 120)))
    events: list[Event] = []
    if channel in ("online", "vneid") and draw(st.booleans()):
        events.append(Event(at=t, state="submitted", received=False))
        t += dt.timedelta(hours=draw(st.integers(0, 60)))
    if draw(st.integers(0, 9)) == 0:  # never received: counts nowhere
        return Facts(channel=channel, events=tuple(events))
    due = t + dt.timedelta(days=draw(st.integers(0, 20)), hours=draw(st.integers(0, 8)))
    late = False
    state = "received"
    events.append(Event(at=t, state=state, received=True, due_at=due))
    outcome = ""
    for _ in range(draw(st.integers(0, 6))):
        t += dt.timedelta(hours=draw(st.integers(0, 24 * 15)))
        op = draw(st.sampled_from(OPS))
        if op == "suspend" and state != "awaiting_supplement":
            state = "awaiting_supplement"
        elif op == "resume" and state == "awaiting_supplement":
            state, due = "in_progress", t + dt.timedelta(days=draw(st.integers(1, 20)))
            late = late or draw(st.integers(0, 3)) == 0  # a second supplement request
        elif op == "apologize" and state != "awaiting_supplement":
            late, due = True, due + dt.timedelta(days=draw(st.integers(1, 10)))
        elif op in ("resolved", "rejected", "stopped", "withdrawn"):
            if op == "resolved" and state == "awaiting_supplement":
                continue
            state = op
            if op != "withdrawn":
                outcome = "late" if late or t > due else draw(st.sampled_from(["early", "on_time"]))
        else:
            state = "in_progress" if state != "awaiting_supplement" else state
        events.append(Event(at=t, state=state, received=True, due_at=due, late=late))
        if state in tally.FINISHED:
            break
    return Facts(channel=channel, events=tuple(events), outcome=outcome, minutes=draw(st.integers(0, 10_000)))


def _day(t: dt.datetime) -> dt.date:
    return t.astimezone(ZONE).date()


def brute_force(dossiers: list[Facts], start: dt.date, end: dt.date) -> dict[str, int]:
    """The report's columns for the period [start, end], counted dossier by dossier."""
    out: Counter[str] = Counter()
    for f in dossiers:
        events = sorted(f.events, key=lambda e: e.at)
        received = next((e for e in events if e.received), None)
        if received is None:
            continue
        finished = next((e for e in events if e.received and e.state in tally.FINISHED), None)
        r_day = _day(received.at)
        f_day = _day(finished.at) if finished else None
        if start <= r_day <= end:
            out["received_online" if f.channel in ("online", "vneid") else "received_direct"] += 1
        if r_day < start and (f_day is None or f_day >= start):
            out["carried_over"] += 1
        if finished is not None and start <= f_day <= end:
            if finished.state == "withdrawn":
                out["withdrawn"] += 1
            else:
                out[f.outcome or "on_time"] += 1
                out["minutes"] += f.minutes
        if r_day <= end and (f_day is None or f_day > end):
            last = [e for e in events if e.received and _day(e.at) <= end][-1]
            if last.state == "awaiting_supplement":
                out["awaiting_supplement"] += 1
            elif last.late or (last.due_at is not None and _day(last.due_at) <= end):
                out["in_progress_overdue"] += 1
            else:
                out["in_progress_within"] += 1
    return {k: v for k, v in out.items() if v}


def from_changes(changes: Counter, start: dt.date, end: dt.date) -> dict[str, int]:
    """The same columns from per-day changes, as the report reads the ledger."""
    def flows(column):
        return sum(n for (day, c), n in changes.items() if c == column and start <= day <= end)

    def stock(column, day):
        return sum(n for (d, c), n in changes.items() if c == column and d <= day)

    open_end, suspended, overdue = (stock("open", end), stock("suspended", end), stock("overdue", end))
    out = {"received_online": flows("received_online"), "received_direct": flows("received_direct"),
           "carried_over": stock("open", start - dt.timedelta(days=1)), "withdrawn": flows("withdrawn"),
           "early": flows("resolved_early"), "on_time": flows("resolved_on_time"), "late": flows("resolved_late"),
           "minutes": flows("resolved_minutes"), "awaiting_supplement": suspended, "in_progress_overdue": overdue,
           "in_progress_within": open_end - suspended - overdue}
    return {k: v for k, v in out.items() if v}


dates = st.dates(dt.date(2025, 12, 1), dt.date(2026, 9, 30))


@st.composite
def corrected(draw) -> tuple[list[Facts], list[Facts]]:
    """Histories as first recorded, and the same after corrections: an event moved (often back in time,
    before periods already reported), an event recorded late with an earlier instant, a dossier deleted."""
    before = draw(st.lists(histories(), min_size=1, max_size=12))
    after = list(before)
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(after) - 1))
        f = after[i]
        if not f.events:
            continue
        j = draw(st.integers(0, len(f.events) - 1))
        shift = dt.timedelta(hours=draw(st.integers(-24 * 40, 24 * 10)))
        kind = draw(st.sampled_from(["move", "insert", "drop"]))
        events = list(f.events)
        if kind == "move":
            events[j] = Event(at=events[j].at + shift, state=events[j].state, received=events[j].received,
                              due_at=events[j].due_at, late=events[j].late)
        elif kind == "insert":
            e = events[j]
            events.insert(j, Event(at=e.at - abs(shift), state="in_progress" if e.received else e.state,
                                   received=e.received, due_at=e.due_at, late=e.late))
        else:
            after[i] = Facts(channel=f.channel, events=())
            continue
        after[i] = Facts(channel=f.channel, events=tuple(events), outcome=f.outcome, minutes=f.minutes)
    return before, after


def _period(draw_dates: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    a, b = sorted(draw_dates)
    return a, b


@given(histories=st.lists(histories(), max_size=15), period=st.tuples(dates, dates))
@settings(max_examples=300, deadline=None)
def test_summed_contributions_equal_a_count_of_statuses(histories, period):
    start, end = _period(period)
    assert from_changes(tally.total(histories), start, end) == brute_force(histories, start, end)


@given(data=corrected(), period=st.tuples(dates, dates))
@settings(max_examples=300, deadline=None)
def test_a_ledger_kept_by_differences_stays_exact_through_back_dated_corrections(data, period):
    before, after = data
    ledger: Counter = Counter()
    for f in before:  # recorded action by action, as the services do
        for k in range(len(f.events)):
            prefix = Facts(channel=f.channel, events=f.events[:k + 1], outcome=f.outcome, minutes=f.minutes)
            previous = Facts(channel=f.channel, events=f.events[:k], outcome=f.outcome, minutes=f.minutes)
            ledger.update(tally.difference(previous if k else None, prefix))
    for old, new in zip(before, after, strict=True):
        ledger.update(tally.difference(old, new))
    start, end = _period(period)
    assert from_changes(ledger, start, end) == brute_force(after, start, end)


def test_a_dossier_received_and_finished_the_same_day_leaves_no_stock():
    t = dt.datetime(2026, 3, 2, 9, tzinfo=ZONE)
    facts = Facts(channel="desk", outcome="early", minutes=60, events=(
        Event(at=t, state="received", received=True, due_at=t + dt.timedelta(days=14)),
        Event(at=t + dt.timedelta(hours=2), state="awaiting_supplement", received=True),
        Event(at=t + dt.timedelta(hours=3), state="in_progress", received=True, due_at=t + dt.timedelta(days=14)),
        Event(at=t + dt.timedelta(hours=4), state="resolved", received=True, due_at=t + dt.timedelta(days=14))))
    assert tally.contributions(facts) == Counter({(t.date(), "received_direct"): 1, (t.date(), "resolved_early"): 1,
                                                  (t.date(), "resolved_minutes"): 60})


def test_an_open_dossier_turns_overdue_on_its_due_day_without_any_action():
    t = dt.datetime(2026, 3, 2, 9, tzinfo=ZONE)
    facts = Facts(channel="online", events=(Event(at=t, state="received", received=True,
                                                  due_at=dt.datetime(2026, 3, 16, 9, tzinfo=ZONE)),))
    assert tally.contributions(facts) == Counter({(t.date(), "received_online"): 1, (t.date(), "open"): 1,
                                                  (dt.date(2026, 3, 16), "overdue"): 1})


# --------------------------------------------------------------------------------------------------------
# The same through the database: the upsert's SQL and the report's reading of day and month rows.


@pytest.mark.django_db
@given(data=corrected(), periods_=st.lists(st.tuples(dates, dates), min_size=1, max_size=4))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_report_read_from_the_database_equals_the_count(world, data, periods_):
    before, after = data
    procedure = world.agency.procedures.first()
    Tally.objects.all().delete()
    for f in before:
        tallies.add(world.agency.pk, world.agency.pk, procedure.pk, tally.contributions(f))
    for old, new in zip(before, after, strict=True):
        tallies.add(world.agency.pk, world.agency.pk, procedure.pk, tally.difference(old, new))
    for period in periods_:
        start, end = _period(period)
        row = selectors.resolution(period=periods.Period(start, end), agency=world.agency).totals
        got = {k: getattr(row, k) for k in ("received_online", "received_direct", "carried_over", "withdrawn",
                                            "early", "on_time", "late", "minutes", "awaiting_supplement",
                                            "in_progress_overdue", "in_progress_within")}
        assert {k: v for k, v in got.items() if v} == brute_force(after, start, end), (start, end)
