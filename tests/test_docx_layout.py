"""The layout of the Word file as a reader gets it: contents and lists of tables with page numbers,
page numbering per section, tables and signatures that do not break badly, a draft watermark.
Small documents are built directly (no database); one test lays them out with LibreOffice."""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from kinerja.core.render import doc, docx_render
from tests.conftest import libreoffice_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _parts(document: doc.Document) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(docx_render.render(document)))
    return {name: archive.read(name) for name in archive.namelist()}


def _body(parts: dict[str, bytes]):
    return etree.fromstring(parts["word/document.xml"]).find("w:body", NS)


def _text(element) -> str:
    """The visible text (w:t), not field instructions."""
    return "".join(t.text or "" for t in element.iter(f"{{{W}}}t"))


def _table(caption: str, rows: int, keep: bool = False) -> doc.Table:
    return doc.Table(
        columns=[doc.Col("No", 2, "center"), doc.Col("Uraian", 10)],
        rows=[[str(r), f"{caption} R{r}"] for r in range(1, rows + 1)],
        caption=caption,
        keep_together=keep,
    )


def _pixel() -> bytes:
    from PIL import Image  # Pillow comes with matplotlib

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def test_contents_and_lists_link_each_entry_to_its_heading_or_caption_by_a_page_field():
    png = _pixel()
    document = doc.Document(
        "Uji",
        [
            doc.Section(
                [
                    doc.Contents(),
                    doc.Contents("DAFTAR TABEL", "tables"),
                    doc.Contents("DAFTAR GAMBAR", "figures"),
                ],
                numbering="roman",
            ),
            doc.Section(
                [
                    doc.Heading("BAB I PENDAHULUAN", 1),
                    doc.Heading("A. Latar Belakang", 2),
                    doc.Heading("1. Rincian", 3),  # level 3: not in the contents
                    _table("Tabel 1.1 Pegawai", 2),
                    doc.Image(png, 4, caption="Gambar 1.1 Struktur Organisasi"),
                    doc.Heading("BAB II PERENCANAAN", 1),
                    _table("Tabel 2.1 Renstra", 5),
                    doc.Image(png, 4),  # no caption: not listed
                ]
            ),
        ],
    )
    body = _body(_parts(document))
    marks = {
        m.get(f"{{{W}}}name"): _text(m.getparent()) for m in body.iter(f"{{{W}}}bookmarkStart")
    }
    entries = []  # (text, bookmark) of every paragraph carrying a PAGEREF
    for p in body.iter(f"{{{W}}}p"):
        instr = "".join(t.text for t in p.iter(f"{{{W}}}instrText"))
        if "PAGEREF" in instr:
            name = instr.split()[1]
            link = p.find("w:hyperlink", NS)
            assert link is not None and link.get(f"{{{W}}}anchor") == name  # clickable
            assert p.find("w:pPr/w:tabs/w:tab", NS).get(f"{{{W}}}leader") == "dot"
            entries.append((_text(link).strip(), name))
    texts = [t for t, _ in entries]
    assert texts == [
        "BAB I PENDAHULUAN",
        "A. Latar Belakang",
        "BAB II PERENCANAAN",
        *document.captions("tables"),
        *document.captions("figures"),
    ]
    # each entry points at the bookmark around its own heading or caption
    for text, name in entries:
        assert marks[name] == text
    # LibreOffice shows only cached numbers inside a TOC field: the entries are not wrapped in one
    assert b"TOC \\" not in _parts(document)["word/document.xml"]


def test_each_section_numbers_its_pages_and_restarts_where_the_numbering_changes():
    sections = [
        doc.Section([doc.Para("sampul")], numbering="none"),
        doc.Section([doc.Para("kata pengantar")], numbering="roman"),
        doc.Section([doc.Para("daftar isi")], numbering="roman"),
        doc.Section([doc.Para("bab I")], numbering="arabic"),
        doc.Section([doc.Para("lampiran")], numbering="arabic", landscape=True),
    ]
    parts = _parts(doc.Document("Uji", sections, footer="LKjIP 2023"))
    body = _body(parts)
    sect_prs = [p for p in body.iter(f"{{{W}}}sectPr")]
    assert len(sect_prs) == 5
    formats = [s.find("w:pgNumType", NS).get(f"{{{W}}}fmt") for s in sect_prs]
    starts = [s.find("w:pgNumType", NS).get(f"{{{W}}}start") for s in sect_prs]
    assert formats[1:] == ["lowerRoman", "lowerRoman", "decimal", "decimal"]
    assert starts == ["1", "1", None, "1", None]  # i after the cover, 1 at BAB I, then continued

    # the cover has no footer; the first roman section gets a footer with the page number,
    # which the following sections inherit (Word's "link to previous")
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    target = {r.get("Id"): r.get("Target") for r in rels}
    refs = [s.findall("w:footerReference", NS) for s in sect_prs]
    assert refs[0] == [] and refs[2] == [] and refs[3] == [] and refs[4] == []
    footer = parts[
        "word/"
        + target[
            refs[1][0].get(
                "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
            )
        ]
    ]
    footer_text = _text(etree.fromstring(footer))
    assert "LKjIP 2023 — Halaman" in footer_text
    assert b" PAGE " in footer and b"NUMPAGES" not in footer  # no "dari Y" across mixed numbering


def test_small_tables_never_split_and_no_row_of_any_table_splits():
    document = doc.Document(
        "Uji",
        [
            doc.Section(
                [
                    _table("Tabel kecil", 3),
                    _table("Tabel dijaga", 8, keep=True),
                    _table("Tabel panjang", 8),
                ]
            )
        ],
    )
    parts = _parts(document)
    body = _body(parts)
    small, kept, long = body.findall("w:tbl", NS)
    for table in (small, kept, long):
        rows = table.findall("w:tr", NS)
        assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None  # the header repeats
        # text keeps a distance from the rules
        margins = table.find("w:tblPr/w:tblCellMar", NS)
        assert int(margins.find("w:top", NS).get(f"{{{W}}}w")) >= 28  # ≥ 0.05 cm
        assert int(margins.find("w:bottom", NS).get(f"{{{W}}}w")) >= 28

    def kept_with_next(row) -> bool:
        return all(p.find("w:pPr/w:keepNext", NS) is not None for p in row.iter(f"{{{W}}}p"))

    for table in (small, kept):  # every row but the last is kept with the next one
        rows = table.findall("w:tr", NS)
        assert all(kept_with_next(r) for r in rows[:-1]) and not kept_with_next(rows[-1])
    assert not any(kept_with_next(r) for r in long.findall("w:tr", NS)[1:])

    # the caption is kept with its table: its style keeps with next, and it is just before it
    styles = etree.fromstring(parts["word/styles.xml"])
    caption_style = next(
        s
        for s in styles.findall("w:style", NS)
        if s.find("w:name", NS).get(f"{{{W}}}val") == docx_render.TABLE_CAPTION
    )
    assert caption_style.find("w:pPr/w:keepNext", NS) is not None
    for table, caption in zip(
        (small, kept, long), ("Tabel kecil", "Tabel dijaga", "Tabel panjang"), strict=True
    ):
        before = table.getprevious()
        assert _text(before) == caption
        style_id = before.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val")
        assert style_id == caption_style.get(f"{{{W}}}styleId")


def test_a_signature_block_is_one_row_that_cannot_split_and_stays_with_the_line_before():
    document = doc.Document(
        "Uji",
        [
            doc.Section(
                [
                    doc.Para("Atambua, 02 Januari 2024", align="right"),
                    doc.Signature(
                        [
                            ["Kepala Lapas", "Atambua", "Budi", "NIP. 1970"],
                            ["Saksi", "Nama", "NIP. 1"],
                        ],
                        gap_after=[2, 1],
                    ),
                ]
            )
        ],
    )
    body = _body(_parts(document))
    table = body.find("w:tbl", NS)
    rows = table.findall("w:tr", NS)
    assert len(rows) == 1 and rows[0].find("w:trPr/w:cantSplit", NS) is not None
    assert [_text(c) for c in rows[0].findall("w:tc", NS)] == [
        "Kepala LapasAtambuaBudiNIP. 1970",
        "SaksiNamaNIP. 1",
    ]
    date = table.getprevious()
    assert _text(date) == "Atambua, 02 Januari 2024"
    assert date.find("w:pPr/w:keepNext", NS) is not None


def test_a_signature_under_a_table_takes_the_tables_last_row_with_it():
    """A decree's decisions end in a table and the signature follows: the signature is never alone
    at the top of a page."""
    decisions = doc.Table(
        [doc.Col("", 2.6), doc.Col("", 12)],
        [["KESATU", "Membentuk Tim"], ["KEDUA", "Tim bertugas"], ["KETIGA", "Berlaku"]] * 3,
        header=[],
        ruled=False,
    )
    signature = doc.Signature([["Ditetapkan di Atambua", "Kepala", "Budi", "NIP. 1970"]], [2])
    body = _body(_parts(doc.Document("Uji", [doc.Section([decisions, signature])])))
    rows = body.find("w:tbl", NS).findall("w:tr", NS)
    keeps = [
        all(p.find("w:pPr/w:keepNext", NS) is not None for p in r.iter(f"{{{W}}}p")) for r in rows
    ]
    assert keeps == [False] * (len(rows) - 1) + [True]


def test_a_draft_carries_a_diagonal_draf_watermark_and_a_final_document_none():
    def headers(draft: bool) -> str:
        parts = _parts(doc.Document("Uji", [doc.Section([doc.Para("isi")])], draft=draft))
        return "".join(v.decode() for k, v in parts.items() if k.startswith("word/header"))

    draft = headers(True)
    assert 'string="DRAF"' in draft and "rotation:315" in draft
    assert "PowerPlusWaterMarkObject" in draft  # the name Word and LibreOffice read as a watermark
    assert "DRAF" not in headers(False)


# -- LibreOffice lays the pages out ---------------------------------------------------------------

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}


def _layout_document() -> doc.Document:
    """Headings, small tables and signatures placed after 30-42 one-line paragraphs from the top of
    a page: some land across a page boundary."""
    lines = lambda k: [doc.Para(f"Baris pengisi {k}.{i}") for i in range(k)]  # noqa: E731
    chapter1 = [doc.Heading("BAB I TABEL", 1)]
    for k in range(30, 44, 2):
        small = _table(f"Tabel K{k}", 3)
        small.rows = [[str(r), f"Tabel K{k} R{r}\nkedua\nketiga"] for r in (1, 2, 3)]  # tall rows
        chapter1 += [doc.PageBreak(), *lines(k), small]
        if k == 36:
            chapter1.append(doc.Heading("A. Bagian Tengah", 2))
    chapter2 = [doc.Heading("BAB II TANDA TANGAN", 1)]
    for k in range(30, 44, 2):
        chapter2 += [
            doc.PageBreak(),
            *lines(k),
            doc.Para(f"Atambua, S{k}", align="right"),
            doc.Signature([[f"Kepala S{k}", "Lapas", "Nama", f"NIP. S{k}"]], gap_after=[2]),
        ]
    return doc.Document(
        "Uji tata letak",
        [
            doc.Section([doc.Heading("LAPORAN UJI", 0)], numbering="none"),
            doc.Section(
                [
                    doc.Heading("KATA PENGANTAR", 1),
                    doc.Para("Pengantar."),
                    doc.PageBreak(),
                    doc.Contents(),
                    doc.PageBreak(),
                    doc.Contents("DAFTAR TABEL", "tables"),
                ],
                numbering="roman",
            ),
            doc.Section(chapter1 + chapter2, numbering="arabic"),
            doc.Section([doc.Heading("LAMPIRAN", 1), _table("Tabel L.1", 2)], landscape=True),
        ],
        footer="Uji",
    )


def test_libreoffice_prints_the_right_page_numbers_and_keeps_blocks_whole(tmp_path):
    document = _layout_document()
    (tmp_path / "uji.docx").write_bytes(docx_render.render(document))
    text = libreoffice_text(tmp_path / "uji.docx", tmp_path, layout=True)
    pages = text.split("\f")
    labels = [(re.findall(r"Halaman (\S+)", p) or [None])[-1] for p in pages]

    # the cover has no number, the front matter i, ii, …, the body 1, 2, … continued in landscape
    assert labels[0] is None
    numbered = [label for label in labels if label]
    assert numbered[:3] == ["i", "ii", "iii"] and numbered[3] == "1"
    assert [int(n) for n in numbered[3:]] == list(range(1, len(numbered) - 2))

    def page_of(line: str) -> str:
        found = [
            labels[n]
            for n, page in enumerate(pages)
            for row in page.split("\n")
            if row.strip() == line
        ]
        assert len(found) == 1, (line, found)
        return found[0]

    entries = {
        m.group(1): m.group(2)
        for row in text.split("\n")
        if (m := re.match(r"^\s*(\S.*?)\.{4,}\s*(\S+)\s*$", row))
    }
    expected = [h.text for h in document.contents()] + document.captions("tables")
    assert sorted(entries) == sorted(expected)
    for line, number in entries.items():
        label = page_of(line)
        if label in ROMAN:  # LibreOffice 7 prints a cross-reference in digits: "1" for page "i"
            assert number in (label, str(ROMAN[label])), line
        else:
            assert number == label, line

    def same_page(*needles: str) -> bool:
        return any(all(n in page for n in needles) for page in pages)

    for k in range(30, 44, 2):  # a small table with its caption, a signature with its date line
        assert same_page(f"Tabel K{k}\n", f"Tabel K{k} R1", f"Tabel K{k} R3"), k
        assert same_page(f"Atambua, S{k}", f"Kepala S{k}", f"NIP. S{k}"), k
