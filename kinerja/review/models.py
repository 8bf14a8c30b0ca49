"""What the review keeps: a head's acceptance of a finding with its explanation (history kept,
never deleting the finding) and the latest run per facility and year (counts for the region)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kinerja.core.history_records import HistoricalRecords
from kinerja.organizations.models import Unit


class Acceptance(models.Model):
    """'Diterima dengan penjelasan': the head takes responsibility for a finding. The finding
    stays in every review output, marked accepted; withdrawing keeps the row and its history."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="review_acceptances"
    )
    year = models.PositiveSmallIntegerField("tahun")
    rule = models.CharField("aturan", max_length=12)
    key = models.CharField("letak", max_length=200)
    message = models.TextField("temuan saat diterima")
    explanation = models.TextField("penjelasan")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="oleh"
    )
    at = models.DateTimeField("pada", auto_now=True)
    withdrawn = models.BooleanField("ditarik", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "temuan diterima"
        verbose_name_plural = "temuan diterima"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "rule", "key"], name="acceptance_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.rule} {self.key}"


class ReviewRun(models.Model):
    """The counts of the latest review of a facility-year and what started it."""

    # No HistoricalRecords: a cache of the latest review's counts, rewritten by every run and
    # computed from data that keeps its own history; nobody edits it.
    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="review_runs"
    )
    year = models.PositiveSmallIntegerField("tahun")
    at = models.DateTimeField("pada", auto_now=True)
    trigger = models.CharField("dijalankan oleh", max_length=100, blank=True)
    errors = models.PositiveIntegerField("galat terbuka", default=0)
    warnings = models.PositiveIntegerField("peringatan terbuka", default=0)
    notes = models.PositiveIntegerField("catatan terbuka", default=0)
    accepted = models.PositiveIntegerField("diterima dengan penjelasan", default=0)

    class Meta:
        verbose_name = "hasil reviu"
        verbose_name_plural = "hasil reviu"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="review_run_once")]

    def __str__(self) -> str:
        return f"Reviu {self.unit} {self.year}"

    @property
    def open(self) -> int:
        return self.errors + self.warnings + self.notes
