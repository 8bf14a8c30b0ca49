"""What a facility keeps per year for its documents: the annual report's own data (date, the
decree forming the report team and its members, the narrative sections written by people), and
the document jobs run in the background with the files they produced."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from kinerja.organizations.models import Person, Unit


class AnnualReport(models.Model):
    """The LKjIP of one facility and year: what is not in the plans, results and budget."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveSmallIntegerField("tahun")
    place = models.CharField("tempat", max_length=100, blank=True)
    report_date = models.DateField("tanggal laporan", null=True, blank=True)
    decree_number = models.CharField("nomor SK tim", max_length=120, blank=True)
    decree_date = models.DateField("tanggal SK tim", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "LKjIP"
        verbose_name_plural = "LKjIP"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="annual_report_unit_year"),
        ]

    def __str__(self) -> str:
        return f"LKjIP {self.unit} {self.year}"


class ReportSection(models.Model):
    """A narrative part of the LKjIP written by people (background, strategic issues, causes per
    IKK, conclusions…). It starts from the automatic draft; what the user saves is kept here."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField("bagian", max_length=40)
    text = models.TextField("isi")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bagian naratif"
        verbose_name_plural = "bagian naratif"
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="report_section_once"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.key}"


class TeamMember(models.Model):
    """A member of the team that prepares the year's LKjIP (the decree's appendix)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    position = models.CharField("jabatan kedinasan", max_length=200)
    role = models.CharField("jabatan dalam tim", max_length=100)
    order = models.PositiveSmallIntegerField("urutan", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "anggota tim"
        verbose_name_plural = "tim penyusun"
        ordering = ["report", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "person"], name="team_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} ({self.role})"


class DocumentKind(models.TextChoices):
    LKJIP = "lkjip", "LKjIP"
    PK = "pk", "Perjanjian Kinerja"
    CAPAIAN = "capaian", "Laporan Capaian PK"


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
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="document_jobs")
    kind = models.CharField("dokumen", max_length=10, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField("tahun")
    quarter = models.PositiveSmallIntegerField("triwulan", null=True, blank=True)
    format = models.CharField("format", max_length=4, choices=DocumentFormat.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("kemajuan (%)", default=0)
    step = models.CharField("langkah", max_length=200, blank=True)
    error = models.TextField("kesalahan", blank=True)
    draft = models.BooleanField("draf (bertanda DRAF)", default=False)
    note = models.TextField("catatan", blank=True)
    file = models.FileField(upload_to="documents/%Y/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "pembuatan dokumen"
        verbose_name_plural = "pembuatan dokumen"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        tw = f" TW {self.quarter}" if self.quarter else ""
        return f"{self.get_kind_display()} {self.year}{tw} ({self.format})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class PrintedSignature(models.Model):
    """A signature block as a printed document gives it (place, date, name and NIP exactly as
    written, not validated): the review compares it with the people, heads and dates Kinerja
    keeps. Entered from an earlier report, as `PrintedResult` keeps its figures."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="printed_signatures")
    year = models.PositiveSmallIntegerField("tahun dokumen")
    document = models.CharField("dokumen", max_length=10, choices=DocumentKind.choices)
    location = models.CharField("bagian", max_length=200)
    place = models.CharField("tempat", max_length=100, blank=True)
    signed_on = models.DateField("tanggal tertulis", null=True, blank=True)
    name = models.CharField("nama tertulis", max_length=200)
    nip = models.CharField("NIP tertulis", max_length=40, blank=True)
    title = models.CharField("jabatan tertulis", max_length=200, blank=True)
    source = models.CharField("sumber", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "tanda tangan tercetak"
        verbose_name_plural = "tanda tangan tercetak"
        ordering = ["unit", "year", "document", "id"]

    def __str__(self) -> str:
        return f"{self.get_document_display()} {self.year}, {self.location}: {self.name}"
