"""The change log of one facility and year: every recorded change (django-simple-history) of its
PK, Rencana Aksi, results, budget, documents and organisation data, with who, when, the record,
each field's old and new value as the pages format them, and the reason.

Read set-based: one query per kind of record (the historical table, joined to what names the
record), one per kind of referenced record for the values, one for the users. The count does not
grow with the number of changes. Records are found through the historical tables of their parents,
so the history of a deleted row (a Rencana Aksi replaced by an import) is still listed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from kinerja.core.changes import local_text
from kinerja.core.formatting import (
    BULAN,
    TRIWULAN,
    format_date,
    format_number,
    format_rupiah,
    person_name,
)

KINDS = {
    "pk": "Perjanjian Kinerja",
    "renaksi": "Rencana Aksi",
    "realisasi": "Realisasi",
    "anggaran": "Anggaran",
    "dokumen": "Dokumen",
    "organisasi": "Organisasi",
}

# Bookkeeping columns: who and when are the history row's own; paths and sizes are derived.
HIDDEN = {
    "id",
    "path",
    "created_at",
    "updated_at",
    "at",
    "updated_by",
    "uploaded_by",
    "by",
    "file",
    "content_type",
    "size",
    "order",
}
# Money is shown as rupiah; every other decimal as a number with its own places.
MONEY = {
    "pagu",
    "blocked",
    "planned",
    "realised",
    "amount",
    "old_pagu",
    "new_pagu",
    "planned_disbursement",
    "blocked_amount",
}
LABELS = {
    "status": "status",
    "signed_by": "ditandatangani oleh",
    "signed_at": "waktu tanda tangan",
    "revision_of": "revisi dari",
    "user": "pengguna",
    "person": "pegawai",
    "unit": "unit",
    "agreement": "PK",
    "goal": "sasaran",
    "indicator": "indikator",
    "activity": "kegiatan pendanaan",
    "line": "baris DIPA",
    "parent": "induk",
    "value": "nilai",
}
# Parent links named by the record's own label: not repeated as a field.
PARENTS = {
    "agreement",
    "pk_indicator",
    "realization",
    "report",
    "line",
    "renstra",
    "region",
    "unit",
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    at: dt.datetime
    local: str  # the time in the facility's zone, as shown
    user: str  # "sistem" when the change was made outside a web request or the user is gone
    kind: str
    record: str
    action: str  # dibuat / diubah / dihapus
    fields: list[FieldChange] = field(default_factory=list)
    reason: str = ""
    model: str = ""
    object_id: int = 0


@dataclass(frozen=True)
class Source:
    kind: str
    model: type[models.Model]
    rows: Callable  # (unit, year, ids) -> queryset of historical rows
    describe: Callable  # (historical row, _Names) -> the record's name
    select: tuple[str, ...] = ()
    in_year: bool = False  # rows are the unit's whole history: keep those made in the year


class _Names:
    """Names of the parents a record hangs from, read from their historical tables (so a deleted
    parent still has its name), each kind in one query when first needed."""

    def __init__(self, ids: _Ids):
        self.ids = ids
        self._codes: dict[int, str] | None = None
        self._activities: dict[int, str] | None = None
        self._lines: dict[int, str] | None = None
        self._realizations: dict[int, tuple[int, str]] | None = None

    @staticmethod
    def _latest(qs, name) -> dict[int, Any]:
        result: dict[int, Any] = {}
        for record in qs.order_by("id", "-history_date", "-history_id"):
            result.setdefault(record.id, name(record))
        return result

    def code(self, pk_indicator_id) -> str:
        from kinerja.planning.models import PKIndicator

        if self._codes is None:
            self._codes = self._latest(
                PKIndicator.history.filter(id__in=self.ids.pk_indicators).select_related(
                    "indicator"
                ),
                lambda r: r.indicator.code if r.indicator else "?",
            )
        return self._codes.get(pk_indicator_id, "?")

    def activity(self, activity_id) -> str:
        from kinerja.planning.models import RAActivity

        if self._activities is None:
            self._activities = self._latest(
                RAActivity.history.filter(id__in=self.ids.activities), lambda r: r.name
            )
        return self._activities.get(activity_id, "?")

    def line(self, line_id) -> str:
        from kinerja.budget.models import DipaLine

        if self._lines is None:
            self._lines = self._latest(DipaLine.history.filter(id__in=self.ids.lines), _line)
        return self._lines.get(line_id, "?")

    def realization(self, realization_id) -> str:
        from kinerja.measurement.models import Realization

        if self._realizations is None:
            self._realizations = self._latest(
                Realization.history.filter(id__in=self.ids.realizations),
                lambda r: (r.pk_indicator_id, _period(r.quarter, r.month)),
            )
        pk_indicator_id, period = self._realizations.get(realization_id, (None, "?"))
        return f"{self.code(pk_indicator_id)} {period}"


def _line(line) -> str:
    return f"{line.code} {line.name}".strip()


def _period(quarter: int, month: int | None) -> str:
    return f"{BULAN[month - 1]} ({TRIWULAN[quarter]})" if month else TRIWULAN.get(quarter, "?")


class _Ids:
    """Subqueries over the historical tables: the ids a facility-year's records hang from."""

    def __init__(self, unit, year):
        from kinerja.budget.models import DipaLine
        from kinerja.measurement.models import Realization
        from kinerja.organizations.models import StaffReport
        from kinerja.planning.models import PerjanjianKinerja, PKIndicator, RAActivity, Renstra
        from kinerja.reporting.models import AnnualReport

        def ids(qs):
            return qs.values("id")

        self.agreements = ids(PerjanjianKinerja.history.filter(unit_id=unit.id, year=year))
        self.pk_indicators = ids(PKIndicator.history.filter(agreement_id__in=self.agreements))
        self.activities = ids(RAActivity.history.filter(agreement_id__in=self.agreements))
        self.realizations = ids(Realization.history.filter(pk_indicator_id__in=self.pk_indicators))
        self.lines = ids(DipaLine.history.filter(unit_id=unit.id, year=year))
        self.reports = ids(AnnualReport.history.filter(unit_id=unit.id, year=year))
        self.staff = ids(StaffReport.history.filter(unit_id=unit.id, year=year))
        self.renstras = ids(
            Renstra.history.filter(unit_id=unit.id, start_year__lte=year, end_year__gte=year)
        )


def sources() -> list[Source]:
    from kinerja.budget.models import (
        BudgetScore,
        DipaLine,
        EmonevMonth,
        PaguRevision,
        SpendingMonth,
        TarjaItem,
        YearSpending,
    )
    from kinerja.documents.models import ReportSection
    from kinerja.measurement.models import (
        EntryWindow,
        Evidence,
        MonitoringNote,
        PrintedResult,
        QuarterReport,
        Realization,
        VariableValue,
    )
    from kinerja.organizations.models import (
        HeadAppointment,
        Membership,
        Person,
        StaffRankCount,
        StaffReport,
        Unit,
    )
    from kinerja.planning.models import (
        PerjanjianKinerja,
        PKBudgetItem,
        PKGoal,
        PKIndicator,
        RAActivity,
        RAActivityQuarter,
        RAQuarter,
        Renstra,
        RenstraTarget,
    )
    from kinerja.reporting.models import AnnualReport, PrintedSignature, TeamMember
    from kinerja.review.models import Acceptance

    def unit_year(model):
        return lambda unit, year, ids: model.history.filter(unit_id=unit.id, year=year)

    return [
        # Perjanjian Kinerja
        Source(
            "pk",
            PerjanjianKinerja,
            unit_year(PerjanjianKinerja),
            lambda r, n: f"PK {r.year}" + (f" revisi {r.revision}" if r.revision else ""),
        ),
        Source(
            "pk",
            PKGoal,
            lambda u, y, i: PKGoal.history.filter(agreement_id__in=i.agreements),
            lambda r, n: f"Sasaran {r.level} {r.number}",
        ),
        Source(
            "pk",
            PKIndicator,
            lambda u, y, i: PKIndicator.history.filter(agreement_id__in=i.agreements),
            lambda r, n: f"Target PK {n.code(r.id)}",
        ),
        Source(
            "pk",
            PKBudgetItem,
            lambda u, y, i: PKBudgetItem.history.filter(agreement_id__in=i.agreements),
            lambda r, n: f"Anggaran PK: {r.name}",
        ),
        Source(
            "pk",
            Renstra,
            lambda u, y, i: Renstra.history.filter(id__in=i.renstras),
            lambda r, n: f"Renstra {r.start_year}-{r.end_year}",
        ),
        Source(
            "pk",
            RenstraTarget,
            lambda u, y, i: RenstraTarget.history.filter(renstra_id__in=i.renstras, year=y),
            lambda r, n: f"Target Renstra {r.indicator.code if r.indicator else '?'} {r.year}",
            ("indicator",),
        ),
        # Rencana Aksi
        Source(
            "renaksi",
            RAActivity,
            lambda u, y, i: RAActivity.history.filter(agreement_id__in=i.agreements),
            lambda r, n: f"Kegiatan {r.name}",
        ),
        Source(
            "renaksi",
            RAActivityQuarter,
            lambda u, y, i: RAActivityQuarter.history.filter(activity_id__in=i.activities),
            lambda r, n: f"RPD {n.activity(r.activity_id)} {TRIWULAN.get(r.quarter, '?')}",
        ),
        Source(
            "renaksi",
            RAQuarter,
            lambda u, y, i: RAQuarter.history.filter(pk_indicator_id__in=i.pk_indicators),
            lambda r, n: f"Rencana Aksi {n.code(r.pk_indicator_id)} {TRIWULAN.get(r.quarter, '?')}",
        ),
        # Results
        Source(
            "realisasi",
            QuarterReport,
            lambda u, y, i: QuarterReport.history.filter(agreement_id__in=i.agreements),
            lambda r, n: f"Laporan {TRIWULAN.get(r.quarter, '?')}",
        ),
        Source(
            "realisasi",
            Realization,
            lambda u, y, i: Realization.history.filter(pk_indicator_id__in=i.pk_indicators),
            lambda r, n: f"Realisasi {n.code(r.pk_indicator_id)} {_period(r.quarter, r.month)}",
        ),
        Source(
            "realisasi",
            VariableValue,
            lambda u, y, i: VariableValue.history.filter(realization_id__in=i.realizations),
            lambda r, n: f"Realisasi {n.realization(r.realization_id)} variabel {r.symbol}",
        ),
        Source(
            "realisasi",
            Evidence,
            lambda u, y, i: Evidence.history.filter(realization_id__in=i.realizations),
            lambda r, n: f"Data dukung {n.realization(r.realization_id)}",
        ),
        Source(
            "realisasi",
            MonitoringNote,
            lambda u, y, i: MonitoringNote.history.filter(pk_indicator_id__in=i.pk_indicators),
            lambda r, n: (
                f"Catatan monitoring {n.code(r.pk_indicator_id)} {TRIWULAN.get(r.quarter, '?')}"
            ),
        ),
        Source(
            "realisasi",
            EntryWindow,
            lambda u, y, i: EntryWindow.history.filter(region_id=u.parent_id, year=y),
            lambda r, n: f"Masa pengisian {TRIWULAN.get(r.quarter, '?')} (Kanwil)",
        ),
        # Budget
        Source(
            "anggaran",
            DipaLine,
            lambda u, y, i: DipaLine.history.filter(unit_id=u.id, year=y),
            lambda r, n: f"Baris DIPA {_line(r)}",
        ),
        Source(
            "anggaran",
            PaguRevision,
            lambda u, y, i: PaguRevision.history.filter(line_id__in=i.lines),
            lambda r, n: f"Revisi pagu {n.line(r.line_id)}",
        ),
        Source(
            "anggaran",
            SpendingMonth,
            lambda u, y, i: SpendingMonth.history.filter(line_id__in=i.lines),
            lambda r, n: (
                f"{n.line(r.line_id)} · {BULAN[r.month - 1] if 1 <= r.month <= 12 else r.month}"
            ),
        ),
        Source(
            "anggaran", BudgetScore, unit_year(BudgetScore), lambda r, n: "Nilai SMART DJA/IKPA"
        ),
        Source(
            "anggaran",
            YearSpending,
            unit_year(YearSpending),
            lambda r, n: f"Realisasi tahunan {r.get_spending_type_display()}",
        ),
        Source(
            "anggaran",
            EmonevMonth,
            unit_year(EmonevMonth),
            lambda r, n: f"e-Monev {BULAN[r.month - 1] if 1 <= r.month <= 12 else r.month}",
        ),
        Source("anggaran", TarjaItem, unit_year(TarjaItem), lambda r, n: f"TARJA no. {r.number}"),
        # Documents
        Source("dokumen", AnnualReport, unit_year(AnnualReport), lambda r, n: f"LKjIP {r.year}"),
        Source(
            "dokumen",
            ReportSection,
            lambda u, y, i: ReportSection.history.filter(report_id__in=i.reports),
            lambda r, n: f"Narasi LKjIP: {r.key}",
        ),
        Source(
            "dokumen",
            TeamMember,
            lambda u, y, i: TeamMember.history.filter(report_id__in=i.reports),
            lambda r, n: f"Tim penyusun: {r.person.name if r.person else '?'}",
            ("person",),
        ),
        Source(
            "dokumen",
            PrintedSignature,
            unit_year(PrintedSignature),
            lambda r, n: f"Tanda tangan tercetak {r.get_document_display()}: {r.location}",
        ),
        Source(
            "dokumen",
            PrintedResult,
            unit_year(PrintedResult),
            lambda r, n: f"Capaian tercetak {r.indicator.code if r.indicator else '?'}",
            ("indicator",),
        ),
        Source(
            "dokumen",
            Acceptance,
            unit_year(Acceptance),
            lambda r, n: f"Temuan reviu {r.rule} diterima",
        ),
        # Organisation: not per year, so the changes made in the year are listed.
        Source(
            "organisasi",
            Unit,
            lambda u, y, i: Unit.history.filter(id=u.id),
            lambda r, n: f"Data unit {r.name}",
            in_year=True,
        ),
        Source(
            "organisasi",
            Membership,
            lambda u, y, i: Membership.history.filter(unit_id=u.id),
            lambda r, n: f"Keanggotaan {_user_name(r.user) if r.user else '?'}",
            ("user",),
            in_year=True,
        ),
        Source(
            "organisasi",
            HeadAppointment,
            lambda u, y, i: HeadAppointment.history.filter(unit_id=u.id),
            lambda r, n: f"Kepala: {r.person.name if r.person else '?'}",
            ("person",),
            in_year=True,
        ),
        Source(
            "organisasi",
            Person,
            lambda u, y, i: Person.history.filter(unit_id=u.id),
            lambda r, n: f"Pegawai {r.name}",
            in_year=True,
        ),
        Source("organisasi", StaffReport, unit_year(StaffReport), lambda r, n: "Data pegawai"),
        Source(
            "organisasi",
            StaffRankCount,
            lambda u, y, i: StaffRankCount.history.filter(report_id__in=i.staff),
            lambda r, n: f"Data pegawai golongan {r.rank}",
        ),
    ]


_user_name = person_name


# How a referenced record is named in a value (one query per referenced model).
def _ref_label(obj) -> str:
    from kinerja.organizations.models import Person, Unit
    from kinerja.planning.models import PerjanjianKinerja, PKGoal, RAActivity

    if isinstance(obj, get_user_model()):
        return _user_name(obj)
    if isinstance(obj, Person | Unit | RAActivity):
        return obj.name
    if isinstance(obj, PerjanjianKinerja):
        return f"PK {obj.year}" + (f" revisi {obj.revision}" if obj.revision else "")
    if isinstance(obj, PKGoal):
        return f"{obj.level} {obj.number}. {obj.name[:60]}"
    if hasattr(obj, "code") and getattr(obj, "code", ""):
        return f"{obj.code} {getattr(obj, 'name', '')[:60]}".strip()
    return f"#{obj.pk}"


class _Formatter:
    """Values as the pages show them; references named after one query per referenced model."""

    def __init__(self, tz):
        self.tz = tz
        self.wanted: dict[type, set] = {}
        self.names: dict[tuple[type, object], str] = {}

    def want(self, f: models.Field, value) -> None:
        if f.is_relation and value is not None:
            self.wanted.setdefault(f.related_model, set()).add(value)

    def resolve(self) -> None:
        for model, ids in self.wanted.items():
            for obj in model._default_manager.filter(pk__in=ids):
                self.names[(model, obj.pk)] = _ref_label(obj)

    def text(self, f: models.Field, value) -> str:
        if value is None or value == "":
            return "—"
        if f.is_relation:
            return self.names.get((f.related_model, value), f"#{value} (dihapus)")
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "ya" if value else "tidak"
        if isinstance(value, Decimal):
            if f.name in MONEY:
                return format_rupiah(value)
            return format_number(value, getattr(f, "decimal_places", 2) or 0, trim=True)
        if isinstance(value, dt.datetime):
            return local_text(value, self.tz)
        if isinstance(value, dt.date):
            return format_date(value)
        if isinstance(value, dict):
            return "; ".join(f"{k}: {v}" for k, v in value.items()) or "—"
        text = str(value)
        return text if len(text) <= 300 else text[:300] + "…"


# A creation and a save right after it by the same user (get_or_create, then the values) read as
# one creation.
MERGE_WITHIN = dt.timedelta(seconds=5)


def _tracked_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN and not f.primary_key and f.editable
    ]


def _shown_on_create(f: models.Field, value) -> bool:
    # A new record lists what was filled in (a zero is filled in); its parent is already in the
    # record's name.
    if f.is_relation and f.name in PARENTS:
        return False
    return not (
        value is None or value is False or (isinstance(value, str | dict | list) and not value)
    )


class _FundsField:
    """The IKK a DIPA line funds, compared and shown like a field ("IKK-1.1, IKK-3.1")."""

    name = attname = "funds_text"
    verbose_name = "mendanai IKK"
    is_relation = primary_key = False
    choices = None
    null = False
    blank = empty_strings_allowed = True

    def has_default(self) -> bool:
        return True

    def get_default(self) -> str:
        return ""


FUNDS = _FundsField()


def _funds_snapshots(history_ids) -> dict[int, str]:
    from django.apps import apps

    through = apps.get_model("budget", "HistoricalDipaLine_funds")
    codes: dict[int, list[str]] = {}
    rows = through.objects.filter(history_id__in=history_ids).values_list(
        "history_id", "indicator__code"
    )
    for history_id, code in rows:
        codes.setdefault(history_id, []).append(code)
    return {h: ", ".join(sorted(c)) for h, c in codes.items()}


def _optional(f: models.Field) -> bool:
    return not f.is_relation and (
        f.has_default() or f.null or (f.empty_strings_allowed and f.blank)
    )


def _placeholder(record, fields, changed) -> bool:
    """Whether a new record held only its defaults and the save after it filled only those: made
    by get_or_create and filled right after, one action of the user."""
    optional = [f for f in fields if _optional(f)]
    return (
        bool(optional)
        and all(getattr(record, f.attname) == f.get_default() for f in optional)
        and all(_optional(f) for f, _, _ in changed)
    )


def _label(f: models.Field) -> str:
    # A field's own Indonesian name wins; LABELS names the fields that have none.
    if str(f.verbose_name) != f.name.replace("_", " "):
        return str(f.verbose_name)
    return LABELS.get(f.name, str(f.verbose_name))


def changes(
    unit,
    year: int,
    *,
    kind: str | None = None,
    models_only: set[str] | None = None,
    line_id: int | None = None,
) -> list[Entry]:
    """Every recorded change of the facility-year, newest first. `kind` keeps one of KINDS;
    `models_only` a set of model names; `line_id` one DIPA line with its months and revisions."""
    tz = zoneinfo.ZoneInfo(unit.local_time_zone)
    ids = _Ids(unit, year)
    names = _Names(ids)
    fmt = _Formatter(tz)
    staged = []  # (source, record, previous or None, changed fields, action or None)
    for source in sources():
        name = source.model.__name__
        if kind and source.kind != kind:
            continue
        if models_only and name not in models_only:
            continue
        qs = source.rows(unit, year, ids)
        if line_id is not None:
            if name == "DipaLine":
                qs = qs.filter(id=line_id)
            elif name in ("SpendingMonth", "PaguRevision"):
                qs = qs.filter(line_id=line_id)
            else:
                continue
        qs = qs.select_related("history_user", *source.select).order_by(
            "id", "history_date", "history_id"
        )
        fields = _tracked_fields(source.model)
        rows = list(qs)
        if name == "DipaLine":
            # The IKK a line funds (many-to-many): one snapshot per history row, in one query.
            funds = _funds_snapshots([r.history_id for r in rows])
            for record in rows:
                record.funds_text = funds.get(record.history_id, "")
            fields = [*fields, FUNDS]
        previous = {}
        created = {}  # object id -> index in staged of its creation, while it is the last entry
        for record in rows:
            before = previous.get(record.id)
            previous[record.id] = record
            if source.in_year and timezone.localtime(record.history_date, tz).year != year:
                continue
            if record.history_type == "-":
                changed = []
            elif record.history_type == "+" or before is None:
                changed = [
                    (f, None, getattr(record, f.attname))
                    for f in fields
                    if _shown_on_create(f, getattr(record, f.attname))
                ]
            else:
                changed = [
                    (f, getattr(before, f.attname), getattr(record, f.attname))
                    for f in fields
                    if getattr(before, f.attname) != getattr(record, f.attname)
                ]
                if not changed and not record.history_change_reason:
                    continue  # saved without a change
            for f, old, new in changed:
                fmt.want(f, old)
                fmt.want(f, new)
            last = created.get(record.id)
            if (
                record.history_type == "~"
                and last is not None
                and staged[last][1] is before
                and _placeholder(before, fields, changed)
                and before.history_user_id == record.history_user_id
                and record.history_date - before.history_date < MERGE_WITHIN
            ):
                # get_or_create then save: one creation with the values it was saved with.
                staged[last] = (
                    source,
                    record,
                    None,
                    [
                        (f, None, getattr(record, f.attname))
                        for f in fields
                        if _shown_on_create(f, getattr(record, f.attname))
                    ],
                    "dibuat",
                )
                for f, _, new in staged[last][3]:
                    fmt.want(f, new)
                continue
            created.pop(record.id, None)
            if record.history_type == "+":
                created[record.id] = len(staged)
            staged.append((source, record, before, changed, None))
    fmt.resolve()
    entries = []
    for source, record, _before, changed, action in staged:
        action = action or {"+": "dibuat", "-": "dihapus"}.get(record.history_type, "diubah")
        entries.append(
            Entry(
                at=record.history_date,
                local=local_text(record.history_date, tz),
                user=_user_name(record.history_user),
                kind=KINDS[source.kind],
                record=source.describe(record, names),
                action=action,
                fields=[
                    FieldChange(
                        _label(f), "—" if old is None else fmt.text(f, old), fmt.text(f, new)
                    )
                    for f, old, new in changed
                ],
                reason=record.history_change_reason or "",
                model=source.model.__name__,
                object_id=record.id,
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
