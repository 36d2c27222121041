"""Official documents (văn bản đến, văn bản đi), their registers, files, handling, distribution and the
work files (hồ sơ công việc) that group them.

One table holds both directions (``IncomingDocument`` and ``OutgoingDocument`` are views of it), so that one
search, one access filter and one work file cover all correspondence. Rows hold data and the invariants of
one row; every change goes through ``services``.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.documents.states import (
    STATE_LABELS,
    TASK_ROLE_LABELS,
    TASK_STATE_LABELS,
    Direction,
    State,
    TaskRole,
    TaskState,
)
from motcua.org.models import Agency, Division, Staff

DIRECTION_CHOICES = [(Direction.INCOMING.value, _("Văn bản đến")), (Direction.OUTGOING.value, _("Văn bản đi"))]
STATE_CHOICES = [(s.value, _(STATE_LABELS[s])) for s in State]
TASK_STATE_CHOICES = [(s.value, _(TASK_STATE_LABELS[s])) for s in TaskState]
TASK_ROLE_CHOICES = [(r.value, _(TASK_ROLE_LABELS[r])) for r in TaskRole]


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Thường")
    URGENT = "urgent", _("Khẩn")
    VERY_URGENT = "very_urgent", _("Thượng khẩn")
    FLASH = "flash", _("Hỏa tốc")


class Secrecy(models.TextChoices):
    NORMAL = "normal", _("Thường")
    CONFIDENTIAL = "confidential", _("Mật")
    SECRET = "secret", _("Tối mật")
    TOP_SECRET = "top_secret", _("Tuyệt mật")


class DocumentType(models.Model):
    """A type of document (NĐ 30/2020 Art 7) and its abbreviation in symbols (Phụ lục III; two are unverified,
    so the table is editable by an administrator)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại văn bản"), max_length=100)
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=10, blank=True,
                                    help_text=_("Để trống cho công văn (ký hiệu theo cơ quan và đơn vị soạn thảo)."))
    rank = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


class Register(models.Model):
    """A register (sổ đăng ký) of one agency, direction, secrecy series and year. Its numbers come from
    ``core.sequences`` (one counter row per series and year), so they restart on 1 January and have no gaps.
    A closed register takes no more documents."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    direction = models.CharField(_("loại sổ"), max_length=10, choices=DIRECTION_CHOICES)
    secret = models.BooleanField(_("sổ văn bản mật"), default=False)
    year = models.PositiveSmallIntegerField(_("năm"))
    closed_at = models.DateTimeField(_("khóa sổ lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("người khóa sổ"))

    class Meta:
        verbose_name = _("sổ đăng ký văn bản")
        verbose_name_plural = _("sổ đăng ký văn bản")
        ordering = ["agency", "-year", "direction", "secret"]
        constraints = [models.UniqueConstraint(fields=["agency", "direction", "secret", "year"],
                                               name="register_unique")]
        permissions = [("manage_registers", "Khóa sổ, in sổ đăng ký văn bản")]

    def __str__(self) -> str:
        kind = _("Sổ văn bản đến") if self.direction == Direction.INCOMING else _("Sổ văn bản đi")
        secret = " ({})".format(_("mật")) if self.secret else ""
        return f"{kind}{secret} {self.year}"


class Document(models.Model):
    """An official document, incoming or outgoing."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    direction = models.CharField(_("loại"), max_length=10, choices=DIRECTION_CHOICES)
    state = models.CharField(_("trạng thái"), max_length=12, choices=STATE_CHOICES)
    register = models.ForeignKey(Register, on_delete=models.PROTECT, null=True, blank=True, related_name="documents",
                                 verbose_name=_("sổ"))
    number = models.PositiveIntegerField(_("số đến/số văn bản"), null=True, blank=True)
    # As printed on the document: the sender's for an incoming document, ours (given at issue) for an outgoing one.
    symbol = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("loại văn bản"))
    summary = models.CharField(_("trích yếu"), max_length=1000)
    issued_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    sender_name = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    sender_identifier = models.CharField(_("mã định danh cơ quan gửi"), max_length=35, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.CharField(_("độ mật"), max_length=12, choices=Secrecy.choices, default=Secrecy.NORMAL)
    received_at = models.DateTimeField(_("ngày đến"), null=True, blank=True)
    registered_at = models.DateTimeField(_("vào sổ lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn xử lý"), null=True, blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    direction_note = models.TextField(_("ý kiến chỉ đạo"), blank=True)
    directed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("lãnh đạo chỉ đạo"))
    # outgoing
    drafting_division = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+", verbose_name=_("đơn vị soạn thảo"))
    recipients_text = models.TextField(_("nơi nhận"), blank=True)
    copies = models.PositiveSmallIntegerField(_("số lượng bản"), default=1)
    page_count = models.PositiveSmallIntegerField(_("số trang"), null=True, blank=True)
    issued_at = models.DateTimeField(_("phát hành lúc"), null=True, blank=True)
    reply_to = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies",
                                 verbose_name=_("trả lời văn bản"))
    # exchange (edXML): the package's DocumentId; one package is registered once
    exchange_id = models.CharField(_("mã văn bản liên thông"), max_length=200, blank=True)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tạo"))
    created_at = models.DateTimeField(_("tạo lúc"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["agency", "direction", "state"], name="document_queue"),
            models.Index(fields=["agency", "issued_on"], name="document_issued_on"),
            models.Index(fields=["agency", "sender_identifier", "symbol"], name="document_sender_symbol"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="document_number_unique"),
            models.UniqueConstraint(fields=["agency", "direction", "exchange_id"], condition=~Q(exchange_id=""),
                                    name="document_exchange_once"),
        ]
        permissions = [
            ("register_incoming", "Vào sổ văn bản đến"),
            ("direct_document", "Cho ý kiến chỉ đạo văn bản đến"),
            ("assign_document", "Phân công xử lý văn bản trong phòng"),
            ("handle_document", "Xử lý văn bản được giao"),
            ("draft_outgoing", "Soạn dự thảo văn bản đi"),
            ("review_outgoing", "Duyệt dự thảo của phòng"),
            ("approve_outgoing", "Phê duyệt, ký văn bản đi"),
            ("issue_outgoing", "Cấp số, phát hành văn bản đi"),
            ("view_all_documents", "Xem mọi văn bản của cơ quan"),
            ("view_secret_documents", "Xem văn bản mật"),
            ("exchange_documents", "Gửi, nhận văn bản điện tử liên thông (edXML)"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol or _('(chưa có số)')} — {self.summary[:80]}"

    def get_absolute_url(self) -> str:
        name = "documents:incoming-detail" if self.direction == Direction.INCOMING else "documents:outgoing-detail"
        return reverse(name, kwargs={"pk": self.pk})

    @property
    def is_secret(self) -> bool:
        return self.secrecy != Secrecy.NORMAL

    @property
    def number_label(self) -> str:
        return f"{self.number}" if self.number else ""


class IncomingDocumentManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(direction=Direction.INCOMING)


class OutgoingDocumentManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(direction=Direction.OUTGOING)


class IncomingDocument(Document):
    objects = IncomingDocumentManager()

    class Meta:
        proxy = True
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")


class OutgoingDocument(Document):
    objects = OutgoingDocumentManager()

    class Meta:
        proxy = True
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("văn bản đi")


def document_file_path(instance: DocumentFile, filename: str) -> str:
    """Files are kept under the document's id and their digest, never under the name the uploader chose."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    day = (instance.uploaded_at or dt.datetime.now(dt.UTC)).strftime("%Y/%m")
    return f"documents/{day}/{instance.document_id}/{instance.sha256[:32]}.{extension}"


class DocumentFile(models.Model):
    """A file of a document: the scan, the draft, the signed and issued PDF, an attachment, or the edXML package
    it arrived in (kept as received). Its text (text layer or OCR) feeds the search."""

    class Kind(models.TextChoices):
        MAIN = "main", _("Tệp văn bản")
        ATTACHMENT = "attachment", _("Phụ lục, tài liệu kèm theo")
        SIGNED = "signed", _("Bản đã ký số")
        PACKAGE = "package", _("Gói tin edXML gốc")

    class TextStatus(models.TextChoices):
        NONE = "none", _("Không trích văn bản")
        PENDING = "pending", _("Đang nhận dạng")
        DONE = "done", _("Đã trích văn bản")
        FAILED = "failed", _("Không nhận dạng được")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="files")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("tệp"), upload_to=document_file_path, max_length=300)
    name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    size = models.PositiveBigIntegerField(_("kích thước (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    uploaded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField(_("nội dung trích xuất"), blank=True)
    text_status = models.CharField(_("trích văn bản"), max_length=10, choices=TextStatus.choices,
                                   default=TextStatus.NONE)
    text_method = models.CharField(_("cách trích"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("tệp văn bản")
        verbose_name_plural = _("tệp văn bản")
        ordering = ["document", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class DocumentTask(models.Model):
    """The part one division plays in handling an incoming document (chủ trì, phối hợp, để biết), and who in
    it does the work."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="tasks")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("vai trò"), max_length=12, choices=TASK_ROLE_CHOICES)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name=_("phòng"))
    assignee = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("chuyên viên"))
    state = models.CharField(_("trạng thái"), max_length=12, choices=TASK_STATE_CHOICES, default=TaskState.NEW)
    due_at = models.DateTimeField(_("hạn"), null=True, blank=True)
    note = models.TextField(_("tiến độ, kết quả"), blank=True)
    created_at = models.DateTimeField(_("giao lúc"))
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phân công xử lý")
        verbose_name_plural = _("phân công xử lý")
        ordering = ["document", "role", "id"]
        indexes = [
            models.Index(fields=["assignee", "state"], name="doctask_assignee"),
            models.Index(fields=["division", "state"], name="doctask_division"),
        ]
        constraints = [models.UniqueConstraint(fields=["document", "division"], name="doctask_division_once")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.division}"


class DocumentEvent(models.Model):
    """One line of a document's history: who did what, when, from which state to which (shown as a timeline;
    the hash-chained audit log holds the same events for the auditor)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="events")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("lúc"))
    actor = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(_("thao tác"), max_length=30)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch sử văn bản")
        verbose_name_plural = _("lịch sử văn bản")
        ordering = ["document", "at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"


class Distribution(models.Model):
    """Where an issued document went: a division of the agency, or an outside agency (by edXML or on paper)."""

    class Channel(models.TextChoices):
        INTERNAL = "internal", _("Nội bộ")
        EDXML = "edxml", _("Liên thông điện tử (edXML)")
        PAPER = "paper", _("Bản giấy")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="distributions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("hình thức"), max_length=10, choices=Channel.choices)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recipient_name = models.CharField(_("nơi nhận"), max_length=255, blank=True)
    recipient_identifier = models.CharField(_("mã định danh nơi nhận"), max_length=35, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"))
    sent_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("nơi nhận")
        verbose_name_plural = _("nơi nhận")
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.recipient_name or str(self.division)


class CaseFile(models.Model):
    """A work file (hồ sơ công việc, NĐ 30/2020 Arts 28–31): the documents and one-stop dossiers of one matter,
    kept by its owner, closed when the work ends and handed to the agency archive within a year."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang mở")
        CLOSED = "closed", _("Đã đóng")
        ARCHIVED = "archived", _("Đã nộp lưu")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    code = models.CharField(_("số, ký hiệu hồ sơ"), max_length=40)
    title = models.CharField(_("tiêu đề hồ sơ"), max_length=500)
    owner = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập hồ sơ"))
    division = models.ForeignKey(Division, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    opened_on = models.DateField(_("ngày mở"))
    closed_on = models.DateField(_("ngày đóng"), null=True, blank=True)
    retention_years = models.PositiveSmallIntegerField(
        _("thời hạn bảo quản (năm)"), null=True, blank=True, help_text=_("Để trống: bảo quản vĩnh viễn."))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN)
    archive_number = models.PositiveIntegerField(_("số nộp lưu"), null=True, blank=True)
    archived_at = models.DateTimeField(_("nộp lưu lúc"), null=True, blank=True)
    documents = models.ManyToManyField(Document, through="CaseFileDocument", related_name="case_files")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("hồ sơ công việc")
        verbose_name_plural = _("hồ sơ công việc")
        ordering = ["-year", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "code"], name="casefile_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class CaseFileDocument(models.Model):
    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case_file", "added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case_file", "document"], name="casefile_document_once")]

    def __str__(self) -> str:
        return f"{self.case_file_id}: {self.document_id}"


def register_print_path(instance: RegisterPrint, filename: str) -> str:
    return f"registers/{instance.register.agency_id}/{instance.register_id}/{instance.pk}-{filename}"


class RegisterPrint(models.Model):
    """A printed register (PDF), made in the background: a year's register of a few thousand rows takes
    WeasyPrint a minute or two, longer than a web request may last."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="prints")
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    finished_at = models.DateTimeField(_("in xong lúc"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    file = models.FileField(_("tệp"), upload_to=register_print_path, max_length=300, blank=True)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("bản in sổ")
        verbose_name_plural = _("bản in sổ")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.register} ({self.requested_at:%d/%m/%Y %H:%M})"
