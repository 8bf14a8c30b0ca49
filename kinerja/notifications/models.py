"""What Kinerja tells a user (pemberitahuan): a quarter moved in the workflow, an entry window
closes soon, facilities of a region are late. One row per recipient and event; its `key` is unique,
so the same event or reminder is never recorded (nor e-mailed) twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from kinerja.core.history_records import HistoricalRecords
from kinerja.organizations.models import Unit


class Kind(models.TextChoices):
    QUARTER_SUBMITTED = "quarter_submitted", "Realisasi diajukan"
    QUARTER_APPROVED = "quarter_approved", "Realisasi disetujui"
    QUARTER_RETURNED = "quarter_returned", "Realisasi dikembalikan"
    QUARTER_REOPENED = "quarter_reopened", "Realisasi dibuka kembali"
    QUARTER_VERIFIED = "quarter_verified", "Realisasi diverifikasi"
    QUARTER_LOCKED = "quarter_locked", "Realisasi dikunci"
    DEADLINE = "deadline", "Pengingat batas pengisian"
    NOT_SUBMITTED = "not_submitted", "UPT belum mengajukan"
    LATE = "late", "UPT terlambat"
    FOLLOW_UP = "follow_up", "Tindak lanjut rekomendasi evaluasi AKIP"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: models.Model) -> NotificationQuerySet:
        """The user's own notifications about units they may still see (a role taken away takes
        its unit's notifications with it); one query, the access rule as a subquery."""
        return self.filter(user=user).filter(
            models.Q(unit__isnull=True) | models.Q(unit__in=Unit.objects.restrict(user, "view"))
        )

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one user (pemberitahuan), shown in the application and, when the user has
    an e-mail address, sent by e-mail. Marked read by the user (a POST), which the history keeps."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pengguna",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("jenis", max_length=20, choices=Kind.choices)
    text = models.TextField("isi")
    link = models.CharField("tautan", max_length=500, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="unit kerja",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    year = models.PositiveSmallIntegerField("tahun", null=True, blank=True)
    quarter = models.PositiveSmallIntegerField("triwulan", null=True, blank=True)
    created_at = models.DateTimeField("dibuat", default=timezone.now)
    read_at = models.DateTimeField("dibaca", null=True, blank=True)
    emailed_at = models.DateTimeField("dikirim lewat email", null=True, blank=True)
    # The event and recipient this row stands for ("transisi:<id>:<user>",
    # "pengingat:<window>:<days>:<facility>:<user>", ...): recording it twice is refused.
    key = models.CharField("kunci", max_length=200, unique=True)

    history = HistoricalRecords()

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "pemberitahuan"
        verbose_name_plural = "pemberitahuan"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} untuk {self.user}"
