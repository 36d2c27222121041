"""Administration of the one-stop rules and the printed forms. Dossiers themselves are not edited here:
every change to a dossier is an action through the services, with its hand-off and audit event."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template import Template, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.admin_mixins import AuditedAdmin
from motcua.dossiers.models import FormTemplate, OneStopRules


class OneStopRulesForm(forms.ModelForm):
    class Meta:
        model = OneStopRules
        fields = ("effective_from", "supplement_window_days", "supplement_limit", "supplements_on_time",
                  "apology_notice_days", "reappointment_limit", "source")

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        if day <= timezone.localdate():
            raise ValidationError(_("Quy tắc mới chỉ áp dụng từ một ngày sau hôm nay; hồ sơ đã tiếp nhận giữ quy "
                                    "tắc cũ."))
        return day


@admin.register(OneStopRules)
class OneStopRulesAdmin(AuditedAdmin):
    """A rule set in force is frozen (dossiers were received under it); a change is a new row with a later
    date. The rules' continuation under NĐ 118/2025 is unverified: that is why they are settings."""

    form = OneStopRulesForm
    list_display = ("effective_from", "supplement_window_days", "supplement_limit", "supplements_on_time",
                    "apology_notice_days", "reappointment_limit", "source")

    def _in_force(self, obj) -> bool:
        return obj is not None and obj.effective_from <= timezone.localdate()

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._in_force(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not self._in_force(obj)


class FormTemplateForm(forms.ModelForm):
    class Meta:
        model = FormTemplate
        fields = ("form", "circular", "number", "title", "effective_from", "page_size", "landscape", "body")

    def clean(self):
        data = super().clean()
        body = data.get("body", "")
        if not body and not (self.instance and self.instance.template_name):
            raise ValidationError(_("Nhập nội dung mẫu (Django template)."))
        if body:
            try:
                Template(body)
            except TemplateSyntaxError as error:
                raise ValidationError(_("Nội dung mẫu có lỗi cú pháp: %(error)s") % {"error": error}) from error
        return data


@admin.register(FormTemplate)
class FormTemplateAdmin(AuditedAdmin):
    """The shipped TT 01/2018 set is read-only; a newer circular's set is added as rows with its effective
    date and the body pasted in (the shipped files under dossiers/forms/tt01_2018/ show the context names)."""

    form = FormTemplateForm
    list_display = ("form", "number", "circular", "effective_from", "page_size", "landscape")
    list_filter = ("form", "circular")

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not (obj is not None and obj.template_name)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.template_name)
