"""The layout of the PDF as a reader gets it: page numbers per section (none, i, ii, … then 1, 2, …),
lists of tables with the page numbers of the pages they point at, small tables and signature blocks
that never break across pages, one font family. Small documents are built directly (no database),
rendered by `pdf_render` (ReportLab, the renderer of the documents' PDF) and read back page by page with pdftotext."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pypdf
import pytest

from kinerja.core.render import doc, html_render, pdf_render
from tests.conftest import require


def _pages(document: doc.Document) -> list[str]:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    pdf = pdf_render.render_pdf(document)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return text.split("\f")[:-1]


def _fonts(pdf: bytes) -> set[str]:
    """The base fonts of every page, those its forms (page numbers, footers) use included."""
    found = set()

    def walk(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in resources.get("/Font", {}).values():
            found.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
        for xobject in resources.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        walk(page.get("/Resources"))
    return found


def _labels(pages: list[str]) -> list[str | None]:
    return [(re.findall(r"Halaman (\S+)", page) or [None])[-1] for page in pages]


def _page_of(pages: list[str], text: str) -> int:
    found = [i for i, page in enumerate(pages) if text in page]
    assert len(found) == 1, (text, found)
    return found[0]


def _table(caption: str, rows: int, tag: str = "") -> doc.Table:
    return doc.Table(
        columns=[doc.Col("No", 1.5, "center"), doc.Col("Uraian", 10), doc.Col("Nilai", 3, "right")],
        rows=[[str(i + 1), f"{tag}baris-{i + 1}", f"{i + 1},00"] for i in range(rows)],
        caption=caption,
    )


def _filler(lines: int) -> doc.Para:
    return doc.Para("\n".join(f"isi baris {i + 1}" for i in range(lines)), align="left")


def test_front_matter_is_numbered_in_roman_and_the_body_from_1():
    document = doc.Document(
        "Uji",
        [
            doc.Section([doc.Heading("SAMPUL", level=0)], numbering="none"),
            doc.Section(
                [
                    doc.Heading("KATA PENGANTAR"),
                    doc.Para("Pengantar."),
                    doc.PageBreak(),
                    doc.Contents(),
                ],
                numbering="roman",
            ),
            doc.Section(
                [doc.Heading("BAB I PENDAHULUAN"), _filler(120), doc.Heading("BAB II ISI")],
            ),
            doc.Section([doc.Heading("LAMPIRAN"), _filler(10)], landscape=True),
        ],
        footer="Uji 2023",
    )
    pages = _pages(document)
    labels = _labels(pages)
    assert labels[0] is None  # the cover has no number
    assert labels[1:3] == ["i", "ii"]
    assert labels[3:] == [str(n) for n in range(1, len(pages) - 2)]  # 1, 2, … on into landscape
    assert len(pages) >= 6
    assert not any("dari" in page for page in pages)  # no "of Y" across mixed numbering
    assert "Uji 2023 — Halaman i" in pages[1]
    # the contents point at the right pages, in the style of those pages
    contents = pages[2]
    assert re.search(r"KATA PENGANTAR\s+\.+\s*i\n", contents)
    assert re.search(r"BAB I PENDAHULUAN\s+\.+\s*1\n", contents)
    bab2 = labels[_page_of(pages, "BAB II ISI\n")]
    assert bab2 != "1" and re.search(rf"BAB II ISI\s+\.+\s*{bab2}\n", contents)
    assert re.search(rf"LAMPIRAN\s+\.+\s*{len(pages) - 3}\n", contents)


def test_one_arabic_run_keeps_page_x_of_y():
    document = doc.Document("Uji", [doc.Section([_filler(80)]), doc.Section([_filler(5)])])
    pages = _pages(document)
    assert [re.findall(r"Halaman \d+ dari \d+", p)[-1] for p in pages] == [
        f"Halaman {n} dari {len(pages)}" for n in range(1, len(pages) + 1)
    ]


def test_list_of_tables_gives_each_table_the_number_of_its_page():
    document = doc.Document(
        "Uji",
        [
            doc.Section(
                [
                    doc.Contents("DAFTAR TABEL", kind="tables"),
                    doc.Contents("DAFTAR GAMBAR", kind="figures"),
                    _table("Tabel A Ringkasan", 2),
                ],
                numbering="roman",
            ),
            doc.Section(
                [
                    _table("Tabel B Pertama", 2),
                    doc.PageBreak(),
                    _filler(10),
                    doc.PageBreak(),
                    _filler(30),
                    _table("Tabel C Panjang", 60),
                ]
            ),
        ],
    )
    pages = _pages(document)
    listed = dict(re.findall(r"(Tabel \w) [A-Za-z ]+?\s+\.+\s*(\w+)\n", pages[0]))
    assert listed == {"Tabel A": "iii", "Tabel B": "1", "Tabel C": "3"}
    labels = _labels(pages)
    for caption, number in (("Tabel A Ringkasan", "iii"), ("Tabel B", "1"), ("Tabel C", "3")):
        assert labels[2 + _page_of(pages[2:], caption)] == number  # after the two lists
    assert "DAFTAR GAMBAR" in pages[1] and "Tabel" not in pages[1]  # no figures: an empty list


@pytest.mark.parametrize("lines", range(40, 52, 2))
def test_a_small_table_is_never_split_nor_its_caption_left_behind(lines):
    document = doc.Document("Uji", [doc.Section([_filler(lines), _table("Tabel 1 Kecil", 2)])])
    pages = _pages(document)
    where = {_page_of(pages, text) for text in ("Tabel 1 Kecil", "baris-1", "baris-2")}
    assert len(where) == 1, where


def test_the_small_table_test_does_put_the_table_at_a_page_end():
    """Some filler of the test above pushes the table to the next page (so it did cross one)."""
    moved = []
    for lines in range(40, 52, 2):
        document = doc.Document("Uji", [doc.Section([_filler(lines), _table("Tabel 1 Kecil", 2)])])
        pages = _pages(document)
        last_line = _page_of(pages, f"isi baris {lines}\n")
        moved.append(_page_of(pages, "baris-2") > last_line)
    assert any(moved) and not all(moved)


@pytest.mark.parametrize("lines", range(40, 52, 2))
def test_a_long_table_never_starts_with_its_caption_alone_and_no_row_splits(lines):
    table = _table("Tabel 2 Panjang", 40)
    table.rows[0][1] = "\n".join(f"baris-1 bagian {i}" for i in range(1, 5))  # a tall first row
    document = doc.Document("Uji", [doc.Section([_filler(lines), table])])
    pages = _pages(document)
    caption = _page_of(pages, "Tabel 2 Panjang")
    assert {_page_of(pages, f"baris-1 bagian {i}") for i in range(1, 5)} == {caption}


@pytest.mark.parametrize("lines", range(36, 50, 2))
def test_signatures_stay_on_one_page_with_the_line_before_them(lines):
    document = doc.Document(
        "Uji",
        [
            doc.Section(
                [
                    _filler(lines),
                    doc.Para("Atambua, 2 Januari 2024", align="center"),
                    doc.Signature(
                        [
                            ["PIHAK KEDUA,", "Kepala Kantor Wilayah", "Nama Kakanwil", "NIP. 1"],
                            ["PIHAK PERTAMA,", "Kepala Lapas", "Nama Kalapas", "NIP. 2"],
                        ]
                    ),
                ]
            )
        ],
    )
    pages = _pages(document)
    where = {_page_of(pages, t) for t in ("Atambua, 2 Januari", "PIHAK KEDUA", "NIP. 1", "NIP. 2")}
    assert len(where) == 1, where


def test_the_signature_test_does_put_the_block_at_a_page_end():
    moved = []
    for lines in range(36, 50, 2):
        document = doc.Document(
            "Uji",
            [
                doc.Section(
                    [
                        _filler(lines),
                        doc.Para("Atambua, 2 Januari 2024", align="center"),
                        doc.Signature([["PIHAK KEDUA,", "Kepala", "Nama", "NIP. 1"]]),
                    ]
                )
            ],
        )
        pages = _pages(document)
        moved.append(_page_of(pages, "NIP. 1") > _page_of(pages, f"isi baris {lines}\n"))
    assert any(moved) and not all(moved)


def test_margin_boxes_and_body_share_one_font_family():
    document = doc.Document(
        "Uji", [doc.Section([doc.Para("Isi • — teks", bold=True), _table("Tabel", 2)])], draft=True
    )
    assert _fonts(pdf_render.render_pdf(document)) == {
        "DejaVuSans",
        "DejaVuSans-Bold",
    }


def test_the_markup_is_read_as_xml_and_gives_the_pdf_the_html_parser_gives():
    """`html_render` writes well-formed XML so that `export` can skip WeasyPrint's pure-Python HTML
    parser; a tag left open would silently bring the slow path back, and a WeasyPrint that builds
    its document differently would show here first."""
    import weasyprint

    from kinerja.core.render import export

    document = doc.Document(
        "Uji & <coba>",
        [
            doc.Section([doc.Heading("SAMPUL", level=0)], numbering="none"),
            doc.Section([doc.Contents(), doc.Heading("BAB I"), _table("Tabel 1 'a' & \"b\"", 3)]),
            doc.Section([doc.Para("baris\nkedua"), doc.Signature([["A,", "B", "C"]])]),
        ],
        footer='Kaki "uji" <x>',
        draft=True,
    )
    images: dict[str, bytes] = {}
    html = html_render.render_html(document, images)
    fast = export._from_xml(weasyprint, html, export._fetcher(images))
    assert fast is not None
    slow = weasyprint.HTML(string=html, url_fetcher=export._fetcher(images))
    texts = [
        [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(d.write_pdf())).pages]
        for d in (fast, slow)
    ]
    assert texts[0] == texts[1]
    assert 'Kaki "uji" <x> — Halaman 1' in texts[0][1]


def test_every_font_is_dejavu_and_every_character_has_its_glyph():
    document = doc.Document(
        "Uji",
        [
            doc.Section([doc.Contents()], numbering="roman"),
            doc.Section(
                [
                    doc.Heading("BAB I Σ → × − “kutip”"),
                    doc.Para("Miring", italic=True),
                    doc.Para("Tebal miring", bold=True, italic=True),
                    _table("Tabel 1 Σ", 2),
                    doc.Signature([["Atambua,", "Kepala", "Nama", "NIP. 1"]]),
                ]
            ),
        ],
        footer="Kaki",
        draft=True,
    )
    pdf = pdf_render.render_pdf(document)
    assert _fonts(pdf) == {
        "DejaVuSans",
        "DejaVuSans-Bold",
        "DejaVuSans-Oblique",
        "DejaVuSans-BoldOblique",
    }
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Σ → × − “kutip”" in text


def test_user_text_is_not_markup():
    document = doc.Document(
        "A & <b>",
        [
            doc.Section(
                [
                    doc.Heading("BAB <I> & co"),
                    doc.Para("x < y & y > z <br/> <b>tebal</b>"),
                    doc.Bullets(["a & b <i>"], numbered=True),
                    doc.Signature([["Kota & <x>", "Jabatan", "Nama", "NIP"]]),
                ]
            )
        ],
        footer="Kaki & <kaki>",
    )
    page = _pages(document)[0]
    assert "BAB <I> & co" in page
    assert "x < y & y > z <br/> <b>tebal</b>" in page
    assert "1. a & b <i>" in page and "Kota & <x>" in page
    assert "Kaki & <kaki> — Halaman 1 dari 1" in page


def test_landscape_sections_are_on_landscape_pages():
    document = doc.Document(
        "Uji",
        [
            doc.Section([_filler(10)]),
            doc.Section([_filler(60)], landscape=True),
            doc.Section([_filler(10)]),
        ],
    )
    reader = pypdf.PdfReader(io.BytesIO(pdf_render.render_pdf(document)))
    shapes = [
        "landscape" if page.mediabox.width > page.mediabox.height else "portrait"
        for page in reader.pages
    ]
    assert shapes == ["portrait", "landscape", "landscape", "portrait"]
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
    assert round(float(reader.pages[1].mediabox.width)) == 842


def test_a_draft_has_its_watermark_and_header_on_every_page():
    sections = [doc.Section([_filler(10)], numbering="none"), doc.Section([_filler(80)])]
    pages = _pages(doc.Document("Uji", sections, draft=True))
    assert len(pages) == 3 and all("DRAF — belum final" in page for page in pages)
    pdf = pdf_render.render_pdf(doc.Document("Uji", sections, draft=True))
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:  # the watermark (pdftotext cuts it up)
        assert re.search(r"^DRAF$", page.extract_text(), re.MULTILINE)
    assert not any("DRAF" in page for page in _pages(doc.Document("Uji", sections)))


def test_a_long_table_repeats_its_header_rows_with_their_colspans():
    table = doc.Table(
        columns=[
            doc.Col("No", 1.5, "center"),
            doc.Col("Uraian", 8),
            doc.Col("Nilai", 3, "right"),
            doc.Col("Catatan", 3),
        ],
        header=[
            [doc.Cell("No"), doc.Cell("Uraian"), doc.Cell("Realisasi Tahun Ini", colspan=2)],
            ["", "", "Nilai", "Catatan"],
        ],
        rows=[
            [str(i + 1), f"baris-{i + 1}", f"{i + 1},00", doc.Cell(f"c{i + 1}", shade=i == 0)]
            for i in range(70)
        ]
        + [[doc.Cell("Jumlah gabungan", colspan=3, bold=True), "total"]],
        caption="Tabel 9 Panjang",
        note="Catatan kaki tabel",
    )
    pages = _pages(doc.Document("Uji", [doc.Section([table])]))
    assert len(pages) >= 2
    for page in pages:
        assert "Realisasi Tahun Ini" in page and re.search(r"Nilai\s+Catatan", page)
    rows = [re.findall(r"baris-(\d+)\b", page) for page in pages]
    assert [int(n) for page in rows for n in page] == list(range(1, 71))  # none twice
    assert all(rows)
    assert "Jumlah gabungan" in pages[-1] and "Catatan kaki tabel" in pages[-1]
    assert pages[0].count("Tabel 9 Panjang") == 1 and "Tabel 9" not in pages[1]


@pytest.mark.parametrize("lines", range(38, 52, 2))
def test_a_three_row_table_is_never_split(lines):
    document = doc.Document("Uji", [doc.Section([_filler(lines), _table("Tabel 3 Kecil", 3)])])
    pages = _pages(document)
    where = {_page_of(pages, t) for t in ("Tabel 3 Kecil", "baris-1", "baris-2", "baris-3")}
    assert len(where) == 1, where


def test_the_three_row_test_does_cross_a_page_end():
    moved = []
    for lines in range(38, 52, 2):
        document = doc.Document("Uji", [doc.Section([_filler(lines), _table("Tabel 3", 3)])])
        pages = _pages(document)
        moved.append(_page_of(pages, "baris-3") > _page_of(pages, f"isi baris {lines}\n"))
    assert any(moved) and not all(moved)


def test_a_heading_is_never_left_alone_at_a_page_end():
    for lines in range(40, 52):
        document = doc.Document(
            "Uji",
            [doc.Section([_filler(lines), doc.Heading("BAB II ISI"), _filler(30)])],
        )
        pages = _pages(document)
        heading = _page_of(pages, "BAB II ISI")
        assert "isi baris 1\n" in pages[heading].split("BAB II ISI", 1)[1], lines


def test_list_of_figures_and_outline():
    png = _png()
    document = doc.Document(
        "Uji",
        [
            doc.Section([doc.Contents("DAFTAR GAMBAR", kind="figures")], numbering="roman"),
            doc.Section(
                [
                    doc.Heading("BAB I"),
                    doc.PageBreak(),
                    doc.PageBreak(),  # twice: still one page break
                    doc.Image(png, 8, caption="Gambar 1 Bagan"),
                    doc.Heading("A. Bagian", level=2),
                ]
            ),
        ],
    )
    pdf = pdf_render.render_pdf(document)
    pages = _pages(document)
    assert len(pages) == 3
    assert re.search(r"Gambar 1 Bagan\s+\.+\s*2\n", pages[0])
    assert "Gambar 1 Bagan" in pages[2]
    outline = pypdf.PdfReader(io.BytesIO(pdf)).outline
    assert outline[0].title == "BAB I" and outline[1][0].title == "A. Bagian"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 150), "steelblue").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_word_wider_than_its_column_is_set_smaller_not_cut():
    """The Laporan Capaian's narrow WAKTU and JUMLAH columns, IKK tables' "Realisasi": a reader sees
    the word whole, never "WAKT/U"."""
    table = doc.Table(
        [doc.Col("WAKTU", 1.2, "center"), doc.Col("JUMLAH", 1.2), doc.Col("Realisasi", 1.4)],
        [["TW I", "20", "Tercapai"]],
        font_size=7,
    )
    text = " ".join(_pages(doc.Document("Uji", [doc.Section([table])])))
    words = set(re.findall(r"\w+", text))
    assert {"WAKTU", "JUMLAH", "Realisasi", "Tercapai"} <= words
    assert not words & {"WAKT", "JUMLA", "Realisas"}


def test_a_title_set_line_by_line_keeps_each_line_whole():
    """The PK's title: "… DENGAN" and the second party's position each on one line, as signed,
    never "… HAM" with "NTT" alone under it."""
    title = (
        "PERJANJIAN KINERJA TAHUN 2023\n"
        "KEPALA LEMBAGA PEMASYARAKATAN KELAS IIB ATAMBUA DENGAN\n"
        "KEPALA KANTOR WILAYAH KEMENTERIAN HUKUM DAN HAM NTT"
    )
    page = _pages(doc.Document("Uji", [doc.Section([doc.Heading(title, 1, toc=False)])]))[0]
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    assert lines[:3] == title.split("\n")
