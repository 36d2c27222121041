"""Limits of the public look-up: failed attempts per client address and per dossier code in a window.

Only failed attempts (an unknown code or a wrong second factor) count: they are what guessing produces, and
the applicant who knows their factor is never slowed down. Once a client or a code has used up its failures,
every look-up — even a right one — is refused until the window ends, so that a guesser cannot tell a hit from
a miss by the answer. The counts live in a table (``LookupCounter``) updated by one atomic upsert, exact
whatever the number of server processes and with no extra service; counters of Django's database cache were
not (their increments are not atomic, reset the expiry, and are culled past 300 entries).
"""

from __future__ import annotations

import random
import re

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from motcua.core import clock
from motcua.core.middleware import client_ip
from motcua.portal.models import LookupCounter

_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# The table of ``LookupCounter`` (Django's default name); one statement counts both keys.
_UPSERT = (
    "INSERT INTO portal_lookupcounter (name, window_end, failures) VALUES (%s, %s, 1), (%s, %s, 1) "
    "ON CONFLICT (name) DO UPDATE SET "
    "failures = CASE WHEN portal_lookupcounter.window_end <= %s THEN 1 ELSE portal_lookupcounter.failures + 1 END, "
    "window_end = CASE WHEN portal_lookupcounter.window_end <= %s THEN excluded.window_end "
    "ELSE portal_lookupcounter.window_end END")
_READ = "SELECT name, failures, window_end FROM portal_lookupcounter WHERE name IN (%s, %s) AND window_end > %s"
LIMITED = "Đã có quá nhiều lần tra cứu sai từ máy này hoặc với mã hồ sơ này"  # the refusal, page and API
PRUNE_EVERY = 500  # about one failed look-up in this many also deletes the counters whose window has ended


def parse_rate(rate: str) -> tuple[int, int]:
    """"20/10m" → (20, 600): the failures allowed and the window in seconds."""
    match = _RATE.match(rate.strip())
    if match is None:
        raise ValueError(f"rate must look like 20/10m, not {rate!r}")
    count, amount, unit = match.groups()
    return int(count), int(amount or 1) * _UNIT[unit]


def _keys(request: HttpRequest, code: str) -> dict[str, tuple[int, int]]:
    return {f"client:{client_ip(request) or '?'}"[:100]: parse_rate(settings.LOOKUP_RATE_PER_CLIENT),
            f"code:{code.strip().upper()[:64]}": parse_rate(settings.LOOKUP_RATE_PER_CODE)}


def retry_after(request: HttpRequest, code: str) -> int | None:
    """The seconds to wait while the client or the code has used up its failed attempts; None otherwise."""
    now = clock.now().timestamp()
    keys = _keys(request, code)
    with connection.cursor() as cursor:  # plain SQL: on the busiest public read, the ORM's compiling cost more
        cursor.execute(_READ, [*keys, now])
        rows = cursor.fetchall()
    waits = [max(1, int(end - now + 0.999)) for name, failures, end in rows if failures >= keys[name][0]]
    return max(waits) if waits else None


def record_failure(request: HttpRequest, code: str) -> None:
    """Count one failed look-up against the client and the code, in one statement."""
    now = clock.now().timestamp()
    params: list[object] = []
    for name, (_allowed, window) in _keys(request, code).items():
        params += [name, now + window]
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [*params, now, now])
    if random.randrange(PRUNE_EVERY) == 0:
        LookupCounter.objects.filter(window_end__lte=now).delete()
