"""Demo data from the public reference documents (../shared/reference): the unit tree, the
Atambua 2023 PK with its Renstra and staff figures, and one demo user per role.

Idempotent: running it twice leaves the same data. Figures are typed as the documents give
them, including their own inconsistencies where those are the facts of record (the staff
total of 55 against a breakdown of 58), so that the review has something real to catch.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from kinerja.budget.demo import load_budget_demo
from kinerja.documents.demo import ATAMBUA_QUARTERS_2023, load_documents_demo
from kinerja.imports.services import renaksi_import
from kinerja.indicators.models import Indicator
from kinerja.indicators.services import catalogue_sync
from kinerja.organizations.models import (
    HeadAppointment,
    Role,
    StaffRankCount,
    StaffReport,
    UnitKind,
)
from kinerja.organizations.services import (
    membership_grant,
    organisation_name_set,
    person_upsert,
    unit_upsert,
    user_upsert,
)
from kinerja.planning import services as planning
from kinerja.planning.models import PerjanjianKinerja

DEMO_PASSWORD = "kinerja-demo-2024"
# A copy of ../shared/reference/renaksi-luwuk-2024.xlsx (a public document), so the demo stands alone.
LUWUK_RENAKSI = Path(__file__).parent / "imports" / "data" / "renaksi-luwuk-2024.xlsx"

# username, full name, role, unit slug
DEMO_USERS = [
    ("admin", "Admin Nasional", Role.ADMIN, "ditjenpas"),
    ("pimpinan", "Pimpinan (hanya baca)", Role.VIEWER, "ditjenpas"),
    ("evaluator.ntt", "Evaluator Kanwil NTT", Role.EVALUATOR, "kanwil-ntt"),
    ("evaluator.sulteng", "Evaluator Kanwil Sulteng", Role.EVALUATOR, "kanwil-sulteng"),
    ("admin.sulteng", "Admin Kanwil Sulteng", Role.REGIONAL_ADMIN, "kanwil-sulteng"),
    ("operator.atambua", "Operator Lapas Atambua", Role.OPERATOR, "lapas-atambua"),
    ("kepala.atambua", "Kepala Lapas Atambua", Role.HEAD, "lapas-atambua"),
    ("operator.luwuk", "Operator Lapas Luwuk", Role.OPERATOR, "lapas-luwuk"),
    ("kepala.luwuk", "Kepala Lapas Luwuk", Role.HEAD, "lapas-luwuk"),
]

# Atambua PK 2023 (appendix of the LKjIP 2023): indicator code -> target.
ATAMBUA_2023_TARGETS = {
    "IKU-1": "80",
    "IKU-2": "80",
    "IKU-3": "1",
    "IKP-1.1": "85",
    "IKP-1.2": "85",
    "IKP-1.3": "85",
    "IKP-1.4": "83",
    "IKP-2.1": "56",
    "IKP-2.2": "92.5",
    "IKP-3.1": "80",
    "IKK-1.1": "80",
    "IKK-1.2": "94",
    "IKK-1.3": "97",
    "IKK-1.4": "80",
    "IKK-1.5": "85",
    "IKK-1.6": "85",
    "IKK-1.7": "80",
    "IKK-1.8": "27",
    "IKK-2.1": "70",
    "IKK-2.2": "99",
    "IKK-2.3": "85",
    "IKK-2.4": "85",
    "IKK-2.5": "17",
    "IKK-2.6": "31",
    "IKK-2.7": "72",
    "IKK-3.1": "85",
    "IKK-3.2": "80",
    "IKK-3.3": "85",
    "IKK-3.4": "80",
    "IKK-4.1": "1",
    "IKK-4.2": "1",
    "IKK-4.3": "1",
    "IKK-4.4": "1",
    "IKK-4.5": "1",
    "IKK-4.6": "6",
    "IKK-4.7": "43",
    "IKK-4.8": "12",
    "IKK-4.9": "1",
}

# Renstra Lapas Atambua, Target Jangka Menengah 2021-2024 (LKjIP 2023, tables 3.4 to 3.64).
ATAMBUA_RENSTRA = {
    "IKK-1.1": ("71", "71", "71", "71"),
    "IKK-1.2": ("92.5", "93", "93.5", "94"),
    "IKK-1.3": ("96", "96", "97", "97"),
    "IKK-1.4": ("60", "60", "60", "60"),
    "IKK-1.5": ("75", "75", "75", "75"),
    "IKK-1.6": ("75", "75", "75", "75"),
    "IKK-1.7": ("61", "62", "63", "65"),
    "IKK-1.8": ("23", "23", "23", "23"),
    "IKK-2.1": ("65", "70", "75", "80"),
    "IKK-2.2": ("97", "97", "97", "97"),
    "IKK-2.3": ("76", "78", "79", "80"),
    "IKK-2.4": ("75", "75", "75", "75"),
    "IKK-2.5": ("13", "13", "13", "13"),
    "IKK-2.6": ("26", "27", "28", "29"),
    "IKK-2.7": ("62", "62", "62", "62"),
    "IKK-3.1": ("75", "75", "75", "75"),
    "IKK-3.2": ("75", "76", "77", "78"),
    "IKK-3.3": ("75", "75", "75", "75"),
    "IKK-3.4": ("61", "62", "63", "64"),
}

# Tabel 1.1 Jumlah Pegawai (LKjIP 2023); the report states 55 in total, 49 men and 9 women.
ATAMBUA_STAFF_2023 = [
    ("IV/a", 1),
    ("III/d", 8),
    ("III/c", 4),
    ("III/b", 12),
    ("III/a", 5),
    ("II/d", 5),
    ("II/c", 1),
    ("II/b", 15),
    ("II/a", 7),
]


@transaction.atomic
def load_demo() -> dict[str, int]:
    indicators = catalogue_sync()
    ditjen = unit_upsert(
        slug="ditjenpas",
        name="Direktorat Jenderal Pemasyarakatan",
        kind=UnitKind.DIRECTORATE,
        city="Jakarta",
    )
    ntt = unit_upsert(
        slug="kanwil-ntt",
        name="Kantor Wilayah Nusa Tenggara Timur",
        kind=UnitKind.KANWIL,
        parent=ditjen,
        city="Kupang",
        time_zone="Asia/Makassar",
        address="Jalan W. J. Lalamentik No. 98, Kupang",
    )
    sulteng = unit_upsert(
        slug="kanwil-sulteng",
        name="Kantor Wilayah Sulawesi Tengah",
        kind=UnitKind.KANWIL,
        parent=ditjen,
        city="Palu",
        time_zone="Asia/Makassar",
    )
    atambua = unit_upsert(
        slug="lapas-atambua",
        name="Lembaga Pemasyarakatan Kelas IIB Atambua",
        kind=UnitKind.UPT,
        parent=ntt,
        facility_type="lapas",
        facility_class="IIB",
        city="Atambua",
        address="Jalan Prof. Dr. Soepomo, S.H., Atambua",
    )
    luwuk = unit_upsert(
        slug="lapas-luwuk",
        name="Lembaga Pemasyarakatan Kelas IIB Luwuk",
        kind=UnitKind.UPT,
        parent=sulteng,
        facility_type="lapas",
        facility_class="IIB",
        city="Luwuk",
    )

    # Names by period: the ministry was split in October 2024; from 2025 the corrections
    # directorate sits under the new ministry and the regional offices carry its name.
    organisation_name_set(
        unit=None, valid_from=2000, name="Kementerian Hukum dan Hak Asasi Manusia"
    )
    organisation_name_set(
        unit=None, valid_from=2025, name="Kementerian Imigrasi dan Pemasyarakatan"
    )
    organisation_name_set(
        unit=ntt,
        valid_from=2025,
        name="Kantor Wilayah Direktorat Jenderal Pemasyarakatan Nusa Tenggara Timur",
    )

    edwar = person_upsert(
        name="Edwar Hadi",
        nip="197208101996031001",
        unit=atambua,
        position="Kepala Lembaga Pemasyarakatan Kelas IIB Atambua",
    )
    bistok = person_upsert(
        name="Bistok Oloan Situngkir",
        nip="197008271995031001",
        unit=atambua,
        position="Kepala Lembaga Pemasyarakatan Kelas IIB Atambua",
    )
    marciana = person_upsert(
        name="Marciana D. Jone",
        nip="196411261991032001",
        unit=ntt,
        position="Kepala Kantor Wilayah Kementerian Hukum dan HAM NTT",
    )
    team = [
        ("Jemi H. Ndun", "197001291991031001", "Kasubag Tata Usaha"),
        (
            "Jeremias Lusi Gusmao",
            "197404151995031002",
            "Kepala Seksi Adm. Keamanan dan Tata Tertib",
        ),
        ("Henok Petrus Mabilehi", "197806122006041002", "Kasi Binadik & Giatja"),
        ("Adi Maxim Li", "198004242002121001", "Ka. KPLP"),
        ("Jose De Jesus Guterres, S.H.", "197210031995101001", "Kaur Kepegawaian dan Keuangan"),
        ("Putra Tatang Wibowo", "199111082012121001", "Bendahara"),
        ("Adnan Putra", "199412172017121002", "Operator GLP"),
    ]
    for name, nip, position in team:
        person_upsert(name=name, nip=nip, unit=atambua, position=position)
    endi = person_upsert(
        name="Endi Wahyudi, A.Md.IP., S.Sos., M.Si.",
        nip="197009121993031001",
        unit=luwuk,
        position="Kepala Lembaga Pemasyarakatan Kelas IIB Luwuk",
    )

    # Heads of record. The reports do not give the handover date at Atambua: Edwar Hadi signed
    # the PK in January 2023 and Bistok Oloan Situngkir signed the team decree on 15 December 2023.
    HeadAppointment.objects.update_or_create(
        unit=atambua,
        person=edwar,
        defaults={
            "title": "Kepala Lembaga Pemasyarakatan Kelas IIB Atambua",
            "start": dt.date(2023, 1, 1),
            "end": dt.date(2023, 11, 30),
        },
    )
    HeadAppointment.objects.update_or_create(
        unit=atambua,
        person=bistok,
        defaults={
            "title": "Kepala Lembaga Pemasyarakatan Kelas IIB Atambua",
            "start": dt.date(2023, 12, 1),
        },
    )
    HeadAppointment.objects.update_or_create(
        unit=ntt,
        person=marciana,
        defaults={
            "title": "Kepala Kantor Wilayah Kementerian Hukum dan HAM NTT",
            "start": dt.date(2023, 1, 1),
        },
    )
    HeadAppointment.objects.update_or_create(
        unit=luwuk,
        person=endi,
        defaults={
            "title": "Kepala Lembaga Pemasyarakatan Kelas IIB Luwuk",
            "start": dt.date(2024, 1, 1),
        },
    )

    report, _ = StaffReport.objects.update_or_create(
        unit=atambua,
        year=2023,
        defaults={"as_of": dt.date(2023, 12, 31), "stated_total": 55, "men": 49, "women": 9},
    )
    for order, (rank, count) in enumerate(ATAMBUA_STAFF_2023, 1):
        StaffRankCount.objects.update_or_create(
            report=report, rank=rank, defaults={"count": count, "order": order}
        )

    planning.renstra_save(
        unit=atambua,
        start_year=2020,
        end_year=2024,
        vision="Terwujudnya Indonesia Maju yang Berdaulat, Mandiri dan Berkepribadian Berlandaskan Gotong Royong",
        mission="Mengikuti 9 misi pembangunan (Nawacita Kedua) dan sasaran strategis Kementerian 2020-2024.",
        goals="Melakukan pembinaan serta pengamanan kepada warga binaan pemasyarakatan.",
        targets={
            (code, 2021 + i): Decimal(value)
            for code, values in ATAMBUA_RENSTRA.items()
            for i, value in enumerate(values)
        },
    )

    if not PerjanjianKinerja.objects.filter(unit=atambua, year=2023).exists():
        agreement = planning.pk_create(
            unit=atambua,
            year=2023,
            place="Kupang",
            signed_on=dt.date(2023, 1, 16),
            first_party=edwar,
            first_party_title="Kepala Lembaga Pemasyarakatan Kelas IIB Atambua",
            second_party=marciana,
            second_party_title="Kepala Kantor Wilayah Kementerian Hukum dan HAM NTT",
        )
        rows = {r.indicator.code: r.id for r in agreement.indicators.select_related("indicator")}
        planning.pk_targets_set(
            agreement=agreement,
            targets={rows[code]: Decimal(value) for code, value in ATAMBUA_2023_TARGETS.items()},
        )
        # The budget table of the signed PK (appendix); LKjIP table 2.2 quotes other totals.
        planning.pk_budget_set(
            agreement=agreement,
            lines=[
                planning.BudgetLine(
                    "program", "Program Pelayanan dan Penegakan Hukum", Decimal("1911495000")
                ),
                planning.BudgetLine(
                    "activity", "Penyelenggaraan Pemasyarakatan di Wilayah", Decimal("1911495000")
                ),
                planning.BudgetLine(
                    "program", "Program Dukungan Manajemen", Decimal("17118173000")
                ),
                planning.BudgetLine(
                    "activity",
                    "Dukungan Manajemen dan Teknis Lainnya UPT Pemasyarakatan",
                    Decimal("17118173000"),
                ),
            ],
        )
        # LKjIP 2023 Bab III.D.4: maternal care, communicable diseases (HIV/TB) and community
        # rehabilitation are the National Priority activities in this PK.
        planning.pk_national_priority_set(
            agreement=agreement, codes=["IKK-1.3", "IKK-1.7", "IKK-1.8"]
        )
        # Quarterly target increments as the Laporan Capaian PK appendix prints them.
        by_code = {r.indicator.code: r for r in agreement.indicators.select_related("indicator")}
        for code, increments in ATAMBUA_QUARTERS_2023.items():
            planning.ra_indicator_plan_set(
                pk_indicator=by_code[code],
                activity=None,
                quarters=[planning.QuarterPlan(q, Decimal(v)) for q, v in enumerate(increments, 1)],
            )
        planning.pk_sign(agreement=agreement, by=None)

    _atambua_results_2023(atambua)

    # The Luwuk 2024 plan joins the demo through the importer, from the office's own workbook.
    if not PerjanjianKinerja.objects.filter(unit=luwuk, year=2024).exists():
        renaksi_import(
            unit=luwuk, year=2024, data=LUWUK_RENAKSI.read_bytes(), filename=LUWUK_RENAKSI.name
        )
        agreement = PerjanjianKinerja.objects.get(unit=luwuk, year=2024)
        planning.pk_update(
            agreement=agreement,
            first_party=endi,
            first_party_title="Kepala Lembaga Pemasyarakatan Kelas IIB Luwuk",
        )

    load_budget_demo(atambua=atambua, luwuk=luwuk)
    load_documents_demo(atambua=atambua)

    users = 0
    units = {
        "ditjenpas": ditjen,
        "kanwil-ntt": ntt,
        "kanwil-sulteng": sulteng,
        "lapas-atambua": atambua,
        "lapas-luwuk": luwuk,
    }
    for username, full_name, role, slug in DEMO_USERS:
        user = user_upsert(
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            is_superuser=username == "admin",
        )
        membership_grant(user=user, unit=units[slug], role=role)
        users += 1
    # The AKIP evaluation's framework (seeded by a migration; again if the tables were emptied).
    from kinerja.evaluation.services import framework_ensure

    framework_ensure()
    # Two synthetic regions, so that the regional and national pages have something to show.
    from kinerja.synth import load_synth_demo

    load_synth_demo(ditjen, DEMO_PASSWORD)
    # Atambua's signed PK 2023, published for the public pages.
    from kinerja.publication.demo import load_publication_demo

    load_publication_demo()
    # Every facility's figures stored for the dashboards (the services store after their own
    # writes; the demo also writes some rows in bulk).
    from kinerja.dashboards.rollup import store_figures

    store_figures()
    return {
        "indicators": indicators,
        "users": users,
        "ikk": Indicator.objects.filter(level="ikk").count(),
    }


# Atambua 2023 at the end of TW IV, as the counts the LKjIP itself gives (year to date). Where the
# printed report claimed a realisation without any population (maternal care, complaints, security
# incidents), the counts are zero and the demo shows N/A; vehicles show 4 of 6, not "100%".
ATAMBUA_2023_COUNTS = {
    "IKK-1.1": {"A": 190, "B": 190},
    "IKK-1.2": {"A": 190, "B": 190},  # "warga binaan yang menerima layanan kesehatan 190 orang"
    "IKK-1.3": {"A": 0, "B": 0},
    "IKK-1.4": {"A": 0, "B": 0},  # Tabel 3.11: no inmate with a mental disorder
    "IKK-1.5": {"A": 16, "B": 16},
    "IKK-1.6": {"A": 2, "B": 2},  # Tabel 3.19: 2 inmates with disabilities, 2 treated
    "IKK-1.7": {"A": 1, "B": 1, "C": 1, "D": 1},
    "IKK-1.8": {"A": 0, "B": 0},  # no addicts in rehabilitation
    "IKK-2.2": {"A": 273, "B": 273},
    "IKK-2.3": {"A": 73, "B": 78},
    "IKK-2.4": {"A": 0, "B": 190},  # "tidak ada dari jumlah WBP sebanyak 190 orang"
    "IKK-2.5": {"A": 0, "B": 0},  # no high-risk inmates
    "IKK-2.7": {"A": 52, "B": 52},
    "IKK-3.1": {"A": 0, "B": 0},
    "IKK-3.2": {"A": 0, "B": 0},
    "IKK-3.3": {"A": 0, "B": 0},  # no security incidents
    "IKK-3.4": {"A": 0, "B": 0},
    "IKK-4.1": {"A": 1},
    "IKK-4.2": {"A": 1},
    "IKK-4.3": {"A": 1},
    "IKK-4.4": {"A": 1},
    "IKK-4.5": {"A": 1},
    "IKK-4.6": {"A": 4},
    "IKK-4.7": {"A": 21},
    "IKK-4.8": {"A": 5},
    "IKK-4.9": {"A": 1},
}

# The TW IV narrative of each IKK: the LKjIP's own "penyebab keberhasilan" (or why there was
# nothing to achieve), lightly shortened; for SK IV, which has no such part, its realisation text.
# Where the report's words disagree with its Tabel 3.1 (IKK-4.2-4.4 "belum terlaksana", 6 vehicles,
# 174 office items), they are kept as printed.
ATAMBUA_2023_NARRATIVES = {
    "IKK-1.1": (
        "Kemenkumham telah meningkatkan anggaran untuk layanan makanan bagi Tahanan/Narapidana/Anak, "
        "sehingga Lapas Atambua memiliki lebih banyak dana untuk membeli bahan makanan yang "
        "berkualitas dan memenuhi standar. Pengawasan terhadap layanan makanan juga ditingkatkan, "
        "dan tahanan/narapidana/anak mulai memiliki kesadaran akan pentingnya mengonsumsi makanan "
        "yang sehat dan bergizi."
    ),
    "IKK-1.2": (
        "Penyelenggaraan layanan kesehatan sudah sesuai SOP: pemeriksaan kesehatan awal dan "
        "skrining (TB, Hepatitis, HIV, IMS) bagi WBP baru masuk, layanan rawat jalan di "
        "poliklinik, skrining TB dan HIV secara berkala, dan rujukan ke Rumah Sakit Umum Daerah "
        "Atambua. Kualitas tenaga kesehatan ditingkatkan dengan menambahkan 1 tenaga dokter."
    ),
    "IKK-1.3": (
        "Tidak terdapat ibu hamil dan menyusui pada Lapas Atambua, sehingga tidak terdapat capaian "
        "pada indikator ini dan tidak terdapat penyebab keberhasilan."
    ),
    "IKK-1.4": (
        "Selama tahun 2023 tidak terdapat tahanan/narapidana/anak yang mengalami gangguan mental, "
        "sehingga tidak terdapat penyebab keberhasilan maupun kegiatan yang menunjang keberhasilan "
        "pada indikator tersebut."
    ),
    "IKK-1.5": (
        "Selama tahun 2023 terdapat 16 tahanan/narapidana lansia dan yang memperoleh perawatan "
        "lansia berjumlah 16 orang. Faktor keberhasilan: meningkatnya perhatian Kementerian Hukum "
        "dan HAM terhadap kesehatan lansia, peningkatan ketersediaan layanan kesehatan untuk "
        "tahanan/narapidana lansia, dan kerja sama dengan pihak swasta."
    ),
    "IKK-1.6": (
        "Selama tahun 2023 terdapat 2 orang narapidana disabilitas dan 2 orang yang memperoleh "
        "perawatan layanan kesehatan sesuai standar. Penyebab keberhasilan: pemahaman yang baik "
        "dari jajaran Lapas Atambua, poliklinik dengan tenaga medis yang kompeten dan peralatan "
        "medis yang memadai, serta kerja sama dengan Dinas Kesehatan Kabupaten Belu dan Rumah Sakit "
        "Umum Daerah Atambua."
    ),
    "IKK-1.7": (
        "Terdapat narapidana penderita HIV/AIDS 1 orang dan TBC 1 orang; penderita ditempatkan "
        "dalam satu kamar/blok dan skrining HIV/AIDS dan TBC dilaksanakan secara berkala. Penyebab "
        "keberhasilan: peningkatan pemahaman tentang penyakit menular, ketersediaan dan akses "
        "obat-obatan, serta peningkatan kualitas layanan kesehatan."
    ),
    "IKK-1.8": (
        "Pada Lapas Atambua tidak terdapat tahanan/narapidana yang masuk kategori "
        "Pecandu/Penyalahguna/Korban Penyalahguna Narkotika, sehingga capaian realisasi indikator "
        "tersebut tidak tercapai dan tidak terdapat penyebab keberhasilan."
    ),
    "IKK-2.2": (
        "Warga binaan yang memenuhi syarat mendapatkan Remisi Tahun 2023: 142 orang remisi umum dan "
        "131 orang remisi khusus, total 273 orang. Keberhasilan dipengaruhi oleh peningkatan "
        "kualitas pembinaan narapidana, kesadaran narapidana akan pentingnya hak remisi, serta "
        "transparansi dan akuntabilitas pemberian remisi."
    ),
    "IKK-2.3": (
        "Diusulkan 78 orang dan disetujui 73 orang (PB 21, CB 1, Asimilasi 51). Keberhasilan "
        "disebabkan oleh peningkatan kualitas pembinaan narapidana, kerja sama antara pemerintah "
        "dan masyarakat, serta kebijakan yang mendukung integrasi narapidana."
    ),
    "IKK-2.4": (
        "Jumlah narapidana mendapatkan hak pendidikan tidak ada dari jumlah WBP sebanyak 190 orang "
        "dikarenakan belum adanya kegiatan dan kerja sama dengan pihak ketiga untuk memperoleh hak "
        "pendidikan di Lapas Atambua."
    ),
    "IKK-2.5": (
        "Pada Lapas Atambua tidak terdapat narapidana resiko tinggi, sehingga realisasi dan "
        "capaian indikator ini tidak tercapai dan tidak ada penyebab keberhasilan."
    ),
    "IKK-2.7": (
        "Narapidana yang bekerja produktif diusulkan pada sidang TPP: 52 orang diterima (peternakan "
        "3, perkebunan 27, pertanian 22), dengan kemitraan produksi peternakan ayam potong sejak 23 "
        "Februari 2023. Keberhasilan disebabkan oleh kebijakan dan dukungan pemerintah, "
        "ketersediaan lapangan kerja, pelatihan keterampilan, dan motivasi narapidana."
    ),
    "IKK-3.1": (
        "Pada tahun 2023 tidak ada pengaduan yang masuk, sehingga tidak ada pengaduan yang bisa "
        "ditindaklanjuti dan tidak ada penyebab keberhasilan."
    ),
    "IKK-3.2": (
        "Pada tahun 2023 tidak terdapat gangguan kamtib. Upaya pencegahan meliputi pemeriksaan "
        "pintu masuk, penjagaan, pengawalan, penggeledahan, inspeksi, pengontrolan, kegiatan "
        "intelijen, pengendalian peralatan, pengawasan komunikasi, pengendalian lingkungan, "
        "penguncian, penempatan dalam rangka pengamanan serta investigasi dan reka ulang."
    ),
    "IKK-3.3": (
        "Tidak adanya gangguan kamtib di Lapas Atambua tahun 2023, sehingga target dan capaian "
        "indikator ini tidak tercapai dan tidak ada penyebab keberhasilan."
    ),
    "IKK-3.4": (
        "Tidak adanya gangguan keamanan dan ketertiban di Lapas Atambua tahun 2023, sehingga tidak "
        "ada pemulihan kondisi keamanan pasca gangguan kamtib dan tidak ada penyebab keberhasilan."
    ),
    "IKK-4.1": (
        "Lapas Atambua telah melaksanakan penyusunan RKAKL melalui proses analisa kebutuhan anggaran "
        "hingga penyusunan Pagu Indikatif dengan input aplikasi SAKTI. Pelaporan anggaran telah "
        "dilaksanakan setiap bulan melalui e-monev Bappenas, SMART DJA, dan laporan bulanan."
    ),
    "IKK-4.2": (
        "Dokumen pengelolaan BMN tersedia (buku manual persediaan, BAST transfer masuk, neraca SIMAK "
        "dan persediaan, berita acara opname fisik dan rekonsiliasi, form telaah BMN), namun "
        "laporannya belum dibuat dengan lancar karena belum melakukan rekonsiliasi Semester I. "
        "Dengan demikian, target 1 layanan di perjanjian kinerja belum terlaksana."
    ),
    "IKK-4.3": (
        "Lapas Atambua telah menyusun data pegawai dan peningkatan kompetensi pegawai, namun data "
        "tersebut belum diinput dengan baik dalam aplikasi SIMPEG. Pegawai mengikuti diklat yang "
        "diselenggarakan Kementerian Hukum dan HAM, seperti diklat PPK, diklat pengamanan tingkat "
        "lanjutan, diklat MTSL dan diklat dasar bagi CPNS."
    ),
    "IKK-4.4": (
        "Dokumen pelaksanaan anggaran telah disusun setiap bulannya melalui aplikasi e-monev "
        "Bappenas, SMART DJA, dan laporan bulanan paperless. Laporan Keuangan Tahun 2023 belum "
        "disusun berupa CaLK dikarenakan belum melakukan rekonsiliasi, sehingga target 1 layanan "
        "di perjanjian kinerja belum terlaksana."
    ),
    "IKK-4.5": (
        "Layanan perkantoran telah terlaksana dengan baik, antara lain pemeliharaan bangunan tahap 1 "
        "tahun 2023 dan pemeliharaan peralatan dan mesin; realisasi anggaran layanan perkantoran "
        "Rp4.488.659.505 dari pagu Rp4.519.709.000 (99,31%)."
    ),
    "IKK-4.6": (
        "Lapas Atambua telah melakukan perawatan terhadap kendaraan bermotor berjumlah 6 unit: "
        "station wagon, microbus, 2 sepeda motor, mobil ambulance dan mobil tangki air."
    ),
    "IKK-4.7": (
        "Lapas Atambua telah melakukan perawatan terhadap perangkat pengolah data dan komunikasi "
        "yang berjumlah 43 unit, terdiri dari komputer PC, laptop dan HT untuk anggota jaga, dengan "
        "target 21 unit dan capaian 100%."
    ),
    "IKK-4.8": (
        "Lapas Atambua telah melakukan perawatan terhadap peralatan dan fasilitas perkantoran yang "
        "berjumlah 174 unit."
    ),
    "IKK-4.9": (
        "Lapas Atambua telah melakukan perbaikan dan perawatan terhadap gedung/bangunan yang "
        "berjumlah 1 unit, terdiri dari gedung kantor, blok hunian dan rumah dinas."
    ),
}


def _atambua_results_2023(atambua) -> None:
    from kinerja.measurement.services import realization_save

    agreement = PerjanjianKinerja.objects.latest_for(atambua, 2023)
    rows = {
        r.indicator.code: r for r in agreement.indicators.select_related("indicator", "agreement")
    }
    for code, counts in ATAMBUA_2023_COUNTS.items():
        realization_save(
            pk_indicator=rows[code],
            quarter=4,
            values={k: Decimal(v) for k, v in counts.items()},
            narrative=ATAMBUA_2023_NARRATIVES.get(code, ""),
        )
