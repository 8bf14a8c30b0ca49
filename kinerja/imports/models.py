from django.conf import settings
from django.db import models

from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja, RestrictedByUnitQuerySet


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Menunggu konfirmasi"
    IMPORTED = "imported", "Diimpor"


class ImportRecord(models.Model):
    """One import of a Rencana Aksi file (impor Rencana Aksi): the file as received, who, when,
    what it created and the warnings that were accepted with it."""

    # No HistoricalRecords: the log of one import (file, who, when, totals), written by the
    # import itself; what the import changed is recorded in the history of the plan's rows.
    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.PROTECT, related_name="imports"
    )
    year = models.PositiveSmallIntegerField("tahun")
    agreement = models.ForeignKey(
        PerjanjianKinerja,
        verbose_name="Perjanjian Kinerja",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    filename = models.CharField("nama berkas", max_length=255)
    file = models.FileField("berkas", upload_to="imports/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="diunggah oleh",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("dibuat pada", auto_now_add=True)
    status = models.CharField(
        "status", max_length=10, choices=ImportStatus.choices, default=ImportStatus.IMPORTED
    )
    summary = models.JSONField("ringkasan", default=dict)
    warnings = models.JSONField("peringatan", default=list)

    objects = RestrictedByUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "impor Rencana Aksi"
        verbose_name_plural = "impor Rencana Aksi"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} → {self.unit} {self.year}"
