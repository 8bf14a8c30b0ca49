"""The Renstra pages of a facility: its five-year plans, their medium-term targets per indicator
and year (edited on the page or from a workbook), revised with history."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kinerja.core.downloads import content_download
from kinerja.core.uploads import upload_problems
from kinerja.organizations.access import facility_or_404, may
from kinerja.planning import services
from kinerja.planning.forms import RenstraCreateForm, RenstraGridForm
from kinerja.planning.models import Renstra, RenstraTarget
from kinerja.planning.renstra_exchange import renstra_read, renstra_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
def renstra_list(request: HttpRequest, slug: str) -> HttpResponse:
    unit = facility_or_404(request, slug)
    can_change = may(request.user, unit, "change")
    form = RenstraCreateForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            unit = facility_or_404(request, slug, "change")  # 404 for a reader
        if form.is_valid():
            data = form.cleaned_data
            try:
                renstra = services.renstra_create(
                    unit=unit,
                    start_year=data["start_year"],
                    end_year=data["end_year"],
                    vision=data["vision"],
                    mission=data["mission"],
                    goals=data["goals"],
                    by=_me(request),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    f"Renstra {renstra.start_year}-{renstra.end_year} dibuat; isi target jangka "
                    "menengahnya.",
                )
                return redirect("renstra", slug=unit.slug, start=renstra.start_year)
    return render(
        request,
        "planning/renstra_list.html",
        {
            "unit": unit,
            "renstras": Renstra.objects.filter(unit=unit).order_by("-start_year"),
            "form": form,
            "can_change": can_change,
        },
        status=422 if form.errors else 200,
    )


def _renstra(request: HttpRequest, slug: str, start: int, action: str = "view"):
    unit = facility_or_404(request, slug, action)
    return unit, get_object_or_404(Renstra, unit=unit, start_year=start)


def _page(request, unit, renstra, form=None, problems=(), status=200) -> HttpResponse:
    indicators = services.renstra_indicators(renstra)
    values = {(t.indicator_id, t.year): t.value for t in renstra.targets.all()}
    form = form or RenstraGridForm(renstra=renstra, indicators=indicators, values=values)
    history = list(
        RenstraTarget.history.filter(renstra_id=renstra.pk)
        .select_related("history_user", "indicator")
        .order_by("-history_date")[:30]
    )
    return render(
        request,
        "planning/renstra.html",
        {
            "unit": unit,
            "renstra": renstra,
            "form": form,
            "can_change": may(request.user, unit, "change"),
            "problems": problems,
            "history": history,
        },
        status=status,
    )


@login_required
def renstra_page(request: HttpRequest, slug: str, start: int) -> HttpResponse:
    if request.method != "POST":
        unit, renstra = _renstra(request, slug, start)
        return _page(request, unit, renstra)
    unit, renstra = _renstra(request, slug, start, "change")
    indicators = services.renstra_indicators(renstra)
    values = {(t.indicator_id, t.year): t.value for t in renstra.targets.all()}
    form = RenstraGridForm(request.POST, renstra=renstra, indicators=indicators, values=values)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.renstra_revise(
                renstra=renstra,
                targets=form.targets(),
                vision=data["vision"],
                mission=data["mission"],
                goals=data["goals"],
                by=_me(request),
                reason=data["reason"] or "Diubah di halaman Renstra",
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Renstra disimpan: {changed} target berubah.")
            return redirect("renstra", slug=unit.slug, start=renstra.start_year)
    return _page(request, unit, renstra, form=form, status=422)


@login_required
def renstra_template_download(request: HttpRequest, slug: str, start: int) -> HttpResponse:
    unit, renstra = _renstra(request, slug, start)
    name = f"renstra-{unit.slug}-{renstra.start_year}-{renstra.end_year}.xlsx"
    return content_download(renstra_template(renstra), filename=name, content_type=XLSX)


@login_required
@require_POST
def renstra_upload(request: HttpRequest, slug: str, start: int) -> HttpResponse:
    unit, renstra = _renstra(request, slug, start, "change")
    refused = upload_problems(request)
    upload = request.FILES.get("file")
    if refused or upload is None:
        for message in refused or ["Pilih berkas Renstra yang sudah diisi dulu."]:
            messages.error(request, message)
        return redirect("renstra", slug=unit.slug, start=renstra.start_year)
    name = upload.name or "renstra.xlsx"
    targets, problems = renstra_read(renstra, upload.read(), name)
    if problems:
        return _page(request, unit, renstra, problems=problems, status=422)
    try:
        changed = services.renstra_revise(
            renstra=renstra, targets=targets, by=_me(request), reason=f"unggah {name}"[:100]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{name}: {changed} target berubah.")
    return redirect("renstra", slug=unit.slug, start=renstra.start_year)
