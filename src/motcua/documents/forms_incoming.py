"""Forms of the incoming-document pages: they parse what a person typed; the rules (required fields, dates,
duplicates, who may do what) live in ``services``, whose refusals are shown next to the field they name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError
from motcua.documents.models import Secrecy, Urgency

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
NOTE_WIDGET = forms.Textarea(attrs={"rows": 3})
ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,.docx"


class DomainErrorsMixin:
    """Put a service's refusal on the field it names (``field`` in its details), else on top of the form."""

    def add_domain_error(self, error: DomainError) -> None:
        name = error.details.get("field")
        if name in self.fields:  # type: ignore[attr-defined]
            self.add_error(name, error.message)  # type: ignore[attr-defined]
        else:
            self.add_error(None, error.message)  # type: ignore[attr-defined]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the scan and its attachments); their content is checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _choices(rows: Iterable[tuple[Any, str]], empty: Any = None) -> list[tuple[Any, str]]:
    return ([("", empty)] if empty is not None else []) + [(str(value), label) for value, label in rows]


class RegisterForm(DomainErrorsMixin, forms.Form):
    """What the clerk copies from the document into the incoming register."""

    doc_type = forms.ChoiceField(label=_("Loại văn bản"))
    sender_name = forms.CharField(label=_("Cơ quan ban hành"), max_length=255)
    sender_identifier = forms.CharField(label=_("Mã định danh cơ quan ban hành (nếu có)"), max_length=35,
                                        required=False)
    symbol = forms.CharField(label=_("Số, ký hiệu"), max_length=60,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))
    issued_on = forms.DateField(label=_("Ngày văn bản"), widget=DATE_WIDGET)
    summary = forms.CharField(label=_("Trích yếu"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    signer_name = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=150, required=False)
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, initial=Urgency.NORMAL)
    secrecy = forms.ChoiceField(label=_("Độ mật"), choices=Secrecy.choices, initial=Secrecy.NORMAL)
    due_on = forms.DateField(label=_("Hạn xử lý (nếu văn bản có hạn)"), required=False, widget=DATE_WIDGET)
    received_at = forms.DateTimeField(label=_("Thời điểm nhận"), widget=DATETIME_WIDGET,
                                      input_formats=DATETIME_FORMATS)
    page_count = forms.IntegerField(label=_("Số trang"), min_value=1, max_value=9999, required=False)
    files = MultipleFileField(label=_("Tệp văn bản (PDF, JPG, PNG, DOCX; chọn được nhiều tệp)"), required=False)
    confirm_duplicate = forms.BooleanField(label=_("Vẫn vào sổ (văn bản khác)"), required=False)

    def __init__(self, *args: Any, doc_types: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = _choices(doc_types, _("— chọn —"))


class DirectForm(DomainErrorsMixin, forms.Form):
    """The agency leader's direction (bút phê): who leads, who helps, who is informed, by when."""

    note = forms.CharField(label=_("Ý kiến chỉ đạo"), max_length=4000, required=False, widget=NOTE_WIDGET)
    lead_division = forms.TypedChoiceField(label=_("Phòng chủ trì"), coerce=int, empty_value=None, required=False)
    coordinating = forms.TypedMultipleChoiceField(label=_("Phòng phối hợp"), coerce=int, required=False,
                                                  widget=forms.CheckboxSelectMultiple)
    informed = forms.TypedMultipleChoiceField(label=_("Phòng để biết"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    due_on = forms.DateField(label=_("Hạn xử lý"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, divisions: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_division"].choices = _choices(divisions, _("— không có (văn bản chỉ để biết) —"))
        self.fields["coordinating"].choices = _choices(divisions)
        self.fields["informed"].choices = _choices(divisions)


class AssignForm(DomainErrorsMixin, forms.Form):
    assignee = forms.TypedChoiceField(label=_("Giao cho chuyên viên"), coerce=int)
    due_on = forms.DateField(label=_("Hạn của phòng (nếu khác hạn chung)"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, people: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = _choices(people, _("— chọn —"))


class ProgressForm(DomainErrorsMixin, forms.Form):
    note = forms.CharField(label=_("Tiến độ"), max_length=4000, widget=NOTE_WIDGET)


class CompleteForm(DomainErrorsMixin, forms.Form):
    note = forms.CharField(label=_("Kết quả xử lý"), max_length=4000, widget=NOTE_WIDGET)
    reply = forms.TypedChoiceField(label=_("Văn bản trả lời (nếu có)"), coerce=int, empty_value=None,
                                   required=False)

    def __init__(self, *args: Any, replies: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reply"].choices = _choices(replies, _("— không có —"))
