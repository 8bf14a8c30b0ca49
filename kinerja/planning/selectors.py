"""Reads of the plan, already carrying their related rows (no N+1 on the pages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from kinerja.indicators.models import GOAL_LABEL, Level
from kinerja.organizations.models import Membership, Role, Unit
from kinerja.planning.models import (
    PerjanjianKinerja,
    PKGoal,
    PKIndicator,
    RAActivity,
    RAActivityQuarter,
    RAQuarter,
)


@dataclass
class LevelTable:
    level: str
    goal_label: str
    indicator_label: str
    goals: list[PKGoal] = field(default_factory=list)


def agreement_tables(agreement: PerjanjianKinerja) -> list[LevelTable]:
    """The three PK tables (Sasaran Strategis/IKU, Sasaran Program/IKP, Sasaran Kegiatan/IKK)."""
    goals = agreement.goals.order_by("level", "number").prefetch_related(
        Prefetch(
            "indicators",
            queryset=PKIndicator.objects.select_related("indicator", "activity")
            .prefetch_related(Prefetch("quarters", queryset=RAQuarter.objects.order_by("quarter")))
            .order_by("number"),
        )
    )
    tables = []
    for level in (Level.IKU, Level.IKP, Level.IKK):
        table = LevelTable(
            level=level,
            goal_label=GOAL_LABEL[level],
            indicator_label=Level(level).label.split(" (")[0],
            goals=[g for g in goals if g.level == level],
        )
        if table.goals:
            tables.append(table)
    return tables


@dataclass
class ActionPlanRow:
    row: PKIndicator
    quarters: dict[int, RAQuarter | None]
    rpd: dict[int, Decimal]
    activity_quarters: dict[int, RAActivityQuarter] = field(default_factory=dict)


def action_plan(agreement: PerjanjianKinerja) -> tuple[list[ActionPlanRow], Decimal, Decimal]:
    """Rencana Aksi rows of the IKK, with total pagu and total RPD counting each activity once."""
    activities = {
        a.id: a for a in RAActivity.objects.filter(agreement=agreement).prefetch_related("quarters")
    }
    rows = (
        agreement.indicators.filter(indicator__level=Level.IKK)
        .select_related("indicator", "goal", "activity")
        .prefetch_related("quarters", "indicator__variables")
        .order_by("goal__number", "number")
    )
    result = []
    for row in rows:
        activity = activities.get(row.activity_id) if row.activity_id is not None else None
        activity_quarters = {q.quarter: q for q in activity.quarters.all()} if activity else {}
        result.append(
            ActionPlanRow(
                row=row,
                quarters={q.quarter: q for q in row.quarters.all()},
                rpd={q: aq.planned_disbursement for q, aq in activity_quarters.items()},
                activity_quarters=activity_quarters,
            )
        )
    total_pagu = sum((a.pagu for a in activities.values()), Decimal(0))
    total_rpd = sum(
        (q.planned_disbursement for a in activities.values() for q in a.quarters.all()), Decimal(0)
    )
    return result, total_pagu, total_rpd


def head_user_names(unit: Unit) -> list[str]:
    """Who may sign for this facility: the names of its heads' accounts (Kepala UPT)."""
    memberships = (
        Membership.objects.filter(unit=unit, role=Role.HEAD, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    return [m.user.get_full_name() or m.user.username for m in memberships]
