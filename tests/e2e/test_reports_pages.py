"""The report pages in a real browser: the director opens the dashboard from the navigation, follows a tile to
the dossier list behind it and another to the month's report, downloads the report as Excel, and does the
same with the keyboard alone; the pages fit a 360 px phone; nothing breaks the Content-Security-Policy.

The live server runs on the real clock: one dossier is received now (this month's figures) and one forty days
ago (overdue by now), whatever today's date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_dossiers import csp_violations, logged_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def dossiers(dossier_world) -> dict[str, str]:
    """Codes of a dossier received now and passed on to the division, and of one received forty days ago,
    still at the desk."""
    from django.utils import timezone
    from tests.dossiers.conftest import intake

    from motcua.core import clock
    from motcua.dossiers import services
    from motcua.org.models import Staff

    desk = Staff.objects.get(user__username="desk")
    with clock.at(timezone.now() - dt.timedelta(days=40)):
        old = services.receive_at_desk(actor=desk, intake=intake())
    new = services.receive_at_desk(actor=desk, intake=intake())
    new = services.forward(actor=desk, code=new.code, version=new.version)  # a step measured this month
    return {"old": old.code, "new": new.code}


def tile(page: Page, label: str):
    return page.locator("li.tile").filter(has_text=label)


def test_a_leader_follows_the_dashboard_to_the_lists_and_the_report(page: Page, site, dossiers):
    csp = csp_violations(page)
    logged_in(page, site, "leader")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Báo cáo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảng điều hành — Sở Nội vụ tỉnh Hà Giang")
    expect(page.get_by_role("img", name="Hồ sơ tiếp nhận và đã giải quyết theo tháng")).to_be_visible()
    expect(page.get_by_role("img", name="Tỷ lệ giải quyết đúng hạn theo phòng")).to_be_visible()
    expect(page.get_by_role("img", name="Tuổi hồ sơ đang giải quyết")).to_be_visible()
    expect(tile(page, "Đang giải quyết quá hạn").locator(".tile-value")).to_have_text("1")
    expect(tile(page, "Tiếp nhận mới trong tháng").locator(".tile-value")).not_to_have_text("0")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reports-dashboard-1280.png"), full_page=True)

    # The data behind a chart, for those who do not see it.
    page.get_by_text("Bảng số liệu tuổi hồ sơ").click()
    expect(page.get_by_role("row", name="trên 20 ngày 1")).to_be_visible()

    # The overdue tile leads to the dossier list behind it.
    tile(page, "Đang giải quyết quá hạn").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ thủ tục hành chính")
    expect(page.get_by_label("Hạn trả")).to_have_value("1")
    expect(page.locator("table.dossiers tbody tr")).to_have_count(1)
    expect(page.locator("table.dossiers")).to_contain_text(dossiers["old"].split("-")[-1])

    # This month's tile leads to the report for the month, which downloads as Excel.
    page.go_back()
    tile(page, "Tiếp nhận mới trong tháng").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo tình hình giải quyết thủ tục hành chính")
    table = page.get_by_role("table", name="Tình hình giải quyết theo lĩnh vực")
    expect(table).to_be_visible()
    expect(table.locator("tfoot")).to_contain_text("Tổng cộng")
    page.screenshot(path=str(ARTIFACTS / "reports-resolution-1280.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"  # an Office Open XML (zip) file
    assert download.value.suggested_filename.endswith(".xlsx")

    # Process measurement, one tab away.
    page.get_by_role("navigation", name="Báo cáo, thống kê").get_by_role("link", name="Đo lường quy trình").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đo lường quy trình giải quyết")
    expect(page.get_by_role("heading", name="Theo phòng chuyên môn")).to_be_visible()
    steps = page.get_by_role("table", name="Thời gian từng bước của thủ tục SNV.TEST.01")
    expect(steps.get_by_role("rowheader", name="1. Tiếp nhận hồ sơ")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "reports-process-1280.png"), full_page=True)
    assert csp == []


def test_the_keyboard_alone_reaches_a_tile_and_the_report_form(page: Page, site, dossiers):
    csp = csp_violations(page)
    logged_in(page, site, "leader")
    page.goto(site + "/bao-cao/tong-quan/")

    def focused() -> str:
        return page.evaluate("document.activeElement.textContent.replace(/\\s+/g, ' ').trim()")

    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused().startswith("Đang giải quyết quá hạn"):
            break
    assert focused().startswith("Đang giải quyết quá hạn")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ thủ tục hành chính")

    page.goto(site + "/bao-cao/")
    page.get_by_label("Loại kỳ").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Năm", exact=True)).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")  # no year for the month chosen
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="Nhập năm của kỳ báo cáo.")).to_be_visible()
    assert csp == []


@pytest.mark.parametrize("path", ["/bao-cao/tong-quan/", "/bao-cao/?group_by=procedure", "/bao-cao/quy-trinh/"])
def test_the_report_pages_fit_a_360_px_phone(browser: Browser, site, dossiers, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    try:
        page = context.new_page()
        csp = csp_violations(page)
        logged_in(page, site, "leader")
        page.goto(site + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > 361 && !e.closest('.table-scroll, table'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
        assert width <= 360, (path, width, wide)
        if path == "/bao-cao/tong-quan/":
            expect(tile(page, "Tiếp nhận mới trong tháng")).to_be_in_viewport()
            expect(page.get_by_role("img", name="Tuổi hồ sơ đang giải quyết")).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "reports-dashboard-360.png"), full_page=True)
        assert csp == []
    finally:
        context.close()
