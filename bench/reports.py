"""The resolution report's figures of ``make bench``: the six-month report for all agencies and for one agency
over ten million generated dossiers, read from the statistics ledger (``selectors.resolution``), against the
naive ``GROUP BY`` over the dossier table (``reports.naive``) in the same run.

Two halves, as in ``bench/dossiers.py``:

- **Inside the project** (``motcua shell -c …``, in a throw-away database): ``generate`` makes the dossiers with
  ``bench/dossiers.py``'s generator (the province's 130 agencies, 5 years to today, its shapes: resolved early, on
  time or late, rejected, stopped, withdrawn, supplements, re-appointments; 5 % open, at most ``OPEN_AT_MOST``) and,
  from the same generated instants, their statistics ledger: each received dossier's history as ``tallies.facts``
  would read it from its hand-offs (``history``: the receipt with its due time, supplement requests and answers, an
  apology with its new appointment, the end), its contributions per day and column, summed per resolving agency,
  receiving point (the resolving agency unless the generator says otherwise), procedure and day and again per month,
  bulk-loaded into ``dossiers_tally`` (COPY on PostgreSQL, multi-row INSERT on SQLite) with the rows the demo's own
  dossiers left there. The contributions come from ``contributions_of``: the rule of ``tally.contributions`` on
  whole-day integers (the real function costs ~30 µs a dossier, five minutes for ten million). The bench checks it
  against ``tally.contributions(Facts(...))`` of the same history on a sample of at least 10,000 dossiers, every kind
  included, and stops at the first difference. ``measure`` checks that the ledger's report and the naive one
  agree on every flow and on the open total, row by row, then times both, interleaved, after a warm-up
  (caches warm; PostgreSQL's tables vacuumed and analysed, SQLite's left unanalysed as the application leaves
  them).
- **In the bench process**: a fresh DATA_DIR and database (``run.throwaway_database``: SQLite, or PostgreSQL
  when DATABASE_URL says so), ``migrate``, ``motcua demo`` and the generated province catalogue
  (``run.load_catalog``, which completes the province's agencies first), then the two halves above; results
  through ``run.result``.

The period is the six months up to last month's data cut-off (``REPORT_CUTOFF_DAY``, the 15th by default: 15
April to 14 October when run in November) — ragged at both ends like an official period, the costliest shape
for the ledger (day rows at both ends); the one agency is the demo's Sở Nội vụ (all its ~2,000 procedures, one
row each), all agencies are grouped by agency.

Alone: ``.venv/bin/python bench/reports.py [--dossiers 10000000] [--runs 20] [--naive-runs 20] [--output FILE]``
(``make bench-reports``); ``make bench`` runs it after the HTTP figures with ``--report-dossiers``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SEED = 20260101
DOSSIERS = 10_000_000             # the figure: `make bench-reports`
MAKE_BENCH_DOSSIERS = 1_000_000   # inside `make bench`, which would otherwise take most of an hour more
RUNS = 20
SAMPLE = 20_000            # dossiers whose fast contributions are checked against tally.contributions
SAMPLE_PER_KIND = 200      # ... including at least this many of every kind (state, supplements, apology, channel)
PROCEDURES = 2000
TARGET_ONE_MS = 100.0
TARGET_ALL_MS = 500.0
TARGET_SPEEDUP = 20.0
SNV = "000.00.12.H22"
# The generator keeps 5 % of its dossiers open (50,000 of a million: ~60 working days of intake, 15 % of them
# submitted or received in the last working day). At ten million that would be ~75,000 in one day, past the
# 9,999 codes an agency has a day; so the open ones are capped at 100,000 (~12 working days of intake at ten
# million, about the stock a ten-working-day limit leaves).
OPEN_AT_MOST = 100_000

HOUR, DAY = 3600, 86400
LOCAL = 7 * HOUR           # Asia/Ho_Chi_Minh, as bench/dossiers.py's clock
EPOCH = dt.date(1970, 1, 1).toordinal()

# The ledger's columns (dossiers.tally.COLUMNS), by index.
COLUMNS = ("received_online", "received_direct", "resolved_early", "resolved_on_time", "resolved_late", "rejected",
           "stopped", "withdrawn", "resolved_minutes", "open", "suspended", "overdue")
C = {name: i for i, name in enumerate(COLUMNS)}
NCOL = len(COLUMNS)
FINISHED = frozenset({"resolved", "returned", "rejected", "stopped", "withdrawn"})
ONLINE = frozenset({"online", "vneid"})
SUSPENDED = "awaiting_supplement"
FLOW_KEYS = ("carried_over", "received_online", "received_direct", "early", "on_time", "late", "rejected", "stopped",
             "withdrawn")

# ---------------------------------------------------------------------------------------------------------
# The ledger of generated dossiers (inside the project)


def history(channel: str, state: str, received: int | None, due: int | None, original: int | None,
            finished: int | None, supplements: int, reappointments: int, now: int,
            allowed: int) -> list[tuple[int, str, int | None, bool]] | None:
    """A generated dossier's history from its receipt, as ``tallies.facts`` would read it from the hand-offs:
    (instant, state it left, due time, late whatever the time), in time order. The generator keeps only the
    instants of the dossier table, so those in between are placed at fixed fractions of its handling time:
    supplement requests and answers at 20–30 % and 50–60 %, an apology (re-appointment) at 80 %. None when it
    was never received (it counts nowhere)."""
    if received is None:
        return None
    first_due = original if original is not None else due
    end = finished if finished is not None else now
    span = max(0, end - received)
    out: list[tuple[int, str, int | None, bool]] = [(received, "received", first_due, False)]
    late = False
    if state == SUSPENDED:  # open, waiting for the applicant since the middle of its time so far
        out.append((received + span // 2, SUSPENDED, first_due, allowed < 1))
        return out
    if state in ("received", "in_progress"):
        if state == "in_progress":
            out.append((received + span // 4, "in_progress", first_due, False))
        return out
    for k in range(supplements):
        late = late or k + 1 > allowed
        out.append((received + span * (2 + 3 * k) // 10, SUSPENDED, first_due, late))
        out.append((received + span * (3 + 3 * k) // 10, "in_progress", first_due, late))
    current = first_due
    if reappointments:
        late, current = True, due
        out.append((received + span * 8 // 10, "in_progress", current, late))
    out.append((max(end, received), "resolved" if state == "returned" else state, current, late))
    for i in range(1, len(out)):  # never before the previous one (the generator clips some instants to now)
        if out[i][0] < out[i - 1][0]:
            out[i] = (out[i - 1][0], *out[i][1:])
    return out


def fast_contributions(online: bool, events: list[tuple[int, str, int | None, bool]], outcome: str,
                       minutes: int) -> list[tuple[int, int, int]]:
    """``tally.contributions`` on whole days: (local day number since 1970-01-01, column index, change), with
    repeats (the caller sums them). ``events`` start at the receipt and are in time order."""
    received_day = (events[0][0] + LOCAL) // DAY
    out = [(received_day, C["received_online"] if online else C["received_direct"], 1), (received_day, C["open"], 1)]
    for i, event in enumerate(events):
        if event[1] in FINISHED:
            day = (event[0] + LOCAL) // DAY
            out.append((day, C["open"], -1))
            if event[1] == "withdrawn":
                out.append((day, C["withdrawn"], 1))
            else:
                out.append((day, C[f"resolved_{outcome or 'on_time'}"], 1))
                if minutes:
                    out.append((day, C["resolved_minutes"], minutes))
                if event[1] in ("rejected", "stopped"):
                    out.append((day, C[event[1]], 1))
            events = events[:i + 1]
            break
    event_days = [(e[0] + LOCAL) // DAY for e in events]
    days = sorted({*event_days, *((e[2] + LOCAL) // DAY for e in events if e[2] is not None)})
    suspended = overdue = 0
    last, n = -1, len(events)
    for day in days:
        while last + 1 < n and event_days[last + 1] <= day:
            last += 1
        if last < 0:
            s = o = 0
        else:
            _at, state, due, late = events[last]
            if state in FINISHED:
                s = o = 0
            elif state == SUSPENDED:
                s, o = 1, 0
            else:
                s, o = 0, int(late or (due is not None and (due + LOCAL) // DAY <= day))
        if s != suspended or o != overdue:
            if s != suspended:
                out.append((day, C["suspended"], s - suspended))
            if o != overdue:
                out.append((day, C["overdue"], o - overdue))
            suspended, overdue = s, o
    return out


_RESOLVED = {"early": C["resolved_early"], "on_time": C["resolved_on_time"], "late": C["resolved_late"],
             "": C["resolved_on_time"]}
_ENDS = {"returned": (), "rejected": ((C["rejected"], 1),), "stopped": ((C["stopped"], 1),)}
_ONLINE, _DIRECT, _OPEN, _OVERDUE = C["received_online"], C["received_direct"], C["open"], C["overdue"]
_MINUTES, _WITHDRAWN = C["resolved_minutes"], C["withdrawn"]


def contributions_of(channel: str, state: str, received: int | None, due: int | None, original: int | None,
                     finished: int | None, outcome: str, supplements: int, reappointments: int, minutes: int,
                     now: int, allowed: int) -> list[tuple[int, int, int]]:
    """A generated dossier's contributions (``fast_contributions`` of its ``history``), the commonest shape —
    received, finished, nothing in between — worked out directly: received and open +1 on its receipt day; open
    -1 and its end counted on its last day; overdue from its due day (or receipt day) to its last day if the due
    day comes before the last."""
    if received is None:
        return []
    if supplements or reappointments or state not in _ENDS or finished is None or finished < received:
        events = history(channel, state, received, due, original, finished, supplements, reappointments, now, allowed)
        return fast_contributions(channel in ONLINE, events, outcome, minutes)  # type: ignore[arg-type]
    r, f, d = (received + LOCAL) // DAY, (finished + LOCAL) // DAY, (due + LOCAL) // DAY  # type: ignore[operator]
    out = [(r, _ONLINE if channel in ONLINE else _DIRECT, 1), (r, _OPEN, 1), (f, _OPEN, -1),
           (f, _RESOLVED[outcome], 1)]
    if minutes:
        out.append((f, _MINUTES, minutes))
    for column, change in _ENDS[state]:
        out.append((f, column, change))
    if d < f and r < f:
        out.append((max(r, d), _OVERDUE, 1))
        out.append((f, _OVERDUE, -1))
    return out


def _facts(channel: str, submitted: int, events: list[tuple[int, str, int | None, bool]], outcome: str,
           minutes: int) -> Any:
    """The same history as ``tally.Facts`` with aware instants, and the online submission before the receipt
    (which the tally must ignore)."""
    from motcua.dossiers.tally import Event, Facts

    def instant(t: int) -> dt.datetime:
        return dt.datetime.fromtimestamp(t, dt.UTC)

    before = [Event(at=instant(submitted), state="submitted", received=False)] if submitted < events[0][0] else []
    return Facts(channel=channel, outcome=outcome, minutes=minutes, events=tuple(before + [
        Event(at=instant(t), state=state, received=True, due_at=instant(due) if due is not None else None, late=late)
        for t, state, due, late in events]))


class Ledger:
    """The generator's sink: each dossier's contributions, summed per (agency, receiving point, procedure, day,
    column) in one dict keyed by an integer; a sample kept for the check against ``tally.contributions``."""

    def __init__(self, generator: Any, n: int) -> None:
        from motcua.dossiers.models import OneStopRules

        self.clock, self.now = generator.clock, generator.now
        self.allowed = OneStopRules.objects.get(pk=generator.world.rules_id).supplements_on_time
        self.first_day = self.clock.base - EPOCH  # the clock's first day, as a day number since 1970
        self.span = len(self.clock.day_text) + 3 * 366  # due days can lie after the clock's last day
        self.pairs: dict[tuple[int, int, int], int] = {}
        self.sums: dict[int, int] = {}
        self.stride = max(1, n // SAMPLE)
        self.kinds: Counter[tuple] = Counter()
        self.sample: list[tuple] = []
        self.seen = self.received = 0
        self.seconds = 0.0
        generator.sink = self.add

    def add(self, agency: int, procedure: int, channel: str, state: str, submitted: int, received: int | None,
            due: int | None, original: int | None, finished: int | None, outcome: str, supplements: int,
            reappointments: int, receiving: int | None = None) -> None:
        started = time.perf_counter()
        self.seen += 1
        if received is None:
            self.seconds += time.perf_counter() - started
            return
        self.received += 1
        minutes = 0
        if outcome and finished is not None:
            minutes = max(0, self.clock.position(finished) - self.clock.position(received)) // 60
        facts = (channel, state, received, due, original, finished, outcome, supplements, reappointments, minutes)
        changes = contributions_of(*facts, self.now, self.allowed)
        key3 = (agency, receiving or agency, procedure)
        pair = self.pairs.get(key3)
        if pair is None:
            pair = self.pairs[key3] = len(self.pairs)
        base = pair * self.span - self.first_day
        sums = self.sums
        if changes[0][0] < self.first_day or max(c[0] for c in changes) >= self.first_day + self.span:
            raise RuntimeError(f"a day outside the ledger's span: {changes}")
        for day, column, change in changes:
            key = (base + day) * NCOL + column
            sums[key] = sums.get(key, 0) + change
        kind = (state, min(supplements, 2), reappointments > 0, channel in ONLINE)
        if self.seen % self.stride == 0 or self.kinds[kind] < SAMPLE_PER_KIND:
            self.kinds[kind] += 1
            self.sample.append((submitted, facts, changes))
        self.seconds += time.perf_counter() - started

    def check(self) -> dict:
        """Every sampled dossier's fast contributions equal ``tally.contributions`` of the same history."""
        from motcua.dossiers import tally

        started = time.perf_counter()
        for submitted, facts, changes in self.sample:
            channel, state, received, due, original, finished, outcome, supplements, reappointments, minutes = facts
            events = history(channel, state, received, due, original, finished, supplements, reappointments,
                             self.now, self.allowed)
            fast: Counter[tuple[dt.date, str]] = Counter()
            for day, column, change in changes:
                fast[dt.date.fromordinal(EPOCH + day), COLUMNS[column]] += change
            fast = Counter({k: v for k, v in fast.items() if v})
            real = tally.contributions(_facts(channel, submitted, events, outcome, minutes))  # type: ignore[arg-type]
            if fast != real:
                raise RuntimeError(f"the bench's fast contributions differ from tally.contributions for {events} "
                                   f"(channel {channel}, outcome {outcome!r}): fast {sorted(fast.items())}, "
                                   f"real {sorted(real.items())}")
        return {"checked": len(self.sample), "kinds": len(self.kinds),
                "seconds": round(time.perf_counter() - started, 2)}

    def rows(self, existing: list[tuple]) -> list[tuple]:
        """Day, month and year rows (agency, receiving point, procedure, grain, day, *columns), the ``existing``
        ledger's rows merged in; rows whose columns all sum to zero left out."""
        pairs = {pair: key for key, pair in self.pairs.items()}
        days: dict[int, list[int]] = {}
        for key, change in self.sums.items():
            if change:
                row, column = divmod(key, NCOL)
                days.setdefault(row, [0] * NCOL)[column] += change
        from motcua.dossiers.tallies import periods_of

        out: dict[tuple, list[int]] = {}
        rollups: dict[int, tuple] = {}
        for row, values in days.items():
            pair, offset = divmod(row, self.span)
            agency, receiving, procedure = pairs[pair]
            day = dt.date.fromordinal(EPOCH + self.first_day + offset)
            out[agency, receiving, procedure, "d", day] = values
            if offset not in rollups:
                rollups[offset] = periods_of(day)[1:]  # the month's and the year's rows, as the services write
            for grain, start in rollups[offset]:
                total = out.setdefault((agency, receiving, procedure, grain, start), [0] * NCOL)
                for i, v in enumerate(values):
                    total[i] += v
        for agency, receiving, procedure, grain, day, *values in existing:
            total = out.setdefault((agency, receiving, procedure, grain, day), [0] * NCOL)
            for i, v in enumerate(values):
                total[i] += v
        return sorted((*key, *values) for key, values in out.items() if any(values))


def _load_tally(rows: list[tuple]) -> None:
    from django.db import connection

    columns = ", ".join(("agency_id", "receiving_agency_id", "procedure_id", "grain", "day", *COLUMNS))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY dossiers_tally ({columns}) FROM STDIN") as copy:
                buffer: list[str] = []
                for row in rows:
                    buffer.append("\t".join(map(str, row)))
                    if len(buffer) >= 10_000:
                        copy.write("\n".join(buffer) + "\n")
                        buffer.clear()
                if buffer:
                    copy.write("\n".join(buffer) + "\n")
            return
        raw = connection.connection.cursor()
        width = 5 + NCOL
        per = 30_000 // width  # under SQLite's 32,766 host parameters a statement
        one = "(" + ", ".join("?" * width) + ")"
        sql = f"INSERT INTO dossiers_tally ({columns}) VALUES "  # noqa: S608 - our own column names
        for start in range(0, len(rows), per):
            chunk = rows[start:start + per]
            raw.execute(sql + ", ".join([one] * len(chunk)),
                        [v.isoformat() if isinstance(v, dt.date) else v for row in chunk for v in row])


def generate(n: int, seed: int = SEED) -> None:
    """``n`` dossiers (``dossiers.generate``) and their ledger; prints ``bench-reports-generated {json}``."""
    from django.db import connection, transaction

    import dossiers
    from motcua.dossiers import tally
    from motcua.dossiers.models import Tally

    if (COLUMNS, FINISHED, ONLINE, SUSPENDED) != (tally.COLUMNS, tally.FINISHED, tally.ONLINE_CHANNELS,
                                                  tally.SUSPENDED):
        raise RuntimeError("dossiers.tally's columns or states changed: update bench/reports.py's copies")
    started = time.perf_counter()
    ledgers: list[Ledger] = []

    def prepare(generator: Any) -> None:
        generator.open_share = min(dossiers.OPEN_SHARE, OPEN_AT_MOST / n)
        ledgers.append(Ledger(generator, n))

    generated = dossiers.generate(n, seed, prepare=prepare)
    ledger = ledgers[0]
    loaded = time.perf_counter()
    checked = ledger.check()
    fields = ["agency_id", "receiving_agency_id", "procedure_id", "grain", "day", *COLUMNS]
    with transaction.atomic():
        existing = list(Tally.objects.order_by().values_list(*fields))
        rows = ledger.rows(existing)
        built = time.perf_counter()
        Tally.objects.all().delete()
        _load_tally(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM (ANALYZE) dossiers_tally")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finished = time.perf_counter()
    grains = Counter(row[3] for row in rows)
    print("bench-reports-generated " + json.dumps({
        "dossiers": generated, "received": ledger.received, "pairs": len(ledger.pairs),
        "existing_rows": len(existing), "day_rows": grains["d"], "month_rows": grains["m"], "year_rows": grains["y"],
        "contributions_seconds": round(ledger.seconds, 1), "check": checked,
        "build_seconds": round(built - loaded - checked["seconds"], 1),
        "tally_load_seconds": round(finished - built, 1),
        "seconds": round(finished - started, 1),
    }))


def period_before(today: dt.date, cutoff_day: int) -> Any:
    """The six months up to last month's data cut-off (calendar months when the cut-off day is 1)."""
    from motcua.reports import periods

    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    first = last
    for _ in range(6 if cutoff_day > 1 else 5):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    if cutoff_day == 1:
        return periods.Period(first, periods.next_month(last) - dt.timedelta(days=1))
    return periods.Period(first.replace(day=cutoff_day), last.replace(day=cutoff_day - 1))


def _figures(row: Any) -> dict[str, int]:
    return {**{k: getattr(row, k) for k in FLOW_KEYS}, "open": row.in_progress + row.awaiting_supplement}


def _percentile(values: Sequence[float], p: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * p // 100) - 1))]


def _plan(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())


def measure(runs: int = RUNS, naive_runs: int = RUNS) -> None:
    """The two reports through the ledger and through the naive GROUP BY: checked equal on the flows and the open
    total, then timed in interleaved rounds; prints ``bench-reports-measured {json}``."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from motcua.dossiers.models import Dossier, Tally
    from motcua.org.models import Agency
    from motcua.reports import naive, selectors

    load_before = [round(x, 2) for x in os.getloadavg()]
    period = period_before(timezone.localdate(), settings.REPORT_CUTOFF_DAY)
    snv = Agency.objects.get(identifier=SNV)
    cases = {"one": {"agency": snv, "group_by": "procedure"}, "all": {"agency": None, "group_by": "agency"}}
    subjects = {"ledger": selectors.resolution, "naive": naive.resolution}
    out: dict[str, Any] = {"period": [period.date_from.isoformat(), period.date_to.isoformat()],
                           "agency": snv.name, "vendor": connection.vendor, "cases": {}}

    # The check, with the queries each makes (and their plans).
    for case, kwargs in cases.items():
        reports, queries, plans = {}, {}, {}
        for name, fn in subjects.items():
            with CaptureQueriesContext(connection) as captured:
                reports[name] = fn(period=period, **kwargs)
            queries[name] = len(captured)
            table = "dossiers_tally" if name == "ledger" else "dossiers_dossier"
            main = next(q["sql"] for q in captured if table in q["sql"])
            plans[name] = _plan(main)
            print(f"--- {case} / {name}: {len(captured)} queries; the main one:\n{main}\n{plans[name]}\n", flush=True)
        ledger, counted = reports["ledger"], reports["naive"]
        problems = []
        if _figures(ledger.totals) != _figures(counted.totals):
            problems.append(f"totals: ledger {_figures(ledger.totals)} naive {_figures(counted.totals)}")
        rows_l = {r.key: _figures(r) for r in ledger.rows}
        rows_n = {r.key: _figures(r) for r in counted.rows}
        if rows_l != rows_n:
            differ = [k for k in rows_l.keys() | rows_n.keys() if rows_l.get(k) != rows_n.get(k)]
            examples = [(k, rows_l.get(k), rows_n.get(k)) for k in differ[:3]]
            problems.append(f"{len(differ)} rows differ, e.g. {examples}")
        if problems:
            raise RuntimeError(f"the ledger and the naive count disagree on the {case} report: " + "; ".join(problems))
        out["cases"][case] = {
            "rows": len(ledger.rows), "totals": ledger.totals.as_dict(), "naive_totals": counted.totals.as_dict(),
            "queries": queries, "plans": plans, "times": {"ledger": [], "naive": []},
        }

    # Warm-up, then interleaved rounds: each round times every case through both, the order turning.
    for _ in range(2):
        for kwargs in cases.values():
            selectors.resolution(period=period, **kwargs)
    order = [(case, name) for case in cases for name in subjects]
    for i in range(max(runs, naive_runs)):
        turn = order[i % len(order):] + order[:i % len(order)]
        for case, name in turn:
            if i >= (runs if name == "ledger" else naive_runs):
                continue
            started = time.perf_counter()
            subjects[name](period=period, **cases[case])
            out["cases"][case]["times"][name].append((time.perf_counter() - started) * 1e3)

    if connection.vendor == "postgresql":
        # PostgreSQL's JIT, on by default, compiles the naive query at every run (seconds at ten million): the
        # same runs without it, so that the comparison does not rest on a compiler's misjudgement.
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        for i in range(min(naive_runs, 5) + 1):
            for case, kwargs in cases.items():
                started = time.perf_counter()
                naive.resolution(period=period, **kwargs)
                if i:  # the first is a warm-up
                    out["cases"][case]["times"].setdefault("naive_without_jit", []).append(
                        (time.perf_counter() - started) * 1e3)
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")
    for case in cases:
        times = out["cases"][case]["times"]
        out["cases"][case]["stats"] = {name: {"median": statistics.median(t), "p95": _percentile(t, 95),
                                              "min": min(t), "max": max(t), "runs": len(t)}
                                       for name, t in times.items()}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database()), pg_total_relation_size('dossiers_dossier'), "
                           "pg_total_relation_size('dossiers_tally')")
            out["database_bytes"], out["dossier_bytes"], out["tally_bytes"] = cursor.fetchone()
        else:
            name = Path(settings.DATABASES["default"]["NAME"])
            out["database_bytes"] = sum(p.stat().st_size for p in name.parent.glob(name.name + "*"))
    out["dossiers"] = Dossier.objects.count()
    out["received"] = Dossier.objects.filter(received_at__isnull=False).count()
    out["tally_rows"] = Tally.objects.count()
    out["loadavg"] = {"before": load_before, "after": [round(x, 2) for x in os.getloadavg()]}
    print("bench-reports-measured " + json.dumps(out, ensure_ascii=False, default=str))


# ---------------------------------------------------------------------------------------------------------
# The bench process


def shell(env: dict[str, str], code: str, marker: str, timeout: float) -> Any:
    import run as bench

    return bench.project_shell(env, "reports", code, marker, timeout)


def bench_reports(n: int = DOSSIERS, runs: int = RUNS, naive_runs: int = RUNS, procedures: int = PROCEDURES,
                  machine: dict | None = None) -> list[dict]:
    """The whole reports bench in a database of its own; ``run.result`` rows."""
    import run as bench

    with tempfile.TemporaryDirectory(prefix="motcua-bench-reports-") as tmp:
        data_dir = Path(tmp)
        with bench.throwaway_database(data_dir) as (database_url, kind, version):
            if machine is not None:
                machine["database"], machine["database_version"] = kind, version
            env = os.environ | {"MOTCUA_ENV": "local", "DATA_DIR": str(data_dir), "DATABASE_URL": database_url,
                                "DEBUG": "false", "LOG_LEVEL": "WARNING"}
            env.pop("DJANGO_SETTINGS_MODULE", None)
            bench.run([str(bench.BIN / "motcua"), "migrate", "--noinput", "-v", "0"], env, timeout=300)
            bench.load_catalog(data_dir, env, procedures)
            print(f"reports: the province's agencies, then {n:,} generated dossiers and their ledger", flush=True)
            started = time.perf_counter()
            shell(env, "import dossiers; dossiers.create_agencies(); print('bench-agencies 1')", "bench-agencies",
                  timeout=600)
            agencies = time.perf_counter() - started
            started = time.perf_counter()
            generated = shell(env, f"reports.generate({n}, {SEED})", "bench-reports-generated", timeout=4 * 3600)
            generated["wall_seconds"] = time.perf_counter() - started
            generated["agencies_seconds"] = agencies
            d = generated["dossiers"]
            print(f"  generated {n:,} dossiers in {d['seconds']:.0f} s and their ledger ({generated['day_rows']:,} day "
                  f"and {generated['month_rows']:,} month rows; contributions {generated['contributions_seconds']} s, "
                  f"checked on {generated['check']['checked']:,} dossiers) in {generated['wall_seconds']:.0f} s in all",
                  flush=True)
            print(f"reports: the six-month report, ledger against naive, {runs} and {naive_runs} runs", flush=True)
            measured = shell(env, f"reports.measure({runs}, {naive_runs})", "bench-reports-measured",
                             timeout=6 * 3600)
    for case in ("one", "all"):
        s = measured["cases"][case]["stats"]
        print(f"  {case}: ledger p50 {s['ledger']['median']:.1f} ms p95 {s['ledger']['p95']:.1f} ms; naive p50 "
              f"{s['naive']['median']:.0f} ms p95 {s['naive']['p95']:.0f} ms", flush=True)
    return report_results(generated, measured, n, kind, version)


def _jit_ms(plan: str) -> float | None:
    """The time PostgreSQL's JIT (on by default) spent compiling a query, from its EXPLAIN ANALYZE."""
    m = re.search(r"^JIT:$.*?Timing:.*?Total ([\d.]+) ms", plan, re.M | re.S)
    return float(m[1]) if m else None


def report_results(generated: dict, measured: dict, n: int, kind: str, version: str) -> list[dict]:
    import dossiers
    import run as bench

    d = generated["dossiers"]
    period = " – ".join(measured["period"])
    size = measured["database_bytes"] / 1e9
    tables = (f" (dossier table {measured['dossier_bytes'] / 1e9:.1f} GB, ledger {measured['tally_bytes'] / 1e6:.0f} MB"
              f" with indexes)" if "tally_bytes" in measured else "")
    data = (f"{measured['dossiers']:,} dossiers in the table ({n:,} generated over 5 years and "
            f"{dossiers._agencies_text(d)} + the "
            f"demo's), {measured['received']:,} of them received; ledger {measured['tally_rows']:,} rows "
            f"({generated['day_rows']:,} day, {generated['month_rows']:,} month, {generated['pairs']:,} resolving "
            f"agency × receiving point × procedure triples); database {size:.1f} GB{tables}; {kind} {version}")
    out = []
    for case, title, target_ms in (("one", "one agency", TARGET_ONE_MS), ("all", "all agencies", TARGET_ALL_MS)):
        c = measured["cases"][case]
        s = c["stats"]
        ledger, naive = s["ledger"], s["naive"]
        speedup = naive["median"] / ledger["median"]
        met = ledger["median"] < target_ms and speedup >= TARGET_SPEEDUP
        what = (f"selectors.resolution for {period} (six months to last month's data cut-off), " +
                (f"agency {measured['agency']}, one row per procedure ({c['rows']:,} rows)" if case == "one" else
                 f"all agencies, grouped by agency ({c['rows']} rows)") +
                f", {c['queries']['ledger']} queries, reading only the ledger; {data}. Baseline: reports.naive, the "
                f"same report by one conditional-aggregation GROUP BY over the dossier table "
                f"({c['queries']['naive']} queries), checked equal to the ledger's on every flow and on the open "
                f"total, per row, in the same run. {ledger['runs']} ledger and {naive['runs']} naive runs after a "
                f"warm-up, interleaved, in one `motcua shell` process (caches warm"
                + (", tables vacuumed and analysed" if kind == "postgresql" else ", no ANALYZE") +
                f"); load average {measured['loadavg']['before']} → {measured['loadavg']['after']}.")
        jit = {name: _jit_ms(plan) for name, plan in c["plans"].items()}
        if any(jit.values()):
            what += (" PostgreSQL's JIT (on by default) compiled the queries in its EXPLAIN ANALYZE run: naive "
                     f"{jit['naive'] or 0:,.0f} ms, ledger {jit['ledger'] or 0:,.0f} ms (summed over the parallel "
                     "workers; part of each one's time).")
        if "naive_without_jit" in s:
            plain = s["naive_without_jit"]
            what += (f" The naive query with `SET jit = off` ({plain['runs']} runs after a warm-up): p50 "
                     f"{plain['median']:,.0f} ms, p95 {plain['p95']:,.0f} ms, "
                     f"{plain['median'] / ledger['median']:,.1f}× the ledger's p50.")
        verdict = (f" Target: under {target_ms:.0f} ms ({'met' if ledger['median'] < target_ms else 'NOT met'}) and "
                   f"≥ {TARGET_SPEEDUP:.0f}× faster than naive (naive p50 {naive['median']:,.0f} ms: "
                   f"{speedup:,.0f}×, {'met' if speedup >= TARGET_SPEEDUP else 'NOT met'}).")
        r = bench.result(f"report.{title} p50", ledger["median"], "ms", naive["median"], what + verdict,
                         lower_is_better=True)
        r["speedup"] = round(speedup, 1)
        r["target"] = {"ms_below": target_ms, "speedup_at_least": TARGET_SPEEDUP, "met": met}
        r["plans"] = c["plans"]  # the main query of each, EXPLAIN (ANALYZE, BUFFERS) or EXPLAIN QUERY PLAN
        if "naive_without_jit" in s:
            r["naive_without_jit_ms"] = round(s["naive_without_jit"]["median"], 1)
            r["speedup_without_jit"] = round(s["naive_without_jit"]["median"] / ledger["median"], 1)
        out.append(r)
        r = bench.result(f"report.{title} p95", ledger["p95"], "ms", naive["p95"], what, lower_is_better=True)
        r["speedup"] = round(naive["p95"] / ledger["p95"], 1)
        out.append(r)
    how = (f"bench/dossiers.py's generator (COPY on PostgreSQL, multi-row INSERT on SQLite; {d['seconds']:.0f} s: "
           f"plan {d['plan_seconds']:.0f} s, rows and load {d['load_seconds']:.0f} s — of which "
           f"{generated['contributions_seconds']:.0f} s computing the ledger contributions —, indexes "
           f"{d['index_seconds']:.0f} s, {'VACUUM ANALYZE' if kind == 'postgresql' else 'WAL checkpoint'} "
           f"{d['analyse_seconds']:.0f} s), then the ledger: fast contributions checked against "
           f"tally.contributions on {generated['check']['checked']:,} dossiers of {generated['check']['kinds']} kinds "
           f"({generated['check']['seconds']:.0f} s), rows built {generated['build_seconds']:.0f} s, loaded "
           f"{generated['tally_load_seconds']:.0f} s; wall time of the command {generated['wall_seconds']:.0f} s "
           f"(the province's agencies beforehand, when not already made with the catalogue: "
           f"{generated['agencies_seconds']:.0f} s). {data}.")
    out.append(bench.result(f"report.generate {n:,} dossiers and ledger", generated["wall_seconds"], "s",
                            generated["wall_seconds"], f"{how} Baseline: itself (no comparable figure).",
                            lower_is_better=True))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import run as bench

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=DOSSIERS, help=f"generated dossiers (default {DOSSIERS:,})")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed runs of each ledger report (default {RUNS})")
    parser.add_argument("--naive-runs", type=int, default=RUNS,
                        help=f"timed runs of each naive report (default {RUNS})")
    parser.add_argument("--procedures", type=int, default=PROCEDURES,
                        help=f"generated procedures in the catalogue (default {PROCEDURES})")
    parser.add_argument("--output", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    error = check_args(args.dossiers, args.runs, args.naive_runs)
    if error:
        parser.error(error)
    started = time.monotonic()
    machine = bench.machine_info()
    try:
        results = bench_reports(args.dossiers, args.runs, args.naive_runs, args.procedures, machine)
    except bench.BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    machine["seconds"] = round(time.monotonic() - started, 1)
    if args.output:
        args.output.write_text(json.dumps({"machine": machine, "results": results}, ensure_ascii=False, indent=2)
                               + "\n")
    bench.print_table(machine, results)
    return 0


def check_args(dossiers: int, runs: int, naive_runs: int) -> str | None:
    if not 10_000 <= dossiers <= 20_000_000:
        return "--dossiers must be 10,000–20,000,000"  # codes: at most 9,999 an agency a day
    if not 5 <= runs <= 1000 or not 1 <= naive_runs <= 1000:
        return "--runs must be 5–1000 and --naive-runs 1–1000"
    return None


if __name__ == "__main__":
    sys.modules.setdefault("reports", sys.modules[__name__])
    sys.exit(main())
