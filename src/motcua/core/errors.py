"""One error type for refusals a user can understand, mapped to HTTP and to page messages in one place."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Stable codes for programs; the message carries the Vietnamese text for people."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    UNAUTHENTICATED = "unauthenticated"
    CONFLICT = "conflict"
    STALE = "stale"
    INVALID_STATE = "invalid_state"
    RATE_LIMITED = "rate_limited"


HTTP_STATUS: dict[str, int] = {
    ErrorCode.INVALID: 400,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.STALE: 409,
    ErrorCode.INVALID_STATE: 409,
    ErrorCode.RATE_LIMITED: 429,
}


class DomainError(Exception):
    """A refusal: a stable ``code``, a Vietnamese ``message`` and optional ``details`` for programs."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = str(code)
        self.message = str(message)
        self.details = details

    @property
    def http_status(self) -> int:
        return HTTP_STATUS.get(self.code, 400)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}
