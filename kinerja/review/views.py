"""The review page of a facility-year: every finding grouped by severity and section with its fix
link; the head accepts a finding with an explanation (never hiding it); PDF/XLSX for the auditors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kinerja.core.bounds import year_or_404
from kinerja.core.downloads import content_download
from kinerja.organizations.access import facility_or_404, may
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja
from kinerja.review import exporters, rules, services
from kinerja.review.models import Acceptance, ReviewRun
from kinerja.review.rules import SEVERITY_LABELS


def _year(request, unit: Unit) -> int:
    raw = request.GET.get("tahun") or request.POST.get("tahun")
    if raw:
        return year_or_404(raw, 0)
    latest = PerjanjianKinerja.objects.filter(unit=unit).order_by("-year").first()
    if latest is None:
        raise Http404("Belum ada Perjanjian Kinerja.")
    return latest.year


def _page(unit: Unit, year: int) -> str:
    return f"{reverse('review', args=[unit.slug])}?tahun={year}"


@login_required
def review_page(request, slug: str):
    unit = facility_or_404(request, slug)
    year = _year(request, unit)
    # Computed fresh for reading, never stored on GET: the counts the region reads are kept by
    # the POST below, a submission, an LKjIP generation or the region's own run.
    review = services.review_compute(unit=unit, year=year)
    history = (
        Acceptance.history.filter(unit_id=unit.id, year=year)
        .select_related("history_user")
        .order_by("-history_date")[:30]
    )
    return render(
        request,
        "review/review.html",
        {
            "unit": unit,
            "year": year,
            "review": review,
            "can_accept": may(request.user, unit, "sign"),
            "can_run": may(request.user, unit, "run"),
            "stored": ReviewRun.objects.filter(unit=unit, year=year).first(),
            "history": history,
            "counts": [
                {
                    "severity": severity,
                    "label": label,
                    "open": review.count(severity),
                    "accepted": review.count(severity, accepted=True),
                }
                for severity, label in SEVERITY_LABELS.items()
            ],
        },
    )


@login_required
@require_POST
def review_store(request, slug: str, year: int):
    """Run the review and keep its counts for the region (facility staff, its evaluator, admin)."""
    unit = facility_or_404(request, slug, "run")
    review = services.review_run(unit=unit, year=year, trigger="dijalankan dari halaman reviu")
    # The message by the worst open finding: open errors are shown as an error, never in green.
    if review.open_errors:
        level = messages.ERROR
    elif review.count(rules.WARNING):
        level = messages.WARNING
    else:
        level = messages.SUCCESS
    messages.add_message(
        request, level, f"Reviu {year} dijalankan dan disimpan: {review.summary()}."
    )
    return redirect(_page(unit, year))


@login_required
@require_POST
def finding_accept(request, slug: str, year: int):
    unit = facility_or_404(request, slug)
    if not may(request.user, unit, "sign"):
        raise Http404("Hanya kepala UPT yang dapat menerima temuan.")
    try:
        services.finding_accept(
            unit=unit,
            year=year,
            rule=request.POST.get("aturan", ""),
            key=request.POST.get("kunci", ""),
            explanation=request.POST.get("penjelasan", ""),
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        services.review_run(unit=unit, year=year, trigger="penerimaan temuan")
        messages.success(
            request, f"Temuan {request.POST.get('aturan')} diterima dengan penjelasan."
        )
    return redirect(_page(unit, year))


@login_required
@require_POST
def finding_withdraw(request, slug: str, year: int, acceptance_id: int):
    unit = facility_or_404(request, slug)
    if not may(request.user, unit, "sign"):
        raise Http404("Hanya kepala UPT yang dapat menarik penerimaan temuan.")
    acceptance = get_object_or_404(Acceptance, pk=acceptance_id, unit=unit, year=year)
    services.finding_withdraw(acceptance=acceptance, by=request.user)
    services.review_run(unit=unit, year=year, trigger="penerimaan temuan ditarik")
    messages.success(request, f"Penerimaan temuan {acceptance.rule} ditarik; temuan terbuka lagi.")
    return redirect(_page(unit, year))


@login_required
def review_download(request, slug: str, year: int, fmt: str):
    unit = facility_or_404(request, slug)
    if fmt not in exporters.EXPORTERS:
        raise Http404("Format tidak dikenal.")
    review = services.review_compute(unit=unit, year=int(year))
    export = exporters.EXPORTERS[fmt](review)
    return content_download(export.content, filename=export.filename, content_type=export.mimetype)
