"""The entry page of a facility and quarter, its per-indicator saves (htmx), evidence and workflow buttons."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinerja.core.downloads import content_download, file_download
from kinerja.core.formatting import (
    BULAN,
    TRIWULAN,
    ZONE_NAMES,
    format_datetime,
    parse_decimal,
    person_name,
)
from kinerja.core.uploads import upload_problems
from kinerja.measurement import services
from kinerja.measurement.bulk_upload import results_template, results_upload
from kinerja.measurement.models import Evidence
from kinerja.measurement.selectors import entry_row, entry_rows
from kinerja.organizations.access import facility_or_404, in_unit_zone, may
from kinerja.organizations.models import Membership, Role, Unit
from kinerja.planning.models import PerjanjianKinerja, PKIndicator, PKStatus


def _month(request, unit: Unit, quarter: int) -> int | None:
    """The month being entered for a facility that records monthly (None for quarterly entry):
    `bulan` from the form or the address, by default the current month when it lies in the
    quarter, else the quarter's last month."""
    raw = request.POST.get("bulan") or request.GET.get("bulan")
    if not unit.results_by_month:
        if raw:
            raise Http404("Unit ini mengisi realisasi per triwulan.")
        return None
    months = range(3 * quarter - 2, 3 * quarter + 1)
    if raw:
        try:
            month = int(raw)
        except ValueError:
            raise Http404("Bulan tidak sah.") from None
        if month not in months:
            raise Http404(f"Bulan {raw} tidak termasuk {TRIWULAN[quarter]}.")
        return month
    today = timezone.localdate().month
    return today if today in months else months[-1]


def _context(
    request, slug: str, year: int, quarter: int, action: str = "view", *, with_report: bool = True
):
    if quarter not in TRIWULAN:
        raise Http404("Triwulan tidak sah.")
    # The PK in force (the signed one of the highest revision) of a facility this user may act
    # on, with the facility, in one query; which of the two is missing is asked only on a 404.
    agreement = (
        _in_force(request, slug, year, action).select_related("unit__parent__parent").first()
    )
    if agreement is None:
        facility_or_404(request, slug, action)
        raise Http404("Belum ada Perjanjian Kinerja yang ditandatangani untuk tahun ini.")
    unit = in_unit_zone(agreement.unit)
    if not with_report:
        return unit, agreement, None, None
    report = services.quarter_report(agreement, quarter)
    # facility_or_404 has checked "change" already when that is the action asked for.
    can_edit = report.editable and (action == "change" or may(request.user, unit, "change"))
    return unit, agreement, report, can_edit


def _reopeners(unit: Unit) -> list[str]:
    """Who can set the region's entry window again: the Kanwil's evaluators, by name."""
    if unit.parent_id is None:
        return []
    users = (
        Membership.objects.filter(unit_id=unit.parent_id, role=Role.EVALUATOR)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    return [person_name(m.user) for m in users if m.user.is_active]


def _in_force(request, slug: str, year: int, action: str):
    return PerjanjianKinerja.objects.filter(
        unit__in=Unit.objects.restrict(request.user, action).facilities(),
        unit__slug=slug,
        year=year,
        status=PKStatus.SIGNED,
    ).order_by("-revision")


def _page_url(unit, year, quarter, month: int | None = None) -> str:
    url = reverse("entry", args=[unit.slug, year, quarter])
    return f"{url}?bulan={month}" if month else url


@login_required
def entry_page(request, slug: str, year: int, quarter: int):
    try:
        unit, agreement, report, can_edit = _context(request, slug, year, quarter)
    except Http404:
        # A PK still in draft: the facility page says why nothing can be filled yet and what the
        # head must complete before signing.
        draft = (
            PerjanjianKinerja.objects.restrict(request.user)
            .filter(unit__slug=slug, year=year, status=PKStatus.DRAFT)
            .select_related("unit")
            .first()
        )
        if draft is None or quarter not in TRIWULAN:
            raise
        return redirect(f"{reverse('unit_detail', args=[slug])}?tahun={year}#pk")
    return _entry_render(request, unit, agreement, report, can_edit, quarter, year)


def _entry_render(
    request,
    unit: Unit,
    agreement: PerjanjianKinerja,
    report,
    can_edit: bool,
    quarter: int,
    year: int,
    *,
    sent: _Sent | None = None,
    refused: dict[int, dict[str, str]] | None = None,
    pending: set[int] | None = None,
    status: int = 200,
):
    """The entry page; after a refused "Simpan semua", with what was typed in the rows that were
    changed (`pending`) and every problem at its indicator (`refused`: per row id, by field)."""
    month = _month(request, unit, quarter)
    allowed = {perm: may(request.user, unit, perm) for perm in ("change", "sign", "verify")}
    window = services.entry_window_state(agreement, quarter)
    if window.problem:
        can_edit = False
    rows = entry_rows(agreement, quarter, month=month)
    for item in rows:
        item.errors = (refused or {}).get(item.row.id, {})
        if sent is not None and item.row.id in (pending or set()):
            item.posted = sent.posted(item.row)
            item.posted_narrative = sent.get(item.row, "narrative")
    return render(
        request,
        "measurement/entry.html",
        {
            "unit": unit,
            "agreement": agreement,
            "report": report,
            "quarter": quarter,
            "year": year,
            "rows": rows,
            "refused": refused,
            "month": month,
            "month_name": BULAN[month - 1] if month else "",
            "months": (
                [(m, BULAN[m - 1]) for m in range(3 * quarter - 2, 3 * quarter + 1)]
                if month
                else []
            ),
            "can_edit": can_edit,
            "may": allowed,
            "can_note": allowed["verify"],
            "window": window,
            "zone": ZONE_NAMES.get(unit.local_time_zone, unit.local_time_zone),
            "reopeners": _reopeners(unit) if window.state == "closed" else [],
            "transitions": report.transitions.select_related("by") if report.pk else [],
            "quarters": TRIWULAN,
            "missing": services.missing_results(agreement, quarter) if report.editable else [],
        },
        status=status,
    )


_ROW_FIELD = re.compile(r"^r(\d{1,12})-")


class _Sent:
    """What a POST of the entry page holds for its rows: the fields `r<id>-<symbol>`,
    `r<id>-narrative` and `r<id>-versi` (the row as the page showed it). `legacy`: also the one-row
    names `v_<symbol>` and `narrative` of older pages and clients (a row's own save only, never
    "Simpan semua", where they would fall on every row). `aliases`: for a page made before a PK
    revision was signed, the id each row of the version in force had on that page."""

    def __init__(self, request, *, legacy: bool = False, aliases: dict[int, int] | None = None):
        self.data = request.POST
        self.legacy = legacy
        self.aliases = aliases or {}

    def ids(self) -> set[int]:
        return {int(m.group(1)) for key in self.data if (m := _ROW_FIELD.match(key))}

    def get(self, row: PKIndicator, name: str) -> str | None:
        value = self.data.get(f"r{self.aliases.get(row.id, row.id)}-{name}")
        if value is None and self.legacy:
            value = self.data.get(name if name == "narrative" else f"v_{name}")
        return value

    def has(self, row: PKIndicator) -> bool:
        names = [v.symbol for v in row.indicator.variables.all()] + ["narrative"]
        return any(self.get(row, name) is not None for name in names)

    def posted(self, row: PKIndicator) -> dict[str, str]:
        return {v.symbol: (self.get(row, v.symbol) or "") for v in row.indicator.variables.all()}

    def parse(self, row: PKIndicator) -> tuple[dict, str | None, dict[str, str]]:
        """The row's values as numbers, its description (None when not sent) and a problem per
        value that is not a number (every one, not only the first)."""
        values: dict = {}
        errors: dict[str, str] = {}
        for variable in row.indicator.variables.all():
            raw = (self.get(row, variable.symbol) or "").strip()
            try:
                values[variable.symbol] = parse_decimal(raw)
            except ValueError as exc:
                errors[variable.symbol] = f"{variable.symbol}: {exc}. Tulis jumlah, misalnya 73."
        return values, self.get(row, "narrative"), errors


def _changed(item, values: dict, narrative: str | None) -> bool:
    """Whether what was sent for a row differs from what is stored."""
    stored_narrative = item.realization.narrative if item.realization else ""
    if narrative is not None and narrative.strip() != stored_narrative.strip():
        return True
    return any(values[k] != item.values.get(k) for k in values)


def _aliases(agreement: PerjanjianKinerja, rows, sent_ids: set[int]) -> dict[int, int]:
    """For rows sent from a page of an earlier version of this PK (a revision was signed since):
    the row of the version in force with the same indicator, and the id it had on that page."""
    ours = {item.row.id for item in rows}
    strangers = sent_ids - ours
    if not strangers:
        return {}
    earlier = PKIndicator.objects.filter(
        pk__in=strangers, agreement__unit_id=agreement.unit_id, agreement__year=agreement.year
    ).values_list("id", "indicator_id")
    by_indicator = {item.row.indicator_id: item.row.id for item in rows}
    return {by_indicator[ind]: old for old, ind in earlier if ind in by_indicator}


@login_required
@require_POST
def entry_row_save(request, slug: str, year: int, quarter: int, row_id: int):
    # The row with its PK in force and facility in one query (the 404s are those of _context).
    # The quarter's report is read (and locked) by the service; the page needs it only on an error.
    pk_indicator = (
        PKIndicator.objects.filter(
            pk=row_id, agreement=Subquery(_in_force(request, slug, year, "change").values("pk")[:1])
        )
        .select_related("indicator", "agreement__unit__parent__parent")
        .prefetch_related("indicator__variables")
        .first()
    )
    if pk_indicator is None or quarter not in TRIWULAN:
        _context(request, slug, year, quarter, "change", with_report=False)
        raise Http404(
            "Indikator tidak ada pada Perjanjian Kinerja yang berlaku (PK mungkin sudah direvisi): "
            "muat ulang halaman."
        )
    agreement = pk_indicator.agreement
    unit = in_unit_zone(agreement.unit)
    month = _month(request, unit, quarter)
    sent = _Sent(request, legacy=True)
    values, narrative, errors = sent.parse(pk_indicator)
    saved = False
    if not errors:
        try:
            services.realization_save(
                pk_indicator=pk_indicator,
                quarter=quarter,
                values=values,
                narrative=narrative or "",
                by=request.user,
                month=month,
                expected_version=sent.get(pk_indicator, "versi"),
            )
            saved = True
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
            else:
                errors = {"general": " ".join(exc.messages)}
    if not request.headers.get("HX-Request"):
        for message in errors.values():
            messages.error(request, message)
        if saved:
            messages.success(request, f"{pk_indicator.indicator.code} disimpan.")
        return redirect(_page_url(unit, year, quarter, month) + f"#ikk-{row_id}")
    # The row was found on a facility this user may change: it is editable while the report is.
    can_edit = saved or services.quarter_report(agreement, quarter).editable
    item = entry_row(pk_indicator, quarter, month=month)
    item.errors = errors
    if errors:
        item.posted = sent.posted(pk_indicator)
        item.posted_narrative = narrative
    return render(
        request,
        "measurement/_entry_row.html",
        {
            "item": item,
            "unit": unit,
            "year": year,
            "quarter": quarter,
            "month": month,
            "can_edit": can_edit,
            "saved": saved,
            "saved_at": format_datetime(timezone.now()) if saved else "",
        },
    )


@login_required
@require_POST
def entry_save_all(request, slug: str, year: int, quarter: int):
    """ "Simpan semua": every indicator of the page whose values or description were changed, at
    once, all or nothing. A row someone else changed since the page was opened is refused with what
    is stored now. A refused save shows the page again with everything typed and each problem at
    its indicator."""
    unit, agreement, report, can_edit = _context(request, slug, year, quarter, "change")
    month = _month(request, unit, quarter)
    rows = entry_rows(agreement, quarter, month=month)
    sent = _Sent(request)
    sent.aliases = _aliases(agreement, rows, sent.ids())
    entries = {}
    refused: dict[int, dict[str, str]] = {}
    pending: set[int] = set()
    for item in rows:
        if not sent.has(item.row):
            continue  # not on the page that was sent
        values, narrative, errors = sent.parse(item.row)
        if not errors and not _changed(item, values, narrative):
            continue
        pending.add(item.row.id)
        if errors:
            refused[item.row.id] = errors
            continue
        item.row.agreement = agreement  # one PK object (and its facility) for every row
        stored_narrative = item.realization.narrative if item.realization else ""
        entries[item.row] = (
            values,
            narrative if narrative is not None else stored_narrative,
            sent.get(item.row, "versi"),
        )
    problem: tuple[int, str] | None = None
    if sent.aliases and pending:
        # Typed on the version the page showed; the PK in force is a newer revision. Nothing is
        # written; the figures typed stand in the rows of the revision, to check and save again.
        problem = (
            409,
            f"Tidak ada yang disimpan: Perjanjian Kinerja {year} telah direvisi sejak halaman ini "
            "dibuka. Angka yang Anda ketik ditampilkan pada versi yang berlaku; periksa, lalu "
            "simpan lagi.",
        )
    else:
        if entries:
            # The rows that are numbers go through the service even when another row is not, so
            # that every problem is named at once; then nothing is kept.
            try:
                with transaction.atomic():
                    services.quarter_save(
                        entries=entries, quarter=quarter, by=request.user, month=month
                    )
                    if refused:
                        raise services.RowsRefused({})
            except services.RowsRefused as exc:
                refused.update(exc.rows)
        if refused:
            problem = (
                422,
                f"Tidak ada yang disimpan: {len(refused)} IKK perlu diperbaiki (ditandai di "
                "bawah). Angka yang sudah Anda ketik masih ada di halaman ini.",
            )
    if problem:
        status, text = problem
        messages.error(request, text)
        return _entry_render(
            request,
            unit,
            agreement,
            report,
            can_edit,
            quarter,
            year,
            sent=sent,
            refused=refused,
            pending=pending,
            status=status,
        )
    if entries:
        codes = ", ".join(row.indicator.code for row in entries)
        messages.success(request, f"{len(entries)} IKK disimpan: {codes}.")
    else:
        messages.info(request, "Tidak ada perubahan untuk disimpan.")
    return redirect(_page_url(unit, year, quarter, month))


@login_required
@require_POST
def evidence_upload(request, slug: str, year: int, quarter: int, row_id: int):
    unit, agreement, report, can_edit = _context(request, slug, year, quarter, "change")
    month = _month(request, unit, quarter)
    pk_indicator = get_object_or_404(
        agreement.indicators.select_related("indicator", "agreement"), pk=row_id
    )
    problems = upload_problems(request)
    upload = request.FILES.get("file")
    added = ""
    if not problems and upload is None:
        problems = ["Pilih berkas data dukung dulu."]
    elif not problems:
        try:
            services.evidence_add(
                pk_indicator=pk_indicator,
                quarter=quarter,
                data=upload.read(),
                filename=upload.name,
                by=request.user,
                month=month,
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            added = f"Data dukung {upload.name} ditambahkan pada {pk_indicator.indicator.code}."
    if request.headers.get("HX-Request"):
        # Only the indicator's evidence is replaced: what is typed elsewhere on the page stays.
        return render(
            request,
            "measurement/_evidence.html",
            {
                "item": entry_row(pk_indicator, quarter, month=month),
                "unit": unit,
                "year": year,
                "quarter": quarter,
                "month": month,
                "can_edit": can_edit,
                "evidence_problems": problems,
                "evidence_added": added,
            },
            # 200 either way: htmx swaps only successful answers, and the problems belong in the
            # indicator's box.
        )
    for message in problems:
        messages.error(request, message)
    if added:
        messages.success(request, added)
    return redirect(_page_url(unit, year, quarter, month) + f"#ikk-{row_id}")


@login_required
def evidence_download(request, slug: str, evidence_id: int):
    unit = facility_or_404(request, slug)
    evidence = get_object_or_404(
        Evidence.objects.filter(realization__pk_indicator__agreement__unit=unit), pk=evidence_id
    )
    return file_download(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        filename=evidence.original_name,
    )


@login_required
@require_POST
def quarter_action(request, slug: str, year: int, quarter: int):
    unit, agreement, report, can_edit = _context(request, slug, year, quarter)
    action = request.POST.get("action", "")
    if action not in services.TRANSITIONS:
        raise Http404("Tindakan tidak dikenal.")
    try:
        report = services.quarter_transition(
            agreement=agreement,
            quarter=quarter,
            action=action,
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except PermissionError as exc:
        raise Http404(str(exc)) from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, f"Laporan {TRIWULAN[quarter]} {year}: {report.get_status_display()}."
        )
        # What ran after the commit (the review, in its own app) and what it has to say.
        for notice in getattr(report, "notices", ()):
            messages.add_message(request, getattr(messages, notice.level.upper()), notice.text)
    return redirect(_page_url(unit, year, quarter))


@login_required
@require_POST
def monitoring_note(request, slug: str, year: int, quarter: int, row_id: int):
    unit, agreement, report, can_edit = _context(request, slug, year, quarter, "verify")
    pk_indicator = get_object_or_404(agreement.indicators.select_related("agreement"), pk=row_id)
    try:
        services.monitoring_note_add(
            pk_indicator=pk_indicator,
            quarter=quarter,
            text=request.POST.get("text", ""),
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_page_url(unit, year, quarter) + f"#ikk-{row_id}")


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def results_template_download(request, slug: str, year: int, quarter: int):
    """The quarter's results template of the facility (`bulk_upload.results_template`)."""
    if quarter not in TRIWULAN:
        raise Http404("Triwulan tidak sah.")
    unit = facility_or_404(request, slug, "change")
    content = results_template(Unit.objects.filter(pk=unit.pk), year, quarter)
    return content_download(
        content, filename=f"realisasi-{unit.slug}-{year}-tw{quarter}.xlsx", content_type=XLSX_TYPE
    )


@login_required
@require_POST
def results_upload_view(request, slug: str, year: int, quarter: int):
    """The filled template: checked whole; with a problem nothing is written and the page lists
    each at its cell; without, every row is written at once (unless only a check was asked)."""
    if quarter not in TRIWULAN:
        raise Http404("Triwulan tidak sah.")
    unit = facility_or_404(request, slug, "change")
    refused = upload_problems(request)
    upload = request.FILES.get("file")
    page = _page_url(unit, year, quarter)
    if refused or upload is None:
        for message in refused or ["Pilih berkas templat yang sudah diisi dulu."]:
            messages.error(request, message)
        return redirect(page)
    only_check = request.POST.get("periksa") == "1"
    result = results_upload(
        facilities=Unit.objects.filter(pk=unit.pk),
        year=year,
        quarter=quarter,
        content=upload.read(),
        filename=upload.name,
        by=request.user,
        write=not only_check,
    )
    if result.ok and not only_check:
        messages.success(
            request,
            f"{result.written} IKK dari {upload.name} disimpan"
            + (f"; {result.skipped} baris kosong dilewati." if result.skipped else "."),
        )
        return redirect(page)
    return render(
        request,
        "measurement/upload_result.html",
        {
            "unit": unit,
            "year": year,
            "quarter": quarter,
            "filename": upload.name,
            "result": result,
            "only_check": only_check,
        },
        status=200 if result.ok else 422,
    )
