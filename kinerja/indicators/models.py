from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from kinerja import calc
from kinerja.core.bounds import YEAR_MAX, YEAR_MIN
from kinerja.core.history_records import HistoricalRecords


class Level(models.TextChoices):
    IKU = "iku", "Indikator Kinerja Utama (IKU)"
    IKP = "ikp", "Indikator Kinerja Program (IKP)"
    IKK = "ikk", "Indikator Kinerja Kegiatan (IKK)"


LEVEL_SHORT = {Level.IKU: "IKU", Level.IKP: "IKP", Level.IKK: "IKK"}
LEVEL_RANK = {Level.IKU: 1, Level.IKP: 2, Level.IKK: 3}


def level_rank(field: str = "level") -> models.Case:
    """Order by level the way documents do: IKU, then IKP, then IKK."""
    return models.Case(
        *[
            models.When(**{field: level}, then=models.Value(rank))
            for level, rank in LEVEL_RANK.items()
        ],
        output_field=models.IntegerField(),
    )


GOAL_LABEL = {
    Level.IKU: "Sasaran Strategis",
    Level.IKP: "Sasaran Program",
    Level.IKK: "Sasaran Kegiatan",
}


class MeasureUnit(models.TextChoices):
    PERCENT = "%", "%"
    LAYANAN = "Layanan", "Layanan"
    DOKUMEN = "Dokumen", "Dokumen"
    UNIT = "Unit", "Unit"
    ORANG = "Orang", "Orang"
    INDEKS = "Indeks", "Indeks"


class Direction(models.TextChoices):
    HIGHER = "higher", "Semakin tinggi semakin baik"
    LOWER = "lower", "Semakin rendah semakin baik"


class Goal(models.Model):
    """A goal of the national catalogue: Sasaran Strategis, Sasaran Program or Sasaran Kegiatan."""

    level = models.CharField("tingkat", max_length=3, choices=Level.choices)
    code = models.CharField("kode", max_length=20, unique=True)
    name = models.TextField("nama sasaran")
    order = models.PositiveSmallIntegerField("urutan", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "sasaran (katalog)"
        verbose_name_plural = "sasaran (katalog)"
        ordering = ["level", "order"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class IndicatorQuerySet(models.QuerySet):
    def in_force(self, year: int) -> IndicatorQuerySet:
        """The catalogue of a year: active indicators whose period covers it."""
        return self.filter(active=True).exclude(valid_from__gt=year).exclude(valid_to__lt=year)


class Indicator(models.Model):
    """An indicator of the national catalogue (IKU, IKP or IKK): its unit, direction,
    input variables and formula. Facilities set only targets; the definition is national."""

    level = models.CharField("tingkat", max_length=3, choices=Level.choices)
    goal = models.ForeignKey(
        Goal, verbose_name="sasaran", on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField("kode", max_length=20, unique=True)
    name = models.TextField("nama indikator")
    unit = models.CharField("satuan", max_length=10, choices=MeasureUnit.choices)
    direction = models.CharField(
        "arah", max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    formula = models.CharField(
        "rumus",
        max_length=calc.MAX_FORMULA_LENGTH,
        help_text="Ekspresi atas variabel, misalnya A / B * 100 atau (A / B * 100 + C / D * 100) / 2.",
    )
    lower_rule = models.CharField(
        "aturan capaian (semakin rendah semakin baik)",
        max_length=10,
        choices=[
            ("inverse", "(2 × target − realisasi) / target × 100"),
            ("ratio", "target / realisasi × 100"),
        ],
        default="inverse",
        help_text="Hanya untuk indikator semakin rendah semakin baik; ditetapkan, tidak ditebak dari nama.",
    )
    aggregation = models.CharField(
        "agregasi di atas UPT",
        max_length=4,
        choices=[(a.value, calc.AGGREGATION_LABELS[a]) for a in calc.Aggregation],
        default=calc.Aggregation.SUM.value,
        help_text=(
            "Cara angka UPT dijumlahkan untuk Kanwil dan Ditjen: jumlah (ΣA / ΣB × 100, target "
            "jumlah dijumlahkan), rata-rata nilai UPT (indeks), atau tidak diagregasi."
        ),
    )
    description = models.TextField("keterangan", blank=True)
    order = models.PositiveSmallIntegerField("urutan", default=0)
    active = models.BooleanField("aktif", default=True)
    # The catalogue by period: an indicator is in force from `valid_from` to `valid_to` (years,
    # inclusive; empty = no bound). A PK of a year is started with the indicators in force that
    # year; a retired indicator stays in the older PKs and documents that hold it.
    valid_from = models.PositiveSmallIntegerField(
        "berlaku sejak tahun",
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
    )
    valid_to = models.PositiveSmallIntegerField(
        "berlaku sampai tahun",
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
    )

    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikator"
        ordering = ["level", "goal__order", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.goal_id and self.goal.level != self.level:
            raise ValidationError({"goal": "Tingkat sasaran harus sama dengan tingkat indikator."})
        # Unknown-variable problems are checked against the variables in the admin formset;
        # here only the syntax counts.
        syntax = (
            [
                p.message
                for p in calc.formula_problems(self.formula, {})
                if p.code not in (calc.Problem.UNKNOWN_VARIABLE, calc.Problem.UNUSED_VARIABLE)
            ]
            if self.formula
            else ["Rumus wajib diisi."]
        )
        if syntax:
            raise ValidationError({"formula": syntax})
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": "Tahun akhir berlaku tidak boleh sebelum tahun mulai berlaku."}
            )

    def variable_map(self) -> dict[str, str]:
        return {v.symbol: v.description for v in self.variables.all()}


class Variable(models.Model):
    """A named input of an indicator's formula, with its meaning (A = jumlah ... )."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="indikator", on_delete=models.CASCADE, related_name="variables"
    )
    symbol = models.CharField("simbol", max_length=16)
    description = models.CharField("arti", max_length=400)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "variabel"
        verbose_name_plural = "variabel"
        ordering = ["indicator", "symbol"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "symbol"], name="variable_unique_symbol")
        ]

    def __str__(self) -> str:
        return f"{self.symbol} = {self.description}"

    def clean(self) -> None:
        if not calc.VARIABLE_NAME.match(self.symbol or ""):
            raise ValidationError(
                {"symbol": "Simbol variabel harus huruf kapital, misalnya A, B, C."}
            )
