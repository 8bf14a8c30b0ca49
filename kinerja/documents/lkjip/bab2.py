"""BAB II Perencanaan Kinerja: the Renstra in force and its medium-term targets, the PK with its
indicator and budget tables."""

from __future__ import annotations

from kinerja.core.render import doc
from kinerja.documents.common import figure, place_date
from kinerja.documents.lkjip.data import replace_caption
from kinerja.documents.lkjip.layout import Layout


def build(layout: Layout) -> list[doc.Block]:
    layout.start_chapter("2")
    report = layout.report
    blocks: list[doc.Block] = [
        doc.Heading("BAB II PERENCANAAN KINERJA", 1),
        doc.Heading("A. Rencana Strategis", 2),
    ]
    plan = report.plan
    if plan:
        blocks.append(
            doc.Para(
                f"Rencana Strategis {plan.start_year}-{plan.end_year} menetapkan visi: "
                f"“{plan.vision}”."
            )
        )
        if plan.mission:
            blocks.append(doc.Para(f"Misi: {plan.mission}"))
        if plan.goals:
            blocks.append(doc.Para(f"Tujuan: {plan.goals}"))
    else:
        blocks.append(doc.Para("Renstra yang berlaku belum dicatat.", italic=True))
    if report.renstra_years:
        years = report.renstra_years
        rows = [
            [ikk.code, ikk.name] + [figure(ikk.renstra.get(y), ikk.target_unit) for y in years]
            for ikk in report.ikks
        ]
        width = 9.5 / max(1, len(years))
        blocks.append(
            doc.Table(
                columns=[doc.Col("Kode", 1.5), doc.Col("Indikator", 6.5)]
                + [doc.Col(str(y), width, "center") for y in years],
                rows=rows,
                caption=layout.caption("Target Jangka Menengah (Renstra)"),
            )
        )
    blocks.append(doc.Heading("B. Perjanjian Kinerja", 2))
    a = report.agreement
    if a is None:
        blocks.append(doc.Para(f"Perjanjian Kinerja {report.year} belum dibuat.", italic=True))
    else:
        blocks.append(
            doc.Para(
                f"Perjanjian Kinerja Tahun {report.year} ditandatangani di "
                f"{place_date(a.place, a.signed_on)} oleh "
                f"{a.first_party} selaku Pihak Pertama dan "
                f"{a.second_party} selaku Pihak Kedua."
            )
        )
        for table in a.indicator_tables:
            caption = layout.caption(f"Perjanjian Kinerja {report.year}: " + table.columns[2].title)
            blocks.append(replace_caption(table, caption))
        blocks.append(
            replace_caption(a.budget_table, layout.caption("Anggaran Program Perjanjian Kinerja"))
        )
    blocks.append(doc.PageBreak())
    return blocks
