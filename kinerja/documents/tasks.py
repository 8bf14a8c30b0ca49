"""Document generation as a background task (Django's tasks API through the django-tasks
backport). The job row carries status, progress and the file; the task only runs it."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from kinerja.core.render.export import ExportError
from kinerja.documents import reports
from kinerja.documents.models import DocumentJob, JobStatus

log = logging.getLogger(__name__)


@task()
def generate_document(job_id: int) -> str:
    job = DocumentJob.objects.select_related("unit").get(pk=job_id)
    job.status, job.progress, job.step = JobStatus.RUNNING, 1, "Mengumpulkan data"
    job.save(update_fields=["status", "progress", "step"])

    def progress(pct: int, step: str) -> None:
        DocumentJob.objects.filter(pk=job.pk).update(progress=pct, step=step)

    try:
        export = reports.generate(
            job.kind,
            job.unit,
            job.year,
            job.format,
            quarter=job.quarter,
            progress=progress,
            draft=job.draft,
        )
    except ExportError as exc:
        _fail(job, str(exc))
        return "failed"
    except Exception as exc:  # kept on the job for the user; logged in full for the admin
        log.exception("document job %s failed", job.pk)
        _fail(job, f"Terjadi kesalahan saat membuat dokumen ({type(exc).__name__}).")
        return "failed"
    job.file.save(export.filename, ContentFile(export.content), save=False)
    job.filename = export.filename
    job.draft, job.note = export.draft, export.note
    job.status, job.progress, job.step = JobStatus.DONE, 100, "Selesai"
    job.finished_at = timezone.now()
    job.save()
    return "done"


def _fail(job: DocumentJob, message: str) -> None:
    job.status, job.error, job.step = JobStatus.FAILED, message, "Gagal"
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "step", "finished_at"])
