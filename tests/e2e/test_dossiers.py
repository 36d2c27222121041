"""The one-stop pages in a real browser: one dossier from the desk to the return of its result, each step by
the demo login whose job it is; a refused intake; confirmations; a 360 px phone; the keyboard alone.

The live server runs on the real clock: dossiers are received "now", and nothing below depends on the date.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests import samples
from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

PROCEDURE = "Bổ nhiệm ngạch công chức (SNV.TEST.01)"
NAMES = {"desk": "Lê Minh Đạt", "division_leader": "Hoàng Đức Long", "specialist": "Vũ Ngọc Quỳnh",
         "leader": "Nguyễn Văn Hùng"}


def csp_violations(page: Page) -> list[str]:
    """Every Content-Security-Policy complaint the page logs from now on."""
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None)
    return found


def logged_in(page: Page, site: str, username: str) -> Page:
    """A page of a browser context of one's own (a phone, a second officer) logged in as ``username``."""
    page.goto(site + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    return page


def switch_to(page: Page, username: str) -> None:
    """Log out whoever is logged in and log in as ``username`` through the login form."""
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def panel(page: Page, label: str):
    """The <details> panel of one action on the dossier page."""
    return page.locator("details.action").filter(has=page.locator("summary", has_text=re.compile(f"^{label}$")))


def take(page: Page, label: str, *, confirm: bool = False, **fields: str) -> None:
    """Open an action's panel, fill its fields by their labels, submit it (accepting its confirmation)."""
    box = panel(page, label)
    box.locator("summary").click()
    for name, value in fields.items():
        control = box.get_by_label(name, exact=True)
        if control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    if confirm:
        page.once("dialog", lambda dialog: dialog.accept())
    box.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_role("status").filter(has_text=f"Đã thực hiện: {label}.")).to_be_visible()


def open_dossier(page: Page, site: str, code: str, queue: str | None = None) -> None:
    """Find the dossier in one's queue (or the agency list) and open it from there."""
    page.goto(site + "/ho-so/" + (f"?ds={queue}" if queue else ""))
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")


def fill_applicant(page: Page) -> None:
    page.get_by_label("Thủ tục", exact=True).select_option(label=PROCEDURE)
    page.get_by_role("button", name="Chọn", exact=True).click()
    expect(page.get_by_role("group", name="Thành phần hồ sơ")).to_be_visible()
    page.get_by_label("Họ tên / tên tổ chức").fill("Trần Thị Mai")
    page.get_by_label("Số định danh cá nhân (12 số)").fill("002190001234")
    page.get_by_label("Ngày sinh").fill("1990-05-17")
    page.get_by_label("Địa chỉ").fill("Tổ 5, phường Nguyễn Trãi, thành phố Hà Giang")
    page.get_by_label("Điện thoại").fill("0912345678")
    page.get_by_label("Nội dung yêu cầu").fill("Đề nghị bổ nhiệm ngạch chuyên viên")


def make_dossier(stage: str = "desk") -> str:
    """A dossier received now by the desk, taken on to ``stage`` ("desk", "specialist" or "leader")."""
    from tests.dossiers.conftest import intake

    from motcua.dossiers import services
    from motcua.org.models import Staff

    staff = {s.user.username: s for s in Staff.objects.select_related("user")}
    d = services.receive_at_desk(actor=staff["desk"], intake=intake())
    moves = {"desk": [], "specialist": [("desk", {}), ("division_leader", {"assignee_id": staff["specialist"].pk})],
             "leader": [("desk", {}), ("division_leader", {"assignee_id": staff["specialist"].pk}),
                        ("specialist", {}), ("division_leader", {})]}[stage]
    for who, extra in moves:
        d = services.forward(actor=staff[who], code=d.code, version=d.version, **extra)
    return d.code


def test_a_dossier_goes_from_the_desk_to_the_return_of_its_result(login, site, dossier_world, tmp_path):
    page = login("desk")
    csp = csp_violations(page)

    # The desk receives it: the applicant, the checklist (one box ticked with the keyboard), a scan.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tiếp nhận").click()
    expect(page.get_by_role("heading", name="Tiếp nhận hồ sơ tại bộ phận một cửa")).to_be_visible()
    fill_applicant(page)
    page.get_by_label("Tờ trình đề nghị", exact=True).check()
    page.get_by_label("Quyết định tuyển dụng", exact=True).focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Quyết định tuyển dụng", exact=True)).to_be_checked()
    scan = tmp_path / "to-trinh.pdf"
    scan.write_bytes(samples.pdf("Tờ trình số 5"))
    page.get_by_label("Bản scan: Tờ trình đề nghị").set_input_files(str(scan))
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()

    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Đã tiếp nhận hồ sơ 000\.00\.12\.H22-\d{6}-0001; "
                                                                  r"hẹn trả \d\d:\d\d ngày \d\d/\d\d/\d{4}\."))
    code = page.locator("h1 .code").inner_text()
    expect(page.locator(".dossier-head .badge").first).to_have_text("Đã tiếp nhận")
    expect(page.get_by_role("link", name="to-trinh.pdf")).to_be_visible()

    # The receipt (Mẫu 01) downloads as a PDF.
    receipt = page.get_by_role("region", name="In biểu mẫu").get_by_role("listitem").filter(has_text="Mẫu 01")
    with page.expect_download() as download:
        receipt.get_by_role("link", name="PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename.endswith(".pdf")

    take(page, "Chuyển bước tiếp", **{"Ghi chú": "Đủ thành phần"})
    expect(page.locator(".dossier-head .badge").first).to_have_text("Đang giải quyết")

    switch_to(page, "division_leader")
    open_dossier(page, site, code)  # in "Của phòng", the division leader's own queue
    take(page, "Chuyển bước tiếp", **{"Giao cho": NAMES["specialist"]})
    expect(page.get_by_role("region", name="Thông tin hồ sơ")).to_contain_text(
        f"3. Thẩm định, dự thảo kết quả — Phòng Công chức, viên chức — {NAMES['specialist']}")

    switch_to(page, "specialist")
    open_dossier(page, site, code)  # in "Việc của tôi"
    take(page, "Chuyển bước tiếp", **{"Ghi chú": "Đủ điều kiện bổ nhiệm"})

    switch_to(page, "division_leader")
    open_dossier(page, site, code)
    take(page, "Chuyển bước tiếp")

    switch_to(page, "leader")
    open_dossier(page, site, code)  # in "Tất cả hồ sơ"
    take(page, "Phê duyệt, ký kết quả", confirm=True, **{"Số, ký hiệu văn bản kết quả": "12/QĐ-SNV",
                                                         "Trích yếu": "Bổ nhiệm ngạch chuyên viên"})
    expect(page.locator(".dossier-head .badge").first).to_have_text("Đã giải quyết xong, chờ trả kết quả")

    switch_to(page, "desk")
    open_dossier(page, site, code)  # back in the desk's queue, to hand over
    take(page, "Kết quả đã về bộ phận một cửa")
    take(page, "Trả kết quả", confirm=True, **{"Người nhận kết quả": "Trần Thị Mai",
                                               "Hình thức trả": "Tại bộ phận một cửa"})

    expect(page.locator(".dossier-head .badge").first).to_have_text("Đã trả kết quả")
    facts = page.get_by_role("region", name="Thông tin hồ sơ")
    expect(facts).to_contain_text("12/QĐ-SNV")
    expect(facts).to_contain_text("Trần Thị Mai (Tại bộ phận một cửa)")
    timeline = page.get_by_role("region", name="Quá trình giải quyết (phiếu kiểm soát)").locator("ol > li")
    expect(timeline.locator("strong")).to_have_text([
        "Tiếp nhận", "Chuyển bước tiếp", "Chuyển bước tiếp", "Chuyển bước tiếp", "Chuyển bước tiếp",
        "Phê duyệt, ký kết quả", "Kết quả đã về bộ phận một cửa", "Trả kết quả"])
    expect(timeline.nth(2)).to_contain_text(f"{NAMES['division_leader']} (Phòng Công chức, viên chức) → "
                                            f"{NAMES['specialist']}")
    expect(timeline.nth(3)).to_contain_text("Đủ điều kiện bổ nhiệm")
    expect(timeline.nth(7)).to_contain_text(f"{NAMES['desk']} (Văn phòng Sở) → Trần Thị Mai")
    expect(page.get_by_role("heading", name="Thao tác")).to_have_count(0)
    assert csp == []


def test_an_intake_missing_a_mandatory_document_shows_the_error_by_the_form(login, dossier_world):
    page = login("desk")
    csp = csp_violations(page)
    page.goto(page.url.rstrip("/") + "/ho-so/tiep-nhan/")
    fill_applicant(page)
    page.get_by_label("Tờ trình đề nghị", exact=True).check()  # "Quyết định tuyển dụng" is missing
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()

    error = page.locator("form.intake").get_by_role("alert")
    expect(error).to_contain_text("Hồ sơ thiếu giấy tờ bắt buộc: Quyết định tuyển dụng.")
    expect(error).to_contain_text("Mẫu 02")
    expect(error).to_be_in_viewport()
    # What was typed and ticked is still there.
    expect(page.get_by_label("Họ tên / tên tổ chức")).to_have_value("Trần Thị Mai")
    expect(page.get_by_label("Tờ trình đề nghị", exact=True)).to_be_checked()
    expect(page.get_by_label("Quyết định tuyển dụng", exact=True)).not_to_be_checked()

    # The officer gives the applicant the guidance slip (Mẫu 02) instead.
    page.get_by_text("Hồ sơ chưa đủ hoặc không được tiếp nhận").click()
    page.get_by_label("Lý do (khi hướng dẫn bổ sung hoặc từ chối)").fill("Thiếu quyết định tuyển dụng")
    page.get_by_role("button", name="Lập phiếu hướng dẫn bổ sung (Mẫu 02)").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lập phiếu hướng dẫn bổ sung cho hồ sơ")
    expect(page.locator(".dossier-head .badge").first).to_have_text("Chờ bổ sung hồ sơ")
    expect(page.get_by_role("region", name="Yêu cầu bổ sung")).to_contain_text("Quyết định tuyển dụng: Chưa nộp")
    assert csp == []


def test_destructive_actions_ask_first_and_a_no_changes_nothing(login, site, dossier_world):
    code = make_dossier("leader")
    page = login("leader")
    csp = csp_violations(page)
    page.goto(f"{site}/ho-so/{code}/")
    box = panel(page, "Từ chối giải quyết")
    box.locator("summary").click()
    box.get_by_label("Lý do").fill("Không đủ điều kiện bổ nhiệm")

    asked: list[str] = []

    def refuse(dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    box.get_by_role("button", name="Từ chối giải quyết").click()
    expect(box.get_by_label("Lý do")).to_have_value("Không đủ điều kiện bổ nhiệm")  # still there, not sent
    assert asked == ["Xác nhận: Từ chối giải quyết?"]
    expect(page.locator(".dossier-head .badge").first).to_have_text("Đang giải quyết")

    page.once("dialog", lambda dialog: dialog.accept())
    box.get_by_role("button", name="Từ chối giải quyết").click()
    expect(page.get_by_role("status")).to_have_text("Đã thực hiện: Từ chối giải quyết.")
    expect(page.locator(".dossier-head .badge").first).to_have_text("Từ chối giải quyết")
    assert csp == []


def test_a_refused_action_shows_its_reason_where_the_officer_is_looking(browser, site, dossier_world):
    """Two desk officers open the same dossier; the second one's "Chuyển bước tiếp" comes too late. The page
    goes back to the panel (#thao-tac-forward) and scrolls there: the message must be in view."""
    code = make_dossier("desk")
    from motcua.dossiers import services
    from motcua.org.models import Staff

    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    try:
        page = logged_in(context.new_page(), site, "desk")
        page.goto(f"{site}/ho-so/{code}/")
        panel(page, "Chuyển bước tiếp").locator("summary").click()
        desk = Staff.objects.get(user__username="desk")
        services.withdraw(actor=desk, code=code, version=1, reason="Người nộp xin rút")  # meanwhile, elsewhere
        panel(page, "Chuyển bước tiếp").get_by_role("button", name="Chuyển bước tiếp").click()
        message = page.get_by_role("status").filter(has_text="vừa được người khác cập nhật")
        expect(message).to_be_visible()
        expect(message).to_be_in_viewport()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/ho-so/", "/ho-so/?ds=all", "/ho-so/{code}/",
                                  "/ho-so/tiep-nhan/?thu-tuc=SNV.TEST.01"])
def test_the_one_stop_pages_fit_a_360_px_phone(browser, site, dossier_world, path):
    code = make_dossier("specialist")
    make_dossier("desk")
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="vi-VN")
    try:
        page = logged_in(context.new_page(), site, "desk")
        expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
        page.goto(site + path.format(code=code))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > 361 && !e.closest('table'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
        assert width <= 360, (path, width, wide)
    finally:
        context.close()


def broken_codes(page: Page) -> dict[str, list[str]]:
    """Each dossier code of the list as the lines it is broken over, for the codes broken inside a number or
    a word (between two letters or digits) rather than after a "." or "-"."""
    return page.evaluate("""() => {
        const out = {};
        for (const a of document.querySelectorAll('table.dossiers tbody td:first-child a')) {
            const text = a.firstChild, lines = [''];
            let top = null, inside = false;
            for (let i = 0; i < text.length; i++) {
                const range = document.createRange();
                range.setStart(text, i); range.setEnd(text, i + 1);
                const y = range.getClientRects()[0].top;
                if (top !== null && y > top + 1) {
                    lines.push('');
                    if (/[0-9A-Z]/.test(text.data[i - 1]) && /[0-9A-Z]/.test(text.data[i])) inside = true;
                }
                top = y; lines[lines.length - 1] += text.data[i];
            }
            if (inside) out[text.data] = lines;
        }
        return out;
    }""")


@pytest.mark.parametrize("width", [1280, 360])
def test_dossier_codes_in_the_list_are_not_chopped_inside_their_numbers(browser, site, dossier_world, width):
    """A code is read aloud and typed ("000.00.12.H22-261129-0001"): the list may wrap it after a "." or a
    "-", not inside "H22" or "0001" (as word-break: break-all does: "000.00.12.H2 / 2-261129-000 / 1")."""
    for stage in ("desk", "specialist"):
        make_dossier(stage)
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=width < 400, locale="vi-VN")
    try:
        page = logged_in(context.new_page(), site, "leader")
        page.goto(site + "/ho-so/?ds=all")
        expect(page.locator("table.dossiers tbody tr")).to_have_count(2)
        assert broken_codes(page) == {}
    finally:
        context.close()


def test_the_keyboard_alone_reaches_an_action_panel_and_submits_it(login, site, dossier_world):
    code = make_dossier("desk")
    page = login("desk")
    csp = csp_violations(page)
    page.goto(f"{site}/ho-so/{code}/")

    def focused() -> str:
        return page.evaluate("document.activeElement.tagName + ' ' + document.activeElement.textContent.trim()")

    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if focused() == "SUMMARY Chuyển bước tiếp":
            break
    assert focused() == "SUMMARY Chuyển bước tiếp"
    page.keyboard.press("Enter")  # opens the panel
    box = panel(page, "Chuyển bước tiếp")
    expect(box).to_have_attribute("open", "")
    for _ in range(6):
        page.keyboard.press("Tab")
        if box.get_by_label("Ghi chú").evaluate("el => el === document.activeElement"):
            break
    expect(box.get_by_label("Ghi chú")).to_be_focused()
    page.keyboard.type("Đủ thành phần")
    for _ in range(6):
        page.keyboard.press("Tab")
        if box.get_by_role("button", name="Chuyển bước tiếp").evaluate("el => el === document.activeElement"):
            break
    expect(box.get_by_role("button", name="Chuyển bước tiếp")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text("Đã thực hiện: Chuyển bước tiếp.")
    expect(page.get_by_role("region", name="Quá trình giải quyết (phiếu kiểm soát)")).to_contain_text("Đủ thành phần")
    assert csp == []
