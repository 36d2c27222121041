"""Links that cross apps, kept at the composition root so that ``documents`` need not know ``dossiers``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseFileDossier(models.Model):
    """A one-stop dossier filed in a work file (hồ sơ công việc)."""

    case_file = models.ForeignKey("documents.CaseFile", on_delete=models.CASCADE, related_name="dossier_links")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    added_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("hồ sơ một cửa trong hồ sơ công việc")
        verbose_name_plural = _("hồ sơ một cửa trong hồ sơ công việc")
        ordering = ["case_file", "added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case_file", "dossier"], name="casefile_dossier_once")]

    def __str__(self) -> str:
        return f"{self.case_file_id}: {self.dossier_id}"
