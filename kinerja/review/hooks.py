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
        return Notice(
            "warning",
            f"Reviu {year}: {run.errors} galat, {run.warnings} peringatan, {run.notes} catatan "
            f"terbuka. Periksa halaman Reviu sebelum laporan disetujui.",
        )
    return None
