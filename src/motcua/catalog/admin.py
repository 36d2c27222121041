"""Catalogue admin. A version may be edited only while it is scheduled for a later date; once in force it
is frozen, and a change is made on a copy ("Sao chép thành phiên bản mới") that takes effect later."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog import format as fmt
from motcua.catalog import services
from motcua.catalog.models import Fee, Field, LegalBasis, Procedure, ProcedureVersion, ProcessStep, RequiredDocument
from motcua.core import audit
from motcua.core.admin_mixins import AuditedAdmin
from motcua.core.errors import DomainError
from motcua.org.access import agency_id_of, staff_of
from motcua.org.models import Agency


@admin.register(Field)
class FieldAdmin(AuditedAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


class _AgencyScoped:
    """Non-superusers see, and may pick, only their own agency's procedures, divisions and units."""

    def _agency_id(self, request) -> int | None:
        return agency_id_of(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            agency_id = self._agency_id(request)
            related = db_field.related_model
            if db_field.name == "agency":
                kwargs["queryset"] = Agency.objects.filter(pk=agency_id)
            elif related is Procedure:
                kwargs["queryset"] = Procedure.objects.filter(agency_id=agency_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Procedure)
class ProcedureAdmin(_AgencyScoped, AuditedAdmin):
    list_display = ("code", "name", "field", "agency", "online_level", "status")
    list_filter = ("status", "online_level", "field", "resolving_agencies__kind")
    search_fields = ("code", "name")
    exclude = ("name_key", "search_key")
    filter_horizontal = ("resolving_agencies",)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("field", "agency")
        return qs if request.user.is_superuser else qs.filter(agency_id=self._agency_id(request))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "resolving_agencies":
            # Only agencies that can resolve: active, on the system, not a receive-only point.
            kwargs["queryset"] = (Agency.objects.filter(is_active=True, on_system=True)
                                  .exclude(kind__in=[*Agency.RECEIVE_ONLY, Agency.Kind.OTHER]).order_by("kind", "name"))
            kwargs["help_text"] = _("Các cơ quan giải quyết thủ tục; thủ tục cấp xã: chọn mọi xã, phường (gõ “xã” "
                                    "vào ô lọc rồi “Chọn tất cả”). Để trống: cơ quan chủ trì giải quyết. Mọi bộ "
                                    "phận một cửa của tỉnh đều tiếp nhận hồ sơ của thủ tục.")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        services.reindex(obj)

    def save_related(self, request, form, formsets, change) -> None:
        """Saves the resolving agencies (the leading agency when none is chosen) and records the change."""
        procedure = form.instance
        with transaction.atomic():
            before = sorted(procedure.resolving_agencies.values_list("identifier", flat=True)) if change else []
            super().save_related(request, form, formsets, change)
            if not procedure.resolving_agencies.exists() and services.resolver_problem(procedure.agency) is None:
                procedure.resolving_agencies.add(procedure.agency)
            after = sorted(procedure.resolving_agencies.values_list("identifier", flat=True))
            if before != after:
                audit.record(actor=request.user, action="catalog.procedure.set_resolving_agencies", target=procedure,
                             agency_id=procedure.agency_id, before={"resolving_agencies": before},
                             after={"resolving_agencies": after})


class StepFormSet(BaseInlineFormSet):
    """The steps' shares must add up to the version's time limit exactly."""

    def clean(self) -> None:
        super().clean()
        version = self.instance
        if not version.time_limit or not version.time_unit:
            return
        kept = [f for f in self.forms if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")]
        total = sum(f.cleaned_data.get("hours") or 0 for f in kept)
        expected = fmt.time_limit_hours(version.time_limit, version.time_unit)
        if total != expected:
            raise ValidationError(fmt.share_message(total, expected).capitalize() + ".")


class StepInline(admin.TabularInline):
    model = ProcessStep
    formset = StepFormSet
    extra = 0
    # A division kind, not a row: the step runs in whichever agency resolves the dossier (or the partner).
    fields = ("order", "name", "role", "division_kind", "other_agency", "hours")


class DocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ("order", "name", "copy_type", "count", "mandatory", "condition", "blank_form")


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0
    fields = ("order", "name", "amount", "legal_basis")


class LegalBasisInline(admin.TabularInline):
    model = LegalBasis
    extra = 0
    fields = ("order", "number", "date", "issuer", "title")


class VersionForm(forms.ModelForm):
    """A version is scheduled after every other version of its procedure and after today."""

    class Meta:
        model = ProcedureVersion
        fields = ["procedure", "number", "effective_from", "time_limit", "time_unit", "from_complete_dossier",
                  "change_note", "hours_learning", "hours_preparing", "visits", "hours_per_visit", "other_costs",
                  "applicants_per_year"]

    def clean(self):
        data = super().clean()
        procedure, number, day = data.get("procedure"), data.get("number"), data.get("effective_from")
        if procedure is None or number is None or day is None:
            return data
        others = list(procedure.versions.exclude(pk=self.instance.pk))
        problem = services.new_version_problem(others, number, day) if others else None
        if problem is None and day <= timezone.localdate() and others:
            problem = ("effective_from", "phải sau hôm nay")
        if problem is not None:
            self.add_error(problem[0], problem[1])
        return data


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(_AgencyScoped, AuditedAdmin):
    form = VersionForm
    list_display = ("procedure", "number", "effective_from", "state", "time_limit", "time_unit")
    list_filter = ("time_unit",)
    search_fields = ("procedure__code", "procedure__name")
    inlines = [DocumentInline, FeeInline, LegalBasisInline, StepInline]
    actions = ["copy_as_new_version"]
    readonly_fields = ("created_at",)

    def get_queryset(self, request):
        in_force = (ProcedureVersion.objects.filter(procedure=OuterRef("procedure"),
                                                    effective_from__lte=timezone.localdate())
                    .order_by("-effective_from", "-number").values("pk")[:1])
        qs = super().get_queryset(request).select_related("procedure").annotate(in_force_pk=Subquery(in_force))
        return qs if request.user.is_superuser else qs.filter(procedure__agency_id=self._agency_id(request))

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.effective_from <= timezone.localdate():
            return False  # in force: frozen (dossiers were received under it)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Only a version still waiting for its date can go (a copy made by mistake); history stays.
        if obj is None or obj.effective_from <= timezone.localdate():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("tình trạng"))
    def state(self, obj: ProcedureVersion) -> str:
        if obj.effective_from > timezone.localdate():
            return str(_("Chờ áp dụng"))
        return str(_("Đang áp dụng")) if obj.in_force_pk == obj.pk else str(_("Đã được thay thế"))

    def audit_agency_id(self, obj) -> int | None:
        return obj.procedure.agency_id

    @admin.action(description=_("Sao chép thành phiên bản mới (áp dụng từ ngày mai)"), permissions=["change"])
    def copy_as_new_version(self, request, queryset) -> None:
        for version in queryset:
            try:
                new = services.copy_version(actor=staff_of(request.user), version=version)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã tạo %(v)s; sửa rồi lưu trước ngày áp dụng.") % {"v": new})

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.reindex(form.instance.procedure)
