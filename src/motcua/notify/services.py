"""Asking for a notification, and the few writes a person makes to their own notifications.

``request`` is called inside the transaction of the action that causes the notification: it writes the
outbox row and its deliveries with the action, and queues the sending for after commit, so that the action
never waits for, nor rolls back because of, a mail server or an SMS provider.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import IntegrityError, transaction

from motcua.core import audit, clock
from motcua.notify import delivery, tasks
from motcua.notify.models import Message, Notification, Preference
from motcua.notify.preferences import Choice

RECIPIENT_KEYS = ("user_id", "name", "email", "phone", "role")


_quiet: ContextVar[bool] = ContextVar("motcua_notify_quiet", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    """Record notifications without delivering them (status ``skipped``): for loading history, such as the
    demo's past months, that must not mail or text anyone."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _recipient(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Only the known keys, as plain strings (other keys are dropped: a caller's slip must not fail the
    action)."""
    out: dict[str, Any] = {key: str(raw.get(key) or "").strip() for key in ("name", "email", "phone", "role")}
    out["user_id"] = int(raw["user_id"]) if raw.get("user_id") else None
    return out


def request(*, event: str, at: dt.datetime, agency_id: int | None = None, object_type: str = "",
            object_id: str = "", recipients: Iterable[Mapping[str, Any]] = (), once_key: str = "",
            **payload: Any) -> Notification:
    """Record that ``event`` must be told to ``recipients`` (dicts of user_id, name, email, phone, role; each
    may be empty); everything a message needs travels in ``payload``. Delivered after commit. With
    ``once_key``, a second request with the same key returns the first notification and adds nothing."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a notification is requested inside the transaction of the action that causes it")
    if once_key:
        existing = Notification.objects.filter(once_key=once_key).first()
        if existing is not None:
            return existing
    row = Notification(event=event, agency_id=agency_id, object_type=object_type, object_id=object_id,
                       payload=payload, recipients=[_recipient(r) for r in recipients], once_key=once_key,
                       created_at=at)
    if once_key:
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # a concurrent run recorded it first
            return Notification.objects.get(once_key=once_key)
    else:
        row.save()
    if not _quiet.get() and delivery.plan(row):
        tasks.deliver_after_commit(row.pk)
    else:
        Notification.objects.filter(pk=row.pk).update(status=Notification.Status.SKIPPED)
        row.status = Notification.Status.SKIPPED
    return row


def already_requested(keys: Iterable[str]) -> set[str]:
    """Which of these ``once_key`` values have a notification already (one query), so that a sweep skips them
    without building their recipients."""
    wanted = {k for k in keys if k}
    if not wanted:
        return set()
    return set(Notification.objects.filter(once_key__in=wanted).values_list("once_key", flat=True))


def mark_read(*, user: Any, message_id: int) -> bool:
    """Mark one of the user's own in-app messages read; False when it is not theirs (or already read)."""
    return bool(Message.objects.filter(pk=message_id, user=user, read_at__isnull=True).update(read_at=clock.now()))


def mark_all_read(*, user: Any) -> int:
    return Message.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())


@transaction.atomic
def save_preferences(*, user: Any, choice: Choice) -> Preference:
    """The channels a person chooses for their own account; audited like any change of a setting."""
    pref = Preference.objects.select_for_update().filter(user=user).first()
    before = None if pref is None else {"email": pref.email, "sms": pref.sms, "in_app": pref.in_app}
    pref = pref or Preference(user=user)
    pref.email, pref.sms, pref.in_app, pref.updated_at = choice.email, choice.sms, choice.in_app, clock.now()
    pref.save()
    after = {"email": pref.email, "sms": pref.sms, "in_app": pref.in_app}
    if before != after:
        audit.record(actor=user, action="notify.preference.update", target=pref, before=before, after=after)
    return pref
