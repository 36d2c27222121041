from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.forms import ApplicantForm, DomainErrorsMixin
from motcua.portal import rating


class LookupForm(forms.Form):
    ma = forms.CharField(label=_("Mã hồ sơ"), max_length=64,
                         widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    kiem_tra = forms.RegexField(
        label=_("4 số cuối số điện thoại hoặc số định danh (mã số thuế) của người nộp"), regex=r"^\d{4}$",
        error_messages={"invalid": _("Nhập đúng 4 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4"}))


class RegisterForm(DomainErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("Thư điện tử (dùng để đăng nhập)"), max_length=150,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label=_("Điện thoại (để nhận tin nhắn về hồ sơ)"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    password = forms.CharField(label=_("Mật khẩu (ít nhất 10 ký tự)"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Nhập lại mật khẩu"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("Hai lần nhập mật khẩu không khớp."))
        return data


class CitizenLoginForm(AuthenticationForm):
    """Citizens log in with their e-mail address, whatever its case."""

    username = forms.CharField(label=_("Thư điện tử"), max_length=150,
                               widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}))
    error_messages = {
        "invalid_login": _("Thư điện tử hoặc mật khẩu không đúng. Nếu vừa đăng ký, hãy bấm vào liên kết xác nhận "
                           "trong thư chúng tôi đã gửi trước khi đăng nhập."),
        "inactive": _("Tài khoản chưa được xác nhận."),
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class ResetForm(PasswordResetForm):
    email = forms.EmailField(label=_("Thư điện tử đã đăng ký"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class DraftForm(ApplicantForm):
    """The applicant's details and request, which a draft may leave incomplete; one optional file field per
    required document is added by ``with_documents``."""

    name = forms.CharField(label=_("Họ tên / tên tổ chức"), max_length=255, required=False)
    subject = forms.CharField(label=_("Nội dung yêu cầu (nếu có)"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    resolving_agency = forms.ChoiceField(label=_("Nơi giải quyết (xã, phường nơi Ông/Bà cư trú)"), required=False,
                                         choices=[])

    def for_resolvers(self, resolvers: list[tuple[str, str]]) -> DraftForm:
        """A procedure several agencies resolve (every commune) asks which; one resolved by one agency does not."""
        if len(resolvers) > 1:
            self.fields["resolving_agency"].choices = [("", _("— Chọn xã, phường —")), *resolvers]
        else:
            del self.fields["resolving_agency"]
        return self

    def for_applicant_types(self, types: list[str]) -> DraftForm:
        """Only the kinds of applicant the procedure takes, and only the fields they fill."""
        self.fields["type"].choices = [c for c in self.fields["type"].choices if c[0] in types]
        for kind, names in (("organisation", ("tax_code", "representative")),
                            ("individual", ("id_number", "birth_date"))):
            if kind not in types:
                for name in names:
                    del self.fields[name]
        return self

    def with_documents(self, documents, have: dict[int, str]) -> DraftForm:
        for document in documents:
            label = document.name + ("" if document.mandatory else " " + str(_("(nếu có)")))
            if have.get(document.pk):
                label += " — " + str(_("đã tải lên: {name}; chọn tệp khác để thay")).format(name=have[document.pk])
            self.fields[f"file_{document.pk}"] = forms.FileField(
                label=label, required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
        return self

    def file_fields(self):
        return [self[name] for name in self.fields if name.startswith("file_")]

    def applicant_fields(self):
        return [self[name] for name in self.fields if not name.startswith("file_") and name != "type"]


class SupplementForm(DomainErrorsMixin, forms.Form):
    note = forms.CharField(label=_("Ghi chú cho bộ phận một cửa"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def with_documents(self, documents) -> SupplementForm:
        """One upload per document of the checklist (named by the procedure's document, as the service reads
        it), and one for any other paper the request asked for."""
        for document in documents:
            if document.required_document_id:
                self.fields[f"file_{document.required_document_id}"] = forms.FileField(label=document.name,
                                                                                        required=False)
        self.fields["file_0"] = forms.FileField(label=_("Giấy tờ khác theo yêu cầu bổ sung"), required=False)
        return self

    def file_fields(self):
        return [self[name] for name in self.fields if name.startswith("file_")]


class WithdrawForm(DomainErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do rút hồ sơ"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class RatingForm(DomainErrorsMixin, forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Nhìn chung, ông/bà có hài lòng với việc giải quyết hồ sơ?"), coerce=lambda v: v == "1",
        choices=[("1", _("Hài lòng")), ("0", _("Không hài lòng"))], widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Góp ý (nếu có)"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in rating.ASKED:
            self.fields[question.key] = forms.TypedChoiceField(
                label=question.text, coerce=int, widget=forms.RadioSelect,
                choices=[(str(points), text) for points, text in question.options])
        self.order_fields([q.key for q in rating.ASKED] + ["satisfied", "comment"])

    def answers(self) -> dict[str, int]:
        return {q.key: self.cleaned_data[q.key] for q in rating.ASKED}
