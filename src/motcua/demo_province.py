"""The demo's province after the 2025 reform: two tiers (the province and its communes and wards, no districts),
around the seed's Sở Nội vụ and the UBND tỉnh that ``demo`` builds.

- Three more departments (Sở Tư pháp, Sở Tài chính, Sở Y tế), each with its one-stop desk (Văn phòng Sở),
  three divisions whose kinds the procedures' steps name, and staff in every role.
- The public administration service centre (Trung tâm Phục vụ hành chính công tỉnh: receives and returns, resolves
  nothing) with its desk, its director and desk officers, and two branches, each serving a group of communes.
- 24 communes and wards with 2025 names, each with its own one-stop desk (its Trung tâm Phục vụ hành chính công),
  a desk officer, civil servants in the Văn phòng HĐND và UBND, the Phòng Kinh tế and the Phòng Văn hóa – Xã hội,
  and its chairman and deputy (the commune's leaders).
- Two province-level logins at the UBND tỉnh: a vice-chairman who reads the whole province, and an auditor.
- The catalogue of the province (``catalog/data/demo_province_catalog.json``): commune-level procedures led by the
  UBND tỉnh and resolved by every commune, the new departments' procedures, and one whose process has a liên
  thông step at another department of the province.
- Dossiers walked through the real one-stop services: received at a commune's desk for the Sở Nội vụ, at the
  centre for a commune, at a branch for a commune, a liên thông between the Sở Tài chính and the Sở Y tế, each
  taken to the return of its result at its delivery point; and open ones in the new agencies' queues.

Illustrative: names are generated, identifiers are examples in the QCVN 102:2016 form (``000.00.31.H22``), the
same the demo's correspondence gives the communes and departments. The province's name is the setting
``PROVINCE_NAME``; the communes keep their Hà Giang names whatever it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core import calendars as core_calendars
from motcua.core import clock
from motcua.core.codes import is_agency_identifier
from motcua.core.text import fold
from motcua.demo import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    SNV_IDENTIFIER,
    UBND_IDENTIFIER,
    _Names,
    _positions,
    mail_domain,
)
from motcua.demo_dossiers import (
    GIVEN,
    MIDDLE,
    SURNAMES,
    _intake,
    _just_received,
    _open_time,
    _people,
    _Walker,
    _working_days_before,
    seed_end,
)
from motcua.dossiers import services
from motcua.dossiers.applicants import Applicant
from motcua.dossiers.models import Dossier
from motcua.org import services as org_services
from motcua.org.models import Agency, Division, Position, Staff
from motcua.org.roles import Role

CATALOG_FILE = Path(__file__).parent / "catalog" / "data" / "demo_province_catalog.json"

STP_IDENTIFIER = "000.00.14.H22"
STC_IDENTIFIER = "000.00.06.H22"
SYT_IDENTIFIER = "000.00.17.H22"
CENTRE_IDENTIFIER = "000.00.25.H22"
DESK_COMMUNE = "xã Đồng Văn"  # where the ``commune_desk`` login works


@dataclass(frozen=True)
class Department:
    identifier: str
    name: str  # without "tỉnh …"
    short_name: str
    slug: str  # its part of logins and mail addresses
    divisions: tuple[tuple[str, str], ...]  # code (= the kind the procedures name), name; the desk comes first


DEPARTMENTS = (
    Department(STP_IDENTIFIER, "Sở Tư pháp", "STP", "stp", (
        ("HCTP", "Phòng Hành chính tư pháp"), ("BTTP", "Phòng Bổ trợ tư pháp"),
        ("XDKT", "Phòng Xây dựng và kiểm tra văn bản quy phạm pháp luật"))),
    Department(STC_IDENTIFIER, "Sở Tài chính", "STC", "stc", (
        ("DKKD", "Phòng Đăng ký kinh doanh"), ("QLGCS", "Phòng Quản lý giá và công sản"),
        ("QLNS", "Phòng Quản lý ngân sách"))),
    Department(SYT_IDENTIFIER, "Sở Y tế", "SYT", "syt", (
        ("NVY", "Phòng Nghiệp vụ Y"), ("NVD", "Phòng Nghiệp vụ Dược"), ("BTXH", "Phòng Bảo trợ xã hội"))),
)

# Communes and wards (2025 names), numbered as the demo's correspondence numbers the first ten.
COMMUNES = (
    ("phường Hà Giang 1", "PHG1"), ("phường Hà Giang 2", "PHG2"), ("xã Vị Xuyên", "XVX"), ("xã Bắc Quang", "XBQ"),
    ("xã Yên Minh", "XYM"), ("xã Đồng Văn", "XĐV"), ("xã Mèo Vạc", "XMV"), ("xã Hoàng Su Phì", "XHSP"),
    ("xã Quản Bạ", "XQB"), ("xã Xín Mần", "XXM"), ("xã Ngọc Đường", "XNĐ"), ("xã Phú Linh", "XPL"),
    ("xã Tùng Bá", "XTB"), ("xã Thanh Thủy", "XTT"), ("xã Việt Lâm", "XVL"), ("xã Lũng Cú", "XLC"),
    ("xã Phó Bảng", "XPB"), ("xã Du Già", "XDG"), ("xã Cán Tỷ", "XCT"), ("xã Khâu Vai", "XKV"),
    ("xã Sơn Vĩ", "XSV"), ("xã Vĩnh Tuy", "XVT"), ("xã Minh Tân", "XMT"), ("xã Bạch Ngọc", "XBN"),
)


def commune_identifier(index: int) -> str:
    return f"000.00.{31 + index}.H22"


COMMUNE_IDENTIFIERS = {name: commune_identifier(i) for i, (name, _) in enumerate(COMMUNES)}

# identifier, area, short name, the communes it serves
BRANCHES = (
    ("000.01.25.H22", "Đồng Văn", "CNĐV", ("xã Đồng Văn", "xã Mèo Vạc", "xã Yên Minh", "xã Quản Bạ", "xã Lũng Cú",
                                          "xã Phó Bảng", "xã Du Già", "xã Cán Tỷ", "xã Khâu Vai", "xã Sơn Vĩ")),
    ("000.02.25.H22", "Bắc Quang", "CNBQ", ("xã Bắc Quang", "xã Vĩnh Tuy", "xã Việt Lâm", "xã Hoàng Su Phì",
                                           "xã Xín Mần")),
)

POSITIONS = [("truong_chi_nhanh", "Trưởng Chi nhánh", Position.Level.AGENCY, True, 1)]

# Posts by kind of agency: position, division code (None: the agency's leaders), role, demo login.
Post = tuple[str, str | None, Role, str | None]
DEPARTMENT_POSTS: list[Post] = [
    ("giam_doc", None, Role.AGENCY_LEADER, None), ("pho_giam_doc", None, Role.AGENCY_LEADER, None),
    ("chanh_van_phong", "VP", Role.DIVISION_LEADER, None), ("chuyen_vien", "VP", Role.DESK_OFFICER, None),
    ("chuyen_vien", "VP", Role.DESK_OFFICER, None), ("van_thu", "VP", Role.CLERK, None),
]
DIVISION_POSTS: list[tuple[str, Role]] = [("truong_phong", Role.DIVISION_LEADER), ("chuyen_vien", Role.SPECIALIST),
                                          ("chuyen_vien", Role.SPECIALIST)]
CENTRE_POSTS: list[Post] = [
    ("giam_doc", None, Role.AGENCY_LEADER, "centre_director"), ("pho_giam_doc", None, Role.AGENCY_LEADER, None),
    ("truong_phong", "TNTKQ", Role.DIVISION_LEADER, None), ("chuyen_vien", "TNTKQ", Role.DESK_OFFICER, "centre_desk"),
    *[("chuyen_vien", "TNTKQ", Role.DESK_OFFICER, None)] * 3, ("van_thu", "HCTH", Role.CLERK, None),
]
BRANCH_POSTS: list[Post] = [("truong_chi_nhanh", None, Role.AGENCY_LEADER, None),
                            *[("chuyen_vien", "TNTKQ", Role.DESK_OFFICER, None)] * 2]
COMMUNE_POSTS: list[Post] = [
    ("chu_tich", None, Role.AGENCY_LEADER, None), ("pho_chu_tich", None, Role.AGENCY_LEADER, None),
    ("chuyen_vien", "TTPVHCC", Role.DESK_OFFICER, None), ("chanh_van_phong", "VP", Role.DIVISION_LEADER, None),
    ("chuyen_vien", "VP", Role.SPECIALIST, None), ("chuyen_vien", "KT", Role.SPECIALIST, None),
    ("chuyen_vien", "VHXH", Role.SPECIALIST, None),
]
PROVINCE_POSTS: list[Post] = [("pho_chu_tich", None, Role.PROVINCE_LEADER, "province_leader"),
                              ("chuyen_vien", "VPUB", Role.PROVINCE_AUDITOR, "province_auditor")]


def _slug(name: str) -> str:
    """``xã Đồng Văn`` → ``dongvan``: the commune's part of its logins and mail addresses."""
    return "".join(fold(name).lower().split()[1:])


class _Hiring:
    """Staff of one agency through the org services: generated names, office-style logins prefixed with the
    agency's slug (``dongvan.hungnv``), the demo password only for the documented demo logins."""

    def __init__(self, agency: Agency, slug: str, positions: dict[str, Position], seed: int) -> None:
        self.agency, self.slug, self.positions = agency, slug, positions
        self.names, self.taken = _Names(seed=seed), set()
        self.divisions = {d.code: d for d in agency.divisions.all()}
        self.logins = {login.username for login in DEMO_LOGINS}

    def hire(self, position: str, division: str | None, role: Role, login: str | None = None) -> Staff:
        full_name = self.names.person()
        username = login or f"{self.slug}.{self.names.username(full_name, self.taken)}"
        local = login or username.split(".", 1)[1]
        return org_services.create_staff(
            actor=None, agency=self.agency, username=username, full_name=full_name,
            position=self.positions[position], start_date=dt.date(2025, 7, 1),
            division=self.divisions[division] if division else None, roles=(role,),
            email=f"{local}@{mail_domain(self.slug)}", password=DEMO_PASSWORD if login in self.logins else None,
            decision=f"Quyết định số {self.names.rng.randint(10, 480)}/QĐ-{self.agency.short_name}")

    def posts(self, posts: list[Post]) -> None:
        for position, division, role, login in posts:
            self.hire(position, division, role, login)


def _agency(identifier: str, name: str, short_name: str, kind: str, parent: Agency | None,
            divisions: list[tuple[str, str, bool]]) -> Agency:
    assert is_agency_identifier(identifier), identifier
    agency = Agency.objects.create(identifier=identifier, name=name, short_name=short_name, kind=kind,
                                   parent=parent, calendar=parent.calendar if parent else None)
    Division.objects.bulk_create(Division(agency=agency, code=code, kind=code, name=division_name,
                                          is_one_stop_desk=desk) for code, division_name, desk in divisions)
    return agency


def build() -> bool:
    """Add the rest of the province when it is missing (it needs the UBND tỉnh); True when something was added."""
    if Agency.objects.filter(identifier=CENTRE_IDENTIFIER).exists():
        return False
    province_name = settings.PROVINCE_NAME
    _positions()
    for code, name, level, single, rank in POSITIONS:
        Position.objects.get_or_create(code=code, defaults={"name": name, "level": level, "single_holder": single,
                                                            "rank": rank})
    positions = {p.code: p for p in Position.objects.all()}
    province = Agency.objects.get(identifier=UBND_IDENTIFIER)
    seed = 2025
    # The provincial leader and auditor who read the whole province.
    if not get_user_model().objects.filter(username="province_leader").exists():
        _Hiring(province, "ubnd", positions, seed).posts(PROVINCE_POSTS)
    for n, d in enumerate(DEPARTMENTS, start=1):
        agency = _agency(d.identifier, f"{d.name} tỉnh {province_name}", d.short_name, Agency.Kind.DEPARTMENT,
                         province, [("VP", "Văn phòng Sở", True), *[(c, name, False) for c, name in d.divisions]])
        hiring = _Hiring(agency, d.slug, positions, seed + n)
        hiring.posts(DEPARTMENT_POSTS)
        for code, _ in d.divisions:
            for position, role in DIVISION_POSTS:
                # The liên thông partner's division leader, who takes the partner's step of STC.HG.GIA.01.
                partner = d.identifier == SYT_IDENTIFIER and code == "NVY" and role == Role.DIVISION_LEADER
                hiring.hire(position, code, role, "partner_lead" if partner else None)
    centre_name = f"Trung tâm Phục vụ hành chính công tỉnh {province_name}"
    centre = _agency(CENTRE_IDENTIFIER, centre_name, "TTPVHCC", Agency.Kind.SERVICE_CENTRE, province,
                     [("TNTKQ", "Bộ phận Tiếp nhận và trả kết quả", True), ("HCTH", "Phòng Hành chính – Tổng hợp",
                                                                            False)])
    _Hiring(centre, "ttpvhcc", positions, seed + 10).posts(CENTRE_POSTS)
    # The centre's director follows the whole province's figures (the province dashboard), granted by the
    # administrator on top of the agency leader's role; no dossier of another agency is opened by it.
    director = Staff.objects.get(user__username="centre_director")
    director.user.user_permissions.add(Permission.objects.get(content_type__app_label="dossiers",
                                                              codename="view_province_reports"))
    communes = {}
    for i, (name, short_name) in enumerate(COMMUNES):
        ward = name.startswith("phường")
        agency = _agency(commune_identifier(i), f"Ủy ban nhân dân {name}", short_name, Agency.Kind.COMMUNE, province, [
            ("TTPVHCC", f"Trung tâm Phục vụ hành chính công {'phường' if ward else 'xã'}", True),
            ("VP", "Văn phòng HĐND và UBND", False),
            ("KT", "Phòng Kinh tế, Hạ tầng và Đô thị" if ward else "Phòng Kinh tế", False),
            ("VHXH", "Phòng Văn hóa – Xã hội", False)])
        hiring = _Hiring(agency, _slug(name), positions, seed + 100 + i)
        if name == DESK_COMMUNE:
            hiring.hire("chuyen_vien", "TTPVHCC", Role.DESK_OFFICER, "commune_desk")
        hiring.posts(COMMUNE_POSTS)
        communes[name] = agency
    for n, (identifier, area, short_name, served) in enumerate(BRANCHES, start=1):
        branch = _agency(identifier, f"Chi nhánh Trung tâm Phục vụ hành chính công tỉnh {province_name} khu vực {area}",
                         short_name, Agency.Kind.BRANCH, centre, [("TNTKQ", "Bộ phận Tiếp nhận và trả kết quả", True)])
        branch.served_communes.set([communes[name] for name in served])
        branch_hiring = _Hiring(branch, f"cn{_slug('x ' + area)}", positions, seed + 20 + n)
        if n == 1:
            branch_hiring.hire("chuyen_vien", "TNTKQ", Role.DESK_OFFICER, "branch_desk")
        branch_hiring.posts(BRANCH_POSTS)
    return True


@dataclass(frozen=True)
class Scenario:
    """One dossier of the province: where it is received (the desk of ``at``), what for, who resolves it and where
    its result is handed back (identifiers or commune names; "" = the services' default), the applicant's
    commune, when (working days ago; 0: just now), and how far it goes (``stop_before``: the index of the step it
    waits at; None: to the end, ``collect`` False: the result waits at the delivery desk)."""

    at: str
    procedure: str
    resolving: str
    delivery: str
    commune: str
    days_ago: int
    subject: str
    result: str = ""
    stop_before: int | None = None
    collect: bool = True
    organisation: str = ""


CENTRE, BRANCH_DV, BRANCH_BQ = CENTRE_IDENTIFIER, BRANCHES[0][0], BRANCHES[1][0]
SCENARIOS = (
    # Taken to the end: received at a commune for the Sở Nội vụ, returned at that commune's desk.
    Scenario(DESK_COMMUNE, "SNV.HG.VTLT.02", SNV_IDENTIFIER, "", DESK_COMMUNE, 14,
             "Đề nghị cấp bản sao có chứng thực quyết định giao đất năm 1998 (lưu trữ lịch sử)",
             result="BS-{n}/CCVTLT"),
    # Received at the service centre for a commune; the applicant collects the result at home, at the commune.
    Scenario(CENTRE, "XA.HG.HT.01", DESK_COMMUNE, DESK_COMMUNE, DESK_COMMUNE, 9, "Đăng ký khai sinh cho con",
             result="{n}/2026-KS"),
    # Received at a branch for a commune it serves, returned at the branch.
    Scenario(BRANCH_DV, "XA.HG.CT.01", "xã Mèo Vạc", "", "xã Mèo Vạc", 6,
             "Chứng thực bản sao bằng tốt nghiệp và học bạ", result="{n}/2026-SCT/BS"),
    # Liên thông between two departments: the Sở Tài chính resolves, the Sở Y tế gives its opinion in its queue.
    Scenario(CENTRE, "STC.HG.GIA.01", STC_IDENTIFIER, "", "phường Hà Giang 1", 17,
             "Thẩm định phương án giá dịch vụ khám bệnh, chữa bệnh năm 2027", result="{n}/TĐ-STC",
             organisation="Bệnh viện Đa khoa tỉnh {p}"),
    # A commune's own dossier at its own desk.
    Scenario(DESK_COMMUNE, "XA.HG.HT.02", DESK_COMMUNE, "", DESK_COMMUNE, 5, "Đăng ký kết hôn",
             result="{n}/2026-KH"),
    # Open work in the new agencies' queues.
    Scenario(CENTRE, "STP.HG.LLTP.01", STP_IDENTIFIER, "", "xã Vị Xuyên", 0, "Yêu cầu cấp Phiếu lý lịch tư pháp số 1",
             stop_before=0),
    Scenario(CENTRE, "STP.HG.LLTP.01", STP_IDENTIFIER, "", "phường Hà Giang 2", 4,
             "Yêu cầu cấp Phiếu lý lịch tư pháp số 2", stop_before=2),
    Scenario(CENTRE, "XA.HG.HT.04", "phường Hà Giang 1", "", "phường Hà Giang 1", 3,
             "Xác nhận tình trạng hôn nhân để đăng ký kết hôn", result="{n}/2026-XNHN", collect=False),
    Scenario(CENTRE, "STC.HG.GIA.01", STC_IDENTIFIER, "", "phường Hà Giang 2", 6,
             "Thẩm định phương án giá dịch vụ kỹ thuật xét nghiệm", stop_before=4,
             organisation="Trung tâm Kiểm soát bệnh tật tỉnh {p}"),
    Scenario(DESK_COMMUNE, "XA.HG.HT.01", DESK_COMMUNE, "", DESK_COMMUNE, 0, "Đăng ký khai sinh cho con",
             stop_before=0),
    Scenario(DESK_COMMUNE, "XA.HG.KT.01", DESK_COMMUNE, "", DESK_COMMUNE, 1, "Đăng ký thành lập hộ kinh doanh",
             stop_before=1),
    Scenario(BRANCH_BQ, "SYT.HG.DUOC.01", SYT_IDENTIFIER, "", "xã Bắc Quang", 2, "Đề nghị cấp Chứng chỉ hành nghề dược",
             stop_before=1),
    Scenario(BRANCH_BQ, "XA.HG.HT.03", "xã Vĩnh Tuy", "", "xã Vĩnh Tuy", 0, "Đăng ký khai tử", stop_before=0),
)


def _identifier(place: str) -> str:
    return COMMUNE_IDENTIFIERS.get(place, place)


def _applicant(rng: random.Random, commune: str, organisation: str) -> Applicant:
    """A resident of ``commune`` (or, with ``organisation``, that body with a resident as its representative)."""
    province = settings.PROVINCE_NAME
    female = rng.random() < 0.5
    name = " ".join([rng.choice(SURNAMES), rng.choice(MIDDLE[female]), rng.choice(GIVEN[female])])
    born = dt.date(rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28))
    century = (born.year - 1900) // 100 * 2 + (1 if female else 0)
    address = f"{rng.choice(['Thôn', 'Tổ dân phố'])} {rng.randint(1, 12)}, {commune}, tỉnh {province}"
    phone = "0" + rng.choice(["912", "983", "397", "868"]) + f"{rng.randint(0, 999999):06d}"
    if organisation:
        return Applicant(type="organisation", name=organisation.format(p=province),
                         tax_code=f"51001{rng.randint(0, 99999):05d}", representative=name, address=address,
                         phone=phone)
    return Applicant(type="individual", name=name, id_number=f"002{century}{born.year % 100:02d}"
                     f"{rng.randint(0, 999999):06d}", birth_date=born, address=address, phone=phone)


def load_dossiers(*, today: dt.date | None = None) -> int:
    """The province's dossiers (``SCENARIOS``), once, through the one-stop services; the number added."""
    centre = Agency.objects.get(identifier=CENTRE_IDENTIFIER)
    if Dossier.objects.filter(receiving_agency=centre).exists():
        return 0
    today = today or timezone.localdate()
    cal = core_calendars.load_calendar(centre.calendar_id)
    rng = random.Random(2025)
    now = clock.now()
    walker = _Walker(rng, _people(centre), cal, limit=now - dt.timedelta(minutes=5))
    agencies = {a.identifier: a for a in Agency.objects.all()}
    # After the seed's six months, which hold exactly the article's dossiers of the Sở Nội vụ.
    first = seed_end(cal, today)
    while not cal.is_working_day(first):
        first += dt.timedelta(days=1)
    earliest = dt.datetime.combine(first, dt.time(7, 40), tzinfo=cal.zone)
    planned = []
    for i, scenario in enumerate(SCENARIOS):
        if scenario.days_ago:
            received = max(_open_time(_working_days_before(cal, now, scenario.days_ago).date(), rng, cal.zone),
                           earliest)
        else:
            received = _just_received(cal, now, rng)
        planned.append((min(received, now - dt.timedelta(minutes=10)), i, scenario))
    made = 0
    for received, i, scenario in sorted(planned, key=lambda p: (p[0], p[1])):  # codes in the order of receipt
        version = Procedure.objects.get(code=scenario.procedure).current_version()
        applicant = _applicant(rng, scenario.commune, scenario.organisation)
        intake = dataclasses.replace(
            _intake(version, applicant, "desk", scenario.subject),
            resolving_agency=_identifier(scenario.resolving), delivery_agency=_identifier(scenario.delivery),
            applicant_commune=_identifier(scenario.commune))
        desk = walker.desk(agencies[_identifier(scenario.at)].pk, 0.8)
        with clock.at(received):
            dossier = services.receive_at_desk(actor=desk, intake=intake)
        number = 100 + i
        result = services.Result(number=scenario.result.format(n=number), summary=scenario.subject) \
            if scenario.result else None
        walker.walk(dossier, dossier.received_at, stop_before=scenario.stop_before, result_no=number, result=result,
                    collect=scenario.collect, spread=scenario.stop_before is not None)
        made += 1
    return made

