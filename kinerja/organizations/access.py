"""The one way a view gets a facility: only if this user may act on it, else 404 (an outsider learns nothing)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from kinerja.organizations.models import Unit


def facility_or_404(request, slug: str, action: str = "view") -> Unit:
    # With its region and directorate: the pages name the region, and times use their zone.
    units = (
        Unit.objects.restrict(request.user, action).facilities().select_related("parent__parent")
    )
    return get_object_or_404(units, slug=slug)
