"""The catalogue as an Excel workbook (pure: openpyxl, no Django): the canonical document of
``catalog.format`` written to six sheets and read back without loss.

Sheets (the first row of each is the header, named by the codes below; columns may be reordered)::

    fields       code, name
    procedures   one row per (procedure, version): the procedure's columns (repeated on each of its
                 version rows, and they must agree), then the version's columns; ``resolved_by`` holds
                 the resolving agencies' identifiers separated by commas, or ``communes``
    documents    procedure, version, order, name, copy_type, count, mandatory, condition
    fees         procedure, version, order, name, amount, legal_basis
    legal_bases  procedure, version, order, number, date, issuer, title
    steps        procedure, version, order, name, role, division, other_agency, hours

Written values: whole numbers and amounts as numbers, booleans as Excel TRUE/FALSE, dates as ISO text
"YYYY-MM-DD" (text keeps the round trip exact), lists as comma-separated text, empty/None as an empty cell.

Reading does the conversions only a spreadsheet needs (10.0 → 10, "có"/"không" → true/false, "1.000.000"
→ 1000000, a date cell → "YYYY-MM-DD", "27/11/2020" → "2020-11-27", a number in a text column → text)
and reports the structural problems (a missing sheet or column, an unknown column, an orphan or duplicate
row, a cell that is not of its column's basic type) with sheet, row and column. Everything else — ranges,
choices, required values, the step hours adding up — is ``format.check``'s; the locator that
``from_workbook`` returns turns its paths into sheet, row and column. ``check_workbook`` does both and
merges the two lists.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from motcua.catalog import format as fmt
from motcua.catalog.format import Problem

MAX_ROWS = 200_000
MAX_UNCOMPRESSED = 256 * 1024 * 1024  # a zip that inflates beyond this is refused before openpyxl reads it

TEXT, INT, NUMBER, BOOL, DATE, LIST = "text", "int", "number", "bool", "date", "list"

PROCEDURE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", TEXT), ("name", TEXT), ("field", TEXT), ("resolving_agency", TEXT), ("resolved_by", LIST),
    ("applicant_types", LIST), ("result_type", TEXT), ("channels", LIST), ("online_level", TEXT),
    ("status", TEXT))
VERSION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("version", INT), ("effective_from", DATE), ("time_limit", INT), ("time_unit", TEXT),
    ("from_complete_dossier", BOOL), ("change_note", TEXT), ("hours_learning", NUMBER),
    ("hours_preparing", NUMBER), ("visits", INT), ("hours_per_visit", NUMBER), ("other_costs", INT),
    ("applicants_per_year", INT))
KEY_COLUMNS: tuple[tuple[str, str], ...] = (("procedure", TEXT), ("version", INT), ("order", INT))
CHILD_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "documents": (("name", TEXT), ("copy_type", TEXT), ("count", INT), ("mandatory", BOOL), ("condition", TEXT)),
    "fees": (("name", TEXT), ("amount", INT), ("legal_basis", TEXT)),
    "legal_bases": (("number", TEXT), ("date", DATE), ("issuer", TEXT), ("title", TEXT)),
    "steps": (("name", TEXT), ("role", TEXT), ("division", TEXT), ("other_agency", TEXT), ("hours", INT)),
}
SHEETS: dict[str, tuple[tuple[str, str], ...]] = {
    "fields": (("code", TEXT), ("name", TEXT)),
    "procedures": PROCEDURE_COLUMNS + VERSION_COLUMNS,
    **{name: KEY_COLUMNS + columns for name, columns in CHILD_COLUMNS.items()},
}
# Sheets whose rows cannot be placed at all without these columns.
STRUCTURAL = {"fields": ("code",), "procedures": ("code", "version"),
              **{name: ("procedure", "version", "order") for name in CHILD_COLUMNS}}
# Columns a workbook may lack (made before they existed), and old columns that are read past: a workbook of the
# one-agency catalogue (a ``receiving_agency`` column, no ``resolved_by``) still imports, as JSON files do.
OPTIONAL = {"procedures": ("resolved_by",)}
IGNORED = {"procedures": ("receiving_agency",)}
# An empty cell leaves the key out of the raw document, so that format.check applies its default.
DEFAULTED = {"from_complete_dossier", "count", "mandatory", "amount"}

TRUE_WORDS = {"true", "có", "co", "đúng", "x", "yes", "1"}
FALSE_WORDS = {"false", "không", "khong", "sai", "no", "0"}
VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
INTEGER = re.compile(r"^[+-]?\d+$")
STEP_HOURS = re.compile(r"\.steps\[\d+\]\.hours$")
GROUPED = re.compile(r"^[+-]?\d{1,3}([. ]\d{3})+$")  # Vietnamese thousands: 1.000.000 or 1 000 000


# --------------------------------------------------------------------------------------------- writing


def to_workbook(doc: dict) -> bytes:
    """The document (canonical, or at least canonical-shaped) as .xlsx bytes."""
    wb = Workbook(write_only=True)
    wb.properties.creator = "motcua"
    rows: dict[str, list[list[Any]]] = {name: [] for name in SHEETS}
    for f in doc.get("fields") or []:
        rows["fields"].append([f.get("code"), f.get("name")])
    for p in doc.get("procedures") or []:
        head = [p.get(key) for key, _ in PROCEDURE_COLUMNS]
        for version in p.get("versions") or [None]:
            if version is None:  # a procedure without versions still gets its row
                rows["procedures"].append(head + [None] * len(VERSION_COLUMNS))
                continue
            compliance = version.get("compliance") or {}
            rows["procedures"].append([
                *head, version.get("number"), version.get("effective_from"), version.get("time_limit"),
                version.get("time_unit"), version.get("from_complete_dossier"), version.get("change_note"),
                *(compliance.get(key) for key in fmt.COMPLIANCE_KEYS)])
            for sheet, columns in CHILD_COLUMNS.items():
                for order, item in enumerate(version.get(sheet) or [], start=1):
                    rows[sheet].append([p.get("code"), version.get("number"), order,
                                        *(item.get(key) for key, _ in columns)])
    for name, columns in SHEETS.items():
        _write_sheet(wb.create_sheet(name), columns, rows[name])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_sheet(ws, columns: tuple[tuple[str, str], ...], rows: list[list[Any]]) -> None:
    """Write-only (streamed): sizes, panes and filter first, then the rows."""
    values = [[_cell_value(raw) for raw in row] for row in rows]
    widths = [len(name) for name, _ in columns]
    for row in values:
        for col, value in enumerate(row):
            if value is not None:
                text = value if isinstance(value, str) else str(value)
                widths[col] = max(widths[col], max(len(line) for line in text.split("\n")))
    for col, (_, kind) in enumerate(columns, start=1):
        dimension = ws.column_dimensions[get_column_letter(col)]
        if kind in (TEXT, DATE, LIST):
            dimension.number_format = "@"  # new rows typed by hand stay text as well
        # Vietnamese letters with stacked marks (ệ, ở) are a little wider than the default font's digits.
        dimension.width = min(60, max(10 if kind == DATE else 8, round(widths[col - 1] * 1.15) + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    bold = Font(bold=True)
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in values:
        ws.append([_text_cell(ws, value) if isinstance(value, str) else value for value in row])


def _text_cell(ws, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # never a formula, even for text that starts with "="
    cell.number_format = "@"
    return cell


def _cell_value(value: Any) -> Any:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters cannot be stored in a cell


# --------------------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Cell:
    sheet: str
    row: int
    column: int | None = None  # 1-based; None for a whole row, or a column the sheet lacks
    name: str = ""

    def __str__(self) -> str:
        if self.column is None and not self.name:
            return f"sheet {self.sheet}, dòng {self.row}"
        if self.column is None:
            return f"sheet {self.sheet}, dòng {self.row}, cột {self.name} (sheet không có cột này)"
        return f"sheet {self.sheet}, dòng {self.row}, cột {get_column_letter(self.column)} ({self.name})"


@dataclass
class Locator:
    """Maps a ``format.check`` path to the place in the workbook it came from; a path it does not know
    is answered by its nearest known parent, and a path with no known parent is returned unchanged."""

    places: dict[str, str] = field(default_factory=dict)
    flagged: set[str] = field(default_factory=set)  # places the reader has already reported, or cannot show

    def __call__(self, path: str) -> str:
        probe = path
        while probe:
            if probe in self.places:
                return self.places[probe]
            probe = re.sub(r"(\[\d+\]|\.[^.\[\]]+|^[^.\[\]]+)$", "", probe)
        return path


class _Refused(Exception):
    """The workbook as a whole cannot be read; the problem is already recorded."""


@dataclass
class _Row:
    sheet: str
    number: int
    columns: dict[str, int]  # column name → 1-based index, for the columns this sheet has
    values: dict[str, Any]  # column name → raw cell value

    def cell(self, name: str) -> _Cell:
        return _Cell(self.sheet, self.number, self.columns.get(name), name)

    def place(self) -> _Cell:
        return _Cell(self.sheet, self.number)


class _Bad(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


def from_workbook(data: bytes, *, max_rows: int = MAX_ROWS,
                  max_uncompressed: int = MAX_UNCOMPRESSED) -> tuple[dict, list[Problem], Callable[[str], str]]:
    """The raw document (to pass to ``format.check``), the structural problems found while reading (each
    ``Problem.path`` is a place such as "sheet steps, dòng 15, cột H (hours)"), and the locator that maps a
    ``format.check`` path to such a place. Formulas are never evaluated: a formula cell gives the value Excel
    saved with it, or nothing."""
    reader = _Reader(max_rows)
    doc = {"format": fmt.FORMAT, "fields": [], "procedures": []}
    try:
        wb = reader.open(data, max_uncompressed)
        try:
            doc = reader.read(wb)
        finally:
            wb.close()
    except _Refused:
        pass
    return doc, reader.problems, reader.locator


def check_workbook(data: bytes, *, max_rows: int = MAX_ROWS) -> tuple[dict, list[Problem], Locator]:
    """``from_workbook`` then ``format.check``: the canonical document and every problem, each placed in the
    workbook. A ``format.check`` problem at a cell the reader has already reported (or in a column the sheet
    lacks) is left out, so each mistake is named once. Write nothing unless the list is empty."""
    raw, problems, locate = from_workbook(data, max_rows=max_rows)
    canonical, found = fmt.check(raw)
    flagged = set(getattr(locate, "flagged", set())) | {p.path for p in problems}
    places = getattr(locate, "places", {})
    # A step whose hours are already named makes its version's total wrong too: do not say so twice.
    bad_hours = [path for path, place in places.items() if place in flagged] + [p.path for p in found]
    totals = {STEP_HOURS.sub(".steps", path) for path in bad_hours if STEP_HOURS.search(path)}
    out = list(problems)
    for problem in found:
        place = locate(problem.path)
        if place in flagged or problem.path in totals:
            continue
        out.append(Problem(place, problem.message))
    return canonical, out, locate


class _Reader:
    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self.problems: list[Problem] = []
        self.locator = Locator()

    # -- plumbing

    def add(self, where: _Cell | str, message: str) -> None:
        place = str(where)
        self.problems.append(Problem(place, message))
        if isinstance(where, _Cell) and where.column is not None:
            self.locator.flagged.add(place)

    def place(self, path: str, where: _Cell | str) -> None:
        self.locator.places[path] = str(where)
        if isinstance(where, _Cell) and where.column is None and where.name:
            self.locator.flagged.add(str(where))  # the column is missing: already reported once for the sheet

    def open(self, data: bytes, max_uncompressed: int):
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            self.add("tệp", "đây là tệp Excel 97–2003 (.xls); hãy lưu lại dưới dạng .xlsx rồi tải lên")
            raise _Refused
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                size = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            self.add("tệp", "không phải là tệp Excel .xlsx (không đọc được dạng nén zip của tệp)")
            raise _Refused from exc
        if "xl/workbook.xml" not in names:
            hint = " (có vẻ là tệp OpenDocument .ods; hãy lưu dưới dạng .xlsx)" if "content.xml" in names else ""
            self.add("tệp", f"không phải là tệp Excel .xlsx{hint}")
            raise _Refused
        if size > max_uncompressed:
            self.add("tệp", f"tệp giải nén ra quá lớn ({_grouped(size)} byte, tối đa {_grouped(max_uncompressed)})")
            raise _Refused
        try:
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            self.add("tệp", f"tệp Excel bị hỏng, không mở được ({type(exc).__name__})")
            raise _Refused from exc

    def rows(self, ws, sheet: str, **kwargs) -> Iterator[tuple]:
        try:
            yield from ws.iter_rows(values_only=True, **kwargs)
        except Exception as exc:  # a damaged sheet is only parsed while it is read
            self.add(f"sheet {sheet}", f"sheet bị hỏng, không đọc được ({type(exc).__name__})")
            raise _Refused from exc

    def sheet(self, wb, sheet: str) -> tuple[list[_Row], set[str]] | None:
        """The sheet's non-empty data rows and the columns it lacks; None when its rows cannot be placed."""
        columns = SHEETS[sheet]
        expected = [name for name, _ in columns]
        actual = {name.strip().casefold(): name for name in wb.sheetnames}
        if sheet not in actual:
            self.add(f"sheet {sheet}", f"bảng tính thiếu sheet “{sheet}” (cần đủ các sheet: {', '.join(SHEETS)})")
            return None
        ws = wb[actual[sheet]]
        if not hasattr(ws, "iter_rows"):  # a chart sheet
            self.add(f"sheet {sheet}", "đây không phải là một sheet dữ liệu")
            return None
        if ws.max_row and ws.max_row - 1 > self.max_rows:
            self._too_many(sheet)
        ws.reset_dimensions()  # the size a file declares may be wrong: read what is there
        header = next(self.rows(ws, sheet, max_row=1), ())
        found: dict[str, int] = {}
        for col, title in enumerate(header, start=1):
            name = _text(title)
            if not name:
                continue
            key = name.strip().casefold()
            where = _Cell(sheet, 1, col, name)
            if key in IGNORED.get(sheet, ()):
                continue
            if key not in expected:
                self.add(where, f"cột “{name}” không được biết đến; các cột của sheet {sheet}: {', '.join(expected)}")
            elif key in found:
                self.add(where, f"cột {key} bị lặp lại (đã có ở cột {get_column_letter(found[key])})")
            else:
                found[key] = col
        absent = [name for name in expected if name not in found]
        missing = [name for name in absent if name not in OPTIONAL.get(sheet, ())]
        if missing:
            self.add(f"sheet {sheet}, dòng 1", f"thiếu cột: {', '.join(missing)}")
            if any(name in missing for name in STRUCTURAL[sheet]):
                return None
        width = max(found.values())
        out = []
        for number, values in enumerate(self.rows(ws, sheet, min_row=2, max_col=width), start=2):
            if number - 1 > self.max_rows:
                self._too_many(sheet)
            row = {name: _blank(values[col - 1]) if col <= len(values) else None for name, col in found.items()}
            if any(value is not None for value in row.values()):
                out.append(_Row(sheet, number, found, row))
        return out, set(missing)

    def _too_many(self, sheet: str) -> None:
        self.add(f"sheet {sheet}", f"có hơn {_grouped(self.max_rows)} dòng dữ liệu; bảng tính bị từ chối")
        raise _Refused

    def value(self, row: _Row, name: str, kind: str) -> Any:
        """The cell converted to the column's basic type; a cell that cannot be is reported here and passed
        on as it is (so ``format.check`` refuses it too; ``check_workbook`` names it once)."""
        raw = row.values.get(name)
        try:
            return _convert(raw, kind)
        except _Bad as bad:
            self.add(row.cell(name), bad.message)
            return raw

    def key(self, row: _Row, name: str, kind: str, label: str) -> Any:
        """A value that places the row (a code, a version, an order): None, reported, when absent or bad."""
        raw = row.values.get(name)
        if raw is None:
            self.add(row.cell(name), f"thiếu {label}")
            return None
        try:
            value = _convert(raw, kind)
        except _Bad as bad:
            self.add(row.cell(name), bad.message)
            return None
        return value.strip() if isinstance(value, str) else value

    # -- the document

    def read(self, wb) -> dict:
        doc: dict[str, Any] = {"format": fmt.FORMAT, "fields": [], "procedures": []}
        self.place("fields", "sheet fields")
        self.place("procedures", "sheet procedures")
        fields = self.sheet(wb, "fields")
        if fields is not None:
            for i, row in enumerate(fields[0]):
                path = f"fields[{i}]"
                self.place(path, row.place())
                item = {}
                for name, kind in SHEETS["fields"]:
                    item[name] = self.value(row, name, kind)
                    self.place(f"{path}.{name}", row.cell(name))
                doc["fields"].append(item)
        versions = self.procedures(wb, doc)
        for sheet in CHILD_COLUMNS:
            self.children(wb, sheet, versions)
        return doc

    def procedures(self, wb, doc: dict) -> dict[tuple[str, int], tuple[str, dict, _Row]] | None:
        read = self.sheet(wb, "procedures")
        if read is None:
            return None
        rows, _missing = read
        procedures: dict[str, tuple[int, _Row, dict[str, Any], list[int]]] = {}
        versions: dict[tuple[str, int], tuple[str, dict, _Row]] = {}
        for row in rows:
            code = self.key(row, "code", TEXT, "mã thủ tục")
            if not code:
                continue
            head = {name: self.value(row, name, kind) for name, kind in PROCEDURE_COLUMNS}
            if code not in procedures:
                i = len(doc["procedures"])
                procedure = {name: head[name] for name, _ in PROCEDURE_COLUMNS} | {"versions": []}
                doc["procedures"].append(procedure)
                procedures[code] = (i, row, head, [])
                self.place(f"procedures[{i}]", row.place())
                for name, _ in PROCEDURE_COLUMNS:
                    self.place(f"procedures[{i}].{name}", row.cell(name))
            else:
                self.agree(code, procedures[code][1], procedures[code][2], row, head)
            i, _, _, own_rows = procedures[code]
            version_values = {name: self.value(row, name, kind) for name, kind in VERSION_COLUMNS if name != "version"}
            if row.values.get("version") is None and all(v is None for v in version_values.values()):
                own_rows.append(row.number)  # the procedure's row when it has no version yet
                self.place(f"procedures[{i}].versions", _rows_place("procedures", own_rows))
                continue
            number = self.key(row, "version", INT, "số phiên bản")
            if number is None:
                continue
            if (code, number) in versions:
                self.add(row.cell("version"), f"thủ tục {code} phiên bản {number} đã có ở dòng "
                                              f"{versions[code, number][2].number}")
                continue
            own_rows.append(row.number)
            procedure = doc["procedures"][i]
            j = len(procedure["versions"])
            path = f"procedures[{i}].versions[{j}]"
            version: dict[str, Any] = {"number": number}
            for name in ("effective_from", "time_limit", "time_unit", "from_complete_dossier", "change_note"):
                if version_values[name] is not None or name not in DEFAULTED:
                    version[name] = version_values[name]
                self.place(f"{path}.{name}", row.cell(name))
            version["compliance"] = {key: version_values[key] for key in fmt.COMPLIANCE_KEYS}
            for key in fmt.COMPLIANCE_KEYS:
                self.place(f"{path}.compliance.{key}", row.cell(key))
            for sheet in CHILD_COLUMNS:
                version[sheet] = []
                self.place(f"{path}.{sheet}", f"sheet {sheet} (chưa có dòng nào cho thủ tục {code} phiên bản "
                                              f"{number}; xem sheet procedures, dòng {row.number})")
            procedure["versions"].append(version)
            versions[code, number] = (path, version, row)
            self.place(path, row.place())
            self.place(f"{path}.compliance", row.place())
            self.place(f"{path}.number", row.cell("version"))
            self.place(f"procedures[{i}].versions", _rows_place("procedures", own_rows))
        return versions

    def agree(self, code: str, first: _Row, first_values: dict[str, Any], row: _Row, values: dict[str, Any]) -> None:
        for name, _ in PROCEDURE_COLUMNS:
            a, b = _comparable(first_values[name]), _comparable(values[name])
            if a != b:
                self.add(row.cell(name), f"khác với dòng {first.number} của cùng thủ tục {code} "
                                         f"({_shown(first.values.get(name))} ≠ {_shown(row.values.get(name))}); "
                                         "các cột của thủ tục phải giống nhau trên mọi dòng phiên bản")

    def children(self, wb, sheet: str, versions: dict[tuple[str, int], tuple[str, dict, _Row]] | None) -> None:
        read = self.sheet(wb, sheet)
        if read is None:
            return
        rows, _missing = read
        columns = CHILD_COLUMNS[sheet]
        placed: dict[tuple[str, int], dict[int, _Row]] = {}
        for row in rows:
            code = self.key(row, "procedure", TEXT, "mã thủ tục")
            number = self.key(row, "version", INT, "số phiên bản")
            order = self.key(row, "order", INT, "số thứ tự")
            if not code or number is None or order is None:
                continue
            if versions is None:
                continue  # the procedures sheet could not be read: that is already reported
            if (code, number) not in versions:
                known = any(c == code for c, _ in versions)
                where = row.cell("version") if known else row.cell("procedure")
                self.add(where, f"không có dòng nào trong sheet procedures cho thủ tục {code} phiên bản {number}")
                continue
            same = placed.setdefault((code, number), {})
            if order in same:
                self.add(row.cell("order"), f"số thứ tự {order} của thủ tục {code} phiên bản {number} đã có ở dòng "
                                            f"{same[order].number}")
                continue
            same[order] = row
        for key, by_order in placed.items():
            path, version, _ = versions[key]  # type: ignore[index]
            numbers = []
            for k, order in enumerate(sorted(by_order)):
                row = by_order[order]
                numbers.append(row.number)
                item_path = f"{path}.{sheet}[{k}]"
                item = {}
                for name, kind in columns:
                    value = self.value(row, name, kind)
                    if value is not None or name not in DEFAULTED:
                        item[name] = value
                    self.place(f"{item_path}.{name}", row.cell(name))
                self.place(item_path, row.place())
                version[sheet].append(item)
            self.place(f"{path}.{sheet}", _rows_place(sheet, numbers))


# --------------------------------------------------------------------------------------------- values


def _convert(value: Any, kind: str) -> Any:
    if value is None:
        return [] if kind == LIST else None
    return _CONVERTERS[kind](value)


def _to_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise _Bad(f"{_shown(value)} không phải là số nguyên")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _Bad(f"{_shown(value)} không phải là số nguyên")
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", " ")
        if INTEGER.match(text):
            return int(text)
        if GROUPED.match(text):
            return int(re.sub(r"[. ]", "", text))
    raise _Bad(f"{_shown(value)} không phải là số nguyên")


def _to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise _Bad(f"{_shown(value)} không phải là số")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # 1,5 giờ
        try:
            number = float(text)
        except ValueError:
            pass
        else:
            if number == number and abs(number) != float("inf"):
                return int(number) if INTEGER.match(text) else number
    raise _Bad(f"{_shown(value)} không phải là số")


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = unicodedata.normalize("NFC", value).strip().casefold()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise _Bad(f"{_shown(value)} không phải là đúng/sai (dùng TRUE/FALSE hoặc có/không)")


def _to_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise _Bad(f"{_shown(value)} có cả giờ; cần một ngày dạng YYYY-MM-DD")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        match = VN_DATE.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                pass
        return text  # anything else is format.check's to judge
    raise _Bad(f"{_shown(value)} không phải là ngày (ghi dạng YYYY-MM-DD)")


def _to_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [item.strip() for item in re.split(r"[,;\n]", value) if item.strip()]
    raise _Bad(f"{_shown(value)} không phải là danh sách (các giá trị cách nhau bởi dấu phẩy)")


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    TEXT: _to_text, INT: _to_int, NUMBER: _to_number, BOOL: _to_bool, DATE: _to_date, LIST: _to_list}


def _blank(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _text(value: Any) -> str:
    return "" if value is None else _to_text(value).strip()


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    if value == []:
        return None
    return value


def _shown(value: Any) -> str:
    text = "(trống)" if value is None else _to_text(value)
    return f"“{text[:47]}…”" if len(text) > 50 else f"“{text}”"


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _rows_place(sheet: str, numbers: list[int]) -> str:
    """"sheet steps, dòng 5–8, 11" for the rows of one list."""
    numbers = sorted(numbers)
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
    return f"sheet {sheet}, dòng {text}"
