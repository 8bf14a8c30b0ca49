"""BAB I Pendahuluan: background, tasks and organisation (position, staff), purpose, strategic
aspects and issues, the outline of the report."""

from __future__ import annotations

from kinerja.core.formatting import format_date, format_number
from kinerja.core.render import charts, doc
from kinerja.documents.lkjip.layout import Layout


def build(layout: Layout) -> list[doc.Block]:
    layout.start_chapter("1")
    blocks: list[doc.Block] = [
        doc.Heading("BAB I PENDAHULUAN", 1),
        doc.Heading("A. Latar Belakang", 2),
    ]
    blocks += layout.narrative("latar_belakang")
    blocks.append(doc.Heading("B. Tugas, Fungsi dan Struktur Organisasi", 2))
    blocks += layout.narrative("tugas_fungsi")
    blocks += organisation(layout)
    blocks += organisation_chart(layout)
    blocks += staff(layout)
    blocks.append(doc.Heading("C. Maksud dan Tujuan", 2))
    blocks += layout.narrative("maksud_tujuan")
    blocks.append(doc.Heading("D. Aspek Strategis", 2))
    blocks += layout.narrative("aspek_strategis")
    blocks.append(doc.Heading("E. Isu Strategis", 2))
    blocks += layout.narrative("isu_strategis")
    blocks.append(doc.Heading("F. Sistematika Laporan", 2))
    blocks.append(
        doc.Bullets(
            [
                "Kata Pengantar dan Ikhtisar Eksekutif",
                "BAB I Pendahuluan",
                "BAB II Perencanaan Kinerja",
                f"BAB III Akuntabilitas Kinerja Tahun {layout.report.year}",
                "BAB IV Penutup",
                "Lampiran",
            ]
        )
    )
    blocks.append(doc.PageBreak())
    return blocks


def organisation(layout: Layout) -> list[doc.Block]:
    identity = layout.report.identity
    rows = [["Kedudukan", " → ".join(identity.chain)]]
    if identity.facility_type:
        rows.append(["Jenis UPT", identity.facility_type])
    if identity.facility_class:
        rows.append(["Kelas", identity.facility_class])
    if identity.capacity:
        rows.append(["Kapasitas hunian", f"{format_number(identity.capacity, 0)} orang"])
    if identity.address:
        rows.append(["Alamat", identity.address])
    return [
        doc.Table(
            columns=[doc.Col("Uraian", 4), doc.Col("Keterangan", 12)],
            rows=rows,
            caption=layout.caption("Kedudukan dan Organisasi"),
        )
    ]


def organisation_chart(layout: Layout) -> list[doc.Block]:
    """The structure drawn from the facility's structural positions, the head of record on top."""
    report = layout.report
    head = report.signatory.head
    second = [(p.title, p.name) for p in report.positions if p.level == 2]
    third = [(p.title, p.name) for p in report.positions if p.level == 3]
    if not second:
        return [
            doc.Para(
                "Struktur organisasi tidak dapat digambar: jabatan struktural pegawai belum "
                "dicatat.",
                italic=True,
            )
        ]
    png = charts.organisation_chart(
        (f"Kepala {report.identity.name}", head.name if head else "-"), second, third
    )
    return [
        doc.Image(png, 16, layout.picture_caption(f"Struktur Organisasi {report.identity.name}"))
    ]


def staff(layout: Layout) -> list[doc.Block]:
    report = layout.report.staff
    if report is None:
        return [doc.Para("Data pegawai tahun ini belum dicatat.", italic=True)]
    ranks = report.ranks
    columns = [doc.Col("Golongan/Ruang", 3.2)] + [
        doc.Col(rank, max(0.9, 12.8 / max(1, len(ranks)))) for rank, _ in ranks
    ]
    body = [["Jumlah (orang)"] + [str(count) for _, count in ranks]]
    body.append(
        [doc.Cell("Total"), doc.Cell(f"{report.total} orang", colspan=len(ranks), align="center")]
    )
    notes = [f"Per {format_date(report.as_of)}: jumlah menurut golongan {report.total} orang."]
    if report.by_sex is not None:
        notes.append(
            f"Menurut jenis kelamin: laki-laki {report.men}, perempuan {report.women} "
            f"(jumlah {report.by_sex})."
        )
    if not report.totals.consistent:
        notes.append(
            "Jumlah pegawai tidak sama: "
            + "; ".join(f"{label} {value} orang" for label, value in report.totals.known)
            + ". Periksa data kepegawaian."
        )
    return [
        doc.Table(
            columns=columns,
            header=[["Golongan/Ruang"] + [rank for rank, _ in ranks]],
            rows=body,
            caption=layout.caption("Jumlah Pegawai"),
        ),
        doc.Para(" ".join(notes)),
    ]
