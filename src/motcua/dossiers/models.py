"""The one-stop shop's records: dossiers, the steps they go through, every hand-off (the process-control
sheet), the deadline ledger, supplement requests, submitted documents and files, and the effective-dated
rules and form templates they were handled under.

Rows here hold data and the invariants of one row; every change goes through ``services``. A dossier
carries a copy of where it is now (``current_*``) so that work queues are one indexed query at millions
of dossiers; the services keep it equal to the active step.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.catalog.models import Procedure as CatalogProcedure
from motcua.catalog.models import ProcedureVersion, ProcessStep, RequiredDocument
from motcua.dossiers.outcomes import OUTCOME_LABELS, Outcome
from motcua.dossiers.states import ACTION_LABELS, OPEN, STATE_LABELS, Action, Channel, State
from motcua.org.models import Agency, Division, Staff, Unit
from motcua.org.roles import ROLE_LABELS, STEP_ROLES

STATE_CHOICES = [(s.value, _(STATE_LABELS[s])) for s in State]
ACTION_CHOICES = [(a.value, _(ACTION_LABELS[a])) for a in Action]
OUTCOME_CHOICES = [(o.value, _(OUTCOME_LABELS[o])) for o in Outcome]
ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in STEP_ROLES]
CHANNEL_CHOICES = [
    (Channel.DESK.value, _("Trực tiếp")), (Channel.POST.value, _("Bưu chính công ích")),
    (Channel.ONLINE.value, _("Trực tuyến (cổng dịch vụ công)")), (Channel.VNEID.value, _("VNeID")),
]


class OneStopRules(models.Model):
    """The time rules of the one-stop process in force from a date (NĐ 61/2018, TT 01/2018; whether NĐ
    118/2025 keeps them is unverified, so each is a setting). A dossier keeps the rules it was received
    under."""

    effective_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    supplement_window_days = models.PositiveSmallIntegerField(
        _("hạn yêu cầu bổ sung (ngày làm việc)"), default=3,
        help_text=_("Yêu cầu bổ sung sau thẩm định phải ban hành trong số ngày làm việc này kể từ khi tiếp nhận "
                    "(NĐ 61/2018 Điều 19)."))
    supplement_limit = models.PositiveSmallIntegerField(
        _("số lần yêu cầu bổ sung tối đa"), default=2,
        help_text=_("Hồ sơ chỉ được yêu cầu bổ sung bấy nhiêu lần sau khi tiếp nhận."))
    supplements_on_time = models.PositiveSmallIntegerField(
        _("số lần bổ sung vẫn tính đúng hạn"), default=1,
        help_text=_("Yêu cầu bổ sung nhiều hơn số lần này thì hồ sơ tính là quá hạn (QĐ 766/QĐ-TTg)."))
    apology_notice_days = models.PositiveSmallIntegerField(
        _("xin lỗi trước hạn (ngày làm việc)"), default=1,
        help_text=_("Phiếu xin lỗi và hẹn lại phải gửi trước hạn trả ít nhất bấy nhiêu ngày làm việc."))
    reappointment_limit = models.PositiveSmallIntegerField(_("số lần hẹn lại tối đa"), default=1)
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("quy tắc thời hạn một cửa")
        verbose_name_plural = _("quy tắc thời hạn một cửa")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from:%d/%m/%Y} — {self.source}"

    def clean(self) -> None:
        if self.supplement_limit < 1:
            raise ValidationError({"supplement_limit": _("Phải cho phép ít nhất một lần yêu cầu bổ sung.")})


class FormTemplate(models.Model):
    """A printed form (Mẫu 01–06) of one circular, in force from a date. The body is a Django template
    rendered to PDF (WeasyPrint) and DOCX; the TT 01/2018 set ships as files, an administrator adds a
    newer circular's set by pasting its body here."""

    class Form(models.TextChoices):
        RECEIPT = "receipt", _("Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
        SUPPLEMENT = "supplement", _("Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
        REFUSAL = "refusal", _("Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ")
        APOLOGY = "apology", _("Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả")
        CONTROL_SHEET = "control-sheet", _("Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ")
        LOG = "log", _("Mẫu 06 — Sổ theo dõi hồ sơ")

    class PageSize(models.TextChoices):
        A4 = "A4", "A4"
        A5 = "A5", "A5"

    form = models.CharField(_("biểu mẫu"), max_length=20, choices=Form.choices)
    circular = models.CharField(_("thông tư"), max_length=60, help_text=_("Ví dụ TT 01/2018/TT-VPCP."))
    number = models.CharField(_("số mẫu"), max_length=10)
    title = models.CharField(_("tên mẫu"), max_length=200)
    effective_from = models.DateField(_("áp dụng từ ngày"))
    page_size = models.CharField(_("khổ giấy"), max_length=2, choices=PageSize.choices, default=PageSize.A4)
    landscape = models.BooleanField(_("khổ ngang"), default=False)
    template_name = models.CharField(_("tệp mẫu"), max_length=200, blank=True,
                                     help_text=_("Mẫu đi kèm phần mềm; để trống khi nhập nội dung bên dưới."))
    body = models.TextField(_("nội dung (Django template)"), blank=True)

    class Meta:
        verbose_name = _("biểu mẫu in")
        verbose_name_plural = _("biểu mẫu in")
        ordering = ["form", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["form", "effective_from"], name="form_template_unique_start"),
            models.CheckConstraint(condition=~Q(template_name="") | ~Q(body=""), name="form_template_has_body"),
        ]

    def __str__(self) -> str:
        return f"Mẫu {self.number} ({self.circular}, từ {self.effective_from:%d/%m/%Y})"


_OPEN = Q(is_open=True)


class Dossier(models.Model):
    """One application for one procedure by one applicant, from intake to the return of its result.

    Several agencies take part: the receiving point (any desk of the province, whose identifier starts the
    code), the resolving agency (``agency``: its log numbers, rules, calendar and figures), the liên thông
    partners whose steps the process names, and the delivery point where the result is handed back. Each sees
    the dossier (``DossierAgency``); ``current_agency`` is where the active step is, for the work queues."""

    class ApplicantType(models.TextChoices):
        INDIVIDUAL = "individual", pgettext_lazy("applicant type", "Cá nhân")
        ORGANISATION = "organisation", pgettext_lazy("applicant type", "Tổ chức")

    class ReturnMethod(models.TextChoices):
        DESK = "desk", _("Tại bộ phận một cửa")
        POST = "post", _("Qua bưu chính công ích")
        ONLINE = "online", _("Trực tuyến")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="dossiers",
                               verbose_name=_("cơ quan giải quyết"))
    receiving_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("nơi tiếp nhận"))
    receiving_desk = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("bộ phận tiếp nhận"))
    delivery_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("nơi trả kết quả"))
    applicant_commune = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+", verbose_name=_("xã, phường của người nộp"))
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    procedure = models.ForeignKey(CatalogProcedure, on_delete=models.PROTECT, related_name="dossiers",
                                  verbose_name=_("thủ tục"))
    procedure_version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="dossiers",
                                          verbose_name=_("phiên bản thủ tục"))
    rules = models.ForeignKey(OneStopRules, on_delete=models.PROTECT, related_name="dossiers",
                              verbose_name=_("quy tắc thời hạn"))
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=CHANNEL_CHOICES)
    state = models.CharField(_("trạng thái"), max_length=24, choices=STATE_CHOICES)
    is_open = models.BooleanField(_("đang mở"), default=True, editable=False)
    version = models.PositiveIntegerField(_("phiên bản bản ghi"), default=1,
                                          help_text=_("Tăng sau mỗi thao tác; thao tác trên bản cũ bị từ chối."))

    applicant_type = models.CharField(_("loại người nộp"), max_length=12, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("họ tên / tên tổ chức"), max_length=255)
    applicant_name_key = models.CharField(max_length=255, editable=False, db_index=True, default="")
    applicant_id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    applicant_tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    applicant_representative = models.CharField(_("người đại diện"), max_length=255, blank=True)
    applicant_birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    # The citizen's account when the dossier was submitted online by its owner: who may follow it, answer
    # a supplement request, withdraw it and download its result on the public portal.
    applicant_account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="+", verbose_name=_("tài khoản người nộp"))
    subject = models.CharField(_("nội dung yêu cầu"), max_length=1000, blank=True)
    sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)

    submitted_at = models.DateTimeField(_("vào hệ thống lúc"))
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    received_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("cán bộ tiếp nhận"))
    log_number = models.PositiveIntegerField(_("số thứ tự trong sổ theo dõi"), null=True, blank=True)
    clock_started_at = models.DateTimeField(_("bắt đầu tính thời hạn"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    supplement_requests = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    reappointments = models.PositiveSmallIntegerField(_("số lần hẹn lại"), default=0)
    finished_at = models.DateTimeField(_("giải quyết xong lúc"), null=True, blank=True)
    outcome = models.CharField(_("kết quả so với hạn"), max_length=8, choices=OUTCOME_CHOICES, blank=True)
    closing_reason = models.TextField(_("lý do (từ chối, dừng, rút)"), blank=True)

    result_number = models.CharField(_("số, ký hiệu văn bản kết quả"), max_length=100, blank=True)
    result_date = models.DateField(_("ngày ký kết quả"), null=True, blank=True)
    result_signer = models.CharField(_("người ký kết quả"), max_length=150, blank=True)
    result_summary = models.CharField(_("trích yếu kết quả"), max_length=500, blank=True)
    result_ready_at = models.DateTimeField(_("kết quả về một cửa lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    return_method = models.CharField(_("hình thức trả"), max_length=10, choices=ReturnMethod.choices, blank=True)
    returned_to = models.CharField(_("người nhận kết quả"), max_length=255, blank=True)

    # Where the dossier is now: a copy of its active step, kept by the services, for the work queues.
    current_step = models.ForeignKey("DossierStep", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("bước hiện tại"))
    current_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("cơ quan đang xử lý"))
    current_role = models.CharField(max_length=30, blank=True, choices=ROLE_CHOICES)
    current_division = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("phòng đang xử lý"))
    current_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("đơn vị đang xử lý"))
    current_other_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                             related_name="+", verbose_name=_("cơ quan liên thông đang xử lý"))
    current_assignee = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                         verbose_name=_("người đang xử lý"))
    current_due_at = models.DateTimeField(_("hạn của bước hiện tại"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        permissions = [
            ("view_agency_dossiers", "Xem mọi hồ sơ của cơ quan"),
            ("view_province_dossiers", "Xem mọi hồ sơ của tỉnh (chỉ đọc)"),
            ("view_personal_data", "Xem đầy đủ thông tin cá nhân của người nộp"),
            ("receive_dossier", "Tiếp nhận, trả kết quả hồ sơ (bộ phận một cửa)"),
            ("handle_dossier", "Xử lý, chuyển hồ sơ"),
            ("assign_dossier", "Phân công xử lý hồ sơ"),
            ("approve_dossier", "Phê duyệt, ký kết quả"),
            ("reject_dossier", "Từ chối giải quyết, dừng xử lý hồ sơ"),
            ("apologize_dossier", "Xin lỗi và hẹn lại ngày trả kết quả"),
        ]
        indexes = [
            models.Index(fields=["current_agency", "current_division", "current_due_at", "id"], condition=_OPEN,
                         name="dossier_queue_division"),
            models.Index(fields=["current_agency", "current_unit", "current_due_at", "id"], condition=_OPEN,
                         name="dossier_queue_unit"),
            models.Index(fields=["current_agency", "current_assignee", "current_due_at", "id"], condition=_OPEN,
                         name="dossier_queue_assignee"),
            models.Index(fields=["current_agency", "current_role", "current_due_at", "id"], condition=_OPEN,
                         name="dossier_queue_role"),
            models.Index(fields=["agency", "due_at", "id"], condition=_OPEN, name="dossier_open_due"),
            models.Index(fields=["agency", "-submitted_at", "-id"], name="dossier_agency_recent"),
            models.Index(fields=["agency", "state", "-submitted_at", "-id"], name="dossier_agency_state"),
            models.Index(fields=["agency", "procedure", "-submitted_at", "-id"], name="dossier_agency_procedure"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(due_at__isnull=True) | Q(received_at__isnull=False),
                                   name="dossier_due_only_when_received"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):  # type: ignore[override]
        from motcua.core.text import fold_key

        self.applicant_name_key = fold_key(self.applicant_name)
        self.is_open = self.state in OPEN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"is_open"} | ({"applicant_name_key"} if "applicant_name" in update_fields else set())
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)

    @property
    def is_received(self) -> bool:
        return self.received_at is not None


class DossierAgency(models.Model):
    """An agency that takes part in a dossier — its receiving point, resolving agency, delivery point or a liên
    thông partner — and so sees it with its own roles: one row per agency, so that "the dossiers my agency
    takes part in" is one indexed look-up."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="parties")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    partner = models.BooleanField(_("cơ quan liên thông"), default=False)

    class Meta:
        verbose_name = _("cơ quan tham gia hồ sơ")
        verbose_name_plural = _("cơ quan tham gia hồ sơ")
        constraints = [models.UniqueConstraint(fields=["dossier", "agency"], name="dossier_agency_unique")]
        indexes = [models.Index(fields=["agency", "dossier"], name="dossier_agency_lookup")]

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.agency_id}"


class DossierStep(models.Model):
    """One pass of a dossier through one step of its procedure's process (a step sent back and taken
    again is a new row), with its own due time from the step's share of the time limit. ``agency`` is the
    agency that performs it: the receiving desk, the resolving agency, a partner or the delivery desk."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang xử lý")
        DONE = "done", _("Đã xong")
        SENT_BACK = "sent_back", _("Bị trả lại")
        SUSPENDED = "suspended", _("Tạm dừng chờ bổ sung")
        CLOSED = "closed", _("Kết thúc (hồ sơ đóng)")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="steps")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    process_step = models.ForeignKey(ProcessStep, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("thứ tự bước"))
    name = models.CharField(_("tên bước"), max_length=300)
    role = models.CharField(_("vai trò"), max_length=30, choices=ROLE_CHOICES)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    other_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assignee = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("người được giao"))
    hours = models.PositiveIntegerField(_("thời gian (giờ làm việc)"))
    started_at = models.DateTimeField(_("bắt đầu"))
    due_at = models.DateTimeField(_("hạn"))
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    finished_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    outcome = models.CharField(_("kết quả so với hạn"), max_length=8, choices=OUTCOME_CHOICES, blank=True)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")
        ordering = ["dossier", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier"], condition=Q(status="active"), name="one_active_step"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.order} {self.name}"

    @property
    def place(self) -> Division | Unit | Agency | None:
        return self.division or self.unit or self.other_agency


class Handoff(models.Model):
    """One entry of the process-control sheet (Mẫu 05): who gave the dossier to whom, when, the due time
    of the step given up and whether it was met. Written by every action, in its transaction."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="handoffs")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField(_("số thứ tự"))
    at = models.DateTimeField(_("thời điểm"))
    action = models.CharField(_("thao tác"), max_length=24, choices=ACTION_CHOICES)
    from_state = models.CharField(_("từ trạng thái"), max_length=24, choices=STATE_CHOICES, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=24, choices=STATE_CHOICES)
    giver = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    giver_name = models.CharField(_("người giao"), max_length=150, blank=True)
    giver_place = models.CharField(_("nơi giao"), max_length=255, blank=True)
    receiver_name = models.CharField(_("người nhận"), max_length=150, blank=True)
    receiver_place = models.CharField(_("nơi nhận"), max_length=255, blank=True)
    step = models.ForeignKey(DossierStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             help_text=_("Bước được bàn giao (kết thúc) bởi thao tác này."))
    step_due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    step_outcome = models.CharField(_("kết quả bước"), max_length=8, choices=OUTCOME_CHOICES, blank=True)
    due_at = models.DateTimeField(_("hạn trả sau thao tác"), null=True, blank=True,
                                  help_text=_("Hẹn trả kết quả của hồ sơ sau thao tác này (dùng cho thống kê)."))
    note = models.TextField(_("ghi chú, lý do"), blank=True)

    class Meta:
        verbose_name = _("bàn giao (phiếu kiểm soát)")
        verbose_name_plural = _("bàn giao (phiếu kiểm soát)")
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="handoff_seq_unique")]

    def __str__(self) -> str:
        return f"{self.dossier_id}.{self.seq} {self.action}"


class DeadlineEntry(models.Model):
    """The deadline ledger: the first appointment, each suspension for a supplement, each restart from
    zero once the dossier is complete, each new appointment after an apology. The dossier's ``due_at``
    is always the last entry's; nothing earlier is overwritten."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Hẹn trả lần đầu")
        SUSPENSION = "suspension", _("Tạm dừng chờ bổ sung")
        RESTART = "restart", _("Tính lại từ đầu sau khi bổ sung đủ")
        REAPPOINTMENT = "reappointment", _("Xin lỗi và hẹn lại")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="deadlines")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("ghi lúc"))
    starts_at = models.DateTimeField(_("tính từ"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn"), null=True, blank=True)
    previous_due_at = models.DateTimeField(_("hạn trước đó"), null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    notice_in_time = models.BooleanField(_("báo trước đủ thời gian"), null=True, blank=True,
                                         help_text=_("Phiếu xin lỗi gửi trước hạn ít nhất 1 ngày làm việc."))
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("sổ thời hạn")
        verbose_name_plural = _("sổ thời hạn")
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.due_at}"


class SupplementRequest(models.Model):
    """A request to complete the dossier (Mẫu 02): what is missing and why, and when it was answered."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="supplements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("lần"))
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    after_receipt = models.BooleanField(_("sau khi tiếp nhận"))
    within_window = models.BooleanField(_("trong hạn yêu cầu bổ sung"), null=True, blank=True)
    reason = models.TextField(_("lý do"))
    items = models.JSONField(_("giấy tờ cần bổ sung"), default=list,
                             help_text=_("Danh sách {name, reason}."))
    provided_at = models.DateTimeField(_("đã bổ sung lúc"), null=True, blank=True)
    provided_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    provided_note = models.TextField(_("ghi chú khi nhận bổ sung"), blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["dossier", "number"]
        constraints = [models.UniqueConstraint(fields=["dossier", "number"], name="supplement_number_unique")]

    def __str__(self) -> str:
        return f"{self.dossier_id} bổ sung lần {self.number}"


class DossierDocument(models.Model):
    """One line of the dossier's components (thành phần hồ sơ): the catalogue's required document as the
    desk ticked it, with how many copies and of which kind."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="documents")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    required_document = models.ForeignKey(RequiredDocument, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    copy_type = models.CharField(_("loại bản"), max_length=20, choices=RequiredDocument.CopyType.choices)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    provided = models.BooleanField(_("đã nộp"), default=False)

    class Meta:
        verbose_name = _("thành phần hồ sơ đã nộp")
        verbose_name_plural = _("thành phần hồ sơ đã nộp")
        ordering = ["dossier", "order"]

    def __str__(self) -> str:
        return self.name


def attachment_path(instance: Attachment, filename: str) -> str:
    """Files are kept under the dossier's id and their digest, never under the name the uploader chose."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    day = (instance.uploaded_at or dt.datetime.now(dt.UTC)).strftime("%Y/%m")
    return f"dossiers/{day}/{instance.dossier_id}/{instance.sha256[:32]}.{extension}"


class Attachment(models.Model):
    """A file of a dossier: a scan of a component, a supplement, or the signed result. Served only to
    those who may see the dossier."""

    class Kind(models.TextChoices):
        COMPONENT = "component", _("Bản scan thành phần hồ sơ")
        SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")
        RESULT = "result", _("Kết quả giải quyết")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="attachments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(DossierDocument, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="attachments")
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    size = models.PositiveBigIntegerField(_("kích thước (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    uploaded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["dossier", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Tally(models.Model):
    """The statistics ledger (``dossiers.tally``): per resolving agency, receiving point, procedure and day —
    and again per month and per year, so that a report over years reads a few rows — the dossiers received,
    resolved, withdrawn, and the changes of the open, suspended and overdue stocks. Kept by every action in its
    own transaction; rebuilt from the hand-offs by ``motcua tally --rebuild``. Reports read only this."""

    class Grain(models.TextChoices):
        DAY = "d", _("ngày")
        MONTH = "m", _("tháng")
        YEAR = "y", _("năm")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               help_text=_("Cơ quan giải quyết."))
    receiving_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                         help_text=_("Nơi tiếp nhận."))
    procedure = models.ForeignKey(CatalogProcedure, on_delete=models.PROTECT, related_name="+")
    grain = models.CharField(max_length=1, choices=Grain.choices)
    day = models.DateField(help_text=_("Ngày, hoặc ngày đầu tháng, đầu năm."))
    received_online = models.IntegerField(default=0)
    received_direct = models.IntegerField(default=0)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    stopped = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    resolved_minutes = models.BigIntegerField(default=0)
    open = models.IntegerField(default=0)
    suspended = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("sổ thống kê")
        verbose_name_plural = _("sổ thống kê")
        permissions = [
            ("view_reports", "Xem báo cáo, thống kê, bảng điều hành của cơ quan"),
            ("view_province_reports", "Xem báo cáo, thống kê của mọi cơ quan"),
        ]
        constraints = [models.UniqueConstraint(fields=["agency", "receiving_agency", "procedure", "grain", "day"],
                                               name="tally_key")]
        indexes = [models.Index(fields=["grain", "day"], name="tally_period"),
                   models.Index(fields=["agency", "grain", "day"], name="tally_agency_period"),
                   models.Index(fields=["receiving_agency", "grain", "day"], name="tally_receiving_period")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.procedure_id} {self.grain} {self.day}"
