"""The cover letter to the regional head, the cover, Kata Pengantar, the table of contents, the
lists of tables and figures, and the Ikhtisar Eksekutif."""

from __future__ import annotations

from kinerja.core.render import doc
from kinerja.documents.common import place_date, signer_lines
from kinerja.documents.lkjip.layout import Layout

MISSING = "(belum diisi)"


def letter(layout: Layout) -> list[doc.Block]:
    """The surat pengantar: letterhead, number, nature, attachment, subject, addressee, body (an
    editable section), the head's signature and the copies (an editable section)."""
    report = layout.report
    identity, letter = report.identity, report.letter
    blocks: list[doc.Block] = _logo(layout) + [
        doc.Para("\n".join(identity.letterhead), align="center", bold=True, size=11),
    ]
    if identity.address:
        blocks.append(doc.Para(identity.address, align="center", size=9))
    blocks.append(doc.Para(place_date(letter.place, letter.date), align="right"))
    blocks.append(
        doc.Table(
            columns=[doc.Col("", 2.4), doc.Col("", 0.5, "center"), doc.Col("", 13.1)],
            header=[],
            rows=[
                ["Nomor", ":", letter.number or MISSING],
                ["Sifat", ":", letter.nature or "Biasa"],
                ["Lampiran", ":", letter.attachment or "-"],
                ["Hal", ":", letter.subject],
            ],
            ruled=False,
            font_size=11,
            keep_together=True,
        )
    )
    if letter.addressee:
        lines = ["Yth. " + letter.addressee]
        if letter.address:
            lines.append(letter.address)
        blocks.append(doc.Para("\n".join(lines), align="left"))
    blocks += layout.narrative("surat_pengantar")
    s = report.signatory
    blocks.append(doc.Signature([signer_lines([f"Kepala {identity.name}"], s.head)], [1]))
    copies = [
        line.strip().removeprefix("- ").strip()
        for line in report.narratives.get("surat_tembusan", "").splitlines()
        if line.strip()
    ]
    if copies:
        blocks.append(doc.Para("Tembusan:", align="left"))
        blocks.append(doc.Bullets(copies, numbered=True))
    return blocks


def _logo(layout: Layout) -> list[doc.Block]:
    """The ministry's logo of the report's year above the letterhead, when one is recorded."""
    logo = layout.report.identity.logo
    return [doc.Image(logo, 2.2)] if logo else []


def cover(layout: Layout) -> list[doc.Block]:
    report = layout.report
    identity = report.identity
    return _logo(layout) + [
        doc.Para("\n".join(identity.letterhead), align="center", bold=True, size=12),
        doc.Para("\n\n\n", align="center"),
        doc.Heading(
            f"LAPORAN KINERJA INSTANSI PEMERINTAH\n(LKjIP)\nTAHUN {report.year}",
            level=0,
            toc=False,
        ),
        doc.Para("\n\n", align="center"),
        doc.Para(identity.name.upper(), align="center", bold=True, size=14),
        doc.Para(identity.address, align="center"),
    ]


def front(layout: Layout) -> list[doc.Block]:
    """Kata Pengantar, contents, lists of tables and figures, Ikhtisar: each on a new page."""
    blocks: list[doc.Block] = [doc.Heading("KATA PENGANTAR", 1)]
    blocks += layout.narrative("kata_pengantar")
    blocks.append(layout.signature())
    blocks.append(doc.PageBreak())
    blocks.append(doc.Contents())
    blocks.append(doc.PageBreak())
    blocks.append(doc.Contents("DAFTAR TABEL", kind="tables"))
    blocks.append(doc.PageBreak())
    blocks.append(doc.Contents("DAFTAR GAMBAR DAN GRAFIK", kind="figures"))
    blocks.append(doc.PageBreak())
    blocks.append(doc.Heading("IKHTISAR EKSEKUTIF", 1))
    blocks += layout.narrative("ikhtisar")
    return blocks
