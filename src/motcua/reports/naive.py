"""The resolution report the naive way: one conditional-aggregation ``GROUP BY`` over the dossier table.

This is the speed baseline of ``bench/reports.py`` and a cross-check of the ledger (``selectors.resolution``
reads only ``dossiers.Tally``). It counts the dossiers themselves from their stored instants, so its cost
grows with every dossier ever received, and it gives the same ``Report`` and ``Row`` as the ledger:

- exact, from ``received_at``, ``finished_at``, ``channel``, ``state`` and ``outcome`` (a day is a day in the
  agency's time zone, as in ``dossiers.tally``; finished means one of the states the ledger counts as
  finished — resolved, returned, rejected, stopped, withdrawn — at ``finished_at``): received online and
  directly, carried over (received before the period and not finished before it), resolved early / on
  time / late, rejected, stopped, withdrawn, and the number still open at the end of the period (received
  by then and not finished by then, i.e. in progress + waiting for a supplement);
- approximated, because the dossier table keeps only a dossier's *current* state and not its history:
  whether a dossier open at the period end was then *waiting for a supplement* (here: it is waiting now) or
  *overdue* (here: not waiting now and its current appointment ``due_at`` falls on or before the period's last
  day, or it already counts as late — an apology, or more supplement requests than its rules count as on
  time). For a period that ends today these are right; for a past period a dossier that has since been
  suspended, resumed or given a new appointment is put in the wrong one of the three open columns (their
  total stays exact);
- not computed: the working minutes behind the average handling time (they need the agency's calendar per
  dossier), so ``minutes`` is 0 and ``average_days`` reads 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from motcua.dossiers import tally
from motcua.dossiers.models import Dossier, OneStopRules
from motcua.org.models import Agency
from motcua.reports import periods, selectors

FINISHED = sorted(tally.FINISHED)
RESOLVED = sorted(tally.FINISHED - {"withdrawn"})  # finished with an outcome measured against the due time
ONLINE = sorted(tally.ONLINE_CHANNELS)


def _start_of(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in the agency's time zone: "on or before day D" is "before the start of
    D + 1", a plain comparison of stored instants."""
    return dt.datetime.combine(day, dt.time(), tally.ZONE)


def _unfinished_at(instant: dt.datetime) -> Q:
    """Not finished before ``instant``."""
    return ~Q(state__in=FINISHED) | Q(finished_at__isnull=True) | Q(finished_at__gte=instant)


def _open_at(instant: dt.datetime) -> Q:
    """Received before ``instant`` and not finished before it."""
    return Q(received_at__lt=instant) & _unfinished_at(instant)


def _late_whatever_the_time() -> Q:
    """An apology (a new appointment), or more supplement requests than the dossier's rules count as on time;
    the rules are a handful of rows, read first, so that the big query needs no join."""
    q = Q(reappointments__gt=0)
    by_allowance: dict[int, list[int]] = {}
    for pk, allowed in OneStopRules.objects.values_list("pk", "supplements_on_time"):
        by_allowance.setdefault(allowed, []).append(pk)
    for allowed, ids in by_allowance.items():
        q |= Q(rules_id__in=ids, supplement_requests__gt=allowed)
    return q


def naive_rows(period: periods.Period, *, agency_id: int | None = None, side: str = selectors.RESOLVING,
               procedure_ids: list[int] | None = None, by: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Per procedure (and the key columns ``by``: resolving agency ``agency_id``, receiving point
    ``receiving_agency_id``), the same sums as ``selectors.tally_rows``, counted over the dossiers: one query
    (after the rules' few rows)."""
    start, end = _start_of(period.date_from), _start_of(period.date_to + dt.timedelta(days=1))
    within = Q(received_at__gte=start, received_at__lt=end)
    finished_in = Q(state__in=FINISHED, finished_at__gte=start, finished_at__lt=end)
    resolved_in = finished_in & Q(state__in=RESOLVED)
    open_end = _open_at(end)
    waiting = Q(state=tally.SUSPENDED)
    overdue = ~waiting & (Q(due_at__lt=end) | _late_whatever_the_time())
    # Every dossier that counts somewhere: received before the end and not finished before the start.
    rows = Dossier.objects.filter(Q(received_at__lt=end) & _unfinished_at(start))
    if agency_id is not None:
        rows = rows.filter(selectors.side_filter(agency_id, side))
    if procedure_ids is not None:
        rows = rows.filter(procedure_id__in=procedure_ids)
    keys = ["procedure_id", *by]
    out = list(rows.order_by().values(*keys).annotate(
        carried_over=Count("pk", filter=_open_at(start)),
        received_online=Count("pk", filter=within & Q(channel__in=ONLINE)),
        received_direct=Count("pk", filter=within & ~Q(channel__in=ONLINE)),
        early=Count("pk", filter=resolved_in & Q(outcome="early")),
        on_time=Count("pk", filter=resolved_in & Q(outcome__in=("on_time", ""))),  # as the ledger reads no outcome
        late=Count("pk", filter=resolved_in & Q(outcome="late")),
        rejected=Count("pk", filter=finished_in & Q(state="rejected")),
        stopped=Count("pk", filter=finished_in & Q(state="stopped")),
        withdrawn=Count("pk", filter=finished_in & Q(state="withdrawn")),
        open_end=Count("pk", filter=open_end),
        suspended_end=Count("pk", filter=open_end & waiting),
        overdue_end=Count("pk", filter=open_end & overdue)))
    for row in out:
        row["minutes"] = 0
    return out


def resolution(*, period: periods.Period, agency: Agency | None = None, group_by: str = "procedure",
               field_id: int | None = None, division_id: int | None = None,
               procedure_id: int | None = None, side: str | None = None) -> selectors.Report:
    """``selectors.resolution`` with the sums counted over the dossier table instead of read from the ledger
    (the rows and totals are assembled by the same code)."""
    return selectors.resolution(period=period, agency=agency, group_by=group_by, field_id=field_id,
                                division_id=division_id, procedure_id=procedure_id, side=side, source=naive_rows)
