"""The one way a view or a service asks about one unit: may this user act on it (`may`), or get it
only if so, else 404 (`facility_or_404`, `region_or_404`, `above_facility_or_404`: an outsider learns nothing, not even that
it exists). Lists use the queryset's own `Unit.objects.restrict(user, action)`."""

from __future__ import annotations

import zoneinfo

from django.shortcuts import get_object_or_404
from django.utils import timezone

from kinerja.organizations.models import Unit, UnitKind


def in_unit_zone(unit: Unit) -> Unit:
    """The rest of the request shows times, deadlines and "today" in the unit's zone (WIB, WITA or
    WIT; `organizations.middleware` ends it with the request). No query for a unit read with its
    parent. Every page about a unit gets it through the functions below."""
    timezone.activate(zoneinfo.ZoneInfo(unit.local_time_zone))
    return unit


def may(user, unit: Unit | int, action: str = "view") -> bool:
    """Whether the user may `action` ("view", "change", "sign", "run", "verify", …) on this unit
    (a Unit or its id): one query."""
    pk = unit.pk if isinstance(unit, Unit) else unit
    return Unit.objects.restrict(user, action).filter(pk=pk).exists()


def facility_or_404(request, slug: str, action: str = "view") -> Unit:
    # With its region and directorate: the pages name the region, and times use their zone.
    units = (
        Unit.objects.restrict(request.user, action).facilities().select_related("parent__parent")
    )
    return in_unit_zone(get_object_or_404(units, slug=slug))


def region_or_404(request, slug: str, action: str = "view") -> Unit:
    """A regional office (Kanwil) this user may `action` on, else 404."""
    units = (
        Unit.objects.restrict(request.user, action)
        .filter(kind=UnitKind.KANWIL)
        .select_related("parent")
    )
    return in_unit_zone(get_object_or_404(units, slug=slug))


def above_facility_or_404(request, slug: str, action: str = "view") -> Unit:
    """A unit above the facility (a Kanwil or the directorate) this user may `action` on, else 404:
    a regional evaluator gets their Kanwil only, a national user the directorate and every Kanwil,
    a facility's user nothing (their membership covers only the facility and below)."""
    units = (
        Unit.objects.restrict(request.user, action)
        .filter(kind__in=(UnitKind.KANWIL, UnitKind.DIRECTORATE))
        .select_related("parent")
    )
    return in_unit_zone(get_object_or_404(units, slug=slug))
