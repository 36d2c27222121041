"""``motcua report resolution``: the operator's console reads any agency's report, to the screen or a file."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.reports.conftest import EXPECTED_MARCH

MARCH_ARGS = ["--from", "2026-03-01", "--to", "2026-03-31"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", "resolution", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts(figures: dict) -> dict:
    return {k: figures[k] for k in EXPECTED_MARCH}


def test_json_goes_to_the_screen_for_every_agency_by_default(world, history):
    body = json.loads(run(*MARCH_ARGS))
    assert body["agency"] is None and (body["from"], body["to"]) == ("2026-03-01", "2026-03-31")
    assert counts(body["totals"]) == EXPECTED_MARCH


def test_one_agency_by_identifier_or_short_name_grouped_by_field(world, history):
    body = json.loads(run(*MARCH_ARGS, "--agency", world.agency.identifier, "--group-by", "field"))
    assert body["agency"] == world.agency.identifier and body["group_by"] == "field"
    assert [r["label"] for r in body["rows"]] == ["Công chức, viên chức"]
    other = json.loads(run(*MARCH_ARGS, "--agency", world.stranger.agency.short_name))
    assert other["agency"] == world.stranger.agency.identifier and other["totals"]["received"] == 0


def test_a_standard_period_instead_of_dates(world, history, settings):
    settings.REPORT_CUTOFF_DAY = 1
    body = json.loads(run("--period", "month", "--year", "2026", "--number", "3"))
    assert (body["from"], body["to"]) == ("2026-03-01", "2026-03-31") and counts(body["totals"]) == EXPECTED_MARCH
    settings.REPORT_CUTOFF_DAY = 15
    body = json.loads(run("--period", "quarter", "--year", "2026", "--number", "1"))
    assert (body["from"], body["to"]) == ("2025-12-15", "2026-03-14")


def test_csv_goes_to_the_screen_with_its_totals_line(world, history):
    lines = list(csv.DictReader(io.StringIO(run(*MARCH_ARGS, "--format", "csv"))))
    assert {k: int(lines[-1][k]) for k in EXPECTED_MARCH} == EXPECTED_MARCH and lines[-1]["label"] == "Tổng cộng"


def test_excel_and_pdf_are_written_to_the_output_file(world, history, tmp_path):
    xlsx, pdf, csv_file = tmp_path / "bc.xlsx", tmp_path / "bc.pdf", tmp_path / "bc.csv"
    said = run(*MARCH_ARGS, "--agency", world.agency.identifier, "--format", "xlsx", "--output", str(xlsx))
    assert "Đã ghi báo cáo từ 01/03/2026 đến 31/03/2026" in said and str(xlsx) in said
    ws = load_workbook(xlsx).active
    assert ws["A1"].value == "Sở Nội vụ tỉnh Hà Giang" and ws["C8"].value == EXPECTED_MARCH["received"]
    run(*MARCH_ARGS, "--format", "pdf", "--output", str(pdf))
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "TẤT CẢ CƠ QUAN" in text and "THỦ TRƯỞNG CƠ QUAN" in text
    run(*MARCH_ARGS, "--format", "csv", "--output", str(csv_file))
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")  # the file keeps the BOM for Excel


@pytest.mark.parametrize(("args", "message"), [
    ([*MARCH_ARGS, "--format", "xlsx"], "Tệp xlsx cần --output"),
    ([*MARCH_ARGS, "--format", "pdf"], "Tệp pdf cần --output"),
    ([*MARCH_ARGS, "--format", "docx"], "Định dạng “docx” không có"),
    ([*MARCH_ARGS, "--group-by", "staff"], "Cách tổng hợp “staff” không có"),
    ([*MARCH_ARGS, "--agency", "KHONGCO"], "Không tìm thấy cơ quan “KHONGCO”"),
    (["--from", "2026-13-01", "--to", "2026-03-31"], "Ngày bắt đầu “2026-13-01” không hợp lệ"),
    (["--from", "2026-03-31", "--to", "2026-03-01"], "Ngày kết thúc không được trước ngày bắt đầu"),
    ([], "Cần chọn kỳ báo cáo"),
    ([*MARCH_ARGS, "--period", "month", "--year", "2026", "--number", "3"], "không chọn cả hai"),
    (["--period", "week", "--year", "2026", "--number", "1"], "Loại kỳ “week” không có"),
    (["--period", "year", "--year", "hai"], "“hai” không phải số nguyên"),
])
def test_bad_input_stops_with_a_vietnamese_message_and_writes_nothing(world, history, tmp_path, args, message):
    output = [] if "--output" in message else ["--output", str(tmp_path / "bc.json")]
    with pytest.raises(CommandError, match=message):
        run(*args, *output)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_output_is_a_clear_error(world, history, tmp_path):
    with pytest.raises(CommandError, match="Không ghi được tệp"):
        run(*MARCH_ARGS, "--format", "xlsx", "--output", str(tmp_path / "missing" / "bc.xlsx"))
