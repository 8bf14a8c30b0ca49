"""What the dashboards read from a `Rollup`: the spread of an IKK across facilities (quartiles, a
histogram), its best and worst, the heat map's rows, and a facility's place among its peers.

Pure functions of one roll-up: no query of their own, so a page's query count is the roll-up's.
Every figure is a Decimal from `calc`; pages and charts format them through `core.formatting`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kinerja import calc
from kinerja.dashboards.rollup import FacilityFigure, IndicatorRollup, Rollup
from kinerja.organizations.models import Unit

# The order in which standings are counted and shown everywhere (tables, charts, legend).
STANDINGS = [
    calc.Standing.ACHIEVED,
    calc.Standing.NEARLY,
    calc.Standing.MISSED,
    calc.Standing.NA,
    calc.Standing.NOT_REPORTED,
]
# A symbol beside every colour, so that a black-and-white print still tells the bands apart.
SYMBOLS = {
    calc.Standing.ACHIEVED: "✓",
    calc.Standing.NEARLY: "≈",
    calc.Standing.MISSED: "✗",
    calc.Standing.NA: "N/A",
    calc.Standing.NOT_REPORTED: "–",
}
# Histogram of the facilities' achievement (after the PK's cap): lower bounds, the last open-ended.
BINS = [Decimal(b) for b in (0, 50, 60, 70, 80, 90, 100)]


def band_label(index: int) -> str:
    low = BINS[index]
    if index == len(BINS) - 1:
        return f"≥ {low}%"
    if index == 0:
        return f"< {BINS[1]}%"
    return f"{low}–<{BINS[index + 1]}%"


@dataclass(frozen=True)
class Spread:
    """The facilities with a number: how many, the quartiles and the histogram counts."""

    count: int
    minimum: Decimal | None
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None
    maximum: Decimal | None
    histogram: list[tuple[str, int]]


def achievement_of(figure: FacilityFigure) -> Decimal | None:
    return figure.achievement.capped if figure.achievement is not None else None


def _quantile(ordered: Sequence[Decimal], p: Decimal) -> Decimal:
    """Linear interpolation between the closest ranks (the usual 'inclusive' method)."""
    position = (len(ordered) - 1) * p
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def spread(item: IndicatorRollup) -> Spread:
    values = sorted(v for v in (achievement_of(f) for f in item.facilities) if v is not None)
    counts = [0] * len(BINS)
    for value in values:
        # the last bin whose lower bound the value reaches (below the first: the first)
        counts[max(bisect.bisect_right(BINS, value) - 1, 0)] += 1
    histogram = [(band_label(i), n) for i, n in enumerate(counts)]
    if not values:
        return Spread(0, None, None, None, None, None, histogram)
    return Spread(
        len(values),
        values[0],
        _quantile(values, Decimal("0.25")),
        _quantile(values, Decimal("0.5")),
        _quantile(values, Decimal("0.75")),
        values[-1],
        histogram,
    )


def full_order(item: IndicatorRollup) -> list[FacilityFigure]:
    """Every facility for the IKK: best first, then N/A, then not reported (by name within)."""
    return sorted(item.facilities, key=lambda f: (f.sort_key, f.unit.name, f.unit.id))


def best_and_worst(item: IndicatorRollup, n: int = 3) -> tuple[list[FacilityFigure], list]:
    ranked = item.ranked
    best = ranked[:n]
    worst = list(reversed(ranked[-n:])) if len(ranked) > n else []
    worst = [f for f in worst if f not in best]
    return best, worst


@dataclass(frozen=True)
class PeerPlace:
    """A facility's place for one IKK among the facilities with a number: rank (ties share the
    better rank) of `of`, and the quartile (1 = the best quarter)."""

    rank: int
    of: int
    quartile: int


def place(ranked: Sequence[FacilityFigure], unit_id: int) -> PeerPlace | None:
    mine = next((f for f in ranked if f.unit.id == unit_id), None)
    if mine is None:
        return None
    value = achievement_of(mine)
    better = sum(1 for f in ranked if (achievement_of(f) or Decimal(0)) > (value or Decimal(0)))
    rank = better + 1
    # Quartile by the share of facilities ahead: the best of one, or of four, is in quartile 1.
    return PeerPlace(rank, len(ranked), 4 * better // len(ranked) + 1)


@dataclass(frozen=True)
class Peers:
    region: PeerPlace | None
    nation: PeerPlace | None
    # the region's facilities with a number, best first: only when the directorate allows names
    named: list[FacilityFigure] | None


def peer_places(result: Rollup, unit: Unit, *, names: bool) -> dict[int, Peers]:
    """Per indicator id: the facility's place in its region and in the nation, from one national
    roll-up (no query per IKK)."""
    places = {}
    for item in result.indicators:
        ranked = item.ranked
        regional = [f for f in ranked if f.unit.parent_id == unit.parent_id]
        places[item.indicator.id] = Peers(
            place(regional, unit.id),
            place(ranked, unit.id),
            regional if names else None,
        )
    return places
