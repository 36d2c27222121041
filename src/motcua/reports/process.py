"""Process measurement (đo lường quy trình, ISO 9001 §9.1): where a procedure's dossiers spend their time,
step by step — what the department needs to keep simplifying, and what commercial one-stop products do not
show.

For an agency and a period, every pass through a step that *finished* in the period (a step sent back and
taken again is a second pass) counts once, whatever its ending (done, sent back, suspended for a supplement,
closed with the dossier). Per procedure and per step (its order and name in the process):

- passes; the median and the 90th percentile of the working hours spent (``started_at`` → ``finished_at``
  in the agency's calendar: nights, weekends and holidays do not count); the hours the process allots;
- the share of passes finished late against the step's own due time (``outcome == "late"``) and the share
  that ended by sending the dossier back to the step before (``status == "sent_back"``);
- per procedure, the supplement rate: dossiers received in the period that were asked for a supplement after
  receipt (the requests that stop the clock) ÷ dossiers received in the period;
- the bottleneck: the step whose 90th percentile is the largest multiple of its allotted hours (ties, and
  steps without allotted hours, decided by the larger late share).

Per division, the on-time rate and average handling time come from the resolution report grouped by division
(``selectors.resolution``), so that they match it.

Reads the step rows themselves (one query) and measures them in Python: fine at an agency's scale — a
department finishes a few thousand steps a month, a year is some tens of thousands of rows — not meant for
a whole province over years at once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core import workdays
from motcua.dossiers.models import Dossier, DossierStep
from motcua.org import calendars
from motcua.org.models import Agency
from motcua.reports import periods, selectors
from motcua.reports.percentiles import median, percentile, ratio

P90 = 90


@dataclass
class StepFigures:
    order: int
    name: str
    passes: int
    late: int
    sent_back: int
    allotted_hours: int
    median_hours: float | None
    p90_hours: float | None
    bottleneck: bool = False

    @property
    def late_share(self) -> float | None:
        return ratio(self.late, self.passes)

    @property
    def sent_back_rate(self) -> float | None:
        return ratio(self.sent_back, self.passes)

    @property
    def pressure(self) -> float | None:
        """The 90th percentile as a multiple of the allotted hours (1.0: the slow passes use all of it)."""
        if self.p90_hours is None or not self.allotted_hours:
            return None
        return round(self.p90_hours / self.allotted_hours, 2)

    @property
    def pressure_percent(self) -> float | None:
        return None if self.pressure is None else round(self.pressure * 100)


@dataclass
class ProcedureFigures:
    procedure_id: int
    code: str
    name: str
    steps: list[StepFigures] = field(default_factory=list)
    received: int = 0
    with_supplement: int = 0

    @property
    def supplement_rate(self) -> float | None:
        return ratio(self.with_supplement, self.received)

    @property
    def bottleneck(self) -> StepFigures | None:
        return next((s for s in self.steps if s.bottleneck), None)


@dataclass
class ProcessReport:
    agency: Agency
    period: periods.Period
    procedures: list[ProcedureFigures]
    divisions: selectors.Report


def bottleneck_key(step: StepFigures) -> tuple[float, float, int]:
    """Order of badness: the 90th percentile against the allotted hours, then the late share, then passes."""
    pressure = step.pressure if step.pressure is not None else -1.0
    return (pressure, step.late_share or 0.0, step.passes)


def flag_bottleneck(steps: list[StepFigures]) -> StepFigures | None:
    """Mark the worst step of a procedure (none when nothing was measured or nothing took any time and none
    was late)."""
    for step in steps:
        step.bottleneck = False
    measured = [s for s in steps if s.passes]
    if not measured:
        return None
    worst = max(measured, key=bottleneck_key)
    if (worst.pressure or 0) <= 0 and not worst.late:
        return None
    worst.bottleneck = True
    return worst


def _bounds(period: periods.Period) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (dt.datetime.combine(period.date_from, dt.time(), tzinfo=zone),
            dt.datetime.combine(period.date_to + dt.timedelta(days=1), dt.time(), tzinfo=zone))


def step_figures(order: int, name: str, passes: list[tuple[float, int, str, str]]) -> StepFigures:
    """One step from its passes: (working hours spent, allotted hours, status, outcome) each."""
    hours = [p[0] for p in passes]
    allotted = Counter(p[1] for p in passes).most_common(1)[0][0] if passes else 0
    return StepFigures(
        order=order, name=name, passes=len(passes),
        late=sum(1 for p in passes if p[3] == "late"),
        sent_back=sum(1 for p in passes if p[2] == DossierStep.Status.SENT_BACK),
        allotted_hours=allotted,
        median_hours=_hours(median(hours)), p90_hours=_hours(percentile(hours, P90)))


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def measure(*, agency: Agency, period: periods.Period, calendar: workdays.Calendar | None = None) -> ProcessReport:
    calendar = calendar or calendars.calendar_for(agency)
    start, end = _bounds(period)
    passes: dict[tuple[int, int, str], list[tuple[float, int, str, str]]] = defaultdict(list)
    rows = (DossierStep.objects.filter(agency=agency, finished_at__gte=start, finished_at__lt=end)
            .order_by().values_list("dossier__procedure_id", "order", "name", "hours", "started_at", "finished_at",
                                    "status", "outcome"))
    for procedure_id, order, name, allotted, started, finished, status, outcome in rows:
        spent = workdays.working_time_between(started, finished, calendar).minutes / 60
        passes[(procedure_id, order, name)].append((spent, allotted, status, outcome))
    received = {r["procedure_id"]: r for r in Dossier.objects.filter(
        agency=agency, received_at__gte=start, received_at__lt=end).order_by().values("procedure_id").annotate(
            received=Count("pk"), with_supplement=Count("pk", filter=Q(supplement_requests__gt=0)))}
    ids = {key[0] for key in passes} | set(received)
    out = {p["pk"]: ProcedureFigures(procedure_id=p["pk"], code=p["code"], name=p["name"])
           for p in Procedure.objects.filter(pk__in=ids).values("pk", "code", "name")}
    for (procedure_id, order, name), items in sorted(passes.items(), key=lambda kv: (kv[0][1], kv[0][2])):
        out[procedure_id].steps.append(step_figures(order, name, items))
    for procedure_id, r in received.items():
        out[procedure_id].received, out[procedure_id].with_supplement = r["received"], r["with_supplement"]
    for figures in out.values():
        flag_bottleneck(figures.steps)
    procedures = sorted(out.values(), key=lambda p: (p.code, p.name))
    return ProcessReport(agency=agency, period=period, procedures=procedures,
                         divisions=selectors.resolution(period=period, agency=agency, group_by="division"))
