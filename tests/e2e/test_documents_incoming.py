"""An incoming document in a real browser: the clerk registers it with its scan, the director directs it to the
personnel division, the division leader assigns the specialist, the specialist completes it; the keyboard
reaches the register button and no page breaks the Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from tests.conftest import PASSWORD
from tests.documents.conftest import Office, make_office, pdf_bytes
from tests.e2e.test_dossiers import csp_violations

pytestmark = pytest.mark.e2e
SUMMARY = "Về việc tuyển dụng công chức năm 2026"


@pytest.fixture
def office_world(transactional_db) -> Office:
    from motcua.org import services

    services.sync_role_groups()
    return make_office()


def log_in(page: Page, site: str, username: str) -> None:
    page.goto(site + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def switch_to(page: Page, site: str, username: str) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    log_in(page, site, username)


def open_from_queue(page: Page, queue: str) -> None:
    """The document is waiting in the queue of the person whose turn it is."""
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Văn bản").click()
    tabs = page.get_by_role("navigation", name="Danh sách văn bản đến")
    expect(tabs.get_by_role("link", name=re.compile(f"^{queue}"))).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name=f"Công văn: {SUMMARY}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Văn bản đến số 1/\d{4}$"))


def act(page: Page, panel: str, button: str, *, confirm: bool = False, **fields: str) -> None:
    box = page.locator("details.action").filter(has=page.locator("summary", has_text=panel))
    box.locator("summary").click()
    for label, value in fields.items():
        control = box.get_by_label(label, exact=True)
        if control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    if confirm:
        page.once("dialog", lambda dialog: dialog.accept())
    box.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã thực hiện:")


def test_an_incoming_document_is_registered_directed_assigned_and_completed(page: Page, site, office_world,
                                                                            tmp_path):
    office = office_world
    csp = csp_violations(page)
    log_in(page, site, office.clerk.user.username)

    page.goto(site + "/van-ban/den/")
    # The documents section's own menu (the list page also has the same link as its main button).
    page.get_by_role("navigation", name="Văn bản", exact=True).get_by_role("link", name="Vào sổ văn bản đến").click()
    page.get_by_label("Loại văn bản").select_option(label="Công văn")
    page.get_by_label("Số, ký hiệu").fill("12/UBND-NC")
    page.get_by_label("Ngày văn bản").fill(timezone.localdate().isoformat())
    page.get_by_label("Cơ quan ban hành", exact=True).fill("Ủy ban nhân dân tỉnh")
    page.get_by_label("Trích yếu").fill(SUMMARY)
    page.get_by_label("Độ khẩn").select_option(label="Khẩn")
    scan = tmp_path / "cong-van-12.pdf"
    scan.write_bytes(pdf_bytes())
    files = page.get_by_label(re.compile("^Tệp văn bản"))
    files.set_input_files(str(scan))
    files.focus()
    page.keyboard.press("Tab")  # the keyboard reaches the button right after the files, and presses it
    expect(page.get_by_role("button", name="Vào sổ", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Đã vào sổ: số đến 1.")
    expect(page.get_by_role("link", name="cong-van-12.pdf")).to_be_visible()

    switch_to(page, site, office.director.user.username)
    open_from_queue(page, "Chờ cho ý kiến")
    act(page, "Cho ý kiến chỉ đạo", "Cho ý kiến chỉ đạo", **{"Ý kiến chỉ đạo": "Giao TCCB tham mưu, báo cáo",
                                                             "Phòng chủ trì": "Phòng Tổ chức, biên chế"})
    expect(page.locator("#state")).to_have_text("Đang xử lý")

    switch_to(page, site, office.leader.user.username)
    open_from_queue(page, "Phòng được giao")
    act(page, "Phân công xử lý", "Phân công", **{"Giao cho chuyên viên": "Nguyễn Văn Thử — Chuyên viên"})

    switch_to(page, site, office.specialist.user.username)
    open_from_queue(page, "Việc của tôi")
    act(page, "Hoàn thành xử lý", "Hoàn thành", confirm=True, **{"Kết quả xử lý": "Đã dự thảo văn bản trả lời"})

    expect(page.locator("#state")).to_have_text("Đã xử lý xong")
    timeline = page.get_by_role("region", name="Quá trình xử lý").locator("ol > li")
    expect(timeline.first).to_contain_text("Vào sổ văn bản đến")
    assert timeline.count() >= 5
    expect(page.get_by_role("heading", name="Thao tác")).to_have_count(0)
    assert csp == []
