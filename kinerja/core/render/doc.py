"""A document as plain blocks (headings, paragraphs, tables, images, signatures), built once from
the data and rendered to .docx (`docx_render`) and to PDF (`pdf_render`; `html_render` gives HTML).
Both media therefore show the same figures, and the tests can read either one back."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Heading:
    text: str
    level: int = 1  # 0: document title (not in the table of contents); 1-3: Heading 1-3
    toc: bool = True


@dataclass
class Para:
    text: str
    align: str = "justify"  # left, center, right, justify
    bold: bool = False
    italic: bool = False
    size: float | None = None  # points
    indent_cm: float = 0


@dataclass
class Bullets:
    items: list[str]
    numbered: bool = False


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    bold: bool = False
    align: str = ""  # empty: the column's alignment
    shade: bool = False


@dataclass
class Col:
    title: str
    width_cm: float
    align: str = "left"


SMALL_TABLE_ROWS = 3


@dataclass
class Table:
    """A ruled table. `header` rows repeat on every page; `columns` give widths and alignment;
    a row is a list of `Cell` or `str`. Cells spanning columns are given once with `colspan`."""

    columns: list[Col]
    rows: list[list]
    header: list[list] | None = None  # default: one row with the column titles
    caption: str = ""
    font_size: float = 9
    note: str = ""
    ruled: bool = True
    # Never split across pages (with its caption). Tables of at most `SMALL_TABLE_ROWS` body rows
    # are kept together whatever this says.
    keep_together: bool = False

    def header_rows(self) -> list[list[Cell]]:
        if self.header is not None:
            return [[c if isinstance(c, Cell) else Cell(c) for c in row] for row in self.header]
        return [[Cell(c.title) for c in self.columns]]

    def body_rows(self) -> list[list[Cell]]:
        return [[c if isinstance(c, Cell) else Cell(str(c)) for c in row] for row in self.rows]

    @property
    def unbreakable(self) -> bool:
        return self.keep_together or len(self.rows) <= SMALL_TABLE_ROWS


@dataclass
class Image:
    png: bytes
    width_cm: float
    caption: str = ""


@dataclass
class Signature:
    """Signature blocks side by side: each a list of lines, a gap for the signature after `gap_after`."""

    blocks: list[list[str]]
    gap_after: list[int] = field(default_factory=list)  # per block: lines before the gap


@dataclass
class PageBreak:
    pass


@dataclass
class Contents:
    """The table of contents (`kind` "headings": levels 1-2), or the list of tables ("tables": every
    `Table.caption`) or of figures ("figures": every `Image.caption`), each entry with its page
    number: a field the reader can update in Word; page numbers in the PDF."""

    title: str = "DAFTAR ISI"
    kind: str = "headings"  # headings, tables, figures


# Every block a section holds; the renderers handle each of them.
Block = Heading | Para | Bullets | Table | Image | Signature | PageBreak | Contents


@dataclass
class Section:
    """Pages of one orientation and one page numbering. `numbering`: "none" (no page number, e.g.
    the cover letter and the cover), "roman" (i, ii, … as the front matter of the report) or
    "arabic" (1, 2, …). Numbering restarts at 1 (i) where it changes from one section to the next,
    and continues otherwise."""

    blocks: list[Block]
    landscape: bool = False
    numbering: str = "arabic"


@dataclass
class Document:
    title: str
    sections: list[Section]
    footer: str = ""  # text before "Halaman X dari Y"
    draft: bool = False  # watermark "DRAF"

    def headings(self) -> list[Heading]:
        return [
            b
            for s in self.sections
            for b in s.blocks
            if isinstance(b, Heading) and b.toc and b.level >= 1
        ]

    def contents(self) -> list[Heading]:
        """The entries of the table of contents: chapters and their parts (levels 1-2)."""
        return [h for h in self.headings() if h.level <= 2]

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def anchors(self) -> dict[int, tuple[str, str]]:
        """What the contents and the lists point at: per block (by `id`) its anchor — headings of
        levels 1-3 h1, h2, …, captioned tables t1, …, captioned images f1, … — and the numbering of
        the section it stands in, so that its page number is printed in that style."""
        out: dict[int, tuple[str, str]] = {}
        counts = {"h": 0, "t": 0, "f": 0}
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Heading) and block.toc and block.level >= 1:
                    prefix = "h"
                elif isinstance(block, Table) and block.caption:
                    prefix = "t"
                elif isinstance(block, Image) and block.caption:
                    prefix = "f"
                else:
                    continue
                counts[prefix] += 1
                out[id(block)] = (f"{prefix}{counts[prefix]}", section.numbering)
        return out

    def captions(self, kind: str) -> list[str]:
        """The captions listed by `Contents(kind="tables")` or `Contents(kind="figures")`, in order."""
        block_type = Table if kind == "tables" else Image
        return [
            b.caption
            for s in self.sections
            for b in s.blocks
            if isinstance(b, block_type) and b.caption
        ]
