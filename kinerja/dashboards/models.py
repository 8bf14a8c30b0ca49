"""What the dashboards keep: the region's review runs started from its page (a job row per run), and
the directorate's choice whether a facility sees its peers' names on its results page."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kinerja.core.formatting import TRIWULAN
from kinerja.organizations.models import Unit


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Menunggu"
    RUNNING = "running", "Sedang berjalan"
    DONE = "done", "Selesai"
    FAILED = "failed", "Gagal"


PENDING = (RunStatus.QUEUED, RunStatus.RUNNING)


class RegionReviewJob(models.Model):
    """A review of every facility of a region for a year (reviu seluruh UPT), run in the background:
    what was asked, by whom, how far it got, and which facilities failed. At most one pending job
    per region and year (a partial unique constraint), so a second click joins the first."""

    # No HistoricalRecords: a log of one background run (its progress is written per facility);
    # nobody edits it, and the reviews it runs keep their own results (ReviewRun).
    region = models.ForeignKey(
        Unit, verbose_name="wilayah", on_delete=models.CASCADE, related_name="review_jobs"
    )
    year = models.PositiveSmallIntegerField("tahun")
    status = models.CharField(
        "status", max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    # The facilities to review, fixed when the job is asked for (those the user may see, with a PK).
    facility_ids = models.JSONField("UPT", default=list)
    done = models.PositiveIntegerField("selesai", default=0)
    failed = models.JSONField("gagal", default=list)  # names of the facilities whose review failed
    error = models.TextField("kesalahan", blank=True)
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
    started_at = models.DateTimeField("mulai pada", null=True, blank=True)
    finished_at = models.DateTimeField("selesai pada", null=True, blank=True)

    class Meta:
        verbose_name = "reviu seluruh UPT"
        verbose_name_plural = "reviu seluruh UPT"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=models.Q(status__in=["queued", "running"]),
                name="region_review_job_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"Reviu {self.region} {self.year} ({self.get_status_display()})"

    @property
    def total(self) -> int:
        return len(self.facility_ids)

    @property
    def pending(self) -> bool:
        return self.status in PENDING


class PeerNames(models.Model):
    """Whether facilities see their peers' names: kept as a history (one row per switch, never
    edited); the newest row is the setting in force, and the dashboard lists who switched it."""

    shown = models.BooleanField("nama UPT lain ditampilkan")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oleh",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("waktu", auto_now_add=True)

    class Meta:
        verbose_name = "penampilan nama UPT sejawat"
        verbose_name_plural = "penampilan nama UPT sejawat"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return "ditampilkan" if self.shown else "disembunyikan"


def peer_names_shown() -> bool:
    """Whether facilities see the named list of their region (off until the directorate allows)."""
    latest = PeerNames.objects.order_by("-at", "-id").values_list("shown", flat=True).first()
    return bool(latest)


class FigureStamp(models.Model):
    """How many times the results of one PK IKK row have changed: raised by database triggers
    (migration 0004) on every insert, update or delete of its realisations and variable values,
    whatever the path (services, bulk writes, the admin, raw SQL, a restore). A stored figure is
    read only while its `version` equals this one."""

    # A plain id, no foreign key: the triggers write it while Django deletes a PK row's results
    # just before the row itself (the trigger on planning_pkindicator removes it with the row).
    pk_indicator_id = models.BigIntegerField("ID indikator PK", primary_key=True)
    version = models.BigIntegerField("versi", default=0)

    class Meta:
        verbose_name = "cap angka"
        verbose_name_plural = "cap angka"

    def __str__(self) -> str:
        return f"IKK PK {self.pk_indicator_id}: perubahan ke-{self.version}"


class StoredFigure(models.Model):
    """A facility's figure for one PK IKK row, s.d. TW `through` (1-4; 4 is the year so far), as
    `dashboards.rollup` computes it through `calc.year_figure`: kept so that a national roll-up
    reads 20 000 rows instead of computing them. Derived data, never edited and not in backups.

    Used only while it is current: `version` equals the row's `FigureStamp` (no result changed
    since) and `inputs` equals the digest of everything else the figure depends on (the formula,
    direction and lower-is-better rule of the indicator, the row's target, the PK's achievement
    cap, the rounding rule). Otherwise the roll-up computes that row from the results, so a value
    saved anywhere shows in the next page load whether or not its figure was stored again."""

    pk_indicator_id = models.BigIntegerField("ID indikator PK")
    through = models.PositiveSmallIntegerField("sampai triwulan")
    version = models.BigIntegerField("versi")
    inputs = models.CharField("sidik masukan", max_length=32)
    # The latest complete period s.d. TW `through` (none: nothing recorded), its values
    # (period_values: "A=73.0000;B=78.0000"), the reported realisation or its N/A reason, and the achievement:
    # raw, capped, the cap, or its N/A reason. Decimals as text, so that nothing is rounded.
    quarter = models.PositiveSmallIntegerField("triwulan", null=True)
    month = models.PositiveSmallIntegerField("bulan", null=True)
    period_values = models.TextField("nilai per periode", blank=True)
    realisation = models.TextField("realisasi", null=True)  # noqa: DJ001 (None: no number)
    realisation_na = models.TextField("alasan realisasi N/A", blank=True)
    raw = models.TextField("capaian mentah", null=True)  # noqa: DJ001 (None: no number)
    capped = models.TextField("capaian dibatasi", null=True)  # noqa: DJ001 (None: no number)
    cap = models.TextField("batas capaian", null=True)  # noqa: DJ001 (None: no number)
    achievement_na = models.TextField("alasan capaian N/A", blank=True)

    class Meta:
        verbose_name = "angka tersimpan"
        verbose_name_plural = "angka tersimpan"
        constraints = [
            models.UniqueConstraint(
                fields=["pk_indicator_id", "through"], name="stored_figure_once"
            )
        ]

    def __str__(self) -> str:
        return f"IKK PK {self.pk_indicator_id} s.d. {TRIWULAN.get(self.through, self.through)}"
