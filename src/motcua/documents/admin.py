"""Admin: the document types an administrator keeps (two abbreviations of NĐ 30/2020 Phụ lục III are
unverified); documents and registers are written only by the services, so the admin only reads them."""

from __future__ import annotations

from django.contrib import admin

from motcua.core.admin_mixins import AuditedAdmin, OwnAgencyRowsAdmin, ReadOnlyAdmin
from motcua.documents.models import Document, DocumentType, Register


@admin.register(DocumentType)
class DocumentTypeAdmin(AuditedAdmin):
    list_display = ("name", "abbreviation", "code", "rank", "is_active")
    list_editable = ("abbreviation", "rank", "is_active")
    search_fields = ("name", "abbreviation", "code")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # documents refer to their type; retire a type with "đang dùng" instead


@admin.register(Register)
class RegisterAdmin(OwnAgencyRowsAdmin, ReadOnlyAdmin):
    list_display = ("__str__", "agency", "year", "direction", "secret", "closed_at")
    list_filter = ("year", "direction", "secret")


@admin.register(Document)
class DocumentAdmin(OwnAgencyRowsAdmin, ReadOnlyAdmin):
    """Secret documents are left out: the admin has no per-document access check."""

    list_display = ("symbol", "summary", "direction", "state", "number", "issued_on")
    list_filter = ("direction", "state", "urgency")
    search_fields = ("symbol", "summary", "sender_name")
    list_select_related = ("doc_type",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(secrecy="normal")
