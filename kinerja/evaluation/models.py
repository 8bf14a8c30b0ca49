"""The AKIP evaluation (Evaluasi AKIP, Lembar Kerja Evaluasi / LKE, PermenPAN-RB 88/2021).

The framework is data: a `Framework` (one regulation's version) with its components,
sub-components and criteria, answer scales and grade bands, loaded from a data file and edited by
the national administrator. An `Evaluation` of a facility-year keeps the framework it started with,
so a new regulation never changes an old score. Per criterion an `Answer` holds the facility's own
answer (self-assessment) and the evaluator's final answer; `Recommendation`s carry a deadline and
the facility's `FollowUp`s. A submitted self-assessment and a finished evaluation are locked in the
models and by database triggers (migration 0002), like a quarter."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from kinerja.core.history_records import HistoricalRecords
from kinerja.core.locks import LockRefused
from kinerja.organizations.models import Unit


class EvaluationLocked(LockRefused):
    """A write to a submitted self-assessment or a finished evaluation."""


class FrameworkInUse(LockRefused):
    """A change to a framework that a submitted or finished evaluation is scored by."""


class Aspect(models.TextChoices):
    EXISTENCE = "keberadaan", "Keberadaan"
    QUALITY = "kualitas", "Kualitas"
    USE = "pemanfaatan", "Pemanfaatan"


class Framework(models.Model):
    """Kerangka LKE: one regulation's evaluation worksheet (a new regulation is a new version;
    evaluations keep the version they started with). `scales` maps a scale's code to its answers
    ([{code, value, label}], values 0-1 as text); `grades` the bands ([{code, above, label}])."""

    code = models.SlugField("kode", max_length=60, unique=True)
    name = models.CharField("nama", max_length=200)
    regulation = models.TextField("dasar peraturan")
    year_from = models.PositiveSmallIntegerField(
        "berlaku mulai tahun", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    year_to = models.PositiveSmallIntegerField(
        "berlaku sampai tahun",
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    scales = models.JSONField("skala jawaban", default=dict)
    grades = models.JSONField("predikat", default=list)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kerangka LKE"
        verbose_name_plural = "kerangka LKE"
        ordering = ["-year_from"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and self.in_use():
            old = Framework.objects.filter(pk=self.pk).values("scales", "grades").first()
            if old and (old["scales"] != self.scales or old["grades"] != self.grades):
                raise FrameworkInUse(
                    f"Skala jawaban dan predikat {self.name} tidak dapat diubah: sudah dipakai "
                    "evaluasi yang diajukan atau selesai. Buat kerangka versi baru."
                )
        super().save(*args, **kwargs)

    def in_use(self) -> bool:
        return self.evaluations.exclude(status=EvaluationStatus.DRAFT).exists()


class _FrameworkPart(models.Model):
    """A part of a framework: refused once a submitted or finished evaluation scores by it."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._refuse_if_used()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._refuse_if_used()
        return super().delete(*args, **kwargs)

    def _framework(self) -> Framework:
        raise NotImplementedError

    def _refuse_if_used(self) -> None:
        framework = self._framework()
        if framework.pk and framework.in_use():
            raise FrameworkInUse(
                f"{framework.name} sudah dipakai evaluasi yang diajukan atau selesai; komponen, "
                "subkomponen, kriteria dan bobotnya tidak dapat diubah. Buat kerangka versi baru."
            )


WEIGHT = {"max_digits": 7, "decimal_places": 4, "validators": [MinValueValidator(Decimal(0))]}


class Component(_FrameworkPart):
    """Komponen LKE (Perencanaan Kinerja 30, Pengukuran Kinerja 30, …)."""

    framework = models.ForeignKey(
        Framework, verbose_name="kerangka", on_delete=models.CASCADE, related_name="components"
    )
    number = models.PositiveSmallIntegerField("nomor")
    name = models.CharField("nama", max_length=200)
    weight = models.DecimalField("bobot", **WEIGHT)  # type: ignore[arg-type]
    history = HistoricalRecords()

    class Meta:
        verbose_name = "komponen LKE"
        verbose_name_plural = "komponen LKE"
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="lke_component_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def _framework(self) -> Framework:
        return self.framework

    @property
    def key(self) -> str:
        return str(self.number)


class SubComponent(_FrameworkPart):
    """Subkomponen LKE: existence (keberadaan), quality (kualitas) or use (pemanfaatan)."""

    component = models.ForeignKey(
        Component, verbose_name="komponen", on_delete=models.CASCADE, related_name="subs"
    )
    number = models.PositiveSmallIntegerField("nomor")
    aspect = models.CharField("aspek", max_length=12, choices=Aspect.choices)
    name = models.TextField("nama")
    weight = models.DecimalField("bobot", **WEIGHT)  # type: ignore[arg-type]
    history = HistoricalRecords()

    class Meta:
        verbose_name = "subkomponen LKE"
        verbose_name_plural = "subkomponen LKE"
        ordering = ["component", "number"]
        constraints = [models.UniqueConstraint(fields=["component", "number"], name="lke_sub_once")]

    def __str__(self) -> str:
        return f"{self.key} {self.name[:60]}"

    def _framework(self) -> Framework:
        return self.component.framework

    @property
    def key(self) -> str:
        return f"{self.component.number}.{self.number}"


class Criterion(_FrameworkPart):
    """Kriteria LKE: one question with its answer scale, relative weight, the criterion it rests on
    (it cannot be answered higher), and the pre-fill rule that answers it from Kinerja's data."""

    sub = models.ForeignKey(
        SubComponent, verbose_name="subkomponen", on_delete=models.CASCADE, related_name="criteria"
    )
    number = models.PositiveSmallIntegerField("nomor")
    text = models.TextField("kriteria")
    scale = models.CharField("skala jawaban", max_length=10, default="AE")
    weight = models.DecimalField("bobot relatif", default=Decimal(1), **WEIGHT)  # type: ignore[arg-type]
    depends_on = models.ForeignKey(
        "self",
        verbose_name="bergantung pada",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prefill = models.CharField("aturan isian otomatis", max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kriteria LKE"
        verbose_name_plural = "kriteria LKE"
        ordering = ["sub", "number"]
        constraints = [models.UniqueConstraint(fields=["sub", "number"], name="lke_criterion_once")]

    def __str__(self) -> str:
        return f"{self.key} {self.text[:60]}"

    def _framework(self) -> Framework:
        return self.sub.component.framework

    @property
    def key(self) -> str:
        return f"{self.sub.component.number}.{self.sub.number}.{self.number}"


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", "Penilaian mandiri (draf)"
    SUBMITTED = "submitted", "Diajukan kepada evaluator"
    FINAL = "final", "Selesai dievaluasi"


class EvaluationQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> EvaluationQuerySet:
        return self.filter(unit__in=Unit.objects.restrict(user, action))


class Evaluation(models.Model):
    """Evaluasi AKIP of a facility for a year: the self-assessment (draft, then submitted by the
    head) and the evaluator's final answers, score and grade (finished). The score and grade are
    kept as they were when it was finished."""

    unit = models.ForeignKey(
        Unit, verbose_name="unit kerja", on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField("tahun dievaluasi")
    framework = models.ForeignKey(
        Framework, verbose_name="kerangka", on_delete=models.PROTECT, related_name="evaluations"
    )
    status = models.CharField(
        "status", max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="diajukan oleh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("diajukan pada", null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="dievaluasi oleh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finished_at = models.DateTimeField("selesai pada", null=True, blank=True)
    score = models.DecimalField("nilai", max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField("predikat", max_length=4, blank=True)
    summary = models.TextField("simpulan evaluator", blank=True)
    history = HistoricalRecords()

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "evaluasi AKIP"
        verbose_name_plural = "evaluasi AKIP"
        ordering = ["unit", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="lke_once_a_year")]

    def __str__(self) -> str:
        return f"Evaluasi AKIP {self.unit} {self.year}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            stored = Evaluation.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == EvaluationStatus.FINAL:
                raise EvaluationLocked("Evaluasi AKIP sudah selesai; nilainya tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.status != EvaluationStatus.DRAFT:
            raise EvaluationLocked("Evaluasi yang sudah diajukan atau selesai tidak dapat dihapus.")
        return super().delete(*args, **kwargs)


SELF_FIELDS = ("self_value", "self_note", "self_links")
FINAL_FIELDS = ("final_value", "final_note")


class Answer(models.Model):
    """Jawaban per kriteria: the facility's answer with its explanation and the links to Kinerja's
    records it cites (self-assessment), and the evaluator's final answer with a note."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="evaluasi", on_delete=models.CASCADE, related_name="answers"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="kriteria", on_delete=models.PROTECT, related_name="+"
    )
    self_value = models.CharField("jawaban mandiri", max_length=4, blank=True)
    self_note = models.TextField("penjelasan", blank=True)
    # [{"label": …, "url": …}]: records of Kinerja cited as evidence (from the pre-fill).
    self_links = models.JSONField("tautan data dukung", default=list, blank=True)
    # The pre-fill's proposal the facility took (code and reasons), to show later what changed.
    proposal_taken = models.JSONField("usulan otomatis yang dipakai", null=True, blank=True)
    final_value = models.CharField("jawaban evaluator", max_length=4, blank=True)
    final_note = models.TextField("catatan evaluator", blank=True)
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
        verbose_name = "jawaban LKE"
        verbose_name_plural = "jawaban LKE"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="lke_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.criterion_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        status = (
            Evaluation.objects.filter(pk=self.evaluation_id)
            .values_list("status", flat=True)
            .first()
        )
        if status == EvaluationStatus.FINAL:
            raise EvaluationLocked("Evaluasi sudah selesai; jawabannya tidak dapat diubah.")
        if status == EvaluationStatus.SUBMITTED:
            old = (
                Answer.objects.filter(pk=self.pk).values(*SELF_FIELDS).first() if self.pk else None
            )
            if old is None or any(old[f] != getattr(self, f) for f in SELF_FIELDS):
                raise EvaluationLocked(
                    "Penilaian mandiri sudah diajukan; jawaban UPT tidak dapat diubah."
                )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise EvaluationLocked("Jawaban LKE tidak dihapus; ubah jawabannya selama masih terbuka.")


class AnswerFile(models.Model):
    """An uploaded evidence file (PDF, JPG, PNG; the same checks as the quarter's evidence)."""

    answer = models.ForeignKey(
        Answer, verbose_name="jawaban", on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField("berkas", upload_to="lke/%Y/%m/")
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
    uploaded_at = models.DateTimeField("diunggah pada", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "data dukung LKE"
        verbose_name_plural = "data dukung LKE"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise EvaluationLocked("Data dukung LKE tidak dihapus.")


class Recommendation(models.Model):
    """Rekomendasi of an evaluation, with the deadline for its follow-up (tindak lanjut)."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name="evaluasi",
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    component = models.ForeignKey(
        Component,
        verbose_name="komponen",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField("rekomendasi")
    deadline = models.DateField("batas waktu tindak lanjut")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="oleh", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("pada", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rekomendasi LKE"
        verbose_name_plural = "rekomendasi LKE"
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args: Any, **kwargs: Any) -> None:
        status = (
            Evaluation.objects.filter(pk=self.evaluation_id)
            .values_list("status", flat=True)
            .first()
        )
        if status == EvaluationStatus.FINAL:
            raise EvaluationLocked("Evaluasi sudah selesai; rekomendasinya tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise EvaluationLocked("Rekomendasi tidak dihapus.")

    @property
    def done(self) -> bool:
        """A follow-up said it is finished (read from the prefetched follow-ups)."""
        return any(f.done for f in self.follow_ups.all())


class FollowUp(models.Model):
    """Tindak lanjut of a recommendation by the facility, with an optional evidence file."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name="rekomendasi",
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    text = models.TextField("tindak lanjut")
    done = models.BooleanField("selesai ditindaklanjuti", default=False)
    file = models.FileField("berkas", upload_to="lke/%Y/%m/", blank=True)
    original_name = models.CharField("nama berkas", max_length=255, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="oleh", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("pada", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "tindak lanjut rekomendasi"
        verbose_name_plural = "tindak lanjut rekomendasi"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise EvaluationLocked("Tindak lanjut tidak dihapus.")
