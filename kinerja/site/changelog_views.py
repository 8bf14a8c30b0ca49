"""The change log page of one facility and year (riwayat perubahan)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from kinerja import changelog
from kinerja.core.bounds import year_or_404
from kinerja.core.changes import ZONE_NAMES
from kinerja.organizations.access import facility_or_404

PER_PAGE = 50


def _int(value, low: int, high: int, default: int | None) -> int | None:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404("Parameter tidak sah.") from None
    if not low <= number <= high:
        raise Http404("Parameter di luar rentang.")
    return number


@login_required
def changelog_page(request, slug: str):
    """Every change of the facility's data for the year: who, when (the facility's time), which
    record, each field old → new, and the reason. Anyone who may view the facility may read it."""
    unit = facility_or_404(request, slug)
    year = year_or_404(request.GET.get("tahun"), timezone.localdate().year)
    kind = request.GET.get("jenis") or None
    if kind is not None and kind not in changelog.KINDS:
        kind = None
    line_id = _int(request.GET.get("baris"), 1, 2**31 - 1, None)
    entries = changelog.changes(unit, year, kind=kind, line_id=line_id)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("halaman"))
    return render(
        request,
        "site/changelog.html",
        {
            "unit": unit,
            "year": year,
            "kind": kind,
            "kinds": changelog.KINDS,
            "kind_label": changelog.KINDS.get(kind or "", ""),
            "line_id": line_id,
            "page": page,
            "zone": ZONE_NAMES.get(unit.local_time_zone, unit.local_time_zone),
        },
    )
