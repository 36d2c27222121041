"""The catalogue workbook: what is written reads back as the same canonical document, and every mistake
a person makes in Excel is named once, by sheet, row and column, without spoiling the rest."""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Callable

import openpyxl
import pytest

from motcua.catalog import format as fmt
from motcua.catalog import xlsx

RAW = {
    "format": fmt.FORMAT,
    "fields": [{"code": "HT", "name": "Hộ tịch"}, {"code": "XD", "name": "Hoạt động xây dựng"}],
    "procedures": [
        {
            "code": "1.004946", "name": "Đăng ký khai sinh", "field": "HT", "resolving_agency": "000.00.12.H22",
            "resolved_by": ["communes"], "applicant_types": ["individual"], "result_type": "Giấy khai sinh",
            "channels": ["desk", "post", "online"], "online_level": "full", "status": "active",
            "versions": [
                {"number": 1, "effective_from": "2016-01-01", "time_limit": 1, "time_unit": "days",
                 "from_complete_dossier": True, "change_note": "",
                 "compliance": {"hours_learning": 1.5, "hours_preparing": 2, "visits": 2, "hours_per_visit": 1.25,
                                "other_costs": 20000, "applicants_per_year": 1200},
                 "documents": [
                     {"name": "Tờ khai đăng ký khai sinh", "copy_type": "original", "count": 1, "mandatory": True,
                      "condition": ""},
                     {"name": "Văn bản xác nhận của người làm chứng", "copy_type": "original", "count": 1,
                      "mandatory": False,
                      "condition": "Trường hợp không có giấy chứng sinh; Đương sự tự cam đoan"}],
                 "fees": [{"name": "Lệ phí đăng ký khai sinh đúng hạn", "amount": 0,
                           "legal_basis": "Thông tư 85/2019/TT-BTC"}],
                 "legal_bases": [{"number": "60/2014/QH13", "date": "2014-11-20", "issuer": "Quốc hội",
                                  "title": "Luật Hộ tịch"}],
                 "steps": [{"name": "Tiếp nhận, kiểm tra hồ sơ", "role": "desk_officer", "division": None,
                            "other_agency": None, "hours": 2},
                           {"name": "Thẩm định, trình ký", "role": "specialist", "division": "TP",
                            "other_agency": None, "hours": 6}]},
                {"number": 2, "effective_from": "2024-07-01", "time_limit": 4, "time_unit": "hours",
                 "from_complete_dossier": False, "change_note": "=Rút ngắn thời hạn\ntheo Đề án 30",
                 "compliance": {"hours_learning": 1, "hours_preparing": 1, "visits": 1, "hours_per_visit": 1.5,
                                "other_costs": 0, "applicants_per_year": 1300},
                 "documents": [{"name": "Tờ khai đăng ký khai sinh", "copy_type": "original", "count": 2,
                                "mandatory": True, "condition": ""}],
                 "fees": [],
                 "legal_bases": [{"number": "123/2015/NĐ-CP", "date": None, "issuer": "Chính phủ", "title": ""}],
                 "steps": [{"name": "Tiếp nhận và trả kết quả", "role": "desk_officer", "division": None,
                            "other_agency": None, "hours": 4}]},
            ],
        },
        {
            "code": "1.009994", "name": "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "field": "XD",
            "resolving_agency": "000.00.12.H22", "resolved_by": ["000.00.12.H22", "000.00.15.H22"],
            "applicant_types": ["individual", "organisation"], "result_type": "Giấy phép xây dựng",
            "channels": ["desk", "online"], "online_level": "partial", "status": "suspended",
            "versions": [
                {"number": 1, "effective_from": "2021-01-01", "time_limit": 15, "time_unit": "days",
                 "from_complete_dossier": True, "change_note": "Bản đầu",
                 "compliance": {"hours_learning": 4, "hours_preparing": 16, "visits": 3, "hours_per_visit": 2,
                                "other_costs": 500000, "applicants_per_year": 250},
                 "documents": [{"name": "Đơn đề nghị cấp giấy phép xây dựng", "copy_type": "original", "count": 1,
                                "mandatory": True, "condition": ""},
                               {"name": "Bản vẽ thiết kế", "copy_type": "certified_copy", "count": 2,
                                "mandatory": True, "condition": ""}],
                 "fees": [{"name": "Lệ phí cấp giấy phép xây dựng", "amount": 75000, "legal_basis": ""}],
                 "legal_bases": [{"number": "15/2021/NĐ-CP", "date": "2021-03-03", "issuer": "Chính phủ",
                                  "title": "Quy định chi tiết một số nội dung về quản lý dự án đầu tư xây dựng"}],
                 "steps": [{"name": "Tiếp nhận", "role": "desk_officer", "division": None, "other_agency": None,
                            "hours": 8},
                           {"name": "Lấy ý kiến Sở Xây dựng", "role": "specialist", "division": None,
                            "other_agency": "000.00.00.H22", "hours": 80},
                           {"name": "Thẩm định", "role": "specialist", "division": "QLĐT", "other_agency": None,
                            "hours": 24},
                           {"name": "Phê duyệt", "role": "agency_leader", "division": None, "other_agency": None,
                            "hours": 8}]},
                {"number": 3, "effective_from": "2025-01-01", "time_limit": 10, "time_unit": "days",
                 "from_complete_dossier": True, "change_note": "Đơn giản hóa",
                 "compliance": {"hours_learning": 2, "hours_preparing": 10, "visits": 1, "hours_per_visit": 2,
                                "other_costs": 100000, "applicants_per_year": 260},
                 "documents": [{"name": "Đơn đề nghị cấp giấy phép xây dựng", "copy_type": "original", "count": 1,
                                "mandatory": True, "condition": ""}],
                 "fees": [{"name": "Lệ phí cấp giấy phép xây dựng", "amount": 50000, "legal_basis": "Nghị quyết HĐND"}],
                 "legal_bases": [],
                 "steps": [{"name": "Tiếp nhận", "role": "desk_officer", "division": None, "other_agency": None,
                            "hours": 8},
                           {"name": "Thẩm định và phê duyệt", "role": "specialist", "division": "QLĐT",
                            "other_agency": None, "hours": 72}]},
            ],
        },
    ],
}


@pytest.fixture(scope="module")
def canonical() -> dict:
    doc, problems = fmt.check(copy.deepcopy(RAW))
    assert problems == []
    return doc


@pytest.fixture(scope="module")
def data(canonical) -> bytes:
    return xlsx.to_workbook(canonical)


def edited(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row_of(ws, *keys) -> int:
    """The row whose first cells are ``keys`` (e.g. procedure, version, order)."""
    for row in ws.iter_rows(min_row=2):
        if tuple(cell.value for cell in row[: len(keys)]) == keys:
            return row[0].row
    raise AssertionError(f"no row {keys}")


def column_of(ws, name: str) -> int:
    return next(cell.column for cell in ws[1] if cell.value == name)


def paths(problems) -> list[str]:
    return [p.path for p in problems]


# ------------------------------------------------------------------------------------------ round trip


def test_the_workbook_reads_back_as_the_same_canonical_document(canonical, data):
    raw, problems, _ = xlsx.from_workbook(data)
    assert problems == []
    again, found = fmt.check(raw)
    assert found == []
    assert again == canonical
    assert xlsx.check_workbook(data)[:2] == (canonical, [])


def test_a_workbook_written_from_its_own_reading_is_the_same_workbook_content(canonical, data):
    raw, _, _ = xlsx.from_workbook(data)
    again, _ = fmt.check(raw)
    assert xlsx.from_workbook(xlsx.to_workbook(again))[0] == raw


def test_the_workbook_opens_with_bold_frozen_headers_and_typed_cells(canonical, data):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["fields", "procedures", "documents", "fees", "legal_bases", "steps"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold for cell in ws[1])
        assert [cell.value for cell in ws[1]] == [name for name, _ in xlsx.SHEETS[ws.title]]
    procedures = wb["procedures"]
    header = [cell.value for cell in procedures[1]]
    first = {name: cell for name, cell in zip(header, procedures[2], strict=True)}
    assert first["code"].value == "1.004946" and first["code"].data_type == "s"
    assert first["resolved_by"].value == "communes"
    assert procedures.cell(row=4, column=header.index("resolved_by") + 1).value == "000.00.12.H22, 000.00.15.H22"
    assert first["applicant_types"].value == "individual"
    assert procedures.cell(row=3, column=header.index("channels") + 1).value == "desk, post, online"
    assert first["effective_from"].value == "2016-01-01" and first["effective_from"].data_type == "s"
    assert first["from_complete_dossier"].value is True and first["from_complete_dossier"].data_type == "b"
    assert first["time_limit"].value == 1 and first["time_limit"].data_type == "n"
    assert first["hours_learning"].value == 1.5
    note = procedures.cell(row=3, column=header.index("change_note") + 1)
    assert note.value == "=Rút ngắn thời hạn\ntheo Đề án 30" and note.data_type == "s"  # text, never a formula
    assert wb["fees"].cell(row=2, column=5).value == 0  # a 0 fee is a number, not an empty cell
    assert procedures.column_dimensions["B"].width >= 40  # the names are readable without widening
    assert procedures.column_dimensions["A"].width >= 10


def test_the_raw_file_has_no_formula_and_no_shared_formula(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert not any("<f>" in sheet or "<f " in sheet for sheet in sheets)


def test_columns_may_be_put_in_any_order(canonical, data):
    def reverse_fees(wb):
        ws = wb["fees"]
        rows = [[cell.value for cell in row] for row in ws.iter_rows()]
        wb.remove(ws)
        new = wb.create_sheet("fees")
        for row in rows:
            new.append(list(reversed(row)))

    assert xlsx.check_workbook(edited(data, reverse_fees))[:2] == (canonical, [])


def test_a_procedure_without_versions_keeps_its_row_and_is_refused_by_the_check(canonical):
    doc = copy.deepcopy(canonical)
    doc["procedures"][1]["versions"] = []
    _, problems, _ = xlsx.check_workbook(xlsx.to_workbook(doc))
    assert [str(p) for p in problems] == ["sheet procedures, dòng 4: cần ít nhất một phiên bản"]


# ------------------------------------------------------------------------------------------ conversions


def test_what_people_type_in_excel_is_understood(canonical, data):
    def typed(wb):
        procedures = wb["procedures"]
        col = {name: column_of(procedures, name) for name in ("time_limit", "effective_from", "hours_learning",
                                                             "from_complete_dossier", "other_costs")}
        procedures.cell(row=2, column=col["time_limit"]).value = 1.0  # a float from a formula
        procedures.cell(row=2, column=col["effective_from"]).value = dt.datetime(2016, 1, 1)  # a date cell
        procedures.cell(row=3, column=col["effective_from"]).value = "01/07/2024"  # dd/mm/yyyy
        procedures.cell(row=2, column=col["hours_learning"]).value = "1,5"  # Vietnamese decimal comma
        procedures.cell(row=2, column=col["from_complete_dossier"]).value = "có"
        procedures.cell(row=3, column=col["from_complete_dossier"]).value = "Không"
        procedures.cell(row=4, column=col["from_complete_dossier"]).value = "TRUE"
        procedures.cell(row=4, column=col["other_costs"]).value = "500.000"  # thousands with dots
        documents = wb["documents"]
        documents.cell(row=row_of(documents, "1.004946", 1, 2), column=7).value = "FALSE"
        fees = wb["fees"]
        fees.cell(row=row_of(fees, "1.009994", 1, 1), column=5).value = "75 000"
        fields = wb["fields"]
        fields.append([123, "Lĩnh vực có mã là số"])  # a code typed as a number is still a code

    doc, problems, _ = xlsx.check_workbook(edited(data, typed))
    assert problems == []
    expected = copy.deepcopy(canonical)
    expected["fields"].append({"code": "123", "name": "Lĩnh vực có mã là số"})
    assert doc == expected


def test_empty_optional_cells_take_the_format_defaults(canonical, data):
    def emptied(wb):
        documents = wb["documents"]
        documents.cell(row=2, column=6).value = None  # count → 1
        documents.cell(row=2, column=7).value = None  # mandatory → true
        procedures = wb["procedures"]
        procedures.cell(row=2, column=column_of(procedures, "from_complete_dossier")).value = None  # → true
        procedures.cell(row=2, column=column_of(procedures, "status")).value = None
        procedures.cell(row=3, column=column_of(procedures, "status")).value = None  # → active

    doc, problems, _ = xlsx.check_workbook(edited(data, emptied))
    assert problems == []
    assert doc == canonical


def test_a_word_that_is_not_yes_or_no_is_named_at_its_cell(data):
    def maybe(wb):
        wb["documents"]["G2"] = "có thể"

    _, problems, _ = xlsx.check_workbook(edited(data, maybe))
    assert [str(p) for p in problems] == [
        "sheet documents, dòng 2, cột G (mandatory): “có thể” không phải là đúng/sai (dùng TRUE/FALSE hoặc có/không)",
        # format.check goes on as if the document were optional, and an optional one needs its condition
        "sheet documents, dòng 2, cột H (condition): giấy tờ không bắt buộc phải ghi rõ điều kiện"]


def test_a_formula_is_never_evaluated(data):
    def formula(wb):
        wb["steps"]["H2"] = "=1+1"  # openpyxl saves no cached value: Excel's reader sees nothing

    raw, problems, _ = xlsx.from_workbook(edited(data, formula))
    assert problems == []
    assert raw["procedures"][0]["versions"][0]["steps"][0]["hours"] is None
    _, found, _ = xlsx.check_workbook(edited(data, formula))
    assert [str(p) for p in found] == ["sheet steps, dòng 2, cột H (hours): thiếu giá trị bắt buộc"]


# ------------------------------------------------------------------------------------------ mistakes


def test_a_missing_column_is_named_once_and_the_rest_is_read(data):
    def drop_role(wb):
        ws = wb["steps"]
        ws.delete_cols(column_of(ws, "role"))

    raw, problems, _ = xlsx.from_workbook(edited(data, drop_role))
    assert [str(p) for p in problems] == ["sheet steps, dòng 1: thiếu cột: role"]
    steps = raw["procedures"][1]["versions"][0]["steps"]
    assert [s["hours"] for s in steps] == [8, 80, 24, 8]
    assert steps[1]["other_agency"] == "000.00.00.H22"
    _, found, _ = xlsx.check_workbook(edited(data, drop_role))
    assert [str(p) for p in found] == ["sheet steps, dòng 1: thiếu cột: role"]  # not once per step


def test_an_unknown_column_is_named_at_its_header_and_ignored(canonical, data):
    def note(wb):
        ws = wb["fees"]
        ws["G1"] = "ghi_chu"
        ws["G2"] = "xem lại"

    doc, problems, _ = xlsx.check_workbook(edited(data, note))
    assert [str(p) for p in problems] == [
        "sheet fees, dòng 1, cột G (ghi_chu): cột “ghi_chu” không được biết đến; "
        "các cột của sheet fees: procedure, version, order, name, amount, legal_basis"]
    assert doc == canonical


def test_a_header_in_other_case_is_accepted_but_a_repeated_column_is_not(canonical, data):
    def headers(wb):
        ws = wb["legal_bases"]
        ws["D1"] = " Number "
        ws["H1"] = "title"

    doc, problems, _ = xlsx.check_workbook(edited(data, headers))
    assert [str(p) for p in problems] == [
        "sheet legal_bases, dòng 1, cột H (title): cột title bị lặp lại (đã có ở cột G)"]
    assert doc == canonical


def test_text_in_the_hours_column_is_named_once_at_its_cell(data):
    def text(wb):
        wb["steps"]["H2"] = "abc"

    raw, problems, _ = xlsx.from_workbook(edited(data, text))
    assert [str(p) for p in problems] == ["sheet steps, dòng 2, cột H (hours): “abc” không phải là số nguyên"]
    _, found, _ = xlsx.check_workbook(edited(data, text))
    # neither format.check's own complaint about the cell nor the total of the steps is repeated
    assert [str(p) for p in found] == ["sheet steps, dòng 2, cột H (hours): “abc” không phải là số nguyên"]
    assert raw["procedures"][1]["versions"][0]["steps"][0]["hours"] == 8  # the other procedure is untouched


def test_a_fractional_hour_count_is_named_at_its_cell(data):
    def fraction(wb):
        wb["steps"]["H2"] = 1.5

    _, problems, _ = xlsx.from_workbook(edited(data, fraction))
    assert [str(p) for p in problems] == ["sheet steps, dòng 2, cột H (hours): “1.5” không phải là số nguyên"]


def test_an_orphan_step_is_named_and_left_out(canonical, data):
    def orphans(wb):
        ws = wb["steps"]
        ws.append(["9.999999", 1, 1, "Bước lạ", "specialist", None, None, 8])
        ws.append(["1.004946", 7, 1, "Bước của phiên bản không có", "specialist", None, None, 8])

    doc, problems, _ = xlsx.check_workbook(edited(data, orphans))
    assert [str(p) for p in problems] == [
        "sheet steps, dòng 11, cột A (procedure): không có dòng nào trong sheet procedures cho thủ tục 9.999999 "
        "phiên bản 1",
        "sheet steps, dòng 12, cột B (version): không có dòng nào trong sheet procedures cho thủ tục 1.004946 "
        "phiên bản 7"]
    assert doc == canonical


def test_a_repeated_procedure_version_row_is_named_and_the_first_kept(canonical, data):
    def repeat(wb):
        ws = wb["procedures"]
        row = [cell.value for cell in ws[2]]
        row[column_of(ws, "time_limit") - 1] = 99
        ws.append(row)

    doc, problems, _ = xlsx.check_workbook(edited(data, repeat))
    assert [str(p) for p in problems] == [
        "sheet procedures, dòng 6, cột K (version): thủ tục 1.004946 phiên bản 1 đã có ở dòng 2"]
    assert doc == canonical


def test_a_repeated_order_number_is_named(canonical, data):
    def repeat(wb):
        wb["documents"].append(["1.009994", 1, 2, "Bản vẽ khác", "copy", 1, True, None])

    doc, problems, _ = xlsx.check_workbook(edited(data, repeat))
    assert [str(p) for p in problems] == [
        "sheet documents, dòng 8, cột C (order): số thứ tự 2 của thủ tục 1.009994 phiên bản 1 đã có ở dòng 6"]
    assert doc == canonical


def test_children_are_ordered_by_their_order_column_not_their_row(canonical, data):
    def shuffle(wb):
        ws = wb["steps"]
        rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=2)]
        ws.delete_rows(2, len(rows))
        for row in reversed(rows):
            ws.append(row)

    assert xlsx.check_workbook(edited(data, shuffle))[:2] == (canonical, [])


def test_procedure_columns_that_disagree_between_version_rows_are_named(data):
    def rename(wb):
        wb["procedures"]["B3"] = "Đăng ký khai sinh (tên khác)"

    _, problems, _ = xlsx.check_workbook(edited(data, rename))
    assert [str(p) for p in problems] == [
        "sheet procedures, dòng 3, cột B (name): khác với dòng 2 của cùng thủ tục 1.004946 "
        "(“Đăng ký khai sinh” ≠ “Đăng ký khai sinh (tên khác)”); "
        "các cột của thủ tục phải giống nhau trên mọi dòng phiên bản"]


def test_a_missing_sheet_is_named_and_the_other_sheets_are_read(canonical, data):
    def drop(wb):
        wb.remove(wb["legal_bases"])

    doc, problems, _ = xlsx.check_workbook(edited(data, drop))
    assert [str(p) for p in problems] == [
        "sheet legal_bases: bảng tính thiếu sheet “legal_bases” "
        "(cần đủ các sheet: fields, procedures, documents, fees, legal_bases, steps)"]
    expected = copy.deepcopy(canonical)
    for procedure in expected["procedures"]:
        for version in procedure["versions"]:
            version["legal_bases"] = []
    assert doc == expected


def test_a_missing_procedures_sheet_does_not_turn_every_other_row_into_an_orphan(data):
    def drop(wb):
        wb.remove(wb["procedures"])

    doc, problems, _ = xlsx.check_workbook(edited(data, drop))
    assert paths(problems) == ["sheet procedures"]
    assert doc["procedures"] == [] and len(doc["fields"]) == 2


@pytest.mark.parametrize(("content", "message"), [
    (b"code,name\nHT,H\xe1\xbb\x99 t\xe1\xbb\x8bch\n",
     "không phải là tệp Excel .xlsx (không đọc được dạng nén zip của tệp)"),
    (b"", "không phải là tệp Excel .xlsx (không đọc được dạng nén zip của tệp)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
     "đây là tệp Excel 97–2003 (.xls); hãy lưu lại dưới dạng .xlsx rồi tải lên"),
])
def test_a_file_that_is_not_an_xlsx_is_refused_with_one_problem(content, message):
    doc, problems, locate = xlsx.from_workbook(content)
    assert [(p.path, p.message) for p in problems] == [("tệp", message)]
    assert doc == {"format": fmt.FORMAT, "fields": [], "procedures": []}
    assert locate("procedures[0].code") == "procedures[0].code"
    assert xlsx.check_workbook(content)[1] == problems


def test_a_zip_that_is_not_a_workbook_or_is_damaged_is_refused():
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    _, problems, _ = xlsx.from_workbook(ods.getvalue())
    assert [str(p) for p in problems] == [
        "tệp: không phải là tệp Excel .xlsx (có vẻ là tệp OpenDocument .ods; hãy lưu dưới dạng .xlsx)"]

    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "not xml at all")
    _, problems, _ = xlsx.from_workbook(damaged.getvalue())
    assert len(problems) == 1 and problems[0].path == "tệp"
    assert problems[0].message.startswith("tệp Excel bị hỏng, không mở được")


def test_a_zip_bomb_is_refused_before_it_is_opened(data):
    _, problems, _ = xlsx.from_workbook(data, max_uncompressed=1000)
    assert len(problems) == 1 and problems[0].message.startswith("tệp giải nén ra quá lớn")


def test_a_sheet_with_too_many_rows_refuses_the_workbook(data):
    doc, problems, _ = xlsx.from_workbook(data, max_rows=5)
    assert [str(p) for p in problems] == ["sheet documents: có hơn 5 dòng dữ liệu; bảng tính bị từ chối"]
    assert doc["procedures"] == []
    assert xlsx.from_workbook(data, max_rows=9)[1] == []  # steps has exactly 9 rows


# ------------------------------------------------------------------------------------------ format.check's problems


def test_step_hours_that_do_not_add_up_are_placed_on_the_steps_sheet(data):
    def wrong(wb):
        ws = wb["steps"]
        ws.cell(row=row_of(ws, "1.009994", 1, 3), column=8).value = 25

    _, problems, _ = xlsx.check_workbook(edited(data, wrong))
    assert [str(p) for p in problems] == [
        "sheet steps, dòng 5–8: tổng thời gian các bước là 121 giờ làm việc, phải bằng đúng thời hạn giải quyết "
        "120 giờ (15 ngày × 8 giờ)"]


def test_the_locator_maps_format_paths_to_cells(data):
    _, _, locate = xlsx.from_workbook(data)
    assert locate("procedures[1].versions[0].steps[2].hours") == "sheet steps, dòng 7, cột H (hours)"
    assert locate("procedures[1].versions[0].steps[2]") == "sheet steps, dòng 7"
    assert locate("procedures[0].versions[1].compliance.visits") == "sheet procedures, dòng 3, cột S (visits)"
    assert locate("procedures[0].versions[1].number") == "sheet procedures, dòng 3, cột K (version)"
    assert locate("procedures[0].channels[2]") == "sheet procedures, dòng 2, cột H (channels)"
    assert locate("procedures[1].versions") == "sheet procedures, dòng 4–5"
    assert locate("procedures[0].versions[1].documents[0].copy_type") == "sheet documents, dòng 4, cột E (copy_type)"
    assert locate("procedures[1].versions[1].legal_bases") == (
        "sheet legal_bases (chưa có dòng nào cho thủ tục 1.009994 phiên bản 3; xem sheet procedures, dòng 5)")
    assert locate("fields[1].code") == "sheet fields, dòng 3, cột A (code)"
    assert locate("fields") == "sheet fields"
    assert locate("nowhere.at.all") == "nowhere.at.all"


def test_value_problems_are_format_checks_and_placed_at_their_cells(data):
    def values(wb):
        wb["documents"]["E2"] = "bản gốc"
        procedures = wb["procedures"]
        procedures.cell(row=4, column=column_of(procedures, "online_level")).value = "một phần"
        procedures.cell(row=5, column=column_of(procedures, "online_level")).value = "một phần"
        procedures.cell(row=5, column=column_of(procedures, "effective_from")).value = "2025-02-30"

    _, problems, _ = xlsx.check_workbook(edited(data, values))
    assert [str(p) for p in problems] == [
        "sheet documents, dòng 2, cột E (copy_type): phải là một trong: original, copy, certified_copy",
        "sheet procedures, dòng 4, cột I (online_level): phải là một trong: full, partial, none",
        "sheet procedures, dòng 5, cột L (effective_from): phải là ngày dạng YYYY-MM-DD",
    ]
