"""The roll-up of IKK figures above the facility (a Kanwil, the directorate): set-based.

A fixed number of queries whatever the number of facilities: the facilities, their PKs in force,
the PK's IKK rows, the catalogue indicators, and one SQL statement that picks, per IKK row, the
latest period whose formula variables are all filled (the same rule as `calc.year_figure`: the
values are cumulative, so the latest complete period is the year so far) and returns only its
values. Every figure is then computed by `calc`: each facility's through `calc.year_figure` (the
same figure as its results page), the aggregate through `calc.aggregate` from the summed counts.
Each facility's figure may come from `StoredFigure` (computed by the same code through
`store_figures`), read only while current: no realisation or value of its row changed since (the
`FigureStamp` the database triggers raise on every write) and none of its other inputs either (a
digest of formula, direction, rule, target, cap and rounding). Any other row is computed from the
results in the same request, so a value saved at a facility shows on the next page load whether or
not its figure was stored again; storing only saves time.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet

from kinerja import calc
from kinerja.core.gcpause import pausing_collector
from kinerja.indicators.models import Indicator, Level
from kinerja.measurement.selectors import achievement_cap
from kinerja.organizations.models import Unit, UnitKind
from kinerja.planning.models import PerjanjianKinerja, PKStatus

from .models import FigureStamp, StoredFigure

log = logging.getLogger(__name__)
# "s.d. TW 4" is the year so far: a roll-up without a quarter reads the figures stored for TW 4.
YEAR = 4
# The vendors whose migration installs the triggers that keep `FigureStamp` (dashboards 0004).
STAMPED_VENDORS = ("postgresql", "sqlite")


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
    agreement_ids: Sequence[int],
    needed: dict[int, tuple[str, ...]],
    quarter: int | None,
    row_ids: Sequence[int] | None = None,
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
    if row_ids is not None:
        cutoff += f" AND re.pk_indicator_id IN ({', '.join(['%s'] * len(row_ids))})"
        params += list(row_ids)
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


# A row's figure: (quarter, month, values) of its latest complete period and its YearFigure.
Period = tuple[int | None, int | None, dict[str, Decimal], calc.YearFigure]
NOTHING: Period = (None, None, {}, calc.YearFigure(None, None, None))
# Above this many rows to compute, the statement reads the PKs' rows whole instead of listing ids.
ROW_LIST_LIMIT = 2000


def _figure(
    formula: calc.Formula | None,
    period: tuple[int, int | None, dict[str, Decimal]] | None,
    target: Decimal | None,
    indicator: Indicator,
    cap: Decimal | None,
    rounding: str,
) -> Period:
    """One row's figure from its latest complete period, through `calc.year_figure` (the rule of
    the facility's results page). No formula or no complete period: nothing recorded."""
    if formula is None or period is None:
        return NOTHING
    q, month, values = period
    figure = calc.year_figure(
        formula,
        [values],
        target,
        direction=indicator.direction,
        lower_rule=indicator.lower_rule,
        cap=cap,
        rounding=rounding,
    )
    return (q, month, values, figure)


def _inputs(
    indicator: Indicator, target: Decimal | None, cap: Decimal | None, rounding: str
) -> str:
    """The digest of everything but the results that a stored figure depends on."""
    text = "\x1f".join(
        str(part)
        for part in (
            indicator.formula,
            indicator.direction,
            indicator.lower_rule,
            target,
            cap,
            rounding,
        )
    )
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


# StoredFigure's columns after its row id, through, version and inputs, in this order.
COLUMNS = (
    "quarter",
    "month",
    "period_values",
    "realisation",
    "realisation_na",
    "raw",
    "capped",
    "cap",
    "achievement_na",
)


def _encode(period: Period) -> dict[str, object]:
    q, month, values, figure = period
    outcome, result = figure.realisation, figure.achievement
    if q is None or outcome is None or result is None:
        return {"quarter": None, "month": None, "period_values": ""}
    return {
        "quarter": q,
        "month": month,
        "period_values": ";".join(f"{symbol}={value}" for symbol, value in values.items()),
        "realisation": _text(outcome.value),
        "realisation_na": outcome.na_reason,
        "raw": _text(result.raw),
        "capped": _text(result.capped),
        "cap": _text(result.cap),
        "achievement_na": result.na_reason,
    }


def _decode(row: Sequence) -> Period:
    q, month, values, real, real_na, raw, capped, cap, achievement_na = row
    if q is None:
        return NOTHING
    return (
        q,
        month,
        {
            symbol: Decimal(value)
            for symbol, value in (pair.split("=") for pair in values.split(";"))
        },
        calc.YearFigure(
            0,
            calc.Outcome(None if real is None else Decimal(real), real_na),
            calc.Achievement(
                None if raw is None else Decimal(raw),
                None if capped is None else Decimal(capped),
                None if cap is None else Decimal(cap),
                achievement_na,
            ),
        ),
    )


# Up to this many PKs the stored figures are read by index, row by row; beyond, by one hash join
# over the table. Measured on the benchmark database (docs/performance.md): a Kanwil of 100 PKs
# (2 800 rows) 13 ms by index against 55 ms by the join; the directorate's 693 PKs 213 ms by
# index against 131 ms by the join.
PROBE_LIMIT = 300

TARGET_PLACES = Decimal("0.0001")  # PKIndicator.target's decimal places


def _rows(
    agreement_ids: Sequence[int], through: int, codes: Sequence[str] | None
) -> tuple[list[tuple[int, int, int, Decimal | None, str]], dict[int, tuple]]:
    """The PKs' IKK rows (id, agreement, indicator, target, target unit) and, for those with a
    current stored figure s.d. TW `through`, row id → (inputs digest, *COLUMNS): current when its
    version equals the row's stamp (no result changed since). One statement; no stored figure on a
    database without the stamp triggers. The target is read as text and given its four decimals,
    the same Decimal on both databases (and as the ORM gives it)."""
    if not agreement_ids:
        return [], {}
    params: list[int | str] = []
    stamped = connection.vendor in STAMPED_VENDORS
    if stamped and connection.vendor == "postgresql" and len(agreement_ids) <= PROBE_LIMIT:
        # One index probe per row (LIMIT 1 keeps PostgreSQL from flattening the subquery into the
        # hash join below, which reads every stored figure of the country even for one Kanwil).
        columns = ", ".join(f"sf.{name}" for name in ("inputs", *COLUMNS))
        joins = """
            LEFT JOIN LATERAL (
                SELECT s.* FROM dashboards_storedfigure s
                WHERE s.pk_indicator_id = pki.id AND s.through = %s
                  AND s.version = COALESCE((SELECT st.version FROM dashboards_figurestamp st
                                            WHERE st.pk_indicator_id = pki.id), 0)
                LIMIT 1
            ) sf ON TRUE"""
        params.append(through)
    elif stamped:
        columns = ", ".join(f"sf.{name}" for name in ("inputs", *COLUMNS))
        joins = """
            LEFT JOIN dashboards_figurestamp st ON st.pk_indicator_id = pki.id
            LEFT JOIN dashboards_storedfigure sf ON sf.pk_indicator_id = pki.id
                AND sf.through = %s AND sf.version = COALESCE(st.version, 0)"""
        params.append(through)
    else:
        columns = "NULL"
        joins = ""
    params += [*agreement_ids, Level.IKK.value]
    only = ""
    if codes is not None:
        only = f"AND ind.code IN ({', '.join(['%s'] * len(codes))})" if codes else "AND 1 = 0"
        params += list(codes)
    sql = f"""
        SELECT pki.id, pki.agreement_id, pki.indicator_id, CAST(pki.target AS TEXT),
               pki.target_unit, {columns}
        FROM planning_pkindicator pki
        JOIN indicators_indicator ind ON ind.id = pki.indicator_id {joins}
        WHERE pki.agreement_id IN ({", ".join(["%s"] * len(agreement_ids))})
          AND ind.level = %s {only}
        ORDER BY pki.id
    """
    rows = []
    stored: dict[int, tuple] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            target = None if row[3] is None else Decimal(row[3]).quantize(TARGET_PLACES)
            rows.append((row[0], row[1], row[2], target, row[4]))
            if stamped and row[5] is not None:
                stored[row[0]] = row[5:]
    return rows, stored


def _periods(
    rows: Sequence[tuple[int, int, int, Decimal | None, str]],
    stored: dict[int, tuple],
    pk_by_id: dict[int, PerjanjianKinerja],
    caps: dict[int, Decimal | None],
    indicator_by_id: dict[int, Indicator],
    formulas: dict[int, calc.Formula | None],
    needed: dict[int, tuple[str, ...]],
    quarter: int | None,
    rounding: str,
) -> dict[int, Period]:
    """Per PK IKK row its figure: the stored one while current, else computed from the results
    (one statement for all the rows not current, whatever their number)."""
    digests: dict[tuple[int, Decimal | None, Decimal | None], str] = {}
    periods: dict[int, Period] = {}
    missing = []
    for row_id, agreement_id, indicator_id, target, _unit in rows:
        indicator = indicator_by_id.get(indicator_id)
        if indicator is None:
            continue
        found = stored.get(row_id)
        if found is not None:
            key = (indicator_id, target, caps[agreement_id])
            digest = digests.get(key)
            if digest is None:
                digest = digests[key] = _inputs(indicator, target, caps[agreement_id], rounding)
            if found[0] == digest:
                periods[row_id] = _decode(found[1:])
                continue
        missing.append((row_id, agreement_id, indicator, target))
    if not missing:
        return periods
    latest = _latest_values(
        sorted({m[1] for m in missing}),
        needed,
        quarter,
        [m[0] for m in missing] if len(missing) <= ROW_LIST_LIMIT else None,
    )
    for row_id, agreement_id, indicator, target in missing:
        periods[row_id] = _figure(
            formulas[indicator.id],
            latest.get(row_id),
            target,
            indicator,
            caps[agreement_id],
            rounding,
        )
    return periods


def store_figures(agreements: Iterable[int] | None = None, *, chunk: int = 250) -> int:
    """Compute and store the figures s.d. TW I-IV of every IKK row of the PKs given (default every
    PK not superseded), through the same code as the roll-up. Each row's stamp is read before its
    results, so a result written meanwhile leaves the stored figure behind its stamp (not read)
    rather than current and wrong. Returns the number of figures stored."""
    pks = PerjanjianKinerja.objects.exclude(status=PKStatus.SUPERSEDED).only(
        "id", "achievement_cap", "unit_id", "status", "revision", "year"
    )
    if agreements is not None:
        pks = pks.filter(id__in=list(agreements))
    pk_list = list(pks.order_by("id"))
    if not pk_list:
        return 0
    catalogue = {i.id: i for i in Indicator.objects.filter(level=Level.IKK)}
    formulas: dict[int, calc.Formula | None] = {}
    for ind in catalogue.values():
        try:
            formulas[ind.id] = calc.parse_formula(ind.formula)
        except calc.FormulaError:
            formulas[ind.id] = None
    needed = {i: f.variables for i, f in formulas.items() if f is not None}
    rounding = settings.KINERJA_REALISATION_ROUNDING
    total = 0
    for start in range(0, len(pk_list), chunk):
        part = pk_list[start : start + chunk]
        caps = {pk.id: achievement_cap(pk) for pk in part}
        rows, _ = _rows(list(caps), YEAR, None)  # the same rows and targets as the roll-up's
        row_ids = [r[0] for r in rows]
        versions = dict(
            FigureStamp.objects.filter(pk_indicator_id__in=row_ids).values_list(
                "pk_indicator_id", "version"
            )
        )
        stored = []
        for through in (1, 2, 3, 4):
            latest = _latest_values(list(caps), needed, through)
            for row_id, agreement_id, indicator_id, target, _unit in rows:
                indicator = catalogue[indicator_id]
                cap = caps[agreement_id]
                period = _figure(
                    formulas[indicator_id], latest.get(row_id), target, indicator, cap, rounding
                )
                stored.append(
                    StoredFigure(
                        pk_indicator_id=row_id,
                        through=through,
                        version=versions.get(row_id, 0),
                        inputs=_inputs(indicator, target, cap, rounding),
                        **_encode(period),
                    )
                )
        with transaction.atomic():
            StoredFigure.objects.filter(pk_indicator_id__in=row_ids).delete()
            StoredFigure.objects.bulk_create(stored, batch_size=2000, ignore_conflicts=True)
        total += len(stored)
    return total


@pausing_collector
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
    catalogue = Indicator.objects.filter(level=Level.IKK).select_related("goal")
    codes = None
    if indicators is not None:
        codes = list(indicators)
        catalogue = catalogue.filter(code__in=codes)
    rows, stored = _rows(
        [pk.id for pk in agreements.values()], quarter if quarter is not None else YEAR, codes
    )
    used = {r[2] for r in rows}
    catalogue_list = [i for i in catalogue.order_by("goal__order", "order", "code") if i.id in used]
    formulas: dict[int, calc.Formula | None] = {}
    for ind in catalogue_list:
        try:
            formulas[ind.id] = calc.parse_formula(ind.formula)
        except calc.FormulaError:
            formulas[ind.id] = None  # an unusable formula: every facility N/A for it
    needed = {i: f.variables for i, f in formulas.items() if f is not None}
    pk_by_id = {pk.id: pk for pk in agreements.values()}
    caps = {pk.id: achievement_cap(pk) for pk in agreements.values()}
    nearly = Decimal(str(settings.KINERJA_ACHIEVEMENT_THRESHOLDS["warning"]))
    rounding = settings.KINERJA_REALISATION_ROUNDING
    indicator_by_id = {i.id: i for i in catalogue_list}
    periods = _periods(
        rows,
        stored,
        pk_by_id,
        caps,
        indicator_by_id,
        formulas,
        needed,
        quarter,
        rounding,
    )
    cells: dict[tuple[int, int], FacilityFigure] = {}
    contributions: dict[int, dict[int, calc.Contribution]] = defaultdict(dict)
    for row_id, agreement_id, indicator_id, target, target_unit in rows:
        indicator = indicator_by_id.get(indicator_id)
        if indicator is None:
            continue
        facility = by_id[pk_by_id[agreement_id].unit_id]
        q, month, values, figure = periods[row_id]
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


@pausing_collector
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
