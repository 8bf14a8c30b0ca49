"""The dashboard of a unit above the facility (a Kanwil, the directorate): per IKK the aggregate
from the roll-up, its spread, best and worst; the facility × IKK heat map; the IKK page with its
trend; XLSX of the tables. A Kanwil's page keeps its monitoring: per facility the quarter's
status, who has not submitted, the stored review counts; the entry window; the region's review run
(moved from measurement, issue 14: it reads the review, which sits above measurement).

Every figure comes from one `rollup` per period shown (a fixed number of queries whatever the
number of facilities); filters and sorting are GET parameters, a bad value is ignored or 404."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from kinerja import calc
from kinerja.core.bounds import year_or_404
from kinerja.core.downloads import content_download
from kinerja.core.formatting import TRIWULAN, format_figure, format_percent, json_number
from kinerja.core.gcpause import pausing_collector
from kinerja.dashboards import bulk, figures
from kinerja.dashboards.evaluations import EvaluationsAcross, evaluations_across
from kinerja.dashboards.models import PeerNames, peer_names_shown
from kinerja.dashboards.money import BudgetAcross, budget_across
from kinerja.dashboards.monitoring import Completeness, Findings, completeness, findings
from kinerja.dashboards.rollup import FacilityFigure, Rollup, rollup
from kinerja.dashboards.rollup_export import heatmap_xlsx, indicators_xlsx
from kinerja.dashboards.serialize import rollup_json
from kinerja.dashboards.services import region_review_latest, region_review_start
from kinerja.measurement import services as measurement
from kinerja.measurement.models import EntryWindow, QuarterReport, RealizationStatus
from kinerja.organizations.access import (
    above_facility_or_404,
    facility_or_404,
    may,
    region_or_404,
)
from kinerja.organizations.models import FacilityClass, FacilityType, Unit, UnitKind
from kinerja.planning.models import PerjanjianKinerja
from kinerja.publication.selectors import PublishedAcross, published_across
from kinerja.review.models import ReviewRun


def _region_year_quarter(request, unit: Unit | None = None) -> tuple[int, int]:
    """The year and quarter asked for; by default the unit's current year and the latest quarter
    that has started there (TW IV in November, not TW I), TW IV for a past year."""
    data = request.POST if request.method == "POST" else request.GET
    today = unit.local_today() if unit is not None else timezone.localdate()
    year = year_or_404(data.get("tahun") or request.GET.get("tahun"), today.year)
    asked = data.get("tw") or request.GET.get("tw")
    quarter = str(asked or _quarter_to_open(unit, year, today))
    if quarter not in ("1", "2", "3", "4"):
        raise Http404("Triwulan tidak sah.")
    return year, int(quarter)


def _quarter_to_open(unit: Unit | None, year: int, today) -> int:
    """The quarter a page opens on: the one whose entry window is open today, else the latest one
    with a report of the unit's facilities in that year, else the latest that has started (two
    queries at most)."""
    if unit is not None:
        windows = (
            EntryWindow.objects.filter(region_id=unit.parent_id)
            if unit.kind == UnitKind.UPT
            else EntryWindow.objects.filter(region__path__startswith=unit.path)
        )
        open_now = windows.filter(year=year, opens__lte=today, closes__gte=today)
        reports = QuarterReport.objects.filter(
            agreement__unit__path__startswith=unit.path, agreement__year=year
        )
        # Both in one query.
        found = (
            Unit.objects.filter(pk=unit.pk)
            .annotate(
                open_now=Subquery(open_now.order_by("-quarter").values("quarter")[:1]),
                latest=Subquery(reports.order_by("-quarter").values("quarter")[:1]),
            )
            .values_list("open_now", "latest")
            .get()
        )
        if found[0] or found[1]:
            return found[0] or found[1]
    if year < today.year:
        return 4
    if year > today.year:
        return 1
    return (today.month - 1) // 3 + 1


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
    year, quarter = _region_year_quarter(request, region)
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


def _nearly() -> Decimal:
    return Decimal(str(settings.KINERJA_ACHIEVEMENT_THRESHOLDS["warning"]))


HEAT_PAGE = 50  # facilities per page of the heat map: a national page never draws 700 × 28 cells


class Filters:
    """The page's GET filters, each checked against its choices (a bad value is ignored)."""

    def __init__(self, request, unit: Unit):
        get = request.GET
        self.unit = unit
        self.facility_type = get.get("tipe", "") if get.get("tipe") in FacilityType.values else ""
        self.facility_class = (
            get.get("kelas", "") if get.get("kelas") in FacilityClass.values else ""
        )
        self.regions: list[Unit] = []
        self.region: Unit | None = None
        if unit.kind == UnitKind.DIRECTORATE:
            self.regions = list(
                Unit.objects.filter(parent=unit, kind=UnitKind.KANWIL).order_by("name")
            )
            wanted = get.get("wilayah", "")
            self.region = next((r for r in self.regions if r.slug == wanted), None)
        facilities = (
            Unit.objects.restrict(request.user, "view")
            .facilities()
            .filter(path__startswith=(self.region or unit).path)
        )
        if self.facility_type:
            facilities = facilities.filter(facility_type=self.facility_type)
        if self.facility_class:
            facilities = facilities.filter(facility_class=self.facility_class)
        self.facilities = facilities

    def query(self, **extra) -> str:
        """The filters as a query string (for links that keep them), with `extra` on top."""
        from urllib.parse import urlencode

        params = {
            "tipe": self.facility_type,
            "kelas": self.facility_class,
            "wilayah": self.region.slug if self.region else "",
        }
        params.update({k: v for k, v in extra.items()})
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})


def _chart_counts(result: Rollup) -> dict:
    """The stacked counts per IKK, as the table beside it (strings of whole numbers)."""
    return {
        "labels": [item.indicator.code for item in result.indicators],
        "series": [
            {
                "label": standing.label,
                "key": standing.value,
                "values": [
                    json_number(item.aggregate.counts.get(standing, 0))
                    for item in result.indicators
                ],
            }
            for standing in figures.STANDINGS
        ],
    }


SLOT = "kinerjaslot0"


def _address(name: str, *fixed: Any) -> Callable[[str], str]:
    """`reverse(name, args=[*fixed, value])` for many values at the cost of one: the address with
    its last argument filled in, quoted as `reverse` quotes it (or the argument written `SLOT`
    among `fixed`, for an address whose unit comes first)."""
    args = list(fixed) if SLOT in fixed else [*fixed, SLOT]
    head, tail = reverse(name, args=args).split(SLOT)
    return lambda value: f"{head}{quote(value, safe=RFC3986_SUBDELIMS + '/~:@')}{tail}"


def _indicator_rows(result: Rollup, unit: Unit, query: str) -> list[dict]:
    """The per-IKK table's rows, with the addresses and texts that every row repeats made here
    (one `reverse` per facility named, not one per tag)."""
    results_url = _address("results")
    indicator_url = _address("region_indicator", unit.slug)
    nearly = _nearly()

    def named(figure: FacilityFigure) -> tuple[str, str, str]:
        url = f"{results_url(figure.unit.slug)}?tahun={result.year}"
        return url, figure.unit.name, format_percent(figures.achievement_of(figure))

    rows = []
    for item in result.indicators:
        best, worst = figures.best_and_worst(item)
        ind, a = item.indicator, item.aggregate
        standing = calc.standing(a.achievement, a.realisation is not None, nearly)
        if a.realisation is not None and a.realisation.value is not None:
            realisation = format_figure(a.realisation.value, ind.unit or "")
        else:
            realisation = "N/A" if a.reporting else NOT_FILLED
        capped = a.achievement.capped if a.achievement is not None else None
        spread = figures.spread(item)
        rows.append(
            {
                "item": item,
                "aggregate": a,
                "url": f"{indicator_url(ind.code)}?{query}",
                "name": Truncator(ind.name).words(12, truncate=" …"),  # as |truncatewords
                "realisation": realisation,
                "target": format_figure(a.target, ind.unit or "") if a.target is not None else "-",
                "achievement": format_html(
                    '<span class="band band-{}">{} {}</span>',
                    standing.value,
                    figures.SYMBOLS[standing],
                    format_percent(capped),
                )
                if capped is not None
                else "N/A",
                "standing": standing,
                "counts": [(s, str(a.counts.get(s, 0))) for s in figures.STANDINGS],
                "spread": spread,
                "spread_text": (
                    " · ".join(format_percent(v) for v in (spread.q1, spread.median, spread.q3)),
                    f"{format_percent(spread.minimum)} – {format_percent(spread.maximum)}, "
                    f"{spread.count} UPT",
                )
                if spread.count
                else None,
                "best": [named(f) for f in best],
                "worst": [named(f) for f in worst],
            }
        )
    return rows


NOT_FILLED = mark_safe('<span class="muted">belum diisi</span>')


def _sorted_facilities(result: Rollup, order: str) -> tuple[list[Unit], str]:
    """The heat map's facilities in the asked order: name, region, or one IKK's achievement (best
    first, then N/A, then not reported). An unknown order is the name order."""
    units = list(result.facilities)
    item = result.indicator(order) if order not in ("nama", "wilayah", "") else None
    if item is not None:
        ind = item.indicator.id

        def key(u: Unit):
            cell = result.cell(u.id, ind)
            return (cell.sort_key if cell else (3, 0), u.name, u.id)

        return sorted(units, key=key), order
    if order == "wilayah":
        return sorted(units, key=lambda u: (u.parent.name if u.parent else "", u.name, u.id)), order
    return sorted(units, key=lambda u: (u.name, u.id)), "nama"


NOT_IN_PK = mark_safe(
    '<td class="num heat-none" title="Tidak ada di PK"><span class="muted">·</span></td>'
)
NO_FIGURE = mark_safe('<td class="num heat-none"><span class="muted">-</span></td>')


def _cell(code: str, figure, link: tuple[str, str] | None = None) -> SafeString:
    """One heat-map cell as HTML (a few thousand of them on a national page: built here rather than
    by the template's tags, the same markup): the figure's band as its colour, the symbol that
    tells the band in black-and-white print, the capped achievement. `figure` is a facility's
    figure or a child's aggregate; `code` the IKK's code and `link` the facility's results address
    and name, each already escaped."""
    if figure is None:
        return NOT_IN_PK if link is not None else NO_FIGURE
    achievement = figure.achievement.capped if figure.achievement is not None else None
    standing = figure.standing if not isinstance(figure, calc.Aggregate) else None
    if standing is None:
        # a child's aggregate is banded like a facility's figure (the same "nearly" threshold)
        standing = calc.standing(figure.achievement, figure.realisation is not None, _nearly())
    # symbols, labels and the formatted percentage are Kinerja's own text, never user input
    text = f" {format_percent(achievement)}" if achievement is not None else ""
    inner = f'<span class="sym">{figures.SYMBOLS[standing]}</span>{text}'
    if link is not None:
        inner = f'<a href="{link[0]}" title="{link[1]} · {code}: {standing.label}">{inner}</a>'
    return mark_safe(f'<td class="num heat-{standing.value}">{inner}</td>')


def _heat_rows(result: Rollup, units: list[Unit]) -> list[dict]:
    results_url = _address("results")
    codes = [(item.indicator.id, escape(item.indicator.code)) for item in result.indicators]
    rows = []
    for u in units:
        url = f"{results_url(u.slug)}?tahun={result.year}"
        link = (url, escape(u.name))
        rows.append(
            {
                "unit": u,
                "url": url,
                # one string a row: 28 cells are one template variable, not 28
                "cells": mark_safe(
                    "".join(_cell(code, result.cell(u.id, ind), link) for ind, code in codes)
                ),
            }
        )
    return rows


def _monitoring(request, region: Unit, year: int, quarter: int) -> dict:
    """A Kanwil's monitoring: per facility the quarter's status and the stored review counts."""
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
    labels = dict(RealizationStatus.choices)
    # each facility's links from one `reverse` per kind (a Kanwil of 100: 400 `{% url %}` tags)
    results_url, review_url = _address("results"), _address("review")
    changelog_url, entry_url = _address("changelog"), _address("entry", SLOT, year, quarter)
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
                "label": labels[status],
                "review": run if agreement else None,
                "results_url": results_url(facility.slug),
                "review_url": review_url(facility.slug),
                "changelog_url": changelog_url(facility.slug),
                "entry_url": entry_url(facility.slug),
            }
        )
    return {
        "rows": rows,
        "not_submitted": not_submitted,
        "window": EntryWindow.objects.filter(region=region, year=year, quarter=quarter).first(),
        "review_job": region_review_latest(region, year),
    }


def _entry_window_post(request, region: Unit, year: int, quarter: int):
    try:
        opens = dt.date.fromisoformat(request.POST.get("opens", ""))
        closes = dt.date.fromisoformat(request.POST.get("closes", ""))
        measurement.entry_window_set(
            region=region, year=year, quarter=quarter, opens=opens, closes=closes, by=request.user
        )
    except ValueError:
        messages.error(request, "Tanggal dibuka dan ditutup wajib diisi (tanggal yang sah).")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Masa pengisian {TRIWULAN[quarter]} {year} disimpan.")
    return redirect(f"{reverse('region', args=[region.slug])}?tahun={year}&tw={quarter}")


# The dashboard's tabs: the IKK figures (the page itself) and one page per section across
# facilities, so that each page reads what it shows (a directorate's page does not pay for three
# years of 700 facilities' reports when its user wants the IKK figures).
TABS = [
    ("capaian", "Capaian IKK", "region"),
    ("kelengkapan", "Kelengkapan laporan", "region_completeness"),
    ("temuan", "Temuan reviu", "region_findings"),
    ("anggaran", "Anggaran", "region_budget"),
    ("lke", "Evaluasi AKIP", "region_evaluations"),
    ("publikasi", "Publikasi", "region_publications"),
]
SECTION_PAGE = 50  # facilities per page of a section's per-facility table


def _page_context(
    request, unit: Unit, year: int, quarter: int, filters: Filters, *, period: bool = True
) -> dict:
    """What every dashboard page of a unit shows above its content: the unit, the period and the
    filters with their choices (`_filters.html`). `period`: whether the page's figures depend on
    the period (s.d. TW); a tab that shows the whole year keeps it only for the way back."""
    return {
        "period_filter": period,
        "region": unit,
        "unit": unit,
        "is_region": unit.kind == UnitKind.KANWIL,
        "year": year,
        "quarter": quarter,
        "quarters": list(TRIWULAN.items()),
        "filters": filters,
        "facility_types": FacilityType.choices,
        "facility_classes": FacilityClass.choices,
    }


def _parent_link(request, unit: Unit) -> Unit | None:
    """The unit above (a Kanwil's directorate) for the crumbs, when the user may open it: a
    regional evaluator is not sent to a page that answers 404."""
    parent = unit.parent if unit.kind == UnitKind.KANWIL else None
    return parent if parent is not None and may(request.user, parent, "view") else None


def _tabs(unit: Unit, current: str, query: str) -> list[dict]:
    return [
        {
            "key": key,
            "label": label,
            "url": f"{reverse(name, args=[unit.slug])}?{query}",
            "current": key == current,
        }
        for key, label, name in TABS
    ]


@login_required
@pausing_collector
def region_page(request, slug: str):
    """The dashboard of a Kanwil or of the directorate (reading the page runs nothing)."""
    unit = above_facility_or_404(request, slug)
    year, quarter = _region_year_quarter(request, unit)
    is_region = unit.kind == UnitKind.KANWIL
    can_verify = is_region and may(request.user, unit, "verify")
    if request.method == "POST":
        if not can_verify:
            raise Http404("Halaman tidak ditemukan.")
        return _entry_window_post(request, unit, year, quarter)
    filters = Filters(request, unit)
    result = rollup(unit, year, quarter=quarter, facilities=filters.facilities)
    units, order = _sorted_facilities(result, request.GET.get("urut", ""))
    page = Paginator(units, HEAT_PAGE).get_page(request.GET.get("hal"))
    children = []
    if unit.kind == UnitKind.DIRECTORATE:
        children = [
            {
                "unit": child.unit,
                "facilities": child.facilities,
                "cells": mark_safe(
                    "".join(
                        _cell("", child.aggregates.get(item.indicator.id))
                        for item in result.indicators
                    )
                ),
            }
            for child in result.children
        ]
    context = {
        **_page_context(request, unit, year, quarter, filters),
        "result": result,
        "indicator_rows": _indicator_rows(result, unit, filters.query(tahun=year, tw=quarter)),
        "standings": [(s, figures.SYMBOLS[s]) for s in figures.STANDINGS],
        "chart_counts": _chart_counts(result),
        "page": page,
        "heat_rows": _heat_rows(result, list(page.object_list)),
        "order": order,
        "children": children,
        "can_verify": can_verify,
        "query": filters.query(tahun=year, tw=quarter),
        "sort_query": filters.query(tahun=year, tw=quarter),
        "page_query": filters.query(tahun=year, tw=quarter, urut=order),
        "parent_link": _parent_link(request, unit),
        "tabs": _tabs(unit, "capaian", filters.query(tahun=year, tw=quarter)),
    }
    if is_region:
        context.update(_monitoring(request, unit, year, quarter))
    if unit.kind == UnitKind.DIRECTORATE:
        context["peer_names"] = peer_names_shown()
        context["peer_history"] = list(PeerNames.objects.select_related("by")[:5])
        context["can_switch_peer_names"] = may(request.user, unit, "change")
    return render(request, "dashboards/region.html", context)


@pausing_collector
def _section_page(request, slug: str, key: str):
    """One section across the unit's facilities (completeness and timeliness, open review findings,
    or the budget) on its own tab: its per-region rows and totals count every facility of the
    filter; its per-facility table is paged (50 a page) in the section's order; the XLSX holds
    every facility the user may see. Reading it runs nothing."""
    unit = above_facility_or_404(request, slug)
    year, quarter = _region_year_quarter(request, unit)
    filters = Filters(request, unit)
    section: Completeness | Findings | BudgetAcross | EvaluationsAcross | PublishedAcross
    if key == "publikasi":
        section = published_across(filters.facilities, year)
    elif key == "lke":
        section = evaluations_across(filters.facilities, year, unit.local_today())
    elif key == "kelengkapan":
        section = completeness(filters.facilities, year)
    elif key == "temuan":
        section = findings(filters.facilities, year)
    else:
        section = budget_across(filters.facilities, year)
    page = Paginator(cast(Any, section).facilities, SECTION_PAGE).get_page(request.GET.get("hal"))
    query = filters.query(tahun=year, tw=quarter)
    name = {
        "kelengkapan": "completeness",
        "temuan": "findings",
        "anggaran": "budget",
        "lke": "evaluations",
        "publikasi": "publications",
    }[key]
    xlsx = {
        "completeness": "region_completeness_xlsx",
        "findings": "region_findings_xlsx",
        "budget": "region_budget_xlsx",
    }.get(name)
    context = {
        # completeness shows every quarter, findings and budget the year: no period to choose
        **_page_context(request, unit, year, quarter, filters, period=False),
        "parent_link": _parent_link(request, unit),
        "tabs": _tabs(unit, key, query),
        "tab_label": next(label for k, label, _ in TABS if k == key),
        "section_template": f"dashboards/_{name}.html",
        name: dataclasses.replace(cast(Any, section), facilities=list(page.object_list)),
        "page": page,
        "page_query": query,
        "xlsx_url": f"{reverse(xlsx, args=[unit.slug])}?tahun={year}" if xlsx else "",
    }
    return render(request, "dashboards/region_section.html", context)


@login_required
def region_completeness(request, slug: str):
    return _section_page(request, slug, "kelengkapan")


@login_required
def region_findings(request, slug: str):
    return _section_page(request, slug, "temuan")


@login_required
def region_budget(request, slug: str):
    return _section_page(request, slug, "anggaran")


@login_required
def region_evaluations(request, slug: str):
    return _section_page(request, slug, "lke")


@login_required
def region_publications(request, slug: str):
    return _section_page(request, slug, "publikasi")


@login_required
@pausing_collector
def indicator_page(request, slug: str, code: str):
    """One IKK across the unit's facilities: the distribution, every facility in order, the trend
    by quarter (s.d. TW I-IV) and over the years with a PK (one roll-up per period, one IKK)."""
    unit = above_facility_or_404(request, slug)
    year, quarter = _region_year_quarter(request, unit)
    filters = Filters(request, unit)
    result = rollup(unit, year, quarter=quarter, facilities=filters.facilities, indicators=[code])
    item = result.indicator(code)
    if item is None:
        raise Http404("IKK tidak ditemukan.")
    spread = figures.spread(item)
    by_quarter = []
    for q in (1, 2, 3, 4):
        each = rollup(unit, year, quarter=q, facilities=filters.facilities, indicators=[code])
        found = each.indicator(code)
        by_quarter.append((TRIWULAN[q], found.aggregate if found else None))
    years = sorted(
        set(
            PerjanjianKinerja.objects.filter(unit__in=filters.facilities).values_list(
                "year", flat=True
            )
        )
    )[-10:]
    by_year = []
    for y in years:
        each = rollup(unit, y, facilities=filters.facilities, indicators=[code])
        found = each.indicator(code)
        if found is not None:
            by_year.append((str(y), found.aggregate))

    def trend(points):
        return {
            "labels": [label for label, _ in points],
            "realisation": [
                json_number(a.realisation.value) if a and a.realisation else None for _, a in points
            ],
            "target": [json_number(a.target) if a else None for _, a in points],
        }

    context = {
        **_page_context(request, unit, year, quarter, filters),
        "item": item,
        "aggregate": item.aggregate,
        "standing": calc.standing(
            item.aggregate.achievement, item.aggregate.realisation is not None, _nearly()
        ),
        "counts": [(s, item.aggregate.counts.get(s, 0)) for s in figures.STANDINGS],
        "standings": [(s, figures.SYMBOLS[s]) for s in figures.STANDINGS],
        "spread": spread,
        "ordered": figures.full_order(item),
        "by_quarter": by_quarter,
        "by_year": by_year,
        "chart_histogram": {
            "labels": [label for label, _ in spread.histogram],
            "values": [json_number(n) for _, n in spread.histogram],
        },
        "chart_quarters": trend(by_quarter),
        "chart_years": trend(by_year),
        "query": filters.query(tahun=year, tw=quarter),
    }
    return render(request, "dashboards/indicator.html", context)


def _xlsx(content: bytes, name: str) -> HttpResponse:
    return content_download(
        content,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def region_export(request, slug: str):
    """The bulk export (`dashboards.bulk`) of the filtered facilities: results, budget or review
    findings over a year or a range of years, as XLSX or CSV. A request beyond what is made while
    the user waits goes back to the page with the reason."""
    unit = above_facility_or_404(request, slug)
    filters = Filters(request, unit)
    what = request.GET.get("jenis", "")
    fmt, _, separator = request.GET.get("format", "xlsx").partition(":")
    back = f"{reverse('region', args=[unit.slug])}?{filters.query()}"
    try:
        if (
            what not in bulk.KINDS
            or fmt not in bulk.FORMATS
            or (separator or ",") not in bulk.SEPARATORS
        ):
            raise ValueError("Pilih data dan format yang tersedia.")
        years = bulk.parse_years(request.GET.get("tahun", ""))
        content, filename, content_type = bulk.online_export(
            unit, filters.facilities, what, years, fmt, separator or ","
        )
    except ValueError as exc:
        messages.error(request, f"Ekspor tidak dibuat: {exc}")
        return redirect(back)
    return content_download(content, filename=filename, content_type=content_type)


@login_required
def heatmap_download(request, slug: str):
    """The heat map (every facility of the filter, not only the page shown) as XLSX."""
    unit = above_facility_or_404(request, slug)
    year, quarter = _region_year_quarter(request, unit)
    filters = Filters(request, unit)
    result = rollup(unit, year, quarter=quarter, facilities=filters.facilities)
    units, _ = _sorted_facilities(result, request.GET.get("urut", ""))
    return _xlsx(heatmap_xlsx(result, units), f"peta-capaian-{unit.slug}-{year}-tw{quarter}.xlsx")


@login_required
def rollup_download(request, slug: str):
    """The roll-up of the filtered facilities as JSON (the same shape as `kinerja rollup --json`):
    per IKK the sums, the aggregate and the counts by standing, and the same per child unit."""
    unit = above_facility_or_404(request, slug)
    year, quarter = _region_year_quarter(request, unit)
    filters = Filters(request, unit)
    result = rollup(unit, year, quarter=quarter, facilities=filters.facilities)
    return JsonResponse(rollup_json(result), json_dumps_params={"ensure_ascii": False})


@login_required
def indicators_download(request, slug: str):
    """The per-IKK table (aggregate, computation, counts, spread) as XLSX."""
    unit = above_facility_or_404(request, slug)
    year, quarter = _region_year_quarter(request, unit)
    filters = Filters(request, unit)
    result = rollup(unit, year, quarter=quarter, facilities=filters.facilities)
    return _xlsx(indicators_xlsx(result), f"capaian-ikk-{unit.slug}-{year}-tw{quarter}.xlsx")


@login_required
@require_POST
def peer_names_switch(request, slug: str):
    """The directorate's switch: facilities see their region's named list (on) or only their
    rank and quartile (off). National admin only; every switch is kept."""
    unit = above_facility_or_404(request, slug, "change")
    if unit.kind != UnitKind.DIRECTORATE:
        raise Http404("Halaman tidak ditemukan.")
    shown = request.POST.get("tampil") == "1"
    PeerNames.objects.create(shown=shown, by=request.user)
    messages.success(
        request,
        "UPT kini melihat nama UPT lain di wilayahnya."
        if shown
        else "UPT kini hanya melihat peringkat dan kuartilnya, tanpa nama UPT lain.",
    )
    return redirect(reverse("region", args=[unit.slug]))


@login_required
def peers_page(request, slug: str):
    """A facility's place per IKK among the facilities of its region and of the nation (rank and
    quartile of its capped achievement), from one national roll-up: its own page, so that the
    results page, opened every day, never pays for the nation. Other facilities' names only when
    the directorate allows them, and then only those of its own region."""
    unit = facility_or_404(request, slug)
    year = year_or_404(request.GET.get("tahun"), unit.local_today().year)
    region = unit.parent
    directorate = region.parent if region is not None else None
    agreement = PerjanjianKinerja.objects.in_force(unit, year)
    rows = []
    names = peer_names_shown()
    if agreement is not None and directorate is not None:
        result = rollup(directorate, year)
        places = figures.peer_places(result, unit, names=names)
        for item in result.indicators:
            own = result.cell(unit.id, item.indicator.id)
            if own is not None:
                rows.append(
                    {
                        "indicator": item.indicator,
                        "own": own,
                        "peers": places.get(item.indicator.id),
                    }
                )
    return render(
        request,
        "dashboards/peers.html",
        {"unit": unit, "year": year, "agreement": agreement, "rows": rows, "peer_names": names},
    )
