"""The procedure catalogue: procedures and their immutable versions (time limit, documents, fees, legal
basis, ISO process steps, compliance-cost inputs). A dossier keeps the version it was received under."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog import format as fmt
from motcua.core.files import FileProblem, check_upload
from motcua.core.text import fold_key
from motcua.org.models import Agency
from motcua.org.roles import ROLE_LABELS, STEP_ROLES


def validate_blank_form(upload) -> None:
    """The type is read from the file's first bytes, not trusted from its name."""
    checked = check_upload(upload.name, upload, upload.size, max_bytes=10 * 1024 * 1024,
                           allowed=("pdf", "doc", "docx", "odt", "xls", "xlsx"))
    if isinstance(checked, FileProblem):
        raise ValidationError(checked.message)


class Field(models.Model):
    """Lĩnh vực: the subject area procedures belong to."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    class OnlineLevel(models.TextChoices):
        FULL = "full", _("Toàn trình")
        PARTIAL = "partial", _("Một phần")
        NONE = "none", _("Không")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang áp dụng")
        SUSPENDED = "suspended", _("Tạm ngừng")
        ABOLISHED = "abolished", _("Đã bãi bỏ")

    code = models.CharField(_("mã thủ tục"), max_length=60, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="procedures",
                               verbose_name=_("cơ quan chủ trì"),
                               help_text=_("Cơ quan công bố, quản lý thủ tục (sở, hoặc UBND tỉnh với thủ tục cấp xã)."))
    # Every agency that resolves the procedure (a commune-level procedure: every commune). Any desk of the
    # province receives any procedure (không phụ thuộc địa giới hành chính) and hands it to one of these.
    resolving_agencies = models.ManyToManyField(Agency, related_name="resolved_procedures", blank=True,
                                                verbose_name=_("cơ quan giải quyết"))
    for_individuals = models.BooleanField(_("cá nhân"), default=True)
    for_organisations = models.BooleanField(_("tổ chức"), default=False)
    result_type = models.CharField(_("kết quả"), max_length=200, blank=True)
    channel_desk = models.BooleanField(_("nộp trực tiếp"), default=True)
    channel_post = models.BooleanField(_("nộp qua bưu chính"), default=True)
    channel_online = models.BooleanField(_("nộp trực tuyến"), default=False)
    online_level = models.CharField(_("dịch vụ công trực tuyến"), max_length=10, choices=OnlineLevel.choices,
                                    default=OnlineLevel.NONE)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Folded (no marks, đ → d, lower case) for search that ignores diacritics on every database.
    name_key = models.CharField(max_length=500, editable=False, default="", db_index=True)
    search_key = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["name"]
        permissions = [("manage_catalog", "Quản lý danh mục thủ tục hành chính")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def applicant_types(self) -> list[str]:
        return [t for t, on in (("individual", self.for_individuals), ("organisation", self.for_organisations)) if on]

    @property
    def channels(self) -> list[str]:
        return [c for c, on in (("desk", self.channel_desk), ("post", self.channel_post),
                                ("online", self.channel_online)) if on]

    @property
    def offers_online(self) -> bool:
        """Open to online filing: the online channel and an online service level (toàn trình or một phần)."""
        return self.channel_online and self.online_level != self.OnlineLevel.NONE

    @property
    def returns_online(self) -> bool:
        """A procedure offered fully online (toàn trình) returns its result online as well."""
        return self.online_level == self.OnlineLevel.FULL

    def current_version(self, on: dt.date | None = None) -> ProcedureVersion | None:
        return self.versions.in_force(on).first()


class VersionQuerySet(models.QuerySet):
    def in_force(self, on: dt.date | None = None) -> VersionQuerySet:
        """Versions already in effect on a date, newest first (the first is the one that applies)."""
        return self.filter(effective_from__lte=on or timezone.localdate()).order_by("-effective_from", "-number")


class ProcedureVersion(models.Model):
    """What a procedure requires from a date on. Never edited once saved: a change is a new version."""

    class TimeUnit(models.TextChoices):
        DAYS = "days", _("ngày làm việc")
        HOURS = "hours", _("giờ làm việc")

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions",
                                  verbose_name=_("thủ tục"))
    number = models.PositiveIntegerField(_("phiên bản"))
    effective_from = models.DateField(_("áp dụng từ ngày"))
    time_limit = models.PositiveIntegerField(_("thời hạn giải quyết"))
    time_unit = models.CharField(_("đơn vị"), max_length=5, choices=TimeUnit.choices, default=TimeUnit.DAYS)
    from_complete_dossier = models.BooleanField(_("tính từ khi nhận đủ hồ sơ hợp lệ"), default=True)
    change_note = models.TextField(_("nội dung thay đổi"), blank=True)
    hours_learning = models.DecimalField(_("giờ tìm hiểu thủ tục"), max_digits=7, decimal_places=2, default=0)
    hours_preparing = models.DecimalField(_("giờ chuẩn bị hồ sơ"), max_digits=7, decimal_places=2, default=0)
    visits = models.PositiveIntegerField(_("số lần đi lại"), default=0)
    hours_per_visit = models.DecimalField(_("giờ mỗi lần đi lại, chờ đợi"), max_digits=7, decimal_places=2, default=0)
    other_costs = models.BigIntegerField(_("chi phí khác (đồng)"), default=0,
                                         help_text=_("Sao chụp, chứng thực, đi lại, bưu chính, thuê dịch vụ."))
    applicants_per_year = models.PositiveIntegerField(_("số lượt thực hiện mỗi năm"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique"),
            models.CheckConstraint(condition=Q(time_limit__gt=0), name="procedure_version_time_limit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    @property
    def time_limit_hours(self) -> int:
        return fmt.time_limit_hours(self.time_limit, self.time_unit)

    @property
    def agency_id(self) -> int:  # for the audit log and access checks
        return self.procedure.agency_id


class RequiredDocument(models.Model):
    class CopyType(models.TextChoices):
        ORIGINAL = "original", _("Bản chính")
        COPY = "copy", _("Bản sao")
        CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    copy_type = models.CharField(_("loại bản"), max_length=20, choices=CopyType.choices)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    condition = models.TextField(_("điều kiện (nếu không bắt buộc)"), blank=True)
    blank_form = models.FileField(_("mẫu đơn, tờ khai"), upload_to="catalog/forms/", blank=True,
                                  validators=[validate_blank_form],
                                  help_text=_("PDF, DOC, DOCX, ODT, XLS hoặc XLSX, tối đa 10 MB."))

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên phí, lệ phí"), max_length=300)
    amount = models.BigIntegerField(_("mức thu (đồng)"))
    legal_basis = models.CharField(_("căn cứ thu"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["version", "order"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="fee_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount:,} đ"


class LegalBasis(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="legal_bases")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    number = models.CharField(_("số, ký hiệu"), max_length=100)
    date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    title = models.CharField(_("trích yếu"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.number


class ProcessStep(models.Model):
    """One step of the ISO process, with its share of the time limit in working hours."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=300)
    role = models.CharField(_("vai trò thực hiện"), max_length=30,
                            choices=[(r.value, ROLE_LABELS[r]) for r in STEP_ROLES])
    # Where in the performing agency: a division kind (or an affiliated unit's code), resolved in whichever
    # agency performs the step — the receiving desk, the resolving agency, a partner — never a fixed row.
    division_kind = models.CharField(_("loại phòng, đơn vị"), max_length=20, blank=True,
                                     help_text=_("Mã loại phòng (ví dụ CCVC) hoặc mã đơn vị trực thuộc; để trống: "
                                                 "lãnh đạo cơ quan. Bước của cán bộ một cửa luôn ở bộ phận một cửa."))
    other_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("tại cơ quan liên thông"),
                                     help_text=_("Cơ quan dùng chung hệ thống: bước vào hàng đợi của cơ quan đó; "
                                                 "cơ quan ngoài hệ thống: chuyển và nhận lại hồ sơ."))
    hours = models.PositiveIntegerField(_("thời gian (giờ làm việc)"))

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình xử lý")
        ordering = ["version", "order"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="process_step_hours_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def place_label(self) -> str:
        """How the catalogue names where the step is (the kind, since the rows differ per agency)."""
        if self.other_agency_id:
            return f"{self.other_agency}" + (f" ({self.division_kind})" if self.division_kind else "")
        return self.division_kind


def index_text(procedure: Procedure, version: ProcedureVersion | None) -> tuple[str, str]:
    """The folded name and the folded 'other text' a search looks in (field, code, documents, legal basis)."""
    parts = [procedure.name, procedure.code, procedure.field.name, procedure.result_type]
    if version is not None:
        parts += [d.name for d in version.documents.all()]
        parts += [f"{lb.number} {lb.title}" for lb in version.legal_bases.all()]
    return fold_key(procedure.name), fold_key(" ".join(parts))


class SearchRevision(models.Model):
    """A token that changes with every write to what the catalogue search shows (one row). Each process
    keeps its search index until the token changes. Random, not a counter, so that a rolled-back write can
    never bring back a token that some process has already seen with other data."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("phiên bản chỉ mục tìm kiếm")
        verbose_name_plural = _("phiên bản chỉ mục tìm kiếm")

    def __str__(self) -> str:
        return self.token
