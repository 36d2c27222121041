from __future__ import annotations

from django.core.management.base import CommandError

from motcua.org.models import Agency


def find_agency(key: str | None) -> Agency | None:
    """An agency by identifier or short name; None (the national calendar) when no key is given."""
    if not key:
        return None
    agency = Agency.objects.filter(identifier=key).first() or Agency.objects.filter(short_name=key).first()
    if agency is None:
        raise CommandError(f"Không tìm thấy cơ quan {key!r} (nhập mã định danh hoặc tên viết tắt).")
    return agency
