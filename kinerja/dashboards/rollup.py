"""The roll-up of IKK figures above the facility (a Kanwil, the directorate): set-based.

A fixed number of queries whatever the number of facilities: the facilities, their PKs in force,
the PK's IKK rows, the catalogue indicators, and one SQL statement that picks, per IKK row, the
latest period whose formula variables are all filled (the same rule as `calc.year_figure`: the
values are cumulative, so the latest complete period is the year so far) and returns only its
values. Every figure is then computed by `calc`: each facility's through `calc.year_figure` (the
same figure as its results page), the aggregate through `calc.aggregate` from the summed counts.
Nothing is stored: a value saved at a facility shows on the next page load.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from kinerja import calc
from kinerja.indicators.models import Indicator, Level
from kinerja.measurement.selectors import achievement_cap
from kinerja.organizations.models import Unit, UnitKind
from kinerja.planning.models import PerjanjianKinerja, PKIndicator, PKStatus


@dataclass(slots=True)
class FacilityFigure:
    """One facility's figure for one IKK: the values of its latest complete period (s.d. the
    quarter asked for), its target, realisation, achievement and standing."""

    unit: Unit
    indicator_id: int
    values: dict[str, Decimal]
    target: Decimal | None
    target_unit: str
    realisation: calc.Outcome | None
    achievement: calc.Achievement | None
    standing: calc.Standing
    quarter: int | None
    month: int | None = None

    @property
    def recorded(self) -> bool:
        return self.realisation is not None

    @property
    def sort_key(self) -> tuple[int, Decimal]:
        """Best first: a number by its capped achievement, then N/A, then not reported."""
        if self.achievement is not None and self.achievement.capped is not None:
            return (0, -self.achievement.capped)
        return (1 if self.recorded else 2, Decimal(0))


@dataclass
class IndicatorRollup:
    indicator: Indicator
    aggregate: calc.Aggregate
    facilities: list[FacilityFigure] = field(default_factory=list)

    @property
    def ranked(self) -> list[FacilityFigure]:
        """The facilities with a number, best first."""
        return [f for f in sorted(self.facilities, key=lambda f: f.sort_key) if f.sort_key[0] == 0]


@dataclass
class ChildRollup:
    """One child unit of the roll-up's unit (a Kanwil under the directorate, a facility under a
    Kanwil): its aggregate per indicator id, from the same facility figures."""

    unit: Unit
    facilities: int
    aggregates: dict[int, calc.Aggregate]


@dataclass
class Rollup:
    unit: Unit
    year: int
    quarter: int | None
    facilities: list[Unit]
    indicators: list[IndicatorRollup]
    # facilities with a PK for the year (in force): unit id → PK id
    agreements: dict[int, int]
    _cells: dict[tuple[int, int], FacilityFigure] = field(default_factory=dict, repr=False)
    _make_children: Callable[[], list[ChildRollup]] | None = field(default=None, repr=False)

    @functools.cached_property
    def children(self) -> list[ChildRollup]:
        """Per child unit (a Kanwil under the directorate, a facility under a Kanwil) the aggregate
        of each IKK, from the same facility figures: made when first read (one query for the
        child units), since a Kanwil's page does not show it."""
        return self._make_children() if self._make_children is not None else []

    def cell(self, unit_id: int, indicator_id: int) -> FacilityFigure | None:
        return self._cells.get((unit_id, indicator_id))

    def indicator(self, code: str) -> IndicatorRollup | None:
        return next((i for i in self.indicators if i.indicator.code == code), None)

    @property
    def without_pk(self) -> list[Unit]:
        return [u for u in self.facilities if u.id not in self.agreements]


def facilities_below(unit: Unit) -> QuerySet[Unit]:
    """Every facility below a Kanwil or the directorate (not restricted: callers restrict)."""
    return Unit.objects.facilities().filter(path__startswith=unit.path)


def agreements_in_force(unit_ids: Iterable[int], year: int) -> dict[int, PerjanjianKinerja]:
    """Per facility the PK in force for the year, in one query: the newest signed version, else the
    newest version that is not superseded (`PerjanjianKinerja.objects.in_force`, set-based)."""
    chosen: dict[int, PerjanjianKinerja] = {}
    rows = (
        PerjanjianKinerja.objects.filter(unit_id__in=list(unit_ids), year=year)
        .exclude(status=PKStatus.SUPERSEDED)
        .only("id", "unit_id", "status", "revision", "achievement_cap", "year")
    )
    for pk in rows:
        best = chosen.get(pk.unit_id)
        rank = (pk.status == PKStatus.SIGNED, pk.revision)
        if best is None or rank > (best.status == PKStatus.SIGNED, best.revision):
            chosen[pk.unit_id] = pk
    return chosen


def _latest_values(
    agreement_ids: Sequence[int], needed: dict[int, tuple[str, ...]], quarter: int | None
) -> dict[int, tuple[int, int | None, dict[str, Decimal]]]:
    """Per PK IKK row: (quarter, month, values) of its latest complete period up to `quarter`.

    One statement. "Complete": every variable the indicator's formula uses has a value. "Latest":
    the latest period end, a quarter row winning over a month row at the same end (as
    `measurement.selectors._by_period`)."""
    if not agreement_ids or not needed:
        return {}
    pairs = [(ind, sym) for ind, symbols in needed.items() for sym in symbols]
    needed_sql = ", ".join(["(%s, %s)"] * len(pairs))
    params: list[int | str] = [p for pair in pairs for p in pair]
    ids_sql = ", ".join(["%s"] * len(agreement_ids))
    params += list(agreement_ids)
    cutoff = ""
    if quarter is not None:
        cutoff = "AND re.quarter <= %s"
        params.append(quarter)
    sql = f"""
        WITH needed(indicator_id, symbol) AS (VALUES {needed_sql}),
        need_n AS (SELECT indicator_id, COUNT(*) AS n FROM needed GROUP BY indicator_id),
        complete AS (
            SELECT re.id, re.pk_indicator_id, re.quarter, re.month
            FROM measurement_realization re
            JOIN planning_pkindicator pki ON pki.id = re.pk_indicator_id
            JOIN measurement_variablevalue vv ON vv.realization_id = re.id
            JOIN needed nd ON nd.indicator_id = pki.indicator_id AND nd.symbol = vv.symbol
            JOIN need_n nn ON nn.indicator_id = pki.indicator_id
            WHERE pki.agreement_id IN ({ids_sql}) {cutoff}
            GROUP BY re.id, re.pk_indicator_id, re.quarter, re.month, nn.n
            HAVING COUNT(*) = nn.n
        ),
        latest AS (
            SELECT c.id, c.pk_indicator_id, c.quarter, c.month,
                   ROW_NUMBER() OVER (
                       PARTITION BY c.pk_indicator_id
                       ORDER BY COALESCE(c.month, 3 * c.quarter) DESC,
                                CASE WHEN c.month IS NULL THEN 1 ELSE 0 END DESC
                   ) AS rn
            FROM complete c
        )
        SELECT l.pk_indicator_id, l.quarter, l.month, vv.symbol, vv.value
        FROM latest l
        JOIN measurement_variablevalue vv ON vv.realization_id = l.id
        WHERE l.rn = 1
    """
    found: dict[int, tuple[int, int | None, dict[str, Decimal]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row_id, q, month, symbol, value in cursor.fetchall():
            entry = found.get(row_id)
            if entry is None:
                entry = found[row_id] = (q, month, {})
            entry[2][symbol] = _decimal(value)
    return found


def _decimal(value: object) -> Decimal:
    """A value as the raw cursor gives it: Decimal on PostgreSQL; int or float on SQLite, whose
    float is read through its shortest text (92.5, never 92.4999…)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


def rollup(
    unit: Unit,
    year: int,
    *,
    quarter: int | None = None,
    facilities: QuerySet[Unit] | None = None,
    indicators: Iterable[str] | None = None,
) -> Rollup:
    """The IKK figures of every facility below `unit` (or of `facilities`, already restricted and
    filtered by the caller, kept to those below `unit`) for the year, s.d. TW `quarter` (None: the
    year's figure so far, the same as each facility's results page), with the aggregate per IKK and
    per child unit. `indicators`: catalogue codes to keep (the IKK page reads one)."""
    queryset = facilities if facilities is not None else facilities_below(unit)
    units = list(
        queryset.filter(path__startswith=unit.path, kind=UnitKind.UPT)
        .select_related("parent")
        .order_by("name", "id")
    )
    by_id = {u.id: u for u in units}
    agreements = agreements_in_force(by_id, year)
    rows_qs = PKIndicator.objects.filter(
        agreement_id__in=[pk.id for pk in agreements.values()], indicator__level=Level.IKK
    )
    catalogue = Indicator.objects.filter(level=Level.IKK).select_related("goal")
    if indicators is not None:
        codes = list(indicators)
        rows_qs = rows_qs.filter(indicator__code__in=codes)
        catalogue = catalogue.filter(code__in=codes)
    rows = list(rows_qs.values_list("id", "agreement_id", "indicator_id", "target", "target_unit"))
    used = {r[2] for r in rows}
    catalogue_list = [i for i in catalogue.order_by("goal__order", "order", "code") if i.id in used]
    formulas: dict[int, calc.Formula | None] = {}
    for ind in catalogue_list:
        try:
            formulas[ind.id] = calc.parse_formula(ind.formula)
        except calc.FormulaError:
            formulas[ind.id] = None  # an unusable formula: every facility N/A for it
    needed = {i: f.variables for i, f in formulas.items() if f is not None}
    latest = _latest_values([pk.id for pk in agreements.values()], needed, quarter)

    pk_by_id = {pk.id: pk for pk in agreements.values()}
    caps = {pk.id: achievement_cap(pk) for pk in agreements.values()}
    nearly = Decimal(str(settings.KINERJA_ACHIEVEMENT_THRESHOLDS["warning"]))
    rounding = settings.KINERJA_REALISATION_ROUNDING
    indicator_by_id = {i.id: i for i in catalogue_list}
    cells: dict[tuple[int, int], FacilityFigure] = {}
    contributions: dict[int, dict[int, calc.Contribution]] = defaultdict(dict)
    for row_id, agreement_id, indicator_id, target, target_unit in rows:
        indicator = indicator_by_id.get(indicator_id)
        if indicator is None:
            continue
        facility = by_id[pk_by_id[agreement_id].unit_id]
        formula = formulas[indicator_id]
        period = latest.get(row_id)
        if formula is None or period is None:
            figure = calc.YearFigure(None, None, None)
            values: dict[str, Decimal] = {}
            q = month = None
        else:
            q, month, values = period
            figure = calc.year_figure(
                formula,
                [values],
                target,
                direction=indicator.direction,
                lower_rule=indicator.lower_rule,
                cap=caps[agreement_id],
                rounding=rounding,
            )
        recorded = figure.realisation is not None
        standing = calc.standing(figure.achievement, recorded, nearly)
        cell = FacilityFigure(
            facility,
            indicator_id,
            values,
            target,
            target_unit,
            figure.realisation,
            figure.achievement,
            standing,
            q,
            month,
        )
        cells[(facility.id, indicator_id)] = cell
        contributions[indicator_id][facility.id] = calc.Contribution(
            values if recorded else None, target, figure.realisation, standing
        )

    def combine(indicator: Indicator, parts: Sequence[calc.Contribution]) -> calc.Aggregate:
        formula = formulas[indicator.id]
        return calc.aggregate(
            formula if formula is not None else "A",
            parts,
            mode=indicator.aggregation if formula is not None else calc.Aggregation.NONE,
            direction=indicator.direction,
            lower_rule=indicator.lower_rule,
            rounding=rounding,
            target_unit="%" if indicator.unit == "%" else "",
        )

    results = []
    for indicator in catalogue_list:
        parts = contributions[indicator.id]
        figures = [cells[(uid, indicator.id)] for uid in parts]
        results.append(
            IndicatorRollup(indicator, combine(indicator, list(parts.values())), figures)
        )

    return Rollup(
        unit,
        year,
        quarter,
        units,
        results,
        {uid: pk.id for uid, pk in agreements.items()},
        cells,
        lambda: _children(unit, units, contributions, catalogue_list, combine),
    )


def _children(unit, units, contributions, catalogue_list, combine) -> list[ChildRollup]:
    """Per child unit of `unit`: the facility itself under a Kanwil, the Kanwil under the
    directorate (read in one query by slug from the facilities' paths)."""
    depth = len(unit.path.strip("/").split("/"))
    child_of: dict[int, str] = {}
    for facility in units:
        parts = facility.path.strip("/").split("/")
        if len(parts) > depth:
            child_of[facility.id] = parts[depth]
    if unit.kind == UnitKind.KANWIL:
        child_units = {u.slug: u for u in units}
    else:
        child_units = {
            u.slug: u for u in Unit.objects.filter(slug__in=set(child_of.values())).order_by("name")
        }
    members: dict[str, list[int]] = defaultdict(list)
    for facility_id, slug in child_of.items():
        members[slug].append(facility_id)
    children = []
    for slug, child in sorted(child_units.items(), key=lambda kv: (kv[1].name, kv[0])):
        ids = members.get(slug, [])
        aggregates = {}
        for indicator in catalogue_list:
            parts = [
                contributions[indicator.id][i] for i in ids if i in contributions[indicator.id]
            ]
            if parts:
                aggregates[indicator.id] = combine(indicator, parts)
        children.append(ChildRollup(child, len(ids), aggregates))
    return children
