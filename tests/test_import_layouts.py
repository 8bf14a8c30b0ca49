"""The Rencana Aksi importer with more offices' layouts (issue 17, point 5): synthetic files, the
totals worked out by hand in each test."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl

from kinerja.imports.models import ImportRecord
from kinerja.imports.services import renaksi_check, renaksi_import
from kinerja.planning.models import PerjanjianKinerja

HEADER = [
    "SASARAN KEGIATAN",
    "INDIKATOR KINERJA",
    "TARGET KINERJA",
    "RUMUS PERHITUNGAN",
    "KEGIATAN",
    "PAGU",
    "RENCANA PENARIKAN DANA",
    "REALISASI ANGGARAN",
    "RENCANA KEGIATAN",
    "CAPAIAN",
    "DATA DUKUNG",
    "STATUS PELAKSANAAN",
    "KETERANGAN",
]
GOAL_1 = (
    "1. Meningkatnya Pelayanan Perawatan Narapidana/Tahanan/Anak, Pengendalian Penyakit Menular "
    "dan Peningkatan Kualitas Hidup Narapidana Peserta Rehabilitasi Narkotika di wilayah"
)
IKK = {
    "1.1": "1. Persentase pemenuhan layanan makanan bagi Tahanan/Narapidana/Anak sesuai dengan standar",
    "1.2": "2. Persentase Tahanan/Narapidana/Anak mendapatkan layanan kesehatan (preventif) secara berkualitas",
    "1.3": "3. Persentase Tahanan dan Narapidana perempuan (ibu hamil dan menyusui) mendapat akses layanan kesehatan maternal",
    "1.4": "4. Persentase Tahanan/Narapidana/Anak yang mengalami gangguan mental dapat tertangani",
}
TITLE = "RENCANA AKSI PERJANJIAN KINERJA RUTAN KELAS IIB POSO TAHUN 2025"


def book(title: str, lines: list[tuple[str, str, str, int]]) -> bytes:
    """A workbook in the office layout: per indicator (IKK key, target, activity label, pagu) four
    TW rows, the RPD a quarter of the pagu each."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([title])
    sheet.append([])
    sheet.append(HEADER)
    for position, (key, target, activity, pagu) in enumerate(lines):
        for quarter, label in enumerate(["TW I", "TW II", "TW III", "TW IV"], 1):
            first = quarter == 1
            sheet.append(
                [
                    GOAL_1 if first and position == 0 else None,
                    IKK[key] if first else None,
                    target if first else None,
                    "A/B x 100%" if first else None,
                    activity if first else None,
                    pagu if first else None,
                    pagu // 4,
                    None,
                    label,
                    f"Kegiatan {label}",
                    label,
                    "Laporan",
                    None,
                    None,
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_generic_label_with_each_ikks_own_pagu_is_a_budget_line_per_ikk(world):
    """The office writes every IKK's own money under "Pelaksana Satker": 40 + 24 + 12 million
    are three lines, 76 million in all (the old reader refused it with an error per row)."""
    lines = [
        ("1.1", "90%", "Pelaksana Satker", 40_000_000),
        ("1.2", "95%", "Pelaksana Satker", 24_000_000),
        ("1.3", "98%", "Pelaksana Satker", 12_000_000),
    ]
    data = book(TITLE, lines)
    checked = renaksi_check(data=data, filename="poso.xlsx", year=2025)
    assert checked.ok, [e.message for e in checked.plan.errors]
    plan = checked.plan
    assert [a.name for a in plan.activities] == [
        "Pelaksana Satker (1.1)",
        "Pelaksana Satker (1.2)",
        "Pelaksana Satker (1.3)",
    ]
    assert plan.total_pagu == Decimal(40_000_000 + 24_000_000 + 12_000_000)
    assert not plan.questions
    own = book("RENCANA AKSI LAPAS KELAS IIB LUWUK TAHUN 2025", lines)
    renaksi_import(unit=world.luwuk, year=2025, data=own, filename="luwuk.xlsx")
    agreement = PerjanjianKinerja.objects.get(unit=world.luwuk, year=2025)
    assert sum(a.pagu for a in agreement.activities.all()) == Decimal(76_000_000)


def test_the_same_label_and_amount_on_consecutive_rows_is_one_shared_activity(world):
    """One "Layanan Kesehatan" of 60 million funds IKK 1.2 and 1.3 (counted once), then a food
    line of 30 million: 90 million in all, not 150."""
    data = book(
        TITLE,
        [
            ("1.2", "95%", "Layanan Kesehatan", 60_000_000),
            ("1.3", "98%", "Layanan Kesehatan", 60_000_000),
            ("1.1", "90%", "Bahan Makanan", 30_000_000),
        ],
    )
    plan = renaksi_check(data=data, filename="poso.xlsx", year=2025).plan
    assert [(a.name, a.pagu) for a in plan.activities] == [
        ("Layanan Kesehatan", Decimal(60_000_000)),
        ("Bahan Makanan", Decimal(30_000_000)),
    ]
    assert plan.total_pagu == Decimal(60_000_000 + 30_000_000)
    assert not plan.questions and not plan.errors


def test_where_the_file_cannot_tell_it_asks_in_the_preview(world, login):
    """The same label and amount on rows that are not consecutive: 10 million shared (10 + 5 = 15
    million) until the user says each row is its own line (10 + 5 + 10 = 25 million)."""
    data = book(
        TITLE,
        [
            ("1.1", "90%", "Pelaksana Satker", 10_000_000),
            ("1.2", "95%", "Layanan Kesehatan", 5_000_000),
            ("1.3", "98%", "Pelaksana Satker", 10_000_000),
        ],
    )
    plan = renaksi_check(data=data, filename="poso.xlsx", year=2025).plan
    assert plan.total_pagu == Decimal(15_000_000) and not plan.errors
    assert len(plan.questions) == 1 and "tidak berurutan" in plan.questions[0].message
    chosen = renaksi_check(
        data=data,
        filename="poso.xlsx",
        year=2025,
        separate=frozenset({plan.questions[0].key}),
    ).plan
    assert chosen.total_pagu == Decimal(25_000_000)

    client = login(world.users["head_luwuk"])
    upload = io.BytesIO(data)
    upload.name = "renaksi-2025.xlsx"
    response = client.post(
        "/unit/lapas-luwuk/rencana-aksi/impor/", {"year": "2025", "file": upload}
    )
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    # A Poso file for Luwuk is refused by its title (below); the question is asked all the same.
    assert "Perlu keputusan Anda" in preview and "Judul berkas tidak menyebut" in preview


def test_the_preview_answer_changes_the_import(world, login):
    title = "RENCANA AKSI LAPAS KELAS IIB LUWUK TAHUN 2025"
    data = book(
        title,
        [
            ("1.1", "90%", "Pelaksana Satker", 10_000_000),
            ("1.2", "95%", "Layanan Kesehatan", 5_000_000),
            ("1.3", "98%", "Pelaksana Satker", 10_000_000),
        ],
    )
    client = login(world.users["head_luwuk"])
    upload = io.BytesIO(data)
    upload.name = "renaksi-2025.xlsx"
    page = client.post("/unit/lapas-luwuk/rencana-aksi/impor/", {"year": "2025", "file": upload})
    record = ImportRecord.objects.get()
    key = record.summary["questions"][0]["key"]
    assert record.summary["totals"]["pagu"] == 15_000_000
    client.post(page["Location"], {"aksi": "periksa", "terpisah": [key]})
    record.refresh_from_db()
    assert record.summary["totals"]["pagu"] == 25_000_000 and record.summary["separate"] == [key]
    client.post(page["Location"])
    agreement = PerjanjianKinerja.objects.get(unit=world.luwuk, year=2025)
    assert sorted(a.pagu for a in agreement.activities.all()) == [
        Decimal(5_000_000),
        Decimal(10_000_000),
        Decimal(10_000_000),
    ]


def test_a_title_naming_another_facility_or_year_is_an_error(world):
    data = book(
        "RENCANA KEGIATAN LEMBAGA PEMASYARAKATAN KELAS IIB ATAMBUA TAHUN 2024",
        [("1.1", "90%", "Bahan Makanan", 30_000_000)],
    )
    checked = renaksi_check(data=data, filename="atambua.xlsx", year=2025, unit=world.luwuk)
    messages = [e.message for e in checked.plan.errors]
    assert not checked.ok
    assert any(m.startswith("Judul berkas menyebut tahun 2024, bukan 2025") for m in messages)
    assert any(m.startswith("Judul berkas tidak menyebut Lapas Kelas IIB Luwuk") for m in messages)
    # The facility's own file for the right year passes.
    own = book("RENCANA KEGIATAN LAPAS KELAS IIB LUWUK TAHUN 2025", [("1.1", "90%", "Bahan", 4)])
    assert renaksi_check(data=own, filename="luwuk.xlsx", year=2025, unit=world.luwuk).ok


def test_a_head_count_target_with_decimals_is_refused(world):
    """IKK-4.9 counts buildings (Unit): 12,5 is not a number of buildings; 12 is."""
    from kinerja.indicators.models import Indicator

    building = Indicator.objects.get(code="IKK-4.9")
    goal_4 = f"4. {building.goal.name}"

    def plan_with(target):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append([TITLE])
        sheet.append(HEADER)
        for quarter, label in enumerate(["TW I", "TW II", "TW III", "TW IV"], 1):
            first = quarter == 1
            sheet.append(
                [
                    goal_4 if first else None,
                    f"1. {building.name}" if first else None,
                    target if first else None,
                    "A" if first else None,
                    "Pemeliharaan gedung" if first else None,
                    4_000_000 if first else None,
                    1_000_000,
                    None,
                    label,
                    "Pemeliharaan",
                    label,
                    "Foto",
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        return renaksi_check(data=buffer.getvalue(), filename="x.xlsx", year=2025)

    refused = plan_with("12,5")
    assert [(e.message, e.row, e.field) for e in refused.plan.errors] == [
        (
            "Target indikator 1 (Unit) harus bilangan bulat (jumlah), tanpa angka di belakang koma.",
            3,
            "target",
        )
    ]
    assert plan_with("12").ok


def test_the_text_reader_reads_rows_whose_first_column_was_lost_at_a_page_break(world):
    """A tab-separated export where a page break dropped the first (blank goal) cell of an
    indicator row and of its quarter rows: every cell moves one to the left."""
    tab = "\t"
    lines = [TITLE, "", tab.join(HEADER)]

    def block(key, target, activity, pagu, lost):
        shift = 0 if not lost else 1
        out = []
        for quarter, label in enumerate(["TW I", "TW II", "TW III", "TW IV"], 1):
            first = quarter == 1
            goal = GOAL_1 if first and key == "1.1" else ""
            cells = [
                goal,
                IKK[key] if first else "",
                target if first else "",
                "A/B x 100%" if first else "",
                activity if first else "",
                f"{pagu:,}".replace(",", ".") if first else "",
                f"{pagu // 4:,}".replace(",", "."),
                "-",
                label,
                f"Kegiatan {label}",
                label,
                "Laporan",
            ]
            out.append(tab.join(cells[shift:]))
        return out

    lines += block("1.1", "90%", "Bahan Makanan", 40_000_000, lost=False)
    lines += block("1.2", "95%", "Layanan Kesehatan", 24_000_000, lost=True)
    lines += block("1.3", "98%", "Kesehatan Ibu", 12_000_000, lost=False)
    data = "\n".join(lines).encode("utf-8")
    checked = renaksi_check(data=data, filename="poso.txt", year=2025)
    assert checked.ok, [e.message for e in checked.plan.errors]
    plan = checked.plan
    assert [(i.code, i.target) for i in plan.indicators] == [
        ("IKK-1.1", Decimal(90)),
        ("IKK-1.2", Decimal(95)),
        ("IKK-1.3", Decimal(98)),
    ]
    assert [a.pagu for a in plan.activities] == [
        Decimal(40_000_000),
        Decimal(24_000_000),
        Decimal(12_000_000),
    ]
    assert plan.total_pagu == Decimal(76_000_000) and plan.total_rpd == Decimal(76_000_000)
