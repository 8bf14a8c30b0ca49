"""The Rencana Aksi of a facility and year, in the offices' own layout: XLSX (re-importable) and PDF.

Both carry the office's columns (the Luwuk sheet): goal, indicator, target, formula, activity, pagu,
RPD, budget realised, TW and planned activity, TW and achievement, evidence, status and remarks; the
title names the ministry and the facility as they were called in the plan's year
(`OrganisationName`). The formula is the office's own text where the plan was imported from its
workbook (`PKIndicator.formula_text`), with the catalogue's formula, by which Kinerja computes,
printed under it in the PDF ("Rumus Kinerja: …") and kept as a cell note in the workbook, so the
workbook imported again gives the same plan.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from django.template import Context, Engine, Library
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from kinerja.core.formatting import TRIWULAN
from kinerja.core.render.export import PDF, XLSX, Export, ExportError, html_to_pdf
from kinerja.core.xlsx import append_row, clean_text, workbook_bytes
from kinerja.organizations.selectors import names_in
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
A4 = 9  # the paper size code of a worksheet's page set-up


def catalogue_formula(indicator) -> str:
    """The catalogue's formula, by which Kinerja computes, with its variables."""
    variables = "; ".join(f"{v.symbol} = {v.description}" for v in indicator.variables.all())
    formula = indicator.formula.replace("*", "×")
    return f"{formula}. Keterangan: {variables}" if variables else formula


def office_formula(pk_row) -> str:
    """The formula as the office wrote it in its Rencana Aksi ('' when the plan did not come from
    a workbook or its cell was empty)."""
    return (pk_row.formula_text or "").strip()


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
    """The office's two title lines: the ministry of the plan's year, then the facility (its name
    that year) and the year."""
    ministry, names = names_in(agreement.year)
    unit = agreement.unit
    first = "RENCANA KEGIATAN PERJANJIAN KINERJA"
    if ministry:
        first = f"{first} DI LINGKUNGAN {ministry.upper()}"
    return first, f"{names.get(unit.pk, unit.name).upper()} TAHUN {agreement.year}"


def renaksi_xlsx(*, agreement: PerjanjianKinerja) -> Export:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
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
        own = office_formula(pk_row)
        computed = catalogue_formula(pk_row.indicator)
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
                    (own or computed) if first else None,
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
                if own and own != computed:
                    # The formula Kinerja computes by, beside the office's own text (a note is
                    # not a value: the import reads the office's text only).
                    ws.cell(ws.max_row, 4).comment = Comment(
                        clean_text(f"Rumus Kinerja: {computed}"), "Kinerja", width=320, height=160
                    )
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
    _print_setup(ws)
    content = workbook_bytes(workbook)
    return Export(_filename(agreement, "xlsx"), XLSX, content)


def _print_setup(ws) -> None:
    """Printed as the office prints it: A4 landscape, the whole width on one page (as many pages
    down as needed), the header row on every page, narrow margins, "Halaman X dari Y"."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "4:4"
    ws.print_options.horizontalCentered = True
    margins = ws.page_margins
    margins.left = margins.right = 0.4
    margins.top = 0.5
    margins.bottom = 0.6
    margins.header = 0.2
    margins.footer = 0.3
    ws.oddFooter.right.text = "Halaman &P dari &N"
    ws.oddFooter.right.size = 8


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


register = Library()  # the PDF template's own filter, loaded as {% load renaksi %}

# Longer than any word: a web address or a file name in DATA DUKUNG, which may break after its
# slashes, dots and the like (and, if a piece is still this long, every LONG_PIECE characters).
LONG_TOKEN = 24
LONG_PIECE = 12
_TOKEN = re.compile(rf"\S{{{LONG_TOKEN + 1},}}")
_SEPARATOR = re.compile(r"([/._\-?&=#:])")


def _breakable_token(token: str) -> str:
    pieces = []
    for piece in _SEPARATOR.split(token):
        if _SEPARATOR.fullmatch(piece):
            pieces.append(f"{escape(piece)}<wbr>")
        elif len(piece) > LONG_TOKEN:
            chunks = (piece[i : i + LONG_PIECE] for i in range(0, len(piece), LONG_PIECE))
            pieces.append("<wbr>".join(escape(c) for c in chunks))
        else:
            pieces.append(escape(piece))
    return "".join(pieces)


@register.filter
def pecah(value) -> str:
    """Text for a cell: escaped, with break opportunities (<wbr>) inside tokens longer than any
    word only, so words are never broken and a long address still stays in its column."""
    text = "" if value is None else str(value)
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(_breakable_token(match.group()))
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of the text is escaped


# The PDF's page. Kept here, beside the workbook it mirrors (column for column, the office's sheet).
# No word is broken inside a cell: no hyphenation, no breaking inside words (`overflow-wrap`,
# `word-break`), a target with its unit and a money figure on one line; the columns are wide enough
# for the longest word of each (DejaVu Sans Condensed, 6.5 pt). Each indicator's four TW rows stay
# on one page, and the totals and the signature stay with the last indicator's rows.
PDF_TEMPLATE = """{% load kinerja renaksi %}<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{{ title }} {{ subtitle }}</title>
<style>
@page { size: A4 landscape; margin: 10mm 8mm 12mm 8mm;
  @bottom-right { content: "Halaman " counter(page) " dari " counter(pages); font: 7pt "DejaVu Sans", sans-serif; }
  @bottom-left { content: "{{ footer }}"; font: 7pt "DejaVu Sans", sans-serif; } }
body { font: 6.5pt/1.22 "DejaVu Sans Condensed", "DejaVu Sans", sans-serif; font-stretch: condensed;
  color: #000; hyphens: manual; word-break: normal; overflow-wrap: normal; }
h1 { font-size: 9.5pt; text-align: center; margin: 0; }
h2 { font-size: 9.5pt; text-align: center; margin: 0 0 5pt; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
thead { display: table-header-group; }
th, td { border: 0.5pt solid #000; padding: 1.5pt 2pt; vertical-align: top;
  hyphens: manual; word-break: normal; overflow-wrap: normal; }
th { background: #e4e9ef; font-weight: bold; font-size: 6pt; text-align: center; vertical-align: middle; }
td.num { text-align: right; white-space: nowrap; }
td.tgt { text-align: center; white-space: nowrap; }
td.tw { white-space: nowrap; }
td.status { text-align: center; }
.computed { font-size: 5.5pt; color: #222; margin-top: 2pt; border-top: 0.3pt dotted #555; padding-top: 1pt; }
tr.block-start td { border-top: 1pt solid #000; }
tr { break-inside: avoid; }
tr.cont { break-before: avoid; }
.end { break-before: avoid; break-inside: avoid; }
.totals { margin: 3pt 0 0; }
.sign { margin: 8pt 0 0 66%; }
.sign p { margin: 0; }
.sign .space { height: 34pt; }
</style></head>
<body>
<h1>{{ title }}</h1>
<h2>{{ subtitle }}</h2>
<table>
<colgroup>
<col style="width:7%"><col style="width:9%"><col style="width:5.3%"><col style="width:10.1%">
<col style="width:7.2%"><col style="width:6.1%"><col style="width:6.1%"><col style="width:6.1%">
<col style="width:2.9%"><col style="width:10.2%"><col style="width:2.9%"><col style="width:7.7%">
<col style="width:6.8%"><col style="width:5.5%"><col style="width:7.1%">
</colgroup>
<thead>
<tr><th>Sasaran Kegiatan</th><th>Indikator Kinerja</th><th>Target Kinerja</th><th>Rumus Perhitungan</th><th>Kegiatan</th><th>Pagu (Rp)</th><th>Rencana Penarikan Dana (Rp)</th><th>Realisasi Anggaran (Rp)</th><th colspan="2">Rencana Kegiatan</th><th colspan="2">Capaian</th><th>Data Dukung</th><th>Status Pelaksanaan</th><th>Keterangan</th></tr>
</thead>
<tbody>
{% for item in rows %}
{% for q in quarters %}
<tr class="{% if forloop.first %}block-start{% endif %}{% if q == 2 or q == 4 or forloop.parentloop.last and q != 1 %} cont{% endif %}">
  {% if forloop.first %}
  <td rowspan="4">{% if item.row.id in first_of_goal %}{{ item.row.goal.number }}. {{ item.row.goal.name|pecah }}{% endif %}</td>
  <td rowspan="4">{{ item.row.number }}. {{ item.row.name|pecah }}</td>
  <td rowspan="4" class="tgt">{{ item.row|target }}</td>
  <td rowspan="4">{% with own=own_formula|dictget:item.row.id %}{% if own %}{{ own|pecah }}<div class="computed">Rumus Kinerja: {{ item.row.indicator.formula|rumus }}{% for v in item.row.indicator.variables.all %}; {{ v.symbol }} = {{ v.description|pecah }}{% endfor %}</div>{% else %}{{ item.row.indicator.formula|rumus }}{% for v in item.row.indicator.variables.all %}<br>{{ v.symbol }} = {{ v.description|pecah }}{% endfor %}{% endif %}{% endwith %}</td>
  <td rowspan="4">{{ item.row.activity.name|default:"-"|pecah }}</td>
  <td rowspan="4" class="num">{% if item.row.activity %}{{ item.row.activity.pagu|angka:0 }}{% else %}-{% endif %}</td>
  {% endif %}
  {% with aq=item.activity_quarters|dictget:q quarter=item.quarters|dictget:q %}
  <td class="num">{% if aq and aq.planned_disbursement %}{{ aq.planned_disbursement|angka:0 }}{% else %}-{% endif %}</td>
  <td class="num">{% if aq and aq.realised is not None %}{{ aq.realised|angka:0 }}{% else %}-{% endif %}</td>
  <td class="tw">{{ q|triwulan }}</td>
  <td>{{ quarter.planned_activity|pecah }}</td>
  <td class="tw">{{ q|triwulan }}</td>
  <td>{{ quarter.achievement_text|pecah }}</td>
  <td>{{ quarter.evidence_expected|pecah }}</td>
  {% endwith %}
  {% if forloop.first %}
  <td rowspan="4" class="status">{{ item.row.ra_status|pecah }}</td>
  <td rowspan="4">{{ item.row.ra_remarks|pecah }}</td>
  {% endif %}
</tr>
{% endfor %}
{% endfor %}
</tbody>
</table>
<div class="end">
<p class="totals">Jumlah pagu (setiap kegiatan dihitung sekali): <strong>{{ total_pagu|rupiah }}</strong>; jumlah rencana penarikan dana: <strong>{{ total_rpd|rupiah }}</strong>.</p>
{% if agreement.first_party %}
<div class="sign">
  <p>Mengetahui,<br>{{ agreement.first_party_title|default:"Kepala" }}</p>
  <div class="space"></div>
  <p><strong>{{ agreement.first_party.name }}</strong><br>NIP. {{ agreement.first_party.nip }}</p>
</div>
{% endif %}
</div>
</body></html>
"""


def _css_string(text: str):
    """Text for a CSS string inside the page's <style> (quotes, backslashes and "<" escaped)."""
    escaped = "".join(
        f"\\{ord(ch):x} " if ch in '\\"<>\n\r' else ch for ch in " ".join(text.split())
    )
    return mark_safe(escaped)  # noqa: S308 - every character that could end the string is escaped


@cache
def _pdf_template():
    engine = Engine(
        libraries={
            "kinerja": "kinerja.core.templatetags.kinerja",
            "renaksi": "kinerja.planning.renaksi_export",
        },
        autoescape=True,
    )
    return engine.from_string(PDF_TEMPLATE)


def renaksi_html(*, agreement: PerjanjianKinerja) -> str:
    """The HTML the PDF is printed from."""
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
    return _pdf_template().render(
        Context(
            {
                "agreement": agreement,
                "rows": rows,
                "title": title,
                "subtitle": subtitle,
                "footer": _css_string(f"{agreement.unit.name} · Rencana Aksi {agreement.year}"),
                "own_formula": {item.row.id: office_formula(item.row) for item in rows},
                "total_pagu": total_pagu,
                "total_rpd": total_rpd,
                "quarters": (1, 2, 3, 4),
                "first_of_goal": first_of_goal,
            }
        )
    )


def renaksi_pdf(*, agreement: PerjanjianKinerja) -> Export:
    return Export(_filename(agreement, "pdf"), PDF, html_to_pdf(renaksi_html(agreement=agreement)))
