"""Django's minimum-length check with its message in Vietnamese (Django's own catalogue lacks this one)."""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator as _DjangoMinimumLength
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(_DjangoMinimumLength):
    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(_("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.")
                                  % {"min_length": self.min_length}, code="password_too_short")

    def get_help_text(self) -> str:
        return _("Mật khẩu cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}
