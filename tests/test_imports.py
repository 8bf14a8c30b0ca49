"""Import of the Rencana Aksi in the offices' layout: the reference plan, and damaged files."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from kinerja.imports.models import ImportRecord
from kinerja.imports.services import ImportRejected, renaksi_check, renaksi_import
from kinerja.planning import selectors
from kinerja.planning.models import PerjanjianKinerja, PKIndicator, RAActivity

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
PACKAGED = (
    Path(__file__).resolve().parents[1] / "kinerja" / "imports" / "data" / "renaksi-luwuk-2024.xlsx"
)
XLSX = (
    REFERENCE / "renaksi-luwuk-2024.xlsx"
    if (REFERENCE / "renaksi-luwuk-2024.xlsx").exists()
    else PACKAGED
)
TXT = REFERENCE / "renaksi-luwuk-2024.txt"

# The plan as the Luwuk document gives it, worked out by hand: 13 activities, each pagu once.
LUWUK_ACTIVITIES = {
    "Pengadaan Bahan Makanan bagi Warga Binaan Pemasyarakatan": 5_160_600_000,
    "Perawatan Kesehatan Narapidana/Tahanan/ Anak": 56_400_000,
    "Kegiatan Penyediaan Perlengkapan Khusus Kelompok Rentan": 24_000_000,
    "Kegiatan Pembinaan Kepribadian": 30_429_000,
    "Layanan Integrasi dan TPP": 10_600_000,
    "Kegiatan Pembinaan Kemandirian Narapidana": 38_300_000,
    "Kegiatan Asimilasi kerja di Kebun lapas": 38_300_000,
    "Penegakkan Keamanan dan Ketertiban": 67_345_000,
    "Kegiatan Penyusunan Rencana kegiatan dan Anggaran": 17_460_000,
    "Penatausahaan dan Pengelolaan BMN": 8_730_000,
    "Kegiatan Pembinaan kepegawaian": 45_760_000,
    "Kegiatan Pengelolaan Keuangan dan Perbendaharaan": 8_730_000,
    "Layanan perkantoran": 3_979_232_000,
}
LUWUK_CODES = (
    [f"IKK-1.{i}" for i in range(1, 8)]
    + [f"IKK-2.{i}" for i in range(1, 8)]
    + [f"IKK-3.{i}" for i in range(1, 5)]
    + [f"IKK-4.{i}" for i in range(1, 6)]
)


def _sources():
    yield pytest.param(XLSX, id="xlsx")
    if TXT.exists():
        yield pytest.param(TXT, id="txt")


SOURCES = list(_sources())


def snapshot() -> tuple:
    return (
        PerjanjianKinerja.objects.count(),
        PKIndicator.objects.count(),
        RAActivity.objects.count(),
        ImportRecord.objects.count(),
    )


@pytest.mark.parametrize("path", SOURCES)
def test_the_luwuk_plan_reads_with_4_goals_and_23_matched_indicators(catalogue, path):
    checked = renaksi_check(data=path.read_bytes(), filename=path.name, year=2024)
    plan = checked.plan
    assert checked.ok, [p.message for p in plan.errors]
    assert [g.code for g in plan.goals] == ["SK1", "SK2", "SK3", "SK4"]
    assert [i.code for i in plan.indicators] == LUWUK_CODES
    assert {a.name: int(a.pagu) for a in plan.activities} == LUWUK_ACTIVITIES
    assert plan.total_pagu == sum(LUWUK_ACTIVITIES.values()) == 9_485_886_000
    food = plan.indicators[0]
    assert (food.target, food.target_unit) == (Decimal(85), "%")
    assert [food.quarters[q].rpd for q in (1, 2, 3, 4)] == [
        Decimal(v) for v in ("1012304000", "1140000000", "1290000000", "1718296000")
    ]
    assert food.quarters[1].realised == Decimal("636431901") and food.blocked_amount == Decimal(
        "464229000"
    )
    assert (
        plan.indicators[-1].target_unit == "Layanan"
        and plan.indicators[-5].target_unit == "Dokumen"
    )


@pytest.mark.parametrize("path", SOURCES)
def test_the_luwuk_defects_are_reported_with_their_place(catalogue, path):
    plan = renaksi_check(data=path.read_bytes(), filename=path.name, year=2024).plan
    warnings = [p.message for p in plan.warnings]
    assert any(
        "Penegakkan Keamanan" in w
        and "Rp 77.545.000" in w
        and "Rp 67.345.000" in w
        and "lebih Rp 10.200.000" in w
        for w in warnings
    )
    assert any("Layanan perkantoran" in w and "kurang Rp 50.000" in w for w in warnings)
    education = next(p for p in plan.warnings if "Pendidikan" in p.message)
    assert "pembilang dan penyebut sama" in education.message
    assert education.row == (45 if path.suffix == ".xlsx" else 48)
    assert education.location(plan.table).endswith("kolom D (RUMUS PERHITUNGAN)")
    security = next(p for p in plan.warnings if "Penegakkan" in p.message)
    assert security.location(plan.table).endswith(
        f"baris {61 if path.suffix == '.xlsx' else 65}, kolom G (RENCANA PENARIKAN DANA)"
    )
    assert len(plan.warnings) == 3


def test_the_security_activity_funds_four_ikk_and_is_counted_once(catalogue, world):
    renaksi_import(unit=world.luwuk, year=2024, data=XLSX.read_bytes(), filename=XLSX.name)
    agreement = PerjanjianKinerja.objects.get(unit=world.luwuk, year=2024)
    security = agreement.activities.get(name="Penegakkan Keamanan dan Ketertiban")
    assert sorted(security.indicators.values_list("indicator__code", flat=True)) == [
        "IKK-3.1",
        "IKK-3.2",
        "IKK-3.3",
        "IKK-3.4",
    ]
    rows, total_pagu, total_rpd = selectors.action_plan(agreement)
    assert total_pagu == Decimal(9_485_886_000)
    assert total_rpd == Decimal(9_496_036_000)
    assert len(rows) == 23


def test_an_import_is_recorded_with_its_file_and_warnings(world):
    record = renaksi_import(unit=world.luwuk, year=2024, data=XLSX.read_bytes(), filename=XLSX.name)
    assert record.file.read() == XLSX.read_bytes()
    assert len(record.warnings) == 3 and record.warnings[0]["location"].startswith(
        "renaksi-luwuk-2024.xlsx, lembar RENAKSI, baris"
    )
    assert record.agreement.indicators.count() == 23


def test_a_reimport_replaces_a_draft_and_a_signed_pk_is_refused(world):
    renaksi_import(unit=world.luwuk, year=2024, data=XLSX.read_bytes(), filename=XLSX.name)
    renaksi_import(unit=world.luwuk, year=2024, data=XLSX.read_bytes(), filename=XLSX.name)
    agreement = PerjanjianKinerja.objects.get(unit=world.luwuk, year=2024)
    assert agreement.indicators.count() == 23 and agreement.activities.count() == 13
    agreement.status = "signed"
    PerjanjianKinerja.objects.filter(pk=agreement.pk).update(status="signed")
    before = snapshot()
    with pytest.raises(Exception, match="sudah ditandatangani"):
        renaksi_import(unit=world.luwuk, year=2024, data=XLSX.read_bytes(), filename=XLSX.name)
    assert snapshot() == before


# --- damaged files -------------------------------------------------------------------------


def workbook_bytes(edit) -> bytes:
    workbook = openpyxl.load_workbook(XLSX)
    edit(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def remove_header(ws):
    for col in range(1, 16):
        if type(ws.cell(4, col)).__name__ != "MergedCell":
            ws.cell(4, col).value = None


def text_in_pagu(ws):
    ws["F9"] = "lima puluh enam juta"


def drop_quarter(ws):
    for col in range(1, 16):
        if type(ws.cell(11, col)).__name__ != "MergedCell":
            ws.cell(11, col).value = None


def unknown_indicator(ws):
    ws["B9"] = "2. Jumlah kunjungan wisata ke lapas"


def missing_target(ws):
    ws["C13"] = None


def repeated_quarter(ws):
    ws["I11"] = "TW II"


DAMAGED = [
    ("header", remove_header, "Baris judul kolom tidak ditemukan", None, ""),
    ("pagu", text_in_pagu, "Pagu tidak dapat dibaca: 'lima puluh enam juta'", 9, "F"),
    ("quarter", drop_quarter, "TW III tidak ada", 9, ""),
    ("indicator", unknown_indicator, "tidak dapat dicocokkan dengan pasti", 9, ""),
    ("target", missing_target, "Target indikator 3", 13, "C"),
    ("repeated", repeated_quarter, "TW II tertulis dua kali", 11, "I"),
]


@pytest.mark.parametrize(
    ("name", "edit", "message", "row", "column"), DAMAGED, ids=[d[0] for d in DAMAGED]
)
def test_a_damaged_workbook_is_refused_with_its_place_and_nothing_written(
    world, name, edit, message, row, column
):
    data = workbook_bytes(edit)
    before = snapshot()
    with pytest.raises(ImportRejected) as exc:
        renaksi_import(unit=world.luwuk, year=2024, data=data, filename="rusak.xlsx")
    errors = exc.value.checked.plan.errors
    hit = next((e for e in errors if message in e.message), None)
    assert hit is not None, [e.message for e in errors]
    if row:
        assert hit.row == row
    if column:
        assert hit.column == column
    location = hit.location(exc.value.checked.table)
    assert location.startswith("rusak.xlsx, lembar RENAKSI")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "kosong.xlsx", "kosong"),
        (
            b"MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode",
            "program.xlsx",
            "bukan lembar kerja Excel",
        ),
        (b"%PDF-1.4 binary", "laporan.pdf", "tidak didukung"),
    ],
)
def test_a_file_that_is_no_table_gets_a_clear_message(world, data, filename, message):
    before = snapshot()
    checked = renaksi_check(data=data, filename=filename)
    assert message in checked.fatal and filename in checked.fatal
    with pytest.raises(ImportRejected):
        renaksi_import(unit=world.luwuk, year=2024, data=data, filename=filename)
    assert snapshot() == before


def test_an_unseen_office_workbook_in_the_same_layout_imports(world):
    """Another office: different title, no goal merges, values repeated on every quarter row,
    targets as fractions in percent cells, money as text with 'Rp.', a header repeated after a page break."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "RA 2025"
    ws.append(["RENCANA AKSI PERJANJIAN KINERJA RUTAN KELAS IIB POSO TAHUN 2025"])
    ws.append([])
    header = [
        "Sasaran Kegiatan",
        "Indikator Kinerja",
        "Target Kinerja",
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
    ws.append(header)
    goal = "1. Meningkatnya pelayanan perawatan narapidana/tahanan/anak, pengendalian penyakit menular dan peningkatan kualitas hidup narapidana peserta rehabilitasi narkotika di wilayah"
    rows = [
        (
            goal,
            "1. Persentase pemenuhan layanan makanan bagi tahanan / narapidana / anak sesuai standar",
            0.9,
            "A/B x 100%",
            "Pengadaan bahan makanan",
            "Rp. 1.200.000.000",
            ["Rp. 300.000.000"] * 4,
        ),
        (
            goal,
            "2. Persentase tahanan/narapidana/anak mendapatkan layanan kesehatan preventif secara berkualitas",
            "95 %",
            "A/B x 100%",
            "Perawatan kesehatan",
            40_000_000,
            [10_000_000, 10_000_000, 10_000_000, 9_000_000],
        ),
    ]
    for g, ind, target, formula, activity, pagu, rpd in rows:
        for q, label in enumerate(["TW I", "TW II", "TW III", "TW IV"]):
            ws.append(
                [
                    g,
                    ind,
                    target,
                    formula,
                    activity,
                    pagu,
                    rpd[q],
                    "-",
                    label,
                    "Rencana",
                    label,
                    "",
                    "Laporan",
                    "",
                    "",
                ]
            )
            if isinstance(target, float):
                ws.cell(ws.max_row, 3).number_format = "0%"
        if ind.startswith("1."):
            ws.append(header)  # header repeated after a page break
    ws.append([])
    ws.append([None] * 10 + ["Kepala Rutan"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    checked = renaksi_check(data=buffer.getvalue(), filename="poso.xlsx", year=2025)
    assert checked.ok, [e.message for e in checked.plan.errors]
    plan = checked.plan
    assert [i.code for i in plan.indicators] == ["IKK-1.1", "IKK-1.2"]
    assert [i.target for i in plan.indicators] == [Decimal(90), Decimal(95)]
    assert plan.total_pagu == Decimal(1_240_000_000)
    assert [p.message for p in plan.warnings] == [
        "RPD kegiatan 'Perawatan kesehatan' berjumlah Rp 39.000.000, tidak sama dengan pagu Rp 40.000.000 (selisih kurang Rp 1.000.000)."
    ]


def test_the_command_prints_a_json_summary_and_writes_nothing_on_dry_run(world):
    out = io.StringIO()
    call_command(
        "import-renaksi",
        str(XLSX),
        "--unit",
        "lapas-luwuk",
        "--year",
        "2024",
        "--dry-run",
        "--json",
        stdout=out,
    )
    summary = json.loads(out.getvalue())
    assert summary["totals"] == {
        "pagu": 9485886000,
        "rpd": 9496036000,
        "activities": 13,
        "indicators": 23,
        "goals": 4,
    }
    assert summary["written"] is False and len(summary["warnings"]) == 3 and summary["errors"] == []
    assert (
        summary["indicators"][14]["code"] == "IKK-3.1"
        and summary["indicators"][14]["pagu"] == 67345000
    )
    assert not PerjanjianKinerja.objects.filter(unit=world.luwuk).exists()
    call_command(
        "import-renaksi", str(XLSX), "--unit", "lapas-luwuk", "--year", "2024", stdout=io.StringIO()
    )
    assert PerjanjianKinerja.objects.get(unit=world.luwuk, year=2024).indicators.count() == 23


def test_the_command_fails_loudly_on_errors(world, tmp_path):
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(workbook_bytes(text_in_pagu))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Impor dibatalkan: 1 kesalahan"):
        call_command(
            "import-renaksi", str(bad), "--unit", "lapas-luwuk", "--year", "2024", stdout=out
        )
    assert "rusak.xlsx, lembar RENAKSI, baris 9, kolom F (PAGU)" in out.getvalue()
    assert not PerjanjianKinerja.objects.filter(unit=world.luwuk).exists()


def test_a_semicolon_csv_with_indonesian_number_text_imports_like_the_workbook(catalogue):
    """The same plan saved as CSV by a spreadsheet in Indonesian locale: ';' separators, '5.160.600.000' text."""
    ws = openpyxl.load_workbook(XLSX).active
    buffer = io.StringIO()
    import csv

    writer = csv.writer(buffer, delimiter=";")
    for row in ws.iter_rows(values_only=True):
        cells = []
        for value in row:
            if isinstance(value, int) and value > 999:
                value = f"{value:,}".replace(",", ".")
            elif isinstance(value, float):
                value = f"{round(value * 100)}%"
            cells.append("" if value is None else value)
        writer.writerow(cells)
    checked = renaksi_check(data=buffer.getvalue().encode("utf-8"), filename="luwuk.csv", year=2024)
    assert checked.ok, [e.message for e in checked.plan.errors]
    assert [i.code for i in checked.plan.indicators] == LUWUK_CODES
    assert checked.plan.total_pagu == 9_485_886_000 and checked.plan.total_rpd == 9_496_036_000
    assert len(checked.plan.warnings) == 3


def test_two_goals_with_one_number_are_refused_with_their_rows(world):
    """An office numbering two different goals '1.': a clear error, not a database failure."""

    def renumber(ws):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("2. "):
                    cell.value = "1. " + cell.value[3:]

    checked = renaksi_check(data=workbook_bytes(renumber), filename="dua.xlsx", year=2024)
    assert not checked.ok
    assert any("Nomor sasaran 1 dipakai dua kali" in e.message for e in checked.plan.errors)
