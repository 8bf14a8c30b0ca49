"""Import of a Rencana Aksi: check the file against the catalogue, then write it atomically.

`renaksi_check` touches nothing; `renaksi_import` writes the whole plan or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from kinerja.core import bounds
from kinerja.core.uploads import refusal
from kinerja.imports.models import ImportRecord, ImportStatus
from kinerja.imports.renaksi import ParsedPlan, Problem, match_catalogue, parse_renaksi
from kinerja.imports.tables import Table, TableError, read_table
from kinerja.indicators.models import Goal, Indicator, Level, MeasureUnit
from kinerja.organizations.models import Unit
from kinerja.planning import services as planning
from kinerja.planning.models import PerjanjianKinerja, PKGoal, PKStatus, RAActivity


@dataclass
class CheckedFile:
    table: Table | None
    plan: ParsedPlan | None
    fatal: str = ""  # the file could not be read as a table at all

    @property
    def ok(self) -> bool:
        return not self.fatal and self.plan is not None and not self.plan.errors


class ImportRejected(Exception):
    def __init__(self, checked: CheckedFile) -> None:
        self.checked = checked
        count = len(checked.plan.errors) if checked.plan and not checked.fatal else 1
        super().__init__(f"Impor dibatalkan: {count} kesalahan; basis data tidak diubah.")


def renaksi_check(
    *,
    data: bytes,
    filename: str,
    year: int | None = None,
    unit: Unit | None = None,
    separate: frozenset[str] = frozenset(),
) -> CheckedFile:
    try:
        table = read_table(data, filename)
    except TableError as exc:
        return CheckedFile(table=None, plan=None, fatal=str(exc))
    plan = parse_renaksi(table, separate)
    goals = {g.code: g.name for g in Goal.objects.filter(level=Level.IKK)}
    catalogue = list(Indicator.objects.filter(level=Level.IKK, active=True).select_related("goal"))
    indicators = {i.code: (i.goal.code, i.name) for i in catalogue}
    if plan.indicators:
        match_catalogue(plan, goals, indicators)
    # A target without its unit in the cell is checked by the catalogue's unit once matched: a
    # head count (Orang, Layanan, Dokumen, Unit) is a whole number.
    units = {i.code: i.unit for i in catalogue}
    for ind in plan.indicators:
        if ind.code and ind.target is not None and not ind.target_unit:
            problem = bounds.target_bound(units[ind.code]).problem(
                ind.target, f"Target indikator {ind.number} ({units[ind.code]})"
            )
            if problem:
                plan.error(problem, ind.row, plan.columns.get("target"), "target")
    for problem in title_problems(plan.title, unit, year):
        plan.error(problem, 1, None, "title")
    return CheckedFile(table=table, plan=plan)


# Words of a facility's name that say what kind of office it is, not which one.
_KIND_WORDS = set(
    "lembaga pemasyarakatan lapas rutan rumah tahanan negara lpka bapas balai kelas i ii iia iib "
    "iii cabang khusus perempuan wanita narkotika pembinaan anak terbuka kanwil kantor wilayah "
    "kementerian hukum dan ham upt di dilingkungan lingkungan pemasyarakatan".split()
)
_TYPE_MENTION = re.compile(
    r"\b(lembaga pemasyarakatan|lapas|rutan|rumah tahanan|lpka|bapas|balai pemasyarakatan)\b"
)


def title_problems(title: str, unit: Unit | None, year: int | None) -> list[str]:
    """A workbook whose title names another year, or another facility than the one importing it,
    is the wrong file: said as an error (a Luwuk 2024 plan is not another facility's 2025 plan)."""
    text = " ".join(title.lower().split())
    problems = []
    years = sorted(set(re.findall(r"\b(?:19|20)\d{2}\b", text)))
    if year and years and str(year) not in years:
        problems.append(
            f"Judul berkas menyebut tahun {', '.join(years)}, bukan {year}: '{title[:160]}'. "
            "Pilih berkas tahun yang diimpor."
        )
    if unit is not None and _TYPE_MENTION.search(text):
        words = set(re.findall(r"[a-z0-9]+", text))
        own = {
            w
            for w in re.findall(r"[a-z0-9]+", f"{unit.name} {unit.city}".lower())
            if w not in _KIND_WORDS and len(w) > 2
        }
        if own and not own & words:
            problems.append(
                f"Judul berkas tidak menyebut {unit.name}: '{title[:160]}'. Pilih berkas unit ini."
            )
    return problems


def plan_summary(checked: CheckedFile) -> dict[str, Any]:
    """What the import will create and every problem with its place: for --json and the preview page."""
    if checked.fatal:
        return {
            "file": None,
            "goals": [],
            "indicators": [],
            "activities": [],
            "totals": {},
            "errors": [{"message": checked.fatal, "location": ""}],
            "warnings": [],
        }
    plan, table = checked.plan, checked.table
    assert plan is not None and table is not None  # a file that was read has both
    money = _whole_rupiah
    return {
        "file": table.filename,
        "sheet": table.sheet,
        "goals": [
            {"row": g.row, "number": g.number, "name": g.name, "code": g.code or None}
            for g in plan.goals
        ],
        "indicators": [
            {
                "row": i.row,
                "goal": plan.goals[i.goal_index].code or None,
                "number": i.number,
                "name": i.name,
                "code": i.code or None,
                "match": round(i.match_score, 3),
                "target": str(i.target) if i.target is not None else None,
                "target_unit": i.target_unit,
                "activity": i.activity.name if i.activity else None,
                "pagu": money(i.activity.pagu) if i.activity else None,
                "rpd": {
                    f"TW{q}": money(i.quarters[q].rpd) if q in i.quarters else None
                    for q in (1, 2, 3, 4)
                },
                "realised": {
                    f"TW{q}": money(i.quarters[q].realised) if q in i.quarters else None
                    for q in (1, 2, 3, 4)
                },
                "blocked_amount": money(i.blocked_amount),
                "status": i.status,
            }
            for i in plan.indicators
        ],
        "activities": [
            {
                "name": a.name,
                "pagu": money(a.pagu),
                "rpd": {f"TW{q}": money(v) for q, v in a.rpd.items()},
                "indicator_rows": a.indicator_rows,
            }
            for a in plan.activities
        ],
        "totals": {
            "pagu": money(plan.total_pagu),
            "rpd": money(plan.total_rpd),
            "activities": len(plan.activities),
            "indicators": len(plan.indicators),
            "goals": len(plan.goals),
        },
        "errors": [_problem(p, table) for p in plan.errors],
        "warnings": [_problem(p, table) for p in plan.warnings],
        # Where the file cannot tell: one entry per activity label, with the rows that ask.
        "questions": _questions(plan),
        "separate": sorted(plan.separate),
    }


def _questions(plan: ParsedPlan) -> list[dict[str, Any]]:
    asked: dict[str, dict[str, Any]] = {}
    for question in plan.questions:
        entry = asked.setdefault(
            question.key, {"key": question.key, "rows": [], "message": question.message}
        )
        entry["rows"].append(question.row)
    for key in sorted(plan.separate):
        asked.setdefault(
            key,
            {
                "key": key,
                "rows": [],
                "message": f"Kegiatan berlabel '{key}' dibaca sebagai anggaran tersendiri per IKK "
                "(pilihan Anda).",
            },
        )
    return list(asked.values())


def _whole_rupiah(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


def _problem(problem: Problem, table: Table) -> dict[str, Any]:
    return {
        "message": problem.message,
        "location": problem.location(table),
        "row": problem.row,
        "column": problem.column or None,
        "field": problem.field or None,
    }


def kept_check(checked: CheckedFile) -> dict[str, Any]:
    """The checked result as stored on an ImportRecord (plain JSON): the preview reads this and
    never parses the file again."""
    return {**plan_summary(checked), "ok": checked.ok, "checked": True}


@transaction.atomic
def renaksi_upload(
    *,
    unit: Unit,
    year: int,
    data: bytes,
    filename: str,
    by: User | None = None,
) -> ImportRecord:
    """Check an uploaded file once and keep it, with the result of the check, as a pending import
    for the preview and the confirmation."""
    limit = settings.KINERJA_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(refusal(filename, len(data), limit, "berkas Rencana Aksi"))
    checked = renaksi_check(data=data, filename=filename, year=year, unit=unit)
    record = ImportRecord(
        unit=unit,
        year=year,
        filename=filename,
        uploaded_by=by,
        status=ImportStatus.PENDING,
        summary=kept_check(checked),
    )
    record.file.save(filename, ContentFile(data), save=False)
    record.save()
    return record


@transaction.atomic
def renaksi_import(
    *,
    unit: Unit,
    year: int,
    data: bytes,
    filename: str,
    by: User | None = None,
    pending: ImportRecord | None = None,
    separate: frozenset[str] = frozenset(),
) -> ImportRecord:
    """Write the plan of a checked file as the facility's draft PK and Rencana Aksi for the year.

    All or nothing: any error leaves the database as it was. An existing draft PK of that year is
    replaced (its header and budget table kept); a signed one is refused (make a revision).
    """
    checked = renaksi_check(data=data, filename=filename, year=year, unit=unit, separate=separate)
    if not checked.ok:
        raise ImportRejected(checked)
    plan = checked.plan
    assert plan is not None  # ok implies a plan
    if not unit.is_facility:
        raise ValidationError("Rencana Aksi diimpor untuk UPT, bukan untuk Kanwil atau Ditjen.")
    agreement = PerjanjianKinerja.objects.latest_for(unit, year)
    if agreement is not None and agreement.status != PKStatus.DRAFT:
        raise ValidationError(
            f"Perjanjian Kinerja {unit} tahun {year} sudah ditandatangani; buat revisi sebelum mengimpor ulang."
        )
    if agreement is None:
        agreement = planning.pk_create(unit=unit, year=year, from_catalogue=False)
    else:
        planning.pk_plan_clear(agreement=agreement)

    catalogue = {
        i.code: i
        for i in Indicator.objects.filter(
            code__in=[i.code for i in plan.indicators]
        ).select_related("goal")
    }
    goals: dict[int, PKGoal] = {}
    for index, goal in enumerate(plan.goals):
        number = (
            int(goal.number) if (goal.number.isascii() and goal.number.isdigit()) else index + 1
        )
        name = Goal.objects.get(code=goal.code).name if goal.code else goal.name
        goals[index] = planning.pk_goal_add(
            agreement=agreement, level=Level.IKK, name=name, number=number
        )
    activities: dict[int, RAActivity] = {}
    for activity in plan.activities:
        activities[id(activity)] = planning.ra_activity_save(
            agreement=agreement,
            name=activity.name,
            pagu=activity.pagu or Decimal(0),
            disbursements={q: v or Decimal(0) for q, v in activity.rpd.items()},
            realised=activity.realised,
        )
    for position, item in enumerate(plan.indicators, 1):
        indicator = catalogue[item.code]
        unit_name = item.target_unit or indicator.unit
        if unit_name not in MeasureUnit.values:
            unit_name = indicator.unit
        row = planning.pk_indicator_add(
            goal=goals[item.goal_index],
            indicator=indicator,
            target=item.target,
            target_unit=unit_name,
            number=int(item.number)
            if (item.number.isascii() and item.number.isdigit())
            else position,
            formula_text=item.formula_text,
        )
        planning.ra_indicator_plan_set(
            pk_indicator=row,
            activity=activities[id(item.activity)] if item.activity else None,
            quarters=[
                planning.QuarterPlan(
                    quarter=q.quarter,
                    planned_activity=q.planned_activity,
                    evidence_expected=q.evidence,
                    achievement_text=q.achievement_text,
                )
                for q in item.quarters.values()
            ],
        )
        planning.ra_indicator_notes_set(
            pk_indicator=row,
            status=item.status,
            remarks=item.remarks,
            blocked_amount=item.blocked_amount,
        )
    summary = plan_summary(checked)
    kept = {
        "summary": {k: summary[k] for k in ("totals", "goals")},
        "warnings": summary["warnings"],
    }
    if pending is not None:
        pending.agreement, pending.status = agreement, ImportStatus.IMPORTED
        # The preview of an imported file shows what was imported, from the check made now.
        pending.summary, pending.warnings = kept_check(checked), kept["warnings"]
        pending.save(update_fields=["agreement", "status", "summary", "warnings"])
        return pending
    record = ImportRecord(
        unit=unit, year=year, agreement=agreement, filename=filename, uploaded_by=by, **kept
    )
    record.file.save(filename, ContentFile(data), save=False)
    record.save()
    return record
