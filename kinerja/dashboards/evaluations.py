"""The AKIP evaluations (LKE) across a Kanwil's or the nation's facilities: per facility its
evaluation's status, final score and grade and its overdue recommendations; per region and in
total the distribution of grades and the mean score of the finished evaluations. Set-based: a fixed
number of queries whatever the number of facilities; reading it runs nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet

from kinerja import calc
from kinerja.dashboards.monitoring import _facilities
from kinerja.evaluation.models import Evaluation, EvaluationStatus, Recommendation
from kinerja.evaluation.selectors import framework_for
from kinerja.organizations.models import Unit


@dataclass
class FacilityEvaluation:
    unit: Unit
    evaluation: Evaluation | None
    overdue: int

    @property
    def status_label(self) -> str:
        return self.evaluation.get_status_display() if self.evaluation else "Belum dimulai"


@dataclass
class Distribution:
    region: Unit | None  # None: every facility of the page's unit
    facilities: int = 0
    grades: dict[str, int] = field(default_factory=dict)
    draft: int = 0
    submitted: int = 0
    scores: list[Decimal] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return len(self.scores)

    counts: list[int] = field(default_factory=list)  # per grade code, in the framework's order

    @property
    def unfinished(self) -> int:
        return self.facilities - self.finished

    @property
    def not_started(self) -> int:
        return self.facilities - self.finished - self.draft - self.submitted

    @property
    def mean(self) -> Decimal | None:
        return calc.lke_mean(self.scores)

    def add(self, evaluation: Evaluation | None) -> None:
        self.facilities += 1
        if evaluation is None:
            return
        if evaluation.status == EvaluationStatus.FINAL and evaluation.score is not None:
            self.scores.append(evaluation.score)
            self.grades[evaluation.grade] = self.grades.get(evaluation.grade, 0) + 1
        elif evaluation.status == EvaluationStatus.SUBMITTED:
            self.submitted += 1
        else:
            self.draft += 1


@dataclass
class EvaluationsAcross:
    year: int
    grade_codes: list[str]
    facilities: list[FacilityEvaluation]
    regions: list[Distribution]
    total: Distribution


def evaluations_across(facilities: QuerySet[Unit], year: int, today: dt.date) -> EvaluationsAcross:
    units = _facilities(facilities)
    ids = [u.id for u in units]
    evaluations = {e.unit_id: e for e in Evaluation.objects.filter(unit_id__in=ids, year=year)}
    overdue = dict(
        Recommendation.objects.filter(
            evaluation__unit_id__in=ids,
            evaluation__status=EvaluationStatus.FINAL,
            deadline__lt=today,
        )
        .exclude(follow_ups__done=True)
        .values_list("evaluation__unit_id")
        .annotate(n=Count("id", distinct=True))
        .values_list("evaluation__unit_id", "n")
    )
    framework = framework_for(year)
    codes = [g["code"] for g in framework.grades] if framework else []
    total = Distribution(None)
    regions: dict[int, Distribution] = {}
    rows = []
    for unit in units:
        evaluation = evaluations.get(unit.id)
        rows.append(FacilityEvaluation(unit, evaluation, overdue.get(unit.id, 0)))
        total.add(evaluation)
        regions.setdefault(unit.parent_id or 0, Distribution(unit.parent)).add(evaluation)
    # Lowest final score first (who needs help), then those not finished.
    rows.sort(
        key=lambda f: (
            f.evaluation is None or f.evaluation.score is None,
            f.evaluation.score if f.evaluation and f.evaluation.score is not None else 0,
            f.unit.name,
        )
    )
    for distribution in [total, *regions.values()]:
        distribution.counts = [distribution.grades.get(code, 0) for code in codes]
    return EvaluationsAcross(year, codes, rows, list(regions.values()), total)
