"""The province's reports as a client and a reader use them: ``scope=province`` and ``by`` on
``GET /api/v1/reports/resolution`` (and ``scope`` on the indicators), ``side`` for one agency, who is refused,
the province dashboard page and where it is linked from."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from motcua.core import clock
from tests.dossiers.conftest import SNV, at
from tests.reports.conftest import BRANCH, CENTRE, COMMUNE_A, COMMUNE_B

URL = "/api/v1/reports/resolution"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
MARCH_QUERY = "?from=2026-03-01&to=2026-03-31"


@pytest.fixture(autouse=True)
def end_of_march():
    with clock.at(at(31, 16)):
        yield


def get(client, staff, params: dict, url: str = URL):
    client.force_login(staff.user)
    return client.get(url, params)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --------------------------------------------------------------------------------------------------------
# scope=province


@pytest.mark.parametrize("who", ["leader", "auditor", "centre_director"])
def test_the_provinces_readers_get_the_whole_province_each_dossier_once(client, world, history, province,
                                                                        crossings, who):
    response = get(client, getattr(province, who), {**MARCH, "scope": "province"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["scope"], body["agency"], body["side"], body["group_by"]) == ("province", None, None, "procedure")
    assert body["totals"]["received"] == 15 and body["overlapping"] is False


def test_province_rows_per_resolving_agency_and_per_receiving_point_add_up_to_the_totals(client, world, history,
                                                                                       province, crossings):
    for by, expected in (("resolving_agency", {SNV: 12, COMMUNE_B: 3}),
                         ("receiving_agency", {SNV: 10, COMMUNE_A: 2, CENTRE: 1, COMMUNE_B: 1, BRANCH: 1})):
        body = get(client, province.leader, {**MARCH, "scope": "province", "by": by}).json()
        assert body["group_by"] == by and {r["key"]: r["received"] for r in body["rows"]} == expected
        assert sum(r["received"] for r in body["rows"]) == body["totals"]["received"] == 15
        assert sum(r["resolved"] for r in body["rows"]) == body["totals"]["resolved"]


def test_per_commune_the_rows_overlap_and_the_totals_count_each_dossier_once(client, world, province, crossings):
    body = get(client, province.leader, {**MARCH, "scope": "province", "by": "commune"}).json()
    assert body["overlapping"] is True
    assert {r["key"]: (r["label"], r["received"]) for r in body["rows"]} == {
        COMMUNE_A: ("UBND phường Hà Giang 1", 2), COMMUNE_B: ("UBND xã Ngọc Đường", 3)}
    assert body["totals"]["received"] == 4


def test_the_excel_of_an_overlapping_report_writes_its_totals_not_a_sum(client, world, province, crossings):
    response = get(client, province.leader, {**MARCH, "scope": "province", "by": "commune", "format": "xlsx"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["B8"].value == "UBND phường Hà Giang 1" and ws["B10"].value == "Tổng cộng"
    assert (ws["C8"].value, ws["C9"].value, ws["C10"].value) == (2, 3, 4)
    assert "cả hai dòng" in ws["A4"].value


@pytest.mark.parametrize("who", ["leader", "desk", "division_leader", "auditor"])
def test_scope_province_is_refused_to_an_agencys_readers(client, world, history, who):
    response = get(client, getattr(world, who), {**MARCH, "scope": "province"})
    assert response.status_code == 403
    assert response.json()["message"].startswith("Chỉ lãnh đạo tỉnh")
    indicators = get(client, getattr(world, who), {**MARCH, "scope": "province"}, "/api/v1/reports/indicators")
    assert indicators.status_code == 403


def test_scope_province_without_the_report_right_or_a_login(client, world, province):
    response = get(client, world.specialist, {**MARCH, "scope": "province"})
    assert response.status_code == 403 and response.json()["message"] == "Bạn không có quyền xem báo cáo, thống kê."
    client.logout()
    assert client.get(URL, {**MARCH, "scope": "province"}).status_code == 401


def test_a_commune_leader_may_not_read_the_province_nor_another_commune(client, world, province, crossings):
    assert get(client, province.a_leader, {**MARCH, "scope": "province"}).status_code == 403
    assert get(client, province.a_leader, {**MARCH, "agency": COMMUNE_B}).status_code == 403


@pytest.mark.parametrize(("params", "message"), [
    ({"scope": "district"}, "Phạm vi “district” không có"),
    ({"scope": "province", "agency": SNV}, "Báo cáo toàn tỉnh (scope=province) không chọn một cơ quan"),
    ({"scope": "province", "by": "ward"}, "Cách tổng hợp theo cơ quan “ward” không có"),
    ({"scope": "province", "by": "commune", "group_by": "field"}, "Chọn by hoặc group_by, không chọn cả hai."),
    ({"side": "both"}, "Phía cơ quan “both” không có"),
])
def test_a_scope_by_or_side_that_cannot_be_read_is_refused(client, world, province, params, message):
    response = get(client, province.leader, {**MARCH, **params})
    assert response.status_code == 400 and message in response.json()["message"], response.json()


# --------------------------------------------------------------------------------------------------------
# One agency, from one side


def test_one_agencys_report_keeps_its_figures_and_reads_other_sides_on_request(client, world, history, province,
                                                                              crossings):
    own = get(client, world.leader, MARCH).json()
    assert (own["scope"], own["agency"], own["side"]) == ("agency", SNV, "resolving")
    assert own["totals"]["received"] == 12  # the seed's ten and two received elsewhere for it
    desk_only = get(client, world.leader, {**MARCH, "side": "receiving", "by": "resolving_agency"}).json()
    assert desk_only["totals"]["received"] == 10 and [r["key"] for r in desk_only["rows"]] == [SNV]


def test_the_centre_reads_what_it_received_by_default(client, world, province, crossings):
    body = get(client, province.centre_director, MARCH).json()
    assert (body["agency"], body["side"], body["totals"]["received"]) == (CENTRE, "receiving", 1)
    body = get(client, province.centre_director, {**MARCH, "by": "resolving_agency"}).json()
    assert [(r["key"], r["resolved"]) for r in body["rows"]] == [(COMMUNE_B, 1)]
    indicators = get(client, province.centre_director, MARCH, "/api/v1/reports/indicators").json()
    assert (indicators["scope"], indicators["agency"], indicators["side"]) == ("agency", CENTRE, "receiving")


def test_a_commune_reads_its_desk_and_its_own_dossiers_together(client, world, province, crossings):
    body = get(client, province.a_leader, {**MARCH, "side": "either"}).json()
    assert (body["side"], body["totals"]["received"], body["totals"]["resolved"]) == ("either", 2, 1)
    assert get(client, province.b_leader, MARCH).json()["totals"]["received"] == 3


def test_the_province_indicators(client, world, history, province, crossings):
    body = get(client, province.leader, {**MARCH, "scope": "province"}, "/api/v1/reports/indicators").json()
    assert (body["scope"], body["agency"], body["side"]) == ("province", None, None)
    progress = next(i for i in body["indicators"] if i["code"] == "2.1")
    # every dossier of the province but the withdrawn one and the one waiting for a supplement, each once
    assert progress["denominator"] == 15 - 2


def test_the_openapi_schema_documents_scope_by_and_side(client, db):
    operation = client.get("/api/v1/openapi.json").json()["paths"][URL]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["scope"]["schema"]["enum"] == ["agency", "province"]
    assert parameters["by"]["schema"]["enum"] == ["resolving_agency", "receiving_agency", "commune"]
    assert parameters["side"]["schema"]["enum"] == ["resolving", "receiving", "either"]


# --------------------------------------------------------------------------------------------------------
# The province dashboard page


def page(client, staff, url: str, status: int = 200) -> str:
    client.force_login(staff.user)
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("who", ["leader", "auditor", "centre_director"])
def test_the_province_dashboard_shows_totals_and_both_tables(client, world, history, province, crossings, who):
    html = page(client, getattr(province, who), "/bao-cao/tinh/" + MARCH_QUERY)
    words = text(html)
    assert "Bảng điều hành toàn tỉnh" in words and "style=" not in html
    assert "Tiếp nhận mới 14" in words  # 15 in March, one of them carried over from February
    assert "Theo cơ quan giải quyết" in words and "Theo nơi tiếp nhận" in words
    assert "Sở Nội vụ tỉnh Hà Giang 12 7" in words and "UBND xã Ngọc Đường 3 2" in words
    assert "Trung tâm Phục vụ hành chính công tỉnh 1 0 1" in words
    assert f'agency={CENTRE}&amp;side=receiving' in html and f'agency={COMMUNE_B}&amp;side=resolving' in html
    assert "group_by=commune" in html  # the full report per commune


def test_the_province_dashboard_says_when_there_is_nothing(client, world, province):
    words = text(page(client, province.leader, "/bao-cao/tinh/" + MARCH_QUERY))
    assert "toàn tỉnh không có hồ sơ nào được tiếp nhận" in words and "Theo cơ quan giải quyết" not in words


def test_bad_dates_on_the_province_dashboard_get_a_message(client, world, province):
    html = page(client, province.leader, "/bao-cao/tinh/?from=2026-03-31&to=2026-03-01", status=400)
    assert "Ngày kết thúc không được trước" in html


@pytest.mark.parametrize("who", ["leader", "desk", "auditor"])
def test_the_province_dashboard_is_refused_to_an_agencys_readers(client, world, who):
    html = page(client, getattr(world, who), "/bao-cao/tinh/", status=403)
    assert "Chỉ lãnh đạo tỉnh" in html


def test_the_province_dashboard_is_linked_for_those_who_may_read_it(client, world, province):
    html = page(client, province.leader, "/bao-cao/tong-quan/")
    assert '<a href="/bao-cao/tinh/">Toàn tỉnh</a>' in html and "Xem bảng điều hành toàn tỉnh" in html
    assert 'href="/bao-cao/tinh/"' in page(client, province.centre_director, "/bao-cao/")
    assert "/bao-cao/tinh/" not in page(client, world.leader, "/bao-cao/tong-quan/")


def test_the_province_dashboard_reads_a_few_queries(client, world, history, province, crossings,
                                                    django_assert_max_num_queries):
    client.force_login(province.leader.user)
    client.get("/bao-cao/tinh/" + MARCH_QUERY)
    with django_assert_max_num_queries(20):
        assert client.get("/bao-cao/tinh/" + MARCH_QUERY).status_code == 200


def test_the_centres_own_dashboard_reads_what_it_received(client, world, province, crossings):
    words = text(page(client, province.centre_director, "/bao-cao/tong-quan/"))
    assert "Bảng điều hành — Trung tâm Phục vụ hành chính công tỉnh" in words
    assert "Hồ sơ cơ quan tiếp nhận." in words
    assert "Tỷ lệ đúng hạn theo cơ quan giải quyết (12 tháng)" in words and "UBND xã Ngọc Đường" in words


def test_a_communes_report_page_reads_either_side(client, world, province, crossings):
    words = text(page(client, province.a_leader, "/bao-cao/" + MARCH_QUERY + "&side=either&group_by=receiving_agency"))
    assert "Hồ sơ cơ quan tiếp nhận hoặc giải quyết." in words
    assert "Nhận giải quyết 2 hồ sơ, đã giải quyết 1" in words


def test_a_province_leader_starts_on_the_whole_province_and_the_menu_leads_to_the_province_page(client, world,
                                                                                                province):
    client.force_login(province.leader.user)
    report = client.get("/bao-cao/")
    assert report.status_code == 200
    assert report.context["agency"] is None  # every agency, as the form says, not the UBND tỉnh's own
    body = client.get("/").content.decode()  # the staff home
    assert 'href="/bao-cao/tinh/"' in body
    assert "ds=all&amp;qua-han=1" in body
    # An agency's own leader keeps the agency's dashboard in the menu.
    client.force_login(world.leader.user)
    assert 'href="/bao-cao/tong-quan/"' in client.get("/bao-cao/").content.decode()
