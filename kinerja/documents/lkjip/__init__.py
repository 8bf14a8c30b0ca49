"""The annual report (LKjIP) of a facility and year, in the structure of DOMAIN.md: the cover letter
to the regional head, cover, Kata Pengantar, contents and lists of tables and figures, Ikhtisar
Eksekutif, BAB I-IV and the appendices (team decree, the signed PK, the quarterly Laporan Capaian
PK, the TARJA evidence).

`data.gather(unit, year)` does every read and returns the report as frozen data (`LkjipReport`);
the chapter modules (`cover`, `bab1` … `bab4`, `lampiran`) only lay it out; `build()` puts the
chapters together into the document's blocks (`documents.doc`): the letter and the cover without
page numbers, the front matter in roman numerals, the chapters and appendices from 1."""

from __future__ import annotations

from kinerja.core.render import doc
from kinerja.documents.lkjip import bab1, bab2, bab3, bab4, cover, lampiran
from kinerja.documents.lkjip.data import LkjipReport, gather
from kinerja.documents.lkjip.layout import Layout

__all__ = ["LkjipReport", "build", "gather"]


def build(report: LkjipReport, progress=None, draft: bool = False) -> doc.Document:
    layout = Layout(report, progress, draft)
    layout.progress(5, "Surat pengantar, sampul dan pengantar")
    sections = [
        doc.Section(cover.letter(layout), numbering="none"),
        doc.Section(cover.cover(layout), numbering="none"),
        doc.Section(cover.front(layout), numbering="roman"),
    ]
    layout.progress(15, "BAB I dan II")
    main = bab1.build(layout) + bab2.build(layout)
    layout.progress(30, "BAB III")
    main += bab3.build(layout)
    main += bab4.build(layout)
    sections.append(doc.Section(main, numbering="arabic"))
    sections += lampiran.build(layout)
    name = report.identity.name
    return doc.Document(
        title=f"LKjIP {report.year} {name}",
        sections=sections,
        footer=f"LKjIP {report.year} — {name}",
        draft=draft,
    )
