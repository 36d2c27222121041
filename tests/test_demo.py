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
from motcua.org.models import Agency, Assignment, Staff, Unit


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
    assert ProcedureVersion.objects.filter(procedure__agency=department).count() == 72
    out = capsys.readouterr().out
    before = _counts()
    call_command("demo")
    assert _counts() == before
    assert "không thay đổi gì" in capsys.readouterr().out
    assert all(login.username in out for login in demo.DEMO_LOGINS)
    assert audit.verify().ok
    _the_seeds_six_months_read_as_the_article(department)
    _a_year_of_correspondence(department, demo_signing)
    _dossiers_across_the_province(department)


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
    # The service centre's director follows the province's figures, and only those of other agencies.
    director = get_user_model().objects.get(username="centre_director")
    assert director.has_perm("dossiers.view_province_reports")
    assert not director.has_perm("dossiers.view_province_dossiers")


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


def test_the_demo_province_after_the_2025_reform(db):
    """Two tiers, no districts: the UBND tỉnh, the seed's department and three more, the service centre and its two
    branches, at least 20 communes and wards — every receiving point with its own desk and staff — and a catalogue
    whose steps name divisions that exist where they are done."""
    from collections import Counter

    from motcua import demo_province
    from motcua.core.codes import is_agency_identifier
    from motcua.org.models import Division
    from motcua.org.roles import Role

    demo.load(dossiers=False)
    agencies = Agency.objects.all()
    kinds = Counter(agencies.values_list("kind", flat=True))
    assert (kinds["province"], kinds["department"], kinds["service_centre"], kinds["branch"]) == (1, 4, 1, 2)
    assert kinds["commune"] >= 20 and sum(kinds.values()) == agencies.count()
    assert all(is_agency_identifier(a.identifier) for a in agencies)
    assert not any(word in a.name.lower() for a in agencies for word in ("huyện", "thị xã", "thành phố", "quận"))
    province = agencies.get(kind="province")
    centre = agencies.get(kind="service_centre")
    assert province.name == "Ủy ban nhân dân tỉnh Hà Giang" and not centre.resolves
    assert set(agencies.exclude(kind__in=["province", "branch"]).values_list("parent", flat=True)) == {province.pk}
    communes = set(agencies.filter(kind="commune"))
    served = []
    for branch in agencies.filter(kind="branch"):
        assert branch.parent == centre and not branch.resolves
        mine = set(branch.served_communes.all())
        assert mine and mine <= communes
        served.append(mine)
    assert not served[0] & served[1]
    # Every receiving point has exactly one desk, with desk officers; every commune its leaders and civil servants.
    staff = {(s.agency_id, a.division_id, role) for s in Staff.objects.prefetch_related("assignments")
             for a in s.assignments.all() for role in roles_of(s)}
    for agency in agencies.exclude(kind="province"):
        desks = list(agency.divisions.filter(is_one_stop_desk=True))
        assert len(desks) == 1, agency
        assert (agency.pk, desks[0].pk, Role.DESK_OFFICER) in staff, agency
    for commune in communes:
        assert (commune.pk, None, Role.AGENCY_LEADER) in staff
        assert (commune.pk, commune.divisions.get(kind="VP").pk, Role.SPECIALIST) in staff
    # Each procedure's steps name division kinds found in every agency that performs them.
    kinds_at = {(d.agency_id, d.kind) for d in Division.objects.all()}
    kinds_at |= {(u.agency_id, u.code) for u in Unit.objects.all()}
    partners = set()
    for procedure in Procedure.objects.prefetch_related("resolving_agencies"):
        resolvers = list(procedure.resolving_agencies.all())
        assert resolvers and all(a.resolves for a in resolvers), procedure.code
        for step in procedure.current_version().steps.select_related("other_agency"):
            if step.other_agency_id and step.other_agency.on_system and step.other_agency.kind == "department":
                partners.add((procedure.agency.short_name, step.other_agency.short_name))
            if not step.division_kind or step.role == Role.DESK_OFFICER:
                continue
            performers = [step.other_agency] if step.other_agency_id else resolvers
            assert all((a.pk, step.division_kind) in kinds_at for a in performers if a.on_system), (
                procedure.code, step.name)
    local = Procedure.objects.filter(code__startswith="XA.")
    assert local.count() >= 5 and {p.agency for p in local} == {province}
    assert all(set(p.resolving_agencies.all()) == communes for p in local)
    assert ("STC", "SYT") in partners  # liên thông between two departments of the province
    assert {a.short_name for a in agencies.filter(kind="department")} == {"SNV", "STP", "STC", "SYT"}
    for name in ("STP", "STC", "SYT"):
        assert Procedure.objects.filter(agency__short_name=name).exists()
    # The new logins work where the README says.
    logins = {s.user.username: s for s in Staff.objects.filter(
        user__username__in=["commune_desk", "centre_desk", "province_leader", "province_auditor"])}
    assert logins["commune_desk"].agency.identifier == demo_province.COMMUNE_IDENTIFIERS[demo_province.DESK_COMMUNE]
    assert logins["centre_desk"].agency == centre
    assert logins["province_leader"].agency == province == logins["province_auditor"].agency
    for name, staff_member in logins.items():
        assert authenticate(RequestFactory().post("/dang-nhap/"), username=name, password=demo.DEMO_PASSWORD)
        assert staff_member.assignments.get().division is None or \
            staff_member.assignments.get().division.agency == staff_member.agency
    # Loading again adds nothing.
    before = _counts()
    assert demo.load(dossiers=False) is False
    assert _counts() == before


def _dossiers_across_the_province(department) -> None:
    """The cross-agency dossiers, walked through the real services: received at a commune for the department, at the
    centre for a commune, a liên thông between two departments — each returned at its delivery point — and open
    work in the new agencies' queues."""
    from motcua import demo_province
    from motcua.dossiers.models import Dossier

    commune = Agency.objects.get(identifier=demo_province.COMMUNE_IDENTIFIERS[demo_province.DESK_COMMUNE])
    centre = Agency.objects.get(kind="service_centre")
    stc, syt = Agency.objects.get(short_name="STC"), Agency.objects.get(short_name="SYT")

    def returned_at(dossier, place) -> None:
        assert dossier.state == "returned" and dossier.delivery_agency == place
        assert dossier.steps.order_by("-started_at", "-id").first().agency == place
        assert set(dossier.parties.values_list("agency", flat=True)) >= {
            dossier.receiving_agency_id, dossier.agency_id, place.pk}

    at_commune = Dossier.objects.get(procedure__code="SNV.HG.VTLT.02", receiving_agency=commune)
    assert at_commune.agency == department and at_commune.code.startswith(f"{commune.identifier}-")
    returned_at(at_commune, commune)
    for_commune = Dossier.objects.get(procedure__code="XA.HG.HT.01", receiving_agency=centre)
    assert for_commune.agency == commune and for_commune.code.startswith(f"{centre.identifier}-")
    returned_at(for_commune, commune)
    at_branch = Dossier.objects.get(receiving_agency__kind="branch", procedure__code="XA.HG.CT.01")
    assert at_branch.agency.kind == "commune" and at_branch.agency in at_branch.receiving_agency.served_communes.all()
    returned_at(at_branch, at_branch.receiving_agency)
    liaison = Dossier.objects.get(procedure__code="STC.HG.GIA.01", state="returned")
    assert (liaison.receiving_agency, liaison.agency) == (centre, stc)
    returned_at(liaison, centre)
    assert liaison.steps.filter(agency=syt, status="done").count() == 2
    assert liaison.parties.filter(agency=syt, partner=True).exists()
    # Open work waits in the new agencies' queues: the centre's desk, the commune's, the partner's.
    open_ = Dossier.objects.filter(is_open=True)
    assert open_.filter(current_agency=centre, current_role="desk_officer").exists()
    assert open_.filter(current_agency=commune).exists()
    assert open_.filter(agency=stc, current_agency=syt).exists()
    assert open_.filter(agency__short_name="STP").exists() and open_.filter(agency__short_name="SYT").exists()
