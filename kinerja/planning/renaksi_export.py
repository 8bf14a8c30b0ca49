"""The Rencana Aksi of a facility and year, in the offices' own layout: XLSX (re-importable) and PDF."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.text import slugify

from kinerja.core.formatting import TRIWULAN
from kinerja.core.render.export import PDF, XLSX, Export, ExportError, html_to_pdf
from kinerja.core.xlsx import append_row, workbook_bytes
from kinerja.planning import selectors
from kinerja.planning.models import PerjanjianKinerja

HEADERS = [
    "SASARAN KEGIATAN",
    "INDIKATOR KINERJA",
    "TARGET KINERJA",
    "RUMUS PERHITUNGAN",
    "KEGIATAN",
    "PAGU",
    "RENCANA PENARIKAN DANA",
    "REALISASI ANGGARAN",
    "RENCANA KEGIATAN",
    None,
    "CAPAIAN",
    None,
    "DATA DUKUNG",
    "STATUS PELAKSANAAN",
    "KETERANGAN",
]
WIDTHS = [28, 34, 10, 34, 24, 15, 15, 15, 7, 30, 7, 26, 24, 12, 24]
MONEY = "#,##0"


def _formula_text(indicator) -> str:
    variables = "; ".join(f"{v.symbol} = {v.description}" for v in indicator.variables.all())
    formula = indicator.formula.replace("*", "×")
    return f"{formula}. Keterangan: {variables}" if variables else formula


def _target_cell(row) -> tuple[object, str]:
    if row.target is None:
        return None, "General"
    if row.target_unit == "%":
        return float(
            row.target / 100
        ), "0%" if row.target == row.target.to_integral_value() else "0.0#%"
    number = row.target.normalize()
    text = format(
        number.quantize(Decimal(1)) if number == number.to_integral_value() else number, "f"
    )
    return (f"{text} {row.target_unit}" if row.target_unit != "Indeks" else text), "General"


def _title(agreement: PerjanjianKinerja) -> tuple[str, str]:
    return (
        "RENCANA KEGIATAN PERJANJIAN KINERJA",
        f"{agreement.unit.name.upper()} TAHUN {agreement.year}",
    )


def renaksi_xlsx(*, agreement: PerjanjianKinerja) -> Export:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    rows, _, _ = selectors.action_plan(agreement)
    if not rows:
        raise ExportError(
            f"Rencana Aksi {agreement.unit} tahun {agreement.year} belum berisi indikator."
        )
    workbook = Workbook()
    ws = workbook.active
    ws.title = "RENAKSI"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    title, subtitle = _title(agreement)
    append_row(ws, [title])
    append_row(ws, [subtitle])
    append_row(ws, [])
    append_row(ws, HEADERS)
    for r in (1, 2):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=15)
        ws.cell(r, 1).font = Font(bold=True, size=12)
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells("I4:J4")
    ws.merge_cells("K4:L4")
    for col in range(1, 16):
        cell = ws.cell(4, col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E2EC")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[col - 1]

    current_goal, goal_start = None, None
    for item in rows:
        pk_row = item.row
        start = ws.max_row + 1
        value, number_format = _target_cell(pk_row)
        activity = pk_row.activity
        for q in (1, 2, 3, 4):
            quarter = item.quarters.get(q)
            aq = item.activity_quarters.get(q)
            first = q == 1
            append_row(
                ws,
                [
                    (
                        f"{pk_row.goal.number}. {pk_row.goal.name}"
                        if pk_row.goal_id != current_goal
                        else None
                    )
                    if first
                    else None,
                    f"{pk_row.number}. {pk_row.name}" if first else None,
                    value if first else None,
                    _formula_text(pk_row.indicator) if first else None,
                    activity.name if first and activity else None,
                    int(activity.pagu) if first and activity else ("-" if first else None),
                    int(aq.planned_disbursement) if aq and aq.planned_disbursement else "-",
                    int(aq.realised) if aq and aq.realised is not None else "-",
                    TRIWULAN[q],
                    quarter.planned_activity if quarter else "",
                    TRIWULAN[q],
                    quarter.achievement_text if quarter else "",
                    quarter.evidence_expected if quarter else "",
                    pk_row.ra_status if first else None,
                    pk_row.ra_remarks if first else None,
                ],
            )
            if first:
                ws.cell(ws.max_row, 3).number_format = number_format
        for col in (6, 7, 8):
            for r in range(start, start + 4):
                ws.cell(r, col).number_format = MONEY
        for col in (2, 3, 4, 5, 6, 14, 15):
            ws.merge_cells(start_row=start, start_column=col, end_row=start + 3, end_column=col)
        if pk_row.goal_id != current_goal:
            if current_goal is not None:
                ws.merge_cells(
                    start_row=goal_start, start_column=1, end_row=start - 1, end_column=1
                )
            current_goal, goal_start = pk_row.goal_id, start
    ws.merge_cells(start_row=goal_start, start_column=1, end_row=ws.max_row, end_column=1)
    for row in ws.iter_rows(min_row=5, max_row=ws.max_row, max_col=15):
        for cell in row:
            cell.border = border
            cell.alignment = wrap
    _signature(ws, agreement)
    ws.freeze_panes = "C5"
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "4:4"
    content = workbook_bytes(workbook)
    return Export(_filename(agreement, "xlsx"), XLSX, content)


def _signature(ws, agreement) -> None:
    if not agreement.first_party:
        return
    append_row(ws, [])
    append_row(ws, [])
    column = 12
    for text in (
        "Mengetahui,",
        agreement.first_party_title or "Kepala",
        None,
        None,
        agreement.first_party.name,
        f"NIP. {agreement.first_party.nip}" if agreement.first_party.nip else None,
    ):
        append_row(ws, [None] * (column - 1) + [text])


def _filename(agreement, extension: str) -> str:
    return f"rencana-aksi-{slugify(agreement.unit.slug)}-{agreement.year}.{extension}"


def renaksi_pdf(*, agreement: PerjanjianKinerja) -> Export:
    rows, total_pagu, total_rpd = selectors.action_plan(agreement)
    if not rows:
        raise ExportError(
            f"Rencana Aksi {agreement.unit} tahun {agreement.year} belum berisi indikator."
        )
    title, subtitle = _title(agreement)
    first_of_goal, seen = set(), set()
    for item in rows:
        if item.row.goal_id not in seen:
            seen.add(item.row.goal_id)
            first_of_goal.add(item.row.id)
    html = render_to_string(
        "documents/renaksi_pdf.html",
        {
            "agreement": agreement,
            "rows": rows,
            "title": title,
            "subtitle": subtitle,
            "total_pagu": total_pagu,
            "total_rpd": total_rpd,
            "quarters": (1, 2, 3, 4),
            "first_of_goal": first_of_goal,
        },
    )
    return Export(_filename(agreement, "pdf"), PDF, html_to_pdf(html))
