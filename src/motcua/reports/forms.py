"""The period form of the report pages (a GET form): a standard period (month, quarter, six months, year, with
the data cut-off of ``REPORT_CUTOFF_DAY``) or any two dates; for the resolution report also the side an agency
is read from, the grouping and the field, division and procedure filters. Query names are the API's (``from``,
``to``, ``agency``, ``side``, ``group_by``), so that a page's query is also its download link's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.forms import DATE_WIDGET
from motcua.reports import periods

KIND_CHOICES = [("", _("Khoảng ngày tự chọn")), ("month", _("Tháng")), ("quarter", _("Quý")),
                ("half", _("6 tháng")), ("year", _("Năm"))]
GROUP_CHOICES = [("procedure", _("Thủ tục")), ("field", _("Lĩnh vực")), ("division", _("Phòng chuyên môn"))]
AGENCY_GROUP_CHOICES = [("resolving_agency", _("Cơ quan giải quyết")), ("receiving_agency", _("Nơi tiếp nhận")),
                        ("commune", _("Xã, phường"))]
PROVINCE_GROUP = ("agency", _("Cơ quan"))
SIDE_CHOICES = [("", _("Mặc định (trung tâm, chi nhánh: nơi tiếp nhận; cơ quan khác: nơi giải quyết)")),
                ("resolving", _("Nơi giải quyết")), ("receiving", _("Nơi tiếp nhận")),
                ("either", _("Nơi tiếp nhận hoặc giải quyết"))]
PERIOD_KEYS = ("kind", "year", "number", "from", "to")
MAX_DAYS = 3660  # ten years: longer is a mistake in a date, not a report anyone reads
CHOICE_ERROR = {"invalid_choice": _("Hãy chọn một mục có trong danh sách.")}


def containing(today: dt.date, kind: str = "month", cutoff_day: int | None = None) -> tuple[int, int]:
    """(year, number) of the standard period of ``kind`` that holds ``today`` (with the cut-off, the month
    period "3" runs from 15 February to 14 March, so the 20 March is in period "4")."""
    cutoff = settings.REPORT_CUTOFF_DAY if cutoff_day is None else cutoff_day
    year, month = today.year, today.month
    if cutoff > 1 and today.day >= cutoff:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    size = periods.KINDS[kind]
    return year, (month - 1) // size + 1


def default_query(today: dt.date) -> dict[str, str]:
    year, number = containing(today)
    return {"kind": "month", "year": str(year), "number": str(number)}


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=KIND_CHOICES, required=False, error_messages=CHOICE_ERROR)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False,
                              error_messages={"invalid": _("Nhập năm bằng số, ví dụ 2026."),
                                              "min_value": _("Năm phải từ 2000 trở đi."),
                                              "max_value": _("Năm phải trước 2100.")})
    number = forms.IntegerField(label=_("Kỳ số"), min_value=1, max_value=12, required=False,
                                error_messages={"invalid": _("Nhập kỳ số bằng số."),
                                                "min_value": _("Kỳ số bắt đầu từ 1."),
                                                "max_value": _("Kỳ số nhiều nhất là 12 (tháng 12).")})

    def __init__(self, data: Any = None, *, agencies: list[tuple[str, str]] | None = None,
                 allow_all: bool = False, groups: bool = False, sides: bool = False,
                 field_choices: list[tuple[int, str]] | None = None,
                 division_choices: list[tuple[int, str]] | None = None,
                 procedure_choices: list[tuple[int, str]] | None = None) -> None:
        super().__init__(data)
        date_errors = {"invalid": _("Nhập ngày đúng dạng, ví dụ 2026-03-31.")}
        self.fields["from"] = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE_WIDGET,
                                              error_messages=date_errors)
        self.fields["to"] = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_WIDGET,
                                            error_messages=date_errors)
        if agencies is not None:
            choices = ([("all", _("Tất cả cơ quan"))] if allow_all else []) + agencies
            self.fields["agency"] = forms.ChoiceField(label=_("Cơ quan"), choices=choices, required=False,
                                                      error_messages=CHOICE_ERROR)
        if sides:
            self.fields["side"] = forms.ChoiceField(
                label=_("Số liệu của cơ quan với vai trò"), choices=SIDE_CHOICES, required=False,
                error_messages=CHOICE_ERROR)
        if groups:
            group_choices = GROUP_CHOICES + AGENCY_GROUP_CHOICES + ([PROVINCE_GROUP] if allow_all else [])
            self.fields["group_by"] = forms.ChoiceField(label=_("Nhóm theo"), choices=group_choices,
                                                        required=False, error_messages=CHOICE_ERROR)
            for name, label, choices in (("field", _("Lĩnh vực"), field_choices),
                                         ("division", _("Phòng chuyên môn"), division_choices),
                                         ("procedure", _("Thủ tục"), procedure_choices)):
                self.fields[name] = forms.TypedChoiceField(
                    label=label, coerce=int, empty_value=None, required=False, error_messages=CHOICE_ERROR,
                    choices=[("", _("Tất cả")), *list(choices or [])])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        if data.get("kind") and data.get("from") and data.get("to"):
            data["kind"] = ""  # both dates typed: the dates are what the reader meant
        if data.get("kind"):
            if data.get("from") or data.get("to"):
                self.add_error("kind", _("Chọn kỳ chuẩn hoặc khoảng ngày, không chọn cả hai: để xem theo khoảng ngày, "
                                         "chọn “Khoảng ngày tự chọn” ở Loại kỳ."))
                return data
            if data.get("year") is None:
                self.add_error("year", _("Nhập năm của kỳ báo cáo."))
                return data
            try:
                data["period"] = periods.standard(data["kind"], data["year"], data.get("number") or 1,
                                                  cutoff_day=settings.REPORT_CUTOFF_DAY)
            except periods.PeriodError as error:
                self.add_error("number", str(error))
            return data
        if not data.get("from") or not data.get("to"):
            for name in ("from", "to"):
                if not data.get(name):
                    self.add_error(name, _("Chọn một kỳ chuẩn hoặc nhập cả ngày bắt đầu và ngày kết thúc."))
            return data
        try:
            period = periods.Period(data["from"], data["to"])
        except periods.PeriodError as error:
            self.add_error("to", str(error))
            return data
        if period.days > MAX_DAYS:
            self.add_error("to", _("Kỳ báo cáo dài nhất 10 năm."))
            return data
        data["period"] = period
        return data
