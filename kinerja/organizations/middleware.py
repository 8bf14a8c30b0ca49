"""Each page in the time zone of the unit it is about (WIB, WITA or WIT): deadlines, timestamps and
"today" on a facility's pages are the facility's, whatever zone the server or the reader is in.

A page about a unit takes that unit's zone where the view reads the unit (`access.in_unit_zone`,
called by `facility_or_404`, `region_or_404`, `above_facility_or_404` and the entry pages: no
query of its own). Until then, and on a page about no unit (the home page, the notifications), the
zone of the user's own units, read once when they log in. The zone ends with the request."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.utils import timezone

from kinerja.organizations.models import Membership

SESSION_KEY = "kinerja_zona"
ZONES = {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}


def user_zone(user) -> str:
    """The zone of the user's units when they all lie in one, else ''."""
    rows = Membership.objects.filter(user=user).values_list(
        "unit__time_zone", "unit__parent__time_zone"
    )
    zones = {next((z for z in row if z), settings.TIME_ZONE) for row in rows}
    return zones.pop() if len(zones) == 1 else ""


def remember_zone(sender, request, user, **kwargs) -> None:
    """At login (which writes the session anyway): the zone of the user's own units."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = user_zone(user)


class UnitTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = request.session.get(SESSION_KEY, "") if hasattr(request, "session") else ""
        if zone in ZONES:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
