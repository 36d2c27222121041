"""Deadline reminders for official documents: the morning sweep's document half.

A division's part in handling an incoming document (a ``DocumentTask``) that is overdue or due within one
working day is reminded to whoever must move it: its specialist, or, not yet assigned, the division's leaders
(who assign it); an overdue one goes to the division's leaders as well. An incoming document still waiting for
the agency leader's direction is reminded to the agency's leaders. A finished part is never reminded.

Same rules as the dossier sweep (``dossiers.reminders``): the agency's own working-day calendar, nothing on its
days off, at most one reminder per item, kind and day — the request carries a key (kind, item, date) that
``notify`` records once, so a second run the same day adds nothing, and each person hears of an item once a
day. The overdue/due-soon decision is ``core.work.reminder_kind``, shared with the dossier sweep's rule.
Run by ``motcua deadline_reminders``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.core import clock, work, workdays
from motcua.documents.models import Document, DocumentTask, Secrecy
from motcua.documents.states import Direction, State, TaskRole, TaskState
from motcua.notify import services as notify
from motcua.org import calendars
from motcua.org.models import Agency, Assignment, Staff
from motcua.org.roles import Role

DUE_SOON = "document.due_soon"
OVERDUE = "document.overdue"
HORIZON = workdays.WorkingTime.days(1)
_EVENTS = {work.OVERDUE: OVERDUE, work.DUE_SOON: DUE_SOON}
CONFIDENTIAL_SUMMARY = "(văn bản mật — xem trong hệ thống)"


@dataclass
class Sweep:
    due_soon: int = 0
    overdue: int = 0
    already: int = 0
    agencies_skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Due:
    """One thing to remind: a handling task, or an incoming document waiting for direction."""

    key_part: str
    document: Document
    due_at: dt.datetime
    action: str
    holders: tuple[Staff, ...]
    division_id: int | None


class _Leaders:
    """The agency's leaders and each division's leaders, looked up once per agency and sweep."""

    def __init__(self, agency_id: int, on: dt.date) -> None:
        self.agency_id, self.on = agency_id, on
        self._cache: dict[tuple[str, int | None], list[Staff]] = {}

    def of(self, role: Role, division_id: int | None = None) -> list[Staff]:
        key = (role.value, division_id)
        if key not in self._cache:
            posts = Assignment.objects.current(self.on).filter(agency_id=self.agency_id, staff__is_active=True,
                                                                staff__user__groups__name=role.value)
            if division_id is not None:
                posts = posts.filter(division_id=division_id)
            found = {a.staff_id: a.staff for a in posts.select_related("staff").order_by("staff_id")}
            self._cache[key] = list(found.values())
        return self._cache[key]


def _person(staff: Staff) -> dict[str, Any]:
    return {"user_id": staff.user_id, "name": staff.full_name, "email": staff.email, "phone": staff.phone,
            "role": "staff"}


def _due_items(agency: Agency, until: dt.datetime, leaders: _Leaders) -> list[_Due]:
    """The open tasks and undirected documents of the agency due by ``until`` (two queries, plus the leaders)."""
    tasks = (DocumentTask.objects.filter(agency=agency, due_at__lte=until, document__state=State.IN_HANDLING)
             .exclude(state=TaskState.DONE).exclude(role=TaskRole.INFORM)
             .select_related("document", "assignee").order_by("due_at", "pk"))
    items = []
    for task in tasks:
        if task.assignee_id and task.assignee.is_active:
            holders, action = (task.assignee,), f"{task.get_role_display()} xử lý"
        else:
            holders, action = tuple(leaders.of(Role.DIVISION_LEADER, task.division_id)), "Phân công xử lý"
        items.append(_Due(f"task:{task.pk}", task.document, task.due_at, action, holders, task.division_id))
    waiting = (Document.objects.filter(agency=agency, direction=Direction.INCOMING, state=State.REGISTERED,
                                       due_at__lte=until).order_by("due_at", "pk"))
    for document in waiting:
        items.append(_Due(f"document:{document.pk}", document, document.due_at,  # type: ignore[arg-type]
                          "Cho ý kiến chỉ đạo", tuple(leaders.of(Role.AGENCY_LEADER)), None))
    return items


def _recipients(item: _Due, kind: str, leaders: _Leaders) -> list[dict[str, Any]]:
    chosen = list(item.holders)
    if kind == work.OVERDUE and item.division_id is not None:
        chosen += leaders.of(Role.DIVISION_LEADER, item.division_id)
    unique: dict[int, Staff] = {}
    for person in chosen:
        unique.setdefault(person.pk, person)
    return [_person(s) for s in unique.values()]


def send_reminders(*, now: dt.datetime | None = None, agencies: Iterable[Agency] | None = None,
                   working_days_only: bool = True) -> Sweep:
    """Request today's document reminders; returns how many were requested and how many had been already."""
    now = now or clock.now()
    today = timezone.localdate(now)
    sweep = Sweep()
    for agency in agencies if agencies is not None else Agency.objects.order_by("pk"):
        calendar = calendars.rules_for(agency).calendar
        if working_days_only and not calendar.is_working_day(today):
            sweep.agencies_skipped.append(agency.short_name or agency.name)
            continue
        until = workdays.add_working_time(now, HORIZON, calendar)
        leaders = _Leaders(agency.pk, today)
        items = _due_items(agency, until, leaders)
        kinds = {item.key_part: work.reminder_kind(item.due_at, now=now, soon_until=until) for item in items}
        keys = {item.key_part: f"{_EVENTS.get(kinds[item.key_part])}:{item.key_part}:{today.isoformat()}"
                for item in items}
        done = notify.already_requested(keys.values())
        for item in items:
            kind = kinds[item.key_part]
            if kind is None:
                continue
            if keys[item.key_part] in done:
                sweep.already += 1
                continue
            _remind(item, kind, keys[item.key_part], now, calendar, leaders, agency)
            if kind == work.OVERDUE:
                sweep.overdue += 1
            else:
                sweep.due_soon += 1
    return sweep


def _remind(item: _Due, kind: str, key: str, now: dt.datetime, calendar: workdays.Calendar, leaders: _Leaders,
            agency: Agency) -> None:
    document = item.document
    secret = document.secrecy != Secrecy.NORMAL  # the division's leaders may not see a secret one's summary
    summary = CONFIDENTIAL_SUMMARY if secret else document.summary[:300]
    code = document.symbol or (f"số đến {document.number}" if document.number else "")
    with transaction.atomic():
        notify.request(event=_EVENTS[kind], at=now, agency_id=agency.pk,
                       object_type="documents.document", object_id=str(document.pk), once_key=key,
                       recipients=_recipients(item, kind, leaders), code=code, summary=summary, action=item.action,
                       agency=agency.name, due_at=item.due_at.isoformat(),
                       remaining=workdays.describe_remaining(now, item.due_at, calendar),
                       holder=", ".join(s.full_name for s in item.holders),
                       url=document.get_absolute_url())
