from __future__ import annotations

import copy
import json

import pytest

from tests.factories import AgencyFactory, DivisionFactory, UnitFactory

SNV, UBND = "000.00.12.H22", "000.00.00.H22"


def procedure(code: str = "1.005384", name: str = "Bổ nhiệm ngạch công chức", hours: tuple[int, ...] = (8, 16, 40, 16),
              **extra) -> dict:
    steps = [{"name": f"Bước {i}", "role": role, "division": div, "other_agency": None, "hours": h}
             for i, (h, role, div) in enumerate(zip(hours, ["desk_officer", "division_leader", "specialist",
                                                           "agency_leader"], ["VP", "CCVC", "CCVC", None],
                                                    strict=False), 1)]
    return {
        "code": code, "name": name, "field": "CCVC", "resolving_agency": SNV, "resolved_by": [SNV],
        "applicant_types": ["individual"], "result_type": "Quyết định", "channels": ["desk", "post", "online"],
        "online_level": "partial", "status": "active",
        "versions": [{
            "number": 1, "effective_from": "2024-01-01", "time_limit": 10, "time_unit": "days",
            "from_complete_dossier": True, "change_note": "",
            "compliance": {"hours_learning": 2.0, "hours_preparing": 4.5, "visits": 2, "hours_per_visit": 3.0,
                           "other_costs": 20000, "applicants_per_year": 100},
            "documents": [{"name": "Quyết định tuyển dụng", "copy_type": "certified_copy", "count": 1,
                           "mandatory": True, "condition": ""},
                          {"name": "Giấy xác nhận đặc thù", "copy_type": "copy", "count": 1, "mandatory": False,
                           "condition": "Khi là người dân tộc thiểu số"}],
            "fees": [{"name": "Lệ phí", "amount": 0, "legal_basis": ""}],
            "legal_bases": [{"number": "138/2020/NĐ-CP", "date": "2020-11-27", "issuer": "Chính phủ",
                             "title": "Về tuyển dụng, sử dụng và quản lý công chức"}],
            "steps": steps,
        }],
    } | extra


def document(*procedures: dict) -> dict:
    return {"format": "motcua.catalog/1", "fields": [{"code": "CCVC", "name": "Công chức, viên chức"}],
            "procedures": [copy.deepcopy(p) for p in procedures]}


def as_bytes(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode()


@pytest.fixture
def department(roles):
    snv = AgencyFactory(identifier=SNV, short_name="SNV", name="Sở Nội vụ tỉnh Hà Giang")
    AgencyFactory(identifier=UBND, short_name="UBND", name="UBND tỉnh Hà Giang", kind="province")
    DivisionFactory(agency=snv, code="VP", name="Văn phòng Sở")
    DivisionFactory(agency=snv, code="CCVC", name="Phòng Công chức, viên chức")
    UnitFactory(agency=snv, code="BTG", name="Ban Tôn giáo")
    return snv
