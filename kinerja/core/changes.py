"""Who changed a record last and when, read from its django-simple-history table, and how a moment
is shown in a facility's zone. The full change log of a facility-year reads every app's history,
so it sits on top (`kinerja/changelog.py`); an app below asks for it through `change_log()`,
which the top registers (`kinerja.site` AppConfig.ready), and never imports it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from kinerja.core.formatting import ZONE_NAMES, format_datetime, person_name

__all__ = ["ZONE_NAMES", "last_changed", "local_text"]


def local_text(moment: dt.datetime, tz) -> str:
    """'16 Januari 2024 14.03 WITA': a moment in the facility's zone."""
    return format_datetime(moment, tz)


def last_changed(model, ids) -> dict[int, tuple[str, dt.datetime]]:
    """For each id, who last changed the record and when (one query)."""
    latest: dict[int, tuple[str, dt.datetime]] = {}
    rows = (
        model.history.filter(id__in=list(ids))
        .select_related("history_user")
        .order_by("id", "-history_date", "-history_id")
    )
    for record in rows:
        latest.setdefault(record.id, (person_name(record.history_user), record.history_date))
    return latest


_change_log: Callable | None = None


def change_log_register(reader: Callable) -> None:
    """The top layer hands over its reader: reader(unit, year, *, kind=, models_only=, line_id=)."""
    global _change_log
    _change_log = reader


def change_log(unit, year: int, **filters) -> list:
    """The recorded changes of a facility-year, newest first (entries of kinerja.changelog), or
    none when no reader is installed."""
    return _change_log(unit, year, **filters) if _change_log else []
