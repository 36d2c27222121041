"""API of the organisation: tokens, who am I, the province's agencies (public), and the working-day calendar of
the caller's agency."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.contrib.auth import authenticate
from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from motcua.core import workdays
from motcua.core.calendars import due_at, year_entries
from motcua.core.errors import DomainError, ErrorCode
from motcua.org import calendars, selectors, services
from motcua.org.access import staff_of
from motcua.org.models import Agency

router = Router(tags=["Tổ chức và lịch làm việc"])


class ErrorOut(Schema):
    code: str
    message: str
    details: dict = Field(default_factory=dict)


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)


class TokenOut(Schema):
    token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_at: dt.datetime


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
             summary="Lấy bearer token bằng tên đăng nhập và mật khẩu")
def post_token(request: HttpRequest, body: TokenIn):
    user = authenticate(request, username=body.username, password=body.password)
    if getattr(request, "axes_locked_out", False):
        raise DomainError(ErrorCode.RATE_LIMITED, "Đăng nhập sai quá nhiều lần; hãy thử lại sau ít phút.")
    if user is None:
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Tên đăng nhập hoặc mật khẩu không đúng.")
    staff_of(user)  # only staff of an active agency get a token
    raw, token = services.issue_api_token(user=user)
    return {"token": raw, "expires_at": token.expires_at}


class PlaceOut(Schema):
    id: int
    name: str


class AgencyOut(Schema):
    identifier: str
    name: str
    short_name: str


class MeOut(Schema):
    username: str
    full_name: str
    agency: AgencyOut
    position: str | None
    division: PlaceOut | None
    unit: PlaceOut | None
    roles: list[str]


@router.get("/me", response={200: MeOut, 401: ErrorOut, 403: ErrorOut}, summary="Cán bộ đang đăng nhập")
def get_me(request: HttpRequest):
    profile = selectors.profile(staff_of(request.user))
    return {
        "username": profile.staff.user.username,
        "full_name": profile.staff.full_name,
        "agency": profile.staff.agency,
        "position": profile.assignment.position.name if profile.assignment else None,
        "division": profile.assignment.division if profile.assignment else None,
        "unit": profile.assignment.unit if profile.assignment else None,
        "roles": sorted(r.value for r in profile.roles),
    }


AgencyKind = Literal["province", "department", "service_centre", "branch", "commune"]


class ProvinceAgencyOut(Schema):
    identifier: str = Field(description="mã định danh (QCVN 102:2016), ví dụ 000.00.12.H22")
    name: str
    short_name: str
    kind: AgencyKind = Field(description="province: UBND tỉnh; department: sở, ngành; service_centre: Trung tâm "
                             "Phục vụ hành chính công; branch: chi nhánh của Trung tâm; commune: UBND xã, phường")
    parent: str | None = Field(description="mã định danh cơ quan cấp trên")
    served_communes: list[str] | None = Field(
        description="với chi nhánh (branch): mã các xã, phường chi nhánh phục vụ; null với cơ quan khác")
    receives: bool = Field(description="có bộ phận một cửa trên hệ thống: tiếp nhận hồ sơ mọi thủ tục của tỉnh, "
                           "không phụ thuộc địa giới hành chính")
    resolves: bool = Field(description="giải quyết hồ sơ trên hệ thống (chọn được làm resolving_agency); trung tâm "
                           "và chi nhánh chỉ tiếp nhận, trả kết quả")


class AgencyPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProvinceAgencyOut]


class AgencyParams(Schema):
    kind: AgencyKind | None = Field(None, description="chỉ các cơ quan loại này")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=100_000)


@router.get("/agencies", auth=None, response={200: AgencyPage, 422: ErrorOut}, summary="Các cơ quan của tỉnh")
def list_agencies(request: HttpRequest, params: Query[AgencyParams]):
    """Các cơ quan đang hoạt động của tỉnh: UBND tỉnh, các sở, ngành, Trung tâm Phục vụ hành chính công và các chi
    nhánh, UBND các xã, phường — theo thứ tự đó, rồi theo tên. Không cần đăng nhập."""
    agencies = selectors.province_agencies(kind=params.kind or "")
    page = list(agencies.select_related("parent").prefetch_related(
        Prefetch("served_communes", queryset=Agency.objects.order_by("identifier").only("pk", "identifier")))
        [params.offset: params.offset + params.limit])
    return {
        "count": agencies.count(), "limit": params.limit, "offset": params.offset,
        "items": [{"identifier": a.identifier, "name": a.name, "short_name": a.short_name, "kind": a.kind,
                   "parent": a.parent.identifier if a.parent else None,
                   "served_communes": [c.identifier for c in a.served_communes.all()]
                   if a.kind == Agency.Kind.BRANCH else None,
                   "receives": selectors.receives(a), "resolves": selectors.resolves(a)} for a in page],
    }


class DueOut(Schema):
    start: dt.datetime
    due: dt.datetime
    working_minutes: int


@router.get("/calendar/due", response={200: DueOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
            summary="Tính thời điểm đến hạn theo ngày/giờ làm việc của cơ quan")
def get_due(request: HttpRequest, start: dt.datetime, days: int = Query(0, ge=0, le=3650),
            hours: int = Query(0, ge=0, le=29200)):
    staff = staff_of(request.user)
    amount = workdays.WorkingTime.days(days) + workdays.WorkingTime.hours(hours)
    due = due_at(start, amount, calendars.calendar_for(staff.agency))
    return {"start": start, "due": due, "working_minutes": amount.minutes}


class DayOut(Schema):
    date: dt.date
    name: str
    working: bool


@router.get("/calendar/{year}", response={200: list[DayOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
            summary="Ngày nghỉ (và ngày làm bù) trong năm theo lịch của cơ quan")
def get_year(request: HttpRequest, year: int = Path(..., ge=1900, le=2100)):
    staff = staff_of(request.user)
    return year_entries(calendars.calendar_for(staff.agency), year)
