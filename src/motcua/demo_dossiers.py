"""Demo dossiers: the seed's six months and the current month's open work, made through the real services.

The seed article: in the last six months the department received 736 dossiers, all resolved on time — 66
transfers out of the province, 104 salary re-gradings / commune civil-servant conversions, 74 rank-code
changes, 417 appointments to a rank and 75 attraction-policy benefits. Here they are received over the six
full months before the current month and walked through every step of their procedure, each step finished
within its share of the time limit, by the department's own staff, with the clock set to each moment
(``core.clock.at``), so that every deadline, hand-off, audit event and outcome is the one the system computes.
A few asked the applicant for a supplement (once: still on time), some came by post or online.

The current month gets open dossiers at every stage, so that the queues and the warnings have something to
show: new ones at the desk, some with a division or a leader, some due within a day or two, a few overdue,
one waiting for a supplement, one online submission to check and results waiting to be collected.

Illustrative data: names and citizen IDs are generated. Deterministic for a given current month.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core import calendars as core_calendars
from motcua.core import clock, workdays
from motcua.dossiers import services
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.models import Dossier
from motcua.org.models import Agency, Assignment, Division, Staff, Unit
from motcua.org.roles import Role

SEED_GROUPS = [  # the article's table: procedure, dossiers in six months
    ("SNV.HG.CCVC.01", 66), ("SNV.HG.CCVC.02", 104), ("SNV.HG.CCVC.03", 74), ("SNV.HG.CCVC.04", 417),
    ("SNV.HG.CCVC.05", 75),
]
OPEN_PROCEDURES = ["SNV.HG.CCVC.01", "SNV.HG.CCVC.02", "SNV.HG.CCVC.03", "SNV.HG.CCVC.04", "SNV.HG.CCVC.05"]
# Where applicants live: communes and wards of the two-tier province (no districts since 1 July 2025).
PLACES = ["phường Hà Giang 1", "phường Hà Giang 2", "xã Ngọc Đường", "xã Vị Xuyên", "xã Yên Minh", "xã Đồng Văn",
          "xã Hoàng Su Phì", "xã Bắc Quang"]
# Employers that ask for their staff's appointments and re-gradings (organisation applicants): name ({p}: the
# province), tax code, address.
EMPLOYERS = [
    ("Sở Giáo dục và Đào tạo tỉnh {p}", "5100100001", "phường Hà Giang 1"),
    ("Sở Y tế tỉnh {p}", "5100100002", "phường Hà Giang 2"),
    ("Sở Tài chính tỉnh {p}", "5100100003", "phường Hà Giang 1"),
    ("Sở Nông nghiệp và Môi trường tỉnh {p}", "5100100004", "phường Hà Giang 2"),
    ("UBND xã Vị Xuyên", "5100100011", "xã Vị Xuyên"),
    ("UBND xã Bắc Quang", "5100100012", "xã Bắc Quang"),
    ("UBND xã Yên Minh", "5100100013", "xã Yên Minh"),
    ("UBND xã Đồng Văn", "5100100014", "xã Đồng Văn"),
    ("UBND phường Hà Giang 1", "5100100015", "phường Hà Giang 1"),
    ("Bệnh viện Đa khoa tỉnh {p}", "5100100021", "phường Hà Giang 1"),
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Nông", "Lục", "Vương", "Hà",
            "Triệu", "Lý", "Đinh", "Lò", "Sùng", "Giàng"]
MIDDLE = {True: ["Thị", "Thu", "Ngọc", "Minh", "Hồng", "Thúy"], False: ["Văn", "Đức", "Minh", "Quang", "Hữu", "Mạnh"]}
GIVEN = {True: ["Anh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Thảo",
                "Trang", "Vân", "Yến"],
         False: ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Long", "Nam", "Phong", "Sơn",
                 "Thắng", "Tuấn", "Vinh"]}
SUBJECTS = {
    "SNV.HG.CCVC.01": "Đề nghị thuyên chuyển công tác ra ngoài tỉnh",
    "SNV.HG.CCVC.02": "Đề nghị chuyển xếp lương, chuyển loại công chức cấp xã",
    "SNV.HG.CCVC.03": "Đề nghị chuyển mã ngạch",
    "SNV.HG.CCVC.04": "Đề nghị bổ nhiệm ngạch",
    "SNV.HG.CCVC.05": "Đề nghị hưởng chính sách thu hút nguồn nhân lực",
}


@dataclass
class _People:
    """Who does what in the province's agencies, by agency, role and place; ``home`` is the agency whose demo
    logins get the bigger share of the work."""

    home: int
    desks: dict[int, list[Staff]] = field(default_factory=dict)
    leaders: dict[int, list[Staff]] = field(default_factory=dict)
    by_place: dict[tuple[int, str, int | None, int | None], list[Staff]] = field(default_factory=dict)
    # (agency, division kind) → (division, unit): where a step naming that kind is, in that agency.
    places: dict[tuple[int, str], tuple[int | None, int | None]] = field(default_factory=dict)

    @property
    def desk(self) -> list[Staff]:
        return self.desks.get(self.home, [])

    @property
    def agency_leaders(self) -> list[Staff]:
        return self.leaders.get(self.home, [])

    def at(self, agency_id: int, role: str, division_id: int | None, unit_id: int | None) -> list[Staff]:
        return self.by_place.get((agency_id, role, division_id, unit_id), [])


def _people(agency: Agency) -> _People:
    posts = (Assignment.objects.current().filter(staff__is_active=True)
             .select_related("staff__user").prefetch_related("staff__user__groups"))
    people = _People(home=agency.pk)
    for post in posts:
        for group in post.staff.user.groups.all():
            people.by_place.setdefault((post.agency_id, group.name, post.division_id, post.unit_id), []).append(
                post.staff)
            if group.name == Role.DESK_OFFICER:
                people.desks.setdefault(post.agency_id, []).append(post.staff)
            if group.name == Role.AGENCY_LEADER:
                people.leaders.setdefault(post.agency_id, []).append(post.staff)
    for division in Division.objects.filter(is_active=True).order_by("pk"):
        people.places.setdefault((division.agency_id, division.kind), (division.pk, None))
        if division.is_one_stop_desk:
            people.places[(division.agency_id, DESK)] = (division.pk, None)
    for unit in Unit.objects.filter(is_active=True).order_by("pk"):
        people.places.setdefault((unit.agency_id, unit.code), (None, unit.pk))
    # The demo logins get the bigger share of the work, so that their pages have something to show.
    for staff in (*people.desks.values(), *people.leaders.values()):
        staff.sort(key=lambda s: s.user.username not in {"desk", "leader", "commune_desk", "centre_desk"})
    return people


DESK = Role.DESK_OFFICER
# The demo logins, who get the bigger share of the work at their agency.
FAVOURITES = {Role.DESK_OFFICER: ("desk", "commune_desk", "centre_desk"), Role.AGENCY_LEADER: ("leader",),
              Role.DIVISION_LEADER: ("division_leader",), Role.SPECIALIST: ("specialist",)}


class _Walker:
    """Moves one dossier through its process at chosen instants, through the services: each step by the staff of
    the agency that performs it (the receiving desk, the resolving agency, a liên thông partner, the delivery
    desk), in the division its step names."""

    def __init__(self, rng: random.Random, people: _People, cal: workdays.Calendar, limit: dt.datetime) -> None:
        self.rng, self.people, self.cal, self.limit = rng, people, cal, limit

    def pick(self, staff: list[Staff], favourite: str | None = None, share: float = 0.5) -> Staff:
        if favourite:
            chosen = [s for s in staff if s.user.username == favourite]
            if chosen and self.rng.random() < share:
                return chosen[0]
        return self.rng.choice(staff)

    def pick_for(self, role: str, staff: list[Staff], share: float) -> Staff:
        """One of ``staff``, the demo login among them (if any) with the probability ``share``."""
        names = {s.user.username for s in staff}
        return self.pick(staff, next((n for n in FAVOURITES.get(role, ()) if n in names), None), share)

    def later(self, start: dt.datetime, share_hours: float, low: float = 0.15, high: float = 0.8) -> dt.datetime:
        minutes = max(5, round(share_hours * 60 * self.rng.uniform(low, high)))
        return workdays.add_working_time(start, workdays.WorkingTime(minutes), self.cal)

    def act(self, when: dt.datetime, fn: Callable[..., Dossier], actor: Staff, dossier: Dossier, **kwargs) -> Dossier:
        with clock.at(when):
            return fn(actor=actor, code=dossier.code, version=dossier.version, **kwargs)

    def desk(self, agency_id: int, share: float = 0.5) -> Staff:
        return self.pick_for(DESK, self.people.desks[agency_id], share)

    def place(self, row, dossier: Dossier) -> tuple[int, int | None, int | None]:
        """The agency, division and unit where the process step ``row`` is done for ``dossier``: the first desk
        step at the receiving point, the final one at the delivery point, a partner's step at the partner, the
        others at the resolving agency, in its division (or unit) of the kind the step names."""
        if row.role == DESK and row.other_agency_id is None:
            agency = dossier.receiving_agency_id if row.order <= 1 else dossier.delivery_agency_id
            return agency, *self.people.places.get((agency, DESK), (None, None))
        agency = row.other_agency_id or dossier.agency_id
        if not row.division_kind:
            return agency, None, None
        return agency, *self.people.places.get((agency, row.division_kind), (None, None))

    def holder(self, row, dossier: Dossier) -> Staff:
        agency, division, unit = self.place(row, dossier)
        if row.role == DESK:
            return self.pick_for(DESK, self.people.desks[agency], 0.6)
        if row.role == Role.AGENCY_LEADER and division is None and unit is None:
            return self.pick_for(Role.AGENCY_LEADER, self.people.leaders[agency], 0.5)
        if (dossier.current_assignee is not None and dossier.current_role == row.role
                and dossier.current_agency_id in (None, agency)):
            return dossier.current_assignee
        return self.pick_for(row.role, self.people.at(agency, row.role, division, unit), 0.45)

    def walk(self, dossier: Dossier, start: dt.datetime, *, stop_before: int | None = None,
             supplement: bool = False, result_no: int = 1, until: dt.datetime | None = None,
             collect: bool = True, spread: bool = False, result: services.Result | None = None) -> Dossier:
        """From the desk step to the return of the result, each step within its share; stop before step
        index ``stop_before``, once the result is ready (``collect`` False), or when the next action would
        be after ``until``. ``spread``: the steps before the stop share the time until now in proportion to
        their shares, so that an open dossier reached its current step lately, as in a real queue. ``result``:
        the result signed at the decision (default: decision number ``result_no`` of the signing agency)."""
        rows = list(dossier.procedure_version.steps.select_related("other_agency").order_by("order", "pk"))
        last = len(rows) - 1
        return_index = last if last > 0 and rows[last].role == DESK and rows[last].other_agency_id is None else None
        decision_index = return_index - 1 if return_index is not None else last

        def off_system(i: int) -> bool:  # a step at an agency outside the deployment: transfer and receive back
            return rows[i].other_agency_id is not None and not rows[i].other_agency.on_system

        until = min(until or self.limit, self.limit)
        t = start
        index = 0
        asked = False
        scale = None
        if spread and stop_before and stop_before < len(rows):
            # The steps before the stop share the time until a moment shortly before now, leaving the current
            # step a fraction of its own share so far: an open queue where few steps are overdue.
            before = sum(r.hours for r in rows[:stop_before]) * 60
            waiting = rows[stop_before].hours * 60 * self.rng.uniform(0.1, 0.6)
            available = workdays.working_time_between(start, until, self.cal).minutes - waiting
            scale = max(0.02, min(1.0, available / before)) if before else None
        while True:
            if stop_before is not None and index >= stop_before:
                return dossier
            row = rows[index]
            if scale is not None:
                t_next = workdays.add_working_time(
                    t, workdays.WorkingTime(max(5, round(row.hours * 60 * scale * self.rng.uniform(0.9, 1.0)))),
                    self.cal)
            else:
                t_next = self.later(t, min(row.hours, 2), 0.1, 0.9) if index == 0 else self.later(t, row.hours)
            if t_next > until:
                return dossier
            if supplement and not asked and row.role == Role.SPECIALIST:
                asked = True
                ask = self.later(t, 8, 0.2, 0.9)
                if ask > until:
                    return dossier
                who = self.holder(row, dossier)
                dossier = self.act(ask, services.request_supplement, who, dossier,
                                   reason="Hồ sơ chưa đủ căn cứ xem xét theo quy định.",
                                   items=[services.MissingItem("Bản sao quyết định nâng bậc lương gần nhất",
                                                               "Bản đã nộp không rõ số, ngày ký")])
                back = self.later(ask, 8 * self.rng.randint(1, 4), 0.3, 1.0)
                if back > until:
                    return dossier
                dossier = self.act(back, services.provide_supplement,
                                   self.pick(self.people.desks[dossier.receiving_agency_id]), dossier,
                                   note="Người nộp đã bổ sung bản sao có chứng thực.")
                t = back
                continue
            if index == decision_index:
                signer = row.other_agency or dossier.agency
                signed = result or services.Result(number=f"{result_no}/QĐ-{signer.short_name}",
                                                   summary=dossier.subject)
                if off_system(index):
                    dossier = self.act(t_next, services.receive_back, self.desk(dossier.agency_id), dossier,
                                       note=f"{signer.short_name} đã ký quyết định.",
                                       result=services.Result(number=signed.number, summary=signed.summary,
                                                              signer=f"Chủ tịch {signer.name}"))
                else:
                    dossier = self.act(t_next, services.approve, self.holder(row, dossier), dossier, result=signed)
                t = t_next
                break
            nxt = rows[index + 1]
            if off_system(index):
                dossier = self.act(t_next, services.receive_back, self.desk(dossier.agency_id), dossier,
                                   note=f"{row.other_agency.short_name} đã có ý kiến.")
            elif off_system(index + 1):
                dossier = self.act(t_next, services.transfer_to_agency, self.holder(row, dossier), dossier,
                                   note=f"Trình {nxt.other_agency.name}.")
            else:
                who = self.holder(row, dossier)
                assignee = None
                if nxt.role == Role.SPECIALIST:
                    assignee = self.holder(nxt, dossier)
                dossier = self.act(t_next, services.forward, who, dossier,
                                   assignee_id=assignee.pk if assignee else None,
                                   note=self.rng.choice(["", "", "Đề nghị xem xét.", "Hồ sơ đủ điều kiện."]))
            t = t_next
            index += 1
        if return_index is None:
            return dossier
        ready = self.later(t, rows[return_index].hours, 0.2, 0.9)
        if ready > until:
            return dossier
        dossier = self.act(ready, services.mark_ready, self.desk(dossier.delivery_agency_id), dossier)
        collected = workdays.add_working_time(ready, workdays.WorkingTime(self.rng.randint(30, 8 * 60 * 3)), self.cal)
        if not collect or collected > until:
            return dossier
        method = self.rng.choices(["desk", "post", "online"], [80, 15, 5])[0]
        return self.act(collected, services.return_result, self.desk(dossier.delivery_agency_id), dossier,
                        returned_to=dossier.applicant_name, method=method)


def _applicant(rng: random.Random, birth_year_range: tuple[int, int] = (1965, 2000)) -> Applicant:
    female = rng.random() < 0.5
    name = " ".join([rng.choice(SURNAMES), rng.choice(MIDDLE[female]), rng.choice(GIVEN[female])])
    born = dt.date(rng.randint(*birth_year_range), rng.randint(1, 12), rng.randint(1, 28))
    century = (born.year - 1900) // 100 * 2 + (1 if female else 0)
    id_number = f"002{century}{born.year % 100:02d}{rng.randint(0, 999999):06d}"  # 002: Hà Giang
    phone = "0" + rng.choice(["912", "913", "983", "986", "397", "355", "868"]) + f"{rng.randint(0, 999999):06d}"
    return Applicant(type="individual", name=name, id_number=id_number, birth_date=born,
                     address=f"Tổ {rng.randint(1, 20)}, {rng.choice(PLACES)}, tỉnh {settings.PROVINCE_NAME}",
                     phone=phone,
                     email="")


def _organisation(rng: random.Random) -> tuple[Applicant, str]:
    """An employer asking for one of its people, and that person's name for the request."""
    name, tax_code, address = rng.choice(EMPLOYERS)
    head, person = _applicant(rng), _applicant(rng)
    province = settings.PROVINCE_NAME
    return (Applicant(type="organisation", name=name.format(p=province), tax_code=tax_code,
                      representative=head.name, address=f"{address}, tỉnh {province}", phone=head.phone), person.name)


def _applicant_for(procedure: Procedure, rng: random.Random) -> tuple[Applicant, str]:
    """Who asks (a person, or the employer on a person's behalf) and for whom."""
    if procedure.for_organisations and (not procedure.for_individuals or rng.random() < 0.3):
        return _organisation(rng)
    person = _applicant(rng)
    return person, ""


def _intake(version: ProcedureVersion, applicant: Applicant, channel: str, subject: str) -> services.Intake:
    ticks = tuple(services.ComponentTick(d.pk, provided=True) for d in version.documents.all() if d.mandatory)
    return services.Intake(procedure_code=version.procedure.code, applicant=applicant, channel=channel,
                           components=ticks, subject=subject)


def _working_instants(cal: workdays.Calendar, first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if cal.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _receive(walker: _Walker, version: ProcedureVersion, at: dt.datetime, rng: random.Random,
             channel: str) -> Dossier:
    applicant, for_whom = _applicant_for(version.procedure, rng)
    subject = SUBJECTS.get(version.procedure.code, version.procedure.name)
    intake = _intake(version, applicant, channel, f"{subject} cho {for_whom}" if for_whom else subject)
    desk = walker.pick(walker.people.desk, "desk", 0.6)
    with clock.at(at):
        if channel == "online":
            dossier = services.submit_online(actor=desk, intake=intake)
        else:
            return services.receive_at_desk(actor=desk, intake=intake)
    check = walker.later(at, 4, 0.1, 0.9)
    return walker.act(check, services.receive, desk, dossier)


def _open_time(day: dt.date, rng: random.Random, zone) -> dt.datetime:
    minutes = rng.randint(7 * 60 + 35, 16 * 60 + 30)
    if 11 * 60 + 30 <= minutes < 13 * 60 + 30:
        minutes += 120
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=zone)


def load(agency: Agency, *, today: dt.date | None = None, seed: int = 736) -> int:
    """Add the demo dossiers when the agency has none; the number added."""
    if Dossier.objects.filter(agency=agency).exists():
        return 0
    today = today or timezone.localdate()
    cal = core_calendars.load_calendar(agency.calendar_id)
    rng = random.Random(seed)
    people = _people(agency)
    now = clock.now()
    walker = _Walker(rng, people, cal, limit=now - dt.timedelta(minutes=5))
    zone = cal.zone
    month_start = seed_end(cal, today)
    first = (month_start - dt.timedelta(days=1)).replace(day=1)
    for _ in range(5):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    # Received early enough in the six months that each is resolved and returned before the month ends.
    days = _working_instants(cal, first, month_start - dt.timedelta(days=1))
    versions = {p.code: p.current_version() for p in Procedure.objects.filter(code__in=[c for c, _ in SEED_GROUPS])}
    jobs = [code for code, n in SEED_GROUPS for _ in range(n)]
    rng.shuffle(jobs)
    jobs_by_day = sorted((days[int(i * len(days) / len(jobs))], code) for i, code in enumerate(jobs))
    # Received early enough to be resolved and returned before the month ends; in time order, so that
    # codes and log numbers run in the order of receipt.
    receipts = []
    for day, code in jobs_by_day:
        limit_days = versions[code].time_limit_hours // 8
        latest = days[-1] - dt.timedelta(days=limit_days * 7 // 5 + 3)
        day = min(day, latest) if latest >= days[0] else day
        while not cal.is_working_day(day):
            day -= dt.timedelta(days=1)
        receipts.append((_open_time(day, rng, zone), code))
    receipts.sort()
    made = 0
    for number, (received, code) in enumerate(receipts, start=1):
        version = versions[code]
        channel = rng.choices(["desk", "post", "online"], [78, 10, 12])[0]
        dossier = _receive(walker, version, received, rng, channel)
        walker.walk(dossier, dossier.received_at, supplement=rng.random() < 0.05, result_no=number,
                    until=dt.datetime.combine(month_start, dt.time(0), tzinfo=zone))
        made += 1
    made += _current_month(walker, rng, cal, month_start, today)
    return made


# How far back, in working days, the open work of the demo reaches (its oldest receipt; ~15 measured).
OPEN_WORK_REACH = 18


def seed_end(cal: workdays.Calendar, today: dt.date) -> dt.date:
    """The day after the seed's six months: the 1st of this month once this month is old enough to hold the
    open work, else the 1st of the previous month — so that no open dossier is ever received inside the seed's
    months, which hold exactly the article's 736."""
    start = today.replace(day=1)
    elapsed = sum(1 for n in range((today - start).days) if cal.is_working_day(start + dt.timedelta(days=n)))
    return start if elapsed >= OPEN_WORK_REACH else (start - dt.timedelta(days=1)).replace(day=1)


def _working_days_before(cal: workdays.Calendar, instant: dt.datetime, n: int) -> dt.datetime:
    """The same time of day ``n`` working days before ``instant``."""
    day = instant.astimezone(cal.zone).date()
    while n:
        day -= dt.timedelta(days=1)
        if cal.is_working_day(day):
            n -= 1
    return dt.datetime.combine(day, instant.astimezone(cal.zone).timetz())


def _just_received(cal: workdays.Calendar, now: dt.datetime, rng: random.Random) -> dt.datetime:
    """Minutes ago when the office is open, else late on the last working day (after the 15:00 cut-off, so
    forwarding is still due on the next working day)."""
    if workdays.is_working_instant(now, cal):
        return now - dt.timedelta(minutes=rng.randint(5, 40))
    day = now.astimezone(cal.zone).date()
    while not cal.is_working_day(day) or dt.datetime.combine(day, dt.time(15, 5), tzinfo=cal.zone) >= now:
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(15, rng.randint(5, 55)), tzinfo=cal.zone)


def _working_before(cal: workdays.Calendar, instant: dt.datetime, minutes: int) -> dt.datetime:
    """The latest moment from which ``minutes`` of working time have passed by ``instant`` (bisection on the
    monotonic working-time measure)."""
    low, high = instant - dt.timedelta(days=60), instant
    for _ in range(40):
        middle = low + (high - low) / 2
        if workdays.working_time_between(middle, instant, cal).minutes >= minutes:
            low = middle
        else:
            high = middle
    return low.replace(microsecond=0)


def _received_for(cal: workdays.Calendar, version: ProcedureVersion, due: dt.datetime, rng: random.Random,
                  now: dt.datetime) -> dt.datetime:
    """A receipt time during office hours whose appointment falls on or just before ``due``."""
    limit = workdays.WorkingTime.hours(version.time_limit_hours)
    day = due.astimezone(cal.zone).date()
    for _ in range(120):
        day -= dt.timedelta(days=1)
        if not cal.is_working_day(day):
            continue
        received = _open_time(day, rng, cal.zone)
        if received < now and workdays.add_working_time(received, limit, cal) <= due:
            return received
    raise AssertionError("no receipt time found for the demo")


# Open dossiers of the current month: (stage, where it waits: the step index to stop before, or None,
# its appointment in working days from now; negative: overdue).
OPEN_PLAN = [
    ("desk", 0, 9), ("desk", 0, 6),
    ("division", 1, 8), ("division", 1, 6), ("division", 1, 5),
    ("specialist", 2, 9), ("specialist", 2, 7), ("specialist", 2, 5), ("specialist", 2, 4), ("specialist", 2, 3),
    ("due soon", 2, 1), ("due soon", 2, 1), ("due soon", 2, 2),
    ("review", 3, 3), ("review", 3, 2),
    ("leader", 4, 2), ("leader", 4, 3),
    ("ready", None, 1), ("ready", None, 2),
    ("overdue", 2, -1), ("overdue", 2, -2), ("overdue", 3, -4),
]


def _current_month(walker: _Walker, rng: random.Random, cal: workdays.Calendar, month_start: dt.date,
                   today: dt.date) -> int:
    """Open dossiers at every stage, as things stand now, with their appointments spread around today."""
    now = walker.limit
    versions = [Procedure.objects.get(code=c).current_version() for c in OPEN_PROCEDURES if c != "SNV.HG.CCVC.05"]
    # Received in time order, so that codes and log numbers run in the order of receipt, as at a real desk.
    planned = []
    for i, (stage, stop, offset) in enumerate(OPEN_PLAN):
        version = versions[i % len(versions)]
        if stage == "desk":  # just received, not forwarded yet: within the desk's own deadline
            received = _just_received(cal, now, rng)
        elif stage in {"division", "review", "leader"}:  # as old as the steps behind it, in step
            rows = services.process_steps(version)
            age = (sum(r.hours for r in rows[:stop]) * 60 * rng.uniform(0.3, 0.8)
                   + rows[stop].hours * 60 * rng.uniform(0.05, 0.5))
            received = _working_before(cal, now, round(age))
        else:
            due = (workdays.add_working_days(now, offset, cal) if offset > 0
                   else _working_days_before(cal, now, -offset))
            received = _received_for(cal, version, due, rng, now)
            if received.astimezone(cal.zone).date() < month_start:
                # The open work is received after the seed's months, which hold exactly the article's dossiers:
                # the procedure with the shortest limit, and no earlier than the first working day after them.
                version = min(versions, key=lambda v: v.time_limit_hours)
                first = _open_time(next(day for day in (month_start + dt.timedelta(days=n) for n in range(10))
                                        if cal.is_working_day(day)), rng, cal.zone)
                received = max(_received_for(cal, version, due, rng, now), min(first, now))
        planned.append((received, i, stage, stop, version))
    made = 0
    for received, i, stage, stop, version in sorted(planned, key=lambda p: (p[0], p[1])):
        dossier = _receive(walker, version, received, rng, rng.choices(["desk", "post", "online"], [80, 8, 12])[0])
        walker.walk(dossier, dossier.received_at, stop_before=stop, result_no=900 + i, collect=stage != "ready",
                    spread=stage not in {"ready", "overdue"})
        made += 1
    # An inter-agency dossier waiting at the UBND tỉnh, one waiting for a supplement, one online submission.
    liaison = Procedure.objects.get(code="SNV.HG.CCVC.05").current_version()
    dossier = _receive(walker, liaison, _received_for(cal, liaison, workdays.add_working_days(now, 6, cal), rng, now),
                       rng, "desk")
    walker.walk(dossier, dossier.received_at, stop_before=4)
    version = versions[3]
    dossier = _receive(walker, version, _received_for(cal, version, workdays.add_working_days(now, 4, cal), rng, now),
                       rng, "desk")
    dossier = walker.walk(dossier, dossier.received_at, stop_before=2)
    if dossier.current_step is not None and dossier.current_step.order == 3:
        asked = walker.later(dossier.current_step.started_at, 4, 0.2, 0.6)
        walker.act(min(asked, now), services.request_supplement, walker.holder(dossier.current_step.process_step,
                                                                                 dossier), dossier,
                   reason="Thiếu văn bản xác nhận thời gian công tác.",
                   items=[services.MissingItem("Văn bản xác nhận thời gian công tác của cơ quan quản lý",
                                               "Chưa có trong hồ sơ")])
    with clock.at(_working_days_before(cal, now, 0) - dt.timedelta(minutes=30)):
        applicant, _ = _applicant_for(versions[0].procedure, rng)
        services.submit_online(actor=walker.people.desk[0], intake=_intake(
            versions[0], applicant, "online", SUBJECTS[versions[0].procedure.code]))
    return made + 3
