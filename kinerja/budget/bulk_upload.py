"""A year's monthly budget realisation from a workbook: a template with one row per DIPA line
that carries a pagu (for a Kanwil, of every facility below it) and a column per month, pre-filled
with what is recorded; then an upload checked whole before anything is written.

Only the cells that differ from what is recorded are written; a blank cell leaves the month as it
is. Every problem is located (sheet, row, column, field): a text that is not rupiah, an amount out
of bounds or with sen, a month whose quarter is submitted or further, a line whose year would
exceed its pagu minus blokir, an unknown line. With none, the changed months are written at once
through `spending_save`, the spending page's service (all or nothing), each history record naming
the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kinerja import calc
from kinerja.budget.models import DipaLine, SpendingMonth, attach_full_codes, closed_month_report
from kinerja.budget.services import MonthFigures, spending_save
from kinerja.core import bounds
from kinerja.core.formatting import BULAN, TRIWULAN, format_rupiah
from kinerja.core.workbook import CellProblem, cell_decimal, sheet_rows
from kinerja.core.xlsx import append_row, workbook_bytes
from kinerja.organizations.models import Unit

SHEET = "Realisasi anggaran"
HEADER_ROW = 3
FIXED = ["ID baris", "Kode UPT", "Kode", "Uraian", "Pagu", "Blokir"]
MONTHS = [f"Realisasi {name}" for name in BULAN]
MAX_ROWS = 50_000


@dataclass(frozen=True)
class Problem(CellProblem):
    sheet: str = SHEET


@dataclass
class Upload:
    changes: list[MonthFigures] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    lines: int = 0  # rows read
    written: int = 0  # months written

    @property
    def ok(self) -> bool:
        return not self.problems


def _lines(facilities: QuerySet[Unit], year: int) -> list[DipaLine]:
    lines = DipaLine.objects.filter(unit__in=facilities, year=year, pagu__isnull=False)
    return attach_full_codes(lines.select_related("unit").order_by("unit__name", "order", "id"))


def spending_template(facilities: QuerySet[Unit], year: int) -> bytes:
    lines = _lines(facilities, year)
    recorded = {
        (m.line_id, m.month): m.realised for m in SpendingMonth.objects.filter(line__in=lines)
    }
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    append_row(sheet, [f"Realisasi anggaran {year} per bulan (rupiah, tanpa sen)"])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(
        sheet,
        [
            "Isi realisasi setiap bulan (bukan kumulatif). Sel kosong: bulan itu tidak diubah. "
            "Jangan mengubah kolom ID baris, Kode UPT dan judul kolom."
        ],
    )
    append_row(sheet, [*FIXED, *MONTHS])
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    for line in lines:
        append_row(
            sheet,
            [
                line.id,
                line.unit.slug,
                line.full_code,
                line.name,
                line.pagu,
                line.blocked,
                *[recorded.get((line.id, m)) for m in range(1, 13)],
            ],
        )
    for index, width in enumerate([9, 22, 18, 44, 16, 14, *[15] * 12], 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=len(FIXED) + 1)
    return workbook_bytes(book)


def spending_upload(
    *, facilities: QuerySet[Unit], year: int, content: bytes, filename: str, write: bool
) -> Upload:
    upload = Upload()
    rows, stop = sheet_rows(content, filename, SHEET, HEADER_ROW + MAX_ROWS)
    if stop is not None:
        upload.problems.append(stop)
        return upload
    header = [
        str(v).strip() if v is not None else ""
        for v in (rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else [])
    ]
    for index, want in enumerate([*FIXED, *MONTHS], 1):
        have = header[index - 1] if index <= len(header) else ""
        if have != want:
            upload.problems.append(
                Problem(
                    HEADER_ROW,
                    get_column_letter(index),
                    have or "(kosong)",
                    f"judul kolom harus '{want}'",
                )
            )
            return upload
    lines = {line.id: line for line in _lines(facilities, year)}
    recorded = {
        (m.line_id, m.month): m for m in SpendingMonth.objects.filter(line__in=lines.values())
    }
    closed: dict[tuple[int, int], str] = {}
    seen: dict[int, int] = {}
    for number, cells in enumerate(rows[HEADER_ROW:], HEADER_ROW + 1):
        cells = tuple(cells) + (None,) * (len(FIXED) + 12 - len(cells))
        if all(c in (None, "") for c in cells):
            continue
        upload.lines += 1
        raw_id = cells[0]
        line = (
            lines.get(raw_id)
            if isinstance(raw_id, int)
            else (
                lines.get(int(raw_id))
                if isinstance(raw_id, str)
                and (raw_id.strip().isascii() and raw_id.strip().isdigit())
                else None
            )
        )
        if line is None:
            upload.problems.append(
                Problem(
                    number,
                    "A",
                    "ID baris",
                    f"Baris DIPA '{str(raw_id)[:20]}' {year} tidak dikenal atau bukan wewenang Anda.",
                )
            )
            continue
        if line.id in seen:
            upload.problems.append(
                Problem(number, "A", "ID baris", f"Baris ini sudah ada di baris {seen[line.id]}.")
            )
            continue
        seen[line.id] = number
        year_total = Decimal(0)
        bad = False
        changes = []
        for month in range(1, 13):
            column = get_column_letter(len(FIXED) + month)
            label = MONTHS[month - 1]
            stored = recorded.get((line.id, month))
            try:
                value = cell_decimal(cells[len(FIXED) + month - 1])
            except ValueError as exc:
                upload.problems.append(
                    Problem(number, column, label, f"{exc}; tulis rupiah, misalnya 1500000.")
                )
                bad = True
                continue
            if value is not None:
                problem = bounds.MONEY.problem(value, label)
                if problem:
                    upload.problems.append(Problem(number, column, label, problem))
                    bad = True
                    continue
            current = stored.realised if stored is not None else Decimal(0)
            new = value if value is not None else current
            year_total += new
            if value is None or value == current:
                continue
            key = (line.unit_id, month)
            if key not in closed:
                report = closed_month_report(line.unit_id, year, month)
                closed[key] = (
                    f"{BULAN[month - 1]} {year} termasuk {TRIWULAN[report.quarter]} yang berstatus "
                    f"{report.get_status_display()}; realisasinya tidak dapat diubah."
                    if report
                    else ""
                )
            if closed[key]:
                upload.problems.append(Problem(number, column, label, closed[key]))
                bad = True
                continue
            changes.append(
                MonthFigures(
                    line=line, month=month, realised=value, reason=f"unggah {filename}"[:100]
                )
            )
        if bad:
            continue
        excepted = any(m.exception for (lid, _), m in recorded.items() if lid == line.id)
        over = calc.overspent(year_total, line.pagu, line.blocked)
        if over and not excepted and changes:
            upload.problems.append(
                Problem(
                    number,
                    "E",
                    "Pagu",
                    f"realisasi setahun {format_rupiah(year_total)} melebihi pagu tersedia "
                    f"{format_rupiah(line.available)} (pagu dikurangi blokir), lebih {format_rupiah(over)}; "
                    "catat pengecualiannya di halaman anggaran bila memang demikian.",
                )
            )
            continue
        upload.changes += changes
    if upload.problems or not write or not upload.changes:
        return upload
    try:
        spending_save(upload.changes)
        upload.written = len(upload.changes)
    except ValidationError as exc:  # changed meanwhile
        upload.problems += [Problem(0, "", "berkas", m) for m in exc.messages]
    return upload
