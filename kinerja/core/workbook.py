"""Reading a filled template back (the bulk uploads of results and of budget realisation): one
sheet's rows, read once, with the problems a whole file can have said where they are."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook

from kinerja.core.formatting import BULAN, parse_decimal


@dataclass(frozen=True)
class CellProblem:
    """A problem at a cell (row 1 is the sheet's first; column "" for the whole row)."""

    row: int
    column: str
    field: str  # the column's header, or what the problem is about
    message: str
    sheet: str = ""

    @property
    def location(self) -> str:
        """'Realisasi!C7 (Kode IKK)', 'Realisasi!baris 9 (triwulan)'."""
        cell = f"{self.column}{self.row}" if self.column else f"baris {self.row}"
        return f"{self.sheet}!{cell} ({self.field})"

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def sheet_rows(
    content: bytes, filename: str, sheet: str, max_rows: int
) -> tuple[list[tuple[Any, ...]], CellProblem | None]:
    """The values of every row of `sheet` (at most `max_rows`), or the one problem that stops the
    whole file: not a workbook, no such sheet, too many rows."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        message = f"{filename} bukan buku kerja Excel (.xlsx) yang dapat dibaca."
        return [], CellProblem(0, "", "berkas", message, sheet)
    if sheet not in book.sheetnames:
        message = f"Tidak ada lembar '{sheet}'; pakai templat dari Kinerja."
        return [], CellProblem(0, "", "lembar", message, sheet)
    rows = list(book[sheet].iter_rows(values_only=True, max_row=max_rows + 1))
    if len(rows) > max_rows:
        message = f"Paling banyak {max_rows} baris."
        return [], CellProblem(max_rows + 1, "", "baris", message, sheet)
    return rows, None


def cell_decimal(value: Any) -> Decimal | None:
    """A cell's number: a numeric cell as it is (a float by its shortest form, so 12.5 stays 12.5),
    a text cell read the Indonesian way ('1.500.000', '92,5'); blank is None. ValueError with the
    text otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"'{value}' bukan angka")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        try:
            return Decimal(repr(value))
        except InvalidOperation:
            raise ValueError(f"'{value}' bukan angka") from None
    return parse_decimal(str(value))


def cell_date(value: Any) -> dt.date | None:
    """A cell's date: a date cell as it is, a text cell as 2024-01-16, 16-01-2024, 16/01/2024 or
    16 Januari 2024; blank is None. ValueError with the text otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = " ".join(str(value).split())
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date only)
        except ValueError:
            pass
    parts = text.split(" ")
    months = {name.casefold(): number for number, name in enumerate(BULAN, 1)}
    if (
        len(parts) == 3
        and parts[1].casefold() in months
        and (parts[0].isascii() and parts[0].isdigit())
        and (parts[2].isascii() and parts[2].isdigit())
    ):
        try:
            return dt.date(int(parts[2]), months[parts[1].casefold()], int(parts[0]))
        except ValueError:
            pass
    raise ValueError(f"'{text[:40]}' bukan tanggal; tulis misalnya 16-01-2025")
