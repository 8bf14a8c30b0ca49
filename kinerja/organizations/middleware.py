"""Each page in the time zone of the unit it is about (WIB, WITA or WIT): deadlines, timestamps and
"today" on a facility's pages are the facility's, whatever zone the server or the reader is in.

A page under a unit (its address names the unit's code, `slug`) takes that unit's zone, else its
parent's, else the national setting (as `Unit.local_time_zone`). A page about no unit (the home page,
the notifications) takes the zone of the user's own units, read once when they log in."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.utils import timezone

from kinerja.organizations.models import Membership, Unit

SESSION_KEY = "kinerja_zona"
ZONES = {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}


def unit_zone(slug: str) -> str:
    """The zone of the unit with this code (one query; '' for an unknown code)."""
    row = Unit.objects.filter(slug=slug).values_list("time_zone", "parent__time_zone").first()
    if row is None:
        return ""
    return next((z for z in row if z), settings.TIME_ZONE)


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
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("slug")
        zone = unit_zone(slug) if isinstance(slug, str) else ""
        if not zone and hasattr(request, "session"):
            zone = request.session.get(SESSION_KEY, "")
        if zone in ZONES:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        return None
