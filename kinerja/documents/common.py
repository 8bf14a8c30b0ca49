"""Pieces the documents share: letterhead, targets and figures as text, signature blocks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kinerja.core.formatting import format_date, format_figure, format_percent
from kinerja.core.templatetags.kinerja import target as target_text  # noqa: F401 (re-export)
from kinerja.organizations.models import Unit
from kinerja.organizations.selectors import names_in


def letterhead(unit: Unit, year: int | None = None, *, ministry: bool = True) -> list[str]:
    """The unit's line of authority, top down, as the letterheads print it (names are data). For a
    document of `year`, the names in force that year (`OrganisationName`), with the ministry's on
    top when one is recorded for that year."""
    return [name.upper() for name in authority_chain(unit, year, ministry=ministry)]


def authority_chain(unit: Unit, year: int | None = None, *, ministry: bool = False) -> list[str]:
    """The names from the top down to the unit, as they were in `year` (today's without a year)."""
    top, names = names_in(year) if year is not None else (None, {})
    chain, node = [], unit
    while node is not None:
        chain.append(names.get(node.pk, node.name))
        node = node.parent
    if ministry and top:
        chain.append(top)
    return list(reversed(chain))


def percent(value: Decimal | None, na: str = "N/A") -> str:
    return na if value is None else format_percent(value)


def figure(value: Decimal | None, unit_label: str = "%") -> str:
    """A realisation with its unit: '93,58%', '4 Unit', '1 Layanan'."""
    return format_figure(value, unit_label)


def signer_lines(title_lines: list[str], person, placeholder: str = "(belum ditetapkan)"):
    name = person.name if person else placeholder
    nip = f"NIP. {person.nip}" if person and person.nip else "NIP. -"
    return [*title_lines, name, nip]


def place_date(place: str, date: dt.date | None) -> str:
    return f"{place or '(tempat)'}, {format_date(date) if date else '(tanggal belum diisi)'}"
