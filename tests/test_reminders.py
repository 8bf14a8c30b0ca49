"""Issue 15, point 3: reminders 7, 3 and 1 days before an entry window closes, to the facilities
that have not submitted, and the region's list of who has not submitted / is late. With a frozen
clock: each reminder once, to the right people, none to a facility that submitted, none twice."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.measurement.models import EntryWindow, QuarterReport, RealizationStatus
from kinerja.notifications.models import Kind, Notification
from kinerja.notifications.services import remind, reminder_threshold
from kinerja.notifications.tasks import send_reminders
from kinerja.organizations.models import Role, UnitKind
from kinerja.organizations.services import membership_grant, unit_create, user_upsert
from kinerja.planning.models import PerjanjianKinerja, PKStatus

S = RealizationStatus
CLOSES = dt.date(2024, 4, 15)


def day(offset: int) -> dt.date:
    """A date relative to the window's last day (-7: seven days before it closes)."""
    return CLOSES + dt.timedelta(days=offset)


@pytest.fixture
def region(world):
    """Sulteng with Luwuk (not submitted) and Poso (submitted TW I 2024), each with an operator
    and a head; the region's evaluator; an entry window for TW I 2024 closing 15 April. Atambua
    (another region, no window) must never hear of it."""
    world.poso = unit_create(
        name="Rutan Kelas IIB Poso",
        slug="rutan-poso",
        kind=UnitKind.UPT,
        parent=world.sulteng,
        facility_type="rutan",
        facility_class="IIB",
    )
    for name, role, unit in [
        ("operator_poso", Role.OPERATOR, world.poso),
        ("head_poso", Role.HEAD, world.poso),
    ]:
        user = user_upsert(username=name, password="rahasia-uji-123")
        membership_grant(user=user, unit=unit, role=role)
        world.users[name] = user
    for name in ("operator_luwuk", "head_luwuk", "evaluator_sulteng", "operator_poso"):
        user = world.users[name]
        user.email = f"{name}@example.go.id"
        user.save()
    pk = PerjanjianKinerja.objects.create(unit=world.poso, year=2024, status=PKStatus.SIGNED)
    # Poso's quarter is submitted (recorded directly: the workflow has its own tests).
    QuarterReport.objects.create(agreement=pk, quarter=1, status=S.SUBMITTED)
    world.window = EntryWindow.objects.create(
        region=world.sulteng, year=2024, quarter=1, opens=dt.date(2024, 4, 1), closes=CLOSES
    )
    return world


def sent(kind=None):
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(rows.values_list("user__username", flat=True))


def test_the_threshold_is_the_nearest_reminder_still_ahead():
    assert [reminder_threshold(d) for d in (10, 8, 7, 6, 4, 3, 2, 1, 0, -1)] == [
        None,
        None,
        7,
        7,
        7,
        3,
        3,
        1,
        1,
        None,
    ]


def test_each_reminder_is_sent_once_to_the_facility_that_has_not_submitted(region):
    result = remind(today=day(-7))
    assert sent(Kind.DEADLINE) == ["head_luwuk", "operator_luwuk"]
    assert sent(Kind.NOT_SUBMITTED) == ["evaluator_sulteng"]
    assert result.counts == {Kind.DEADLINE: 2, Kind.NOT_SUBMITTED: 1}
    # E-mail to every recipient with an address; never to Poso, which submitted.
    assert sorted(a for m in mail.outbox for a in m.to) == [
        "evaluator_sulteng@example.go.id",
        "head_luwuk@example.go.id",
        "operator_luwuk@example.go.id",
    ]
    reminder = Notification.objects.filter(kind=Kind.DEADLINE).first()
    assert reminder.text == (
        "Masa pengisian realisasi TW I 2024 ditutup 15 April 2024 (7 hari lagi). "
        "Lapas Kelas IIB Luwuk belum mengajukan realisasi TW I 2024."
    )
    # Luwuk has no signed PK yet: the reminder leads to the PK page of that year.
    assert reminder.link == "/unit/lapas-luwuk/?tahun=2024"
    region_list = Notification.objects.get(kind=Kind.NOT_SUBMITTED)
    assert "1 dari 2 UPT belum mengajukan: Lapas Kelas IIB Luwuk." in region_list.text
    assert "Poso" not in region_list.text
    assert region_list.link == "/wilayah/kanwil-sulteng/?tahun=2024&tw=1"

    # Run again the same day, and on the following days: nothing twice.
    mail.outbox.clear()
    for offset in (-7, -6, -5, -4):
        assert remind(today=day(offset)).notifications == []
    assert mail.outbox == []
    assert Notification.objects.count() == 3


def test_the_3_and_1_day_reminders_and_the_late_list_each_come_once(region):
    for offset in range(-8, 10):
        remind(today=day(offset))
        remind(today=day(offset))  # twice a day changes nothing
    keys = sorted(Notification.objects.values_list("kind", "key"))
    w, luwuk = region.window.id, region.luwuk.id
    op, head, ev = (
        region.users[n].id for n in ("operator_luwuk", "head_luwuk", "evaluator_sulteng")
    )
    assert keys == sorted(
        [(Kind.DEADLINE, f"pengingat:{w}:{d}:{luwuk}:{u}") for d in (7, 3, 1) for u in (op, head)]
        + [(Kind.NOT_SUBMITTED, f"belum:{w}:{d}:{ev}") for d in (7, 3, 1)]
        + [(Kind.LATE, f"terlambat:{w}:{ev}")]
    )
    late = Notification.objects.get(kind=Kind.LATE)
    assert late.text == (
        "Masa pengisian realisasi TW I 2024 Kanwil Sulawesi Tengah ditutup 15 April 2024. "
        "1 dari 2 UPT terlambat (belum mengajukan): Lapas Kelas IIB Luwuk."
    )
    # No one of Poso (submitted), Atambua (another region) or the nation heard anything.
    assert not Notification.objects.filter(
        user__username__in=[
            "operator_poso",
            "head_poso",
            "operator_atambua",
            "viewer_national",
            "admin_national",
        ]
    ).exists()
    assert len(mail.outbox) == 3 * 3 + 1  # operator, head, evaluator × 3; the late list once


def test_a_missed_run_sends_the_reminder_it_missed_once_and_never_two_at_once(region):
    # The keys are "<kind>:<window id>:<days>:…": match the days, not a window id that happens to
    # be 3 or 7 (on PostgreSQL the ids run on across tests).
    remind(today=day(-5))  # the runs of days -7 and -6 did not happen
    assert Notification.objects.filter(key__regex=r"^[a-z]+:[0-9]+:7:").count() == 3
    assert "(5 hari lagi)" in Notification.objects.filter(kind=Kind.DEADLINE).first().text
    remind(today=day(-4))
    assert Notification.objects.count() == 3
    remind(today=day(-2))  # the 3-day run missed too: the 3-day reminder now, not the 7 again
    assert Notification.objects.filter(key__regex=r"^[a-z]+:[0-9]+:3:").count() == 3
    assert Notification.objects.count() == 6


def test_a_facility_that_submits_gets_no_more_reminders(region):
    remind(today=day(-7))
    pk = PerjanjianKinerja.objects.create(unit=region.luwuk, year=2024, status=PKStatus.SIGNED)
    QuarterReport.objects.create(agreement=pk, quarter=1, status=S.SUBMITTED)
    remind(today=day(-3))
    remind(today=day(1))
    assert Notification.objects.count() == 3  # only the 7-day ones, sent before it submitted


def test_a_returned_quarter_is_reminded_like_a_draft(region):
    pk = PerjanjianKinerja.objects.create(unit=region.luwuk, year=2024, status=PKStatus.SIGNED)
    QuarterReport.objects.create(agreement=pk, quarter=1, status=S.RETURNED, return_reason="x")
    remind(today=day(-1))
    assert sent(Kind.DEADLINE) == ["head_luwuk", "operator_luwuk"]
    assert Notification.objects.filter(kind=Kind.DEADLINE).first().link == (
        "/unit/lapas-luwuk/realisasi/2024/tw/1/"
    )


def test_nothing_before_the_window_opens_or_long_after_it_closed(region):
    region.window.opens = day(-2)
    region.window.save()
    remind(today=day(-7))
    assert Notification.objects.count() == 0
    remind(today=day(8))  # the late list is sent within a week of closing, not after
    assert Notification.objects.count() == 0


def test_each_facility_is_reminded_by_its_own_local_date(region, monkeypatch):
    """At 16.30 UTC on 11 April it is still the 11th in Luwuk (the national WIB) but already the
    12th in a facility set to WIT: 3 days left there (the 3-day reminder), 4 in Luwuk (7-day)."""
    east = unit_create(
        name="Bapas Kelas II Uji",
        slug="bapas-uji",
        kind=UnitKind.UPT,
        parent=region.sulteng,
        facility_type="bapas",
        facility_class="IIA",
    )
    east.time_zone = "Asia/Jayapura"
    east.save()
    membership_grant(user=region.users["operator_poso"], unit=east, role=Role.OPERATOR)
    instant = dt.datetime(2024, 4, 11, 16, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    monkeypatch.setattr(timezone, "now", lambda: instant)
    remind()
    keys = set(Notification.objects.filter(kind=Kind.DEADLINE).values_list("key", flat=True))
    w = region.window.id
    assert {k.rsplit(":", 1)[0] for k in keys} == {
        f"pengingat:{w}:7:{region.luwuk.id}",
        f"pengingat:{w}:3:{east.id}",
    }
    assert "(3 hari lagi)" in Notification.objects.get(unit=east).text


def test_a_user_without_email_gets_the_reminder_in_the_application_only(region):
    region.users["operator_luwuk"].email = ""
    region.users["operator_luwuk"].save()
    remind(today=day(-3))
    assert "operator_luwuk" in sent(Kind.DEADLINE)
    assert "operator_luwuk@example.go.id" not in [a for m in mail.outbox for a in m.to]


def test_a_failing_email_keeps_the_in_app_reminder_and_never_sends_it_again(region, monkeypatch):
    from kinerja.notifications import services

    def broken(*args, **kwargs):
        raise OSError("SMTP mati")

    monkeypatch.setattr(services, "send_mail", broken)
    result = remind(today=day(-3))
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 3
    assert result.emails == 0  # the command reports no e-mail sent
    monkeypatch.undo()
    remind(today=day(-3))
    assert mail.outbox == [] and Notification.objects.count() == 3


def test_the_reminder_run_does_not_grow_with_the_facilities(region):
    def grow(start, count):
        for i in range(start, start + count):
            unit = unit_create(
                name=f"Rutan Uji {i:03d}",
                slug=f"rutan-uji-{i:03d}",
                kind=UnitKind.UPT,
                parent=region.sulteng,
                facility_type="rutan",
                facility_class="IIB",
            )
            user = user_upsert(username=f"op{i}", password="rahasia-uji-123")
            membership_grant(user=user, unit=unit, role=Role.OPERATOR)

    grow(0, 5)
    with CaptureQueriesContext(connection) as small:
        remind(today=day(-7), dry_run=True)
    grow(5, 35)  # 42 facilities
    with CaptureQueriesContext(connection) as large:
        result = remind(today=day(-7), dry_run=True)
    assert result.counts[Kind.DEADLINE] == 2 + 40
    # 6 for the windows, 1 for the evaluations' recommendations due (none here)
    assert len(large.captured_queries) == len(small.captured_queries) <= 7
    assert Notification.objects.count() == 0  # dry run records nothing


# --- The command and the task --------------------------------------------------------------


def test_the_command_prints_what_it_sent_and_a_second_run_sends_nothing(region):
    out = io.StringIO()
    call_command("remind", "--date", "2024-04-12", stdout=out)
    assert out.getvalue().splitlines() == [
        "Pengingat batas pengisian: 2 dikirim",
        "UPT belum mengajukan: 1 dikirim",
        "UPT terlambat: 0 dikirim",
        "email: 3 dikirim",
    ]
    out = io.StringIO()
    call_command("remind", "--date", "2024-04-12", stdout=out)
    assert "Pengingat batas pengisian: 0 dikirim" in out.getvalue()
    assert Notification.objects.count() == 3 and len(mail.outbox) == 3


def test_the_command_dry_run_records_and_sends_nothing(region):
    out = io.StringIO()
    call_command("remind", "--date", "2024-04-12", "--dry-run", "-v", "2", stdout=out)
    assert "Pengingat batas pengisian: 2 akan dikirim" in out.getvalue()
    assert "email: 3 akan dikirim" in out.getvalue()
    assert "operator_luwuk: Masa pengisian realisasi TW I 2024" in out.getvalue()
    assert Notification.objects.count() == 0 and mail.outbox == []


def test_the_command_refuses_a_bad_date(region):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind", "--date", "15-04-2024")


def test_the_task_runs_the_same_reminders(region, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = io.StringIO()
    call_command("remind", "--date", "2024-04-12", "--enqueue", stdout=out)
    assert "antrean" in out.getvalue()
    assert sent(Kind.DEADLINE) == ["head_luwuk", "operator_luwuk"]
    assert send_reminders.call("2024-04-12") == {}  # idempotent through the task too
