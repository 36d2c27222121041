"""Logging in and out in a real browser: the staff login page, its errors, the keyboard, a phone screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

LOGIN_PATH = re.compile(r"/(dang-nhap/)?(\?.*)?$")


def test_a_wrong_password_shows_the_vietnamese_error_and_stays_on_the_login_page(page: Page, site, world):
    page.goto(site + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("desk")
    page.get_by_label("Mật khẩu").fill("not-the-password")
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    expect(page).to_have_url(LOGIN_PATH)
    expect(page.get_by_role("heading", name="Đăng nhập dành cho cán bộ")).to_be_visible()
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("desk")  # what was typed is kept
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)


def test_logging_out_returns_to_the_login_page(login):
    page = login("desk")
    expect(page.get_by_role("heading", name=re.compile("^Xin chào"))).to_be_visible()

    page.get_by_role("button", name="Đăng xuất").click()

    expect(page.get_by_role("heading", name="Đăng nhập dành cho cán bộ")).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)
    page.goto(page.url.split("/dang-")[0] + "/lich-lam-viec/")  # the session is really gone
    expect(page.get_by_role("heading", name="Đăng nhập dành cho cán bộ")).to_be_visible()


def test_logging_in_with_the_keyboard_only(page: Page, site, world):
    page.goto(site + "/dang-nhap/")
    # The username field has the focus as soon as the page is ready (autofocus): no mouse needed.
    # (Waiting for it, rather than pressing Tab at once, keeps a busy machine from racing the autofocus.)
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type("leader")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type("motcua-demo")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name=re.compile("^Xin chào"))).to_be_visible()
    expect(page.locator("[data-role]")).to_have_text(["Lãnh đạo cơ quan"])


def test_the_first_tab_on_a_staff_page_reaches_the_skip_link_which_then_shows(login):
    page = login("desk")
    expect(page.get_by_role("heading", name=re.compile("^Xin chào"))).to_be_visible()

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_login_page_fits_a_360_px_phone_without_horizontal_scrolling(browser, site):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(site + "/dang-nhap/")
        expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        box = page.get_by_label("Mật khẩu").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 360
    finally:
        context.close()
