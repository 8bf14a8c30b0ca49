"""What the dashboards keep: the region's review runs started from its page (a job row per run), and
the directorate's choice whether a facility sees its peers' names on its results page."""

from __future__ import annotations

from django.conf import settings
from django.db import models

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
    region = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="review_jobs")
    year = models.PositiveSmallIntegerField("tahun")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    # The facilities to review, fixed when the job is asked for (those the user may see, with a PK).
    facility_ids = models.JSONField("UPT", default=list)
    done = models.PositiveIntegerField("selesai", default=0)
    failed = models.JSONField("gagal", default=list)  # names of the facilities whose review failed
    error = models.TextField("kesalahan", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

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
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
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
