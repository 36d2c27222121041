from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Thư điện tử"), required=False,
                               help_text=_("Gửi đến địa chỉ thư điện tử trong hồ sơ hoặc tài khoản."))
    sms = forms.BooleanField(label=_("Tin nhắn SMS"), required=False,
                             help_text=_("Gửi đến số điện thoại trong hồ sơ hoặc tài khoản."))
    in_app = forms.BooleanField(label=_("Thông báo trên hệ thống"), required=False,
                                help_text=_("Xem tại trang Thông báo sau khi đăng nhập."))
