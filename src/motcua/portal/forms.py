from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LookupForm(forms.Form):
    ma = forms.CharField(label=_("Mã hồ sơ"), max_length=64,
                         widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    kiem_tra = forms.RegexField(
        label=_("4 số cuối số điện thoại hoặc số định danh (mã số thuế) của người nộp"), regex=r"^\d{4}$",
        error_messages={"invalid": _("Nhập đúng 4 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4"}))
