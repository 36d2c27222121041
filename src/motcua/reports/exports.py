"""The resolution report as files people open, print and sign: Excel, PDF in the official layout, CSV.

All three are made from the same ``selectors.Report`` and nothing else, so that a file never disagrees
with the JSON of the same request. The wording is Vietnamese whatever the reader's language, as on the
printed forms (``dossiers.printing``): these are papers an agency files and signs.

- **XLSX**: a title block, the official two-level header (``selectors.COLUMNS``), one row per report row
  and a totals row whose counts are ``=SUM`` formulas over the rows (the report's own totals when a dossier
  may be in two rows: per commune, a dossier received at one commune for another); the on-time rate of each row is a
  formula over its own cells, so that an officer who corrects a figure by hand sees the rate follow. The
  header stays on screen (frozen panes) and on every printed page (print titles); A4 landscape, one page
  wide.
- **PDF**: ``reports/resolution_print.html`` through the printed forms' HTML → PDF helper (WeasyPrint,
  DejaVu Sans, tagged PDF), A4 landscape with the national heading and the signature block.
- **CSV**: UTF-8 with a byte-order mark (Excel then reads the Vietnamese correctly), the JSON keys as the
  header, the totals as the last line; numbers as in the JSON (a dot for decimals).

``requested_period`` turns what a caller typed (a date range or a standard period) into a ``Period`` with
Vietnamese refusals; the API and the ``motcua report`` command share it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.core import clock
from motcua.core.text import fold
from motcua.reports import periods, selectors

__all__ = ["CONTENT_TYPES", "FORMATS", "MAX_YEARS", "Export", "filename", "render", "requested_period", "to_csv",
           "to_pdf", "to_xlsx"]

FORMATS = ("xlsx", "pdf", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}
MAX_YEARS = 10
FILE_STEM = "bao-cao-giai-quyet-tthc"
RATE = "on_time_rate"
AVERAGE = "average_days"
EXTRA_KEYS = ("rejected", "stopped")  # in the JSON and the CSV, not in the official table
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


# --------------------------------------------------------------------------------------------------------
# What the caller asked for


def requested_period(*, date_from: str | dt.date | None = None, date_to: str | dt.date | None = None,
                     kind: str | None = None, year: int | None = None, number: int | None = None,
                     cutoff_day: int = 15) -> periods.Period:
    """A date range (both ends, ISO dates) or a standard period (``kind`` month|quarter|half|year, ``year``,
    ``number``; a year needs no number), never both; at most ``MAX_YEARS`` years long. Raises
    ``periods.PeriodError`` with a message for people."""
    has_range = date_from not in (None, "") or date_to not in (None, "")
    if has_range and kind:
        raise periods.PeriodError(_("Chọn khoảng ngày (từ ngày, đến ngày) hoặc kỳ báo cáo chuẩn (tháng, quý, "
                                    "6 tháng, năm), không chọn cả hai."))
    if kind:
        return _standard(kind, year, number, cutoff_day)
    if not has_range:
        raise periods.PeriodError(_("Cần chọn kỳ báo cáo: từ ngày và đến ngày (dạng YYYY-MM-DD), hoặc loại kỳ, "
                                    "năm và số thứ tự kỳ."))
    start = _date(date_from, _("Ngày bắt đầu"))
    end = _date(date_to, _("Ngày kết thúc"))
    period = periods.Period(start, end)  # refuses an end before the start
    if _add_years(start, MAX_YEARS) <= end:
        raise periods.PeriodError(_("Kỳ báo cáo dài quá %(years)d năm: hãy chia thành các kỳ ngắn hơn.")
                                  % {"years": MAX_YEARS})
    return period


def _standard(kind: str, year: int | None, number: int | None, cutoff_day: int) -> periods.Period:
    if kind not in periods.KINDS:
        raise periods.PeriodError(_("Loại kỳ “%(kind)s” không có: chọn month (tháng), quarter (quý), half "
                                    "(6 tháng) hoặc year (năm).") % {"kind": kind})
    if year is None:
        raise periods.PeriodError(_("Cần năm của kỳ báo cáo."))
    if not 1900 <= year <= 2999:
        raise periods.PeriodError(_("Năm báo cáo %(year)d không hợp lệ.") % {"year": year})
    if number is None:
        if kind != "year":
            raise periods.PeriodError(_("Cần số thứ tự của kỳ trong năm (tháng 1–12, quý 1–4, 6 tháng 1–2)."))
        number = 1
    return periods.standard(kind, year, number, cutoff_day=cutoff_day)


def _date(value: str | dt.date | None, name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if not value:
        raise periods.PeriodError(_("Thiếu %(name)s của kỳ báo cáo (dạng YYYY-MM-DD).") % {"name": name.lower()})
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise periods.PeriodError(_("%(name)s “%(value)s” không hợp lệ: nhập ngày có thật theo dạng YYYY-MM-DD, "
                                    "ví dụ 2026-03-31.") % {"name": name, "value": value[:40]}) from None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --------------------------------------------------------------------------------------------------------
# Names and words shared by the three formats


def filename(report: selectors.Report, fmt: str) -> str:
    """``bao-cao-giai-quyet-tthc_SNV_2026-03-01_2026-03-31.xlsx`` (``tat-ca-co-quan`` for every agency): ASCII
    only, so that every browser and mail client keeps it."""
    who = (report.agency.short_name or report.agency.identifier) if report.agency else "tat-ca-co-quan"
    parts = [FILE_STEM, who, report.period.date_from.isoformat(), report.period.date_to.isoformat()]
    if report.group_by != "procedure":
        parts.insert(2, f"theo-{report.group_by}")
    stem = "_".join(_UNSAFE.sub("-", fold(part)).strip("-.") for part in parts)
    return f"{stem}.{fmt}"


def render(report: selectors.Report, fmt: str, *, prepared_by: str = "") -> Export:
    """The report as ``fmt`` (xlsx, pdf or csv); ``prepared_by`` is printed under "Người lập biểu"."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "xlsx":
        content = to_xlsx(report)
    elif fmt == "pdf":
        content = to_pdf(report, prepared_by=prepared_by)
    else:
        content = to_csv(report)
    return Export(content=content, content_type=CONTENT_TYPES[fmt], filename=filename(report, fmt))


def _agency_name(report: selectors.Report) -> str:
    return report.agency.name if report.agency else _("Tất cả cơ quan")


def _side_line(report: selectors.Report) -> str:
    """Which dossiers of the agency the report counts, when it is not the ones it resolves."""
    if report.agency is None or report.side == selectors.RESOLVING:
        return ""
    if report.side == selectors.RECEIVING:
        return _("Hồ sơ tiếp nhận tại cơ quan")
    return _("Hồ sơ cơ quan tiếp nhận hoặc giải quyết")


def _overlap_line(report: selectors.Report) -> str:
    if not report.overlapping:
        return ""
    return _("Hồ sơ tiếp nhận ở xã này, giải quyết ở xã khác có ở cả hai dòng; tổng cộng tính mỗi hồ sơ một lần")


def _title() -> str:
    return _("BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")


def _period_line(report: selectors.Report) -> str:
    return _("Kỳ báo cáo: từ ngày %(start)s đến ngày %(end)s") % {
        "start": f"{report.period.date_from:%d/%m/%Y}", "end": f"{report.period.date_to:%d/%m/%Y}"}


def _group_heading(group_by: str) -> tuple[str, str]:
    """(the line under the title, the heading of the row label column)."""
    return {
        "procedure": (_("Tổng hợp theo thủ tục hành chính"), _("Thủ tục hành chính")),
        "field": (_("Tổng hợp theo lĩnh vực"), _("Lĩnh vực")),
        "division": (_("Tổng hợp theo phòng, đơn vị giải quyết"), _("Phòng, đơn vị")),
        "agency": (_("Tổng hợp theo cơ quan"), _("Cơ quan")),
        "resolving_agency": (_("Tổng hợp theo cơ quan giải quyết"), _("Cơ quan giải quyết")),
        "receiving_agency": (_("Tổng hợp theo nơi tiếp nhận"), _("Nơi tiếp nhận")),
        "commune": (_("Tổng hợp theo xã, phường"), _("Xã, phường")),
    }[group_by]


def _filter_line(report: selectors.Report) -> str:
    """"Lĩnh vực: …; Phòng: …" for the filters the report was narrowed by (names, not ids)."""
    from motcua.catalog.models import Field, Procedure
    from motcua.org.models import Division

    parts = []
    for key, model, label in (("field", Field, _("Lĩnh vực")), ("division", Division, _("Phòng, đơn vị")),
                              ("procedure", Procedure, _("Thủ tục"))):
        if pk := report.filters.get(key):
            name = model.objects.filter(pk=pk).values_list("name", flat=True).first()
            parts.append(f"{label}: {name or pk}")
    return "; ".join(parts)


def _headings() -> list[tuple[str, list[tuple[str, str]]]]:
    """The header's groups in table order: (heading, [(key, label), …]) with consecutive keys."""
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for key, label, heading in selectors.COLUMNS:
        if not out or out[-1][0] != str(heading):
            out.append((str(heading), []))
        out[-1][1].append((key, str(label)))
    return out


# --------------------------------------------------------------------------------------------------------
# Excel


HEADER_TOP = 6  # the title block takes rows 1–4, row 5 is blank
FIRST_COLUMN = 3  # A: STT, B: the row label, then selectors.COLUMNS
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.00%"
DAYS_FORMAT = "0.00"


def to_xlsx(report: selectors.Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    with translation.override("vi"):
        headings = _headings()
        summary, label_heading = _group_heading(report.group_by)
        notes = "; ".join(filter(None, [summary, _side_line(report), _filter_line(report),
                                        _overlap_line(report)]))
        title_lines = [(_agency_name(report), Font(bold=True, size=12)), (_title(), Font(bold=True, size=14)),
                       (_period_line(report), Font(italic=True, size=11)), (notes, Font(size=11))]
        sheet_title, stt, total_label = _("Giải quyết TTHC"), _("STT"), _("Tổng cộng")

    keys = [key for _heading, columns in headings for key, _label in columns]
    letter = {key: get_column_letter(FIRST_COLUMN + i) for i, key in enumerate(keys)}
    last_column = FIRST_COLUMN + len(keys) - 1
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    wb.properties.title = _title()
    wb.properties.creator = "motcua"
    wb.calculation.fullCalcOnLoad = True  # no cached values are written: let the program compute on opening

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    total_fill = PatternFill("solid", fgColor="F2F2F2")
    bold = Font(bold=True)

    for row, (text, font) in enumerate(title_lines, start=1):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
        cell = ws.cell(row=row, column=1, value=text)
        cell.font, cell.alignment = font, Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[row].height = 20

    top, sub = HEADER_TOP, HEADER_TOP + 1
    for column, text in ((1, stt), (2, label_heading)):
        ws.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
        ws.cell(row=top, column=column, value=text)
    column = FIRST_COLUMN
    for heading, columns in headings:
        if len(columns) > 1:
            ws.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + len(columns) - 1)
        ws.cell(row=top, column=column, value=heading)
        for key, label in columns:
            ws.cell(row=sub, column=FIRST_COLUMN + keys.index(key), value=label)
        column += len(columns)
    for row in (top, sub):  # every cell of the header, merged ones included, so that borders close
        for column in range(1, last_column + 1):
            cell = ws.cell(row=row, column=column)
            cell.font, cell.alignment, cell.border, cell.fill = bold, centred, border, header_fill
    ws.row_dimensions[top].height = 30
    ws.row_dimensions[sub].height = 62

    first = sub + 1
    for index, data in enumerate(report.rows, start=1):
        row = first + index - 1
        ws.cell(row=row, column=1, value=index).alignment = Alignment(horizontal="center", vertical="top")
        ws.cell(row=row, column=2, value=data.label).alignment = Alignment(wrap_text=True, vertical="top")
        _write_figures(ws, row, data, keys, letter, sums=None)
    last = first + len(report.rows) - 1
    total = last + 1
    ws.cell(row=total, column=2, value=total_label)
    _write_figures(ws, total, report.totals, keys, letter,
                   sums=(first, last) if report.rows and not report.overlapping else None)

    for row in range(first, total + 1):
        for column in range(1, last_column + 1):
            cell = ws.cell(row=row, column=column)
            cell.border = border
            if row == total:
                cell.font, cell.fill = bold, total_fill

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 48 if report.group_by == "procedure" else 36
    for key in keys:
        ws.column_dimensions[letter[key]].width = 14 if key in (RATE, AVERAGE) else 11
    ws.freeze_panes = ws.cell(row=first, column=FIRST_COLUMN)
    ws.print_title_rows = f"{top}:{sub}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_figures(ws: Any, row: int, data: selectors.Row, keys: list[str], letter: dict[str, str],
                   sums: tuple[int, int] | None) -> None:
    """The figures of one line: counts as numbers (or ``=SUM`` over ``sums``' rows for the totals), the
    on-time rate as a formula over the line's own cells, the average as the report's value."""
    from openpyxl.styles import Alignment

    for key in keys:
        cell = ws[f"{letter[key]}{row}"]
        cell.alignment = Alignment(horizontal="right", vertical="top")
        if key == RATE:
            resolved, early, on_time = (f"{letter[k]}{row}" for k in ("resolved", "early", "on_time"))
            cell.value = f'=IF({resolved}=0,"",({early}+{on_time})/{resolved})'
            cell.number_format = RATE_FORMAT
        elif key == AVERAGE:
            cell.value = data.average_days
            cell.number_format = DAYS_FORMAT
        else:
            cell.value = f"=SUM({letter[key]}{sums[0]}:{letter[key]}{sums[1]})" if sums else getattr(data, key)
            cell.number_format = COUNT_FORMAT


# --------------------------------------------------------------------------------------------------------
# PDF


PDF_TEMPLATE = "reports/resolution_print.html"


def to_pdf(report: selectors.Report, *, prepared_by: str = "") -> bytes:
    from motcua.core.pdf import pdf_from_html

    return pdf_from_html(print_html(report, prepared_by=prepared_by))


def print_html(report: selectors.Report, *, prepared_by: str = "") -> str:
    """The HTML the PDF is made from (also a print preview for the staff pages)."""
    from motcua.dossiers.printing import date_line, locality

    today = timezone.localtime(clock.now()).date()
    with translation.override("vi"):
        headings = _headings()
        summary, label_heading = _group_heading(report.group_by)
        keys = [key for _heading, columns in headings for key, _label in columns]
        context = {
            "agency_name": _agency_name(report), "agency": report.agency,
            "short_name": report.agency.short_name if report.agency else "",
            "title": _title(), "period_line": _period_line(report), "summary": summary,
            "filter_line": "; ".join(filter(None, [_side_line(report), _filter_line(report),
                                                   _overlap_line(report)])),
            "label_heading": label_heading,
            "headings": [{"label": h, "span": len(cols)} for h, cols in headings],
            "columns": [{"label": label, "wide": len(label) > 30} for _h, cols in headings for _k, label in cols],
            "rows": [_print_row(i, r, keys) for i, r in enumerate(report.rows, start=1)],
            "totals": {**_print_row("", report.totals, keys), "label": _("Tổng cộng")},
            "date_line": date_line(locality(report.agency) if report.agency else "", today),
            "prepared_by": prepared_by, "column_count": len(keys) + 2,
        }
        return render_to_string(PDF_TEMPLATE, context)


def _print_row(index: int | str, row: selectors.Row, keys: Iterable[str]) -> dict[str, Any]:
    return {"index": index, "label": row.label, "cells": [_print_value(getattr(row, key)) for key in keys]}


def _print_value(value: int | float | None) -> str:
    """Vietnamese number writing: 1.234 for thousands, 83,33 for decimals; nothing for "no figure"."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{value:,}".replace(",", ".")


# --------------------------------------------------------------------------------------------------------
# CSV


def csv_header() -> list[str]:
    return ["label", *(key for key, _label, _heading in selectors.COLUMNS), *EXTRA_KEYS]


def to_csv(report: selectors.Report) -> bytes:
    header = csv_header()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in [*report.rows, report.totals]:
        values = row.as_dict()
        writer.writerow(["" if values[key] is None else values[key] for key in header])
    return out.getvalue().encode("utf-8-sig")
