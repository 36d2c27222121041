"""Reads of a person's own notifications: the inbox page, the unread count in the header, their choices."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from motcua.notify.models import Delivery, Message, Preference
from motcua.notify.preferences import Choice, default_choice

PAGE_SIZE = 30


def inbox(user: Any, *, before: int | None = None, limit: int = PAGE_SIZE) -> list[Message]:
    """Newest first, keyset-paginated on the id (``before``: the last id of the previous page)."""
    qs: QuerySet[Message] = Message.objects.filter(user=user).order_by("-id")
    if before is not None:
        qs = qs.filter(id__lt=before)
    return list(qs[:limit])


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Message.objects.filter(user=user, read_at__isnull=True).count()


def choice_of(user: Any) -> tuple[Choice, bool]:
    """The person's saved choice, or the defaults that apply to them now (as the role they were last written
    to as; an account never written to yet gets an applicant's defaults, the common case), and whether it
    was saved."""
    pref = Preference.objects.filter(user=user).first()
    if pref is not None:
        return Choice(pref.email, pref.sms, pref.in_app), True
    role = (Delivery.objects.filter(user_id=user.pk).order_by("-pk").values_list("role", flat=True).first()
            or "applicant")
    return default_choice(role), False
