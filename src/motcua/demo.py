"""Demo data: the seed's Sở Nội vụ tỉnh Hà Giang (6 divisions, 3 affiliated units, 85 staff), the
provincial People's Committee, the province's 2026 working calendar, one login per role, and the
department's 36 procedures (``catalog/data/demo_catalog.json``, illustrative: a real deployment imports
its official catalogue with ``motcua catalog import``); around them the rest of the province after the 2025
reform (``demo_province``: three more departments, the public administration service centre and its two
branches, 24 communes and wards, their procedures and dossiers that cross agencies). The province's name is
the setting ``PROVINCE_NAME`` (default Hà Giang).

Illustrative: names are generated, identifiers are examples. Loaded only by ``motcua demo``; each part
checks whether it is already there, so running it twice changes nothing. Later features add their parts.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from motcua import demo_documents, demo_dossiers, demo_portal
from motcua.catalog import services as catalog_services
from motcua.core.models import CalendarOverride, OfficeHoursPolicy, WorkCalendar
from motcua.core.text import fold
from motcua.notify import services as notify
from motcua.org import services as org_services
from motcua.org.models import Agency, Division, Position, Staff, Unit
from motcua.org.roles import Role

DEMO_PASSWORD = "motcua-demo"  # noqa: S105 - documented demo password, created only by `motcua demo`
SNV_IDENTIFIER = "000.00.12.H22"
UBND_IDENTIFIER = "000.00.00.H22"
CALENDAR_NAME = f"Lịch làm việc tỉnh {settings.PROVINCE_NAME}"
HISTORY_START = dt.date(2020, 1, 1)

POSITIONS = [
    # code, name, level, single holder, rank
    ("giam_doc", "Giám đốc", "agency", True, 1),
    ("pho_giam_doc", "Phó Giám đốc", "agency", False, 2),
    ("chu_tich", "Chủ tịch", "agency", True, 1),
    ("pho_chu_tich", "Phó Chủ tịch", "agency", False, 2),
    ("truong_phong", "Trưởng phòng", "division", True, 10),
    ("chanh_van_phong", "Chánh Văn phòng", "division", True, 10),
    ("chanh_thanh_tra", "Chánh Thanh tra", "division", True, 10),
    ("truong_don_vi", "Trưởng ban / Chi cục trưởng", "division", True, 10),
    ("pho_truong_phong", "Phó Trưởng phòng", "division", False, 11),
    ("pho_chanh_van_phong", "Phó Chánh Văn phòng", "division", False, 11),
    ("pho_chanh_thanh_tra", "Phó Chánh Thanh tra", "division", False, 11),
    ("pho_truong_don_vi", "Phó Trưởng ban / Phó Chi cục trưởng", "division", False, 11),
    ("phu_trach_phong", "Phụ trách phòng", "division", True, 12),
    ("thanh_tra_vien", "Thanh tra viên", "staff", False, 20),
    ("chuyen_vien", "Chuyên viên", "staff", False, 20),
    ("van_thu", "Văn thư", "staff", False, 30),
    ("ke_toan", "Kế toán", "staff", False, 30),
    ("nhan_vien", "Nhân viên", "staff", False, 40),
]

# code, name, one-stop desk, head post, deputy post, deputies, staff, staff post
DIVISIONS = [
    ("VP", "Văn phòng Sở", True, "chanh_van_phong", "pho_chanh_van_phong", 2, 11, "chuyen_vien"),
    ("TTRA", "Thanh tra Sở", False, "chanh_thanh_tra", "pho_chanh_thanh_tra", 1, 4, "thanh_tra_vien"),
    ("TCBC", "Phòng Tổ chức, biên chế và tổ chức phi chính phủ", False, "truong_phong", "pho_truong_phong", 2, 5,
     "chuyen_vien"),
    ("CCVC", "Phòng Công chức, viên chức", False, "truong_phong", "pho_truong_phong", 2, 7, "chuyen_vien"),
    ("XDCQ", "Phòng Xây dựng chính quyền và công tác thanh niên", False, "truong_phong", "pho_truong_phong", 1, 6,
     "chuyen_vien"),
    ("CCHC", "Phòng Cải cách hành chính", False, "truong_phong", "pho_truong_phong", 1, 5, "chuyen_vien"),
]
UNITS = [
    # code, name, deputies, people in all
    ("BTDKT", "Ban Thi đua – Khen thưởng", 2, 9),
    ("BTG", "Ban Tôn giáo", 2, 9),
    ("CCVTLT", "Chi cục Văn thư – Lưu trữ", 2, 10),
]

# The Government's 2026 schedule, as the reference gives it (legal-reference.md §5).
OVERRIDES_2026 = [
    ("2026-01-02", "holiday", "Nghỉ Tết Dương lịch (hoán đổi)", "Công văn 12729/VPCP-KGVX"),
    ("2026-01-10", "working_day", "Làm bù cho ngày 02/01/2026", "Công văn 12729/VPCP-KGVX"),
    *[(f"2026-02-{d:02d}", "holiday", "Nghỉ Tết Nguyên đán Bính Ngọ", "Thông báo lịch nghỉ Tết 2026")
      for d in range(14, 23)],
    ("2026-04-27", "holiday", "Nghỉ bù Giỗ Tổ Hùng Vương (26/4 là Chủ nhật)", "Bộ luật Lao động 2019, Điều 111.3"),
    ("2026-08-22", "working_day", "Làm bù cho ngày 31/8/2026", "Thông báo lịch nghỉ Quốc khánh 2026"),
    *[(f"2026-{m}", "holiday", "Nghỉ lễ Quốc khánh", "Thông báo lịch nghỉ Quốc khánh 2026")
      for m in ("08-29", "08-30", "08-31", "09-01", "09-02")],
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Nông", "Lục",
            "Vương", "Hà", "Triệu", "Lý", "Đinh", "Phan", "Lò"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Mạnh", "Tiến", "Công"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Thúy", "Phương", "Kim", "Diệu"]
GIVEN_M = ["Anh", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Long", "Nam", "Phong", "Quân",
           "Sơn", "Thắng", "Toàn", "Trung", "Tuấn", "Việt", "Vinh"]
GIVEN_F = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngân",
           "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang", "Vân", "Yến"]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    description: str


DEMO_LOGINS = [
    DemoLogin("admin", Role.ADMINISTRATOR, "Quản trị hệ thống — Văn phòng Sở"),
    DemoLogin("desk", Role.DESK_OFFICER, "Cán bộ một cửa — Văn phòng Sở"),
    DemoLogin("specialist", Role.SPECIALIST, "Chuyên viên — Phòng Công chức, viên chức"),
    DemoLogin("division_leader", Role.DIVISION_LEADER, "Trưởng phòng Công chức, viên chức"),
    DemoLogin("leader", Role.AGENCY_LEADER, "Giám đốc Sở"),
    DemoLogin("clerk", Role.CLERK, "Văn thư — Văn phòng Sở"),
    DemoLogin("auditor", Role.AUDITOR, "Thanh tra viên — Thanh tra Sở (chỉ xem)"),
    # The province around the seed's department (demo_province).
    DemoLogin("commune_desk", Role.DESK_OFFICER, "Cán bộ một cửa — UBND xã Đồng Văn"),
    DemoLogin("centre_desk", Role.DESK_OFFICER, "Cán bộ một cửa — Trung tâm Phục vụ hành chính công tỉnh"),
    DemoLogin("centre_director", Role.AGENCY_LEADER, "Giám đốc Trung tâm Phục vụ hành chính công tỉnh (xem số liệu "
              "toàn tỉnh)"),
    DemoLogin("branch_desk", Role.DESK_OFFICER, "Cán bộ một cửa — Chi nhánh Trung tâm Phục vụ hành chính công khu "
              "vực Đồng Văn"),
    DemoLogin("partner_lead", Role.DIVISION_LEADER, "Trưởng phòng Nghiệp vụ Y — Sở Y tế (bước liên thông của Sở Tài "
              "chính)"),
    DemoLogin("province_leader", Role.PROVINCE_LEADER, "Phó Chủ tịch UBND tỉnh (xem toàn tỉnh)"),
    DemoLogin("province_auditor", Role.PROVINCE_AUDITOR,
              "Kiểm tra, giám sát toàn tỉnh — Văn phòng UBND tỉnh (chỉ xem)"),
]


class _Names:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def person(self) -> str:
        female = self.rng.random() < 0.5
        while True:
            name = " ".join([self.rng.choice(SURNAMES), self.rng.choice(MIDDLE_F if female else MIDDLE_M),
                             self.rng.choice(GIVEN_F if female else GIVEN_M)])
            if name not in self.used:
                self.used.add(name)
                return name

    @staticmethod
    def username(full_name: str, taken: set[str]) -> str:
        """Vietnamese office style: given name + initials of the rest, e.g. Nguyễn Văn Hùng → hungnv."""
        parts = fold(full_name).lower().split()
        base = parts[-1] + "".join(p[0] for p in parts[:-1])
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}{n}"
        taken.add(candidate)
        return candidate


def _calendar() -> WorkCalendar:
    calendar, _ = WorkCalendar.objects.get_or_create(
        name=CALENDAR_NAME, defaults={"note": "Lịch của tỉnh, dùng chung cho các cơ quan (dữ liệu minh họa)."})
    OfficeHoursPolicy.objects.get_or_create(calendar=calendar, effective_from=HISTORY_START)
    for day, kind, name, source in OVERRIDES_2026:
        CalendarOverride.objects.get_or_create(calendar=calendar, date=dt.date.fromisoformat(day),
                                               defaults={"kind": kind, "name": name, "source": source})
    return calendar


def _positions() -> dict[str, Position]:
    for code, name, level, single, rank in POSITIONS:
        Position.objects.get_or_create(code=code, defaults={"name": name, "level": level, "single_holder": single,
                                                            "rank": rank})
    return {p.code: p for p in Position.objects.all()}


ROLE_BY_POSITION = {"agency": Role.AGENCY_LEADER, "division": Role.DIVISION_LEADER, "staff": Role.SPECIALIST,
                    "van_thu": Role.CLERK}


def mail_domain(agency_slug: str) -> str:
    """``snv.hagiang.gov.vn``: the agency's part, then the province's name folded."""
    return f"{agency_slug}.{fold(settings.PROVINCE_NAME).lower().replace(' ', '')}.gov.vn"


def _department(calendar: WorkCalendar, positions: dict[str, Position], province: Agency) -> Agency:
    agency = Agency.objects.create(identifier=SNV_IDENTIFIER, name=f"Sở Nội vụ tỉnh {settings.PROVINCE_NAME}",
                                   short_name="SNV",
                                   kind=Agency.Kind.DEPARTMENT, parent=province, calendar=calendar)
    names, taken = _Names(seed=85), {login.username for login in DEMO_LOGINS}
    demo = {login.username: login for login in DEMO_LOGINS}

    def hire(full_name: str, position: str, division=None, unit=None, username: str | None = None,
             roles: tuple[Role, ...] | None = None, start: dt.date = HISTORY_START) -> Staff:
        post = positions[position]
        login = demo.get(username or "")
        username = username or names.username(full_name, taken)
        default_role = ROLE_BY_POSITION.get(position) or ROLE_BY_POSITION[post.level]
        return org_services.create_staff(
            actor=None, agency=agency, username=username, full_name=full_name, position=post, start_date=start,
            division=division, unit=unit, roles=roles or (default_role,),
            email=f"{username}@{mail_domain('snv')}", password=DEMO_PASSWORD if login else None,
            decision=f"Quyết định số {names.rng.randint(10, 480)}/QĐ-SNV",
        )

    hire(names.person(), "giam_doc", username="leader")
    for _ in range(3):
        hire(names.person(), "pho_giam_doc")
    for code, name, desk, head, deputy, deputies, staff_count, staff_post in DIVISIONS:
        division = Division.objects.create(agency=agency, code=code, name=name, is_one_stop_desk=desk)
        hire(names.person(), head, division=division, username="division_leader" if code == "CCVC" else None)
        for _ in range(deputies):
            hire(names.person(), deputy, division=division)
        specials: list[tuple[str, str | None, tuple[Role, ...] | None]] = []
        if code == "VP":
            specials = [("chuyen_vien", "admin", (Role.ADMINISTRATOR,)),
                        ("chuyen_vien", "desk", (Role.DESK_OFFICER,)),
                        ("chuyen_vien", None, (Role.DESK_OFFICER,)),
                        ("van_thu", "clerk", (Role.CLERK,)), ("van_thu", None, (Role.CLERK,)),
                        ("ke_toan", None, None), ("nhan_vien", None, None)]
        elif code == "CCVC":
            specials = [("chuyen_vien", "specialist", (Role.SPECIALIST,))]
        elif code == "TTRA":
            specials = [("thanh_tra_vien", "auditor", (Role.AUDITOR,))]
        for post, username, roles in specials:
            hire(names.person(), post, division=division, username=username, roles=roles)
        for _ in range(staff_count - len(specials)):
            hire(names.person(), staff_post, division=division)
    # The seed: leaders appointed in the affiliated units this year, after years as specialists.
    for code, name, deputies, staff_count in UNITS:
        unit = Unit.objects.create(agency=agency, code=code, name=name)
        hire(names.person(), "truong_don_vi", unit=unit)
        for i in range(deputies):
            person = hire(names.person(), "chuyen_vien", unit=unit)
            if i == 0:
                org_services.assign(actor=None, staff=person, position=positions["pho_truong_don_vi"], unit=unit,
                                    start_date=dt.date(2026, 4, 1), decision="Quyết định số 112/QĐ-SNV")
                org_services.set_roles(actor=None, staff=person, roles=[Role.DIVISION_LEADER])
        for _ in range(staff_count - 1 - deputies):
            hire(names.person(), "chuyen_vien", unit=unit)
    return agency


def _province(calendar: WorkCalendar, positions: dict[str, Position]) -> Agency:
    agency = Agency.objects.create(identifier=UBND_IDENTIFIER, name=f"Ủy ban nhân dân tỉnh {settings.PROVINCE_NAME}",
                                   short_name="UBND", kind=Agency.Kind.PROVINCE, calendar=calendar)
    office = Division.objects.create(agency=agency, code="VPUB", name="Văn phòng UBND tỉnh", is_one_stop_desk=True)
    names, taken = _Names(seed=1), set()
    for position, division in (("chu_tich", None), ("pho_chu_tich", None), ("chuyen_vien", office)):
        full_name = names.person()
        org_services.create_staff(actor=None, agency=agency, username=f"ubnd.{names.username(full_name, taken)}",
                                  full_name=full_name, position=positions[position], division=division,
                                  start_date=HISTORY_START, roles=[ROLE_BY_POSITION[positions[position].level]])
    return agency


CATALOG_FILE = Path(__file__).parent / "catalog" / "data" / "demo_catalog.json"


@transaction.atomic
def load(stdout=None, *, dossiers: bool = True) -> bool:
    """Load what is missing; True when something was added. ``dossiers``: also the seed's six months of
    dossiers and this month's open ones, and a year of official correspondence (about two minutes in all;
    tests of other parts leave them out)."""
    org_services.sync_role_groups()
    added = False
    if not Agency.objects.filter(identifier=SNV_IDENTIFIER).exists():
        calendar = _calendar()
        positions = _positions()
        province = Agency.objects.filter(identifier=UBND_IDENTIFIER).first() or _province(calendar, positions)
        _department(calendar, positions, province)
        added = True
    from motcua import demo_province  # the province around the department; it builds on this module's helpers

    added = demo_province.build() or added
    # The seed's 36 procedures, then the province's others (the communes' among them, so after the communes),
    # through the same import an agency uses for its official catalogue.
    for file in (CATALOG_FILE, demo_province.CATALOG_FILE):
        result = catalog_services.import_catalog(actor=None, data=file.read_bytes(), filename=file.name)
        added = added or bool(result.procedures_created or result.procedures_updated or result.versions_created)
    _signing_keys(Agency.objects.get(identifier=SNV_IDENTIFIER))
    if not dossiers:
        return added
    # The seed's six months of dossiers and this month's open ones, through the one-stop services.
    agency = Agency.objects.get(identifier=SNV_IDENTIFIER)
    if stdout is not None and not agency.dossiers.exists():
        stdout.write("Đang tạo hồ sơ minh họa: 736 hồ sơ của 6 tháng trước và các hồ sơ tháng này "
                     "(khoảng một phút)…\n")
    with notify.quiet():  # history: recorded, never mailed to the generated applicants and staff
        made = demo_dossiers.load(agency)
    made += demo_portal.load(agency, DEMO_PASSWORD)  # the citizen's account and their online dossiers
    # A year of official correspondence and work files, through the documents services.
    if stdout is not None and not demo_documents.loaded(agency):
        stdout.write("Đang tạo văn bản minh họa: một năm văn bản đến, văn bản đi và hồ sơ công việc…\n")
    with notify.quiet():  # the year's history is recorded, not announced
        made += sum(demo_documents.load(agency).values())
    # Dossiers that cross agencies: received at a commune, at the centre or a branch for another agency,
    # a liên thông between two departments, and open work in the new agencies' queues.
    with notify.quiet():
        made += demo_province.load_dossiers()
    return added or bool(made)


def _signing_keys(agency: Agency) -> None:
    """On a local machine the demo signs with a throw-away certificate made for it, where the settings look
    (DATA_DIR/signing); a production deployment configures its real one, and tests their own."""
    if settings.MOTCUA_ENV == "local":
        from motcua.documents.demo_keys import ensure_demo_keys

        ensure_demo_keys(settings.DATA_DIR / "signing", agency_name=agency.name)
