"""The facts of a year's report that are neither plans, results nor budget: the LKjIP's own data
(place and date, the decree forming the report team and its members) and signature blocks as
printed documents give them. Kept below the review and the documents (the review compares them
with the people and dates Kinerja keeps; the documents print them).

The models moved here from `documents` (issue 14); their tables keep the names they had there, so
no row moved (migrations `reporting 0001` and `documents 0005`, state only)."""

from __future__ import annotations

from django.db import models

from kinerja.core.history_records import HistoricalRecords
from kinerja.organizations.models import Person, Unit


class DocumentKind(models.TextChoices):
    LKJIP = "lkjip", "LKjIP"
    PK = "pk", "Perjanjian Kinerja"
    CAPAIAN = "capaian", "Laporan Capaian PK"


class AnnualReport(models.Model):
    """The LKjIP of one facility and year: what is not in the plans, results and budget."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField("tahun")
    place = models.CharField("tempat", max_length=100, blank=True)
    report_date = models.DateField("tanggal laporan", null=True, blank=True)
    decree_number = models.CharField("nomor SK tim", max_length=120, blank=True)
    decree_date = models.DateField("tanggal SK tim", null=True, blank=True)
    # The cover letter to the regional head (surat pengantar); dated with the report.
    letter_number = models.CharField("nomor surat pengantar", max_length=120, blank=True)
    letter_nature = models.CharField("sifat surat", max_length=40, blank=True, default="Biasa")
    letter_attachment = models.CharField(
        "lampiran surat", max_length=60, blank=True, default="1 (satu) berkas"
    )
    history = HistoricalRecords(table_name="documents_historicalannualreport")

    class Meta:
        db_table = "documents_annualreport"  # the table it had in `documents`: rows kept
        verbose_name = "LKjIP"
        verbose_name_plural = "LKjIP"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="annual_report_unit_year"),
        ]

    def __str__(self) -> str:
        return f"LKjIP {self.unit} {self.year}"


class TeamMember(models.Model):
    """A member of the team that prepares the year's LKjIP (the decree's appendix)."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="LKjIP", on_delete=models.CASCADE, related_name="team"
    )
    person = models.ForeignKey(
        Person, verbose_name="pegawai", on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField("jabatan kedinasan", max_length=200)
    role = models.CharField("jabatan dalam tim", max_length=100)
    order = models.PositiveSmallIntegerField("urutan", default=0)

    history = HistoricalRecords(table_name="documents_historicalteammember")

    class Meta:
        db_table = "documents_teammember"  # the table it had in `documents`: rows kept
        verbose_name = "anggota tim"
        verbose_name_plural = "tim penyusun"
        ordering = ["report", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "person"], name="team_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} ({self.role})"


class PrintedSignature(models.Model):
    """A signature block as a printed document gives it (place, date, name and NIP exactly as
    written, not validated): the review compares it with the people, heads and dates Kinerja
    keeps. Entered from an earlier report, as `PrintedResult` keeps its figures."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="printed_signatures"
    )
    year = models.PositiveSmallIntegerField("tahun dokumen")
    document = models.CharField("dokumen", max_length=10, choices=DocumentKind.choices)
    location = models.CharField("bagian", max_length=200)
    place = models.CharField("tempat", max_length=100, blank=True)
    signed_on = models.DateField("tanggal tertulis", null=True, blank=True)
    name = models.CharField("nama tertulis", max_length=200)
    nip = models.CharField("NIP tertulis", max_length=40, blank=True)
    title = models.CharField("jabatan tertulis", max_length=200, blank=True)
    source = models.CharField("sumber", max_length=200, blank=True)

    history = HistoricalRecords(table_name="documents_historicalprintedsignature")

    class Meta:
        db_table = "documents_printedsignature"  # the table it had in `documents`: rows kept
        verbose_name = "tanda tangan tercetak"
        verbose_name_plural = "tanda tangan tercetak"
        ordering = ["unit", "year", "document", "id"]

    def __str__(self) -> str:
        return f"{self.get_document_display()} {self.year}, {self.location}: {self.name}"
