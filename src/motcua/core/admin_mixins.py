"""Admin pages write through the audit log too: every save and delete leaves an event."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from motcua.core import audit


def _fields(obj) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if f.name not in {"id", "password", "key_hash"}]


class AuditedAdmin(admin.ModelAdmin):
    """Records ``<model>.create|update|delete`` with the changed fields, in the same transaction."""

    def audit_agency_id(self, obj) -> int | None:
        return getattr(obj, "agency_id", None)

    def save_model(self, request, obj, form, change) -> None:
        with transaction.atomic():
            before = None
            if change:
                old = type(obj).objects.filter(pk=obj.pk).first()
                before = audit.snapshot(old, _fields(old)) if old is not None else None
            super().save_model(request, obj, form, change)
            after = audit.snapshot(obj, _fields(obj))
            if change and before == after:
                return  # saved unchanged: nothing to record
            audit.record(actor=request.user, action=f"{obj._meta.label_lower}.{'update' if change else 'create'}",
                         target=obj, agency_id=self.audit_agency_id(obj), before=before, after=after)

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            before = audit.snapshot(obj, _fields(obj))
            agency_id = self.audit_agency_id(obj)
            label, pk, text = obj._meta.label_lower, str(obj.pk), str(obj)
            super().delete_model(request, obj)
            audit.record(actor=request.user, action=f"{label}.delete", agency_id=agency_id, object_type=label,
                         object_id=pk, object_repr=text, before=before, after={})

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change) -> None:
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                audit.record(actor=request.user, action=f"{obj._meta.label_lower}.delete", target=obj,
                             agency_id=self.audit_agency_id(form.instance), before=audit.snapshot(obj, _fields(obj)),
                             after={})
                obj.delete()
            for obj in instances:
                adding = obj._state.adding
                obj.save()
                audit.record(actor=request.user, action=f"{obj._meta.label_lower}.{'create' if adding else 'update'}",
                             target=obj, agency_id=self.audit_agency_id(form.instance),
                             after=audit.snapshot(obj, _fields(obj)))
            formset.save_m2m()


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows only the services write (audit events, notifications, ratings): read here, never added, changed
    or deleted. An admin action that writes declares its own permission."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class OwnAgencyRowsAdmin(admin.ModelAdmin):
    """A row that carries a plain agency id (``agency_field``) is shown to staff of that agency only; the
    superuser sees all, a user who is no one's staff sees none."""

    agency_field = "agency_id"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        staff = getattr(request.user, "staff", None)
        return qs.filter(**{self.agency_field: staff.agency_id}) if staff is not None else qs.none()
