"""Telling people what waits for them: a notification (in the application and by e-mail) on every
quarter transition, and reminders before an entry window closes. The only writers of
notifications; idempotent by the notification's unique key."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from kinerja.core.formatting import TRIWULAN, format_date, format_number, person_name
from kinerja.measurement.models import EDITABLE, EntryWindow, QuarterReport, RealizationStatus
from kinerja.notifications.models import Kind, Notification
from kinerja.organizations.access import may
from kinerja.organizations.models import Membership, Role, Unit, UnitKind
from kinerja.planning.models import PerjanjianKinerja, PKStatus

logger = logging.getLogger(__name__)
S = RealizationStatus

# Reminders go out this many days before a window closes (the nearest one still ahead: a run
# missed on day 7 sends the 7-day reminder on day 6, never both it and the 3-day one).
REMINDER_DAYS = (7, 3, 1)
# The region's list of late facilities is sent once, on the first run within this many days after
# the window closed (so a few missed runs still send it, an old window never).
LATE_LIST_DAYS = 7


@dataclass(frozen=True)
class Message:
    """One notification to be recorded for one user."""

    user: User
    kind: str
    text: str
    link: str
    key: str
    unit: Unit | None = None
    year: int | None = None
    quarter: int | None = None


def days_left_text(days: int) -> str:
    """'ditutup hari ini', '1 hari lagi', '3 hari lagi'; 'sudah ditutup 2 hari' when past."""
    if days == 0:
        return "hari ini"
    if days < 0:
        return f"lewat {format_number(-days, 0)} hari"
    return f"{format_number(days, 0)} hari lagi"


def absolute(link: str) -> str:
    """A link of the application as an address an e-mail can carry (KINERJA_BASE_URL)."""
    return settings.KINERJA_BASE_URL.rstrip("/") + link if link.startswith("/") else link


def deliver(messages: Iterable[Message], *, dry_run: bool = False) -> list[Notification]:
    """Record each message once (a key already recorded is skipped: never the same thing twice),
    each in its own transaction, then e-mail it to a user who has an address. A failing e-mail
    is logged and leaves the notification in the application; nothing is undone."""
    created: list[Notification] = []
    pending = list(messages)
    if not pending:
        return created
    known = set(
        Notification.objects.filter(key__in=[m.key for m in pending]).values_list("key", flat=True)
    )
    for message in pending:
        if message.key in known:
            continue
        known.add(message.key)
        notification = Notification(
            user=message.user,
            kind=message.kind,
            text=message.text,
            link=message.link,
            unit=message.unit,
            year=message.year,
            quarter=message.quarter,
            key=message.key,
        )
        if dry_run:
            created.append(notification)
            continue
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:  # recorded meanwhile by another run: that one sends it
            continue
        created.append(notification)
        if message.user.email:
            _email(notification)
    return created


def _email(notification: Notification) -> None:
    subject = f"[Kinerja] {notification.get_kind_display()}"
    if notification.quarter and notification.year:
        subject += f" {TRIWULAN[notification.quarter]} {notification.year}"
    if notification.unit is not None:
        subject += f" — {notification.unit.name}"
    body = notification.text
    if notification.link:
        body += f"\n\nBuka: {absolute(notification.link)}"
    body += "\n\nPesan ini dikirim otomatis oleh Kinerja; semua pemberitahuan ada di " + absolute(
        reverse("notifications")
    )
    try:
        send_mail(subject, body, None, [notification.user.email], fail_silently=False)
    except Exception:
        logger.exception(
            "e-mail of notification %s to %s failed", notification.key, notification.user
        )
        return
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])


# --- Quarter transitions -------------------------------------------------------------------------

# Who must act (or learn) after a transition, by the status reached: roles on the facility, and
# whether the region's evaluators are told.
RECIPIENTS: dict[str, tuple[set[str], bool]] = {
    S.SUBMITTED: ({Role.HEAD}, True),
    S.APPROVED: ({Role.OPERATOR}, True),
    S.RETURNED: ({Role.OPERATOR, Role.HEAD}, False),
    S.VERIFIED: ({Role.OPERATOR, Role.HEAD}, False),
    S.LOCKED: ({Role.OPERATOR, Role.HEAD}, False),
}


def _transition_kind(from_status: str, to_status: str) -> str:
    if to_status == S.RETURNED:
        return Kind.QUARTER_REOPENED if from_status == S.LOCKED else Kind.QUARTER_RETURNED
    kinds: dict[str, str] = {
        S.SUBMITTED: Kind.QUARTER_SUBMITTED,
        S.APPROVED: Kind.QUARTER_APPROVED,
        S.VERIFIED: Kind.QUARTER_VERIFIED,
        S.LOCKED: Kind.QUARTER_LOCKED,
    }
    return kinds[to_status]


def _transition_text(kind: str, label: str, unit: Unit, by: User | None, reason: str) -> str:
    who = person_name(by)
    texts: dict[str, str] = {
        Kind.QUARTER_SUBMITTED: f"Realisasi {label} {unit.name} diajukan oleh {who} dan "
        "menunggu persetujuan Kepala UPT.",
        Kind.QUARTER_APPROVED: f"Realisasi {label} {unit.name} disetujui oleh {who} dan "
        "menunggu verifikasi Kanwil.",
        Kind.QUARTER_RETURNED: f"Realisasi {label} {unit.name} dikembalikan oleh {who} untuk "
        f"diperbaiki. Alasan: {reason}",
        Kind.QUARTER_REOPENED: f"Realisasi {label} {unit.name} dibuka kembali oleh {who}. "
        f"Alasan: {reason}",
        Kind.QUARTER_VERIFIED: f"Realisasi {label} {unit.name} diverifikasi Kanwil oleh {who}.",
        Kind.QUARTER_LOCKED: f"Realisasi {label} {unit.name} dikunci oleh {who}; angkanya kini "
        "angka resmi.",
    }
    return texts[kind]


def transition_notify(
    *,
    report: QuarterReport,
    transition_id: int,
    from_status: str,
    to_status: str,
    by: User | None,
    reason: str = "",
) -> list[Notification]:
    """Tell the people who act next about a quarter transition (never the one who made it):
    submitted → the facility head and the region's evaluators; approved → the region's evaluators
    and the facility's operators; returned, reopened, verified, locked → the facility's operators
    and head."""
    if to_status not in RECIPIENTS:
        return []
    roles, region_too = RECIPIENTS[to_status]
    agreement = report.agreement
    unit = agreement.unit
    who = Q(unit_id=unit.id, role__in=roles)
    if region_too and unit.parent_id:
        who |= Q(unit_id=unit.parent_id, role=Role.EVALUATOR)
    users = {
        m.user_id: m.user
        for m in Membership.objects.filter(who, user__is_active=True).select_related("user")
    }
    if by is not None:
        users.pop(by.pk, None)
    kind = _transition_kind(from_status, to_status)
    label = f"{TRIWULAN[report.quarter]} {agreement.year}"
    text = _transition_text(kind, label, unit, by, reason)
    link = reverse("entry", args=[unit.slug, agreement.year, report.quarter])
    return deliver(
        Message(
            user=user,
            kind=kind,
            text=text,
            link=link,
            key=f"transisi:{transition_id}:{user_id}",
            unit=unit,
            year=agreement.year,
            quarter=report.quarter,
        )
        for user_id, user in sorted(users.items())
    )


# --- Reminders -------------------------------------------------------------------------------


@dataclass
class RemindResult:
    """What a reminder run sent (or, dry, would send): notifications per kind, e-mails."""

    notifications: list[Notification] = field(default_factory=list)
    dry_run: bool = False

    @property
    def counts(self) -> Counter[str]:
        return Counter(n.kind for n in self.notifications)

    @property
    def emails(self) -> int:
        """E-mails sent (a failed one is not counted); in a dry run, those that would be."""
        if self.dry_run:
            return sum(1 for n in self.notifications if n.user.email)
        return sum(1 for n in self.notifications if n.emailed_at is not None)


def reminder_threshold(days_left: int) -> int | None:
    """The reminder due with this many days left (the nearest of 7, 3, 1 still ahead), or None."""
    due = [d for d in REMINDER_DAYS if d >= days_left]
    return min(due) if due and days_left >= 0 else None


def _local_today(unit: Unit, today: dt.date | None) -> dt.date:
    return today or unit.local_today()


def remind(*, today: dt.date | None = None, dry_run: bool = False) -> RemindResult:
    """Send the reminders due today: 7, 3 and 1 days before an entry window closes, to the
    operators and head of each facility of the region whose quarter is not submitted (draft,
    returned or no report); to the region's evaluators the list of who has not submitted yet, and
    after the window closed, once, who is late. `today` (a frozen date) replaces each unit's own
    local date. Never sends the same reminder twice (unique keys); a fixed number of queries."""
    base = today or timezone.localdate()
    # Indonesia's zones lie within a day of the server's date; each unit's own date decides below.
    windows = list(
        EntryWindow.objects.filter(
            opens__lte=base + dt.timedelta(days=1),
            closes__gte=base - dt.timedelta(days=LATE_LIST_DAYS + 1),
            region__kind=UnitKind.KANWIL,
        ).select_related("region__parent")
    )
    result = RemindResult(dry_run=dry_run)
    messages: list[Message] = _follow_up_reminders(base, today)
    if not windows:
        result.notifications = deliver(messages, dry_run=dry_run)
        return result
    facilities = list(
        Unit.objects.facilities()
        .filter(parent_id__in={w.region_id for w in windows})
        .select_related("parent__parent")
        .order_by("name")
    )
    submitted = _submitted(facilities, windows)
    signed = signed_years(facilities, {w.year for w in windows})
    members: dict[tuple[int, str], list[User]] = {}
    for m in (
        Membership.objects.filter(
            Q(unit__in=facilities, role__in=[Role.OPERATOR, Role.HEAD])
            | Q(unit_id__in={w.region_id for w in windows}, role=Role.EVALUATOR),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    ):
        people = members.setdefault((m.unit_id, m.role), [])
        if m.user not in people:
            people.append(m.user)
    by_region: dict[int, list[Unit]] = {}
    for facility in facilities:
        by_region.setdefault(facility.parent_id or 0, []).append(facility)

    for window in windows:
        label = f"{TRIWULAN[window.quarter]} {window.year}"
        region = window.region
        waiting = [f for f in by_region.get(region.id, []) if (f.id, window.id) not in submitted]
        for facility in waiting:
            local = _local_today(facility, today)
            days = (window.closes - local).days
            threshold = reminder_threshold(days)
            if window.opens > local or threshold is None:
                continue
            link = fill_link(
                facility, window.year, window.quarter, (facility.id, window.year) in signed
            )
            text = (
                f"Masa pengisian realisasi {label} ditutup {format_date(window.closes)} "
                f"({days_left_text(days)}). {facility.name} belum mengajukan realisasi {label}."
            )
            recipients = members.get((facility.id, Role.OPERATOR), []) + members.get(
                (facility.id, Role.HEAD), []
            )
            messages += [
                Message(
                    user=user,
                    kind=Kind.DEADLINE,
                    text=text,
                    link=link,
                    key=f"pengingat:{window.id}:{threshold}:{facility.id}:{user.pk}",
                    unit=facility,
                    year=window.year,
                    quarter=window.quarter,
                )
                for user in dict.fromkeys(recipients)
            ]
        evaluators = members.get((region.id, Role.EVALUATOR), [])
        if not waiting or not evaluators:
            continue
        local = _local_today(region, today)
        days = (window.closes - local).days
        names = ", ".join(f.name for f in waiting)
        total = len(by_region.get(region.id, []))
        link = f"{reverse('region', args=[region.slug])}?tahun={window.year}&tw={window.quarter}"
        count = f"{format_number(len(waiting), 0)} dari {format_number(total, 0)} UPT"
        if window.opens <= local and (threshold := reminder_threshold(days)) is not None:
            kind, key = Kind.NOT_SUBMITTED, f"belum:{window.id}:{threshold}"
            text = (
                f"Masa pengisian realisasi {label} {region.name} ditutup "
                f"{format_date(window.closes)} ({days_left_text(days)}). {count} belum "
                f"mengajukan: {names}."
            )
        elif 0 < -days <= LATE_LIST_DAYS:
            kind, key = Kind.LATE, f"terlambat:{window.id}"
            text = (
                f"Masa pengisian realisasi {label} {region.name} ditutup "
                f"{format_date(window.closes)}. {count} terlambat (belum mengajukan): {names}."
            )
        else:
            continue
        messages += [
            Message(
                user=user,
                kind=kind,
                text=text,
                link=link,
                key=f"{key}:{user.pk}",
                unit=region,
                year=window.year,
                quarter=window.quarter,
            )
            for user in evaluators
        ]
    result.notifications = deliver(messages, dry_run=dry_run)
    return result


def _follow_up_reminders(base: dt.date, today: dt.date | None) -> list[Message]:
    """Recommendations of finished AKIP evaluations without a finished follow-up: 7, 3 and 1 days
    before their deadline to the facility's operators and head, and once after it passed to them
    and to the evaluator who finished the evaluation. A fixed number of queries."""
    from kinerja.evaluation.models import EvaluationStatus, Recommendation

    open_ = list(
        Recommendation.objects.filter(
            evaluation__status=EvaluationStatus.FINAL,
            deadline__lte=base + dt.timedelta(days=max(REMINDER_DAYS) + 1),
        )
        .exclude(follow_ups__done=True)
        .select_related("evaluation__unit__parent__parent", "evaluation__finished_by")
        .order_by("deadline", "id")
    )
    if not open_:
        return []
    units = {r.evaluation.unit_id for r in open_}
    staff: dict[int, list[User]] = {}
    for m in (
        Membership.objects.filter(
            unit_id__in=units, role__in=[Role.OPERATOR, Role.HEAD], user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    ):
        people = staff.setdefault(m.unit_id, [])
        if m.user not in people:
            people.append(m.user)
    messages = []
    for r in open_:
        unit = r.evaluation.unit
        days = (r.deadline - _local_today(unit, today)).days
        link = reverse("lke", args=[unit.slug, r.evaluation.year]) + "#rekomendasi"
        recipients = list(staff.get(unit.id, []))
        threshold = reminder_threshold(days)
        if threshold is not None:
            key = f"rekomendasi:{r.id}:{threshold}"
            text = (
                f"Batas tindak lanjut rekomendasi evaluasi AKIP {r.evaluation.year} {unit.name} "
                f"{format_date(r.deadline)} ({days_left_text(days)}): {r.text[:200]}"
            )
        elif days < 0:
            key = f"rekomendasi-lewat:{r.id}"
            text = (
                f"Rekomendasi evaluasi AKIP {r.evaluation.year} {unit.name} lewat batas "
                f"{format_date(r.deadline)} tanpa tindak lanjut selesai: {r.text[:200]}"
            )
            finisher = r.evaluation.finished_by
            if (
                finisher is not None
                and finisher.is_active
                and finisher not in recipients
                and may(finisher, unit, "view")
            ):
                recipients.append(finisher)
        else:
            continue
        messages += [
            Message(
                user=user,
                kind=Kind.FOLLOW_UP,
                text=text,
                link=link,
                key=f"{key}:{user.pk}",
                unit=unit,
                year=r.evaluation.year,
            )
            for user in recipients
        ]
    return messages


def _submitted(facilities: list[Unit], windows: list[EntryWindow]) -> set[tuple[int, int]]:
    """(facility id, window id) of every facility whose quarter of that window is submitted or
    further, on a version of its PK that is not superseded. One query."""
    if not facilities:
        return set()
    periods = Q()
    for w in windows:
        periods |= Q(
            agreement__unit__parent_id=w.region_id, agreement__year=w.year, quarter=w.quarter
        )
    rows = (
        QuarterReport.objects.filter(periods, agreement__unit__in=facilities)
        .exclude(agreement__status=PKStatus.SUPERSEDED)
        .exclude(status__in=EDITABLE)
        .values_list(
            "agreement__unit_id", "agreement__unit__parent_id", "agreement__year", "quarter"
        )
    )
    window_of = {(w.region_id, w.year, w.quarter): w.id for w in windows}
    return {
        (unit_id, window_of[(region_id, year, quarter)])
        for unit_id, region_id, year, quarter in rows
        if region_id is not None and (region_id, year, quarter) in window_of
    }


def fill_link(facility: Unit, year: int, quarter: int, signed: bool) -> str:
    """Where a facility fills a quarter: its entry page, which needs a signed PK; without one,
    the facility's page of that year, where the PK is completed and signed."""
    if signed:
        return reverse("entry", args=[facility.slug, year, quarter])
    return f"{reverse('unit_detail', args=[facility.slug])}?tahun={year}"


def signed_years(facilities: Iterable[Unit], years: Iterable[int]) -> set[tuple[int, int]]:
    """(facility id, year) of every facility with a signed PK for the year. One query."""
    return set(
        PerjanjianKinerja.objects.filter(
            unit__in=list(facilities), year__in=set(years), status=PKStatus.SIGNED
        ).values_list("unit_id", "year")
    )


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (the given ones, or all); returns how many."""
    rows = list(Notification.objects.filter(user=user, read_at__isnull=True))
    if ids is not None:
        wanted = set(ids)
        rows = [n for n in rows if n.pk in wanted]
    now = timezone.now()
    for notification in rows:
        notification.read_at = now
    bulk_update_with_history(rows, Notification, ["read_at"], batch_size=500)
    return len(rows)


__all__ = [
    "REMINDER_DAYS",
    "RemindResult",
    "deliver",
    "notifications_mark_read",
    "remind",
    "transition_notify",
    "fill_link",
    "signed_years",
]
