"""The demo that `make run` loads: every login the README and `motcua demo` print works in the browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from motcua import demo
from motcua.org.models import Staff
from motcua.org.roles import ROLE_LABELS

pytestmark = pytest.mark.e2e


def test_every_printed_demo_login_opens_its_home_page(page: Page, site, demo_data):
    # The department's seven, and the province's: a commune's desk, the service centre's desk and director, a
    # branch's desk, the liên thông partner's division leader, the province's leader and auditor.
    assert len(demo.DEMO_LOGINS) == 14
    agencies = dict(Staff.objects.values_list("user__username", "agency__name"))
    for login in demo.DEMO_LOGINS:
        page.goto(site + "/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(login.username)
        page.get_by_label("Mật khẩu").fill(demo.DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()

        expect(page.get_by_role("heading", name=re.compile(r"^Xin chào, \S"))).to_be_visible()
        expect(page.locator("[data-role]")).to_have_text([str(ROLE_LABELS[login.role])])
        expect(page.locator(".who")).to_contain_text(agencies[login.username])

        page.get_by_role("button", name="Đăng xuất").click()
        expect(page.get_by_role("heading", name="Đăng nhập dành cho cán bộ")).to_be_visible()
