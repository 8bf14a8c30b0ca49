"""What the dashboards add to pages of the apps below them (connected in DashboardsConfig.ready)."""

from __future__ import annotations

from kinerja.dashboards.figures import peer_places
from kinerja.dashboards.models import peer_names_shown
from kinerja.dashboards.rollup import rollup


def results_peers(sender, *, unit, year, user, **kwargs) -> dict:
    """A facility's place per IKK among the facilities of its region and of the nation, from one
    national roll-up (never a query per IKK). The other facilities' names only when the
    directorate allows them, and then only those of its own region."""
    region = unit.parent
    directorate = region.parent if region is not None else None
    if directorate is None:
        return {}
    result = rollup(directorate, year)
    names = peer_names_shown()
    return {"peers": peer_places(result, unit, names=names), "peer_names": names}
