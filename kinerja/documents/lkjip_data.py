"""Everything the LKjIP of a facility and year needs, gathered once: the PK and its results, the two
years before (from counts where Kinerja holds them, else as printed), Renstra targets, budget,
scores, staff, the report's own data (date, team, narratives) and the automatic drafts."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Min
from django.utils import timezone

from kinerja import calc
from kinerja.budget import selectors as budget
from kinerja.budget.models import BudgetScore, SpendingType
from kinerja.measurement import selectors as measurement
from kinerja.measurement.models import (
    EntryWindow,
    Evidence,
    MonitoringNote,
    PrintedResult,
    QuarterReport,
    RealizationStatus,
    Transition,
)
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


@dataclass(frozen=True)
class QuarterState:
    """One quarter report of the PK: its status, every return with its reason, and its timeliness
    against the region's entry window (`calc.timeliness`, the facility's local dates)."""

    quarter: int
    status: str  # RealizationStatus value; 'draft' when no report exists
    returns: tuple[str, ...]  # the reason of every return, oldest first ('' when none was given)
    timing: calc.Timeliness
    days_late: int | None  # late: first submitted N days after closing; overdue: N days so far
    ended: bool = True  # the quarter has ended by the facility's today

    @property
    def submitted(self) -> bool:
        return self.status not in (RealizationStatus.DRAFT, RealizationStatus.RETURNED)


@dataclass(frozen=True)
class Note:
    """A monitoring note of the region on one IKK and quarter."""

    quarter: int
    text: str


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
    # What the drafts also read, each for all IKK at once: the region's monitoring notes per IKK
    # code, the quarter reports' states, the quarters whose results have no evidence per IKK code,
    # and the review's findings (`review.services.review_compute`; the drafts name the open ones).
    notes: dict[str, list[Note]] = field(default_factory=dict)
    quarter_states: list[QuarterState] = field(default_factory=list)
    without_evidence: dict[str, list[int]] = field(default_factory=dict)
    findings: list[Any] = field(default_factory=list)

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


def _notes(agreement: PerjanjianKinerja) -> dict[str, list[Note]]:
    """The region's monitoring notes on the PK's indicators, per IKK code, oldest first (one query)."""
    out: dict[str, list[Note]] = {}
    for code, quarter, text in (
        MonitoringNote.objects.filter(pk_indicator__agreement=agreement)
        .order_by("quarter", "at", "id")
        .values_list("pk_indicator__indicator__code", "quarter", "text")
    ):
        if text.strip():
            out.setdefault(code, []).append(Note(quarter, text.strip()))
    return out


def _quarter_start(year: int, quarter: int) -> dt.date:
    """The first day of a quarter (quarter 5: the next year's first)."""
    return dt.date(year + (quarter - 1) // 4, (quarter - 1) % 4 * 3 + 1, 1)


def _quarter_states(unit: Unit, agreement: PerjanjianKinerja, year: int) -> list[QuarterState]:
    """TW I-IV: status, returns and timeliness as the region's completeness page reckons them (the
    first submission's local date against the entry window's closing day). Three queries."""
    reports = {r.quarter: r for r in QuarterReport.objects.filter(agreement=agreement)}
    transitions = Transition.objects.filter(report__agreement=agreement)
    first = dict(
        transitions.filter(to_status=RealizationStatus.SUBMITTED)
        .values("report_id")
        .annotate(first=Min("at"))
        .values_list("report_id", "first")
    )
    returns: dict[int, list[str]] = {}
    for report_id, reason in (
        transitions.filter(to_status=RealizationStatus.RETURNED)
        .order_by("at", "id")
        .values_list("report_id", "reason")
    ):
        returns.setdefault(report_id, []).append((reason or "").strip())
    closes = dict(
        EntryWindow.objects.filter(region_id=unit.parent_id, year=year).values_list(
            "quarter", "closes"
        )
    )
    zone = zoneinfo.ZoneInfo(unit.local_time_zone)
    today = timezone.localdate(timezone=zone)
    states = []
    for quarter in (1, 2, 3, 4):
        report = reports.get(quarter)
        moment = first.get(report.id) if report else None
        submitted_on: dt.date | None = (
            timezone.localtime(moment, zone).date() if moment is not None else None
        )
        timing, days = calc.timeliness(submitted_on, closes.get(quarter), today)
        states.append(
            QuarterState(
                quarter,
                report.status if report else RealizationStatus.DRAFT.value,
                tuple(returns.get(report.id, ())) if report else (),
                timing,
                days,
                ended=today >= _quarter_start(year, quarter + 1),
            )
        )
    return states


def _without_evidence(
    agreement: PerjanjianKinerja, results: list[measurement.IndicatorResult]
) -> dict[str, list[int]]:
    """Per IKK code, the quarters whose complete values have no evidence file (one query; the
    realisations and values come prefetched with the results)."""
    with_evidence = set(
        Evidence.objects.filter(realization__pk_indicator__agreement=agreement).values_list(
            "realization_id", flat=True
        )
    )
    out: dict[str, list[int]] = {}
    for r in results:
        formula = r.row.indicator.formula
        for realization in r.row.realizations.all():
            values = {v.symbol: v.value for v in realization.values.all()}
            if realization.id not in with_evidence and calc.is_complete(formula, values):
                quarters = out.setdefault(r.row.indicator.code, [])
                if realization.quarter not in quarters:
                    quarters.append(realization.quarter)
    return out


def _findings(unit: Unit, year: int) -> list[Any]:
    """The review's findings of the facility-year (computed, nothing stored), accepted ones marked."""
    from kinerja.review.services import review_compute

    return list(review_compute(unit=unit, year=year).findings)


def gather(unit: Unit, year: int, *, findings: list[Any] | None = None) -> LkjipData:
    """Every read of the LKjIP's data and drafts. `findings`: the review's findings when the caller
    has just run the review (the LKjIP's generation does), so it is not run twice."""
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
        notes=_notes(agreement) if agreement else {},
        quarter_states=_quarter_states(unit, agreement, year) if agreement else [],
        without_evidence=_without_evidence(agreement, results) if agreement else {},
        findings=_findings(unit, year) if findings is None else list(findings),
    )
    return data


SPENDING_LABELS = dict(SpendingType.choices)
