from __future__ import annotations

import datetime as dt

from kinerja.organizations.models import HeadAppointment, Unit


def head_of_record(unit: Unit, year: int) -> HeadAppointment | None:
    """Who headed the unit at the start of the year (or first took office during it)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (
        HeadAppointment.objects.select_related("person")
        .filter(unit=unit, start__lte=end)
        .exclude(end__lt=start)
        .order_by("start")
        .first()
    )


def head_on(unit: Unit, date: dt.date | None) -> HeadAppointment | None:
    """The head of record on a date (the signatory of a document dated that day)."""
    if date is None:
        return None
    return (
        HeadAppointment.objects.select_related("person")
        .filter(unit=unit, start__lte=date)
        .exclude(end__lt=date)
        .order_by("-start")
        .first()
    )


def names_in(year: int) -> tuple[str | None, dict[int, str]]:
    """The ministry's name in force in `year` (None when none is recorded) and every unit's that
    has one recorded for that year ({unit id: name}); a unit without one keeps `Unit.name`. One
    query."""
    from kinerja.organizations.models import OrganisationName

    ministry: str | None = None
    names: dict[int, str] = {}
    for entry in OrganisationName.objects.filter(valid_from__lte=year).order_by("valid_from"):
        if entry.unit_id is None:
            ministry = entry.name
        else:
            names[entry.unit_id] = entry.name
    return ministry, names


def logo_in(year: int) -> bytes | None:
    """The ministry's logo in force in `year` as PNG (at most 600 px on a side), from the latest
    entry up to that year that has one; None without one, or when the file is missing or is not
    an image (a document is never refused for its logo)."""
    import io

    from PIL import Image, UnidentifiedImageError

    from kinerja.organizations.models import OrganisationName

    entry = (
        OrganisationName.objects.filter(unit__isnull=True, valid_from__lte=year)
        .exclude(logo="")
        .order_by("-valid_from")
        .first()
    )
    if entry is None:
        return None
    try:
        with entry.logo.open("rb") as handle, Image.open(handle) as image:
            image.thumbnail((600, 600))
            out = io.BytesIO()
            image.convert("RGBA").save(out, format="PNG")
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
        return None
    return out.getvalue()
