"""Reading an evaluation: the framework in force for a year, and the worksheet (LKE) of a
facility-year with every criterion's self and final answer, the pre-fill's proposal, the scores
and grades from calc, the consistency flags and the recommendations. A fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q

from kinerja import calc
from kinerja.evaluation.models import (
    Answer,
    Component,
    Criterion,
    Evaluation,
    Framework,
    Recommendation,
    SubComponent,
)
from kinerja.evaluation.prefill import NOT_AUTOMATIC, Proposal, propose
from kinerja.organizations.models import Unit


def framework_for(year: int) -> Framework | None:
    """The framework in force for the evaluated year (the newest that started by then)."""
    return (
        Framework.objects.filter(year_from__lte=year)
        .filter(Q(year_to__isnull=True) | Q(year_to__gte=year))
        .order_by("-year_from", "-id")
        .first()
    )


def scale_values(framework: Framework, scale: str) -> dict[str, Decimal]:
    return {a["code"]: Decimal(a["value"]) for a in framework.scales.get(scale, [])}


def grades_of(framework: Framework) -> list[calc.LkeGrade]:
    return [
        calc.LkeGrade(
            g["code"], Decimal(g["above"]) if g["above"] is not None else None, g["label"]
        )
        for g in framework.grades
    ]


@dataclass
class Row:
    criterion: Criterion
    key: str
    answer: Answer | None
    proposal: Proposal | None  # None: the criterion has no pre-fill rule

    @property
    def self_value(self) -> str:
        return self.answer.self_value if self.answer else ""

    @property
    def final_value(self) -> str:
        return self.answer.final_value if self.answer else ""

    @property
    def automatic_text(self) -> str:
        return NOT_AUTOMATIC if self.proposal is None or not self.proposal.automatic else ""

    @property
    def proposal_differs(self) -> bool:
        """A person's answer that differs from what the data propose now (never overwritten)."""
        if self.proposal is None or not self.proposal.automatic or not self.self_value:
            return False
        return self.self_value != self.proposal.code

    @property
    def proposal_changed(self) -> bool:
        """The facility took a proposal that the data no longer give."""
        taken = self.answer.proposal_taken if self.answer else None
        if not taken or self.proposal is None:
            return False
        return bool(
            taken.get("code") != self.proposal.code or taken.get("reasons") != self.proposal.reasons
        )


@dataclass
class SubBlock:
    sub: SubComponent
    key: str
    rows: list[Row]


@dataclass
class ComponentBlock:
    component: Component
    subs: list[SubBlock]


@dataclass
class Sheet:
    unit: Unit
    year: int
    framework: Framework
    evaluation: Evaluation | None
    components: list[ComponentBlock]
    self_score: calc.LkeScore
    final_score: calc.LkeScore
    self_flags: list[tuple[str, str]]
    final_flags: list[tuple[str, str]]
    recommendations: list[Recommendation] = field(default_factory=list)
    previous_recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [r for c in self.components for s in c.subs for r in s.rows]

    def scale(self, criterion: Criterion) -> list[dict[str, Any]]:
        return list(self.framework.scales.get(criterion.scale, []))

    @property
    def status(self) -> str:
        return self.evaluation.status if self.evaluation else "draft"

    @property
    def status_label(self) -> str:
        if self.evaluation is None:
            return "Belum dimulai"
        return self.evaluation.get_status_display()


def _structure(framework: Framework) -> list[Component]:
    return list(
        framework.components.prefetch_related(
            Prefetch(
                "subs",
                queryset=SubComponent.objects.order_by("number").prefetch_related(
                    Prefetch(
                        "criteria",
                        queryset=Criterion.objects.order_by("number").select_related(
                            "depends_on__sub__component"
                        ),
                    )
                ),
            )
        ).order_by("number")
    )


def _calc_components(
    framework: Framework, components: list[ComponentBlock], which: str
) -> list[calc.LkeComponent]:
    out = []
    scales: dict[str, dict[str, Decimal]] = {}
    for block in components:
        subs = []
        for sb in block.subs:
            criteria = []
            for row in sb.rows:
                k = row.criterion
                values = scales.setdefault(k.scale, scale_values(framework, k.scale))
                code = row.self_value if which == "self" else row.final_value
                depends = k.depends_on
                criteria.append(
                    calc.LkeCriterion(
                        row.key,
                        k.weight,
                        values.get(code) if code else None,
                        (
                            f"{depends.sub.component.number}.{depends.sub.number}.{depends.number}"
                            if depends
                            else None
                        ),
                    )
                )
            subs.append(calc.LkeSub(sb.key, sb.sub.aspect, sb.sub.weight, tuple(criteria)))
        out.append(
            calc.LkeComponent(
                str(block.component.number),
                block.component.name,
                block.component.weight,
                tuple(subs),
            )
        )
    return out


def framework_components(framework: Framework) -> list[calc.LkeComponent]:
    """The framework as calc's structure without answers (for the weight checks)."""
    blocks = _blocks(framework, {}, {})
    return _calc_components(framework, blocks, "self")


def _blocks(
    framework: Framework, answers: dict[int, Answer], proposals: dict[str, Proposal]
) -> list[ComponentBlock]:
    blocks = []
    for component in _structure(framework):
        subs = []
        for sub in component.subs.all():
            rows = [
                Row(
                    k,
                    f"{component.number}.{sub.number}.{k.number}",
                    answers.get(k.id),
                    proposals.get(k.prefill) if k.prefill else None,
                )
                for k in sub.criteria.all()
            ]
            subs.append(SubBlock(sub, f"{component.number}.{sub.number}", rows))
        blocks.append(ComponentBlock(component, subs))
    return blocks


def sheet(
    unit: Unit, year: int, *, prefill: bool = True, today: dt.date | None = None
) -> Sheet | None:
    """The worksheet of a facility-year (None when no framework covers the year). Without an
    evaluation yet, the answers are empty and the proposals are shown."""
    evaluation = (
        Evaluation.objects.filter(unit=unit, year=year)
        .select_related("framework", "submitted_by", "finished_by")
        .first()
    )
    framework = evaluation.framework if evaluation else framework_for(year)
    if framework is None:
        return None
    answers: dict[int, Answer] = {}
    recommendations: list[Recommendation] = []
    if evaluation is not None:
        answers = {
            a.criterion_id: a
            for a in evaluation.answers.select_related("updated_by").prefetch_related("files")
        }
        recommendations = list(
            evaluation.recommendations.select_related("component", "by").prefetch_related(
                "follow_ups__by"
            )
        )
    rules = set(
        Criterion.objects.filter(sub__component__framework=framework)
        .exclude(prefill="")
        .values_list("prefill", flat=True)
    )
    proposals = propose(unit, year, rules, today) if prefill else {}
    blocks = _blocks(framework, answers, proposals)
    grades = grades_of(framework)
    self_parts = _calc_components(framework, blocks, "self")
    final_parts = _calc_components(framework, blocks, "final")
    self_score = calc.lke_score(self_parts, grades)
    final_score = calc.lke_score(final_parts, grades)
    previous = list(
        Recommendation.objects.filter(evaluation__unit=unit, evaluation__year=year - 1)
        .select_related("component")
        .prefetch_related("follow_ups__by")
    )
    return Sheet(
        unit=unit,
        year=year,
        framework=framework,
        evaluation=evaluation,
        components=blocks,
        self_score=self_score,
        final_score=final_score,
        self_flags=calc.lke_inconsistencies(self_parts, self_score),
        final_flags=calc.lke_inconsistencies(final_parts, final_score),
        recommendations=recommendations,
        previous_recommendations=previous,
    )
