"""The LKE's outputs: the filled worksheet as XLSX in the usual layout (component, sub-component,
criterion; weight; the facility's answer and the evaluator's; score; explanation, notes and
evidence), and the evaluation report (Laporan Hasil Evaluasi, LHE) as .docx and PDF through the
document machinery. A sheet that is not finished prints as a draft (watermark "DRAF")."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from kinerja import calc
from kinerja.core.formatting import format_date, format_datetime, format_number, person_name
from kinerja.core.render import doc, docx_render, pdf_render
from kinerja.core.render.export import PDF, XLSX, Export
from kinerja.core.xlsx import append_row, workbook_bytes
from kinerja.documents.common import letterhead
from kinerja.evaluation.models import EvaluationStatus
from kinerja.evaluation.selectors import Row, Sheet, scale_values

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = ("xlsx", "docx", "pdf")
COLUMNS = [
    ("No", 8),
    ("Komponen / Subkomponen / Kriteria", 60),
    ("Bobot", 8),
    ("Jawaban UPT", 9),
    ("Nilai UPT", 9),
    ("Jawaban Evaluator", 10),
    ("Nilai Evaluator", 10),
    ("Penjelasan UPT", 40),
    ("Data dukung", 40),
    ("Catatan Evaluator", 40),
]


def score_text(value: Decimal | None) -> str:
    return format_number(value, 2) if value is not None else "belum dinilai"


def _shown(value: Decimal) -> str:
    return format_number(value.quantize(calc.LKE_PLACES), 2)


def _criterion_points(
    sheet: Sheet, row: Row, code: str, sub_weight: Decimal, total: Decimal
) -> str:
    if not code:
        return ""
    value = scale_values(sheet.framework, row.criterion.scale).get(code)
    if value is None:
        return ""
    return _shown(sub_weight * row.criterion.weight * value / total)


def _evidence(row: Row) -> str:
    if row.answer is None:
        return ""
    parts = [f"{link['label']}: {link['url']}" for link in row.answer.self_links]
    parts += [f.original_name for f in row.answer.files.all()]
    return "\n".join(parts)


def filename(sheet: Sheet, fmt: str, stem: str = "LKE") -> str:
    return f"{stem}-{sheet.year}-{sheet.unit.slug}.{fmt}"


def _draft(sheet: Sheet) -> bool:
    return sheet.status != EvaluationStatus.FINAL


def _final_shown(sheet: Sheet) -> bool:
    """The evaluator's answers are shown once the self-assessment is submitted; a self-assessment
    sent back to the facility (draft again) shows none, as on its page."""
    return sheet.status != EvaluationStatus.DRAFT


def lke_xlsx(sheet: Sheet) -> Export:
    final = _final_shown(sheet)
    book = Workbook()
    ws = book.active
    ws.title = "LKE"
    append_row(ws, [f"LEMBAR KERJA EVALUASI AKIP TAHUN {sheet.year}"])
    append_row(ws, [f"{sheet.unit.name} · {sheet.framework.name} · {sheet.status_label}"])
    append_row(ws, [sheet.framework.regulation])
    append_row(ws, [title for title, _ in COLUMNS])
    ws["A1"].font = Font(bold=True, size=13)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    shade = PatternFill("solid", fgColor="DDDDDD")
    light = PatternFill("solid", fgColor="F2F2F2")
    for block in sheet.components:
        c = block.component
        append_row(
            ws,
            [
                str(c.number),
                c.name,
                _shown(c.weight),
                "",
                _shown(sheet.self_score.components[str(c.number)]),
                "",
                _shown(sheet.final_score.components[str(c.number)]) if final else "",
            ],
        )
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
            cell.fill = shade
        for sb in block.subs:
            append_row(
                ws,
                [
                    sb.key,
                    f"{sb.sub.name} ({sb.sub.get_aspect_display().lower()})",
                    _shown(sb.sub.weight),
                    "",
                    _shown(sheet.self_score.subs[sb.key]),
                    "",
                    _shown(sheet.final_score.subs[sb.key]) if final else "",
                ],
            )
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
                cell.fill = light
            total = sum((r.criterion.weight for r in sb.rows), Decimal(0))
            for row in sb.rows:
                answer = row.answer
                append_row(
                    ws,
                    [
                        row.key,
                        row.criterion.text,
                        "",
                        row.self_value,
                        _criterion_points(sheet, row, row.self_value, sb.sub.weight, total),
                        row.final_value if final else "",
                        _criterion_points(sheet, row, row.final_value, sb.sub.weight, total)
                        if final
                        else "",
                        answer.self_note if answer else "",
                        _evidence(row),
                        answer.final_note if answer and final else "",
                    ],
                )
    append_row(
        ws,
        [
            "",
            "NILAI AKUNTABILITAS KINERJA",
            "100",
            "",
            _shown(sheet.self_score.total),
            "",
            _shown(sheet.final_score.total) if final else "",
        ],
    )
    grade_self = sheet.self_score.grade.code if sheet.self_score.grade else ""
    grade_final = sheet.final_score.grade.code if sheet.final_score.grade and final else ""
    append_row(ws, ["", "PREDIKAT", "", "", grade_self, "", grade_final])
    for row_cells in ws.iter_rows(min_row=ws.max_row - 1):
        for cell in row_cells:
            cell.font = Font(bold=True)
    for index, (_, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for row_cells in ws.iter_rows(min_row=5):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C5"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "4:4"
    return Export(filename(sheet, "xlsx"), XLSX, workbook_bytes(book), draft=_draft(sheet))


def _letterhead(sheet: Sheet) -> list:
    issuer = sheet.unit.parent or sheet.unit
    lines = [
        doc.Para(line, align="center", bold=True, size=10)
        for line in letterhead(issuer, sheet.year)
    ]
    return [
        *lines,
        doc.Heading("LAPORAN HASIL EVALUASI", level=0),
        doc.Para("AKUNTABILITAS KINERJA INSTANSI PEMERINTAH", align="center", bold=True),
        doc.Para(f"{sheet.unit.name.upper()} TAHUN {sheet.year}", align="center", bold=True),
    ]


def lhe_document(sheet: Sheet) -> doc.Document:
    evaluation = sheet.evaluation
    shown = _final_shown(sheet)
    final = sheet.final_score
    zone = zoneinfo.ZoneInfo(sheet.unit.local_time_zone)
    blocks: list = _letterhead(sheet)
    letters = iter("ABCDEFG")
    blocks.append(doc.Heading(f"{next(letters)}. Dasar Evaluasi", level=1))
    blocks.append(
        doc.Para(
            f"Evaluasi dilaksanakan berdasarkan {sheet.framework.regulation}, atas implementasi "
            f"Sistem Akuntabilitas Kinerja Instansi Pemerintah (SAKIP) {sheet.unit.name} tahun "
            f"{sheet.year}, meliputi perencanaan kinerja, pengukuran kinerja, pelaporan kinerja "
            "dan evaluasi akuntabilitas kinerja internal."
        )
    )
    if evaluation and evaluation.submitted_at:
        blocks.append(
            doc.Para(
                f"Penilaian mandiri diajukan oleh {person_name(evaluation.submitted_by)} pada "
                f"{format_datetime(evaluation.submitted_at, zone)}."
            )
        )
    blocks.append(doc.Heading(f"{next(letters)}. Hasil Evaluasi", level=1))
    grade = final.grade
    if evaluation and evaluation.status == EvaluationStatus.FINAL:
        blocks.append(
            doc.Para(
                f"Nilai akuntabilitas kinerja {sheet.unit.name} tahun {sheet.year} adalah "
                f"{score_text(evaluation.score)} dengan predikat {evaluation.grade}"
                f"{f' ({grade.label})' if grade else ''}."
            )
        )
    elif shown:
        blocks.append(
            doc.Para(
                f"Evaluasi belum selesai ({sheet.status_label.lower()}); nilai sementara dari "
                f"{final.answered} dari {final.criteria} kriteria yang sudah dinilai evaluator: "
                f"{_shown(final.total)}.",
                italic=True,
            )
        )
    else:
        blocks.append(
            doc.Para(
                f"Evaluasi belum dimulai oleh evaluator ({sheet.status_label.lower()}).",
                italic=True,
            )
        )
    rows = []
    for block in sheet.components:
        c = block.component
        rows.append(
            [
                doc.Cell(f"{c.number}. {c.name}", bold=True),
                _shown(c.weight),
                _shown(sheet.self_score.components[str(c.number)]),
                _shown(final.components[str(c.number)]) if shown else "-",
            ]
        )
        for sb in block.subs:
            rows.append(
                [
                    f"   {sb.key} {sb.sub.get_aspect_display()}",
                    _shown(sb.sub.weight),
                    _shown(sheet.self_score.subs[sb.key]),
                    _shown(final.subs[sb.key]) if shown else "-",
                ]
            )
    rows.append(
        [
            doc.Cell("Nilai akuntabilitas kinerja", bold=True),
            doc.Cell("100", bold=True),
            doc.Cell(_shown(sheet.self_score.total), bold=True),
            doc.Cell(_shown(final.total) if shown else "-", bold=True),
        ]
    )
    blocks.append(
        doc.Table(
            columns=[
                doc.Col("Komponen", 9.5),
                doc.Col("Bobot", 2.0, "right"),
                doc.Col("Penilaian mandiri", 2.8, "right"),
                doc.Col("Hasil evaluasi", 2.6, "right"),
            ],
            rows=rows,
            caption=f"Tabel 1. Nilai per komponen tahun {sheet.year}",
            font_size=9,
            keep_together=True,
        )
    )
    notes = [
        [
            row.key,
            row.criterion.text,
            row.self_value or "-",
            row.final_value or "-",
            row.answer.final_note,
        ]
        for row in sheet.rows
        if shown and row.answer and row.answer.final_note
    ]
    if notes:
        blocks.append(doc.Heading(f"{next(letters)}. Catatan atas Kriteria", level=1))
        blocks.append(
            doc.Table(
                columns=[
                    doc.Col("No", 1.3),
                    doc.Col("Kriteria", 7.0),
                    doc.Col("UPT", 1.2, "center"),
                    doc.Col("Evaluator", 1.6, "center"),
                    doc.Col("Catatan evaluator", 5.8),
                ],
                rows=notes,
                caption="Tabel 2. Catatan evaluator per kriteria",
                font_size=8,
            )
        )
    blocks.append(doc.Heading(f"{next(letters)}. Rekomendasi", level=1))
    if sheet.recommendations:
        blocks.append(
            doc.Table(
                columns=[
                    doc.Col("No", 1.0),
                    doc.Col("Rekomendasi", 9.0),
                    doc.Col("Batas waktu", 3.0),
                    doc.Col("Tindak lanjut", 3.9),
                ],
                rows=[
                    [
                        str(i),
                        r.text,
                        format_date(r.deadline),
                        "; ".join(f.text for f in r.follow_ups.all()) or "belum ada",
                    ]
                    for i, r in enumerate(sheet.recommendations, 1)
                ],
                caption="Tabel 3. Rekomendasi dan tindak lanjutnya",
                font_size=8,
            )
        )
    else:
        blocks.append(doc.Para("Tidak ada rekomendasi."))
    if sheet.previous_recommendations:
        done = sum(
            1 for r in sheet.previous_recommendations if any(f.done for f in r.follow_ups.all())
        )
        blocks.append(
            doc.Para(
                f"Atas {len(sheet.previous_recommendations)} rekomendasi evaluasi tahun "
                f"{sheet.year - 1}, {done} telah selesai ditindaklanjuti."
            )
        )
    if evaluation and evaluation.summary:
        blocks.append(doc.Heading(f"{next(letters)}. Simpulan", level=1))
        blocks.append(doc.Para(evaluation.summary))
    if evaluation and evaluation.finished_at:
        blocks.append(
            doc.Signature(
                blocks=[
                    [
                        ", ".join(
                            part
                            for part in (
                                (sheet.unit.parent or sheet.unit).city,
                                format_date(evaluation.finished_at.astimezone(zone).date()),
                            )
                            if part
                        ),
                        "Evaluator,",
                        "",
                        person_name(evaluation.finished_by),
                    ]
                ],
                gap_after=[2],
            )
        )
    return doc.Document(
        title=f"LHE AKIP {sheet.year} {sheet.unit.name}",
        sections=[doc.Section(blocks)],
        footer=f"LHE AKIP {sheet.year} {sheet.unit.name}",
        draft=_draft(sheet),
    )


def lhe_docx(sheet: Sheet) -> Export:
    return Export(
        filename(sheet, "docx", "LHE"),
        DOCX,
        docx_render.render(lhe_document(sheet)),
        draft=_draft(sheet),
    )


def lhe_pdf(sheet: Sheet) -> Export:
    return Export(
        filename(sheet, "pdf", "LHE"),
        PDF,
        pdf_render.render_pdf(lhe_document(sheet)),
        draft=_draft(sheet),
    )


def export(sheet: Sheet, fmt: str) -> Export:
    return {"xlsx": lke_xlsx, "docx": lhe_docx, "pdf": lhe_pdf}[fmt](sheet)
