"""Recording results and moving a quarter through the workflow: the only writers of measurement data."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import EllipsisType
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Subquery
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kinerja import calc
from kinerja.core import bounds
from kinerja.core.filecheck import image_problem, pdf_problem
from kinerja.core.formatting import TRIWULAN, format_date, format_number, person_name
from kinerja.core.history_note import history_note
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
    quarter_checked,
)
from kinerja.measurement.signals import Notice, quarter_submitted, quarter_transitioned
from kinerja.organizations.access import may
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja, PKIndicator, PKStatus

S = RealizationStatus
logger = logging.getLogger(__name__)


def value_problems(
    pk_indicator: PKIndicator, values: Mapping[str, Decimal | None]
) -> dict[str, str]:
    """Per variable, why its value cannot be right (negative, unknown, a part larger than its whole)."""
    indicator = pk_indicator.indicator
    known = {v.symbol: v for v in indicator.variables.all()}
    problems: dict[str, str] = {}
    for symbol, value in values.items():
        if symbol not in known:
            problems[symbol] = f"Variabel {symbol} tidak ada pada indikator {indicator.code}."
        elif value is not None and (
            not isinstance(value, (int, Decimal)) or not Decimal(value).is_finite()
        ):
            problems[symbol] = f"{symbol}: '{str(value)[:40]}' bukan angka."
        elif value is not None and value < 0:
            problems[symbol] = f"{symbol} tidak boleh negatif."
        elif value is not None:
            # A count is a whole number of people or things; an index may carry decimals.
            problem = bounds.variable_bound(known[symbol], indicator).problem(value, symbol)
            if problem:
                problems[symbol] = problem
    for top, bottom in calc.ratio_pairs(indicator.formula):
        a, b = values.get(top), values.get(bottom)
        if problems.get(top) or problems.get(bottom):
            continue
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


def entry_window_problem(
    agreement: PerjanjianKinerja,
    quarter: int,
    today: dt.date | None = None,
    window: EntryWindow | None | EllipsisType = ...,
) -> str:
    """Why results cannot be entered now for this quarter ('' when they can; no window set means open).
    `window` is the region's EntryWindow (or None) when the caller has read it already."""
    today = today or agreement.unit.local_today()
    if window is ...:
        window = EntryWindow.objects.filter(
            region_id=agreement.unit.parent_id, year=agreement.year, quarter=quarter
        ).first()
    if window is None or window.opens <= today <= window.closes:
        return ""
    if today < window.opens:
        return f"Masa pengisian {TRIWULAN[quarter]} {agreement.year} baru dibuka {format_date(window.opens)}."
    return f"Masa pengisian {TRIWULAN[quarter]} {agreement.year} sudah ditutup sejak {format_date(window.closes)}."


@dataclass
class WindowState:
    """The entry window of a facility's quarter as its entry page shows it at the top."""

    state: str  # "open", "before", "closed", or "none" (no window set: open)
    window: EntryWindow | None
    today: dt.date
    problem: str  # why nothing can be entered now ('' when it can)

    @property
    def days_left(self) -> int | None:
        return (self.window.closes - self.today).days if self.window else None


def entry_window_state(
    agreement: PerjanjianKinerja, quarter: int, today: dt.date | None = None
) -> WindowState:
    """The region's window for the quarter and where today (the facility's) lies in it."""
    today = today or agreement.unit.local_today()
    window = EntryWindow.objects.filter(
        region_id=agreement.unit.parent_id, year=agreement.year, quarter=quarter
    ).first()
    problem = entry_window_problem(agreement, quarter, today, window)
    if window is None:
        state = "none"
    elif today < window.opens:
        state = "before"
    elif today > window.closes:
        state = "closed"
    else:
        state = "open"
    return WindowState(state, window, today, problem)


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


def _status_locked(agreement: PerjanjianKinerja) -> str:
    """The PK's stored status, holding its row until the transaction ends: signing a revision
    takes the same lock, so no result is written to a version while its results are carried over."""
    return (
        PerjanjianKinerja.objects.select_for_update(no_key=True)
        .filter(pk=agreement.pk)
        .values_list("status", flat=True)
        .get()
    )


def _locked_with_quarter(
    agreement: PerjanjianKinerja, quarter: int, month: int | None, row: PKIndicator
) -> Mapping[str, Any]:
    """The PK's status under its lock, then in one query the quarter report's id and status, the
    region's entry window and the id of the row's stored realisation. The workflow takes the PK's
    lock before it changes a report, and every writer of results takes it too, so what is read here
    holds until the transaction ends."""
    # The lock is taken first, alone: PostgreSQL evaluates a statement's subqueries in the snapshot
    # taken when the statement began, so a report or realisation a concurrent writer committed while
    # this one waited for the lock would be invisible to subqueries of the locking statement itself
    # (and stored twice). The reads after the lock see every committed row.
    status = (
        PerjanjianKinerja.objects.select_for_update(no_key=True)
        .filter(pk=agreement.pk)
        .values_list("status", flat=True)
        .get()
    )
    reports = QuarterReport.objects.filter(agreement=agreement, quarter=quarter)
    windows = EntryWindow.objects.filter(
        region_id=agreement.unit.parent_id, year=agreement.year, quarter=quarter
    )
    realizations = Realization.objects.filter(pk_indicator=row, quarter=quarter, month=month)
    state = (
        PerjanjianKinerja.objects.filter(pk=agreement.pk)
        .annotate(
            report_id=Subquery(reports.values("id")[:1]),
            report_status=Subquery(reports.values("status")[:1]),
            window_opens=Subquery(windows.values("opens")[:1]),
            window_closes=Subquery(windows.values("closes")[:1]),
            realization_id=Subquery(realizations.values("id")[:1]),
            realization_narrative=Subquery(realizations.values("narrative")[:1]),
            realization_by=Subquery(realizations.values("updated_by")[:1]),
        )
        .values(
            "report_id",
            "report_status",
            "window_opens",
            "window_closes",
            "realization_id",
            "realization_narrative",
            "realization_by",
        )
        .get()
    )
    return {"status": status, **state}


@transaction.atomic
def realization_save(
    *,
    pk_indicator: PKIndicator,
    quarter: int,
    values: Mapping[str, Decimal | None],
    narrative: str = "",
    by: User | None = None,
    month: int | None = None,
    reason: str = "",
    expected_version: str | None = None,
) -> Realization:
    """Record the year-to-date counts of one indicator at the end of a quarter (or of a month, for a
    facility that records monthly). All values or none. `reason`: where the values came from, kept
    with every history record of this save (a bulk upload names its file). `expected_version`: the
    row as the page showed it (`selectors.entry_version`); when someone has changed it since, the
    save is refused with what is stored now, checked under the lock.

    What it checks is read in one locked query and the rows are written together, each with its
    history record: a handful of queries, whatever the number of variables or indicators."""
    agreement = pk_indicator.agreement
    problem = period_problem(agreement.unit, quarter, month)
    if problem:
        raise ValidationError(problem, code="period")
    state = _locked_with_quarter(agreement, quarter, month, pk_indicator)
    if state["status"] != PKStatus.SIGNED:
        raise ValidationError(
            "Realisasi dicatat pada Perjanjian Kinerja yang sudah ditandatangani dan berlaku.",
            code="unsigned",
        )
    report = QuarterReport(
        id=state["report_id"],
        agreement=agreement,
        quarter=quarter,
        status=state["report_status"] or S.DRAFT,
    )
    if not report.editable:
        raise ValidationError(
            f"Realisasi {TRIWULAN[quarter]} berstatus {report.get_status_display()} dan tidak dapat diubah.",
            code="locked",
        )
    window = None
    if state["window_opens"] is not None:
        window = EntryWindow(opens=state["window_opens"], closes=state["window_closes"])
    problem = entry_window_problem(agreement, quarter, window=window)
    if problem:
        raise ValidationError(problem, code="window")
    problems = value_problems(pk_indicator, values)
    if problems:
        raise ValidationError(problems)
    if report.id is None:
        report.save()  # the quarter's first result stores its report (under the PK's lock)
    with quarter_checked(pk_indicator.id, quarter):
        if state["realization_id"] is None:
            realization = Realization(
                pk_indicator=pk_indicator,
                quarter=quarter,
                month=month,
                narrative=narrative,
                updated_by=by,
            )
            realization.save()
            # Like every later save, the first one is also an update in the history.
            # (bulk_history_create sends no pre_create signal: the author is given here.)
            Realization.history.bulk_history_create(
                [realization], update=True, default_user=by, default_change_reason=reason[:100]
            )
            stored = {}
        else:
            realization = Realization(
                id=state["realization_id"], pk_indicator=pk_indicator, quarter=quarter, month=month
            )
            stored = {v.symbol: v for v in realization.values.all()}
        if expected_version is not None:
            _refuse_if_changed(pk_indicator, stored, state, expected_version)
        added, changed = [], []
        for symbol, value in values.items():
            row = stored.get(symbol)
            if value is None:
                if row is not None:
                    row.delete()
            elif row is None:
                added.append(VariableValue(realization=realization, symbol=symbol, value=value))
            else:
                # Written even when unchanged: every save is one record in the value's history.
                row.value = value
                changed.append(row)
        note = reason[:100] or None
        if added:
            bulk_create_with_history(added, VariableValue, default_change_reason=note)
        if changed:
            bulk_update_with_history(changed, VariableValue, ["value"], default_change_reason=note)
        if state["realization_id"] is not None:
            realization.narrative = narrative
            realization.updated_by = by
            history_note(realization, reason=reason)
            realization.save(update_fields=["narrative", "updated_by", "updated_at"])
    return realization


def _refuse_if_changed(
    row: PKIndicator, stored: Mapping[str, VariableValue], state: Mapping[str, Any], expected: str
) -> None:
    """Refuse a save based on a page that showed the row otherwise than it is stored now."""
    from kinerja.measurement.selectors import entry_version

    narrative = state["realization_narrative"] or ""
    if entry_version({k: v.value for k, v in stored.items()}, narrative) == expected:
        return
    who = User.objects.filter(pk=state["realization_by"]).first()
    now = ", ".join(
        f"{k} = {format_number(v.value, 4, trim=True)}" for k, v in sorted(stored.items())
    )
    raise ValidationError(
        f"{row.indicator.code} sudah diubah oleh {person_name(who)} sejak halaman ini dibuka "
        f"(tersimpan sekarang: {now or 'kosong'}"
        + (f'; uraian "{narrative[:80]}"' if narrative else "")
        + "). Periksa angkanya; bila angka Anda yang benar, simpan lagi.",
        code="conflict",
    )


class RowsRefused(Exception):
    """`quarter_save` wrote nothing: per PK row id, its problems by field ('general' for the row)."""

    def __init__(self, rows: dict[int, dict[str, str]]):
        super().__init__(f"{len(rows)} indikator ditolak")
        self.rows = rows


def quarter_save(
    *,
    entries: Mapping[PKIndicator, tuple[Mapping[str, Decimal | None], str, str | None]],
    quarter: int,
    by: User | None = None,
    month: int | None = None,
    reason: str = "",
) -> list[Realization]:
    """Save several indicators of one quarter together ("Simpan semua"): each through
    `realization_save`, in one transaction, all or nothing. When any row is refused nothing is
    written and `RowsRefused` names every refused row with all its problems, not only the first."""
    refused: dict[int, dict[str, str]] = {}
    saved: list[Realization] = []
    with transaction.atomic():
        for row, (values, narrative, expected) in entries.items():
            try:
                saved.append(
                    realization_save(
                        pk_indicator=row,
                        quarter=quarter,
                        values=values,
                        narrative=narrative,
                        by=by,
                        month=month,
                        reason=reason,
                        expected_version=expected,
                    )
                )
            except ValidationError as exc:
                refused[row.id] = (
                    {k: " ".join(v) for k, v in exc.message_dict.items()}
                    if hasattr(exc, "error_dict")
                    else {"general": " ".join(exc.messages)}
                )
        if refused:
            raise RowsRefused(refused)
    return saved


def missing_results(agreement: PerjanjianKinerja, quarter: int) -> list[str]:
    """Codes of the IKK whose values for the quarter are not complete."""
    missing = []
    rows = (
        agreement.indicators.filter(indicator__level=Level.IKK)
        .select_related("indicator")
        .prefetch_related("indicator__variables", "realizations__values")
    )
    for row in rows:
        have = next(
            (r for r in row.realizations.all() if r.quarter == quarter and r.counts_for_quarter),
            None,
        )
        values = {v.symbol: v.value for v in have.values.all()} if have else {}
        if not calc.is_complete(row.indicator.formula, values):
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


def _may(user: User | AnonymousUser | None, unit_id: int, action: str) -> bool:
    return may(user, unit_id, action)


@transaction.atomic
def quarter_transition(
    *, agreement: PerjanjianKinerja, quarter: int, action: str, by: User, reason: str = ""
) -> QuarterReport:
    """Move a facility's quarter through the workflow, checking who may do what; every step is recorded."""
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action {action!r}")
    sources, target, permission = TRANSITIONS[action]
    agreement.status = _status_locked(agreement)
    if agreement.status != PKStatus.SIGNED:
        # A superseded version is the record of what was; a draft has no results yet.
        raise ValidationError(
            f"{agreement} tidak berlaku (berstatus {agreement.get_status_display()}); "
            "alur kerja berjalan pada Perjanjian Kinerja yang ditandatangani dan berlaku.",
            code="unsigned",
        )
    report = QuarterReport.objects.select_for_update().get_or_create(
        agreement=agreement, quarter=quarter
    )[0]
    label = f"{TRIWULAN[quarter]} {agreement.year}"
    if report.status not in sources:
        raise ValidationError(
            f"Laporan {label} berstatus {report.get_status_display()}; tidak dapat {ACTION_LABEL[action]}.",
            code="state",
        )
    if action == "return":
        allowed = _may(by, agreement.unit_id, "verify") or (
            report.status == S.SUBMITTED and _may(by, agreement.unit_id, "sign")
        )
    else:
        allowed = permission is not None and _may(by, agreement.unit_id, permission)
    if not allowed:
        raise PermissionError(f"Anda tidak berwenang {ACTION_LABEL[action]} laporan {label}.")
    if action in ("return", "reopen") and not reason.strip():
        raise ValidationError("Alasan wajib diisi.")
    if action == "submit":
        window = entry_window_problem(agreement, quarter)
        if window:
            raise ValidationError(window, code="window")
        missing = missing_results(agreement, quarter)
        if missing:
            raise ValidationError(
                f"Realisasi {label} belum lengkap untuk: {', '.join(missing)}.", code="incomplete"
            )
    transition = Transition.objects.create(
        report=report, from_status=report.status, to_status=target, by=by, reason=reason.strip()
    )
    report.status = target
    report.return_reason = reason.strip() if target == S.RETURNED else ""
    history_note(report, by=by, reason=reason or ACTION_LABEL[action].capitalize())
    report.save(update_fields=["status", "return_reason"])
    report.notices = []  # filled after commit by the receivers of quarter_submitted
    # One callback after commit: a submission tells the review first (its notice for the user),
    # then every transition tells the notifications.
    transaction.on_commit(
        functools.partial(_after_transition, report, transition, agreement, quarter, label, by)
    )
    return report


def _after_transition(
    report: QuarterReport,
    transition: Transition,
    agreement: PerjanjianKinerja,
    quarter: int,
    label: str,
    by: User,
) -> None:
    if transition.to_status == S.SUBMITTED:
        _announce_submitted(report, agreement, quarter, label, by)
    _announce_transition(report, transition)


def _announce_transition(report: QuarterReport, transition: Transition) -> None:
    """After any transition is committed: tell the apps above (notifications). A receiver that
    fails is logged; the transition stands and the user's request goes on."""
    replies = quarter_transitioned.send_robust(
        sender=QuarterReport,
        report=report,
        transition=transition,
        from_status=transition.from_status,
        to_status=transition.to_status,
        by=transition.by,
        reason=transition.reason,
    )
    for receiver, reply in replies:
        if isinstance(reply, Exception):
            logger.error(
                "after %s -> %s of %s: %r failed",
                transition.from_status,
                transition.to_status,
                report,
                receiver,
                exc_info=reply,
            )


def _announce_submitted(
    report: QuarterReport, agreement: PerjanjianKinerja, quarter: int, label: str, by: User
) -> None:
    """After the submission is committed: tell the apps above (the review runs then). A receiver
    that fails is logged and named to the user; the submission stands either way."""
    replies = quarter_submitted.send_robust(
        sender=QuarterReport,
        report=report,
        agreement=agreement,
        quarter=quarter,
        label=label,
        by=by,
    )
    for receiver, reply in replies:
        if isinstance(reply, Exception):
            logger.error(
                "after submitting %s of %s: %r failed",
                label,
                agreement.unit,
                receiver,
                exc_info=reply,
            )
            report.notices.append(
                Notice(
                    "error",
                    f"Laporan {label} sudah diajukan, tetapi pemeriksaan sesudahnya gagal "
                    "dijalankan. Jalankan reviu dari halaman Reviu.",
                )
            )
        elif isinstance(reply, Notice):
            report.notices.append(reply)


@transaction.atomic
def monitoring_note_add(
    *, pk_indicator: PKIndicator, quarter: int, text: str, by: User
) -> MonitoringNote:
    """A regional office's monitoring note on one indicator and quarter."""
    if not _may(by, pk_indicator.agreement.unit_id, "verify"):
        raise PermissionError("Catatan monitoring ditulis oleh Kanwil.")
    if not text.strip():
        raise ValidationError("Catatan tidak boleh kosong.")
    if _status_locked(pk_indicator.agreement) != PKStatus.SIGNED:
        # Notes go with the results: on the version in force, carried over by a revision.
        raise ValidationError(
            "Catatan monitoring ditulis pada Perjanjian Kinerja yang ditandatangani dan berlaku."
        )
    note = MonitoringNote(pk_indicator=pk_indicator, quarter=quarter, text=text.strip(), by=by)
    history_note(note, by=by)
    note.save()
    return note


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
    by: User | None = None,
    month: int | None = None,
) -> Evidence:
    """Attach a PDF, JPG or PNG to the indicator's realisation of a quarter (or month)."""
    problem = period_problem(pk_indicator.agreement.unit, quarter, month)
    if problem:
        raise ValidationError(problem, code="period")
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
    if _status_locked(pk_indicator.agreement) != PKStatus.SIGNED:
        raise ValidationError(
            "Data dukung dicatat pada Perjanjian Kinerja yang sudah ditandatangani dan berlaku.",
            code="unsigned",
        )
    content_problem = (
        pdf_problem(data, filename)
        if kind[0] == "application/pdf"
        else image_problem(data, filename, kind[0])
    )
    if content_problem:
        raise ValidationError(content_problem)
    report = QuarterReport.objects.get_or_create(agreement=pk_indicator.agreement, quarter=quarter)[
        0
    ]
    if not report.editable:
        raise ValidationError(
            f"Realisasi {TRIWULAN[quarter]} berstatus {report.get_status_display()}; data dukung tidak dapat ditambah.",
            code="locked",
        )
    window = entry_window_problem(pk_indicator.agreement, quarter)
    if window:
        raise ValidationError(f"{window} Data dukung tidak dapat ditambah.", code="window")
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
def entry_window_set(
    *, region: Unit, year: int, quarter: int, opens: dt.date, closes: dt.date, by: User
) -> EntryWindow:
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


def _carried(obj: Any) -> None:
    from kinerja.measurement.selectors import CARRIED

    obj._change_reason = CARRIED  # django-simple-history keeps it on the "created" record
    obj.save()


def results_carry_over(
    *, previous: PerjanjianKinerja, revision: PerjanjianKinerja
) -> dict[str, int | list[str]]:
    """Copy every quarter's results of a PK onto the revision that replaces it, when the revision
    is signed: realisations with their values and narratives, evidence rows (pointing at the same
    stored files), monitoring notes, and the quarter reports with their status and their whole
    workflow log, so a locked quarter stays locked and no history is lost.

    Copies rather than moves: the superseded version keeps its own rows unchanged for the record.
    Rows are matched by catalogue indicator; the results of an indicator the revision removes stay
    on the superseded version only. Realisations are written before their quarter report, so the
    locks (model and database) let the copy in while the quarter is still without a status."""
    # Waits for any write in progress on the old version (see _status_locked) and holds off new ones.
    _status_locked(previous)
    reports = list(
        QuarterReport.objects.select_for_update()
        .filter(agreement=previous)
        .prefetch_related("transitions")
    )
    rows = {r.indicator_id: r for r in revision.indicators.all()}
    copied = {"realisasi": 0, "nilai": 0, "data_dukung": 0, "catatan": 0, "laporan": 0}
    left = []
    for old_row in previous.indicators.select_related("indicator"):
        new_row = rows.get(old_row.indicator_id)
        old_results = list(old_row.realizations.prefetch_related("values", "evidence"))
        old_notes = list(old_row.monitoring_notes.all())
        if new_row is None:
            if old_results or old_notes:
                left.append(old_row.indicator.code)
            continue
        for old in old_results:
            new = Realization(
                pk_indicator=new_row,
                quarter=old.quarter,
                month=old.month,
                narrative=old.narrative,
                updated_by=old.updated_by,
            )
            _carried(new)
            # Keep the time of the last change (auto_now sets "now" on save); the quarter has no
            # status on the revision yet, so the database lets this through. Only the copy's time
            # changes, so no history row is wanted (the copy's creation has one).
            Realization.objects.filter(pk=new.pk).update(
                updated_at=old.updated_at
            )  # history-exempt
            copied["realisasi"] += 1
            for value in old.values.all():
                _carried(VariableValue(realization=new, symbol=value.symbol, value=value.value))
                copied["nilai"] += 1
            for item in old.evidence.all():
                _carried(
                    Evidence(
                        realization=new,
                        file=item.file.name,
                        original_name=item.original_name,
                        content_type=item.content_type,
                        size=item.size,
                        uploaded_by=item.uploaded_by,
                        uploaded_at=item.uploaded_at,
                    )
                )
                copied["data_dukung"] += 1
        for note in old_notes:
            MonitoringNote.objects.create(
                pk_indicator=new_row, quarter=note.quarter, text=note.text, by=note.by, at=note.at
            )
            copied["catatan"] += 1
    for report in reports:
        new_report = QuarterReport.objects.create(
            agreement=revision,
            quarter=report.quarter,
            status=report.status,
            return_reason=report.return_reason,
        )
        for step in report.transitions.all():
            Transition.objects.create(
                report=new_report,
                from_status=step.from_status,
                to_status=step.to_status,
                by=step.by,
                at=step.at,
                reason=step.reason,
            )
        # A last entry says where the log came from; the status does not change.
        Transition.objects.create(
            report=new_report,
            from_status=report.status,
            to_status=report.status,
            by=revision.signed_by,
            reason=f"Dibawa dari {previous} saat revisi {revision.revision} ditandatangani.",
        )
        copied["laporan"] += 1
    return {**copied, "tertinggal": left}
