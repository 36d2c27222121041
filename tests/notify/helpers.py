from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from motcua.core import clock
from motcua.notify import services as notify
from motcua.notify.models import Notification
from tests.notify.conftest import PAYLOAD, T0


def ask(capture, *, event: str = "dossier.received", recipients=(), at: dt.datetime = T0,
        **payload: Any) -> Notification:
    """Request a notification inside a transaction, as an action does, and run what happens after commit."""
    with clock.at(at), capture(execute=True), transaction.atomic():
        row = notify.request(event=event, at=at, agency_id=1, object_type="dossiers.dossier",
                             object_id=PAYLOAD["code"], recipients=recipients, **{**PAYLOAD, **payload})
    row.refresh_from_db()
    return row
