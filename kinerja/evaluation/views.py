"""The LKE pages: the worksheet of a facility-year (self-assessment for the facility, final
answers and recommendations for its evaluator or APIP auditor, follow-up for the facility), its
downloads, and the evidence files. Every view reads the unit through `facility_or_404` (an outsider
gets 404) and every write goes through `services`, which checks the role again."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kinerja.core.bounds import year_or_404
from kinerja.core.downloads import content_download, file_download
from kinerja.core.uploads import upload_problems
from kinerja.evaluation import exporters, selectors, services
from kinerja.evaluation.models import (
    AnswerFile,
    Component,
    Criterion,
    Evaluation,
    EvaluationStatus,
    FollowUp,
    Recommendation,
)
from kinerja.evaluation.prefill import propose
from kinerja.organizations.access import facility_or_404, may


def _page(slug: str, year: int, anchor: str = "") -> str:
    return reverse("lke", args=[slug, year]) + (f"#{anchor}" if anchor else "")


def _year(year: int) -> int:
    return year_or_404(str(year), 0)


@login_required
def lke_page(request, slug: str, year: int):
    unit = facility_or_404(request, slug)
    year = _year(year)
    sheet = selectors.sheet(unit, year)
    if sheet is None:
        raise Http404(f"Belum ada kerangka LKE untuk tahun {year}.")
    status = sheet.status
    can_change = may(request.user, unit, "change")
    can_evaluate = may(request.user, unit, "evaluate")
    return render(
        request,
        "evaluation/lke.html",
        {
            "unit": unit,
            "year": year,
            "sheet": sheet,
            "can_self": can_change and status == EvaluationStatus.DRAFT,
            "can_submit": may(request.user, unit, "sign") and status == EvaluationStatus.DRAFT,
            "can_evaluate": can_evaluate and status == EvaluationStatus.SUBMITTED,
            "can_follow_up": can_change and status == EvaluationStatus.FINAL,
            "show_final": status != EvaluationStatus.DRAFT or can_evaluate,
            "today": unit.local_today(),
            "components": [b.component for b in sheet.components],
        },
    )


def _evaluation(request, slug: str, year: int, action: str = "view") -> Evaluation:
    unit = facility_or_404(request, slug)
    evaluation = Evaluation.objects.filter(unit=unit, year=_year(year)).first()
    if evaluation is None:
        if action == "change" and may(request.user, unit, "change"):
            return services.evaluation_start(unit=unit, year=year, by=request.user)
        raise Http404("Evaluasi belum dimulai.")
    return evaluation


def _fail(request, exc: Exception) -> None:
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc) or "Anda tidak berwenang.")
    else:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)


@login_required
@require_POST
def lke_self_save(request, slug: str, year: int):
    try:
        evaluation = _evaluation(request, slug, year, "change")
        criteria = Criterion.objects.filter(sub__component__framework=evaluation.framework)
        take_all = request.POST.get("aksi") == "usulan"
        answers = {}
        prefilled = {}
        for k in criteria.only("id", "prefill"):
            if f"v-{k.id}" not in request.POST and not (take_all and k.prefill):
                continue
            value = request.POST.get(f"v-{k.id}", "")
            take = request.POST.get(f"t-{k.id}") == "1" or (
                take_all and not value and bool(k.prefill)
            )
            answers[k.id] = services.SelfInput(value, request.POST.get(f"n-{k.id}", ""), take)
            if take and k.prefill:
                prefilled[k.prefill] = True
        proposals = propose(evaluation.unit, evaluation.year, set(prefilled)) if prefilled else None
        changed = services.self_answers_save(
            evaluation=evaluation, answers=answers, proposals=proposals, by=request.user
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"{changed} jawaban disimpan.")
    return redirect(_page(slug, year))


@login_required
@require_POST
def lke_file_upload(request, slug: str, year: int, criterion_id: int):
    refused = upload_problems(request)
    try:
        evaluation = _evaluation(request, slug, year, "change")
        criterion = get_object_or_404(
            Criterion.objects.select_related("sub__component"),
            pk=criterion_id,
            sub__component__framework=evaluation.framework,
        )
        if refused:
            raise ValidationError(refused)
        upload = request.FILES.get("berkas")
        if upload is None:
            raise ValidationError("Pilih berkas PDF, JPG atau PNG.")
        services.answer_file_add(
            evaluation=evaluation,
            criterion=criterion,
            data=upload.read(),
            filename=upload.name,
            by=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"Data dukung {upload.name} ditambahkan.")
    return redirect(_page(slug, year, f"k{criterion_id}"))


@login_required
def lke_file(request, slug: str, file_id: int):
    unit = facility_or_404(request, slug)
    record = get_object_or_404(AnswerFile, pk=file_id, answer__evaluation__unit=unit)
    return file_download(
        record.file.open("rb"), filename=record.original_name, content_type=record.content_type
    )


@login_required
def follow_up_file(request, slug: str, follow_up_id: int):
    unit = facility_or_404(request, slug)
    record = get_object_or_404(
        FollowUp.objects.exclude(file=""), pk=follow_up_id, recommendation__evaluation__unit=unit
    )
    return file_download(record.file.open("rb"), filename=record.original_name or "tindak-lanjut")


@login_required
@require_POST
def lke_submit(request, slug: str, year: int):
    try:
        evaluation = _evaluation(request, slug, year)
        services.self_submit(evaluation=evaluation, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"Penilaian mandiri {year} diajukan kepada evaluator.")
    return redirect(_page(slug, year))


@login_required
@require_POST
def lke_final_save(request, slug: str, year: int):
    try:
        evaluation = _evaluation(request, slug, year)
        ids = Criterion.objects.filter(sub__component__framework=evaluation.framework).values_list(
            "id", flat=True
        )
        answers = {
            cid: services.FinalInput(
                request.POST.get(f"f-{cid}", ""), request.POST.get(f"fn-{cid}", "")
            )
            for cid in ids
            if f"f-{cid}" in request.POST
        }
        changed = services.final_answers_save(
            evaluation=evaluation, answers=answers, by=request.user
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"{changed} jawaban evaluator disimpan.")
    return redirect(_page(slug, year))


@login_required
@require_POST
def lke_finish(request, slug: str, year: int):
    try:
        evaluation = _evaluation(request, slug, year)
        evaluation = services.evaluation_finish(
            evaluation=evaluation,
            summary=request.POST.get("simpulan", ""),
            by=request.user,
            confirm_inconsistent=request.POST.get("konfirmasi") == "1",
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(
            request,
            f"Evaluasi {year} selesai: nilai {exporters.score_text(evaluation.score)}, "
            f"predikat {evaluation.grade}.",
        )
    return redirect(_page(slug, year))


@login_required
@require_POST
def lke_return(request, slug: str, year: int):
    try:
        evaluation = _evaluation(request, slug, year)
        services.evaluation_return(
            evaluation=evaluation, reason=request.POST.get("alasan", ""), by=request.user
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Penilaian mandiri dikembalikan kepada UPT.")
    return redirect(_page(slug, year))


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        raise ValidationError(f"Tanggal '{raw[:20]}' tidak dikenali (gunakan kalender).") from None


@login_required
@require_POST
def lke_recommend(request, slug: str, year: int):
    try:
        evaluation = _evaluation(request, slug, year)
        component = None
        raw = request.POST.get("komponen", "")
        if raw.isascii() and raw.isdigit() and len(raw) < 10:
            component = Component.objects.filter(
                pk=int(raw), framework=evaluation.framework
            ).first()
        services.recommendation_add(
            evaluation=evaluation,
            text=request.POST.get("rekomendasi", ""),
            deadline=_date(request.POST.get("batas", "")),
            component=component,
            by=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Rekomendasi ditambahkan.")
    return redirect(_page(slug, year, "rekomendasi"))


@login_required
@require_POST
def lke_follow_up(request, slug: str, year: int, recommendation_id: int):
    refused = upload_problems(request)
    try:
        evaluation = _evaluation(request, slug, year)
        recommendation = get_object_or_404(
            Recommendation, pk=recommendation_id, evaluation=evaluation
        )
        if refused:
            raise ValidationError(refused)
        upload = request.FILES.get("berkas")
        services.follow_up_add(
            recommendation=recommendation,
            text=request.POST.get("tindak_lanjut", ""),
            done=request.POST.get("selesai") == "1",
            by=request.user,
            data=upload.read() if upload else None,
            filename=upload.name if upload else "",
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Tindak lanjut dicatat.")
    return redirect(_page(slug, year, "rekomendasi"))


@login_required
def lke_download(request, slug: str, year: int, fmt: str):
    unit = facility_or_404(request, slug)
    if fmt not in exporters.FORMATS:
        raise Http404("Format tidak dikenal.")
    sheet = selectors.sheet(unit, _year(year))
    if sheet is None:
        raise Http404("Belum ada kerangka LKE untuk tahun ini.")
    export = exporters.export(sheet, fmt)
    return content_download(export.content, filename=export.filename, content_type=export.mimetype)
