"""Documents sent between agencies as edXML packages: exported by one agency's clerk, registered once by the other's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent
from motcua.documents import edxml, exchange, services, signing
from motcua.documents.models import Document, DocumentFile
from motcua.documents.states import State
from tests.documents.conftest import make_office, pdf_bytes, upload
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

JUSTICE_ID = "000.00.13.H22"


@pytest.fixture
def justice(office):
    return make_office(AgencyFactory(identifier=JUSTICE_ID, name="Sở Tư pháp tỉnh Thử", short_name="STP"))


def issued(office, *, external=(("Sở Tư pháp tỉnh Thử", JUSTICE_ID),)) -> Document:
    doc = services.create_draft(actor=office.specialist, doc_type="quyet-dinh", summary="Quyết định cử cán bộ dự họp",
                                file=upload("du-thao.pdf"), attachments=[upload("phu-luc.pdf", pdf_bytes("Phụ lục"))],
                                urgency="urgent")
    services.submit(actor=office.specialist, document_id=doc.pk)
    services.review(actor=office.leader, document_id=doc.pk)
    services.approve(actor=office.director, document_id=doc.pk)
    services.sign(actor=office.director, document_id=doc.pk)
    return services.issue(actor=office.clerk, document_id=doc.pk, division_ids=[office.office.pk], external=external)


def package(**overrides) -> bytes:
    fields = dict(sender=edxml.Organ("000.00.00.H22", "UBND tỉnh Thử"),
                  recipients=(edxml.Organ(JUSTICE_ID, "Sở Tư pháp"),), code_number="45", code_notation="UBND-VP",
                  place="", promulgation_date=timezone.localdate(), type_code="18", type_name="Công văn",
                  subject="V/v báo cáo tình hình", attachments=(edxml.Attachment("cv.pdf", "application/pdf",
                                                                                 pdf_bytes()),))
    fields.update(overrides)
    return edxml.build(edxml.Message(**fields))


def test_an_issued_document_travels_as_edxml_and_is_registered_once_by_its_recipient(office, justice, signing_key):
    doc = issued(office)
    data = exchange.export_package(actor=office.clerk, document_id=doc.pk)
    assert AuditEvent.objects.filter(action="documents.exchange.export", object_id=str(doc.pk)).exists()

    received = exchange.import_package(actor=justice.clerk, data=data)
    assert (received.agency, received.direction, received.state, received.number) == (
        justice.agency, "incoming", State.REGISTERED, 1)
    assert (received.symbol, received.sender_identifier, received.doc_type.code, received.urgency) == (
        "1/QĐ-SNV", office.agency.identifier, "quyet-dinh", "urgent")
    kinds = {f.kind: f for f in received.files.all()}
    assert set(kinds) == {DocumentFile.Kind.MAIN, DocumentFile.Kind.ATTACHMENT, DocumentFile.Kind.PACKAGE}
    with kinds[DocumentFile.Kind.MAIN].file.open("rb") as fh:
        reports = signing.verify_pdf(fh.read())
    assert len(reports) == 2 and all(r.ok for r in reports), [r.problems for r in reports]
    with kinds[DocumentFile.Kind.PACKAGE].file.open("rb") as fh:
        assert fh.read() == data

    with pytest.raises(DomainError) as refused:
        exchange.import_package(actor=justice.clerk, data=data, confirm_duplicate=True)
    assert refused.value.code == "conflict" and "đã được vào sổ: số đến 1/" in refused.value.message
    assert Document.objects.filter(agency=justice.agency).count() == 1


def test_exporting_is_refused_to_a_specialist_and_to_another_agency(office, justice, signing_key):
    doc = issued(office)
    with pytest.raises(DomainError) as refused:
        exchange.export_package(actor=office.specialist, document_id=doc.pk)
    assert refused.value.code == "forbidden"
    with pytest.raises(DomainError) as refused:
        exchange.export_package(actor=justice.clerk, document_id=doc.pk)
    assert refused.value.code == "not_found"


def test_a_document_with_no_electronic_recipient_has_no_package(office, signing_key):
    doc = issued(office, external=(("UBND huyện (bản giấy)", ""),))
    with pytest.raises(DomainError, match="chưa có nơi nhận có mã định danh"):
        exchange.export_package(actor=office.clerk, document_id=doc.pk)


def test_a_malformed_package_lists_every_problem_and_writes_nothing(justice):
    bad = (f'<edXMLEnvelope xmlns="{edxml.NAMESPACE}"><edXMLHeader><MessageHeader>'
           "<From><OrganId>sai ma</OrganId></From><To><OrganId>000.00.13.H22</OrganId></To>"
           "</MessageHeader></edXMLHeader></edXMLEnvelope>").encode()
    with pytest.raises(DomainError) as refused:
        exchange.import_package(actor=justice.clerk, data=bad)
    problems = refused.value.details["problems"]
    assert len(problems) >= 5 and any("From/OrganId" in p for p in problems) and any("Subject" in p for p in problems)
    assert not Document.objects.exists() and not DocumentFile.objects.exists()


def test_a_package_addressed_to_another_agency_is_refused(justice):
    data = package(recipients=(edxml.Organ("000.00.99.H22", "Sở Y tế"),))
    with pytest.raises(DomainError, match="không gửi tới cơ quan mình"):
        exchange.import_package(actor=justice.clerk, data=data)
    assert not Document.objects.exists()


def test_a_package_from_another_vendor_is_registered_with_a_sensible_type(justice):
    doc = exchange.import_package(actor=justice.clerk, data=package())
    assert (doc.doc_type.code, doc.symbol, doc.sender_name) == ("cong-van", "45/UBND-VP", "UBND tỉnh Thử")


def test_importing_is_refused_to_a_specialist(justice):
    with pytest.raises(DomainError) as refused:
        exchange.import_package(actor=justice.specialist, data=package())
    assert refused.value.code == "forbidden"
    assert not Document.objects.exists()
