"""Who may read which agency's figures: staff with ``view_reports`` their own agency's; another agency or
the whole province only with ``view_province_reports`` (the province roles — provincial leaders, the province's
auditors, the service centre's director when given the province leader's role — or a superuser). Statistics
carry no personal data, so no unit or division scoping beyond this."""

from __future__ import annotations

from typing import Any

from motcua.core.errors import DomainError, ErrorCode
from motcua.org.access import staff_of
from motcua.org.models import Agency, Staff

ALL = "all"


def reader_of(user: Any) -> Staff:
    """The staff member asking for reports, or a refusal (401/403)."""
    staff = staff_of(user)
    if not (user.has_perm("dossiers.view_reports") or user.has_perm("dossiers.view_province_reports")):
        raise DomainError(ErrorCode.FORBIDDEN, "Bạn không có quyền xem báo cáo, thống kê.")
    return staff


def may_read_province(user: Any) -> bool:
    return bool(user.has_perm("dossiers.view_province_reports"))


def province_reader(user: Any) -> Staff:
    """The staff member asking for the whole province's figures, or a refusal (401/403)."""
    staff = reader_of(user)
    if not may_read_province(user):
        raise DomainError(ErrorCode.FORBIDDEN, "Chỉ lãnh đạo tỉnh và người được giao xem báo cáo toàn tỉnh mới xem "
                                               "được số liệu toàn tỉnh.")
    return staff


def report_agency(user: Any, identifier: str | None = None) -> Agency | None:
    """The agency whose figures ``user`` asks for — their own when ``identifier`` is empty, every agency for
    ``"all"`` (None) — or a refusal."""
    staff = reader_of(user)
    if not identifier or identifier == staff.agency.identifier:
        if not user.has_perm("dossiers.view_reports"):
            raise DomainError(ErrorCode.FORBIDDEN, "Bạn không có quyền xem báo cáo của cơ quan.")
        return staff.agency
    if not user.has_perm("dossiers.view_province_reports"):
        raise DomainError(ErrorCode.FORBIDDEN, "Bạn chỉ được xem báo cáo của cơ quan mình.")
    if identifier == ALL:
        return None
    agency = Agency.objects.filter(identifier=identifier).first()
    if agency is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"Không có cơ quan mã {identifier}.")
    return agency
