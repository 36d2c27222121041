from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from motcua.core import services
from motcua.core.admin_mixins import AuditedAdmin, OwnAgencyRowsAdmin, ReadOnlyAdmin
from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent, CalendarOverride, OfficeHoursPolicy, WorkCalendar


class CalendarOverrideInline(admin.TabularInline):
    model = CalendarOverride
    extra = 0
    fields = ("date", "kind", "name", "source")


class OfficeHoursInline(admin.TabularInline):
    model = OfficeHoursPolicy
    extra = 0


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV (date,kind,name,source)"))


@admin.register(WorkCalendar)
class WorkCalendarAdmin(AuditedAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    inlines = [OfficeHoursInline, CalendarOverrideInline]
    change_form_template = "admin/core/workcalendar/change_form.html"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        staff = getattr(request.user, "staff", None)
        # An agency's administrator edits the calendar their agency uses (often the province's shared one).
        return qs.filter(agencies__id=staff.agency_id).distinct() if staff else qs.none()

    def get_urls(self):
        return [path("<int:pk>/import/", self.admin_site.admin_view(self.import_view), name="core_workcalendar_import"),
                *super().get_urls()]

    def import_view(self, request, pk: int):
        calendar = self.get_object(request, str(pk))
        if calendar is None or not self.has_change_permission(request, calendar):
            messages.error(request, _("Bạn không có quyền sửa lịch này."))
            return redirect("admin:core_workcalendar_changelist")
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.import_calendar_overrides(actor=request.user, calendar=calendar,
                                                            data=form.cleaned_data["file"].read(1_000_001))
            except DomainError as exc:
                for problem in exc.details.get("problems", [exc.message]):
                    form.add_error("file", problem)
            else:
                messages.success(request, _("Đã nạp: thêm %(c)s, sửa %(u)s, giữ nguyên %(n)s ngày.")
                                 % {"c": result.created, "u": result.updated, "n": result.unchanged})
                return redirect(reverse("admin:core_workcalendar_change", args=[pk]))
        context = {**self.admin_site.each_context(request), "form": form, "calendar": calendar,
                   "opts": self.model._meta, "title": _("Nạp ngày nghỉ / làm bù từ CSV")}
        return render(request, "admin/core/workcalendar/import.html", context)


@admin.register(AuditEvent)
class AuditEventAdmin(OwnAgencyRowsAdmin, ReadOnlyAdmin):
    list_display = ("at", "chain", "seq", "actor_username", "action", "object_type", "object_id", "ip")
    list_filter = ("action",)
    search_fields = ("action", "actor_username", "object_id", "object_repr")
    ordering = ("-id",)
    show_full_result_count = False
    agency_field = "chain"  # each agency has its own chain
