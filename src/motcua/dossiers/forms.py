"""Forms of the staff pages: they parse what a person typed; the rules live in the services, whose refusals
are shown next to the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError
from motcua.dossiers.models import CHANNEL_CHOICES, OUTCOME_CHOICES, STATE_CHOICES, Dossier

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class DomainErrorsMixin:
    """Put a service's refusal on the field it names (``field`` or ``fields`` in its details), else on top."""

    def add_domain_error(self, error: DomainError) -> None:
        fields = error.details.get("fields") or {}
        placed = False
        for name, message in fields.items():
            if name in self.fields:  # type: ignore[attr-defined]
                self.add_error(name, message)  # type: ignore[attr-defined]
                placed = True
        name = error.details.get("field")
        if not placed and name in self.fields:  # type: ignore[attr-defined]
            self.add_error(name, error.message)  # type: ignore[attr-defined]
            placed = True
        if not placed:
            self.add_error(None, error.message)  # type: ignore[attr-defined]
        elif missing := error.details.get("missing"):  # the missing documents, told in the same round
            from motcua.dossiers.services import MISSING_MESSAGE

            self.add_error(None, MISSING_MESSAGE.format(missing="; ".join(missing)))  # type: ignore[attr-defined]


class ApplicantForm(DomainErrorsMixin, forms.Form):
    """Who applies and what for: the desk's intake and the citizen's online draft ask the same."""

    type = forms.ChoiceField(label=_("Người nộp là"), choices=Dossier.ApplicantType.choices, initial="individual",
                             widget=forms.RadioSelect)
    name = forms.CharField(label=_("Họ tên / tên tổ chức"), max_length=255)
    id_number = forms.CharField(label=_("Số định danh cá nhân (12 số)"), max_length=12, required=False,
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    birth_date = forms.DateField(label=_("Ngày sinh"), required=False, widget=DATE_WIDGET)
    tax_code = forms.CharField(label=_("Mã số thuế (tổ chức)"), max_length=14, required=False)
    representative = forms.CharField(label=_("Người đại diện (tổ chức)"), max_length=255, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    subject = forms.CharField(label=_("Nội dung yêu cầu"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class IntakeForm(ApplicantForm):
    """The applicant and the request; the checklist of documents is read from the request by the view."""

    channel = forms.ChoiceField(label=_("Kênh nộp"), choices=[c for c in CHANNEL_CHOICES if c[0] in {"desk", "post"}],
                                initial="desk")
    sets = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=20, initial=1)
    reason = forms.CharField(label=_("Lý do (khi hướng dẫn bổ sung hoặc từ chối)"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    other_missing = forms.CharField(label=_("Giấy tờ khác cần bổ sung, hoàn thiện (mỗi dòng một mục)"),
                                    max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The province: who resolves the dossier, the applicant's commune and where the result is handed back. The
    # view fills the choices; the service decides (an agency that does not resolve the procedure is refused).
    resolving_agency = forms.ChoiceField(label=_("Cơ quan giải quyết"), required=False, choices=[])
    applicant_commune = forms.ChoiceField(label=_("Xã, phường của người nộp"), required=False, choices=[])
    delivery_agency = forms.ChoiceField(label=_("Nơi trả kết quả"), required=False, choices=[])

    def set_places(self, *, resolvers: list[tuple[str, str]], communes: list[tuple[str, str]],
                   points: list[tuple[str, str]]) -> None:
        auto = [("", _("Tự động (xã, phường của người nộp hoặc nơi tiếp nhận)"))] if len(resolvers) != 1 else []
        self.fields["resolving_agency"].choices = auto + resolvers
        self.fields["applicant_commune"].choices = [("", "—"), *communes]
        self.fields["delivery_agency"].choices = [("", _("Tại nơi tiếp nhận")), *points]


class ReasonForm(DomainErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(DomainErrorsMixin, forms.Form):
    note = forms.CharField(label=_("Ghi chú"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ForwardForm(NoteForm):
    assignee = forms.IntegerField(label=_("Giao cho"), required=False)  # the page shows a list; the service checks


class AssignForm(NoteForm):
    assignee = forms.IntegerField(label=_("Giao cho"))


class SupplementForm(ReasonForm):
    items = forms.CharField(label=_("Giấy tờ cần bổ sung, hoàn thiện (mỗi dòng một mục; có thể ghi “tên giấy tờ: "
                                    "lý do”)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ResultForm(DomainErrorsMixin, forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu văn bản kết quả"), max_length=100)
    signed_on = forms.DateField(label=_("Ngày ký"), required=False, widget=DATE_WIDGET)
    signer = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    summary = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    file = forms.FileField(label=_("Tệp kết quả đã ký (PDF)"), required=False)


class ReceiveBackForm(DomainErrorsMixin, forms.Form):
    note = forms.CharField(label=_("Ghi chú"), max_length=2000, required=False)
    number = forms.CharField(label=_("Số, ký hiệu văn bản kết quả (nếu cơ quan liên thông ký kết quả)"),
                             max_length=100, required=False)
    signed_on = forms.DateField(label=_("Ngày ký"), required=False, widget=DATE_WIDGET)
    signer = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    summary = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    file = forms.FileField(label=_("Tệp kết quả"), required=False)


class ApologyForm(ReasonForm):
    new_due_at = forms.DateTimeField(label=_("Ngày giờ hẹn trả mới"), widget=DATETIME_WIDGET,
                                     input_formats=DATETIME_FORMATS)


class ReturnForm(DomainErrorsMixin, forms.Form):
    returned_to = forms.CharField(label=_("Người nhận kết quả"), max_length=255)
    method = forms.ChoiceField(label=_("Hình thức trả"), choices=Dossier.ReturnMethod.choices)


class ProvideForm(NoteForm):
    pass


class ReceiveForm(DomainErrorsMixin, forms.Form):
    pass


def parse_items(text: str) -> list[tuple[str, str]]:
    """Lines "name: reason" (or just a name) into pairs."""
    out = []
    for line in text.splitlines():
        name, _sep, reason = line.partition(":")
        if name.strip():
            out.append((name.strip(), reason.strip()))
    return out


class LogForm(DomainErrorsMixin, forms.Form):
    date_from = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET)
    format = forms.ChoiceField(label=_("Định dạng"), choices=[("pdf", "PDF"), ("docx", "DOCX (Word)")], initial="pdf")
    procedure = forms.ChoiceField(label=_("Thủ tục"), required=False)
    channel = forms.ChoiceField(label=_("Kênh nộp"), required=False,
                                choices=[("", _("Mọi kênh")), *CHANNEL_CHOICES])
    state = forms.ChoiceField(label=_("Trạng thái"), required=False,
                              choices=[("", _("Mọi trạng thái")), *STATE_CHOICES])
    outcome = forms.ChoiceField(label=_("Kết quả so với hạn"), required=False,
                                choices=[("", _("Tất cả")), *OUTCOME_CHOICES, ("open", _("Chưa giải quyết xong"))])

    def __init__(self, *args, procedures=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("Mọi thủ tục")), *((p.code, f"{p.code} — {p.name}")
                                                                     for p in procedures)]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data
