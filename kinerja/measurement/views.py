from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from kinerja.core.bounds import year_or_404
from kinerja.measurement.models import RealizationStatus
from kinerja.measurement.selectors import achievement_cap, indicator_history, year_results
from kinerja.organizations.access import facility_or_404
from kinerja.planning.models import PerjanjianKinerja


@login_required
def results_page(request, slug: str):
    unit = facility_or_404(request, slug)
    year = year_or_404(request.GET.get("tahun"), timezone.localdate().year)
    agreement = PerjanjianKinerja.objects.in_force(unit, year)
    results = year_results(agreement) if agreement else []
    counts = {
        "good": sum(r.level == "good" for r in results),
        "warning": sum(r.level == "warning" for r in results),
        "bad": sum(r.level == "bad" for r in results),
        "na": sum(r.level == "na" for r in results),
        "empty": sum(not r.recorded for r in results),
    }
    context: dict[str, object] = {
        "unit": unit,
        "year": year,
        "agreement": agreement,
        "results": results,
        "counts": counts,
        "cap": achievement_cap(agreement) if agreement else None,
        "statuses": dict(RealizationStatus.choices),
    }
    return render(request, "measurement/results.html", context)


@login_required
def indicator_history_page(request, slug: str, year: int, row_id: int):
    unit = facility_or_404(request, slug)
    agreement = PerjanjianKinerja.objects.in_force(unit, year)
    if agreement is None:
        raise Http404("Perjanjian Kinerja tidak ditemukan.")
    row = get_object_or_404(agreement.indicators.select_related("indicator"), pk=row_id)
    return render(
        request,
        "measurement/history.html",
        {
            "unit": unit,
            "year": year,
            "row": row,
            "changes": indicator_history(row),
        },
    )
