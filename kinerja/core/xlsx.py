"""Writing workbooks: every cell Kinerja exports is a value, never a live formula.

openpyxl turns any string beginning with "=" into a formula, so a name typed as
`=HYPERLINK("http://…")` or a DDE payload such as `=cmd|' /C calc'!A0` would run in the auditor's
Excel. Kinerja writes no formulas of its own, so every exporter appends rows through `append_row`
(text cells typed as text) and saves through `workbook_bytes`, which types any string cell left as a
formula as text as well. The text stays exactly as the user typed it (no leading apostrophe); only
control characters that XML cannot hold at all are dropped.
"""

from __future__ import annotations

import io

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


def clean_text(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def as_text(cell) -> None:
    """Type a cell holding a string as text (a formula-looking string stays a string)."""
    if isinstance(cell.value, str):
        cell.value = clean_text(cell.value)
        cell.data_type = "s"


def append_row(sheet, values) -> None:
    sheet.append([clean_text(v) for v in values])
    for cell in sheet[sheet.max_row]:
        as_text(cell)


def workbook_bytes(book) -> bytes:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or isinstance(cell.value, str):
                    as_text(cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
