"""The catalogue of a province: one procedure resolved by many agencies (a commune-level one by every commune),
imported once, exported and imported again unchanged, and shown to the public with where it is received (any
one-stop desk of the province) and where it is resolved."""

from __future__ import annotations

import copy
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog import services, xlsx
from motcua.catalog.api import ProcedureOut
from motcua.catalog.models import Procedure
from motcua.core.models import AuditEvent
from motcua.org.models import Agency
from motcua.org.roles import Role
from tests.catalog.conftest import SNV, UBND, as_bytes, document, procedure
from tests.catalog.test_import import refused
from tests.factories import AgencyFactory, DivisionFactory, make_staff

KINDS = Agency.Kind
CENTRE, BRANCH, OUTSIDE, MERGED = "000.00.30.H22", "000.00.31.H22", "000.00.00.G01", "000.01.09.H22"
COMMUNES = ("000.01.01.H22", "000.01.02.H22", "000.01.03.H22")
COMMUNE_PROCEDURE = "2.000986"


@pytest.fixture
def province(department):
    """Sở Nội vụ (with its desk), the UBND tỉnh, the service centre and a branch, three communes with their desks
    and their culture and society divisions, a merged commune, and a ministry outside the province."""
    department.divisions.filter(code="VP").update(is_one_stop_desk=True)
    ubnd = Agency.objects.get(identifier=UBND)
    centre = AgencyFactory(identifier=CENTRE, name="Trung tâm Phục vụ hành chính công tỉnh", short_name="TTPVHCC",
                           kind=KINDS.SERVICE_CENTRE, parent=ubnd)
    DivisionFactory(agency=centre, code="MC", name="Bộ phận tiếp nhận và trả kết quả", is_one_stop_desk=True)
    branch = AgencyFactory(identifier=BRANCH, name="Chi nhánh Trung tâm số 1", short_name="CN1", kind=KINDS.BRANCH,
                           parent=centre)
    DivisionFactory(agency=branch, code="MC", name="Bộ phận một cửa chi nhánh", is_one_stop_desk=True)
    for identifier, name in zip(COMMUNES, ("Ngọc Đường", "Phương Độ", "Thanh Thủy"), strict=True):
        commune = AgencyFactory(identifier=identifier, name=f"UBND xã {name}", short_name="UBNDX", kind=KINDS.COMMUNE,
                                parent=ubnd)
        DivisionFactory(agency=commune, code="MC", name="Bộ phận một cửa xã", is_one_stop_desk=True)
        DivisionFactory(agency=commune, code="VHXH", name="Phòng Văn hóa - Xã hội")
    AgencyFactory(identifier=MERGED, name="UBND xã đã sáp nhập", short_name="UBNDX", kind=KINDS.COMMUNE,
                  is_active=False)
    AgencyFactory(identifier=OUTSIDE, name="Bộ Nội vụ", short_name="BNV", kind=KINDS.OTHER, on_system=False)
    return department


def commune_procedure(**extra) -> dict:
    """A commune-level procedure published by the UBND tỉnh and resolved by every commune."""
    p = procedure(code=COMMUNE_PROCEDURE, name="Công nhận tổ trưởng tổ dân phố", hours=(8, 16, 40, 16)) | {
        "resolving_agency": UBND, "resolved_by": ["communes"]}
    for step, division in zip(p["versions"][0]["steps"], (None, "VHXH", "VHXH", None), strict=True):
        step["division"] = division
    return p | extra


def resolvers(code: str) -> list[str]:
    return sorted(Procedure.objects.get(code=code).resolving_agencies.values_list("identifier", flat=True))


# ------------------------------------------------------------------------------------------ import and export


def test_a_commune_procedure_is_resolved_by_every_active_commune_and_exported_as_communes(province):
    doc = document(procedure(), commune_procedure())
    assert services.import_catalog(actor=None, data=as_bytes(doc)).procedures_created == 2
    assert resolvers(COMMUNE_PROCEDURE) == list(COMMUNES)  # not the merged commune
    assert resolvers("1.005384") == [SNV]
    exported = services.export_document()
    assert [(p["code"], p["resolving_agency"], p["resolved_by"]) for p in exported["procedures"]] == [
        ("1.005384", SNV, [SNV]), (COMMUNE_PROCEDURE, UBND, ["communes"])]
    expected = json.loads(as_bytes(doc))
    expected["procedures"].sort(key=lambda p: p["code"])
    assert exported == expected
    events = AuditEvent.objects.count()
    assert services.import_catalog(actor=None, data=as_bytes(exported)) == services.ImportResult(0, 0, 0, 2)
    assert AuditEvent.objects.count() == events


def test_a_list_of_resolving_agencies_is_kept_and_a_change_on_import_is_recorded(province):
    p = procedure(resolved_by=[COMMUNES[1], SNV])
    services.import_catalog(actor=None, data=as_bytes(document(p)))
    assert resolvers("1.005384") == [SNV, COMMUNES[1]]
    assert services.export_document()["procedures"][0]["resolved_by"] == sorted([SNV, COMMUNES[1]])
    result = services.import_catalog(actor=None, data=as_bytes(document(p | {"resolved_by": [SNV]})))
    assert result == services.ImportResult(0, 1, 0, 0)
    assert resolvers("1.005384") == [SNV]
    event = AuditEvent.objects.filter(action="catalog.procedure.update").latest("pk")
    assert event.changes["before"]["resolved_by"] == [SNV, COMMUNES[1]]
    assert event.changes["after"]["resolved_by"] == [SNV]


def test_without_resolved_by_the_leading_agency_resolves_and_the_old_receiving_agency_key_is_ignored(province):
    p = procedure() | {"receiving_agency": CENTRE}
    del p["resolved_by"]
    services.import_catalog(actor=None, data=as_bytes(document(p)))
    assert resolvers("1.005384") == [SNV]
    exported = services.export_document()["procedures"][0]
    assert exported["resolved_by"] == [SNV] and "receiving_agency" not in exported


@pytest.mark.parametrize(("resolved_by", "expected"), [
    ([SNV, "000.00.77.H22"], "procedures[1].resolved_by[1]: không có cơ quan mã 000.00.77.H22"),
    ([CENTRE], "procedures[1].resolved_by[0]: Trung tâm Phục vụ hành chính công tỉnh chỉ tiếp nhận hồ sơ và trả "
               "kết quả, không giải quyết thủ tục"),
    ([SNV, BRANCH], "procedures[1].resolved_by[1]: Chi nhánh Trung tâm số 1 chỉ tiếp nhận hồ sơ và trả kết quả"),
    ([OUTSIDE], "procedures[1].resolved_by[0]: Bộ Nội vụ không làm việc trên hệ thống này"),
    ([MERGED], "procedures[1].resolved_by[0]: UBND xã đã sáp nhập đã ngừng hoạt động"),
    (["communes", SNV], "procedures[1].resolved_by: \"communes\" đã gồm mọi xã, phường"),
    ("communes", "procedures[1].resolved_by: phải là danh sách mã cơ quan"),
])
def test_an_agency_that_cannot_resolve_is_refused_by_name_and_nothing_is_written(province, resolved_by, expected):
    problems = refused(as_bytes(document(procedure(), procedure(code="2.000001", resolved_by=resolved_by))))
    assert any(expected in p for p in problems), problems
    assert not Agency.objects.get(identifier=SNV).resolved_procedures.exists()


def test_a_receive_only_leading_agency_without_resolved_by_is_refused(province):
    p = procedure(resolving_agency=CENTRE)
    del p["resolved_by"]
    problem = next(p for p in refused(as_bytes(document(p))) if p.startswith("procedures[0].resolving_agency"))
    assert problem.startswith("procedures[0].resolving_agency: Trung tâm Phục vụ hành chính công tỉnh chỉ tiếp nhận")
    assert "cơ quan chủ trì là cơ quan giải quyết" in problem


def test_communes_are_refused_when_the_province_has_none(department):
    problems = refused(as_bytes(document(commune_procedure())))
    assert problems == ["procedures[0].resolved_by: tỉnh chưa có xã, phường nào đang hoạt động trên hệ thống"]


def test_the_catalogue_goes_through_excel_and_back_unchanged(province):
    services.import_catalog(actor=None, data=as_bytes(document(procedure(resolved_by=[SNV, COMMUNES[0]]),
                                                               commune_procedure())))
    workbook = xlsx.to_workbook(services.export_document())
    procedures = openpyxl.load_workbook(io.BytesIO(workbook))["procedures"]
    header = [cell.value for cell in procedures[1]]
    assert "receiving_agency" not in header
    assert [row[header.index("resolved_by")] for row in procedures.iter_rows(min_row=2, values_only=True)] == [
        f"{SNV}, {COMMUNES[0]}", "communes"]
    assert services.import_catalog(actor=None, data=workbook, filename="danh-muc.xlsx") == \
        services.ImportResult(0, 0, 0, 2)


def test_a_workbook_of_the_one_agency_layout_still_imports(province):
    def old_layout(wb):  # "receiving_agency" where "resolved_by" is now
        ws = wb["procedures"]
        column = next(cell.column for cell in ws[1] if cell.value == "resolved_by")
        ws.cell(row=1, column=column).value = "receiving_agency"
        for row in range(2, ws.max_row + 1):
            ws.cell(row=row, column=column).value = CENTRE

    wb = openpyxl.load_workbook(io.BytesIO(xlsx.to_workbook(document(procedure()))))
    old_layout(wb)
    out = io.BytesIO()
    wb.save(out)
    assert services.import_catalog(actor=None, data=out.getvalue(), filename="cu.xlsx").procedures_created == 1
    assert resolvers("1.005384") == [SNV]


# ------------------------------------------------------------------------------------------ the public catalogue


@pytest.fixture
def catalogue(province):
    services.import_catalog(actor=None, data=as_bytes(document(procedure(), commune_procedure())))


def test_the_page_of_a_commune_procedure_says_every_commune_resolves_it_with_the_list_folded(client, catalogue):
    html = client.get(f"/thu-tuc/{COMMUNE_PROCEDURE}/").content.decode()
    resolved = html[html.index('id="noi-giai-quyet"'):html.index('id="noi-tiep-nhan"')]
    assert "UBND mọi xã, phường của tỉnh (3 xã, phường)" in resolved
    folded = resolved[resolved.index("<details>"):resolved.index("</details>")]
    assert all(name in folded for name in ("UBND xã Ngọc Đường", "UBND xã Phương Độ", "UBND xã Thanh Thủy"))
    assert "đã sáp nhập" not in html
    assert "<dt>Cơ quan chủ trì</dt><dd>UBND tỉnh Hà Giang</dd>" in html
    # The steps name their places as the communes name them; a desk officer's step is at the one-stop desk.
    assert "— Phòng Văn hóa - Xã hội ·" in html and "— Bộ phận một cửa ·" in html


def test_the_page_says_any_desk_of_the_province_receives_and_lists_them(client, catalogue):
    html = client.get("/thu-tuc/1.005384/").content.decode()
    resolved = html[html.index('id="noi-giai-quyet"'):html.index('id="noi-tiep-nhan"')]
    assert "Sở Nội vụ tỉnh Hà Giang" in resolved and "<details>" not in resolved
    assert "Cơ quan chủ trì" not in html  # the leading agency is the one that resolves it
    received = html[html.index('id="noi-tiep-nhan"'):]
    received = received[:received.index("</dd>")]
    assert "không phụ thuộc địa giới hành chính" in received
    for name in ("Trung tâm Phục vụ hành chính công tỉnh", "Chi nhánh Trung tâm số 1", "UBND xã Phương Độ",
                 "Sở Nội vụ tỉnh Hà Giang"):
        assert name in received, name
    assert "Bộ Nội vụ" not in received and "đã sáp nhập" not in received


def test_the_api_says_where_a_procedure_is_received_and_resolved(client, catalogue):
    body = client.get(f"/api/v1/procedures/{COMMUNE_PROCEDURE}").json()
    ProcedureOut.model_validate(body)
    assert body["agency"] == UBND and body["resolved_by_all_communes"] is True
    assert [(a["identifier"], a["kind"]) for a in body["resolving_agencies"]] == [(c, "commune") for c in COMMUNES]
    received = body["received_at"]
    assert received["anywhere"] is True and "không phụ thuộc địa giới hành chính" in received["note"]
    assert [a["identifier"] for a in received["points"]] == [SNV, CENTRE, BRANCH, *COMMUNES]
    steps = body["current_version"]["steps"]
    assert (steps[0]["place"], steps[1]["place"], steps[1]["division_kind"]) == (
        "Bộ phận một cửa", "Phòng Văn hóa - Xã hội", "VHXH")
    department = client.get("/api/v1/procedures/1.005384").json()
    assert department["resolved_by_all_communes"] is False
    assert department["resolving_agencies"] == [{"identifier": SNV, "name": "Sở Nội vụ tỉnh Hà Giang",
                                                 "kind": "department"}]
    assert department["current_version"]["steps"][1]["place"] == "Phòng Công chức, viên chức"


def test_the_detail_costs_the_same_queries_for_three_communes_or_thirty(client, catalogue):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/procedures/{COMMUNE_PROCEDURE}").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    procedure_ = Procedure.objects.get(code=COMMUNE_PROCEDURE)
    for i in range(27):
        commune = AgencyFactory(identifier=f"000.02.{i:02d}.H22", kind=KINDS.COMMUNE)
        DivisionFactory(agency=commune, code="MC", is_one_stop_desk=True)
        DivisionFactory(agency=commune, code="VHXH", name=f"Phòng Văn hóa - Xã hội {i}")
        procedure_.resolving_agencies.add(commune)
    assert queries() == few
    assert client.get(f"/api/v1/procedures/{COMMUNE_PROCEDURE}").json()["resolved_by_all_communes"] is True


def test_the_catalogue_filters_by_resolving_agency_and_by_level(client, catalogue):
    def codes(**params) -> list[str]:
        return [p["code"] for p in client.get("/api/v1/procedures", params).json()["items"]]

    assert codes(agency=COMMUNES[2]) == [COMMUNE_PROCEDURE]
    assert codes(agency=SNV) == ["1.005384"]
    assert codes(agency=UBND) == [COMMUNE_PROCEDURE]  # it leads the commune procedure
    assert codes(kind="commune") == [COMMUNE_PROCEDURE] and codes(kind="department") == ["1.005384"]
    html = client.get("/thu-tuc/", {"cap": "commune"}).content.decode()
    assert "Công nhận tổ trưởng tổ dân phố" in html and "Bổ nhiệm ngạch công chức" not in html
    html = client.get("/thu-tuc/", {"co-quan": COMMUNES[0]}).content.decode()
    assert "Công nhận tổ trưởng tổ dân phố" in html and "Bổ nhiệm ngạch công chức" not in html


def test_a_change_of_resolving_agencies_reaches_the_search_at_once(client, catalogue):
    assert client.get("/api/v1/procedures", {"agency": COMMUNES[0]}).json()["count"] == 1
    Procedure.objects.get(code=COMMUNE_PROCEDURE).resolving_agencies.remove(
        Agency.objects.get(identifier=COMMUNES[0]))
    assert client.get("/api/v1/procedures", {"agency": COMMUNES[0]}).json()["count"] == 0


# ------------------------------------------------------------------------------------------ the admin


@pytest.fixture
def admin_client(client, catalogue):
    admin = make_staff(role=Role.ADMINISTRATOR, agency=Agency.objects.get(identifier=SNV))
    client.force_login(admin.user)
    client.admin = admin
    return client


def procedure_form(p: Procedure, resolving: list[Agency]) -> dict:
    return {"code": p.code, "name": p.name, "field": p.field_id, "agency": p.agency_id, "result_type": p.result_type,
            "for_individuals": "on", "channel_desk": "on", "online_level": "none", "status": "active",
            "resolving_agencies": [a.pk for a in resolving]}


def test_the_admin_edits_the_resolving_agencies_among_those_that_can_resolve(admin_client):
    p = Procedure.objects.get(code="1.005384")
    page = admin_client.get(f"/admin/catalog/procedure/{p.pk}/change/").content.decode()
    assert 'name="resolving_agencies"' in page and "selectfilter" in page.lower()  # filter_horizontal
    form = page[page.index('name="resolving_agencies"'):]
    form = form[:form.index("</select>")]
    assert "UBND xã Ngọc Đường" in form and "Sở Nội vụ tỉnh Hà Giang" in form
    assert "Trung tâm Phục vụ" not in form and "Chi nhánh" not in form and "Bộ Nội vụ" not in form
    communes = list(Agency.objects.filter(identifier__in=COMMUNES))
    response = admin_client.post(f"/admin/catalog/procedure/{p.pk}/change/", procedure_form(p, [p.agency, *communes]))
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert resolvers("1.005384") == sorted([SNV, *COMMUNES])
    listed = admin_client.get("/admin/catalog/procedure/", {"resolving_agencies__kind": "commune"}).content.decode()
    assert listed.count('<td class="field-name">Bổ nhiệm ngạch công chức</td>') == 1  # once, for three communes
    event = AuditEvent.objects.get(action="catalog.procedure.set_resolving_agencies")
    assert event.changes["before"] == {"resolving_agencies": [SNV]}
    assert event.actor_username == admin_client.admin.user.username
    centre = Agency.objects.get(identifier=CENTRE)
    response = admin_client.post(f"/admin/catalog/procedure/{p.pk}/change/", procedure_form(p, [centre]))
    assert response.status_code == 200  # the form again: the centre is not a choice
    assert resolvers("1.005384") == sorted([SNV, *COMMUNES])


def test_a_procedure_saved_with_no_resolving_agency_is_resolved_by_its_leading_agency(admin_client):
    p = Procedure.objects.get(code="1.005384")
    response = admin_client.post(f"/admin/catalog/procedure/{p.pk}/change/", procedure_form(p, []))
    assert response.status_code == 302
    assert resolvers("1.005384") == [SNV]


def test_the_step_inline_names_a_division_kind(admin_client):
    from django.utils import timezone

    from motcua.catalog.models import ProcedureVersion

    version = ProcedureVersion.objects.get(procedure__code="1.005384")
    copy_ = services.copy_version(actor=admin_client.admin, version=version)
    copy_.refresh_from_db()
    assert copy_.effective_from > timezone.localdate()
    page = admin_client.get(f"/admin/catalog/procedureversion/{copy_.pk}/change/").content.decode()
    assert 'name="steps-1-division_kind"' in page and 'value="CCVC"' in page
    assert 'name="steps-1-division"' not in page and 'name="steps-1-unit"' not in page
    assert [s.division_kind for s in copy_.steps.order_by("order")] == [
        s["division"] or "" for s in copy.deepcopy(procedure())["versions"][0]["steps"]]


def test_the_catalogue_list_names_the_communes_not_the_leading_committee_for_a_commune_procedure(client, catalogue):
    html = client.get("/thu-tuc/", {"cap": "commune"}).content.decode()
    assert "UBND cấp xã (mọi xã, phường)" in html
    html = client.get("/thu-tuc/", {"cap": "department"}).content.decode()
    assert "UBND cấp xã" not in html
