"""``GET /api/v1/documents`` (the search, paginated, scoped to the caller) and ``GET /api/v1/documents/{id}``."""

from __future__ import annotations

import pytest
from django.utils import timezone

from motcua.documents import services
from motcua.documents.models import Secrecy
from motcua.org.roles import Role
from tests.documents.conftest import make_office, upload
from tests.documents.test_search import HOSTILE, _pdf
from tests.factories import AgencyFactory, make_staff

pytestmark = pytest.mark.django_db
URL = "/api/v1/documents"


def register(office, summary: str, symbol: str, **overrides):
    fields = dict(actor=office.clerk, doc_type="cong-van", summary=summary, sender_name="Bộ Nội vụ", symbol=symbol,
                  issued_on=timezone.localdate(), files=[upload(data=_pdf())])
    return services.register_incoming(**fields | overrides)


def test_api_search_is_paginated_and_marks_the_matches(client, office):
    docs = [register(office, f"Về việc tuyển dụng công chức đợt {n}", f"{n}/BNV-CCVC") for n in (1, 2, 3)]
    client.force_login(office.clerk.user)
    first = client.get(URL, {"q": "tuyen dung", "per_page": 2})
    assert first.status_code == 200, first.content
    body = first.json()
    assert (body["count"], body["count_label"], body["count_capped"], body["has_next"]) == (3, "3", False, True)
    item = body["items"][0]
    assert item["id"] == docs[2].pk and item["summary_html"].startswith("Về việc <mark>tuyển</mark> <mark>dụng</mark>")
    assert {k: item[k] for k in ("direction", "number", "symbol", "type", "sender_name", "state", "secrecy")} == {
        "direction": "incoming", "number": 3, "symbol": "3/BNV-CCVC", "type": "cong-van", "sender_name": "Bộ Nội vụ",
        "state": "registered", "secrecy": "normal"}
    second = client.get(URL, {"q": "tuyen dung", "per_page": 2, "page": 2}).json()
    assert [i["id"] for i in second["items"]] == [docs[0].pk] and not second["has_next"]
    today = timezone.localdate().isoformat()
    listed = client.get(URL, {"direction": "incoming", "type": "cong-van", "from": today}).json()
    assert [i["id"] for i in listed["items"]] == [d.pk for d in reversed(docs)]
    for q in HOSTILE[:12]:
        assert client.get(URL, {"q": q, "sender": q}).status_code == 200, q


def test_api_search_refusals_say_what_is_wrong(client, office):
    client.force_login(office.clerk.user)
    response = client.get(URL, {"state": "lost"})
    assert response.status_code == 400 and response.json()["details"] == {"field": "state"}
    assert client.get(URL, {"type": "khong-co"}).json()["message"] == "Không có loại văn bản này."
    assert client.get(URL, {"from": "2026-02-30"}).status_code == 422
    assert client.get(URL, {"page": 0}).status_code == 422


def test_api_document_has_its_files_but_not_who_uploaded_them(client, office):
    document = register(office, "Về việc nâng bậc lương", "9/BNV-TL")
    client.force_login(office.clerk.user)
    response = client.get(f"{URL}/{document.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["summary"], body["symbol"], body["type_name"], body["url"]) == (
        "Về việc nâng bậc lương", "9/BNV-TL", "Công văn", f"/van-ban/den/{document.pk}/")
    assert [f["name"] for f in body["files"]] == ["scan.pdf"]
    assert "uploaded_by" not in body["files"][0] and "created_by" not in body


def test_api_forbidden(client, office):
    normal = register(office, "Về việc nâng bậc lương", "9/BNV-TL")
    secret = register(office, "Về việc nâng bậc lương (mật)", "10/CA-PV", secrecy=Secrecy.CONFIDENTIAL)
    for url in (URL, f"{URL}/{normal.pk}"):
        anonymous = client.get(url, {"q": "luong"})
        assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthenticated"
    outsider = make_office(AgencyFactory(name="Sở Tài chính"))
    auditor = make_staff(role=Role.AUDITOR, agency=office.agency)
    for staff, listed, readable in ((outsider.clerk, [], []), (auditor, [normal.pk], [normal.pk]),
                                    (office.director, [secret.pk, normal.pk], [normal.pk, secret.pk])):
        client.force_login(staff.user)
        body = client.get(URL, {"q": "luong"}).json()
        assert sorted(i["id"] for i in body["items"]) == sorted(listed) and body["count"] == len(listed)
        for document in (normal, secret):
            response = client.get(f"{URL}/{document.pk}")
            assert response.status_code == (200 if document.pk in readable else 404)
            if response.status_code == 404:
                assert response.json()["code"] == "not_found"


def test_api_search_queries_do_not_grow_with_documents(client, office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(params: dict) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, params).status_code == 200
        return len(captured)

    client.force_login(office.clerk.user)
    register(office, "Về việc nâng bậc lương", "1/BNV-TL", files=[upload(data=_pdf()), upload(data=_pdf("Phụ lục"))])
    before = [queries({"q": "luong"}), queries({})]
    for n in (2, 3, 4):
        register(office, "Về việc nâng bậc lương", f"{n}/BNV-TL")
    assert [queries({"q": "luong"}), queries({})] == before
