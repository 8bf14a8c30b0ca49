"""The one way to write the catalogue: indicators are saved only with a formula that checks out."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from kinerja import calc
from kinerja.indicators.models import Goal, Indicator, Variable

CATALOGUE_FILE = Path(__file__).parent / "data" / "catalogue.json"


@transaction.atomic
def indicator_save(
    *,
    code: str,
    level: str,
    goal: Goal,
    name: str,
    unit: str,
    formula: str,
    variables: dict[str, str],
    direction: str = "higher",
    order: int = 0,
    description: str = "",
    aggregation: str = calc.Aggregation.SUM,
    valid_from: int | None = None,
    valid_to: int | None = None,
) -> Indicator:
    """Create or update a catalogue indicator with its variables. Refuses an unusable formula."""
    problems = calc.formula_problems(formula, variables)
    if problems:
        raise ValidationError({"formula": [f"{code}: {p.message}" for p in problems]})
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError(
            {
                "valid_to": f"{code}: tahun akhir berlaku ({valid_to}) sebelum tahun mulai ({valid_from})."
            }
        )
    indicator, _ = Indicator.objects.update_or_create(
        code=code,
        defaults=dict(
            level=level,
            goal=goal,
            name=name,
            unit=unit,
            formula=formula,
            direction=direction,
            order=order,
            description=description,
            aggregation=aggregation,
            valid_from=valid_from,
            valid_to=valid_to,
        ),
    )
    indicator.full_clean()
    indicator.variables.exclude(symbol__in=variables).delete()
    for symbol, meaning in variables.items():
        Variable.objects.update_or_create(
            indicator=indicator, symbol=symbol, defaults={"description": meaning}
        )
    return indicator


@transaction.atomic
@transaction.atomic
def catalogue_sync(path: Path = CATALOGUE_FILE) -> int:
    """Load the national catalogue (goals and indicators) from its JSON file; idempotent.

    Set-based: what exists is read in three queries; a goal or indicator that is new is created in
    bulk (with its history rows), one that changed goes through `indicator_save` (same checks, its
    own history), and one that is unchanged costs nothing. A fresh database loads the catalogue in a
    handful of queries instead of one per field of every row."""
    data = json.loads(path.read_text(encoding="utf-8"))
    goals = {g.code: g for g in Goal.objects.all()}
    indicators = {i.code: i for i in Indicator.objects.all()}
    variables: dict[int, dict[str, str]] = {}
    for v in Variable.objects.all():
        variables.setdefault(v.indicator_id, {})[v.symbol] = v.description

    # Goals first: every indicator needs its goal's id.
    per_level: dict[str, int] = {}
    new_goals = []
    for goal_data in data["goals"]:
        # Goals are numbered within their level (Sasaran Kegiatan 1-4, Sasaran Program 1-3, ...).
        per_level[goal_data["level"]] = per_level.get(goal_data["level"], 0) + 1
        fields = {
            "level": goal_data["level"],
            "name": goal_data["name"],
            "order": per_level[goal_data["level"]],
        }
        goal = goals.get(goal_data["code"])
        if goal is None:
            goal = Goal(code=goal_data["code"], **fields)
            goal.full_clean(validate_unique=False)
            new_goals.append(goal)
            goals[goal.code] = goal
        elif any(getattr(goal, k) != v for k, v in fields.items()):
            Goal.objects.update_or_create(code=goal.code, defaults=fields)
            goals[goal.code] = Goal.objects.get(code=goal.code)
    if new_goals:
        bulk_create_with_history(new_goals, Goal)
        created = {g.code: g for g in Goal.objects.filter(code__in=[g.code for g in new_goals])}
        goals.update(created)

    count = 0
    new_indicators: list[tuple[Indicator, dict[str, str]]] = []
    for goal_data in data["goals"]:
        goal = goals[goal_data["code"]]
        for i_order, item in enumerate(goal_data["indicators"], start=1):
            count += 1
            wanted = {
                "level": goal.level,
                "goal": goal,
                "name": item["name"],
                "unit": item["unit"],
                "formula": item["formula"],
                "direction": item.get("direction", "higher"),
                "order": i_order,
                "description": item.get("description", ""),
                "aggregation": item.get("aggregation", calc.Aggregation.SUM),
                "valid_from": item.get("valid_from"),
                "valid_to": item.get("valid_to"),
            }
            existing = indicators.get(item["code"])
            if existing is None:
                problems = calc.formula_problems(item["formula"], item["variables"])
                if problems:
                    raise ValidationError(
                        {"formula": [f"{item['code']}: {p.message}" for p in problems]}
                    )
                indicator = Indicator(code=item["code"], **wanted)
                indicator.full_clean(validate_unique=False)
                new_indicators.append((indicator, item["variables"]))
                continue
            same = all(
                (existing.goal_id == goal.pk) if k == "goal" else getattr(existing, k) == v
                for k, v in wanted.items()
            ) and variables.get(existing.pk, {}) == dict(item["variables"])
            if not same:
                indicator_save(code=item["code"], variables=item["variables"], **wanted)
    if new_indicators:
        bulk_create_with_history([i for i, _ in new_indicators], Indicator)
        ids = dict(
            Indicator.objects.filter(code__in=[i.code for i, _ in new_indicators]).values_list(
                "code", "pk"
            )
        )
        new_variables = []
        for indicator, meanings in new_indicators:
            for symbol, meaning in meanings.items():
                variable = Variable(
                    indicator_id=ids[indicator.code], symbol=symbol, description=meaning
                )
                variable.clean()
                new_variables.append(variable)
        bulk_create_with_history(new_variables, Variable)
    return count
