from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from kinerja.core import bounds
from kinerja.core.formatting import TRIWULAN
from kinerja.core.history_records import HistoricalRecords
from kinerja.core.locks import LockRefused
from kinerja.indicators.models import Indicator, Level, MeasureUnit
from kinerja.organizations.models import Person, Unit


class PKFrozenError(LockRefused):
    """A signed Perjanjian Kinerja cannot be changed; make a revision instead."""

    def __init__(self, pk: PerjanjianKinerja):
        super().__init__(
            f"Perjanjian Kinerja {pk.unit} tahun {pk.year} sudah ditandatangani dan tidak dapat diubah. "
            "Buat revisi untuk mengubahnya; versi yang ditandatangani tetap tersimpan."
        )


class RestrictedByUnitQuerySet(models.QuerySet):
    """Rows that belong to a unit, filtered to the units the user may act on."""

    unit_path = "unit"

    def restrict(self, user, action: str = "view"):
        return self.filter(**{f"{self.unit_path}__in": Unit.objects.restrict(user, action)})


class Renstra(models.Model):
    """Rencana Strategis: a unit's five-year plan (vision, mission, goals) with medium-term
    targets per indicator per year (Target Jangka Menengah)."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.PROTECT, related_name="renstras"
    )
    start_year = models.PositiveSmallIntegerField("tahun awal")
    end_year = models.PositiveSmallIntegerField("tahun akhir")
    vision = models.TextField("visi", blank=True)
    mission = models.TextField("misi", blank=True)
    goals = models.TextField("tujuan", blank=True)

    history = HistoricalRecords()

    objects = RestrictedByUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "Renstra"
        verbose_name_plural = "Renstra"
        constraints = [
            models.UniqueConstraint(fields=["unit", "start_year"], name="renstra_unit_start")
        ]

    def __str__(self) -> str:
        return f"Renstra {self.unit} {self.start_year}-{self.end_year}"


class RenstraTarget(models.Model):
    """Medium-term target (target jangka menengah) of one indicator for one year of a Renstra."""

    renstra = models.ForeignKey(
        Renstra, verbose_name="Renstra", on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="indikator",
        on_delete=models.PROTECT,
        related_name="renstra_targets",
    )
    year = models.PositiveSmallIntegerField("tahun")
    value = models.DecimalField(
        "target", max_digits=14, decimal_places=4, validators=bounds.TARGET_ANY.validators()
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "target Renstra"
        verbose_name_plural = "target Renstra"
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["renstra", "indicator", "year"], name="renstra_target_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value.normalize()}"


class PKStatus(models.TextChoices):
    DRAFT = "draft", "Draf"
    SIGNED = "signed", "Ditandatangani"
    SUPERSEDED = "superseded", "Digantikan revisi"


class PKQuerySet(RestrictedByUnitQuerySet):
    def latest_for(self, unit: Unit, year: int) -> PerjanjianKinerja | None:
        """The version of the PK in force or being prepared: the newest revision that is not superseded."""
        return (
            self.filter(unit=unit, year=year)
            .exclude(status=PKStatus.SUPERSEDED)
            .order_by("-revision")
            .first()
        )

    def in_force(self, unit: Unit, year: int) -> PerjanjianKinerja | None:
        """The version whose results count: the signed one (a revision being prepared has no
        results yet, and a superseded one only keeps the record), else the draft being prepared."""
        signed = (
            self.filter(unit=unit, year=year, status=PKStatus.SIGNED).order_by("-revision").first()
        )
        return signed or self.latest_for(unit, year)


class PerjanjianKinerja(models.Model):
    """Perjanjian Kinerja (PK): the yearly agreement between the facility head (Pihak Pertama)
    and the regional head (Pihak Kedua) on targets and budget. Frozen once signed; a change
    after that is a new revision that keeps the signed version."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.PROTECT, related_name="agreements"
    )
    year = models.PositiveSmallIntegerField("tahun")
    revision = models.PositiveSmallIntegerField("revisi ke", default=0)
    revision_of = models.ForeignKey(
        "self",
        verbose_name="revisi dari",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    revision_reason = models.TextField("alasan revisi", blank=True)
    status = models.CharField(
        "status", max_length=12, choices=PKStatus.choices, default=PKStatus.DRAFT
    )
    place = models.CharField("tempat", max_length=100, blank=True)
    signed_on = models.DateField("tanggal", null=True, blank=True)
    first_party = models.ForeignKey(
        Person,
        verbose_name="pihak pertama",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_party_title = models.CharField("jabatan pihak pertama", max_length=200, blank=True)
    second_party = models.ForeignKey(
        Person,
        verbose_name="pihak kedua",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    second_party_title = models.CharField("jabatan pihak kedua", max_length=200, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ditandatangani oleh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField("ditandatangani pada", null=True, blank=True)
    created_at = models.DateTimeField("dibuat pada", auto_now_add=True)
    achievement_cap = models.DecimalField(
        "batas capaian (%)",
        max_digits=6,
        decimal_places=2,
        validators=bounds.PERCENT.validators(),
        null=True,
        blank=True,
        help_text="Misalnya 120. Kosong: memakai pengaturan nasional (KINERJA_ACHIEVEMENT_CAP), bila ada.",
    )

    history = HistoricalRecords()

    objects = PKQuerySet.as_manager()

    class Meta:
        verbose_name = "Perjanjian Kinerja"
        verbose_name_plural = "Perjanjian Kinerja"
        ordering = ["unit", "-year", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "revision"], name="pk_unit_year_revision"
            ),
        ]

    def __str__(self) -> str:
        rev = f" (revisi {self.revision})" if self.revision else ""
        return f"PK {self.unit} {self.year}{rev}"

    # Only the status may change on a signed PK (signed -> superseded by a revision).
    _STATUS_FIELDS = frozenset({"status"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            update_fields = kwargs.get("update_fields")
            if (
                stored
                and stored != PKStatus.DRAFT
                and not (update_fields and set(update_fields) <= self._STATUS_FIELDS)
            ):
                raise PKFrozenError(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        # The parts go by cascade without their own delete(): refuse here, reading the database.
        stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored and stored != PKStatus.DRAFT:
            raise PKFrozenError(self)
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status != PKStatus.DRAFT


class FrozenWithPK(models.Model):
    """A part of a PK: refuses to be written once its PK is signed (also through the admin)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _agreement(self) -> PerjanjianKinerja:
        raise NotImplementedError

    def _refuse_if_frozen(self) -> None:
        # Read the status from the database: an instance in memory may be stale.
        agreement = self._agreement()
        stored = (
            PerjanjianKinerja.objects.filter(pk=agreement.pk)
            .values_list("status", flat=True)
            .first()
        )
        if stored and stored != PKStatus.DRAFT:
            raise PKFrozenError(agreement)


class PKGoal(FrozenWithPK):
    """A goal in a PK at one of three levels: Sasaran Strategis (IKU), Sasaran Program (IKP),
    Sasaran Kegiatan (IKK)."""

    agreement = models.ForeignKey(
        PerjanjianKinerja,
        verbose_name="Perjanjian Kinerja",
        on_delete=models.CASCADE,
        related_name="goals",
    )
    level = models.CharField("tingkat", max_length=3, choices=Level.choices)
    number = models.PositiveSmallIntegerField("nomor")
    name = models.TextField("sasaran")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "sasaran PK"
        verbose_name_plural = "sasaran PK"
        ordering = ["agreement", "level", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "level", "number"], name="pk_goal_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def _agreement(self) -> PerjanjianKinerja:
        return self.agreement


class RAActivity(FrozenWithPK):
    """A funding activity (kegiatan) of the Rencana Aksi with its budget ceiling (pagu).
    One activity may fund several IKK; its pagu is counted once."""

    agreement = models.ForeignKey(
        PerjanjianKinerja,
        verbose_name="Perjanjian Kinerja",
        on_delete=models.CASCADE,
        related_name="activities",
    )
    name = models.CharField("kegiatan", max_length=300)
    pagu = models.DecimalField(
        "pagu (Rp)",
        max_digits=16,
        decimal_places=0,
        default=0,
        validators=bounds.MONEY.validators(),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "kegiatan Rencana Aksi"
        verbose_name_plural = "kegiatan Rencana Aksi"
        ordering = ["agreement", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="ra_activity_name")
        ]

    def __str__(self) -> str:
        return self.name

    def _agreement(self) -> PerjanjianKinerja:
        return self.agreement


class RAActivityQuarter(FrozenWithPK):
    """Planned disbursement (Rencana Penarikan Dana, RPD) of an activity in one quarter."""

    activity = models.ForeignKey(
        RAActivity, verbose_name="kegiatan", on_delete=models.CASCADE, related_name="quarters"
    )
    quarter = models.PositiveSmallIntegerField(
        "triwulan",
        choices=[(q, f"TW {r}") for q, r in ((1, "I"), (2, "II"), (3, "III"), (4, "IV"))],
    )
    planned_disbursement = models.DecimalField(
        "RPD (Rp)", max_digits=16, decimal_places=0, default=0, validators=bounds.MONEY.validators()
    )
    realised = models.DecimalField(
        "realisasi anggaran (Rp)",
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=bounds.MONEY.validators(),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "triwulan kegiatan Rencana Aksi"
        verbose_name_plural = "triwulan kegiatan Rencana Aksi"
        ordering = ["activity", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "quarter"], name="ra_activity_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {TRIWULAN.get(self.quarter, self.quarter)}"

    def _agreement(self) -> PerjanjianKinerja:
        return self.activity.agreement


class PKIndicator(FrozenWithPK):
    """An indicator of the catalogue placed in a PK with the facility's target for the year."""

    agreement = models.ForeignKey(
        PerjanjianKinerja,
        verbose_name="Perjanjian Kinerja",
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    goal = models.ForeignKey(
        PKGoal, verbose_name="sasaran", on_delete=models.CASCADE, related_name="indicators"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="indikator", on_delete=models.PROTECT, related_name="pk_entries"
    )
    # The indicator's name as this PK states it: taken from the catalogue when the row is made, so
    # a later renaming in the catalogue never changes an earlier year's PK or its documents.
    # Nullable so that adding it is a plain ALTER TABLE on SQLite (a table rebuild would break the
    # lock triggers that name this table); empty only until the row is saved.
    indicator_name = models.TextField("nama indikator pada PK", null=True, blank=True)  # noqa: DJ001
    number = models.PositiveSmallIntegerField("nomor")
    target = models.DecimalField(
        "target",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=bounds.TARGET_ANY.validators(),
    )
    target_unit = models.CharField("satuan target", max_length=10, choices=MeasureUnit.choices)
    activity = models.ForeignKey(
        RAActivity,
        verbose_name="kegiatan pendanaan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    national_priority = models.BooleanField(
        "Prioritas Nasional",
        default=False,
        help_text="IKK ini termasuk kegiatan Prioritas Nasional (RPJMN).",
    )
    # None: the plan did not come from a workbook; "": the workbook's formula cell was empty.
    formula_text = models.TextField(  # noqa: DJ001
        "rumus pada Rencana Aksi",
        null=True,
        blank=True,
        help_text="Rumus sebagaimana ditulis unit pada Rencana Aksi (kosong: tidak dari berkas).",
    )
    ra_status = models.CharField("status pelaksanaan", max_length=50, blank=True)
    ra_remarks = models.TextField("keterangan", blank=True)
    blocked_amount = models.DecimalField(
        "pagu blokir (Rp)",
        max_digits=16,
        decimal_places=0,
        validators=bounds.MONEY.validators(),
        null=True,
        blank=True,
        help_text="Pagu yang diblokir menurut keterangan Rencana Aksi.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "indikator PK"
        verbose_name_plural = "indikator PK"
        ordering = ["goal__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "indicator"], name="pk_indicator_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.indicator_name and self.indicator_id:
            self.indicator_name = self.indicator.name
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.target is not None and self.target_unit:
            problem = bounds.target_bound(self.target_unit).problem(self.target, "Target")
            if problem:
                raise ValidationError({"target": problem})

    @property
    def name(self) -> str:
        """The indicator's name in this PK (the catalogue's when the row was made)."""
        return self.indicator_name or self.indicator.name

    def _agreement(self) -> PerjanjianKinerja:
        return self.agreement


class RAQuarter(FrozenWithPK):
    """One quarter (TW I-IV) of the Rencana Aksi of one IKK: target increment, planned
    activity and the evidence expected (data dukung)."""

    pk_indicator = models.ForeignKey(
        PKIndicator, verbose_name="indikator PK", on_delete=models.CASCADE, related_name="quarters"
    )
    quarter = models.PositiveSmallIntegerField("triwulan")
    target_increment = models.DecimalField(
        "target triwulan",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=bounds.TARGET_ANY.validators(),
    )
    planned_activity = models.TextField("rencana kegiatan", blank=True)
    evidence_expected = models.TextField("data dukung", blank=True)
    achievement_text = models.TextField("capaian (uraian)", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "target triwulan Rencana Aksi"
        verbose_name_plural = "target triwulan Rencana Aksi"
        ordering = ["pk_indicator", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["pk_indicator", "quarter"], name="ra_quarter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.pk_indicator.indicator.code} {TRIWULAN.get(self.quarter, self.quarter)}"

    def _agreement(self) -> PerjanjianKinerja:
        return self.pk_indicator.agreement


class BudgetKind(models.TextChoices):
    PROGRAM = "program", "Program"
    ACTIVITY = "activity", "Kegiatan"


class PKBudgetItem(FrozenWithPK):
    """A line of the PK budget table: a programme or one of its activities, with its amount."""

    agreement = models.ForeignKey(
        PerjanjianKinerja,
        verbose_name="Perjanjian Kinerja",
        on_delete=models.CASCADE,
        related_name="budget_items",
    )
    kind = models.CharField("jenis", max_length=10, choices=BudgetKind.choices)
    code = models.CharField("kode", max_length=20, blank=True)
    name = models.CharField("uraian", max_length=300)
    amount = models.DecimalField(
        "anggaran (Rp)", max_digits=16, decimal_places=0, validators=bounds.MONEY.validators()
    )
    order = models.PositiveSmallIntegerField("urutan", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "anggaran PK"
        verbose_name_plural = "anggaran PK"
        ordering = ["agreement", "order"]

    def __str__(self) -> str:
        return self.name

    def _agreement(self) -> PerjanjianKinerja:
        return self.agreement
