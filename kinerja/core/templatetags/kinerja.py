from __future__ import annotations

from decimal import Decimal

from django import template

from kinerja.core import formatting

register = template.Library()


@register.filter
def angka(value, places: int = 2):
    """Indonesian number: 1.234,56; trailing zero decimals dropped for whole targets."""
    if value is None or value == "":
        return "-"
    return formatting.format_number(Decimal(value), int(places), trim=True)


@register.filter
def rupiah(value):
    return formatting.format_rupiah(None if value in (None, "") else Decimal(value))


@register.filter
def tanggal(value):
    return formatting.format_date(value)


@register.filter
def waktu(value):
    """A moment as '16 Januari 2024 14.05 WITA', in the page's unit's zone."""
    return formatting.format_datetime(value)


@register.filter
def triwulan(value):
    return formatting.TRIWULAN.get(int(value), str(value))


@register.filter
def target(row):
    """A PK target with its unit: '80%', '92,5', '6 Unit'."""
    if row.target is None:
        return "belum diisi"
    number = formatting.format_number(row.target, 4, trim=True)
    if row.target_unit == "%":
        return f"{number}%"
    if row.target_unit == "Indeks":
        return number
    return f"{number} {row.target_unit}"


@register.filter
def dictget(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def rumus(formula: str) -> str:
    """A formula as people write it: A / B × 100."""
    return (formula or "").replace("*", "×")


@register.filter
def persen(value, places="2"):
    """A percentage, as in the documents: 110,09%; N/A when there is no figure.

    `persen:0` for whole-number weights and progress (60%); `persen:"ringkas"` for a setting typed
    by people, without trailing zeros (a cap of 120%). Templates never append "%" by hand.
    """
    number = None if value in (None, "") else Decimal(value)
    if places == "ringkas":
        return formatting.format_percent(number, 2, trim=True)
    return formatting.format_percent(number, int(places))


@register.filter
def skor(value):
    """A score (nilai SMART, IKPA, Capaian Kinerja Anggaran, TARJA, efisiensi): two decimals
    always, as in the LKjIP: 87,30; '-' when there is none."""
    return formatting.format_number(None if value in (None, "") else Decimal(value), 2)


@register.filter
def nilai(value, unit="%"):
    """A realisation with the unit of its target, as in the documents: 93,58%, 4 Unit, 0,75."""
    return formatting.format_figure(None if value in (None, "") else Decimal(value), unit or "")


@register.filter
def bulan(value):
    """1 -> Januari."""
    return formatting.BULAN[int(value) - 1]


@register.filter
def orang(user):
    """The name of the user who made a change, 'sistem' when there is none."""
    return formatting.person_name(user)
