"""Notifications: an outbox written in the same transaction as the action that causes them, and what became of it.

The action never waits for, nor rolls back because of, a delivery: it records what must be told to whom
(``Notification`` with its recipients, and one ``Delivery`` per recipient and channel); a background task
sends them after commit and records each outcome, retrying with back-off. Plain ids and copied names,
so that ``notify`` depends on no other app of ours (only on Django's user model, for the in-app inbox
and the preferences a person sets for their own account).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.template import TemplateSyntaxError
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    IN_APP = "in_app", _("Thông báo trên hệ thống")


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")
        SKIPPED = "skipped", _("Không có gì để gửi")

    event = models.CharField(_("sự kiện"), max_length=60)
    agency_id = models.BigIntegerField(_("mã cơ quan"), null=True, blank=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=100, blank=True)
    payload = models.JSONField(_("nội dung"), default=dict)
    recipients = models.JSONField(_("người nhận"), default=list, blank=True)
    once_key = models.CharField(_("khóa chống gửi trùng"), max_length=200, blank=True,
                                help_text=_("Hai yêu cầu cùng khóa chỉ tạo một thông báo (ví dụ nhắc hạn mỗi ngày)."))
    created_at = models.DateTimeField(_("tạo lúc"))
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [models.Index(fields=["created_at"], condition=Q(status="pending"), name="notification_pending")]
        constraints = [models.UniqueConstraint(fields=["once_key"], condition=~Q(once_key=""),
                                               name="notification_once_key")]

    def __str__(self) -> str:
        return f"{self.event} {self.object_id}"


class Delivery(models.Model):
    """One message to one recipient on one channel. ``next_attempt_at`` is when it may be tried (again):
    a worker takes it by moving that instant forward, so two workers never send it at once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries",
                                     verbose_name=_("thông báo"))
    recipient = models.PositiveSmallIntegerField(_("người nhận thứ"))
    user_id = models.BigIntegerField(_("mã tài khoản"), null=True, blank=True)
    name = models.CharField(_("người nhận"), max_length=255, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, blank=True)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True,
                               help_text=_("Thư điện tử hoặc số điện thoại; trống với thông báo trên hệ thống."))
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    subject = models.CharField(_("tiêu đề đã gửi"), max_length=255, blank=True)
    body = models.TextField(_("nội dung đã gửi"), blank=True)

    class Meta:
        verbose_name = _("lượt gửi")
        verbose_name_plural = _("lượt gửi")
        constraints = [models.UniqueConstraint(fields=["notification", "recipient", "channel"],
                                               name="delivery_once_per_channel")]
        indexes = [models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="delivery_due"),
                   models.Index(fields=["user_id", "-id"], condition=Q(user_id__isnull=False), name="delivery_user")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.name or self.address}"


class Message(models.Model):
    """The in-app inbox: what a person with an account sees on /thong-bao/."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_messages",
                             verbose_name=_("tài khoản"))
    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="message", null=True,
                                    blank=True)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    link = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("lúc"))
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo trên hệ thống")
        verbose_name_plural = _("thông báo trên hệ thống")
        indexes = [models.Index(fields=["user", "-id"], name="message_inbox"),
                   models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="message_unread")]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """The channels a person chose for their account; without a row the defaults apply (``preferences.py``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference",
                                verbose_name=_("tài khoản"))
    email = models.BooleanField(_("nhận qua thư điện tử"), default=True)
    sms = models.BooleanField(_("nhận qua tin nhắn SMS"), default=False)
    in_app = models.BooleanField(_("nhận trên hệ thống"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("lựa chọn nhận thông báo")
        verbose_name_plural = _("lựa chọn nhận thông báo")

    def __str__(self) -> str:
        return str(self.user)


class MessageTemplate(models.Model):
    """The Vietnamese wording of one event on one channel, a Django template rendered with the request's payload.

    Shipped rows come from ``defaults.py`` (data migration); an administrator edits them. A missing row falls
    back to the shipped text, so that deleting a row never silences an event; an inactive row does."""

    event = models.CharField(_("sự kiện"), max_length=60)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True,
                               help_text=_("Tiêu đề thư điện tử hoặc của thông báo trên hệ thống; SMS không dùng."))
    body = models.TextField(_("nội dung"), help_text=_("Cú pháp Django template, văn bản thuần. Tên dùng được: "
                                                       "code, procedure, agency, recipient, due_at, new_due_at, "
                                                       "items, reason, lookup_url, url, step, remaining."))
    is_active = models.BooleanField(_("đang dùng"), default=True,
                                    help_text=_("Bỏ chọn để không gửi sự kiện này qua kênh này."))

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        ordering = ["event", "channel"]
        constraints = [models.UniqueConstraint(fields=["event", "channel"], name="message_template_unique")]

    def __str__(self) -> str:
        return f"{self.event} — {self.get_channel_display()}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[override]
        """A template that does not compile would fail every delivery of its event: refuse it here too, not
        only in the admin form."""
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from motcua.notify.rendering import compile_text

        errors = {}
        for name in ("subject", "body"):
            try:
                compile_text(getattr(self, name))
            except TemplateSyntaxError as error:
                errors[name] = ValidationError(_("Lỗi cú pháp mẫu: %(error)s"), params={"error": error})
        if self.channel != Channel.SMS and not self.subject.strip():
            errors["subject"] = ValidationError(_("Thư điện tử và thông báo trên hệ thống cần tiêu đề."))
        if errors:
            raise ValidationError(errors)
