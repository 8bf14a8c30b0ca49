"""Who last changed a DIPA line (or one of its months) and when, for the budget pages."""

from __future__ import annotations

import datetime as dt

from kinerja.budget.models import DipaLine, SpendingMonth
from kinerja.core.changes import last_changed
from kinerja.core.formatting import person_name


def lines_last_changed(line_ids) -> dict[int, tuple[str, dt.datetime]]:
    """For each DIPA line, who last changed it or one of its months, and when (two queries)."""
    ids = list(line_ids)
    latest = last_changed(DipaLine, ids)
    months = (
        SpendingMonth.history.filter(line_id__in=ids)
        .select_related("history_user")
        .order_by("line_id", "-history_date", "-history_id")
    )
    seen = set()
    for record in months:
        if record.line_id in seen:
            continue
        seen.add(record.line_id)
        current = latest.get(record.line_id)
        if current is None or record.history_date > current[1]:
            latest[record.line_id] = (person_name(record.history_user), record.history_date)
    return latest
