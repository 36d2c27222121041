"""Asking for a notification: one row in the outbox, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from motcua.notify.models import Notification


def request(*, event: str, at: dt.datetime, agency_id: int | None = None, object_type: str = "",
            object_id: str = "", **payload: Any) -> Notification:
    """Record that ``event`` must be told (to the applicant, to staff); delivered after commit by a worker."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a notification is requested inside the transaction of the action that causes it")
    return Notification.objects.create(event=event, agency_id=agency_id, object_type=object_type,
                                       object_id=object_id, payload=payload, created_at=at)
