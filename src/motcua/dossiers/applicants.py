"""Checks on the applicant's details as the desk enters them, and how lists mask personal data (pure).

A citizen ID (số định danh cá nhân, căn cước) has 12 digits: the province of birth registration (3 digits),
the century and sex (1 digit: 0/1 for 1900–1999, 2/3 for 2000–2099, …), the last two digits of the
year of birth, then 6 digits (TT 59/2021/TT-BCA; the province list is not in domain/ and is unverified,
so only the shape, the century digit and the year are checked against the date of birth).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ID = re.compile(r"^\d{12}$")
_TAX = re.compile(r"^\d{10}(-\d{3})?$")
_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Applicant:
    type: str  # "individual" | "organisation"
    name: str
    id_number: str = ""
    tax_code: str = ""
    representative: str = ""
    birth_date: dt.date | None = None
    address: str = ""
    phone: str = ""
    email: str = ""


def normalise_phone(phone: str) -> str:
    return re.sub(r"[\s.()-]", "", phone or "")


def phone_ok(phone: str) -> bool:
    return bool(_PHONE.match(normalise_phone(phone)))


def email_ok(email: str) -> bool:
    return bool(_EMAIL.match(email))


def id_problem(id_number: str, birth_date: dt.date | None) -> str | None:
    if not _ID.match(id_number):
        return "Số định danh cá nhân gồm đúng 12 chữ số."
    if birth_date is not None:
        century = 1900 + 100 * (int(id_number[3]) // 2)
        if not century <= birth_date.year < century + 100 or int(id_number[4:6]) != birth_date.year % 100:
            return "Số định danh cá nhân không khớp với năm sinh (chữ số thứ 4 đến 6 mã hóa thế kỷ và năm sinh)."
    return None


def problems(applicant: Applicant, *, today: dt.date) -> dict[str, str]:
    """Field → Vietnamese message for each thing wrong; empty when the details can be received."""
    found: dict[str, str] = {}
    if applicant.type not in {"individual", "organisation"}:
        found["type"] = "Chọn cá nhân hoặc tổ chức."
    if not applicant.name.strip():
        found["name"] = "Nhập họ tên người nộp hoặc tên tổ chức."
    elif len(applicant.name) > 255:
        found["name"] = "Tên dài quá 255 ký tự."
    if applicant.type == "individual":
        if not applicant.id_number:
            found["id_number"] = "Nhập số định danh cá nhân (12 chữ số)."
        elif problem := id_problem(applicant.id_number, applicant.birth_date):
            found["id_number"] = problem
        if applicant.birth_date is not None and not (today.replace(year=today.year - 120) < applicant.birth_date
                                                     <= today):
            found["birth_date"] = "Ngày sinh không hợp lệ."
    elif applicant.type == "organisation":
        if not _TAX.match(applicant.tax_code):
            found["tax_code"] = "Mã số thuế gồm 10 chữ số (đơn vị phụ thuộc: 10 chữ số, dấu gạch, 3 chữ số)."
        if not applicant.representative.strip():
            found["representative"] = "Nhập người đại diện của tổ chức."
    if applicant.phone and not phone_ok(applicant.phone):
        found["phone"] = "Số điện thoại không đúng (10–11 chữ số, bắt đầu bằng 0 hoặc +84)."
    if applicant.email and not email_ok(applicant.email):
        found["email"] = "Địa chỉ thư điện tử không đúng."
    return found


def mask(value: str, *, keep_start: int = 3, keep_end: int = 2) -> str:
    """What lists show of an ID or a phone number: "001*******89"."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_address(address: str) -> str:
    """Only the last part of an address (the province): "…, Hà Giang"."""
    parts = [p.strip() for p in address.split(",") if p.strip()]
    if len(parts) <= 1:
        return "…" if address else ""
    return "…, " + parts[-1]
