"""Agencies, their divisions and affiliated units, positions, staff and the history of their posts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import codes
from motcua.core.models import WorkCalendar
from motcua.core.text import fold_key


def validate_agency_identifier(value: str) -> None:
    if not codes.is_agency_identifier(value):
        raise ValidationError(
            _("Mã định danh cơ quan không đúng dạng (tối đa 35 ký tự gồm chữ in hoa, chữ số và dấu chấm, "
              "có một nhóm cấp 1 như H22 hoặc G14; ví dụ 000.00.12.H22)."),
            code="invalid_identifier",
        )


def validate_short_name(value: str) -> None:
    if not codes.is_short_name(value):
        raise ValidationError(
            _("Tên viết tắt dùng trong ký hiệu văn bản chỉ gồm chữ in hoa (kể cả Đ) và chữ số, 2–20 ký tự; "
              "ví dụ SNV."),
            code="invalid_short_name",
        )


class Agency(models.Model):
    """An agency of the province (two-tier since 1 July 2025: province and communes, no districts). Its kind says
    what it does in the one-stop: the service centre and its branches only receive and return; departments and
    communes also resolve. ``on_system``: its staff work in this deployment, so a liên thông step there lands in
    its queues; an agency off the system (a ministry, another province) is reached by transfer and receive-back."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("UBND tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")
        BRANCH = "branch", _("Chi nhánh Trung tâm Phục vụ hành chính công")
        COMMUNE = "commune", _("UBND xã, phường, đặc khu")
        OTHER = "other", _("Cơ quan ngoài tỉnh")

    # Receiving points that resolve nothing themselves.
    RECEIVE_ONLY = frozenset({Kind.SERVICE_CENTRE, Kind.BRANCH})
    # The kinds that make up the province (the public list of agencies).
    PROVINCE_KINDS = (Kind.PROVINCE, Kind.DEPARTMENT, Kind.SERVICE_CENTRE, Kind.BRANCH, Kind.COMMUNE)

    identifier = models.CharField(_("mã định danh"), max_length=35, unique=True,
                                  validators=[validate_agency_identifier],
                                  help_text=_("Theo QCVN 102:2016 / QĐ 20/2020/QĐ-TTg, ví dụ 000.00.12.H22."))
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=20, validators=[validate_short_name],
                                  help_text=_("Dùng trong ký hiệu văn bản, ví dụ 123/QĐ-SNV."))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("cơ quan cấp trên"))
    kind = models.CharField(_("loại cơ quan"), max_length=20, choices=Kind.choices)
    on_system = models.BooleanField(
        _("dùng chung hệ thống"), default=True,
        help_text=_("Cán bộ của cơ quan làm việc trên hệ thống này: bước liên thông tại đây vào hàng đợi của cơ "
                    "quan. Bỏ chọn cho cơ quan ngoài tỉnh (chuyển và nhận lại hồ sơ)."))
    served_communes = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="serving_branches",
        limit_choices_to={"kind": "commune"}, verbose_name=_("các xã, phường phục vụ"),
        help_text=_("Với chi nhánh Trung tâm Phục vụ hành chính công: các xã, phường chi nhánh phục vụ."))
    calendar = models.ForeignKey(WorkCalendar, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="agencies", verbose_name=_("lịch làm việc"),
                                 help_text=_("Để trống: lịch quốc gia và giờ làm việc mặc định."))
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["name"]
        permissions = [
            ("manage_organisation", "Quản lý cơ cấu tổ chức và cán bộ của cơ quan"),
            ("view_division_work", "Xem công việc của cả phòng"),
            ("view_agency_work", "Xem công việc của cả cơ quan"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("Cơ quan cấp trên không được tạo thành vòng lặp.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    @property
    def resolves(self) -> bool:
        """Whether the agency resolves dossiers at all (the service centre and its branches only receive)."""
        return self.kind not in self.RECEIVE_ONLY


class Division(models.Model):
    """A functional division (phòng chuyên môn) of an agency. Its ``kind`` is what a procedure's process names
    (the civil-service division, the one-stop desk…), so one process runs in every agency that resolves the
    procedure, each with its own divisions."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="divisions",
                               verbose_name=_("cơ quan"))
    code = models.CharField(_("mã"), max_length=20)
    kind = models.CharField(_("loại phòng"), max_length=20, blank=True,
                            help_text=_("Mã loại phòng mà quy trình thủ tục dùng (ví dụ CCVC, VP); để trống: "
                                        "trùng mã phòng."))
    name = models.CharField(_("tên phòng"), max_length=255)
    is_one_stop_desk = models.BooleanField(_("là bộ phận một cửa"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("phòng chuyên môn")
        verbose_name_plural = _("phòng chuyên môn")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="division_code_unique")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[override]
        self.kind = self.kind or self.code
        super().save(*args, **kwargs)


class Unit(models.Model):
    """An affiliated unit (đơn vị trực thuộc) of an agency."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units", verbose_name=_("cơ quan"))
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đơn vị trực thuộc")
        verbose_name_plural = _("đơn vị trực thuộc")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="unit_code_unique")]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A post (chức vụ, chức danh). ``single_holder`` posts (Giám đốc, Trưởng phòng) have one holder at a time
    in their agency, division or unit; the others (Chuyên viên) any number."""

    class Level(models.TextChoices):
        AGENCY = "agency", _("Lãnh đạo cơ quan")
        DIVISION = "division", _("Lãnh đạo phòng, đơn vị")
        STAFF = "staff", _("Công chức, viên chức, người lao động")

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên chức vụ"), max_length=150)
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    single_holder = models.BooleanField(_("chỉ một người giữ"), default=False)
    rank = models.PositiveSmallIntegerField(_("thứ bậc hiển thị"), default=100)

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


class Staff(models.Model):
    """An employee of one agency, linked to the login account they act with."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff",
                                verbose_name=_("tài khoản"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff", verbose_name=_("cơ quan"))
    full_name = models.CharField(_("họ và tên"), max_length=150)
    # The name folded (no marks, đ → d, lower case), kept by save(): searching "hung" finds "Hùng"
    # on every database (SQLite folds neither marks nor non-ASCII case).
    name_key = models.CharField(max_length=150, editable=False, db_index=True, default="")
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    is_active = models.BooleanField(_("đang công tác"), default=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["agency", "full_name"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):  # type: ignore[override]
        self.name_key = fold_key(self.full_name)
        if kwargs.get("update_fields") is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)


class AssignmentQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> AssignmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on))

    def overlapping(self, start: dt.date, end: dt.date | None) -> AssignmentQuerySet:
        qs = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        return qs if end is None else qs.filter(start_date__lte=end)


class Assignment(models.Model):
    """A staff member's post from a date to a date (the decision that made it): appointments,
    transfers and 'in charge of' assignments are new rows; history is never overwritten."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="assignments",
                              verbose_name=_("cán bộ"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assignments",
                               verbose_name=_("cơ quan"))
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="assignments",
                                 verbose_name=_("chức vụ"))
    division = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="assignments", verbose_name=_("phòng"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments",
                             verbose_name=_("đơn vị trực thuộc"))
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    decision = models.CharField(_("quyết định"), max_length=200, blank=True,
                                help_text=_("Số, ký hiệu quyết định bổ nhiệm, điều động, giao nhiệm vụ."))

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["staff", "-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="assignment_dates_ordered"),
            models.CheckConstraint(condition=~(Q(division__isnull=False) & Q(unit__isnull=False)),
                                   name="assignment_division_or_unit"),
        ]
        indexes = [models.Index(fields=["staff", "start_date"], name="assignment_staff_start")]

    def __str__(self) -> str:
        place = self.division or self.unit or self.agency
        return f"{self.staff} — {self.position} — {place}"

    @property
    def place(self) -> Division | Unit | Agency:
        return self.division or self.unit or self.agency


class ApiToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("tài khoản"))
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("tiền tố"), max_length=8, help_text=_("Để nhận ra token, không đủ để dùng."))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked = models.BooleanField(_("đã thu hồi"), default=False)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class Announcement(models.Model):
    """A notice of the agency to its own staff (thông báo của cơ quan) on the staff home: pinned ones first,
    then the newest; gone from the home page after its expiry date. Published, edited and withdrawn through
    ``org.office`` by holders of ``publish_announcements``."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"), blank=True)
    published_at = models.DateTimeField(_("đăng lúc"))
    expires_on = models.DateField(_("hiển thị đến hết ngày"), null=True, blank=True,
                                  help_text=_("Để trống: hiển thị cho đến khi gỡ xuống."))
    pinned = models.BooleanField(_("ghim lên đầu"), default=False)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đăng"))
    updated_at = models.DateTimeField(_("sửa lần cuối"))

    class Meta:
        verbose_name = _("thông báo của cơ quan")
        verbose_name_plural = _("thông báo của cơ quan")
        ordering = ["-pinned", "-published_at", "-id"]
        indexes = [models.Index(fields=["agency", "-published_at"], name="announcement_agency_recent")]
        permissions = [("publish_announcements", "Đăng thông báo của cơ quan")]

    def __str__(self) -> str:
        return self.title


class ScheduleEntry(models.Model):
    """One line of the agency's weekly work schedule (lịch công tác tuần): what, when, where, which leader
    chairs it, who attends, which division prepares it. The office edits it; every staff member reads it."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    day = models.DateField(_("ngày"))
    start = models.TimeField(_("bắt đầu"))
    end = models.TimeField(_("kết thúc"), null=True, blank=True)
    title = models.CharField(_("nội dung công việc"), max_length=300)
    location = models.CharField(_("địa điểm"), max_length=200, blank=True)
    chaired_by = models.CharField(_("lãnh đạo chủ trì"), max_length=150, blank=True)
    participants = models.TextField(_("thành phần"), blank=True)
    preparing_division = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("đơn vị chuẩn bị"))
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("người nhập"))
    updated_at = models.DateTimeField(_("sửa lần cuối"))

    class Meta:
        verbose_name = _("lịch công tác")
        verbose_name_plural = _("lịch công tác")
        ordering = ["day", "start", "id"]
        indexes = [models.Index(fields=["agency", "day"], name="schedule_agency_day")]
        permissions = [("manage_schedule", "Soạn lịch công tác tuần")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.start:%H:%M} {self.title}"
