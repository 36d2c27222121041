"""Keeping the statistics ledger: what an action changed in a dossier's history, added to ``Tally`` in the
action's own transaction (``record``), and the whole ledger rebuilt from the hand-offs (``rebuild``).

A dossier's history for the tally is read from its hand-offs (the process-control sheet every action
writes): when, which action, the state and the due time it left. The rule of what a history contributes
is the pure ``dossiers.tally``; this module only reads facts and writes sums. A row's key is (resolving agency,
receiving point, procedure, grain, day): a dossier's every contribution goes to the one pair of agencies it was
received at and is resolved by, so that a dossier handled by several agencies is in exactly one row key and
the province's figures are the sum of all rows. Rows are written with one
``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`` (the same SQL on SQLite and PostgreSQL), in key
order, so that two actions on dossiers of the same procedure and day queue on the row instead of losing
a count or deadlocking.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from motcua.core import workdays
from motcua.dossiers import tally
from motcua.dossiers.models import Dossier, Handoff, Tally
from motcua.dossiers.states import Action
from motcua.org import calendars

_FIELDS = ("at", "action", "to_state", "due_at")


def facts(dossier: Dossier, handoffs: Sequence[Handoff], *, minutes: int | None = None) -> tally.Facts:
    """The history the tally reads, from the dossier's hand-offs in order (each with ``at``, ``action``,
    ``to_state``, ``due_at``)."""
    allowed = dossier.rules.supplements_on_time
    received = apologized = False
    supplements = 0
    events = []
    for h in handoffs:
        if h.action == Action.REQUEST_SUPPLEMENT and received:
            supplements += 1
        received = received or h.action == Action.RECEIVE
        apologized = apologized or h.action == Action.APOLOGIZE
        events.append(tally.Event(at=h.at, state=h.to_state, received=received, due_at=h.due_at,
                                  late=apologized or supplements > allowed))
    if minutes is None:
        minutes = _minutes(dossier)
    return tally.Facts(channel=dossier.channel, events=tuple(events), outcome=dossier.outcome, minutes=minutes)


def _minutes(dossier: Dossier) -> int:
    """Working minutes from receipt to resolution (the average handling time of Decision 766's 2.2)."""
    if dossier.received_at is None or dossier.finished_at is None or not dossier.outcome:
        return 0
    calendar = calendars.rules_for(dossier.agency).calendar
    return max(0, workdays.working_time_between(dossier.received_at, dossier.finished_at, calendar).minutes)


def record(dossier: Dossier, latest: Handoff) -> None:
    """Add to the ledger what the action that wrote ``latest`` changed. Called by every action after its
    hand-off is written; a dossier never received changes nothing and costs no query."""
    if dossier.received_at is None:
        return
    earlier = list(Handoff.objects.filter(dossier=dossier, seq__lt=latest.seq).order_by("seq").only(*_FIELDS))
    minutes = _minutes(dossier)
    before = facts(dossier, earlier, minutes=minutes) if earlier else None
    add(dossier.agency_id, dossier.receiving_agency_id, dossier.procedure_id,
        tally.difference(before, facts(dossier, [*earlier, latest], minutes=minutes)))


def periods_of(day: dt.date) -> tuple[tuple[str, dt.date], ...]:
    """The rows a change on ``day`` goes to: its day, its month and its year (a report sums the fewest)."""
    return (("d", day), ("m", day.replace(day=1)), ("y", day.replace(month=1, day=1)))


def add(agency_id: int, receiving_agency_id: int, procedure_id: int, changes: Counter[tally.Key]) -> None:
    """Add per-day changes of a dossier resolved by ``agency_id`` and received at ``receiving_agency_id`` to the
    day rows and to the rows of their months and years."""
    rows: dict[tuple[str, dt.date], Counter[str]] = defaultdict(Counter)
    for (day, column), n in changes.items():
        for grain, start in periods_of(day):
            rows[grain, start][column] += n
    upsert([(agency_id, receiving_agency_id, procedure_id, grain, day, counts)
            for (grain, day), counts in rows.items()])


KEY = ("agency_id", "receiving_agency_id", "procedure_id", "grain", "day")


def upsert(rows: Iterable[tuple[int, int, int, str, dt.date, Counter[str]]]) -> None:
    """Add ``(agency, receiving point, procedure, grain, day, counts)`` rows to the ledger, in key order."""
    rows = sorted(rows, key=lambda r: r[:5])
    if not rows:
        return
    table = connection.ops.quote_name(Tally._meta.db_table)
    key = ", ".join(KEY)
    columns = ", ".join(tally.COLUMNS)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in tally.COLUMNS)
    values = ", ".join(["(" + ", ".join(["%s"] * (len(KEY) + len(tally.COLUMNS))) + ")"] * len(rows))
    params: list[Any] = []
    for agency_id, receiving_agency_id, procedure_id, grain, day, counts in rows:
        params += [agency_id, receiving_agency_id, procedure_id, grain, connection.ops.adapt_datefield_value(day)]
        params += [counts.get(c, 0) for c in tally.COLUMNS]
    # Identifiers come from our own model and column list; every value is a parameter.
    with connection.cursor() as cursor:
        sql = (f"INSERT INTO {table} ({key}, {columns}) VALUES {values} "  # noqa: S608
               f"ON CONFLICT ({key}) DO UPDATE SET {updates}")
        cursor.execute(sql, params)


Row = tuple[int, int, int, str, dt.date]  # resolving agency, receiving point, procedure, grain, day


def computed(*, agency_id: int | None = None, batch: int = 2000) -> dict[Row, Counter[str]]:
    """The ledger as the hand-offs say it should be, computed in memory (non-zero entries only); with
    ``agency_id``, the rows of the dossiers that agency resolves."""
    dossiers = Dossier.objects.filter(received_at__isnull=False).select_related("rules", "agency").order_by("pk")
    if agency_id is not None:
        dossiers = dossiers.filter(agency_id=agency_id)
    out: dict[Row, Counter[str]] = defaultdict(Counter)
    last = 0
    while True:
        chunk = list(dossiers.filter(pk__gt=last)[:batch])
        if not chunk:
            break
        last = chunk[-1].pk
        history: dict[int, list[Handoff]] = defaultdict(list)
        for h in Handoff.objects.filter(dossier__in=chunk).order_by("dossier_id", "seq").only("dossier_id", *_FIELDS):
            history[h.dossier_id].append(h)
        for d in chunk:
            for (day, column), n in tally.contributions(facts(d, history[d.pk])).items():
                for grain, start in periods_of(day):
                    out[d.agency_id, d.receiving_agency_id, d.procedure_id, grain, start][column] += n
    cleaned = {key: Counter({c: n for c, n in counts.items() if n}) for key, counts in out.items()}
    return {key: counts for key, counts in cleaned.items() if counts}


def stored(*, agency_id: int | None = None) -> dict[Row, Counter[str]]:
    rows = Tally.objects.all() if agency_id is None else Tally.objects.filter(agency_id=agency_id)
    out = {}
    for r in rows.values(*KEY, *tally.COLUMNS):
        counts = Counter({c: r[c] for c in tally.COLUMNS if r[c]})
        if counts:
            out[r["agency_id"], r["receiving_agency_id"], r["procedure_id"], r["grain"], r["day"]] = counts
    return out


def verify(*, agency_id: int | None = None) -> list[tuple[Row, dict[str, int], dict[str, int]]]:
    """Where the stored ledger differs from the hand-offs: (row, stored, computed) for each such row."""
    kept, truth = stored(agency_id=agency_id), computed(agency_id=agency_id)
    return [(key, dict(kept.get(key, {})), dict(truth.get(key, {})))
            for key in sorted(set(kept) | set(truth)) if kept.get(key, Counter()) != truth.get(key, Counter())]


@transaction.atomic
def rebuild(*, agency_id: int | None = None) -> int:
    """Replace the ledger by the one the hand-offs give (after a restore, an import, or a correction made
    outside the services); with ``agency_id``, only the rows of the dossiers that agency resolves. Returns the
    number of rows written."""
    truth = computed(agency_id=agency_id)
    (Tally.objects.all() if agency_id is None else Tally.objects.filter(agency_id=agency_id)).delete()
    Tally.objects.bulk_create([Tally(agency_id=a, receiving_agency_id=r, procedure_id=p, grain=g, day=day, **counts)
                               for (a, r, p, g, day), counts in truth.items()], batch_size=1000)
    return len(truth)
