"""The Rencana Aksi (PDF and XLSX) and the PK against the offices' own documents: the Luwuk
Rencana Aksi 2024 (shared/reference/renaksi-luwuk-2024.*) and the PK appendix of the Atambua
LKjIP 2023."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess

import docx
import openpyxl
import pytest

from kinerja.documents import pk_doc, reports
from kinerja.imports.services import renaksi_check, renaksi_import
from kinerja.indicators.models import Level
from kinerja.organizations.models import OrganisationName, Unit
from kinerja.planning.models import PerjanjianKinerja, RAQuarter
from kinerja.planning.renaksi_export import renaksi_html, renaksi_pdf, renaksi_xlsx
from tests.conftest import require
from tests.test_exports import dump
from tests.test_imports import XLSX


def _pdftotext(content: bytes, tmp_path, *args: str) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) tidak terpasang")
    path = tmp_path / "ra.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _flat(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> set[str]:
    """Words as a line may end after them: split at spaces, slashes and hyphens, without the
    punctuation around them."""
    return {w.strip(".,;:()\"'") for w in re.split(r"[\s/\-]+", text)} - {""}


@pytest.fixture
def luwuk(demo) -> PerjanjianKinerja:
    """The demo's Luwuk 2024 plan, imported from the office's own workbook."""
    return PerjanjianKinerja.objects.filter(unit__slug="lapas-luwuk", year=2024).latest("id")


@pytest.fixture
def luwuk_pdf(luwuk, tmp_path):
    return renaksi_pdf(agreement=luwuk).content


def test_the_pdf_prints_the_office_columns_with_status_and_remarks(luwuk_pdf, tmp_path):
    text = _flat(_pdftotext(luwuk_pdf, tmp_path))
    for column in ("Capaian", "Status Pelaksanaan", "Keterangan", "Data Dukung"):
        assert column in text
    # KETERANGAN of the food IKK, as the office wrote it (the blocked budget)
    assert "Terdapat pagu blokir sebesar Rp. 464.229.000" in text
    assert "Berjalan" in text  # STATUS PELAKSANAAN
    # CAPAIAN of TW I, as the office wrote it
    assert "telah dilaksanakan pengadaan bahan makanan warga binaan bulann januari-februari" in text


def test_the_title_names_the_ministry_of_the_plans_year(luwuk, tmp_path):
    OrganisationName.objects.update_or_create(
        unit=None, valid_from=2025, defaults={"name": "Kementerian Imigrasi dan Pemasyarakatan"}
    )
    text = _flat(_pdftotext(renaksi_pdf(agreement=luwuk).content, tmp_path))
    assert (
        "RENCANA KEGIATAN PERJANJIAN KINERJA DI LINGKUNGAN KEMENTERIAN HUKUM DAN HAK ASASI MANUSIA "
        "LEMBAGA PEMASYARAKATAN KELAS IIB LUWUK TAHUN 2024"
    ) in text
    assert "IMIGRASI" not in text  # the 2025 name is not the 2024 plan's


def test_the_office_formula_is_kept_with_the_computed_one_under_it(luwuk, luwuk_pdf, tmp_path):
    food = luwuk.indicators.get(goal__number=1, number=1, indicator__level=Level.IKK)
    assert food.formula_text.startswith("% Pemenuhan Layanan Makanan =A/B x 100%")
    text = _flat(_pdftotext(luwuk_pdf, tmp_path))
    assert "% Pemenuhan Layanan Makanan =A/B x 100% Keterangan: A = Jumlah" in text
    assert "Rumus Kinerja: A / B × 100; A = Jumlah" in text


def test_no_word_is_broken_inside_a_cell(luwuk, luwuk_pdf, tmp_path):
    # -layout: line by line as printed (plain pdftotext joins "Pemasya-" with "rakatan")
    layout = _pdftotext(luwuk_pdf, tmp_path, "-layout")
    assert not re.search(r"\bDokum\b", layout)
    assert re.search(r"\s1 Dokumen\s", layout)  # a target and its unit on one line
    # Every word of the PDF is a word of the page it was printed from: a word broken at the end
    # of a line ("Dokum" + "en", "Pemasya-" + "rakatan") is not.
    page = html.unescape(re.sub(r"<[^>]+>", " ", renaksi_html(agreement=luwuk)))
    source = _words(page)
    printed = {w for w in _words(layout) if not w.isdigit()}
    assert printed - source == set()


def _overflowing(agreement) -> list[str]:
    """The pieces of text of the printed page that run past the right edge of their cell."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    document = HTML(string=renaksi_html(agreement=agreement)).render()
    over: list[str] = []

    def walk(box, cell=None):
        if isinstance(box, boxes.TableCellBox):
            cell = box
        if isinstance(box, boxes.TextBox) and cell is not None:
            if box.position_x + box.width > cell.content_box_x() + cell.width + 0.01:
                over.append(box.text)
        for child in getattr(box, "children", ()):
            walk(child, cell)

    for page in document.pages:
        walk(page._page_box)  # WeasyPrint's laid-out boxes
    return over


def test_no_text_runs_out_of_its_cell(luwuk):
    assert _overflowing(luwuk) == []


def test_a_web_address_in_data_dukung_stays_in_its_cell_and_reads_whole(world, tmp_path):
    renaksi_import(unit=world.luwuk, year=2024, data=XLSX.read_bytes(), filename=XLSX.name)
    plan = PerjanjianKinerja.objects.get(unit=world.luwuk, year=2024)
    link = (
        "https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789?usp=sharing"
    )
    RAQuarter.objects.filter(pk_indicator__agreement=plan, quarter=1).update(
        evidence_expected=f"Laporan <b>{link}</b>"
    )
    assert _overflowing(plan) == []
    page = renaksi_html(agreement=plan)
    assert "Laporan &lt;b&gt;https:<wbr>/<wbr>/<wbr>drive.<wbr>google." in page  # escaped
    text = "".join(_pdftotext(renaksi_pdf(agreement=plan).content, tmp_path).split())
    assert f"Laporan<b>{link}</b>" in text.replace("\u200b", "")


def test_the_signature_stays_with_the_end_of_the_table(luwuk, luwuk_pdf, tmp_path):
    pages = _pdftotext(luwuk_pdf, tmp_path).split("\f")
    last = _flat(next(p for p in reversed(pages) if p.strip()))
    assert "Endi Wahyudi" in last and "NIP. 197009121993031001" in last
    # with the last indicator's rows, not alone on its page
    assert "5. Jumlah Layanan Perkantoran" in last and "TW IV" in last
    assert "733.060.000" in last  # its TW IV RPD


def test_the_signature_is_never_alone_whatever_the_page_height(luwuk):
    """Pages made shorter step by step, so the table ends at many places on its last page: the
    signature always shares its page with the last TW rows (without the keep rules, a bottom
    margin of 30 mm left it alone on the Luwuk plan)."""
    from weasyprint import CSS, HTML
    from weasyprint.formatting_structure import boxes

    def texts(box):
        if isinstance(box, boxes.TextBox):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from texts(child)

    page = renaksi_html(agreement=luwuk)
    alone = []
    for margin in range(12, 60, 3):
        shorter = CSS(string=f"@page {{ margin-bottom: {margin}mm !important }}")
        document = HTML(string=page).render(stylesheets=[shorter])
        last = " ".join(texts(document.pages[-1]._page_box))
        assert "Endi Wahyudi" in last
        if "TW IV" not in last:
            alone.append(margin)
    assert alone == []


def test_the_workbook_prints_landscape_on_the_width_of_a4_with_its_header(luwuk):
    ws = openpyxl.load_workbook(io.BytesIO(renaksi_xlsx(agreement=luwuk).content)).active
    setup = ws.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
    assert ws.print_title_rows == "$4:$4"
    assert ws.page_margins.left <= 0.5 and ws.page_margins.right <= 0.5
    assert "Halaman &P dari &N" in ws.oddFooter.right.text
    assert "KEMENTERIAN HUKUM DAN HAK ASASI MANUSIA" in ws["A1"].value
    assert ws["N4"].value == "STATUS PELAKSANAAN" and ws["N5"].value == "Berjalan"
    assert ws["O5"].value == "Terdapat pagu blokir sebesar Rp. 464.229.000"
    # the office's formula as the value, the computed one as a note beside it
    assert ws["D5"].value.startswith("% Pemenuhan Layanan Makanan =A/B x 100%")
    assert ws["D5"].comment.text.startswith("Rumus Kinerja: A / B × 100")


def test_the_exported_workbook_imports_again_as_the_same_plan_with_the_office_formulas(world):
    renaksi_import(unit=world.luwuk, year=2024, data=XLSX.read_bytes(), filename=XLSX.name)
    plan = PerjanjianKinerja.objects.get(unit=world.luwuk, year=2024)

    def formulas(agreement):
        return [
            (r.indicator.code, r.formula_text)
            for r in agreement.indicators.select_related("indicator").order_by("id")
        ]

    before, office = dump(plan), formulas(plan)
    assert office[0][1].startswith("% Pemenuhan Layanan Makanan")
    export = renaksi_xlsx(agreement=plan)
    renaksi_import(unit=world.luwuk, year=2024, data=export.content, filename=export.filename)
    again = PerjanjianKinerja.objects.get(unit=world.luwuk, year=2024)
    assert dump(again) == before
    assert formulas(again) == office  # not replaced by the catalogue's text
    # and so the office's own flaws travel with it: the formula whose numerator is its
    # denominator (IND-01) as well as the two RPD mismatches, as the office's file gives them
    office_file = renaksi_check(data=XLSX.read_bytes(), filename=XLSX.name).plan.warnings
    exported = renaksi_check(data=export.content, filename=export.filename).plan.warnings
    assert sorted(w.field for w in exported) == sorted(w.field for w in office_file)
    assert sorted(w.field for w in exported) == ["formula", "rpd", "rpd"]
    assert {w.message for w in exported if w.field == "rpd"} == {
        w.message for w in office_file if w.field == "rpd"
    }


# --- the Perjanjian Kinerja against the signed one (Atambua 2023) ----------------------------------


def test_the_pk_reads_as_the_signed_one(demo):
    pk = docx.Document(io.BytesIO(reports.generate("pk", demo, 2023, "docx").content))
    text = "\n".join(p.text for p in pk.paragraphs)
    assert (
        "PERJANJIAN KINERJA TAHUN 2023\nKEPALA LEMBAGA PEMASYARAKATAN KELAS IIB ATAMBUA DENGAN\n"
        "KEPALA KANTOR WILAYAH KEMENTERIAN HUKUM DAN HAM NTT"
    ) in text
    assert "Selanjutnya disebut Pihak Pertama" in text
    assert "Selaku atasan Pihak Pertama, selanjutnya disebut Pihak Kedua" in text
    rows = [[c.text for c in r.cells] for t in pk.tables for r in t.rows if len(r.cells) == 4]
    # an indicator alone under its goal is not numbered; several are
    assert any(r[2] == "Indeks keamanan dan ketertiban UPT Pemasyarakatan" for r in rows)
    assert any(r[2] == "1. Indeks Kepuasan Layanan Pemasyarakatan" for r in rows)
    # the position titles over two lines, as signed
    signatures = [c.text for t in pk.tables for c in t._cells if "Pihak Pertama," in c.text]
    assert signatures and all(
        "Kepala Lembaga Pemasyarakatan\nKelas IIB Atambua" in s for s in signatures
    )
    assert len(signatures) == 2  # statement page and tables page


def test_position_titles_split_before_the_ministry_or_the_class():
    assert pk_doc.title_lines("Kepala Kantor Wilayah Kementerian Hukum dan HAM NTT") == [
        "Kepala Kantor Wilayah",
        "Kementerian Hukum dan HAM NTT",
    ]
    assert pk_doc.title_lines("Kepala Rutan Kelas IIB Kefamenanu") == [
        "Kepala Rutan",
        "Kelas IIB Kefamenanu",
    ]
    assert pk_doc.title_lines("Kepala Seksi") == ["Kepala Seksi"]


def test_a_unit_without_ministry_name_keeps_the_plain_title(luwuk, tmp_path):
    OrganisationName.objects.filter(unit=None).delete()
    html_text = renaksi_html(agreement=luwuk)
    assert "RENCANA KEGIATAN PERJANJIAN KINERJA</h1>" in html_text
    assert Unit.objects.get(slug="lapas-luwuk").name.upper() + " TAHUN 2024" in html_text
