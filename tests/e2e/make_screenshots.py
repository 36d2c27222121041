"""Take the README's screenshots: ``.venv/bin/python tests/e2e/make_screenshots.py [output-dir]``.

Not a test: it builds a throw-away demo installation (SQLite in a temporary DATA_DIR, whatever DATABASE_URL
says), serves it with ``motcua serve`` on a free local port, drives Debian's Chromium through the pages at
1280×800 and writes full-page PNGs to ``docs/screenshots/`` (or the directory given). The page "Hôm nay"
shows the day it is run, and the demo's open dossiers are dated around that day.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
MOTCUA = Path(sys.executable).parent / "motcua"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PASSWORD = "motcua-demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"motcua serve stopped with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own local server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer {url} within {seconds:.0f} s")


def capture(base: str, out: Path, chromium: str, seed: tuple[str, str]) -> list[Path]:
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                      timezone_id="Asia/Ho_Chi_Minh")
        page = context.new_page()

        def shot(name: str, *, full_page: bool = True) -> None:
            page.mouse.move(0, 0)
            path = out / name
            page.screenshot(path=str(path), full_page=full_page)
            written.append(path)

        page.goto(base + "/dang-nhap/")
        expect(page.get_by_role("heading", name="Đăng nhập dành cho cán bộ")).to_be_visible()
        shot("login.png")

        page.get_by_label("Tên đăng nhập").fill("leader")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.locator("[data-role]")).to_have_text(["Lãnh đạo cơ quan"])
        # Show the due-date calculator with an answer: Fri 24/4/2026 09:00 + 3 working days. (Headless Chromium
        # draws the date input in US order whatever the locale; a browser set to Vietnamese shows dd/mm/yyyy.)
        page.get_by_label("Thời điểm tiếp nhận").fill("2026-04-24T09:00")
        page.get_by_label("Số ngày làm việc").fill("3")
        page.get_by_role("button", name="Tính", exact=True).click()
        expect(page.locator("#due-result")).to_be_visible()
        shot("home-leader.png")

        page.goto(base + "/lich-lam-viec/?nam=2026")
        expect(page.get_by_role("heading", name="Ngày nghỉ và ngày làm bù năm 2026")).to_be_visible()
        shot("calendar.png")

        page.goto(base + "/thu-tuc/?q=bo+nhiem+ngach")
        expect(page.get_by_role("heading", name="Tra cứu thủ tục hành chính")).to_be_visible()
        shot("catalog.png")
        page.get_by_role("link", name="Bổ nhiệm ngạch cán bộ, công chức, viên chức").click()
        expect(page.get_by_role("heading", name="Quy trình giải quyết")).to_be_visible()
        shot("procedure.png")

        # The one-stop pages, with the demo's six months of dossiers.
        switch_to(page, "leader")
        page.goto(base + "/ho-so/?ds=all")
        expect(page.get_by_role("heading", name="Hồ sơ thủ tục hành chính")).to_be_visible()
        # The first rows of the agency's list (50 a page): the filters and a dozen dossiers at every stage.
        page.set_viewport_size({"width": 1280, "height": 1100})
        shot("dossier-queue.png", full_page=False)
        page.set_viewport_size({"width": 1280, "height": 800})

        switch_to(page, "desk")
        page.goto(base + "/ho-so/tiep-nhan/")
        chosen = page.locator("#thu-tuc option", has_text="Bổ nhiệm ngạch cán bộ").first.get_attribute("value")
        page.get_by_label("Thủ tục", exact=True).select_option(chosen)
        page.get_by_role("button", name="Chọn", exact=True).click()
        expect(page.get_by_role("group", name="Thành phần hồ sơ")).to_be_visible()
        page.get_by_role("radio", name="Cá nhân", exact=True).check()  # the individual's fields appear
        page.get_by_label("Họ tên / tên tổ chức").fill("Trần Thị Mai")
        page.get_by_label("Số định danh cá nhân (12 số)").fill("002190001234")
        page.get_by_label("Địa chỉ").fill("Tổ 5, phường Nguyễn Trãi, thành phố Hà Giang")
        page.get_by_label("Điện thoại").fill("0912345678")
        page.locator("form.intake tbody input[type=checkbox]").first.check()
        shot("dossier-intake.png")

        # A dossier half-way, as the division leader who reviews it sees it: the one of his division's queue
        # with the longest history so far.
        switch_to(page, "division_leader")
        page.goto(base + "/ho-so/?ds=division")
        codes = page.locator("table.dossiers tbody td:first-child a").all_inner_texts()
        best, most = None, -1
        for code in codes[:20]:
            page.goto(f"{base}/ho-so/{code}/")
            handoffs = page.locator("ol.timeline > li").count()
            if handoffs > most:
                best, most = code, handoffs
        page.goto(f"{base}/ho-so/{best}/")
        expect(page.get_by_role("heading", name="Quá trình giải quyết (phiếu kiểm soát)")).to_be_visible()
        shot("dossier.png")

        # Reports, as the agency's leader: the dashboard, the seed's six months, process measurement.
        switch_to(page, "leader")
        page.goto(base + "/bao-cao/tong-quan/")
        expect(page.get_by_role("heading", name="Bảng điều hành", exact=False)).to_be_visible()
        shot("reports-dashboard.png")
        page.goto(f"{base}/bao-cao/?from={seed[0]}&to={seed[1]}&group_by=field")
        shot("reports-resolution.png")
        page.goto(f"{base}/bao-cao/quy-trinh/?from={seed[0]}&to={seed[1]}")
        shot("reports-process.png")

        # The province: a dossier received at a commune for the department, as the commune's desk sees it (the
        # receiving point, the resolving agency, the delivery point, each step's agency), and the province page.
        switch_to(page, "commune_desk")
        page.goto(base + "/ho-so/?ds=all&thu-tuc=SNV.HG.VTLT.02")
        page.get_by_role("link", name=re.compile(r"^000\.00\.\d\d\.H22-")).first.click()
        expect(page.locator("#resolving-agency")).to_be_visible()
        shot("province-dossier.png")
        switch_to(page, "province_leader")
        page.goto(base + "/bao-cao/tinh/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        shot("province-dashboard.png")

        context.close()
        browser.close()
    return written


def switch_to(page: Page, username: str) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


# The demo's six months (the article's 736 dossiers), printed as two ISO dates.
SEED_PERIOD = """
import datetime as dt
from django.utils import timezone
from motcua.core import calendars
from motcua.demo_dossiers import seed_end
from motcua.org.models import Agency
from motcua.demo import SNV_IDENTIFIER
agency = Agency.objects.get(identifier=SNV_IDENTIFIER)
end = seed_end(calendars.load_calendar(agency.calendar_id), timezone.localdate())
start = end
for _ in range(6):
    start = (start - dt.timedelta(days=1)).replace(day=1)
print(start.isoformat(), (end - dt.timedelta(days=1)).isoformat())
"""


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("Chromium is missing: sudo apt-get install -y chromium")
    out.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="motcua-screenshots-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "REDIS_URL"}}
    env |= {"MOTCUA_ENV": "local", "DEBUG": "false", "DATA_DIR": str(data_dir),
            "DATABASE_URL": f"sqlite:///{data_dir / 'motcua.sqlite3'}", "LOG_LEVEL": "WARNING"}
    server = None
    try:
        for args in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"], ["demo"]):
            subprocess.run([str(MOTCUA), *args], env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen([str(MOTCUA), "serve", "--host", "127.0.0.1", "--port", str(port),
                                   "--workers", "1", "--threads", "4"], env=env, stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz", server)
        seed = subprocess.run([str(MOTCUA), "shell", "-c", SEED_PERIOD], env=env, check=True, capture_output=True,
                              text=True).stdout.split()[-2:]
        for path in capture(base, out, chromium, (seed[0], seed[1])):
            print(path)
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
