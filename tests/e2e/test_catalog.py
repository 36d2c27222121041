"""The public catalogue of procedures in a real browser, without logging in: search that ignores marks
and case, the field filter, the detail page, the empty state, a 360 px phone and the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from tests.catalog.conftest import as_bytes, department, document, procedure  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e

STEPS = [  # (name, hours) of "Bổ nhiệm ngạch công chức": 8 + 16 + 40 + 16 = 80 h = 10 ngày làm việc
    ("Tiếp nhận, kiểm tra hồ sơ", 8),
    ("Phân công, xem xét hồ sơ", 16),
    ("Thẩm định, dự thảo quyết định", 40),
    ("Ký, ban hành quyết định", 16),
]


def _rename_steps(proc: dict, names: list[str]) -> dict:
    for step, name in zip(proc["versions"][0]["steps"], names, strict=True):
        step["name"] = name
    return proc


@pytest.fixture
def catalogue(transactional_db, department):  # noqa: F811 (the fixture imported above)
    """Three procedures in two fields of the department, in the live server's database."""
    from motcua.catalog import services

    appointment = _rename_steps(procedure(), [name for name, _ in STEPS])
    # Every word of "bo nhiem ngach" but not the phrase, and before it in alphabetical order: the ranking
    # (whole phrase in the name first) must put it second.
    reappointment = procedure(code="1.009001", name="Bổ nhiệm lại và chuyển ngạch viên chức quản lý")
    religion = procedure(code="1.001090", name="Thông báo người được bổ nhiệm làm chức việc tôn giáo", field="TG",
                         applicant_types=["organisation"], result_type="Văn bản trả lời")
    religion["versions"][0]["time_limit"] = 5
    religion["versions"][0]["steps"] = [
        {"name": "Tiếp nhận hồ sơ", "role": "desk_officer", "division": "VP", "other_agency": None, "hours": 4},
        {"name": "Xem xét, trả lời", "role": "specialist", "division": "BTG", "other_agency": None, "hours": 36},
    ]
    doc = document(appointment, reappointment, religion)
    doc["fields"].append({"code": "TG", "name": "Tín ngưỡng, tôn giáo"})
    services.import_catalog(actor=None, data=as_bytes(doc))


def search(page: Page, site: str, text: str) -> None:
    page.goto(site + "/thu-tuc/")
    page.get_by_label("Tên thủ tục hoặc từ khóa").fill(text)
    page.get_by_role("button", name="Tìm").click()


def results(page: Page):
    return page.locator("ol.results > li")


def test_a_citizen_finds_a_procedure_without_marks_and_reads_its_detail(page, site, catalogue):
    search(page, site, "bo nhiem ngach")

    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=bo\+nhiem\+ngach"))
    expect(page.get_by_role("heading", name="Tra cứu thủ tục hành chính")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("2 thủ tục")
    expect(results(page).get_by_role("link")).to_have_text(["Bổ nhiệm ngạch công chức",
                                                            "Bổ nhiệm lại và chuyển ngạch viên chức quản lý"])
    expect(page.get_by_label("Tên thủ tục hoặc từ khóa")).to_have_value("bo nhiem ngach")

    results(page).get_by_role("link", name="Bổ nhiệm ngạch công chức").click()

    expect(page).to_have_url(re.compile(r"/thu-tuc/1\.005384/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bổ nhiệm ngạch công chức")
    expect(page.locator("dl.facts")).to_contain_text("10 ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ")
    expect(page.get_by_role("heading", name="Thành phần hồ sơ")).to_be_visible()
    documents = page.get_by_role("table").locator("tbody tr")
    expect(documents).to_have_count(2)
    expect(documents.nth(0)).to_contain_text("Quyết định tuyển dụng")
    expect(documents.nth(0)).to_contain_text("Bản sao có chứng thực")
    expect(documents.nth(1)).to_contain_text("Nộp khi: Khi là người dân tộc thiểu số")
    legal = page.get_by_role("region", name="Căn cứ pháp lý")
    expect(legal.get_by_role("heading")).to_be_visible()
    expect(legal).to_contain_text("138/2020/NĐ-CP ngày 27/11/2020 của Chính phủ")
    timeline = page.get_by_role("region", name="Quy trình giải quyết")
    expect(timeline.get_by_role("heading")).to_be_visible()
    expect(timeline.locator("ol.timeline > li strong")).to_have_text([name for name, _ in STEPS])
    expect(timeline.locator("ol.timeline > li").nth(2)).to_contain_text("5 ngày")
    expect(timeline.locator("ol.timeline > li").nth(1)).to_contain_text("Phòng Công chức, viên chức")
    expect(timeline).to_contain_text("Tổng: 10 ngày")


@pytest.mark.parametrize("text", ["BỔ NHIỆM NGẠCH", "bổ nhiệm"])
def test_search_ignores_case_and_ranks_the_results(page, site, catalogue, text):
    search(page, site, text)

    expect(page.get_by_label("Tên thủ tục hoặc từ khóa")).to_have_value(text)
    if text == "bổ nhiệm":  # the phrase is in all three names: alphabetical order
        expect(page.get_by_role("status")).to_have_text("3 thủ tục")
        expect(results(page).get_by_role("link")).to_have_text([
            "Bổ nhiệm lại và chuyển ngạch viên chức quản lý", "Bổ nhiệm ngạch công chức",
            "Thông báo người được bổ nhiệm làm chức việc tôn giáo"])
    else:  # the whole phrase in the name comes before every word in the name
        expect(page.get_by_role("status")).to_have_text("2 thủ tục")
        expect(results(page).first.get_by_role("link")).to_have_text("Bổ nhiệm ngạch công chức")


def test_the_field_filter_and_the_empty_state(page, site, catalogue):
    page.goto(site + "/thu-tuc/")
    expect(page.get_by_role("status")).to_have_text("3 thủ tục")
    page.get_by_label("Tên thủ tục hoặc từ khóa").fill("bổ nhiệm")
    page.get_by_label("Lĩnh vực").select_option(label="Tín ngưỡng, tôn giáo")
    page.get_by_role("button", name="Tìm").click()

    expect(page).to_have_url(re.compile(r"linh-vuc=TG"))
    expect(results(page).get_by_role("link")).to_have_text(["Thông báo người được bổ nhiệm làm chức việc tôn giáo"])
    expect(page.get_by_label("Lĩnh vực")).to_have_value("TG")  # the filter is kept on the result page

    page.get_by_label("Lĩnh vực").select_option(label="Công chức, viên chức")
    page.get_by_role("button", name="Tìm").click()
    expect(results(page).get_by_role("link")).to_have_count(2)

    search(page, site, "xqzw hộ chiếu sao hỏa")
    expect(page.get_by_role("status")).to_have_text("0 thủ tục")
    expect(results(page)).to_have_text(["Không tìm thấy thủ tục nào. Hãy thử từ khóa ngắn hơn hoặc bỏ bộ lọc."])
    expect(results(page).get_by_role("link")).to_have_count(0)


def test_the_catalogue_fits_a_360_px_phone(browser, site, catalogue):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="vi-VN")
    try:
        page = context.new_page()
        for path in ("/thu-tuc/", "/thu-tuc/?q=bo+nhiem", "/thu-tuc/1.005384/"):
            page.goto(site + path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    finally:
        context.close()


def test_the_search_box_is_reached_with_tab_and_enter_submits(page, site, catalogue):
    page.goto(site + "/thu-tuc/")
    box = page.get_by_label("Tên thủ tục hoặc từ khóa")
    for _ in range(10):  # skip link, brand, navigation, then the form
        page.keyboard.press("Tab")
        if box.evaluate("el => el === document.activeElement"):
            break
    expect(box).to_be_focused()
    page.keyboard.type("thong bao ton giao")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"\?q=thong\+bao\+ton\+giao"))
    expect(results(page).get_by_role("link")).to_have_text(["Thông báo người được bổ nhiệm làm chức việc tôn giáo"])
