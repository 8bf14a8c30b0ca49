"""Indonesian formats for numbers, money and dates, and the reader for numbers as offices type them.

Display only: rounding happens here (half-up), never in stored figures.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

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
    # A context wide enough for any finite stored value, so that a figure too large for the default
    # 28 digits is still shown (and a page never fails on it) rather than raising InvalidOperation.
    digits = max(28, value.adjusted() + places + 2) if value.is_finite() else 28
    return value.quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=Context(prec=digits)
    )


def format_number(value: Decimal | int | None, places: int = 2, *, trim: bool = False) -> str:
    """7363920000 -> '7.363.920.000'; 110.0898 -> '110,09'. trim drops a ',00' tail."""
    if value is None:
        return "-"
    if not Decimal(value).is_finite():
        return "N/A"
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


def format_percent(value: Decimal | int | None, places: int = 2, *, trim: bool = False) -> str:
    """A percentage as every page and document shows it: 110.0898 -> '110,09%', 110.1 -> '110,10%'.

    Two decimals for figures (achievement, absorption); `places=0` for whole-number weights
    ('60%'); `trim` for settings typed by people (a cap of '120%').
    """
    return "N/A" if value is None else f"{format_number(value, places, trim=trim)}%"


def format_figure(value: Decimal | int | None, unit: str = "%") -> str:
    """A realisation or target with its unit: '93,58%', '92,5%', '4 Unit', '0,75' (an index)."""
    if value is None:
        return "-"
    number = format_number(value, 2, trim=True)
    if unit == "%":
        return f"{number}%"
    if unit in ("", "Indeks"):
        return number
    return f"{number} {unit}"


def json_number(value: Decimal | int | None, places: int | None = None) -> str | None:
    """A figure for JSON output (CLI, exports): a string with a dot, never a float.

    With `places`, rounded half-up to that many decimals ('99.38', '80.00'); without, exact when
    whole (rupiah: '6946743000') and otherwise two decimals half-up.
    """
    if value is None:
        return None
    number = Decimal(value)
    if places is not None:
        return str(round_half_up(number, places))
    if number == number.to_integral_value():
        return str(int(number))
    return str(round_half_up(number, 2))


def svg_number(value: Decimal | float | int) -> str:
    """A drawing coordinate for SVG: always a dot and one decimal ('40.2'), never the Indonesian
    comma: SVG reads '40,2' as two numbers and the line lands in the wrong place."""
    return f"{float(value):.1f}"


def format_rupiah(value: Decimal | int | None) -> str:
    return "-" if value is None else f"Rp {format_number(value, 0)}"


def format_date(value: dt.date | None) -> str:
    if value is None:
        return "-"
    return f"{value.day:02d} {BULAN[value.month - 1]} {value.year}"


ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def format_datetime(moment: dt.datetime | None, tz: dt.tzinfo | None = None) -> str:
    """'16 Januari 2024 14.05 WITA': the one way a moment is shown, in `tz` (by default the zone
    active for the request: the unit's, see organizations.middleware)."""
    if moment is None:
        return "-"
    from django.utils import timezone

    zone = tz or timezone.get_current_timezone()
    local = timezone.localtime(moment, zone) if timezone.is_aware(moment) else moment
    name = ZONE_NAMES.get(str(zone), str(zone))
    return f"{format_date(local.date())} {local:%H.%M} {name}"


_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


_EXPONENT = re.compile(r"[eE]")


def parse_decimal(
    text: str | int | Decimal | None, *, max_digits: int | None = None
) -> Decimal | None:
    """Read a number as Indonesian offices write it. '-' or blank is None.

    '7.363.920.000' -> 7363920000, '92,5' -> 92.5, '1.234,56' -> 1234.56, 'Rp. 500.000' -> 500000,
    '85%' -> 85, '92.5' -> 92.5. Raises ValueError with the text when it is not a number, and also
    for what Python would read but no office writes: exponent notation ('1e9'), 'NaN', 'Infinity',
    and more digits than any column holds (`max_digits`, by default `bounds.MAX_DIGITS`).
    """
    from kinerja.core.bounds import MAX_DIGITS

    limit = max_digits or MAX_DIGITS
    if text is None:
        return None
    if isinstance(text, (int, Decimal)) and not isinstance(text, bool):
        value = Decimal(text)
        _check_plain(value, str(text), limit)
        return value
    raw = str(text).strip()
    cleaned = re.sub(r"(?i)^rp\.?\s*", "", raw).replace("%", "").replace(" ", "").rstrip(",-")
    if cleaned in {"", "-", "–"}:
        return None
    if _EXPONENT.search(cleaned):
        if re.fullmatch(r"[+-]?[\d.,]*\d[eE][+-]?\d+", cleaned):
            raise ValueError(f"'{_short(raw)}' ditulis dengan notasi eksponen; tulis angkanya utuh")
        raise ValueError(f"'{_short(raw)}' bukan angka")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".") if cleaned.count(",") == 1 else cleaned.replace(",", "")
    elif _THOUSANDS_DOT.match(cleaned):
        cleaned = cleaned.replace(".", "")
    if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", cleaned):
        # Only digits with one decimal point: this refuses 'NaN', 'Infinity', '١٢' (digits of
        # other scripts, which Decimal would read) and anything else Decimal happens to accept.
        raise ValueError(f"'{_short(raw)}' bukan angka")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"'{_short(raw)}' bukan angka") from exc
    _check_plain(value, raw, limit)
    return value


def _short(raw: str) -> str:
    return raw if len(raw) <= 40 else raw[:37] + "..."


def _check_plain(value: Decimal, raw: str, limit: int) -> None:
    if not value.is_finite():
        raise ValueError(f"'{_short(raw)}' bukan angka")
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    whole = max(value.adjusted() + 1, 0)
    if whole + places > limit:
        raise ValueError(f"'{_short(raw)}' terlalu panjang: paling banyak {limit} angka")


def person_name(user: AbstractBaseUser | None) -> str:
    """Who made a change, for pages and exports. A change made outside a web request (a command, the
    shell) or by a user since deleted has no user: it reads "sistem", never a failure."""
    if user is None:
        return "sistem"
    full_name: str = getattr(user, "get_full_name", lambda: "")()
    return full_name or user.get_username()
