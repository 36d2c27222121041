"""What one dossier adds to the statistics, day by day (pure: no Django).

The resolution report (received, resolved early / on time / late, in progress within time / overdue,
waiting for a supplement, withdrawn) must be exact for any period and fast at millions of dossiers. So the
report never counts dossiers: it sums a per-day, per-procedure tally that every action keeps in its own
transaction. This module says what a dossier's history contributes to that tally:

- *flows*, counted on the day they happen: received (online or direct), resolved (by outcome), rejected,
  stopped, withdrawn, and the working minutes spent on each resolved dossier;
- *stocks*, kept as changes: on the day a dossier is received ``open`` goes up by one and on the day it is
  finished it goes down, so that the number open at the end of any day is the sum of the changes up to it.
  The same for ``suspended`` (waiting for the applicant's supplement after receipt) and ``overdue`` (open,
  not suspended, and past its due time — or already late whatever the time: after an apology, or after
  more supplement requests than count as on time, Decision 766/QĐ-TTg).

Any change to a dossier's history — a new action, or a correction of an earlier one, back-dated or not —
changes the tally by ``contributions(after) - contributions(before)``; summing the contributions of every
dossier gives the tally from scratch. A status is read at the end of each day in the agency's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

FLOWS = ("received_online", "received_direct", "resolved_early", "resolved_on_time", "resolved_late",
         "rejected", "stopped", "withdrawn", "resolved_minutes")
STOCKS = ("open", "suspended", "overdue")
COLUMNS = FLOWS + STOCKS

ONLINE_CHANNELS = frozenset({"online", "vneid"})
FINISHED = frozenset({"resolved", "returned", "rejected", "stopped", "withdrawn"})
SUSPENDED = "awaiting_supplement"


@dataclass(frozen=True)
class Event:
    """The dossier as one action left it: when, in which state, due when, and whether it already counts as
    late whatever the time. ``received``: whether the clock had started by then."""

    at: dt.datetime
    state: str
    received: bool
    due_at: dt.datetime | None = None
    late: bool = False


@dataclass(frozen=True)
class Facts:
    """A dossier's history as the tally needs it. ``outcome`` is the outcome of its resolution (empty when it
    was withdrawn or is not finished); ``minutes`` the working minutes from receipt to resolution."""

    channel: str
    events: tuple[Event, ...]
    outcome: str = ""
    minutes: int = 0


Key = tuple[dt.date, str]


def day_of(instant: dt.datetime, zone: ZoneInfo = ZONE) -> dt.date:
    return instant.astimezone(zone).date()


def contributions(facts: Facts | None, zone: ZoneInfo = ZONE) -> Counter[Key]:
    """The changes this dossier makes to the tally, keyed by (day, column); zero entries are left out."""
    out: Counter[Key] = Counter()
    if facts is None:
        return out
    events = sorted(facts.events, key=lambda e: e.at)  # a back-dated event takes its place in time
    events = [e for e in events if e.received]  # before receipt nothing counts
    if not events:
        return out
    end = next((i for i, e in enumerate(events) if e.state in FINISHED), None)
    received_day = day_of(events[0].at, zone)
    out[received_day, "received_online" if facts.channel in ONLINE_CHANNELS else "received_direct"] += 1
    out[received_day, "open"] += 1
    if end is not None:
        finished = events[end]
        day = day_of(finished.at, zone)
        out[day, "open"] -= 1
        if finished.state == "withdrawn":
            out[day, "withdrawn"] += 1
        else:
            out[day, f"resolved_{facts.outcome or 'on_time'}"] += 1
            out[day, "resolved_minutes"] += facts.minutes
            if finished.state in ("rejected", "stopped"):
                out[day, finished.state] += 1
        events = events[:end + 1]
    # The stocks change only on a day something happens or a due time passes.
    days = sorted({day_of(e.at, zone) for e in events}
                  | {day_of(e.due_at, zone) for e in events if e.due_at is not None})
    before = (0, 0)
    for day in days:
        now = _status(events, day, zone)
        if now != before:
            out[day, "suspended"] += now[0] - before[0]
            out[day, "overdue"] += now[1] - before[1]
            before = now
    return Counter({k: v for k, v in out.items() if v})


def _status(events: Sequence[Event], day: dt.date, zone: ZoneInfo) -> tuple[int, int]:
    """(suspended, overdue) at the end of ``day``."""
    last = None
    for event in events:
        if day_of(event.at, zone) > day:
            break
        last = event
    if last is None or last.state in FINISHED:
        return (0, 0)
    if last.state == SUSPENDED:
        return (1, 0)
    overdue = last.late or (last.due_at is not None and day_of(last.due_at, zone) <= day)
    return (0, int(overdue))


def difference(before: Facts | None, after: Facts | None, zone: ZoneInfo = ZONE) -> Counter[Key]:
    """What a change to one dossier's history does to the tally (positive and negative entries)."""
    diff = contributions(after, zone)
    diff.subtract(contributions(before, zone))
    return Counter({k: v for k, v in diff.items() if v})


def total(histories: Iterable[Facts], zone: ZoneInfo = ZONE) -> Counter[Key]:
    """The tally from scratch: the sum of every dossier's contributions."""
    out: Counter[Key] = Counter()
    for facts in histories:
        out.update(contributions(facts, zone))
    return out
