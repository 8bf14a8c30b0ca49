"""A Renstra's medium-term targets as a workbook: the template (one row per indicator the Renstra
plans, one column per year, filled with the targets recorded) and reading it back, every problem
at its cell. The file is the whole grid: an empty cell is "no target" for that year."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kinerja.core import bounds
from kinerja.core.workbook import CellProblem, cell_decimal, sheet_rows
from kinerja.core.xlsx import append_row, workbook_bytes
from kinerja.planning.models import Renstra
from kinerja.planning.services import renstra_indicators

SHEET = "Renstra"
FIXED = ["Kode", "Indikator", "Satuan"]
MAX_ROWS = 500


def renstra_template(renstra: Renstra) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    years = list(range(renstra.start_year, renstra.end_year + 1))
    append_row(sheet, [*FIXED, *years])
    values = {(t.indicator_id, t.year): t.value for t in renstra.targets.all()}
    for indicator in renstra_indicators(renstra):
        append_row(
            sheet,
            [
                indicator.code,
                indicator.name,
                indicator.unit,
                *[values.get((indicator.id, year)) for year in years],
            ],
        )
    for index in range(1, len(FIXED) + len(years) + 1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
    sheet.column_dimensions["B"].width = 70
    sheet.freeze_panes = "D2"
    return workbook_bytes(book)


def renstra_read(
    renstra: Renstra, content: bytes, filename: str
) -> tuple[dict[tuple[int, int], Decimal | None], list[CellProblem]]:
    """The grid of a filled template: {(indicator id, year): target or None}, or the problems."""
    lines, stop = sheet_rows(content, filename, SHEET, MAX_ROWS)
    if stop is not None:
        return {}, [stop]
    years = list(range(renstra.start_year, renstra.end_year + 1))
    wanted = [*FIXED, *[str(y) for y in years]]
    header = [str(v).strip() if v is not None else "" for v in (lines[0] if lines else [])]
    header = [h[:-2] if h.endswith(".0") else h for h in header][: len(wanted)]
    if header != wanted:
        message = "judul kolom harus: " + ", ".join(wanted)
        return {}, [CellProblem(1, "", "judul kolom", message, SHEET)]
    indicators = {i.code: i for i in renstra_indicators(renstra)}
    targets: dict[tuple[int, int], Decimal | None] = {}
    problems: list[CellProblem] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(lines[1:], 2):
        cells = tuple(cells) + (None,) * len(wanted)
        code = str(cells[0] or "").strip()
        if not code and all(c in (None, "") for c in cells[len(FIXED) : len(wanted)]):
            continue
        indicator = indicators.get(code)
        if indicator is None:
            problems.append(
                CellProblem(
                    number, "A", "Kode", f"'{code[:20]}' bukan indikator Renstra ini", SHEET
                )
            )
            continue
        if code in seen:
            problems.append(
                CellProblem(number, "A", "Kode", f"{code} sudah ada di baris {seen[code]}", SHEET)
            )
            continue
        seen[code] = number
        for offset, year in enumerate(years):
            column = len(FIXED) + offset
            letter = get_column_letter(column + 1)
            try:
                value = cell_decimal(cells[column])
            except ValueError as exc:
                problems.append(CellProblem(number, letter, str(year), str(exc), SHEET))
                continue
            problem = bounds.target_bound(indicator.unit).problem(value, f"Target {code} {year}")
            if problem:
                problems.append(CellProblem(number, letter, str(year), problem, SHEET))
                continue
            targets[(indicator.id, year)] = value
    return targets, problems
