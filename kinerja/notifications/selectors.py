"""What waits for a user (daftar tugas): quarters to fill, to approve, to verify, returned ones with
the reason, and the deadlines of open entry windows. A fixed number of queries whatever the number
of facilities and quarters (one for the memberships, one for the facilities, then one each for the
windows, the signed PKs and the quarter reports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kinerja.core.formatting import TRIWULAN, format_number
from kinerja.measurement.models import EntryWindow, QuarterReport, RealizationStatus
from kinerja.notifications.models import Notification
from kinerja.notifications.services import days_left_text, fill_link, signed_years
from kinerja.organizations.models import Membership, Role, Unit
from kinerja.planning.models import PKStatus

S = RealizationStatus
FACILITY_ROLES = {Role.OPERATOR, Role.HEAD}

# The order of the list: what was sent back first, then what has a deadline, then approvals.
ORDER = {
    "returned": 0,
    "follow_up": 1,
    "fill": 2,
    "approve": 3,
    "verify": 4,
    "evaluate": 5,
    "deadline": 6,
}
# A recommendation's follow-up shows this many days before its deadline (and after it, until done).
FOLLOW_UP_DAYS = 14


@dataclass
class TodoItem:
    """One thing to do. `facilities` lists the facilities of a grouped item (to verify, a
    region's deadline) with the link to each."""

    kind: str  # returned, follow_up, fill, approve, verify, evaluate, deadline
    title: str
    link: str
    unit: Unit
    year: int
    quarter: int | None
    reason: str = ""
    closes: dt.date | None = None
    days_left: int | None = None
    note: str = ""
    facilities: list[tuple[Unit, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{TRIWULAN[self.quarter]} {self.year}" if self.quarter else str(self.year)

    @property
    def days_left_text(self) -> str:
        return "" if self.days_left is None else days_left_text(self.days_left)


def _below(units: list[Unit]) -> Q:
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(path__startswith=unit.path)
    return q


def todo(user: AbstractBaseUser | AnonymousUser, today: dt.date | None = None) -> list[TodoItem]:
    """The user's to-do list. `today` (a frozen date) replaces each unit's own local date."""
    if not user.is_authenticated or not user.is_active:
        return []
    memberships = list(
        Membership.objects.filter(
            user_id=user.pk, role__in=[Role.OPERATOR, Role.HEAD, Role.EVALUATOR, Role.AUDITOR]
        ).select_related("unit")
    )
    if not memberships:
        return []
    facilities = list(
        Unit.objects.facilities()
        .filter(_below([m.unit for m in memberships]))
        .select_related("parent__parent")
        .order_by("name")
    )
    roles: dict[int, set[str]] = {}
    for facility in facilities:
        roles[facility.id] = {m.role for m in memberships if facility.path.startswith(m.unit.path)}
    mine = [f for f in facilities if roles[f.id] & FACILITY_ROLES]  # operator or head
    heads = [f.id for f in facilities if Role.HEAD in roles[f.id]]
    evaluated = [f for f in facilities if Role.EVALUATOR in roles[f.id]]
    assessed = [f for f in facilities if roles[f.id] & {Role.EVALUATOR, Role.AUDITOR}]
    regions = {f.parent_id: f.parent for f in facilities if f.parent is not None}

    # Open entry windows, each by its region's own date (a facility's by its own, below).
    base = today or timezone.localdate()
    windows = [
        w
        for w in EntryWindow.objects.filter(
            region_id__in=list(regions),
            opens__lte=base + dt.timedelta(days=1),
            closes__gte=base - dt.timedelta(days=1),
        ).order_by("closes", "region_id")
    ]
    statuses: dict[tuple[int, int, int], tuple[str, str]] = {}
    periods = Q(status=S.RETURNED, agreement__unit__in=[f.id for f in mine])
    periods |= Q(status=S.SUBMITTED, agreement__unit__in=heads)
    periods |= Q(status=S.APPROVED, agreement__unit__in=[f.id for f in evaluated])
    for w in windows:
        periods |= Q(
            agreement__unit__parent_id=w.region_id, agreement__year=w.year, quarter=w.quarter
        )
    for unit_id, year, quarter, status, reason in (
        QuarterReport.objects.filter(periods, agreement__unit__in=[f.id for f in facilities])
        .exclude(agreement__status=PKStatus.SUPERSEDED)
        .order_by("agreement__revision")  # a later version's status wins
        .values_list("agreement__unit_id", "agreement__year", "quarter", "status", "return_reason")
    ):
        statuses[(unit_id, year, quarter)] = (status, reason)
    signed = signed_years(mine, {w.year for w in windows}) if windows and mine else set()

    items: list[TodoItem] = []
    by_id = {f.id: f for f in facilities}
    verify_groups: dict[tuple[int, int, int], TodoItem] = {}
    for (unit_id, year, quarter), (status, reason) in sorted(statuses.items()):
        facility = by_id[unit_id]
        entry = reverse("entry", args=[facility.slug, year, quarter])
        label = f"{TRIWULAN[quarter]} {year}"
        if status == S.RETURNED and facility in mine:
            items.append(
                TodoItem(
                    "returned",
                    f"Perbaiki realisasi {label} {facility.name} yang dikembalikan",
                    entry,
                    facility,
                    year,
                    quarter,
                    reason=reason,
                )
            )
        elif status == S.SUBMITTED and unit_id in heads:
            items.append(
                TodoItem(
                    "approve",
                    f"Setujui realisasi {label} {facility.name}",
                    entry,
                    facility,
                    year,
                    quarter,
                    note="Diajukan operator; menunggu persetujuan Anda.",
                )
            )
        elif status == S.APPROVED and facility in evaluated and facility.parent:
            region = facility.parent
            group = verify_groups.get((region.id, year, quarter))
            if group is None:
                group = verify_groups[(region.id, year, quarter)] = TodoItem(
                    "verify",
                    f"Verifikasi realisasi {label} {region.name}",
                    f"{reverse('region', args=[region.slug])}?tahun={year}&tw={quarter}",
                    region,
                    year,
                    quarter,
                )
                items.append(group)
            group.facilities.append((facility, entry))
            group.note = (
                f"{format_number(len(group.facilities), 0)} UPT disetujui Kepala UPT dan "
                "menunggu verifikasi Anda:"
            )

    for window in windows:
        region = regions[window.region_id]
        label = f"{TRIWULAN[window.quarter]} {window.year}"
        waiting = []
        for facility in (f for f in facilities if f.parent_id == window.region_id):
            status, _ = statuses.get((facility.id, window.year, window.quarter), (S.DRAFT, ""))
            local = today or facility.local_today()
            if not window.opens <= local <= window.closes or status not in (S.DRAFT, S.RETURNED):
                continue
            waiting.append(facility)
            days = (window.closes - local).days
            returned = next(
                (
                    i
                    for i in items
                    if i.kind == "returned"
                    and (i.unit.id, i.year, i.quarter) == (facility.id, window.year, window.quarter)
                ),
                None,
            )
            if returned is not None:  # the returned item carries the deadline
                returned.closes, returned.days_left = window.closes, days
            elif facility in mine:
                has_pk = (facility.id, window.year) in signed
                items.append(
                    TodoItem(
                        "fill",
                        f"Isi dan ajukan realisasi {label} {facility.name}",
                        fill_link(facility, window.year, window.quarter, has_pk),
                        facility,
                        window.year,
                        window.quarter,
                        closes=window.closes,
                        days_left=days,
                        note=""
                        if has_pk
                        else f"Perjanjian Kinerja {window.year} belum ditandatangani: "
                        "lengkapi dan tandatangani dulu.",
                    )
                )
        in_region = [f for f in evaluated if f.parent_id == window.region_id]
        local = today or region.local_today()
        if in_region and window.opens <= local <= window.closes:
            total = len(in_region)
            late = [f for f in waiting if f in in_region]
            items.append(
                TodoItem(
                    "deadline",
                    f"Masa pengisian {label} {region.name}",
                    f"{reverse('region', args=[region.slug])}?tahun={window.year}"
                    f"&tw={window.quarter}",
                    region,
                    window.year,
                    window.quarter,
                    closes=window.closes,
                    days_left=(window.closes - local).days,
                    note=(
                        f"{format_number(len(late), 0)} dari {format_number(total, 0)} UPT "
                        "belum mengajukan:"
                        if late
                        else f"Semua {format_number(total, 0)} UPT sudah mengajukan."
                    ),
                    facilities=[
                        (f, f"{reverse('unit_detail', args=[f.slug])}?tahun={window.year}")
                        for f in late
                    ],
                )
            )
    items += _evaluation_items(mine, assessed, base)
    items.sort(key=lambda i: (ORDER[i.kind], i.closes or dt.date.max, -i.year, -(i.quarter or 0)))
    return items


def _evaluation_items(mine: list[Unit], assessed: list[Unit], base: dt.date) -> list[TodoItem]:
    """The AKIP evaluation's part of the list: for the facility, recommendations whose follow-up is
    due within FOLLOW_UP_DAYS or overdue; for its evaluator or auditor, submitted self-assessments
    to evaluate. Two queries."""
    from kinerja.evaluation.models import Evaluation, EvaluationStatus, Recommendation

    items = []
    if mine:
        for r in (
            Recommendation.objects.filter(
                evaluation__unit__in=[f.id for f in mine],
                evaluation__status=EvaluationStatus.FINAL,
                deadline__lte=base + dt.timedelta(days=FOLLOW_UP_DAYS + 1),
            )
            .exclude(follow_ups__done=True)
            .select_related("evaluation__unit__parent__parent")
            .order_by("deadline", "id")
        ):
            unit = r.evaluation.unit
            items.append(
                TodoItem(
                    "follow_up",
                    f"Tindak lanjuti rekomendasi evaluasi AKIP {r.evaluation.year} {unit.name}",
                    reverse("lke", args=[unit.slug, r.evaluation.year]) + f"#r{r.id}",
                    unit,
                    r.evaluation.year,
                    None,
                    closes=r.deadline,
                    days_left=(r.deadline - unit.local_today()).days,
                    note=r.text[:200],
                )
            )
    if assessed:
        for evaluation in (
            Evaluation.objects.filter(
                unit__in=[f.id for f in assessed], status=EvaluationStatus.SUBMITTED
            )
            .select_related("unit__parent__parent")
            .order_by("submitted_at", "id")
        ):
            unit = evaluation.unit
            items.append(
                TodoItem(
                    "evaluate",
                    f"Evaluasi AKIP {evaluation.year} {unit.name}",
                    reverse("lke", args=[unit.slug, evaluation.year]),
                    unit,
                    evaluation.year,
                    None,
                    note="Penilaian mandiri sudah diajukan dan menunggu penilaian Anda.",
                )
            )
    return items


def unread_count(user: AbstractBaseUser | AnonymousUser) -> int:
    """Unread notifications the user may see (one query)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.visible_to(user).unread().count()
