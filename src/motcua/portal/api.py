"""Public API of the portal: the dossier look-up, the same as the page (no login)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from ninja import Field, Query, Router, Schema

from motcua.core.errors import DomainError, ErrorCode
from motcua.dossiers.api import Local
from motcua.org.api import ErrorOut
from motcua.portal import limits, lookup
from motcua.portal.views import NOT_FOUND

router = Router(tags=["Cổng dịch vụ công: tra cứu"])


class SupplementItemOut(Schema):
    name: str
    reason: str


class PublicDossierOut(Schema):
    code: str
    procedure: str
    agency: str
    state: str
    status: str = Field(description="tình trạng bằng lời cho người dân")
    submitted_at: Local
    received_at: Local | None
    due_at: Local | None
    current_step: str | None
    supplement_reason: str
    supplement_items: list[SupplementItemOut]
    result_ready: bool
    returned_at: Local | None


class CheckParams(Schema):
    check: str = Field(min_length=4, max_length=4, pattern=r"^\d{4}$",
                       description="4 số cuối số điện thoại hoặc số định danh (mã số thuế) của người nộp")


@router.get("/public/dossiers/{code}", auth=None,
            response={200: PublicDossierOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
            summary="Tra cứu tình trạng hồ sơ (công khai)")
def public_dossier(request: HttpRequest, code: str, params: Query[CheckParams]):
    """Mã sai và số kiểm tra sai nhận cùng một câu trả lời 404; số lần tra cứu sai bị giới hạn theo máy và theo
    mã (hết lượt: mọi lần tra cứu đều nhận 429 kèm ``Retry-After`` cho đến hết thời gian chờ)."""
    wait = limits.retry_after(request, code)
    if wait is not None:
        response = JsonResponse({"code": ErrorCode.RATE_LIMITED, "message": f"{limits.LIMITED}; hãy thử lại sau.",
                                 "details": {"retry_after_seconds": wait}}, status=429,
                                json_dumps_params={"ensure_ascii": False})
        response["Retry-After"] = str(wait)
        return response
    found = lookup.find(code, params.check)
    if found is None:
        limits.record_failure(request, code)
        raise DomainError(ErrorCode.NOT_FOUND, NOT_FOUND)
    return found
