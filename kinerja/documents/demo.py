"""Demo data for the documents: what the Atambua LKjIP 2023 itself prints (its quarterly targets,
the printed results of 2021-2023 from Tabel 3.1, the team decree and its members, the report date),
so that the generated LKjIP can be set beside the printed one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from kinerja.indicators.models import Indicator
from kinerja.measurement.models import PrintedResult
from kinerja.organizations.models import Person
from kinerja.reporting.models import AnnualReport, PrintedSignature, TeamMember

# Laporan Capaian PK (appendix): target increments TW I-IV per IKK, as printed. Equipment (IKK-4.8)
# adds up to 11 against an annual target of 12, and the N/A indicators have 0 in every quarter:
# both are left as printed for the review to find.
ATAMBUA_QUARTERS_2023 = {
    "IKK-1.1": (20, 20, 20, 20),
    "IKK-1.2": (30, 25, 20, 19),
    "IKK-1.3": (0, 0, 0, 0),
    "IKK-1.4": (20, 20, 20, 20),
    "IKK-1.5": (25, 20, 20, 20),
    "IKK-1.6": (25, 20, 20, 20),
    "IKK-1.7": (20, 20, 20, 20),
    "IKK-1.8": (0, 0, 0, 0),
    "IKK-2.1": (20, 20, 15, 15),
    "IKK-2.2": (39, 30, 15, 15),
    "IKK-2.3": (25, 20, 20, 20),
    "IKK-2.4": (25, 20, 20, 20),
    "IKK-2.5": (5, 5, 4, 3),
    "IKK-2.6": (10, 10, 5, 6),
    "IKK-2.7": (20, 20, 17, 15),
    "IKK-3.1": (0, 0, 0, 0),
    "IKK-3.2": (20, 20, 20, 20),
    "IKK-3.3": (0, 0, 0, 0),
    "IKK-3.4": (0, 0, 0, 0),
    "IKK-4.1": (0, 0, 0, 1),
    "IKK-4.2": (0, 0, 0, 1),
    "IKK-4.3": (0, 0, 0, 1),
    "IKK-4.4": (0, 0, 0, 1),
    "IKK-4.5": (0, 0, 0, 1),
    "IKK-4.6": (2, 2, 1, 1),
    "IKK-4.7": (13, 10, 10, 10),
    "IKK-4.8": (3, 3, 2, 3),
    "IKK-4.9": (1, 0, 0, 0),
}

# Tabel 3.1 of the printed LKjIP 2023: (target, realisation, achievement) for 2023 and the printed
# achievement of 2022 and 2021 ("Nihil" kept as text). 2022 is a (target, realisation, achievement)
# triple where the per-IKK table "Perbandingan ... dengan tahun sebelumnya" (and its text) gives the
# target and realisation; the achievement stays Tabel 3.1's where that table differs (IKK-1.7 142,
# IKK-2.5 100, IKK-3.2 140 there). That table swaps the years for IKK-1.2 (its "2022" is 2023's
# 94/100/106), so 2022 is taken from its "2023" columns. SK IV has no such table: bare achievement.
# These are the report's own figures, errors included (maternal care 97% without population,
# vehicles "100%" for 4 of 6, education 2022 92.48 of 85 as "115%").
ATAMBUA_PRINTED = {
    "IKK-1.1": ((80, 100, 125), (75, 100, 133), 140),
    "IKK-1.2": ((94, 100, 106), (93, 100, "107.52"), 108),
    "IKK-1.3": ((97, 97, 100), (96, 96, 100), 100),
    "IKK-1.4": ((70, 70, 100), (70, 70, 100), 100),
    "IKK-1.5": ((85, 100, 117), (80, 100, 125), 133),
    "IKK-1.6": ((85, 100, 117), (80, 100, 125), 100),
    "IKK-1.7": ((80, 100, 125), (70, 100, 125), 100),
    "IKK-1.8": ((27, 27, 100), (25, 25, 100), 100),
    "IKK-2.1": ((70, 100, 142), (65, 96, "147.69"), 151),
    "IKK-2.2": ((99, 100, 101), (98, 100, 102), 103),
    "IKK-2.3": ((85, "93.58", 110), (80, "93.58", 116), 105),
    "IKK-2.4": ((85, 85, 100), (85, "92.48", 115), 100),
    "IKK-2.5": ((17, 17, 100), (15, 15, "Nihil"), 100),
    "IKK-2.6": ((31, 31, 100), (28, 30, 107), 100),
    "IKK-2.7": ((72, 100, 138), (67, "68.78", 102), 101),
    "IKK-3.1": ((85, 85, 100), (80, 100, 125), 100),
    "IKK-3.2": ((80, 80, 100), (70, 100, 142), 138),
    "IKK-3.3": ((85, 85, 100), (80, 100, 125), 133),
    "IKK-3.4": ((80, 85, 100), (70, 100, 142), 166),
    "IKK-4.1": ((1, 1, 100), 100, 100),
    "IKK-4.2": ((1, 1, 100), 100, 100),
    "IKK-4.3": ((1, 1, 100), 100, 100),
    "IKK-4.4": ((1, 1, 100), 100, 100),
    "IKK-4.5": ((1, 1, 100), 100, 100),
    "IKK-4.6": ((6, 4, 100), 100, 100),
    "IKK-4.7": ((43, 21, 100), 100, 100),
    "IKK-4.8": ((12, 5, 100), 100, 100),
    "IKK-4.9": ((1, 1, 100), 100, 100),
}

SOURCE = "LKjIP Lapas Atambua 2023, Tabel 3.1"
SIGNATURE_SOURCE = "LKjIP Lapas Atambua 2023 dan lampirannya"

# Lampiran: Susunan Tim Penyusun LKjIP (SK of 15 December 2023).
ATAMBUA_TEAM = [
    ("197008271995031001", "Kepala Lembaga Pemasyarakatan", "Penanggung Jawab"),
    ("197001291991031001", "Kasubag Tata Usaha", "Anggota"),
    ("197404151995031002", "Kepala Seksi Adm. Keamanan dan Tata Tertib", "Anggota"),
    ("197806122006041002", "Kasi Binadik & Giatja", "Anggota"),
    ("198004242002121001", "Ka. KPLP", "Anggota"),
    ("197210031995101001", "Kaur Kepegawaian dan Keuangan", "Anggota"),
    ("199111082012121001", "Bendahara", "Anggota"),
    ("199412172017121002", "Operator GLP", "Anggota"),
]

# Signature blocks as the 2023 report and its appendices print them (name, NIP and date exactly as
# written): the review compares them with the people and heads of record.
ATAMBUA_SIGNATURES = [
    (
        "lkjip",
        "Surat pengantar",
        "",
        dt.date(2024, 1, 2),
        "Bistok Oloan Situngkir",
        "197008271995031001",
    ),
    (
        "lkjip",
        "Kata Pengantar",
        "Atambua",
        dt.date(2024, 1, 2),
        "Bistok Oloan Situngkir",
        "197008271995031001",
    ),
    (
        "lkjip",
        "BAB IV Penutup",
        "Atambua",
        dt.date(2023, 1, 2),
        "Bistok Olean Situngkir",
        "197008271995031001",
    ),
    (
        "pk",
        "Lampiran PK, halaman tanda tangan (Pihak Kedua)",
        "Kupang",
        dt.date(2023, 1, 16),
        "Marciana D. Jone",
        "196411261991032001",
    ),
    (
        "pk",
        "Lampiran PK, halaman tanda tangan (Pihak Pertama)",
        "Kupang",
        dt.date(2023, 1, 16),
        "Edwar Hadi",
        "197208103996031001",
    ),
    (
        "pk",
        "Lampiran PK, tabel sasaran (Pihak Pertama)",
        "Kupang",
        dt.date(2023, 1, 16),
        "Edwar Hadi",
        "197208101996031001",
    ),
    (
        "pk",
        "Lampiran PK, pernyataan satu pihak",
        "Kupang",
        dt.date(2023, 1, 16),
        "Edwar Hadi",
        "197206101996031001",
    ),
]


def _d(value) -> Decimal | None:
    return (
        None
        if isinstance(value, str) and not (value[0].isascii() and value[0].isdigit())
        else Decimal(str(value))
    )


def load_documents_demo(*, atambua) -> None:
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=ATAMBUA_PRINTED)}
    for code, (this_year, y2022, y2021) in ATAMBUA_PRINTED.items():
        target, realisation, achievement = this_year
        PrintedResult.objects.update_or_create(
            unit=atambua,
            year=2023,
            indicator=indicators[code],
            defaults={
                "target": _d(target),
                "realisation": _d(realisation),
                "achievement": _d(achievement),
                "source": SOURCE,
            },
        )
        for year, printed in ((2022, y2022), (2021, y2021)):
            # a bare value is the achievement alone; a triple also gives target and realisation
            t, r, value = printed if isinstance(printed, tuple) else (None, None, printed)
            PrintedResult.objects.update_or_create(
                unit=atambua,
                year=year,
                indicator=indicators[code],
                defaults={
                    "target": None if t is None else _d(t),
                    "realisation": None if r is None else _d(r),
                    "achievement": _d(value),
                    "printed_text": value if _d(value) is None else "",
                    "source": SOURCE
                    + ("" if t is None else "; target dan realisasi: tabel perbandingan per IKK"),
                },
            )
    report, _ = AnnualReport.objects.update_or_create(
        unit=atambua,
        year=2023,
        defaults={
            "place": "Atambua",
            "report_date": dt.date(2024, 1, 2),
            "decree_number": "W.22.PAS.PAS.4 - 995 - PR.03 TAHUN 2023",
            "decree_date": dt.date(2023, 12, 15),
            # The cover letter as the office sent it (reference LKjIP, first page).
            "letter_number": "W.22.PAS.PAS.4-PR.04.03-08",
            "letter_nature": "Segera",
            "letter_attachment": "1 (satu) berkas",
        },
    )
    PrintedSignature.objects.filter(unit=atambua, year=2023, source=SIGNATURE_SOURCE).delete()
    # With their history rows: a plain bulk_create would skip them.
    bulk_create_with_history(
        [
            PrintedSignature(
                unit=atambua,
                year=2023,
                document=document,
                location=location,
                place=place,
                signed_on=date,
                name=name,
                nip=nip,
                source=SIGNATURE_SOURCE,
            )
            for document, location, place, date, name, nip in ATAMBUA_SIGNATURES
        ],
        PrintedSignature,
    )
    people = {p.nip: p for p in Person.objects.filter(nip__in=[n for n, _, _ in ATAMBUA_TEAM])}
    for order, (nip, position, role) in enumerate(ATAMBUA_TEAM, 1):
        TeamMember.objects.update_or_create(
            report=report,
            person=people[nip],
            defaults={"position": position, "role": role, "order": order},
        )
