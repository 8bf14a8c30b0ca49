"""Render a `doc.Document` to HTML for WeasyPrint: A4 pages (landscape sections on their own named
page), table header rows repeated by the browser engine, "Halaman X dari Y" in the page margin, a
table of contents with real page numbers (target-counter) and PDF bookmarks from the headings."""

from __future__ import annotations

import base64

from django.utils.html import escape

from kinerja.core.render import doc
from kinerja.core.render.export import html_to_pdf

CSS = """
@page { size: A4; margin: 2.2cm 2cm 2cm 2.5cm;
  @bottom-right { content: "%(footer)sHalaman " counter(page) " dari " counter(pages);
                  font-size: 8pt; color: #333;
                  font-family: "Liberation Sans", Arial, "DejaVu Sans", sans-serif; }
  %(draft)s }
@page wide { size: A4 landscape; margin: 1.8cm 1.5cm 1.8cm 1.5cm; }
body { font-family: "Liberation Sans", Arial, "DejaVu Sans", sans-serif; font-size: 10.5pt;
       line-height: 1.35; color: #000; }
section.wide { page: wide; }
section + section { break-before: page; }
h1, h2, h3 { break-after: avoid; margin: 0.9em 0 0.4em; }
h1 { font-size: 14pt; } h2 { font-size: 12pt; } h3 { font-size: 11pt; }
h1.title { font-size: 17pt; text-align: center; bookmark-level: none; }
p.center-heading { font-size: 13pt; font-weight: bold; text-align: center; }
p { margin: 0 0 0.45em; orphans: 2; widows: 2; }
.justify { text-align: justify; } .center { text-align: center; } .right { text-align: right; }
table.grid { border-collapse: collapse; margin: 0.3em auto 0.8em; table-layout: fixed; }
table.grid th, table.grid td { border: 0.6pt solid #000; padding: 2pt 3pt; vertical-align: top;
  overflow-wrap: break-word; }
table.grid th { background: #e6e6e6; text-align: center; vertical-align: middle; }
table.grid td.shade { background: #f0f0f0; font-weight: bold; }
table.grid tr { break-inside: avoid; }
p.caption { text-align: center; font-weight: bold; font-size: 9.5pt; margin-top: 0.6em;
  break-after: avoid; }
p.note { font-style: italic; font-size: 8pt; }
figure { margin: 0.5em 0; text-align: center; break-inside: avoid; }
figcaption { font-style: italic; font-size: 9pt; }
table.sign { width: 100%%; margin-top: 1.2em; break-inside: avoid; }
table.sign td { text-align: center; vertical-align: top; }
.gap { height: 2.2cm; }
.pagebreak { break-after: page; }
nav.toc a { color: #000; text-decoration: none; }
nav.toc a::after { content: leader('.') target-counter(attr(href), page); }
nav.toc p { margin: 0 0 0.15em; }
nav.toc .l2 { margin-left: 0.8cm; } nav.toc .l3 { margin-left: 1.6cm; font-size: 9.5pt; }
ul, ol { margin: 0.2em 0 0.5em 1.2em; padding-left: 0.6em; }
"""

DRAFT = """@top-center { content: "DRAF — belum final"; font-size: 10pt; color: #777; }
  background: url("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='600' height='800'><text x='80' y='520' font-size='150' fill='%23000000' fill-opacity='0.08' transform='rotate(-35 300 400)' font-family='sans-serif'>DRAF</text></svg>") no-repeat center;"""


def render_html(document: doc.Document) -> str:
    anchors: dict[int, str] = {}
    for i, heading in enumerate(document.headings()):
        anchors[id(heading)] = f"h{i + 1}"
    footer = escape(document.footer).replace('"', "'") + " — " if document.footer else ""
    css = CSS % {"footer": footer, "draft": DRAFT if document.draft else ""}
    parts = [
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>",
        f"<title>{escape(document.title)}</title><style>{css}</style></head><body>",
    ]
    for section in document.sections:
        parts.append(f"<section class='{'wide' if section.landscape else ''}'>")
        for block in section.blocks:
            parts.append(_block(block, document, anchors))
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)


def render_pdf(document: doc.Document) -> bytes:
    return html_to_pdf(render_html(document))


def _text(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _block(block, document: doc.Document, anchors: dict[int, str]) -> str:
    if isinstance(block, doc.Heading):
        if block.level == 0:
            return f"<h1 class='title'>{_text(block.text)}</h1>"
        if not block.toc:
            return f"<p class='center-heading'>{_text(block.text)}</p>"
        anchor = anchors.get(id(block), "")
        return f"<h{block.level} id='{anchor}'>{_text(block.text)}</h{block.level}>"
    if isinstance(block, doc.Para):
        style = []
        if block.bold:
            style.append("font-weight:bold")
        if block.italic:
            style.append("font-style:italic")
        if block.size:
            style.append(f"font-size:{block.size}pt")
        if block.indent_cm:
            style.append(f"margin-left:{block.indent_cm}cm")
        return f"<p class='{block.align}' style='{';'.join(style)}'>{_text(block.text)}</p>"
    if isinstance(block, doc.Bullets):
        tag = "ol" if block.numbered else "ul"
        items = "".join(f"<li>{_text(item)}</li>" for item in block.items)
        return f"<{tag}>{items}</{tag}>"
    if isinstance(block, doc.Table):
        return _table(block)
    if isinstance(block, doc.Image):
        data = base64.b64encode(block.png).decode()
        caption = f"<figcaption>{_text(block.caption)}</figcaption>" if block.caption else ""
        return (
            f"<figure><img src='data:image/png;base64,{data}' style='width:{block.width_cm}cm'>"
            f"{caption}</figure>"
        )
    if isinstance(block, doc.Signature):
        cells = []
        for i, lines in enumerate(block.blocks):
            gap = block.gap_after[i] if i < len(block.gap_after) else len(lines) - 2
            top = "<br>".join(escape(line) for line in lines[:gap])
            bottom = "<br>".join(escape(line) for line in lines[gap:])
            cells.append(f"<td>{top}<div class='gap'></div>{bottom}</td>")
        return f"<table class='sign'><tr>{''.join(cells)}</tr></table>"
    if isinstance(block, doc.PageBreak):
        return "<div class='pagebreak'></div>"
    if isinstance(block, doc.Contents):
        entries = "".join(
            f"<p class='l{h.level}'><a href='#{anchors[id(h)]}'>{_text(h.text)}</a></p>"
            for h in document.contents()
        )
        return (
            f"<p class='center-heading'>{escape(block.title)}</p><nav class='toc'>{entries}</nav>"
            "<div class='pagebreak'></div>"
        )
    raise TypeError(f"unknown block {block!r}")  # pragma: no cover


def _table(table: doc.Table) -> str:
    cols = "".join(f"<col style='width:{c.width_cm}cm'>" for c in table.columns)
    head = "".join(
        "<tr>"
        + "".join(
            f"<th colspan='{c.colspan}'>{_text(c.text)}</th>"
            if c.colspan > 1
            else f"<th>{_text(c.text)}</th>"
            for c in row
        )
        + "</tr>"
        for row in table.header_rows()
    )
    body = []
    for row in table.body_rows():
        cells, col = [], 0
        for cell in row:
            align = cell.align or table.columns[min(col, len(table.columns) - 1)].align
            classes = [align]
            if cell.shade:
                classes.append("shade")
            span = f" colspan='{cell.colspan}'" if cell.colspan > 1 else ""
            weight = " style='font-weight:bold'" if cell.bold else ""
            cells.append(f"<td class='{' '.join(classes)}'{span}{weight}>{_text(cell.text)}</td>")
            col += cell.colspan
        body.append(f"<tr>{''.join(cells)}</tr>")
    caption = f"<p class='caption'>{_text(table.caption)}</p>" if table.caption else ""
    note = f"<p class='note'>{_text(table.note)}</p>" if table.note else ""
    width = sum(c.width_cm for c in table.columns)
    return (
        f"{caption}<table class='grid' style='width:{width}cm;font-size:{table.font_size}pt'>"
        f"<colgroup>{cols}</colgroup><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>{note}"
    )
