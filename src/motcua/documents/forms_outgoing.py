"""Forms of the outgoing-document, exchange and work-file pages: they parse what a person typed; the rules live in
the services, whose refusals are shown next to the field they name."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError
from motcua.documents import edxml
from motcua.documents.models import DocumentType, Secrecy, Urgency

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DomainErrorsMixin:
    """Put a service's refusal on the field it names (``field`` in its details), else on top of the form; the
    problems of an edXML package are listed one by one."""

    def add_domain_error(self, error: DomainError) -> None:
        name = error.details.get("field")
        target = name if name in self.fields else None  # type: ignore[attr-defined]
        self.add_error(target, error.message)  # type: ignore[attr-defined]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _max_mb() -> int:
    return settings.DOCUMENT_MAX_UPLOAD_BYTES // (1024 * 1024)


class DraftForm(DomainErrorsMixin, forms.Form):
    """A new draft: written on screen (paragraphs separated by a blank line) or uploaded as a PDF."""

    doc_type = forms.ChoiceField(label=_("Loại văn bản"))
    summary = forms.CharField(label=_("Trích yếu nội dung"), max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    recipients_text = forms.CharField(label=_("Nơi nhận (mỗi dòng một nơi)"), max_length=4000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, initial=Urgency.NORMAL)
    secrecy = forms.ChoiceField(label=_("Độ mật"), choices=Secrecy.choices, initial=Secrecy.NORMAL)
    copies = forms.IntegerField(label=_("Số lượng bản"), min_value=1, max_value=999, initial=1)
    body = forms.CharField(label=_("Nội dung (các đoạn cách nhau một dòng trống)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 12}))
    file = forms.FileField(label=_("Hoặc tải lên tệp PDF của dự thảo"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}))
    attachments = MultipleFileField(label=_("Phụ lục, tài liệu kèm theo"), required=False,
                                    widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.odt"}))
    reply_to = forms.TypedChoiceField(label=_("Trả lời văn bản đến"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, reply_choices: list[tuple[int, str]] = (), **kwargs) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = [
            ("", "—"), *DocumentType.objects.filter(is_active=True).values_list("code", "name")]
        self.fields["reply_to"].choices = [("", _("— không —")), *reply_choices]
        self.fields["file"].help_text = _("Tối đa %(mb)s MB.") % {"mb": _max_mb()}

    def clean(self):
        data = super().clean()
        if bool((data.get("body") or "").strip()) == bool(data.get("file")):
            self.add_error("body", _("Hãy soạn nội dung hoặc tải lên tệp PDF của dự thảo (một trong hai)."))
        return data


class NoteForm(DomainErrorsMixin, forms.Form):
    note = forms.CharField(label=_("Ý kiến (không bắt buộc)"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(DomainErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do trả lại, nội dung cần sửa"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class EmptyForm(DomainErrorsMixin, forms.Form):
    pass


class ReviseForm(DomainErrorsMixin, forms.Form):
    file = forms.FileField(label=_("Tệp PDF dự thảo đã sửa"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}))


class SignForm(DomainErrorsMixin, forms.Form):
    confirm = forms.BooleanField(label=_("Tôi đã đọc dự thảo và đồng ý ký số văn bản này"))


def parse_external(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Lines "Tên cơ quan | mã định danh" (the code optional: without it the document goes on paper)."""
    found, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, _sep, identifier = line.partition("|")
        name, identifier = " ".join(name.split()), identifier.strip()
        if not name:
            problems.append(str(_("Dòng %(n)s: thiếu tên cơ quan.") % {"n": number}))
        elif identifier and not edxml.valid_organ_id(identifier):
            problems.append(str(_("Dòng %(n)s: mã định danh “%(code)s” không đúng định dạng (ví dụ 000.00.00.H22).")
                                % {"n": number, "code": identifier}))
        else:
            found.append((name, identifier))
    return found, problems


class IssueForm(DomainErrorsMixin, forms.Form):
    divisions = forms.TypedMultipleChoiceField(label=_("Gửi các đơn vị trong cơ quan"), required=False, coerce=int,
                                               widget=forms.CheckboxSelectMultiple)
    external = forms.CharField(
        label=_("Gửi cơ quan ngoài (mỗi dòng: Tên cơ quan | mã định danh; không có mã: gửi bản giấy)"),
        max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, division_choices: list[tuple[int, str]] = (), **kwargs) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["divisions"].choices = list(division_choices)

    def clean_external(self) -> list[tuple[str, str]]:
        found, problems = parse_external(self.cleaned_data.get("external", ""))
        if problems:
            raise forms.ValidationError(problems)
        return found

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("divisions") and not data.get("external"):
            self.add_error(None, _("Hãy chọn ít nhất một nơi nhận."))
        return data


class FileIntoForm(DomainErrorsMixin, forms.Form):
    case_file = forms.TypedChoiceField(label=_("Hồ sơ công việc"), coerce=int)

    def __init__(self, *args, case_file_choices: list[tuple[int, str]] = (), **kwargs) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["case_file"].choices = list(case_file_choices)


class ImportForm(DomainErrorsMixin, forms.Form):
    package = forms.FileField(label=_("Gói tin edXML (.xml)"),
                              widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}))
    confirm_duplicate = forms.BooleanField(
        label=_("Vẫn vào sổ: đây là văn bản khác, chỉ trùng số, ký hiệu và ngày"), required=False)

    def clean_package(self):
        package = self.cleaned_data["package"]
        if package.size > settings.DOCUMENT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp %(size).1f MB, vượt giới hạn %(mb)s MB.")
                                        % {"size": package.size / 1e6, "mb": _max_mb()})
        if not package.name.lower().endswith(".xml"):
            raise forms.ValidationError(_("Chỉ nhận gói tin edXML (tệp .xml)."))
        return package


class CaseFileForm(DomainErrorsMixin, forms.Form):
    code = forms.CharField(label=_("Số, ký hiệu hồ sơ"), max_length=40)
    title = forms.CharField(label=_("Tiêu đề hồ sơ"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    retention_years = forms.IntegerField(label=_("Thời hạn bảo quản (năm; để trống: vĩnh viễn)"), required=False,
                                         min_value=1, max_value=100)
    opened_on = forms.DateField(label=_("Ngày mở hồ sơ (để trống: hôm nay)"), required=False, widget=DATE_WIDGET)


class AddDossierForm(DomainErrorsMixin, forms.Form):
    dossier_code = forms.CharField(label=_("Mã hồ sơ một cửa"), max_length=64)
