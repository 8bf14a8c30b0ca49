"""Budget pages: the year's DIPA as a tree with its figures, the monthly chart, the three-year
comparison, budget performance, and the monthly entry of plan and realisation."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinerja.budget import services
from kinerja.budget.bulk_upload import spending_template, spending_upload
from kinerja.budget.changes import lines_last_changed
from kinerja.budget.models import (
    BudgetScore,
    DipaLine,
    PaguRevision,
    SpendingMonth,
    SpendingType,
    attach_full_codes,
    closed_month_report,
)
from kinerja.budget.selectors import TYPES, budget_overview, ikk_funding, years_by_type
from kinerja.core.bounds import year_or_404
from kinerja.core.changes import last_changed, local_text
from kinerja.core.downloads import content_download
from kinerja.core.formatting import (
    BULAN,
    TRIWULAN,
    format_number,
    format_rupiah,
    parse_decimal,
    svg_number,
)
from kinerja.core.uploads import upload_problems
from kinerja.measurement.selectors import year_results
from kinerja.organizations.access import facility_or_404, may
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja

CHART_W, CHART_H, PAD = 720, 240, 40


class _NotSaved(Exception):
    """Rolls back a check of the readable rows when another row could not be read."""


def _year(request) -> int:
    return year_or_404(request.GET.get("tahun"), timezone.localdate().year)


def _chart(overview) -> dict:
    """Cumulative planned and realised spending per month as SVG polylines, scaled to the pagu.

    Every coordinate is a string written by `svg_number` (a dot, never the Indonesian comma), so
    the template prints it as is whatever the locale: '40,2' would be read by SVG as two numbers.
    """
    top = max(
        [overview.total.pagu]
        + [m["cum_planned"] for m in overview.months]
        + [m["cum_realised"] for m in overview.months]
    )
    if not top:
        return {}
    width, height = CHART_W - 2 * PAD, CHART_H - 2 * PAD

    def y_of(value: Decimal) -> Decimal:
        return PAD + height - height * value / top

    def point(i: int, value: Decimal) -> str:
        return f"{svg_number(Decimal(PAD) + Decimal(width) * i / 12)},{svg_number(y_of(value))}"

    planned = [point(0, Decimal(0))] + [
        point(m["month"], m["cum_planned"]) for m in overview.months
    ]
    realised = [point(0, Decimal(0))]
    last = max((m["month"] for m in overview.months if m["realised"]), default=0)
    realised += [
        point(m["month"], m["cum_realised"]) for m in overview.months if m["month"] <= last
    ]
    pagu_y = y_of(overview.total.pagu)
    return {
        "w": CHART_W,
        "h": CHART_H,
        "planned": " ".join(planned),
        "realised": " ".join(realised),
        "has_plan": any(m["planned"] for m in overview.months),
        "pagu_y": svg_number(pagu_y),
        "pagu_label_y": svg_number(pagu_y - 4),
        "left": svg_number(PAD),
        "right": svg_number(CHART_W - PAD),
        "bottom": svg_number(PAD + height),
        "month_label_y": svg_number(PAD + height + 16),
        "months": [
            {"x": svg_number(Decimal(PAD) + Decimal(width) * m / 12), "label": BULAN[m - 1][:3]}
            for m in range(1, 13)
        ],
    }


@login_required
def budget_page(request, slug: str):
    unit = facility_or_404(request, slug)
    year = _year(request)
    overview = budget_overview(unit, year)
    agreement = PerjanjianKinerja.objects.in_force(unit, year)
    funding = ikk_funding(overview, year_results(agreement)) if agreement else []
    history = years_by_type(unit, [year - 2, year - 1, year])
    # Who last changed each leaf line (its pagu or a month's figures), shown in the DIPA table.
    zone = zoneinfo.ZoneInfo(unit.local_time_zone)
    changed = lines_last_changed(
        node.line.id for node in overview.rows if node.line.pagu is not None
    )
    dipa_rows = []
    for node in overview.rows:
        last = changed.get(node.line.id)
        dipa_rows.append((node, (last[0], local_text(last[1], zone)) if last else None))
    return render(
        request,
        "budget/budget.html",
        {
            "unit": unit,
            "year": year,
            "o": overview,
            "dipa_rows": dipa_rows,
            "types": [(t, SpendingType(t).label, overview.by_type[t]) for t in TYPES],
            "history": history,
            "history_max": max((r["realised"] for r in history), default=0),
            "funding": funding,
            "chart": _chart(overview),
            "can_edit": may(request.user, unit, "change"),
            "month_names": BULAN,
        },
    )


@login_required
def spending_entry(request, slug: str, year: int, month: int):
    """Plan (RPD) and realisation of every leaf line for one month, saved together or not at all."""
    if not 1 <= month <= 12:
        raise Http404("Bulan tidak sah.")
    unit = facility_or_404(request, slug, "change")
    leaves = attach_full_codes(
        DipaLine.objects.filter(unit=unit, year=year, pagu__isnull=False).order_by("order", "id")
    )
    if not leaves:
        raise Http404("Belum ada baris DIPA untuk tahun ini.")
    current = {m.line_id: m for m in SpendingMonth.objects.filter(line__in=leaves, month=month)}
    # Every problem of the month at once: those of a line under its row (and its input marked),
    # the rest above the table.
    errors: list[str] = []
    row_errors: dict[int, list[str]] = {}
    bad_inputs: set[str] = set()
    posted: dict[str, str] = {}
    # A month whose quarter is submitted or further is shown read-only, like its results.
    closed_by = closed_month_report(unit.id, year, month)
    closed = (
        f"{BULAN[month - 1]} {year} termasuk {TRIWULAN[closed_by.quarter]} yang berstatus "
        f"{closed_by.get_status_display()}; rencana dan realisasinya tidak dapat diubah."
        if closed_by
        else ""
    )
    if request.method == "POST" and closed:
        errors = [closed]
    elif request.method == "POST":
        rows = []
        for line in leaves:
            values = {}
            for field in ("planned", "realised"):
                raw = request.POST.get(f"{field}_{line.id}", "").strip()
                posted[f"{field}_{line.id}"] = raw
                try:
                    values[field] = parse_decimal(raw) if raw else Decimal(0)
                except ValueError as exc:
                    label = "Rencana" if field == "planned" else "Realisasi"
                    row_errors.setdefault(line.id, []).append(
                        f"{line}: {label} {exc} (tulis angka rupiah, misalnya 1.500.000)."
                    )
                    bad_inputs.add(f"{field}_{line.id}")
            reason = request.POST.get(f"exception_{line.id}", "").strip()
            posted[f"exception_{line.id}"] = reason
            if len(values) == 2:
                rows.append(
                    services.MonthFigures(
                        line=line,
                        month=month,
                        planned=values["planned"],
                        realised=values["realised"],
                        exception_reason=reason,
                    )
                )
        # The rows that could be read are checked too (nothing is saved while any row is wrong),
        # so that one answer names every problem of the month.
        try:
            with transaction.atomic():
                services.spending_save(rows)
                if row_errors:
                    raise _NotSaved
        except _NotSaved:
            pass
        except ValidationError as exc:
            by_line = getattr(exc, "error_dict", None) or {NON_FIELD_ERRORS: exc.error_list}
            for key, problems in by_line.items():
                target = (
                    row_errors.setdefault(int(key), [])
                    if (key.isascii() and key.isdigit()) and int(key) in {x.id for x in leaves}
                    else errors
                )
                target += [m for problem in problems for m in problem]
        else:
            messages.success(request, f"Rencana dan realisasi {BULAN[month - 1]} {year} disimpan.")
            return redirect(reverse("budget", args=[unit.slug]) + f"?tahun={year}")

    def shown(line, field):
        key = f"{field}_{line.id}"
        if key in posted:
            return posted[key]
        stored = current.get(line.id)
        if stored is None:
            return ""
        if field == "exception":
            return stored.exception_reason
        return format_number(getattr(stored, field), 2, trim=True)

    zone = zoneinfo.ZoneInfo(unit.local_time_zone)
    changed = last_changed(SpendingMonth, [m.id for m in current.values()])

    def last_change(line):
        stored = current.get(line.id)
        last = changed.get(stored.id) if stored else None
        return (last[0], local_text(last[1], zone)) if last else None

    rows = [
        {
            "line": line,
            "changed": last_change(line),
            "planned": shown(line, "planned"),
            "realised": shown(line, "realised"),
            "exception": shown(line, "exception"),
            "errors": row_errors.get(line.id, []),
            "bad_planned": f"planned_{line.id}" in bad_inputs,
            "bad_realised": f"realised_{line.id}" in bad_inputs,
        }
        for line in leaves
    ]
    problem_count = len(errors) + sum(len(e) for e in row_errors.values())
    return render(
        request,
        "budget/entry.html",
        {
            "unit": unit,
            "year": year,
            "month": month,
            "month_name": BULAN[month - 1],
            "months": list(enumerate(BULAN, start=1)),
            "rows": rows,
            "errors": errors,
            "problem_count": problem_count,
            "closed": closed,
        },
        status=400 if problem_count else 200,
    )


@login_required
def pagu_revision(request, slug: str, year: int):
    """Revise the pagu of one leaf line (revisi DIPA): new pagu, date and reason, kept as history."""
    unit = facility_or_404(request, slug, "change")
    leaves = attach_full_codes(
        DipaLine.objects.filter(unit=unit, year=year, pagu__isnull=False).order_by("order", "id")
    )
    if not leaves:
        raise Http404("Belum ada baris DIPA untuk tahun ini.")
    errors: list[str] = []
    if request.method == "POST":
        line = next((x for x in leaves if str(x.id) == request.POST.get("line")), None)
        if line is None:
            errors.append("Pilih baris DIPA yang direvisi.")
        try:
            new_pagu = parse_decimal(request.POST.get("pagu", ""))
            if new_pagu is None:
                errors.append("Pagu baru wajib diisi.")
        except ValueError as exc:
            errors.append(f"Pagu baru: {exc} (tulis angka rupiah, misalnya 1.500.000).")
        try:
            revised_on = dt.date.fromisoformat(request.POST.get("date", ""))
        except ValueError:
            errors.append("Tanggal revisi wajib diisi (tttt-bb-hh).")
        if not errors:
            try:
                services.pagu_revise(
                    line=line,
                    new_pagu=new_pagu,
                    revised_on=revised_on,
                    reason=request.POST.get("reason", ""),
                    by=request.user,
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(
                    request, f"Pagu {line} direvisi menjadi {format_rupiah(new_pagu)}."
                )
                return redirect(reverse("budget", args=[unit.slug]) + f"?tahun={year}")
    return render(
        request,
        "budget/revision.html",
        {
            "unit": unit,
            "year": year,
            "leaves": leaves,
            "errors": errors,
            "posted": request.POST,
            "revisions": PaguRevision.objects.filter(line__in=leaves).select_related("line", "by"),
        },
        status=400 if errors else 200,
    )


def _components(text: str, label: str) -> tuple[dict[str, Decimal], list[str]]:
    """'Penyerapan = 99,83' per line -> ({'Penyerapan': Decimal('99.83')}, []), with every line
    that cannot be read named in the second part."""
    parts: dict[str, Decimal] = {}
    problems: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            problems.append(f"Komponen {label} baris {number}: tulis 'Nama = nilai'.")
            continue
        try:
            figure = parse_decimal(value)
        except ValueError as exc:
            problems.append(f"Komponen {label} baris {number}: {exc}.")
            continue
        if figure is None:
            problems.append(f"Komponen {label} baris {number}: nilai kosong.")
            continue
        parts[name.strip()] = figure
    return parts, problems


SCORE_FIELDS = ("smart", "ikpa", "smart_components", "ikpa_components")


@login_required
def scores_edit(request, slug: str, year: int):
    """The year's published SMART DJA and IKPA scores with their components."""
    unit = facility_or_404(request, slug, "change")
    score = BudgetScore.objects.filter(unit=unit, year=year).first()
    # Every problem at once, under its field; `errors` lists them all above the form.
    field_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {}
        for field, label in (("smart", "SMART"), ("ikpa", "IKPA")):
            try:
                values[field] = parse_decimal(request.POST.get(field, ""))
            except ValueError as exc:
                field_errors.setdefault(field, []).append(f"Nilai {label}: {exc}.")
                values[field] = None
        components = {}
        for field, label in (("smart_components", "SMART"), ("ikpa_components", "IKPA")):
            components[field], problems = _components(request.POST.get(field, ""), label)
            if problems:
                field_errors.setdefault(field, []).extend(problems)
        # The readable figures are checked too, so that one answer names every problem.
        try:
            with transaction.atomic():
                services.score_set(
                    unit=unit,
                    year=year,
                    smart=values["smart"],
                    ikpa=values["ikpa"],
                    smart_components=components["smart_components"],
                    ikpa_components=components["ikpa_components"],
                )
                if field_errors:
                    raise _NotSaved
        except _NotSaved:
            pass
        except ValidationError as exc:
            by_field = getattr(exc, "error_dict", None) or {"smart": exc.error_list}
            for field, problems in by_field.items():
                key = field if field in SCORE_FIELDS else "smart"
                field_errors.setdefault(key, []).extend(m for p in problems for m in p)
        else:
            messages.success(request, f"Nilai kinerja anggaran {year} disimpan.")
            return redirect(reverse("budget", args=[unit.slug]) + f"?tahun={year}")
    errors = [m for field in SCORE_FIELDS for m in field_errors.get(field, [])]

    def initial(field):
        if request.method == "POST":
            return request.POST.get(field, "")
        if score is None:
            return ""
        value = getattr(score, field)
        if isinstance(value, dict):
            return "\n".join(
                f"{k} = {format_number(Decimal(v), 2, trim=True)}" for k, v in value.items()
            )
        return "" if value is None else format_number(value, 2, trim=True)

    return render(
        request,
        "budget/scores.html",
        {
            "unit": unit,
            "year": year,
            "errors": errors,
            "field_errors": {f: field_errors.get(f, []) for f in SCORE_FIELDS},
            "form": {f: initial(f) for f in SCORE_FIELDS},
        },
        status=400 if errors else 200,
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def spending_template_download(request, slug: str, year: int):
    """The year's monthly realisation template of the facility (`bulk_upload.spending_template`)."""
    unit = facility_or_404(request, slug, "change")
    content = spending_template(Unit.objects.filter(pk=unit.pk), year)
    return content_download(
        content, filename=f"realisasi-anggaran-{unit.slug}-{year}.xlsx", content_type=XLSX_TYPE
    )


@login_required
@require_POST
def spending_upload_view(request, slug: str, year: int):
    """The filled template: checked whole; with a problem nothing is written and the page lists
    each at its cell; without, the changed months are written at once."""
    unit = facility_or_404(request, slug, "change")
    refused = upload_problems(request)
    upload = request.FILES.get("file")
    page = reverse("budget", args=[unit.slug]) + f"?tahun={year}"
    if refused or upload is None:
        for message in refused or ["Pilih berkas templat yang sudah diisi dulu."]:
            messages.error(request, message)
        return redirect(page)
    only_check = request.POST.get("periksa") == "1"
    result = spending_upload(
        facilities=Unit.objects.filter(pk=unit.pk),
        year=year,
        content=upload.read(),
        filename=upload.name,
        write=not only_check,
    )
    if result.ok and not only_check:
        messages.success(request, f"{result.written} bulan dari {upload.name} disimpan.")
        return redirect(page)
    return render(
        request,
        "budget/upload_result.html",
        {
            "unit": unit,
            "year": year,
            "filename": upload.name,
            "result": result,
            "only_check": only_check,
        },
        status=200 if result.ok else 422,
    )
