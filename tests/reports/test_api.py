"""``GET /api/v1/reports/resolution``: the figures as JSON or as a file, for whom, and the refusals a caller
reads when a period cannot be understood."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.org.roles import Role
from tests.factories import make_staff
from tests.reports.conftest import EXPECTED_MARCH

URL = "/api/v1/reports/resolution"
MARCH_PARAMS = {"from": "2026-03-01", "to": "2026-03-31"}


def login(client, staff):
    """A web session, as a browser page calling the API has. (``tests.conftest.login`` goes through
    ``client.login``, which django-axes refuses without a request.)"""
    client.force_login(staff.user)
    return client


def counts(figures: dict) -> dict:
    return {k: figures[k] for k in EXPECTED_MARCH}


@pytest.fixture
def superuser(world):
    staff = make_staff(role=Role.SPECIALIST, agency=world.province)
    staff.user.is_superuser = True
    staff.user.save(update_fields=["is_superuser"])
    return staff


def test_the_json_report_of_the_callers_agency_reads_each_dossier_in_its_column(client, world, history):
    response = login(client, world.desk).get(URL, MARCH_PARAMS)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["from"], body["to"], body["agency"], body["group_by"]) == ("2026-03-01", "2026-03-31",
                                                                            world.agency.identifier, "procedure")
    assert counts(body["totals"]) == EXPECTED_MARCH
    assert body["totals"]["on_time_rate"] == 83.33 and body["totals"]["rejected"] == 1
    assert [r["label"] for r in body["rows"]] == ["SNV.TEST.01 — Bổ nhiệm ngạch công chức",
                                                  "SNV.TEST.02 — Khen thưởng do UBND tỉnh quyết định"]
    assert counts(body["rows"][0]) == EXPECTED_MARCH


@pytest.mark.parametrize("staff", ["division_leader", "leader", "auditor"])
def test_leaders_and_auditors_read_their_agencys_report(client, world, history, staff):
    response = login(client, getattr(world, staff)).get(URL, MARCH_PARAMS)
    assert response.status_code == 200 and counts(response.json()["totals"]) == EXPECTED_MARCH


def test_a_standard_period_follows_the_cutoff_day_setting(client, world, history, settings):
    login(client, world.leader)
    settings.REPORT_CUTOFF_DAY = 1
    body = client.get(URL, {"period": "month", "year": 2026, "number": 3}).json()
    assert (body["from"], body["to"]) == ("2026-03-01", "2026-03-31") and counts(body["totals"]) == EXPECTED_MARCH
    settings.REPORT_CUTOFF_DAY = 15
    body = client.get(URL, {"period": "month", "year": 2026, "number": 3}).json()
    assert (body["from"], body["to"]) == ("2026-02-15", "2026-03-14")


def test_grouping_by_field_and_filtering_narrow_the_rows(client, world, history):
    from motcua.catalog.models import Field

    login(client, world.leader)
    field = Field.objects.get(code="CCVC")
    body = client.get(URL, {**MARCH_PARAMS, "group_by": "field"}).json()
    assert [r["label"] for r in body["rows"]] == ["Công chức, viên chức"] and body["group_by"] == "field"
    body = client.get(URL, {**MARCH_PARAMS, "field": field.pk}).json()
    assert body["filters"] == {"field": field.pk} and counts(body["totals"]) == EXPECTED_MARCH
    assert client.get(URL, {**MARCH_PARAMS, "field": field.pk + 999}).json()["totals"]["received"] == 0


def test_excel_downloads_as_an_attachment_with_the_reports_figures(client, world, history):
    response = login(client, world.leader).get(URL, {**MARCH_PARAMS, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == \
        'attachment; filename="bao-cao-giai-quyet-tthc_SNV_2026-03-01_2026-03-31.xlsx"'
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "Sở Nội vụ tỉnh Hà Giang" and ws["C8"].value == EXPECTED_MARCH["received"]
    assert ws["C10"].value == "=SUM(C8:C9)"


def test_the_pdf_downloads_as_an_attachment_signed_by_the_caller(client, world, history):
    response = login(client, world.desk).get(URL, {**MARCH_PARAMS, "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=") and \
        response["Content-Disposition"].endswith('.pdf"')
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text and "THỦ TRƯỞNG CƠ QUAN" in text
    assert world.desk.full_name in text  # under "Người lập biểu"
    assert float(reader.pages[0].mediabox.width) > float(reader.pages[0].mediabox.height)


def test_the_csv_downloads_with_its_totals_line(client, world, history):
    response = login(client, world.desk).get(URL, {**MARCH_PARAMS, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"] and response.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {k: int(lines[-1][k]) for k in EXPECTED_MARCH} == EXPECTED_MARCH and lines[-1]["on_time_rate"] == "83.33"


# --------------------------------------------------------------------------------------------------------
# Who may read


def test_an_anonymous_caller_is_asked_to_log_in(client, world, history):
    response = client.get(URL, MARCH_PARAMS)
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    assert client.get(URL, {**MARCH_PARAMS, "format": "xlsx"}).status_code == 401


def test_a_specialist_without_the_report_permission_is_refused(client, world, history):
    response = login(client, world.specialist).get(URL, {**MARCH_PARAMS, "format": "pdf"})
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "Bạn không có quyền xem báo cáo, thống kê.",
                               "details": {}}


@pytest.mark.parametrize("agency", ["all", "000.00.12.H22"])
def test_another_agency_or_the_whole_province_needs_the_province_permission(client, world, history, agency):
    response = login(client, world.stranger).get(URL, {**MARCH_PARAMS, "agency": agency})
    assert response.status_code == 403 and response.json()["message"] == "Bạn chỉ được xem báo cáo của cơ quan mình."
    own = client.get(URL, MARCH_PARAMS)
    assert own.status_code == 200 and own.json()["totals"]["received"] == 0  # its own agency has nothing


def test_a_leader_may_not_read_every_agency_either(client, world, history):
    assert login(client, world.leader).get(URL, {**MARCH_PARAMS, "agency": "all"}).status_code == 403


def test_a_superuser_reads_every_agency_and_any_one(client, world, history, superuser):
    login(client, superuser)
    body = client.get(URL, {**MARCH_PARAMS, "agency": "all", "group_by": "agency"}).json()
    assert body["agency"] is None and counts(body["totals"]) == EXPECTED_MARCH
    assert [r["label"] for r in body["rows"]] == ["Sở Nội vụ tỉnh Hà Giang"]
    one = client.get(URL, {**MARCH_PARAMS, "agency": world.agency.identifier})
    assert one.status_code == 200 and one.json()["agency"] == world.agency.identifier
    file = client.get(URL, {**MARCH_PARAMS, "agency": "all", "format": "xlsx"})
    assert file.status_code == 200 and "tat-ca-co-quan" in file["Content-Disposition"]
    missing = client.get(URL, {**MARCH_PARAMS, "agency": "000.00.99.H22"})
    assert missing.status_code == 404 and missing.json()["message"] == "Không có cơ quan mã 000.00.99.H22."


# --------------------------------------------------------------------------------------------------------
# Input a caller can get wrong


@pytest.mark.parametrize(("params", "message"), [
    ({}, "Cần chọn kỳ báo cáo: từ ngày và đến ngày"),
    ({"from": "2026-03-01"}, "Thiếu ngày kết thúc của kỳ báo cáo"),
    ({"from": "2026-02-30", "to": "2026-03-31"}, "Ngày bắt đầu “2026-02-30” không hợp lệ"),
    ({"from": "2026-03-01", "to": "31/03/2026"}, "Ngày kết thúc “31/03/2026” không hợp lệ"),
    ({"from": "2026-03-31", "to": "2026-03-01"}, "Ngày kết thúc không được trước ngày bắt đầu kỳ báo cáo."),
    ({"from": "2010-01-01", "to": "2026-03-31"}, "Kỳ báo cáo dài quá 10 năm"),
    ({"period": "week", "year": 2026, "number": 1}, "Loại kỳ “week” không có"),
    ({"period": "quarter", "year": 2026, "number": 5}, "Kỳ số 5 không có"),
    ({"period": "month", "year": 2026}, "Cần số thứ tự của kỳ"),
    ({**MARCH_PARAMS, "period": "month", "year": 2026, "number": 3}, "không chọn cả hai"),
    ({**MARCH_PARAMS, "format": "docx"}, "Định dạng “docx” không có: chọn một trong json, xlsx, pdf, csv."),
    ({**MARCH_PARAMS, "group_by": "staff"}, "Cách tổng hợp “staff” không có"),
])
def test_a_request_that_cannot_be_read_is_refused_with_a_vietnamese_message(client, world, history, params,
                                                                            message):
    response = login(client, world.desk).get(URL, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and message in body["message"], body


def test_a_year_that_is_not_a_number_is_refused_by_the_schema(client, world, history):
    response = login(client, world.desk).get(URL, {"period": "year", "year": "hai nghìn"})
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Dữ liệu gửi lên không hợp lệ." and body["details"]["errors"][0]["field"] == "year"


def test_the_openapi_schema_documents_the_parameters_and_the_json(client, db):
    operation = client.get("/api/v1/openapi.json").json()["paths"][URL]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert {"from", "to", "period", "year", "number", "agency", "group_by", "field", "division", "procedure",
            "format"} <= set(parameters)
    assert parameters["format"]["schema"]["enum"] == ["json", "xlsx", "pdf", "csv"]
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    assert operation["tags"] == ["Báo cáo, thống kê"]
