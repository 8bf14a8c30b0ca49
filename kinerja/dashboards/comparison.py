"""The region's and the nation's figure per IKK for a facility's LKjIP: the same roll-up as the
regional and national pages (ΣA / ΣB of the facilities' counts), registered with
`documents.comparison` when the app is ready."""

from __future__ import annotations

from kinerja.documents.comparison import AreaFigure
from kinerja.organizations.models import Unit, UnitKind


def _area(unit: Unit, year: int, codes: list[str]) -> dict[str, AreaFigure]:
    from kinerja.dashboards.rollup import rollup

    result = rollup(unit, year, indicators=codes)
    figures = {}
    for item in result.indicators:
        a = item.aggregate
        figures[item.indicator.code] = AreaFigure(
            area=unit.name,
            realisation=a.realisation,
            target=a.target,
            target_note=a.target_note,
            achievement=a.achievement,
            facilities=a.facilities,
            reporting=a.reporting,
        )
    return figures


def figures(unit: Unit, year: int, codes: list[str]):
    region = unit.parent if unit.parent and unit.parent.kind == UnitKind.KANWIL else None
    nation = next(
        (u for u in Unit.objects.filter(kind=UnitKind.DIRECTORATE) if unit.path.startswith(u.path)),
        None,
    )
    by_region = _area(region, year, codes) if region else {}
    by_nation = _area(nation, year, codes) if nation else {}
    return {code: (by_region.get(code), by_nation.get(code)) for code in codes}
