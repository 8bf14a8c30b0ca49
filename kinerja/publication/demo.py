"""The demo's publication: Atambua's signed PK 2023, published by its head as the PDF Kinerja
generates, so that the public pages have a facility to show. Its LKjIP 2023 is not published (the
demo's review still has open errors, and a draft never is), nor its quarters (still drafts: a
quarter's achievement is published once the head approved it)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from kinerja.documents import reports
from kinerja.documents.models import DocumentJob, JobStatus
from kinerja.organizations.models import Unit
from kinerja.publication.models import Publication
from kinerja.publication.services import publish


def load_publication_demo() -> int:
    """Publish once (idempotent); returns how many versions were published."""
    unit = Unit.objects.filter(slug="lapas-atambua").first()
    head = get_user_model().objects.filter(username="kepala.atambua").first()
    if unit is None or head is None or Publication.objects.filter(unit=unit).exists():
        return 0
    count = 0
    for kind, quarter in (("pk", None),):
        export = reports.generate(kind, unit, 2023, "pdf", quarter=quarter)
        job = DocumentJob(
            unit=unit,
            kind=kind,
            year=2023,
            quarter=quarter,
            format="pdf",
            status=JobStatus.DONE,
            progress=100,
            filename=export.filename,
            created_by=head,
            finished_at=timezone.now(),
        )
        job.file.save(export.filename, ContentFile(export.content), save=False)
        job.save()
        publish(job=job, by=head)
        count += 1
    return count
