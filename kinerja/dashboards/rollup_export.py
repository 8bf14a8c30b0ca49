"""The dashboard's tables as XLSX: the facility × IKK heat map and the per-IKK table, with the same
figures as the page (rounded half-up to two decimals, as shown). Text cells are text, never a
formula (`core.xlsx`)."""

from __future__ import annotations

from openpyxl import Workbook

from kinerja.core.formatting import TRIWULAN, round_half_up
from kinerja.core.xlsx import append_row, workbook_bytes
from kinerja.dashboards import figures
from kinerja.dashboards.rollup import Rollup
from kinerja.organizations.models import Unit


def _number(value):
    return None if value is None else round_half_up(value, 2)


def _title(result: Rollup) -> str:
    period = f"s.d. {TRIWULAN[result.quarter]} " if result.quarter else ""
    return f"{result.unit.name} · {period}{result.year}"


def heatmap_xlsx(result: Rollup, units: list[Unit]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Peta capaian"
    append_row(sheet, [f"Capaian IKK per UPT · {_title(result)}"])
    append_row(
        sheet,
        [
            "Capaian (%) setelah batas PK; keterangan: "
            + ", ".join(f"{figures.SYMBOLS[s]} {s.label}" for s in figures.STANDINGS)
        ],
    )
    header = ["UPT", "Kanwil", "Tipe", "Kelas"]
    for item in result.indicators:
        header += [f"{item.indicator.code} capaian", f"{item.indicator.code} status"]
    append_row(sheet, header)
    for unit in units:
        row: list[object] = [
            unit.name,
            unit.parent.name if unit.parent else "",
            unit.get_facility_type_display(),
            unit.facility_class,
        ]
        for item in result.indicators:
            cell = result.cell(unit.id, item.indicator.id)
            if cell is None:
                row += [None, "tidak ada di PK"]
            else:
                row += [_number(figures.achievement_of(cell)), cell.standing.label]
        append_row(sheet, row)
    return workbook_bytes(book)


def indicators_xlsx(result: Rollup) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Capaian IKK"
    append_row(sheet, [f"Capaian IKK gabungan · {_title(result)}"])
    append_row(
        sheet,
        [
            "Kode",
            "Indikator",
            "Realisasi gabungan",
            "Target gabungan",
            "Capaian (%)",
            "Perhitungan",
            *[s.label for s in figures.STANDINGS],
            "UPT",
            "Kuartil 1 (%)",
            "Median (%)",
            "Kuartil 3 (%)",
        ],
    )
    for item in result.indicators:
        agg = item.aggregate
        spread = figures.spread(item)
        append_row(
            sheet,
            [
                item.indicator.code,
                item.indicator.name,
                _number(agg.realisation.value if agg.realisation else None),
                _number(agg.target),
                _number(agg.achievement.capped if agg.achievement else None),
                agg.computation,
                *[agg.counts.get(s, 0) for s in figures.STANDINGS],
                agg.facilities,
                _number(spread.q1),
                _number(spread.median),
                _number(spread.q3),
            ],
        )
    return workbook_bytes(book)
