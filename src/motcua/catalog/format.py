"""The catalogue's exchange format (pure): one canonical document that JSON files, Excel workbooks, the
import and the export all share, and the check that finds every problem in it at once.

A document::

    {"format": "motcua.catalog/1",
     "fields": [{"code": "CCVC", "name": "Công chức, viên chức"}],
     "procedures": [{
        "code": "1.005384", "name": "...", "field": "CCVC",
        "resolving_agency": "000.00.12.H22", "resolved_by": ["000.00.12.H22"] | ["communes"],
        "applicant_types": ["individual", "organisation"], "result_type": "Quyết định",
        "channels": ["desk", "post", "online"], "online_level": "full" | "partial" | "none",
        "status": "active" | "suspended" | "abolished",
        "versions": [{
            "number": 1, "effective_from": "2024-01-01",
            "time_limit": 10, "time_unit": "days" | "hours", "from_complete_dossier": true,
            "change_note": "",
            "compliance": {"hours_learning": 2, "hours_preparing": 4, "visits": 2, "hours_per_visit": 3,
                           "other_costs": 20000, "applicants_per_year": 100},
            "documents": [{"name": "...", "copy_type": "original" | "copy" | "certified_copy", "count": 1,
                           "mandatory": true, "condition": ""}],
            "fees": [{"name": "...", "amount": 0, "legal_basis": ""}],
            "legal_bases": [{"number": "138/2020/NĐ-CP", "date": "2020-11-27", "issuer": "Chính phủ",
                             "title": "..."}],
            "steps": [{"name": "...", "role": "desk_officer", "division": "VP" | null,
                       "other_agency": null | "000.00.00.H22", "hours": 4}]}]}]}

``resolving_agency`` is the agency that publishes and leads the procedure (cơ quan chủ trì); ``resolved_by``
lists the agencies that resolve it, or is ``["communes"]`` for every active commune of the province at import;
absent or empty, the leading agency alone resolves it (the export always writes the list). A receive-only agency
(the service centre, its branches) resolves nothing. Any desk of the province receives any procedure, so the old
``receiving_agency`` key is read and ignored. A step's ``division`` is a division kind (or unit code) found in
whichever agency performs the step; a desk officer's step is always at a one-stop desk.

Lists keep their order (documents, fees, legal bases and steps are numbered by position). A problem is
reported with its path (``procedures[3].versions[0].steps[2].hours``), which the Excel reader turns into
sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

FORMAT = "motcua.catalog/1"
HOURS_PER_DAY = 8

APPLICANT_TYPES = ("individual", "organisation")
CHANNELS = ("desk", "post", "online")
ONLINE_LEVELS = ("full", "partial", "none")
STATUSES = ("active", "suspended", "abolished")
TIME_UNITS = ("days", "hours")
COPY_TYPES = ("original", "copy", "certified_copy")
ROLES = ("desk_officer", "specialist", "division_leader", "agency_leader", "clerk", "administrator", "auditor")
CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,59}$")

ALL_COMMUNES = "communes"
PROCEDURE_KEYS = ("code", "name", "field", "resolving_agency", "resolved_by", "receiving_agency", "applicant_types",
                  "result_type", "channels", "online_level", "status", "versions")
VERSION_KEYS = ("number", "effective_from", "time_limit", "time_unit", "from_complete_dossier", "change_note",
                "compliance", "documents", "fees", "legal_bases", "steps")
COMPLIANCE_KEYS = ("hours_learning", "hours_preparing", "visits", "hours_per_visit", "other_costs",
                   "applicants_per_year")
DOCUMENT_KEYS = ("name", "copy_type", "count", "mandatory", "condition")
FEE_KEYS = ("name", "amount", "legal_basis")
LEGAL_KEYS = ("number", "date", "issuer", "title")
STEP_KEYS = ("name", "role", "division", "other_agency", "hours")
FIELD_KEYS = ("code", "name")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def time_limit_hours(value: int, unit: str) -> int:
    return value * HOURS_PER_DAY if unit == "days" else value


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def obj(self, value: Any, path: str, keys: tuple[str, ...], required: tuple[str, ...]) -> dict | None:
        if not isinstance(value, dict):
            self.add(path, "phải là một đối tượng")
            return None
        for key in value:
            if key not in keys:
                self.add(f"{path}.{key}" if path else key, "trường không được biết đến")
        for key in required:
            if key not in value or value[key] is None or value[key] == "":
                self.add(f"{path}.{key}" if path else key, "thiếu giá trị bắt buộc")
        return value

    def text(self, value: Any, path: str, *, max_length: int, required: bool = True) -> str:
        if value is None or value == "":
            return ""  # a missing required value is reported by obj()
        if not isinstance(value, str):
            self.add(path, "phải là chuỗi ký tự")
            return ""
        if len(value) > max_length:
            self.add(path, f"dài quá {max_length} ký tự")
        return value.strip()

    def integer(self, value: Any, path: str, *, minimum: int, maximum: int = 10**12) -> int:
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, "phải là số nguyên")
            return 0
        if not minimum <= value <= maximum:
            self.add(path, f"phải từ {minimum} đến {maximum}")
        return value

    def number(self, value: Any, path: str) -> float:
        if value is None:
            return 0.0
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.add(path, "phải là số không âm")
            return 0.0
        return float(value)

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.add(path, "phải là true hoặc false")
            return False
        return value

    def choice(self, value: Any, path: str, choices: tuple[str, ...]) -> str:
        if value is None or value == "":
            return ""
        if value not in choices:
            self.add(path, f"phải là một trong: {', '.join(choices)}")
            return ""
        return value

    def choices(self, value: Any, path: str, choices: tuple[str, ...]) -> list[str]:
        if not isinstance(value, list) or not value:
            self.add(path, "phải là danh sách không rỗng")
            return []
        out = []
        for i, item in enumerate(value):
            if item not in choices:
                self.add(f"{path}[{i}]", f"phải là một trong: {', '.join(choices)}")
            elif item in out:
                self.add(f"{path}[{i}]", "trùng lặp")
            else:
                out.append(item)
        return out

    def date(self, value: Any, path: str) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        self.add(path, "phải là ngày dạng YYYY-MM-DD")
        return None

    def items(self, value: Any, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, "phải là danh sách")
            return []
        return value


def check(doc: Any) -> tuple[dict, list[Problem]]:
    """The canonical document (normalised values) and every problem found; the caller writes nothing
    unless the list is empty. References to agencies, fields and divisions are checked by the importer,
    which knows the database."""
    c = _Checker()
    top = c.obj(doc, "", ("format", "fields", "procedures"), ("format", "procedures"))
    if top is None:
        return {}, c.problems
    if top.get("format") not in (None, FORMAT):
        c.add("format", f"phải là {FORMAT}")
    fields = []
    field_codes: set[str] = set()
    for i, raw in enumerate(c.items(top.get("fields"), "fields")):
        path = f"fields[{i}]"
        f = c.obj(raw, path, FIELD_KEYS, FIELD_KEYS)
        if f is None:
            continue
        code = c.text(f.get("code"), f"{path}.code", max_length=20)
        if code in field_codes:
            c.add(f"{path}.code", f"mã lĩnh vực {code} bị trùng")
        field_codes.add(code)
        fields.append({"code": code, "name": c.text(f.get("name"), f"{path}.name", max_length=255)})
    procedures = []
    seen_codes: dict[str, int] = {}
    for i, raw in enumerate(c.items(top.get("procedures"), "procedures")):
        procedures.append(_procedure(c, raw, f"procedures[{i}]", seen_codes, i))
    return {"format": FORMAT, "fields": fields, "procedures": [p for p in procedures if p]}, c.problems


def _procedure(c: _Checker, raw: Any, path: str, seen: dict[str, int], index: int) -> dict | None:
    p = c.obj(raw, path, PROCEDURE_KEYS, ("code", "name", "field", "resolving_agency", "applicant_types",
                                          "channels", "online_level", "versions"))
    if p is None:
        return None
    code = c.text(p.get("code"), f"{path}.code", max_length=60)
    if code and not CODE.match(code):
        c.add(f"{path}.code", "mã thủ tục chỉ gồm chữ, số, dấu chấm, gạch nối")
    if code in seen:
        c.add(f"{path}.code", f"mã thủ tục {code} bị trùng với procedures[{seen[code]}]")
    elif code:
        seen[code] = index
    out = {
        "code": code,
        "name": c.text(p.get("name"), f"{path}.name", max_length=500),
        "field": c.text(p.get("field"), f"{path}.field", max_length=20),
        "resolving_agency": c.text(p.get("resolving_agency"), f"{path}.resolving_agency", max_length=35),
        "resolved_by": _resolved_by(c, p.get("resolved_by"), f"{path}.resolved_by"),
        "applicant_types": c.choices(p.get("applicant_types"), f"{path}.applicant_types", APPLICANT_TYPES),
        "result_type": c.text(p.get("result_type"), f"{path}.result_type", max_length=200),
        "channels": c.choices(p.get("channels"), f"{path}.channels", CHANNELS),
        "online_level": c.choice(p.get("online_level"), f"{path}.online_level", ONLINE_LEVELS),
        "status": c.choice(p.get("status") or "active", f"{path}.status", STATUSES),
        "versions": [],
    }
    if out["online_level"] in ("full", "partial") and "online" not in out["channels"]:
        c.add(f"{path}.online_level", "thủ tục có dịch vụ trực tuyến phải có kênh online")
    numbers: set[int] = set()
    versions = c.items(p.get("versions"), f"{path}.versions")
    if not versions and "versions" in p:
        c.add(f"{path}.versions", "cần ít nhất một phiên bản")
    for j, raw_version in enumerate(versions):
        version = _version(c, raw_version, f"{path}.versions[{j}]")
        if version is None:
            continue
        if version["number"] in numbers:
            c.add(f"{path}.versions[{j}].number", f"số phiên bản {version['number']} bị trùng")
        numbers.add(version["number"])
        out["versions"].append(version)
    out["versions"].sort(key=lambda v: v["number"])
    for earlier, later in zip(out["versions"], out["versions"][1:], strict=False):
        if earlier["effective_from"] and later["effective_from"] and \
                later["effective_from"] <= earlier["effective_from"]:
            j = versions.index(next(r for r in versions if isinstance(r, dict) and r.get("number") == later["number"]))
            c.add(f"{path}.versions[{j}].effective_from",
                  f"phiên bản {later['number']} phải áp dụng sau phiên bản {earlier['number']} "
                  f"({earlier['effective_from']})")
    return out


def _resolved_by(c: _Checker, value: Any, path: str) -> list[str]:
    if value is None or value == []:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        c.add(path, "phải là danh sách mã cơ quan, hoặc [\"communes\"] (mọi xã, phường)")
        return []
    out = list(dict.fromkeys(v.strip() for v in value))
    if ALL_COMMUNES in out and len(out) > 1:
        c.add(path, "\"communes\" đã gồm mọi xã, phường: không kèm mã cơ quan khác")
    for i, v in enumerate(out):
        if len(v) > 35:
            c.add(f"{path}[{i}]", "dài quá 35 ký tự")
    return out


def _version(c: _Checker, raw: Any, path: str) -> dict | None:
    v = c.obj(raw, path, VERSION_KEYS, ("number", "effective_from", "time_limit", "time_unit", "steps"))
    if v is None:
        return None
    unit = c.choice(v.get("time_unit"), f"{path}.time_unit", TIME_UNITS)
    limit = c.integer(v.get("time_limit"), f"{path}.time_limit", minimum=1, maximum=3650)
    complete = v.get("from_complete_dossier", True)
    compliance_raw = v.get("compliance") or {}
    comp = c.obj(compliance_raw, f"{path}.compliance", COMPLIANCE_KEYS, ())
    compliance = {key: c.number((comp or {}).get(key), f"{path}.compliance.{key}") for key in COMPLIANCE_KEYS}
    for key in ("visits", "applicants_per_year", "other_costs"):
        value = (comp or {}).get(key)
        if value is not None and not isinstance(value, bool) and isinstance(value, float) and not value.is_integer():
            c.add(f"{path}.compliance.{key}", "phải là số nguyên")
        compliance[key] = int(compliance[key])
    out = {
        "number": c.integer(v.get("number"), f"{path}.number", minimum=1, maximum=9999),
        "effective_from": c.date(v.get("effective_from"), f"{path}.effective_from"),
        "time_limit": limit,
        "time_unit": unit,
        "from_complete_dossier": c.boolean(complete, f"{path}.from_complete_dossier"),
        "change_note": c.text(v.get("change_note"), f"{path}.change_note", max_length=2000),
        "compliance": compliance,
        "documents": [],
        "fees": [],
        "legal_bases": [],
        "steps": [],
    }
    for k, raw_doc in enumerate(c.items(v.get("documents"), f"{path}.documents")):
        dpath = f"{path}.documents[{k}]"
        d = c.obj(raw_doc, dpath, DOCUMENT_KEYS, ("name", "copy_type"))
        if d is None:
            continue
        mandatory = c.boolean(d.get("mandatory", True), f"{dpath}.mandatory")
        condition = c.text(d.get("condition"), f"{dpath}.condition", max_length=1000)
        if not mandatory and not condition:
            c.add(f"{dpath}.condition", "giấy tờ không bắt buộc phải ghi rõ điều kiện")
        out["documents"].append({
            "name": c.text(d.get("name"), f"{dpath}.name", max_length=500),
            "copy_type": c.choice(d.get("copy_type"), f"{dpath}.copy_type", COPY_TYPES),
            "count": c.integer(d.get("count", 1), f"{dpath}.count", minimum=1, maximum=100),
            "mandatory": mandatory,
            "condition": condition,
        })
    for k, raw_fee in enumerate(c.items(v.get("fees"), f"{path}.fees")):
        fpath = f"{path}.fees[{k}]"
        f = c.obj(raw_fee, fpath, FEE_KEYS, ("name",))
        if f is None:
            continue
        out["fees"].append({
            "name": c.text(f.get("name"), f"{fpath}.name", max_length=300),
            "amount": c.integer(f.get("amount", 0), f"{fpath}.amount", minimum=0, maximum=10**12),
            "legal_basis": c.text(f.get("legal_basis"), f"{fpath}.legal_basis", max_length=500),
        })
    for k, raw_legal in enumerate(c.items(v.get("legal_bases"), f"{path}.legal_bases")):
        lpath = f"{path}.legal_bases[{k}]"
        lb = c.obj(raw_legal, lpath, LEGAL_KEYS, ("number",))
        if lb is None:
            continue
        out["legal_bases"].append({
            "number": c.text(lb.get("number"), f"{lpath}.number", max_length=100),
            "date": c.date(lb.get("date"), f"{lpath}.date"),
            "issuer": c.text(lb.get("issuer"), f"{lpath}.issuer", max_length=200),
            "title": c.text(lb.get("title"), f"{lpath}.title", max_length=1000),
        })
    total = 0
    steps = c.items(v.get("steps"), f"{path}.steps")
    if "steps" in v and isinstance(v.get("steps"), list) and not steps:
        c.add(f"{path}.steps", "cần ít nhất một bước xử lý (quy trình ISO)")
    for k, raw_step in enumerate(steps):
        spath = f"{path}.steps[{k}]"
        s = c.obj(raw_step, spath, STEP_KEYS, ("name", "role", "hours"))
        if s is None:
            continue
        division = c.text(s.get("division"), f"{spath}.division", max_length=20) or None
        other = c.text(s.get("other_agency"), f"{spath}.other_agency", max_length=35) or None
        hours = c.integer(s.get("hours"), f"{spath}.hours", minimum=1, maximum=29200)
        total += hours
        out["steps"].append({"name": c.text(s.get("name"), f"{spath}.name", max_length=300),
                             "role": c.choice(s.get("role"), f"{spath}.role", ROLES),
                             "division": division, "other_agency": other, "hours": hours})
    if steps and limit and unit:
        expected = time_limit_hours(limit, unit)
        if total != expected:
            c.add(f"{path}.steps", share_message(total, expected))
    return out


def share_message(total: int, expected: int) -> str:
    return (f"tổng thời gian các bước là {total} giờ làm việc, phải bằng đúng thời hạn giải quyết "
            f"{expected} giờ ({expected // HOURS_PER_DAY} ngày × {HOURS_PER_DAY} giờ"
            f"{f' + {expected % HOURS_PER_DAY} giờ' if expected % HOURS_PER_DAY else ''})")
