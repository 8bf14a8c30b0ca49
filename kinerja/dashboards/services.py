"""The region's review run as a background job: asking for it records a `RegionReviewJob` and
enqueues `tasks.region_review` once the row commits; the POST answers at once. A second request
while a job is pending for the region and year returns that job: nothing runs twice."""

from __future__ import annotations

import datetime as dt
import functools
import logging

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.utils import timezone

from kinerja.dashboards.models import PENDING, RegionReviewJob, RunStatus
from kinerja.organizations.models import Unit
from kinerja.review.services import review_run

log = logging.getLogger(__name__)

TRIGGER = "pemantauan Kanwil"
# A pending job older than this is taken as lost (its worker stopped): a new request replaces it.
STALE_AFTER = dt.timedelta(hours=2)


def region_review_start(
    *, region: Unit, year: int, facility_ids: list[int], by: User | AnonymousUser | None = None
) -> tuple[RegionReviewJob, bool]:
    """Record a review run of these facilities (already restricted to what the user may see, with
    a PK for the year) and enqueue it when the row commits. Returns (job, created): created is
    False when a job for the region and year was already pending (it is returned instead)."""
    with transaction.atomic():
        pending = (
            RegionReviewJob.objects.select_for_update()
            .filter(region=region, year=year, status__in=PENDING)
            .first()
        )
        if pending is not None:
            if timezone.now() - pending.created_at < STALE_AFTER:
                return pending, False
            pending.status, pending.error = RunStatus.FAILED, "Tidak selesai (pekerja berhenti)."
            pending.finished_at = timezone.now()
            pending.save(update_fields=["status", "error", "finished_at"])
        try:
            with transaction.atomic():
                job = RegionReviewJob.objects.create(
                    region=region,
                    year=year,
                    facility_ids=sorted(set(facility_ids)),
                    created_by=by if by is not None and by.is_authenticated else None,
                )
        except IntegrityError:
            # Another request recorded one between our read and our insert: join it.
            return RegionReviewJob.objects.get(region=region, year=year, status__in=PENDING), False
        transaction.on_commit(functools.partial(_enqueue, job.pk))
    return job, True


def _enqueue(job_id: int) -> None:
    from kinerja.dashboards.tasks import region_review

    result = region_review.enqueue(job_id)
    RegionReviewJob.objects.filter(pk=job_id).update(task_id=str(result.id))


def region_review_execute(job_id: int) -> RegionReviewJob:
    """Run the reviews of a job and keep their counts (`review.services.review_run`, one
    `ReviewRun` per facility); a facility whose review fails is named on the job and the others
    still run. Called by the task."""
    job = RegionReviewJob.objects.get(pk=job_id)
    if job.status not in PENDING:
        return job  # already run (a task delivered twice)
    job.status, job.started_at = RunStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    units = {u.id: u for u in Unit.objects.filter(id__in=job.facility_ids).select_related("parent")}
    failed: list[str] = []
    for position, unit_id in enumerate(job.facility_ids, start=1):
        unit = units.get(unit_id)
        if unit is not None:
            try:
                with transaction.atomic():
                    review_run(unit=unit, year=job.year, trigger=TRIGGER)
            except Exception:  # one facility's failure never stops the others; logged for the admin
                log.exception("review of %s %s failed", unit.slug, job.year)
                failed.append(unit.name)
        RegionReviewJob.objects.filter(pk=job.pk).update(done=position, failed=failed)
    job.refresh_from_db()
    job.status = RunStatus.FAILED if failed and len(failed) == job.total else RunStatus.DONE
    job.failed = failed
    if failed:
        job.error = f"Reviu gagal untuk {len(failed)} UPT: {', '.join(failed)}."
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "failed", "error", "finished_at"])
    return job


def region_review_latest(region: Unit, year: int) -> RegionReviewJob | None:
    """The region's latest review job for the year (its state on the region page)."""
    return RegionReviewJob.objects.filter(region=region, year=year).first()
