"""Cover, Kata Pengantar, table of contents and Ikhtisar Eksekutif."""

from __future__ import annotations

from kinerja.core.render import doc
from kinerja.documents.lkjip.layout import Layout


def cover(layout: Layout) -> list[doc.Block]:
    report = layout.report
    identity = report.identity
    return [
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
        doc.PageBreak(),
    ]


def front(layout: Layout) -> list[doc.Block]:
    blocks: list[doc.Block] = [doc.Heading("KATA PENGANTAR", 1)]
    blocks += layout.narrative("kata_pengantar")
    blocks.append(layout.signature())
    blocks.append(doc.PageBreak())
    blocks.append(doc.Contents())
    blocks.append(doc.Heading("IKHTISAR EKSEKUTIF", 1))
    blocks += layout.narrative("ikhtisar")
    blocks.append(doc.PageBreak())
    return blocks
