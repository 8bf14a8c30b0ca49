"""The home page: the units this user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from kinerja.organizations.models import Unit, UnitKind


@login_required
def home(request):
    """The units this user may see; a user of one facility goes straight to it."""
    visible = Unit.objects.restrict(request.user, "view").select_related("parent")
    facilities = [u for u in visible if u.kind == UnitKind.UPT]
    if len(facilities) == 1 and not any(u.kind != UnitKind.UPT for u in visible):
        return redirect("unit_detail", slug=facilities[0].slug)
    # A national or regional user's own dashboard: the highest unit above the facility they see.
    above = [u for u in visible if u.kind != UnitKind.UPT]
    above_ids = {u.id for u in above}
    dashboards = [u for u in above if u.parent_id not in above_ids]
    regions: dict = {}
    for unit in facilities:
        regions.setdefault(unit.parent, []).append(unit)
    return render(
        request,
        "site/home.html",
        {
            "regions": regions,
            "dashboards": dashboards,
            "memberships": request.user.memberships.select_related("unit"),
        },
    )
