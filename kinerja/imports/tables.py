"""Read an office table (XLSX, CSV, TSV or tab-separated text) into rows of cells.

Each cell keeps its value as the file holds it (a number stays a number) and, for XLSX, its
number format (so that 0.85 in a percent cell reads as 85%). Merged cells are not expanded:
the value stands in the top-left cell and the others are blank, exactly as in a text export.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path


class TableError(ValueError):
    """The file cannot be read as a table at all; the message names the file."""


@dataclass(frozen=True)
class Cell:
    value: object
    number_format: str = "General"

    @property
    def text(self) -> str:
        if self.value is None:
            return ""
        return str(self.value).strip()

    @property
    def is_blank(self) -> bool:
        return self.text == ""


@dataclass
class Table:
    filename: str
    sheet: str
    rows: list[list[Cell]]  # rows[i] is spreadsheet row i + 1


def read_table(data: bytes, filename: str) -> Table:
    suffix = Path(filename).suffix.lower()
    if not data:
        raise TableError(f"Berkas {filename} kosong.")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(data, filename)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_text(data, filename, suffix)
    raise TableError(
        f"Berkas {filename}: jenis berkas tidak didukung (gunakan .xlsx, .csv, .tsv atau .txt)."
    )


def _read_xlsx(data: bytes, filename: str) -> Table:
    import openpyxl

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TableError(f"Berkas {filename} bukan lembar kerja Excel (.xlsx) yang sah.")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise TableError(f"Berkas {filename} tidak dapat dibuka sebagai .xlsx: {exc}") from exc
    sheet = workbook.worksheets[0]
    for candidate in workbook.worksheets:
        if any(
            isinstance(c.value, str) and "INDIKATOR" in c.value.upper()
            for row in candidate.iter_rows(max_row=30)
            for c in row
        ):
            sheet = candidate
            break
    rows = [
        [Cell(c.value, c.number_format or "General") for c in row]
        for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row)
    ]
    return Table(filename=filename, sheet=sheet.title, rows=rows)


def _read_text(data: bytes, filename: str, suffix: str) -> Table:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\x00" in text:
        raise TableError(f"Berkas {filename} bukan berkas teks.")
    lines = text.splitlines()
    if suffix == ".csv":
        sample = "\n".join(lines[:20])
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        if sample.count("\t") > max(sample.count(";"), sample.count(",")):
            delimiter = "\t"
        parsed = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    else:
        parsed = [line.split("\t") for line in lines]
    rows = [[Cell(v if v.strip() else None) for v in row] for row in parsed]
    return Table(filename=filename, sheet=Path(filename).name, rows=rows)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
