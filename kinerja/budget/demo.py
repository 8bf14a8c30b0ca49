"""Budget demo data from the reference documents (LKjIP Lapas Atambua 2023, Rencana Aksi Lapas
Luwuk 2024). Idempotent: a facility-year that already has DIPA lines is left alone."""

from __future__ import annotations

from decimal import Decimal as D

from kinerja.budget import services
from kinerja.budget.models import BudgetScore, DipaLine
from kinerja.budget.rencana_aksi import lines_from_rencana_aksi
from kinerja.planning.models import PerjanjianKinerja

SOURCE_2023 = "LKjIP Lapas Atambua 2023, Tabel 3.72 (per jenis belanja)"
SOURCE_3Y = "LKjIP Lapas Atambua 2023, Grafik 3.1 (realisasi per jenis belanja 2021-2023)"

# LKjIP 2023 "Rincian Kertas Kerja per KRO": (level, code, name, volume, unit, pagu, realised,
# spending type, IKK funded, children). KRO subtotals are not typed: Kinerja adds up the RO, and
# the RO give the totals of the report's activity table (Tabel 3.71) to the rupiah; the printed KRO
# subtotals of EBA (4.362.114.022) and EBD (57.658.500) do not match their own RO.
# RO 994 Layanan Perkantoran holds the salaries (51) and office operations (52): split by the
# report's Belanja Pegawai row (pagu 3.628.749.000, realisation 3.601.507.881).
ATAMBUA_2023 = [
    ("program", "BF", "Program Penegakan dan Pelayanan Hukum", None, "", None, None, "", [], [
        ("activity", "5252", "Penyelenggaraan Pemasyarakatan di Wilayah", None, "", None, None, "", [], [
            ("kro", "BDC", "Fasilitasi dan Pembinaan Pemasyarakatan", "436", "Orang", None, None, "", [], [
                ("ro", "002", "Pembinaan Kepribadian dan Layanan Integrasi Narapidana", "198", "Orang",
                 "70300000", "69768700", "52", ["IKK-2.1", "IKK-2.2", "IKK-2.3", "IKK-2.4", "IKK-2.5"], []),
                ("ro", "004", "Kebutuhan Dasar dan Layanan Kesehatan", "198", "Orang",
                 "1775495000", "1774147100", "52",
                 ["IKK-1.1", "IKK-1.2", "IKK-1.3", "IKK-1.4", "IKK-1.5", "IKK-1.6", "IKK-1.7", "IKK-1.8"], []),
                ("ro", "S01", "Pembinaan Kemandirian Narapidana", "40", "Orang",
                 "63400000", "58900000", "52", ["IKK-2.6", "IKK-2.7"], []),
            ]),
            ("kro", "BHB", "Operasi Bidang Keamanan", "12", "operasi", None, None, "", [], [
                ("ro", "002", "Layanan Keamanan dan Ketertiban: Penegakan Keamanan dan Ketertiban", "12",
                 "operasi", "57300000", "55182000", "52", ["IKK-3.1", "IKK-3.2", "IKK-3.3", "IKK-3.4"], []),
            ]),
        ]),
    ]),
    ("program", "WA", "Program Dukungan Manajemen", None, "", None, None, "", [], [
        ("activity", "6231", "Dukungan Manajemen dan Teknis Lainnya UPT Pemasyarakatan", None, "", None, None, "", [], [
            ("kro", "EBA", "Layanan Dukungan Manajemen Internal", "4", "Layanan", None, None, "", [], [
                ("ro", "956", "Layanan BMN", "1", "Layanan", "18200000", "18192500", "52", ["IKK-4.2"], []),
                ("ro", "958", "Layanan Hubungan Masyarakat", "1", "Layanan", "4000000", "3978000", "52", [], []),
                ("ro", "962", "Layanan Umum", "1", "Layanan", "18000000", "17880000", "52", [], []),
                ("ro", "994", "Layanan Perkantoran", "1", "Layanan", None, None, "", ["IKK-4.5"], [
                    ("component", "001", "Gaji dan Tunjangan yang Melekat pada Gaji", None, "",
                     "3628749000", "3601507881", "51", [], []),
                    ("component", "002", "Operasional dan Pemeliharaan Kantor", None, "",
                     "890960000", "887151624", "52", [], []),
                ]),
            ]),
            ("kro", "EBB", "Layanan Sarana dan Prasarana Internal", "1", "Unit", None, None, "", [], [
                ("ro", "971", "Gedung dan Bangunan", "1", "Unit", "325539000", "325413570", "53", ["IKK-4.9"], []),
            ]),
            ("kro", "EBC", "Layanan Manajemen SDM Internal", "59", "Pegawai", None, None, "", [], [
                ("ro", "954", "Layanan Manajemen SDM", "59", "Pegawai", "23010000", "23010000", "52", ["IKK-4.3"], []),
            ]),
            ("kro", "EBD", "Layanan Manajemen Kinerja Internal", "4", "Dokumen", None, None, "", [], [
                ("ro", "952", "Layanan Perencanaan dan Penganggaran", "1", "Dokumen", "13000000", "11770000", "52", ["IKK-4.1"], []),
                ("ro", "953", "Layanan Pemantauan dan Evaluasi", "1", "Dokumen", "29000000", "27338500", "52", ["IKK-4.1"], []),
                ("ro", "955", "Layanan Manajemen Keuangan", "1", "Dokumen", "13190000", "13187500", "52", ["IKK-4.4"], []),
                ("ro", "961", "Layanan Reformasi Kinerja", "1", "Dokumen", "16600000", "16592500", "52", [], []),
            ]),
        ]),
    ]),
]  # fmt: skip

# Realisation per spending type as the report gives it: {year: {type: (pagu, realised)}}.
ATAMBUA_YEARS = {
    2021: ({"51": (None, D("4110723456")), "52": (None, D("2545757552")), "53": (None, D(0))}, SOURCE_3Y),
    2022: ({"51": (None, D("3935177488")), "52": (None, D("3125701515")), "53": (None, D(0))}, SOURCE_3Y),
    2023: (
        {
            "51": (D("3628749000"), D("3601507881")),
            "52": (D("2992455000"), D("2977098143")),
            "53": (D("325539000"), D("325413570")),
        },
        SOURCE_2023,
    ),
}  # fmt: skip

ATAMBUA_TARJA_2023 = [
    "Percepatan pelaksanaan Back to Basic Penyelenggaraan Pemasyarakatan di Bidang Pelayanan "
    "Tahanan (Meningkatnya Kualitas Penyelenggaraan Pemasyarakatan di bidang Pelayanan Tahanan)",
    "Percepatan pelaksanaan Back to Basic Penyelenggaraan Pemasyarakatan di Bidang Pelayanan "
    "Tahanan (Meningkatnya Kualitas Penyelenggaraan Pemasyarakatan di bidang Pelayanan Hukum dan "
    "Bimbingan Keterampilan dan Kepribadian bagi Tahanan)",
    "Penyelenggaraan layanan rehabilitasi pemasyarakatan (Layanan rehabilitasi sesuai standar "
    "rehabilitasi pemasyarakatan)",
    "Terwujudnya pengembangan SDP dalam rangka transformasi layanan pemasyarakatan melalui "
    "pertukaran data SPPT TI (Terlaksananya SPPT TI pada UPT Lapas/Rutan/Bapas)",
    "Peningkatan kualitas pelayanan pembinaan narapidana (narapidana yang memperoleh pendidikan "
    "vokasi bersertifikasi; narapidana yang memperoleh nilai baik dengan predikat memuaskan)",
    "Meningkatnya Kualitas Penyelenggaraan Pemasyarakatan di Bidang Keamanan dan Ketertiban "
    "(deteksi dini gangguan keamanan dan ketertiban dari dalam maupun luar)",
    "Pemutakhiran Data Pemilih untuk PEMILU 2024 di Lapas/Rutan (data pemilih valid dan lengkap)",
]

# The TARJA table's DATA DUKUNG (B01-B12, shortened) and CAPAIAN TARGET KINERJA (letter numbers),
# one document a line, in the order of ATAMBUA_TARJA_2023. Item 3 gives no letter numbers.
ATAMBUA_TARJA_2023_EVIDENCE = [
    "SK Tim Supervisi Registrasi Tahanan terkait penanganan overstaying tahanan (B01)\n"
    "Laporan mapping data dan konsolidasi data tahanan overstaying (B02)\n"
    "Laporan pelaksanaan konsolidasi data upaya penanganan overstaying tahanan dan data tahanan "
    "yang dibebaskan demi hukum (B03, B05-B07, B09)\n"
    "Laporan pelaksanaan Dilkumjakpol terkait upaya penanganan overstaying tahanan (B04)\n"
    "Laporan sosialisasi penanganan overstaying tahanan (B08); laporan monitoring dan evaluasi "
    "(B10-B12)\n"
    "Nomor surat W22.PK.02.02-28, -56, -245, -458, -536, -672, -491",
    "SK Tim pelaksanaan kegiatan Pelayanan Tahanan (B01)\n"
    "Laporan tahanan yang mendapatkan pelayanan hukum dan mengikuti kegiatan bimbingan "
    "keterampilan dan kepribadian (B02, B06, B07)\n"
    "Perjanjian Kerjasama / MOU (B03)\n"
    "Laporan jumlah tahanan miskin yang mendapatkan fasilitas bantuan hukum (litigasi dan "
    "nonlitigasi) (B04, B08)\n"
    "Laporan supervisi pelaksanaan kegiatan Pelayanan Tahanan (B05, B09); laporan monitoring dan "
    "evaluasi (B10-B12)\n"
    "Nomor surat W22.PK.02.02-145, -321, -459, -539, -562",
    "Laporan penyampaian SK Direktur ke wilayah (B.01)\n"
    "Laporan penyelenggaraan kegiatan koordinasi (B.02) dan persiapan (B.03)\n"
    "Laporan penyelenggaraan kegiatan mentoring (B.04-B.06) dan monitoring (B.07-B.09)\n"
    "Laporan hasil evaluasi penyelenggaraan layanan rehabilitasi pemasyarakatan (B.10-B.12)",
    "SK Tim Pelaksana SPPT TI Wilayah Tahun 2023 dan SK UPT Pelaksana Implementasi SPPT TI "
    "Tahun 2023 (B.01)\n"
    "Laporan evaluasi pertukaran data SPPT TI bulanan (B.02-B.12)\n"
    "Nomor SK PAS-02.HH.01.02 tahun 2023\n"
    "Nomor surat W22.PK.02.02-150, -245, -324, -387, -457, -464, -537, -601, -635, -803, -907",
    "Laporan koordinasi dengan Kanwil terkait pemetaan Lapas yang melaksanakan pembinaan "
    "kemandirian serta rencana kemitraan (B.01)\n"
    "Laporan rekapitulasi kesepakatan Perjanjian Kerja Sama antara mitra dengan Lapas (B.02)\n"
    "Laporan pelaksanaan kegiatan pembinaan kemandirian yang bekerja sama dengan mitra "
    "(B.03-B.06, B.08-B.11) dan laporan evaluasinya (B.07, B.12)\n"
    "Laporan hasil penilaian pembinaan narapidana dan pembinaan kepribadian per bulan "
    "(B.01-B.12; 65-70 % narapidana memperoleh predikat baik pada variabel pembinaan kepribadian)\n"
    "Nomor surat W22.Ej-PAS.PAS.8.ER.PR.04.01-91, -189, -277, -340, -416\n"
    "Nomor surat W22.PK.02.02-145, -459",
    "Laporan sosialisasi dan internalisasi target kinerja, SK UIP dan dokumen profiling UPT "
    "(B01-B02)\n"
    "Laporan pemetaan tingkat kerawanan gangtib berdasarkan hasil identifikasi instrumen deteksi "
    "dini (B01, B06, B12)\n"
    "Laporan pelaksanaan deteksi dini kerawanan gangguan kamtib yang diisi oleh Agen Unit "
    "Intelijen Pemasyarakatan (B03, B06, B09)\n"
    "Laporan konsultasi teknis terkait pembentukan dan tusi anggota UIP (B03-B05)\n"
    "Laporan kegiatan intelijen (B03-B12) dan laporan hasil konsolidasi (B02-B12)\n"
    "Nomor surat W.22.PAS.PAS.4-PK.08.06-54, -55, -146, -326, -392, -473, -608, -980",
    "Laporan implementasi Surat Edaran tentang Persiapan PEMILU 2024 (B01-B12)\n"
    "Nomor surat W22.Ej-PS.05.01-29, -47, -102, -256\n"
    "Nomor surat W22.Ej-PK.02.02-455, -476, -555, -610, -785, -894, -1004",
]


def _add(unit, year, spec, parent=None) -> None:
    level, code, name, volume, vunit, pagu, realised, stype, funds, children = spec
    line = services.line_add(
        unit=unit,
        year=year,
        level=level,
        code=code,
        name=name,
        parent=parent,
        pagu=D(pagu) if pagu else None,
        spending_type=stype,
        volume=D(volume) if volume else None,
        volume_unit=vunit,
        funds=funds,
    )
    if realised is not None:
        # The report gives the realisation as at December only, not month by month.
        services.spending_save([services.MonthFigures(line=line, month=12, realised=D(realised))])
    for child in children:
        _add(unit, year, child, line)


def load_budget_demo(*, atambua, luwuk) -> None:
    if not DipaLine.objects.filter(unit=atambua, year=2023).exists():
        for spec in ATAMBUA_2023:
            _add(atambua, 2023, spec)
    for year, (figures, source) in ATAMBUA_YEARS.items():
        services.year_spending_set(unit=atambua, year=year, figures=figures, source=source)
    if not BudgetScore.objects.filter(unit=atambua, year=2023).exists():
        # Bab III.C: SMART 2023 is "99.84" with these components (the same page later says 99.89);
        # IKPA 2023 is 98.96.
        services.score_set(
            unit=atambua,
            year=2023,
            smart=D("99.84"),
            smart_components={
                "Penyerapan": D("99.83"),
                "Konsistensi": D("99.45"),
                "Capaian RO": D("100"),
                "Efisiensi": D("20"),
                "Nilai Efisiensi": D("100"),
            },
            ikpa=D("98.96"),
        )
    # e-Monev Bappenas, December 2023, as printed ("serapan anggaran dan pelaksanaan ... masing-masing
    # 35.38% dan 99.94%").
    services.emonev_set(unit=atambua, year=2023, months={12: (D("35.38"), D("99.94"))})
    services.tarja_set(
        unit=atambua,
        year=2023,
        items=[
            (name, D(100), "Telah Tercapai", evidence)
            for name, evidence in zip(ATAMBUA_TARJA_2023, ATAMBUA_TARJA_2023_EVIDENCE, strict=True)
        ],
    )
    luwuk_pk = PerjanjianKinerja.objects.latest_for(luwuk, 2024)
    if luwuk_pk and not DipaLine.objects.filter(unit=luwuk, year=2024).exists():
        lines_from_rencana_aksi(agreement=luwuk_pk)
