"""The world the dossier tests act in: Sở Nội vụ with its one-stop desk and a civil-service division, the
UBND tỉnh for inter-agency steps, one person per role, the province's 2026 calendar, and two procedures
imported through the catalogue's own import — an ordinary one (10 working days) and one the UBND signs.

The clock is set explicitly (``motcua.core.clock.at``) so that every deadline in a test is known.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from motcua import demo
from motcua.catalog import services as catalog_services
from motcua.core import clock
from motcua.core.models import CalendarOverride, OfficeHoursPolicy, WorkCalendar
from motcua.dossiers import services
from motcua.dossiers.applicants import Applicant
from motcua.org.models import Agency, Division, Staff, Unit
from motcua.org.roles import Role
from tests.factories import ensure_dossier_defaults, make_staff

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SNV, UBND = "000.00.12.H22", "000.00.00.H22"
ORDINARY, LIAISON = "SNV.TEST.01", "SNV.TEST.02"
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # a working Monday, 09:00


def at(day: int, hour: int = 9, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN)


def steps(*rows: tuple[str, str, str | None, str | None, int]) -> list[dict]:
    return [{"name": name, "role": role, "division": div, "other_agency": other, "hours": hours}
            for name, role, div, other, hours in rows]


def _procedure(code: str, name: str, step_rows: list[dict], days: int) -> dict:
    return {
        "code": code, "name": name, "field": "CCVC", "resolving_agency": SNV, "receiving_agency": SNV,
        "applicant_types": ["individual", "organisation"], "result_type": "Quyết định",
        "channels": ["desk", "post", "online"], "online_level": "partial", "status": "active",
        "versions": [{
            "number": 1, "effective_from": "2024-01-01", "time_limit": days, "time_unit": "days",
            "from_complete_dossier": True, "change_note": "",
            "compliance": {"hours_learning": 1, "hours_preparing": 1, "visits": 1, "hours_per_visit": 1,
                           "other_costs": 0, "applicants_per_year": 10},
            "documents": [
                {"name": "Tờ trình đề nghị", "copy_type": "original", "count": 1, "mandatory": True, "condition": ""},
                {"name": "Quyết định tuyển dụng", "copy_type": "certified_copy", "count": 1, "mandatory": True,
                 "condition": ""},
                {"name": "Giấy tờ ưu tiên", "copy_type": "copy", "count": 1, "mandatory": False,
                 "condition": "Nếu có"},
            ],
            "fees": [], "legal_bases": [{"number": "138/2020/NĐ-CP", "date": "2020-11-27", "issuer": "Chính phủ",
                                         "title": "Về tuyển dụng, sử dụng và quản lý công chức"}],
            "steps": step_rows,
        }],
    }


CATALOG = {
    "format": "motcua.catalog/1",
    "fields": [{"code": "CCVC", "name": "Công chức, viên chức"}],
    "procedures": [
        _procedure(ORDINARY, "Bổ nhiệm ngạch công chức", steps(
            ("Tiếp nhận hồ sơ", "desk_officer", "VP", None, 4),
            ("Phân công thụ lý", "division_leader", "CCVC", None, 4),
            ("Thẩm định, dự thảo kết quả", "specialist", "CCVC", None, 56),
            ("Lãnh đạo phòng kiểm tra", "division_leader", "CCVC", None, 4),
            ("Phê duyệt, ký", "agency_leader", None, None, 8),
            ("Trả kết quả", "desk_officer", "VP", None, 4)), days=10),
        _procedure(LIAISON, "Khen thưởng do UBND tỉnh quyết định", steps(
            ("Tiếp nhận hồ sơ", "desk_officer", "VP", None, 4),
            ("Thẩm định", "specialist", "CCVC", None, 28),
            ("Lãnh đạo Sở trình UBND tỉnh", "agency_leader", None, None, 8),
            ("UBND tỉnh quyết định", "agency_leader", None, UBND, 36),
            ("Trả kết quả", "desk_officer", "VP", None, 4)), days=10),
    ],
}


@dataclass
class World:
    agency: Agency
    province: Agency
    desk_division: Division
    civil: Division
    other_division: Division
    desk: Staff
    desk2: Staff
    specialist: Staff
    specialist2: Staff
    division_leader: Staff
    leader: Staff
    auditor: Staff
    outsider: Staff         # a specialist of another division
    stranger: Staff         # a desk officer of another agency
    clerk: Staff


@pytest.fixture
def world(roles) -> World:
    ensure_dossier_defaults()
    calendar = WorkCalendar.objects.create(name=demo.CALENDAR_NAME)
    OfficeHoursPolicy.objects.create(calendar=calendar, effective_from=dt.date(2020, 1, 1))
    CalendarOverride.objects.bulk_create(
        CalendarOverride(calendar=calendar, date=dt.date.fromisoformat(day), kind=kind, name=name, source=source)
        for day, kind, name, source in demo.OVERRIDES_2026)
    agency = Agency.objects.create(identifier=SNV, name="Sở Nội vụ tỉnh Hà Giang", short_name="SNV",
                                   kind=Agency.Kind.DEPARTMENT, calendar=calendar)
    # The UBND tỉnh signs on its own document system here: off this system, reached by transfer and receive-back.
    province = Agency.objects.create(identifier=UBND, name="Ủy ban nhân dân tỉnh Hà Giang", short_name="UBND",
                                     kind=Agency.Kind.PROVINCE, calendar=calendar, on_system=False)
    desk_division = Division.objects.create(agency=agency, code="VP", name="Văn phòng Sở", is_one_stop_desk=True)
    civil = Division.objects.create(agency=agency, code="CCVC", name="Phòng Công chức, viên chức")
    other = Division.objects.create(agency=agency, code="TCBC", name="Phòng Tổ chức, biên chế")
    Unit.objects.create(agency=agency, code="BTG", name="Ban Tôn giáo")
    catalog_services.import_catalog(actor=None, data=json.dumps(CATALOG).encode(), filename="catalog.json")
    other_agency = Agency.objects.create(identifier="000.00.13.H22", name="Sở Tư pháp", short_name="STP",
                                         kind=Agency.Kind.DEPARTMENT, calendar=calendar)

    def person(role, division=None, name="Nguyễn Văn Thử", agency_=agency, position=None):
        s = make_staff(role=role, agency=agency_, division=division, position_code=position)
        s.full_name = name
        s.save(update_fields=["full_name"])
        return s

    return World(
        agency=agency, province=province, desk_division=desk_division, civil=civil, other_division=other,
        desk=person(Role.DESK_OFFICER, desk_division, "Lê Minh Đạt"),
        desk2=person(Role.DESK_OFFICER, desk_division, "Phan Thu Hà"),
        specialist=person(Role.SPECIALIST, civil, "Vũ Ngọc Quỳnh"),
        specialist2=person(Role.SPECIALIST, civil, "Đỗ Văn Nam"),
        division_leader=person(Role.DIVISION_LEADER, civil, "Hoàng Đức Long"),
        leader=person(Role.AGENCY_LEADER, None, "Nguyễn Văn Hùng"),
        auditor=person(Role.AUDITOR, other, "Đặng Quang Vinh"),
        outsider=person(Role.SPECIALIST, other, "Bùi Thị Lan"),
        stranger=person(Role.DESK_OFFICER, Division.objects.create(agency=other_agency, code="VP", name="VP STP",
                                                                   is_one_stop_desk=True), "Ngô Văn Khách",
                        agency_=other_agency),
        clerk=person(Role.CLERK, desk_division, "Phạm Thu Hằng"),
    )


@pytest.fixture
def now() -> Iterator[dt.datetime]:
    with clock.at(MONDAY) as instant:
        yield instant


CITIZEN = Applicant(type="individual", name="Trần Thị Mai", id_number="002190001234",
                    birth_date=dt.date(1990, 5, 17), address="Tổ 5, phường Nguyễn Trãi, thành phố Hà Giang, Hà Giang",
                    phone="0912345678", email="mai@example.vn")


def documents(procedure_code: str = ORDINARY):
    from motcua.catalog.models import ProcedureVersion

    version = ProcedureVersion.objects.get(procedure__code=procedure_code)
    return list(version.documents.order_by("order"))


def intake(procedure_code: str = ORDINARY, *, channel: str = "desk", provided: str = "all", files=(),
           applicant: Applicant = CITIZEN) -> services.Intake:
    """Every document ticked (``all``), only the mandatory ones (``mandatory``), or none (``none``)."""
    ticks = tuple(services.ComponentTick(d.pk, provided=provided == "all" or (provided == "mandatory" and d.mandatory))
                  for d in documents(procedure_code))
    return services.Intake(procedure_code=procedure_code, applicant=applicant, channel=channel, components=ticks,
                           subject="Đề nghị bổ nhiệm ngạch chuyên viên", files=tuple(files))


def upload(name: str, content: bytes) -> services.Upload:
    return services.Upload(name=name, stream=io.BytesIO(content), size=len(content))
