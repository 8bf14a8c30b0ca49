"""Render a `doc.Document` to an editable .docx (python-docx): real Heading 1-3 styles, ruled tables
whose header rows repeat on every page, a table of contents as a Word field (Word asks to update it
on opening; the cached entries are already there), "Halaman X dari Y" from PAGE/NUMPAGES fields,
portrait and landscape sections, and a "DRAF" mark in the header of a draft."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
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


def render(document: doc.Document) -> bytes:
    word = new_document()
    _styles(word)
    _settings(word)
    first = True
    for section in document.sections:
        if first:
            target = word.sections[0]
            first = False
        else:
            target = word.add_section(WD_SECTION.NEW_PAGE)
        _page(target, section.landscape)
        for block in section.blocks:
            _block(word, block, document)
    _footer(word.sections[0], document)
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


def _settings(word) -> None:
    """Ask Word to refresh fields (the table of contents and its page numbers) on opening."""
    settings = word.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    lang = word.styles["Normal"].element.rPr
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), "id-ID")
    lang.append(el)


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
        section.left_margin = section.right_margin = Cm(1.5)
        section.top_margin = section.bottom_margin = Cm(1.8)


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


def _footer(section, document: doc.Document) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if document.footer:
        paragraph.add_run(f"{document.footer} — ")
    paragraph.add_run("Halaman ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" dari ")
    _field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _header(section, document: doc.Document) -> None:
    if not document.draft:
        return
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run("DRAF — belum final: masih ada temuan reviu yang harus diperbaiki")
    run.bold = True
    run.font.size = Pt(10)
    run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def _block(word, block, document: doc.Document) -> None:
    if isinstance(block, doc.Heading):
        if block.level == 0:
            paragraph = word.add_paragraph(style="Title")
            paragraph.add_run(block.text)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.toc:
            word.add_heading(block.text, level=block.level)
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
        style = word.styles["List Number" if block.numbered else "List Bullet"]
        for item in block.items:
            paragraph = word.add_paragraph(style=style)
            paragraph.add_run(item)
    elif isinstance(block, doc.Table):
        _table(word, block)
    elif isinstance(block, doc.Image):
        word.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
        word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if block.caption:
            caption = word.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = caption.add_run(block.caption)
            run.italic = True
            run.font.size = Pt(9)
    elif isinstance(block, doc.Signature):
        _signature(word, block)
    elif isinstance(block, doc.PageBreak):
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif isinstance(block, doc.Contents):
        _contents(word, block, document)
    else:  # pragma: no cover - a programming error
        raise TypeError(f"unknown block {block!r}")


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


def _contents(word, block: doc.Contents, document: doc.Document) -> None:
    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(block.title)
    run.bold = True
    run.font.size = Pt(13)
    entries = document.contents()
    # A complex field may span paragraphs: begin in the first entry, end after the last. The entries
    # are the cached result, shown until Word updates the field (it asks on opening).
    paragraphs = []
    for heading in entries or [doc.Heading("(Perbarui daftar isi)", 1)]:
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.6 * (heading.level - 1))
        paragraph.paragraph_format.space_after = Pt(1)
        paragraphs.append((paragraph, heading.text))
    first, text = paragraphs[0]
    for kind, value in (
        ("begin", None),
        ("instr", 'TOC \\o "1-2" \\h \\z \\u'),
        ("separate", None),
    ):
        run = first.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {value} "
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    for paragraph, text in paragraphs:
        paragraph.add_run(text)
    run = paragraphs[-1][0].add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)
    note = word.add_paragraph()
    r = note.add_run(
        "Nomor halaman daftar isi diperbarui oleh Word (klik kanan → Perbarui Bidang)."
    )
    r.italic = True
    r.font.size = Pt(8)


CM = 567  # twentieths of a point (dxa) per centimetre
JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}
BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
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


def _table_xml(table: doc.Table) -> str:
    """The whole table as one piece of XML, parsed once: far quicker than cell-by-cell calls."""
    widths = [int(c.width_cm * CM) for c in table.columns]
    ncols = len(widths)
    rows = []
    for is_header, cells_list in ((True, table.header_rows()), (False, table.body_rows())):
        for cells in cells_list:
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
                    f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="{JC[align]}"/></w:pPr>'
                    f"{_runs(cell.text, bold=cell.bold or is_header, size=table.font_size)}</w:p></w:tc>"
                )
                col += span
            while col < ncols:  # a short row is filled with empty cells
                tr.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{widths[col]}" w:type="dxa"/></w:tcPr><w:p/></w:tc>'
                )
                col += 1
            tr.append("</w:tr>")
            rows.append("".join(tr))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders>{BORDERS}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def _table(word, table: doc.Table) -> None:
    if table.caption:
        caption = word.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.keep_with_next = True
        run = caption.add_run(table.caption)
        run.bold = True
        run.font.size = Pt(10)
    word.element.body.sectPr.addprevious(parse_xml(_table_xml(table)))
    if table.note:
        note = word.add_paragraph()
        run = note.add_run(table.note)
        run.italic = True
        run.font.size = Pt(8)
    word.add_paragraph().paragraph_format.space_after = Pt(2)


def _signature(word, block: doc.Signature) -> None:
    n = len(block.blocks)
    grid = word.add_table(rows=1, cols=n)
    grid.autofit = False
    width = Cm(16 / n)
    for i, lines in enumerate(block.blocks):
        cell = grid.rows[0].cells[i]
        cell.width = width
        gap = block.gap_after[i] if i < len(block.gap_after) else len(lines) - 2
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text = "\n".join(lines[:gap]) + "\n\n\n\n" + "\n".join(lines[gap:])
        _lines(paragraph, text)
    word.add_paragraph()
