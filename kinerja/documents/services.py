"""Writes of the documents app: narrative sections, the report's own data, and document jobs."""

from __future__ import annotations

import functools

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction

from kinerja.documents.models import DocumentFormat, DocumentJob, ReportSection
from kinerja.organizations.models import Unit
from kinerja.reporting.models import AnnualReport, DocumentKind


def job_start(
    *,
    unit: Unit,
    kind: str,
    year: int,
    fmt: str,
    quarter: int | None = None,
    by: User | AnonymousUser | None = None,
    draft: bool = False,
) -> DocumentJob:
    """Record a document job and hand it to the task backend (a worker, or at once) when the
    transaction that recorded it commits (at once outside a transaction)."""
    if kind not in DocumentKind.values:
        raise ValidationError("Jenis dokumen tidak dikenal.")
    if fmt not in DocumentFormat.values:
        raise ValidationError("Format harus docx atau pdf.")
    if kind == DocumentKind.CAPAIAN and quarter not in (1, 2, 3, 4):
        raise ValidationError("Pilih triwulan (TW I-IV) untuk Laporan Capaian PK.")
    job = DocumentJob.objects.create(
        unit=unit,
        kind=kind,
        year=year,
        quarter=quarter if kind == DocumentKind.CAPAIAN else None,
        format=fmt,
        draft=draft and kind == DocumentKind.LKJIP,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    # Enqueued once the job's row is committed: a worker never looks for a job that a caller's
    # transaction might still roll back (or has not yet made visible to it).
    transaction.on_commit(functools.partial(_enqueue, job))
    return job


def _enqueue(job: DocumentJob) -> None:
    from kinerja.documents.tasks import generate_document

    result = generate_document.enqueue(job.pk)
    DocumentJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()


@transaction.atomic
def sections_save(
    *, unit: Unit, year: int, texts: dict[str, str], reset: set[str], by: User
) -> int:
    """Save the edited narrative sections of a year's LKjIP together; `reset` ones go back to the
    automatic draft. Returns how many sections changed."""
    report, _ = AnnualReport.objects.get_or_create(unit=unit, year=year)
    changed = 0
    for key in reset:
        changed += report.sections.filter(key=key).delete()[0]
    for key, text in texts.items():
        if key in reset:
            continue
        text = text.replace("\r\n", "\n").strip()
        if not text:
            raise ValidationError(f"Bagian “{key}” kosong: isi teksnya atau kembalikan ke draf.")
        section = report.sections.filter(key=key).first()
        if section is None:
            ReportSection.objects.create(report=report, key=key, text=text, updated_by=by)
            changed += 1
        elif section.text != text:
            section.text, section.updated_by = text, by
            section.save()
            changed += 1
    return changed


@transaction.atomic
def report_facts_save(*, unit: Unit, year: int, values: dict[str, object]) -> AnnualReport:
    """Save the report's own facts (place, date, cover letter, decree); history records who."""
    report, _ = AnnualReport.objects.select_for_update().get_or_create(unit=unit, year=year)
    changed = [name for name, value in values.items() if getattr(report, name) != value]
    for name in changed:
        setattr(report, name, values[name])
    if changed:
        report.save(update_fields=changed)
    return report
