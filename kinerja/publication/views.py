"""The public pages (`/publik/`, no login): only current publications and the figures frozen in
them; nothing about people beyond the names printed in the published documents, no evidence, no
review, no draft. Light: one stylesheet of our own, no script, no CDN, no cookie. And the head's
page to publish (`/unit/<slug>/publikasi/`)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from kinerja.core.bounds import year_or_404
from kinerja.core.downloads import file_download
from kinerja.core.formatting import json_number
from kinerja.documents.models import DocumentFormat, DocumentJob, JobStatus
from kinerja.organizations.access import facility_or_404, in_unit_zone, may
from kinerja.organizations.models import FacilityType, Unit, UnitKind
from kinerja.publication import selectors, services
from kinerja.publication.models import Publication, PublicationKind

LICENCE = "Creative Commons Atribusi 4.0 Internasional (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.id"


def _year(request) -> int | None:
    raw = request.GET.get("tahun")
    return year_or_404(raw, 0) if raw else None


@require_GET
def public_home(request):
    units, used = selectors.search(request.GET)
    page = selectors.national_page(_year(request))
    return render(
        request,
        "publication/national.html",
        {
            "page": page,
            "results": list(units[:100]) if used else [],
            "result_count": units.count() if used else 0,
            "used": used,
            "regions": Unit.objects.filter(kind=UnitKind.KANWIL).order_by("name"),
            "types": FacilityType.choices,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
        },
    )


@require_GET
def public_region(request, slug: str):
    region = get_object_or_404(Unit, kind=UnitKind.KANWIL, slug=slug)
    page = selectors.national_page(_year(request), region)
    facilities = list(Unit.objects.filter(kind=UnitKind.UPT, parent=region).order_by("name"))
    current = {
        (unit_id, kind)
        for unit_id, kind in Publication.objects.current()
        .filter(unit__in=facilities, year=page.year)
        .values_list("unit_id", "kind")
    }
    rows = [(f, [k for k in PublicationKind.values if (f.id, k) in current]) for f in facilities]
    return render(
        request,
        "publication/region.html",
        {"region": region, "page": page, "rows": rows, "kinds": PublicationKind.choices},
    )


@require_GET
def public_facility(request, slug: str):
    unit = in_unit_zone(
        get_object_or_404(
            Unit.objects.select_related("parent__parent"), kind=UnitKind.UPT, slug=slug
        )
    )
    page = selectors.facility_page(unit)
    return render(
        request,
        "publication/facility.html",
        {"unit": unit, "page": page, "chart": _chart(page.chart), "licence": LICENCE},
    )


def _chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """An inline SVG of stacked bars: per year the IKK achieved, nearly, missed, N/A."""
    order = [
        ("tercapai", "Tercapai"),
        ("hampir", "Hampir tercapai"),
        ("tidak", "Tidak tercapai"),
        ("na", "N/A"),
    ]
    width, bar, gap, height = 60 + len(rows) * 70, 40, 30, 160
    top = max((r["total"] for r in rows), default=0) or 1
    bars = []
    for i, r in enumerate(rows):
        x = 50 + i * (bar + gap)
        y = height
        for key, label in order:
            n = r["counts"].get(key, 0)
            if not n:
                continue
            h = round(n / top * (height - 20))
            y -= h
            bars.append(
                {"x": x, "y": y, "h": h, "w": bar, "key": key, "title": f"{r['year']}: {label} {n}"}
            )
        bars.append(
            {
                "x": x,
                "y": height + 14,
                "label": str(r["year"]),
                "text": True,
                "w": bar,
                "key": "",
                "h": 0,
                "title": "",
            }
        )
    return {"width": width, "height": height + 20, "bars": bars, "legend": order, "rows": rows}


@require_GET
def public_document(request, publication_id: int):
    publication = get_object_or_404(Publication, pk=publication_id)
    return file_download(
        publication.file.open("rb"), filename=publication.filename, content_type="application/pdf"
    )


def _figure_rows(publication: Publication) -> list[dict[str, Any]]:
    rows = []
    for f in selectors.read_figures(publication):
        rows.append(
            {
                "tahun": publication.year,
                "dokumen": publication.kind,
                "triwulan": publication.quarter,
                "versi": publication.version,
                "kode_ikk": f.code,
                "ikk": f.name,
                "target": json_number(f.target),
                "satuan": f.target_unit,
                "realisasi": json_number(f.realisation) if f.published else None,
                "capaian_persen": json_number(f.achievement) if f.published else None,
                "keterangan": (
                    f.na_reason
                    or ("" if not f.published or f.realisation is not None else "belum diisi")
                ),
            }
        )
    return rows


def _data(publications, fmt: str, name: str, about: dict[str, Any]) -> HttpResponse:
    rows = [row | {"upt": p.unit.slug} for p in publications for row in _figure_rows(p)]
    if fmt == "json":
        body = json.dumps(
            {
                **about,
                "lisensi": LICENCE,
                "lisensi_url": LICENCE_URL,
                "dokumen": [
                    {
                        "upt": p.unit.slug,
                        "tahun": p.year,
                        "dokumen": p.kind,
                        "triwulan": p.quarter,
                        "versi": p.version,
                        "dipublikasikan": p.published_at.isoformat(),
                        "sha256": p.sha256,
                        "unduh": reverse("public_document", args=[p.id]),
                    }
                    for p in publications
                ],
                "angka": rows,
            },
            ensure_ascii=False,
            indent=1,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        buffer = io.StringIO()
        columns = [
            "upt",
            "tahun",
            "dokumen",
            "triwulan",
            "versi",
            "kode_ikk",
            "ikk",
            "target",
            "satuan",
            "realisasi",
            "capaian_persen",
            "keterangan",
        ]
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            # text from people stays text in a spreadsheet: never a formula
            writer.writerow(
                {
                    k: (f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v)
                    for k, v in row.items()
                }
            )
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


@require_GET
def public_facility_data(request, slug: str, fmt: str):
    unit = get_object_or_404(Unit, kind=UnitKind.UPT, slug=slug)
    publications = list(
        Publication.objects.current()
        .filter(unit=unit)
        .select_related("unit")
        .order_by("year", "kind", "quarter")
    )
    return _data(publications, fmt, f"kinerja-{unit.slug}", {"upt": unit.slug, "nama": unit.name})


@require_GET
def public_national_data(request, fmt: str):
    year = _year(request)
    publications = (
        Publication.objects.current()
        .select_related("unit")
        .order_by("unit__slug", "year", "kind", "quarter")
    )
    if year:
        publications = publications.filter(year=year)
    return _data(
        list(publications), fmt, f"kinerja-nasional{f'-{year}' if year else ''}", {"tahun": year}
    )


@require_GET
def sitemap(request):
    base = request.build_absolute_uri("/").rstrip("/")
    urls = [reverse("public_home")]
    urls += [
        reverse("public_region", args=[s])
        for s in Unit.objects.filter(kind=UnitKind.KANWIL).values_list("slug", flat=True)
    ]
    urls += [
        reverse("public_facility", args=[s])
        for s in Unit.objects.filter(kind=UnitKind.UPT).values_list("slug", flat=True)
    ]
    body = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    body += [f"<url><loc>{base}{u}</loc></url>" for u in urls]
    body.append("</urlset>")
    return HttpResponse("\n".join(body), content_type="application/xml")


# --- The head's page ----------------------------------------------------------------------------


def _review_once():
    """The review of each year computed once for the page (an LKjIP job is checked against it)."""
    from kinerja.review.services import review_compute

    done: dict[tuple[int, int], Any] = {}

    def review(*, unit, year):
        if (unit.id, year) not in done:
            done[(unit.id, year)] = review_compute(unit=unit, year=year)
        return done[(unit.id, year)]

    return review


@login_required
def publish_page(request, slug: str):
    unit = facility_or_404(request, slug)
    jobs = list(
        DocumentJob.objects.filter(
            unit=unit,
            status=JobStatus.DONE,
            format=DocumentFormat.PDF,
            kind__in=PublicationKind.values,
        ).order_by("-created_at")[:30]
    )
    review = _review_once()
    return render(
        request,
        "publication/publish.html",
        {
            "unit": unit,
            "jobs": [(job, services.publishable(job, review=review)) for job in jobs],
            "publications": Publication.objects.filter(unit=unit)
            .select_related("published_by", "replaced_by")
            .order_by("-year", "kind", "-version"),
            "can_publish": may(request.user, unit, "sign"),
        },
    )


@login_required
@require_POST
def publish(request, slug: str, job_id: int):
    unit = facility_or_404(request, slug)
    job = get_object_or_404(DocumentJob, pk=job_id, unit=unit)
    try:
        publication = services.publish(
            job=job, by=request.user, note=request.POST.get("catatan", "")
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"{publication.label} dipublikasikan (versi {publication.version}) di halaman publik.",
        )
    return redirect(reverse("publish_page", args=[unit.slug]))
