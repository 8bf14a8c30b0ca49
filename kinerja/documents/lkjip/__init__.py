"""The annual report (LKjIP) of a facility and year, in the structure of DOMAIN.md: cover, Kata
Pengantar, table of contents, Ikhtisar Eksekutif, BAB I-IV and the appendices (team decree, the
signed PK, the quarterly Laporan Capaian PK).

`data.gather(unit, year)` does every read and returns the report as frozen data (`LkjipReport`);
the chapter modules (`cover`, `bab1` … `bab4`, `lampiran`) only lay it out; `build()` puts the
chapters together into the document's blocks (`documents.doc`)."""

from __future__ import annotations

from kinerja.core.render import doc
from kinerja.documents.lkjip import bab1, bab2, bab3, bab4, cover, lampiran
from kinerja.documents.lkjip.data import LkjipReport, gather
from kinerja.documents.lkjip.layout import Layout

__all__ = ["LkjipReport", "build", "gather"]


def build(report: LkjipReport, progress=None, draft: bool = False) -> doc.Document:
    layout = Layout(report, progress, draft)
    layout.progress(5, "Sampul dan pengantar")
    main = cover.cover(layout) + cover.front(layout)
    layout.progress(15, "BAB I dan II")
    main += bab1.build(layout) + bab2.build(layout)
    layout.progress(30, "BAB III")
    main += bab3.build(layout)
    main += bab4.build(layout)
    sections = [doc.Section(main)] + lampiran.build(layout)
    name = report.identity.name
    return doc.Document(
        title=f"LKjIP {report.year} {name}",
        sections=sections,
        footer=f"LKjIP {report.year} — {name}",
        draft=draft,
    )
