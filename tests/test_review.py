"""The review on stored data: the demo facilities' known defects, a clean facility-year without a
single finding, plans from workbooks the tests have not seen, acceptance by the head, access,
the workflow (quarter submission, the LKjIP's final version) and the outputs."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from kinerja.documents import reports
from kinerja.documents.models import DocumentJob
from kinerja.imports.services import renaksi_import
from kinerja.measurement.services import evidence_add, quarter_transition, realization_save
from kinerja.organizations.models import HeadAppointment, StaffRankCount, StaffReport, Unit
from kinerja.planning import services as planning
from kinerja.reporting.models import AnnualReport
from kinerja.review import exporters
from kinerja.review.models import Acceptance, ReviewRun
from kinerja.review.services import finding_accept, finding_withdraw, review_run
from tests.conftest import blank_pdf, require, year_in_order

PDF = blank_pdf()


def by_rule(review, rule_id):
    return [f for f in review.findings if f.rule == rule_id]


def messages_of(review, rule_id):
    return " | ".join(f.message for f in by_rule(review, rule_id))


# --- the demo facilities ----------------------------------------------------------------------


def test_luwuk_2024_reports_both_rpd_mismatches_and_the_education_formula(demo):
    review = review_run(unit=Unit.objects.get(slug="lapas-luwuk"), year=2024)
    rpd = by_rule(review, "ANG-01")
    assert len(rpd) == 2, [f.message for f in rpd]
    text = messages_of(review, "ANG-01")
    assert "Penegakkan Keamanan dan Ketertiban" in text
    assert "Rp 77.545.000" in text and "Rp 67.345.000" in text and "lebih Rp 10.200.000" in text
    assert "Layanan perkantoran" in text and "kurang Rp 50.000" in text
    assert all(f.severity == "error" and "/rencana-aksi/" in f.link for f in rpd)
    formula = by_rule(review, "IND-01")
    assert len(formula) == 1 and formula[0].message.startswith("IKK-2.4")
    assert "pembilang dan penyebut sama" in formula[0].message
    assert review.blocks_final


def test_atambua_2023_reports_what_its_printed_report_gets_wrong(demo):
    review = review_run(unit=Unit.objects.get(slug="lapas-atambua"), year=2023)
    zero = messages_of(review, "CAP-01")
    for code in ("IKK-1.3", "IKK-1.4", "IKK-1.8", "IKK-3.1", "IKK-3.2"):
        assert f"{code}: tertulis realisasi" in zero, code
    assert "IKK-1.3: tertulis realisasi 97,00% dan capaian 100,00%" in zero
    over = messages_of(review, "CAP-02")
    assert "IKK-4.6: capaian tertulis 100,00% padahal realisasi 4 Unit dari target 6 Unit" in over
    assert "66,67%" in over
    assert "IKK-4.7" in over and "IKK-4.8" in over
    assert "capaian tertulis 110,00%, hitungan 110,09%" in messages_of(review, "CAP-03")
    staff = messages_of(review, "PEG-01")
    assert "jumlah tertulis = 55" in staff and "laki-laki 49 + perempuan 9 = 58" in staff
    assert "197208103996031001" in messages_of(review, "PEG-02")
    other = messages_of(review, "PEG-03")
    assert "Edwar Hadi tertulis dengan 3 NIP berbeda" in other
    assert "197206101996031001" in other and "197208101996031001" in other
    assert "Bistok Olean Situngkir" in messages_of(review, "PEG-04")
    assert "BAB IV Penutup bertanggal 02 Januari 2023" in messages_of(review, "DOK-01")
    assert "IKK-4.8" in messages_of(review, "REN-01") and "(11,00)" in messages_of(review, "REN-01")
    totals = messages_of(review, "ANG-04")
    assert "Rp 19.029.668.000" in totals and "Rp 6.946.743.000" in totals and "Rp 281" in totals
    run = ReviewRun.objects.get(unit__slug="lapas-atambua", year=2023)
    assert run.errors == review.open_errors > 0


def test_the_command_prints_every_finding_as_json_and_fails_on_errors(demo):
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("reviu", "--unit", "lapas-luwuk", "--year", "2024", "--json", stdout=out)
    assert exit_info.value.code == 1
    data = json.loads(out.getvalue())
    assert data["ringkasan"]["final_diblokir"] is True
    rules = {(f["aturan"], f["tingkat"]) for f in data["temuan"]}
    assert ("ANG-01", "error") in rules and ("IND-01", "warning") in rules
    rpd = [f for f in data["temuan"] if f["aturan"] == "ANG-01"]
    assert all(f["pesan"] and f["letak"].startswith("Rencana Aksi") for f in rpd)
    assert data["ringkasan"]["galat"] == len([f for f in data["temuan"] if f["tingkat"] == "error"])


def test_the_auditors_get_the_findings_as_xlsx_and_pdf(demo, tmp_path):
    unit = Unit.objects.get(slug="lapas-luwuk")
    review = review_run(unit=unit, year=2024)
    book = openpyxl.load_workbook(io.BytesIO(exporters.review_xlsx(review).content))
    rows = list(book.active.iter_rows(values_only=True))
    header = rows[3]
    assert header[:8] == ("No", "Tingkat", "Bagian", "Aturan", "Judul", "Temuan", "Letak", "Status")
    body = rows[4:]
    assert len(body) == len(review.findings)
    assert any(r[3] == "ANG-01" and "Rp 10.200.000" in r[5] and r[7] == "Terbuka" for r in body)
    pdf = exporters.review_pdf(review)
    assert pdf.content.startswith(b"%PDF") and pdf.filename == "Reviu-2024-lapas-luwuk.pdf"
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    path = tmp_path / pdf.filename
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())  # cells wrap their lines
    assert "HASIL REVIU KINERJA" in text and "Rp 10.200.000" in text and "ANG-01" in text


# --- a clean facility-year --------------------------------------------------------------------


@pytest.fixture
def clean_year(world):
    """Luwuk 2024 with everything in order: head of record, PK with targets, Rencana Aksi whose
    quarters add up and RPD equals pagu, Renstra targets, staff, report dates, and TW I results
    with evidence."""
    luwuk = world.luwuk
    HeadAppointment.objects.create(
        unit=luwuk, person=world.head_person, title="Kepala Lapas", start=dt.date(2023, 3, 1)
    )
    agreement = world.draft_pk(2024)
    year_in_order(agreement)
    staff = StaffReport.objects.create(
        unit=luwuk, year=2024, as_of=dt.date(2024, 12, 31), stated_total=40, men=31, women=9
    )
    StaffRankCount.objects.create(report=staff, rank="III/a", count=25)
    StaffRankCount.objects.create(report=staff, rank="II/c", count=15)
    AnnualReport.objects.create(
        unit=luwuk,
        year=2024,
        place="Luwuk",
        report_date=dt.date(2025, 1, 6),
        decree_date=dt.date(2024, 12, 16),
    )
    planning.pk_sign(agreement=agreement, by=world.users["head_luwuk"])
    agreement.refresh_from_db()
    for row in agreement.indicators.filter(indicator__level="ikk").select_related(
        "indicator", "agreement"
    ):
        values = {v.symbol: Decimal(1) for v in row.indicator.variables.all()}
        realization_save(pk_indicator=row, quarter=1, values=values)
        evidence_add(pk_indicator=row, quarter=1, data=PDF, filename="laporan.pdf")
    return agreement


def test_a_clean_facility_year_has_no_finding_at_all(
    clean_year, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the review runs after the commit
        quarter_transition(
            agreement=clean_year, quarter=1, action="submit", by=world.users["operator_luwuk"]
        )
    run = ReviewRun.objects.get(unit=world.luwuk, year=2024)
    assert run.trigger == "pengajuan TW I 2024"
    assert (run.errors, run.warnings, run.notes) == (0, 0, 0)
    review = review_run(unit=world.luwuk, year=2024)
    assert [f.message for f in review.findings] == []
    assert not review.blocks_final


@pytest.mark.django_db(transaction=True)  # the review runs when the submission commits
def test_submitting_a_quarter_runs_the_review_and_reports_what_it_found(clean_year, world, login):
    """One result without evidence: the submission succeeds and says the review found it."""
    first = clean_year.indicators.filter(indicator__level="ikk").order_by("goal__number", "number")[
        0
    ]
    realization = first.realizations.get(quarter=1)
    realization.evidence.all().delete()
    client = login(world.users["operator_luwuk"])
    response = client.post(
        "/unit/lapas-luwuk/realisasi/2024/tw/1/status/", {"action": "submit"}, follow=True
    )
    text = response.content.decode()
    assert "Reviu 2024: 0 galat, 1 peringatan, 0 catatan terbuka" in text
    review = review_run(unit=world.luwuk, year=2024)
    assert [f.rule for f in review.findings] == ["DUK-01"]
    assert first.indicator.code in review.findings[0].message


# --- plans from workbooks the tests have not seen ---------------------------------------------

GOAL = (
    "1. Meningkatnya pelayanan perawatan narapidana/tahanan/anak, pengendalian penyakit menular "
    "dan peningkatan kualitas hidup narapidana peserta rehabilitasi narkotika di wilayah"
)


def palu_workbook() -> bytes:
    """Another office's layout, for Luwuk: its own sheet name, money as 'Rp.' text, a formula
    whose numerator is its denominator, an empty formula, RPD above the pagu, realisation above
    the pagu, and a TW IV achievement labelled 'TW III'."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "RENAKSI 2025"
    ws.append(["RENCANA AKSI LAPAS KELAS IIB LUWUK TAHUN 2025"])
    ws.append([])
    ws.append(
        [
            "Sasaran Kegiatan",
            "Indikator Kinerja",
            "Target",
            "Rumus Perhitungan",
            "Kegiatan",
            "Pagu",
            "Rencana Penarikan Dana",
            "Realisasi Anggaran",
            "Rencana Kegiatan",
            None,
            "Capaian",
            None,
            "Data Dukung",
            "Status Pelaksanaan",
            "Keterangan",
        ]
    )
    plans = [
        (
            "1. Persentase pemenuhan layanan makanan bagi tahanan / narapidana / anak sesuai standar",
            "90%",
            "X = Jumlah anak yang mendapat makan / Jumlah anak yang mendapat makan x 100%",
            "Pengadaan bahan makanan",
            "Rp. 1.200.000.000",
            ["Rp. 300.000.000", "Rp. 300.000.000", "Rp. 300.000.000", "Rp. 350.000.000"],
            ["-", "-", "-", "-"],
            ["TW I", "TW II", "TW III", "TW IV"],
        ),
        (
            "2. Persentase tahanan/narapidana/anak mendapatkan layanan kesehatan preventif secara berkualitas",
            "95%",
            "",
            "Perawatan kesehatan",
            "Rp. 40.000.000",
            ["Rp. 10.000.000"] * 4,
            ["Rp. 20.000.000", "Rp. 22.500.000", "-", "-"],
            ["Capaian TW I", "Capaian TW II", "Capaian TW III", "Realisasi TW III: 100%"],
        ),
    ]
    for indicator, target, formula, activity, pagu, rpd, realised, achieved in plans:
        for q, label in enumerate(["TW I", "TW II", "TW III", "TW IV"]):
            ws.append(
                [
                    GOAL,
                    indicator,
                    target,
                    formula,
                    activity,
                    pagu,
                    rpd[q],
                    realised[q],
                    label,
                    "Rencana",
                    achieved[q],
                    "",
                    "Laporan",
                    "",
                    "",
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_plan_from_an_unseen_workbook_gets_its_defects_reported(world):
    renaksi_import(unit=world.luwuk, year=2025, data=palu_workbook(), filename="palu.xlsx")
    review = review_run(unit=world.luwuk, year=2025)
    assert "lebih Rp 50.000.000" in messages_of(review, "ANG-01")
    assert "Rp 1.250.000.000" in messages_of(review, "ANG-01")
    over = messages_of(review, "ANG-02")
    assert "Rp 42.500.000" in over and "Rp 40.000.000" in over and "lebih Rp 2.500.000" in over
    same = by_rule(review, "IND-01")
    assert len(same) == 1 and same[0].message.startswith("IKK-1.1")
    empty = by_rule(review, "IND-04")
    assert len(empty) == 1 and empty[0].message.startswith("IKK-1.2")
    label = messages_of(review, "REN-03")
    assert "IKK-1.2" in label and "baris TW IV menyebut TW III" in label


# --- acceptance, access ----------------------------------------------------------------------


@pytest.fixture
def findings_2024(world):
    """A draft Luwuk PK 2024 without Rencana Aksi, Renstra or head of record: three findings."""
    world.draft_pk(2024)
    HeadAppointment.objects.filter(unit=world.luwuk).delete()
    review = review_run(unit=world.luwuk, year=2024)
    assert {f.rule for f in review.findings} >= {"REN-02", "REN-05", "PEG-05"}
    return review


def test_the_head_accepts_a_finding_with_an_explanation_and_it_stays_visible(
    world, findings_2024, login
):
    client = login(world.users["head_luwuk"])
    before = ReviewRun.objects.get(unit=world.luwuk, year=2024)
    response = client.post(
        "/unit/lapas-luwuk/reviu/2024/terima/",
        {
            "aturan": "PEG-05",
            "kunci": "pihak-pertama",
            "penjelasan": "SK pengangkatan kepala baru terbit Maret; PK ditandatangani Plt.",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "diterima dengan penjelasan" in page
    assert "SK pengangkatan kepala baru terbit Maret" in page
    assert "Penandatangan PK bukan kepala definitif" in page  # still shown
    after = ReviewRun.objects.get(unit=world.luwuk, year=2024)
    assert after.errors == before.errors - 1 and after.accepted == 1
    review = review_run(unit=world.luwuk, year=2024)
    accepted = by_rule(review, "PEG-05")[0]
    assert accepted.accepted and accepted.acceptance["penjelasan"].startswith("SK pengangkatan")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(exporters.review_xlsx(review).content)).active.iter_rows(
            values_only=True
        )
    )
    assert any(r[3] == "PEG-05" and r[7] == "Diterima" and r[8].startswith("SK") for r in rows)
    acceptance = Acceptance.objects.get(unit=world.luwuk, year=2024, rule="PEG-05")
    client.post(f"/unit/lapas-luwuk/reviu/2024/terima/{acceptance.id}/tarik/")
    review = review_run(unit=world.luwuk, year=2024)
    assert not by_rule(review, "PEG-05")[0].accepted
    assert acceptance.history.count() == 2  # accepted, withdrawn: both kept
    page = client.get("/unit/lapas-luwuk/reviu/?tahun=2024").content.decode()
    assert "Riwayat penerimaan" in page and "ditarik" in page


def test_an_acceptance_needs_an_explanation_and_a_current_finding(world, findings_2024):
    head = world.users["head_luwuk"]
    with pytest.raises(ValidationError, match="penjelasan"):
        finding_accept(
            unit=world.luwuk,
            year=2024,
            rule="PEG-05",
            key="pihak-pertama",
            explanation="ok",
            by=head,
        )
    with pytest.raises(ValidationError, match="tidak ada lagi"):
        finding_accept(
            unit=world.luwuk,
            year=2024,
            rule="ANG-01",
            key="kegiatan:tidak ada",
            explanation="Penjelasan yang cukup panjang.",
            by=head,
        )
    assert not Acceptance.objects.exists()


def test_only_the_head_accepts(world, findings_2024, login):
    with pytest.raises(PermissionDenied):
        finding_accept(
            unit=world.luwuk,
            year=2024,
            rule="PEG-05",
            key="pihak-pertama",
            explanation="Operator mencoba menerima temuan.",
            by=world.users["operator_luwuk"],
        )
    client = login(world.users["operator_luwuk"])
    page = client.get("/unit/lapas-luwuk/reviu/?tahun=2024")
    assert page.status_code == 200 and "Terima dengan penjelasan" not in page.content.decode()
    response = client.post(
        "/unit/lapas-luwuk/reviu/2024/terima/",
        {
            "aturan": "PEG-05",
            "kunci": "pihak-pertama",
            "penjelasan": "Operator mencoba lewat halaman.",
        },
    )
    assert response.status_code == 404
    assert not Acceptance.objects.exists()


def test_an_outsider_gets_nothing_from_the_review(world, findings_2024, login):
    head = world.users["head_luwuk"]
    acceptance = finding_accept(
        unit=world.luwuk,
        year=2024,
        rule="PEG-05",
        key="pihak-pertama",
        explanation="Diterima untuk uji akses.",
        by=head,
    )
    for user in (world.outsider, world.users["operator_atambua"]):
        client = login(user)
        for url in (
            "/unit/lapas-luwuk/reviu/?tahun=2024",
            "/unit/lapas-luwuk/reviu/2024/unduh.pdf",
            "/unit/lapas-luwuk/reviu/2024/unduh.xlsx",
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert (
            client.post(
                "/unit/lapas-luwuk/reviu/2024/terima/",
                {"aturan": "REN-02", "kunci": "rencana-aksi", "penjelasan": "Orang luar mencoba."},
            ).status_code
            == 404
        )
        assert (
            client.post(f"/unit/lapas-luwuk/reviu/2024/terima/{acceptance.id}/tarik/").status_code
            == 404
        )
    with pytest.raises(PermissionDenied):
        finding_withdraw(acceptance=acceptance, by=world.outsider)
    assert Acceptance.objects.filter(withdrawn=False).count() == 1


def test_the_region_sees_the_open_findings_per_facility(
    world, findings_2024, login, settings, django_capture_on_commit_callbacks
):
    ReviewRun.objects.all().delete()  # the fixture ran the review; start with nothing stored
    client = login(world.users["evaluator_sulteng"])
    page = client.get("/wilayah/kanwil-sulteng/?tahun=2024&tw=1").content.decode()
    # reading the page runs nothing: no stored run yet
    assert "belum dijalankan" in page and not ReviewRun.objects.exists()
    # The run is a background job, enqueued when its row commits; here it runs at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/wilayah/kanwil-sulteng/reviu/", {"tahun": "2024", "tw": "1"})
    page = client.get("/wilayah/kanwil-sulteng/?tahun=2024&tw=1").content.decode()
    run = ReviewRun.objects.get(unit=world.luwuk, year=2024)
    assert run.trigger == "pemantauan Kanwil"
    assert f"{run.errors} galat" in page and f"{run.warnings} peringatan" in page
    assert "/unit/lapas-luwuk/reviu/?tahun=2024" in page
    assert client.get("/unit/lapas-luwuk/reviu/?tahun=2024").status_code == 200


# --- the LKjIP's final version ---------------------------------------------------------------


def _header_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        return "".join(
            docx.read(name).decode() for name in docx.namelist() if name.startswith("word/header")
        )


def test_errors_keep_the_lkjip_a_draft_until_fixed_or_accepted(world, findings_2024):
    unit = world.luwuk
    export = reports.generate("lkjip", unit, 2024, "docx")
    assert export.draft and export.filename.endswith("-DRAF.docx")
    assert "Versi final diblokir oleh reviu" in export.note and "galat" in export.note
    assert "DRAF" in _header_text(export.content)
    run = ReviewRun.objects.get(unit=unit, year=2024)
    assert run.trigger == "pembuatan LKjIP" and run.errors > 0
    for finding in review_run(unit=unit, year=2024).findings:
        if finding.severity == "error":
            finding_accept(
                unit=unit,
                year=2024,
                rule=finding.rule,
                key=finding.key,
                explanation="Diterima kepala dengan penjelasan tertulis.",
                by=world.users["head_luwuk"],
            )
    final = reports.generate("lkjip", unit, 2024, "docx")
    assert not final.draft and final.note == "" and final.filename == "LKjIP-2024-lapas-luwuk.docx"
    assert "DRAF" not in _header_text(final.content)
    asked = reports.generate("lkjip", unit, 2024, "docx", draft=True)
    assert asked.draft and asked.note == ""


def test_the_documents_page_asks_for_a_draft_and_shows_the_review(world, findings_2024, login):
    client = login(world.users["operator_luwuk"])
    page = client.get("/unit/lapas-luwuk/dokumen/?tahun=2024").content.decode()
    assert "buat sebagai draf" in page and "galat" in page
    client.post(
        "/unit/lapas-luwuk/dokumen/buat/",
        {"tahun": "2024", "dokumen": "lkjip", "format": "docx", "draf": "1"},
    )
    assert DocumentJob.objects.get(unit=world.luwuk).draft
