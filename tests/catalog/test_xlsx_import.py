"""Excel through the real import: a workbook exported from the catalogue imports back unchanged, and a
broken workbook is refused whole with sheet, row and column."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import call_command

from motcua.catalog import services, xlsx
from motcua.catalog.models import Procedure
from motcua.core.errors import DomainError
from tests.catalog.conftest import as_bytes, document, procedure


@pytest.fixture
def catalogue(department):
    services.import_catalog(actor=None, data=as_bytes(document(procedure(), procedure(code="1.2", name="Đổi tên hội"))))


def test_an_exported_workbook_imports_back_with_nothing_changed(catalogue, tmp_path, capsys):
    path = tmp_path / "danh-muc.xlsx"
    call_command("catalog", "export", "--format", "xlsx", "--output", str(path))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:6] == ["fields", "procedures", "documents", "fees", "legal_bases", "steps"]
    assert book["procedures"].freeze_panes == "A2"
    result = services.import_catalog(actor=None, data=path.read_bytes(), filename=path.name)
    assert result == services.ImportResult(0, 0, 0, 2)
    assert xlsx.from_workbook(path.read_bytes())[0]["procedures"][0]["code"] == "1.005384"


def _broken(catalogue_doc: dict, edit) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(xlsx.to_workbook(catalogue_doc)))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_wrong_cell_is_named_by_sheet_row_and_column_and_nothing_is_written(department):
    doc = document(procedure(code="7.1", name="Thủ tục mới"))

    def bad_hours(book):
        book["steps"]["H3"] = "bốn"

    with pytest.raises(DomainError) as exc:
        services.import_catalog(actor=None, data=_broken(doc, bad_hours), filename="x.xlsx")
    assert any("sheet steps, dòng 3, cột H" in p for p in exc.value.details["problems"])
    assert not Procedure.objects.exists()


def test_a_missing_column_is_refused(department):
    doc = document(procedure(code="7.1"))

    def drop_name(book):
        book["procedures"].delete_cols(2)

    with pytest.raises(DomainError) as exc:
        services.import_catalog(actor=None, data=_broken(doc, drop_name), filename="x.xlsx")
    assert any("name" in p and "procedures" in p for p in exc.value.details["problems"])


def test_step_shares_in_a_workbook_are_checked_too(department):
    doc = document(procedure(code="7.1"))

    def shorter_step(book):
        book["steps"]["H2"] = 4

    with pytest.raises(DomainError) as exc:
        services.import_catalog(actor=None, data=_broken(doc, shorter_step), filename="x.xlsx")
    assert any("sheet steps" in p and "phải bằng đúng thời hạn" in p for p in exc.value.details["problems"])


def test_a_file_that_is_not_a_workbook_is_refused(department):
    with pytest.raises(DomainError):
        services.import_catalog(actor=None, data=b"PK\x03\x04 not really a zip", filename="x.xlsx")
