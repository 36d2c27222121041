"""The JSON API under /api/v1/: one NinjaAPI, app routers mounted here, errors mapped in one place.

Every error body has the same shape, ``{"code", "message", "details"}``, with a Vietnamese message.
"""

from __future__ import annotations

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from motcua.catalog.api import router as catalog_router
from motcua.core.errors import DomainError, ErrorCode
from motcua.documents.api import router as documents_router
from motcua.dossiers.api import router as dossiers_router
from motcua.org.api import router as org_router
from motcua.org.api_auth import api_auth
from motcua.portal.api import router as portal_router
from motcua.reports.api import router as reports_router

api = NinjaAPI(
    title="motcua API",
    version="1",
    description="Một cửa điện tử và quản lý văn bản — API cho cán bộ và hệ thống kết nối. "
    "Xác thực: `POST /api/v1/auth/token` lấy bearer token, hoặc phiên đăng nhập của trang web.",
    auth=api_auth,
    urls_namespace="api-v1",
    # Swagger UI sets inline styles; allow them on the docs page only.
    docs_decorator=csp_update({"style-src": ["'self'", "'unsafe-inline'"], "img-src": ["'self'", "data:"]}),
)


def _error(request: HttpRequest, status: int, code: str, message: str, **details) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "details": details}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.http_status, exc.code, exc.message, **exc.details)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [{"field": str(e["loc"][-1]) if e.get("loc") else None, "message": e.get("msg", "")} for e in exc.errors]
    return _error(request, 422, ErrorCode.INVALID, "Dữ liệu gửi lên không hợp lệ.", errors=errors)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, ErrorCode.UNAUTHENTICATED,
                      "Bạn cần đăng nhập hoặc gửi bearer token hợp lệ.")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(AuthorizationError)
def on_forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return _error(request, 403, ErrorCode.FORBIDDEN, "Bạn không có quyền thực hiện thao tác này.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, ErrorCode.NOT_FOUND, "Không tìm thấy.")


HTTP_ERRORS = {
    400: (ErrorCode.INVALID, "Nội dung gửi lên không đọc được (không phải JSON hợp lệ)."),
    401: (ErrorCode.UNAUTHENTICATED, "Bạn cần đăng nhập hoặc gửi bearer token hợp lệ."),
    403: (ErrorCode.FORBIDDEN, "Bạn không có quyền thực hiện thao tác này."),
    404: (ErrorCode.NOT_FOUND, "Không tìm thấy."),
    429: (ErrorCode.RATE_LIMITED, "Quá nhiều yêu cầu; hãy thử lại sau."),
}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = HTTP_ERRORS.get(exc.status_code, (ErrorCode.INVALID, "Yêu cầu không hợp lệ."))
    return _error(request, exc.status_code, code, message)


api.add_router("/", org_router)
api.add_router("/", catalog_router)
api.add_router("/", dossiers_router)
api.add_router("/", portal_router)
api.add_router("/reports/", reports_router)
api.add_router("/", documents_router)
