"""Render a `doc.Document` to HTML for WeasyPrint: A4 pages (landscape sections on their own named
page), table header rows repeated by the engine, the page number in the page margin in the style of
the section (none, i, ii, … or 1, 2, …; restarting at 1 where the style changes), contents, lists of
tables and of figures with real page numbers (target-counter, in the style of the page they point
at) and PDF bookmarks from the headings.

Page numbering: each section is on a named page. The first section of a run of sections with the
same numbering gets a page name of its own ("s<index>"), whose first page resets the page counter
(`@page s3:nth(1 of s3) { counter-reset: page 1 }`); the other sections of the run share the name of
their kind ("arabic", "roman-wide", …), so the counter runs on across them. The margin box prints
"Halaman X"; "Halaman X dari Y" only where the whole document is one arabic run (Y, the `pages`
counter, counts every page and cannot be reset).

Speed (docs/performance.md, "Documents"): WeasyPrint's cost is per box, so the markup is lean (no
class or style attribute that says what the default says); the contents' leaders repeat six dots
(a leader is one text box per repetition: "." cost 15% of the LKjIP's PDF time); images are fetched
by `kinerja:` URLs rather than parsed as base64 text; and the markup is well-formed XML, which
`export.html_to_pdf` reads with expat instead of WeasyPrint's pure-Python HTML parser."""

from __future__ import annotations

import base64

from django.utils.html import escape

from kinerja.core.render import doc
from kinerja.core.render.export import html_to_pdf

FONT = '"Liberation Sans", Arial, "DejaVu Sans", sans-serif'

CSS = """
@page { size: A4; margin: 2.2cm 2cm 2cm 2.5cm; font-family: FONT;
  @bottom-right { font-size: 8pt; color: #333; } }
body { font-family: FONT; font-size: 10.5pt; line-height: 1.35; color: #000; }
section + section { break-before: page; }
h1, h2, h3 { break-after: avoid; margin: 0.9em 0 0.4em; }
h1 { font-size: 14pt; } h2 { font-size: 12pt; } h3 { font-size: 11pt; }
h1.title { font-size: 17pt; text-align: center; bookmark-level: none; }
p.center-heading { font-size: 13pt; font-weight: bold; text-align: center; }
p { margin: 0 0 0.45em; orphans: 2; widows: 2; text-align: justify; }
.left { text-align: left; } .center { text-align: center; } .right { text-align: right; }
.b { font-weight: bold; }
table.grid { border-collapse: collapse; margin: 0.3em auto 0.8em; table-layout: fixed; }
td, th { border: 0.6pt solid #000; padding: 2pt 3pt; vertical-align: top;
  overflow-wrap: break-word; }
th { background: #e6e6e6; text-align: center; vertical-align: middle; }
td.shade { background: #f0f0f0; font-weight: bold; }
table.plain { margin-left: 0; } table.plain td { border: none; padding: 1pt 3pt; }
tr { break-inside: avoid; }
p.caption { text-align: center; font-weight: bold; font-size: 9.5pt; margin-top: 0.6em;
  break-after: avoid; }
p.note { font-style: italic; font-size: 8pt; }
div.keep { break-inside: avoid; }
figure { margin: 0.5em 0; text-align: center; break-inside: avoid; }
figcaption { font-style: italic; font-size: 9pt; }
div.sign { break-inside: avoid; break-before: avoid; margin-top: 1.2em; }
table.sign { width: 100%; }
table.sign td { border: none; padding: 0; text-align: center; }
.gap { height: 2.2cm; }
.pagebreak { break-after: page; }
nav.toc a { color: #000; text-decoration: none; }
nav.toc a.d::after { content: leader('......') target-counter(attr(href), page); }
nav.toc a.r::after { content: leader('......') target-counter(attr(href), page, lower-roman); }
nav.toc p { margin: 0 0 0.15em; text-align: left; }
nav.toc .l2 { margin-left: 0.8cm; } nav.toc .l3 { margin-left: 1.6cm; font-size: 9.5pt; }
ul, ol { margin: 0.2em 0 0.5em 1.2em; padding-left: 0.6em; }
""".replace("FONT", FONT)

PORTRAIT = "size: A4; margin: 2.2cm 2cm 2cm 2.5cm;"
LANDSCAPE = "size: A4 landscape; margin: 1.8cm 1.5cm 1.8cm 1.5cm;"
BREAK = "<div class='pagebreak'></div>"
COUNTER = {"roman": "counter(page, lower-roman)", "arabic": "counter(page)"}

DRAFT = """@page { @top-center { content: "DRAF — belum final"; font-size: 10pt; color: #777; }
  background: url("data:image/svg+xml;utf8,%3Csvg xmlns='http://www.w3.org/2000/svg' width='600' height='800'%3E%3Ctext x='80' y='520' font-size='150' fill='%23000000' fill-opacity='0.08' transform='rotate(-35 300 400)' font-family='Liberation Sans, Arial, sans-serif'%3EDRAF%3C/text%3E%3C/svg%3E") no-repeat center; }"""


class _Ids:
    """Anchors of the headings (h1, h2, …) and of the captioned tables (t1, …) and figures (f1, …),
    with the numbering of the section each stands in."""

    def __init__(self, document: doc.Document):
        self.anchor: dict[int, str] = {}
        self.numbering: dict[int, str] = {}
        for key, (anchor, numbering) in document.anchors().items():
            self.anchor[key], self.numbering[key] = anchor, numbering


def _page_names(document: doc.Document) -> tuple[list[str], str]:
    """Per section its page name, and the @page rules for those names."""
    sections = document.sections
    one_run = all(s.numbering == "arabic" for s in sections)
    names, rules, seen = [], [], set()
    previous = None
    for i, section in enumerate(sections):
        starts = previous is None or section.numbering != previous
        previous = section.numbering
        kind = section.numbering + ("-wide" if section.landscape else "")
        name = f"s{i}" if starts else kind
        names.append(name)
        if name in seen:
            continue
        seen.add(name)
        if section.numbering == "none":
            content = "none"
        else:
            total = ' " dari " counter(pages)' if one_run else ""
            content = f'"{_footer(document)}Halaman " {COUNTER[section.numbering]}{total}'
        size = LANDSCAPE if section.landscape else PORTRAIT
        rules.append(f"@page {name} {{ {size} @bottom-right {{ content: {content}; }} }}")
        if starts:
            rules.append(f"@page {name}:nth(1 of {name}) {{ counter-reset: page 1; }}")
    return names, "\n".join(rules)


def _footer(document: doc.Document) -> str:
    if not document.footer:
        return ""
    text = document.footer.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return text.replace("<", "\\3c ") + " — "


def render_html(document: doc.Document, images: dict[str, bytes] | None = None) -> str:
    """The HTML with the document's own stylesheet. Images are inline (data: URLs) unless `images`
    is given: then they are `kinerja:img/<n>` URLs and their bytes are put in `images`."""
    ids = _Ids(document)
    names, pages = _page_names(document)
    css = CSS + pages + (DRAFT if document.draft else "")
    parts = [
        "<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'/>",
        f"<title>{escape(document.title)}</title><style>{css}</style></head><body>",
    ]
    context = _Context(document, ids, images)
    for name, section in zip(names, document.sections, strict=True):
        parts.append(f"<section style='page:{name}'>")
        blocks = section.blocks
        for i, block in enumerate(blocks):
            if id(block) in context.done:
                continue
            html = _block(block, context)
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(following, doc.Signature) and isinstance(block, (doc.Para, doc.Heading)):
                # the line before the signatures (place and date, closing) stays with them
                html = f"<div class='keep'>{html}{_block(following, context)}</div>"
                context.done.add(id(following))
            if html == BREAK and parts[-1].endswith(BREAK):
                continue  # a page break after a page break would leave a blank page
            parts.append(html)
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)


class _Context:
    def __init__(self, document, ids, images):
        self.document = document
        self.ids = ids
        self.images = images
        self.done: set[int] = set()


def render_pdf(document: doc.Document) -> bytes:
    images: dict[str, bytes] = {}
    html = render_html(document, images)
    return html_to_pdf(html, images=images)


def _text(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def _block(block, context: _Context) -> str:
    if isinstance(block, doc.Heading):
        if block.level == 0:
            return f"<h1 class='title'>{_text(block.text)}</h1>"
        if not block.toc:
            return f"<p class='center-heading'>{_text(block.text)}</p>"
        anchor = context.ids.anchor.get(id(block), "")
        return f"<h{block.level} id='{anchor}'>{_text(block.text)}</h{block.level}>"
    if isinstance(block, doc.Para):
        classes = [] if block.align == "justify" else [block.align]
        style = []
        if block.bold:
            classes.append("b")
        if block.italic:
            style.append("font-style:italic")
        if block.size:
            style.append(f"font-size:{block.size}pt")
        if block.indent_cm:
            style.append(f"margin-left:{block.indent_cm}cm")
        attrs = f" class='{' '.join(classes)}'" if classes else ""
        if style:
            attrs += f" style='{';'.join(style)}'"
        return f"<p{attrs}>{_text(block.text)}</p>"
    if isinstance(block, doc.Bullets):
        tag = "ol" if block.numbered else "ul"
        items = "".join(f"<li>{_text(item)}</li>" for item in block.items)
        return f"<{tag}>{items}</{tag}>"
    if isinstance(block, doc.Table):
        return _table(block, context.ids.anchor.get(id(block)))
    if isinstance(block, doc.Image):
        if context.images is None:
            src = "data:image/png;base64," + base64.b64encode(block.png).decode()
        else:
            src = f"kinerja:img/{len(context.images)}"
            context.images[src] = block.png
        anchor = context.ids.anchor.get(id(block))
        attr = f" id='{anchor}'" if anchor else ""
        caption = f"<figcaption>{_text(block.caption)}</figcaption>" if block.caption else ""
        return (
            f"<figure{attr}><img src='{src}' style='width:{block.width_cm}cm'/>{caption}</figure>"
        )
    if isinstance(block, doc.Signature):
        cells = []
        for i, lines in enumerate(block.blocks):
            gap = block.gap_after[i] if i < len(block.gap_after) else len(lines) - 2
            top = "<br/>".join(escape(line) for line in lines[:gap])
            bottom = "<br/>".join(escape(line) for line in lines[gap:])
            cells.append(f"<td>{top}<div class='gap'></div>{bottom}</td>")
        return (
            f"<div class='sign'><table class='sign'><tbody><tr>{''.join(cells)}</tr></tbody>"
            "</table></div>"
        )
    if isinstance(block, doc.PageBreak):
        return BREAK
    if isinstance(block, doc.Contents):
        return _contents(block, context)
    raise TypeError(f"unknown block {block!r}")  # pragma: no cover


def _contents(block: doc.Contents, context: _Context) -> str:
    """Contents, list of tables or of figures: each entry links to its anchor; the page number is
    the target's page counter in the style of the section it stands in (none on unnumbered pages)."""
    document, ids = context.document, context.ids
    if block.kind == "headings":
        entries = [(h, f"l{h.level}", h.text) for h in document.contents()]
    else:
        wanted = doc.Table if block.kind == "tables" else doc.Image
        entries = [
            (b, "l1", b.caption)
            for s in document.sections
            for b in s.blocks
            if isinstance(b, wanted) and b.caption
        ]
    style = {"roman": " class='r'", "arabic": " class='d'", "none": ""}
    html = "".join(
        f"<p class='{level}'><a{style[ids.numbering[id(b)]]} href='#{ids.anchor[id(b)]}'>"
        f"{_text(text)}</a></p>"
        for b, level, text in entries
    )
    return (
        f"<p class='center-heading'>{escape(block.title)}</p><nav class='toc'>{html}</nav>{BREAK}"
    )


def _table(table: doc.Table, anchor: str | None) -> str:
    """Cells carry a class only where their alignment is not left or they are shaded, and no
    style: WeasyPrint's cost is per element and per declaration."""
    cols = "".join(f"<col style='width:{c.width_cm}cm'/>" for c in table.columns)
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
    aligns = [c.align for c in table.columns]
    last = len(aligns) - 1
    body = []
    for row in table.body_rows():
        cells, col = [], 0
        for cell in row:
            align = cell.align or aligns[min(col, last)]
            classes = [] if align == "left" else [align]
            if cell.shade:
                classes.append("shade")
            elif cell.bold:
                classes.append("b")
            attrs = f" class='{' '.join(classes)}'" if classes else ""
            if cell.colspan > 1:
                attrs += f" colspan='{cell.colspan}'"
            cells.append(f"<td{attrs}>{_text(cell.text)}</td>")
            col += cell.colspan
        body.append(f"<tr>{''.join(cells)}</tr>")
    caption = f"<p class='caption'>{_text(table.caption)}</p>" if table.caption else ""
    note = f"<p class='note'>{_text(table.note)}</p>" if table.note else ""
    width = sum(c.width_cm for c in table.columns)
    html = (
        f"<table class='grid{'' if table.ruled else ' plain'}' "
        f"style='width:{width}cm;font-size:{table.font_size}pt'>"
        f"<colgroup>{cols}</colgroup><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
    )
    attr = f" id='{anchor}'" if anchor else ""
    if table.unbreakable:
        # with its caption and note on one page
        return f"<div class='keep'{attr}>{caption}{html}{note}</div>"
    if caption:
        # the anchor on the caption: the list of tables points at the page the caption is on
        caption = caption.replace("<p class='caption'>", f"<p class='caption'{attr}>", 1)
    elif anchor:
        html = html.replace("<table ", f"<table{attr} ", 1)
    return f"{caption}{html}{note}"
