"""Filing online from a citizen's account and following the dossier: drafts, submission, the desk's check,
a supplement answered online, withdrawal, the result downloaded, the rating — and every refusal."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Attachment, Dossier, Handoff
from motcua.notify.models import Notification
from motcua.portal import services
from motcua.portal.models import Citizen, DraftFile, Rating, SubmissionDraft
from tests.dossiers.conftest import ORDINARY, at, documents
from tests.samples import pdf

User = get_user_model()
pytestmark = pytest.mark.django_db


def make_citizen(email: str = "mai@example.vn", name: str = "Trần Thị Mai"):
    user = User.objects.create_user(username=email, email=email, password="mot-mat-khau-dai-9")
    Citizen.objects.create(user=user, full_name=name, phone="0912345678", created_at=clock.now())
    return user


@pytest.fixture
def citizen(world):
    return make_citizen()


@pytest.fixture
def other(world):
    return make_citizen("lan@example.vn", "Bùi Thị Lan")


DETAILS = {"type": "individual", "name": "Trần Thị Mai", "id_number": "002190001234", "birth_date": "1990-05-17",
           "address": "Tổ 5, phường Nguyễn Trãi, Hà Giang", "phone": "0912345678", "email": "mai@example.vn",
           "subject": "Đề nghị bổ nhiệm ngạch chuyên viên"}


def upload(name: str = "scan.pdf", content: bytes | None = None) -> dossier_services.Upload:
    data = content if content is not None else pdf()
    return dossier_services.Upload(name=name, stream=io.BytesIO(data), size=len(data))


def mandatory_files():
    return [(d.pk, upload(f"giay-to-{d.order}.pdf")) for d in documents() if d.mandatory]


def submitted(account, instant=None) -> Dossier:
    with clock.at(instant or at(2, 8)):
        draft = services.start_draft(account=account, procedure_code=ORDINARY)
        services.save_draft(account=account, draft_id=draft.pk, data=DETAILS, files=mandatory_files())
        return services.submit_draft(account=account, draft_id=draft.pk)


def staff_act(fn, staff, dossier, instant, **kwargs) -> Dossier:
    dossier.refresh_from_db()
    with clock.at(instant):
        return fn(actor=staff, code=dossier.code, version=dossier.version, **kwargs)


# --------------------------------------------------------------------------------------------------------
# Drafts and submission


def test_a_draft_is_prefilled_from_the_account_and_kept_until_submitted(world, citizen):
    draft = services.start_draft(account=citizen, procedure_code=ORDINARY)
    assert draft.data["name"] == "Trần Thị Mai" and draft.data["phone"] == "0912345678"
    services.save_draft(account=citizen, draft_id=draft.pk, data={**DETAILS, "address": "Nhà số 1"},
                        files=[(documents()[0].pk, upload())])
    draft.refresh_from_db()
    assert draft.data["address"] == "Nhà số 1" and draft.files.count() == 1
    stored = draft.files.get().file.name
    assert default_storage.exists(stored)


def test_submitting_gives_a_code_at_once_and_waits_for_the_desk(world, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submitted(citizen)
    assert dossier.state == "submitted" and dossier.channel == "online" and dossier.applicant_account == citizen
    assert dossier.code.startswith("000.00.12.H22-260302-") and dossier.received_at is None
    assert dossier.attachments.filter(kind=Attachment.Kind.COMPONENT).count() == 2
    assert dossier.documents.filter(mandatory=True, provided=False).count() == 0
    assert not SubmissionDraft.objects.exists() and not DraftFile.objects.exists()
    handoff = Handoff.objects.get(dossier=dossier)
    assert handoff.giver_name == "Trần Thị Mai" and handoff.giver is None
    note = Notification.objects.get(event="dossier.submitted", object_id=dossier.code)
    assert note.payload["code"] == dossier.code
    assert note.recipients[0]["email"] == "mai@example.vn" and note.recipients[0]["user_id"] == citizen.pk
    told = Notification.objects.get(event="dossier.online_to_check", object_id=dossier.code)
    assert {r["user_id"] for r in told.recipients} == {world.desk.user_id, world.desk2.user_id}  # the desk only
    assert AuditEvent.objects.filter(action="dossier.intake.submitted", actor_id=citizen.pk).exists()
    assert Citizen.objects.get(user=citizen).id_number == "002190001234"  # kept for the next submission


def test_a_draft_without_a_mandatory_file_is_refused_and_kept(world, citizen):
    draft = services.start_draft(account=citizen, procedure_code=ORDINARY)
    services.save_draft(account=citizen, draft_id=draft.pk, data=DETAILS, files=[(documents()[0].pk, upload())])
    with pytest.raises(DomainError) as refused:
        services.submit_draft(account=citizen, draft_id=draft.pk)
    assert "Quyết định tuyển dụng" in refused.value.message
    assert SubmissionDraft.objects.filter(pk=draft.pk).exists() and not Dossier.objects.exists()


def test_wrong_applicant_details_are_refused_on_submission_and_nothing_is_written(world, citizen):
    draft = services.start_draft(account=citizen, procedure_code=ORDINARY)
    services.save_draft(account=citizen, draft_id=draft.pk, data={**DETAILS, "id_number": "123"},
                        files=mandatory_files())
    with pytest.raises(DomainError) as refused:
        services.submit_draft(account=citizen, draft_id=draft.pk)
    assert "id_number" in refused.value.details["fields"]
    assert not Dossier.objects.exists() and DraftFile.objects.count() == 2


def test_a_file_whose_content_is_not_what_its_name_says_is_refused_and_the_draft_unchanged(world, citizen):
    draft = services.start_draft(account=citizen, procedure_code=ORDINARY)
    with pytest.raises(DomainError) as refused:
        services.save_draft(account=citizen, draft_id=draft.pk, data={**DETAILS, "name": "Đổi tên"},
                            files=[(documents()[0].pk, upload("scan.pdf", b"MZ\x90\x00 not a pdf" * 10))])
    assert "scan.pdf" in refused.value.message
    draft.refresh_from_db()
    assert draft.data["name"] == "Trần Thị Mai" and not draft.files.exists()


def test_a_procedure_without_online_service_cannot_be_filed_online(world, citizen):
    Procedure.objects.filter(code=ORDINARY).update(online_level=Procedure.OnlineLevel.NONE)
    with pytest.raises(DomainError) as refused:
        services.start_draft(account=citizen, procedure_code=ORDINARY)
    assert "trực tuyến" in refused.value.message and not SubmissionDraft.objects.exists()


def test_another_account_cannot_touch_a_draft_or_see_a_dossier(world, citizen, other, client):
    dossier = submitted(citizen)
    draft = services.start_draft(account=citizen, procedure_code=ORDINARY)
    for call in (lambda: services.save_draft(account=other, draft_id=draft.pk, data=DETAILS),
                 lambda: services.submit_draft(account=other, draft_id=draft.pk),
                 lambda: services.delete_draft(account=other, draft_id=draft.pk),
                 lambda: dossier_services.withdraw_as_applicant(account=other, code=dossier.code, version=1,
                                                                reason="x")):
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == "not_found"
    client.force_login(other)
    assert client.get(reverse("my-dossier", args=[dossier.code])).status_code == 404
    assert client.get(reverse("draft-edit", args=[draft.pk])).status_code == 404
    assert Dossier.objects.get().state == "submitted" and SubmissionDraft.objects.filter(pk=draft.pk).exists()


def test_deleting_a_draft_removes_its_files(world, citizen, django_capture_on_commit_callbacks):
    draft = services.start_draft(account=citizen, procedure_code=ORDINARY)
    services.save_draft(account=citizen, draft_id=draft.pk, data=DETAILS, files=[(documents()[0].pk, upload())])
    name = draft.files.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_draft(account=citizen, draft_id=draft.pk)
    assert not SubmissionDraft.objects.exists() and not default_storage.exists(name)


# --------------------------------------------------------------------------------------------------------
# The pages of the journey


def test_the_pages_take_a_citizen_from_the_procedure_to_a_submitted_dossier(world, citizen, client):
    client.force_login(citizen)
    with clock.at(at(2, 8)):
        start = client.get(reverse("submit-start", args=[ORDINARY]))
        assert start.status_code == 200 and "Bắt đầu lập hồ sơ mới" in start.content.decode()
        created = client.post(reverse("submit-start", args=[ORDINARY]))
        draft = SubmissionDraft.objects.get()
        assert created["Location"] == reverse("draft-edit", args=[draft.pk])
        page = client.get(created["Location"])
        assert 'value="Trần Thị Mai"' in page.content.decode()
        files = {f"file_{d.pk}": SimpleUploadedFile(f"doc{d.order}.pdf", pdf(), "application/pdf")
                 for d in documents() if d.mandatory}
        saved = client.post(created["Location"], {**DETAILS, **files, "review": "1"})
        assert saved["Location"] == reverse("draft-review", args=[draft.pk])
        review = client.get(saved["Location"]).content.decode()
        assert "doc1.pdf" in review and "Không thu phí, lệ phí" in review
        sent = client.post(saved["Location"])
    dossier = Dossier.objects.get()
    assert sent["Location"] == reverse("my-dossier", args=[dossier.code])
    mine = client.get(reverse("my-dossiers")).content.decode()
    assert dossier.code in mine
    detail = client.get(sent["Location"]).content.decode()
    assert "chờ bộ phận một cửa kiểm tra" in detail and world.desk.full_name not in detail


def test_a_refused_upload_on_the_page_is_told_next_to_the_field(world, citizen, client):
    client.force_login(citizen)
    draft = services.start_draft(account=citizen, procedure_code=ORDINARY)
    first = documents()[0]
    response = client.post(reverse("draft-edit", args=[draft.pk]), {
        **DETAILS, f"file_{first.pk}": SimpleUploadedFile("scan.pdf", b"plain text, not a pdf", "application/pdf")})
    assert response.status_code == 400 and "scan.pdf" in response.content.decode()
    assert not DraftFile.objects.exists()


# --------------------------------------------------------------------------------------------------------
# After submission: the desk, a supplement, withdrawal


def test_the_desk_receives_an_online_dossier_and_the_citizen_answers_a_supplement_online(world, citizen, client):
    dossier = submitted(citizen)
    dossier = staff_act(dossier_services.receive, world.desk, dossier, at(2, 9))
    dossier = staff_act(dossier_services.request_supplement, world.desk, dossier, at(3, 9),
                        reason="Bản sao quyết định mờ", items=[dossier_services.MissingItem("Quyết định tuyển dụng")])
    assert dossier.state == "awaiting_supplement"
    client.force_login(citizen)
    page = client.get(reverse("my-dossier", args=[dossier.code])).content.decode()
    assert "Cần bổ sung hồ sơ" in page and "Bản sao quyết định mờ" in page
    decision = documents()[1]
    slots = re.findall(r'type="file" name="(file_\d+)"', page)  # what the page offers, as a browser would post
    assert f"file_{decision.pk}" in slots and "file_0" in slots
    with clock.at(at(4, 10)):
        response = client.post(reverse("my-dossier-supplement", args=[dossier.code]), {
            "version": dossier.version, "note": "Gửi bản rõ hơn",
            f"file_{decision.pk}": SimpleUploadedFile("qd.pdf", pdf("Quyết định"), "application/pdf"),
            "file_0": SimpleUploadedFile("to-khai.pdf", pdf("Tờ khai có chữ ký"), "application/pdf")})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == "in_progress" and dossier.clock_started_at == at(4, 10)
    supplied = dossier.attachments.get(kind=Attachment.Kind.SUPPLEMENT, name="qd.pdf")
    assert supplied.document.required_document == decision
    assert dossier.attachments.get(kind=Attachment.Kind.SUPPLEMENT, name="to-khai.pdf").document is None
    supplement = dossier.supplements.get()
    assert supplement.provided_at == at(4, 10) and supplement.provided_by is None
    assert Notification.objects.filter(event="dossier.online_supplement", object_id=dossier.code).count() == 1


def test_a_supplement_without_files_or_on_a_stale_page_is_refused_and_changes_nothing(world, citizen):
    dossier = submitted(citizen)
    dossier = staff_act(dossier_services.receive, world.desk, dossier, at(2, 9))
    dossier = staff_act(dossier_services.request_supplement, world.desk, dossier, at(3, 9), reason="Thiếu",
                        items=[dossier_services.MissingItem("Quyết định tuyển dụng")])
    with pytest.raises(DomainError) as empty:
        dossier_services.supplement_as_applicant(account=citizen, code=dossier.code, version=dossier.version)
    assert empty.value.code == "invalid"
    with pytest.raises(DomainError) as stale:
        dossier_services.supplement_as_applicant(account=citizen, code=dossier.code, version=dossier.version - 1,
                                                 files=[(documents()[1].pk, upload())])
    assert stale.value.code == "stale"
    dossier.refresh_from_db()
    assert dossier.state == "awaiting_supplement" and not dossier.attachments.filter(kind="supplement").exists()


def test_the_citizen_withdraws_online_with_a_confirmation_and_the_reason_is_kept(world, citizen, client):
    dossier = submitted(citizen)
    client.force_login(citizen)
    page = client.get(reverse("my-dossier", args=[dossier.code])).content.decode()
    assert "data-confirm" in page and "Rút hồ sơ" in page
    empty = client.post(reverse("my-dossier-withdraw", args=[dossier.code]), {"version": 1, "reason": ""})
    assert empty.status_code == 400 and Dossier.objects.get().state == "submitted"
    done = client.post(reverse("my-dossier-withdraw", args=[dossier.code]), {"version": 1, "reason": "Nộp nhầm"})
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == "withdrawn" and dossier.closing_reason == "Nộp nhầm"
    again = client.post(reverse("my-dossier-withdraw", args=[dossier.code]), {"version": 2, "reason": "Lần nữa"})
    assert again.status_code == 400 and Dossier.objects.get().version == 2


# --------------------------------------------------------------------------------------------------------
# The result and the rating


def _through_to_return(world, dossier, *, with_file: bool = True) -> Dossier:
    d = staff_act(dossier_services.receive, world.desk, dossier, at(2, 9))
    d = staff_act(dossier_services.forward, world.desk, d, at(2, 10))
    d = staff_act(dossier_services.forward, world.division_leader, d, at(2, 11), assignee_id=world.specialist.pk)
    d = staff_act(dossier_services.forward, world.specialist, d, at(3, 10))
    d = staff_act(dossier_services.forward, world.division_leader, d, at(3, 14))
    result_file = upload("quyet-dinh.pdf", pdf("Quyết định bổ nhiệm")) if with_file else None
    d = staff_act(dossier_services.approve, world.leader, d, at(4, 9),
                  result=dossier_services.Result(number="12/QĐ-SNV", signed_on=dt.date(2026, 3, 4),
                                                 file=result_file))
    d = staff_act(dossier_services.mark_ready, world.desk, d, at(4, 10))
    return staff_act(dossier_services.return_result, world.desk, d, at(4, 11), returned_to="Trần Thị Mai",
                     method="online")


def test_a_fully_online_procedure_lets_the_citizen_download_the_result_and_no_one_else(world, citizen, other, client):
    Procedure.objects.filter(code=ORDINARY).update(online_level=Procedure.OnlineLevel.FULL)
    dossier = _through_to_return(world, submitted(citizen))
    assert dossier.state == "returned"
    result = dossier.attachments.get(kind=Attachment.Kind.RESULT)
    client.force_login(citizen)
    page = client.get(reverse("my-dossier", args=[dossier.code])).content.decode()
    assert "Đã trả kết quả" in page and "quyet-dinh.pdf" in page
    download = client.get(reverse("my-dossier-file", args=[dossier.code, result.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(other)
    assert client.get(reverse("my-dossier-file", args=[dossier.code, result.pk])).status_code == 404


def test_a_partly_online_procedure_returns_its_result_at_the_desk_only(world, citizen, client):
    dossier = _through_to_return(world, submitted(citizen))
    result = dossier.attachments.get(kind=Attachment.Kind.RESULT)
    client.force_login(citizen)
    assert client.get(reverse("my-dossier-file", args=[dossier.code, result.pk])).status_code == 404


ANSWERS = {"publicity": "2", "attitude": "2", "feedback": "2", "online": "1", "result": "2"}


def test_the_citizen_rates_a_returned_dossier_once(world, citizen, client):
    dossier = _through_to_return(world, submitted(citizen))
    client.force_login(citizen)
    assert "Đánh giá việc giải quyết hồ sơ" in client.get(reverse("my-dossier", args=[dossier.code])).content.decode()
    sent = client.post(reverse("my-dossier-rate", args=[dossier.code]), {**ANSWERS, "satisfied": "1",
                                                                         "comment": "Nhanh"})
    assert sent.status_code == 302
    rating = Rating.objects.get(dossier=dossier)
    # early (2) + steps on time (2) + no supplement (2) + one agency (2) + answers 2+2+2+1+2
    assert (rating.total, rating.maximum, rating.satisfied) == (17, 18, True)
    again = client.post(reverse("my-dossier-rate", args=[dossier.code]), {**ANSWERS, "satisfied": "0"})
    assert again.status_code == 400 and Rating.objects.count() == 1


def test_a_rating_before_the_return_or_with_a_missing_answer_is_refused(world, citizen):
    dossier = submitted(citizen)
    with pytest.raises(DomainError) as early:
        services.rate(account=citizen, code=dossier.code, answers=ANSWERS, satisfied=True)
    assert early.value.code == "invalid_state"
    dossier = _through_to_return(world, dossier)
    with pytest.raises(DomainError) as missing:
        services.rate(account=citizen, code=dossier.code, answers={**ANSWERS, "attitude": "7"}, satisfied=True)
    assert missing.value.code == "invalid" and not Rating.objects.exists()


def test_the_citizen_pages_show_no_template_source(world, citizen, client):
    client.force_login(citizen)
    draft = services.start_draft(account=citizen, procedure_code=ORDINARY)
    for url in (reverse("draft-edit", args=[draft.pk]), reverse("my-dossiers"),
                reverse("submit-start", args=[ORDINARY])):
        body = client.get(url).content.decode()
        assert "{#" not in body and "{%" not in body and "{{" not in body, url
    client.logout()
    for name in ("citizen-register", "citizen-login"):
        body = client.get(reverse(name)).content.decode()
        assert "{#" not in body and "{%" not in body, name


def test_the_review_page_offers_no_submit_while_a_mandatory_file_is_missing(world, citizen, client):
    client.force_login(citizen)
    draft = services.start_draft(account=citizen, procedure_code=ORDINARY)
    services.save_draft(account=citizen, draft_id=draft.pk, data=DETAILS, files=[(documents()[0].pk, upload())])
    page = client.get(reverse("draft-review", args=[draft.pk])).content.decode()
    assert "Quyết định tuyển dụng" in page and "Xác nhận và nộp hồ sơ" not in page
    services.save_draft(account=citizen, draft_id=draft.pk, data=DETAILS, files=[(documents()[1].pk, upload())])
    assert "Xác nhận và nộp hồ sơ" in client.get(reverse("draft-review", args=[draft.pk])).content.decode()


def test_filing_for_an_organisation_prefills_the_citizen_as_its_representative(world, citizen):
    Procedure.objects.filter(code=ORDINARY).update(for_individuals=False, for_organisations=True)
    draft = services.start_draft(account=citizen, procedure_code=ORDINARY)
    assert draft.data["type"] == "organisation" and draft.data["name"] == ""
    assert draft.data["representative"] == "Trần Thị Mai"


def test_the_citizen_downloads_the_files_they_sent_but_not_the_desks_scans_nor_anothers(world, citizen, other,
                                                                                         client):
    dossier = submitted(citizen)
    dossier = staff_act(dossier_services.receive, world.desk, dossier, at(2, 9))
    with clock.at(at(2, 10)):
        desk_scan = dossier_services.attach(actor=world.desk, code=dossier.code, kind=Attachment.Kind.COMPONENT,
                                            upload=upload("ban-scan-cua-mot-cua.pdf"),
                                            required_document_id=documents()[0].pk)
    mine = dossier.attachments.filter(uploaded_by=None).first()
    client.force_login(citizen)
    page = client.get(reverse("my-dossier", args=[dossier.code])).content.decode()
    assert mine.name in page and "ban-scan-cua-mot-cua.pdf" not in page
    got = client.get(reverse("my-dossier-file", args=[dossier.code, mine.pk]))
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("my-dossier-file", args=[dossier.code, desk_scan.pk])).status_code == 404
    client.force_login(other)
    assert client.get(reverse("my-dossier-file", args=[dossier.code, mine.pk])).status_code == 404
