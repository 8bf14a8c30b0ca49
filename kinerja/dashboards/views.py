"""A regional office's monitoring page: per facility the quarter's status, who has not submitted,
the stored review counts; the entry window; the region's review run (moved from measurement,
issue 14: it reads the review, which sits above measurement)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinerja.core.bounds import year_or_404
from kinerja.dashboards.services import region_review_latest, region_review_start
from kinerja.measurement import services as measurement
from kinerja.measurement.models import EntryWindow, QuarterReport, RealizationStatus
from kinerja.organizations.access import may, region_or_404
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja
from kinerja.review.models import ReviewRun


def _region_year_quarter(request) -> tuple[int, int]:
    data = request.POST if request.method == "POST" else request.GET
    year = year_or_404(data.get("tahun") or request.GET.get("tahun"), timezone.localdate().year)
    quarter = str(data.get("tw") or request.GET.get("tw") or "1")
    if quarter not in ("1", "2", "3", "4"):
        raise Http404("Triwulan tidak sah.")
    return year, int(quarter)


def _region_facilities(request, region: Unit):
    return (
        Unit.objects.restrict(request.user, "view")
        .facilities()
        .filter(parent=region)
        .order_by("name")
    )


@login_required
@require_POST
def region_review_run(request, slug: str):
    """Ask for the review of every facility of the region that has a PK for the year: recorded as a
    job and run in the background (the POST answers at once; a second click while it is pending
    joins the first). The region's evaluator or a national admin only (others get 404, nothing is
    recorded)."""
    region = region_or_404(request, slug, "verify")
    year, quarter = _region_year_quarter(request)
    facilities = _region_facilities(request, region)
    with_pk = sorted(
        set(
            PerjanjianKinerja.objects.filter(unit__in=facilities, year=year)
            .exclude(status="superseded")
            .values_list("unit_id", flat=True)
        )
    )
    job, created = region_review_start(
        region=region, year=year, facility_ids=with_pk, by=request.user
    )
    if created:
        messages.success(request, f"Reviu {year} dijadwalkan untuk {job.total} UPT.")
    else:
        messages.info(
            request,
            f"Reviu {year} untuk {job.total} UPT sudah dijadwalkan "
            f"({job.get_status_display().lower()}, {job.done} dari {job.total} selesai).",
        )
    return redirect(f"{reverse('region', args=[region.slug])}?tahun={year}&tw={quarter}")


@login_required
def region_page(request, slug: str):
    """A regional office's view: per facility the quarter's status, who has not submitted yet, and
    the stored review counts (reading the page runs nothing)."""
    region = region_or_404(request, slug)
    year, quarter = _region_year_quarter(request)
    facilities = _region_facilities(request, region)
    # Per facility the version in force: signed before draft (a revision being prepared has no
    # results), then the newest; a superseded version only keeps the record.
    agreements = {
        a.unit_id: a
        for a in PerjanjianKinerja.objects.filter(unit__in=facilities, year=year)
        .exclude(status="superseded")
        .order_by("unit_id", "status", "revision")  # "signed" sorts after "draft"
    }
    reports = {
        r.agreement_id: r
        for r in QuarterReport.objects.filter(agreement__in=agreements.values(), quarter=quarter)
    }
    runs = {r.unit_id: r for r in ReviewRun.objects.filter(unit__in=facilities, year=year)}
    rows, not_submitted = [], []
    for facility in facilities:
        agreement = agreements.get(facility.id)
        run = runs.get(facility.id)
        report = reports.get(agreement.id) if agreement else None
        status = report.status if report else "draft"
        if status in ("draft", "returned"):
            not_submitted.append(facility)
        rows.append(
            {
                "unit": facility,
                "agreement": agreement,
                "status": status,
                "label": dict(RealizationStatus.choices)[status],
                "review": run if agreement else None,
            }
        )
    can_verify = may(request.user, region, "verify")
    window = EntryWindow.objects.filter(region=region, year=year, quarter=quarter).first()
    if request.method == "POST" and can_verify:
        try:
            opens = dt.date.fromisoformat(request.POST.get("opens", ""))
            closes = dt.date.fromisoformat(request.POST.get("closes", ""))
            measurement.entry_window_set(
                region=region,
                year=year,
                quarter=quarter,
                opens=opens,
                closes=closes,
                by=request.user,
            )
        except ValueError:
            messages.error(request, "Tanggal dibuka dan ditutup wajib diisi (tanggal yang sah).")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Masa pengisian TW {quarter} {year} disimpan.")
        return redirect(f"{reverse('region', args=[region.slug])}?tahun={year}&tw={quarter}")
    context = {
        "region": region,
        "year": year,
        "quarter": quarter,
        "rows": rows,
        "not_submitted": not_submitted,
        "can_verify": can_verify,
        "window": window,
        "review_job": region_review_latest(region, year),
    }
    return render(request, "dashboards/region.html", context)
