"""The weights and targets of budget performance, read from the IkpaRule table (seeded from
data/rules.json), never constants in code."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

RULES_FILE = Path(__file__).parent / "data" / "rules.json"

PERFORMANCE = ("smart", "ikpa")


def rules_sync(model) -> int:
    """Write the rules of data/rules.json into the table (idempotent); returns the number of rows."""
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    count = 0
    for rule_set in data["rule_sets"]:
        common = {"valid_from": rule_set["valid_from"]}
        for component, weight in rule_set.get("weights", {}).items():
            model.objects.update_or_create(
                kind="weight",
                component=component,
                spending_type="",
                quarter=None,
                **common,
                defaults={"value": Decimal(str(weight)), "regulation": rule_set["regulation"]},
            )
            count += 1
        for spending_type, quarters in rule_set.get("targets", {}).items():
            for quarter, target in quarters.items():
                model.objects.update_or_create(
                    kind="target",
                    component="",
                    spending_type=spending_type,
                    quarter=int(quarter),
                    **common,
                    defaults={"value": Decimal(str(target)), "regulation": rule_set["regulation"]},
                )
                count += 1
    return count


def rules_for(year: int):
    """The rules in force in a year: per key the row with the latest valid_from not after the year.

    Returns (weights, targets, regulations): weights {component: value}, targets {type: {quarter:
    value}}, regulations: the regulation texts the figures come from."""
    from kinerja.budget.models import IkpaRule

    latest: dict[tuple, IkpaRule] = {}
    for rule in IkpaRule.objects.filter(valid_from__lte=year).order_by("valid_from"):
        latest[(rule.kind, rule.component, rule.spending_type, rule.quarter)] = rule
    weights = {r.component: r.value for r in latest.values() if r.kind == "weight"}
    targets: dict[str, dict[int, Decimal]] = {}
    for rule in latest.values():
        if rule.kind == "target":
            targets.setdefault(rule.spending_type, {})[rule.quarter] = rule.value
    regulations = sorted({r.regulation for r in latest.values()})
    return weights, targets, regulations
