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
