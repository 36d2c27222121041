"""Staff pages on a 360 px phone, and the interactive API docs, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/", "/danh-ba/", "/lich-lam-viec/?nam=2026", "/nhat-ky/"])
def test_staff_pages_fit_a_360_px_phone(browser, site, world, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(site + "/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill("admin")
        page.get_by_label("Mật khẩu").fill("motcua-demo")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    finally:
        context.close()


def test_the_interactive_api_docs_render_from_our_own_files(page, site, db):
    blocked: list[str] = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(site + "/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("motcua API")
    expect(page.get_by_role("link", name="/api/v1/auth/token")).to_be_visible()
    assert blocked == []
