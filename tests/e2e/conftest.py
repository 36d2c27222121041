"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright cannot download its own browser here, so we launch the system Chromium; when it is missing the
tests fail (they never skip) with the command that installs it. A failing test leaves a full-page screenshot
in ``test-artifacts/`` named after the test id.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

# Playwright's sync API keeps an asyncio loop in the test thread; Django would otherwise refuse ORM calls
# made from fixtures and tests ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "motcua-demo"  # the documented password of the demo logins (motcua.demo.DEMO_PASSWORD)

expect.set_options(timeout=10_000)


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail(
            "Browser tests need Debian's Chromium, which is not installed. "
            "Install it with: sudo apt-get install -y chromium   (or run `make test`, which does it as root).",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A fresh browser context per test: no cookies or storage leak from one test to the next."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN",
                                  timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid).strip("_")
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as exc:  # a crashed page must not hide the test's own failure
            print(f"could not save a screenshot of the failure: {exc}")
    context.close()


@pytest.fixture
def demo_data(transactional_db) -> None:
    """The real demo world (agency, 85 staff, the 2026 calendar, one login per role) in the live server's DB.

    It costs one to three seconds per test (the live server's database is emptied after each test), so only
    the test proving that the documented demo logins work uses it; the others use ``world``.
    """
    from motcua import demo

    demo.load(dossiers=False)


@pytest.fixture
def world(transactional_db) -> None:
    """The demo's seven logins, with the same usernames, password, roles and posts, in a small agency that
    uses the demo's 2026 province calendar: what the pages need, built in a fraction of the demo's time."""
    import datetime as dt

    from motcua import demo
    from motcua.core.models import CalendarOverride, OfficeHoursPolicy, WorkCalendar
    from motcua.org import services
    from motcua.org.models import Agency, Division, Position
    from motcua.org.roles import Role

    services.sync_role_groups()
    calendar = WorkCalendar.objects.create(name=demo.CALENDAR_NAME)
    OfficeHoursPolicy.objects.create(calendar=calendar, effective_from=dt.date(2020, 1, 1))
    CalendarOverride.objects.bulk_create(
        CalendarOverride(calendar=calendar, date=dt.date.fromisoformat(day), kind=kind, name=name, source=source)
        for day, kind, name, source in demo.OVERRIDES_2026
    )
    positions = {code: Position.objects.create(code=code, name=name, level=level, single_holder=single, rank=rank)
                 for code, name, level, single, rank in demo.POSITIONS}
    agency = Agency.objects.create(identifier="000.00.12.H22", name="Sở Nội vụ tỉnh Hà Giang", short_name="SNV",
                                   kind=Agency.Kind.DEPARTMENT, calendar=calendar)
    office = Division.objects.create(agency=agency, code="VP", name="Văn phòng Sở", is_one_stop_desk=True)
    civil = Division.objects.create(agency=agency, code="CCVC", name="Phòng Công chức, viên chức")
    inspection = Division.objects.create(agency=agency, code="TTRA", name="Thanh tra Sở")
    people = [  # username, full name, post, division, role
        ("leader", "Nguyễn Văn Hùng", "giam_doc", None, Role.AGENCY_LEADER),
        ("admin", "Trần Thị Lan", "chuyen_vien", office, Role.ADMINISTRATOR),
        ("desk", "Lê Minh Đạt", "chuyen_vien", office, Role.DESK_OFFICER),
        ("clerk", "Phạm Thu Hằng", "van_thu", office, Role.CLERK),
        ("division_leader", "Hoàng Đức Long", "truong_phong", civil, Role.DIVISION_LEADER),
        ("specialist", "Vũ Ngọc Quỳnh", "chuyen_vien", civil, Role.SPECIALIST),
        ("auditor", "Đặng Quang Vinh", "thanh_tra_vien", inspection, Role.AUDITOR),
    ]
    for username, full_name, post, division, role in people:
        services.create_staff(actor=None, agency=agency, username=username, full_name=full_name,
                              position=positions[post], division=division, roles=[role],
                              start_date=dt.date(2020, 1, 1), password=DEMO_PASSWORD)


@pytest.fixture
def dossier_world(world) -> None:
    """``world`` plus what the one-stop pages need: the one-stop defaults (time rules, the TT 01/2018 forms),
    the UBND tỉnh for inter-agency steps, and the two procedures of the dossier tests (tests/dossiers/
    conftest.py: "Bổ nhiệm ngạch công chức", 10 working days through the desk, the civil-service division
    and the director; and one the UBND tỉnh signs), imported through the catalogue's own import."""
    import json

    from tests.dossiers.conftest import CATALOG, SNV, UBND
    from tests.factories import ensure_dossier_defaults

    from motcua.catalog import services as catalog_services
    from motcua.org.models import Agency

    ensure_dossier_defaults()
    agency = Agency.objects.get(identifier=SNV)
    Agency.objects.create(identifier=UBND, name="Ủy ban nhân dân tỉnh Hà Giang", short_name="UBND",
                          kind=Agency.Kind.PROVINCE, calendar=agency.calendar, on_system=False)
    catalog_services.import_catalog(actor=None, data=json.dumps(CATALOG).encode(), filename="catalog.json")


@pytest.fixture
def site(live_server) -> str:
    return live_server.url


class LoggedIn:
    """Log in through the login form like a person would."""

    def __init__(self, page: Page, site: str) -> None:
        self.page, self.site = page, site

    def __call__(self, username: str, password: str = DEMO_PASSWORD) -> Page:
        page = self.page
        page.goto(self.site + "/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        return page


@pytest.fixture
def login(page: Page, site: str, world) -> LoggedIn:
    return LoggedIn(page, site)
