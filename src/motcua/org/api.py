"""API of the organisation: tokens, who am I, and the working-day calendar of the caller's agency."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from motcua.core import workdays
from motcua.core.calendars import due_at, year_entries
from motcua.core.errors import DomainError, ErrorCode
from motcua.org import calendars, selectors, services
from motcua.org.access import staff_of

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
