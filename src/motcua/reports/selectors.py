"""The resolution report (báo cáo tình hình giải quyết TTHC) for any period, read from the statistics
ledger (``dossiers.Tally``) only: one query over month rows and the day rows of at most three months,
whatever the number of dossiers.

Columns (``domain/legal-reference.md`` §2): received = carried over from the previous period + received
online + received directly (desk or post); resolved = early + on time + late; in progress at the end of
the period = within time + overdue; plus waiting for a supplement and withdrawn. The balance always holds:
received = resolved + withdrawn + in progress + waiting for a supplement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, ProcessStep
from motcua.core import clock
from motcua.dossiers.models import Tally
from motcua.org.models import Agency
from motcua.reports import indicators as indicators_rules
from motcua.reports import periods

GROUPS = ("procedure", "field", "division", "agency")
WORKING_DAY_MINUTES = 8 * 60

# (key, label, heading it sits under) in the order of the official table.
COLUMNS: list[tuple[str, Any, Any]] = [
    ("received", _("Tổng số"), _("Số hồ sơ nhận giải quyết")),
    ("carried_over", _("Kỳ trước chuyển qua"), _("Số hồ sơ nhận giải quyết")),
    ("received_online", _("Mới tiếp nhận trực tuyến"), _("Số hồ sơ nhận giải quyết")),
    ("received_direct", _("Mới tiếp nhận trực tiếp, bưu chính"), _("Số hồ sơ nhận giải quyết")),
    ("resolved", _("Tổng số"), _("Số hồ sơ đã giải quyết")),
    ("early", _("Trước hạn"), _("Số hồ sơ đã giải quyết")),
    ("on_time", _("Đúng hạn"), _("Số hồ sơ đã giải quyết")),
    ("late", _("Quá hạn"), _("Số hồ sơ đã giải quyết")),
    ("in_progress", _("Tổng số"), _("Số hồ sơ đang giải quyết")),
    ("in_progress_within", _("Trong hạn"), _("Số hồ sơ đang giải quyết")),
    ("in_progress_overdue", _("Quá hạn"), _("Số hồ sơ đang giải quyết")),
    ("awaiting_supplement", _("Chờ bổ sung"), _("Khác")),
    ("withdrawn", _("Rút hồ sơ"), _("Khác")),
    ("on_time_rate", _("Tỷ lệ đúng hạn (%)"), _("Khác")),
    ("average_days", _("Thời gian giải quyết bình quân (ngày làm việc)"), _("Khác")),
]
COUNT_KEYS = [key for key, _label, _heading in COLUMNS if key not in ("on_time_rate", "average_days")]


@dataclass
class Row:
    key: str
    label: str
    carried_over: int = 0
    received_online: int = 0
    received_direct: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    rejected: int = 0
    stopped: int = 0
    withdrawn: int = 0
    awaiting_supplement: int = 0
    in_progress_within: int = 0
    in_progress_overdue: int = 0
    minutes: int = 0

    @property
    def received(self) -> int:
        return self.carried_over + self.received_online + self.received_direct

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def in_progress(self) -> int:
        return self.in_progress_within + self.in_progress_overdue

    @property
    def on_time_rate(self) -> float | None:
        """Resolved early or on time ÷ resolved, in per cent (None when nothing was resolved)."""
        return round(100 * (self.early + self.on_time) / self.resolved, 2) if self.resolved else None

    @property
    def average_days(self) -> float | None:
        return round(self.minutes / self.resolved / WORKING_DAY_MINUTES, 2) if self.resolved else None

    def add(self, other: Row) -> None:
        for name in _ADDABLE:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, Any]:
        out = {"key": self.key, "label": self.label}
        out.update({key: getattr(self, key) for key, _label, _heading in COLUMNS})
        out.update(rejected=self.rejected, stopped=self.stopped)
        return out


_ADDABLE = [f for f in Row.__dataclass_fields__ if f not in ("key", "label")]


@dataclass
class Report:
    period: periods.Period
    agency: Agency | None
    group_by: str
    rows: list[Row]
    totals: Row
    filters: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.period.date_from.isoformat(), "to": self.period.date_to.isoformat(),
                "agency": self.agency.identifier if self.agency else None, "group_by": self.group_by,
                "filters": self.filters, "totals": self.totals.as_dict(), "rows": [r.as_dict() for r in self.rows]}


def _rows(first: dt.date, last: dt.date) -> Q:
    """The ledger rows that add up to [first, last]: days at the ragged ends, whole months, whole years."""
    q = Q(pk__in=[])
    for grain, start, end in periods.decompose(first, last):
        q |= Q(grain=grain, day__range=(start, end))
    return q


_FLOWS = {"received_online": "received_online", "received_direct": "received_direct", "early": "resolved_early",
          "on_time": "resolved_on_time", "late": "resolved_late", "rejected": "rejected", "stopped": "stopped",
          "withdrawn": "withdrawn", "minutes": "resolved_minutes"}


def tally_rows(period: periods.Period, *, agency_id: int | None = None,
               procedure_ids: list[int] | None = None, by_agency: bool = False) -> list[dict[str, Any]]:
    """Per procedure (and agency), the ledger's sums for the period, in three plain index-range queries: what
    happened in the period, and the stocks at the end of the day before it and at its end (each the sum of
    every change up to that day: whole years, months, then days)."""
    rows = Tally.objects.order_by()
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    if procedure_ids is not None:
        if not procedure_ids:
            return []
        rows = rows.filter(procedure_id__in=procedure_ids)
    keys = ["procedure_id", "agency_id"] if by_agency else ["procedure_id"]
    # A period not yet ended is measured as of today: a dossier due next week is not overdue yet.
    today = timezone.localdate(clock.now())
    before = min(period.date_from - dt.timedelta(days=1), today)
    end = min(period.date_to, today)
    parts = [
        (rows.filter(_rows(period.date_from, period.date_to)), _FLOWS),
        (rows.filter(_rows(periods.EPOCH, before)), {"carried_over": "open"}),
        (rows.filter(_rows(periods.EPOCH, end)),
         {"open_end": "open", "suspended_end": "suspended", "overdue_end": "overdue"}),
    ]
    names = [name for _rows_, sums in parts for name in sums]
    merged: dict[tuple[int, ...], list[int]] = {}
    offset = 0
    for qs, sums in parts:
        # Plain tuples from the cursor: at thousands of procedures, Django's per-value converters cost more
        # than the query.
        sql, params = qs.values(*keys).annotate(**{n: Sum(c) for n, c in sums.items()}).values_list(
            *keys, *sums).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for r in cursor.fetchall():
                values = merged.setdefault(r[:len(keys)], [0] * len(names))
                values[offset:offset + len(sums)] = [int(v or 0) for v in r[len(keys):]]  # PostgreSQL: numeric
        offset += len(sums)
    return [{**dict(zip(keys, key, strict=True)), **dict(zip(names, values, strict=True))}
            for key, values in merged.items()]


def lead_places(procedure_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Who handles each procedure, as (key, name): the division ("division:<id>") or affiliated unit
    ("unit:<id>") of the first step of its newest version that is not the one-stop desk's."""
    out: dict[int, tuple[str, str]] = {}
    steps = (ProcessStep.objects.filter(Q(division__isnull=False, division__is_one_stop_desk=False)
                                        | Q(unit__isnull=False), version__procedure_id__in=procedure_ids)
             .order_by("version__procedure_id", "-version__effective_from", "-version__number", "order", "pk")
             .values_list("version__procedure_id", "division_id", "division__name", "unit_id", "unit__name"))
    for procedure_id, division_id, division, unit_id, unit in steps:
        out.setdefault(procedure_id, (f"division:{division_id}", division) if division_id
                       else (f"unit:{unit_id}", unit))
    return out


Source = Callable[..., list[dict[str, Any]]]


def resolution(*, period: periods.Period, agency: Agency | None = None, group_by: str = "procedure",
               field_id: int | None = None, division_id: int | None = None,
               procedure_id: int | None = None, source: Source = tally_rows) -> Report:
    """The report for ``agency`` (None: every agency), one row per procedure, field, division (or affiliated
    unit) or agency. ``source`` gives the per-procedure sums: the ledger; the bench passes its naive count."""
    if group_by not in GROUPS:
        raise periods.PeriodError("Nhóm theo thủ tục, lĩnh vực, phòng hoặc cơ quan.")
    wanted: list[int] | None = None
    if field_id is not None or procedure_id is not None or division_id is not None:
        chosen = Procedure.objects.order_by()
        if field_id is not None:
            chosen = chosen.filter(field_id=field_id)
        if procedure_id is not None:
            chosen = chosen.filter(pk=procedure_id)
        wanted = list(chosen.values_list("pk", flat=True))
        if division_id is not None:
            wanted = [pk for pk, (key, _name) in lead_places(wanted).items() if key == f"division:{division_id}"]
    sums = source(period, agency_id=agency.pk if agency else None, procedure_ids=wanted,
                      by_agency=group_by == "agency")
    ids = {s["procedure_id"] for s in sums}
    if group_by == "procedure" and agency is not None:  # every procedure of the agency, even with nothing
        own = Procedure.objects.filter(Q(agency=agency) | Q(receiving_agency=agency))
        ids |= set((own if wanted is None else own.filter(pk__in=wanted)).values_list("pk", flat=True))
    meta = {p["pk"]: p for p in Procedure.objects.filter(pk__in=ids).values("pk", "code", "name", "field_id",
                                                                            "field__name")}
    divisions = lead_places(list(meta)) if group_by == "division" else {}
    agencies = dict(Agency.objects.values_list("pk", "name")) if group_by == "agency" else {}
    grouped: dict[Any, Row] = {}
    for s in sums:
        p = meta[s["procedure_id"]]
        key, label = _group(group_by, p, divisions.get(p["pk"]), s.get("agency_id"), agencies)
        if key in grouped:
            grouped[key].add(_row(s))
        else:
            grouped[key] = _row(s, key=str(key), label=label)
    if group_by == "procedure":
        for p in meta.values():
            grouped.setdefault(p["pk"], Row(key=str(p["pk"]), label=f"{p['code']} — {p['name']}"))
    rows = sorted(grouped.values(), key=lambda r: r.label)
    totals = Row(key="total", label=str(_("Tổng cộng")))
    for row in rows:
        totals.add(row)
    filters = {k: v for k, v in (("field", field_id), ("division", division_id), ("procedure", procedure_id)) if v}
    return Report(period=period, agency=agency, group_by=group_by, rows=rows, totals=totals, filters=filters)


def _group(group_by: str, p: dict[str, Any], division: tuple[str, str] | None, agency_id: int | None,
           agencies: dict[int, str]) -> tuple[Any, str]:
    if group_by == "field":
        return p["field_id"], p["field__name"]
    if group_by == "division":
        return division or ("", str(_("Chưa gắn phòng")))
    if group_by == "agency":
        return agency_id, agencies.get(agency_id, "")  # type: ignore[arg-type]
    return p["pk"], f"{p['code']} — {p['name']}"


def _row(s: dict[str, Any], *, key: str = "", label: str = "") -> Row:
    suspended, overdue = s["suspended_end"], s["overdue_end"]
    return Row(key=key, label=label, carried_over=s["carried_over"], received_online=s["received_online"],
               received_direct=s["received_direct"], early=s["early"], on_time=s["on_time"], late=s["late"],
               rejected=s["rejected"], stopped=s["stopped"], withdrawn=s["withdrawn"], minutes=s["minutes"],
               awaiting_supplement=suspended, in_progress_overdue=overdue,
               in_progress_within=s["open_end"] - suspended - overdue)




def indicators(*, period: periods.Period, agency: Agency | None = None) -> list[indicators_rules.Indicator]:
    """Decision 766's indicators for the period: the progress ones from the ledger (the same figures as the
    report), the catalogue's online offer, files and ratings from their tables (agency-scale queries)."""
    from motcua.dossiers.models import Attachment, Dossier
    from motcua.portal.models import Rating

    t = resolution(period=period, agency=agency).totals
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.date_from, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(period.date_to + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    dossiers = Dossier.objects.filter(submitted_at__lt=end)
    procedures = Procedure.objects.filter(status=Procedure.Status.ACTIVE)
    ratings = Rating.objects.filter(rated_at__gte=start, rated_at__lt=end)
    if agency is not None:
        dossiers = dossiers.filter(agency=agency)
        procedures = procedures.filter(Q(agency=agency) | Q(receiving_agency=agency))
        ratings = ratings.filter(agency_id=agency.pk)
    finished = dossiers.filter(finished_at__gte=start, finished_at__lt=end).exclude(outcome="")
    received = dossiers.filter(received_at__gte=start, received_at__lt=end)
    with_kind = Attachment.objects.filter(dossier=OuterRef("pk"))
    return indicators_rules.evaluate(indicators_rules.Inputs(
        resolved=t.resolved, resolved_in_time=t.early + t.on_time, in_progress=t.in_progress,
        in_progress_within=t.in_progress_within, late=t.late,
        procedures=procedures.count(),
        procedures_online=procedures.exclude(online_level=Procedure.OnlineLevel.NONE).count(),
        received_new=t.received_online + t.received_direct, received_online=t.received_online,
        resolved_with_e_result=finished.filter(Exists(with_kind.filter(kind=Attachment.Kind.RESULT))).count(),
        received_digitised=received.filter(Exists(with_kind.filter(kind=Attachment.Kind.COMPONENT))).count(),
        ratings=ratings.count(), ratings_unsatisfied=ratings.filter(satisfied=False).count()))
