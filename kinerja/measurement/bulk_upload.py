"""Results of many IKK (and, for a Kanwil, many facilities) at once from a workbook: a template per
quarter, one row per facility × IKK of its PK in force with the variables as columns (pre-filled
with what is recorded), then an upload that is checked whole before anything is written.

Every problem is located (sheet, row, column, field) and nothing is written while there is one;
a clean upload writes every row through `realization_save`, the entry page's service (the same
checks, the quarter's status, the region's entry window, the PK's lock, history), in one
transaction: nothing half-written. Each history record names the file as its source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kinerja.core.formatting import TRIWULAN
from kinerja.core.workbook import CellProblem, cell_decimal, sheet_rows
from kinerja.core.xlsx import append_row, workbook_bytes
from kinerja.indicators.models import Level
from kinerja.measurement.models import Realization
from kinerja.measurement.services import (
    entry_window_problem,
    period_problem,
    quarter_report,
    realization_save,
    value_problems,
)
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja, PKIndicator, PKStatus

SHEET = "Realisasi"
HEADER_ROW = 3
FIXED = ["Kode UPT", "UPT", "Kode IKK", "IKK", "Rumus", "Arti variabel"]
NARRATIVE = "Narasi"
MAX_ROWS = 20_000  # a directorate's 700 facilities × 28 IKK fit


@dataclass(frozen=True)
class Problem(CellProblem):
    sheet: str = SHEET


@dataclass
class Row:
    line: int
    pk_indicator: PKIndicator
    values: dict[str, Decimal | None]
    narrative: str


@dataclass
class Upload:
    rows: list[Row] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    skipped: int = 0  # rows left empty (nothing to write)
    written: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _agreements(facilities: Iterable[Unit], year: int) -> dict[int, PerjanjianKinerja]:
    """Per facility its signed PK in force for the year (results are recorded on it only)."""
    found: dict[int, PerjanjianKinerja] = {}
    for agreement in (
        PerjanjianKinerja.objects.filter(
            unit__in=list(facilities), year=year, status=PKStatus.SIGNED
        )
        .select_related("unit__parent")
        .order_by("unit_id", "-revision")
    ):
        found.setdefault(agreement.unit_id, agreement)
    return found


def _rows(agreements: Iterable[PerjanjianKinerja]) -> list[PKIndicator]:
    return list(
        PKIndicator.objects.filter(agreement__in=list(agreements), indicator__level=Level.IKK)
        .select_related("indicator", "agreement__unit__parent")
        .prefetch_related("indicator__variables")
        .order_by("agreement__unit__name", "goal__number", "number")
    )


def _symbols(rows: Iterable[PKIndicator]) -> list[str]:
    return sorted({v.symbol for r in rows for v in r.indicator.variables.all()})


def results_template(facilities: QuerySet[Unit], year: int, quarter: int) -> bytes:
    """The workbook to fill: one row per facility × IKK of its signed PK, the values recorded for
    the quarter already in place (a row left as it is writes the same values again)."""
    agreements = _agreements(facilities, year)
    rows = _rows(agreements.values())
    symbols = _symbols(rows)
    recorded = {
        r.pk_indicator_id: r
        for r in Realization.objects.filter(
            pk_indicator__in=rows, quarter=quarter, month__isnull=True
        ).prefetch_related("values")
    }
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    append_row(
        sheet, [f"Realisasi {TRIWULAN[quarter]} {year}: nilai kumulatif s.d. akhir triwulan"]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(
        sheet,
        [
            "Isi kolom variabel dengan angka (jumlah orang/berkas, bukan persen); kosongkan "
            "seluruh baris yang tidak diubah. Arti setiap variabel ada di kolom Arti variabel. "
            "Jangan mengubah kolom Kode UPT, Kode IKK dan judul kolom."
        ],
    )
    header = [*FIXED, *symbols, NARRATIVE]
    append_row(sheet, header)
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    for row in rows:
        variables = {v.symbol: v.description for v in row.indicator.variables.all()}
        have = recorded.get(row.id)
        values = {v.symbol: v.value for v in have.values.all()} if have else {}
        append_row(
            sheet,
            [
                row.agreement.unit.slug,
                row.agreement.unit.name,
                row.indicator.code,
                row.name,
                row.indicator.formula,
                "; ".join(f"{k} = {d}" for k, d in sorted(variables.items())),
                *[values.get(s) if s in variables else None for s in symbols],
                have.narrative if have else "",
            ],
        )
    for index, width in enumerate([22, 36, 10, 50, 16, 60, *[10] * len(symbols), 40], 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=len(FIXED) + 1)
    return workbook_bytes(book)


def results_upload(
    *,
    facilities: QuerySet[Unit],
    year: int,
    quarter: int,
    content: bytes,
    filename: str,
    by: User | None,
    write: bool,
) -> Upload:
    """Check the whole workbook against the facilities the user may change (`facilities`) and,
    with `write` and no problem, write every filled row in one transaction."""
    upload = Upload()
    lines, stop = sheet_rows(content, filename, SHEET, HEADER_ROW + MAX_ROWS)
    if stop is not None:
        upload.problems.append(stop)
        return upload
    header = [
        str(v).strip() if v is not None else ""
        for v in (lines[HEADER_ROW - 1] if len(lines) >= HEADER_ROW else [])
    ]
    while header and header[-1] == "":
        header.pop()
    symbols = header[len(FIXED) : -1]
    expected_fixed = header[: len(FIXED)] == FIXED and header[-1:] == [NARRATIVE]
    if not expected_fixed or not symbols or any(not s.isalnum() or len(s) > 16 for s in symbols):
        wanted = [*FIXED, "A", "B", "…", NARRATIVE]
        for index, name in enumerate(header or [""], 1):
            want = wanted[index - 1] if index <= len(FIXED) else None
            if want is not None and name != want:
                upload.problems.append(
                    Problem(
                        HEADER_ROW,
                        get_column_letter(index),
                        name or "(kosong)",
                        f"judul kolom harus '{want}'",
                    )
                )
                break
        else:
            upload.problems.append(
                Problem(
                    HEADER_ROW,
                    "",
                    "judul kolom",
                    "judul kolom tidak sesuai templat: " + ", ".join(wanted),
                )
            )
        return upload
    column = {name: get_column_letter(i) for i, name in enumerate(header, 1)}
    units = {u.slug: u for u in facilities}
    agreements = _agreements(units.values(), year)
    by_key = {(r.agreement.unit.slug, r.indicator.code): r for r in _rows(agreements.values())}
    state: dict[int, str] = {}  # per PK: why its quarter cannot take results ("" when it can)
    seen: dict[tuple[str, str], int] = {}
    for line, cells in enumerate(lines[HEADER_ROW:], HEADER_ROW + 1):
        cells = tuple(cells) + (None,) * (len(header) - len(cells))
        slug = str(cells[0] or "").strip()
        code = str(cells[2] or "").strip()
        raw = dict(zip(symbols, cells[len(FIXED) : len(FIXED) + len(symbols)], strict=True))
        narrative = str(cells[len(header) - 1] or "").strip()
        if not slug and not code and all(v in (None, "") for v in raw.values()):
            continue  # an empty line
        if all(v in (None, "") for v in raw.values()) and not narrative:
            upload.skipped += 1
            continue  # a row left empty: nothing to write
        if slug not in units:
            upload.problems.append(
                Problem(
                    line,
                    column["Kode UPT"],
                    "Kode UPT",
                    f"UPT '{slug[:40]}' tidak dikenal atau bukan wewenang Anda.",
                )
            )
            continue
        if units[slug].id not in agreements:
            upload.problems.append(
                Problem(
                    line,
                    column["Kode UPT"],
                    "Kode UPT",
                    f"{units[slug].name} belum memiliki PK {year} yang ditandatangani.",
                )
            )
            continue
        row = by_key.get((slug, code))
        if row is None:
            upload.problems.append(
                Problem(
                    line,
                    column["Kode IKK"],
                    "Kode IKK",
                    f"IKK '{code[:20]}' tidak ada pada PK {year} {units[slug].name}.",
                )
            )
            continue
        if (slug, code) in seen:
            upload.problems.append(
                Problem(
                    line,
                    column["Kode IKK"],
                    "Kode IKK",
                    f"{code} {slug} sudah ada di baris {seen[(slug, code)]}.",
                )
            )
            continue
        seen[(slug, code)] = line
        agreement = row.agreement
        if agreement.pk not in state:
            report = quarter_report(agreement, quarter)
            state[agreement.pk] = (
                f"Realisasi {TRIWULAN[quarter]} {units[slug].name} berstatus "
                f"{report.get_status_display()} dan tidak dapat diubah."
                if not report.editable
                else period_problem(units[slug], quarter, None)
                or entry_window_problem(agreement, quarter)
            )
        if state[agreement.pk]:
            upload.problems.append(Problem(line, "", "triwulan", state[agreement.pk]))
            continue
        used = {v.symbol for v in row.indicator.variables.all()}
        values: dict[str, Decimal | None] = {}
        bad = False
        for symbol, value in raw.items():
            if symbol not in used:
                if value not in (None, ""):
                    upload.problems.append(
                        Problem(
                            line,
                            column[symbol],
                            symbol,
                            f"{code} tidak memakai variabel {symbol}; kosongkan.",
                        )
                    )
                    bad = True
                continue
            try:
                values[symbol] = cell_decimal(value)
            except ValueError as exc:
                upload.problems.append(
                    Problem(line, column[symbol], symbol, f"{exc}; tulis jumlah, misalnya 73.")
                )
                bad = True
        if bad:
            continue
        for symbol, message in value_problems(row, values).items():
            upload.problems.append(Problem(line, column.get(symbol, ""), symbol, message))
            bad = True
        if not bad:
            upload.rows.append(Row(line, row, values, narrative))
    if upload.problems or not write:
        return upload
    reason = f"unggah {filename}"[:100]
    try:
        with transaction.atomic():
            for item in upload.rows:
                realization_save(
                    pk_indicator=item.pk_indicator,
                    quarter=quarter,
                    values=item.values,
                    narrative=item.narrative,
                    by=by,
                    reason=reason,
                )
                upload.written += 1
    except ValidationError as exc:  # changed meanwhile (a colleague submitted the quarter)
        line = upload.rows[upload.written].line
        upload.problems.append(Problem(line, "", "baris", " ".join(exc.messages)))
        upload.written = 0
    return upload
