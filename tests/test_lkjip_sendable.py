"""An LKjIP the facility can send as it is (issue 18): the parts an official report has, in Word and
in the PDF; no placeholder and no wording about Kinerja itself in a final report; the notes that
explain figures which differ; charts that say when they have no data; the comparison with the
region and the nation taken from the same roll-up as the dashboards."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from decimal import Decimal

import docx
import pytest

from kinerja.core.formatting import format_percent, format_rupiah
from kinerja.core.render import charts, docx_render, pdf_render
from kinerja.dashboards.rollup import rollup
from kinerja.documents import lkjip
from kinerja.documents.lkjip import data as lkjip_data_module
from kinerja.organizations.models import Person, Unit
from kinerja.planning.models import PerjanjianKinerja
from kinerja.reporting.models import AnnualReport
from tests.conftest import require

YEAR = 2023

# What an official report must have, as the reader finds it in the text.
PARTS = {
    "cover letter: number": r"Nomor\s*:",
    "cover letter: nature": r"Sifat\s*:",
    "cover letter: attachment": r"Lampiran\s*:",
    "cover letter: subject": r"Hal\s*:\s*Laporan Kinerja Instansi Pemerintah",
    "cover letter: addressee": r"Yth\. Kepala Kantor Wilayah",
    "cover letter: copies": r"Tembusan:",
    "list of tables": r"DAFTAR TABEL",
    "list of figures": r"DAFTAR GAMBAR",
    "organisation chart": r"Gambar 1\.1 Struktur Organisasi",
    "e-Performance": r"Pemantauan Perjanjian Kinerja \(e-Performance\)",
    "national comparison": r"Perbandingan dengan capaian wilayah dan nasional",
    "TARJA evidence appendix": r"Data Dukung Target Kinerja \(TARJA\)",
    "decree: considerations": r"Menimbang",
    "decree: legal basis": r"Mengingat",
    "decree: decisions": r"MEMUTUSKAN",
    "decree: first decision": r"KESATU",
    "rounding rule": r"dipotong pada dua angka desimal",
}
# Wording that belongs to the system, not to an official text, and placeholders.
FORBIDDEN = [
    "(Uraikan",
    "(Tuliskan",
    "Angka dari LKjIP",
    "tanpa data hitungan",
    "Efisiensi (capaian",
    "di Kinerja",
    "data Kinerja",
]


def _word_text(content: bytes) -> str:
    word = docx.Document(io.BytesIO(content))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _pdf_text(content: bytes, tmp_path) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    path = tmp_path / "lkjip.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _final(unit: Unit):
    """The report laid out as final (the demo's review has open errors, which would make the file
    a draft; the layout of a final report is what is checked here)."""
    return lkjip.build(lkjip.gather(unit, YEAR), draft=False)


def test_a_final_lkjip_has_every_part_in_word_and_pdf_and_no_internal_wording(demo, tmp_path):
    AnnualReport.objects.filter(unit=demo, year=YEAR).update(letter_number="W.22-PR.04.03-08")
    document = _final(demo)
    word = _word_text(docx_render.render(document))
    pdf = _pdf_text(pdf_render.render_pdf(document), tmp_path)
    for medium, text in (("Word", word), ("PDF", pdf)):
        flat = re.sub(r"\s+", " ", text)
        missing = [part for part, pattern in PARTS.items() if not re.search(pattern, flat)]
        assert not missing, f"{medium}: missing {missing}"
        found = [w for w in FORBIDDEN if w in flat]
        assert not found, f"{medium}: internal wording or placeholders {found}"
        assert "W.22-PR.04.03-08" in flat
    # No table has a column about where a figure came from.
    for table in document.tables():
        titles = [c.title for c in table.columns]
        assert "Sumber" not in titles, table.caption


def test_every_table_and_figure_is_listed_in_the_lists_in_order(demo):
    document = _final(demo)
    tables = document.captions("tables")
    figures = document.captions("figures")
    assert any(c.startswith("Tabel 3.") for c in tables)
    assert "Gambar 1.1 Struktur Organisasi Lembaga Pemasyarakatan Kelas IIB Atambua" in figures
    assert any(c.startswith("Grafik 3.1 Capaian IKK") for c in figures)
    kinds = [b.kind for s in document.sections for b in s.blocks if type(b).__name__ == "Contents"]
    assert kinds == ["headings", "tables", "figures"]
    # Front matter in roman numerals, the letter and the cover without page numbers.
    assert [s.numbering for s in document.sections[:4]] == ["none", "none", "roman", "arabic"]


def test_the_comparison_with_region_and_nation_is_the_dashboards_roll_up(demo):
    report = lkjip.gather(demo, YEAR)
    nation = Unit.objects.get(kind="directorate")
    national = rollup(nation, YEAR)
    compared = 0
    for ikk in report.ikks:
        region_figure, nation_figure = report.areas[ikk.code]
        assert region_figure is not None and region_figure.area == demo.parent.name
        item = national.indicator(ikk.code)
        assert nation_figure.reporting == item.aggregate.reporting
        assert nation_figure.realisation == item.aggregate.realisation
        compared += 1
    assert compared == len(report.ikks) > 20
    # The table prints the national figure as the dashboards do.
    code = report.ikks[0].code
    document = _final(demo)
    table = next(
        t
        for t in document.tables()
        if t.caption.endswith(f"{code} Dibandingkan Wilayah dan Nasional {YEAR}")
    )
    national_row = table.body_rows()[-1]
    assert national_row[0].text == nation.name
    achievement = national.indicator(code).aggregate.achievement
    assert national_row[3].text == format_percent(achievement.capped)


def test_the_chart_of_achievements_keeps_every_ikk_and_says_why_one_has_no_bar(demo, monkeypatch):
    seen = {}
    real = charts.achievement_bars

    def spy(labels, values, target_line=100, texts=None):
        seen.update(labels=labels, values=values, texts=texts)
        return real(labels, values, target_line, texts)

    monkeypatch.setattr(charts, "achievement_bars", spy)
    report = lkjip.gather(demo, YEAR)
    lkjip.build(report)
    assert seen["labels"] == [ikk.code for ikk in report.ikks]
    for ikk, value, text in zip(report.ikks, seen["values"], seen["texts"], strict=True):
        if ikk.realisation is not None and ikk.realisation.is_na:
            assert value is None and text == "N/A"
    assert any(v is None for v in seen["values"]), "the demo has an N/A IKK"


def test_a_year_spent_at_once_in_december_is_not_drawn_as_a_monthly_path(demo):
    report = lkjip.gather(demo, YEAR)
    months = tuple(
        lkjip_data_module.Month(
            m,
            Decimal(0),
            Decimal(100 if m == 12 else 0),
            Decimal(0),
            Decimal(100 if m == 12 else 0),
        )
        for m in range(1, 13)
    )
    only_december = dataclasses.replace(
        report, budget=dataclasses.replace(report.budget, months=months)
    )
    document = lkjip.build(only_december)
    captions = document.captions("figures")
    assert not any("per Bulan" in c for c in captions)
    texts = [b.text for s in document.sections for b in s.blocks if hasattr(b, "text")]
    assert any("tidak tercatat per bulan" in t for t in texts)


def test_the_pk_budget_and_the_dipa_are_both_named_with_their_difference(demo):
    report = lkjip.gather(demo, YEAR)
    agreement = PerjanjianKinerja.objects.latest_for(demo, YEAR)
    programmes = sum(i.amount for i in agreement.budget_items.filter(kind="program"))
    pagu = report.budget.total.pagu
    assert programmes != pagu  # the demo's PK budget differs from its DIPA
    note = report.narratives["catatan_anggaran"]
    assert format_rupiah(programmes) in note and format_rupiah(pagu) in note
    assert format_rupiah(abs(programmes - pagu)) in note
    emonev = report.narratives["catatan_emonev"]
    assert format_percent(report.emonev[-1].absorption) in emonev
    assert format_percent(report.budget.total.absorption) in emonev


def test_the_organisation_chart_comes_from_the_units_structural_positions(demo):
    report = lkjip.gather(demo, YEAR)
    titles = {p.title for p in report.positions}
    assert "Kasubag Tata Usaha" in titles and "Ka. KPLP" in titles
    assert "Bendahara" not in titles  # not a structural position
    assert all(p.name != report.signatory.head.name for p in report.positions)
    # A facility whose people carry no position gets a sentence, not an empty chart.
    Person.objects.filter(unit=demo).update(position="")
    document = lkjip.build(lkjip.gather(demo, YEAR))
    assert not any("Struktur Organisasi" in c for c in document.captions("figures"))


@pytest.mark.parametrize("rounding", ["down", "half-up"])
def test_the_rounding_rule_stated_is_the_one_configured(demo, settings, rounding):
    settings.KINERJA_REALISATION_ROUNDING = rounding
    document = lkjip.build(lkjip.gather(demo, YEAR))
    rule = next(
        b.text
        for s in document.sections
        for b in s.blocks
        if hasattr(b, "text") and "dua angka desimal" in b.text
    )
    assert ("ditulis 93,58" in rule) == (rounding == "down")
    assert ("ditulis 93,59" in rule) == (rounding == "half-up")


def _user(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def test_the_planning_officer_fills_the_letter_and_decree_facts_and_the_report_prints_them(
    demo, client, login
):
    url = f"/unit/lapas-atambua/dokumen/{YEAR}/data/"
    form = {
        "place": "Atambua",
        "report_date": "2024-01-02",
        "letter_number": "W.22.PAS.PAS.4-PR.04.03-08",
        "letter_nature": "Segera",
        "letter_attachment": "1 (satu) berkas",
        "decree_number": "W.22.PAS.PAS.4-995-PR.03 TAHUN 2023",
        "decree_date": "2023-12-15",
    }
    # An operator of another facility, and a read-only reader, change nothing.
    for outsider in ("operator.luwuk", "pimpinan"):
        login(_user(outsider))
        assert client.post(url, {**form, "letter_number": "X"}).status_code in (403, 404)
    assert AnnualReport.objects.get(unit=demo, year=YEAR).letter_number != "X"

    login(_user("operator.atambua"))
    page = client.get(f"/unit/lapas-atambua/dokumen/{YEAR}/narasi/").content.decode()
    assert "Data laporan" in page and "Nomor surat pengantar" in page
    # A date outside the report's year and the next: refused at its field, nothing written.
    refused = client.post(url, {**form, "report_date": "1999-01-02", "letter_number": "Y"})
    assert refused.status_code == 422
    assert "Tanggal harus pada tahun 2023 atau 2024." in refused.content.decode()
    assert AnnualReport.objects.get(unit=demo, year=YEAR).letter_number != "Y"

    response = client.post(url, form)
    assert response.status_code == 302
    report = AnnualReport.objects.get(unit=demo, year=YEAR)
    assert report.letter_number == "W.22.PAS.PAS.4-PR.04.03-08"
    assert report.history.first().letter_number == report.letter_number  # history kept
    letter = lkjip.gather(demo, YEAR).letter
    assert (letter.number, letter.nature) == ("W.22.PAS.PAS.4-PR.04.03-08", "Segera")


def _png(size: tuple[int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, "navy").save(out, format="PNG")
    return out.getvalue()


def test_the_letterhead_prints_the_ministrys_name_and_logo_of_the_reports_year(
    demo, settings, tmp_path
):
    from django.core.files.base import ContentFile
    from PIL import Image

    from kinerja.core.render import doc
    from kinerja.organizations.models import OrganisationName

    settings.MEDIA_ROOT = str(tmp_path)
    then = OrganisationName.objects.filter(unit__isnull=True, valid_from__lte=YEAR).latest(
        "valid_from"
    )
    then.logo.save("kemenkumham.png", ContentFile(_png((300, 300))))
    later, _ = OrganisationName.objects.get_or_create(
        unit=None,
        valid_from=YEAR + 2,
        defaults={"name": "Kementerian Imigrasi dan Pemasyarakatan"},
    )
    later.logo.save("kemenimipas.png", ContentFile(_png((200, 100))))
    document = lkjip.build(lkjip.gather(demo, YEAR))
    for section in document.sections[:2]:  # the cover letter and the cover
        logo, letterhead = section.blocks[0], section.blocks[1]
        assert isinstance(logo, doc.Image)
        assert Image.open(io.BytesIO(logo.png)).size == (300, 300)  # 2023's, not 2025's
        assert letterhead.text.splitlines()[0] == then.name.upper()
    # A report of 2025 carries the new ministry's name and logo.
    identity = lkjip.gather(demo, YEAR + 2).identity
    assert identity.letterhead[0] == later.name.upper() != then.name.upper()
    assert Image.open(io.BytesIO(identity.logo)).size == (200, 100)
    # A logo file that is not an image prints no logo rather than failing the report.
    later.logo.save("rusak.png", ContentFile(b"not an image"))
    assert lkjip.gather(demo, YEAR + 2).identity.logo is None


def test_a_table_without_rules_prints_no_lines_in_word_and_pdf():
    """The cover letter's Nomor/Sifat/Lampiran/Hal and the decree's parts are laid out as tables
    without lines, as letters are typed."""
    import zipfile

    from kinerja.core.render import doc

    def table(ruled: bool) -> doc.Document:
        rows = [["Nomor", ":", "W.22-PR.04.03-08"], ["Sifat", ":", "Segera"]]
        cols = [doc.Col("", 2.4), doc.Col("", 0.5), doc.Col("", 10)]
        return doc.Document("Uji", [doc.Section([doc.Table(cols, rows, header=[], ruled=ruled)])])

    def borders(document: doc.Document) -> set[str]:
        xml = zipfile.ZipFile(io.BytesIO(docx_render.render(document))).read("word/document.xml")
        block = re.search(rb"<w:tblBorders>(.*?)</w:tblBorders>", xml).group(1).decode()
        return set(re.findall(r'w:val="(\w+)"', block))

    assert borders(table(False)) == {"nil"}
    assert borders(table(True)) == {"single"}

    def lines(document: doc.Document) -> list:
        grid = pdf_render._grid(document.tables()[0])
        return list(grid._linecmds)

    assert lines(table(False)) == [] and lines(table(True))
