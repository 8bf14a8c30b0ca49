"""What every chapter of the LKjIP shares while it is laid out: table and chart numbering per
chapter, narrative text as paragraphs and bullets, the report's signature block, progress."""

from __future__ import annotations

from kinerja.core.render import doc
from kinerja.documents.common import place_date, signer_lines
from kinerja.documents.lkjip.data import LkjipReport, Signatory

PRINTED_NOTE = "* angka sebagaimana dilaporkan dalam LKjIP tahun tersebut."
NO_DATA = "tidak ada data"


class Layout:
    def __init__(self, report: LkjipReport, progress=None, draft: bool = False):
        self.report = report
        self.progress = progress or (lambda pct, step: None)
        self.draft = draft
        self.tables = 0
        self.figures = 0
        self.pictures = 0
        self.chapter = ""

    def start_chapter(self, number: str) -> None:
        self.chapter, self.tables, self.figures, self.pictures = number, 0, 0, 0

    def picture_caption(self, text: str) -> str:
        """A drawing that is not a chart (the organisation chart): 'Gambar 1.1 …'."""
        self.pictures += 1
        return f"Gambar {self.chapter}.{self.pictures} {text}"

    def caption(self, text: str) -> str:
        self.tables += 1
        return f"Tabel {self.chapter}.{self.tables} {text}"

    def figure_caption(self, text: str) -> str:
        self.figures += 1
        return f"Grafik {self.chapter}.{self.figures} {text}"

    def progress_within(self, start: int, span: int, done: int, total: int, step: str) -> None:
        """Progress of a part made of `total` items, `done` of them laid out."""
        if total:
            self.progress(start + int(span * done / total), step)

    def narrative(self, key: str) -> list[doc.Block]:
        """A narrative section (saved text, else the automatic draft): one paragraph per line,
        lines starting with '- ' as bullets."""
        text = self.report.narratives.get(key, "")
        blocks: list[doc.Block] = []
        bullets: list[str] = []
        for chunk in text.replace("\r\n", "\n").split("\n\n"):
            lines = [line for line in chunk.split("\n") if line.strip()]
            for line in lines:
                if line.lstrip().startswith("- "):
                    bullets.append(line.lstrip()[2:])
                    continue
                if bullets:
                    blocks.append(doc.Bullets(bullets))
                    bullets = []
                blocks.append(doc.Para(line))
            if bullets:
                blocks.append(doc.Bullets(bullets))
                bullets = []
        return blocks

    def signature(self) -> doc.Signature:
        """The head's signature under the Kata Pengantar and BAB IV."""
        s: Signatory = self.report.signatory
        return doc.Signature(
            [
                signer_lines(
                    [place_date(s.place, s.date), f"Kepala {self.report.identity.name}"], s.head
                )
            ],
            gap_after=[2],
        )
