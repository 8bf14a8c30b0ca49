"""Reminders as a background task (the project's queue, django-tasks): `kinerja remind
--enqueue` or a scheduler puts it on the queue; the worker runs the same service."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from kinerja.notifications.services import remind


@task()
def send_reminders(date: str | None = None) -> dict[str, int]:
    """Send the reminders due on `date` (YYYY-MM-DD; each unit's own date when empty); returns
    the counts per kind. Idempotent: a second run the same day sends nothing."""
    result = remind(today=dt.date.fromisoformat(date) if date else None)
    return dict(result.counts)
