"""The roll-up as JSON, one shape for `kinerja rollup --json` and the dashboard's JSON download:
numbers as strings with a dot (`json_number`), the computation as the pages show it."""

from __future__ import annotations

from typing import Any

from kinerja import calc
from kinerja.core.formatting import json_number
from kinerja.dashboards.rollup import Rollup


def aggregate_json(a: calc.Aggregate) -> dict[str, Any]:
    realisation = a.realisation
    na = bool(realisation is not None and realisation.is_na)
    return {
        "aggregation": a.mode.value,
        "sums": {name: json_number(value) for name, value in a.sums.items()},
        "realisation": json_number(realisation.value, 2)
        if realisation is not None and not na
        else None,
        "na": na,
        "na_reason": realisation.na_reason if na and realisation is not None else "",
        "target": json_number(a.target, 2) if a.target is not None else None,
        "target_note": a.target_note,
        "achievement": json_number(a.achievement.raw, 2)
        if a.achievement is not None and a.achievement.raw is not None
        else None,
        "computation": a.computation,
        "facilities": a.facilities,
        "reporting": a.reporting,
        "by_status": {s.value: a.counts[s] for s in calc.Standing},
    }


def rollup_json(result: Rollup) -> dict[str, Any]:
    names = {i.indicator.id: i.indicator for i in result.indicators}
    return {
        "unit": result.unit.slug,
        "name": result.unit.name,
        "year": result.year,
        "quarter": result.quarter,
        "facilities": len(result.facilities),
        "facilities_with_pk": len(result.agreements),
        "indicators": [
            {"code": i.indicator.code, "name": i.indicator.name, **aggregate_json(i.aggregate)}
            for i in result.indicators
        ],
        "children": [
            {
                "unit": child.unit.slug,
                "name": child.unit.name,
                "facilities": child.facilities,
                "indicators": [
                    {"code": names[ind_id].code, **aggregate_json(a)}
                    for ind_id, a in child.aggregates.items()
                ],
            }
            for child in result.children
        ],
    }
