"""NIP (Nomor Induk Pegawai) of Indonesian civil servants: 18 digits.

YYYYMMDD birth date, YYYYMM appointment (TMT CPNS), 1 digit sex (1 man, 2 woman),
3 digit sequence. Pure: no ORM (today is the national date, Asia/Jakarta, unless given), used by forms, the import and the review.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def nip_problems(nip: str, *, today: dt.date | None = None) -> list[str]:
    """Every reason this is not a plausible NIP; empty when it is."""
    today = today or timezone.localdate()
    text = (nip or "").replace(" ", "")
    if not (text.isascii() and text.isdigit()) or len(text) != 18:
        return [f"NIP harus 18 angka (tertulis {len(text)} karakter: '{nip}')."]
    problems = []
    try:
        birth = dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        birth = None
        problems.append(f"Tanggal lahir dalam NIP ({text[0:8]}) bukan tanggal yang sah.")
    if birth and not (1930 <= birth.year <= today.year - 15):
        problems.append(f"Tahun lahir dalam NIP ({birth.year}) tidak masuk akal.")
    year, month = int(text[8:12]), int(text[12:14])
    if not 1 <= month <= 12:
        problems.append(f"Bulan pengangkatan dalam NIP ({text[8:14]}) bukan bulan yang sah.")
    elif year > today.year or (year == today.year and month > today.month):
        problems.append(f"Tahun pengangkatan dalam NIP ({year}) ada di masa depan.")
    elif birth and year < birth.year + 15:
        problems.append(
            f"Tahun pengangkatan dalam NIP ({year}) terlalu dekat dengan tahun lahir ({birth.year})."
        )
    if text[14] not in "12":
        problems.append(f"Digit jenis kelamin dalam NIP harus 1 atau 2 (tertulis {text[14]}).")
    if text[15:18] == "000":
        problems.append("Nomor urut dalam NIP tidak boleh 000.")
    return problems
