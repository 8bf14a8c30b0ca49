from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef
from django.utils import timezone
from simple_history import register as simple_history_register

from kinerja.core import bounds
from kinerja.core.history_records import HistoricalRecords
from kinerja.organizations.nip import nip_problems


class UnitKind(models.TextChoices):
    DIRECTORATE = "directorate", "Direktorat Jenderal"
    KANWIL = "kanwil", "Kantor Wilayah"
    UPT = "upt", "UPT"


class FacilityType(models.TextChoices):
    LAPAS = "lapas", "Lapas"
    RUTAN = "rutan", "Rutan"
    LPKA = "lpka", "LPKA"
    BAPAS = "bapas", "Bapas"


class FacilityClass(models.TextChoices):
    I = "I", "Kelas I"  # noqa: E741
    IIA = "IIA", "Kelas IIA"
    IIB = "IIB", "Kelas IIB"
    III = "III", "Kelas III"


class Role(models.TextChoices):
    OPERATOR = "operator", "Operator UPT"
    HEAD = "head", "Kepala UPT"
    EVALUATOR = "evaluator", "Evaluator Kanwil"
    REGIONAL_ADMIN = "regional_admin", "Admin Kanwil"
    ADMIN = "admin", "Admin Nasional"
    VIEWER = "viewer", "Hanya baca"
    # APIP (Inspektorat Jenderal): evaluates the accountability system (LKE) of the units it
    # audits, given on those units (a facility, or a Kanwil for all its facilities); reads them.
    AUDITOR = "auditor", "Auditor APIP"


# Which roles allow which action on a unit and everything below it.
ACTION_ROLES: dict[str, set[str]] = {
    "view": {r.value for r in Role},
    "change": {Role.OPERATOR, Role.HEAD, Role.ADMIN},
    "sign": {Role.HEAD, Role.ADMIN},
    "verify": {Role.EVALUATOR, Role.ADMIN},
    # set the final answers of an AKIP evaluation (LKE) and write its recommendations
    "evaluate": {Role.EVALUATOR, Role.AUDITOR, Role.ADMIN},
    # start work that writes results of its own: a review run, a document job (never read-only)
    "run": {Role.OPERATOR, Role.HEAD, Role.EVALUATOR, Role.ADMIN},
    # manage the unit itself: its facilities, people, heads, users and their roles (a regional
    # administrator for the Kanwil and its facilities, the national administrator for all)
    "administer": {Role.REGIONAL_ADMIN, Role.ADMIN},
}

# Which roles a unit of each kind can be given: a facility's own staff work on a UPT, the region's
# on a Kanwil, the national administrator on the directorate; read-only anywhere.
ROLES_BY_KIND: dict[str, set[str]] = {
    "upt": {Role.OPERATOR, Role.HEAD, Role.VIEWER, Role.AUDITOR},
    "kanwil": {Role.EVALUATOR, Role.REGIONAL_ADMIN, Role.VIEWER, Role.AUDITOR},
    "directorate": {Role.ADMIN, Role.VIEWER, Role.AUDITOR},
}


class UnitQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> UnitQuerySet:
        """Units this user may act on: a membership's unit and every unit below it."""
        if action not in ACTION_ROLES:
            raise ValueError(f"unknown action {action!r}")
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        # In the same query (no query of its own): the unit's path starts with the path of a unit
        # the user holds a membership of this kind on.
        memberships = (
            Membership.objects.filter(user=user, role__in=ACTION_ROLES[action])
            .annotate(below=ExpressionWrapper(OuterRef("path"), output_field=models.CharField()))
            .filter(below__startswith=F("unit__path"))
        )
        return self.filter(Exists(memberships))

    def facilities(self) -> UnitQuerySet:
        return self.filter(kind=UnitKind.UPT)


class Unit(models.Model):
    """A unit of the organisation (unit kerja): the directorate (Ditjen), a regional office
    (Kanwil) or a facility (UPT: Lapas, Rutan, LPKA, Bapas). Names are data, never code."""

    name = models.CharField("nama", max_length=200)
    slug = models.SlugField("kode", max_length=80, unique=True)
    kind = models.CharField("jenis unit", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="induk",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("jalur hierarki", max_length=800, editable=False, db_index=True)
    facility_type = models.CharField(
        "tipe UPT", max_length=10, choices=FacilityType.choices, blank=True
    )
    facility_class = models.CharField(
        "kelas", max_length=5, choices=FacilityClass.choices, blank=True
    )
    address = models.TextField("alamat", blank=True)
    city = models.CharField("kota", max_length=100, blank=True)
    capacity = models.PositiveIntegerField(
        "kapasitas hunian", null=True, blank=True, validators=bounds.COUNT.validators(integer=True)
    )
    # Indonesia has three zones; times on a facility's pages are shown in its own. Blank: the
    # parent's zone, up to the national setting (TIME_ZONE).
    time_zone = models.CharField(
        "zona waktu",
        max_length=20,
        blank=True,
        choices=[
            ("Asia/Jakarta", "WIB (UTC+7)"),
            ("Asia/Makassar", "WITA (UTC+8)"),
            ("Asia/Jayapura", "WIT (UTC+9)"),
        ],
        help_text="Kosong: mengikuti unit induk.",
    )
    results_by_month = models.BooleanField(
        "realisasi diisi bulanan",
        default=False,
        help_text="Realisasi dicatat tiap bulan; angka triwulan adalah angka bulan terakhirnya.",
    )

    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "unit kerja"
        verbose_name_plural = "unit kerja"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The path is derived from the tree so that "this unit and all below it" is one query.
        self.path = (self.parent.path if self.parent else "/") + self.slug + "/"
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.kind not in UnitKind.values:
            return  # the field's own check says so
        expected_parent = {
            UnitKind.DIRECTORATE: None,
            UnitKind.KANWIL: UnitKind.DIRECTORATE,
            UnitKind.UPT: UnitKind.KANWIL,
        }[self.kind]
        if expected_parent is None and self.parent_id:
            raise ValidationError({"parent": "Direktorat Jenderal tidak memiliki induk."})
        if expected_parent and (not self.parent or self.parent.kind != expected_parent):
            label = UnitKind(expected_parent).label
            raise ValidationError({"parent": f"Induk unit jenis ini harus {label}."})
        if self.kind == UnitKind.UPT and not self.facility_type:
            raise ValidationError(
                {"facility_type": "UPT wajib memiliki tipe (Lapas, Rutan, LPKA, Bapas)."}
            )
        if self.kind != UnitKind.UPT and (self.facility_type or self.facility_class):
            raise ValidationError({"facility_type": "Tipe dan kelas hanya untuk UPT."})

    @property
    def local_time_zone(self) -> str:
        """The zone of this unit, else of its parent (a facility's Kanwil), else the national one.
        Two levels only: a facility read with its parent (`select_related("unit__parent")`, as the
        entry pages, bulk uploads and the API do) costs no query here."""
        if self.time_zone:
            return self.time_zone
        if self.parent_id is not None and self.parent is not None and self.parent.time_zone:
            return self.parent.time_zone
        return settings.TIME_ZONE

    def local_today(self) -> dt.date:
        """Today's date where the unit is (WIB, WITA or WIT), not the server's."""
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(self.local_time_zone))

    @property
    def is_facility(self) -> bool:
        return self.kind == UnitKind.UPT

    @property
    def region(self) -> Unit | None:
        return self.parent if self.kind == UnitKind.UPT else None


def validate_nip(value: str) -> None:
    problems = nip_problems(value)
    if problems:
        raise ValidationError(" ".join(problems))


class Person(models.Model):
    """A civil servant (pegawai) named in plans and documents: name and NIP."""

    name = models.CharField("nama", max_length=200)
    nip = models.CharField(
        "NIP", max_length=18, unique=True, null=True, blank=True, validators=[validate_nip]
    )
    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.PROTECT, related_name="people"
    )
    position = models.CharField("jabatan", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "pegawai"
        verbose_name_plural = "pegawai"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (NIP {self.nip})" if self.nip else self.name


class HeadAppointment(models.Model):
    """Who headed a unit when (Kepala UPT / Kepala Kanwil): the head of record for a year."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="head_appointments"
    )
    person = models.ForeignKey(
        Person, verbose_name="pegawai", on_delete=models.PROTECT, related_name="head_appointments"
    )
    title = models.CharField("jabatan", max_length=200)
    start = models.DateField("mulai")
    end = models.DateField("sampai", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "penunjukan kepala"
        verbose_name_plural = "penunjukan kepala"
        ordering = ["unit", "-start"]

    def __str__(self) -> str:
        return f"{self.title}: {self.person.name}"


class Membership(models.Model):
    """A user's role on a unit; it covers that unit and every unit below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pengguna",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("peran", max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "keanggotaan"
        verbose_name_plural = "keanggotaan"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class StaffReport(models.Model):
    """Staff of a unit at a date (jumlah pegawai): by sex, by rank, and the total the report states."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.CASCADE, related_name="staff_reports"
    )
    year = models.PositiveSmallIntegerField("tahun")
    as_of = models.DateField("per tanggal")
    stated_total = models.PositiveIntegerField(
        "jumlah yang dinyatakan",
        null=True,
        blank=True,
        validators=bounds.COUNT.validators(integer=True),
    )
    men = models.PositiveIntegerField(
        "laki-laki", null=True, blank=True, validators=bounds.COUNT.validators(integer=True)
    )
    women = models.PositiveIntegerField(
        "perempuan", null=True, blank=True, validators=bounds.COUNT.validators(integer=True)
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "data pegawai"
        verbose_name_plural = "data pegawai"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="staff_report_unit_year")
        ]

    def __str__(self) -> str:
        return f"Pegawai {self.unit} {self.year}"


class StaffRankCount(models.Model):
    """Number of staff in one rank (golongan/ruang, e.g. III/b) in a staff report."""

    report = models.ForeignKey(
        StaffReport, verbose_name="data pegawai", on_delete=models.CASCADE, related_name="ranks"
    )
    rank = models.CharField("golongan/ruang", max_length=10)
    count = models.PositiveIntegerField("jumlah", validators=bounds.COUNT.validators(integer=True))
    order = models.PositiveSmallIntegerField("urutan", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "jumlah pegawai per golongan"
        verbose_name_plural = "jumlah pegawai per golongan"
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["report", "rank"], name="staff_rank_unique")]

    def __str__(self) -> str:
        return f"{self.rank}: {self.count}"


# Accounts: who may log in, and who is staff or superuser, is an admin's change like any other.
# The password hash and the last login are left out: a history of hashes would only help an
# attacker, and logging in is not a change.
simple_history_register(
    User,
    app="kinerja.organizations",
    excluded_fields=["password", "last_login"],
    table_name="organizations_historicaluser",
    records_class=HistoricalRecords,
)


class OnboardingImport(models.Model):
    """One onboarding workbook as uploaded: the file, who, when, and once applied, the accounts it
    created (whose first-login links the result page prints until they log in)."""

    # No HistoricalRecords: the log of one upload; what it changed is in the history of the units,
    # people, users, roles and appointments it wrote.
    filename = models.CharField("nama berkas", max_length=255)
    file = models.FileField("berkas", upload_to="onboarding/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="diunggah oleh",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("dibuat pada", auto_now_add=True)
    applied_at = models.DateTimeField("diterapkan pada", null=True, blank=True)
    summary = models.JSONField("ringkasan", default=dict)
    new_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="pengguna baru", blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "orientasi (unggahan)"
        verbose_name_plural = "orientasi (unggahan)"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class OrganisationName(models.Model):
    """The name an organisation carried from a year on: the ministry (no unit), the directorate or
    a regional office. A document of a year prints the names in force that year, so a 2023 report
    keeps "Kementerian Hukum dan Hak Asasi Manusia" while a 2025 one carries the new ministry's."""

    unit = models.ForeignKey(
        Unit,
        verbose_name="unit kerja",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="names",
        help_text="Kosong: nama kementerian.",
    )
    valid_from = models.PositiveSmallIntegerField(
        "berlaku sejak tahun", validators=bounds.YEAR_VALIDATORS
    )
    name = models.CharField("nama", max_length=200)
    logo = models.ImageField(
        "lambang (logo)",
        upload_to="logo/",
        blank=True,
        help_text="Logo yang dicetak pada kop dokumen tahun itu (PNG atau JPEG; biasanya logo "
        "kementerian).",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "nama organisasi per periode"
        verbose_name_plural = "nama organisasi per periode"
        ordering = ["unit__path", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "valid_from"], name="organisation_name_once_per_year"
            ),
            models.UniqueConstraint(
                fields=["valid_from"],
                condition=models.Q(unit__isnull=True),
                name="ministry_name_once_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (sejak {self.valid_from})"
