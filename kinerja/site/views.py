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
    regions: dict = {}
    for unit in facilities:
        regions.setdefault(unit.parent, []).append(unit)
    return render(
        request,
        "site/home.html",
        {"regions": regions, "memberships": request.user.memberships.select_related("unit")},
    )
