"""GET /api/v1/agencies: the province's agencies for any client, without a login — each with its kind, its
parent, and for a branch of the service centre the communes it serves."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.org.api import AgencyPage
from motcua.org.models import Agency
from tests.factories import AgencyFactory, DivisionFactory

KINDS = Agency.Kind


@pytest.fixture
def province(db):
    ubnd = AgencyFactory(identifier="000.00.00.H22", name="UBND tỉnh Hà Giang", short_name="UBND", kind=KINDS.PROVINCE)
    snv = AgencyFactory(identifier="000.00.12.H22", name="Sở Nội vụ", short_name="SNV", parent=ubnd)
    DivisionFactory(agency=snv, code="VP", name="Văn phòng Sở", is_one_stop_desk=True)
    stp = AgencyFactory(identifier="000.00.13.H22", name="Sở Tư pháp", short_name="STP", parent=ubnd)
    centre = AgencyFactory(identifier="000.00.30.H22", name="Trung tâm Phục vụ hành chính công tỉnh",
                           short_name="TTPVHCC", kind=KINDS.SERVICE_CENTRE, parent=ubnd)
    DivisionFactory(agency=centre, code="MC", name="Bộ phận một cửa", is_one_stop_desk=True)
    branch = AgencyFactory(identifier="000.00.31.H22", name="Chi nhánh số 1", short_name="CN1", kind=KINDS.BRANCH,
                           parent=centre)
    communes = [AgencyFactory(identifier=f"000.01.{i:02d}.H22", name=f"UBND xã {name}", short_name=f"X{i}",
                              kind=KINDS.COMMUNE, parent=ubnd)
                for i, name in enumerate(["Ngọc Đường", "Phương Độ", "Thanh Thủy"], 1)]
    for commune in communes:
        DivisionFactory(agency=commune, code="MC", name="Bộ phận một cửa", is_one_stop_desk=True)
    branch.served_communes.set(communes[:2])
    AgencyFactory(identifier="000.00.00.G01", name="Bộ Nội vụ", short_name="BNV", kind=KINDS.OTHER, on_system=False)
    AgencyFactory(identifier="000.01.09.H22", name="UBND xã đã sáp nhập", short_name="X9", kind=KINDS.COMMUNE,
                  is_active=False)
    return {"ubnd": ubnd, "snv": snv, "stp": stp, "centre": centre, "branch": branch, "communes": communes}


def test_the_agencies_are_public_and_in_their_documented_shape(client, province):
    response = client.get("/api/v1/agencies")  # no login, no token
    assert response.status_code == 200
    body = AgencyPage.model_validate(response.json()).model_dump()
    assert body["count"] == 8 and body["limit"] == 100 and body["offset"] == 0
    identifiers = [a["identifier"] for a in body["items"]]
    assert "000.00.00.G01" not in identifiers  # outside the province
    assert "000.01.09.H22" not in identifiers  # no longer active


def test_the_province_comes_first_then_departments_the_centre_branches_and_communes(client, province):
    items = client.get("/api/v1/agencies").json()["items"]
    assert [(a["kind"], a["name"]) for a in items] == [
        ("province", "UBND tỉnh Hà Giang"), ("department", "Sở Nội vụ"), ("department", "Sở Tư pháp"),
        ("service_centre", "Trung tâm Phục vụ hành chính công tỉnh"), ("branch", "Chi nhánh số 1"),
        ("commune", "UBND xã Ngọc Đường"), ("commune", "UBND xã Phương Độ"), ("commune", "UBND xã Thanh Thủy")]


def test_each_agency_names_its_parent_and_a_branch_its_communes(client, province):
    by_id = {a["identifier"]: a for a in client.get("/api/v1/agencies").json()["items"]}
    assert by_id["000.00.00.H22"]["parent"] is None
    assert by_id["000.00.12.H22"] == {
        "identifier": "000.00.12.H22", "name": "Sở Nội vụ", "short_name": "SNV", "kind": "department",
        "parent": "000.00.00.H22", "served_communes": None, "receives": True, "resolves": True}
    assert by_id["000.00.31.H22"]["parent"] == "000.00.30.H22"
    assert by_id["000.00.31.H22"]["served_communes"] == ["000.01.01.H22", "000.01.02.H22"]
    assert by_id["000.01.01.H22"]["served_communes"] is None


def test_receiving_points_and_resolving_agencies_are_told_apart(client, province):
    by_id = {a["identifier"]: a for a in client.get("/api/v1/agencies").json()["items"]}
    centre, branch = by_id["000.00.30.H22"], by_id["000.00.31.H22"]
    assert (centre["receives"], centre["resolves"]) == (True, False)  # receives and returns, resolves nothing
    assert (branch["receives"], branch["resolves"]) == (False, False)  # no desk yet
    assert (by_id["000.00.13.H22"]["receives"], by_id["000.00.13.H22"]["resolves"]) == (False, True)
    assert all(by_id[c.identifier]["receives"] and by_id[c.identifier]["resolves"] for c in province["communes"])


def test_the_list_filters_by_kind_and_pages_by_limit_and_offset(client, province):
    communes = client.get("/api/v1/agencies", {"kind": "commune"}).json()
    assert communes["count"] == 3 and {a["kind"] for a in communes["items"]} == {"commune"}
    page = client.get("/api/v1/agencies", {"limit": 2, "offset": 2}).json()
    assert page["count"] == 8 and [a["name"] for a in page["items"]] == ["Sở Tư pháp",
                                                                         "Trung tâm Phục vụ hành chính công tỉnh"]
    for bad in ({"kind": "district"}, {"limit": 0}, {"limit": 501}, {"offset": -1}):
        response = client.get("/api/v1/agencies", bad)
        assert response.status_code == 422 and response.json()["code"] == "invalid", bad


def test_the_list_costs_the_same_queries_for_few_or_many_agencies(client, province):
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/agencies")
    for i in range(10):
        commune = AgencyFactory(identifier=f"000.02.{i:02d}.H22", kind=KINDS.COMMUNE, parent=province["ubnd"])
        province["branch"].served_communes.add(commune)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/v1/agencies").json()
    assert body["count"] == 18 and len(many.captured_queries) == len(few.captured_queries) <= 3


def test_the_openapi_schema_documents_the_agencies(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/agencies"]["get"]
    assert operation.get("security") in (None, [])  # public
    names = {p["name"] for p in operation["parameters"]}
    assert {"kind", "limit", "offset"} <= names
    agency = schema["components"]["schemas"]["ProvinceAgencyOut"]
    assert set(agency["required"]) >= {"identifier", "name", "kind", "parent", "served_communes"}
    assert agency["properties"]["kind"]["enum"] == ["province", "department", "service_centre", "branch", "commune"]
