"""Deadline reminders for staff: the morning sweep that tells whoever holds a step it is due within one working
day, or overdue (and, when overdue, the division's leader too), and gives the agency's leaders the whole
morning's list in one message.

"Within one working day" is counted in the agency's own working-day calendar, the one the step's due time
was computed with (``org.calendars.rules_for``, as ``services`` does), so a step due Monday 09:00 is "due
soon" on Friday morning. Each step is reminded at most once per kind per day: the request carries a key
(kind, step, date) that ``notify`` records once, so running the sweep twice the same day adds nothing.
Run by ``motcua deadline_reminders`` from cron each working morning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.core import clock, workdays
from motcua.dossiers import policy
from motcua.dossiers.models import DossierStep
from motcua.notify import services as notify
from motcua.org import calendars
from motcua.org.models import Agency, Assignment, Staff

DUE_SOON = "dossier.due_soon"
OVERDUE = "dossier.overdue"
HORIZON = workdays.WorkingTime.days(1)


@dataclass
class Sweep:
    due_soon: int = 0
    overdue: int = 0
    already: int = 0
    agencies_skipped: list[str] = field(default_factory=list)


def _person(staff: Staff) -> dict[str, Any]:
    return {"user_id": staff.user_id, "name": staff.full_name, "email": staff.email, "phone": staff.phone,
            "role": "staff"}


class _People:
    """Staff with a role at a place (a division, a unit, or the agency itself), looked up once per sweep."""

    def __init__(self, agency_id: int, on: dt.date) -> None:
        self.agency_id, self.on = agency_id, on
        self._cache: dict[tuple[str, int | None, int | None], list[Staff]] = {}

    def with_role(self, role: str, division_id: int | None, unit_id: int | None) -> list[Staff]:
        key = (role, division_id, unit_id)
        if key not in self._cache:
            posts = Assignment.objects.current(self.on).filter(agency_id=self.agency_id, staff__is_active=True,
                                                                staff__user__groups__name=role)
            if division_id is not None:
                posts = posts.filter(division_id=division_id)
            elif unit_id is not None:
                posts = posts.filter(unit_id=unit_id)
            found = {a.staff_id: a.staff for a in posts.select_related("staff").order_by("staff_id")}
            self._cache[key] = list(found.values())
        return self._cache[key]


def recipients_for(step: DossierStep, kind: str, people: _People) -> list[dict[str, Any]]:
    """The step's holder — its assignee, or, unassigned, everyone with its role at its place — and, for an
    overdue step of a division or unit, that place's leaders; each person once."""
    holders = [step.assignee] if step.assignee_id else people.with_role(step.role, step.division_id, step.unit_id)
    chosen = [s for s in holders if s is not None and s.is_active]
    if kind == OVERDUE and (step.division_id or step.unit_id):
        chosen += people.with_role(policy.DIVISION_LEADER, step.division_id, step.unit_id)
    unique: dict[int, Staff] = {}
    for person in chosen:
        unique.setdefault(person.pk, person)
    return [_person(s) for s in unique.values()]


def _key(kind: str, step: DossierStep, day: dt.date) -> str:
    return f"{kind}:{step.pk}:{day.isoformat()}"


def _holder_label(step: DossierStep) -> str:
    if step.assignee_id:
        return step.assignee.full_name
    place = step.division or step.unit
    return str(place) if place is not None else ""


def _due_steps(agency: Agency, until: dt.datetime) -> Iterable[DossierStep]:
    return (DossierStep.objects.filter(agency=agency, status=DossierStep.Status.ACTIVE, other_agency__isnull=True,
                                       dossier__is_open=True, due_at__lte=until)
            .select_related("dossier", "dossier__procedure", "assignee", "division", "unit").order_by("due_at", "pk"))


def send_reminders(*, now: dt.datetime | None = None, agencies: Iterable[Agency] | None = None,
                   working_days_only: bool = True) -> Sweep:
    """Request today's reminders; returns how many were requested and how many had been already."""
    now = now or clock.now()
    today = timezone.localdate(now)
    sweep = Sweep()
    for agency in agencies if agencies is not None else Agency.objects.order_by("pk"):
        calendar = calendars.rules_for(agency).calendar
        if working_days_only and not calendar.is_working_day(today):
            sweep.agencies_skipped.append(agency.short_name or agency.name)
            continue
        until = workdays.add_working_time(now, HORIZON, calendar)
        steps = list(_due_steps(agency, until))
        kinds = {step.pk: OVERDUE if step.due_at <= now else DUE_SOON for step in steps}
        done = notify.already_requested(_key(kinds[s.pk], s, today) for s in steps)
        people = _People(agency.pk, today)
        for step in steps:
            kind = kinds[step.pk]
            key = _key(kind, step, today)
            if key in done:
                sweep.already += 1
                continue
            _remind(step, kind, key, now, calendar, people, agency)
            if kind == OVERDUE:
                sweep.overdue += 1
            else:
                sweep.due_soon += 1
        if steps:
            _digest(agency, steps, kinds, now, calendar, people, today)
    return sweep


DIGEST = "dossier.digest"
DIGEST_LINES = 20


def _digest(agency: Agency, steps: list[DossierStep], kinds: dict[int, str], now: dt.datetime,
            calendar: workdays.Calendar, people: _People, today: dt.date) -> None:
    """The agency's leaders get the morning's list in one message (overdue first), once a day, with a link to
    the dashboard where each figure opens its list."""
    key = f"{DIGEST}:{agency.pk}:{today.isoformat()}"
    leaders = people.with_role(policy.AGENCY_LEADER, None, None)
    if not leaders or notify.already_requested([key]):
        return
    ordered = sorted(steps, key=lambda s: (kinds[s.pk] != OVERDUE, s.due_at, s.pk))
    lines = [f"{s.dossier.code} — {s.name} — {_holder_label(s) or '…'} — "
             f"{workdays.describe_remaining(now, s.due_at, calendar)}" for s in ordered[:DIGEST_LINES]]
    overdue = sum(1 for s in steps if kinds[s.pk] == OVERDUE)
    with transaction.atomic():
        notify.request(event=DIGEST, at=now, agency_id=agency.pk, object_type="org.agency", object_id=str(agency.pk),
                       recipients=[_person(s) for s in leaders], once_key=key, agency=agency.name,
                       overdue=overdue, due_soon=len(steps) - overdue, lines=lines,
                       more=max(0, len(steps) - DIGEST_LINES), url="/bao-cao/tong-quan/")


def _remind(step: DossierStep, kind: str, key: str, now: dt.datetime, calendar: workdays.Calendar,
            people: _People, agency: Agency) -> None:
    d = step.dossier
    with transaction.atomic():
        notify.request(event=kind, at=now, agency_id=agency.pk, object_type="dossiers.dossier", object_id=d.code,
                       recipients=recipients_for(step, kind, people), once_key=key, code=d.code,
                       procedure=d.procedure.name, agency=agency.name, step=step.name,
                       step_due_at=step.due_at.isoformat(), due_at=d.due_at.isoformat() if d.due_at else None,
                       remaining=workdays.describe_remaining(now, step.due_at, calendar),
                       holder=_holder_label(step), url=f"/ho-so/{d.code}/")
