"""The one way to write the catalogue: indicators are saved only with a formula that checks out."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

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
) -> Indicator:
    """Create or update a catalogue indicator with its variables. Refuses an unusable formula."""
    problems = calc.formula_problems(formula, variables)
    if problems:
        raise ValidationError({"formula": [f"{code}: {p.message}" for p in problems]})
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
def catalogue_sync(path: Path = CATALOGUE_FILE) -> int:
    """Load the national catalogue (goals and indicators) from its JSON file; idempotent."""
    data = json.loads(path.read_text(encoding="utf-8"))
    count = 0
    per_level: dict[str, int] = {}
    for goal_data in data["goals"]:
        # Goals are numbered within their level (Sasaran Kegiatan 1-4, Sasaran Program 1-3, ...).
        per_level[goal_data["level"]] = per_level.get(goal_data["level"], 0) + 1
        goal, _ = Goal.objects.update_or_create(
            code=goal_data["code"],
            defaults={
                "level": goal_data["level"],
                "name": goal_data["name"],
                "order": per_level[goal_data["level"]],
            },
        )
        for i_order, item in enumerate(goal_data["indicators"], start=1):
            indicator_save(
                code=item["code"],
                level=goal.level,
                goal=goal,
                name=item["name"],
                unit=item["unit"],
                formula=item["formula"],
                variables=item["variables"],
                direction=item.get("direction", "higher"),
                order=i_order,
                description=item.get("description", ""),
            )
            count += 1
    return count
