"""The directorate's choice whether a facility sees its peers' names on its results page.

Kept as a history (one row per switch, never edited): the newest row is the setting in force, and
the list shows who switched it and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PeerNames(models.Model):
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
