"""Notification requests: an outbox written in the same transaction as the action that causes them.

The action never waits for, nor rolls back because of, a delivery: it only records what must be told
to whom; a background worker delivers the pending rows afterwards (email, SMS, in-app) and records the
outcome. Plain ids, so that ``notify`` depends on no other app of ours.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    event = models.CharField(_("sự kiện"), max_length=60)
    agency_id = models.BigIntegerField(_("mã cơ quan"), null=True, blank=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=100, blank=True)
    payload = models.JSONField(_("nội dung"), default=dict)
    created_at = models.DateTimeField(_("tạo lúc"))
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [models.Index(fields=["created_at"], condition=Q(status="pending"), name="notification_pending")]

    def __str__(self) -> str:
        return f"{self.event} {self.object_id}"
