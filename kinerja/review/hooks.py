"""The review's answers to what lower apps announce (connected in ReviewConfig.ready)."""

from __future__ import annotations

import logging

from kinerja.measurement.signals import Notice
from kinerja.review.models import ReviewRun
from kinerja.review.services import review_run

logger = logging.getLogger(__name__)


def review_after_submission(sender, *, agreement, label: str, **kwargs) -> Notice | None:
    """A submitted quarter runs the year's review (after the submission is committed) and tells
    the submitter what is still open. A review that fails leaves the submission as it is."""
    unit, year = agreement.unit, agreement.year
    try:
        review_run(unit=unit, year=year, trigger=f"pengajuan {label}")
    except Exception:
        logger.exception("review after submitting %s of %s failed", label, unit)
        return Notice(
            "error",
            f"Laporan {label} sudah diajukan, tetapi reviu {year} tidak dapat dijalankan. "
            "Jalankan reviu dari halaman Reviu.",
        )
    run = ReviewRun.objects.filter(unit=unit, year=year).first()
    if run and run.open:
        # By its worst open finding: an error is an error (red), never a mere warning.
        level = "error" if run.errors else "warning" if run.warnings else "info"
        return Notice(
            level,
            f"Reviu {year}: {run.errors} galat, {run.warnings} peringatan, {run.notes} catatan "
            f"terbuka. Periksa halaman Reviu sebelum laporan disetujui.",
        )
    return None


def open_errors_before_signing(agreement) -> list[str]:
    """The review's open errors of the PK's year, which the head confirms before signing."""
    from kinerja.review import rules
    from kinerja.review.services import review_compute

    review = review_compute(unit=agreement.unit, year=agreement.year)
    return [
        f"{f.rule} {f.title}: {f.message}"
        for f in review.findings
        if f.severity == rules.ERROR and not f.accepted
    ]
