"""Writing an evaluation: the facility's self-assessment (answers, explanations, links, files;
submitted by the head), the evaluator's final answers and finish (score and grade from calc), the
recommendations and their follow-ups. Every write checks the user's right on the unit, the
evaluation's status (the models and the database triggers hold the same locks) and its bounds, and
keeps history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kinerja import calc
from kinerja.core.filecheck import image_problem, pdf_problem
from kinerja.core.formatting import format_date, format_number
from kinerja.evaluation import selectors
from kinerja.evaluation.models import (
    Answer,
    AnswerFile,
    Component,
    Criterion,
    Evaluation,
    EvaluationStatus,
    FollowUp,
    Recommendation,
)
from kinerja.evaluation.prefill import Proposal
from kinerja.measurement.services import sniff_type
from kinerja.organizations.access import may
from kinerja.organizations.models import Unit

MAX_NOTE = 5000  # characters of an explanation, a note, a recommendation or a follow-up
AnyUser = User | AnonymousUser | None


@dataclass(frozen=True)
class SelfInput:
    value: str  # a code of the criterion's scale, or "" (not answered)
    note: str
    take_proposal: bool = False  # cite the pre-fill's reasons and links as the evidence


@dataclass(frozen=True)
class FinalInput:
    value: str
    note: str


def _require(user: AnyUser, unit: Unit, action: str, what: str) -> None:
    if not may(user, unit, action):
        raise PermissionDenied(what)


def _text(value: str, label: str, key: str = "") -> str:
    value = (value or "").strip()
    if len(value) > MAX_NOTE:
        where = f"Kriteria {key}: " if key else ""
        raise ValidationError(
            f"{where}{label} terlalu panjang ({format_number(len(value), 0)} karakter; "
            f"paling banyak {format_number(MAX_NOTE, 0)})."
        )
    return value


def _locked_for_update(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update()
        .select_related("unit", "framework")
        .get(pk=evaluation.pk)
    )


@transaction.atomic
def evaluation_start(*, unit: Unit, year: int, by: AnyUser) -> Evaluation:
    """The facility-year's evaluation, created with the framework in force for the year."""
    _require(by, unit, "change", "Hanya operator atau kepala UPT yang mengisi penilaian mandiri.")
    # One at a time per facility: two first saves at once never meet the unique constraint.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    existing = Evaluation.objects.filter(unit=unit, year=year).first()
    if existing:
        return existing
    framework = selectors.framework_for(year)
    if framework is None:
        raise ValidationError(f"Belum ada kerangka LKE yang berlaku untuk tahun {year}.")
    return Evaluation.objects.create(unit=unit, year=year, framework=framework)


def _criteria(evaluation: Evaluation) -> dict[int, Criterion]:
    return {
        k.id: k
        for k in Criterion.objects.filter(
            sub__component__framework=evaluation.framework
        ).select_related("sub__component")
    }


def _key(k: Criterion) -> str:
    return f"{k.sub.component.number}.{k.sub.number}.{k.number}"


def _code(evaluation: Evaluation, k: Criterion, value: str) -> str:
    value = (value or "").strip().upper()
    allowed = [a["code"] for a in evaluation.framework.scales.get(k.scale, [])]
    if value and value not in allowed:
        raise ValidationError(
            f"Kriteria {_key(k)}: jawaban '{value[:10]}' tidak ada pada skalanya "
            f"({'/'.join(allowed)})."
        )
    return value


@transaction.atomic
def self_answers_save(
    *,
    evaluation: Evaluation,
    answers: Mapping[int, SelfInput],
    proposals: Mapping[str, Proposal] | None = None,
    by: AnyUser,
) -> int:
    """Save the facility's answers (criterion id -> input), all or nothing; returns how many
    changed. Taking a proposal cites its reasons and links and remembers it, so that a later
    change in the data is shown beside the answer instead of replacing it."""
    evaluation = _locked_for_update(evaluation)
    _require(
        by,
        evaluation.unit,
        "change",
        "Hanya operator atau kepala UPT yang mengisi penilaian mandiri.",
    )
    if evaluation.status != EvaluationStatus.DRAFT:
        raise ValidationError(
            f"Penilaian mandiri {evaluation.year} berstatus {evaluation.get_status_display()}; "
            "jawaban tidak dapat diubah."
        )
    criteria = _criteria(evaluation)
    existing = {a.criterion_id: a for a in evaluation.answers.all()}
    problems: list[str] = []
    changed = 0
    prepared = []
    for criterion_id, given in answers.items():
        k = criteria.get(criterion_id)
        if k is None:
            problems.append(f"Kriteria {criterion_id} bukan bagian dari kerangka evaluasi ini.")
            continue
        try:
            value = _code(evaluation, k, given.value)
            note = _text(given.note, "Penjelasan", _key(k))
        except ValidationError as exc:
            problems.extend(exc.messages)
            continue
        prepared.append((k, value, note, given.take_proposal))
    if problems:
        raise ValidationError(problems)
    for k, value, note, take in prepared:
        answer = existing.get(k.id) or Answer(evaluation=evaluation, criterion=k)
        links = answer.self_links
        taken = answer.proposal_taken
        if take and proposals and k.prefill and proposals.get(k.prefill) is not None:
            proposal = proposals[k.prefill]
            if proposal.automatic:
                value = value or proposal.code or ""
                links = [link.as_dict() for link in proposal.links]
                taken = proposal.as_dict()
                if not note:
                    note = " ".join(proposal.reasons)
        if answer.pk is None and not (value or note or links):
            continue  # nothing to record for a criterion left blank
        if (
            answer.pk
            and answer.self_value == value
            and answer.self_note == note
            and answer.self_links == links
            and answer.proposal_taken == taken
        ):
            continue
        answer.self_value, answer.self_note = value, note
        answer.self_links, answer.proposal_taken = links, taken
        answer.updated_by = by if isinstance(by, User) else None
        answer.save()
        changed += 1
    return changed


@transaction.atomic
def answer_file_add(
    *, evaluation: Evaluation, criterion: Criterion, data: bytes, filename: str, by: AnyUser
) -> AnswerFile:
    """Attach a PDF, JPG or PNG to a criterion's self-assessment (the checks of quarter evidence)."""
    evaluation = _locked_for_update(evaluation)
    _require(
        by, evaluation.unit, "change", "Hanya operator atau kepala UPT yang menambah data dukung."
    )
    if evaluation.status != EvaluationStatus.DRAFT:
        raise ValidationError("Penilaian mandiri sudah diajukan; data dukung tidak dapat ditambah.")
    if criterion.sub.component.framework_id != evaluation.framework_id:
        raise ValidationError("Kriteria bukan bagian dari kerangka evaluasi ini.")
    limit = settings.KINERJA_EVIDENCE_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(
            f"Berkas {filename} berukuran {format_number(Decimal(len(data)) / 1048576, 1)} MB; "
            f"batasnya {format_number(Decimal(limit // 1048576), 0)} MB."
        )
    kind = sniff_type(data[:16])
    if kind is None:
        raise ValidationError(
            f"Berkas {filename} bukan PDF, JPG atau PNG menurut isinya; tidak diterima."
        )
    problem = (
        pdf_problem(data, filename)
        if kind[0] == "application/pdf"
        else image_problem(data, filename, kind[0])
    )
    if problem:
        raise ValidationError(problem)
    answer = Answer.objects.filter(evaluation=evaluation, criterion=criterion).first()
    if answer is None:
        answer = Answer(evaluation=evaluation, criterion=criterion)
        answer.updated_by = by if isinstance(by, User) else None
        answer.save()
    stem = Path(filename).stem[:100] or "data-dukung"
    record = AnswerFile(
        answer=answer,
        original_name=filename[:255],
        content_type=kind[0],
        size=len(data),
        uploaded_by=by if isinstance(by, User) else None,
    )
    record.file.save(f"{stem}{kind[1]}", ContentFile(data), save=False)
    record.save()
    return record


def _unanswered(evaluation: Evaluation, field: str) -> list[str]:
    answered = set(evaluation.answers.exclude(**{field: ""}).values_list("criterion_id", flat=True))
    return [_key(k) for cid, k in _criteria(evaluation).items() if cid not in answered]


def _keys_text(keys: list[str]) -> str:
    keys = sorted(keys, key=lambda k: [int(p) for p in k.split(".")])
    shown = ", ".join(keys[:12])
    return shown + (f" dan {len(keys) - 12} lainnya" if len(keys) > 12 else "")


@transaction.atomic
def self_submit(*, evaluation: Evaluation, by: AnyUser) -> Evaluation:
    """The head submits the self-assessment to the evaluator; every criterion must be answered."""
    evaluation = _locked_for_update(evaluation)
    _require(by, evaluation.unit, "sign", "Hanya kepala UPT yang mengajukan penilaian mandiri.")
    if evaluation.status != EvaluationStatus.DRAFT:
        raise ValidationError(f"Penilaian mandiri sudah {evaluation.get_status_display().lower()}.")
    missing = _unanswered(evaluation, "self_value")
    if missing:
        raise ValidationError(
            f"{len(missing)} kriteria belum dijawab: {_keys_text(missing)}. "
            "Jawab semua kriteria sebelum mengajukan."
        )
    evaluation.status = EvaluationStatus.SUBMITTED
    evaluation.submitted_by = by if isinstance(by, User) else None
    evaluation.submitted_at = timezone.now()
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_return(*, evaluation: Evaluation, reason: str, by: AnyUser) -> Evaluation:
    """The evaluator sends a submitted self-assessment back to the facility, with the reason."""
    evaluation = _locked_for_update(evaluation)
    _require(by, evaluation.unit, "evaluate", "Hanya evaluator yang dapat mengembalikan.")
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise ValidationError("Hanya penilaian mandiri yang sudah diajukan dapat dikembalikan.")
    reason = _text(reason, "Alasan")
    if not reason:
        raise ValidationError("Tuliskan alasan pengembalian.")
    evaluation.status = EvaluationStatus.DRAFT
    evaluation._change_reason = f"dikembalikan: {reason}"  # type: ignore[attr-defined]
    evaluation.save()
    return evaluation


def _evaluator_open(evaluation: Evaluation, by: AnyUser) -> Evaluation:
    evaluation = _locked_for_update(evaluation)
    _require(
        by,
        evaluation.unit,
        "evaluate",
        "Hanya evaluator Kanwil atau auditor APIP unit ini yang menilai.",
    )
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise ValidationError(
            f"Evaluasi {evaluation.year} berstatus {evaluation.get_status_display()}; "
            "penilaian evaluator hanya untuk penilaian mandiri yang sudah diajukan."
        )
    return evaluation


@transaction.atomic
def final_answers_save(
    *, evaluation: Evaluation, answers: Mapping[int, FinalInput], by: AnyUser
) -> int:
    """The evaluator's final answers with notes, all or nothing; returns how many changed."""
    evaluation = _evaluator_open(evaluation, by)
    criteria = _criteria(evaluation)
    existing = {a.criterion_id: a for a in evaluation.answers.all()}
    problems: list[str] = []
    prepared = []
    for criterion_id, given in answers.items():
        k = criteria.get(criterion_id)
        answer = existing.get(criterion_id)
        if k is None or answer is None:
            problems.append(f"Kriteria {criterion_id} tidak ada pada penilaian mandiri ini.")
            continue
        try:
            prepared.append(
                (answer, _code(evaluation, k, given.value), _text(given.note, "Catatan", _key(k)))
            )
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError(problems)
    changed = 0
    for answer, value, note in prepared:
        if answer.final_value == value and answer.final_note == note:
            continue
        answer.final_value, answer.final_note = value, note
        answer.updated_by = by if isinstance(by, User) else None
        answer.save()
        changed += 1
    return changed


@transaction.atomic
def evaluation_finish(
    *, evaluation: Evaluation, summary: str, by: AnyUser, confirm_inconsistent: bool = False
) -> Evaluation:
    """Finish: every criterion has a final answer; the score and grade (calc) are kept; the
    evaluation is locked. Answers that contradict the LKE's logic must be confirmed."""
    evaluation = _evaluator_open(evaluation, by)
    missing = _unanswered(evaluation, "final_value")
    if missing:
        raise ValidationError(
            f"{len(missing)} kriteria belum diberi jawaban evaluator: {_keys_text(missing)}."
        )
    sheet = selectors.sheet(evaluation.unit, evaluation.year, prefill=False)
    assert sheet is not None
    if sheet.final_flags and not confirm_inconsistent:
        raise ValidationError(
            ["Jawaban evaluator tidak konsisten:"] + [message for _, message in sheet.final_flags],
            code="inconsistent",
        )
    score = sheet.final_score
    evaluation.summary = _text(summary, "Simpulan")
    evaluation.score = score.shown
    evaluation.grade = score.grade.code if score.grade else ""
    evaluation.status = EvaluationStatus.FINAL
    evaluation.finished_by = by if isinstance(by, User) else None
    evaluation.finished_at = timezone.now()
    evaluation.save()
    return evaluation


def _deadline(value: dt.date | None, evaluation: Evaluation) -> dt.date:
    if value is None:
        raise ValidationError("Isi batas waktu tindak lanjut.")
    today = evaluation.unit.local_today()
    if value < today:
        raise ValidationError(f"Batas waktu {format_date(value)} sudah lewat.")
    if value.year > today.year + 3:
        raise ValidationError(f"Batas waktu paling lambat tahun {today.year + 3}.")
    return value


@transaction.atomic
def recommendation_add(
    *,
    evaluation: Evaluation,
    text: str,
    deadline: dt.date | None,
    component: Component | None = None,
    by: AnyUser,
) -> Recommendation:
    """A recommendation of the evaluator with the deadline for its follow-up."""
    evaluation = _evaluator_open(evaluation, by)
    text = _text(text, "Rekomendasi")
    if not text:
        raise ValidationError("Tuliskan rekomendasinya.")
    if component is not None and component.framework_id != evaluation.framework_id:
        raise ValidationError("Komponen bukan bagian dari kerangka evaluasi ini.")
    assert isinstance(by, User)
    return Recommendation.objects.create(
        evaluation=evaluation,
        component=component,
        text=text,
        deadline=_deadline(deadline, evaluation),
        by=by,
    )


@transaction.atomic
def follow_up_add(
    *,
    recommendation: Recommendation,
    text: str,
    done: bool,
    by: AnyUser,
    data: bytes | None = None,
    filename: str = "",
) -> FollowUp:
    """The facility's follow-up of a finished evaluation's recommendation, with optional evidence."""
    evaluation = Evaluation.objects.select_related("unit").get(pk=recommendation.evaluation_id)
    _require(
        by, evaluation.unit, "change", "Hanya operator atau kepala UPT yang mencatat tindak lanjut."
    )
    if evaluation.status != EvaluationStatus.FINAL:
        raise ValidationError("Tindak lanjut dicatat setelah evaluasi selesai.")
    text = _text(text, "Tindak lanjut")
    if not text:
        raise ValidationError("Tuliskan tindak lanjutnya.")
    assert isinstance(by, User)
    follow_up = FollowUp(recommendation=recommendation, text=text, done=done, by=by)
    if data:
        kind = sniff_type(data[:16])
        if kind is None:
            raise ValidationError(
                f"Berkas {filename} bukan PDF, JPG atau PNG menurut isinya; tidak diterima."
            )
        if len(data) > settings.KINERJA_EVIDENCE_MAX_BYTES:
            raise ValidationError(f"Berkas {filename} terlalu besar.")
        problem = (
            pdf_problem(data, filename)
            if kind[0] == "application/pdf"
            else image_problem(data, filename, kind[0])
        )
        if problem:
            raise ValidationError(problem)
        follow_up.original_name = filename[:255]
        follow_up.file.save(
            f"{Path(filename).stem[:100] or 'tindak-lanjut'}{kind[1]}",
            ContentFile(data),
            save=False,
        )
    follow_up.save()
    return follow_up


def overdue_recommendations(units: Any, today: dt.date) -> Any:
    """Recommendations of finished evaluations past their deadline without a finished follow-up,
    for these units (a queryset of Unit ids)."""
    return (
        Recommendation.objects.filter(
            evaluation__unit__in=units,
            evaluation__status=EvaluationStatus.FINAL,
            deadline__lt=today,
        )
        .exclude(follow_ups__done=True)
        .select_related("evaluation__unit")
    )


@transaction.atomic
def framework_sync(*, data: dict[str, Any]) -> Any:
    """Write a framework from its data (a file naming the regulation): a new code is a new version;
    the same code rewrites it only while no submitted or finished evaluation uses it. The weights
    must add up (calc.lke_weight_problems) or nothing is written."""
    from kinerja.evaluation import framework as framework_file
    from kinerja.evaluation.models import Framework, SubComponent

    existing = Framework.objects.filter(code=data.get("code", "")).first()
    if existing is not None and existing.in_use():
        raise ValidationError(
            f"Kerangka {existing.code} sudah dipakai evaluasi yang diajukan atau selesai; "
            "beri kode baru untuk versi baru."
        )
    try:
        written = framework_file.write(
            data,
            {
                "Framework": Framework,
                "Component": Component,
                "SubComponent": SubComponent,
                "Criterion": Criterion,
            },
        )
    except (KeyError, TypeError, ArithmeticError, ValueError) as exc:
        raise ValidationError(f"Berkas kerangka tidak lengkap atau salah: {exc!r}.") from exc
    problems = calc.lke_weight_problems(selectors.framework_components(written))
    if problems:
        raise ValidationError(problems)
    return written


def framework_ensure() -> None:
    """The shipped framework (migration 0003 loads it), loaded again when it is missing: a database
    emptied table by table (a test's flush) or restored from a dump without it."""
    from kinerja.evaluation import framework as framework_file
    from kinerja.evaluation.models import Framework

    data = framework_file.read()
    if not Framework.objects.filter(code=data["code"]).exists():
        framework_sync(data=data)
