"""Shared kernel tables: the audit log and the working-day calendars.

Neither refers to an organisation model: the audit log keeps plain ids and labels so that it survives
any later change to the rows it describes, and agencies point at a calendar (``org`` depends on ``core``,
never the other way round).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core import workdays

GENESIS_HASH = "0" * 64


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise PermissionError("Nhật ký kiểm toán chỉ được ghi thêm, không được sửa.")

    def delete(self):  # type: ignore[override]
        raise PermissionError("Nhật ký kiểm toán chỉ được ghi thêm, không được xóa.")


class AuditChainHead(models.Model):
    """The end of one hash chain (one per agency; ``chain`` 0 holds deployment-wide events).

    Writers lock this row before appending, so that concurrent writers queue and never fork the chain.
    """

    chain = models.BigIntegerField(unique=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("đầu chuỗi nhật ký")
        verbose_name_plural = _("đầu chuỗi nhật ký")

    def __str__(self) -> str:
        return f"chain {self.chain} @ {self.last_seq}"


class AuditEvent(models.Model):
    """One write, as it happened: who, where from, what changed. Append-only and hash-chained."""

    chain = models.BigIntegerField(_("chuỗi"))
    seq = models.BigIntegerField(_("số thứ tự"))
    at = models.DateTimeField(_("thời điểm"))
    actor_id = models.BigIntegerField(_("mã người thực hiện"), null=True, blank=True)
    actor_username = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    agency_id = models.BigIntegerField(_("mã cơ quan"), null=True, blank=True)
    action = models.CharField(_("hành động"), max_length=100)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=100, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    prev_hash = models.CharField(_("mã băm trước"), max_length=64)
    hash = models.CharField(_("mã băm"), max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")]
        indexes = [
            models.Index(fields=["agency_id", "-at"], name="audit_agency_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]
        permissions = [("verify_audit", "Kiểm tra tính toàn vẹn của nhật ký kiểm toán")]

    def __str__(self) -> str:
        return f"#{self.chain}.{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):  # type: ignore[override]
        if not self._state.adding:
            raise PermissionError("Nhật ký kiểm toán chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise PermissionError("Nhật ký kiểm toán chỉ được ghi thêm, không được xóa.")


def new_revision() -> str:
    return uuid.uuid4().hex


class WorkCalendar(models.Model):
    """A working-day calendar: the national rules plus this calendar's overrides and office hours.

    Agencies point at one; agencies of a province usually share the province's calendar.
    """

    name = models.CharField(_("tên lịch"), max_length=200, unique=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # Changes with every write to the calendar, its days or its office hours (signals, in the same
    # transaction); each process keeps a loaded calendar until it changes. Random, never a counter, so that a
    # rolled-back write cannot bring back a token a process has seen with other data.
    revision = models.CharField(max_length=32, default=new_revision, editable=False)

    class Meta:
        verbose_name = _("lịch làm việc")
        verbose_name_plural = _("lịch làm việc")
        permissions = [("manage_calendar", "Quản lý lịch làm việc, ngày nghỉ và ngày làm bù")]

    def __str__(self) -> str:
        return self.name


class CalendarOverride(models.Model):
    """A day that differs from the national rules: a day off (extra Tết day, compensation day) or a
    make-up working day (a Saturday worked in exchange), with the document that decided it."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")

    calendar = models.ForeignKey(WorkCalendar, on_delete=models.CASCADE, related_name="overrides",
                                 verbose_name=_("lịch"))
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    source = models.CharField(_("văn bản căn cứ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ / làm bù")
        verbose_name_plural = _("ngày nghỉ / làm bù")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="calendar_override_unique_day")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}: {self.name}"

    def clean(self) -> None:
        if self.date and not (dt.date(1900, 1, 1) <= self.date <= dt.date(2100, 12, 31)):
            raise ValidationError({"date": _("Ngày phải trong khoảng 1900–2100.")})


# Defaults as functions: Django's check for "fixed" time defaults (fields.W161) fires when a fixed default
# happens to be within seconds of the current time, e.g. a 15:00 default checked at 15:00 UTC.
def morning_start() -> dt.time:
    return dt.time(7, 30)


def morning_end() -> dt.time:
    return dt.time(11, 30)


def afternoon_start() -> dt.time:
    return dt.time(13, 30)


def afternoon_end() -> dt.time:
    return dt.time(17, 30)


def receipt_cutoff() -> dt.time:
    return dt.time(15, 0)


class OfficeHoursPolicy(models.Model):
    """Office hours and the late-receipt cut-off of a calendar, from a date on (rules change over time)."""

    calendar = models.ForeignKey(WorkCalendar, on_delete=models.CASCADE, related_name="office_hours",
                                 verbose_name=_("lịch"))
    effective_from = models.DateField(_("áp dụng từ ngày"))
    morning_start = models.TimeField(_("sáng từ"), default=morning_start)
    morning_end = models.TimeField(_("sáng đến"), default=morning_end)
    afternoon_start = models.TimeField(_("chiều từ"), default=afternoon_start)
    afternoon_end = models.TimeField(_("chiều đến"), default=afternoon_end)
    receipt_cutoff = models.TimeField(
        _("giờ chốt chuyển hồ sơ giấy"), default=receipt_cutoff,
        help_text=_("Hồ sơ giấy nhận sau giờ này được chuyển vào đầu ngày làm việc kế tiếp "
                    "(NĐ 61/2018 Điều 18; việc NĐ 118/2025 giữ nguyên quy định này chưa được kiểm chứng)."),
    )

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        ordering = ["effective_from"]
        constraints = [models.UniqueConstraint(fields=["calendar", "effective_from"],
                                               name="office_hours_unique_start")]

    def __str__(self) -> str:
        return (f"{self.effective_from.isoformat()}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
                f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}")

    def as_office_hours(self) -> workdays.OfficeHours:
        return workdays.OfficeHours((
            workdays.Session(self.morning_start, self.morning_end),
            workdays.Session(self.afternoon_start, self.afternoon_end),
        ))

    def clean(self) -> None:
        try:
            self.as_office_hours()
        except ValueError as exc:
            raise ValidationError(
                _("Giờ làm việc không hợp lệ: hai buổi phải theo thứ tự, không chồng nhau và cộng lại đúng "
                  "8 giờ (%(reason)s).") % {"reason": exc}
            ) from exc


class Counter(models.Model):
    """The last number given in one series of one agency for one period (a day, a year).

    Dossier codes and document numbers are taken from here inside the transaction that uses them, with
    the row locked (``SELECT … FOR UPDATE``; SQLite: the write transaction), so that numbers are unique
    and gap-free under concurrency: a rolled-back transaction gives its number back. ``agency_id`` is a
    plain id, as in the audit log, so that ``core`` does not depend on ``org``.
    """

    agency_id = models.BigIntegerField(_("mã cơ quan"))
    series = models.CharField(_("dãy số"), max_length=40)
    period = models.CharField(_("kỳ"), max_length=20)
    value = models.PositiveBigIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("bộ đếm số")
        verbose_name_plural = _("bộ đếm số")
        constraints = [models.UniqueConstraint(fields=["agency_id", "series", "period"], name="counter_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.series}/{self.period} = {self.value}"
