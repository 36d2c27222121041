"""The one-stop dossier figures of ``make bench``: intake under concurrency, the dossier page, the staff work
queue and the one-agency resolution report over a million generated dossiers of a whole province.

Two halves, run by two processes:

- **Inside the project** (``motcua shell -c …``, so with its settings, models and the throw-away database
  of the run): ``create_agencies`` completes the province around ``motcua demo``'s (the seed's Sở Nội vụ, the UBND
  tỉnh and, with the demo's province, three more departments, the service centre, its two branches and 24
  communes) up to ``PROVINCE_AGENCIES`` agencies (130: 15 departments, the centre and its 2 branches, 111 communes
  and the UBND tỉnh), each with its one-stop desk, divisions and staff, through the org services; ``generate``
  bulk-loads N dossiers straight into ``dossiers_dossier`` (``COPY … FROM STDIN`` through psycopg's
  ``cursor.copy()`` on PostgreSQL, multi-row ``INSERT`` batches on SQLite), then the agencies taking part in each
  (``dossiers_dossieragency``, one set-based ``INSERT … SELECT``), and moves the code counters past them;
  ``describe`` reports what the HTTP half needs (procedures a desk officer can receive, dossier codes with a
  history, queue sizes, the report's period, queries per request); ``check_codes`` verifies the codes after the
  intake rounds.
- **In the bench process**: wrk against ``motcua serve`` with bearer tokens of the demo logins, in
  interleaved rounds against ``/healthz`` measured the same way (same wrk threads and connections); medians
  of the rounds, and the median per-round ratio.

The generator writes the dossier table and the agencies taking part (the work queues read nothing else:
``current_*`` is the services' copy of the active step): no steps, hand-offs or audit events, so
``current_step_id`` is NULL. Each dossier has a resolving agency (``agency``: a department or a commune, the demo's
Sở Nội vụ ``SNV_SHARE`` of them), a procedure that agency resolves (``Procedure.resolving_agencies``), a receiving
point — the resolving agency's own desk, or for a quarter of those filed at a desk or by post (~15 % of all) the
service centre, a branch or a commune's desk (received regardless of administrative boundary) — whose identifier
starts its code, and a delivery point (the receiving point; a fifth of those received elsewhere get their result
at the resolving agency). An open dossier waits where its active step is: at the receiving desk (submitted,
received), at a step of its procedure in the resolving agency's division of the step's division kind, or at the
liên thông partner the step names (``current_agency``), or at the delivery desk (resolved). With
``bench/reports.py``'s ledger as the generator's sink, the statistics ledger is loaded with it, so that the
one-agency report is measured over the same dossiers as the work queue.
Each dossier names its procedure's version in force today, also for dossiers older than that version.
The dossier page is measured on the demo's dossiers, which the real services walked through their steps.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import random
import re
import statistics
import time
import urllib.request
from collections import Counter as Tally
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

SEED = 20260101
ROUNDS = 3
INTAKE_TARGET_RPS = 200.0
QUEUE_TARGET_P50_MS = 25.0
DEMO_PASSWORD = "motcua-demo"  # noqa: S105 - the documented password of the demo logins
SNV = "000.00.12.H22"
UBND = "000.00.00.H22"
CENTRE = "000.00.25.H22"  # the service centre, as the demo's province names it

# ---------------------------------------------------------------------------------------------------------
# The province around the demo: departments and communes up to PROVINCE_AGENCIES agencies in all (the UBND tỉnh,
# departments, the service centre and its branches, communes). Illustrative names after the 2025 reorganisation
# (no district level); identifiers follow the demo's shape and avoid the demo's own.

PROVINCE_AGENCIES = 130
# The division kinds the generated province catalogue's steps name (bench/run.py's CATALOG_FIELDS: the Sở Nội
# vụ's divisions). Each department below has divisions of two of them, so that it resolves the generated
# procedures of those fields (``generated_resolvers``) and its dossiers wait in its own divisions of the kind
# their steps name.
CATALOG_KINDS = ("XDCQ", "BTG", "BTDKT", "CCVTLT", "TCBC", "CCVC")
# identifier, name (without "tỉnh …"), short name
BENCH_DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("000.00.01.H22", "Sở Công Thương", "SCT"),
    ("000.00.02.H22", "Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("000.00.03.H22", "Sở Xây dựng", "SXD"),
    ("000.00.04.H22", "Sở Nông nghiệp và Môi trường", "SNNMT"),
    ("000.00.05.H22", "Sở Khoa học và Công nghệ", "SKHCN"),
    ("000.00.07.H22", "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("000.00.08.H22", "Sở Dân tộc và Tôn giáo", "SDTTG"),
    ("000.00.09.H22", "Thanh tra tỉnh", "TTT"),
    ("000.00.10.H22", "Ban Quản lý các khu công nghiệp", "BQLKCN"),
    ("000.00.11.H22", "Sở Ngoại vụ", "SNGV"),
    ("000.00.13.H22", "Ban Quản lý Khu kinh tế cửa khẩu", "BQLKKT"),
)


def department_kinds(index: int) -> tuple[str, str]:
    """The two catalogue division kinds of the ``index``-th bench department."""
    return CATALOG_KINDS[index % len(CATALOG_KINDS)], CATALOG_KINDS[(index + 1 + index // len(CATALOG_KINDS))
                                                                  % len(CATALOG_KINDS)]


def generated_resolvers(rng: random.Random, kind: str | None) -> list[str]:
    """Bench departments that also resolve a generated procedure whose steps name ``kind`` (beside the Sở Nội
    vụ): none, one or two of those with a division of that kind (used by bench/run.py's catalogue)."""
    holders = [d[0] for i, d in enumerate(BENCH_DEPARTMENTS) if kind in department_kinds(i)]
    if not holders or rng.random() < 0.5:
        return []
    return rng.sample(holders, min(len(holders), rng.choice((1, 1, 2))))


# Communes and wards beyond the demo's: names made of two common place-name syllables (illustrative).
_FIRST = ("Tân", "Minh", "Yên", "Phú", "Bình", "Thanh", "Hồng", "Kim", "Ngọc", "Xuân", "Hòa", "Trung", "Đông",
          "Bạch", "Vĩnh", "Quang")
_SECOND = ("Sơn", "Lâm", "Thành", "Tiến", "Hà", "Phong", "Long", "Khánh", "Đức", "Lợi", "Thủy", "Hưng")
COMMUNE_DIVISIONS = (("TTPVHCC", "Trung tâm Phục vụ hành chính công", True),
                     ("VP", "Văn phòng HĐND và UBND", False), ("KT", "Phòng Kinh tế", False),
                     ("VHXH", "Phòng Văn hóa – Xã hội", False))


def _commune_names() -> Iterator[tuple[str, str]]:
    """(name, short name) of generated communes, in a fixed order."""
    from motcua.core.text import fold

    for a in _FIRST:
        for b in _SECOND:
            yield f"xã {a} {b}", "X" + fold(a + b).upper()


def create_agencies(total: int = PROVINCE_AGENCIES) -> None:
    """Complete the province to ``total`` agencies (run inside ``motcua shell``; idempotent): the bench's departments
    (desk, three divisions of which two have catalogue kinds, a director, two desk officers and in each division a
    leader and two specialists), the service centre when the demo has none, then communes (desk, three divisions,
    a chairman, a desk officer, a leader and a specialist in each division) until the province counts ``total``.
    The procedures every commune resolves (``["communes"]`` at import) are resolved by the new communes too."""
    from django.conf import settings
    from django.db import transaction

    from motcua import demo
    from motcua.catalog.models import Procedure
    from motcua.org import services as org
    from motcua.org.models import Agency, Division, Position
    from motcua.org.roles import Role

    snv = Agency.objects.get(identifier=SNV)
    province = snv.parent
    posts = {p.code: p for p in Position.objects.all()}
    rng = random.Random(SEED)
    taken = set(Agency.objects.values_list("identifier", flat=True))
    shorts = set(Agency.objects.values_list("short_name", flat=True))
    names = set(Agency.objects.values_list("name", flat=True))

    def agency(identifier: str, name: str, short: str, kind: str, divisions: Sequence[tuple[str, str, str, bool]],
               people: list[tuple[str, Role, str | None]], parent: Any = province) -> Any:
        made = Agency.objects.create(identifier=identifier, name=name, short_name=short, kind=kind, parent=parent,
                                     calendar=snv.calendar)
        by_code = {code: Division.objects.create(agency=made, code=code, kind=k, name=title, is_one_stop_desk=desk)
                   for code, title, k, desk in divisions}
        for n, (post, role, code) in enumerate(people, start=1):
            female = rng.random() < 0.5
            full_name = " ".join((rng.choice(SURNAMES), rng.choice(MIDDLE[female]), rng.choice(GIVEN[female])))
            org.create_staff(actor=None, agency=made, username=f"{identifier.replace('.', '')}.{n}",
                             full_name=full_name, position=posts[post], start_date=demo.HISTORY_START,
                             division=by_code[code] if code else None, roles=[role])
        taken.add(identifier)
        shorts.add(short)
        names.add(name)
        return made

    province_name = getattr(settings, "PROVINCE_NAME", "") or "Hà Giang"
    with transaction.atomic():
        for i, (identifier, name, short) in enumerate(BENCH_DEPARTMENTS):
            if identifier in taken:
                continue
            a, b = department_kinds(i)
            divisions = (("VP", "Văn phòng", "VP", True), ("QLCN", "Phòng Quản lý chuyên ngành", a, False),
                         ("NV", "Phòng Nghiệp vụ", b, False), ("TTRA", "Thanh tra", "TTRA", False))
            people = [("giam_doc", Role.AGENCY_LEADER, None), *[("chuyen_vien", Role.DESK_OFFICER, "VP")] * 2]
            for code in ("QLCN", "NV", "TTRA"):
                people += [("truong_phong", Role.DIVISION_LEADER, code), *[("chuyen_vien", Role.SPECIALIST, code)] * 2]
            agency(identifier, f"{name} tỉnh {province_name}", short, Agency.Kind.DEPARTMENT, divisions, people)
        if not Agency.objects.filter(kind=Agency.Kind.SERVICE_CENTRE).exists() and CENTRE not in taken:
            agency(CENTRE, f"Trung tâm Phục vụ hành chính công tỉnh {province_name}", "TTPVHCC",
                   Agency.Kind.SERVICE_CENTRE, (("TNTKQ", "Bộ phận Tiếp nhận và trả kết quả", "TNTKQ", True),),
                   [("giam_doc", Role.AGENCY_LEADER, None), *[("chuyen_vien", Role.DESK_OFFICER, "TNTKQ")] * 3])
        communes = list(Agency.objects.filter(kind=Agency.Kind.COMMUNE, is_active=True, on_system=True))
        count = Agency.objects.filter(kind__in=Agency.PROVINCE_KINDS, is_active=True, on_system=True).count()
        added = []
        generated = _commune_names()
        while count < total:
            name, short = next(generated)
            if f"Ủy ban nhân dân {name}" in names or short in shorts:
                continue
            identifier = next(i for i in (f"000.{k // 60 + 1:02d}.{31 + k % 60:02d}.H22" for k in range(6000))
                              if i not in taken)
            people = [("chu_tich", Role.AGENCY_LEADER, None), ("chuyen_vien", Role.DESK_OFFICER, "TTPVHCC")]
            for code in ("VP", "KT", "VHXH"):
                people += [("truong_phong", Role.DIVISION_LEADER, code), ("chuyen_vien", Role.SPECIALIST, code)]
            added.append(agency(identifier, f"Ủy ban nhân dân {name}", short, Agency.Kind.COMMUNE,
                                [(c, t, c, d) for c, t, d in COMMUNE_DIVISIONS], people))
            count += 1
        if added and communes:
            # As the province's catalogue re-imported: ["communes"] is every commune at import.
            through = Procedure.resolving_agencies.through
            every = {c.pk for c in communes}
            held: dict[int, set[int]] = {}
            for procedure_id, agency_id in through.objects.filter(agency_id__in=every).values_list(
                    "procedure_id", "agency_id"):
                held.setdefault(procedure_id, set()).add(agency_id)
            procedures = [p for p, agencies in held.items() if agencies == every and len(every) > 1]
            through.objects.bulk_create([through(procedure_id=p, agency_id=a.pk) for p in procedures for a in added])


# ---------------------------------------------------------------------------------------------------------
# The generator (runs inside ``motcua shell``)

# Every column of dossiers_dossier but ``id``, in the order the generator fills them. ``generate`` checks
# this against the model, so a column added later stops the bench with its name instead of loading
# something half-right.
COLUMNS = (
    "agency_id", "receiving_agency_id", "receiving_desk_id", "delivery_agency_id", "applicant_commune_id", "code",
    "procedure_id", "procedure_version_id", "rules_id", "channel", "state", "is_open",
    "version", "applicant_type", "applicant_name", "applicant_name_key", "applicant_id_number", "applicant_tax_code",
    "applicant_representative", "applicant_birth_date", "applicant_address", "applicant_phone", "applicant_email",
    "subject", "sets", "submitted_at", "received_at", "received_by_id", "log_number", "clock_started_at", "due_at",
    "original_due_at", "supplement_requests", "reappointments", "finished_at", "outcome", "closing_reason",
    "result_number", "result_date", "result_signer", "result_summary", "result_ready_at", "returned_at",
    "return_method", "returned_to", "current_step_id", "current_agency_id", "current_role", "current_division_id",
    "current_unit_id", "current_other_agency_id", "current_assignee_id", "current_due_at",
)

YEARS = 5
OPEN_SHARE = 0.05          # ~95 % of the dossiers are closed
SNV_SHARE = 0.04           # the demo agency's slice: 40,000 of 1,000,000 (as when the province had 30 agencies)
# Filed at a desk or by post: received at another agency's desk than the resolving one's (the centre, a branch,
# a commune), regardless of administrative boundary; ~15 % of all dossiers.
ELSEWHERE_SHARE = 0.25
DELIVERED_AT_RESOLVER = 0.2  # of those received elsewhere: the result handed back at the resolving agency
OVERDUE_SHARE = 0.12       # of the open dossiers whose clock runs: past their appointment
# Closed: how dossiers end (the rest are returned with their result).
CLOSED_ENDS = (("not_received", 0.015), ("rejected", 0.010), ("withdrawn", 0.005), ("stopped", 0.005))
# Open: where they are (submitted online and not yet checked, at the desk, being handled, waiting for the
# applicant's supplement, resolved and waiting to be collected).
OPEN_STATES = (("submitted", 0.05), ("received", 0.10), ("in_progress", 0.62), ("awaiting_supplement", 0.10),
               ("resolved", 0.13))
CHANNELS = (("desk", 0.55), ("post", 0.05), ("online", 0.35), ("vneid", 0.05))

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Nông", "Lục",
            "Vương", "Hà", "Triệu", "Lý", "Đinh", "Phan", "Lò", "Sùng", "Giàng", "Mã", "Hầu", "Ly")
MIDDLE = {True: ("Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Thúy", "Phương", "Kim", "Diệu"),
          False: ("Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Mạnh", "Tiến", "Công")}
GIVEN = {True: ("Anh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga",
                "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang", "Vân", "Yến", "Mỷ", "Dợ"),
         False: ("An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Long", "Nam", "Phong", "Quân",
                 "Sơn", "Thắng", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Chứ", "Páo", "Sính")}
PLACES = ("phường Hà Giang 1", "phường Hà Giang 2", "xã Vị Xuyên", "xã Bắc Quang", "xã Yên Minh", "xã Đồng Văn",
          "xã Mèo Vạc", "xã Quản Bạ", "xã Hoàng Su Phì", "xã Xín Mần", "xã Bắc Mê", "xã Quang Bình")
COMPANIES = ("Công ty TNHH Thương mại", "Công ty cổ phần Xây dựng", "Hợp tác xã Nông nghiệp", "Công ty TNHH Du lịch",
             "Trường Tiểu học", "Trạm Y tế", "Công ty cổ phần Chè", "Hội Khuyến học")
COMPANY_NAMES = ("Hà Giang", "Cao nguyên đá", "Sông Lô", "Lũng Cú", "Phó Bảng", "Bắc Mê", "Tân Quang", "Việt Lâm",
                 "Hoàng Su Phì", "Mã Pí Lèng", "Quang Bình", "Đồng Văn")
CLOSING_REASONS = {
    "not_received": ("Thủ tục không thuộc thẩm quyền giải quyết của cơ quan.",
                     "Người nộp không bổ sung hồ sơ theo phiếu hướng dẫn."),
    "rejected": ("Hồ sơ không đủ điều kiện theo quy định.", "Đối tượng không thuộc phạm vi áp dụng."),
    "withdrawn": ("Người nộp có đơn xin rút hồ sơ.",),
    "stopped": ("Người nộp không bổ sung hồ sơ trong thời hạn yêu cầu.",),
}

HOUR, DAY = 3600, 86400
LOCAL = 7 * HOUR                   # Asia/Ho_Chi_Minh, no daylight saving
OFFICE_START = 7 * HOUR + 30 * 60  # the working day on the generator's coarse clock: 07:30 + 8 h
WORK_DAY = 8 * HOUR


class Clock:
    """Instants as UTC epoch seconds on a coarse working clock: the agency calendar's working days (weekends,
    holidays and make-up days as ``motcua.core`` has them), eight working hours from 07:30 (no lunch break).
    Fast enough for a million dossiers; deadlines are close to, not exactly, what the services compute."""

    def __init__(self, is_working_day: Callable[[dt.date], bool], first: dt.date, last: dt.date) -> None:
        self.base = first.toordinal()
        self.days: list[int] = []  # local midnights of working days, as UTC epochs
        self.next_working: list[int] = []  # calendar day (from first) -> index of that day or the next working one
        self.day_text: list[str] = []
        epoch = dt.date(1970, 1, 1).toordinal()
        day = first
        while day <= last:
            self.next_working.append(len(self.days))
            if is_working_day(day):
                self.days.append((day.toordinal() - epoch) * DAY - LOCAL)
            self.day_text.append(day.isoformat())
            day += dt.timedelta(days=1)
        self.epoch_day = epoch - self.base
        self.second_text = [f" {s // HOUR:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]

    def local_day(self, t: int) -> int:
        """Index (from ``first``) of the calendar day of ``t`` in the agency's zone."""
        return (t + LOCAL) // DAY + self.epoch_day

    def position(self, t: int) -> int:
        """Working seconds from the first working day's start to ``t`` (``t`` outside office hours counts as
        the next start)."""
        local = t + LOCAL
        index = self.next_working[local // DAY + self.epoch_day]
        if index < len(self.days) and self.days[index] + LOCAL == local // DAY * DAY:
            return index * WORK_DAY + min(max(local % DAY - OFFICE_START, 0), WORK_DAY)
        return index * WORK_DAY

    def instant(self, position: int) -> int:
        index, seconds = divmod(position, WORK_DAY)
        return self.days[min(max(index, 0), len(self.days) - 1)] + OFFICE_START + seconds

    def add(self, t: int, seconds: float) -> int:
        """``t`` plus (or minus) an amount of working time."""
        return self.instant(self.position(t) + int(seconds))

    def text(self, t: int | None) -> str | None:
        """UTC wall-clock text, as Django stores it on SQLite and as PostgreSQL reads it under TIME ZONE UTC."""
        if t is None:
            return None
        return self.day_text[t // DAY + self.epoch_day] + self.second_text[t % DAY]

    def date_text(self, t: int) -> str:
        return self.day_text[self.local_day(t)]

    def yymmdd(self, t: int) -> str:
        text = self.date_text(t)
        return text[2:4] + text[5:7] + text[8:10]


class Place:
    """Where an open dossier can wait: a step of its procedure at the agency that performs it (role, division,
    unit, an agency off the system it was transferred to, the step's working hours)."""

    __slots__ = ("agency", "division", "hours", "other", "role", "unit")

    def __init__(self, agency: int, role: str, division: int | None, unit: int | None, other: int | None,
                 hours: int) -> None:
        self.agency, self.role, self.division, self.unit, self.other, self.hours = (agency, role, division, unit,
                                                                                    other, hours)


class Step(NamedTuple):
    """A step of a procedure's process as the catalogue has it: the performer's role and division kind, and the
    liên thông agency it names (on the system: its own staff perform it; off: a transfer)."""

    role: str
    kind: str
    other: int | None
    on_system: bool
    hours: int


class Proc(NamedTuple):
    """A procedure as the generator uses it: its version in force today and that version's steps."""

    id: int
    version_id: int
    limit: int  # the time limit, in working seconds
    name: str
    individuals: bool
    organisations: bool
    steps: list[Step]
    code: str


class World:
    """What the generator reads from the database: the province's agencies, their desks, divisions (by kind) and
    staff, procedures with their versions, steps and resolving agencies, the one-stop rules, the counters already
    used."""

    def __init__(self) -> None:
        from django.utils import timezone

        from motcua.catalog import format as fmt
        from motcua.catalog.models import Procedure, ProcedureVersion, ProcessStep
        from motcua.core import calendars
        from motcua.core.models import Counter
        from motcua.dossiers.models import OneStopRules
        from motcua.org.models import Agency, Assignment, Division, Unit

        everyone = list(Agency.objects.filter(kind__in=Agency.PROVINCE_KINDS, is_active=True, on_system=True)
                        .order_by("pk"))
        by_identifier = {a.identifier: a for a in everyone}
        if SNV not in by_identifier:
            raise RuntimeError(f"agency {SNV} missing: was `motcua demo` loaded?")
        self.agencies = everyone
        self.snv = by_identifier[SNV]
        self.province_id = self.snv.parent_id
        self.calendar = calendars.load_calendar(self.snv.calendar_id)
        kind = {a.pk: a.kind for a in everyone}
        self.kind = kind
        self.departments = [a.pk for a in everyone if kind[a.pk] == Agency.Kind.DEPARTMENT]
        self.communes = [a.pk for a in everyone if kind[a.pk] == Agency.Kind.COMMUNE]
        self.receive_only = [a.pk for a in everyone if kind[a.pk] in Agency.RECEIVE_ONLY]
        self.centre = [a for a in self.receive_only if kind[a] == Agency.Kind.SERVICE_CENTRE]
        self.branches = [a for a in self.receive_only if kind[a] == Agency.Kind.BRANCH]
        # The Sở Nội vụ first: its share is fixed; the others share the rest.
        self.resolvers = [self.snv.pk, *(a for a in self.departments + self.communes if a != self.snv.pk)]
        ids = [a.pk for a in everyone]
        self.desk: dict[int, int] = {}
        self.divisions: dict[int, list[int]] = {a: [] for a in ids}
        self.division_code: dict[int, str] = {}
        self.by_kind: dict[tuple[int, str], int] = {}
        for d in Division.objects.filter(agency_id__in=ids, is_active=True).order_by("pk"):
            self.division_code[d.pk] = d.code
            if d.is_one_stop_desk:
                self.desk.setdefault(d.agency_id, d.pk)
            else:
                self.divisions[d.agency_id].append(d.pk)
                self.by_kind.setdefault((d.agency_id, d.kind or d.code), d.pk)
        self.units: dict[tuple[int, str], int] = {}
        for u in Unit.objects.filter(agency_id__in=ids, is_active=True).order_by("pk"):
            self.units.setdefault((u.agency_id, u.code), u.pk)
        # Staff by (agency, role, division, unit), from current posts and role groups.
        self.staff: dict[tuple[int, str, int | None, int | None], list[int]] = {}
        self.names: dict[int, str] = {}
        rows = (Assignment.objects.current().filter(agency_id__in=ids, staff__is_active=True)
                .values_list("staff_id", "agency_id", "division_id", "unit_id", "staff__full_name",
                             "staff__user__groups__name"))
        for staff_id, agency_id, division_id, unit_id, name, role in rows:
            self.names[staff_id] = name
            if role:
                self.staff.setdefault((agency_id, role, division_id, unit_id), []).append(staff_id)
        for a in self.resolvers + self.receive_only:
            if a not in self.desk or not self.at(a, "desk_officer", self.desk[a], None):
                raise RuntimeError(f"agency {a} has no one-stop desk with desk officers")
        self.leaders = {a: self.at(a, "agency_leader", None, None) for a in ids}
        self.rules_id = OneStopRules.objects.order_by("effective_from").values_list("pk", flat=True).first()
        if self.rules_id is None:
            raise RuntimeError("no OneStopRules row: migrations not applied?")
        # Procedures: the version in force today of each, its time limit, its steps.
        today = timezone.localdate()
        current: dict[int, Any] = {}
        for v in ProcedureVersion.objects.filter(effective_from__lte=today).select_related("procedure").order_by(
                "procedure_id", "effective_from", "number"):
            current[v.procedure_id] = v
        rows_ = list(ProcessStep.objects.filter(version_id__in=[v.pk for v in current.values()]).order_by(
            "version_id", "order", "pk").values_list("version_id", "role", "division_kind", "other_agency_id",
                                                     "hours"))
        on_system = dict(Agency.objects.filter(pk__in={r[3] for r in rows_ if r[3]}).values_list("pk", "on_system"))
        steps: dict[int, list[Step]] = {}
        for version_id, role, division_kind, other, hours in rows_:
            steps.setdefault(version_id, []).append(Step(role, division_kind, other, bool(other and on_system[other]),
                                                         hours))
        self.procedures = [
            Proc(v.procedure_id, v.pk, fmt.time_limit_hours(v.time_limit, v.time_unit) * HOUR, v.procedure.name,
                 v.procedure.for_individuals, v.procedure.for_organisations, steps.get(v.pk, []), v.procedure.code)
            for v in current.values()]
        if not self.procedures:
            raise RuntimeError("no procedures: import the catalogue first")
        by_id = {p.id: p for p in self.procedures}
        # What each agency resolves (Procedure.resolving_agencies), in catalogue order.
        self.resolves: dict[int, list[Proc]] = {a: [] for a in ids}
        for procedure_id, agency_id in (Procedure.resolving_agencies.through.objects
                                        .filter(agency_id__in=ids, procedure_id__in=by_id)
                                        .order_by("procedure_id", "agency_id").values_list("procedure_id",
                                                                                           "agency_id")):
            self.resolves[agency_id].append(by_id[procedure_id])
        self.counters = {(c.agency_id, c.series, c.period): c.value
                         for c in Counter.objects.filter(agency_id__in=ids, series__in=("dossier", "dossier-log"))}

    def at(self, agency: int, role: str, division: int | None, unit: int | None) -> list[int]:
        return self.staff.get((agency, role, division, unit), [])

    def place(self, resolving: int, step: Step) -> Place:
        """Where ``step`` is performed for a dossier that ``resolving`` resolves, as ``dossiers.performers`` finds it:
        at the liên thông partner when it is on the system, else at the resolving agency (a transfer when the
        partner is off it); in the performing agency's division of the step's kind, or its unit of that code, or
        (a generated department that lacks the kind) its first division."""
        if step.other and not step.on_system:
            return Place(resolving, step.role, None, None, step.other, step.hours)
        agency = step.other or resolving
        if not step.kind:
            return Place(agency, step.role, None, None, None, step.hours)
        division = self.by_kind.get((agency, step.kind))
        unit = None if division else self.units.get((agency, step.kind))
        if division is None and unit is None and self.divisions.get(agency):
            division = self.divisions[agency][0]
        return Place(agency, step.role, division, unit, None, step.hours)


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Callable[[], Any]:
    values = [v for v, _ in pairs]
    cum, total = [], 0.0
    for _, w in pairs:
        total += w
        cum.append(total)
    random_, bisect_ = rng.random, bisect.bisect

    def pick() -> Any:
        return values[min(bisect_(cum, random_() * total), len(values) - 1)]

    return pick


class Generator:
    """Rows of dossiers_dossier, in submission order, as tuples in ``COLUMNS`` order (instants as UTC text)."""

    def __init__(self, world: World, n: int, seed: int, now: int) -> None:
        self.world, self.n, self.rng, self.now = world, n, random.Random(seed), now
        today = dt.datetime.fromtimestamp(now + LOCAL, dt.UTC).date()
        self.first_day = today.replace(year=today.year - YEARS)
        self.clock = Clock(world.calendar.is_working_day, self.first_day - dt.timedelta(days=400),
                           today + dt.timedelta(days=400))
        self.fold: dict[str, str] = {}
        rng = self.rng
        resolvers = world.resolvers
        # Volume: the demo agency gets SNV_SHARE; the other departments and the communes uneven shares of the rest
        # (a department a few times a commune's).
        raw = [rng.uniform(0.8, 3.0) if world.kind[a] == "department" else rng.uniform(0.3, 1.2)
               for a in resolvers[1:]]
        self.agency_weights = [SNV_SHARE] + [(1 - SNV_SHARE) * w / sum(raw) for w in raw]
        # Procedures: each agency its own popular few among those it resolves. The demo agency's: the seed's
        # appointments and re-gradings are the bulk, as in the seed article, then the generated province
        # catalogue's. An agency that resolves nothing in the catalogue (a commune when the demo has no commune
        # procedures) draws from the generated catalogue.
        snv_procs = world.resolves[world.snv.pk]
        others = [p for p in world.procedures if p.code.startswith("9.")] or world.procedures
        self.procedure_pick: dict[int, Callable[[], Proc]] = {}
        seed_weights = {"SNV.HG.CCVC.01": 66, "SNV.HG.CCVC.02": 104, "SNV.HG.CCVC.03": 74, "SNV.HG.CCVC.04": 417,
                        "SNV.HG.CCVC.05": 75}
        demo_share = [(p, seed_weights.get(p.code, 8)) for p in snv_procs if not p.code.startswith("9.")]
        generated = [p for p in snv_procs if p.code.startswith("9.")]
        rng.shuffle(generated)
        total_demo = sum(w for _, w in demo_share) or 1
        snv_pairs = [(p, 0.45 * w / total_demo) for p, w in demo_share]
        snv_pairs += [(p, 0.55 / (k + 3) / sum(1 / (j + 3) for j in range(len(generated))))
                      for k, p in enumerate(generated)]
        self.procedure_pick[world.snv.pk] = _weighted(rng, snv_pairs)
        self.borrowed = 0  # agencies that resolve nothing in the catalogue
        for a in resolvers[1:]:
            own = list(world.resolves[a])
            if not own:
                own = others
                self.borrowed += 1
            chosen = rng.sample(own, min(60, len(own)))
            self.procedure_pick[a] = _weighted(rng, [(p, 1 / (k + 2)) for k, p in enumerate(chosen)])
        # Where a dossier is received when not at the resolving agency's own desk.
        elsewhere_for_department = [(a, 0.6 / len(world.centre)) for a in world.centre]
        elsewhere_for_department += [(a, 0.15 / len(world.branches)) for a in world.branches]
        elsewhere_for_commune = [(a, 0.3 / len(world.centre)) for a in world.centre]
        elsewhere_for_commune += [(a, 0.4 / len(world.branches)) for a in world.branches]
        self.elsewhere = {
            "department": _weighted(rng, [*elsewhere_for_department, (None, 0.25)]),  # None: a commune's desk
            "commune": _weighted(rng, [*elsewhere_for_commune, (None, 0.3)]),
        }
        self.places: dict[tuple[int, int], tuple[list[Place], list[int]]] = {}
        self.used: set[int] = set()  # agencies that resolve, receive or deliver some generated dossier
        self.channel = _weighted(rng, CHANNELS)
        self.closed_end = _weighted(rng, [*CLOSED_ENDS, ("returned", 1 - sum(w for _, w in CLOSED_ENDS))])
        self.open_state = _weighted(rng, OPEN_STATES)
        self.stats: Tally[str] = Tally()
        # Called with each generated dossier's facts (bench/reports.py builds the statistics ledger from them):
        # agency (resolving), procedure, channel, state, submitted, received, due, original due (when
        # re-appointed), finished, outcome, supplement requests, re-appointments, receiving agency; instants as UTC
        # epoch seconds or None.
        self.sink: Callable[..., None] | None = None
        self.open_share = OPEN_SHARE

    # -- the plan: when, where, which procedure, open or not; sorted by submission

    def plan(self) -> list[tuple]:
        rng, clock, now = self.rng, self.clock, self.now
        first = clock.next_working[(self.first_day.toordinal()) - clock.base]
        last = clock.next_working[clock.local_day(now)] - 1  # the last working day before today
        span = list(range(first, last + 1))
        # More dossiers each year (online services grow): weight rises linearly from 0.6 to 1.4.
        day_weights = [0.6 + 0.8 * i / max(1, len(span) - 1) for i in range(len(span))]
        n_open = round(self.n * self.open_share)
        agencies = rng.choices(self.world.resolvers, self.agency_weights, k=self.n)
        self.used.update(agencies)
        days = rng.choices(span, day_weights, k=self.n - n_open)
        plan = []
        for i in range(self.n - n_open):
            agency = agencies[i]
            proc = self.procedure_pick[agency]()
            channel = self.channel()
            t = clock.instant(days[i] * WORK_DAY + int(rng.random() * WORK_DAY))
            if channel in ("online", "vneid") and rng.random() < 0.3:
                t -= int(rng.uniform(1, 14) * HOUR)  # in the evening, at night, at the weekend
            plan.append((t, agency, proc, channel, self.closed_end(), None))
        position_now = clock.position(now)
        for i in range(n_open):
            agency = agencies[self.n - n_open + i]
            proc = self.procedure_pick[agency]()
            state = self.open_state()
            channel = "online" if state == "submitted" else self.channel()
            limit = proc.limit
            received = due = None
            if state == "submitted":
                t = clock.instant(position_now - int(rng.uniform(0.05, 1.0) * WORK_DAY))
            elif state == "awaiting_supplement" and rng.random() < 0.2:  # sent home from the desk to complete it
                t = clock.instant(position_now - int(rng.uniform(0.2, 40) * WORK_DAY))
            else:
                if rng.random() < OVERDUE_SHARE:
                    late = rng.uniform(0.05, 15) if rng.random() < 0.85 else rng.uniform(15, 120)
                    due = clock.instant(position_now - int(late * WORK_DAY))
                else:
                    due = clock.instant(position_now + int(rng.uniform(0.02, 1.0) * limit))
                if state == "received":  # still at the desk: received today or yesterday
                    received = clock.instant(position_now - int(rng.uniform(0.02, 1.0) * WORK_DAY))
                    due = clock.add(received, limit)
                else:
                    received = min(clock.add(due, -limit), now - 120)
                t = received if channel in ("desk", "post") else clock.add(received, -rng.uniform(0.1, 1.5) * WORK_DAY)
            plan.append((min(t, now - 60), agency, proc, channel, state, (received, due)))
        plan.sort(key=lambda row: row[0])
        return plan

    # -- one row

    def applicant(self, proc: Proc) -> tuple:
        rng = self.rng
        organisation = proc.organisations and (not proc.individuals or rng.random() < 0.2)
        if organisation:
            name = f"{rng.choice(COMPANIES)} {rng.choice(COMPANY_NAMES)}"
            female = rng.random() < 0.4
            representative = " ".join((rng.choice(SURNAMES), rng.choice(MIDDLE[female]), rng.choice(GIVEN[female])))
            tax = f"51{rng.randint(0, 99_999_999):08d}"
            return ("organisation", name, "", tax, representative, None, f"{rng.choice(PLACES)}, tỉnh Hà Giang",
                    f"02193{rng.randint(0, 999_999):06d}", "")
        female = rng.random() < 0.5
        name = " ".join((rng.choice(SURNAMES), rng.choice(MIDDLE[female]), rng.choice(GIVEN[female])))
        born = dt.date(rng.randint(1950, 2006), rng.randint(1, 12), rng.randint(1, 28))
        century = (born.year - 1900) // 100 * 2 + (1 if female else 0)
        id_number = f"002{century}{born.year % 100:02d}{rng.randint(0, 999_999):06d}"
        phone = f"0{rng.choice(('912', '913', '983', '986', '397', '355', '868', '379'))}{rng.randint(0, 999_999):06d}"
        return ("individual", name, id_number, "", "", born.isoformat(),
                f"Tổ {rng.randint(1, 20)}, {rng.choice(PLACES)}, tỉnh Hà Giang", phone, "")

    def rows(self, plan: list[tuple]) -> Iterator[tuple]:
        from motcua.core.text import fold_key

        w, rng, clock, now = self.world, self.rng, self.clock, self.now
        text = clock.text
        counters = dict(w.counters)
        identifiers = {a.pk: a.identifier for a in w.agencies}
        shorts = {a.pk: a.short_name for a in w.agencies}
        fold = self.fold
        stats = self.stats
        snv = w.snv.pk
        sink = self.sink
        communes = w.communes
        agency_kind = w.kind
        for t, agency, proc, channel, state, times in plan:
            # Where it is received, where its result goes back, the applicant's commune.
            receiving = delivery = agency
            resolver_kind = agency_kind[agency]
            if channel in ("desk", "post") and rng.random() < ELSEWHERE_SHARE:
                receiving = self.elsewhere[resolver_kind]()
                if receiving is None:  # a commune's desk (another commune's, for a commune's procedure)
                    receiving = rng.choice(communes)
                    while receiving == agency and len(communes) > 1:
                        receiving = rng.choice(communes)
                delivery = agency if rng.random() < DELIVERED_AT_RESOLVER else receiving
                stats["received elsewhere"] += 1
                stats[f"received at a {agency_kind[receiving]} for a {resolver_kind}"] += 1
                stats["delivered at the resolving agency"] += delivery == agency
                self.used.add(receiving)
            commune = agency if resolver_kind == "commune" else (
                receiving if agency_kind[receiving] == "commune" else None)
            key = (receiving, "dossier", clock.yymmdd(t))
            seq = counters.get(key, 0) + 1
            if seq > 9999:
                raise RuntimeError(f"more than 9,999 dossiers on {key}: lower --dossiers")
            counters[key] = seq
            code = f"{identifiers[receiving]}-{key[2]}-{seq:04d}"
            kind, name, id_number, tax, representative, born, address, phone, email = self.applicant(proc)
            name_key = fold.get(name)
            if name_key is None:
                name_key = fold[name] = fold_key(name)
            limit = proc.limit
            desk = w.desk[receiving]
            desk_staff = w.at(receiving, "desk_officer", desk, None)
            received_by = rng.choice(desk_staff)
            received = due = original = finished = outcome = None
            closing = result_number = result_date = result_signer = result_summary = ""
            ready = returned = None
            return_method = returned_to = ""
            supplements = reappointments = 0
            version = 1
            # step, agency, role, division, unit, other, assignee, due
            current: tuple = (None, None, "", None, None, None, None, None)
            is_open = state in ("submitted", "received", "in_progress", "awaiting_supplement", "resolved")
            if not is_open:
                if state == "not_received" or (state == "withdrawn" and rng.random() < 0.5):
                    finished = max(t + 60, min(t + int(rng.uniform(0.1, 3) * HOUR) if state == "not_received"
                                               else clock.add(t, rng.uniform(0.5, 10) * WORK_DAY), now - HOUR))
                    received_by = None
                    closing = rng.choice(CLOSING_REASONS[state])
                    version = 1 if channel in ("desk", "post") else 2
                else:
                    received = t if channel in ("desk", "post") else min(
                        clock.add(t, rng.uniform(0.05, 1.0) * WORK_DAY), now - 2 * HOUR)
                    due = clock.add(received, limit)
                    r = rng.random()
                    if r < 0.06:
                        supplements = 1 if rng.random() < 0.9 else 2
                    if r > 0.99:
                        reappointments = 1
                    # When it was resolved, against its appointment: mostly early or on the day, some late.
                    p = rng.random()
                    if p < 0.40:
                        finished = clock.add(received, rng.uniform(0.3, 0.9) * limit)
                    elif p < 0.955:
                        finished = clock.add(due, -rng.uniform(0, 0.5) * min(limit, WORK_DAY))
                    else:
                        finished = clock.add(due, rng.uniform(0.05, 8) * WORK_DAY)
                    if reappointments:  # an apology and a new appointment
                        original, due = due, clock.add(due, rng.uniform(2, 10) * WORK_DAY)
                    finished = min(finished, now - HOUR)
                    if state == "returned":
                        result_number = f"{rng.randint(1, 3000)}/QĐ-{shorts[agency]}"
                        result_date = clock.date_text(finished)
                        result_signer = w.names[rng.choice(w.leaders[agency])] if w.leaders[agency] else ""
                        result_summary = proc.name[:500]
                        ready = min(clock.add(finished, rng.uniform(0.1, 1.0) * WORK_DAY), now - 60)
                        returned = min(clock.add(ready, rng.uniform(0.05, 5) * WORK_DAY), now - 30)
                        return_method = "desk" if rng.random() < 0.75 else ("post" if rng.random() < 0.6 else "online")
                        returned_to = name if kind == "individual" else representative
                    else:
                        closing = rng.choice(CLOSING_REASONS[state])
                    version = 2 + len(proc.steps) + supplements * 2 + reappointments
                    if state != "withdrawn":
                        outcome = self.outcome(finished, due, supplements, reappointments)
            else:
                version = 2
                received, due = times
                assignee = None
                if state == "submitted":
                    received_by = None
                    current = (None, receiving, "desk_officer", desk, None, None, None, clock.add(t, WORK_DAY))
                elif state == "awaiting_supplement":
                    supplements = 1
                    if received is None:
                        received_by = None
                    version = 3
                elif state == "received":
                    current = (None, receiving, "desk_officer", desk, None, None, received_by,
                               clock.add(received, rng.uniform(0.3, 1.0) * WORK_DAY))
                elif state == "resolved":
                    finished = clock.add(received, 0.7 * (clock.position(min(due, now)) - clock.position(received)))
                    finished = min(finished, now - 600)
                    outcome = self.outcome(finished, due, 0, 0)
                    result_number = f"{rng.randint(1, 3000)}/QĐ-{shorts[agency]}"
                    result_date = clock.date_text(finished)
                    result_signer = w.names[rng.choice(w.leaders[agency])] if w.leaders[agency] else ""
                    result_summary = proc.name[:500]
                    # At the delivery point's desk: the result there, waiting for the applicant, or on its way.
                    back = w.desk[delivery]
                    if rng.random() < 0.5:
                        ready = min(clock.add(finished, rng.uniform(0.1, 1.0) * WORK_DAY), now - 60)
                        current = (None, delivery, "desk_officer", back, None, None, None, due)
                    else:
                        current = (None, delivery, "desk_officer", back, None, None, None,
                                   clock.add(finished, 4 * HOUR))
                    version = 1 + len(proc.steps)
                else:  # in progress at one of its steps, the longer steps more likely
                    place = self.place(agency, proc)
                    holders = [] if place.other else w.at(place.agency, place.role, place.division, place.unit)
                    if holders and (place.role == "specialist" or rng.random() < 0.4):
                        assignee = rng.choice(holders)
                    start = clock.add(received, rng.uniform(0.2, 0.9) * (clock.position(min(due, now))
                                                                        - clock.position(received)))
                    start = min(start, now - 60)
                    current = (None, place.agency, place.role, place.division, place.unit, place.other, assignee,
                               clock.add(start, place.hours * HOUR))
                    version = 3
                    stats["open at " + ("a partner agency" if place.agency != agency else
                                        (w.division_code.get(place.division, "?") if agency == snv else "division")
                                        if place.division else "unit" if place.unit else
                                        "other agency (transferred)" if place.other else "agency leader")] += 1
                if due is not None and due < now and state != "awaiting_supplement":
                    stats["open overdue"] += 1
            stats[state] += 1
            if agency == snv:
                stats["demo agency"] += 1
                stats["demo agency open"] += is_open
            log_number = None
            if received is not None:
                log_key = (agency, "dossier-log", clock.date_text(received)[:4])
                log_number = counters[log_key] = counters.get(log_key, 0) + 1
            step, at, role, division, unit, other, assignee, step_due = current
            if sink is not None:
                sink(agency, proc.id, channel, state, t, received, due, original, finished, outcome or "", supplements,
                     reappointments, receiving)
            yield (agency, receiving, desk, delivery, commune, code, proc.id, proc.version_id, w.rules_id, channel,
                   state, int(is_open), version, kind,
                   name, name_key, id_number, tax, representative, born, address, phone, email, proc.name[:1000], 1,
                   text(t), text(received), received_by if received is not None else None, log_number,
                   text(received), text(due), text(original or due), supplements, reappointments, text(finished),
                   outcome or "", closing, result_number, result_date or None, result_signer, result_summary,
                   text(ready), text(returned), return_method, returned_to, step, at, role, division, unit, other,
                   assignee, text(step_due))
        self.counters = counters

    def outcome(self, finished: int, due: int, supplements: int, reappointments: int) -> str:
        """As ``motcua.dossiers.outcomes.classify`` decides it."""
        if reappointments or supplements > 1 or finished > due:
            return "late"
        return "early" if self.clock.local_day(finished) < self.clock.local_day(due) else "on_time"

    def place(self, agency: int, proc: Proc) -> Place:
        """A step of the procedure past the desk, the longer ones more likely, where ``agency`` performs it (or
        its partner)."""
        cached = self.places.get((agency, proc.version_id))
        if cached is None:
            steps = [s for s in proc.steps[1:] if s.role != "desk_officer"] or proc.steps
            if steps:
                cached = ([self.world.place(agency, s) for s in steps], [s.hours for s in steps])
            else:
                cached = ([Place(agency, "agency_leader", None, None, None, 8)], [1])
            self.places[agency, proc.version_id] = cached
        places, weights = cached
        return self.rng.choices(places, weights)[0]


def _check_columns() -> list[tuple[str, Any]]:
    """Columns of the model that ``COLUMNS`` lacks, each with the value it takes (its default, or NULL); a
    NOT NULL column without a default stops the bench."""
    from django.db import connection

    from motcua.dossiers.models import Dossier

    fields = {f.attname: f for f in Dossier._meta.concrete_fields if not f.primary_key}
    unknown = [c for c in COLUMNS if c not in fields]
    if unknown:
        raise RuntimeError(f"the generator fills columns the model no longer has: {unknown}")
    extra = []
    for attname, f in fields.items():
        if attname in COLUMNS:
            continue
        if f.has_default():
            extra.append((f.column, f.get_db_prep_save(f.get_default(), connection=connection)))
        elif f.null:
            extra.append((f.column, None))
        else:
            raise RuntimeError(f"dossiers_dossier.{f.column} is NOT NULL without a default: teach bench/dossiers.py "
                               "what to put there")
    return extra


def _copy_text(value: Any) -> str:
    """A value in COPY's text format; strings need no escaping, as ``_check_text`` made sure."""
    if value is None:
        return "\\N"
    return str(value)


_UNSAFE = re.compile(r"[\t\n\r\\]")


def _check_text(world: World) -> None:
    """Every string the generator can write is free of tabs, line breaks and backslashes."""
    texts = [*(p.name for p in world.procedures), *world.names.values(), *(a.short_name for a in world.agencies),
             *SURNAMES, *(x for m in MIDDLE.values() for x in m), *(x for g in GIVEN.values() for x in g), *PLACES,
             *COMPANIES, *COMPANY_NAMES, *(r for rs in CLOSING_REASONS.values() for r in rs)]
    if bad := [t for t in texts if _UNSAFE.search(t)]:
        raise RuntimeError(f"texts the generator would have to escape for COPY: {bad[:5]}")


def generate(n: int, seed: int = SEED, *, prepare: Callable[[Generator], None] | None = None) -> dict:
    """Bulk-load ``n`` dossiers (run inside ``motcua shell``), in one transaction: the table's secondary indexes (on
    PostgreSQL also its unique and foreign-key constraints, as "Populating a Database" in its manual advises) and
    those of ``dossiers_dossieragency`` are dropped, the rows loaded, then the agencies taking part in each
    (``_load_parties``), the same definitions restored and checked; the code and log-number counters are moved past
    the generated numbers (codes per receiving point, log numbers per resolving agency). Then PostgreSQL's tables are
    vacuumed and analysed; SQLite's are not analysed, as the application never runs ANALYZE there either. Prints one
    ``bench-generated {json}`` line and returns the same figures. ``prepare`` sees the generator before its rows are
    made (to set its ``sink``)."""
    from django.db import connection, transaction

    started = time.perf_counter()
    world = World()
    _check_text(world)
    extra = _check_columns()
    columns = ", ".join(f'"{c}"' for c in (*COLUMNS, *(c for c, _ in extra)))  # current_role is a keyword
    constants = tuple(v for _, v in extra)
    generator = Generator(world, n, seed, int(time.time()))
    if prepare is not None:
        prepare(generator)
    plan = generator.plan()
    planned = time.perf_counter()
    vendor = connection.vendor
    from motcua.dossiers.models import Dossier

    before = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        dropped = _drop_indexes(connection)
        dropped_parties = _drop_indexes(connection, "dossiers_dossieragency")
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                cursor.execute("SET LOCAL TIME ZONE 'UTC'")
                sql = f"COPY dossiers_dossier ({columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    buffer: list[str] = []
                    for row in generator.rows(plan):
                        buffer.append("\t".join([_copy_text(v) for v in row + constants]))
                        if len(buffer) >= 5000:
                            copy.write("\n".join(buffer) + "\n")
                            buffer.clear()
                    if buffer:
                        copy.write("\n".join(buffer) + "\n")
            else:
                raw = connection.connection.cursor()
                width = len(COLUMNS) + len(extra)
                per = max(1, 30_000 // width)  # under SQLite's 32,766 host parameters a statement
                one = "(" + ", ".join("?" * width) + ")"
                sql = f"INSERT INTO dossiers_dossier ({columns}) VALUES "  # noqa: S608 - our own column names
                batch: list[Any] = []
                rows_in_batch = 0
                for row in generator.rows(plan):
                    batch.extend(row + constants)
                    rows_in_batch += 1
                    if rows_in_batch == per:
                        raw.execute(sql + ", ".join([one] * per), batch)
                        batch.clear()
                        rows_in_batch = 0
                if rows_in_batch:
                    raw.execute(sql + ", ".join([one] * rows_in_batch), batch)
        parties_started = time.perf_counter()
        parties = _load_parties(connection, before)
        loaded = time.perf_counter()
        _restore_indexes(connection, dropped)
        _restore_indexes(connection, dropped_parties, "dossiers_dossieragency")
        indexed = time.perf_counter()
        _save_counters(world, generator.counters)
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            # VACUUM too: a table that grew over years has been vacuumed, and autovacuum would otherwise start
            # on the million new rows in the middle of the measurements.
            cursor.execute("VACUUM (ANALYZE) dossiers_dossier")
            cursor.execute("VACUUM (ANALYZE) dossiers_dossieragency")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finished = time.perf_counter()
    figures = {
        "rows": n, "seconds": round(finished - started, 2), "plan_seconds": round(planned - started, 2),
        "load_seconds": round(loaded - planned, 2), "index_seconds": round(indexed - loaded, 2),
        "analyse_seconds": round(finished - indexed, 2), "vendor": vendor,
        "method": "COPY FROM STDIN" if vendor == "postgresql" else "multi-row INSERT",
        "stats": dict(generator.stats), "dropped": len(dropped) + len(dropped_parties),
        "parties": parties, "parties_seconds": round(loaded - parties_started, 2),
        "agencies": len(world.resolvers) + len(world.receive_only) + 1,  # + the UBND tỉnh (a partner)
        "resolvers": len(world.resolvers), "departments": len(world.departments), "communes": len(world.communes),
        "receive_only": len(world.receive_only), "borrowed": generator.borrowed,
        "agencies_used": len(generator.used),
    }
    print("bench-generated " + json.dumps(figures))
    return figures


def _drop_indexes(connection: Any, table: str = "dossiers_dossier") -> list[tuple[str, str, str]]:
    """Drop the table's secondary indexes, unique and foreign-key constraints; return how to restore them
    (kind, name, SQL)."""
    out = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("""SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                              WHERE conrelid = %s::regclass AND contype IN ('f', 'u')""", [table])
            constraints = cursor.fetchall()
            cursor.execute("""SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s
                              AND indexname NOT IN (SELECT conname FROM pg_constraint
                                                    WHERE conrelid = %s::regclass)""", [table, table])
            indexes = cursor.fetchall()
            for name, definition in constraints:
                out.append(("constraint", name, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, definition in indexes:
                out.append(("index", name, definition))
                cursor.execute(f'DROP INDEX "{name}"')
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                           "AND sql IS NOT NULL", [table])
            for name, definition in cursor.fetchall():
                out.append(("index", name, definition))
                cursor.execute(f'DROP INDEX "{name}"')
    return out


def _index_catalogue(connection: Any, table: str = "dossiers_dossier") -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s UNION ALL "
                           "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass", [table, table])
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = %s", [table])
        return sorted(cursor.fetchall())


def _restore_indexes(connection: Any, dropped: list[tuple[str, str, str]], table: str = "dossiers_dossier") -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _kind, _name, definition in sorted(dropped, key=lambda d: d[0] == "constraint"):  # indexes first
            cursor.execute(definition)
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys")
            if not cursor.fetchone()[0]:  # Django turns them on; if not, check the rows now
                cursor.execute(f"PRAGMA foreign_key_check({table})")
                if broken := cursor.fetchall():
                    raise RuntimeError(f"generated rows break foreign keys: {broken[:5]}")
    names = {name for name, _ in _index_catalogue(connection, table)}
    if missing := {name for _, name, _ in dropped} - names:
        raise RuntimeError(f"indexes or constraints not restored: {sorted(missing)}")


def _load_parties(connection: Any, since_id: int) -> int:
    """``dossiers_dossieragency`` for the dossiers after ``since_id``, as the intake writes it: one row per agency
    taking part — the resolving agency, the receiving point, the delivery point, and each liên thông partner on
    the system that the procedure version's steps name (``partner``) — in one INSERT … SELECT; the row count."""
    from motcua.catalog.models import ProcessStep
    from motcua.dossiers.models import Dossier, DossierAgency
    from motcua.org.models import Agency

    d, da = Dossier._meta.db_table, DossierAgency._meta.db_table
    steps, agencies = ProcessStep._meta.db_table, Agency._meta.db_table
    sql = f"""
        INSERT INTO {da} (dossier_id, agency_id, partner)
        SELECT id, agency_id, FALSE FROM {d} WHERE id > %s
        UNION ALL
        SELECT id, receiving_agency_id, FALSE FROM {d} WHERE id > %s AND receiving_agency_id <> agency_id
        UNION ALL
        SELECT id, delivery_agency_id, FALSE FROM {d}
         WHERE id > %s AND delivery_agency_id <> agency_id AND delivery_agency_id <> receiving_agency_id
        UNION ALL
        SELECT x.id, p.other_agency_id, TRUE FROM {d} x
          JOIN (SELECT DISTINCT s.version_id, s.other_agency_id FROM {steps} s
                  JOIN {agencies} a ON a.id = s.other_agency_id WHERE a.on_system) p
            ON p.version_id = x.procedure_version_id
         WHERE x.id > %s AND p.other_agency_id NOT IN (x.agency_id, x.receiving_agency_id, x.delivery_agency_id)
    """  # noqa: S608 - our own table names
    with connection.cursor() as cursor:
        cursor.execute(sql, [since_id] * 4)
        return cursor.rowcount


def _save_counters(world: World, counters: dict[tuple[int, str, str], int]) -> None:
    """The counters end where the generated numbers end, so that the next intake continues gap-free."""
    from motcua.core.models import Counter

    existing = {(c.agency_id, c.series, c.period): c for c in Counter.objects.filter(
        agency_id__in=[a.pk for a in world.agencies], series__in=("dossier", "dossier-log"))}
    new, changed = [], []
    for key, value in counters.items():
        row = existing.get(key)
        if row is None:
            new.append(Counter(agency_id=key[0], series=key[1], period=key[2], value=value))
        elif row.value != value:
            row.value = value
            changed.append(row)
    Counter.objects.bulk_create(new, batch_size=5000)
    Counter.objects.bulk_update(changed, ["value"], batch_size=5000)


# ---------------------------------------------------------------------------------------------------------
# What the HTTP half needs, and the checks after it (run inside ``motcua shell``)


REPORT_LOGIN = "leader"  # the demo's Giám đốc Sở: reads his agency's report


def report_request() -> dict:
    """The one-agency resolution report as the API serves it: ``GET /api/v1/reports/resolution`` for the six
    months up to last month's data cut-off (bench/reports.py's period), by the demo agency's director (his own
    agency, one row per procedure); its path and, in process, its size."""
    from django.conf import settings
    from django.utils import timezone

    import reports
    from motcua.org.models import Agency
    from motcua.reports import selectors

    period = reports.period_before(timezone.localdate(), settings.REPORT_CUTOFF_DAY)
    report = selectors.resolution(period=period, agency=Agency.objects.get(identifier=SNV), group_by="procedure")
    return {"path": f"/api/v1/reports/resolution?from={period.date_from.isoformat()}&to={period.date_to.isoformat()}"
                    "&group_by=procedure",
            "period": [period.date_from.isoformat(), period.date_to.isoformat()], "rows": len(report.rows),
            "received": report.totals.received, "login": REPORT_LOGIN}


def describe(sample: int = 400, seed: int = SEED) -> None:
    """Prints ``bench-world {json}``: procedures the demo desk officer can receive today (that the Sở Nội vụ
    resolves) with the ids of their mandatory documents; codes of dossiers made by the services (with steps and a
    timeline); the sizes of the division leader's queues; the one-agency report's path and size; the table's
    size; and the queries each measured request makes."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from motcua.catalog.models import Procedure
    from motcua.dossiers import access
    from motcua.dossiers.models import Dossier, DossierAgency, DossierStep, Handoff
    from motcua.org.models import Agency, Staff

    snv = Agency.objects.get(identifier=SNV)
    today = timezone.localdate()
    intake = []
    for p in Procedure.objects.filter(status="active", channel_desk=True, for_individuals=True,
                                      resolving_agencies=snv).order_by("code"):
        version = p.current_version(today)
        if version is None:
            continue
        intake.append({"code": p.code, "name": p.name,
                       "documents": list(version.documents.filter(mandatory=True).order_by("order")
                                         .values_list("pk", flat=True))})
    # A desk's traffic is a few dozen procedures: the demo catalogue's, then generated ones up to 30.
    own = [p for p in intake if not p["code"].startswith("9.")]
    generated = [p for p in intake if p["code"].startswith("9.")]
    random.Random(seed).shuffle(generated)
    intake = (own + generated)[:30]
    made = (Dossier.objects.filter(agency=snv, pk__in=Handoff.objects.filter(seq__gte=3).values("dossier_id"))
            .order_by("pk").values_list("code", flat=True))
    codes = list(made)
    random.Random(seed).shuffle(codes)
    codes = codes[:sample]
    steps = DossierStep.objects.filter(dossier__code__in=codes).count()
    handoffs = Handoff.objects.filter(dossier__code__in=codes).count()
    leader = Staff.objects.select_related("user").get(user__username="division_leader")
    actor = access.actor_of(leader)
    now = timezone.now()
    queue = Dossier.objects.filter(current_agency_id=actor.agency_id, current_division_id=actor.division_id,
                                   is_open=True, current_due_at__isnull=False)
    out = {
        "intake": intake, "codes": codes, "steps": steps, "handoffs": handoffs,
        "dossiers": Dossier.objects.count(), "demo_agency": Dossier.objects.filter(agency=snv).count(),
        "demo_agency_open": Dossier.objects.filter(agency=snv, is_open=True).count(),
        "queue_division": queue.count(), "queue_division_overdue": queue.filter(due_at__lt=now).count(),
        "division": leader.user.username, "vendor": connection.vendor,
        "parties": DossierAgency.objects.count(),
        "report": report_request(),
    }
    # Queries per request, through Django's test client against the same database (one request each).
    client = Client(HTTP_HOST="127.0.0.1")
    queries = {}
    for username, method, path, body in (
            ("division_leader", "get", "/api/v1/dossiers?queue=division&overdue=true", None),
            ("division_leader", "get", "/api/v1/dossiers", None),
            ("desk", "get", f"/api/v1/dossiers/{codes[0]}" if codes else None, None),
            (REPORT_LOGIN, "get", out["report"]["path"], None),
            ("desk", "post", "/api/v1/dossiers", _intake_body(intake, random.Random(seed), 0) if intake else None)):
        if path is None or (method == "post" and body is None):
            continue
        token = client.post("/api/v1/auth/token", {"username": username, "password": DEMO_PASSWORD},
                            content_type="application/json").json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        client.get("/api/v1/dossiers?limit=1", headers=headers)  # the token's first use writes last_used_at
        with CaptureQueriesContext(connection) as captured:
            if method == "get":
                response = client.get(path, headers=headers)
            else:
                response = client.post(path, body, content_type="application/json", headers=headers)
        if response.status_code not in (200, 201):
            raise RuntimeError(f"{method.upper()} {path}: {response.status_code} {response.content[:500]!r}")
        queries[f"{method.upper()} {path.split('?')[0] if method == 'post' else path}"] = len(captured)
    out["queries"] = queries
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('dossiers_dossier'), pg_relation_size('dossiers_dossier')")
            out["table_bytes"], out["heap_bytes"] = cursor.fetchone()
    print("bench-world " + json.dumps(out, ensure_ascii=False))


def check_codes(since_id: int) -> None:
    """Prints ``bench-codes {json}``: the dossiers created after ``since_id`` with their codes, whether codes
    are unique, and per (agency, day) whether the sequence numbers run 1..N without a gap and the counter
    stands at N, over the whole table (codes are numbered per receiving point).

    Requests wrk left in flight may still be running when this starts: it waits until no dossier has been added
    for two seconds, then reads everything in one snapshot (REPEATABLE READ on PostgreSQL; SQLite reads after
    the writers are done), so that a late commit cannot look like a gap."""
    from django.db import connection, transaction

    from motcua.core.models import Counter
    from motcua.dossiers.models import Dossier

    last, quiet, deadline = -1, 0, time.monotonic() + 60
    while quiet < 2 and time.monotonic() < deadline:
        now = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        quiet = quiet + 1 if now == last else 0
        last = now
        time.sleep(1)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        new = list(Dossier.objects.filter(pk__gt=since_id).values_list("code", flat=True))
        total = Dossier.objects.count()
        distinct = Dossier.objects.values("code").distinct().count()
        # Code = <agency identifier>-YYMMDD-NNNN: group by everything before the last dash.
        per_day: dict[tuple[int, str], list[int]] = {}
        for agency_id, code in Dossier.objects.values_list("receiving_agency_id", "code").iterator(
                chunk_size=20_000):
            prefix, _, number = code.rpartition("-")
            entry = per_day.setdefault((agency_id, prefix.rpartition("-")[2]), [0, 0])
            entry[0] += 1
            entry[1] = max(entry[1], int(number))
        counters = {(c.agency_id, c.period): c.value for c in Counter.objects.filter(series="dossier")}
    gaps = [f"{a}/{day}: {n} codes, highest {high}" for (a, day), (n, high) in per_day.items() if n != high]
    behind = [f"{a}/{day}: counter {counters.get((a, day))}, highest {high}"
              for (a, day), (_n, high) in per_day.items() if counters.get((a, day), 0) != high]
    days = Tally(code.rpartition("-")[0] for code in new)
    print("bench-codes " + json.dumps({
        "new": len(new), "new_codes": new, "total": total, "distinct": distinct, "days": len(per_day),
        "gaps": gaps[:10], "gap_count": len(gaps), "counters_behind": behind[:10], "new_by_day": dict(days),
    }))


def max_id() -> None:
    from django.db.models import Max

    from motcua.dossiers.models import Dossier

    print("bench-max-id " + json.dumps(Dossier.objects.aggregate(m=Max("id"))["m"] or 0))


# ---------------------------------------------------------------------------------------------------------
# The bench process: running the halves above, wrk, results


def shell(env: dict[str, str], code: str, marker: str, timeout: float) -> Any:
    """Run ``code`` in ``motcua shell`` with this module importable; the JSON printed after ``marker``."""
    import run as bench

    return bench.project_shell(env, "dossiers", code, marker, timeout)


def generate_dossiers(env: dict[str, str], n: int) -> dict:
    """The province's agencies (``create_agencies``: already there when ``run.load_catalog`` made them), then ``n``
    generated dossiers and their statistics ledger (``reports.generate``: this module's generator with
    bench/reports.py's ledger as its sink, so that the one-agency report reads the same dossiers); wall time of
    both commands, and the generator's own account (rows, seconds, how, the ledger's rows)."""
    started = time.perf_counter()
    shell(env, "dossiers.create_agencies(); print('bench-agencies 1')", "bench-agencies", timeout=1200)
    agencies = time.perf_counter() - started
    started = time.perf_counter()
    ledger = shell(env, f"import reports; reports.generate({n}, {SEED})", "bench-reports-generated", timeout=3600)
    generated = ledger.pop("dossiers")
    generated["ledger"] = ledger
    generated["wall_seconds"] = time.perf_counter() - started
    generated["agencies_seconds"] = agencies
    print(f"  generated {n:,} dossiers and their ledger ({ledger['day_rows']:,} day rows) in "
          f"{generated['wall_seconds']:.1f} s ({n / generated['seconds']:,.0f} rows/s inside the command); "
          f"{generated.get('agencies_used', '?')} agencies, {generated.get('parties', 0):,} agency rows; "
          f"{generated['stats']}", flush=True)
    return generated


def token(base: str, username: str) -> str:
    request = urllib.request.Request(base + "/api/v1/auth/token", method="POST",
                                     data=json.dumps({"username": username, "password": DEMO_PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["token"]


def _intake_body(intake: list[dict], rng: random.Random, i: int) -> dict:
    """A complete desk intake of one of the procedures, for a generated person (a valid citizen ID)."""
    procedure = intake[i % len(intake)]
    female = rng.random() < 0.5
    name = " ".join((rng.choice(SURNAMES), rng.choice(MIDDLE[female]), rng.choice(GIVEN[female])))
    born = dt.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
    century = (born.year - 1900) // 100 * 2 + (1 if female else 0)
    return {
        "procedure": procedure["code"], "channel": "desk",
        "applicant": {"type": "individual", "name": name,
                      "id_number": f"002{century}{born.year % 100:02d}{rng.randint(0, 999_999):06d}",
                      "birth_date": born.isoformat(), "address": f"Tổ {rng.randint(1, 20)}, {rng.choice(PLACES)}, "
                                                                 "tỉnh Hà Giang",
                      "phone": f"09{rng.randint(10_000_000, 99_999_999)}"},
        "subject": procedure["name"][:200],
        "components": [{"required_document_id": d} for d in procedure["documents"]],
    }


INTAKE_LUA = """-- POST the bodies in turn; count 201s and keep their codes; print exact percentiles when done
local bodies = {%s}
local headers = {["Authorization"] = "Bearer %s", ["Content-Type"] = "application/json"}
local out_path = "%s"
local threads, counter = {}, 0
function setup(thread)
  thread:set("first", counter * 131) counter = counter + 1 table.insert(threads, thread)
end
function init(args) i = first sent = 0 created = 0 failed = 0 codes = {} errors = {} end
function request()
  i = i + 1 sent = sent + 1
  return wrk.format("POST", "/api/v1/dossiers", headers, bodies[(i %% #bodies) + 1])
end
function response(status, hdrs, body)
  if status == 201 then
    created = created + 1
    codes[#codes + 1] = string.match(body, '"code":%%s*"([^"]+)"') or "?"
  else
    failed = failed + 1
    if #errors < 3 then errors[#errors + 1] = status .. " " .. string.sub(body, 1, 300) end
  end
end
function done(summary, latency, requests)
  local f = io.open(out_path, "w")
  local s, c, e = 0, 0, 0
  for _, t in ipairs(threads) do
    s = s + t:get("sent") c = c + t:get("created") e = e + t:get("failed")
    for _, code in ipairs(t:get("codes")) do f:write(code, "\\n") end
    for _, err in ipairs(t:get("errors")) do io.write("bench-error ", err, "\\n") end
  end
  f:close()
  io.write(string.format("bench-latency-us p50=%%d p95=%%d p99=%%d\\n", latency:percentile(50),
                         latency:percentile(95), latency:percentile(99)))
  io.write(string.format("bench-intake sent=%%d created=%%d failed=%%d duration_us=%%d\\n", s, c, e,
                         summary.duration))
end
"""


def _lua_string(text: str) -> str:
    if "]==]" in text:
        raise ValueError("a body contains ]==]")
    return f"[==[{text}]==]"


def wrk_intake(wrk_bin: str, base: str, script: Path, codes_file: Path, bodies: Sequence[str], bearer: str,
               connections: int, seconds: int) -> dict[str, Any]:
    import run as bench

    script.write_text(INTAKE_LUA % (", ".join(_lua_string(b) for b in bodies), bearer, codes_file), encoding="utf-8")
    parsed, output = bench.wrk(wrk_bin, base, connections, seconds, script=script, request_timeout=10)
    figures: dict[str, Any] = dict(parsed)
    m = re.search(r"bench-latency-us p50=(\d+) p95=(\d+) p99=(\d+)", output)
    counts = re.search(r"bench-intake sent=(\d+) created=(\d+) failed=(\d+) duration_us=(\d+)", output)
    if not m or not counts:
        raise bench.BenchError(f"the intake Lua script printed no figures:\n{output}")
    figures["p50"], figures["p95"], figures["p99"] = (int(x) / 1e3 for x in m.groups())
    sent, created, failed, duration = (int(x) for x in counts.groups())
    figures.update(sent=sent, created=created, failed=failed, seconds=duration / 1e6,
                   intakes=created / (duration / 1e6), errors=re.findall(r"^bench-error (.*)$", output, re.M))
    figures["codes"] = codes_file.read_text(encoding="utf-8").split()
    return figures


def _interleaved(rounds: int, subjects: Sequence[tuple[str, Callable[[], dict]]]) -> dict[str, list[dict]]:
    """``rounds`` rounds of every subject, the order rotating each round so no subject always goes first."""
    out: dict[str, list[dict]] = {name: [] for name, _ in subjects}
    for i in range(rounds):
        for name, fn in [*subjects[i % len(subjects):], *subjects[:i % len(subjects)]]:
            out[name].append(fn())
    return out


def _median(rounds: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def bench_dossiers(wrk_bin: str, base: str, data_dir: Path, env: dict[str, str], duration: int,
                   connections: int, detail_levels: Sequence[int], log: Callable[[], str]) -> dict[str, Any]:
    """The three HTTP measurements, each against /healthz measured the same way in the same run."""
    import run as bench

    world = shell(env, "dossiers.describe()", "bench-world", timeout=600)
    if not world["intake"]:
        raise bench.BenchError("no procedure the demo desk officer can receive: was `motcua demo` loaded?")
    if not world["codes"]:
        raise bench.BenchError("no dossier with a history to read: `motcua demo` made no dossiers?")
    print(f"  {world['dossiers']:,} dossiers; the division leader's queue: {world['queue_division']} open, "
          f"{world['queue_division_overdue']} overdue; queries per request: {world['queries']}", flush=True)
    script = data_dir / "dossiers.lua"
    healthz = ["/healthz"]
    out: dict[str, Any] = {"world": world}

    # The dossier page: rotating over the demo's dossiers, at 1 and at 8 connections.
    desk = {"Authorization": f"Bearer {token(base, 'desk')}"}
    detail_paths = [f"/api/v1/dossiers/{code}" for code in world["codes"]]
    bench.wrk_paths(wrk_bin, base, healthz, script, max(detail_levels), 2)
    bench.wrk_paths(wrk_bin, base, detail_paths, script, max(detail_levels), 2, headers=desk)
    out["detail"] = {}
    for c in detail_levels:
        seconds = max(3, duration * 3 // 10) if c == 1 else max(2, duration // 4)
        rounds = _interleaved(ROUNDS, [
            ("healthz", lambda c=c, s=seconds: bench.wrk_paths(wrk_bin, base, healthz, script, c, s)[0]),
            ("detail", lambda c=c, s=seconds: bench.wrk_paths(wrk_bin, base, detail_paths, script, c, s,
                                                              headers=desk)[0])])
        out["detail"][c] = {"rounds": rounds, "seconds": seconds}

    # The work queue of the division leader (16 users), overdue and default, rotating a few variants each.
    leader = {"Authorization": f"Bearer {token(base, 'division_leader')}"}
    with urllib.request.urlopen(urllib.request.Request(base + "/api/v1/dossiers?queue=division", headers=leader),
                                timeout=30) as response:
        first_page = json.load(response)
    cursor = first_page["next_cursor"]
    variants = {
        "overdue": ["/api/v1/dossiers?queue=division&overdue=true", "/api/v1/dossiers?overdue=true",
                    "/api/v1/dossiers?queue=division&overdue=true&limit=20"],
        "default": ["/api/v1/dossiers", "/api/v1/dossiers?queue=division", "/api/v1/dossiers?limit=20",
                    *([f"/api/v1/dossiers?queue=division&cursor={cursor}"] if cursor else [])],
    }
    for paths in variants.values():
        for path in paths:
            with urllib.request.urlopen(urllib.request.Request(base + path, headers=leader), timeout=30) as response:
                if not json.load(response)["items"]:
                    raise bench.BenchError(f"{path} lists nothing: the generated queue is empty")
    seconds = max(3, duration * 4 // 10)
    bench.wrk_paths(wrk_bin, base, healthz, script, connections, 2)
    bench.wrk_paths(wrk_bin, base, variants["default"], script, connections, 2, headers=leader)
    rounds = _interleaved(ROUNDS, [
        ("healthz", lambda: bench.wrk_paths(wrk_bin, base, healthz, script, connections, seconds)[0]),
        ("overdue", lambda: bench.wrk_paths(wrk_bin, base, variants["overdue"], script, connections, seconds,
                                            headers=leader)[0]),
        ("default", lambda: bench.wrk_paths(wrk_bin, base, variants["default"], script, connections, seconds,
                                            headers=leader)[0])])
    out["queue"] = {"rounds": rounds, "seconds": seconds, "variants": variants,
                    "first_page": len(first_page["items"]), "count": first_page["count"],
                    "capped": first_page["count_capped"]}

    out["report"] = measure_report(wrk_bin, base, script, world["report"], connections, duration)

    # Intake: 16 desk clients POSTing complete dossiers; then the database must hold every acknowledged code.
    before = shell(env, "dossiers.max_id()", "bench-max-id", timeout=120)
    bearer = token(base, "desk")
    rng = random.Random(SEED)
    bodies = [json.dumps(_intake_body(world["intake"], rng, i), ensure_ascii=False) for i in range(600)]
    codes_file = data_dir / "intake-codes.txt"
    seconds = max(3, duration // 2)
    warm = wrk_intake(wrk_bin, base, script, codes_file, bodies, bearer, connections, 2)
    rounds = _interleaved(ROUNDS, [
        ("healthz", lambda: bench.wrk_paths(wrk_bin, base, healthz, script, connections, seconds)[0]),
        ("intake", lambda: wrk_intake(wrk_bin, base, script, codes_file, bodies, bearer, connections, seconds))])
    runs = [warm, *rounds["intake"]]
    acknowledged = [code for r in runs for code in r.pop("codes")]
    checked = shell(env, f"dossiers.check_codes({before})", "bench-codes", timeout=600)
    new = set(checked.pop("new_codes"))
    out["intake"] = {"rounds": rounds, "seconds": seconds, "checked": checked, "acknowledged": len(acknowledged),
                     "acknowledged_distinct": len(set(acknowledged)), "missing": sorted(set(acknowledged) - new)[:10],
                     "missing_count": len(set(acknowledged) - new), "bodies": len(bodies),
                     "procedures": len(world["intake"]),
                     # Every run, warm-up included: 201s received, and requests still in flight when wrk stopped.
                     "all_created": sum(r["created"] for r in runs),
                     "all_inflight": sum(r["sent"] - r["created"] - r["failed"] for r in runs)}
    # Reported, not fatal: the figures say what went wrong (and the target is then not met).
    intake = out["intake"]
    intake["non_2xx"] = sum(r["failed"] for r in runs)
    intake["socket_errors"] = sum(r["socket_errors"] for r in runs)
    intake["errors"] = [e for r in runs for e in r["errors"]][:5]
    intake["duplicates"] = checked["total"] - checked["distinct"] + len(acknowledged) - len(set(acknowledged))
    problems = []
    if intake["non_2xx"]:
        problems.append(f"{intake['non_2xx']} intakes answered non-2xx, e.g. {intake['errors'][:2]}")
    if intake["socket_errors"]:
        problems.append(f"{intake['socket_errors']} socket errors or timeouts (10 s)")
    if intake["missing_count"]:
        problems.append(f"{intake['missing_count']} acknowledged codes not in the database: {intake['missing']}")
    if not intake["all_created"] <= checked["new"] <= intake["all_created"] + intake["all_inflight"]:
        problems.append(f"{checked['new']} dossiers created for {intake['all_created']} 201 responses and "
                        f"{intake['all_inflight']} requests in flight")
    if intake["duplicates"]:
        problems.append(f"{intake['duplicates']} duplicate codes")
    if checked["gap_count"] or checked["counters_behind"]:
        problems.append(f"gaps {checked['gaps']}; counters not at the highest code {checked['counters_behind']}")
    intake["problems"] = problems
    if problems:
        print("  INTAKE CHECKS FAILED: " + "; ".join(problems) + "\n" + log(), flush=True)
    return out


REPORT_CONNECTIONS = 4  # a few people reading reports at once; more would queue past wrk's 5 s timeout


def measure_report(wrk_bin: str, base: str, script: Path, report: dict, connections: int, duration: int) -> dict:
    """The one-agency resolution report (``report_request``'s path, by the agency's director) against /healthz
    measured the same way, at 1 connection (the time a report takes) and at ``REPORT_CONNECTIONS``, in interleaved
    rounds after warm-ups; the API's answer checked against the in-process report first."""
    import run as bench

    director = {"Authorization": f"Bearer {token(base, report['login'])}"}
    with urllib.request.urlopen(urllib.request.Request(base + report["path"], headers=director),
                                timeout=60) as response:
        body = json.load(response)
    if len(body["rows"]) != report["rows"] or not body["rows"]:
        raise bench.BenchError(f"{report['path']}: {len(body['rows'])} rows over HTTP, {report['rows']} in process")
    healthz = ["/healthz"]
    out: dict[str, Any] = {"levels": {}}
    levels = sorted({1, min(REPORT_CONNECTIONS, connections)})
    bench.wrk_paths(wrk_bin, base, healthz, script, max(levels), 2)
    bench.wrk_paths(wrk_bin, base, [report["path"]], script, max(levels), 2, headers=director)
    for c in levels:
        seconds = max(4, duration * 6 // 10) if c == 1 else max(3, duration * 4 // 10)
        rounds = _interleaved(ROUNDS, [
            ("healthz", lambda c=c, s=seconds: bench.wrk_paths(wrk_bin, base, healthz, script, c, s)[0]),
            ("report", lambda c=c, s=seconds: bench.wrk_paths(wrk_bin, base, [report["path"]], script, c, s,
                                                              headers=director)[0])])
        out["levels"][c] = {"rounds": rounds, "seconds": seconds}
    out["bytes"] = len(json.dumps(body, ensure_ascii=False).encode())
    return out


def report_results(measured: dict, generated: dict, server: str) -> list[dict]:
    """``run.result`` rows of the one-agency report over HTTP: p50 and p95 at each level, ratios to /healthz."""
    import run as bench

    world = measured["world"]
    report = world["report"]
    queries = world["queries"].get(f"GET {report['path']}")
    out = []
    for c, figures in measured["report"]["levels"].items():
        rounds, base = figures["rounds"]["report"], figures["rounds"]["healthz"]
        setup = (f"GET {report['path']} (the resolution report of the demo's Sở Nội vụ for "
                 f"{report['period'][0]} – {report['period'][1]}, one row per procedure: {report['rows']:,} rows, "
                 f"{report['received']:,} dossiers received in the period; "
                 f"{measured['report']['bytes'] / 1e3:,.0f} kB of JSON) by its director's bearer token, read from "
                 f"the statistics ledger loaded with the {world['dossiers']:,} dossiers in the table "
                 f"({generated['rows']:,} generated over {YEARS} years and {_agencies_text(generated)}); {server}; "
                 f"wrk -t{min(2, c)} -c{c}, {ROUNDS} interleaved rounds of {figures['seconds']} s for /healthz and "
                 f"the report (after 2 s warm-ups), a Lua script printing wrk's exact p50/p95; medians of the rounds; "
                 f"{sum(r['requests'] for r in rounds):.0f} report and {sum(r['requests'] for r in base):.0f} "
                 f"/healthz requests, 0 errors. {queries} queries per request.")
        for pct in ("p50", "p95"):
            r = bench.result(f"report.one agency http {pct} at {c} conn{'s' if c > 1 else ''}", _median(rounds, pct),
                             "ms", _median(base, pct), f"{setup} Baseline: /healthz {pct} by the same method; ratio "
                             "is the median per-round ratio.", lower_is_better=True)
            r["ratio"] = round(statistics.median(a[pct] / b[pct] for a, b in zip(rounds, base, strict=True)), 3)
            out.append(r)
    return out


def _agencies_text(generated: dict) -> str:
    """How many agencies the generated dossiers are spread over, as the generator counted them."""
    if "agencies_used" not in generated:
        return "30 agencies"
    stats = generated["stats"]
    elsewhere = stats.get("received elsewhere", 0)
    return (f"{generated['agencies_used']} agencies — {generated['departments']} departments and "
            f"{generated['communes']} communes resolving, the service centre and its {generated['receive_only'] - 1} "
            f"branches receiving for them — and the UBND tỉnh as a liên thông partner; {elsewhere:,} "
            f"({elsewhere / generated['rows']:.0%}) received at another agency's desk than the resolving one's; "
            f"{generated['parties']:,} dossier–agency rows")


def dossier_results(measured: dict, generated: dict, server: str, connections: int) -> list[dict]:
    import run as bench

    world = measured["world"]
    q = world["queries"]
    out = []

    # -- intake
    intake = measured["intake"]
    rounds, base = intake["rounds"]["intake"], intake["rounds"]["healthz"]
    rate, base_rps = _median(rounds, "intakes"), _median(base, "rps")
    ratio = statistics.median(r["intakes"] / h["rps"] for r, h in zip(rounds, base, strict=True))
    created = sum(r["created"] for r in rounds)
    inflight = sum(r["sent"] - r["created"] - r["failed"] for r in rounds)
    checked = intake["checked"]
    post_queries = next((v for k, v in q.items() if k.startswith("POST")), None)
    accounts = (f"The database gained {checked['new']} dossiers, warm-up included: the {intake['all_created']} "
                f"acknowledged with 201 and {checked['new'] - intake['all_created']} of the "
                f"{intake['all_inflight']} requests wrk still had in flight when it stopped (the others made no "
                "dossier).")
    if intake["problems"]:
        verdict = "CHECKS FAILED: " + "; ".join(intake["problems"]) + "."
    else:
        verdict = (f"All {intake['acknowledged']} codes acknowledged with 201 were found in the database afterwards, "
                   f"each once; {checked['total']:,} codes in the table, {checked['distinct']:,} distinct, gap-free "
                   f"1..N and equal to the counter in each of the {checked['days']:,} (agency, day) series.")
    setup = (f"POST /api/v1/dossiers (desk intake, decision receive, channel desk) by the demo desk officer's bearer "
             f"token (all {connections} clients at one agency, so one code counter a day), rotating over "
             f"{intake['bodies']} bodies: {intake['procedures']} procedures the desk receives, all their mandatory "
             f"documents ticked, a generated applicant with a valid 12-digit citizen ID; {server}; "
             f"wrk -t2 -c{connections}, {ROUNDS} interleaved rounds of {intake['seconds']} s for /healthz (same wrk "
             f"threads and connections, Lua method) and for the intake, after a 2 s warm-up; medians of the rounds. "
             f"{created} dossiers acknowledged with 201 in the rounds, {intake['non_2xx']} non-2xx responses "
             f"(warm-up included); {inflight} more requests were in flight when wrk stopped its clock. {accounts} "
             f"{verdict} "
             f"{post_queries} queries per intake (Django test client, same database).")
    met = rate >= INTAKE_TARGET_RPS and not intake["duplicates"] and not intake["problems"]
    target = {"intakes_per_s_at_least": INTAKE_TARGET_RPS, "duplicate_codes": intake["duplicates"],
              "non_2xx": intake["non_2xx"], "met": met}
    r = bench.result(f"dossier.intake per s at {connections} conns", rate, "intakes/s", base_rps,
                     f"{setup} Intakes/s = 201 responses / wrk's duration. Baseline: /healthz requests/s, same "
                     f"method; ratio is the median per-round ratio. Target: ≥ {INTAKE_TARGET_RPS:.0f}/s with zero "
                     f"duplicate codes (and every check above passing): {'met' if met else 'NOT met'}.")
    r["ratio"], r["target"] = round(ratio, 3), target
    r["non_2xx"] = intake["non_2xx"]
    out.append(r)
    for pct in ("p50", "p95", "p99"):
        r = bench.result(f"dossier.intake {pct} at {connections} conns", _median(rounds, pct), "ms",
                         _median(base, pct), f"{setup} Baseline: /healthz {pct}, same method; ratio is the median "
                         "per-round ratio.", lower_is_better=True)
        r["ratio"] = round(statistics.median(a[pct] / b[pct] for a, b in zip(rounds, base, strict=True)), 3)
        out.append(r)

    # -- the dossier page
    codes = len(world["codes"])
    detail_queries = next((v for k, v in q.items() if k.startswith("GET /api/v1/dossiers/")), None)
    for c, figures in measured["detail"].items():
        rounds, base = figures["rounds"]["detail"], figures["rounds"]["healthz"]
        setup = (f"GET /api/v1/dossiers/{{code}} (the dossier with documents, steps, timeline, deadlines, actions) "
                 f"by the demo desk officer's bearer token, rotating over {codes} dossiers the services walked "
                 f"through their processes (`motcua demo`: {world['steps']} steps and {world['handoffs']} hand-offs "
                 f"in all, closed and open), with {world['dossiers']:,} dossiers in the table; {server}; "
                 f"wrk -t{min(2, c)} -c{c}, {ROUNDS} interleaved rounds of {figures['seconds']} s for /healthz and "
                 f"for the page (after 2 s warm-ups), a Lua script rotating the paths and printing wrk's exact "
                 f"p50/p95; medians of the rounds; {sum(r['requests'] for r in rounds):.0f} page and "
                 f"{sum(r['requests'] for r in base):.0f} /healthz requests, 0 errors. {detail_queries} queries "
                 f"per page.")
        for pct in ("p50", "p95"):
            r = bench.result(f"dossier.detail {pct} at {c} conn{'s' if c > 1 else ''}", _median(rounds, pct), "ms",
                             _median(base, pct), f"{setup} Baseline: /healthz {pct} by the same method; ratio is "
                             "the median per-round ratio.", lower_is_better=True)
            r["ratio"] = round(statistics.median(a[pct] / b[pct] for a, b in zip(rounds, base, strict=True)), 3)
            out.append(r)

    # -- the work queue
    queue = measured["queue"]
    stats = generated["stats"]
    for name in ("overdue", "default"):
        rounds, base = queue["rounds"][name], queue["rounds"]["healthz"]
        p50 = _median(rounds, "p50")
        queries = q.get("GET /api/v1/dossiers?queue=division&overdue=true" if name == "overdue" else
                        "GET /api/v1/dossiers")
        setup = (f"GET {', '.join(queue['variants'][name])} in turn, by the demo division leader (head of CCVC, "
                 f"Sở Nội vụ) with a bearer token, {connections} connections standing for {connections} users; the "
                 f"table holds {world['dossiers']:,} dossiers ({generated['rows']:,} generated over {YEARS} years and "
                 f"{_agencies_text(generated)}; {stats.get('demo agency', 0):,} of them the demo agency's, "
                 f"{stats.get('demo agency open', 0):,} of those open); the division's queue holds "
                 f"{world['queue_division']} open dossiers, {world['queue_division_overdue']} past their appointment "
                 f"(first page of 50, count capped at 1,000); {server}; wrk -t2 -c{connections}, {ROUNDS} interleaved "
                 f"rounds of {queue['seconds']} s for /healthz and each list (after 2 s warm-ups), a Lua script "
                 f"rotating the paths and printing wrk's exact p50/p95; medians of the rounds; "
                 f"{sum(r['requests'] for r in rounds):.0f} list and {sum(r['requests'] for r in base):.0f} /healthz "
                 f"requests, 0 errors. {queries} queries per request.")
        target = {"p50_ms_below": QUEUE_TARGET_P50_MS, "met": p50 < QUEUE_TARGET_P50_MS}
        for pct in ("p50", "p95"):
            verdict = (f" Target: p50 under {QUEUE_TARGET_P50_MS:.0f} ms ({'met' if target['met'] else 'NOT met'})."
                       if pct == "p50" else "")
            r = bench.result(f"dossier.queue {name} {pct} at {connections}", _median(rounds, pct), "ms",
                             _median(base, pct), f"{setup} Baseline: /healthz {pct} by the same method; ratio is the "
                             f"median per-round ratio.{verdict}", lower_is_better=True)
            r["ratio"] = round(statistics.median(a[pct] / b[pct] for a, b in zip(rounds, base, strict=True)), 3)
            if pct == "p50":
                r["target"] = target
            out.append(r)
        out.append(bench.result(f"dossier.queue {name} requests/s", _median(rounds, "rps"), "req/s",
                                _median(base, "rps"), f"{setup} Baseline: /healthz requests/s, same method."))

    out += report_results(measured, generated, server)

    # -- the generator
    n = generated["rows"]
    ledger = generated.get("ledger", {})
    how = (f"{generated['method']} of {n:,} generated dossiers straight into dossiers_dossier ({generated['vendor']}), "
           f"inside `motcua shell`: {generated['seconds']:.1f} s in all = plan {generated['plan_seconds']:.1f} s + "
           f"generate and load {generated['load_seconds']:.1f} s (of which the dossier–agency rows "
           f"{generated.get('parties_seconds', 0):.1f} s) + rebuild of the {generated['dropped']} indexes and "
           f"constraints dropped for the load {generated['index_seconds']:.1f} s + "
           f"{'VACUUM ANALYZE' if generated['vendor'] == 'postgresql' else 'WAL checkpoint'} "
           f"{generated['analyse_seconds']:.1f} s (wall time of the command, start-up included: "
           f"{generated['wall_seconds']:.1f} s, the statistics ledger included: {ledger.get('day_rows', 0):,} day and "
           f"{ledger.get('month_rows', 0):,} month rows, contributions {ledger.get('contributions_seconds', 0)} s; "
           f"the province's agencies and their staff beforehand, when not already made with the catalogue: "
           f"{generated['agencies_seconds']:.1f} s). Spread: {_agencies_text(generated)}. Rows: "
           + ", ".join(f"{k} {v:,}" for k, v in sorted(stats.items())) + ".")
    out.append(bench.result(f"dossier.generate {n:,}", generated["seconds"], "s", generated["seconds"],
                            f"{how} Baseline: itself (no comparable figure).", lower_is_better=True))
    out.append(bench.result("dossier.generate rows/s", n / generated["seconds"], "rows/s", n / generated["seconds"],
                            f"{how} Baseline: itself (no comparable figure)."))
    return out
