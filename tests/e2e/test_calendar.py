"""The working calendar page, as any logged-in officer sees it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_the_2026_calendar_lists_the_tet_days_off_and_the_make_up_saturday(login, site):
    page = login("specialist")
    page.goto(site + "/lich-lam-viec/?nam=2026")

    expect(page.get_by_role("heading", name="Ngày nghỉ và ngày làm bù năm 2026")).to_be_visible()
    tet = page.locator("tbody tr", has_text="Tết")
    expect(tet.first).to_be_visible()
    assert tet.count() >= 5, "Tết Nguyên đán is several days off"
    expect(page.locator("tbody tr", has_text="17/02/2026")).to_contain_text("Nghỉ")  # mùng 1 Tết Bính Ngọ
    make_up = page.locator("tbody tr", has_text="10/01/2026")
    expect(make_up).to_contain_text("Làm việc (làm bù)")

    page.get_by_role("link", name="2027 →").click()
    expect(page.get_by_role("heading", name="Ngày nghỉ và ngày làm bù năm 2027")).to_be_visible()


def test_an_anonymous_visitor_is_sent_to_log_in_and_then_back_to_the_calendar(page, site, world):
    page.goto(site + "/lich-lam-viec/?nam=2026")

    expect(page.get_by_role("heading", name="Đăng nhập dành cho cán bộ")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("clerk")
    page.get_by_label("Mật khẩu").fill("motcua-demo")
    page.get_by_role("button", name="Đăng nhập").click()

    # Back to the very page asked for, query included.
    expect(page).to_have_url(re.compile(r"/lich-lam-viec/\?nam=2026$"))
    expect(page.get_by_role("heading", name="Ngày nghỉ và ngày làm bù năm 2026")).to_be_visible()
