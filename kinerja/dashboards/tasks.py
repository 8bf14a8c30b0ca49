"""The region's review run as a background task (Django's tasks API through the django-tasks
backport; `kinerja start` runs the worker). The job row carries the state; the task only runs it."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from kinerja.dashboards.models import RegionReviewJob, RunStatus
from kinerja.dashboards.services import region_review_execute

log = logging.getLogger(__name__)


@task()
def region_review(job_id: int) -> str:
    try:
        return str(region_review_execute(job_id).status)
    except Exception:  # kept on the job for the user; logged in full for the admin
        log.exception("region review job %s failed", job_id)
        RegionReviewJob.objects.filter(pk=job_id).update(
            status=RunStatus.FAILED,
            error="Terjadi kesalahan saat menjalankan reviu.",
            finished_at=timezone.now(),
        )
        return str(RunStatus.FAILED)
