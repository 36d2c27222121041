from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.core.admin_mixins import AuditedAdmin
from motcua.core.errors import DomainError
from motcua.org import services
from motcua.org.access import agency_id_of
from motcua.org.models import Agency, ApiToken, Assignment, Division, Position, Staff, Unit
from motcua.org.roles import Role


class AgencyScopedAdmin(AuditedAdmin):
    """Non-superusers see and edit only rows of their own agency; new rows go to it."""

    agency_field = "agency"

    def _agency_id(self, request) -> int | None:
        return agency_id_of(request.user)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.agency_field}_id": self._agency_id(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            agency_id = self._agency_id(request)
            related = db_field.related_model
            if related is Agency:
                kwargs["queryset"] = Agency.objects.filter(pk=agency_id)
            elif related in (Division, Unit, Staff):
                kwargs["queryset"] = related.objects.filter(agency_id=agency_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    agency_field = "id"
    list_display = ("name", "identifier", "short_name", "kind", "parent", "on_system", "is_active")
    list_filter = ("kind", "on_system", "is_active")
    filter_horizontal = ("served_communes",)
    search_fields = ("name", "identifier", "short_name")

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        return qs if request.user.is_superuser else qs.filter(pk=self._agency_id(request))

    def audit_agency_id(self, obj) -> int | None:
        return obj.pk

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser  # a new agency is a deployment-level decision

    def get_readonly_fields(self, request, obj=None):
        # Where an agency stands in the province (its kind, parent, whether it works on the system, the communes a
        # branch serves) is the deployment's to decide, like adding an agency: its own administrator sees it.
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return (*fields, "kind", "parent", "on_system", "served_communes")


@admin.register(Division)
class DivisionAdmin(AgencyScopedAdmin):
    list_display = ("name", "code", "kind", "agency", "is_one_stop_desk", "is_active")
    list_filter = ("agency", "is_one_stop_desk", "is_active")
    search_fields = ("name", "code")


@admin.register(Unit)
class UnitAdmin(AgencyScopedAdmin):
    list_display = ("name", "code", "agency", "is_active")
    list_filter = ("agency", "is_active")
    search_fields = ("name", "code")


@admin.register(Position)
class PositionAdmin(AuditedAdmin):
    list_display = ("name", "code", "level", "single_holder", "rank")
    list_filter = ("level",)


class AssignmentFormSet(BaseInlineFormSet):
    """The same rules as ``services.assign``: a division or unit, no overlapping posts, one holder per post."""

    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError(_("Cán bộ phải có ít nhất một vị trí công tác tại một phòng hoặc đơn vị."))
        pending = [f.instance for f in kept]
        for form in kept:
            assignment = form.instance
            assignment.staff = self.instance
            assignment.agency_id = self.instance.agency_id
            try:
                services.check_assignment(assignment, pending=pending)
            except DomainError as exc:
                field = exc.details.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
                raise ValidationError(exc.message) from exc


class AssignmentInline(admin.TabularInline):
    model = Assignment
    formset = AssignmentFormSet
    extra = 0
    min_num = 1  # one empty row to fill; AssignmentFormSet refuses a staff member with no post
    fields = ("position", "division", "unit", "start_date", "end_date", "decision")
    fk_name = "staff"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        agency_id = agency_id_of(request.user)
        if not request.user.is_superuser and agency_id and db_field.name in {"division", "unit"}:
            kwargs["queryset"] = db_field.related_model.objects.filter(agency_id=agency_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Staff)
class StaffAdmin(AgencyScopedAdmin):
    list_display = ("full_name", "user", "agency", "is_active")
    list_filter = ("is_active", "agency")
    search_fields = ("full_name", "user__username", "email")
    autocomplete_fields = ("user",)
    inlines = [AssignmentInline]

    def save_model(self, request, obj, form, change) -> None:
        if not change and not obj.agency_id:
            obj.agency_id = self._agency_id(request)
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "created_at", "expires_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    readonly_fields = ("user", "prefix", "created_at", "expires_at", "last_used_at")
    exclude = ("key_hash",)
    actions = ["revoke"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(user__staff__agency_id=agency_id_of(request.user))

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Thu hồi các token đã chọn"))
    def revoke(self, request, queryset) -> None:
        for token in queryset:
            services.revoke_api_token(actor=request.user, token=token)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(UserAdmin):
    """Accounts, for an agency's administrator: only their agency's staff, only the role groups, never
    superuser status or loose permissions (which would escape the agency scope). Changes are audited."""

    RESTRICTED = ("is_superuser", "user_permissions")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        agency_id = agency_id_of(request.user)
        return qs.filter(staff__agency_id=agency_id) if agency_id else qs.none()

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in self.RESTRICTED]})
                for name, opts in fieldsets]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=[r.value for r in Role])
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_add_permission(self, request) -> bool:
        # New accounts come with a staff record (services.create_staff); a bare account has no agency.
        return request.user.is_superuser

    def save_related(self, request, form, formsets, change) -> None:
        user = form.instance
        with transaction.atomic():
            before = sorted(user.groups.values_list("name", flat=True)) if change else []
            super().save_related(request, form, formsets, change)
            after = sorted(user.groups.values_list("name", flat=True))
            staff = getattr(user, "staff", None)
            audit.record(actor=request.user, action="auth.user.update" if change else "auth.user.create",
                         target=user, agency_id=staff.agency_id if staff else None,
                         before={"groups": before, **audit.snapshot(user, ["is_active", "is_staff"])} if change
                         else None,
                         after={"groups": after, **audit.snapshot(user, ["is_active", "is_staff"])})
