"""The report pages as people use them: who may open them, what they show for the known March 2026, that
another agency's figures never appear, and that bad input gets a Vietnamese message, never a server error."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core import clock
from tests.dossiers.conftest import SNV, at
from tests.reports.conftest import receive

PAGES = ["/bao-cao/", "/bao-cao/tong-quan/", "/bao-cao/quy-trinh/"]
MARCH_QUERY = "?from=2026-03-01&to=2026-03-31"
END_OF_MARCH = at(31, 16)


@pytest.fixture(autouse=True)
def end_of_march() -> Iterator[None]:
    with clock.at(END_OF_MARCH):
        yield


def page(client, staff, url: str, status: int = 200) -> str:
    client.force_login(staff.user)
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def text(html: str) -> str:
    """The page's words without tags or runs of white space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def grant_province(staff) -> None:
    staff.user.user_permissions.add(Permission.objects.get(codename="view_province_reports",
                                                           content_type__app_label="dossiers"))


@pytest.mark.parametrize("who", ["leader", "desk", "division_leader", "auditor"])
def test_each_page_opens_for_those_who_read_reports(client, world, history, who):
    for url in PAGES:
        html = page(client, getattr(world, who), url)
        assert "style=" not in html and "<script>" not in html  # nothing inline: the CSP forbids it
        assert '<a href="/bao-cao/tong-quan/">Báo cáo</a>' in html  # the staff navigation links here


@pytest.mark.parametrize("who", ["specialist", "clerk"])
def test_each_page_is_refused_to_staff_without_the_report_right(client, world, who):
    for url in PAGES:
        html = page(client, getattr(world, who), url, status=403)
        assert "Bạn không có quyền xem báo cáo, thống kê." in html


def test_the_navigation_offers_reports_only_to_those_who_may_read_them(client, world):
    assert "/bao-cao/" not in page(client, world.specialist, "/")
    assert "/bao-cao/tong-quan/" in page(client, world.leader, "/")


def test_each_page_sends_a_visitor_to_the_login(client, db):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "next=" in response["Location"]


def test_the_report_reads_the_known_month_in_the_official_table(client, world, history):
    html = page(client, world.leader, "/bao-cao/" + MARCH_QUERY)
    words = text(html)
    assert "kỳ báo cáo từ 01/03/2026 đến 31/03/2026" in words
    assert "Tỷ lệ giải quyết đúng hạn: 83,33 %" in words
    totals = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', totals) == [
        "10", "1", "1", "8", "6", "4", "1", "1", "2", "1", "1", "1", "1", "83,33", "5,46"]
    for heading, span in (("Số hồ sơ nhận giải quyết", 4), ("Số hồ sơ đã giải quyết", 4),
                          ("Số hồ sơ đang giải quyết", 3), ("Khác", 4)):
        assert f'<th scope="colgroup" colspan="{span}">{heading}</th>' in html
    assert "SNV.TEST.01 — Bổ nhiệm ngạch công chức" in words


def test_the_report_links_its_downloads_with_the_same_query(client, world, history):
    html = page(client, world.leader, "/bao-cao/" + MARCH_QUERY + "&group_by=field")
    for fmt in ("xlsx", "pdf", "csv"):
        assert (f'href="/api/v1/reports/resolution?from=2026-03-01&amp;to=2026-03-31&amp;agency={SNV}'
                f'&amp;group_by=field&amp;format={fmt}"') in html


def test_a_standard_period_uses_the_data_cut_off(client, world, history, settings):
    settings.REPORT_CUTOFF_DAY = 15
    words = text(page(client, world.leader, "/bao-cao/?kind=month&year=2026&number=3"))
    assert "từ 15/02/2026 đến 14/03/2026" in words
    # opened with nothing chosen, the page shows the standard month that holds today (31 March → April's)
    assert "từ 15/03/2026 đến 14/04/2026" in text(page(client, world.leader, "/bao-cao/"))


def test_grouping_and_filters(client, world, history):
    words = text(page(client, world.leader, f"/bao-cao/{MARCH_QUERY}&group_by=division&division={world.civil.pk}"))
    assert "Phòng Công chức, viên chức" in words and "Tổng cộng 10" in words
    other = text(page(client, world.leader, f"/bao-cao/{MARCH_QUERY}&division={world.other_division.pk}"))
    assert "Không có hồ sơ nào trong kỳ này" in other


def test_a_period_without_dossiers_says_so(client, world, history):
    html = page(client, world.leader, "/bao-cao/?from=2025-01-01&to=2025-01-31")
    assert "Không có hồ sơ nào trong kỳ này" in html and "<tfoot>" not in html


@pytest.mark.parametrize(("query", "message"), [
    ("?kind=month&year=abc&number=3", "Nhập năm bằng số"),
    ("?kind=month&year=2026&number=13", "Kỳ số nhiều nhất là 12"),
    ("?kind=quarter&year=2026&number=5", "Kỳ số 5 không có"),
    ("?kind=month&number=3", "Nhập năm của kỳ báo cáo."),
    ("?kind=fortnight&year=2026&number=1", "Hãy chọn một mục có trong danh sách."),
    ("?from=2026-03-31&to=2026-03-01", "Ngày kết thúc không được trước ngày bắt đầu kỳ báo cáo."),
    ("?from=31/03/2026&to=2026-04-01", "Nhập ngày đúng dạng"),
    ("?from=2026-03-01", "nhập cả ngày bắt đầu và ngày kết thúc"),
    ("?from=1990-01-01&to=2026-01-01", "Kỳ báo cáo dài nhất 10 năm."),
    ("?kind=month&year=2026&number=3&from=2026-03-01", "không chọn cả hai"),
    (MARCH_QUERY + "&group_by=bogus", "Hãy chọn một mục có trong danh sách."),
    (MARCH_QUERY + "&field=abc", "Hãy chọn một mục có trong danh sách."),
    (MARCH_QUERY + "&procedure=999999", "Hãy chọn một mục có trong danh sách."),
    (MARCH_QUERY + "&group_by=agency", "Hãy chọn một mục có trong danh sách."),  # only for the province
])
def test_bad_input_gets_a_message_not_a_server_error(client, world, query, message):
    html = page(client, world.leader, "/bao-cao/" + query, status=400)
    assert message in html and 'role="alert"' in html
    assert "<tfoot>" not in html


def test_bad_input_on_the_process_page_too(client, world):
    assert "Ngày kết thúc không được trước" in page(client, world.leader,
                                                    "/bao-cao/quy-trinh/?from=2026-03-31&to=2026-03-01", status=400)


def test_typed_dates_win_over_the_preselected_kind_of_period(client, world, history):
    text = page(client, world.leader, "/bao-cao/?kind=month&year=2026&number=3&from=2026-03-01&to=2026-03-31")
    assert "01/03/2026" in text and "31/03/2026" in text


def test_another_agencys_staff_never_see_these_figures(client, world, history):
    stranger = world.stranger
    stranger.user.user_permissions.add(Permission.objects.get(codename="view_reports",
                                                              content_type__app_label="dossiers"))
    for url in ("/bao-cao/" + MARCH_QUERY, "/bao-cao/tong-quan/", "/bao-cao/quy-trinh/" + MARCH_QUERY):
        words = text(page(client, stranger, url))
        assert "Bổ nhiệm ngạch công chức" not in words and "Sở Nội vụ" not in words
        assert "83,33" not in words
    for url in (f"/bao-cao/{MARCH_QUERY}&agency={SNV}", f"/bao-cao/tong-quan/?agency={SNV}",
                f"/bao-cao/quy-trinh/{MARCH_QUERY}&agency={SNV}", f"/bao-cao/{MARCH_QUERY}&agency=all"):
        assert "Bạn chỉ được xem báo cáo của cơ quan mình." in page(client, stranger, url, status=403)


def test_the_province_reads_every_agency_and_each_one(client, world, history):
    grant_province(world.stranger)
    html = page(client, world.stranger, f"/bao-cao/{MARCH_QUERY}&agency=all&group_by=agency")
    assert '<select name="agency"' in html and "Tất cả cơ quan" in html
    words = text(html)
    assert "Sở Nội vụ tỉnh Hà Giang 10 1 1 8 6" in words
    board = text(page(client, world.stranger, f"/bao-cao/tong-quan/?agency={SNV}"))
    assert "Bảng điều hành — Sở Nội vụ tỉnh Hà Giang" in board
    assert "Không có cơ quan mã X." in page(client, world.stranger, "/bao-cao/?agency=X", status=404)


def tiles(html: str) -> dict[str, tuple[str, str | None]]:
    """tile key → (its value, where it links)."""
    out = {}
    for match in re.finditer(r'<li class="tile[^"]*" id="tile-(\w+)">(.*?)</li>', html, re.S):
        link = re.search(r'<a href="([^"]+)"', match.group(2))
        value = re.search(r'<strong class="tile-value">([^<]*)</strong>', match.group(2)).group(1)
        out[match.group(1)] = (value, link.group(1).replace("&amp;", "&") if link else None)
    return out


def test_the_dashboard_tiles_match_the_report_they_link_to(client, world, history):
    found = tiles(page(client, world.leader, "/bao-cao/tong-quan/"))
    assert {k: v[0] for k, v in found.items()} == {
        "received": "9", "resolved": "6", "on_time_rate": "83,33 %", "overdue": "1", "due_soon": "0",
        "awaiting": "1", "satisfaction": "—"}
    report_url = found["received"][1]
    assert report_url == f"/bao-cao/?from=2026-03-01&to=2026-03-31&agency={SNV}&group_by=field"
    words = text(page(client, world.leader, report_url))
    assert "Nhận giải quyết 10 hồ sơ, đã giải quyết 6" in words and "83,33 %" in words


def test_the_dashboard_tiles_lead_to_the_dossier_lists_behind_them(client, world, history):
    found = tiles(page(client, world.leader, "/bao-cao/tong-quan/"))
    assert found["overdue"][1] == "/ho-so/?ds=all&qua-han=1"
    overdue = page(client, world.leader, found["overdue"][1])
    # the one being handled past its appointment, as on the tile (not the resolved ones waiting to be collected)
    assert "1 hồ sơ" in text(overdue) and history["overdue"].code in text(overdue).replace(" ", "")
    waiting = page(client, world.leader, found["awaiting"][1])
    assert history["suspended"].code in text(waiting).replace(" ", "") and "1 hồ sơ" in text(waiting)
    assert found["due_soon"][1] == "#sap-den-han"


def test_a_division_leader_sees_the_figures_without_links_to_lists_they_cannot_open(client, world, history):
    found = tiles(page(client, world.division_leader, "/bao-cao/tong-quan/"))
    assert found["overdue"] == ("1", None) and found["awaiting"] == ("1", None)
    assert found["received"][1].startswith("/bao-cao/?")


def test_the_dashboard_draws_three_accessible_charts_each_with_its_table(client, world, history):
    html = page(client, world.leader, "/bao-cao/tong-quan/")
    assert html.count('role="img"') == 3
    for chart in ("chart-months", "chart-divisions", "chart-backlog"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
    assert html.count("<details>") == 3 and html.count("<summary>Bảng số liệu") == 3
    words = text(html)
    assert "3/2026 9 6" in words  # March in the months table
    assert "trên 20 ngày 1" in words  # the dossier received on 2 March, in the backlog table
    assert "Lê Minh Đạt 2 1 2" in words  # the desk officer holds two dossiers, one overdue


def test_the_process_page_points_at_the_bottleneck_in_words(client, world, history):
    words = text(page(client, world.leader, "/bao-cao/quy-trinh/" + MARCH_QUERY))
    assert "SNV.TEST.01 — Bổ nhiệm ngạch công chức" in words
    assert "Điểm nghẽn: bước “" in words and "90 % lượt xử lý xong trong" in words
    assert "Tiếp nhận trong kỳ: 9 hồ sơ; bị yêu cầu bổ sung: 1 (tỷ lệ bổ sung 11,1 %)" in words
    assert "Theo phòng chuyên môn" in words


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_reads_a_bounded_number_of_queries_whatever_the_dossiers(client, world, history):
    client.force_login(world.leader.user)
    few = _queries(client, "/bao-cao/tong-quan/")
    for hour in range(8, 11):
        receive(world, at(30, hour))
    assert _queries(client, "/bao-cao/tong-quan/") == few
    assert few <= 30
