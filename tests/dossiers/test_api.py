"""The dossier API: intake, queues, the dossier, each action with its refusals, files and forms."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core import clock
from motcua.dossiers.models import Dossier
from tests import samples
from tests.conftest import PASSWORD
from tests.dossiers.conftest import ORDINARY, SNV, at, documents


def bearer(client, staff) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", {"username": staff.user.username, "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['token']}"}


def body(**extra) -> dict:
    docs = documents(ORDINARY)
    return {
        "procedure": ORDINARY, "channel": "desk",
        "applicant": {"type": "individual", "name": "Trần Thị Mai", "id_number": "002190001234",
                      "birth_date": "1990-05-17", "address": "Tổ 5, phường Nguyễn Trãi, Hà Giang",
                      "phone": "0912345678", "email": "mai@example.vn"},
        "subject": "Đề nghị bổ nhiệm ngạch", "components": [{"required_document_id": d.pk} for d in docs],
    } | extra


@pytest.fixture
def api(client, world, now):
    """A client posting JSON as a given staff member (bearer token)."""

    class Api:
        def __init__(self):
            self.tokens = {}

        def headers(self, staff):
            if staff.pk not in self.tokens:
                self.tokens[staff.pk] = bearer(client, staff)
            return self.tokens[staff.pk]

        def post(self, staff, path, data):
            return client.post(f"/api/v1{path}", data, content_type="application/json", headers=self.headers(staff))

        def get(self, staff, path, **params):
            return client.get(f"/api/v1{path}", params, headers=self.headers(staff))

    return Api()


def test_intake_returns_the_code_and_appointment_and_the_dossier_is_at_its_url(api, world):
    from motcua.dossiers.api import DossierOut, IntakeOut, PageOut

    response = api.post(world.desk, "/dossiers", body())
    assert response.status_code == 201, response.content
    created = IntakeOut.model_validate(response.json())  # the answer is in its documented shape
    assert created.code == "000.00.12.H22-260302-0001" and created.log_number == 1
    assert (created.receiving_agency, created.resolving_agency, created.delivery_point) == (SNV,) * 3
    assert response.json()["due_at"] == "2026-03-16T09:00:00+07:00" and response["Location"] == created.url
    d = api.get(world.desk, created.url.removeprefix("/api/v1")).json()
    DossierOut.model_validate(d)
    PageOut.model_validate(api.get(world.desk, "/dossiers", queue="desk").json())
    assert d["code"] == "000.00.12.H22-260302-0001" and d["state"] == "received" and d["national_status"] == 2
    assert d["channel_code"] == 1 and d["version"] == 1 and d["due_at"] == "2026-03-16T09:00:00+07:00"
    assert d["current"]["step"] == "Tiếp nhận hồ sơ" and d["current"]["assignee"] == "Lê Minh Đạt"
    assert d["timeline"][0]["action"] == "receive" and d["applicant"]["masked"] is False
    assert "forward" in d["actions"] and "approve" not in d["actions"]
    assert d["remaining"] == "còn 10 ngày"


def test_intake_missing_a_mandatory_document_is_400_with_the_list_and_writes_nothing(api, world):
    payload = body(components=[])
    response = api.post(world.desk, "/dossiers", payload)
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid" and error["details"]["missing"] == ["Tờ trình đề nghị", "Quyết định tuyển dụng"]
    assert not Dossier.objects.exists()
    guided = api.post(world.desk, "/dossiers", payload | {"decision": "guide", "reason": "Thiếu giấy tờ",
                                                          "missing": [{"name": "Tờ trình đề nghị"}]})
    assert guided.status_code == 201 and guided.json()["state"] == "awaiting_supplement"
    assert guided.json()["code"].endswith("-0001")


def test_an_online_submission_waits_in_the_desks_queue(api, world):
    response = api.post(world.desk, "/dossiers", body(channel="online"))
    assert response.status_code == 201 and response.json()["state"] == "submitted"
    queue = api.get(world.desk2, "/dossiers", queue="desk").json()
    assert [r["code"] for r in queue["items"]] == [response.json()["code"]]
    received = api.post(world.desk2, f"/dossiers/{response.json()['code']}/actions/receive", {"version": 1})
    assert received.status_code == 200 and received.json()["state"] == "received"


def test_validation_errors_are_422_naming_the_field(api, world):
    response = api.post(world.desk, "/dossiers", body(channel="fax"))
    assert response.status_code == 422 and response.json()["details"]["errors"][0]["field"] == "channel"


def test_the_whole_journey_through_the_api(api, world):
    code = api.post(world.desk, "/dossiers", body()).json()["code"]
    steps = [
        (world.desk, "forward", {}),
        (world.division_leader, "forward", {"assignee_id": world.specialist.pk}),
        (world.specialist, "forward", {"note": "Đủ điều kiện"}),
        (world.division_leader, "forward", {}),
        (world.leader, "approve", {"result": {"number": "12/QĐ-SNV", "summary": "Bổ nhiệm ngạch"}}),
        (world.desk, "mark_ready", {}),
        (world.desk, "return_result", {"returned_to": "Trần Thị Mai", "method": "desk"}),
    ]
    version = 1
    for hour, (staff, action, extra) in enumerate(steps, start=10):
        with clock.at(at(3, hour)):
            response = api.post(staff, f"/dossiers/{code}/actions/{action}", {"version": version, **extra})
        assert response.status_code == 200, (action, response.content)
        version = response.json()["version"]
    d = response.json()
    assert d["state"] == "returned" and d["national_status"] == 10 and d["outcome"] == "early"
    assert [h["action"] for h in d["timeline"]] == ["receive", "forward", "forward", "forward", "forward", "approve",
                                                    "mark_ready", "return_result"]
    assert d["result"]["number"] == "12/QĐ-SNV" and d["actions"] == []


@pytest.mark.parametrize(("who", "action", "payload", "status", "code"), [
    ("specialist", "forward", {"version": 1}, 403, "forbidden"),
    ("desk", "forward", {"version": 7}, 409, "stale"),
    ("desk", "return_result", {"version": 1, "returned_to": "A", "method": "desk"}, 409, "invalid_state"),
    ("desk", "approve", {"version": 1, "result": {"number": "1"}}, 403, "forbidden"),
    ("leader", "reject", {"version": 1, "reason": ""}, 422, "invalid"),
    ("stranger", "withdraw", {"version": 1, "reason": "x"}, 404, "not_found"),
])
def test_refused_actions_get_their_status_a_vietnamese_message_and_change_nothing(api, world, who, action, payload,
                                                                                  status, code):
    created = api.post(world.desk, "/dossiers", body()).json()
    response = api.post(getattr(world, who), f"/dossiers/{created['code']}/actions/{action}", payload)
    assert response.status_code == status, response.content
    error = response.json()
    assert error["code"] == code and error["message"]
    after = api.get(world.desk, f"/dossiers/{created['code']}").json()
    assert after["version"] == 1 and after["state"] == "received" and len(after["timeline"]) == 1


def test_lists_are_scoped_masked_and_paginated_by_cursor(api, world):
    codes = [api.post(world.desk, "/dossiers", body()).json()["code"] for _ in range(5)]
    page = api.get(world.leader, "/dossiers", queue="all", limit=2).json()
    assert page["count"] == 5 and len(page["items"]) == 2 and page["next_cursor"]
    assert page["items"][0]["applicant_id"] == "002*******34" and page["items"][0]["applicant_phone"] == "091*****78"
    seen = [r["code"] for r in page["items"]]
    while page["next_cursor"]:
        page = api.get(world.leader, "/dossiers", queue="all", limit=2, cursor=page["next_cursor"]).json()
        seen += [r["code"] for r in page["items"]]
    assert seen == sorted(codes, reverse=True)
    assert api.get(world.specialist, "/dossiers", queue="all").status_code == 403
    assert api.get(world.specialist, "/dossiers", queue="division").status_code == 403  # division leaders only
    assert api.get(world.specialist, "/dossiers", queue="mine").json()["count"] == 0
    assert api.get(world.stranger, "/dossiers", queue="desk").json()["count"] == 0  # another agency's desk


def test_overdue_filter_and_queue_order(api, world):
    first = api.post(world.desk, "/dossiers", body()).json()["code"]
    with clock.at(at(9)):
        second = api.post(world.desk, "/dossiers", body()).json()["code"]
    with clock.at(at(18)):  # the first is due on 16/3, the second on 23/3
        overdue = api.get(world.leader, "/dossiers", queue="all", overdue="true").json()
        within = api.get(world.leader, "/dossiers", queue="all", overdue="false").json()
        desk = api.get(world.desk, "/dossiers", queue="desk").json()
    assert [r["code"] for r in overdue["items"]] == [first] and overdue["items"][0]["overdue"] is True
    assert overdue["items"][0]["remaining"].startswith("quá")
    assert [r["code"] for r in within["items"]] == [second]
    assert [r["code"] for r in desk["items"]] == [first, second]  # the most urgent first


def test_the_agency_leader_sees_masked_personal_data_and_the_desk_sees_it_whole(api, world):
    code = api.post(world.desk, "/dossiers", body()).json()["code"]
    leader_view = api.get(world.leader, f"/dossiers/{code}").json()["applicant"]
    assert leader_view["masked"] is True and leader_view["id_number"] == "002*******34"
    assert leader_view["address"] == "…, Hà Giang" and leader_view["birth_date"] is None
    auditor_view = api.get(world.auditor, f"/dossiers/{code}").json()["applicant"]
    assert auditor_view["masked"] is False and auditor_view["id_number"] == "002190001234"
    assert api.get(world.outsider, f"/dossiers/{code}").status_code == 403


def test_the_list_costs_the_same_queries_for_one_or_many_dossiers(api, world):
    api.post(world.desk, "/dossiers", body())
    api.get(world.leader, "/dossiers", queue="all")  # warm the token and the session
    with CaptureQueriesContext(connection) as one:
        api.get(world.leader, "/dossiers", queue="all")
    for _ in range(6):
        api.post(world.desk, "/dossiers", body())
    with CaptureQueriesContext(connection) as many:
        api.get(world.leader, "/dossiers", queue="all")
    assert len(many) == len(one)


def test_scans_are_checked_stored_and_served_only_to_those_who_may_see(api, world, client):
    code = api.post(world.desk, "/dossiers", body()).json()["code"]
    document = documents(ORDINARY)[0].pk
    fake = client.post(f"/api/v1/dossiers/{code}/attachments",
                       {"kind": "component", "required_document_id": document,
                        "file": io.BytesIO(samples.EXECUTABLE)}, headers=api.headers(world.desk))
    assert fake.status_code == 400 and "Chỉ nhận tệp" in fake.json()["message"]
    scan = io.BytesIO(samples.png())
    scan.name = "to-trinh.png"
    ok = client.post(f"/api/v1/dossiers/{code}/attachments",
                     {"kind": "component", "required_document_id": document, "file": scan},
                     headers=api.headers(world.desk))
    assert ok.status_code == 201, ok.content
    url = ok.json()["url"]
    download = client.get(url, headers=api.headers(world.auditor))
    assert download.status_code == 200 and b"".join(download.streaming_content) == samples.png()
    assert download["Content-Type"] == "image/png" and "attachment" in download["Content-Disposition"]
    assert client.get(url, headers=api.headers(world.outsider)).status_code == 403
    assert client.get(url, headers=api.headers(world.stranger)).status_code == 404


def test_forms_download_as_pdf_and_docx(api, world, client):
    import docx
    import pypdf

    code = api.post(world.desk, "/dossiers", body()).json()["code"]
    pdf = client.get(f"/api/v1/dossiers/{code}/forms/receipt", headers=api.headers(world.desk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert code in text and "Trần Thị Mai" in text
    word = client.get(f"/api/v1/dossiers/{code}/forms/control-sheet", {"format": "docx"},
                      headers=api.headers(world.desk))
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.content))
    assert code in "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells)
    apology = client.get(f"/api/v1/dossiers/{code}/forms/apology", headers=api.headers(world.desk))
    assert apology.status_code == 409 and apology.json()["code"] == "invalid_state"


def test_the_openapi_schema_documents_every_action_and_its_errors(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    from motcua.dossiers.services import ACTIONS

    for action in ACTIONS:
        operation = schema["paths"][f"/api/v1/dossiers/{{code}}/actions/{action.value}"]["post"]
        assert {"200", "403", "404", "409"} <= set(operation["responses"])
        assert operation["requestBody"]["content"]["application/json"]


def test_the_dossier_names_its_receiving_point_resolving_agency_partners_and_delivery_point(api, world):
    from motcua.dossiers.models import DossierAgency
    from motcua.org.models import Agency

    created = api.post(world.desk, "/dossiers", body())
    assert created.status_code == 201, created.content
    assert (created.json()["receiving_agency"], created.json()["resolving_agency"]) == (SNV, SNV)
    code = created.json()["code"]
    d = api.get(world.desk, f"/dossiers/{code}").json()
    assert (d["receiving_agency"], d["resolving_agency"], d["partner_agencies"], d["delivery_point"]) == (
        SNV, SNV, [], SNV)
    partner = Agency.objects.get(identifier="000.00.13.H22")
    DossierAgency.objects.create(dossier=Dossier.objects.get(code=code), agency=partner, partner=True)
    assert api.get(world.desk, f"/dossiers/{code}").json()["partner_agencies"] == ["000.00.13.H22"]


@pytest.mark.parametrize(("extra", "field", "message"), [
    ({"resolving_agency": "000.00.13.H22"}, "resolving_agency", "Sở Tư pháp không giải quyết thủ tục"),
    ({"resolving_agency": "000.00.99.H22"}, "resolving_agency", "Không có cơ quan mã 000.00.99.H22"),
    ({"delivery_point": "000.00.99.H22"}, "delivery_point", "Không có cơ quan mã 000.00.99.H22"),
    ({"applicant_commune": "000.00.13.H22"}, "applicant_commune", "không phải xã, phường"),
])
def test_intake_passes_the_chosen_agencies_and_a_wrong_one_is_refused_naming_the_field(api, world, extra, field,
                                                                                        message):
    response = api.post(world.desk, "/dossiers", body(**extra))
    assert response.status_code == 400, response.content
    error = response.json()
    assert error["code"] == "invalid" and error["details"]["field"] == field and message in error["message"]
    assert not Dossier.objects.exists()


def test_intake_to_the_named_resolving_agency_and_delivery_point(api, world):
    response = api.post(world.desk, "/dossiers", body(resolving_agency=SNV, delivery_point=SNV))
    assert response.status_code == 201, response.content
    assert response.json()["resolving_agency"] == SNV
    assert Dossier.objects.get().delivery_agency.identifier == SNV


def test_the_openapi_schema_documents_the_agencies_of_a_dossier(client, db):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    intake = schemas["IntakeIn"]["properties"]
    assert {"resolving_agency", "delivery_point", "applicant_commune"} <= set(intake)
    assert intake["resolving_agency"]["type"] == "string"
    assert "resolving_agency" not in schemas["IntakeIn"].get("required", [])
    dossier = schemas["DossierOut"]
    assert {"receiving_agency", "resolving_agency", "partner_agencies", "delivery_point"} <= set(dossier["required"])
    assert dossier["properties"]["partner_agencies"] == {
        "type": "array", "items": {"type": "string"}, "title": "Partner Agencies",
        "description": dossier["properties"]["partner_agencies"]["description"]}


def test_my_work_holds_the_steps_waiting_for_my_role_and_those_given_to_me(api, world):
    code = api.post(world.desk, "/dossiers", body()).json()["code"]
    api.post(world.desk, f"/dossiers/{code}/actions/forward", {"version": 1})

    def mine(staff) -> list[str]:
        return [r["code"] for r in api.get(staff, "/dossiers", queue="mine").json()["items"]]

    assert mine(world.division_leader) == [code]  # "Phân công thụ lý" waits for a leader of the division
    api.post(world.division_leader, f"/dossiers/{code}/actions/forward", {"version": 2})
    assert mine(world.division_leader) == [] and mine(world.specialist) == [code] == mine(world.specialist2)
    api.post(world.division_leader, f"/dossiers/{code}/actions/assign", {"version": 3,
                                                                          "assignee_id": world.specialist2.pk})
    assert mine(world.specialist) == [] and mine(world.specialist2) == [code]
    for version, staff in ((4, world.specialist2), (5, world.division_leader)):
        api.post(staff, f"/dossiers/{code}/actions/forward", {"version": version})
    assert mine(world.leader) == [code]  # waiting for the agency leader's signature
    assert mine(world.outsider) == []


def test_the_dossier_log_of_a_period_prints_for_those_who_see_the_agency(api, world, client):
    import pypdf

    codes = [api.post(world.desk, "/dossiers", body()).json()["code"] for _ in range(3)]
    response = client.get("/api/v1/dossiers/log", {"from": "2026-03-01", "to": "2026-03-31"},
                          headers=api.headers(world.leader))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert all(code in text for code in codes)
    api.post(world.desk, f"/dossiers/{codes[0]}/actions/withdraw", {"version": 1, "reason": "Đơn xin rút"})
    narrowed = client.get("/api/v1/dossiers/log", {"from": "2026-03-01", "to": "2026-03-31", "state": "withdrawn",
                                                   "procedure": "SNV.TEST.01", "channel": "desk"},
                          headers=api.headers(world.leader))
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(narrowed.content)).pages)
    assert codes[0] in text and codes[1] not in text and codes[2] not in text
    assert client.get("/api/v1/dossiers/log", {"from": "2026-03-01", "to": "2026-03-31", "state": "lost"},
                      headers=api.headers(world.leader)).status_code == 422
    assert client.get("/api/v1/dossiers/log", {"from": "2026-03-01", "to": "2026-03-31"},
                      headers=api.headers(world.specialist)).status_code == 403
    client.force_login(world.desk.user)  # the staff page of the same log
    word = client.get("/ho-so/so-theo-doi/", {"date_from": "2026-03-01", "date_to": "2026-03-31", "format": "docx"})
    assert word.status_code == 200 and "wordprocessingml" in word["Content-Type"]
    page = client.get("/ho-so/so-theo-doi/")
    assert 'name="procedure"' in page.content.decode() and "SNV.TEST.01 — " in page.content.decode()
    open_only = client.get("/ho-so/so-theo-doi/", {"date_from": "2026-03-01", "date_to": "2026-03-31",
                                                    "format": "pdf", "outcome": "open"})
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(open_only.content)).pages)
    assert codes[1] in text and codes[2] in text and codes[0] not in text  # the withdrawn one is finished
    bad = client.get("/ho-so/so-theo-doi/", {"date_from": "2026-03-31", "date_to": "2026-03-01", "format": "pdf"})
    assert bad.status_code == 400 and "Ngày kết thúc phải sau ngày bắt đầu" in bad.content.decode()


def test_the_dossiers_i_worked_on_stay_listed_after_they_are_finished(api, world):
    code = api.post(world.desk, "/dossiers", body()).json()["code"]
    api.post(world.desk, f"/dossiers/{code}/actions/forward", {"version": 1})
    api.post(world.division_leader, f"/dossiers/{code}/actions/forward",
             {"version": 2, "assignee_id": world.specialist.pk})
    api.post(world.specialist, f"/dossiers/{code}/actions/forward", {"version": 3})
    api.post(world.division_leader, f"/dossiers/{code}/actions/reject", {"version": 4, "reason": "Không đủ điều kiện"})

    def handled(staff) -> list[str]:
        return [r["code"] for r in api.get(staff, "/dossiers", queue="handled").json()["items"]]

    assert handled(world.specialist) == [code] == handled(world.desk) == handled(world.division_leader)
    assert handled(world.specialist2) == []
    assert api.get(world.auditor, "/dossiers", queue="handled").status_code == 403  # nothing to handle


def test_a_client_reads_the_document_ids_it_files_from_the_public_procedure(client, api, world):
    procedure = client.get(f"/api/v1/procedures/{ORDINARY}").json()
    ids = [d["id"] for d in procedure["current_version"]["documents"]]
    assert ids == [d.pk for d in documents()]
    response = api.post(world.desk, "/dossiers", body() | {
        "components": [{"required_document_id": i} for i in ids]})
    assert response.status_code == 201, response.content
