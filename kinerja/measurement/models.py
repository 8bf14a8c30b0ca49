from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from kinerja.core import bounds
from kinerja.core.formatting import BULAN, TRIWULAN
from kinerja.core.history_records import HistoricalRecords
from kinerja.core.locks import LockRefused
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja, PKIndicator

if TYPE_CHECKING:
    from kinerja.measurement.signals import Notice


class RealizationStatus(models.TextChoices):
    DRAFT = "draft", "Draf"
    SUBMITTED = "submitted", "Diajukan"
    APPROVED = "approved", "Disetujui Kepala UPT"
    VERIFIED = "verified", "Diverifikasi Kanwil"
    RETURNED = "returned", "Dikembalikan"
    LOCKED = "locked", "Dikunci"


EDITABLE = (RealizationStatus.DRAFT, RealizationStatus.RETURNED)


class QuarterLocked(LockRefused):
    """The quarter's results are submitted, approved, verified or locked: no change by any path."""

    def __init__(self, report: QuarterReport):
        super().__init__(
            f"Realisasi {TRIWULAN.get(report.quarter, report.quarter)} {report.agreement.year} berstatus {report.get_status_display()} "
            "dan tidak dapat diubah."
        )


class RecordProtected(LockRefused):
    """A record of the workflow or of a closed quarter that no path may change or delete."""


class QuarterReport(models.Model):
    """The results of one facility for one quarter (laporan triwulan) as a unit of work:
    draft → submitted by the operator → approved by the head → verified by the region → locked,
    or returned at any step with a reason. Every transition is kept in `transitions`.

    It never moves to another PK or quarter, its status changes only with a recorded transition,
    and once it has a transition or is not a draft it cannot be deleted (a database trigger
    holds the same rules for `update()`, `loaddata` and raw SQL)."""

    # Set by services.quarter_transition (filled after commit by the receivers of a submission);
    # not a field.
    notices: list[Notice]

    # PROTECT: deleting a PK must never silently take its quarters' results and log with it.
    agreement = models.ForeignKey(
        PerjanjianKinerja,
        verbose_name="Perjanjian Kinerja",
        on_delete=models.PROTECT,
        related_name="quarter_reports",
    )
    quarter = models.PositiveSmallIntegerField("triwulan")
    status = models.CharField(
        "status", max_length=10, choices=RealizationStatus.choices, default=RealizationStatus.DRAFT
    )
    return_reason = models.TextField("alasan dikembalikan", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "laporan triwulan"
        verbose_name_plural = "laporan triwulan"
        ordering = ["agreement", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "quarter"], name="quarter_report_once"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_report_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.unit} {self.agreement.year} {TRIWULAN.get(self.quarter, self.quarter)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values("agreement_id", "quarter", "status")
                .first()
            )
            if stored:
                if (stored["agreement_id"], stored["quarter"]) != (self.agreement_id, self.quarter):
                    raise RecordProtected(
                        f"Laporan {self} tidak dapat dipindahkan ke PK atau triwulan lain."
                    )
                if stored["status"] == self.status and stored["status"] not in EDITABLE:
                    raise RecordProtected(
                        f"Laporan {self} sudah diajukan atau ditutup; tidak ada yang dapat diubah "
                        "di luar alur kerja."
                    )
                if stored["status"] != self.status and stored["status"] not in EDITABLE:
                    last = self.transitions.order_by("-id").first()
                    if last is None or (last.from_status, last.to_status) != (
                        stored["status"],
                        self.status,
                    ):
                        raise RecordProtected(
                            f"Status laporan {self} hanya berubah melalui alur kerja "
                            "(ajukan, setujui, verifikasi, kunci, kembalikan, buka kembali)."
                        )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        refuse_report_delete(self)
        return super().delete(*args, **kwargs)

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


def refuse_report_delete(report: QuarterReport) -> None:
    """A quarter report with a workflow log, or one that is not a draft, is kept for the record."""
    stored = QuarterReport.objects.filter(pk=report.pk).values_list("status", flat=True).first()
    if (stored and stored not in EDITABLE) or report.transitions.exists():
        raise RecordProtected(
            f"Laporan {report} memiliki riwayat alur kerja atau sudah diajukan; "
            "laporan dan riwayatnya tidak dapat dihapus."
        )


class TransitionQuerySet(models.QuerySet):
    """The workflow log only grows: bulk changes and deletions are refused as well."""

    def update(self, **kwargs):
        raise RecordProtected("Riwayat alur kerja tidak dapat diubah.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RecordProtected("Riwayat alur kerja tidak dapat dihapus.")


class Transition(models.Model):
    """One step of the workflow: who moved a quarter report from which status to which, when, and
    why. Append-only: the model, its queryset, the admin and a database trigger refuse any change
    or deletion."""

    # No HistoricalRecords: this is itself the workflow log, one row per step, written once and
    # never edited; history of a log would only copy it (the quarter's status has its own history).
    report = models.ForeignKey(
        QuarterReport,
        verbose_name="laporan triwulan",
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    from_status = models.CharField("dari status", max_length=10, choices=RealizationStatus.choices)
    to_status = models.CharField("menjadi status", max_length=10, choices=RealizationStatus.choices)
    # PROTECT: a person who acted in the workflow is deactivated, never deleted, so the log keeps
    # who did what (SET_NULL would have to rewrite the log).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oleh",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A default rather than auto_now_add, so that a PK revision can copy the log with its times.
    at = models.DateTimeField("pada", default=timezone.now)
    reason = models.TextField("alasan", blank=True)

    objects = TransitionQuerySet.as_manager()

    class Meta:
        verbose_name = "perubahan status"
        verbose_name_plural = "perubahan status"
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status} → {self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RecordProtected("Riwayat alur kerja tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RecordProtected("Riwayat alur kerja tidak dapat dihapus.")


class EntryWindow(models.Model):
    """When facilities of a region may enter results for a quarter (masa pengisian), set by the Kanwil."""

    region = models.ForeignKey(
        Unit, verbose_name="wilayah", on_delete=models.CASCADE, related_name="entry_windows"
    )
    year = models.PositiveSmallIntegerField("tahun")
    quarter = models.PositiveSmallIntegerField("triwulan")
    opens = models.DateField("dibuka")
    closes = models.DateField("ditutup")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "masa pengisian"
        verbose_name_plural = "masa pengisian"
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "quarter"], name="entry_window_once")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {TRIWULAN.get(self.quarter, self.quarter)}: {self.opens} s.d. {self.closes}"


class MonitoringNote(models.Model):
    """A regional office's monitoring note (catatan monitoring) on one indicator and quarter."""

    pk_indicator = models.ForeignKey(
        PKIndicator,
        verbose_name="indikator PK",
        on_delete=models.PROTECT,
        related_name="monitoring_notes",
    )
    quarter = models.PositiveSmallIntegerField("triwulan")
    text = models.TextField("catatan")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oleh",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("pada", default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "catatan monitoring"
        verbose_name_plural = "catatan monitoring"
        ordering = ["pk_indicator", "quarter", "at"]

    def __str__(self) -> str:
        return (
            f"Catatan {self.pk_indicator.indicator.code} {TRIWULAN.get(self.quarter, self.quarter)}"
        )


def _report_for(pk_indicator_id: int, quarter: int) -> QuarterReport | None:
    return (
        QuarterReport.objects.filter(agreement__indicators__id=pk_indicator_id, quarter=quarter)
        .select_related("agreement")
        .first()
    )


# (PK indicator id, quarter) pairs a service has checked as open while holding the PK's row lock
# (see services._status_locked): the rows it then writes need not ask again, one query per row.
_CHECKED: ContextVar[frozenset[tuple[int, int]]] = ContextVar(
    "kinerja_quarters_checked", default=frozenset()
)


@contextmanager
def quarter_checked(pk_indicator_id: int, quarter: int):
    """For a service only, inside the transaction in which it locked the PK row and found this
    indicator's quarter open (the workflow takes the same lock before it changes a status, so the
    answer cannot change until the transaction ends): its own writes of the quarter's rows skip
    the per-row check. The database triggers still refuse a closed quarter."""
    token = _CHECKED.set(_CHECKED.get() | {(pk_indicator_id, quarter)})
    try:
        yield
    finally:
        _CHECKED.reset(token)


class ClosedQuarterGuard(models.Model):
    """Refuses every write once the quarter is submitted or closed, whatever the path (form, admin, shell)."""

    realization_id: int  # the subclass's `realization` foreign key

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._checked_by_service():
            super().save(*args, **kwargs)
            return
        # Both where the row is and where it would go: re-pointing a row out of (or into) a closed
        # quarter is a change of that quarter.
        if self.pk:
            stored = type(self)._default_manager.filter(pk=self.pk).first()  # no other manager
            if stored is not None:
                _refuse_unless_editable(*stored._quarter_key())
        _refuse_unless_editable(*self._quarter_key())
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if not self._checked_by_service():
            _refuse_unless_editable(*self._quarter_key())
        return super().delete(*args, **kwargs)

    def _checked_by_service(self) -> bool:
        checked = _CHECKED.get()
        if not checked:
            return False
        key = self._known_quarter_key()
        return key is not None and key in checked

    def _known_quarter_key(self) -> tuple[int, int] | None:
        """The key without a query when the realisation is in memory (None otherwise)."""
        realization = self._state.fields_cache.get("realization")
        if realization is None or realization.pk != self.realization_id:
            return None
        return realization.pk_indicator_id, realization.quarter

    def _quarter_key(self) -> tuple[int, int]:
        """(PK indicator id, quarter) of the realisation this row belongs to."""
        realization = Realization.objects.get(pk=self.realization_id)
        return realization.pk_indicator_id, realization.quarter


# A month row belongs to its quarter: January-March to TW I, and so on.
MONTH_QUARTER = models.Q(month__isnull=True)
for _q in (1, 2, 3, 4):
    MONTH_QUARTER |= models.Q(quarter=_q, month__gte=3 * _q - 2, month__lte=3 * _q)


class Realization(ClosedQuarterGuard):
    """Realisasi of one PK indicator at the end of one quarter (TW I-IV), or of one month for a
    facility that records monthly (`Unit.results_by_month`).

    The variable values are year-to-date counts (e.g. 73 inmates approved out of 78 proposed since
    1 January), so the figure of TW IV is the figure of the year, and for a monthly facility the
    figure of a quarter is the figure of its last month (March, June, September, December).
    """

    # PROTECT: removing an indicator from a PK never silently erases its recorded results.
    pk_indicator = models.ForeignKey(
        PKIndicator,
        verbose_name="indikator PK",
        on_delete=models.PROTECT,
        related_name="realizations",
    )
    quarter = models.PositiveSmallIntegerField("triwulan")
    month = models.PositiveSmallIntegerField("bulan", null=True, blank=True)
    narrative = models.TextField("uraian", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="diubah oleh",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("diubah pada", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "realisasi"
        verbose_name_plural = "realisasi"
        ordering = ["pk_indicator", "quarter", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["pk_indicator", "quarter"],
                condition=models.Q(month__isnull=True),
                name="realization_once_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["pk_indicator", "month"],
                condition=models.Q(month__isnull=False),
                name="realization_once_per_month",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="realization_quarter_1_4"
            ),
            models.CheckConstraint(condition=MONTH_QUARTER, name="realization_month_in_quarter"),
        ]

    def __str__(self) -> str:
        if self.month:
            return f"{self.pk_indicator.indicator.code} {BULAN[self.month - 1]}"
        return f"{self.pk_indicator.indicator.code} {TRIWULAN.get(self.quarter, self.quarter)}"

    @property
    def period_end(self) -> int:
        """The month the year-to-date counts run to: the month itself, or the quarter's last month."""
        return self.month or 3 * self.quarter

    @property
    def counts_for_quarter(self) -> bool:
        """Whether these counts are the quarter's figure (a quarter row, or the quarter's last month)."""
        return self.period_end == 3 * self.quarter

    def _quarter_key(self) -> tuple[int, int]:
        return self.pk_indicator_id, self.quarter

    def _known_quarter_key(self) -> tuple[int, int] | None:
        # A stored realisation never moves (its indicator and quarter are what it is the result of);
        # the service only marks rows it loaded itself for this key.
        return self._quarter_key()


class SupersededResults(QuarterLocked):
    """Results kept on a PK that a signed revision replaced: the record stays as it was."""

    def __init__(self, agreement: PerjanjianKinerja):
        Exception.__init__(
            self,
            f"{agreement} sudah digantikan revisi; realisasinya tersimpan sebagai arsip dan "
            "tidak dapat diubah. Realisasi dicatat pada revisi yang berlaku.",
        )


def _refuse_unless_editable(pk_indicator_id: int, quarter: int) -> None:
    # Checked on every write, so that no path (form, admin, shell) changes a closed quarter.
    report = _report_for(pk_indicator_id, quarter)
    if report is not None and not report.editable:
        raise QuarterLocked(report)
    agreement = PerjanjianKinerja.objects.filter(indicators__id=pk_indicator_id).first()
    if agreement is not None and agreement.status == "superseded":
        raise SupersededResults(agreement)


def quarter_closed(pk_indicator_id: int, quarter: int) -> bool:
    """Whether rows of this indicator and quarter refuse writes (closed quarter or superseded PK)."""
    try:
        _refuse_unless_editable(pk_indicator_id, quarter)
    except QuarterLocked:
        return True
    return False


class VariableValue(ClosedQuarterGuard):
    """The value of one input variable of the indicator's formula (A = 73) in a realisation."""

    realization = models.ForeignKey(
        Realization, verbose_name="realisasi", on_delete=models.CASCADE, related_name="values"
    )
    symbol = models.CharField("variabel", max_length=16)
    value = models.DecimalField(
        "nilai", max_digits=16, decimal_places=4, validators=bounds.VARIABLE_ANY.validators()
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "nilai variabel"
        verbose_name_plural = "nilai variabel"
        ordering = ["realization", "symbol"]
        constraints = [
            models.UniqueConstraint(fields=["realization", "symbol"], name="variable_value_once"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="variable_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} = {self.value.normalize()}"

    def clean(self) -> None:
        """The variable's own bound (a count is whole), for the admin; services check the same."""
        if self.value is None or not self.realization_id:
            return
        indicator = self.realization.pk_indicator.indicator
        variable = indicator.variables.filter(symbol=self.symbol).first()
        if variable is not None:
            problem = bounds.variable_bound(variable, indicator).problem(self.value, self.symbol)
            if problem:
                raise ValidationError({"value": problem})


class Evidence(ClosedQuarterGuard):
    """A supporting document (data dukung) of a realisation: PDF, JPG or PNG, checked by content."""

    realization = models.ForeignKey(
        Realization, verbose_name="realisasi", on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField("berkas", upload_to="evidence/%Y/%m/")
    original_name = models.CharField("nama berkas", max_length=255)
    content_type = models.CharField("jenis isi", max_length=50)
    size = models.PositiveIntegerField("ukuran (bita)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="diunggah oleh",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A default rather than auto_now_add, so that a PK revision can copy the row with its time.
    uploaded_at = models.DateTimeField("diunggah pada", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "data dukung"
        verbose_name_plural = "data dukung"
        ordering = ["realization", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class PrintedResult(models.Model):
    """A year's result of one indicator as a printed report gives it (target, realisation,
    achievement) without the counts behind it: for years before Kinerja, shown in the documents
    and marked so, and for the review to compare with what the counts give."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="printed_results"
    )
    year = models.PositiveSmallIntegerField("tahun")
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name="indikator",
        on_delete=models.PROTECT,
        related_name="printed_results",
    )
    target = models.DecimalField(
        "target",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=bounds.TARGET_ANY.validators(),
    )
    realisation = models.DecimalField(
        "realisasi",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=bounds.VARIABLE_ANY.validators(),
    )
    achievement = models.DecimalField(
        "capaian (%)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounds.ACHIEVEMENT.validators(),
    )
    printed_text = models.CharField(
        "tertulis", max_length=50, blank=True, help_text="Bila laporan menulis teks, mis. 'Nihil'."
    )
    source = models.CharField("sumber", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "capaian tercetak"
        verbose_name_plural = "capaian tercetak"
        ordering = ["unit", "year", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "indicator"], name="printed_result_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit} {self.year} (tercetak)"
