"""The background side: one django-tasks task delivers a notification after the action commits.

The backend is whatever ``TASKS`` configures: the database backend (``motcua db_worker`` runs it) by
default, the immediate backend in tests. If enqueueing fails (the task table unreachable), nothing is lost:
the deliveries are rows due now, and ``motcua notify_retry`` (cron) sends them.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import asdict

from django.db import transaction
from django_tasks import task

from motcua.notify import delivery

logger = logging.getLogger("motcua.notify")


@task()
def deliver_notification(notification_id: int) -> dict[str, int]:
    outcome = delivery.deliver(notification_id)
    if outcome.retrying:
        _schedule_retry(notification_id)
    return asdict(outcome)


def _schedule_retry(notification_id: int) -> None:
    """With a backend that can run a task later, the next attempt is queued for when the back-off ends;
    otherwise the cron command takes it."""
    if not deliver_notification.get_backend().supports_defer:
        return
    at = delivery.next_due(notification_id)
    if at is not None:
        _enqueue(notification_id, run_after=at)


def _enqueue(notification_id: int, run_after=None) -> None:
    try:
        job = deliver_notification.using(run_after=run_after) if run_after is not None else deliver_notification
        job.enqueue(notification_id)
    except Exception:
        logger.exception("notification %s: could not enqueue its delivery; notify_retry will send it",
                         notification_id)


def deliver_after_commit(notification_id: int) -> None:
    """Queue the delivery when (and only if) the caller's transaction commits."""
    transaction.on_commit(functools.partial(_enqueue, notification_id), robust=True)
