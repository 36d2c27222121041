"""The leaders' dashboard (bảng điều hành) of one agency: this month's figures, what needs attention now, twelve
months of trend, on-time rate by division, the age of the backlog and each person's load; and the province's
(``province``): the same period figures for every agency at once, per resolving agency and per receiving point.

An agency's dashboard reads its dossiers from one side, as its report does (``selectors.SIDES``): those it resolves
(a department), those it received (the service centre, a branch: the on-time rate is then per resolving agency
instead of per division), or either (a commune).

Two kinds of figures, kept apart on purpose:

- *period figures* (received, resolved, on-time rate, the months, the divisions) come from the resolution
  report (``selectors.resolution``) or from the same statistics ledger it reads, so that a tile and the
  report for the same period always say the same thing;
- *live figures* (overdue now, due within two working days, waiting for a supplement, the backlog's age,
  the workload) count the open dossiers as they are at this instant, with the filters of the dossier list
  a tile links to.

A fixed number of queries whatever the number of dossiers: the period figures read the ledger; each live
figure is one aggregate over the agency's open dossiers (partial indexes on ``is_open``). The province's
dashboard reads the ledger only (its "overdue now" is the report's in progress and overdue as of today), so
it costs the same at a million dossiers as at a thousand. The backlog's age
fetches only the receipt instants of the open dossiers — an agency holds hundreds to a few thousand — and
counts each age bucket with a binary search, so the calendar arithmetic runs a handful of times.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from motcua.core import clock, workdays
from motcua.core.text import fold_key
from motcua.dossiers.models import Dossier, Tally
from motcua.dossiers.selectors import CLOCK_RUNS
from motcua.dossiers.states import State
from motcua.org import calendars
from motcua.org.models import Agency
from motcua.portal.models import Rating
from motcua.reports import periods, selectors
from motcua.reports.percentiles import ratio

WINDOW_MONTHS = 12
DUE_SOON = workdays.WorkingTime.days(2)
# Working days since receipt: (lowest, highest) of each bucket; None: no upper bound.
BACKLOG_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 2), (3, 5), (6, 10), (11, 20), (21, None))
BACKLOG_STATES = (State.RECEIVED, State.IN_PROGRESS, State.AWAITING_SUPPLEMENT)
HANDLING = CLOCK_RUNS  # the agency holds the dossier and works on it: the states that can be overdue
WORK_STATES = (State.SUBMITTED, State.RECEIVED, State.IN_PROGRESS)  # someone's work now (online ones: the desk's)
DUE_SOON_LIST = 50


@dataclass(frozen=True)
class Live:
    """Open dossiers now. ``overdue``: still being handled (received, in progress) and past their appointment
    — the report's "in progress, overdue", and what the dossier list's "Đã quá hạn" filter shows;
    ``due_soon``: being handled and due within two working days; ``awaiting_supplement``: waiting for the
    applicant."""

    overdue: int
    due_soon: int
    awaiting_supplement: int


@dataclass(frozen=True)
class Satisfaction:
    rated: int
    satisfied: int

    @property
    def rate(self) -> float | None:
        return ratio(self.satisfied, self.rated)


@dataclass(frozen=True)
class Month:
    """A calendar month of the trend: dossiers newly received (online and direct) and resolved in it."""

    start: dt.date
    received: int
    resolved: int


@dataclass(frozen=True)
class Bucket:
    low: int
    high: int | None
    count: int


@dataclass(frozen=True)
class Load:
    """One person's open dossiers (the current step is theirs); ``staff_id`` None: nobody named yet."""

    staff_id: int | None
    name: str
    open: int
    overdue: int
    step_overdue: int


@dataclass(frozen=True)
class DueSoon:
    code: str
    procedure: str
    due_at: dt.datetime
    holder: str


@dataclass(frozen=True)
class Dashboard:
    agency: Agency
    side: str
    now: dt.datetime
    month: periods.Period
    month_report: selectors.Report
    window: periods.Period
    live: Live
    satisfaction: Satisfaction
    months: list[Month]
    divisions: selectors.Report
    backlog: list[Bucket]
    workload: list[Load]
    due_soon: list[DueSoon]


@dataclass(frozen=True)
class Province:
    """The province's period figures: ``report`` per resolving agency (its totals: every dossier once),
    ``receiving`` per receiving point, the months of the trend window."""

    now: dt.datetime
    period: periods.Period
    report: selectors.Report
    receiving: selectors.Report
    window: periods.Period
    months: list[Month]


def month_to_date(today: dt.date) -> periods.Period:
    """"This month": its first day to today — the report page opened with the same dates shows the same."""
    return periods.Period(periods.month_start(today), today)


def window(today: dt.date, months: int = WINDOW_MONTHS) -> periods.Period:
    """The last ``months`` calendar months, this one included (to today)."""
    start = periods.month_start(today)
    for _ in range(months - 1):
        start = periods.month_start(start - dt.timedelta(days=1))
    return periods.Period(start, today)


def month_starts(period: periods.Period) -> list[dt.date]:
    out, day = [], periods.month_start(period.date_from)
    while day <= period.date_to:
        out.append(day)
        day = periods.next_month(day)
    return out


def _dossiers(agency: Agency, side: str) -> Q:
    return selectors.side_filter(agency.pk, side)


def live(agency: Agency, now: dt.datetime, calendar: workdays.Calendar, side: str = selectors.RESOLVING) -> Live:
    soon = workdays.add_working_time(now, DUE_SOON, calendar)
    handling = Q(state__in=HANDLING)
    counts = Dossier.objects.filter(_dossiers(agency, side), is_open=True).aggregate(
        overdue=Count("pk", filter=handling & Q(due_at__lt=now)),
        due_soon=Count("pk", filter=handling & Q(due_at__gte=now, due_at__lte=soon)),
        awaiting=Count("pk", filter=Q(state=State.AWAITING_SUPPLEMENT)))
    return Live(overdue=counts["overdue"], due_soon=counts["due_soon"], awaiting_supplement=counts["awaiting"])


def due_soon(agency: Agency, now: dt.datetime, calendar: workdays.Calendar, limit: int = DUE_SOON_LIST,
             side: str = selectors.RESOLVING) -> list[DueSoon]:
    """The dossiers behind the "due within two working days" tile, the soonest first."""
    soon = workdays.add_working_time(now, DUE_SOON, calendar)
    rows = (Dossier.objects.filter(_dossiers(agency, side), is_open=True, state__in=HANDLING, due_at__gte=now,
                                   due_at__lte=soon).order_by("due_at", "id")
            .values("code", "procedure__name", "due_at", "current_assignee__full_name", "current_division__name",
                    "current_unit__name", "current_other_agency__name")[:limit])
    return [DueSoon(code=r["code"], procedure=r["procedure__name"], due_at=r["due_at"],
                    holder=r["current_assignee__full_name"] or r["current_division__name"] or r["current_unit__name"]
                    or r["current_other_agency__name"] or "")
            for r in rows]


def satisfaction(agency: Agency, since: dt.date, side: str = selectors.RESOLVING) -> Satisfaction:
    start = dt.datetime.combine(since, dt.time(), tzinfo=timezone.get_current_timezone())
    whose = (Q(agency_id=agency.pk) if side == selectors.RESOLVING
             else selectors.side_filter(agency.pk, side, prefix="dossier__"))
    counts = Rating.objects.filter(whose, rated_at__gte=start).aggregate(
        rated=Count("pk"), satisfied=Count("pk", filter=Q(satisfied=True)))
    return Satisfaction(rated=counts["rated"], satisfied=counts["satisfied"])


def months(agency: Agency | None, period: periods.Period, side: str = selectors.RESOLVING) -> list[Month]:
    """Received (new, online and direct) and resolved per calendar month of ``period``, from the ledger's month
    rows — the very rows the resolution report sums for a whole month — in one query (``agency`` None: the
    whole province)."""
    starts = month_starts(period)
    rows = Tally.objects.all() if agency is None else Tally.objects.filter(_dossiers(agency, side))
    sums = {row["day"]: row for row in rows.filter(
        grain=Tally.Grain.MONTH, day__range=(starts[0], starts[-1]))
        .order_by().values("day").annotate(
            received=Sum(F("received_online") + F("received_direct")),
            resolved=Sum(F("resolved_early") + F("resolved_on_time") + F("resolved_late")))}
    return [Month(start=day, received=(sums.get(day) or {}).get("received") or 0,
                  resolved=(sums.get(day) or {}).get("resolved") or 0) for day in starts]


def backlog(agency: Agency, now: dt.datetime, calendar: workdays.Calendar,
            side: str = selectors.RESOLVING) -> list[Bucket]:
    """Open dossiers still being handled (received, in progress or waiting for a supplement — those the
    report counts as in progress or waiting) by whole working days since receipt."""
    received = list(Dossier.objects.filter(_dossiers(agency, side), is_open=True, state__in=BACKLOG_STATES,
                                           received_at__isnull=False)
                    .order_by("received_at").values_list("received_at", flat=True))

    def younger(instant: dt.datetime) -> int:  # grows with ``instant``: what bisect needs
        return -workdays.working_time_between(instant, now, calendar).minutes

    def at_least(days: int) -> int:
        """How many were received at least ``days`` whole working days ago."""
        return bisect_right(received, -days * workdays.MINUTES_PER_DAY, key=younger)

    out = []
    for low, high in BACKLOG_BUCKETS:
        lower = len(received) if low == 0 else at_least(low)
        upper = at_least(high + 1) if high is not None else 0
        out.append(Bucket(low=low, high=high, count=lower - upper))
    return out


def workload(agency: Agency, now: dt.datetime, side: str = selectors.RESOLVING) -> list[Load]:
    """Dossiers being worked on (submitted online and waiting for the desk's check, received, in progress) by
    the person whose step they are at, the most loaded first; those not given to anyone yet in one row of
    their own, last."""
    rows = (Dossier.objects.filter(_dossiers(agency, side), is_open=True, state__in=WORK_STATES)
            .order_by().values("current_assignee_id", "current_assignee__full_name")
            .annotate(open=Count("pk"),
                      overdue=Count("pk", filter=Q(due_at__lt=now)),
                      step_overdue=Count("pk", filter=Q(current_due_at__lt=now))))
    loads = [Load(staff_id=r["current_assignee_id"], name=r["current_assignee__full_name"] or "", open=r["open"],
                  overdue=r["overdue"], step_overdue=r["step_overdue"]) for r in rows]
    return sorted(loads, key=lambda x: (x.staff_id is None, -x.open, -x.overdue, fold_key(x.name), x.name))


def dashboard(agency: Agency, *, side: str | None = None, now: dt.datetime | None = None) -> Dashboard:
    """``side`` None: ``selectors.default_side``. ``divisions`` is per division, or per resolving agency when
    the agency is read as a receiving point."""
    now = now or clock.now()
    side = side or selectors.default_side(agency)
    today = timezone.localdate(now)
    calendar = calendars.calendar_for(agency)
    month = month_to_date(today)
    trend = window(today)
    return Dashboard(
        agency=agency, side=side, now=now, month=month, window=trend,
        month_report=selectors.resolution(period=month, agency=agency, group_by="field", side=side),
        live=live(agency, now, calendar, side), satisfaction=satisfaction(agency, trend.date_from, side),
        months=months(agency, trend, side),
        divisions=selectors.resolution(period=trend, agency=agency, side=side,
                                       group_by="resolving_agency" if side == selectors.RECEIVING else "division"),
        backlog=backlog(agency, now, calendar, side), workload=workload(agency, now, side),
        due_soon=due_soon(agency, now, calendar, side=side))


def province(*, period: periods.Period | None = None, now: dt.datetime | None = None) -> Province:
    """The whole province for ``period`` (this month to today by default): six ledger queries and one for the
    months, whatever the number of dossiers and agencies."""
    now = now or clock.now()
    today = timezone.localdate(now)
    period = period or month_to_date(today)
    trend = window(today)
    return Province(
        now=now, period=period, window=trend, months=months(None, trend),
        report=selectors.resolution(period=period, agency=None, group_by="resolving_agency"),
        receiving=selectors.resolution(period=period, agency=None, group_by="receiving_agency"))
