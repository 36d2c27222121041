"""Reading a calendar-override CSV (pure): every problem found at once, with its line and column.

Columns: ``date`` (YYYY-MM-DD or DD/MM/YYYY), ``kind`` (``holiday``/``nghỉ`` or ``working_day``/``làm bù``),
``name``, ``source`` (optional: the document that decided it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

KINDS = {
    "holiday": "holiday", "nghỉ": "holiday", "nghi": "holiday", "ngày nghỉ": "holiday",
    "working_day": "working_day", "làm bù": "working_day", "lam bu": "working_day", "ngày làm bù": "working_day",
}
REQUIRED = ("date", "kind", "name")


@dataclass(frozen=True)
class OverrideRow:
    date: dt.date
    kind: str
    name: str
    source: str


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return f"tệp: {self.message}"
        return f"dòng {self.line}, cột {self.column}: {self.message}"


def _parse_date(value: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    return None


def parse(data: bytes, *, max_bytes: int = 1_000_000) -> tuple[list[OverrideRow], list[Problem]]:
    if len(data) > max_bytes:
        return [], [Problem(0, "-", f"tệp quá lớn ({len(data)} byte; tối đa {max_bytes}).")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(0, "-", "tệp không phải văn bản UTF-8; hãy lưu lại với bảng mã UTF-8.")]
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        hint = " (tệp dùng dấu chấm phẩy: hãy lưu CSV với dấu phẩy)" if len(header) == 1 and ";" in header[0] else ""
        return [], [Problem(1, c, "thiếu cột bắt buộc" + hint) for c in missing]
    reader.fieldnames = header
    rows: list[OverrideRow] = []
    problems: list[Problem] = []
    seen: dict[dt.date, int] = {}
    for line, raw in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        date = _parse_date(values.get("date", ""))
        if date is None:
            problems.append(Problem(line, "date", f"ngày {values.get('date')!r} không đúng dạng YYYY-MM-DD"))
        elif not 1900 <= date.year <= 2100:
            problems.append(Problem(line, "date", "ngày phải trong khoảng 1900–2100"))
            date = None
        kind = KINDS.get(values.get("kind", "").lower())
        if kind is None:
            problems.append(Problem(line, "kind", f"loại {values.get('kind')!r} phải là holiday hoặc working_day"))
        name = values.get("name", "")
        if not name:
            problems.append(Problem(line, "name", "thiếu tên ngày"))
        elif len(name) > 200:
            problems.append(Problem(line, "name", "tên dài quá 200 ký tự"))
        source = values.get("source", "")
        if len(source) > 300:
            problems.append(Problem(line, "source", "văn bản căn cứ dài quá 300 ký tự"))
        if date is not None:
            if date in seen:
                problems.append(Problem(line, "date", f"ngày {date.isoformat()} đã có ở dòng {seen[date]}"))
            seen[date] = line
        if date is not None and kind is not None and name and not problems:
            rows.append(OverrideRow(date, kind, name, source))
    return (rows, problems) if not problems else ([], problems)
