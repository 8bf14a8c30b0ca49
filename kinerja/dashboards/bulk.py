"""Bulk export: results, budget or review findings of a unit and every facility below it that the
user may see, for a year or a range of years, as one table (XLSX, or CSV in UTF-8 with "," or ";").

One table builder per kind (`results_table`, `budget_table`, `review_table`) over the same paths as
the pages (the roll-up's facility figures, `budget_across`, `review_compute`), and two writers.
Used by `kinerja export`, the API (`GET /api/v1/units/{slug}/export`) and the dashboards' download.

Cells: text from users is text, never a formula (XLSX: typed as text by `core.xlsx`; CSV: a text
starting with =, +, -, @ or a tab gets a leading apostrophe, which Excel shows as text). Numbers
are numbers; in a ";" CSV they are written with a decimal comma, as Indonesian Excel reads them.
A value not recorded is empty, with "Belum diisi" / "Belum melapor" in the Keterangan column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kinerja.core.formatting import round_half_up
from kinerja.core.xlsx import append_row, workbook_bytes
from kinerja.dashboards.money import budget_across
from kinerja.dashboards.rollup import rollup
from kinerja.organizations.models import Unit, UnitKind
from kinerja.review.services import review_compute

KINDS = ("results", "budget", "reviu")
FORMATS = ("xlsx", "csv")
SEPARATORS = (",", ";")
# At most this many years in one export (a range such as 2021-2025 is five).
MAX_YEARS = 10
# What a page or the API exports while the user waits, in facility-years (a Kanwil of 40 over five
# years; the whole country for one year is not): more is `kinerja export`'s. Review findings are
# computed facility by facility (the review is not stored), so they have a smaller limit.
ONLINE_LIMIT = {"results": 200, "budget": 800, "reviu": 25}

TEXT, NUMBER, PERCENT, RUPIAH = "text", "number", "percent", "rupiah"
XLSX_FORMATS = {NUMBER: "#,##0.####", PERCENT: "0.00", RUPIAH: "#,##0"}


@dataclass
class BulkTable:
    title: str
    filename: str
    columns: list[tuple[str, str, int]]  # header, kind (TEXT, NUMBER, …), width
    rows: list[list[Any]] = field(default_factory=list)


def _years_text(years: Sequence[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _values_text(values: dict[str, Decimal]) -> str:
    return "; ".join(f"{k}={_plain(v)}" for k, v in sorted(values.items()))


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def results_table(unit: Unit, facilities: QuerySet[Unit], years: Sequence[int]) -> BulkTable:
    """Per year, facility and IKK of the PK in force: target, the period the realisation comes
    from, the values, realisation, achievement raw and capped, and where it stands; the same
    figures as each facility's results page (the roll-up's facility figures)."""
    table = BulkTable(
        f"Capaian IKK {_years_text(years)} · {unit.name}",
        f"capaian-{unit.slug}-{_years_text(years)}",
        [
            ("Tahun", NUMBER, 7),
            ("Kanwil", TEXT, 28),
            ("Kode UPT", TEXT, 22),
            ("UPT", TEXT, 36),
            ("Kode IKK", TEXT, 10),
            ("IKK", TEXT, 50),
            ("Target", NUMBER, 10),
            ("Satuan", TEXT, 8),
            ("Triwulan data", NUMBER, 9),
            ("Nilai variabel", TEXT, 22),
            ("Realisasi", NUMBER, 11),
            ("Capaian (%)", PERCENT, 11),
            ("Capaian dibatasi (%)", PERCENT, 11),
            ("Keterangan", TEXT, 16),
        ],
    )
    for year in years:
        result = rollup(unit, year, facilities=facilities)
        for facility in result.facilities:
            if facility.id not in result.agreements:
                continue
            for item in result.indicators:
                cell = result.cell(facility.id, item.indicator.id)
                if cell is None:
                    continue
                outcome, achievement = cell.realisation, cell.achievement
                na = outcome is not None and outcome.is_na
                note = cell.standing.label
                if outcome is None:
                    note = "Belum diisi"
                elif na:
                    note = f"N/A: {outcome.na_reason}" if outcome.na_reason else "N/A"
                table.rows.append(
                    [
                        year,
                        facility.parent.name if facility.parent else "",
                        facility.slug,
                        facility.name,
                        item.indicator.code,
                        item.indicator.name,
                        cell.target,
                        cell.target_unit,
                        cell.quarter,
                        _values_text(cell.values),
                        outcome.value if outcome is not None and not na else None,
                        achievement.raw if achievement is not None else None,
                        achievement.capped if achievement is not None else None,
                        note,
                    ]
                )
    return table


def budget_table(unit: Unit, facilities: QuerySet[Unit], years: Sequence[int]) -> BulkTable:
    """Per year and facility: pagu, blokir, realisation, absorption, SMART, IKPA and Capaian
    Kinerja Anggaran, as the budget tab computes them (`budget_across`)."""
    table = BulkTable(
        f"Anggaran {_years_text(years)} · {unit.name}",
        f"anggaran-{unit.slug}-{_years_text(years)}",
        [
            ("Tahun", NUMBER, 7),
            ("Kanwil", TEXT, 28),
            ("Kode UPT", TEXT, 22),
            ("UPT", TEXT, 36),
            ("Sumber", TEXT, 14),
            ("Pagu (Rp)", RUPIAH, 16),
            ("Blokir (Rp)", RUPIAH, 14),
            ("Realisasi (Rp)", RUPIAH, 16),
            ("Penyerapan (%)", PERCENT, 11),
            ("SMART", PERCENT, 9),
            ("IKPA", PERCENT, 9),
            ("Capaian Kinerja Anggaran", PERCENT, 12),
        ],
    )
    for year in years:
        for row in budget_across(facilities, year).facilities:
            table.rows.append(
                [
                    year,
                    row.region.name if row.region else "",
                    row.unit.slug,
                    row.unit.name,
                    row.source,
                    row.pagu,
                    row.blocked,
                    row.realised if row.has_figures else None,
                    row.absorption,
                    row.smart,
                    row.ikpa,
                    row.performance,
                ]
            )
    return table


def review_table(unit: Unit, facilities: QuerySet[Unit], years: Sequence[int]) -> BulkTable:
    """Per year and facility every review finding: rule, severity, title, message, location, key,
    fix link, and the head's acceptance, as the review page computes it (nothing is stored)."""
    table = BulkTable(
        f"Temuan reviu {_years_text(years)} · {unit.name}",
        f"temuan-reviu-{unit.slug}-{_years_text(years)}",
        [
            ("Tahun", NUMBER, 7),
            ("Kanwil", TEXT, 28),
            ("Kode UPT", TEXT, 22),
            ("UPT", TEXT, 36),
            ("Aturan", TEXT, 8),
            ("Tingkat", TEXT, 11),
            ("Judul", TEXT, 36),
            ("Pesan", TEXT, 60),
            ("Letak", TEXT, 24),
            ("Kunci", TEXT, 16),
            ("Perbaiki di", TEXT, 40),
            ("Diterima dengan penjelasan", TEXT, 40),
        ],
    )
    units = list(
        facilities.filter(path__startswith=unit.path, kind=UnitKind.UPT).select_related("parent")
    )
    for year in years:
        for facility in sorted(units, key=lambda u: (u.parent.name if u.parent else "", u.name)):
            for finding in review_compute(unit=facility, year=year).findings:
                acceptance = finding.acceptance
                table.rows.append(
                    [
                        year,
                        facility.parent.name if facility.parent else "",
                        facility.slug,
                        facility.name,
                        finding.rule,
                        finding.severity_label,
                        finding.title,
                        finding.message,
                        finding.location,
                        finding.key,
                        finding.link,
                        _acceptance_text(acceptance),
                    ]
                )
    return table


def _acceptance_text(acceptance: dict | None) -> str:
    if not acceptance:
        return ""
    return f"{acceptance['penjelasan']} ({acceptance['oleh']}, {acceptance['pada']})"


TABLES = {"results": results_table, "budget": budget_table, "reviu": review_table}


def size(unit: Unit, facilities: QuerySet[Unit], years: Sequence[int]) -> int:
    """How many facility-years an export covers."""
    return facilities.filter(path__startswith=unit.path, kind=UnitKind.UPT).count() * len(years)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def online_export(
    unit: Unit,
    facilities: QuerySet[Unit],
    what: str,
    years: Sequence[int],
    fmt: str,
    separator: str,
) -> tuple[bytes, str, str]:
    """The export a page or the API serves: (content, file name, content type). ValueError, with
    the reason in Indonesian, beyond what is made while the user waits."""
    covered = size(unit, facilities, years)
    limit = ONLINE_LIMIT[what]
    if covered > limit:
        raise ValueError(
            f"Ekspor ini mencakup {covered} UPT-tahun; yang dibuat langsung paling banyak {limit}. "
            "Persempit unit (pilih satu Kanwil) atau rentang tahunnya, atau minta admin menjalankan "
            "kinerja export."
        )
    table = TABLES[what](unit, facilities, years)
    if fmt == "xlsx":
        return to_xlsx(table), f"{table.filename}.xlsx", XLSX_TYPE
    return to_csv(table, separator), f"{table.filename}.csv", CSV_TYPE


# --- Writers -------------------------------------------------------------------------------------


def _shown(value: Any, kind: str) -> Any:
    """A percentage at two decimals, rounded half up as every page shows it (110,09)."""
    if kind == PERCENT and isinstance(value, Decimal):
        return round_half_up(value, 2)
    return value


def to_xlsx(table: BulkTable) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.title[:31].replace("/", "-").replace(":", " ").replace("·", "-")
    append_row(sheet, [table.title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [])
    append_row(sheet, [c[0] for c in table.columns])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for index, (_, _, width) in enumerate(table.columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    formats = [XLSX_FORMATS.get(kind, "") for _, kind, _ in table.columns]
    kinds = [kind for _, kind, _ in table.columns]
    for row in table.rows:
        append_row(sheet, [_shown(v, k) for v, k in zip(row, kinds, strict=True)])
        for cell, fmt in zip(sheet[sheet.max_row], formats, strict=False):
            if fmt and not isinstance(cell.value, str) and cell.value is not None:
                cell.number_format = fmt
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A3:{last}{max(sheet.max_row, 3)}"
    return workbook_bytes(book)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any, kind: str, separator: str) -> str:
    if value is None:
        return ""
    if kind != TEXT and isinstance(value, Decimal | int):
        text = _plain(Decimal(_shown(value, kind)))
        return text.replace(".", ",") if separator == ";" else text
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def to_csv(table: BulkTable, separator: str = ",") -> bytes:
    """UTF-8 with a byte-order mark (so that Excel reads it as UTF-8), one header row."""
    if separator not in SEPARATORS:
        raise ValueError(f"separator {separator!r}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([c[0] for c in table.columns])
    kinds = [kind for _, kind, _ in table.columns]
    for row in table.rows:
        writer.writerow([_csv_cell(v, k, separator) for v, k in zip(row, kinds, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def parse_years(text: str) -> list[int]:
    """ "2023" or "2021-2025" → the years, each plausible, at most MAX_YEARS of them; ValueError
    with the reason in Indonesian otherwise."""
    from kinerja.core.bounds import YEAR_MAX, YEAR_MIN

    parts = text.strip().split("-")
    if len(parts) not in (1, 2) or not all(
        (p.strip().isascii() and p.strip().isdigit()) and len(p.strip()) == 4 for p in parts
    ):
        raise ValueError(f"tahun ditulis 2023 atau 2021-2025, bukan '{text[:20]}'")
    first, last = int(parts[0]), int(parts[-1])
    if not (YEAR_MIN <= first <= YEAR_MAX and YEAR_MIN <= last <= YEAR_MAX):
        raise ValueError(f"tahun harus {YEAR_MIN}-{YEAR_MAX}")
    if last < first:
        raise ValueError(f"tahun akhir {last} sebelum tahun awal {first}")
    if last - first + 1 > MAX_YEARS:
        raise ValueError(f"paling banyak {MAX_YEARS} tahun sekali ekspor")
    return list(range(first, last + 1))
