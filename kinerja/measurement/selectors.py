"""The year's results of a facility: every figure comes from kinerja.calc, the same for page, API and documents."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from kinerja import calc
from kinerja.core.formatting import BULAN, TRIWULAN, format_number
from kinerja.indicators.models import Level
from kinerja.measurement.models import Evidence, MonitoringNote, Realization, VariableValue
from kinerja.planning.models import PerjanjianKinerja, PKIndicator


@dataclass
class IndicatorResult:
    row: PKIndicator
    quarter: int | None  # the latest quarter with complete values (None: nothing recorded yet)
    values: dict[str, Decimal]
    realisation: calc.Outcome | None
    achievement: calc.Achievement | None
    steps: list[calc.Step]
    status: str
    month: int | None = None  # the month of the latest complete period (monthly entry)

    @property
    def computation(self) -> str:
        """The steps as one line of text (pages, CLI); documents lay the steps out themselves."""
        return calc.steps_text(self.steps)

    @property
    def recorded(self) -> bool:
        return self.realisation is not None

    @property
    def level(self) -> str:
        """good / warning / bad by the thresholds in settings; na; or empty when nothing is recorded."""
        if not self.recorded:
            return ""
        if self.achievement is None or self.achievement.is_na or self.achievement.capped is None:
            return "na"
        thresholds = settings.KINERJA_ACHIEVEMENT_THRESHOLDS
        if self.achievement.capped >= Decimal(str(thresholds["good"])):
            return "good"
        if self.achievement.capped >= Decimal(str(thresholds["warning"])):
            return "warning"
        return "bad"

    report_status: dict[int, str] | None = None

    @property
    def quarter_figures(self) -> list[calc.QuarterFigure]:
        """TW I-IV: cumulative realisation, increment, target increment and quarterly achievement."""
        formula = self.row.indicator.formula
        outcomes = {}
        for realization in _by_period(self.row.realizations.all()):
            values = {v.symbol: v.value for v in realization.values.all()}
            if realization.counts_for_quarter and calc.is_complete(formula, values):
                outcomes[realization.quarter] = realisation(formula, values)
        targets = {q.quarter: q.target_increment for q in self.row.quarters.all()}
        return calc.quarter_figures(outcomes, targets)

    @property
    def month_figures(self) -> list[tuple[str, calc.Outcome]]:
        """For a facility that records monthly: each month with complete values and its reported
        (year-to-date) realisation, in month order."""
        figures = []
        for realization in _by_period(self.row.realizations.all()):
            values = {v.symbol: v.value for v in realization.values.all()}
            if realization.month and calc.is_complete(self.row.indicator.formula, values):
                figures.append(
                    (BULAN[realization.month - 1], realisation(self.row.indicator.formula, values))
                )
        return figures

    @property
    def quarters(self) -> dict[int, str]:
        """Status of each quarter (TW I-IV) where this indicator has a realisation, '' where none."""
        recorded = {r.quarter for r in self.row.realizations.all()}
        statuses = self.report_status or {}
        return {q: (statuses.get(q, "draft") if q in recorded else "") for q in (1, 2, 3, 4)}


def period_label(quarter: int, month: int | None) -> str:
    """'TW II', or 'Mei (TW II)' for a month."""
    return f"{BULAN[month - 1]} ({TRIWULAN[quarter]})" if month else TRIWULAN[quarter]


def _by_period(realizations: Iterable[Realization]) -> list[Realization]:
    """Oldest period first; at the same period end a quarter row comes after (and so wins over) the
    month row, should a facility have switched from monthly to quarterly entry."""
    return sorted(realizations, key=lambda r: (r.period_end, r.month is None))


def realisation(formula: str, values: dict[str, Decimal]) -> calc.Outcome:
    """The reported realisation: the formula's result at two decimals by the reporting rule."""
    return calc.reported(calc.evaluate(formula, values), settings.KINERJA_REALISATION_ROUNDING)


def achievement_cap(agreement: PerjanjianKinerja) -> Decimal | None:
    if agreement.achievement_cap is not None:
        return agreement.achievement_cap
    national = getattr(settings, "KINERJA_ACHIEVEMENT_CAP", None)
    return Decimal(str(national)) if national not in (None, "") else None


def ikk_rows(agreement: PerjanjianKinerja, *, evidence: bool = False) -> QuerySet[PKIndicator]:
    """The PK's IKK rows with everything `year_results` reads (and the evidence, when a caller such as
    the review also needs it), in the PK's order: a fixed number of queries, whatever the size."""
    values = ("values", "evidence") if evidence else ("values",)
    return (
        agreement.indicators.filter(indicator__level=Level.IKK)
        .select_related("indicator", "goal")
        .prefetch_related(
            "indicator__variables",
            "quarters",
            Prefetch(
                "realizations",
                queryset=Realization.objects.prefetch_related(*values).order_by("quarter"),
            ),
        )
        .order_by("goal__number", "number")
    )


def year_results(
    agreement: PerjanjianKinerja,
    rows: Iterable[PKIndicator] | None = None,
    statuses: Mapping[int, str] | None = None,
    *,
    through: int | None = None,
) -> list[IndicatorResult]:
    """Per IKK of the PK: target, realisation from the latest quarter with complete values,
    achievement raw and capped, N/A with its reason, and the computation as text. A caller that has
    read the rows (`ikk_rows`) and the quarter statuses already passes them, so nothing is read twice.
    `through`: s.d. that quarter, the periods after it left out (as the dashboards' s.d. TW)."""
    cap = achievement_cap(agreement)
    if rows is None:
        rows = ikk_rows(agreement)
    if statuses is None:
        statuses = {r.quarter: r.status for r in agreement.quarter_reports.all()}
    results = [_result(row, cap, through) for row in rows]
    for result in results:
        result.report_status = dict(statuses)
        result.status = statuses.get(result.quarter, "draft") if result.quarter else ""
    return results


def _result(row: PKIndicator, cap: Decimal | None, through: int | None = None) -> IndicatorResult:
    indicator = row.indicator
    realizations = _by_period(
        r for r in row.realizations.all() if through is None or r.quarter <= through
    )
    periods = [{v.symbol: v.value for v in r.values.all()} for r in realizations]
    figure = calc.year_figure(
        indicator.formula,
        periods,
        row.target,
        direction=indicator.direction,
        lower_rule=indicator.lower_rule,
        cap=cap,
        rounding=settings.KINERJA_REALISATION_ROUNDING,
    )
    if figure.period is None:
        return IndicatorResult(row, None, {}, None, None, [], "")
    realization, values = realizations[figure.period], periods[figure.period]
    steps = calc.computation_steps(
        indicator.formula,
        values,
        row.target,
        figure.achievement,
        rounding=settings.KINERJA_REALISATION_ROUNDING,
        target_unit=row.target_unit,
        direction=indicator.direction,
        lower_rule=indicator.lower_rule,
    )
    return IndicatorResult(
        row,
        realization.quarter,
        values,
        figure.realisation,
        figure.achievement,
        steps,
        "",
        realization.month,
    )


@dataclass
class EntryRow:
    row: PKIndicator
    realization: Realization | None
    values: dict[str, Decimal]
    result: IndicatorResult | None
    notes: list[MonitoringNote]
    # After a refused save: the problems by field ('general' for the row) and what was typed.
    errors: dict[str, str] = field(default_factory=dict)
    posted: dict[str, str] | None = None
    posted_narrative: str | None = None

    @property
    def version(self) -> str:
        """What the row holds (values and description), as a short digest: a page sends back the
        version it showed, and a save refuses a row someone else changed since."""
        return entry_version(self.values, self.realization.narrative if self.realization else "")

    @property
    def shown(self) -> dict[str, str]:
        """Each value as the entry field shows it: every stored decimal (up to 4), never rounded."""
        return {k: format_number(v, 4, trim=True) for k, v in self.values.items()}


def entry_version(values: Mapping[str, Decimal | None], narrative: str) -> str:
    kept = sorted((k, format(v.normalize(), "f")) for k, v in values.items() if v is not None)
    text = repr((kept, (narrative or "").strip()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _entry_prefetches(quarter: int, month: int | None) -> list[Prefetch[str, QuerySet[Any], str]]:
    return [
        Prefetch(
            "realizations",
            queryset=Realization.objects.filter(quarter=quarter, month=month).prefetch_related(
                "values", "evidence"
            ),
        ),
        Prefetch(
            "monitoring_notes",
            queryset=MonitoringNote.objects.filter(quarter=quarter).select_related("by"),
        ),
    ]


def _entry_row(row: PKIndicator, cap: Decimal | None) -> EntryRow:
    realization = next(iter(row.realizations.all()), None)
    values = {v.symbol: v.value for v in realization.values.all()} if realization else {}
    figure = _result(row, cap) if realization else None
    return EntryRow(row, realization, values, figure, list(row.monitoring_notes.all()))


def entry_rows(
    agreement: PerjanjianKinerja, quarter: int, only: int | None = None, month: int | None = None
) -> list[EntryRow]:
    """Every IKK of the PK with this quarter's (or month's) values, evidence, notes and the figure
    they give."""
    cap = achievement_cap(agreement)
    rows = (
        agreement.indicators.filter(indicator__level=Level.IKK)
        .select_related("indicator", "goal", "agreement")
        .prefetch_related("indicator__variables", *_entry_prefetches(quarter, month))
        .order_by("goal__number", "number")
    )
    if only is not None:
        rows = rows.filter(pk=only)
    return [_entry_row(row, cap) for row in rows]


def entry_row(pk_indicator: PKIndicator, quarter: int, month: int | None = None) -> EntryRow:
    """`entry_rows` for one row already read with its indicator, variables and agreement (the
    entry page after a save): only what the save may have changed is read again."""
    prefetch_related_objects([pk_indicator], *_entry_prefetches(quarter, month))
    return _entry_row(pk_indicator, achievement_cap(pk_indicator.agreement))


# The history reason of a row copied onto a signed PK revision (see services.results_carry_over).
CARRIED = "dibawa ke revisi PK"


@dataclass
class Change:
    at: dt.datetime
    user: User | None
    what: str
    old: str
    new: str


def _diffs(records: QuerySet[Any], describe: Callable[[Any], str]) -> list[Change]:
    """Changes between consecutive historical records of each object (creation and deletion included)."""
    changes = []
    previous: dict[int, object] = {}
    # The user of every row in the same query (a row may have none: "sistem" on the page).
    records = records.select_related("history_user")
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        label = describe(record)
        before = previous.get(record.id)
        if record.history_type == "+" and getattr(record, "history_change_reason", "") == CARRIED:
            # A copy made when a PK revision was signed: its history is that of the earlier version.
            previous[record.id] = record
            continue
        if record.history_type == "+":
            for field, value in _fields(record).items():
                changes.append(
                    Change(record.history_date, record.history_user, f"{label}: {field}", "", value)
                )
        elif record.history_type == "-":
            changes.append(
                Change(record.history_date, record.history_user, f"{label} dihapus", "", "")
            )
        elif before is not None:
            for item in record.diff_against(before).changes:
                if item.field in TRACKED:
                    changes.append(
                        Change(
                            record.history_date,
                            record.history_user,
                            f"{label}: {TRACKED[item.field]}",
                            _text(item.old),
                            _text(item.new),
                        )
                    )
        previous[record.id] = record
    return changes


TRACKED = {
    "target": "target",
    "value": "nilai",
    "narrative": "uraian",
    "original_name": "berkas",
    "status": "status",
    "return_reason": "alasan dikembalikan",
}


def _fields(record: Any) -> dict[str, str]:
    return {
        TRACKED[f]: _text(getattr(record, f))
        for f in TRACKED
        if hasattr(record, f) and getattr(record, f) not in ("", None)
    }


def _text(value: object) -> str:
    if isinstance(value, Decimal):
        return format_number(value, 4, trim=True)
    return "" if value is None else str(value)


def indicator_history(row: PKIndicator) -> list[Change]:
    """Every recorded change of an indicator's target, values, narratives and evidence, newest first,
    over this PK version and the versions it revised (a signed revision carries the results over)."""
    versions = {
        r.id: r.agreement.revision
        for r in PKIndicator.objects.filter(
            agreement__unit_id=row.agreement.unit_id,
            agreement__year=row.agreement.year,
            agreement__revision__lte=row.agreement.revision,
            indicator_id=row.indicator_id,
        ).select_related("agreement")
    }

    def version(pk_indicator_id: int) -> str:
        revision = versions.get(pk_indicator_id, row.agreement.revision)
        return "" if revision == row.agreement.revision else f" (PK revisi {revision})"

    realizations = {
        r.id: period_label(r.quarter, r.month) + version(r.pk_indicator_id)
        for r in Realization.history.filter(pk_indicator_id__in=versions)
    }
    changes = _diffs(
        PKIndicator.history.filter(id__in=versions), lambda r: "Target PK" + version(r.id)
    )
    changes += _diffs(
        Realization.history.filter(pk_indicator_id__in=versions),
        lambda r: f"Realisasi {period_label(r.quarter, r.month)}{version(r.pk_indicator_id)}",
    )
    changes += _diffs(
        VariableValue.history.filter(realization_id__in=realizations),
        lambda r: f"{realizations.get(r.realization_id, '?')} variabel {r.symbol}",
    )
    changes += _diffs(
        Evidence.history.filter(realization_id__in=realizations),
        lambda r: f"{realizations.get(r.realization_id, '?')} data dukung",
    )
    return sorted(changes, key=lambda c: c.at, reverse=True)
