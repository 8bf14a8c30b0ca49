"""DIPA lines from a facility's Rencana Aksi, for a facility whose only budget record is its plan:
each funding activity becomes one line with its pagu, the blocked amount its remarks name, the
quarterly RPD and realisation (recorded in the quarter's last month), and the IKK it funds."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from kinerja.budget import services
from kinerja.budget.models import DipaLine, LineLevel, SpendingType
from kinerja.planning.models import PerjanjianKinerja


@transaction.atomic
def lines_from_rencana_aksi(
    *, agreement: PerjanjianKinerja, spending_type: str = SpendingType.BARANG
) -> list[DipaLine]:
    """Create the year's DIPA lines from the PK's Rencana Aksi activities (all or nothing).

    The Rencana Aksi names neither DIPA codes nor spending types, so every line gets
    `spending_type` (Belanja Barang by default); correct them in the admin where needed.
    """
    if DipaLine.objects.filter(unit=agreement.unit, year=agreement.year).exists():
        raise ValidationError(
            f"DIPA {agreement.unit} {agreement.year} sudah berisi baris; tidak ditimpa."
        )
    lines = []
    for activity in agreement.activities.prefetch_related("quarters", "indicators__indicator"):
        rows = list(activity.indicators.all())
        blocked_rows = [r for r in rows if r.blocked_amount]
        blocked = blocked_rows[0].blocked_amount if blocked_rows else Decimal(0)
        line = services.line_add(
            unit=agreement.unit,
            year=agreement.year,
            level=LineLevel.COMPONENT,
            name=activity.name,
            pagu=activity.pagu,
            spending_type=spending_type,
            blocked=blocked,
            blocked_reason=blocked_rows[0].ra_remarks if blocked_rows else "",
            funds=[r.indicator.code for r in rows],
        )
        services.spending_save(
            services.MonthFigures(
                line=line,
                month=3 * q.quarter,
                planned=q.planned_disbursement or Decimal(0),
                realised=q.realised or Decimal(0),
            )
            for q in activity.quarters.all()
        )
        lines.append(line)
    return lines
