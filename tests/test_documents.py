"""The official documents: LKjIP, Perjanjian Kinerja and Laporan Capaian PK in Word and PDF.

The LKjIP test walks the generated Word tables and compares every figure with what the calculation
module gives from the stored counts, so a document can never disagree with the pages."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import docx
import pytest
from django.core.management import CommandError, call_command

from kinerja import calc
from kinerja.core.formatting import TRIWULAN, format_number
from kinerja.documents import reports
from kinerja.documents.models import DocumentJob, JobStatus
from kinerja.measurement.selectors import year_results
from kinerja.planning.models import PerjanjianKinerja
from tests.conftest import libreoffice_text, require


def _run_worker(monkeypatch) -> None:
    """Run the queued jobs with the real database worker, in this process. The worker closes old
    connections between tasks, which would close the test's own transaction on PostgreSQL."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, stdout=io.StringIO(), stderr=io.StringIO())


def _tables(content: bytes):
    return docx.Document(io.BytesIO(content)).tables


def _rows(table) -> list[list[str]]:
    out = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:  # a merged cell is returned once per grid column
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text.strip())
        out.append(cells)
    return out


def _expected(result) -> tuple[str, str]:
    """Realisation and achievement as the calculation module gives them from the stored counts."""
    indicator = result.row.indicator
    outcome = calc.reported(calc.evaluate(indicator.formula, result.values), "down")
    if outcome.is_na:
        return "N/A", "N/A"
    achieved = calc.achievement(outcome, result.row.target, direction=indicator.direction)
    unit = result.row.target_unit
    number = format_number(outcome.value, 2, trim=True)
    realisation = f"{number}%" if unit == "%" else f"{number} {unit}"
    return realisation, f"{format_number(achieved.capped, 2)}%"


def test_lkjip_word_has_every_part_and_its_figures_equal_the_calculation_module(demo):
    export = reports.generate("lkjip", demo, 2023, "docx")
    # the printed report's own errors are open in the review: the LKjIP is a draft
    assert export.draft and export.filename == "LKjIP-2023-lapas-atambua-DRAF.docx"
    word = docx.Document(io.BytesIO(export.content))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    for part in [
        "KATA PENGANTAR",
        "IKHTISAR EKSEKUTIF",
        "BAB I PENDAHULUAN",
        "B. Tugas, Fungsi dan Struktur Organisasi",
        "E. Isu Strategis",
        "BAB II PERENCANAAN KINERJA",
        "A. Rencana Strategis",
        "B. Perjanjian Kinerja",
        "BAB III AKUNTABILITAS KINERJA",
        "A. Capaian Kinerja Organisasi",
        "B. Realisasi Anggaran",
        "C. Capaian Kinerja Anggaran",
        "D. Capaian Kinerja Lainnya",
        "BAB IV PENUTUP",
        "LAMPIRAN",
        "Lampiran 1. Keputusan Pembentukan Tim Penyusun LKjIP",
        "Lampiran 2. Perjanjian Kinerja Tahun 2023",
        "Lampiran 3. Laporan Capaian Perjanjian Kinerja 2023",
    ]:
        assert part in headings, part
    # one heading per IKK, all 28
    assert sum(1 for h in headings if h.startswith("IKK-")) == 28
    captions = [p.text for p in word.paragraphs if p.text.startswith("Tabel ")]
    for caption in [
        "Jumlah Pegawai",
        "Target Jangka Menengah (Renstra)",
        "Anggaran Program Perjanjian Kinerja",
        "Capaian Kinerja Lembaga Pemasyarakatan Kelas IIB Atambua Tahun 2021-2023",
        "per Kegiatan Tahun 2023",
        "per Jenis Belanja Tahun 2023",
        "per KRO/RO Tahun 2023",
        "Realisasi per Jenis Belanja Tiga Tahun",
        "Nilai SMART DJA dan IKPA 2021-2023",
        "Target Kinerja (TARJA) 2023",
        "IKK Prioritas Nasional 2023",
    ]:
        assert any(caption in c for c in captions), caption

    # Tabel 3.1: every IKK's realisation and achievement equal the calculation module's
    summary = next(
        t for t in word.tables if _rows(t)[0][:3] == ["No", "Sasaran Kegiatan", "Indikator Kinerja"]
    )
    rows = {r[2].split(". ", 1)[1]: r for r in _rows(summary)[2:]}
    agreement = PerjanjianKinerja.objects.latest_for(demo, 2023)
    results = year_results(agreement)
    assert len(rows) == len(results) == 28
    for result in results:
        row = rows[result.row.indicator.name]
        if result.recorded:
            assert (row[4], row[5]) == _expected(result), result.row.indicator.code
        else:
            assert (row[4], row[5]) == ("tidak ada data", "tidak ada data")
    by_code = {r.row.indicator.code: rows[r.row.indicator.name] for r in results}
    assert by_code["IKK-1.3"][3:6] == ["97%", "N/A", "N/A"]  # maternal care: no population
    assert by_code["IKK-4.6"][3:6] == ["6 Unit", "4 Unit", "66,67%"]  # vehicles, not "100%"
    assert by_code["IKK-2.3"][4:6] == ["93,58%", "110,09%"]
    # earlier years exist only as printed: shown and marked
    assert by_code["IKK-1.1"][6:8] == ["133,00%*", "140,00%*"]
    assert by_code["IKK-2.5"][6] == "Nihil*"

    text = "\n".join(p.text for p in word.paragraphs)
    assert "Realisasi = 73 / 78 × 100 = 93,58%" in text
    assert "Capaian = 93,58 / 85 × 100 = 110,09%" in text
    assert "Realisasi: N/A — tidak ada populasi (B = 0)" in text
    # budget tables equal the budget figures of the report
    flat = [cell for t in word.tables for r in _rows(t) for cell in r]
    assert "6.946.743.000" in flat and "6.904.019.875" in flat and "99,38%" in flat
    assert "Capaian Kinerja Anggaran = 60% × nilai SMART DJA" in text
    # staff: the breakdown's total, and the stated total flagged, not copied
    assert (
        "Jumlah pegawai tidak sama: jumlah tertulis 55 orang; rincian per golongan 58 orang; "
        "menurut jenis kelamin 58 orang." in text
    )
    # team decree from the team list of the year
    team = next(
        t
        for t in word.tables
        if _rows(t)[0] == ["No", "Nama / NIP", "Jabatan Kedinasan", "Jabatan dalam Tim"]
    )
    assert len(_rows(team)) == 9 and "NIP. 197008271995031001" in _rows(team)[1][1]
    # the report is dated after its year and signed by the head of record on that date
    assert "Atambua, 02 Januari 2024" in "\n".join(c.text for t in word.tables for c in t._cells)

    # Word structure: repeated header rows, page numbers "Halaman X", contents with page references
    xml = zipfile.ZipFile(io.BytesIO(export.content)).read("word/document.xml").decode()
    assert xml.count("<w:tblHeader/>") >= 2 * 28
    assert "PAGEREF _Toc" in xml
    footers = "".join(
        zipfile.ZipFile(io.BytesIO(export.content)).read(n).decode()
        for n in zipfile.ZipFile(io.BytesIO(export.content)).namelist()
        if n.startswith("word/footer")
    )
    assert "Halaman" in footers and " PAGE " in footers and " NUMPAGES " not in footers
    settings_xml = zipfile.ZipFile(io.BytesIO(export.content)).read("word/settings.xml").decode()
    assert "updateFields" in settings_xml


def test_lkjip_pdf_and_the_word_file_open_in_libreoffice(demo, tmp_path):
    pdf = reports.generate("lkjip", demo, 2023, "pdf")
    assert pdf.content.startswith(b"%PDF")
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    path = tmp_path / "lkjip.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Halaman i\n" in text and "Halaman 1\n" in text  # roman front matter, arabic body
    assert "66,67%" in text and "110,09%" in text and "N/A" in text
    assert "DAFTAR ISI" in text and "BAB III AKUNTABILITAS KINERJA" in text

    word = tmp_path / "lkjip.docx"
    word.write_bytes(reports.generate("lkjip", demo, 2023, "docx").content)
    pages = libreoffice_text(word, tmp_path)
    assert "BAB IV PENUTUP" in pages and "66,67%" in pages


def test_pk_and_quarterly_report_follow_the_atambua_appendix(demo):
    pk = docx.Document(io.BytesIO(reports.generate("pk", demo, 2023, "docx").content))
    text = "\n".join(p.text for p in pk.paragraphs)
    assert "PERJANJIAN KINERJA TAHUN 2023" in text
    assert "Edwar Hadi" in text and "Marciana D. Jone" in text
    assert "Pihak Pertama" in text and "Pihak Kedua" in text
    signatures = "\n".join(c.text for t in pk.tables for c in t._cells)
    assert "Kupang, 16 Januari 2023" in signatures
    assert "NIP. 197208101996031001" in signatures and "NIP. 196411261991032001" in signatures
    heads = [_rows(t)[0] for t in pk.tables if len(_rows(t)) > 1]
    assert ["No.", "Sasaran Strategis", "Indikator Kinerja Utama", "Target"] in heads
    assert ["No.", "Sasaran Program", "Indikator Kinerja Program", "Target"] in heads
    assert ["No.", "Sasaran Kegiatan", "Indikator Kinerja Kegiatan", "Target"] in heads
    budget = next(t for t in pk.tables if _rows(t)[0] == ["Program/Kegiatan", "Anggaran"])
    assert ["Program Pelayanan dan Penegakan Hukum", "Rp 1.911.495.000"] in _rows(budget)

    report = docx.Document(
        io.BytesIO(reports.generate("capaian", demo, 2023, "docx", quarter=4).content)
    )
    table = report.tables[0]
    rows = _rows(table)
    assert rows[0] == [
        "NO",
        "SASARAN KEGIATAN",
        "NO",
        "INDIKATOR KINERJA",
        "TARGET",
        "REALISASI",
        "CATATAN MONITORING",
    ]
    body = rows[2:]
    assert len(body) == 28 * 4  # four quarters per IKK
    food = body[0:4]
    assert food[0][3].startswith("Persentase pemenuhan layanan makanan")
    assert food[0][4] == "80%; TW IV"
    assert [r[5] for r in food] == ["TW I", "TW II", "TW III", "TW IV"]
    assert [r[6] for r in food] == ["20", "20", "20", "20"]
    vehicles = next(i for i, r in enumerate(body) if r[3] == "Jumlah Kendaraan Bermotor")
    tw4 = body[vehicles + 3]
    # 4 units by year end, recorded in TW IV only: the cumulative figure is shown, the TW IV
    # increment (and its quarterly achievement) cannot be computed without TW III. (This test
    # used to expect the increment "4": the whole year counted against TW IV's target, 400%.)
    assert tw4[7] == "Unit" and tw4[8] == "-" and tw4[9] == "-"
    assert "Realisasi s.d. TW IV: 4 Unit" in tw4[10]
    assert "TW III belum diisi, kenaikan TW IV tidak dapat dihitung" in tw4[10]
    maternal = next(i for i, r in enumerate(body) if "maternal" in r[3])
    assert body[maternal + 3][9] == "N/A" and "tidak ada populasi" in body[maternal + 3][10]
    # a TW II report shows no realisation for TW III-IV, even if they are recorded
    early = _rows(
        docx.Document(
            io.BytesIO(reports.generate("capaian", demo, 2023, "docx", quarter=2).content)
        ).tables[0]
    )[2:]
    assert early[3][8] == "" and early[3][10] == ""


def test_document_job_runs_in_the_background_and_only_members_get_the_file(
    world, client, login, monkeypatch, django_capture_on_commit_callbacks
):
    world.draft_pk(2024)
    login(world.users["operator_luwuk"])
    page = client.get("/unit/lapas-luwuk/dokumen/?tahun=2024")
    assert page.status_code == 200 and "Belum ada dokumen" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # enqueued when the job commits
        response = client.post(
            "/unit/lapas-luwuk/dokumen/buat/", {"tahun": 2024, "dokumen": "pk", "format": "docx"}
        )
    assert response.status_code == 302
    job = DocumentJob.objects.get()
    assert job.status == JobStatus.QUEUED and job.task_id
    waiting = client.get("/unit/lapas-luwuk/dokumen/daftar/?tahun=2024").content.decode()
    assert "Menunggu" in waiting and 'hx-trigger="every 2s"' in waiting

    _run_worker(monkeypatch)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100
    done = client.get("/unit/lapas-luwuk/dokumen/daftar/?tahun=2024").content.decode()
    assert "Selesai" in done and "every 2s" not in done
    download = client.get(f"/unit/lapas-luwuk/dokumen/{job.id}/unduh/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert "Perjanjian-Kinerja-2024-lapas-luwuk.docx" in download["Content-Disposition"]
    assert "Endi Wahyudi" in "\n".join(
        p.text for p in docx.Document(io.BytesIO(content)).paragraphs
    )

    # a quarterly report without a quarter is refused with a message, no job recorded
    client.post(
        "/unit/lapas-luwuk/dokumen/buat/", {"tahun": 2024, "dokumen": "capaian", "format": "pdf"}
    )
    assert DocumentJob.objects.count() == 1

    # the Atambua operator is an outsider to Luwuk: nothing, not even that the job exists
    login(world.users["operator_atambua"])
    for url in [
        "/unit/lapas-luwuk/dokumen/?tahun=2024",
        "/unit/lapas-luwuk/dokumen/daftar/?tahun=2024",
        f"/unit/lapas-luwuk/dokumen/{job.id}/unduh/",
        "/unit/lapas-luwuk/dokumen/2024/narasi/",
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            "/unit/lapas-luwuk/dokumen/buat/", {"tahun": 2024, "dokumen": "pk", "format": "pdf"}
        ).status_code
        == 404
    )
    assert DocumentJob.objects.count() == 1


def test_a_failed_job_says_why(world, monkeypatch, django_capture_on_commit_callbacks):
    from kinerja.documents import services

    with django_capture_on_commit_callbacks(execute=True):  # enqueued when the job commits
        job = services.job_start(unit=world.luwuk, kind="pk", year=2030, fmt="pdf")
    _run_worker(monkeypatch)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Lapas Kelas IIB Luwuk belum memiliki Perjanjian Kinerja tahun 2030."


def test_narratives_start_from_drafts_written_from_the_data_and_edits_are_kept(demo, client, login):
    from kinerja.documents import drafts, lkjip_data

    data = lkjip_data.gather(demo, 2023)
    summary = drafts.draft(data, "ikhtisar")
    groups = data.groups()
    assert f"- {len(groups['kurang'])} IKK belum mencapai target" in summary
    assert "Jumlah Kendaraan Bermotor: target 6 Unit, realisasi 4 Unit, capaian 66,67%" in summary
    assert "Persentase Tahanan dan Narapidana perempuan" in summary  # listed as no population
    assert "Pagu anggaran sebesar Rp 6.946.743.000 terealisasi Rp 6.904.019.875 (99,38%)" in summary

    operator = next(
        u
        for u in __import__("django.contrib.auth", fromlist=["get_user_model"])
        .get_user_model()
        .objects.filter(username="operator.atambua")
    )
    login(operator)
    page = client.get("/unit/lapas-atambua/dokumen/2023/narasi/").content.decode()
    assert "draf otomatis" in page and "Jumlah Kendaraan Bermotor" in page
    response = client.post(
        "/unit/lapas-atambua/dokumen/2023/narasi/",
        {
            "s-isu_strategis": "Pagu rehab gedung kantor diblokir.\n- Kurang pegawai",
            "s-saran": drafts.draft(data, "saran"),
        },
    )
    assert response.status_code == 302
    assert list(data.report.sections.values_list("key", flat=True)) == ["isu_strategis"]
    word = docx.Document(io.BytesIO(reports.generate("lkjip", demo, 2023, "docx").content))
    paragraphs = [p.text for p in word.paragraphs]
    assert "Pagu rehab gedung kantor diblokir." in paragraphs and "Kurang pegawai" in paragraphs
    # an empty section is refused, nothing saved; reset goes back to the draft
    response = client.post(
        "/unit/lapas-atambua/dokumen/2023/narasi/",
        {"s-isu_strategis": "  ", "s-saran": "Tambah pelatihan."},
    )
    assert "kosong" in response.content.decode()
    assert data.report.sections.count() == 1
    client.post("/unit/lapas-atambua/dokumen/2023/narasi/", {"reset-isu_strategis": "1"})
    assert data.report.sections.count() == 0


def test_report_command_writes_each_document(world, tmp_path):
    world.draft_pk(2024)
    out = io.StringIO()
    call_command(
        "report",
        "pk",
        "--unit",
        "lapas-luwuk",
        "--year",
        "2024",
        "-o",
        str(tmp_path / "pk.pdf"),
        stdout=out,
    )
    assert (tmp_path / "pk.pdf").read_bytes().startswith(b"%PDF")
    assert "pk.pdf ditulis" in out.getvalue()
    call_command(
        "report",
        "capaian",
        "--unit",
        "lapas-luwuk",
        "--year",
        "2024",
        "--quarter",
        "1",
        "--format",
        "docx",
        "-o",
        str(tmp_path / "c"),
        stdout=io.StringIO(),
    )
    assert zipfile.is_zipfile(tmp_path / "c")
    with pytest.raises(CommandError, match="triwulan 1-4"):
        call_command(
            "report",
            "capaian",
            "--unit",
            "lapas-luwuk",
            "--year",
            "2024",
            "-o",
            str(tmp_path / "x.pdf"),
        )
    with pytest.raises(CommandError, match="belum memiliki Perjanjian Kinerja tahun 2019"):
        call_command(
            "report",
            "pk",
            "--unit",
            "lapas-luwuk",
            "--year",
            "2019",
            "-o",
            str(tmp_path / "y.docx"),
        )


def test_charts_are_images_that_match_their_figures():
    from kinerja.core.render import charts

    png = charts.achievement_bars(["IKK-1.1", "IKK-1.3"], [Decimal("125"), None])
    assert png.startswith(b"\x89PNG")
    bars = charts.grouped_bars(["2022", "2023"], {"51 Pegawai": [Decimal("3601507881"), None]})
    assert bars.startswith(b"\x89PNG") and bars != png


def test_an_achievement_reads_the_same_on_the_results_page_and_in_the_documents(demo, client):
    """110,09% on the page is 110,09% in the LKjIP, and 100,00% is never '100' on one and '100,00%'
    on the other: the page's percent filter and the documents share core.formatting's rule."""
    import re

    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from kinerja.core.formatting import format_percent

    client.force_login(get_user_model().objects.get(username="operator.atambua"))
    html = client.get(reverse("results", args=[demo.slug]) + "?tahun=2023").content.decode()
    page_rows = {}
    for chunk in html.split('<tr class="row-')[1:]:
        code = re.search(r"<strong>(IKK-[\d.]+)</strong>", chunk)
        yearly = re.search(r'<span class="lvl lvl-(?:good|warning|bad)">([^<]*)</span>', chunk)
        quarterly = re.findall(r"<td>(TW I+V?|TW IV)</td>(?:<td[^>]*>[^<]*</td>){3}"
                               r'<td class="num">([^<]*)</td>', chunk)  # fmt: skip
        if code:
            page_rows[code[1]] = (yearly[1] if yearly else None, dict(quarterly))

    word = docx.Document(io.BytesIO(reports.generate("lkjip", demo, 2023, "docx").content))
    summary = next(
        t for t in word.tables if _rows(t)[0][:3] == ["No", "Sasaran Kegiatan", "Indikator Kinerja"]
    )
    lkjip = {r[2].split(". ", 1)[1]: r[5] for r in _rows(summary)[2:]}
    capaian = _rows(
        docx.Document(
            io.BytesIO(reports.generate("capaian", demo, 2023, "docx", quarter=4).content)
        ).tables[0]
    )[2:]

    results = year_results(PerjanjianKinerja.objects.latest_for(demo, 2023))
    compared, whole = 0, 0
    for index, result in enumerate(results):
        if not result.achievement or result.achievement.is_na:
            continue
        code = result.row.indicator.code
        shown = format_percent(result.achievement.capped)
        assert page_rows[code][0] == shown == lkjip[result.row.indicator.name], code
        compared += 1
        whole += shown.endswith(",00%") or shown[-2] == "0"
        for fig in result.quarter_figures:
            if fig.achievement is None:
                continue
            in_report = capaian[index * 4 + fig.quarter - 1][9]  # the '(%)' column
            assert page_rows[code][1][TRIWULAN[fig.quarter]] == f"{in_report}%", (code, fig)
    assert compared >= 15  # 18 IKK of Atambua 2023 have an achievement (the others N/A or empty)
    assert whole  # at least one figure whose trailing zero the old page filter dropped
    assert "110,09%" in page_rows["IKK-2.3"][0]
