"""Recording results: the only way variable values and narratives of a realisation are written."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from kinerja import calc
from kinerja.core.formatting import TRIWULAN, format_number
from kinerja.measurement.models import EDITABLE, Realization, RealizationStatus, VariableValue
from kinerja.planning.models import PKIndicator, PKStatus


def value_problems(
    pk_indicator: PKIndicator, values: Mapping[str, Decimal | None]
) -> dict[str, str]:
    """Per variable, why its value cannot be right (negative, unknown, a part larger than its whole)."""
    indicator = pk_indicator.indicator
    known = {v.symbol for v in indicator.variables.all()}
    problems: dict[str, str] = {}
    for symbol, value in values.items():
        if symbol not in known:
            problems[symbol] = f"Variabel {symbol} tidak ada pada indikator {indicator.code}."
        elif value is not None and value < 0:
            problems[symbol] = f"{symbol} tidak boleh negatif."
    for top, bottom in calc.ratio_pairs(indicator.formula):
        a, b = values.get(top), values.get(bottom)
        if a is not None and b is not None and a > b and top not in problems:
            problems[top] = (
                f"{top} ({format_number(a, 2, trim=True)}) tidak boleh lebih besar dari "
                f"{bottom} ({format_number(b, 2, trim=True)}): {top} adalah bagian dari {bottom}."
            )
    return problems


@transaction.atomic
def realization_save(
    *,
    pk_indicator: PKIndicator,
    quarter: int,
    values: Mapping[str, Decimal | None],
    narrative: str = "",
    by=None,
) -> Realization:
    """Record the year-to-date counts of one indicator at the end of a quarter. All values or none."""
    if quarter not in TRIWULAN:
        raise ValidationError("Triwulan harus TW I-IV.")
    if pk_indicator.agreement.status != PKStatus.SIGNED:
        raise ValidationError(
            "Realisasi dicatat pada Perjanjian Kinerja yang sudah ditandatangani dan berlaku."
        )
    problems = value_problems(pk_indicator, values)
    if problems:
        raise ValidationError(problems)
    realization, _ = Realization.objects.select_for_update().get_or_create(
        pk_indicator=pk_indicator, quarter=quarter, defaults={"updated_by": by}
    )
    if realization.status not in EDITABLE:
        raise ValidationError(
            f"Realisasi {TRIWULAN[quarter]} berstatus {realization.get_status_display()} dan tidak dapat diubah."
        )
    for symbol, value in values.items():
        if value is None:
            realization.values.filter(symbol=symbol).delete()
        else:
            VariableValue.objects.update_or_create(
                realization=realization, symbol=symbol, defaults={"value": value}
            )
    realization.narrative = narrative
    realization.updated_by = by
    realization.save(update_fields=["narrative", "updated_by", "updated_at"])
    return realization


__all__ = ["realization_save", "value_problems", "RealizationStatus"]
