"""The budget across facilities, set-based: per facility the figures of its budget page, and totals
per region and overall (sums of money; absorption of the sums, never a mean of percentages).

`budget_across(facilities, year) -> BudgetAcross` (section template `dashboards/_budget.html`, XLSX
in `exports.py`). `facilities` is a Unit queryset already restricted and filtered by the caller.

Per facility the figures are those of `budget.selectors.budget_overview` for the same facility and
year (a test compares them on the demo): pagu and blokir of the DIPA's leaf lines (parents are
computed from their leaves, so only leaves are summed), realisation = the leaves' realised months,
absorption through `calc.absorption`, SMART and IKPA from `BudgetScore`, Capaian Kinerja Anggaran
through `budget.selectors.performance_for` with the weights of `budget.rules.rules_for(year)`. A
facility without DIPA lines shows the year's figures as reported per spending type (`YearSpending`,
through `budget.selectors.reported_values`, as the three-year comparison does), marked as such.

Six queries whatever the number of facilities: facilities, leaf sums, month sums, scores, reported
figures, rules.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum

from kinerja import calc
from kinerja.budget.models import BudgetScore, DipaLine, SpendingMonth, YearSpending
from kinerja.budget.rules import rules_for
from kinerja.budget.selectors import performance_for, reported_values
from kinerja.organizations.models import Unit, UnitKind

ZERO = Decimal(0)


class Source:
    LINES = "baris DIPA"
    NONE = "belum ada"


@dataclass(frozen=True)
class FacilityBudget:
    unit: Unit
    region: Unit | None
    source: str  # Source.LINES, the reported figures' source (e.g. "LKjIP 2022"), or Source.NONE
    pagu: Decimal | None  # None: unknown (no lines, no reported pagu)
    blocked: Decimal | None  # blokir; None for reported figures (not reported)
    realised: Decimal
    smart: Decimal | None
    ikpa: Decimal | None
    performance: Decimal | None  # Capaian Kinerja Anggaran

    @property
    def from_lines(self) -> bool:
        return self.source == Source.LINES

    @property
    def reported(self) -> bool:
        """Figures as reported per spending type (no DIPA lines)."""
        return self.source not in (Source.LINES, Source.NONE)

    @property
    def has_figures(self) -> bool:
        return self.source != Source.NONE

    @property
    def available(self) -> Decimal | None:
        return calc.available(self.pagu, self.blocked) if self.pagu is not None else None

    @property
    def absorption(self) -> Decimal | None:
        return calc.absorption(self.realised, self.pagu) if self.pagu is not None else None


@dataclass
class BudgetTotals:
    """Sums over facilities whose pagu is known; absorption = Σ realisation / Σ pagu × 100."""

    facilities: int = 0  # counted in the sums
    pagu: Decimal = ZERO
    blocked: Decimal = ZERO
    realised: Decimal = ZERO
    reported: int = 0  # of which from reported figures
    left_out: int = 0  # facilities without a known pagu (not in the sums)

    def add(self, row: FacilityBudget) -> None:
        if row.pagu is None:
            self.left_out += 1
            return
        self.facilities += 1
        self.pagu += row.pagu
        self.blocked += row.blocked or ZERO
        self.realised += row.realised
        if row.reported:
            self.reported += 1

    @property
    def available(self) -> Decimal:
        return calc.available(self.pagu, self.blocked)

    @property
    def absorption(self) -> Decimal | None:
        return calc.absorption(self.realised, self.pagu)


@dataclass
class RegionBudget:
    unit: Unit
    facilities: list[FacilityBudget]
    totals: BudgetTotals


@dataclass
class BudgetAcross:
    year: int
    facilities: list[FacilityBudget]
    regions: list[RegionBudget]
    totals: BudgetTotals
    weights: dict[str, Decimal] = field(default_factory=dict)  # the rules in force for the year

    @property
    def performance_shares(self) -> tuple[Decimal, Decimal] | None:
        """SMART and IKPA shares of Capaian Kinerja Anggaran (percent), from the weights data."""
        if "smart" in self.weights and "ikpa" in self.weights:
            return calc.performance_shares(self.weights)
        return None


def budget_across(facilities: QuerySet[Unit], year: int) -> BudgetAcross:
    units = list(
        facilities.filter(kind=UnitKind.UPT)
        .select_related("parent")
        .order_by("parent__name", "name", "id")
    )
    ids = [u.id for u in units]
    leaves = {
        r["unit_id"]: r
        for r in DipaLine.objects.filter(unit_id__in=ids, year=year, pagu__isnull=False)
        .values("unit_id")
        .annotate(pagu=Sum("pagu"), blocked=Sum("blocked"))
    }
    realised = {
        r["line__unit_id"]: r["realised"] or ZERO
        for r in SpendingMonth.objects.filter(
            line__unit_id__in=ids, line__year=year, line__pagu__isnull=False
        )
        .values("line__unit_id")
        .annotate(realised=Sum("realised"))
    }
    scores = {s.unit_id: s for s in BudgetScore.objects.filter(unit_id__in=ids, year=year)}
    reported: dict[int, list[YearSpending]] = defaultdict(list)
    for spending in YearSpending.objects.filter(unit_id__in=ids, year=year).order_by(
        "spending_type"
    ):
        reported[spending.unit_id].append(spending)
    weights, _targets, _regulations = rules_for(year)

    rows = []
    for unit in units:
        score = scores.get(unit.id)
        smart = score.smart if score else None
        ikpa = score.ikpa if score else None
        performance = performance_for(score, weights)
        if unit.id in leaves:
            leaf = leaves[unit.id]
            row = FacilityBudget(
                unit,
                unit.parent,
                Source.LINES,
                Decimal(leaf["pagu"]),
                Decimal(leaf["blocked"]),
                Decimal(realised.get(unit.id, ZERO)),
                smart,
                ikpa,
                performance,
            )
        elif unit.id in reported:
            values, source = reported_values(reported[unit.id])
            pagus = [p for p, _ in values.values()]
            # A pagu summed from some types only would understate it: unknown unless all are known.
            pagu = sum((p for p in pagus if p is not None), ZERO) if None not in pagus else None
            row = FacilityBudget(
                unit,
                unit.parent,
                source,
                pagu,
                None,
                sum((r for _, r in values.values()), ZERO),
                smart,
                ikpa,
                performance,
            )
        else:
            row = FacilityBudget(
                unit, unit.parent, Source.NONE, None, None, ZERO, smart, ikpa, performance
            )
        rows.append(row)

    totals = BudgetTotals()
    by_region: dict[int, RegionBudget] = {}
    for row in rows:
        totals.add(row)
        if row.region is None:
            continue
        region = by_region.get(row.region.id)
        if region is None:
            region = by_region[row.region.id] = RegionBudget(row.region, [], BudgetTotals())
        region.facilities.append(row)
        region.totals.add(row)
    regions = sorted(by_region.values(), key=lambda r: (r.unit.name, r.unit.id))
    return BudgetAcross(year, rows, regions, totals, weights)
