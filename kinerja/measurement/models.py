from django.conf import settings
from django.db import models

from kinerja.planning.models import PKIndicator


class RealizationStatus(models.TextChoices):
    DRAFT = "draft", "Draf"
    SUBMITTED = "submitted", "Diajukan"
    APPROVED = "approved", "Disetujui Kepala UPT"
    VERIFIED = "verified", "Diverifikasi Kanwil"
    RETURNED = "returned", "Dikembalikan"
    LOCKED = "locked", "Dikunci"


EDITABLE = (RealizationStatus.DRAFT, RealizationStatus.RETURNED)


class Realization(models.Model):
    """Realisasi of one PK indicator at the end of one quarter (TW I-IV).

    The variable values are year-to-date counts (e.g. 73 inmates approved out of 78 proposed since
    1 January), so the figure of TW IV is the figure of the year.
    """

    pk_indicator = models.ForeignKey(
        PKIndicator, on_delete=models.CASCADE, related_name="realizations"
    )
    quarter = models.PositiveSmallIntegerField("triwulan")
    narrative = models.TextField("uraian", blank=True)
    status = models.CharField(
        max_length=10, choices=RealizationStatus.choices, default=RealizationStatus.DRAFT
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "realisasi"
        verbose_name_plural = "realisasi"
        ordering = ["pk_indicator", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["pk_indicator", "quarter"], name="realization_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="realization_quarter_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk_indicator.indicator.code} TW {self.quarter}"


class VariableValue(models.Model):
    """The value of one input variable of the indicator's formula (A = 73) in a realisation."""

    realization = models.ForeignKey(Realization, on_delete=models.CASCADE, related_name="values")
    symbol = models.CharField("variabel", max_length=16)
    value = models.DecimalField("nilai", max_digits=16, decimal_places=4)

    class Meta:
        ordering = ["realization", "symbol"]
        constraints = [
            models.UniqueConstraint(fields=["realization", "symbol"], name="variable_value_once"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="variable_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} = {self.value.normalize()}"
