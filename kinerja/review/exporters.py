"""The review's findings for the auditors: XLSX (one row per finding) and PDF (the document block
model rendered by WeasyPrint, as the official documents are)."""

from __future__ import annotations

import zoneinfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kinerja.core.formatting import format_datetime
from kinerja.core.render import doc, pdf_render
from kinerja.core.render.export import Export
from kinerja.core.xlsx import append_row, workbook_bytes
from kinerja.review.services import Review

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
COLUMNS = [
    ("No", 5),
    ("Tingkat", 11),
    ("Bagian", 22),
    ("Aturan", 9),
    ("Judul", 30),
    ("Temuan", 70),
    ("Letak", 40),
    ("Status", 12),
    ("Penjelasan kepala", 40),
    ("Diterima oleh", 18),
    ("Tanggal", 16),
    ("Tautan perbaikan", 40),
]


def _rows(review: Review):
    for number, f in enumerate(review.findings, 1):
        accepted = f.acceptance or {}
        yield [
            number,
            f.severity_label,
            f.section,
            f.rule,
            f.title,
            f.message,
            f.location,
            "Diterima" if f.accepted else "Terbuka",
            accepted.get("penjelasan", ""),
            accepted.get("oleh", ""),
            accepted.get("pada", ""),
            f.link,
        ]


def _title(review: Review) -> str:
    return f"Hasil Reviu Kinerja {review.year} · {review.unit.name}"


def _stamp(review: Review) -> str:
    return format_datetime(review.at, zoneinfo.ZoneInfo(review.unit.local_time_zone))


def filename(review: Review, fmt: str) -> str:
    return f"Reviu-{review.year}-{review.unit.slug}.{fmt}"


def review_xlsx(review: Review) -> Export:
    book = Workbook()
    sheet = book.active
    sheet.title = "Temuan"
    append_row(sheet, [_title(review)])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [f"Dijalankan {_stamp(review)}: {review.summary()}."])
    append_row(sheet, [])
    append_row(sheet, [title for title, _ in COLUMNS])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in _rows(review):
        append_row(sheet, row)
    for index, (_, width) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A5"
    sheet.auto_filter.ref = f"A4:{get_column_letter(len(COLUMNS))}{sheet.max_row}"
    return Export(filename(review, "xlsx"), XLSX, workbook_bytes(book))


def review_document(review: Review) -> doc.Document:
    blocks: list = [
        doc.Heading("HASIL REVIU KINERJA", level=0),
        doc.Para(f"{review.unit.name} · Tahun {review.year}", align="center", bold=True),
        doc.Para(f"Dijalankan {_stamp(review)}: {review.summary()}.", align="center"),
    ]
    if review.blocks_final:
        blocks.append(
            doc.Para(
                "Selama ada galat terbuka, LKjIP hanya dapat dibuat sebagai DRAF.", italic=True
            )
        )
    if not review.findings:
        blocks.append(doc.Para("Tidak ada temuan."))
    for _severity, label, sections in review.grouped():
        if not sections:
            continue
        blocks.append(doc.Heading(label, level=1))
        for section, findings in sections:
            rows = []
            for f in findings:
                status = "Terbuka"
                if f.acceptance:
                    a = f.acceptance
                    status = f"Diterima oleh {a['oleh']} ({a['pada']}): {a['penjelasan']}"
                rows.append([f.rule, f"{f.title}. {f.message}", f.location, status])
            blocks.append(
                doc.Table(
                    columns=[
                        doc.Col("Aturan", 1.6),
                        doc.Col("Temuan", 11.5),
                        doc.Col("Letak", 6.5),
                        doc.Col("Status", 6.0),
                    ],
                    rows=rows,
                    caption=f"{label}: {section}",
                    font_size=8,
                )
            )
    return doc.Document(
        title=_title(review),
        sections=[doc.Section(blocks, landscape=True)],
        footer=f"Reviu {review.year} {review.unit.name}",
    )


def review_pdf(review: Review) -> Export:
    return Export(filename(review, "pdf"), PDF, pdf_render.render_pdf(review_document(review)))


EXPORTERS = {"xlsx": review_xlsx, "pdf": review_pdf}
