"""The current instant, in one place, so that the demo can replay past months and tests can move time.

Services ask ``clock.now()`` instead of ``timezone.now()``. In production nothing overrides it, so it is
the real time. ``at(t)`` sets the instant for the code run inside it (a context variable, so threads and
requests never see each other's override).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_override: ContextVar[dt.datetime | None] = ContextVar("motcua_clock", default=None)


def now() -> dt.datetime:
    return _override.get() or timezone.now()


@contextmanager
def at(instant: dt.datetime) -> Iterator[dt.datetime]:
    if instant.tzinfo is None:
        raise ValueError("the clock needs an aware datetime")
    token = _override.set(instant)
    try:
        yield instant
    finally:
        _override.reset(token)
