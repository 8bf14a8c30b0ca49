from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from kinerja.core.bounds import year_or_404
from kinerja.core.formatting import TRIWULAN
from kinerja.measurement.models import EDITABLE, QuarterReport, RealizationStatus
from kinerja.measurement.selectors import achievement_cap, indicator_history, year_results
from kinerja.organizations.access import facility_or_404, may
from kinerja.planning.models import PerjanjianKinerja


def quarter_links(user, unit, agreement) -> list[tuple[int, str]]:
    """The four quarters' links of the results page, each named by what this user does there:
    the head and the region check ("Periksa realisasi TW II"), the operator fills in a quarter
    still open to change ("Isi realisasi TW I") and reads the others, a read-only user reads."""
    reviewer = may(user, unit, "sign") or may(user, unit, "verify")
    fills = not reviewer and may(user, unit, "change")
    statuses = dict(
        QuarterReport.objects.filter(agreement=agreement).values_list("quarter", "status")
    )
    links = []
    for quarter in range(1, 5):
        if reviewer:
            verb = "Periksa"
        elif fills and statuses.get(quarter, RealizationStatus.DRAFT) in EDITABLE:
            verb = "Isi"
        else:
            verb = "Lihat"
        links.append((quarter, f"{verb} realisasi {TRIWULAN[quarter]}"))
    return links


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
        "quarter_links": quarter_links(request.user, unit, agreement) if agreement else [],
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
