"""Work files (hồ sơ công việc) on their pages: opened, filled with documents, closed and handed to the archive."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.core.models import AuditEvent
from motcua.documents import services
from motcua.documents.models import CaseFile
from tests.documents.conftest import upload
from tests.dossiers.conftest import world  # noqa: F401  (the one-stop world of the dossier tests)

pytestmark = pytest.mark.django_db


def test_a_work_file_is_opened_filled_closed_and_archived_with_number_one(client, office):
    doc = services.create_draft(actor=office.specialist, doc_type="to-trinh", summary="Tờ trình biên chế 2027",
                                file=upload("du-thao.pdf"))
    client.force_login(office.specialist.user)
    opened = client.post(reverse("documents:casefile-new"), {"code": "01.TCCB", "title": "Biên chế năm 2027",
                                                              "retention_years": ""})
    case_file = CaseFile.objects.get()
    assert opened.status_code == 302 and opened["Location"] == reverse("documents:casefile-detail",
                                                                         args=[case_file.pk])
    filed = client.post(reverse("documents:document-file-into", args=[doc.pk]), {"case_file": case_file.pk})
    assert filed["Location"] == reverse("documents:outgoing-detail", args=[doc.pk])
    page = client.get(reverse("documents:casefile-detail", args=[case_file.pk])).content.decode()
    assert "Tờ trình biên chế 2027" in page and "vĩnh viễn" in page
    listed = client.get(reverse("documents:casefile-list")).content.decode()
    assert "01.TCCB" in listed

    closed = client.post(reverse("documents:casefile-action", args=[case_file.pk, "close"]),
                         {"expected_version": case_file.version})
    assert closed.status_code == 302
    refused = client.post(reverse("documents:casefile-action", args=[case_file.pk, "archive"]),
                          {"expected_version": case_file.version + 1})
    assert refused.status_code == 403  # only the clerk hands work files to the archive
    case_file.refresh_from_db()
    assert case_file.status == CaseFile.Status.CLOSED

    client.force_login(office.clerk.user)
    archived = client.post(reverse("documents:casefile-action", args=[case_file.pk, "archive"]),
                           {"expected_version": case_file.version}, follow=True)
    assert "số nộp lưu 1/" in archived.content.decode()
    case_file.refresh_from_db()
    assert (case_file.status, case_file.archive_number) == (CaseFile.Status.ARCHIVED, 1)
    assert AuditEvent.objects.filter(action="documents.casefile.archive").exists()


def test_someone_elses_work_file_is_not_found(client, office):
    case_file = services.open_case_file(actor=office.specialist, code="02.TCCB", title="Hồ sơ riêng")
    client.force_login(office.other.user)
    assert client.get(reverse("documents:casefile-detail", args=[case_file.pk])).status_code == 404
    closing = client.post(reverse("documents:casefile-action", args=[case_file.pk, "close"]),
                          {"expected_version": case_file.version})
    assert closing.status_code == 404
    assert "02.TCCB" not in client.get(reverse("documents:casefile-list")).content.decode()
    case_file.refresh_from_db()
    assert case_file.status == CaseFile.Status.OPEN


def test_a_dossier_is_added_only_by_its_code_to_the_owners_open_work_file(client, office):
    case_file = services.open_case_file(actor=office.specialist, code="03.TCCB", title="Tuyển dụng")
    url = reverse("documents:casefile-add-dossier", args=[case_file.pk])
    client.force_login(office.specialist.user)
    unknown = client.post(url, {"dossier_code": "KHONG-CO"})
    assert unknown.status_code == 400 and "dossier_code_error" in unknown.content.decode()
    client.force_login(office.other.user)
    assert client.post(url, {"dossier_code": "KHONG-CO"}).status_code == 404
    assert not case_file.dossier_links.exists()


def test_a_one_stop_dossier_filed_in_a_work_file_links_to_its_page(client, world):  # noqa: F811
    from motcua.dossiers import services as dossier_services
    from tests.dossiers.conftest import intake

    dossier = dossier_services.receive_at_desk(actor=world.desk, intake=intake())
    case_file = services.open_case_file(actor=world.desk, code="04.VP", title="Hồ sơ bổ nhiệm ngạch")
    client.force_login(world.desk.user)
    added = client.post(reverse("documents:casefile-add-dossier", args=[case_file.pk]), {"dossier_code": dossier.code},
                        follow=True)
    assert f'href="/ho-so/{dossier.code}/"' in added.content.decode()
    assert AuditEvent.objects.filter(action="documents.casefile.add_dossier").exists()
    again = client.post(reverse("documents:casefile-add-dossier", args=[case_file.pk]), {"dossier_code": dossier.code})
    assert again.status_code == 409 and case_file.dossier_links.count() == 1
