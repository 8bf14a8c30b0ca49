"""Render a `doc.Document` to an editable .docx (python-docx): real Heading 1-3 styles, ruled tables
whose header rows repeat on every page and whose rows never split (small tables and signature blocks
never split at all), a table of contents and lists of tables and figures whose entries carry
PAGEREF fields to bookmarks on the headings and captions (LibreOffice computes them when it lays the
pages out; Word updates them on opening, w:updateFields, and when printing), page numbers per
section ("none", roman or arabic, restarting where the numbering changes), portrait and landscape
sections, and for a draft a diagonal "DRAF" watermark (the VML shape Word itself writes)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape, quoteattr

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from kinerja.core.render import doc

FONT = "Arial"
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
PORTRAIT = (Cm(21), Cm(29.7))
MARGINS = {"top": Cm(2.5), "bottom": Cm(2), "left": Cm(2.5), "right": Cm(2)}
LANDSCAPE_MARGIN_LR, LANDSCAPE_MARGIN_TB = Cm(1.5), Cm(1.8)
# Paragraph styles of the captions (a reader can also build Word's own lists from them).
TABLE_CAPTION, FIGURE_CAPTION = "Judul Tabel", "Judul Gambar"
TABLE_CAPTION_ID, FIGURE_CAPTION_ID = "JudulTabel", "JudulGambar"
PAGE_FORMAT = {"roman": "lowerRoman", "arabic": "decimal", "none": "decimal"}


class _Marks:
    """Bookmark names of the headings in the contents and of the captions of tables and figures
    (hidden names: they start with "_"), in document order."""

    def __init__(self, document: doc.Document) -> None:
        self.names: dict[int, str] = {}
        self.entries: dict[str, list[tuple[str, str, int]]] = {
            "headings": [],
            "tables": [],
            "figures": [],
        }
        for i, heading in enumerate(document.contents(), start=1):
            self._add("headings", heading, f"_Toc{i:06d}", heading.text, heading.level)
        n_tables = n_figures = 0
        self.roman: set[str] = set()  # entries on pages numbered i, ii, …
        for section in document.sections:
            for block in section.blocks:
                if isinstance(block, doc.Table) and block.caption:
                    n_tables += 1
                    self._add("tables", block, f"_RefTbl{n_tables:05d}", block.caption, 1)
                elif isinstance(block, doc.Image) and block.caption:
                    n_figures += 1
                    self._add("figures", block, f"_RefFig{n_figures:05d}", block.caption, 1)
                if section.numbering == "roman" and id(block) in self.names:
                    self.roman.add(self.names[id(block)])
        self.next_id = 0

    def _add(self, kind: str, block, name: str, text: str, level: int) -> None:
        self.names[id(block)] = name
        self.entries[kind].append((name, " ".join(text.split()), level))

    def wrap(self, paragraph, block) -> None:
        """Put the paragraph's content between a bookmarkStart and a bookmarkEnd."""
        name = self.names.get(id(block))
        if not name:
            return
        self.next_id += 1
        p = paragraph._p
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.next_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.next_id))
        ppr = p.pPr
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)


def render(document: doc.Document) -> bytes:
    word = new_document()
    _styles(word)
    _settings(word)
    marks = _Marks(document)
    for i, section in enumerate(document.sections):
        target = word.sections[0] if i == 0 else word.add_section(WD_SECTION.NEW_PAGE)
        _page(target, section.landscape)
        width = _text_width(section.landscape)
        for block in section.blocks:
            _block(word, block, document, marks, width)
    # Headers and footers last: python-docx's Section objects follow the last w:sectPr.
    _numbering(word, document)
    _header(word.sections[0], document)
    word.core_properties.title = document.title
    word.core_properties.language = "id-ID"
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _styles(word) -> None:
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 16), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        style = word.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        rfonts = style.element.rPr.rFonts
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), FONT)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if rfonts.get(qn(attr)) is not None:
                del rfonts.attrib[qn(attr)]
        style.paragraph_format.space_before = Pt(12 if name != "Heading 3" else 6)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    for name, bold, italic, size in (
        (TABLE_CAPTION, True, False, 10),
        (FIGURE_CAPTION, False, True, 9),
    ):
        style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = TABLE_CAPTION_ID if name == TABLE_CAPTION else FIGURE_CAPTION_ID
        style.base_style = normal
        style.quick_style = True
        style.font.bold = bold
        style.font.italic = italic
        style.font.size = Pt(size)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # a table caption stays with its table (a figure's picture stays with its caption)
        style.paragraph_format.keep_with_next = name == TABLE_CAPTION
        style.paragraph_format.space_before = Pt(6 if name == TABLE_CAPTION else 0)


def _settings(word) -> None:
    """Ask Word to refresh fields (the contents and their page numbers) on opening."""
    settings = word.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    lang = word.styles["Normal"].element.rPr
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), "id-ID")
    lang.append(el)


def _text_width(landscape: bool) -> int:
    """The width between the margins, in twentieths of a point (for the right tab of the contents)."""
    if landscape:
        return (PORTRAIT[1] - 2 * LANDSCAPE_MARGIN_LR) // 635
    return (PORTRAIT[0] - MARGINS["left"] - MARGINS["right"]) // 635


def _page(section, landscape: bool) -> None:
    width, height = PORTRAIT
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = height, width
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    if landscape:
        section.left_margin = section.right_margin = LANDSCAPE_MARGIN_LR
        section.top_margin = section.bottom_margin = LANDSCAPE_MARGIN_TB


def _field(paragraph, instruction: str, cached: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run(cached)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


# Elements a w:sectPr may hold after w:pgNumType (the schema fixes their order).
_AFTER_PGNUMTYPE = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)


def _numbering(word, document: doc.Document) -> None:
    """Per section the page number format (w:pgNumType), restarting at 1 where the numbering
    changes from the previous section; a footer with the page number, none where "none"."""
    previous = None
    for target, section in zip(word.sections, document.sections, strict=True):
        sect_pr = target._sectPr
        for old in sect_pr.findall(qn("w:pgNumType")):
            sect_pr.remove(old)
        pg = OxmlElement("w:pgNumType")
        pg.set(qn("w:fmt"), PAGE_FORMAT.get(section.numbering, "decimal"))
        if previous is None or section.numbering != previous.numbering:
            pg.set(qn("w:start"), "1")
        anchor = next((el for tag in _AFTER_PGNUMTYPE for el in sect_pr.findall(qn(tag))), None)
        if anchor is not None:
            anchor.addprevious(pg)
        else:
            sect_pr.append(pg)
        numbered = section.numbering != "none"
        if previous is None:
            if numbered:
                _footer(target.footer.paragraphs[0], document)
        elif numbered != (previous.numbering != "none"):
            target.footer.is_linked_to_previous = False  # a footer of its own
            if numbered:
                _footer(target.footer.paragraphs[0], document)
        previous = section


def _footer(paragraph, document: doc.Document) -> None:
    """ "Halaman X": X in the section's format (i, ii, … or 1, 2, …)."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if document.footer:
        paragraph.add_run(f"{document.footer} — ")
    paragraph.add_run("Halaman ")
    _field(paragraph, "PAGE", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8)


# The diagonal watermark as Word writes it (Design → Watermark): a WordArt text path in the header,
# behind the text, centred on the page; LibreOffice imports it as its own watermark.
WATERMARK = (
    f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"><w:rPr><w:noProof/></w:rPr><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(
        f'<v:f eqn="{eqn}"/>'
        for eqn in (
            "sum #0 0 10800",
            "prod #0 2 1",
            "sum 21600 0 @1",
            "sum 0 0 @2",
            "sum 21600 0 @3",
            "if @0 @3 0",
            "if @0 21600 @1",
            "if @0 0 @2",
            "if @0 @4 21600",
            "mid @5 @6",
            "mid @8 @5",
            "mid @7 @8",
            "mid @6 @7",
            "sum @6 0 @5",
        )
    )
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" '
    'xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:168pt;rotation:315;'
    "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
    'fillcolor="silver" stroked="f"><v:fill opacity=".35"/>'
    '<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string="DRAF"/>'
    '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
)


def _header(section, document: doc.Document) -> None:
    if not document.draft:
        return
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph._p.append(parse_xml(WATERMARK))
    run = paragraph.add_run("DRAF — belum final: masih ada temuan reviu yang harus diperbaiki")
    run.bold = True
    run.font.size = Pt(10)
    run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def _block(word, block, document: doc.Document, marks: _Marks, width: int) -> None:
    if isinstance(block, doc.Heading):
        if block.level == 0:
            paragraph = _styled(word, "Title")
            paragraph.add_run(block.text)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.toc:
            paragraph = _styled(word, f"Heading{block.level}")
            paragraph.add_run(block.text)
            marks.wrap(paragraph, block)
        else:
            paragraph = word.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(block.text)
            run.bold = True
            run.font.size = Pt(13)
    elif isinstance(block, doc.Para):
        paragraph = word.add_paragraph()
        paragraph.alignment = ALIGN[block.align]
        if block.indent_cm:
            paragraph.paragraph_format.left_indent = Cm(block.indent_cm)
        _lines(paragraph, block.text, bold=block.bold, italic=block.italic, size=block.size)
    elif isinstance(block, doc.Bullets):
        style = "ListNumber" if block.numbered else "ListBullet"
        for item in block.items:
            _styled(word, style).add_run(item)
    elif isinstance(block, doc.Table):
        _table(word, block, marks)
    elif isinstance(block, doc.Image):
        picture = word.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.add_run().add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
        if block.caption:
            picture.paragraph_format.keep_with_next = True
            caption = _styled(word, FIGURE_CAPTION_ID)
            caption.add_run(block.caption)
            marks.wrap(caption, block)
    elif isinstance(block, doc.Signature):
        _signature(word, block)
    elif isinstance(block, doc.PageBreak):
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif isinstance(block, doc.Contents):
        _contents(word, block, marks, width)
    else:  # pragma: no cover - a programming error
        raise TypeError(f"unknown block {block!r}")


def _styled(word, style_id: str):
    """A new paragraph in the style `style_id`, set directly: python-docx's lookup by name scans
    every style of the template for each paragraph (it was half the time of rendering)."""
    paragraph = word.add_paragraph()
    paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def _lines(paragraph, text: str, *, bold=False, italic=False, size=None) -> None:
    for i, line in enumerate(text.split("\n")):
        if i:
            paragraph.add_run().add_break()
        run = paragraph.add_run()
        run.text = line  # the setter turns a tab into <w:tab/>
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)


def _fld(kind: str) -> str:
    return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'


def _instr(instruction: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'


def _contents(word, block: doc.Contents, marks: _Marks, width: int) -> None:
    """The contents (or the list of tables or figures): one paragraph per entry, "text ..... page",
    the text a hyperlink to the entry's bookmark and the page a PAGEREF field to it. LibreOffice
    computes a PAGEREF when it lays the pages out (it neither rebuilds a TOC field on loading nor
    honours w:updateFields, and inside a TOC field it shows only the cached page numbers, so the
    entries are deliberately not wrapped in one); Word updates the PAGEREF fields on opening
    (w:updateFields) and when printing, and they show the page in the section's format (ii, 3)."""
    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.keep_with_next = True
    run = title.add_run(block.title)
    run.bold = True
    run.font.size = Pt(13)
    entries = marks.entries.get(block.kind, [])
    sect_pr = word.element.body.sectPr
    if not entries:
        word.add_paragraph("(tidak ada)").alignment = WD_ALIGN_PARAGRAPH.CENTER
        return
    for name, text, level in entries:
        roman = name in marks.roman
        indent = f'<w:ind w:left="{340 * (level - 1)}" w:right="425"/>'
        xml = (
            f"<w:p {nsdecls('w')}><w:pPr><w:tabs>"
            f'<w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>'
            f'<w:spacing w:before="0" w:after="40"/>{indent}</w:pPr>'
            f'<w:hyperlink w:anchor={quoteattr(name)} w:history="1">'
            f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r><w:r><w:tab/></w:r>'
            + _fld("begin")
            + _instr(f"PAGEREF {name} \\h \\* roman" if roman else f"PAGEREF {name} \\h")
            + _fld("separate")
            + "<w:r><w:t></w:t></w:r>"
            + _fld("end")
            + "</w:hyperlink></w:p>"
        )
        sect_pr.addprevious(parse_xml(xml))


CM = 567  # twentieths of a point (dxa) per centimetre
JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}
BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)

# A table without rules: the lines of a letter's heading (Nomor, Sifat, …), a decree's parts.
NO_BORDERS = "".join(
    f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def _runs(text: str, *, bold: bool, size: float) -> str:
    """Runs of a cell paragraph as WordprocessingML: lines joined by breaks, tabs kept."""
    props = (
        "<w:b/>" if bold else ""
    ) + f'<w:sz w:val="{int(size * 2)}"/><w:szCs w:val="{int(size * 2)}"/>'
    out = []
    for i, line in enumerate(text.split("\n")):
        parts = []
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
        out.append(f"<w:r><w:rPr>{props}</w:rPr>{''.join(parts)}</w:r>")
    return "".join(out)


# Cell margins: 0.07 cm above and below the text, 0.1 cm beside it.
CELL_MARGINS = (
    '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
    '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
)


def _table_xml(table: doc.Table) -> str:
    """The whole table as one piece of XML, parsed once: far quicker than cell-by-cell calls.
    No row splits across pages (w:cantSplit); an unbreakable table keeps every row with the next
    (w:keepNext in each paragraph but the last row's), so it never splits at all."""
    widths = [int(c.width_cm * CM) for c in table.columns]
    ncols = len(widths)
    rows = []
    all_rows = [(True, r) for r in table.header_rows()] + [(False, r) for r in table.body_rows()]
    unbreakable = table.unbreakable
    for n, (is_header, cells) in enumerate(all_rows):
        keep = "<w:keepNext/>" if unbreakable and n < len(all_rows) - 1 else ""
        tr = ["<w:tr>"]
        tr.append(
            "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
            if is_header
            else "<w:trPr><w:cantSplit/></w:trPr>"
        )
        col = 0
        for cell in cells:
            if col >= ncols:
                break
            span = min(cell.colspan, ncols - col)
            width = sum(widths[col : col + span])
            align = cell.align or ("center" if is_header else table.columns[col].align)
            shade = (
                '<w:shd w:val="clear" w:color="auto" w:fill="E6E6E6"/>'
                if is_header or cell.shade
                else ""
            )
            grid = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
            valign = '<w:vAlign w:val="center"/>' if is_header else ""
            tr.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid}{shade}{valign}</w:tcPr>'
                f'<w:p><w:pPr>{keep}<w:spacing w:before="0" w:after="0"/><w:jc w:val="{JC[align]}"/></w:pPr>'
                f"{_runs(cell.text, bold=cell.bold or is_header, size=table.font_size)}</w:p></w:tc>"
            )
            col += span
        while col < ncols:  # a short row is filled with empty cells
            tr.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{widths[col]}" w:type="dxa"/></w:tcPr>'
                f"<w:p><w:pPr>{keep}</w:pPr></w:p></w:tc>"
            )
            col += 1
        tr.append("</w:tr>")
        rows.append("".join(tr))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{BORDERS if table.ruled else NO_BORDERS}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        + CELL_MARGINS
        + f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def _table(word, table: doc.Table, marks: _Marks) -> None:
    if table.caption:
        # the style keeps the caption with the table's first row
        caption = _styled(word, TABLE_CAPTION_ID)
        caption.add_run(table.caption)
        marks.wrap(caption, table)
    word.element.body.sectPr.addprevious(parse_xml(_table_xml(table)))
    if table.note:
        note = word.add_paragraph()
        run = note.add_run(table.note)
        run.italic = True
        run.font.size = Pt(8)
    word.add_paragraph().paragraph_format.space_after = Pt(2)


def _signature(word, block: doc.Signature) -> None:
    """Signature blocks side by side in a borderless one-row table whose row cannot split, so the
    title lines, the gap, the name and the NIP stay on one page; the paragraph before it (the place
    and date, or the text it closes) is kept with it."""
    body = word.element.body
    before = body.sectPr.getprevious()
    if before is not None and before.tag == qn("w:p"):
        before.get_or_add_pPr().keepNext_val = True
        table = before.getprevious()
        if table is not None and table.tag == qn("w:tbl"):
            # A signature under a table (a decree's decisions) takes the table's last row with it.
            rows = table.findall(qn("w:tr"))
            for paragraph in rows[-1].iter(qn("w:p")) if rows else ():
                paragraph.get_or_add_pPr().keepNext_val = True
    n = max(len(block.blocks), 1)
    width = int(16 / n * CM)
    cells = []
    for i, lines in enumerate(block.blocks):
        gap = block.gap_after[i] if i < len(block.gap_after) else len(lines) - 2
        text = "\n".join(lines[:gap]) + "\n\n\n\n" + "\n".join(lines[gap:])
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            '<w:p><w:pPr><w:keepLines/><w:jc w:val="center"/></w:pPr>'
            f"{_runs(text, bold=False, size=11)}</w:p></w:tc>"
        )
    nil = "".join(
        f'<w:{side} w:val="nil"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    cols = f'<w:gridCol w:w="{width}"/>' * n
    body.sectPr.addprevious(
        parse_xml(
            f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{width * n}" w:type="dxa"/>'
            f'<w:jc w:val="center"/><w:tblBorders>{nil}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f"</w:tblPr><w:tblGrid>{cols}"
            f"</w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr></w:tbl>"
        )
    )
    word.add_paragraph()
