"""The resolution report (báo cáo tình hình giải quyết TTHC) for any period, read from the statistics
ledger (``dossiers.Tally``) only: one query over month rows and the day rows of at most three months,
whatever the number of dossiers.

Columns (``domain/legal-reference.md`` §2): received = carried over from the previous period + received
online + received directly (desk or post); resolved = early + on time + late; in progress at the end of
the period = within time + overdue; plus waiting for a supplement and withdrawn. The balance always holds:
received = resolved + withdrawn + in progress + waiting for a supplement.

In the province each ledger row is keyed by the resolving agency and the receiving point of its dossiers, so a
report reads an agency's figures from one *side* (``SIDES``): the dossiers it resolves (the default, and the
figures it has always had), those it received (a service centre, a branch: they resolve nothing), or either
(a commune: what its desk received and what it resolves, each row once). The whole province (``agency`` None)
is the sum of every row, so a dossier handled by several agencies counts once. Rows can be one per procedure,
field, division, resolving agency, receiving point or commune; per commune a row received at one commune for
another is in both communes' rows (``Report.overlapping``) and once in the totals.
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
from motcua.org.models import Agency, Division, Unit
from motcua.reports import indicators as indicators_rules
from motcua.reports import periods

# "agency" is the resolving agency (its name before the province model); "commune": a row per commune, of the
# ledger rows where the commune resolves or received.
AGENCY_GROUPS = ("resolving_agency", "receiving_agency", "commune")
GROUPS = ("procedure", "field", "division", "agency", *AGENCY_GROUPS)
SIDES = ("resolving", "receiving", "either")
RESOLVING, RECEIVING, EITHER = SIDES
_KEY_COLUMNS = frozenset({"procedure_id", "agency_id", "receiving_agency_id"})
# The ledger's key columns each grouping reads besides the procedure.
_GROUP_KEYS = {"division": ("agency_id",), "agency": ("agency_id",), "resolving_agency": ("agency_id",),
               "receiving_agency": ("receiving_agency_id",), "commune": ("agency_id", "receiving_agency_id")}
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
    """``agency`` None: the whole province. ``overlapping``: a dossier may be in two rows (per commune), so the
    totals count each once and are not the rows' sum."""

    period: periods.Period
    agency: Agency | None
    group_by: str
    rows: list[Row]
    totals: Row
    filters: dict[str, Any] = field(default_factory=dict)
    side: str = RESOLVING
    overlapping: bool = False

    @property
    def scope(self) -> str:
        return "province" if self.agency is None else "agency"

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.period.date_from.isoformat(), "to": self.period.date_to.isoformat(),
                "scope": self.scope, "agency": self.agency.identifier if self.agency else None,
                "side": self.side if self.agency else None, "group_by": self.group_by,
                "overlapping": self.overlapping, "filters": self.filters, "totals": self.totals.as_dict(),
                "rows": [r.as_dict() for r in self.rows]}


def default_side(agency: Agency | None) -> str:
    """How an agency's report reads the ledger when the reader does not say: a receiving point that resolves
    nothing (the service centre, a branch) by what it received, any other agency by what it resolves."""
    return RECEIVING if agency is not None and not agency.resolves else RESOLVING


def side_filter(agency_id: int, side: str, prefix: str = "") -> Q:
    """The ledger rows (or dossiers: the same column names; ``prefix`` "dossier__" for a dossier's rows) of
    ``agency_id`` seen from ``side``."""
    resolving, receiving = Q(**{f"{prefix}agency_id": agency_id}), Q(**{f"{prefix}receiving_agency_id": agency_id})
    if side == RECEIVING:
        return receiving
    if side == EITHER:
        return resolving | receiving
    return resolving


def _rows(first: dt.date, last: dt.date) -> Q:
    """The ledger rows that add up to [first, last]: days at the ragged ends, whole months, whole years."""
    q = Q(pk__in=[])
    for grain, start, end in periods.decompose(first, last):
        q |= Q(grain=grain, day__range=(start, end))
    return q


_FLOWS = {"received_online": "received_online", "received_direct": "received_direct", "early": "resolved_early",
          "on_time": "resolved_on_time", "late": "resolved_late", "rejected": "rejected", "stopped": "stopped",
          "withdrawn": "withdrawn", "minutes": "resolved_minutes"}


def tally_rows(period: periods.Period, *, agency_id: int | None = None, side: str = RESOLVING,
               procedure_ids: list[int] | None = None, by: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Per procedure (and the key columns ``by``: ``agency_id``, ``receiving_agency_id``), the ledger's sums for
    the period, in three plain index-range queries: what happened in the period, and the stocks at the end of
    the day before it and at its end (each the sum of every change up to that day: whole years, months, then
    days). ``agency_id`` None: every row of the province."""
    rows = Tally.objects.order_by()
    if agency_id is not None:
        rows = rows.filter(side_filter(agency_id, side))
    if procedure_ids is not None:
        if not procedure_ids:
            return []
        rows = rows.filter(procedure_id__in=procedure_ids)
    keys = ["procedure_id", *by]
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


def lead_kinds(procedure_ids: list[int] | set[int]) -> dict[int, list[str]]:
    """The division kinds of each procedure's newest version, in the order of its steps, that the resolving
    agency performs (not the desk's steps, not a liên thông partner's): where to look for its lead division."""
    out: dict[int, list[str]] = {}
    newest: dict[int, int] = {}
    steps = (ProcessStep.objects.filter(version__procedure_id__in=procedure_ids, other_agency__isnull=True)
             .exclude(division_kind="").exclude(role="desk_officer")
             .order_by("version__procedure_id", "-version__effective_from", "-version__number", "order", "pk")
             .values_list("version__procedure_id", "version_id", "division_kind"))
    for procedure_id, version_id, kind in steps:
        if newest.setdefault(procedure_id, version_id) == version_id and kind not in out.setdefault(procedure_id, []):
            out[procedure_id].append(kind)
    return out


NO_PLACE = ("", _("Chưa gắn phòng"))


def lead_places(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], tuple[str, str]]:
    """Who handles each (procedure, resolving agency), as (key, name): that agency's division ("division:<id>")
    or affiliated unit ("unit:<id>") of the first kind the procedure's process names that the agency has (a
    one-stop desk does not count) — the division the dossiers' steps go to (``dossiers.performers``)."""
    kinds = lead_kinds({p for p, _a in pairs}) if pairs else {}
    agencies = {a for _p, a in pairs}
    wanted = {k for ks in kinds.values() for k in ks}
    divisions: dict[tuple[int, str], tuple[str, str] | None] = {}
    if not wanted:
        return {}
    for pk, agency_id, kind, name, desk in (Division.objects.filter(agency_id__in=agencies, kind__in=wanted,
                                                                    is_active=True)
                                            .order_by("pk").values_list("pk", "agency_id", "kind", "name",
                                                                        "is_one_stop_desk")):
        divisions.setdefault((agency_id, kind), None if desk else (f"division:{pk}", name))
    # Affiliated units only where a kind names no division (most agencies: never, and no query).
    unresolved = {kind for p, a in pairs for kind in kinds.get(p, []) if (a, kind) not in divisions}
    units: dict[tuple[int, str], tuple[str, str]] = {}
    if unresolved:
        for pk, agency_id, code, name in (Unit.objects.filter(agency_id__in=agencies, code__in=unresolved,
                                                              is_active=True)
                                          .order_by("pk").values_list("pk", "agency_id", "code", "name")):
            units.setdefault((agency_id, code), (f"unit:{pk}", name))
    out: dict[tuple[int, int], tuple[str, str]] = {}
    for procedure_id, agency_id in pairs:
        for kind in kinds.get(procedure_id, []):
            if (agency_id, kind) in divisions:
                place = divisions[agency_id, kind]
                if place is None:  # the kind is the agency's desk
                    continue
                out[procedure_id, agency_id] = place
                break
            if (agency_id, kind) in units:
                out[procedure_id, agency_id] = units[agency_id, kind]
                break
    return out


def own_procedures(agency: Agency) -> Any:
    """The procedures an agency leads or resolves (a queryset, each once)."""
    resolved = Procedure.resolving_agencies.through.objects.filter(agency_id=agency.pk).values("procedure_id")
    return Procedure.objects.filter(Q(agency=agency) | Q(pk__in=resolved))


Source = Callable[..., list[dict[str, Any]]]


def resolution(*, period: periods.Period, agency: Agency | None = None, group_by: str = "procedure",
               field_id: int | None = None, division_id: int | None = None, procedure_id: int | None = None,
               side: str | None = None, source: Source = tally_rows) -> Report:
    """The report for ``agency`` seen from ``side`` (None: ``default_side``) or for the whole province
    (``agency`` None), one row per procedure, field, division (or affiliated unit), resolving agency
    ("agency", "resolving_agency"), receiving point or commune. ``source`` gives the per-procedure sums: the
    ledger; the bench and the tests pass the naive count."""
    if group_by not in GROUPS:
        raise periods.PeriodError("Nhóm theo thủ tục, lĩnh vực, phòng hoặc cơ quan.")
    side = side or default_side(agency)
    if side not in SIDES:
        raise periods.PeriodError("Cơ quan là nơi giải quyết (resolving), nơi tiếp nhận (receiving) hoặc cả hai "
                                  "(either).")
    wanted: list[int] | None = None
    division = None
    if field_id is not None or procedure_id is not None or division_id is not None:
        chosen = Procedure.objects.order_by()
        if field_id is not None:
            chosen = chosen.filter(field_id=field_id)
        if procedure_id is not None:
            chosen = chosen.filter(pk=procedure_id)
        wanted = list(chosen.values_list("pk", flat=True))
        if division_id is not None:
            division = Division.objects.filter(pk=division_id).values_list("agency_id", flat=True).first()
            if division is None:
                wanted = []
            else:
                places = lead_places({(pk, division) for pk in wanted})
                wanted = [pk for (pk, _a), (key, _name) in places.items() if key == f"division:{division_id}"]
    by = _GROUP_KEYS.get(group_by, ())
    if division is not None and "agency_id" not in by:
        by = (*by, "agency_id")
    sums = source(period, agency_id=agency.pk if agency else None, side=side, procedure_ids=wanted, by=by)
    # A key whose dossiers all ended before the period reads all zeros: it is not a row (nor a dossier of the
    # period in the naive count).
    sums = [s for s in sums if any(v for k, v in s.items() if k not in _KEY_COLUMNS)]
    if division is not None:  # the division's agency resolves them
        sums = [s for s in sums if s["agency_id"] == division]
    ids = {s["procedure_id"] for s in sums}
    if group_by == "procedure" and agency is not None and side != RECEIVING:
        # every procedure the agency leads or resolves, even with nothing (a receiving point receives any)
        own = own_procedures(agency)
        ids |= set((own if wanted is None else own.filter(pk__in=wanted)).values_list("pk", flat=True))
    if group_by in ("procedure", "field"):
        meta = {p["pk"]: p for p in Procedure.objects.filter(pk__in=ids).values("pk", "code", "name", "field_id",
                                                                                "field__name")}
    else:  # grouped by place or agency: the procedures' names are not needed
        meta = {pk: {"pk": pk} for pk in ids}
    places = lead_places({(s["procedure_id"], s["agency_id"]) for s in sums}) if group_by == "division" else {}
    agencies = _agencies(sums, group_by)
    grouped: dict[Any, Row] = {}
    totals = Row(key="total", label=str(_("Tổng cộng")))
    for s in sums:
        p = meta[s["procedure_id"]]
        groups = _groups(group_by, p, s, places, agencies)
        if not groups:  # per commune: a row with no commune in it
            continue
        figures = _row(s)
        totals.add(figures)
        for key, label in groups:
            if key not in grouped:
                grouped[key] = Row(key=str(key), label=label)
            grouped[key].add(figures)
    if group_by == "procedure":
        for p in meta.values():
            grouped.setdefault(p["pk"], Row(key=str(p["pk"]), label=f"{p['code']} — {p['name']}"))
    rows = sorted(grouped.values(), key=lambda r: r.label)
    filters = {k: v for k, v in (("field", field_id), ("division", division_id), ("procedure", procedure_id)) if v}
    return Report(period=period, agency=agency, group_by=group_by, rows=rows, totals=totals, filters=filters,
                  side=side, overlapping=group_by == "commune")


def _agencies(sums: list[dict[str, Any]], group_by: str) -> dict[int, tuple[str, str, str]]:
    """(identifier, name, kind) of the agencies the rows are grouped by."""
    if group_by not in ("agency", *AGENCY_GROUPS):
        return {}
    ids = {s[k] for s in sums for k in _GROUP_KEYS[group_by]}
    return {pk: (identifier, name, kind) for pk, identifier, name, kind in
            Agency.objects.filter(pk__in=ids).values_list("pk", "identifier", "name", "kind")}


def _groups(group_by: str, p: dict[str, Any], s: dict[str, Any], places: dict[tuple[int, int], tuple[str, str]],
            agencies: dict[int, tuple[str, str, str]]) -> list[tuple[Any, str]]:
    """The rows a ledger sum goes to: one, except per commune (none, or the one or two communes in it)."""
    if group_by == "field":
        return [(p["field_id"], p["field__name"])]
    if group_by == "division":
        key, label = places.get((p["pk"], s["agency_id"]), NO_PLACE)
        return [(key, str(label))]
    if group_by in ("agency", "resolving_agency", "receiving_agency"):
        identifier, name, _kind = agencies[s[_GROUP_KEYS[group_by][0]]]
        return [(identifier, name)]
    if group_by == "commune":
        communes = dict.fromkeys(a for a in (s["agency_id"], s["receiving_agency_id"])
                                 if agencies[a][2] == Agency.Kind.COMMUNE)
        return [(agencies[a][0], agencies[a][1]) for a in communes]
    return [(p["pk"], f"{p['code']} — {p['name']}")]


def _row(s: dict[str, Any], *, key: str = "", label: str = "") -> Row:
    """A ledger sum as the report's figures."""
    suspended, overdue = s["suspended_end"], s["overdue_end"]
    return Row(key=key, label=label, carried_over=s["carried_over"], received_online=s["received_online"],
               received_direct=s["received_direct"], early=s["early"], on_time=s["on_time"], late=s["late"],
               rejected=s["rejected"], stopped=s["stopped"], withdrawn=s["withdrawn"], minutes=s["minutes"],
               awaiting_supplement=suspended, in_progress_overdue=overdue,
               in_progress_within=s["open_end"] - suspended - overdue)


def indicators(*, period: periods.Period, agency: Agency | None = None,
               side: str | None = None) -> list[indicators_rules.Indicator]:
    """Decision 766's indicators for the period, of ``agency`` seen from ``side`` as in ``resolution`` (None:
    the whole province): the progress ones from the ledger (the same figures as the report), the catalogue's
    online offer, files and ratings from their tables (agency-scale queries). A receiving point offers every
    procedure of the province; an agency that resolves, those it leads or resolves."""
    from motcua.dossiers.models import Attachment, Dossier
    from motcua.portal.models import Rating

    side = side or default_side(agency)
    t = resolution(period=period, agency=agency, side=side).totals
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.date_from, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(period.date_to + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    dossiers = Dossier.objects.filter(submitted_at__lt=end)
    procedures = Procedure.objects.filter(status=Procedure.Status.ACTIVE)
    ratings = Rating.objects.filter(rated_at__gte=start, rated_at__lt=end)
    if agency is not None:
        dossiers = dossiers.filter(side_filter(agency.pk, side))
        if side != RECEIVING:
            procedures = procedures.filter(pk__in=own_procedures(agency).values("pk"))
        ratings = ratings.filter(Q(agency_id=agency.pk) if side == RESOLVING
                                 else side_filter(agency.pk, side, prefix="dossier__"))
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
