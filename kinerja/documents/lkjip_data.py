"""Everything the LKjIP of a facility and year needs, gathered once: the PK and its results, the two
years before (from counts where Kinerja holds them, else as printed), Renstra targets, budget,
scores, staff, the report's own data (date, team, narratives) and the automatic drafts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kinerja import calc
from kinerja.budget import selectors as budget
from kinerja.budget.models import BudgetScore, SpendingType
from kinerja.measurement import selectors as measurement
from kinerja.measurement.models import PrintedResult
from kinerja.organizations.models import StaffReport, Unit
from kinerja.planning.models import PerjanjianKinerja, RenstraTarget
from kinerja.reporting.models import AnnualReport

HUNDRED = Decimal(100)


@dataclass
class YearFigure:
    """One indicator in one year: from counts (`result`), as printed (`printed`), or nothing."""

    year: int
    result: measurement.IndicatorResult | None = None
    printed: PrintedResult | None = None

    @property
    def source(self) -> str:
        if self.result is not None and self.result.recorded:
            return "hitung"
        if self.printed is not None:
            return "cetak"
        return ""

    @property
    def achievement(self) -> Decimal | None:
        if self.source == "hitung":
            a = self.result.achievement
            return None if a is None or a.is_na else a.capped
        if self.source == "cetak":
            return self.printed.achievement
        return None

    @property
    def is_na(self) -> bool:
        return self.source == "hitung" and self.result.realisation.is_na


@dataclass
class LkjipData:
    unit: Unit
    year: int
    agreement: PerjanjianKinerja | None
    results: list[measurement.IndicatorResult]
    history: dict[str, dict[int, YearFigure]]  # indicator code -> year -> figure
    renstra: dict[str, dict[int, Decimal]]
    renstra_years: list[int]
    overview: budget.Overview
    years_by_type: list[dict[str, Any]]
    funding: dict[str, budget.IkkFunding]
    scores: list[BudgetScore]
    staff: StaffReport | None
    report: AnnualReport
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return [self.year, self.year - 1, self.year - 2]

    def groups(self) -> dict[str, list[measurement.IndicatorResult]]:
        """IKK results by what happened: exceeded, met, missed, no population, no data."""
        out: dict[str, list[measurement.IndicatorResult]] = {
            "lebih": [],
            "tepat": [],
            "kurang": [],
            "na": [],
            "kosong": [],
        }
        for r in self.results:
            if not r.recorded:
                out["kosong"].append(r)
            else:
                out[calc.verdict(r.achievement).value].append(r)
        return out


def _results_by_code(unit: Unit, year: int) -> dict:
    agreement = PerjanjianKinerja.objects.in_force(unit, year)
    if agreement is None:
        return {}
    return {r.row.indicator.code: r for r in measurement.year_results(agreement)}


def gather(unit: Unit, year: int) -> LkjipData:
    agreement = PerjanjianKinerja.objects.in_force(unit, year)
    results = measurement.year_results(agreement) if agreement else []
    history: dict[str, dict[int, YearFigure]] = {}
    printed = {}
    for p in PrintedResult.objects.filter(unit=unit, year__in=[year - 2, year - 1, year]):
        printed[(p.indicator.code, p.year)] = p
    by_year = {year: {r.row.indicator.code: r for r in results}}
    for y in (year - 1, year - 2):
        by_year[y] = _results_by_code(unit, y)
    for r in results:
        code = r.row.indicator.code
        history[code] = {
            # the report's own year comes from counts only; printed figures of that year are
            # kept for the review, not shown as if they were measured
            y: YearFigure(y, by_year[y].get(code), printed.get((code, y)) if y != year else None)
            for y in (year, year - 1, year - 2)
        }
    renstra: dict[str, dict[int, Decimal]] = {}
    renstra_years: set[int] = set()
    for t in RenstraTarget.objects.filter(
        renstra__unit=unit, renstra__start_year__lte=year, renstra__end_year__gte=year
    ).select_related("indicator"):
        renstra.setdefault(t.indicator.code, {})[t.year] = t.value
        renstra_years.add(t.year)
    overview = budget.budget_overview(unit, year)
    funding = {f.code: f for f in budget.ikk_funding(overview, results)}
    # Read only (the narratives page shows this on GET): an unsaved report until something is saved.
    report = AnnualReport.objects.filter(unit=unit, year=year).first() or AnnualReport(
        unit=unit, year=year
    )
    data = LkjipData(
        unit=unit,
        year=year,
        agreement=agreement,
        results=results,
        history=history,
        renstra=renstra,
        renstra_years=sorted(renstra_years),
        overview=overview,
        years_by_type=budget.years_by_type(unit, [year - 2, year - 1, year]),
        funding=funding,
        scores=list(BudgetScore.objects.filter(unit=unit, year__lte=year).order_by("year")),
        staff=StaffReport.objects.filter(unit=unit, year=year).prefetch_related("ranks").first(),
        report=report,
        sections={s.key: s.text for s in report.sections.all()} if report.pk else {},
    )
    return data


SPENDING_LABELS = dict(SpendingType.choices)
