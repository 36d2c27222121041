"""The reports' world: the dossier tests' agency and procedures (``tests.dossiers.conftest``) and a known
month of dossiers walked through the real services, each chosen to land in one column of March 2026's
report.

March 2026 (period 1–31 March), ordinary procedure of 10 working days:

=====================  ===========================================  ==========================
name                   what happens                                 column in March
=====================  ===========================================  ==========================
carried                received Fri 27 Feb, resolved Tue 3 Mar      carried over; early
early                  received 2 Mar, resolved 6 Mar, returned     received direct; early
on_time                received 2 Mar 09:00, resolved 16 Mar 08:30  on time (the due day)
late                   received 2 Mar, resolved 17 Mar              late
overdue                received 2 Mar, still open                   in progress, overdue
within                 received 25 Mar, still open                  in progress, within time
suspended              received 23 Mar, supplement asked 24 Mar     waiting for a supplement
withdrawn              received 3 Mar, withdrawn 4 Mar              withdrawn
online                 submitted online 5 Mar, received, resolved   received online; early
rejected               received 4 Mar, rejected 6 Mar               early (and rejected)
=====================  ===========================================  ==========================
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest

from motcua.catalog import services as catalog_services
from motcua.core import clock
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.org import services as org_services
from motcua.org.models import Agency, Staff
from motcua.org.roles import Role
from tests.dossiers.conftest import (
    CATALOG,
    SNV,
    VN,
    World,
    _procedure,
    at,
    intake,
    steps,
    world,  # noqa: F401 - the fixture
)
from tests.factories import make_agency, make_person, position

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
EXPECTED_MARCH = {
    "carried_over": 1, "received_online": 1, "received_direct": 8, "received": 10,
    "resolved": 6, "early": 4, "on_time": 1, "late": 1,
    "in_progress": 2, "in_progress_within": 1, "in_progress_overdue": 1,
    "awaiting_supplement": 1, "withdrawn": 1,
}


def act(fn, staff, dossier: Dossier, instant: dt.datetime, **kwargs) -> Dossier:
    with clock.at(instant):
        return fn(actor=staff, code=dossier.code, version=dossier.version, **kwargs)


def receive(w: World, instant: dt.datetime, *, channel: str = "desk") -> Dossier:
    with clock.at(instant):
        if channel == "online":
            d = services.submit_online(actor=w.desk, intake=intake(channel="online"))
            return services.receive(actor=w.desk, code=d.code, version=d.version)
        return services.receive_at_desk(actor=w.desk, intake=intake())


def resolve(w: World, d: Dossier, finish: dt.datetime) -> Dossier:
    """Every step of the ordinary procedure, the last (the leader's approval) at ``finish``."""
    start = max(d.received_at, finish - dt.timedelta(hours=6))
    chain = [(services.forward, w.desk, {}), (services.forward, w.division_leader, {}),
             (services.assign, w.division_leader, {"assignee_id": w.specialist.pk}),
             (services.forward, w.specialist, {}), (services.forward, w.division_leader, {})]
    for n, (fn, who, kwargs) in enumerate(chain, start=1):
        d = act(fn, who, d, start + (finish - start) * n / 7, **kwargs)
    return act(services.approve, w.leader, d, finish, result=services.Result(number="1/QĐ-SNV"))


@pytest.fixture
def history(world) -> dict[str, Dossier]:  # noqa: F811 - the imported fixture
    out: dict[str, Dossier] = {}
    out["carried"] = resolve(world, receive(world, dt.datetime(2026, 2, 27, 9, tzinfo=VN)), at(3, 10))
    d = resolve(world, receive(world, at(2, 9, 5)), at(6, 9))
    d = act(services.mark_ready, world.desk, d, at(6, 10))
    out["early"] = act(services.return_result, world.desk, d, at(9, 8), returned_to="Trần Thị Mai", method="desk")
    out["on_time"] = resolve(world, receive(world, at(2, 9)), at(16, 8, 30))
    out["late"] = resolve(world, receive(world, at(2, 9, 10)), at(17, 10))
    out["overdue"] = receive(world, at(2, 9, 15))
    out["within"] = receive(world, at(25, 9))
    d = receive(world, at(23, 9))
    out["suspended"] = act(services.request_supplement, world.desk, d, at(24, 9), reason="Thiếu giấy tờ",
                           items=[services.MissingItem("Tờ trình đề nghị")])
    d = receive(world, at(3, 9))
    out["withdrawn"] = act(services.withdraw, world.desk, d, at(4, 9), reason="Đơn xin rút")
    out["online"] = resolve(world, receive(world, at(5, 9), channel="online"), at(10, 15))
    d = receive(world, at(4, 10))
    out["rejected"] = act(services.reject, world.leader, d, at(6, 11), reason="Không đủ điều kiện")
    return out


# --------------------------------------------------------------------------------------------------------
# The province around the department: the service centre and a branch (they receive, resolve nothing), two
# communes with their desks, a commune-level procedure every commune resolves, the province's leader and auditor,
# and the centre's director (an agency leader given the province leader's role for the province dashboard).

CENTRE, BRANCH, COMMUNE_A, COMMUNE_B = "000.00.30.H22", "000.01.30.H22", "000.11.23.H22", "000.12.23.H22"
COMMUNE_PROC = "XA.RPT.01"


@dataclass
class Province:
    centre: Agency
    branch: Agency
    commune_a: Agency
    commune_b: Agency
    centre_desk: Staff
    centre_director: Staff
    branch_desk: Staff
    a_desk: Staff
    a_specialist: Staff
    a_leader: Staff
    b_desk: Staff
    b_specialist: Staff
    b_leader: Staff
    leader: Staff    # the province's
    auditor: Staff   # the province's


@pytest.fixture
def province(world) -> Province:  # noqa: F811 - the imported fixture
    cal = world.agency.calendar
    centre = make_agency(CENTRE, "Trung tâm Phục vụ hành chính công tỉnh", "TTPVHCC", "service_centre", cal,
                     ("TN", "Quầy tiếp nhận và trả kết quả", True))
    branch = make_agency(BRANCH, "Chi nhánh Trung tâm Phục vụ hành chính công số 1", "CN1", "branch", cal,
                     ("TN", "Quầy chi nhánh số 1", True))
    commune_a = make_agency(COMMUNE_A, "UBND phường Hà Giang 1", "PHG1", "commune", cal,
                        ("MC", "Bộ phận một cửa phường", True), ("VHXH", "Phòng Văn hóa - Xã hội", False))
    commune_b = make_agency(COMMUNE_B, "UBND xã Ngọc Đường", "XND", "commune", cal,
                        ("MC", "Bộ phận một cửa xã", True), ("VHXH", "Phòng Văn hóa - Xã hội xã", False))
    catalog = {"format": CATALOG["format"], "fields": CATALOG["fields"], "procedures": [
        _procedure(COMMUNE_PROC, "Chứng thực bản sao từ bản chính", steps(
            ("Tiếp nhận hồ sơ", "desk_officer", "VP", None, 4),
            ("Thẩm định", "specialist", "VHXH", None, 4),
            ("Lãnh đạo ký", "agency_leader", None, None, 4),
            ("Trả kết quả", "desk_officer", "VP", None, 4)), days=2)
        | {"resolving_agency": world.province.identifier, "resolved_by": ["communes"]}]}
    catalog_services.import_catalog(actor=None, data=json.dumps(catalog).encode(), filename="province.json")
    director = org_services.create_staff(
        actor=None, agency=centre, username="giam_doc_trung_tam", full_name="Trịnh Văn Giám",
        position=position("giam_doc"), division=None, start_date=dt.date(2024, 1, 1),
        roles=[Role.AGENCY_LEADER, Role.PROVINCE_LEADER], password="mat-khau-thu-nghiem")
    return Province(
        centre=centre, branch=branch, commune_a=commune_a, commune_b=commune_b,
        centre_desk=make_person(Role.DESK_OFFICER, centre, "TN"), centre_director=director,
        branch_desk=make_person(Role.DESK_OFFICER, branch, "TN"),
        a_desk=make_person(Role.DESK_OFFICER, commune_a, "MC"),
        a_specialist=make_person(Role.SPECIALIST, commune_a, "VHXH"),
        a_leader=make_person(Role.AGENCY_LEADER, commune_a),
        b_desk=make_person(Role.DESK_OFFICER, commune_b, "MC"),
        b_specialist=make_person(Role.SPECIALIST, commune_b, "VHXH"),
        b_leader=make_person(Role.AGENCY_LEADER, commune_b),
        leader=make_person(Role.PROVINCE_LEADER, world.province),
        auditor=make_person(Role.PROVINCE_AUDITOR, world.province))


def with_(base: services.Intake, **changes: Any) -> services.Intake:
    return services.Intake(**{**base.__dict__, **changes})


def resolve_commune(desk: Staff, specialist: Staff, leader: Staff, d: Dossier, start: dt.datetime) -> Dossier:
    """The commune procedure from its receiving desk through the resolving commune's specialist and leader."""
    d = act(services.forward, desk, d, start + dt.timedelta(minutes=30))
    d = act(services.forward, specialist, d, start + dt.timedelta(hours=2))
    return act(services.approve, leader, d, start + dt.timedelta(hours=4), result=services.Result(number="1/CT"))


def resolve_department(w: World, desk: Staff, d: Dossier, finish: dt.datetime) -> Dossier:
    """The department's ordinary procedure received at another desk (``desk`` forwards it on)."""
    start = max(d.received_at, finish - dt.timedelta(hours=6))
    chain = [(services.forward, desk, {}), (services.forward, w.division_leader, {"assignee_id": w.specialist.pk}),
             (services.forward, w.specialist, {}), (services.forward, w.division_leader, {})]
    for n, (fn, who, kwargs) in enumerate(chain, start=1):
        d = act(fn, who, d, start + (finish - start) * n / 6, **kwargs)
    return act(services.approve, w.leader, d, finish, result=services.Result(number="2/QĐ-SNV"))


@pytest.fixture
def crossings(world, history, province) -> dict[str, Dossier]:  # noqa: F811 - the imported fixture
    """March 2026 again, with dossiers that cross agencies, each walked through the real services:

    ==================  ===========================================  =========================================
    name                received at → resolved by                     what happens
    ==================  ===========================================  =========================================
    a_for_snv           commune A → the department                   received 9 Mar, resolved 12 Mar
    centre_for_b        the centre → commune B                       received 10 Mar, resolved the same day
    a_for_b             commune A → commune B                        received 11 Mar, still open
    b_for_b             commune B → commune B                        received 11 Mar, resolved 12 Mar
    branch_for_snv      the branch → the department                  received 13 Mar, still open
    ==================  ===========================================  =========================================
    """
    p = province
    base = intake(COMMUNE_PROC)
    out: dict[str, Dossier] = {}
    with clock.at(at(9, 9)):
        d = services.receive_at_desk(actor=p.a_desk, intake=with_(intake(), resolving_agency=SNV))
    out["a_for_snv"] = resolve_department(world, p.a_desk, d, at(12, 10))
    with clock.at(at(10, 8)):
        d = services.receive_at_desk(actor=p.centre_desk, intake=with_(base, resolving_agency=COMMUNE_B))
    out["centre_for_b"] = resolve_commune(p.centre_desk, p.b_specialist, p.b_leader, d, at(10, 8))
    with clock.at(at(11, 9)):
        out["a_for_b"] = services.receive_at_desk(actor=p.a_desk, intake=with_(base, resolving_agency=COMMUNE_B))
    with clock.at(at(11, 10)):
        d = services.receive_at_desk(actor=p.b_desk, intake=base)
    out["b_for_b"] = resolve_commune(p.b_desk, p.b_specialist, p.b_leader, d, at(12, 8))
    with clock.at(at(13, 9)):
        out["branch_for_snv"] = services.receive_at_desk(actor=p.branch_desk,
                                                         intake=with_(intake(), resolving_agency=SNV))
    return out
