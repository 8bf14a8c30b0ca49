"""Completeness, timeliness and open review findings across facilities, set-based.

Selectors for the dashboards of a Kanwil and of the directorate (the UI includes the section
templates `dashboards/_completeness.html` and `dashboards/_findings.html`; the XLSX downloads in
`exports.py` read the same objects):

- `completeness(facilities, year, *, now=None, years_back=2) -> Completeness`
- `findings(facilities, year) -> Findings`

`facilities` is a Unit queryset the caller has already restricted (`Unit.objects.restrict(user,
"view")`) and filtered; only facilities (UPT) in it are read. Whatever the number of facilities,
`completeness` makes 4 + one per year queries (facilities, PKs per year, quarter reports, first
submissions, entry windows: 7 with the default two earlier years) and `findings` 3 (facilities, PKs,
stored review runs). Nothing is written.

Which PK counts: the one in force (`PerjanjianKinerja.objects.in_force`: the newest signed version,
else the newest version being prepared; docs/architecture.md "Locks"). Its quarter reports carry the
status; a signed revision carries over the reports with their workflow log, so the first submission
is the one the facility made, whatever version it was made on.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min, QuerySet
from django.utils import timezone

from kinerja import calc
from kinerja.calc import Timeliness
from kinerja.dashboards.rollup import agreements_in_force
from kinerja.measurement.models import EntryWindow, QuarterReport, RealizationStatus, Transition
from kinerja.organizations.models import Unit, UnitKind
from kinerja.review.models import ReviewRun

QUARTERS = (1, 2, 3, 4)

# The statuses in the order of the workflow, with the labels the dashboards use: "draft" stands for
# "not submitted" (no report yet, or a draft one).
STATUSES: tuple[tuple[str, str], ...] = (
    (RealizationStatus.DRAFT.value, "Belum diajukan"),
    (RealizationStatus.RETURNED.value, "Dikembalikan"),
    (RealizationStatus.SUBMITTED.value, "Diajukan"),
    (RealizationStatus.APPROVED.value, "Disetujui Kepala UPT"),
    (RealizationStatus.VERIFIED.value, "Diverifikasi Kanwil"),
    (RealizationStatus.LOCKED.value, "Dikunci"),
)
STATUS_LABELS = dict(STATUSES)
STATUS_ORDER = {key: i for i, (key, _) in enumerate(STATUSES)}
# Reported: submitted or further. A returned report went back to the facility: not reported.
REPORTED = frozenset({"submitted", "approved", "verified", "locked"})


@dataclass(frozen=True)
class QuarterStatus:
    """One facility's quarter report on its PK in force."""

    quarter: int
    status: str  # a key of STATUS_LABELS ("draft" also when there is no report)
    reason: str  # the return reason of a returned report
    submitted_on: dt.date | None  # the first submission, the facility's local date
    closes: dt.date | None  # the region's entry window for the quarter closes on this day
    timing: Timeliness
    late_days: int | None  # LATE: days after the closing day; OVERDUE: days until today

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def reported(self) -> bool:
        return self.status in REPORTED

    @property
    def timing_label(self) -> str:
        return self.timing.label

    @property
    def sort_value(self) -> int:
        """For sorting a table: further in the workflow first, later ones after, overdue last."""
        return STATUS_ORDER[self.status] * 1000 - (self.late_days or 0)


@dataclass
class FacilityCompleteness:
    unit: Unit
    region: Unit | None  # the facility's Kanwil
    agreement_id: int | None  # the PK in force; None: no PK for the year
    quarters: list[QuarterStatus] = field(default_factory=list)  # TW I-IV, empty without a PK

    @property
    def has_pk(self) -> bool:
        return self.agreement_id is not None

    def quarter(self, q: int) -> QuarterStatus | None:
        return self.quarters[q - 1] if self.quarters else None


@dataclass
class QuarterSummary:
    """Counts for one quarter over a set of facilities with a PK. Rates come from the counts."""

    quarter: int
    facilities: int = 0  # with a PK for the year
    counts: dict[str, int] = field(default_factory=lambda: {k: 0 for k, _ in STATUSES})
    timing: dict[Timeliness, int] = field(default_factory=lambda: {t: 0 for t in Timeliness})
    with_window: int = 0  # facilities whose region set a window for the quarter

    def add(self, status: QuarterStatus) -> None:
        self.facilities += 1
        self.counts[status.status] += 1
        self.timing[status.timing] += 1
        if status.closes is not None:
            self.with_window += 1

    @property
    def reported(self) -> int:
        return sum(n for k, n in self.counts.items() if k in REPORTED)

    @property
    def reporting_rate(self) -> Decimal | None:
        """Reported (submitted or further) / facilities with a PK × 100."""
        return calc.rate(self.reported, self.facilities)

    @property
    def on_time(self) -> int:
        return self.timing[Timeliness.ON_TIME]

    @property
    def late(self) -> int:
        return self.timing[Timeliness.LATE]

    @property
    def overdue(self) -> int:
        return self.timing[Timeliness.OVERDUE]

    @property
    def on_time_rate(self) -> Decimal | None:
        """First submitted on time / facilities with a PK whose region set a window × 100 (N/A
        without a window: nothing to be on time for)."""
        return calc.rate(self.on_time, self.with_window)

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in workflow order, for templates."""
        return [(k, label, self.counts[k]) for k, label in STATUSES]


@dataclass
class RegionCompleteness:
    unit: Unit  # the Kanwil
    facilities: list[FacilityCompleteness]
    quarters: list[QuarterSummary]


@dataclass
class YearRates:
    """One year's reporting rate per quarter (the trend over years)."""

    year: int
    quarters: list[QuarterSummary]


@dataclass
class Completeness:
    year: int
    facilities: list[FacilityCompleteness]  # every facility of the set, by region then name
    regions: list[RegionCompleteness]  # per Kanwil that has facilities in the set
    quarters: list[QuarterSummary]  # the whole set, TW I-IV
    years: list[YearRates]  # the earlier years asked for and this one, oldest first

    @property
    def without_pk(self) -> list[Unit]:
        return [f.unit for f in self.facilities if not f.has_pk]

    @property
    def with_pk(self) -> list[FacilityCompleteness]:
        return [f for f in self.facilities if f.has_pk]


def _facilities(facilities: QuerySet[Unit]) -> list[Unit]:
    # With the region and the directorate: the time zone is inherited from them.
    return list(
        facilities.filter(kind=UnitKind.UPT)
        .select_related("parent__parent")
        .order_by("parent__name", "name", "id")
    )


def _in_force(unit_ids: list[int], years: Iterable[int]) -> dict[tuple[int, int], int]:
    """Per (facility id, year) the id of the PK in force: `rollup.agreements_in_force` (the one
    set-based copy of `PerjanjianKinerja.objects.in_force`), one query per year."""
    return {
        (unit_id, year): pk.id
        for year in years
        for unit_id, pk in agreements_in_force(unit_ids, year).items()
    }


def _local_date(moment: dt.datetime, zone: str) -> dt.date:
    return timezone.localtime(moment, zoneinfo.ZoneInfo(zone)).date()


def completeness(
    facilities: QuerySet[Unit],
    year: int,
    *,
    now: dt.datetime | None = None,
    years_back: int = 2,
) -> Completeness:
    """Per facility and quarter the status of its quarter report on the PK in force, and its
    timeliness against the region's entry window; per region and overall the counts and rates per
    quarter; the reporting rates of `years_back` earlier years for the trend. `now` (default: the
    current time) gives each facility's today in its own time zone."""
    now = now or timezone.now()
    units = _facilities(facilities)
    years = list(range(year - years_back, year + 1))
    in_force = _in_force([u.id for u in units], years)
    reports = {
        (r["agreement_id"], r["quarter"]): r
        for r in QuarterReport.objects.filter(agreement_id__in=in_force.values()).values(
            "id", "agreement_id", "quarter", "status", "return_reason"
        )
    }
    first_submitted = dict(
        Transition.objects.filter(
            report__agreement_id__in=in_force.values(), to_status=RealizationStatus.SUBMITTED
        )
        .values("report_id")
        .annotate(first=Min("at"))
        .values_list("report_id", "first")
    )
    windows: dict[tuple[int | None, int, int], dt.date] = {
        (w["region_id"], w["year"], w["quarter"]): w["closes"]
        for w in EntryWindow.objects.filter(
            region_id__in={u.parent_id for u in units}, year__in=years
        ).values("region_id", "year", "quarter", "closes")
    }

    def statuses(unit: Unit, agreement_id: int, for_year: int) -> list[QuarterStatus]:
        zone = unit.local_time_zone
        today = _local_date(now, zone)
        out = []
        for q in QUARTERS:
            report = reports.get((agreement_id, q))
            status = report["status"] if report else RealizationStatus.DRAFT.value
            first = first_submitted.get(report["id"]) if report else None
            submitted_on = _local_date(first, zone) if first is not None else None
            closes = windows.get((unit.parent_id, for_year, q))
            timing, days = calc.timeliness(submitted_on, closes, today)
            out.append(
                QuarterStatus(
                    q,
                    status,
                    report["return_reason"] if report and status == "returned" else "",
                    submitted_on,
                    closes,
                    timing,
                    days,
                )
            )
        return out

    rows: list[FacilityCompleteness] = []
    by_region: dict[int | None, list[FacilityCompleteness]] = defaultdict(list)
    trend: dict[int, list[QuarterSummary]] = {
        y: [QuarterSummary(q) for q in QUARTERS] for y in years
    }
    for unit in units:
        for y in years:
            agreement_id = in_force.get((unit.id, y))
            if agreement_id is None:
                if y == year:
                    row = FacilityCompleteness(unit, unit.parent, None)
                    rows.append(row)
                    by_region[unit.parent_id].append(row)
                continue
            quarter_statuses = statuses(unit, agreement_id, y)
            for summary, status in zip(trend[y], quarter_statuses, strict=True):
                summary.add(status)
            if y == year:
                row = FacilityCompleteness(unit, unit.parent, agreement_id, quarter_statuses)
                rows.append(row)
                by_region[unit.parent_id].append(row)

    regions = []
    for members in by_region.values():
        region = members[0].region
        if region is None:
            continue
        summaries = [QuarterSummary(q) for q in QUARTERS]
        for member in members:
            for summary, status in zip(summaries, member.quarters, strict=False):
                summary.add(status)
        regions.append(RegionCompleteness(region, members, summaries))
    regions.sort(key=lambda r: (r.unit.name, r.unit.id))
    return Completeness(
        year=year,
        facilities=rows,
        regions=regions,
        quarters=trend[year],
        years=[YearRates(y, trend[y]) for y in years],
    )


# --- Open review findings ------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilityFindings:
    """The stored counts of a facility's latest review for the year (`ReviewRun`)."""

    unit: Unit
    has_pk: bool
    run: ReviewRun | None  # None: never reviewed ("belum direviu") or no PK

    @property
    def reviewed(self) -> bool:
        return self.run is not None

    @property
    def open(self) -> int | None:
        return self.run.open if self.run is not None else None


@dataclass
class Findings:
    year: int
    facilities: list[FacilityFindings]

    @property
    def with_pk(self) -> list[FacilityFindings]:
        return [f for f in self.facilities if f.has_pk]

    @property
    def not_reviewed(self) -> int:
        """Facilities with a PK and no stored review run."""
        return sum(1 for f in self.with_pk if not f.reviewed)

    def total(self, what: str) -> int:
        """Sum of one count ("errors", "warnings", "notes", "accepted") over the reviewed facilities."""
        return sum(getattr(f.run, what) for f in self.with_pk if f.run is not None)

    @property
    def errors(self) -> int:
        return self.total("errors")

    @property
    def warnings(self) -> int:
        return self.total("warnings")

    @property
    def notes(self) -> int:
        return self.total("notes")


def findings(facilities: QuerySet[Unit], year: int) -> Findings:
    """Per facility the open findings of its stored review for the year (errors, warnings, notes,
    accepted, when and by what it ran); a facility with a PK and no stored run is "belum direviu".
    Reads the stored counts only: nothing runs (a review run is a POST)."""
    units = _facilities(facilities)
    in_force = _in_force([u.id for u in units], [year])
    runs = {
        r.unit_id: r for r in ReviewRun.objects.filter(unit_id__in=[u.id for u in units], year=year)
    }
    rows = []
    for unit in units:
        has_pk = (unit.id, year) in in_force
        rows.append(FacilityFindings(unit, has_pk, runs.get(unit.id) if has_pk else None))
    # Most errors first, then warnings, then notes; never-reviewed ones after the reviewed.
    rows.sort(
        key=lambda f: (
            not f.has_pk,
            f.run is None,
            -(f.run.errors if f.run else 0),
            -(f.run.warnings if f.run else 0),
            -(f.run.notes if f.run else 0),
            f.unit.name,
        )
    )
    return Findings(year, rows)
