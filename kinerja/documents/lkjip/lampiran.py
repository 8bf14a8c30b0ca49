"""Appendices: 1. the decree forming the report team (considerations, legal basis, decisions and
the team), 2. the signed PK, 3. the Laporan Capaian PK up to the last quarter with results and
4. the TARJA items with their evidence (landscape)."""

from __future__ import annotations

from kinerja.core.formatting import format_date, format_number
from kinerja.core.render import doc
from kinerja.documents.common import signer_lines
from kinerja.documents.lkjip.layout import Layout


def team_decree(layout: Layout) -> list[doc.Block]:
    report = layout.report
    name = report.identity.name
    decree = report.decree
    s = decree.signatory
    about = f"PEMBENTUKAN TIM PENYUSUN LKjIP {name.upper()} TAHUN {report.year}"
    blocks: list[doc.Block] = [
        doc.Heading("Lampiran 1. Keputusan Pembentukan Tim Penyusun LKjIP", 2),
        doc.Para("\n".join(report.identity.letterhead), align="center", bold=True),
        doc.Para(
            f"KEPUTUSAN KEPALA {name.upper()}\nNOMOR: {decree.number or '(belum diisi)'}\n"
            f"TENTANG\n{about}\n\nKEPALA {name.upper()},",
            align="center",
            bold=True,
        ),
    ]
    blocks += _decree_part(layout, "Menimbang", "sk_menimbang", lettered=True)
    blocks += _decree_part(layout, "Mengingat", "sk_mengingat", lettered=False)
    blocks.append(doc.Para("MEMUTUSKAN:", align="center", bold=True))
    decisions = [["Menetapkan", ":", f"KEPUTUSAN KEPALA {name.upper()} TENTANG {about}."]]
    for line in _lines(report.narratives.get("sk_memutuskan", "")):
        label, _, text = line.partition(":")
        if text and label.isupper():
            decisions.append([label.strip(), ":", text.strip()])
        else:
            decisions.append(["", "", line])
    blocks.append(_decree_table(decisions))
    blocks.append(_decree_signature(layout))
    blocks.append(doc.PageBreak())
    blocks.append(
        doc.Para(
            f"Lampiran Keputusan Kepala {name}\nNomor: {decree.number or '(belum diisi)'}\n"
            f"Tanggal: {format_date(s.date) if s.date else '(belum diisi)'}",
            align="left",
            size=9,
        )
    )
    blocks.append(
        doc.Para(
            f"SUSUNAN TIM PENYUSUN LKjIP {name.upper()} TAHUN {report.year}",
            align="center",
            bold=True,
        )
    )
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
    blocks.append(_decree_signature(layout))
    return blocks


def _lines(text: str) -> list[str]:
    return [line.strip().removeprefix("- ").strip() for line in text.splitlines() if line.strip()]


def _decree_table(rows: list[list[str]]) -> doc.Table:
    return doc.Table(
        columns=[doc.Col("", 2.6), doc.Col("", 0.5, "center"), doc.Col("", 12.9)],
        header=[],
        rows=rows,
        ruled=False,
        font_size=10,
    )


def _decree_part(layout: Layout, label: str, key: str, lettered: bool) -> list[doc.Block]:
    """Menimbang (a, b, c …) or Mengingat (1, 2, 3 …): the section's lines, numbered."""
    lines = _lines(layout.report.narratives.get(key, ""))
    if not lines:
        return []
    rows = []
    for i, line in enumerate(lines):
        mark = f"{chr(ord('a') + i)}." if lettered else f"{i + 1}."
        rows.append([label if i == 0 else "", ":" if i == 0 else "", f"{mark} {line}"])
    return [_decree_table(rows)]


def _decree_signature(layout: Layout) -> doc.Signature:
    s = layout.report.decree.signatory
    return doc.Signature(
        [
            signer_lines(
                [
                    f"Ditetapkan di {s.place or '(tempat)'}",
                    f"pada tanggal {format_date(s.date) if s.date else '(belum diisi)'}",
                    f"Kepala {layout.report.identity.name},",
                ],
                s.head,
            )
        ],
        gap_after=[3],
    )


def tarja_evidence(layout: Layout) -> list[doc.Block]:
    """The TARJA items with the documents that prove them (data dukung) and their achievement."""
    report = layout.report
    rows = [
        [
            str(t.number),
            t.name,
            "\n".join(t.evidence) if t.evidence else "belum diisi",
            (format_number(t.score, 2) if t.score is not None else "-")
            + (f"\n{t.remarks}" if t.remarks else ""),
        ]
        for t in report.tarja
    ]
    return [
        doc.Heading(f"Lampiran 4. Data Dukung Target Kinerja (TARJA) {report.year}", 2),
        doc.Table(
            columns=[
                doc.Col("No", 1, "center"),
                doc.Col("Target Kinerja (Kriteria Keberhasilan)", 9),
                doc.Col("Data Dukung", 10.5),
                doc.Col("Capaian Target Kinerja", 4, "center"),
            ],
            rows=rows,
            caption=f"Data Dukung Target Kinerja (TARJA) {report.year}",
            font_size=8,
        ),
    ]


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
        if report.tarja:
            blocks.append(doc.PageBreak())
            blocks += tarja_evidence(layout)
        sections.append(doc.Section(blocks, landscape=True))
    elif report.tarja:
        sections.append(doc.Section(tarja_evidence(layout), landscape=True))
    return sections
