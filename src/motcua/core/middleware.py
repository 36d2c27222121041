"""Request-wide concerns: the client's address for the audit log, the language, the API's error shape."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

log = logging.getLogger(__name__)

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the address the trusted reverse proxy saw (NUM_PROXIES hops from the right)."""
    proxies = int(getattr(settings, "NUM_PROXIES", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


class VietnameseFirstMiddleware:
    """Vietnamese unless the user chose another language (the footer's switch sets a cookie).

    Put before LocaleMiddleware: a browser's Accept-Language (en-US on many office machines) must not
    turn a Vietnamese agency's pages into English.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class ClientIPMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class ApiErrorShapeMiddleware:
    """Under /api/, every error has the API's JSON shape: also the 404 of an unknown path, the 405 of a
    wrong method and an unexpected 500, which Django and django-ninja answer in HTML or plain text."""

    MESSAGES = {
        404: ("not_found", "Không có địa chỉ API này."),
        405: ("method_not_allowed", "Phương thức HTTP này không dùng được ở địa chỉ này."),
        500: ("server_error", "Lỗi hệ thống; lỗi đã được ghi lại để xử lý."),
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (request.path.startswith("/api/") and response.status_code in self.MESSAGES
                and not response.get("Content-Type", "").startswith("application/json")):
            return self._json(response.status_code, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith("/api/"):
            return None
        log.error("API error on %s", request.path, exc_info=exception)
        return self._json(500)

    def _json(self, status: int, original: HttpResponse | None = None) -> HttpResponse:
        code, message = self.MESSAGES[status]
        response = JsonResponse({"code": code, "message": message, "details": {}}, status=status)
        if original is not None and original.has_header("Allow"):
            response["Allow"] = original["Allow"]
        return response
