"""`motcua demo` builds the seed's department and changes nothing when run again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from motcua import demo
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core import audit
from motcua.core.models import AuditEvent, CalendarOverride
from motcua.org.access import roles_of
from motcua.org.models import Agency, Assignment, Staff


def _counts() -> tuple[int, ...]:
    return (Agency.objects.count(), Staff.objects.count(), Assignment.objects.count(),
            CalendarOverride.objects.count(), AuditEvent.objects.count(), get_user_model().objects.count(),
            Procedure.objects.count(), ProcedureVersion.objects.count())


ARTICLE_PROCEDURES = {
    "Thuyên chuyển cán bộ, công chức, viên chức ra ngoài tỉnh",
    "Chuyển xếp lương, chuyển loại công chức cấp xã",
    "Chuyển mã ngạch công chức, viên chức",
    "Bổ nhiệm ngạch cán bộ, công chức, viên chức",
    "Đề nghị hưởng chính sách thu hút nguồn nhân lực",
}


@pytest.fixture
def demo_signing(settings, tmp_path, monkeypatch):
    """The demo's throw-away certificate, as `motcua demo` makes it on a local machine (the test settings have
    none), and a smaller year of correspondence: the same lives, fewer of them."""
    from motcua import demo_documents
    from motcua.documents.demo_keys import ensure_demo_keys

    ensure_demo_keys(tmp_path / "signing", agency_name="Sở Nội vụ tỉnh Hà Giang")
    settings.SIGNING_CERT_FILE = str(tmp_path / "signing" / "agency.pem")
    settings.SIGNING_KEY_FILE = str(tmp_path / "signing" / "agency.key")
    settings.SIGNING_CHAIN_FILES = settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "signing" / "root.pem")]
    monkeypatch.setattr(demo_documents, "INCOMING_PER_YEAR", 40)
    monkeypatch.setattr(demo_documents, "OUTGOING_PER_YEAR", 3)
    monkeypatch.setattr(demo_documents, "RENDERED_SCANS", 10)
    return tmp_path / "signing" / "root.pem"


def test_demo_builds_the_seed_department_once(db, capsys, demo_signing):
    call_command("demo")
    department = Agency.objects.get(short_name="SNV")
    assert department.name == "Sở Nội vụ tỉnh Hà Giang"
    assert department.divisions.count() == 6 and department.units.count() == 3
    assert Staff.objects.filter(agency=department).count() == 85
    assert Agency.objects.filter(kind="province", short_name="UBND").exists()
    assert department.parent.short_name == "UBND"
    # The seed's appointments this year: three division-level leaders in the affiliated units.
    appointed = Assignment.objects.filter(agency=department, start_date=dt.date(2026, 4, 1),
                                          position__code="pho_truong_don_vi")
    assert appointed.count() == 3
    # The Government's 2026 schedule is in the province calendar.
    assert CalendarOverride.objects.filter(calendar=department.calendar, date=dt.date(2026, 1, 10),
                                           kind="working_day").exists()
    # The seed's 36 procedures, the article's five among them, each simplified once (two versions).
    assert Procedure.objects.filter(agency=department).count() == 36
    assert set(Procedure.objects.values_list("name", flat=True)) >= ARTICLE_PROCEDURES
    assert ProcedureVersion.objects.count() == 72
    out = capsys.readouterr().out
    before = _counts()
    call_command("demo")
    assert _counts() == before
    assert "không thay đổi gì" in capsys.readouterr().out
    assert all(login.username in out for login in demo.DEMO_LOGINS)
    assert audit.verify().ok
    _the_seeds_six_months_read_as_the_article(department)
    _a_year_of_correspondence(department, demo_signing)


def _the_seeds_six_months_read_as_the_article(department) -> None:
    """736 dossiers received and resolved in the six full months before this one, every one on time, in the
    article's five groups; and this month's open work at every stage."""
    from django.db.models import Count

    from motcua.core import calendars
    from motcua.demo_dossiers import seed_end
    from motcua.dossiers.models import Dossier
    from motcua.portal.models import SubmissionDraft

    month = seed_end(calendars.load_calendar(department.calendar_id), timezone.localdate())
    start = month
    for _ in range(6):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    zone = timezone.get_current_timezone()
    window = Dossier.objects.filter(agency=department,
                                    received_at__gte=dt.datetime.combine(start, dt.time(), tzinfo=zone),
                                    received_at__lt=dt.datetime.combine(month, dt.time(), tzinfo=zone))
    assert window.count() == 736
    by_procedure = dict(window.values_list("procedure__code").annotate(n=Count("id")))
    assert by_procedure == {"SNV.HG.CCVC.01": 66, "SNV.HG.CCVC.02": 104, "SNV.HG.CCVC.03": 74,
                            "SNV.HG.CCVC.04": 417, "SNV.HG.CCVC.05": 75}
    assert set(window.values_list("outcome", flat=True)) <= {"early", "on_time"}
    assert window.filter(finished_at__lt=dt.datetime.combine(month, dt.time(), tzinfo=zone)).count() == 736
    assert window.filter(state="returned").count() == 736
    # Every resolution stood on stored instants: finished no later than its appointment.
    assert not any(d.finished_at > d.due_at for d in window.only("finished_at", "due_at"))
    # The report of the seed's period says what the article says, from the statistics ledger alone.
    from motcua.dossiers import tallies
    from motcua.reports import periods, selectors

    period = periods.Period(start, month - dt.timedelta(days=1))
    report = selectors.resolution(period=period, agency=department)
    t = report.totals
    assert (t.received, t.carried_over, t.resolved, t.late, t.in_progress, t.awaiting_supplement) == (
        736, 0, 736, 0, 0, 0)
    assert t.on_time_rate == 100.0
    assert sorted(r.received for r in report.rows if r.received) == [66, 74, 75, 104, 417]
    # ... and the ledger the actions kept equals the one the hand-offs give.
    assert tallies.verify() == []
    current = Dossier.objects.filter(agency=department, is_open=True)
    now = timezone.now()
    assert current.filter(due_at__lt=now, state="in_progress").count() >= 3  # a few overdue
    assert current.filter(due_at__gte=now, due_at__lt=now + dt.timedelta(days=4)).exists()  # due soon
    # One of each for the desk's own queue, one of each for the demo citizen's account.
    assert current.filter(state="awaiting_supplement").count() == 2
    assert current.filter(state="submitted").count() == 2
    mine = Dossier.objects.filter(applicant_account__username="congdan@example.vn")
    assert sorted(mine.values_list("state", flat=True)) == ["awaiting_supplement", "returned", "submitted"]
    assert mine.get(state="returned").attachments.filter(kind="result").exists()
    assert SubmissionDraft.objects.filter(account__username="congdan@example.vn").count() == 1
    assert current.filter(state="resolved", result_ready_at__isnull=False).count() >= 2
    years: dict[int, list[int]] = {}
    for received, number in Dossier.objects.filter(agency=department, log_number__isnull=False).values_list(
            "received_at", "log_number"):
        years.setdefault(timezone.localtime(received).year, []).append(number)
    for numbers in years.values():  # the register's numbers restart each year and run without a gap
        assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_each_demo_login_has_its_role_and_the_demo_password(db):
    demo.load(dossiers=False)
    for login in demo.DEMO_LOGINS:
        request = RequestFactory().post("/dang-nhap/")
        user = authenticate(request, username=login.username, password=demo.DEMO_PASSWORD)
        assert user is not None, login.username
        assert roles_of(user.staff) == {login.role}
    others = get_user_model().objects.exclude(username__in=[lg.username for lg in demo.DEMO_LOGINS])
    assert not any(u.has_usable_password() for u in others)


def test_the_seed_months_end_a_month_earlier_while_this_month_is_too_young_for_the_open_work(db):
    from motcua.core import calendars
    from motcua.demo_dossiers import seed_end

    demo.load(dossiers=False)
    cal = calendars.load_calendar(Agency.objects.get(short_name="SNV").calendar_id)
    assert seed_end(cal, dt.date(2026, 11, 30)) == dt.date(2026, 11, 1)   # 20 working days into November
    assert seed_end(cal, dt.date(2026, 12, 2)) == dt.date(2026, 11, 1)    # two days into December
    assert seed_end(cal, dt.date(2026, 12, 31)) == dt.date(2026, 12, 1)


def _a_year_of_correspondence(department, root) -> None:
    """Registers numbered 1..N in the order of their dates; issued documents numbered, signed and verifiable;
    something waiting for every demo login that handles documents; secret documents kept from specialists."""

    from motcua.documents import access, queues, signing
    from motcua.documents.models import CaseFile, CaseFileDocument, Document, DocumentFile, Register
    from motcua.org.roles import Role

    documents = Document.objects.filter(agency=department)
    registers = Register.objects.filter(agency=department)
    assert {(r.direction, r.secret) for r in registers} >= {("incoming", False), ("incoming", True),
                                                            ("outgoing", False)}
    for register in registers:
        field = "registered_at" if register.direction == "incoming" else "issued_at"
        rows = list(register.documents.order_by("number").values_list("number", field))
        assert [n for n, _ in rows] == list(range(1, len(rows) + 1)), str(register)
        assert [t for _, t in rows] == sorted(t for _, t in rows), str(register)  # numbers follow the dates
    start = timezone.now() - dt.timedelta(days=366)
    assert not documents.filter(created_at__lt=start).exists() and documents.filter(
        created_at__lt=start + dt.timedelta(days=90)).exists()  # a year, ending today
    issued = documents.filter(direction="outgoing", state__in=["issued", "archived"]).select_related(
        "drafting_division")
    assert issued.count() >= 2 and issued.filter(state="archived").exists()  # filed in work files
    for document in issued:
        pattern = rf"{document.number}/(?:[^\W\d_]+-SNV|SNV-{document.drafting_division.code})"
        assert re.fullmatch(pattern, document.symbol), document.symbol
    assert not issued.exclude(files__kind=DocumentFile.Kind.SIGNED).exists()
    assert issued.filter(reply_to__isnull=False).exists()  # some answer an incoming document
    for document in issued.order_by("-issued_at")[:2]:
        signed = document.files.filter(kind=DocumentFile.Kind.SIGNED).latest("uploaded_at", "id")
        with signed.file.open("rb") as fh:
            reports = signing.verify_pdf(fh.read(), roots=[root])
        assert len(reports) == 2 and all(r.ok for r in reports), [r.summary for r in reports]  # leader, agency
    incoming = documents.filter(direction="incoming")
    handled = list(incoming.filter(state="completed", due_at__isnull=False))
    assert sum(d.completed_at <= d.due_at for d in handled) > 0.8 * len(handled)  # mostly on time
    assert incoming.filter(urgency="flash").exists() and incoming.filter(state="registered").exists()
    # Every demo login that handles documents finds work waiting; the specialist has an overdue one.
    logins = {s.user.username: s for s in Staff.objects.filter(agency=department).select_related("user")}
    for name in ("desk", "specialist", "division_leader", "leader", "clerk"):
        assert queues.my_tasks(logins[name]), name
    assert any(item.overdue for item in queues.my_tasks(logins["specialist"]))
    # The staff portal is not empty on the first login: notices, and this week's schedule.
    from motcua.org import office

    assert len(office.current_announcements(logins["specialist"])) == 3
    today = timezone.localdate()  # the agency's today, as the demo's
    week = office.week_schedule(logins["specialist"], today - dt.timedelta(days=today.weekday()))
    assert sum(len(day.morning) + len(day.afternoon) for day in week.days) == 5
    # Confidential documents: seen by the leader and the clerk; by a specialist only when given to them by name.
    secret = documents.exclude(secrecy="normal")
    assert secret.exists() and secret.filter(register__secret=True).count() == secret.count()
    assert access.visible(logins["leader"], secret).count() == secret.count()
    assert access.visible(logins["clerk"], secret).count() == secret.count()
    assert access.visible(logins["specialist"], secret).filter(state="completed").exists()  # the one given to them
    specialists = Staff.objects.filter(agency=department, user__groups__name=Role.SPECIALIST)
    assert not any(access.visible(s, secret).exclude(tasks__assignee=s).exists() for s in specialists)
    # Work files: the previous year's closed, one handed to the archive, documents filed.
    files = CaseFile.objects.filter(agency=department)
    assert files.filter(status="closed").exists() and files.filter(status="archived").count() == 1
    assert CaseFileDocument.objects.filter(case_file__agency=department).exists()
    assert DocumentFile.objects.filter(document__agency=department, content_type="image/jpeg").exists()  # OCR
