"""The incoming-document pages: the queues of each role, registering through the form, the handling actions,
the file download, the registers; and the refusals beside each."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from motcua.core import clock
from motcua.documents import services, signing
from motcua.documents.models import Document, DocumentFile, Register, RegisterPrint, Secrecy, Urgency
from motcua.documents.states import State, TaskState
from motcua.org.roles import Role
from tests.documents.conftest import pdf_bytes, upload
from tests.factories import AgencyFactory, make_staff

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
LIST, REGISTER = "/van-ban/den/", "/van-ban/den/vao-so/"


def today() -> dt.date:
    return timezone.localdate()


def register(office, **overrides) -> Document:
    fields = dict(actor=office.clerk, doc_type="cong-van", summary="Về việc tuyển dụng công chức năm 2026",
                  sender_name="UBND tỉnh", symbol="12/UBND-NC", issued_on=today(), files=[upload()])
    fields.update(overrides)
    return services.register_incoming(**fields)


def directed(office, **overrides) -> Document:
    doc = register(office, **overrides)
    return services.direct(actor=office.director, document_id=doc.pk, note="Giao TCCB",
                           lead_division_id=office.personnel.pk, due_on=today() + dt.timedelta(days=7))


def as_(client, staff):
    client.force_login(staff.user)
    return client


def form_data(**overrides) -> dict:
    data = {"doc_type": "cong-van", "sender_name": "UBND tỉnh", "symbol": "45/UBND-VX",
            "issued_on": today().isoformat(), "summary": "V/v báo cáo biên chế năm 2026",
            "urgency": Urgency.URGENT, "secrecy": Secrecy.NORMAL,
            "received_at": dt.datetime.now(VN).strftime("%Y-%m-%dT%H:%M"), "page_count": "2",
            "files": SimpleUploadedFile("cong-van.pdf", pdf_bytes(), content_type="application/pdf")}
    data.update(overrides)
    return data


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_each_role_finds_the_document_in_its_queue_and_the_list_reads_few_queries(client, office):
    doc = register(office, urgency=Urgency.FLASH)
    html = as_(client, office.director).get(LIST).content.decode()
    assert 'aria-current="page">Chờ cho ý kiến (1)' in html and "12/UBND-NC" in html and "Hỏa tốc" in html

    doc = services.direct(actor=office.director, document_id=doc.pk, note="", lead_division_id=office.personnel.pk,
                          due_on=today())
    Document.objects.filter(pk=doc.pk).update(due_at=clock.now() - dt.timedelta(days=3))  # now overdue
    html = as_(client, office.leader).get(LIST).content.decode()
    assert 'aria-current="page">Phòng được giao (1)' in html and "Chờ lãnh đạo phòng phân công" in html
    assert 'class="overdue"' in html and "quá " in html

    services.assign(actor=office.leader, task_id=doc.tasks.get().pk, assignee_id=office.specialist.pk)
    html = as_(client, office.specialist).get(LIST).content.decode()
    assert 'aria-current="page">Việc của tôi (1)' in html and "12/UBND-NC" in html
    assert "12/UBND-NC" not in as_(client, office.other).get(LIST).content.decode()  # not his division's
    assert "Không có văn bản nào" in client.get(LIST + "?ds=tat-ca&q=không-có-đâu").content.decode()

    as_(client, office.clerk)
    few = queries(client, LIST)
    for n in range(6):
        directed(office, symbol=f"{n}/UBND-KT")
    assert queries(client, LIST) == few
    assert queries(client, LIST + "?loai=cong-van&do-khan=normal&nam=2026&q=UBND") == few


def test_registering_through_the_form_creates_the_document_and_shows_it(client, office):
    response = as_(client, office.clerk).post(REGISTER, form_data())
    doc = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/van-ban/den/{doc.pk}/"
    assert (doc.number, doc.symbol, doc.urgency, doc.page_count, doc.state) == (1, "45/UBND-VX", "urgent", 2,
                                                                                 State.REGISTERED)
    html = client.get(response["Location"]).content.decode()
    assert "Đã vào sổ: số đến 1." in html and "cong-van.pdf" in html and "Chưa ký số" in html
    assert "Đang nhận dạng chữ (OCR)" in html  # extraction runs after the commit


def test_a_duplicate_is_warned_with_the_input_kept_then_registered_when_confirmed(client, office):
    first = register(office, symbol="45/UBND-VX")
    response = as_(client, office.clerk).post(REGISTER, form_data())
    html = response.content.decode()
    assert response.status_code == 409 and "đã vào sổ" in html and "Vẫn vào sổ (văn bản khác)" in html
    assert 'value="V/v báo cáo biên chế năm 2026"' not in html and "V/v báo cáo biên chế năm 2026</textarea>" in html
    assert f'href="/van-ban/den/{first.pk}/"' in html and "hãy chọn lại: cong-van.pdf" in html
    assert Document.objects.count() == 1

    response = client.post(REGISTER, form_data(confirm_duplicate="on"))
    assert response.status_code == 302 and Document.objects.count() == 2


def test_a_bad_upload_is_refused_by_the_form_and_nothing_is_written(client, office):
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf at all" * 20, content_type="application/pdf")
    response = as_(client, office.clerk).post(REGISTER, form_data(files=fake))
    assert response.status_code == 400 and "không phải PDF" in response.content.decode()
    assert not Document.objects.exists() and not DocumentFile.objects.exists()


def test_register_forbidden(client, office):
    assert as_(client, office.specialist).get(REGISTER).status_code == 403
    assert client.post(REGISTER, form_data()).status_code == 403
    assert not Document.objects.exists()


def test_direct_assign_progress_and_complete_through_the_page(client, office):
    doc = register(office)
    page = as_(client, office.director).get(f"/van-ban/den/{doc.pk}/").content.decode()
    assert "Cho ý kiến chỉ đạo" in page and "Phân công xử lý" not in page
    response = client.post(f"/van-ban/den/{doc.pk}/thao-tac/direct/", {
        "version": doc.version, "direct-note": "Giao TCCB chủ trì", "direct-lead_division": office.personnel.pk,
        "direct-informed": [office.office.pk], "direct-due_on": (today() + dt.timedelta(days=5)).isoformat()})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.state == State.IN_HANDLING and doc.direction_note == "Giao TCCB chủ trì"
    task = doc.tasks.get(division=office.personnel)

    page = as_(client, office.leader).get(f"/van-ban/den/{doc.pk}/").content.decode()
    assert "Phân công xử lý — Phòng Tổ chức, biên chế" in page and "Cho ý kiến chỉ đạo</summary>" not in page
    response = client.post(f"/van-ban/den/{doc.pk}/thao-tac/assign/", {
        "task": task.pk, f"assign-{task.pk}-assignee": office.specialist.pk})
    assert response.status_code == 302

    as_(client, office.specialist)
    url = f"/van-ban/den/{doc.pk}/thao-tac/"
    assert client.post(url + "progress/", {"task": task.pk, f"progress-{task.pk}-note": "Đang tổng hợp"}).status_code \
        == 302
    response = client.post(url + "complete/", {"task": task.pk, f"complete-{task.pk}-note": ""})
    assert response.status_code == 400  # the result is required; nothing changes
    assert client.post(url + "complete/", {"task": task.pk, f"complete-{task.pk}-note": "Đã báo cáo"}).status_code \
        == 302
    html = client.get(f"/van-ban/den/{doc.pk}/").content.decode()
    assert "Đã xử lý xong" in html and "Hoàn thành phần việc" in html and "Thao tác</h2>" not in html
    assert html.count("<li><time") == 6


def test_actions_forbidden(client, office):
    doc = register(office)
    response = as_(client, office.specialist).post(f"/van-ban/den/{doc.pk}/thao-tac/direct/", {
        "version": doc.version, "direct-lead_division": office.personnel.pk})
    assert response.status_code == 404  # a registered document is not yet the specialist's to see
    response = as_(client, office.clerk).post(f"/van-ban/den/{doc.pk}/thao-tac/direct/", {
        "version": doc.version, "direct-lead_division": office.personnel.pk})
    assert response.status_code == 403 and "không có quyền" in response.content.decode()
    response = as_(client, office.director).post(f"/van-ban/den/{doc.pk}/thao-tac/direct/", {
        "version": doc.version - 1, "direct-lead_division": office.personnel.pk})
    assert response.status_code == 409 and "vừa được người khác cập nhật" in response.content.decode()
    doc = services.direct(actor=office.director, document_id=doc.pk, note="", lead_division_id=office.personnel.pk)
    task = doc.tasks.get()
    response = as_(client, office.office_leader).post(f"/van-ban/den/{doc.pk}/thao-tac/assign/", {
        "task": task.pk, f"assign-{task.pk}-assignee": office.specialist.pk})
    assert response.status_code == 404  # the office division was not given this document
    response = as_(client, office.specialist).post(f"/van-ban/den/{doc.pk}/thao-tac/complete/", {
        "task": task.pk, f"complete-{task.pk}-note": "Xong"})
    assert response.status_code == 403 and "Chỉ người được giao" in response.content.decode()
    task.refresh_from_db()
    assert task.state == TaskState.NEW and Document.objects.get().state == State.IN_HANDLING


def test_what_one_may_not_see_is_not_found(client, office, roles):
    doc = directed(office)
    stranger = make_staff(role=Role.CLERK, agency=AgencyFactory())
    file = doc.files.get()
    for url in (f"/van-ban/den/{doc.pk}/", f"/van-ban/{doc.pk}/tep/{file.pk}/"):
        assert as_(client, stranger).get(url).status_code == 404
    secret = directed(office, symbol="5/CA-PV", secrecy=Secrecy.CONFIDENTIAL)
    services.assign(actor=office.leader, task_id=doc.tasks.get().pk, assignee_id=office.specialist.pk)
    assert as_(client, office.specialist).get(f"/van-ban/den/{doc.pk}/").status_code == 200
    assert client.get(f"/van-ban/den/{secret.pk}/").status_code == 404  # its division, but not given to him
    assert "5/CA-PV" not in client.get(LIST + "?ds=tat-ca").content.decode()
    assert client.get(f"/van-ban/{doc.pk}/tep/{secret.files.get().pk}/").status_code == 404  # not this document's


def test_a_file_downloads_under_its_own_name_with_its_signatures_shown(client, office, signing_key):
    signed = signing.sign_pdf(pdf_bytes(), key=signing.configured_key(), signer_name="Lê Văn Ký",
                              position="Chủ tịch", agency_name="UBND tỉnh")
    doc = register(office, files=[upload('công văn "12".pdf', signed)])
    file = doc.files.get()
    response = as_(client, office.clerk).get(f"/van-ban/{doc.pk}/tep/{file.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''c%C3%B4ng%20v%C4%83n")
    assert response["X-Content-Type-Options"] == "nosniff" and file.file.name not in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == signed
    html = client.get(f"/van-ban/den/{doc.pk}/").content.decode()
    assert "Ký bởi Sở Nội vụ tỉnh Thử lúc" in html and "Toàn vẹn" in html and "Tin cậy" in html


def test_the_register_prints_its_rows_in_number_order(client, office, django_capture_on_commit_callbacks):
    for n in range(3):
        directed(office, symbol=f"{n + 20}/UBND-NC")
    register(office, symbol="7/CA-PV", secrecy=Secrecy.SECRET)
    auditor = make_staff(role=Role.AUDITOR, agency=office.agency)
    page = as_(client, auditor).get("/van-ban/so/").content.decode()
    assert "In sổ cả năm (PDF)" in page and "Khóa sổ" not in page and "(mật)" not in page
    open_register = Register.objects.get(secret=False)
    # The whole year is printed in the background (tasks run at once in tests, after the commit)...
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/van-ban/so/{open_register.pk}/in/", follow=True)
    assert "Đang in sổ cả năm" in response.content.decode()
    job = RegisterPrint.objects.get(register=open_register)
    assert job.rows == 3 and job.finished_at is not None
    assert f"/van-ban/so/{open_register.pk}/ban-in/{job.pk}.pdf" in client.get("/van-ban/so/").content.decode()
    response = client.get(f"/van-ban/so/{open_register.pk}/ban-in/{job.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)
    assert text.index("20/UBND-NC") < text.index("21/UBND-NC") < text.index("22/UBND-NC")
    assert "Phòng Tổ chức, biên chế" in text and "Sổ này có 3 văn bản, từ số 1 đến số 3" in text
    # ...one month at once.
    month = today().month
    part = client.get(f"/van-ban/so/{open_register.pk}.pdf?thang={month}").content
    assert "có 3 văn bản, từ số 1 đến số 3" in " ".join(PdfReader(io.BytesIO(part)).pages[0].extract_text().split())
    other = client.get(f"/van-ban/so/{open_register.pk}.pdf?thang={month % 12 + 1}").content
    assert "có 0 văn bản" in " ".join(PdfReader(io.BytesIO(other)).pages[0].extract_text().split())
    secret_register = Register.objects.get(secret=True)
    assert client.get(f"/van-ban/so/{secret_register.pk}.pdf?thang={month}").status_code == 404  # not a holder
    assert client.post(f"/van-ban/so/{secret_register.pk}/in/").status_code == 404
    assert as_(client, office.clerk).get(f"/van-ban/so/{secret_register.pk}.pdf?thang={month}").status_code == 200


def test_registers_forbidden(client, office):
    register(office)
    assert as_(client, office.specialist).get("/van-ban/so/").status_code == 403
    pk = Register.objects.get().pk
    assert client.get(f"/van-ban/so/{pk}.pdf?thang=1").status_code == 403
    assert client.post(f"/van-ban/so/{pk}/in/").status_code == 403
    assert client.post(f"/van-ban/so/{pk}/khoa/").status_code == 403
    assert as_(client, office.director).post(f"/van-ban/so/{pk}/khoa/").status_code == 403  # views, cannot close
    assert Register.objects.get().closed_at is None


def test_a_register_closes_only_from_the_last_day_of_its_year(client, office):
    doc = register(office)
    pk, year = doc.register_id, doc.register.year
    as_(client, office.clerk)
    assert "Xác nhận khóa sổ" in client.get(f"/van-ban/so/{pk}/khoa/").content.decode()
    with clock.at(dt.datetime(year, 12, 30, 10, tzinfo=VN)):
        response = client.post(f"/van-ban/so/{pk}/khoa/", follow=True)
    assert f"Chỉ khóa Sổ văn bản đến {year} từ ngày 31/12/{year}." in response.content.decode()
    assert Register.objects.get().closed_at is None
    with clock.at(dt.datetime(year, 12, 31, 16, tzinfo=VN)):
        response = client.post(f"/van-ban/so/{pk}/khoa/", follow=True)
    assert f"Đã khóa Sổ văn bản đến {year}." in response.content.decode()
    assert Register.objects.get().closed_at is not None
    assert "Đã khóa ngày 31/12" in response.content.decode()
