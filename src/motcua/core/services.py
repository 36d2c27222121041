"""Use cases of the shared kernel: editing a working-day calendar."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from motcua.core import audit, override_csv
from motcua.core.errors import DomainError, ErrorCode
from motcua.core.models import CalendarOverride, WorkCalendar

MANAGE_CALENDAR = "core.manage_calendar"
VERIFY_AUDIT = "core.verify_audit"


@transaction.atomic
def verify_audit_chain(*, actor: Any, agency_id: int, agency_name: str) -> audit.VerifyResult:
    """Recompute one agency's audit chain; the check itself is recorded, so the log shows who checked when."""
    if not actor.has_perm(VERIFY_AUDIT):
        raise DomainError(ErrorCode.FORBIDDEN, "Bạn không có quyền kiểm tra nhật ký kiểm toán.")
    result = audit.verify(chains=[agency_id])
    audit.record(actor=actor, action="audit.verify", agency_id=agency_id, object_type="core.auditchain",
                 object_id=str(agency_id), object_repr=f"Nhật ký kiểm toán của {agency_name}",
                 after={"events": result.events, "ok": result.ok})
    return result


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def import_calendar_overrides(*, actor: Any, calendar: WorkCalendar, data: bytes) -> ImportResult:
    """Apply a CSV of days off / make-up days to a calendar: all rows or none; re-importing changes nothing.

    ``actor`` None is the system (an operator's command line); otherwise the user must hold
    ``core.manage_calendar``.
    """
    if actor is not None and not actor.has_perm(MANAGE_CALENDAR):
        raise DomainError(ErrorCode.FORBIDDEN, "Bạn không có quyền sửa lịch làm việc.")
    rows, problems = override_csv.parse(data)
    if problems:
        raise DomainError(ErrorCode.INVALID, "Tệp có lỗi, chưa ghi gì: " + "; ".join(map(str, problems[:20])),
                          problems=[str(p) for p in problems])
    calendar = WorkCalendar.objects.select_for_update().get(pk=calendar.pk)
    existing = {o.date: o for o in CalendarOverride.objects.filter(calendar=calendar, date__in=[r.date for r in rows])}
    created = updated = unchanged = 0
    fields = ["kind", "name", "source"]
    for row in rows:
        current = existing.get(row.date)
        if current is None:
            override = CalendarOverride.objects.create(calendar=calendar, date=row.date, kind=row.kind,
                                                       name=row.name, source=row.source)
            audit.record(actor=actor, action="calendar.override.create", target=override,
                         after=audit.snapshot(override, ["date", *fields]))
            created += 1
            continue
        before = audit.snapshot(current, fields)
        if (current.kind, current.name, current.source) == (row.kind, row.name, row.source):
            unchanged += 1
            continue
        current.kind, current.name, current.source = row.kind, row.name, row.source
        current.save(update_fields=fields)
        audit.record(actor=actor, action="calendar.override.update", target=current, before=before,
                     after=audit.snapshot(current, fields))
        updated += 1
    return ImportResult(created, updated, unchanged)
