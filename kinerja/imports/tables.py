"""Read an office table (XLSX, CSV, TSV or tab-separated text) into rows of cells.

Each cell keeps its value as the file holds it (a number stays a number) and, for XLSX, its
number format (so that 0.85 in a percent cell reads as 85%). Merged cells are not expanded:
the value stands in the top-left cell and the others are blank, exactly as in a text export.
"""

from __future__ import annotations

import csv
import io
import posixpath
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
    check_xlsx(data, filename)
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
    limits = Limits.current()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 leaves five bytes undefined
        raise TableError(f"Berkas {filename} bukan berkas teks (UTF-8 atau Windows-1252).")
    if "\x00" in text:
        raise TableError(f"Berkas {filename} bukan berkas teks.")
    lines = text.splitlines()
    # Before parsing: the number of lines bounds the rows, and no line may be absurdly long.
    if len(lines) > limits.rows:
        raise TableError(limits.rows_message(filename, Path(filename).name, len(lines)))
    for number, line in enumerate(lines, 1):
        if len(line) > limits.line_chars:
            raise TableError(
                f"Berkas {filename}, baris {number}: {_n(len(line))} karakter dalam satu baris; "
                f"batasnya {_n(limits.line_chars)}. Berkas ini bukan tabel Rencana Aksi."
            )
    if suffix == ".csv":
        sample = "\n".join(lines[:20])
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        if sample.count("\t") > max(sample.count(";"), sample.count(",")):
            delimiter = "\t"
        try:
            parsed = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error as exc:
            raise TableError(f"Berkas {filename} tidak dapat dibaca sebagai CSV: {exc}.") from exc
    else:
        parsed = [line.split("\t") for line in lines]
    for number, row in enumerate(parsed, 1):
        if len(row) > limits.columns:
            raise TableError(
                limits.columns_message(
                    filename, Path(filename).name, len(row), row=number, formatted=False
                )
            )
    rows = [[Cell(v if v.strip() else None) for v in row] for row in parsed]
    return Table(filename=filename, sheet=Path(filename).name, rows=rows)


# Limits checked before a file is parsed (settings KINERJA_IMPORT_*). Parsing is what costs: a
# 333 KB workbook of compressed zeros unpacks to gigabytes, and openpyxl builds every cell of a
# sheet whose extent is 100,000 rows. So the zip's own size table, the XML's structure and the
# extent of every sheet are read first, streaming with bounded memory, and refused with the place.
@dataclass(frozen=True)
class Limits:
    uncompressed: int
    rows: int
    columns: int
    line_chars: int
    cells: int = 100_000
    part: int = 5 * 1024 * 1024  # any other XML part (styles, workbook, drawings)
    members: int = 2000

    @classmethod
    def current(cls) -> Limits:
        from django.conf import settings

        return cls(
            uncompressed=settings.KINERJA_IMPORT_MAX_UNCOMPRESSED_BYTES,
            rows=settings.KINERJA_IMPORT_MAX_ROWS,
            columns=settings.KINERJA_IMPORT_MAX_COLUMNS,
            line_chars=settings.KINERJA_IMPORT_MAX_LINE_CHARS,
            cells=settings.KINERJA_IMPORT_MAX_CELLS,
        )

    def rows_message(self, filename: str, sheet: str, rows: int, more: bool = False) -> str:
        count = f"lebih dari {_n(self.rows)}" if more else _n(rows)
        formatted = " (termasuk baris kosong yang berformat)" if more else ""
        return (
            f"Berkas {filename}, lembar {sheet}: {count} baris; batasnya {_n(self.rows)} "
            f"baris{formatted}. Hapus baris di bawah tabel lalu unggah ulang."
        )

    def columns_message(
        self, filename: str, sheet: str, columns: int, row: int, formatted: bool = True
    ) -> str:
        hint = " (termasuk kolom kosong yang berformat)" if formatted else ""
        return (
            f"Berkas {filename}, lembar {sheet}, baris {row}: {_n(columns)} kolom; batasnya "
            f"{_n(self.columns)} kolom{hint}. Hapus kolom di kanan tabel lalu unggah ulang."
        )


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _mb(size: int) -> str:
    return f"{size / 1048576:.1f}".replace(".", ",") + " MB"


class _Stop(Exception):
    """Raised inside an XML handler to stop streaming; carries the refusal."""


def check_xlsx(data: bytes, filename: str, limits: Limits | None = None) -> None:
    """Refuse a workbook that would be too costly to parse, before openpyxl opens it."""
    limits = limits or Limits.current()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise TableError(f"Berkas {filename} bukan lembar kerja Excel (.xlsx) yang sah.") from exc
    if len(members) > limits.members:
        raise TableError(
            f"Berkas {filename} berisi {_n(len(members))} bagian; lembar kerja Rencana Aksi "
            f"berisi kurang dari {_n(limits.members)}. Berkas tidak diterima."
        )
    # The sizes in the zip's table bind: zipfile stops reading a member at its declared size.
    total = sum(m.file_size for m in members)
    if total > limits.uncompressed:
        raise TableError(
            f"Berkas {filename} ({_mb(len(data))}) berisi {_mb(total)} data setelah dibuka; "
            f"batasnya {_mb(limits.uncompressed)}. Berkas ini terlalu besar untuk Rencana Aksi "
            "(atau sengaja dibuat mengembang); tidak diterima."
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 5 * 1024 * 1024 and ratio > 200:
            raise TableError(
                f"Berkas {filename}, bagian {member.filename}: mengembang {int(ratio)} kali "
                "saat dibuka; lembar kerja yang wajar tidak demikian. Berkas tidak diterima."
            )
    sheets = _sheet_names(archive, filename)
    for member in members:
        name = member.filename
        if name.endswith(".vml"):  # legacy drawings, often not well-formed XML: size only
            if member.file_size > limits.part:
                raise TableError(
                    f"Berkas {filename}, bagian {name}: {_mb(member.file_size)}; paling besar "
                    f"{_mb(limits.part)}. Berkas tidak diterima."
                )
            continue
        if not name.endswith((".xml", ".rels")):
            continue
        is_sheet = name in sheets or name.startswith("xl/worksheets/")
        if not is_sheet and name != "xl/sharedStrings.xml" and member.file_size > limits.part:
            raise TableError(
                f"Berkas {filename}, bagian {name}: {_mb(member.file_size)}; bagian lembar kerja "
                f"selain isi sel paling besar {_mb(limits.part)}. Berkas tidak diterima."
            )
        # Every part is scanned for rows, cells and strings, wherever the package put it: a sheet
        # may live under any name the workbook's relationships give.
        _check_part(archive, member, filename, sheets.get(name, name), limits)


def _stream_xml(archive, member, filename: str, on_start) -> None:
    """Feed one XML part to expat in chunks; refuse DTDs (an XLSX has none: entity bombs)."""
    from xml.parsers import expat

    def refuse_dtd(*args):
        raise _Stop(
            f"Berkas {filename}, bagian {member.filename}: berisi deklarasi DTD/entitas; "
            "lembar kerja Excel tidak memakainya. Berkas tidak diterima."
        )

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.StartElementHandler = lambda name, attrs: on_start(name.rsplit("}", 1)[-1], attrs)
    try:
        with archive.open(member) as handle:
            while chunk := handle.read(256 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Stop as stop:
        raise TableError(str(stop)) from None
    except (expat.ExpatError, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise TableError(
            f"Berkas {filename}, bagian {member.filename}: rusak ({exc}); berkas tidak diterima."
        ) from exc


def _sheet_names(archive, filename: str) -> dict[str, str]:
    """Worksheet part -> the sheet's name as Excel shows it (for located messages)."""
    names = {}
    targets = {}
    try:
        rels = archive.getinfo("xl/_rels/workbook.xml.rels")
        book = archive.getinfo("xl/workbook.xml")
    except KeyError:
        return names

    def relationship(tag, attrs):
        if tag == "Relationship" and "Id" in attrs and "Target" in attrs:
            target = attrs["Target"]
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[attrs["Id"]] = posixpath.normpath(path)

    def sheet(tag, attrs):
        if tag == "sheet":
            rid = next((v for k, v in attrs.items() if k.endswith("}id")), None)
            if rid in targets:
                names[targets[rid]] = attrs.get("name", targets[rid])

    for member, handler in ((rels, relationship), (book, sheet)):
        if member.file_size <= 5 * 1024 * 1024:
            _stream_xml(archive, member, filename, handler)
    return names


def _column_index(reference: str) -> int:
    """'AB12' -> 28."""
    index = 0
    for ch in reference:
        if not ch.isalpha():
            break
        index = index * 26 + (ord(ch.upper()) - 64)
    return index


def _check_part(archive, member, filename: str, sheet: str, limits: Limits) -> None:
    """The extent openpyxl will build (the furthest row and column of any stored cell, and their
    rectangle) and the number of shared strings, streamed."""
    position = {"row": 0, "column": 0, "widest": 0, "strings": 0}
    most_strings = limits.rows * limits.columns

    def check_extent():
        # openpyxl walks the whole rectangle up to the furthest row and column
        extent = position["row"] * position["widest"]
        if extent > limits.cells:
            raise _Stop(
                f"Berkas {filename}, lembar {sheet}: sel terisi sampai baris {_n(position['row'])} "
                f"dan kolom {column_letter(position['widest'] - 1)} ({_n(extent)} sel); batasnya "
                f"{_n(limits.cells)} sel. Hapus baris dan kolom di luar tabel lalu unggah ulang."
            )

    def on_start(tag, attrs):
        if tag == "row":
            reference = attrs.get("r", "")
            position["row"] = (
                int(reference)
                if (reference.isascii() and reference.isdigit())
                else position["row"] + 1
            )
            position["column"] = 0
            if position["row"] > limits.rows:
                raise _Stop(limits.rows_message(filename, sheet, position["row"], more=True))
            check_extent()
        elif tag == "c" and position["row"]:
            reference = attrs.get("r", "")
            column = _column_index(reference) if reference else 0
            position["column"] = column or position["column"] + 1
            if position["column"] > limits.columns:
                raise _Stop(
                    limits.columns_message(filename, sheet, position["column"], position["row"])
                )
            if position["column"] > position["widest"]:
                position["widest"] = position["column"]
                check_extent()
        elif tag == "si":
            position["strings"] += 1
            if position["strings"] > most_strings:
                raise _Stop(
                    f"Berkas {filename}: lebih dari {_n(most_strings)} teks berbeda; satu lembar "
                    f"dalam batas {_n(limits.rows)} baris x {_n(limits.columns)} kolom tidak "
                    "memuat sebanyak itu. Berkas tidak diterima."
                )

    _stream_xml(archive, member, filename, on_start)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
