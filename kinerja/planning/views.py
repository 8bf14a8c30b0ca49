from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinerja.core.bounds import year_or_404
from kinerja.core.changes import change_log
from kinerja.indicators.models import LEVEL_SHORT, Level, level_rank
from kinerja.organizations.access import facility_or_404, may
from kinerja.organizations.models import Unit
from kinerja.organizations.selectors import head_of_record
from kinerja.planning import selectors, services
from kinerja.planning.forms import (
    ActionPlanForm,
    BudgetFormSet,
    PKCreateForm,
    PKHeaderForm,
    RevisionForm,
    TargetsForm,
)
from kinerja.planning.models import PerjanjianKinerja, PKFrozenError, PKIndicator


def _agreement(unit: Unit, year: int) -> PerjanjianKinerja:
    agreement = PerjanjianKinerja.objects.latest_for(unit, year)
    if agreement is None:
        raise Http404("Perjanjian Kinerja tidak ditemukan.")
    return agreement


def heads_of_record(unit: Unit, year: int) -> dict:
    """Initial parties of a new PK: the facility head and the regional head on 1 January."""
    initial = {}
    for prefix, holder in (("first_party", unit), ("second_party", unit.parent)):
        appointment = head_of_record(holder, year) if holder else None
        if appointment:
            initial[prefix] = appointment.person
            initial[f"{prefix}_title"] = appointment.title
    return initial


def _error_messages(exc: ValidationError) -> list[str]:
    return [m for m in exc.messages]


@login_required
def unit_detail(request, slug: str):
    unit = facility_or_404(request, slug)
    years = sorted(
        set(PerjanjianKinerja.objects.filter(unit=unit).values_list("year", flat=True)),
        reverse=True,
    )
    year = year_or_404(request.GET.get("tahun"), years[0] if years else timezone.localdate().year)
    agreement = PerjanjianKinerja.objects.latest_for(unit, year)
    # The nearest earlier year with a PK, to start this year's from (when there is none yet), and
    # whether the year after this one can be started from this one.
    earlier = [y for y in years if y < year]
    context = {
        "unit": unit,
        "year": year,
        "years": years,
        "start_from": earlier[0] if agreement is None and earlier else None,
        "next_year": year + 1 if agreement and year + 1 not in years else None,
        "agreement": agreement,
        "can_change": may(request.user, unit, "change"),
        "can_sign": may(request.user, unit, "sign"),
    }
    if agreement:
        # The budget table once, for the page and for what keeps the PK from being signed.
        prefetch_related_objects([agreement], "budget_items")
        plan_rows, total_pagu, total_rpd = selectors.action_plan(agreement)
        context.update(
            tables=selectors.agreement_tables(agreement),
            plan_rows=plan_rows,
            total_pagu=total_pagu,
            total_rpd=total_rpd,
            budget_items=agreement.budget_items.all(),
            sign_problems=services.pk_sign_problems(agreement) if not agreement.is_frozen else [],
            # Read only where the page names who signs (an operator's view of a draft).
            head_names=functools.partial(selectors.head_user_names, unit),
            older_versions=PerjanjianKinerja.objects.filter(unit=unit, year=year)
            .exclude(pk=agreement.pk)
            .order_by("-revision"),
            revision_form=RevisionForm(),
            # The PK header's own history (revisions, signing, status), newest first.
            pk_history=change_log(unit, year, models_only={"PerjanjianKinerja"})[:10],
        )
    return render(request, "planning/unit_detail.html", context)


@login_required
def pk_create(request, slug: str):
    unit = facility_or_404(request, slug, "change")
    form = PKCreateForm(
        request.POST or None,
        unit=unit,
        initial=heads_of_record(unit, timezone.localdate().year)
        | {"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.pk_create(
                unit=unit,
                year=data["year"],
                place=data["place"],
                signed_on=data["signed_on"],
                first_party=data["first_party"],
                first_party_title=data["first_party_title"],
                second_party=data["second_party"],
                second_party_title=data["second_party_title"],
            )
        except ValidationError as exc:
            for message in _error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(
                request, f"Draf Perjanjian Kinerja {agreement.year} dibuat. Isi targetnya."
            )
            return redirect("pk_edit", slug=unit.slug, year=agreement.year)
    return render(request, "planning/pk_create.html", {"unit": unit, "form": form})


@login_required
def pk_edit(request, slug: str, year: int):
    unit = facility_or_404(request, slug, "change")
    agreement = _agreement(unit, year)
    if agreement.is_frozen:
        messages.error(request, str(PKFrozenError(agreement)))
        return redirect(f"{reverse('unit_detail', args=[unit.slug])}?tahun={year}")
    rows = agreement.indicators.select_related("indicator", "goal").order_by(
        level_rank("goal__level"), "goal__number", "number"
    )
    budget_initial = [
        {"kind": b.kind, "name": b.name, "amount": b.amount} for b in agreement.budget_items.all()
    ]
    post = request.POST if request.method == "POST" else None
    header = PKHeaderForm(post, instance=agreement, unit=unit, prefix="pk")
    targets = TargetsForm(post, rows=rows, prefix="t")
    budget = BudgetFormSet(post, initial=budget_initial, prefix="budget")
    if post is not None and header.is_valid() and targets.is_valid() and budget.is_valid():
        lines = [
            services.BudgetLine(kind=f["kind"], name=f["name"], amount=f["amount"])
            for f in budget.cleaned_data
            if f and not f.get("DELETE")
        ]
        try:
            with transaction.atomic():
                services.pk_update(
                    agreement=agreement,
                    **{f: header.cleaned_data[f] for f in services.HEADER_FIELDS},
                )
                services.pk_targets_set(agreement=agreement, targets=targets.targets())
                services.pk_budget_set(agreement=agreement, lines=lines)
        except (ValidationError, PKFrozenError) as exc:
            for message in _error_messages(exc) if isinstance(exc, ValidationError) else [str(exc)]:
                header.add_error(None, message)
        else:
            messages.success(request, "Perjanjian Kinerja disimpan.")
            return redirect(f"{reverse('unit_detail', args=[unit.slug])}?tahun={year}")
    groups = []
    for row, field in targets.bound_rows():
        if not groups or groups[-1][0] != row.goal:
            groups.append((row.goal, LEVEL_SHORT[row.goal.level], []))
        groups[-1][2].append((row, field))
    return render(
        request,
        "planning/pk_edit.html",
        {
            "unit": unit,
            "agreement": agreement,
            "header": header,
            "targets": targets,
            "groups": groups,
            "budget": budget,
        },
    )


@login_required
@require_POST
def pk_sign(request, slug: str, year: int):
    unit = facility_or_404(request, slug, "sign")
    agreement = _agreement(unit, year)
    if (
        request.POST.get("konfirmasi") != "1"
        and not agreement.is_frozen
        and not services.pk_sign_problems(agreement)
    ):
        warnings = services.pk_sign_warnings(agreement)
        if warnings:
            # Open review errors do not block signing, but the head signs knowing them.
            return render(
                request,
                "planning/pk_sign_confirm.html",
                {"unit": unit, "agreement": agreement, "year": year, "warnings": warnings},
            )
    try:
        services.pk_sign(agreement=agreement, by=request.user)
    except ValidationError as exc:
        for message in _error_messages(exc):
            messages.error(request, message)
    except PKFrozenError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Perjanjian Kinerja ditandatangani dan dikunci.")
    return redirect(f"{reverse('unit_detail', args=[unit.slug])}?tahun={year}")


@login_required
@require_POST
def pk_start_next(request, slug: str, year: int):
    """Start the PK of the year after `year` from the PK of `year`."""
    unit = facility_or_404(request, slug, "change")
    previous = PerjanjianKinerja.objects.in_force(unit, year)
    if previous is None:
        raise Http404("Perjanjian Kinerja tidak ditemukan.")
    try:
        started = services.pk_start_from(previous=previous, year=year + 1, by=request.user)
    except ValidationError as exc:
        for message in _error_messages(exc):
            messages.error(request, message)
        return redirect(f"{reverse('unit_detail', args=[unit.slug])}?tahun={year}")
    count = len(started.from_renstra) + len(started.without_target)
    parts = [f"Draf Perjanjian Kinerja {year + 1} dimulai dari PK {year}: {count} indikator."]
    if started.from_renstra:
        parts.append(f"Target {len(started.from_renstra)} indikator diambil dari Renstra.")
    if started.without_target:
        parts.append(
            f"{len(started.without_target)} indikator belum bertarget: "
            + ", ".join(started.without_target)
            + "."
        )
    if started.retired:
        parts.append(
            f"Tidak berlaku lagi di katalog {year + 1}, tidak dibawa: "
            + ", ".join(started.retired)
            + "."
        )
    if started.added:
        parts.append(f"Baru di katalog {year + 1}: " + ", ".join(started.added) + ".")
    parts.append(
        "Pagu kegiatan, RPD, target triwulan dan tabel anggaran PK belum diisi: isi dari DIPA "
        f"{year + 1} sebelum ditandatangani."
    )
    # Indicators left without a target or dropped are something to act on: a warning, not green.
    level = messages.WARNING if started.without_target or started.retired else messages.SUCCESS
    messages.add_message(request, level, " ".join(parts))
    return redirect("pk_edit", slug=unit.slug, year=year + 1)


@login_required
@require_POST
def pk_revise(request, slug: str, year: int):
    unit = facility_or_404(request, slug, "change")
    agreement = _agreement(unit, year)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Alasan revisi wajib diisi.")
    else:
        try:
            services.pk_revise(agreement=agreement, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in _error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(
                request, "Revisi dibuat sebagai draf; versi yang ditandatangani tetap tersimpan."
            )
            return redirect("pk_edit", slug=unit.slug, year=year)
    return redirect(f"{reverse('unit_detail', args=[unit.slug])}?tahun={year}")


@login_required
def ra_edit(request, slug: str, year: int, row_id: int):
    unit = facility_or_404(request, slug, "change")
    agreement = _agreement(unit, year)
    row = get_object_or_404(
        PKIndicator.objects.select_related("indicator", "activity"),
        pk=row_id,
        agreement=agreement,
        indicator__level=Level.IKK,
    )
    back = f"{reverse('unit_detail', args=[unit.slug])}?tahun={year}#rencana-aksi"
    if agreement.is_frozen:
        messages.error(request, str(PKFrozenError(agreement)))
        return redirect(back)
    initial = {"activity": row.activity, "pagu": row.activity.pagu if row.activity else None}
    if row.activity:
        for q in row.activity.quarters.all():
            initial[f"rpd_{q.quarter}"] = q.planned_disbursement
    for q in row.quarters.all():
        initial[f"target_{q.quarter}"] = q.target_increment
        initial[f"activity_{q.quarter}"] = q.planned_activity
        initial[f"evidence_{q.quarter}"] = q.evidence_expected
    form = ActionPlanForm(
        request.POST or None, agreement=agreement, target_unit=row.target_unit, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                activity = None
                name = data["activity"].name if data["activity"] else data["new_activity"]
                if name:
                    activity = services.ra_activity_save(
                        agreement=agreement,
                        name=name,
                        pagu=data["pagu"],
                        disbursements={q: data[f"rpd_{q}"] for q in services.QUARTERS},
                    )
                services.ra_indicator_plan_set(
                    pk_indicator=row,
                    activity=activity,
                    quarters=[
                        services.QuarterPlan(
                            quarter=q,
                            target_increment=data[f"target_{q}"],
                            planned_activity=data[f"activity_{q}"],
                            evidence_expected=data[f"evidence_{q}"],
                        )
                        for q in services.QUARTERS
                    ],
                )
        except ValidationError as exc:
            for message in _error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, f"Rencana Aksi {row.indicator.code} disimpan.")
            return redirect(back)
    shared = (
        row.activity.indicators.exclude(pk=row.pk).select_related("indicator")
        if row.activity
        else []
    )
    return render(
        request,
        "planning/ra_edit.html",
        {
            "unit": unit,
            "agreement": agreement,
            "row": row,
            "form": form,
            "shared": shared,
            "back": back,
        },
    )
