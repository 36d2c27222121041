"""Official documents from registration to completed handling, and from draft to issue, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent
from motcua.documents import services, signing
from motcua.documents.models import Document, DocumentFile, Secrecy
from motcua.documents.states import State, TaskState
from tests.documents.conftest import upload

pytestmark = pytest.mark.django_db


def register(office, **overrides):
    fields = dict(actor=office.clerk, doc_type="cong-van", summary="Về việc tuyển dụng công chức năm 2026",
                  sender_name="UBND tỉnh", symbol="12/UBND-NC", issued_on=timezone.localdate(), files=[upload()])
    fields.update(overrides)
    return services.register_incoming(**fields)


def test_an_incoming_document_goes_from_registration_to_completed_handling(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = register(office, due_on=timezone.localdate() + dt.timedelta(days=10))
    assert (doc.state, doc.number, doc.register.year) == (State.REGISTERED, 1, timezone.localdate().year)
    assert doc.files.get().text_status == DocumentFile.TextStatus.DONE  # text extracted after commit

    doc = services.direct(actor=office.director, document_id=doc.pk, note="Giao TCCB tham mưu",
                          lead_division_id=office.personnel.pk, informed_ids=[office.office.pk],
                          expected_version=doc.version)
    assert doc.state == State.IN_HANDLING
    lead = doc.tasks.get(division=office.personnel)
    services.assign(actor=office.leader, task_id=lead.pk, assignee_id=office.specialist.pk)
    services.record_progress(actor=office.specialist, task_id=lead.pk, note="Đang tổng hợp")
    services.complete_task(actor=office.specialist, task_id=lead.pk, note="Đã trả lời")

    doc.refresh_from_db()
    assert doc.state == State.COMPLETED and doc.completed_at is not None
    assert [e.action for e in doc.events.all()] == ["register", "direct", "assign", "progress", "task_done",
                                                     "complete"]
    assert AuditEvent.objects.filter(object_type="documents.document", object_id=str(doc.pk)).count() == 5


def test_numbers_follow_each_other_and_secret_documents_have_their_own_series(office):
    first, second = register(office), register(office, symbol="13/UBND-NC")
    secret = register(office, symbol="5/CA-PV", secrecy=Secrecy.CONFIDENTIAL)
    assert (first.number, second.number, secret.number) == (1, 2, 1)
    assert secret.register != first.register and secret.register.secret


def test_a_duplicate_is_refused_until_confirmed_and_changes_nothing(office):
    register(office)
    with pytest.raises(DomainError) as refused:
        register(office, sender_name="  ubnd   TỈNH ")
    assert refused.value.code == "conflict" and "đã vào sổ" in refused.value.message
    assert Document.objects.count() == 1
    assert register(office, confirm_duplicate=True).number == 2


@pytest.mark.parametrize(("overrides", "field"), [
    ({"summary": "  "}, "summary"),
    ({"files": []}, "files"),
    ({"issued_on": timezone.localdate() + dt.timedelta(days=1)}, "issued_on"),
    ({"doc_type": "khong-co"}, "doc_type"),
    ({"urgency": "rat-gap"}, "urgency"),
    ({"sender_identifier": "abc"}, "sender_identifier"),
])
def test_bad_input_is_refused_with_its_field_and_writes_nothing(office, overrides, field):
    with pytest.raises(DomainError) as refused:
        register(office, **overrides)
    assert refused.value.details["field"] == field
    assert not Document.objects.exists() and not DocumentFile.objects.exists()


def test_a_file_that_is_not_what_its_name_says_is_refused(office):
    with pytest.raises(DomainError, match="không phải PDF"):
        register(office, files=[upload("scan.pdf", b"MZ\x90\x00 not a pdf at all" * 20)])
    assert not Document.objects.exists()


def test_only_the_clerk_registers_and_only_the_division_leader_assigns(office):
    with pytest.raises(DomainError) as refused:
        register(office, actor=office.specialist)
    assert refused.value.code == "forbidden"
    doc = register(office)
    doc = services.direct(actor=office.director, document_id=doc.pk, note="", lead_division_id=office.personnel.pk)
    task = doc.tasks.get()
    with pytest.raises(DomainError):
        services.assign(actor=office.office_leader, task_id=task.pk, assignee_id=office.specialist.pk)
    with pytest.raises(DomainError):  # someone outside the division cannot be given the work
        services.assign(actor=office.leader, task_id=task.pk, assignee_id=office.other.pk)
    assert doc.tasks.get().state == TaskState.NEW


def test_an_outgoing_document_is_drafted_reviewed_approved_signed_and_issued(office, signing_key):
    doc = services.create_draft(actor=office.specialist, doc_type="quyet-dinh",
                                summary="Quyết định tuyển dụng công chức",
                                body="Căn cứ Luật Cán bộ, công chức;\n\nQuyết định tuyển dụng ông Nguyễn Văn A.",
                                recipients_text="Như Điều 3\nUBND tỉnh")
    assert doc.drafting_division == office.personnel
    services.submit(actor=office.specialist, document_id=doc.pk)
    services.review(actor=office.leader, document_id=doc.pk)
    services.approve(actor=office.director, document_id=doc.pk)
    services.sign(actor=office.director, document_id=doc.pk)
    doc = services.issue(actor=office.clerk, document_id=doc.pk, division_ids=[office.office.pk],
                         external=[("UBND tỉnh", "000.00.00.H22")])
    assert doc.state == State.ISSUED and doc.symbol == "1/QĐ-SNV" and doc.issued_on == timezone.localdate()
    final = services.main_file(doc)
    with final.file.open("rb") as fh:
        reports = signing.verify_pdf(fh.read())
    assert len(reports) == 2 and all(r.ok for r in reports), [r.problems for r in reports]
    # One certificate (the agency's), two signers: the leader's name and the clerk's issue, each written in.
    assert [r.name for r in reports] == [office.director.full_name, office.agency.name]
    assert reports[1].reason == "Phát hành văn bản số 1/QĐ-SNV"
    assert doc.distributions.count() == 2


def test_a_letter_without_abbreviation_takes_the_drafting_division_in_its_symbol(office, signing_key):
    doc = services.create_draft(actor=office.specialist, doc_type="cong-van", summary="V/v báo cáo biên chế",
                                file=upload("du-thao.pdf"))
    for step in (lambda: services.submit(actor=office.specialist, document_id=doc.pk),
                 lambda: services.review(actor=office.leader, document_id=doc.pk),
                 lambda: services.approve(actor=office.director, document_id=doc.pk),
                 lambda: services.sign(actor=office.director, document_id=doc.pk)):
        step()
    doc = services.issue(actor=office.clerk, document_id=doc.pk, division_ids=[office.office.pk])
    assert doc.symbol == "1/SNV-TCCB"


def test_a_draft_sent_back_returns_to_its_author_and_cannot_skip_approval(office, signing_key):
    doc = services.create_draft(actor=office.specialist, doc_type="to-trinh", summary="Tờ trình",
                                file=upload("du-thao.pdf"))
    services.submit(actor=office.specialist, document_id=doc.pk)
    with pytest.raises(DomainError) as refused:
        services.sign(actor=office.director, document_id=doc.pk)
    assert refused.value.code == "invalid_state"
    doc = services.send_back(actor=office.leader, document_id=doc.pk, reason="Sửa căn cứ pháp lý")
    assert doc.state == State.DRAFT
    with pytest.raises(DomainError):
        services.send_back(actor=office.leader, document_id=doc.pk, reason="")


def test_the_leader_may_redirect_until_someone_is_given_the_work(office):
    doc = register(office)
    doc = services.direct(actor=office.director, document_id=doc.pk, note="", lead_division_id=office.office.pk,
                          informed_ids=[office.personnel.pk])
    doc = services.direct(actor=office.director, document_id=doc.pk, note="Chuyển TCCB chủ trì",
                          lead_division_id=office.personnel.pk, informed_ids=[office.office.pk])
    lead = doc.tasks.get(role="lead")
    assert lead.division == office.personnel
    services.assign(actor=office.leader, task_id=lead.pk, assignee_id=office.specialist.pk)
    with pytest.raises(DomainError, match="đã được phân công"):
        services.direct(actor=office.director, document_id=doc.pk, note="", lead_division_id=office.office.pk)
