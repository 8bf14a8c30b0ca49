"""Indonesian formats for numbers, money and dates, and the reader for numbers as offices type them.

Display only: rounding happens here (half-up), never in stored figures.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
TRIWULAN = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value: Decimal | int | None, places: int = 2, *, trim: bool = False) -> str:
    """7363920000 -> '7.363.920.000'; 110.0898 -> '110,09'. trim drops a ',00' tail."""
    if value is None:
        return "-"
    number = round_half_up(Decimal(value), places)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):.{places}f}"
    whole, _, frac = text.partition(".")
    whole = f"{int(whole):,}".replace(",", ".")
    if trim and frac and int(frac) == 0:
        frac = ""
    elif trim and frac:
        frac = frac.rstrip("0")
    return f"{sign}{whole},{frac}" if frac else f"{sign}{whole}"


def format_percent(value: Decimal | None, places: int = 2) -> str:
    return "N/A" if value is None else f"{format_number(value, places)}%"


def format_rupiah(value: Decimal | int | None) -> str:
    return "-" if value is None else f"Rp {format_number(value, 0)}"


def format_date(value: dt.date | None) -> str:
    if value is None:
        return "-"
    return f"{value.day:02d} {BULAN[value.month - 1]} {value.year}"


_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def parse_decimal(text: str | int | Decimal | None) -> Decimal | None:
    """Read a number as Indonesian offices write it. '-' or blank is None.

    '7.363.920.000' -> 7363920000, '92,5' -> 92.5, '1.234,56' -> 1234.56, 'Rp. 500.000' -> 500000,
    '85%' -> 85, '92.5' -> 92.5. Raises ValueError with the text when it is not a number.
    """
    if text is None:
        return None
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    raw = str(text).strip()
    cleaned = re.sub(r"(?i)^rp\.?\s*", "", raw).replace("%", "").replace(" ", "").rstrip(",-")
    if cleaned in {"", "-", "–"}:
        return None
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".") if cleaned.count(",") == 1 else cleaned.replace(",", "")
    elif _THOUSANDS_DOT.match(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"'{raw}' bukan angka") from exc
    if not value.is_finite():
        raise ValueError(f"'{raw}' bukan angka")
    return value
