"""The public portal in a real browser: a citizen's whole journey on a phone — register, confirm the e-mail,
file online, follow the dossier while the staff handle it at their desks, download the result and rate — and
the public look-up with a wrong factor and its rate limit.

Every step leaves a screenshot in ``test-artifacts/journey/`` (``journey-NN-name.png``,
``lookup-NN-name.png``); with ``MOTCUA_SCREENSHOTS=1`` the README's three (the draft form on a phone, the
citizen's dossier, the staff's page of the online dossier) go to ``docs/screenshots/portal-*.png`` as well.
The live server runs on the real clock.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from tests import samples
from tests.e2e.conftest import ROOT, LoggedIn

pytestmark = pytest.mark.e2e

PROCEDURE = "SNV.TEST.01"
PROCEDURE_NAME = "Bổ nhiệm ngạch công chức"
EMAIL, PASSWORD, NAME, PHONE = "mai.tran@example.vn", "Hoa-sen-nở-2026", "Trần Thị Mai", "0912345678"
STAFF_NAMES = ("Lê Minh Đạt", "Hoàng Đức Long", "Vũ Ngọc Quỳnh", "Nguyễn Văn Hùng")
SHOTS = ROOT / "test-artifacts" / "journey"
README_SHOTS = ROOT / "docs" / "screenshots"
PHONE_SIZE = {"width": 360, "height": 740}


class Camera:
    """One numbered full-page screenshot per step; the README's few also go to docs/screenshots when asked."""

    def __init__(self, prefix: str) -> None:
        self.prefix, self.count = prefix, 0
        self.publish = os.environ.get("MOTCUA_SCREENSHOTS") == "1"
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob(f"{prefix}-*.png"):
            old.unlink()

    def __call__(self, page: Page, name: str, *, readme: str | None = None) -> None:
        self.count += 1
        page.screenshot(path=str(SHOTS / f"{self.prefix}-{self.count:02d}-{name}.png"), full_page=True)
        if readme and self.publish:
            README_SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(README_SHOTS / f"portal-{readme}.png"), full_page=True)


def fits_the_phone(page: Page) -> None:
    """No horizontal scroll at 360 px: the page is no wider than the screen (and say what sticks out if not);
    and, while at it, every form control of the page is labelled."""
    assert unlabelled(page) == [], page.url
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 361)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert width <= PHONE_SIZE["width"], (page.url, width, wide)


def unlabelled(page: Page) -> list[str]:
    """The form controls of the page's main part that have no label (nor aria-label / aria-labelledby)."""
    return page.evaluate("""() => [...document.querySelectorAll('main input, main select, main textarea')]
        .filter(e => e.type !== 'hidden' && !e.labels.length && !e.getAttribute('aria-label')
                     && !e.getAttribute('aria-labelledby'))
        .map(e => e.outerHTML.slice(0, 120))""")


def unnamed_radio_groups(page: Page) -> list[str]:
    """Radio groups whose question a screen reader cannot tell: not in a <fieldset> of their own with a
    <legend>, nor in a role="radiogroup" with a name. (Each radio then reads as its option only: "Hài lòng,
    radio, 1 of 2".)"""
    return page.evaluate("""() => [...new Set([...document.querySelectorAll('main input[type=radio]')]
        .map(e => e.name))].filter(name => {
            const first = document.querySelector(`main input[type=radio][name="${name}"]`);
            const set = first.closest('fieldset');
            const group = first.closest('[role=radiogroup]');
            const own = set && [...set.querySelectorAll('input, select, textarea')].every(e => e.name === name);
            return !(own && set.querySelector('legend'))
                   && !(group && (group.getAttribute('aria-labelledby') || group.getAttribute('aria-label')));
        })""")


def csp_violations(page: Page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None)
    return found


def phone(browser: Browser) -> BrowserContext:
    return browser.new_context(viewport=PHONE_SIZE, is_mobile=True, has_touch=True, device_scale_factor=2,
                               locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")


# --------------------------------------------------------------------------------------------------------
# Staff, at their desks (a desktop browser), as in test_dossiers.py


def staff_login(page: Page, site: str, username: str) -> None:
    LoggedIn(page, site)(username)
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def switch_to(page: Page, site: str, username: str) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    staff_login(page, site, username)


def open_dossier(page: Page, site: str, code: str) -> None:
    """Find the dossier in one's default queue and open it from there."""
    page.goto(site + "/ho-so/")
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")


def panel(page: Page, label: str):
    return page.locator("details.action").filter(has=page.locator("summary", has_text=re.compile(f"^{label}$")))


def take(page: Page, label: str, **fields: str | Path) -> None:
    """Open an action's panel, fill its fields by their labels (a Path is a file to choose), submit it; the
    page's confirmations are accepted by the handler ``staff_page`` sets."""
    box = panel(page, label)
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for name, value in fields.items():
        control = box.get_by_label(name, exact=True)
        if isinstance(value, Path):
            control.set_input_files(str(value))
        elif control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    box.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_role("status").filter(has_text=f"Đã thực hiện: {label}.")).to_be_visible()


def badge(page: Page):
    return page.locator(".dossier-head .badge").first


# --------------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture
def online_procedure(dossier_world) -> None:
    """SNV.TEST.01 offered fully online (toàn trình): filed online and its result downloaded online."""
    from motcua.catalog.models import Procedure

    Procedure.objects.filter(code=PROCEDURE).update(online_level=Procedure.OnlineLevel.FULL)


@pytest.fixture
def fresh_limits(transactional_db):
    """The look-up's failure counters start empty (the live server's tests share one database)."""
    from motcua.portal.models import LookupCounter

    LookupCounter.objects.all().delete()
    yield
    LookupCounter.objects.all().delete()


# --------------------------------------------------------------------------------------------------------
# The journey


def test_a_citizen_files_online_and_gets_the_result_back_online(browser, site, online_procedure, fresh_limits,
                                                                 mailoutbox, tmp_path):
    shot = Camera("journey")
    citizen_context = phone(browser)
    staff_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                        timezone_id="Asia/Ho_Chi_Minh")
    try:
        me = citizen_context.new_page()
        csp = csp_violations(me)

        # The procedure's public page offers online filing; without an account it leads to the login page.
        me.goto(f"{site}/thu-tuc/{PROCEDURE}/")
        expect(me.get_by_role("heading", level=1)).to_contain_text(PROCEDURE_NAME)
        fits_the_phone(me)
        shot(me, "procedure")
        me.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
        expect(me.get_by_role("heading", name="Đăng nhập công dân")).to_be_visible()
        fits_the_phone(me)
        me.get_by_role("main").get_by_role("link", name="Đăng ký tài khoản").click()

        # Register.
        expect(me.get_by_role("heading", name="Đăng ký tài khoản công dân")).to_be_visible()
        me.get_by_label("Thư điện tử (dùng để đăng nhập)").fill(EMAIL)
        me.get_by_label("Họ và tên").fill(NAME)
        me.get_by_label("Điện thoại (để nhận tin nhắn về hồ sơ)").fill(PHONE)
        me.get_by_label("Mật khẩu (ít nhất 10 ký tự)").fill(PASSWORD)
        me.get_by_label("Nhập lại mật khẩu").fill(PASSWORD + "x")
        me.get_by_role("button", name="Đăng ký").click()
        # The mistake is told next to the field, and the field is described by it.
        again = me.get_by_label("Nhập lại mật khẩu")
        expect(again).to_have_accessible_description("Hai lần nhập mật khẩu không khớp.")
        expect(again).to_have_attribute("aria-invalid", "true")
        expect(me.get_by_label("Họ và tên")).to_have_value(NAME)
        fits_the_phone(me)
        shot(me, "register-mistake")
        me.get_by_label("Mật khẩu (ít nhất 10 ký tự)").fill(PASSWORD)
        again.fill(PASSWORD)
        me.get_by_role("button", name="Đăng ký").click()
        expect(me.get_by_role("heading", name="Mời Ông/Bà kiểm tra hộp thư")).to_be_visible()
        expect(me.get_by_role("status")).to_contain_text(EMAIL)
        shot(me, "register-sent")

        # The confirmation e-mail (Django's in-memory outbox: the live server runs in this process).
        letters = [m for m in mailoutbox if m.to == [EMAIL] and "Xác nhận tài khoản" in m.subject]
        assert len(letters) == 1, [(m.to, m.subject) for m in mailoutbox]
        link = re.search(r"https?://\S+/cong-dan/xac-nhan/\S+/", letters[0].body)
        assert link is not None and link.group().startswith(site), letters[0].body
        me.goto(link.group())
        expect(me.get_by_text("Đã xác nhận thư điện tử. Mời đăng nhập.")).to_be_visible()
        expect(me.get_by_role("heading", name="Đăng nhập công dân")).to_be_visible()

        # Log in with the e-mail address.
        me.get_by_label("Thư điện tử").fill(EMAIL)
        me.get_by_label("Mật khẩu").fill(PASSWORD)
        shot(me, "login")
        me.get_by_role("button", name="Đăng nhập").click()
        expect(me.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
        expect(me.get_by_text("Ông/Bà chưa nộp hồ sơ nào.")).to_be_visible()
        fits_the_phone(me)

        # Back to the procedure (by its address: the ?next= of the login is lost on the way through registering
        # and confirming, so the citizen lands on "Hồ sơ của tôi"); start a new online dossier.
        me.goto(f"{site}/thu-tuc/{PROCEDURE}/")
        me.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
        expect(me.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")
        start = me.get_by_role("main")
        expect(start).to_contain_text("Tờ trình đề nghị")
        expect(start).to_contain_text("Không thu phí, lệ phí.")
        fits_the_phone(me)
        shot(me, "start")
        me.get_by_role("button", name="Bắt đầu lập hồ sơ mới").click()

        # The draft: prefilled from the account; one file, saved; the other, then review.
        expect(me.get_by_role("heading", level=1)).to_have_text("Lập hồ sơ trực tuyến")
        expect(me.get_by_label("Họ tên / tên tổ chức")).to_have_value(NAME)
        expect(me.get_by_label("Điện thoại")).to_have_value(PHONE)
        expect(me.get_by_label("Thư điện tử")).to_have_value(EMAIL)
        expect(me.get_by_role("radio", name="Cá nhân", exact=True)).to_be_checked()
        me.get_by_label("Số định danh cá nhân (12 số)").fill("002190001234")
        me.get_by_label("Ngày sinh").fill("1990-05-17")
        me.get_by_label("Địa chỉ").fill("Tổ 5, phường Nguyễn Trãi, thành phố Hà Giang")
        me.get_by_label("Nội dung yêu cầu (nếu có)").fill("Đề nghị bổ nhiệm ngạch chuyên viên")
        request_letter, decision, result = (tmp_path / "to-trinh.pdf", tmp_path / "quyet-dinh-tuyen-dung.pdf",
                                            tmp_path / "quyet-dinh-12.pdf")
        request_letter.write_bytes(samples.pdf("Tờ trình đề nghị bổ nhiệm ngạch"))
        decision.write_bytes(samples.pdf("Quyết định tuyển dụng"))
        result.write_bytes(samples.pdf("Quyết định số 12/QĐ-SNV bổ nhiệm ngạch chuyên viên"))
        me.get_by_label("Tờ trình đề nghị", exact=True).set_input_files(str(request_letter))
        me.get_by_role("button", name="Lưu nháp").click()
        expect(me.get_by_text("Đã lưu hồ sơ nháp.")).to_be_visible()
        expect(me.get_by_label("Tờ trình đề nghị — đã tải lên: to-trinh.pdf; chọn tệp khác để thay")).to_be_attached()
        expect(me.get_by_label("Địa chỉ")).to_have_value("Tổ 5, phường Nguyễn Trãi, thành phố Hà Giang")
        me.get_by_label("Quyết định tuyển dụng", exact=True).set_input_files(str(decision))
        fits_the_phone(me)
        shot(me, "draft", readme="draft-phone")
        me.get_by_role("button", name="Lưu và xem lại để nộp").click()

        # Review and submit: a code at once.
        expect(me.get_by_role("heading", level=1)).to_have_text("Xem lại và nộp hồ sơ")
        review = me.get_by_role("main")
        for text in ("✓ to-trinh.pdf", "✓ quyet-dinh-tuyen-dung.pdf", "002190001234", "Không thu phí, lệ phí."):
            expect(review).to_contain_text(text)
        fits_the_phone(me)
        shot(me, "review")
        me.get_by_role("button", name="Xác nhận và nộp hồ sơ").click()
        expect(me.get_by_text(re.compile(r"Đã nộp hồ sơ\. Mã hồ sơ của Ông/Bà: 000\.00\.12\.H22-\d{6}-\d{4}\."))) \
            .to_be_visible()
        heading = me.get_by_role("heading", level=1)
        expect(heading).to_have_text(re.compile(r"^Hồ sơ 000\.00\.12\.H22-\d{6}-\d{4}$"))
        code = heading.inner_text().removeprefix("Hồ sơ ").strip()
        expect(me.get_by_role("heading", level=2).first).to_have_text(
            "Đã nộp trực tuyến, đang chờ bộ phận một cửa kiểm tra")
        fits_the_phone(me)
        shot(me, "submitted")

        # ---- The staff, at their desks ----
        desk = staff_context.new_page()
        desk.on("dialog", lambda dialog: dialog.accept())
        staff_csp = csp_violations(desk)
        staff_login(desk, site, "desk")
        open_dossier(desk, site, code)  # the online dossier waits in the desk's queue
        expect(badge(desk)).to_have_text("Mới nộp, chờ tiếp nhận")
        expect(desk.get_by_role("link", name="to-trinh.pdf")).to_be_visible()
        expect(desk.get_by_role("link", name="quyet-dinh-tuyen-dung.pdf")).to_be_visible()
        panel(desk, "Tiếp nhận").locator("summary").click()
        receive = panel(desk, "Tiếp nhận")
        expect(receive.get_by_label("Tờ trình đề nghị", exact=False).first).to_be_checked()
        desk.mouse.move(0, 0)
        shot(desk, "desk-online-dossier", readme="staff-dossier")
        take(desk, "Tiếp nhận")
        expect(badge(desk)).to_have_text("Đã tiếp nhận")
        shot(desk, "desk-received")
        take(desk, "Chuyển bước tiếp", **{"Ghi chú": "Hồ sơ trực tuyến đủ thành phần"})
        expect(badge(desk)).to_have_text("Đang giải quyết")

        # The citizen sees it received, with an appointment.
        me.reload()
        expect(me.get_by_role("heading", level=2).first).to_have_text("Đang giải quyết")
        expect(me.get_by_role("main")).to_contain_text("Hẹn trả kết quả")

        switch_to(desk, site, "division_leader")
        open_dossier(desk, site, code)
        take(desk, "Chuyển bước tiếp", **{"Giao cho": "Vũ Ngọc Quỳnh"})
        shot(desk, "division-leader-assigned")

        switch_to(desk, site, "specialist")
        open_dossier(desk, site, code)
        take(desk, "Chuyển bước tiếp", **{"Ghi chú": "Đủ điều kiện bổ nhiệm"})
        shot(desk, "specialist-forwarded")

        switch_to(desk, site, "division_leader")
        open_dossier(desk, site, code)
        take(desk, "Chuyển bước tiếp")

        switch_to(desk, site, "leader")
        open_dossier(desk, site, code)
        take(desk, "Phê duyệt, ký kết quả", **{"Số, ký hiệu văn bản kết quả": "12/QĐ-SNV",
                                                "Trích yếu": "Bổ nhiệm ngạch chuyên viên",
                                                "Tệp kết quả đã ký (PDF)": result})
        expect(badge(desk)).to_have_text("Đã giải quyết xong, chờ trả kết quả")
        expect(desk.get_by_role("link", name="quyet-dinh-12.pdf")).to_be_visible()
        shot(desk, "leader-approved")

        switch_to(desk, site, "desk")
        open_dossier(desk, site, code)
        take(desk, "Kết quả đã về bộ phận một cửa")
        take(desk, "Trả kết quả", **{"Người nhận kết quả": NAME, "Hình thức trả": "Trực tuyến"})
        expect(badge(desk)).to_have_text("Đã trả kết quả")
        expect(desk.get_by_role("region", name="Thông tin hồ sơ")).to_contain_text(f"{NAME} (Trực tuyến)")
        shot(desk, "desk-returned")
        assert staff_csp == []

        # ---- The citizen again: the result, online ----
        me.reload()
        expect(me.get_by_role("heading", level=2).first).to_have_text("Đã trả kết quả")
        results = me.get_by_role("region", name="Kết quả giải quyết")
        expect(results).to_contain_text("12/QĐ-SNV")
        with me.expect_download() as download:
            results.get_by_role("link", name=re.compile(r"Tải về quyet-dinh-12\.pdf")).click()
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
        assert download.value.suggested_filename == "quyet-dinh-12.pdf"

        # The public timeline: places and steps, never the names of the staff.
        timeline = me.get_by_role("region", name="Quá trình giải quyết").locator("ol > li")
        expect(timeline.first).to_contain_text("Nộp trực tuyến")
        expect(timeline.last).to_contain_text("Trả kết quả")
        for name in STAFF_NAMES:
            expect(me.get_by_role("main")).not_to_contain_text(name)

        # Rate the service: every question answered, "Hài lòng".
        rating = me.get_by_role("region", name="Đánh giá việc giải quyết hồ sơ")
        for answer in ("Đầy đủ, dễ hiểu", "Tận tình, chu đáo", "Được trả lời đầy đủ hoặc không có phản ánh",
                       "Dễ sử dụng", "Đúng và đáp ứng", "Hài lòng"):
            rating.get_by_label(answer, exact=True).check()
        rating.get_by_label("Góp ý (nếu có)").fill("Nộp trên điện thoại rất tiện.")
        fits_the_phone(me)
        shot(me, "rating")
        rating.get_by_role("button", name="Gửi đánh giá").click()
        expect(me.get_by_text("Cảm ơn Ông/Bà đã đánh giá.")).to_be_visible()
        rated = me.get_by_role("region", name="Đánh giá của Ông/Bà")
        expect(rated).to_contain_text(re.compile(r"Tổng điểm \d+/18 · Hài lòng"))
        expect(me.get_by_role("button", name="Gửi đánh giá")).to_have_count(0)  # once per dossier
        fits_the_phone(me)
        shot(me, "rated", readme="my-dossier-phone")

        # "Hồ sơ của tôi" lists it as returned.
        me.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hồ sơ của tôi").click()
        row = me.locator("table.dossiers tbody tr").filter(has_text=code)
        expect(row).to_contain_text("Đã trả kết quả")
        fits_the_phone(me)
        shot(me, "my-dossiers")
        assert csp == []
    finally:
        citizen_context.close()
        staff_context.close()


# --------------------------------------------------------------------------------------------------------
# The public look-up


def lookup_answer(response) -> bool:
    return urlsplit(response.url).path == "/tra-cuu/" and response.request.method == "POST"


def submit_lookup(page: Page, code: str, check: str) -> int:
    """Type the code and the 4 digits, press the button; the HTTP status of the answer."""
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("4 số cuối số điện thoại hoặc số định danh (mã số thuế) của người nộp").fill(check)
    with page.expect_response(lookup_answer) as answer:
        page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_load_state()
    return answer.value.status


def test_the_look_up_answers_the_right_factor_only_and_limits_attempts(browser, site, dossier_world, fresh_limits,
                                                                       settings):
    from tests.dossiers.conftest import CITIZEN, intake

    from motcua.dossiers import services
    from motcua.org.models import Staff

    settings.LOOKUP_RATE_PER_CLIENT = "3/10m"  # failed attempts; the live server runs in this process, reads these
    desk = Staff.objects.get(user__username="desk")
    code = services.receive_at_desk(actor=desk, intake=intake()).code
    shot = Camera("lookup")
    context = phone(browser)
    try:
        page = context.new_page()
        csp = csp_violations(page)

        # The receipt's QR code opens the page with the code filled in and the cursor on the 4 digits: the
        # keyboard alone finishes the look-up.
        page.goto(f"{site}/tra-cuu/?ma={code}")
        expect(page.get_by_label("Mã hồ sơ")).to_have_value(code)
        factor = page.get_by_label("4 số cuối số điện thoại hoặc số định danh (mã số thuế) của người nộp")
        expect(factor).to_be_focused()
        page.keyboard.type(CITIZEN.phone[-4:])
        with page.expect_response(lookup_answer) as answer:
            page.keyboard.press("Enter")
        assert answer.value.status == 200  # a right answer is not counted
        found = page.get_by_role("status")
        expect(found).to_contain_text(f"Hồ sơ {code}")
        expect(found).to_contain_text("Đã tiếp nhận")
        expect(found).to_contain_text("Hẹn trả kết quả")
        expect(found).to_contain_text("Tiếp nhận hồ sơ — Văn phòng Sở")
        for secret in (desk.full_name, CITIZEN.name, CITIZEN.id_number, CITIZEN.phone):
            expect(page.locator("body")).not_to_contain_text(secret)
        fits_the_phone(page)
        shot(page, "found")

        # A wrong factor and a wrong code read the same: nothing tells which was wrong.
        assert submit_lookup(page, code, "0000") == 404  # failure 1
        wrong_factor = page.get_by_role("alert").inner_text()
        assert "Không tìm thấy hồ sơ khớp với mã và 4 số đã nhập." in wrong_factor
        expect(page.get_by_role("status")).to_have_count(0)
        expect(page.locator("body")).not_to_contain_text("Đã tiếp nhận")
        fits_the_phone(page)
        shot(page, "wrong-factor")
        wrong_code = code[:-4] + ("9999" if not code.endswith("9999") else "9998")
        assert submit_lookup(page, wrong_code, CITIZEN.phone[-4:]) == 404  # failure 2
        assert page.get_by_role("alert").inner_text() == wrong_factor

        # Failure 3 uses the client's attempts up: the next look-up, even with the right factor, is refused with
        # a retry time (a guesser cannot tell a hit from a miss).
        assert submit_lookup(page, code, "1111") == 404
        with page.expect_response(lookup_answer) as answer:
            page.get_by_label("Mã hồ sơ").fill(code)
            factor.fill(CITIZEN.phone[-4:])
            page.get_by_role("button", name="Tra cứu").click()
        limited = answer.value
        assert limited.status == 429
        assert 0 < int(limited.headers["retry-after"]) <= 600
        expect(page.get_by_role("alert")).to_have_text(
            re.compile(r"quá nhiều lần tra cứu sai từ máy này hoặc với mã hồ sơ này; "
                       r"hãy thử lại sau \d+ (phút|giây)\."))
        expect(page.get_by_role("status")).to_have_count(0)
        fits_the_phone(page)
        shot(page, "rate-limited")
        assert csp == []
    finally:
        context.close()


# --------------------------------------------------------------------------------------------------------
# Every radio question names its group (a fieldset whose legend is the question)


def test_each_radio_question_names_its_group(browser, site, online_procedure):
    from django.contrib.auth import get_user_model

    from motcua.core import clock
    from motcua.portal.models import Citizen

    user = get_user_model().objects.create_user(username=EMAIL, email=EMAIL, password=PASSWORD)
    Citizen.objects.create(user=user, full_name=NAME, phone=PHONE, created_at=clock.now())
    context = phone(browser)
    try:
        page = context.new_page()
        page.goto(f"{site}/cong-dan/dang-nhap/?next=/cong-dan/nop/{PROCEDURE}/")
        page.get_by_label("Thư điện tử").fill(EMAIL)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.get_by_role("button", name="Bắt đầu lập hồ sơ mới").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Lập hồ sơ trực tuyến")
        assert unnamed_radio_groups(page) == []
    finally:
        context.close()
