"""Citizens' accounts (an administrator deactivates one; edits are audited) and their ratings (read-only)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.core.admin_mixins import AuditedAdmin, ReadOnlyAdmin
from motcua.portal.models import Citizen, Rating


@admin.register(Citizen)
class CitizenAdmin(AuditedAdmin):
    list_display = ("full_name", "email", "phone", "created_at", "email_confirmed_at", "active")
    search_fields = ("full_name", "user__email", "phone")
    list_select_related = ("user",)
    fields = ("full_name", "phone", "id_number", "birth_date", "address", "sso_subject", "created_at",
              "email_confirmed_at")
    readonly_fields = ("sso_subject", "created_at", "email_confirmed_at")
    actions = ["lock"]

    @admin.action(description=_("Khóa tài khoản đã chọn (không đăng nhập được nữa)"), permissions=["change"])
    def lock(self, request, queryset) -> None:
        for citizen in queryset.select_related("user"):
            if citizen.user.is_active:
                citizen.user.is_active = False
                citizen.user.save(update_fields=["is_active"])
                audit.record(actor=request.user, action="portal.citizen.lock", target=citizen,
                             before={"active": True}, after={"active": False})

    @admin.display(description=_("thư điện tử"))
    def email(self, obj: Citizen) -> str:
        return obj.user.email

    @admin.display(description=_("đang hoạt động"), boolean=True)
    def active(self, obj: Citizen) -> bool:
        return obj.user.is_active

    def has_add_permission(self, request) -> bool:
        return False  # accounts are made by registering or by single sign-on

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # an account with dossiers is kept; deactivate its login instead


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "total", "maximum", "satisfied", "rated_at")
    list_filter = ("satisfied",)
    search_fields = ("dossier__code",)
    list_select_related = ("dossier",)
