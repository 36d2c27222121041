"""Administration of notifications: the wording of each event (edited, audited) and what was sent (read-only,
with a resend of failed deliveries)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.core import audit, clock
from motcua.core.admin_mixins import AuditedAdmin, OwnAgencyRowsAdmin, ReadOnlyAdmin
from motcua.notify import defaults, tasks
from motcua.notify.models import Delivery, MessageTemplate, Notification


@admin.register(MessageTemplate)
class MessageTemplateAdmin(AuditedAdmin):
    """Each save is checked as Django template syntax (the model refuses a text that does not compile) and
    recorded in the audit log with the old and new wording."""

    list_display = ("event", "channel", "subject", "is_active")
    list_filter = ("channel", "is_active", "event")
    search_fields = ("event", "subject", "body")
    readonly_fields = ("shipped_text",)
    fields = ("event", "channel", "subject", "body", "is_active", "shipped_text")

    @admin.display(description=_("Nội dung gốc đi kèm phần mềm"))
    def shipped_text(self, obj: MessageTemplate | None) -> str:
        texts = defaults.texts(obj.event, obj.channel) if obj is not None and obj.pk else None
        if texts is None:
            return "—"
        subject, body = texts
        return f"{subject}\n\n{body}" if subject else body


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("name", "role", "channel", "address", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(OwnAgencyRowsAdmin, ReadOnlyAdmin):
    """What was asked and what became of it. Rows are written only by the services and the delivery worker;
    here they are read, and failed deliveries can be queued again."""

    list_display = ("created_at", "event", "object_id", "status", "attempts", "sent_at")
    list_filter = ("status", "event")
    search_fields = ("object_id", "event")
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]
    actions = ["resend_failed"]
    readonly_fields = ("event", "agency_id", "object_type", "object_id", "payload", "recipients", "once_key",
                       "created_at", "status", "attempts", "sent_at", "last_error")

    # An agency's administrator sees their own agency's notifications (they carry personal data).

    def has_resend_permission(self, request: HttpRequest) -> bool:
        """Queuing again is a write: it needs the model's change permission, though rows are never edited."""
        return request.user.has_perm("notify.change_notification")

    @admin.action(description=_("Gửi lại các lượt gửi lỗi"), permissions=["resend"])
    def resend_failed(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = 0
        for notification in queryset:
            with transaction.atomic():
                failed = Delivery.objects.filter(notification=notification, status=Delivery.Status.FAILED)
                n = failed.update(status=Delivery.Status.PENDING, attempts=0, next_attempt_at=clock.now(),
                                  last_error="")
                if not n:
                    continue
                Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.PENDING)
                audit.record(actor=request.user, action="notify.notification.resend", target=notification,
                             agency_id=notification.agency_id, after={"deliveries": n})
                tasks.deliver_after_commit(notification.pk)
            count += n
        self.message_user(request, _("Đã xếp lại %(n)s lượt gửi.") % {"n": count}, messages.SUCCESS)
