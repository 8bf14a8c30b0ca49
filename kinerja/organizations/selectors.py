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
