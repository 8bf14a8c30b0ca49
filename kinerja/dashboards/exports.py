"""XLSX downloads of the dashboard tables: completeness and timeliness, budget across facilities,
open review findings.

Exporters have one shape (`core.render.export.Export`): `(unit, facilities, year) -> Export`, where
`unit` is the Kanwil or the directorate the table is for and `facilities` a Unit queryset already
restricted to what the user may see (and filtered); they do not care who asked. The views below
serve them for a Kanwil or the directorate (`above_facility_or_404`).

Cells: text through `core.xlsx.append_row` (a name or a return reason typed as "=…" stays text,
never a formula), money and counts as numbers (`#,##0`), percentages as numbers (`0.00%`, the
value / 100), dates as dates, times in the facility's zone.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kinerja.core.bounds import year_or_404
from kinerja.core.downloads import content_download
from kinerja.core.formatting import TRIWULAN
from kinerja.core.render.export import XLSX, Export
from kinerja.core.xlsx import append_row, workbook_bytes
from kinerja.dashboards.money import BudgetTotals, budget_across
from kinerja.dashboards.monitoring import STATUSES, completeness, findings
from kinerja.organizations.access import above_facility_or_404
from kinerja.organizations.models import Unit

RUPIAH = "#,##0"
COUNT = "#,##0"
PERCENT = "0.00%"
SCORE = "0.00"
DATE = "DD/MM/YYYY"
DATETIME = "DD/MM/YYYY HH:MM"
HUNDRED = Decimal(100)


def facilities_of(user, unit: Unit) -> QuerySet[Unit]:
    """Every facility below `unit` (a Kanwil or the directorate) that the user may view."""
    return Unit.objects.restrict(user, "view").facilities().filter(path__startswith=unit.path)


def _fraction(percent: Decimal | None) -> Decimal | None:
    return percent / HUNDRED if percent is not None else None


class Table:
    """One sheet: a title, a header row, rows; number formats per column."""

    def __init__(self, sheet: Worksheet, title: str, columns: Sequence[tuple[str, str, int]]):
        # columns: (header, number format or "", width)
        self.sheet, self.columns = sheet, columns
        append_row(sheet, [title])
        sheet["A1"].font = Font(bold=True, size=13)
        append_row(sheet, [])
        append_row(sheet, [c[0] for c in columns])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for index, (_, _, width) in enumerate(columns, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A4"

    def row(self, values: Sequence[object], *, bold: bool = False) -> None:
        append_row(self.sheet, list(values))
        for cell, (_, fmt, _) in zip(self.sheet[self.sheet.max_row], self.columns, strict=False):
            if fmt and not isinstance(cell.value, str):
                cell.number_format = fmt
            if bold:
                cell.font = Font(bold=True)

    def finish(self) -> None:
        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A3:{last}{max(self.sheet.max_row, 3)}"


def _name(unit: Unit | None) -> str:
    return unit.name if unit is not None else ""


def _filename(kind: str, unit: Unit, year: int) -> str:
    return f"{kind}-{unit.slug}-{year}.xlsx"


# --- Completeness and timeliness ------------------------------------------------------------------


def completeness_xlsx(
    unit: Unit, facilities: QuerySet[Unit], year: int, *, now: dt.datetime | None = None
) -> Export:
    data = completeness(facilities, year, now=now, years_back=0)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Per UPT"
    table = Table(
        sheet,
        f"Kelengkapan dan ketepatan waktu laporan triwulan {year} · {unit.name}",
        [
            ("Wilayah", "", 30),
            ("UPT", "", 36),
            ("Triwulan", "", 9),
            ("Status", "", 22),
            ("Alasan dikembalikan", "", 36),
            ("Pertama diajukan", DATE, 16),
            ("Batas pengisian", DATE, 16),
            ("Ketepatan waktu", "", 26),
            ("Terlambat (hari)", COUNT, 12),
        ],
    )
    for row in data.facilities:
        if not row.has_pk:
            table.row([_name(row.region), row.unit.name, "", "Belum ada PK", "", None, None, ""])
            continue
        for q in row.quarters:
            table.row(
                [
                    _name(row.region),
                    row.unit.name,
                    TRIWULAN[q.quarter],
                    q.label,
                    q.reason,
                    q.submitted_on,
                    q.closes,
                    q.timing_label,
                    q.late_days,
                ]
            )
    table.finish()

    summary = Table(
        book.create_sheet("Ringkasan"),
        f"Tingkat pelaporan {year} per wilayah · {unit.name}",
        [("Wilayah", "", 30), ("Triwulan", "", 9), ("UPT dengan PK", COUNT, 12)]
        + [(label, COUNT, 14) for _, label in STATUSES]
        + [
            ("Sudah melapor", COUNT, 12),
            ("Tingkat pelaporan", PERCENT, 12),
            ("Tepat waktu", COUNT, 12),
            ("Terlambat", COUNT, 12),
            ("Belum diajukan, lewat batas", COUNT, 14),
            ("Ketepatan waktu", PERCENT, 12),
        ],
    )
    groups = [(r.unit.name, r.quarters) for r in data.regions]
    groups.append((f"Seluruh ({unit.name})", data.quarters))
    for name, quarters in groups:
        for s in quarters:
            summary.row(
                [name, TRIWULAN[s.quarter], s.facilities]
                + [n for _, _, n in s.status_counts]
                + [
                    s.reported,
                    _fraction(s.reporting_rate),
                    s.on_time,
                    s.late,
                    s.overdue,
                    _fraction(s.on_time_rate),
                ],
                bold=name.startswith("Seluruh"),
            )
    summary.finish()
    content = workbook_bytes(book)
    return Export(_filename("kelengkapan", unit, year), XLSX, content)


# --- Budget across facilities --------------------------------------------------------------------


def budget_xlsx(unit: Unit, facilities: QuerySet[Unit], year: int) -> Export:
    data = budget_across(facilities, year)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Per UPT"
    table = Table(
        sheet,
        f"Anggaran {year} per UPT · {unit.name}",
        [
            ("Wilayah", "", 30),
            ("UPT", "", 36),
            ("Sumber angka", "", 22),
            ("Pagu (Rp)", RUPIAH, 18),
            ("Blokir (Rp)", RUPIAH, 16),
            ("Pagu tersedia (Rp)", RUPIAH, 18),
            ("Realisasi (Rp)", RUPIAH, 18),
            ("Penyerapan", PERCENT, 12),
            ("Nilai SMART", SCORE, 10),
            ("Nilai IKPA", SCORE, 10),
            ("Capaian Kinerja Anggaran", SCORE, 14),
        ],
    )
    for row in data.facilities:
        table.row(
            [
                _name(row.region),
                row.unit.name,
                row.source,
                row.pagu,
                row.blocked,
                row.available,
                row.realised if row.has_figures else None,
                _fraction(row.absorption),
                row.smart,
                row.ikpa,
                row.performance,
            ]
        )
    table.finish()

    summary = Table(
        book.create_sheet("Jumlah"),
        f"Jumlah anggaran {year} per wilayah (penyerapan dari jumlah) · {unit.name}",
        [
            ("Wilayah", "", 30),
            ("UPT dijumlahkan", COUNT, 12),
            ("dari angka laporan", COUNT, 12),
            ("UPT tanpa pagu", COUNT, 12),
            ("Pagu (Rp)", RUPIAH, 20),
            ("Blokir (Rp)", RUPIAH, 18),
            ("Pagu tersedia (Rp)", RUPIAH, 20),
            ("Realisasi (Rp)", RUPIAH, 20),
            ("Penyerapan", PERCENT, 12),
        ],
    )

    def total_row(name: str, t: BudgetTotals, bold: bool = False) -> None:
        summary.row(
            [
                name,
                t.facilities,
                t.reported,
                t.left_out,
                t.pagu,
                t.blocked,
                t.available,
                t.realised,
                _fraction(t.absorption),
            ],
            bold=bold,
        )

    for region in data.regions:
        total_row(region.unit.name, region.totals)
    total_row(f"Seluruh ({unit.name})", data.totals, bold=True)
    summary.finish()
    return Export(_filename("anggaran", unit, year), XLSX, workbook_bytes(book))


# --- Open review findings ------------------------------------------------------------------------


def findings_xlsx(unit: Unit, facilities: QuerySet[Unit], year: int) -> Export:
    data = findings(facilities, year)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Temuan per UPT"
    table = Table(
        sheet,
        f"Temuan reviu terbuka {year} per UPT · {unit.name}",
        [
            ("Wilayah", "", 30),
            ("UPT", "", 36),
            ("Keterangan", "", 18),
            ("Galat", COUNT, 9),
            ("Peringatan", COUNT, 11),
            ("Catatan", COUNT, 9),
            ("Diterima dengan penjelasan", COUNT, 14),
            ("Direviu pada", DATETIME, 18),
            ("Dijalankan oleh", "", 24),
        ],
    )
    for row in data.facilities:
        run = row.run
        if run is None:
            note = "belum direviu" if row.has_pk else "belum ada PK"
            table.row([_name(row.unit.parent), row.unit.name, note])
            continue
        local = timezone.localtime(run.at, zoneinfo.ZoneInfo(row.unit.local_time_zone))
        table.row(
            [
                _name(row.unit.parent),
                row.unit.name,
                "direviu",
                run.errors,
                run.warnings,
                run.notes,
                run.accepted,
                local.replace(tzinfo=None),
                run.trigger,
            ]
        )
    table.finish()
    return Export(_filename("temuan-reviu", unit, year), XLSX, workbook_bytes(book))


# --- Downloads for a Kanwil or the directorate ----------------------------------------------------------------------


def _region_scope(request: HttpRequest, slug: str) -> tuple[Unit, QuerySet[Unit], int]:
    region = above_facility_or_404(request, slug)
    year = year_or_404(request.GET.get("tahun"), timezone.localdate().year)
    return region, facilities_of(request.user, region), year


def _download(export: Export) -> HttpResponse:
    return content_download(export.content, filename=export.filename, content_type=export.mimetype)


@login_required
def region_completeness_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    return _download(completeness_xlsx(*_region_scope(request, slug)))


@login_required
def region_budget_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    return _download(budget_xlsx(*_region_scope(request, slug)))


@login_required
def region_findings_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    return _download(findings_xlsx(*_region_scope(request, slug)))
