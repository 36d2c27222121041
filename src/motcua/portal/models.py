"""The public portal's own records: citizens' accounts, their drafts of online submissions, and their
ratings of the service once a result is returned."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.dossiers.models import Dossier


class Citizen(models.Model):
    """A person (or an organisation's representative) with an account on the public portal. The login is the
    e-mail address; these details prefill every online submission."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="citizen",
                                verbose_name=_("tài khoản"))
    full_name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    # Accounts made by single sign-on carry the provider's subject; e-mail confirmation is then not needed.
    sso_subject = models.CharField(_("định danh SSO"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("đăng ký lúc"))
    email_confirmed_at = models.DateTimeField(_("xác nhận thư điện tử lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tài khoản công dân")
        verbose_name_plural = _("tài khoản công dân")
        constraints = [models.UniqueConstraint(fields=["sso_subject"], condition=~models.Q(sso_subject=""),
                                               name="citizen_sso_subject_unique")]

    def __str__(self) -> str:
        return self.full_name


class SubmissionDraft(models.Model):
    """An online submission not yet sent: what the applicant typed and the files they uploaded, kept until
    they submit or delete it."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("tài khoản"))
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+", verbose_name=_("thủ tục"))
    data = models.JSONField(_("thông tin đã nhập"), default=dict)
    created_at = models.DateTimeField(_("tạo lúc"))
    updated_at = models.DateTimeField(_("sửa lúc"))

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.procedure.name} ({self.updated_at:%d/%m/%Y})"


class DraftFile(models.Model):
    """One uploaded file of a draft, against one required document; checked by content when uploaded."""

    draft = models.ForeignKey(SubmissionDraft, on_delete=models.CASCADE, related_name="files")
    required_document = models.ForeignKey(RequiredDocument, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="drafts/%Y/%m/", max_length=500)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tệp của hồ sơ nháp")
        verbose_name_plural = _("tệp của hồ sơ nháp")
        constraints = [models.UniqueConstraint(fields=["draft", "required_document"], name="draft_file_one_per_doc")]

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    """The applicant's rating of how their dossier was handled (TT 01/2018 Arts 13–15), once per dossier,
    after the result is returned. The indices the system measures are stored with the applicant's answers so
    that the score does not change if the questions are reworded later."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating",
                                   verbose_name=_("hồ sơ"))
    agency_id = models.BigIntegerField(_("mã cơ quan"), db_index=True)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("tài khoản"))
    scores = models.JSONField(_("điểm từng chỉ số"), default=dict)
    total = models.PositiveSmallIntegerField(_("tổng điểm"))
    maximum = models.PositiveSmallIntegerField(_("điểm tối đa"))
    satisfied = models.BooleanField(_("hài lòng"))
    comment = models.TextField(_("góp ý"), blank=True)
    rated_at = models.DateTimeField(_("đánh giá lúc"))

    class Meta:
        verbose_name = _("đánh giá của người nộp")
        verbose_name_plural = _("đánh giá của người nộp")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.total}/{self.maximum}"


class LookupCounter(models.Model):
    """Failed public look-ups of one client address or one dossier code in the current window. Counted by
    one atomic upsert (``portal.limits``), so every server process sees the same count and none is lost."""

    name = models.CharField(max_length=100, primary_key=True)
    window_end = models.FloatField()  # seconds since the epoch
    failures = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("đếm tra cứu sai")
        verbose_name_plural = _("đếm tra cứu sai")

    def __str__(self) -> str:
        return f"{self.name}: {self.failures}"
