"""The home page: what waits for this user (the to-do list), then the units they may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kinerja.notifications.selectors import todo
from kinerja.organizations.models import ACTION_ROLES, Unit, UnitKind


@login_required
def home(request):
    """The user's to-do list first, then the facilities they may see by region. A user of one
    facility lands here too (no longer redirected to the facility page): the first thing they
    need is what waits for them, and the facility is one click away."""
    visible = Unit.objects.restrict(request.user, "view").select_related("parent")
    facilities = [u for u in visible if u.kind == UnitKind.UPT]
    # A national or regional user's own dashboard: the highest unit above the facility they see.
    above = [u for u in visible if u.kind != UnitKind.UPT]
    above_ids = {u.id for u in above}
    dashboards = [u for u in above if u.parent_id not in above_ids]
    regions: dict = {}
    for unit in facilities:
        regions.setdefault(unit.parent, []).append(unit)
    memberships = list(request.user.memberships.select_related("unit"))
    return render(
        request,
        "site/home.html",
        {
            "regions": regions,
            "memberships": memberships,
            # The header's "Administrasi", from the roles read anyway (no query on other pages).
            "administers": request.user.is_superuser
            or any(m.role in ACTION_ROLES["administer"] for m in memberships),
            "todo": todo(request.user),
            "single": facilities[0] if len(facilities) == 1 and len(visible) == 1 else None,
            "dashboards": dashboards,
        },
    )
