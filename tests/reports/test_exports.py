"""The resolution report as files: the Excel an officer corrects and prints, the signed PDF, the CSV another
program reads — each checked against the report it was made from, through the library that reads it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from pypdf import PdfReader

from motcua.reports import exports, periods, selectors
from tests.reports.conftest import EXPECTED_MARCH, MARCH

HEADER_ROW, LABEL_ROW, FIRST_ROW = 6, 7, 8
KEYS = [key for key, _label, _heading in selectors.COLUMNS]
COUNTS = selectors.COUNT_KEYS
SUM = re.compile(r"^=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)$")
RATE = re.compile(r'^=IF\(([A-Z]+\d+)=0,"",\(([A-Z]+\d+)\+([A-Z]+\d+)\)/([A-Z]+\d+)\)$')


@pytest.fixture
def march(world, history) -> selectors.Report:
    return selectors.resolution(period=periods.Period(*MARCH), agency=world.agency)


def column_of(key: str) -> int:
    return 3 + KEYS.index(key)


def sheet(report: selectors.Report):
    return load_workbook(io.BytesIO(exports.to_xlsx(report))).active


def evaluate(ws, formula: str) -> float | str:
    """The two formulas the export writes, computed from the cells they point at (LibreOffice is not
    installed here: this proves they reference the right cells)."""
    if match := SUM.match(formula):
        first, top, last, bottom = match.groups()
        assert first == last
        return sum(ws[f"{first}{row}"].value for row in range(int(top), int(bottom) + 1))
    match = RATE.match(formula)
    assert match, formula
    resolved, early, on_time, divisor = (value_of(ws, ref) for ref in match.groups())
    return "" if resolved == 0 else (early + on_time) / divisor


def value_of(ws, ref: str) -> float:
    value = ws[ref].value
    return evaluate(ws, value) if isinstance(value, str) and value.startswith("=") else value


# --------------------------------------------------------------------------------------------------------
# Excel


def test_the_workbook_carries_the_title_block_and_the_official_two_level_header(march):
    ws = sheet(march)
    assert ws.title == "Giải quyết TTHC"
    block = [ws.cell(row=r, column=1).value for r in range(1, 5)]
    assert block[0] == "Sở Nội vụ tỉnh Hà Giang"
    assert block[1] == "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    assert block[2] == "Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026"
    assert block[3] == "Tổng hợp theo thủ tục hành chính"
    assert [ws.cell(row=HEADER_ROW, column=c).value for c in (1, 2)] == ["STT", "Thủ tục hành chính"]
    assert [ws.cell(row=LABEL_ROW, column=column_of(k)).value for k in KEYS] == [
        str(label) for _key, label, _heading in selectors.COLUMNS]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A6:A7", "B6:B7", "C6:F6", "G6:J6", "K6:M6", "N6:Q6"} <= merged
    assert ws["C6"].value == "Số hồ sơ nhận giải quyết" and ws["G6"].value == "Số hồ sơ đã giải quyết"
    assert ws["K6"].value == "Số hồ sơ đang giải quyết"


def test_no_two_merged_ranges_overlap_so_the_file_opens_without_repair(march):
    ws = sheet(march)
    cells = [set(itertools.product(range(r.min_row, r.max_row + 1), range(r.min_col, r.max_col + 1)))
             for r in ws.merged_cells.ranges]
    for a, b in itertools.combinations(cells, 2):
        assert not a & b


def test_each_row_holds_the_reports_figures(march):
    ws = sheet(march)
    assert len(march.rows) == 2
    for index, row in enumerate(march.rows):
        line = FIRST_ROW + index
        assert ws.cell(row=line, column=1).value == index + 1
        assert ws.cell(row=line, column=2).value == row.label
        assert {k: ws.cell(row=line, column=column_of(k)).value for k in COUNTS} == {k: getattr(row, k)
                                                                                  for k in COUNTS}
        assert ws.cell(row=line, column=column_of("average_days")).value == row.average_days
        rate = value_of(ws, ws.cell(row=line, column=column_of("on_time_rate")).coordinate)
        assert rate == ("" if row.on_time_rate is None else pytest.approx(row.on_time_rate / 100, abs=5e-5))


def test_the_totals_are_sum_formulas_over_the_rows_that_add_up_to_the_report(march):
    ws = sheet(march)
    total = FIRST_ROW + len(march.rows)
    assert ws.cell(row=total, column=2).value == "Tổng cộng"
    for key in COUNTS:
        cell = ws.cell(row=total, column=column_of(key))
        match = SUM.match(cell.value)
        assert match, (key, cell.value)
        first, top, last, bottom = match.groups()
        assert column_index_from_string(first) == column_of(key) == column_index_from_string(last)
        assert (int(top), int(bottom)) == (FIRST_ROW, total - 1)
        assert evaluate(ws, cell.value) == getattr(march.totals, key)
        assert cell.number_format == "#,##0"
    rate = ws.cell(row=total, column=column_of("on_time_rate"))
    assert rate.number_format == "0.00%"
    assert value_of(ws, rate.coordinate) == pytest.approx(5 / 6)
    assert ws.cell(row=total, column=column_of("average_days")).value == march.totals.average_days
    assert {k: getattr(march.totals, k) for k in EXPECTED_MARCH} == EXPECTED_MARCH


def test_the_header_stays_on_screen_and_the_sheet_prints_landscape_one_page_wide(march):
    ws = sheet(march)
    assert ws.freeze_panes == "C8"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4 in the OOXML paper sizes
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$6:$7"
    assert ws.column_dimensions["B"].width >= 30


def test_an_agency_with_nothing_gets_zero_totals_not_a_formula_over_an_empty_range(world, history):
    empty = selectors.resolution(period=periods.Period(*MARCH), agency=world.stranger.agency)
    assert empty.rows == []
    ws = sheet(empty)
    assert ws.cell(row=FIRST_ROW, column=2).value == "Tổng cộng"
    assert [ws.cell(row=FIRST_ROW, column=column_of(k)).value for k in COUNTS] == [0] * len(COUNTS)
    assert value_of(ws, ws.cell(row=FIRST_ROW, column=column_of("on_time_rate")).coordinate) == ""


def test_every_agency_by_field_names_the_grouping_in_the_title_block(world, history):
    report = selectors.resolution(period=periods.Period(*MARCH), agency=None, group_by="field")
    ws = sheet(report)
    assert ws["A1"].value == "Tất cả cơ quan" and ws["A4"].value == "Tổng hợp theo lĩnh vực"
    assert ws["B6"].value == "Lĩnh vực" and ws["B8"].value == "Công chức, viên chức"
    assert value_of(ws, f"C{FIRST_ROW + 1}") == 10


# --------------------------------------------------------------------------------------------------------
# PDF


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_the_official_paper_a4_landscape_with_heading_table_and_signatures(march):
    reader, text = pdf_text(exports.to_pdf(march, prepared_by="Lê Minh Đạt"))
    page = reader.pages[0].mediabox
    assert float(page.width) > float(page.height)
    assert (round(float(page.width)), round(float(page.height))) == (842, 595)  # A4
    for expected in ("SỞ NỘI VỤ TỈNH HÀ GIANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
                     "Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026", "Số hồ sơ nhận giải quyết",
                     "Tổng cộng", "83,33", "NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", "THỦ TRƯỞNG CƠ QUAN",
                     "(Ký tên, đóng dấu)", "Lê Minh Đạt", "Hà Giang, ngày"):
        assert expected in text, expected
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged, as the printed forms


def test_the_pdf_totals_line_reads_the_reports_totals(march):
    html = exports.print_html(march)
    totals_row = html[html.index('class="totals"'):]
    figures = re.findall(r'<td class="number">([^<]*)</td>', totals_row)
    assert figures[:len(COUNTS)] == [str(getattr(march.totals, k)) for k in COUNTS]
    assert figures[len(COUNTS):] == ["83,33", f"{march.totals.average_days:.2f}".replace(".", ",")]


def test_the_pdf_for_every_agency_says_so_and_leaves_the_place_to_be_written(world, history):
    report = selectors.resolution(period=periods.Period(*MARCH), agency=None, group_by="agency")
    _reader, text = pdf_text(exports.to_pdf(report))
    assert "TẤT CẢ CƠ QUAN" in text and "Tổng hợp theo cơ quan" in text and "Sở Nội vụ tỉnh Hà Giang" in text


# --------------------------------------------------------------------------------------------------------
# CSV


def test_the_csv_has_a_bom_the_json_keys_and_a_totals_line_equal_to_the_report(march):
    content = exports.to_csv(march)
    assert content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert lines[0] == ["label", *KEYS, "rejected", "stopped"]
    assert len(lines) == 1 + len(march.rows) + 1
    assert lines[1][0] == march.rows[0].label == "SNV.TEST.01 — Bổ nhiệm ngạch công chức"
    totals = dict(zip(lines[0], lines[-1], strict=True))
    expected = march.totals.as_dict()
    assert totals == {k: "" if expected[k] is None else str(expected[k]) for k in lines[0]}
    assert {k: int(totals[k]) for k in EXPECTED_MARCH} == EXPECTED_MARCH
    assert lines[2][lines[0].index("on_time_rate")] == ""  # a procedure with nothing resolved has no rate


# --------------------------------------------------------------------------------------------------------
# Names


def test_the_file_name_says_what_agency_and_period_it_holds_in_plain_ascii(world, march):
    assert exports.filename(march, "xlsx") == "bao-cao-giai-quyet-tthc_SNV_2026-03-01_2026-03-31.xlsx"
    everyone = selectors.resolution(period=periods.Period(*MARCH), agency=None, group_by="field")
    assert exports.filename(everyone, "pdf") == \
        "bao-cao-giai-quyet-tthc_tat-ca-co-quan_theo-field_2026-03-01_2026-03-31.pdf"
    rendered = exports.render(march, "csv")
    assert rendered.content_type == "text/csv; charset=utf-8" and rendered.filename.endswith(".csv")


# --------------------------------------------------------------------------------------------------------
# The period a caller asks for


def test_a_date_range_and_a_standard_period_both_give_a_period():
    assert exports.requested_period(date_from="2026-03-01", date_to="2026-03-31") == periods.Period(*MARCH)
    assert exports.requested_period(kind="quarter", year=2026, number=1) == periods.Period(
        dt.date(2025, 12, 15), dt.date(2026, 3, 14))
    assert exports.requested_period(kind="month", year=2026, number=3, cutoff_day=1) == periods.Period(*MARCH)
    assert exports.requested_period(kind="year", year=2026, cutoff_day=1) == periods.Period(
        dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    ten_years = exports.requested_period(date_from="2016-01-01", date_to="2025-12-31")
    assert ten_years.days == 3653


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "Cần chọn kỳ báo cáo"),
    ({"date_from": "2026-03-01"}, "Thiếu ngày kết thúc"),
    ({"date_to": "2026-03-01"}, "Thiếu ngày bắt đầu"),
    ({"date_from": "2026-02-30", "date_to": "2026-03-31"}, "Ngày bắt đầu “2026-02-30” không hợp lệ"),
    ({"date_from": "01/03/2026", "date_to": "2026-03-31"}, "YYYY-MM-DD"),
    ({"date_from": "2026-03-31", "date_to": "2026-03-01"}, "Ngày kết thúc không được trước ngày bắt đầu"),
    ({"date_from": "2016-01-01", "date_to": "2026-01-01"}, "dài quá 10 năm"),
    ({"date_from": "2026-03-01", "date_to": "2026-03-31", "kind": "month"}, "không chọn cả hai"),
    ({"kind": "week", "year": 2026, "number": 1}, "Loại kỳ “week” không có"),
    ({"kind": "month", "number": 3}, "Cần năm"),
    ({"kind": "month", "year": 2026}, "Cần số thứ tự"),
    ({"kind": "quarter", "year": 2026, "number": 5}, "Kỳ số 5 không có"),
    ({"kind": "year", "year": 99999}, "Năm báo cáo 99999 không hợp lệ"),
])
def test_a_period_that_cannot_be_read_is_refused_in_vietnamese(kwargs, message):
    with pytest.raises(periods.PeriodError, match=re.escape(message)):
        exports.requested_period(**kwargs)
