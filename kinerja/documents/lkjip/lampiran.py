"""Appendices: 1. the decree forming the report team, 2. the signed PK, 3. the Laporan Capaian PK
up to the last quarter with results (landscape)."""

from __future__ import annotations

from kinerja.core.formatting import format_date
from kinerja.core.render import doc
from kinerja.documents.common import signer_lines
from kinerja.documents.lkjip.layout import Layout


def team_decree(layout: Layout) -> list[doc.Block]:
    report = layout.report
    name = report.identity.name
    decree = report.decree
    s = decree.signatory
    blocks: list[doc.Block] = [
        doc.Heading("Lampiran 1. Keputusan Pembentukan Tim Penyusun LKjIP", 2),
        doc.Para("\n".join(report.identity.letterhead), align="center", bold=True),
        doc.Para(
            f"KEPUTUSAN KEPALA {name.upper()}\nNOMOR: {decree.number or '(belum diisi)'}\n"
            f"TENTANG\nPEMBENTUKAN TIM PENYUSUN LKjIP TAHUN {report.year}",
            align="center",
            bold=True,
        ),
    ]
    if decree.members:
        rows = [
            [str(i), f"{m.name}\nNIP. {m.nip or '-'}", m.position, m.role]
            for i, m in enumerate(decree.members, 1)
        ]
        blocks.append(
            doc.Table(
                columns=[
                    doc.Col("No", 1, "center"),
                    doc.Col("Nama / NIP", 6),
                    doc.Col("Jabatan Kedinasan", 5.5),
                    doc.Col("Jabatan dalam Tim", 3.5),
                ],
                rows=rows,
                caption="Susunan Tim Penyusun LKjIP",
            )
        )
    else:
        blocks.append(doc.Para("Susunan tim penyusun tahun ini belum dicatat.", italic=True))
    blocks.append(
        doc.Signature(
            [
                signer_lines(
                    [
                        f"Ditetapkan di {s.place or '(tempat)'}",
                        f"pada tanggal {format_date(s.date) if s.date else '(belum diisi)'}",
                        f"Kepala {name}",
                    ],
                    s.head,
                )
            ],
            gap_after=[3],
        )
    )
    return blocks


def build(layout: Layout) -> list[doc.Section]:
    report = layout.report
    sections = [doc.Section([doc.Heading("LAMPIRAN", 1)] + team_decree(layout))]
    a = report.agreement
    if a is not None:
        pk_blocks: list[doc.Block] = [
            doc.Heading(f"Lampiran 2. Perjanjian Kinerja Tahun {report.year}", 2)
        ]
        pk_blocks += list(a.blocks)
        sections.append(doc.Section(pk_blocks))
        layout.progress(80, "Laporan Capaian PK")
        blocks: list[doc.Block] = [
            doc.Heading(f"Lampiran 3. Laporan Capaian Perjanjian Kinerja {report.year}", 2)
        ]
        blocks += list(a.capaian_title)
        blocks.append(a.capaian_table)
        sections.append(doc.Section(blocks, landscape=True))
    return sections
