"""API of reports and statistics: the resolution report as JSON or as a file (Excel, PDF, CSV).

Thin: who may read which agency is ``access.report_agency`` (``access.province_reader`` for ``scope=province``);
the figures are ``selectors.resolution``; the period a caller typed and the files are ``exports``. Refusals are
``DomainError``s that the API's one handler turns into ``{"code", "message", "details"}`` (400 bad input, 401,
403, 404 unknown agency).

In the province a report is one agency's (``scope=agency``, the default: the caller's or ``agency``'s, seen from
``side``: the dossiers it resolves, receives, or either) or the whole province's (``scope=province``, where a
dossier handled by several agencies counts once); ``by`` makes one row per resolving agency, receiving point or
commune.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from motcua.core.errors import DomainError, ErrorCode
from motcua.org.api import ErrorOut
from motcua.reports import access, exports, indicators, periods, selectors

router = Router(tags=["Báo cáo, thống kê"])  # mounted at /api/v1/reports/

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
OUTPUTS = ("json", *exports.FORMATS)
SCOPES = ("agency", "province")


def _choice(values: tuple[str, ...] | list[str], description: str, default: str | None = None) -> Any:
    """A text parameter documented as an enum but checked by us, so that a wrong value gets a Vietnamese
    message that says what is allowed instead of the validator's English."""
    return Field(default, description=description, json_schema_extra={"enum": list(values)})


# --------------------------------------------------------------------------------------------------------
# Schemas


class ResolutionParams(Schema):
    date_from: str | None = Field(None, alias="from", description="từ ngày (YYYY-MM-DD); đi cùng `to`",
                                  json_schema_extra={"format": "date"})
    date_to: str | None = Field(None, alias="to", description="đến ngày (YYYY-MM-DD), tối đa 10 năm sau `from`",
                                json_schema_extra={"format": "date"})
    period: str | None = _choice(list(periods.KINDS), "kỳ báo cáo chuẩn thay cho from/to: tháng, quý, 6 tháng, "
                                 "năm (ngày chốt số liệu theo cấu hình REPORT_CUTOFF_DAY)")
    year: int | None = Field(None, description="năm của kỳ báo cáo chuẩn")
    number: int | None = Field(None, description="số thứ tự kỳ trong năm: tháng 1–12, quý 1–4, 6 tháng 1–2")
    scope: str = _choice(SCOPES, "`agency`: báo cáo của một cơ quan (mặc định); `province`: toàn tỉnh, mỗi hồ sơ "
                         "tính một lần dù nhiều cơ quan cùng xử lý (cần quyền xem báo cáo toàn tỉnh)", "agency")
    agency: str | None = Field(None, description="mã định danh cơ quan hoặc `all` (tất cả, như scope=province); "
                               "mặc định cơ quan của người gọi; cơ quan khác cần quyền xem báo cáo toàn tỉnh")
    side: str | None = _choice(selectors.SIDES, "với một cơ quan: hồ sơ cơ quan giải quyết (`resolving`, mặc "
                               "định), tiếp nhận (`receiving`, mặc định của trung tâm phục vụ hành chính công và chi "
                               "nhánh) hoặc tiếp nhận hay giải quyết (`either`, như một xã)")
    by: str | None = _choice(selectors.AGENCY_GROUPS, "một dòng cho mỗi cơ quan giải quyết, nơi tiếp nhận hoặc xã, "
                             "phường (một hồ sơ tiếp nhận ở xã này cho xã khác có ở cả hai dòng; `totals` tính một "
                             "lần); thay cho group_by")
    group_by: str = _choice(selectors.GROUPS, "một dòng cho mỗi thủ tục, lĩnh vực, phòng hoặc cơ quan (`agency`: cơ "
                            "quan giải quyết), hoặc như `by`", "procedure")
    field: int | None = Field(None, description="chỉ các thủ tục của lĩnh vực này (id)")
    division: int | None = Field(None, description="chỉ các thủ tục do phòng này giải quyết (id)")
    procedure: int | None = Field(None, description="chỉ thủ tục này (id)")
    format: str = _choice(OUTPUTS, "json, hoặc tệp xlsx, pdf (mẫu in chính thức), csv (UTF-8)", "json")


class FiguresOut(Schema):
    key: str
    label: str
    received: int
    carried_over: int
    received_online: int
    received_direct: int
    resolved: int
    early: int
    on_time: int
    late: int
    in_progress: int
    in_progress_within: int
    in_progress_overdue: int
    awaiting_supplement: int
    withdrawn: int
    on_time_rate: float | None = Field(description="(trước hạn + đúng hạn) / đã giải quyết, phần trăm")
    average_days: float | None = Field(description="thời gian giải quyết bình quân, ngày làm việc")
    rejected: int
    stopped: int


class ResolutionOut(Schema):
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")
    scope: str = Field(description="`agency` hoặc `province`")
    agency: str | None = Field(description="mã định danh cơ quan; null: toàn tỉnh (tất cả cơ quan)")
    side: str | None = Field(description="với một cơ quan: `resolving`, `receiving` hoặc `either`; null: toàn tỉnh")
    group_by: str = Field(description="cách tổng hợp; với `by`: giá trị của `by`; mỗi dòng của cơ quan có `key` là "
                          "mã định danh cơ quan")
    overlapping: bool = Field(description="true: một hồ sơ có thể ở hai dòng (theo xã), `totals` không phải tổng "
                              "các dòng mà tính mỗi hồ sơ một lần")
    filters: dict[str, int]
    totals: FiguresOut
    rows: list[FiguresOut]


# --------------------------------------------------------------------------------------------------------
# The resolution report


@router.get("/resolution", response={200: ResolutionOut, **ERRORS}, by_alias=True,
            summary="Báo cáo tình hình, kết quả giải quyết thủ tục hành chính")
def get_resolution(request: HttpRequest, params: Query[ResolutionParams]):
    """Số hồ sơ nhận (kỳ trước chuyển qua, mới trực tuyến, mới trực tiếp/bưu chính), đã giải quyết (trước
    hạn, đúng hạn, quá hạn), đang giải quyết (trong hạn, quá hạn), chờ bổ sung, rút — cho một khoảng ngày
    (`from`, `to`) hoặc một kỳ chuẩn (`period`, `year`, `number`), của một cơ quan hoặc toàn tỉnh
    (`scope=province`), theo thủ tục, lĩnh vực, phòng, hoặc theo cơ quan giải quyết, nơi tiếp nhận, xã (`by`).
    `format=xlsx|pdf|csv` trả về tệp tải xuống."""
    agency, side = _scope(request, params)
    _check_choice("format", params.format, OUTPUTS, _("Định dạng"))
    _check_choice("group_by", params.group_by, selectors.GROUPS, _("Cách tổng hợp"))
    group_by = params.group_by
    if params.by is not None:
        _check_choice("by", params.by, selectors.AGENCY_GROUPS, _("Cách tổng hợp theo cơ quan"))
        if group_by not in ("procedure", params.by):
            raise DomainError(ErrorCode.INVALID, _("Chọn by hoặc group_by, không chọn cả hai."), field="by")
        group_by = params.by
    period = _period(params)
    report = selectors.resolution(period=period, agency=agency, group_by=group_by, field_id=params.field,
                                  division_id=params.division, procedure_id=params.procedure, side=side)
    if params.format == "json":
        return report.as_dict()
    staff = getattr(request.user, "staff", None)
    return file_response(exports.render(report, params.format, prepared_by=staff.full_name if staff else ""))


def _scope(request: HttpRequest, params: ResolutionParams | IndicatorParams) -> tuple[Any, str | None]:
    """(the agency, None for the whole province; the side it is read from) — or a refusal."""
    _check_choice("scope", params.scope, SCOPES, _("Phạm vi"))
    if params.side is not None:
        _check_choice("side", params.side, selectors.SIDES, _("Phía cơ quan"))
    if params.scope == "province":
        access.province_reader(request.user)
        if params.agency not in (None, "", access.ALL):
            raise DomainError(ErrorCode.INVALID, _("Báo cáo toàn tỉnh (scope=province) không chọn một cơ quan: bỏ "
                                                   "agency, hoặc bỏ scope để xem một cơ quan."), field="agency")
        return None, None
    agency = access.report_agency(request.user, params.agency)
    return agency, params.side if agency is not None else None


def _period(params: ResolutionParams | IndicatorParams) -> periods.Period:
    try:
        return exports.requested_period(date_from=params.date_from, date_to=params.date_to, kind=params.period,
                                        year=params.year, number=params.number, cutoff_day=settings.REPORT_CUTOFF_DAY)
    except periods.PeriodError as exc:
        raise DomainError(ErrorCode.INVALID, str(exc), field="period" if params.period else "from") from None


def _check_choice(name: str, value: str, allowed: tuple[str, ...], label: str) -> None:
    if value not in allowed:
        raise DomainError(ErrorCode.INVALID, _("%(label)s “%(value)s” không có: chọn một trong %(allowed)s.")
                          % {"label": label, "value": value[:40], "allowed": ", ".join(allowed)}, field=name)


def file_response(export: exports.Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------------------------------------
# Decision 766's indicators


class IndicatorParams(Schema):
    date_from: str | None = Field(None, alias="from", description="từ ngày (YYYY-MM-DD)",
                                  json_schema_extra={"format": "date"})
    date_to: str | None = Field(None, alias="to", description="đến ngày (YYYY-MM-DD)",
                                json_schema_extra={"format": "date"})
    period: str | None = _choice(list(periods.KINDS), "kỳ báo cáo chuẩn thay cho from/to")
    year: int | None = None
    number: int | None = None
    scope: str = _choice(SCOPES, "`agency` (mặc định) hoặc `province`: toàn tỉnh (cần quyền xem báo cáo toàn "
                         "tỉnh)", "agency")
    agency: str | None = Field(None, description="mã định danh cơ quan hoặc `all`; mặc định cơ quan của người gọi")
    side: str | None = _choice(selectors.SIDES, "với một cơ quan: `resolving` (mặc định), `receiving` (mặc định "
                               "của trung tâm, chi nhánh) hoặc `either`")


class IndicatorOut(Schema):
    code: str
    group: int
    group_name: str
    name: str
    formula: str
    measured: bool = Field(description="false: dữ liệu của hệ thống chưa đo được chỉ số này (xem why_not)")
    why_not: str
    value: float | None = Field(description="phần trăm; null khi kỳ không có gì để đo")
    numerator: int | None
    denominator: int | None
    threshold: float | None = Field(description="đạt tối đa điểm từ mức này (%); null: 100 %")
    points: float = Field(description="điểm tối đa của chỉ số (cách chia điểm trong nhóm: chưa kiểm chứng)")
    score: float | None


class IndicatorsOut(Schema):
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")
    scope: str
    agency: str | None
    side: str | None
    score: float = Field(description="tổng điểm các chỉ số đo được")
    points_measured: float = Field(description="tổng điểm tối đa của các chỉ số đo được (trên 100)")
    indicators: list[IndicatorOut]


@router.get("/indicators", response={200: IndicatorsOut, **ERRORS}, by_alias=True,
            summary="Chỉ số chất lượng phục vụ theo Quyết định 766/QĐ-TTg")
def get_indicators(request: HttpRequest, params: Query[IndicatorParams]):
    """Các chỉ số của Bộ chỉ số 766 mà dữ liệu hệ thống đo được (công thức, giá trị, điểm), và các chỉ số chưa
    đo được cùng lý do. Cách chia điểm của nhóm cho từng chỉ số chưa được kiểm chứng."""
    agency, side = _scope(request, params)
    side = (side or selectors.default_side(agency)) if agency is not None else None
    period = _period(params)
    rows = selectors.indicators(period=period, agency=agency, side=side)
    return {"from": period.date_from, "to": period.date_to, "scope": "province" if agency is None else "agency",
            "agency": agency.identifier if agency else None, "side": side,
            "score": round(sum(r.score or 0 for r in rows), 2),
            "points_measured": round(sum(r.points for r in rows if r.definition.measured), 2),
            "indicators": [indicator_dict(r) for r in rows]}


def indicator_dict(row: Any) -> dict[str, Any]:
    d = row.definition
    return {"code": d.code, "group": d.group, "group_name": _(indicators.GROUPS[d.group][0]), "name": _(d.name),
            "formula": _(d.formula), "measured": d.measured, "why_not": _(d.why_not) if d.why_not else "",
            "value": row.value, "numerator": row.numerator, "denominator": row.denominator,
            "threshold": d.threshold, "points": row.points, "score": row.score}
