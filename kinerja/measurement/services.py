"""Recording results and moving a quarter through the workflow: the only writers of measurement data."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kinerja import calc
from kinerja.core.formatting import TRIWULAN, format_date, format_number
from kinerja.indicators.models import Level
from kinerja.measurement.models import (
    EDITABLE,
    EntryWindow,
    Evidence,
    MonitoringNote,
    QuarterReport,
    Realization,
    RealizationStatus,
    Transition,
    VariableValue,
)
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja, PKIndicator, PKStatus

S = RealizationStatus


def value_problems(
    pk_indicator: PKIndicator, values: Mapping[str, Decimal | None]
) -> dict[str, str]:
    """Per variable, why its value cannot be right (negative, unknown, a part larger than its whole)."""
    indicator = pk_indicator.indicator
    known = {v.symbol for v in indicator.variables.all()}
    problems: dict[str, str] = {}
    for symbol, value in values.items():
        if symbol not in known:
            problems[symbol] = f"Variabel {symbol} tidak ada pada indikator {indicator.code}."
        elif value is not None and value < 0:
            problems[symbol] = f"{symbol} tidak boleh negatif."
    for top, bottom in calc.ratio_pairs(indicator.formula):
        a, b = values.get(top), values.get(bottom)
        if a is not None and b is not None and a > b and top not in problems:
            problems[top] = (
                f"{top} ({format_number(a, 2, trim=True)}) tidak boleh lebih besar dari "
                f"{bottom} ({format_number(b, 2, trim=True)}): {top} adalah bagian dari {bottom}."
            )
    return problems


def quarter_report(agreement: PerjanjianKinerja, quarter: int) -> QuarterReport:
    """The stored report of the quarter, or an unsaved draft when there is none yet: reading a page
    never writes (the first saved value or transition stores it)."""
    report = QuarterReport.objects.filter(agreement=agreement, quarter=quarter).first()
    return report or QuarterReport(agreement=agreement, quarter=quarter)


def entry_window_problem(agreement: PerjanjianKinerja, quarter: int, today=None) -> str:
    """Why results cannot be entered now for this quarter ('' when they can; no window set means open)."""
    today = today or timezone.localdate()
    window = EntryWindow.objects.filter(
        region_id=agreement.unit.parent_id, year=agreement.year, quarter=quarter
    ).first()
    if window is None or window.opens <= today <= window.closes:
        return ""
    if today < window.opens:
        return f"Masa pengisian {TRIWULAN[quarter]} {agreement.year} baru dibuka {format_date(window.opens)}."
    return f"Masa pengisian {TRIWULAN[quarter]} {agreement.year} sudah ditutup sejak {format_date(window.closes)}."


def period_problem(unit: Unit, quarter: int, month: int | None) -> str:
    """Why this period cannot be recorded for the facility ('' when it can): a month must lie in its
    quarter, and a facility records either by month or by quarter, as its setting says."""
    if quarter not in TRIWULAN:
        return "Triwulan harus TW I-IV."
    if month is None:
        if unit.results_by_month:
            return f"{unit.name} mengisi realisasi bulanan: pilih bulannya."
        return ""
    if month not in range(3 * quarter - 2, 3 * quarter + 1):
        return f"Bulan {month} tidak termasuk {TRIWULAN[quarter]}."
    if not unit.results_by_month:
        return f"{unit.name} mengisi realisasi per triwulan, bukan bulanan."
    return ""


@transaction.atomic
def realization_save(
    *,
    pk_indicator: PKIndicator,
    quarter: int,
    values: Mapping[str, Decimal | None],
    narrative: str = "",
    by=None,
    month: int | None = None,
) -> Realization:
    """Record the year-to-date counts of one indicator at the end of a quarter (or of a month, for a
    facility that records monthly). All values or none."""
    agreement = pk_indicator.agreement
    problem = period_problem(agreement.unit, quarter, month)
    if problem:
        raise ValidationError(problem)
    if agreement.status != PKStatus.SIGNED:
        raise ValidationError(
            "Realisasi dicatat pada Perjanjian Kinerja yang sudah ditandatangani dan berlaku."
        )
    report = QuarterReport.objects.select_for_update().get_or_create(
        agreement=agreement, quarter=quarter
    )[0]
    if not report.editable:
        raise ValidationError(
            f"Realisasi {TRIWULAN[quarter]} berstatus {report.get_status_display()} dan tidak dapat diubah."
        )
    window = entry_window_problem(agreement, quarter)
    if window:
        raise ValidationError(window)
    problems = value_problems(pk_indicator, values)
    if problems:
        raise ValidationError(problems)
    realization, _ = Realization.objects.get_or_create(
        pk_indicator=pk_indicator, quarter=quarter, month=month, defaults={"updated_by": by}
    )
    for symbol, value in values.items():
        if value is None:
            for row in realization.values.filter(symbol=symbol):
                row.delete()
        else:
            VariableValue.objects.update_or_create(
                realization=realization, symbol=symbol, defaults={"value": value}
            )
    realization.narrative = narrative
    realization.updated_by = by
    realization.save(update_fields=["narrative", "updated_by", "updated_at"])
    return realization


def missing_results(agreement: PerjanjianKinerja, quarter: int) -> list[str]:
    """Codes of the IKK whose values for the quarter are not complete."""
    missing = []
    rows = (
        agreement.indicators.filter(indicator__level=Level.IKK)
        .select_related("indicator")
        .prefetch_related("indicator__variables", "realizations__values")
    )
    for row in rows:
        needed = {v.symbol for v in row.indicator.variables.all()}
        have = next(
            (r for r in row.realizations.all() if r.quarter == quarter and r.counts_for_quarter),
            None,
        )
        if have is None or not needed <= {v.symbol for v in have.values.all()}:
            missing.append(row.indicator.code)
    return missing


# action -> (statuses it starts from, status it leads to, permission needed on the facility)
TRANSITIONS = {
    "submit": (EDITABLE, S.SUBMITTED, "change"),
    "approve": ((S.SUBMITTED,), S.APPROVED, "sign"),
    "verify": ((S.APPROVED,), S.VERIFIED, "verify"),
    "lock": ((S.VERIFIED,), S.LOCKED, "verify"),
    "return": ((S.SUBMITTED, S.APPROVED, S.VERIFIED), S.RETURNED, None),
    "reopen": ((S.LOCKED,), S.RETURNED, "verify"),
}
ACTION_LABEL = {
    "submit": "mengajukan",
    "approve": "menyetujui",
    "verify": "memverifikasi",
    "lock": "mengunci",
    "return": "mengembalikan",
    "reopen": "membuka kembali",
}


def _may(user, unit_id: int, action: str) -> bool:
    return Unit.objects.restrict(user, action).filter(pk=unit_id).exists()


@transaction.atomic
def quarter_transition(
    *, agreement: PerjanjianKinerja, quarter: int, action: str, by, reason: str = ""
) -> QuarterReport:
    """Move a facility's quarter through the workflow, checking who may do what; every step is recorded."""
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action {action!r}")
    sources, target, permission = TRANSITIONS[action]
    report = QuarterReport.objects.select_for_update().get_or_create(
        agreement=agreement, quarter=quarter
    )[0]
    label = f"{TRIWULAN[quarter]} {agreement.year}"
    if report.status not in sources:
        raise ValidationError(
            f"Laporan {label} berstatus {report.get_status_display()}; tidak dapat {ACTION_LABEL[action]}."
        )
    if action == "return":
        allowed = _may(by, agreement.unit_id, "verify") or (
            report.status == S.SUBMITTED and _may(by, agreement.unit_id, "sign")
        )
    else:
        allowed = _may(by, agreement.unit_id, permission)
    if not allowed:
        raise PermissionError(f"Anda tidak berwenang {ACTION_LABEL[action]} laporan {label}.")
    if action in ("return", "reopen") and not reason.strip():
        raise ValidationError("Alasan wajib diisi.")
    if action == "submit":
        window = entry_window_problem(agreement, quarter)
        if window:
            raise ValidationError(window)
        missing = missing_results(agreement, quarter)
        if missing:
            raise ValidationError(f"Realisasi {label} belum lengkap untuk: {', '.join(missing)}.")
    Transition.objects.create(
        report=report, from_status=report.status, to_status=target, by=by, reason=reason.strip()
    )
    report.status = target
    report.return_reason = reason.strip() if target == S.RETURNED else ""
    report.save(update_fields=["status", "return_reason"])
    if action == "submit":
        from kinerja.review.services import review_run

        review_run(unit=agreement.unit, year=agreement.year, trigger=f"pengajuan {label}")
    return report


@transaction.atomic
def monitoring_note_add(
    *, pk_indicator: PKIndicator, quarter: int, text: str, by
) -> MonitoringNote:
    """A regional office's monitoring note on one indicator and quarter."""
    if not _may(by, pk_indicator.agreement.unit_id, "verify"):
        raise PermissionError("Catatan monitoring ditulis oleh Kanwil.")
    if not text.strip():
        raise ValidationError("Catatan tidak boleh kosong.")
    return MonitoringNote.objects.create(
        pk_indicator=pk_indicator, quarter=quarter, text=text.strip(), by=by
    )


# Evidence files: the type is read from the content, never from the name.
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
}


def sniff_type(head: bytes) -> tuple[str, str] | None:
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


@transaction.atomic
def evidence_add(
    *,
    pk_indicator: PKIndicator,
    quarter: int,
    data: bytes,
    filename: str,
    by=None,
    month: int | None = None,
) -> Evidence:
    """Attach a PDF, JPG or PNG to the indicator's realisation of a quarter (or month)."""
    problem = period_problem(pk_indicator.agreement.unit, quarter, month)
    if problem:
        raise ValidationError(problem)
    limit = settings.KINERJA_EVIDENCE_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(
            f"Berkas {filename} berukuran {format_number(Decimal(len(data)) / 1048576, 1)} MB; "
            f"batasnya {format_number(Decimal(limit) / 1048576, 0)} MB."
        )
    kind = sniff_type(data[:16])
    if kind is None:
        raise ValidationError(
            f"Berkas {filename} bukan PDF, JPG atau PNG menurut isinya (bukan menurut namanya); tidak diterima."
        )
    report = QuarterReport.objects.get_or_create(agreement=pk_indicator.agreement, quarter=quarter)[
        0
    ]
    if not report.editable:
        raise ValidationError(
            f"Realisasi {TRIWULAN[quarter]} berstatus {report.get_status_display()}; data dukung tidak dapat ditambah."
        )
    realization = Realization.objects.get_or_create(
        pk_indicator=pk_indicator, quarter=quarter, month=month, defaults={"updated_by": by}
    )[0]
    content_type, extension = kind
    stem = Path(filename).stem[:100] or "data-dukung"
    evidence = Evidence(
        realization=realization,
        original_name=filename[:255],
        content_type=content_type,
        size=len(data),
        uploaded_by=by,
    )
    evidence.file.save(f"{stem}{extension}", ContentFile(data), save=False)
    evidence.save()
    return evidence


@transaction.atomic
def entry_window_set(*, region: Unit, year: int, quarter: int, opens, closes, by) -> EntryWindow:
    """The region opens entry of a quarter for all its facilities between two dates."""
    if not _may(by, region.id, "verify"):
        raise PermissionError("Masa pengisian ditetapkan oleh Kanwil.")
    if quarter not in TRIWULAN:
        raise ValidationError("Triwulan harus TW I-IV.")
    if closes < opens:
        raise ValidationError("Tanggal ditutup tidak boleh sebelum tanggal dibuka.")
    window, _ = EntryWindow.objects.update_or_create(
        region=region, year=year, quarter=quarter, defaults={"opens": opens, "closes": closes}
    )
    return window
