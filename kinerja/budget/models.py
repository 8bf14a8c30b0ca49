"""The budget of a facility and year as the DIPA codes it, its monthly plan (RPD) and realisation,
and the budget-performance figures the annual report carries (SMART, IKPA, e-Monev, TARJA)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from kinerja import calc
from kinerja.core import bounds
from kinerja.core.history_records import HistoricalRecords
from kinerja.core.locks import LockRefused
from kinerja.indicators.models import Indicator
from kinerja.organizations.models import Unit

RUPIAH: dict[str, Any] = {
    "max_digits": 18,
    "decimal_places": 2,
    "validators": bounds.MONEY.validators(),
}
SCORE: dict[str, Any] = {
    "max_digits": 6,
    "decimal_places": 2,
    "null": True,
    "blank": True,
    "validators": bounds.SCORE.validators(),
}


class SpendingType(models.TextChoices):
    PEGAWAI = "51", "Belanja Pegawai"
    BARANG = "52", "Belanja Barang"
    MODAL = "53", "Belanja Modal"


class LineLevel(models.TextChoices):
    PROGRAM = "program", "Program"
    ACTIVITY = "activity", "Kegiatan"
    KRO = "kro", "KRO"
    RO = "ro", "RO"
    COMPONENT = "component", "Komponen"


class DipaLine(models.Model):
    """One line of the DIPA: programme (BF) → activity (5252) → KRO (BDC) → RO (002) → component.

    Pagu, spending type and monthly figures sit on the leaves; every parent's figure is the sum of
    its leaves, computed, never typed. `funds` says which IKK of the PK this money pays for: one
    line may fund several IKK and is still counted once in every total.
    """

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="dipa_lines"
    )
    year = models.PositiveSmallIntegerField("tahun")
    parent = models.ForeignKey(
        "self",
        verbose_name="induk",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    level = models.CharField("tingkat", max_length=10, choices=LineLevel.choices)
    code = models.CharField("kode", max_length=20, blank=True)
    name = models.CharField("uraian", max_length=300)
    volume = models.DecimalField(
        "volume",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounds.VOLUME.validators(),
    )
    volume_unit = models.CharField("satuan", max_length=30, blank=True)
    spending_type = models.CharField(
        "jenis belanja", max_length=2, choices=SpendingType.choices, blank=True
    )
    pagu = models.DecimalField("pagu", null=True, blank=True, **RUPIAH)
    blocked = models.DecimalField("blokir", default=Decimal(0), **RUPIAH)
    blocked_reason = models.TextField("alasan blokir", blank=True)
    order = models.PositiveIntegerField("urutan", default=0)
    # The catalogue indicator, not the PK row, so that a PK revision keeps the links.
    funds = models.ManyToManyField(
        Indicator, blank=True, related_name="funding_lines", verbose_name="mendanai IKK"
    )

    # With the IKK it funds: a change of the links is a change of the line.
    history = HistoricalRecords(m2m_fields=[funds])

    class Meta:
        verbose_name = "baris DIPA"
        verbose_name_plural = "baris DIPA"
        ordering = ["unit", "year", "order", "id"]
        indexes = [models.Index(fields=["unit", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(blocked__gte=0), name="dipa_blocked_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(pagu__isnull=True) | models.Q(pagu__gte=0),
                name="dipa_pagu_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_code} {self.name}".strip()

    def save(self, *args, **kwargs):
        self.__dict__.pop("_full_code", None)  # its code or parent may be what changes
        super().save(*args, **kwargs)

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("_full_code", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def full_code(self) -> str:
        """'5252.BDC.002': the codes from the activity down; a programme keeps its own code.

        Set for a whole DIPA at once by `attach_full_codes` (one query, or none when the lines
        are already loaded); a single line on its own reads its DIPA's codes in one query."""
        cached = self.__dict__.get("_full_code")
        if cached is None:
            attach_full_codes([self])
            cached = self.__dict__["_full_code"]
        return cached

    @property
    def available(self) -> Decimal:
        """Pagu that may be spent: pagu minus blokir."""
        return calc.available(self.pagu, self.blocked)


def full_codes(rows) -> dict[int, str]:
    """Line id -> full code, from (id, parent_id, level, code) of every line of one DIPA: the
    parents are walked in memory, never one query per step."""
    by_id = {row[0]: row for row in rows}
    out: dict[int, str] = {}
    for line_id, _parent_id, level, code in by_id.values():
        codes = []
        row = by_id.get(line_id)
        seen = set()
        while row is not None and row[0] not in seen:
            seen.add(row[0])
            if row[3] and row[2] != LineLevel.PROGRAM:
                codes.append(row[3])
            row = by_id.get(row[1])
        if not codes and level == LineLevel.PROGRAM:
            out[line_id] = code
        else:
            out[line_id] = ".".join(reversed(codes))
    return out


def attach_full_codes(lines, *, complete: bool = False) -> list:
    """Give every line its `full_code` in one query per DIPA (unit and year), or in none when
    `complete` says the lines are the whole DIPA already."""
    lines = list(lines)
    if complete:
        rows = [(x.id, x.parent_id, x.level, x.code) for x in lines]
        codes = full_codes(rows)
        for line in lines:
            line.__dict__["_full_code"] = codes.get(line.id, "")
        return lines
    for unit_id, year in {(x.unit_id, x.year) for x in lines}:
        rows = DipaLine.objects.filter(unit_id=unit_id, year=year).values_list(
            "id", "parent_id", "level", "code"
        )
        codes = full_codes(rows)
        for line in lines:
            if (line.unit_id, line.year) == (unit_id, year):
                # A line not saved yet (or not of this DIPA) is walked through its own parents.
                line.__dict__["_full_code"] = (
                    codes[line.id] if line.id in codes else _walked_code(line)
                )
    return lines


def _walked_code(line: DipaLine) -> str:
    rows = []
    node = line
    while node is not None:
        rows.append((node.id or 0, node.parent_id, node.level, node.code))
        node = node.parent
    return full_codes(rows).get(line.id or 0, "")


class PaguRevision(models.Model):
    """A change of a line's pagu during the year (revisi DIPA), with date and reason."""

    line = models.ForeignKey(
        DipaLine, verbose_name="baris DIPA", on_delete=models.CASCADE, related_name="revisions"
    )
    revised_on = models.DateField("tanggal revisi")
    old_pagu = models.DecimalField("pagu lama", **RUPIAH)
    new_pagu = models.DecimalField("pagu baru", **RUPIAH)
    reason = models.TextField("alasan")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oleh",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("pada", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "revisi pagu"
        verbose_name_plural = "revisi pagu"
        ordering = ["line", "revised_on", "id"]

    def __str__(self) -> str:
        return f"Revisi {self.line}: {self.old_pagu} → {self.new_pagu} ({self.revised_on})"


class MonthClosed(LockRefused):
    """Spending of a month whose quarter's results are submitted or further: no change by any path."""


def closed_month_report(unit_id: int, year: int, month: int):
    """The quarter report that closes this month's spending (months 1-3 belong to TW I, ...), or
    None. The report of the PK in force counts; a superseded version's does not."""
    from kinerja.measurement.models import EDITABLE, QuarterReport

    if not 1 <= (month or 0) <= 12:
        return None
    return (
        QuarterReport.objects.filter(
            agreement__unit_id=unit_id, agreement__year=year, quarter=(month + 2) // 3
        )
        .exclude(agreement__status="superseded")
        .exclude(status__in=EDITABLE)
        .select_related("agreement")
        .first()
    )


def refuse_closed_month(line_id: int | None, month: int | None) -> None:
    if line_id is None:
        return
    line = DipaLine.objects.filter(pk=line_id).values("unit_id", "year").first()
    if line is None:
        return
    report = closed_month_report(line["unit_id"], line["year"], month)
    if report is not None:
        from kinerja.core.formatting import BULAN, TRIWULAN

        raise MonthClosed(
            f"Rencana dan realisasi anggaran {BULAN[month - 1]} {line['year']} tidak dapat diubah: "
            f"laporan {TRIWULAN[report.quarter]} berstatus {report.get_status_display()}."
        )


class SpendingMonth(models.Model):
    """Planned (RPD, halaman III DIPA) and realised spending of one leaf line in one month.

    Realisation beyond the available pagu (pagu − blokir) is refused unless `exception` is set with
    its reason, so an over-spend is never silent.
    """

    line = models.ForeignKey(
        DipaLine, verbose_name="baris DIPA", on_delete=models.CASCADE, related_name="months"
    )
    month = models.PositiveSmallIntegerField("bulan")
    planned = models.DecimalField("rencana (RPD)", default=Decimal(0), **RUPIAH)
    realised = models.DecimalField("realisasi", default=Decimal(0), **RUPIAH)
    exception = models.BooleanField("pengecualian melebihi pagu", default=False)
    exception_reason = models.TextField("alasan pengecualian", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "rencana dan realisasi bulanan"
        verbose_name_plural = "rencana dan realisasi bulanan"
        ordering = ["line", "month"]
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="spending_month_once"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="spending_month_1_12"
            ),
            models.CheckConstraint(
                condition=models.Q(planned__gte=0, realised__gte=0),
                name="spending_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} bulan {self.month}"

    def save(self, *args, **kwargs):
        # Both the stored month and the new one: moving a row into or out of a closed quarter is a
        # change of that quarter. A database trigger holds the same rule for update() and raw SQL.
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values("line_id", "month").first()
            if stored:
                refuse_closed_month(stored["line_id"], stored["month"])
        refuse_closed_month(self.line_id, self.month)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_closed_month(self.line_id, self.month)
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        # The same rule as services.spending_save, for the admin's forms.
        from kinerja.core.formatting import format_rupiah

        if self.exception and not self.exception_reason.strip():
            raise ValidationError({"exception_reason": "Alasan pengecualian wajib diisi."})
        if self.line_id is None or self.line.pagu is None:
            return
        others = self.line.months.exclude(pk=self.pk).exclude(month=self.month)
        spent = sum((m.realised for m in others), Decimal(0)) + (self.realised or Decimal(0))
        if spent > self.line.available and not (self.exception or others.filter(exception=True)):
            raise ValidationError(
                {
                    "realised": f"Realisasi setahun {format_rupiah(spent)} melebihi pagu tersedia "
                    f"{format_rupiah(self.line.available)}; catat sebagai pengecualian dengan alasannya."
                }
            )


class BudgetScore(models.Model):
    """The year's budget-performance scores as published: SMART DJA and IKPA (0-100), each with
    optional component scores ({"Penyerapan": 99.83, ...})."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="budget_scores"
    )
    year = models.PositiveSmallIntegerField("tahun")
    smart = models.DecimalField("nilai SMART DJA", **SCORE)
    smart_components = models.JSONField("komponen SMART", default=dict, blank=True)
    ikpa = models.DecimalField("nilai IKPA", **SCORE)
    ikpa_components = models.JSONField("komponen IKPA", default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "nilai kinerja anggaran"
        verbose_name_plural = "nilai kinerja anggaran"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="budget_score_once"),
            models.CheckConstraint(
                condition=(models.Q(smart__isnull=True) | models.Q(smart__gte=0, smart__lte=100))
                & (models.Q(ikpa__isnull=True) | models.Q(ikpa__gte=0, ikpa__lte=100)),
                name="budget_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"Nilai kinerja anggaran {self.unit} {self.year}"


class YearSpending(models.Model):
    """Pagu and realisation of a year per spending type as reported (e.g. the LKjIP's table), for
    years without DIPA lines and to compare against the figures the lines give."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="year_spending"
    )
    year = models.PositiveSmallIntegerField("tahun")
    spending_type = models.CharField("jenis belanja", max_length=2, choices=SpendingType.choices)
    pagu = models.DecimalField("pagu", null=True, blank=True, **RUPIAH)
    realised = models.DecimalField("realisasi", **RUPIAH)
    source = models.CharField("sumber", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "realisasi tahunan per jenis belanja"
        verbose_name_plural = "realisasi tahunan per jenis belanja"
        ordering = ["unit", "year", "spending_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "spending_type"], name="year_spending_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.get_spending_type_display()}"


class EmonevMonth(models.Model):
    """e-Monev Bappenas figures of one month: budget absorption and physical progress, in percent."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="emonev"
    )
    year = models.PositiveSmallIntegerField("tahun")
    month = models.PositiveSmallIntegerField("bulan")
    absorption = models.DecimalField("serapan anggaran (%)", **SCORE)
    physical = models.DecimalField("progres fisik (%)", **SCORE)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "e-Monev Bappenas"
        verbose_name_plural = "e-Monev Bappenas"
        ordering = ["unit", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "month"], name="emonev_once"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="emonev_month_1_12"
            ),
        ]

    def __str__(self) -> str:
        return f"e-Monev {self.unit} {self.year}-{self.month:02d}"


class TarjaItem(models.Model):
    """One item of the ministry's Target Kinerja (TARJA) for the year, with its score and remarks."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="tarja"
    )
    year = models.PositiveSmallIntegerField("tahun")
    number = models.PositiveSmallIntegerField("nomor")
    name = models.TextField("target kinerja")
    score = models.DecimalField("capaian", **SCORE)
    remarks = models.CharField("keterangan", max_length=200, blank=True)
    evidence = models.TextField(
        "data dukung",
        blank=True,
        help_text="Dokumen yang membuktikan capaian (laporan, nomor surat), satu per baris.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Target Kinerja (TARJA)"
        verbose_name_plural = "Target Kinerja (TARJA)"
        ordering = ["unit", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="tarja_once")
        ]

    def __str__(self) -> str:
        return f"TARJA {self.unit} {self.year} no. {self.number}"


class IkpaRule(models.Model):
    """A weight or target of the budget-performance rules, with the regulation it comes from.

    kind 'weight': component -> weight (IKPA components; 'smart'/'ikpa' for Capaian Kinerja
    Anggaran). kind 'target': cumulative absorption target (percent) per spending type and quarter.
    The rule set in force for a year is the one with the latest `valid_from` not after it.
    """

    class Kind(models.TextChoices):
        WEIGHT = "weight", "bobot"
        TARGET = "target", "target penyerapan"

    regulation = models.CharField("peraturan", max_length=200)
    valid_from = models.PositiveSmallIntegerField("berlaku mulai tahun")
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    component = models.CharField("komponen", max_length=50, blank=True)
    spending_type = models.CharField(
        "jenis belanja", max_length=2, choices=SpendingType.choices, blank=True
    )
    quarter = models.PositiveSmallIntegerField("triwulan", null=True, blank=True)
    value = models.DecimalField(
        "nilai", max_digits=6, decimal_places=2, validators=bounds.SCORE.validators()
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "aturan IKPA"
        verbose_name_plural = "aturan IKPA"
        ordering = ["valid_from", "kind", "component", "spending_type", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["valid_from", "kind", "component", "spending_type", "quarter"],
                name="ikpa_rule_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.regulation}: {self.kind} {self.component or self.spending_type} {self.quarter or ''}"
