"""The public catalogue over HTTP: pages without login, the API, the command line."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog import services
from motcua.catalog.models import Procedure
from tests.catalog.conftest import as_bytes, document, procedure


@pytest.fixture
def catalogue(department):
    services.import_catalog(actor=None, data=as_bytes(document(
        procedure(), procedure(code="1.000001", name="Thuyên chuyển công chức ra ngoài tỉnh"))))


def test_the_list_page_searches_without_login(client, catalogue):
    html = client.get("/thu-tuc/", {"q": "bo nhiem ngach"}).content.decode()
    assert "Bổ nhiệm ngạch công chức" in html and "Thuyên chuyển" not in html
    assert "1 thủ tục" in html


def test_the_list_page_has_an_empty_state(client, catalogue):
    assert "Không tìm thấy thủ tục nào" in client.get("/thu-tuc/", {"q": "zzzz"}).content.decode()


def test_the_detail_page_shows_documents_fees_legal_basis_and_steps(client, catalogue):
    html = client.get("/thu-tuc/1.005384/").content.decode()
    for text in ("10 ngày làm việc", "kể từ khi nhận đủ hồ sơ hợp lệ", "Quyết định tuyển dụng", "Bản sao có chứng thực",
                 "Khi là người dân tộc thiểu số", "138/2020/NĐ-CP", "Không thu", "Bước 3", "5 ngày",
                 "Phòng Công chức, viên chức"):
        assert text in html, text


def test_an_abolished_or_unknown_procedure_is_not_found(client, catalogue):
    Procedure.objects.filter(code="1.000001").update(status="abolished")
    assert client.get("/thu-tuc/1.000001/").status_code == 404
    assert client.get("/thu-tuc/khong-co/").status_code == 404
    assert client.get("/api/v1/procedures/1.000001").status_code == 404


def test_the_api_searches_and_paginates(client, catalogue):
    body = client.get("/api/v1/procedures", {"q": "CHUYEN", "limit": 1}).json()
    assert body["count"] == 1 and body["items"][0]["code"] == "1.000001"
    body = client.get("/api/v1/procedures", {"field": "CCVC", "limit": 1, "offset": 1}).json()
    assert body["count"] == 2 and len(body["items"]) == 1
    assert client.get("/api/v1/procedures", {"limit": 1000}).status_code == 422


def test_the_api_gives_everything_about_a_procedure(client, catalogue):
    body = client.get("/api/v1/procedures/1.005384").json()
    assert body["online_level"] == "partial" and body["channels"] == ["desk", "post", "online"]
    version = body["current_version"]
    assert version["time_limit_hours"] == 80 and sum(s["hours"] for s in version["steps"]) == 80
    assert version["documents"][1]["mandatory"] is False
    assert version["legal_bases"][0]["date"] == "2020-11-27"


def test_list_queries_do_not_grow_with_results(client, department):
    services.import_catalog(actor=None, data=as_bytes(document(*[
        procedure(code=f"9.{i:03d}", name=f"Thủ tục số {i}") for i in range(30)])))
    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/procedures", {"limit": 5})
    assert len(first.captured_queries) == 3  # the revision, then the index is built once (procedures, resolvers)
    with CaptureQueriesContext(connection) as warm:
        client.get("/api/v1/procedures", {"limit": 30, "q": "thu tuc"})
    assert len(warm.captured_queries) == 1  # only the revision check: the index is in memory
    with CaptureQueriesContext(connection) as page:
        client.get("/thu-tuc/")
    assert len(page.captured_queries) <= 6


def test_command_line_export_and_import_round_trip(department, tmp_path, capsys):
    source = tmp_path / "catalog.json"
    source.write_bytes(as_bytes(document(procedure())))
    call_command("catalog", "import", str(source))
    assert "Thêm 1 thủ tục" in capsys.readouterr().out
    out = tmp_path / "export.json"
    call_command("catalog", "export", "--format", "json", "--output", str(out))
    assert json.loads(out.read_text())["procedures"][0]["code"] == "1.005384"
    call_command("catalog", "import", str(out))
    assert "giữ nguyên 1" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "motcua.catalog/1", "procedures": [{"code": "x"}]}')
    with pytest.raises(CommandError, match="chưa ghi gì"):
        call_command("catalog", "import", str(bad))


def test_a_blank_form_downloads_and_a_fake_one_is_refused(client, catalogue):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.catalog.models import RequiredDocument

    document = RequiredDocument.objects.filter(version__procedure__code="1.005384").first()
    fake = SimpleUploadedFile("mau-01.pdf", b"MZ\x90\x00 executable", content_type="application/pdf")
    with pytest.raises(ValidationError, match="không phải PDF"):
        document._meta.get_field("blank_form").clean(fake, document)
    document.blank_form.save("mau-01.pdf", SimpleUploadedFile("mau-01.pdf", b"%PDF-1.7 mau don"))
    html = client.get("/thu-tuc/1.005384/").content.decode()
    url = f"/thu-tuc/1.005384/mau/{document.pk}/"
    assert url in html
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert client.get(f"/thu-tuc/1.000001/mau/{document.pk}/").status_code == 404
