"""Render a `doc.Document` to PDF with ReportLab (platypus): the same pages as `html_render` gives
through WeasyPrint, in a fraction of the time (docs/performance.md, "Documents").

- A4 pages, landscape sections on landscape pages: one PageTemplate per section, so that the page
  template of a page says which section it belongs to, hence its size and its numbering.
- Page numbers in the bottom-right margin in the style of the section ("none", i, ii, … or 1, 2, …),
  restarting at 1 where the style changes from one section to the next; "Halaman X dari Y" only
  where the whole document is one arabic run, as in `html_render`.
- Contents, list of tables and of figures in one pass: each entry's page number is a PDF form
  XObject named after its target, drawn where the entry stands and defined once the whole
  document is laid out and every target's page label is known. The number never changes the
  layout (it sits in a column of fixed width), so no second layout pass is needed.
- Keeping together: a heading (and a table's caption) is laid out with the beginning of what
  follows it (`_Lead`): the first lines of a paragraph, the header and first rows of a table;
  small tables, figures, and signatures with the line before them never split (`_Stack`).
- Table cells are plain strings wrapped here (`simpleSplit`) rather than Paragraphs: the cells are
  most of the report, and a Paragraph costs a markup parse per cell.
- One font family, DejaVu Sans, from matplotlib's own files: no system font needed, and every
  character the documents use (Σ, →, ×, −, “ ”) is in it."""

from __future__ import annotations

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Image as RLImage
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import PageBreak as RLPageBreak

from kinerja.core.render import doc

REGULAR, BOLD, ITALIC, BOLD_ITALIC = (
    "DejaVuSans",
    "DejaVuSans-Bold",
    "DejaVuSans-Oblique",
    "DejaVuSans-BoldOblique",
)
BODY_SIZE = 10.5
LINE = 1.35  # line-height, as html_render's CSS
# margins (top, right, bottom, left) as html_render's @page rules
PORTRAIT = (2.2 * cm, 2 * cm, 2 * cm, 2.5 * cm)
LANDSCAPE = (1.8 * cm, 1.5 * cm, 1.8 * cm, 1.5 * cm)
HEADER_GREY = colors.Color(0xE6 / 255, 0xE6 / 255, 0xE6 / 255)
SHADE_GREY = colors.Color(0xF0 / 255, 0xF0 / 255, 0xF0 / 255)
FOOTER_GREY = colors.Color(0x33 / 255, 0x33 / 255, 0x33 / 255)
DRAFT_GREY = colors.Color(0x77 / 255, 0x77 / 255, 0x77 / 255)
WATERMARK_GREY = colors.Color(0.9, 0.9, 0.9)
PAD_V, PAD_H = 2, 3  # cell padding, points
NUMBER_WIDTH = 1.1 * cm  # the column of the page numbers in the contents


@cache
def _fonts() -> None:
    """Register DejaVu Sans (matplotlib's copy) once per process. And write binary streams: the
    ASCII85 text encoding of every stream (ReportLab's default) cost 15 % of the LKjIP's time
    (ReportLab 4 moved its C accelerators to the separate `rl_accel` package, so it is Python)."""
    import matplotlib

    rl_config.useA85 = 0

    folder = matplotlib.get_data_path() + "/fonts/ttf/"
    for name in (REGULAR, BOLD, ITALIC, BOLD_ITALIC):
        pdfmetrics.registerFont(TTFont(name, folder + name + ".ttf"))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )


def _font(bold: bool, italic: bool = False) -> str:
    return (BOLD_ITALIC if italic else BOLD) if bold else (ITALIC if italic else REGULAR)


def _roman(n: int) -> str:
    out = []
    for value, numeral in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _label(number: int, numbering: str) -> str:
    return _roman(number) if numbering == "roman" else str(number)


def _markup(text: str) -> str:
    """User text as Paragraph markup: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


@cache
def _style(
    size: float = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    align: str = "justify",
    before: float = 0,
    after: float = 0.45,  # em
    indent: float = 0,
    keep: bool = False,
    bullet_indent: float = 0,
) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}{bold}{italic}{align}{before}{after}{indent}{keep}{bullet_indent}",
        fontName=_font(bold, italic),
        fontSize=size,
        leading=size * LINE,
        alignment=ALIGN.get(align, TA_JUSTIFY),
        spaceBefore=before * size,
        spaceAfter=after * size,
        leftIndent=indent,
        keepWithNext=0,
        allowWidows=0,
        allowOrphans=0,
        bulletFontName=_font(bold, italic),
        bulletFontSize=size,
        bulletIndent=bullet_indent,
    )


class _State:
    """What the layout learns as it goes: the label of every page, the page of every target."""

    def __init__(self, document: doc.Document):
        self.document = document
        self.sections = document.sections
        self.one_run = all(s.numbering == "arabic" for s in document.sections)
        self.labels: dict[int, str | None] = {}  # physical page → its label (None: unnumbered)
        self.targets: dict[str, str | None] = {}  # anchor → label of its page
        self.previous: int | None = None
        self.counter = 0
        self.outline_level = -1
        self.pages = 0
        self.footers: dict[int, str] = {}  # physical page → its footer, where "dari Y" follows

    def page_begins(self, canvas, index: int) -> str | None:
        section = self.sections[index]
        if self.previous is None or section.numbering != self.sections[self.previous].numbering:
            self.counter = 1
        else:
            self.counter += 1
        self.previous = index
        label = None if section.numbering == "none" else _label(self.counter, section.numbering)
        self.labels[canvas.getPageNumber()] = label
        self.pages = max(self.pages, canvas.getPageNumber())
        return label

    def mark(self, anchor: str, canvas) -> None:
        self.targets.setdefault(anchor, self.labels.get(canvas.getPageNumber()))


def _target_form(anchor: str) -> str:
    return "pg_" + anchor


class _Marked(Paragraph):
    """A heading or a caption: records the page it lands on; headings add a PDF bookmark."""

    def draw(self):
        state = getattr(self, "_kj_state", None)
        anchor = getattr(self, "_kj_anchor", None)
        if state is not None and anchor and anchor not in state.targets:
            state.mark(anchor, self.canv)
            level = getattr(self, "_kj_level", None)
            if level is not None:
                level = min(level - 1, state.outline_level + 1)
                state.outline_level = level
                key = "bm_" + anchor
                self.canv.bookmarkHorizontal(key, 0, self.height)
                self.canv.addOutlineEntry(self._kj_text, key, level=level, closed=level > 0)
        super().draw()


class _MarkedImage(RLImage):
    def draw(self):
        state = getattr(self, "_kj_state", None)
        if state is not None:
            state.mark(self._kj_anchor, self.canv)
        super().draw()


def _stack_height(items, sizes) -> float:
    total = 0.0
    for i, (item, (_, h)) in enumerate(zip(items, sizes, strict=True)):
        if i:
            total += item.getSpaceBefore()
        total += h
        if i < len(items) - 1:
            total += item.getSpaceAfter()
    return total


class _Stack(Flowable):
    """Flowables laid out one under the other and never split (unless too tall for a whole page)."""

    def __init__(self, items: list[Flowable]):
        super().__init__()
        self.items = items

    def getSpaceBefore(self):
        return self.items[0].getSpaceBefore()

    def getSpaceAfter(self):
        return self.items[-1].getSpaceAfter()

    def wrap(self, aw, ah):
        self.sizes = [item.wrap(aw, ah) for item in self.items]
        self.width = aw
        self.height = _stack_height(self.items, self.sizes)
        return aw, self.height

    def split(self, aw, ah):
        if _at_top(self):
            return list(self.items)  # taller than a page: let it break after all
        return []

    def draw(self):
        y = self.height
        for i, (item, (w, h)) in enumerate(zip(self.items, self.sizes, strict=True)):
            if i:
                y -= item.getSpaceBefore()
            y -= h
            item.drawOn(self.canv, 0, y, _sW=self.width - w)
            y -= item.getSpaceAfter()


def _at_top(flowable) -> bool:
    frame = getattr(flowable, "_frame", None)
    return bool(frame is not None and getattr(frame, "_atTop", 0))


class _Lead(Flowable):
    """Headings (and a table's caption) kept with the beginning of the block after them: what
    fits of the block is laid out with them, or all of them move to the next page."""

    def __init__(self, lead: list[Flowable], body: Flowable):
        super().__init__()
        self.lead = lead
        self.body = body

    def getSpaceBefore(self):
        return self.lead[0].getSpaceBefore()

    def getSpaceAfter(self):
        return self.body.getSpaceAfter()

    def _lead_height(self, aw, ah) -> float:
        sizes = [item.wrap(aw, ah) for item in self.lead]
        return (
            _stack_height(self.lead, sizes)
            + self.lead[-1].getSpaceAfter()
            + self.body.getSpaceBefore()
        )

    def wrap(self, aw, ah):
        self.lead_height = self._lead_height(aw, ah)
        self.body_size = self.body.wrap(aw, max(ah - self.lead_height, 0))
        self.width = aw
        self.height = self.lead_height + self.body_size[1]
        return aw, self.height

    def split(self, aw, ah):
        top = _at_top(self)
        rest = ah - self._lead_height(aw, ah)
        if rest > 0 and isinstance(self.body, (RLTable, Paragraph, _Lead)):
            self.body._frame = getattr(self, "_frame", None) if not top else None
            parts = self.body.split(aw, rest)
            if isinstance(self.body, RLTable) and parts:
                if parts[0]._nrows <= self.body.repeatRows:
                    parts = []
            if parts:
                return [_Stack([*self.lead, parts[0]]), *parts[1:]]
        if top:
            return [*self.lead, self.body]  # cannot be kept: lay them out one after the other
        return []

    def draw(self):
        stack = _Stack([*self.lead, self.body])
        stack.wrap(self.width, self.height + 1)
        stack.drawOn(self.canv, 0, 0)


class _NewPage(ActionFlowable):
    """A page break, unless the page is still empty."""

    def __init__(self):
        super().__init__(("pageBreak",))

    def apply(self, doc_template):
        if not doc_template.frame._atTop:
            doc_template.handle_pageBreak()


class _Entry(Flowable):
    """A line of the contents: the text (wrapped), a dotted leader and the page number of the
    target, drawn from a form defined when the layout is done."""

    def __init__(self, text: str, indent: float, size: float, anchor: str | None):
        super().__init__()
        self.text, self.indent, self.size, self.anchor = text, indent, size, anchor
        self.leading = size * LINE
        self.spaceAfter = 0.15 * size

    def wrap(self, aw, ah):
        self.width = aw
        room = aw - self.indent - NUMBER_WIDTH - 0.3 * cm
        self.lines = simpleSplit(self.text, REGULAR, self.size, room) or [""]
        self.height = len(self.lines) * self.leading
        return aw, self.height

    def draw(self):
        canvas = self.canv
        canvas.setFont(REGULAR, self.size)
        y = self.height - self.size - (self.leading - self.size) / 2 + 0.2 * self.size
        for i, line in enumerate(self.lines):
            if i:
                y -= self.leading
            canvas.drawString(self.indent, y, line)
        if self.anchor is None:
            return
        end = self.indent + pdfmetrics.stringWidth(self.lines[-1], REGULAR, self.size) + 4
        dot = pdfmetrics.stringWidth(".", REGULAR, self.size)
        start = dot * -(-end // dot)  # on a grid, so that the leaders line up
        stop = self.width - NUMBER_WIDTH
        if stop > start:
            canvas.drawString(start, y, "." * int((stop - start) // dot))
        canvas.saveState()
        canvas.translate(self.width, y)
        canvas.doForm(_target_form(self.anchor))
        canvas.restoreState()


class _Template(BaseDocTemplate):
    def __init__(self, buffer, state: _State, **kwargs):
        self.state = state
        super().__init__(buffer, **kwargs)


def _page_templates(state: _State) -> list[PageTemplate]:
    document = state.document
    templates = []
    for index, section in enumerate(document.sections):
        size = landscape(A4) if section.landscape else A4
        top, right, bottom, left = LANDSCAPE if section.landscape else PORTRAIT
        frame = Frame(
            left,
            bottom,
            size[0] - left - right,
            size[1] - top - bottom,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=f"f{index}",
        )

        def on_page(canvas, _doc, index=index, size=size, margins=(top, right, bottom, left)):
            _decorate(canvas, state, index, size, margins)

        templates.append(PageTemplate(f"s{index}", [frame], onPage=on_page, pagesize=size))
    return templates


def _decorate(canvas, state: _State, index: int, size, margins) -> None:
    """The page's own marks: watermark and header line of a draft, the page number."""
    top, right, bottom, left = margins
    label = state.page_begins(canvas, index)
    document = state.document
    canvas.saveState()
    if document.draft:
        canvas.saveState()
        canvas.setFillColor(WATERMARK_GREY)
        canvas.setFont(REGULAR, 120)
        canvas.translate(size[0] / 2, size[1] / 2)
        canvas.rotate(35)
        canvas.drawCentredString(0, -40, "DRAF")
        canvas.restoreState()
        canvas.setFillColor(DRAFT_GREY)
        canvas.setFont(REGULAR, 10)
        canvas.drawCentredString(
            left + (size[0] - left - right) / 2, size[1] - top / 2 - 3.5, "DRAF — belum final"
        )
    if label is not None:
        footer = document.footer.replace("\n", " ")
        text = f"{footer} — Halaman {label}" if footer else f"Halaman {label}"
        canvas.setFillColor(FOOTER_GREY)
        canvas.setFont(REGULAR, 8)
        x, y = size[0] - right, bottom / 2 - 3
        if state.one_run:  # "dari Y": the whole line is a form, drawn once Y is known
            state.footers[canvas.getPageNumber()] = text
            canvas.translate(x, y)
            canvas.doForm(f"kj_footer{canvas.getPageNumber()}")
        else:
            canvas.drawRightString(x, y, text)
    canvas.restoreState()


class _Builder:
    def __init__(self, document: doc.Document, state: _State):
        self.document = document
        self.state = state
        self.anchors: dict[int, str] = {}
        self.numbering: dict[int, str] = {}
        for key, (anchor, numbering) in document.anchors().items():
            self.anchors[key], self.numbering[key] = anchor, numbering

    def story(self) -> list[Flowable]:
        story: list[Flowable] = []
        for index, section in enumerate(self.document.sections):
            if index:
                story.append(NextPageTemplate(f"s{index}"))
                story.append(RLPageBreak())
            story.extend(self._section(section))
        return story

    def _section(self, section: doc.Section) -> list[Flowable]:
        # (flowable, leads): leads are kept with the beginning of what comes next
        items: list[tuple[Flowable, bool]] = []
        blocks = section.blocks
        skip: set[int] = set()
        for i, block in enumerate(blocks):
            if i in skip:
                continue
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(following, doc.Signature) and isinstance(block, (doc.Para, doc.Heading)):
                # the line before the signatures (place and date, closing) stays with them
                flowables = self._block(block)
                sign = self._signature(following)
                items.append((_Lead([f for f, _ in flowables], sign), False))
                skip.add(i + 1)
                continue
            if isinstance(block, doc.PageBreak) and items and isinstance(items[-1][0], _NewPage):
                continue  # a page break after a page break would leave a blank page
            items.extend(self._block(block))
        # no page break where the page is empty anyway, nor at the end of the section
        while items and isinstance(items[-1][0], _NewPage):
            items.pop()
        out: list[Flowable] = []
        lead: list[Flowable] = []
        for flowable, is_lead in items:
            if is_lead:
                lead.append(flowable)
                continue
            if lead and not isinstance(flowable, (_NewPage, ActionFlowable)):
                out.append(_Lead(lead, flowable))
            else:
                out.extend(lead)
                out.append(flowable)
            lead = []
        out.extend(lead)
        return out

    def _block(self, block) -> list[tuple[Flowable, bool]]:
        if isinstance(block, doc.Heading):
            return [(self._heading(block), True)]
        if isinstance(block, doc.Para):
            style = _style(
                block.size or BODY_SIZE,
                block.bold,
                block.italic,
                block.align,
                indent=block.indent_cm * cm,
            )
            return [(Paragraph(_markup(block.text), style), False)]
        if isinstance(block, doc.Bullets):
            return self._bullets(block)
        if isinstance(block, doc.Table):
            return self._table(block)
        if isinstance(block, doc.Image):
            return [(self._image(block), False)]
        if isinstance(block, doc.Signature):
            return [(self._signature(block), False)]
        if isinstance(block, doc.PageBreak):
            return [(_NewPage(), False)]
        if isinstance(block, doc.Contents):
            return self._contents(block)
        raise TypeError(f"unknown block {block!r}")  # pragma: no cover

    def _heading(self, block: doc.Heading) -> Paragraph:
        if block.level == 0:
            return Paragraph(
                _markup(block.text), _style(17, True, align="center", before=0.9, after=0.4)
            )
        if not block.toc:
            # a title set line by line (the PK's): each line kept whole, smaller if it must be
            size = _lines_fit(block.text, _font(True), 13, A4[0] - PORTRAIT[1] - PORTRAIT[3])
            return Paragraph(_markup(block.text), _style(size, True, align="center"))
        size = {1: 14, 2: 12}.get(block.level, 11)
        paragraph = _Marked(
            _markup(block.text), _style(size, True, align="left", before=0.9, after=0.4)
        )
        paragraph._kj_state = self.state
        paragraph._kj_anchor = self.anchors[id(block)]
        paragraph._kj_level = block.level
        paragraph._kj_text = block.text
        return paragraph

    def _bullets(self, block: doc.Bullets) -> list[tuple[Flowable, bool]]:
        out = []
        last = len(block.items) - 1
        for i, item in enumerate(block.items):
            style = _style(
                BODY_SIZE,
                align="left",
                before=0.2 if i == 0 else 0,
                after=0.5 if i == last else 0,
                indent=1.8 * BODY_SIZE,
                bullet_indent=0.7 * BODY_SIZE,
            )
            bullet = f"{i + 1}." if block.numbered else "•"
            out.append((Paragraph(_markup(item), style, bulletText=bullet), False))
        return out

    def _caption(self, table: doc.Table) -> Paragraph:
        paragraph = _Marked(_markup(table.caption), _style(9.5, True, align="center", before=0.6))
        anchor = self.anchors.get(id(table))
        if anchor:
            paragraph._kj_state = self.state
            paragraph._kj_anchor = anchor
        return paragraph

    def _table(self, table: doc.Table) -> list[tuple[Flowable, bool]]:
        grid = _grid(table)
        note = Paragraph(_markup(table.note), _style(8, italic=True)) if table.note else None
        if table.unbreakable:
            items = [self._caption(table)] if table.caption else []
            items.append(grid)
            if note is not None:
                items.append(note)
            return [(_Stack(items) if len(items) > 1 else _Whole(grid), False)]
        out: list[tuple[Flowable, bool]] = []
        if table.caption:
            out.append((self._caption(table), True))
        out.append((grid, False))
        if note is not None:
            out.append((note, False))
        return out

    def _image(self, block: doc.Image) -> Flowable:
        width = block.width_cm * cm
        pixels = ImageReader(io.BytesIO(block.png)).getSize()
        height = width * pixels[1] / pixels[0]
        image = _MarkedImage(io.BytesIO(block.png), width, height)
        image.hAlign = "CENTER"
        image.spaceBefore = 0.5 * BODY_SIZE
        anchor = self.anchors.get(id(block))
        if anchor:
            image._kj_state = self.state
            image._kj_anchor = anchor
        if not block.caption:
            image.spaceAfter = 0.5 * BODY_SIZE
            return _Stack([image])
        caption = Paragraph(
            _markup(block.caption),
            _style(9, italic=True, align="center", after=0.5 / 9 * BODY_SIZE),
        )
        return _Stack([image, caption])

    def _signature(self, block: doc.Signature) -> Flowable:
        style = _style(BODY_SIZE, align="center", after=0)
        cells = []
        for i, lines in enumerate(block.blocks):
            gap = block.gap_after[i] if i < len(block.gap_after) else len(lines) - 2
            cell: list[Flowable] = []
            if lines[:gap]:
                cell.append(Paragraph("<br/>".join(escape(x) for x in lines[:gap]), style))
            cell.append(Spacer(1, 2.2 * cm))
            if lines[gap:]:
                cell.append(Paragraph("<br/>".join(escape(x) for x in lines[gap:]), style))
            cells.append(cell)
        table = _WideTable([cells])
        table.spaceBefore = 1.2 * BODY_SIZE
        return _Whole(table)

    def _contents(self, block: doc.Contents) -> list[tuple[Flowable, bool]]:
        document = self.document
        entries: list[tuple[doc.Block, int, str]]
        if block.kind == "headings":
            entries = [(h, h.level, h.text) for h in document.contents()]
        else:
            wanted = doc.Table if block.kind == "tables" else doc.Image
            entries = [
                (b, 1, b.caption)
                for s in document.sections
                for b in s.blocks
                if isinstance(b, wanted) and b.caption
            ]
        out: list[tuple[Flowable, bool]] = [
            (Paragraph(_markup(block.title), _style(13, True, align="center")), False)
        ]
        for target, level, text in entries:
            numbered = self.numbering[id(target)] != "none"
            indent = {1: 0, 2: 0.8 * cm}.get(level, 1.6 * cm)
            size = 9.5 if level >= 3 else BODY_SIZE
            anchor = self.anchors[id(target)] if numbered else None
            out.append((_Entry(text, indent, size, anchor), False))
        out.append((_NewPage(), False))
        return out


class _Whole(Flowable):
    """A flowable that moves to the next page rather than split (unless it fills a page)."""

    def __init__(self, inner: Flowable):
        super().__init__()
        self.inner = inner
        self.hAlign = getattr(inner, "hAlign", "CENTER")

    def getSpaceBefore(self):
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self):
        return self.inner.getSpaceAfter()

    def wrap(self, aw, ah):
        self.width, self.height = self.inner.wrap(aw, ah)
        return self.width, self.height

    def split(self, aw, ah):
        return [self.inner] if _at_top(self) else []

    def draw(self):
        self.inner.drawOn(self.canv, 0, 0)


class _WideTable(RLTable):
    """The signature blocks: as wide as the frame, columns of equal width, no rules."""

    def __init__(self, data):
        super().__init__(
            data,
            style=[
                ("FONT", (0, 0), (-1, -1), REGULAR, BODY_SIZE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ],
        )

    def wrap(self, aw, ah):
        n = len(self._cellvalues[0])
        self._argW = [aw / n] * n
        self._colWidths = self._argW
        return super().wrap(aw, ah)


def _grid(table: doc.Table) -> RLTable:
    """A doc.Table as a ReportLab Table of strings, wrapped to the column widths here."""
    size = table.font_size
    leading = size * LINE
    widths = [c.width_cm * cm for c in table.columns]
    ncols = len(widths)
    aligns = [c.align for c in table.columns]
    header = table.header_rows()
    body = table.body_rows()
    data: list[list[str]] = []
    style: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, size, leading),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_H),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_H),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_V),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_V + size * (LINE - 1) / 2),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    nhead = len(header)
    if nhead:
        style += [
            ("FONT", (0, 0), (-1, nhead - 1), BOLD, size, leading),
            ("BACKGROUND", (0, 0), (-1, nhead - 1), HEADER_GREY),
            ("ALIGN", (0, 0), (-1, nhead - 1), "CENTER"),
            ("VALIGN", (0, 0), (-1, nhead - 1), "MIDDLE"),
        ]
    for col, align in enumerate(aligns):
        if align in ("center", "right"):
            style.append(("ALIGN", (col, nhead), (col, -1), align.upper()))
    for r, row in enumerate(header + body):
        is_head = r < nhead
        cells, col = [], 0
        for cell in row:
            if col >= ncols:
                break
            span = max(1, min(cell.colspan, ncols - col))
            width = sum(widths[col : col + span]) - 2 * PAD_H
            bold = is_head or cell.bold or cell.shade
            fit = _fitting_size(cell.text, _font(bold), size, width)
            if fit < size:
                # a word wider than its column ("WAKTU", "Realisasi") is set smaller, not cut
                style.append(("FONT", (col, r), (col, r), _font(bold), fit, fit * LINE))
            cells.append(_wrap(cell.text, _font(bold), fit, width))
            if span > 1:
                style.append(("SPAN", (col, r), (col + span - 1, r)))
                cells.extend([""] * (span - 1))
            if not is_head:
                align = cell.align or aligns[min(col, ncols - 1)]
                if cell.align and align != aligns[col]:
                    style.append(("ALIGN", (col, r), (col, r), align.upper()))
                if cell.shade:
                    style.append(("BACKGROUND", (col, r), (col + span - 1, r), SHADE_GREY))
                if bold:
                    style.append(("FONTNAME", (col, r), (col, r), BOLD))
            col += span
        cells.extend([""] * (ncols - len(cells)))
        data.append(cells)
    if table.ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.6, colors.black))
    grid = RLTable(data, colWidths=widths, style=style, repeatRows=nhead, hAlign="CENTER")
    grid.spaceBefore = 0.3 * size
    grid.spaceAfter = 0.8 * size
    return grid


SMALLEST = 5.0  # points: below this a word is cut rather than set smaller


def _lines_fit(text: str, font: str, size: float, width: float) -> float:
    """The size at which each of the text's lines fits `width` on one line (at most `size`)."""
    widest = max((pdfmetrics.stringWidth(line, font, size) for line in text.split("\n")), default=0)
    return size if widest <= width else max(SMALLEST, size * width / widest * 0.98)


def _fitting_size(text: str, font: str, size: float, width: float) -> float:
    """The size at which the cell's longest word fits its column (at most `size`)."""
    words = text.split()
    if not words:
        return size
    widest = max(pdfmetrics.stringWidth(w, font, size) for w in words)
    if widest <= width:
        return size
    return max(SMALLEST, size * width / widest * 0.98)  # a hair under, against rounding


def _wrap(text: str, font: str, size: float, width: float) -> str:
    """The text broken into the lines that fit `width` (a long word is cut where it overflows)."""
    if not text:
        return ""
    if "\n" not in text and pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    lines = []
    for line in simpleSplit(text, font, size, width):
        while len(line) > 1 and pdfmetrics.stringWidth(line, font, size) > width:
            cut = len(line) - 1
            while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return "\n".join(lines)


def render_pdf(document: doc.Document) -> bytes:
    _fonts()
    state = _State(document)
    buffer = io.BytesIO()
    template = _Template(
        buffer,
        state,
        pagesize=A4,
        title=document.title,
        initialFontName=REGULAR,  # not Helvetica: one font family in the file
        pageTemplates=_page_templates(state),
        leftMargin=0,
        rightMargin=0,
        topMargin=0,
        bottomMargin=0,
    )
    template._doSave = 0
    builder = _Builder(document, state)
    template.build(builder.story())
    canvas = template.canv
    # the page numbers of the contents and the total, now that every page is laid out
    for anchor, label in state.targets.items():
        canvas.beginForm(_target_form(anchor), lowerx=-NUMBER_WIDTH, lowery=-5, upperx=0, uppery=20)
        canvas.setFont(REGULAR, BODY_SIZE)
        if label:
            canvas.drawRightString(0, 0, label)
        canvas.endForm()
    for anchor in builder.anchors.values():
        if anchor not in state.targets:  # never drawn (cannot happen): an empty number
            canvas.beginForm(_target_form(anchor))
            canvas.endForm()
    for page, text in state.footers.items():
        canvas.beginForm(f"kj_footer{page}", lowerx=-900, lowery=-5, upperx=0, uppery=15)
        canvas.setFillColor(FOOTER_GREY)
        canvas.setFont(REGULAR, 8)
        canvas.drawRightString(0, 0, f"{text} dari {state.pages}")
        canvas.endForm()
    canvas.save()
    return buffer.getvalue()
