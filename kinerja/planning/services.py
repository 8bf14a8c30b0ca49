"""Writes of the plan: the only way to create, change, sign and revise a PK and its Rencana Aksi.

Views, the admin actions, the demo loader, the importer and the tests all call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from kinerja.core import bounds
from kinerja.core.formatting import TRIWULAN
from kinerja.core.formatting import format_date as _date
from kinerja.core.history_note import history_note
from kinerja.indicators.models import Goal, Indicator, Level, level_rank
from kinerja.organizations.models import Person, Unit
from kinerja.planning.models import (
    PerjanjianKinerja,
    PKBudgetItem,
    PKFrozenError,
    PKGoal,
    PKIndicator,
    PKStatus,
    RAActivity,
    RAActivityQuarter,
    RAQuarter,
    Renstra,
    RenstraTarget,
)

QUARTERS = (1, 2, 3, 4)


def _ensure_draft(agreement: PerjanjianKinerja) -> None:
    agreement.refresh_from_db(fields=["status"])
    if agreement.is_frozen:
        raise PKFrozenError(agreement)


@transaction.atomic
def pk_create(
    *,
    unit: Unit,
    year: int,
    place: str = "",
    signed_on: dt.date | None = None,
    first_party: Person | None = None,
    first_party_title: str = "",
    second_party: Person | None = None,
    second_party_title: str = "",
    from_catalogue: bool = True,
) -> PerjanjianKinerja:
    """A new draft PK for a facility and year; with from_catalogue, every active catalogue
    indicator is placed under its goal with an empty target for the facility to fill."""
    if not unit.is_facility:
        raise ValidationError(
            "Perjanjian Kinerja dibuat untuk UPT, bukan untuk Kanwil atau Ditjen."
        )
    if PerjanjianKinerja.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(f"Perjanjian Kinerja {unit} tahun {year} sudah ada.")
    agreement = PerjanjianKinerja.objects.create(
        unit=unit,
        year=year,
        place=place,
        signed_on=signed_on,
        first_party=first_party,
        first_party_title=first_party_title,
        second_party=second_party,
        second_party_title=second_party_title,
    )
    if from_catalogue:
        in_force = Indicator.objects.in_force(year)
        goals = Goal.objects.prefetch_related(
            Prefetch("indicators", queryset=in_force, to_attr="in_force")
        ).order_by(level_rank(), "order")
        for goal in goals:
            indicators = goal.in_force
            if indicators:
                pk_goal = PKGoal.objects.create(
                    agreement=agreement, level=goal.level, number=goal.order, name=goal.name
                )
                for number, indicator in enumerate(sorted(indicators, key=lambda i: i.order), 1):
                    PKIndicator.objects.create(
                        agreement=agreement,
                        goal=pk_goal,
                        indicator=indicator,
                        number=number,
                        target_unit=indicator.unit,
                    )
    return agreement


HEADER_FIELDS = (
    "place",
    "signed_on",
    "first_party",
    "first_party_title",
    "second_party",
    "second_party_title",
)


@transaction.atomic
@transaction.atomic
def pk_national_priority_set(*, agreement: PerjanjianKinerja, codes: Iterable[str]) -> int:
    """Tag the IKK of a draft PK that belong to a National Priority (and untag the others)."""
    _ensure_draft(agreement)
    wanted_codes = set(codes)
    rows = list(agreement.indicators.select_related("indicator"))
    unknown = wanted_codes - {r.indicator.code for r in rows}
    if unknown:
        raise ValidationError(f"Indikator tidak ada pada PK ini: {', '.join(sorted(unknown))}.")
    for row in rows:
        wanted = row.indicator.code in wanted_codes
        if row.national_priority != wanted:
            row.national_priority = wanted
            row.save(update_fields=["national_priority"])
    return len(wanted_codes)


def pk_update(*, agreement: PerjanjianKinerja, **fields: Any) -> PerjanjianKinerja:
    """Change the header of a draft PK (place, date, parties)."""
    _ensure_draft(agreement)
    unknown = set(fields) - set(HEADER_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.save(update_fields=list(fields))
    return agreement


@transaction.atomic
def pk_goal_add(
    *, agreement: PerjanjianKinerja, level: str, name: str, number: int | None = None
) -> PKGoal:
    _ensure_draft(agreement)
    if number is None:
        number = agreement.goals.filter(level=level).count() + 1
    return PKGoal.objects.create(agreement=agreement, level=level, number=number, name=name)


@transaction.atomic
def pk_indicator_add(
    *,
    goal: PKGoal,
    indicator: Indicator,
    target: Decimal | None,
    target_unit: str | None = None,
    number: int | None = None,
    formula_text: str | None = None,
) -> PKIndicator:
    _ensure_draft(goal.agreement)
    if indicator.level != goal.level:
        raise ValidationError(
            f"Indikator {indicator.code} bertingkat {indicator.get_level_display()}, "
            f"tidak dapat ditempatkan di bawah sasaran tingkat {goal.get_level_display()}."
        )
    if number is None:
        number = goal.indicators.count() + 1
    bounds.target_bound(target_unit or indicator.unit).check(target, f"Target {indicator.code}")
    return PKIndicator.objects.create(
        agreement=goal.agreement,
        goal=goal,
        indicator=indicator,
        number=number,
        target=target,
        target_unit=target_unit or indicator.unit,
        formula_text=formula_text,
    )


@transaction.atomic
def pk_targets_set(*, agreement: PerjanjianKinerja, targets: Mapping[int, Decimal | None]) -> None:
    """Set the targets of several PK indicators (by PKIndicator id) at once, all or nothing."""
    _ensure_draft(agreement)
    rows = {row.id: row for row in agreement.indicators.filter(id__in=targets)}
    missing = set(targets) - set(rows)
    if missing:
        raise ValidationError(f"Indikator tidak termasuk dalam PK ini: {sorted(missing)}")
    for row_id, value in targets.items():
        row = rows[row_id]
        bounds.target_bound(row.target_unit).check(value, f"Target {row.indicator.code}")
        rows[row_id].target = value
        rows[row_id].save(update_fields=["target"])


@dataclass(frozen=True)
class BudgetLine:
    kind: str
    name: str
    amount: Decimal
    code: str = ""


@transaction.atomic
def pk_budget_set(*, agreement: PerjanjianKinerja, lines: Iterable[BudgetLine]) -> None:
    """Replace the PK budget table (programmes and activities)."""
    _ensure_draft(agreement)
    agreement.budget_items.all().delete()
    for order, line in enumerate(lines, 1):
        bounds.MONEY.check(line.amount, f"Anggaran '{line.name}'")
        PKBudgetItem.objects.create(
            agreement=agreement,
            kind=line.kind,
            code=line.code,
            name=line.name,
            amount=line.amount,
            order=order,
        )


def closed_quarter_targets(
    agreement: PerjanjianKinerja,
) -> dict[tuple[int, int], tuple[Decimal | None, str]]:
    """For a revision: the quarterly target increments it may not change, because the PK it revises
    has that quarter submitted or further. {(catalogue indicator id, quarter): (increment, status label)}."""
    if not agreement.revision_of_id:
        return {}
    from kinerja.measurement.models import EDITABLE, QuarterReport

    closed = {
        r.quarter: r.get_status_display()
        for r in QuarterReport.objects.filter(agreement_id=agreement.revision_of_id).exclude(
            status__in=EDITABLE
        )
    }
    if not closed:
        return {}
    return {
        (q.pk_indicator.indicator_id, q.quarter): (q.target_increment, closed[q.quarter])
        for q in RAQuarter.objects.filter(
            pk_indicator__agreement_id=agreement.revision_of_id, quarter__in=closed
        ).select_related("pk_indicator")
    }


def _increment_problem(
    row: PKIndicator,
    quarter: int,
    value: Decimal | None,
    locked: dict[tuple[int, int], tuple[Decimal | None, str]],
) -> str:
    key = (row.indicator_id, quarter)
    if key not in locked:
        return ""
    old, status = locked[key]
    if old == value:
        return ""
    from kinerja.core.formatting import TRIWULAN, format_number

    shown = "kosong" if old is None else format_number(old, 2, trim=True)
    return (
        f"Target {TRIWULAN[quarter]} indikator {row.indicator.code} tidak dapat diubah dalam revisi: "
        f"realisasi {TRIWULAN[quarter]} sudah berstatus {status}. Target tetap {shown}."
    )


def pk_sign_problems(agreement: PerjanjianKinerja) -> list[str]:
    """What keeps a PK from being signed; empty when it is complete."""
    problems = []
    locked = closed_quarter_targets(agreement)
    if locked:
        new = {
            (q.pk_indicator.indicator_id, q.quarter): q
            for q in RAQuarter.objects.filter(pk_indicator__agreement=agreement).select_related(
                "pk_indicator__indicator"
            )
        }
        by_indicator = {r.indicator_id: r for r in agreement.indicators.select_related("indicator")}
        for indicator_id, quarter in sorted(locked):
            row = by_indicator.get(indicator_id)
            if row is None:  # the revision removes the indicator: its results stay on the old PK
                continue
            plan = new.get((indicator_id, quarter))
            value = plan.target_increment if plan else None
            problem = _increment_problem(row, quarter, value, locked)
            if problem:
                problems.append(problem)
    if not agreement.place:
        problems.append("Tempat penandatanganan belum diisi.")
    if not agreement.signed_on:
        problems.append("Tanggal penandatanganan belum diisi.")
    elif agreement.signed_on.year not in (agreement.year, agreement.year - 1):
        problems.append(
            f"Tanggal penandatanganan ({_date(agreement.signed_on)}) tidak sesuai dengan tahun PK {agreement.year}."
        )
    if not agreement.first_party_id:
        problems.append("Pihak Pertama belum dipilih.")
    if not agreement.second_party_id:
        problems.append("Pihak Kedua belum dipilih.")
    for party in (agreement.first_party, agreement.second_party):
        if party and not party.nip:
            problems.append(f"{party.name} belum memiliki NIP.")
    problems.extend(party_problems(agreement))
    rows = list(agreement.indicators.select_related("indicator"))
    if not any(r.indicator.level == Level.IKK for r in rows):
        problems.append("PK belum memiliki Indikator Kinerja Kegiatan.")
    for row in rows:
        if row.target is None:
            problems.append(f"Target belum diisi: {row.indicator.code} {row.name}.")
    if not any(item.amount for item in agreement.budget_items.all()):
        problems.append(
            "Tabel anggaran PK masih kosong: isi program dan kegiatan beserta anggarannya."
        )
    return problems


_sign_warnings: list[Callable[[PerjanjianKinerja], list[str]]] = []


def sign_warnings_register(reader: Callable[[PerjanjianKinerja], list[str]]) -> None:
    """An app above planning (the review) adds what the head must see and confirm before signing;
    planning never imports it."""
    if reader not in _sign_warnings:
        _sign_warnings.append(reader)


def pk_sign_warnings(agreement: PerjanjianKinerja) -> list[str]:
    """What does not block signing but must be confirmed first (the review's open errors)."""
    return [warning for reader in _sign_warnings for warning in reader(agreement)]


def party_problems(agreement: PerjanjianKinerja) -> list[str]:
    """The parties are the heads of record on the signing day: Pihak Pertama the facility's head,
    Pihak Kedua the head of its regional office, and never the same person. One query."""
    from kinerja.core.formatting import format_date
    from kinerja.organizations.models import HeadAppointment

    problems = []
    if agreement.first_party_id and agreement.first_party_id == agreement.second_party_id:
        problems.append("Pihak Pertama dan Pihak Kedua tidak boleh orang yang sama.")
    day = agreement.signed_on
    if day is None or not (agreement.first_party_id or agreement.second_party_id):
        return problems
    # The head of the facility and of its parent on that day, newest appointment first.
    heads: dict[bool, HeadAppointment] = {}
    for appointment in (
        HeadAppointment.objects.select_related("person", "unit")
        .filter(Q(unit_id=agreement.unit_id) | Q(unit__children=agreement.unit_id))
        .filter(start__lte=day)
        .exclude(end__lt=day)
        .order_by("-start")
    ):
        heads.setdefault(appointment.unit_id == agreement.unit_id, appointment)
    when = format_date(day)
    for party, own, label, office in (
        (agreement.first_party, True, "Pihak Pertama", "UPT"),
        (agreement.second_party, False, "Pihak Kedua", "Kantor Wilayah"),
    ):
        if party is None:
            continue
        head = heads.get(own)
        if head is None:
            problems.append(
                f"Kepala {office} pada {when} belum tercatat: catat penunjukan kepalanya "
                f"(administrasi unit) agar {label} dapat diperiksa."
            )
        elif head.person_id != party.pk:
            problems.append(
                f"{label} ({party.name}) bukan kepala {head.unit.name} pada {when}; "
                f"kepala yang tercatat: {head.person.name}."
            )
    return problems


@transaction.atomic
def pk_sign(*, agreement: PerjanjianKinerja, by: User | None) -> PerjanjianKinerja:
    """Sign a complete draft PK: from now on it is frozen. Signing a revision supersedes the
    version it revises."""
    _ensure_draft(agreement)
    problems = pk_sign_problems(agreement)
    if problems:
        raise ValidationError(problems)
    agreement.status = PKStatus.SIGNED
    agreement.signed_by = by
    agreement.signed_at = timezone.now()
    history_note(agreement, by=by, reason="Ditandatangani")
    agreement.save(update_fields=["status", "signed_by", "signed_at"])
    if agreement.revision_of_id:
        from kinerja.measurement.services import results_carry_over

        previous = agreement.revision_of
        assert previous is not None  # revision_of_id is set
        # The results go with the agreement in force, in the status they had: signing a revision
        # never reopens a quarter. The superseded version keeps its own rows unchanged.
        results_carry_over(previous=previous, revision=agreement)
        previous.status = PKStatus.SUPERSEDED
        history_note(previous, by=by, reason=f"Digantikan revisi {agreement.revision}")
        previous.save(update_fields=["status"])
    return agreement


@dataclass(frozen=True)
class NextYear:
    """A PK started from the year before, and what the head still has to look at."""

    agreement: PerjanjianKinerja
    from_renstra: list[str]  # indicator codes whose target came from the Renstra
    without_target: list[str]  # codes still to be given a target
    retired: list[str]  # codes of the year before no longer in the catalogue in force
    added: list[str]  # codes new in the catalogue in force


@transaction.atomic
def pk_start_from(*, previous: PerjanjianKinerja, year: int, by: User | None = None) -> NextYear:
    """Start the draft PK of `year` from an earlier year's PK of the same facility: its goals and the
    indicators still in the catalogue in force (plus those the catalogue adds that year), targets
    from the Renstra where it has one for the year (else empty, for the head to set), parties from
    the heads of record, and the Rencana Aksi's structure: activities with their indicators and each
    quarter's planned activity and expected evidence. Money (pagu, RPD, the PK budget table) and
    quarterly target increments belong to the new year and are left to fill."""
    from kinerja.organizations.selectors import head_of_record

    previous.refresh_from_db()
    unit = previous.unit
    if previous.status == PKStatus.SUPERSEDED:
        raise ValidationError("PK yang sudah digantikan revisi tidak dapat dijadikan dasar.")
    if year <= previous.year:
        raise ValidationError(
            f"PK {year} tidak dapat dimulai dari PK {previous.year}: tahunnya harus sesudahnya."
        )
    if not bounds.YEAR_MIN <= year <= bounds.YEAR_MAX:
        raise ValidationError(f"Tahun {year} tidak sah.")
    if PerjanjianKinerja.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(f"Perjanjian Kinerja {unit} tahun {year} sudah ada.")
    parties: dict[str, Any] = {}
    for prefix, holder in (("first_party", unit), ("second_party", unit.parent)):
        appointment = head_of_record(holder, year) if holder else None
        if appointment:
            parties[prefix] = appointment.person
            parties[f"{prefix}_title"] = appointment.title
    agreement = PerjanjianKinerja(unit=unit, year=year, place=previous.place, **parties)
    history_note(agreement, by=by, reason=f"Dimulai dari PK {previous.year}")
    agreement.save()

    in_force = {i.id: i for i in Indicator.objects.in_force(year).select_related("goal")}
    renstra = unit.renstras.filter(start_year__lte=year, end_year__gte=year).first()
    renstra_targets = (
        dict(renstra.targets.filter(year=year).values_list("indicator_id", "value"))
        if renstra
        else {}
    )
    activities: dict[int, RAActivity] = {}
    for activity in previous.activities.all():
        activities[activity.id] = RAActivity.objects.create(agreement=agreement, name=activity.name)
    goals: dict[tuple[str, str], PKGoal] = {}
    kept: set[int] = set()
    retired: list[str] = []
    from_renstra: list[str] = []
    without_target: list[str] = []

    def goal_for(level: str, name: str, number: int) -> PKGoal:
        key = (level, " ".join(name.split()).casefold())
        if key not in goals:
            goals[key] = PKGoal.objects.create(
                agreement=agreement, level=level, number=number, name=name
            )
        return goals[key]

    def add_row(indicator: Indicator, goal: PKGoal, old: PKIndicator | None) -> PKIndicator:
        target = renstra_targets.get(indicator.id)
        (from_renstra if target is not None else without_target).append(indicator.code)
        number = goal.indicators.count() + 1
        return PKIndicator.objects.create(
            agreement=agreement,
            goal=goal,
            indicator=indicator,
            number=number,
            target=target,
            target_unit=old.target_unit if old else indicator.unit,
            activity=activities.get(old.activity_id) if old and old.activity_id else None,
            formula_text=old.formula_text if old else None,
            national_priority=old.national_priority if old else False,
        )

    rows = previous.indicators.select_related("goal", "indicator").prefetch_related("quarters")
    for old in rows.order_by(level_rank("goal__level"), "goal__number", "number"):
        indicator = in_force.get(old.indicator_id)
        if indicator is None:
            retired.append(old.indicator.code)
            continue
        kept.add(indicator.id)
        row = add_row(indicator, goal_for(old.goal.level, old.goal.name, old.goal.number), old)
        for plan in old.quarters.all():
            RAQuarter.objects.create(
                pk_indicator=row,
                quarter=plan.quarter,
                planned_activity=plan.planned_activity,
                evidence_expected=plan.evidence_expected,
            )
    # What the catalogue adds in force this year and no earlier: under its catalogue goal.
    added = []
    for indicator in sorted(in_force.values(), key=lambda i: (i.goal.order, i.order)):
        if (
            indicator.id in kept
            or not indicator.valid_from
            or indicator.valid_from <= previous.year
        ):
            continue
        level_goals = [g for (level, _), g in goals.items() if level == indicator.level]
        goal = goal_for(indicator.level, indicator.goal.name, len(level_goals) + 1)
        add_row(indicator, goal, None)
        added.append(indicator.code)
    return NextYear(agreement, from_renstra, without_target, retired, added)


@transaction.atomic
def pk_revise(*, agreement: PerjanjianKinerja, reason: str) -> PerjanjianKinerja:
    """Start a revision of a signed PK: a draft copy with every goal, indicator, target,
    budget line and Rencana Aksi row. The signed version stays as it was."""
    agreement.refresh_from_db()
    if agreement.status != PKStatus.SIGNED:
        raise ValidationError("Hanya PK yang sudah ditandatangani yang dapat direvisi.")
    if not reason.strip():
        raise ValidationError("Alasan revisi wajib diisi.")
    if agreement.revisions.filter(status=PKStatus.DRAFT).exists():
        raise ValidationError("Sudah ada revisi yang sedang disusun untuk PK ini.")
    latest = (
        PerjanjianKinerja.objects.filter(unit=agreement.unit, year=agreement.year)
        .order_by("-revision")
        .first()
    )
    assert latest is not None  # `agreement` itself is one
    copy = PerjanjianKinerja(
        unit=agreement.unit,
        year=agreement.year,
        revision=latest.revision + 1,
        revision_of=agreement,
        revision_reason=reason.strip(),
        place=agreement.place,
        signed_on=agreement.signed_on,
        first_party=agreement.first_party,
        first_party_title=agreement.first_party_title,
        second_party=agreement.second_party,
        second_party_title=agreement.second_party_title,
    )
    history_note(copy, reason=f"Revisi: {reason.strip()}")
    copy.save()
    activities = {}
    for activity in agreement.activities.prefetch_related("quarters"):
        activities[activity.id] = RAActivity.objects.create(
            agreement=copy, name=activity.name, pagu=activity.pagu
        )
        for q in activity.quarters.all():
            RAActivityQuarter.objects.create(
                activity=activities[activity.id],
                quarter=q.quarter,
                planned_disbursement=q.planned_disbursement,
                realised=q.realised,
            )
    goals = {}
    for goal in agreement.goals.all():
        goals[goal.id] = PKGoal.objects.create(
            agreement=copy, level=goal.level, number=goal.number, name=goal.name
        )
    for row in agreement.indicators.prefetch_related("quarters"):
        new_row = PKIndicator.objects.create(
            agreement=copy,
            goal=goals[row.goal_id],
            indicator_id=row.indicator_id,
            indicator_name=row.indicator_name,
            number=row.number,
            target=row.target,
            target_unit=row.target_unit,
            activity=activities.get(row.activity_id) if row.activity_id is not None else None,
            formula_text=row.formula_text,
            ra_status=row.ra_status,
            ra_remarks=row.ra_remarks,
            blocked_amount=row.blocked_amount,
            national_priority=row.national_priority,
        )
        for plan in row.quarters.all():
            RAQuarter.objects.create(
                pk_indicator=new_row,
                quarter=plan.quarter,
                target_increment=plan.target_increment,
                planned_activity=plan.planned_activity,
                evidence_expected=plan.evidence_expected,
                achievement_text=plan.achievement_text,
            )
    for item in agreement.budget_items.all():
        PKBudgetItem.objects.create(
            agreement=copy,
            kind=item.kind,
            code=item.code,
            name=item.name,
            amount=item.amount,
            order=item.order,
        )
    return copy


@dataclass(frozen=True)
class QuarterPlan:
    quarter: int
    target_increment: Decimal | None = None
    planned_activity: str = ""
    evidence_expected: str = ""
    achievement_text: str = ""


@transaction.atomic
def ra_activity_save(
    *,
    agreement: PerjanjianKinerja,
    name: str,
    pagu: Decimal,
    disbursements: Mapping[int, Decimal] | None = None,
    realised: Mapping[int, Decimal | None] | None = None,
) -> RAActivity:
    """Create or update a funding activity of the Rencana Aksi with its pagu and quarterly RPD."""
    _ensure_draft(agreement)
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Nama kegiatan wajib diisi.")
    if pagu is None:
        raise ValidationError(f"Pagu kegiatan '{name}' harus diisi dan tidak negatif.")
    bounds.MONEY.check(pagu, f"Pagu kegiatan '{name}'")
    for quarter, amount in (disbursements or {}).items():
        bounds.MONEY.check(amount, f"RPD {TRIWULAN.get(quarter, quarter)} kegiatan '{name}'")
    for quarter, spent in (realised or {}).items():
        bounds.MONEY.check(spent, f"Realisasi {TRIWULAN.get(quarter, quarter)} kegiatan '{name}'")
    activity, _ = RAActivity.objects.update_or_create(
        agreement=agreement, name=name, defaults={"pagu": pagu}
    )
    for quarter, amount in (disbursements or {}).items():
        if quarter not in QUARTERS:
            raise ValidationError(f"Triwulan {quarter} tidak ada (hanya TW I-IV).")
        if amount is not None and amount < 0:
            raise ValidationError(
                f"RPD {TRIWULAN.get(quarter, quarter)} kegiatan '{name}' tidak boleh negatif."
            )
        RAActivityQuarter.objects.update_or_create(
            activity=activity, quarter=quarter, defaults={"planned_disbursement": amount or 0}
        )
    for quarter, spent in (realised or {}).items():
        if spent is not None and spent < 0:
            raise ValidationError(
                f"Realisasi {TRIWULAN.get(quarter, quarter)} kegiatan '{name}' tidak boleh negatif."
            )
        RAActivityQuarter.objects.update_or_create(
            activity=activity, quarter=quarter, defaults={"realised": spent}
        )
    return activity


@transaction.atomic
def ra_indicator_notes_set(
    *,
    pk_indicator: PKIndicator,
    status: str = "",
    remarks: str = "",
    blocked_amount: Decimal | None = None,
) -> None:
    """Status, remarks and blocked budget (pagu blokir) of one indicator's Rencana Aksi."""
    _ensure_draft(pk_indicator.agreement)
    bounds.MONEY.check(blocked_amount, f"Pagu blokir {pk_indicator.indicator.code}")
    pk_indicator.ra_status = status[:50]
    pk_indicator.ra_remarks = remarks
    pk_indicator.blocked_amount = blocked_amount
    pk_indicator.save(update_fields=["ra_status", "ra_remarks", "blocked_amount"])


@transaction.atomic
def pk_plan_clear(*, agreement: PerjanjianKinerja) -> None:
    """Remove the goals, indicators and Rencana Aksi of a draft PK (before a re-import)."""
    _ensure_draft(agreement)
    RAQuarter.objects.filter(pk_indicator__agreement=agreement).delete()
    agreement.indicators.all().delete()
    agreement.goals.all().delete()
    RAActivityQuarter.objects.filter(activity__agreement=agreement).delete()
    agreement.activities.all().delete()


@transaction.atomic
def ra_indicator_plan_set(
    *,
    pk_indicator: PKIndicator,
    activity: RAActivity | None,
    quarters: Iterable[QuarterPlan],
) -> None:
    """Set the Rencana Aksi of one indicator: its funding activity and its four quarters."""
    agreement = pk_indicator.agreement
    _ensure_draft(agreement)
    if activity is not None and activity.agreement_id != agreement.id:
        raise ValidationError("Kegiatan pendanaan harus dari Rencana Aksi PK yang sama.")
    plans = list(quarters)
    seen = [p.quarter for p in plans]
    if sorted(seen) != sorted(set(seen)) or any(q not in QUARTERS for q in seen):
        raise ValidationError("Setiap triwulan (TW I-IV) hanya boleh muncul sekali.")
    for plan in plans:
        bounds.target_bound(pk_indicator.target_unit).check(
            plan.target_increment,
            f"Target {TRIWULAN.get(plan.quarter, plan.quarter)} {pk_indicator.indicator.code}",
        )
    locked = closed_quarter_targets(agreement)
    problems = [
        _increment_problem(pk_indicator, plan.quarter, plan.target_increment, locked)
        for plan in plans
    ]
    if any(problems):
        raise ValidationError([p for p in problems if p])
    pk_indicator.activity = activity
    pk_indicator.save(update_fields=["activity"])
    for plan in plans:
        RAQuarter.objects.update_or_create(
            pk_indicator=pk_indicator,
            quarter=plan.quarter,
            defaults={
                "target_increment": plan.target_increment,
                "planned_activity": plan.planned_activity,
                "evidence_expected": plan.evidence_expected,
                "achievement_text": plan.achievement_text,
            },
        )


@transaction.atomic
def renstra_save(
    *,
    unit: Unit,
    start_year: int,
    end_year: int,
    vision: str = "",
    mission: str = "",
    goals: str = "",
    targets: Mapping[tuple[str, int], Decimal] | None = None,
) -> Renstra:
    """Create or update a unit's Renstra; targets map (indicator code, year) to the medium-term target."""
    if end_year < start_year:
        raise ValidationError("Tahun akhir Renstra tidak boleh sebelum tahun awal.")
    renstra, _ = Renstra.objects.update_or_create(
        unit=unit,
        start_year=start_year,
        defaults={"end_year": end_year, "vision": vision, "mission": mission, "goals": goals},
    )
    for (code, year), value in (targets or {}).items():
        if not start_year <= year <= end_year:
            raise ValidationError(f"Tahun {year} di luar periode Renstra {start_year}-{end_year}.")
        indicator = Indicator.objects.get(code=code)
        bounds.target_bound(indicator.unit).check(value, f"Target Renstra {code} {year}")
        RenstraTarget.objects.update_or_create(
            renstra=renstra, indicator=indicator, year=year, defaults={"value": value}
        )
    return renstra


RENSTRA_MAX_YEARS = 10


@transaction.atomic
def renstra_create(
    *,
    unit: Unit,
    start_year: int,
    end_year: int | None = None,
    vision: str = "",
    mission: str = "",
    goals: str = "",
    by: User | None = None,
) -> Renstra:
    """A new Renstra of a unit (five years by default); periods of one unit never overlap."""
    end_year = end_year if end_year is not None else start_year + 4
    if not bounds.YEAR_MIN <= start_year <= end_year <= bounds.YEAR_MAX:
        raise ValidationError({"end_year": "Tahun akhir harus sama atau sesudah tahun awal."})
    if end_year - start_year + 1 > RENSTRA_MAX_YEARS:
        raise ValidationError({"end_year": f"Renstra paling lama {RENSTRA_MAX_YEARS} tahun."})
    overlap = (
        Renstra.objects.filter(unit=unit, start_year__lte=end_year, end_year__gte=start_year)
        .order_by("start_year")
        .first()
    )
    if overlap is not None:
        raise ValidationError(
            {
                "start_year": f"Bertumpang tindih dengan Renstra {overlap.start_year}-"
                f"{overlap.end_year} {unit.name}."
            }
        )
    renstra = Renstra(
        unit=unit,
        start_year=start_year,
        end_year=end_year,
        vision=vision.strip(),
        mission=mission.strip(),
        goals=goals.strip(),
    )
    history_note(renstra, by=by, reason="Renstra baru")
    renstra.save()
    return renstra


def renstra_indicators(renstra: Renstra) -> QuerySet[Indicator]:
    """The indicators a Renstra plans: those in force in any year of its period."""
    return (
        Indicator.objects.filter(active=True)
        .exclude(valid_from__gt=renstra.end_year)
        .exclude(valid_to__lt=renstra.start_year)
        .order_by(level_rank(), "goal__order", "order")
    )


@transaction.atomic
def renstra_revise(
    *,
    renstra: Renstra,
    targets: Mapping[tuple[int, int], Decimal | None],
    vision: str | None = None,
    mission: str | None = None,
    goals: str | None = None,
    by: User | None = None,
    reason: str = "",
) -> int:
    """Change a Renstra's texts and medium-term targets, {(indicator id, year): value or None to
    remove}, all or nothing; each change keeps its history with who and why. Returns how many
    targets changed."""
    renstra = Renstra.objects.select_for_update().get(pk=renstra.pk)
    texts = {"vision": vision, "mission": mission, "goals": goals}
    changed_texts = {k: v.strip() for k, v in texts.items() if v is not None}
    if any(getattr(renstra, k) != v for k, v in changed_texts.items()):
        for name, text in changed_texts.items():
            setattr(renstra, name, text)
        history_note(renstra, by=by, reason=reason)
        renstra.save()
    indicators = {i.id: i for i in renstra_indicators(renstra)}
    problems = []
    for (indicator_id, year), value in targets.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            problems.append(f"Indikator {indicator_id} tidak direncanakan Renstra ini.")
        elif not renstra.start_year <= year <= renstra.end_year:
            problems.append(
                f"Tahun {year} di luar periode Renstra {renstra.start_year}-{renstra.end_year}."
            )
        else:
            problem = bounds.target_bound(indicator.unit).problem(
                value, f"Target {indicator.code} {year}"
            )
            if problem:
                problems.append(problem)
    if problems:
        raise ValidationError(problems)
    existing = {
        (t.indicator_id, t.year): t
        for t in RenstraTarget.objects.select_for_update().filter(renstra=renstra)
    }
    changed = 0
    for key, amount in targets.items():
        target = existing.get(key)
        if amount is None:
            if target is not None:
                history_note(target, by=by, reason=reason)
                target.delete()
                changed += 1
            continue
        if target is not None and target.value == amount:
            continue
        target = target or RenstraTarget(renstra=renstra, indicator_id=key[0], year=key[1])
        target.value = amount
        history_note(target, by=by, reason=reason)
        target.save()
        changed += 1
    return changed
