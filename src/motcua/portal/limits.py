"""Rate limits of the public look-up, per client and per dossier code (django-ratelimit's counters in the
shared cache: set REDIS_URL when several app servers run, or each keeps its own counts)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from motcua.core.middleware import client_ip


def retry_after(request: HttpRequest, code: str) -> int | None:
    """Count one look-up; the seconds to wait when the client or the code has used up its attempts."""
    waits = []
    for group, rate, value in (("lookup-client", settings.LOOKUP_RATE_PER_CLIENT, client_ip(request) or "?"),
                               ("lookup-code", settings.LOOKUP_RATE_PER_CODE, code.strip().upper()[:64])):
        usage = get_usage(request, group=group, key=lambda _group, _request, v=value: v, rate=rate, increment=True)
        if usage is not None and usage["should_limit"]:
            waits.append(max(1, int(usage["time_left"])))
    return max(waits) if waits else None
