"""The only writers of budget data: lines, pagu revisions, monthly plan and realisation, scores,
and the other yearly figures (e-Monev, TARJA). Every write is atomic and says what is wrong where."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from kinerja import calc
from kinerja.budget.models import (
    BudgetScore,
    DipaLine,
    EmonevMonth,
    LineLevel,
    PaguRevision,
    SpendingMonth,
    SpendingType,
    TarjaItem,
    YearSpending,
    closed_month_report,
)
from kinerja.core import bounds
from kinerja.core.formatting import BULAN, TRIWULAN, format_rupiah
from kinerja.core.history_note import history_note
from kinerja.indicators.models import Indicator
from kinerja.organizations.models import Unit


@transaction.atomic
def line_add(
    *,
    unit: Unit,
    year: int,
    level: str,
    name: str,
    code: str = "",
    parent: DipaLine | None = None,
    pagu: Decimal | None = None,
    spending_type: str = "",
    volume: Decimal | None = None,
    volume_unit: str = "",
    blocked: Decimal = Decimal(0),
    blocked_reason: str = "",
    funds: Iterable[str] = (),
) -> DipaLine:
    """Add a DIPA line; a leaf (with pagu) needs its spending type; funds = IKK codes it pays for."""
    if level not in LineLevel.values:
        raise ValidationError(f"Tingkat baris DIPA tidak dikenal: {level!r}.")
    if parent is not None and (parent.unit_id != unit.id or parent.year != year):
        raise ValidationError("Baris induk harus dari unit dan tahun yang sama.")
    if parent is not None and parent.pagu is not None:
        raise ValidationError(
            f"{parent} sudah memiliki pagu sendiri; rincian ditambahkan pada baris tanpa pagu."
        )
    if pagu is not None and spending_type not in SpendingType.values:
        raise ValidationError(f"{code} {name}: jenis belanja (51, 52 atau 53) wajib diisi.")
    bounds.MONEY.check(pagu, f"{code} {name}: pagu".strip())
    bounds.MONEY.check(blocked, f"{code} {name}: blokir".strip())
    bounds.VOLUME.check(volume, f"{code} {name}: volume".strip())
    if blocked and (pagu is None or blocked > pagu):
        raise ValidationError(f"{code} {name}: blokir tidak boleh melebihi pagu.")
    if blocked and not blocked_reason.strip():
        raise ValidationError(f"{code} {name}: alasan blokir wajib diisi.")
    line = DipaLine.objects.create(
        unit=unit,
        year=year,
        parent=parent,
        level=level,
        code=code,
        name=name,
        pagu=pagu,
        spending_type=spending_type if pagu is not None else "",
        volume=volume,
        volume_unit=volume_unit,
        blocked=blocked,
        blocked_reason=blocked_reason.strip(),
        order=DipaLine.objects.filter(unit=unit, year=year).count(),
    )
    if funds:
        line_funds_set(line=line, codes=funds)
    return line


def line_funds_set(*, line: DipaLine, codes: Iterable[str]) -> None:
    """Which IKK this line funds (catalogue codes, e.g. IKK-3.1)."""
    codes = list(dict.fromkeys(codes))
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError(f"Indikator tidak dikenal: {', '.join(missing)}.")
    line.funds.set(found.values())


@transaction.atomic
def pagu_revise(
    *, line: DipaLine, new_pagu: Decimal, revised_on: dt.date, reason: str, by: User | None = None
) -> PaguRevision:
    """Change a leaf line's pagu (revisi DIPA); the old and new pagu, date and reason are kept."""
    line = DipaLine.objects.select_for_update().get(pk=line.pk)
    if line.pagu is None:
        raise ValidationError(f"{line}: pagu diubah pada baris rincian (yang memiliki pagu).")
    if not reason.strip():
        raise ValidationError("Alasan revisi wajib diisi.")
    if new_pagu is None:
        raise ValidationError("Pagu baru wajib diisi.")
    bounds.MONEY.check(new_pagu, "Pagu baru")
    if revised_on.year != line.year:
        raise ValidationError(f"Tanggal revisi harus pada tahun anggaran {line.year}.")
    spent = sum((m.realised for m in line.months.all()), Decimal(0))
    if calc.overspent(spent, new_pagu, line.blocked):
        raise ValidationError(
            f"{line}: pagu baru {format_rupiah(new_pagu)} dikurangi blokir "
            f"{format_rupiah(line.blocked)} lebih kecil dari realisasi {format_rupiah(spent)}."
        )
    revision = PaguRevision.objects.create(
        line=line,
        revised_on=revised_on,
        old_pagu=line.pagu,
        new_pagu=new_pagu,
        reason=reason.strip(),
        by=by,
    )
    line.pagu = new_pagu
    history_note(line, by=by, reason=f"Revisi pagu: {reason}")
    line.save(update_fields=["pagu"])
    return revision


@dataclass(frozen=True)
class MonthFigures:
    line: DipaLine
    month: int
    planned: Decimal | None = None  # None: leave as it is
    realised: Decimal | None = None
    exception_reason: str = ""  # given: realisation beyond the available pagu is accepted
    reason: str = ""  # where the figures came from, kept in the history (a bulk upload's file)


@transaction.atomic
def spending_save(rows: Iterable[MonthFigures]) -> list[SpendingMonth]:
    """Save monthly plan and realisation of several lines at once: all rows or none.

    A line's realisation over the year may not exceed its pagu minus blokir, unless the row carries
    the reason of a recorded exception. Problems name the line and month.
    """
    rows = list(rows)
    # Every problem, under its line's id (ValidationError.message_dict), so that a page shows each
    # at its row; `.messages` lists them all.
    problems: dict[str, list[str]] = {}

    def problem(line: DipaLine, message: str) -> None:
        problems.setdefault(str(line.pk) if line.pk else NON_FIELD_ERRORS, []).append(message)

    saved = []
    for row in rows:
        where = f"{row.line} ({BULAN[row.month - 1] if 1 <= row.month <= 12 else row.month})"
        if row.line.pagu is None:
            problem(
                row.line,
                f"{where}: rencana dan realisasi diisi pada baris rincian yang memiliki pagu.",
            )
            continue
        if not 1 <= row.month <= 12:
            problem(row.line, f"{where}: bulan harus 1-12.")
            continue
        out_of_bounds = [
            bounds.MONEY.problem(value, f"{where}: {label}")
            for label, value in (("rencana", row.planned), ("realisasi", row.realised))
        ]
        if any(out_of_bounds):
            for message in out_of_bounds:
                if message:
                    problem(row.line, message)
            continue
        closed = closed_month_report(row.line.unit_id, row.line.year, row.month)
        if closed is not None:
            problem(
                row.line,
                f"{where}: {TRIWULAN[closed.quarter]} berstatus {closed.get_status_display()}; "
                "rencana dan realisasi bulan ini tidak dapat diubah.",
            )
            continue
        month, _ = SpendingMonth.objects.select_for_update().get_or_create(
            line=row.line, month=row.month
        )
        if row.planned is not None:
            month.planned = row.planned
        if row.realised is not None:
            month.realised = row.realised
        if row.exception_reason.strip():
            month.exception = True
            month.exception_reason = row.exception_reason.strip()
            history_note(month, reason=f"Pengecualian: {month.exception_reason}")
        elif row.reason:
            history_note(month, reason=row.reason)
        month.save()
        saved.append(month)
    # Check each touched line's year total once all its months are written.
    for line in {row.line.pk: row.line for row in rows if row.line.pagu is not None}.values():
        months = list(SpendingMonth.objects.filter(line=line))
        spent = sum((m.realised for m in months), Decimal(0))
        if calc.overspent(spent, line.pagu, line.blocked) and not any(m.exception for m in months):
            problem(
                line,
                f"{line}: realisasi {format_rupiah(spent)} melebihi pagu tersedia "
                f"{format_rupiah(line.available)} (pagu {format_rupiah(line.pagu)} dikurangi blokir "
                f"{format_rupiah(line.blocked)}), lebih {format_rupiah(spent - line.available)}. "
                "Catat sebagai pengecualian dengan alasannya bila memang demikian.",
            )
    if problems:
        raise ValidationError(problems)
    return saved


@transaction.atomic
def score_set(
    *,
    unit: Unit,
    year: int,
    smart: Decimal | None = None,
    ikpa: Decimal | None = None,
    smart_components: Mapping[str, Decimal] | None = None,
    ikpa_components: Mapping[str, Decimal] | None = None,
) -> BudgetScore:
    """Record the published SMART DJA and IKPA scores (0-100) of a year, with optional components."""
    # Every problem at once, under its field (ValidationError.message_dict).
    problems: dict[str, list[str]] = {}
    for field, label, value in (("smart", "SMART", smart), ("ikpa", "IKPA", ikpa)):
        message = bounds.SCORE.problem(value, f"Nilai {label}")
        if message:
            problems.setdefault(field, []).append(message)
    for field, label, parts in (
        ("smart_components", "SMART", smart_components),
        ("ikpa_components", "IKPA", ikpa_components),
    ):
        for name, value in (parts or {}).items():
            if len(name) > 100:
                message = (
                    f"Komponen {label}: nama '{name[:40]}...' terlalu panjang "
                    "(paling banyak 100 huruf)."
                )
            elif value is None:
                message = f"Komponen {label} {name}: nilai kosong."
            else:
                message = bounds.SCORE.problem(value, f"Komponen {label} {name[:60]}")
            if message:
                problems.setdefault(field, []).append(message)
    if problems:
        raise ValidationError(problems)
    # smart and ikpa are nullable; the stubs cannot see it through the fields' shared **kwargs.
    score, _ = BudgetScore.objects.update_or_create(  # type: ignore[misc]
        unit=unit,
        year=year,
        defaults={
            "smart": smart,
            "ikpa": ikpa,
            "smart_components": {k: str(v) for k, v in (smart_components or {}).items()},
            "ikpa_components": {k: str(v) for k, v in (ikpa_components or {}).items()},
        },
    )
    return score


@transaction.atomic
def year_spending_set(
    *, unit: Unit, year: int, figures: Mapping[str, tuple[Decimal | None, Decimal]], source: str
) -> None:
    """Pagu and realisation per spending type of a year as reported: {'51': (pagu, realised)}."""
    for spending_type, (pagu, realised) in figures.items():
        if spending_type not in SpendingType.values:
            raise ValidationError(f"Jenis belanja tidak dikenal: {spending_type}.")
        bounds.MONEY.check(pagu, f"Pagu belanja {spending_type} {year}")
        bounds.MONEY.check(realised, f"Realisasi belanja {spending_type} {year}")
        YearSpending.objects.update_or_create(
            unit=unit,
            year=year,
            spending_type=spending_type,
            defaults={"pagu": pagu, "realised": realised, "source": source},
        )


@transaction.atomic
def emonev_set(*, unit: Unit, year: int, months: Mapping[int, tuple[Decimal, Decimal]]) -> None:
    """e-Monev Bappenas per month: {12: (absorption %, physical %)}."""
    for month, (absorption, physical) in months.items():
        if not 1 <= month <= 12:
            raise ValidationError(f"Bulan e-Monev harus 1-12, bukan {month}.")
        for label, value in (("serapan", absorption), ("progres fisik", physical)):
            bounds.SCORE.check(value, f"e-Monev {BULAN[month - 1]}: {label}")
        EmonevMonth.objects.update_or_create(
            unit=unit,
            year=year,
            month=month,
            defaults={"absorption": absorption, "physical": physical},
        )


@transaction.atomic
def tarja_set(
    *,
    unit: Unit,
    year: int,
    items: Iterable[tuple[str, Decimal, str] | tuple[str, Decimal, str, str]],
) -> int:
    """Replace the year's TARJA items: (target kinerja, score, remarks[, evidence]), numbered in
    order; the evidence (data dukung) is printed in the LKjIP's appendix."""
    TarjaItem.objects.filter(unit=unit, year=year).delete()
    count = 0
    for number, item in enumerate(items, start=1):
        name, score, remarks = item[0], item[1], item[2]
        evidence = item[3] if len(item) > 3 else ""
        bounds.SCORE.check(score, f"TARJA nomor {number}: capaian")
        TarjaItem.objects.create(
            unit=unit,
            year=year,
            number=number,
            name=name,
            score=score,
            remarks=remarks,
            evidence=evidence,
        )
        count += 1
    return count
