"""What the documents app keeps: the narrative sections people wrote for a year's LKjIP, and the
document jobs run in the background with the files they produced. The annual report's own data
(date, team decree and members) and printed signatures live in `kinerja.reporting`, below the
review, which reads them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kinerja.core.formatting import TRIWULAN
from kinerja.core.history_records import HistoricalRecords
from kinerja.organizations.models import Unit
from kinerja.reporting.models import AnnualReport, DocumentKind


class ReportSection(models.Model):
    """A narrative part of the LKjIP written by people (background, strategic issues, causes per
    IKK, conclusions…). It starts from the automatic draft; what the user saves is kept here."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="LKjIP", on_delete=models.CASCADE, related_name="sections"
    )
    key = models.CharField("bagian", max_length=40)
    text = models.TextField("isi")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="diubah oleh",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("diubah pada", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bagian naratif"
        verbose_name_plural = "bagian naratif"
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="report_section_once"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.key}"


class DocumentFormat(models.TextChoices):
    DOCX = "docx", "Word (.docx)"
    PDF = "pdf", "PDF"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Menunggu"
    RUNNING = "running", "Sedang dibuat"
    DONE = "done", "Selesai"
    FAILED = "failed", "Gagal"


class DocumentJob(models.Model):
    """One document generated in the background: what was asked, by whom, its progress, and the
    file it produced (kept for download) or the reason it failed."""

    # No HistoricalRecords: a log of one background generation (progress is written many times
    # a second by the worker); it records what was produced, nobody edits it.
    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="document_jobs"
    )
    kind = models.CharField("dokumen", max_length=10, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField("tahun")
    quarter = models.PositiveSmallIntegerField("triwulan", null=True, blank=True)
    format = models.CharField("format", max_length=4, choices=DocumentFormat.choices)
    status = models.CharField(
        "status", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("kemajuan (%)", default=0)
    step = models.CharField("langkah", max_length=200, blank=True)
    error = models.TextField("kesalahan", blank=True)
    draft = models.BooleanField("draf (bertanda DRAF)", default=False)
    note = models.TextField("catatan", blank=True)
    file = models.FileField("berkas", upload_to="documents/%Y/", blank=True)
    filename = models.CharField("nama berkas", max_length=200, blank=True)
    task_id = models.CharField("ID tugas", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="diminta oleh",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("diminta pada", auto_now_add=True)
    finished_at = models.DateTimeField("selesai pada", null=True, blank=True)

    class Meta:
        verbose_name = "pembuatan dokumen"
        verbose_name_plural = "pembuatan dokumen"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        tw = f" {TRIWULAN.get(self.quarter, self.quarter)}" if self.quarter else ""
        return f"{self.get_kind_display()} {self.year}{tw} ({self.format})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
