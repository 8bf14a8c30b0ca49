"""Publishing: the head publishes a generated PDF (a signed PK, a final LKjIP, a quarter's
achievement) with the figures it states, frozen; a correction is a new version that replaces the
old one, which stays listed. Only what passes here reaches the public pages."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kinerja.core.formatting import TRIWULAN, format_date, json_number
from kinerja.documents.models import DocumentFormat, DocumentJob, JobStatus
from kinerja.measurement.models import QuarterReport, Realization, RealizationStatus
from kinerja.measurement.selectors import ikk_rows, year_results
from kinerja.organizations.access import may
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja, PKStatus
from kinerja.publication.models import Publication, PublicationKind
from kinerja.review.services import review_compute

AnyUser = User | AnonymousUser | None
# A quarter's achievement is published once the head approved it (or the region verified it).
PUBLISHABLE_QUARTER = (
    RealizationStatus.APPROVED,
    RealizationStatus.VERIFIED,
    RealizationStatus.LOCKED,
)
MAX_NOTE = 2000


def _text(value: Decimal | None) -> str | None:
    """A figure as the document prints it: exact when whole, else two decimals (JSON text)."""
    return json_number(value)


def figures(
    agreement: PerjanjianKinerja, kind: str, quarter: int | None = None
) -> list[dict[str, Any]]:
    """Per IKK what the published document states, through the one path of the results
    (`measurement.selectors.year_results`): the PK its targets; the LKjIP the year's realisation and
    achievement; a quarter's achievement those s.d. that quarter. N/A keeps its reason; nothing
    recorded stays None ("belum diisi"), never zero."""
    results = year_results(
        agreement, ikk_rows(agreement), through=quarter if kind == PublicationKind.CAPAIAN else None
    )
    out = []
    for r in results:
        indicator = r.row.indicator
        item: dict[str, Any] = {
            "code": indicator.code,
            "name": r.row.name,
            "target": _text(r.row.target),
            "target_unit": r.row.target_unit,
            "formula": indicator.formula,
            "aggregation": indicator.aggregation,
            "direction": indicator.direction,
            "lower_rule": indicator.lower_rule,
        }
        if kind != PublicationKind.PK:
            item.update(
                {
                    "realisation": _text(r.realisation.value) if r.realisation else None,
                    "achievement": _text(r.achievement.raw) if r.achievement else None,
                    "achievement_capped": _text(r.achievement.capped) if r.achievement else None,
                    "na_reason": (
                        (r.achievement.na_reason if r.achievement else "")
                        or (r.realisation.na_reason if r.realisation else "")
                    ),
                    "values": {k: json_number(v) for k, v in r.values.items()}
                    if r.recorded
                    else None,
                    "computation": r.computation,
                }
            )
        out.append(item)
    return out


def publishable(job: DocumentJob, review: Any = None) -> str:
    """Why this generated document cannot be published, or "" when it can. `review`: a function
    giving the year's review (a page asking for many documents computes each year's once)."""
    if job.status != JobStatus.DONE or not job.file:
        return "Dokumen belum selesai dibuat."
    if job.format != DocumentFormat.PDF:
        return "Yang dipublikasikan adalah PDF; buat dokumen ini sebagai PDF."
    if job.kind not in PublicationKind.values:
        return "Dokumen ini tidak dipublikasikan."
    if job.draft:
        return (
            f"{job.get_kind_display()} {job.year} ini draf (bertanda DRAF) dan tidak dapat "
            f"dipublikasikan. {job.note}".strip()
        )
    agreement = PerjanjianKinerja.objects.in_force(job.unit, job.year)
    if agreement is None or agreement.status != PKStatus.SIGNED:
        return f"Perjanjian Kinerja {job.year} belum ditandatangani."
    if agreement.signed_at and job.created_at < agreement.signed_at:
        return (
            f"Dokumen dibuat sebelum Perjanjian Kinerja {job.year} yang berlaku ditandatangani; "
            "buat ulang dokumennya."
        )
    if job.kind == PublicationKind.CAPAIAN:
        report = QuarterReport.objects.filter(agreement=agreement, quarter=job.quarter or 0).first()
        if report is None or report.status not in PUBLISHABLE_QUARTER:
            state = report.get_status_display() if report else "belum diisi"
            return (
                f"Realisasi {TRIWULAN.get(job.quarter or 0, '')} {job.year} berstatus {state}: "
                "capaian triwulan dipublikasikan setelah disetujui kepala UPT."
            )
    # The figures published are read when publishing: they must be the ones the PDF shows.
    if Realization.objects.filter(
        pk_indicator__agreement=agreement, updated_at__gt=job.created_at
    ).exists():
        return (
            "Realisasi berubah setelah dokumen ini dibuat; buat ulang dokumennya agar PDF dan "
            "angka yang dipublikasikan sama."
        )
    if job.kind == PublicationKind.LKJIP:
        review = (review or review_compute)(unit=job.unit, year=job.year)
        if review.open_errors:
            return (
                f"Reviu {job.year} kini memuat {review.open_errors} galat terbuka: LKjIP final tidak "
                "dapat dipublikasikan. Perbaiki datanya, lalu buat ulang LKjIP."
            )
    return ""


@transaction.atomic
def publish(*, job: DocumentJob, by: AnyUser, note: str = "") -> Publication:
    """Publish a generated PDF: a new version; the version in force before it is marked replaced."""
    # One publisher at a time per facility: two clicks never make two versions in force.
    unit = Unit.objects.select_for_update().get(pk=job.unit_id)
    if not may(by, unit, "sign"):
        raise PermissionDenied("Hanya kepala UPT yang mempublikasikan dokumen.")
    problem = publishable(job)
    if problem:
        raise ValidationError(problem)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(f"Catatan terlalu panjang (paling banyak {MAX_NOTE} karakter).")
    quarter = job.quarter if job.kind == PublicationKind.CAPAIAN else None
    same = Publication.objects.select_for_update().filter(
        unit=unit, year=job.year, kind=job.kind, quarter=quarter
    )
    previous = same.current().first()
    if previous is not None and not note:
        raise ValidationError(
            f"{previous.label} sudah dipublikasikan pada {format_date(timezone.localdate(previous.published_at))}; "
            "tuliskan alasan koreksinya untuk mempublikasikan versi baru."
        )
    agreement = PerjanjianKinerja.objects.in_force(unit, job.year)
    assert agreement is not None
    with job.file.open("rb") as handle:
        content = handle.read()
    version = (same.aggregate(v=Max("version"))["v"] or 0) + 1
    assert isinstance(by, User)
    label = f"TW-{TRIWULAN[quarter].split()[1]}-" if quarter else ""
    publication = Publication(
        unit=unit,
        year=job.year,
        kind=job.kind,
        quarter=quarter,
        version=version,
        filename=f"{job.kind.upper()}-{label}{job.year}-{unit.slug}-v{version}.pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        figures=figures(agreement, job.kind, quarter),
        note=note,
        published_by=by,
    )
    publication.file.save(publication.filename, ContentFile(content), save=False)
    publication.save()
    if previous is not None:
        # The replacement is the one change a published version takes (recorded in its history).
        previous.replaced_at = publication.published_at
        previous.replaced_by = publication
        previous._change_reason = f"diganti versi {version}"
        previous.save()
    return publication
