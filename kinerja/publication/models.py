"""What a facility published (publikasi): a signed PK, a final LKjIP or a quarter's achievement of
a year, as the PDF that was generated and the figures it states. A publication is frozen: a later
correction is a new version, and the one it replaces stays listed, marked as replaced. The models
and database triggers (migration 0002) refuse any other change and any deletion."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from kinerja.core.history_records import HistoricalRecords
from kinerja.core.locks import LockRefused
from kinerja.organizations.models import Unit


class PublicationFrozen(LockRefused):
    """A change to a published version (only its replacement is recorded)."""


class PublicationKind(models.TextChoices):
    PK = "pk", "Perjanjian Kinerja"
    LKJIP = "lkjip", "LKjIP"
    CAPAIAN = "capaian", "Capaian kinerja triwulan"


class PublicationQuerySet(models.QuerySet):
    def current(self) -> PublicationQuerySet:
        """The versions in force (not replaced by a correction)."""
        return self.filter(replaced_at__isnull=True)


# What may change on a published row: its replacement, recorded once.
REPLACEMENT_FIELDS = ("replaced_at", "replaced_by")


class Publication(models.Model):
    """Publikasi: one published version of a facility's document for a year (and quarter)."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.PROTECT, related_name="publications"
    )
    year = models.PositiveSmallIntegerField("tahun")
    kind = models.CharField("dokumen", max_length=10, choices=PublicationKind.choices)
    quarter = models.PositiveSmallIntegerField("triwulan", null=True, blank=True)
    version = models.PositiveSmallIntegerField("versi", default=1)
    file = models.FileField("berkas", upload_to="publik/%Y/")
    filename = models.CharField("nama berkas", max_length=200)
    size = models.PositiveIntegerField("ukuran (bita)")
    sha256 = models.CharField("SHA-256", max_length=64)
    # Per IKK as published: code, name, target and its unit, realisation, achievement (raw and
    # capped), the N/A reason, the counts (values) and the computation; see services.figures().
    figures = models.JSONField("angka yang dipublikasikan", default=list)
    note = models.TextField("catatan (alasan koreksi)", blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="dipublikasikan oleh",
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("dipublikasikan pada", default=timezone.now)
    replaced_at = models.DateTimeField("diganti pada", null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name="diganti oleh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "publikasi"
        verbose_name_plural = "publikasi"
        ordering = ["unit", "-year", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "kind", "quarter", "version"], name="publication_version"
            )
        ]
        indexes = [models.Index(fields=["year", "kind"], name="publication_year_kind")]

    def __str__(self) -> str:
        return f"{self.label} {self.unit} (versi {self.version})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            stored: dict[str, Any] | None = Publication.objects.filter(pk=self.pk).values().first()  # type: ignore[assignment]
            if stored:
                changed = [
                    f.attname
                    for f in self._meta.concrete_fields
                    if f.attname not in ("replaced_at", "replaced_by_id")
                    and stored[f.attname] != getattr(self, f.attname)
                ]
                if changed or stored["replaced_at"] is not None:
                    raise PublicationFrozen(
                        "Publikasi tidak dapat diubah; koreksi dipublikasikan sebagai versi baru."
                    )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PublicationFrozen(
            "Publikasi tidak dihapus; koreksi dipublikasikan sebagai versi baru."
        )

    @property
    def label(self) -> str:
        if self.kind == PublicationKind.CAPAIAN and self.quarter:
            return f"Capaian kinerja TW {'I II III IV'.split()[self.quarter - 1]} {self.year}"
        return f"{self.get_kind_display()} {self.year}"
