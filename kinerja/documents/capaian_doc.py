"""Laporan Capaian Perjanjian Kinerja for a quarter (layout of the Atambua appendix): per IKK the
annual target, the four quarters' target increments, the realised increment and its percentage up
to the reported quarter, the narrative per month, the evidence and the region's monitoring notes."""

from __future__ import annotations

from kinerja.core.formatting import BULAN, TRIWULAN, format_number
from kinerja.core.render import doc
from kinerja.documents.common import letterhead, target_text
from kinerja.measurement import selectors as measurement
from kinerja.measurement.models import MonitoringNote
from kinerja.planning.models import PerjanjianKinerja

COLUMNS = [
    doc.Col("NO", 0.8, "center"),
    doc.Col("SASARAN KEGIATAN", 3.0),
    doc.Col("NO", 0.7, "center"),
    doc.Col("INDIKATOR KINERJA", 3.8),
    doc.Col("URAIAN", 1.7, "center"),
    doc.Col("WAKTU", 1.2, "center"),
    doc.Col("JUMLAH", 1.3, "right"),
    doc.Col("SATUAN", 1.4, "center"),
    doc.Col("JUMLAH", 1.4, "right"),
    doc.Col("(%)", 1.4, "right"),
    doc.Col("URAIAN", 4.8),
    doc.Col("LAMPIRAN", 2.5),
    doc.Col("CATATAN MONITORING", 2.2),
]
HEADER = [
    [
        doc.Cell("NO"),
        doc.Cell("SASARAN KEGIATAN"),
        doc.Cell("NO"),
        doc.Cell("INDIKATOR KINERJA"),
        doc.Cell("TARGET", colspan=4),
        doc.Cell("REALISASI", colspan=4),
        doc.Cell("CATATAN MONITORING"),
    ],
    [
        "",
        "",
        "",
        "",
        "URAIAN",
        "WAKTU",
        "JUMLAH",
        "SATUAN",
        "JUMLAH",
        "(%)",
        "URAIAN",
        "LAMPIRAN",
        "",
    ],
]


def _number(value) -> str:
    return "-" if value is None else format_number(value, 2, trim=True)


def _narratives(result, quarter: int) -> str:
    """The narrative of each month of the quarter (monthly facility) or of the quarter."""
    lines = []
    months = range(3 * quarter - 2, 3 * quarter + 1)
    by_month = {r.month: r for r in result.row.realizations.all() if r.quarter == quarter}
    if any(m in by_month for m in months):
        for month in months:
            realization = by_month.get(month)
            text = realization.narrative if realization else ""
            lines.append(f"{BULAN[month - 1]}: {text or '-'}")
    elif None in by_month and by_month[None].narrative:
        lines.append(by_month[None].narrative)
    return "\n".join(lines)


def _evidence(result, quarter: int) -> str:
    names = [
        e.original_name
        for r in result.row.realizations.all()
        if r.quarter == quarter
        for e in r.evidence.all()
    ]
    return "\n".join(names) if names else "-"


def indicator_rows(agreement: PerjanjianKinerja, quarter: int, results=None) -> list[list]:
    results = results if results is not None else measurement.year_results(agreement)
    notes: dict[tuple[int, int], list[str]] = {}
    for note in MonitoringNote.objects.filter(pk_indicator__agreement=agreement):
        notes.setdefault((note.pk_indicator_id, note.quarter), []).append(note.text)
    rows, last_goal = [], None
    for result in results:
        row = result.row
        unit_label = row.target_unit if row.target_unit not in ("%", "Indeks") else row.target_unit
        figures = {f.quarter: f for f in result.quarter_figures}
        first_of_goal = row.goal_id != last_goal
        last_goal = row.goal_id
        for q in (1, 2, 3, 4):
            fig = figures.get(q)
            reported = q <= quarter
            if not reported:
                real, pct, text = "", "", ""
            elif fig is None or fig.cumulative is None:
                real, pct = "-", "N/A" if fig and fig.na_reason != "belum diisi" else "-"
                reason = fig.na_reason if fig else "belum diisi"
                text = _narratives(result, q)
                text = f"{text}\n({reason})".strip() if reason else text
            else:
                real = _number(fig.increment)
                pct = "-" if fig.achievement is None else format_number(fig.achievement, 2)
                cumulative = format_number(fig.cumulative, 2, trim=True)
                text = _narratives(result, q)
                suffix = "%" if row.target_unit == "%" else f" {unit_label}"
                text = f"{text}\nRealisasi s.d. {TRIWULAN[q]}: {cumulative}{suffix}".strip()
                if fig.achievement is None and fig.na_reason:
                    text = f"{text}\n({fig.na_reason})"
            rows.append(
                [
                    f"{row.goal.number}." if first_of_goal and q == 1 else "",
                    row.goal.name if first_of_goal and q == 1 else "",
                    str(row.number) if q == 1 else "",
                    row.name if q == 1 else "",
                    f"{target_text(row)}; {TRIWULAN[4]}" if q == 1 else "",
                    TRIWULAN[q],
                    _number(fig.target_increment if fig else None),
                    row.target_unit,
                    real,
                    pct,
                    text,
                    _evidence(result, q) if reported else "",
                    "\n".join(notes.get((row.id, q), [])) if reported else "",
                ]
            )
    return rows


def table(agreement: PerjanjianKinerja, quarter: int, results=None, caption="") -> doc.Table:
    return doc.Table(
        columns=COLUMNS,
        header=HEADER,
        rows=indicator_rows(agreement, quarter, results),
        caption=caption,
        font_size=7,
        note=(
            "JUMLAH target: target triwulan (kenaikan); JUMLAH realisasi: kenaikan realisasi pada "
            "triwulan itu; (%) = realisasi triwulan / target triwulan × 100. Realisasi dihitung dari "
            "angka kumulatif s.d. akhir triwulan. N/A: tidak ada populasi, bukan 100%."
        ),
    )


def title_blocks(agreement: PerjanjianKinerja, quarter: int) -> list:
    unit = agreement.unit
    lines = ["LAPORAN CAPAIAN PERJANJIAN KINERJA", f"TAHUN : {agreement.year}"]
    lines += letterhead(unit, agreement.year, ministry=False)[1:]
    lines.append(f"TRIWULAN : {TRIWULAN[quarter]}")
    return [doc.Heading("\n".join(lines), level=1, toc=False)]


def build(agreement: PerjanjianKinerja, quarter: int) -> doc.Document:
    blocks = title_blocks(agreement, quarter)
    blocks.append(table(agreement, quarter))
    return doc.Document(
        title=f"Laporan Capaian PK {TRIWULAN[quarter]} {agreement.year} {agreement.unit.name}",
        sections=[doc.Section(blocks, landscape=True)],
        footer=f"Laporan Capaian PK {TRIWULAN[quarter]} {agreement.year} — {agreement.unit.name}",
    )
