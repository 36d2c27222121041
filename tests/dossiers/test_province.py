"""The province model: a dossier received at any desk of the province for the agency that resolves it, liên
thông steps done by a partner agency in its own queues, the result handed back where the applicant chose, and
who sees what (the receiving point, the resolving agency, a partner, the delivery point; a third agency sees
nothing; the province's leaders and auditors read everything and write nothing)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from motcua.catalog import services as catalog_services
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers import policy, selectors, services
from motcua.dossiers.access import actor_of
from motcua.dossiers.models import Dossier, DossierAgency, DossierStep, Handoff
from motcua.org.models import Agency, Division, Staff
from motcua.org.roles import Role
from tests import samples
from tests.dossiers.conftest import CATALOG, ORDINARY, SNV, World, _procedure, at, intake, steps, upload
from tests.dossiers.test_refusals import snapshot
from tests.factories import make_agency, make_person

COMMUNE_ID, COMMUNE2_ID, CENTRE_ID, PARTNER_ID, THIRD_ID = ("000.01.23.H22", "000.02.23.H22", "000.00.30.H22",
                                                            "000.00.14.H22", "000.00.15.H22")
COMMUNE_PROC, LIENTHONG = "XA.TEST.01", "SNV.TEST.03"


@dataclass
class Province:
    commune: Agency
    commune2: Agency
    centre: Agency
    partner: Agency
    third: Agency
    commune_desk: Staff
    commune_specialist: Staff
    commune_leader: Staff
    commune2_desk: Staff
    centre_desk: Staff
    partner_specialist: Staff
    partner_leader: Staff
    third_leader: Staff
    province_leader: Staff
    province_auditor: Staff


@pytest.fixture
def province(world: World) -> Province:
    cal = world.agency.calendar
    commune = make_agency(COMMUNE_ID, "UBND phường Hà Giang 1", "PHG1", "commune", cal,
                      ("MC", "Bộ phận một cửa phường", True), ("VHXH", "Phòng Văn hóa - Xã hội", False))
    commune2 = make_agency(COMMUNE2_ID, "UBND xã Ngọc Đường", "XND", "commune", cal,
                       ("MC", "Bộ phận một cửa xã", True), ("VHXH", "Phòng Văn hóa - Xã hội xã", False))
    centre = make_agency(CENTRE_ID, "Trung tâm Phục vụ hành chính công tỉnh", "TTPVHCC", "service_centre", cal,
                     ("TN", "Quầy tiếp nhận", True))
    partner = make_agency(PARTNER_ID, "Sở Tài chính", "STC", "department", cal,
                      ("VP", "Văn phòng Sở Tài chính", True), ("NS", "Phòng Ngân sách", False))
    third = make_agency(THIRD_ID, "Sở Y tế", "SYT", "department", cal, ("VP", "Văn phòng Sở Y tế", True))
    catalog = {"format": CATALOG["format"], "fields": CATALOG["fields"], "procedures": [
        _procedure(COMMUNE_PROC, "Chứng thực bản sao từ bản chính", steps(
            ("Tiếp nhận hồ sơ", "desk_officer", "VP", None, 4),
            ("Thẩm định", "specialist", "VHXH", None, 4),
            ("Lãnh đạo ký", "agency_leader", None, None, 4),
            ("Trả kết quả", "desk_officer", "VP", None, 4)), days=2)
        | {"resolving_agency": world.province.identifier, "resolved_by": ["communes"]},
        _procedure(LIENTHONG, "Chế độ chính sách thu hút (liên thông Sở Tài chính)", steps(
            ("Tiếp nhận hồ sơ", "desk_officer", "VP", None, 4),
            ("Thẩm định", "specialist", "CCVC", None, 28),
            ("Sở Tài chính thẩm định kinh phí", "specialist", "NS", PARTNER_ID, 24),
            ("Phê duyệt, ký", "agency_leader", None, None, 20),
            ("Trả kết quả", "desk_officer", "VP", None, 4)), days=10),
    ]}
    catalog_services.import_catalog(actor=None, data=json.dumps(catalog).encode(), filename="province.json")
    return Province(
        commune=commune, commune2=commune2, centre=centre, partner=partner, third=third,
        commune_desk=make_person(Role.DESK_OFFICER, commune, "MC"),
        commune_specialist=make_person(Role.SPECIALIST, commune, "VHXH"),
        commune_leader=make_person(Role.AGENCY_LEADER, commune),
        commune2_desk=make_person(Role.DESK_OFFICER, commune2, "MC"),
        centre_desk=make_person(Role.DESK_OFFICER, centre, "TN"),
        partner_specialist=make_person(Role.SPECIALIST, partner, "NS"),
        partner_leader=make_person(Role.AGENCY_LEADER, partner),
        third_leader=make_person(Role.AGENCY_LEADER, third),
        province_leader=make_person(Role.PROVINCE_LEADER, world.province),
        province_auditor=make_person(Role.PROVINCE_AUDITOR, world.province),
    )


def act(fn, staff, dossier, instant, **kwargs) -> Dossier:
    with clock.at(instant):
        return fn(actor=staff, code=dossier.code, version=dossier.version, **kwargs)


def with_(base: services.Intake, **changes) -> services.Intake:
    return services.Intake(**{**base.__dict__, **changes})


def parties(dossier: Dossier) -> dict[str, bool]:
    return dict(DossierAgency.objects.filter(dossier=dossier).values_list("agency__identifier", "partner"))


# --------------------------------------------------------------------------------------------------------
# Intake anywhere, resolution at the resolving agency, the result back at the delivery point


def test_a_commune_desk_receives_for_the_department_which_resolves_and_returns_it_there(world, province, now):
    d = services.receive_at_desk(actor=province.commune_desk, intake=with_(intake(), resolving_agency=SNV))
    assert d.code == f"{COMMUNE_ID}-260302-0001"  # the receiving point's code
    assert (d.receiving_agency, d.agency, d.delivery_agency) == (province.commune, world.agency, province.commune)
    assert parties(d) == {COMMUNE_ID: False, SNV: False}
    step = d.current_step
    assert step.agency == province.commune and step.division.code == "MC"
    assert step.due_at == at(2, 17, 30)  # sent on electronically the same working day (before 15:00)
    assert d.log_number == 1  # the resolving agency's yearly log
    d = act(services.forward, province.commune_desk, d, at(2, 10))
    assert d.current_agency == world.agency and d.current_division == world.civil
    # It is in the department's queues, not in the commune's.
    division_queue = selectors.dossier_list(actor_of(world.division_leader), queue=selectors.Queue.DIVISION)
    assert [r.code for r in division_queue.rows] == [d.code]
    assert not selectors.dossier_list(actor_of(province.commune_desk), queue=selectors.Queue.DESK).rows
    d = act(services.forward, world.division_leader, d, at(2, 11), assignee_id=world.specialist.pk)
    d = act(services.forward, world.specialist, d, at(3, 10))
    d = act(services.forward, world.division_leader, d, at(3, 11))
    d = act(services.approve, world.leader, d, at(4, 9), result=services.Result(number="12/QĐ-SNV"))
    # The result comes back to the commune's desk, which hands it over.
    assert d.state == "resolved" and d.current_agency == province.commune
    assert d.current_step.division.code == "MC"
    with pytest.raises(DomainError):
        act(services.mark_ready, world.desk, d, at(4, 10))  # the department's desk is not the delivery point
    d = act(services.mark_ready, province.commune_desk, d, at(4, 10))
    d = act(services.return_result, province.commune_desk, d, at(5, 9), returned_to="Trần Thị Mai", method="desk")
    assert d.state == "returned" and d.outcome == "early"
    first = Handoff.objects.get(dossier=d, seq=1)
    ready = Handoff.objects.get(dossier=d, action="mark_ready")
    assert first.receiver_place.endswith("— UBND phường Hà Giang 1")
    assert ready.giver_place.endswith("— UBND phường Hà Giang 1")


def test_the_result_goes_to_the_delivery_point_the_applicant_chose(world, province, now):
    d = services.receive_at_desk(actor=province.centre_desk,
                                 intake=with_(intake(), resolving_agency=SNV, delivery_agency=COMMUNE2_ID))
    assert (d.receiving_agency, d.delivery_agency) == (province.centre, province.commune2)
    assert set(parties(d)) == {CENTRE_ID, SNV, COMMUNE2_ID}
    d = act(services.forward, province.centre_desk, d, at(2, 10))
    d = act(services.forward, world.division_leader, d, at(2, 11), assignee_id=world.specialist.pk)
    d = act(services.forward, world.specialist, d, at(3, 10))
    d = act(services.forward, world.division_leader, d, at(3, 11))
    d = act(services.approve, world.leader, d, at(4, 9), result=services.Result(number="13/QĐ-SNV"))
    assert d.current_agency == province.commune2
    d = act(services.mark_ready, province.commune2_desk, d, at(4, 10))
    assert d.result_ready_at is not None


def test_a_commune_procedure_goes_to_the_applicants_commune_by_default(world, province, now):
    base = intake(COMMUNE_PROC)
    d = services.receive_at_desk(actor=province.centre_desk, intake=with_(base, applicant_commune=COMMUNE2_ID))
    assert d.agency == province.commune2 and d.receiving_agency == province.centre
    assert d.code.startswith(CENTRE_ID)
    # Received at a commune without a choice: that commune resolves it.
    d2 = services.receive_at_desk(actor=province.commune_desk, intake=base)
    assert d2.agency == province.commune
    # At the centre with neither: the desk must choose.
    with pytest.raises(DomainError) as refused:
        services.receive_at_desk(actor=province.centre_desk, intake=base)
    assert refused.value.details["field"] == "resolving_agency"


def test_handing_a_dossier_to_an_agency_that_does_not_resolve_the_procedure_is_refused(world, province, now):
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        services.receive_at_desk(actor=province.commune_desk, intake=with_(intake(), resolving_agency=THIRD_ID))
    assert refused.value.message.startswith("Sở Y tế không giải quyết thủ tục")
    assert refused.value.details["field"] == "resolving_agency"
    with pytest.raises(DomainError) as refused:
        services.receive_at_desk(actor=province.commune_desk, intake=with_(intake(), resolving_agency="000.99.99.H22"))
    assert "Không có cơ quan mã" in refused.value.message
    # A commune that lacks the division the process names cannot be given the dossier.
    Division.objects.filter(agency=province.commune2, kind="VHXH").update(is_active=False)
    with pytest.raises(DomainError) as refused:
        services.receive_at_desk(actor=province.commune_desk,
                                 intake=with_(intake(COMMUNE_PROC), resolving_agency=COMMUNE2_ID))
    assert "chưa có phòng, đơn vị loại VHXH" in refused.value.message
    assert snapshot() == before


def test_codes_are_gap_free_per_receiving_point_and_log_numbers_per_resolvingmake_agency(world, province, now):
    a = services.receive_at_desk(actor=province.commune_desk, intake=with_(intake(), resolving_agency=SNV))
    b = services.receive_at_desk(actor=world.desk, intake=intake())
    c = services.receive_at_desk(actor=province.commune_desk, intake=with_(intake(), resolving_agency=SNV))
    assert [a.code[-4:], b.code[-4:], c.code[-4:]] == ["0001", "0001", "0002"]
    assert [a.log_number, b.log_number, c.log_number] == [1, 2, 3]


# --------------------------------------------------------------------------------------------------------
# Liên thông inside the province


def test_a_partner_agency_does_its_step_in_its_own_queue(world, province, now):
    d = services.receive_at_desk(actor=world.desk, intake=intake(LIENTHONG))
    assert parties(d) == {SNV: False, PARTNER_ID: True}
    d = act(services.forward, world.desk, d, at(2, 10), assignee_id=world.specialist.pk)
    d = act(services.forward, world.specialist, d, at(3, 10))  # on to the partner: an ordinary hand-off
    assert d.current_agency == province.partner and d.current_division.code == "NS"
    mine = selectors.dossier_list(actor_of(province.partner_specialist), queue=selectors.Queue.MINE)
    assert [r.code for r in mine.rows] == [d.code]
    assert "Sở Tài chính" in mine.rows[0].place or mine.rows[0].place == "Phòng Ngân sách"
    with pytest.raises(DomainError):  # the department's specialist cannot act on the partner's step
        act(services.forward, world.specialist, d, at(3, 11))
    # The partner sends it back once, then forwards it; the control sheet runs on unbroken.
    d = act(services.send_back, province.partner_specialist, d, at(4, 9), reason="Thiếu dự toán kinh phí")
    assert d.current_agency == world.agency
    d = act(services.forward, world.specialist, d, at(4, 10))
    d = act(services.forward, province.partner_specialist, d, at(5, 10))
    assert d.current_agency == world.agency and d.current_role == "agency_leader"
    d = act(services.approve, world.leader, d, at(6, 9), result=services.Result(number="14/QĐ-SNV"))
    steps_taken = list(DossierStep.objects.filter(dossier=d).order_by("started_at", "id")
                       .values_list("agency__identifier", flat=True))
    assert PARTNER_ID in steps_taken and steps_taken[-1] == SNV
    assert list(Handoff.objects.filter(dossier=d).values_list("seq", flat=True)) == list(range(1, d.version + 1))


# --------------------------------------------------------------------------------------------------------
# Who sees what: pages, API and file downloads


@pytest.fixture
def crossing(world, province, now) -> Dossier:
    """A dossier received at the commune for the department, with a liên thông step at Sở Tài chính, a scan,
    now at the partner."""
    d = services.receive_at_desk(actor=province.commune_desk, intake=with_(
        intake(LIENTHONG, files=[(_first_document(LIENTHONG), upload("don.pdf", samples.pdf()))]),
        resolving_agency=SNV))
    d = act(services.forward, province.commune_desk, d, at(2, 10), assignee_id=world.specialist.pk)
    return act(services.forward, world.specialist, d, at(3, 10))


def _first_document(code: str) -> int:
    from tests.dossiers.conftest import documents

    return documents(code)[0].pk


def login(client, staff) -> None:
    client.force_login(staff.user)


def _visits(client, staff, dossier) -> tuple[int, int, int]:
    login(client, staff)
    attachment = dossier.attachments.first()
    codes = (client.get(f"/ho-so/{dossier.code}/").status_code,
             client.get(f"/api/v1/dossiers/{dossier.code}").status_code,
             client.get(f"/ho-so/{dossier.code}/tep/{attachment.pk}/").status_code)
    client.logout()
    return codes


@pytest.mark.parametrize(("who", "expected"), [
    ("commune_desk", (200, 200, 200)),        # receiving point's desk
    ("commune_leader", (200, 200, 200)),      # receiving point's leader (sees its agency's dossiers)
    ("commune_specialist", (403, 403, 403)),  # receiving point, not working on it
    ("partner_specialist", (200, 200, 200)),  # the partner's step is theirs
    ("partner_leader", (200, 200, 200)),
    ("third_leader", (404, 404, 404)),        # a third agency sees nothing, not even that it exists
    ("commune2_desk", (404, 404, 404)),
    ("centre_desk", (404, 404, 404)),
    ("province_leader", (200, 200, 200)),
    ("province_auditor", (200, 200, 200)),
])
def test_who_sees_a_dossier_that_crosses_agencies(client, province, crossing, who, expected):
    assert _visits(client, getattr(province, who), crossing) == expected


def test_the_resolving_agencys_staff_see_it_with_their_own_roles(client, world, crossing):
    assert _visits(client, world.leader, crossing) == (200, 200, 200)
    assert _visits(client, world.specialist, crossing) == (200, 200, 200)  # worked on it
    assert _visits(client, world.specialist2, crossing) == (403, 403, 403)  # did not


def test_province_readers_read_but_never_act(client, world, province, crossing):
    before = snapshot()
    for reader in (province.province_leader, province.province_auditor):
        with pytest.raises(DomainError) as refused:
            act(services.forward, reader, crossing, at(3, 11))
        assert refused.value.code == "forbidden" and refused.value.message == services.READ_ONLY
        with pytest.raises(DomainError) as refused:  # read-only comes first, even on a stale version
            act(services.withdraw, reader, Dossier(code=crossing.code, version=1), at(3, 11), reason="Rút")
        assert refused.value.message == services.READ_ONLY
        with pytest.raises(DomainError):
            act(services.reject, reader, crossing, at(3, 11), reason="Không")
        login(client, reader)
        response = client.post(f"/ho-so/{crossing.code}/thao-tac/forward/", {"version": crossing.version})
        assert response.status_code in (400, 403)
        client.logout()
    assert snapshot() == before


def test_personal_data_follows_the_existing_rules_in_everymake_agency(client, province, crossing):
    def shown(staff) -> bool:
        login(client, staff)
        body = client.get(f"/api/v1/dossiers/{crossing.code}").json()
        client.logout()
        return body["applicant"]["id_number"] == "002190001234"

    assert shown(province.commune_desk)          # the receiving desk
    assert shown(province.partner_specialist)    # working on it
    assert shown(province.province_auditor)
    assert not shown(province.province_leader)   # reads, but no need for the citizen's number
    assert not shown(province.partner_leader)


def test_the_agency_list_of_a_receiving_point_shows_what_it_received(world, province, crossing):
    rows = selectors.dossier_list(actor_of(province.commune_leader), queue=selectors.Queue.ALL).rows
    assert [r.code for r in rows] == [crossing.code]
    assert not selectors.dossier_list(actor_of(province.third_leader), queue=selectors.Queue.ALL).rows
    everyone = selectors.dossier_list(actor_of(province.province_leader), queue=selectors.Queue.ALL).rows
    assert crossing.code in [r.code for r in everyone]


def test_an_online_commune_dossier_waits_at_the_chosen_communes_desk(world, province, now):
    from django.contrib.auth import get_user_model

    account = get_user_model().objects.create_user("citizen-1", password="x" * 12)
    online = with_(intake(COMMUNE_PROC), channel="online")
    with pytest.raises(DomainError) as refused:  # which commune? the applicant must say
        services.submit_as_applicant(account=account, intake=online)
    assert refused.value.details["field"] == "resolving_agency"
    d = services.submit_as_applicant(account=account, intake=with_(online, resolving_agency=COMMUNE2_ID))
    assert (d.agency, d.receiving_agency, d.current_agency) == (province.commune2, province.commune2,
                                                                 province.commune2)
    desk = selectors.dossier_list(actor_of(province.commune2_desk), queue=selectors.Queue.DESK)
    assert [r.code for r in desk.rows] == [d.code]
    d = act(services.receive, province.commune2_desk, d, at(2, 10))
    assert d.state == "received" and d.current_step.agency == province.commune2


def test_a_partner_asks_for_a_supplement_which_comes_in_through_the_receiving_desk(world, province, crossing):
    d = act(services.request_supplement, province.partner_specialist, crossing, at(3, 11),
            reason="Thiếu dự toán", items=[services.MissingItem("Dự toán kinh phí")])
    assert d.state == "awaiting_supplement" and d.current_agency is None
    with pytest.raises(DomainError) as refused:  # not the department's desk: the commune received it
        act(services.provide_supplement, world.desk, d, at(4, 9))
    assert refused.value.message == policy.OTHER_AGENCY
    d = act(services.provide_supplement, province.commune_desk, d, at(4, 9), note="Đã nộp dự toán")
    assert d.current_agency == province.partner and d.current_step.division.code == "NS"
    assert d.current_step.assignee is None or d.current_step.assignee.agency == province.partner


def test_the_delivery_point_sees_the_dossier_it_will_hand_back(client, world, province, now):
    d = services.receive_at_desk(actor=province.centre_desk, intake=with_(
        intake(files=[(_first_document(ORDINARY), upload("don.pdf", samples.pdf()))]),
        resolving_agency=SNV, delivery_agency=COMMUNE2_ID))
    assert _visits(client, province.commune2_desk, d) == (200, 200, 200)   # delivery point
    assert _visits(client, province.centre_desk, d) == (200, 200, 200)     # receiving point
    assert _visits(client, province.commune_desk, d) == (404, 404, 404)    # neither
    with pytest.raises(DomainError) as refused:  # the delivery desk cannot act on the receiving desk's step
        act(services.forward, province.commune2_desk, d, at(2, 10))
    assert refused.value.code == "forbidden"
