"""The budget of a facility and year with every figure computed by kinerja.calc: the same numbers
on the page, in the command and in documents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kinerja import calc
from kinerja.budget.models import (
    BudgetScore,
    DipaLine,
    EmonevMonth,
    SpendingType,
    TarjaItem,
    YearSpending,
    attach_full_codes,
)
from kinerja.budget.rules import PERFORMANCE, rules_for
from kinerja.core.formatting import json_number
from kinerja.organizations.models import Unit

if TYPE_CHECKING:
    from kinerja.measurement.selectors import IndicatorResult

ZERO = Decimal(0)
TYPES = [t.value for t in SpendingType]


@dataclass
class Figures:
    """Pagu, blokir, plan and realisation of a set of leaf lines, each counted once."""

    pagu: Decimal = ZERO
    blocked: Decimal = ZERO
    planned: Decimal = ZERO
    realised: Decimal = ZERO

    def add(self, other: Figures) -> None:
        self.pagu += other.pagu
        self.blocked += other.blocked
        self.planned += other.planned
        self.realised += other.realised

    @property
    def available(self) -> Decimal:
        return calc.available(self.pagu, self.blocked)

    @property
    def absorption(self) -> Decimal | None:
        return calc.absorption(self.realised, self.pagu)

    @property
    def remaining(self) -> Decimal:
        return self.pagu - self.realised

    def as_json(self) -> dict[str, str | None]:
        return {
            "pagu": json_number(self.pagu),
            "blokir": json_number(self.blocked),
            "rencana": json_number(self.planned),
            "realisasi": json_number(self.realised),
            "penyerapan": json_number(self.absorption, 2),
        }


@dataclass
class Node:
    line: DipaLine
    figures: Figures
    children: list[Node] = field(default_factory=list)
    depth: int = 0

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Overview:
    unit: Unit
    year: int
    roots: list[Node]
    total: Figures
    by_type: dict[str, Figures]
    months: list[dict[str, Any]]  # per month: planned, realised, cumulative of both, deviation
    quarters: list[dict[str, Any]]
    score: BudgetScore | None
    performance: Decimal | None  # Capaian Kinerja Anggaran
    weights: dict[str, Decimal]
    regulations: list[str]
    estimate: calc.IkpaEstimate | None
    reported_by_type: dict[str, YearSpending]
    emonev: list[EmonevMonth]
    tarja: list[TarjaItem]

    @property
    def rows(self) -> list[Node]:
        return [node for root in self.roots for node in root.walk()]

    @property
    def has_lines(self) -> bool:
        return bool(self.roots)

    @property
    def type_differences(self) -> list[dict[str, Any]]:
        """Where the reported figure per spending type differs from what the lines add up to."""
        out = []
        for spending_type, reported in self.reported_by_type.items():
            computed = self.by_type.get(spending_type)
            if computed is None or not self.has_lines:
                continue
            for label, a, b in (
                ("pagu", reported.pagu, computed.pagu),
                ("realisasi", reported.realised, computed.realised),
            ):
                if a is not None and a != b:
                    out.append(
                        {
                            "type": spending_type,
                            "label": SpendingType(spending_type).label,
                            "what": label,
                            "reported": a,
                            "computed": b,
                            "difference": b - a,
                            "source": reported.source,
                        }
                    )
        return out


def _lines(unit: Unit, year: int) -> list[DipaLine]:
    """Every line of the DIPA with its months and IKK, and its full code from the same rows."""
    lines = list(
        DipaLine.objects.filter(unit=unit, year=year)
        .prefetch_related("months", "funds")
        .order_by("order", "id")
    )
    return attach_full_codes(lines, complete=True)


def _leaf_figures(line: DipaLine) -> Figures:
    months = list(line.months.all())
    return Figures(
        pagu=line.pagu or ZERO,
        blocked=line.blocked,
        planned=sum((m.planned for m in months), ZERO),
        realised=sum((m.realised for m in months), ZERO),
    )


def _tree(lines: list[DipaLine]) -> list[Node]:
    children: defaultdict[int | None, list[DipaLine]] = defaultdict(list)
    for line in lines:
        children[line.parent_id].append(line)

    def build(line: DipaLine, depth: int) -> Node:
        node = Node(line, Figures(), depth=depth)
        if line.pagu is not None:
            node.figures = _leaf_figures(line)
        for child in children.get(line.id, []):
            sub = build(child, depth + 1)
            node.children.append(sub)
            node.figures.add(sub.figures)
        return node

    return [build(line, 0) for line in children.get(None, [])]


def performance_for(score: BudgetScore | None, weights: dict[str, Decimal]) -> Decimal | None:
    """Capaian Kinerja Anggaran of a facility-year from its published scores and the weights in
    force (`rules_for(year)`): N/A without scores or when the rules set no SMART/IKPA weight. The
    facility's budget page and the dashboards across facilities both call this."""
    if score is None or not all(k in weights for k in PERFORMANCE):
        return None
    return calc.budget_performance(score.smart, score.ikpa, weights)


def budget_overview(unit: Unit, year: int) -> Overview:
    lines = _lines(unit, year)
    leaves = [line for line in lines if line.pagu is not None]
    roots = _tree(lines)
    total = Figures()
    for root in roots:
        total.add(root.figures)
    by_type = {t: Figures() for t in TYPES}
    planned: dict[str, defaultdict[int, Decimal]] = {t: defaultdict(lambda: ZERO) for t in TYPES}
    realised: dict[str, defaultdict[int, Decimal]] = {t: defaultdict(lambda: ZERO) for t in TYPES}
    for leaf in leaves:
        by_type[leaf.spending_type].add(_leaf_figures(leaf))
        for m in leaf.months.all():
            planned[leaf.spending_type][m.month] += m.planned
            realised[leaf.spending_type][m.month] += m.realised
    months: list[dict[str, Any]] = []
    cum_plan = cum_real = ZERO
    last_month = 0
    for month in range(1, 13):
        p = sum((planned[t][month] for t in TYPES), ZERO)
        r = sum((realised[t][month] for t in TYPES), ZERO)
        cum_plan += p
        cum_real += r
        if r:
            last_month = month
        months.append(
            {
                "month": month,
                "planned": p,
                "realised": r,
                "cum_planned": cum_plan,
                "cum_realised": cum_real,
                "deviation": calc.deviation(p, r),
                "cum_absorption": calc.absorption(cum_real, total.pagu),
            }
        )
    quarters = []
    for quarter in (1, 2, 3, 4):
        span = months[3 * quarter - 3 : 3 * quarter]
        p = sum((m["planned"] for m in span), ZERO)
        r = sum((m["realised"] for m in span), ZERO)
        quarters.append(
            {
                "quarter": quarter,
                "planned": p,
                "realised": r,
                "deviation": calc.deviation(p, r),
                "cum_planned": span[-1]["cum_planned"],
                "cum_realised": span[-1]["cum_realised"],
            }
        )
    weights, targets, regulations = rules_for(year)
    score = BudgetScore.objects.filter(unit=unit, year=year).first()
    performance = performance_for(score, weights)
    estimate = None
    ikpa_weights = {k: v for k, v in weights.items() if k not in PERFORMANCE}
    if leaves and {"penyerapan", "deviasi"} <= set(ikpa_weights):
        estimate = calc.ikpa_estimate(
            available={t: f.available for t, f in by_type.items()},
            planned=planned,
            realised=realised,
            targets=targets,
            weights=ikpa_weights,
            through_month=last_month,
        )
    return Overview(
        unit=unit,
        year=year,
        roots=roots,
        total=total,
        by_type=by_type,
        months=months,
        quarters=quarters,
        score=score,
        performance=performance,
        weights=weights,
        regulations=regulations,
        estimate=estimate,
        reported_by_type={
            y.spending_type: y for y in YearSpending.objects.filter(unit=unit, year=year)
        },
        emonev=list(EmonevMonth.objects.filter(unit=unit, year=year)),
        tarja=list(TarjaItem.objects.filter(unit=unit, year=year)),
    )


def reported_values(
    reported: Iterable[YearSpending],
) -> tuple[dict[str, tuple[Decimal | None, Decimal]], str]:
    """A year's figures as reported per spending type (for a year without DIPA lines):
    {type: (pagu or None, realised)} and where they come from (the rows' source, else "laporan")."""
    rows = list(reported)
    values = {r.spending_type: (r.pagu, r.realised) for r in rows}
    return values, (rows[0].source if rows else "") or "laporan"


def years_by_type(unit: Unit, years: list[int]) -> list[dict[str, Any]]:
    """Realisation per spending type for several years: from the DIPA lines where they exist,
    otherwise as reported (YearSpending). Each row says which."""
    rows = []
    for year in years:
        overview_lines = [line for line in _lines(unit, year) if line.pagu is not None]
        if overview_lines:
            per_type = {t: Figures() for t in TYPES}
            for leaf in overview_lines:
                per_type[leaf.spending_type].add(_leaf_figures(leaf))
            values: dict[str, tuple[Decimal | None, Decimal]] = {
                t: (f.pagu, f.realised) for t, f in per_type.items()
            }
            source = "baris DIPA"
        else:
            reported = {
                y.spending_type: y for y in YearSpending.objects.filter(unit=unit, year=year)
            }
            if not reported:
                continue
            values, source = reported_values(reported.values())
        total_realised = sum((v[1] for v in values.values()), ZERO)
        rows.append(
            {
                "year": year,
                "types": {t: values.get(t, (None, ZERO)) for t in TYPES},
                "realised": total_realised,
                "source": source,
            }
        )
    return rows


@dataclass
class IkkFunding:
    code: str
    name: str
    national_priority: bool
    achievement: IndicatorResult | None  # None: not recorded
    lines: list[DipaLine]
    figures: Figures

    @property
    def achieved(self) -> Decimal | None:
        """The IKK's achievement (capped where a cap applies); None when not recorded or N/A."""
        result = self.achievement
        if result is None or result.achievement is None or result.achievement.is_na:
            return None
        return result.achievement.capped

    @property
    def efficiency(self) -> Decimal | None:
        return calc.efficiency(self.achieved, self.figures.absorption) if self.lines else None


def ikk_funding(overview: Overview, results: Iterable[IndicatorResult]) -> list[IkkFunding]:
    """Per IKK of the PK: the lines that fund it (each once), their absorption, beside the IKK's
    achievement from the measurement results."""
    by_code: dict[str, list[DipaLine]] = defaultdict(list)
    leaves_of: dict[int, list[DipaLine]] = {}
    for node in overview.rows:
        leaves_of[node.line.id] = [n.line for n in node.walk() if n.line.pagu is not None]
        for indicator in node.line.funds.all():
            by_code[indicator.code].append(node.line)
    out = []
    for result in results:
        code = result.row.indicator.code
        leaves = {}
        for line in by_code.get(code, []):
            for leaf in leaves_of.get(line.id, []):
                leaves[leaf.id] = leaf
        figures = Figures()
        for leaf in leaves.values():
            figures.add(_leaf_figures(leaf))
        out.append(
            IkkFunding(
                code,
                result.row.name,
                result.row.national_priority,
                result,
                by_code.get(code, []),
                figures,
            )
        )
    return out
