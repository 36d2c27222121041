"""What each role sees after logging in with the demo accounts, and the due-date calculator."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

ROLE_LABEL = {
    "admin": "Quản trị hệ thống",
    "desk": "Cán bộ một cửa",
    "specialist": "Chuyên viên",
    "division_leader": "Lãnh đạo phòng",
    "leader": "Lãnh đạo cơ quan",
    "clerk": "Văn thư",
    "auditor": "Kiểm tra, giám sát (chỉ xem)",
}


@pytest.mark.parametrize("username", list(ROLE_LABEL))
def test_each_demo_login_lands_on_a_home_page_naming_its_role(login, username):
    page = login(username)

    expect(page).to_have_title(re.compile("^Trang làm việc"))
    expect(page.get_by_role("heading", name=re.compile(r"^Xin chào, \S"))).to_be_visible()
    expect(page.locator("[data-role]")).to_have_text([ROLE_LABEL[username]])
    expect(page.locator(".who")).to_contain_text("Sở Nội vụ tỉnh Hà Giang")
    expect(page.get_by_role("heading", name="Tính ngày hẹn trả")).to_be_visible()


def test_the_administrator_sees_the_administration_section_and_the_admin_link(login):
    page = login("admin")

    expect(page.get_by_role("heading", name="Quản trị", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Cán bộ và quá trình công tác")).to_be_visible()
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Quản trị")).to_have_attribute("href", "/admin/")
    nav.get_by_role("link", name="Quản trị").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Quản trị hệ thống")).to_be_visible()


def test_the_auditor_opens_the_audit_log_and_verifies_its_integrity(login):
    page = login("auditor")
    expect(page.get_by_role("heading", name="Kiểm tra, giám sát")).to_be_visible()
    expect(page.get_by_role("heading", name="Quản trị", exact=True)).to_have_count(0)  # reads, does not manage

    page.get_by_role("link", name="Mở nhật ký kiểm toán").click()
    expect(page).to_have_url(re.compile(r"/nhat-ky/$"))
    expect(page.get_by_role("heading", name="Nhật ký kiểm toán")).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text("org.staff")  # the demo's own writes are logged

    page.get_by_role("button", name="Kiểm tra tính toàn vẹn").click()

    expect(page.get_by_role("status")).to_contain_text("Nhật ký toàn vẹn")
    expect(page.get_by_role("status")).to_contain_text("không có liên kết nào bị phá vỡ")
    expect(page.locator("tbody tr").first).to_contain_text("audit.verify")  # the check itself is logged


def test_a_specialist_sees_neither_administration_nor_the_audit_log(login, site):
    page = login("specialist")
    expect(page.locator("[data-role]")).to_have_text(["Chuyên viên"])

    expect(page.get_by_text("Quản trị", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Nhật ký")).to_have_count(0)
    expect(page.get_by_role("heading", name="Kiểm tra, giám sát")).to_have_count(0)

    response = page.goto(site + "/nhat-ky/")  # typing the address does not help either
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Không thực hiện được")).to_be_visible()


def test_the_due_date_calculator_skips_the_weekend_and_the_april_may_holidays(login):
    page = login("desk")

    page.get_by_label("Thời điểm tiếp nhận").fill("2026-04-24T09:00")
    page.get_by_label("Số ngày làm việc").fill("3")
    page.get_by_role("button", name="Tính", exact=True).click()

    # Fri 24/4 09:00 + 3 working days: 27/4 (Giỗ Tổ make-up day off), 30/4 and 1/5 are holidays.
    expect(page.locator("#due-result")).to_have_text("09:00 ngày 04/05/2026")
    expect(page.get_by_label("Thời điểm tiếp nhận")).to_have_value("2026-04-24T09:00")


def test_the_due_date_calculator_explains_an_empty_amount(login):
    page = login("desk")

    page.get_by_label("Thời điểm tiếp nhận").fill("2026-04-24T09:00")
    page.get_by_label("Số ngày làm việc").fill("0")
    page.get_by_role("button", name="Tính", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("Nhập số ngày hoặc số giờ làm việc")
    expect(page.locator("#due-result")).to_have_count(0)
