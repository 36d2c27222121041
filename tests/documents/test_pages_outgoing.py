"""The outgoing-document pages as their users see them: drafting, the approval chain, signing, issue, the edXML
download and the exchange page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from motcua.documents import edxml, services
from motcua.documents.models import Document, DocumentFile
from motcua.documents.states import State
from tests.documents.conftest import make_office, pdf_bytes, upload
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def as_(client, staff):
    client.force_login(staff.user)
    return client


def detail(doc) -> str:
    return reverse("documents:outgoing-detail", kwargs={"pk": doc.pk})


def act(client, doc, action, **data):
    doc.refresh_from_db()
    data.setdefault("expected_version", doc.version)
    return client.post(reverse("documents:outgoing-action", kwargs={"pk": doc.pk, "action": action}), data)


def attached(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def draft(office, **overrides) -> Document:
    fields = dict(actor=office.specialist, doc_type="quyet-dinh", summary="Quyết định tuyển dụng công chức",
                  file=upload("du-thao.pdf"))
    fields.update(overrides)
    return services.create_draft(**fields)


def test_a_draft_is_written_on_screen_or_uploaded_as_a_pdf(client, office):
    as_(client, office.specialist)
    page = client.get(reverse("documents:outgoing-new"))
    assert page.status_code == 200 and "Trích yếu nội dung" in page.content.decode()
    common = {"doc_type": "quyet-dinh", "urgency": "normal", "secrecy": "normal", "copies": "2",
              "recipients_text": "Như Điều 3\nLưu: VT, TCCB"}
    written = client.post(reverse("documents:outgoing-new"), {
        **common, "summary": "Quyết định nâng lương", "body": "Căn cứ Luật Cán bộ, công chức;\n\nQuyết định: ..."})
    by_body = Document.objects.get(summary="Quyết định nâng lương")
    assert written.status_code == 302 and written["Location"] == detail(by_body)
    assert by_body.files.get().content_type == "application/pdf"

    uploaded = client.post(reverse("documents:outgoing-new"), {**common, "summary": "Quyết định cử đi học",
                                                               "file": attached("du-thao.pdf", pdf_bytes())})
    assert uploaded.status_code == 302
    assert Document.objects.get(summary="Quyết định cử đi học").files.get().name == "du-thao.pdf"

    neither = client.post(reverse("documents:outgoing-new"), {**common, "summary": "Không có nội dung"})
    assert neither.status_code == 400 and "một trong hai" in neither.content.decode()
    assert Document.objects.count() == 2


def test_a_draft_goes_through_review_approval_signature_and_issue_by_the_pages(client, office, signing_key):
    doc = draft(office)
    as_(client, office.specialist)
    assert act(client, doc, "submit").status_code == 302

    as_(client, office.leader)
    queue = client.get(reverse("documents:outgoing-list"), {"ds": "review"}).content.decode()
    assert "Chờ tôi duyệt" in queue and doc.summary in queue
    assert act(client, doc, "review", **{"review-note": "Đồng ý"}).status_code == 302

    as_(client, office.director)
    assert act(client, doc, "approve").status_code == 302
    unconfirmed = act(client, doc, "sign")
    assert unconfirmed.status_code == 400
    assert act(client, doc, "sign", **{"sign-confirm": "on"}).status_code == 302

    as_(client, office.clerk)
    nowhere = act(client, doc, "issue")
    assert nowhere.status_code == 400 and "Hãy chọn ít nhất một nơi nhận" in nowhere.content.decode()
    doc.refresh_from_db()
    assert doc.state == State.SIGNED and not doc.symbol
    issued = act(client, doc, "issue", **{"issue-divisions": [office.office.pk],
                                          "issue-external": "Sở Tư pháp | 000.00.13.H22"})
    assert issued.status_code == 302
    page = client.get(detail(doc)).content.decode()
    assert "1/QĐ-SNV" in page and "2 chữ ký hợp lệ" in page  # the leader's and the clerk's on the issued PDF

    package = client.get(reverse("documents:outgoing-edxml", kwargs={"pk": doc.pk}))
    assert package.status_code == 200 and package["Content-Type"] == "application/xml"
    assert package["Content-Disposition"].startswith("attachment")
    message = edxml.parse(package.content)
    assert (message.code_number, message.code_notation) == ("1", "QĐ-SNV")

    other = make_office(AgencyFactory(identifier="000.00.14.H22", short_name="STP"))
    as_(client, other.clerk)
    assert client.get(reverse("documents:outgoing-edxml", kwargs={"pk": doc.pk})).status_code == 404
    assert client.get(detail(doc)).status_code == 404


def test_sending_back_needs_a_reason_and_returns_the_draft_to_its_author(client, office):
    doc = draft(office)
    services.submit(actor=office.specialist, document_id=doc.pk)
    as_(client, office.leader)
    no_reason = act(client, doc, "send_back", **{"send_back-reason": "  "})
    assert no_reason.status_code == 400
    doc.refresh_from_db()
    assert doc.state == State.IN_REVIEW
    assert act(client, doc, "send_back", **{"send_back-reason": "Bổ sung căn cứ pháp lý"}).status_code == 302
    doc.refresh_from_db()
    assert doc.state == State.DRAFT
    as_(client, office.specialist)
    page = client.get(detail(doc)).content.decode()
    assert "Bổ sung căn cứ pháp lý" in page and 'id="thao-tac-submit"' in page


def test_reviewing_is_refused_to_the_author_and_a_stale_page_changes_nothing(client, office):
    doc = draft(office)
    services.submit(actor=office.specialist, document_id=doc.pk)
    as_(client, office.specialist)
    refused = act(client, doc, "review")
    assert refused.status_code == 403
    as_(client, office.leader)
    stale = act(client, doc, "review", expected_version=doc.version - 1)
    assert stale.status_code == 409 and "vừa được người khác cập nhật" in stale.content.decode()
    doc.refresh_from_db()
    assert doc.state == State.IN_REVIEW


def test_signing_without_a_configured_certificate_is_refused_and_changes_nothing(client, office, settings):
    settings.SIGNING_CERT_FILE = settings.SIGNING_KEY_FILE = ""
    doc = draft(office)
    services.submit(actor=office.specialist, document_id=doc.pk)
    services.review(actor=office.leader, document_id=doc.pk)
    services.approve(actor=office.director, document_id=doc.pk)
    as_(client, office.director)
    refused = act(client, doc, "sign", **{"sign-confirm": "on"})
    assert refused.status_code == 409 and "Chưa cấu hình chứng thư số" in refused.content.decode()
    doc.refresh_from_db()
    assert doc.state == State.APPROVED and not doc.files.filter(kind=DocumentFile.Kind.SIGNED).exists()


def test_the_exchange_page_lists_every_problem_of_a_bad_package_and_registers_nothing(client, office):
    as_(client, office.specialist)
    assert client.get(reverse("documents:exchange-import")).status_code == 403
    as_(client, office.clerk)
    bad = (f'<edXMLEnvelope xmlns="{edxml.NAMESPACE}"><edXMLHeader><MessageHeader><From><OrganId>x y</OrganId>'
           "</From></MessageHeader></edXMLHeader></edXMLEnvelope>").encode()
    page = client.post(reverse("documents:exchange-import"),
                       {"package": attached("goi.xml", bad)})
    body = page.content.decode()
    assert page.status_code == 400 and 'id="problems"' in body
    assert body.count("<li>") >= 5 and "MessageHeader/Subject" in body
    assert not Document.objects.exists()

    good = edxml.build(edxml.Message(
        sender=edxml.Organ("000.00.00.H22", "UBND tỉnh Thử"),
        recipients=(edxml.Organ(office.agency.identifier, office.agency.name),), code_number="45",
        code_notation="UBND-VP", place="", promulgation_date=timezone.localdate(), type_code="18",
        type_name="Công văn", subject="V/v báo cáo",
        attachments=(edxml.Attachment("cv.pdf", "application/pdf", pdf_bytes()),)))
    registered = client.post(reverse("documents:exchange-import"),
                             {"package": attached("goi.xml", good)})
    assert registered.status_code == 302
    assert Document.objects.get().number == 1
    again = client.post(reverse("documents:exchange-import"),
                        {"package": attached("goi.xml", good)})
    assert again.status_code == 409 and "đã được vào sổ" in again.content.decode()


def test_the_list_costs_the_same_queries_for_few_or_many_documents(client, office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = pdf_bytes()
    as_(client, office.specialist)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("documents:outgoing-list"), {"ds": "mine"}).status_code == 200
        return len(captured)

    draft(office, file=upload("a.pdf", data))
    few = queries()
    for n in range(4):
        draft(office, summary=f"Dự thảo {n}", file=upload("b.pdf", data))
    assert queries() == few
