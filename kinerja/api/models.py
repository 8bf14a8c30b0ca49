"""Personal API tokens: a user makes and revokes their own (profile page or `kinerja token create`).
The key is shown once; only its SHA-256 digest is kept (a key of 256 random bits needs no slow
hash), with its first characters to tell tokens apart. A revoked or expired token is refused; a
token acts with its user's roles, no more."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from kinerja.core.history_records import HistoricalRecords


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pengguna",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("nama", max_length=100)
    prefix = models.CharField("awalan", max_length=12)
    digest = models.CharField("sidik kunci", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("dibuat", default=timezone.now)
    expires_on = models.DateField("berlaku sampai", null=True, blank=True)
    revoked_at = models.DateTimeField("dicabut", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["digest"])

    class Meta:
        verbose_name = "token API"
        verbose_name_plural = "token API"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, today) -> bool:
        """Neither revoked nor past its last day (`today` in the user's time zone)."""
        return self.revoked_at is None and (self.expires_on is None or today <= self.expires_on)
