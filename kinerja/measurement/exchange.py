"""A PK's results as data for other systems: the rows `kinerja results --json` prints and the API
returns, one function so both say the same (figures from `year_results`, numbers as JSON decimal
strings by `json_number`)."""

from __future__ import annotations

from typing import Any

from kinerja.core.formatting import json_number
from kinerja.measurement.selectors import IndicatorResult, year_results
from kinerja.planning.models import PerjanjianKinerja


def result_record(result: IndicatorResult) -> dict[str, Any]:
    """One IKK: target, the period its realisation comes from, realisation, achievement raw and
    capped (null when nothing is recorded or N/A), N/A with its reason, status and computation."""
    realisation = result.realisation
    na = bool(realisation and realisation.is_na)
    return {
        "code": result.row.indicator.code,
        "name": result.row.name,
        "target": json_number(result.row.target, 2),
        "target_unit": result.row.target_unit,
        "quarter": result.quarter,
        "realisation": json_number(realisation.value, 2)
        if realisation is not None and not na
        else None,
        "achievement": json_number(result.achievement.raw, 2) if result.achievement else None,
        "achievement_capped": json_number(result.achievement.capped, 2)
        if result.achievement
        else None,
        "na": na,
        "na_reason": realisation.na_reason if realisation is not None and na else "",
        "recorded": result.recorded,
        "status": result.status or None,
        "computation": result.computation,
    }


def result_records(agreement: PerjanjianKinerja, through: int | None = None) -> list[dict]:
    """Every IKK of the PK in its order (s.d. TW `through` when given)."""
    return [result_record(r) for r in year_results(agreement, through=through)]
