"""Sending the deliveries of a notification, one attempt at a time, recording each outcome.

Runs outside the action's transaction (a task after commit, or the ``notify_retry`` command), so a failure
here can only be recorded, never undo the action. A worker takes a delivery by a compare-and-set update of
its attempt count and next-attempt instant (a lease), so that the task and the cron command, or two
workers, never send the same message twice at once — on PostgreSQL and SQLite alike, without row locks.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from motcua.core import clock
from motcua.notify import backoff, preferences, rendering
from motcua.notify.channels import SENDERS
from motcua.notify.models import Delivery, MessageTemplate, Notification

logger = logging.getLogger("motcua.notify")
ERROR_LIMIT = 1000


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    retrying: int = 0

    def add(self, other: Outcome) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.retrying += other.retrying


def plan(notification: Notification) -> list[Delivery]:
    """One pending delivery per recipient and channel the recipient is reached by, due at once. Channels whose
    template the administrator switched off are left out. Inside the action's transaction: two queries at
    most (preferences, switched-off templates) and one insert."""
    recipients: list[Mapping[str, Any]] = notification.recipients or []
    if not recipients:
        return []
    choices = preferences.stored(r.get("user_id") for r in recipients)
    off = set(MessageTemplate.objects.filter(event=notification.event, is_active=False)
              .values_list("channel", flat=True))
    due = min(notification.created_at, timezone.now())  # at once, even when a test's clock is ahead
    rows = [Delivery(notification=notification, recipient=index, user_id=r.get("user_id") or None,
                     name=(r.get("name") or "")[:255], role=(r.get("role") or "")[:20], channel=channel,
                     address=address[:255], next_attempt_at=due)
            for index, r in enumerate(recipients)
            for channel, address in preferences.channels_for(r, choices) if channel not in off]
    return Delivery.objects.bulk_create(rows)


def _take(delivery: Delivery, now: dt.datetime) -> bool:
    """Claim the delivery for one attempt; False when someone else has it or it is not due."""
    taken = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING, attempts=delivery.attempts,
                                    next_attempt_at__lte=now).update(attempts=delivery.attempts + 1,
                                                                     next_attempt_at=now + backoff.LEASE)
    if taken:
        delivery.attempts += 1
    return bool(taken)


def _render(delivery: Delivery, notification: Notification) -> rendering.Rendered:
    texts = rendering.texts_for(notification.event, delivery.channel)
    if texts is None:
        raise LookupError(f"không có mẫu thông báo đang dùng cho {notification.event} ({delivery.channel})")
    recipient = notification.recipients[delivery.recipient] if delivery.recipient < len(notification.recipients) \
        else {"name": delivery.name}
    values = rendering.context_for(event=notification.event, object_id=notification.object_id,
                                  payload=notification.payload, recipient=recipient)
    subject, body = rendering.render(*texts, values)
    return rendering.Rendered(subject=subject, body=body, link=_link(notification.payload, delivery.role))


def _link(payload: dict[str, Any], role: str) -> str:
    """Where an in-app message leads: staff to ``url`` (the dossier's staff page); an applicant to
    ``applicant_url`` (their own dossier page) or the public ``lookup_url``; whichever exists otherwise."""
    order = ("url", "lookup_url") if role != preferences.APPLICANT else ("applicant_url", "lookup_url", "url")
    return next((str(payload[key]) for key in order if payload.get(key)), "")


def attempt(delivery: Delivery, notification: Notification) -> Outcome:
    """One try: sent, failed for good, or failed and due again after the back-off."""
    now = clock.now()
    if not _take(delivery, now):
        return Outcome()
    try:
        rendered = _render(delivery, notification)
        SENDERS[delivery.channel](delivery, rendered)
    except Exception as error:
        text = f"{type(error).__name__}: {error}"[:ERROR_LIMIT]
        logger.warning("notification %s: %s to %s failed (attempt %s): %s", notification.pk, delivery.channel,
                       delivery.address or delivery.user_id, delivery.attempts, text)
        delay = None if isinstance(error, LookupError) else backoff.delay_after(delivery.attempts)
        status = Delivery.Status.FAILED if delay is None else Delivery.Status.PENDING
        Delivery.objects.filter(pk=delivery.pk).update(status=status, last_error=text,
                                                       next_attempt_at=None if delay is None else now + delay)
        return Outcome(failed=1) if delay is None else Outcome(retrying=1)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENT, sent_at=clock.now(),
                                                   next_attempt_at=None, subject=rendered.subject[:255],
                                                   body=rendered.body)
    return Outcome(sent=1)


def summarise(notification_id: int) -> None:
    """The notification's status from its deliveries: pending while any is pending, sent when all are, failed
    when all are settled and one failed; skipped when there was nothing to deliver."""
    stats = Delivery.objects.filter(notification_id=notification_id).aggregate(
        total=Count("pk"), pending=Count("pk", filter=Q(status=Delivery.Status.PENDING)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)), attempts=Max("attempts"),
        sent_at=Max("sent_at"))
    if not stats["total"]:
        status = Notification.Status.SKIPPED
    elif stats["pending"]:
        status = Notification.Status.PENDING
    elif stats["failed"]:
        status = Notification.Status.FAILED
    else:
        status = Notification.Status.SENT
    error = (Delivery.objects.filter(notification_id=notification_id).exclude(last_error="")
             .order_by("-pk").values_list("last_error", flat=True).first()) if stats["failed"] or stats["pending"] \
        else ""
    Notification.objects.filter(pk=notification_id).update(
        status=status, attempts=stats["attempts"] or 0, last_error=error or "",
        sent_at=stats["sent_at"] if status == Notification.Status.SENT else None)


def deliver(notification_id: int) -> Outcome:
    """Every due delivery of one notification (the task after commit)."""
    outcome = Outcome()
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return outcome
    for delivery in _due(Delivery.objects.filter(notification_id=notification_id)):
        outcome.add(attempt(delivery, notification))
    summarise(notification_id)
    return outcome


def _due(deliveries: QuerySet[Delivery]) -> QuerySet[Delivery]:
    return deliveries.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=clock.now()).order_by("pk")


def retry_due(*, limit: int = 500) -> Outcome:
    """Deliveries whose time has come, oldest first (the cron command, when the task backend is down or a
    retry is due). Gives up on a delivery whose last attempt never reported back (a worker died holding it)."""
    now = clock.now()
    stranded = Delivery.objects.filter(status=Delivery.Status.PENDING, attempts__gte=backoff.MAX_ATTEMPTS,
                                       next_attempt_at__lte=now)
    touched = set(stranded.values_list("notification_id", flat=True))
    given_up = stranded.update(status=Delivery.Status.FAILED, next_attempt_at=None,
                               last_error="Lần gửi cuối không báo lại kết quả (tiến trình gửi dừng giữa chừng).")
    outcome = Outcome(failed=given_up)
    batch = list(_due(Delivery.objects.all()).select_related("notification")[:limit])
    for delivery in batch:
        outcome.add(attempt(delivery, delivery.notification))
        touched.add(delivery.notification_id)
    for notification_id in touched:
        summarise(notification_id)
    return outcome


def next_due(notification_id: int) -> dt.datetime | None:
    """When the earliest pending delivery of a notification may be tried again, or None."""
    return (Delivery.objects.filter(notification_id=notification_id, status=Delivery.Status.PENDING)
            .aggregate(at=Min("next_attempt_at"))["at"])
